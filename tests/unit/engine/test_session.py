"""Session against a local shell, no engine: prompts, the echo of what was typed, keys, EOF, timeouts
that carry the screen, and the exit status; the screen a session shows, as a terminal draws it; and bounded
memory however much a program prints (a window of its text kept, its first megabytes recorded)."""

from __future__ import annotations

import os
import re
import sys

import pytest

from dockersim.engine.session import RECORDED, TEXT_KEPT, Session, SessionError

SHELL = ["/bin/sh", "-i"]
ENV = {**os.environ, "PS1": "sh$ ", "ENV": "", "TERM": "xterm"}


def test_prompt_send_answer_and_exit_status() -> None:
    s = Session(SHELL, ENV)
    try:
        s.expect(re.compile(r"sh\$ $", re.MULTILINE), 10)
        s.send_line("echo $((6 * 7))")
        s.expect(re.compile(r"^42$", re.MULTILINE), 10)  # the answer, not the echo of `6 * 7`
        s.send_line("exit 3")
        s.expect_eof(10)
        assert s.close(10) == 3
        assert any("42" in line for line in s.screen())
    finally:
        s.kill()


def test_echo_of_the_typed_line_does_not_count_as_the_answer() -> None:
    s = Session(SHELL, ENV)
    try:
        s.expect(re.compile(r"sh\$ $", re.MULTILINE), 10)
        s.send_line("true marker-xyz")
        with pytest.raises(SessionError) as e:
            s.expect(re.compile("marker-xyz"), 0.5)  # only the echo shows it: no answer contains it
        assert "within 0.5s" in str(e.value) and any("marker-xyz" in line for line in e.value.screen)
    finally:
        s.kill()


def test_ctrl_d_ends_the_shell_and_a_wait_after_eof_says_so() -> None:
    s = Session(SHELL, ENV)
    try:
        s.expect(re.compile(r"sh\$ $", re.MULTILINE), 10)
        s.send_keys(["ctrl-d"])
        s.expect_eof(10)
        with pytest.raises(SessionError, match="ended before"):
            s.expect(re.compile("never"), 1)
    finally:
        s.kill()


def test_keys_are_read_one_at_a_time() -> None:
    """As a person types them: podman's client knows its detach keys only when each comes in a read of its
    own, so the next key is written once the client has read the last."""
    reader = ("import os, sys, tty; tty.setraw(0); print('ready', flush=True); "
              "print(*(len(os.read(0, 64)) for _ in range(3)), flush=True)")  # fmt: skip
    s = Session([sys.executable, "-c", reader], ENV)
    try:
        s.expect(re.compile(r"^ready", re.MULTILINE), 10)
        s.send_keys(["ctrl-p", "ctrl-q", "a"])
        s.expect(re.compile(r"^1 1 1", re.MULTILINE), 10)
    finally:
        s.kill()


def test_the_screen_shown_is_what_a_terminal_draws_and_expectations_read_the_stream() -> None:
    """A redraw in place is in its last state and a long line wraps, on the screen; a regex still matches
    the stream's text (terminal.clean), where a line is never wrapped."""
    drawn = ("import os; os.write(1, b'pulling 10%\\r\\x1b[Kpulling 100%\\nold line\\n\\x1b[1A\\x1b[2Knew line\\n'"
             " + b'x' * 100 + b'\\nthe end\\n')")  # fmt: skip
    s = Session([sys.executable, "-c", drawn], ENV)
    try:
        s.expect(re.compile(r"^x{100}$", re.MULTILINE), 10)
        s.expect_eof(10)
        assert s.screen() == ["pulling 100%", "new line", "x" * 80, "x" * 20, "the end"]
        assert s.screen(2) == ["x" * 20, "the end"]
    finally:
        s.kill()


def test_a_session_keeps_a_window_of_its_text_and_records_its_first_megabytes() -> None:
    env = {**os.environ, "TERM": "xterm"}
    session = Session(["sh", "-c", "echo begin; yes | head -c 5000000; echo; echo the-end"], env)
    try:
        session.expect(re.compile(r"^begin", re.MULTILINE), 10)
        start = session.pos
        session.expect_eof(60)
        assert session.dropped > 0 and len(session.text) <= 2 * TEXT_KEPT
        assert session.pos == session.dropped + len(session.text)
        # A position taken before the text's start was let go still means the same place (runner's _aside).
        session.expect(re.compile(r"^the-end", re.MULTILINE), 1, start=start)
        assert session.screen()[-1] == "the-end"
        recorded = sum(len(output) for _, output in session.frames[:-1])
        assert RECORDED <= recorded < RECORDED + 65536
        assert "was not recorded" in session.frames[-1][1]
        assert session.close(10) == 0
    finally:
        session.kill()
