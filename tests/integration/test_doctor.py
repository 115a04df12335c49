"""`dockersim doctor` on the root engine, with no engine, against the sandbox, for a user in the docker group
(made by the test, through Debian's python in a venv of its own), and on a podman that cannot start a
container (its limits above the machine's, by a containers.conf of the test's own: the machine's config is
left alone) and on one that can."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.ownership.inventory import Inventory
from tests.conftest import ROOT, Learner, dockersim


def findings(stdout: str) -> dict[str, Any]:
    data = json.loads(stdout)
    return {"ok": data["ok"], "tried_all": data["tried_all"], **{f["topic"]: f for f in data["findings"]}}


def test_doctor_on_the_root_engine(engine: Docker, images: dict[str, str]) -> None:
    before = Inventory.read(engine)
    done = dockersim("doctor", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    found = findings(done.stdout)
    assert found["ok"] and found["tried_all"]
    assert found["engine"]["found"].startswith(f"docker {engine.server_version()}, rootful, client ")
    assert found["container start"]["ok"] and found["container start"]["tried"]
    assert found["published ports"]["ok"] and "127.0.0.1" in found["published ports"]["found"]
    assert Inventory.read(engine) == before  # its probe container is gone


def test_doctor_with_no_engine_says_how_to_fix_it() -> None:
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    done = subprocess.run([sys.executable, "-m", "dockersim", "doctor"], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)  # fmt: skip
    assert done.returncode == 1 and "FAIL  engine:" in done.stdout and "fix: start the engine" in done.stdout
    assert "Traceback" not in done.stderr


def test_doctor_against_the_sandbox(sandbox: Sandbox) -> None:
    done = subprocess.run([sys.executable, "-m", "dockersim", "doctor", "--json"], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "DOCKER_HOST": sandbox.docker_host}, timeout=300)  # fmt: skip
    found = findings(done.stdout)
    assert found["engine resolved"]["found"].endswith(sandbox.docker_host) and found["engine"]["ok"]


def test_doctor_for_a_user_in_the_docker_group(learner: Learner) -> None:
    done = learner.run("dockersim doctor --json")
    assert done.returncode == 0, done.stdout + done.stderr
    found = findings(done.stdout)
    assert f"reachable as {learner.name} in the docker group" in found["engine"]["found"]
    assert not found["sandbox engine"]["ok"] and not found["sandbox engine"]["blocking"]


def podman_doctor(podman: Docker, tmp_path: Path, conf: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **{k: v for k, v in podman.env.items() if k == "CONTAINERS_STORAGE_CONF"},
           "XDG_STATE_HOME": str(tmp_path / "state")}  # fmt: skip
    if conf is not None:  # podman reads this file alone, not the machine's files and drop-ins
        (tmp_path / "containers.conf").write_text(conf)
        env["CONTAINERS_CONF"] = str(tmp_path / "containers.conf")
    return subprocess.run([sys.executable, "-m", "dockersim", "doctor", "--docker", "podman", "--json"], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip


def test_doctor_on_a_podman_that_cannot_start_a_container(podman: Docker, tmp_path: Path) -> None:
    """podman's limits for a container above this machine's hard limits: every container fails to start, as
    on a machine without scripts/ensure-podman's drop-in."""
    before = Inventory.read(podman)
    too_high = '[containers]\ndefault_ulimits = ["nofile=1073741816:1073741816", "nproc=4194304:4194304"]\n'
    done = podman_doctor(podman, tmp_path, too_high)
    assert done.returncode == 1, done.stdout + done.stderr
    found = findings(done.stdout)
    assert not found["ok"]
    assert found["engine"]["found"].startswith("podman 4.") and ", rootful, client " in found["engine"]["found"]
    start = found["container start"]
    assert not start["ok"] and start["blocking"] and "rlimit" in start["found"]  # the engine's own words
    assert "default_ulimits" in start["fix"] and "scripts/ensure-podman" in start["fix"]
    assert not found["published ports"]["ok"] and not found["published ports"]["tried"]
    text = subprocess.run([sys.executable, "-m", "dockersim", "doctor", "--docker", "podman", "--lang", "ko"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CONTAINERS_CONF": str(tmp_path / "containers.conf"),
                               "CONTAINERS_STORAGE_CONF": podman.env["CONTAINERS_STORAGE_CONF"],
                               "XDG_STATE_HOME": str(tmp_path / "state")}).stdout  # fmt: skip
    assert "FAIL  컨테이너 시작:" in text and text.rstrip().endswith("아직 여기서는 튜토리얼을 실행할 수 없습니다")
    assert Inventory.read(podman) == before


def test_doctor_on_a_podman_that_can(podman: Docker, tmp_path: Path) -> None:
    before = Inventory.read(podman)
    done = podman_doctor(podman, tmp_path, None)  # the machine's config, with the drop-in
    found = findings(done.stdout)
    assert found["ok"] and found["tried_all"], done.stdout
    assert found["engine"]["found"].startswith("podman 4.")
    assert found["container start"]["ok"] and found["published ports"]["ok"]
    assert done.returncode == 0
    assert Inventory.read(podman) == before  # its probe containers are gone
