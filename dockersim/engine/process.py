"""Commands of the machine's run to their end or their deadline: argv lists through subprocess, never a
shell; what they print kept as a bounded tail; a command past its deadline killed with its process group;
Ctrl+C and SIGTERM held while a child is spawned, so that no command runs unwatched."""

from __future__ import annotations

import contextlib
import os
import select
import selectors
import signal
import subprocess
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from dockersim.errors import EngineUnavailable

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


@dataclass(frozen=True)
class Completed:
    """One finished command: what ran, how it ended, what it printed."""

    argv: list[str]
    status: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False


def run(argv: Sequence[str], env: dict[str, str], timeout: float = DEFAULT_TIMEOUT,
        stdin: str | IO[bytes] | None = None, keep: int = KEEP_OUTPUT) -> Completed:  # fmt: skip
    """Any argv to completion or its deadline; a timed-out process is killed, never left behind. Of each
    stream, the last `keep` bytes are kept (and the text says how much came before them)."""
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
            env=env,
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
