"""`docker ps` as a table (all, running only, --no-trunc), -q and `--format '{{json .}}'`, from both docker
clients and from podman 4.3 (whose JSON is an array with its own words), read to the same rows."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockersim.engine.parse.ps import parse_ps_json, parse_ps_quiet, parse_ps_table
from dockersim.engine.parse.status import parse_status
from dockersim.errors import ParseError
from tests.unit.conftest import CLIENTS, fixture
from tests.unit.fuzzing import BUDGET

PODMAN = "podman43"


@pytest.mark.parametrize("client", CLIENTS)
def test_ps_table_and_json_agree(client: str) -> None:
    table = parse_ps_table(fixture(f"ps-a-{client}.txt"))
    rows = parse_ps_json(fixture(f"ps-json-{client}.jsonl"))
    assert [r.id[:12] for r in table] == [r.id[:12] for r in rows]
    assert [r.status.split()[0] for r in table] == [r.status.split()[0] for r in rows]
    by_name = {r.names[0]: r for r in table}
    assert by_name["fx_long"].command == '"sh -c \'sleep 3600; …"'  # cut at 20 with U+2026
    assert by_name["fx_up"].image == "dsim-busybox:test"
    assert {r.state for r in rows} >= {"running", "paused", "exited", "created", "restarting"}


@pytest.mark.parametrize("client", CLIENTS)
def test_ps_running_only_and_no_trunc(client: str) -> None:
    running = parse_ps_table(fixture(f"ps-{client}.txt"))
    assert all(r.status.startswith(("Up", "Restarting")) for r in running)
    full = parse_ps_table(fixture(f"ps-a-notrunc-{client}.txt"))
    assert all(len(r.id) == 64 for r in full)
    db = next(r for r in full if r.names[0] == "fx_db")
    assert "fx_web/mysql" in db.names  # link aliases show only with --no-trunc


@pytest.mark.parametrize("client", CLIENTS)
def test_ps_quiet(client: str) -> None:
    ids = parse_ps_quiet(fixture(f"ps-a-q-{client}.txt"))
    assert len(ids) == 14 and all(len(i) == 12 for i in ids)


def test_ps_errors() -> None:
    for bad in ["", "NAMES\nx", "{}", "not json"]:
        with pytest.raises(ParseError):
            parse_ps_table(bad) if not bad.startswith(("{", "not")) else parse_ps_json(bad)
    with pytest.raises(ParseError):
        parse_ps_quiet("xyz")


def test_ps_json_array_reads_as_docker_s_lines() -> None:
    rows = {r.names[0]: r for r in parse_ps_json(fixture(f"ps-json-{PODMAN}.jsonl"))}
    docker = {r.names[0]: r for r in parse_ps_json(fixture("ps-json-28.jsonl"))}
    for name in ("fx_up", "fx_paused", "fx_exited3", "fx_created", "fx_ports"):
        assert parse_status(rows[name].status).state == parse_status(docker[name].status).state, name
    assert rows["fx_long"].command == "sh -c sleep 3600; echo a long command here"  # an array, joined
    assert rows["fx_up"].image == "localhost/dsim-busybox:test"  # podman names images in full
    assert rows["fx_restarting"].state == "stopped"  # podman's own word between restarts


def test_podman_s_quiet_and_untruncated_listings() -> None:
    assert len(parse_ps_quiet(fixture(f"ps-a-q-{PODMAN}.txt"))) == 12
    assert all(len(r.id) == 64 for r in parse_ps_table(fixture(f"ps-a-notrunc-{PODMAN}.txt")))


@pytest.mark.parametrize("parser", [parse_ps_table, parse_ps_json, parse_ps_quiet], ids=lambda p: p.__name__)
@BUDGET
@given(text=st.text(max_size=200))
def test_any_text_is_read_or_is_a_parse_error(parser: Callable[[str], Any], text: str) -> None:
    with contextlib.suppress(ParseError):
        parser(text)
