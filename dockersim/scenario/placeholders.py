"""`{image.NAME}`, `{repository.NAME}`, `{qualified.NAME}`,
`{id:NAME}`, `{short_id:NAME}`, `{ip:NAME}`, `{host_port:NAME:80/tcp}`, `{var.X}`, `{workdir}`,
`{engine_host}`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A placeholder is a lowercase word, then '.' or ':', then an argument; regex quantifiers such as
# {2,3} or \d{12} never look like one because they start with a digit.
_TOKEN = re.compile(r"\{(?P<kind>[a-z_]+)(?:(?P<sep>[.:])(?P<arg>[^{}\s]+))?\}")

KINDS = {
    **{"image": ".", "repository": ".", "qualified": ".", "var": "."},
    **{"id": ":", "short_id": ":", "ip": ":", "host_port": ":"},
}
IMAGE_KINDS = ("image", "repository", "qualified")  # an image of `images:`, as given, pulled from, or in full
BARE = {"workdir", "engine_host"}  # placeholders without an argument; any other bare {word} stays as it is


@dataclass(frozen=True)
class Placeholder:
    kind: str
    arg: str
    text: str

    @property
    def container(self) -> str:
        return self.arg.split(":", 1)[0]


def _matches(template: str) -> list[re.Match[str]]:
    return [m for m in _TOKEN.finditer(template) if m.group("sep") or m.group("kind") in BARE]


def find(template: str) -> list[Placeholder]:
    return [Placeholder(m.group("kind"), m.group("arg") or "", m.group(0)) for m in _matches(template)]


def problems(template: str, images: set[str]) -> list[str]:
    """What is wrong with the placeholders of one template, as sentences (empty when all is well)."""
    out = []
    for m in _matches(template):
        kind, sep, arg = m.group("kind"), m.group("sep"), m.group("arg")
        if kind in BARE:
            if sep:
                out.append(f"{{{kind}}} takes no argument: write {{{kind}}}")
        elif kind not in KINDS:
            known = ", ".join([*(f"{{{k}{s}…}}" for k, s in KINDS.items()), *(f"{{{k}}}" for k in BARE)])
            out.append(f"unknown placeholder {m.group(0)} (known: {known})")
        elif sep != KINDS[kind]:
            out.append(f"write {m.group(0)} as {{{kind}{KINDS[kind]}{arg}}}")
        elif kind in IMAGE_KINDS and arg not in images:
            names = ", ".join(sorted(images)) or "none"
            out.append(f"{m.group(0)} names no image in `images:` (declared: {names})")
        elif kind == "host_port" and not re.fullmatch(r"[^:]+:\d+(?:/(?:tcp|udp|sctp))?", arg):
            out.append(f"{m.group(0)} should read {{host_port:CONTAINER:80/tcp}}")
    return out


def substitute(template: str, value_of: Callable[[Placeholder], str]) -> str:
    """Replace every placeholder by what value_of returns for it."""

    def one(m: re.Match[str]) -> str:
        if not (m.group("sep") or m.group("kind") in BARE):
            return m.group(0)
        return value_of(Placeholder(m.group("kind"), m.group("arg") or "", m.group(0)))

    return _TOKEN.sub(one, template)


# What each container placeholder's value looks like, for matching output before the value is known.
SHAPES = {"id": "[0-9a-f]{64}", "short_id": "[0-9a-f]{12}", "ip": r"[0-9]+(?:\.[0-9]+){3}", "host_port": r"[0-9]+"}


def needs_container(template: str) -> bool:
    return any(p.kind in SHAPES for p in find(template))
