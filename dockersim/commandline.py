"""What a docker command line names: its subcommand, the container it acts on, the objects it creates.

Knows docker's flag grammar only as far as needed to find positional arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_GLOBAL_WITH_VALUE = {
    "--context",
    "-c",
    "--host",
    "-H",
    "--config",
    "--log-level",
    "-l",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
}
# Flags that take no value, per subcommand; every other flag takes one.
_BOOL = {
    "run": {
        "-d",
        "--detach",
        "-i",
        "--interactive",
        "-t",
        "--tty",
        "--rm",
        "--privileged",
        "-P",
        "--publish-all",
        "--init",
        "--read-only",
        "--no-healthcheck",
        "--oom-kill-disable",
        "--disable-content-trust",
        "-q",
        "--quiet",
        "--sig-proxy",
        "--help",
        "--use-api-socket",
    },
    "start": {"-a", "--attach", "-i", "--interactive", "--help"},
    "attach": {"--no-stdin", "--sig-proxy", "--help"},
    "exec": {"-d", "--detach", "-i", "--interactive", "-t", "--tty", "--privileged", "--help"},
    "rm": {"-f", "--force", "-v", "--volumes", "-l", "--link", "--help"},
    "stop": {"--help"},
    "restart": {"--help"},
    "kill": {"--help"},
    "pause": {"--help"},
    "unpause": {"--help"},
    "port": {"--help"},
    "logs": {"-f", "--follow", "-t", "--timestamps", "--details", "--help"},
    "inspect": {"-s", "--size", "--help"},
}
_BOOL["create"] = _BOOL["run"]
_ACTS_ON_CONTAINER = {
    "attach",
    "start",
    "exec",
    "stop",
    "rm",
    "restart",
    "kill",
    "pause",
    "unpause",
    "port",
    "logs",
    "rename",
    "wait",
    "top",
    "inspect",
    "container inspect",
    "commit",
    "diff",
}
_OBJECT_GROUPS = {"container", "image", "volume", "network"}


@dataclass(frozen=True)
class Command:
    verb: str  # "run", "attach", "volume create", …
    options: list[tuple[str, str | None]]
    positionals: list[str]
    options_at: int  # the index in argv where the verb's options begin
    first_positional_at: int = -1  # for run/create: the image; what follows is the container's command

    def option(self, *names: str) -> list[str]:
        return [v for k, v in self.options if k in names and v is not None]


def parse(argv: Sequence[str]) -> Command | None:
    """`docker [global options] [group] verb [options] args…`; None when argv is not a docker command."""
    if not argv or not argv[0].rsplit("/", 1)[-1].startswith("docker"):
        return None
    i = 1
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] in _GLOBAL_WITH_VALUE else 1
    if i >= len(argv):
        return None
    verb = argv[i]
    i += 1
    if verb in _OBJECT_GROUPS and i < len(argv) and not argv[i].startswith("-"):
        sub = argv[i]
        i += 1
        verb = sub if verb == "container" and sub in _BOOL else f"{verb} {sub}"
    flags = _BOOL.get(verb)
    options_at = i
    first_at = -1
    options: list[tuple[str, str | None]] = []
    positionals: list[str] = []
    while i < len(argv):
        arg = argv[i]
        i += 1
        if positionals and verb in ("run", "create", "exec"):
            positionals.append(arg)  # after the image (or container for exec) comes the command
            continue
        if arg == "--":
            first_at = i if i < len(argv) and not positionals else first_at
            positionals += argv[i:]
            break
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if eq:
                options.append((name, value))
            elif flags is not None and name in flags:
                options.append((name, None))
            elif i < len(argv):
                options.append((name, argv[i]))
                i += 1
            continue
        if arg.startswith("-") and len(arg) > 1:
            # Short flags may be grouped (-it, -dit); the first one that takes a value ends the group.
            for j, ch in enumerate(arg[1:], start=1):
                name = "-" + ch
                if flags is not None and name in flags:
                    options.append((name, None))
                    continue
                rest = arg[j + 1 :]
                if rest:
                    options.append((name, rest))
                elif i < len(argv):
                    options.append((name, argv[i]))
                    i += 1
                break
            continue
        if not positionals:
            first_at = i - 1
        positionals.append(arg)
    return Command(verb, options, positionals, options_at, first_at)


def target_container(argv: Sequence[str]) -> str | None:
    """The container a command acts on: --name for run/create, the first argument for attach, start, exec…"""
    cmd = parse(argv)
    if cmd is None:
        return None
    if cmd.verb in ("run", "create"):
        names = cmd.option("--name")
        return names[-1] if names else None
    if cmd.verb in _ACTS_ON_CONTAINER and cmd.positionals:
        return cmd.positionals[0]
    return None


def created_names(argv: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, name) of each named object this command would create: containers, volumes, networks."""
    cmd = parse(argv)
    if cmd is None:
        return []
    out: list[tuple[str, str]] = []
    if cmd.verb in ("run", "create"):
        out += [("container", n) for n in cmd.option("--name")]
        for spec in cmd.option("-v", "--volume"):
            source = spec.split(":", 1)[0]
            if ":" in spec and source and not source.startswith(("/", ".", "~")):
                out.append(("volume", source))
        for spec in cmd.option("--mount"):
            fields = dict(p.split("=", 1) for p in spec.split(",") if "=" in p)
            named = fields.get("source") or fields.get("src")
            if fields.get("type", "volume") == "volume" and named:
                out.append(("volume", named))
    elif cmd.verb == "volume create":
        out += [("volume", n) for n in cmd.option("--name") + cmd.positionals[:1]]
    elif cmd.verb == "network create":
        out += [("network", n) for n in cmd.positionals[:1]]
    elif cmd.verb in ("rename", "container rename") and len(cmd.positionals) == 2:
        out.append(("container", cmd.positionals[1]))
    return out


LABELLED = ("run", "create", "volume create", "network create")


def with_label(argv: Sequence[str], label: str) -> list[str]:
    """argv with `--label LABEL` added where the command creates a container, volume or network."""
    cmd = parse(argv)
    if cmd is None or cmd.verb not in LABELLED:
        return list(argv)
    return [*argv[: cmd.options_at], "--label", label, *argv[cmd.options_at :]]
