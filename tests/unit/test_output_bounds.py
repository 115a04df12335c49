"""What a command prints holds bounded memory however much it prints: run_argv keeps the tail of each stream,
and a pty session keeps a window of its text and records only its first megabytes. No engine: local
programs stand for a client that prints for as long as it may (`docker run busybox yes`)."""

from __future__ import annotations

import os
import re
import time
import tracemalloc

from dockersim.engine.client import Docker
from dockersim.engine.session import RECORDED, TEXT_KEPT, Session


def test_run_argv_keeps_the_tail_of_what_a_command_prints() -> None:
    docker = Docker("sh")
    tracemalloc.start()
    try:
        done = docker.run_argv(["sh", "-c", "yes | head -c 200000000; echo the-end; echo said >&2"], keep=65536)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert done.status == 0 and not done.timed_out
    assert peak < 4 * 2**20, f"{peak} bytes at the peak"
    first, _, kept = done.stdout.partition("\n")
    assert first == f"… ({200_000_008 - 65536} bytes before this were not kept)"
    assert len(kept) == 65536 and kept.endswith("y\ny\nthe-end\n")
    assert done.stderr == "said\n"  # a stream under the bound is kept whole, and said as it is


def test_run_argv_keeps_a_tail_until_its_deadline_and_feeds_stdin() -> None:
    docker = Docker("sh")
    start = time.monotonic()
    done = docker.run_argv(["sh", "-c", "yes"], timeout=1, keep=1000)
    assert done.timed_out and done.status == -1 and time.monotonic() - start < 10
    assert "bytes before this were not kept" in done.stdout and done.stdout.endswith("y\n")
    fed = docker.run_argv(["cat"], stdin="line\n" * 100_000)  # more than a pipe holds: written as it is read
    assert fed.status == 0 and fed.stdout == "line\n" * 100_000
    assert docker.run_argv(["true"], stdin="unread\n" * 100_000).status == 0  # a child that reads none of it


def test_a_session_keeps_a_window_of_its_text_and_records_its_first_megabytes() -> None:
    env = {**os.environ, "TERM": "xterm"}
    session = Session(["sh", "-c", "echo begin; yes | head -c 5000000; echo; echo the-end"], env)
    try:
        session.expect(re.compile(r"^begin", re.MULTILINE), 10)
        start = session.pos
        session.expect_eof(60)
        assert session.dropped > 0 and len(session.text) <= 2 * TEXT_KEPT
        assert session.pos == session.dropped + len(session.text)
        # A position taken before the text's start was let go still means the same place (runner's _aside).
        session.expect(re.compile(r"^the-end", re.MULTILINE), 1, start=start)
        assert session.screen()[-1] == "the-end"
        recorded = sum(len(output) for _, output in session.frames[:-1])
        assert RECORDED <= recorded < RECORDED + 65536
        assert "was not recorded" in session.frames[-1][1]
        assert session.close(10) == 0
    finally:
        session.kill()
