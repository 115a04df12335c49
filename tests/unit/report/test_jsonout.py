"""The JSON reporter against its golden file."""

from __future__ import annotations

import json

import pytest

from dockersim.report import reporter
from tests.unit.report.golden import GOLDEN, golden, report


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    reporter("json").finish(report())
    golden("report.json", capsys.readouterr().out)
    assert json.loads((GOLDEN / "report.json").read_text())["counts"] == {"passed": 1, "failed": 1, "error": 0,
                                                                          "skipped": 1}  # fmt: skip
