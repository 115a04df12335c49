"""Tests of the command line."""

from __future__ import annotations

import click


def loaded(group: click.Group) -> dict[str, click.Command]:
    """A group's commands by name, each loaded as the command line would (dockersim's are loaded lazily)."""
    ctx = click.Context(group)
    return {name: cmd for name in group.list_commands(ctx) if (cmd := group.get_command(ctx, name)) is not None}
