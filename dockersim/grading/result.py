"""A grade and what it is made of: each check's outcome, each line's, the notes; and the two ways grading
fails that are no submission's doing (an engine not made ready; an engine disturbed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dockersim.errors import DockersimError
from dockersim.run.results import Outcome, StepResult


@dataclass
class LineResult:
    number: int
    text: str
    status: int | None = None
    output: list[str] = field(default_factory=list)  # the last lines it printed
    refused: str = ""
    skipped: str = ""


@dataclass
class CheckOutcome:
    index: int
    name: str
    points: int
    earned: int
    outcome: Outcome  # passed, failed, or error (the check could not be made)
    details: list[str] = field(default_factory=list)
    hidden: bool = False
    hint: str = ""
    looks: int = 1  # how often it was evaluated: again only while what it checks could still change
    published: bool = False  # a hidden check shown once grades are published (Gradescope's after_published)


@dataclass
class Grade:
    student: str
    score: int
    max: int
    checks: list[CheckOutcome] = field(default_factory=list)
    lines: list[LineResult] = field(default_factory=list)
    session: list[StepResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    engine: str = ""  # which engine of the pool graded it
    graded: bool = True  # False: no engine could give it a score (its notes say why); it has none

    @staticmethod
    def not_graded(student: str, max_points: int, why: str, engine: str = "") -> Grade:
        return Grade(student, 0, max_points, notes=[why], engine=engine, graded=False)

    @property
    def refused(self) -> list[LineResult]:
        return [line for line in self.lines if line.refused]


class EngineFault(DockersimError):
    """An engine could not be made ready for a submission (its workspace, its reset, the kit's images)."""


class Disturbed(DockersimError):
    """Something other than the grader changed a submission's engine while it was graded (witness.py): the
    grade it would give is not the submission's."""
