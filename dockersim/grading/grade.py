"""Grading: each submission on a sandbox engine of its own — setup, the submission within its time limit,
the checks, teardown — and a Grade per student. Writing the gradebook and feedback is report/grades.py's job.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shlex
import time
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.engine.images import normal_ref
from dockersim.engine.process import Completed
from dockersim.engine.snapshot import Snapshot
from dockersim.errors import DockersimError, ScenarioError
from dockersim.grading import builds, submission
from dockersim.grading.engines import GradingEngine
from dockersim.grading.homework import GradedCheck, Spec
from dockersim.grading.images import give_back_images, restore
from dockersim.grading.policy import Policy
from dockersim.grading.result import CheckOutcome, Disturbed, EngineFault, Grade, LineResult
from dockersim.grading.settling import Activity, Look, may_change
from dockersim.grading.vetting import SharedVetting, leads_out
from dockersim.host.beneath import Refused
from dockersim.i18n.phrase import Phrase, mapped, said, say
from dockersim.ownership.labels import LABEL_KEY
from dockersim.ownership.run import Ownership
from dockersim.run.base import NotHere, Placement, RunOptions
from dockersim.run.results import Outcome
from dockersim.run.runner import ScenarioRun
from dockersim.scenario import placeholders
from dockersim.scenario.loader import parse_scenario
from dockersim.scenario.model import Act, Scenario, Step
from dockersim.yamlfile.texts import pick


def grading_run(docker: Docker, spec: Spec, lang: str = "en", engine_host: str = "127.0.0.1",
                ownership: Ownership | None = None, placement: Placement | None = None) -> ScenarioRun:  # fmt: skip
    """The spec's setup, the student's session and the checks, host paths re-rooted in the placement's
    workspace. On a grading engine of the run's own, everything on it counts; on an engine it shares (a
    context), only what carries its labels, and its vet (SharedVetting) passes each docker command first."""
    scenario = Scenario(path=spec.path, title={"en": spec.title}, images=spec.images, steps=spec.setup)
    options = RunOptions(engine_host=engine_host, allow_destructive=True, lang=lang)
    return ScenarioRun(docker, scenario, options, ownership, placement or Placement(everything_owned=True))


def evaluate(
    run: ScenarioRun, checks: list[GradedCheck], settle: float, activity: Activity | None = None
) -> list[CheckOutcome]:
    """Every check; a failed one is looked at again while what it checks can still change (settling.py)
    and `settle` seconds are not over, since services a submission starts take a while to answer.
    `activity`, started before the submission ran, has CPU readings ready when the checks begin."""
    deadline = time.monotonic() + settle
    outcomes: dict[int, CheckOutcome] = {}
    looks: dict[int, int] = {}
    pending = list(checks)
    failed: dict[int, list[str]] = {}  # the fields each check failed on, at its last look
    activity = activity or Activity(run.docker)  # CPU use: a service still coming up, or an idle one
    try:
        while True:
            snap = Snapshot(run.docker)
            for graded in pending:
                looks[graded.index] = looks.get(graded.index, 0) + 1
                outcomes[graded.index], failed[graded.index] = _outcome(graded, snap, run, looks[graded.index])
            if time.monotonic() >= deadline:
                break
            look = Look(snap.containers, busy=activity.busy, host_path=lambda p: run.host_path(run.resolve(p)))
            pending = [g for g in pending if outcomes[g.index].outcome is Outcome.FAILED
                       and may_change(g.check, look, failed[g.index])]  # fmt: skip
            if not pending:
                break
            time.sleep(0.5)  # poll: failing checks again until the settle deadline
    finally:
        activity.close()
    return [outcomes[g.index] for g in checks]


def _outcome(graded: GradedCheck, snap: Snapshot, run: ScenarioRun, looks: int) -> tuple[CheckOutcome, list[str]]:
    """One look at a check, and the fields it failed on."""
    mismatches = []
    try:
        mismatches = graded.check.evaluate(snap, run)
        outcome = Outcome.FAILED if mismatches else Outcome.PASSED
        details: list[str] = [Phrase("mismatch", field=m.field, expected=m.expected, found=m.found) for m in mismatches]
    except (DockersimError, OSError) as e:  # an unreadable file too: an ERROR, never a traceback
        outcome, details = Outcome.ERROR, [Phrase("g_could_not_check", error=said(e))]
    hint = pick(graded.hint, run.options.lang) if graded.hint else ""
    return CheckOutcome(graded.index, graded.name, graded.points, graded.points if outcome is Outcome.PASSED else 0,
                        outcome, details, graded.hidden, hint if outcome is not Outcome.PASSED else "", looks,
                        graded.published), \
        [m.field for m in mismatches]  # fmt: skip


def run_commands(run: ScenarioRun, lines: list[submission.Line], deadline: float, workspace: Path,
                 policy: Policy, engine: GradingEngine | None = None) -> list[LineResult]:  # fmt: skip
    """The submission's lines, each vetted again as it is about to run (on an engine the run shares, by
    SharedVetting too); a build is built as `engine` builds (builds.py), and refused where it has none."""
    docker = run.docker
    out = []
    for line in lines:
        result = LineResult(line.number, line.text, refused=line.refused)
        out.append(result)
        if line.refused:
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            result.skipped = Phrase("g_not_run")
            continue
        # Vetted again as it is about to run: an earlier line's container may have made a symlink that
        # would now lead a bind source out of the workspace.
        [now] = submission.read_commands(line.text, workspace, policy)
        if now.refused:
            result.refused = Phrase("g_when_run", reason=now.refused)
            continue
        if not docker.local_files:
            outside = leads_out(docker, workspace, now.argv)
            if outside:
                result.refused = Phrase("g_when_run", reason=Phrase("r_outside", path=outside))
                continue
        marks = submission.substitution_marks(line.argv)
        shared = not run.placement.everything_owned
        ours = f"label={LABEL_KEY}={run.ownership.run_id}"
        ids = {mark: docker.call([*args, *(["--filter", ours] if shared else [])]).stdout.split()
               for mark, args in marks.items()}  # fmt: skip
        argv = submission.expand(line.argv, ids)
        # What it creates carries the run's labels: on an engine the run shares, only that is reset after.
        try:
            argv = run.docker_argv(argv)
        except NotHere as e:
            result.refused = Phrase("g_when_run", reason=said(e))
            continue
        if builds.is_build(now.argv):
            try:
                done = _build(engine, now.argv, workspace, deadline - time.monotonic())
            except Refused as e:
                result.refused = Phrase("g_when_run", reason=said(e))
                continue
        else:
            done = docker.run_argv(argv, timeout=left, keep=submission.OUTPUT_KEPT)
        result.status = done.status
        result.output = (done.stdout + done.stderr).strip().splitlines()[-5:]
        if done.timed_out:
            result.skipped = Phrase("g_stopped_limit")
    return out


def _build(engine: GradingEngine | None, argv: list[str], workspace: Path, timeout: float) -> Completed:
    """A vetted build: its context copied where no container reaches (Refused when it cannot be read so, or
    its Dockerfile asks for what a graded build does not give), built by the engine, the copy removed; what
    it printed says the context as the submission named it."""
    where = engine.build_stage if engine is not None else None
    if engine is None or where is None:
        raise Refused(Phrase("r_build_here"))
    start = time.monotonic()
    staged = builds.stage(argv, workspace, where, engine.remap_root)
    try:
        left = max(1.0, timeout - (time.monotonic() - start))
        done = engine.build(staged, left, submission.OUTPUT_KEPT)
    finally:
        staged.remove()
    return dataclasses.replace(done, stdout=staged.said(done.stdout), stderr=staged.said(done.stderr))


def read_session(path: Path, workspace: Path, spec: Spec, notes: list[str]) -> list[Step]:
    """session.yaml read and vetted whole before any of it runs: tty steps in scenario syntax, each command
    vetted like a line of commands.sh; what is refused is named in the notes and left out."""
    try:
        text = submission.read_file(path.parent, path.name)
        if text is None:
            return []
        scenario = parse_scenario(submission.plain_yaml(text, path.name), path.name)
    except submission.Refused as e:
        notes.append(said(e))
        return []
    except ScenarioError as e:
        notes.append(Phrase("g_session_not_run", file=path.name, error=str(e)))
        return []
    steps = []
    for step in scenario.steps:
        if step.run is None:
            notes.append(Phrase("g_run_only", where=f"{path.name}:{step.line}"))
            continue
        texts = [*step.run, *(a.text for a in step.tty or []), *(a.until or "" for a in step.tty or [])]
        if step.capture or any(placeholders.find(text) for text in texts):
            # Filled in after vetting, a placeholder could carry anything (`-v {var.V}` with V=/etc:/e).
            notes.append(Phrase("g_no_placeholders", where=f"{path.name}:{step.line}"))
            continue
        if any(a.kind is Act.ASIDE for a in step.tty or []):
            # A second terminal's command would run unvetted: a session is the one command of each step.
            notes.append(Phrase("g_no_aside", where=f"{path.name}:{step.line}"))
            continue
        [line] = submission.read_commands(shlex.join(step.run), workspace, spec.policy) or [
            submission.Line(step.line, "")
        ]
        if line.refused or builds.is_build(line.argv):
            reason = line.refused or Phrase("r_build_session")
            notes.append(Phrase("g_refused", where=f"{path.name}:{step.line}", reason=reason))
            continue
        # The vetted command, and no checks: a submission does not grade itself.
        limit = spec.time_limit  # no step of a session waits longer than the whole submission may take
        # Named by what the student wrote, not by the vetted argv with the grader's workspace in it.
        name = step.name if step.named else {"en": shlex.join(step.run)}
        steps.append(dataclasses.replace(step, run=line.argv, checks=[], timeout=min(step.timeout, limit), name=name,
                                         named=True, retry=min(step.retry, limit) if step.retry else None))  # fmt: skip
    return steps


def grade_one(spec: Spec, folder: Path, engine: GradingEngine, images: dict[str, str], lang: str = "en",
              keep: frozenset[str] | set[str] = frozenset(), name: str | None = None) -> Grade:  # fmt: skip
    """One submission on an engine reset of the last one, whose kit images are as `images` says (updated if
    rebuilt); `keep`: images of the engine's own; `name`: the workspace's, when not the student's. Disturbed
    when something other than the grader changed the engine meanwhile: then it has no score."""
    start = time.monotonic()
    docker = engine.docker
    student = folder.name
    assert engine.workspaces is not None
    workspace = engine.workspaces / (name or student)
    try:
        # Root in an isolated engine's containers is an unprivileged host uid: it may write its own workspace.
        engine.prepare_workspace(workspace)
        engine.reset()
        copied = submission.copy_files(folder, workspace, engine.remap_root) if engine.docker.local_files else []
        images.update(restore(docker, images, lambda _line: None, keep if engine.dedicated else None))
        if not engine.dedicated:  # what an earlier submission pointed elsewhere; the kit's names are restore's
            give_back_images(docker, engine.ownership.tags, {normal_ref(r) for r in images})
        engine.before_submission()
    except DockersimError as e:  # nothing of the submission has run: the engine's failing, not the student's
        raise EngineFault(said(e)) from e
    grade = Grade(student, 0, spec.max_points, engine=engine.name, notes=copied)
    # The whole submission is read and vetted before anything of it runs.
    lines: list[submission.Line] = []
    try:  # beneath the folder, never through a link: a link's target must not reach the feedback
        text = submission.read_file(folder, spec.submission)
        if text is None:
            grade.notes.append(Phrase("g_no_file", file=spec.submission))
        else:
            lines = submission.read_commands(text, workspace, spec.policy)
    except submission.Refused as e:
        grade.notes.append(said(e))
    steps = read_session(folder / spec.session, workspace, spec, grade.notes)
    vet = None if engine.dedicated else SharedVetting(docker, engine.ownership, images)
    placement = Placement(workspace, engine.dedicated, engine.make_sources, vet, spec.limits, engine.each_container,
                          submission.OUTPUT_KEPT)  # fmt: skip
    run = grading_run(docker, spec, lang, engine.engine_host, engine.ownership, placement)
    witness = engine.witness()  # from here to the last check, the engine is the grader's alone
    activity: Activity | None = None
    failed: DockersimError | None = None
    try:
        for step in spec.setup:
            result = run.run_step(step)
            if not result.ok:
                grade.notes.append(Phrase("g_setup_failed", n=step.index, reason=result.reason))
        activity = Activity(docker).start()  # watching the CPU from the first container on
        grade.lines = run_commands(run, lines, time.monotonic() + spec.time_limit, workspace, spec.policy, engine)
        grade.session = [run.run_step(step) for step in steps]
        grade.checks = evaluate(run, spec.checks, spec.settle, activity)
    except DockersimError as e:  # the engine failing under it, maybe because someone else stopped it
        failed = e
    finally:
        if activity is not None:
            activity.close()
        disturbed = witness.verdict() if witness is not None else ""
    if disturbed:
        raise Disturbed(disturbed) from failed
    if failed is not None:
        raise failed
    grade.notes += engine.hits(witness.events if witness is not None else ())
    mark_checks(grade, lang)
    root = str(workspace.resolve())
    for outcome in grade.checks:  # host paths as the student wrote them, not where the grader put them
        outcome.details = [mapped(d, lambda t: t.replace(root, "")) for d in outcome.details]
    grade.score = sum(c.earned for c in grade.checks)
    with contextlib.suppress(DockersimError):  # the grade stands; the engine is reset before the next, or set aside
        engine.reset()
    grade.seconds = time.monotonic() - start
    return grade


def mark_checks(grade: Grade, lang: str) -> None:
    """The checks' moment, after the last tty step: a marker each, with its result, at the end of the last
    recording (a hidden check unnamed)."""
    recorded = [step for step in grade.session if step.frames]
    if not recorded:
        return
    last = recorded[-1]
    end = max([last.frames[-1][0], *(at for at, _ in last.marks)])
    for c in grade.checks:
        name = (
            say("f_hidden", lang, earned=c.earned, points=c.points) if c.hidden else f"{c.name} ({c.earned}/{c.points})"
        )
        last.marks.append((end, f"{'✓' if c.outcome is Outcome.PASSED else '✗'} {name}"))


def self_check(spec: Spec, docker: Docker, lang: str = "en", image_map: dict[str, str] | None = None
               ) -> list[CheckOutcome]:  # fmt: skip
    """`dockersim check`: the visible checks against the engine as it is now; nothing runs. image_map: the
    spec's images as the learner ran them (--offline's stand-ins, --image-map)."""
    run = grading_run(docker, spec, lang)
    run.options.image_map = dict(image_map or {})
    visible = [c for c in spec.checks if not c.hidden]
    return evaluate(run, visible, settle=0)
