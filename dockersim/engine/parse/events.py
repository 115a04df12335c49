"""An engine's event stream, one JSON object a line, read into EngineEvent records in docker's words: docker's
`docker events --format '{{json .}}'` (clients 20.10 and 28) and podman 4.3's `podman events --format json`.

A line that is not an event (a blank, a half-written or garbled line, JSON of another shape) is skipped: a stream
is read while it is written, and an engine that stops mid-line must not stop the reader.

docker says `exec_create: <command>`, `exec_start: <command>` and `health_status: <status>`; the action is the word
before the colon, and the rest is kept as `command` or `health`.

podman's words, and what they are read as:
- container `died` is docker's `die`, `remove` is `destroy`, `exec` (an exec session started) is `exec_start`,
  `exec_died` is `exec_die`; `init` (before each start), `cleanup` (after a death: what docker says with a
  network disconnect and volume unmount) and container `mount`/`unmount` have no docker word and stay as they are;
  podman 4.3 says `stop`, `cleanup` and `exec_died` or not, once or twice, and `stop` before or after the death,
  as the command and the cleanup process that conmon starts race: count none of them;
- image `remove` is docker's `delete` — but podman 4.3 says `untag` and `remove` when `podman rmi` removes one of
  several tags, and the image stays; `loadfromarchive` is `load`;
- volume and network `remove` are `destroy`;
- the `system` kind (`refresh`: podman found its run directory new, as after a reboot) is docker's `daemon`.
podman leaves out the exit code of a `died` or `exec_died` when it is 0; it is read as 0. Its network events are
about a container (ID, Name) and a network (`network`): the record's actor is the network, as docker's is, with
no ID (podman gives none). A volume's actor_id is its name, in both.
"""

from __future__ import annotations

import calendar
import json
import re
from typing import Any

from dockersim.engine.state import EngineEvent

# podman's Status word for (kind, status) where docker has another.
_PODMAN_ACTIONS = {
    ("container", "died"): "die",
    ("container", "remove"): "destroy",
    ("container", "exec"): "exec_start",
    ("container", "exec_died"): "exec_die",
    ("image", "remove"): "delete",
    ("image", "loadfromarchive"): "load",
    ("volume", "remove"): "destroy",
    ("network", "remove"): "destroy",
}
_PODMAN_KINDS = {"system": "daemon"}

# Go's RFC 3339 with nanoseconds, as podman prints a time: 2026-12-06T22:53:19.379374Z, …+01:00.
_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$")


def parse_events(text: str) -> list[EngineEvent]:
    """Every event of a stream (docker's or podman's), in the order the engine printed them."""
    events = []
    for line in text.splitlines():
        event = parse_event(line)
        if event is not None:
            events.append(event)
    return events


def parse_event(line: str) -> EngineEvent | None:
    """One line of a stream; None when it is not an event."""
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(obj, dict):
        return None
    if "Action" in obj or "Actor" in obj:
        return _docker_event(obj)
    if "Status" in obj:
        return _podman_event(obj)
    return None


def _docker_event(obj: dict[str, Any]) -> EngineEvent | None:
    kind, action = _text(obj.get("Type")), _text(obj.get("Action"))
    time_ns = _docker_time(obj)
    if not kind or not action or time_ns is None:
        return None
    actor = obj.get("Actor")
    actor = actor if isinstance(actor, dict) else {}
    actor_id = _text(actor.get("ID"))
    attributes = _attributes(actor.get("Attributes"))
    attrs = dict(attributes)
    verb, _, detail = action.partition(":")
    verb, detail = verb.strip(), detail.strip()
    name = attrs.get("name", "")
    if kind == "volume":
        name = name or actor_id  # a volume's ID is its name; its events carry no name attribute
    return EngineEvent(
        kind=kind,
        action=verb,
        actor_id=actor_id,
        name=name,
        time_ns=time_ns,
        container=actor_id if kind == "container" else attrs.get("container", ""),
        image=(attrs.get("image", "") or _text(obj.get("from"))) if kind == "container" else "",
        exit_code=_int(attrs.get("exitCode")),
        signal=_int(attrs.get("signal")),
        health=detail if verb == "health_status" else "",
        command=detail if verb in ("exec_create", "exec_start") else "",
        old_name=attrs.get("oldName", "").lstrip("/"),
        attributes=attributes,
    )


def _podman_event(obj: dict[str, Any]) -> EngineEvent | None:
    kind, status = _text(obj.get("Type")), _text(obj.get("Status"))
    time_ns = _podman_time(obj.get("Time"))
    if not kind or not status or time_ns is None:
        return None
    kind = _PODMAN_KINDS.get(kind, kind)
    action = _PODMAN_ACTIONS.get((kind, status), status)
    actor_id, name = _text(obj.get("ID")), _text(obj.get("Name"))
    container = actor_id if kind == "container" else ""
    if kind == "network":
        container, actor_id = actor_id, ""
        name = _text(obj.get("network")) or _text(obj.get("Network"))
    elif kind == "volume":
        actor_id = actor_id or name
    exit_code = obj.get("ContainerExitCode")
    if not isinstance(exit_code, int) or isinstance(exit_code, bool):
        exit_code = 0 if action in ("die", "exec_die") else None
    return EngineEvent(
        kind=kind,
        action=action,
        actor_id=actor_id,
        name=name,
        time_ns=time_ns,
        container=container,
        image=_text(obj.get("Image")) if kind == "container" else "",
        exit_code=exit_code,
        health=_text(obj.get("health_status")) or _text(obj.get("HealthStatus")),
        attributes=_attributes(obj.get("Attributes")),
    )


def _docker_time(obj: dict[str, Any]) -> int | None:
    nano, seconds = obj.get("timeNano"), obj.get("time")
    if isinstance(nano, int) and not isinstance(nano, bool):
        return nano
    if isinstance(seconds, int) and not isinstance(seconds, bool):
        return seconds * 1_000_000_000
    return None


def _podman_time(value: object) -> int | None:
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    fraction, zone = match.group(7) or "", match.group(8)
    try:
        seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    except (ValueError, OverflowError):
        return None
    if zone != "Z":
        offset = (int(zone[1:3]) * 60 + int(zone[4:6])) * 60
        seconds -= offset if zone[0] == "+" else -offset
    return seconds * 1_000_000_000 + int(fraction.ljust(9, "0"))


def _attributes(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        return ()
    return tuple((str(k), v if isinstance(v, str) else json.dumps(v)) for k, v in value.items())


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _int(value: str | None) -> int | None:
    if value is None or not value.isascii():
        return None
    try:
        return int(value)
    except ValueError:
        return None
