"""An argv run to its end or its deadline holds bounded memory however much it prints: it keeps the tail of
each stream. No engine: local programs stand for a client that prints for as long as it may (`docker run
busybox yes`)."""

from __future__ import annotations

import os
import time
import tracemalloc

from dockersim.engine import process

ENV = dict(os.environ)


def test_a_run_keeps_the_tail_of_what_a_command_prints() -> None:
    tracemalloc.start()
    try:
        done = process.run(["sh", "-c", "yes | head -c 200000000; echo the-end; echo said >&2"], ENV, keep=65536)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert done.status == 0 and not done.timed_out
    assert peak < 4 * 2**20, f"{peak} bytes at the peak"
    first, _, kept = done.stdout.partition("\n")
    assert first == f"… ({200_000_008 - 65536} bytes before this were not kept)"
    assert len(kept) == 65536 and kept.endswith("y\ny\nthe-end\n")
    assert done.stderr == "said\n"  # a stream under the bound is kept whole, and said as it is


def test_a_run_keeps_a_tail_until_its_deadline_and_feeds_stdin() -> None:
    start = time.monotonic()
    done = process.run(["sh", "-c", "yes"], ENV, timeout=1, keep=1000)
    assert done.timed_out and done.status == -1 and time.monotonic() - start < 10
    assert "bytes before this were not kept" in done.stdout and done.stdout.endswith("y\n")
    fed = process.run(["cat"], ENV, stdin="line\n" * 100_000)  # more than a pipe holds: written as it is read
    assert fed.status == 0 and fed.stdout == "line\n" * 100_000
    assert process.run(["true"], ENV, stdin="unread\n" * 100_000).status == 0  # a child that reads none of it
