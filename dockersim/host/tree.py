"""A folder copied to another without following a link out of it: a submission's files into its workspace,
and a build's context, as it is built, to where no container reaches.

Each folder is opened beneath the last with O_NOFOLLOW, so a link swapped in meanwhile is copied as the link
it is, never followed. A link is kept only when it resolves inside the copy as the kernel would resolve it
(`..` and the links on its way followed); one that leads out, or names an absolute path, is left out and
named. FIFOs, devices and sockets are left out too. What is copied is bounded in bytes and in entries."""

from __future__ import annotations

import os
import stat
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
MAX_HOPS = 40  # links followed in one resolution, as the kernel allows


@dataclass
class Copied:
    """What a copy took, and what it left out (paths relative to the copied folder)."""

    size: int = 0  # bytes of the files
    entries: int = 0  # files, folders and links
    links_out: list[str] = field(default_factory=list)  # links that lead out of the copy
    others: list[str] = field(default_factory=list)  # FIFOs, devices, sockets; hard links when not taken
    full: bool = False  # a bound was met: what came after it was not copied


class _Full(Exception):
    pass


@dataclass
class _Copy:
    owner: int | None
    max_bytes: int
    max_entries: int
    hard_links: bool
    done: Copied = field(default_factory=Copied)
    links: list[str] = field(default_factory=list)

    def entry(self) -> None:
        if self.done.entries >= self.max_entries:
            raise _Full
        self.done.entries += 1

    def own(self, name: str, fd: int, follow: bool = True) -> None:
        if self.owner is not None:
            os.chown(name, self.owner, self.owner, dir_fd=fd, follow_symlinks=follow)

    def folder(self, src: int, dst: int, here: str) -> None:
        for name in sorted(os.listdir(src)):
            self.entry()
            try:
                found = os.stat(name, dir_fd=src, follow_symlinks=False)
            except FileNotFoundError:
                continue  # removed since it was listed (a container at work in a workspace)
            path = f"{here}{name}"
            if stat.S_ISDIR(found.st_mode):
                os.mkdir(name, 0o700, dir_fd=dst)
                below_src = os.open(name, _DIR, dir_fd=src)
                below_dst = os.open(name, _DIR, dir_fd=dst)
                try:
                    self.folder(below_src, below_dst, f"{path}/")
                    os.utime(below_dst, ns=(found.st_atime_ns, found.st_mtime_ns))
                    os.chmod(below_dst, stat.S_IMODE(found.st_mode) & 0o777)
                finally:
                    os.close(below_src)
                    os.close(below_dst)
                self.own(name, dst)
            elif stat.S_ISLNK(found.st_mode):
                os.symlink(os.readlink(name, dir_fd=src), name, dir_fd=dst)
                self.own(name, dst, follow=False)
                self.links.append(path)
            elif stat.S_ISREG(found.st_mode) and (self.hard_links or found.st_nlink == 1):
                self.file(src, dst, name)
            else:
                self.done.others.append(path)

    def file(self, src: int, dst: int, name: str) -> None:
        try:
            fd = os.open(name, _READ, dir_fd=src)
        except FileNotFoundError:
            return  # removed since it was listed
        try:
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode):  # swapped for something else since it was looked at
                return
            out = os.open(name, _WRITE, stat.S_IMODE(found.st_mode) & 0o777, dir_fd=dst)
            try:
                while chunk := os.read(fd, 1 << 20):
                    if self.done.size + len(chunk) > self.max_bytes:
                        raise _Full
                    os.write(out, chunk)
                    self.done.size += len(chunk)
                os.fchmod(out, stat.S_IMODE(found.st_mode) & 0o777)
                os.utime(out, ns=(found.st_atime_ns, found.st_mtime_ns))
            finally:
                os.close(out)
        finally:
            os.close(fd)
        self.own(name, dst)


def copy_tree(source: Path, below: str, dest: Path, *, owner: int | None = None, max_bytes: int,
              max_entries: int, hard_links: bool = True) -> Copied:  # fmt: skip
    """What is at `below` beneath `source` (a folder, reached without a link on the way), copied to `dest`,
    which is made, or must be empty. `owner`: the uid and gid of everything copied (else root's). A link on
    the way to `below`, or `below` not a folder, raises OSError (ELOOP, ENOTDIR). `hard_links`: a file with
    other names is copied too (else left out: its other name may be anywhere on its filesystem)."""
    parts = [p for p in below.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise OSError(f"{below} leads out of {source}")
    held = [os.open(source, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)]
    try:
        for part in parts:
            held.append(os.open(part, _DIR, dir_fd=held[-1]))
        dest.mkdir(mode=0o700, exist_ok=True)
        out = os.open(dest, _DIR)
        copy = _Copy(owner, max_bytes, max_entries, hard_links)
        try:
            copy.folder(held[-1], out, "")
        except _Full:
            copy.done.full = True
        finally:
            os.close(out)
        if owner is not None:
            os.chown(dest, owner, owner)
    finally:
        for fd in held:
            os.close(fd)
    copy.done.links_out = _links_out(dest, copy.links)
    return copy.done


def _links_out(root: Path, links: list[str]) -> list[str]:
    """The links of the copy that lead out of it, removed; again until none does (a link removed changes where
    others lead). The copy is the caller's alone: nothing swaps its entries meanwhile."""
    out: list[str] = []
    while True:
        leading = [link for link in links if link not in out and not resolves_inside(root, link)]
        if not leading:
            return sorted(out)
        for link in leading:
            (root / link).unlink()
        out += leading


def resolves_inside(root: Path, link: str) -> bool:
    """Whether the link at `link` (relative to root) resolves inside root, as the kernel would resolve it:
    an absolute target, or `..` above root on the way, leads out; links on the way are followed (at most
    MAX_HOPS); from a name that does not exist on, the rest is read as written."""
    parts = link.split("/")[:-1]  # the folder the link is in: its target is read from there
    todo = deque(os.readlink(root / link).split("/"))
    if not todo or not todo[0]:
        return False  # absolute (or empty)
    hops = 0
    while todo:
        part = todo.popleft()
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return False
            parts.pop()
            continue
        try:
            found = os.lstat(root.joinpath(*parts, part))
        except OSError:
            parts.append(part)  # nothing there (or not a folder on the way): read as written from here
            continue
        if stat.S_ISLNK(found.st_mode):
            hops += 1
            target = os.readlink(root.joinpath(*parts, part))
            if hops > MAX_HOPS or target.startswith("/") or not target:
                return False
            todo.extendleft(reversed(target.split("/")))
            continue
        parts.append(part)
    return True
