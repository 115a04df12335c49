"""YAML read into plain dicts and lists that remember the line each value came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dockersim.errors import ScenarioError


class LMap(dict):  # type: ignore[type-arg]
    """A mapping from a YAML file; `line` is its own line, `lines[key]` the line of each key."""

    line: int
    lines: dict[str, int]


class LList(list):  # type: ignore[type-arg]
    """A sequence from a YAML file; `lines[i]` is the line of item i."""

    line: int
    lines: list[int]


def read_source(path: str | Path) -> str:
    """A scenario's or spec's text; a missing or unreadable file is a ScenarioError naming it."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(f"cannot read the file ({e.__class__.__name__})", str(path)) from None


def load_yaml(text: str, path: str) -> Any:
    """Parse one YAML document, keeping line numbers; a syntax error becomes a ScenarioError."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise ScenarioError("the file is empty", path, 1)
            return _convert(node, loader, path, set())
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        problem = e.problem or e.context or "invalid YAML"
        raise ScenarioError(f"invalid YAML: {problem}", path, line) from None
    except yaml.YAMLError as e:
        raise ScenarioError(f"invalid YAML: {e}", path, 1) from None


def line_of(value: Any, default: int = 0) -> int:
    return int(getattr(value, "line", default))


MAX_DEPTH = 64


def _convert(node: yaml.Node, loader: yaml.SafeLoader, path: str, above: set[int]) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in above:
            raise ScenarioError("a YAML alias refers to a value that contains it", path, line)
        if len(above) >= MAX_DEPTH:
            raise ScenarioError(f"values are nested more than {MAX_DEPTH} deep", path, line)
        above = above | {id(node)}
    if isinstance(node, yaml.MappingNode):
        out = LMap()
        out.line, out.lines = line, {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key_line = key_node.start_mark.line + 1
            if key == "<<":
                raise ScenarioError("YAML merge keys (<<) are not supported", path, key_line)
            if not isinstance(key, (str, int)):
                raise ScenarioError(f"a key must be a word, not {key!r}", path, key_line)
            key = str(key)
            if key in out:
                raise ScenarioError(f"the key '{key}' appears twice", path, key_line)
            out[key] = _convert(value_node, loader, path, above)
            out.lines[key] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        items = LList()
        items.line, items.lines = line, []
        for item in node.value:
            items.append(_convert(item, loader, path, above))
            items.lines.append(item.start_mark.line + 1)
        return items
    return loader.construct_object(node)
