"""A scenario run on the engine, one StepResult a step: the parts put together, and what a batch asks before
it starts (the names the scenarios would make that exist already).
"""

from __future__ import annotations

from dockersim.dockercli import commandline
from dockersim.engine.client import Docker
from dockersim.run.judging import Judging
from dockersim.scenario.model import Scenario


class ScenarioRun(Judging):
    """One scenario as it runs on an engine: values (values.py), commands (commands.py), tty sessions
    (tty.py), steps (steps.py) and practice's judging (judging.py), each a part on top of the one before."""


def existing_names(docker: Docker, scenarios: list[Scenario]) -> list[str]:
    """Names the scenarios will create that the engine already holds (they would clash or be clobbered)."""
    wanted: set[tuple[str, str]] = set()
    for scenario in scenarios:
        for step in scenario.steps:
            if step.run:
                # A name that is itself a placeholder is known only when the step runs.
                wanted |= {(k, n) for k, n in commandline.created_names(step.run) if "{" not in n}
    if not wanted:
        return []
    listing = {"container": ["ps", "-a", "--format", "{{.Names}}"], "volume": ["volume", "ls", "-q"],
               "network": ["network", "ls", "--format", "{{.Name}}"]}  # fmt: skip
    kinds = sorted({kind for kind, _ in wanted})  # only the kinds the scenarios make, listed at once
    have = {kind: {n for line in done.stdout.split() for n in line.split(",")}  # a container's names: a,b
            for kind, done in zip(kinds, docker.calls(*(listing[k] for k in kinds)), strict=True)}  # fmt: skip
    return sorted(f"{kind} {name}" for kind, name in wanted if name in have[kind])
