"""The command line (cli/main.py and one module a group of commands). The installed `dockersim` starts here:
`--version` alone is answered before click loads (a packager's or a CI's check, run often, pays python's
start and nothing more); anything else goes to cli.main."""

from __future__ import annotations

import sys

VERSION_LINE = "dockersim, version {version}\n"  # as click's version_option says it (cli/main.py)


def entry_point() -> None:
    """The `dockersim` command."""
    if sys.argv[1:] == ["--version"]:
        from dockersim import __version__

        sys.stdout.write(VERSION_LINE.format(version=__version__))
        return
    from dockersim.cli.main import entry_point as command

    command()
