"""What record wrote, run again on the engine it was recorded on: replayed once as a fresh run (a step that
fails is marked in the file with why), then the mutation check (run/mutation.py): each docker step's command
replaced by `docker version`, its expectations kept. A step that still passes is strengthened with more of
the output it showed when that makes its mutant fail and itself still pass, else marked."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from dockersim.engine.client import Docker
from dockersim.i18n.phrase import say
from dockersim.ownership.run import Ownership
from dockersim.record.document import Draft
from dockersim.run.base import RunOptions
from dockersim.run.mutation import mutable, mutant
from dockersim.run.results import Outcome, StepResult
from dockersim.run.runner import ScenarioRun
from dockersim.scenario.model import Scenario


@dataclass
class Verdict:
    """What the replay and the mutation check found, by step index (1-based)."""

    failed: dict[int, StepResult] = field(default_factory=dict)
    mutated: int = 0
    survived: list[int] = field(default_factory=list)
    strengthened: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.survived


@dataclass
class Replay:
    """Runs of a scenario on the recording's engine, each a fresh ScenarioRun, cleaned up after."""

    docker: Docker
    options: RunOptions
    ownership: Ownership

    def run(self, scenario: Scenario) -> list[StepResult]:
        run = ScenarioRun(self.docker, scenario, self.options, self.ownership)
        try:
            return list(run.run_steps())
        finally:
            run.cleanup()

    def survives(self, scenario: Scenario, at: int) -> bool:
        """Whether the step at this position still passes with its command replaced."""
        results = self.run(mutant(scenario, at))
        return results[-1].outcome is Outcome.PASSED

    def passes(self, scenario: Scenario, at: int) -> bool:
        """Whether the steps up to this position pass (the last of them, as it is now written)."""
        cut = dataclasses.replace(scenario, steps=scenario.steps[: at + 1])
        return self.run(cut)[-1].outcome is Outcome.PASSED


def check(drafts: list[Draft], load: Callable[[], Scenario], replay: Replay, lang: str) -> Verdict:
    """Replay, then the mutation check, marking the drafts; `load` writes the drafts and reads the file back."""
    verdict = Verdict()
    scenario = load()
    for result in replay.run(scenario):
        if result.outcome in (Outcome.FAILED, Outcome.ERROR):
            verdict.failed[result.index] = result
            why = "; ".join([result.reason, *result.details[:3]])
            drafts[result.index - 1].comments.append(say("rec_failed_replay", lang, why=why))
    engine = replay.docker.kind
    for at, step in enumerate(scenario.steps):
        if step.index in verdict.failed or not mutable(step, replay.options.allow_destructive, engine):
            continue
        verdict.mutated += 1
        if not replay.survives(scenario, at):
            continue
        draft = drafts[at]
        if draft.stronger is not None:
            kept = draft.stdout
            draft.stdout, draft.stronger = draft.stronger, None
            stronger = load()
            if not replay.survives(stronger, at) and replay.passes(stronger, at):
                verdict.strengthened.append(step.index)
                draft.comments.append(say("rec_strengthened", lang))
                continue
            draft.stdout = kept
            load()
        verdict.survived.append(step.index)
        draft.comments.append(say("rec_survives", lang))
    return verdict
