"""Checks of the engine's other objects: an image (present, and what inspect and history say of it), a volume,
how many containers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dockersim.checks.base import CheckContext, Mismatch, there, word
from dockersim.checks.image import IMAGE_FIELDS
from dockersim.engine.snapshot import Snapshot
from dockersim.i18n.phrase import Phrase
from dockersim.yamlfile.source import LMap, line_of
from dockersim.yamlfile.validation import boolean as _bool
from dockersim.yamlfile.validation import closest as _closest
from dockersim.yamlfile.validation import fail as _fail
from dockersim.yamlfile.validation import only as _only
from dockersim.yamlfile.validation import scalar as _scalar


@dataclass
class ImageCheck:
    """`{image: myapp:1, present: true, cmd: …, env: {…}, layers: {at_most: 5}, built_from: busybox, …}`: the
    fields are checks/image.py's rows."""

    ref: str
    line: int
    present: bool = True
    fields: dict[str, Any] = field(default_factory=dict)

    FIELDS = tuple(IMAGE_FIELDS)

    @classmethod
    def parse(cls, spec: LMap, path: str) -> ImageCheck:
        check = cls(_scalar(spec["image"], path, spec.lines["image"], "image"), spec.line, _bool(spec, "present", path))
        for key, value in spec.items():
            if key in ("image", "present"):
                continue
            line = spec.lines[key]
            if key not in IMAGE_FIELDS:
                known = ["present", *cls.FIELDS]
                raise _fail(path, line, f"an image check has no field '{key}'" + _closest(key, known))
            if not check.present:
                raise _fail(path, line, f"an image that should be absent has no {key} to check")
            check.fields[key] = IMAGE_FIELDS[key].validate(value, path, line, key)
        return check

    def describe(self) -> str:
        return Phrase("d_image", ref=self.ref)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        ref = ctx.image_ref(ctx.resolve(self.ref))
        if not self.fields:  # presence alone: the listing says it (one call), no inspect
            found = snap.image(ref) is not None
            return [] if found == self.present else [Mismatch("image", there(ref, self.present), word(found))]
        image = snap.image_details(ref)
        if image is None:
            return [Mismatch("image", there(ref, True), word(False))]
        return [m for key, want in self.fields.items() for m in IMAGE_FIELDS[key].compare(key, want, image, snap, ctx)]


@dataclass
class VolumeCheck:
    """`{volume: myvolume, present: true, driver: local}`"""

    name: str
    line: int
    present: bool = True
    driver: str | None = None

    @classmethod
    def parse(cls, spec: LMap, path: str) -> VolumeCheck:
        _only(spec, ("volume", "present", "driver"), path)
        driver = spec.get("driver")
        return cls(
            _scalar(spec["volume"], path, spec.lines["volume"], "volume"),
            spec.line,
            _bool(spec, "present", path),
            None if driver is None else _scalar(driver, path, spec.lines["driver"], "driver"),
        )

    def describe(self) -> str:
        return Phrase("d_volume", name=self.name)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        name = ctx.resolve(self.name)
        v = snap.volume(name)
        if (v is not None) != self.present:
            return [Mismatch("volume", there(name, self.present), word(bool(v)))]
        if v is not None and self.driver is not None and v.driver != self.driver:
            return [Mismatch("driver", self.driver, v.driver)]
        return []


@dataclass
class CountCheck:
    """`{containers: {running: 1, all: 3}}`: what `docker ps` and `docker ps -a` list of this run's containers."""

    line: int
    running: int | None = None
    all: int | None = None

    @classmethod
    def parse(cls, spec: LMap, path: str) -> CountCheck:
        _only(spec, ("containers",), path)
        counts = spec["containers"]
        if not isinstance(counts, dict) or not counts:
            raise _fail(path, spec.line, "containers should be a mapping such as {running: 1, all: 3}")
        out = cls(spec.line)
        for k, v in counts.items():
            if k not in ("running", "all"):
                raise _fail(path, line_of(counts, spec.line), f"containers counts 'running' and 'all', not '{k}'")
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise _fail(path, line_of(counts, spec.line), f"containers {k} should be a whole number")
            setattr(out, k, v)
        return out

    def describe(self) -> str:
        return Phrase("d_count")

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        mine = [c for c in snap.containers if ctx.owned(c)]
        out = []
        # `docker ps` lists running, paused and restarting containers; `ps -a` all of them.
        running = sum(1 for c in mine if c.state in ("running", "paused", "restarting"))
        if self.running is not None and running != self.running:
            out.append(Mismatch("running (docker ps)", str(self.running), str(running)))
        if self.all is not None and len(mine) != self.all:
            out.append(Mismatch("all (docker ps -a)", str(self.all), str(len(mine))))
        return out
