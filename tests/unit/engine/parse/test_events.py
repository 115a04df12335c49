"""The engine's event stream from both docker clients and podman 4.3 (tests/fixtures/events-*.jsonl, captured
by the events blocks of capture.sh and capture-podman.sh), read into one record in docker's words."""

from __future__ import annotations

import calendar
import json
from datetime import datetime

import pytest

from dockersim.engine.parse.events import parse_event, parse_events
from dockersim.engine.state import EngineEvent
from tests.unit.conftest import CLIENTS, fixture

PODMAN = "podman43"


def _about(events: list[EngineEvent], name: str) -> list[EngineEvent]:
    """The events about the container first named `name`: its own, and the network and volume events naming it."""
    cid = next(e.actor_id for e in events if e.kind == "container" and e.name == name)
    return [e for e in events if e.container == cid]


def _actions(events: list[EngineEvent]) -> list[str]:
    return [e.action if e.kind == "container" else f"{e.kind} {e.action}" for e in events]


def _in_order(actual: list[str], expected: list[str]) -> bool:
    """Whether `expected` is in `actual` in its order, other words between."""
    rest = iter(actual)
    return all(word in rest for word in expected)


def _lines(name: str) -> list[str]:
    return [line for line in fixture(name).splitlines() if line.strip()]


@pytest.mark.parametrize("client", CLIENTS)
def test_docker_reads_every_line_with_its_time(client: str) -> None:
    lines = _lines(f"events-{client}.jsonl")
    events = parse_events(fixture(f"events-{client}.jsonl"))
    assert len(events) == len(lines)
    assert [e.time_ns for e in events] == [json.loads(line)["timeNano"] for line in lines]
    assert {e.kind for e in events} == {"container", "network", "volume", "image"}


@pytest.mark.parametrize("client", CLIENTS)
def test_docker_container_life_in_order(client: str) -> None:
    events = parse_events(fixture(f"events-{client}.jsonl"))
    life = [e for e in _about(events, "evfix-a") if e.kind == "container"]
    # run, exec, pause/unpause, rename, update, kill -s TERM (ignored by pid 1), stop -t 1, start, restart -t 0,
    # and at last rm -f
    assert _actions(life) == [
        "create", "start", "exec_create", "exec_start", "exec_die", "pause", "unpause", "rename", "update",
        "kill", "kill", "kill", "die", "stop", "start", "kill", "kill", "die", "stop", "start", "restart",
        "kill", "die", "destroy",
    ]  # fmt: skip
    assert [e.signal for e in life if e.action == "kill"] == [15, 15, 9, 15, 9, 9]
    assert [e.exit_code for e in life if e.action in ("die", "exec_die")] == [0, 137, 137, 137]
    exec_create = next(e for e in life if e.action == "exec_create")
    assert exec_create.command == "true" and exec_create.name == "evfix-a"  # `exec_create: true ` upstream
    rename = next(e for e in life if e.action == "rename")
    assert (rename.old_name, rename.name) == ("evfix-a", "evfix-b")
    assert life[-1].name == "evfix-b" and life[0].image == "dockersim/busybox:latest"
    assert ("org.dockersim.kit", "base") in life[0].attributes  # the image's labels, as the container's
    assert all(e.container == e.actor_id and len(e.actor_id) == 64 for e in life)


@pytest.mark.parametrize("client", CLIENTS)
def test_docker_what_the_engine_does_by_itself(client: str) -> None:
    events = parse_events(fixture(f"events-{client}.jsonl"))
    # --rm: after the process ends, the engine disconnects, unmounts and destroys
    autoremoved = _about(events, "evfix-rm")
    assert _actions(autoremoved)[-4:] == ["die", "network disconnect", "volume unmount", "destroy"]
    unmount = autoremoved[-2]
    assert (unmount.name, unmount.actor_id) == ("evfix-v", "evfix-v")
    # --restart on-failure:2: two more starts, no restart event
    restarted = _actions(_about(events, "evfix-rp"))
    assert restarted.count("start") == 3 and "restart" not in restarted
    assert [e.exit_code for e in _about(events, "evfix-rp") if e.action == "die"] == [3, 3, 3]
    # a health check is an exec the engine makes, then a health_status
    health = _about(events, "evfix-h")
    assert _actions(health)[3:7] == ["exec_create", "exec_start", "exec_die", "health_status"]
    assert health[3].command == "/bin/sh -c true" and health[6].health == "healthy"
    # out of memory: oom, then die 137 with no kill
    assert _actions(_about(events, "evfix-oom"))[3:6] == ["oom", "die", "network disconnect"]
    # kill -9 from the host: the same die as an oom's, and no kill event
    killed = _about(events, "evfix-k9")
    assert _actions(killed) == ["create", "network connect", "start", "die", "network disconnect", "destroy"]
    assert killed[3].exit_code == 137
    # an ending of its own: die 0
    assert [e.exit_code for e in _about(events, "evfix-exit") if e.action == "die"] == [0]


@pytest.mark.parametrize("client", CLIENTS)
def test_docker_rm_f_volumes_networks_images(client: str) -> None:
    events = parse_events(fixture(f"events-{client}.jsonl"))
    removed = _about(events, "evfix-rmf")
    assert _actions(removed)[-4:] == ["kill", "die", "network disconnect", "destroy"]
    assert removed[-4].signal == 9 and removed[-3].exit_code == 137
    network = [e for e in events if e.kind == "network" and e.name == "evfix-n"]
    b = next(e.actor_id for e in events if e.name == "evfix-b")
    assert [e.action for e in network] == ["create", "connect", "disconnect", "disconnect", "destroy"]  # twice
    assert {e.container for e in network[1:4]} == {b} and len({e.actor_id for e in network}) == 1
    volume = [e.action for e in events if e.kind == "volume" and e.name == "evfix-v"]
    assert volume == ["create", "create", "mount", "unmount", "destroy"]  # `run -v` says create again
    tag, untag = (e for e in events if e.kind == "image")
    assert (tag.action, tag.name) == ("tag", "evfix/tag:one") and tag.actor_id.startswith("sha256:")
    assert (untag.action, untag.name) == ("untag", untag.actor_id)  # the ID, not the tag
    bridge = next(e for e in events if e.kind == "network" and e.name == "bridge")
    assert bridge.image == "" and bridge.container and bridge.actor_id != bridge.container


@pytest.mark.parametrize("client", CLIENTS)
def test_docker_daemon_reload_and_stop(client: str) -> None:
    """A private dockerd, sent SIGHUP and then SIGTERM: the stream ends (the client says `unexpected EOF`)."""
    reload, *shutdown = parse_events(fixture(f"events-daemon-{client}.jsonl"))
    assert (reload.kind, reload.action, reload.name) == ("daemon", "reload", "vm")
    assert reload.actor_id.count(":") == 11 and ("live-restore", "false") in reload.attributes
    # the daemon stops a running container as `docker stop` does
    assert _actions(shutdown) == ["kill", "kill", "die", "network disconnect", "stop"]
    assert [shutdown[0].signal, shutdown[1].signal, shutdown[2].exit_code] == [15, 9, 137]
    assert shutdown[3].name == "none" and shutdown[3].container == shutdown[0].actor_id


def test_podman_reads_every_line_in_docker_s_words() -> None:
    lines = _lines(f"events-{PODMAN}.jsonl")
    events = parse_events(fixture(f"events-{PODMAN}.jsonl"))
    assert len(events) == len(lines)
    for line, event in zip(lines, events, strict=True):
        time = json.loads(line)["Time"]  # 2026-12-06T23:03:03.35391882Z: UTC, and trailing zeros cut
        seconds = calendar.timegm(datetime.strptime(time[:19], "%Y-%m-%dT%H:%M:%S").timetuple())
        assert divmod(event.time_ns, 10**9) == (seconds, int(time[20:-1].ljust(9, "0"))), time
    first = events[0]
    assert (first.kind, first.action, first.name) == ("container", "create", "evfix-a")
    assert first.image == "localhost/dockersim/busybox:latest"
    assert first.attributes == (("org.dockersim.kit", "base"),)  # podman's attributes are the labels
    life = [e for e in _about(events, "evfix-a") if e.kind == "container"]
    # run, exec, pause/unpause, rename, update (podman 4.3 says nothing), kill -s TERM (ignored by pid 1),
    # stop -t 1, start, restart -t 0, rm -f. Around these, podman 4.3 says `stop` (somewhere, or not at all),
    # `cleanup` (or not) and `exec_died` (once or twice) as the command and the cleanup process race.
    assert _in_order(_actions(life), [
        "create", "init", "start", "exec_start", "exec_die", "pause", "unpause", "rename", "kill",
        "die", "init", "start", "restart", "die", "init", "start", "die", "destroy",
    ])  # fmt: skip
    assert set(_actions(life)) <= {"create", "init", "start", "exec_start", "exec_die", "pause", "unpause",
                                   "rename", "kill", "stop", "die", "cleanup", "restart", "destroy"}  # fmt: skip
    assert [e.exit_code for e in life if e.action == "die"] == [137, 137, 137]
    assert all(e.signal is None and e.old_name == "" for e in life)  # podman names neither


def test_podman_what_the_engine_does_by_itself() -> None:
    events = parse_events(fixture(f"events-{PODMAN}.jsonl"))
    assert _actions(_about(events, "evfix-rm"))[-2:] == ["die", "destroy"]  # --rm: no cleanup, no volume events
    # --restart on-failure:2: podman says restart before each start it makes
    restarted = _about(events, "evfix-rp")
    assert _actions(restarted)[3:] == [
        "die", "restart", "init", "start", "die", "restart", "init", "start", "die", "cleanup", "destroy",
    ]  # fmt: skip
    assert {e.exit_code for e in restarted if e.action == "die"} == {3}
    # an ending of its own: podman leaves the exit code out when it is 0
    assert [e.exit_code for e in _about(events, "evfix-exit") if e.action == "die"] == [0]
    # out of memory and kill -9 from the host: a died 137, no oom, no kill
    for name in ("evfix-oom", "evfix-k9"):
        assert _actions(_about(events, name)) == ["create", "init", "start", "die", "cleanup", "destroy"]
        assert _about(events, name)[3].exit_code == 137
    health = next(e for e in events if e.action == "health_status")
    assert health.health == "starting" and health.name == "evfix-h"  # `podman healthcheck run`: no timers here


def test_podman_networks_volumes_images() -> None:
    events = parse_events(fixture(f"events-{PODMAN}.jsonl"))
    b = next(e.actor_id for e in events if e.name == "evfix-b")
    connect, disconnect = (e for e in events if e.kind == "network")  # podman 4.3: no create or remove
    assert (connect.action, connect.name, connect.container, connect.actor_id) == ("connect", "evfix-n", b, "")
    assert disconnect.action == "disconnect"
    volume = [(e.action, e.actor_id, e.name) for e in events if e.kind == "volume"]
    assert volume == [("create", "evfix-v", "evfix-v"), ("destroy", "evfix-v", "evfix-v")]
    images = [(e.action, e.name) for e in events if e.kind == "image" and e.action != "pull"]
    # rmi of one tag: untag and remove (read as delete), and the image stays
    assert images == [("tag", "evfix/tag:one"), ("untag", "localhost/evfix/tag:one"),
                      ("delete", "localhost/evfix/tag:one")]  # fmt: skip
    pull = next(e for e in events if e.action == "pull")
    assert (pull.actor_id, pull.name) == ("", "dockersim/busybox:latest")  # run says pull of a local image


def test_podman_system_refresh_is_a_daemon_event() -> None:
    # The first line of this machine's /run/libpod/events/events.log after a boot.
    line = '{"Status":"refresh","Time":"2026-12-06T22:48:41.022575271Z","Type":"system","Attributes":null}'
    event = parse_event(line)
    assert event is not None and (event.kind, event.action, event.attributes) == ("daemon", "refresh", ())


@pytest.mark.parametrize(
    ("time", "ns"),
    [
        ("2026-12-06T22:53:19.379374Z", 1796597599_379374000),  # podman drops trailing zeros
        ("2026-12-06T22:53:19Z", 1796597599_000000000),
        ("2026-12-06T23:53:19.5+01:00", 1796597599_500000000),  # a podman in another time zone
        ("2026-12-06T21:53:19.000000001-01:00", 1796597599_000000001),
    ],
)
def test_podman_times(time: str, ns: int) -> None:
    event = parse_event(json.dumps({"ID": "x", "Name": "n", "Status": "start", "Time": time, "Type": "container"}))
    assert event is not None and event.time_ns == ns


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "unexpected EOF",
        '{"status":"create","id":"ac74eb980436066aca69334cd9e65ba3a687c7',  # cut short
        "[1, 2]",
        '"a string"',
        '{"hello": "world"}',
        '{"Type":"container","Actor":{"ID":"x"},"time":1}',  # no action
        '{"Type":"container","Action":"start","Actor":{"ID":"x"}}',  # no time
        '{"Type":"container","Action":"start","Actor":{"ID":"x"},"timeNano":"1"}',
        '{"Status":"start","Type":"container","Time":"yesterday"}',
        '{"Status":"start","Type":"container","Time":"2026-13-06T22:53:19Z"}',
        '{"Status":"start","Time":"2026-12-06T22:53:19Z"}',  # no type
        "[" * 100000,
    ],
)
def test_what_is_not_an_event_is_skipped(line: str) -> None:
    assert parse_event(line) is None
    assert parse_events(f"{line}\n{_lines('events-28.jsonl')[0]}\n")[0].name == "evfix-a"


def test_odd_values_do_not_raise() -> None:
    line = ('{"Type":"container","Action":"die","Actor":{"ID":7,"Attributes":{"exitCode":"²","signal":null,'
            '"name":"x","n":1}},"time":5}')  # fmt: skip
    event = parse_event(line)
    assert event is not None and event.time_ns == 5_000_000_000
    assert (event.actor_id, event.exit_code, event.signal) == ("", None, None)
    assert dict(event.attributes) == {"exitCode": "²", "signal": "null", "name": "x", "n": "1"}
