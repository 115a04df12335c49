"""Every spelling of an engine a grader may give: a docker context's name, or an address as DOCKER_HOST takes
it (unix://, tcp://, ssh://), each with where its published ports answer; and a file of them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from dockersim.errors import DockersimError
from dockersim.host.text import NotText, decode

MAX_ENGINE_FILE = 1 << 20  # bytes of an engine list read: a course's hundreds of engines fit in a few KiB

ENDPOINT_SCHEMES = ("unix", "tcp", "ssh")  # the addresses DOCKER_HOST takes


def is_endpoint(name: str) -> bool:
    """Whether an --engine names an engine's address (`tcp://lab1:2375`, `ssh://grader@lab1`) rather than a
    docker context."""
    return urlsplit(name).scheme in ENDPOINT_SCHEMES and "://" in name


def parse_engine(value: str) -> tuple[str, str | None]:
    """`CONTEXT` or `CONTEXT=HOST`, or an address as DOCKER_HOST gives one (`tcp://lab1:2375`, `ssh://grader@lab1`)
    in CONTEXT's place (HOST: where its published ports answer, when not its endpoint's host)."""
    name, _, host = value.partition("=")
    if not name.strip() or (_ and not host.strip()):
        raise DockersimError(f"--engine {value!r}: give a docker context's name or an engine's address, or NAME=HOST")
    if "://" in name and not is_endpoint(name.strip()):
        raise DockersimError(f"--engine {value!r}: an engine's address starts unix://, tcp:// or ssh://")
    return name.strip(), host.strip() or None


def read_engine_file(path: Path) -> list[str]:
    """A file of engines, one `CONTEXT[=HOST]` a line; `#` starts a comment."""
    try:
        with path.open("rb") as f:
            lines = decode(f.read(MAX_ENGINE_FILE)).splitlines()
    except OSError as e:
        raise DockersimError(f"{path}: {e.strerror or e}") from None
    except NotText as e:
        raise DockersimError(f"{path}:{e.line}: {e.message}") from None
    out = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if " " in text:
            raise DockersimError(f"{path}:{number}: one engine a line, CONTEXT or CONTEXT=HOST")
        out.append(text)
    if not out:  # grading on a local sandbox instead would not be what the file's author meant
        raise DockersimError(f"{path}: names no engine (one CONTEXT or CONTEXT=HOST a line)")
    return out
