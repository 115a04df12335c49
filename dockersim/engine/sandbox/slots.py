"""Sandbox slots, taken from the machine (host/leases.py): a run holds its slot — the sandbox's name,
network namespace, link, subnet, remapped uids, cgroup and data root — for its life, and no other run on
the machine uses it meanwhile."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from dockersim.engine.sandbox.box import SandboxError
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.errors import DockersimError
from dockersim.host import leases
from dockersim.host.leases import RUN_ROOT, Lease
from dockersim.i18n.phrase import Phrase

RUN_SLOTS = range(0, 10)  # `run --sandbox` and `practice --sandbox`: slot 0 is `default`, the one engine up starts
GRADE_SLOTS = range(10, 250)  # grading sandboxes; 10.213.255.0 is the kit registry's (network.REGISTRY_ADDRESS)


@dataclass
class Claim:
    """A sandbox slot this process holds (leases.py) and the sandbox of that slot."""

    box: Sandbox
    lease: Lease


def slot_name(slot: int) -> str:
    """The sandbox a slot is: `default` (what `engine up` starts), `default-N` for other runs, `grade-N`."""
    if slot in RUN_SLOTS:
        return "default" if slot == 0 else f"default-{slot}"
    return f"grade-{slot}"


def claim(purpose: str, say: Callable[[str], None], wait: float = 0.0, **box: Any) -> Claim:
    """A sandbox slot no other run on this machine holds, for a run (purpose "run": the `default` sandboxes,
    whose data and images outlive a run) or for grading ("grade"). A slot whose lease is held by a dead run's
    reaper, still stopping its engine, is passed over, and said; a grading slot left running by a run whose
    reaper died too is stopped first. With `wait`, up to that many seconds are waited for a slot."""
    slots = RUN_SLOTS if purpose == "run" else GRADE_SLOTS
    deadline = time.monotonic() + wait
    told: set[str] = set()
    while True:
        for slot in slots:
            name = slot_name(slot)
            lease = leases.try_take(f"slot-{slot}", sandbox=name, what=purpose, pid=os.getpid())
            if lease is None:
                if leases.holder(f"slot-{slot}").get("stopping") and name not in told:
                    told.add(name)
                    say(Phrase("slot_stopping", name=name))
                continue
            found = Sandbox(name, slot, **box)
            if purpose != "run" and found.left_over():
                say(Phrase("slot_left_over", name=name))
                try:
                    found.down()
                except DockersimError:
                    lease.release()
                    continue
            return Claim(found, lease)
        if time.monotonic() >= deadline:
            raise SandboxError(Phrase("no_slot", what=purpose, n=len(slots)))
        time.sleep(0.2)  # poll: a slot given back by a run that ends, bounded by the deadline


@contextlib.contextmanager
def private(name: str, **box: Any) -> Iterator[Sandbox]:
    """A sandbox named as the caller likes, on a grading slot claimed from the machine for as long as it is
    used (a test's or a benchmark's engine of its own, beside any run); the caller starts and stops it."""
    claimed = claim("grade", lambda _line: None, wait=300)
    try:
        yield Sandbox(name, claimed.box.slot, **box)
    finally:
        claimed.lease.release()


def running() -> list[str]:
    """The names of the sandbox engines running now (`run --sandbox`'s, grading's dockerd or podman)."""
    if not RUN_ROOT.is_dir():
        return []
    return sorted(d.name for d in RUN_ROOT.iterdir() if d.is_dir() and Sandbox(d.name).pid() is not None)
