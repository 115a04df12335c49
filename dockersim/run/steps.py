"""A scenario's steps carried out one after another: each tried (again while it may `retry:`), its command
and its expectations, then its checks on a snapshot; one StepResult a step; what the scenario made removed."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import time
from collections.abc import Callable, Iterator

from dockersim.checks.container import ContainerCheck
from dockersim.checks.requires import ENGINES
from dockersim.checks.vocabulary import Check, bare
from dockersim.engine.process import Completed
from dockersim.engine.snapshot import Snapshot
from dockersim.errors import DockerError, DockersimError, EngineUnavailable, ParseError
from dockersim.i18n.phrase import localise, said, say
from dockersim.ownership.inventory import Inventory
from dockersim.run.base import Attempt, StepFailed, marked, screen_of
from dockersim.run.results import Outcome, StepResult
from dockersim.run.tty import Tty
from dockersim.scenario import placeholders
from dockersim.scenario.model import Step
from dockersim.yamlfile.texts import pick


class Steps(Tty):
    """Steps run, and what they made removed after."""

    def run_steps(self) -> Iterator[StepResult]:
        failed = False
        for step in self.scenario.steps:
            if failed and self.options.fail_fast:
                yield self._result(step, Attempt(Outcome.SKIPPED, say("not_run", self.options.lang)), 0.0)
                continue
            result = self.run_step(step)
            failed = failed or not result.ok
            yield result

    def run_step(self, step: Step) -> StepResult:
        start = time.monotonic()
        if step.destructive and not self.options.allow_destructive:
            return self._result(step, Attempt(Outcome.SKIPPED, say("destructive_refused", self.options.lang)), 0.0)
        unmet = step.requires.unmet(self.docker.kind) if step.requires else None
        if unmet is not None:
            key = "requires_engine" if unmet[0] in ENGINES else "requires_feature"
            why = say(key, self.options.lang, needs=unmet[0], engine=unmet[1])
            if step.requires and step.requires.why:
                why = f"{why}: {pick(step.requires.why, self.options.lang)}"
            return self._result(step, Attempt(Outcome.SKIPPED, why), 0.0)
        retry_until = start + step.retry if step.retry else start
        while True:
            attempt = self._attempt(step)
            if attempt.outcome == Outcome.PASSED or time.monotonic() >= retry_until:
                break
            time.sleep(min(0.5, max(0.0, retry_until - time.monotonic())))  # poll: step has retry: seconds
        return self._result(step, attempt, time.monotonic() - start)

    def _result(self, step: Step, attempt: Attempt, seconds: float) -> StepResult:
        """The step's one result, built once from its last attempt."""
        failed = attempt.outcome in (Outcome.FAILED, Outcome.ERROR)
        return StepResult(
            self.scenario.path, step.index, len(self.scenario.steps), self.step_name(step),
            attempt.outcome, seconds, step.command_text, attempt.reason, attempt.details, attempt.screen,
            pick(step.hint, self.options.lang) if failed and step.hint else "", attempt.exit_status, step.line,
            attempt.frames, marked(attempt, lang=self.options.lang),
        )  # fmt: skip

    def step_name(self, step: Step) -> str:
        """The step's name; a step without one is named by its command as it ran (`docker run --name hf_one
        ubuntu:14.04 true`), the values the run knows put in."""
        lang = self.options.lang
        if step.named:
            return pick(step.name, lang)

        def value(p: placeholders.Placeholder) -> str:  # what the run knows; no engine is asked to name a step
            if p.kind in (*placeholders.IMAGE_KINDS, "workdir", "engine_host") or (
                p.kind == "var" and p.arg in self.captures
            ):
                return self._value(p, None)
            return p.text

        if not step.command_text:
            what = ", ".join(placeholders.substitute(localise(c.describe(), lang), value) for c in step.checks)
            return say("d_check", lang, what=what)
        if step.run is not None:
            return shlex.join(placeholders.substitute(word, value) for word in step.run)
        return placeholders.substitute(pick(step.name, lang), value)

    def _attempt(self, step: Step, command: Callable[[Step, Attempt], None] | None = None,
                 attempt: Attempt | None = None) -> Attempt:  # fmt: skip
        """One try: the step's command (or `command`, for what a learner typed), then its checks."""
        attempt = attempt or Attempt()
        self._seen = {}
        try:
            if command is not None:
                command(step, attempt)
            elif step.run is not None or step.shell is not None:
                self._command(step, attempt)
            if step.checks:
                self._checks(step.checks, attempt)
        except StepFailed as e:
            attempt.outcome, attempt.reason = e.outcome, e.reason
            attempt.screen = e.screen or attempt.screen
        except (DockerError, EngineUnavailable, ParseError) as e:
            lang = self.options.lang
            attempt.outcome, attempt.reason = Outcome.ERROR, say("engine_error", lang, error=localise(said(e), lang))
        return attempt

    def _command(self, step: Step, result: Attempt) -> None:
        lang = self.options.lang
        deadline = time.monotonic() + step.timeout
        self._note_anonymous_volumes(step)
        if step.tty is not None:
            status, stdout, stderr = self._session(step, deadline, result)
        else:
            if step.shell is not None:
                argv = self.docker.shell_argv(self.resolve(step.shell), self.ownership.labels)
            else:
                argv = self._argv(step, deadline)
            done: Completed = self.docker.run_argv(argv, timeout=step.timeout, keep=self.placement.keep)
            status, stdout, stderr = done.status, done.stdout, done.stderr
            result.screen = screen_of(stdout + stderr)
            if done.timed_out:
                raise StepFailed(say("timed_out", lang, seconds=step.timeout), result.screen)
        self._outputs(step, status, stdout, stderr, result)

    def _outputs(self, step: Step, status: int, stdout: str, stderr: str, result: Attempt) -> None:
        """The step's exit status, stdout and stderr expectations, and its captures."""
        lang = self.options.lang
        result.exit_status = status
        if not exit_ok(step.exit, status):
            raise StepFailed(say("exit_mismatch", lang, expected=step.exit, status=status), result.screen)
        for stream, pattern, text, wanted in (
            ("stdout", step.stdout, stdout, True),
            ("stderr", step.stderr, stderr, True),
            ("stdout", step.stdout_not, stdout, False),
            ("stderr", step.stderr_not, stderr, False),
        ):
            if pattern is None:
                continue
            found = re.search(self.resolve(pattern, regex=True), text, re.MULTILINE)
            if bool(found) != wanted:
                key = "no_match" if wanted else "unwanted_match"
                raise StepFailed(say(key, lang, stream=stream, pattern=pattern), screen_of(text))
        for var, pattern in step.capture.items():
            m = re.search(self.resolve(pattern, regex=True), stdout, re.MULTILINE)
            if not m:
                raise StepFailed(say("no_capture", lang, name=var, pattern=pattern), screen_of(stdout))
            self.captures[var] = m.group(1)

    def _checks(self, checks: list[Check], result: Attempt) -> None:
        lang = self.options.lang
        snap = Snapshot(self.docker)
        snap.prefetch([self.resolve(c.ref) for c in map(bare, checks) if isinstance(c, ContainerCheck)])
        for check in checks:
            try:
                mismatches = check.evaluate(snap, self)
            except (DockersimError, OSError) as e:  # an unreadable file too: an ERROR, never a traceback
                what, error = localise(check.describe(), lang), localise(said(e), lang)
                raise StepFailed(say("check_error", lang, what=what, error=error), outcome=Outcome.ERROR) from None
            if mismatches:
                result.details += [m.said(lang) for m in mismatches]
                result.outcome = Outcome.FAILED
                result.reason = result.reason or say(
                    "check_failed", lang, what=self.resolve(localise(check.describe(), lang))
                )
        if snap.disagreements:
            result.details += [say("note", lang, note=d) for d in snap.disagreements]

    def created(self) -> Inventory:
        """What this scenario made and is still there."""
        return self.ownership.created()

    def cleanup(self) -> list[str]:
        """Remove exactly what this scenario created: containers (with anonymous volumes), volumes, networks,
        and its scratch directory."""
        removed = self.ownership.remove()
        if self._workdir is not None and os.path.exists(self._workdir):
            self._remove_workdir(self._workdir)
            removed.append(f"directory {self._workdir}")
        return removed

    def _remove_workdir(self, path: str) -> None:
        """Containers write there as their own users; what this process may not delete, a container does."""
        shutil.rmtree(path, ignore_errors=True)
        if os.path.exists(path):
            images = [self.image_ref(ref) for ref in self.scenario.images.values()]
            for image in images[:1]:
                self.docker.call(
                    [
                        "run",
                        "--rm",
                        *(a for label in self.ownership.labels for a in ("--label", label)),
                        "-v",
                        f"{path}:/w",
                        "--entrypoint",
                        "sh",
                        image,
                        "-c",
                        "rm -rf /w/* /w/.[!.]*",
                    ],
                    check=False,
                )
            shutil.rmtree(path, ignore_errors=True)


def exit_ok(spec: int | str, status: int) -> bool:
    if spec == "any":
        return True
    if spec == "nonzero":
        return status != 0
    return status == spec
