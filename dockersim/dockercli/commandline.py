"""The only reader of docker command lines: argv -> Command, by the grammar the clients describe (grammar.py).

It parses as the client does (cobra and pflag): global options before the verb, management forms and
aliases (`ps` is `container ls`), short flags grouped (`-dit`, `-dv/x:/y`, `-v=/x:/y`), `--flag=value`,
flags after arguments where the verb allows it, `--`. A flag the client does not have is an error, never a
guess. Everything else that reads a command line (labels, created names, detach keys, destructive steps,
submission vetting) asks a Command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dockersim.dockercli import grammar
from dockersim.errors import DockersimError
from dockersim.i18n.phrase import Phrase

_FALSE = {"0", "f", "F", "false", "FALSE", "False"}
_TRUE = {"1", "t", "T", "true", "TRUE", "True"}
_VOLUME_NAME_START = tuple("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class CommandLineError(DockersimError):
    """A docker command line the client itself would refuse, in one sentence."""


@dataclass(frozen=True)
class Option:
    name: str  # the long name, whatever was written: --volume for -v
    value: str | None  # None for a flag given without a value
    at: int  # the index in argv of the word it was written in
    written: str = ""  # as written, `-t` or `--time`: the spelling normalized() keeps, which the clients share


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    path: str  # canonical: "container run", "volume create"; "" for `docker [global options]` alone
    globals: tuple[Option, ...]
    options: tuple[Option, ...]
    args: tuple[str, ...]  # positional arguments; for run/create the image, then the container's command
    options_at: int  # the index in argv where the verb's own options begin
    args_at: tuple[int, ...] = ()  # the index in argv of each positional argument

    def values(self, *names: str) -> list[str]:
        """The values given to these flags (long names), in order."""
        return [o.value for o in self.options if o.name in names and o.value is not None]

    def flag(self, name: str) -> bool:
        """Whether a flag that takes no value is on (`-d`, `--rm`, `--rm=true`; not `--rm=false`)."""
        on = False
        for o in self.options:
            if o.name == name:
                on = o.value is None or o.value in _TRUE
        return on

    def normalized(self) -> list[str]:
        """The same command spelled one way: long names, `--name=value`, management form, `--` before any
        argument that looks like a flag. It means to the client exactly what argv meant."""
        out = [self.argv[0], *(_spelled(o) for o in self.globals), *self.path.split()]
        out += [_spelled(o) for o in self.options]
        if any(a.startswith("-") and a != "-" for a in self.args):
            out.append("--")
        return out + list(self.args)


def _spelled(o: Option) -> str:
    # The flag as the student named it (a short letter can stand for two long names across clients: `stop -t`
    # is --time in 20.10, --timeout in 28), always with `=`, so the value cannot be read as another flag.
    name = o.written or o.name
    return name if o.value is None else f"{name}={o.value}"


def is_docker(argv: Sequence[str]) -> bool:
    return bool(argv) and Path(argv[0]).name.startswith("docker")


def parse(argv: Sequence[str]) -> Command | None:
    """`docker [global options] [group…] verb [options] args…`; None when argv is not a docker command.
    CommandLineError when the client would refuse it."""
    if not is_docker(argv):
        return None
    words = tuple(argv)
    g = grammar.load()
    root = g.verbs[grammar.ROOT]
    globals_, _, i = _options(words, 1, root, "docker")
    path = ""
    verb = root
    while i < len(words) and verb.group:
        word = words[i]
        if word.startswith("-"):
            if word in ("--help", "-h"):
                break
            raise CommandLineError(Phrase("cl_no_option_before", what=f"docker {path}".strip(), word=word))
        canonical = g.canonical(f"{path} {word}".strip())
        if canonical is None:
            raise CommandLineError(Phrase("cl_not_a_command", command=f"{path} {word}".strip()))
        path, verb = canonical, g.verbs[canonical]
        i += 1
    options_at = i
    options, at, _ = _options(words, i, verb, f"docker {path}".strip()) if path else ((), (), i)
    return Command(words, path, globals_, options, tuple(words[a] for a in at), options_at, at)


def _options(
    words: tuple[str, ...], i: int, verb: grammar.Verb, what: str
) -> tuple[tuple[Option, ...], tuple[int, ...], int]:
    """pflag's reading of words[i:] for one verb: its options, where its arguments are, and where reading
    stopped (the first argument, for a verb whose flags may not follow arguments and for the root)."""
    options: list[Option] = []
    args: list[int] = []
    n = len(words)
    while i < n:
        word = words[i]
        at = i
        i += 1
        if word == "--":
            args += range(i, n)
            return tuple(options), tuple(args), n
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            long = "--" + name
            if not name or name.startswith("-") or verb.long_name(long) is None:
                raise CommandLineError(Phrase("cl_no_option", what=what, option=long))
            if eq:
                options.append(Option(long, _checked(verb, long, value, what), at, long))
            elif verb.takes_value(long):
                if i >= n:
                    raise CommandLineError(Phrase("cl_needs_value", what=what, option=long))
                options.append(Option(long, words[i], at, long))
                i += 1
            else:
                options.append(Option(long, None, at, long))
            continue
        if word.startswith("-") and len(word) > 1:
            letters = word[1:]
            while letters:
                short = "-" + letters[0]
                long_name = verb.long_name(short)
                if long_name is None:
                    raise CommandLineError(Phrase("cl_no_short", what=what, short=short, word=word))
                if len(letters) > 1 and letters[1] == "=":
                    options.append(Option(long_name, _checked(verb, long_name, letters[2:], what), at, short))
                    break
                if verb.takes_value(long_name):
                    if len(letters) > 1:
                        options.append(Option(long_name, letters[1:], at, short))
                    elif i < n:
                        options.append(Option(long_name, words[i], at, short))
                        i += 1
                    else:
                        raise CommandLineError(Phrase("cl_short_needs_value", what=what, short=short, long=long_name))
                    break
                options.append(Option(long_name, None, at, short))
                letters = letters[1:]
            continue
        if not verb.interspersed:
            # The verb's arguments begin here, and everything after them is theirs (run's command, …).
            return tuple(options), tuple(range(at, n)) if verb.path else (), at
        args.append(at)
    return tuple(options), tuple(args), n


def _checked(verb: grammar.Verb, long: str, value: str, what: str) -> str:
    if not verb.takes_value(long) and value not in _TRUE | _FALSE:
        raise CommandLineError(Phrase("cl_bool", what=what, option=long, value=value))
    return value


# -- what a command means --------------------------------------------------------------------------

CREATES = ("container run", "container create", "volume create", "network create")  # these carry our label
_ACTS_ON_CONTAINER = {
    "container attach", "container start", "container exec", "container stop", "container rm",
    "container restart", "container kill", "container pause", "container unpause", "container port",
    "container logs", "container rename", "container wait", "container top", "container inspect",
    "container commit", "container diff", "container stats", "container update", "container export", "inspect",
}  # fmt: skip
PRUNES = ("container prune", "volume prune", "network prune", "image prune", "system prune", "builder prune")


def target_container(argv: Sequence[str]) -> str | None:
    """The container a command acts on: --name for run/create, the first argument for attach, start, exec…"""
    cmd = parse(argv)
    if cmd is None:
        return None
    if cmd.path in ("container run", "container create"):
        names = cmd.values("--name")
        return names[-1] if names else None
    if cmd.path in _ACTS_ON_CONTAINER and cmd.args:
        return cmd.args[0]
    return None


def bind_source(spec: str) -> tuple[str, str] | None:
    """What `-v SPEC` mounts from: ("bind", host path) or ("volume", name); None for an anonymous volume."""
    source, sep, _ = spec.partition(":")
    if not sep or not source:
        return None
    if source.startswith(_VOLUME_NAME_START) and "/" not in source:
        return "volume", source
    return "bind", source


def mount_fields(spec: str) -> list[tuple[str, str | None]]:
    """`--mount` is CSV of key=value (keys case-insensitive, `readonly` alone is a key): as the client reads it."""
    import csv

    try:
        [row] = list(csv.reader([spec], strict=True)) or [[]]
    except (csv.Error, ValueError):
        raise CommandLineError(Phrase("cl_mount_fields", spec=spec)) from None
    out: list[tuple[str, str | None]] = []
    for item in row:
        key, eq, value = item.partition("=")
        out.append((key.strip().lower(), value if eq else None))
    return out


def bind_sources(argv: Sequence[str], mounts: bool = True) -> list[str]:
    """The host paths a run/create command binds (`-v /x:/y`, and with mounts `--mount type=bind,src=/x`)."""
    cmd = parse(argv)
    if cmd is None or cmd.path not in ("container run", "container create"):
        return []
    out = [s[1] for spec in cmd.values("--volume") if (s := bind_source(spec)) and s[0] == "bind"]
    for spec in cmd.values("--mount") if mounts else ():
        fields = mount_fields(spec)
        if ([v or "" for k, v in fields if k == "type"] or ["volume"])[-1].lower() == "bind":
            out += [v for k, v in fields if k in ("source", "src") and v]
    return out


def created_names(argv: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, name) of each named object this command would create: containers, volumes, networks."""
    cmd = parse(argv)
    if cmd is None:
        return []
    out: list[tuple[str, str]] = []
    if cmd.path in ("container run", "container create"):
        out += [("container", n) for n in cmd.values("--name")]
        for spec in cmd.values("--volume"):
            source = bind_source(spec)
            if source and source[0] == "volume":
                out.append(("volume", source[1]))
        for spec in cmd.values("--mount"):
            fields = dict(mount_fields(spec))
            named = fields.get("source") or fields.get("src")
            if (fields.get("type") or "volume").lower() == "volume" and named:
                out.append(("volume", named))
    elif cmd.path == "volume create":
        out += [("volume", n) for n in [*cmd.values("--name"), *cmd.args[:1]]]
    elif cmd.path == "network create":
        out += [("network", n) for n in cmd.args[:1]]
    elif cmd.path == "container rename" and len(cmd.args) == 2:
        out.append(("container", cmd.args[1]))
    return out


# Verbs that act on every argument as a container, or on the first alone (exec's others are its command).
_EVERY_ARG_A_CONTAINER = {
    "container rm", "container stop", "container kill", "container restart", "container pause",
    "container unpause", "container start", "container wait", "container inspect", "container stats",
    "container update",
}  # fmt: skip
_NETWORKS_BY_NAME_ONLY = ("bridge", "host", "none", "default")  # the engine's own, which every run may join


def references(argv: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, name or ID) of each existing object this command acts on or uses: the containers it stops,
    enters, links to or takes volumes from; the volumes it mounts or removes (a volume it names may also be
    one it makes); the networks it joins or removes; the images it removes or names anew. "any" for what
    `docker inspect` may find of any kind. The image a container runs, and the engine's own networks, are
    not among them: every run uses those."""
    cmd = parse(argv)
    if cmd is None:
        return []
    path, args = cmd.path, cmd.args
    out: list[tuple[str, str]] = []
    if path == "container rm" and cmd.flag("--link"):  # a link's name, /PARENT/ALIAS: the parent's link goes
        out += [("container", a.lstrip("/").split("/", 1)[0]) for a in args]
    elif path in _EVERY_ARG_A_CONTAINER:
        out += [("container", a) for a in args]
    elif path in _ACTS_ON_CONTAINER and path != "inspect" and args:
        out.append(("container", args[0]))
        if path == "container commit" and len(args) > 1:
            out.append(("image", args[1]))
    elif path in ("container run", "container create"):
        out += [("container", v.split(":", 1)[0]) for v in cmd.values("--volumes-from", "--link")]
        joins = cmd.values("--network", "--net", "--pid", "--ipc", "--uts")
        out += [("container", v.removeprefix("container:")) for v in joins if v.startswith("container:")]
        out += [("network", v) for v in cmd.values("--network", "--net")
                if not v.startswith("container:") and v not in _NETWORKS_BY_NAME_ONLY]  # fmt: skip
        out += [(kind, name) for kind, name in created_names(argv) if kind == "volume"]
    elif path in ("volume rm", "volume inspect"):
        out += [("volume", a) for a in args]
    elif path in ("network rm", "network inspect"):
        out += [("network", a) for a in args]
    elif path in ("network connect", "network disconnect") and args:
        out += [("network", args[0]), *(("container", a) for a in args[1:2])]
    elif path == "image rm":
        out += [("image", a) for a in args]
    elif path == "image tag" and len(args) == 2:
        out.append(("image", args[1]))
    elif path == "image build":
        out += [("image", tag) for tag in cmd.values("--tag")]  # the names it moves to what it builds
    elif path == "inspect":
        kinds = cmd.values("--type")
        kind = kinds[-1] if kinds else "any"
        out += [(kind, a) for a in args if kind != "image"]  # an image is there for any run to read
    return out


def image_refs(argv: Sequence[str]) -> list[str]:
    """The image names a command may bring to the engine: pulled, tagged, committed, or run (and pulled)."""
    cmd = parse(argv)
    if cmd is None or not cmd.args:
        return []
    if cmd.path in ("image pull", "container run", "container create"):
        return [cmd.args[0]]
    if cmd.path in ("image tag", "container commit") and len(cmd.args) == 2:
        return [cmd.args[1]]
    if cmd.path == "image build":
        return cmd.values("--tag")
    return []


# Where a verb's arguments name an image it uses: how many of them from the first (None: each of them).
_IMAGE_ARGS: dict[str, int | None] = {
    "container run": 1, "container create": 1, "image pull": 1, "image push": 1, "image history": 1,
    "image tag": 1, "image ls": 1, "image inspect": None, "image rm": None, "image save": None,
}  # fmt: skip


def image_words(argv: Sequence[str]) -> list[int]:
    """Where in argv the grammar expects an image: run's and create's IMAGE (what follows is the container's
    command), what pull, push, history, tag (its source), images, image inspect, rmi and save act on, and the
    arguments of `inspect --type image`. Never a container's name, an option's value or a tag being made."""
    cmd = parse(argv)
    if cmd is None:
        return []
    if cmd.path == "inspect":
        kinds = cmd.values("--type")
        return list(cmd.args_at) if kinds and kinds[-1] == "image" else []
    if cmd.path not in _IMAGE_ARGS:
        return []
    first = _IMAGE_ARGS[cmd.path]
    return list(cmd.args_at[:first] if first is not None else cmd.args_at)


def with_label(argv: Sequence[str], labels: Sequence[str]) -> list[str]:
    """argv with `--label KEY=VALUE` for each label added where the command creates a container, volume or
    network, or builds an image (which then carries them: practice's own, to remove): after the command's
    own options, so that ours win over a `--label` or `--label-file` of the same key (the client reads the
    files first, then the flags, and the last of a key counts)."""
    cmd = parse(argv)
    if cmd is None or (cmd.path not in CREATES and cmd.path != "image build"):
        return list(argv)
    return _after_options(argv, cmd, [word for label in labels for word in ("--label", label)])


def creates_container(argv: Sequence[str]) -> bool:
    cmd = parse(argv)
    return cmd is not None and cmd.path in ("container run", "container create")


def with_container_options(argv: Sequence[str], options: Sequence[str]) -> list[str]:
    """argv with these options added where the command makes a container, after its own: ours win (a
    `--memory` of the command's own is read first, and the last of a flag counts)."""
    cmd = parse(argv)
    if cmd is None or cmd.path not in ("container run", "container create"):
        return list(argv)
    return _after_options(argv, cmd, list(options))


def with_filter(argv: Sequence[str], filters: Sequence[str]) -> list[str]:
    """A prune, or a listing of containers or networks (all of which a run labels), limited to what matches
    these `--filter`s too (a run's label, on an engine it shares)."""
    cmd = parse(argv)
    if cmd is None or cmd.path not in (*PRUNES, "container ls", "network ls"):
        return list(argv)
    return _after_options(argv, cmd, [word for f in filters for word in ("--filter", f)])


def _after_options(argv: Sequence[str], cmd: Command, added: list[str]) -> list[str]:
    """argv with options added after its own: before its arguments when they end it (and before a `--`),
    else at its end (a verb whose flags may follow its arguments: `volume create NAME --label …`)."""
    n = len(cmd.args)
    at = len(argv) - n if n and tuple(argv[len(argv) - n :]) == cmd.args else len(argv)
    if at > cmd.options_at and argv[at - 1] == "--":
        at -= 1
    return [*argv[:at], *added, *argv[at:]]


ATTACHES = ("container run", "container exec", "container attach", "container start")
DEFAULT_DETACH_KEYS = "ctrl-p,ctrl-q"


def with_detach_keys(argv: Sequence[str], keys: str) -> list[str]:
    """argv with `--detach-keys KEYS` where the command may attach a terminal and names no keys itself."""
    cmd = parse(argv)
    if cmd is None or cmd.path not in ATTACHES or cmd.values("--detach-keys"):
        return list(argv)
    return _after_options(argv, cmd, ["--detach-keys", keys])


def detach_keys(argv: Sequence[str]) -> tuple[str, ...]:
    """The keys that detach this command's client: `--detach-keys` if given, else Ctrl+P,Ctrl+Q."""
    cmd = parse(argv)
    keys = cmd.values("--detach-keys") if cmd else []
    return tuple((keys[-1] if keys else DEFAULT_DETACH_KEYS).split(","))


def reads_input(argv: Sequence[str]) -> bool:
    """Whether the client passes what is typed at its terminal on to the container: run, create's start, exec
    only with -i; attach unless --no-stdin. Other commands read their own terminal (a prune's y/N)."""
    cmd = parse(argv)
    if cmd is None or cmd.path not in (*ATTACHES, "container create"):
        return True
    if cmd.path == "container attach":
        return not cmd.flag("--no-stdin")
    return cmd.flag("--interactive")


def removes_containers(argv: Sequence[str]) -> bool:
    cmd = parse(argv)
    return cmd is not None and cmd.path in ("container rm", "container prune", "system prune")


def prunes(argv: Sequence[str]) -> bool:
    cmd = parse(argv)
    return cmd is not None and cmd.path in PRUNES
