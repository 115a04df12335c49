"""What `dockersim engine status` says: which engine a run uses, the sandbox, the grading engines."""

from __future__ import annotations

import os
import shutil

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.engine.sandbox.slots import running
from dockersim.errors import DockersimError
from dockersim.host import leases


def status_lines(docker_bin: str, context: str | None) -> list[str]:
    where = (
        f"context {context}"
        if context
        else (f"DOCKER_HOST={os.environ['DOCKER_HOST']}" if os.environ.get("DOCKER_HOST") else "the default engine")
    )
    try:
        lines = [f"run uses {where}: answers, engine {Docker(docker_bin, context).server_version()}"]
    except DockersimError as e:
        lines = [f"run uses {where}: {e}"]
    box = Sandbox()
    version = box.version(docker_bin) if shutil.which(docker_bin) else None
    if version:
        lines.append(f"run --sandbox uses {box.docker_host}: answers, engine {version}; "
                     f"published ports answer on {box.engine_host}")  # fmt: skip
    else:
        lines.append("run --sandbox: the sandbox engine is down (dockersim engine up starts it)")
    grading = [name for name in running() if name != box.name]
    lines.append(f"grading engines running: {', '.join(grading)}" if grading else "no grading engine runs")
    held = list(leases.all_held())
    lines += [f"{name}: {held_by(who)}" for name, who in held] or ["no run holds a sandbox or the kit registry"]
    return lines


def held_by(who: dict[str, object]) -> str:
    """Who holds a lease, as its holder said (leases.Lease.note)."""
    what = str(who.get("what", "a run"))
    thing = f" ({who['sandbox']})" if "sandbox" in who else (f" ({who['out']})" if "out" in who else "")
    if who.get("stopping"):
        return f"being stopped by the reaper (pid {who.get('reaper', '?')}) of run {who.get('run', '?')}, which died"
    return f"{what}{thing}, pid {who.get('pid', '?')}"
