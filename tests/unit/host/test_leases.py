"""Machine-wide leases (leases.py): held while a process lives, by a reaper too once handed to it, and free
the moment the last holder ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dockersim.host import leases


@pytest.fixture(autouse=True)
def lease_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(leases, "lease_root", lambda: tmp_path / "leases")
    return tmp_path / "leases"


def test_a_lease_is_one_process_s_until_it_is_given_back() -> None:
    first = leases.try_take("slot-12", what="grade", pid=os.getpid())
    assert first is not None
    assert leases.try_take("slot-12") is None and leases.held("slot-12")
    assert leases.holder("slot-12") == {"what": "grade", "pid": os.getpid()}
    assert [name for name, _ in leases.all_held()] == ["slot-12"]
    first.release()
    assert not leases.held("slot-12") and list(leases.all_held()) == []
    again = leases.try_take("slot-12")
    assert again is not None
    again.release()


def test_a_lease_goes_with_its_holder_whichever_way_it_ends(lease_root: Path) -> None:
    """A holder killed with SIGKILL holds nothing: the kernel lets go of its lock."""
    lease_root.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, os, sys
        fd = os.open({str(lease_root / "slot-13.lock")!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("held", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    assert leases.held("slot-13")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert not leases.held("slot-13")


def test_take_waits_for_a_lease_to_its_deadline() -> None:
    first = leases.try_take("slot-14")
    assert first is not None
    start = time.monotonic()
    assert leases.take("slot-14", deadline=start + 0.3) is None
    assert time.monotonic() - start >= 0.3
    first.release()
    second = leases.take("slot-14", deadline=time.monotonic() + 5)
    assert second is not None
    second.release()


def test_the_reaper_holds_what_the_run_handed_it_until_the_run_ends(tmp_path: Path) -> None:
    """The run's side of Ownership.hold, and the reaper's (_hold_until_the_run_ends), over a socket pair: the
    lease stays held after the run lets go of its own, until the run's end closes; drop gives it back."""
    import socket
    import threading

    from dockersim.ownership.reaper import _hold_until_the_run_ends

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    held: dict[str, leases.Lease] = {}
    reaper = threading.Thread(target=_hold_until_the_run_ends, args=(theirs, held))
    reaper.start()
    for name in ("slot-15", "slot-16"):
        lease = leases.try_take(name)
        assert lease is not None
        socket.send_fds(ours, [f"hold {name}".encode()], [lease.fd])
        lease.release()  # the run's own hold
    ours.send(b"drop slot-16")
    assert ours.recv(64) == b"dropped"
    assert not leases.held("slot-16")
    assert leases.held("slot-15")  # the reaper's duplicate
    ours.close()  # the run ends
    reaper.join(timeout=5)
    assert not reaper.is_alive() and "slot-15" in held
    held["slot-15"].release()  # the reaper, done, lets go
    assert not leases.held("slot-15")
    theirs.close()
