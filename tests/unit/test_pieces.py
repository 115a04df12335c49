"""Placeholders, docker command lines, and screen cleaning."""

from __future__ import annotations

import pytest

from dockersim import commandline, placeholders
from dockersim.session import clean, key_bytes


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
