"""Which failing graded checks are worth another look: only those whose object may still change."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from dockersim.checks.vocabulary import Check, parse_check
from dockersim.engine.state import ContainerState, Mount
from dockersim.grading.settling import Look, cpu_sample, may_change, started
from dockersim.yamlfile.source import load_yaml
from tests.unit.conftest import fixture

NOW = datetime(2026, 11, 29, 20, 0, 30, tzinfo=timezone.utc)
HOUR_AGO = "2026-11-29T19:00:00.123456789Z"
SECONDS_AGO = {n: f"2026-11-29T20:00:{29 - n:02d}.5Z" for n in (0, 9, 24)}  # n.5 s ago


def check(text: str) -> Check:
    return parse_check(load_yaml(text, "spec.yaml"), "spec.yaml", 1)


def container(name: str, state: str, started_at: str = HOUR_AGO, **kw: object) -> ContainerState:
    return ContainerState(id=name * 4, name=name, image="img", state=state, started_at=started_at, **kw)  # type: ignore[arg-type]


def look(*containers: ContainerState, busy: dict[str, bool] | None = None) -> Look:
    return Look(list(containers), NOW, busy=(busy or {}).get)


def test_docker_s_start_times_are_read_to_the_microsecond() -> None:
    assert started(container("a", "running", "2026-11-29T20:00:10.5Z")) == NOW.replace(second=10, microsecond=500000)
    assert started(container("a", "created", "0001-01-01T00:00:00Z")) is None


def test_fields_fixed_at_creation_and_absent_objects_fail_at_once() -> None:
    young = look(container("db", "running", SECONDS_AGO[0]))
    assert not may_change(check("{container: db, image: mysql:5.7, env: {A: b}}"), young)
    assert not may_change(check("{container: gone, state: running}"), young)
    assert not may_change(check("{exec: {container: gone, command: cat /x}, stdout: hi}"), young)
    assert not may_change(check("{http: 'http://127.0.0.1:{host_port:gone:80/tcp}/'}"), young)
    assert not may_change(check("{image: mysql:5.7}"), young)
    assert not may_change(check("{volume: myvolume}"), young)


def test_what_a_container_does_by_itself_is_looked_at_again_while_it_may_change() -> None:
    state = check("{container: web, state: running}")
    http = check("{http: 'http://127.0.0.1:{host_port:web:80/tcp}/', status: [200, 302]}")
    exec_ = check("{exec: {container: web, command: cat /x}, stdout: hi}")
    for moving in (look(container("web", "restarting")), look(container("web", "created")),
                   look(container("web", "running", SECONDS_AGO[0])),  # just started, whatever it does
                   look(container("web", "running", SECONDS_AGO[9])),  # young, CPU use not known yet
                   look(container("web", "running", SECONDS_AGO[9]), busy={"web": True}),
                   look(container("web", "running", health="starting"))):  # fmt: skip
        assert may_change(state, moving) and may_change(http, moving) and may_change(exec_, moving)
    for settled in (look(container("web", "running")), look(container("web", "exited")),
                    look(container("web", "running", SECONDS_AGO[9]), busy={"web": False}),  # young but idle
                    look(container("web", "running", SECONDS_AGO[24]), busy={"web": True})):  # fmt: skip
        assert not may_change(state, settled) and not may_change(http, settled) and not may_change(exec_, settled)


def test_a_service_waits_for_what_it_needs_and_a_file_for_who_may_write_it() -> None:
    http = check("{http: 'http://127.0.0.1:{host_port:web:80/tcp}/', status: [200, 302]}")
    web, db = container("web", "running", SECONDS_AGO[9]), container("db", "running", SECONDS_AGO[9])
    assert may_change(http, look(web, db, busy={"web": False, "db": True}))  # the database is coming up
    assert not may_change(http, look(web, db, busy={"web": False, "db": False}))
    # A service that answers with the wrong status is up; its own CPU is our requests, its database's is not.
    assert not may_change(http, look(web, db, busy={"web": True, "db": False}), failed=["status"])
    assert may_change(http, look(web, db, busy={"web": True, "db": False}), failed=["http"])

    bind = [Mount("bind", "/var/lib/mysql", source="/ws/home/wordpress_db")]
    host_file = check("{host_file: /home/wordpress_db/wordpress, exists: true}")
    binding = container("db", "running", SECONDS_AGO[0], mounts=bind)
    other = container("other", "running", SECONDS_AGO[0], mounts=[Mount("bind", "/x", source="/ws/etc")])
    rerooted = Look([binding, other], NOW, host_path=lambda p: "/ws" + p)
    assert may_change(host_file, rerooted)
    assert not may_change(host_file, Look([other, container("web", "running", SECONDS_AGO[0])], NOW,
                                          host_path=lambda p: "/ws" + p))  # fmt: skip

    volume = [Mount("volume", "/root", name="myvolume")]
    exec_ = check("{exec: {container: reader, command: cat /root/volume}, stdout: hi}")
    reader = container("reader", "running", mounts=volume)
    writer = container("writer", "running", SECONDS_AGO[0], mounts=volume)
    assert may_change(exec_, look(reader, writer))
    assert not may_change(exec_, look(reader, container("stranger", "running", SECONDS_AGO[0])))


@pytest.mark.parametrize("client", ["20", "28", "podman43"])
def test_cpu_use_is_read_from_the_stats_stream_between_its_redraws(client: str) -> None:
    # st_db spins, st_idle sleeps: docker redraws between frames, podman prints one after another.
    samples = [s for s in map(cpu_sample, fixture(f"stats-{client}.txt").splitlines()) if s is not None]
    assert {name for name, _ in samples} == {"st_db", "st_idle"}
    assert max(cpu for name, cpu in samples if name == "st_db") > 90
    assert samples[-1][1] < 1 if samples[-1][0] == "st_idle" else samples[-2][1] < 1
    assert cpu_sample("gone\t--") is None
    assert cpu_sample(" \x1b[K") is None


def test_a_container_made_with_other_mounts_keeps_them_whatever_its_state_does() -> None:
    both = check("{container: web, state: running, mounts: [{type: volume, name: v, destination: /root}]}")
    young = look(container("web", "running", SECONDS_AGO[0]))
    assert may_change(both, young, failed=["state"])
    assert not may_change(both, young, failed=["mounts"])


def test_one_low_reading_is_not_yet_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    """A service pauses between phases (an entrypoint waiting for its first server): a young container is
    idle only once its readings have stayed low for QUIET seconds, and busy while a high one is recent."""
    from dockersim.grading import settling

    clock = [100.0]
    monkeypatch.setattr("dockersim.grading.settling.time.monotonic", lambda: clock[0])
    activity = settling.Activity(None)  # type: ignore[arg-type]  # no docker: readings are fed below
    activity._proc = object()  # type: ignore[assignment]  # as if its stats stream were started

    def reading(cpu: str, at: float) -> None:
        clock[0] = at
        line = f"db\t{cpu}\n"
        activity._read(SimpleNamespace(stdout=[line]))  # type: ignore[arg-type]

    reading("0.00%", 100.0)  # the client's first frame: not counted
    assert activity.busy("db") is None
    reading("80.00%", 100.5)
    assert activity.busy("db") is True
    reading("0.40%", 101.0)  # a pause right after: still busy
    assert activity.busy("db") is True
    reading("0.30%", 102.5)
    assert activity.busy("db") is False  # low for QUIET seconds: idle
    assert activity.busy("other") is None
