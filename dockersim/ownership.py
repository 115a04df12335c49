"""What a run made, and removing exactly that — the one home of this job, for run, grade and the reaper.

Every container, volume and network a run's commands create carries two labels: `dockersim.run=<id>` and
`dockersim.owner=<host>/<boot id>/<pid>/<start time>`. What cannot carry a label (a named volume made by
`-v NAME:/path`, the anonymous volumes a scenario's own `rm` leaves, scratch directories, sandbox engines)
is written to the run's journal under $XDG_STATE_HOME/dockersim/runs/ before it exists. A reaper process
outside the run's process group holds the read end of a pipe from the run: when the run ends without
saying it is done (SIGKILL, a crash), the reaper removes what the labels and the journal name. A journal
whose owner is gone (a reboot, a reaper killed too) is found and removed at the next start.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockersim.driver import INTERRUPT_GRACE, Docker
from dockersim.errors import DockersimError
from dockersim.leases import Lease
from dockersim.parse.listing import parse_pairs

LABEL_KEY = "dockersim.run"
OWNER_KEY = "dockersim.owner"
RUN_ENV = "DOCKERSIM_RUN"  # in the environment of every process a watched run starts


def state_home() -> Path:
    """dockersim's folder of what outlives a process: run journals, practice progress."""
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "dockersim"


def state_dir() -> Path:
    return state_home() / "runs"


# -- who owns a run --------------------------------------------------------------------------------


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot: with the pid, it names one process for good.
    "" when there is no such process, or only its zombie (a parent that died leaves its children's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return ""
    return "" if fields[0] == "Z" else fields[19]


def owner_id(pid: int | None = None) -> str:
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}/{_boot_id()}/{pid}/{_start_time(pid)}"


def owner_alive(owner: str) -> bool | None:
    """Whether the process that owns a run still runs; None when that cannot be told (another machine)."""
    try:
        host, boot, pid, start = owner.split("/")
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    if boot != _boot_id():
        return False  # the machine restarted since
    return pid.isdigit() and _start_time(int(pid)) == start and start != ""


# -- what an engine holds --------------------------------------------------------------------------


@dataclass
class Inventory:
    """Containers, volumes and networks by ID or name: what an engine holds, or what a run made."""

    containers: set[str]
    volumes: set[str]
    networks: set[str]

    @classmethod
    def read(cls, docker: Docker) -> Inventory:
        """Everything on the engine."""
        return cls(
            set(docker.call(["ps", "-a", "-q", "--no-trunc"]).stdout.split()),
            set(docker.call(["volume", "ls", "-q"]).stdout.split()),
            set(docker.call(["network", "ls", "-q", "--no-trunc"]).stdout.split()),
        )

    @classmethod
    def labelled(cls, docker: Docker, run_id: str, networks: bool = True) -> Inventory:
        """What carries a run's label now."""
        only = ["--filter", f"label={LABEL_KEY}={run_id}"]
        return cls(
            set(docker.call(["ps", "-a", "-q", "--no-trunc", *only]).stdout.split()),
            set(docker.call(["volume", "ls", "-q", *only]).stdout.split()),
            set(docker.call(["network", "ls", "-q", "--no-trunc", *only]).stdout.split()) if networks else set(),
        )


def remove(docker: Docker, made: Inventory, dirs: Sequence[str] = ()) -> list[str]:
    """Remove these containers (with their anonymous volumes), volumes, networks and directories; what was
    removed, one "kind name" each. Missing ones are passed over."""
    removed: list[str] = []
    if made.containers:
        done = docker.call([*docker.force_remove(), *sorted(made.containers)], check=False, timeout=120)
        removed += [f"container {i[:12]}" for i in done.stdout.split()]
    if made.volumes:  # those of removed containers may have gone with them: -f ignores the missing
        done = docker.call(["volume", "rm", "-f", *sorted(made.volumes)], check=False)
        removed += [f"volume {v}" for v in done.stdout.split()]
    if made.networks:
        done = docker.call(["network", "rm", *sorted(made.networks)], check=False)
        removed += [f"network {n}" for n in done.stdout.split()]
    for path in dirs:
        if os.path.exists(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(f"directory {path}")
    return removed


def remove_named(docker: Docker, items: list[str]) -> None:
    """Remove objects by "kind name" (`--replace`: the learner asked for it)."""
    args = {"container": docker.force_remove(), "volume": ["volume", "rm", "-f"], "network": ["network", "rm"]}
    for item in items:
        kind, name = item.split(" ", 1)
        docker.call([*args[kind], name], check=False)


def empty(docker: Docker) -> None:
    """Empty a private engine (a grading sandbox) of containers, volumes and networks; its images stay."""
    ids = docker.call(["ps", "-a", "-q"]).stdout.split()
    if ids:
        docker.call([*docker.force_remove(), *ids], timeout=300)
    volumes = docker.call(["volume", "ls", "-q"]).stdout.split()
    if volumes:
        docker.call(["volume", "rm", "-f", *volumes], check=False)
    docker.call(["network", "prune", "-f"], check=False)


# -- one run ---------------------------------------------------------------------------------------


class Ownership:
    """One dockersim process's run: its labels, its journal, and its reaper."""

    def __init__(self, docker: Docker, watched: bool = True, mark: bool = True) -> None:
        """watched: with a journal and a reaper (a dockersim command's run); else only remembered here (a
        library caller's, or a grading run's inside a private engine that the grader empties). mark: this
        process's environment carries the run's mark too (not for a second run in the same process, whose
        docker commands carry their own)."""
        self.docker = docker
        self.run_id = uuid.uuid4().hex[:12]
        self.owner = owner_id()
        self.journal = state_dir() / f"{self.run_id}.jsonl"
        self.volumes: set[str] = set()  # named and anonymous volumes that carry no label
        self.dirs: list[str] = []
        self.tags: dict[str, str] = {}  # image names noted (note_tag), and the ID each pointed at before
        self.made_networks = False
        self.watched = watched
        self._reaper: subprocess.Popen[bytes] | None = None
        self._channel: socket.socket | None = None  # to the reaper: leases go along it, its end is the run's
        self.leases: dict[str, Lease] = {}
        if watched:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            self._write({"run": self.run_id, "owner": self.owner, **engine_of(docker)})
            self._reaper, self._channel = _start_reaper(self.journal)
            # Every process this run starts from now on carries the mark, from fork on: the reaper waits
            # for those still running (a docker command in flight may still create) before it looks.
            if mark:
                os.environ[RUN_ENV] = self.run_id
            docker.env[RUN_ENV] = self.run_id

    @property
    def labels(self) -> list[str]:
        return [f"{LABEL_KEY}={self.run_id}", f"{OWNER_KEY}={self.owner}"]

    def owns_label(self, labels: dict[str, str]) -> bool:
        return labels.get(LABEL_KEY) == self.run_id

    def _write(self, entry: dict[str, Any]) -> None:
        if not self.watched:
            return
        with self.journal.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")

    def note_volumes(self, names: set[str]) -> None:
        new = names - self.volumes
        if new:
            self.volumes |= new
            self._write({"volumes": sorted(new)})

    def note_dir(self, path: str, removed_with_run: bool = True) -> None:
        """A folder of the run's. removed_with_run False: the run removes it itself at its end (a context's
        keys, which the reaper still needs to reach the engine): only the reaper removes it, last."""
        if removed_with_run:
            self.dirs.append(path)
        self._write({"dir": path})

    def note_tag(self, ref: str, was: str) -> None:
        """An image name on an engine the run shares that the run may point elsewhere: where it pointed before
        (an image ID), or "" when it did not exist. If the run dies, the reaper gives it back."""
        if ref not in self.tags:
            self.tags[ref] = was
            self._write({"tag": ref, "was": was})

    def note_process(self, pid: int) -> None:
        """A helper process of the run (the kit registry) that the reaper stops if the run dies."""
        self._write({"process": pid, "start": _start_time(pid)})

    def note_registry(self, host: str, port: int) -> None:
        """The kit registry this run uses (shared with other runs): if the run dies, its reaper leaves it."""
        self._write({"registry": host, "port": port})

    def note_image(self, ref: str) -> None:
        """An image tag the run adds for its length only (a stand-in under the registry's name)."""
        self._write({"image": ref})

    def hold(self, lease: Lease) -> None:
        """A machine-wide lease (leases.py) held for the run's life: a duplicate goes to the reaper, so that the
        lease outlives a run killed now until the reaper has stopped what the run started under it."""
        self.leases[lease.name] = lease
        if self._channel is not None:
            socket.send_fds(self._channel, [f"hold {lease.name}".encode()], [lease.fd])

    def drop(self, name: str) -> None:
        """Give a lease back before the run ends: this process's hold and the reaper's."""
        lease = self.leases.pop(name, None)
        if lease is None:
            return
        if self._channel is not None:
            self._channel.send(f"drop {name}".encode())
            # The reaper answers once it has closed its duplicate: then the lease is free when ours goes.
            self._channel.settimeout(10)
            with contextlib.suppress(OSError):
                self._channel.recv(64)
            self._channel.settimeout(None)
        lease.release()

    def note_sandbox(self, name: str, slot: int) -> None:
        """A grading engine the run started: the reaper stops it if the run dies."""
        self._write({"sandbox": name, "slot": slot})

    def reread(self) -> None:
        """Volumes that other processes of the run (a practice shell's docker shim) wrote to the journal."""
        if self.watched and self.journal.exists():
            for entry in read_journal(self.journal).entries:
                self.volumes |= set(entry.get("volumes", []))

    def created(self) -> Inventory:
        """What this run made and is still there."""
        made = Inventory.labelled(self.docker, self.run_id, networks=self.made_networks)
        if self.volumes:
            present = set(self.docker.call(["volume", "ls", "-q"]).stdout.split())
            made.volumes |= self.volumes & present
        return made

    def remove(self) -> list[str]:
        """Remove exactly what this run made so far (it may go on making more)."""
        removed = remove(self.docker, self.created(), self.dirs)
        self.dirs = []
        self.volumes = set()  # gone: a volume of that name made later is not the run's
        return removed

    def close(self) -> None:
        """The run ended and cleaned up: the reaper leaves, and the journal goes."""
        if not self.watched:
            return
        self._write({"done": True})
        if self._channel is not None:
            self._channel.close()  # the reaper sees the end, finds the journal done, and leaves
            self._channel = None
        self.leases = {}  # the reaper's duplicates go with it; each of ours is given back by whoever took it
        self.journal.unlink(missing_ok=True)
        if os.environ.get(RUN_ENV) == self.run_id:  # what this process starts from now on is not the run's
            del os.environ[RUN_ENV]


def anonymous_volumes_of(call: Callable[[list[str]], str], run_id: str) -> set[str]:
    """The anonymous volumes of a run's containers, which `docker rm` without -v leaves behind, unlabelled.
    `call`: a docker command's output. Read by inspect: podman's ps shows a mount's destination, not its
    volume. Only anonymous ones (64 hex digits): a named volume a container mounts may be the learner's."""
    from dockersim.parse.listing import anonymous_volumes

    ids = call(["ps", "-a", "-q", "--no-trunc", "--filter", f"label={LABEL_KEY}={run_id}"]).split()
    if not ids:
        return set()
    form = '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}'
    return anonymous_volumes(call(["inspect", "--type", "container", "--format", form, *ids]))


def engine_of(docker: Docker) -> dict[str, Any]:
    """How to reach the same engine again, from another process."""
    env = {k: docker.env[k] for k in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG") if k in docker.env}
    return {"docker": docker.binary, "context": docker.context, "env": env}


def _start_reaper(journal: Path) -> tuple[subprocess.Popen[bytes], socket.socket]:
    """The watcher, in a session of its own so that signals to the run's process group do not reach it; its
    stdin is one end of a socket pair whose other end the run keeps: its end (EOF) is the run's, however it
    ends, and leases travel along it (Ownership.hold)."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dockersim.reaper", str(journal)],
            stdin=theirs.fileno(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    finally:
        theirs.close()
    return proc, ours


# -- runs that died --------------------------------------------------------------------------------


@dataclass
class Journal:
    path: Path
    entries: list[dict[str, Any]]

    @property
    def header(self) -> dict[str, Any]:
        return self.entries[0] if self.entries else {}

    @property
    def done(self) -> bool:
        return any(e.get("done") for e in self.entries)


def read_journal(path: Path) -> Journal:
    entries = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short when the run died
        if isinstance(entry, dict):
            entries.append(entry)
    return Journal(path, entries)


def dead_journals() -> Iterator[Journal]:
    """Journals of runs whose owner is gone and that did not finish."""
    folder = state_dir()
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.jsonl")):
        try:
            journal = read_journal(path)
        except OSError:
            continue
        if journal.done:
            path.unlink(missing_ok=True)
        elif owner_alive(str(journal.header.get("owner", ""))) is False:
            yield journal


def reap(journal: Journal, dry_run: bool = False) -> list[str]:
    """Remove what a dead run made, by its labels and its journal; what was (or would be) removed. A journal
    another process is reaping already (its reaper, another start) is left to it."""
    try:
        lock = journal.path.open("a")
    except OSError:
        return []
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return []
        if not journal.path.exists():
            return []  # reaped meanwhile
        return _reap(journal, dry_run)


def marked(run_id: str) -> set[int]:
    """The live processes that carry this run's mark in their environment (its docker commands)."""
    mark = f"{RUN_ENV}={run_id}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if mark in (entry / "environ").read_bytes().split(b"\0") and _start_time(int(entry.name)):
                    found.add(int(entry.name))
            except OSError:  # gone meanwhile, or not ours to read
                continue
    return found


def _wait_for_children(run_id: str, timeout: float = INTERRUPT_GRACE) -> None:
    """A docker command the run started just before it died may still be creating: what it makes carries
    the run's label, so wait for the run's processes to end (to a deadline) before looking."""
    deadline = time.monotonic() + timeout
    while marked(run_id) and time.monotonic() < deadline:
        time.sleep(0.05)  # poll: the run's last docker command ending, bounded by the deadline


def _reap(journal: Journal, dry_run: bool) -> list[str]:
    """In order: the run's helpers (its registry, its grading engines) stopped; its docker commands in flight
    waited for; then what carries its label or stands in its journal removed."""
    from dockersim.registry import KitRegistry  # the kit registry and grading engines: loaded only here
    from dockersim.sandbox import Sandbox

    header = journal.header
    run_id = str(header.get("run", ""))
    removed: list[str] = []
    for entry in (e for e in journal.entries if "process" in e):
        pid = int(entry["process"])
        if _start_time(pid) == str(entry.get("start")) != "":
            removed.append(f"process {pid}")
            if not dry_run:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
    for entry in (e for e in journal.entries if "registry" in e):
        removed.append(f"kit registry {entry['registry']}:{entry['port']} (left)")
        if not dry_run:
            KitRegistry.leave_for(str(entry["registry"]), int(entry["port"]), run_id)
    for box in (Sandbox(str(e["sandbox"]), int(e["slot"])) for e in journal.entries if "sandbox" in e):
        if box.pid() is not None:
            removed.append(f"sandbox engine {box.name}")
        if not dry_run:  # down() also when it does not run: the run may have died as it started or stopped it
            box.down()
    if not dry_run and run_id:
        _wait_for_children(run_id)
    docker: Docker | None = None
    try:
        docker = Docker(str(header.get("docker", "docker")), header.get("context"), dict(header.get("env", {})))
        made = Inventory.labelled(docker, run_id) if run_id else Inventory(set(), set(), set())
        present = set(docker.call(["volume", "ls", "-q"]).stdout.split())
        made.volumes |= {v for e in journal.entries for v in e.get("volumes", [])} & present
        if dry_run:
            removed += [f"container {c[:12]}" for c in made.containers] + [f"volume {v}" for v in made.volumes]
            removed += [f"network {n[:12]}" for n in made.networks]
        else:
            removed += remove(docker, made)
        for ref in (str(e["image"]) for e in journal.entries if "image" in e):
            if dry_run or docker.call(["image", "rm", ref], check=False).status == 0:
                removed.append(f"image tag {ref}")
        was: dict[str, str] = {}
        for entry in (e for e in journal.entries if "tag" in e):
            was.setdefault(str(entry["tag"]), str(entry.get("was", "")))  # the first: as it was before the run
        for ref, image in sorted(was.items()):
            if dry_run:
                removed.append(f"image tag {ref}")
            elif image and docker.call(["tag", image, ref], check=False).status == 0:
                removed.append(f"image tag {ref} (given back)")
            elif not image and docker.call(["image", "rm", ref], check=False).status == 0:
                removed.append(f"image tag {ref}")
    except DockersimError as e:  # an engine gone for good must not keep the journal forever
        removed.append(f"(engine not reached: {e})")
    for path in (str(e["dir"]) for e in journal.entries if "dir" in e):
        if os.path.exists(path):
            if not dry_run:
                shutil.rmtree(path, ignore_errors=True)
            removed.append(f"directory {path}")
    if not dry_run:
        journal.path.unlink(missing_ok=True)
    return removed


def reap_dead(dry_run: bool = False) -> list[str]:
    """Leftovers of every dead run, removed (or listed)."""
    return [item for journal in dead_journals() for item in reap(journal, dry_run)]


def orphans(docker: Docker) -> Inventory:
    """Objects on this engine whose owner label names a process that is gone (its journal lost too)."""
    found = Inventory(set(), set(), set())
    for kind, args in (
        ("containers", ["ps", "-a", "--no-trunc"]),
        ("volumes", ["volume", "ls"]),
        ("networks", ["network", "ls", "--no-trunc"]),
    ):
        key = "{{.ID}}" if kind != "volumes" else "{{.Name}}"
        template = f'{key}\t{{{{.Label "{OWNER_KEY}"}}}}'
        listing = docker.call([*args, "--filter", f"label={OWNER_KEY}", "--format", template])
        for ident, owner in parse_pairs(listing.stdout):
            if owner_alive(owner) is False:
                getattr(found, kind).add(ident)
    return found
