"""A student's commands.sh, read line by line into argv — never through a shell.

Each line is a docker command, refused with a reason, or skipped (blank, comment). Host paths in bind
mounts are re-rooted under the submission's workspace, so no submission reaches the grading machine's
files or another submission's.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from dockersim import commandline

# The only substitutions a submission may use; each becomes the IDs the engine lists when the line runs.
SUBSTITUTIONS = {
    "$(docker ps -a -q)": ["ps", "-a", "-q"],
    "$(docker ps -aq)": ["ps", "-a", "-q"],
    "$(docker ps -qa)": ["ps", "-a", "-q"],
    "$(docker ps -q)": ["ps", "-q"],
}
_MARK = "\x00SUBST{}\x00"
_GLOBAL_ENGINE_FLAGS = ("-H", "--host", "-c", "--context", "--config", "--tlscacert", "--tlscert", "--tlskey")
_HOST_NAMESPACES = ("--pid", "--network", "--net", "--ipc", "--uts", "--userns", "--cgroupns")
_DENIED_FLAGS = ("--privileged", "--cap-add", "--device", "--security-opt", "--device-cgroup-rule")
_HOST_FILE_FLAGS = ("--env-file", "--label-file", "--cidfile", "--iidfile")
# Subcommands that read or write the grading machine's files, or reach outside the engine.
_DENIED_VERBS = {"context", "cp", "build", "builder", "buildx", "save", "load", "import", "export", "login",
                 "logout", "push", "plugin", "swarm", "trust", "compose", "stack", "service", "secret", "config",
                 "image build", "image save", "image load", "image import", "image push", "container cp",
                 "container export"}  # fmt: skip
_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    argv: list[str] = field(default_factory=list)  # `docker` first; substitution marks stand as "\0SUBSTn\0"
    refused: str = ""  # why, when the line does not run

    @property
    def runs(self) -> bool:
        return not self.refused


class Refused(Exception):
    pass


def read_commands(text: str, workspace: Path) -> list[Line]:
    """Every command line of commands.sh (continuations joined), each with its argv or its refusal."""
    out: list[Line] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        whole = (pending + raw).strip()
        pending = ""
        if not whole or whole.startswith("#"):
            continue
        try:
            out.append(Line(start, whole, _argv(whole, workspace)))
        except Refused as e:
            out.append(Line(start, whole, refused=str(e)))
    if pending.strip():
        out.append(Line(start, pending.strip(), refused="the last line ends in \\ with nothing after it"))
    return out


def expand(argv: list[str], ids: dict[str, list[str]]) -> list[str]:
    """argv with each substitution mark replaced by the IDs it stands for (ids: mark -> IDs)."""
    out: list[str] = []
    for word in argv:
        out += ids.get(word, [word])
    return out


def substitution_marks(argv: list[str]) -> dict[str, list[str]]:
    """The substitution marks in argv and the docker arguments that list their IDs."""
    marks = {}
    for i, (text, args) in enumerate(SUBSTITUTIONS.items()):
        del text
        mark = _MARK.format(i)
        if mark in argv:
            marks[mark] = args
    return marks


def _argv(line: str, workspace: Path) -> list[str]:
    for i, text in enumerate(SUBSTITUTIONS):
        line = line.replace(text, f" {_MARK.format(i)} ")
    if "`" in line:
        raise Refused("backticks are shell syntax; a submission runs no shell")
    if "$(" in line:
        raise Refused("only $(docker ps -a -q) and $(docker ps -q) may be substituted")
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        words = list(lexer)
    except ValueError as e:
        raise Refused(f"the line cannot be split into words ({e})") from None
    for word in words:
        if word and set(word) <= set(";&|<>()"):
            raise Refused(f"'{word}' is shell syntax; a submission runs one docker command a line, no shell")
        if re.search(r"\$\{?[A-Za-z_]", word):
            raise Refused("shell variables are not expanded: write the value itself")
    if not words or words[0] != "docker":
        raise Refused(f"only docker commands run in a submission, not '{words[0] if words else ''}'")
    _refuse_engine_and_host_access(words)
    return _reroot(words, workspace)


def _refuse_engine_and_host_access(words: list[str]) -> None:
    cmd = commandline.parse(words)
    for word in words[1 : cmd.options_at - 1 if cmd else len(words)]:
        if word.split("=", 1)[0] in _GLOBAL_ENGINE_FLAGS:
            raise Refused(f"{word.split('=', 1)[0]} would reach another engine than the grader's")
    if cmd is None:
        raise Refused("this is not a docker command dockersim can read")
    if cmd.verb in _DENIED_VERBS or cmd.verb.split(" ")[0] in ("context", "swarm", "plugin"):
        raise Refused(f"docker {cmd.verb} is not allowed in a submission (another engine or the grader's files)")
    for name, value in cmd.options:
        if name in _DENIED_FLAGS:
            raise Refused(f"{name} gives a container power over the grading machine")
        if name in _HOST_NAMESPACES and value is not None and value.split(":")[0] in ("host",):
            raise Refused(f"{name} {value} shares the grading machine's namespace")
        if name in _HOST_FILE_FLAGS:
            raise Refused(f"{name} reads or writes the grading machine's files")
        if name in ("-v", "--volume", "--mount") and value and any(s in value for s in _SOCKETS):
            raise Refused("mounting the docker socket would hand the container the engine")


def inside(workspace: Path, host_path: str) -> str:
    """host_path as seen from the workspace: absolute paths start at its root, relative ones in it; `..`
    and symlinks are resolved first, and a path that would leave the workspace is refused."""
    root = workspace.resolve()
    candidate = Path(os.path.normpath(root / host_path.lstrip("/")))
    resolved = candidate.resolve()  # a symlink made by an earlier container must not lead out either
    if resolved != root and root not in resolved.parents:
        raise Refused(f"the host path {host_path} leads outside the submission's workspace")
    return str(resolved)


def _reroot(words: list[str], workspace: Path) -> list[str]:
    cmd = commandline.parse(words)
    if cmd is None or cmd.verb not in ("run", "create"):
        return words
    out = list(words)
    end = cmd.first_positional_at if cmd.first_positional_at >= 0 else len(out)
    i = cmd.options_at
    while i < end:
        word = out[i]
        name, eq, _ = word.partition("=")
        # Where the option's value is: after '=', glued to -v, or the next word.
        if name in ("-v", "--volume", "--mount") and eq:
            at, prefix = i, f"{name}="
        elif word.startswith("-v") and not word.startswith("--") and len(word) > 2:
            at, prefix = i, "-v"
        elif word in ("-v", "--volume", "--mount") and i + 1 < end:
            at, prefix = i + 1, ""
            i += 1
        else:
            i += 1
            continue
        out[at] = prefix + _reroot_mount(out[at][len(prefix) :], name == "--mount", workspace)
        i += 1
    return out


def _reroot_mount(value: str, is_mount: bool, workspace: Path) -> str:
    if is_mount:
        fields = [f.split("=", 1) if "=" in f else [f, ""] for f in value.split(",")]
        kind = next((v for k, v in fields if k == "type"), "volume")
        if kind != "bind":
            return value
        return ",".join(
            f"{k}={inside(workspace, v)}" if k in ("source", "src") else (f"{k}={v}" if v or "=" in value else k)
            for k, v in fields
        )
    source, sep, rest = value.partition(":")
    if sep and source.startswith(("/", ".", "~")):
        return f"{inside(workspace, source.lstrip('~'))}:{rest}"
    return value
