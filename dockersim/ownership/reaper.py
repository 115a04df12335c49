"""The reaper: started by a run in a session of its own, it holds the run's leases beside it and waits for the
run's end of their socket to close; if the run did not say it was done (SIGKILL, a crash, a second Ctrl+C),
it removes what the run made, then gives the leases back and exits.

python -m dockersim.ownership.reaper JOURNAL   (stdin: the reaper's end of the run's socket pair)
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from pathlib import Path

from dockersim.host.leases import Lease
from dockersim.ownership import journal as journals


def _hold_until_the_run_ends(channel: socket.socket, leases: dict[str, Lease]) -> None:
    """Messages from the run until its end: `hold NAME` with a lease's descriptor, `drop NAME` (answered once
    dropped, so that the run knows the lease is free when its own hold goes)."""
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(channel, 256, 4)
        except InterruptedError:
            continue
        except OSError:
            return
        if not message:
            for fd in fds:
                os.close(fd)
            return  # the run's end closed: it ended, whichever way
        verb, _, name = message.decode(errors="replace").partition(" ")
        if verb == "hold" and fds:
            leases[name] = Lease(name, Path(), fds[0])
            for fd in fds[1:]:
                os.close(fd)
        elif verb == "drop":
            lease = leases.pop(name, None)
            if lease is not None:
                lease.release()
            with contextlib.suppress(OSError):
                channel.send(b"dropped")


def main(journal_path: str) -> int:
    # Signals meant for the run (a terminal's Ctrl+C, a supervisor's SIGTERM to the group) are not for us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    leases: dict[str, Lease] = {}
    channel = socket.socket(fileno=sys.stdin.fileno())
    _hold_until_the_run_ends(channel, leases)
    try:
        path = Path(journal_path)
        if not path.exists():
            return 0
        journal = journals.read(path)
        if journal.done:
            path.unlink(missing_ok=True)
            return 0
        header = journal.header
        for lease in leases.values():  # engine status: what the dead run held is being stopped now
            lease.note(run=header.run, owner=header.owner, stopping=True, reaper=os.getpid())
        # Only now: a run that says it is done (nearly every one) leaves a reaper that never loads the engine's
        # client, the sandboxes and the kit registry, and its start costs the run's first second less CPU.
        from dockersim.ownership.reaping import reap

        reap(journal)
        return 0
    finally:
        for lease in leases.values():
            lease.release()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
