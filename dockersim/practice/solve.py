"""What `solve` does after typing a tty step's command: each expect waited for on what the command shows (to
its timeout), then each send or key written into the learner's terminal, as a person would."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from dockersim.engine.terminal import key_bytes, on_screen
from dockersim.errors import DockersimError
from dockersim.scenario.model import Act, TtyAction


@dataclass
class Script:
    """A tty step's actions, carried out once the command solve typed has started."""

    actions: list[TtyAction]
    # A template to text (or a regex); raises while a container it names is not there.
    resolve: Callable[[str, bool], str]
    started: bool = False
    at: int = 0  # where in the screen's text the next expect looks
    pattern: re.Pattern[str] | None = None  # the current expect, resolved
    deadline: float = 0.0
    # Whether the command passes what is typed on to its container: if not (`docker run -t` without -i), what
    # the script types is echoed, then dropped before the shell could read it as a command (Watch).
    reads_input: bool = True

    def start(self) -> None:
        self.started = True
        self._next_deadline()

    @property
    def over(self) -> bool:
        return not self.actions

    def advance(self, screen: Callable[[], str], send: Callable[[bytes], None]) -> str | None:
        """Do what the screen allows now: an expect found lets the actions after it go. When an expect's
        deadline passes without it, the script ends (the learner takes over) and its text is returned."""
        while self.started and self.actions:
            action = self.actions[0]
            if action.kind == Act.EXPECT:
                if self.pattern is None:
                    # Resolved once: a container it names not there yet is looked up again at the next output.
                    with contextlib.suppress(DockersimError):
                        self.pattern = re.compile(on_screen(self.resolve(action.text, True)), re.MULTILINE)
                found = self.pattern.search(screen(), self.at) if self.pattern else None
                if found is None:
                    if time.monotonic() < self.deadline:
                        return None
                    self.actions = []
                    return action.text
                self.at = found.end()
            elif action.kind == Act.SEND:
                send((self.resolve(action.text, False) + "\r").encode())
            elif action.kind == Act.KEYS:
                send("".join(key_bytes(k) for k in action.keys).encode())
            self.actions.pop(0)
            self.pattern = None
            self._next_deadline()
        return None

    def _next_deadline(self) -> None:
        if self.actions:
            self.deadline = time.monotonic() + self.actions[0].timeout
