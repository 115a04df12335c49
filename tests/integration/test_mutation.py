"""The mutation check at a size that fits CI: in two chapters, every docker step (one-shot or tty) whose
command is replaced by `docker version` (its expectations kept) must fail — it checks what its own
command does — and each wrong variant of a lead-up makes its chapter step fail.
`python3 bench/mutate.py` runs it over every chapter."""

from __future__ import annotations

import os
from pathlib import Path

from bench.mutate import VARIANTS, passing_variants, survivors
from dockersim.engine.client import Docker
from tests.conftest import ROOT


def test_every_one_shot_step_checks_its_own_command(engine: Docker) -> None:
    files = [ROOT / "scenarios" / name for name in ("2.2.3-removing-containers.yaml", "2.2.4-publishing-ports.yaml")]
    count, found = survivors(files)
    assert count >= 20 and found == [], found
    # The run was in this process: what the tests start after it must not carry its mark (once, that mark
    # shared its name with the sandbox's runtime folder, and every grading engine after it failed to start).
    assert "DOCKERSIM_RUN" not in os.environ


def test_checks_no_command_reaches_can_fail(engine: Docker) -> None:
    """Checks of the host that no mutated command reaches fail when a lead-up makes their claim false (the
    container's /tmp or web root the host's, the directory made beforehand); what the lead-ups wrote on
    the host is removed again."""
    assert passing_variants(VARIANTS) == []
    assert not list(Path("/tmp").glob("made-in-*")) and not Path("/var/www/html/dockersim-marker.txt").exists()
