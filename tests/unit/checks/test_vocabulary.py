"""The check vocabulary: which kind of check a mapping is, a check bound to one engine, and what is no check
said with its file and line."""

from __future__ import annotations

import pytest

from dockersim.checks.container import ContainerCheck
from dockersim.checks.objects import CountCheck, ImageCheck, VolumeCheck
from dockersim.checks.vocabulary import OnEngine, bare, parse_check
from dockersim.errors import ScenarioError
from dockersim.yamlfile.source import load_yaml


@pytest.mark.parametrize(
    "spec, kind",
    [
        ("{container: web, state: running}", ContainerCheck),
        ("{container: web, image: busybox}", ContainerCheck),  # a container check may name its image
        ("{containers: {running: 1}}", CountCheck),
        ("{volume: data, driver: local}", VolumeCheck),
        ("{image: busybox, present: false}", ImageCheck),
    ],
)
def test_the_kind_of_a_check_is_the_first_kind_it_names(spec: str, kind: type) -> None:
    assert isinstance(parse_check(load_yaml(spec, "t.yaml"), "t.yaml", 1), kind)


def test_a_check_that_requires_an_engine_is_bound_to_it() -> None:
    check = parse_check(
        load_yaml("{container: web, state: running, requires: {engine: docker}}", "t.yaml"), "t.yaml", 1
    )
    assert isinstance(check, OnEngine) and isinstance(bare(check), ContainerCheck)
    assert check.requires.unmet("docker") is None and check.requires.unmet("podman") == ("docker", "podman")
    assert check.describe() == bare(check).describe()


@pytest.mark.parametrize(
    "spec, words",
    [
        ("just text", "a check should be a mapping"),
        ("{state: running}", "this check names no kind of check: it needs one of container, containers"),
    ],
)
def test_what_is_no_check_is_said_with_its_file_and_line(spec: str, words: str) -> None:
    with pytest.raises(ScenarioError) as e:
        parse_check(load_yaml("\n\n" + spec, "t.yaml"), "t.yaml", 3)
    assert words in e.value.message and e.value.path == "t.yaml" and e.value.line == 3
