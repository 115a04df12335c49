"""The learner's own shell on a pty that this process passes through, watched.

Keystrokes go to the shell and its output to the terminal unchanged (raw mode: colours, line editing,
Ctrl+C and window size are the shell's). The shell's prompt hook writes an invisible marker when a command
has finished (bash's PROMPT_COMMAND: its exit status and the history line), PS0 one when a command
starts, and `hint`, `solve` and `skip` are shell functions that write one too. The markers are taken out
of the output; what a command wrote between them is its transcript, as the screen text a person read.
Every wait is on the pty or a signal, with a deadline where dockersim itself waits for the screen.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dockersim.engine import keystrokes
from dockersim.engine.terminal import COLUMNS, ROWS, key_bytes, on_screen
from dockersim.errors import DockersimError
from dockersim.host import proc
from dockersim.host.interrupts import Interrupted
from dockersim.spec.model import TtyAction

MARK = b"\x1b]777;dockersim;"
END = b"\x07"
POLL = 0.02  # seconds between two looks at the pty's mode while waiting to type (to TYPE_WAIT)
TYPE_WAIT = 2.0
SEND_WAIT = 10.0  # seconds input may wait for a shell that reads nothing (a paste into a hung program)
KEY_WAIT = 0.5  # seconds the foreground program gets to read a control key before the next one is written
GRACE = 2.0  # seconds a shell told to stop (or its jobs) has before it is killed
READY_WAIT = 15.0  # seconds for the shell's rc to say it runs practice's hook
HELD = 4096  # bytes of a marker begun but not ended held back before they count as plain output
HISTORY = 5000  # lines of a command's output kept above the screen for its checks
_HISTORY_LINE = re.compile(r"^\s*(\d+)\*?\s+(.*)$", re.DOTALL)

BASH_RC = r"""# dockersim practice: your own ~/.bashrc, then a prompt hook that tells dockersim a command finished.
[ -f ~/.bashrc ] && . ~/.bashrc
unalias docker 2>/dev/null; unset -f docker 2>/dev/null
HISTCONTROL= ; HISTIGNORE= ; HISTSIZE=10000 ; HISTFILE='__HISTFILE__' ; set -o history
__dockersim_done() {
  local s=$?
  printf '\033]777;dockersim;done;%s;%s\007' "$s" "$(HISTTIMEFORMAT= builtin history 1 | base64 | tr -d '\n')"
  return $s
}
PROMPT_COMMAND="__dockersim_done${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
PS0=$'\033]777;dockersim;start\007'"${PS0:-}"
hint() { printf '\033]777;dockersim;ask;hint\007'; }
solve() { printf '\033]777;dockersim;ask;solve\007'; }
skip() { printf '\033]777;dockersim;ask;skip\007'; }
PATH='__SHIM__':$PATH
printf '\033]777;dockersim;ready\007'
"""


class Handler(Protocol):
    def finished(self, watch: Watch, number: int, command: str, status: int, transcript: str) -> None: ...

    def asked(self, watch: Watch, what: str) -> None: ...


@dataclass
class _Script:
    """`solve` for a tty step: after the typed command starts, each expect waited for on its transcript
    (to its timeout), then each send or key written, as a person would."""

    actions: list[TtyAction]
    resolve: Callable[
        [str, bool], str
    ]  # a template to text (or a regex); raises while a container it names is not there
    started: bool = False
    at: int = 0  # where in the transcript the next expect looks
    pattern: re.Pattern[str] | None = None  # the current expect, resolved
    deadline: float = 0.0


@dataclass
class Watch:
    """One practice shell: run() until it exits, returning its exit status."""

    argv: list[str]
    env: dict[str, str]
    handler: Handler
    colour: bool = False
    fd: int = -1  # the pty's master
    pid: int = 0
    _screen: Screen | None = None  # what the command running now has shown
    _size: tuple[int, int] = (ROWS, COLUMNS)
    _raw: bytes = b""  # output not yet passed on (a marker cut in two by a read)
    _in_command: bool = False
    _last_number: int = -1
    _to_type: str = ""  # typed at the next prompt (solve), once line editing reads the keyboard
    _type_by: float = 0.0
    _script: _Script | None = None
    _stop_by: float = 0.0  # when a shell told to stop is killed
    _ready: bool = False  # the shell's rc ran (its marker came)
    _ready_by: float = 0.0
    _exited: int | None = None
    signalled: int = 0  # SIGTERM or SIGHUP that ended practice
    _at_line_start: bool = True
    _wake: tuple[int, int] = (-1, -1)

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

    def type_at_prompt(self, text: str, actions: list[TtyAction], resolve: Callable[[str, bool], str]) -> None:
        """Type a command line at the next prompt, then carry out its tty actions on what it shows."""
        self._to_type, self._type_by = text, time.monotonic() + TYPE_WAIT
        self._script = _Script(actions, resolve) if actions else None

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
                self.show(["dockersim: your shell did not load practice's prompt hook (does ~/.bashrc start "
                           "another shell?): commands are not checked"], "bold")  # fmt: skip
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

    # -- output ----------------------------------------------------------------------------------

    def _output(self, data: bytes) -> None:
        """Pass output on, marker by marker, handling each where it stands in the stream."""
        self._raw += data
        while True:
            at = self._raw.find(MARK)
            if at < 0:
                keep = _partial_mark(self._raw)
                self._pass(self._raw[: len(self._raw) - keep])
                self._raw = self._raw[len(self._raw) - keep :]
                break
            end = self._raw.find(END, at)
            if end < 0 and len(self._raw) - at > HELD:  # not one of ours after all: plain output
                self._pass(self._raw[: at + len(MARK)])
                self._raw = self._raw[at + len(MARK) :]
                continue
            if end < 0:
                self._pass(self._raw[:at])
                self._raw = self._raw[at:]
                break
            self._pass(self._raw[:at])
            marker = self._raw[at + len(MARK) : end].decode("utf-8", "replace")
            self._raw = self._raw[end + 1 :]
            self._marker(marker)

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
                self._screen = Screen(*self._size)
            self._screen.feed(data)

    def _marker(self, marker: str) -> None:
        kind, _, rest = marker.partition(";")
        if kind == "start":
            self._in_command, self._screen = True, None
            if self._script is not None:
                self._script.started = True
                self._next_deadline()
        elif kind == "done":
            self._in_command = False
            status, _, encoded = rest.partition(";")
            try:
                line = base64.b64decode(encoded).decode("utf-8", "replace")
            except ValueError:
                line = ""
            m = _HISTORY_LINE.match(line.rstrip("\n"))
            if m is None or int(m.group(1)) == self._last_number:
                return  # an empty line: no new command
            self._last_number = int(m.group(1))
            if self._script is not None and self._script.started:
                self._script = None  # the command solve typed has ended
            try:
                self.handler.finished(self, self._last_number, m.group(2), int(status or 0), self.transcript)
            except Exception as e:  # the learner's shell outlives any fault in judging one command
                self.show([f"dockersim: could not check that command: {e}"], "bold")
            self._screen = None
        elif kind == "ask":
            try:
                self.handler.asked(self, rest)
            except Exception as e:
                self.show([f"dockersim: could not {rest}: {e}"], "bold")
        elif kind == "ready":
            self._ready = True

    # -- solve's tty actions ---------------------------------------------------------------------

    def _next_deadline(self) -> None:
        script = self._script
        if script is not None and script.actions:
            script.deadline = time.monotonic() + script.actions[0].timeout

    def _advance_script(self) -> None:
        script = self._script
        while script is not None and script.started and script.actions:
            action = script.actions[0]
            if action.kind == "expect":
                if script.pattern is None:
                    # Resolved once: a container it names not there yet is looked up again at the next output.
                    with contextlib.suppress(DockersimError):
                        script.pattern = re.compile(on_screen(script.resolve(action.text, True)), re.MULTILINE)
                found = script.pattern.search(self.transcript, script.at) if script.pattern else None
                if found is None:
                    if time.monotonic() >= script.deadline:
                        self._script = None
                        self.show([f"dockersim: {action.text!r} did not show; over to you"], "dim")
                    return
                script.at = found.end()
            elif action.kind == "send":
                self._send((script.resolve(action.text, False) + "\r").encode())
            elif action.kind == "keys":
                self._send("".join(key_bytes(k) for k in action.keys).encode())
            script.actions.pop(0)
            script.pattern = None
            self._next_deadline()
        if script is not None and not script.actions:
            self._script = None


class Screen:
    """A terminal emulator (pyte) fed one command's output: the text a person sees, redraws applied (a
    progress bar rewritten in place is its last state), with the lines scrolled off above kept."""

    def __init__(self, rows: int, columns: int) -> None:
        import pyte  # only practice emulates a screen

        self.screen = pyte.HistoryScreen(columns, rows, history=HISTORY, ratio=0.5)
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)

    def text(self) -> str:
        width = self.screen.columns
        above = ["".join(line[x].data for x in range(width)).rstrip() for line in self.screen.history.top]
        shown = [line.rstrip() for line in self.screen.display]
        cursor = self.screen.cursor  # a prompt's last space stays: the cursor stands after it
        upto = "".join(self.screen.buffer[cursor.y][x].data for x in range(cursor.x))
        if len(upto) > len(shown[cursor.y]):
            shown[cursor.y] = upto
        lines = [*above, *shown]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n" if lines else ""


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


def _partial_mark(data: bytes) -> int:
    """How many bytes at the end could begin a marker (held back until the next read)."""
    for n in range(min(len(MARK) - 1, len(data)), 0, -1):
        if MARK.startswith(data[-n:]):
            return n
    return 0


def bash_rc(folder: Path, shim_dir: Path) -> Path:
    rc = folder / "bashrc"
    rc.write_text(BASH_RC.replace("__HISTFILE__", str(folder / "history")).replace("__SHIM__", str(shim_dir)))
    return rc
