"""The whole tutorial as a learner runs it on Linux: a user in the docker group, not root, on the host's
engine, offline with the kit root built. No FAIL, no ERROR, no traceback; what cannot run says why."""

from __future__ import annotations

import json
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.ownership.inventory import Inventory
from tests.conftest import CLIENTS, ROOT, Learner, available_clients
from tests.test_coverage import coverage_rows


def test_the_whole_tutorial_as_a_docker_group_user(engine: Docker, images: dict[str, str], learner: Learner) -> None:
    """With Debian's own client (20.10, where it is installed), as the learner on a Debian machine with
    docker.io would have it; test_safety runs the whole tutorial with the other (28), on the sandbox."""
    before = Inventory.read(engine)
    tags_before = set(_kit_tags(engine))
    client = CLIENTS["20"] if "20" in available_clients() else "docker"
    done = learner.run(f"dockersim run --offline --json --docker {client} {ROOT}/scenarios/")
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["engine"]["binary"] == client and len(report["scenarios"]) >= 6
    bad = [(s["path"], st["name"], st["reason"]) for s in report["scenarios"] for st in s["steps"]
           if st["outcome"] in ("failed", "error")]  # fmt: skip
    assert not bad, bad
    skipped = [st for s in report["scenarios"] for st in s["steps"] if st["outcome"] == "skipped"]
    assert all(st["reason"] for st in skipped)  # each skip says what would run it
    # Every claim COVERAGE.md lists was checked: passed, or skipped only where it needs a sandbox.
    steps = {(Path(st["scenario"]).name, st["name"]): st for sc in report["scenarios"] for st in sc["steps"]}
    assert {"index", "name", "outcome", "seconds", "reason", "screen", "command"} <= set(next(iter(steps.values())))
    for claim, file, step in coverage_rows():
        allowed = ("passed", "skipped") if "(*sandbox*)" in claim else ("passed",)
        assert steps[(file, step)]["outcome"] in allowed, f"{file}: {step!r}"
    assert done.returncode == 0 and report["ok"]
    assert Inventory.read(engine) == before
    assert set(_kit_tags(engine)) <= tags_before  # the kit registry's tags are gone too


def _kit_tags(client: Docker) -> list[str]:
    """Tags naming a kit registry (127.0.0.1:PORT/…); one left by a run killed elsewhere is not this run's."""
    tags = client.call(["images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout.split()
    return [t for t in tags if t.startswith("127.0.0.1:")]


def test_the_kit_s_base_image_builds_without_root(engine: Docker, learner: Learner) -> None:
    tag = "dockersim-test/base:learner"
    try:
        done = learner.run("python -c 'from dockersim.kit import stand_ins as kit; "
                           "from dockersim.engine.client import Docker; "
                           f'kit.build_base(Docker(), "{tag}", print)\'', timeout=900)  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert "mmdebstrap --mode=unshare" in done.stdout  # it says which way it built
        ran = engine.call(["run", "--rm", tag, "cat", "/etc/debian_version"])
        assert ran.stdout.strip().startswith("12")
    finally:
        engine.call(["image", "rm", "-f", tag], check=False)
