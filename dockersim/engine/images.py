"""Image references, as docker writes them and as registries serve them, the engine's images listed in one
call, and images carried from one engine to another: the one home of these (snapshots, grading's
housekeeping, the kit and its registry, a podman sandbox's builds)."""

from __future__ import annotations

import contextlib
import dataclasses
import subprocess

from dockersim.engine.client import Docker
from dockersim.engine.parse.listing import parse_pairs
from dockersim.engine.process import Completed, kill_group


def normal_ref(ref: str) -> str:
    """An image reference as docker shows it: no docker.io/library/, and podman's localhost/ for images
    made on this machine dropped; a missing tag is :latest."""
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/", "localhost/"):
        if ref.startswith(prefix):
            ref = ref[len(prefix) :]
            break
    last = ref.rsplit("/", 1)[-1]
    return ref if ":" in last or "@" in ref else f"{ref}:latest"


def qualified(ref: str) -> str:
    """An image reference in full, as `docker pull` prints it last: `centos:8` is
    `docker.io/library/centos:8`, `10.0.0.1:5000/centos` is `10.0.0.1:5000/centos:latest`."""
    name, digest = ref.split("@", 1) if "@" in ref else (ref, "")
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        domain, path = first, rest
    else:
        domain, path = "docker.io", name
        if "/" not in path:
            path = f"library/{path}"
    if not digest and ":" not in path.rsplit("/", 1)[-1]:
        path += ":latest"
    return f"{domain}/{path}" + (f"@{digest}" if digest else "")


def repository(ref: str) -> str:
    """The path a registry serves an image under, as `docker pull` says it pulls from: `library/centos`."""
    path = qualified(ref).split("/", 1)[1].split("@", 1)[0]
    return path.rsplit(":", 1)[0] if ":" in path.rsplit("/", 1)[-1] else path


def listing(docker: Docker) -> list[tuple[str, str]]:
    """Every image on the engine as (`repo:tag`, ID), references made normal (podman's localhost/busybox),
    untagged ones as `<none>:<none>`, in one call."""
    done = docker.call(["image", "ls", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}}\t{{.ID}}"])
    return [(name if name.startswith("<none>") else normal_ref(name), image)
            for name, image in parse_pairs(done.stdout)]  # fmt: skip


def carry(source: Docker, target: Docker, refs: list[str], timeout: float) -> Completed:
    """These images (and their names) streamed from one engine to the other: `save | load`, the same image
    IDs. The load's result; its status is not 0 when the save failed too."""
    argv = source.argv(["save", *refs])
    # The source's witness (grading) is told, as of any command run through the client: the save is ours.
    with source.witness.acting(argv) if source.witness is not None else contextlib.nullcontext():
        saver = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=source.env,
                                 start_new_session=True)  # fmt: skip
        assert saver.stdout is not None
        try:
            loaded = target.run_argv(target.argv(["load", "--quiet"]), timeout=timeout, stdin=saver.stdout)
        finally:
            saver.stdout.close()
            try:
                saver.wait(timeout=60)
            except subprocess.TimeoutExpired:
                kill_group(saver)
                saver.wait()
    return loaded if saver.returncode == 0 else dataclasses.replace(loaded, status=loaded.status or 1)
