"""Fuzzing with a fixed budget: whatever the input, the loader raises only ScenarioError and the parsers
only ParseError (never a KeyError, TypeError, IndexError … that would reach a learner as a traceback)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockersim.engine.parse.inspect import parse_containers, parse_images, parse_networks, parse_volumes
from dockersim.engine.parse.listing import parse_images_table, parse_volume_ls_table
from dockersim.engine.parse.ports import parse_port_output, parse_ports_column
from dockersim.engine.parse.ps import parse_ps_json, parse_ps_quiet, parse_ps_table
from dockersim.engine.parse.status import parse_status
from dockersim.errors import ParseError, ScenarioError
from dockersim.scenario.loader import parse_scenario
from tests.unit.conftest import fixture

BUDGET = settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# YAML-shaped values built from the words scenario files use, so the fuzzer reaches deep into the loader.
WORDS = [
    "schema_version",
    "title",
    "images",
    "steps",
    "name",
    "run",
    "shell",
    "tty",
    "exit",
    "stdout",
    "stderr",
    "timeout",
    "capture",
    "hint",
    "retry",
    "check",
    "expect",
    "send",
    "keys",
    "container",
    "state",
    "ports",
    "env",
    "mounts",
    "links",
    "image",
    "volume",
    "containers",
    "http",
    "host_file",
    "eof",
    "ctrl-p",
    "docker run -it {image.x}",
    "{var.X}",
    "{short_id:a}",
    "(",
    "running",
    "any",
    "nonzero",
    "80/tcp",
    "en",
]
scalars = st.one_of(
    st.sampled_from(WORDS),
    st.integers(-5, 300),
    st.booleans(),
    st.none(),
    st.text(max_size=12),
    st.floats(allow_nan=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(WORDS), inner, max_size=5)),
    max_leaves=25,
)


@BUDGET
@given(st.text(max_size=300))
def test_loader_on_any_text(text: str) -> None:
    with contextlib.suppress(ScenarioError):
        parse_scenario(text, "fuzz.yaml")


@BUDGET
@given(st.dictionaries(st.sampled_from(WORDS), values, max_size=5), st.lists(values, max_size=4))
def test_loader_on_scenario_shaped_documents(top: dict[str, Any], steps: list[Any]) -> None:
    doc = {"schema_version": 1, **top, "steps": steps}
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        return
    with contextlib.suppress(ScenarioError):
        parse_scenario(text, "fuzz.yaml")


TEXT_PARSERS: list[Callable[[str], Any]] = [
    parse_status,
    parse_ports_column,
    parse_port_output,
    parse_ps_table,
    parse_ps_json,
    parse_ps_quiet,
    parse_containers,
    parse_images,
    parse_volumes,
    parse_networks,
    parse_images_table,
    parse_volume_ls_table,
]


@pytest.mark.parametrize("parser", TEXT_PARSERS, ids=lambda p: p.__name__)
@BUDGET
@given(text=st.text(max_size=200))
def test_parsers_on_any_text(parser: Callable[[str], Any], text: str) -> None:
    with contextlib.suppress(ParseError):
        parser(text)


def _mutations(obj: Any) -> st.SearchStrategy[Any]:
    """Real inspect objects with one value anywhere replaced by something of another type."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(obj, ())

    def mutate(path: tuple[Any, ...], value: Any) -> Any:
        copy = json.loads(json.dumps(obj))
        if not path:
            return value
        node = copy
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return copy

    return st.builds(mutate, st.sampled_from(paths), values)


@pytest.mark.parametrize(
    "parser, name",
    [
        (parse_containers, "inspect-containers-28.json"),
        (parse_volumes, "inspect-volume-20.json"),
        (parse_images, "inspect-image-28.json"),
        (parse_networks, "inspect-network-20.json"),
    ],
)
@BUDGET
@given(data=st.data())
def test_inspect_parsers_on_damaged_real_output(parser: Callable[[str], Any], name: str, data: st.DataObject) -> None:
    damaged = data.draw(_mutations(json.loads(fixture(name))))
    with contextlib.suppress(ParseError):
        parser(json.dumps(damaged))
