"""`dockersim images`, `engine`, `state`, `clean` and `doctor`: the offline image kit, the sandbox engine,
what an engine holds, what dead runs left on it, and whether a run would work here."""

from __future__ import annotations

import json
import os
import sys

import click

from dockersim.cli.options import EXIT_FAILED, connected, engine_options, lang_option, show_progress
from dockersim.errors import DockersimError


@click.group()
def images() -> None:
    """The offline kit: local stand-ins for the chapter's images, built from Debian's archive.

    \b
    Examples:
      dockersim images build && dockersim run --offline scenarios/
      dockersim images list
    """


@images.command("list")
@engine_options
@click.option("--json", "as_json", is_flag=True, help="print the list as JSON.")
def images_list(docker_bin: str, context: str | None, as_json: bool) -> None:
    """List the kit's stand-ins, what each stands for, and whether it is built.

    \b
    Examples:
      dockersim images list
      dockersim images list --json | jq -r '.[] | select(.built | not) | .stand_in'
    """
    from dockersim.kit import stand_ins as kit

    docker = connected(docker_bin, context)
    have = set(kit.present(docker, kit.RECIPES))
    if as_json:
        found = [{"stand_in": r.tag, "stands_for": list(r.stands_for), "built": r.tag in have}
                 for r in kit.RECIPES.values()]  # fmt: skip
        click.echo(json.dumps(found, indent=1))
        return
    from tabulate import tabulate

    rows = [[r.tag, ", ".join(r.stands_for) or "(base)", "yes" if r.tag in have else "no"]
            for r in kit.RECIPES.values()]  # fmt: skip
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
    from dockersim.kit import stand_ins as kit

    stand_ins = kit.stand_in_map()
    tags = [stand_ins.get(ref, ref) for ref in refs] or list(kit.RECIPES)
    built = kit.build(connected(docker_bin, context), tags, show_progress)
    click.echo(f"{len(built)} images ready: " + ", ".join(built))


@click.group()
def engine() -> None:
    """The sandbox engine: a private dockerd beside any other, for runs that must not touch yours.

    \b
    Examples:
      sudo dockersim engine up && sudo dockersim run --sandbox --offline scenarios/
      dockersim engine status
      sudo dockersim engine down
    """


@engine.command("up")
def engine_up() -> None:
    """Start the sandbox engine (root, Linux): its own data, socket, network namespace and bridge.

    \b
    Example:
      sudo dockersim engine up && sudo dockersim run --sandbox --offline scenarios/
    """
    from dockersim.engine.sandbox.sandbox import Sandbox

    box = Sandbox()
    started = box.up()
    click.echo(f"sandbox engine {'started' if started else 'already running'}: {box.docker_host}; "
               f"its published ports answer on {box.engine_host}")  # fmt: skip


@engine.command("down")
@click.option("--purge", is_flag=True, help="remove its data (images, volumes) as well.")
def engine_down(purge: bool) -> None:
    """Stop the sandbox engine and remove its network namespace.

    \b
    Examples:
      dockersim engine down
      dockersim engine down --purge
    """
    from dockersim.engine.sandbox.sandbox import Sandbox
    from dockersim.host import leases

    lease = leases.try_take("slot-0", sandbox="default", what="engine down", pid=os.getpid())
    if lease is None:  # a run works on it now: stopping it would fail that run
        who = leases.holder("slot-0")
        raise DockersimError(f"the sandbox engine is in use by {who.get('what', 'a run')} (pid {who.get('pid', '?')}); "
                             "stop that run first")  # fmt: skip
    try:
        Sandbox().down(purge=purge)
    finally:
        lease.release()
    click.echo("sandbox engine stopped" + (" and its data removed" if purge else ""))


@engine.command("status")
@engine_options
@click.option("--json", "as_json", is_flag=True, help="print the status as JSON.")
def engine_status(docker_bin: str, context: str | None, as_json: bool) -> None:
    """Say which engine a run would use, whether it and the sandbox answer, and which grading engines run.

    \b
    Examples:
      dockersim engine status
      dockersim engine status --json | jq '.leases[] | select(.what == "grade")'
    """
    from dockersim.ownership.reaping import reap_dead
    from dockersim.report.engine import status, status_lines

    leftovers = reap_dead()
    if as_json:
        click.echo(json.dumps({**status(docker_bin, context), "removed": leftovers}, indent=1))
        return
    if leftovers:
        click.echo(f"removed what runs that died had left: {', '.join(leftovers)}")
    click.echo("\n".join(status_lines(docker_bin, context)))


@click.command()
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

    snap = Snapshot(connected(docker_bin, context))
    containers, volumes = snap.containers, snap.volumes
    if as_json:
        click.echo(state_json(containers, volumes, snap.disagreements, snap.calls))
        return
    click.echo(state_tables(containers, volumes))
    for d in snap.disagreements:
        click.echo(f"note: {d}")
    click.echo(f"\n({snap.calls} docker calls)")


@click.command()
@engine_options
@click.option("--dry-run", is_flag=True, help="list what would be removed; remove nothing.")
@click.option("--json", "as_json", is_flag=True, help="print what was (or would be) removed as JSON.")
def clean(docker_bin: str, context: str | None, dry_run: bool, as_json: bool) -> None:
    """Remove what dockersim runs that died (killed, crashed, a reboot) left behind.

    Only objects a dockersim run labelled, of runs whose process is gone; your own objects, and those of
    runs still going in another terminal, are never touched. Every run does this at its start too.

    \b
    Examples:
      dockersim clean --dry-run
      dockersim clean
      dockersim clean --dry-run --json
    """
    from dockersim.ownership.inventory import orphans, remove
    from dockersim.ownership.reaping import reap_dead

    removed = reap_dead(dry_run)
    docker = connected(docker_bin, context)
    left = orphans(docker)
    if dry_run:
        removed += [f"container {c[:12]}" for c in left.containers] + [f"volume {v}" for v in left.volumes]
        removed += [f"network {n[:12]}" for n in left.networks]
    else:
        removed += remove(docker, left)
    from dockersim.host import leases

    stopping = [f"{who.get('sandbox', name)} (run {who.get('run', '?')})" for name, who in leases.all_held()
                if who.get("stopping")]  # fmt: skip
    if as_json:
        key = "would_remove" if dry_run else "removed"
        click.echo(json.dumps({key: removed, "being_stopped": stopping}, indent=1))
        return
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb}: {', '.join(removed)}" if removed else "nothing left behind by dockersim runs")
    if stopping:  # a reaper is at it: what it stops is not ours to take now, and it will be done soon
        click.echo(f"still being stopped by the reapers of runs that died: {', '.join(stopping)}")


@click.command()
@engine_options
@lang_option
@click.option("--json", "as_json", is_flag=True, help="print the findings as JSON.")
def doctor(docker_bin: str, context: str | None, lang: str | None, as_json: bool) -> None:
    """Say whether a tutorial run would work here, by trying: clients, the engine and what it is, a container
    started for real, a port published on 127.0.0.1 and connected to, the kit.

    Exit status 0 when nothing found would stop a run, 1 otherwise; each problem comes with how to fix it,
    a failure with the engine's own words.

    \b
    Examples:
      dockersim doctor
      dockersim doctor --docker podman --lang ko
      dockersim doctor --json
    """
    from dockersim.i18n.phrase import default_lang
    from dockersim.run.doctor import diagnose

    found = diagnose(docker_bin, context)
    lang = lang or default_lang()
    click.echo(found.to_json(lang) if as_json else found.text(lang))
    sys.exit(0 if found.ok else EXIT_FAILED)
