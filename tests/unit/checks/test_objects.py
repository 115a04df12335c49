"""Checks of images, volumes and the count of containers, evaluated on a snapshot filled from captured output
(no engine involved)."""

from __future__ import annotations

import pytest

from tests.unit.captured import Context, evaluate


@pytest.mark.parametrize("client", ["20", "28"])
@pytest.mark.parametrize(
    "spec",
    [
        "{image: centos:8}",
        "{image: docker.io/library/centos:8}",
        "{image: ubuntu:14.04, present: false}",
        "{volume: fxnamed, driver: local}",
        "{volume: other, present: false}",
    ],
)
def test_checks_that_hold(spec: str, client: str) -> None:
    assert evaluate(spec, client) == []


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("{image: ubuntu:14.04}", ["image: expected ubuntu:14.04 present, found absent"]),
        ("{volume: fxnamed, driver: nfs}", ["driver: expected nfs, found local"]),
    ],
)
def test_failed_checks_say_expected_and_found(spec: str, expected: list[str]) -> None:
    assert evaluate(spec) == expected


def test_image_check_follows_the_image_map() -> None:
    assert evaluate("{image: ubuntu:14.04}", ctx=Context({"ubuntu:14.04": "dsim-busybox:test"})) == []


def test_counts_are_of_owned_containers() -> None:
    # The fixture holds 8 containers; docker ps counts paused ones as running too.
    assert evaluate("{containers: {running: 6, all: 8}}", "28") == []
    assert evaluate("{containers: {all: 1}}", "28") == ["all (docker ps -a): expected 1, found 8"]
