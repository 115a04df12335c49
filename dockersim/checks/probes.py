"""Probes: checks that ask something of a running system rather than read its state — an HTTP answer
through a published port, a command inside a container, a file on the engine's host."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from dockersim.checks.base import CheckContext, Mismatch, there, word
from dockersim.checks.container import is_port, port_key
from dockersim.engine import helper
from dockersim.engine.client import Docker
from dockersim.engine.helper import HELPER_IMAGE
from dockersim.engine.snapshot import Snapshot
from dockersim.errors import DockersimError
from dockersim.host import beneath
from dockersim.i18n.phrase import Phrase, either
from dockersim.yamlfile.source import LMap
from dockersim.yamlfile.validation import boolean as _bool
from dockersim.yamlfile.validation import fail as _fail
from dockersim.yamlfile.validation import only as _only
from dockersim.yamlfile.validation import regex_field as _regex_field
from dockersim.yamlfile.validation import scalar as _scalar


@dataclass
class HttpCheck:
    """`{http: 'http://127.0.0.1:{host_port:web:80/tcp}/', status: [200, 302], body: 'Apache2'}`

    One GET, redirects not followed; no answer is a failure (with `retry:` the step waits for one).
    """

    url: str
    line: int
    status: tuple[int, ...] = (200,)
    body: str | None = None
    location: str | None = None

    @classmethod
    def parse(cls, spec: LMap, path: str) -> HttpCheck:
        _only(spec, ("http", "status", "body", "location"), path)
        target = spec["http"]
        if isinstance(target, dict):
            # {container: web, port: 80/tcp, path: /}: through the port the engine publishes it on
            if "container" not in target or "port" not in target or set(target) - {"container", "port", "path"}:
                raise _fail(path, spec.lines["http"], "http names a URL, or {container: NAME, port: 80/tcp, path: /}")
            container = _scalar(target["container"], path, spec.lines["http"], "http container")
            port = _scalar(target["port"], path, spec.lines["http"], "http port")
            if not is_port(port):
                raise _fail(path, spec.lines["http"], f"http port '{port}' is not a container port such as 80/tcp")
            port = port_key(port)
            page = _scalar(target.get("path", "/"), path, spec.lines["http"], "http path")
            target = f"http://{{engine_host}}:{{host_port:{container}:{port}}}/{page.lstrip('/')}"
        url = _scalar(target, path, spec.lines["http"], "http")
        if not re.match(r"https?://", url):
            raise _fail(path, spec.lines["http"], f"http should be a URL starting http:// or https://, not '{url}'")
        check = cls(url, spec.line)
        if "status" in spec:
            codes = spec["status"] if isinstance(spec["status"], list) else [spec["status"]]
            if not codes or not all(isinstance(c, int) and not isinstance(c, bool) and 100 <= c <= 599 for c in codes):
                raise _fail(path, spec.lines["status"], "status should be an HTTP status or a list of them")
            check.status = tuple(codes)
        for key in ("body", "location"):
            if key in spec:
                setattr(check, key, _regex_field(spec, key, path))
        return check

    def describe(self) -> str:
        return Phrase("d_http", url=self.url)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        import urllib.error
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        url = ctx.resolve(self.url)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(url, timeout=5) as response:
                status, headers, body = response.status, response.headers, response.read(1 << 20)
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read(1 << 20)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            return [Mismatch("http", Phrase("p_answer_from", url=url), Phrase("p_no_answer", reason=reason))]
        out = []
        if status not in self.status:
            out.append(Mismatch("status", either([str(s) for s in self.status]), str(status)))
        if self.body is not None and not re.search(self.body, body.decode("utf-8", "replace")):
            out.append(Mismatch("body", Phrase("p_to_match", pattern=self.body), Phrase("p_bytes_not", n=len(body))))
        if self.location is not None and not re.search(self.location, headers.get("Location") or ""):
            out.append(
                Mismatch("location", Phrase("p_to_match", pattern=self.location), repr(headers.get("Location") or ""))
            )
        return out


@dataclass
class HostFileCheck:
    """`{host_file: '{workdir}/home/wordpress_db/wordpress', exists: true, contains: 'hello'}` on this machine."""

    path: str
    line: int
    exists: bool = True
    contains: str | None = None

    @classmethod
    def parse(cls, spec: LMap, path: str) -> HostFileCheck:
        _only(spec, ("host_file", "exists", "contains"), path)
        check = cls(
            _scalar(spec["host_file"], path, spec.lines["host_file"], "host_file"),
            spec.line,
            _bool(spec, "exists", path),
        )
        if "contains" in spec:
            check.contains = _regex_field(spec, "contains", path)
        return check

    def describe(self) -> str:
        return Phrase("d_host_file", path=self.path)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        p = ctx.host_path(ctx.resolve(self.path))
        exists, text = read_host_file(snap.docker, p, ctx.host_root())
        if exists != self.exists:
            return [Mismatch("host_file", there(p, self.exists), word(exists))]
        if self.contains is not None and text is not None and not re.search(self.contains, text):
            return [Mismatch("contains", Phrase("p_path_to_match", path=p, pattern=self.contains), repr(text[:80]))]
        return []


_READ = 'if [ -e "/host/$1" ]; then echo present; if [ -f "/host/$1" ]; then cat "/host/$1"; fi; else echo absent; fi'


HOST_FILE_CAP = 1 << 20  # bytes of a host file read for a check: its first MiB is what `contains` looks at


def read_host_file(docker: Docker, path: str, root: str | None = None) -> tuple[bool, str | None]:
    """Whether a file of the engine's host exists, and its text (its first HOST_FILE_CAP bytes) if it is a
    regular file. Read here when this process may and the host is this machine — beneath `root`, when the path
    must not lead out of it, with no symlink followed: a container may swap one in after the path was resolved,
    and one on the way counts as leading out (absent). Else through the engine, by a short-lived container that
    binds its folder read-only (a volume's Mountpoint under /var/lib/docker, for a user in the docker group),
    or `root` whole (a submission's workspace on another machine: a symlink in it then leads into that
    container's own files, never the host's)."""
    from pathlib import Path

    p = Path(path)
    try:
        if docker.local_files and root is not None:
            found = beneath.look(root, os.path.relpath(p, root), HOST_FILE_CAP)
            if found is None or found.kind in (beneath.SYMLINK, beneath.OUTSIDE):
                return False, None
            return True, (found.data.decode(errors="replace") if found.kind == beneath.FILE else None)
        if docker.local_files:
            if not p.exists():
                return False, None
            if not p.is_file():  # a FIFO is not opened: it would wait for a writer
                return True, None
            with p.open("rb") as f:
                return True, f.read(HOST_FILE_CAP).decode(errors="replace")
    except PermissionError:
        pass
    if not helper.present(docker):
        raise DockersimError(f"{path} is not readable here, and {HELPER_IMAGE} is not built to read it through the "
                             "engine (dockersim images build)")  # fmt: skip
    # --userns host: on an engine with user namespaces, root in a container could not see into a folder
    # another container's user owns (a database's files); this container only reads, and has no network.
    folder, name = (root, os.path.relpath(p, root)) if root else (str(p.parent), p.name)
    done = helper.helper(docker, ["--mount", f"type=bind,src={folder},dst=/host,readonly"], _READ, [name],
                         userns_host=True)  # fmt: skip
    if done.status != 0:
        if "does not exist" in done.stderr:
            return False, None  # the folder itself is missing
        raise DockersimError(f"{path} could not be read through the engine: {done.stderr.strip()[-200:]}")
    first, _, rest = done.stdout.partition("\n")
    return first.strip() == "present", rest if first.strip() == "present" else None


@dataclass
class ExecCheck:
    """`{exec: {container: myvolume_2, command: cat /root/volume}, stdout: 'hello, volume!', exit: 0}`"""

    container: str
    command: list[str]
    line: int
    stdout: str | None = None
    stderr: str | None = None
    exit: int | None = 0

    @classmethod
    def parse(cls, spec: LMap, path: str) -> ExecCheck:
        import shlex

        _only(spec, ("exec", "stdout", "stderr", "exit"), path)
        target = spec["exec"]
        if not isinstance(target, dict) or set(target) != {"container", "command"}:
            raise _fail(path, spec.lines["exec"], "exec names {container: NAME, command: COMMAND}")
        try:
            command = shlex.split(_scalar(target["command"], path, spec.lines["exec"], "exec command"))
        except ValueError as e:
            raise _fail(path, spec.lines["exec"], f"exec command cannot be split into words: {e}") from None
        if not command:
            raise _fail(path, spec.lines["exec"], "exec command is empty")
        check = cls(_scalar(target["container"], path, spec.lines["exec"], "exec container"), command, spec.line)
        for key in ("stdout", "stderr"):
            if key in spec:
                setattr(check, key, _regex_field(spec, key, path))
        if "exit" in spec:
            value = spec["exit"]
            if value != "any" and (isinstance(value, bool) or not isinstance(value, int)):
                raise _fail(path, spec.lines["exit"], "exit should be a number or any")
            check.exit = None if value == "any" else value
        return check

    def describe(self) -> str:
        return Phrase("d_exec", container=self.container)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        container = ctx.resolve(self.container)
        done = snap.docker.call(["exec", container, *(ctx.resolve(w) for w in self.command)], check=False)
        if "no such container" in done.stderr.lower() or "is not running" in done.stderr.lower():
            return [Mismatch("exec", Phrase("p_running", name=container), done.stderr.strip().splitlines()[-1])]
        out = []
        if self.exit is not None and done.status != self.exit:
            out.append(Mismatch("exit", str(self.exit), str(done.status)))
        for key, pattern, text in (("stdout", self.stdout, done.stdout), ("stderr", self.stderr, done.stderr)):
            if pattern is not None and not re.search(ctx.resolve(pattern), text, re.MULTILINE):
                last = text.strip().splitlines()[-1:]
                found = repr(last[0][:80]) if last else Phrase("w_nothing")
                out.append(Mismatch(key, Phrase("p_to_match", pattern=pattern), found))
        return out
