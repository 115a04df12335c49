"""The report as one JSON document (shape documented in docs/json-report.md); progress goes to stderr."""

from __future__ import annotations

import json

import click

from dockersim.run.results import RunReport, StepResult


class JsonReporter:
    def __init__(self, **_options: object) -> None:
        pass

    def scenario_started(self, title: str, path: str) -> None:
        pass

    def step(self, result: StepResult) -> None:
        pass

    def progress(self, line: str) -> None:
        click.echo(f"  {line}", err=True)

    def finish(self, report: RunReport) -> None:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
