"""Bounds on a submission (bounds.py) as a spec writes them (homework.py `limits:`), and the options that
bound one container on a shared engine (commandline.with_container_options)."""

from __future__ import annotations

import pytest

from dockersim.dockercli import commandline
from dockersim.errors import ScenarioError
from dockersim.grading.homework import parse_spec
from dockersim.host.limits import Limits, human, parse_size

SPEC = "schema_version: 1\ntitle: t\n{limits}checks:\n  - check: {{volume: data}}\n"


@pytest.mark.parametrize(
    ("text", "size"),
    [("2g", 2 * 2**30), ("512m", 512 * 2**20), ("10MiB", 10 * 2**20), ("1.5G", 3 * 2**29), ("4096", 4096),
     (1024, 1024), ("64kb", 64 * 1024)],
)  # fmt: skip
def test_sizes_are_read_as_people_write_them(text: object, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-1g", "2 x", True, 0, "0m", None, [1]])
def test_what_is_not_a_size_is_none(text: object) -> None:
    assert parse_size(text) is None


def test_sizes_are_said_as_people_write_them() -> None:
    assert [human(n) for n in (2 * 2**30, 256 * 2**20, 10 * 2**20, 1536 * 2**20, 512)] == [
        "2 GiB", "256 MiB", "10 MiB", "1.5 GiB", "512 B"]  # fmt: skip


def test_a_spec_without_limits_has_the_defaults_and_cpus_come_from_the_jobs() -> None:
    limits = parse_spec(SPEC.format(limits=""), "spec.yaml").limits
    assert limits == Limits()
    assert (limits.memory, limits.processes, limits.disk, limits.log, limits.containers) == (
        2 * 2**30, 1024, 4 * 2**30, 10 * 2**20, 20)  # fmt: skip
    assert limits.for_jobs(2).cpus > 0 and limits.for_jobs(64).cpus == 0.5
    assert Limits(cpus=1.5).for_jobs(2).cpus == 1.5
    assert limits.describe()["memory"] == "2 GiB"


def test_a_spec_s_limits_replace_each_default_they_name() -> None:
    text = SPEC.format(limits="limits: {memory: 512m, processes: 300, cpus: 1, disk: 1g, log: 1m, containers: 5}\n")
    limits = parse_spec(text, "spec.yaml").limits
    assert limits == Limits(512 * 2**20, 300, 1.0, 2**30, 2**20, 5)


@pytest.mark.parametrize(
    ("limits", "said"),
    [
        ("limits: 2g\n", "limits should be a mapping"),
        ("limits: {memmory: 2g}\n", "limits has no key 'memmory' (did you mean 'memory'?)"),
        ("limits: {memory: lots}\n", "limits: memory should be a size"),
        ("limits: {processes: 1.5}\n", "limits: processes should be a whole number"),
        ("limits: {cpus: 0}\n", "limits: cpus should be a number of CPUs above 0"),
        ("limits: {memory: 1m}\n", "limits: memory below 64 MiB"),
        ("limits: {processes: 2}\n", "limits: processes below 16"),
        ("limits: {cpus: .inf}\n", "limits: cpus should be a number of CPUs above 0 and at most 1024"),
        ("limits: {cpus: .nan}\n", "limits: cpus should be a number of CPUs above 0 and at most 1024"),
        ("limits: {processes: 99999999999999999999}\n", "limits: processes should be a whole number from 1 to"),
        ("limits: {disk: 9999999999999999999999999999t}\n", "limits: disk should be a size such as 2g"),
        ("limits: {memory: '" + "9" * 400 + "g'}\n", "limits: memory should be a size such as 2g"),
        ("time_limit: .inf\n", "time_limit should be a number of seconds above 0 and at most 1,000,000,000"),
        ("settle: .nan\n", "settle should be a number of seconds above 0 and at most 1,000,000,000"),
    ],
)
def test_a_wrong_limit_is_one_sentence_at_its_line(limits: str, said: str) -> None:
    with pytest.raises(ScenarioError) as e:
        parse_spec(SPEC.format(limits=limits), "spec.yaml")
    assert said in str(e.value) and str(e.value).startswith("spec.yaml:3: "), str(e.value)


def test_a_container_on_a_shared_engine_carries_the_bounds_after_its_own_options() -> None:
    options = Limits(memory=2**30, processes=100, log=2**20).container_options()
    argv = ["docker", "run", "-d", "--memory", "64g", "--name", "web", "busybox", "sleep", "9"]
    bounded = commandline.with_container_options(argv, options)
    assert bounded[: bounded.index("busybox")][-len(options) :] == list(options)  # after its own: ours win
    assert bounded[bounded.index("busybox") :] == ["busybox", "sleep", "9"]
    assert commandline.with_container_options(["docker", "volume", "create", "v"], options) == [
        "docker", "volume", "create", "v"]  # fmt: skip
    assert "--log-opt" not in Limits().container_options(log=False)
