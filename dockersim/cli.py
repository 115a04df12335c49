"""The command line: a thin layer over the library that turns its errors into one sentence and exit 2."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TypeVar

import click
from tabulate import tabulate

from dockersim import __version__, kit
from dockersim.batch import Interrupted, Plan, run_scenarios
from dockersim.driver import Docker
from dockersim.errors import DockersimError
from dockersim.messages import default_lang
from dockersim.ownership import orphans, reap_dead, remove
from dockersim.report.files import slug, write_junit, write_recordings
from dockersim.report.jsonout import write_json
from dockersim.report.state import state_tables
from dockersim.report.text import TextReporter
from dockersim.results import StepResult
from dockersim.runner import RunOptions
from dockersim.sandbox import Sandbox
from dockersim.sandbox import running as sandbox_running
from dockersim.scenario import load_scenario, scenario_files
from dockersim.snapshot import Snapshot

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FAILED, EXIT_USAGE = 1, 2


_first_signal: float | None = None
SIGNAL_BURST = 1.0  # seconds: signals this close to the first are the same request (a group's, a double tap)


def _interrupted(signum: int, _frame: FrameType | None) -> None:
    """The first SIGINT/SIGTERM stops the run, which cleans up; the same signal again at once (a supervisor
    signalling the process and its group, Ctrl+C pressed twice) counts as one. A later one ends dockersim
    at once, and the run's reaper removes what it made."""
    global _first_signal
    now = time.monotonic()
    if _first_signal is None:
        _first_signal = now
        raise Interrupted(signum)
    if now - _first_signal < SIGNAL_BURST:
        return
    os._exit(128 + signum)


def entry_point() -> None:
    """The `dockersim` command: click's main, with Ctrl+C and SIGTERM handled from the first instant."""
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        main()
    except Interrupted as e:
        click.echo("\ndockersim: interrupted", err=True)
        sys.exit(128 + e.signum)


docker_option = click.option(
    "--docker",
    "docker_bin",
    metavar="PATH",
    envvar="DOCKERSIM_DOCKER",
    default="docker",
    show_default=True,
    help="docker-compatible binary (env DOCKERSIM_DOCKER).",
)


def engine_options(f: F) -> F:
    """--docker and --context, shared by every command that talks to an engine."""
    f = click.option("--context", metavar="NAME", help="docker context to use (passed to every docker call).")(f)
    f = docker_option(f)
    return f


def _docker(docker_bin: str, context: str | None, sandbox: Sandbox | None = None) -> Docker:
    env = {"DOCKER_HOST": sandbox.docker_host, "DOCKER_CONTEXT": ""} if sandbox else None
    docker = Docker(docker_bin, context, env)
    docker.server_version()
    return docker


def _fail(message: str) -> NoReturn:
    click.echo(f"dockersim: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _image_map(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        ref, eq, local = pair.partition("=")
        if not eq or not ref or not local:
            _fail(f"--image-map takes REF=LOCAL_REF, such as ubuntu:14.04=my/ubuntu:local (got {pair!r})")
        out[ref] = local
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="dockersim")
def main() -> None:
    """Run Docker tutorial scenarios against the real docker CLI and check what the engine holds.

    \b
    Examples:
      dockersim validate scenarios/
      dockersim run scenarios/2.2.1-creating-containers.yaml
      dockersim run --offline scenarios/
      sudo dockersim run --sandbox --offline scenarios/
      dockersim state --json
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
    try:
        for path in scenario_files(list(paths)):
            s = load_scenario(path)
            click.echo(f"{path}: ok ({len(s.steps)} steps)")
    except DockersimError as e:
        _fail(str(e))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@engine_options
@click.option(
    "--image-map",
    "image_maps",
    multiple=True,
    metavar="REF=LOCAL",
    help="use LOCAL wherever a scenario names image REF (repeatable).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="use the offline kit's stand-ins for the scenarios' images, building what is missing.",
)
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON (docs/json-report.md).")
@click.option("--fail-fast", is_flag=True, help="stop a scenario at its first failed step.")
@click.option(
    "--allow-destructive",
    is_flag=True,
    help="run steps that act on objects the run did not create (prune, $(docker ps -a -q)).",
)
@click.option("--keep", is_flag=True, help="leave what the run created on the engine, and say what.")
@click.option(
    "--sandbox",
    is_flag=True,
    help="run on a private engine (dockersim engine up), where destructive steps are allowed.",
)
@click.option("--replace", is_flag=True, help="remove existing objects whose names the scenarios create.")
@click.option("--record", "record_dir", metavar="DIR", help="write an asciicast of each tty step under DIR.")
@click.option("--junit", "junit_file", metavar="FILE", help="write a JUnit XML report to FILE.")
@click.option("--lang", type=click.Choice(["en", "ko"]), default=None, help="language of step names and reasons.")
@click.option("-v", "--verbose", is_flag=True, help="show the screen of passing steps too.")
def run(
    paths: tuple[str, ...],
    docker_bin: str,
    context: str | None,
    image_maps: tuple[str, ...],
    offline: bool,
    as_json: bool,
    fail_fast: bool,
    allow_destructive: bool,
    keep: bool,
    sandbox: bool,
    replace: bool,
    record_dir: str | None,
    junit_file: str | None,
    lang: str | None,
    verbose: bool,
) -> None:
    """Run scenario files (or every *.yaml in a directory) step by step.

    \b
    Examples:
      dockersim run scenarios/
      dockersim run --image-map ubuntu:14.04=my/ubuntu scenarios/2.2.1-creating-containers.yaml
      dockersim run --json scenarios/ > report.json
      sudo dockersim run --sandbox --offline scenarios/
    """
    options = RunOptions(
        image_map=_image_map(image_maps),
        lang=lang or default_lang(),
        fail_fast=fail_fast,
        allow_destructive=allow_destructive,
        keep=keep,
    )
    plan = Plan(options, docker_bin, context, sandbox, offline, replace)
    events = TextReporter(verbose=verbose) if not as_json else _Quiet()
    try:
        report = run_scenarios([load_scenario(p) for p in scenario_files(list(paths))], plan, events)
    except DockersimError as e:
        _fail(str(e))
    if report.interrupted:
        click.echo(f"\ndockersim: interrupted; removed what the run created ({len(report.removed)} objects)", err=True)
    if record_dir:
        for scenario in report.scenarios:
            write_recordings(Path(record_dir) / slug(Path(scenario.path).stem), scenario.steps, scenario.title)
    if junit_file:
        write_junit(Path(junit_file), report)
    if as_json:
        write_json(report)
    elif isinstance(events, TextReporter):
        events.finish(report)
    sys.exit(128 + report.interrupted if report.interrupted else (0 if report.ok else EXIT_FAILED))


class _Quiet:
    """Events for --json: only progress, on stderr."""

    def scenario_started(self, title: str, path: str) -> None:
        pass

    def step(self, result: StepResult) -> None:
        pass

    def progress(self, line: str) -> None:
        _progress(line)


def _progress(line: str) -> None:
    click.echo(f"  {line}", err=True)


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
    try:
        snap = Snapshot(_docker(docker_bin, context))
        containers, volumes = snap.containers, snap.volumes
    except DockersimError as e:
        _fail(str(e))
    if as_json:
        data = {
            "containers": [asdict(c) for c in containers],
            "volumes": [asdict(v) for v in volumes],
            "disagreements": snap.disagreements,
            "docker_calls": snap.calls,
        }
        click.echo(json.dumps(data, indent=2))
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
    try:
        removed = reap_dead(dry_run)
        docker = _docker(docker_bin, context)
        left = orphans(docker)
        if dry_run:
            removed += [f"container {c[:12]}" for c in left.containers] + [f"volume {v}" for v in left.volumes]
            removed += [f"network {n[:12]}" for n in left.networks]
        else:
            removed += remove(docker, left)
    except DockersimError as e:
        _fail(str(e))
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb}: {', '.join(removed)}" if removed else "nothing left behind by dockersim runs")


@main.group()
def images() -> None:
    """The offline kit: local stand-ins for the chapter's images, built from Debian's archive."""


@images.command("list")
@engine_options
def images_list(docker_bin: str, context: str | None) -> None:
    """List the kit's stand-ins, what each stands for, and whether it is built.

    \b
    Example:
      dockersim images list
    """
    try:
        docker = _docker(docker_bin, context)
        rows = [
            [r.tag, ", ".join(r.stands_for) or "(base)", "yes" if kit.present(docker, r.tag) else "no"]
            for r in kit.RECIPES.values()
        ]
    except DockersimError as e:
        _fail(str(e))
    click.echo(tabulate(rows, headers=["stand-in", "stands for", "built"]))


@images.command("build")
@click.argument("refs", nargs=-1)
@engine_options
def images_build(refs: tuple[str, ...], docker_bin: str, context: str | None) -> None:
    """Build stand-ins (all of them when none is named); cached, so a rebuild takes seconds.

    \b
    Examples:
      dockersim images build
      dockersim images build ubuntu:14.04 centos:8
    """
    stand_ins = kit.stand_in_map()
    try:
        tags = [stand_ins.get(ref, ref) for ref in refs] or list(kit.RECIPES)
        built = kit.build(_docker(docker_bin, context), tags, _progress)
    except DockersimError as e:
        _fail(str(e))
    click.echo(f"{len(built)} images ready: " + ", ".join(built))


@main.group()
def engine() -> None:
    """The sandbox engine: a private dockerd beside any other, for runs that must not touch yours."""


@engine.command("up")
def engine_up() -> None:
    """Start the sandbox engine (root, Linux): its own data, socket, network namespace and bridge.

    \b
    Example:
      sudo dockersim engine up && sudo dockersim run --sandbox --offline scenarios/
    """
    box = Sandbox()
    try:
        started = box.up()
    except DockersimError as e:
        _fail(str(e))
    click.echo(
        f"sandbox engine {'started' if started else 'already running'}: {box.docker_host}; "
        f"its published ports answer on {box.engine_host}"
    )


@engine.command("down")
@click.option("--purge", is_flag=True, help="remove its data (images, volumes) as well.")
def engine_down(purge: bool) -> None:
    """Stop the sandbox engine and remove its network namespace.

    \b
    Examples:
      dockersim engine down
      dockersim engine down --purge
    """
    try:
        Sandbox().down(purge=purge)
    except DockersimError as e:
        _fail(str(e))
    click.echo("sandbox engine stopped" + (" and its data removed" if purge else ""))


@engine.command("status")
@engine_options
def engine_status(docker_bin: str, context: str | None) -> None:
    """Say which engine a run would use, whether it and the sandbox answer, and which grading engines run.

    \b
    Example:
      dockersim engine status
    """
    import os

    leftovers = reap_dead()
    if leftovers:
        click.echo(f"removed what runs that died had left: {', '.join(leftovers)}")
    where = (
        f"context {context}"
        if context
        else (f"DOCKER_HOST={os.environ['DOCKER_HOST']}" if os.environ.get("DOCKER_HOST") else "the default engine")
    )
    try:
        version = Docker(docker_bin, context).server_version()
        click.echo(f"run uses {where}: answers, engine {version}")
    except DockersimError as e:
        click.echo(f"run uses {where}: {e}")
    box = Sandbox()
    sandbox_version = box.version(docker_bin) if shutil.which(docker_bin) else None
    if sandbox_version:
        click.echo(
            f"run --sandbox uses {box.docker_host}: answers, engine {sandbox_version}; "
            f"published ports answer on {box.engine_host}"
        )
    else:
        click.echo("run --sandbox: the sandbox engine is down (dockersim engine up starts it)")
    grading = [name for name in sandbox_running() if name != box.name]
    click.echo(f"grading engines running: {', '.join(grading)}" if grading else "no grading engine runs")


@main.command()
@click.argument("spec_file", metavar="SPEC")
@engine_options
def check(spec_file: str, docker_bin: str, context: str | None) -> None:
    """Check your work against a homework spec, on your engine as it is now (hidden checks are skipped).

    \b
    Example:
      dockersim check examples/hw-wordpress/spec.yaml
    """
    from dockersim.grading import self_check
    from dockersim.homework import load_spec

    try:
        spec = load_spec(spec_file)
        outcomes = self_check(spec, _docker(docker_bin, context))
    except DockersimError as e:
        _fail(str(e))
    for c in outcomes:
        click.echo(f"{'ok  ' if c.outcome == 'passed' else c.outcome.upper():6} {c.name} ({c.earned}/{c.points})")
        for d in c.details:
            click.echo(f"         - {d}")
        if c.hint:
            click.echo(f"         hint: {c.hint}")
    earned, most = sum(c.earned for c in outcomes), sum(c.points for c in outcomes)
    click.echo(f"\n{earned} / {most} points from the checks you can see")
    sys.exit(0 if earned == most else EXIT_FAILED)


@main.command()
@click.argument("spec_file", metavar="SPEC")
@click.argument("folders", nargs=-1, required=True, metavar="SUBMISSION_DIR...")
@click.option(
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    help="submissions graded at once, each on its own sandbox engine.",
)
@click.option(
    "--out",
    "out_dir",
    default="grades",
    show_default=True,
    metavar="DIR",
    help="where the gradebook, results, JUnit files, feedback and recordings go.",
)
@docker_option
def grade(spec_file: str, folders: tuple[str, ...], jobs: int, out_dir: str, docker_bin: str) -> None:
    """Grade submissions: each on a fresh sandbox engine (root, Linux), with a gradebook and feedback.

    A submission is a folder named after the student holding commands.sh (one docker command a line,
    never run by a shell) and optionally session.yaml (tty steps).

    \b
    Examples:
      sudo dockersim grade examples/hw-wordpress/spec.yaml examples/hw-wordpress/submissions/*
      sudo dockersim grade --jobs 2 --out grades/ spec.yaml submissions/*
    """
    from dockersim.grading import grade_all
    from dockersim.homework import load_spec
    from dockersim.report.grades import write_all

    try:
        spec = load_spec(spec_file)
        paths = [Path(f) for f in folders]
        for p in paths:
            if not p.is_dir():
                raise DockersimError(f"{p}: a submission should be a folder named after the student")
        if len({p.name for p in paths}) != len(paths):
            raise DockersimError("two submissions have the same folder name")
        Docker(docker_bin)  # the binary exists
        Sandbox().check_can_run()
        out = Path(out_dir)
        grades = grade_all(spec, paths, jobs, out, docker_bin, _progress)
        write_all(spec, grades, out)
    except DockersimError as e:
        _fail(str(e))
    rows = [[g.student, f"{g.score}/{g.max}", len(g.refused), f"{g.seconds:.0f}s"] for g in grades]
    click.echo(tabulate(rows, headers=["student", "score", "refused lines", "time"], disable_numparse=True))
    click.echo(f"\nwritten to {out}/: gradebook.csv, results.json, junit/, feedback/, recordings/")
