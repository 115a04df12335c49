"""What a submission may run: an allow-list of verbs and flags a container course needs, and nothing else.

A line is read by the one grammar (commandline.parse), then every option is looked up here: a flag that is
not listed is refused with a sentence that says why; a listed flag's value may be vetted or rewritten (bind
sources are re-rooted under the submission's workspace). What runs is the command as the grammar read it,
spelled one way (Command.normalized), so what was vetted is exactly what the client sees.
A homework spec may widen the list for one homework (`allow:`); global options are never allowed.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dockersim import commandline, grammar
from dockersim.commandline import Command, CommandLineError, Option


class Refused(Exception):
    """A submission line that does not run, with the reason in one sentence."""


# A vetter takes the value (None for a flag without one) and the workspace, and returns the value to run.
Vetter = Callable[[str | None, Path], str | None]


def _any(value: str | None, _workspace: Path) -> str | None:
    return value


def _only(*allowed: str) -> Vetter:
    def vet(value: str | None, _workspace: Path) -> str | None:
        if value is None or value.lower() not in allowed:
            raise Refused(f"only {' or '.join(allowed)} may be given here, not {value!r}")
        return value

    return vet


_NETWORK = re.compile(r"(container:)?[A-Za-z0-9][A-Za-z0-9_.-]*")


def _network(value: str | None, _workspace: Path) -> str | None:
    """A network by its name, or container:NAME; not the host's, and not the client's `name=…,driver-opt=…`
    form, whose `name=host` is the host's network too."""
    if value is not None and value.strip().lower() == "host":
        raise Refused("the host's network would be the grading machine's")
    if value is None or not _NETWORK.fullmatch(value):
        raise Refused(f"--network takes a network's name or container:NAME, not {value!r}")
    return value


def _env(value: str | None, _workspace: Path) -> str | None:
    """NAME=VALUE only: a bare NAME makes the client copy the grader's own variable into the container."""
    if value is None or "=" not in value or value.startswith("="):
        raise Refused(f"-e takes NAME=VALUE, not {value!r} (a bare NAME would copy the grader's own variable)")
    return value


_VOLUME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_BIND_MODES = {"ro", "rw", "z", "Z", "nocopy", "consistent", "cached", "delegated", "private", "rprivate"}
_SOCKET_NAMES = ("docker.sock", "containerd.sock", "podman.sock")


def inside(workspace: Path, host_path: str) -> str:
    """host_path as seen from the workspace: absolute paths start at its root, relative ones in it; `..`
    and symlinks are resolved first, and a path that would leave the workspace is refused."""
    root = workspace.resolve()
    try:
        candidate = Path(os.path.normpath(root / host_path.lstrip("/~")))
        resolved = candidate.resolve()  # a symlink made by an earlier container must not lead out either
    except (OSError, ValueError) as e:
        raise Refused(f"the host path {host_path!r} cannot be used ({e})") from None
    if resolved != root and root not in resolved.parents:
        raise Refused(f"the host path {host_path} leads outside the submission's workspace")
    return str(resolved)


def _bind_source(source: str, workspace: Path) -> str:
    if any(source.rstrip("/").endswith(s) for s in _SOCKET_NAMES):
        raise Refused("mounting an engine's socket would hand the container the engine")
    return inside(workspace, source)


def _volume(value: str | None, workspace: Path) -> str | None:
    """`-v [SOURCE:]TARGET[:MODE]`: a host path is re-rooted in the workspace, a name must be a volume name."""
    assert value is not None
    parts = value.split(":")
    if len(parts) > 3 or not all(parts):
        raise Refused(f"-v {value} is not SOURCE:TARGET[:MODE] or a container path")
    if len(parts) == 1:
        return value  # an anonymous volume at that path in the container
    source, rest = parts[0], parts[1:]
    if len(rest) == 2:
        modes = set(rest[1].split(","))
        if not modes <= _BIND_MODES:
            raise Refused(f"mount mode {rest[1]} is not allowed (use ro, rw, z, Z or nocopy)")
    kind = commandline.bind_source(value)
    if kind is not None and kind[0] == "volume":
        if not _VOLUME_NAME.fullmatch(source):
            raise Refused(f"{source} is neither a host path nor a volume name")
        return value
    return ":".join([_bind_source(source, workspace), *rest])


_MOUNT_KEYS = {"type", "source", "src", "target", "destination", "dst", "readonly", "ro", "volume-nocopy",
               "volume-label", "tmpfs-size", "tmpfs-mode", "consistency", "volume-subpath"}  # fmt: skip
_MOUNT_REASONS = {
    "volume-driver": "a volume driver can mount the grading machine's files",
    "volume-opt": "volume driver options can mount the grading machine's files (type=none,o=bind,device=…)",
    "bind-propagation": "mount propagation can carry mounts back to the grading machine",
}


def _mount(value: str | None, workspace: Path) -> str | None:
    """`--mount`: CSV fields as the client reads them; bind sources re-rooted, driver options refused."""
    assert value is not None
    try:
        fields = commandline.mount_fields(value)
    except CommandLineError as e:
        raise Refused(str(e)) from None
    kind = ([v or "" for k, v in fields if k == "type"] or ["volume"])[-1].lower()  # the client takes the last
    if kind not in ("bind", "volume", "tmpfs"):
        raise Refused(f"--mount type={kind} is not allowed (bind, volume or tmpfs)")
    out = []
    for key, field_value in fields:
        if key in _MOUNT_REASONS:
            raise Refused(f"--mount {key}: {_MOUNT_REASONS[key]}")
        if key not in _MOUNT_KEYS:
            raise Refused(f"--mount {key} is not allowed in a submission")
        if key in ("source", "src") and field_value is not None:
            if kind == "bind":
                field_value = _bind_source(field_value, workspace)
            elif not _VOLUME_NAME.fullmatch(field_value):
                raise Refused(f"{field_value} is not a volume name")
        out.append(key if field_value is None else f"{key}={field_value}")
    text = io.StringIO()
    csv.writer(text, lineterminator="").writerow(out)
    return text.getvalue()


# -- the list --------------------------------------------------------------------------------------

_LIST: dict[str, Vetter] = {"--all": _any, "--filter": _any, "--format": _any, "--quiet": _any, "--no-trunc": _any}
_CREATE: dict[str, Vetter] = {
    "--name": _any, "--detach": _any, "--interactive": _any, "--tty": _any, "--rm": _any, "--env": _env,
    "--publish": _any, "--publish-all": _any, "--expose": _any, "--volume": _volume, "--mount": _mount,
    "--volumes-from": _any, "--link": _any, "--workdir": _any, "--entrypoint": _any, "--hostname": _any,
    "--network": _network, "--net": _network, "--network-alias": _any, "--net-alias": _any, "--restart": _any,
    "--user": _any, "--label": _any, "--detach-keys": _any, "--sig-proxy": _any, "--init": _any,
    "--read-only": _any, "--tmpfs": _any, "--memory": _any, "--cpus": _any, "--add-host": _any, "--dns": _any,
    "--dns-search": _any, "--dns-option": _any, "--domainname": _any, "--stop-signal": _any,
    "--stop-timeout": _any, "--health-cmd": _any, "--health-interval": _any, "--health-retries": _any,
    "--health-timeout": _any, "--health-start-period": _any, "--no-healthcheck": _any, "--pull": _any,
    "--quiet": _any, "--ip": _any, "--attach": _any,
}  # fmt: skip
ALLOWED: dict[str, dict[str, Vetter]] = {
    "": {},  # `docker` alone; global options are never allowed
    "version": {"--format": _any},
    "system info": {"--format": _any},
    "system df": {"--format": _any, "--verbose": _any},
    "system prune": {"--all": _any, "--force": _any, "--volumes": _any, "--filter": _any},
    "container run": _CREATE,
    "container create": _CREATE,
    "container start": {"--attach": _any, "--interactive": _any, "--detach-keys": _any},
    "container stop": {"--time": _any, "--timeout": _any, "--signal": _any},
    "container restart": {"--time": _any, "--timeout": _any, "--signal": _any},
    "container kill": {"--signal": _any},
    "container rm": {"--force": _any, "--volumes": _any, "--link": _any},
    "container ls": {**_LIST, "--last": _any, "--latest": _any, "--size": _any},
    "container inspect": {"--format": _any, "--size": _any},
    "container logs": {
        "--follow": _any,
        "--tail": _any,
        "--timestamps": _any,
        "--since": _any,
        "--until": _any,
        "--details": _any,
    },  # fmt: skip
    "container exec": {
        "--detach": _any,
        "--interactive": _any,
        "--tty": _any,
        "--env": _env,
        "--user": _any,
        "--workdir": _any,
        "--detach-keys": _any,
    },  # fmt: skip
    "container attach": {"--detach-keys": _any, "--no-stdin": _any, "--sig-proxy": _any},
    "container port": {},
    "container rename": {},
    "container pause": {},
    "container unpause": {},
    "container top": {},
    "container wait": {},
    "container diff": {},
    "container stats": {"--no-stream": _any, "--all": _any, "--format": _any, "--no-trunc": _any},
    "container prune": {"--force": _any, "--filter": _any},
    "inspect": {"--format": _any, "--size": _any, "--type": _any},
    "image ls": {**_LIST, "--digests": _any},
    "image pull": {"--quiet": _any, "--all-tags": _any},
    "image rm": {"--force": _any, "--no-prune": _any},
    "image inspect": {"--format": _any},
    "image history": {**_LIST, "--human": _any},
    "image tag": {},
    "image prune": {"--all": _any, "--force": _any, "--filter": _any},
    "volume create": {"--name": _any, "--label": _any, "--driver": _only("local")},
    "volume ls": {**_LIST},
    "volume inspect": {"--format": _any},
    "volume rm": {"--force": _any},
    "volume prune": {"--all": _any, "--force": _any, "--filter": _any},
    "network create": {
        "--driver": _only("bridge"),
        "--internal": _any,
        "--label": _any,
        "--subnet": _any,
        "--gateway": _any,
        "--ip-range": _any,
        "--attachable": _any,
    },  # fmt: skip
    "network ls": {**_LIST},
    "network inspect": {"--format": _any, "--verbose": _any},
    "network rm": {"--force": _any},
    "network connect": {"--alias": _any, "--ip": _any, "--link": _any},
    "network disconnect": {"--force": _any},
    "network prune": {"--force": _any, "--filter": _any},
}

# Why the flags people reach for are refused, in one sentence each; any other unlisted flag gets a plain one.
_POWER = "gives a container power over the grading machine"
_HOST_NS = "would share a namespace of the grading machine"
_HOST_FILES = "reads or writes the grading machine's files"
REASONS = {
    "--privileged": _POWER, "--cap-add": _POWER, "--device": _POWER, "--device-cgroup-rule": _POWER,
    "--gpus": _POWER, "--security-opt": "weakens the container's confinement", "--use-api-socket": _POWER,
    "--pid": _HOST_NS, "--ipc": _HOST_NS, "--uts": _HOST_NS, "--userns": _HOST_NS, "--cgroupns": _HOST_NS,
    "--cgroup-parent": "places the container in the grading machine's cgroups",
    "--runtime": "chooses how the grading machine runs the container", "--sysctl": "changes kernel settings",
    "--isolation": "chooses how the grading machine runs the container", "--storage-opt": _POWER,
    "--log-driver": "sends logs outside the engine", "--log-opt": "sends logs outside the engine",
    "--env-file": _HOST_FILES, "--label-file": _HOST_FILES, "--cidfile": _HOST_FILES, "--iidfile": _HOST_FILES,
    "--volume-driver": _MOUNT_REASONS["volume-driver"], "--opt": _MOUNT_REASONS["volume-opt"],
    "--ulimit": "changes the grading machine's limits", "--oom-kill-disable": "can take the grading machine's memory",
}  # fmt: skip
_CLIENT = "changes the grader's client settings"
GLOBAL_REASONS = {"--debug": _CLIENT, "--log-level": _CLIENT}
GLOBAL_REASON = "would reach another engine than the grader's"
VERB_REASONS = {
    "container cp": _HOST_FILES, "container export": _HOST_FILES, "image save": _HOST_FILES,
    "image load": _HOST_FILES, "image import": _HOST_FILES, "image build": _HOST_FILES,
    "context": "would reach another engine", "plugin": _POWER, "swarm": "would change the engine's role",
    "system events": "never ends by itself", "login": "writes credentials on the grading machine",
}  # fmt: skip


@dataclass(frozen=True)
class Policy:
    """The allow-list in force: the built-in one, widened by a spec's `allow:`."""

    extra: dict[str, frozenset[str]] = field(default_factory=dict)  # verb -> flags allowed beyond the list

    def vet(self, words: list[str], workspace: Path) -> list[str]:
        """The argv to run for a submission line, or Refused with the reason."""
        try:
            cmd = commandline.parse(words)
        except CommandLineError as e:
            raise Refused(str(e)) from None
        if cmd is None:
            raise Refused("this is not a docker command")
        for option in cmd.globals:
            if option.name not in ("--help", "--version"):
                raise Refused(f"{option.name} {GLOBAL_REASONS.get(option.name, GLOBAL_REASON)}")
        allowed = ALLOWED.get(cmd.path)
        if allowed is None and cmd.path not in self.extra:
            raise Refused(f"docker {cmd.path or '(nothing)'} is not allowed in a submission" + self._why_verb(cmd))
        table = allowed or {}
        extra = self.extra.get(cmd.path, frozenset())
        options = [self._option(cmd, o, table, extra, workspace) for o in cmd.options]
        vetted = Command(cmd.argv, cmd.path, (), tuple(options), cmd.args, cmd.options_at)
        return ["docker", *vetted.normalized()[1:]]

    @staticmethod
    def _why_verb(cmd: Command) -> str:
        reason = VERB_REASONS.get(cmd.path) or VERB_REASONS.get(cmd.path.split(" ")[0])
        return f": it {reason}" if reason else ""

    @staticmethod
    def _option(cmd: Command, option: Option, table: dict[str, Vetter], extra: frozenset[str], ws: Path) -> Option:
        if option.name == "--help":
            return option
        vetter = table.get(option.name)
        if vetter is None and option.name in extra:
            # Widened by the spec: any value, but host paths are still re-rooted.
            vetter = table.get(option.name) or {"--volume": _volume, "--mount": _mount}.get(option.name, _any)
        if vetter is None:
            reason = REASONS.get(option.name)
            if cmd.path == "volume create" and option.name == "--driver":
                reason = _MOUNT_REASONS["volume-driver"]
            raise Refused(
                f"{option.name} {reason}"
                if reason
                else f"docker {cmd.path} {option.name} is not allowed in a submission"
            )
        return Option(option.name, vetter(option.value, ws), option.at, option.written)


def widened(entries: Iterable[str]) -> tuple[Policy, list[str]]:
    """A Policy from a spec's `allow:` entries ("docker cp", "docker run --privileged"), and one problem
    sentence per entry that names no docker verb or flag."""
    extra: dict[str, set[str]] = {}
    problems: list[str] = []
    g = grammar.load()
    for entry in entries:
        words = entry.split()
        path_words = [w for w in words if not w.startswith("-")]
        flags = [w for w in words if w.startswith("-")]
        if not path_words or path_words[0] != "docker":
            problems.append(f"allow: '{entry}' should start with docker, such as 'docker run --privileged'")
            continue
        verb = g.verb(" ".join(path_words[1:]))
        if not path_words[1:]:
            problems.append(f"allow: '{entry}' names no docker command (global options are never allowed)")
            continue
        if verb is None:
            problems.append(f"allow: '{' '.join(path_words[1:])}' is not a docker command")
            continue
        names: set[str] = set()
        for flag in flags:
            name = verb.long_name(flag.split("=", 1)[0])
            if name is None:
                problems.append(f"allow: docker {verb.path} has no option {flag}")
            names.add(name or flag)
        extra.setdefault(verb.path, set()).update(names)
    return Policy({k: frozenset(v) for k, v in extra.items()}), problems


DEFAULT = Policy()
