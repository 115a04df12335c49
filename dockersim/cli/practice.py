"""`dockersim practice`, `progress`, and `hint`, `solve` and `skip` inside a practice shell."""

from __future__ import annotations

import os
import sys

import click

from dockersim.cli.options import EXIT_FAILED, engine_options, image_map, image_options, lang_option, show_progress


@click.command()
@click.argument("paths", nargs=-1, required=True)
@engine_options
@image_options
@click.option("--from", "start", type=click.IntRange(1), metavar="N", help="begin at step N of the first file.")
@click.option("--reset", is_flag=True, help="forget the saved progress of these files and begin again.")
@click.option("--allow-destructive", is_flag=True,
              help="let steps act on objects practice did not create (prune, $(docker ps -a -q)).")  # fmt: skip
@click.option("--sandbox", is_flag=True, help="practise on the private sandbox engine (root, Linux).")
@click.option("--replace", is_flag=True, help="remove existing objects whose names the scenarios create.")
@lang_option
def practice(paths: tuple[str, ...], docker_bin: str, context: str | None, image_maps: tuple[str, ...],
             offline: bool, start: int | None,
             reset: bool, allow_destructive: bool, sandbox: bool, replace: bool, lang: str | None) -> None:  # fmt: skip
    """Type a scenario's steps yourself, in your own shell; each step is checked as you reach it.

    Your shell starts with the current step shown before each prompt. Type the command it asks for; when it
    finishes, dockersim checks it against the engine and moves on. Inside, `hint` shows a hint (it also
    shows by itself after two tries), `solve` types the step for you, and `skip` moves on. Leave with exit
    or Ctrl+D: what practice made is removed, and your progress is kept for next time.

    \b
    Examples:
      dockersim practice scenarios/2.2.1-creating-containers.yaml
      dockersim practice --offline scenarios/
      dockersim practice --from 5 scenarios/2.2.1-creating-containers.yaml
      dockersim practice --reset scenarios/2.2.1-creating-containers.yaml

    Exit status: 0 every step typed and passed, 1 a step left, skipped or solved, 2 bad input or no engine.
    """
    from dockersim.errors import DockersimError
    from dockersim.i18n.phrase import default_lang
    from dockersim.practice.session import Practice, practise
    from dockersim.report.text import colour_wanted
    from dockersim.run.base import RunOptions
    from dockersim.run.batch import Plan
    from dockersim.scenario.loader import load_scenario, scenario_files

    if os.environ.get("DOCKERSIM_PRACTICE"):
        raise DockersimError("this shell is already a practice shell: leave it (exit) before starting another")
    scenarios = [load_scenario(p) for p in scenario_files(list(paths))]
    if start is not None and start > len(scenarios[0].steps):  # before anything reaches the engine
        raise DockersimError(f"--from {start}: {scenarios[0].path} has steps 1 to {len(scenarios[0].steps)}")
    if not sys.stdin.isatty():
        raise DockersimError("practice needs a terminal: run it in one (use `dockersim run` for scripts)")
    options = RunOptions(
        image_map=image_map(image_maps), lang=lang or default_lang(), allow_destructive=allow_destructive
    )
    plan = Plan(options, docker_bin, context, sandbox, offline, replace)
    trackers = practise(scenarios, plan, Practice(start, reset, colour_wanted()),
                        lambda line: show_progress(line, options.lang))  # fmt: skip
    for tracker in trackers:
        click.echo(tracker.summary())
    done = len(trackers) == len(scenarios) and all(t.finished and t.all_typed for t in trackers)
    sys.exit(0 if done else EXIT_FAILED)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="print the saved progress as JSON.")
def progress(as_json: bool) -> None:
    """How far practice got in each scenario file, as saved on this account.

    \b
    Examples:
      dockersim progress
      dockersim progress --json
    """
    import json

    from tabulate import tabulate

    from dockersim.practice.tracker import saved_progress

    saved = saved_progress()
    if as_json:
        click.echo(json.dumps(saved, ensure_ascii=False, indent=1))
        return
    if not saved:
        click.echo("no practice yet: dockersim practice scenarios/")
        return
    rows = []
    for entry in saved:
        steps = dict(entry.get("steps") or {})  # type: ignore[call-overload]
        count = {k: sum(1 for v in steps.values() if v == k) for k in ("passed", "solved", "skipped")}
        rows.append([entry.get("title") or entry.get("path"), f"{len(steps)}/{entry.get('total', '?')}",
                     count["passed"], count["solved"], count["skipped"], entry.get("path")])  # fmt: skip
    click.echo(tabulate(rows, headers=["chapter", "done", "passed", "solved", "skipped", "file"]))


def _ask(what: str) -> None:
    if not os.environ.get("DOCKERSIM_PRACTICE"):
        click.echo(f"dockersim: `{what}` works inside `dockersim practice`", err=True)
        sys.exit(2)
    sys.stdout.write(f"\x1b]777;dockersim;ask;{what}\x07")
    sys.stdout.flush()


@click.command()
def hint() -> None:
    """Inside practice: a hint for the current step.

    \b
    Example (in the practice shell, where `hint` alone does the same):
      dockersim hint
    """
    _ask("hint")


@click.command()
def solve() -> None:
    """Inside practice: type the current step's command for you (recorded as solved).

    \b
    Example (in the practice shell, where `solve` alone does the same):
      dockersim solve
    """
    _ask("solve")


@click.command()
def skip() -> None:
    """Inside practice: move on; dockersim runs the step (recorded as skipped).

    \b
    Example (in the practice shell, where `skip` alone does the same):
      dockersim skip
    """
    _ask("skip")
