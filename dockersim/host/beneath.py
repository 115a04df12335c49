"""Reading a file beneath a folder with no symbolic link followed: a submission's files, and what a container
left in a workspace, are read as what they are there, never as what a link points at.

The folder itself is the caller's (an admin's path, which may be reached through a link); below it, a link
at any component counts as leading out. openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) does it in one call
where the kernel has it (Linux 5.6); elsewhere each component is opened in turn with O_NOFOLLOW.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from dockersim.i18n.phrase import Phrase

# What a name can hold. Only a FILE is read; OUTSIDE is a path that names something above the folder (`..`).
FILE, SYMLINK, DIRECTORY, FIFO, SOCKET, DEVICE, OUTSIDE = (
    "file", "symlink", "directory", "fifo", "socket", "device", "outside"
)  # fmt: skip

# NONBLOCK: opening a FIFO never waits for a writer; NOCTTY: a terminal device never becomes ours.
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_LOOK = os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC  # what is there, without opening it for anything

_SYS_OPENAT2 = 437  # the same number on every architecture (syscalls from 424 on are shared)
_RESOLVE_NO_MAGICLINKS, _RESOLVE_NO_SYMLINKS, _RESOLVE_BENEATH = 0x02, 0x04, 0x08


class _OpenHow(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_uint64), ("mode", ctypes.c_uint64), ("resolve", ctypes.c_uint64)]


@dataclass(frozen=True)
class Found:
    """What a name beneath a folder holds: its kind and, of a file, its first `cap` bytes (`whole` when
    that is all of it)."""

    kind: str
    data: bytes = b""
    whole: bool = True
    names: int = 1  # how many names the file has on its filesystem (hard links: other names elsewhere)


def look(folder: str | Path, relative: str, cap: int) -> Found | None:
    """What `relative` names beneath `folder`, None when nothing is there (nor the folder); no symbolic link
    is followed on the way (one is Found as a SYMLINK). Of a regular file at most cap + 1 bytes are read;
    nothing else is read at all. A name the process may not open raises PermissionError."""
    parts = [p for p in relative.split("/") if p not in ("", ".")] or ["."]
    if relative.startswith("/") or ".." in parts:
        return Found(OUTSIDE)
    try:
        top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        try:
            fd = _open(top, parts, _READ)
        except OSError as e:
            return _refused(top, parts, e)
        try:
            return _read(fd, cap)
        finally:
            os.close(fd)
    finally:
        os.close(top)


def _refused(top: int, parts: list[str], error: OSError) -> Found | None:
    """What an open that failed says of the name: nothing there, a link, above the folder, or (ENXIO: a
    socket, a device without a driver) a kind fstat tells without opening it for reading."""
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return None
    if error.errno == errno.ELOOP:
        return Found(SYMLINK)
    if error.errno == errno.EXDEV:
        return Found(OUTSIDE)
    if error.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):
        fd = _open(top, parts, _LOOK)
        try:
            return Found(_kind(os.fstat(fd).st_mode))
        finally:
            os.close(fd)
    raise error


def _read(fd: int, cap: int) -> Found:
    found = os.fstat(fd)
    mode = found.st_mode
    if not stat.S_ISREG(mode):
        return Found(_kind(mode))
    chunks, size = [], 0
    while size <= cap:
        chunk = os.read(fd, min(cap + 1 - size, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    return Found(FILE, data[:cap], whole=len(data) <= cap, names=found.st_nlink)


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return FILE
    if stat.S_ISLNK(mode):
        return SYMLINK
    if stat.S_ISDIR(mode):
        return DIRECTORY
    if stat.S_ISFIFO(mode):
        return FIFO
    if stat.S_ISSOCK(mode):
        return SOCKET
    return DEVICE


def _open(top: int, parts: list[str], flags: int) -> int:
    """The last part opened with flags beneath the folder `top`, with no link followed at any part; errors as
    openat2 gives them (ELOOP for a link on the way, EXDEV for a way out)."""
    fd = _openat2(top, "/".join(parts), flags)
    return fd if fd is not None else _walk(top, parts, flags)


_openat2_missing = False  # ENOSYS once (an old kernel, a seccomp filter): the walk from then on


def _openat2(top: int, path: str, flags: int) -> int | None:
    """openat2 confined beneath `top`; None where the kernel (or a seccomp filter) does not offer it."""
    global _openat2_missing
    if _openat2_missing:
        return None
    how = _OpenHow(flags, 0, _RESOLVE_BENEATH | _RESOLVE_NO_SYMLINKS | _RESOLVE_NO_MAGICLINKS)
    fd = int(_syscall(_SYS_OPENAT2, top, os.fsencode(path), ctypes.byref(how), ctypes.sizeof(how)))
    if fd >= 0:
        return fd
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EPERM):  # EPERM: a seccomp filter's answer; an open for reading never gives it
        _openat2_missing = True
        return None
    raise OSError(code, os.strerror(code), path)


def _walk(top: int, parts: list[str], flags: int) -> int:
    """Each folder on the way opened beneath the last with O_NOFOLLOW, then the name itself."""
    held: list[int] = []
    here = top
    try:
        for part in parts[:-1]:
            try:
                here = os.open(part, os.O_PATH | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=here)
            except NotADirectoryError:  # a link is not a folder either: say which it is, as openat2 would
                if stat.S_ISLNK(os.stat(part, dir_fd=here, follow_symlinks=False).st_mode):
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), part) from None
                raise
            held.append(here)
        return os.open(parts[-1], flags, dir_fd=here)
    finally:
        for fd in held:
            os.close(fd)


_libc = ctypes.CDLL(None, use_errno=True)
_syscall = _libc.syscall
_syscall.restype = ctypes.c_long
_syscall.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t]


def make_beneath(workspace: Path, path: str, owner: int) -> None:
    """The folders of `path` below the workspace that do not exist, each made owned by `owner` (root in the
    engine's containers), as dockerd makes a missing bind source. The workspace is the submission's: its
    containers may swap a folder on the way for a symlink meanwhile, so each step is taken from the folder
    before it, never following a symlink (O_NOFOLLOW); a step that is not a folder ends it."""
    try:
        rest = Path(path).relative_to(workspace)
    except ValueError:
        return  # not below the workspace: vetting refused it, or it is not ours to make
    if ".." in rest.parts:
        return
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        here = os.open(workspace, flags)
    except OSError:
        return
    try:
        for name in rest.parts:
            made = False
            try:
                below = os.open(name, flags, dir_fd=here)
            except FileNotFoundError:
                try:
                    os.mkdir(name, 0o755, dir_fd=here)
                    below = os.open(name, flags, dir_fd=here)
                    made = True
                except OSError:
                    return  # made meanwhile as something else: podman says what it finds
            except OSError:
                return  # a symlink or a file: not followed
            os.close(here)
            here = below
            if made and os.fstat(here).st_uid == os.geteuid():  # the folder just made, not one swapped in
                os.fchown(here, owner, owner)
    finally:
        os.close(here)


class Refused(Exception):
    """A submission line that does not run, with the reason in one sentence."""


def inside(workspace: Path, host_path: str) -> str:
    """host_path as seen from the workspace: absolute paths start at its root, relative ones in it; `..`
    and symlinks are resolved first, and a path that would leave the workspace is refused."""
    root = workspace.resolve()
    try:
        candidate = Path(os.path.normpath(root / host_path.lstrip("/~")))
        resolved = candidate.resolve()  # a symlink made by an earlier container must not lead out either
    except (OSError, ValueError) as e:
        raise Refused(Phrase("r_host_path_bad", path=host_path, error=str(e))) from None
    if resolved != root and root not in resolved.parents:
        raise Refused(Phrase("r_outside", path=host_path))
    return str(resolved)
