"""Fuzzing with a fixed budget, shared by each module's fuzz tests: whatever the input, the loader raises only
ScenarioError and the parsers only ParseError (never a KeyError, TypeError, IndexError … that would reach a
learner as a traceback)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

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


def mutations(obj: Any) -> st.SearchStrategy[Any]:
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
