"""On an engine a run shares with others (a context): what a submission's command may do there — only to
what the run made — and, on another machine, where its bind sources lead."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from dockersim.dockercli import commandline
from dockersim.engine.client import Docker
from dockersim.engine.helper import helper
from dockersim.engine.images import normal_ref
from dockersim.grading.images import image_names
from dockersim.i18n.phrase import Phrase
from dockersim.ownership.labels import LABEL_KEY
from dockersim.ownership.run import Ownership
from dockersim.run.base import NotHere

_LABELS_AT = {"container": ".Config.Labels", "volume": ".Labels", "network": ".Labels"}


_IMAGE_ID = re.compile(r"(sha256:)?[0-9a-f]{12,64}")


class SharedVetting:
    """On an engine the run shares with others, what a command may do: a prune only to what carries the run's
    label, and nothing named that the run did not make — a line naming another's container, volume, network
    or image is refused as it is about to run (whether it came from commands.sh or a session step). The image
    names it may point elsewhere are noted first, so that they are given back after it (give_back_images),
    or by the reaper if the run dies. `kit`: the kit's names (to their IDs), the run's to use and give back."""

    def __init__(self, docker: Docker, ownership: Ownership, kit: Mapping[str, str]) -> None:
        self.docker, self.ownership = docker, ownership
        self.kit_names = frozenset(normal_ref(r) for r in kit)

    def __call__(self, argv: list[str]) -> list[str]:
        argv = commandline.with_filter(argv, [f"label={LABEL_KEY}={self.ownership.run_id}"])
        cmd = commandline.parse(argv)
        if cmd is not None and cmd.path == "image pull" and cmd.flag("--all-tags"):
            raise NotHere(Phrase("r_all_tags"))
        read: list[dict[str, str]] = []  # the engine's image names, read once a command, if it names images

        def names_now() -> dict[str, str]:
            if not read:
                read.append(image_names(self.docker))
            return read[0]

        other = self.stranger(argv, names_now)
        if other:
            raise NotHere(Phrase("r_not_ours", what=other))
        for ref in commandline.image_refs(argv):
            if "@" not in ref and not _IMAGE_ID.fullmatch(ref):
                self.ownership.note_tag(normal_ref(ref), names_now().get(normal_ref(ref), ""))
        return argv

    def stranger(self, argv: list[str], names_now: Callable[[], dict[str, str]]) -> str:
        """The first object the command names that the run did not make ("container web"), or "": one inspect
        a kind. What does not exist is no one's: the command makes it, or fails."""
        named: dict[str, list[str]] = {}
        for kind, ref in commandline.references(argv):
            for k in ("container", "volume", "network") if kind == "any" else (kind,):
                named.setdefault(k, []).append(ref)
        for ref in named.pop("image", []):
            if self._foreign_image(ref, names_now()):
                return f"image {ref}"
        for k, refs in named.items():
            if k not in _LABELS_AT:  # --type plugin, secret …: nothing a course needs
                return f"{k} {refs[0]}"
            form = f'{{{{.Name}}}}|{{{{index {_LABELS_AT[k]} "{LABEL_KEY}"}}}}'
            found = self.docker.call([k, "inspect", "--format", form, *refs], check=False).stdout  # the missing: none
            for line in found.splitlines():
                name, _, owner = line.strip().partition("|")
                if owner != self.ownership.run_id and not (k == "volume" and name in self.ownership.volumes):
                    return f"{k} {name.lstrip('/')}"
        return ""

    def _foreign_image(self, ref: str, now: dict[str, str]) -> bool:
        """Whether removing or re-tagging `ref` would touch an image name that is not the run's: the run's are
        the kit's and those it made (noted as not there before); by ID, every name the image has must be."""
        ours = self.kit_names | {r for r, was in self.ownership.tags.items() if not was}
        name = normal_ref(ref)
        if name in now:
            return name not in ours
        done = self.docker.call(["image", "inspect", "--format", "{{.Id}}", ref], check=False)
        if done.status != 0:
            return False  # no image of that name or ID: a tag makes it
        named = [n for n, image in now.items() if image == done.stdout.strip()]
        return not named or any(n not in ours for n in named)


def leads_out(docker: Docker, workspace: Path, argv: list[str]) -> str:
    """On an engine whose host is another machine, the bind source of a command that leads out of the
    workspace there (by a symlink a container made in it), or "". Resolved by a container that sees the
    workspace at the same path: a symlink that leads out of it leads out there too."""
    sources = commandline.bind_sources(argv)
    if not sources:
        return ""
    root = str(workspace)
    done = helper(docker, ["--mount", f"type=bind,src={root},dst={root},readonly"], _RESOLVE, sources)
    resolved = done.stdout.splitlines()
    if done.status != 0 or len(resolved) != len(sources):
        return sources[0]  # not told: refused rather than guessed
    for source, path in zip(sources, resolved, strict=True):
        if path != root and not path.startswith(root + "/"):
            return source
    return ""


# Each path with its symlinks resolved, as far as it exists; the rest (docker makes it) appended as written.
_RESOLVE = r"""for p in "$@"; do
  rest=""
  while [ ! -e "$p" ] && [ ! -L "$p" ] && [ "$p" != / ]; do rest="/${p##*/}$rest"; p="${p%/*}"; p="${p:-/}"; done
  echo "$(readlink -f "$p")$rest"
done"""
