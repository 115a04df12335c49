"""The pool's hand-out of submissions, without engines: which submission an engine that asks is given, where one
handed back by a failing engine goes, and when a submission is given up as not gradable.

pool.py has no pure functions: an engine's share of the work (Pool._serve) starts, vets and grades on a real
engine (tests/integration/test_pool.py). What is tested here is the queue those engines share: Pool._take,
Pool._give_back and what Pool.grade says of the submissions no engine took; and, with an engine that fails
before any of a submission runs, what Pool._grade does with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockersim.errors import DockersimError
from dockersim.grading.engines import GradingEngine
from dockersim.grading.homework import Spec, load_spec
from dockersim.grading.pool import FAILS_PER_SUBMISSION, Pool
from dockersim.grading.result import Grade
from dockersim.i18n.phrase import Phrase
from tests.conftest import ROOT

STUDENTS = ["alice", "bob", "carol"]


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "examples" / "hw-wordpress" / "spec.yaml")


def pool(spec: Spec) -> Pool:
    return Pool(spec, [Path("/submissions") / name for name in STUDENTS], "en", lambda _line: None)


def test_submissions_are_handed_out_in_the_order_given(spec: Spec) -> None:
    p = pool(spec)
    taken = [p._take() for _ in STUDENTS]
    assert [item.folder.name for item in taken if item] == STUDENTS and p.busy == 3
    for item in taken:
        assert item is not None
        p._give_back(item, Grade(item.folder.name, 1, spec.max_points))
    assert [g.student for g in p.grades] == STUDENTS and p.busy == 0
    assert p._take() is None  # none left, and no engine grading one that could come back


def test_a_submission_handed_back_is_the_next_one_taken(spec: Spec) -> None:
    p = pool(spec)
    first = p._take()
    assert first is not None
    first.failed_on.append("default-1")  # its engine failed under it
    assert p._give_back(first, None) == 0
    again = p._take()
    assert again is first and again.failed_on == ["default-1"]


def test_a_submission_under_which_engines_kept_failing_is_given_up_naming_them(spec: Spec) -> None:
    p = pool(spec)
    item = p._take()
    assert item is not None
    for n in range(FAILS_PER_SUBMISSION):
        item.failed_on.append(f"default-{n + 1}")
        done = p._give_back(item, None)
        if n + 1 < FAILS_PER_SUBMISSION:
            assert done == 0 and p._take() is item
    assert done == 1
    [grade] = [g for g in p.done.values()]
    assert grade.student == "alice" and not grade.graded and grade.score == 0 and grade.max == spec.max_points
    note = grade.notes[0]
    assert isinstance(note, Phrase) and note.key == "g_engines_failed"
    assert note.values["engines"] == ", ".join(f"default-{n + 1}" for n in range(FAILS_PER_SUBMISSION))


def test_a_submission_disturbed_every_time_says_what_disturbed_it(spec: Spec) -> None:
    p = pool(spec)
    item = p._take()
    assert item is not None
    for n in range(FAILS_PER_SUBMISSION):
        item.failed_on.append(f"default-{n + 1}")
        item.disturbed.append(f"container x removed ({n})")
        p._give_back(item, None)
        if n + 1 < FAILS_PER_SUBMISSION:
            assert p._take() is item
    note = p.done[0].notes[0]
    assert isinstance(note, Phrase) and note.key == "g_disturbed"
    assert note.values["what"] == "; ".join(f"container x removed ({n})" for n in range(FAILS_PER_SUBMISSION))


def test_with_no_engine_every_submission_is_not_graded_and_says_so(spec: Spec) -> None:
    p = pool(spec)
    p.grade([])
    assert [g.student for g in p.grades] == STUDENTS
    for grade in p.grades:
        note = grade.notes[0]
        assert not grade.graded and isinstance(note, Phrase) and note.key == "g_no_engine"
        assert note.values["engines"] == "none"


class _Stopped(GradingEngine):
    """A sandbox that could not be started again for the next submission: its preparation fails, and its
    client is gone with it (a podman sandbox's, removed by Box.down), as `answers` then says."""

    name, dedicated, workspaces = "sandbox 1", True, Path("/nonexistent/workspaces")
    docker = None  # type: ignore[assignment]  # grade_one reads it; nothing here calls it

    def __init__(self) -> None:
        super().__init__()
        self.renewed, self.stopped = 0, False

    def up(self) -> None: ...

    def down(self) -> None: ...

    def leftovers(self) -> int:
        return 0

    def prepare_workspace(self, workspace: Path) -> None:
        self.stopped = True
        raise DockersimError("the podman sandbox's namespaces could not be made: mount: busy")

    def answers(self) -> str:
        return "cannot run '/run/dockersim/grade-11/podman': no such program" if self.stopped else ""

    def renew(self) -> None:
        self.renewed, self.stopped = self.renewed + 1, False


def test_an_engine_that_cannot_be_made_ready_is_started_afresh_and_the_submission_handed_back(spec: Spec) -> None:
    """What failed is said, with what the engine answers now; the engine is renewed, not set aside, and the
    submission goes back to the queue to be graded again, on it or another."""
    said: list[str] = []
    p = Pool(spec, [Path("/submissions/alice")], "en", said.append)
    engine = _Stopped()
    p.images[engine.name], p.keep[engine.name] = {}, set()  # as _start leaves them: the kit on it
    item = p._take()
    assert item is not None
    p._grade(engine, item)
    assert engine.renewed == 1 and not engine.record.set_aside
    assert p.todo == [item] and item.failed_on == ["sandbox 1"] and p.busy == 0
    [line] = [s for s in said if "started afresh" in s]
    assert "stopped answering while grading alice (the podman sandbox's namespaces could not be made" in line
    assert line.endswith("no such program); another engine grades it; started afresh"), line
