"""Reporters: each turns StepResults into output; the runner never prints. Chosen by name from REPORTERS;
files (JUnit, recordings, report.html) are written by FILE_REPORTS, also by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, cast

from dockersim.errors import DockersimError
from dockersim.run.results import RunReport, StepResult


class Reporter(Protocol):
    """What a run tells as it goes (batch.Events) and once at its end."""

    def scenario_started(self, title: str, path: str) -> None: ...

    def step(self, result: StepResult) -> None: ...

    def progress(self, line: str) -> None: ...

    def finish(self, report: RunReport) -> None: ...


# Where each is (module:name), imported only when a run asks for it: a run that writes no HTML loads no HTML.
REPORTERS = {"text": "dockersim.report.text:TextReporter", "json": "dockersim.report.jsonout:JsonReporter"}
FILE_REPORTS = {
    "junit": "dockersim.report.files:write_junit",
    "recordings": "dockersim.report.files:write_recordings_of",
    "html": "dockersim.report.html:write_run_report",
}


def _load(where: str) -> object:
    module, _, name = where.partition(":")
    return getattr(importlib.import_module(module), name)


def reporter(name: str, **options: object) -> Reporter:
    if name not in REPORTERS:
        raise DockersimError(f"there is no reporter {name!r} (known: {', '.join(REPORTERS)})")
    return cast(Callable[..., Reporter], _load(REPORTERS[name]))(**options)


def write_file_report(name: str, target: Path, report: RunReport, lang: str) -> None:
    """One of FILE_REPORTS, by name."""
    cast(Callable[[Path, RunReport, str], None], _load(FILE_REPORTS[name]))(target, report, lang)
