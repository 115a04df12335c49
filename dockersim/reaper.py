"""The reaper: started by a run in a session of its own, it waits for the run to close its pipe; if the run
did not say it was done (SIGKILL, a crash, a second Ctrl+C), it removes what the run made, then exits.

python -m dockersim.reaper JOURNAL   (stdin: the read end of the run's pipe)
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from dockersim.ownership import read_journal, reap


def main(journal_path: str) -> int:
    # Signals meant for the run (a terminal's Ctrl+C, a supervisor's SIGTERM to the group) are not for us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    sys.stdin.buffer.read()  # until the run ends, whichever way: EOF
    path = Path(journal_path)
    if not path.exists():
        return 0
    journal = read_journal(path)
    if journal.done:
        path.unlink(missing_ok=True)
        return 0
    reap(journal)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
