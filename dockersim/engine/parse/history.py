"""`docker image history --no-trunc --human=false --format '{{json .}}'`: docker prints one object a line
(`CreatedBy`, `Size` a string of bytes, `Comment`), podman one array (`CreatedBy`, `size` a number, `comment`).
And which of its rows the Dockerfile reference counts as layers."""

from __future__ import annotations

import json
import re
from typing import Any

from dockersim.engine.state import HistoryRow
from dockersim.errors import ParseError

# The instructions that change no file: they set the image's configuration. RUN, COPY and ADD make layers.
METADATA = frozenset(("ARG", "CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "MAINTAINER",
                      "ONBUILD", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"))  # fmt: skip
# The classic builder and buildah write `/bin/sh -c #(nop) INSTRUCTION …` for what they did not run (COPY
# and ADD included); BuildKit writes the instruction as it was given (`WORKDIR /app`, `RUN /bin/sh -c …`).
_NOP = re.compile(r"^(?:/bin/sh -c |cmd /S /C )?#\(nop\)\s*(\w+)")
_FIRST = re.compile(r"^([A-Z]+)\b")


def makes_layer(created_by: str) -> bool:
    """Whether a history row counts as a layer: a RUN, COPY or ADD, or a row of no instruction at all (an
    imported base, `Imported from -`). The builders differ in the layers they make — the classic builder
    makes one for a WORKDIR that creates its folder, buildah none; buildah makes one for a RUN that changes
    nothing, the classic builder none — so layers are counted by instruction, as the Dockerfile reference
    counts them, the same whichever builder made the image."""
    text = created_by.strip()
    nop = _NOP.match(text)
    if nop is not None:
        return nop.group(1).upper() not in METADATA
    first = _FIRST.match(text)
    return first is None or first.group(1) not in METADATA


def _rows(text: str) -> list[Any]:
    stripped = text.strip()
    if not stripped:
        return []
    if stripped.startswith("["):  # podman: one array
        rows = json.loads(stripped)
        if not isinstance(rows, list):
            raise ValueError("not a list")
        return rows
    return [json.loads(line) for line in stripped.splitlines() if line.strip()]


def _size(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError(f"a size, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise ValueError(f"a size in bytes (--human=false), not {value!r}")


def parse_history(text: str) -> list[HistoryRow]:
    """The rows, newest first, as the client printed them."""
    try:
        out = []
        for row in _rows(text):
            if not isinstance(row, dict):
                raise TypeError(f"a row should be an object, not {row!r}")
            created_by = row.get("CreatedBy") or ""
            comment = row.get("Comment", row.get("comment")) or ""
            if not isinstance(created_by, str) or not isinstance(comment, str):
                raise TypeError("CreatedBy and Comment should be strings")
            out.append(HistoryRow(created_by, _size(row.get("Size", row.get("size", 0))), comment))
        return out
    except (ValueError, TypeError) as e:
        raise ParseError(f"docker image history output ({type(e).__name__}: {e})", text) from None


def count_layers(rows: list[HistoryRow]) -> int:
    return sum(1 for row in rows if makes_layer(row.created_by))
