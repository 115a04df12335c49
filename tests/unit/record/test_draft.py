"""A command line the instructor finished, as the step record writes: read by the grammar (a plain command as
`run:`, shell syntax as `shell:`, what is no step refused with why), images as `{image.X}`, a session as
`tty:`, its status, steady output and checks, and what podman could not run of it declared."""

from __future__ import annotations

import pytest

from dockersim.engine.state import ContainerState, Mount
from dockersim.i18n.phrase import localise
from dockersim.record.diff import EMPTY, Held
from dockersim.record.draft import Drafting, NotRecorded, Recorded, draft, read_line
from dockersim.record.naming import Naming
from dockersim.record.screen import Action, Typed

STAND_IN = "127.0.0.1:5959/library/ubuntu:14.04"
FIRST = ContainerState("c" * 64, "first", STAND_IN, state="exited", exit_code=0)
SECOND = ContainerState("d" * 64, "second", STAND_IN, state="running", mounts=[Mount("volume", "/data", name="data")])


def drafting() -> Drafting:
    return Drafting(Naming({"ubuntu:14.04": STAND_IN}), columns=80, hostname="recorder-host")


def held(*containers: ContainerState, volumes: tuple[str, ...] = ()) -> Held:
    from dockersim.engine.state import VolumeState

    return Held({c.id: c for c in containers}, {v: VolumeState(v) for v in volumes}, frozenset())


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("ls -l", "rec_not_docker"),
        ("sudo docker ps", "rec_sudo"),
        ("docker run --no-such-flag x", "rec_refused_grammar"),
        ("docker ps 'unclosed", "rec_not_split"),
    ],
)
def test_lines_that_are_no_step_say_why(line: str, key: str) -> None:
    with pytest.raises(NotRecorded) as caught:
        read_line(line)
    assert caught.value.phrase.key == key and localise(caught.value.phrase, "ko")


def test_a_plain_command_and_a_shell_line() -> None:
    plain = read_line("docker run -d --name web ubuntu:14.04 sh -c 'sleep 9'")
    assert plain.words == ["docker", "run", "-d", "--name", "web", "ubuntu:14.04", "sh", "-c", "sleep 9"]
    assert plain.commands is not None and plain.commands[0].path == "container run"
    piped = read_line("docker ps -a | grep web; docker logs web")
    assert piped.words is None and [c.path for c in piped.commands or []] == ["container ls", "container logs"]
    assert read_line("docker rm -f $(docker ps -a -q)").commands is None  # what it acts on is known only then
    assert read_line("docker run -v $HOME/x:/x ubuntu:14.04").words is None  # a shell expands it


def test_run_d_is_its_id_and_a_check() -> None:
    web = ContainerState("a" * 64, "web", STAND_IN, state="running")
    screen = "Unable to find image 'x' locally\n" + "a" * 64 + "\n"
    step = draft(Recorded("docker run -d --name web ubuntu:14.04 sleep 600", 0, screen, EMPTY, held(web)), drafting())
    assert step.run == "docker run -d --name web {image.ubuntu} sleep 600"
    assert step.stdout == "^{id:web}$" and step.tty is None and step.exit == 0 and step.requires is None
    assert step.checks == [{"container": "web", "state": "running", "image": "{image.ubuntu}"}]


def test_run_it_is_a_session() -> None:
    prompt = f"root@{'c' * 12}:/# "
    typed = [Typed(prompt, b"hostname\r"), Typed(f"{prompt}hostname\n{'c' * 12}\n{prompt}", b"exit\r")]
    end = f"{prompt}hostname\n{'c' * 12}\n{prompt}exit\nexit\n"
    step = draft(Recorded("docker run -it --name first ubuntu:14.04", 0, end, EMPTY, held(FIRST), typed), drafting())
    assert step.tty == [Action("expect", "root@{short_id:first}:/# "), Action("send", "hostname"),
                        Action("expect", "^{short_id:first}$"), Action("expect", "root@{short_id:first}:/# "),
                        Action("send", "exit"), Action("expect", "eof")]  # fmt: skip
    assert step.stdout is None and step.checks[0]["state"] == "exited"


def test_an_attach_that_detaches_passes_whatever_status_its_client_used() -> None:
    prompt = f"root@{'d' * 12}:/# "
    typed = [Typed(prompt, b"\r"), Typed(f"{prompt}\n{prompt}", b"\x10\x11")]
    naming = drafting()
    naming.naming.containers = {"second"}
    step = draft(Recorded("docker attach second", 1, f"{prompt}\n{prompt}\n", held(SECOND), held(SECOND), typed),
                 naming)  # fmt: skip
    assert step.tty is not None and step.tty[0] == Action("send", "")  # the redraw before any key: no answer
    assert step.exit == 0 and step.checks == []


def test_a_failure_expects_its_words_on_stderr_on_the_engine_recorded_on() -> None:
    step = draft(Recorded("docker start nothing_here", 1, "Error response from daemon: No such container: "
                          "nothing_here\n", EMPTY, EMPTY), drafting())  # fmt: skip
    assert step.exit == "nonzero" and step.stdout is None
    assert step.stderr == "^Error response from daemon: No such container: nothing_here$"
    assert step.requires is not None and step.requires["engine"] == "docker" and step.requires["why"]["ko"]


def test_a_link_needs_the_links_feature() -> None:
    linked = ContainerState("e" * 64, "app", STAND_IN, state="running", links=["db:mysql"])
    step = draft(Recorded("docker run -d --name app --link db:mysql ubuntu:14.04", 0, "e" * 64 + "\n", EMPTY,
                          held(linked)), drafting())  # fmt: skip
    assert step.requires == {"features": ["links"]} and step.checks[0]["links"] == ["db:mysql"]


def test_a_shell_line_names_its_images_too() -> None:
    step = draft(Recorded("docker pull ubuntu:14.04 && docker images", 0, "REPOSITORY   TAG   IMAGE ID   CREATED   "
                          "SIZE\n", EMPTY, EMPTY), drafting())  # fmt: skip
    assert step.shell == "docker pull {image.ubuntu} && docker images" and step.run is None
