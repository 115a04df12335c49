"""The offline image kit: local stand-ins for the chapter's images, built from Debian's archive.

Stand-ins are tagged dockersim/… so they never shadow a real image; builds go through docker's own
cache, so a second build with nothing changed takes seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dockersim.engine.client import Docker
from dockersim.engine.flavour import DOCKER
from dockersim.engine.images import carry, listing, normal_ref
from dockersim.errors import DockersimError
from dockersim.host.leases import Lease
from dockersim.i18n.phrase import Phrase
from dockersim.kit.registry import KitRegistry

KIT_DIR = Path(__file__).parent / "files"
BASE = "dockersim/base:bookworm"
DEBIAN_SUITE = "bookworm"


class KitError(DockersimError):
    pass


class Keeper(Protocol):
    """What keeps a run's account (ownership.Ownership): a registry it uses and the tags it adds are noted,
    so that its reaper undoes them if the run dies, and the registry's lease is handed to the reaper too."""

    run_id: str

    def note_registry(self, host: str, port: int) -> None: ...

    def note_image(self, ref: str) -> None: ...

    def hold(self, lease: Lease) -> None: ...

    def drop(self, name: str) -> None: ...


@dataclass(frozen=True)
class Recipe:
    tag: str
    stands_for: tuple[str, ...]  # the references scenarios use for it
    how: str  # "debootstrap", "busybox", or a Dockerfile in dockersim/kit/
    needs: tuple[str, ...] = ()


RECIPES: dict[str, Recipe] = {
    r.tag: r
    for r in (
        Recipe(BASE, (), "debootstrap"),
        Recipe("dockersim/busybox:latest", ("busybox", "busybox:latest"), "busybox"),
        Recipe("dockersim/ubuntu:14.04", ("ubuntu:14.04", "ubuntu"), "ubuntu.Dockerfile", (BASE,)),
        Recipe("dockersim/debian:bookworm", ("debian:bookworm", "debian:12", "debian"), "debian.Dockerfile", (BASE,)),
        Recipe("dockersim/centos:8", ("centos:8", "centos"), "centos.Dockerfile", ("dockersim/ubuntu:14.04",)),
        Recipe("dockersim/mysql:5.7", ("mysql:5.7", "mysql"), "mysql.Dockerfile", ("dockersim/ubuntu:14.04",)),
        Recipe(
            "dockersim/wordpress:latest",
            ("wordpress", "wordpress:latest"),
            "wordpress.Dockerfile",
            ("dockersim/ubuntu:14.04",),
        ),
        Recipe(
            "dockersim/volume_test:latest",
            ("alicek106/volume_test", "alicek106/volume_test:latest"),
            "volume_test.Dockerfile",
            ("dockersim/ubuntu:14.04",),
        ),
    )
}


def stand_in_map() -> dict[str, str]:
    """Scenario image reference → the kit's stand-in for it."""
    return {ref: r.tag for r in RECIPES.values() for ref in r.stands_for}


def order(tags: list[str]) -> list[Recipe]:
    """The recipes to build for these tags, each after what it is built from."""
    out: list[Recipe] = []

    def visit(tag: str) -> None:
        recipe = RECIPES.get(tag)
        if recipe is None:
            known = ", ".join(sorted(RECIPES))
            raise KitError(f"the kit has no image {tag!r} (it has {known})")
        for need in recipe.needs:
            visit(need)
        if recipe not in out:
            out.append(recipe)

    for tag in tags:
        visit(tag)
    return out


def present(docker: Docker, tags: Iterable[str]) -> list[str]:
    """Those of these image names the engine has, in their order: one listing, not an inspect each."""
    there = {ref for ref, _ in listing(docker)}
    return [tag for tag in tags if normal_ref(tag) in there]


def _mirror() -> str:
    return os.environ.get("DOCKERSIM_DEBIAN_MIRROR", "http://deb.debian.org/debian")


def build_base(docker: Docker, tag: str, say: Callable[[str], None]) -> None:
    """The Debian base image: debootstrap as root, mmdebstrap in a user namespace otherwise."""
    if os.geteuid() != 0:
        _mmdebstrap(docker, tag, say)
        return
    if shutil.which("debootstrap") is None:
        raise KitError("building the base image needs debootstrap (apt-get install debootstrap)")
    with tempfile.TemporaryDirectory(prefix="dockersim-rootfs-") as root:
        say(Phrase("kit_debootstrap", suite=DEBIAN_SUITE, mirror=_mirror()))
        _bootstrap(["debootstrap", "--variant=minbase", DEBIAN_SUITE, root, _mirror()])
        _import(docker, root, tag, ['CMD ["/bin/bash"]'])


def _bootstrap(argv: list[str]) -> None:
    """debootstrap or mmdebstrap to its end (15 minutes at most); its last line when it fails."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
        raise KitError(f"{argv[0]} failed: {tail[0]}")


def _mmdebstrap(docker: Docker, tag: str, say: Callable[[str], None]) -> None:
    """The base image without root: Debian's mmdebstrap in a user namespace of its own, to a tarball."""
    if shutil.which("mmdebstrap") is None:
        raise KitError("building the base image without root needs mmdebstrap (apt-get install mmdebstrap), "
                       "or run dockersim images build as root once")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="dockersim-rootfs-") as folder:
        tarball = os.path.join(folder, "rootfs.tar")
        say(Phrase("kit_mmdebstrap", suite=DEBIAN_SUITE, mirror=_mirror()))
        _bootstrap(["mmdebstrap", "--mode=unshare", "--variant=minbase", DEBIAN_SUITE, tarball, _mirror()])
        with open(tarball, "rb") as f:
            args = ["import", "--change", 'CMD ["/bin/bash"]', "--change", 'LABEL org.dockersim.kit="base"']
            imported = docker.run_argv(docker.argv([*args, "-", tag]), timeout=600, stdin=f)
        if imported.status != 0:
            raise KitError(f"docker import of {tag} failed: {imported.stderr.strip()}")


def _is_static(path: str) -> bool:
    """An ELF file with no PT_INTERP program header needs no dynamic loader inside the image."""
    import struct

    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:  # 64-bit ELF only
            return False
        (e_phoff,) = struct.unpack_from("<Q", head, 32)
        e_phentsize, e_phnum = struct.unpack_from("<HH", head, 54)
        f.seek(e_phoff)
        table = f.read(e_phentsize * e_phnum)
    return all(struct.unpack_from("<I", table, i * e_phentsize)[0] != 3 for i in range(e_phnum))


def _busybox(docker: Docker, tag: str, say: Callable[[str], None]) -> None:
    busybox = shutil.which("busybox")
    if busybox is None or not _is_static(busybox):
        raise KitError("building the busybox image needs a static busybox (apt-get install busybox-static)")
    with tempfile.TemporaryDirectory(prefix="dockersim-busybox-") as root:
        bin_dir = Path(root, "bin")
        bin_dir.mkdir()
        for d in ("etc", "root", "tmp", "proc", "sys", "dev"):
            Path(root, d).mkdir()
        shutil.copy2(busybox, bin_dir / "busybox")
        applets = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True).stdout.split()
        for applet in applets:
            if applet != "busybox":
                (bin_dir / applet).symlink_to("busybox")
        Path(root, "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
        Path(root, "etc/group").write_text("root:x:0:\n")
        say(Phrase("kit_busybox"))
        _import(docker, root, tag, ['CMD ["/bin/sh"]', "ENV PATH=/bin", "WORKDIR /"])


def _import(docker: Docker, root: str, tag: str, changes: list[str]) -> None:
    tar = subprocess.Popen(["tar", "--numeric-owner", "-C", root, "-c", "."], stdout=subprocess.PIPE)
    try:
        args = ["import"]
        for change in [*changes, 'LABEL org.dockersim.kit="base"']:
            args += ["--change", change]
        done = docker.run_argv(docker.argv([*args, "-", tag]), timeout=600, stdin=tar.stdout)
    finally:
        if tar.stdout:
            tar.stdout.close()
        tar.wait()
    if done.status != 0:
        raise KitError(f"docker import of {tag} failed: {done.stderr.strip()}")


def _dockerfile(docker: Docker, recipe: Recipe, say: Callable[[str], None]) -> None:
    def progress(line: str) -> None:
        if line.startswith("Step "):
            say(line)

    docker.stream(
        ["build", "--tag", recipe.tag, "--file", str(KIT_DIR / recipe.how), str(KIT_DIR)],
        progress,
        timeout=1800,
        env={"DOCKER_BUILDKIT": "0"},
    )


@contextmanager
def offline(
    docker: Docker,
    refs: set[str],
    say: Callable[[str], None],
    registry_host: str = "127.0.0.1",
    ownership: Keeper | None = None,
) -> Iterator[dict[str, str]]:
    """Stand-ins for these image references, built where missing, for the length of a run.

    With Debian's docker-registry at hand they are served from a registry on 127.0.0.1, so that
    `docker pull` and a `docker run` of a missing image really pull; without it, the plain dockersim/…
    tags are used and pull steps cannot pass.
    """
    stand_ins = stand_in_map()
    wanted = {ref: stand_ins[ref] for ref in sorted(refs) if ref in stand_ins}
    if docker.flavour.kit_from_docker:
        from_docker(docker, sorted(set(wanted.values())), say)
    build(docker, sorted(set(wanted.values())), say, only_missing=True)
    if not KitRegistry.available():
        say(Phrase("kit_no_registry"))
        yield wanted
        return
    registry = KitRegistry(registry_host)
    if docker.flavour.registry_trusted_when_told:  # a plain-HTTP registry, 127.0.0.1 or not
        docker.env["CONTAINERS_REGISTRIES_CONF"] = str(registry.trusted_by_podman())
    if ownership is not None:  # if the run dies, its reaper leaves the registry for it
        ownership.note_registry(registry.host, registry.port)
        registry.join(ownership.hold, ownership.run_id)
    else:
        registry.join(lambda _lease: None, f"p{os.getpid()}")
    mapping: dict[str, str] = {}
    try:
        say(Phrase("kit_serving", address=registry.address))
        with registry.publishing():
            for ref, local in wanted.items():
                mapping[ref] = registry.publish(docker, local, ref)
                if ownership is not None:
                    ownership.note_image(mapping[ref])
        yield mapping
    finally:
        registry.leave(ownership.drop if ownership is not None else lambda _name: None)
        docker.env.pop("CONTAINERS_REGISTRIES_CONF", None)  # only for the length of the run
        # What the run pulled under the registry's name is only a second tag of a stand-in: untag it.
        for remote in mapping.values():
            docker.call(["image", "rm", remote], check=False)


def machine_docker() -> Docker | None:
    """This machine's docker engine, when one answers (where the kit is usually built)."""
    with suppress(DockersimError):
        machine = Docker("docker")
        if machine.flavour is DOCKER and not machine.answers():
            return machine
    return None


def source(grader: Docker) -> Docker | None:
    """Where a grading engine's stand-ins are copied from: the grader's engine when it answers; for a podman
    grader, this machine's docker engine first."""
    machine = machine_docker() if grader.flavour.kit_from_docker else None
    return machine or (None if grader.answers() else grader)


def from_docker(target: Docker, tags: list[str], say: Callable[[str], None]) -> None:
    """Stand-ins copied from this machine's docker engine when it has them (podman beside docker)."""
    machine = machine_docker()
    if machine is not None:
        try:
            copy(machine, target, tags, say)
        except KitError as e:  # built instead, as without docker
            say(str(e))


def copy(source: Docker, target: Docker, tags: list[str], say: Callable[[str], None]) -> list[str]:
    """The stand-ins `source` has and `target` lacks, or holds as another image (an older build of the kit:
    a sandbox keeps its images between runs), streamed from one engine to the other (`docker save | docker
    load`: the same image IDs, on docker and podman alike, in seconds where a build takes minutes); the
    tags copied."""
    theirs, mine = dict(listing(target)), dict(listing(source))
    have = [r.tag for r in order(tags) if mine.get(normal_ref(r.tag)) not in (None, theirs.get(normal_ref(r.tag)))]
    if not have:
        return []
    start = time.monotonic()
    say(Phrase("kit_copying", tags=", ".join(have)))
    loaded = carry(source, target, have, timeout=900)
    if loaded.status != 0:
        raise KitError(f"copying {', '.join(have)} to the engine failed: {loaded.stderr.strip()[-200:]}")
    say(Phrase("kit_copied", seconds=time.monotonic() - start))
    older = sorted({theirs[normal_ref(tag)] for tag in have if normal_ref(tag) in theirs})
    if older:  # the builds the copy replaced, nameless now: gone, unless something still uses them
        target.call(["image", "rm", *older], check=False)
    return have


def build(docker: Docker, tags: list[str], say: Callable[[str], None], only_missing: bool = False) -> list[str]:
    """Build these stand-ins and what they are built from; returns the tags built or checked."""
    done = []
    recipes = order(tags)
    checked = [r.tag for r in recipes if r.how in ("debootstrap", "busybox") or only_missing]
    there = set(present(docker, checked)) if checked else set()
    for recipe in recipes:
        start = time.monotonic()
        if recipe.tag in there:
            done.append(recipe.tag)
            continue
        say(Phrase("kit_building", tag=recipe.tag))
        if recipe.how == "debootstrap":
            build_base(docker, recipe.tag, say)
        elif recipe.how == "busybox":
            _busybox(docker, recipe.tag, say)
        else:
            _dockerfile(docker, recipe, say)
        say(Phrase("kit_built", tag=recipe.tag, seconds=time.monotonic() - start))
        done.append(recipe.tag)
    return done
