"""An engine behind a socket of the test's: a forwarder the test can cut (test_pool's failing engine), or one
that writes down every API request sent through it (EngineLog).

A grading test points the grader's client at an EngineLog of the machine's engine (DOCKER_HOST) and then
holds grading to reading that engine only: every request a GET or a HEAD. Unlike comparing the engine's
objects before and after, this holds while other tests use the engine at the same time (scripts/test runs two
lanes at once), and it also sees an object made and removed again within the run."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from pathlib import Path
from types import TracebackType

ENGINE_SOCKET = "/var/run/docker.sock"
# A request line after the end of the last request's head (an empty line; one is put before the first).
REQUEST = re.compile(rb"\r\n\r\n([A-Z]+) (/\S*) HTTP/1\.[01]\r\n")
WINDOW = 16384  # what is kept of a stream's end: a request line split over two reads is found whole


class Forwarder:
    """What connects to `listener` is connected to the unix socket `target`, until closed: close() cuts
    every connection still open too."""

    def __init__(self, listener: socket.socket, target: str, record: bool = False) -> None:
        self.listener = listener
        self.target = target
        self.port = int(listener.getsockname()[1]) if listener.family == socket.AF_INET else 0  # a tcp one's
        self.requests: list[tuple[str, str]] = []  # with `record`: each request's method and path, in order
        self._record = record
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @classmethod
    def tcp(cls, target: str) -> Forwarder:
        """On a port of 127.0.0.1's (`.port`): a tcp endpoint for an engine."""
        return cls(socket.create_server(("127.0.0.1", 0)), target)

    def close(self) -> None:
        with contextlib.suppress(OSError):  # wakes the accepting thread, which ends (close alone would not)
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self._lock:
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            engine = socket.socket(socket.AF_UNIX)
            engine.connect(self.target)
            with self._lock:
                self._open += [client, engine]
            threading.Thread(target=self._pump, args=(client, engine, self._record), daemon=True).start()
            threading.Thread(target=self._pump, args=(engine, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, record: bool) -> None:
        kept = b"\r\n\r\n"  # the end of what came before
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if record:  # each request line counted once: in the read where it ends
                    seen = kept + data
                    found = [(m[1].decode(), m[2].decode()) for m in REQUEST.finditer(seen) if m.end() > len(kept)]
                    with self._lock:
                        self.requests += found
                    kept = seen[-WINDOW:]
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


class EngineLog(Forwarder):
    """`with EngineLog(folder) as log:` serves the machine's engine at `log.docker_host` until the block
    ends, and `log.requests` holds what was asked of it."""

    def __init__(self, folder: Path, engine: str = ENGINE_SOCKET) -> None:
        self.path = folder / "engine-log.sock"
        self.docker_host = f"unix://{self.path}"
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(self.path))
        listener.listen(64)
        super().__init__(listener, engine, record=True)

    def __enter__(self) -> EngineLog:
        return self

    def __exit__(self, kind: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    def writes(self) -> list[tuple[str, str]]:
        """The requests that could change something on the engine."""
        with self._lock:
            return [(method, path) for method, path in self.requests if method not in ("GET", "HEAD")]
