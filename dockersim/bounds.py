"""Bounds on what one submission may use, enforced by the kernel and the engine, never by watching: memory,
processes and CPU on its sandbox's cgroup (v1 or v2), disk as a filesystem of its own for the sandbox's data
and workspace, log size and the number of containers by the engine and the grader.

Also what a submission hit, read back from the kernel's own counters (the cgroup's OOM kills, its refused
forks) and the disk's free space, so that its feedback can say which bound it met.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, fields, replace
from pathlib import Path

from dockersim.errors import DockersimError

CGROUP_TOP = Path("/sys/fs/cgroup")
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)
# Blocks only root may use: dockerd's own files (container configs, logs) still fit when a submission filled
# what it may use, so that the engine can be emptied after it.
ENGINE_RESERVE = 256 * 1024**2
# The stand-ins a grading sandbox keeps (about 1.1 GiB with userns-remap; podman's copy beside dockerd's on a
# slot both have used, and what loading them takes meanwhile) fit beside a submission's disk. The image is
# sparse: the machine's disk holds what is written, not this.
KIT_ROOM = 8 * 1024**3


class BoundsError(DockersimError):
    pass


def parse_size(value: object) -> int | None:
    """`2g`, `512MiB`, `10m`, or a number of bytes; None when it is none of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    found = _SIZE.fullmatch(value)
    if found is None:
        return None
    size = int(float(found.group(1)) * _UNITS[found.group(2).lower()])
    return size if size > 0 else None


def human(size: int) -> str:
    """A size as people write it: 2 GiB, 512 MiB, 10 MiB."""
    for unit, name in ((1024**4, "TiB"), (1024**3, "GiB"), (1024**2, "MiB"), (1024, "KiB")):
        if size >= unit:
            value = size / unit
            return f"{value:.0f} {name}" if value == int(value) else f"{value:.1f} {name}"
    return f"{size} B"


@dataclass(frozen=True)
class Limits:
    """What one submission may use; defaults sized so that a WordPress with MySQL keeps full marks and two
    submissions at their bounds fit a 2-core, 24 GiB machine."""

    memory: int = 2 * 1024**3  # bytes, every container of the submission together
    processes: int = 1024  # at once, every container together
    cpus: float = 0.0  # 0: the machine's CPUs shared out among the jobs (for_jobs)
    disk: int = 4 * 1024**3  # bytes written: images, containers' layers, volumes, the workspace
    log: int = 10 * 1024**2  # bytes of each container's log
    containers: int = 20  # made in all

    KEYS = ("memory", "processes", "cpus", "disk", "log", "containers")

    def for_jobs(self, jobs: int) -> Limits:
        """CPUs from the number of sandboxes at once, when the spec gives none: a share each, at least half
        a CPU."""
        if self.cpus:
            return self
        return replace(self, cpus=max(0.5, (os.cpu_count() or 1) / max(1, jobs)))

    def describe(self) -> dict[str, str]:
        """Each bound as results.json and README say it."""
        return {
            "memory": human(self.memory),
            "processes": str(self.processes),
            "cpus": f"{self.cpus:g}" if self.cpus else "a share of the machine's",
            "disk": human(self.disk),
            "log": f"{human(self.log)} a container",
            "containers": str(self.containers),
        }

    def container_options(self, log: bool = True) -> tuple[str, ...]:
        """The options that bound one container on an engine whose cgroups are not ours (a shared engine);
        log: its log driver takes max-size (json-file, local)."""
        size = ("--log-opt", f"max-size={self.log}") if log else ()
        return ("--memory", str(self.memory), "--memory-swap", str(self.memory),
                "--pids-limit", str(self.processes), *size)  # fmt: skip


assert {f.name for f in fields(Limits)} == set(Limits.KEYS)


# -- cgroups ---------------------------------------------------------------------------------------


def unified() -> bool:
    """Whether this machine runs cgroup v2 alone (a v1 or hybrid machine has controllers of its own)."""
    return (CGROUP_TOP / "cgroup.controllers").exists()


def _v1_mount(controller: str) -> Path | None:
    """Where cgroup v1 mounts a controller (`cpu` may share a folder with cpuacct)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[2] == "cgroup" and controller in parts[3].split(","):
                return Path(parts[1])
    return None


def _write(path: Path, value: str) -> None:
    try:
        path.write_text(value)
    except OSError as e:
        raise BoundsError(f"could not set {path} to {value}: {e.strerror or e}") from None


@dataclass(frozen=True)
class Cgroup:
    """The cgroup every container of a sandbox is made under (its --cgroup-parent), named `/NAME`."""

    name: str

    def folders(self) -> dict[str, Path]:
        """Its folder for each controller that bounds it (v2: one folder for all)."""
        if unified():
            return {c: CGROUP_TOP / self.name for c in ("memory", "pids", "cpu")}
        out = {}
        for controller in ("memory", "pids", "cpu"):
            mount = _v1_mount(controller)
            if mount is not None:
                out[controller] = mount / self.name
        return out

    def bound(self, limits: Limits) -> None:
        """Made (when missing) with the limits written: every process below it counts against them."""
        found = self.folders()
        missing = {"memory", "pids", "cpu"} - set(found)
        if missing:
            raise BoundsError(f"this machine's cgroups have no {', '.join(sorted(missing))} controller to bound "
                              "a submission with")  # fmt: skip
        if unified():
            with contextlib.suppress(OSError):  # the controllers handed down to the sandbox's cgroup
                (CGROUP_TOP / "cgroup.subtree_control").write_text("+memory +pids +cpu")
        for folder in set(found.values()):
            folder.mkdir(exist_ok=True)
        period = 100_000
        quota = max(1000, int(limits.cpus * period)) if limits.cpus else -1
        if unified():
            folder = found["memory"]
            _write(folder / "memory.max", str(limits.memory))
            with contextlib.suppress(BoundsError):  # a machine without swap has no swap.max
                _write(folder / "memory.swap.max", "0")
            _write(folder / "pids.max", str(limits.processes))
            _write(folder / "cpu.max", f"{quota if quota > 0 else 'max'} {period}")
            return
        _write(found["memory"] / "memory.limit_in_bytes", str(limits.memory))
        if (found["memory"] / "memory.memsw.limit_in_bytes").exists():  # swap counted too, where it is
            _write(found["memory"] / "memory.memsw.limit_in_bytes", str(limits.memory))
        _write(found["pids"] / "pids.max", str(limits.processes))
        _write(found["cpu"] / "cpu.cfs_period_us", str(period))
        _write(found["cpu"] / "cpu.cfs_quota_us", str(quota))

    def renew(self, limits: Limits) -> None:
        """Made afresh (when nothing runs below it), so that its peaks and counts are the next submission's
        alone; else its limits written again."""
        for folder in set(self.folders().values()):
            for below in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                with contextlib.suppress(OSError):
                    below.rmdir()
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.bound(limits)

    def counters(self) -> dict[str, int]:
        """What the kernel counted below this cgroup since it was made: `oom_kill`, processes killed for
        memory (v2 counts them here; v1 in each container's own cgroup, gone with it), `memory_peak`, the most
        memory in use at once, `processes_peak` and `fork_refused`, forks past the bound (v2; v1 counts them
        in the container's cgroup too)."""
        found = self.folders()
        out = {"oom_kill": 0, "memory_peak": 0, "processes_peak": 0, "fork_refused": 0}
        memory = found.get("memory")
        if memory is not None:
            source = memory / ("memory.events" if unified() else "memory.oom_control")
            out["oom_kill"] = _counter(source, "oom_kill")
            with contextlib.suppress(OSError, ValueError):
                peak = "memory.peak" if unified() else "memory.max_usage_in_bytes"
                out["memory_peak"] = int((memory / peak).read_text())
        pids = found.get("pids")
        if pids is not None:
            out["fork_refused"] = _counter(pids / "pids.events", "max")
            with contextlib.suppress(OSError, ValueError):
                out["processes_peak"] = int((pids / "pids.peak").read_text())
        return out


def _counter(path: Path, key: str) -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    return 0


# -- disk ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disk:
    """A sandbox's own filesystem (ext4 in a sparse file, loop-mounted at `mount`): its engine's data and its
    workspaces, so that what a submission writes, through any path, is bounded by the filesystem's size.
    A file of ballast leaves a submission exactly its bound once the kit's images are in."""

    image: Path
    mount: Path

    @property
    def ballast(self) -> Path:
        return self.mount / ".ballast"

    def mounted(self) -> bool:
        return os.path.ismount(self.mount)

    def up(self, size: int) -> None:
        """Mounted, at least `size` bytes big (made, or grown; its contents are kept between runs)."""
        if self.mounted():
            return
        for tool in ("mkfs.ext4", "resize2fs", "mount", "losetup"):
            if shutil.which(tool) is None:
                raise BoundsError(f"bounding a sandbox's disk needs {tool} (apt-get install e2fsprogs mount)")
        self.mount.mkdir(parents=True, exist_ok=True)
        fresh = not self.image.exists()
        if fresh:
            with open(self.image, "wb") as f:
                f.truncate(size)  # sparse: the machine's disk holds only what is written
            # -m: blocks kept for root (the engine), never for a container's remapped root.
            reserve = max(1, min(50, round(100 * ENGINE_RESERVE / size)))
            _run(["mkfs.ext4", "-q", "-F", "-m", str(reserve), "-E", "nodiscard", str(self.image)])
        elif self.image.stat().st_size < size:
            with open(self.image, "r+b") as f:
                f.truncate(size)
            _run(["e2fsck", "-f", "-y", str(self.image)], ok=(0, 1))
            _run(["resize2fs", str(self.image)])
        # discard: what is removed inside is given back to the machine's disk (a hole punched in the image)
        _run(["mount", "-o", "loop,discard,nosuid,nodev", str(self.image), str(self.mount)])
        self.ballast.unlink(missing_ok=True)  # a run that died left it: the kit may need the room

    def down(self) -> None:
        """Unmounted (its loop device goes with it); what it holds stays in the image for the next run."""
        if self.mounted():
            _run(["umount", str(self.mount)], ok=(0,))

    def open_up(self) -> None:
        """No ballast: the whole disk, for the kit's images between submissions."""
        self.ballast.unlink(missing_ok=True)

    def leave(self, room: int) -> None:
        """Ballast sized so that exactly `room` bytes are free for what is not root (a submission)."""
        self.ballast.unlink(missing_ok=True)
        spare = self.free() - room
        if spare > 0:
            fd = os.open(self.ballast, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                os.posix_fallocate(fd, 0, spare)
            finally:
                os.close(fd)

    def free(self) -> int:
        """Bytes free for what is not root."""
        found = os.statvfs(self.mount)
        return found.f_bavail * found.f_frsize


def _run(argv: list[str], ok: tuple[int, ...] = (0,)) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    if done.returncode not in ok:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise BoundsError(f"`{' '.join(argv)}` failed: {why}")
