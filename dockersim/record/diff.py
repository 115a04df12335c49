"""What a command did to the engine, as checks: what the recording's run held before and after it (Held),
and, for each object it made, changed or removed, a check in the scenarios' vocabulary with the fields the
command set or changed (state, image, ports, mounts, env, networks, links, volumes_from, hostname; volumes
and images present or absent). Pure: the engine is read by the caller."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dockersim.checks.container import CONTAINER_FIELDS, port_key
from dockersim.dockercli import commandline
from dockersim.dockercli.commandline import Command
from dockersim.engine.images import normal_ref
from dockersim.engine.snapshot import Snapshot
from dockersim.engine.state import ContainerState, VolumeState
from dockersim.record.naming import Naming

Spec = dict[str, Any]  # a check as the file writes it: {container: web, state: running, …}
_ANONYMOUS = re.compile(r"[0-9a-f]{64}")  # a volume docker named: no name a replay would give it again


@dataclass(frozen=True)
class Held:
    """What a run held on the engine at one moment: its containers by ID, its volumes by name, and every
    image name on the engine (an image carries no label: a pull is seen as a name that appeared)."""

    containers: dict[str, ContainerState]
    volumes: dict[str, VolumeState]
    images: frozenset[str]

    @staticmethod
    def read(snap: Snapshot, ours: Callable[[ContainerState], bool], our_volume: Callable[[VolumeState], bool]) -> Held:
        return Held(
            {c.id: c for c in snap.containers if ours(c)},
            {v.name: v for v in snap.volumes if our_volume(v)},
            frozenset(normal_ref(t) for image in snap.images for t in image.repo_tags),
        )


EMPTY = Held({}, {}, frozenset())


def _publish(spec: str) -> tuple[str, str | None]:
    """`-p [IP:][HOST:]CONTAINER[/PROTO]` → the container port's key and the host port given, if any."""
    parts = spec.rsplit(":", 2)
    container, host = parts[-1], parts[-2] if len(parts) > 1 else ""
    return port_key(container), host if host.isdigit() else None


def _ports(c: ContainerState, cmd: Command) -> dict[str, str]:
    given = dict(_publish(spec) for spec in cmd.values("--publish"))
    return {b.key: given.get(b.key) or "any" for b in c.ports if b.published}


def _env(c: ContainerState, cmd: Command) -> dict[str, str]:
    names = [spec.partition("=")[0] for spec in cmd.values("--env")]
    return {name: c.env[name] for name in dict.fromkeys(names) if name in c.env}


def _mounts(c: ContainerState, cmd: Command) -> list[dict[str, Any]]:
    wanted = [spec.split(":")[1] if ":" in spec else spec for spec in cmd.values("--volume")]
    for spec in cmd.values("--mount"):
        wanted += [v or "" for k, v in commandline.mount_fields(spec) if k in ("destination", "dst", "target")]
    out = []
    for destination in dict.fromkeys(wanted):
        m = next((m for m in c.mounts if m.destination in (destination, destination.rstrip("/"))), None)
        if m is None:
            continue
        mount: dict[str, Any] = {"type": m.type}
        if m.type == "volume" and m.name and not _ANONYMOUS.fullmatch(m.name):
            mount["name"] = m.name
        elif m.type == "bind":
            mount["source"] = m.source
        mount["destination"] = m.destination
        if not m.rw:
            mount["rw"] = False
        out.append(mount)
    return out


def _networks(c: ContainerState, cmd: Command) -> list[str]:
    return [n for n in cmd.values("--network", "--net") if n in c.networks]


# What each container field a run/create command may set is written from: a row a field of the check
# vocabulary (checks/container.py), with the options that set it.
SET_BY: dict[str, tuple[tuple[str, ...], Callable[[ContainerState, Command], Any]]] = {
    "ports": (("--publish", "--publish-all"), _ports),
    "env": (("--env",), _env),
    "mounts": (("--volume", "--mount"), _mounts),
    "networks": (("--network", "--net"), _networks),
    "links": (("--link",), lambda c, cmd: list(c.links)),
    "volumes_from": (("--volumes-from",), lambda c, cmd: list(c.volumes_from)),
    "hostname": (("--hostname",), lambda c, cmd: c.hostname),
}
assert set(SET_BY) <= set(CONTAINER_FIELDS)


def container_check(c: ContainerState, ref: str, naming: Naming, made_by: Command | None) -> Spec:
    """A check of a container as it is: its state (and exit code, once it ended), its image, and each field
    the command that made it set."""
    spec: Spec = {"container": ref, "state": c.state}
    if c.state == "exited" and c.exit_code is not None:
        spec["exit_code"] = c.exit_code
    spec["image"] = naming.image(c.image)
    for key, (options, value) in SET_BY.items():
        if made_by is not None and any(o.name in options for o in made_by.options):
            found = value(c, made_by)
            if found:
                spec[key] = found
    return spec


def _changed(was: ContainerState, now: ContainerState, ref: str) -> Spec | None:
    """A check of what a command changed of a container it did not make: its state, its exit code, the
    networks it joined; None when nothing a check reads changed."""
    spec: Spec = {"container": ref}
    if (was.state, was.exit_code, was.started_at) != (now.state, now.exit_code, now.started_at):
        spec["state"] = now.state
        if now.state == "exited" and now.exit_code is not None:
            spec["exit_code"] = now.exit_code
    joined = [n for n in now.networks if n not in was.networks]
    if joined:
        spec["networks"] = joined
    return spec if len(spec) > 1 else None


def checks(before: Held, after: Held, commands: list[Command] | None, naming: Naming) -> list[Spec]:
    """The checks of what a command line did. `commands`: its docker commands, read by the grammar (None when
    the line cannot be read so: then every change counts as its doing)."""
    for cmd in commands or []:
        naming.containers |= {n for k, n in commandline.created_names(cmd.argv) if k == "container"}
    out: list[Spec] = []
    counted = False
    for ident, c in after.containers.items():
        was = before.containers.get(ident)
        ref = naming.named(c)
        if ref is None:
            counted = counted or was is None or _changed(was, c, c.name) is not None
        elif was is None:
            out.append(container_check(c, ref, naming, _maker(c, commands)))
        else:
            if was.name != c.name and naming.named(was) is not None:  # renamed
                out.append({"container": was.name, "state": "absent"})
            if _concerns(c, was, commands):
                spec = _changed(was, c, ref) or ({"container": ref, "state": c.state} if was.name != c.name else None)
                out += [spec] if spec else []
    for ident, was in before.containers.items():
        if ident not in after.containers:
            ref = naming.named(was)
            if ref is None:
                counted = True
            else:
                out.append({"container": ref, "state": "absent"})
    if counted:  # docker named it: it is counted, as `docker ps` and `docker ps -a` list the run's
        running, every = counts(after)
        out.append({"containers": {"running": running, "all": every}})
    out += _volumes(before, after, commands)
    out += [{"image": naming.image(ref)} for ref in sorted(after.images - before.images) if _tagged(ref)]
    out += [{"image": naming.image(ref), "present": False} for ref in sorted(before.images - after.images)
            if _tagged(ref)]  # fmt: skip
    return out


def _tagged(ref: str) -> bool:
    return not ref.startswith("<none>")


def _volumes(before: Held, after: Held, commands: list[Command] | None) -> list[Spec]:
    drivers = {a: d for cmd in commands or [] if cmd.path == "volume create"
               for a in cmd.args[:1] for d in cmd.values("--driver")[-1:]}  # fmt: skip
    out: list[Spec] = []
    for name in sorted(set(after.volumes) - set(before.volumes)):
        if not _ANONYMOUS.fullmatch(name):
            out.append({"volume": name, **({"driver": drivers[name]} if name in drivers else {})})
    for name in sorted(set(before.volumes) - set(after.volumes)):
        if not _ANONYMOUS.fullmatch(name):
            out.append({"volume": name, "present": False})
    return out


def _maker(c: ContainerState, commands: list[Command] | None) -> Command | None:
    """The run or create command of the line that made this container (by the name it gave)."""
    for cmd in commands or []:
        if cmd.path in ("container run", "container create") and c.name in cmd.values("--name"):
            return cmd
    return None


def _concerns(c: ContainerState, was: ContainerState, commands: list[Command] | None) -> bool:
    """Whether the command line acted on this container (named it, by name or ID prefix): a container that
    changed meanwhile by itself (its command ended) is not the command's doing. A line not read by the
    grammar may have acted on any."""
    if commands is None:
        return True
    for cmd in commands:
        for kind, name in commandline.references(cmd.argv):
            if kind in ("container", "any") and name and (name in (c.name, was.name) or c.id.startswith(name)):
                return True
    return False


def counts(held: Held) -> tuple[int, int]:
    """How many of the run's containers `docker ps` lists (running, paused, restarting), and `docker ps -a`."""
    running = sum(1 for c in held.containers.values() if c.state in ("running", "paused", "restarting"))
    return running, len(held.containers)
