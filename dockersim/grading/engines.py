"""The engines a grade run grades on, one submission at a time each: what every one does (GradingEngine),
and the sandboxes this run starts on this machine (SandboxEngine), isolated and bounded, on slots of the
machine's it alone holds."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.engine.helper import helper
from dockersim.engine.images import carry
from dockersim.engine.process import Completed
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.engine.sandbox.slots import claim
from dockersim.engine.state import EngineEvent
from dockersim.errors import DockersimError
from dockersim.grading.builds import Staged
from dockersim.grading.witness import Witness, killed_by_no_one
from dockersim.host.beneath import make_beneath
from dockersim.host.cgroup import Cgroup
from dockersim.host.limits import Limits, human
from dockersim.i18n.phrase import Phrase
from dockersim.ownership.inventory import Inventory, empty
from dockersim.ownership.run import Ownership

UNBOUNDED_ENV = "DOCKERSIM_BENCH_UNBOUNDED"  # grading sandboxes without bounds: for the benchmark alone


CLAIM_WAIT = 300.0  # seconds a grade run waits for a sandbox slot when every one is taken


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
        done = helper(self.docker, ["-v", f"{workspace}:/w"], script, labels=self.ownership.labels)
        if done.status != 0:
            raise DockersimError(f"could not make the workspace {workspace} on the engine's host: "
                                 f"{done.stderr.strip()[-200:]}")  # fmt: skip

    @property
    def build_stage(self) -> Path | None:
        """Where a submission's build has its context copied for the build to read (builds.stage): beside
        the workspaces, where no container's bind reaches. None where the grader cannot read the workspace
        (an engine on another machine): no build runs there."""
        if self.workspaces is None or not self.docker.local_files:
            return None
        return self.workspaces / ".builds"

    def build(self, staged: Staged, timeout: float, keep: int) -> Completed:
        """A submission's build, as this engine builds: the docker client's classic builder (the client's
        environment says DOCKER_BUILDKIT=0, on 20.10 and on 28 with buildx alike), reading the copy."""
        return self.docker.run_argv(self.docker.argv(staged.argv()[1:]), timeout=timeout, keep=keep)

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
        # DOCKER_BUILDKIT=0: a submission's build uses the classic builder, whatever the client (build).
        env = {"DOCKER_HOST": self.box.docker_host, "DOCKER_CONTEXT": "", "DOCKER_CONFIG": str(self.config.resolve()),
               "DOCKER_BUILDKIT": "0"}  # fmt: skip
        binary = str(self.box.client) if self.box.engine == "podman" else self.docker_bin
        self.docker = Docker(binary, env=env)
        self.ownership = Ownership(self.docker, watched=False)  # the engine is emptied whole: labels suffice

    def prepare_workspace(self, workspace: Path) -> None:
        if self.box.disk.mounted():  # the last submission's bound lifted: the kit's images may be rebuilt
            self.box.disk.open_up()
        if self.box.engine == "podman":  # a new sandbox, on the same storage, seeing this workspace alone
            self.box.down(keep_disk=True)
            shutil.rmtree(self.box.builds, ignore_errors=True)  # the last submission's builds, and their storage
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

    @property
    def build_stage(self) -> Path | None:
        return self.box.builds / "contexts"  # on the sandbox's own disk; seen by a podman sandbox's builder

    def build(self, staged: Staged, timeout: float, keep: int) -> Completed:
        """On podman, by the sandbox's builder (Box.builder): the images the Dockerfile starts from carried to
        its storage first, as the sandbox's storage has them now, and what it built carried back."""
        if self.box.engine != "podman":
            return super().build(staged, timeout, keep)
        deadline = time.monotonic() + timeout
        builder = Docker(str(self.box.builder))
        for ref in staged.bases:
            have = [d.call(["image", "inspect", "--format", "{{.Id}}", ref], check=False).stdout
                    for d in (self.docker, builder)]  # fmt: skip
            if have[0].strip() and have[0] != have[1]:
                carry(self.docker, builder, [ref], timeout=max(1.0, deadline - time.monotonic()))
        iid = self.box.run_dir / "b" / "iid"
        iid.unlink(missing_ok=True)
        # docker's image format, as docker builds (OCI's has no HEALTHCHECK); the sandbox's network, as its
        # containers have; the ID, to carry the image back when it has no name.
        argv = builder.argv(staged.argv(("--format=docker", "--network=host", f"--iidfile={iid}"))[1:])
        done = builder.run_argv(argv, timeout=max(1.0, deadline - time.monotonic()), keep=keep)
        if done.timed_out:  # what the killed client left running in the builder's cgroup
            for pid in Cgroup(f"{self.box.cgroup.name}/build").processes():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        elif done.status == 0 and iid.is_file():
            moved = carry(builder, self.docker, staged.tags or [iid.read_text().strip()],
                          timeout=max(1.0, deadline - time.monotonic()))  # fmt: skip
            if moved.status != 0:
                done = dataclasses.replace(done, status=moved.status, stderr=done.stderr + moved.stderr)
        return done

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


class SetAside(DockersimError):
    """An engine that cannot grade (any more): it takes no further submission."""
