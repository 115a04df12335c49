"""Image references in full, as a pull prints them, and the repository path of each."""

from __future__ import annotations

from dockersim.engine import images


def test_image_references_as_a_pull_prints_them() -> None:
    cases = {
        "centos:8": ("docker.io/library/centos:8", "library/centos"),
        "alicek106/volume_test": ("docker.io/alicek106/volume_test:latest", "alicek106/volume_test"),
        "10.213.0.1:5959/library/centos:8": ("10.213.0.1:5959/library/centos:8", "library/centos"),
        "localhost/x": ("localhost/x:latest", "x"),
        "quay.io/a/b:1": ("quay.io/a/b:1", "a/b"),
        "ubuntu@sha256:ab": ("docker.io/library/ubuntu@sha256:ab", "library/ubuntu"),
    }
    for ref, (full, path) in cases.items():
        assert (images.qualified(ref), images.repository(ref)) == (full, path), ref
