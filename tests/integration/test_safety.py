"""A learner's engine loses nothing: the whole tutorial runs on the sandbox while the host engine holds
objects with the chapter's names, and a run interrupted at any step leaves nothing it made."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.ownership.inventory import Inventory
from tests.conftest import IMAGE_MAP, dockersim, start_dockersim
from tests.test_coverage import coverage_rows


def test_everything_runs_on_the_sandbox_and_the_host_keeps_its_objects(
    engine: Docker, images: dict[str, str], sandbox: Sandbox
) -> None:
    # With the first client on PATH (28): test_learner runs the whole tutorial with the other (20.10) on the
    # machine's engine, and the sandbox is the same engine to both.
    client = engine
    # A learner's own things on the host engine, named as the chapter names things (a killed test run's first).
    client.call(["rm", "-f", "mycentos"], check=False)
    client.call(["create", "--name", "mycentos", images["busybox"]])
    client.call(["volume", "create", "myvolume"])
    client.call(["tag", images["busybox"], "centos:8"])
    try:
        before = Inventory.read(client)
        done = dockersim("run", "--sandbox", "--offline", "--json", "--docker", client.binary, "scenarios/",
                         timeout=1200)  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        report = json.loads(done.stdout)
        skipped = [st for sc in report["scenarios"] for st in sc["steps"] if st["outcome"] == "skipped"]
        assert report["counts"]["failed"] == 0 and len(report["scenarios"]) >= 6, report["counts"]
        assert all("this step is about podman" in st["reason"] for st in skipped), skipped  # podman's own steps
        steps = {(Path(st["scenario"]).name, st["name"]): st["outcome"]
                 for sc in report["scenarios"] for st in sc["steps"]}  # fmt: skip
        assert all(steps[(f, s)] == "passed" for _, f, s in coverage_rows())  # the sandbox steps too
        assert Inventory.read(client) == before
        assert client.call(["image", "inspect", "centos:8"], check=False).status == 0
    finally:
        client.call(["rm", "-f", "mycentos"], check=False)
        client.call(["volume", "rm", "myvolume"], check=False)
        client.call(["image", "rm", "centos:8"], check=False)


INTERRUPTED = """\
schema_version: 1
images: {busybox: busybox}
steps:
  - run: docker volume create int_vol
  - run: docker run -d --name int_a -v int_vol:/data -v /anon {image.busybox} sleep 60
  - run: docker run -i -t --name int_tty -v int_named:/x {image.busybox}
    tty:
      - expect: '/ # '
      - send: sleep 1; echo slept
      - expect: '^slept'
      - send: exit
      - expect: eof
  - run: docker run --name int_b {image.busybox} sleep 1
  - shell: mkdir -p {workdir}/d && echo x > {workdir}/d/f
  - run: docker run --name int_c -v {workdir}/d:/d {image.busybox} sleep 1
"""


def _lines_until(proc: subprocess.Popen[str], count: int, deadline: float) -> None:
    """Read the progress until the scenario has begun and `count` steps have ended (a `[i/n]` line each)."""
    assert proc.stdout is not None
    seen = -1  # the scenario's title line comes first
    while seen < count:
        left = deadline - time.monotonic()
        assert left > 0, "the run made no progress"
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if ready:
            line = proc.stdout.readline()
            assert line, "the run ended early"
            seen += line.lstrip().startswith("[") or seen == -1


def test_interrupted_at_each_step_leaves_nothing(engine: Docker, images: dict[str, str], tmp_path: Path) -> None:
    scenario = tmp_path / "interrupted.yaml"
    scenario.write_text(INTERRUPTED)
    before = Inventory.read(engine)
    workdirs = set(Path(tempfile.gettempdir()).glob("dockersim-*"))  # where a run makes its own (TMPDIR)
    for step in range(6):
        sig = signal.SIGTERM if step == 3 else signal.SIGINT
        proc = start_dockersim("run", *IMAGE_MAP, str(scenario))
        try:
            _lines_until(proc, step, time.monotonic() + 60)  # the signal lands during step `step + 1`
            proc.send_signal(sig)
            _, err = proc.communicate(timeout=120)
        finally:
            proc.kill()
        assert proc.returncode == 128 + sig, (step, proc.returncode, err)
        assert "interrupted; removed what the run created" in err
        assert Inventory.read(engine) == before, f"left behind after a signal during step {step + 1}"
        assert set(Path(tempfile.gettempdir()).glob("dockersim-*")) == workdirs


def test_an_interrupt_before_the_run_starts_is_clean() -> None:
    proc = start_dockersim("run", "--offline", "scenarios/")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    # Either the signal came before Python could handle it, or dockersim handled it: never a traceback.
    assert proc.returncode in (130, -signal.SIGINT), err
    assert "Traceback" not in err
