"""The witness's judgement (witness.judge) on event streams captured from real engines (tests/fixtures/events-*):
what the grader's own commands did, what the engine did by itself, and what someone else did."""

from __future__ import annotations

import pytest

from dockersim.engine.parse.events import parse_events
from dockersim.engine.state import EngineEvent
from dockersim.grading.witness import _Window, judge, window_of
from tests.unit.conftest import fixture

STREAMS = ["events-28.jsonl", "events-20.jsonl", "events-podman43.jsonl"]
DOCKER = "/usr/bin/docker"


def _of(events: list[EngineEvent], name: str) -> list[EngineEvent]:
    """The events of one container (by its name), and of the networks and volumes about it."""
    ids = {e.actor_id for e in events if e.kind == "container" and e.name == name}
    return [e for e in events if (e.kind == "container" and e.actor_id in ids) or e.container in ids]


def _ran(command: str, first: EngineEvent, last: EngineEvent, events: list[EngineEvent] | None = None) -> _Window:
    """The window of a grader's command that ran from just before `first` to just after `last` (and every
    event of `events` as the engine printed them between the two, whose times may be out of order)."""
    window = window_of([DOCKER, *command.split()[1:]])
    assert window is not None
    span = events[events.index(first) : events.index(last) + 1] if events else [first, last]
    window.start, window.end = min(e.time_ns for e in span) - 1, max(e.time_ns for e in span) + 1
    return window


@pytest.mark.parametrize("stream", STREAMS)
def test_with_no_command_of_the_grader_s_every_change_is_someone_else_s(stream: str) -> None:
    events = parse_events(fixture(stream))
    assert len(events) > 50
    assert judge(events, []).startswith("container evfix-a")


@pytest.mark.parametrize("stream", STREAMS)
def test_what_a_broad_command_covers_is_its_own(stream: str) -> None:
    events = parse_events(fixture(stream))
    window = _Window(min(e.time_ns for e in events) - 1, max(e.time_ns for e in events) + 1, broad=True)
    assert judge(events, [window]) == ""


@pytest.mark.parametrize("stream", STREAMS)
def test_an_autoremove_container_s_end_is_the_engine_s_doing(stream: str) -> None:
    events = _of(parse_events(fixture(stream)), "evfix-rm")
    started = next(e for e in events if e.action == "start")
    window = _ran("docker run --rm --name evfix-rm -v evfix-v:/v busybox true", events[0], started)
    later = [e for e in events if e.time_ns > window.end + 2_000_000_000]  # type: ignore[operator]
    assert judge(events, [window]) == "", later


@pytest.mark.parametrize("stream", STREAMS)
def test_a_restart_policy_starting_a_container_again_is_the_engine_s_doing(stream: str) -> None:
    events = _of(parse_events(fixture(stream)), "evfix-rp")
    events = events[: next(i for i, e in enumerate(events) if e.action == "destroy")]  # until the grader's rm
    started = next(e for e in events if e.action == "start")
    assert sum(e.action == "start" for e in events) > 1
    window = _ran("docker run -d --name evfix-rp --restart on-failure:2 busybox sh -c exit", events[0], started)
    assert judge(events, [window]) == ""


@pytest.mark.parametrize("stream", ["events-28.jsonl", "events-20.jsonl"])  # podman runs no checks without systemd
def test_health_checks_the_engine_runs_are_its_own_and_another_exec_is_not(stream: str) -> None:
    events = _of(parse_events(fixture(stream)), "evfix-h")
    events = events[: next(i for i, e in enumerate(events) if e.action == "kill")]  # until the grader's rm -f
    started = next(e for e in events if e.action == "start")
    window = _ran("docker run -d --name evfix-h --health-cmd true busybox sleep 300", events[0], started)
    ident = started.actor_id
    assert judge(events, [window], {ident: "/bin/sh -c true"}) == ""
    assert judge(events, [window], {ident: "/bin/sh -c other"}) == "container evfix-h: exec_create"


@pytest.mark.parametrize("stream", STREAMS)
def test_a_running_container_removed_by_someone_else_is_seen(stream: str) -> None:
    events = _of(parse_events(fixture(stream)), "evfix-rmf")
    started = next(e for e in events if e.action == "start")
    window = _ran("docker run -d --name evfix-rmf busybox sleep 300", events[0], started)
    found = judge(events, [window])
    assert found.startswith("container evfix-rmf: ") and found.split(": ")[1] in ("kill", "destroy"), found
    removal = _ran("docker rm -f evfix-rmf", next(e for e in events if e.time_ns > started.time_ns), events[-1])
    assert judge(events, [window, removal]) == ""


@pytest.mark.parametrize("stream", STREAMS)
def test_someone_else_s_change_while_the_grader_runs_a_command_about_another_container_is_seen(stream: str) -> None:
    everything = parse_events(fixture(stream))
    events = _of(everything, "evfix-rmf")
    started = next(e for e in events if e.action == "start")
    own = _ran("docker run -d --name evfix-rmf busybox sleep 300", events[0], started)
    # The grader execs into another container the whole time evfix-rmf is removed by someone else.
    probe = _ran("docker exec web true", events[0], events[-1])
    assert judge(events, [own, probe]).startswith("container evfix-rmf: ")


def test_a_command_that_only_reads_is_no_window_and_a_prune_covers_everything() -> None:
    assert window_of([DOCKER, "ps", "-a"]) is None
    assert window_of([DOCKER, "inspect", "web"]) is None
    prune = window_of([DOCKER, "container", "prune", "-f"])
    assert prune is not None and prune.broad
    run = window_of([DOCKER, "run", "-d", "--name", "web", "-v", "data:/d", "busybox"])
    assert run is not None and run.creates and {"web", "data"} <= run.refs and not run.broad
