"""What `dockersim grade` writes: gradebook.csv, results.json, junit/, feedback/, recordings/, and
gradescope/STUDENT/results.json in Gradescope's autograder format."""

from __future__ import annotations

import csv
import json
import math
import shutil
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from tabulate import tabulate

from dockersim.errors import DockersimError
from dockersim.grading.homework import Spec
from dockersim.grading.result import CheckOutcome, Grade, LineResult
from dockersim.i18n.phrase import localise, say
from dockersim.report.files import junit_case, junit_document, write_recordings
from dockersim.report.html import write_grade_report
from dockersim.run.results import Outcome, StepResult

MARK = {Outcome.PASSED: "✓", Outcome.FAILED: "✗", Outcome.ERROR: "!", Outcome.SKIPPED: "-"}


@dataclass(frozen=True)
class Book:
    """What a gradebook is of: the spec (its path, title and points) and its checks as columns."""

    path: str
    title: str
    max: int
    columns: tuple[tuple[int, str], ...]  # (index, name) of each check

    @staticmethod
    def of(spec: Spec) -> Book:
        return Book(spec.path, spec.title, spec.max_points, tuple((c.index, c.name) for c in spec.checks))


def write_all(spec: Spec, grades: list[Grade], out: Path, lang: str = "en",
              engines: list[dict[str, Any]] | None = None) -> None:  # fmt: skip
    """The gradebook and results (data, in English) and what students read (feedback, Gradescope's output,
    recordings), in lang; `engines`: what each engine of the pool did."""
    book = Book.of(spec)
    write_data(book, grades, out, engines or [])
    for g in grades:
        (out / "feedback").mkdir(exist_ok=True)
        (out / "feedback" / f"{g.student}.md").write_text(feedback(book, g, lang), encoding="utf-8")
        write_recordings(out / "recordings" / g.student, g.session, g.student)
        (out / "gradescope" / g.student).mkdir(parents=True, exist_ok=True)
        text = json.dumps(gradescope(g, lang), indent=2, ensure_ascii=False) + "\n"
        (out / "gradescope" / g.student / "results.json").write_text(text, encoding="utf-8")
    write_grade_report(out, lang)


def write_data(book: Book, grades: list[Grade], out: Path, engines: list[dict[str, Any]]) -> None:
    """gradebook.csv, results.json and junit/: the course's data, from the grades and the engines' records."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "gradebook.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "score", "max", *(name for _, name in book.columns)])
        for g in grades:
            earned = {c.index: c.earned for c in g.checks}
            if not g.graded:  # no score to give: blank, never a 0 someone could take for one
                writer.writerow([g.student, "", g.max, *("" for _ in book.columns)])
                continue
            writer.writerow([g.student, g.score, g.max, *(earned.get(i, 0) for i, _ in book.columns)])
    results = {"spec": book.path, "title": book.title, "max": book.max,
               "checks": [{"index": i, "name": name} for i, name in book.columns],
               "students": [_plain(g) for g in grades], "engines": engines}  # fmt: skip
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "junit").mkdir(exist_ok=True)
    for g in grades:
        (out / "junit" / f"{g.student}.xml").write_bytes(_junit(book, g))


MERGED = ".dockersim-merged"  # in a merge's --out: a folder a merge may write over


def merge(folders: list[Path], out: Path, lang: str = "en") -> list[Grade]:
    """`dockersim gradebook merge`: the results of grade runs (one submission each, or many) made into one
    course gradebook; each student's feedback, Gradescope output and recordings are copied as written."""
    book: Book | None = None
    grades: dict[str, tuple[Grade, Path]] = {}
    engines: list[dict[str, Any]] = []
    seen = [f.resolve() for f in folders]
    twice = next((f for f, r in zip(folders, seen, strict=True) if seen.count(r) > 1), None)
    if twice is not None:
        raise DockersimError(f"{twice}: named twice")
    if out.exists() and not out.is_dir():
        raise DockersimError(f"{out}: a file; --out names a folder for the merged gradebook")
    if out.is_dir() and any(out.iterdir()) and not (out / MERGED).is_file():
        raise DockersimError(f"{out}: not empty, and not a merged gradebook: give --out a folder of its own")
    for folder in folders:
        path = folder / "results.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = Book(data["spec"], data["title"], data["max"],
                         tuple((c["index"], c["name"]) for c in data["checks"]))  # fmt: skip
            if not _is(found.max, int):
                raise ValueError("max")
            if not all(_is(i, int) and _is(n, str) for i, n in found.columns):
                raise ValueError("checks")
            students = [_grade(s) for s in data["students"]]
            engines += [{**e, "run": str(folder)} for e in data.get("engines", [])]
        except FileNotFoundError:
            raise DockersimError(f"{folder}: no results.json (is it the --out folder of a grade run?)") from None
        except json.JSONDecodeError as e:
            raise DockersimError(f"{path}:{e.lineno}: not JSON ({e.msg})") from None
        except OSError as e:
            raise DockersimError(f"{path}: {e.strerror or e}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            named = isinstance(e, (ValueError, KeyError)) and e.args and str(e.args[0]).isidentifier()
            field = f": {e.args[0]}" if named else ""
            raise DockersimError(f"{path}: not a results.json of dockersim grade (a field missing, or of "
                                 f"another kind{field})") from None  # fmt: skip
        if book is not None:
            for what, ours, theirs in (("title", book.title, found.title), ("points", book.max, found.max),
                                       ("checks", book.columns, found.columns)):  # fmt: skip
                if ours != theirs:  # the spec's path is as each run typed it: not compared
                    raise DockersimError(f"{path}: graded with another spec ({what} not as in {folders[0]})")
        book = book or found
        for g in students:
            if not g.student or g.student in (".", "..") or "/" in g.student or "\\" in g.student:
                raise DockersimError(f"{path}: {g.student!r} is not a student's folder name")
            if g.student in grades:
                raise DockersimError(f"{g.student} is graded in both {grades[g.student][1]} and {folder}")
            grades[g.student] = (g, folder)
    if book is None:
        raise DockersimError("nothing to merge: name the --out folders of grade runs")
    if out.resolve() in {f.resolve() for f in folders}:
        raise DockersimError(f"{out}: the merged gradebook needs a folder of its own")
    ordered = [grades[name][0] for name in sorted(grades)]
    for kind in ("feedback", "gradescope", "recordings", "junit"):  # an earlier merge's: its students may be gone
        shutil.rmtree(out / kind, ignore_errors=True)
    write_data(book, ordered, out, engines)
    (out / MERGED).write_text("written by dockersim gradebook merge, which may write here again\n")
    for name, (_, folder) in sorted(grades.items()):
        for kind, suffix in (("feedback", ".md"), ("gradescope", ""), ("recordings", "")):
            source = folder / kind / f"{name}{suffix}"
            if source.is_dir():
                shutil.copytree(source, out / kind / name, dirs_exist_ok=True)
            elif source.is_file():
                (out / kind).mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, out / kind / source.name)
    write_grade_report(out, lang)
    return ordered


def _grade(data: dict[str, Any]) -> Grade:
    """A Grade read back from results.json, each field of the type it declares (_typed)."""
    session = [StepResult(**{**s, "outcome": Outcome(s["outcome"])}) for s in data.get("session", [])]
    checks = [_typed(CheckOutcome(**{**c, "outcome": Outcome(c["outcome"])})) for c in data["checks"]]
    return _typed(Grade(data["student"], data["score"], data["max"], checks=checks,
                        lines=[_typed(LineResult(**line)) for line in data["lines"]], session=session,
                        notes=data["notes"], seconds=data["seconds"], engine=data.get("engine", ""),
                        graded=data.get("graded", True)))  # fmt: skip


T = TypeVar("T")


def _typed(record: T) -> T:
    """A record read back from a results.json, refused (ValueError naming the field) where a field is not of
    the type it declares: a hand-edited "8" for a score, or NaN, is said where it is read, not where it is
    summed or written into the gradebook."""
    hints = get_type_hints(type(record))
    for f in fields(record):  # type: ignore[arg-type]  # a dataclass instance
        if not _is(getattr(record, f.name), hints[f.name]):
            raise ValueError(f.name)
    return record


def _is(value: object, hint: Any) -> bool:
    """Whether a value read from JSON is of a declared type (str, int, float, bool, an enum, list[X], X | None);
    any other type (a record of its own) is taken as it is."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, UnionType):
        return any(_is(value, a) for a in args)
    if origin is list:
        return isinstance(value, list) and all(_is(v, args[0]) for v in value)
    if hint is type(None):
        return value is None
    if hint in (int, float):
        numeric = isinstance(value, int) or (hint is float and isinstance(value, float))
        return numeric and not isinstance(value, bool) and math.isfinite(value)  # type: ignore[arg-type]
    return isinstance(value, hint) if isinstance(hint, type) else True


def gradescope(g: Grade, lang: str = "en") -> dict[str, object]:
    """One submission as Gradescope's autograder reads /autograder/results/results.json: a test a check,
    a hidden check never shown to the student, or once grades are published (`hidden: after_published`);
    refused lines in the overall output."""
    tests = []
    for c in g.checks:
        output = [*(localise(d, lang) for d in c.details), *([say("hint", lang, hint=c.hint)] if c.hint else [])]
        tests.append({"name": c.name, "number": str(c.index), "score": c.earned, "max_score": c.points,
                      "status": "passed" if c.outcome is Outcome.PASSED else "failed", "output": "\n".join(output),
                      "visibility": _visibility(c)})  # fmt: skip
    if not g.graded:  # no tests and no score: Gradescope shows the output, and the course grades it again
        notes = [say("f_not_graded", lang), *(localise(n, lang) for n in g.notes)]
        return {"output": "\n".join(notes), "visibility": "visible", "stdout_visibility": "hidden", "tests": []}
    refused = [f"{say('f_line', lang, n=line.number)}: {line.text} — {localise(line.refused, lang)}"
               for line in g.refused]  # fmt: skip
    return {"score": g.score, "output": "\n".join([say("f_refused_label", lang), *refused] if refused else []),
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}  # fmt: skip


def _visibility(c: CheckOutcome) -> str:
    if not c.hidden:
        return "visible"
    return "after_published" if c.published else "hidden"


def _plain(g: Grade) -> dict[str, object]:
    data = asdict(g)
    for step in data["session"]:
        del step["frames"], step["marks"]  # in the recordings
    return data


def _junit(book: Book, g: Grade) -> bytes:
    suites = ET.Element("testsuites", name=book.title)
    suite = ET.SubElement(suites, "testsuite", name=g.student)
    for c in g.checks:
        name = f"{c.index:02d} {c.name}" if not c.hidden else f"{c.index:02d} hidden check"
        text = "\n".join(c.details) if not c.hidden else ""
        junit_case(suite, book.title, name, 0.0, c.outcome.value, f"{c.earned}/{c.points} points", text)
    return junit_document(suites)


def feedback(spec: Spec | Book, g: Grade, lang: str = "en") -> str:
    """The student's own report, in lang: each check passed, or expected vs found; refused lines; hidden
    checks counted without their names or reasons."""
    if not g.graded:
        return "\n".join([f"# {spec.title}: {g.student}", "", f"**{say('f_not_graded', lang)}**", "",
                          *(f"- {localise(n, lang)}" for n in g.notes)]) + "\n"  # fmt: skip
    out = [f"# {spec.title}: {g.student}", "", f"**{say('f_score', lang, score=g.score, max=g.max)}**", "",
           f"## {say('f_checks', lang)}", ""]  # fmt: skip
    for c in g.checks:
        if c.hidden:
            out.append(f"- {MARK[c.outcome]} {say('f_hidden', lang, earned=c.earned, points=c.points)}")
            continue
        out.append(f"- {MARK[c.outcome]} {c.name} ({c.earned}/{c.points})")
        out += [f"  - {localise(d, lang)}" for d in c.details]
        if c.hint:
            out.append(f"  - {say('hint', lang, hint=c.hint)}")
    if g.refused:
        out += ["", f"## {say('f_refused', lang)}", ""]
        out += [f"- {say('f_line', lang, n=line.number)}: `{line.text}` — {localise(line.refused, lang)}"
                for line in g.refused]  # fmt: skip
    failed = [line for line in g.lines if not line.refused and (line.status not in (0, None) or line.skipped)]
    if failed:
        out += ["", f"## {say('f_failed', lang)}", ""]
        for line in failed:
            why = localise(line.skipped, lang) or say("f_exit", lang, status=line.status)
            out.append(f"- {say('f_line', lang, n=line.number)}: `{line.text}` — {why}")
            out += [f"  > {text}" for text in line.output[-3:]]
    if g.session:
        out += ["", f"## {say('f_session', lang)}", ""]
        out += [f"- {MARK[s.outcome]} {s.name}" + (f": {s.reason}" if s.reason else "")
                for s in g.session]  # fmt: skip
    if g.notes:
        out += ["", f"## {say('f_notes', lang)}", ""] + [f"- {localise(n, lang)}" for n in g.notes]
    return "\n".join(out) + "\n"


def self_check_text(outcomes: list[CheckOutcome], lang: str = "en") -> str:
    """What `dockersim check` prints: each visible check, then the points."""
    out = []
    for c in outcomes:
        label = (
            ("ok" if c.outcome is Outcome.PASSED else c.outcome.value.upper())
            if lang == "en"
            else say(c.outcome.value, lang)
        )
        out.append(f"{label:6} {c.name} ({c.earned}/{c.points})")
        out += [f"         - {localise(d, lang)}" for d in c.details]
        if c.hint:
            out.append(f"         {say('hint', lang, hint=c.hint)}")
    earned, most = sum(c.earned for c in outcomes), sum(c.points for c in outcomes)
    out.append("\n" + say("f_visible_points", lang, earned=earned, most=most))
    return "\n".join(out)


def self_check_json(outcomes: list[CheckOutcome], lang: str = "en") -> str:
    """What `dockersim check --json` prints: the points and each visible check, its details in `lang`."""
    checks = [{"name": c.name, "outcome": c.outcome.value, "points": c.points, "earned": c.earned,
               "details": [localise(d, lang) for d in c.details], "hint": c.hint} for c in outcomes]  # fmt: skip
    earned, most = sum(c.earned for c in outcomes), sum(c.points for c in outcomes)
    return json.dumps({"earned": earned, "points": most, "checks": checks}, indent=2, ensure_ascii=False)


def summary_text(grades: list[Grade], out: Path, lang: str = "en") -> str:
    """What `dockersim grade` prints at its end."""
    rows = [[g.student, f"{g.score}/{g.max}" if g.graded else say("f_not_graded", lang), len(g.refused),
             f"{g.seconds:.0f}s"] for g in grades]  # fmt: skip
    table = tabulate(rows, headers=say("f_summary_headers", lang).split("|"), disable_numparse=True)
    return f"{table}\n\n{say('f_written', lang, out=out)}"
