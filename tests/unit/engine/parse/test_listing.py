"""`docker images` and `docker volume ls` tables, from both docker clients and from podman 4.3."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockersim.engine.parse.listing import parse_images_table, parse_volume_ls_table
from dockersim.errors import ParseError
from tests.unit.conftest import CLIENTS, fixture
from tests.unit.fuzzing import BUDGET

PODMAN = "podman43"


@pytest.mark.parametrize("client", CLIENTS)
def test_listings(client: str) -> None:
    [image] = parse_images_table(fixture(f"images-{client}.txt"))
    assert image.repo_tags == ("dsim-busybox:test",)
    names = {v.name for v in parse_volume_ls_table(fixture(f"volume-ls-{client}.txt"))}
    assert {"fxnamed", "fxvol"} <= names


def test_podman_s_listings() -> None:
    tags = {t for i in parse_images_table(fixture(f"images-{PODMAN}.txt")) for t in i.repo_tags}
    assert tags == {"localhost/dockersim/busybox:latest", "localhost/dsim-busybox:test"}
    assert {v.name for v in parse_volume_ls_table(fixture(f"volume-ls-{PODMAN}.txt"))} >= {"fxnamed", "fxvol"}


@pytest.mark.parametrize("parser", [parse_images_table, parse_volume_ls_table], ids=lambda p: p.__name__)
@BUDGET
@given(text=st.text(max_size=200))
def test_any_text_is_read_or_is_a_parse_error(parser: Callable[[str], Any], text: str) -> None:
    with contextlib.suppress(ParseError):
        parser(text)
