"""A sandbox's dockerd starts with the caller's environment but its TMPDIR (the grading lane of scripts/test
runs every grade with a TMPDIR of its own, which is how a grader's TMPDIR was found to stop every
container with a volume on an isolated engine)."""

from __future__ import annotations

import pytest

from dockersim.engine.sandbox.dockerd import engine_environment


def test_the_engine_keeps_the_callers_path_and_proxies_but_not_its_tmpdir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", "/home/grader/tmp")
    monkeypatch.setenv("PATH", "/opt/docker/bin:/usr/bin")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    env = engine_environment()
    assert "TMPDIR" not in env
    assert env["PATH"] == "/opt/docker/bin:/usr/bin" and env["HTTPS_PROXY"] == "http://proxy.example:3128"
