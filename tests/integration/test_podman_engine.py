"""The whole tutorial on podman (issue 16): `dockersim run --docker podman --offline scenarios/` on a podman
storage of the test's own, the kit copied from the docker engine and served by the kit's registry. Every
step passes, or is skipped because it is about what podman does not have or does otherwise, saying why."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dockersim.driver import Docker
from tests.conftest import ROOT


def test_the_tutorial_on_podman(engine: Docker, images: dict[str, str], tmp_path: Path) -> None:
    assert shutil.which("podman"), "the podman tests need podman (scripts/ensure-podman installs it)"
    # A storage of its own: the prunes and rmi steps (--allow-destructive) reach nothing of the machine's.
    # Its run root short: an attach socket's path under it must fit a socket address (108 bytes), or
    # `podman run -i -t` never sees its container end.
    run_root = tempfile.mkdtemp(prefix="dsim-", dir="/run")
    conf = tmp_path / "storage.conf"
    conf.write_text(f'[storage]\ndriver = "overlay"\ngraphroot = "{tmp_path}/root"\nrunroot = "{run_root}"\n')
    env = {**os.environ, "CONTAINERS_STORAGE_CONF": str(conf)}
    try:
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
        left = subprocess.run(["podman", "ps", "-a", "-q"], env=env, capture_output=True, text=True, check=True)
        assert left.stdout.split() == []  # every container the run made is gone
    finally:
        # Its images, then its folders (not `system reset`: that would also remove the machine's networks).
        subprocess.run(["podman", "rmi", "--all", "--force"], env=env, capture_output=True, timeout=300)
        # The storage keeps its overlay folder mounted on itself (a private bind) after podman ends.
        subprocess.run(["umount", str(tmp_path / "root" / "overlay")], capture_output=True, timeout=60)
        shutil.rmtree(tmp_path / "root", ignore_errors=True)
        shutil.rmtree(run_root, ignore_errors=True)
