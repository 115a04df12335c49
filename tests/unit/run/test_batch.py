"""What a batch does once a scenario has run (batch._finish): with --keep, what it made is listed and left;
otherwise it is removed and reported; an engine gone meanwhile is a note, not an error; a signal while it
cleans up lets it remove the rest, then stops the run.

The rest of batch.py reaches an engine in every function (the engine a plan names, the clash check, pulls,
the stand-ins), and is tested on one (tests/integration/test_run.py, test_safety.py). Here the scenario's run
is a stand-in that answers created() and cleanup() as a ScenarioRun does; no docker is involved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pytest

from dockersim.errors import DockersimError
from dockersim.host.interrupts import Interrupted
from dockersim.i18n.phrase import Phrase
from dockersim.ownership.inventory import Inventory
from dockersim.run.base import RunOptions
from dockersim.run.batch import _finish
from dockersim.run.results import RunReport
from dockersim.run.runner import ScenarioRun

CONTAINER = "0123456789ab" + "c" * 52


@dataclass
class Scenario:
    path: str = "scenarios/2.2.1-creating.yaml"


@dataclass
class Finished:
    """A scenario's run that has ended: what it made, and what each cleanup() does in turn."""

    cleanups: list[list[str] | BaseException]
    scenario: Scenario = field(default_factory=Scenario)
    cleaned: int = 0

    def created(self) -> Inventory:
        return Inventory({CONTAINER}, {"myvolume"}, set())

    def cleanup(self) -> list[str]:
        then = self.cleanups[self.cleaned]
        self.cleaned += 1
        if isinstance(then, BaseException):
            raise then
        return then


def finish(srun: Finished, keep: bool = False) -> RunReport:
    report = RunReport(engine={}, removed=["container earlier"])
    _finish(cast(ScenarioRun, srun), RunOptions(keep=keep), report)
    return report


def test_what_a_scenario_made_is_removed_and_reported() -> None:
    srun = Finished([[f"container {CONTAINER[:12]}", "volume myvolume"]])
    report = finish(srun)
    assert report.removed == ["container earlier", "container 0123456789ab", "volume myvolume"]
    assert report.kept == [] and report.notes == []


def test_with_keep_what_it_made_is_listed_and_left() -> None:
    srun = Finished([])
    report = finish(srun, keep=True)
    assert report.kept == ["container 0123456789ab", "volume myvolume"] and srun.cleaned == 0
    assert report.removed == ["container earlier"]


def test_an_engine_gone_while_cleaning_up_is_a_note() -> None:
    srun = Finished([DockersimError("the engine does not answer")])
    report = finish(srun)
    [note] = report.notes
    assert isinstance(note, Phrase) and note.key == "not_removed"
    assert note.values == {"path": "scenarios/2.2.1-creating.yaml", "error": "the engine does not answer"}


def test_a_signal_while_cleaning_up_removes_the_rest_then_stops_the_run() -> None:
    srun = Finished([Interrupted(2), ["volume myvolume"]])
    report = RunReport(engine={})
    with pytest.raises(Interrupted) as stopped:
        _finish(cast(ScenarioRun, srun), RunOptions(), report)
    assert stopped.value.signum == 2 and srun.cleaned == 2 and report.removed == ["volume myvolume"]


def test_a_signal_then_an_engine_gone_still_stops_the_run_and_says_what_was_left() -> None:
    srun = Finished([Interrupted(15), DockersimError("the engine does not answer")])
    report = RunReport(engine={})
    with pytest.raises(Interrupted):
        _finish(cast(ScenarioRun, srun), RunOptions(), report)
    assert [n.key for n in report.notes if isinstance(n, Phrase)] == ["not_removed"]
