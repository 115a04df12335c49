"""Grading: each submission on a sandbox engine of its own — setup, the submission within its time limit,
the checks, teardown — and a Grade per student. Writing the gradebook and feedback is report/grades.py's job.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shlex
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dockersim.checks.probes import HELPER_IMAGE
from dockersim.dockercli import commandline
from dockersim.engine.client import Docker
from dockersim.engine.parse.listing import parse_pairs
from dockersim.engine.snapshot import Snapshot, normal_ref
from dockersim.errors import DockersimError, ScenarioError
from dockersim.grading import submission
from dockersim.grading.policy import Policy
from dockersim.grading.settling import Activity, Look, may_change
from dockersim.grading.spec import GradedCheck, Spec
from dockersim.i18n.phrase import Phrase, mapped, said, say
from dockersim.kit import stand_ins as kit
from dockersim.ownership.labels import LABEL_KEY
from dockersim.ownership.run import Ownership
from dockersim.run.results import StepResult
from dockersim.run.runner import NotHere, Placement, RunOptions, ScenarioRun
from dockersim.spec import placeholders
from dockersim.spec.loader import parse_scenario
from dockersim.spec.model import Scenario, Step
from dockersim.yamlfile.texts import pick

if TYPE_CHECKING:
    from dockersim.grading.pool import GradingEngine


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
    outcome: str  # passed | failed | error
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
            pending = [g for g in pending if outcomes[g.index].outcome == "failed"
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
        outcome = "failed" if mismatches else "passed"
        details: list[str] = [Phrase("mismatch", field=m.field, expected=m.expected, found=m.found) for m in mismatches]
    except (DockersimError, OSError) as e:  # an unreadable file too: an ERROR, never a traceback
        outcome, details = "error", [Phrase("g_could_not_check", error=said(e))]
    hint = pick(graded.hint, run.options.lang) if graded.hint else ""
    return CheckOutcome(graded.index, graded.name, graded.points, graded.points if outcome == "passed" else 0,
                        outcome, details, graded.hidden, hint if outcome != "passed" else "", looks,
                        graded.published), \
        [m.field for m in mismatches]  # fmt: skip


def prepare(docker: Docker, say: Callable[[str], None], source: Docker | None = None) -> dict[str, str]:
    """The kit's stand-ins in this engine — copied from `source` (the grader's engine) where it has them,
    else built — and tagged with the names a submission uses (mysql:5.7 …): a grading engine is the run's,
    so there they may stand for the real images. Returns each name's image ID."""
    recipes = [r for r in kit.RECIPES.values() if r.stands_for]
    if source is not None:
        kit.copy(source, docker, [r.tag for r in recipes], say)
    kit.build(docker, [r.tag for r in recipes], say, only_missing=True)
    for recipe in recipes:
        for ref in recipe.stands_for:
            docker.call(["tag", recipe.tag, ref])
    return kit_ids(docker)


def image_ids(docker: Docker) -> list[str]:
    """The IDs of every image on the engine."""
    return [i for _, i in _images(docker)]


def _images(docker: Docker) -> list[tuple[str, str]]:
    """Every image on the engine as (`repo:tag`, ID), untagged ones as `<none>:<none>`, in one call."""
    listing = docker.call(["image", "ls", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}}\t{{.ID}}"])
    return [(normal_ref(name), image) for name, image in parse_pairs(listing.stdout)]  # podman's localhost/busybox


def kit_ids(docker: Docker) -> dict[str, str]:
    """The image ID each kit name points at now (one call); a name that points nowhere is left out."""
    recipes = [r for r in kit.RECIPES.values() if r.stands_for]
    tagged = dict(_images(docker))
    refs = [name for r in recipes for name in (r.tag, *r.stands_for)]
    named = {ref: ref if ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest" for ref in refs}
    return {ref: tagged[full] for ref, full in named.items() if full in tagged}


def restore(docker: Docker, ids: dict[str, str], say: Callable[[str], None],
            keep: frozenset[str] | set[str] | None = frozenset()) -> dict[str, str]:  # fmt: skip
    """Between two submissions: the kit's names point where they did (a submission may have re-tagged or
    removed one: `docker tag busybox mysql:5.7`), and images a submission made or pulled are gone, but for
    `keep` (IDs); with keep None, no other image is removed (an engine the run shares: give_back_images)."""
    now = kit_ids(docker)
    for ref, want in ids.items():
        if now.get(ref) != want and docker.call(["tag", want, ref], check=False).status != 0:
            docker.call(["image", "rm", "-f", ref], check=False)  # its image is gone: build it again
            return prepare(docker, say)
    if keep is None:
        return ids
    keep = set(ids.values()) | keep
    others = sorted({i for _, i in _images(docker) if i not in keep})
    if others:
        docker.call(["image", "rm", "-f", *others], check=False)
    return ids


def image_names(docker: Docker) -> dict[str, str]:
    """Each image name on the engine (`repo:tag`) and the ID it points at."""
    return {ref: i for ref, i in _images(docker) if not ref.startswith("<none>")}


def give_back_images(docker: Docker, tags: Mapping[str, str], skip: frozenset[str] | set[str] = frozenset()) -> None:
    """On an engine the run shares: each image name the run noted (Ownership.note_tag) points where it did
    before the run, or is gone if it did not exist then; `skip`: names given back otherwise (the kit's)."""
    now = image_names(docker)
    for ref, was in sorted(tags.items()):
        if ref in skip or now.get(ref, "") == was:
            continue
        if was:
            docker.call(["tag", was, ref], check=False)
        else:
            docker.call(["image", "rm", ref], check=False)  # the name only: an image another name holds stays


_LABELS_AT = {"container": ".Config.Labels", "volume": ".Labels", "network": ".Labels"}
_IMAGE_ID = re.compile(r"(sha256:)?[0-9a-f]{12,64}")


class SharedVetting:
    """On an engine the run shares with others, what a command may do: a prune only to what carries the run's
    label, and nothing named that the run did not make — a line naming another's container, volume, network
    or image is refused as it is about to run (whether it came from commands.sh or a session step). The image
    names it may point elsewhere are noted first, so that they are given back after it (give_back_images),
    or by the reaper if the run dies. `kit`: the kit's names (to their IDs), the run's to use and give back."""

    def __init__(self, docker: Docker, ownership: Ownership, kit: Mapping[str, str]) -> None:
        self.docker, self.ownership = docker, ownership
        self.kit_names = frozenset(normal_ref(r) for r in kit)

    def __call__(self, argv: list[str]) -> list[str]:
        argv = commandline.with_filter(argv, [f"label={LABEL_KEY}={self.ownership.run_id}"])
        cmd = commandline.parse(argv)
        if cmd is not None and cmd.path == "image pull" and cmd.flag("--all-tags"):
            raise NotHere(Phrase("r_all_tags"))
        read: list[dict[str, str]] = []  # the engine's image names, read once a command, if it names images

        def names_now() -> dict[str, str]:
            if not read:
                read.append(image_names(self.docker))
            return read[0]

        other = self.stranger(argv, names_now)
        if other:
            raise NotHere(Phrase("r_not_ours", what=other))
        for ref in commandline.image_refs(argv):
            if "@" not in ref and not _IMAGE_ID.fullmatch(ref):
                self.ownership.note_tag(normal_ref(ref), names_now().get(normal_ref(ref), ""))
        return argv

    def stranger(self, argv: list[str], names_now: Callable[[], dict[str, str]]) -> str:
        """The first object the command names that the run did not make ("container web"), or "": one inspect
        a kind. What does not exist is no one's: the command makes it, or fails."""
        named: dict[str, list[str]] = {}
        for kind, ref in commandline.references(argv):
            for k in ("container", "volume", "network") if kind == "any" else (kind,):
                named.setdefault(k, []).append(ref)
        for ref in named.pop("image", []):
            if self._foreign_image(ref, names_now()):
                return f"image {ref}"
        for k, refs in named.items():
            if k not in _LABELS_AT:  # --type plugin, secret …: nothing a course needs
                return f"{k} {refs[0]}"
            form = f'{{{{.Name}}}}|{{{{index {_LABELS_AT[k]} "{LABEL_KEY}"}}}}'
            found = self.docker.call([k, "inspect", "--format", form, *refs], check=False).stdout  # the missing: none
            for line in found.splitlines():
                name, _, owner = line.strip().partition("|")
                if owner != self.ownership.run_id and not (k == "volume" and name in self.ownership.volumes):
                    return f"{k} {name.lstrip('/')}"
        return ""

    def _foreign_image(self, ref: str, now: dict[str, str]) -> bool:
        """Whether removing or re-tagging `ref` would touch an image name that is not the run's: the run's are
        the kit's and those it made (noted as not there before); by ID, every name the image has must be."""
        ours = self.kit_names | {r for r, was in self.ownership.tags.items() if not was}
        name = normal_ref(ref)
        if name in now:
            return name not in ours
        done = self.docker.call(["image", "inspect", "--format", "{{.Id}}", ref], check=False)
        if done.status != 0:
            return False  # no image of that name or ID: a tag makes it
        named = [n for n, image in now.items() if image == done.stdout.strip()]
        return not named or any(n not in ours for n in named)


def run_commands(run: ScenarioRun, lines: list[submission.Line], deadline: float, workspace: Path,
                 policy: Policy) -> list[LineResult]:  # fmt: skip
    """The submission's lines, each vetted again as it is about to run (on an engine the run shares, by
    SharedVetting too)."""
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
            outside = _leads_out(docker, workspace, now.argv)
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
        done = docker.run_argv(argv, timeout=left, keep=submission.OUTPUT_KEPT)
        result.status = done.status
        result.output = (done.stdout + done.stderr).strip().splitlines()[-5:]
        if done.timed_out:
            result.skipped = Phrase("g_stopped_limit")
    return out


def _leads_out(docker: Docker, workspace: Path, argv: list[str]) -> str:
    """On an engine whose host is another machine, the bind source of a command that leads out of the
    workspace there (by a symlink a container made in it), or "". Resolved by a container that sees the
    workspace at the same path: a symlink that leads out of it leads out there too."""
    sources = commandline.bind_sources(argv)
    if not sources:
        return ""
    root = str(workspace)
    done = docker.call(["run", "--rm", "--network", "none", "--mount", f"type=bind,src={root},dst={root},readonly",
                        "--entrypoint", "sh", HELPER_IMAGE, "-c", _RESOLVE, "sh", *sources], check=False)  # fmt: skip
    resolved = done.stdout.splitlines()
    if done.status != 0 or len(resolved) != len(sources):
        return sources[0]  # not told: refused rather than guessed
    for source, path in zip(sources, resolved, strict=True):
        if path != root and not path.startswith(root + "/"):
            return source
    return ""


# Each path with its symlinks resolved, as far as it exists; the rest (docker makes it) appended as written.
_RESOLVE = r"""for p in "$@"; do
  rest=""
  while [ ! -e "$p" ] && [ ! -L "$p" ] && [ "$p" != / ]; do rest="/${p##*/}$rest"; p="${p%/*}"; p="${p:-/}"; done
  echo "$(readlink -f "$p")$rest"
done"""


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
        if any(a.kind == "aside" for a in step.tty or []):
            # A second terminal's command would run unvetted: a session is the one command of each step.
            notes.append(Phrase("g_no_aside", where=f"{path.name}:{step.line}"))
            continue
        [line] = submission.read_commands(shlex.join(step.run), workspace, spec.policy) or [
            submission.Line(step.line, "")
        ]
        if line.refused:
            notes.append(Phrase("g_refused", where=f"{path.name}:{step.line}", reason=line.refused))
            continue
        # The vetted command, and no checks: a submission does not grade itself.
        limit = spec.time_limit  # no step of a session waits longer than the whole submission may take
        # Named by what the student wrote, not by the vetted argv with the grader's workspace in it.
        name = step.name if step.named else {"en": shlex.join(step.run)}
        steps.append(dataclasses.replace(step, run=line.argv, checks=[], timeout=min(step.timeout, limit), name=name,
                                         named=True, retry=min(step.retry, limit) if step.retry else None))  # fmt: skip
    return steps


class EngineFault(DockersimError):
    """An engine could not be made ready for a submission (its workspace, its reset, the kit's images)."""


class Disturbed(DockersimError):
    """Something other than the grader changed a submission's engine while it was graded (witness.py): the
    grade it would give is not the submission's."""


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
        images.update(restore(docker, images, lambda _line: None, keep if engine.dedicated else None))
        if not engine.dedicated:  # what an earlier submission pointed elsewhere; the kit's names are restore's
            give_back_images(docker, engine.ownership.tags, {normal_ref(r) for r in images})
        engine.before_submission()
    except DockersimError as e:  # nothing of the submission has run: the engine's failing, not the student's
        raise EngineFault(said(e)) from e
    grade = Grade(student, 0, spec.max_points, engine=engine.name)
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
        grade.lines = run_commands(run, lines, time.monotonic() + spec.time_limit, workspace, spec.policy)
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
        last.marks.append((end, f"{'✓' if c.outcome == 'passed' else '✗'} {name}"))


def self_check(spec: Spec, docker: Docker, lang: str = "en") -> list[CheckOutcome]:
    """`dockersim check`: the visible checks against the engine as it is now; nothing runs."""
    run = grading_run(docker, spec, lang)
    visible = [c for c in spec.checks if not c.hidden]
    return evaluate(run, visible, settle=0)
