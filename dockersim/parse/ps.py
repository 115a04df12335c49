"""`docker ps` in its three forms: the table a learner reads, `-q`, and `--format '{{json .}}'`."""

from __future__ import annotations

import json
import re

from dockersim.errors import ParseError
from dockersim.parse.table import parse_table
from dockersim.state import PsRow

_ID = re.compile(r"^[0-9a-f]{12}(?:[0-9a-f]{52})?$")


def parse_ps_table(text: str) -> list[PsRow]:
    """The default `docker ps [-a] [--no-trunc]` table."""
    rows = []
    for cells in parse_table(text, "a docker ps table"):
        if "CONTAINER ID" not in cells or "NAMES" not in cells:
            raise ParseError("a docker ps table (no CONTAINER ID or NAMES column)", text.splitlines()[0])
        rows.append(
            PsRow(
                id=cells["CONTAINER ID"],
                image=cells.get("IMAGE", ""),
                command=cells.get("COMMAND", ""),
                created=cells.get("CREATED", ""),
                status=cells.get("STATUS", ""),
                ports=cells.get("PORTS", ""),
                names=tuple(n for n in cells["NAMES"].split(",") if n),
            )
        )
    return rows


def parse_ps_quiet(text: str) -> list[str]:
    """`docker ps -q`: one ID a line, 12 or 64 hex digits."""
    ids = [line.strip() for line in text.splitlines() if line.strip()]
    for i in ids:
        if not _ID.match(i):
            raise ParseError("a docker ps -q line", i)
    return ids


def parse_ps_json(text: str) -> list[PsRow]:
    """`docker ps --format '{{json .}}'`: one object a line, every value a string."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            raise ParseError("a docker ps JSON line", line) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("ID"), str):
            raise ParseError("a docker ps JSON line", line)

        def text_of(key: str, obj: dict[str, object] = obj, line: str = line) -> str:
            value = obj.get(key, "")
            if not isinstance(value, str):
                raise ParseError(f"the {key} of a docker ps JSON line", line)
            return value

        rows.append(
            PsRow(
                id=text_of("ID"),
                image=text_of("Image"),
                command=text_of("Command"),
                created=text_of("CreatedAt"),
                status=text_of("Status"),
                ports=text_of("Ports"),
                names=tuple(n for n in text_of("Names").split(",") if n),
                state=text_of("State"),
            )
        )
    return rows
