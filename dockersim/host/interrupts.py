"""SIGINT and SIGTERM, as people and supervisors send them: the first stops the run (which cleans up), the
same again at once counts as one, a later one ends the process and leaves the rest to the reaper."""

from __future__ import annotations

import os
import signal
import time
from types import FrameType


class Interrupted(BaseException):
    """SIGINT or SIGTERM: the batch stops, cleans up, and its command exits 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        self.signum = signum


SIGNAL_BURST = 1.0  # seconds: signals this close to the first are the same request (a group's, a double tap)
_first_signal: float | None = None


def _interrupted(signum: int, _frame: FrameType | None) -> None:
    """The first SIGINT/SIGTERM stops the run, which cleans up; the same signal again at once (a supervisor
    signalling the process and its group, Ctrl+C pressed twice) counts as one. A later one ends the process
    at once, and the run's reaper removes what it made."""
    global _first_signal
    now = time.monotonic()
    if _first_signal is None:
        _first_signal = now
        raise Interrupted(signum)
    if now - _first_signal < SIGNAL_BURST:
        return
    os._exit(128 + signum)


def handle_signals() -> None:
    """SIGINT and SIGTERM raise Interrupted from now on (call it first thing in a command)."""
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
