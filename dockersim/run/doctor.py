"""`dockersim doctor`: whether a tutorial run would work here, and what to do where it would not.

Each finding is one line: what was looked at, what was found, and — for a problem — one sentence on how
to fix it. Everything is asked of the docker client and the engine it resolves; nothing is changed but a
throwaway container, when a kit image is there to probe published ports with.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from dataclasses import asdict, dataclass, field

from dockersim.engine.client import Docker
from dockersim.engine.parse.ports import parse_port_output
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.errors import DockersimError
from dockersim.kit import stand_ins as kit
from dockersim.ownership.labels import LABEL_KEY, OWNER_KEY, owner_id


@dataclass
class Finding:
    topic: str
    found: str
    ok: bool = True
    fix: str = ""  # one sentence, for a problem
    blocking: bool = True  # a problem that stops a tutorial run (others only limit it)


@dataclass
class Diagnosis:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok or not f.blocking for f in self.findings)

    def add(self, topic: str, found: str, fix: str = "", blocking: bool = True) -> None:
        self.findings.append(Finding(topic, found, not fix, fix, blocking))

    def to_json(self) -> str:
        return json.dumps({"ok": self.ok, "findings": [asdict(f) for f in self.findings]}, indent=2)

    def text(self) -> str:
        lines = []
        for f in self.findings:
            mark = "ok  " if f.ok else ("FAIL" if f.blocking else "note")
            lines.append(f"{mark}  {f.topic}: {f.found}" + (f"\n      fix: {f.fix}" if f.fix else ""))
        lines.append("\n" + ("a tutorial run would work here" if self.ok else "a tutorial run would not work yet"))
        return "\n".join(lines)


def _engine_kind(info: dict[str, object], components: str, endpoint: str) -> str:
    options = info.get("SecurityOptions")
    security = " ".join(str(s) for s in options) if isinstance(options, list) else ""
    system = str(info.get("OperatingSystem", ""))
    if "podman" in components.lower():
        return "podman"
    if "Docker Desktop" in system:
        return "Docker Desktop"
    if endpoint.startswith(("tcp://", "ssh://")):
        return f"remote ({endpoint.split('://', 1)[0]})"
    if "rootless" in security:
        return "rootless docker"
    return "rootful docker"


def diagnose(docker_bin: str = "docker", context: str | None = None) -> Diagnosis:
    d = Diagnosis()
    clients = [f"{name} at {path}" for name in ("docker", "podman") if (path := shutil.which(name))]
    try:
        docker = Docker(docker_bin, context)
    except DockersimError as e:
        d.add("client", str(e), "install a docker client (Debian: apt-get install docker.io) or pass --docker PATH")
        return d
    d.add("clients", ", ".join(clients) or docker.binary)
    context_name = context or os.environ.get("DOCKER_CONTEXT") or _out(docker, ["context", "show"]) or "default"
    endpoint = os.environ.get("DOCKER_HOST") or _out(
        docker, ["context", "inspect", context_name, "--format", "{{.Endpoints.docker.Host}}"]
    )
    d.add("engine resolved", f"context {context_name}, endpoint {endpoint or 'unknown'}")
    try:
        server = docker.server_version()
    except DockersimError as e:
        denied = "permission denied" in str(e).lower()
        fix = ("add yourself to the docker group (sudo usermod -aG docker $USER), then log in again" if denied
               else "start the engine (sudo systemctl start docker), or name another with --context")  # fmt: skip
        d.add("engine", str(e), fix)
        return d
    info = _json(docker, ["info", "--format", "{{json .}}"])
    components = _out(docker, ["version", "--format", "{{json .Server.Components}}"])
    kind = _engine_kind(info, components, endpoint)
    d.add("engine", f"{kind} {server}, client {docker.client_version()}, reachable as {_user()}")
    missing = [r.tag for r in kit.RECIPES.values() if not kit.present(docker, r.tag)]
    if missing:
        how = ("as root, dockersim images build makes them from Debian's archive (about 2 minutes)"
               if os.geteuid() == 0 else "ask someone with root to run sudo dockersim images build once")  # fmt: skip
        d.add("offline kit", f"missing {', '.join(missing)}", how, blocking=False)
    else:
        d.add("offline kit", f"all {len(kit.RECIPES)} stand-ins built")
    _ports(d, docker, kind)
    try:
        Sandbox().check_can_run()
        d.add("sandbox engine", "possible here (root, Linux, dockerd, ip, nsenter, iptables)")
    except DockersimError as e:
        d.add("sandbox engine", str(e), "run as root for --sandbox and grading; the tutorial runs without it",
              blocking=False)  # fmt: skip
    return d


def _ports(d: Diagnosis, docker: Docker, kind: str) -> None:
    """Publish a port from a throwaway busybox httpd and connect where the checks will look (127.0.0.1)."""
    if not kit.present(docker, "dockersim/busybox:latest"):
        d.add("published ports", "not probed: the kit's busybox image is not built", blocking=False)
        return
    labels = [f"--label={LABEL_KEY}=doctor-{os.getpid()}", f"--label={OWNER_KEY}={owner_id()}"]  # clean finds it
    started = docker.call(["run", "-d", "--rm", *labels, "-p", "127.0.0.1::8080", "dockersim/busybox:latest",
                           "httpd", "-f", "-p", "8080"], check=False)  # fmt: skip
    ident = started.stdout.strip()
    if started.status != 0 or not ident:
        d.add("published ports", f"a test container did not start: {started.stderr.strip()[-200:]}", blocking=False)
        return
    try:
        [binding, *_] = parse_port_output(_out(docker, ["port", ident, "8080/tcp"]), "8080/tcp")
        with socket.create_connection(("127.0.0.1", binding.host_port or 0), timeout=5):
            d.add("published ports", f"answer on 127.0.0.1 ({kind})")
    except (OSError, ValueError, DockersimError) as e:
        d.add("published ports", f"127.0.0.1 does not answer ({e})",
              "with a remote engine, checks of published ports need its host's address", blocking=False)  # fmt: skip
    finally:
        docker.call([*docker.force_remove(), ident], check=False)


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
    return name + (" in the docker group" if in_group else "")
