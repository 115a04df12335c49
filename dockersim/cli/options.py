"""What every command shares: its options, declared once — the engine (`--docker`, `--context`), the images
(`--image-map`, `--offline`), the language (`--lang`) — the exit statuses, and how progress is shown."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from dockersim.errors import DockersimError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_FAILED, EXIT_USAGE = 1, 2

docker_option = click.option("--docker", "docker_bin", metavar="PATH", envvar="DOCKERSIM_DOCKER", default="docker",
                             show_default=True, help="docker-compatible binary (env DOCKERSIM_DOCKER).")  # fmt: skip


def engine_options(f: F) -> F:
    """--docker and --context, on every command that talks to an engine of the learner's."""
    f = click.option("--context", metavar="NAME", help="docker context to use (passed to every docker call).")(f)
    return docker_option(f)


def image_options(f: F) -> F:
    """--image-map and --offline, on every command that uses a scenario's or a spec's images."""
    offline = "use the offline kit's stand-ins (dockersim images build) for the images named."
    f = click.option("--offline", is_flag=True, help=offline)(f)
    return click.option("--image-map", "image_maps", multiple=True, metavar="REF=LOCAL",
                        help="use LOCAL wherever a file names image REF (repeatable).")(f)  # fmt: skip


def lang_option(f: F) -> F:
    """--lang: the language of what learners and students read (default: DOCKERSIM_LANG, then the locale)."""
    return click.option("--lang", type=click.Choice(["en", "ko"]), default=None,
                        help="language of what learners and students read (default: DOCKERSIM_LANG, then the "
                             "locale).")(f)  # fmt: skip


def image_map(pairs: tuple[str, ...]) -> dict[str, str]:
    """--image-map REF=LOCAL …, read."""
    out = {}
    for pair in pairs:
        ref, eq, local = pair.partition("=")
        if not eq or not ref or not local:
            raise DockersimError(
                f"--image-map takes REF=LOCAL_REF, such as ubuntu:14.04=my/ubuntu:local (got {pair!r})"
            )
        out[ref] = local
    return out


def writable(target: str | None, option: str, folder: bool = False) -> None:
    """An output a command writes once its work is done, checked before the work starts, so that a path
    naming a folder where a file goes (or a file where a folder goes), or lying under a file or in a folder
    it may not write, is said at once in one sentence and not after a whole run."""
    if target is None:
        return
    if not target.strip():
        raise DockersimError(f"{option}: an empty path names no {'folder' if folder else 'file'}")
    path = Path(target)
    if path.exists() and path.is_dir() != folder:
        want, found = ("a folder", "a file") if folder else ("a file", "a folder")
        raise DockersimError(f"{option} {target}: this is {found}; give {want}")
    parent = next((p for p in path.absolute().parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise DockersimError(f"{option} {target}: {parent} is a file, so nothing can be written under it")
    if parent is not None and not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise DockersimError(f"{option} {target}: {parent} is not writable for you")


def show_progress(line: str, lang: str = "en") -> None:
    """One line of progress on stderr, in the reader's language."""
    from dockersim.i18n.phrase import localise

    click.echo(f"  {localise(line, lang)}", err=True)


def connected(docker_bin: str, context: str | None) -> Any:
    """The engine a command works on, answering (else one sentence, exit 2)."""
    from dockersim.engine.client import Docker

    docker = Docker(docker_bin, context)
    docker.server_version()
    return docker
