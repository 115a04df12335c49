"""The engines a grade run grades on: sandboxes it starts on this machine (`--jobs N`), and engines that
exist already, reached through docker contexts (`--engine CONTEXT`). One submission at a time per engine.

A sandbox is the run's own: emptied whole between two submissions. A context's engine is not: what a
submission makes there carries the run's labels (a named volume is noted in the run's journal), and only
that is removed — by this run, or by its reaper if the run dies. Each context's client gets a config folder
of its own holding that one context, so that no other context, credential or proxy of the grader's is a
submission's; an ssh:// context's calls share one SSH connection (ControlMaster).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.errors import DockersimError
from dockersim.grading.engines import GradingEngine, Record, SetAside
from dockersim.grading.grade import grade_one
from dockersim.grading.homework import Spec
from dockersim.grading.images import image_ids, prepare, restore
from dockersim.grading.result import Disturbed, EngineFault, Grade
from dockersim.i18n.phrase import Phrase, said
from dockersim.run.results import Outcome

FAILS_PER_SUBMISSION = 2  # a submission under which this many engines failed is not tried on a third


@dataclass
class _Item:
    index: int
    folder: Path
    failed_on: list[str] = field(default_factory=list)  # engines that failed while grading it
    disturbed: list[str] = field(default_factory=list)  # what disturbed its grading, each time it did


class Pool:
    """Submissions handed to engines as each becomes free. An engine is checked before each submission
    (it answers, it holds nothing of an earlier one; grade_one puts the kit's images back as they were) and,
    when the spec has a reference, grades it first as a canary; one that fails is set aside with its reason,
    and a submission it was grading goes back to the others (at most FAILS_PER_SUBMISSION engines)."""

    def __init__(self, spec: Spec, folders: Sequence[Path], lang: str, progress: Callable[[str], None]) -> None:
        self.spec, self.lang, self.progress = spec, lang, progress
        self.total = len(folders)
        self.todo = [_Item(i, folder) for i, folder in enumerate(folders)]
        self.busy = 0
        self.done: dict[int, Grade] = {}
        self.records: list[Record] = []
        self.kit_source: Docker | None = None
        self.stopping = False  # interrupted: no engine takes another submission
        self.images: dict[str, dict[str, str]] = {}  # each engine's kit names and their image IDs
        self.keep: dict[str, set[str]] = {}  # each engine's images that stay between submissions
        self._cond = threading.Condition()

    @property
    def grades(self) -> list[Grade]:
        return [self.done[i] for i in range(self.total)]

    def grade(self, engines: Sequence[GradingEngine]) -> None:
        self.records = [e.record for e in engines]
        with ThreadPoolExecutor(max_workers=max(1, len(engines))) as threads:
            futures = [threads.submit(self._serve, engine) for engine in engines]
            try:
                for future in futures:
                    future.result()
            except BaseException:  # Ctrl+C: what is being graded finishes, and no engine takes another
                with self._cond:
                    self.stopping = True
                    self._cond.notify_all()
                raise
        names = ", ".join(r.name for r in self.records) or "none"
        for item in self.todo:  # every engine was set aside before it got this one (again)
            note = (Phrase("g_engines_failed", engines=", ".join(item.failed_on)) if item.failed_on
                    else Phrase("g_no_engine", engines=names))  # fmt: skip
            self.done[item.index] = Grade.not_graded(item.folder.name, self.spec.max_points, note)

    def _take(self) -> _Item | None:
        """The next submission; None when none is left, nor any that an engine now grading may give back."""
        with self._cond:
            while not self.todo and self.busy and not self.stopping:
                self._cond.wait()  # an engine grading now may fail and hand its submission back
            if not self.todo or self.stopping:
                return None
            self.busy += 1
            return self.todo.pop(0)

    def _give_back(self, item: _Item, grade: Grade | None) -> int:
        """A submission graded, or handed back for another engine (once too often: graded as not gradable);
        how many are done."""
        with self._cond:
            self.busy -= 1
            if grade is None and len(item.failed_on) >= FAILS_PER_SUBMISSION:
                why = (Phrase("g_disturbed", what="; ".join(item.disturbed)) if item.disturbed
                       else Phrase("g_engines_failed", engines=", ".join(item.failed_on)))  # fmt: skip
                grade = Grade.not_graded(item.folder.name, self.spec.max_points, why)
            if grade is None:
                self.todo.insert(0, item)
            else:
                self.done[item.index] = grade
            self._cond.notify_all()
            return len(self.done)

    def _serve(self, engine: GradingEngine) -> None:
        """One engine's share of the work, until none is left or the engine is set aside."""
        try:
            try:
                self._start(engine)
                while (item := self._take()) is not None:
                    self._grade(engine, item)
                self._tidy(engine)
                return
            except DockersimError as e:
                why = said(e)
            except Exception as e:  # a fault of ours with this engine: it is set aside, and the run goes on
                why = f"{type(e).__name__}: {e}"
            engine.record.set_aside = why
            self.progress(Phrase("pool_set_aside", engine=engine.name, reason=why))
        finally:
            try:
                engine.down()
            except Exception as e:  # the engine is left as it is; the run's reaper tries again
                self.progress(Phrase("pool_not_left", engine=engine.name, error=f"{type(e).__name__}: {e}"))

    def _tidy(self, engine: GradingEngine) -> None:
        """What the last submission made, gone before its engine stops: a sandbox's disk is kept for the next
        run, and a hog's files must not hold the machine's disk until then."""
        with contextlib.suppress(DockersimError):
            engine.reset()
            if engine.dedicated and engine.name in self.images:
                restore(engine.docker, self.images[engine.name], lambda _line: None, self.keep[engine.name])

    def _start(self, engine: GradingEngine) -> None:
        """The engine up, the kit's images in it, and (when the spec has one) its canary passed."""
        engine.up()
        if engine.record.isolation == "none":  # the allow-list is then all that stands between a student and it
            self.progress(Phrase("pool_not_isolated", engine=engine.name))
        engine.before_kit()
        say = self.progress
        self.images[engine.name] = prepare(
            engine.docker, lambda line: say(Phrase("on_engine", slot=engine.name, line=line)), self.kit_source
        )
        self.keep[engine.name] = set(image_ids(engine.docker))  # an engine's own images, and the kit's, stay
        if self.spec.reference is not None:
            self._canary(engine)

    def _grade(self, engine: GradingEngine, item: _Item) -> None:
        """One submission on this engine; handed back to the others when the engine fails under it."""
        grade: Grade | None = None
        try:
            self._ready(engine)
            self.progress(Phrase("pool_grading", engine=engine.name, student=item.folder.name))
            # A submission graded again has a new workspace: the failed engine's containers may still write.
            name = f"{item.folder.name}.again{len(item.failed_on)}" if item.failed_on else None
            try:
                grade = grade_one(self.spec, item.folder, engine, self.images[engine.name], self.lang,
                                  self.keep[engine.name], name)  # fmt: skip
            except Disturbed as e:  # not the submission's doing: graded again, on a fresh engine
                item.failed_on.append(engine.name)
                item.disturbed.append(said(e))
                engine.record.disturbed.append(f"{item.folder.name}: {said(e)}")
                self.progress(Phrase("pool_disturbed", engine=engine.name, student=item.folder.name, what=said(e)))
                self._afresh(engine, Phrase("pool_not_ready", student=item.folder.name, why=said(e)))
                return
            except EngineFault as e:  # not the submission's doing: another engine grades it
                item.failed_on.append(engine.name)
                cause, answer = said(e), engine.answers()  # what failed, and whether the engine answers still
                why = answer if answer and answer in cause else "; ".join(w for w in (cause, answer) if w)
                self._afresh(engine, Phrase("pool_failed_under" if answer else "pool_not_ready",
                                            student=item.folder.name, why=why))  # fmt: skip
                return
            except DockersimError as e:
                grade = Grade.not_graded(item.folder.name, self.spec.max_points, Phrase("g_stopped", error=said(e)),
                                         engine.name)  # fmt: skip
            except Exception as e:  # a fault of ours: the engine set aside, the submission tried a bounded time
                item.failed_on.append(engine.name)
                why = f"{type(e).__name__}: {e}"
                raise SetAside(Phrase("pool_failed_under", student=item.folder.name, why=why)) from e
            why = engine.answers()
            if why:  # what it found is not the submission's doing: graded again, on this engine afresh or another
                item.failed_on.append(engine.name)
                grade = None
                self._afresh(engine, Phrase("pool_failed_under", student=item.folder.name, why=why))
                return
            engine.record.graded.append(grade.student)
        finally:
            done = self._give_back(item, grade)
        self.progress(f"[{done}/{self.total}] {grade.student}: {grade.score}/{grade.max} "
                      f"({grade.seconds:.0f}s, {engine.name})")  # fmt: skip

    def _afresh(self, engine: GradingEngine, why: str) -> None:
        """An engine that failed under a submission: started afresh where it is the run's own (a sandbox), or
        set aside (SetAside, saying `why`)."""
        if not engine.dedicated:
            raise SetAside(why)
        self.progress(Phrase("pool_afresh", engine=engine.name, why=why))
        try:
            engine.renew()
        except DockersimError as again:
            raise SetAside(f"{why}; {said(again)}") from again

    def _ready(self, engine: GradingEngine) -> None:
        """An engine fit for the next submission: answering, and empty of an earlier one's objects."""
        why = engine.answers()
        if why:
            raise SetAside(Phrase("pool_no_answer", why=why))
        if engine.leftovers():
            engine.reset()
            left = engine.leftovers()
            if left:
                raise SetAside(Phrase("pool_leftovers", n=left))

    def _canary(self, engine: GradingEngine) -> None:
        """The spec's reference solution graded on this engine first: an engine that does not give it every
        point would fail students for its own reasons."""
        assert self.spec.reference is not None
        self.progress(Phrase("pool_canary", engine=engine.name))
        workspace = ".reference-" + re.sub(r"[^A-Za-z0-9]+", "-", engine.name)  # its own, beside the students'
        got = grade_one(self.spec, self.spec.reference, engine, self.images[engine.name], self.lang,
                        self.keep[engine.name], name=workspace)  # fmt: skip
        engine.record.canary = f"{got.score}/{got.max}"
        if got.score < got.max:
            missed = "; ".join(f"{c.name}: {c.details[0]}" if c.details else c.name for c in got.checks
                               if c.outcome is not Outcome.PASSED) or "; ".join(got.notes)  # fmt: skip
            raise SetAside(Phrase("pool_canary_failed", score=got.score, max=got.max, missed=missed))
