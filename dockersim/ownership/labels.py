"""Who owns what a run makes: the labels every container, volume and network of a run carries, the mark in
the environment of every process it starts, and whether the process that owns a run still lives."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from dockersim.host import proc

LABEL_KEY = "dockersim.run"
OWNER_KEY = "dockersim.owner"
RUN_ENV = "DOCKERSIM_RUN"  # in the environment of every process a watched run starts


def fork_name(run_id: str) -> str:
    """The name a watched run's process carries (15 bytes, as `ps` shows it), and with it every process it
    forks, from the fork on: a child between its fork and its exec (a docker command about to start) has not
    yet the run's mark in the environment /proc shows, but already has this name."""
    return f"dockersim-{run_id[:5]}"


def state_home() -> Path:
    """dockersim's folder of what outlives a process: run journals, practice progress."""
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "dockersim"


def state_dir() -> Path:
    return state_home() / "runs"


def owner_id(pid: int | None = None) -> str:
    """`host/boot/pid/start`: a process, named for good."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}/{proc.boot_id()}/{pid}/{proc.start_time(pid)}"


def owner_alive(owner: str) -> bool | None:
    """Whether the process that owns a run still runs; None when that cannot be told (another machine)."""
    try:
        host, boot, pid, start = owner.split("/")
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    if boot != proc.boot_id():
        return False  # the machine restarted since
    return pid.isdigit() and proc.start_time(int(pid)) == start and start != ""
