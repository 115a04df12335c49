"""How docker is called: the binary (or a compatible one: podman) and the options every call carries; argv
lists run to their deadline (process.py). It knows binaries, contexts, timeouts and exit codes, and what
differs between engines (flavour.py); nothing about scenarios."""

from __future__ import annotations

import dataclasses
import os
import shlex
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import IO, Protocol

from dockersim.engine import flavour, process
from dockersim.engine.flavour import Flavour
from dockersim.engine.process import DEFAULT_TIMEOUT, KEEP_OUTPUT, Completed
from dockersim.errors import DockerError, EngineUnavailable
from dockersim.i18n.phrase import Phrase, said

# Docker.calls' reads at once, at most: an ssh:// engine's calls share one connection, which carries 10
# sessions (sshd's MaxSessions) before the client opens another, and a grading run's event and stats streams
# hold two of them.
AT_ONCE = 4


class Witnessing(Protocol):
    """What watches an engine while a submission is graded (witness.Witness): told when each command runs."""

    def acting(self, argv: Sequence[str]) -> AbstractContextManager[None]: ...


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
        self._flavour: Flavour | None = None
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
            return process.run(argv, self.env, timeout, stdin, keep)
        with self.witness.acting(argv):  # what the engine reports meanwhile may be this command's doing
            return process.run(argv, self.env, timeout, stdin, keep)

    def call(self, args: Sequence[str], timeout: float = DEFAULT_TIMEOUT, check: bool = True) -> Completed:
        """`docker ARGS`; with check, a failure or a timeout raises DockerError."""
        done = self.run_argv(self.argv(args), timeout=timeout)
        if check and (done.status != 0 or done.timed_out):
            stderr = done.stderr if not done.timed_out else f"no answer within {timeout:g}s\n{done.stderr}"
            raise DockerError(done.argv, done.status, stderr, done.stdout)
        return done

    def calls(self, *commands: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> list[Completed]:
        """Several `docker ARGS` that do not depend on one another (reads), each as `call` with check, at once
        (AT_ONCE at a time): a client process each, so that they cost the longest of them and not their sum. In
        the order given; the first failure (DockerError, EngineUnavailable with no client) raises once the
        reads running with it have ended. One after the other while a witness watches (it is told of one
        command at a time)."""
        if len(commands) < 2 or self.witness is not None:
            return [self.call(args, timeout) for args in commands]
        if len(commands) > AT_ONCE:
            return [done for i in range(0, len(commands), AT_ONCE)
                    for done in self.calls(*commands[i : i + AT_ONCE], timeout=timeout)]  # fmt: skip
        done: list[Completed | BaseException | None] = [None] * len(commands)

        def one(i: int) -> None:
            try:
                done[i] = self.call(commands[i], timeout)
            except BaseException as e:  # a failure, no client at all, an interrupt: raised below, in order
                done[i] = e

        threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(1, len(commands))]
        for thread in threads:
            thread.start()
        one(0)
        for thread in threads:
            thread.join()
        for result in done:
            if isinstance(result, BaseException):
                raise result
        return [result for result in done if isinstance(result, Completed)]

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

    @property
    def flavour(self) -> Flavour:
        """Which engine this client drives (docker or podman), read once from what the binary says it is."""
        if self._flavour is None:
            self._flavour = flavour.of(self.call(["--version"], timeout=20, check=False).stdout)
        return self._flavour

    @property
    def kind(self) -> str:
        """docker or podman: the flavour's name, as `requires:` and reports say it."""
        return self.flavour.name

    def configured_detach_keys(self) -> str:
        """The detach keys this client uses when a command names none: docker's `detachKeys` in its
        config.json, podman's `detach_keys` in containers.conf (the last file that sets it); "" when none is
        set, and Ctrl+P, Ctrl+Q apply."""
        if self._detach_keys is None:
            self._detach_keys = self.flavour.detach_keys(self.env)
        return self._detach_keys

    def detached(self, status: int, output: str) -> bool:
        """Whether a client that ended so may have been detached by its keys (Flavour.detached)."""
        return self.flavour.detached(status, output)

    def force_remove(self) -> list[str]:
        """`rm -f -v` as docker means it, the container killed at once."""
        return list(self.flavour.force_remove)

    def answers(self, timeout: float = 20.0) -> str:
        """Whether an engine answers now (not the version asked once): "" when it does, else why not (a client
        that cannot be run, such as a stopped podman sandbox's, too)."""
        try:
            done = self.call(["version", "--format", "{{.Server.Version}}"], timeout=timeout, check=False)
        except EngineUnavailable as e:
            return said(e)
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
        if done.status != 0 and self.flavour.version_from_info:
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
