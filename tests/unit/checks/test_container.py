"""Container checks evaluated on a snapshot filled from captured inspect output (no engine involved): the
fields that hold, and each field that does not, said as expected and found."""

from __future__ import annotations

import pytest

from tests.unit.captured import Context, evaluate


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
    ],
)
def test_failed_checks_say_expected_and_found(spec: str, expected: list[str]) -> None:
    assert evaluate(spec) == expected


def test_a_container_s_image_follows_the_image_map() -> None:
    assert evaluate("{container: fx_up, image: ubuntu:14.04}", ctx=Context({"ubuntu:14.04": "dsim-busybox:test"})) == []
