"""What the clients' error messages say, as far as dockersim tells them apart: an object missing, or the
engine failing."""

from __future__ import annotations

import pytest

from dockersim.engine.parse.errors import only_missing


@pytest.mark.parametrize(
    "stderr",
    [
        "Error: inspecting object: no such container nope1",
        "error inspecting object: no such volume nope2\nError: inspecting object: no such volume nope1",
        "error inspecting object: nope2: image not known\nError: inspecting object: nope1: image not known",
        "Error: inspecting object: network nope1: unable to find network with name or ID nope1: network not found",
    ],
)
def test_podman_s_missing_objects_are_told_from_other_failures(stderr: str) -> None:
    """What podman 4.3 prints for `inspect --type KIND` of a name it does not have (captured here)."""
    assert only_missing(stderr)
    assert not only_missing("Error: cannot connect to Podman: permission denied")
