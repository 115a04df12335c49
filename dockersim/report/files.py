"""Reports written to files: asciicast v2 recordings of tty steps, and JUnit XML."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from dockersim.engine.terminal import COLUMNS, ROWS
from dockersim.run.results import Outcome, RunReport, StepResult


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:48] or "step"


def cast_text(frames: list[tuple[float, str]], marks: list[tuple[float, str]], title: str) -> str:
    """An asciicast v2 recording (https://docs.asciinema.org/manual/asciicast/v2/): the output as it came,
    and a marker ("m") where each action of the step ended; `asciinema play` and the player replay it."""
    header = {"version": 2, "width": COLUMNS, "height": ROWS, "timestamp": int(time.time()), "title": title,
              "env": {"TERM": "xterm"}}  # fmt: skip
    events = sorted([(at, "o", text) for at, text in frames] + [(at, "m", label) for at, label in marks],
                    key=lambda e: e[0])  # fmt: skip
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps([round(at, 6), kind, text], ensure_ascii=False) for at, kind, text in events]
    return "\n".join(lines) + "\n"


def write_cast(path: Path, frames: list[tuple[float, str]], title: str,
               marks: list[tuple[float, str]] | None = None) -> None:  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cast_text(frames, marks or [], title), encoding="utf-8")


def recording_name(index: int, name: str) -> str:
    """A tty step's recording's file name: report.html finds it by the same."""
    return f"{index:02d}-{slug(name)}.cast"


def write_recordings(folder: Path, steps: list[StepResult], scenario_title: str) -> list[Path]:
    written = []
    for step in steps:
        if step.frames:
            path = folder / recording_name(step.index, step.name)
            write_cast(path, step.frames, f"{scenario_title}: {step.name}", step.marks)
            written.append(path)
    return written


def write_recordings_of(folder: Path, report: RunReport, _lang: str = "en") -> None:
    """An asciicast per tty step of every scenario, in a folder per scenario."""
    for scenario in report.scenarios:
        write_recordings(folder / slug(Path(scenario.path).stem), scenario.steps, scenario.title)


def junit_case(suite: ET.Element, classname: str, name: str, seconds: float, outcome: str, message: str,
               text: str) -> None:  # fmt: skip
    case = ET.SubElement(suite, "testcase", classname=classname, name=name, time=f"{seconds:.3f}")
    if outcome == Outcome.FAILED.value:
        ET.SubElement(case, "failure", message=message).text = text
    elif outcome == Outcome.ERROR.value:
        ET.SubElement(case, "error", message=message).text = text
    elif outcome == Outcome.SKIPPED.value:
        ET.SubElement(case, "skipped", message=message)


def junit_document(suites: ET.Element) -> bytes:
    for suite in suites:
        cases = list(suite)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    ET.indent(suites)
    data: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return data


def write_junit(path: Path, report: RunReport, _lang: str = "en") -> None:
    suites = ET.Element("testsuites", name="dockersim")
    for scenario in report.scenarios:
        suite = ET.SubElement(suites, "testsuite", name=scenario.title)
        for r in scenario.steps:
            text = "\n".join(
                [*r.details, *(f"| {line}" for line in r.screen), *([f"hint: {r.hint}"] if r.hint else [])]
            )
            junit_case(suite, scenario.path, f"{r.index:02d} {r.name}", r.seconds, r.outcome.value, r.reason, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(junit_document(suites))
