"""A snapshot costs a fixed number of docker calls, whatever the number of containers; with each client,
and on podman."""

from __future__ import annotations

import json

from dockersim.engine.client import Docker
from dockersim.engine.snapshot import Snapshot


def test_calls_do_not_grow_with_containers(any_engine: Docker, images: dict[str, str]) -> None:
    engine = any_engine
    made: list[str] = []
    calls = []
    try:
        for count in (2, 12):
            while len(made) < count:
                made.append(
                    engine.call(["create", "--label", "dockersim.test=snapshot", images["busybox"]]).stdout.strip()
                )
            snap = Snapshot(engine)
            mine = [c for c in snap.containers if c.id in made]
            assert len(mine) == count and all(c.state == "created" for c in mine)
            assert snap.disagreements == []
            calls.append(snap.calls)
    finally:
        engine.call([*engine.force_remove(), *made], check=False)
    assert calls == [2, 2]


def test_ps_and_inspect_agree_on_states(any_engine: Docker, images: dict[str, str]) -> None:
    engine = any_engine
    names = ["snap_running", "snap_paused", "snap_exited"]
    try:
        engine.call(["run", "-d", "--name", names[0], images["busybox"], "sleep", "60"])
        engine.call(["run", "-d", "--name", names[1], images["busybox"], "sleep", "60"])
        engine.call(["pause", names[1]])
        engine.call(["run", "--name", names[2], images["busybox"], "sh", "-c", "exit 4"], check=False)
        snap = Snapshot(engine)
        states = {n: (c.state, c.exit_code) for n in names if (c := snap.container(n))}
        assert states == {
            "snap_running": ("running", None),
            "snap_paused": ("paused", None),
            "snap_exited": ("exited", 4),
        }
        assert snap.disagreements == []
    finally:
        engine.call([*engine.force_remove(), *names], check=False)


def test_checks_on_many_containers_cost_two_calls(any_engine: Docker, images: dict[str, str]) -> None:
    engine = any_engine
    from dockersim.checks.base import PlainContext
    from dockersim.checks.container import ContainerCheck
    from dockersim.yamlfile.source import load_yaml

    made = [engine.call(["create", "--label", "dockersim.test=calls", images["busybox"]]).stdout.strip()
            for _ in range(6)]  # fmt: skip
    try:
        snap = Snapshot(engine)

        for cid in made:
            check = ContainerCheck.parse(load_yaml(f"{{container: '{cid[:12]}', state: created}}", "t"), "t")
            assert check.evaluate(snap, PlainContext()) == []
        assert snap.calls == 2
    finally:
        engine.call([*engine.force_remove(), *made], check=False)


def test_state_command_shows_what_the_checks_see(engine: Docker, images: dict[str, str]) -> None:
    import json

    from tests.conftest import dockersim

    engine.call(["run", "-d", "--name", "state_demo", "-p", "127.0.0.1::80", "-v", "state_vol:/data",
                 images["busybox"], "sleep", "60"])  # fmt: skip
    try:
        table = dockersim("state")
        assert table.returncode == 0
        [row] = [line for line in table.stdout.splitlines() if line.startswith("state_demo ")]
        assert "running" in row and "->80/tcp" in row and "state_vol:/data" in row
        data = json.loads(dockersim("state", "--json").stdout)
        [c] = [c for c in data["containers"] if c["name"] == "state_demo"]
        assert c["state"] == "running" and c["networks"]["bridge"].startswith("172.17.")
        assert data["docker_calls"] == 4 and data["disagreements"] == []
    finally:
        engine.call(["rm", "-f", "state_demo"], check=False)
        engine.call(["volume", "rm", "state_vol"], check=False)


def test_engine_status_and_images_list(engine: Docker, images: dict[str, str]) -> None:
    from tests.conftest import dockersim

    status = dockersim("engine", "status")
    assert status.returncode == 0 and status.stdout.startswith("run uses the default engine: answers, engine ")
    assert "run --sandbox" in status.stdout
    listing = dockersim("images", "list")
    assert listing.returncode == 0
    assert any(line.startswith("dockersim/mysql:5.7") and "mysql:5.7" in line for line in listing.stdout.splitlines())
    found = json.loads(dockersim("images", "list", "--json").stdout)  # the kit is built (the images fixture)
    [mysql] = [entry for entry in found if entry["stand_in"] == "dockersim/mysql:5.7"]
    assert "mysql:5.7" in mysql["stands_for"] and mysql["built"] is True
    assert all(entry["built"] for entry in found)
    cleaned = dockersim("clean", "--dry-run", "--json")
    assert cleaned.returncode == 0 and set(json.loads(cleaned.stdout)) == {"would_remove", "being_stopped"}
    found = json.loads(dockersim("engine", "status", "--json").stdout)
    assert found["run"]["answers"] and found["run"]["version"] and set(found) >= {"sandbox", "grading", "leases"}
