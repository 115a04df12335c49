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

# Each command, the module of cli/ it lives in, imported only when it runs, and the first paragraph of its
# help, which `dockersim --help` lists beside it without importing any of them (tests/unit/cli/test_main.py
# holds each to its command's own): `run` does not load grading's or practice's modules, and --help and
# --version load none (bench/run.py's start-up rows).
COMMANDS = {
    "check": ("grade", "Check your work against a homework spec, on your engine as it is now (hidden checks are "
                       "skipped)."),
    "clean": ("engines", "Remove what dockersim runs that died (killed, crashed, a reboot) left behind."),
    "doctor": ("engines", "Say whether a tutorial run would work here, by trying: clients, the engine and what it "
                          "is, a container started for real, a port published on 127.0.0.1 and connected to, the "
                          "kit."),
    "engine": ("engines", "The sandbox engine: a private dockerd beside any other, for runs that must not touch "
                          "yours."),
    "grade": ("grade", "Grade submissions: each on a fresh, isolated sandbox engine (root, Linux), or on engines "
                       "reached through docker contexts, with a gradebook and feedback."),
    "gradebook": ("grade", "Work with gradebooks that grade runs wrote."),
    "hint": ("practice", "Inside practice: a hint for the current step."),
    "images": ("engines", "The offline kit: local stand-ins for the chapter's images, built from Debian's archive."),
    "practice": ("practice", "Type a scenario's steps yourself, in your own shell; each step is checked as you "
                             "reach it."),
    "progress": ("practice", "How far practice got in each scenario file, as saved on this account."),
    "record": ("record", "Write a scenario by doing it: every docker command you type in the shell it opens "
                         "becomes a step."),
    "run": ("run", "Run scenario files (or every *.yaml in a directory) step by step."),
    "skip": ("practice", "Inside practice: move on; dockersim runs the step (recorded as skipped)."),
    "solve": ("practice", "Inside practice: type the current step's command for you (recorded as solved)."),
    "state": ("engines", "Print the engine's state as dockersim reads it (what the checks see)."),
    "validate": ("run", "Check scenario files, or a homework spec, without touching the engine."),
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
        if cmd_name not in COMMANDS:
            return None
        command = getattr(importlib.import_module(f"dockersim.cli.{COMMANDS[cmd_name][0]}"), cmd_name)
        assert isinstance(command, click.Command) and command.name == cmd_name, cmd_name
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands, each with what it does (COMMANDS), as click lists them: none of them loaded."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            # A command of the summary alone: click shortens it as it would the command's own help.
            formatter.write_dl([(n, click.Command(n, help=COMMANDS[n][1]).get_short_help_str(limit)) for n in names])

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
