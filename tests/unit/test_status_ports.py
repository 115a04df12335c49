"""STATUS and PORTS text, from both clients' captured `docker ps` and from moby's wording."""

from __future__ import annotations

import pytest

from dockersim.engine.parse.ports import parse_port_output, parse_ports_column
from dockersim.engine.parse.ps import parse_ps_table
from dockersim.engine.parse.status import parse_status
from dockersim.engine.state import PortBinding, Status
from dockersim.errors import ParseError
from tests.unit.conftest import CLIENTS, fixture


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Up 4 seconds", Status("running")),
        ("Up Less than a second", Status("running")),
        ("Up About a minute", Status("running")),
        ("Up 2 hours (healthy)", Status("running", health="healthy")),
        ("Up 12 seconds (unhealthy)", Status("running", health="unhealthy")),
        ("Up 4 seconds (health: starting)", Status("running", health="starting")),
        ("Up 5 seconds (Paused)", Status("paused")),
        ("Up About a minute (Paused)", Status("paused")),
        ("Exited (137) 3 seconds ago", Status("exited", exit_code=137)),
        ("Exited (0) About an hour ago", Status("exited", exit_code=0)),
        ("Restarting (1) Less than a second ago", Status("restarting", exit_code=1)),
        ("Created", Status("created")),
        # From moby's container/state.go: never seen here, worded there.
        ("Removal In Progress", Status("removing")),
        ("Dead", Status("dead")),
        ("", Status("")),
    ],
)
def test_status_forms(text: str, expected: Status) -> None:
    assert parse_status(text) == expected


@pytest.mark.parametrize("text", ["Running", "Up", "Exited 3", "Exited (x) now"])
def test_unknown_status_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        parse_status(text)


@pytest.mark.parametrize("client", CLIENTS)
def test_every_captured_status(client: str) -> None:
    rows = {r.names[0]: parse_status(r.status) for r in parse_ps_table(fixture(f"ps-a-{client}.txt"))}
    assert rows["fx_up"] == Status("running")
    assert rows["fx_paused"] == Status("paused")
    assert rows["fx_exited3"] == Status("exited", exit_code=3)
    assert rows["fx_created"] == Status("created")
    assert rows["fx_restarting"] == Status("restarting", exit_code=1)
    assert rows["fx_healthy"].health == "healthy"
    assert rows["fx_unhealthy"].health == "unhealthy"
    assert rows["fx_starting"].health == "starting"


@pytest.mark.parametrize("client", CLIENTS)
def test_captured_ports_column(client: str) -> None:
    rows = {r.names[0]: r for r in parse_ps_table(fixture(f"ps-a-{client}.txt"))}
    ports = parse_ports_column(rows["fx_ports"].ports)
    assert PortBinding(80, "tcp", "0.0.0.0", 10130) in ports
    assert PortBinding(80, "tcp", "::", 10130) in ports  # [::]: (28) and ::: (20) alike
    assert PortBinding(81, "udp", "127.0.0.1", 10131) in ports
    assert [p.host_port for p in ports if p.container_port in (10150, 10151, 10152) and p.host_ip == "0.0.0.0"] == [
        10150,
        10151,
        10152,
    ]
    assert {p.container_port for p in ports if not p.published} == {3306, 7000, 7001, 7002}
    exposed = parse_ports_column(rows["fx_exposed"].ports)
    assert exposed == [PortBinding(3306), PortBinding(33060)]
    assert parse_ports_column(rows["fx_up"].ports) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0.0.0.0:10130->80/tcp", [PortBinding(80, "tcp", "0.0.0.0", 10130)]),
        (":::10130->80/tcp", [PortBinding(80, "tcp", "::", 10130)]),
        ("[::]:10130->80/tcp", [PortBinding(80, "tcp", "::", 10130)]),
        ("127.0.0.1:10131->81/udp", [PortBinding(81, "udp", "127.0.0.1", 10131)]),
        ("7000-7001/tcp", [PortBinding(7000), PortBinding(7001)]),
        (
            "0.0.0.0:10150-10151->10150-10151/tcp",
            [PortBinding(10150, "tcp", "0.0.0.0", 10150), PortBinding(10151, "tcp", "0.0.0.0", 10151)],
        ),
        ("3306/tcp, 33060/tcp", [PortBinding(3306), PortBinding(33060)]),
    ],
)
def test_ports_forms(text: str, expected: list[PortBinding]) -> None:
    assert parse_ports_column(text) == expected


@pytest.mark.parametrize("text", ["80", "abc/tcp", "0.0.0.0:1-3->1-2/tcp", "1.2.3.4:99->80/xyz"])
def test_bad_ports_are_parse_errors(text: str) -> None:
    with pytest.raises(ParseError):
        parse_ports_column(text)


@pytest.mark.parametrize("client", CLIENTS)
def test_docker_port_both_clients_read_alike(client: str) -> None:
    ports = parse_port_output(fixture(f"port-{client}.txt"))
    assert ports == parse_port_output(fixture("port-28.txt"))  # 20.10 prints ::: and in another order
    assert ports[0] == PortBinding(80, "tcp", "0.0.0.0", 10130)
    assert ports[1] == PortBinding(80, "tcp", "::", 10130)


def test_docker_port_for_one_port() -> None:
    assert parse_port_output("0.0.0.0:10130\n[::]:10130\n", "80/tcp") == [
        PortBinding(80, "tcp", "0.0.0.0", 10130),
        PortBinding(80, "tcp", "::", 10130),
    ]
