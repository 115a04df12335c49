"""A run's journal: what the run made that cannot carry its label, written before it exists, one JSON entry
a line in $XDG_STATE_HOME/dockersim/runs/RUN.jsonl. Written by the run (and by practice's docker shim),
read by the run, its reaper and the next start after a reboot. Each kind of entry is a dataclass here; the
lines keep the shape older journals have, so that a journal left by an older dockersim is still read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dockersim.ownership.labels import owner_alive, state_dir

if TYPE_CHECKING:  # the reaper reads journals at every run's end: it does not load the client for a type
    from dockersim.engine.client import Docker


@dataclass(frozen=True)
class Header:
    """The first entry: the run, its owner, and how to reach its engine again from another process."""

    run: str
    owner: str
    docker: str = "docker"
    context: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def of(run: str, owner: str, docker: Docker) -> Header:
        env: dict[str, str] = {k: docker.env[k] for k in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG")
                               if k in docker.env}  # fmt: skip
        return Header(run, owner, docker.binary, docker.context, env)


@dataclass(frozen=True)
class Volumes:
    """Volumes that carry no label: made by `-v NAME:/path`, or anonymous ones a run's `rm` leaves."""

    volumes: tuple[str, ...]


@dataclass(frozen=True)
class Dir:
    """A folder of the run's (a scratch directory, a context's keys)."""

    dir: str


@dataclass(frozen=True)
class Tag:
    """An image name on an engine the run shares, and the image ID it pointed at before ("": none)."""

    tag: str
    was: str = ""


@dataclass(frozen=True)
class Image:
    """An image tag the run adds for its length only."""

    image: str


@dataclass(frozen=True)
class Sandbox:
    """A sandbox engine the run started."""

    sandbox: str
    slot: int


@dataclass(frozen=True)
class Registry:
    """The kit registry the run uses, with others."""

    registry: str
    port: int


@dataclass(frozen=True)
class Done:
    """The run ended and cleaned up after itself."""

    done: bool = True


Entry = Header | Volumes | Dir | Tag | Image | Sandbox | Registry | Done
KINDS: tuple[type[Any], ...] = (Header, Volumes, Dir, Tag, Image, Sandbox, Registry, Done)
_BY_KEY = {"run": Header, "volumes": Volumes, "dir": Dir, "tag": Tag, "image": Image, "sandbox": Sandbox,
           "registry": Registry, "done": Done}  # fmt: skip
E = TypeVar("E")


def line(entry: Entry) -> str:
    """The entry as its journal line."""
    data = dict(entry.__dict__)
    if isinstance(entry, Volumes):
        data["volumes"] = sorted(entry.volumes)
    return json.dumps(data) + "\n"


def parse(text: str) -> Entry | None:
    """One journal line; None for a line cut short when a run died, or one of no kind known here."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    kind = next((k for key, k in _BY_KEY.items() if key in data), None)
    if kind is None:
        return None
    try:
        if kind is Volumes:
            return Volumes(tuple(str(v) for v in data["volumes"]))
        known = {k: v for k, v in data.items() if k in {f.name for f in fields(kind)}}
        return kind(**known)  # type: ignore[no-any-return]
    except (TypeError, ValueError):
        return None


def append(path: Path, entry: Entry) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line(entry))


@dataclass
class Journal:
    path: Path
    entries: list[Entry]

    @property
    def header(self) -> Header:
        first = self.entries[0] if self.entries else None
        return first if isinstance(first, Header) else Header("", "")

    @property
    def done(self) -> bool:
        return any(isinstance(e, Done) for e in self.entries)

    def of(self, kind: type[E]) -> list[E]:
        """Its entries of one kind, in order."""
        return [e for e in self.entries if isinstance(e, kind)]

    def volumes(self) -> set[str]:
        return {v for e in self.of(Volumes) for v in e.volumes}


def read(path: Path) -> Journal:
    entries = [e for e in map(parse, path.read_text(encoding="utf-8", errors="replace").splitlines()) if e]
    return Journal(path, entries)


def dead() -> Iterator[Journal]:
    """Journals of runs whose owner is gone and that did not finish; finished ones found are removed."""
    folder = state_dir()
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.jsonl")):
        try:
            journal = read(path)
        except OSError:
            continue
        if journal.done:
            path.unlink(missing_ok=True)
        elif owner_alive(journal.header.owner) is False:
            yield journal
