"""A sandbox engine, started: the box (box.py) up with its link, its bounds, and the engine that runs its
containers — dockerd (dockerd.py) or podman (podman.py), chosen once by the box's `engine`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dockersim.engine.sandbox import dockerd, podman
from dockersim.engine.sandbox.box import KIT_ROOM, Box
from dockersim.engine.sandbox.isolation import show
from dockersim.errors import DockersimError

STARTS: dict[str, Callable[[Box, float], None]] = {"dockerd": dockerd.start, "podman": podman.start}


class Sandbox(Box):
    def up(self, timeout: float = 60.0) -> bool:
        """Start the sandbox unless it runs already; True when this call started it."""
        self.check_can_run()
        if self.version() is not None:
            return False
        try:
            self.link.up()
        except DockersimError:
            self.link.down()
            raise
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.data_root.mkdir(parents=True, exist_ok=True)
        try:
            self._bound()
        except DockersimError:
            self.down()
            raise
        STARTS[self.engine](self, timeout)
        return True

    def _bound(self) -> None:
        """With limits: its own filesystem at its data root (the engine's data and its workspaces), and its
        cgroup made with the memory, process and CPU bounds before any container is under it."""
        if self.limits is None:
            return
        self.disk.up(self.limits.disk + KIT_ROOM)
        self.cgroup.bound(self.limits)

    def show(self, folder: Path) -> None:
        """The folder of the stage its engine and containers reach now (isolation.show)."""
        show(self, folder)
