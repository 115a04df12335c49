"""What docker's error messages say, as far as dockersim needs to tell them apart."""

from __future__ import annotations

import re

_MISSING = re.compile(r"(?i)^(error: )?(error response from daemon: )?(no such (object|container|volume|network|image)"
                      r"|get \S+: no such volume|network \S+ not found)")  # fmt: skip


def only_missing(stderr: str) -> bool:
    """Whether a failed inspect failed only because objects are missing (not: no engine, no permission…)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return bool(lines) and all(_MISSING.match(line) for line in lines)
