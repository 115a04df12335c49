"""A tty step: the client under a pty, and the step's actions done in turn — expect, send, keys, aside,
hangup, eof — each by its handler in one table; a detach judged by asking the container."""

from __future__ import annotations

import re
import shlex
import time
from collections.abc import Callable

from dockersim.dockercli import commandline
from dockersim.engine.process import hold_signals, release_signals
from dockersim.engine.session import Session, SessionError
from dockersim.i18n.phrase import Phrase, localise, say
from dockersim.ownership.labels import LABEL_KEY
from dockersim.run.base import Attempt, StepFailed
from dockersim.run.commands import Commands
from dockersim.scenario import placeholders
from dockersim.scenario.model import Act, Step, TtyAction

ASIDE_AGAIN = 1.0  # seconds an aside's `until` is waited for before the command runs again


class Tty(Commands):
    """Pty sessions, for the run's tty steps."""

    def _session(self, step: Step, deadline: float, result: Attempt) -> tuple[int, str, str]:
        argv = self._argv(step, deadline, tty=True)
        witness = self.docker.witness
        if witness is None:
            return self._session_of(argv, step, deadline, result)
        with witness.acting(argv):  # what the engine reports while the session is open may be its doing
            return self._session_of(argv, step, deadline, result)

    def _session_of(self, argv: list[str], step: Step, deadline: float, result: Attempt) -> tuple[int, str, str]:
        held = hold_signals()
        try:
            session = Session(argv, env=self.docker.env)
        except BaseException:
            release_signals(held)
            raise
        lang = self.options.lang

        def mark(key: str, **values: object) -> None:  # a marker in the recording, where the action ended
            result.marks.append((time.monotonic() - session.started, say(key, lang, **values)))

        try:
            release_signals(held)
            for action in step.tty or []:
                left = deadline - time.monotonic()
                self._act(action.kind, session, action, max(0.0, min(action.timeout, left)), mark)
            status = session.close(timeout=max(0.0, deadline - time.monotonic()))
            mark("mark_ended", status=status)
        except SessionError as e:
            session.kill()
            raise StepFailed(localise(e.phrase, self.options.lang), e.screen) from None
        except BaseException:
            session.kill()
            raise
        finally:
            result.frames = session.frames
        result.screen = session.screen()
        if step.ends_with_detach() and self.docker.detached(status, session.text):
            status = self._detached(argv, result.screen)
        # Under a pty stdout and stderr are one stream: both regexes look at the screen.
        return status, session.text, session.text

    def _act(self, kind: Act, session: Session, action: TtyAction, timeout: float, mark: Mark) -> None:
        """One action of a tty step, by its handler, and its marker in the recording where it ended."""
        ACTS[kind](self, session, action, timeout)
        key, values = MARKS[kind]
        mark(key, **values(action))

    def _aside(self, session: Session, action: TtyAction, timeout: float) -> None:
        """A docker command run beside the session, as from a second terminal; with `until`, run again until
        the regex shows on the session's screen (a client may not be listening yet the first time)."""
        deadline = time.monotonic() + timeout
        start = session.pos
        while True:
            words = [self.resolve(w) for w in shlex.split(action.text)]
            argv = self.docker.argv(commandline.with_label(words, self.ownership.labels)[1:])
            done = self.docker.run_argv(argv, timeout=max(1.0, deadline - time.monotonic()))
            last = (done.stderr.strip().splitlines() or [""])[-1]
            if action.until is None:
                if done.status != 0:  # without `until`, the command itself is what the step needs
                    raise SessionError(Phrase("aside_failed", command=action.text, status=done.status, said=last),
                                       session.screen())  # fmt: skip
                return
            pattern = re.compile(self.resolve(action.until, regex=True), re.MULTILINE)
            wait = min(ASIDE_AGAIN, max(0.0, deadline - time.monotonic()))
            try:
                session.expect(pattern, wait, start=start)
                return
            except SessionError:
                if session.eof or time.monotonic() >= deadline:
                    raise SessionError(Phrase("aside_no_until", command=action.text, pattern=action.until,
                                              seconds=timeout, said=last), session.screen()) from None  # fmt: skip

    def _expect(self, session: Session, template: str, timeout: float) -> None:
        """Wait for the regex on the screen. A placeholder naming a container the command is still making
        (`root@{short_id:first}:/# `) is first matched by its shape; once that shows, the container exists,
        and the exact text is checked from the same place."""
        deadline = time.monotonic() + timeout
        if placeholders.needs_container(template):
            start = session.pos
            shaped = placeholders.substitute(
                template,
                lambda p: (
                    placeholders.SHAPES[p.kind] if p.kind in placeholders.SHAPES else re.escape(self._value(p, None))
                ),
            )
            session.expect(re.compile(shaped, re.MULTILINE), timeout)
            exact = re.compile(self.resolve(template, deadline=deadline, regex=True), re.MULTILINE)
            session.expect(exact, max(0.0, deadline - time.monotonic()), start=start)
        else:
            session.expect(re.compile(self.resolve(template, regex=True), re.MULTILINE), timeout)

    def _detached(self, argv: list[str], screen: list[str]) -> int:
        """The client detached (Docker.detached): it passed if the container runs."""
        ref = commandline.target_container(argv)
        if ref is None:  # `docker run -it IMAGE` without --name: the newest container this run made
            latest = [
                "ps",
                "-a",
                "-q",
                "--no-trunc",
                "--latest",
                "--filter",
                f"label={LABEL_KEY}={self.ownership.run_id}",
            ]
            ref = self.docker.call(latest).stdout.strip() or None
        if ref is None:
            raise StepFailed(say("no_container", self.options.lang, name="?"), screen)
        c = self._container(ref, None)
        if c.state != "running":
            raise StepFailed(say("detached_not_running", self.options.lang, name=ref, state=c.state), screen)
        return 0


Mark = Callable[..., None]
Handler = Callable[[Tty, Session, TtyAction, float], None]
# What each kind of action does, and the marker it leaves in the recording: one row a kind.
ACTS: dict[Act, Handler] = {
    Act.EXPECT: lambda run, session, a, timeout: run._expect(session, a.text, timeout),
    Act.EOF: lambda run, session, a, timeout: session.expect_eof(timeout),
    Act.SEND: lambda run, session, a, timeout: session.send_line(run.resolve(a.text)),
    Act.ASIDE: lambda run, session, a, timeout: run._aside(session, a, timeout),
    Act.HANGUP: lambda run, session, a, timeout: session.hang_up(),
    Act.KEYS: lambda run, session, a, timeout: session.send_keys(a.keys),
}
MARKS: dict[Act, tuple[str, Callable[[TtyAction], dict[str, object]]]] = {
    Act.EXPECT: ("mark_saw", lambda a: {"text": a.text}),
    Act.EOF: ("mark_eof", lambda a: {}),
    Act.SEND: ("mark_typed", lambda a: {"text": a.text}),
    Act.ASIDE: ("mark_aside", lambda a: {"text": a.text}),
    Act.HANGUP: ("mark_hangup", lambda a: {}),
    Act.KEYS: ("mark_keys", lambda a: {"keys": "+".join(a.keys)}),
}
