"""The recording shell: practice's watched shell and docker shim (the run's labels, its journal, its reaper;
removals of what the recording did not make refused, and prunes outside the sandbox), and a Recorder that
reads the engine after each command the instructor finishes and drafts the step it becomes."""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.engine.snapshot import Snapshot
from dockersim.errors import DockersimError
from dockersim.i18n.phrase import Phrase, localise, said, say
from dockersim.ownership.run import Ownership
from dockersim.practice.hook import MARK
from dockersim.practice.session import watched_shell
from dockersim.practice.watch import Watch
from dockersim.record.diff import Held
from dockersim.record.document import Draft
from dockersim.record.draft import Drafting, NotRecorded, Recorded, draft, read_line
from dockersim.record.naming import Naming
from dockersim.record.notes import DSIM_RC, Notes, is_comment, note_of
from dockersim.record.screen import Typed, typed_ahead
from dockersim.run.batch import Plan, prepared
from dockersim.scenario.model import Scenario
from dockersim.yamlfile.texts import Text

REFUSED = 125  # the shim's status for a command it did not pass on
HOOK = MARK[1:].decode()  # in the rc's own lines, which its history holds before the first prompt


@dataclass
class Recorder:
    """The Handler of the watched shell: each line the instructor finishes becomes a step, a note, or is
    let be (with why); the keys typed into a running command are kept for its tty actions."""

    docker: Docker
    ownership: Ownership
    drafting: Drafting
    drafts: list[Draft] = field(default_factory=list)
    notes: Notes = field(default_factory=lambda: Notes({}))
    title: Text | None = None
    held: Held | None = None
    typed: list[Typed] = field(default_factory=list)
    ahead: bytes = b""  # keys typed at the shell's prompt since the last line ended

    @property
    def lang(self) -> str:
        return self.drafting.lang

    def read(self) -> Held:
        """What the recording's run holds now: its labelled containers and volumes, the volumes its shim
        noted (a `-v NAME:/path` carries no label), and every image name."""
        self.ownership.reread()
        volumes = self.ownership.volumes
        return Held.read(Snapshot(self.docker), lambda c: self.ownership.owns_label(c.labels),
                         lambda v: v.name in volumes or self.ownership.owns_label(dict(v.labels)))  # fmt: skip

    def on_input(self, watch: Watch, data: bytes) -> None:
        if watch.in_command:
            self.typed.append(Typed(watch.transcript, data))
        else:
            self.ahead += data

    def finished(self, watch: Watch, number: int, command: str, status: int, transcript: str) -> None:
        early = typed_ahead(self.ahead)  # keys typed after the line's Enter, before its command began
        typed = [*([Typed("", early)] if early else []), *self.typed]
        self.typed, self.ahead = [], b""
        note = note_of(command, self.lang)
        if note is not None:
            if note.kind == "title":
                self.title = {**(self.title or {}), note.lang: note.text}
            else:
                self.notes.add(note)
            watch.tell("rec_noted", "dim", kind=note.kind, text=note.text)
            return
        if not command.strip() or is_comment(command) or HOOK in command:
            return
        before = self.held if self.held is not None else self.read()
        try:
            read_line(command)
            if status == REFUSED and "dockersim record: " in transcript:
                raise NotRecorded(Phrase("rec_shim_refused"))
        except NotRecorded as e:
            self.held = self.read()  # a command run otherwise may have changed what the run holds
            watch.show([f"dockersim: {localise(e.phrase, self.lang)}"], "dim")
            return
        self.held = self.read()
        step = draft(Recorded(command, status, transcript, before, self.held, typed), self.drafting)
        task = self.notes.take("task")
        step.name, step.task, step.hint = task, task, self.notes.take("hint")
        self.drafts.append(step)
        watch.tell("rec_step", "dim", n=len(self.drafts), command=step.run or step.shell or "",
                   checks=len(step.checks))  # fmt: skip

    def asked(self, watch: Watch, what: str) -> None:
        watch.tell("rec_no_asking", "dim", what=what)


def blank_scenario(path: Path, images: dict[str, str]) -> Scenario:
    """What `prepared` is given for a recording: no steps yet (so no name clashes), and the images the
    shell may use (with --offline, every stand-in of the kit, served for the recording's length)."""
    return Scenario(str(path), {"en": path.stem}, images, [])


@dataclass
class Recording:
    """What the shell left: the drafted steps, the images they name, and the title a note gave."""

    drafts: list[Draft]
    naming: Naming
    title: Text | None


def record_shell(path: Path, plan: Plan, images: dict[str, str], colour: bool, say_line: Callable[[str], None],
                 after: Callable[[Recording, Docker, Ownership], None]) -> None:  # fmt: skip
    """Open the recording shell on the plan's engine, until it exits; what it made is removed, and `after`
    is given the recording with the engine still prepared (to replay it there)."""
    options = plan.options
    with prepared([blank_scenario(path, images)], plan, say_line) as ready:
        ownership = ready.ownership
        ownership.made_networks = True  # the instructor may make networks: cleanup looks for labelled ones
        folder = Path(tempfile.mkdtemp(prefix="dockersim-record-"))
        columns = shutil.get_terminal_size().columns
        drafting = Drafting(Naming(dict(options.image_map)), columns, socket.gethostname(), ready.docker.kind,
                            options.lang)  # fmt: skip
        recorder = Recorder(ready.docker, ownership, drafting)
        try:
            recorder.held = recorder.read()
            watch = watched_shell(ready.docker, ownership, folder, recorder, options, colour, "record", DSIM_RC)
            watch.on_input = recorder.on_input
            watch.show([say("rec_banner", options.lang, path=path)], "cyan")
            watch.run()
        finally:
            ownership.reread()
            try:
                ownership.remove()
            except DockersimError as e:
                say_line(Phrase("not_removed", path=str(path), error=said(e)))
            shutil.rmtree(folder, ignore_errors=True)
        after(Recording(recorder.drafts, drafting.naming, recorder.title), ready.docker, ownership)
