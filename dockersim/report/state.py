"""`dockersim state` for people: the engine as the checks see it, in columns that fit a terminal."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from tabulate import tabulate

from dockersim.engine.state import ContainerState, Mount, PortBinding, VolumeState

_ANONYMOUS = re.compile(r"^[0-9a-f]{64}$")


def _short(name: str) -> str:
    return name[:12] + "…" if _ANONYMOUS.match(name) else name


def ports_text(ports: list[PortBinding]) -> str:
    """Like docker ps, but each binding once: the IPv6 twin of an all-addresses binding adds nothing."""
    shown: list[str] = []
    for b in ports:
        if not b.published:
            text = b.key
        elif b.host_ip in ("0.0.0.0", "::", ""):
            text = f"{b.host_port}->{b.key}"
        else:
            text = f"{b.host()}->{b.key}"
        if text not in shown:
            shown.append(text)
    return ", ".join(shown)


def mount_text(m: Mount) -> str:
    source = _short(m.name) if m.type == "volume" else m.source
    return f"{source}:{m.destination}" + ("" if m.rw else ":ro")


def state_tables(containers: list[ContainerState], volumes: list[VolumeState]) -> str:
    rows = [
        [c.name, c.short_id, c.image, c.state + (f" ({c.exit_code})" if c.exit_code is not None else ""),
         ports_text(c.ports), c.ip, ", ".join(mount_text(m) for m in c.mounts)]
        for c in containers
    ]  # fmt: skip
    return "\n\n".join(
        [
            tabulate(rows, headers=["container", "id", "image", "state", "ports", "ip", "mounts"]),
            tabulate(
                [[_short(v.name), v.driver, v.mountpoint] for v in volumes], headers=["volume", "driver", "mountpoint"]
            ),  # fmt: skip
        ]
    )


def state_json(containers: list[ContainerState], volumes: list[VolumeState], disagreements: list[str],
               calls: int) -> str:  # fmt: skip
    data = {"containers": [asdict(c) for c in containers], "volumes": [asdict(v) for v in volumes],
            "disagreements": disagreements, "docker_calls": calls}  # fmt: skip
    return json.dumps(data, indent=2)
