"""When a failing graded check is worth another look: only while what it looks at can still change.

After a submission has run, nothing changes on its private engine but what its containers do by
themselves: a container still being created or restarting, one whose health check is starting, or a
service started moments ago that is still coming up (a database initialising, WordPress). Coming up is
read, not guessed: a young container counts while it uses the CPU, as `docker stats` reports it, and an
idle one has finished starting. Fields fixed when a container was created (image, mounts, env, ports,
links …), objects that do not exist, and host files no moving container binds cannot change, so a
check of them fails at once; `settle` stays the upper bound for the rest.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timezone

from dockersim.checks.container import ContainerCheck
from dockersim.checks.probes import ExecCheck, HostFileCheck, HttpCheck
from dockersim.checks.vocabulary import Check, bare
from dockersim.engine.client import Docker
from dockersim.engine.process import kill_group
from dockersim.engine.state import ContainerState
from dockersim.scenario import placeholders

JUST_STARTED = 1.0  # seconds after its start in which a container counts as coming up whatever it does
YOUNG = 20.0  # seconds after its start in which a container still using the CPU counts as coming up
BUSY = 10.0  # CPU per cent (of one core) above which a young container is still coming up
QUIET = 1.5  # seconds of readings under BUSY before a young container counts as idle: services pause
# between phases (an entrypoint waiting for its first server), and one low reading is not yet idle
# Fixed when a container was created; `network connect` is a command, and by now the commands have all run.
FIXED_AT_CREATION = {"image", "command", "hostname", "name", "env", "ports", "links", "mounts", "volumes_from",
                     "networks"}  # fmt: skip
_STARTED = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?")
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
STATS_FORMAT = "{{.Name}}\t{{.CPUPerc}}"  # one container a line, in docker's and podman's stats alike


def started(c: ContainerState) -> datetime | None:
    """StartedAt as docker prints it (nanoseconds, Z), or None before the first start."""
    m = _STARTED.match(c.started_at or "")
    if m is None or c.started_at.startswith("0001-"):
        return None
    fraction = (m.group(2) or "0")[:6].ljust(6, "0")
    return datetime.fromisoformat(f"{m.group(1)}.{fraction}+00:00")


def _unknown(_name: str) -> bool | None:
    return None


@dataclass
class Look:
    """What the engine holds at one look: its containers, the time, and whether a container uses the CPU
    (True or False, or None while that is not known: then a young container counts as coming up)."""

    containers: list[ContainerState]
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    busy: Callable[[str], bool | None] = _unknown
    host_path: Callable[[str], str] = str  # a check's host path as the engine sees it (re-rooted in grading)


def in_flux(c: ContainerState, look: Look) -> bool:
    """Whether this container may still change by itself."""
    if c.state in ("created", "restarting") or c.health == "starting":
        return True
    at = started(c)
    if c.state != "running" or at is None:
        return False
    age = (look.now - at).total_seconds()
    return age < JUST_STARTED or (age < YOUNG and look.busy(c.name) is not False)


def _named(check: Check) -> list[str]:
    if isinstance(check, ContainerCheck):
        return [check.ref]
    if isinstance(check, ExecCheck):
        return [check.container]
    if isinstance(check, HttpCheck):
        return [p.container for p in placeholders.find(check.url) if p.kind in ("host_port", "ip")]
    return []


def _sources(c: ContainerState) -> set[str]:
    return {m.name or m.source for m in c.mounts if m.name or m.source}


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def may_change(check: Check, look: Look, failed: Collection[str] = ()) -> bool:
    """Whether a failing check could pass on a later look, given what the engine holds now and the fields
    it failed on (a container made with other mounts keeps them, whatever its state does)."""
    check = bare(check)
    if isinstance(check, ContainerCheck) and (
        set(check.fields) <= FIXED_AT_CREATION or set(failed) & FIXED_AT_CREATION
    ):
        return False
    by_name = {c.name: c for c in look.containers}
    named = [by_name.get(n) for n in _named(check)]
    if any(c is None for c in named):
        return False  # the submission has run: what it did not make will not appear
    found = [c for c in named if c is not None]
    if isinstance(check, ContainerCheck):
        return any(in_flux(c, look) for c in found)
    if isinstance(check, ExecCheck):  # what it reads may be written by any container sharing its mounts
        shared = set().union(*(_sources(c) for c in found))
        return any(in_flux(c, look) for c in look.containers if c in found or _sources(c) & shared)
    if isinstance(check, HttpCheck):  # a service answers once what it needs (a database …) is up too
        answered = bool(set(failed) - {"http"})  # it is up, and busy with our own requests: look past it
        return any(in_flux(c, look) for c in look.containers if not (answered and c in found))
    if isinstance(check, HostFileCheck):  # only a moving container that binds the file's folder may write it
        path = look.host_path(check.path)
        return any(in_flux(c, look) for c in look.containers
                   if any(m.source and _within(path, m.source) for m in c.mounts))  # fmt: skip
    return False  # images, volumes, counts: made (or not) by the submission's commands, which have all run


class Activity:
    """How much CPU each running container uses, from one `docker stats` stream read by a thread, started
    by start() or the first question. The client shows 0.00% until the engine has sampled a container
    twice, a second apart, so a reading counts once it differs from the first one or a second has passed
    since that; None until then. A container is idle once its readings have stayed under BUSY for QUIET
    seconds, busy while one of them in that time was above."""

    SAMPLED = 1.25  # seconds after a container's first reading by which the engine has sampled it twice

    def __init__(self, docker: Docker) -> None:
        self.docker = docker
        self._first: dict[str, tuple[float, float]] = {}  # name -> (when, first CPU reading)
        self._counted: dict[str, float] = {}  # name -> when its first reading counted
        self._last_busy: dict[str, float] = {}  # name -> when it last read BUSY or more
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None

    def busy(self, name: str) -> bool | None:
        self.start()
        now = time.monotonic()
        with self._lock:
            counted, last_busy = self._counted.get(name), self._last_busy.get(name)
        if last_busy is not None and now - last_busy < QUIET:
            return True
        if counted is None or now - counted < QUIET:
            return None  # not known yet: too few readings to call it idle
        return False

    def start(self) -> Activity:
        if self._proc is not None:
            return self
        # podman samples every 5 s unless asked; docker redraws its own stream about once a second.
        every = list(self.docker.flavour.stats_options)
        self._proc = proc = subprocess.Popen(
            self.docker.argv(["stats", *every, "--format", STATS_FORMAT]),
            env=self.docker.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            errors="replace",
            start_new_session=True,  # close() ends it and what it started (a podman sandbox's podman)
        )  # it writes a frame every 0.5 s, so it dies of EPIPE soon after we do
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()
        return self

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            sample = cpu_sample(line)
            if sample is None:
                continue
            name, cpu = sample
            now = time.monotonic()
            when, first = self._first.setdefault(name, (now, cpu))
            if cpu != first or now - when >= self.SAMPLED:
                with self._lock:
                    self._counted.setdefault(name, now)
                    if cpu >= BUSY:
                        self._last_busy[name] = now

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            kill_group(self._proc)
            self._proc.wait()


def cpu_sample(line: str) -> tuple[str, float] | None:
    """(name, CPU per cent) from one line of `docker stats --format STATS_FORMAT`, which docker redraws with
    escape sequences between frames and podman prints a frame after another; None for anything else ("--"
    for a stopped container)."""
    name, tab, cpu = _ESCAPE.sub("", line).strip().partition("\t")
    try:
        return (name.lstrip("/"), float(cpu.strip().rstrip("%"))) if tab and name else None
    except ValueError:
        return None
