"""How docker is called: argv lists through subprocess with a deadline, or a pty session. Nothing else.

The driver knows binaries, contexts, timeouts and exit codes; it knows nothing about scenarios.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import select
import selectors
import shlex
import shutil
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from dockersim.errors import DockerError, EngineUnavailable
from dockersim.messages import Phrase

if TYPE_CHECKING:
    from dockersim.session import Session

DEFAULT_TIMEOUT = 60.0
KEEP_OUTPUT = 64 << 20  # bytes of each stream a command's result keeps: far above what docker's listings print
INTERRUPT_GRACE = 30.0  # how long an interrupted docker command may take to finish


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def hold_signals() -> set[int | signal.Signals]:
    """Hold Ctrl+C and SIGTERM while a child is spawned: one landing between fork and the caller knowing
    the child would leave a docker command running unwatched. Pass the result to release_signals."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def release_signals(held: set[int | signal.Signals]) -> None:
    """Deliver what was held; call it where the caller is ready to handle an interrupt."""
    signal.pthread_sigmask(signal.SIG_SETMASK, held)


def kill_group(proc: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Kill a process started in a session of its own, and what it started in its group: a client that
    forked (a podman sandbox's podman, under nsenter) holds the output pipes open too."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


class _Tail:
    """The last `keep` bytes of a stream, however much comes: held as the chunks read, the oldest let go."""

    def __init__(self, keep: int) -> None:
        self.keep, self.size, self.dropped = keep, 0, 0
        self.chunks: deque[bytes] = deque()

    def add(self, chunk: bytes) -> None:
        self.chunks.append(chunk)
        self.size += len(chunk)
        while self.chunks and self.size - len(self.chunks[0]) >= self.keep:
            first = self.chunks.popleft()
            self.size -= len(first)
            self.dropped += len(first)

    def text(self) -> str:
        """What was kept, said to be the end of more when it is."""
        data = b"".join(self.chunks)
        cut = max(0, len(data) - self.keep)
        kept = data[cut:].decode("utf-8", errors="replace")
        dropped = self.dropped + cut
        return f"… ({dropped} bytes before this were not kept)\n{kept}" if dropped else kept


class _Pipes:
    """A child's stdin written and its stdout and stderr read as they come, as communicate() does, but of each
    stream only the tail is kept: a command that prints gigabytes holds `keep` bytes of memory. Like
    communicate(), it takes up where it was after a deadline or an interrupt."""

    def __init__(self, proc: subprocess.Popen[bytes], feed: bytes | None, keep: int) -> None:
        self.proc, self.feed = proc, memoryview(feed or b"")
        self.out, self.err = _Tail(keep), _Tail(keep)
        self.selector = selectors.DefaultSelector()
        if proc.stdin is not None:
            if self.feed:
                self.selector.register(proc.stdin, selectors.EVENT_WRITE)
            else:
                proc.stdin.close()
        for stream, tail in ((proc.stdout, self.out), (proc.stderr, self.err)):
            assert stream is not None
            self.selector.register(stream, selectors.EVENT_READ, tail)

    def pump(self, timeout: float | None) -> None:
        """Until both streams end and the child exits; subprocess.TimeoutExpired at the deadline."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.selector.get_map():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise subprocess.TimeoutExpired(self.proc.args, timeout or 0.0)
            for key, _ in self.selector.select(left):
                if key.data is None:
                    self._write(key.fileobj)  # type: ignore[arg-type]
                    continue
                chunk = os.read(key.fd, 65536)
                if chunk:
                    key.data.add(chunk)
                else:
                    self.selector.unregister(key.fileobj)
                    key.fileobj.close()  # type: ignore[union-attr]
        self.proc.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))

    def _write(self, stdin: IO[bytes]) -> None:
        try:
            written = os.write(stdin.fileno(), self.feed[: select.PIPE_BUF])
        except BrokenPipeError:  # the child does not read it: the rest is not written
            written = len(self.feed)
        self.feed = self.feed[written:]
        if not self.feed:
            self.selector.unregister(stdin)
            with contextlib.suppress(BrokenPipeError):
                stdin.close()

    def __enter__(self) -> _Pipes:
        return self

    def __exit__(self, *_exc: object) -> None:
        """The pipes still open (an interrupt left them) and the selector closed."""
        for key in list(self.selector.get_map().values()):
            self.selector.unregister(key.fileobj)
            with contextlib.suppress(BrokenPipeError):
                key.fileobj.close()  # type: ignore[union-attr]
        self.selector.close()


class Witnessing(Protocol):
    """What watches an engine while a submission is graded (witness.Witness): told when each command runs."""

    def acting(self, argv: Sequence[str]) -> AbstractContextManager[None]: ...


@dataclass(frozen=True)
class Completed:
    """One finished command: what ran, how it ended, what it printed."""

    argv: list[str]
    status: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False


_TOML_TABLE = re.compile(r"^\s*\[\s*([\w.-]+)\s*\]")
_DETACH_KEYS = re.compile(r"""^\s*detach_keys\s*=\s*["']([^"']*)["']""")


def _docker_detach_keys(env: dict[str, str]) -> str:
    folder = Path(env.get("DOCKER_CONFIG") or Path(env.get("HOME", "~")).expanduser() / ".docker")
    try:
        found = json.loads((folder / "config.json").read_text(encoding="utf-8")).get("detachKeys", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return found if isinstance(found, str) else ""


def _podman_detach_keys(env: dict[str, str]) -> str:
    """containers.conf's [engine] detach_keys, read as podman reads its files: CONTAINERS_CONF alone when
    set, else the system's files, their drop-ins in order, and a rootless user's own."""
    if env.get("CONTAINERS_CONF"):
        files = [Path(env["CONTAINERS_CONF"])]
    else:
        home = Path(env.get("HOME", "~")).expanduser() / ".config" / "containers"
        folders = [Path("/usr/share/containers"), Path("/etc/containers"), *([home] if os.geteuid() else [])]
        files = [f for d in folders for f in (d / "containers.conf", *sorted((d / "containers.conf.d").glob("*.conf")))]
    keys = ""
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        table = ""
        for line in text.splitlines():  # one string key of one table: TOML's form of it, without a TOML parser
            if header := _TOML_TABLE.match(line):
                table = header.group(1)
            elif table == "engine" and (found := _DETACH_KEYS.match(line)):
                keys = found.group(1)
    return keys


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment (DOCKER_HOST, DOCKER_CONFIG, … pass through) made plain for parsing."""
    env = dict(os.environ)
    env.update({"NO_COLOR": "1", "PAGER": "cat", "LC_ALL": env.get("LC_ALL", "C.UTF-8")})
    env.update(extra or {})
    return env


class Docker:
    """The docker binary (or a compatible one) and the options every call carries."""

    def __init__(self, binary: str = "docker", context: str | None = None, env: dict[str, str] | None = None):
        found = shutil.which(binary)
        if found is None:
            raise EngineUnavailable(Phrase("no_binary", binary=binary))
        self.binary = found
        self.context = context
        self.env = child_env(env)
        self._versions: tuple[str, str] | None = None  # (client, server), once asked
        self._kind: str | None = None
        self._detach_keys: str | None = None
        # Whether the engine's host is this machine: its bind sources are our files. Else (an ssh:// or a
        # remote tcp:// engine) its host's files are read through the engine (checks.read_host_file).
        self.local_files = True
        self.witness: Witnessing | None = None  # told of each command while a grading's witness watches

    def argv(self, args: Sequence[str]) -> list[str]:
        return [self.binary, *(["--context", self.context] if self.context else []), *args]

    def run_argv(
        self,
        argv: Sequence[str],
        timeout: float = DEFAULT_TIMEOUT,
        stdin: str | IO[bytes] | None = None,
        keep: int = KEEP_OUTPUT,
    ) -> Completed:
        """Run any argv to completion or its deadline; a timed-out process is killed, never left behind. Of
        each stream, the last `keep` bytes are kept (and the text says how much came before them)."""
        if self.witness is None:
            return self._run_argv(argv, timeout, stdin, keep)
        with self.witness.acting(argv):  # what the engine reports meanwhile may be this command's doing
            return self._run_argv(argv, timeout, stdin, keep)

    def _run_argv(self, argv: Sequence[str], timeout: float, stdin: str | IO[bytes] | None, keep: int) -> Completed:
        start = time.monotonic()
        feed: bytes | None = None
        source: int | IO[bytes] = subprocess.PIPE
        if stdin is None or isinstance(stdin, str):
            feed = (stdin or "").encode()
        else:
            source = stdin
        held = hold_signals()
        try:
            # Its own process group: a terminal's Ctrl+C reaches dockersim, which decides what happens.
            proc = subprocess.Popen(
                list(argv),
                stdin=source,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self.env,
                start_new_session=True,
            )
        except FileNotFoundError:
            release_signals(held)
            raise EngineUnavailable(f"cannot run {argv[0]!r}: no such program") from None
        except BaseException:
            release_signals(held)
            raise
        with _Pipes(proc, feed, keep) as pipes:
            try:
                release_signals(held)
                pipes.pump(timeout)
            except subprocess.TimeoutExpired:
                kill_group(proc)
                pipes.pump(None)
                return Completed(list(argv), -1, pipes.out.text(), pipes.err.text(), time.monotonic() - start,
                                 timed_out=True)  # fmt: skip
            except BaseException:
                # Interrupted: let the engine finish what it was asked, so that what it makes exists (and
                # carries our label) when cleanup looks; a second signal ends dockersim at once.
                try:
                    pipes.pump(INTERRUPT_GRACE)
                finally:
                    if proc.poll() is None:
                        kill_group(proc)
                        proc.wait()
                raise
            return Completed(list(argv), proc.returncode, pipes.out.text(), pipes.err.text(),
                             time.monotonic() - start)  # fmt: skip

    def call(self, args: Sequence[str], timeout: float = DEFAULT_TIMEOUT, check: bool = True) -> Completed:
        """`docker ARGS`; with check, a failure or a timeout raises DockerError."""
        done = self.run_argv(self.argv(args), timeout=timeout)
        if check and (done.status != 0 or done.timed_out):
            stderr = done.stderr if not done.timed_out else f"no answer within {timeout:g}s\n{done.stderr}"
            raise DockerError(done.argv, done.status, stderr, done.stdout)
        return done

    def stream(
        self, args: Sequence[str], on_line: Callable[[str], None], timeout: float, env: dict[str, str] | None = None
    ) -> Completed:
        """`docker ARGS` for long work (builds): each output line goes to on_line as it comes."""
        argv = self.argv(args)
        start = time.monotonic()
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            env={**self.env, **(env or {})},
        )
        timer = threading.Timer(timeout, proc.kill)  # the deadline: kill, then the loop below sees EOF
        timer.start()
        lines: list[str] = []
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append(line)
                on_line(line.rstrip("\n"))
            status = proc.wait()
        finally:
            timer.cancel()
        timed_out = time.monotonic() - start >= timeout and status != 0
        done = Completed(argv, status, "".join(lines), "", time.monotonic() - start, timed_out)
        if status != 0:
            tail = "".join(lines[-5:]) if not timed_out else f"no end within {timeout:g}s"
            raise DockerError(argv, status, tail, done.stdout)
        return done

    def shell_argv(self, script: str, labels: Sequence[str] = ()) -> list[str]:
        """/bin/sh running a trusted script in which `docker` means this binary and context. What the script
        creates with the verb first (`docker run`, `docker container create`, `docker volume create`, …)
        carries the labels, as a run step's objects do."""
        context = [f"--context {shlex.quote(self.context)}"] if self.context else []
        prefix = " ".join([shlex.quote(self.binary), *context])
        added = " ".join(f"--label {shlex.quote(label)}" for label in labels)
        label = (
            f'  case "$1 $2" in\n'
            f'    "run "*|"create "*) _v=$1; shift; set -- "$_v" {added} "$@" ;;\n'
            f'    "container run"|"container create"|"volume create"|"network create")\n'
            f'      _o=$1; _v=$2; shift 2; set -- "$_o" "$_v" {added} "$@" ;;\n'
            f"  esac\n"
            if labels
            else ""
        )
        return ["/bin/sh", "-c", f'docker() {{\n{label}  {prefix} "$@"\n}}\n{script}']

    def spawn(self, argv: Sequence[str]) -> Session:
        from dockersim.session import Session  # pexpect, loaded only by runs that open a pty

        return Session(list(argv), env=self.env)

    @property
    def kind(self) -> str:
        """Which engine this client drives, read from what the binary says it is: docker or podman."""
        if self._kind is None:
            done = self.call(["--version"], timeout=20, check=False)
            self._kind = "podman" if done.stdout.lower().startswith("podman") else "docker"
        return self._kind

    def configured_detach_keys(self) -> str:
        """The detach keys this client uses when a command names none: docker's `detachKeys` in its
        config.json, podman's `detach_keys` in containers.conf (the last file that sets it); "" when none is
        set, and Ctrl+P, Ctrl+Q apply."""
        if self._detach_keys is None:
            read = _podman_detach_keys if self.kind == "podman" else _docker_detach_keys
            self._detach_keys = read(self.env)
        return self._detach_keys

    def detached(self, status: int, output: str) -> bool:
        """Whether a client that ended so may have been detached by its keys: docker's run -it exits 0, its
        attach and exec -it 1; podman's exec -it 255, after saying it was detached (it is all the same:
        podman-container-tools/podman#24895). Whether it was is then asked of the container."""
        if status in (0, 1):
            return True
        return status == 255 and self.kind == "podman" and "detached from container" in output

    def force_remove(self) -> list[str]:
        """`rm -f -v` as docker means it, the container killed at once (podman's -f stops it first, with a
        10 s grace, unless told)."""
        return ["rm", "-f", "-v", *(["--time", "0"] if self.kind == "podman" else [])]

    def answers(self, timeout: float = 20.0) -> str:
        """Whether an engine answers now (not the version asked once): "" when it does, else why not."""
        done = self.call(["version", "--format", "{{.Server.Version}}"], timeout=timeout, check=False)
        if done.status == 0 and done.stdout.strip():
            return ""
        return (done.stderr.strip().splitlines() or [f"exit status {done.status}"])[-1]

    def server_version(self, timeout: float = 20.0) -> str:
        """The engine's version (asked once); EngineUnavailable in one sentence when none answers."""
        if self._versions is not None:
            return self._versions[1]
        done = self.call(
            ["version", "--format", "{{.Client.Version}} {{.Server.Version}}"], timeout=timeout, check=False
        )
        if done.status != 0 and self.kind == "podman":
            # A local podman is its own engine: its version has no Server part; `info` proves it can run.
            done = self.call(["info", "--format", "{{.Version.Version}}"], timeout=timeout, check=False)
            if done.status == 0 and done.stdout.strip():  # podman's client is its engine: one version
                done = dataclasses.replace(done, stdout=f"{done.stdout.strip()} {done.stdout.strip()}")
        if done.status != 0 or done.timed_out or not done.stdout.strip():
            lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
            why = lines[-1] if lines else ("no answer in time" if done.timed_out else "no server version")
            raise EngineUnavailable(Phrase("no_engine", binary=self.binary, why=why))
        client, _, server = done.stdout.strip().partition(" ")
        self._versions = (client, server)
        return server

    def client_version(self) -> str:
        self.server_version()
        assert self._versions is not None
        return self._versions[0]
