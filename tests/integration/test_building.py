"""Images built (issue 28): the chapter that builds (scenarios/2.3.1-building-images.yaml) with each docker
client and with podman, and typed in practice; a submission's build held to its time limit and its builder
confined, on docker's sandboxes and on podman's. The example homework (examples/hw-dockerfile) is graded in
test_grading.py."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.box import REMAP_FIRST
from tests.conftest import CLIENTS, ROOT, start_dockersim
from tests.integration.test_practice import Learner, practice_pane

CHAPTER = ROOT / "scenarios" / "2.3.1-building-images.yaml"
IMAGE = "dockersim-hello:2.3.1"


@pytest.mark.parametrize("kind", [*sorted(CLIENTS), "podman"])
def test_the_chapter_that_builds_passes_on_each_client_and_on_podman(
    kind: str, engine: Docker, request: pytest.FixtureRequest
) -> None:
    client = request.getfixturevalue("podman") if kind == "podman" else Docker(CLIENTS[kind])
    env = {**os.environ, **{k: v for k, v in client.env.items() if k == "CONTAINERS_STORAGE_CONF"}}
    done = subprocess.run([sys.executable, "-m", "dockersim", "run", "--offline", "--json", "--docker", client.binary,
                           str(CHAPTER)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)  # fmt: skip
    report = json.loads(done.stdout)
    steps = [step for scenario in report["scenarios"] for step in scenario["steps"]]
    bad = [(s["name"], s["reason"], s["details"], s["screen"][-6:]) for s in steps if s["outcome"] != "passed"]
    assert done.returncode == 0 and len(steps) == 8 and not bad, json.dumps(bad, indent=1) + done.stderr[-2000:]
    assert client.call(["container", "inspect", "hello_web"], check=False).status != 0  # the run removed it
    assert client.call(["image", "inspect", IMAGE], check=False).status != 0  # its last step removed it


def test_the_chapter_that_builds_is_typed_in_practice(engine: Docker, tmp_path: Path) -> None:
    """Each typed step as its task says (tests/integration/practice_answers.yaml types the same): the build,
    inspect, history, run, and the removals, the image's too (practice built it: it is practice's own)."""
    pane, _env = practice_pane(tmp_path, CHAPTER, "2-3-1")
    try:
        Learner(pane, CHAPTER).steps()
        pane.wait(r"all 8 steps of 2\.3\.1 Building images from a Dockerfile done")
        pane.wait(r"^PRACTICE-EXIT=0$")
    finally:
        screen = pane.text()
        pane.close()
    # What it made is gone (the engine is others' too: only its own names are looked for).
    assert engine.call(["container", "inspect", "hello_web"], check=False).status != 0, screen[-3000:]
    assert engine.call(["image", "inspect", IMAGE], check=False).status != 0, screen[-3000:]


SPEC = """\
schema_version: 1
title: a build held to the submission's bounds
images: {busybox: busybox}
submission: commands.sh
time_limit: 15
settle: 5
checks:
  - name: the slow image was never made
    points: 1
    check: {image: 'slow:1', present: false}
"""
MARK = "6001"  # the slow RUN step's `sleep 6001`, as the machine's process list shows it


@pytest.mark.grading
@pytest.mark.parametrize("kind", ["docker", "podman"])
def test_a_build_runs_as_the_sandbox_s_root_in_its_cgroup_and_stops_at_its_time(kind: str, tmp_path: Path) -> None:
    """While its RUN step runs, that step is a process of the sandbox's remapped root (not the machine's), in
    the sandbox's cgroup (its bounds); at the submission's time limit the build stops, and its step with it."""
    (tmp_path / "spec.yaml").write_text(SPEC)
    folder = tmp_path / "slowpoke"
    folder.mkdir()
    (folder / "commands.sh").write_text("docker build -t slow:1 .\n")
    (folder / "Dockerfile").write_text(f"FROM busybox\nRUN sleep {MARK}\n")
    out = tmp_path / "grades"
    options = ["--docker", "podman"] if kind == "podman" else []
    grading = start_dockersim("grade", *options, "--out", str(out), str(tmp_path / "spec.yaml"), str(folder))
    try:
        pid = _wait_for_step(grading)
        status = Path(f"/proc/{pid}/status").read_text()
        uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
        assert uid >= REMAP_FIRST, status
        assert "/dockersim-grade-" in Path(f"/proc/{pid}/cgroup").read_text()
        stdout, stderr = grading.communicate(timeout=600)
    finally:
        if grading.poll() is None:
            grading.kill()
            grading.wait()
    assert grading.returncode == 0, stdout + stderr[-3000:]
    with (out / "gradebook.csv").open() as f:
        assert [row["score"] for row in csv.DictReader(f)] == ["1"]
    [student] = json.loads((out / "results.json").read_text())["students"]
    [line] = student["lines"]
    assert "time limit" in line["skipped"] and student["seconds"] < 120, student
    assert not _steps(), "the build's step outlived its submission"


def _steps() -> list[int]:
    """The machine's processes that are the slow RUN step."""
    out = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0") if proc.name.isdigit() else []
        except OSError:
            continue
        if argv[:2] == [b"sleep", MARK.encode()]:
            out.append(int(proc.name))
    return out


def _wait_for_step(grading: subprocess.Popen[str], timeout: float = 300) -> int:
    deadline = time.monotonic() + timeout
    while not (found := _steps()):
        assert grading.poll() is None, grading.communicate()
        assert time.monotonic() < deadline, "the slow RUN step never ran"
        time.sleep(0.1)  # poll: the build reaching its RUN step, to the deadline
    return found[0]
