"""Each reporter's output for one fixed report, against golden files in tests/golden/ (regenerate with
DOCKERSIM_GOLDEN=write after a deliberate change, and read the diff)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dockersim.report import FILE_REPORTS, reporter
from dockersim.results import Outcome, RunReport, ScenarioResult, StepResult

GOLDEN = Path(__file__).parents[1] / "golden"


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


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_text(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    shown = reporter("text", colour=False, lang=lang)
    r = report()
    shown.scenario_started(r.scenarios[0].title, "s.yaml")
    for step in r.scenarios[0].steps:
        shown.step(step)
    shown.finish(r)
    golden(f"report-{lang}.txt", capsys.readouterr().out)


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    reporter("json").finish(report())
    golden("report.json", capsys.readouterr().out)
    assert json.loads((GOLDEN / "report.json").read_text())["counts"] == {"passed": 1, "failed": 1, "error": 0,
                                                                          "skipped": 1}  # fmt: skip


def test_junit_and_recordings(tmp_path: Path) -> None:
    FILE_REPORTS["junit"](tmp_path / "junit.xml", report())
    golden("report-junit.xml", (tmp_path / "junit.xml").read_text())
    FILE_REPORTS["recordings"](tmp_path / "casts", report())
    [cast] = (tmp_path / "casts").rglob("*.cast")
    header, *events = cast.read_text().splitlines()
    assert json.loads(header)["version"] == 2 and [json.loads(e)[2] for e in events] == ["root@1a2b3c4d5e6f:/# ",
                                                                                         "exit\r\n"]  # fmt: skip
    assert cast.name == "01-run-i-t-opens-a-shell.cast"


def test_an_unknown_reporter_is_one_sentence() -> None:
    from dockersim.errors import DockersimError

    with pytest.raises(DockersimError, match="there is no reporter 'yaml'"):
        reporter("yaml")
