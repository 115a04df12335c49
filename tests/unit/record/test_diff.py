"""What a command did to the engine, as checks: what the run held before and after it, and for each object
it made, changed or removed, a check with the fields the command set or changed."""

from __future__ import annotations

import dataclasses

from dockersim.dockercli import commandline
from dockersim.dockercli.commandline import Command
from dockersim.engine.state import ContainerState, Mount, PortBinding, VolumeState
from dockersim.record.diff import EMPTY, Held, checks
from dockersim.record.naming import Naming

STAND_IN = "127.0.0.1:5959/library/ubuntu:14.04"


def naming() -> Naming:
    return Naming({"ubuntu:14.04": STAND_IN})


def cmd(line: str) -> list[Command]:
    parsed = commandline.parse(line.split())
    assert parsed is not None
    return [parsed]


def held(*containers: ContainerState, volumes: tuple[str, ...] = (), images: tuple[str, ...] = ()) -> Held:
    return Held({c.id: c for c in containers}, {v: VolumeState(v) for v in volumes}, frozenset(images))


WEB = ContainerState(
    "a" * 64, "web", STAND_IN, state="running", started_at="2024-01-01T00:00:00Z",
    env={"PATH": "/usr/bin", "GREETING": "hello"}, networks={"wpnet": "172.18.0.2"},
    ports=[PortBinding(80, "tcp", "0.0.0.0", 32768), PortBinding(443, "tcp", "0.0.0.0", 8443)],
    mounts=[Mount("volume", "/data", name="data"), Mount("bind", "/srv", source="/home/me/site", rw=False),
            Mount("volume", "/cache", name="f" * 64)],
)  # fmt: skip


def test_a_new_container_is_checked_with_the_fields_its_command_set() -> None:
    line = ("docker run -d --name web -p 80 -p 8443:443 -e GREETING=hello --network wpnet "
            "-v data:/data -v /home/me/site:/srv:ro -v /cache ubuntu:14.04")  # fmt: skip
    names = naming()
    found = checks(EMPTY, held(WEB, volumes=("data",)), cmd(line), names)
    assert found == [
        {"container": "web", "state": "running", "image": "{image.ubuntu}",
         "ports": {"80/tcp": "any", "443/tcp": "8443"}, "env": {"GREETING": "hello"},
         "mounts": [{"type": "volume", "name": "data", "destination": "/data"},
                    {"type": "bind", "source": "/home/me/site", "destination": "/srv", "rw": False},
                    {"type": "volume", "destination": "/cache"}],
         "networks": ["wpnet"]},
        {"volume": "data"},
    ]  # fmt: skip
    assert names.images == {"ubuntu": "ubuntu:14.04"}  # the stand-in named as it was typed


def test_fields_the_command_did_not_set_are_not_checked() -> None:
    found = checks(EMPTY, held(WEB), cmd("docker run -d --name web ubuntu:14.04"), naming())
    assert found == [{"container": "web", "state": "running", "image": "{image.ubuntu}"}]


def test_a_stop_checks_the_state_and_exit_code_it_left() -> None:
    stopped = dataclasses.replace(WEB, state="exited", exit_code=137)
    names = naming()
    names.containers = {"web"}
    assert checks(held(WEB), held(stopped), cmd("docker stop web"), names) == [
        {"container": "web", "state": "exited", "exit_code": 137}
    ]
    # a container that changed by itself meanwhile is not the command's doing
    assert checks(held(WEB), held(stopped), cmd("docker ps"), names) == []
    # unless the line could not be read by the grammar (a shell line with $(…))
    assert checks(held(WEB), held(stopped), None, names) == [{"container": "web", "state": "exited", "exit_code": 137}]


def test_removed_and_renamed_containers_and_volumes() -> None:
    names = naming()
    names.containers = {"web"}
    assert checks(held(WEB, volumes=("data",)), held(), cmd("docker rm -f web"), names) == [
        {"container": "web", "state": "absent"}, {"volume": "data", "present": False}
    ]  # fmt: skip
    renamed = dataclasses.replace(WEB, name="site")
    assert checks(held(WEB), held(renamed), cmd("docker rename web site"), names) == [
        {"container": "web", "state": "absent"}, {"container": "site", "state": "running"}
    ]  # fmt: skip


def test_a_container_docker_named_is_counted() -> None:
    unnamed = dataclasses.replace(WEB, name="eager_turing")
    found = checks(EMPTY, held(unnamed), cmd("docker run -d ubuntu:14.04 sleep 9"), naming())
    assert found == [{"containers": {"running": 1, "all": 1}}]


def test_a_volume_s_driver_an_anonymous_volume_and_images() -> None:
    found = checks(EMPTY, held(volumes=("v1", "e" * 64)), cmd("docker volume create --driver local v1"), naming())
    assert found == [{"volume": "v1", "driver": "local"}]
    names = naming()
    pulled = checks(held(images=("busybox:latest",)), held(images=(STAND_IN,)), cmd("docker pull ubuntu:14.04"), names)
    assert pulled == [{"image": "{image.ubuntu}"}, {"image": "{image.busybox}", "present": False}]
