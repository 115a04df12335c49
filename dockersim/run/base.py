"""What every part of a scenario's run shares: its options and placement, its state (RunState: the engine,
the scenario, the captures, the owner of what it makes), and what one try of a step found (Attempt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.engine.process import KEEP_OUTPUT
from dockersim.engine.state import ContainerState
from dockersim.errors import DockersimError
from dockersim.host.limits import Limits
from dockersim.i18n.phrase import say
from dockersim.ownership.run import Ownership
from dockersim.run.results import Outcome
from dockersim.scenario.model import Scenario

SCREEN_LINES = 24


@dataclass
class RunOptions:
    image_map: dict[str, str] = field(default_factory=dict)
    lang: str = "en"
    fail_fast: bool = False
    allow_destructive: bool = False
    keep: bool = False
    engine_host: str = "127.0.0.1"  # where the engine's published ports answer


@dataclass(frozen=True)
class Placement:
    """Where a run's host paths and objects are. The learner's engine: paths as written, objects owned by
    label. A grading engine: host paths re-rooted in the submission's workspace, and every object counts."""

    workspace: Path | None = None
    everything_owned: bool = False
    # An engine that refuses a `-v` source that does not exist (podman), where docker makes it: this makes it,
    # given the workspace and the sources.
    make_sources: Callable[[Path, list[str]], None] | None = None
    # An engine the run shares with others (grading on a context): each docker command as it may run there,
    # or NotHere saying why it may not.
    vet: Callable[[list[str]], list[str]] | None = None
    # What one submission may use: the number of containers it makes is counted here; on an engine the run
    # shares, each container it makes also carries these options (bounds.Limits.container_options).
    limits: Limits | None = None
    each_container: tuple[str, ...] = ()
    keep: int = KEEP_OUTPUT  # bytes kept of what a step's command prints, of each stream (its end)


@dataclass
class Attempt:
    """What one try of a step found; the step's StepResult is built once, from its last attempt."""

    outcome: Outcome = Outcome.PASSED
    reason: str = ""
    details: list[str] = field(default_factory=list)
    screen: list[str] = field(default_factory=list)
    exit_status: int | None = None
    frames: list[tuple[float, str]] = field(default_factory=list)
    marks: list[tuple[float, str]] = field(default_factory=list)  # (seconds into the recording, what happened)


def marked(attempt: Attempt, lang: str) -> list[tuple[float, str]]:
    """A tty step's markers, and its checks' verdict where the session ended (when they were made)."""
    if not attempt.frames:
        return []
    end = max([attempt.frames[-1][0], *(at for at, _ in attempt.marks)])
    outcome = say(attempt.outcome.value, lang)
    verdict = say("mark_verdict", lang, outcome=outcome, reason=attempt.reason) if attempt.reason else outcome
    return [*attempt.marks, (end, verdict)]


class NotHere(DockersimError):
    """A command the placement's vet does not let run on this engine (an object of another's, on a shared one)."""


class StepFailed(DockersimError):
    def __init__(self, reason: str, screen: list[str] | None = None, outcome: Outcome = Outcome.FAILED):
        self.reason, self.screen, self.outcome = reason, screen or [], outcome
        super().__init__(reason)


def screen_of(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()[-SCREEN_LINES:]]


class RunState:
    """The state of one scenario while it runs: its captures, its label, the volumes its commands named."""

    def __init__(
        self,
        docker: Docker,
        scenario: Scenario,
        options: RunOptions,
        ownership: Ownership | None = None,
        placement: Placement = Placement(),
    ) -> None:
        self.docker = docker
        self.placement = placement
        self.scenario = scenario
        self.options = options
        self.captures: dict[str, str] = {}
        # What this run's own commands create carries its labels, so that cleanup and counts never touch a
        # learner's objects or another run's, even while they are made at the same time.
        self.ownership = ownership if ownership is not None else Ownership(docker, watched=False)
        self._volumes_before: set[str] | None = None
        self._workdir: str | None = None
        self._seen: dict[str, ContainerState] = {}  # containers looked up during the current step

    @property
    def volumes_before(self) -> set[str]:
        """The volumes there before the scenario's first command that names one: read then, once (a scenario
        that names none asks nothing). One made meanwhile by someone else counts as not the run's."""
        if self._volumes_before is None:
            self._volumes_before = set(self.docker.call(["volume", "ls", "-q"]).stdout.split())
        return self._volumes_before
