"""What a learner's try lacked against the step's own command, in the learner's terms: the two commands read
by the docker command grammar (dockercli/commandline.py) and compared flag by flag and field by field, each
difference said by its row of one table; and, when the command failed, the line of its output that says why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dockersim.dockercli import commandline, grammar
from dockersim.i18n.phrase import say

MOST = 4  # sentences said of one try: the first differences, not all of them

# What a try can lack, a row each: a flag the step has and the try had not ("lacks", by its long name, or
# "VERB FLAG" where the verb gives it its own meaning; "*" for any other), a flag the try had and the step
# has not ("has"), a flag given another value ("other"), a field of the command ("field": the container,
# the image, the container's command, the arguments), and a command that failed ("failed").
SAID: dict[tuple[str, str], str] = {
    ("lacks", "--interactive"): "hint_no_interactive",
    ("lacks", "--tty"): "hint_no_tty",
    ("lacks", "--detach"): "hint_no_detach",
    ("lacks", "--name"): "hint_no_name",
    ("lacks", "--publish"): "hint_no_publish",
    ("lacks", "--env"): "hint_no_env",
    ("lacks", "--volume"): "hint_no_volume",
    ("lacks", "--mount"): "hint_no_mount",
    ("lacks", "--volumes-from"): "hint_no_volumes_from",
    ("lacks", "--link"): "hint_no_link",
    ("lacks", "--format"): "hint_no_format",
    ("lacks", "--filter"): "hint_no_filter",
    ("lacks", "--quiet"): "hint_no_quiet",
    ("lacks", "--type"): "hint_no_type",
    ("lacks", "container ls --all"): "hint_no_all_ps",
    ("lacks", "container rm --force"): "hint_no_force_rm",
    ("lacks", "container rm --volumes"): "hint_no_volumes_rm",
    ("lacks", "image rm --force"): "hint_no_force_rmi",
    ("lacks", "*"): "hint_no_flag",
    ("has", "--detach"): "hint_has_detach",
    ("has", "--interactive"): "hint_has_interactive",
    ("has", "--tty"): "hint_has_tty",
    ("has", "--rm"): "hint_has_rm",
    ("other", "*"): "hint_other_value",
    ("field", "container"): "hint_other_container",
    ("field", "image"): "hint_other_image",
    ("field", "command"): "hint_other_command",
    ("field", "no command"): "hint_no_command",
    ("field", "extra command"): "hint_extra_command",
    ("field", "arguments"): "hint_other_args",
    ("failed", "name-in-use"): "hint_name_in_use",
    ("failed", "*"): "hint_failed",
}
RUNS_IMAGE = ("container run", "container create")  # IMAGE, then the container's command
RUNS_COMMAND = ("container exec",)  # CONTAINER, then the command run in it
_NAME_IN_USE = re.compile(r'container\sname\s"/?(?P<name>[^"]+)"\sis\salready\sin\suse')  # docker's, podman's
_WHY = re.compile(
    r"(?i)\berror\b|denied|no\ssuch|not\sfound|unknown|invalid|cannot|can't|refused|conflict|failed|in\suse"
    r"|not\srunning|not\sa\stty|unable|^dockersim\s\w+:"
)
_USAGE = re.compile(r"^(See\s'.*--help'\.|Run\s'.*--help'\sfor\smore\sinformation)$")


@dataclass(frozen=True)
class Try:
    """A learner's try at a step: the docker command as typed (its words), its exit status and its screen."""

    words: list[str]
    status: int
    transcript: str
    failed: bool = False  # its exit status is not the one the step expects
    columns: int = 0  # the width of the terminal it was shown on (0: not known)


def lacked(wanted: Sequence[str], tried: Try, lang: str) -> list[str]:
    """What the try lacked against the step's command, as the learner typed it, one sentence a difference:
    the failure first (with the line of output that says why), then the container and image, the flags,
    and the container's command; at most MOST of them."""
    try:
        want, got = commandline.parse(wanted), commandline.parse(tried.words)
    except commandline.CommandLineError:
        return []
    out = _failed(tried, lang) if tried.failed else []
    if want is not None and got is not None and want.path == got.path:
        out += _fields(want, got, lang) + _flags(want, got, lang) + _command(want, got, lang)
    return out[:MOST]


def near_miss(wanted: Sequence[str], words: Sequence[str]) -> bool:
    """Whether a command is the step's verb on another container than the step's (`docker logs t-only` for
    `docker logs t_only`): a try at the step by its verb, at the wrong thing."""
    try:
        want, got = commandline.parse(wanted), commandline.parse(words)
    except commandline.CommandLineError:
        return False
    if want is None or got is None or want.path != got.path:
        return False
    target = commandline.target_container(wanted)
    return target is not None and commandline.target_container(words) != target


def other_container(wanted: Sequence[str], words: Sequence[str], lang: str) -> str:
    """What a near miss got wrong, in one sentence: the container it named (or that it named none)."""
    said = lacked(wanted, Try(list(words), 0, ""), lang)
    row = ("field", "container")
    return said[0] if said else say(SAID[row], lang, want=commandline.target_container(wanted), got="-")


# -- the rows ------------------------------------------------------------------------------------------


def _failed(tried: Try, lang: str) -> list[str]:
    line = why(tried.transcript, tried.columns)
    in_use = _NAME_IN_USE.search(line)
    if in_use:
        row = ("failed", "name-in-use")
        return [say(SAID[row], lang, name=in_use.group("name"), status=tried.status, line=line)]
    row = ("failed", "*")
    return [say(SAID[row], lang, status=tried.status, line=line or "-")]


def why(transcript: str, columns: int = 0) -> str:
    """The line of a command's output that says why it failed: the last that reads like an error (the lines
    a terminal `columns` wide wrapped it into joined again), else the last that is not a pointer to --help."""
    lines = [line for line in _unwrapped(transcript.splitlines(), columns) if line.strip() and not _USAGE.match(line)]
    found = [line for line in lines if _WHY.search(line)]
    line = (found or lines or [""])[-1].strip()
    return line if len(line) <= 240 else line[:239] + "…"


def _unwrapped(lines: list[str], columns: int) -> list[str]:
    """Lines as the program wrote them: one as wide as the terminal went on in the next."""
    out: list[str] = []
    joined = False
    for line in lines:
        if joined:
            out[-1] += line
        else:
            out.append(line)
        joined = columns > 0 and len(line) >= columns
    return out


def _fields(want: commandline.Command, got: commandline.Command, lang: str) -> list[str]:
    """The container the command acts on, and the image it runs."""
    out = []
    wanted, named = commandline.target_container(want.argv), commandline.target_container(got.argv)
    if wanted is not None and named is not None and wanted != named:
        row = ("field", "container")
        out.append(say(SAID[row], lang, want=wanted, got=named))
    if want.path in RUNS_IMAGE and want.args and got.args and want.args[0] != got.args[0]:
        row = ("field", "image")
        out.append(say(SAID[row], lang, want=want.args[0], got=got.args[0]))
    elif want.path not in (*RUNS_IMAGE, *RUNS_COMMAND) and wanted is None and want.args != got.args:
        row = ("field", "arguments")
        out.append(say(SAID[row], lang, want=" ".join(want.args) or "-", got=" ".join(got.args) or "-"))
    return out


def _flags(want: commandline.Command, got: commandline.Command, lang: str) -> list[str]:
    """Each flag (and each of its values) the step gives that the try did not; then the flags the try gave
    that the step does not, where giving them changes what the step shows."""
    verb = grammar.load().verb(want.path)
    if verb is None:
        return []
    out = []
    for name in dict.fromkeys(o.name for o in want.options):
        if name == "--name" and got.values("--name"):
            continue  # said as the container's name
        values, given = want.values(name), got.values(name)
        if not verb.takes_value(name):
            if want.flag(name) and not got.flag(name):
                row = _row("lacks", f"{want.path} {name}", name)
                out.append(say(SAID[row], lang, flag=_spelled(verb, name)))
            continue
        if verb.flags[name] != "list" and given and values and given[-1] != values[-1]:
            row = ("other", "*")
            out.append(say(SAID[row], lang, flag=_spelled(verb, name), want=values[-1], got=given[-1]))
            continue
        for value in values:
            if value not in given:
                row = _row("lacks", f"{want.path} {name}", name)
                out.append(say(SAID[row], lang, flag=_spelled(verb, name, value)))
    for name in dict.fromkeys(o.name for o in got.options):
        if ("has", name) in SAID and got.flag(name) and not want.flag(name):
            row = ("has", name)
            out.append(say(SAID[row], lang, flag=_spelled(verb, name)))
    return out


def _command(want: commandline.Command, got: commandline.Command, lang: str) -> list[str]:
    """What runs in the container: run's and create's words after the image, exec's after the container."""
    if want.path not in (*RUNS_IMAGE, *RUNS_COMMAND):
        return []
    wanted, typed = " ".join(want.args[1:]), " ".join(got.args[1:])
    if wanted == typed or not got.args:
        return []
    row = ("field", "extra command") if not wanted else ("field", "no command") if not typed else ("field", "command")
    return [say(SAID[row], lang, want=wanted, got=typed)]


def _row(kind: str, *names: str) -> tuple[str, str]:
    return next(((kind, n) for n in names if (kind, n) in SAID), (kind, "*"))


def _spelled(verb: grammar.Verb, name: str, value: str | None = None) -> str:
    """A flag as a learner types it: its letter where it has one (`-i`, `-p 8080:80`), else its long name."""
    letter = next((f"-{s}" for s, long in verb.short.items() if long == name), name)
    return letter if value is None else f"{letter} {value}"
