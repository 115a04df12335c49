"""`python -m dockersim`: Ctrl+C and SIGTERM handled before anything else loads, so that a signal sent as the
command starts stops it as one sent later does (cli.main.entry_point does the same for the installed
command, once its module is loaded)."""

import sys

from dockersim.host.interrupts import Interrupted, handle_signals

handle_signals()
try:
    from dockersim.cli import entry_point
except Interrupted as e:
    sys.stderr.write("\ndockersim: interrupted\n")
    sys.exit(128 + e.signum)
entry_point()
