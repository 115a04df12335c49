"""A witness of one submission's grading: the engine's own event stream, read while the submission and its
checks run, against the moments the grader itself was acting on the engine. What the engine reports at any
other moment, and could not have done by itself, was done by someone else (a neighbour, an admin's stray
command); an engine that went away or restarted is seen too. Either way the grading is disturbed, and its
score is not one to give.

The engine does some things by itself — a process ends (die, oom, exec_die), a health check reports, a
restart policy starts a container again, an autoremove container is destroyed with its anonymous volumes,
networks and volumes let go of a container that stopped — and those are no one's. A change made from outside
at the very moment the grader's own command runs is taken for that command's: the stream does not say who
asked.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from dockersim.dockercli import commandline
from dockersim.engine.client import Docker
from dockersim.engine.parse.events import parse_event
from dockersim.engine.process import kill_group
from dockersim.engine.state import EngineEvent

# Verbs whose calls change nothing on the engine: what happens while only they run is not the grader's.
READ_ONLY = frozenset({
    "container ls", "container inspect", "inspect", "container logs", "container port", "container stats",
    "image ls", "image inspect", "image history", "volume ls", "volume inspect", "network ls", "network inspect",
    "version", "info", "system info", "system df", "system events", "events",
})  # fmt: skip
AFTER = 50_000_000  # ns after a command returns in which the engine may still report what it did (the
# engine stamps an event as it happens, before it answers the command; only what ends by itself comes later)
SETTLED = 10_000_000_000  # ns after a container's end in which the engine removes it (autoremove) by itself
MAX_EVENTS = 200_000  # a stream longer than this (a submission that floods it) is judged on what was kept
# What the engine does by itself, whenever it happens: (kind, action).
_BY_ITSELF = frozenset({
    ("container", "die"), ("container", "oom"), ("container", "health_status"), ("container", "exec_die"),
    ("container", "exec_detach"), ("container", "cleanup"), ("container", "unmount"), ("container", "detach"),
    ("network", "disconnect"), ("volume", "unmount"),
})  # fmt: skip


@dataclass
class _Window:
    """One command of the grader's while it ran, and what it may act on."""

    start: int  # ns, time.time_ns()
    end: int | None = None  # None while the command runs
    refs: set[str] = field(default_factory=set)  # the names and IDs of what it names, and what it made
    creates: bool = False  # it makes containers, volumes or networks: what is created meanwhile is its
    images: bool = False  # it pulls, tags, removes or makes images
    broad: bool = False  # it may act on anything (a prune, a verb that names nothing, a shell step)
    autoremove: bool = False  # the container it makes is removed by the engine when it ends (--rm)
    restarts: bool = False  # the container it makes (or updates) is started again by the engine (--restart)
    builds: bool = False  # a build: the engine removes the containers of its steps when it ends, however it ends

    def covers(self, at: int) -> bool:
        return self.start <= at and (self.end is None or at <= self.end + AFTER)

    def relates(self, event: EngineEvent, name_of: dict[str, str]) -> bool:
        """Whether the event is about something this command acts on (or made, as it ran)."""
        if self.broad:
            return True
        if event.kind == "image":
            return self.images
        made = event.kind in ("container", "volume", "network") and event.action == "create" and self.creates
        if made and (self.end is None or event.time_ns <= self.end):
            for ident in (event.actor_id, event.name, event.container):
                if ident:
                    self.refs.add(ident)
            return True
        for ident in (event.actor_id, event.container, event.name, name_of.get(event.container, ""),
                      name_of.get(event.actor_id, ""), event.old_name):  # fmt: skip
            if ident and any(ident == ref or (len(ref) >= 4 and ident.startswith(ref)) for ref in self.refs):
                return True
        return event.kind == "volume" and self.creates and event.action in ("create", "mount")


def window_of(argv: Sequence[str]) -> _Window | None:
    """What a command of the grader's may act on; None when it changes nothing on the engine."""
    words = ["docker", *argv[1:]]  # the podman sandbox's client is a script named podman
    window = _Window(time.time_ns())
    try:
        cmd = commandline.parse(words)
        if cmd is None:
            window.broad = True
            return window
        if cmd.path in READ_ONLY:
            return None
        window.refs = {ref for _, ref in commandline.references(words)}
        window.refs |= {name for _, name in commandline.created_names(words)}
    except commandline.CommandLineError:
        window.broad = True
        return window
    # A build makes (and removes) a container for each step of its Dockerfile: those are its too.
    window.builds = cmd.path == "image build"
    window.creates = cmd.path in commandline.CREATES or window.builds
    if cmd.path in ("container run", "container create", "container update"):
        window.autoremove = cmd.flag("--rm")
        window.restarts = any(v.split(":")[0] not in ("", "no") for v in cmd.values("--restart"))
    window.images = cmd.path.startswith(("image ", "builder ", "buildx ")) or cmd.path in (
        "container run", "container create", "container commit", "image build")  # fmt: skip
    window.broad = cmd.path in commandline.PRUNES or cmd.path.startswith("system ") or not (
        window.refs or window.creates or window.images)  # fmt: skip
    return window


@dataclass
class Witness:
    """Watches one engine through `docker events` from start() until verdict()."""

    docker: Docker
    engine_pid: Callable[[], int | None]  # the engine's process (a sandbox's dockerd or init), as it is now
    events: list[EngineEvent] = field(default_factory=list)
    windows: list[_Window] = field(default_factory=list)
    _since: int = 0
    _pid: int | None = None
    _proc: subprocess.Popen[bytes] | None = None
    _reader: threading.Thread | None = None
    _ended_early: bool = False
    _stopping: bool = False

    def start(self) -> Witness:
        self._since = time.time_ns()
        self._pid = self.engine_pid()
        since = f"{self._since // 1_000_000_000}.{self._since % 1_000_000_000:09d}"
        form = list(self.docker.flavour.events_format)
        self._proc = subprocess.Popen(self.docker.argv(["events", *form, "--since", since]), stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=self.docker.env,
                                      start_new_session=True)  # fmt: skip
        self._reader = threading.Thread(target=self._read, name="witness", daemon=True)
        self._reader.start()
        self.docker.witness = self
        return self

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for raw in self._proc.stdout:
            event = parse_event(raw.decode("utf-8", errors="replace"))
            if event is not None and event.time_ns >= self._since and len(self.events) < MAX_EVENTS:
                self.events.append(event)
        if not self._stopping:
            self._ended_early = True

    @contextlib.contextmanager
    def acting(self, argv: Sequence[str]) -> Iterator[None]:
        """The grader's own command runs meanwhile: what the engine reports then about what it names or
        makes is that command's doing. `argv`: the whole command, the client's path first."""
        window = window_of(argv) if argv and argv[0] == self.docker.binary else None
        if window is None:  # a host program, or a command that reads
            yield
            return
        self.windows.append(window)
        try:
            yield
        finally:
            window.end = time.time_ns()

    def verdict(self) -> str:
        """Stop watching; "" when the engine was left to the grader alone, else what disturbed it."""
        self.docker.witness = None
        self._stopping = True
        if self._proc is not None:
            # What the engine reported up to now is in the stream: give it a moment's deadline to arrive.
            deadline = time.monotonic() + 1.0
            while self._reader is not None and self._reader.is_alive() and time.monotonic() < deadline:
                if self.events and self.events[-1].time_ns >= self._since and self._caught_up():
                    break
                time.sleep(0.02)  # poll: the stream catching up with now, bounded by the deadline
            kill_group(self._proc)
            self._proc.wait()
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self._pid is not None and self.engine_pid() != self._pid:
            return "the engine restarted or went away"
        if self._ended_early:
            return "the engine's event stream ended: it restarted or went away"
        return judge(self.events, self.windows, self._health_checks())

    def _health_checks(self) -> dict[str, str]:
        """Each container's health check as the engine reports running it (`exec_create: /bin/sh -c …`), for
        the containers with an exec the grader did not run: the engine runs its checks by itself."""
        ids = sorted({e.container for e in self.events if e.action in ("exec_create", "exec_start") and e.container})
        if not ids:
            return {}
        form = "{{.Id}} {{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}"
        done = self.docker.call(["container", "inspect", "--format", form, *ids], check=False)
        out = {}
        for line in done.stdout.splitlines():
            ident, _, test = line.partition(" ")
            with contextlib.suppress(ValueError):
                words = json.loads(test) if test.strip() else []
                if words and words[0] == "CMD-SHELL":
                    out[ident] = f"/bin/sh -c {' '.join(words[1:])}"
                elif words and words[0] == "CMD":
                    out[ident] = " ".join(words[1:])
        return out

    def _caught_up(self) -> bool:
        """Whether the stream has reached the end of the last window (the last command's own events)."""
        last = max((w.end or 0 for w in self.windows), default=0)
        return self.events[-1].time_ns >= last


def judge(events: Sequence[EngineEvent], windows: Sequence[_Window], health: dict[str, str] | None = None) -> str:
    """The first change the grader did not make and the engine would not make by itself, said in a few
    words ("container web: destroy"); "" when there is none. `health`: each container's health check, as
    the engine reports running it."""
    health = health or {}
    ended: dict[str, int] = {}  # container ID -> when it last died
    name_of: dict[str, str] = {}  # container ID -> its name, as its events say it
    autoremove: set[str] = set()  # containers made with --rm
    restarts: set[str] = set()  # containers made (or updated) with a restart policy
    steps: set[str] = set()  # containers a build made for its steps: a killed build's are removed after it
    removed_at = -SETTLED  # when an autoremove container was last removed
    for event in events:
        ident = event.container or event.actor_id
        if event.kind == "container" and event.actor_id and event.name:
            name_of[event.actor_id] = event.name
        mine = [w for w in windows if w.covers(event.time_ns) and w.relates(event, name_of)]
        if event.kind == "container":
            for w in mine:
                if w.autoremove:
                    autoremove.add(ident)
                if w.restarts:
                    restarts.add(ident)
                if w.builds and event.action == "create":
                    steps.add(ident)
            if event.action == "die":
                ended[ident] = event.time_ns
            if event.action == "destroy" and ident in autoremove:
                removed_at = event.time_ns
        if mine or (event.kind, event.action) in _BY_ITSELF or (event.kind == "container" and ident in steps):
            continue
        if event.action in ("exec_create", "exec_start") and health.get(event.container) == event.command:
            continue  # the engine running the container's health check
        died = ident in ended
        if event.kind == "container" and event.action == "destroy" and died and ident in autoremove:
            continue  # an autoremove container, removed when it ended
        if event.kind == "container" and event.action in ("start", "init", "restart") and died and ident in restarts:
            continue  # a restart policy starting it again
        if event.kind == "network" and event.action == "connect" and died and ident in restarts:
            continue  # … and it joins its networks again
        if event.kind == "volume" and event.action in ("destroy", "mount") and event.time_ns - removed_at < SETTLED:
            continue  # an autoremove container's anonymous volumes
        what = event.name or event.actor_id[:12] or event.container[:12]
        return f"{event.kind} {what}: {event.action}"
    return ""


def killed_by_no_one(events: Sequence[EngineEvent]) -> bool:
    """Whether a container ran out of memory (docker's `oom`), or died of SIGKILL with no `kill` asked for it
    (what the kernel's OOM killer leaves on podman, which reports no oom)."""
    asked: set[str] = set()
    for event in events:
        if event.kind != "container":
            continue
        if event.action == "oom":
            return True
        if event.action in ("kill", "stop"):
            asked.add(event.actor_id)
        if event.action == "die" and event.exit_code == 137 and event.actor_id not in asked:
            return True
    return False
