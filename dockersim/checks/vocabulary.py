"""The check vocabulary shared by scenarios and grading: specs validated at load, evaluated on a Snapshot.

Each kind of check is one class in CHECK_KINDS; each returns the fields that differ, expected vs found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dockersim.checks.base import CheckContext, Mismatch
from dockersim.checks.container import ContainerCheck
from dockersim.checks.objects import CountCheck, ImageCheck, VolumeCheck
from dockersim.checks.probes import ExecCheck, HostFileCheck, HttpCheck
from dockersim.checks.requires import Requires, requirement
from dockersim.engine.snapshot import Snapshot
from dockersim.yamlfile.source import LMap
from dockersim.yamlfile.validation import fail as _fail


@dataclass
class OnEngine:
    """A check made only on the engine it `requires:` (`{container: c, requires: {engine: docker}, mounts: …}`):
    what another engine does not show, it is not asked for; the scenario says what that engine does instead."""

    check: Check
    requires: Requires  # the same `requires:` a step has

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        if self.requires.unmet(snap.docker.kind) is not None:
            return []
        return self.check.evaluate(snap, ctx)

    def describe(self) -> str:
        return self.check.describe()


Check = ContainerCheck | ImageCheck | VolumeCheck | CountCheck | HttpCheck | HostFileCheck | ExecCheck | OnEngine


def bare(check: Check) -> Check:
    """The check itself, without the engine it is bound to: what settling, prefetching and hints look at."""
    return check.check if isinstance(check, OnEngine) else check


CHECK_KINDS: dict[str, Callable[[LMap, str], Check]] = {  # in order of precedence
    "container": ContainerCheck.parse,
    "containers": CountCheck.parse,
    "volume": VolumeCheck.parse,
    "image": ImageCheck.parse,
    "http": HttpCheck.parse,
    "host_file": HostFileCheck.parse,
    "exec": ExecCheck.parse,
}


def parse_check(spec: Any, path: str, line: int) -> Check:
    """One check mapping → its check object. The kind is the first key of CHECK_KINDS present, so a
    container check may have an `image:` field."""
    if not isinstance(spec, LMap):
        raise _fail(path, line, "a check should be a mapping such as {container: NAME, state: running}")
    kind = next((k for k in CHECK_KINDS if k in spec), None)
    if kind is None:
        keys = ", ".join(CHECK_KINDS)
        raise _fail(path, spec.line, f"this check names no kind of check: it needs one of {keys}")
    if "requires" in spec:
        rest = LMap({k: v for k, v in spec.items() if k != "requires"})
        rest.line, rest.lines = spec.line, spec.lines
        return OnEngine(CHECK_KINDS[kind](rest, path), requirement(spec["requires"], path, spec.lines["requires"]))
    return CHECK_KINDS[kind](spec, path)
