"""A docker client under a pseudo-terminal, its output read two ways: as a stream of text, escape sequences
taken out (terminal.clean), which expectations match in order; and as the screen a person would have seen,
drawn by a terminal emulator (screen.py), which a failed step shows.

Every wait is on output or EOF with a deadline; a timeout carries the last screen.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Sequence

import pexpect

from dockersim.engine import keystrokes
from dockersim.engine.screen import Screen
from dockersim.engine.terminal import COLUMNS, ESCAPE, ROWS, clean, key_bytes
from dockersim.errors import DockersimError
from dockersim.i18n.phrase import Phrase

HANG_UP_READ = 2.0  # seconds to read what a killed client still had on its pty, until EOF
TEXT_KEPT = 1 << 20  # characters of screen text kept (up to twice that between trims): expectations look late
RECORDED = 2 << 20  # characters of output recorded for a recording; then one frame says the rest was not

__all__ = ["COLUMNS", "ROWS", "Session", "SessionError", "clean", "key_bytes"]


class SessionError(DockersimError):
    """An expectation of a session was not met; carries the last screen."""

    def __init__(self, message: str, screen: list[str]) -> None:
        self.screen, self.phrase = screen, message  # a Phrase, said in the report's language
        super().__init__(message)


class Session:
    """One interactive docker client (run -it, attach, exec -it, start -ai) on a fixed-size pty."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.argv = argv
        self.child = pexpect.spawn(
            argv[0],
            argv[1:],
            env=env,
            dimensions=(ROWS, COLUMNS),
            encoding="utf-8",
            codec_errors="replace",
            timeout=None,
        )
        # pexpect sleeps before every send and after close by default; every wait here is on an event.
        self.child.delaybeforesend = None
        self.child.delayafterclose = 0
        self.child.delayafterterminate = 0
        # … and so does ptyprocess under it, 0.1 s on every close: each tty step paid it. (Its
        # delayafterterminate stays: terminate() needs it to see a signalled child die.)
        self.child.ptyproc.delayafterclose = 0
        # The cleaned screen text read so far, its last TEXT_KEPT characters at least: a client that prints
        # for as long as it may (`yes`) holds no more memory than that. Positions (pos, an expectation's
        # start) count from the session's first character, `dropped` of which are no longer in text.
        self.text = ""
        self.dropped = 0
        self._pending = ""  # an escape sequence cut in two by a read
        self._shown = Screen(ROWS, COLUMNS)  # the same output, as a terminal of the pty's size draws it
        self.pos = 0  # where the next expectation starts looking
        self._echo = ""  # the last line typed: its echo is not output to match
        self._echo_from = 0
        self.eof = False
        self.exit_status: int | None = None
        self.started = time.monotonic()
        self.frames: list[tuple[float, str]] = []  # (seconds since start, output) for asciicast recordings
        self._recorded = 0  # characters of output in frames

    # -- reading -------------------------------------------------------------------------------

    def _feed(self, chunk: str) -> None:
        self._shown.feed(chunk)
        if chunk and self._recorded < RECORDED:
            at = time.monotonic() - self.started
            self.frames.append((at, chunk))
            self._recorded += len(chunk)
            if self._recorded >= RECORDED:
                self.frames.append((at, f"\r\n{Phrase('session_not_recorded', mib=RECORDED >> 20)}\r\n"))
        data = self._pending + chunk
        cut = data.rfind("\x1b")
        if cut != -1 and not ESCAPE.match(data, cut) and len(data) - cut < 32:
            data, self._pending = data[:cut], data[cut:]
        else:
            self._pending = ""
        # A CR at the very end may be the first half of CRLF: hold it for the next read.
        if data.endswith("\r"):
            data, self._pending = data[:-1], "\r" + self._pending
        self._add(clean(data))

    def _add(self, text: str) -> None:
        self.text += text
        if len(self.text) > 2 * TEXT_KEPT:  # trimmed now and then, not at every read: each trim copies the rest
            cut = len(self.text) - TEXT_KEPT
            self.text, self.dropped = self.text[cut:], self.dropped + cut

    def _read(self, deadline: float) -> bool:
        """Wait for more output until the deadline; False on timeout; sets eof at the end of output."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            self._feed(self.child.read_nonblocking(65536, timeout=remaining))
            return True
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            self.eof = True
            self._feed("")
            if self._pending:
                self._add(clean(self._pending))
                self._pending = ""
            return False

    def _search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match in text from pos that is not the echo of the last line typed; its positions are
        in text (add `dropped` for the session's)."""
        start = max(0, self.pos - self.dropped)
        while True:
            m = pattern.search(self.text, start)
            if not m:
                return None
            if self._echo:
                e = self.text.find(self._echo, max(0, self._echo_from - self.dropped))
                if e != -1 and e <= m.start() < e + len(self._echo):
                    # What matched is the terminal echoing what was typed, not the program's answer.
                    start = max(m.start() + 1, e + len(self._echo))
                    continue
            return m

    def expect(self, pattern: re.Pattern[str], timeout: float, start: int | None = None) -> re.Match[str]:
        """Wait for the pattern in what was read from `start` (default: where the last match ended): a position
        as `pos` gives it, still valid after the text's oldest part is let go."""
        if start is not None:
            self.pos = start
        deadline = time.monotonic() + timeout
        while True:
            m = self._search(pattern)
            if m:
                self.pos = self.dropped + m.end()
                return m
            if self.eof:
                raise SessionError(Phrase("session_ended_before", pattern=pattern.pattern), self.screen())
            if not self._read(deadline) and not self.eof:
                raise SessionError(Phrase("session_no_match", pattern=pattern.pattern, seconds=timeout), self.screen())

    def expect_eof(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.eof:
            if not self._read(deadline) and not self.eof:
                raise SessionError(Phrase("session_no_end", seconds=timeout), self.screen())
        self.pos = self.dropped + len(self.text)

    # -- writing -------------------------------------------------------------------------------

    def send_line(self, line: str) -> None:
        self._echo, self._echo_from = line, self.pos
        self.child.send(line + "\r")

    def send_keys(self, keys: Sequence[str]) -> None:
        """Press keys one after the other, as a person does: each is read by the client before the next is
        written (keystrokes.wait_taken)."""
        for i, key in enumerate(keys):
            job = self._foreground()
            before = keystrokes.reads(job)
            self.child.send(key_bytes(key))
            if i < len(keys) - 1:
                keystrokes.wait_taken(self.child.child_fd, job, before)

    def _foreground(self) -> list[int]:
        """The processes that read the terminal: its foreground job (a client, or nsenter and its podman)."""
        try:
            return keystrokes.group(os.tcgetpgrp(self.child.child_fd))
        except OSError:
            return [self.child.pid]

    # -- ending --------------------------------------------------------------------------------

    def close(self, timeout: float = 10.0) -> int:
        """Wait for the client to end (reading what it still prints); kill it at the deadline."""
        deadline = time.monotonic() + timeout
        if not self.eof:
            try:
                self.expect_eof(timeout)
            except SessionError:
                # Client 28 ignores the first SIGINT/SIGTERM while attached: only SIGKILL ends it for sure.
                self.child.kill(9)
                self.eof = True
        # After EOF the client is exiting: wait for that, so its exit status is its own.
        while self.child.isalive() and time.monotonic() < deadline:
            time.sleep(0.002)  # poll: waitpid until the client has exited, bounded by the deadline
        self.child.close(force=True)
        status = self.child.exitstatus
        if status is None and self.child.signalstatus is not None:
            status = 128 + int(self.child.signalstatus)
        self.exit_status = status if status is not None else -1
        return self.exit_status

    def hang_up(self) -> None:
        """The terminal is closed: the client is killed, and what it printed until then is kept."""
        if self.child.isalive():
            self.child.kill(9)
        with contextlib.suppress(SessionError):
            self.expect_eof(HANG_UP_READ)
        self.eof = True

    def kill(self) -> None:
        if self.child.isalive():
            self.child.kill(9)
        self.child.close(force=True)

    def screen(self, lines: int = ROWS) -> list[str]:
        """The last lines of the screen as a person would have seen them (blank rows below them left out)."""
        return self._shown.lines()[-lines:]
