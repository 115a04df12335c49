"""Nothing left behind when dockersim dies: SIGKILL at each step (the reaper removes the run's objects),
a supervisor's SIGINT to the whole process group (one interrupt, a full cleanup), a killed `grade` (its
engines stopped), and dead runs' leftovers found at the next start — never a learner's own objects."""

from __future__ import annotations

import functools
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dockersim.dockercli import commandline
from dockersim.engine.client import Docker
from dockersim.engine.sandbox.slots import running
from dockersim.ownership import journal as journals
from dockersim.ownership import labels as ownership
from dockersim.ownership.inventory import Inventory
from dockersim.ownership.journal import Dir, Header, Tag, Volumes
from dockersim.scenario.loader import load_scenario
from tests.conftest import IMAGE_MAP, ROOT, dockersim, start_dockersim
from tests.integration.test_safety import INTERRUPTED, _lines_until


def settled(read: Callable[[], object], wanted: object, seconds: float = 60.0) -> bool:
    """Poll until read() returns wanted, up to a deadline (the reaper works in the background)."""
    deadline = time.monotonic() + seconds
    while read() != wanted:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)  # poll: the reaper removing what the run made, bounded by the deadline
    return True


def grading() -> list[str]:
    """The grading engines running (the tutorial's sandbox may run beside them, for other tests)."""
    return [name for name in running() if name.startswith("grade-")]


def one_of_each_kind(scenario: Path) -> list[int]:
    """The steps a kill lands in, counted from 0: the first of each kind (its verb, with a session or not, a
    shell line), and the last. A kill in each of a chapter's 25 steps is 25 runs, each as long as the steps
    before it, for no kind of step more."""
    kinds: dict[tuple[str, bool], int] = {}
    steps = load_scenario(scenario).steps
    for i, step in enumerate(steps):
        cmd = commandline.parse(step.run) if step.run else None
        verb = cmd.path if cmd is not None else "shell"
        kinds.setdefault((verb, bool(step.tty)), i)
    return sorted({*kinds.values(), len(steps) - 1})


@pytest.fixture
def learners_own(engine: Docker, images: dict[str, str]) -> Iterator[None]:
    """A learner's own container and volume beside the runs: they must survive all of it."""
    engine.call(["create", "--name", "learners_keep", images["busybox"]])
    engine.call(["volume", "create", "learners_keep_volume"])
    yield
    engine.call(["rm", "-f", "learners_keep"], check=False)
    engine.call(["volume", "rm", "learners_keep_volume"], check=False)


@pytest.mark.parametrize("which", ["tutorial 2.2.1", "tty and volumes"])
@pytest.mark.usefixtures("learners_own")
def test_sigkill_at_each_step_leaves_nothing_once_the_reaper_is_done(
    engine: Docker, tmp_path: Path, which: str
) -> None:
    if which == "tty and volumes":
        scenario = tmp_path / "killed.yaml"
        scenario.write_text(INTERRUPTED)
        args, steps = [*IMAGE_MAP, str(scenario)], list(range(6))
    else:
        scenario = ROOT / "scenarios/2.2.1-creating-containers.yaml"
        args, steps = ["--offline", str(scenario)], one_of_each_kind(scenario)
    before = Inventory.read(engine)
    workdirs = set(Path(tempfile.gettempdir()).glob("dockersim-*"))  # where a run makes its own (TMPDIR)
    for step in steps:
        proc = start_dockersim("run", *args)
        try:
            _lines_until(proc, step, time.monotonic() + 120)  # SIGKILL lands during step `step + 1`
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            proc.kill()
        assert settled(lambda: Inventory.read(engine), before), f"left behind after SIGKILL in step {step + 1}"
        assert settled(lambda: set(Path(tempfile.gettempdir()).glob("dockersim-*")), workdirs)
        assert settled(functools.partial(_journals_of, proc.pid), [])  # the reaper is done
    again = dockersim("run", *args)  # no clash with anything the killed runs made
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert Inventory.read(engine) == before


@pytest.mark.usefixtures("learners_own")
def test_a_supervisor_s_sigint_to_the_process_group_is_one_interrupt(engine: Docker, tmp_path: Path) -> None:
    scenario = tmp_path / "timed_out.yaml"
    scenario.write_text(INTERRUPTED)
    before = Inventory.read(engine)
    # GNU timeout signals dockersim, then its whole process group: the same SIGINT twice at once.
    for seconds in ("1", "2.5", "4", "6"):
        done = subprocess.run(
            ["timeout", "--preserve-status", "-s", "INT", seconds, sys.executable, "-m", "dockersim", "run",
             *IMAGE_MAP, str(scenario)],
            capture_output=True, text=True, cwd=ROOT, timeout=180,
        )  # fmt: skip
        if done.returncode == 0:
            continue  # the run was over before the signal
        assert done.returncode == 130, (seconds, done.returncode, done.stderr[-2000:])
        assert "Traceback" not in done.stderr
        assert settled(lambda: Inventory.read(engine), before), f"left behind by timeout -s INT {seconds}"


@pytest.mark.usefixtures("learners_own")
def test_a_dead_run_s_leftovers_are_removed_at_the_next_start(engine: Docker, images: dict[str, str]) -> None:
    """The reaper killed too, or a reboot: the next start finds the journal of a run whose owner is gone."""
    before = Inventory.read(engine)
    run_id, dead = "deadbeef0001", f"{socket.gethostname()}/a-boot-before/4242/1"  # the machine restarted
    labels = [f"--label={ownership.LABEL_KEY}={run_id}", f"--label={ownership.OWNER_KEY}={dead}"]
    engine.call(["create", *labels, "--name", "reaped_one", images["busybox"]])
    engine.call(["volume", "create", "reaped_named"])  # made by `-v NAME:/path`: named in the journal only
    journal = ownership.state_dir() / f"{run_id}.jsonl"
    journal.parent.mkdir(parents=True, exist_ok=True)
    entries: list[journals.Entry] = [Header.of(run_id, dead, engine), Volumes(("reaped_named",))]
    journal.write_text("".join(map(journals.line, entries)))
    # An orphan of another dead run whose journal is lost: found by its owner label alone.
    orphan = [f"--label={ownership.LABEL_KEY}=deadbeef0002", f"--label={ownership.OWNER_KEY}={dead}"]
    engine.call(["volume", "create", *orphan, "reaped_orphan"])

    dry = dockersim("clean", "--dry-run")
    assert dry.returncode == 0 and "reaped_named" in dry.stdout and "reaped_orphan" in dry.stdout, dry.stdout
    assert engine.call(["inspect", "reaped_one"], check=False).status == 0  # a dry run removes nothing
    done = dockersim("run", *IMAGE_MAP, str(ROOT / "scenarios/2.2.2-listing-containers.yaml"))
    assert "removed what runs that died had left" in done.stderr, done.stderr[-2000:]
    assert engine.call(["inspect", "reaped_one"], check=False).status != 0 and not journal.exists()
    clean = dockersim("clean")
    assert clean.returncode == 0 and "reaped_orphan" in clean.stdout, clean.stdout + clean.stderr
    assert Inventory.read(engine) == before  # the learner's own container and volume are still there


def test_a_dead_grade_gives_a_shared_engine_s_image_names_back(engine: Docker, images: dict[str, str],
                                                               tmp_path: Path) -> None:  # fmt: skip
    """A grade run on an engine named by --engine died: the names it pointed elsewhere (the kit's, a
    student's `docker tag`) point where they did, those it added are gone, and the folder of the context's
    keys goes last."""
    theirs, added = "dsim-reap/theirs:1", "dsim-reap/added:1"
    busybox, other = (engine.call(["image", "inspect", "--format", "{{.Id}}", images[k]]).stdout.strip()
                      for k in ("busybox", "ubuntu:14.04"))  # fmt: skip
    engine.call(["tag", images["busybox"], theirs])
    keys = tmp_path / "dockersim-context-x"
    keys.mkdir()
    run_id, dead = "deadbeef0003", f"{socket.gethostname()}/a-boot-before/4243/1"
    entries: list[journals.Entry] = [
        Header.of(run_id, dead, engine),
        Dir(str(keys)),
        Tag(theirs, busybox),
        Tag(added, ""),
        Tag(theirs, other),
    ]

    engine.call(["tag", images["ubuntu:14.04"], theirs])  # what the run did before it died
    engine.call(["tag", images["ubuntu:14.04"], added])
    journal = ownership.state_dir() / f"{run_id}.jsonl"
    journal.write_text("".join(map(journals.line, entries)))
    try:
        clean = dockersim("clean")
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert engine.call(["image", "inspect", "--format", "{{.Id}}", theirs]).stdout.strip() == busybox
        assert engine.call(["image", "inspect", added], check=False).status != 0
        assert engine.call(["image", "inspect", "--format", "{{.Id}}", images["ubuntu:14.04"]]).stdout.strip() == other
        assert not keys.exists() and not journal.exists()
    finally:
        engine.call(["image", "rm", theirs, added], check=False)


@pytest.mark.grading
@pytest.mark.parametrize("kind", ["docker", "podman"])
def test_a_killed_grade_leaves_no_engine_running(kind: str, engine: Docker, tmp_path: Path) -> None:
    # Submissions that keep their engines busy for a while: grading itself is over in seconds.
    folders = []
    for student in ("slow_one", "slow_two"):
        (tmp_path / student).mkdir()
        (tmp_path / student / "commands.sh").write_text("docker run ubuntu:14.04 sleep 299\n")
        folders.append(str(tmp_path / student))
    podman = ["--docker", "podman"] if kind == "podman" else []
    spec = ROOT / "examples" / "hw-network" / "spec.yaml"  # its reference passes on podman too
    proc = start_dockersim("grade", *podman, "--jobs", "2", "--out", str(tmp_path / "grades"), str(spec), *folders)
    try:
        assert settled(lambda: len(grading()) >= 2, True, 300), "the grading engines did not start"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert settled(grading, [], 120), grading()
    status = dockersim("engine", "status")
    assert "no grading engine runs" in status.stdout, status.stdout
    assert not any(Path("/run/netns").glob("dockersim-grade-*"))
    assert settled(lambda: [p.name for p in Path("/proc").iterdir() if _runs(p, b"sleep\0" + b"299")], [], 60)


def _journals_of(pid: int) -> list[Path]:
    """The journals of the run that was this process (runs of other tests may write theirs meanwhile)."""
    found = []
    for path in ownership.state_dir().glob("*.jsonl"):
        try:
            header = json.loads(path.read_text().splitlines()[0])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile, or being written
        if str(header.get("owner", "")).split("/")[2:3] == [str(pid)]:
            found.append(path)
    return found


def _runs(proc: Path, argv: bytes) -> bool:
    """Whether a process (/proc/PID) runs this argv (its words joined by NUL bytes)."""
    try:
        return proc.name.isdigit() and (proc / "cmdline").read_bytes().startswith(argv)
    except OSError:
        return False
