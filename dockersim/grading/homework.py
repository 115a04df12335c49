"""Homework specs (YAML, schema_version 1): checks with points, in the scenarios' check vocabulary.

`probe:` is accepted beside `check:`; probes (http through a container's published port, exec inside a
container, host_file) are check kinds like the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockersim.checks.vocabulary import Check, OnEngine, parse_check
from dockersim.errors import ScenarioError
from dockersim.grading.policy import DEFAULT, Policy, widened
from dockersim.host.limits import Limits, human, parse_size
from dockersim.scenario.loader import images_of, parse_steps
from dockersim.scenario.model import SCHEMA_VERSION, Step
from dockersim.yamlfile.source import LList, LMap, load_yaml, read_source
from dockersim.yamlfile.texts import Text, text_of
from dockersim.yamlfile.validation import closest, seconds

MAX_CPUS = 1024
MAX_PROCESSES = 4_194_304  # the kernel's own ceiling for pid_max
MAX_SIZE = 1 << 40  # 1 TiB: a submission's memory, disk or log

TOP_KEYS = (
    "schema_version", "title", "images", "setup", "submission", "session", "time_limit", "settle", "allow", "reference",
    "limits", "checks",
)  # fmt: skip
CHECK_KEYS = ("name", "points", "hidden", "hint", "check", "probe")


@dataclass
class GradedCheck:
    index: int
    name: str
    points: int
    check: Check
    line: int
    hidden: bool = False
    published: bool = False  # hidden until grades are published (Gradescope's after_published), not for good
    hint: Text | None = None


@dataclass
class Spec:
    path: str
    title: str
    images: dict[str, str]
    checks: list[GradedCheck]
    setup: list[Step] = field(default_factory=list)
    submission: str = "commands.sh"
    session: str = "session.yaml"
    time_limit: float = 300.0
    settle: float = 60.0  # seconds the checks may take to come true after the submission ran
    policy: Policy = DEFAULT  # what a submission may run: the built-in allow-list, widened by `allow:`
    reference: Path | None = None  # a submission that earns every point: each grading engine's canary
    limits: Limits = field(default_factory=Limits)  # what one submission may use (bounds.py)

    @property
    def max_points(self) -> int:
        return sum(c.points for c in self.checks)


def load_spec(path: str | Path) -> Spec:
    return parse_spec(read_source(path), str(path))


def is_spec(path: str | Path) -> bool:
    """Whether a YAML file is a homework spec (checks, and no steps) rather than a scenario; False when it
    cannot be read, so that the scenario's loader says why."""
    try:
        doc = load_yaml(read_source(path), str(path))
    except ScenarioError:
        return False
    return isinstance(doc, LMap) and "checks" in doc and "steps" not in doc


def parse_spec(text: str, path: str) -> Spec:
    doc = load_yaml(text, path)
    if not isinstance(doc, LMap):
        raise ScenarioError("a homework spec should be a mapping with schema_version, title and checks", path, 1)
    for key in doc:
        if key not in TOP_KEYS:
            raise ScenarioError(
                f"a homework spec has no key '{key}'" + closest(key, list(TOP_KEYS)), path, doc.lines[key]
            )
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise ScenarioError(f"schema_version should be {SCHEMA_VERSION}", path, doc.lines.get("schema_version", 1))
    images = images_of(doc.get("images", LMap()), path, doc.lines.get("images", 1))
    setup = doc.get("setup") or LList()
    if not isinstance(setup, LList):
        raise ScenarioError("setup should be a list of steps", path, doc.lines.get("setup", 1))
    spec = Spec(
        path=path,
        title=text_of(doc.get("title", Path(path).stem), path, doc.lines.get("title", 1), "title")["en"],
        images=images,
        checks=[],
        setup=parse_steps(setup, path, images) if setup else [],
    )
    for key in ("submission", "session"):
        if key in doc:
            value = doc[key]
            if not isinstance(value, str) or "/" in value or not value.strip():
                raise ScenarioError(
                    f"{key} should be a file name inside each submission directory", path, doc.lines[key]
                )
            setattr(spec, key, value)
    for key in ("time_limit", "settle"):
        if key in doc:
            setattr(spec, key, seconds(doc[key], path, doc.lines[key], key))
    if "reference" in doc:
        value = doc["reference"]
        folder = Path(path).parent / value if isinstance(value, str) and value.strip() else None
        if folder is None or not folder.is_dir():
            raise ScenarioError("reference should be a folder beside the spec holding a submission that earns every "
                                "point", path, doc.lines["reference"])  # fmt: skip
        spec.reference = folder
    if "allow" in doc:
        spec.policy = _allow(doc["allow"], path, doc.lines["allow"])
    if "limits" in doc:
        spec.limits = _limits(doc["limits"], path, doc.lines["limits"])
    raw_checks = doc.get("checks")
    if not isinstance(raw_checks, LList) or not raw_checks:
        raise ScenarioError("checks should be a non-empty list", path, doc.lines.get("checks", 1))
    for i, (raw, line) in enumerate(zip(raw_checks, raw_checks.lines, strict=True), start=1):
        spec.checks.append(_graded(raw, i, path, line))
    return spec


def _graded(raw: Any, index: int, path: str, line: int) -> GradedCheck:
    if not isinstance(raw, LMap):
        raise ScenarioError("a graded check should be a mapping with name, points and check (or probe)", path, line)
    for key in raw:
        if key not in CHECK_KEYS:
            raise ScenarioError(
                f"a graded check has no key '{key}'" + closest(key, list(CHECK_KEYS)), path, raw.lines[key]
            )
    kinds = [k for k in ("check", "probe") if k in raw]
    if len(kinds) != 1:
        raise ScenarioError("a graded check has exactly one of check or probe", path, line)
    points = raw.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise ScenarioError("points should be a whole number, 0 or more", path, raw.lines.get("points", line))
    hidden = raw.get("hidden", False)
    if not isinstance(hidden, bool) and hidden != "after_published":
        raise ScenarioError("hidden should be true, false or after_published", path, raw.lines.get("hidden", line))
    name = raw.get("name", f"check {index}")
    if not isinstance(name, str):
        raise ScenarioError("name should be text", path, raw.lines.get("name", line))
    hint = text_of(raw["hint"], path, raw.lines["hint"], "hint") if "hint" in raw else None
    check = parse_check(raw[kinds[0]], path, raw.lines[kinds[0]])
    if isinstance(check, OnEngine):  # a point given on the engine that cannot check it would be a point for free
        raise ScenarioError("a graded check takes no requires: every engine that grades must check it", path,
                            raw[kinds[0]].lines["requires"])  # fmt: skip
    return GradedCheck(index, name, points, check, line, hidden is not False, hidden == "after_published", hint)


def _limits(raw: Any, path: str, line: int) -> Limits:
    """`limits:` — what one submission may use, each key in place of its default (bounds.Limits)."""
    if not isinstance(raw, LMap):
        raise ScenarioError("limits should be a mapping such as {memory: 2g, processes: 1024, disk: 4g}", path, line)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = raw.lines[key]
        if key not in Limits.KEYS:
            raise ScenarioError(f"limits has no key '{key}'" + closest(key, list(Limits.KEYS)), path, where)
        if key in ("memory", "disk", "log"):
            size = parse_size(value)
            if size is None or size > MAX_SIZE:
                raise ScenarioError(f"limits: {key} should be a size such as 2g, 512m or 10m, at most 1t", path,
                                    where)  # fmt: skip
            values[key] = size
        elif key == "cpus":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_CPUS:
                raise ScenarioError(f"limits: cpus should be a number of CPUs above 0 and at most {MAX_CPUS}, such "
                                    "as 1 or 0.5", path, where)  # fmt: skip
            values[key] = float(value)
        else:
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PROCESSES:
                raise ScenarioError(f"limits: {key} should be a whole number from 1 to {MAX_PROCESSES}", path, where)
            values[key] = value
    floors = {"memory": 64 * 1024**2, "disk": 256 * 1024**2, "log": 64 * 1024, "processes": 16}
    for key, floor in floors.items():
        if key in values and values[key] < floor:
            raise ScenarioError(f"limits: {key} below {human(floor) if key != 'processes' else floor} leaves a "
                                "container too little to start", path, raw.lines[key])  # fmt: skip
    return Limits(**values)


def _allow(raw: Any, path: str, line: int) -> Policy:
    """`allow:` — docker verbs and flags this homework needs beyond the built-in list."""
    if not isinstance(raw, LList) or not raw or not all(isinstance(e, str) for e in raw):
        raise ScenarioError("allow should be a list such as ['docker commit', 'docker run --cap-add']", path, line)
    for entry, entry_line in zip(raw, raw.lines, strict=True):
        for problem in widened([entry])[1]:
            raise ScenarioError(problem, path, entry_line)
    return widened(raw)[0]
