"""The message catalogue: every sentence in both languages, with the same blanks to fill."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from dockersim.i18n.phrase import CATALOGUE, default_lang, say
from dockersim.scenario.loader import load_scenario
from tests.conftest import ROOT


def blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_in_both_languages(key: str) -> None:
    entry = CATALOGUE[key]
    assert set(entry) == {"en", "ko"}
    assert blanks(entry["en"]) == blanks(entry["ko"])


def test_say_picks_the_language() -> None:
    assert say("timed_out", "en", seconds=5) == "the command did not finish within 5s"
    assert say("timed_out", "ko", seconds=5) == "명령이 5초 안에 끝나지 않았습니다"


def test_default_language_follows_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("DOCKERSIM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert default_lang() == "ko"
    monkeypatch.setenv("DOCKERSIM_LANG", "en")
    assert default_lang() == "en"


def test_scenarios_speak_both_languages() -> None:
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert len(paths) >= 6
    for path in paths:
        scenario = load_scenario(path)
        assert scenario.title["ko"] != scenario.title["en"], path
        for step in scenario.steps:
            assert step.name.get("ko"), f"{path.name} step {step.index} has no Korean name"
            assert not step.task or step.task.get("ko"), f"{path.name} step {step.index} has no Korean task"


def test_a_korean_report_has_no_english_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    from dockersim.report.text import TextReporter
    from dockersim.run.results import Outcome, RunReport, ScenarioResult, StepResult

    failed = StepResult("s.yaml", 1, 2, "컨테이너 실행", Outcome.FAILED, 0.1, "docker run x",
                        say("check_failed", "ko", what="container web"), hint="docker logs web",
                        details=[say("mismatch", "ko", field="state", expected="running", found="exited")],
                        screen=["hello"])  # fmt: skip
    passed = StepResult("s.yaml", 2, 2, "목록 보기", Outcome.PASSED, 0.1, "docker ps")
    report = RunReport(engine={}, scenarios=[ScenarioResult("s.yaml", "2.2.1 컨테이너", [failed, passed])],
                       removed=["container abc"], notes=["x"])  # fmt: skip
    reporter = TextReporter(colour=False, lang="ko")
    reporter.step(failed)
    reporter.finish(report)
    out = capsys.readouterr().out
    for english in ("expected", "found", "passed", "failed", "hint:", "scenario", "removed", "note:", "screen"):
        assert english not in out, english
    assert "실패" in out and "통과" in out and "힌트: docker logs web" in out


def test_no_key_is_written_twice() -> None:
    """A key given twice in the catalogue's source would silently keep only its last sentence."""
    import ast

    import dockersim.i18n

    keys = []
    for part in sorted(Path(dockersim.i18n.__file__).parent.glob("*.py")):
        tree = ast.parse(part.read_text(encoding="utf-8"))
        keys += [str(k.value) for node in ast.walk(tree) if isinstance(node, ast.Dict) and len(node.keys) > 10
                 for k in node.keys if isinstance(k, ast.Constant)]  # fmt: skip
    assert len(keys) > 200
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
