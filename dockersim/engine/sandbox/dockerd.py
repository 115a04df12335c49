"""A sandbox whose containers dockerd runs: dockerd started in the sandbox's network namespace (isolated: on
a throwaway root, with user namespaces), with its own data root, exec root, socket and config."""

from __future__ import annotations

import os
import resource
import subprocess
import time

from dockersim.engine.sandbox.box import Box, SandboxError
from dockersim.engine.sandbox.isolation import isolated, moves_mounts
from dockersim.engine.sandbox.network import SUBNET

OPEN_FILES = 65536  # a grading container's open files, at most (docker's own default is 1048576)


def start(box: Box, timeout: float) -> None:
    """dockerd up and answering on its socket, to a deadline; the box taken down when it does not."""
    if box.isolated and not moves_mounts():
        raise SandboxError("a grading sandbox needs Linux 5.2 or later (open_tree and move_mount, for show)")
    config = box.run_dir / "daemon.json"  # not the machine's /etc/docker/daemon.json: its hosts, its root
    config.write_text("{}\n")
    dockerd = [
        "dockerd",
        "--config-file", str(config),
        "--data-root", str(box.data_root / "data"),
        "--exec-root", str(box.run_dir / "exec"),
        "--pidfile", str(box.pidfile),
        "--host", box.docker_host,
        "--exec-opt", "native.cgroupdriver=cgroupfs",  # --cgroup-parent is a cgroup's path, as written
        "--cgroup-parent", f"/{box.cgroup.name}",
        "--insecure-registry", f"{SUBNET}.0.0/16",  # the kit registry (network.REGISTRY_ADDRESS)
        "--log-level", "warn",
    ]  # fmt: skip
    if box.limits is not None:  # each container's log, kept by the engine: a flood is cut, not stored
        files = _open_files()
        dockerd += ["--log-driver", "json-file", "--log-opt", f"max-size={box.limits.log}", "--log-opt",
                    "max-file=1", "--default-ulimit", f"nofile={files}:{files}"]  # fmt: skip
    if box.isolated:
        dockerd = isolated(box, [*dockerd, "--userns-remap", "dockremap"])
    # Only the network namespace: `ip netns exec` would hide cgroups.
    argv = ["nsenter", f"--net=/run/netns/{box.netns}", *dockerd]
    with open(box.run_dir / "dockerd.log", "ab") as log:
        proc = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
                                env=engine_environment())  # fmt: skip
    deadline = time.monotonic() + timeout
    while box.version() is None:
        ended = proc.poll() is not None
        if ended or time.monotonic() >= deadline:
            tail = (box.run_dir / "dockerd.log").read_text(errors="replace").strip().splitlines()[-1:]
            box.down()
            why = "exited" if ended else f"did not answer within {timeout:g}s"
            raise SandboxError(f"the sandbox's dockerd {why}: {' '.join(tail)}")
        time.sleep(0.1)  # poll: until the new daemon answers on its socket, bounded by the deadline
    if box.isolated:
        box.mntns_file.write_text(os.readlink(f"/proc/{proc.pid}/ns/mnt") + "\n")


def engine_environment() -> dict[str, str]:
    """dockerd's environment: the caller's (its PATH, its proxies for a learner's pulls), but not TMPDIR. A
    caller's temporary folder is not in an isolated engine's mount namespace, and an engine, containerd and
    runc that cannot make their temporary files there start no container with a volume and exec nothing."""
    return {name: value for name, value in os.environ.items() if name != "TMPDIR"}


def _open_files() -> int:
    """A grading container's bound on open files: OPEN_FILES, or less where the machine allows less (a
    container may not be given more than its engine has)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
