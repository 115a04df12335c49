"""`dockersim record --spec HW.yaml REFERENCE_DIR`: a homework spec from a reference solution. The reference
is graded in a sandbox as `dockersim grade` grades a submission (grading/course.py), with one check of its
own that reads what the reference made (Reading) — its containers, volumes and images, the answers its
published ports give, what its volumes hold. Each of those becomes a graded check of one point (a container's
state and image, and each field its command set, apart), the checks that look inside (what a volume holds)
marked as hidden-check candidates, and `reference:` set to the folder. With --verify, the reference is
graded again under the written spec: a check it does not pass is left out, and the file says why."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shlex
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from dockersim.checks.base import CheckContext, Mismatch
from dockersim.checks.probes import HttpCheck
from dockersim.checks.vocabulary import Check
from dockersim.dockercli import commandline
from dockersim.dockercli.commandline import Command
from dockersim.engine.snapshot import Snapshot
from dockersim.errors import DockersimError
from dockersim.grading import submission
from dockersim.grading.course import graded
from dockersim.grading.homework import GradedCheck, Spec, load_spec
from dockersim.grading.policy import ALLOWED, widened
from dockersim.grading.result import Grade
from dockersim.i18n.phrase import Phrase, localise, say
from dockersim.kit.stand_ins import RECIPES, stand_in_map
from dockersim.record.diff import SET_BY, Held, container_check
from dockersim.record.document import GradedDraft, spec_text, write
from dockersim.record.naming import Naming
from dockersim.run.results import Outcome
from dockersim.scenario.loader import parse_scenario

SETTLE = 60.0  # seconds the reading waits for a published port to answer, as grade's settle does


@dataclass
class Reading:
    """A check that reads what the reference made and always passes: made as grade makes its checks, after
    the submission ran, on its engine (with its workspace's host paths)."""

    settle: float = SETTLE
    held: Held | None = None
    answers: dict[tuple[str, str], int] = field(default_factory=dict)  # (container, 80/tcp) -> HTTP status
    listings: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (container, folder) -> names
    root: str = ""  # the submission's workspace: bind sources beneath it are written as the student wrote them

    def describe(self) -> str:
        return Phrase("rec_reading")

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        self.root = ctx.host_root() or ""
        self.held = Held.read(snap, lambda c: True, lambda v: True)
        deadline = time.monotonic() + self.settle
        running = sorted((c for c in self.held.containers.values() if c.state == "running"), key=lambda c: c.created)
        for c in running:
            for key in sorted({b.key for b in c.ports if b.published and b.protocol == "tcp"}):
                status = _answer(snap, ctx, c.name, key, deadline)
                if status is not None:
                    self.answers[(c.name, key)] = status
        for c in running:  # after the services answered: what they write at start is there
            for m in c.mounts:
                done = snap.docker.call(["exec", c.name, "ls", m.destination], check=False)
                if done.status == 0 and done.stdout.split():
                    self.listings[(c.name, m.destination)] = done.stdout.split()
        return []


def _answer(snap: Snapshot, ctx: CheckContext, name: str, port: str, deadline: float) -> int | None:
    """The status of a GET through the port the engine publishes, once the service answers (a status below
    500), polled to the deadline; None when it never answered."""
    probe = HttpCheck(f"http://{{engine_host}}:{{host_port:{name}:{port}}}/", 0, status=(200,))
    while True:
        found = probe.evaluate(snap, ctx)
        status = 200 if not found else next((int(m.found) for m in found if m.field == "status"), None)
        if (status is not None and status < 500) or time.monotonic() >= deadline:
            return status
        time.sleep(0.5)  # poll: a service coming up, to the deadline


@dataclass
class SpecWritten:
    path: Path
    summary: str
    ok: bool


@dataclass
class Reference:
    """A reference solution read as grading reads it: its docker commands (commands.sh, session.yaml), the
    allow-list entries they need beyond the built-in one, and the images they name."""

    folder: Path
    commands: list[Command]
    allow: list[str]
    naming: Naming

    def made_by(self, name: str) -> Command | None:
        for cmd in self.commands:
            if cmd.path in ("container run", "container create") and name in cmd.values("--name"):
                return cmd
        return None


def read_reference(folder: Path) -> Reference:
    """The reference's commands, read before any engine is touched: commands.sh as grading reads it (a line
    the built-in allow-list refuses is read for what it would need), session.yaml as a scenario's steps."""
    if not folder.is_dir():
        raise DockersimError(f"{folder}: a reference solution is a folder holding commands.sh (and session.yaml)")
    try:
        text = submission.read_file(folder, "commands.sh")
        session = submission.read_file(folder, "session.yaml")
    except submission.Refused as e:  # a link, a folder, a file too large: what grading would refuse too
        raise DockersimError(f"{folder}: {e}") from None
    if text is None and session is None:
        raise DockersimError(f"{folder}: there is no commands.sh or session.yaml in it")
    argvs: list[list[str]] = []
    for line in submission.read_commands(text or "", Path("/nonexistent")):  # only read: nothing runs from here
        with contextlib.suppress(ValueError):
            argvs.append(line.argv or shlex.split(line.text))
    if session is not None:
        path = folder / "session.yaml"
        argvs += [s.run for s in parse_scenario(submission.plain_yaml(session, str(path)), str(path)).steps if s.run]
    commands = [cmd for argv in argvs if (cmd := _parsed(argv)) is not None]
    allow = sorted({entry for cmd in commands for entry in _allow(cmd)})
    naming = Naming()
    for cmd in commands:
        for at in commandline.image_words(cmd.argv):
            naming.image(cmd.argv[at])
    return Reference(folder, commands, allow, naming)


def _parsed(argv: list[str]) -> Command | None:
    with contextlib.suppress(commandline.CommandLineError):
        return commandline.parse(argv)
    return None


def _allow(cmd: Command) -> list[str]:
    """`allow:` entries a command needs: its verb when the built-in list has none of it, and each flag the
    list does not have for it."""
    table = ALLOWED.get(cmd.path)
    out = [] if table is not None else [f"docker {cmd.path}"]
    flags = [o.name for o in cmd.options if o.name not in (table or {}) and o.name != "--help"]
    return out + [f"docker {cmd.path} {flag}" for flag in flags]


def _grade(spec: Spec, reference: Path, docker_bin: str, lang: str, say_line: Callable[[str], None]) -> Grade:
    """The reference graded as a submission (not as a canary: its checks' outcomes are what is wanted)."""
    with tempfile.TemporaryDirectory(prefix="dockersim-record-") as out:
        spec = dataclasses.replace(spec, reference=None)
        with graded(spec, [reference], 1, Path(out), docker_bin, say_line, lang) as pool:
            grade = pool.grades[0]
    if not grade.graded:
        raise DockersimError(Phrase("rec_spec_not_graded", why="; ".join(grade.notes)))
    return grade


def graded_checks(reading: Reading, ref: Reference, lang: str) -> list[GradedDraft]:
    """A graded check, one point each, for what the reference made: each container's state and image (and
    its ports), each field its command set apart, each published port's answer; its volumes and the images
    it brought; then what its folders hold, as hidden-check candidates."""
    assert reading.held is not None
    naming = ref.naming
    naming.containers = {c.name for c in reading.held.containers.values()}
    out: list[GradedDraft] = []
    inside: list[GradedDraft] = []
    for c in sorted(reading.held.containers.values(), key=lambda c: c.created):
        spec = container_check(c, c.name, naming, ref.made_by(c.name))
        for mount in spec.get("mounts", []):
            if mount.get("source", "").startswith(reading.root + "/") and reading.root:
                mount["source"] = mount["source"][len(reading.root) :]
        main = {k: v for k, v in spec.items() if k in ("container", "state", "exit_code", "image", "ports")}
        out.append(GradedDraft(say("rec_c_container", lang, name=c.name, state=c.state, image=naming.typed(c.image)),
                               main))  # fmt: skip
        for key in SET_BY:
            if key in spec and key != "ports":
                name = say("rec_c_field", lang, name=c.name, field=key)
                out.append(GradedDraft(name, {"container": c.name, key: spec[key]}))
        for (name, port), status in sorted(reading.answers.items()):
            if name == c.name:
                check: dict[str, Any] = {"http": {"container": name, "port": port}, "status": [status]}
                out.append(GradedDraft(say("rec_c_http", lang, name=name, port=port), check, probe=True))
        for (name, folder), names in sorted(reading.listings.items()):
            chosen = _telling(names, c.env.values()) if name == c.name else None
            if chosen is not None:
                check = {"exec": {"container": name, "command": f"ls {folder}"}, "stdout": f"^{chosen}$"}
                inside.append(GradedDraft(say("rec_c_holds", lang, name=name, folder=folder, entry=chosen), check,
                                          probe=True, comments=[say("rec_hidden_candidate", lang)]))  # fmt: skip
    for name in sorted(reading.held.volumes):
        if len(name) != 64:  # a volume the engine named is no student's to make again
            out.append(GradedDraft(say("rec_c_volume", lang, name=name), {"volume": name}))
    kit = {r for r in stand_in_map()} | set(RECIPES)
    known = {n for ref_ in kit for n in (ref_, f"{ref_}:latest")}
    for image in sorted(reading.held.images - known):
        if not image.startswith(("<none>", "dockersim/")):
            out.append(GradedDraft(say("rec_c_image", lang, ref=image), {"image": naming.image(image)}))
    return out + inside


def _telling(names: list[str], env: Any) -> str | None:
    """Of what a folder holds, the name that tells most: one the container's settings name (a database its
    environment asks for), else the first."""
    plain = [n for n in names if not n.startswith(".")]
    words = {w for value in env for w in str(value).split()}
    return next((n for n in plain if n in words), plain[0] if plain else None)


def record_spec(out: Path, folder: Path, docker_bin: str, title: str | None, verify: bool, lang: str,
                say_line: Callable[[str], None]) -> SpecWritten:  # fmt: skip
    """Write the spec `out` from the reference in `folder`; see the module."""
    ref = read_reference(folder)
    reading = Reading()
    policy = widened(ref.allow)[0]
    # The reading passes at its first look (settle: it waits itself); it is no Check of the vocabulary, but
    # evaluates as one on the grading run's snapshot, which is all grading asks of a check.
    only = [GradedCheck(1, "reading", 0, cast(Check, reading), 1)]
    probe = Spec(str(out), title or out.stem, ref.naming.images, only, settle=1.0, policy=policy)
    grade = _grade(probe, folder, docker_bin, lang, say_line)
    refused = [f"commands.sh:{line.number}: {localise(line.refused, lang)}" for line in grade.refused]
    checks = graded_checks(reading, ref, lang)
    if not checks:
        raise DockersimError(Phrase("rec_spec_nothing", folder=str(folder)))
    where = os.path.relpath(folder.resolve(), out.resolve().parent)
    where = where if not where.startswith("..") else str(folder.resolve())
    head = [say("rec_spec_head", lang), *(say("rec_spec_refused", lang, line=r) for r in refused)]
    heading = title or out.stem

    def writes() -> Spec:
        text = spec_text(heading, ref.naming.images, where, checks, head, ref.allow)
        write(out, text)
        return load_spec(out)

    spec = writes()
    left: list[str] = []
    if verify:
        again = _grade(spec, folder, docker_bin, lang, say_line)
        failed = {c.index for c in again.checks if c.outcome is not Outcome.PASSED}
        left = [f"{checks[i - 1].name}: {'; '.join(c.details) or c.outcome.value}" for c in again.checks
                if (i := c.index) in failed]  # fmt: skip
        checks = [c for i, c in enumerate(checks, start=1) if i not in failed]
        head += [say("rec_spec_left_out", lang, what=w) for w in left]
        if not checks:
            raise DockersimError(Phrase("rec_spec_nothing", folder=str(folder)))
        spec = writes()
    summary = say("rec_spec_written", lang, path=out, checks=len(spec.checks), points=spec.max_points,
                  hidden=sum(1 for c in checks if c.comments))  # fmt: skip
    return SpecWritten(out, "\n".join([summary, *(f"  ✗ {r}" for r in refused + left)]), not refused and not left)
