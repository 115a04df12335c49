"""Podman as the engine (issue 16).

The whole tutorial: `dockersim run --docker podman --offline scenarios/` on a podman storage of the test's own,
the kit copied from the docker engine and served by the kit's registry. Every step passes, or is skipped
because it is about what podman does not have or does otherwise, saying why.

Grading: `dockersim grade --docker podman` on podman sandboxes, the same allow-list and re-rooting as on
docker's, and the same gradebook; nothing of the machine's podman, docker engine or files is touched.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.box import STATE_ROOT
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.engine.sandbox.slots import private
from dockersim.host.leases import RUN_ROOT
from dockersim.kit import stand_ins as kit
from dockersim.ownership.labels import state_dir
from tests.conftest import ROOT, dockersim
from tests.engine_log import EngineLog
from tests.integration.test_grading import EVE_VOLUMES, expected_scores, on_engine

HW = ROOT / "examples" / "hw-network"


def test_the_tutorial_on_podman(podman: Docker, tmp_path: Path) -> None:
    # On the tests' podman storage: its prunes and rmi steps (--allow-destructive) reach nothing of the machine's.
    env = {**os.environ, "CONTAINERS_STORAGE_CONF": podman.env["CONTAINERS_STORAGE_CONF"]}
    before = podman.call(["ps", "-a", "-q"]).stdout.split()
    done = subprocess.run([sys.executable, "-m", "dockersim", "run", "--docker", "podman", "--offline",
                           "--allow-destructive", "--json", "scenarios/"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1800)  # fmt: skip
    (tmp_path / "report.json").write_text(done.stdout)
    report = json.loads(done.stdout)
    steps = [step for scenario in report["scenarios"] for step in scenario["steps"]]
    bad = [(s["name"], s["reason"], s["details"], s["screen"][-8:]) for s in steps
           if s["outcome"] in ("failed", "error")]  # fmt: skip
    assert done.returncode == 0 and not bad, json.dumps(bad, indent=1)[-6000:] + done.stderr[-2000:]
    skipped = [s for s in steps if s["outcome"] == "skipped"]
    assert len(steps) - len(skipped) >= 100  # the tutorial ran, not only its skips
    for step in skipped:  # each skip names podman and says why
        assert "podman" in step["reason"], step
    why = {s["name"]: s["reason"] for s in skipped}
    assert "which podman does not have" in why["WordPress, linked to it as mysql, with -p 80"]
    assert "podman's ps leaves a paused container out" in why["ps STATUS says Paused"]
    passed = {s["name"] for s in steps if s["outcome"] == "passed"}
    assert {"podman pull downloads it too, and says so in its own words", "podman: ps -a STATUS says Paused",
            "podman: eth0 has a 10.88.0.x address, and there is lo"} <= passed  # fmt: skip
    assert podman.call(["ps", "-a", "-q"]).stdout.split() == before  # every container the run made is gone


def _podman_inventory() -> list[str]:
    """The machine's own podman objects, as its default storage lists them."""
    out = []
    for args in (["ps", "-a", "-q", "--no-trunc"], ["volume", "ls", "-q"], ["network", "ls", "-q"],
                 ["images", "-q", "--no-trunc"]):  # fmt: skip
        done = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=120, check=True)
        out.append(" ".join(sorted(done.stdout.split())))
    return out


@pytest.mark.grading
def test_grading_on_podman_sandboxes(engine: Docker, tmp_path: Path) -> None:
    submissions = tmp_path / "submissions"
    shutil.copytree(HW / "submissions", submissions)
    for hostile in ("eve", "mallory"):  # every spelling of an escape, on podman too
        shutil.copytree(ROOT / "examples" / "hw-wordpress" / "submissions" / hostile, submissions / hostile)
    folders = sorted(str(p) for p in submissions.iterdir())
    assert len(folders) >= 4
    # The spec, and a check of no points: eve's escape to /root ran, and wrote into her own workspace.
    spec = tmp_path / "spec.yaml"
    text = (HW / "spec.yaml").read_text().replace("reference: submissions/ann", f"reference: {submissions}/ann")
    spec.write_text(text + "  - name: a mark in the workspace's /root\n    points: 0\n"
                    "    probe: {host_file: /root/eve-was-here, exists: true}\n")  # fmt: skip
    before = _podman_inventory()
    state_dir().mkdir(parents=True, exist_ok=True)  # dockersim's own (its runs' journals), even on a new machine
    watched = [p for p in ("/etc", "/tmp", "/root", "/var/lib/containers") if os.path.isdir(p)]
    host_files = {p: sorted(os.listdir(p)) for p in watched}

    out = tmp_path / "podman"
    with EngineLog(tmp_path) as log:  # the machine's docker engine, where the kit is copied from
        done = dockersim("grade", "--docker", "podman", "--jobs", "2", "--out", str(out), str(spec), *folders,
                         timeout=1800, env={"DOCKER_HOST": log.docker_host})  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert log.requests and log.writes() == []  # the kit copied from it, nothing else
    with (out / "gradebook.csv").open() as f:
        scores = {row["student"]: int(row["score"]) for row in csv.DictReader(f)}
    assert scores == expected_scores(HW), done.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    for record in results["engines"]:  # each a podman sandbox, whose containers' root is not the host's
        assert record["endpoint"].startswith(f"podman {STATE_ROOT}") and record["isolation"] == "userns", record
        assert record["canary"] == "13/13" and not record["set_aside"], (record, done.stderr[-3000:])
    mallory = (out / "feedback" / "mallory.md").read_text().split("## Lines that were refused")[1]
    for number in range(3, 21):  # the same lines refused as on docker, each with its reason
        assert f"- line {number}: `" in mallory, number

    # Nothing of the machine's: its engine, its podman, its files. Eve's escapes that ran wrote into her own
    # workspace (on her sandbox's own disk, gone with it), not the host's.
    assert _podman_inventory() == before and not on_engine(engine, EVE_VOLUMES)
    assert {p: sorted(os.listdir(p)) for p in host_files} == host_files
    [eve] = [s for s in results["students"] if s["student"] == "eve"]
    assert eve["checks"][-1]["outcome"] == "passed", eve["checks"][-1]
    # The sandboxes are gone whole: no process in them, no namespace, no mount of their storage.
    left = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _names_a_sandbox(p)]
    assert not left, [(p.name, (p / "cmdline").read_bytes()) for p in left]
    assert not [n for n in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split()
                if n.startswith("dockersim-grade-")]  # fmt: skip
    assert f"{STATE_ROOT}/engines/grade-" not in Path("/proc/self/mountinfo").read_text()

    # The same submissions on docker's sandboxes: the same gradebook, byte for byte.
    on_docker = tmp_path / "docker"
    done = dockersim("grade", "--jobs", "2", "--out", str(on_docker), str(spec), *folders, timeout=1800)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert (on_docker / "gradebook.csv").read_text() == (out / "gradebook.csv").read_text()


def _names_a_sandbox(proc: Path) -> bool:
    """Whether a process's argv names a grading sandbox's run dir (its init, podman, conmon)."""
    try:
        return f"{RUN_ROOT}/grade-".encode() in (proc / "cmdline").read_bytes()
    except OSError:
        return False


@pytest.mark.grading
def test_a_podman_sandbox_command_past_its_deadline_ends_and_a_gone_sandbox_is_never_entered(
    engine: Docker, tmp_path: Path
) -> None:
    """A submission's `docker run IMAGE sleep …` outlives its time: the client is killed at the deadline and
    podman with it (nsenter, which forks podman, passes no signal on). Once the sandbox's init is gone, its
    client enters nothing: the number may be another process's by then."""
    with private("podman-test", isolated=True, shared=(tmp_path,), engine="podman") as box:
        _deadline_and_gone(engine, box)


def _deadline_and_gone(engine: Docker, box: Sandbox) -> None:
    box.up()
    try:
        podman = Docker(str(box.client))
        kit.copy(engine, podman, ["dockersim/busybox:latest"], lambda _line: None)
        done = podman.call(["run", "--rm", "dockersim/busybox:latest", "sleep", "298"], timeout=5, check=False)
        assert done.timed_out
        deadline = time.monotonic() + 30
        while _podman_running(b"sleep\x00298"):
            assert time.monotonic() < deadline, "podman outlived its client"
            time.sleep(0.1)  # poll: the killed client's podman ending, to the deadline
        init = box.pid()
        assert init is not None
        os.kill(init, signal.SIGKILL)  # the sandbox's init dies behind dockersim's back
        while box.pid() is not None:
            assert time.monotonic() < deadline, "the sandbox's init outlived SIGKILL"
            time.sleep(0.05)  # poll: the init ending, to the deadline
        gone = podman.call(["ps"], check=False)
        assert gone.status == 125 and "is not running" in gone.stderr, gone
    finally:
        box.down(purge=True)
    assert not box.client.exists() and not any(Path("/run/netns").glob("dockersim-podman-test"))


def _podman_running(words: bytes) -> bool:
    """Whether a podman process runs with these words in its argv."""
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes() if proc.name.isdigit() else b""
        except OSError:
            continue
        if b"podman" in argv.split(b"\0", 1)[0] and words in argv:
            return True
    return False
