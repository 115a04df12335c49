"""What `dockersim engine status` says: which engine a run uses, the sandbox, the grading engines."""

from __future__ import annotations

import os
import shutil
from typing import Any

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.engine.sandbox.slots import running
from dockersim.errors import DockersimError
from dockersim.host import leases


def status(docker_bin: str, context: str | None) -> dict[str, Any]:
    """What `engine status` says, as data (its --json): the engine a run uses, the sandbox, the grading
    engines running, and the leases held on this machine."""
    where = (
        f"context {context}"
        if context
        else (f"DOCKER_HOST={os.environ['DOCKER_HOST']}" if os.environ.get("DOCKER_HOST") else "the default engine")
    )
    run: dict[str, Any] = {"engine": where, "answers": False, "version": None, "why": None}
    try:
        run.update(answers=True, version=Docker(docker_bin, context).server_version())
    except DockersimError as e:
        run["why"] = str(e)
    box = Sandbox()
    version = box.version(docker_bin) if shutil.which(docker_bin) else None
    sandbox = {"endpoint": box.docker_host, "answers": bool(version), "version": version,
               "published_ports_on": box.engine_host if version else None}  # fmt: skip
    held = [{"lease": name, **who} for name, who in leases.all_held()]
    return {"run": run, "sandbox": sandbox, "grading": [n for n in running() if n != box.name], "leases": held}


def status_lines(docker_bin: str, context: str | None) -> list[str]:
    found = status(docker_bin, context)
    run, box = found["run"], found["sandbox"]
    lines = [f"run uses {run['engine']}: answers, engine {run['version']}" if run["answers"]
             else f"run uses {run['engine']}: {run['why']}"]  # fmt: skip
    if box["answers"]:
        lines.append(f"run --sandbox uses {box['endpoint']}: answers, engine {box['version']}; "
                     f"published ports answer on {box['published_ports_on']}")  # fmt: skip
    else:
        lines.append("run --sandbox: the sandbox engine is down (dockersim engine up starts it)")
    grading = found["grading"]
    lines.append(f"grading engines running: {', '.join(grading)}" if grading else "no grading engine runs")
    lines += [f"{held['lease']}: {held_by(held)}" for held in found["leases"]] or [
        "no run holds a sandbox or the kit registry"
    ]
    return lines


def held_by(who: dict[str, object]) -> str:
    """Who holds a lease, as its holder said (leases.Lease.note)."""
    what = str(who.get("what", "a run"))
    thing = f" ({who['sandbox']})" if "sandbox" in who else (f" ({who['out']})" if "out" in who else "")
    if who.get("stopping"):
        return f"being stopped by the reaper (pid {who.get('reaper', '?')}) of run {who.get('run', '?')}, which died"
    return f"{what}{thing}, pid {who.get('pid', '?')}"
