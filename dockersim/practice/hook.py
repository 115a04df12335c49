"""The prompt hook in the learner's shell: the bash rc that makes it say, in invisible markers, when a command
starts and ends and when hint, solve or skip is asked; and the reading of those markers out of its output.

bash's PROMPT_COMMAND writes a marker when a command has finished (its exit status and the history line),
PS0 one when a command starts, and `hint`, `solve` and `skip` are shell functions that write one too.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

MARK = b"\x1b]777;dockersim;"
END = b"\x07"
HELD = 4096  # bytes of a marker begun but not ended held back before they count as plain output
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
__MORE__
printf '\033]777;dockersim;ready\007'
"""


def bash_rc(folder: Path, shim_dir: Path, more: str = "") -> Path:
    """The rc file the practice shell starts with: the learner's own ~/.bashrc, then the hook; `more`: bash of
    the caller's own, run last (`dockersim record` defines its `dsim` there)."""
    rc = folder / "bashrc"
    text = BASH_RC.replace("__HISTFILE__", str(folder / "history")).replace("__SHIM__", str(shim_dir))
    rc.write_text(text.replace("__MORE__\n", more.rstrip("\n") + "\n" if more else ""))
    return rc


@dataclass(frozen=True)
class Marker:
    """What the hook said: `start`, `done` (rest: status;history line in base64), `ask` (rest: hint, solve or
    skip) or `ready` (the rc ran)."""

    kind: str
    rest: str = ""


@dataclass(frozen=True)
class Finished:
    """A `done` marker read: the command's number in the shell's history, the line, its exit status."""

    number: int
    command: str
    status: int


def finished(rest: str) -> Finished | None:
    """A `done` marker's rest; None when its history line is not there (a shell with no history yet)."""
    status, _, encoded = rest.partition(";")
    try:
        line = base64.b64decode(encoded).decode("utf-8", "replace")
    except ValueError:
        line = ""
    m = _HISTORY_LINE.match(line.rstrip("\n"))
    if m is None:
        return None
    return Finished(int(m.group(1)), m.group(2), int(status) if status.isdigit() else 0)


class Markers:
    """The shell's output split into what goes on to the terminal and the hook's markers, in the order they
    stand in the stream, however the reads cut it."""

    def __init__(self) -> None:
        self._raw = b""  # output not yet passed on (a marker cut in two by a read)

    def split(self, data: bytes) -> list[bytes | Marker]:
        self._raw += data
        out: list[bytes | Marker] = []
        while True:
            at = self._raw.find(MARK)
            if at < 0:
                keep = _partial_mark(self._raw)
                out.append(self._raw[: len(self._raw) - keep])
                self._raw = self._raw[len(self._raw) - keep :]
                break
            end = self._raw.find(END, at)
            if end < 0 and len(self._raw) - at > HELD:  # not one of ours after all: plain output
                out.append(self._raw[: at + len(MARK)])
                self._raw = self._raw[at + len(MARK) :]
                continue
            if end < 0:
                out.append(self._raw[:at])
                self._raw = self._raw[at:]
                break
            out.append(self._raw[:at])
            kind, _, rest = self._raw[at + len(MARK) : end].decode("utf-8", "replace").partition(";")
            out.append(Marker(kind, rest))
            self._raw = self._raw[end + 1 :]
        return [piece for piece in out if piece]


def _partial_mark(data: bytes) -> int:
    """How many bytes at the end could begin a marker (held back until the next read)."""
    for n in range(min(len(MARK) - 1, len(data)), 0, -1):
        if MARK.startswith(data[-n:]):
            return n
    return 0
