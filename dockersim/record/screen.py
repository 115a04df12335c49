"""What a recorded command showed, as the regexes a scenario checks it with: each line generalised (what the
recording named becomes a placeholder; IDs, times, sizes, digests, addresses and host names become regexes),
a one-shot command's steady lines as `stdout:`, and a session's keys and screens as its `tty:` actions.

Pure functions over the screen text practice's watched shell reads (engine/screen.py) and the keys typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockersim.engine import keystrokes
from dockersim.engine.terminal import ESCAPE, KEYS

# What changes from run to run, and the regex that stands for it, in the order they are tried.
VOLATILE: dict[str, str] = {
    "digest": r"sha256:[0-9a-f]{64}",
    "long_hex": r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])",
    "short_hex": r"(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])",
    "timestamp": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?",
    "date": r"\d{4}-\d\d-\d\d",
    "clock": r"\d\d:\d\d:\d\d(?:\.\d+)?",
    # `5 seconds ago`, `About a minute ago`, `Up Less than a second`: docker's and podman's human durations
    "duration": r"(?:Less than a second|About an? \w+|\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?))",
    "size": r"(?<![\w.])\d+(?:\.\d+)?\s?(?:[kKMGT]i?)?B(?![\w])",
    "address": r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])",
    "spaces": r" {2,}",
}
SHAPES: dict[str, str] = {
    "digest": r"sha256:[0-9a-f]{64}",
    "long_hex": r"[0-9a-f]{64}",
    "short_hex": r"[0-9a-f]{12}",
    "timestamp": r"\S+",
    "date": r"\d{4}-\d\d-\d\d",
    "clock": r"\d\d:\d\d:\d\d(?:\.\d+)?",
    "duration": r"(?:Less than a second|About an? \w+|\d+ \w+)",
    "size": r"[\d.]+\s?[kKMGT]?i?B",
    "address": r"\d+(?:\.\d+){3}",
    "spaces": r"\s+",
}
# A regex's own characters, escaped in text that stands for itself (not re.escape: it escapes spaces too).
_SPECIAL = re.compile(r"([.^$*+?()\[\]{}|\\])")
# Lines a client writes about what it is doing rather than what was asked (a pull's progress, warnings): on
# stderr for run and create, worded otherwise by podman, and never steady from one run to the next.
CHATTER = re.compile(
    r"^(?:Unable to find image |[\w.-]+: Pulling from |[0-9a-f]{12}: |Digest: sha256:|Status: |WARNING|"
    r"Trying to pull |Getting image source signatures|Copying (?:blob|config) |Writing manifest|"
    r"Storing signatures)"
)
MAX_LINES = 3  # lines of a one-shot command's output a `stdout:` regex looks for


@dataclass(frozen=True)
class Shown:
    """What a recording knows while it reads a screen: literal text and its placeholder (naming.literals),
    and this machine's host name (which a replay's machine does not share)."""

    literals: dict[str, str]
    hostname: str = ""


def escaped(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def generalised(line: str, shown: Shown) -> str:
    """A line of a screen as a regex with placeholders: what the recording named as its placeholder, the rest
    of what changes from run to run as a regex of its shape, everything else as itself."""
    parts = [f"(?P<literal>{'|'.join(re.escape(k) for k in shown.literals)})"] if shown.literals else []
    if shown.hostname and len(shown.hostname) > 2:
        parts.append(rf"(?P<hostname>(?<![\w.-]){re.escape(shown.hostname)}(?![\w-]))")
    parts += [f"(?P<{name}>{pattern})" for name, pattern in VOLATILE.items()]
    out, at = [], 0
    for m in re.finditer("|".join(parts), line):
        out.append(escaped(line[at : m.start()]))
        kind = m.lastgroup or ""
        out.append(shown.literals[m.group()] if kind == "literal" else SHAPES.get(kind, r"\S+"))
        at = m.end()
    out.append(escaped(line[at:]))
    return "".join(out)


def unwrapped(text: str, columns: int) -> list[str]:
    """A screen's lines with those the terminal wrapped joined again: a line as wide as the terminal went on
    in the next one."""
    out: list[str] = []
    joined = False
    for line in text.splitlines():
        if joined and out:
            out[-1] += line
        else:
            out.append(line)
        joined = columns > 0 and len(line) >= columns
    return out


def output_regex(lines: list[str], shown: Shown, ours: set[str], most: int = MAX_LINES) -> str | None:
    """A one-shot command's output as one regex: its first steady line (a table's header, or its one line)
    and the lines that name what the recording made (`most` lines in all; every steady line of output that
    is no table and has no more), in order; None when nothing in it is steady. A table's rows keep their first and last
    columns (an ID and a name): what stands between is laid out differently by each client."""
    steady = [line for line in lines if line.strip() and not CHATTER.match(line.strip())]
    if not steady:
        return None
    table = _is_header(steady[0])
    named = [line for line in steady[1:] if any(_names(line, name) for name in ours)]
    chosen = [steady[0], *(named if table or len(steady) > most else steady[1:])]
    regexes = []
    for i, line in enumerate(dict.fromkeys(chosen[:most])):
        if table and i:
            cells = re.split(r" {2,}", line.strip())
            regexes.append(f"^{generalised(cells[0], shown)}\\b.*\\b{generalised(cells[-1], shown)}$")
        else:
            regexes.append(f"^{generalised(line.strip(), shown)}$")
    return "[\\s\\S]*".join(regexes)


def _is_header(line: str) -> bool:
    """A listing's header: three columns or more of capitals (`CONTAINER ID   IMAGE   COMMAND …`)."""
    cells = re.split(r" {2,}", line.strip())
    return len(cells) >= 3 and all(re.fullmatch(r"[A-Z][A-Z ]*", c) for c in cells)


def _names(line: str, name: str) -> bool:
    return re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", line) is not None


# -- a session: keys typed and what the screen showed -------------------------------------------------

# Control keys by name (Ctrl+P is ctrl-p); Enter, Tab, Backspace and Esc are line editing, not keys of a step.
KEY_NAMES = {v: k for k, v in KEYS.items() if k.startswith("ctrl-") and k[-1].isalpha() and v not in "\b\t\n\r"}
_LINE_END = ("\r", "\n")


@dataclass(frozen=True)
class Typed:
    """Keys typed into a running command, and its screen text when they were typed."""

    screen: str
    data: bytes


@dataclass(frozen=True)
class Action:
    """One tty action as a scenario writes it: `expect` (a regex, or "eof"), `send` (a line) or `keys`."""

    kind: str
    text: str = ""
    keys: tuple[str, ...] = ()


def actions(typed: list[Typed], end: str, shown: Shown) -> list[Action]:
    """A session's tty actions: before each line sent and each key pressed, what the screen had shown since
    the one before (the first new line of output, and the prompt the keys answered); after the last, the
    first new line of output unless the keys detached; then the client's end."""
    out: list[Action] = []
    before = ""  # the screen when the last action began
    for screen, action in _typed_actions(typed):
        last = out[-1] if out else None
        if last is not None and action.kind == last.kind == "keys" and screen == before:
            out[-1] = Action("keys", keys=last.keys + action.keys)  # Ctrl+P, Ctrl+Q in two reads: one action
            continue
        out += _expects(before, screen, shown, last)
        out.append(action)
        before = screen
    last = out[-1] if out else None
    if last is None or last.kind != "keys":  # detach keys end the client: nothing more is its answer
        out += _expects(before, end, shown, last, ended=True)
    return [*out, Action("expect", "eof")]


def typed_ahead(keys: bytes) -> bytes:
    """Of the keys typed at the shell's prompt, those after the Enter that ended a line: typed ahead, before
    the line's command had begun, they were read by it (an Enter for `docker attach`). Enters alone on an
    empty line before it end no line."""
    start = len(keys) - len(keys.lstrip(b"\r\n"))
    ends = [at for at in (keys.find(b"\r", start), keys.find(b"\n", start)) if at >= 0]
    return keys[min(ends) + 1 :] if ends else b""


def _typed_actions(typed: list[Typed]) -> list[tuple[str, Action]]:
    """Keys as actions, each with the screen when it began: a line (its characters as line editing leaves
    them) sent with Enter, or control keys pressed. Escape sequences (arrow keys) are left out."""
    out: list[tuple[str, Action]] = []
    line, line_screen = "", ""
    for t in typed:
        for piece in keystrokes.apart(ESCAPE.sub("", t.data.decode("utf-8", "replace")).encode()):
            text = piece.decode("utf-8", "replace")
            if text in KEY_NAMES:
                line = ""  # a line not sent (Ctrl+C): the key is what counts
                out.append((t.screen, Action("keys", keys=(KEY_NAMES[text],))))
                continue
            for ch in text:
                if ch in _LINE_END:
                    out.append((line_screen if line else t.screen, Action("send", line)))
                    line = ""
                elif ch in ("\x7f", "\b"):
                    line = line[:-1]
                elif ch.isprintable():
                    if not line:
                        line_screen = t.screen
                    line += ch
    return out


def _expects(before: str, now: str, shown: Shown, last: Action | None, ended: bool = False) -> list[Action]:
    """What to wait for before the next action: the first line of output since the last one (neither the
    echo of the line it sent nor a shell repeating it, as bash's `exit` does) and, while the client runs,
    the line its cursor waits on (a prompt)."""
    old, new = before.splitlines(), now.splitlines()
    keep = max(len(old) - 1, 0)
    if new[:keep] != old[:keep]:
        keep = 0  # the screen was cleared or scrolled past: all of it is new
    fresh = new[keep:]
    if old and fresh:
        fresh = fresh[1:]  # the line the cursor was on: what was typed there, echoed
    waiting = "" if ended or not fresh else fresh[-1]
    sent = last.text.strip() if last is not None and last.kind == "send" else None
    # Not the line it sent (bash says `exit`), nor a prompt again (redrawn when a client attaches), nor chatter.
    repeated = {sent, waiting.strip()}
    output = [line for line in (fresh if ended else fresh[:-1])
              if line.strip() and line.strip() not in repeated and not CHATTER.match(line.strip())]  # fmt: skip
    out = [Action("expect", f"^{generalised(output[0].rstrip(), shown)}$")] if output else []
    if waiting.strip():
        out.append(Action("expect", generalised(waiting, shown)))
    return out
