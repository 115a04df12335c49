"""Placeholders, docker command lines, and screen cleaning."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dockersim.dockercli import commandline
from dockersim.engine import images, keystrokes
from dockersim.engine.client import Docker
from dockersim.engine.session import clean, key_bytes
from dockersim.scenario import placeholders


def test_placeholders_found_and_substituted() -> None:
    found = placeholders.find("a {image.ubuntu} {short_id:first} \\d{12} {{.Id}} {host_port:web:80/tcp}")
    assert [(p.kind, p.arg) for p in found] == [("image", "ubuntu"), ("short_id", "first"), ("host_port", "web:80/tcp")]
    assert found[2].container == "web"
    assert placeholders.substitute("x{var.A}y", lambda p: p.arg.lower()) == "xay"
    assert placeholders.problems("{foo.bar}", set())[0].startswith("unknown placeholder {foo.bar}")
    assert placeholders.problems("{host_port:web}", set()) == [
        "{host_port:web} should read {host_port:CONTAINER:80/tcp}"
    ]


@pytest.mark.parametrize(
    "argv, target, created",
    [
        ("docker run -i -t --name first img", "first", [("container", "first")]),
        ("docker run -dit -p 80:80 --name=x img sh -c hi", "x", [("container", "x")]),
        ("docker run -it img", None, []),
        ("docker attach mycentos", "mycentos", []),
        ("docker exec -it -e A=1 wordpressdb /bin/bash", "wordpressdb", []),
        ("docker start -a -i c1", "c1", []),
        ("docker container start -ai c2", "c2", []),
        ("docker --context other run --name q img", "q", [("container", "q")]),
        ("docker volume create --name myvolume", None, [("volume", "myvolume")]),
        ("docker volume create myvolume", None, [("volume", "myvolume")]),
        (
            "docker run -v myvolume:/root/ -v /home/x:/y -v /anon --mount source=mv,target=/z img",
            None,
            [("volume", "myvolume"), ("volume", "mv")],
        ),
        ("docker rename angry_morse my_container", "angry_morse", [("container", "my_container")]),
        ("docker network create mynet", None, [("network", "mynet")]),
        ("ls /home", None, []),
    ],
)
def test_command_lines(argv: str, target: str | None, created: list[tuple[str, str]]) -> None:
    words = argv.split()
    assert commandline.target_container(words) == target
    assert commandline.created_names(words) == created


def test_screen_text_is_what_a_person_sees() -> None:
    # Bytes as bash 5.2 and busybox ash sent them through docker run -it (see tests/integration).
    assert clean("\x1b[?2004hroot@48b6225a4215:/# \r\n\x1b[?2004l\rhello\r\n") == "root@48b6225a4215:/# \nhello\n"
    assert clean("\x1b[6n\r/ # \x1b[Jls\r\n") == "/ # ls\n"
    assert clean("\x1b]0;title\x07abc\x08\x08X\r\n") == "aX\n"
    assert clean("progress 10%\rprogress 100%\r\n") == "progress 100%\n"


def test_keys() -> None:
    assert key_bytes("ctrl-p") == "\x10" and key_bytes("ctrl-q") == "\x11" and key_bytes("ctrl-d") == "\x04"
    assert key_bytes("enter") == "\r" and key_bytes("x") == "x"
    with pytest.raises(ValueError):
        key_bytes("ctrl-å")


def test_keys_that_came_in_one_read_go_apart() -> None:
    # Ctrl+P, Ctrl+Q read at once from the learner's terminal reach podman's client one a read.
    assert keystrokes.apart(b"\x10\x11") == [b"\x10", b"\x11"]
    assert keystrokes.apart(b"\x18x") == [b"\x18", b"x"]  # --detach-keys ctrl-x,x
    assert keystrokes.apart(b"docker ps\r") == [b"docker ps\r"]  # typing, Enter with it
    assert keystrokes.apart(b"\x1b[A\t") == [b"\x1b[A\t"]  # an arrow key's escape sequence, Tab


def test_image_references_as_a_pull_prints_them() -> None:
    cases = {
        "centos:8": ("docker.io/library/centos:8", "library/centos"),
        "alicek106/volume_test": ("docker.io/alicek106/volume_test:latest", "alicek106/volume_test"),
        "10.213.0.1:5959/library/centos:8": ("10.213.0.1:5959/library/centos:8", "library/centos"),
        "localhost/x": ("localhost/x:latest", "x"),
        "quay.io/a/b:1": ("quay.io/a/b:1", "a/b"),
        "ubuntu@sha256:ab": ("docker.io/library/ubuntu@sha256:ab", "library/ubuntu"),
    }
    for ref, (full, path) in cases.items():
        assert (images.qualified(ref), images.repository(ref)) == (full, path), ref
    assert placeholders.problems("{repository.nope}", {"centos"})[0].endswith("(declared: centos)")


def test_a_shell_step_labels_what_it_creates(tmp_path: Path) -> None:
    """The script's `docker` adds the run's labels after a creating verb, and only there."""
    echo = tmp_path / "docker"
    echo.write_text('#!/bin/sh\necho "$@"\n')
    echo.chmod(0o755)
    script = "docker run --name a img true\ndocker container create img\ndocker volume create v\ndocker ps -q"
    argv = Docker(str(echo), context="ctx").shell_argv(script, ["k=v w"])
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == [
        "--context ctx run --label k=v w --name a img true",
        "--context ctx container create --label k=v w img",
        "--context ctx volume create --label k=v w v",
        "--context ctx ps -q",
    ]


def test_a_missing_bind_source_is_made_beneath_the_workspace_and_never_through_a_symlink(tmp_path: Path) -> None:
    from dockersim.host.beneath import make_beneath

    workspace, outside = tmp_path / "ws", tmp_path / "outside"
    workspace.mkdir()
    outside.mkdir()
    owner = os.getuid()  # the engine's root; as the tests' own uid, so that it also runs without root
    make_beneath(workspace, str(workspace / "home" / "db"), owner)
    assert (workspace / "home" / "db").is_dir() and (workspace / "home").stat().st_uid == owner
    (workspace / "up").symlink_to(outside)  # a container swapped a folder for a symlink
    make_beneath(workspace, str(workspace / "up" / "x"), owner)
    make_beneath(workspace, str(tmp_path / "elsewhere"), owner)
    assert list(outside.iterdir()) == [] and not (tmp_path / "elsewhere").exists()


def test_a_client_configured_to_detach_on_other_keys_is_given_the_tutorial_s(tmp_path: Path) -> None:
    from dockersim.engine.flavour import _docker_detach_keys, _podman_detach_keys

    (tmp_path / "config.json").write_text('{"detachKeys": "ctrl-x,x", "auths": {}}')
    assert _docker_detach_keys({"DOCKER_CONFIG": str(tmp_path)}) == "ctrl-x,x"
    assert _docker_detach_keys({"DOCKER_CONFIG": str(tmp_path / "none")}) == ""
    conf = tmp_path / "containers.conf"
    conf.write_text('[containers]\ndetach_keys = "no"\n\n[engine]\ncgroup_manager = "cgroupfs"\n'
                    'detach_keys = "ctrl-e,e"\n')  # fmt: skip
    assert _podman_detach_keys({"CONTAINERS_CONF": str(conf)}) == "ctrl-e,e"
    keys = ["--detach-keys", "ctrl-p,ctrl-q"]
    run = ["docker", "container", "run", "-i", "-t", "--name", "x", "busybox", "sh"]
    assert commandline.with_detach_keys(run, "ctrl-p,ctrl-q") == [*run[:7], *keys, *run[7:]]
    assert commandline.with_detach_keys(["docker", "attach", "x"], "ctrl-p,ctrl-q") == ["docker", "attach", *keys, "x"]
    named = ["docker", "exec", "-it", "--detach-keys", "ctrl-a", "x", "sh"]
    assert commandline.with_detach_keys(named, "ctrl-p,ctrl-q") == named  # the command's own keys stand
    assert commandline.with_detach_keys(["docker", "ps", "-a"], "ctrl-p,ctrl-q") == ["docker", "ps", "-a"]


def test_a_sandbox_s_uids_are_no_user_s_subordinate_ids(tmp_path: Path) -> None:
    """Grading's remapped roots stay clear of the ranges /etc/subuid gives users for rootless containers."""
    from dockersim.engine.sandbox.box import REMAP_COUNT, REMAP_FIRST, _subordinate_owner
    from dockersim.engine.sandbox.sandbox import Sandbox

    table = tmp_path / "subuid"
    table.write_text("alice:100000:65536\nbob:165536:65536\n# not a range\n")
    assert _subordinate_owner(165535, 2, (str(table),)) == "alice"
    assert _subordinate_owner(231072, 10, (str(table),)) == ""
    assert _subordinate_owner(REMAP_FIRST, REMAP_COUNT, (str(table),)) == ""
    assert Sandbox("x", 10, isolated=True).remap_root >= REMAP_FIRST > 600100000  # login.defs' SUB_UID_MAX
