"""The docker command-line grammar, as the client itself describes it in `docker … --help`.

Every verb (management forms and their aliases), every flag and whether it takes a value, and whether a
verb's flags may follow its arguments. Read from each client once, checked in under grammars/ (one file a
client version), and merged when loaded: `python -m dockersim.dockercli.grammar [BINARY…]` writes the files, and a
test reads the installed clients again and compares.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dockersim.errors import DockersimError

GRAMMARS = Path(__file__).parent / "grammars"
ROOT = ""  # the path of the root command: `docker [global options]`

# A flag line of cobra's help: `  -a, --attach list   Attach to …` or `      --rm   Automatically …`.
_FLAG_LINE = re.compile(
    r"^  (?:-(?P<short>[^\s-]), )?(?:    )?--(?P<long>[\w][\w.-]*)(?: (?P<type>[\w.-]+))?(?:\s{2,}|$)"
)
_COMMAND_LINE = re.compile(r"^  (?P<name>[a-z][\w-]*)\*?\s{2,}")
_COMMAND_SECTIONS = ("Commands:", "Management Commands:", "Common Commands:", "Swarm Commands:")
_OPTION_SECTIONS = ("Options:", "Global Options:")
_PROBE_FLAG = "--dockersim-interspersed-probe"
NO_ENGINE = "unix:///nonexistent/dockersim.sock"
# Flags the clients accept but do not list (cobra's MarkHidden, in docker/cli's source): the tutorial's
# `docker volume create --name myvolume` is one.
# BuildKit's build flags are hidden too: the 20.10 client takes them (its --help leaves them out while
# BuildKit is off), and 28's `docker build` hands them to buildx where buildx is installed. A submission's
# build is refused each of them with its reason, so the grammar reads them; `-o` is --output's.
_BUILDKIT = {
    "--output": "stringArray", "--secret": "stringArray", "--ssh": "stringArray", "--progress": "string",
    "--cache-to": "stringArray", "--build-context": "stringArray", "--metadata-file": "string",
    "--platform": "string", "--load": "", "--push": "", "--allow": "stringArray", "--builder": "string",
    "--attest": "stringArray", "--sbom": "string", "--provenance": "string", "--annotation": "stringArray",
    "--call": "string", "--check": "", "--no-cache-filter": "stringArray",
}  # fmt: skip
HIDDEN = {
    "volume create": {"--name": "string"},
    "container run": {"--net": "network", "--net-alias": "list"},
    "container create": {"--net": "network", "--net-alias": "list"},
    "image build": _BUILDKIT,
}
HIDDEN_SHORT = {"image build": {"o": "--output"}}
# `docker buildx build`, where buildx is installed (the clients read here have none): `image build` by
# another name; only its build: buildx's other commands are no docker command here. And `docker build` and
# `docker builder build`, which 20.10 registers as the same command as `image build` without listing them as
# its aliases (28 does).
HIDDEN_ALIASES = {"buildx build": "image build", "build": "image build", "builder build": "image build"}


@dataclass
class Verb:
    """One command: its flags (long name -> value type, "" for a flag that takes no value) and shorthands."""

    path: str  # "container run"; ROOT for the global options
    flags: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)  # "d" -> "--detach"
    interspersed: bool = True  # flags may come after arguments (false for run, create, exec: the command follows)
    group: bool = False  # has subcommands (`docker volume …`)

    def long_name(self, written: str) -> str | None:
        """The long name of a flag as written (`-v` or `--volume`), or None when this verb has no such flag."""
        if written.startswith("--"):
            return written if written in self.flags else None
        return self.short.get(written[1:])

    def takes_value(self, long_name: str) -> bool:
        return self.flags[long_name] != ""


@dataclass
class Grammar:
    verbs: dict[str, Verb]  # canonical path -> Verb
    names: dict[str, str]  # every spelling of a path ("ps", "container list") -> canonical path
    clients: list[str]  # "docker 28.2" …: the clients it was read from

    def verb(self, path: str) -> Verb | None:
        canonical = self.names.get(path)
        return self.verbs.get(canonical) if canonical is not None else None

    def canonical(self, path: str) -> str | None:
        return self.names.get(path)


# -- reading a client ------------------------------------------------------------------------------


def _sections(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line and not line.startswith(" "):
            current = out.setdefault(line.strip(), []) if line.strip().endswith(":") else None
        elif current is not None:
            current.append(line)
    return out


def parse_help(path: str, text: str) -> tuple[Verb, list[str], list[str]]:
    """One command's `--help`: its Verb, the names of its subcommands, and the aliases it lists.

    Aliases come as whole paths (`docker container ls, docker ps`: 23 and later) or as names beside this one
    in its group (`ls, ps, list`: 20.10); both are returned as paths."""
    sections = _sections(text)
    verb = Verb(path)
    for title in _OPTION_SECTIONS:
        for line in sections.get(title, []):
            m = _FLAG_LINE.match(line)
            if m is None:
                continue
            long = "--" + m["long"]
            verb.flags[long] = m["type"] or ""
            if m["short"]:
                verb.short[m["short"]] = long
    verb.flags.setdefault("--help", "")
    verb.short.setdefault("h", "--help")  # cobra's, unless the verb gives -h another meaning (run: --hostname)
    subcommands = [
        m["name"] for title in _COMMAND_SECTIONS for line in sections.get(title, []) if (m := _COMMAND_LINE.match(line))
    ]
    verb.group = bool(subcommands)
    aliases: list[str] = []
    parent = path.rsplit(" ", 1)[0] if " " in path else ""
    for line in sections.get("Aliases:", []):
        for name in (a.strip() for a in line.split(",")):
            if name.startswith("docker "):
                aliases.append(name[len("docker ") :])
            elif name:
                aliases.append(f"{parent} {name}".strip())
    return verb, subcommands, aliases


def _help(binary: str, words: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([binary, *words, "--help"], capture_output=True, text=True, env=env, timeout=30)
    return done.stdout + done.stderr


def _interspersed(binary: str, words: list[str], env: dict[str, str]) -> bool:
    """Whether flags may follow the verb's arguments: an unknown flag after one is then a flag error.
    The client's DOCKER_HOST is a socket that does not exist, so nothing reaches an engine either way."""
    done = subprocess.run(
        [binary, *words, "x", _PROBE_FLAG],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    return f"unknown flag: {_PROBE_FLAG}" in done.stderr


def read_client(binary: str) -> dict[str, Any]:
    """The grammar of one client, as the JSON document stored under grammars/."""
    with tempfile.TemporaryDirectory() as config:
        # With no engine to ask, the client lists every flag it has: with one, it hides those the engine's
        # API version or OS does not support (23 and later), and the grammar would depend on the engine.
        env = {**os.environ, "DOCKER_CONFIG": config, "NO_COLOR": "1", "LC_ALL": "C.UTF-8", "DOCKER_HOST": NO_ENGINE}
        env.pop("DOCKER_CONTEXT", None)
        version = subprocess.run(
            [binary, "version", "--format", "{{.Client.Version}}"], capture_output=True, text=True, env=env
        ).stdout.strip()
        verbs: dict[str, Verb] = {}
        aliases: dict[str, str] = {}
        todo = [ROOT]
        from concurrent.futures import ThreadPoolExecutor  # here: only reading a client's grammar anew needs it

        with ThreadPoolExecutor(max_workers=8) as pool:
            while todo:
                helps = list(pool.map(lambda p: _help(binary, p.split(), env), todo))
                found: list[str] = []
                for path, text in zip(todo, helps, strict=True):
                    verb, subcommands, named = parse_help(path, text)
                    verbs[path] = verb
                    # The first name an Aliases line gives is the command's own; the others stand for it.
                    for alias in [*named[1:], path] if named else []:
                        if alias != named[0]:
                            aliases[alias] = named[0]
                    found += [f"{path} {s}".strip() for s in subcommands]
                todo = [p for p in found if p not in verbs]
            leaves = [p for p, v in verbs.items() if p and not v.group]
            for path, spread in zip(
                leaves, pool.map(lambda p: _interspersed(binary, p.split(), env), leaves), strict=True
            ):
                verbs[path].interspersed = spread
    verbs[ROOT].interspersed = False
    return {
        "client": "docker",
        "version": ".".join(version.split("+")[0].split(".")[:2]),
        "aliases": dict(sorted(aliases.items())),
        "verbs": {
            path: {
                "flags": dict(sorted(v.flags.items())),
                "short": dict(sorted(v.short.items())),
                **({"group": True} if v.group else {}),
                **({} if v.interspersed else {"interspersed": False}),
            }
            for path, v in sorted(verbs.items())
        },
    }


def grammar_file(document: dict[str, Any]) -> Path:
    return GRAMMARS / f"{document['client']}-{document['version']}.json"


# -- loading ---------------------------------------------------------------------------------------


def merge(documents: list[dict[str, Any]]) -> Grammar:
    """One grammar from several clients': a spelling any of them accepts is accepted."""
    aliases: dict[str, str] = {}
    for doc in documents:
        aliases.update(doc["aliases"])

    def canonical(path: str) -> str:
        seen = set()
        while path in aliases and path not in seen:
            seen.add(path)
            path = aliases[path]
        return path

    verbs: dict[str, Verb] = {}
    names: dict[str, str] = {}
    for doc in documents:
        for path, raw in doc["verbs"].items():
            target = canonical(path)
            verb = verbs.setdefault(target, Verb(target))
            for long, kind in raw["flags"].items():
                if verb.flags.get(long, kind) != kind and "" in (kind, verb.flags[long]):
                    raise ValueError(
                        f"{doc['client']} {doc['version']}: {long} of '{path}' changes whether it takes a value"
                    )
                verb.flags.setdefault(long, kind)
            verb.short.update(raw["short"])
            verb.group = verb.group or raw.get("group", False)
            verb.interspersed = verb.interspersed and raw.get("interspersed", True)
            names[path] = target
    for alias in aliases:
        names[alias] = canonical(alias)
    for path, flags in HIDDEN.items():
        if path in verbs:
            for long, kind in flags.items():
                verbs[path].flags.setdefault(long, kind)  # a client that lists it says what it takes
            for short, long in HIDDEN_SHORT.get(path, {}).items():
                verbs[path].short.setdefault(short, long)
    for alias, path in HIDDEN_ALIASES.items():
        if path not in verbs:
            continue
        if " " in alias:
            group = alias.rsplit(" ", 1)[0]
            verbs.setdefault(group, Verb(group, group=True, flags={"--help": ""}, short={"h": "--help"}))
            names.setdefault(group, group)
        names[alias] = path
    return Grammar(verbs, names, [f"{d['client']} {d['version']}" for d in documents])


@cache
def load() -> Grammar:
    """Every stored client's grammar, merged."""
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GRAMMARS.glob("*.json"))]
    if not documents:
        raise DockersimError(f"no docker grammar under {GRAMMARS}: this installation of dockersim is incomplete")
    return merge(documents)


def main(binaries: list[str]) -> int:
    for binary in binaries or ["docker"]:
        document = read_client(binary)
        target = grammar_file(document)
        target.write_text(json.dumps(document, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        print(f"{binary}: {len(document['verbs'])} commands -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
