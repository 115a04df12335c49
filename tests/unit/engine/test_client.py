"""The client's argv: a shell step's `docker` labels what it creates (no engine: a script echoes its
arguments in place of the client)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dockersim.engine.client import AT_ONCE, Docker
from dockersim.errors import DockerError, EngineUnavailable


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


def test_reads_at_once_answer_in_the_order_asked_and_the_first_failure_is_raised(tmp_path: Path) -> None:
    """Three reads at once (the script waits on a FIFO the last one opens, so that they end only if they ran
    together): each answer in its place; a failing one raises DockerError once all have ended."""
    fifo = tmp_path / "gate"
    os.mkfifo(fifo)
    script = tmp_path / "docker"
    script.write_text(f'#!/bin/sh\ncase "$1" in\n  first) cat {fifo} >/dev/null; echo one ;;\n'
                      f'  second) echo two ;;\n  third) echo go > {fifo}; echo three ;;\n'
                      f'  bad) echo no >&2; exit 3 ;;\nesac\n')  # fmt: skip
    script.chmod(0o755)
    docker = Docker(str(script))
    done = docker.calls(["first"], ["second"], ["third"], timeout=20)
    assert [d.stdout.strip() for d in done] == ["one", "two", "three"]
    with pytest.raises(DockerError) as raised:
        docker.calls(["second"], ["bad"], timeout=20)
    assert raised.value.status == 3
    with pytest.raises(EngineUnavailable):  # no client at all: one sentence, from whichever read
        Docker(str(tmp_path / "no-such-docker")).calls(["ps"], ["volume", "ls"], timeout=20)


def test_many_reads_run_at_most_a_few_at_once_in_the_order_asked(tmp_path: Path) -> None:
    """Ten reads: never more than AT_ONCE client processes at a time (an ssh:// engine's one connection carries
    10 sessions), each answer in its place. The script notes how many run beside it while it runs."""
    running, seen = tmp_path / "running", tmp_path / "seen"
    running.mkdir()
    script = tmp_path / "docker"
    script.write_text(f'#!/bin/sh\ntouch {running}/$$\nls {running} | wc -l >> {seen}\n'
                      f'sleep 0.2\nrm {running}/$$\necho "$1"\n')  # fmt: skip
    script.chmod(0o755)
    done = Docker(str(script)).calls(*([str(i)] for i in range(10)), timeout=20)
    assert [d.stdout.strip() for d in done] == [str(i) for i in range(10)]
    counts = [int(n) for n in seen.read_text().split()]
    assert len(counts) == 10 and 1 < max(counts) <= AT_ONCE, counts


def test_a_client_that_cannot_be_run_does_not_answer_and_says_why(tmp_path: Path) -> None:
    """A stopped podman sandbox's client is gone: `answers` says so in its line, as it says any other reason
    (the grading pool reads it to decide what to do with the engine), and raises nothing."""
    gone = tmp_path / "podman"
    gone.write_text("#!/bin/sh\necho 4.3.1\n")
    gone.chmod(0o755)
    client = Docker(str(gone))
    assert client.answers() == ""
    gone.unlink()  # the sandbox stopped (Box.down)
    assert client.answers() == f"cannot run {str(gone)!r}: no such program"
    failing = tmp_path / "docker"
    failing.write_text("#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n")
    failing.chmod(0o755)
    assert Docker(str(failing)).answers() == "Cannot connect to the Docker daemon"
