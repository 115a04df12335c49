"""The report as one JSON document (shape documented in docs/json-report.md)."""

from __future__ import annotations

import json

import click

from dockersim.results import RunReport


def write_json(report: RunReport) -> None:
    click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
