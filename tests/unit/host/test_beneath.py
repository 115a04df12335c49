"""Reading beneath a folder with no link followed (beneath.py), both by openat2 and by the walk it falls back
to; a submission's files refused in one sentence that quotes none of them; a host_file check's read beneath
the workspace; the caps on a commands.sh's lines."""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockersim.checks.probes import HOST_FILE_CAP, read_host_file
from dockersim.engine.client import Docker
from dockersim.grading.submission import COMMANDS_CAP, FILE_CAP, LINE_CAP, Refused, read_commands, read_file
from dockersim.host import beneath
from dockersim.i18n.phrase import Phrase, localise

SECRET = "root:$6$not-for-students:19000:0:99999:7:::"


@pytest.fixture(params=["openat2", "walk"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test once through openat2 and once through the component-by-component walk."""
    monkeypatch.setattr(beneath, "_openat2_missing", request.param == "walk")
    yield request.param
    if request.param == "openat2":
        assert not beneath._openat2_missing, "this kernel has openat2: the walk must not have been used"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the folder, standing for /etc/shadow."""
    secret = tmp_path / "shadow"
    secret.write_text(SECRET + "\n")
    return secret


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "alice"
    (folder / "sub").mkdir(parents=True)
    return folder


def test_a_regular_file_is_read(way: str, folder: Path) -> None:
    (folder / "commands.sh").write_text("docker ps\n")
    (folder / "sub" / "deeper.txt").write_text("deeper\n")
    assert beneath.look(folder, "commands.sh", 100) == beneath.Found(beneath.FILE, b"docker ps\n")
    assert beneath.look(folder, "sub/deeper.txt", 100) == beneath.Found(beneath.FILE, b"deeper\n")


def test_a_folder_reached_through_a_link_is_the_caller_s(way: str, folder: Path, tmp_path: Path) -> None:
    (folder / "commands.sh").write_text("docker ps\n")
    (tmp_path / "alias").symlink_to(folder)
    found = beneath.look(tmp_path / "alias", "commands.sh", 100)
    assert found is not None and found.kind == beneath.FILE


def test_nothing_there(way: str, folder: Path) -> None:
    assert beneath.look(folder, "missing", 100) is None
    assert beneath.look(folder, "missing/x", 100) is None
    assert beneath.look(folder / "no-such-folder", "x", 100) is None


def test_a_link_at_the_name_is_not_followed(way: str, folder: Path, outside: Path) -> None:
    (folder / "commands.sh").symlink_to(outside)
    assert beneath.look(folder, "commands.sh", 100) == beneath.Found(beneath.SYMLINK)


def test_a_link_on_the_way_is_not_followed(way: str, folder: Path, outside: Path) -> None:
    (folder / "up").symlink_to(outside.parent)
    assert beneath.look(folder, f"up/{outside.name}", 100) == beneath.Found(beneath.SYMLINK)
    (folder / "inner").symlink_to("sub")  # even one that stays inside: it could be swapped for one that does not
    (folder / "sub" / "f").write_text("x")
    assert beneath.look(folder, "inner/f", 100) == beneath.Found(beneath.SYMLINK)


def test_a_way_above_the_folder_is_outside(way: str, folder: Path, outside: Path) -> None:
    assert beneath.look(folder, f"../{outside.name}", 100) == beneath.Found(beneath.OUTSIDE)
    assert beneath.look(folder, str(outside), 100) == beneath.Found(beneath.OUTSIDE)


def test_a_fifo_is_not_waited_for(way: str, folder: Path) -> None:
    os.mkfifo(folder / "commands.sh")
    found: list[beneath.Found | None] = []
    reader = threading.Thread(target=lambda: found.append(beneath.look(folder, "commands.sh", 100)), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "opening a FIFO waited for a writer"
    assert found == [beneath.Found(beneath.FIFO)]


def test_a_device_is_not_read(way: str, folder: Path) -> None:
    (folder / "null").symlink_to("/dev/null")
    assert beneath.look(folder, "null", 100) == beneath.Found(beneath.SYMLINK)
    if os.geteuid() == 0:  # a node made in the folder, as tar run by root unpacks one
        os.mknod(folder / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        assert beneath.look(folder, "zero", 100) == beneath.Found(beneath.DEVICE)
        os.mknod(folder / "nodriver", stat.S_IFCHR | 0o600, os.makedev(60, 0))  # experimental use: no driver, ENXIO
        assert beneath.look(folder, "nodriver", 100) == beneath.Found(beneath.DEVICE)


def test_a_socket_and_a_directory_are_not_read(way: str, folder: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(folder / "sock"))
        assert beneath.look(folder, "sock", 100) == beneath.Found(beneath.SOCKET)
    assert beneath.look(folder, "sub", 100) == beneath.Found(beneath.DIRECTORY)
    assert beneath.look(folder, ".", 100) == beneath.Found(beneath.DIRECTORY)


def test_a_large_file_is_read_only_to_the_cap(way: str, folder: Path) -> None:
    (folder / "big").write_bytes(b"x" * 10_000)
    assert beneath.look(folder, "big", 100) == beneath.Found(beneath.FILE, b"x" * 100, whole=False)
    (folder / "exact").write_bytes(b"x" * 100)
    assert beneath.look(folder, "exact", 100) == beneath.Found(beneath.FILE, b"x" * 100, whole=True)


# -- a submission's files ------------------------------------------------------------------------------


def refusal(folder: Path, name: str) -> str:
    with pytest.raises(Refused) as e:
        read_file(folder, name)
    said = e.value.args[0]
    assert isinstance(said, Phrase)
    return str(said)


def test_a_submission_s_link_is_refused_without_a_word_of_its_target(folder: Path, outside: Path) -> None:
    (folder / "commands.sh").symlink_to(outside)
    said = refusal(folder, "commands.sh")
    assert said == "commands.sh is a symbolic link; a submission's files must be regular files in its folder"
    assert SECRET not in said and str(outside) not in said
    with pytest.raises(Refused) as e:
        read_file(folder, "commands.sh")
    assert "심볼릭 링크" in localise(e.value.args[0], "ko")


def test_a_submission_s_other_files_are_refused(folder: Path) -> None:
    os.mkfifo(folder / "session.yaml")
    assert refusal(folder, "session.yaml").startswith("session.yaml is a FIFO (a named pipe);")
    (folder / "commands.sh").mkdir()
    assert refusal(folder, "commands.sh").startswith("commands.sh is a directory;")
    (folder / "big.sh").write_bytes(b"docker ps\n" * (FILE_CAP // 10 + 1))
    assert refusal(folder, "big.sh") == "big.sh is larger than 64 KiB, more than a submission's file may be"


def test_a_submission_s_file_is_read_or_missing(folder: Path) -> None:
    assert read_file(folder, "commands.sh") is None
    (folder / "commands.sh").write_bytes(b"docker ps \xff\n")
    assert read_file(folder, "commands.sh") == "docker ps \ufffd\n"


def test_a_line_too_long_and_too_many_lines_are_refused(tmp_path: Path) -> None:
    long = "docker run busybox echo " + "x" * LINE_CAP
    [line] = read_commands(long, tmp_path)
    assert line.refused == f"the line is longer than {LINE_CAP} characters" and len(line.text) < 300
    continued = "docker run busybox echo \\\n" + "  x \\\n" * (LINE_CAP // 3) + "  end\ndocker ps\n"
    lines = read_commands(continued, tmp_path)
    assert [bool(x.refused) for x in lines] == [True, False] and "longer than" in lines[0].refused
    many = read_commands("# commands\n" + "docker ps\n" * (COMMANDS_CAP + 50), tmp_path)
    assert len(many) == COMMANDS_CAP + 1 and all(x.runs for x in many[:-1])
    assert many[-1].refused.startswith(f"the file has more than {COMMANDS_CAP} commands")


# -- a host_file check ----------------------------------------------------------------------------------


def test_a_host_file_is_read_beneath_the_workspace(way: str, tmp_path: Path, outside: Path) -> None:
    docker = Docker("sh")  # the host is this machine: nothing goes through an engine
    workspace = tmp_path / "ws"
    (workspace / "data").mkdir(parents=True)
    (workspace / "data" / "note").write_text("hello\n")
    root = str(workspace)
    assert read_host_file(docker, str(workspace / "data" / "note"), root) == (True, "hello\n")
    assert read_host_file(docker, str(workspace / "data" / "none"), root) == (False, None)
    assert read_host_file(docker, str(workspace / "data"), root) == (True, None)
    # A container swapped a link in after the path was resolved: it leads out, so nothing is there.
    (workspace / "data" / "swapped").symlink_to(outside)
    assert read_host_file(docker, str(workspace / "data" / "swapped"), root) == (False, None)
    (workspace / "up").symlink_to(outside.parent)
    assert read_host_file(docker, str(workspace / "up" / outside.name), root) == (False, None)
    assert read_host_file(docker, str(outside), root) == (False, None)
    os.mkfifo(workspace / "data" / "fifo")
    assert read_host_file(docker, str(workspace / "data" / "fifo"), root) == (True, None)
    (workspace / "data" / "big").write_bytes(b"y" * (HOST_FILE_CAP + 10))
    exists, text = read_host_file(docker, str(workspace / "data" / "big"), root)
    assert exists and text is not None and len(text) == HOST_FILE_CAP


def test_a_missing_bind_source_is_made_beneath_the_workspace_and_never_through_a_symlink(tmp_path: Path) -> None:
    workspace, outside = tmp_path / "ws", tmp_path / "outside"
    workspace.mkdir()
    outside.mkdir()
    owner = os.getuid()  # the engine's root; as the tests' own uid, so that it also runs without root
    beneath.make_beneath(workspace, str(workspace / "home" / "db"), owner)
    assert (workspace / "home" / "db").is_dir() and (workspace / "home").stat().st_uid == owner
    (workspace / "up").symlink_to(outside)  # a container swapped a folder for a symlink
    beneath.make_beneath(workspace, str(workspace / "up" / "x"), owner)
    beneath.make_beneath(workspace, str(tmp_path / "elsewhere"), owner)
    assert list(outside.iterdir()) == [] and not (tmp_path / "elsewhere").exists()
