"""Mutants of a scenario, for the mutation check: does each docker step check what its own command does?

A mutant is the scenario up to one docker step (one-shot or tty), that step's command replaced by a harmless
one (`docker version`) and every expectation kept. Run, a mutant whose last step still passes shows a step
that checks nothing its command does: a survivor. interleaved() runs them all in one pass (`bench/mutate.py`
and the CI test, over the chapters); `dockersim record` runs each over what it wrote.
"""

from __future__ import annotations

import dataclasses

from dockersim.scenario.model import Scenario, Step

HARMLESS = ["docker", "version"]


def mutable(step: Step, destructive: bool, engine: str = "docker") -> bool:
    """A docker step whose command can be swapped (one the run would carry out on this engine): one-shot, or a
    tty step, whose session then talks to `docker version`."""
    swappable = step.run is not None and step.run[0] == "docker" and step.run != HARMLESS
    for_engine = step.requires is None or step.requires.unmet(engine) is None  # a step about another is skipped
    return swappable and for_engine and (destructive or not step.destructive)


def mutant(scenario: Scenario, at: int) -> Scenario:
    """The steps up to the one at this position, its command harmless, its expectations kept; named as in the
    file (a step without a name would otherwise be named by `docker version`)."""
    step = scenario.steps[at]
    steps = [*scenario.steps[:at], dataclasses.replace(step, run=list(HARMLESS), named=True)]
    return dataclasses.replace(scenario, steps=steps)


def interleaved(scenario: Scenario, destructive: bool, engine: str = "docker") -> tuple[Scenario, list[int]]:
    """Every mutant of the scenario in one run: each mutable step preceded by its mutant (its command
    harmless, its expectations kept), and where those mutants are. `docker version` changes nothing, so the
    real step that follows finds what it would have found without it: the same verdicts as mutant()'s, in
    one pass over the steps rather than one pass per step."""
    steps: list[Step] = []
    at: list[int] = []
    for step in scenario.steps:
        if mutable(step, destructive, engine):
            at.append(len(steps))
            steps.append(dataclasses.replace(step, run=list(HARMLESS), named=True))
        steps.append(step)
    return dataclasses.replace(scenario, steps=steps), at


def mutants(scenario: Scenario, destructive: bool, engine: str = "docker") -> list[Scenario]:
    """One scenario a mutable step (mutant())."""
    return [mutant(scenario, i) for i, step in enumerate(scenario.steps) if mutable(step, destructive, engine)]
