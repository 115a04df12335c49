"""A sandbox: a private engine beside any other, in its own network namespace, with its own data root, run
directory, socket, cgroup and (for grading) disk. This module says where each of its parts is, whether it
runs, and how it is stopped and taken down whole; starting it is dockerd.py's or podman.py's, each for the
engine that runs its containers (sandbox.py chooses).

An isolated sandbox (grading) also runs its engine in a private mount namespace on a throwaway root and with
user namespaces: a container's bind of /etc finds a copy, and its root is an unprivileged host uid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dockersim.engine.sandbox.network import Link
from dockersim.errors import DockersimError
from dockersim.host import proc
from dockersim.host.cgroup import Cgroup
from dockersim.host.disk import Disk
from dockersim.host.leases import RUN_ROOT
from dockersim.host.limits import Limits

STATE_ROOT = Path(os.environ.get("DOCKERSIM_STATE", "/var/lib/dockersim"))
# An isolated sandbox's containers run as host uids/gids from here, 65536 per slot: above the ranges useradd
# gives users for their own rootless containers (/etc/subuid: 100000 to 600100000 by login.defs' default),
# so that root in a graded container is no user's container root.
REMAP_FIRST = 1_000_000_000
REMAP_COUNT = 65536
# The stand-ins a grading sandbox keeps (about 1.1 GiB with userns-remap; podman's copy beside dockerd's on a
# slot both have used, and what loading them takes meanwhile) fit beside a submission's disk. The image is
# sparse: the machine's disk holds what is written, not this.
KIT_ROOM = 8 * 1024**3
HOLDERS = ("nsenter", "unshare", "tini")  # a podman sandbox's init, and what starts it
# What each engine needs on the machine, and the packages that bring it.
NEEDS = {"dockerd": (("dockerd",), "docker.io iproute2"),
         "podman": (("podman", "tini", "setpriv", "newuidmap"), "podman tini util-linux uidmap iproute2")}  # fmt: skip


class SandboxError(DockersimError):
    pass


@dataclass(frozen=True)
class Box:
    name: str = "default"
    slot: int = 0  # picks the namespace's link subnet and interface names; one per sandbox running at once
    isolated: bool = False  # a throwaway root and user namespaces (grading); `run --sandbox` binds host folders
    shared: tuple[Path, ...] = ()  # host folders an isolated sandbox's containers may bind, at the same paths
    stage: Path | None = None  # an isolated dockerd's: a host folder it sees empty but for the one `show` gives
    engine: str = "dockerd"  # or "podman" (isolated only): what runs its containers
    limits: Limits | None = None  # bounds on what its containers use together (grading); None: unbounded

    # -- where its parts are -------------------------------------------------------------------------

    @property
    def netns(self) -> str:
        return f"dockersim-{self.name}"

    @property
    def link(self) -> Link:
        return Link(self.slot, self.netns)

    @property
    def data_root(self) -> Path:
        return STATE_ROOT / "engines" / self.name

    @property
    def storage(self) -> tuple[str, ...]:
        """The folders of its data root its engine keeps its state in (an isolated one binds those alone)."""
        return ("data",) if self.engine == "dockerd" else ("storage", "tmp", "build")

    @property
    def disk(self) -> Disk:
        """Its own filesystem, mounted at its data root when it has a disk bound."""
        return Disk(STATE_ROOT / "engines" / f"{self.name}.img", self.data_root)

    @property
    def workspaces(self) -> Path:
        """Where an isolated dockerd's submissions' workspaces are (its stage), on its own disk when bounded."""
        return self.data_root / "workspaces"

    @property
    def cgroup(self) -> Cgroup:
        return Cgroup(f"dockersim-{self.name}")

    @property
    def run_dir(self) -> Path:
        return RUN_ROOT / self.name

    @property
    def pidfile(self) -> Path:
        return self.run_dir / "dockerd.pid"

    @property
    def socket(self) -> Path:
        return self.run_dir / "docker.sock"

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket}"

    @property
    def host_ip(self) -> str:
        """The host's end of the link: where the sandbox reaches the host."""
        return self.link.host_ip

    @property
    def engine_host(self) -> str:
        """The namespace's end of the link: where the sandbox's published ports answer."""
        return self.link.engine_host

    @property
    def client(self) -> Path:
        """A podman sandbox's client: podman, run in the sandbox's namespaces on its own storage."""
        return self.run_dir / "podman"

    @property
    def builder(self) -> Path:
        """A podman sandbox's builder: podman's builds, in a user namespace of their own (podman.py)."""
        return self.run_dir / "podman-build"

    @property
    def builds(self) -> Path:
        """Where a sandbox's builds are: each build's context as it reads it and, on podman, the builder's
        storage; on its own disk, where no container reaches."""
        return self.data_root / "build"

    @property
    def endpoint(self) -> str:
        """Where its engine is reached, as results.json names it."""
        return self.docker_host if self.engine == "dockerd" else f"podman {self.data_root}"

    @property
    def remap_root(self) -> int:
        """The host uid and gid that root in this sandbox's containers is (chown a bind source to it)."""
        return REMAP_FIRST + self.slot * REMAP_COUNT if self.isolated else 0

    @property
    def mntns_file(self) -> Path:
        return self.run_dir / "mntns"

    # -- whether it runs -----------------------------------------------------------------------------

    def pid(self) -> int | None:
        """The engine's process (dockerd, or a podman sandbox's init) while it runs. A pidfile outliving it
        may name a process the numbers went to since: one whose argv does not name this run dir is not it."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if proc.alive(pid) and self.names_me(proc.argv(pid)) else None

    def left_over(self) -> bool:
        """Whether anything of this sandbox is still there: its engine, its namespace, a process in its
        cgroup, its disk mounted."""
        return self.pid() is not None or self.link.exists() or self.disk.mounted() or bool(self.cgroup.processes())

    def names_me(self, argv: list[str]) -> bool:
        """Whether a process's argv names this sandbox's run dir, or a path in it: the mark of its dockerd
        (--pidfile …), its containerd and shims, and a podman sandbox's init."""
        dirs = {str(self.run_dir), str(self.run_dir.resolve())}
        return any(arg in dirs or arg.startswith(tuple(f"{d}/" for d in dirs)) for arg in argv)

    def version(self, docker_binary: str = "docker") -> str | None:
        """The sandbox engine's version if it answers, else None."""
        if self.pid() is None:
            return None
        if self.engine == "podman":
            if not self.client.exists():
                return None
            docker_binary = str(self.client)
        env = {**os.environ, "DOCKER_HOST": self.docker_host}
        env.pop("DOCKER_CONTEXT", None)
        done = subprocess.run([docker_binary, "version", "--format", "{{.Server.Version}}"], capture_output=True,
                              text=True, env=env, timeout=20)  # fmt: skip
        return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None

    def check_can_run(self) -> None:
        if not sys.platform.startswith("linux"):
            raise SandboxError("a sandbox engine needs Linux (dockerd in its own network namespace)")
        if os.geteuid() != 0:
            raise SandboxError("a sandbox engine needs root: it starts dockerd and a network namespace")
        engine, packages = NEEDS[self.engine]
        tools = (*engine, "ip", "nsenter", "iptables", *(("unshare", "pivot_root") if self.isolated else ()))
        missing = [tool for tool in tools if shutil.which(tool) is None]
        if self.isolated:
            taken = _subordinate_owner(self.remap_root, REMAP_COUNT)
            if taken:
                last = self.remap_root + REMAP_COUNT - 1
                raise SandboxError(f"the sandbox's uids {self.remap_root}-{last} are {taken}'s too (/etc/subuid or "
                                   f"/etc/subgid): give {taken} a range below {REMAP_FIRST}")  # fmt: skip
        if missing:
            raise SandboxError(f"a sandbox engine needs {', '.join(missing)} (apt-get install {packages})")

    # -- down ----------------------------------------------------------------------------------------

    def down(self, purge: bool = False, timeout: float = 60.0, keep_disk: bool = False) -> None:
        """Stop its engine (dockerd stops its containers; a podman sandbox's init ends every process in it),
        remove the namespace and the rules, unmount its disk (unless keep_disk: it starts again at once);
        purge: the data too. Safe to call again, and on one that is down."""
        pid = self.pid()
        mntns = self._mntns()
        if pid is not None and proc.program(pid) not in HOLDERS:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.pid() is not None and time.monotonic() < deadline:
                time.sleep(0.1)  # poll: dockerd stopping its containers, bounded by the deadline
        if pid is not None and self.pid() is not None:
            # A podman sandbox's init (or the unshare that starts it, which ignores SIGTERM) has nothing to
            # stop gracefully: podman's state is thrown away. Its end ends every process in its namespace.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        try:
            self._end_leftovers(mntns, timeout)
        finally:
            self.link.down()
        # Its pidfile, stale now (a podman sandbox's init wrote none of its own); and a podman sandbox's
        # client, and podman's state of running containers, thrown away: the next start begins with none.
        self.pidfile.unlink(missing_ok=True)
        self.client.unlink(missing_ok=True)
        self.builder.unlink(missing_ok=True)
        # dockerd's exec root too: a containerd it left (killed with it) must not stand in the next one's way.
        for folder in (self.run_dir / "s", self.run_dir / "b", self.run_dir / "runtime", self.run_dir / "exec"):
            shutil.rmtree(folder, ignore_errors=True)
        self.cgroup.remove()
        if not keep_disk:
            self.disk.down()
        if purge:
            shutil.rmtree(self.data_root, ignore_errors=True)
            self.disk.image.unlink(missing_ok=True)

    def _holders(self) -> set[int]:
        """The live processes of a podman sandbox's holder (nsenter, unshare, tini) whose argv names its run
        dir."""
        return {pid for pid in proc.pids() if proc.program(pid) in HOLDERS and self.names_me(proc.argv(pid))
                and proc.alive(pid)}  # fmt: skip

    def _mntns(self) -> str | None:
        """The mount namespace an isolated engine started in, while something of this sandbox is in it."""
        try:
            mntns = self.mntns_file.read_text().strip()
        except OSError:
            return None
        # Namespace ids are reused once freed: trust the record only while dockerd, its containerd or a
        # shim (their argv names this run dir) is still in that namespace.
        if any(self.names_me(proc.argv(pid)) for pid in proc.in_mount_namespace(mntns)):
            return mntns
        self.mntns_file.unlink(missing_ok=True)
        return None

    def _end_leftovers(self, mntns: str | None, timeout: float) -> None:
        """Kill what an engine that did not stop cleanly left: containers (in its cgroup parent), shims in an
        isolated dockerd's mount namespace, which goes, with its mounts, when the last of them ends, and a
        podman sandbox's holder whose number was never written (the run killed as it started)."""
        deadline = time.monotonic() + timeout
        while left := (self.cgroup.processes() | (proc.in_mount_namespace(mntns) if mntns else set())
                       | self._holders()):  # fmt: skip
            if time.monotonic() >= deadline:
                raise SandboxError(f"processes {sorted(left)} of the sandbox {self.name} outlived {timeout:g}s")
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)  # poll: killed processes ending, bounded by the deadline
        self.mntns_file.unlink(missing_ok=True)


def write_script(path: Path, text: str) -> None:
    """An executable script, written whole beside its place and moved there: never run half written."""
    part = path.with_name(f".{path.name}.new")
    part.write_text(text)
    part.chmod(0o755)
    os.replace(part, path)


def _subordinate_owner(first: int, count: int, tables: tuple[str, ...] = ("/etc/subuid", "/etc/subgid")) -> str:
    """Who /etc/subuid or /etc/subgid gives any of these ids to (for their rootless containers), or ""."""
    for table in tables:
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines():
                owner, _, rest = line.partition(":")
                start, _, length = rest.partition(":")
                if (
                    start.isdigit()
                    and length.isdigit()
                    and int(start) < first + count
                    and first < int(start) + int(length)
                ):
                    return owner
    return ""
