"""The files record writes, as a person would write them: the keys in the order of the hand-written scenarios
and specs, checks and keys as one-line flow mappings and lists, regexes in single quotes, texts as
`{en: "…", ko: "…"}`, a blank line between steps, and record's remarks as comments above what they are about.

Every scalar is written plain only where YAML reads it back as the same string; the loaders validate the
whole file after it is written."""

from __future__ import annotations

import json
import os
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from wcwidth import wcswidth

from dockersim.record.screen import Action
from dockersim.yamlfile.texts import LANGS, Text

WIDTH = 118  # characters of a line, as the hand-written files keep them
_NOT_PLAIN = ("true", "false", "yes", "no", "on", "off", "null", "~")


@dataclass
class Draft:
    """A step as record writes it."""

    name: Text | None = None
    task: Text | None = None
    requires: dict[str, Any] | None = None
    run: str | None = None
    shell: str | None = None
    hint: Text | None = None
    tty: list[Action] | None = None
    exit: int | str = 0
    stdout: str | None = None
    stderr: str | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # record's remarks, written above the step
    stronger: str | None = None  # a `stdout:` regex that says more, for a step that survives mutation


@dataclass
class GradedDraft:
    """A graded check of a homework spec as record writes it."""

    name: str
    check: dict[str, Any]
    probe: bool = False  # written as `probe:` (http, exec) rather than `check:`
    points: int = 1
    comments: list[str] = field(default_factory=list)


def _reads_back(text: str, value: str, flow: bool) -> bool:
    try:
        doc = yaml.safe_load(f"{{k: {text}}}" if flow else f"k: {text}")
    except yaml.YAMLError:
        return False
    return isinstance(doc, dict) and doc.get("k") == value


def scalar(value: Any, flow: bool = False, quoted: bool = False) -> str:
    """One scalar as YAML: plain where it reads back the same (and `quoted` does not ask for quotes, as
    regexes do), else in single quotes, else (line breaks, control characters) in double quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    plain = text and text.lower() not in _NOT_PLAIN and text == text.strip() and not quoted
    if plain and _reads_back(text, text, flow):
        return text
    single = "'" + text.replace("'", "''") + "'"
    if text.isprintable() and _reads_back(single, text, flow):
        return single
    return json.dumps(text, ensure_ascii=False)


REGEX_KEYS = ("stdout", "stderr", "body", "location", "contains")  # a regex, in quotes as by hand


def flow(value: Any, quoted: bool = False) -> str:
    """A mapping or a list on one line (`{container: web, state: running}`, `[ctrl-p, ctrl-q]`)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k, flow=True)}: {flow(v, k in REGEX_KEYS)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    quoted = quoted or (isinstance(value, str) and "{" in value)  # a placeholder reads better quoted, as by hand
    return scalar(value, flow=True, quoted=quoted)


def text(value: Text, at: int = 0) -> str:
    """A text of the file: `{en: "…", ko: "…"}`, in the catalogue's order of languages. One that does not fit
    on its line (which begins `at` columns in) is laid out as by hand: a language a line, and words that do not
    fit folded onto the next (YAML reads a line break inside double quotes as a space)."""
    items = [f"{lang}: {json.dumps(value[lang], ensure_ascii=False)}" for lang in LANGS if lang in value]
    one = "{" + ", ".join(items) + "}"
    if at + len(one) <= WIDTH:
        return one
    lines = []
    for i, (lang, item) in enumerate(zip((k for k in LANGS if k in value), items, strict=True)):
        lead = " " * (at + 1) if i else ""
        candidate = "\n".join(_fold(item, WIDTH - at - 1, " " * (at + len(lang) + 4)))
        if yaml.safe_load("{" + candidate + "}") != {lang: value[lang]}:  # a fold that would change the words
            candidate = item
        lines.append(lead + ("{" if not i else "") + candidate + ("," if i < len(items) - 1 else "}"))
    return "\n".join(lines)


def _fold(line: str, width: int, indent: str) -> list[str]:
    """Words on lines of at most `width` columns as a terminal shows them (a Korean character takes two)."""
    out = [""]
    for word in line.split(" "):
        joined = f"{out[-1]} {word}" if out[-1].strip() else out[-1] + word
        if out[-1].strip() and wcswidth(joined) > width:
            out.append(indent + word)
        else:
            out[-1] = joined
    return out


def comment(lines: list[str], indent: str) -> list[str]:
    out = []
    for line in lines:
        out += textwrap.wrap(line, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                             subsequent_indent=f"{indent}#   ", break_on_hyphens=False) or [f"{indent}#"]  # fmt: skip
    return out


def _step(draft: Draft) -> list[str]:
    entries: list[tuple[str, str, list[str]]] = []  # a key, what follows it on its line, the lines below it
    for key, words in (("name", draft.name), ("task", draft.task)):
        if words:
            entries.append((key, text(words, len(f"    {key}: ")), []))
    if draft.requires:
        why = draft.requires.get("why")
        spec = flow({k: v for k, v in draft.requires.items() if k != "why"})
        said = f"{spec[:-1]}, why: " if why else spec
        entries.append(("requires", said + (f"{text(why, len(f'    requires: {said}'))}}}" if why else ""), []))
    for key, command in (("run", draft.run), ("shell", draft.shell)):
        if command is not None:
            entries.append((key, scalar(command), []))
    if draft.hint:
        entries.append(("hint", text(draft.hint, len("    hint: ")), []))
    if draft.tty:
        entries.append(("tty", "", _tty(draft.tty)))
    if draft.exit != 0:
        entries.append(("exit", scalar(draft.exit), []))
    for key, regex in (("stdout", draft.stdout), ("stderr", draft.stderr)):
        if regex is not None:
            entries.append((key, scalar(regex, quoted=True), []))
    if draft.checks:
        entries.append(_checks("check", draft.checks))
    lines = comment(draft.comments, "  ")
    for i, (key, shown, below) in enumerate(entries):
        lines.append(f"  {'- ' if i == 0 else '  '}{key}:" + (f" {shown}" if shown else ""))
        lines += below
    return lines


def _tty(actions: list[Action]) -> list[str]:
    out = []
    for a in actions:
        if a.kind == "keys":
            out.append(f"      - keys: {flow(list(a.keys))}")
        elif a.kind == "send":
            out.append(f"      - send: {scalar(a.text) if a.text else chr(34) * 2}")
        elif a.text == "eof":
            out.append("      - expect: eof")
        else:
            out.append(f"      - expect: {scalar(a.text, quoted=True)}")
    return out


def _checks(key: str, checks: list[dict[str, Any]]) -> tuple[str, str, list[str]]:
    """One check on the key's line (or, too long for a line, a field a line below it); several one a line."""
    one = flow(checks[0])
    if len(checks) == 1 and len(f"    {key}: {one}") <= WIDTH:
        return key, one, []
    if len(checks) == 1:
        return key, "", [f"      {scalar(k)}: {flow(v, k in REGEX_KEYS)}" for k, v in checks[0].items()]
    return key, "", [f"      - {flow(c)}" for c in checks]


def scenario_text(title: Text, images: dict[str, str], drafts: list[Draft], head: list[str]) -> str:
    """A scenario file: the head's comments, schema_version, title, images, then the steps."""
    lines = [*comment(head, ""), "schema_version: 1", f"title: {text(title)}"]
    if images:
        lines += ["images:", *(f"  {scalar(k)}: {scalar(v)}" for k, v in images.items())]
    lines.append("steps:")
    for i, draft in enumerate(drafts):
        if i:
            lines.append("")
        lines += _step(draft)
    return "\n".join(lines) + "\n"


def spec_text(title: str, images: dict[str, str], reference: str, checks: list[GradedDraft], head: list[str],
              allow: list[str] | None = None) -> str:  # fmt: skip
    """A homework spec: the head's comments, schema_version, title, images, allow, reference, then the checks."""
    lines = [*comment(head, ""), "schema_version: 1", f"title: {scalar(title)}"]
    if images:
        lines.append(f"images: {flow(images)}")
    if allow:
        lines.append(f"allow: {flow(allow)}")
    lines += [f"reference: {scalar(reference)}", "checks:"]
    for i, graded in enumerate(checks):
        if i:
            lines.append("")
        key, value, below = _checks("probe" if graded.probe else "check", [graded.check])
        lines += comment(graded.comments, "  ")
        lines += [f"  - name: {scalar(graded.name)}", f"    points: {graded.points}", f"    {key}: {value}".rstrip()]
        lines += below
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> None:
    """The file whole or not at all (a reader never sees half of it)."""
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=False,
                                     encoding="utf-8") as f:  # fmt: skip
        f.write(text)
    os.replace(f.name, path)
