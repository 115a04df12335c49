"""Show one folder to an isolated dockerd's mount namespace, in place of the one shown before (Sandbox.show).

Run as root, as a script of its own (`python -I show.py PID STAGE FOLDER`: setns needs a single thread), never
imported. PID is a process in the sandbox's mount namespace. The folder is cloned as a detached mount in the
host's namespace (open_tree), then, in the sandbox's, whatever the stage held is unmounted and the clone moved
in at the folder's own path (move_mount; Linux 5.2). Nothing of it is in the host's namespace.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys

OPEN_TREE, MOVE_MOUNT = 428, 429  # syscall numbers, the same on every architecture from 424 on
OPEN_TREE_CLONE, MOVE_MOUNT_F_EMPTY_PATH, AT_FDCWD = 1, 4, -100
CLONE_NEWNS = 0x20000
MNT_DETACH, UMOUNT_NOFOLLOW = 2, 8
MS_PRIVATE, MS_REC = 1 << 18, 16384
EINVAL = 22


def main(pid: str, stage: str, folder: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)

    def check(result: int, what: str) -> int:
        if result < 0:
            raise SystemExit(f"{what}: {os.strerror(ctypes.get_errno())}")
        return result

    tree = check(libc.syscall(OPEN_TREE, AT_FDCWD, folder.encode(), OPEN_TREE_CLONE | os.O_CLOEXEC), "open_tree")
    check(libc.setns(os.open(f"/proc/{pid}/ns/mnt", os.O_RDONLY), CLONE_NEWNS), "setns")
    for name in os.listdir(stage):  # the stage is the sandbox's own now: a folder on its throwaway root
        shown = os.path.join(stage, name)
        while libc.umount2(shown.encode(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0:  # each mount stacked there
            pass
        if ctypes.get_errno() != EINVAL:  # EINVAL: no mount left there
            check(-1, "umount")
        if os.lstat(shown).st_dev != os.lstat(stage).st_dev:
            raise SystemExit(f"{shown} is still another file system's")
        shutil.rmtree(shown)  # the folder the mount was on, or one the engine made for a bind (and its files)
    os.mkdir(folder)
    check(libc.syscall(MOVE_MOUNT, tree, b"", AT_FDCWD, folder.encode(), MOVE_MOUNT_F_EMPTY_PATH), "move_mount")
    # Its own peer group: no mount event under it goes back to the host's, or comes from there.
    check(libc.mount(None, folder.encode(), None, MS_PRIVATE | MS_REC, None), "make private")


if __name__ == "__main__":
    main(*sys.argv[1:4])
