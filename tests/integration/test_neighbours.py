"""Runs that share one machine (issue 24): two grade runs at once, and two offline runs on sandboxes at once,
each as it is alone; submissions that use all the memory, processes, disk, log and containers they can,
graded beside correct ones, each held to its bounds; an engine disturbed from outside mid-submission, which
never yields a score; a grade run killed and one started at once after it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.neighbours import Peaks, in_use
from dockersim.engine.client import Docker
from dockersim.host import leases
from dockersim.host.limits import human
from tests.conftest import ROOT, dockersim

SPEC = """\
schema_version: 1
title: neighbours — a web page and its volume
images: {busybox: busybox}
time_limit: 60
settle: 20
limits: {memory: 256m, processes: 200, disk: 1g, log: 1m, containers: 4}
checks:
  - name: web runs
    points: 1
    check: {container: web, state: running}
  - name: web serves its page
    points: 1
    probe: {http: {container: web, port: 8080/tcp}, status: 200}
  - name: the volume data holds the note
    points: 1
    probe: {exec: {container: web, command: cat /data/note}, stdout: hello}
"""
WEB = (
    "docker run -d --name web -p 8080:8080 -v data:/data busybox sh -c "
    "'echo hello > /data/note; mkdir -p /www; echo hi > /www/index.html; exec httpd -f -p 8080 -h /www'"
)
CORRECT = f"docker volume create data\n{WEB}\n"
FILL = "docker run --rm -v data:/data busybox dd if=/dev/zero of=/data/fill bs=1M count=3000\n"
HOGS = {
    # Each is its own undoing: what it runs as web (or beside it) meets one bound.
    "memory": "docker volume create data\ndocker run -d --name web busybox sh -c 'a=x; while :; do a=$a$a; done'\n",
    "processes": "docker volume create data\ndocker run -d --name web busybox sh -c 'while :; do sleep 300 & done'\n",
    "disk": "docker volume create data\n" + FILL + WEB,
    "log": "docker run -d --name web busybox sh -c 'while :; do echo 0123456789abcdef0123456789abcdef; done'\n",
    "containers": "".join(f"docker run -d --name c{i} busybox sleep 600\n" for i in range(6)),
}
BOUND = {"memory": "ran out of memory: 256 MiB", "processes": "ran out of processes: 200",
         "disk": "ran out of disk: 1 GiB", "containers": "a submission may make 4 containers"}  # fmt: skip


def start(*args: str) -> subprocess.Popen[str]:
    """`python -m dockersim ARGS` in the background, its output read at its end."""
    return subprocess.Popen([sys.executable, "-m", "dockersim", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def homework(tmp_path: Path, students: dict[str, str]) -> tuple[Path, list[str]]:
    (tmp_path / "spec.yaml").write_text(SPEC)
    folders = []
    for student, commands in students.items():
        folder = tmp_path / "submissions" / student
        folder.mkdir(parents=True)
        (folder / "commands.sh").write_text(commands)
        folders.append(str(folder))
    return tmp_path / "spec.yaml", folders


def grade(spec: Path, folders: list[str], out: Path, *options: str) -> dict[str, dict[str, object]]:
    done = dockersim("grade", "--out", str(out), *options, str(spec), *folders, timeout=1800)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    return {s["student"]: s for s in results["students"]}


def scores(out: Path) -> list[str]:
    """The gradebook's rows, and each student's feedback: what two runs must agree on."""
    feedback = sorted((p.name, p.read_text()) for p in (out / "feedback").iterdir())
    assert len(feedback) >= 1, f"{out}/feedback holds no student's feedback"
    return [(out / "gradebook.csv").read_text(), *(f"{name}\n{text}" for name, text in feedback)]


@pytest.mark.quiet
@pytest.mark.parametrize("docker_bin", ["docker", "podman"])
def test_hogs_are_held_to_their_bounds_and_their_neighbours_never_notice(
    engine: Docker, tmp_path: Path, docker_bin: str
) -> None:
    spec, folders = homework(tmp_path, {"good1": CORRECT, **{f"hog_{k}": v for k, v in HOGS.items()},
                                        "good2": CORRECT})  # fmt: skip
    peaks = Peaks()
    students = grade(spec, folders, tmp_path / "out", "--jobs", "2", "--docker", docker_bin)
    grown = peaks.stop()
    for good in ("good1", "good2"):
        assert students[good]["score"] == 3, students[good]
    for kind, sentence in BOUND.items():
        said = json.dumps(students[f"hog_{kind}"]["notes"]) + json.dumps(students[f"hog_{kind}"]["lines"])
        assert sentence in said, (kind, said)
    # Two submissions at their bounds at once, and a little for the engines themselves.
    assert grown["memory"] < 2 * 256 + 1024, grown
    assert grown["processes"] < 2 * 200 + 400, grown
    after = in_use()
    assert after["disk"] - peaks.before["disk"] < 512, (after, peaks.before)  # nothing of the hogs left on disk
    logs = students["hog_log"]
    assert logs["score"] == 1 and logs["graded"], logs  # it runs; the engine cut its log, and nothing else noticed


@pytest.mark.grading
def test_two_grade_runs_at_once_grade_as_each_alone(engine: Docker, tmp_path: Path) -> None:
    spec, folders = homework(tmp_path, {"ann": CORRECT, "bo": "docker volume create data\n", "cy": WEB})
    alone = tmp_path / "alone"
    grade(spec, folders, alone)
    outs = [tmp_path / "first", tmp_path / "second"]
    runs = [start("grade", "--out", str(out), str(spec), *folders) for out in outs]
    for run in runs:
        _, err = run.communicate(timeout=1800)
        assert run.returncode == 0, err[-3000:]
    for out in outs:
        assert scores(out) == scores(alone)
    endpoints = [json.loads((out / "results.json").read_text())["engines"][0]["endpoint"] for out in outs]
    assert endpoints[0] != endpoints[1]  # each run had a sandbox of its own


@pytest.mark.grading
def test_two_runs_on_one_out_folder_the_second_says_so(engine: Docker, tmp_path: Path) -> None:
    spec, folders = homework(tmp_path, {"ann": CORRECT})
    out = tmp_path / "out"
    lease = leases.try_take(f"out-{__import__('hashlib').sha256(str(out.resolve()).encode()).hexdigest()[:16]}",
                            pid=os.getpid(), what="grade")  # fmt: skip
    assert lease is not None
    try:
        done = dockersim("grade", "--out", str(out), str(spec), *folders)
    finally:
        lease.release()
    assert done.returncode == 2 and "being written by another grade run" in done.stderr, done.stderr


def _sandbox_of(run: subprocess.Popen[str], deadline: float) -> str:
    """The grading sandbox a grade run holds (as `engine status` lists it), once it holds one."""
    while time.monotonic() < deadline:
        for _name, who in leases.all_held():
            if who.get("what") == "grade" and who.get("pid") == run.pid and "sandbox" in who:
                return str(who["sandbox"])
        assert run.poll() is None, run.communicate()
        time.sleep(0.1)  # poll: the run claiming its slot, to the deadline
    raise AssertionError("the grade run never held a sandbox")


def _when(run: subprocess.Popen[str], docker: Docker, ready: Callable[[Docker], bool], deadline: float) -> None:
    while not ready(docker):
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the submission never got that far"
        time.sleep(0.05)  # poll: the submission's containers, to the deadline


BUSY_WEB = ("docker run -d --name web busybox sh -c "
            "'i=0; while [ $i -lt 4000000 ]; do i=$((i+1)); done; touch /tmp/ready; exec sleep 600'")  # fmt: skip
SLOW_SPEC = """\
schema_version: 1
title: disturbed
images: {busybox: busybox}
time_limit: 60
settle: 60
checks:
  - name: keep runs
    points: 1
    check: {container: keep, state: running}
  - name: web got ready
    points: 1
    probe: {exec: {container: web, command: test -f /tmp/ready}}
"""


@pytest.mark.grading
@pytest.mark.parametrize("how", ["rm", "restart"])
def test_a_disturbed_engine_never_yields_a_score(engine: Docker, tmp_path: Path, how: str) -> None:
    """While the submission's checks wait for its busy container, someone else removes its other container
    through the sandbox's socket, or restarts the sandbox's engine: the grading is thrown away, and the
    submission graded again on a fresh engine, where it gets its own score."""
    (tmp_path / "spec.yaml").write_text(SLOW_SPEC)
    folder = tmp_path / "submissions" / "dee"
    folder.mkdir(parents=True)
    (folder / "commands.sh").write_text(f"docker run -d --name keep busybox sleep 600\n{BUSY_WEB}\n")
    out = tmp_path / "out"
    run = start("grade", "--out", str(out), str(tmp_path / "spec.yaml"), str(folder))
    deadline = time.monotonic() + 600
    name = _sandbox_of(run, deadline)
    box = Docker("docker", env={"DOCKER_HOST": f"unix://{leases.RUN_ROOT}/{name}/docker.sock", "DOCKER_CONTEXT": ""})
    # The submission ran both lines; its checks wait for web's loop.
    _when(run, box, lambda d: "web" in d.call(["ps", "--format", "{{.Names}}"], check=False).stdout.split(), deadline)
    time.sleep(0.5)  # a moment for the checks to begin: no command of the grader's names keep then
    if how == "rm":
        box.call(["rm", "-f", "keep"])
    else:
        pid = int((leases.RUN_ROOT / name / "dockerd.pid").read_text())
        os.kill(pid, signal.SIGKILL)
    _, err = run.communicate(timeout=900)
    assert run.returncode == 0, err[-3000:]
    results = json.loads((out / "results.json").read_text())
    [student] = results["students"]
    assert student["graded"] and student["score"] == 2, student  # its own score, from an undisturbed engine
    assert results["engines"][0]["disturbed"], results["engines"]
    assert "graded again on a fresh engine" in err, err[-2000:]


@pytest.mark.grading
def test_a_grade_run_killed_and_one_started_at_once_after_it(engine: Docker, tmp_path: Path) -> None:
    """A CI runner's timeout kills a grade run; a retry starts at once: it grades, on another sandbox while
    the dead run's reaper still stops the first, and `clean` says what is still being stopped."""
    spec, folders = homework(tmp_path, {"ann": CORRECT})
    first = start("grade", "--out", str(tmp_path / "first"), str(spec), *folders)
    deadline = time.monotonic() + 600
    name = _sandbox_of(first, deadline)
    box = Docker("docker", env={"DOCKER_HOST": f"unix://{leases.RUN_ROOT}/{name}/docker.sock", "DOCKER_CONTEXT": ""})
    _when(first, box, lambda d: "web" in d.call(["ps", "--format", "{{.Names}}"], check=False).stdout.split(), deadline)
    first.kill()
    first.communicate()
    students = grade(spec, folders, tmp_path / "second")
    assert students["ann"]["score"] == 3, students["ann"]
    deadline = time.monotonic() + 120
    dead = f"/{first.pid}/"  # its reaper says whose leases it stops (owner: host/boot/pid/start)
    while any(who.get("stopping") and dead in str(who.get("owner")) for _, who in leases.all_held()):
        assert time.monotonic() < deadline, "the dead run's reaper never finished"
        time.sleep(0.2)  # poll: the reaper stopping the dead run's sandbox, to the deadline
    assert not Path(f"/run/netns/dockersim-{name}").exists()


def test_bounds_are_said_as_people_write_them() -> None:
    assert human(256 * 2**20) == "256 MiB" and human(2**30) == "1 GiB"


def _outcomes(report: str) -> list[tuple[str, int, str]]:
    data = json.loads(report)
    return [(s["path"], step["index"], step["outcome"]) for s in data["scenarios"] for step in s["steps"]]


def test_two_offline_runs_on_sandboxes_at_once_run_as_each_alone(engine: Docker) -> None:
    """Two chapters at once in two terminals, each on a sandbox of its own, sharing the kit's registry
    read-only: each passes as it does alone (every step but podman's own, which test_safety's whole tutorial
    on the sandbox shows is what a run alone does), and the registry is gone once both are done."""
    chapters = [str(ROOT / "scenarios" / name) for name in ("2.2.2-listing-containers.yaml",
                                                           "2.2.3-removing-containers.yaml")]  # fmt: skip
    runs = [start("run", "--sandbox", "--offline", "--json", chapter) for chapter in chapters]
    together = [run.communicate(timeout=1200) for run in runs]
    for run, (out, err) in zip(runs, together, strict=True):
        assert run.returncode == 0, err[-3000:]
        outcomes = _outcomes(out)
        assert len(outcomes) >= 10 and {o for _, _, o in outcomes} <= {"passed", "skipped"}, outcomes
        skipped = [st for sc in json.loads(out)["scenarios"] for st in sc["steps"] if st["outcome"] == "skipped"]
        assert all("this step is about podman" in st["reason"] for st in skipped), skipped
    pids = {run.pid for run in runs}  # other tests' runs may hold it meanwhile
    assert not any(name.startswith("kit-registry") and who.get("pid") in pids for name, who in leases.all_held())
