"""`docker ps` in its three forms: the table a learner reads, `-q`, and `--format '{{json .}}'`."""

from __future__ import annotations

import json
import re

from dockersim.engine.parse.table import parse_table
from dockersim.engine.state import PsRow
from dockersim.errors import ParseError

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
    """`docker ps --format '{{json .}}'`: one object a line, every value a string; podman prints one JSON
    array instead, with lists for Names and Command, a map for Labels and port objects."""
    if text.lstrip().startswith("["):
        try:
            objects = json.loads(text)
        except ValueError:
            raise ParseError("podman ps JSON", text[:200]) from None
        if not isinstance(objects, list):
            raise ParseError("podman ps JSON", text[:200])
        return [_podman_row(obj, text) for obj in objects]
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


def _podman_row(obj: object, text: str) -> PsRow:
    """One container of `podman ps --format json`, in docker's words (PORTS as docker's column reads)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("Id"), str):
        raise ParseError("a container of podman ps JSON", text[:200])
    names, command = obj.get("Names") or [], obj.get("Command") or []
    if not isinstance(names, list) or not isinstance(command, list):
        raise ParseError("the Names or Command of podman ps JSON", text[:200])
    return PsRow(id=obj["Id"], image=str(obj.get("Image", "")), command=" ".join(map(str, command)),
                 created=str(obj.get("CreatedAt", "")), status=str(obj.get("Status", "")),
                 ports=", ".join(_podman_port(p, text) for p in obj.get("Ports") or []),
                 names=tuple(map(str, names)), state=str(obj.get("State", "")))  # fmt: skip


def _podman_port(port: object, text: str) -> str:
    """`{"host_ip": "", "host_port": 10150, "container_port": 10150, "range": 3, "protocol": "tcp"}` as
    docker's `0.0.0.0:10150-10152->10150-10152/tcp`."""
    if not isinstance(port, dict):
        raise ParseError("a port of podman ps JSON", text[:200])
    try:
        host, inside, span = int(port["host_port"]), int(port["container_port"]), int(port.get("range") or 1)
    except (KeyError, TypeError, ValueError):
        raise ParseError("a port of podman ps JSON", str(port)) from None
    ip = str(port.get("host_ip") or "0.0.0.0")
    hosts = f"{host}-{host + span - 1}" if span > 1 else str(host)
    ports = f"{inside}-{inside + span - 1}" if span > 1 else str(inside)
    return f"{ip}:{hosts}->{ports}/{port.get('protocol') or 'tcp'}"
