"""`dockersim doctor` on the root engine, with no engine, against the sandbox, and for a user in the
docker group (made by the test), through Debian's python in a venv of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.ownership.inventory import Inventory
from tests.conftest import ROOT, Learner, dockersim


def findings(stdout: str) -> dict[str, Any]:
    data = json.loads(stdout)
    return {"ok": data["ok"], **{f["topic"]: f for f in data["findings"]}}


def test_doctor_on_the_root_engine(engine: Docker, images: dict[str, str]) -> None:
    before = Inventory.read(engine)
    done = dockersim("doctor", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    found = findings(done.stdout)
    assert found["ok"] and found["engine"]["found"].startswith("rootful docker")
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
