"""solve leaves no input for the learner's shell: what it types at a client that does not pass it on (2.2.1's
`docker run -t` without -i) is shown, as a person's keys would be, then dropped from the terminal's queue
before the shell could read it as a command when the client ends."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import termios
import time
from pathlib import Path

import pytest

from dockersim.dockercli import commandline
from dockersim.practice.tracker import Progress, Tracker
from dockersim.practice.watch import Watch
from dockersim.scenario.loader import parse_scenario
from tests.unit.practice.test_hints import Failing

T_ONLY = """\
schema_version: 1
title: t
images: {ubuntu: ubuntu:14.04}
steps:
  - name: -t alone
    task: {en: run it with a terminal and no input, ko: 입력 없이 터미널만}
    run: >-
      docker run -t --name t_only {image.ubuntu} bash -c 'read -t 3 line; echo "read: [$line]"'
    tty:
      - send: hello
      - expect: '^read: \\[\\]'
      - expect: eof
"""


@pytest.mark.parametrize(
    ("line", "reads"),
    [
        ("docker run -t --name t u bash", False),
        ("docker run -d u", False),
        ("docker run -i u", True),
        ("docker container run -it u", True),
        ("docker exec -t c bash", False),
        ("docker exec -it c bash", True),
        ("docker attach c", True),
        ("docker attach --no-stdin c", False),
        ("docker start c", False),
        ("docker start -ai c", True),
        ("docker container prune", True),  # it reads its own y/N
    ],
)
def test_which_clients_pass_what_is_typed_on(line: str, reads: bool) -> None:
    assert commandline.reads_input(line.split()) is reads


def test_solve_of_the_t_only_step_says_its_input_goes_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    scenario = parse_scenario(T_ONLY, str(tmp_path / "t.yaml"))
    tracker = Tracker(scenario, Failing(), Progress(scenario.path))
    tracker.start()
    solution = tracker.solve()
    assert solution is not None and not solution.reads_input
    assert [a.kind for a in solution.actions] == ["send", "expect", "eof"]


def queued(fd: int) -> int:
    return int(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])


def echoed(master: int, text: bytes) -> bytes:
    seen = b""
    deadline = time.monotonic() + 5
    while text not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            seen += os.read(master, 1024)
    return seen


@pytest.mark.parametrize("reads_input", [True, False])
def test_what_a_client_will_not_read_is_echoed_then_dropped(reads_input: bool) -> None:
    master, terminal = os.openpty()  # the terminal end as the shell and its foreground client share it
    try:
        watch = Watch([], {}, Failing())  # type: ignore[arg-type]
        watch.fd = master
        (watch._send if reads_input else watch._send_unread)(b"hello\r")
        assert b"hello" in echoed(master, b"hello")  # the learner sees what solve typed
        deadline = time.monotonic() + 5
        while reads_input and not queued(terminal) and time.monotonic() < deadline:
            time.sleep(0.001)  # poll: the terminal takes the line in
        assert queued(terminal) == (6 if reads_input else 0)  # "hello\n" waits for a reader, or is gone
    finally:
        os.close(master)
        os.close(terminal)
