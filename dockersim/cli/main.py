"""The command line: click options over the library, a reporter chosen by name, and every DockersimError
turned into one sentence and exit 2. Heavy modules (the runner and pexpect) load only in the commands
that need them, so `--help` and `validate` start fast."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from dockersim import __version__
from dockersim.errors import DockersimError
from dockersim.host.interrupts import Interrupted, handle_signals

F = TypeVar("F", bound=Callable[..., Any])
EXIT_FAILED, EXIT_USAGE = 1, 2


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
    click.echo(f"dockersim: {message}", err=True)
    sys.exit(EXIT_USAGE)


class _Commands(click.Group):
    """Every command's library errors become one sentence on stderr and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DockersimError as e:
            from dockersim.i18n.phrase import default_lang, localise, said

            _fail(localise(said(e), _lang_asked() or default_lang()))


def _progress(line: str, lang: str = "en") -> None:
    from dockersim.i18n.phrase import localise

    click.echo(f"  {localise(line, lang)}", err=True)


def lang_option(f: F) -> F:
    """--lang: the language of what learners and students read (default: the locale's)."""
    return click.option("--lang", type=click.Choice(["en", "ko"]), default=None,
                        help="language of what learners and students read (default: the locale's).")(f)  # fmt: skip


def engine_options(f: F) -> F:
    """--docker and --context, shared by every command that talks to an engine."""
    f = click.option("--context", metavar="NAME", help="docker context to use (passed to every docker call).")(f)
    return docker_option(f)


docker_option = click.option("--docker", "docker_bin", metavar="PATH", envvar="DOCKERSIM_DOCKER", default="docker",
                             show_default=True, help="docker-compatible binary (env DOCKERSIM_DOCKER).")  # fmt: skip


def _docker(docker_bin: str, context: str | None) -> Any:
    from dockersim.engine.client import Docker

    docker = Docker(docker_bin, context)
    docker.server_version()
    return docker


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
      sudo dockersim run --sandbox --offline scenarios/
      dockersim state --json
      dockersim clean --dry-run
      dockersim doctor
      dockersim check examples/hw-wordpress/spec.yaml
      sudo dockersim grade --jobs 2 examples/hw-wordpress/spec.yaml examples/hw-wordpress/submissions/*

    Exit status: 0 every step passed, 1 a step failed, 2 bad input or no engine.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
def validate(paths: tuple[str, ...]) -> None:
    """Check scenario files without touching the engine.

    \b
    Examples:
      dockersim validate scenarios/
      dockersim validate my-scenario.yaml
    """
    from dockersim.spec.loader import load_scenario, scenario_files

    for path in scenario_files(list(paths)):
        click.echo(f"{path}: ok ({len(load_scenario(path).steps)} steps)")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@engine_options
@click.option("--image-map", "image_maps", multiple=True, metavar="REF=LOCAL",
              help="use LOCAL wherever a scenario names image REF (repeatable).")  # fmt: skip
@click.option("--offline", is_flag=True,
              help="use the offline kit's stand-ins for the scenarios' images, building what is missing.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON (docs/json-report.md).")
@click.option("--fail-fast", is_flag=True, help="stop a scenario at its first failed step.")
@click.option("--allow-destructive", is_flag=True,
              help="run steps that act on objects the run did not create (prune, $(docker ps -a -q)).")  # fmt: skip
@click.option("--keep", is_flag=True, help="leave what the run created on the engine, and say what.")
@click.option("--sandbox", is_flag=True,
              help="run on a private engine (dockersim engine up), where destructive steps are allowed.")  # fmt: skip
@click.option("--replace", is_flag=True, help="remove existing objects whose names the scenarios create.")
@click.option("--record", "record_dir", metavar="DIR", help="write an asciicast of each tty step under DIR.")
@click.option("--junit", "junit_file", metavar="FILE", help="write a JUnit XML report to FILE.")
@click.option("--html", "html_file", metavar="FILE",
              help="write one self-contained page to FILE: every step, failing screens, tty steps played.")  # fmt: skip
@click.option("--lang", type=click.Choice(["en", "ko"]), default=None, help="language of step names and reasons.")
@click.option("-v", "--verbose", is_flag=True, help="show the screen of passing steps too.")
def run(paths: tuple[str, ...], docker_bin: str, context: str | None, image_maps: tuple[str, ...], offline: bool,
        as_json: bool, fail_fast: bool, allow_destructive: bool, keep: bool, sandbox: bool, replace: bool,
        record_dir: str | None, junit_file: str | None, html_file: str | None, lang: str | None,
        verbose: bool) -> None:  # fmt: skip
    """Run scenario files (or every *.yaml in a directory) step by step.

    \b
    Examples:
      dockersim run scenarios/
      dockersim run --image-map ubuntu:14.04=my/ubuntu scenarios/2.2.1-creating-containers.yaml
      dockersim run --json scenarios/ > report.json
      dockersim run --html report.html scenarios/2.2.1-creating-containers.yaml
      sudo dockersim run --sandbox --offline scenarios/
    """
    from dockersim.i18n.phrase import default_lang
    from dockersim.report import FILE_REPORTS, reporter
    from dockersim.run.base import RunOptions
    from dockersim.run.batch import Plan, run_scenarios
    from dockersim.spec.loader import load_scenario, scenario_files

    scenarios = [load_scenario(p) for p in scenario_files(list(paths))]
    options = RunOptions(image_map=_image_map(image_maps), lang=lang or default_lang(), fail_fast=fail_fast,
                         allow_destructive=allow_destructive, keep=keep)  # fmt: skip
    shown = reporter("json" if as_json else "text", verbose=verbose, lang=options.lang)
    report = run_scenarios(scenarios, Plan(options, docker_bin, context, sandbox, offline, replace), shown)
    for name, target in (("recordings", record_dir), ("junit", junit_file), ("html", html_file)):
        if target:
            FILE_REPORTS[name](Path(target), report, options.lang)
    shown.finish(report)
    sys.exit(128 + report.interrupted if report.interrupted else (0 if report.ok else EXIT_FAILED))


def _image_map(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        ref, eq, local = pair.partition("=")
        if not eq or not ref or not local:
            raise DockersimError(
                f"--image-map takes REF=LOCAL_REF, such as ubuntu:14.04=my/ubuntu:local (got {pair!r})"
            )
        out[ref] = local
    return out


@main.command()
@engine_options
@click.option("--json", "as_json", is_flag=True, help="print the snapshot as JSON.")
def state(docker_bin: str, context: str | None, as_json: bool) -> None:
    """Print the engine's state as dockersim reads it (what the checks see).

    \b
    Examples:
      dockersim state
      dockersim state --json | jq '.containers[].name'
    """
    from dockersim.engine.snapshot import Snapshot
    from dockersim.report.state import state_json, state_tables

    snap = Snapshot(_docker(docker_bin, context))
    containers, volumes = snap.containers, snap.volumes
    if as_json:
        click.echo(state_json(containers, volumes, snap.disagreements, snap.calls))
        return
    click.echo(state_tables(containers, volumes))
    for d in snap.disagreements:
        click.echo(f"note: {d}")
    click.echo(f"\n({snap.calls} docker calls)")


@main.command()
@engine_options
@click.option("--dry-run", is_flag=True, help="list what would be removed; remove nothing.")
def clean(docker_bin: str, context: str | None, dry_run: bool) -> None:
    """Remove what dockersim runs that died (killed, crashed, a reboot) left behind.

    Only objects a dockersim run labelled, of runs whose process is gone; your own objects, and those of
    runs still going in another terminal, are never touched. Every run does this at its start too.

    \b
    Examples:
      dockersim clean --dry-run
      dockersim clean
    """
    from dockersim.ownership.inventory import orphans, remove
    from dockersim.ownership.reaping import reap_dead

    removed = reap_dead(dry_run)
    docker = _docker(docker_bin, context)
    left = orphans(docker)
    if dry_run:
        removed += [f"container {c[:12]}" for c in left.containers] + [f"volume {v}" for v in left.volumes]
        removed += [f"network {n[:12]}" for n in left.networks]
    else:
        removed += remove(docker, left)
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb}: {', '.join(removed)}" if removed else "nothing left behind by dockersim runs")
    from dockersim.host import leases

    stopping = [f"{who.get('sandbox', name)} (run {who.get('run', '?')})" for name, who in leases.all_held()
                if who.get("stopping")]  # fmt: skip
    if stopping:  # a reaper is at it: what it stops is not ours to take now, and it will be done soon
        click.echo(f"still being stopped by the reapers of runs that died: {', '.join(stopping)}")


@main.command()
@engine_options
@click.option("--json", "as_json", is_flag=True, help="print the findings as JSON.")
def doctor(docker_bin: str, context: str | None, as_json: bool) -> None:
    """Say whether a tutorial run would work here: clients, the engine and its kind, the kit, ports.

    Exit status 0 when a run would work, 1 otherwise; each problem comes with how to fix it.

    \b
    Examples:
      dockersim doctor
      dockersim doctor --json
    """
    from dockersim.run.doctor import diagnose

    found = diagnose(docker_bin, context)
    click.echo(found.to_json() if as_json else found.text())
    sys.exit(0 if found.ok else EXIT_FAILED)


@main.command()
@click.argument("spec_file", metavar="SPEC")
@engine_options
@lang_option
def check(spec_file: str, docker_bin: str, context: str | None, lang: str | None) -> None:
    """Check your work against a homework spec, on your engine as it is now (hidden checks are skipped).

    \b
    Example:
      dockersim check examples/hw-wordpress/spec.yaml
    """
    from dockersim.grading.grade import self_check
    from dockersim.grading.spec import load_spec
    from dockersim.i18n.phrase import default_lang
    from dockersim.report.grades import self_check_text

    lang = lang or default_lang()
    outcomes = self_check(load_spec(spec_file), _docker(docker_bin, context), lang)
    click.echo(self_check_text(outcomes, lang))
    sys.exit(0 if all(c.earned == c.points for c in outcomes) else EXIT_FAILED)


@main.command()
@click.argument("spec_file", metavar="SPEC")
@click.argument("folders", nargs=-1, required=True, metavar="SUBMISSION_DIR...")
@click.option("--jobs", type=click.IntRange(0, 16),
              help="sandbox engines this machine starts, one submission at a time each  [default: 1, or 0 "
                   "with --engine]")  # fmt: skip
@click.option("--engine", "engines", multiple=True, metavar="CONTEXT[=HOST]",
              help="grade on the engine this docker context reaches too (repeatable), or on the engine at this "
                   "address (tcp://…, ssh://…, unix://…, as DOCKER_HOST takes it); HOST: where its published "
                   "ports answer, when not at its endpoint's host.")  # fmt: skip
@click.option("--engine-file", "engine_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="a file of engines, one CONTEXT[=HOST] (or address) a line.")  # fmt: skip
@click.option("--out", "out_dir", default="grades", show_default=True, metavar="DIR",
              help="where the gradebook, results, JUnit files, feedback and recordings go.")  # fmt: skip
@click.option(
    "--json", "as_json", is_flag=True, help="print results.json (docs/homework-format.md) instead of the summary."
)
@docker_option
@lang_option
def grade(spec_file: str, folders: tuple[str, ...], jobs: int | None, engines: tuple[str, ...],
          engine_file: str | None, out_dir: str, as_json: bool, docker_bin: str, lang: str | None) -> None:  # fmt: skip
    """Grade submissions: each on a fresh, isolated sandbox engine (root, Linux), or on engines reached
    through docker contexts, with a gradebook and feedback.

    A submission is a folder named after the student holding commands.sh (one docker command a line,
    never run by a shell) and optionally session.yaml (tty steps). An engine named by --engine is given
    to grading for the run: what a submission makes there carries the run's labels and is removed after
    it; nothing else on it is touched by dockersim.

    \b
    Examples:
      sudo dockersim grade examples/hw-wordpress/spec.yaml examples/hw-wordpress/submissions/*
      sudo dockersim grade --jobs 2 --out grades/ spec.yaml submissions/*
      sudo dockersim grade --lang ko spec.yaml submissions/*     # feedback in Korean
      dockersim grade --engine lab1 --engine lab2 spec.yaml submissions/*   # two engines, by context
      dockersim grade --engine ssh://grader@lab3 spec.yaml submissions/*    # or by address
      dockersim grade --engine-file engines.txt --jobs 2 spec.yaml submissions/*
      sudo dockersim grade --json spec.yaml submissions/* | jq '.students[] | [.student, .score]'
    """
    from dockersim.engine.connect import read_engine_file
    from dockersim.grading.course import grade_folders
    from dockersim.grading.spec import load_spec
    from dockersim.i18n.phrase import default_lang, say
    from dockersim.report.grades import summary_text

    out, lang = Path(out_dir), lang or default_lang()
    contexts = [*engines, *(read_engine_file(Path(engine_file)) if engine_file else [])]
    jobs = jobs if jobs is not None else (0 if contexts else 1)
    grades = grade_folders(load_spec(spec_file), [Path(f) for f in folders], jobs, out, docker_bin,
                           lambda line: _progress(line, lang), lang, contexts)  # fmt: skip
    click.echo(
        (out / "results.json").read_text(encoding="utf-8").rstrip() if as_json else summary_text(grades, out, lang)
    )
    # No engine was left to grade them, their engine was disturbed, or grading stopped on the grader's side:
    # they have no score, and are to be graded again.
    ungraded = [g.student for g in grades if not g.graded]
    if ungraded:
        click.echo(f"dockersim: {say('not_graded', lang, students=', '.join(ungraded))}", err=True)
        sys.exit(EXIT_FAILED)


@main.group()
def gradebook() -> None:
    """Work with gradebooks that grade runs wrote."""


@gradebook.command("merge")
@click.argument("folders", nargs=-1, required=True, metavar="GRADES_DIR...")
@click.option("--out", "out_dir", default="gradebook", show_default=True, metavar="DIR",
              help="where the merged gradebook, results, JUnit files, feedback and recordings go.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="print the merged results.json instead of the summary.")
@lang_option
def merge(folders: tuple[str, ...], out_dir: str, as_json: bool, lang: str | None) -> None:
    """Merge the --out folders of grade runs (one submission each, from a CI matrix or a Kubernetes
    Indexed Job, or many) into one course gradebook.

    \b
    Examples:
      dockersim gradebook merge results/*/ --out course/
      dockersim gradebook merge grades-monday/ grades-tuesday/
      dockersim gradebook merge --json results/*/ | jq '.students[] | [.student, .score]'
    """
    from dockersim.i18n.phrase import default_lang
    from dockersim.report.grades import merge as merge_grades

    grades = merge_grades([Path(f) for f in folders], Path(out_dir), lang or default_lang())
    if as_json:
        click.echo((Path(out_dir) / "results.json").read_text(encoding="utf-8").rstrip())
        return
    click.echo(f"{len(grades)} students from {len(folders)} folders merged into {out_dir}/: gradebook.csv, "
               "results.json, report.html, junit/, feedback/, recordings/, gradescope/")  # fmt: skip


from dockersim.cli.engines import engine, images  # noqa: E402 - they use the helpers above
from dockersim.cli.practice import hint, practice, progress, skip, solve  # noqa: E402

for command in (images, engine, practice, progress, hint, solve, skip):
    main.add_command(command)
