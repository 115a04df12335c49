"""The engines a grade run grades on: sandboxes it starts on this machine (`--jobs N`), and engines that
exist already, reached through docker contexts (`--engine CONTEXT`). One submission at a time per engine.

A sandbox is the run's own: emptied whole between two submissions. A context's engine is not: what a
submission makes there carries the run's labels (a named volume is noted in the run's journal), and only
that is removed — by this run, or by its reaper if the run dies. Each context's client gets a config folder
of its own holding that one context, so that no other context, credential or proxy of the grader's is a
submission's; an ssh:// context's calls share one SSH connection (ControlMaster).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shlex
import shutil
import stat
import subprocess
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dockersim.checks.probes import HELPER_IMAGE
from dockersim.checks.vocabulary import bare
from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.engine.sandbox.slots import claim
from dockersim.engine.snapshot import normal_ref
from dockersim.engine.state import EngineEvent
from dockersim.errors import DockersimError
from dockersim.grading.grade import (
    Disturbed,
    EngineFault,
    Grade,
    give_back_images,
    grade_one,
    image_ids,
    image_names,
    prepare,
)
from dockersim.grading.spec import Spec
from dockersim.grading.witness import Witness, killed_by_no_one
from dockersim.host import leases
from dockersim.host.leases import Lease
from dockersim.host.limits import Limits, human
from dockersim.i18n.phrase import Phrase, said
from dockersim.kit import stand_ins as kit
from dockersim.ownership.inventory import Inventory, empty
from dockersim.ownership.labels import state_home
from dockersim.ownership.reaping import reap_dead
from dockersim.ownership.run import Ownership
from dockersim.report.files import slug

UNBOUNDED_ENV = "DOCKERSIM_BENCH_UNBOUNDED"  # grading sandboxes without bounds: for the benchmark alone
CLAIM_WAIT = 300.0  # seconds a grade run waits for a sandbox slot when every one is taken
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
SSH_CONFIG_ENV = "DOCKERSIM_SSH_CONFIG"  # an ssh_config file for ssh:// engines (`ssh -F`)
FAILS_PER_SUBMISSION = 2  # a submission under which this many engines failed is not tried on a third


@dataclass
class Record:
    """What results.json says of an engine: what it graded, its canary's score, why it was set aside."""

    name: str
    endpoint: str = ""
    canary: str = ""  # "18/18" when the spec has a reference
    isolation: str = ""  # what root in its containers is on its host: "userns", "rootless", or "none"
    graded: list[str] = field(default_factory=list)
    set_aside: str = ""
    bounds: dict[str, str] = field(default_factory=dict)  # what a submission may use there (bounds.Limits)
    unbounded: list[str] = field(default_factory=list)  # what cannot be bounded there, and why
    disturbed: list[str] = field(default_factory=list)  # submissions whose grading something else disturbed


class GradingEngine(ABC):
    """One engine of the pool: started or joined (up), reset between submissions, left (down)."""

    name: str
    docker: Docker
    engine_host: str  # where its published ports answer
    dedicated: bool  # everything on it is the run's (a sandbox); else only what carries the run's labels
    ownership: Ownership
    remap_root: int | None = None  # the host uid root in its containers is, when known
    make_sources: Callable[[Path, list[str]], None] | None = None  # see runner.Placement
    workspaces: Path | None = None  # where its submissions' workspaces are (on its host)
    limits: Limits | None = None
    each_container: tuple[str, ...] = ()  # options every container a submission makes carries there

    def __init__(self) -> None:
        self.record = Record(self.name)

    def before_submission(self) -> None:  # noqa: B027 - an engine whose bounds need no reading
        """Called just before a submission's first line: ready what bounds it."""

    def hits(self, events: Sequence[EngineEvent] = ()) -> list[str]:
        """The bounds the last submission met, as its feedback says them (`events`: its engine's, as the
        witness read them)."""
        return []

    def renew(self) -> None:
        """A fresh engine in place of this one (a submission's grading was disturbed)."""
        raise SetAside(Phrase("pool_cannot_renew"))

    def witness(self) -> Witness | None:
        """What watches the engine while a submission is graded, where anything but the grader acting on it
        is a disturbance (a dedicated engine); None on an engine shared with others."""
        return None

    @abstractmethod
    def up(self) -> None: ...

    @abstractmethod
    def down(self) -> None: ...

    def reset(self) -> None:
        """Gone: what the last submission made (containers, volumes, networks); its images stay."""
        if self.dedicated:
            empty(self.docker)
        else:
            self.ownership.remove()

    def leftovers(self) -> int:
        """How many objects of an earlier submission are still there."""
        if self.dedicated:
            made = Inventory.read(self.docker)
            made.networks = set()  # the default networks stay; `network prune` removed the rest
        else:
            made = self.ownership.created()
        return len(made.containers) + len(made.volumes) + len(made.networks)

    def answers(self) -> str:
        """Empty when the engine answers now; else why not, in one line."""
        return self.docker.answers()

    def prepare_workspace(self, workspace: Path) -> None:
        """The submission's workspace, empty, writable by root in the engine's containers."""
        if self.docker.local_files:
            shutil.rmtree(workspace, ignore_errors=True)
            if not workspace.exists():
                workspace.mkdir(parents=True)
                if self.remap_root is not None and os.geteuid() == 0:
                    os.chown(workspace, self.remap_root, self.remap_root)
                    workspace.chmod(0o700)  # its own engine's root, and no other sandbox's, may enter
                else:
                    workspace.chmod(0o777)  # whoever root in its containers is may write here, and nowhere else
                return
            # What an earlier container's root left there is not ours to remove: the engine removes it.
        script = "rm -rf /w/* /w/.[!.]* /w/..?* 2>/dev/null; chmod 0777 /w"
        done = self.docker.call(["run", "--rm", "--network", "none", "-v", f"{workspace}:/w", "--entrypoint", "sh",
                                 *self._labels(), HELPER_IMAGE, "-c", script], check=False)  # fmt: skip
        if done.status != 0:
            raise DockersimError(f"could not make the workspace {workspace} on the engine's host: "
                                 f"{done.stderr.strip()[-200:]}")  # fmt: skip

    def before_kit(self) -> None:  # noqa: B027 - a sandbox keeps nothing of its own
        """Called before the kit's names are tagged on the engine: what to give back at down()."""

    def _labels(self) -> list[str]:
        return [word for label in self.ownership.labels for word in ("--label", label)]


class SandboxEngine(GradingEngine):
    """A private engine this run starts, isolated: a throwaway root but for the workspace, user namespaces,
    and bounds (bounds.py) on what its containers use. A dockerd, or for a podman grader podman in the same
    namespaces, on a storage of its own. Either sees the workspace of the submission it grades and no other,
    so that no symlink a container swaps in can lead the engine into another student's: a dockerd is shown
    each workspace in turn (Sandbox.show); podman has no daemon to keep, and each submission gets a sandbox
    of its own (in a second). Its slot is the machine's to give (sandbox.claim): no other run uses it."""

    dedicated = True

    def __init__(self, index: int, config: Path, docker_bin: str, run: Ownership, engine: str = "dockerd",
                 limits: Limits | None = None, progress: Callable[[str], None] | None = None) -> None:  # fmt: skip
        self.index = index
        self.name = f"sandbox {index}"  # as the run numbers its engines: the machine's slot may be any
        self.kind, self.limits, self.progress = engine, limits, progress or (lambda _line: None)
        self.config, self.docker_bin, self.run = config, docker_bin, run
        self.box = Sandbox(f"grade-{index}")  # until up() claims a slot
        self._lease = ""
        self._counters: dict[str, int] = {}
        super().__init__()
        self.record.isolation = "userns"
        if limits is not None:
            self.record.bounds = limits.describe()
        if engine == "podman":
            self.make_sources = self._make_sources

    def _make_sources(self, workspace: Path, paths: list[str]) -> None:
        """The `-v` sources podman would refuse as missing, made as dockerd makes them (make_beneath)."""
        for path in paths:
            make_beneath(workspace, path, self.box.remap_root)

    def up(self) -> None:
        if not self._lease:
            claimed = claim("grade", self.progress, wait=CLAIM_WAIT, isolated=True, engine=self.kind,
                            limits=self.limits)  # fmt: skip
            self.run.hold(claimed.lease)
            self._lease = claimed.lease.name
            box = claimed.box
            self.box = dataclasses.replace(box, stage=box.workspaces if self.kind == "dockerd" else None)
        self.run.note_sandbox(self.box.name, self.box.slot)  # if the run dies, its reaper stops the engine
        self.box.up()
        self.engine_host = self.box.engine_host
        self.remap_root = self.box.remap_root
        # On the sandbox's own disk; what an earlier run that died left there is not this run's to keep.
        self.workspaces = self.box.workspaces
        shutil.rmtree(self.workspaces, ignore_errors=True)
        self.workspaces.mkdir(parents=True)
        self.workspaces.chmod(0o755)  # the engine's remapped root passes through to its own workspace
        self.record.endpoint = self.box.endpoint
        # A client config of its own, empty: the grader's credentials and proxies are not a submission's.
        self.config.mkdir(parents=True, exist_ok=True)
        env = {"DOCKER_HOST": self.box.docker_host, "DOCKER_CONTEXT": "", "DOCKER_CONFIG": str(self.config.resolve())}
        binary = str(self.box.client) if self.box.engine == "podman" else self.docker_bin
        self.docker = Docker(binary, env=env)
        self.ownership = Ownership(self.docker, watched=False)  # the engine is emptied whole: labels suffice

    def prepare_workspace(self, workspace: Path) -> None:
        if self.box.disk.mounted():  # the last submission's bound lifted: the kit's images may be rebuilt
            self.box.disk.open_up()
        if self.box.engine == "podman":  # a new sandbox, on the same storage, seeing this workspace alone
            self.box.down(keep_disk=True)
            super().prepare_workspace(workspace)
            self.box = dataclasses.replace(self.box, shared=(workspace,))
            self.box.up()
            return
        super().prepare_workspace(workspace)
        self.box.show(workspace)

    def before_submission(self) -> None:
        """Its disk leaves the submission its bound exactly (the kit's images beside it), and the kernel's
        counters are read, to tell what the submission hits."""
        if self.limits is not None:
            self.box.disk.leave(self.limits.disk)
            self.box.cgroup.renew(self.limits)  # its counts and peaks, the submission's alone
            self._counters = self.box.cgroup.counters()

    def hits(self, events: Sequence[EngineEvent] = ()) -> list[str]:
        """The bounds the submission met since before_submission, as its feedback says them: read from the
        kernel's counters, and (cgroup v1, which counts a kill for memory in the container's own cgroup, gone
        with it) from a container that died killed by no one while its memory met the bound."""
        if self.limits is None:
            return []
        now, was = self.box.cgroup.counters(), self._counters
        out: list[str] = []
        full = now["memory_peak"] >= self.limits.memory - 2**20  # its memory met the bound, at some moment
        if now["oom_kill"] > was.get("oom_kill", 0) or (full and killed_by_no_one(events)):
            out.append(Phrase("bound_memory", limit=human(self.limits.memory)))
        if now["fork_refused"] > was.get("fork_refused", 0) or now["processes_peak"] >= self.limits.processes:
            out.append(Phrase("bound_processes", limit=self.limits.processes))
        if self.box.disk.mounted() and self.box.disk.free() < max(16 * 1024**2, self.limits.disk // 100):
            out.append(Phrase("bound_disk", limit=human(self.limits.disk)))
        return out

    def witness(self) -> Witness | None:
        return Witness(self.docker, self.box.pid).start()

    def renew(self) -> None:
        """A fresh engine on the same slot (a submission's was disturbed): stopped, emptied, started again."""
        self.box.down()
        self.up()

    def down(self) -> None:
        try:
            if self.workspaces is not None:  # the submissions': none outlives its grading
                shutil.rmtree(self.workspaces, ignore_errors=True)
            self.box.down()
        finally:
            if self._lease:
                self.run.drop(self._lease)
                self._lease = ""


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
        env = {"DOCKER_CONFIG": str(self.config.resolve()), "DOCKER_HOST": "", "DOCKER_CONTEXT": ""}
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
        folder = tempfile.mkdtemp(prefix="dsim-ssh-")  # short: a control socket's path has a length limit
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
            done = self.docker.call(["run", "--rm", "--network", "none", "-v", f"{probe}:/w", *self._labels(),
                                     HELPER_IMAGE, "touch", "/w/root"], check=False)  # fmt: skip
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


def make_beneath(workspace: Path, path: str, owner: int) -> None:
    """The folders of `path` below the workspace that do not exist, each made owned by `owner` (root in the
    engine's containers), as dockerd makes a missing bind source. The workspace is the submission's: its
    containers may swap a folder on the way for a symlink meanwhile, so each step is taken from the folder
    before it, never following a symlink (O_NOFOLLOW); a step that is not a folder ends it."""
    try:
        rest = Path(path).relative_to(workspace)
    except ValueError:
        return  # not below the workspace: vetting refused it, or it is not ours to make
    if ".." in rest.parts:
        return
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        here = os.open(workspace, flags)
    except OSError:
        return
    try:
        for name in rest.parts:
            made = False
            try:
                below = os.open(name, flags, dir_fd=here)
            except FileNotFoundError:
                try:
                    os.mkdir(name, 0o755, dir_fd=here)
                    below = os.open(name, flags, dir_fd=here)
                    made = True
                except OSError:
                    return  # made meanwhile as something else: podman says what it finds
            except OSError:
                return  # a symlink or a file: not followed
            os.close(here)
            here = below
            if made and os.fstat(here).st_uid == os.geteuid():  # the folder just made, not one swapped in
                os.fchown(here, owner, owner)
    finally:
        os.close(here)


ENDPOINT_SCHEMES = ("unix", "tcp", "ssh")  # the addresses DOCKER_HOST takes


def is_endpoint(name: str) -> bool:
    """Whether an --engine names an engine's address (`tcp://lab1:2375`, `ssh://grader@lab1`) rather than a
    docker context."""
    return urlsplit(name).scheme in ENDPOINT_SCHEMES and "://" in name


def parse_engine(value: str) -> tuple[str, str | None]:
    """`CONTEXT` or `CONTEXT=HOST`, or an address as DOCKER_HOST gives one (`tcp://lab1:2375`, `ssh://grader@lab1`)
    in CONTEXT's place (HOST: where its published ports answer, when not its endpoint's host)."""
    name, _, host = value.partition("=")
    if not name.strip() or (_ and not host.strip()):
        raise DockersimError(f"--engine {value!r}: give a docker context's name or an engine's address, or NAME=HOST")
    if "://" in name and not is_endpoint(name.strip()):
        raise DockersimError(f"--engine {value!r}: an engine's address starts unix://, tcp:// or ssh://")
    return name.strip(), host.strip() or None


def read_engine_file(path: Path) -> list[str]:
    """A file of engines, one `CONTEXT[=HOST]` a line; `#` starts a comment."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise DockersimError(f"{path}: {e.strerror or e}") from None
    out = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if " " in text:
            raise DockersimError(f"{path}:{number}: one engine a line, CONTEXT or CONTEXT=HOST")
        out.append(text)
    if not out:  # grading on a local sandbox instead would not be what the file's author meant
        raise DockersimError(f"{path}: names no engine (one CONTEXT or CONTEXT=HOST a line)")
    return out


class SetAside(DockersimError):
    """An engine that cannot grade (any more): it takes no further submission."""


@dataclass
class _Item:
    index: int
    folder: Path
    failed_on: list[str] = field(default_factory=list)  # engines that failed while grading it
    disturbed: list[str] = field(default_factory=list)  # what disturbed its grading, each time it did


class Pool:
    """Submissions handed to engines as each becomes free. An engine is checked before each submission
    (it answers, it holds nothing of an earlier one; grade_one puts the kit's images back as they were) and,
    when the spec has a reference, grades it first as a canary; one that fails is set aside with its reason,
    and a submission it was grading goes back to the others (at most FAILS_PER_SUBMISSION engines)."""

    def __init__(self, spec: Spec, folders: Sequence[Path], lang: str, progress: Callable[[str], None]) -> None:
        self.spec, self.lang, self.progress = spec, lang, progress
        self.total = len(folders)
        self.todo = [_Item(i, folder) for i, folder in enumerate(folders)]
        self.busy = 0
        self.done: dict[int, Grade] = {}
        self.records: list[Record] = []
        self.kit_source: Docker | None = None
        self.stopping = False  # interrupted: no engine takes another submission
        self.images: dict[str, dict[str, str]] = {}  # each engine's kit names and their image IDs
        self.keep: dict[str, set[str]] = {}  # each engine's images that stay between submissions
        self._cond = threading.Condition()

    @property
    def grades(self) -> list[Grade]:
        return [self.done[i] for i in range(self.total)]

    def grade(self, engines: Sequence[GradingEngine]) -> None:
        self.records = [e.record for e in engines]
        with ThreadPoolExecutor(max_workers=max(1, len(engines))) as threads:
            futures = [threads.submit(self._serve, engine) for engine in engines]
            try:
                for future in futures:
                    future.result()
            except BaseException:  # Ctrl+C: what is being graded finishes, and no engine takes another
                with self._cond:
                    self.stopping = True
                    self._cond.notify_all()
                raise
        names = ", ".join(r.name for r in self.records) or "none"
        for item in self.todo:  # every engine was set aside before it got this one (again)
            note = (Phrase("g_engines_failed", engines=", ".join(item.failed_on)) if item.failed_on
                    else Phrase("g_no_engine", engines=names))  # fmt: skip
            self.done[item.index] = Grade.not_graded(item.folder.name, self.spec.max_points, note)

    def _take(self) -> _Item | None:
        """The next submission; None when none is left, nor any that an engine now grading may give back."""
        with self._cond:
            while not self.todo and self.busy and not self.stopping:
                self._cond.wait()  # an engine grading now may fail and hand its submission back
            if not self.todo or self.stopping:
                return None
            self.busy += 1
            return self.todo.pop(0)

    def _give_back(self, item: _Item, grade: Grade | None) -> int:
        """A submission graded, or handed back for another engine (once too often: graded as not gradable);
        how many are done."""
        with self._cond:
            self.busy -= 1
            if grade is None and len(item.failed_on) >= FAILS_PER_SUBMISSION:
                why = (Phrase("g_disturbed", what="; ".join(item.disturbed)) if item.disturbed
                       else Phrase("g_engines_failed", engines=", ".join(item.failed_on)))  # fmt: skip
                grade = Grade.not_graded(item.folder.name, self.spec.max_points, why)
            if grade is None:
                self.todo.insert(0, item)
            else:
                self.done[item.index] = grade
            self._cond.notify_all()
            return len(self.done)

    def _serve(self, engine: GradingEngine) -> None:
        """One engine's share of the work, until none is left or the engine is set aside."""
        try:
            try:
                self._start(engine)
                while (item := self._take()) is not None:
                    self._grade(engine, item)
                return
            except DockersimError as e:
                why = said(e)
            except Exception as e:  # a fault of ours with this engine: it is set aside, and the run goes on
                why = f"{type(e).__name__}: {e}"
            engine.record.set_aside = why
            self.progress(Phrase("pool_set_aside", engine=engine.name, reason=why))
        finally:
            try:
                engine.down()
            except Exception as e:  # the engine is left as it is; the run's reaper tries again
                self.progress(Phrase("pool_not_left", engine=engine.name, error=f"{type(e).__name__}: {e}"))

    def _start(self, engine: GradingEngine) -> None:
        """The engine up, the kit's images in it, and (when the spec has one) its canary passed."""
        engine.up()
        if engine.record.isolation == "none":  # the allow-list is then all that stands between a student and it
            self.progress(Phrase("pool_not_isolated", engine=engine.name))
        engine.before_kit()
        say = self.progress
        self.images[engine.name] = prepare(
            engine.docker, lambda line: say(Phrase("on_engine", slot=engine.name, line=line)), self.kit_source
        )
        self.keep[engine.name] = set(image_ids(engine.docker))  # an engine's own images, and the kit's, stay
        if self.spec.reference is not None:
            self._canary(engine)

    def _grade(self, engine: GradingEngine, item: _Item) -> None:
        """One submission on this engine; handed back to the others when the engine fails under it."""
        grade: Grade | None = None
        try:
            self._ready(engine)
            self.progress(Phrase("pool_grading", engine=engine.name, student=item.folder.name))
            # A submission graded again has a new workspace: the failed engine's containers may still write.
            name = f"{item.folder.name}.again{len(item.failed_on)}" if item.failed_on else None
            try:
                grade = grade_one(self.spec, item.folder, engine, self.images[engine.name], self.lang,
                                  self.keep[engine.name], name)  # fmt: skip
            except Disturbed as e:  # not the submission's doing: graded again, on a fresh engine
                item.failed_on.append(engine.name)
                item.disturbed.append(said(e))
                engine.record.disturbed.append(f"{item.folder.name}: {said(e)}")
                self.progress(Phrase("pool_disturbed", engine=engine.name, student=item.folder.name, what=said(e)))
                self._afresh(engine, Phrase("pool_not_ready", student=item.folder.name, why=said(e)))
                return
            except EngineFault as e:  # not the submission's doing: another engine grades it
                item.failed_on.append(engine.name)
                why = engine.answers()
                self._afresh(engine, Phrase("pool_failed_under", student=item.folder.name, why=why) if why
                             else Phrase("pool_not_ready", student=item.folder.name, why=said(e)))  # fmt: skip
                return
            except DockersimError as e:
                grade = Grade.not_graded(item.folder.name, self.spec.max_points, Phrase("g_stopped", error=said(e)),
                                         engine.name)  # fmt: skip
            except Exception as e:  # a fault of ours: the engine set aside, the submission tried a bounded time
                item.failed_on.append(engine.name)
                why = f"{type(e).__name__}: {e}"
                raise SetAside(Phrase("pool_failed_under", student=item.folder.name, why=why)) from e
            why = engine.answers()
            if why:  # what it found is not the submission's doing: graded again, on this engine afresh or another
                item.failed_on.append(engine.name)
                grade = None
                self._afresh(engine, Phrase("pool_failed_under", student=item.folder.name, why=why))
                return
            engine.record.graded.append(grade.student)
        finally:
            done = self._give_back(item, grade)
        self.progress(f"[{done}/{self.total}] {grade.student}: {grade.score}/{grade.max} "
                      f"({grade.seconds:.0f}s, {engine.name})")  # fmt: skip

    def _afresh(self, engine: GradingEngine, why: str) -> None:
        """An engine that failed under a submission: started afresh where it is the run's own (a sandbox), or
        set aside (SetAside, saying `why`)."""
        if not engine.dedicated:
            raise SetAside(why)
        self.progress(Phrase("pool_afresh", engine=engine.name, why=why))
        try:
            engine.renew()
        except DockersimError as again:
            raise SetAside(f"{why}; {said(again)}") from again

    def _ready(self, engine: GradingEngine) -> None:
        """An engine fit for the next submission: answering, and empty of an earlier one's objects."""
        why = engine.answers()
        if why:
            raise SetAside(Phrase("pool_no_answer", why=why))
        if engine.leftovers():
            engine.reset()
            left = engine.leftovers()
            if left:
                raise SetAside(Phrase("pool_leftovers", n=left))

    def _canary(self, engine: GradingEngine) -> None:
        """The spec's reference solution graded on this engine first: an engine that does not give it every
        point would fail students for its own reasons."""
        assert self.spec.reference is not None
        self.progress(Phrase("pool_canary", engine=engine.name))
        got = grade_one(self.spec, self.spec.reference, engine, self.images[engine.name], self.lang,
                        self.keep[engine.name], name=f".reference-{slug(engine.name)}")  # fmt: skip
        engine.record.canary = f"{got.score}/{got.max}"
        if got.score < got.max:
            missed = "; ".join(f"{c.name}: {c.details[0]}" if c.details else c.name for c in got.checks
                               if c.outcome != "passed") or "; ".join(got.notes)  # fmt: skip
            raise SetAside(Phrase("pool_canary_failed", score=got.score, max=got.max, missed=missed))


def sandbox_engine(grader: Docker) -> str:
    """What runs the sandboxes' containers: podman for a podman grader, else dockerd."""
    return grader.flavour.sandbox


def grade_all(spec: Spec, folders: list[Path], jobs: int, out: Path, docker_bin: str,
              progress: Callable[[str], None], lang: str = "en", contexts: Sequence[str] = ()) -> Pool:  # fmt: skip
    """Grade each folder on the pool: `jobs` sandbox engines and the engines `contexts` name, one submission
    at a time each; the grades in the folders' order, and what each engine did."""
    # The grading engines are this run's: if it dies, its reaper stops them (ownership.py).
    grader = Docker(docker_bin)
    run = Ownership(grader)  # if the run dies (its journal is not closed), the reaper ends them
    workspaces = (out / "workspaces").resolve()  # for engines reached through contexts
    leftovers = reap_dead()
    if leftovers:
        progress(Phrase("reaped", items=", ".join(leftovers)))
    config = (out / ".docker-config").resolve()
    kind = sandbox_engine(grader)
    if kind == "podman" and jobs and any("health" in getattr(bare(c.check), "fields", {}) for c in spec.checks):
        progress(Phrase("pool_podman_health"))
    sandboxes = min(jobs, len(folders))
    # Unbounded only to measure what the bounds cost (bench/neighbours.py); never for a course's grading.
    limits = None if os.environ.get(UNBOUNDED_ENV) == "1" else spec.limits.for_jobs(sandboxes)
    engines: list[GradingEngine] = [SandboxEngine(index, config / "sandbox", docker_bin, run, kind, limits, progress)
                                    for index in range(sandboxes)]  # fmt: skip
    for value in contexts:
        context, host = parse_engine(value)
        engines.append(ContextEngine(context, host, docker_bin, limits and spec.limits, workspaces))
    pool = Pool(spec, folders, lang, progress)
    pool.kit_source = kit.source(grader)  # the kit's images, copied from there rather than built
    if pool.kit_source is not None and jobs:  # built there once when missing, rather than in every sandbox
        try:
            kit.build(pool.kit_source, [r.tag for r in kit.RECIPES.values() if r.stands_for], progress,
                      only_missing=True)  # fmt: skip
        except kit.KitError as e:  # each engine builds what it lacks, as without a source
            progress(str(e))
    pool.grade(engines)
    run.close()
    return pool


def _take_out(out: Path) -> Lease:
    """The --out folder, the run's alone while it writes there (its workspaces, gradebook, feedback)."""
    out.mkdir(parents=True, exist_ok=True)
    folder = out.resolve()
    name = "out-" + hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    lease = leases.try_take(name, out=str(folder), pid=os.getpid(), what="grade")
    if lease is None:
        raise DockersimError(Phrase("out_in_use", out=out, pid=leases.holder(name).get("pid", "?")))
    return lease


def grade_folders(spec: Spec, folders: list[Path], jobs: int, out: Path, docker_bin: str,
                  progress: Callable[[str], None], lang: str = "en",
                  contexts: Sequence[str] = ()) -> list[Grade]:  # fmt: skip
    """`dockersim grade`: the folders checked before any engine starts, graded, and their files written."""
    from dockersim.report.grades import write_all

    for p in folders:
        if not p.is_dir():
            raise DockersimError(f"{p}: a submission should be a folder named after the student")
    if len({p.name for p in folders}) != len(folders):
        raise DockersimError("two submissions have the same folder name")
    names = [parse_engine(value)[0] for value in contexts]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:  # one submission at a time per engine
        raise DockersimError(f"--engine {twice[0]} is named twice")
    grader = Docker(docker_bin)  # the binary exists
    for name in (n for n in names if not is_endpoint(n)):
        if grader.call(["context", "inspect", name], check=False).status != 0:
            raise DockersimError(f"--engine {name}: there is no docker context of that name (docker context ls)")
    if jobs:
        Sandbox(isolated=True, engine=sandbox_engine(grader)).check_can_run()
    elif not contexts:
        raise DockersimError("no engine to grade on: --jobs 0 needs at least one --engine")
    lease = _take_out(out)  # no other grade run writes there meanwhile
    try:
        pool = grade_all(spec, folders, jobs, out, docker_bin, progress, lang, contexts)
        write_all(spec, pool.grades, out, lang, [asdict(r) for r in pool.records])
    finally:
        lease.release()
    return pool.grades
