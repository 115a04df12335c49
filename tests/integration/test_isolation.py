"""An isolated sandbox engine (grading's) cannot reach the host's files: a container's bind of /etc finds a
throwaway copy, a host folder that is not shared is a fresh empty one, a shared folder is the host's, and
root in a container is an unprivileged host uid. The command policy is bypassed here on purpose."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.engine.process import Completed
from dockersim.engine.sandbox.box import REMAP_COUNT
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.engine.sandbox.slots import private

pytestmark = [pytest.mark.engine, pytest.mark.grading]

IMAGE = "dockersim/isotest:busybox"
APPLETS = ("sh", "id", "ls", "cat", "echo", "touch", "stat", "sleep", "httpd", "wget")


@dataclass(frozen=True)
class Isolated:
    box: Sandbox
    docker: Docker
    shared: Path  # a host folder the box's containers may reach
    stage: Path  # a host folder they reach one subfolder of, the one shown
    sleeper: str  # a container left running, for down() to stop


def _busybox_image(docker: Docker, folder: Path) -> None:
    """No registry answers here: an image of Debian's static busybox, made with `docker import`."""
    busybox = shutil.which("busybox")
    assert busybox is not None, "this test needs Debian's busybox-static (apt-get install busybox-static)"
    tarball = folder / "busybox.tar"
    with tarfile.open(tarball, "w") as tar:
        tar.add(Path(busybox).resolve(), "bin/busybox")
        for applet in APPLETS:
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
    docker.call(["import", str(tarball), IMAGE])


def _mount_namespace(pid: int) -> str:
    return os.readlink(f"/proc/{pid}/ns/mnt")


def _uid(pid: int) -> int:
    [line] = [line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("Uid:")]
    return int(line.split()[1])


def _processes() -> dict[int, tuple[str, int]]:
    """Every live process: its mount namespace and real uid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = (_mount_namespace(int(entry.name)), _uid(int(entry.name)))
            except (OSError, ValueError):  # gone meanwhile, or a zombie
                continue
    return found


def _assert_nothing_left(box: Sandbox, mntns: str) -> None:
    left = [pid for pid, (ns, uid) in _processes().items()
            if ns == mntns or box.remap_root <= uid < box.remap_root + REMAP_COUNT]  # fmt: skip
    assert left == [], f"processes of the isolated sandbox outlived down(): {left}"
    mounts = Path("/proc/self/mountinfo").read_text()
    for path in (box.run_dir, box.data_root):
        assert str(path) not in mounts, f"a mount under {path} outlived down()"
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    assert box.netns not in netns.split()


@pytest.fixture(scope="module")
def isolation_slot() -> Iterator[int]:
    """A slot claimed from the machine for the module's sandbox: no grading run at once gets it."""
    with private("isotest") as box:
        yield box.slot


@pytest.fixture(scope="module")
def isolated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Isolated]:
    shared = tmp_path_factory.mktemp("isolation-shared")
    stage = tmp_path_factory.mktemp("isolation-stage")
    slot = request.getfixturevalue("isolation_slot")
    box = Sandbox("isotest", slot, isolated=True, shared=(shared,), stage=stage)
    namespaces: list[str] = []

    def down() -> None:
        box.down(purge=True)
        if namespaces:  # down() must stop a running container and leave no process or mount
            _assert_nothing_left(box, namespaces[0])

    request.addfinalizer(down)
    box.up()
    pid = box.pid()
    assert pid is not None
    namespaces.append(_mount_namespace(pid))
    assert namespaces[0] != _mount_namespace(os.getpid()), "dockerd runs in the host's mount namespace"
    docker = Docker("docker", env={"DOCKER_HOST": box.docker_host, "DOCKER_CONTEXT": ""})
    _busybox_image(docker, tmp_path_factory.mktemp("isolation-image"))
    sleeper = docker.call(["run", "-d", "--stop-timeout", "1", IMAGE, "sleep", "600"]).stdout.strip()
    yield Isolated(box, docker, shared, stage, sleeper)


def _run(isolated: Isolated, *args: str) -> Completed:
    """`docker run --rm ARGS` on the isolated engine, as a submission that slipped past the policy would."""
    return isolated.docker.call(["run", "--rm", *args], check=False)


def test_a_bind_of_etc_finds_a_throwaway_copy(isolated: Isolated) -> None:
    marker = Path("/etc") / f"dockersim-isotest-{uuid.uuid4().hex}"
    written = Path("/etc") / f"dockersim-isotest-{uuid.uuid4().hex}"
    marker.write_text("the host's own\n")
    try:
        seen = _run(isolated, "-v", "/etc:/e", IMAGE, "ls", "-a", "/e")
        assert seen.status == 0, seen.stderr
        names = seen.stdout.split()
        assert "passwd" in names and "subuid" in names  # an /etc, and the one the engine was given
        assert "shadow" not in names and marker.name not in names
        subuid = _run(isolated, "-v", "/etc:/e", IMAGE, "cat", "/e/subuid")
        # The engine's remapped ids, for dockerd's dockremap and for root's own user namespaces (a podman
        # sandbox's builder): nothing of the machine's /etc/subuid.
        ids = f"{isolated.box.remap_root}:{REMAP_COUNT}"
        assert subuid.stdout == f"dockremap:{ids}\nroot:{ids}\n"
        _run(isolated, "-v", "/etc:/e", IMAGE, "sh", "-c", f"echo pwned > /e/{written.name}")
        assert not written.exists()
    finally:
        marker.unlink()
        written.unlink(missing_ok=True)


def test_a_host_folder_not_shared_is_a_fresh_one(isolated: Isolated, tmp_path: Path) -> None:
    folder = tmp_path / "not-shared"
    folder.mkdir()
    (folder / "host-file").write_text("the host's own\n")
    for path in (tmp_path, folder):  # so that only isolation keeps the container's write from the host
        path.chmod(0o755)
        os.chown(path, isolated.box.remap_root, isolated.box.remap_root)
    seen = _run(isolated, "-v", f"{folder}:/w", IMAGE, "sh", "-c", "ls -a /w && echo made > /w/written")
    assert seen.status == 0, seen.stderr
    assert "host-file" not in seen.stdout.split()
    assert sorted(p.name for p in folder.iterdir()) == ["host-file"]


def test_a_shared_folder_is_the_hosts_written_as_the_remapped_root(isolated: Isolated) -> None:
    box = isolated.box
    assert box.remap_root != 0
    work = isolated.shared / "work"
    work.mkdir()
    (work / "host-file").write_text("the host's own\n")
    os.chown(work, box.remap_root, box.remap_root)  # as grading does before a submission runs
    seen = _run(isolated, "-v", f"{work}:/w", IMAGE, "sh", "-c",
                "id -u && cat /w/host-file && echo made > /w/made && stat -c %u /w/made")  # fmt: skip
    assert seen.status == 0, seen.stderr
    assert seen.stdout.splitlines() == ["0", "the host's own", "0"]  # root, as the container sees it
    made = work / "made"
    assert made.read_text() == "made\n"
    assert (made.stat().st_uid, made.stat().st_gid) == (box.remap_root, box.remap_root)


def test_a_stage_shows_one_folder_at_a_time(isolated: Isolated) -> None:
    """Grading's workspaces: the engine reaches the one shown (the submission graded now) and no other, even
    by a symlink a container made to the one shown before; nothing of it is mounted on the host."""
    box, stage = isolated.box, isolated.stage
    first, second = stage / "first", stage / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "mine").write_text(f"{folder.name}'s\n")
        os.chown(folder, box.remap_root, box.remap_root)  # as grading does before a submission runs
    box.show(first)
    seen = _run(
        isolated, "-v", f"{stage}:/s", IMAGE, "sh", "-c", "ls -a /s && cat /s/first/mine && echo made > /s/first/made"
    )
    assert seen.stdout.split() == [".", "..", "first", "first's"], seen.stderr
    assert (first / "made").read_text() == "made\n"
    (second / "link").symlink_to("../first")
    box.show(second)
    seen = _run(isolated, "-v", f"{stage}:/s", IMAGE, "sh", "-c", "ls -a /s && cat /s/second/mine")
    assert seen.stdout.split() == [".", "..", "second", "second's"], seen.stderr
    seen = _run(isolated, "-v", f"{second}/link:/f", IMAGE, "sh", "-c", "cat /f/mine; echo made > /f/by-link")
    assert "first's" not in seen.stdout  # dockerd finds the link dangling, and refuses it
    assert sorted(p.name for p in first.iterdir()) == ["made", "mine"]
    made = _run(isolated, "-v", f"{stage}/third:/t", IMAGE, "sh", "-c", "echo made > /t/file")
    assert made.status == 0 and not (stage / "third").exists(), made.stderr  # made on the sandbox's root
    box.show(second)  # again, over what the engine made there
    seen = _run(isolated, "-v", f"{stage}:/s", IMAGE, "ls", "-a", "/s")
    assert seen.stdout.split() == [".", "..", "second"], seen.stderr
    assert str(stage) not in Path("/proc/self/mountinfo").read_text()


def test_root_in_a_container_is_an_unprivileged_host_uid(isolated: Isolated) -> None:
    pid = int(isolated.docker.call(["inspect", "--format", "{{.State.Pid}}", isolated.sleeper]).stdout)
    assert _uid(pid) == isolated.box.remap_root
    inside = isolated.docker.call(["exec", isolated.sleeper, "id", "-u"]).stdout.strip()
    assert inside == "0"


def test_one_sandbox_reaches_no_other_s_published_ports(isolated: Isolated, tmp_path: Path) -> None:
    """Two submissions graded side by side: one's containers cannot reach the other's published ports (its
    database, with the homework's password), though the host can."""
    with private("netpeer") as peer:
        _peer_unreached(isolated, peer, tmp_path)


def _peer_unreached(isolated: Isolated, peer: Sandbox, tmp_path: Path) -> None:
    peer.up()
    try:
        docker = Docker("docker", env={"DOCKER_HOST": peer.docker_host, "DOCKER_CONTEXT": ""})
        _busybox_image(docker, tmp_path)
        docker.call(["run", "-d", "-p", "8080:8080", IMAGE, "httpd", "-f", "-p", "8080", "-h", "/bin"])
        url = f"http://{peer.engine_host}:8080/busybox"
        deadline = time.monotonic() + 60
        while not _answers(url):
            assert time.monotonic() < deadline, "the peer's published port never answered the host"
            time.sleep(0.2)  # poll: httpd starting, to the deadline
        tried = _run(isolated, IMAGE, "wget", "-q", "-T", "5", "-O", "/dev/null", url)
        assert tried.status != 0, "a sandbox reached another's published port"
    finally:
        peer.down(purge=True)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False
