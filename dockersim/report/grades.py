"""What `dockersim grade` writes: gradebook.csv, results.json, junit/, feedback/, recordings/, and
gradescope/STUDENT/results.json in Gradescope's autograder format."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path

from tabulate import tabulate

from dockersim.grading import CheckOutcome, Grade
from dockersim.homework import Spec
from dockersim.report.files import junit_case, junit_document, write_recordings

MARK = {"passed": "✓", "failed": "✗", "error": "!"}


def write_all(spec: Spec, grades: list[Grade], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "gradebook.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "score", "max", *(c.name for c in spec.checks)])
        for g in grades:
            earned = {c.index: c.earned for c in g.checks}
            writer.writerow([g.student, g.score, g.max, *(earned.get(c.index, 0) for c in spec.checks)])
    results = {"spec": spec.path, "title": spec.title, "max": spec.max_points,
               "students": [_plain(g) for g in grades]}  # fmt: skip
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for g in grades:
        (out / "junit").mkdir(exist_ok=True)
        (out / "junit" / f"{g.student}.xml").write_bytes(_junit(spec, g))
        (out / "feedback").mkdir(exist_ok=True)
        (out / "feedback" / f"{g.student}.md").write_text(feedback(spec, g), encoding="utf-8")
        write_recordings(out / "recordings" / g.student, g.session, g.student)
        (out / "gradescope" / g.student).mkdir(parents=True, exist_ok=True)
        text = json.dumps(gradescope(g), indent=2, ensure_ascii=False) + "\n"
        (out / "gradescope" / g.student / "results.json").write_text(text, encoding="utf-8")


def gradescope(g: Grade) -> dict[str, object]:
    """One submission as Gradescope's autograder reads /autograder/results/results.json: a test a check,
    hidden checks shown only once grades are published; refused lines in the overall output."""
    tests = []
    for c in g.checks:
        output = [*c.details, *([f"hint: {c.hint}"] if c.hint else [])]
        tests.append({"name": c.name, "number": str(c.index), "score": c.earned, "max_score": c.points,
                      "status": "passed" if c.outcome == "passed" else "failed", "output": "\n".join(output),
                      "visibility": "after_published" if c.hidden else "visible"})  # fmt: skip
    refused = [f"line {line.number}: {line.text} — {line.refused}" for line in g.refused]
    return {"score": g.score, "output": "\n".join(["Refused lines:", *refused] if refused else []),
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}  # fmt: skip


def _plain(g: Grade) -> dict[str, object]:
    data = asdict(g)
    for step in data["session"]:
        del step["frames"]
    return data


def _junit(spec: Spec, g: Grade) -> bytes:
    suites = ET.Element("testsuites", name=spec.title)
    suite = ET.SubElement(suites, "testsuite", name=g.student)
    for c in g.checks:
        name = f"{c.index:02d} {c.name}" if not c.hidden else f"{c.index:02d} hidden check"
        text = "\n".join(c.details) if not c.hidden else ""
        junit_case(suite, spec.title, name, 0.0, c.outcome, f"{c.earned}/{c.points} points", text)
    return junit_document(suites)


def feedback(spec: Spec, g: Grade) -> str:
    """The student's own report: each check passed, or expected vs found; refused lines; hidden checks
    counted without their names or reasons."""
    out = [f"# {spec.title}: {g.student}", "", f"**Score: {g.score} / {g.max}**", "", "## Checks", ""]
    for c in g.checks:
        if c.hidden:
            out.append(f"- {MARK[c.outcome]} a hidden check ({c.earned}/{c.points})")
            continue
        out.append(f"- {MARK[c.outcome]} {c.name} ({c.earned}/{c.points})")
        out += [f"  - {d}" for d in c.details]
        if c.hint:
            out.append(f"  - hint: {c.hint}")
    if g.refused:
        out += ["", "## Lines that were refused", ""]
        out += [f"- line {line.number}: `{line.text}` — {line.refused}" for line in g.refused]
    failed = [line for line in g.lines if not line.refused and (line.status not in (0, None) or line.skipped)]
    if failed:
        out += ["", "## Commands that did not succeed", ""]
        for line in failed:
            out.append(f"- line {line.number}: `{line.text}` — {line.skipped or f'exit status {line.status}'}")
            out += [f"  > {text}" for text in line.output[-3:]]
    if g.session:
        out += ["", "## Interactive session", ""]
        out += [f"- {MARK.get(s.outcome.value, '-')} {s.name}" + (f": {s.reason}" if s.reason else "")
                for s in g.session]  # fmt: skip
    if g.notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in g.notes]
    return "\n".join(out) + "\n"


def self_check_text(outcomes: list[CheckOutcome]) -> str:
    """What `dockersim check` prints: each visible check, then the points."""
    out = []
    for c in outcomes:
        out.append(f"{'ok  ' if c.outcome == 'passed' else c.outcome.upper():6} {c.name} ({c.earned}/{c.points})")
        out += [f"         - {d}" for d in c.details]
        if c.hint:
            out.append(f"         hint: {c.hint}")
    earned, most = sum(c.earned for c in outcomes), sum(c.points for c in outcomes)
    out.append(f"\n{earned} / {most} points from the checks you can see")
    return "\n".join(out)


def summary_text(grades: list[Grade], out: Path) -> str:
    """What `dockersim grade` prints at its end."""
    rows = [[g.student, f"{g.score}/{g.max}", len(g.refused), f"{g.seconds:.0f}s"] for g in grades]
    table = tabulate(rows, headers=["student", "score", "refused lines", "time"], disable_numparse=True)
    return f"{table}\n\nwritten to {out}/: gradebook.csv, results.json, junit/, feedback/, recordings/, gradescope/"
