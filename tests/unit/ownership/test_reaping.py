"""What a dead run's reaper waits for before it looks (ownership/reaping.py): every process of the run still
alive, including one the run forked that has not yet exec'd its docker command — whose environment in /proc
is still the one the run started with, without the run's mark, and which would create its container after the
reaper had looked if only the mark were read. On the real kernel: a process renames itself as a run does,
forks, and is killed."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from dockersim.host import proc
from dockersim.ownership.labels import RUN_ENV, fork_name
from dockersim.ownership.reaping import in_flight

RUN = "0123456789ab"

# A run's process, reduced: the run's name, then a fork that waits (on stdin) where a child would exec, then
# the run killed.
A_RUN_KILLED_AFTER_A_FORK = f"""
import os, signal, sys
from dockersim.host import proc
proc.rename_self({fork_name(RUN)!r})
pid = os.fork()
if pid == 0:
    sys.stdin.buffer.read()
    os._exit(0)
print(pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_fork_of_a_killed_run_that_has_not_exec_d_is_in_flight_until_it_ends() -> None:
    run = subprocess.Popen(
        [sys.executable, "-c", A_RUN_KILLED_AFTER_A_FORK], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert run.stdout is not None and run.stdin is not None
    child = int(run.stdout.readline())
    run.wait(10)
    try:
        assert child not in proc.marked(f"{RUN_ENV}={RUN}")  # what the environment shows: not the run's
        assert child in in_flight(RUN)
    finally:
        run.stdin.close()  # the fork's wait ends: it exits
    deadline = time.monotonic() + 10
    while child in in_flight(RUN) and time.monotonic() < deadline:
        time.sleep(0.01)  # poll: the fork's exit, to a deadline
    assert child not in in_flight(RUN)


def test_a_run_s_name_fits_the_kernel_s_limit_and_is_given_back() -> None:
    assert len(fork_name(RUN).encode()) <= 15  # longer would be cut, and not match
    old = proc.rename_self(fork_name(RUN))
    try:
        assert proc.name(os.getpid()) == fork_name(RUN)
    finally:
        proc.rename_self(old)
    assert proc.name(os.getpid()) == old
