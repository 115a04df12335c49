"""What one submission may use (a spec's `limits:`), and sizes as people write them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace

_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)


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
    try:
        size = int(float(found.group(1)) * _UNITS[found.group(2).lower()])
    except OverflowError:  # four hundred digits: float() says inf
        return None
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
