"""The prompt hook (practice/hook.py): its markers split out of the shell's output however the reads cut it
(the terminal gets the output without them, and each marker comes where it stands in the stream), a marker
that never ends passed on as output, and a `done` marker's history line read back."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from dockersim.practice.hook import END, HELD, MARK, Finished, Marker, Markers, bash_rc, finished


def mark(kind: str, rest: str = "") -> bytes:
    """A marker as the hook's bash writes it."""
    return MARK + (f"{kind};{rest}" if rest else kind).encode() + END


def history(line: str) -> str:
    """`history 1` as the hook sends it: base64 of the history line."""
    return base64.b64encode(line.encode()).decode()


DONE = "0;" + history("   12  echo hello\n")
# What the shell writes for one command, with an escape sequence of another program's (a title) that begins
# as a marker does, and colour.
STREAM: list[bytes | Marker] = [
    b"\x1b[32mlearner$\x1b[0m ",
    Marker("start"),
    b"hello\r\n\x1b]0;a title\x07",
    Marker("done", DONE),
    b"learner$ ",
    Marker("ask", "hint"),
    b"\x1b]",
]
DATA = b"".join(mark(p.kind, p.rest) if isinstance(p, Marker) else p for p in STREAM)


def read_in(pieces: list[bytes]) -> list[bytes | Marker]:
    """What the markers' reader makes of the output read in these pieces, adjacent output joined."""
    markers = Markers()
    out: list[bytes | Marker] = []
    for piece in pieces:
        for part in markers.split(piece):
            if isinstance(part, bytes) and out and isinstance(out[-1], bytes):
                out[-1] += part
            else:
                out.append(part)
    return out


def test_the_markers_come_out_where_they_stand_however_the_reads_cut_them() -> None:
    # The stream's last bytes could begin a marker: they are held until the next read.
    expected, held = STREAM[:-1], b"\x1b]"
    assert read_in([DATA]) == expected
    for cut in range(len(DATA) + 1):
        assert read_in([DATA[:cut], DATA[cut:]]) == expected, cut
    for first in range(0, len(DATA), 7):
        for second in range(first, len(DATA)):
            assert read_in([DATA[:first], DATA[first:second], DATA[second:]]) == expected, (first, second)
    assert read_in([DATA[i : i + 1] for i in range(len(DATA))]) == expected
    assert read_in([DATA, b"[0m"]) == [*expected, held + b"[0m"]  # not a marker after all: passed on


def test_a_marker_begun_is_held_until_it_ends() -> None:
    markers = Markers()
    assert markers.split(MARK + b"done;0;") == []
    assert markers.split(history("   3  ls").encode()) == []
    assert markers.split(END + b"$ ") == [Marker("done", "0;" + history("   3  ls")), b"$ "]


def test_a_marker_that_never_ends_is_output_and_nothing_of_it_is_lost() -> None:
    data = b"before " + MARK + b"x" * (HELD + 100) + b" after"
    pieces = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    assert read_in(pieces) == [data]


def test_a_done_marker_reads_the_command_and_its_status() -> None:
    assert finished(DONE) == Finished(12, "echo hello", 0)
    assert finished("127;" + history("    7* docker ps -a\n")) == Finished(7, "docker ps -a", 127)  # edited
    loop = "for i in 1 2\ndo echo $i\ndone"
    assert finished("1;" + history(f"   40  {loop}\n")) == Finished(40, loop, 1)  # a command of many lines
    assert finished("x;" + history("   41  true")) == Finished(41, "true", 0)


def test_a_done_marker_without_a_history_line_is_no_command() -> None:
    assert finished("0;") is None  # a shell with no history yet
    assert finished("0") is None
    assert finished("0;" + history("not a history line")) is None
    assert finished("0;%%%not base64") is None


def test_the_rc_keeps_history_in_the_practice_folder_and_puts_the_shim_first(tmp_path: Path) -> None:
    rc = bash_rc(tmp_path, tmp_path / "shim")
    text = rc.read_text()
    assert rc.parent == tmp_path and f"HISTFILE='{tmp_path / 'history'}'" in text
    assert f"PATH='{tmp_path / 'shim'}':$PATH" in text
    assert re.search(r"__[A-Z]+__", text) is None  # every placeholder filled
    assert text.rstrip().endswith("printf '\\033]777;dockersim;ready\\007'")  # the last thing the rc does
