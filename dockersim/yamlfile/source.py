"""YAML read into plain dicts and lists that remember the line each value came from.

What is read is bounded before it is built: the file's size, a line's length, how deep values nest, and how
many values there are once every alias is expanded (a few hundred bytes of nested aliases would otherwise
take the machine's memory).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dockersim.errors import ScenarioError
from dockersim.host.text import NotText, decode

MAX_SOURCE = 1 << 20  # characters of a scenario, spec or session file: the largest scenario is 14 KB
MAX_LINE = 10_000  # characters of one line
MAX_DEPTH = 64
MAX_VALUES = 100_000  # values built of one file, each alias's expansion counted again


class LMap(dict):  # type: ignore[type-arg]
    """A mapping from a YAML file; `line` is its own line, `lines[key]` the line of each key."""

    line: int
    lines: dict[str, int]


class LList(list):  # type: ignore[type-arg]
    """A sequence from a YAML file; `lines[i]` is the line of item i."""

    line: int
    lines: list[int]


def read_source(path: str | Path) -> str:
    """A scenario's or spec's text; a missing, unreadable or too large file is a ScenarioError naming it."""
    try:
        with open(path, "rb") as f:
            data = f.read(4 * MAX_SOURCE + 4)  # no more than the most a file of MAX_SOURCE characters holds
    except FileNotFoundError:
        raise ScenarioError("no such file", str(path)) from None
    except OSError as e:
        raise ScenarioError(f"cannot read the file: {e.strerror or e}", str(path)) from None
    if len(data) > 4 * MAX_SOURCE:
        raise ScenarioError(f"the file is larger than {MAX_SOURCE >> 20} MiB", str(path))
    try:
        text = decode(data)
    except NotText as e:
        raise ScenarioError(e.message, str(path), e.line) from None
    _bounded(text, str(path))
    return text


def load_yaml(text: str, path: str, anchors: bool = True) -> Any:
    """Parse one YAML document, keeping line numbers; a syntax error becomes a ScenarioError. Without
    `anchors` (a submission's file), an anchor or an alias is refused before anything is built."""
    _bounded(text, path)
    try:
        loader = _Loader(text, path, anchors)
        try:
            node = loader.get_single_node()
            if node is None:
                raise ScenarioError("the file is empty", path, 1)
            return _Converter(loader, path).convert(node, set())
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        message, line = _said(e)
        raise ScenarioError(message, path, line) from None
    except yaml.YAMLError as e:
        raise ScenarioError(f"invalid YAML: {e}", path, 1) from None


def _said(e: yaml.MarkedYAMLError) -> tuple[str, int]:
    """PyYAML's error as its author would look for it: what, and on which line."""
    if e.context == "while scanning a quoted scalar" and e.context_mark is not None:  # at its end, where it began
        return "invalid YAML: the quote that opens on this line is never closed", e.context_mark.line + 1
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else 1
    problem = e.problem or e.context or "invalid YAML"
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        problem += " (is a quote above left open, or this line indented unlike the ones beside it?)"
    return f"invalid YAML: {problem}", line


def line_of(value: Any, default: int = 0) -> int:
    return int(getattr(value, "line", default))


def _bounded(text: str, path: str) -> None:
    if len(text) > MAX_SOURCE:
        raise ScenarioError(f"the file is larger than {MAX_SOURCE >> 20} MiB", path)
    if len(text) > MAX_LINE:
        for number, line in enumerate(text.splitlines(), start=1):
            if len(line) > MAX_LINE:
                raise ScenarioError(f"the line is longer than {MAX_LINE} characters", path, number)


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than MAX_DEPTH as it composes (the composer recurses once a
    level: a file of `[[[[…` would exhaust Python's stack) and more than MAX_VALUES values written out."""

    def __init__(self, text: str, path: str, anchors: bool) -> None:
        super().__init__(text)
        self.path, self.anchors_allowed = path, anchors
        self.depth, self.values = 0, 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
        line = event.start_mark.line + 1 if event.start_mark else 1
        if not self.anchors_allowed and (
            isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None
        ):
            raise ScenarioError("YAML anchors and aliases are not allowed in a submission's files", self.path, line)
        self.values += 1
        if self.values > MAX_VALUES:
            raise ScenarioError(f"the file holds more than {MAX_VALUES} values", self.path, line)
        if self.depth >= MAX_DEPTH:
            raise ScenarioError(f"values are nested more than {MAX_DEPTH} deep", self.path, line)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Converter:
    """Composed nodes into LMap, LList and scalars, each alias expanded where it is used, within a budget of
    MAX_VALUES values: the composed nodes are few, but an alias of an alias of … multiplies them."""

    def __init__(self, loader: yaml.SafeLoader, path: str) -> None:
        self.loader, self.path, self.left = loader, path, MAX_VALUES
        self.at = 1  # the line of the outermost value being built: where an author looks for the alias

    def convert(self, node: yaml.Node, above: set[int]) -> Any:
        line = node.start_mark.line + 1
        if len(above) <= 1:
            self.at = line
        self.left -= 1
        if self.left < 0:
            raise ScenarioError(f"a YAML alias expands beyond {MAX_VALUES} values", self.path, self.at)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in above:
                raise ScenarioError("a YAML alias refers to a value that contains it", self.path, line)
            if len(above) >= MAX_DEPTH:
                raise ScenarioError(f"values are nested more than {MAX_DEPTH} deep", self.path, line)
            above = above | {id(node)}
        if isinstance(node, yaml.MappingNode):
            out = LMap()
            out.line, out.lines = line, {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):  # never built: its repr could be an alias's billions
                    raise ScenarioError("a key must be a word, not a list or a mapping", self.path, key_line)
                key = self.scalar(key_node)
                if key == "<<":
                    raise ScenarioError("YAML merge keys (<<) are not supported", self.path, key_line)
                if not isinstance(key, (str, int)):
                    raise ScenarioError(f"a key must be a word, not {key!r:.80}", self.path, key_line)
                key = str(key)
                if key in out:
                    raise ScenarioError(f"the key '{key}' appears twice", self.path, key_line)
                out[key] = self.convert(value_node, above)
                out.lines[key] = key_line
            return out
        if isinstance(node, yaml.SequenceNode):
            items = LList()
            items.line, items.lines = line, []
            for item in node.value:
                items.append(self.convert(item, above))
                items.lines.append(item.start_mark.line + 1)
            return items
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.loader.construct_object(node)
        except (ValueError, OverflowError):  # a number of 5,000 digits, the 13th month: PyYAML's own errors
            raise ScenarioError(
                "invalid YAML: the value cannot be read (a number too long, or a date that does not exist)",
                self.path,
                node.start_mark.line + 1,
            ) from None
        if isinstance(value, str) and "\0" in value:  # "\0" or "\x00" in quotes: no command, path or text has one
            raise ScenarioError("a text holds a NUL character (\\0), which no command or file name can", self.path,
                                node.start_mark.line + 1)  # fmt: skip
        return value
