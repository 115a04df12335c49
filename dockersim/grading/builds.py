"""A submission's `docker build`: what it may read — one context, a folder of its own workspace, and a
Dockerfile inside that context — and how it is read when it runs.

Vetted with the rest of the line (policy.py): the context and `-f` re-rooted in the workspace as bind sources
are, remote and stdin contexts refused. As it is about to run (stage), the context is copied, without following
a link out of it, to where no container reaches; its Dockerfile is read from that copy and refused if a RUN
step asks for BuildKit's options (`--mount`, `--network`, `--security`); and the build reads that copy alone,
so that nothing a running container swaps in meanwhile is read. The engine builds it its own way
(GradingEngine.build): the classic builder on docker, buildah in a user namespace on podman.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.dockercli import commandline
from dockersim.dockercli.commandline import Command, Option
from dockersim.grading import dockerfile
from dockersim.host import tree
from dockersim.host.beneath import Refused, inside
from dockersim.host.limits import human
from dockersim.i18n.phrase import Phrase

BUILD = "image build"
CONTEXT_BYTES = 256 * 1024**2  # a build's context, at most: a homework's is a few files
CONTEXT_ENTRIES = 20_000
DEFAULT_FILE = "Dockerfile"
DOCKERFILE_CAP = 1024 * 1024  # bytes of a Dockerfile read before its build
# What the docker client takes for a remote context (urlutil.IsURL, IsGitURL).
_REMOTE = re.compile(r"(?i)^(https?://|git://|git@|github\.com/|ssh://)|\.git(#.*)?$")
_IMAGE_REF = re.compile(r"[a-z0-9][a-z0-9._/:@-]*")
_LEGACY_NOTICE = re.compile(r"DEPRECATED: The legacy builder is deprecated.*?(\n\s*\n|\Z)", re.DOTALL)


def is_build(argv: list[str]) -> bool:
    cmd = commandline.parse(argv)
    return cmd is not None and cmd.path == BUILD


# -- vetting ---------------------------------------------------------------------------------------


def build_arg(value: str | None, _workspace: Path) -> str | None:
    """NAME=VALUE only: a bare NAME makes the client copy the grader's own variable into the build."""
    if value is None or "=" not in value or value.startswith("="):
        raise Refused(Phrase("r_build_arg", value=value))
    return value


def build_network(value: str | None, _workspace: Path) -> str | None:
    if value is None or value.lower() != "default":
        raise Refused(Phrase("r_build_network", value=value))
    return value


def cache_from(value: str | None, _workspace: Path) -> str | None:
    """An image to take cached layers from (the classic builder's); not BuildKit's `type=local,src=PATH`."""
    if value is None or "=" in value or not _IMAGE_REF.fullmatch(value) or value.startswith((".", "/")):
        raise Refused(Phrase("r_build_cache_from", value=value))
    return value


def vet(cmd: Command, options: list[Option], workspace: Path) -> tuple[list[Option], tuple[str, ...]]:
    """A build's context and Dockerfile, each a path relative to the workspace's root, where the submission's
    lines run (`.`, `app`, `app/Dockerfile`): the context resolved there, `-f` resolved and inside the
    context; the options and arguments to run. Refused: no context or more than one, stdin (`-`), a remote
    context or Dockerfile, an absolute path (a bind's source is re-rooted in the workspace, as the
    tutorial's `/home/…` are; a build names its own folder, and `/` or `/etc` means the machine's), a path
    that leads out of the workspace (`..`, a link)."""
    if len(cmd.args) != 1:
        raise Refused(Phrase("r_build_args"))
    written = cmd.args[0]
    files = [o for o in options if o.name == "--file"]
    for value in [written, *(o.value or "" for o in files)]:
        if value == "-":
            raise Refused(Phrase("r_build_stdin"))
        if _REMOTE.search(value) or "://" in value:
            raise Refused(Phrase("r_build_remote", value=value))
        if value.startswith(("/", "~")):  # the machine's, as written: not re-rooted, unlike a bind's source
            raise Refused(Phrase("r_build_absolute", path=value))
    context = inside(workspace, written)
    kept = [o for o in options if o.name != "--file"]
    if files:  # the client reads the last; relative to where the command runs: the workspace's root
        named = files[-1].value or ""
        path = inside(workspace, named)
        if not (path + "/").startswith(context.rstrip("/") + "/") or path == context:
            raise Refused(Phrase("r_build_file_outside", file=named, context=written))
        kept.append(Option("--file", path, files[-1].at, "--file"))
    return kept, (context,)


# -- as it runs ------------------------------------------------------------------------------------


@dataclass
class Staged:
    """A build as it will run: its options (but its Dockerfile), its context copied where no container
    reaches, the Dockerfile in that copy, and what the Dockerfile reads."""

    options: list[str]  # `--tag=app`, … as the student gave them; --file apart
    context: Path  # the copy
    file: Path  # the Dockerfile, in the copy
    written: str  # the context as the submission named it (what output says in place of the copy)
    tags: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)  # the images FROM and COPY --from name
    folder: Path | None = None  # what to remove after it

    def argv(self, extra: tuple[str, ...] = ()) -> list[str]:
        """`docker image build …` reading the copy: the student's options, then the engine's own."""
        return ["docker", "image", "build", *self.options, f"--file={self.file}", *extra, "--", str(self.context)]

    def said(self, text: str) -> str:
        """What the build printed, with the copy's path said as the submission named its context, and without
        the 28 client's notice that its classic builder is deprecated (the grader's choice, not the student's)."""
        return _LEGACY_NOTICE.sub("", text.replace(str(self.context), self.written))

    def remove(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def stage(argv: list[str], workspace: Path, where: Path, owner: int | None) -> Staged:
    """The vetted build `argv`, its context copied from the workspace into a new folder in `where` (owned by
    `owner`, root in the engine's containers, else root), and its Dockerfile read there: Refused with the
    reason when the copy is too large, changed as it was read, or the Dockerfile is missing or asks a RUN
    step for what a graded build does not give."""
    cmd = commandline.parse(argv)
    assert cmd is not None and cmd.path == BUILD and len(cmd.args) == 1
    root = workspace.resolve()
    context = Path(cmd.args[0])
    below = str(context.relative_to(root)) if context != root else ""
    files = cmd.values("--file")
    file = str(Path(files[-1]).relative_to(context)) if files else DEFAULT_FILE
    where.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="build-", dir=where))  # 0700: its owner's alone
    if owner is not None:
        os.chown(folder, owner, owner)
    staged = Staged([], folder / "context", folder / "context" / file, below or ".", folder=folder)
    try:
        copied = tree.copy_tree(root, below, staged.context, owner=owner, max_bytes=CONTEXT_BYTES,
                                max_entries=CONTEXT_ENTRIES)  # fmt: skip
        if copied.full:
            raise Refused(Phrase("r_build_large", limit=human(CONTEXT_BYTES), n=CONTEXT_ENTRIES))
        text = _dockerfile(staged.context, file)
        args = dict(v.split("=", 1) for v in cmd.values("--build-arg") if "=" in v)
        found = dockerfile.read(text, args)
        if found.run_flags:
            line, flag = found.run_flags[0]
            raise Refused(Phrase("r_build_run_flag", flag=flag.split("=", 1)[0], line=line, file=file))
    except OSError as e:  # a folder on the way gone, or swapped for a link or a file since it was vetted
        staged.remove()
        missing = isinstance(e, (FileNotFoundError, NotADirectoryError)) or e.errno == errno.ELOOP
        raise Refused(Phrase("r_build_no_context", context=staged.written) if missing else
                      Phrase("r_build_changed", error=e.strerror or e.__class__.__name__)) from None  # fmt: skip
    except Refused:
        staged.remove()
        raise
    staged.options = [_spelled(o) for o in cmd.options if o.name != "--file"]
    staged.tags = cmd.values("--tag")
    staged.bases = found.bases
    return staged


def _dockerfile(context: Path, file: str) -> str:
    """The Dockerfile's text, read from the copy (whose links all resolve inside it), at most DOCKERFILE_CAP."""
    path = (context / file).resolve()
    if context.resolve() not in path.parents or not path.is_file():
        raise Refused(Phrase("r_build_no_dockerfile", file=file))
    with open(path, "rb") as f:
        data = f.read(DOCKERFILE_CAP + 1)
    if len(data) > DOCKERFILE_CAP:
        raise Refused(Phrase("r_build_dockerfile_large", file=file, kib=DOCKERFILE_CAP // 1024))
    return data.decode("utf-8", errors="replace")


def _spelled(o: Option) -> str:
    name = o.written or o.name
    return name if o.value is None else f"{name}={o.value}"
