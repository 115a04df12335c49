"""Scenario files (YAML, schema_version 1): loaded and validated whole before anything runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from dockersim.checks.requires import requirement
from dockersim.checks.vocabulary import parse_check
from dockersim.dockercli import commandline
from dockersim.engine.terminal import key_bytes
from dockersim.errors import ScenarioError
from dockersim.scenario import placeholders
from dockersim.scenario.model import (
    DEFAULT_EXPECT_TIMEOUT,
    SCHEMA_VERSION,
    STREAM_KEYS,
    Act,
    ExitSpec,
    Scenario,
    Step,
    TtyAction,
)
from dockersim.yamlfile.source import LList, LMap, line_of, load_yaml, read_source
from dockersim.yamlfile.texts import text_of
from dockersim.yamlfile.validation import REGEX_ERRORS, kind_of, known_keys, seconds

STEP_KEYS = (
    "name",
    "run",
    "shell",
    "tty",
    "exit",
    *STREAM_KEYS,
    "timeout",
    "capture",
    "hint",
    "retry",
    "check",
    "destructive",
    "task",
    "auto",
    "requires",
)


TOP_KEYS = ("schema_version", "title", "description", "images", "steps")


def load_scenario(path: str | Path) -> Scenario:
    return parse_scenario(read_source(path), str(path))


def scenario_files(paths: list[str]) -> list[Path]:
    """Files as given; a directory stands for its *.yaml and *.yml files in name order."""
    out: list[Path] = []
    for given in paths:
        if not given.strip():  # Path("") is the current folder: an empty word names no file
            raise ScenarioError("an empty path names no scenario file")
        p = Path(given)
        if p.is_dir():
            found = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            if not found:
                raise ScenarioError("this directory holds no .yaml scenario files", given)
            out += found
        else:
            out.append(p)
    return out


def parse_scenario(text: str, path: str) -> Scenario:
    doc = load_yaml(text, path)
    if not isinstance(doc, LMap):
        raise ScenarioError(
            "a scenario file should be a mapping with schema_version, title and steps", path, line_of(doc, 1)
        )
    known_keys(doc, TOP_KEYS, path, "a scenario")
    version = doc.get("schema_version")
    if version is None:
        raise ScenarioError(f"schema_version is missing (write schema_version: {SCHEMA_VERSION})", path, 1)
    if version != SCHEMA_VERSION:
        raise ScenarioError(
            f"schema_version should be the number {SCHEMA_VERSION}, not {kind_of(version)}"
            if isinstance(version, str) and version.strip() == str(SCHEMA_VERSION)
            else f"schema_version {version!r} is not supported (this dockersim reads {SCHEMA_VERSION})",
            path,
            doc.lines["schema_version"],
        )
    title = text_of(doc.get("title", Path(path).stem), path, doc.lines.get("title", 1), "title")
    images = _images(doc.get("images", LMap()), path, doc.lines.get("images", 1))
    raw_steps = doc.get("steps")
    if not isinstance(raw_steps, LList) or not raw_steps:
        raise ScenarioError("steps should be a non-empty list", path, doc.lines.get("steps", 1))
    steps = parse_steps(raw_steps, path, images)
    description = doc.get("description")
    return Scenario(
        path=path,
        title=title,
        images=images,
        steps=steps,
        description=None
        if description is None
        else text_of(description, path, doc.lines["description"], "description"),
    )


def parse_steps(raw_steps: LList, path: str, images: dict[str, str]) -> list[Step]:
    """A YAML list of steps (a scenario's, or a homework spec's setup) into validated Steps."""
    steps: list[Step] = []
    captured: set[str] = set()
    for i, raw in enumerate(raw_steps):
        step = _step(raw, i + 1, path, raw_steps.lines[i], set(images), captured)
        captured |= set(step.capture)
        steps.append(step)
    return steps


def images_of(value: Any, path: str, line: int) -> dict[str, str]:
    return _images(value, path, line)


def _images(value: Any, path: str, line: int) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ScenarioError("images should map names to image references, such as {ubuntu: ubuntu:14.04}", path, line)
    out = {}
    for k, v in value.items():
        if not isinstance(v, str) or not re.fullmatch(r"[\w][\w.\-/:@]*", v):
            raise ScenarioError(
                f"images: {k} should be an image reference such as ubuntu:14.04",
                path,
                value.lines.get(k, line) if isinstance(value, LMap) else line,
            )
        out[str(k)] = v
    return out


def _templates_ok(template: str, path: str, line: int, images: set[str], captured: set[str]) -> None:
    for problem in placeholders.problems(template, images):
        raise ScenarioError(problem, path, line)
    for p in placeholders.find(template):
        if p.kind == "var" and p.arg not in captured:
            raise ScenarioError(f"{p.text} is used before any step captures {p.arg}", path, line)


def _regex(template: str, path: str, line: int, what: str, images: set[str], captured: set[str]) -> str:
    if not isinstance(template, str):
        raise ScenarioError(f"{what} should be a regular expression in quotes", path, line)
    _templates_ok(template, path, line, images, captured)
    try:
        re.compile(placeholders.substitute(template, lambda _p: "x"))
    except REGEX_ERRORS as e:
        raise ScenarioError(f"{what} is not a valid regular expression: {e}", path, line) from None
    return template


def _all_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_all_strings(k), *_all_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _all_strings(v)]
    return []


def _step(raw: Any, index: int, path: str, line: int, images: set[str], captured: set[str]) -> Step:
    if not isinstance(raw, LMap):
        raise ScenarioError("a step should be a mapping with run, shell or check", path, line)
    known_keys(raw, STEP_KEYS, path, "a step")

    def at(key: str, default: int = line) -> int:
        return raw.lines.get(key, default)

    if "run" in raw and "shell" in raw:
        raise ScenarioError("a step has run or shell, not both", path, at("shell", line))
    if not any(k in raw for k in ("run", "shell", "check")):
        raise ScenarioError("a step needs run, shell or check", path, line)
    step = Step(index=index, line=line, name={})
    if "run" in raw:
        if not isinstance(raw["run"], str) or not raw["run"].strip():
            raise ScenarioError("run should be a command line", path, at("run"))
        try:
            step.run = shlex.split(raw["run"])
        except ValueError as e:
            raise ScenarioError(f"run cannot be split into words: {e}", path, at("run")) from None
        _templates_ok(raw["run"], path, at("run", line), images, captured)
        try:
            commandline.parse(step.run)  # a flag or verb the client does not have fails here, not on the engine
        except commandline.CommandLineError as e:
            raise ScenarioError(str(e), path, at("run")) from None
    if "shell" in raw:
        if not isinstance(raw["shell"], str) or not raw["shell"].strip():
            raise ScenarioError("shell should be a script", path, at("shell"))
        step.shell = raw["shell"]
        _templates_ok(step.shell, path, at("shell", line), images, captured)
    if "tty" in raw:
        if step.run is None:
            raise ScenarioError("tty needs a run command (a shell step cannot be interactive)", path, at("tty"))
        step.tty = _tty(raw["tty"], path, at("tty", line), images, captured)
    if "exit" in raw:
        step.exit = _exit(raw["exit"], path, at("exit", line))
    for key in STREAM_KEYS:
        if key in raw:
            if step.run is None and step.shell is None:
                raise ScenarioError(f"{key} needs a run or shell command", path, at(key))
            setattr(step, key, _regex(raw[key], path, at(key, line), key, images, captured))
    if "timeout" in raw:
        step.timeout = seconds(raw["timeout"], path, at("timeout", line), "timeout")
    if "retry" in raw:
        step.retry = seconds(raw["retry"], path, at("retry", line), "retry")
    if "capture" in raw:
        step.capture = _capture(raw["capture"], path, at("capture", line), images, captured)
    if "hint" in raw:
        step.hint = text_of(raw["hint"], path, at("hint", line), "hint")
    if "destructive" in raw:
        if not isinstance(raw["destructive"], bool):
            raise ScenarioError("destructive should be true or false", path, at("destructive"))
        step.destructive = raw["destructive"]
    if "task" in raw:
        step.task = text_of(raw["task"], path, at("task", line), "task")
    if "auto" in raw:
        if not isinstance(raw["auto"], bool):
            raise ScenarioError("auto should be true or false", path, at("auto"))
        if raw["auto"] is False and (step.run is None or step.run[0] != "docker"):
            raise ScenarioError("auto: false needs a docker command to type (run: docker …)", path, at("auto"))
        step.auto = raw["auto"]
    if "requires" in raw:
        step.requires = requirement(raw["requires"], path, at("requires", line))
    if "check" in raw:
        specs = raw["check"] if isinstance(raw["check"], LList) else [raw["check"]]
        lines = raw["check"].lines if isinstance(raw["check"], LList) else [at("check", line)]
        for spec, spec_line in zip(specs, lines, strict=True):
            for s in _all_strings(spec):
                _templates_ok(s, path, line_of(spec, spec_line), images, captured)
            step.checks.append(parse_check(spec, path, spec_line))
    if "destructive" not in raw:
        step.destructive = _looks_destructive(step)
    default = step.command_text or "check " + ", ".join(c.describe() for c in step.checks)
    step.name = text_of(raw.get("name", default), path, at("name", line), "name")
    step.named = "name" in raw
    return step


def _looks_destructive(step: Step) -> bool:
    """Acts on objects the scenario did not make: prune, or anything over `$(docker …)` (a script that
    only reads a listing says `destructive: false`)."""
    if step.run is not None:
        return commandline.prunes(step.run)
    return "prune" in (step.shell or "").split() or "$(docker" in (step.shell or "")


def _exit(value: Any, path: str, line: int) -> ExitSpec:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 255:
        return value
    if value in ("nonzero", "any"):
        return str(value)
    raise ScenarioError("exit should be a number from 0 to 255, nonzero or any", path, line)


def _capture(value: Any, path: str, line: int, images: set[str], captured: set[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise ScenarioError("capture should map names to regexes with one group, such as {PORT: ':(\\d+)'}", path, line)
    out = {}
    for name, regex in value.items():
        if not re.fullmatch(r"[A-Za-z_]\w*", str(name)):
            raise ScenarioError(f"capture name '{name}' should be a word", path, line)
        _regex(regex, path, line, f"capture {name}", images, captured)
        if re.compile(placeholders.substitute(regex, lambda _p: "x")).groups != 1:
            raise ScenarioError(f"capture {name} should have exactly one (group)", path, line)
        out[str(name)] = regex
    return out


def _tty(value: Any, path: str, line: int, images: set[str], captured: set[str]) -> list[TtyAction]:
    if not isinstance(value, LList) or not value:
        raise ScenarioError("tty should be a non-empty list of expect, send and keys actions", path, line)
    actions: list[TtyAction] = []
    for raw, at in zip(value, value.lines, strict=True):
        if actions and actions[-1].kind is Act.EOF:
            raise ScenarioError("nothing can happen after `expect: eof`: the session has ended", path, at)
        if not isinstance(raw, LMap):
            raise ScenarioError("a tty action should be a mapping: expect, send or keys", path, at)
        if actions and actions[-1].kind is Act.HANGUP:
            raise ScenarioError("nothing can happen after `hangup`: the terminal is gone", path, at)
        known_keys(raw, ("expect", "send", "keys", "aside", "until", "hangup", "timeout"), path, "a tty action")
        kinds = [k for k in ("expect", "send", "keys", "aside", "hangup") if k in raw]
        if len(kinds) != 1:
            raise ScenarioError("a tty action has exactly one of expect, send, keys, aside or hangup", path, at)
        if "until" in raw and kinds != ["aside"]:
            raise ScenarioError("until goes with aside: the command is run again until the regex shows", path, at)
        kind = kinds[0]
        timeout = (
            seconds(raw["timeout"], path, raw.lines["timeout"], "timeout")
            if "timeout" in raw
            else DEFAULT_EXPECT_TIMEOUT
        )
        item = raw[kind]
        if kind == "expect":
            if item == "eof":
                actions.append(TtyAction(Act.EOF, at, timeout=timeout))
            else:
                actions.append(
                    TtyAction(Act.EXPECT, at, _regex(item, path, at, "expect", images, captured), timeout=timeout)
                )
        elif kind == "aside":
            if not isinstance(item, str) or not item.startswith("docker "):
                raise ScenarioError("aside should be a docker command, run as from a second terminal", path, at)
            _templates_ok(item, path, at, images, captured)
            try:
                commandline.parse(shlex.split(item))
            except (ValueError, commandline.CommandLineError) as e:
                raise ScenarioError(f"aside: {e}", path, at) from None
            until = _regex(raw["until"], path, at, "until", images, captured) if "until" in raw else None
            actions.append(TtyAction(Act.ASIDE, at, item, timeout=timeout, until=until))
        elif kind == "hangup":
            if item is not True:
                raise ScenarioError("hangup should be true: the terminal is closed and its client ends", path, at)
            actions.append(TtyAction(Act.HANGUP, at, timeout=timeout))
        elif kind == "send":
            if not isinstance(item, (str, int)) or isinstance(item, bool):
                raise ScenarioError("send should be a line of text (Enter is added)", path, at)
            _templates_ok(str(item), path, at, images, captured)
            actions.append(TtyAction(Act.SEND, at, str(item), timeout=timeout))
        else:
            keys = item.split(",") if isinstance(item, str) else item
            if not isinstance(keys, list) or not keys:
                raise ScenarioError("keys should be a list such as [ctrl-p, ctrl-q]", path, at)
            for k in keys:
                try:
                    key_bytes(str(k).strip())
                except ValueError:
                    raise ScenarioError(
                        f"unknown key '{k}' (ctrl-a … ctrl-z, enter, tab, esc, space, backspace, or one character)",
                        path,
                        at,
                    ) from None
            actions.append(TtyAction(Act.KEYS, at, keys=tuple(str(k).strip() for k in keys), timeout=timeout))
    return actions
