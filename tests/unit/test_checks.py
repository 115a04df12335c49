"""Checks evaluated on a snapshot filled from captured inspect output (no engine involved)."""

from __future__ import annotations

from typing import Any

import pytest

from dockersim.checks.vocabulary import parse_check
from dockersim.engine.parse.inspect import parse_containers
from dockersim.engine.snapshot import AmbiguousReference, Snapshot
from dockersim.engine.state import ContainerState, ImageState, VolumeState
from dockersim.yamlfile.source import load_yaml
from tests.unit.conftest import fixture


class CapturedSnapshot(Snapshot):
    """A Snapshot whose objects come from fixtures instead of docker calls."""

    def __init__(self, client: str) -> None:
        self.calls, self.disagreements = 0, []
        self._containers = parse_containers(fixture(f"inspect-containers-{client}.json"))
        self._images = [ImageState("sha256:18804c7c4bbf", ("dsim-busybox:test", "centos:8"))]
        self._volumes = [VolumeState("fxnamed", "local", "/var/lib/docker/volumes/fxnamed/_data")]


class Ctx:
    def __init__(self, image_map: dict[str, str] | None = None) -> None:
        self.image_map = image_map or {}

    def resolve(self, template: str) -> str:
        return template.replace("{var.X}", "fx_up")

    def image_ref(self, ref: str) -> str:
        return self.image_map.get(ref, ref)

    def owned(self, container: ContainerState) -> bool:
        return container.name.startswith("fx_")

    def host_path(self, path: str) -> str:
        return path

    def host_root(self) -> str | None:
        return None


def evaluate(spec: str, client: str = "28", ctx: Any = None) -> list[str]:
    check = parse_check(load_yaml(spec, "t.yaml"), "t.yaml", 1)
    return [str(m) for m in check.evaluate(CapturedSnapshot(client), ctx or Ctx())]


@pytest.mark.parametrize("client", ["20", "28"])
@pytest.mark.parametrize(
    "spec",
    [
        "{container: fx_up, state: running}",
        "{container: '{var.X}', state: running}",
        "{container: fx_exited3, state: exited, exit_code: 3, command: sh -c exit 3}",
        "{container: fx_nothing, state: absent}",
        "{container: fx_ports, ports: {80/tcp: '0.0.0.0:10130', '80': '10130', 81/udp: '127.0.0.1:10131'}}",
        "{container: fx_ports, ports: {80/tcp: '[::]:10130', 10140/tcp: any, 3306/tcp: exposed, 9/tcp: none}}",
        "{container: fx_db, env: {MYSQL_DATABASE: wordpress}, ip: 172.17.0.0/16}",
        "{container: fx_db, mounts: [{type: bind, source: /tmp/fx_bind, destination: /var/lib/mysql}]}",
        "{container: fx_db, mounts: [{type: volume, name: fxvol, rw: true}]}",
        "{container: fx_web, links: ['fx_db:mysql'], volumes_from: [fx_db]}",
        "{container: fx_healthy, health: healthy}",
        "{image: centos:8}",
        "{image: docker.io/library/centos:8}",
        "{image: ubuntu:14.04, present: false}",
        "{volume: fxnamed, driver: local}",
        "{volume: other, present: false}",
    ],
)
def test_checks_that_hold(spec: str, client: str) -> None:
    assert evaluate(spec, client) == []


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("{container: fx_up, state: exited}", ["state: expected exited, found running"]),
        ("{container: fx_gone}", ["container: expected 'fx_gone' to exist, found no such container"]),
        ("{container: fx_up, state: absent}", ["state: expected absent, found running (fx_up)"]),
        ("{container: fx_exited3, exit_code: 0}", ["exit_code: expected 0, found 3"]),
        (
            "{container: fx_db, env: {MYSQL_DATABASE: x, NOPE: y}}",
            ["env MYSQL_DATABASE: expected 'x', found 'wordpress'", "env NOPE: expected 'y', found unset"],
        ),
        ("{container: fx_up, ports: {80/tcp: any}}", ["ports 80/tcp: expected any, found nothing"]),
        (
            "{container: fx_ports, ports: {3306/tcp: '3306'}}",
            ["ports 3306/tcp: expected 3306, found exposed only, not published"],
        ),
        (
            "{container: fx_exited3, ip: 172.17.0.0/16}",
            ["ip: expected an address in 172.17.0.0/16, found no address (not running?)"],
        ),
        ("{container: fx_up, ip: 10.0.0.0/8}", ["ip: expected an address in 10.0.0.0/8, found 172.17.0.2"]),
        ("{image: ubuntu:14.04}", ["image: expected ubuntu:14.04 present, found absent"]),
        ("{volume: fxnamed, driver: nfs}", ["driver: expected nfs, found local"]),
    ],
)
def test_failed_checks_say_expected_and_found(spec: str, expected: list[str]) -> None:
    assert evaluate(spec) == expected


def test_image_check_follows_the_image_map() -> None:
    assert evaluate("{image: ubuntu:14.04}", ctx=Ctx({"ubuntu:14.04": "dsim-busybox:test"})) == []
    assert evaluate("{container: fx_up, image: ubuntu:14.04}", ctx=Ctx({"ubuntu:14.04": "dsim-busybox:test"})) == []


def test_counts_are_of_owned_containers() -> None:
    # The fixture holds 8 containers; docker ps counts paused ones as running too.
    assert evaluate("{containers: {running: 6, all: 8}}", "28") == []
    assert evaluate("{containers: {all: 1}}", "28") == ["all (docker ps -a): expected 1, found 8"]


def test_id_prefixes_resolve_like_docker() -> None:
    snap = CapturedSnapshot("28")
    up = snap.container("fx_up")
    assert up is not None and snap.container(up.id[:5]) is up
    snap._containers = [
        ContainerState(id="abc1" + "0" * 60, name="a", image="i"),
        ContainerState(id="abc2" + "0" * 60, name="b", image="i"),
    ]
    assert snap.container("abc1") is snap._containers[0]
    with pytest.raises(AmbiguousReference):
        snap.container("abc")


def test_state_table_reads_like_docker_ps() -> None:
    from dockersim.report.state import mount_text, ports_text

    snap = CapturedSnapshot("28")
    ports = snap.container("fx_ports")
    db = snap.container("fx_db")
    assert ports is not None and db is not None
    text = ports_text(ports.ports)
    assert "10130->80/tcp" in text and "127.0.0.1:10131->81/udp" in text and "3306/tcp" in text
    assert text.count("10130->80/tcp") == 1  # the IPv6 twin is not repeated
    mounts = [mount_text(m) for m in db.mounts]
    assert "/tmp/fx_bind:/var/lib/mysql" in mounts and "fxvol:/data" in mounts
    assert any(m.endswith("…:/root") for m in mounts)  # an anonymous volume, shortened
