"""A scenario as dockersim holds it once its file is loaded and validated: its steps, each with its command,
its tty actions, its expectations and its checks."""

from __future__ import annotations

import dataclasses
import shlex
from dataclasses import dataclass, field
from enum import Enum

from dockersim.checks.requires import Requires
from dockersim.checks.vocabulary import Check
from dockersim.dockercli import commandline
from dockersim.yamlfile.texts import Text

SCHEMA_VERSION = 1


DEFAULT_STEP_TIMEOUT = 60.0


DEFAULT_EXPECT_TIMEOUT = 10.0


ExitSpec = int | str  # a number, "nonzero" or "any"


STREAM_KEYS = ("stdout", "stderr", "stdout_not", "stderr_not")


def for_engine(scenario: Scenario, engine: str) -> Scenario:
    """The scenario as a learner practises it on this engine: the steps that are about another engine left
    out, the others numbered 1, 2, … again. A run keeps them all, and says why each is skipped."""
    kept = [s for s in scenario.steps if s.requires is None or s.requires.unmet(engine) is None]
    if len(kept) == len(scenario.steps):
        return scenario
    return dataclasses.replace(scenario, steps=[dataclasses.replace(s, index=i) for i, s in enumerate(kept, 1)])


class Act(str, Enum):
    """What a tty action does (a str, as the file writes it)."""

    EXPECT = "expect"  # wait for a regex on the screen
    EOF = "eof"  # wait for the client's end
    SEND = "send"  # type a line (Enter added)
    KEYS = "keys"  # press keys (Ctrl+P, Ctrl+Q)
    ASIDE = "aside"  # run a docker command as from a second terminal
    HANGUP = "hangup"  # close the terminal


@dataclass(frozen=True)
class TtyAction:
    """One thing done in a pty session: expect a regex (or eof), send a line, press keys, run a docker command
    aside (as from a second terminal, again until `until` shows on the screen), or hang up the terminal."""

    kind: Act
    line: int
    text: str = ""
    keys: tuple[str, ...] = ()
    timeout: float = DEFAULT_EXPECT_TIMEOUT
    until: str | None = None


@dataclass
class Step:
    index: int
    line: int
    name: Text
    run: list[str] | None = None  # argv templates, split like a shell would, never run by one
    shell: str | None = None  # a trusted /bin/sh script
    tty: list[TtyAction] | None = None
    exit: ExitSpec = 0
    stdout: str | None = None  # a regex that must be found
    stderr: str | None = None
    stdout_not: str | None = None  # a regex that must not be found
    stderr_not: str | None = None
    timeout: float = DEFAULT_STEP_TIMEOUT
    capture: dict[str, str] = field(default_factory=dict)
    hint: Text | None = None
    retry: float | None = None
    checks: list[Check] = field(default_factory=list)
    destructive: bool = False
    task: Text | None = None  # what a learner in practice is asked to do (the name when absent)
    auto: bool | None = None  # in practice, run by dockersim rather than typed (see typed())
    named: bool = True  # False: the name is the command's template, shown as the command ran
    requires: Requires | None = None  # the engine or features the step needs; skipped, with why, elsewhere

    @property
    def command_text(self) -> str:
        if self.run is not None:
            return shlex.join(self.run)
        return self.shell or ""

    def typed(self) -> bool:
        """Whether a learner in practice types this step: a docker command, unless the scenario says
        `auto: true` or it is a one-shot `run`/`exec -t` that attaches a terminal (the learner's shell has
        one: what happens without it shows only when dockersim runs it), or a session that ends by hanging
        up (a learner's own terminal would be the one closed)."""
        if self.auto is not None:
            return not self.auto
        if any(a.kind is Act.HANGUP for a in self.tty or []):
            return False
        if not self.run or self.run[0] != "docker":
            return False
        cmd = commandline.parse(self.run)
        attaches = cmd is not None and cmd.path in ("container run", "container exec") and not cmd.flag("--detach")
        return self.tty is not None or not (attaches and cmd is not None and cmd.flag("--tty"))

    def ends_with_detach(self) -> bool:
        keys = [a for a in self.tty or [] if a.kind is Act.KEYS]
        pressed: tuple[str, ...] = keys[-1].keys if keys else ()
        sequence = commandline.detach_keys(self.run or [])
        return bool(pressed) and pressed[-len(sequence) :] == sequence


@dataclass
class Scenario:
    path: str
    title: Text
    images: dict[str, str]
    steps: list[Step]
    description: Text | None = None
