"""`docker images` and `docker volume ls`, as the tables a learner reads; the two-column listings
dockersim asks for itself (`--format 'ID<TAB>LABEL'`); the volume names in ps's Mounts column."""

from __future__ import annotations

import re

from dockersim.engine.parse.table import parse_table
from dockersim.engine.state import ImageState, VolumeState
from dockersim.errors import ParseError


def parse_images_table(text: str) -> list[ImageState]:
    out = []
    for cells in parse_table(text, "a docker images table"):
        if "REPOSITORY" not in cells or "IMAGE ID" not in cells:
            raise ParseError("a docker images table", text.splitlines()[0])
        repo, tag = cells["REPOSITORY"], cells.get("TAG", "")
        tags = () if repo == "<none>" else (f"{repo}:{tag}",)
        out.append(ImageState(id=cells["IMAGE ID"], repo_tags=tags))
    return out


def parse_volume_ls_table(text: str) -> list[VolumeState]:
    out = []
    for cells in parse_table(text, "a docker volume ls table"):
        if "VOLUME NAME" not in cells:
            raise ParseError("a docker volume ls table", text.splitlines()[0])
        out.append(VolumeState(name=cells["VOLUME NAME"], driver=cells.get("DRIVER", "")))
    return out


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """Lines of `--format '{{.ID}}\t{{.Label "k"}}'`: (ID, value); an empty value when the label is missing."""
    out = []
    for line in text.splitlines():
        ident, _, value = line.partition("\t")
        if ident.strip():
            out.append((ident.strip(), value.strip()))
    return out


_ANONYMOUS = re.compile(r"\b[0-9a-f]{64}\b")


def anonymous_volumes(mounts: str) -> set[str]:
    """The anonymous volumes named in ps's Mounts column (`--no-trunc`): an anonymous name is 64 hex digits."""
    return set(_ANONYMOUS.findall(mounts))
