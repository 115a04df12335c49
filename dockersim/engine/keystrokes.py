"""Keys written into a pty as a person types them: each read by the program on the other side before the
next is written. podman's client recognises its detach keys only one key a read (docker's in any chunks),
so Ctrl+P, Ctrl+Q written at once would not detach it."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import termios
import time

from dockersim.host import proc

KEY_READ = 2.0  # seconds a program gets to read one key before the next is written
TIOCGPTN = 0x80045430  # the number of a pty master's /dev/pts/N (Linux)
# A control key (Ctrl+P, Ctrl+Q, Ctrl+X …, and Ctrl+H) is a key of its own; Enter, Tab, DEL (Backspace) and an
# escape sequence's ESC (arrow keys) go with what surrounds them.
_APART = re.compile(rb"([\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f])")


def apart(data: bytes) -> list[bytes]:
    """Input split where a person's separate keys are: each control key on its own, the rest as it came."""
    return [piece for piece in _APART.split(data) if piece]


def group(pgid: int) -> list[int]:
    """The processes of a process group (the terminal's foreground job: a client, or nsenter and the podman
    it forked)."""
    return proc.in_group(pgid)


def reads(pids: list[int]) -> int:
    """How many reads these processes have made, summed; -1 where that cannot be read."""
    counts = [proc.reads(pid) for pid in pids]
    return sum(c for c in counts if c is not None) if pids and None not in counts else -1


def wait_taken(master: int, pids: list[int], reads_before: int, timeout: float = KEY_READ) -> None:
    """Until the program reading the pty (processes `pids`, its foreground job) has read what was written,
    polled to a deadline: the terminal's input queue held the key and is empty again, or (the key taken
    before it was seen queued) is empty after a read of the program's. A pty hands what is written to its
    reader a moment later, so an empty queue alone is not enough; where the reads cannot be counted, it has
    to do."""
    deadline = time.monotonic() + timeout
    fd = _terminal(master)
    if fd is None:
        return  # no pty to ask (not Linux): the keys go as they are
    seen = False
    try:
        while time.monotonic() < deadline:
            queued = _queued(fd)
            seen = seen or queued > 0
            now = reads(pids)
            if not queued and (seen or now == -1 or now != reads_before):
                return
            time.sleep(0.001)  # poll: the program reads the key within a few milliseconds
    finally:
        os.close(fd)


def discard(master: int, timeout: float = KEY_READ) -> None:
    """Drop what was written into the pty that nothing has read: keys typed at a client that does not pass
    them on (`docker run -t` without -i), which the shell would otherwise read as a command when the client
    ends. Once the terminal has taken them in (and echoed them, as it does while they wait: the screen shows
    what was typed), polled to a deadline, its input queue is flushed."""
    fd = _terminal(master)
    if fd is None:
        return
    deadline = time.monotonic() + timeout
    try:
        while not _queued(fd) and time.monotonic() < deadline:
            time.sleep(0.001)  # poll: the terminal takes input in within a few milliseconds
        termios.tcflush(fd, termios.TCIFLUSH)
    except (OSError, termios.error):
        pass
    finally:
        os.close(fd)


def _terminal(master: int) -> int | None:
    """The terminal end of a pty (its /dev/pts/N), opened to ask about and act on its input queue."""
    try:
        number = struct.unpack("I", fcntl.ioctl(master, TIOCGPTN, b"\0" * 4))[0]
        return os.open(f"/dev/pts/{number}", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return None


def _queued(fd: int) -> int:
    """Bytes in a terminal's input queue that its reader may read now."""
    return int(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])
