"""A Dockerfile read as the builders read it (docker's parser, which buildah's imagebuilder shares), for what
grading must know before a build runs: the options a RUN step asks for — BuildKit's `--mount`, `--network`,
`--security`, which a grading build does not give — and the images its stages start from.

Parser directives first (`# escape=`` ` changes the escape character), then instructions: comment lines
dropped, a line ending in the escape character continued on the next. Nothing is expanded but the ARGs of
FROM and COPY --from, whose defaults and --build-args name the images the build will read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*")
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))")
SCRATCH = "scratch"


@dataclass(frozen=True)
class Instruction:
    line: int  # where it starts
    keyword: str  # lower case: run, from, copy …
    rest: str  # what follows the keyword, its continuation lines joined


@dataclass
class Dockerfile:
    instructions: list[Instruction]
    run_flags: list[tuple[int, str]] = field(default_factory=list)  # (line, `--mount=…`) of each RUN's options
    bases: list[str] = field(default_factory=list)  # the images FROM and COPY --from read, in order


def instructions(text: str) -> list[Instruction]:
    """The Dockerfile's instructions, each with the line it starts on."""
    lines = text.removeprefix("\ufeff").splitlines()
    escape, start = "\\", 0
    for start, raw in enumerate(lines):  # noqa: B007 - where the directives end is what is wanted
        found = _DIRECTIVE.fullmatch(raw)
        if found is None:
            break
        if found.group(1).lower() == "escape" and found.group(2) in ("\\", "`"):
            escape = found.group(2)
    else:
        start = len(lines)
    out: list[Instruction] = []
    pending, first = "", 0
    for number, raw in enumerate(lines[start:], start=start + 1):
        stripped = raw.strip()
        if stripped.startswith("#") or (pending and not stripped):
            continue  # a comment, or a blank line inside a continued instruction: both dropped
        if not pending:
            first = number
        body = raw.rstrip()
        if body.endswith(escape):
            pending += body[: -len(escape)]
            continue
        whole = (pending + raw).strip()
        pending = ""
        if whole:
            keyword, _, rest = whole.partition(" ")
            out.append(Instruction(first, keyword.lower(), rest.strip()))
    if pending.strip():
        keyword, _, rest = pending.strip().partition(" ")
        out.append(Instruction(first, keyword.lower(), rest.strip()))
    return out


def _flags(rest: str) -> list[str]:
    """The `--options` an instruction begins with."""
    out = []
    for word in rest.split():
        if not word.startswith("--"):
            break
        out.append(word)
    return out


def _expand(word: str, args: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: args.get(m.group(1) or m.group(2), ""), word)


def read(text: str, build_args: dict[str, str] | None = None) -> Dockerfile:
    """The Dockerfile's instructions, its RUN options (ONBUILD's too) and the images it reads. `build_args`:
    the build's --build-arg values, which take the place of an ARG's default."""
    given = dict(build_args or {})
    found = Dockerfile(instructions(text))
    args: dict[str, str] = {}  # the ARGs declared before the first FROM: what FROM may use
    stages: set[str] = set()
    seen_from = False
    for ins in found.instructions:
        keyword, rest = ins.keyword, ins.rest
        if keyword == "onbuild":
            inner, _, rest = rest.partition(" ")
            keyword, rest = inner.lower(), rest.strip()
        if keyword == "run":
            found.run_flags += [(ins.line, flag) for flag in _flags(rest)]
        elif keyword == "arg" and not seen_from:
            for item in rest.split():
                name, eq, default = item.partition("=")
                args[name] = given.get(name, default.strip("\"'") if eq else "")
        elif keyword == "from":
            seen_from = True
            words = [w for w in rest.split() if not w.startswith("--")]
            if words:
                image = _expand(words[0], args)
                if image and image.lower() != SCRATCH and image not in stages:
                    found.bases.append(image)
            if len(words) >= 3 and words[1].lower() == "as":
                stages.add(words[2])
        elif keyword in ("copy", "add"):
            for flag in _flags(rest):
                name, _, value = flag.partition("=")
                image = _expand(value, args)
                if name == "--from" and image and not image.isdigit() and image not in stages:
                    found.bases.append(image)
    return found
