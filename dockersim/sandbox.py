"""A private engine beside any other: dockerd in its own network namespace, with its own data root,
exec root, pidfile, socket and default bridge.

In its namespace the default bridge is 172.17.0.0/16 as on a fresh engine, its published ports never
clash with the host's or another sandbox's, and its containers reach Debian's archive through a veth
pair and NAT. Its published ports answer on the namespace's address (`engine_host`).

An isolated sandbox (grading) also runs dockerd in a private mount namespace on a throwaway root and
with user namespaces: a container's bind of /etc finds a copy, and its root is an unprivileged host uid.

A podman sandbox has no daemon: its namespaces (network, mount, and PID) are held by an init process
(tini), and each podman command enters them, with the sandbox's own storage, through a client script
(`client`); every container it runs is in the same user namespace a dockerd sandbox's would be. Ending the
init ends every process in the sandbox at once.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockersim import leases
from dockersim.bounds import KIT_ROOM, Cgroup, Disk, Limits
from dockersim.errors import DockersimError
from dockersim.leases import RUN_ROOT, Lease
from dockersim.messages import Phrase

STATE_ROOT = Path(os.environ.get("DOCKERSIM_STATE", "/var/lib/dockersim"))
RUN_SLOTS = range(0, 10)  # `run --sandbox` and `practice --sandbox`: slot 0 is `default`, the one engine up starts
GRADE_SLOTS = range(10, 250)  # grading sandboxes; 10.213.255.0 is the kit registry's (registry.SANDBOX_ADDRESS)
OPEN_FILES = 65536  # a grading container's open files, at most (docker's own default is 1048576)
SUBNET = "10.213"  # 10.213.<slot>.0/30 links each sandbox's namespace to the host
# An isolated sandbox's containers run as host uids/gids from here, 65536 per slot: above the ranges useradd
# gives users for their own rootless containers (/etc/subuid: 100000 to 600100000 by login.defs' default),
# so that root in a graded container is no user's container root.
REMAP_FIRST = 1_000_000_000
REMAP_COUNT = 65536
_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # in a podman sandbox's root: /usr's

# Runs as root in the sandbox's network namespace and a new private mount namespace, so that nothing it
# mounts is seen by the host and everything goes when the last process in it ends. It builds a root on a
# fresh tmpfs and pivots into it (not chroot: runc's own pivot_root fails under a chroot), then execs
# dockerd. Arguments: the new root's mount point, the remap's first id and count, the number of host
# folders to bind, those folders, the number of folders to make empty, those, then dockerd's argv. The
# folders (run dir, data root, shared ones) are bound at the same paths as on the host, so that the socket,
# the pidfile and bind sources agree; an empty one is a stage, where `Sandbox.show` binds one folder later.
_ISOLATE = r"""
set -eu
root=$1 first=$2 count=$3 binds=$4
shift 4
mount -t tmpfs -o mode=0755 dockersim-root "$root"
cd "$root"
mkdir usr etc proc sys dev tmp var run root .oldroot
chmod 1777 tmp
chmod 0700 root
ln -s usr/bin bin
ln -s usr/sbin sbin
ln -s usr/lib lib
ln -s usr/lib64 lib64
mount --bind /usr usr
mount -o remount,bind,ro usr

# /etc: only what dockerd, containerd, runc and iptables read; the host's is never written.
for f in resolv.conf hosts hostname nsswitch.conf host.conf ld.so.cache protocols services ethertypes; do
  if [ -e "/etc/$f" ]; then cp -L "/etc/$f" "etc/$f"; fi
done
mkdir etc/alternatives etc/docker
# How podman behaves, as the machine sets it; not its networks, registry keys, default mounts or hooks.
mkdir -p etc/containers
for f in containers.conf containers.conf.d registries.conf registries.conf.d policy.json; do
  if [ -e "/etc/containers/$f" ]; then cp -RL "/etc/containers/$f" etc/containers/; fi
done
policy='{"default": [{"type": "insecureAcceptAnything"}]}'  # podman reads it to load or pull an image
[ -e etc/containers/policy.json ] || echo "$policy" > etc/containers/policy.json
for alt in /etc/alternatives/iptables* /etc/alternatives/ip6tables*; do
  if [ -L "$alt" ]; then cp -P "$alt" etc/alternatives/; fi
done
if [ -e /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p etc/ssl/certs
  cp -L /etc/ssl/certs/ca-certificates.crt etc/ssl/certs/
fi
grep -v '^dockremap:' /etc/passwd > etc/passwd || true
grep -v '^dockremap:' /etc/group > etc/group || true
echo "dockremap:x:$first:$first:dockersim user namespace:/nonexistent:/usr/sbin/nologin" >> etc/passwd
echo "dockremap:x:$first:" >> etc/group
echo "dockremap:$first:$count" > etc/subuid
echo "dockremap:$first:$count" > etc/subgid

mount -t proc proc proc
mount --rbind /sys sys
mount -t tmpfs -o mode=0755,nosuid dockersim-dev dev
for d in null zero full random urandom tty; do
  touch "dev/$d"
  mount --bind "/dev/$d" "dev/$d"
done
mkdir dev/pts dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts dev/pts
ln -s pts/ptmx dev/ptmx
mount -t tmpfs -o mode=1777,nosuid,nodev shm dev/shm
ln -s /proc/self/fd dev/fd
ln -s /proc/self/fd/0 dev/stdin
ln -s /proc/self/fd/1 dev/stdout
ln -s /proc/self/fd/2 dev/stderr

while [ "$binds" -gt 0 ]; do
  mkdir -p "$root$1"
  mount --bind "$1" "$root$1"
  shift
  binds=$((binds - 1))
done
empties=$1
shift
while [ "$empties" -gt 0 ]; do
  mkdir -p "$root$1"
  shift
  empties=$((empties - 1))
done

pivot_root . .oldroot
cd /
umount -l /.oldroot
rmdir /.oldroot
exec "$@"
"""

# Run as its own process (setns needs a single thread) by Sandbox.show, as root: argv is the pid of a process
# in the sandbox's mount namespace, the stage and the folder to show. The folder is cloned as a detached mount
# in the host's namespace (open_tree), then, in the sandbox's, whatever the stage held is unmounted and the
# clone moved in at the folder's own path (move_mount; Linux 5.2). Nothing of it is in the host's namespace.
_SHOW = r"""
import ctypes, os, shutil, sys
libc = ctypes.CDLL(None, use_errno=True)
def check(result, what):
    if result < 0:
        raise SystemExit(f"{what}: {os.strerror(ctypes.get_errno())}")
    return result
pid, stage, folder = sys.argv[1:]
tree = check(libc.syscall(428, -100, folder.encode(), 1 | os.O_CLOEXEC), "open_tree")  # OPEN_TREE_CLONE
check(libc.setns(os.open(f"/proc/{pid}/ns/mnt", os.O_RDONLY), 0x20000), "setns")  # CLONE_NEWNS
for name in os.listdir(stage):  # the stage is the sandbox's own now: a folder on its throwaway root
    shown = os.path.join(stage, name)
    while libc.umount2(shown.encode(), 2 | 8) == 0:  # MNT_DETACH | UMOUNT_NOFOLLOW, each mount stacked there
        pass
    if ctypes.get_errno() != 22:  # EINVAL: no mount left there
        check(-1, "umount")
    if os.lstat(shown).st_dev != os.lstat(stage).st_dev:
        raise SystemExit(f"{shown} is still another file system's")
    shutil.rmtree(shown)  # the folder the mount was on, or one the engine made for a bind (and its files)
os.mkdir(folder)
check(libc.syscall(429, tree, b"", -100, folder.encode(), 4), "move_mount")  # MOVE_MOUNT_F_EMPTY_PATH
# Its own peer group: no mount event under it goes back to the host's, or comes from there.
check(libc.mount(None, folder.encode(), None, (1 << 18) | 16384, None), "make private")  # MS_PRIVATE | MS_REC
"""


class SandboxError(DockersimError):
    pass


def _run(argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if check and done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise SandboxError(f"setting up the sandbox failed at `{' '.join(argv)}`: {why}")
    return done


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


_HOLDERS = ("nsenter", "unshare", "tini")  # a podman sandbox's init, and what starts it


def _open_files() -> int:
    """A grading container's bound on open files: OPEN_FILES, or less where the machine allows less (a
    container may not be given more than its engine has)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)


def _write_script(path: Path, text: str) -> None:
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


def _moves_mounts() -> bool:
    """Whether the kernel has open_tree (and move_mount, from the same release): asked with a bad descriptor."""
    import ctypes
    import errno

    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(428, -1, b"", 0) == 0 or ctypes.get_errno() != errno.ENOSYS


def _program(pid: int) -> str:
    """The name of the program a process runs (its argv[0]'s last part), "" when it is gone."""
    try:
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0", 1)[0]
    except OSError:
        return ""
    return argv0.decode(errors="replace").rsplit("/", 1)[-1]


def _in_namespace(mntns: str) -> set[int]:
    """The live processes whose mount namespace is `mntns` (as /proc/PID/ns/mnt reads: `mnt:[ID]`)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "ns" / "mnt") == mntns:
                    found.add(int(entry.name))
            except OSError:  # gone meanwhile, or a zombie
                continue
    return found


def _in_cgroup(name: str) -> set[int]:
    """The live processes in the cgroup `/name` or below it, in any hierarchy (v1 or v2)."""
    found: set[int] = set()
    top = Path("/sys/fs/cgroup")
    for procs in [*top.glob(f"{name}/**/cgroup.procs"), *top.glob(f"*/{name}/**/cgroup.procs")]:
        try:
            found.update(int(line) for line in procs.read_text().split())
        except OSError:  # removed meanwhile
            continue
    return {pid for pid in found if _alive(pid)}


def _remove_cgroups(name: str) -> None:
    """The cgroup `/name` and those below it, in every hierarchy, once no process is left in them."""
    top = Path("/sys/fs/cgroup")
    for folder in [*top.glob(name), *top.glob(f"*/{name}")]:
        for below in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            with contextlib.suppress(OSError):
                below.rmdir()
        with contextlib.suppress(OSError):
            folder.rmdir()


@dataclass(frozen=True)
class Sandbox:
    name: str = "default"
    slot: int = 0  # picks the namespace's link subnet and interface names; one per sandbox running at once
    isolated: bool = False  # a throwaway root and user namespaces (grading); `run --sandbox` binds host folders
    shared: tuple[Path, ...] = ()  # host folders an isolated sandbox's containers may bind, at the same paths
    stage: Path | None = None  # an isolated dockerd's: a host folder it sees empty but for the one `show` gives
    engine: str = "dockerd"  # or "podman" (isolated only): what runs its containers
    limits: Limits | None = None  # bounds on what its containers use together (grading); None: unbounded

    @property
    def netns(self) -> str:
        return f"dockersim-{self.name}"

    @property
    def data_root(self) -> Path:
        return STATE_ROOT / "engines" / self.name

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
        """The host's end of the link: where the sandbox reaches the host (the kit registry listens here)."""
        return f"{SUBNET}.{self.slot}.1"

    @property
    def engine_host(self) -> str:
        """The namespace's end of the link: where the sandbox's published ports answer."""
        return f"{SUBNET}.{self.slot}.2"

    @property
    def client(self) -> Path:
        """A podman sandbox's client: podman, run in the sandbox's namespaces on its own storage."""
        return self.run_dir / "podman"

    @property
    def endpoint(self) -> str:
        """Where its engine is reached, as results.json names it."""
        return self.docker_host if self.engine == "dockerd" else f"podman {self.data_root}"

    @property
    def remap_root(self) -> int:
        """The host uid and gid that root in this sandbox's containers is (chown a bind source to it)."""
        return REMAP_FIRST + self.slot * REMAP_COUNT if self.isolated else 0

    @property
    def _mntns_file(self) -> Path:
        return self.run_dir / "mntns"

    @property
    def _veth(self) -> tuple[str, str]:
        return f"dsim{self.slot}h", f"dsim{self.slot}n"

    # -- status ------------------------------------------------------------------------------------

    def pid(self) -> int | None:
        """The engine's process (dockerd, or a podman sandbox's init) while it runs. A pidfile outliving it
        may name a process the numbers went to since: one whose argv does not name this run dir is not it."""
        try:
            pid = int(self.pidfile.read_text().strip())
            argv = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) and self._names_me(argv) else None

    def left_over(self) -> bool:
        """Whether anything of this sandbox is still there: its engine, its namespace, a process in its
        cgroup, its disk mounted."""
        return (self.pid() is not None or Path(f"/run/netns/{self.netns}").exists() or self.disk.mounted()
                or bool(_in_cgroup(self.cgroup.name)))  # fmt: skip

    def _names_me(self, cmdline: bytes) -> bool:
        """Whether a process's argv (/proc/PID/cmdline) names this sandbox's run dir, or a path in it: the
        mark of its dockerd (--pidfile …), its containerd and shims, and a podman sandbox's init."""
        dirs = {str(self.run_dir), str(self.run_dir.resolve())}
        return any(arg in dirs or arg.startswith(tuple(f"{d}/" for d in dirs))
                   for arg in cmdline.decode(errors="replace").split("\0"))  # fmt: skip

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
        done = subprocess.run(
            [docker_binary, "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            text=True,
            env=env,
            timeout=20,
        )
        return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None

    # -- up and down -------------------------------------------------------------------------------

    def check_can_run(self) -> None:
        if not sys.platform.startswith("linux"):
            raise SandboxError("a sandbox engine needs Linux (dockerd in its own network namespace)")
        if os.geteuid() != 0:
            raise SandboxError("a sandbox engine needs root: it starts dockerd and a network namespace")
        engine = ("dockerd",) if self.engine == "dockerd" else ("podman", "tini", "setpriv")
        tools = (*engine, "ip", "nsenter", "iptables", *(("unshare", "pivot_root") if self.isolated else ()))
        missing = [tool for tool in tools if shutil.which(tool) is None]
        if self.isolated:
            taken = _subordinate_owner(self.remap_root, REMAP_COUNT)
            if taken:
                last = self.remap_root + REMAP_COUNT - 1
                raise SandboxError(f"the sandbox's uids {self.remap_root}-{last} are {taken}'s too (/etc/subuid or "
                                   f"/etc/subgid): give {taken} a range below {REMAP_FIRST}")  # fmt: skip
        if self.isolated and self.engine == "dockerd" and not _moves_mounts():
            raise SandboxError("a grading sandbox needs Linux 5.2 or later (open_tree and move_mount, for show)")
        if missing:
            packages = "docker.io iproute2" if self.engine == "dockerd" else "podman tini util-linux iproute2"
            raise SandboxError(f"a sandbox engine needs {', '.join(missing)} (apt-get install {packages})")

    def up(self, timeout: float = 60.0) -> bool:
        """Start the sandbox unless it runs already; True when this call started it."""
        self.check_can_run()
        if self.version() is not None:
            return False
        try:
            self._network_up()
        except SandboxError:
            self._network_down()
            raise
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.data_root.mkdir(parents=True, exist_ok=True)
        try:
            self._bound()
        except DockersimError:
            self.down()
            raise
        if self.engine == "podman":
            self._hold(timeout)
            return True
        log = open(self.run_dir / "dockerd.log", "ab")  # noqa: SIM115 - dockerd writes to it while it runs
        config = self.run_dir / "daemon.json"  # not the machine's /etc/docker/daemon.json: its hosts, its root
        config.write_text("{}\n")
        dockerd = [
            "dockerd",
            "--config-file", str(config),
            "--data-root", str(self.data_root / "data"),
            "--exec-root", str(self.run_dir / "exec"),
            "--pidfile", str(self.pidfile),
            "--host", self.docker_host,
            "--exec-opt", "native.cgroupdriver=cgroupfs",  # --cgroup-parent is a cgroup's path, as written
            "--cgroup-parent", f"/{self.cgroup.name}",
            "--insecure-registry", f"{SUBNET}.0.0/16",  # the kit registry (registry.SANDBOX_ADDRESS)
            "--log-level", "warn",
        ]  # fmt: skip
        if self.limits is not None:  # each container's log, kept by the engine: a flood is cut, not stored
            dockerd += ["--log-driver", "json-file", "--log-opt", f"max-size={self.limits.log}",
                        "--log-opt", "max-file=1", "--default-ulimit", f"nofile={_open_files()}:{_open_files()}",
                        ]  # fmt: skip
        if self.isolated:
            dockerd = self._isolate([*dockerd, "--userns-remap", "dockremap"])
        # Only the network namespace: `ip netns exec` would hide cgroups.
        argv = ["nsenter", f"--net=/run/netns/{self.netns}", *dockerd]
        proc = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while self.version() is None:
            ended = proc.poll() is not None
            if ended or time.monotonic() >= deadline:
                tail = (self.run_dir / "dockerd.log").read_text(errors="replace").strip().splitlines()[-1:]
                self.down()
                why = "exited" if ended else f"did not answer within {timeout:g}s"
                raise SandboxError(f"the sandbox's dockerd {why}: {' '.join(tail)}")
            time.sleep(0.1)  # poll: until the new daemon answers on its socket, bounded by the deadline
        if self.isolated:
            self._mntns_file.write_text(os.readlink(f"/proc/{proc.pid}/ns/mnt") + "\n")
        return True

    def _bound(self) -> None:
        """With limits: its own filesystem at its data root (the engine's data and its workspaces), and its
        cgroup made with the memory, process and CPU bounds before any container is under it."""
        if self.limits is None:
            return
        self.disk.up(self.limits.disk + KIT_ROOM)
        self.cgroup.bound(self.limits)

    def _hold(self, timeout: float) -> None:
        """A podman sandbox's namespaces, held by tini as the init of a PID namespace of their own, and the
        client that enters them. tini reaps what podman leaves to it (conmon), and its end ends them all."""
        if not self.isolated:
            raise SandboxError("a podman sandbox is an isolated one")
        ready = self.run_dir / "ready"
        ready.unlink(missing_ok=True)
        # The run dir in tini's argv marks it as this sandbox's (see _mntns).
        # Its mounts shared among themselves (never with the host's: they were made private first), as
        # podman expects of a root: else removing a container races its cleanup for the shm mount (EBUSY).
        holder = ["sh", "-c", 'mount --make-rshared / && touch "$1" && shift && exec "$@"', "sh", str(ready),
                  "tini", "--", "sh", "-c", "exec sleep infinity", str(self.run_dir)]  # fmt: skip
        argv = ["nsenter", f"--net=/run/netns/{self.netns}", *self._isolate(holder, pid_namespace=True)]
        with open(self.run_dir / "holder.log", "ab") as log:
            proc = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        # Until the init is known, unshare stands for it: its argv names the run dir, and its end kills its child
        # (--kill-child), so that a run killed meanwhile leaves its reaper something to stop.
        self.pidfile.write_text(f"{proc.pid}\n")
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() >= deadline:
                tail = (self.run_dir / "holder.log").read_text(errors="replace").strip().splitlines()[-1:]
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # unshare and its child, the namespace's init
                self.down()
                raise SandboxError(f"the podman sandbox's namespaces could not be made: {' '.join(tail)}")
            time.sleep(0.05)  # poll: until the new root is made, bounded by the deadline
        # unshare's one child is the namespace's init, tini (as the host numbers it).
        [init] = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        self.pidfile.write_text(f"{init}\n")
        mntns = os.readlink(f"/proc/{init}/ns/mnt")
        self._mntns_file.write_text(mntns + "\n")
        self._write_client(int(init), mntns)

    def _write_client(self, init: int, mntns: str) -> None:
        """The podman sandbox's client script: podman run in the sandbox's namespaces, on its storage, with
        nothing of the caller's environment (not the grader's CONTAINER_HOST, CONTAINERS_CONF, PODMAN_USERNS
        or credentials) but the terminal's type. Every container it runs, creates or builds with is in the
        sandbox's user namespace (root in it is remap_root on the host), under the sandbox's cgroup parent.
        It enters nothing once the sandbox's init is gone (its number may be another process's by then), and
        podman ends with it when it is killed (a deadline): nsenter, which forks it, passes on no signal."""
        first, count = self.remap_root, REMAP_COUNT
        parent = f"--cgroup-parent /{self.cgroup.name}"
        if self.limits is not None:
            parent += f" --log-opt max-size={self.limits.log}"
        mapped = f"--uidmap 0:{first}:{count} --gidmap 0:{first}:{count} {parent}"
        built = f"--userns-uid-map 0:{first}:{count} --userns-gid-map 0:{first}:{count} {parent}"
        tmp = self.data_root / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        global_options = ["--root", str(self.data_root / "storage"), "--runroot", str(self.run_dir / "s"),
                          "--cgroup-manager", "cgroupfs", "--runtime", str(self._write_runtime())]  # fmt: skip
        enter = ["nsenter", "--target", str(init), "--net", "--mount", "--pid", "--root", "--wd", "--",
                 "setpriv", "--pdeathsig", "KILL", "--",
                 "env", "-i", f"PATH={_PATH}", "HOME=/root", "LC_ALL=C.UTF-8", f"TMPDIR={tmp}"]  # fmt: skip
        podman = [shutil.which("podman") or "podman", *global_options]
        _write_script(
            self.client,
            "#!/bin/sh\n"
            f"# podman in the dockersim sandbox {self.name}: its namespaces, its storage, its user namespace.\n"
            f'if [ "$(readlink /proc/{init}/ns/mnt)" != {shlex.quote(mntns)} ]; then\n'
            f'  echo "dockersim: the podman sandbox {self.name} is not running" >&2; exit 125\n'
            "fi\n"
            'case "$1 $2" in\n'
            f'  "run "*|"create "*) _v=$1; shift; set -- "$_v" {mapped} "$@" ;;\n'
            f'  "container run"|"container create") _o=$1; _v=$2; shift 2; set -- "$_o" "$_v" {mapped} "$@" ;;\n'
            f'  "build "*) _v=$1; shift; set -- "$_v" {built} "$@" ;;\n'
            f'  "image build"|"buildx build") _o=$1; _v=$2; shift 2; set -- "$_o" "$_v" {built} "$@" ;;\n'
            "esac\n"
            f'exec {shlex.join(enter)} TERM="${{TERM:-dumb}}" {shlex.join(podman)} "$@"\n',
        )

    def _write_runtime(self) -> Path:
        """The OCI runtime podman runs here: the machine's crun or runc, but that a container's (or an exec's)
        stdio pipes are given to its root first. conmon makes them as the host's root, and root in the
        container, a remapped uid, could not reopen /dev/stdout (apache's logs); dockerd gives its fifos."""
        real = shutil.which("crun") or shutil.which("runc") or "runc"
        folder = self.run_dir / "runtime"
        folder.mkdir(exist_ok=True)
        runtime = folder / Path(real).name  # named as the runtime it is: podman knows runtimes by name
        _write_script(
            runtime,
            "#!/bin/sh\n"
            'case " $* " in\n'
            '  *" create "*|*" exec "*|*" run "*)\n'
            f"    for fd in 0 1 2; do [ -p /proc/self/fd/$fd ] && chown {self.remap_root}:{self.remap_root}"
            " /proc/self/fd/$fd; done ;;\n"
            "esac\n"
            f'exec {shlex.quote(real)} "$@"\n',
        )
        return runtime

    def _isolate(self, argv: list[str], pid_namespace: bool = False) -> list[str]:
        """An engine's argv (dockerd's, a podman sandbox's init's) wrapped to start in a private mount namespace
        on a throwaway root (see _ISOLATE); with pid_namespace, in a new PID namespace too, whose init it is."""
        rootfs = self.run_dir / "rootfs"
        rootfs.mkdir(exist_ok=True)
        for folder in self.shared:
            folder.mkdir(parents=True, exist_ok=True)
        binds: list[str] = []
        # The engine's storage alone of its data root: its stage (workspaces) is beside it, seen only as shown.
        own = ("data",) if self.engine == "dockerd" else ("storage", "tmp")
        for name in own:
            (self.data_root / name).mkdir(parents=True, exist_ok=True)
        for folder in (self.run_dir, *(self.data_root / name for name in own), *self.shared):
            # As given and as resolved: a symlink on the way (/var/run) is not in the new root.
            for path in (os.path.abspath(folder), str(folder.resolve())):
                if path not in binds:
                    binds.append(path)
        empties = [str(self.stage.resolve())] if self.stage is not None else []
        if any(e == b or e.startswith(f"{b}/") for e in empties for b in binds):
            raise SandboxError(f"a sandbox's stage {self.stage} cannot be in a folder it binds whole")
        return [
            "unshare", "--mount", *(("--pid", "--fork", "--kill-child") if pid_namespace else ()),
            "--propagation", "private",
            "sh", "-c", _ISOLATE, "dockersim-isolate",
            str(rootfs), str(self.remap_root), str(REMAP_COUNT), str(len(binds)), *binds, str(len(empties)), *empties,
            *argv,
        ]  # fmt: skip

    def show(self, folder: Path) -> None:
        """Bind `folder`, a folder in the stage, into an isolated dockerd's mount namespace at its own path, in
        place of the one shown before: of the stage, the engine and its containers reach that folder alone
        (the submission graded now), whatever symlink a container swaps in. Nothing is mounted on the host."""
        pid = self.pid()
        if (
            self.stage is None
            or self.engine != "dockerd"
            or pid is None
            or folder.resolve().parent != self.stage.resolve()
        ):
            raise SandboxError(f"the sandbox {self.name} has no stage to show {folder} on")
        done = subprocess.run([sys.executable, "-I", "-c", _SHOW, str(pid), str(self.stage.resolve()),
                               str(folder.resolve())], capture_output=True, text=True, timeout=60)  # fmt: skip
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            raise SandboxError(f"could not show {folder} to the sandbox {self.name}: {why}")

    def down(self, purge: bool = False, timeout: float = 60.0, keep_disk: bool = False) -> None:
        """Stop its engine (dockerd stops its containers; a podman sandbox's init ends every process in it),
        remove the namespace and the rules, unmount its disk (unless keep_disk: it starts again at once);
        purge: the data too. Safe to call again, and on one that is down."""
        pid = self.pid()
        mntns = self._mntns()
        if pid is not None and _program(pid) not in _HOLDERS:
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
            self._network_down()
        # Its pidfile, stale now (a podman sandbox's init wrote none of its own); and a podman sandbox's
        # client, and podman's state of running containers, thrown away: the next start begins with none.
        self.pidfile.unlink(missing_ok=True)
        self.client.unlink(missing_ok=True)
        # dockerd's exec root too: a containerd it left (killed with it) must not stand in the next one's way.
        for folder in (self.run_dir / "s", self.run_dir / "runtime", self.run_dir / "exec"):
            shutil.rmtree(folder, ignore_errors=True)
        _remove_cgroups(self.cgroup.name)
        if not keep_disk:
            self.disk.down()
        if purge:
            shutil.rmtree(self.data_root, ignore_errors=True)
            self.disk.image.unlink(missing_ok=True)

    def _holders(self) -> set[int]:
        """The live processes of a podman sandbox's holder (nsenter, unshare, tini) whose argv names its run
        dir."""
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and _program(int(entry.name)) in _HOLDERS:
                try:
                    if self._names_me((entry / "cmdline").read_bytes()) and _alive(int(entry.name)):
                        found.add(int(entry.name))
                except OSError:
                    continue
        return found

    def _mntns(self) -> str | None:
        """The mount namespace an isolated dockerd started in, while something of this sandbox is in it."""
        try:
            mntns = self._mntns_file.read_text().strip()
        except OSError:
            return None
        # Namespace ids are reused once freed: trust the record only while dockerd, its containerd or a
        # shim (their argv names this run dir) is still in that namespace.
        for pid in _in_namespace(mntns):
            try:
                if self._names_me(Path(f"/proc/{pid}/cmdline").read_bytes()):
                    return mntns
            except OSError:
                continue
        self._mntns_file.unlink(missing_ok=True)
        return None

    def _end_leftovers(self, mntns: str | None, timeout: float) -> None:
        """Kill what an engine that did not stop cleanly left: containers (in its cgroup parent), shims in an
        isolated dockerd's mount namespace, which goes, with its mounts, when the last of them ends, and a
        podman sandbox's holder whose number was never written (the run killed as it started)."""
        deadline = time.monotonic() + timeout
        while left := (_in_cgroup(f"dockersim-{self.name}") | (_in_namespace(mntns) if mntns else set())
                       | self._holders()):  # fmt: skip
            if time.monotonic() >= deadline:
                raise SandboxError(f"processes {sorted(left)} of the sandbox {self.name} outlived {timeout:g}s")
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)  # poll: killed processes ending, bounded by the deadline
        self._mntns_file.unlink(missing_ok=True)

    # -- the link between the namespace and the host -----------------------------------------------

    def _rules(self) -> list[list[str]]:
        """Each inserted first, in this order: the last is the first the kernel reads. A sandbox reaches the
        world through the host, but never another sandbox (a submission graded beside it)."""
        host_if, _ = self._veth
        registry = ["-d", f"{SUBNET}.255.1", "-p", "tcp", "--dport", os.environ.get("DOCKERSIM_REGISTRY_PORT", "5959")]
        return [
            ["nat", "POSTROUTING", "-s", f"{SUBNET}.{self.slot}.0/30", "!", "-o", host_if, "-j", "MASQUERADE"],
            ["filter", "FORWARD", "-i", host_if, "-j", "ACCEPT"],
            ["filter", "FORWARD", "-o", host_if, "-j", "ACCEPT"],
            ["filter", "FORWARD", "-i", host_if, "-d", f"{SUBNET}.0.0/16", "-j", "DROP"],
            # Of the host itself, a sandbox reaches the kit registry and the answers to what the host asked
            # it (a test reaching a published port); no service of the machine's, whatever it listens on.
            ["filter", "INPUT", "-i", host_if, "-j", "DROP"],
            ["filter", "INPUT", "-i", host_if, *registry, "-j", "ACCEPT"],
            ["filter", "INPUT", "-i", host_if, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
        ]

    def _network_up(self) -> None:
        host_if, ns_if = self._veth
        if self.netns not in _run(["ip", "netns", "list"]).stdout.split():
            _run(["ip", "netns", "add", self.netns])
        inside = ["ip", "-n", self.netns]
        if _run(["ip", "link", "show", host_if], check=False).returncode != 0:
            _run(["ip", "link", "add", host_if, "type", "veth", "peer", "name", ns_if])
            # IPv4 alone: no link-local IPv6 address for the sandbox to reach the host's services on.
            with contextlib.suppress(OSError):
                Path(f"/proc/sys/net/ipv6/conf/{host_if}/disable_ipv6").write_text("1\n")
            _run(["ip", "link", "set", ns_if, "netns", self.netns])
            _run(["ip", "addr", "add", f"{self.host_ip}/30", "dev", host_if])
            _run([*inside, "addr", "add", f"{self.engine_host}/30", "dev", ns_if])
        _run(["ip", "link", "set", host_if, "up"])
        _run([*inside, "link", "set", ns_if, "up"])
        _run([*inside, "link", "set", "lo", "up"])
        _run([*inside, "route", "replace", "default", "via", self.host_ip])
        Path("/proc/sys/net/ipv4/ip_forward").write_text("1\n")
        for table, chain, *rule in self._rules():
            if _run(["iptables", "-t", table, "-C", chain, *rule], check=False).returncode != 0:
                # Insert: the host engine's FORWARD policy is DROP, and its own rules come first otherwise.
                _run(["iptables", "-t", table, "-I", chain, "1", *rule])

    def _network_down(self) -> None:
        for table, chain, *rule in self._rules():
            while _run(["iptables", "-t", table, "-C", chain, *rule], check=False).returncode == 0:
                _run(["iptables", "-t", table, "-D", chain, *rule])
        host_if, _ = self._veth
        _run(["ip", "link", "del", host_if], check=False)  # removes its peer too
        _run(["ip", "netns", "del", self.netns], check=False)


@dataclass
class Claim:
    """A sandbox slot this process holds (leases.py) and the sandbox of that slot."""

    box: Sandbox
    lease: Lease


def slot_name(slot: int) -> str:
    """The sandbox a slot is: `default` (what `engine up` starts), `default-N` for other runs, `grade-N`."""
    if slot in RUN_SLOTS:
        return "default" if slot == 0 else f"default-{slot}"
    return f"grade-{slot}"


def claim(purpose: str, say: Callable[[str], None], wait: float = 0.0, **box: Any) -> Claim:
    """A sandbox slot no other run on this machine holds, for a run (purpose "run": the `default` sandboxes,
    whose data and images outlive a run) or for grading ("grade"). A slot whose lease is held by a dead run's
    reaper, still stopping its engine, is passed over, and said; a grading slot left running by a run whose
    reaper died too is stopped first. With `wait`, up to that many seconds are waited for a slot."""
    slots = RUN_SLOTS if purpose == "run" else GRADE_SLOTS
    deadline = time.monotonic() + wait
    told: set[str] = set()
    while True:
        for slot in slots:
            name = slot_name(slot)
            lease = leases.try_take(f"slot-{slot}", sandbox=name, what=purpose, pid=os.getpid())
            if lease is None:
                if leases.holder(f"slot-{slot}").get("stopping") and name not in told:
                    told.add(name)
                    say(Phrase("slot_stopping", name=name))
                continue
            found = Sandbox(name, slot, **box)
            if purpose != "run" and found.left_over():
                say(Phrase("slot_left_over", name=name))
                try:
                    found.down()
                except DockersimError:
                    lease.release()
                    continue
            return Claim(found, lease)
        if time.monotonic() >= deadline:
            raise SandboxError(Phrase("no_slot", what=purpose, n=len(slots)))
        time.sleep(0.2)  # poll: a slot given back by a run that ends, bounded by the deadline


@contextlib.contextmanager
def private(name: str, **box: Any) -> Iterator[Sandbox]:
    """A sandbox named as the caller likes, on a grading slot claimed from the machine for as long as it is
    used (a test's or a benchmark's engine of its own, beside any run); the caller starts and stops it."""
    claimed = claim("grade", lambda _line: None, wait=300)
    try:
        yield Sandbox(name, claimed.box.slot, **box)
    finally:
        claimed.lease.release()


def running() -> list[str]:
    """The names of the sandbox engines running now (`run --sandbox`'s, grading's dockerd or podman)."""
    if not RUN_ROOT.is_dir():
        return []
    return sorted(d.name for d in RUN_ROOT.iterdir() if d.is_dir() and Sandbox(d.name).pid() is not None)
