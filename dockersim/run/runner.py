"""Carries out a scenario's steps on the engine and yields one StepResult per step.

It resolves placeholders when a step runs, drives one-shot commands and pty sessions through the
driver, checks the engine through a Snapshot, and removes what each scenario created.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dockersim.checks.container import ContainerCheck
from dockersim.checks.requires import ENGINES
from dockersim.checks.vocabulary import Check, bare
from dockersim.dockercli import commandline
from dockersim.engine.client import Docker
from dockersim.engine.parse.inspect import parse_containers
from dockersim.engine.process import KEEP_OUTPUT, Completed, hold_signals, release_signals
from dockersim.engine.session import Session, SessionError
from dockersim.engine.snapshot import Snapshot, inspect_existing
from dockersim.engine.state import ContainerState
from dockersim.engine.terminal import on_screen
from dockersim.errors import DockerError, DockersimError, EngineUnavailable, ParseError
from dockersim.grading.policy import Refused, inside
from dockersim.host.limits import Limits
from dockersim.i18n.phrase import Phrase, localise, said, say
from dockersim.ownership.inventory import Inventory, anonymous_volumes_of
from dockersim.ownership.labels import LABEL_KEY
from dockersim.ownership.run import Ownership
from dockersim.run.results import Outcome, StepResult
from dockersim.spec import placeholders
from dockersim.spec.model import Scenario, Step, TtyAction
from dockersim.yamlfile.texts import pick

ASIDE_AGAIN = 1.0  # seconds an aside's `until` is waited for before the command runs again
POLL = 0.05  # seconds between two looks at the engine while waiting for a state
SCREEN_LINES = 24


@dataclass
class RunOptions:
    image_map: dict[str, str] = field(default_factory=dict)
    lang: str = "en"
    fail_fast: bool = False
    allow_destructive: bool = False
    keep: bool = False
    engine_host: str = "127.0.0.1"  # where the engine's published ports answer


@dataclass(frozen=True)
class Placement:
    """Where a run's host paths and objects are. The learner's engine: paths as written, objects owned by
    label. A grading engine: host paths re-rooted in the submission's workspace, and every object counts."""

    workspace: Path | None = None
    everything_owned: bool = False
    # An engine that refuses a `-v` source that does not exist (podman), where docker makes it: this makes it,
    # given the workspace and the sources.
    make_sources: Callable[[Path, list[str]], None] | None = None
    # An engine the run shares with others (grading on a context): each docker command as it may run there,
    # or NotHere saying why it may not.
    vet: Callable[[list[str]], list[str]] | None = None
    # What one submission may use: the number of containers it makes is counted here; on an engine the run
    # shares, each container it makes also carries these options (bounds.Limits.container_options).
    limits: Limits | None = None
    each_container: tuple[str, ...] = ()
    keep: int = KEEP_OUTPUT  # bytes kept of what a step's command prints, of each stream (its end)


@dataclass
class Attempt:
    """What one try of a step found; the step's StepResult is built once, from its last attempt."""

    outcome: Outcome = Outcome.PASSED
    reason: str = ""
    details: list[str] = field(default_factory=list)
    screen: list[str] = field(default_factory=list)
    exit_status: int | None = None
    frames: list[tuple[float, str]] = field(default_factory=list)
    marks: list[tuple[float, str]] = field(default_factory=list)  # (seconds into the recording, what happened)


def _marked(attempt: Attempt, lang: str) -> list[tuple[float, str]]:
    """A tty step's markers, and its checks' verdict where the session ended (when they were made)."""
    if not attempt.frames:
        return []
    end = max([attempt.frames[-1][0], *(at for at, _ in attempt.marks)])
    outcome = say(attempt.outcome.value, lang)
    verdict = say("mark_verdict", lang, outcome=outcome, reason=attempt.reason) if attempt.reason else outcome
    return [*attempt.marks, (end, verdict)]


class NotHere(DockersimError):
    """A command the placement's vet does not let run on this engine (an object of another's, on a shared one)."""


class StepFailed(DockersimError):
    def __init__(self, reason: str, screen: list[str] | None = None, outcome: Outcome = Outcome.FAILED):
        self.reason, self.screen, self.outcome = reason, screen or [], outcome
        super().__init__(reason)


def _screen(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()[-SCREEN_LINES:]]


class ScenarioRun:
    """The state of one scenario while it runs: its captures, its label, the volumes its commands named."""

    def __init__(
        self,
        docker: Docker,
        scenario: Scenario,
        options: RunOptions,
        ownership: Ownership | None = None,
        placement: Placement = Placement(),
    ) -> None:
        self.docker = docker
        self.placement = placement
        self.scenario = scenario
        self.options = options
        self.captures: dict[str, str] = {}
        # What this run's own commands create carries its labels, so that cleanup and counts never touch a
        # learner's objects or another run's, even while they are made at the same time.
        self.ownership = ownership if ownership is not None else Ownership(docker, watched=False)
        self.volumes_before = set(docker.call(["volume", "ls", "-q"]).stdout.split())
        self._workdir: str | None = None
        self._seen: dict[str, ContainerState] = {}  # containers looked up during the current step

    # -- CheckContext ----------------------------------------------------------------------------

    def image_ref(self, ref: str) -> str:
        return self.options.image_map.get(ref, ref)

    def owned(self, container: ContainerState) -> bool:
        return self.placement.everything_owned or self.ownership.owns_label(container.labels)

    def host_path(self, path: str) -> str:
        workspace = self.placement.workspace
        if workspace is None:
            return path
        try:
            return inside(workspace, path)
        except Refused:
            return str(workspace / ".outside")  # a path that leads out names nothing

    def host_root(self) -> str | None:
        workspace = self.placement.workspace
        return str(workspace.resolve()) if workspace is not None else None

    def resolve(self, template: str, deadline: float | None = None, regex: bool = False) -> str:
        def value(p: placeholders.Placeholder) -> str:
            text = self._value(p, deadline)
            return re.escape(text) if regex else text

        return placeholders.substitute(template, value)

    def resolve_now(self, template: str, regex: bool = False) -> str:
        """resolve(), against the engine as it is now: no container remembered from an earlier look."""
        self._seen = {}
        return self.resolve(template, regex=regex)

    # -- placeholders ----------------------------------------------------------------------------

    def _container(self, name: str, deadline: float | None) -> ContainerState:
        """`docker inspect NAME`, polled until the container exists when a deadline is given; within a step
        each container is looked up once."""
        if name in self._seen:
            return self._seen[name]
        while True:
            done = inspect_existing(self.docker, "container", [name])
            found = parse_containers(done.stdout) if done.status == 0 else []
            if found:
                self._seen[name] = found[0]
                return found[0]
            if deadline is None or time.monotonic() >= deadline:
                raise StepFailed(say("no_container", self.options.lang, name=name))
            time.sleep(POLL)  # poll: the container is being created by the command now running

    def _value(self, p: placeholders.Placeholder, deadline: float | None) -> str:
        lang = self.options.lang
        if p.kind == "image":
            return self.image_ref(self.scenario.images[p.arg])
        if p.kind == "repository":
            return placeholders.repository(self.image_ref(self.scenario.images[p.arg]))
        if p.kind == "qualified":
            return placeholders.qualified(self.image_ref(self.scenario.images[p.arg]))
        if p.kind == "var":
            if p.arg not in self.captures:
                raise StepFailed(say("not_captured", lang, name=p.arg))
            return self.captures[p.arg]
        if p.kind == "workdir":
            return self.workdir()
        if p.kind == "engine_host":
            return self.options.engine_host
        c = self._container(p.container, deadline)
        if p.kind == "id":
            return c.id
        if p.kind == "short_id":
            return c.short_id
        if p.kind == "ip":
            if not c.ip:
                raise StepFailed(say("no_ip", lang, name=p.container))
            return c.ip
        port = p.arg.split(":", 1)[1]
        key = port if "/" in port else f"{port}/tcp"
        published = [b for b in c.ports if b.key == key and b.published]
        published.sort(key=lambda b: ":" in (b.host_ip or ""))  # IPv4 first
        if not published:
            raise StepFailed(say("not_published", lang, name=p.container, port=key))
        return str(published[0].host_port)

    def workdir(self) -> str:
        """A scratch directory on the host for this scenario's bind mounts, made on first use."""
        if self.placement.workspace is not None:
            return str(self.placement.workspace)
        if self._workdir is None:
            self._workdir = tempfile.mkdtemp(prefix="dockersim-")
            self.ownership.note_dir(self._workdir)
        return self._workdir

    # -- steps -----------------------------------------------------------------------------------

    def run_steps(self) -> Iterator[StepResult]:
        failed = False
        for step in self.scenario.steps:
            if failed and self.options.fail_fast:
                yield self._result(step, Attempt(Outcome.SKIPPED, say("not_run", self.options.lang)), 0.0)
                continue
            result = self.run_step(step)
            failed = failed or not result.ok
            yield result

    def run_step(self, step: Step) -> StepResult:
        start = time.monotonic()
        if step.destructive and not self.options.allow_destructive:
            return self._result(step, Attempt(Outcome.SKIPPED, say("destructive_refused", self.options.lang)), 0.0)
        unmet = step.requires.unmet(self.docker.kind) if step.requires else None
        if unmet is not None:
            key = "requires_engine" if unmet[0] in ENGINES else "requires_feature"
            why = say(key, self.options.lang, needs=unmet[0], engine=unmet[1])
            if step.requires and step.requires.why:
                why = f"{why}: {pick(step.requires.why, self.options.lang)}"
            return self._result(step, Attempt(Outcome.SKIPPED, why), 0.0)
        retry_until = start + step.retry if step.retry else start
        while True:
            attempt = self._attempt(step)
            if attempt.outcome == Outcome.PASSED or time.monotonic() >= retry_until:
                break
            time.sleep(min(0.5, max(0.0, retry_until - time.monotonic())))  # poll: step has retry: seconds
        return self._result(step, attempt, time.monotonic() - start)

    def _result(self, step: Step, attempt: Attempt, seconds: float) -> StepResult:
        """The step's one result, built once from its last attempt."""
        failed = attempt.outcome in (Outcome.FAILED, Outcome.ERROR)
        return StepResult(
            self.scenario.path, step.index, len(self.scenario.steps), self.step_name(step),
            attempt.outcome, seconds, step.command_text, attempt.reason, attempt.details, attempt.screen,
            pick(step.hint, self.options.lang) if failed and step.hint else "", attempt.exit_status, step.line,
            attempt.frames, _marked(attempt, lang=self.options.lang),
        )  # fmt: skip

    def step_name(self, step: Step) -> str:
        """The step's name; a step without one is named by its command as it ran (`docker run --name hf_one
        ubuntu:14.04 true`), the values the run knows put in."""
        lang = self.options.lang
        if step.named:
            return pick(step.name, lang)

        def value(p: placeholders.Placeholder) -> str:  # what the run knows; no engine is asked to name a step
            if p.kind in (*placeholders.IMAGE_KINDS, "workdir", "engine_host") or (
                p.kind == "var" and p.arg in self.captures
            ):
                return self._value(p, None)
            return p.text

        if not step.command_text:
            what = ", ".join(placeholders.substitute(localise(c.describe(), lang), value) for c in step.checks)
            return say("d_check", lang, what=what)
        if step.run is not None:
            return shlex.join(placeholders.substitute(word, value) for word in step.run)
        return placeholders.substitute(pick(step.name, lang), value)

    def _attempt(self, step: Step, command: Callable[[Step, Attempt], None] | None = None,
                 attempt: Attempt | None = None) -> Attempt:  # fmt: skip
        """One try: the step's command (or `command`, for what a learner typed), then its checks."""
        attempt = attempt or Attempt()
        self._seen = {}
        try:
            if command is not None:
                command(step, attempt)
            elif step.run is not None or step.shell is not None:
                self._command(step, attempt)
            if step.checks:
                self._checks(step.checks, attempt)
        except StepFailed as e:
            attempt.outcome, attempt.reason = e.outcome, e.reason
            attempt.screen = e.screen or attempt.screen
        except (DockerError, EngineUnavailable, ParseError) as e:
            lang = self.options.lang
            attempt.outcome, attempt.reason = Outcome.ERROR, say("engine_error", lang, error=localise(said(e), lang))
        return attempt

    def _argv(self, step: Step, deadline: float, tty: bool = False) -> list[str]:
        assert step.run is not None
        words = [self.resolve(w, deadline=None) for w in step.run]
        if words[0] != "docker":
            if shutil.which(words[0]) is None:  # a host program the step names, not the engine, is missing
                raise StepFailed(say("program_missing", self.options.lang, program=words[0]))
            return words
        if tty and self.docker.configured_detach_keys() not in ("", commandline.DEFAULT_DETACH_KEYS):
            # The learner's client detaches on other keys: the step's are the tutorial's, given by name.
            words = commandline.with_detach_keys(words, commandline.DEFAULT_DETACH_KEYS)
        try:
            return self.docker_argv(words)
        except NotHere as e:
            raise StepFailed(localise(said(e), self.options.lang)) from None

    def docker_argv(self, words: list[str]) -> list[str]:
        """A docker command as it runs for this run: passed by the placement's vet (NotHere when it may not
        run on this engine), its bind sources made, and what it creates owned (owned_argv)."""
        if self.placement.vet is not None:
            words = self.placement.vet(words)
        limits = self.placement.limits
        if limits is not None and commandline.creates_container(words):
            only = [] if self.placement.everything_owned else ["--filter", f"label={LABEL_KEY}={self.ownership.run_id}"]
            if len(self.docker.call(["ps", "-a", "-q", *only]).stdout.split()) >= limits.containers:
                raise NotHere(Phrase("r_containers_limit", n=limits.containers))
            if self.placement.each_container:
                words = commandline.with_container_options(words, self.placement.each_container)
        self._make_bind_sources(words)
        return self.owned_argv(words)

    def owned_argv(self, words: list[str]) -> list[str]:
        """A docker command line as it runs for this run: what it creates carries the run's labels, and a
        volume it makes by name is noted first (`-v NAME:/path` cannot carry a label)."""
        created = commandline.created_names(words)
        self.ownership.note_volumes({n for k, n in created if k == "volume" and n not in self.volumes_before})
        self.ownership.made_networks = self.ownership.made_networks or any(k == "network" for k, _ in created)
        return self.docker.argv(commandline.with_label(words, self.ownership.labels)[1:])

    def _make_bind_sources(self, words: list[str]) -> None:
        """The bind sources of a docker command that do not exist yet, made before it runs where the engine
        would not make them as the run needs: in a grading workspace, by the engine's own (make_sources); under
        the scratch directory, as the learner (docker would make it as root, and a learner who is not root
        could not write into it afterwards)."""
        if self.placement.make_sources is not None and self.placement.workspace is not None:
            self.placement.make_sources(self.placement.workspace, commandline.bind_sources(words, mounts=False))
        if self._workdir is None:
            return
        root = os.path.realpath(self._workdir)
        for source in commandline.bind_sources(words):
            path = os.path.realpath(source)
            if path.startswith(root + os.sep) and not os.path.exists(path):
                os.makedirs(path, exist_ok=True)

    def _note_anonymous_volumes(self, step: Step) -> None:
        """Before a step that may remove our containers, remember their anonymous volumes: `docker rm`
        without -v leaves them behind, unlabelled."""
        removes = step.shell is not None or (step.run is not None and commandline.removes_containers(step.run))
        if not removes:
            return
        made = anonymous_volumes_of(lambda argv: self.docker.call(argv, check=False).stdout, self.ownership.run_id)
        self.ownership.note_volumes(made)

    def _command(self, step: Step, result: Attempt) -> None:
        lang = self.options.lang
        deadline = time.monotonic() + step.timeout
        self._note_anonymous_volumes(step)
        if step.tty is not None:
            status, stdout, stderr = self._session(step, deadline, result)
        else:
            if step.shell is not None:
                argv = self.docker.shell_argv(self.resolve(step.shell), self.ownership.labels)
            else:
                argv = self._argv(step, deadline)
            done: Completed = self.docker.run_argv(argv, timeout=step.timeout, keep=self.placement.keep)
            status, stdout, stderr = done.status, done.stdout, done.stderr
            result.screen = _screen(stdout + stderr)
            if done.timed_out:
                raise StepFailed(say("timed_out", lang, seconds=step.timeout), result.screen)
        self._outputs(step, status, stdout, stderr, result)

    def _outputs(self, step: Step, status: int, stdout: str, stderr: str, result: Attempt) -> None:
        """The step's exit status, stdout and stderr expectations, and its captures."""
        lang = self.options.lang
        result.exit_status = status
        if not _exit_ok(step.exit, status):
            raise StepFailed(say("exit_mismatch", lang, expected=step.exit, status=status), result.screen)
        for stream, pattern, text, wanted in (
            ("stdout", step.stdout, stdout, True),
            ("stderr", step.stderr, stderr, True),
            ("stdout", step.stdout_not, stdout, False),
            ("stderr", step.stderr_not, stderr, False),
        ):
            if pattern is None:
                continue
            found = re.search(self.resolve(pattern, regex=True), text, re.MULTILINE)
            if bool(found) != wanted:
                key = "no_match" if wanted else "unwanted_match"
                raise StepFailed(say(key, lang, stream=stream, pattern=pattern), _screen(text))
        for var, pattern in step.capture.items():
            m = re.search(self.resolve(pattern, regex=True), stdout, re.MULTILINE)
            if not m:
                raise StepFailed(say("no_capture", lang, name=var, pattern=pattern), _screen(stdout))
            self.captures[var] = m.group(1)

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
                timeout = max(0.0, min(action.timeout, left))
                if action.kind == "expect":
                    self._expect(session, action.text, timeout)
                    mark("mark_saw", text=action.text)
                elif action.kind == "eof":
                    session.expect_eof(timeout)
                    mark("mark_eof")
                elif action.kind == "send":
                    session.send_line(self.resolve(action.text))
                    mark("mark_typed", text=action.text)
                elif action.kind == "aside":
                    self._aside(session, action, timeout)
                    mark("mark_aside", text=action.text)
                elif action.kind == "hangup":
                    session.hang_up()
                    mark("mark_hangup")
                else:
                    session.send_keys(action.keys)
                    mark("mark_keys", keys="+".join(action.keys))
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

    def _checks(self, checks: list[Check], result: Attempt) -> None:
        lang = self.options.lang
        snap = Snapshot(self.docker)
        snap.prefetch([self.resolve(c.ref) for c in map(bare, checks) if isinstance(c, ContainerCheck)])
        for check in checks:
            try:
                mismatches = check.evaluate(snap, self)
            except (DockersimError, OSError) as e:  # an unreadable file too: an ERROR, never a traceback
                what, error = localise(check.describe(), lang), localise(said(e), lang)
                raise StepFailed(say("check_error", lang, what=what, error=error), outcome=Outcome.ERROR) from None
            if mismatches:
                result.details += [m.said(lang) for m in mismatches]
                result.outcome = Outcome.FAILED
                result.reason = result.reason or say(
                    "check_failed", lang, what=self.resolve(localise(check.describe(), lang))
                )
        if snap.disagreements:
            result.details += [say("note", lang, note=d) for d in snap.disagreements]

    # -- a learner's own command (practice) ------------------------------------------------------

    def judge(self, step: Step, status: int, transcript: str, seconds: float = 0.0) -> StepResult:
        """The step's expectations and checks on what a learner typed in their own terminal: its exit
        status, the screen text it wrote (stdout and stderr are one stream there), and, for a tty step,
        each `expect` found on that screen in order; what is sent is the learner's to type."""

        def typed(step: Step, attempt: Attempt) -> None:
            status_seen, at, sent = status, 0, ""
            for action in step.tty or []:
                if action.kind in ("send", "keys"):
                    sent = action.text if action.kind == "send" else "+".join(action.keys)
                if action.kind != "expect":
                    continue
                pattern = on_screen(self.resolve(action.text, regex=True))
                found = re.compile(pattern, re.MULTILINE).search(transcript, at)
                if found is None:
                    key, lang = ("screen_after" if sent else "screen_missing"), self.options.lang
                    raise StepFailed(say(key, lang, pattern=pattern, sent=sent))
                at = found.end()
            if step.ends_with_detach() and self.docker.detached(status_seen, transcript):
                status_seen = self._detached(step.run or [], attempt.screen)
            self._outputs(step, status_seen, transcript, transcript, attempt)

        attempt = self._attempt(step, typed, Attempt(screen=_screen(transcript)))
        return self._result(step, attempt, seconds)

    def _made_by_step(self, step: Step) -> list[tuple[str, str, bool]]:
        """(kind, name, ours) for each container or network the step's command names to create that exists."""
        if not step.run or step.run[0] != "docker":
            return []
        words = [self.resolve_now(w) for w in step.run]
        out = []
        for kind, name in commandline.created_names(words):
            if kind not in ("container", "network"):
                continue  # a volume made by `-v NAME:…` carries no label to tell
            labels = "{{json .Config.Labels}}" if kind == "container" else "{{json .Labels}}"
            done = self.docker.call([kind, "inspect", "--format", labels, name], check=False)
            if done.status == 0:
                found = json.loads(done.stdout.strip() or "null") or {}
                out.append((kind, name, self.ownership.owns_label(found)))
        return out

    def strangers(self, step: Step) -> list[str]:
        """What the step creates that exists but was not made by this run (another client, sudo)."""
        return [f"{kind} {name}" for kind, name, ours in self._made_by_step(step) if not ours]

    def clear(self, step: Step) -> None:
        """Remove what this run made under the names the step creates (a failed try's leftovers)."""
        for kind, name, ours in self._made_by_step(step):
            if ours:
                self.docker.call([kind, "rm", *(["-f", "-v"] if kind == "container" else []), name], check=False)

    # -- cleanup ---------------------------------------------------------------------------------

    def created(self) -> Inventory:
        """What this scenario made and is still there."""
        return self.ownership.created()

    def cleanup(self) -> list[str]:
        """Remove exactly what this scenario created: containers (with anonymous volumes), volumes, networks,
        and its scratch directory."""
        removed = self.ownership.remove()
        if self._workdir is not None and os.path.exists(self._workdir):
            self._remove_workdir(self._workdir)
            removed.append(f"directory {self._workdir}")
        return removed

    def _remove_workdir(self, path: str) -> None:
        """Containers write there as their own users; what this process may not delete, a container does."""
        shutil.rmtree(path, ignore_errors=True)
        if os.path.exists(path):
            images = [self.image_ref(ref) for ref in self.scenario.images.values()]
            for image in images[:1]:
                self.docker.call(
                    [
                        "run",
                        "--rm",
                        *(a for label in self.ownership.labels for a in ("--label", label)),
                        "-v",
                        f"{path}:/w",
                        "--entrypoint",
                        "sh",
                        image,
                        "-c",
                        "rm -rf /w/* /w/.[!.]*",
                    ],
                    check=False,
                )
            shutil.rmtree(path, ignore_errors=True)


def _exit_ok(spec: int | str, status: int) -> bool:
    if spec == "any":
        return True
    if spec == "nonzero":
        return status != 0
    return status == spec


def existing_names(docker: Docker, scenarios: list[Scenario]) -> list[str]:
    """Names the scenarios will create that the engine already holds (they would clash or be clobbered)."""
    wanted: set[tuple[str, str]] = set()
    for scenario in scenarios:
        for step in scenario.steps:
            if step.run:
                # A name that is itself a placeholder is known only when the step runs.
                wanted |= {(k, n) for k, n in commandline.created_names(step.run) if "{" not in n}
    if not wanted:
        return []
    have = {
        "container": {
            n for line in docker.call(["ps", "-a", "--format", "{{.Names}}"]).stdout.split() for n in line.split(",")
        },
        "volume": set(docker.call(["volume", "ls", "-q"]).stdout.split()),
        "network": set(docker.call(["network", "ls", "--format", "{{.Name}}"]).stdout.split()),
    }
    return sorted(f"{kind} {name}" for kind, name in wanted if name in have[kind])
