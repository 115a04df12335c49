"""When a failing graded check is worth another look: only while what it looks at can still change.

After a submission has run, nothing changes on its private engine but what its containers do by
themselves: a container still being created or restarting, one whose health check is starting, or a
service started moments ago that is still coming up (a database, WordPress). Fields fixed when a
container was created (image, mounts, env, ports, links …) and objects that do not exist cannot change,
so a check of them fails at once; `settle` stays the upper bound for the rest.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from dockersim import placeholders
from dockersim.checks import Check, ContainerCheck, CountCheck, ExecCheck, HttpCheck, ImageCheck, VolumeCheck
from dockersim.state import ContainerState

YOUNG = 20.0  # seconds after its start in which a service may still be coming up
FIXED_AT_CREATION = {"image", "command", "hostname", "name", "env", "ports", "links", "mounts", "volumes_from"}
_STARTED = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?")


def started(c: ContainerState) -> datetime | None:
    """StartedAt as docker prints it (nanoseconds, Z), or None before the first start."""
    m = _STARTED.match(c.started_at or "")
    if m is None or c.started_at.startswith("0001-"):
        return None
    fraction = (m.group(2) or "0")[:6].ljust(6, "0")
    return datetime.fromisoformat(f"{m.group(1)}.{fraction}+00:00")


def in_flux(c: ContainerState, now: datetime) -> bool:
    """Whether this container may still change by itself."""
    if c.state in ("created", "restarting") or c.health == "starting":
        return True
    at = started(c)
    return c.state == "running" and at is not None and (now - at).total_seconds() < YOUNG


def _containers_named(check: Check) -> list[str]:
    if isinstance(check, ContainerCheck):
        return [check.ref]
    if isinstance(check, ExecCheck):
        return [check.container]
    if isinstance(check, HttpCheck):
        return [p.container for p in placeholders.find(check.url) if p.kind in ("host_port", "ip")]
    return []


def may_change(check: Check, containers: list[ContainerState], now: datetime | None = None) -> bool:
    """Whether a failing check could pass on a later look, given what the engine holds now."""
    now = now or datetime.now(timezone.utc)
    if isinstance(check, (ImageCheck, VolumeCheck, CountCheck)):
        return False  # made (or not) by the submission's commands, which have all run
    if isinstance(check, ContainerCheck) and set(check.fields) <= FIXED_AT_CREATION:
        return False
    by_name = {c.name: c for c in containers}
    named = _containers_named(check)
    if named:
        found = [by_name.get(n) for n in named]
        return all(c is not None for c in found) and any(in_flux(c, now) for c in found if c is not None)
    return any(in_flux(c, now) for c in containers)  # a host file, say: any service may still write it
