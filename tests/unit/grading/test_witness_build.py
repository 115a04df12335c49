"""A build's own doings, as the witness judges them (witness.py): the containers the classic builder makes for
a Dockerfile's steps are the build's, and so is their removal after a build killed at its time limit (the
engine removes them once the client is gone, after the build's window has ended)."""

from __future__ import annotations

from dockersim.engine.state import EngineEvent
from dockersim.grading.witness import judge, window_of

DOCKER = "/usr/bin/docker"
S = 1_000_000_000


def _event(action: str, at: int, ident: str = "c0ffee" * 10 + "abcd", kind: str = "container") -> EngineEvent:
    return EngineEvent(kind, action, ident, "busy_step", at, container=ident if kind == "container" else "")


def test_a_build_s_step_containers_are_its_own_even_after_it_was_stopped() -> None:
    window = window_of([DOCKER, "image", "build", "-t=slow:1", "--", "/ws"])
    assert window is not None and window.builds and window.creates and window.images
    window.start, window.end = 0, 10 * S
    events = [_event("create", 1 * S), _event("start", 2 * S), _event("kill", 30 * S), _event("die", 30 * S),
              _event("destroy", 31 * S)]  # fmt: skip
    assert judge(events, [window]) == ""
    stranger = _event("destroy", 32 * S, ident="feed" * 16)  # a container the build did not make
    assert judge([*events, stranger], [window]) == "container busy_step: destroy"


def test_a_run_s_container_is_not_a_build_s() -> None:
    window = window_of([DOCKER, "container", "run", "-d", "--name=web", "busybox"])
    assert window is not None and not window.builds
    window.start, window.end = 0, 10 * S
    events = [_event("create", 1 * S), _event("destroy", 31 * S)]
    assert judge(events, [window]) == "container busy_step: destroy"
