"""What differs between docker and podman: here, the detach keys each client's own configuration sets
(the tutorial's are given to a client configured otherwise: test_commandline.py)."""

from __future__ import annotations

from pathlib import Path

from dockersim.engine.flavour import _docker_detach_keys, _podman_detach_keys


def test_the_detach_keys_a_client_is_configured_with(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"detachKeys": "ctrl-x,x", "auths": {}}')
    assert _docker_detach_keys({"DOCKER_CONFIG": str(tmp_path)}) == "ctrl-x,x"
    assert _docker_detach_keys({"DOCKER_CONFIG": str(tmp_path / "none")}) == ""
    conf = tmp_path / "containers.conf"
    conf.write_text('[containers]\ndetach_keys = "no"\n\n[engine]\ncgroup_manager = "cgroupfs"\n'
                    'detach_keys = "ctrl-e,e"\n')  # fmt: skip
    assert _podman_detach_keys({"CONTAINERS_CONF": str(conf)}) == "ctrl-e,e"
