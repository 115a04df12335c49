"""`dockersim grade --engine CONTEXT`: the example homework graded over three private engines on this
machine reached through docker contexts (two unix sockets, one tcp on 127.0.0.1), one of them made to fail
mid-run; the gradebook is the one grading them on one engine writes (tests/golden), and nothing on the
engines but the run's is touched."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.engine.sandbox.slots import private
from dockersim.kit import stand_ins as kit
from dockersim.ownership.inventory import empty
from dockersim.ownership.labels import state_home
from tests.conftest import ROOT
from tests.engine_log import Forwarder
from tests.integration.test_grading import HW

pytestmark = pytest.mark.grading  # scripts/test's grading lane


Engines = tuple[dict[str, str], Forwarder, list[str]]  # the contexts' config, the cuttable one, where ports answer


@pytest.fixture
def engines(engine: Docker, images: dict[str, str], tmp_path: Path) -> Iterator[Engines]:
    """Three private engines sharing the grade run's workspaces folder, as contexts in a config of the test's.
    The third is warmed with the kit's images, so it is first to ask for a submission (the one to fail)."""
    workspaces = tmp_path / "out" / "workspaces"
    with contextlib.ExitStack() as slots:  # each on a slot of the machine's: clear of any grading run's
        boxes = [slots.enter_context(private(f"pool-test-{i}", isolated=True, shared=(workspaces,))) for i in range(3)]
        yield from _engines(engine, boxes, tmp_path)


def _engines(engine: Docker, boxes: list[Sandbox], tmp_path: Path) -> Iterator[Engines]:
    for box in boxes:
        box.down(purge=True)  # fresh: the pool copies the kit into each
        box.up()
    third = Docker(env={"DOCKER_HOST": boxes[2].docker_host, "DOCKER_CONTEXT": ""})
    kit.copy(engine, third, [r.tag for r in kit.RECIPES.values() if r.stands_for], lambda _line: None)
    forwarder = Forwarder.tcp(str(boxes[2].socket))  # the engine the test cuts
    config = tmp_path / "docker-config"
    env = {**os.environ, "DOCKER_CONFIG": str(config)}
    env.pop("DOCKER_CONTEXT", None)
    endpoints = [boxes[0].docker_host, boxes[1].docker_host, f"tcp://127.0.0.1:{forwarder.port}"]
    for i, endpoint in enumerate(endpoints):
        subprocess.run(["docker", "context", "create", f"lab{i}", "--docker", f"host={endpoint}"], env=env,
                       check=True, capture_output=True)  # fmt: skip
    yield env, forwarder, [box.engine_host for box in boxes]
    forwarder.close()
    for box in boxes:
        box.down(purge=True)


FOLDERS = sorted(str(p) for p in (HW / "submissions").iterdir())
# The gradebook `--jobs 1` writes for them, and test_grading's `--jobs 2` run too (it holds itself to it).
GRADEBOOK = ROOT / "tests" / "golden" / "hw-wordpress-gradebook.csv"
assert len(FOLDERS) >= 5, f"{HW}/submissions: fewer submissions than the tests below grade"


def test_graded_over_three_contexts_one_failing(engine: Docker, engines: Engines, tmp_path: Path) -> None:
    env, forwarder, engine_hosts = engines
    folders = FOLDERS

    # The engine's own objects, which a run must never touch.
    lab0 = Docker("docker", "lab0", {"DOCKER_CONFIG": env["DOCKER_CONFIG"]})
    kit.copy(engine, lab0, ["dockersim/busybox:latest"], lambda _line: None)
    lab0.call(["tag", "dockersim/busybox", "instructors/own:1"])
    lab0.call(["volume", "create", "instructors-own"])
    lab0.call(["create", "--name", "instructors-own", "instructors/own:1", "true"])

    out = tmp_path / "out"
    hosts = [f"lab{i}={host}" for i, host in enumerate(engine_hosts)]
    argv = [sys.executable, "-m", "dockersim", "grade", "--out", str(out), *(a for h in hosts for a in ("--engine", h)),
            str(HW / "spec.yaml"), *folders]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stderr is not None
    lines, victim = [], ""
    for line in proc.stderr:  # the third engine is cut off as soon as it starts on a student's work
        lines.append(line)
        found = re.search(r"lab2: grading (\w+)$", line.strip())
        if found and not victim:
            victim = found[1]
            forwarder.close()
    stdout, _ = proc.communicate(timeout=1800)
    log = "".join(lines)
    assert proc.returncode == 0, log[-3000:] + stdout
    assert victim, log[-3000:]

    assert (out / "gradebook.csv").read_text() == GRADEBOOK.read_text(), log[-3000:]
    results = json.loads((out / "results.json").read_text())
    records = {e["name"]: e for e in results["engines"]}
    assert f"while grading {victim}" in records["lab2"]["set_aside"], records
    assert records["lab0"]["canary"] == records["lab1"]["canary"] == "18/18"
    [graded] = [s for s in results["students"] if s["student"] == victim]
    assert graded["engine"] in ("lab0", "lab1")
    assert sorted(records["lab0"]["graded"] + records["lab1"]["graded"]) == sorted(Path(f).name for f in folders)
    assert "lab2 set aside" in log

    # Only what the run made was removed; the engine's own objects are there as they were.
    assert lab0.call(["volume", "ls", "-q"]).stdout.split() == ["instructors-own"]
    assert lab0.call(["ps", "-a", "--format", "{{.Names}}"]).stdout.split() == ["instructors-own"]
    assert lab0.call(["image", "inspect", "instructors/own:1"], check=False).status == 0


@pytest.fixture
def ssh_engine(engine: Docker, tmp_path: Path) -> Iterator[tuple[dict[str, str], Path, str]]:
    """A private engine behind an sshd of the test's on 127.0.0.1 (its `docker system dial-stdio` reaches
    that engine), as the context `labssh` in a config of the test's; an ssh_config for it, and sshd's log."""
    workspaces = tmp_path / "out" / "workspaces"
    with private("pool-test-ssh", isolated=True, shared=(workspaces,)) as box:
        yield from _ssh_engine(box, tmp_path)


def _kept(box: Sandbox) -> None:
    """The engine up with nothing in it but the images it kept from an earlier run (the kit's, which the pool
    copies in where missing: test_graded_over_three_contexts_one_failing copies into fresh engines)."""
    box.down()
    box.up()
    empty(Docker(env={"DOCKER_HOST": box.docker_host, "DOCKER_CONTEXT": ""}))


def _ssh_engine(box: Sandbox, tmp_path: Path) -> Iterator[tuple[dict[str, str], Path, str]]:
    _kept(box)
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / name)], check=True)
    (tmp_path / "authorized_keys").write_text((tmp_path / "client.pub").read_text())
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    (tmp_path / "sshd_config").write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {tmp_path / "host"}
PidFile {tmp_path / "sshd.pid"}
AuthorizedKeysFile {tmp_path / "authorized_keys"}
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
SetEnv DOCKER_HOST={box.docker_host}
""")
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation folder
    log = tmp_path / "sshd.log"
    sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(tmp_path / "sshd_config")],
                            stderr=log.open("w"))  # fmt: skip
    (tmp_path / "ssh_config").write_text(f"""Host lab-ssh
  HostName 127.0.0.1
  Port {port}
  User root
  IdentityFile {tmp_path / "client"}
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
""")
    env = {**os.environ, "DOCKER_CONFIG": str(tmp_path / "docker-config"),
           "DOCKERSIM_SSH_CONFIG": str(tmp_path / "ssh_config")}  # fmt: skip
    env.pop("DOCKER_CONTEXT", None)
    subprocess.run(["docker", "context", "create", "labssh", "--docker", "host=ssh://lab-ssh"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    deadline = time.monotonic() + 30
    while "Server listening" not in log.read_text():
        assert sshd.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)  # poll: until sshd listens, bounded by the deadline
    yield env, log, box.engine_host
    sshd.terminate()
    sshd.wait(timeout=30)
    box.down()


def test_an_ssh_engine_is_graded_over_one_connection(ssh_engine: tuple[dict[str, str], Path, str],
                                                     tmp_path: Path) -> None:  # fmt: skip
    """Over ssh:// every docker call rides on one SSH connection, and the engine's host files (alice's
    database in /home/wordpress_db) are made and read through the engine, as on another machine."""
    env, log, host = ssh_engine
    out = tmp_path / "out"
    picked = [f for f in FOLDERS if Path(f).name == "alice"]  # her database's host folder: the engine's files
    done = subprocess.run([sys.executable, "-m", "dockersim", "grade", "--out", str(out), "--engine",
                           f"labssh={host}", str(HW / "spec.yaml"), *picked], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1800)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    with GRADEBOOK.open() as f:
        rows = [row for row in csv.reader(f) if row[0] in ("student", "alice")]
    with (out / "gradebook.csv").open() as f:
        assert list(csv.reader(f)) == rows
    assert log.read_text().count("Accepted publickey") == 1, log.read_text()[-3000:]
    assert not list(Path(tempfile.gettempdir()).glob("dsim-ssh-*"))  # the shared connection's folder went


def test_no_engine_left_is_said_and_fails(engine: Docker, tmp_path: Path) -> None:
    """Every engine set aside (here: a context whose engine does not answer): the files say why, exit 1."""
    env = {**os.environ, "DOCKER_CONFIG": str(tmp_path / "docker-config")}
    env.pop("DOCKER_CONTEXT", None)
    subprocess.run(["docker", "context", "create", "gone", "--docker", f"host=unix://{tmp_path}/none.sock"], env=env,
                   check=True, capture_output=True)  # fmt: skip
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "dockersim", "grade", "--json", "--out", str(out), "--engine", "gone",
                           str(HW / "spec.yaml"), str(HW / "submissions" / "bob")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "not graded, as no engine was left to grade them: bob" in done.stderr
    results = json.loads((out / "results.json").read_text())
    assert json.loads(done.stdout) == results  # --json: what it wrote, on stdout too
    assert "does not answer" in results["engines"][0]["set_aside"]
    assert "every engine was set aside" in results["students"][0]["notes"][0]
    assert not list((state_home() / "contexts").glob("dockersim-context-*"))  # its keys' copy went with it


@pytest.fixture
def shared_engine(engine: Docker, tmp_path: Path) -> Iterator[tuple[dict[str, str], Docker, str]]:
    """A private engine holding objects of its owner's, as the context `shared` in a config of the test's;
    its address, with where its published ports answer, as --engine takes it."""
    with private("pool-test-shared", isolated=True, shared=(tmp_path / "out" / "workspaces",)) as box:
        yield from _shared_engine(engine, box, tmp_path)


def _shared_engine(engine: Docker, box: Sandbox, tmp_path: Path) -> Iterator[tuple[dict[str, str], Docker, str]]:
    _kept(box)
    env = {**os.environ, "DOCKER_CONFIG": str(tmp_path / "docker-config")}
    env.pop("DOCKER_CONTEXT", None)
    subprocess.run(["docker", "context", "create", "shared", "--docker", f"host={box.docker_host}"], env=env,
                   check=True, capture_output=True)  # fmt: skip
    own = Docker("docker", "shared", {"DOCKER_CONFIG": env["DOCKER_CONFIG"]})
    kit.copy(engine, own, ["dockersim/busybox:latest"], lambda _line: None)
    own.call(["tag", "dockersim/busybox", "owners/image:1"])
    own.call(["tag", "dockersim/busybox", "owners/later:1"])
    own.call(["volume", "create", "owners-volume"])
    own.call(["network", "create", "owners-net"])
    own.call(["run", "-d", "--name", "owners-box", "-v", "owners-volume:/data", "owners/image:1", "sleep", "3600"])
    yield env, own, f"{box.docker_host}={box.engine_host}"
    own.call(["rm", "-f", "owners-box"], check=False)  # its `sleep` as PID 1 would hold dockerd's stop for 10 s
    box.down()


HOSTILE = """\
docker rm -f owners-box
docker stop owners-box
docker exec owners-box ls /data
docker inspect owners-box
docker volume rm owners-volume
docker run --rm -v owners-volume:/d busybox ls /d
docker run --rm --volumes-from owners-box busybox ls /data
docker run --rm --network owners-net busybox true
docker run --rm --network container:owners-box busybox true
docker network rm owners-net
docker rmi -f owners/image:1
docker tag busybox owners/image:1
docker inspect --type plugin owners-plugin
docker pull --all-tags busybox
docker tag busybox mine:1
docker run -d --name web busybox sleep 600
docker rm -f $(docker ps -aq)
docker volume create mine
docker volume rm mine
docker ps -a
"""


def test_a_submission_reaches_only_what_it_made_on_a_shared_engine(shared_engine: tuple[dict[str, str], Docker, str],
                                                                    tmp_path: Path) -> None:  # fmt: skip
    """On an engine named by --engine (by its address), a line that names an object of the engine's own (a
    container, a volume, a network, an image; to remove, enter, mount, join or re-tag it) is refused as it is
    about to run, and what the submission made or named is gone after; the owner's objects are as they were."""
    env, own, address = shared_engine
    spec = tmp_path / "spec.yaml"
    spec.write_text("schema_version: 1\ntitle: shared\ntime_limit: 120\nsettle: 1\nchecks:\n"
                    "  - {name: nothing runs, check: {container: web, state: absent}}\n")  # fmt: skip
    folder = tmp_path / "submissions" / "mallory"
    folder.mkdir(parents=True)
    (folder / "commands.sh").write_text(HOSTILE)
    (folder / "session.yaml").write_text("schema_version: 1\nsteps:\n  - run: docker rm -f owners-box\n"
                                         "  - run: docker exec -i owners-box ls /data\n")  # fmt: skip
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "dockersim", "grade", "--out", str(out), "--engine", address,
                           str(spec), str(folder)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    [student] = json.loads((out / "results.json").read_text())["students"]
    refused = {line["number"]: line["refused"] for line in student["lines"] if line["refused"]}
    assert sorted(refused) == list(range(1, 15)), student["lines"]
    assert all("which this submission did not make" in why for n, why in refused.items() if n != 14)
    assert "the container owners-box" in refused[1] and "the image owners/image:1" in refused[12]
    assert "plugin owners-plugin" in refused[13] and "--all-tags" in refused[14]
    assert [line["status"] for line in student["lines"][14:]] == [0, 0, 0, 0, 0, 0]  # its own: made, and removed
    [header] = student["lines"][-1]["output"]  # its `docker ps -a` lists none of the owner's containers
    assert header.startswith("CONTAINER ID")
    assert [step["outcome"] for step in student["session"]] == ["failed", "failed"], student["session"]
    assert all("which this submission did not make" in step["reason"] for step in student["session"])
    assert student["score"] == 1

    assert own.call(["ps", "-a", "--format", "{{.Names}} {{.State}}"]).stdout.split() == ["owners-box", "running"]
    assert own.call(["volume", "ls", "-q"]).stdout.split() == ["owners-volume"]
    assert "owners-net" in own.call(["network", "ls", "--format", "{{.Name}}"]).stdout.split()
    images = own.call(["image", "ls", "--format", "{{.Repository}}:{{.Tag}}"]).stdout.split()
    assert "mine:1" not in images and {"owners/image:1", "owners/later:1", "dockersim/busybox:latest"} <= set(images)
    same = own.call(["image", "inspect", "--format", "{{.Id}}", "owners/image:1", "dockersim/busybox"]).stdout.split()
    assert len(set(same)) == 1, same
