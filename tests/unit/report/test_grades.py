"""What grading writes: a student's feedback and Gradescope output in either language, and gradebooks merged
from per-submission results as one run over all would have written them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from dockersim.run.results import Outcome
from tests.conftest import ROOT


def test_korean_feedback_says_no_english_sentence(tmp_path: Path) -> None:
    """A student's feedback and Gradescope output in Korean: refusals, mismatches, failed lines, notes and
    headings from the catalogue; the data files stay in English."""
    from dockersim.checks.base import Mismatch
    from dockersim.grading.homework import load_spec
    from dockersim.grading.result import CheckOutcome, Grade, LineResult
    from dockersim.grading.submission import read_commands
    from dockersim.i18n.phrase import Phrase, localise
    from dockersim.report.grades import feedback, gradescope, summary_text, write_all
    from tests.english import english_sentences

    # The instructor's own words (the title, the checks' names) are theirs to write in Korean.
    spec = dataclasses.replace(load_spec(ROOT / "examples" / "hw-wordpress" / "spec.yaml"),
                               title="과제 1")  # fmt: skip
    text = "docker run --privileged busybox\ndocker -Hunix:///x.sock ps\necho hi | cat\ndocker run -dv x busybox"
    lines = read_commands(text, tmp_path, spec.policy)
    assert all(line.refused for line in lines[:3]) and isinstance(lines[0].refused, Phrase)
    mismatch = Mismatch("state", "running", "exited")
    details: list[str] = [Phrase("mismatch", field=mismatch.field, expected=mismatch.expected, found=mismatch.found)]
    grade = Grade("kim", 3, 10, notes=[Phrase("g_no_file", file="session.yaml")],
                  checks=[CheckOutcome(1, "wordpressdb 실행", 5, 0, Outcome.FAILED, details, hint="-d 를 쓰세요"),
                          CheckOutcome(2, "secret", 5, 0, Outcome.FAILED, ["x"], hidden=True)],
                  lines=[*(LineResult(line.number, line.text, refused=line.refused) for line in lines[:3]),
                         LineResult(4, lines[3].text, status=125),
                         LineResult(5, "docker ps", skipped=Phrase("g_not_run"))])  # fmt: skip
    written = [feedback(spec, grade, "ko"), json.dumps(gradescope(grade, "ko"), ensure_ascii=False, indent=1),
               summary_text([grade], tmp_path, "ko")]  # fmt: skip
    for out in written:
        assert english_sentences(out) == [], out
    assert "--privileged: 컨테이너에 채점 기계를 다룰 힘을 줍니다" in written[0]
    assert "state: running을(를) 기대했지만 exited입니다" in written[0]
    assert localise(grade.lines[0].refused, "en") in feedback(spec, grade, "en")
    write_all(spec, [grade], tmp_path / "out", "ko")  # the data, copied through asdict, keeps its phrases
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert saved["students"][0]["lines"][0]["refused"] == str(lines[0].refused)


def test_merged_gradebook_equals_one_run_s(tmp_path: Path) -> None:
    """Per-submission results merged give the gradebook, results and JUnit one run over all would, and
    each student's own files as they were written; a second spec or a student twice is one sentence."""
    from dockersim.errors import DockersimError
    from dockersim.grading.homework import GradedCheck, load_spec
    from dockersim.grading.result import CheckOutcome, Grade, LineResult
    from dockersim.i18n.phrase import Phrase
    from dockersim.report.grades import merge, write_all

    spec = load_spec(ROOT / "examples" / "hw-wordpress" / "spec.yaml")
    refused = Phrase("r_option_why", option="--privileged", reason=Phrase("r_power"))

    def outcome(c: GradedCheck, ok: bool) -> CheckOutcome:
        details = [] if ok else ["state: expected running, found exited"]
        return CheckOutcome(
            c.index, c.name, c.points, c.points if ok else 0, (Outcome.FAILED, Outcome.PASSED)[ok], details
        )

    lines = [LineResult(1, "docker run --privileged x", refused=refused), LineResult(2, "docker ps", 0)]
    grades = [Grade(name, i, spec.max_points, [outcome(c, i % 2 == 1) for c in spec.checks], lines, seconds=float(i))
              for i, name in enumerate(["carol", "alice", "bob"])]  # fmt: skip
    write_all(spec, sorted(grades, key=lambda g: g.student), tmp_path / "whole", "ko")
    for g in grades:
        write_all(spec, [g], tmp_path / "parts" / g.student, "ko")
    merged = merge(sorted((tmp_path / "parts").iterdir()), tmp_path / "merged")
    assert [g.student for g in merged] == ["alice", "bob", "carol"]
    for name in ("gradebook.csv", "results.json", "junit/bob.xml", "feedback/bob.md", "gradescope/bob/results.json"):
        assert (tmp_path / "merged" / name).read_text() == (tmp_path / "whole" / name).read_text(), name
    with pytest.raises(DockersimError, match="graded in both"):
        merge([tmp_path / "parts" / "bob", tmp_path / "whole"], tmp_path / "again")
    other = json.loads((tmp_path / "parts" / "bob" / "results.json").read_text())
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "results.json").write_text(json.dumps({**other, "title": "HW2", "students": []}))
    with pytest.raises(DockersimError, match="graded with another spec \\(title not as in"):
        merge([tmp_path / "parts" / "alice", tmp_path / "other"], tmp_path / "again")
    (tmp_path / "other" / "results.json").write_text(json.dumps({**other, "spec": "./elsewhere/spec.yaml"}))
    assert merge(
        [tmp_path / "parts" / "alice", tmp_path / "other"], tmp_path / "paths"
    )  # the same spec, typed otherwise
    (tmp_path / "evil").mkdir()
    evil = {**other, "students": [{**other["students"][0], "student": "../../etc"}]}
    (tmp_path / "evil" / "results.json").write_text(json.dumps(evil))
    with pytest.raises(DockersimError, match="not a student's folder name"):
        merge([tmp_path / "evil"], tmp_path / "again")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "results.json").write_text('{"spec": "x",\n "students": [1]}')
    (tmp_path / "notjson").mkdir()
    (tmp_path / "notjson" / "results.json").write_text('{"spec": \n')
    bob = json.loads((tmp_path / "parts" / "bob" / "results.json").read_text())
    for name, edit in (("score", "8"), ("seconds", float("nan")), ("student", 5), ("details", [{"a": 1}])):
        student = {**bob["students"][0]}
        if name == "details":
            student["checks"] = [{**student["checks"][0], "details": edit}]
        else:
            student[name] = edit
        (tmp_path / f"edited-{name}").mkdir()
        (tmp_path / f"edited-{name}" / "results.json").write_text(json.dumps({**bob, "students": [student]}))
        with pytest.raises(DockersimError) as e:  # a hand-edited field is said where it is read
            merge([tmp_path / f"edited-{name}"], tmp_path / "again")
        assert str(e.value).endswith(f"(a field missing, or of another kind: {name})"), str(e.value)
    (tmp_path / "a-file").write_text("mine\n")
    (tmp_path / "someones").mkdir()
    (tmp_path / "someones" / "notes.txt").write_text("mine\n")
    for folders, out, said in (
        ([tmp_path / "broken"], tmp_path / "again", "broken/results.json: not a results.json of dockersim grade (a "),
        ([tmp_path / "notjson"], tmp_path / "again", "notjson/results.json:2: not JSON (Expecting value)"),
        ([tmp_path / "parts" / "bob", tmp_path / "parts" / "bob/"], tmp_path / "again", "bob: named twice"),
        ([tmp_path / "parts" / "bob"], tmp_path / "a-file", "a-file: a file; --out names a folder"),
        ([tmp_path / "parts" / "bob"], tmp_path / "someones", "someones: not empty, and not a merged gradebook"),
        ([tmp_path / "parts" / "bob"], tmp_path / "whole", "whole: not empty, and not a merged gradebook"),
    ):
        with pytest.raises(DockersimError) as e:
            merge(folders, out)
        assert said in str(e.value)
    assert (tmp_path / "a-file").read_text() == (tmp_path / "someones" / "notes.txt").read_text() == "mine\n"
    # Merged again into the same folder, with fewer students: the gone one's files go too.
    merge([tmp_path / "parts" / "alice", tmp_path / "parts" / "bob"], tmp_path / "merged")
    assert sorted(p.name for p in (tmp_path / "merged" / "feedback").iterdir()) == ["alice.md", "bob.md"]
