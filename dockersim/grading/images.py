"""A grading engine's images: the kit's stand-ins brought in and tagged with the names courses use, put back
as they were between submissions, and on an engine the run shares, each name it pointed elsewhere given back."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dockersim.engine.client import Docker
from dockersim.engine.images import listing
from dockersim.kit import stand_ins as kit


def prepare(docker: Docker, say: Callable[[str], None], source: Docker | None = None) -> dict[str, str]:
    """The kit's stand-ins in this engine — copied from `source` (the grader's engine) where it has them,
    else built — and tagged with the names a submission uses (mysql:5.7 …): a grading engine is the run's,
    so there they may stand for the real images. Returns each name's image ID."""
    recipes = [r for r in kit.RECIPES.values() if r.stands_for]
    if source is not None:
        kit.copy(source, docker, [r.tag for r in recipes], say)
    kit.build(docker, [r.tag for r in recipes], say, only_missing=True)
    # One after the other: at once, seventeen sessions on an ssh:// engine's one connection would pass sshd's
    # MaxSessions (10), and the client would open more connections (test_pool's ssh test counts them).
    for recipe in recipes:
        for ref in recipe.stands_for:
            docker.call(["tag", recipe.tag, ref])
    return kit_ids(docker)


def image_ids(docker: Docker) -> list[str]:
    """The IDs of every image on the engine."""
    return [i for _, i in listing(docker)]


def kit_ids(docker: Docker, images: list[tuple[str, str]] | None = None) -> dict[str, str]:
    """The image ID each kit name points at now (one call, or none given the engine's `listing`); a name that
    points nowhere is left out."""
    recipes = [r for r in kit.RECIPES.values() if r.stands_for]
    tagged = dict(listing(docker) if images is None else images)
    refs = [name for r in recipes for name in (r.tag, *r.stands_for)]
    named = {ref: ref if ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest" for ref in refs}
    return {ref: tagged[full] for ref, full in named.items() if full in tagged}


def restore(docker: Docker, ids: dict[str, str], say: Callable[[str], None],
            keep: frozenset[str] | set[str] | None = frozenset()) -> dict[str, str]:  # fmt: skip
    """Between two submissions: the kit's names point where they did (a submission may have re-tagged or
    removed one: `docker tag busybox mysql:5.7`), and images a submission made or pulled are gone, but for
    `keep` (IDs); with keep None, no other image is removed (an engine the run shares: give_back_images)."""
    images = listing(docker)  # one listing: a name pointed back leaves the set of image IDs as it was
    now = kit_ids(docker, images)
    for ref, want in ids.items():
        if now.get(ref) != want and docker.call(["tag", want, ref], check=False).status != 0:
            docker.call(["image", "rm", "-f", ref], check=False)  # its image is gone: build it again
            return prepare(docker, say)
    if keep is None:
        return ids
    keep = set(ids.values()) | keep
    others = sorted({i for _, i in images if i not in keep})
    if others:
        docker.call(["image", "rm", "-f", *others], check=False)
    return ids


def image_names(docker: Docker) -> dict[str, str]:
    """Each image name on the engine (`repo:tag`) and the ID it points at."""
    return {ref: i for ref, i in listing(docker) if not ref.startswith("<none>")}


def give_back_images(docker: Docker, tags: Mapping[str, str], skip: frozenset[str] | set[str] = frozenset()) -> None:
    """On an engine the run shares: each image name the run noted (Ownership.note_tag) points where it did
    before the run, or is gone if it did not exist then; `skip`: names given back otherwise (the kit's)."""
    now = image_names(docker)
    for ref, was in sorted(tags.items()):
        if ref in skip or now.get(ref, "") == was:
            continue
        if was:
            docker.call(["tag", was, ref], check=False)
        else:
            docker.call(["image", "rm", ref], check=False)  # the name only: an image another name holds stays
