"""podman 4.3's output (tests/fixtures/*-podman43.*, captured by capture-podman.sh) read by the same
parsers as docker's, to the same states: one parser per output, reading both shapes."""

from __future__ import annotations

import pytest

from dockersim.engine.parse.inspect import parse_containers, parse_images, parse_networks, parse_volumes
from dockersim.engine.parse.listing import parse_images_table, parse_volume_ls_table
from dockersim.engine.parse.ports import parse_port_output, parse_ports_column
from dockersim.engine.parse.ps import parse_ps_json, parse_ps_quiet, parse_ps_table
from dockersim.engine.parse.status import parse_status
from dockersim.engine.state import PortBinding
from tests.unit.conftest import fixture

PODMAN = "podman43"


def test_ps_json_array_reads_as_docker_s_lines() -> None:
    rows = {r.names[0]: r for r in parse_ps_json(fixture(f"ps-json-{PODMAN}.jsonl"))}
    docker = {r.names[0]: r for r in parse_ps_json(fixture("ps-json-28.jsonl"))}
    for name in ("fx_up", "fx_paused", "fx_exited3", "fx_created", "fx_ports"):
        assert parse_status(rows[name].status).state == parse_status(docker[name].status).state, name
    assert rows["fx_long"].command == "sh -c sleep 3600; echo a long command here"  # an array, joined
    assert rows["fx_up"].image == "localhost/dsim-busybox:test"  # podman names images in full
    assert rows["fx_restarting"].state == "stopped"  # podman's own word between restarts
    # A grouped range and a random host port, as docker's PORTS column says them; podman 4.3 leaves
    # exposed-only ports (3306/tcp) out of PORTS, where docker lists them.
    bindings = set(parse_ports_column(rows["fx_ports"].ports))
    published = {(p, p) for p in (10150, 10151, 10152)} | {(80, 10130)}
    assert {(b.container_port, b.host_port) for b in bindings if b.host_ip == "0.0.0.0"} >= published
    assert PortBinding(81, "udp", "127.0.0.1", 10131) in bindings and len(bindings) == 6


def test_ps_table_status_forms() -> None:
    table = {r.names[0]: r for r in parse_ps_table(fixture(f"ps-a-{PODMAN}.txt"))}
    assert table["fx_up"].status.endswith(" ago")  # `Up 4 seconds ago` before podman 4.4
    assert parse_status(table["fx_up"].status).state == "running"
    assert parse_status(table["fx_paused"].status).state == "paused"  # a bare `Paused`
    healthy = parse_status(table["fx_healthy"].status)
    assert healthy.state == "running" and healthy.health == "starting"  # `(starting)`: no systemd timer here
    assert parse_status(table["fx_exited3"].status).exit_code == 3
    assert len(parse_ps_quiet(fixture(f"ps-a-q-{PODMAN}.txt"))) == 12
    assert all(len(r.id) == 64 for r in parse_ps_table(fixture(f"ps-a-notrunc-{PODMAN}.txt")))


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


def test_listings_and_port() -> None:
    tags = {t for i in parse_images_table(fixture(f"images-{PODMAN}.txt")) for t in i.repo_tags}
    assert tags == {"localhost/dockersim/busybox:latest", "localhost/dsim-busybox:test"}
    assert {v.name for v in parse_volume_ls_table(fixture(f"volume-ls-{PODMAN}.txt"))} >= {"fxnamed", "fxvol"}
    bindings = parse_port_output(fixture(f"port-{PODMAN}.txt"))
    assert PortBinding(81, "udp", "127.0.0.1", 10131) in bindings and len(bindings) == 6  # no [::] lines


@pytest.mark.parametrize(
    "stderr",
    [
        "Error: inspecting object: no such container nope1",
        "error inspecting object: no such volume nope2\nError: inspecting object: no such volume nope1",
        "error inspecting object: nope2: image not known\nError: inspecting object: nope1: image not known",
        "Error: inspecting object: network nope1: unable to find network with name or ID nope1: network not found",
    ],
)
def test_podman_s_missing_objects_are_told_from_other_failures(stderr: str) -> None:
    """What podman 4.3 prints for `inspect --type KIND` of a name it does not have (captured here)."""
    from dockersim.engine.parse.errors import only_missing

    assert only_missing(stderr)
    assert not only_missing("Error: cannot connect to Podman: permission denied")


def test_a_mount_path_written_with_a_slash_reads_as_docker_keeps_it() -> None:
    # `-v fxslash:/root/ -v /tmp/fx_bind/:/srv/`: podman keeps the slashes, docker drops them.
    for version in (PODMAN, "28", "20"):
        [found] = parse_containers(fixture(f"inspect-slash-{version}.json"))
        paths = {(m.source.rsplit("/", 2)[-2] if m.name else m.source, m.destination) for m in found.mounts}
        assert paths == {("fxslash", "/root"), ("/tmp/fx_bind", "/srv")}, version
