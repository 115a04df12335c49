"""The learner's own shell on a pty that this process passes through, watched: the loop between the keyboard,
the shell and the terminal, and what the prompt hook's markers (hook.py) tell it.

Keystrokes go to the shell and its output to the terminal unchanged (raw mode: colours, line editing,
Ctrl+C and window size are the shell's). The markers are taken out of the output; what a command wrote
between them is its transcript, the screen a person read (engine/screen.py). Every wait is on the pty or a
signal, with a deadline where dockersim itself waits for the screen.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from dockersim.engine import keystrokes
from dockersim.engine.screen import Screen
from dockersim.engine.terminal import COLUMNS, ROWS
from dockersim.host import proc
from dockersim.host.interrupts import Interrupted
from dockersim.i18n.phrase import localise, said, say
from dockersim.practice.hook import Marker, Markers, finished
from dockersim.practice.solve import Script
from dockersim.scenario.model import TtyAction

POLL = 0.02  # seconds between two looks at the pty's mode while waiting to type (to TYPE_WAIT)
TYPE_WAIT = 2.0
SEND_WAIT = 10.0  # seconds input may wait for a shell that reads nothing (a paste into a hung program)
KEY_WAIT = 0.5  # seconds the foreground program gets to read a control key before the next one is written
GRACE = 2.0  # seconds a shell told to stop (or its jobs) has before it is killed
READY_WAIT = 15.0  # seconds for the shell's rc to say it runs practice's hook
HISTORY = 5000  # lines of a command's output kept above the screen for its checks


class Handler(Protocol):
    def finished(self, watch: Watch, number: int, command: str, status: int, transcript: str) -> None: ...

    def asked(self, watch: Watch, what: str) -> None: ...


@dataclass
class Watch:
    """One practice shell: run() until it exits, returning its exit status."""

    argv: list[str]
    env: dict[str, str]
    handler: Handler
    colour: bool = False
    lang: str = "en"  # of what dockersim itself says here
    fd: int = -1  # the pty's master
    pid: int = 0
    _screen: Screen | None = None  # what the command running now has shown
    _size: tuple[int, int] = (ROWS, COLUMNS)
    _markers: Markers = field(default_factory=Markers)
    _in_command: bool = False
    _last_number: int = -1
    _to_type: str = ""  # typed at the next prompt (solve), once line editing reads the keyboard
    _type_by: float = 0.0
    _script: Script | None = None
    _stop_by: float = 0.0  # when a shell told to stop is killed
    _ready: bool = False  # the shell's rc ran (its marker came)
    _ready_by: float = 0.0
    _exited: int | None = None
    signalled: int = 0  # SIGTERM or SIGHUP that ended practice
    _at_line_start: bool = True
    _wake: tuple[int, int] = (-1, -1)
    # Told of the keys typed, before they reach the shell or the command it runs (in_command says which; the
    # command's screen is what they answered): `dockersim record` writes them down as a tty step's actions.
    on_input: Callable[[Watch, bytes], None] | None = None

    # -- what the handler may do ---------------------------------------------------------------

    def show(self, lines: list[str], style: str = "") -> None:
        """Lines of dockersim's own, on the learner's terminal (raw mode: CR LF)."""
        if not lines:
            return
        codes = {"dim": "\x1b[2m", "bold": "\x1b[1m", "cyan": "\x1b[36m"}
        on, off = (codes.get(style, ""), "\x1b[0m") if self.colour and style else ("", "")
        text = "".join(f"{on}{line}{off}\r\n" for line in lines)
        if not self._at_line_start:  # a detached client leaves the cursor after the container's prompt
            text = "\r\n" + text
        _write_all(sys.stdout.fileno(), text.encode())
        self._at_line_start = True

    def tell(self, key: str, style: str = "", /, **values: object) -> None:
        """A sentence of the catalogue, said by dockersim on the learner's terminal in their language."""
        values = {k: localise(v, self.lang) if isinstance(v, str) else v for k, v in values.items()}
        self.show([f"dockersim: {say(key, self.lang, **values)}"], style)

    def type_at_prompt(self, text: str, actions: list[TtyAction], resolve: Callable[[str, bool], str],
                       reads_input: bool = True) -> None:  # fmt: skip
        """Type a command line at the next prompt, then carry out its tty actions on what it shows. reads_input:
        whether the command passes what is typed on to its container (else what is typed is dropped once shown,
        so that it is not left for the shell)."""
        self._to_type, self._type_by = text, time.monotonic() + TYPE_WAIT
        self._script = Script(actions, resolve, reads_input=reads_input) if actions else None

    def stop(self) -> None:
        """End the shell and what it started: a hangup now, a kill if they are still there after GRACE."""
        if not self._stop_by:
            self._stop_by = time.monotonic() + GRACE
        self._signal_session(signal.SIGHUP)

    # -- the loop --------------------------------------------------------------------------------

    def run(self) -> int:
        """Until the shell has exited; its exit status. A SIGTERM or SIGHUP to dockersim ends the shell,
        then raises Interrupted, as elsewhere."""
        import pty

        self._wake = os.pipe()
        for fd in self._wake:
            os.set_blocking(fd, False)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the learner's shell
            try:
                os.execvpe(self.argv[0], self.argv, self.env)
            finally:
                os._exit(127)
        os.set_blocking(self.fd, False)
        self._ready_by = time.monotonic() + READY_WAIT
        stdin = sys.stdin.fileno()
        saved = termios.tcgetattr(stdin) if os.isatty(stdin) else None
        watched = (signal.SIGWINCH, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD)
        old = {s: signal.signal(s, self._signalled) for s in watched}
        try:
            self._resize()
            if saved is not None:
                tty.setraw(stdin)
            self._loop(stdin)
        finally:
            if self._exited is None:  # left by an exception: the shell goes too
                self.stop()
            with contextlib.suppress(OSError, termios.error):
                if saved is not None:
                    termios.tcsetattr(stdin, termios.TCSAFLUSH, saved)
            for s, handler in old.items():
                signal.signal(s, handler)
            for fd in (self.fd, *self._wake):
                with contextlib.suppress(OSError):
                    os.close(fd)
        status = self._reap()
        if self.signalled:
            raise Interrupted(self.signalled)
        return status

    def _signalled(self, signum: int, _frame: object) -> None:
        if signum in (signal.SIGTERM, signal.SIGHUP):
            self.signalled = self.signalled or signum
            self.stop()
        with contextlib.suppress(OSError):
            os.write(self._wake[1], bytes([signum]))

    def _signal_session(self, signum: int) -> None:
        """The shell and every process of its session (background jobs outlive it otherwise)."""
        for pid in _session(self.pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signum)

    def _exited_now(self) -> bool:
        if self._exited is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self._exited = os.waitstatus_to_exitcode(status)
        return self._exited is not None

    def _reap(self) -> int:
        """The shell's exit status, waiting for it to a deadline, then killing it (a `trap '' HUP`)."""
        deadline = time.monotonic() + GRACE
        while not self._exited_now():
            if time.monotonic() >= deadline:
                self._signal_session(signal.SIGKILL)
                deadline = time.monotonic() + GRACE
            time.sleep(POLL)  # poll: the shell ending after its hangup, to the deadline
        return self._exited if self._exited is not None else 0

    def _resize(self) -> None:
        try:
            size = fcntl.ioctl(sys.stdout.fileno(), termios.TIOCGWINSZ, b"\0" * 8)
        except OSError:
            size = struct.pack("HHHH", 24, 80, 0, 0)
        with contextlib.suppress(OSError):
            fcntl.ioctl(self.fd, termios.TIOCSWINSZ, size)
        rows, columns = struct.unpack("HHHH", size)[:2]
        self._size = (rows or ROWS, columns or COLUMNS)

    def _loop(self, stdin: int) -> None:
        reading = [self.fd, self._wake[0], stdin]
        while True:
            if self._exited_now():  # the shell is gone: what it wrote last, then its jobs go too
                while data := _read(self.fd):
                    self._output(data)
                self._signal_session(signal.SIGHUP)
                return
            now = time.monotonic()
            if self._stop_by and now >= self._stop_by:
                self._signal_session(signal.SIGKILL)
            if not self._ready and self._ready_by and now >= self._ready_by:
                self._ready_by = 0.0
                self.tell("practice_no_hook", "bold")
            deadlines = [d for d in (self._stop_by, self._ready_by if not self._ready else 0.0) if d]
            if self._script is not None and self._script.started:
                deadlines.append(self._script.deadline)
            timeout = max(0.0, min(deadlines) - now) if deadlines else None
            if self._to_type and not self._in_command:
                timeout = 0.0 if self._type_now() else POLL
            ready, _, _ = select.select(reading, [], [], timeout)  # the pty, the keyboard, a signal, a deadline
            if self._wake[0] in ready:
                while _read(self._wake[0]):
                    pass
                self._resize()
            if stdin in ready:
                data = _read(stdin)
                if data:
                    self._type(data)
                else:
                    reading.remove(stdin)  # no more keyboard (a pipe ended): the shell reads EOF from its pty
            if self.fd in ready:
                data = _read(self.fd)
                if data is None:
                    self._exited_now()
                    return  # the shell and all it started are gone
                self._output(data)
            self._advance_script()

    def _type(self, data: bytes) -> None:
        """The learner's keys, a control key at a time (Ctrl+P, Ctrl+Q that came in one read), each read by
        the program in the foreground before the next: podman's client detaches only on keys read apart."""
        if self.on_input is not None:
            try:
                self.on_input(self, data)
            except Exception as e:  # the keys go on to the shell whatever the listener made of them
                self.tell("practice_not_checked", "bold", error=said(e))
        pieces = keystrokes.apart(data)
        for i, piece in enumerate(pieces):
            if i == len(pieces) - 1:
                self._send(piece)
                break
            try:
                job = keystrokes.group(os.tcgetpgrp(self.fd))
            except OSError:
                job = []
            before = keystrokes.reads(job)
            self._send(piece)
            keystrokes.wait_taken(self.fd, job, before, timeout=KEY_WAIT)

    def _send(self, data: bytes) -> None:
        """Input for the shell; while the pty cannot take more, its output is read meanwhile (a paste
        larger than the pty's buffer must not deadlock against the echo)."""
        deadline = time.monotonic() + SEND_WAIT
        while data and time.monotonic() < deadline:  # a shell that reads nothing for that long loses the rest
            try:
                data = data[os.write(self.fd, data) :]
            except BlockingIOError:
                readable, _, _ = select.select([self.fd], [self.fd], [], 1.0)  # until it can take more
                if readable:
                    out = _read(self.fd)
                    if out is None:
                        return
                    self._output(out)
            except OSError:
                return  # the shell is gone

    def _send_unread(self, data: bytes) -> None:
        """Input for a client that does not pass it on: written (the terminal echoes it, as it would a
        person's keys), then dropped from the terminal's queue before the shell could read it."""
        self._send(data)
        keystrokes.discard(self.fd, timeout=KEY_WAIT)

    # -- output ----------------------------------------------------------------------------------

    def _output(self, data: bytes) -> None:
        """Pass output on, marker by marker, handling each where it stands in the stream."""
        for piece in self._markers.split(data):
            if isinstance(piece, Marker):
                self._marker(piece)
            else:
                self._pass(piece)

    @property
    def columns(self) -> int:
        """The width of the screen the command running now (or just ended) is read on."""
        return self._screen.columns if self._screen is not None else self._size[1]

    @property
    def in_command(self) -> bool:
        """Whether a command the shell started is running (between the hook's start and done markers)."""
        return self._in_command

    @property
    def transcript(self) -> str:
        """The screen text the command running now (or just ended) wrote."""
        return self._screen.text() if self._screen is not None else ""

    def _type_now(self) -> bool:
        """Type what solve asked for once the shell's line editor reads the keyboard (the pty has left
        canonical mode: what is typed before that is echoed twice), polled to a deadline."""
        try:
            editing = not termios.tcgetattr(self.fd)[3] & termios.ICANON
        except termios.error:
            editing = True
        if not editing and time.monotonic() < self._type_by:
            return False
        text, self._to_type = self._to_type, ""
        self._send((text + "\r").encode())
        return True

    def _pass(self, data: bytes) -> None:
        if not data:
            return
        _write_all(sys.stdout.fileno(), data)
        self._at_line_start = data.endswith(b"\n")
        if self._in_command:
            if self._screen is None:
                self._screen = Screen(*self._size, history=HISTORY)
            self._screen.feed(data)

    def _marker(self, marker: Marker) -> None:
        handle = MARKERS.get(marker.kind)
        if handle is not None:
            handle(self, marker.rest)

    def _started(self, _rest: str) -> None:
        self._in_command, self._screen = True, None
        if self._script is not None:
            self._script.start()

    def _done(self, rest: str) -> None:
        self._in_command = False
        done = finished(rest)
        if done is None or done.number == self._last_number:
            return  # an empty line: no new command
        self._last_number = done.number
        if self._script is not None and self._script.started:
            self._script = None  # the command solve typed has ended
        try:
            self.handler.finished(self, done.number, done.command, done.status, self.transcript)
        except Exception as e:  # the learner's shell outlives any fault in judging one command
            self.tell("practice_not_checked", "bold", error=said(e))
        self._screen = None

    def _asked(self, what: str) -> None:
        try:
            self.handler.asked(self, what)
        except Exception as e:
            self.tell("practice_ask_failed", "bold", what=what, error=said(e))

    def _rc_ran(self, _rest: str) -> None:
        self._ready = True

    def _advance_script(self) -> None:
        """solve's tty actions, as far as what the command shows allows (solve.py)."""
        script = self._script
        if script is None or not script.started:
            return
        missed = script.advance(lambda: self.transcript, self._send if script.reads_input else self._send_unread)
        if script.over and self._script is script:
            self._script = None
        if missed is not None:
            self.tell("practice_not_shown", "dim", text=missed)


# What each of the hook's markers does (hook.py): a row a kind; a kind not here is not one of ours.
MARKERS: dict[str, Callable[[Watch, str], None]] = {
    "start": Watch._started,
    "done": Watch._done,
    "ask": Watch._asked,
    "ready": Watch._rc_ran,
}


def _session(sid: int) -> list[int]:
    """The processes of a session (read from /proc; where there is none, the shell's process group)."""
    found = proc.in_session(sid)
    if not Path("/proc/self").exists():
        with contextlib.suppress(OSError):
            return [-os.getpgid(sid)]  # kill(-pgid): the group
    return found or [sid]


def _read(fd: int) -> bytes | None:
    """What is there to read; None at the end (a pty's end is EIO on Linux)."""
    try:
        data = os.read(fd, 65536)
    except BlockingIOError:
        return b""
    except OSError as e:
        if e.errno == errno.EIO:
            return None
        raise
    return data or (None if fd != sys.stdin.fileno() else b"")


def _write_all(fd: int, data: bytes) -> None:
    while data:
        try:
            data = data[os.write(fd, data) :]
        except BlockingIOError:
            select.select([], [fd], [], 5.0)  # the terminal is slow to take output: wait until it can
