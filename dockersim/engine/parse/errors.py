"""What docker's error messages say, as far as dockersim needs to tell them apart."""

from __future__ import annotations

import re

# docker: "Error: No such object: x", "Error response from daemon: …"; podman 4.3: "Error: inspecting object:
# no such container x", "error inspecting object: x: image not known", "… network x: unable to find network …"
_MISSING = re.compile(r"(?i)^(error:? )?(inspecting object: )?(error response from daemon: )?"
                      r"(no such (object|container|volume|network|image)|get \S+: no such volume|network \S+ not found"
                      r"|\S+: image not known|network \S+: unable to find network)")  # fmt: skip


def only_missing(stderr: str) -> bool:
    """Whether a failed inspect failed only because objects are missing (not: no engine, no permission…)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return bool(lines) and all(_MISSING.match(line) for line in lines)
