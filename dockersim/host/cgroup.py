"""A cgroup of this machine's, v1 or v2: made with bounds on memory, processes and CPU, and read back for
what its processes met of them. Every container of a sandbox is made under one (its --cgroup-parent)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from dockersim.errors import DockersimError
from dockersim.host import proc
from dockersim.host.limits import Limits

CGROUP_TOP = Path("/sys/fs/cgroup")


class CgroupError(DockersimError):
    pass


def unified() -> bool:
    """Whether this machine runs cgroup v2 alone (a v1 or hybrid machine has controllers of its own)."""
    return (CGROUP_TOP / "cgroup.controllers").exists()


def _v1_mount(controller: str) -> Path | None:
    """Where cgroup v1 mounts a controller (`cpu` may share a folder with cpuacct)."""
    for parts in proc.mounts():
        if len(parts) >= 4 and parts[2] == "cgroup" and controller in parts[3].split(","):
            return Path(parts[1])
    return None


def _write(path: Path, value: str) -> None:
    try:
        path.write_text(value)
    except OSError as e:
        raise CgroupError(f"could not set {path} to {value}: {e.strerror or e}") from None


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
            raise CgroupError(f"this machine's cgroups have no {', '.join(sorted(missing))} controller to bound "
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
            with contextlib.suppress(CgroupError):  # a machine without swap has no swap.max
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
        self.remove()
        self.bound(limits)

    def _everywhere(self) -> list[Path]:
        """Its folder in every hierarchy (v1 or v2), wherever it was made."""
        return [*CGROUP_TOP.glob(self.name), *CGROUP_TOP.glob(f"*/{self.name}")]

    def processes(self) -> set[int]:
        """The live processes in it or below it, in any hierarchy."""
        found: set[int] = set()
        for folder in self._everywhere():
            for procs in folder.glob("**/cgroup.procs"):
                with contextlib.suppress(OSError, ValueError):  # removed meanwhile
                    found.update(int(line) for line in procs.read_text().split())
        return {pid for pid in found if proc.alive(pid)}

    def remove(self) -> None:
        """It and those below it, in every hierarchy, once no process is left in them."""
        for folder in self._everywhere():
            for below in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                with contextlib.suppress(OSError):
                    below.rmdir()
            with contextlib.suppress(OSError):
                folder.rmdir()

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
