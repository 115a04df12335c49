"""A sandbox whose containers podman runs. podman has no daemon: the sandbox's namespaces (network, mount on
a throwaway root, PID) are held by an init process (tini), and each podman command enters them, with the
sandbox's own storage, through a client script (Box.client); every container it runs is in the same user
namespace a dockerd sandbox's would be. Ending the init ends every process in the sandbox at once."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

from dockersim.engine.sandbox.box import REMAP_COUNT, Box, SandboxError, write_script
from dockersim.engine.sandbox.isolation import isolated
from dockersim.host import proc

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # in a podman sandbox's root: /usr's


def start(box: Box, timeout: float) -> None:
    """The sandbox's namespaces, held by tini as the init of a PID namespace of their own, and the client
    that enters them. tini reaps what podman leaves to it (conmon), and its end ends them all."""
    if not box.isolated:
        raise SandboxError("a podman sandbox is an isolated one")
    ready = box.run_dir / "ready"
    ready.unlink(missing_ok=True)
    # The run dir in tini's argv marks it as this sandbox's (Box.names_me).
    # Its mounts shared among themselves (never with the host's: they were made private first), as
    # podman expects of a root: else removing a container races its cleanup for the shm mount (EBUSY).
    holder = ["sh", "-c", 'mount --make-rshared / && touch "$1" && shift && exec "$@"', "sh", str(ready),
              "tini", "--", "sh", "-c", "exec sleep infinity", str(box.run_dir)]  # fmt: skip
    argv = ["nsenter", f"--net=/run/netns/{box.netns}", *isolated(box, holder, pid_namespace=True)]
    # Its own start's alone: a failure says its own last line, not one an earlier holder wrote as it ended.
    with open(box.run_dir / "holder.log", "wb") as log:
        started = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    # Until the init is known, unshare stands for it: its argv names the run dir, and its end kills its child
    # (--kill-child), so that a run killed meanwhile leaves its reaper something to stop.
    box.pidfile.write_text(f"{started.pid}\n")
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if started.poll() is not None or time.monotonic() >= deadline:
            tail = (box.run_dir / "holder.log").read_text(errors="replace").strip().splitlines()[-1:]
            with contextlib.suppress(ProcessLookupError):
                os.killpg(started.pid, signal.SIGKILL)  # unshare and its child, the namespace's init
            box.down()
            raise SandboxError(f"the podman sandbox's namespaces could not be made: {' '.join(tail)}")
        time.sleep(0.05)  # poll: until the new root is made, bounded by the deadline
    [init] = proc.children(started.pid)  # unshare's one child is the namespace's init, tini (as the host numbers it)
    box.pidfile.write_text(f"{init}\n")
    mntns = proc.mount_namespace(init)
    box.mntns_file.write_text(mntns + "\n")
    _write_client(box, init, mntns)
    _write_builder(box, init, mntns)


def _write_client(box: Box, init: int, mntns: str) -> None:
    """The podman sandbox's client script: podman run in the sandbox's namespaces, on its storage, with
    nothing of the caller's environment (not the grader's CONTAINER_HOST, CONTAINERS_CONF, PODMAN_USERNS
    or credentials) but the terminal's type. Every container it runs, creates or builds with is in the
    sandbox's user namespace (root in it is remap_root on the host), under the sandbox's cgroup parent.
    It enters nothing once the sandbox's init is gone (its number may be another process's by then), and
    podman ends with it when it is killed (a deadline): nsenter, which forks it, passes on no signal."""
    first, count = box.remap_root, REMAP_COUNT
    parent = f"--cgroup-parent /{box.cgroup.name}"
    if box.limits is not None:
        parent += f" --log-opt max-size={box.limits.log}"
    mapped = f"--uidmap 0:{first}:{count} --gidmap 0:{first}:{count} {parent}"
    built = f"--userns-uid-map 0:{first}:{count} --userns-gid-map 0:{first}:{count} {parent}"
    tmp = box.data_root / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    global_options = ["--root", str(box.data_root / "storage"), "--runroot", str(box.run_dir / "s"),
                      "--cgroup-manager", "cgroupfs", "--runtime", str(_write_runtime(box))]  # fmt: skip
    enter = ["nsenter", "--target", str(init), "--net", "--mount", "--pid", "--root", "--wd", "--",
             "setpriv", "--pdeathsig", "KILL", "--",
             "env", "-i", f"PATH={PATH}", "HOME=/root", "LC_ALL=C.UTF-8", f"TMPDIR={tmp}"]  # fmt: skip
    podman = [shutil.which("podman") or "podman", *global_options]
    write_script(
        box.client,
        "#!/bin/sh\n"
        f"# podman in the dockersim sandbox {box.name}: its namespaces, its storage, its user namespace.\n"
        f"{_alive(box, init, mntns)}"
        'case "$1 $2" in\n'
        f'  "run "*|"create "*) _v=$1; shift; set -- "$_v" {mapped} "$@" ;;\n'
        f'  "container run"|"container create") _o=$1; _v=$2; shift 2; set -- "$_o" "$_v" {mapped} "$@" ;;\n'
        f'  "build "*) _v=$1; shift; set -- "$_v" {built} "$@" ;;\n'
        f'  "image build"|"buildx build") _o=$1; _v=$2; shift 2; set -- "$_o" "$_v" {built} "$@" ;;\n'
        "esac\n"
        f'exec {shlex.join(enter)} TERM="${{TERM:-dumb}}" {shlex.join(podman)} "$@"\n',
    )


def _alive(box: Box, init: int, mntns: str) -> str:
    """A script's first lines: it enters nothing once the sandbox's init is gone (its number may be another
    process's by then)."""
    return (f'if [ "$(readlink /proc/{init}/ns/mnt)" != {shlex.quote(mntns)} ]; then\n'
            f'  echo "dockersim: the podman sandbox {box.name} is not running" >&2; exit 125\n'
            "fi\n")  # fmt: skip


def _write_builder(box: Box, init: int, mntns: str) -> None:
    """The podman sandbox's builder (Box.builder): podman in the sandbox's namespaces, but as root of a user
    namespace of its own whose ids are the sandbox's remapped ones, on a storage of its own (Box.builds), in
    a cgroup below the sandbox's. podman 4.3's buildah cannot build in the user namespace a container gets
    (`--userns-uid-map`: the layers it commits keep the host's ids); as root of its own, it builds as
    rootless podman does, and nothing it runs is root on the host. A RUN step has the sandbox's network, as
    a container of it has; what it builds is carried to the sandbox's storage (grading's SandboxEngine)."""
    first, count, root, run = box.remap_root, REMAP_COUNT, box.builds, box.run_dir / "b"
    for folder in (root / "storage", root / "tmp", root / "home", run):
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, first, first)
        folder.chmod(0o700)
    (root / "contexts").mkdir(exist_ok=True)  # each build's context, copied there by the grader
    conf = root / "containers.conf"  # not the machine's: big files on the sandbox's disk, not in /var/tmp
    conf.write_text(f'[engine]\nimage_copy_tmp_dir = "{root / "tmp"}"\n')
    cgroups = "" if box.limits is None else "".join(
        f"mkdir -p {shlex.quote(str(f / 'build'))} && echo $$ > {shlex.quote(str(f / 'build' / 'cgroup.procs'))}"
        " || exit 125\n" for f in sorted(set(box.cgroup.folders().values())))  # fmt: skip
    enter = ["nsenter", "--target", str(init), "--net", "--mount", "--pid", "--root", "--wd", "--",
             "setpriv", "--pdeathsig", "KILL", "--",
             "unshare", f"--map-users={first},0,{count}", f"--map-groups={first},0,{count}", "--mount",
             "--setuid", "0", "--setgid", "0", "--",
             # buildah writes some temporary files to /var/tmp whatever it is told: the sandbox's disk there.
             "sh", "-c", 'mount --bind "$1" /var/tmp && shift && exec "$@"', "sh", str(root / "tmp"),
             "env", "-i", f"PATH={PATH}", f"HOME={root / 'home'}", f"XDG_RUNTIME_DIR={run}", f"TMPDIR={root / 'tmp'}",
             f"CONTAINERS_CONF={conf}", "_CONTAINERS_USERNS_CONFIGURED=done", f"_CONTAINERS_ROOTLESS_UID={first}",
             "LC_ALL=C.UTF-8"]  # fmt: skip
    podman = [shutil.which("podman") or "podman", "--root", str(root / "storage"), "--runroot", str(run),
              "--storage-driver", "overlay", "--cgroup-manager", "cgroupfs"]  # fmt: skip
    write_script(
        box.builder,
        "#!/bin/sh\n"
        f"# podman's builds in the dockersim sandbox {box.name}: root of their own user namespace, their storage.\n"
        f"{_alive(box, init, mntns)}{cgroups}"
        f'exec {shlex.join(enter)} TERM="${{TERM:-dumb}}" {shlex.join(podman)} "$@"\n',
    )


def _write_runtime(box: Box) -> Path:
    """The OCI runtime podman runs here: the machine's crun or runc, but that a container's (or an exec's)
    stdio pipes are given to its root first. conmon makes them as the host's root, and root in the
    container, a remapped uid, could not reopen /dev/stdout (apache's logs); dockerd gives its fifos."""
    real = shutil.which("crun") or shutil.which("runc") or "runc"
    folder = box.run_dir / "runtime"
    folder.mkdir(exist_ok=True)
    runtime = folder / Path(real).name  # named as the runtime it is: podman knows runtimes by name
    write_script(
        runtime,
        "#!/bin/sh\n"
        'case " $* " in\n'
        '  *" create "*|*" exec "*|*" run "*)\n'
        f"    for fd in 0 1 2; do [ -p /proc/self/fd/$fd ] && chown {box.remap_root}:{box.remap_root}"
        " /proc/self/fd/$fd; done ;;\n"
        "esac\n"
        f'exec {shlex.quote(real)} "$@"\n',
    )
    return runtime
