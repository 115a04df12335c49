"""The command line: the `dockersim` group over the commands (one module a group of them beside this one),
and every DockersimError turned into one sentence and exit 2. Heavy modules (the runner and pexpect) load
only in the commands that need them, so `--help` and `validate` start fast."""

from __future__ import annotations

import importlib
import sys
from typing import Any, NoReturn

import click

from dockersim import __version__
from dockersim.errors import DockersimError
from dockersim.host.interrupts import Interrupted, handle_signals

# Each command and the module of cli/ it lives in, imported only when it runs (or --help lists it): `run`
# does not load grading's or practice's modules, and --version loads none (bench/run.py's start-up rows).
COMMANDS = {
    "validate": "run", "run": "run", "state": "engines", "clean": "engines", "doctor": "engines",
    "check": "grade", "grade": "grade", "gradebook": "grade", "images": "engines", "engine": "engines",
    "practice": "practice", "progress": "practice", "hint": "practice", "solve": "practice", "skip": "practice",
    "record": "record",
}  # fmt: skip


def entry_point() -> None:
    """The `dockersim` command: click's main, with Ctrl+C and SIGTERM handled from the first instant."""
    handle_signals()
    try:
        main()
    except Interrupted as e:
        click.echo("\ndockersim: interrupted", err=True)
        sys.exit(128 + e.signum)


def _lang_asked() -> str | None:
    """The --lang the command line gave, read from its words (the command's own context is gone by the
    time its error arrives here)."""
    words = sys.argv[1:]
    for i, word in enumerate(words):
        if word == "--lang" and i + 1 < len(words):
            return words[i + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


def _fail(message: str) -> NoReturn:
    from dockersim.cli.options import EXIT_USAGE

    click.echo(f"dockersim: {message}", err=True)
    sys.exit(EXIT_USAGE)


class _Commands(click.Group):
    """The commands, each loaded when asked for (COMMANDS); every command's library errors become one
    sentence on stderr and exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command = getattr(importlib.import_module(f"dockersim.cli.{module}"), cmd_name)
        assert isinstance(command, click.Command) and command.name == cmd_name, cmd_name
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DockersimError as e:
            from dockersim.i18n.phrase import default_lang, localise, said

            _fail(localise(said(e), _lang_asked() or default_lang()))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="dockersim")
def main() -> None:
    """Run Docker tutorial scenarios against the real docker CLI and check what the engine holds.

    \b
    Examples:
      dockersim validate scenarios/
      dockersim run scenarios/2.2.1-creating-containers.yaml
      dockersim run --offline scenarios/
      dockersim practice --offline scenarios/2.2.1-creating-containers.yaml
      dockersim record --offline my-chapter.yaml
      sudo dockersim run --sandbox --offline scenarios/
      dockersim state --json
      dockersim clean --dry-run
      dockersim doctor
      dockersim check examples/hw-wordpress/spec.yaml
      sudo dockersim grade --jobs 2 examples/hw-wordpress/spec.yaml examples/hw-wordpress/submissions/*

    Exit status: 0 every step passed, 1 a step failed, 2 bad input or no engine.
    """
