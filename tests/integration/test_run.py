"""`dockersim run` end to end on the real engine: the shipped scenarios with both clients, the JSON
report, and what a run leaves behind (nothing it made; everything it did not)."""

from __future__ import annotations

import json
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.ownership.inventory import Inventory
from tests.conftest import CLIENTS, IMAGE_MAP, ROOT, dockersim, start_dockersim
from tests.english import english_sentences


def test_a_failing_step_exits_1_and_shows_reason_screen_and_hint(
    engine: Docker, images: dict[str, str], tmp_path: Path
) -> None:
    f = tmp_path / "fails.yaml"
    f.write_text("""\
schema_version: 1
title: fails
images: {busybox: busybox}
steps:
  - run: docker run --name f_echo {image.busybox} echo hello
    stdout: goodbye
    hint: look at what the container printed
  - check: {container: f_echo, state: running}
""")
    done = dockersim("run", *IMAGE_MAP, str(f))
    assert done.returncode == 1
    out = done.stdout
    assert "FAIL" in out and "expected stdout to match 'goodbye'; the screen was:" in out
    assert "│ hello" in out and "hint: look at what the container printed" in out
    assert "state: expected running, found exited" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_a_korean_run_says_no_english_sentence(engine: Docker, images: dict[str, str], tmp_path: Path) -> None:
    """With --lang ko a failing run reads in Korean: reasons, mismatch lines, checks' names, session
    timeouts, the table and the summary; a step without a name shows its command as it ran."""
    f = tmp_path / "ko.yaml"
    f.write_text("""\
schema_version: 1
title: {en: fails, ko: 실패}
images: {shell: ubuntu:14.04}
steps:
  - run: docker run --name ko_one {image.shell} true
  - name: {en: it runs, ko: 실행 중}
    check: {container: ko_one, state: running}
  - run: docker ps
    stdout: nothing-like-this
  - run: docker start ko_nothing
  - run: docker run -i -t --name ko_two {image.shell}
    tty:
      - expect: no-such-prompt
        timeout: 1
  - check:
      - {host_file: /tmp/ko-nothing-here, exists: true}
      - {image: 'nothing:1', present: true}
      - {container: ko_nothing, state: running}
""")
    done = dockersim("run", "--offline", "--lang", "ko", str(f))
    assert done.returncode == 1, done.stderr
    out = done.stdout + done.stderr
    assert english_sentences(out) == [], out
    assert "[1/6] docker run --name ko_one " in out and "{image.shell}" not in out
    assert "- host_file: /tmp/ko-nothing-here 있음을(를) 기대했지만 없음입니다" in out
    assert "1초 안에 'no-such-prompt' 이(가) 나타나기를 기대했습니다" in out
    assert "1 통과, 5 실패" in out


def test_existing_names_stop_the_run_before_anything_changes(engine: Docker, images: dict[str, str]) -> None:
    engine.call(["create", "--name", "first", images["busybox"]])
    engine.call(["volume", "create", "learners_own_volume"])
    try:
        before = Inventory.read(engine)
        done = dockersim("run", "--offline", "scenarios/2.2.1-creating-containers.yaml")
        assert done.returncode == 2
        assert done.stderr.strip() == (
            "dockersim: the engine already holds container first; the scenarios create "
            "these names (remove them, or pass --replace)"
        )
        assert Inventory.read(engine) == before
        # With the clash gone the run passes, and what the learner had is still there afterwards.
        engine.call(["rename", "first", "learners_own"])
        done = dockersim("run", "--offline", "scenarios/2.2.1-creating-containers.yaml")
        assert done.returncode == 0, done.stdout[-2000:]
        assert Inventory.read(engine) == before
    finally:
        engine.call(["rm", "-f", "learners_own", "first"], check=False)
        engine.call(["volume", "rm", "learners_own_volume"], check=False)


def test_a_bad_file_changes_nothing_on_the_engine(engine: Docker, tmp_path: Path) -> None:
    good = (ROOT / "scenarios/2.2.2-listing-containers.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(good + "  - check: {container: x, state: runing}\n")
    before = Inventory.read(engine)
    done = dockersim("run", *IMAGE_MAP, str(bad))
    assert done.returncode == 2 and "did you mean 'running'" in done.stderr
    assert "Traceback" not in done.stderr
    assert Inventory.read(engine) == before


def test_keep_leaves_what_the_run_made_and_says_so(engine: Docker, images: dict[str, str], tmp_path: Path) -> None:
    f = tmp_path / "keep.yaml"
    f.write_text(
        "schema_version: 1\nimages: {busybox: busybox}\nsteps:\n"
        "  - run: docker create --name kept_one {image.busybox}\n"
    )
    done = dockersim("run", "--keep", *IMAGE_MAP, str(f))
    try:
        assert done.returncode == 0
        assert "kept (--keep): container " in done.stdout
        assert engine.call(["inspect", "kept_one"], check=False).status == 0
    finally:
        engine.call(["rm", "-f", "kept_one"], check=False)


def test_clients_exist_for_ci() -> None:
    # Both clients are part of what the tests promise (scripts/ensure-engine installs the second one).
    assert all(Path(p).exists() for p in CLIENTS.values())


def test_objects_made_meanwhile_by_someone_else_survive(engine: Docker, images: dict[str, str], tmp_path: Path) -> None:
    f = tmp_path / "slow.yaml"
    f.write_text(
        "schema_version: 1\nimages: {busybox: busybox}\nsteps:\n"
        "  - run: docker run --name conc_slow {image.busybox} sh -c 'sleep 3'\n"
        "  - run: docker volume create conc_vol\n"
    )
    proc = start_dockersim("run", *IMAGE_MAP, str(f))
    try:
        deadline = time.monotonic() + 30
        while engine.call(["inspect", "conc_slow"], check=False).status != 0:
            assert time.monotonic() < deadline and proc.poll() is None, "the run never made its container"
            time.sleep(0.05)  # poll
        # While the run is busy, the learner makes things of their own in another terminal.
        engine.call(["create", "--name", "made_meanwhile", images["busybox"]])
        engine.call(["volume", "create", "made_meanwhile_vol"])
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, out + err
        assert engine.call(["inspect", "made_meanwhile"], check=False).status == 0
        assert engine.call(["volume", "inspect", "made_meanwhile_vol"], check=False).status == 0
        assert engine.call(["inspect", "conc_slow"], check=False).status != 0  # the run's own: gone
        assert engine.call(["volume", "inspect", "conc_vol"], check=False).status != 0
    finally:
        proc.kill()
        engine.call(["rm", "-f", "made_meanwhile", "conc_slow"], check=False)
        engine.call(["volume", "rm", "-f", "made_meanwhile_vol", "conc_vol"], check=False)


def test_fail_fast_record_and_junit(engine: Docker, images: dict[str, str], tmp_path: Path) -> None:
    f = tmp_path / "ff.yaml"
    f.write_text("""\
schema_version: 1
title: fail fast
images: {busybox: busybox}
steps:
  - name: a shell session
    run: docker run -i -t --name ff_tty {image.busybox}
    tty:
      - expect: '/ # '
      - send: echo recorded
      - expect: '^recorded'
      - send: exit
      - expect: eof
  - run: docker inspect no_such_container_ff
  - run: docker ps
""")
    done = dockersim("run", "--fail-fast", "--record", str(tmp_path / "casts"), "--junit", str(tmp_path / "j.xml"),
                     *IMAGE_MAP, str(f))  # fmt: skip
    assert done.returncode == 1
    assert "not run: an earlier step failed and --fail-fast is on" in done.stdout
    [cast] = (tmp_path / "casts").rglob("*.cast")
    lines = cast.read_text().splitlines()
    assert json.loads(lines[0])["version"] == 2
    assert any("recorded" in json.loads(line)[2] for line in lines[1:])
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")


@pytest.mark.grading
def test_the_engine_going_away_mid_run_ends_cleanly(engine: Docker, images: dict[str, str], tmp_path: Path) -> None:
    from dockersim.engine.sandbox.slots import private

    with private("gone") as box:
        _engine_goes_away(box, images, tmp_path)


def _engine_goes_away(box: Sandbox, images: dict[str, str], tmp_path: Path) -> None:
    box.up()
    try:
        docker = Docker(env={"DOCKER_HOST": box.docker_host, "DOCKER_CONTEXT": ""})
        kit_busybox = images["busybox"]
        # The sandbox has no images of its own: give it busybox through a save and load.
        save = subprocess.Popen(["docker", "save", kit_busybox], stdout=subprocess.PIPE)
        docker.run_argv(docker.argv(["load"]), stdin=save.stdout)
        save.wait()
        f = tmp_path / "gone.yaml"
        f.write_text("schema_version: 1\nimages: {busybox: busybox}\nsteps:\n"
                     "  - run: docker run --name gone_wait {image.busybox} sleep 30\n"
                     "    exit: any\n  - check: {container: gone_wait, state: exited}\n")  # fmt: skip
        proc = start_dockersim("run", "--image-map", f"busybox={kit_busybox}", str(f),
                               env={"DOCKER_HOST": box.docker_host})  # fmt: skip
        deadline = time.monotonic() + 30
        while docker.call(["inspect", "gone_wait"], check=False).status != 0:
            assert time.monotonic() < deadline
            time.sleep(0.05)  # poll
        box.down()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, out + err
        assert "Traceback" not in err and "ERROR" in out
        assert "could not remove what" in out  # said, not raised
    finally:
        box.down(purge=True)


def test_a_missing_host_program_is_the_step_s_failure_not_the_engine_s(engine: Docker, tmp_path: Path) -> None:
    f = tmp_path / "nop.yaml"
    f.write_text("schema_version: 1\nsteps:\n  - run: no-such-program-xyz --flag\n")
    done = dockersim("run", str(f))
    assert done.returncode == 1
    assert "FAIL" in done.stdout and "cannot run 'no-such-program-xyz': no such program" in done.stdout
    assert "engine could not be asked" not in done.stdout


CREATING = """\
schema_version: 1
images: {busybox: busybox}
steps:
  - run: docker network create --internal ds_net_internal
  - run: docker network create ds_net_after --internal -d bridge --label course=x
  - run: docker volume create -d local --label a=b ds_vol_flags
  - run: docker volume create ds_vol_after --label a=b
  - run: docker container create -it --name ds_ctr_flags --network ds_net_internal -v ds_vol_run:/d {image.busybox}
  - run: docker run -dit --name=ds_ctr_mount --mount type=volume,src=ds_vol_mount,dst=/m {image.busybox}
"""
CREATED = {"network": ["ds_net_internal", "ds_net_after"], "container": ["ds_ctr_flags", "ds_ctr_mount"],
           "volume": ["ds_vol_flags", "ds_vol_after", "ds_vol_run", "ds_vol_mount"]}  # fmt: skip


def test_every_creating_verb_is_clash_checked_and_cleaned_whatever_its_flags(
    engine: Docker, images: dict[str, str], tmp_path: Path
) -> None:
    f = tmp_path / "creating.yaml"
    f.write_text(CREATING)
    before = Inventory.read(engine)
    done = dockersim("run", *IMAGE_MAP, str(f))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert Inventory.read(engine) == before  # all of it removed, networks too
    for kind, names in CREATED.items():  # and a learner's own object of any of these names is a clash
        for name in names:
            args = {"network": ["network", "create"], "volume": ["volume", "create"], "container": ["create", "--name"]}
            engine.call([*args[kind], name, *([images["busybox"]] if kind == "container" else [])])
            try:
                clash = dockersim("run", *IMAGE_MAP, str(f))
                assert clash.returncode == 2 and f"{kind} {name}" in clash.stderr, (name, clash.stderr)
            finally:
                rm = {"network": ["network", "rm"], "volume": ["volume", "rm"], "container": ["rm", "-f"]}
                engine.call([*rm[kind], name], check=False)
    assert Inventory.read(engine) == before
