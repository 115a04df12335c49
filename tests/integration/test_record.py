"""`dockersim record` as an instructor uses it: tmux types a short chapter into the recording shell (run -d,
volume create, run -it with hostname and exit, a Ctrl+P, Ctrl+Q detach and an attach, stop; notes in both
languages; a removal of the instructor's own container and a prune, both refused). The file validates,
replays green on docker and on podman, and no step survives mutation. `record --spec` over hw-network's
reference writes a spec under which the reference earns every point and ben does not. Every wait is on
the screen or the process, to a deadline."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.mutate import survivors
from dockersim.engine.client import Docker
from dockersim.grading.homework import load_spec
from dockersim.ownership.inventory import Inventory
from dockersim.scenario.loader import load_scenario
from tests.conftest import ROOT, dockersim
from tests.integration.test_practice import PROMPT, Pane

SHORT_ID = r"[0-9a-f]{12}"


def record_pane(tmp_path: Path, out: Path, *flags: str) -> Pane:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    # The machine's cache: the kit's registry there is the one every run on the machine shares.
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": cache,
           "NO_COLOR": "1", "DOCKERSIM_LANG": "en", "TERM": "xterm-256color"}  # fmt: skip
    env.pop("DOCKERSIM_PRACTICE", None)
    command = (f"cd {ROOT} && {sys.executable} -m dockersim record --offline {' '.join(flags)} {out}; "
               "echo RECORD-EXIT=$?; exec cat")  # fmt: skip
    return Pane(f"dockersim-record-{os.getpid()}", command, env)


def demonstrate(pane: Pane) -> None:
    """The chapter, typed as an instructor would, waiting for what each command shows."""
    started = pane.wait(rf"(^{re.escape(PROMPT)}$|^RECORD-EXIT=\d+$)", timeout=900)  # the kit may be building
    assert started.group(0) == PROMPT, pane.text()[-3000:]
    pane.type("# task: start a container named web that sleeps in the background")
    pane.wait(r"noted for the next step: task: ")
    pane.type("docker run -d --name web ubuntu:14.04 sleep 600")
    pane.wait(r"step 1 recorded: docker run -d --name web \{image\.ubuntu\} sleep 600")
    pane.type("docker volume create data")
    pane.wait(r"step 2 recorded")
    pane.type("# task: open a shell in a container named first, print its host name, then leave with exit")
    pane.type("dsim task ko 'first 라는 컨테이너에서 셸을 열고 호스트 이름을 출력한 뒤 exit 로 나오세요'")
    pane.wait(r"noted for the next step: task: first")
    pane.type("docker run -it --name first ubuntu:14.04")
    pane.wait(rf"root@{SHORT_ID}:/# $")
    pane.type("hostname")
    pane.wait(rf"^{SHORT_ID}$")
    pane.wait(rf"root@{SHORT_ID}:/# $")
    pane.type("exit")
    pane.wait(r"step 3 recorded")
    pane.type("docker run -it --name second -v data:/data ubuntu:14.04")
    pane.wait(rf"root@{SHORT_ID}:/# $")
    pane.keys("ctrl-p", "ctrl-q")
    pane.wait(r"step 4 recorded")
    pane.type("# hint: start it first if it has stopped (docker start second)")
    pane.wait(r"noted for the next step: hint: ")
    pane.type("docker attach second")
    pane.type("")  # the container's shell answers Enter with its prompt
    pane.wait(rf"root@{SHORT_ID}:/# $")
    pane.keys("ctrl-p", "ctrl-q")
    pane.wait(r"step 5 recorded")
    pane.type("docker stop -t 1 second")
    pane.wait(r"step 6 recorded")
    pane.type("docker rm -f learners_own")  # the instructor's own: refused, as practice refuses it
    pane.wait(r"container learners_own: not made in this recording, so record does not remove it")
    pane.type("docker container prune -f")
    pane.wait(r"record does not prune on your own engine")
    pane.type("exit")


def test_a_chapter_recorded_in_tmux_replays_and_survives_no_mutation(engine: Docker, podman: Docker,
                                                                     tmp_path: Path) -> None:  # fmt: skip
    engine.call(["rm", "-f", "learners_own"], check=False)  # a killed test run's
    own = engine.call(["create", "--name", "learners_own", "dockersim/busybox:latest", "true"]).stdout.strip()
    before = Inventory.read(engine)
    out = tmp_path / "chapter.yaml"
    pane = record_pane(tmp_path, out, "--title", "'Containers, recorded'")
    try:
        demonstrate(pane)
        ended = pane.wait(r"(?s)(replayed: .*)^RECORD-EXIT=(\d+)$", timeout=1200)
        assert ended.group(2) == "0", ended.group(1)
        assert "replayed: 0 of 6 steps failed; mutation check: 6 steps mutated, 0 survived" in ended.group(1)
    finally:
        screen = pane.text()
        pane.close()
    # What the recording, its replay and its mutants made is gone; the instructor's own container is as it was.
    assert Inventory.read(engine) == before, screen[-3000:]
    engine.call(["rm", own])

    scenario = load_scenario(out)  # it validates
    text = out.read_text()
    assert len(scenario.steps) == 6 and scenario.images == {"ubuntu": "ubuntu:14.04"}, text
    web, volume, first, second, attach, stop = scenario.steps
    assert web.task == {"en": "start a container named web that sleeps in the background"}
    assert web.run == ["docker", "run", "-d", "--name", "web", "{image.ubuntu}", "sleep", "600"]
    assert "{container: web, state: running, image: '{image.ubuntu}'}" in text
    assert volume.stdout == "^data$" and "check: {volume: data}" in text
    assert set(first.task or {}) == {"en", "ko"} and first.name == first.task
    assert "- expect: '^{short_id:first}$'" in text and "- send: hostname" in text
    assert "{container: first, state: exited, exit_code: 0, image: '{image.ubuntu}'}" in text
    assert second.ends_with_detach() and "mounts: [{type: volume, name: data, destination: /data}]" in text
    assert attach.ends_with_detach() and attach.hint and '- send: ""' in text
    assert "{container: second, state: exited, exit_code: 137}" in text and stop.stdout == "^second$"
    assert "learners_own" not in text and "prune" not in text

    replayed = dockersim("run", "--offline", "--json", str(out))
    report = json.loads(replayed.stdout)
    assert replayed.returncode == 0, json.dumps(report, indent=1)[-4000:]
    count, found = survivors([out])  # the mutation check, run again from outside record
    assert (count, found) == (6, [])

    # podman, on the tests' own storage: every step passes or is skipped saying why
    env = {**os.environ, "CONTAINERS_STORAGE_CONF": podman.env["CONTAINERS_STORAGE_CONF"]}
    done = subprocess.run([sys.executable, "-m", "dockersim", "run", "--docker", "podman", "--offline", "--json",
                           str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)  # fmt: skip
    steps = json.loads(done.stdout)["scenarios"][0]["steps"]
    bad = [(s["name"], s["reason"], s["details"], s["screen"][-8:]) for s in steps if s["outcome"] != "passed"
           and not (s["outcome"] == "skipped" and "podman" in s["reason"])]  # fmt: skip
    assert done.returncode == 0 and not bad, json.dumps(bad, indent=1) + done.stderr[-2000:]


@pytest.mark.grading
def test_a_spec_recorded_from_the_reference_earns_it_every_point_and_not_ben(engine: Docker, tmp_path: Path) -> None:
    hw = ROOT / "examples" / "hw-network"
    out = tmp_path / "hw.yaml"
    done = dockersim("record", "--spec", str(out), str(hw / "submissions" / "ann"), timeout=1800)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    spec = load_spec(out)
    assert spec.reference is not None and spec.reference.resolve() == (hw / "submissions" / "ann").resolve()
    text = out.read_text()
    assert "networks: [wpnet]" in text and "{volume: wpdb}" in text and "hidden-check candidate" in text
    assert all(c.points == 1 for c in spec.checks) and len(spec.checks) >= 8
    grades = tmp_path / "grades"
    graded = dockersim("grade", "--out", str(grades), str(out), str(hw / "submissions" / "ann"),
                       str(hw / "submissions" / "ben"), timeout=1800)  # fmt: skip
    assert graded.returncode == 0, graded.stdout + graded.stderr[-3000:]
    scores = {
        s["student"]: (s["score"], s["max"]) for s in json.loads((grades / "results.json").read_text())["students"]
    }
    assert scores["ann"] == (spec.max_points, spec.max_points)
    assert scores["ben"][0] < spec.max_points


def test_bad_input_is_one_sentence_and_touches_no_engine(engine: Docker, tmp_path: Path) -> None:
    before = Inventory.read(engine)
    there = tmp_path / "there.yaml"
    there.write_text("schema_version: 1\n")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "commands.sh").write_text("docker volume create data\n")
    (broken / "session.yaml").write_text("schema_version: 1\nsteps:\n  - run: docker run --no-such-flag x\n")
    for args, said in (
        ([str(there)], r"there\.yaml: the file exists \(--force writes over it\)"),
        ([str(tmp_path / "missing" / "x.yaml")], r"there is no folder"),
        (["--spec", str(tmp_path / "hw.yaml"), str(tmp_path / "nothing")], r"nothing: a reference solution is a"),
        (["--spec", str(tmp_path / "hw.yaml"), "--context", "x", str(ROOT / "examples/hw-network/submissions/ann")],
         r"--context, --image-map and --sandbox do not apply"),
        (["--spec", str(tmp_path / "hw.yaml"), str(broken)], r"session\.yaml:3: "),
    ):  # fmt: skip
        done = dockersim("record", *args)
        assert done.returncode == 2 and re.search(said, done.stderr), done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert there.read_text() == "schema_version: 1\n"
    assert Inventory.read(engine) == before
