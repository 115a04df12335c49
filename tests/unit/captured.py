"""A Snapshot filled from captured `docker inspect` output (tests/fixtures) instead of docker calls, and a
check context to go with it: what the checks, the snapshot's look-ups and the state tables are tested on."""

from __future__ import annotations

from typing import Any

from dockersim.checks.vocabulary import parse_check
from dockersim.engine.parse.inspect import parse_containers
from dockersim.engine.snapshot import Snapshot
from dockersim.engine.state import ContainerState, ImageState, VolumeState
from dockersim.yamlfile.source import load_yaml
from tests.unit.conftest import fixture


class CapturedSnapshot(Snapshot):
    """A Snapshot whose objects come from fixtures instead of docker calls."""

    def __init__(self, client: str) -> None:
        self.calls, self.disagreements = 0, []
        self._containers = parse_containers(fixture(f"inspect-containers-{client}.json"))
        self._images = [ImageState("sha256:18804c7c4bbf", ("dsim-busybox:test", "centos:8"))]
        self._volumes = [VolumeState("fxnamed", "local", "/var/lib/docker/volumes/fxnamed/_data")]


class Context:
    """What a run knows when it checks: here, {var.X} is fx_up and every fx_ container is the run's own."""

    def __init__(self, image_map: dict[str, str] | None = None) -> None:
        self.image_map = image_map or {}

    def resolve(self, template: str) -> str:
        return template.replace("{var.X}", "fx_up")

    def image_ref(self, ref: str) -> str:
        return self.image_map.get(ref, ref)

    def owned(self, container: ContainerState) -> bool:
        return container.name.startswith("fx_")

    def host_path(self, path: str) -> str:
        return path

    def host_root(self) -> str | None:
        return None


def evaluate(spec: str, client: str = "28", ctx: Any = None) -> list[str]:
    """The mismatches one check (in YAML) finds on the captured snapshot, as sentences."""
    check = parse_check(load_yaml(spec, "t.yaml"), "t.yaml", 1)
    return [str(m) for m in check.evaluate(CapturedSnapshot(client), ctx or Context())]
