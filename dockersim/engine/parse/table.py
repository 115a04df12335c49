"""The column tables docker prints for people (`docker ps`, `docker images`, `docker volume ls`)."""

from __future__ import annotations

import re

from dockersim.errors import ParseError

# Headers are separated by at least two spaces (tabwriter padding); a header may hold one space.
_HEADER = re.compile(r"\S+(?: \S+)*")


def parse_table(text: str, what: str) -> list[dict[str, str]]:
    """Split a tabwriter table at its header's column offsets: one dict per row, header -> cell."""
    lines = [line.rstrip("\r") for line in text.splitlines() if line.strip()]
    if not lines:
        raise ParseError(what, text)
    header = lines[0]
    columns = [(m.group(0), m.start()) for m in _HEADER.finditer(header)]
    if not columns or columns[0][1] != 0:
        raise ParseError(what, header)
    rows = []
    for line in lines[1:]:
        cells: dict[str, str] = {}
        for i, (name, start) in enumerate(columns):
            end = columns[i + 1][1] if i + 1 < len(columns) else None
            if start > 0 and len(line) > start and line[start - 1] != " ":
                # A cell that runs into the next column means this is not the table we think it is.
                raise ParseError(what, line)
            cells[name] = line[start:end].strip()
        rows.append(cells)
    return rows
