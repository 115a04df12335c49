"""Reporters: each turns StepResults into output; the runner never prints. Chosen by name from REPORTERS;
files (JUnit, recordings, report.html) are written by FILE_REPORTS, also by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from dockersim.errors import DockersimError
from dockersim.report.files import write_junit, write_recordings_of
from dockersim.report.html import write_run_report
from dockersim.report.jsonout import JsonReporter
from dockersim.report.text import TextReporter
from dockersim.run.results import RunReport, StepResult


class Reporter(Protocol):
    """What a run tells as it goes (batch.Events) and once at its end."""

    def scenario_started(self, title: str, path: str) -> None: ...

    def step(self, result: StepResult) -> None: ...

    def progress(self, line: str) -> None: ...

    def finish(self, report: RunReport) -> None: ...


REPORTERS: dict[str, Callable[..., Reporter]] = {"text": TextReporter, "json": JsonReporter}
FILE_REPORTS: dict[str, Callable[[Path, RunReport, str], None]] = {
    "junit": write_junit,
    "recordings": write_recordings_of,
    "html": write_run_report,
}


def reporter(name: str, **options: object) -> Reporter:
    if name not in REPORTERS:
        raise DockersimError(f"there is no reporter {name!r} (known: {', '.join(REPORTERS)})")
    return REPORTERS[name](**options)
