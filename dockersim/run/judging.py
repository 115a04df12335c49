"""A step judged on what a learner typed in their own terminal (practice): its expectations and checks
on the screen their command left, and what of the step's names is already the engine's."""

from __future__ import annotations

import json
import re

from dockersim.dockercli import commandline
from dockersim.engine.terminal import on_screen
from dockersim.i18n.phrase import say
from dockersim.run.base import Attempt, StepFailed, screen_of
from dockersim.run.results import StepResult
from dockersim.run.steps import Steps
from dockersim.scenario.model import Act, Step


class Judging(Steps):
    """Practice's side of a run."""

    def judge(self, step: Step, status: int, transcript: str, seconds: float = 0.0) -> StepResult:
        """The step's expectations and checks on what a learner typed in their own terminal: its exit
        status, the screen text it wrote (stdout and stderr are one stream there), and, for a tty step,
        each `expect` found on that screen in order; what is sent is the learner's to type."""

        def typed(step: Step, attempt: Attempt) -> None:
            status_seen, at, sent = status, 0, ""
            for action in step.tty or []:
                if action.kind in (Act.SEND, Act.KEYS):
                    sent = action.text if action.kind is Act.SEND else "+".join(action.keys)
                if action.kind is not Act.EXPECT:
                    continue
                pattern = on_screen(self.resolve(action.text, regex=True))
                found = re.compile(pattern, re.MULTILINE).search(transcript, at)
                if found is None:
                    key, lang = ("screen_after" if sent else "screen_missing"), self.options.lang
                    raise StepFailed(say(key, lang, pattern=pattern, sent=sent))
                at = found.end()
            if step.ends_with_detach() and self.docker.detached(status_seen, transcript):
                status_seen = self._detached(step.run or [], attempt.screen)
            self._outputs(step, status_seen, transcript, transcript, attempt)

        attempt = self._attempt(step, typed, Attempt(screen=screen_of(transcript)))
        return self._result(step, attempt, seconds)

    def _made_by_step(self, step: Step) -> list[tuple[str, str, bool]]:
        """(kind, name, ours) for each container or network the step's command names to create that exists."""
        if not step.run or step.run[0] != "docker":
            return []
        words = [self.resolve_now(w) for w in step.run]
        out = []
        for kind, name in commandline.created_names(words):
            if kind not in ("container", "network"):
                continue  # a volume made by `-v NAME:…` carries no label to tell
            labels = "{{json .Config.Labels}}" if kind == "container" else "{{json .Labels}}"
            done = self.docker.call([kind, "inspect", "--format", labels, name], check=False)
            if done.status == 0:
                found = json.loads(done.stdout.strip() or "null") or {}
                out.append((kind, name, self.ownership.owns_label(found)))
        return out

    def strangers(self, step: Step) -> list[str]:
        """What the step creates that exists but was not made by this run (another client, sudo)."""
        return [f"{kind} {name}" for kind, name, ours in self._made_by_step(step) if not ours]

    def clear(self, step: Step) -> None:
        """Remove what this run made under the names the step creates (a failed try's leftovers)."""
        for kind, name, ours in self._made_by_step(step):
            if ours:
                self.docker.call([kind, "rm", *(["-f", "-v"] if kind == "container" else []), name], check=False)
