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
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.dockercli import commandline, grammar
from dockersim.dockercli.commandline import Command, CommandLineError, Option
from dockersim.grading import builds
from dockersim.host.beneath import Refused, inside
from dockersim.i18n.phrase import Phrase, either

# A vetter takes the value (None for a flag without one) and the workspace, and returns the value to run.
Vetter = Callable[[str | None, Path], str | None]


def _any(value: str | None, _workspace: Path) -> str | None:
    return value


def _only(*allowed: str) -> Vetter:
    def vet(value: str | None, _workspace: Path) -> str | None:
        if value is None or value.lower() not in allowed:
            raise Refused(Phrase("r_only", allowed=either(list(allowed)), value=value))
        return value

    return vet


_NETWORK = re.compile(r"(container:)?[A-Za-z0-9][A-Za-z0-9_.-]*")


def _network(value: str | None, _workspace: Path) -> str | None:
    """A network by its name, or container:NAME; not the host's, and not the client's `name=…,driver-opt=…`
    form, whose `name=host` is the host's network too."""
    if value is not None and value.strip().lower() == "host":
        raise Refused(Phrase("r_host_network"))
    if value is None or not _NETWORK.fullmatch(value):
        raise Refused(Phrase("r_network_value", value=value))
    return value


def _env(value: str | None, _workspace: Path) -> str | None:
    """NAME=VALUE only: a bare NAME makes the client copy the grader's own variable into the container."""
    if value is None or "=" not in value or value.startswith("="):
        raise Refused(Phrase("r_env_value", value=value))
    return value


_VOLUME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_BIND_MODES = {"ro", "rw", "z", "Z", "nocopy", "consistent", "cached", "delegated", "private", "rprivate"}
_SOCKET_NAMES = ("docker.sock", "containerd.sock", "podman.sock")


def _bind_source(source: str, workspace: Path) -> str:
    if any(source.rstrip("/").endswith(s) for s in _SOCKET_NAMES):
        raise Refused(Phrase("r_socket"))
    return inside(workspace, source)


def _volume(value: str | None, workspace: Path) -> str | None:
    """`-v [SOURCE:]TARGET[:MODE]`: a host path is re-rooted in the workspace, a name must be a volume name."""
    assert value is not None
    parts = value.split(":")
    if len(parts) > 3 or not all(parts):
        raise Refused(Phrase("r_volume_form", value=value))
    if len(parts) == 1:
        return value  # an anonymous volume at that path in the container
    source, rest = parts[0], parts[1:]
    if len(rest) == 2:
        modes = set(rest[1].split(","))
        if not modes <= _BIND_MODES:
            raise Refused(Phrase("r_mount_mode", mode=rest[1]))
    kind = commandline.bind_source(value)
    if kind is not None and kind[0] == "volume":
        if not _VOLUME_NAME.fullmatch(source):
            raise Refused(Phrase("r_source", source=source))
        return value
    return ":".join([_bind_source(source, workspace), *rest])


_MOUNT_KEYS = {"type", "source", "src", "target", "destination", "dst", "readonly", "ro", "volume-nocopy",
               "volume-label", "tmpfs-size", "tmpfs-mode", "consistency", "volume-subpath"}  # fmt: skip
_MOUNT_REASONS = {
    "volume-driver": Phrase("r_volume_driver"),
    "volume-opt": Phrase("r_volume_opt"),
    "bind-propagation": Phrase("r_propagation"),
}


def _mount(value: str | None, workspace: Path) -> str | None:
    """`--mount`: CSV fields as the client reads them; bind sources re-rooted, driver options refused."""
    assert value is not None
    try:
        fields = commandline.mount_fields(value)
    except CommandLineError as e:
        raise Refused(e.args[0]) from None
    # docker reads the last of a key given twice, podman the first: what was vetted would not be what ran.
    for names in (("type",), ("source", "src")):
        if sum(k in names for k, _ in fields) > 1:
            raise Refused(Phrase("r_mount_twice", key="/".join(names)))
    kind = ([v or "" for k, v in fields if k == "type"] or ["volume"])[0].lower()
    if kind not in ("bind", "volume", "tmpfs"):
        raise Refused(Phrase("r_mount_type", kind=kind))
    if kind == "bind" and not any(k in ("source", "src") and v for k, v in fields):
        raise Refused(Phrase("r_mount_no_source"))
    out = []
    for key, field_value in fields:
        if key in _MOUNT_REASONS:
            raise Refused(Phrase("r_mount_why", key=key, reason=_MOUNT_REASONS[key]))
        if key not in _MOUNT_KEYS:
            raise Refused(Phrase("r_mount_key", key=key))
        if key in ("source", "src") and field_value is not None:
            if kind == "bind":
                field_value = _bind_source(field_value, workspace)
            elif not _VOLUME_NAME.fullmatch(field_value):
                raise Refused(Phrase("r_not_volume", value=field_value))
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
    # Its context and -f: builds.vet, once its options are.
    "image build": {
        "--tag": _any,
        "--file": _any,
        "--build-arg": builds.build_arg,
        "--target": _any,
        "--no-cache": _any,
        "--label": _any,
        "--quiet": _any,
        "--rm": _any,
        "--force-rm": _any,
        "--network": builds.build_network,
        "--cache-from": builds.cache_from,
    },  # fmt: skip
}

# Why the flags people reach for are refused, in one sentence each; any other unlisted flag gets a plain one.
_POWER = Phrase("r_power")
_HOST_NS = Phrase("r_host_ns")
_HOST_FILES = Phrase("r_host_files")
_RUNTIME = Phrase("r_runtime")
_LOGS = Phrase("r_logs")
REASONS = {
    "--privileged": _POWER, "--cap-add": _POWER, "--device": _POWER, "--device-cgroup-rule": _POWER,
    "--gpus": _POWER, "--security-opt": Phrase("r_confinement"), "--use-api-socket": _POWER,
    "--pid": _HOST_NS, "--ipc": _HOST_NS, "--uts": _HOST_NS, "--userns": _HOST_NS, "--cgroupns": _HOST_NS,
    "--cgroup-parent": Phrase("r_cgroups"), "--runtime": _RUNTIME, "--sysctl": Phrase("r_sysctl"),
    "--isolation": _RUNTIME, "--storage-opt": _POWER, "--log-driver": _LOGS, "--log-opt": _LOGS,
    "--env-file": _HOST_FILES, "--label-file": _HOST_FILES, "--cidfile": _HOST_FILES, "--iidfile": _HOST_FILES,
    "--volume-driver": _MOUNT_REASONS["volume-driver"], "--opt": _MOUNT_REASONS["volume-opt"],
    "--ulimit": Phrase("r_ulimit"), "--oom-kill-disable": Phrase("r_oom"),
}  # fmt: skip
_BUILDKIT = Phrase("r_buildkit")
REASONS.update({
    "--output": _HOST_FILES, "--metadata-file": _HOST_FILES, "--cache-to": Phrase("r_build_cache"),
    "--secret": Phrase("r_build_secret"), "--ssh": Phrase("r_build_secret"),
    "--build-context": Phrase("r_build_contexts"), "--pull": Phrase("r_build_pull"), "--push": Phrase("r_build_push"),
    **{flag: _BUILDKIT for flag in ("--load", "--platform", "--allow", "--builder", "--attest", "--sbom",
                                    "--provenance", "--progress", "--call", "--check", "--annotation",
                                    "--no-cache-filter", "--squash")},
})  # fmt: skip
_CLIENT = Phrase("r_client")
GLOBAL_REASONS = {"--debug": _CLIENT, "--log-level": _CLIENT}
GLOBAL_REASON = Phrase("r_other_engine")
VERB_REASONS = {
    "container cp": _HOST_FILES, "container export": _HOST_FILES, "image save": _HOST_FILES,
    "image load": _HOST_FILES, "image import": _HOST_FILES, "builder": Phrase("r_builder"),
    "buildx": Phrase("r_builder"), "context": Phrase("r_context"), "plugin": _POWER, "swarm": Phrase("r_swarm"),
    "system events": Phrase("r_events"), "login": Phrase("r_login"),
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
            raise Refused(e.args[0]) from None
        if cmd is None:
            raise Refused(Phrase("r_not_docker"))
        for option in cmd.globals:
            if option.name not in ("--help", "--version"):
                raise Refused(Phrase("r_option_why", option=option.name,
                                     reason=GLOBAL_REASONS.get(option.name, GLOBAL_REASON)))  # fmt: skip
        allowed = ALLOWED.get(cmd.path)
        if allowed is None and cmd.path not in self.extra:
            raise Refused(self._why_verb(cmd))
        table = allowed or {}
        extra = self.extra.get(cmd.path, frozenset())
        options = [self._option(cmd, o, table, extra, workspace) for o in cmd.options]
        args = cmd.args
        if cmd.path == builds.BUILD:  # what it reads: a folder of the workspace, and a Dockerfile inside it
            options, args = builds.vet(cmd, options, workspace)
        vetted = Command(cmd.argv, cmd.path, (), tuple(options), args, cmd.options_at)
        return ["docker", *vetted.normalized()[1:]]

    @staticmethod
    def _why_verb(cmd: Command) -> Phrase:
        reason = VERB_REASONS.get(cmd.path) or VERB_REASONS.get(cmd.path.split(" ")[0])
        path = cmd.path or "(nothing)"
        return Phrase("r_verb_why", path=path, reason=reason) if reason else Phrase("r_verb", path=path)

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
                Phrase("r_option_why", option=option.name, reason=reason)
                if reason
                else Phrase("r_option", path=cmd.path, option=option.name)
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
