"""The library's own exceptions; the CLI turns each into one sentence and an exit status."""

from __future__ import annotations

from collections.abc import Sequence


class DockersimError(Exception):
    """Base of every error dockersim raises on purpose."""


class ScenarioError(DockersimError):
    """A scenario or spec file is wrong; carries file:line so the author can find the place."""

    def __init__(self, message: str, path: str = "", line: int = 0) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else (f"{self.path}: " if self.path else "")
        return f"{where}{self.message}"


class DockerError(DockersimError):
    """A docker command failed: argv, exit status and what it printed on stderr."""

    def __init__(self, argv: Sequence[str], status: int, stderr: str, stdout: str = "") -> None:
        self.argv = list(argv)
        self.status = status
        self.stderr = stderr
        self.stdout = stdout
        first = stderr.strip().splitlines()[0] if stderr.strip() else f"exit status {status}"
        super().__init__(f"`{' '.join(self.argv)}` failed: {first}")


class EngineUnavailable(DockersimError):
    """No engine answers through the docker binary (missing binary, daemon down, bad context)."""


class ParseError(DockersimError):
    """docker printed something dockersim cannot read; carries the text so it can be reported."""

    def __init__(self, what: str, text: str) -> None:
        self.what = what
        self.text = text
        shown = text if len(text) <= 200 else text[:200] + "…"
        super().__init__(f"cannot read {what}: {shown!r}")
