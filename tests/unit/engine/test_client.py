"""The client's argv: a shell step's `docker` labels what it creates (no engine: a script echoes its
arguments in place of the client)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from dockersim.engine.client import Docker


def test_a_shell_step_labels_what_it_creates(tmp_path: Path) -> None:
    """The script's `docker` adds the run's labels after a creating verb, and only there."""
    echo = tmp_path / "docker"
    echo.write_text('#!/bin/sh\necho "$@"\n')
    echo.chmod(0o755)
    script = "docker run --name a img true\ndocker container create img\ndocker volume create v\ndocker ps -q"
    argv = Docker(str(echo), context="ctx").shell_argv(script, ["k=v w"])
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == [
        "--context ctx run --label k=v w --name a img true",
        "--context ctx container create --label k=v w img",
        "--context ctx volume create --label k=v w v",
        "--context ctx ps -q",
    ]
