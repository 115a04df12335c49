"""A snapshot's look-ups, as docker resolves a reference: containers by name, full ID or unique ID prefix;
images by any spelling of their reference or an ID prefix; volumes by name (filled from captured output)."""

from __future__ import annotations

import pytest

from dockersim.engine.snapshot import AmbiguousReference
from dockersim.engine.state import ContainerState
from tests.unit.captured import CapturedSnapshot


def test_id_prefixes_resolve_like_docker() -> None:
    snap = CapturedSnapshot("28")
    up = snap.container("fx_up")
    assert up is not None and snap.container(up.id[:5]) is up
    snap._containers = [
        ContainerState(id="abc1" + "0" * 60, name="a", image="i"),
        ContainerState(id="abc2" + "0" * 60, name="b", image="i"),
    ]
    assert snap.container("abc1") is snap._containers[0]
    with pytest.raises(AmbiguousReference):
        snap.container("abc")


def test_images_by_any_spelling_of_their_reference_and_volumes_by_name() -> None:
    snap = CapturedSnapshot("28")
    image = snap.image("centos:8")
    assert image is not None
    assert snap.image("docker.io/library/centos:8") is image and snap.image("dsim-busybox:test") is image
    assert snap.image("sha256:18804c7c") is image and snap.image("18804c7c") is image  # an ID prefix
    assert snap.image("centos:7") is None and snap.image("centos") is None  # `centos` is centos:latest
    volume = snap.volume("fxnamed")
    assert volume is not None and volume.driver == "local" and snap.volume("other") is None
