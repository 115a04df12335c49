"""`dockersim practice`: the engine and its safety as in `run` (run/batch.py's `prepared`), a docker shim
first on the learner's PATH, their shell on a watched pty, and a Tracker per scenario file, one after another
in the same shell."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.errors import DockersimError
from dockersim.i18n.phrase import Phrase, said
from dockersim.ownership.run import Ownership
from dockersim.practice.hook import bash_rc
from dockersim.practice.shim import ENV as SHIM_ENV
from dockersim.practice.tracker import Progress, Tracker
from dockersim.practice.watch import Handler, Watch
from dockersim.run.base import RunOptions
from dockersim.run.batch import Plan, prepared
from dockersim.run.runner import ScenarioRun
from dockersim.scenario.model import Scenario, for_engine


@dataclass
class Practice:
    """Where to start and how the screen looks."""

    start: int | None = None  # --from N: the step to begin at, in the first file
    reset: bool = False
    colour: bool = False
    shell: str = ""  # the learner's shell ($SHELL); practice watches bash


@dataclass
class _Chapters:
    """The Handler for Watch: the scenario files in turn, each with its run and tracker."""

    docker: Docker
    plan: Plan
    ownership: Ownership
    scenarios: list[Scenario]
    practice: Practice
    say: Callable[[str], None]
    runs: list[ScenarioRun] = field(default_factory=list)
    trackers: list[Tracker] = field(default_factory=list)

    @property
    def tracker(self) -> Tracker | None:
        return self.trackers[-1] if self.trackers and not self.trackers[-1].finished else None

    def next_chapter(self, watch: Watch | None) -> list[str]:
        """Open the next scenario file with steps left; [] when none is."""
        lines: list[str] = []
        while len(self.trackers) < len(self.scenarios):
            scenario = for_engine(self.scenarios[len(self.trackers)], self.docker.kind)
            progress = Progress(scenario.path) if self.practice.reset else Progress.load(scenario.path)
            first = not self.trackers
            if self.practice.reset:
                progress.save()
            run = ScenarioRun(self.docker, scenario, self.plan.options, self.ownership)
            tracker = Tracker(scenario, run, progress, self.plan.options.lang, self.plan.options.allow_destructive)
            self.runs.append(run)
            self.trackers.append(tracker)
            lines += tracker.start(self.practice.start if first else None)
            if not tracker.finished:
                return lines
        return lines

    def banner(self, watch: Watch) -> None:
        tracker = self.tracker
        if tracker is not None:
            watch.show(tracker.banner(), "cyan")

    # -- Handler ---------------------------------------------------------------------------------

    def finished(self, watch: Watch, number: int, command: str, status: int, transcript: str) -> None:
        tracker = self.tracker
        if tracker is None:
            return
        told: list[str] = []

        def verdict(lines: list[str]) -> None:
            told.extend(lines)
            watch.show(lines, "bold")

        tracker.on_verdict = verdict
        try:
            lines = tracker.command(command, status, transcript, columns=watch.columns)
        finally:
            tracker.on_verdict = None
        watch.show(lines, "bold")
        self._moved_on(watch, tracker, bool(told or lines))

    def asked(self, watch: Watch, what: str) -> None:
        tracker = self.tracker
        if tracker is None:
            watch.tell("practice_every_step_done", "dim")
            return
        if what == "hint":
            watch.show(tracker.hint(), "bold")
        elif what == "skip":
            watch.show(tracker.skip(), "bold")
            self._moved_on(watch, tracker, True)
        elif what == "solve":
            solution = tracker.solve()
            if solution is None:
                watch.show(tracker.skip(), "bold")
                self._moved_on(watch, tracker, True)
                return
            run = self.runs[-1]
            watch.type_at_prompt(solution.command, solution.actions, run.resolve_now, solution.reads_input)

    def _moved_on(self, watch: Watch, tracker: Tracker, changed: bool) -> None:
        if tracker.finished:
            self._finish_chapter(watch)
            watch.show(self.next_chapter(watch), "bold")
            if self.tracker is None:
                watch.stop()
                return
        if changed:
            self.banner(watch)

    def _finish_chapter(self, watch: Watch) -> None:
        """What the finished file made is removed before the next one starts, as in `run`."""
        self.ownership.reread()
        try:
            self.runs[-1].cleanup()
        except DockersimError as e:
            watch.tell("not_removed", "bold", path=self.runs[-1].scenario.path, error=said(e))


def practise(scenarios: list[Scenario], plan: Plan, practice: Practice, say: Callable[[str], None]) -> list[Tracker]:
    """Practice these scenario files in the learner's shell; the trackers say how far they got."""
    with prepared(scenarios, plan, say) as ready:
        ownership = ready.ownership
        ownership.made_networks = True  # the learner may make networks: cleanup looks for labelled ones
        folder = Path(tempfile.mkdtemp(prefix="dockersim-practice-"))
        ownership.note_dir(str(folder))
        chapters = _Chapters(ready.docker, plan, ownership, scenarios, practice, say)
        try:
            for line in chapters.next_chapter(None):
                say(line)
            if chapters.tracker is not None:
                _watch(ready.docker, ownership, folder, chapters, practice)
            return chapters.trackers
        finally:
            ownership.reread()
            for run in chapters.runs:
                try:
                    run.cleanup()
                except DockersimError as e:
                    say(Phrase("not_removed", path=run.scenario.path, error=said(e)))
            ownership.remove()
            shutil.rmtree(folder, ignore_errors=True)


def _watch(docker: Docker, ownership: Ownership, folder: Path, chapters: _Chapters, practice: Practice) -> None:
    watch = watched_shell(docker, ownership, folder, chapters, chapters.plan.options, practice.colour)
    chapters.banner(watch)
    watch.run()


def watched_shell(docker: Docker, ownership: Ownership, folder: Path, handler: Handler, options: RunOptions,
                  colour: bool = False, tool: str = "practice", rc: str = "") -> Watch:  # fmt: skip
    """The learner's bash on a watched pty (not yet running), with the docker shim first on its PATH: what it
    makes carries the run's labels, and the removals and prunes the options do not allow are refused. `tool`:
    who the shim says it is ("practice", "record": a recording also refuses prunes outside the sandbox); `rc`:
    bash of the caller's own for the shell's rc."""
    shim = folder / "bin"
    shim.mkdir()
    # Not `python -m`: the learner's working folder must not come first on the shim's import path.
    start = "import sys; del sys.path[0]; from dockersim.practice.shim import main; main()"
    (shim / "docker").write_text(f'#!/bin/sh\nexec "{sys.executable}" -c \'{start}\' "$@"\n')
    (shim / "docker").chmod(0o755)
    real = shutil.which(docker.binary) or docker.binary
    config = {"docker": real, "labels": ownership.labels, "images": options.image_map,
              "journal": str(ownership.journal), "destructive": options.allow_destructive,
              "lang": options.lang, "tool": tool}  # fmt: skip
    env = {**os.environ, **docker.env, SHIM_ENV: json.dumps(config), "DOCKERSIM_PRACTICE": "1"}
    for key in ("NO_COLOR", "PAGER", "LC_ALL"):  # the driver's own settings, not the learner's
        if key in os.environ:
            env[key] = os.environ[key]
        else:
            env.pop(key, None)
    if docker.context:
        env["DOCKER_CONTEXT"] = docker.context
    bash = shutil.which("bash")
    if bash is None:
        raise DockersimError(Phrase("practice_needs_bash"))
    return Watch([bash, "--rcfile", str(bash_rc(folder, shim, rc)), "-i"], env, handler, colour, options.lang)
