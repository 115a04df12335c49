"""The text reporter, in English and Korean, against its golden files."""

from __future__ import annotations

import pytest

from dockersim.report import reporter
from tests.unit.report.golden import golden, report


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_text(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    shown = reporter("text", colour=False, lang=lang)
    r = report()
    shown.scenario_started(r.scenarios[0].title, "s.yaml")
    for step in r.scenarios[0].steps:
        shown.step(step)
    shown.finish(r)
    golden(f"report-{lang}.txt", capsys.readouterr().out)
