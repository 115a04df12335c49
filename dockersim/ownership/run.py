"""One dockersim process's run: the labels on what it makes, its journal of what cannot carry them, and its
reaper — a process outside the run's group holding the run's leases, which removes what the run made if
the run ends without saying it is done (SIGKILL, a crash). The model is testcontainers' Ryuk.

Every container, volume and network a run's commands create carries two labels: `dockersim.run=<id>` and
`dockersim.owner=<host>/<boot id>/<pid>/<start time>` (labels.py). What cannot carry a label (a named volume
made by `-v NAME:/path`, the anonymous volumes a scenario's own `rm` leaves, scratch directories, sandbox
engines) is written to the journal (journal.py) before it exists; reaping.py removes what a dead run made.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.host import proc
from dockersim.host.leases import Lease
from dockersim.ownership import journal
from dockersim.ownership.inventory import Inventory, remove
from dockersim.ownership.journal import Dir, Done, Entry, Header, Image, Registry, Sandbox, Tag, Volumes
from dockersim.ownership.labels import LABEL_KEY, OWNER_KEY, RUN_ENV, fork_name, owner_id, state_dir


class Ownership:
    """One dockersim process's run: its labels, its journal, and its reaper."""

    def __init__(self, docker: Docker, watched: bool = True, mark: bool = True) -> None:
        """watched: with a journal and a reaper (a dockersim command's run); else only remembered here (a
        library caller's, or a grading run's inside a private engine that the grader empties). mark: this
        process's environment carries the run's mark too (not for a second run in the same process, whose
        docker commands carry their own)."""
        self.docker = docker
        self.run_id = os.urandom(6).hex()  # as uuid4().hex[:12] was, without importing uuid (and platform)
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
        self._name = ""  # this process's name before the run's (given back at close)
        if watched:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            self._write(Header.of(self.run_id, self.owner, docker))
            self._reaper, self._channel = _start_reaper(self.journal)
            # Every process this run starts from now on carries the mark in its environment, and the run's name
            # from its fork until its exec (when /proc does not show the mark yet): the reaper waits for those
            # still running (a docker command in flight may still create) before it looks (reaping.in_flight).
            if mark:
                os.environ[RUN_ENV] = self.run_id
                self._name = proc.rename_self(fork_name(self.run_id))
            docker.env[RUN_ENV] = self.run_id

    @property
    def labels(self) -> list[str]:
        return [f"{LABEL_KEY}={self.run_id}", f"{OWNER_KEY}={self.owner}"]

    def owns_label(self, labels: dict[str, str]) -> bool:
        return labels.get(LABEL_KEY) == self.run_id

    def _write(self, entry: Entry) -> None:
        if self.watched:
            journal.append(self.journal, entry)

    def note_volumes(self, names: set[str]) -> None:
        new = names - self.volumes
        if new:
            self.volumes |= new
            self._write(Volumes(tuple(sorted(new))))

    def note_dir(self, path: str, removed_with_run: bool = True) -> None:
        """A folder of the run's. removed_with_run False: the run removes it itself at its end (a context's
        keys, which the reaper still needs to reach the engine): only the reaper removes it, last."""
        if removed_with_run:
            self.dirs.append(path)
        self._write(Dir(path))

    def note_tag(self, ref: str, was: str) -> None:
        """An image name on an engine the run shares that the run may point elsewhere: where it pointed before
        (an image ID), or "" when it did not exist. If the run dies, the reaper gives it back."""
        if ref not in self.tags:
            self.tags[ref] = was
            self._write(Tag(ref, was))

    def note_registry(self, host: str, port: int) -> None:
        """The kit registry this run uses (shared with other runs): if the run dies, its reaper leaves it."""
        self._write(Registry(host, port))

    def note_image(self, ref: str) -> None:
        """An image tag the run adds for its length only (a stand-in under the registry's name)."""
        self._write(Image(ref))

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
        self._write(Sandbox(name, slot))

    def reread(self) -> None:
        """Volumes that other processes of the run (a practice shell's docker shim) wrote to the journal."""
        if self.watched and self.journal.exists():
            self.volumes |= journal.read(self.journal).volumes()

    def created(self) -> Inventory:
        """What this run made and is still there."""
        return Inventory.labelled(self.docker, self.run_id, networks=self.made_networks, named=self.volumes)

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
        self._write(Done())
        if self._channel is not None:
            self._channel.close()  # the reaper sees the end, finds the journal done, and leaves
            self._channel = None
        self.leases = {}  # the reaper's duplicates go with it; each of ours is given back by whoever took it
        self.journal.unlink(missing_ok=True)
        if os.environ.get(RUN_ENV) == self.run_id:  # what this process starts from now on is not the run's
            del os.environ[RUN_ENV]
        if self._name:
            proc.rename_self(self._name)
            self._name = ""


def _start_reaper(journal: Path) -> tuple[subprocess.Popen[bytes], socket.socket]:
    """The watcher, in a session of its own so that signals to the run's process group do not reach it; its
    stdin is one end of a socket pair whose other end the run keeps: its end (EOF) is the run's, however it
    ends, and leases travel along it (Ownership.hold)."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dockersim.ownership.reaper", str(journal)],
            stdin=theirs.fileno(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    finally:
        theirs.close()
    return proc, ours
