"""The report files: JUnit XML against its golden file, and a step's recording as an asciinema cast."""

from __future__ import annotations

import json
from pathlib import Path

from dockersim.report import FILE_REPORTS
from tests.unit.report.golden import golden, report


def test_junit_and_recordings(tmp_path: Path) -> None:
    FILE_REPORTS["junit"](tmp_path / "junit.xml", report(), "en")
    golden("report-junit.xml", (tmp_path / "junit.xml").read_text())
    FILE_REPORTS["recordings"](tmp_path / "casts", report(), "en")
    [cast] = (tmp_path / "casts").rglob("*.cast")
    header, *events = cast.read_text().splitlines()
    assert json.loads(header)["version"] == 2 and [json.loads(e)[2] for e in events] == ["root@1a2b3c4d5e6f:/# ",
                                                                                         "exit\r\n"]  # fmt: skip
    assert cast.name == "01-run-i-t-opens-a-shell.cast"
