"""`docker images` and `docker volume ls`, as the tables a learner reads."""

from __future__ import annotations

from dockersim.errors import ParseError
from dockersim.parse.table import parse_table
from dockersim.state import ImageState, VolumeState


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
