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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from dockersim.scenario import TtyAction
from dockersim.terminal import clean, key_bytes

MARK = b"\x1b]777;dockersim;"
END = b"\x07"
POLL = 0.02  # seconds between two looks at the pty's mode while waiting to type (to TYPE_WAIT)
TYPE_WAIT = 2.0
KEEP = 1 << 18  # bytes of a command's output kept for its checks (a screenful is what matters)
_HISTORY_LINE = re.compile(r"^\s*(\d+)\*?\s+(.*)$", re.DOTALL)

BASH_RC = r"""# dockersim practice: your own ~/.bashrc, then a prompt hook that tells dockersim a command finished.
[ -f ~/.bashrc ] && . ~/.bashrc
HISTCONTROL= ; HISTSIZE=10000 ; HISTFILE='__HISTFILE__'
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
    _command_output: bytes = b""  # what the command running now wrote (its last KEEP bytes)
    _raw: bytes = b""  # output not yet passed on (a marker cut in two by a read)
    _in_command: bool = False
    _last_number: int = -1
    _to_type: str = ""  # typed at the next prompt (solve), once line editing reads the keyboard
    _type_by: float = 0.0
    _script: _Script | None = None
    _stop: bool = False
    _at_line_start: bool = True
    _wake: tuple[int, int] = (-1, -1)
    _notes: list[str] = field(default_factory=list)

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
        """End the shell (the last step is done, or dockersim was told to stop)."""
        self._stop = True
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGHUP)

    # -- the loop --------------------------------------------------------------------------------

    def run(self) -> int:
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
        stdin = sys.stdin.fileno()
        saved = termios.tcgetattr(stdin) if os.isatty(stdin) else None
        old = {s: signal.signal(s, self._signalled) for s in (signal.SIGWINCH, signal.SIGTERM, signal.SIGHUP)}
        try:
            self._resize()
            if saved is not None:
                tty.setraw(stdin)
            self._loop(stdin)
        finally:
            if saved is not None:
                termios.tcsetattr(stdin, termios.TCSAFLUSH, saved)
            for s, handler in old.items():
                signal.signal(s, handler)
            os.close(self.fd)
            for fd in self._wake:
                os.close(fd)
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)

    def _signalled(self, signum: int, _frame: object) -> None:
        if signum != signal.SIGWINCH:
            self.stop()
        os.write(self._wake[1], bytes([signum]))

    def _resize(self) -> None:
        try:
            size = fcntl.ioctl(sys.stdout.fileno(), termios.TIOCGWINSZ, b"\0" * 8)
        except OSError:
            size = struct.pack("HHHH", 24, 80, 0, 0)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, size)

    def _loop(self, stdin: int) -> None:
        reading = [self.fd, self._wake[0], stdin]
        while True:
            timeout = None
            if self._script is not None and self._script.started:
                timeout = max(0.0, self._script.deadline - time.monotonic())
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
                    _write_all(self.fd, data)
                else:
                    reading.remove(stdin)  # no more keyboard (a pipe ended): the shell reads EOF from its pty
            if self.fd in ready:
                data = _read(self.fd)
                if data is None:
                    return  # the shell and all it started are gone
                self._output(data)
            self._advance_script()

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
        return clean(self._command_output.decode("utf-8", "replace"))

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
        _write_all(self.fd, (text + "\r").encode())
        return True

    def _pass(self, data: bytes) -> None:
        if not data:
            return
        _write_all(sys.stdout.fileno(), data)
        self._at_line_start = data.endswith(b"\n")
        if self._in_command:
            self._command_output = (self._command_output + data)[-KEEP:]

    def _marker(self, marker: str) -> None:
        kind, _, rest = marker.partition(";")
        if kind == "start":
            self._in_command, self._command_output = True, b""
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
            self.handler.finished(self, self._last_number, m.group(2), int(status or 0), self.transcript)
            self._command_output = b""
        elif kind == "ask":
            self.handler.asked(self, rest)

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
                found = None
                try:
                    found = re.compile(script.resolve(action.text, True), re.MULTILINE).search(
                        self.transcript, script.at
                    )
                except Exception:  # a container it names is not there yet: look again at the next output
                    found = None
                if found is None:
                    if time.monotonic() >= script.deadline:
                        self._script = None
                        self.show([f"dockersim: {action.text!r} did not show; over to you"], "dim")
                    return
                script.at = found.end()
            elif action.kind == "send":
                _write_all(self.fd, (script.resolve(action.text, False) + "\r").encode())
            elif action.kind == "keys":
                _write_all(self.fd, "".join(key_bytes(k) for k in action.keys).encode())
            script.actions.pop(0)
            self._next_deadline()
        if script is not None and not script.actions:
            self._script = None


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
