"""A command the instructor typed, as the step record writes: its command line with the chapter's images as
`{image.X}` (`run:`, or `shell:` for a line only a shell can run), its session as `tty:` actions, its exit
status, its steady output as `stdout:`/`stderr:`, the checks of what it did to the engine, what another
engine cannot run of it (`requires:`), and the notes given before it. Pure: what the engine held is read by
the recorder."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from dockersim.dockercli import commandline
from dockersim.dockercli.commandline import Command, CommandLineError
from dockersim.i18n.phrase import Phrase, say
from dockersim.record import diff, screen
from dockersim.record.diff import Held
from dockersim.record.document import Draft
from dockersim.record.naming import Naming
from dockersim.record.screen import Shown, Typed
from dockersim.yamlfile.texts import LANGS, Text

_OPERATORS = set(";&|<>()")
# Verbs that pass on the status of a container's command (start with --attach), which a step may expect as it
# is; others fail with a client's own status, which docker and podman choose apart: such a step expects `nonzero`.
_PASSES_STATUS = ("container run", "container exec", "container start", "container attach")
# Verbs whose output each client words its own way (a pull's progress, an inspect's JSON, the engine's
# details): a step that expects their output is for the engine it was recorded on.
OWN_WORDS = ("image pull", "image push", "inspect", "container inspect", "image inspect", "volume inspect",
             "network inspect", "network ls", "system info", "version", "system df", "container top",
             "container stats", "image history")  # fmt: skip


MORE_LINES = 12  # lines of output a step that survives mutation may be made to look for


class NotRecorded(Exception):
    """A line the recording does not make a step of, and why."""

    def __init__(self, phrase: Phrase) -> None:
        super().__init__(phrase)
        self.phrase = phrase


@dataclass(frozen=True)
class Line:
    """A shell line read: its words when it is one plain command, and its docker commands by the grammar."""

    words: list[str] | None  # None: a line only a shell runs (pipes, `;`, `$(…)`, variables)
    commands: list[Command] | None  # None: one of them could not be read (inside `$(…)`)


def read_line(text: str) -> Line:
    """A line's docker commands, read as a shell splits them (shlex, which also tells its operators) and each
    by the grammar; NotRecorded when it runs none, or one the client would refuse."""
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|<>()")
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError as e:
        raise NotRecorded(Phrase("rec_not_split", error=str(e))) from None
    pieces: list[list[str]] = [[]]
    for token in tokens:
        if set(token) <= _OPERATORS:
            pieces.append([])
        else:
            pieces[-1].append(token)
    docker = [p for p in pieces if p[:1] == ["docker"]]
    if any(p[:2] == ["sudo", "docker"] for p in pieces):
        raise NotRecorded(Phrase("rec_sudo"))
    if not docker:
        raise NotRecorded(Phrase("rec_not_docker"))
    shell = len(pieces) > 1 or _expands(text)
    commands: list[Command] | None = []
    for words in docker:
        try:
            cmd = commandline.parse(words)
        except CommandLineError as e:
            raise NotRecorded(Phrase("rec_refused_grammar", error=e.args[0])) from None
        if cmd is not None and commands is not None:
            commands.append(cmd)
    if "$(" in text or "`" in text:
        commands = None
    return Line(None if shell else shlex.split(text), commands)


def _expands(text: str) -> bool:
    """Whether a shell would change a word before docker sees it (`$HOME`, `~/x`, `*.txt`): such a line is
    kept for a shell to run, not split once by record."""
    try:
        lexer = shlex.shlex(text, posix=False)
        lexer.whitespace_split = True
        words = list(lexer)
    except ValueError:
        return True
    return any(w[:1] not in ("'",) and ("$" in w or w.startswith("~") or re.search(r"[*?]", w)) for w in words)


@dataclass
class Recorded:
    """One command line the instructor finished, with what it showed and what the run held around it."""

    line: str
    status: int
    screen: str  # the text it left on the screen (engine/screen.py)
    before: Held
    after: Held
    typed: list[Typed] = field(default_factory=list)  # keys typed while it ran


@dataclass
class Drafting:
    """What a draft needs beside the command: names so far, the screen's width, this machine's host name,
    the engine recorded on and the language of record's own words."""

    naming: Naming
    columns: int = 0
    hostname: str = ""
    engine: str = "docker"
    lang: str = "en"


def both(key: str, **values: object) -> Text:
    """A sentence of record's own in the file, in every language the catalogue has it in."""
    return {lang: say(key, lang, **values) for lang in LANGS}


def draft(rec: Recorded, how: Drafting) -> Draft:
    """The step a finished command line becomes."""
    line = read_line(rec.line)
    naming = how.naming
    step = Draft()
    checks = diff.checks(rec.before, rec.after, line.commands, naming)  # first: it learns the names given
    named = [c for c in rec.after.containers.values() if naming.named(c)]
    shown = Shown(naming.literals([*rec.before.containers.values(), *rec.after.containers.values()]), how.hostname)
    if line.words is not None:
        cmd = line.commands[0] if line.commands else None
        step.run = _joined(_with_images(line.words, naming))
    else:
        cmd = None
        step.shell = _shell_with_images(rec.line, line.commands or [], naming)
    if cmd is not None and _attaches(cmd, bool(rec.typed)):
        step.tty = screen.actions(rec.typed, rec.screen, shown)
        if cmd.path == "container attach":  # what it showed before a key was typed was a redraw, not an answer
            while step.tty[0].kind == "expect" and len(step.tty) > 1:
                step.tty.pop(0)
    ends_detached = len(step.tty or []) > 1 and (step.tty or [])[-2].kind == "keys"
    if rec.status != 0 and not ends_detached:
        step.exit = rec.status if cmd is not None and _passes_status(cmd) else "nonzero"
    if step.tty is None:
        ours = {c.name for c in named} | {v for v in rec.after.volumes if v not in rec.before.volumes}
        lines = screen.unwrapped(rec.screen, how.columns)
        regex = screen.output_regex(lines, shown, ours)
        if rec.status == 0:
            step.stdout = regex
            stronger = screen.output_regex(lines, shown, ours, most=MORE_LINES)
            step.stronger = stronger if stronger != regex else None
        else:
            step.stderr = regex
    step.checks = checks
    step.requires = _requires(line, step, how)
    return step


def _passes_status(cmd: Command) -> bool:
    return cmd.path in _PASSES_STATUS and (cmd.path != "container start" or cmd.flag("--attach"))


def _attaches(cmd: Command, typed: bool) -> bool:
    """Whether the command's client talks to a terminal the way a tty step drives it: attach, `start -a -i`,
    or run and exec with -i (and without -d); a command keys were typed into, too."""
    if cmd.path == "container attach":
        return True
    if cmd.path in ("container run", "container exec") and not cmd.flag("--detach"):
        return cmd.flag("--interactive") or (typed and cmd.flag("--tty"))
    return cmd.path == "container start" and cmd.flag("--attach") and (cmd.flag("--interactive") or typed)


def _requires(line: Line, step: Draft, how: Drafting) -> dict[str, object] | None:
    """What another engine could not run of the step as recorded: `--link`, which podman does not have; a
    failure's words, or output that each client words its own way."""
    commands = line.commands or []
    if any(cmd.values("--link") for cmd in commands):
        return {"features": ["links"]}
    said = step.stdout is not None or step.stderr is not None
    own = any(cmd.path in OWN_WORDS for cmd in commands)
    if said and (step.exit != 0 or own):
        return {"engine": how.engine, "why": both("rec_why_own_words", engine=how.engine)}
    return None


def _with_images(words: list[str], naming: Naming) -> list[str]:
    at = set(commandline.image_words(words))
    return [naming.image(w) if i in at else w for i, w in enumerate(words)]


def _shell_with_images(text: str, commands: list[Command], naming: Naming) -> str:
    """A shell line with the images its docker commands name as `{image.X}` (whole words only)."""
    for cmd in commands:
        for i in commandline.image_words(cmd.argv):
            ref = cmd.argv[i]
            text = re.sub(rf"(?<![\w./:@-]){re.escape(ref)}(?![\w./:@-])", naming.image(ref), text)
    return text


def _joined(words: list[str]) -> str:
    """Words as a command line: each as it is where a shell would read it so, placeholders included."""
    return " ".join(w if re.fullmatch(r"[\w@%+=:,./{}-]+", w) else shlex.quote(w) for w in words)
