"""Reports written to files: asciicast v2 recordings of tty steps, and JUnit XML."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from dockersim.results import Outcome, RunReport, StepResult
from dockersim.terminal import COLUMNS, ROWS


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:48] or "step"


def write_cast(path: Path, frames: list[tuple[float, str]], title: str) -> None:
    """An asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/): `asciinema play` replays it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"version": 2, "width": COLUMNS, "height": ROWS, "timestamp": int(time.time()), "title": title,
              "env": {"TERM": "xterm"}}  # fmt: skip
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for at, text in frames:
            f.write(json.dumps([round(at, 6), "o", text], ensure_ascii=False) + "\n")


def write_recordings(folder: Path, steps: list[StepResult], scenario_title: str) -> list[Path]:
    written = []
    for step in steps:
        if step.frames:
            path = folder / f"{step.index:02d}-{slug(step.name)}.cast"
            write_cast(path, step.frames, f"{scenario_title}: {step.name}")
            written.append(path)
    return written


def write_recordings_of(folder: Path, report: RunReport) -> None:
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


def write_junit(path: Path, report: RunReport) -> None:
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
