"""`dockersim images …` and `dockersim engine …`: the offline image kit and the sandbox engine."""

from __future__ import annotations

import os

import click

from dockersim.cli.main import _docker, _progress, engine_options
from dockersim.errors import DockersimError


@click.group()
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
    from tabulate import tabulate

    from dockersim.kit import stand_ins as kit

    docker = _docker(docker_bin, context)
    rows = [[r.tag, ", ".join(r.stands_for) or "(base)", "yes" if kit.present(docker, r.tag) else "no"]
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
    built = kit.build(_docker(docker_bin, context), tags, _progress)
    click.echo(f"{len(built)} images ready: " + ", ".join(built))


@click.group()
def engine() -> None:
    """The sandbox engine: a private dockerd beside any other, for runs that must not touch yours."""


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
def engine_status(docker_bin: str, context: str | None) -> None:
    """Say which engine a run would use, whether it and the sandbox answer, and which grading engines run.

    \b
    Example:
      dockersim engine status
    """
    from dockersim.ownership.reaping import reap_dead
    from dockersim.report.engine import status_lines

    leftovers = reap_dead()
    if leftovers:
        click.echo(f"removed what runs that died had left: {', '.join(leftovers)}")
    click.echo("\n".join(status_lines(docker_bin, context)))
