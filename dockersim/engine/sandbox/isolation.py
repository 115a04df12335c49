"""An engine started on a throwaway root, in a private mount namespace (isolate.sh): it sees /usr read-only,
copies of what it reads of /etc, its own storage and run dir, and the host folders it is given; and a stage
on which one folder at a time is shown to it (show.py), never mounted in the host's namespace."""

from __future__ import annotations

import ctypes
import errno
import os
import subprocess
import sys
from pathlib import Path

from dockersim.engine.sandbox.box import REMAP_COUNT, Box, SandboxError

ISOLATE = Path(__file__).with_name("isolate.sh")
SHOW = Path(__file__).with_name("show.py")


def isolated(box: Box, argv: list[str], pid_namespace: bool = False) -> list[str]:
    """An engine's argv (dockerd's, a podman sandbox's init's) wrapped to start in a private mount namespace
    on a throwaway root; with pid_namespace, in a new PID namespace too, whose init it is."""
    rootfs = box.run_dir / "rootfs"
    rootfs.mkdir(exist_ok=True)
    for folder in box.shared:
        folder.mkdir(parents=True, exist_ok=True)
    binds: list[str] = []
    # The engine's storage alone of its data root: its stage (workspaces) is beside it, seen only as shown.
    for name in box.storage:
        (box.data_root / name).mkdir(parents=True, exist_ok=True)
    for folder in (box.run_dir, *(box.data_root / name for name in box.storage), *box.shared):
        # As given and as resolved: a symlink on the way (/var/run) is not in the new root.
        for path in (os.path.abspath(folder), str(folder.resolve())):
            if path not in binds:
                binds.append(path)
    empties = [str(box.stage.resolve())] if box.stage is not None else []
    if any(e == b or e.startswith(f"{b}/") for e in empties for b in binds):
        raise SandboxError(f"a sandbox's stage {box.stage} cannot be in a folder it binds whole")
    return [
        "unshare", "--mount", *(("--pid", "--fork", "--kill-child") if pid_namespace else ()),
        "--propagation", "private",
        "sh", str(ISOLATE),
        str(rootfs), str(box.remap_root), str(REMAP_COUNT), str(len(binds)), *binds, str(len(empties)), *empties,
        *argv,
    ]  # fmt: skip


def moves_mounts() -> bool:
    """Whether the kernel has open_tree (and move_mount, from the same release): asked with a bad descriptor."""
    libc = ctypes.CDLL(None, use_errno=True)
    return bool(libc.syscall(428, -1, b"", 0) == 0 or ctypes.get_errno() != errno.ENOSYS)


def show(box: Box, folder: Path) -> None:
    """Bind `folder`, a folder in the stage, into an isolated dockerd's mount namespace at its own path, in
    place of the one shown before: of the stage, the engine and its containers reach that folder alone
    (the submission graded now), whatever symlink a container swaps in. Nothing is mounted on the host."""
    pid = box.pid()
    if box.stage is None or box.engine != "dockerd" or pid is None or folder.resolve().parent != box.stage.resolve():
        raise SandboxError(f"the sandbox {box.name} has no stage to show {folder} on")
    done = subprocess.run([sys.executable, "-I", str(SHOW), str(pid), str(box.stage.resolve()),
                           str(folder.resolve())], capture_output=True, text=True, timeout=60)  # fmt: skip
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise SandboxError(f"could not show {folder} to the sandbox {box.name}: {why}")
