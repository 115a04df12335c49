"""Engines that exist already, reached through docker contexts or addresses (`--engine`): what a submission
makes there carries the run's labels (a named volume is noted in the run's journal), and only that is
removed — by this run, or by its reaper if the run dies. Each context's client gets a config folder of its
own holding that one context, so that no other context, credential or proxy of the grader's is a
submission's; an ssh:// context's calls share one SSH connection (ControlMaster)."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dockersim.engine.client import Docker
from dockersim.engine.connect import is_endpoint
from dockersim.engine.helper import helper
from dockersim.engine.images import normal_ref
from dockersim.errors import DockersimError
from dockersim.grading.engines import GradingEngine
from dockersim.grading.images import give_back_images, image_names
from dockersim.host.limits import Limits
from dockersim.kit import stand_ins as kit
from dockersim.ownership.labels import state_home
from dockersim.ownership.run import Ownership

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


SSH_CONFIG_ENV = "DOCKERSIM_SSH_CONFIG"  # an ssh_config file for ssh:// engines (`ssh -F`)


# ssh makes its control socket as FOLDER/%C (40 hex digits) with a 17-character suffix first, and a socket's
# path has at most 107 bytes.
_SOCKET_NAME = 40 + 17


def control_folder() -> str:
    """A new folder for an ssh wrapper and its control socket, short enough for the socket: under TMPDIR, or
    /tmp where TMPDIR's own path is too long for it."""
    base = tempfile.gettempdir()
    if len(os.fsencode(base)) + len("/dsim-ssh-XXXXXXXX/") + _SOCKET_NAME > 107:
        base = "/tmp"
    return tempfile.mkdtemp(prefix="dsim-ssh-", dir=base)


class ContextEngine(GradingEngine):
    """An engine that exists already, named by a docker context of the grader's."""

    dedicated = False

    def __init__(self, context: str, engine_host: str | None, docker_bin: str, limits: Limits | None = None,
                 workspaces: Path | None = None) -> None:  # fmt: skip
        self.name = context
        self.given_host = engine_host
        self.config, self.docker_bin = Path(), docker_bin
        self.limits, self.workspaces = limits, workspaces
        self._ssh: tuple[str, str] | None = None  # (control folder, destination) of an ssh:// endpoint
        super().__init__()
        if limits is not None:  # each container a submission makes carries them (runner.Placement.bounds)
            shown = limits.describe()
            self.record.bounds = {k: shown[k] for k in ("memory", "processes", "log", "containers")}
            self.record.unbounded = [
                "memory and processes a container each, not a submission's containers together",
                "disk: the engine's own, shared with whatever else it holds",
                "CPUs: the engine's own, shared with whatever else it runs",
            ]

    def up(self) -> None:
        found: dict[str, Any] = {}
        if is_endpoint(self.name):  # an engine's address as DOCKER_HOST gives it: no context, no TLS files
            endpoint = self.name
        else:
            grader = Docker(self.docker_bin)
            done = grader.call(["context", "inspect", self.name, "--format", "{{json .}}"], check=False)
            if done.status != 0:
                raise DockersimError(f"no docker context named {self.name} (docker context ls lists them)")
            found = json.loads(done.stdout)
            endpoint = str(found["Endpoints"]["docker"]["Host"])
        self.record.endpoint = endpoint
        parts = urlsplit(endpoint)
        local = parts.scheme in ("unix", "npipe") or (parts.hostname or "") in LOOPBACK
        self.engine_host = self.given_host or ("127.0.0.1" if local else parts.hostname or "127.0.0.1")
        # A config folder holding this one context and its TLS files, copied as the grader's client stores
        # them; private (0700) and gone at down(), since it may hold the context's keys. Beside the run's
        # journal, not in /tmp: after a reboot the reaper still reaches the engine through it.
        folder = state_home() / "contexts"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.config = Path(tempfile.mkdtemp(prefix="dockersim-context-", dir=folder))
        storage = found.get("Storage") or {}
        for kind in ("MetadataPath", "TLSPath"):
            source = Path(str(storage.get(kind, "")))
            if source.is_dir() and source.name:
                shutil.copytree(source, self.config / "contexts" / source.parent.name / source.name)
        # DOCKER_BUILDKIT=0: a submission's build uses the classic builder, whatever the client (build).
        env = {"DOCKER_CONFIG": str(self.config.resolve()), "DOCKER_HOST": "", "DOCKER_CONTEXT": "",
               "DOCKER_BUILDKIT": "0"}  # fmt: skip
        if parts.scheme == "ssh":
            env["PATH"] = self._ssh_reuse(endpoint) + os.pathsep + os.environ.get("PATH", "")
        if found:
            self.docker = Docker(self.docker_bin, self.name, env)
        else:
            self.docker = Docker(self.docker_bin, None, {**env, "DOCKER_HOST": endpoint})
        self.docker.local_files = local
        why = self.answers()
        if why:
            raise DockersimError(f"does not answer: {why}")
        options = self.docker.call(["info", "--format", "{{json .SecurityOptions}}"], check=False).stdout
        self.record.isolation = next((kind for kind in ("userns", "rootless") if f"name={kind}" in options), "none")
        if self.limits is not None:
            driver = self.docker.call(["info", "--format", "{{.LoggingDriver}}"], check=False).stdout.strip()
            sized = driver in ("json-file", "local", "k8s-file")  # the drivers that take max-size
            self.each_container = self.limits.container_options(log=sized)
            if not sized:
                self.record.bounds.pop("log", None)
                self.record.unbounded.append(f"log: the engine logs to {driver or 'a driver'} without a size bound")
        # Its own journal and reaper: if the run dies, what submissions made there is removed all the same,
        # and then the folders holding the context's keys and its SSH connection.
        self.ownership = Ownership(self.docker, mark=False)
        for folder in (str(self.config), *(self._ssh[:1] if self._ssh else ())):
            self.ownership.note_dir(folder, removed_with_run=False)

    def before_kit(self) -> None:
        """The kit's names (busybox, mysql:5.7 …) noted as they are, before they stand for its images: given
        back at down(), or by the reaper if the run dies."""
        now = image_names(self.docker)
        for ref in sorted({normal_ref(name) for r in kit.RECIPES.values() for name in r.stands_for}):
            self.ownership.note_tag(ref, now.get(ref, ""))

    def _ssh_reuse(self, destination: str) -> str:
        """A folder whose `ssh` runs the real one with a shared connection: the first docker call opens it,
        every other call rides on it, and it closes at down()."""
        real = shutil.which("ssh")
        if real is None:
            raise DockersimError(f"{self.name} is an ssh:// context and there is no ssh client here")
        folder = control_folder()
        # The docker client passes ssh no options of its own choosing: a wrapper first on its PATH does.
        options = ["-o", "ControlMaster=auto", "-o", f"ControlPath={folder}/%C", "-o", "ControlPersist=600"]
        config = os.environ.get(SSH_CONFIG_ENV)
        if config:  # the engines' SSH settings, apart from the grader's own ~/.ssh/config
            options = ["-F", str(Path(config).resolve()), *options]
        wrapper = Path(folder) / "ssh"
        wrapper.write_text(f'#!/bin/sh\nexec {shlex.join([real, *options])} "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        self._ssh = (folder, destination)
        return folder

    def prepare_workspace(self, workspace: Path) -> None:
        if self.docker.local_files and self.remap_root is None:
            self.remap_root = self._root_uid(workspace.parent)
        super().prepare_workspace(workspace)

    def _root_uid(self, workspaces: Path) -> int | None:
        """The host uid that root in this engine's containers is (user namespaces, rootless), found by a
        file one of them makes; None when that cannot be told."""
        probe = Path(tempfile.mkdtemp(prefix=".uid-", dir=workspaces))
        try:
            probe.chmod(0o777)
            done = helper(self.docker, ["-v", f"{probe}:/w"], "touch /w/root", labels=self.ownership.labels)
            return (probe / "root").stat().st_uid if done.status == 0 and (probe / "root").exists() else None
        finally:
            shutil.rmtree(probe, ignore_errors=True)

    def down(self) -> None:
        with contextlib.suppress(DockersimError, AttributeError):
            self.reset()
            give_back_images(self.docker, self.ownership.tags)  # the kit's names and the submissions'
            self.ownership.close()
        if self.config.name.startswith("dockersim-context-"):
            shutil.rmtree(self.config, ignore_errors=True)
        if self._ssh is not None:  # the shared connection closed, not left to its ControlPersist
            folder, destination = self._ssh
            config = os.environ.get(SSH_CONFIG_ENV)
            argv = [shutil.which("ssh") or "ssh", *(["-F", config] if config else []), "-o", f"ControlPath={folder}/%C",
                    "-O", "exit", destination]  # fmt: skip
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(argv, capture_output=True, timeout=20)
            shutil.rmtree(folder, ignore_errors=True)
