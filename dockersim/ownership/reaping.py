"""Runs that died: what a dead run made, removed by its labels and its journal (by its reaper, or at the
next start after a reboot), its sandboxes stopped and the kit registry left for it — never what another
run, still alive, or a learner made."""

from __future__ import annotations

import fcntl
import os
import shutil
import time

from dockersim.engine.client import Docker
from dockersim.engine.process import INTERRUPT_GRACE
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.errors import DockersimError
from dockersim.host import proc
from dockersim.kit.registry import KitRegistry
from dockersim.ownership import journal as journals
from dockersim.ownership.inventory import Inventory, remove
from dockersim.ownership.journal import Dir as DirEntry
from dockersim.ownership.journal import Image, Journal, Registry, Tag
from dockersim.ownership.journal import Sandbox as SandboxEntry
from dockersim.ownership.labels import RUN_ENV, fork_name


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


def in_flight(run_id: str) -> set[int]:
    """The run's processes still alive: those it started (its mark in their environment), and those it forked
    that have not yet exec'd (its name; their environment in /proc is still the one the run started with)."""
    return proc.marked(f"{RUN_ENV}={run_id}") | proc.named(fork_name(run_id))


def _wait_for_children(run_id: str, timeout: float = INTERRUPT_GRACE) -> None:
    """A docker command the run started just before it died may still be creating: what it makes carries
    the run's label, so wait for the run's processes to end (to a deadline) before looking."""
    deadline = time.monotonic() + timeout
    while in_flight(run_id) and time.monotonic() < deadline:
        time.sleep(0.05)  # poll: the run's last docker command ending, bounded by the deadline


def _reap(journal: Journal, dry_run: bool) -> list[str]:
    """In order: the run's helpers (the kit registry it used, its sandbox engines) left or stopped; its docker
    commands in flight waited for; then what carries its label or stands in its journal removed."""
    header = journal.header
    run_id = header.run
    removed: list[str] = []
    for registry in journal.of(Registry):
        removed.append(f"kit registry {registry.registry}:{registry.port} (left)")
        if not dry_run:
            KitRegistry.leave_for(registry.registry, registry.port, run_id)
    for box in (Sandbox(e.sandbox, e.slot) for e in journal.of(SandboxEntry)):
        if box.pid() is not None:
            removed.append(f"sandbox engine {box.name}")
        if not dry_run:  # down() also when it does not run: the run may have died as it started or stopped it
            box.down()
    if not dry_run and run_id:
        _wait_for_children(run_id)
    try:
        docker = Docker(header.docker, header.context, dict(header.env))
        made = Inventory.labelled(docker, run_id, named=journal.volumes())
        if dry_run:
            removed += [f"container {c[:12]}" for c in made.containers] + [f"volume {v}" for v in made.volumes]
            removed += [f"network {n[:12]}" for n in made.networks]
        else:
            removed += remove(docker, made)
        for ref in (e.image for e in journal.of(Image)):
            if dry_run or docker.call(["image", "rm", ref], check=False).status == 0:
                removed.append(f"image tag {ref}")
        was: dict[str, str] = {}
        for entry in journal.of(Tag):
            was.setdefault(entry.tag, entry.was)  # the first: as it was before the run
        for ref, image in sorted(was.items()):
            if dry_run:
                removed.append(f"image tag {ref}")
            elif image and docker.call(["tag", image, ref], check=False).status == 0:
                removed.append(f"image tag {ref} (given back)")
            elif not image and docker.call(["image", "rm", ref], check=False).status == 0:
                removed.append(f"image tag {ref}")
    except DockersimError as e:  # an engine gone for good must not keep the journal forever
        removed.append(f"(engine not reached: {e})")
    for path in (e.dir for e in journal.of(DirEntry)):
        if os.path.exists(path):
            if not dry_run:
                shutil.rmtree(path, ignore_errors=True)
            removed.append(f"directory {path}")
    if not dry_run:
        journal.path.unlink(missing_ok=True)
    return removed


def reap_dead(dry_run: bool = False) -> list[str]:
    """Leftovers of every dead run, removed (or listed)."""
    return [item for journal in journals.dead() for item in reap(journal, dry_run)]
