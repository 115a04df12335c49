"""The report files: JUnit XML against its golden file, and a step's recording as an asciinema cast."""

from __future__ import annotations

import json
from pathlib import Path

from dockersim.report import FILE_REPORTS, write_file_report
from tests.unit.report.golden import golden, report


def test_junit_and_recordings(tmp_path: Path) -> None:
    write_file_report("junit", tmp_path / "junit.xml", report(), "en")
    golden("report-junit.xml", (tmp_path / "junit.xml").read_text())
    write_file_report("recordings", tmp_path / "casts", report(), "en")
    [cast] = (tmp_path / "casts").rglob("*.cast")
    header, *events = cast.read_text().splitlines()
    assert json.loads(header)["version"] == 2 and [json.loads(e)[2] for e in events] == ["root@1a2b3c4d5e6f:/# ",
                                                                                         "exit\r\n"]  # fmt: skip
    assert cast.name == "01-run-i-t-opens-a-shell.cast"


def test_each_file_report_names_a_writer_that_is_there() -> None:
    """They are found by name when a run asks for them (a run that writes none imports none)."""
    import importlib

    for where in FILE_REPORTS.values():
        module, _, name = where.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), where
