"""What differs between the engines dockersim drives — docker and podman — held in one value chosen once per
client from what its binary says it is (testinfra picks a backend once from its URL; its modules never
ask which). Every other module asks the flavour, never the name."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_TOML_TABLE = re.compile(r"^\s*\[\s*([\w.-]+)\s*\]")
_DETACH_KEYS = re.compile(r"""^\s*detach_keys\s*=\s*["']([^"']*)["']""")


def _docker_detach_keys(env: dict[str, str]) -> str:
    """docker's `detachKeys` in its config.json."""
    folder = Path(env.get("DOCKER_CONFIG") or Path(env.get("HOME", "~")).expanduser() / ".docker")
    try:
        found = json.loads((folder / "config.json").read_text(encoding="utf-8")).get("detachKeys", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return found if isinstance(found, str) else ""


def _podman_detach_keys(env: dict[str, str]) -> str:
    """containers.conf's [engine] detach_keys, read as podman reads its files: CONTAINERS_CONF alone when
    set, else the system's files, their drop-ins in order, and a rootless user's own."""
    if env.get("CONTAINERS_CONF"):
        files = [Path(env["CONTAINERS_CONF"])]
    else:
        home = Path(env.get("HOME", "~")).expanduser() / ".config" / "containers"
        folders = [Path("/usr/share/containers"), Path("/etc/containers"), *([home] if os.geteuid() else [])]
        files = [f for d in folders for f in (d / "containers.conf", *sorted((d / "containers.conf.d").glob("*.conf")))]
    keys = ""
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        table = ""
        for line in text.splitlines():  # one string key of one table: TOML's form of it, without a TOML parser
            if header := _TOML_TABLE.match(line):
                table = header.group(1)
            elif table == "engine" and (found := _DETACH_KEYS.match(line)):
                keys = found.group(1)
    return keys


@dataclass(frozen=True)
class Flavour:
    name: str  # docker | podman: what results and requires: say
    sandbox: str  # what runs a grading sandbox's containers for this client: dockerd | podman
    detach_keys: Callable[[dict[str, str]], str]  # the keys configured for the client, "" when none
    # A client detached by its keys ends with one of these statuses; and (podman's exec -it, 255) says so.
    detach_statuses: frozenset[int] = frozenset({0, 1})
    detach_says: str = ""
    force_remove: tuple[str, ...] = ("rm", "-f", "-v")  # `rm -f -v` as docker means it: killed at once
    version_from_info: bool = False  # its version has no Server part: `info` says it can run
    events_format: tuple[str, ...] = ("--format", "{{json .}}")
    stats_options: tuple[str, ...] = ()  # `stats` streams readings a second apart
    registry_trusted_when_told: bool = False  # a plain-HTTP registry only through a registries.conf of ours
    kit_from_docker: bool = False  # the kit's stand-ins copied from the machine's docker engine first

    def detached(self, status: int, output: str) -> bool:
        """Whether a client that ended so may have been detached by its keys: docker's run -it exits 0, its
        attach and exec -it 1; podman's exec -it 255, after saying it was detached (it is all the same:
        podman-container-tools/podman#24895). Whether it was is then asked of the container."""
        if status in (0, 1):
            return True
        return status in self.detach_statuses and bool(self.detach_says) and self.detach_says in output


DOCKER = Flavour("docker", "dockerd", _docker_detach_keys)
PODMAN = Flavour(
    "podman", "podman", _podman_detach_keys,
    detach_statuses=frozenset({0, 1, 255}), detach_says="detached from container",
    force_remove=("rm", "-f", "-v", "--time", "0"),  # podman's -f stops it first, with a 10 s grace, unless told
    version_from_info=True, events_format=("--format", "json"), stats_options=("--interval", "1"),
    registry_trusted_when_told=True, kit_from_docker=True,
)  # fmt: skip


def of(version_output: str) -> Flavour:
    """The flavour of a client, from what `BINARY --version` printed."""
    return PODMAN if version_output.lower().startswith("podman") else DOCKER
