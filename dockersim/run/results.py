"""One result type passed from the runner to every reporter; the runner never prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Outcome(str, Enum):
    PASSED = "passed"
    FAILED = "failed"  # the engine or the command did not do what the step expects
    ERROR = "error"  # the step could not be carried out or checked (engine error, unreadable output)
    SKIPPED = "skipped"


@dataclass
class StepResult:
    scenario: str
    index: int
    total: int
    name: str
    outcome: Outcome
    seconds: float
    command: str = ""
    reason: str = ""
    details: list[str] = field(default_factory=list)  # one line per mismatch
    screen: list[str] = field(default_factory=list)  # what the learner would have seen
    hint: str = ""
    exit_status: int | None = None
    line: int = 0
    frames: list[tuple[float, str]] = field(default_factory=list, repr=False)  # a tty step's output, timed
    marks: list[tuple[float, str]] = field(default_factory=list, repr=False)  # what happened when, in its recording

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.PASSED, Outcome.SKIPPED)


@dataclass
class ScenarioResult:
    path: str
    title: str
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)


@dataclass
class RunReport:
    engine: dict[str, str]
    scenarios: list[ScenarioResult] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # objects the run made and then removed
    kept: list[str] = field(default_factory=list)  # objects the run made and left (--keep)
    notes: list[str] = field(default_factory=list)
    interrupted: int | None = None  # the signal that stopped the run, if one did

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.scenarios) and self.interrupted is None

    def counts(self) -> dict[str, int]:
        out = {o.value: 0 for o in Outcome}
        for s in self.scenarios:
            for step in s.steps:
                out[step.outcome.value] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for scenario in data["scenarios"]:
            for step in scenario["steps"]:
                del step["frames"], step["marks"]  # recordings go to --record, not into the report
        data["ok"] = self.ok
        data["counts"] = self.counts()
        return data
