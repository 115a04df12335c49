"""A run's values: placeholders resolved against the engine as a step runs ({short_id:web}, {ip:db},
{host_port:web:80}, {image.ubuntu}, {var.X}, {workdir}), and what a check asks of the run (CheckContext)."""

from __future__ import annotations

import re
import tempfile
import time

from dockersim.engine import images
from dockersim.engine.parse.inspect import parse_containers
from dockersim.engine.snapshot import inspect_existing
from dockersim.engine.state import ContainerState
from dockersim.host.beneath import Refused, inside
from dockersim.i18n.phrase import say
from dockersim.run.base import RunState, StepFailed
from dockersim.scenario import placeholders

POLL = 0.05  # seconds between two looks at the engine while waiting for a state


class Values(RunState):
    """Placeholders and the check context, for the rest of the run."""

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
            return images.repository(self.image_ref(self.scenario.images[p.arg]))
        if p.kind == "qualified":
            return images.qualified(self.image_ref(self.scenario.images[p.arg]))
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
