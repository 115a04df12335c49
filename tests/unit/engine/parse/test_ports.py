"""The PORTS column of `docker ps` and the output of `docker port`, from both docker clients' captured
output, podman 4.3's, and moby's wording."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockersim.engine.parse.ports import parse_port_output, parse_ports_column
from dockersim.engine.parse.ps import parse_ps_json, parse_ps_table
from dockersim.engine.state import PortBinding
from dockersim.errors import ParseError
from tests.unit.conftest import CLIENTS, fixture
from tests.unit.fuzzing import BUDGET

PODMAN = "podman43"


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


def test_podman_s_ports_column() -> None:
    rows = {r.names[0]: r for r in parse_ps_json(fixture(f"ps-json-{PODMAN}.jsonl"))}
    # A grouped range and a random host port, as docker's PORTS column says them; podman 4.3 leaves
    # exposed-only ports (3306/tcp) out of PORTS, where docker lists them.
    bindings = set(parse_ports_column(rows["fx_ports"].ports))
    published = {(p, p) for p in (10150, 10151, 10152)} | {(80, 10130)}
    assert {(b.container_port, b.host_port) for b in bindings if b.host_ip == "0.0.0.0"} >= published
    assert PortBinding(81, "udp", "127.0.0.1", 10131) in bindings and len(bindings) == 6


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


def test_podman_s_port_output() -> None:
    bindings = parse_port_output(fixture(f"port-{PODMAN}.txt"))
    assert PortBinding(81, "udp", "127.0.0.1", 10131) in bindings and len(bindings) == 6  # no [::] lines


@pytest.mark.parametrize("parser", [parse_ports_column, parse_port_output], ids=lambda p: p.__name__)
@BUDGET
@given(text=st.text(max_size=200))
def test_any_text_is_read_or_is_a_parse_error(parser: Callable[[str], Any], text: str) -> None:
    with contextlib.suppress(ParseError):
        parser(text)
