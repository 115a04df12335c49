"""Practice: the learner types a scenario's steps in their own shell and each is checked as it is reached.

The Tracker knows which step the learner is on and what each command they finish does to it; it prints
nothing and opens no terminal (watch.py does that), so it is tested on recorded sessions. A step is
typed by the learner or run by dockersim (Step.typed); a typed step passes when the learner's command is
an attempt at it (the same docker verb, on the same container when the step names one) and the step's
expectations hold on what that command did: its exit status, the screen it wrote, the tty expectations
in order, and the engine's state. Progress is saved per scenario file and resumed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shlex
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from dockersim.checks.container import ContainerCheck
from dockersim.checks.objects import ImageCheck
from dockersim.checks.vocabulary import bare
from dockersim.dockercli import commandline
from dockersim.errors import DockersimError
from dockersim.i18n.phrase import Phrase, say
from dockersim.ownership.labels import state_home
from dockersim.practice import hints
from dockersim.run.results import Outcome, StepResult
from dockersim.run.steps import exit_ok
from dockersim.scenario import placeholders
from dockersim.scenario.model import Scenario, Step, TtyAction
from dockersim.yamlfile.texts import pick

DONE = ("passed", "solved", "skipped")  # a step's saved progress; "held": a destructive step not run
KNOWN = (*DONE, "held")
DONE_SAID = {"passed": "practice_passed", "solved": "practice_solved"}  # how a try passed: what is said
HINT_AFTER = 2  # failed attempts after which the hint shows by itself


class Steps(Protocol):
    """What the tracker needs of a ScenarioRun."""

    def judge(self, step: Step, status: int, transcript: str, seconds: float = 0.0) -> StepResult: ...

    def run_step(self, step: Step) -> StepResult: ...

    def resolve_now(self, template: str, regex: bool = False) -> str: ...

    def strangers(self, step: Step) -> list[str]: ...

    def clear(self, step: Step) -> None: ...

    def step_name(self, step: Step) -> str: ...


@dataclass
class Progress:
    """Which steps of one scenario file are done, and how; kept in $XDG_STATE_HOME/dockersim/practice/."""

    path: str
    title: str = ""
    total: int = 0
    steps: dict[int, str] = field(default_factory=dict)  # step index -> passed | solved | skipped

    @staticmethod
    def file_for(path: str) -> Path:
        key = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
        return state_home() / "practice" / f"{key}.json"

    @classmethod
    def load(cls, path: str) -> Progress:
        try:
            raw = json.loads(cls.file_for(path).read_text(encoding="utf-8"))
            steps = {int(k): v for k, v in raw.get("steps", {}).items() if v in KNOWN}
            return cls(path, raw.get("title", ""), int(raw.get("total", 0)), steps)
        except (OSError, ValueError, AttributeError, TypeError):  # unreadable, or not as save() writes it
            return cls(path)

    def save(self) -> None:
        target = self.file_for(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = {"path": str(Path(self.path).resolve()), "title": self.title, "total": self.total,
                "steps": {str(k): v for k, v in sorted(self.steps.items())}}  # fmt: skip
        with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False, encoding="utf-8") as f:
            f.write(json.dumps(data, ensure_ascii=False, indent=1))
        Path(f.name).replace(target)  # whole, whichever of two terminals writes last

    def first_open(self, indexes: list[int]) -> int | None:
        """The first step not done, or None when every step is."""
        return next((i for i in indexes if self.steps.get(i) not in DONE), None)


def saved_progress() -> list[dict[str, object]]:
    """Every scenario file practised on this account, as saved; a file not as save() writes it (edited, or
    cut short) is passed over."""
    out = []
    for f in sorted((state_home() / "practice").glob("*.json")):
        try:
            raw = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        shape = {"path": str, "title": str, "total": int, "steps": dict}
        typed = isinstance(raw, dict) and all(isinstance(raw.get(k), t) for k, t in shape.items())
        if typed and all(isinstance(v, str) for v in raw["steps"].values()):
            out.append(raw)
    return out


@dataclass
class Solution:
    """What `solve` types: the step's command, then its tty actions on the session it opens."""

    command: str
    actions: list[TtyAction]
    reads_input: bool = True  # whether the command's client passes what is typed on to the container


def _commands(text: str) -> list[list[str]]:
    """The docker commands of a shell line as words (`cd x && docker ps`, `time docker ps`, `docker rm a;
    docker run …`), `$(…)` standing in as one word. `sudo docker …` is kept as it is."""
    text = re.sub(r"\$\([^()]*\)", "SUBSTITUTED", text)
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|<>()")
        lexer.whitespace_split = True
        commands: list[list[str]] = [[]]
        for word in lexer:
            if set(word) <= set(";&|<>()"):
                commands.append([])
            else:
                commands[-1].append(word)
    except ValueError:
        return []
    out = []
    for words in commands:
        while words and (words[0] in ("time", "command", "exec") or re.fullmatch(r"[A-Za-z_]\w*=.*", words[0])):
            words = words[1:]
        if words[:1] == ["docker"] or words[:2] == ["sudo", "docker"]:
            out.append(words)
    return out


def attempts(step: Step, typed: str, resolve: Callable[[str], str]) -> bool:
    """Whether a line the learner typed is a try at this step: the same docker verb, on the same container
    when the step names one by a plain name."""
    return step.run is not None and any(_tries(step.run, words, resolve) for words in _commands(typed))


def _tries(wanted_words: list[str], words: list[str], resolve: Callable[[str], str]) -> bool:
    if words[0] == "sudo":
        return False
    try:
        mine, wanted = commandline.parse(words), commandline.parse(wanted_words)
    except commandline.CommandLineError:
        return False
    if mine is None or wanted is None or mine.path != wanted.path:
        return False
    if mine.path == "" and {o.name for o in mine.globals} != {o.name for o in wanted.globals}:
        return False  # `docker -v` is not `docker --help`
    target = commandline.target_container(wanted_words)
    if target is None or placeholders.find(target):
        return True
    return commandline.target_container(words) == resolve(target)


class Tracker:
    """Where a learner is in one scenario, and what each of their commands does to it."""

    def __init__(self, scenario: Scenario, steps: Steps, progress: Progress, lang: str = "en",
                 allow_destructive: bool = False) -> None:  # fmt: skip
        self.scenario = scenario
        self.run = steps
        self.progress = progress
        self.lang = lang
        self.allow_destructive = allow_destructive
        self.title = pick(scenario.title, lang)
        self.total = len(scenario.steps)
        self.at = 0  # position in scenario.steps of the current step
        self.failures = 0  # failed tries at the current step
        self.last: StepResult | None = None  # the current step's last failed try
        self.tried: hints.Try | None = None  # and what was typed for it
        self.solving = False
        # Told a passed step's verdict as soon as it is known; without it, the verdict comes first in what
        # command() returns, after the steps dockersim runs next (a check, a probe) have run.
        self.on_verdict: Callable[[list[str]], None] | None = None
        progress.title, progress.total = self.title, self.total

    # -- where the learner is ------------------------------------------------------------------

    @property
    def step(self) -> Step | None:
        return self.scenario.steps[self.at] if self.at < self.total else None

    @property
    def finished(self) -> bool:
        return self.step is None

    def start(self, at: int | None = None) -> list[str]:
        """Begin at step `at` (1-based), or at the first step not done; what came before is run by dockersim
        so that the engine holds what the step expects."""
        indexes = [s.index for s in self.scenario.steps]
        if at is not None and at not in indexes:
            raise DockersimError(Phrase("practice_from_beyond", at=at, path=self.scenario.path, total=self.total))
        first = at if at is not None else self.progress.first_open(indexes)
        if first is None:
            self.at = self.total
            return [say("practice_all_done", self.lang, total=self.total, title=self.title)]
        self.at = indexes.index(first)
        lines = []
        if self.at:
            lines.append(say("practice_replay", self.lang, n=self.at))
            for step in self.scenario.steps[: self.at]:
                result = self._run(step)
                if not result.ok:  # the learner should know why a later step may not pass
                    lines.append(f"  ✗ {result.name}: {result.reason}")
        return lines + self._advance_auto()

    def banner(self) -> list[str]:
        """The current step, as shown before each prompt."""
        step = self.step
        if step is None:
            return []
        task = pick(step.task, self.lang) if step.task else self.run.step_name(step)
        head = say("practice_step", self.lang, title=self.title, n=step.index, total=self.total)
        return [head, f"  {task}", *self._values(step), f"  {say('practice_keys', self.lang)}"]

    def _values(self, step: Step) -> list[str]:
        """What the step's command says through placeholders other than images (`{workdir}`: a scratch
        folder dockersim made), as the learner must type it."""
        out: dict[str, str] = {}
        for p in (p for word in step.run or [] for p in placeholders.find(word) if p.kind != "image"):
            with contextlib.suppress(DockersimError):
                out.setdefault(p.text, self.run.resolve_now(p.text))
        return [f"  {text} = {value}" for text, value in out.items()]

    # -- what the learner does ----------------------------------------------------------------

    def command(self, typed: str, status: int, transcript: str, seconds: float = 0.0, columns: int = 0) -> list[str]:
        """A command the learner finished: judged if it tries the current step, else let be. columns: the width
        of the terminal its transcript was read on."""
        step = self.step
        commands = _commands(typed)
        if step is None or not commands:
            return []
        if any(words[0] == "sudo" for words in commands):
            return [say("practice_sudo", self.lang)]
        words = self._try_of(step, commands)
        if words is None:
            missed = next((w for w in commands if hints.near_miss(self._wanted(step), w)), None)
            if missed is None:
                return []
            self.tried = hints.Try(missed, status, transcript, columns=columns)  # the verb, on another container
            reason = hints.other_container(self._wanted(step), missed, self.lang)
            return self._failed(StepResult(self.scenario.path, step.index, self.total, "", Outcome.FAILED, seconds,
                                           reason=reason))  # fmt: skip
        self.tried = hints.Try(words, status, transcript, not exit_ok(step.exit, status), columns)
        result = self.run.judge(step, status, transcript, seconds)
        strangers = self.run.strangers(step) if result.outcome == Outcome.PASSED else []
        if strangers:  # made by another client than practice's docker (an alias, a full path)
            result.outcome, result.details = Outcome.FAILED, []
            result.reason = say("practice_stranger", self.lang, what=", ".join(strangers))
        if result.outcome == Outcome.PASSED:
            how = "solved" if self.solving else "passed"
            line = say(DONE_SAID[how], self.lang, n=step.index, name=result.name)
            if self.on_verdict is None:
                return [line, *self._done(how)]
            self.on_verdict([line])  # on the screen now, before the steps dockersim runs after it
            return self._done(how)
        return self._failed(result)

    def _failed(self, result: StepResult) -> list[str]:
        self.solving = False
        self.failures += 1
        self.last = result
        lines = [say("practice_not_yet", self.lang, reason=result.reason), *(f"  {d}" for d in result.details)]
        if self.failures >= HINT_AFTER:
            lines += self.hint()
        return lines

    def _try_of(self, step: Step, commands: list[list[str]]) -> list[str] | None:
        """The docker command of a line that tries the step, as words."""
        return next((words for words in commands if step.run and _tries(step.run, words, self.run.resolve_now)), None)

    def _wanted(self, step: Step) -> list[str]:
        """The step's command as the learner would type it; a value not known yet as its placeholder."""
        out = []
        for word in step.run or []:
            try:
                out.append(self._typed_word(word))
            except DockersimError:
                out.append(word)
        return out

    def hint(self) -> list[str]:
        """What the last try lacked (hints.py), then the step's own hint; without either, what the last try
        showed and where to look; without a try, what the step is about."""
        step = self.step
        if step is None:
            return []
        said = hints.lacked(self._wanted(step), self.tried, self.lang) if self.tried is not None else []
        lines = [say("practice_hint", self.lang, hint=line) for line in said]
        if step.hint:
            lines.append(say("practice_hint", self.lang, hint=pick(step.hint, self.lang)))
        if not lines and self.last is not None:  # what the last try showed, with where to look
            lines += [say("practice_hint", self.lang, hint=d) for d in [self.last.reason, *self.last.details][:3] if d]
            lines += self._look_at()
        if not lines:
            cmd = commandline.parse(step.run or ["docker"])
            verb = "docker " + (cmd.path if cmd and cmd.path else "…")
            task = pick(step.task, self.lang) if step.task else self.run.step_name(step)
            lines.append(say("practice_no_hint", self.lang, verb=verb, task=task))
        return lines

    def _look_at(self) -> list[str]:
        """Where to look next for what a check found not as expected: a container's list row and logs, an
        image's inspect output and history."""
        for check in self.step.checks if self.step else []:
            checked = bare(check)
            ref = getattr(checked, "ref", None)
            if not isinstance(ref, str) or "{" in ref:
                continue
            if isinstance(checked, ContainerCheck):
                return [f"  docker ps -a --filter name=^{ref}$   docker logs {ref}"]
            if isinstance(checked, ImageCheck):
                return [f"  docker inspect --type image {ref}   docker history {ref}"]
        return []

    def skip(self) -> list[str]:
        """Move on; dockersim runs the step so that the steps after it find what it makes."""
        step = self.step
        if step is None:
            return []
        self.run.clear(step)  # what a failed try left under the step's names
        result = self._run(step)
        lines = [say("practice_skipped", self.lang, n=step.index, name=self.run.step_name(step))]
        if not result.ok:
            lines.append(f"  ✗ {result.reason}")
        return lines + self._done("skipped")

    def solve(self) -> Solution | None:
        """The step's own command as the learner would type it (the chapter's image names), and its tty
        actions; the try it makes is recorded as solved."""
        step = self.step
        if step is None or not step.run:
            return None
        self.run.clear(step)  # what a failed try left under the step's names
        self.solving = True
        words = [self._typed_word(w) for w in step.run]
        return Solution(shlex.join(words), list(step.tty or []), commandline.reads_input(words))

    def _typed_word(self, template: str) -> str:
        images = self.scenario.images
        return placeholders.substitute(
            template,
            lambda p: images[p.arg] if p.kind == "image" else self.run.resolve_now(p.text),
        )

    def summary(self) -> str:
        counts = {k: sum(1 for s in self.scenario.steps if self.progress.steps.get(s.index) == k) for k in KNOWN}
        left = self.total - sum(counts.values())
        line = say("practice_summary", self.lang, title=self.title, total=self.total, left=left, **counts)
        return line + (say("practice_held", self.lang, held=counts["held"]) if counts["held"] else "")

    @property
    def all_typed(self) -> bool:
        """Every step the learner types passed by their own typing (one held back as destructive aside)."""
        return all(self.progress.steps.get(s.index) in ("passed", "held") for s in self.scenario.steps if s.typed())

    # -- moving on -------------------------------------------------------------------------------

    def _done(self, how: str) -> list[str]:
        step = self.step
        assert step is not None
        self.progress.steps[step.index] = how
        self.progress.save()
        self.at += 1
        self.failures, self.last, self.tried, self.solving = 0, None, None, False
        return self._advance_auto()

    def _advance_auto(self) -> list[str]:
        """Steps the learner does not type run now, until one they do (or the end)."""
        lines = []
        while (step := self.step) is not None:
            if step.destructive and not self.allow_destructive:
                lines.append(say("practice_destructive", self.lang, n=step.index))
                self.progress.steps[step.index] = "held"
            elif step.typed():
                break
            else:
                key = "practice_auto" if step.run or step.shell else "practice_auto_check"
                shown = shlex.join(map(self._typed_word, step.run)) if step.run else self._typed_word(step.shell or "")
                lines.append(say(key, self.lang, n=step.index, command=shown, name=self.run.step_name(step)))
                result = self._run(step)
                mark = "✓" if result.ok else "✗"
                lines.append(f"  {mark} {result.name}" + (f": {result.reason}" if not result.ok else ""))
                lines += [f"  {d}" for d in result.details]
                if result.ok:  # else it is left, and runs again when the learner comes back
                    self.progress.steps[step.index] = "passed"
            self.at += 1
            self.progress.save()
        if self.step is None:
            lines.append(say("practice_all_done", self.lang, total=self.total, title=self.title))
        return lines

    def _run(self, step: Step) -> StepResult:
        if step.destructive and not self.allow_destructive:
            return StepResult(
                self.scenario.path, step.index, self.total, pick(step.name, self.lang), Outcome.SKIPPED, 0
            )
        return self.run.run_step(step)
