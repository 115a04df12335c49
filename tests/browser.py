"""Headless Chromium (Debian's package) driven over its DevTools protocol: open a page, evaluate JavaScript,
and collect every console error and uncaught exception the page raised. For the report.html tests."""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import websocket

DEADLINE = 60.0


class Browser:
    def __init__(self) -> None:
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        assert binary, "the report tests need chromium (apt-get install chromium)"
        self.profile = tempfile.mkdtemp(prefix="dockersim-chromium-")
        # As root Chromium needs --no-sandbox; the page is our own file, and nothing else is opened.
        self.proc = subprocess.Popen([binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                                      "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
                                      "--no-first-run", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "HOME": self.profile})  # its ~/.pki out of /root  # fmt: skip
        port = self._port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=DEADLINE) as answer:
            [page] = [t for t in json.load(answer) if t["type"] == "page"]
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=DEADLINE, suppress_origin=True)
        self.events: list[dict[str, Any]] = []
        self._next = 0
        for domain in ("Runtime", "Log", "Page"):
            self.call(f"{domain}.enable")

    def _port(self) -> int:
        """The port Chromium chose, from the line it prints once it listens."""
        assert self.proc.stderr is not None
        deadline, seen = time.monotonic() + DEADLINE, ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stderr], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            line = self.proc.stderr.readline()
            if not line:
                break
            seen += line
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                return int(found[1])
        raise AssertionError(f"chromium did not start: {seen[-2000:]}")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._next += 1
        ident = self._next
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                assert "error" not in message, message
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        """The next event of this kind (each wait bounded by the socket's timeout)."""
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return dict(self.events.pop(i))
            self.events.append(json.loads(self.ws.recv()))

    def open(self, path: Path) -> None:
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The expression's value; a promise is waited for (it should carry its own deadline)."""
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions the page has raised so far."""
        self.evaluate("0")  # the events sent before now have arrived
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(json.dumps(params["exceptionDetails"])[:500])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(json.dumps(params.get("args"))[:500])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append(params["entry"].get("text", "")[:500])
        return out

    def close(self) -> None:
        self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


os.environ.setdefault("NO_AT_BRIDGE", "1")  # Chromium asks no accessibility bus for a headless page
