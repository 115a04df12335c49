"""How a recording names what it saw: each image by a logical name under `images:` (`{image.ubuntu}`), each
container the instructor named by that name (`{short_id:web}`), and the text a screen shows of them, for the
regexes that stand in for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockersim.engine import images as refs
from dockersim.engine.state import ContainerState


@dataclass
class Naming:
    """The images a recording used and the names it gave containers, as they grow step by step."""

    image_map: dict[str, str] = field(default_factory=dict)  # the run's: an image as typed -> as the engine got it
    images: dict[str, str] = field(default_factory=dict)  # logical name -> reference, as `images:` is written
    containers: set[str] = field(default_factory=set)  # names given with --name or rename: the others are docker's

    def image(self, ref: str) -> str:
        """`{image.NAME}` for an image as typed or as the engine holds it (a stand-in); it joins `images:`."""
        typed = self.typed(ref)
        for name, known in self.images.items():
            if refs.normal_ref(known) == refs.normal_ref(typed):
                return f"{{image.{name}}}"
        name = logical_name(typed, set(self.images))
        self.images[name] = typed
        return f"{{image.{name}}}"

    def typed(self, ref: str) -> str:
        """The image as the instructor typed it, for one the engine holds under a stand-in's name."""
        wanted = refs.normal_ref(ref)
        for typed, local in self.image_map.items():
            if refs.normal_ref(local) == wanted:
                return self.known_typed(typed)
        return ref

    def known_typed(self, typed: str) -> str:
        """Of the names a stand-in stands for (`ubuntu`, `ubuntu:14.04`), the one `images:` has already."""
        local = refs.normal_ref(self.image_map.get(typed, typed))
        for ref in self.images.values():
            if refs.normal_ref(self.image_map.get(ref, ref)) == local:
                return ref
        return typed

    def named(self, c: ContainerState) -> str | None:
        """The name a check or a placeholder calls this container by; None for one docker named."""
        return c.name if c.name in self.containers else None

    def literals(self, containers: list[ContainerState]) -> dict[str, str]:
        """What a screen may show of the images and named containers, and the placeholder for each: a
        stand-in's name or the image's as typed, where it is pulled from and its full name; a container's ID,
        short ID and address. Longest first, so that an ID is never read as its short ID."""
        out: dict[str, str] = {}
        for name, ref in self.images.items():
            engine_ref = self.image_map.get(ref, ref)
            for shown in {ref, engine_ref, refs.normal_ref(engine_ref)}:
                out[shown] = f"{{image.{name}}}"
            out.setdefault(refs.qualified(engine_ref), f"{{qualified.{name}}}")  # the image itself, if it is that
            out.setdefault(refs.repository(engine_ref), f"{{repository.{name}}}")
        for c in containers:
            named = self.named(c)
            if named is None:
                continue
            out[c.id] = f"{{id:{named}}}"
            out[c.short_id] = f"{{short_id:{named}}}"
            if c.ip:
                out[c.ip] = f"{{ip:{named}}}"
        return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))


def logical_name(ref: str, taken: set[str]) -> str:
    """`ubuntu` for ubuntu:14.04, `volume_test` for alicek106/volume_test; `ubuntu_22_04` when `ubuntu` is
    another image's already."""
    path = ref.split("@", 1)[0]
    last = path.rsplit("/", 1)[-1]
    base, _, tag = last.partition(":")
    name = re.sub(r"\W+", "_", base).strip("_") or "image"
    if name not in taken:
        return name
    suffix = re.sub(r"\W+", "_", tag or "latest")
    name = f"{name}_{suffix}"
    n, candidate = 2, name
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate
