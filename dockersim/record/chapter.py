"""`dockersim record FILE.yaml`: a chapter written by doing it. The recording shell's steps are written as a
scenario, read back by the loader, replayed once and put through the mutation check (--verify), and the file
marked where a step failed or checks nothing of its own command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.errors import DockersimError
from dockersim.i18n.phrase import Phrase, say
from dockersim.kit.stand_ins import stand_in_map
from dockersim.ownership.run import Ownership
from dockersim.record.document import scenario_text, write
from dockersim.record.recorder import Recording, record_shell
from dockersim.record.replay import Replay, Verdict, check
from dockersim.run.batch import Plan
from dockersim.scenario.loader import parse_scenario
from dockersim.scenario.model import Scenario


@dataclass
class Written:
    """What record wrote: the file, its steps, and (with --verify) what the replay and mutation found."""

    path: Path
    steps: int
    verdict: Verdict | None = None


def record_chapter(path: Path, plan: Plan, title: str | None, verify: bool, colour: bool,
                   say_line: Callable[[str], None]) -> Written:  # fmt: skip
    """Record a chapter into `path` from the instructor's shell; see the module."""
    lang = plan.options.lang
    images = {ref: ref for ref in stand_in_map()} if plan.offline else {}
    written: list[Written] = []

    def after(recording: Recording, docker: Docker, ownership: Ownership) -> None:
        if not recording.drafts:
            return
        heading = recording.title or {lang: title or path.stem}
        head = [say("rec_head", lang)]

        def load() -> Scenario:
            text = scenario_text(heading, recording.naming.images, recording.drafts, head)
            write(path, text)
            return parse_scenario(text, str(path))

        load()
        done = Written(path, len(recording.drafts))
        written.append(done)
        if not verify:
            return
        say_line(Phrase("rec_verifying", path=str(path)))
        done.verdict = verdict = check(recording.drafts, load, Replay(docker, plan.options, ownership), lang)
        head.append(say("rec_head_replayed", lang, steps=done.steps, failed=len(verdict.failed),
                        mutated=verdict.mutated, survived=len(verdict.survived)))  # fmt: skip
        load()

    record_shell(path, plan, images, colour, say_line, after)
    if not written:
        raise DockersimError(Phrase("rec_nothing", path=str(path)))
    return written[0]
