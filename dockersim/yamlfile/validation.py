"""The helpers every file loader shares (scenarios, checks, homework specs): one sentence per problem,
with file:line, "did you mean" for a near miss, and what a value looks like to the person who wrote it."""

from __future__ import annotations

import difflib
import re
from typing import Any

from dockersim.errors import ScenarioError
from dockersim.yamlfile.source import LMap

MAX_SECONDS = 10**9  # about 31 years: any timeout a person writes, and far from what overflows the clock
REGEX_ERRORS = (re.error, OverflowError, RecursionError)  # `a{99999999999}` and groups nested 1,500 deep too


def fail(path: str, line: int, message: str) -> ScenarioError:
    return ScenarioError(message, path, line)


def closest(word: str, known: list[str]) -> str:
    """` (did you mean 'x'?)` for a near miss, else the known words."""
    near = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean '{near[0]}'?)" if near else f" (known: {', '.join(known)})"


def kind_of(value: Any) -> str:
    """How a YAML value looks to the person who wrote it."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return "empty" if value is None else f"{value!r}"


def scalar(value: Any, path: str, line: int, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise fail(path, line, f"{what} should be a word or a number, not {kind_of(value)}")
    return str(value)


def seconds(value: Any, path: str, line: int, what: str) -> float:
    """A number of seconds above 0 and at most MAX_SECONDS: never .nan, .inf or a number of twenty digits,
    which would pass as a timeout here and overflow the clock where it is waited for."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_SECONDS:
        raise fail(path, line, f"{what} should be a number of seconds above 0 and at most {MAX_SECONDS:,}")
    return float(value)


def known_keys(m: LMap, known: tuple[str, ...], path: str, what: str) -> None:
    """Every key of the mapping is one of `known`; the first that is not is an error with its line."""
    for key in m:
        if key not in known:
            raise fail(path, m.lines[key], f"{what} has no key '{key}'" + closest(key, list(known)))


def only(spec: LMap, allowed: tuple[str, ...], path: str) -> None:
    for key in spec:
        if key not in allowed:
            raise fail(path, spec.lines[key], f"this check has no field '{key}'" + closest(key, list(allowed)))


def boolean(spec: LMap, key: str, path: str) -> bool:
    value = spec.get(key, True)
    if not isinstance(value, bool):
        raise fail(path, spec.lines.get(key, spec.line), f"{key} should be true or false")
    return value


def regex_field(spec: LMap, key: str, path: str) -> str:
    """A field holding a regular expression, compiled once here so a bad one is a load-time error."""
    text = scalar(spec[key], path, spec.lines[key], key)
    try:
        re.compile(text)
    except REGEX_ERRORS as e:
        raise fail(path, spec.lines[key], f"{key} is not a valid regular expression: {e}") from None
    return text
