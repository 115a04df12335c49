"""One fixed run report, and the golden files in tests/golden/ that each reporter's output of it is compared
to (regenerate with DOCKERSIM_GOLDEN=write after a deliberate change, and read the diff)."""

from __future__ import annotations

import os

from dockersim.run.results import Outcome, RunReport, ScenarioResult, StepResult
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


def report() -> RunReport:
    steps = [
        StepResult("s.yaml", 1, 3, "run -i -t opens a shell", Outcome.PASSED, 0.4, "docker run -i -t ubuntu",
                   frames=[(0.0, "root@1a2b3c4d5e6f:/# "), (0.1, "exit\r\n")]),
        StepResult("s.yaml", 2, 3, "the container runs", Outcome.FAILED, 0.1, "", "container web is not as expected",
                   ["state: expected running, found exited"], ["hello"], hint="docker logs web", exit_status=0),
        StepResult("s.yaml", 3, 3, "prune", Outcome.SKIPPED, 0.0, "docker container prune -f",
                   "skipped: destructive"),
    ]  # fmt: skip
    return RunReport(engine={"client": "28.2.2", "server": "20.10.24"},
                     scenarios=[ScenarioResult("s.yaml", "2.2.1 Creating containers", steps)],
                     removed=["container 1a2b3c4d5e6f"], notes=["a note"])  # fmt: skip


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("DOCKERSIM_GOLDEN") == "write":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; DOCKERSIM_GOLDEN=write to accept"
