"""A student's commands.sh, read line by line into argv — never through a shell.

Each line is a docker command vetted by the allow-list (policy.py), refused with a reason, or skipped
(blank, comment). Host paths in bind mounts are re-rooted under the submission's workspace, so no
submission reaches the grading machine's files or another submission's. The files themselves are read
beneath the submission's folder, bounded, and only when they are regular files there (read_file).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.dockercli import commandline
from dockersim.grading.policy import DEFAULT, Policy
from dockersim.host import beneath, tree
from dockersim.host.beneath import Refused, inside
from dockersim.host.limits import human
from dockersim.i18n.phrase import Phrase
from dockersim.yamlfile.source import load_yaml

__all__ = ["Line", "Refused", "copy_files", "expand", "inside", "plain_yaml", "read_commands", "read_file",
           "substitution_marks"]  # fmt: skip

FILE_CAP = 64 * 1024  # bytes of commands.sh or session.yaml: a homework's run in a few hundred
LINE_CAP = 4096  # characters of one command, its continuations joined
COMMANDS_CAP = 1000  # command lines read of one file: each is vetted, run and reported
OUTPUT_KEPT = 64 * 1024  # bytes kept of what each line prints, of each stream: its end is what a student reads
FILES_BYTES = 256 * 1024**2  # of a submission's files copied into its workspace (a Dockerfile homework's app)
FILES_ENTRIES = 20_000

# The only substitution a submission may use is a list of container IDs (`$(docker ps -a -q)`, in any
# spelling the client accepts); it becomes the IDs the engine lists when the line runs.
_SUBSTITUTION = re.compile(r"\$\(([^()`]*)\)")
_LISTING_FLAGS = {"--all", "--quiet", "--filter", "--latest", "--last", "--no-trunc"}
_MARK, _SEP = "\x00SUBST", "\x01"


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    argv: list[str] = field(default_factory=list)  # `docker` first; substitutions stand as marks (see _mark)
    refused: str = ""  # why, when the line does not run

    @property
    def runs(self) -> bool:
        return not self.refused


# What a name that is no regular file holds, as a refusal says it.
KIND_SAID = {beneath.SYMLINK: "w_symlink", beneath.DIRECTORY: "w_directory", beneath.FIFO: "w_fifo",
             beneath.SOCKET: "w_socket", beneath.DEVICE: "w_device", beneath.OUTSIDE: "w_outside"}  # fmt: skip


def read_file(folder: Path, name: str) -> str | None:
    """A submission's file as text, None when it has none. It is opened beneath its folder without following
    a link, and refused (Refused, in one sentence quoting none of it) when it is not a regular file there, or
    is larger than FILE_CAP: a link to the grading machine's files must not put them in the feedback."""
    try:
        found = beneath.look(folder, name, FILE_CAP)
    except OSError as e:
        raise Refused(Phrase("g_unreadable", file=name, error=e.strerror or e.__class__.__name__)) from None
    if found is None:
        return None
    if found.kind != beneath.FILE:
        raise Refused(Phrase("g_not_regular", file=name, kind=Phrase(KIND_SAID[found.kind])))
    if not found.whole:
        raise Refused(Phrase("g_too_large", file=name, kib=FILE_CAP // 1024))
    if found.names > 1:  # a hard link: the same file under another name, maybe outside the submission
        raise Refused(Phrase("g_hard_link", file=name))
    return found.data.decode("utf-8", errors="replace")


def copy_files(folder: Path, workspace: Path, owner: int | None) -> list[str]:
    """The submission's files copied into its workspace (made empty just before), where its build's context
    and its bind sources find them, owned by `owner` (root in the engine's containers); the notes that say
    what was left out. Read beneath its folder without following a link: a link that leads out of the
    submission, a FIFO, device, socket or hard link is not copied, and is named (never what it points at)."""
    try:
        copied = tree.copy_tree(folder, "", workspace, owner=owner, max_bytes=FILES_BYTES, max_entries=FILES_ENTRIES,
                                hard_links=False)  # fmt: skip
    except OSError as e:
        return [Phrase("g_unreadable", file=folder.name, error=e.strerror or e.__class__.__name__)]
    notes: list[str] = []
    if copied.links_out:
        notes.append(Phrase("r_copy_links", n=len(copied.links_out), names=_names(copied.links_out)))
    if copied.others:
        notes.append(Phrase("r_copy_others", names=_names(copied.others)))
    if copied.full:
        notes.append(Phrase("r_copy_full", limit=human(FILES_BYTES)))
    return notes


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:10])
    return shown + (f" (+{len(paths) - 10})" if len(paths) > 10 else "")


def plain_yaml(text: str, name: str) -> str:
    """A submission's YAML (session.yaml) once it is known to hold no anchor or alias: a student's session
    needs neither, and each alias is a copy the grader would build. A ScenarioError (name:line) says where."""
    load_yaml(text, name, anchors=False)
    return text


def read_commands(text: str, workspace: Path, policy: Policy = DEFAULT) -> list[Line]:
    """Every command line of commands.sh (continuations joined), each with its argv or its refusal."""
    text = text.removeprefix("\ufeff")  # a byte-order mark from a Windows editor
    out: list[Line] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if raw.rstrip().endswith("\\"):
            if len(pending) <= LINE_CAP:  # beyond it the joined line is refused: no more of it is held
                pending += raw.rstrip()[:-1] + " "
            continue
        whole = (pending + raw).strip()
        pending = ""
        if not whole or whole.startswith("#"):
            continue
        if len(out) == COMMANDS_CAP:
            out.append(Line(start, _shown(whole), refused=Phrase("s_too_many", limit=COMMANDS_CAP)))
            return out
        if len(whole) > LINE_CAP:
            out.append(Line(start, _shown(whole), refused=Phrase("s_too_long", limit=LINE_CAP)))
            continue
        try:
            out.append(Line(start, whole, _argv(whole, workspace, policy)))
        except Refused as e:
            out.append(Line(start, whole, refused=e.args[0]))
    if pending.strip():
        out.append(Line(start, pending.strip(), refused=Phrase("s_last_backslash")))
    return out


def _shown(text: str) -> str:
    """A refused line as the feedback quotes it: its start, when it is too long to be a command."""
    return text if len(text) <= 200 else text[:200] + "…"


def expand(argv: list[str], ids: dict[str, list[str]]) -> list[str]:
    """argv with each substitution mark replaced by the IDs it stands for (ids: mark -> IDs)."""
    out: list[str] = []
    for word in argv:
        out += ids.get(word, [word])
    return out


def substitution_marks(argv: list[str]) -> dict[str, list[str]]:
    """The substitution marks in argv and the docker arguments that list their IDs."""
    return {w: w[len(_MARK) : -1].split(_SEP) for w in argv if w.startswith(_MARK) and w.endswith("\x00")}


def _mark(found: re.Match[str]) -> str:
    try:
        cmd = commandline.parse(shlex.split(found[1]))
    except (ValueError, commandline.CommandLineError):
        cmd = None
    names = {o.name for o in cmd.options} if cmd else set()
    if cmd is None or cmd.path != "container ls" or cmd.globals or cmd.args or not cmd.flag("--quiet"):
        raise Refused(Phrase("s_only_ps"))
    if not names <= _LISTING_FLAGS:
        raise Refused(Phrase("s_ps_flags", flags=", ".join(sorted(_LISTING_FLAGS))))
    return f" {_MARK}{_SEP.join(cmd.normalized()[1:])}\x00 "


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _unquoted(line: str) -> tuple[str, bool]:
    """The line up to a comment (a `#` that starts a word, outside quotes, as in a shell), and whether a
    `$NAME` or `${` stands outside single quotes, where a shell would expand it."""
    quote, escaped, expands = "", False, False
    for i, ch in enumerate(line):
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote:
            if ch == quote:
                quote = ""
            elif ch == "$" and quote == '"' and re.match(r"\$\{?[A-Za-z_]", line[i:]):
                expands = True
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i], expands
        elif ch == "$" and re.match(r"\$\{?[A-Za-z_]", line[i:]):
            expands = True
    return line, expands


def _single_quoted(line: str) -> list[bool]:
    """For each character, whether single quotes hold it (or are it): a shell passes that on as it is."""
    held, quote, escaped = [], "", False
    for ch in line:
        inside = quote == "'"
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif ch in "'\"" and not quote:
            quote, inside = ch, ch == "'"
        elif ch == quote:
            quote = ""
        held.append(inside)
    return held


def _argv(line: str, workspace: Path, policy: Policy) -> list[str]:
    if _CONTROL.search(line):
        raise Refused(Phrase("s_control"))
    line, expands = _unquoted(line)
    if expands:
        raise Refused(Phrase("s_variables"))
    quoted = _single_quoted(line)
    line = _SUBSTITUTION.sub(lambda m: m[0] if quoted[m.start()] else _mark(m), line)
    # What single quotes hold ('sh -c "echo $(date)"') goes to the container as it is, as from a shell.
    shell_sees = "".join(ch for ch, q in zip(line, _single_quoted(line), strict=True) if not q)
    if "`" in shell_sees:
        raise Refused(Phrase("s_backticks"))
    if "$(" in shell_sees:
        raise Refused(Phrase("s_only_ps"))
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>()")
    lexer.whitespace_split = True
    lexer.commenters = ""  # comments were cut above, where a shell would cut them
    try:
        words = list(lexer)
    except ValueError as e:
        raise Refused(Phrase("s_split", error=str(e))) from None
    for word in words:
        if word and set(word) <= set(";&|<>()"):
            raise Refused(Phrase("s_shell_syntax", word=word))
    if not words or words[0] != "docker":
        raise Refused(Phrase("s_only_docker", word=words[0] if words else ""))
    return policy.vet(words, workspace)
