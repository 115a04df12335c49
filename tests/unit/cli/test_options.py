"""The same engine options on every command that reaches an engine, declared once (cli/options.py)."""

from __future__ import annotations

import click
import pytest

from dockersim.cli.main import main
from tests.unit.cli import loaded

SHARED = ("--docker", "--context", "--image-map", "--offline", "--lang")

# What each command that reaches an engine takes of the shared options. grade's engines are its own
# sandboxes or those --engine names, so it has no --context; its images come from the spec and the kit.
EXPECTED = {
    "run": SHARED,
    "practice": SHARED,
    "record": SHARED,
    "check": SHARED,
    "state": ("--docker", "--context"),
    "doctor": ("--docker", "--context", "--lang"),
    "clean": ("--docker", "--context"),
    "images list": ("--docker", "--context"),
    "images build": ("--docker", "--context"),
    "engine status": ("--docker", "--context"),
    "grade": ("--docker", "--lang"),
}


def commands(group: click.Group = main, prefix: str = "") -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}
    for name, cmd in loaded(group).items():
        if isinstance(cmd, click.Group):
            out |= commands(cmd, f"{prefix}{name} ")
        else:
            out[f"{prefix}{name}"] = cmd
    return out


def option(cmd: click.Command, name: str) -> click.Option | None:
    return next((p for p in cmd.params if isinstance(p, click.Option) and name in p.opts), None)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_engine_command_takes_the_shared_options(name: str) -> None:
    cmd = commands()[name]
    assert tuple(o for o in SHARED if option(cmd, o)) == EXPECTED[name]


def test_no_other_command_takes_an_engine_option() -> None:
    others = {n: c for n, c in commands().items() if n not in EXPECTED}
    assert len(others) >= 6
    for name, cmd in others.items():
        assert not option(cmd, "--docker") and not option(cmd, "--context"), name


@pytest.mark.parametrize("name", SHARED)
def test_a_shared_option_is_spelled_and_helped_the_same_everywhere(name: str) -> None:
    seen = [o for cmd in commands().values() if (o := option(cmd, name))]
    assert len(seen) >= 3
    first = seen[0]
    for o in seen[1:]:
        assert (o.opts, o.name, o.help, o.metavar, o.envvar, o.default, o.multiple, o.is_flag) == (
            first.opts, first.name, first.help, first.metavar, first.envvar, first.default, first.multiple,
            first.is_flag,
        )  # fmt: skip


def test_every_report_command_has_json() -> None:
    for name in ("run", "check", "state", "doctor", "grade", "gradebook merge", "progress"):
        assert option(commands()[name], "--json"), name
