"""How a recording names images (by a logical name under `images:`, a stand-in as it was typed) and the
containers the instructor named, and what a screen may show of them."""

from __future__ import annotations

from dockersim.engine.state import ContainerState
from dockersim.record.naming import Naming, logical_name


def test_logical_names() -> None:
    assert logical_name("ubuntu:14.04", set()) == "ubuntu"
    assert logical_name("alicek106/volume_test:latest", set()) == "volume_test"
    assert logical_name("127.0.0.1:5000/x/my-app@sha256:abc", set()) == "my_app"
    assert logical_name("ubuntu:22.04", {"ubuntu"}) == "ubuntu_22_04"
    assert logical_name("ubuntu:22.04", {"ubuntu", "ubuntu_22_04"}) == "ubuntu_22_04_2"


def test_an_image_is_named_once_whether_typed_or_as_its_stand_in() -> None:
    naming = Naming({"ubuntu:14.04": "127.0.0.1:5959/library/ubuntu:14.04", "ubuntu": "127.0.0.1:5959/library/ubuntu"})
    assert naming.image("ubuntu:14.04") == "{image.ubuntu}"
    assert naming.image("127.0.0.1:5959/library/ubuntu:14.04") == "{image.ubuntu}"
    assert naming.image("ubuntu:14.04") == "{image.ubuntu}"
    assert naming.image("docker.io/library/busybox") == "{image.busybox}"
    assert naming.images == {"ubuntu": "ubuntu:14.04", "busybox": "docker.io/library/busybox"}


def test_what_a_screen_shows_of_named_containers_and_images() -> None:
    naming = Naming({"ubuntu:14.04": "127.0.0.1:5959/library/ubuntu:14.04"}, containers={"web"})
    naming.image("ubuntu:14.04")
    web = ContainerState("a" * 64, "web", "x", networks={"bridge": "172.17.0.3"})
    other = ContainerState("b" * 64, "eager_turing", "x")
    literals = naming.literals([web, other])
    assert literals["a" * 64] == "{id:web}" and literals["a" * 12] == "{short_id:web}"
    assert literals["172.17.0.3"] == "{ip:web}" and "b" * 12 not in literals
    assert literals["127.0.0.1:5959/library/ubuntu:14.04"] == "{image.ubuntu}"
    assert literals["library/ubuntu"] == "{repository.ubuntu}"
    assert list(literals) == sorted(literals, key=len, reverse=True)  # an ID before its own short ID
