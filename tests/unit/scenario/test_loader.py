"""Scenario files: what loads, and every way a file can be wrong (file:line and one sentence)."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dockersim.checks.container import ContainerCheck
from dockersim.checks.objects import CountCheck, ImageCheck, VolumeCheck
from dockersim.errors import ScenarioError
from dockersim.scenario.loader import load_scenario, parse_scenario, scenario_files
from tests.conftest import ROOT
from tests.unit.fuzzing import BUDGET, WORDS, values

GOOD = """\
schema_version: 1
title: {en: "Demo", ko: "데모"}
images: {ubuntu: ubuntu:14.04}
steps:
  - name: shell
    run: docker run -i -t --name first {image.ubuntu}
    tty:
      - expect: 'root@{short_id:first}:/# '
      - send: hostname
      - keys: [ctrl-p, ctrl-q]
      - expect: eof
  - run: docker inspect --format '{{.Id}}' first
    capture: {ID: '^(\\w{4})'}
  - run: docker start {var.ID}
    exit: any
    stderr: '(?i)cannot'
    retry: 5
    check:
      - {container: first, state: running, image: '{image.ubuntu}', ports: {80/tcp: any, "81": none}}
      - {containers: {running: 1, all: 1}}
      - {volume: v1, present: false}
      - {image: '{image.ubuntu}'}
"""


def test_good_file_loads() -> None:
    s = parse_scenario(GOOD, "good.yaml")
    assert s.title == {"en": "Demo", "ko": "데모"}
    assert [step.index for step in s.steps] == [1, 2, 3]
    first = s.steps[0]
    assert first.run == ["docker", "run", "-i", "-t", "--name", "first", "{image.ubuntu}"]
    assert [a.kind for a in first.tty or []] == ["expect", "send", "keys", "eof"]
    assert first.ends_with_detach()
    assert s.steps[1].run == ["docker", "inspect", "--format", "{{.Id}}", "first"]
    assert s.steps[1].name["en"] == "docker inspect --format '{{.Id}}' first"
    third = s.steps[2]
    assert (third.exit, third.retry) == ("any", 5.0)
    assert [type(c) for c in third.checks] == [ContainerCheck, CountCheck, VolumeCheck, ImageCheck]


def test_detach_keys_follow_the_command() -> None:
    text = GOOD.replace("docker run -i -t", "docker run -i -t --detach-keys ctrl-x,x")
    assert not parse_scenario(text, "f.yaml").steps[0].ends_with_detach()
    text = text.replace("keys: [ctrl-p, ctrl-q]", "keys: [ctrl-x, x]")
    assert parse_scenario(text, "f.yaml").steps[0].ends_with_detach()


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as e:
        parse_scenario(textwrap.dedent(text), "bad.yaml")
    return e.value


BASE = "schema_version: 1\nsteps:\n"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("schema_version: 1\nsteps: [\n", 3, "invalid YAML"),
        ("", 1, "empty"),
        ("- a\n", 1, "mapping"),
        ("steps: []\n", 1, "schema_version is missing"),
        ("schema_version: 2\nsteps: []\n", 1, "not supported"),
        ("schema_version: 1\nsteps: []\n", 2, "non-empty"),
        ("schema_version: 1\nstep: []\n", 2, "did you mean 'steps'"),
        (BASE + "  - rnu: docker ps\n", 3, "did you mean 'run'"),
        (BASE + "  - name: x\n", 3, "needs run, shell or check"),
        (BASE + "  - run: docker ps\n    shell: ls\n", 4, "not both"),
        (BASE + "  - run: docker 'ps\n", 3, "cannot be split"),
        (BASE + "  - run: docker ps\n    stdout: '(unclosed'\n", 4, "not a valid regular expression"),
        (BASE + "  - run: docker run {imgae.x}\n", 3, "unknown placeholder"),
        (BASE + "  - run: docker run {image.nope}\n", 3, "names no image"),
        (BASE + "  - run: docker run {id.first}\n", 3, "write {id.first} as {id:first}"),
        (BASE + "  - run: docker start {var.X}\n", 3, "before any step captures X"),
        (BASE + "  - run: docker ps\n    exit: maybe\n", 4, "exit should be"),
        (BASE + "  - run: docker ps\n    auto: sometimes\n", 4, "auto should be true or false"),
        (BASE + "  - run: ls\n    auto: false\n", 4, "auto: false needs a docker command"),
        (BASE + "  - run: docker ps\n    task: [a]\n", 4, "task"),
        (BASE + "  - run: docker ps\n    timeout: -1\n", 4, "above 0"),
        (BASE + "  - run: docker ps\n    capture: {X: 'no group'}\n", 4, "exactly one (group)"),
        (BASE + "  - shell: ls\n    tty: [{send: x}]\n", 4, "tty needs a run"),
        (BASE + "  - run: docker run -it x\n    tty: []\n", 4, "non-empty"),
        (
            BASE + "  - run: docker run -it x\n    tty:\n      - expect: eof\n      - send: x\n",
            6,
            "after `expect: eof`",
        ),
        (BASE + "  - run: docker run -it x\n    tty:\n      - keys: [ctrl-å]\n", 5, "unknown key"),
        (BASE + "  - run: docker run -it x\n    tty:\n      - expect: a\n        send: b\n", 5, "exactly one"),
        (BASE + "  - run: docker attach x\n    tty:\n      - aside: ls /\n", 5, "aside should be a docker command"),
        (BASE + "  - run: docker attach x\n    tty:\n      - aside: docker bogus\n", 5, "aside: "),
        (BASE + "  - run: docker attach x\n    tty:\n      - send: a\n        until: b\n", 5, "until goes with aside"),
        (BASE + "  - run: docker attach x\n    tty:\n      - hangup: soon\n", 5, "hangup should be true"),
        (
            BASE + "  - run: docker attach x\n    tty:\n      - hangup: true\n      - send: x\n",
            6,
            "after `hangup`",
        ),
        (BASE + "  - check: {container: x, stat: running}\n", 3, "did you mean 'state'"),
        (BASE + "  - check: {container: x, state: runing}\n", 3, "did you mean 'running'"),
        (BASE + "  - check: {container: x, exit_code: zero}\n", 3, "whole number"),
        (BASE + "  - check: {container: x, exit_code: -4}\n", 3, "from 0 to 255"),
        (BASE + "  - check: {container: x, ports: {99999/tcp: any}}\n", 3, "not a container port"),
        (BASE + "  - check: {http: {container: x, port: 99999/tcp}}\n", 3, "http port '99999/tcp' is not a container"),
        ("schema_version: 1\ntitle: ''\nsteps: [{run: docker ps}]\n", 2, "title is empty"),
        ("schema_version: 1\ntitle: {en: x, ko: ' '}\nsteps: [{run: docker ps}]\n", 2, "title: ko is empty"),
        (BASE + "  - check: {container: x, ip: 999.1.1.1}\n", 3, "ip should be"),
        (BASE + "  - check: {container: x, ports: {http: any}}\n", 3, "not a container port"),
        (BASE + "  - check: {container: x, links: [nocolon]}\n", 3, "TARGET:ALIAS"),
        (BASE + "  - check: {contianer: x}\n", 3, "names no kind of check"),
        (BASE + "  - check: {containers: {runing: 1}}\n", 3, "not 'runing'"),
        (BASE + "  - check: {image: x, present: maybe}\n", 3, "true or false"),
        (BASE + "  - run: docker ps\n    run: docker ps -a\n", 4, "appears twice"),
        ("schema_version: 1\ntitle: {fr: x}\nsteps: [{run: docker ps}]\n", 2, "unknown language"),
        ("&a [*a]\n", 1, "refers to a value that contains it"),
        ("[" * 70 + "]" * 70 + "\n", 1, "nested more than 64 deep"),
        (
            BASE + "  - check: {container: x, mounts: [{type: [1]}]}\n",
            3,
            "a mount's type should be a word or a number, not a list",
        ),
        (BASE + "  - check: {container: x, mounts: [{rw: yes-ish}]}\n", 3, "rw should be true or false"),
        (BASE + "  - check: {container: {a: b}}\n", 3, "container should be a word or a number, not a mapping"),
        ("schema_version: 1\nimages: {u: 'has space'}\nsteps: [{run: docker ps}]\n", 2, "image reference"),
        # Numbers that would pass as seconds and overflow the clock where they are waited for.
        (BASE + "  - run: docker ps\n    timeout: .nan\n", 4, "at most 1,000,000,000"),
        (BASE + "  - run: docker ps\n    timeout: .inf\n", 4, "at most 1,000,000,000"),
        (BASE + "  - run: docker ps\n    timeout: 99999999999999999999\n", 4, "at most 1,000,000,000"),
        (BASE + "  - run: docker ps\n    retry: .nan\n", 4, "retry should be a number of seconds"),
        (BASE + "  - run: docker run -it x\n    tty:\n      - expect: a\n        timeout: .nan\n", 6, "timeout"),
        # Regular expressions that re.compile refuses with another error than re.error.
        (BASE + "  - run: docker ps\n    stdout: 'a{99999999999}'\n", 4, "not a valid regular expression"),
        (BASE + "  - run: docker ps\n    stdout_not: '" + "(" * 1500 + ")" * 1500 + "'\n", 4, "not a valid regular"),
        (BASE + '  - run: "echo \\x00"\n', 3, "NUL character"),
        ('schema_version: "1"\nsteps: [{run: docker ps}]\n', 1, "should be the number 1, not '1'"),
        ('schema_version: 1\ntitle: "t\nsteps:\n  - run: docker ps\n', 2, "the quote that opens on this line"),
        ("schema_version: 1\ntitle: 't\nsteps:\n  - run: echo 'x'\n", 4, "is a quote above left open"),
    ],
)
def test_bad_files_name_file_and_line(text: str, line: int, words: str) -> None:
    e = _error(text)
    assert e.line == line, str(e)
    assert words in e.message, str(e)
    assert str(e).startswith(f"bad.yaml:{line}: ")
    assert "\n" not in str(e)


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.yaml")
    bad = tmp_path / "cp949.yaml"
    bad.write_bytes("schema_version: 1\nsteps:\n  - run: echo 안녕\n".encode("cp949"))
    with pytest.raises(ScenarioError) as e:
        load_scenario(bad)
    assert str(e.value) == f"{bad}:3: the file is not UTF-8 text (byte 0xbe on this line): save it as UTF-8"
    with pytest.raises(ScenarioError, match="an empty path names no scenario file"):
        scenario_files([""])  # Path("") would be the current folder


def test_destructive_steps_are_recognised() -> None:
    s = parse_scenario(
        BASE + "  - run: docker container prune -f\n  - shell: docker rm $(docker ps -a -q)\n  - run: docker ps\n",
        "f.yaml",
    )
    assert [step.destructive for step in s.steps] == [True, True, False]
    # Anything over a listing counts (`ids=$(docker ps -aq); docker rm -f $ids` too), unless the step says not.
    script = "  - shell: |\n      ids=$(docker ps -a -q)\n      docker rm -f $ids\n"
    assert parse_scenario(BASE + script, "f.yaml").steps[0].destructive is True
    reads = BASE + "  - shell: x=$(docker ps -q --filter name=^mine_)\n    destructive: false\n"
    assert parse_scenario(reads, "f.yaml").steps[0].destructive is False


def test_an_attach_that_hangs_up_is_not_typed_in_practice() -> None:
    text = BASE + "  - run: docker attach db\n    tty:\n      - aside: docker exec db true\n        until: x\n"
    s = parse_scenario(text + "      - hangup: true\n", "f.yaml")
    assert s.steps[0].tty is not None and [a.kind for a in s.steps[0].tty] == ["aside", "hangup"]
    assert s.steps[0].tty[0].until == "x" and not s.steps[0].typed() and not s.steps[0].named


def test_shipped_scenarios_load() -> None:
    paths = sorted(ROOT.joinpath("scenarios").glob("*.yaml"))
    assert len(paths) >= 6
    for path in paths:
        assert load_scenario(path).steps, path


def test_requires_names_an_engine_or_features() -> None:
    text = BASE + "  - run: docker ps\n    requires: {engine: docker, features: [links]}\n"
    [step] = parse_scenario(text, "f.yaml").steps
    assert step.requires is not None and step.requires.unmet("docker") is None
    assert step.requires.unmet("podman") == ("docker", "podman")
    links = parse_scenario(BASE + "  - run: docker ps\n    requires: {features: [links]}\n", "f.yaml").steps[0]
    assert links.requires is not None and links.requires.unmet("podman") == ("links", "podman")
    for bad, words in (("{engine: lxc}", "docker or podman"), ("{features: [swarm]}", "unknown feature"),
                       ("[links]", "should be a mapping"), ("{engnie: docker}", "did you mean 'engine'")):  # fmt: skip
        e = _error(BASE + f"  - run: docker ps\n    requires: {bad}\n")
        assert words in e.message and e.line == 4, str(e)


# Fuzzed (tests/unit/fuzzing.py): whatever the file says, a ScenarioError and never a traceback.
@BUDGET
@given(st.text(max_size=300))
def test_loader_on_any_text(text: str) -> None:
    with contextlib.suppress(ScenarioError):
        parse_scenario(text, "fuzz.yaml")


@BUDGET
@given(st.dictionaries(st.sampled_from(WORDS), values, max_size=5), st.lists(values, max_size=4))
def test_loader_on_scenario_shaped_documents(top: dict[str, Any], steps: list[Any]) -> None:
    doc = {"schema_version": 1, **top, "steps": steps}
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        return
    with contextlib.suppress(ScenarioError):
        parse_scenario(text, "fuzz.yaml")
