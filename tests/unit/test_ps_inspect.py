"""`docker ps` (table, -q, JSON), `docker inspect`, `docker images`, `docker volume ls` from both clients."""

from __future__ import annotations

import pytest

from dockersim.engine.parse.inspect import parse_containers, parse_images, parse_networks, parse_volumes
from dockersim.engine.parse.listing import parse_images_table, parse_volume_ls_table
from dockersim.engine.parse.ps import parse_ps_json, parse_ps_quiet, parse_ps_table
from dockersim.engine.state import Mount, PortBinding
from dockersim.errors import ParseError
from tests.unit.conftest import CLIENTS, fixture


@pytest.mark.parametrize("client", CLIENTS)
def test_ps_table_and_json_agree(client: str) -> None:
    table = parse_ps_table(fixture(f"ps-a-{client}.txt"))
    rows = parse_ps_json(fixture(f"ps-json-{client}.jsonl"))
    assert [r.id[:12] for r in table] == [r.id[:12] for r in rows]
    assert [r.status.split()[0] for r in table] == [r.status.split()[0] for r in rows]
    by_name = {r.names[0]: r for r in table}
    assert by_name["fx_long"].command == '"sh -c \'sleep 3600; …"'  # cut at 20 with U+2026
    assert by_name["fx_up"].image == "dsim-busybox:test"
    assert {r.state for r in rows} >= {"running", "paused", "exited", "created", "restarting"}


@pytest.mark.parametrize("client", CLIENTS)
def test_ps_running_only_and_no_trunc(client: str) -> None:
    running = parse_ps_table(fixture(f"ps-{client}.txt"))
    assert all(r.status.startswith(("Up", "Restarting")) for r in running)
    full = parse_ps_table(fixture(f"ps-a-notrunc-{client}.txt"))
    assert all(len(r.id) == 64 for r in full)
    db = next(r for r in full if r.names[0] == "fx_db")
    assert "fx_web/mysql" in db.names  # link aliases show only with --no-trunc


@pytest.mark.parametrize("client", CLIENTS)
def test_ps_quiet(client: str) -> None:
    ids = parse_ps_quiet(fixture(f"ps-a-q-{client}.txt"))
    assert len(ids) == 14 and all(len(i) == 12 for i in ids)


def test_ps_errors() -> None:
    for bad in ["", "NAMES\nx", "{}", "not json"]:
        with pytest.raises(ParseError):
            parse_ps_table(bad) if not bad.startswith(("{", "not")) else parse_ps_json(bad)
    with pytest.raises(ParseError):
        parse_ps_quiet("xyz")


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


@pytest.mark.parametrize("client", CLIENTS)
def test_listings(client: str) -> None:
    [image] = parse_images_table(fixture(f"images-{client}.txt"))
    assert image.repo_tags == ("dsim-busybox:test",)
    names = {v.name for v in parse_volume_ls_table(fixture(f"volume-ls-{client}.txt"))}
    assert {"fxnamed", "fxvol"} <= names


@pytest.mark.parametrize("text", ["", "{", "[1]", '[{"Id": 3}]', '[{"Id": "x", "State": []}]', "[{}]"])
def test_inspect_errors(text: str) -> None:
    if text == "":
        assert parse_containers(text) == []
        return
    with pytest.raises(ParseError):
        parse_containers(text)
