"""Machine-wide leases: what dockersim runs on one machine take so that none of them ever shares what it could
break — a sandbox slot (its name, network namespace, veth pair, subnet, remapped uids, cgroup and data root)
or a place among the users of the shared kit registry.

A lease is an exclusive flock on a file under `lease_root()`, taken by a run and handed, as a duplicate of
its descriptor, to the run's reaper (ownership.Ownership.hold): the kernel keeps it locked while either
process lives, so a killed run's slot stays taken until its reaper has stopped what the run started, and it
is free again the moment the last holder ends, whichever way (a reboot too). The file says who holds it, for
`dockersim engine status`; what it says is a note, the lock is the truth.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockersim.errors import DockersimError

RUN_ROOT = Path(os.environ.get("DOCKERSIM_RUN_ROOT", "/run/dockersim"))


def lease_root() -> Path:
    """Where leases live: under /run/dockersim for root (sandboxes are root's); a user's own runtime folder
    otherwise (the kit registry of a run on the user's engine)."""
    if os.geteuid() == 0:
        return RUN_ROOT / "leases"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) / "dockersim" if runtime else Path(f"/tmp/dockersim-{os.geteuid()}")
    return base / "leases"


@dataclass
class Lease:
    """One lease held by this process: `fd` carries the lock (and goes to the reaper as a duplicate)."""

    name: str
    path: Path
    fd: int

    def note(self, **holder: Any) -> None:
        """Say who holds it (engine status reads this); the lock itself is not changed."""
        data = json.dumps(holder, sort_keys=True).encode()
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, data + b"\n", 0)

    def release(self) -> None:
        """This process's hold ends (a reaper's duplicate, if any, is dropped by Ownership.drop)."""
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


def _open(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)


def try_take(name: str, **holder: Any) -> Lease | None:
    """The lease `name`, when no process holds it now; None when one does."""
    path = lease_root() / f"{name}.lock"
    fd = _open(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    lease = Lease(name, path, fd)
    lease.note(**holder)
    return lease


def take(name: str, deadline: float, **holder: Any) -> Lease | None:
    """The lease `name`, waited for until `deadline` (time.monotonic()); None when still held then."""
    while True:
        lease = try_take(name, **holder)
        if lease is not None or time.monotonic() >= deadline:
            return lease
        time.sleep(0.05)  # poll: a lock held by another run (or its reaper), bounded by the deadline


def held(name: str) -> bool:
    """Whether some process holds the lease now (asked without taking it for long)."""
    lease = try_take(name)
    if lease is None:
        return True
    lease.release()
    return False


def holder(name: str) -> dict[str, Any]:
    """What the holder of `name` said of itself ({} when nothing was said, or it cannot be read)."""
    try:
        data = json.loads((lease_root() / f"{name}.lock").read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def all_held() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every lease held now, with what its holder said of itself."""
    folder = lease_root()
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.lock")):
        name = path.name.removesuffix(".lock")
        if held(name):
            yield name, holder(name)


@contextlib.contextmanager
def mutex(name: str, timeout: float = 120.0) -> Iterator[None]:
    """A short critical section among every process of the machine (starting or stopping the registry)."""
    path = lease_root() / f"{name}.mutex"
    fd = _open(path)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DockersimError(f"{path} stayed locked for {timeout:g}s: is a dockersim run stuck?") from None
                time.sleep(0.05)  # poll: another run in the same critical section, bounded by the deadline
        yield
    finally:
        os.close(fd)
