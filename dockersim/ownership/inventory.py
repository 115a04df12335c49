"""What an engine holds, and what a run made there: containers, volumes and networks by ID or name, read
with a fixed number of calls; removing exactly those, and nothing else."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass

from dockersim.engine.client import Docker
from dockersim.engine.parse.listing import anonymous_volumes, parse_pairs
from dockersim.ownership.labels import LABEL_KEY, OWNER_KEY, owner_alive


@dataclass
class Inventory:
    """Containers, volumes and networks by ID or name: what an engine holds, or what a run made."""

    containers: set[str]
    volumes: set[str]
    networks: set[str]

    @classmethod
    def read(cls, docker: Docker) -> Inventory:
        """Everything on the engine."""
        lists = docker.calls(
            ["ps", "-a", "-q", "--no-trunc"], ["volume", "ls", "-q"], ["network", "ls", "-q", "--no-trunc"]
        )
        return cls(*(set(done.stdout.split()) for done in lists))

    @classmethod
    def labelled(cls, docker: Docker, run_id: str, networks: bool = True, named: Set[str] = frozenset()) -> Inventory:
        """What carries a run's label now, and those of the `named` volumes (made by `-v NAME:/path`, which
        carry no label; a run's journal names them) that are there: every listing at once."""
        only = ["--filter", f"label={LABEL_KEY}={run_id}"]
        commands = [["ps", "-a", "-q", "--no-trunc", *only], ["volume", "ls", "-q", *only]] if run_id else []
        if run_id and networks:
            commands.append(["network", "ls", "-q", "--no-trunc", *only])
        if named:
            commands.append(["volume", "ls", "-q"])
        lists = iter([set(done.stdout.split()) for done in docker.calls(*commands)])  # in the order asked
        containers, volumes = (next(lists), next(lists)) if run_id else (set(), set())
        made = cls(containers, volumes, next(lists) if run_id and networks else set())
        made.volumes |= set(named) & (next(lists) if named else set())
        return made


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


def anonymous_volumes_of(call: Callable[[list[str]], str], run_id: str) -> set[str]:
    """The anonymous volumes of a run's containers, which `docker rm` without -v leaves behind, unlabelled.
    `call`: a docker command's output. Read by inspect: podman's ps shows a mount's destination, not its
    volume. Only anonymous ones (64 hex digits): a named volume a container mounts may be the learner's."""
    ids = call(["ps", "-a", "-q", "--no-trunc", "--filter", f"label={LABEL_KEY}={run_id}"]).split()
    if not ids:
        return set()
    form = '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}'
    return anonymous_volumes(call(["inspect", "--type", "container", "--format", form, *ids]))


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
