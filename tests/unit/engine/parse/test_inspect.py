"""`docker inspect` of containers, volumes, images and networks, from both docker clients and from podman 4.3
(tests/fixtures/*-podman43.*, captured by capture-podman.sh): one parser per output, reading each shape to
the same states; damaged output is a ParseError."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockersim.engine.parse.inspect import parse_containers, parse_images, parse_networks, parse_volumes
from dockersim.engine.state import Mount, PortBinding
from dockersim.errors import ParseError
from tests.unit.conftest import CLIENTS, fixture
from tests.unit.fuzzing import BUDGET, mutations

PODMAN = "podman43"


@pytest.mark.parametrize("client", CLIENTS)
def test_inspect_containers(client: str) -> None:
    cs = {c.name: c for c in parse_containers(fixture(f"inspect-containers-{client}.json"))}
    assert cs["fx_up"].state == "running" and cs["fx_up"].exit_code is None
    assert cs["fx_up"].hostname == cs["fx_up"].id[:12]
    assert cs["fx_up"].ip.startswith("172.17.")
    assert cs["fx_paused"].state == "paused"
    assert (cs["fx_exited3"].state, cs["fx_exited3"].exit_code) == ("exited", 3)
    assert cs["fx_exited3"].ip == ""
    assert cs["fx_created"].state == "created"
    assert cs["fx_healthy"].health == "healthy"
    assert PortBinding(80, "tcp", "0.0.0.0", 10130) in cs["fx_ports"].ports
    assert PortBinding(3306) in cs["fx_ports"].ports
    db = cs["fx_db"]
    assert db.env["MYSQL_ROOT_PASSWORD"] == "password"
    assert Mount("bind", "/var/lib/mysql", "/tmp/fx_bind", mode="", rw=True) in db.mounts
    assert any(m.type == "volume" and m.name == "fxvol" and m.destination == "/data" for m in db.mounts)
    assert any(m.type == "volume" and len(m.name) == 64 and m.destination == "/root" for m in db.mounts)
    web = cs["fx_web"]
    assert web.links == ["fx_db:mysql"]
    assert web.volumes_from == ["fx_db"]
    assert cs["fx_exited3"].command == "sh -c exit 3"


@pytest.mark.parametrize("client", CLIENTS)
def test_inspect_other_objects(client: str) -> None:
    [volume] = parse_volumes(fixture(f"inspect-volume-{client}.json"))
    assert (volume.name, volume.driver, volume.mountpoint) == (
        "fxnamed",
        "local",
        "/var/lib/docker/volumes/fxnamed/_data",
    )
    [image] = parse_images(fixture(f"inspect-image-{client}.json"))
    assert image.repo_tags == ("dsim-busybox:test",)
    [network] = parse_networks(fixture(f"inspect-network-{client}.json"))
    assert network.name == "bridge" and network.subnets == ("172.17.0.0/16",)


@pytest.mark.parametrize("text", ["", "{", "[1]", '[{"Id": 3}]', '[{"Id": "x", "State": []}]', "[{}]"])
def test_inspect_errors(text: str) -> None:
    if text == "":
        assert parse_containers(text) == []
        return
    with pytest.raises(ParseError):
        parse_containers(text)


def test_inspect_reads_podman_s_objects() -> None:
    containers = {c.name: c for c in parse_containers(fixture(f"inspect-containers-{PODMAN}.json"))}
    assert containers["fx_exited3"].state == "exited" and containers["fx_exited3"].exit_code == 3
    assert containers["fx_paused"].state == "paused" and containers["fx_healthy"].health == "starting"
    assert containers["fx_up"].ip.startswith("10.88.")  # podman's own bridge
    # every address: podman leaves HostIp empty, read as 0.0.0.0
    assert PortBinding(10151, "tcp", "0.0.0.0", 10151) in containers["fx_ports"].ports
    assert PortBinding(3306, "tcp") in containers["fx_ports"].ports  # exposed only
    assert not containers["fx_web"].links  # podman has no --link
    db = {m.destination: m for m in containers["fx_db"].mounts}
    assert db["/var/lib/mysql"].type == "bind" and db["/data"].name == "fxvol" and db["/root"].type == "volume"
    assert {m.destination for m in containers["fx_web"].mounts} == {"/root", "/data"}  # --volumes-from
    [network] = parse_networks(fixture(f"inspect-network-{PODMAN}.json"))  # lower-case keys
    assert network.name == "podman" and network.subnets == ("10.88.0.0/16",)
    [volume] = parse_volumes(fixture(f"inspect-volume-{PODMAN}.json"))
    assert volume.name == "fxnamed" and volume.driver == "local"
    [image] = parse_images(fixture(f"inspect-image-{PODMAN}.json"))
    assert "localhost/dsim-busybox:test" in image.repo_tags


def test_a_mount_path_written_with_a_slash_reads_as_docker_keeps_it() -> None:
    # `-v fxslash:/root/ -v /tmp/fx_bind/:/srv/`: podman keeps the slashes, docker drops them.
    for version in (PODMAN, "28", "20"):
        [found] = parse_containers(fixture(f"inspect-slash-{version}.json"))
        paths = {(m.source.rsplit("/", 2)[-2] if m.name else m.source, m.destination) for m in found.mounts}
        assert paths == {("fxslash", "/root"), ("/tmp/fx_bind", "/srv")}, version


@pytest.mark.parametrize(
    "parser", [parse_containers, parse_images, parse_volumes, parse_networks], ids=lambda p: p.__name__
)
@BUDGET
@given(text=st.text(max_size=200))
def test_any_text_is_read_or_is_a_parse_error(parser: Callable[[str], Any], text: str) -> None:
    with contextlib.suppress(ParseError):
        parser(text)


@pytest.mark.parametrize(
    "parser, name",
    [
        (parse_containers, "inspect-containers-28.json"),
        (parse_volumes, "inspect-volume-20.json"),
        (parse_images, "inspect-image-28.json"),
        (parse_networks, "inspect-network-20.json"),
    ],
)
@BUDGET
@given(data=st.data())
def test_inspect_parsers_on_damaged_real_output(parser: Callable[[str], Any], name: str, data: st.DataObject) -> None:
    damaged = data.draw(mutations(json.loads(fixture(name))))
    with contextlib.suppress(ParseError):
        parser(json.dumps(damaged))
