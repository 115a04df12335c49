"""doctor tries before it says yes (run/doctor.py), on an engine stand-in: a container started for real and a
published port connected to; a failure quoted in the engine's own words with its fix (podman's setrlimit:
the default_ulimits drop-in); the engine named by what it is; what could not be tried a note, never ok; all
of it in the reader's language."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from dockersim.engine.process import Completed
from dockersim.errors import DockersimError
from dockersim.run import doctor

SETRLIMIT = (
    "Error: runc: runc create failed: unable to start container process: error during container init: error "
    "setting rlimits for ready process: error setting rlimit type 7: operation not permitted: OCI permission denied"
)


class Quiet(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def listening(http: bool = True) -> Iterator[int]:
    """A port on 127.0.0.1: a web server, or a proxy that accepts and closes (docker-proxy, nothing behind it)."""
    if http:
        server = HTTPServer(("127.0.0.1", 0), Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()
            server.server_close()
        return
    sock = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.05)
        while not stop.is_set():
            try:
                sock.accept()[0].close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        sock.close()


class Engine:
    """What doctor asks of a client, answered as a podman (or a docker) engine would."""

    def __init__(self, kind: str = "podman", start: str = "", images: tuple[str, ...] = ("dockersim/busybox:latest",),
                 port: int = 0) -> None:  # fmt: skip
        self.kind, self.start, self.images, self.port = kind, start, images, port
        self.binary = f"/usr/bin/{kind}"
        self.calls: list[list[str]] = []

    def server_version(self) -> str:
        return "4.3.1" if self.kind == "podman" else "20.10.24+dfsg1"

    def client_version(self) -> str:
        return "4.3.1" if self.kind == "podman" else "28.2.2"

    def force_remove(self) -> list[str]:
        return ["rm", "-f", "-v"]

    def call(self, args: list[str], timeout: float = 60, check: bool = True) -> Completed:
        self.calls.append(list(args))
        out, status, err = "", 0, ""
        if args[:2] == ["image", "ls"]:  # as `--format {{.Repository}}:{{.Tag}}\t{{.ID}}` prints them
            out = "".join(f"{image}\tsha256:{i:064x}\n" for i, image in enumerate(self.images))
        elif args[0] == "info" and self.kind == "podman":
            out = "false\n"
        elif args[0] == "info":
            out = json.dumps({"SecurityOptions": ["name=seccomp,profile=default"], "OperatingSystem": "Debian"})
        elif args[:2] == ["context", "show"]:
            out = "default\n"
        elif args[:2] == ["context", "inspect"]:
            out = "unix:///var/run/docker.sock\n"
        elif args[0] == "run":
            status, err = (126, self.start) if self.start else (0, "")
            out = "" if self.start or "-d" not in args else "f00d" * 16 + "\n"
        elif args[0] == "port":
            out = f"127.0.0.1:{self.port}\n"
        return Completed(args, status, out, err, 0.0)


class Owned:
    labels = ["dockersim.run=doctor", "dockersim.owner=h/b/1/2"]

    def __init__(self, docker: Engine) -> None:
        self.closed = False

    def remove(self) -> list[str]:
        return []

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    made = Engine()
    monkeypatch.setattr(doctor, "Docker", lambda binary, context=None: made)
    monkeypatch.setattr(doctor, "Ownership", Owned)
    monkeypatch.setattr(doctor, "PORT_WAIT", 1.0)
    yield made


def findings(d: doctor.Diagnosis) -> dict[str, doctor.Finding]:
    return {f.topic: f for f in d.findings}


def test_a_podman_that_cannot_start_a_container_is_a_failure_in_its_own_words_with_the_drop_in(engine: Engine) -> None:
    engine.start = SETRLIMIT
    d = doctor.diagnose("podman")
    found = findings(d)
    assert not d.ok
    start = found["container start"]
    assert not start.ok and start.blocking and "error setting rlimit type 7: operation not permitted" in start.found
    assert "default_ulimits = [" in start.fix and "containers.conf.d/dockersim.conf" in start.fix
    assert "scripts/ensure-podman" in start.fix
    ports = found["published ports"]
    assert not ports.ok and not ports.tried and not ports.blocking  # a note, never ok
    assert d.text().endswith("\na tutorial run would not work yet")
    said = d.text("ko")
    assert "FAIL  컨테이너 시작:" in said and "해결: podman 이 컨테이너에 주는 기본 제한값이" in said
    assert said.endswith("아직 여기서는 튜토리얼을 실행할 수 없습니다")
    run = next(c for c in engine.calls if c[0] == "run")
    assert "--rm" in run and "--label" in run and Owned.labels[0] in run  # the run's labels: its reaper's


def test_a_podman_that_can_is_named_by_what_it_is_and_its_port_answers(engine: Engine) -> None:
    with listening() as port:
        engine.port = port
        d = doctor.diagnose("podman")
    found = findings(d)
    assert d.ok and d.tried_all, d.text()
    assert found["engine"].found.startswith("podman 4.3.1, rootful, client 4.3.1")
    assert found["container start"].ok and found["published ports"].ok
    assert f"127.0.0.1:{port} answered" in found["published ports"].found
    assert d.text().endswith("\na tutorial run would work here")
    data = json.loads(d.to_json("ko"))
    assert data["ok"] and data["tried_all"]
    engine_row = next(f for f in data["findings"] if f["topic"] == "engine")
    assert engine_row["said"] == "엔진" and engine_row["found"].startswith("podman 4.3.1, rootful (root 로 실행)")


def test_docker_is_named_by_its_engine_s_version(engine: Engine) -> None:
    engine.kind = "docker"
    with listening() as port:
        engine.port = port
        d = doctor.diagnose("docker")
    assert findings(d)["engine"].found.startswith("docker 20.10.24+dfsg1, rootful, client 28.2.2")


def test_a_port_that_accepts_and_closes_is_not_an_answer(engine: Engine) -> None:
    with listening(http=False) as port:
        engine.port = port
        d = doctor.diagnose("podman")
    ports = findings(d)["published ports"]
    assert not ports.ok and ports.blocking and "without an HTTP answer" in ports.found
    assert not d.ok


def test_with_no_image_to_start_nothing_is_said_to_work(engine: Engine) -> None:
    engine.images = ()
    d = doctor.diagnose("podman")
    found = findings(d)
    assert not found["container start"].ok and not found["container start"].tried
    assert "dockersim images build busybox" in found["container start"].fix
    assert d.ok and not d.tried_all  # nothing stops a run, but doctor does not say yes
    assert d.text().endswith("\nnothing found here stops a tutorial run, but not everything could be tried "
                             "(the notes above)")  # fmt: skip
    assert "note  container start: not tried" in d.text()


def test_waiting_for_an_answer_has_a_deadline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: refused
        with pytest.raises(DockersimError):
            doctor._http_answers("127.0.0.1", port, 0.2)
