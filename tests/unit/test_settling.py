"""Which failing graded checks are worth another look: only those whose object may still change."""

from __future__ import annotations

from datetime import datetime, timezone

from dockersim.checks import Check, parse_check
from dockersim.settling import may_change, started
from dockersim.state import ContainerState
from dockersim.yamlsource import load_yaml

NOW = datetime(2026, 11, 29, 20, 0, 30, tzinfo=timezone.utc)


def check(text: str) -> Check:
    return parse_check(load_yaml(text, "spec.yaml"), "spec.yaml", 1)


def container(
    name: str, state: str, started_at: str = "2026-11-29T19:00:00.123456789Z", **kw: object
) -> ContainerState:
    return ContainerState(id=name * 4, name=name, image="img", state=state, started_at=started_at, **kw)  # type: ignore[arg-type]


def test_docker_s_start_times_are_read_to_the_microsecond() -> None:
    assert started(container("a", "running", "2026-11-29T20:00:10.5Z")) == NOW.replace(second=10, microsecond=500000)
    assert started(container("a", "created", "0001-01-01T00:00:00Z")) is None


def test_fields_fixed_at_creation_and_absent_objects_fail_at_once() -> None:
    young = [container("db", "running", "2026-11-29T20:00:25Z")]
    assert not may_change(check("{container: db, image: mysql:5.7, env: {A: b}}"), young, NOW)
    assert not may_change(check("{container: gone, state: running}"), young, NOW)
    assert not may_change(check("{image: mysql:5.7}"), young, NOW)
    assert not may_change(check("{volume: myvolume}"), young, NOW)


def test_what_a_container_does_by_itself_is_looked_at_again_while_it_may_change() -> None:
    state = check("{container: web, state: running}")
    http = check("{http: 'http://127.0.0.1:{host_port:web:80/tcp}/', status: [200, 302]}")
    exec_ = check("{exec: {container: web, command: cat /x}, stdout: hi}")
    for moving in (container("web", "restarting"), container("web", "created"),
                   container("web", "running", "2026-11-29T20:00:20Z"),
                   container("web", "running", health="starting")):  # fmt: skip
        assert may_change(state, [moving], NOW) and may_change(http, [moving], NOW) and may_change(exec_, [moving], NOW)
    settled = container("web", "running")  # started an hour ago
    assert not may_change(state, [settled], NOW) and not may_change(http, [settled], NOW)
    assert not may_change(state, [container("web", "exited")], NOW)
    host_file = check("{host_file: /home/x, exists: true}")
    assert may_change(host_file, [settled, container("db", "running", "2026-11-29T20:00:29Z")], NOW)
    assert not may_change(host_file, [settled], NOW)
