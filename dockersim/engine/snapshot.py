"""The engine's state read with a fixed number of docker calls, whatever the number of objects."""

from __future__ import annotations

import re

from dockersim.engine.client import Docker
from dockersim.engine.images import listing, normal_ref
from dockersim.engine.parse.errors import only_missing
from dockersim.engine.parse.history import parse_history
from dockersim.engine.parse.inspect import parse_containers, parse_images, parse_volumes
from dockersim.engine.parse.ps import parse_ps_json
from dockersim.engine.parse.status import parse_status
from dockersim.engine.process import Completed
from dockersim.engine.state import ContainerState, HistoryRow, ImageState, PsRow, VolumeState
from dockersim.errors import DockerError, DockersimError

_HEX = re.compile(r"[0-9a-f]{4,64}")


class AmbiguousReference(DockersimError):
    pass


def inspect_existing(docker: Docker, kind: str, names: list[str], ambiguous_ok: bool = False) -> Completed:
    """A batched `docker inspect --type KIND NAMES…` in which a missing object is no error: docker then
    exits 1 but prints the others. Any other failure (no engine, no permission) raises DockerError."""
    done = docker.call(["inspect", "--type", kind, *names], check=False)
    ambiguous = ambiguous_ok and "multiple" in done.stderr.lower()
    if done.status != 0 and not ambiguous and not only_missing(done.stderr):
        raise DockerError(done.argv, done.status, done.stderr, done.stdout)
    return done


class Snapshot:
    """One reading of the engine; each kind of object is fetched at most once, on first use.

    Containers cost two calls (one `ps -a`, one batched `inspect`), volumes two, images one (and one batched
    `image inspect` when an image's fields are asked for, one `image history` an image whose layers are
    counted); ps and inspect are cross-checked and a disagreement is kept, not hidden.
    """

    def __init__(self, docker: Docker) -> None:
        self.docker = docker
        self.calls = 0
        self.disagreements: list[str] = []
        self._containers: list[ContainerState] | None = None
        self._ps: list[PsRow] | None = None
        self._images: list[ImageState] | None = None
        self._inspected: list[ImageState] | None = None
        self._histories: dict[str, list[HistoryRow]] = {}
        self._volumes: list[VolumeState] | None = None
        self._named: dict[str, ContainerState | None] = {}  # targeted lookups, when not everything is read

    def _call(self, *args: str) -> str:
        self.calls += 1
        return self.docker.call(list(args)).stdout

    def _inspect(self, kind: str, names: list[str]) -> str:
        """A batched inspect; an object removed in between makes docker exit 1 but print the rest."""
        if not names:
            return "[]"
        self.calls += 1
        return inspect_existing(self.docker, kind, names).stdout

    @property
    def ps_rows(self) -> list[PsRow]:
        if self._ps is None:
            out = self._call("ps", "-a", "--no-trunc", "--size=false", "--format", "{{json .}}")
            self._ps = parse_ps_json(out)
        return self._ps

    @property
    def containers(self) -> list[ContainerState]:
        if self._containers is None:
            rows = self.ps_rows
            found = parse_containers(self._inspect("container", [r.id for r in rows]))
            self._containers = found
            self._cross_check(rows, found)
        return self._containers

    def _cross_check(self, rows: list[PsRow], found: list[ContainerState]) -> None:
        by_id = {c.id: c for c in found}
        for row in rows:
            c = by_id.get(row.id)
            name = row.names[0] if row.names else row.id[:12]
            if c is None:
                self.disagreements.append(f"{name}: listed by docker ps but gone for docker inspect")
                continue
            from_status = parse_status(row.status).state
            for label, value in (("State", row.state), ("STATUS", from_status)):
                if value and value != c.state:
                    self.disagreements.append(
                        f"{name}: docker ps {label} says {value!r}, docker inspect says {c.state!r}"
                    )

    @property
    def images(self) -> list[ImageState]:
        if self._images is None:
            self.calls += 1
            tags: dict[str, list[str]] = {}
            for ref, image_id in listing(self.docker):
                tags.setdefault(image_id, [])
                if not ref.startswith("<none>"):
                    tags[image_id].append(ref)
            self._images = [ImageState(id=i, repo_tags=tuple(t)) for i, t in tags.items()]
        return self._images

    @property
    def inspected_images(self) -> list[ImageState]:
        """Every listed image as `docker image inspect` describes it, read with one batched inspect on first
        use: a check of an image's fields needs its own, and one of what it was built from the others'."""
        if self._inspected is None:
            ids = list(dict.fromkeys(i.id for i in self.images))
            self._inspected = parse_images(self._inspect("image", ids))
        return self._inspected

    def image_details(self, ref: str) -> ImageState | None:
        """The image a reference names (as image() finds it), with every field inspect gives."""
        listed = self.image(ref)
        if listed is None:
            return None
        want = listed.id.removeprefix("sha256:")  # podman's inspect gives its IDs without the prefix
        return next((i for i in self.inspected_images if i.id.removeprefix("sha256:") == want), None)

    def history(self, image: ImageState) -> list[HistoryRow]:
        """`docker image history` of one image, newest row first; read once a snapshot."""
        if image.id not in self._histories:
            args = ("image", "history", "--no-trunc", "--human=false", "--format", "{{json .}}", image.id)
            self._histories[image.id] = parse_history(self._call(*args))
        return self._histories[image.id]

    @property
    def volumes(self) -> list[VolumeState]:
        if self._volumes is None:
            names = self._call("volume", "ls", "-q").split()
            self._volumes = parse_volumes(self._inspect("volume", names))
        return self._volumes

    def prefetch(self, refs: list[str]) -> None:
        """Look up these containers with one batched inspect, unless everything is read already: checks
        that name their containers need not list the whole engine."""
        wanted = [r for r in dict.fromkeys(refs) if r and r not in self._named]
        if self._containers is not None or not wanted:
            return
        self.calls += 1
        done = inspect_existing(self.docker, "container", wanted, ambiguous_ok=True)
        found = parse_containers(done.stdout) if done.stdout.strip().startswith("[") else []
        for ref in wanted:
            if re.search(rf"multiple .*\b{re.escape(ref)}\b", done.stderr, re.IGNORECASE):
                raise AmbiguousReference(f"the ID prefix {ref!r} matches more than one container")
            self._named[ref] = next((c for c in found if ref in (c.name, c.id) or c.id.startswith(ref)), None)

    def container(self, ref: str) -> ContainerState | None:
        """By name, full ID or unique ID prefix, as docker resolves it; None when there is none."""
        if self._containers is None and ref in self._named:
            return self._named[ref]  # prefetched; any other reference reads everything (two calls in all)
        for c in self.containers:
            if ref in (c.name, c.id):
                return c
        matches = [c for c in self.containers if c.id.startswith(ref)] if ref else []
        if len(matches) > 1:
            raise AmbiguousReference(f"the ID prefix {ref!r} matches {len(matches)} containers")
        return matches[0] if matches else None

    def image(self, ref: str) -> ImageState | None:
        want = normal_ref(ref)
        for image in self.images:
            if want in {normal_ref(t) for t in image.repo_tags}:
                return image
            wanted_id = ref.removeprefix("sha256:")
            if _HEX.fullmatch(wanted_id) and image.id.removeprefix("sha256:").startswith(wanted_id):
                return image
        return None

    def volume(self, name: str) -> VolumeState | None:
        return next((v for v in self.volumes if v.name == name), None)
