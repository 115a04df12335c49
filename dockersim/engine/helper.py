"""A short-lived helper container of the kit's smallest image, with no network: it reads or readies a folder
of the engine's host that this process may not, or that is on another machine. The one home of it."""

from __future__ import annotations

from collections.abc import Sequence

from dockersim.engine.client import Docker
from dockersim.engine.process import Completed

HELPER_IMAGE = "dockersim/busybox:latest"


def helper(docker: Docker, mounts: Sequence[str], script: str, args: Sequence[str] = (), labels: Sequence[str] = (),
           userns_host: bool = False) -> Completed:  # fmt: skip
    """`sh -c SCRIPT sh ARGS…` in a helper container with these `--mount`/`-v` options; labels: the run's,
    so that a run killed meanwhile has its reaper remove it. userns_host: on an engine with user namespaces,
    as the host's root would (to read a folder another container's user owns)."""
    flags = [word for label in labels for word in ("--label", label)]
    argv = ["run", "--rm", "--network", "none", *(["--userns", "host"] if userns_host else []), *mounts, *flags,
            "--entrypoint", "sh", HELPER_IMAGE, "-c", script, "sh", *args]  # fmt: skip
    return docker.call(argv, check=False)


def present(docker: Docker) -> bool:
    return docker.call(["image", "inspect", HELPER_IMAGE], check=False).status == 0
