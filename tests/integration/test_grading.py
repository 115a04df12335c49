"""`dockersim grade` on the example homework: the scores EXPECTED.md gives, every hostile line refused,
the same submission graded twice alike, and every output file written."""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from dockersim.engine.client import Docker
from dockersim.ownership.labels import state_dir
from tests.conftest import ROOT, dockersim
from tests.engine_log import EngineLog

HW = ROOT / "examples" / "hw-wordpress"
# The volumes Eve's lines name: on a grading machine whose engine a line reached, one of them would be there.
EVE_VOLUMES = ("hostetc", "h2", "hostetc3", "h4", "h5", "h6", "h7", "h8", "h9", "h10")


def on_engine(engine: Docker, volumes: tuple[str, ...]) -> list[str]:
    """Those of these volumes the engine has (one listing)."""
    return sorted(set(volumes) & set(engine.call(["volume", "ls", "-q"]).stdout.split()))


def expected_scores(homework: Path = HW) -> dict[str, int]:
    """The scores a homework's EXPECTED.md gives, by student."""
    rows = re.findall(r"^\| (\w+) \| (\d+) \|", (homework / "EXPECTED.md").read_text(), re.MULTILINE)
    return {student: int(score) for student, score in rows}


@pytest.mark.grading
def test_example_homework(engine: Docker, tmp_path: Path) -> None:
    submissions = tmp_path / "submissions"
    shutil.copytree(HW / "submissions", submissions)
    shutil.copytree(HW / "submissions" / "alice", submissions / "alice_again")  # the same work, graded again
    out = tmp_path / "grades"
    state_dir().mkdir(parents=True, exist_ok=True)  # dockersim's own (its runs' journals), even on a new machine
    host_files = {p: sorted(os.listdir(p)) for p in ("/etc", "/tmp", "/root", "/var/lib/docker")}
    folders = sorted(str(p) for p in submissions.iterdir())
    assert len(folders) >= 6
    with EngineLog(tmp_path) as log:  # the grader's engine: the machine's, every request written down
        done = dockersim("grade", "--jobs", "2", "--out", str(out), str(HW / "spec.yaml"), *folders, timeout=1800,
                         env={"DOCKER_HOST": log.docker_host})  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert log.requests and log.writes() == []  # grading only reads the grader's engine (its kit)
    assert not on_engine(engine, EVE_VOLUMES)  # nor did any of Eve's lines reach it another way
    assert "[6/6]" in done.stderr  # progress while it works
    # Eve's escapes: whatever ran wrote only into her workspace, never into the grading machine's files.
    assert {p: sorted(os.listdir(p)) for p in host_files} == host_files
    assert not any(Path(p, "eve-was-here").exists() for p in ("/etc", "/tmp", "/root", "/var/lib/docker", "/proc"))

    with (out / "gradebook.csv").open() as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    scores = {student: int(row["score"]) for student, row in rows.items()}
    assert scores == {**expected_scores(), "alice_again": expected_scores()["alice"]}, scores
    with (ROOT / "tests" / "golden" / "hw-wordpress-gradebook.csv").open() as f:  # what test_pool holds its runs to
        golden = {row["student"]: row for row in csv.DictReader(f)}
    assert golden == {student: row for student, row in rows.items() if student != "alice_again"}
    same = {k: v for k, v in rows["alice"].items() if k != "student"}
    assert same == {k: v for k, v in rows["alice_again"].items() if k != "student"}

    mallory = (out / "feedback" / "mallory.md").read_text()
    for number in range(3, 21):
        assert f"- line {number}: `" in mallory.split("## Lines that were refused")[1], number
    results = json.loads((out / "results.json").read_text())
    [m] = [s for s in results["students"] if s["student"] == "mallory"]
    assert [line["number"] for line in m["lines"] if not line["refused"]] == [2]

    eve = (out / "feedback" / "eve.md").read_text().split("## Lines that were refused")[1]
    [e] = [s for s in results["students"] if s["student"] == "eve"]
    refused = [line for line in e["lines"] if line["refused"]]
    assert len(refused) >= 40
    for line in refused:  # each refused line named in her feedback with its reason
        assert f"- line {line['number']}: `" in eve and line["refused"] in eve, line
    # Line 83's container made a symlink out of her workspace: line 84, which binds it, is refused as it is to run.
    assert [line["refused"] for line in e["lines"] if line["number"] == 84][0].startswith("when it was to run:")

    # A check of what was fixed when the container was made fails at its first look, without waiting for
    # `settle`; alice's slow services (MariaDB, then WordPress) still get her every point.
    [b] = [s for s in results["students"] if s["student"] == "bob"]
    [mounts] = [c for c in b["checks"] if c["name"] == "the database keeps its data in /home/wordpress_db on the host"]
    assert mounts["outcome"] == "failed" and mounts["looks"] == 1
    [files] = [c for c in b["checks"] if c["name"] == "the database's files are in /home/wordpress_db"]
    assert files["outcome"] == "failed" and files["looks"] == 1  # none of bob's containers binds that folder
    assert all(c["looks"] == 1 for c in e["checks"])  # nothing of hers exists to change

    bob = (out / "feedback" / "bob.md").read_text()
    assert "✗ the database keeps its data in /home/wordpress_db on the host (0/3)" in bob
    assert "hint: docker run -v HOST_DIR:CONTAINER_DIR" in bob
    assert "a hidden check (0/1)" in bob and "shared volume holds" not in bob  # hidden: counted, not named

    scope = json.loads((out / "gradescope" / "bob" / "results.json").read_text())  # Gradescope's autograder format
    assert scope["score"] == 12 and sum(t["max_score"] for t in scope["tests"]) == 18
    assert [t["visibility"] for t in scope["tests"]].count("hidden") == 1  # the hidden check, never shown

    suite = ET.parse(out / "junit" / "bob.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "9" and suite.get("failures") == "3"
    [cast] = (out / "recordings" / "alice").glob("*.cast")
    header = json.loads(cast.read_text().splitlines()[0])
    assert header["version"] == 2 and header["width"] == 80
    events = [json.loads(e) for e in cast.read_text().splitlines()[1:]]
    markers = [label for _, kind, label in events if kind == "m"]  # each check's result, where it was checked
    assert "✓ the database runs mysql:5.7 (2/2)" in markers and "✓ a hidden check (1/1)" in markers, markers

    # One submission a run, as a CI matrix or an Indexed Job grades them, then merged: the same gradebook.
    parts = []
    for student in ("alice", "bob"):
        parts.append(tmp_path / "parts" / student)
        done = dockersim("grade", "--out", str(parts[-1]), str(HW / "spec.yaml"), str(submissions / student),
                         timeout=900)  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
    done = dockersim("gradebook", "merge", "--out", str(tmp_path / "course"), *map(str, parts))
    assert done.returncode == 0 and "2 students from 2 folders" in done.stdout, done.stderr
    with (tmp_path / "course" / "gradebook.csv").open() as f:
        merged = {row["student"]: row for row in csv.DictReader(f)}
    assert merged == {student: rows[student] for student in ("alice", "bob")}
    # Each student's feedback is the one their own run wrote (an anonymous volume's ID differs between runs).
    assert (tmp_path / "course" / "feedback" / "bob.md").read_text() == (parts[1] / "feedback" / "bob.md").read_text()
    assert list((tmp_path / "course" / "recordings" / "alice").glob("*.cast"))


def test_self_check_on_the_learner_s_engine(engine: Docker, images: dict[str, str]) -> None:
    # Half of the homework done by hand on the learner's own engine.
    engine.call(["volume", "create", "myvolume"])
    try:
        done = dockersim("check", str(HW / "spec.yaml"), timeout=120)
        assert done.returncode == 1
        assert "ok     a volume named myvolume (1/1)" in done.stdout
        assert "FAILED the database runs mysql:5.7 (0/2)" in done.stdout
        assert "hint: --link CONTAINER:ALIAS" in done.stdout
        assert "hidden" not in done.stdout and "shared volume holds" not in done.stdout
        assert "1 / 17 points from the checks you can see" in done.stdout
    finally:
        engine.call(["volume", "rm", "myvolume"], check=False)


SLOW_SPEC = """\
schema_version: 1
title: a service that takes a while
images: {busybox: busybox}
submission: commands.sh
settle: 60
checks:
  - name: the service answers
    points: 1
    probe: {http: {container: web, port: 8080/tcp}, status: [200]}
"""
# Busy for its first seconds (as a database initialising is), then serving; or idle and never serving.
SLOW = """docker run -d --name web -p 8080 busybox sh -c 'end=$(($(date +%s) + 6)); \\
  while [ $(date +%s) -lt $end ]; do :; done; mkdir /w; echo hi > /w/index.html; exec httpd -f -p 8080 -h /w'
"""
IDLE = "docker run -d --name web -p 8080 busybox sleep 600\n"


@pytest.mark.grading
def test_a_busy_service_is_waited_for_and_an_idle_one_is_not(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SLOW_SPEC)
    for name, commands in (("slow", SLOW), ("idle", IDLE)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "commands.sh").write_text(commands)
    out = tmp_path / "grades"
    done = dockersim("grade", "--out", str(out), str(tmp_path / "spec.yaml"), str(tmp_path / "slow"),
                     str(tmp_path / "idle"), timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    results = {s["student"]: s["checks"][0] for s in json.loads((out / "results.json").read_text())["students"]}
    assert results["slow"]["outcome"] == "passed" and results["slow"]["looks"] > 4, results["slow"]
    # Idle from the start: looked at until docker stats has shown it idle (about 2 s at 2 looks a second),
    # not for the 60 s of `settle`.
    assert results["idle"]["outcome"] == "failed" and results["idle"]["looks"] <= 10, results["idle"]


DOCKERFILE_HW = ROOT / "examples" / "hw-dockerfile"
CANARY = Path("/etc/dockersim-canary")  # a file of the grading machine's: Mallory's `secret-link` points at it


@pytest.mark.grading
def test_the_dockerfile_homework_grades_alike_on_docker_and_podman_and_keeps_the_machine_out(
    engine: Docker, tmp_path: Path
) -> None:
    """examples/hw-dockerfile on docker's sandboxes and on podman's: the scores EXPECTED.md gives, the same
    gradebook. Mallory's builds are refused with their reasons or contained: a canary planted on the host is
    in none of the images she built (searched from inside a container of her image of her whole folder), in
    no file the grading wrote, and nothing was written on the host outside the sandboxes."""
    canary = f"dockersim-canary-{secrets.token_hex(8)}"
    CANARY.write_text(canary + "\n")
    try:
        submissions = tmp_path / "submissions"
        shutil.copytree(DOCKERFILE_HW / "submissions", submissions, symlinks=True)  # her links stay links
        shutil.copytree(DOCKERFILE_HW / "reference", tmp_path / "reference")
        search = (f"sh -c 'for d in /*; do case $d in /proc|/sys|/dev) ;; *) grep -rqsF {canary} $d && echo FOUND "
                  "$d;; esac; done; echo SEARCHED'")  # fmt: skip
        spec = tmp_path / "spec.yaml"
        spec.write_text((DOCKERFILE_HW / "spec.yaml").read_text() + (
            "  - name: nothing of the grading machine is in the image Mallory built of her folder\n"
            "    points: 0\n"
            f'    probe: {{exec: {{container: loot, command: "{search}"}}, stdout: \'\\ASEARCHED\\s*\\Z\'}}\n'
        ))  # fmt: skip
        etc = sorted(os.listdir("/etc"))
        folders = sorted(str(p) for p in submissions.iterdir())
        gradebooks = {}
        for kind in ("docker", "podman"):
            out = tmp_path / kind
            options = ["--docker", "podman"] if kind == "podman" else []
            done = dockersim("grade", *options, "--jobs", "2", "--out", str(out), str(spec), *folders, timeout=1800)
            assert done.returncode == 0, done.stdout + done.stderr[-3000:]
            with (out / "gradebook.csv").open() as f:
                scores = {row["student"]: int(row["score"]) for row in csv.DictReader(f)}
            assert scores == expected_scores(DOCKERFILE_HW), (kind, done.stderr[-3000:])
            gradebooks[kind] = (out / "gradebook.csv").read_text()
            _mallory_contained(json.loads((out / "results.json").read_text()), kind)
            written = [p for p in out.rglob("*") if p.is_file() and canary.encode() in p.read_bytes()]
            assert not written, (kind, written)
        assert gradebooks["docker"] == gradebooks["podman"]
        # Nothing on the host's engine (others use it too: its own names are looked for), nothing she aimed at
        # on the host's files.
        for ref in ("hello-web:1.0", "stolen/context", "stolen/link", "stolen/copy-out"):
            assert engine.call(["image", "inspect", ref], check=False).status != 0, ref
        assert engine.call(["container", "inspect", "web", "loot"], check=False).stdout.strip() in ("", "[]")
        assert sorted(os.listdir("/etc")) == etc
        assert not [p for p in ("/tmp/out.tar", "/tmp/iid", "/tmp/meta.json", "/root/index.html") if Path(p).exists()]
    finally:
        CANARY.unlink(missing_ok=True)


def _mallory_contained(results: dict[str, Any], kind: str) -> None:
    [m] = [s for s in results["students"] if s["student"] == "mallory"]
    refused = {line["number"]: line["refused"] for line in m["lines"] if line["refused"]}
    assert set(refused) == {*range(3, 32), 33, 34, 35, 36}, (kind, refused)
    assert all(why and "\n" not in why for why in refused.values())
    assert "--output reads or writes the grading machine's files" in refused[3]
    assert "--secret would lend the build a secret" in refused[11]
    for number, file, line in ((33, "mount-root", 3), (34, "mount-from", 5), (35, "escaped", 4), (36, "onbuild", 3)):
        assert (
            refused[number] == f"when it was to run: {file}.Dockerfile:{line}: RUN --mount is BuildKit's and "
            "a graded build does not give it: a RUN step reaches only what a container may"
        )
    status = {line["number"]: line["status"] for line in m["lines"] if not line["refused"]}
    assert status[32] != 0 and status[37] != 0 and status[38] == status[39] == status[40] == 0, (kind, status)
    assert m["notes"] == ["3 link(s) of the submission lead out of it and were not copied to its workspace: "
                          "hostetc, secret-link, shadow.Dockerfile"]  # fmt: skip
    assert m["checks"][-1]["outcome"] == "passed", (kind, m["checks"][-1])  # her image searched: no canary
