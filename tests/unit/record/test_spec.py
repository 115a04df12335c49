"""`record --spec` without an engine: a reference read as grading reads it (the allow-list entries it needs,
its images), and what the reading of its engine found written as graded checks of one point each."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockersim.engine.state import ContainerState, Mount, PortBinding, VolumeState
from dockersim.errors import DockersimError, ScenarioError
from dockersim.record.diff import Held
from dockersim.record.spec import Reading, graded_checks, read_reference
from tests.conftest import ROOT

ANN = ROOT / "examples" / "hw-network" / "submissions" / "ann"


def test_the_reference_is_read_as_grading_reads_it() -> None:
    ref = read_reference(ANN)
    assert ref.naming.images == {"mysql": "mysql:5.7", "wordpress": "wordpress", "ubuntu": "ubuntu:14.04"}
    assert ref.allow == []
    made = ref.made_by("wordpressdb")
    assert made is not None and made.values("--network") == ["wpnet"]
    assert ref.made_by("shell") is not None  # from session.yaml


def test_what_the_built_in_allow_list_lacks_is_asked_for(tmp_path: Path) -> None:
    (tmp_path / "commands.sh").write_text("docker run -d --name web --privileged busybox\ndocker commit web x\n")
    assert read_reference(tmp_path).allow == ["docker container commit", "docker container run --privileged"]


def test_a_folder_that_is_no_reference_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(DockersimError, match="no commands.sh or session.yaml"):
        read_reference(tmp_path)
    (tmp_path / "session.yaml").write_text("schema_version: 1\nsteps:\n  - run: docker nonsense\n")
    with pytest.raises(ScenarioError, match="session.yaml"):
        read_reference(tmp_path)


def test_what_the_reference_made_becomes_one_point_checks() -> None:
    ref = read_reference(ANN)
    db = ContainerState("a" * 64, "wordpressdb", "mysql:5.7", state="running", created="2024-01-01T00:00:01Z",
                        env={"MYSQL_ROOT_PASSWORD": "password", "MYSQL_DATABASE": "wordpress", "PATH": "/bin"},
                        networks={"wpnet": "10.0.0.2"},
                        mounts=[Mount("volume", "/var/lib/mysql", name="wpdb")])  # fmt: skip
    wp = ContainerState("b" * 64, "wordpress", "wordpress", state="running", created="2024-01-01T00:00:02Z",
                        env={"WORDPRESS_DB_HOST": "wordpressdb"}, networks={"wpnet": "10.0.0.3"},
                        ports=[PortBinding(80, "tcp", "0.0.0.0", 32768)])  # fmt: skip
    volumes = {"wpdb": VolumeState("wpdb"), "f" * 64: VolumeState("f" * 64)}
    images = frozenset({"mysql:5.7", "dockersim/base:bookworm", "mine:1"})
    reading = Reading(held=Held({c.id: c for c in (wp, db)}, volumes, images))
    reading.answers[("wordpress", "80/tcp")] = 302
    reading.listings[("wordpressdb", "/var/lib/mysql")] = ["aria_log_control", "mysql", "wordpress"]
    drafts = graded_checks(reading, ref, "en")
    checks = [d.check for d in drafts]
    assert checks[:4] == [
        {"container": "wordpressdb", "state": "running", "image": "{image.mysql}"},
        {"container": "wordpressdb", "env": {"MYSQL_ROOT_PASSWORD": "password", "MYSQL_DATABASE": "wordpress"}},
        {"container": "wordpressdb", "mounts": [{"type": "volume", "name": "wpdb", "destination": "/var/lib/mysql"}]},
        {"container": "wordpressdb", "networks": ["wpnet"]},
    ]
    assert {"http": {"container": "wordpress", "port": "80/tcp"}, "status": [302]} in checks
    assert {"volume": "wpdb"} in checks and {"image": "{image.mine}"} in checks
    hidden = drafts[-1]
    assert hidden.check == {
        "exec": {"container": "wordpressdb", "command": "ls /var/lib/mysql"},
        "stdout": "^wordpress$",
    }
    assert hidden.probe and hidden.comments and all(d.points == 1 for d in drafts)
    assert sum(1 for d in drafts if d.comments) == 1
