"""What /proc says of this machine's processes: whether one lives, which it is for good (its start time), what
it runs, and which processes share a session, a process group, a mount namespace or a mark in their
environment. The one reader of /proc; every other module asks here."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

PROC = Path("/proc")


def boot_id() -> str:
    """This boot's ID: a process's number and start time name it for good within one boot."""
    try:
        return (PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat's fields after the command's name (state first); [] when there is no such process."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie does not)."""
    fields = _stat(pid)
    return bool(fields) and fields[0] != "Z"


def start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot: with the pid, it names one process for good.
    "" when there is no such process, or only its zombie (a parent that died leaves its children's)."""
    fields = _stat(pid)
    return "" if not fields or fields[0] == "Z" else fields[19]


def argv(pid: int) -> list[str]:
    """The process's command line; [] when it is gone."""
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def program(pid: int) -> str:
    """The name of the program a process runs (its argv[0]'s last part), "" when it is gone."""
    words = argv(pid)
    return words[0].rsplit("/", 1)[-1] if words else ""


def pids() -> Iterator[int]:
    """Every process's number, now."""
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            yield int(entry.name)


def mount_namespace(pid: int) -> str:
    """The process's mount namespace as /proc/PID/ns/mnt reads (`mnt:[ID]`); "" when it is gone."""
    try:
        return os.readlink(PROC / str(pid) / "ns" / "mnt")
    except OSError:
        return ""


def in_mount_namespace(namespace: str) -> set[int]:
    """The live processes in this mount namespace."""
    return {pid for pid in pids() if mount_namespace(pid) == namespace and alive(pid)}


def in_group(pgid: int) -> list[int]:
    """The processes of a process group (a terminal's foreground job)."""
    found = []
    for pid in pids():
        fields = _stat(pid)
        with contextlib.suppress(ValueError, IndexError):
            if fields and int(fields[2]) == pgid:
                found.append(pid)
    return found


def in_session(sid: int) -> list[int]:
    """The processes of a session."""
    found = []
    for pid in pids():
        with contextlib.suppress(OSError):
            if os.getsid(pid) == sid:
                found.append(pid)
    return found


def marked(mark: str) -> set[int]:
    """The live processes (but this one) whose environment holds `NAME=VALUE` mark."""
    wanted = mark.encode()
    found = set()
    for pid in pids():
        if pid == os.getpid():
            continue
        with contextlib.suppress(OSError):  # gone meanwhile, or not ours to read
            if wanted in (PROC / str(pid) / "environ").read_bytes().split(b"\0") and start_time(pid):
                found.add(pid)
    return found


def name(pid: int) -> str:
    """The process's name (its main thread's `comm`, 15 bytes at most); "" when it is gone."""
    try:
        return (PROC / str(pid) / "comm").read_text().rstrip("\n")
    except OSError:
        return ""


def rename_self(new: str) -> str:
    """Give every thread of this process the name `new` (cut to 15 bytes), and so every process it forks from
    now on, from the fork itself (a name is copied with the task, where the environment a child is given shows
    in /proc only once it execs); the main thread's name before. "" when it cannot be read or written."""
    old = name(os.getpid())
    with contextlib.suppress(OSError):
        for task in (PROC / "self" / "task").iterdir():
            with contextlib.suppress(OSError):  # a thread that ended meanwhile
                (task / "comm").write_bytes(new.encode()[:15])
    return old


def named(wanted: str) -> set[int]:
    """The live processes (but this one) whose name is `wanted`."""
    return {pid for pid in pids() if pid != os.getpid() and name(pid) == wanted and start_time(pid)}


def reads(pid: int) -> int | None:
    """How many read calls the process has made (`syscr` of /proc/PID/io); None where that cannot be read."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        lines = (PROC / str(pid) / "io").read_text().splitlines()
        return next(int(line.split()[1]) for line in lines if line.startswith("syscr:"))
    return None


def children(pid: int) -> list[int]:
    """The process's children (of its main thread)."""
    try:
        return [int(p) for p in (PROC / str(pid) / "task" / str(pid) / "children").read_text().split()]
    except (OSError, ValueError):
        return []


def mounts() -> list[list[str]]:
    """This process's mount table, a list of fields a mount (device, where, type, options, …)."""
    try:
        return [line.split() for line in (PROC / "self" / "mounts").read_text().splitlines()]
    except OSError:
        return []
