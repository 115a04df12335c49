"""A filesystem of a sandbox's own: its engine's data and its workspaces, bounded by its size."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from dockersim.errors import DockersimError

# Blocks only root may use: dockerd's own files (container configs, logs) still fit when a submission filled
# what it may use, so that the engine can be emptied after it.
ENGINE_RESERVE = 256 * 1024**2


class DiskError(DockersimError):
    pass


@dataclass(frozen=True)
class Disk:
    """A sandbox's own filesystem (ext4 in a sparse file, loop-mounted at `mount`): its engine's data and its
    workspaces, so that what a submission writes, through any path, is bounded by the filesystem's size.
    A file of ballast leaves a submission exactly its bound once the kit's images are in."""

    image: Path
    mount: Path

    @property
    def ballast(self) -> Path:
        return self.mount / ".ballast"

    def mounted(self) -> bool:
        return os.path.ismount(self.mount)

    def up(self, size: int) -> None:
        """Mounted, at least `size` bytes big (made, or grown; its contents are kept between runs)."""
        if self.mounted():
            return
        for tool in ("mkfs.ext4", "resize2fs", "mount", "losetup"):
            if shutil.which(tool) is None:
                raise DiskError(f"bounding a sandbox's disk needs {tool} (apt-get install e2fsprogs mount)")
        self.mount.mkdir(parents=True, exist_ok=True)
        fresh = not self.image.exists()
        if fresh:
            with open(self.image, "wb") as f:
                f.truncate(size)  # sparse: the machine's disk holds only what is written
            # -m: blocks kept for root (the engine), never for a container's remapped root.
            reserve = max(1, min(50, round(100 * ENGINE_RESERVE / size)))
            _run(["mkfs.ext4", "-q", "-F", "-m", str(reserve), "-E", "nodiscard", str(self.image)])
        elif self.image.stat().st_size < size:
            with open(self.image, "r+b") as f:
                f.truncate(size)
            _run(["e2fsck", "-f", "-y", str(self.image)], ok=(0, 1))
            _run(["resize2fs", str(self.image)])
        # discard: what is removed inside is given back to the machine's disk (a hole punched in the image)
        _run(["mount", "-o", "loop,discard,nosuid,nodev", str(self.image), str(self.mount)])
        self.ballast.unlink(missing_ok=True)  # a run that died left it: the kit may need the room

    def down(self) -> None:
        """Unmounted (its loop device goes with it); what it holds stays in the image for the next run, and
        the blocks it does not use are given back to the machine's disk first (fstrim: a hog's removed files
        may still hold them where the filesystem did not discard them as they went)."""
        if self.mounted():
            self.ballast.unlink(missing_ok=True)  # it may hold blocks a hog wrote and gave back, never trimmed
            if shutil.which("fstrim") is not None:
                os.sync()  # what was removed committed first: fstrim passes over blocks the journal still holds
                _run(["fstrim", str(self.mount)], ok=(0, 1, 32, 64))  # a trim that fails only keeps the blocks
            _run(["umount", str(self.mount)], ok=(0,))

    def open_up(self) -> None:
        """No ballast: the whole disk, for the kit's images between submissions."""
        self.ballast.unlink(missing_ok=True)

    def leave(self, room: int) -> None:
        """Ballast sized so that exactly `room` bytes are free for what is not root (a submission)."""
        self.ballast.unlink(missing_ok=True)
        spare = self.free() - room
        if spare > 0:
            fd = os.open(self.ballast, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                os.posix_fallocate(fd, 0, spare)
            finally:
                os.close(fd)

    def free(self) -> int:
        """Bytes free for what is not root."""
        found = os.statvfs(self.mount)
        return found.f_bavail * found.f_frsize


def _run(argv: list[str], ok: tuple[int, ...] = (0,)) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    if done.returncode not in ok:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise DiskError(f"`{' '.join(argv)}` failed: {why}")
