"""`dockersim doctor`: whether a tutorial run would work here, found by trying, and what to do where it would not.

Each finding is one line: what was looked at or tried, what was found, and — for a problem — one sentence on
how to fix it, in the reader's language (i18n/doctor.py). Before it says yes it starts a container for real
and connects to a port it publishes on 127.0.0.1; where that fails it quotes the engine's own words. The
probes' containers carry a run's labels, so that the run's reaper removes them if doctor is killed.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.engine.parse.ports import parse_port_output
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.errors import DockersimError
from dockersim.i18n.phrase import Phrase, localise, said, say
from dockersim.kit import stand_ins as kit
from dockersim.ownership.run import Ownership

PROBE_IMAGE = "dockersim/busybox:latest"  # its httpd answers the ports probe
PORT_WAIT = 10.0  # seconds the probe's web server has to answer
# Topics, as JSON names them, and how each is said.
TOPICS = {"clients": "dr_t_clients", "engine resolved": "dr_t_resolved", "engine": "dr_t_engine",
          "container start": "dr_t_start", "published ports": "dr_t_ports", "offline kit": "dr_t_kit",
          "sandbox engine": "dr_t_sandbox"}  # fmt: skip
# What the engine's words say went wrong when a container would not start, and the fix: a row each, for one
# engine or for any ("").
START_FIXES = {
    ("podman", r"setrlimit|setting\srlimit"): "dr_fix_ulimits_podman",
    ("docker", r"setrlimit|setting\srlimit"): "dr_fix_ulimits_docker",
    ("", r"no\sspace\sleft"): "dr_fix_disk",
    ("", r"."): "dr_fix_start",
}


@dataclass
class Finding:
    topic: str  # one of TOPICS
    found: str
    ok: bool = True
    fix: str = ""  # one sentence, for a problem
    blocking: bool = True  # a problem that stops a tutorial run (others only limit it)
    tried: bool = True  # False: what it is about could not be tried here (a note, never ok)


@dataclass
class Diagnosis:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok or not f.blocking for f in self.findings)

    @property
    def tried_all(self) -> bool:
        return all(f.tried for f in self.findings)

    def add(self, topic: str, found: str, fix: str = "", blocking: bool = True) -> None:
        self.findings.append(Finding(topic, found, not fix, fix, blocking))

    def untried(self, topic: str, found: str, fix: str = "") -> None:
        self.findings.append(Finding(topic, found, False, fix, blocking=False, tried=False))

    def to_json(self, lang: str = "en") -> str:
        findings = [{"topic": f.topic, "said": say(TOPICS[f.topic], lang), "found": localise(f.found, lang),
                     "ok": f.ok, "fix": localise(f.fix, lang), "blocking": f.blocking, "tried": f.tried}
                    for f in self.findings]  # fmt: skip
        return json.dumps({"ok": self.ok, "tried_all": self.tried_all, "findings": findings}, indent=2,
                          ensure_ascii=False)  # fmt: skip

    def text(self, lang: str = "en") -> str:
        lines = []
        for f in self.findings:
            mark = "ok  " if f.ok else ("FAIL" if f.blocking else "note")
            fix = "\n      " + say("dr_fix", lang, fix=localise(f.fix, lang)) if f.fix else ""
            lines.append(f"{mark}  {say(TOPICS[f.topic], lang)}: {localise(f.found, lang)}{fix}")
        verdict = "dr_would_not" if not self.ok else "dr_would_work" if self.tried_all else "dr_not_all_tried"
        return "\n".join([*lines, "", say(verdict, lang)])


def diagnose(docker_bin: str = "docker", context: str | None = None) -> Diagnosis:
    d = Diagnosis()
    clients = [Phrase("dr_client_at", name=name, path=path) for name in ("docker", "podman")
               if (path := shutil.which(name))]  # fmt: skip
    try:
        docker = Docker(docker_bin, context)
    except DockersimError as e:
        d.add("clients", said(e), Phrase("dr_fix_client"))
        return d
    listed: str = clients[0] if clients else docker.binary
    for client in clients[1:]:
        listed = Phrase("dr_and", a=listed, b=client)
    d.add("clients", listed)
    endpoint = _resolved(d, docker, context)
    try:
        server = docker.server_version()
    except DockersimError as e:
        denied = "permission denied" in str(e).lower()
        d.add("engine", said(e), Phrase("dr_fix_group" if denied else "dr_fix_engine"))
        return d
    kind = _engine_kind(docker, server, endpoint)
    d.add("engine", Phrase("dr_engine", kind=kind, client=docker.client_version(), user=_user()))
    _try_containers(d, docker, kind, remote=endpoint.startswith(("tcp://", "ssh://")))
    have = set(kit.present(docker, kit.RECIPES))
    missing = [tag for tag in kit.RECIPES if tag not in have]
    if missing:
        how = Phrase("dr_fix_kit_root" if os.geteuid() == 0 else "dr_fix_kit_ask")
        d.add("offline kit", Phrase("dr_kit_missing", tags=", ".join(missing)), how, blocking=False)
    else:
        d.add("offline kit", Phrase("dr_kit_ok", n=len(kit.RECIPES)))
    try:
        Sandbox().check_can_run()
        d.add("sandbox engine", Phrase("dr_sandbox_ok"))
    except DockersimError as e:
        d.add("sandbox engine", said(e), Phrase("dr_fix_sandbox"), blocking=False)
    return d


def _resolved(d: Diagnosis, docker: Docker, context: str | None) -> str:
    """Where the client's commands go: the context and its endpoint (podman has neither: it is its engine)."""
    if docker.kind == "podman":
        d.add("engine resolved", Phrase("dr_resolved_podman"))
        return ""
    name = context or os.environ.get("DOCKER_CONTEXT") or _out(docker, ["context", "show"]) or "default"
    endpoint = os.environ.get("DOCKER_HOST") or _out(
        docker, ["context", "inspect", name, "--format", "{{.Endpoints.docker.Host}}"]
    )
    d.add("engine resolved", Phrase("dr_resolved", context=name, endpoint=endpoint or Phrase("dr_unknown")))
    return endpoint


def _engine_kind(docker: Docker, server: str, endpoint: str) -> str:
    """The engine by what it is: `podman 4.3.1, rootful`, `docker 28.2.2, rootless`, Docker Desktop, remote."""
    engine = docker.kind
    if engine == "podman":
        rootless = _out(docker, ["info", "--format", "{{.Host.Security.Rootless}}"]).lower() == "true"
        return Phrase("dr_kind_rootless" if rootless else "dr_kind_rootful", engine=engine, version=server)
    info = _json(docker, ["info", "--format", "{{json .}}"])
    options = info.get("SecurityOptions")
    security = " ".join(str(s) for s in options) if isinstance(options, list) else ""
    if "Docker Desktop" in str(info.get("OperatingSystem", "")):
        return Phrase("dr_kind_desktop", version=server)
    if endpoint.startswith(("tcp://", "ssh://")):
        return Phrase("dr_kind_remote", engine=engine, version=server, scheme=endpoint.split("://", 1)[0])
    key = "dr_kind_rootless" if "rootless" in security else "dr_kind_rootful"
    return Phrase(key, engine=engine, version=server)


# -- trying it -------------------------------------------------------------------------------------------


def _try_containers(d: Diagnosis, docker: Docker, kind: str, remote: bool) -> None:
    """A container started for real, then a port published on 127.0.0.1 and connected to."""
    image = _probe_image(docker)
    if image is None:
        d.untried("container start", Phrase("dr_start_untried"), Phrase("dr_fix_busybox"))
        d.untried("published ports", Phrase("dr_ports_untried"), Phrase("dr_fix_busybox"))
        return
    with _owned(docker) as labels:
        started = docker.call(["run", "--rm", *labels, "--entrypoint", "sh", image, "-c", "exit 0"], check=False)
        if started.status != 0:
            words = _engine_words(started.stderr or started.stdout)
            d.add("container start", Phrase("dr_start_failed", image=image, said=words), _start_fix(docker, words))
            d.untried("published ports", Phrase("dr_ports_no_start"))
            return
        d.add("container start", Phrase("dr_start_ok", image=image))
        if image != PROBE_IMAGE:
            d.untried("published ports", Phrase("dr_ports_untried"), Phrase("dr_fix_busybox"))
            return
        _ports(d, docker, labels, kind, remote)


def _ports(d: Diagnosis, docker: Docker, labels: list[str], kind: str, remote: bool) -> None:
    """The kit's busybox serving HTTP on a port published on 127.0.0.1, asked where the checks will ask."""
    fix = Phrase("dr_fix_ports_remote" if remote else "dr_fix_ports_local")
    started = docker.call(["run", "-d", "--rm", *labels, "-p", "127.0.0.1::8080", PROBE_IMAGE, "httpd", "-f", "-p",
                           "8080"], check=False)  # fmt: skip
    ident = started.stdout.strip()
    if started.status != 0 or not ident:
        words = _engine_words(started.stderr or started.stdout)
        d.add("published ports", Phrase("dr_ports_not_started", said=words), fix, blocking=not remote)
        return
    port = 0
    try:
        [binding, *_] = parse_port_output(_out(docker, ["port", ident, "8080/tcp"]), "8080/tcp")
        port = binding.host_port or 0
        _http_answers("127.0.0.1", port, PORT_WAIT)
        d.add("published ports", Phrase("dr_ports_ok", port=port, engine=kind))
    except (ValueError, DockersimError) as e:
        words = said(e) if isinstance(e, DockersimError) else str(e) or type(e).__name__
        d.add("published ports", Phrase("dr_ports_failed", port=port, said=words), fix, blocking=not remote)
    finally:
        docker.call([*docker.force_remove(), ident], check=False)


def _http_answers(host: str, port: int, timeout: float) -> None:
    """An HTTP answer from host:port (a proxy that accepts and closes is not one), polled to a deadline while
    the server starts; DockersimError with the last error if none came."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic())) as s:
                try:
                    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
                    if s.recv(16).startswith(b"HTTP/"):
                        return
                except ConnectionError:  # accepted, then reset before any answer: as closed, to the learner
                    pass
                last: str = Phrase("dr_no_http")
        except OSError as e:
            last = e.strerror or str(e) or type(e).__name__
        if time.monotonic() >= deadline:
            raise DockersimError(last)
        time.sleep(0.05)  # poll: the container's web server starting, to the deadline


def _probe_image(docker: Docker) -> str | None:
    """The kit's busybox, else another of its stand-ins (each has sh), else none."""
    tags = [PROBE_IMAGE, *(r.tag for r in kit.RECIPES.values())]
    return next(iter(kit.present(docker, tags)), None)


@contextmanager
def _owned(docker: Docker) -> Iterator[list[str]]:
    """The labels of a run of doctor's own: what carries them is removed at the end, or by the run's reaper
    if doctor is killed meanwhile."""
    ownership = Ownership(docker)
    try:
        yield [word for label in ownership.labels for word in ("--label", label)]
    finally:
        try:
            ownership.remove()
        finally:
            ownership.close()


def _engine_words(text: str) -> str:
    """What the engine said, its last lines that say something (bounded)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    words = " ".join(lines[-2:])
    return words if len(words) <= 400 else "…" + words[-399:]


def _start_fix(docker: Docker, words: str) -> str:
    row = next(r for r in START_FIXES if r[0] in ("", docker.kind) and re.search(r[1], words, re.IGNORECASE))
    files, procs = _hard_limits()
    content = f'[containers] default_ulimits = ["nofile={files}:{files}", "nproc={procs}:{procs}"]'
    return Phrase(START_FIXES[row], path=_drop_in(), content=content, limits=f"nofile {files}, nproc {procs}")


def _hard_limits() -> tuple[int, int]:
    """The open files and processes this machine lets a container have: its hard limits, as
    scripts/ensure-podman reads them (processes at most 32768)."""
    files = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    procs = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    files = 1048576 if files == resource.RLIM_INFINITY else files
    procs = 32768 if procs == resource.RLIM_INFINITY else min(procs, 32768)
    return files, procs


def _drop_in() -> str:
    """Where podman reads a drop-in of its configuration: the system's as root, the user's own otherwise."""
    if os.geteuid() == 0:
        return "/etc/containers/containers.conf.d/dockersim.conf"
    return str(Path.home() / ".config" / "containers" / "containers.conf.d" / "dockersim.conf")


def _out(docker: Docker, args: list[str]) -> str:
    done = docker.call(args, check=False)
    return done.stdout.strip() if done.status == 0 else ""


def _json(docker: Docker, args: list[str]) -> dict[str, object]:
    try:
        data = json.loads(_out(docker, args) or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _user() -> str:
    import grp
    import pwd

    if os.geteuid() == 0:
        return "root"
    name = pwd.getpwuid(os.geteuid()).pw_name
    in_group = any(grp.getgrgid(g).gr_name == "docker" for g in os.getgroups())
    return Phrase("dr_user_group", name=name) if in_group else name
