"""The check vocabulary shared by scenarios and grading: specs validated at load, evaluated on a Snapshot.

Each kind of check is one class in CHECK_KINDS; each returns the fields that differ, expected vs found.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from dockersim.engine.client import Docker
from dockersim.engine.snapshot import Snapshot, normal_ref
from dockersim.engine.state import STATES, ContainerState, PortBinding
from dockersim.errors import DockersimError
from dockersim.host import beneath
from dockersim.i18n.phrase import Phrase, either, localise, say
from dockersim.yamlfile.source import LMap, line_of
from dockersim.yamlfile.validation import boolean as _bool
from dockersim.yamlfile.validation import closest as _closest
from dockersim.yamlfile.validation import fail as _fail
from dockersim.yamlfile.validation import only as _only
from dockersim.yamlfile.validation import regex_field as _regex_field
from dockersim.yamlfile.validation import scalar as _scalar


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected}, found {self.found}"

    def said(self, lang: str) -> str:
        """One `field: expected …, found …` line of a failed check, in lang."""
        return say("mismatch", lang, field=self.field, expected=localise(self.expected, lang),
                   found=localise(self.found, lang))  # fmt: skip


def _word(present: bool) -> Phrase:
    return Phrase("w_present" if present else "w_absent")


def _there(what: str, present: bool) -> Phrase:
    """`/tmp/x absent`: what a check expects of a thing's presence."""
    return Phrase("p_state_of", what=what, state=_word(present))


class CheckContext(Protocol):
    """What a check needs from the run besides the snapshot."""

    def resolve(self, template: str) -> str: ...

    def image_ref(self, ref: str) -> str: ...

    def owned(self, container: ContainerState) -> bool: ...

    def host_path(self, path: str) -> str: ...

    def host_root(self) -> str | None: ...


class PlainContext:
    """Checks evaluated outside a run: nothing to resolve, every container counts, host paths as given."""

    def resolve(self, template: str) -> str:
        return template

    def image_ref(self, ref: str) -> str:
        return ref

    def owned(self, container: ContainerState) -> bool:
        return True

    def host_path(self, path: str) -> str:
        return path

    def host_root(self) -> str | None:
        return None


def _port_key(text: str) -> str:
    return text if "/" in text else f"{text}/tcp"


def _port_matches(spec: str, bindings: list[PortBinding]) -> bool:
    published = [b for b in bindings if b.published]
    if spec == "none":
        return not published
    if spec == "any":
        return bool(published)
    if spec == "exposed":
        return bool(bindings) and not published
    ip, _, port = spec.rpartition(":")
    ip = ip[1:-1] if ip.startswith("[") else ip
    return any(str(b.host_port) == port and (not ip or b.host_ip == ip) for b in published)


def _describe_ports(bindings: list[PortBinding]) -> str:
    if not bindings:
        return Phrase("w_nothing")
    if not any(b.published for b in bindings):
        return Phrase("p_exposed_only")
    return ", ".join(b.host() for b in bindings if b.published)


_MOUNT_FIELDS = ("type", "source", "destination", "name", "driver", "mode", "rw")


# -- container fields: each a row of (validate, compare), as goss's matchers are values, not branches -----


def _v_state(value: Any, path: str, line: int, key: str) -> Any:
    value = _scalar(value, path, line, key)
    if value not in (*STATES, "absent"):
        raise _fail(path, line, f"unknown state '{value}'" + _closest(value, [*STATES, "absent"]))
    return value


def _v_exit_code(value: Any, path: str, line: int, key: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, line, "exit_code should be a whole number")
    return value


def _v_ip(value: Any, path: str, line: int, key: str) -> Any:
    value = _scalar(value, path, line, key)
    if "{" not in value:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise _fail(
                path, line, f"ip should be an address or a network such as 172.17.0.0/16, not '{value}'"
            ) from None
    return value


def _v_env(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, dict):
        raise _fail(path, line, "env should be a mapping of NAME: value")
    return {str(k): _scalar(v, path, line, f"env {k}") for k, v in value.items()}


def _v_ports(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, dict):
        raise _fail(path, line, 'ports should be a mapping such as {80/tcp: "0.0.0.0:80"}')
    ports = {}
    for k, v in value.items():
        if not re.fullmatch(r"\d+(/(tcp|udp|sctp))?", str(k)):
            raise _fail(path, line, f"'{k}' is not a container port such as 80/tcp")
        specs = v if isinstance(v, list) else [v]
        for s in specs:
            s = _scalar(s, path, line, f"ports {k}")
            if s not in ("any", "none", "exposed") and "{" not in s and not re.fullmatch(r"(.*:)?\d+", s):
                raise _fail(path, line, f"ports {k}: '{s}' should be HOST_IP:PORT, PORT, any, none or exposed")
        ports[_port_key(str(k))] = [str(s) for s in specs]
    return ports


def _v_list(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, list):
        raise _fail(path, line, f"{key} should be a list")
    items = [_scalar(v, path, line, key) for v in value]
    if key == "links":
        for item in items:
            if ":" not in item:
                raise _fail(path, line, f"a link reads TARGET:ALIAS, not '{item}'")
    return items


def _v_mounts(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, list) or not all(isinstance(m, dict) for m in value):
        raise _fail(path, line, "mounts should be a list of mappings such as {type: bind, destination: /data}")
    for m in value:
        for k, v in m.items():
            if k not in _MOUNT_FIELDS:
                raise _fail(path, line_of(m, line), f"a mount has no field '{k}'" + _closest(k, list(_MOUNT_FIELDS)))
            if k == "rw" and not isinstance(v, bool):
                raise _fail(path, line_of(m, line), "a mount's rw should be true or false")
            if k != "rw":
                _scalar(v, path, line_of(m, line), f"a mount's {k}")
    return [{k: (v if k == "rw" else str(v)) for k, v in m.items()} for m in value]


Compare = Callable[[str, Any, ContainerState, "CheckContext"], list[Mismatch]]


def _c_equal(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    found = getattr(c, key)
    return [] if found == want else [Mismatch(key, str(want), str(found))]


def _c_text(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    found, expected = getattr(c, key) or "", ctx.resolve(want)
    return [] if found == expected else [Mismatch(key, repr(expected), repr(found))]


def _c_image(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    expected = ctx.image_ref(ctx.resolve(want))
    return [] if normal_ref(c.image) == normal_ref(expected) else [Mismatch("image", expected, c.image)]


def _c_ip(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    network = ctx.resolve(want)
    if not c.ip:
        return [Mismatch("ip", Phrase("p_address_in", network=network), Phrase("p_no_address"))]
    ok = ipaddress.ip_address(c.ip) in ipaddress.ip_network(network, strict=False)
    return [] if ok else [Mismatch("ip", Phrase("p_address_in", network=network), c.ip)]


def _c_env(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    out = []
    for k, v in want.items():
        found = c.env.get(k)
        if found != ctx.resolve(v):
            out.append(Mismatch(f"env {k}", repr(ctx.resolve(v)), Phrase("w_unset") if found is None else repr(found)))
    return out


def _c_ports(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    out = []
    for port, specs in want.items():
        bindings = [b for b in c.ports if b.key == port]
        for spec in specs:
            if not _port_matches(ctx.resolve(spec), bindings):
                out.append(Mismatch(f"ports {port}", ctx.resolve(spec), _describe_ports(bindings)))
    return out


def _c_members(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    found = getattr(c, key)
    missing = [ctx.resolve(item) for item in want if ctx.resolve(item) not in found]
    return [Mismatch(key, ", ".join(missing), ", ".join(found) or Phrase("w_none"))] if missing else []


def _c_mounts(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    out = []
    for spec in want:
        wanted = {k: (v if k == "rw" else ctx.resolve(v)) for k, v in spec.items()}
        if "source" in wanted and wanted.get("type", "bind") == "bind":
            wanted["source"] = ctx.host_path(wanted["source"])  # as the grader re-rooted it
        if not any(all(getattr(m, k) == v for k, v in wanted.items()) for m in c.mounts):
            shown = ", ".join(f"{k}={v}" for k, v in wanted.items())
            found = "; ".join(f"{m.type} {m.name if m.type == 'volume' else m.source} -> {m.destination}"
                              for m in c.mounts)  # fmt: skip
            out.append(Mismatch("mounts", Phrase("p_mount_with", shown=shown), found or Phrase("p_no_mounts")))
    return out


@dataclass(frozen=True)
class Field:
    validate: Callable[[Any, str, int, str], Any]
    compare: Compare


_TEXT = Field(_scalar, _c_text)
CONTAINER_FIELDS: dict[str, Field] = {
    "state": Field(_v_state, _c_equal),
    "image": Field(_scalar, _c_image),
    "command": _TEXT,
    "hostname": _TEXT,
    "health": _TEXT,
    "name": _TEXT,
    "ip": Field(_v_ip, _c_ip),
    "exit_code": Field(_v_exit_code, _c_equal),
    "env": Field(_v_env, _c_env),
    "ports": Field(_v_ports, _c_ports),
    "links": Field(_v_list, _c_members),
    "volumes_from": Field(_v_list, _c_members),
    "mounts": Field(_v_mounts, _c_mounts),
    "networks": Field(_v_list, _c_members),  # the networks it is attached to, by name
}


@dataclass
class ContainerCheck:
    """`{container: NAME, state: running, image: …, env: {…}, ports: {…}, …}`"""

    ref: str
    line: int
    fields: dict[str, Any] = field(default_factory=dict)

    FIELDS = tuple(CONTAINER_FIELDS)

    @classmethod
    def parse(cls, spec: LMap, path: str) -> ContainerCheck:
        ref = _scalar(spec["container"], path, spec.lines["container"], "container")
        check = cls(ref, spec.line)
        for key, value in spec.items():
            if key == "container":
                continue
            line = spec.lines[key]
            if key not in CONTAINER_FIELDS:
                raise _fail(path, line, f"a container check has no field '{key}'" + _closest(key, list(cls.FIELDS)))
            check.fields[key] = CONTAINER_FIELDS[key].validate(value, path, line, key)
        return check

    def describe(self) -> str:
        return Phrase("d_container", ref=self.ref)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        ref = ctx.resolve(self.ref)
        c = snap.container(ref)
        want_state = self.fields.get("state")
        if c is None:
            if want_state == "absent":
                return []
            return [Mismatch("container", Phrase("p_to_exist", ref=ref), Phrase("p_no_such_container"))]
        if want_state == "absent":
            return [Mismatch("state", Phrase("w_absent"), f"{c.state} ({c.name})")]
        return [m for key, want in self.fields.items() for m in CONTAINER_FIELDS[key].compare(key, want, c, ctx)]


@dataclass
class ImageCheck:
    """`{image: centos:8, present: true}`"""

    ref: str
    line: int
    present: bool = True

    @classmethod
    def parse(cls, spec: LMap, path: str) -> ImageCheck:
        _only(spec, ("image", "present"), path)
        return cls(_scalar(spec["image"], path, spec.lines["image"], "image"), spec.line, _bool(spec, "present", path))

    def describe(self) -> str:
        return Phrase("d_image", ref=self.ref)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        ref = ctx.image_ref(ctx.resolve(self.ref))
        found = snap.image(ref) is not None
        if found == self.present:
            return []
        return [Mismatch("image", _there(ref, self.present), _word(found))]


@dataclass
class VolumeCheck:
    """`{volume: myvolume, present: true, driver: local}`"""

    name: str
    line: int
    present: bool = True
    driver: str | None = None

    @classmethod
    def parse(cls, spec: LMap, path: str) -> VolumeCheck:
        _only(spec, ("volume", "present", "driver"), path)
        driver = spec.get("driver")
        return cls(
            _scalar(spec["volume"], path, spec.lines["volume"], "volume"),
            spec.line,
            _bool(spec, "present", path),
            None if driver is None else _scalar(driver, path, spec.lines["driver"], "driver"),
        )

    def describe(self) -> str:
        return Phrase("d_volume", name=self.name)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        name = ctx.resolve(self.name)
        v = snap.volume(name)
        if (v is not None) != self.present:
            return [Mismatch("volume", _there(name, self.present), _word(bool(v)))]
        if v is not None and self.driver is not None and v.driver != self.driver:
            return [Mismatch("driver", self.driver, v.driver)]
        return []


@dataclass
class CountCheck:
    """`{containers: {running: 1, all: 3}}`: what `docker ps` and `docker ps -a` list of this run's containers."""

    line: int
    running: int | None = None
    all: int | None = None

    @classmethod
    def parse(cls, spec: LMap, path: str) -> CountCheck:
        _only(spec, ("containers",), path)
        counts = spec["containers"]
        if not isinstance(counts, dict) or not counts:
            raise _fail(path, spec.line, "containers should be a mapping such as {running: 1, all: 3}")
        out = cls(spec.line)
        for k, v in counts.items():
            if k not in ("running", "all"):
                raise _fail(path, line_of(counts, spec.line), f"containers counts 'running' and 'all', not '{k}'")
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise _fail(path, line_of(counts, spec.line), f"containers {k} should be a whole number")
            setattr(out, k, v)
        return out

    def describe(self) -> str:
        return Phrase("d_count")

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        mine = [c for c in snap.containers if ctx.owned(c)]
        out = []
        # `docker ps` lists running, paused and restarting containers; `ps -a` all of them.
        running = sum(1 for c in mine if c.state in ("running", "paused", "restarting"))
        if self.running is not None and running != self.running:
            out.append(Mismatch("running (docker ps)", str(self.running), str(running)))
        if self.all is not None and len(mine) != self.all:
            out.append(Mismatch("all (docker ps -a)", str(self.all), str(len(mine))))
        return out


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
            port = _port_key(_scalar(target["port"], path, spec.lines["http"], "http port"))
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
            return [Mismatch("host_file", _there(p, self.exists), _word(exists))]
        if self.contains is not None and text is not None and not re.search(self.contains, text):
            return [Mismatch("contains", Phrase("p_path_to_match", path=p, pattern=self.contains), repr(text[:80]))]
        return []


HELPER_IMAGE = "dockersim/busybox:latest"  # the kit's smallest image: reads the engine's host for us
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
    if docker.call(["image", "inspect", HELPER_IMAGE], check=False).status != 0:
        raise DockersimError(f"{path} is not readable here, and {HELPER_IMAGE} is not built to read it through the "
                             "engine (dockersim images build)")  # fmt: skip
    # --userns host: on an engine with user namespaces, root in a container could not see into a folder
    # another container's user owns (a database's files); this container only reads, and has no network.
    folder, name = (root, os.path.relpath(p, root)) if root else (str(p.parent), p.name)
    done = docker.call(["run", "--rm", "--network", "none", "--userns", "host",
                        "--mount", f"type=bind,src={folder},dst=/host,readonly",
                        "--entrypoint", "sh", HELPER_IMAGE, "-c", _READ, "sh", name], check=False)  # fmt: skip
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


@dataclass
class OnEngine:
    """A check made only on the engine it `requires:` (`{container: c, requires: {engine: docker}, mounts: …}`):
    what another engine does not show, it is not asked for; the scenario says what that engine does instead."""

    check: Check
    requires: Any  # scenario.Requires

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        if self.requires.unmet(snap.docker.kind) is not None:
            return []
        return self.check.evaluate(snap, ctx)

    def describe(self) -> str:
        return self.check.describe()


Check = ContainerCheck | ImageCheck | VolumeCheck | CountCheck | HttpCheck | HostFileCheck | ExecCheck | OnEngine


def bare(check: Check) -> Check:
    """The check itself, without the engine it is bound to: what settling, prefetching and hints look at."""
    return check.check if isinstance(check, OnEngine) else check


CHECK_KINDS: dict[str, Callable[[LMap, str], Check]] = {  # in order of precedence
    "container": ContainerCheck.parse,
    "containers": CountCheck.parse,
    "volume": VolumeCheck.parse,
    "image": ImageCheck.parse,
    "http": HttpCheck.parse,
    "host_file": HostFileCheck.parse,
    "exec": ExecCheck.parse,
}


def parse_check(spec: Any, path: str, line: int) -> Check:
    """One check mapping → its check object. The kind is the first key of CHECK_KINDS present, so a
    container check may have an `image:` field."""
    if not isinstance(spec, LMap):
        raise _fail(path, line, "a check should be a mapping such as {container: NAME, state: running}")
    kind = next((k for k in CHECK_KINDS if k in spec), None)
    if kind is None:
        keys = ", ".join(CHECK_KINDS)
        raise _fail(path, spec.line, f"this check names no kind of check: it needs one of {keys}")
    if "requires" in spec:
        from dockersim.spec.scenario import requirement  # the same `requires:` a step has

        rest = LMap({k: v for k, v in spec.items() if k != "requires"})
        rest.line, rest.lines = spec.line, spec.lines
        return OnEngine(CHECK_KINDS[kind](rest, path), requirement(spec["requires"], path, spec.lines["requires"]))
    return CHECK_KINDS[kind](spec, path)
