"""`dockersim validate` and `dockersim run`: scenario files checked, and run on an engine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dockersim.cli.options import EXIT_FAILED, engine_options, image_map, image_options, lang_option, writable


@click.command()
@click.argument("paths", nargs=-1, required=True)
def validate(paths: tuple[str, ...]) -> None:
    """Check scenario files, or a homework spec, without touching the engine.

    \b
    Examples:
      dockersim validate scenarios/
      dockersim validate my-scenario.yaml
      dockersim validate examples/hw-wordpress/spec.yaml
    """
    from dockersim.grading.homework import is_spec, load_spec
    from dockersim.scenario.loader import load_scenario, scenario_files

    for path in scenario_files(list(paths)):
        if is_spec(path):
            spec = load_spec(path)
            click.echo(f"{path}: ok (a homework spec: {len(spec.checks)} checks, {spec.max_points} points)")
        else:
            click.echo(f"{path}: ok ({len(load_scenario(path).steps)} steps)")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@engine_options
@image_options
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
@lang_option
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
    for target, option, folder in ((record_dir, "--record", True), (junit_file, "--junit", False),
                                   (html_file, "--html", False)):  # fmt: skip
        writable(target, option, folder)
    from dockersim.i18n.phrase import default_lang
    from dockersim.report import reporter, write_file_report
    from dockersim.run.base import RunOptions
    from dockersim.run.batch import Plan, run_scenarios
    from dockersim.scenario.loader import load_scenario, scenario_files

    scenarios = [load_scenario(p) for p in scenario_files(list(paths))]
    options = RunOptions(image_map=image_map(image_maps), lang=lang or default_lang(), fail_fast=fail_fast,
                         allow_destructive=allow_destructive, keep=keep)  # fmt: skip
    shown = reporter("json" if as_json else "text", verbose=verbose, lang=options.lang)
    report = run_scenarios(scenarios, Plan(options, docker_bin, context, sandbox, offline, replace), shown)
    for name, target in (("recordings", record_dir), ("junit", junit_file), ("html", html_file)):
        if target:
            write_file_report(name, Path(target), report, options.lang)
    shown.finish(report)
    sys.exit(128 + report.interrupted if report.interrupted else (0 if report.ok else EXIT_FAILED))
