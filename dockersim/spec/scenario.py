"""Scenario files (YAML, schema_version 1): loaded and validated whole before anything runs."""

from __future__ import annotations

import dataclasses
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockersim.checks.kinds import Check, parse_check
from dockersim.dockercli import commandline
from dockersim.engine.terminal import key_bytes
from dockersim.errors import ScenarioError
from dockersim.spec import placeholders
from dockersim.yamlfile.source import LList, LMap, line_of, load_yaml, read_source
from dockersim.yamlfile.validation import known_keys

SCHEMA_VERSION = 1
DEFAULT_STEP_TIMEOUT = 60.0
DEFAULT_EXPECT_TIMEOUT = 10.0
LANGS = ("en", "ko")

Text = dict[str, str]  # language -> words; a plain string in the file is the same in every language
ExitSpec = int | str  # a number, "nonzero" or "any"

STREAM_KEYS = ("stdout", "stderr", "stdout_not", "stderr_not")
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
# What an engine may lack, and the engines that have it: a step that `requires:` it is skipped elsewhere.
FEATURES = {"links": ("docker",)}
ENGINES = ("docker", "podman")
TOP_KEYS = ("schema_version", "title", "description", "images", "steps")


def for_engine(scenario: Scenario, engine: str) -> Scenario:
    """The scenario as a learner practises it on this engine: the steps that are about another engine left
    out, the others numbered 1, 2, … again. A run keeps them all, and says why each is skipped."""
    kept = [s for s in scenario.steps if s.requires is None or s.requires.unmet(engine) is None]
    if len(kept) == len(scenario.steps):
        return scenario
    return dataclasses.replace(scenario, steps=[dataclasses.replace(s, index=i) for i, s in enumerate(kept, 1)])


def pick(text: Text, lang: str) -> str:
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


@dataclass(frozen=True)
class TtyAction:
    """One thing done in a pty session: expect a regex (or eof), send a line, press keys, run a docker command
    aside (as from a second terminal, again until `until` shows on the screen), or hang up the terminal."""

    kind: str  # expect | eof | send | keys | aside | hangup
    line: int
    text: str = ""
    keys: tuple[str, ...] = ()
    timeout: float = DEFAULT_EXPECT_TIMEOUT
    until: str | None = None


@dataclass(frozen=True)
class Requires:
    """`requires: {engine: docker, features: [links]}`."""

    engine: str | None = None
    features: tuple[str, ...] = ()
    why: Text | None = None  # what the other engine does instead, said with the skip

    def unmet(self, engine: str) -> tuple[str, str] | None:
        """(what is missing, the engine) when this engine cannot do the step, else None."""
        if self.engine is not None and self.engine != engine:
            return self.engine, engine
        for feature in self.features:
            if engine not in FEATURES[feature]:
                return feature, engine
        return None


@dataclass
class Step:
    index: int
    line: int
    name: Text
    run: list[str] | None = None  # argv templates, split like a shell would, never run by one
    shell: str | None = None  # a trusted /bin/sh script
    tty: list[TtyAction] | None = None
    exit: ExitSpec = 0
    stdout: str | None = None  # a regex that must be found
    stderr: str | None = None
    stdout_not: str | None = None  # a regex that must not be found
    stderr_not: str | None = None
    timeout: float = DEFAULT_STEP_TIMEOUT
    capture: dict[str, str] = field(default_factory=dict)
    hint: Text | None = None
    retry: float | None = None
    checks: list[Check] = field(default_factory=list)
    destructive: bool = False
    task: Text | None = None  # what a learner in practice is asked to do (the name when absent)
    auto: bool | None = None  # in practice, run by dockersim rather than typed (see typed())
    named: bool = True  # False: the name is the command's template, shown as the command ran
    requires: Requires | None = None  # the engine or features the step needs; skipped, with why, elsewhere

    @property
    def command_text(self) -> str:
        if self.run is not None:
            return shlex.join(self.run)
        return self.shell or ""

    def typed(self) -> bool:
        """Whether a learner in practice types this step: a docker command, unless the scenario says
        `auto: true` or it is a one-shot `run`/`exec -t` that attaches a terminal (the learner's shell has
        one: what happens without it shows only when dockersim runs it), or a session that ends by hanging
        up (a learner's own terminal would be the one closed)."""
        if self.auto is not None:
            return not self.auto
        if any(a.kind == "hangup" for a in self.tty or []):
            return False
        if not self.run or self.run[0] != "docker":
            return False
        cmd = commandline.parse(self.run)
        attaches = cmd is not None and cmd.path in ("container run", "container exec") and not cmd.flag("--detach")
        return self.tty is not None or not (attaches and cmd is not None and cmd.flag("--tty"))

    def ends_with_detach(self) -> bool:
        keys = [a for a in self.tty or [] if a.kind == "keys"]
        pressed: tuple[str, ...] = keys[-1].keys if keys else ()
        sequence = commandline.detach_keys(self.run or [])
        return bool(pressed) and pressed[-len(sequence) :] == sequence


@dataclass
class Scenario:
    path: str
    title: Text
    images: dict[str, str]
    steps: list[Step]
    description: Text | None = None


# -- loading ---------------------------------------------------------------------------------------


def load_scenario(path: str | Path) -> Scenario:
    return parse_scenario(read_source(path), str(path))


def scenario_files(paths: list[str]) -> list[Path]:
    """Files as given; a directory stands for its *.yaml and *.yml files in name order."""
    out: list[Path] = []
    for given in paths:
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
            f"schema_version {version!r} is not supported (this dockersim reads {SCHEMA_VERSION})",
            path,
            doc.lines["schema_version"],
        )
    title = _text(doc.get("title", Path(path).stem), path, doc.lines.get("title", 1), "title")
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
        description=None if description is None else _text(description, path, doc.lines["description"], "description"),
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


def text_of(value: Any, path: str, line: int, what: str) -> Text:
    return _text(value, path, line, what)


def _text(value: Any, path: str, line: int, what: str) -> Text:
    if isinstance(value, str):
        return {lang: value for lang in LANGS}
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        for k in value:
            if k not in LANGS:
                raise ScenarioError(f"{what}: unknown language '{k}' (known: {', '.join(LANGS)})", path, line)
        return {str(k): v for k, v in value.items()}
    raise ScenarioError(f"{what} should be text, or a mapping such as {{en: …, ko: …}}", path, line)


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


def _number(value: Any, path: str, line: int, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ScenarioError(f"{what} should be a number of seconds above 0", path, line)
    return float(value)


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
    except re.error as e:
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
        step.timeout = _number(raw["timeout"], path, at("timeout", line), "timeout")
    if "retry" in raw:
        step.retry = _number(raw["retry"], path, at("retry", line), "retry")
    if "capture" in raw:
        step.capture = _capture(raw["capture"], path, at("capture", line), images, captured)
    if "hint" in raw:
        step.hint = _text(raw["hint"], path, at("hint", line), "hint")
    if "destructive" in raw:
        if not isinstance(raw["destructive"], bool):
            raise ScenarioError("destructive should be true or false", path, at("destructive"))
        step.destructive = raw["destructive"]
    if "task" in raw:
        step.task = _text(raw["task"], path, at("task", line), "task")
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
    step.name = _text(raw.get("name", default), path, at("name", line), "name")
    step.named = "name" in raw
    return step


def _looks_destructive(step: Step) -> bool:
    """Acts on objects the scenario did not make: prune, or anything over `$(docker …)` (a script that
    only reads a listing says `destructive: false`)."""
    if step.run is not None:
        return commandline.prunes(step.run)
    return "prune" in (step.shell or "").split() or "$(docker" in (step.shell or "")


def requirement(value: Any, path: str, line: int) -> Requires:
    if not isinstance(value, LMap):
        raise ScenarioError("requires should be a mapping such as {engine: docker} or {features: [links]}", path, line)
    known_keys(value, ("engine", "features", "why"), path, "requires")
    engine = value.get("engine")
    if engine is not None and engine not in ENGINES:
        raise ScenarioError(f"requires: engine should be {' or '.join(ENGINES)}, not {engine!r}", path, line)
    features = value.get("features", [])
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise ScenarioError("requires: features should be a list such as [links]", path, line)
    for feature in features:
        if feature not in FEATURES:
            raise ScenarioError(f"requires: unknown feature {feature!r} (known: {', '.join(FEATURES)})", path, line)
    why = _text(value["why"], path, line, "requires: why") if "why" in value else None
    return Requires(engine, tuple(features), why)


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
        if actions and actions[-1].kind == "eof":
            raise ScenarioError("nothing can happen after `expect: eof`: the session has ended", path, at)
        if not isinstance(raw, LMap):
            raise ScenarioError("a tty action should be a mapping: expect, send or keys", path, at)
        if actions and actions[-1].kind == "hangup":
            raise ScenarioError("nothing can happen after `hangup`: the terminal is gone", path, at)
        known_keys(raw, ("expect", "send", "keys", "aside", "until", "hangup", "timeout"), path, "a tty action")
        kinds = [k for k in ("expect", "send", "keys", "aside", "hangup") if k in raw]
        if len(kinds) != 1:
            raise ScenarioError("a tty action has exactly one of expect, send, keys, aside or hangup", path, at)
        if "until" in raw and kinds != ["aside"]:
            raise ScenarioError("until goes with aside: the command is run again until the regex shows", path, at)
        kind = kinds[0]
        timeout = (
            _number(raw["timeout"], path, raw.lines["timeout"], "timeout")
            if "timeout" in raw
            else DEFAULT_EXPECT_TIMEOUT
        )
        item = raw[kind]
        if kind == "expect":
            if item == "eof":
                actions.append(TtyAction("eof", at, timeout=timeout))
            else:
                actions.append(
                    TtyAction("expect", at, _regex(item, path, at, "expect", images, captured), timeout=timeout)
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
            actions.append(TtyAction("aside", at, item, timeout=timeout, until=until))
        elif kind == "hangup":
            if item is not True:
                raise ScenarioError("hangup should be true: the terminal is closed and its client ends", path, at)
            actions.append(TtyAction("hangup", at, timeout=timeout))
        elif kind == "send":
            if not isinstance(item, (str, int)) or isinstance(item, bool):
                raise ScenarioError("send should be a line of text (Enter is added)", path, at)
            _templates_ok(str(item), path, at, images, captured)
            actions.append(TtyAction("send", at, str(item), timeout=timeout))
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
            actions.append(TtyAction("keys", at, keys=tuple(str(k).strip() for k in keys), timeout=timeout))
    return actions
