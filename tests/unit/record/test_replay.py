"""What record does with a replay and the mutation check, without an engine: a step that fails is marked with
why, a surviving one strengthened with more of its output when that makes it fail mutated and pass as it is,
else marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from dockersim.engine.client import Docker
from dockersim.ownership.run import Ownership
from dockersim.record.document import Draft, scenario_text
from dockersim.record.replay import Replay, check
from dockersim.run.base import RunOptions
from dockersim.run.results import Outcome, StepResult
from dockersim.scenario.loader import parse_scenario
from dockersim.scenario.model import Scenario


@dataclass
class Engine:
    kind: str = "docker"


@dataclass
class Fake(Replay):
    """Replays that fail the steps it is told to, and mutants that survive while a step's stdout is weak."""

    failing: set[int] = field(default_factory=set)
    weak: set[str] = field(default_factory=set)  # stdout regexes a mutant survives

    def run(self, scenario: Scenario) -> list[StepResult]:
        return [StepResult(scenario.path, s.index, len(scenario.steps), str(s.index),
                           Outcome.FAILED if s.index in self.failing else Outcome.PASSED, 0.0, reason="why not")
                for s in scenario.steps]  # fmt: skip

    def survives(self, scenario: Scenario, at: int) -> bool:
        return scenario.steps[at].stdout in self.weak

    def passes(self, scenario: Scenario, at: int) -> bool:
        return True


def drafts() -> list[Draft]:
    return [
        Draft(run="docker volume create data", stdout="^data$", checks=[{"volume": "data"}]),
        Draft(run="docker logs web", stdout="^one$", stronger="^one$[\\s\\S]*^two$"),
        Draft(run="docker ps", stdout="^x$"),
    ]


def fake(failing: set[int], weak: set[str]) -> Fake:
    return Fake(cast(Docker, Engine()), RunOptions(), cast(Ownership, None), failing, weak)


def test_marks_what_fails_and_what_survives_and_strengthens_what_it_can() -> None:
    steps = drafts()
    written: list[str] = []

    def load() -> Scenario:
        written.append(scenario_text({"en": "t"}, {}, steps, []))
        return parse_scenario(written[-1], "t.yaml")

    verdict = check(steps, load, fake({1}, {"^one$", "^x$"}), "en")
    assert list(verdict.failed) == [1] and verdict.mutated == 2
    assert verdict.strengthened == [2] and verdict.survived == [3] and not verdict.ok
    assert steps[0].comments == ["✗ failed when replayed: why not"]
    assert steps[1].stdout == "^one$[\\s\\S]*^two$" and steps[1].comments[0].startswith("strengthened")
    assert steps[2].comments[0].startswith("✗ survives mutation") and steps[2].stdout == "^x$"


def test_a_strengthening_that_does_not_help_is_taken_back() -> None:
    steps = drafts()
    verdict = check(steps, lambda: parse_scenario(scenario_text({"en": "t"}, {}, steps, []), "t.yaml"),
                    fake(set(), {"^one$", "^one$[\\s\\S]*^two$"}), "ko")  # fmt: skip
    assert verdict.survived == [2] and steps[1].stdout == "^one$" and steps[1].comments[0].startswith("✗ 변이")
