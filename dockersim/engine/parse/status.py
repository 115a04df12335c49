"""The STATUS column of `docker ps` (`Up 5 seconds (Paused)`, `Exited (137) 3 seconds ago`, …)."""

from __future__ import annotations

import re

from dockersim.engine.state import Status
from dockersim.errors import ParseError

# podman says `Up 5 seconds ago`, `Up 5 seconds ago (starting)` and a bare `Paused` (before 4.4).
_UP = re.compile(r"^Up (?P<age>.+?)(?: \((?P<extra>Paused|healthy|unhealthy|health: starting|starting)\))?$")
_CODE = re.compile(r"^(?P<word>Exited|Restarting) \((?P<code>-?\d+)\) (?P<age>.+)$")


def parse_status(text: str) -> Status:
    """Turn one STATUS cell into a state, exit code and health, as the engine worded it."""
    text = text.strip()
    if text == "Created":
        return Status("created")
    if text == "Paused":
        return Status("paused")
    if text == "Removal In Progress":
        return Status("removing")
    if text == "Dead":
        return Status("dead")
    if text == "":
        # The engine leaves STATUS empty for a container in no state it can name.
        return Status("")
    m = _UP.match(text)
    if m:
        extra = m.group("extra")
        if extra == "Paused":
            return Status("paused")
        health = {"healthy": "healthy", "unhealthy": "unhealthy", "health: starting": "starting",
                  "starting": "starting"}.get(extra or "")  # fmt: skip
        return Status("running", health=health)
    m = _CODE.match(text)
    if m:
        state = "exited" if m.group("word") == "Exited" else "restarting"
        return Status(state, exit_code=int(m.group("code")))
    raise ParseError("a docker ps STATUS", text)
