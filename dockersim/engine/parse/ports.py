"""Port bindings from the PORTS column of `docker ps` and from `docker port`."""

from __future__ import annotations

import re

from dockersim.engine.state import PortBinding
from dockersim.errors import ParseError

_ITEM = re.compile(
    r"^(?P<host>.*):(?P<hp>\d+)(?:-(?P<hp2>\d+))?->(?P<cp>\d+)(?:-(?P<cp2>\d+))?/(?P<proto>tcp|udp|sctp)$"
)
_EXPOSED = re.compile(r"^(?P<cp>\d+)(?:-(?P<cp2>\d+))?/(?P<proto>tcp|udp|sctp)$")
_PORT_LINE = re.compile(r"^(?:(?P<cp>\d+)/(?P<proto>tcp|udp|sctp) -> )?(?P<host>.*):(?P<hp>\d+)$")


def _host_ip(text: str) -> str:
    # Client >= 27.2 writes IPv6 as [::], older clients as :: (so ":::10130" splits to "::").
    return text[1:-1] if text.startswith("[") and text.endswith("]") else text


def _span(first: str, last: str | None, text: str) -> range:
    lo, hi = int(first), int(last) if last else int(first)
    if hi < lo or hi - lo > 65535 or hi > 65535:
        raise ParseError("a port range", text)
    return range(lo, hi + 1)


def parse_ports_column(text: str) -> list[PortBinding]:
    """`0.0.0.0:10150-10152->10150-10152/tcp, [::]:10130->80/tcp, 3306/tcp` → one binding a port."""
    out: list[PortBinding] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        m = _EXPOSED.match(item)
        if m:
            out += [PortBinding(p, m.group("proto")) for p in _span(m.group("cp"), m.group("cp2"), item)]
            continue
        m = _ITEM.match(item)
        if not m:
            raise ParseError("a docker ps PORTS entry", item)
        container = _span(m.group("cp"), m.group("cp2"), item)
        host = _span(m.group("hp"), m.group("hp2"), item)
        if len(container) != len(host):
            raise ParseError("a docker ps PORTS entry", item)
        ip = _host_ip(m.group("host"))
        out += [PortBinding(c, m.group("proto"), ip, h) for c, h in zip(container, host, strict=True)]
    return out


def parse_port_output(text: str, port: str = "") -> list[PortBinding]:
    """`docker port C` (`80/tcp -> 0.0.0.0:10130`) or `docker port C 80` (`0.0.0.0:10130`), sorted."""
    out: list[PortBinding] = []
    given = _EXPOSED.match(port) if "/" in port else (re.match(r"^(?P<cp>\d+)$", port) if port else None)
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        m = _PORT_LINE.match(line)
        if not m:
            raise ParseError("a docker port line", line)
        if m.group("cp"):
            cp, proto = int(m.group("cp")), m.group("proto")
        elif given:
            cp = int(given.group("cp"))
            proto = given.groupdict().get("proto") or "tcp"
        else:
            raise ParseError("a docker port line (no container port given)", line)
        out.append(PortBinding(cp, proto, _host_ip(m.group("host")), int(m.group("hp"))))
    return sorted(out, key=lambda b: (b.container_port, b.protocol, ":" in (b.host_ip or ""), b.host_ip or ""))
