"""The README's main command on Debian's own python3, which refuses `pip install` outside a virtualenv
(PEP 668): scripts/tutorial makes the project's venv with it and runs a scenario."""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

from tests.conftest import ROOT

DEBIAN_PYTHON = "/usr/bin/python3"


def test_scripts_tutorial_with_debian_s_own_python(tmp_path: Path) -> None:
    assert os.access(DEBIAN_PYTHON, os.X_OK), "Debian's python3 is part of what CI promises"
    assert glob.glob("/usr/lib/python3*/EXTERNALLY-MANAGED"), "this Debian python should refuse pip (PEP 668)"
    refused = subprocess.run([DEBIAN_PYTHON, "-m", "pip", "install", "--dry-run", "click"], capture_output=True,
                             text=True)  # fmt: skip
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr + refused.stdout
    env = {**os.environ, "PATH": "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin", "DOCKERSIM_VENV": str(tmp_path)}
    done = subprocess.run(["bash", "scripts/tutorial", "scenarios/2.2.2-listing-containers.yaml"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (tmp_path / "bin" / "python").resolve().parent == Path("/usr/bin")  # the venv is Debian's python's
    assert "passed" in done.stdout
