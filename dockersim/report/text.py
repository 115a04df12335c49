"""The report a learner reads in a terminal: a line per step as it ends, then a table of all steps."""

from __future__ import annotations

import os
import sys

import click

from dockersim.i18n.phrase import localise, say
from dockersim.run.results import Outcome, RunReport, StepResult

_LABEL = {Outcome.PASSED: "ok", Outcome.FAILED: "FAIL", Outcome.ERROR: "ERROR", Outcome.SKIPPED: "skip"}
_COLOUR = {Outcome.PASSED: "green", Outcome.FAILED: "red", Outcome.ERROR: "magenta", Outcome.SKIPPED: "yellow"}
WIDTH = 52


def colour_wanted(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


class TextReporter:
    def __init__(self, colour: bool | None = None, verbose: bool = False, lang: str = "en", **_options: object) -> None:
        self.colour = colour_wanted() if colour is None else colour
        self.verbose = verbose
        self.lang = lang

    def _label(self, outcome: Outcome) -> str:
        return _LABEL[outcome] if self.lang != "ko" else say(outcome.value, "ko")

    def _style(self, text: str, outcome: Outcome) -> str:
        return click.style(text, fg=_COLOUR[outcome], bold=outcome != Outcome.PASSED) if self.colour else text

    def scenario_started(self, title: str, path: str) -> None:
        click.echo(f"{title}  ({path})")

    def progress(self, line: str) -> None:
        click.echo(f"  {localise(line, self.lang)}", err=True)

    def step(self, r: StepResult) -> None:
        label = f"[{r.index}/{r.total}] {r.name} "
        dots = "." * max(3, WIDTH - len(label))
        click.echo(f"  {label}{dots} {self._style(f'{self._label(r.outcome):<5}', r.outcome)} {r.seconds:6.2f}s")
        if r.outcome == Outcome.PASSED and not self.verbose:
            return
        pad = " " * 8
        if r.reason:
            tail = say("screen_was", self.lang) if r.screen and r.outcome != Outcome.SKIPPED else ""
            click.echo(f"{pad}{r.reason}{tail}")
        if r.outcome != Outcome.SKIPPED:
            for line in r.screen:
                click.echo(f"{pad}│ {line}")
        for d in r.details:
            click.echo(f"{pad}- {d}")
        if r.hint:
            click.echo(pad + say("hint", self.lang, hint=r.hint))

    def finish(self, report: RunReport) -> None:
        if report.interrupted:
            click.echo("\n" + say("interrupted", self.lang, count=len(report.removed)), err=True)
        rows = []
        for s in report.scenarios:
            for r in s.steps:
                reason = r.reason if len(r.reason) <= 60 else r.reason[:59] + "…"
                title = s.title if len(s.title) <= 28 else s.title[:27] + "…"
                rows.append([title, r.index, r.name[:48], self._label(r.outcome), f"{r.seconds:.2f}", reason])
        click.echo("")
        from tabulate import tabulate  # here: practice loads this module for colour_wanted alone (40 ms less)

        headers = say("headers", self.lang).split("|")
        click.echo(tabulate(rows, headers=headers, disable_numparse=True))
        counts = report.counts()
        summary = ", ".join(f"{n} {say(k, self.lang)}" for k, n in counts.items() if n)
        click.echo(f"\n{summary or say('no_steps', self.lang)}")
        if report.removed:
            click.echo(say("removed", self.lang, count=len(report.removed)))
        if report.kept:
            click.echo(say("kept", self.lang, items=", ".join(report.kept)))
        for note in report.notes:
            click.echo(say("note", self.lang, note=localise(note, self.lang)))
