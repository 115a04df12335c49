"""A container check: each field a row of (validate, compare), as goss's matchers are values, not
branches."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dockersim.checks.base import CheckContext, Mismatch
from dockersim.engine.images import normal_ref
from dockersim.engine.snapshot import Snapshot
from dockersim.engine.state import STATES, ContainerState, PortBinding
from dockersim.i18n.phrase import Phrase
from dockersim.yamlfile.source import LMap, line_of
from dockersim.yamlfile.validation import closest as _closest
from dockersim.yamlfile.validation import fail as _fail
from dockersim.yamlfile.validation import scalar as _scalar

Compare = Callable[[str, Any, ContainerState, CheckContext], list[Mismatch]]


def port_key(text: str) -> str:
    return text if "/" in text else f"{text}/tcp"


def is_port(text: str) -> bool:
    """Whether a check's port is one a container can have: 1 to 65535, and tcp, udp or sctp."""
    found = re.fullmatch(r"(\d{1,5})(/(tcp|udp|sctp))?", text)
    return found is not None and 1 <= int(found.group(1)) <= 65535


def _port_matches(spec: str, bindings: list[PortBinding]) -> bool:
    published = [b for b in bindings if b.published]
    if spec == "none":
        return not published
    if spec == "any":
        return bool(published)
    if spec == "exposed":
        return bool(bindings) and not published
    ip, _, port = spec.rpartition(":")
    ip = ip[1:-1] if ip.startswith("[") else ip
    return any(str(b.host_port) == port and (not ip or b.host_ip == ip) for b in published)


def _describe_ports(bindings: list[PortBinding]) -> str:
    if not bindings:
        return Phrase("w_nothing")
    if not any(b.published for b in bindings):
        return Phrase("p_exposed_only")
    return ", ".join(b.host() for b in bindings if b.published)


_MOUNT_FIELDS = ("type", "source", "destination", "name", "driver", "mode", "rw")


def _v_state(value: Any, path: str, line: int, key: str) -> Any:
    value = _scalar(value, path, line, key)
    if value not in (*STATES, "absent"):
        raise _fail(path, line, f"unknown state '{value}'" + _closest(value, [*STATES, "absent"]))
    return value


def _v_exit_code(value: Any, path: str, line: int, key: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 255:
        raise _fail(path, line, "exit_code should be a whole number from 0 to 255, as a process exits")
    return value


def _v_ip(value: Any, path: str, line: int, key: str) -> Any:
    value = _scalar(value, path, line, key)
    if "{" not in value:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise _fail(
                path, line, f"ip should be an address or a network such as 172.17.0.0/16, not '{value}'"
            ) from None
    return value


def _v_env(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, dict):
        raise _fail(path, line, "env should be a mapping of NAME: value")
    return {str(k): _scalar(v, path, line, f"env {k}") for k, v in value.items()}


def _v_ports(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, dict):
        raise _fail(path, line, 'ports should be a mapping such as {80/tcp: "0.0.0.0:80"}')
    ports = {}
    for k, v in value.items():
        if not is_port(str(k)):
            raise _fail(path, line, f"'{k}' is not a container port such as 80/tcp")
        specs = v if isinstance(v, list) else [v]
        for s in specs:
            s = _scalar(s, path, line, f"ports {k}")
            if s not in ("any", "none", "exposed") and "{" not in s and not re.fullmatch(r"(.*:)?\d+", s):
                raise _fail(path, line, f"ports {k}: '{s}' should be HOST_IP:PORT, PORT, any, none or exposed")
        ports[port_key(str(k))] = [str(s) for s in specs]
    return ports


def _v_list(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, list):
        raise _fail(path, line, f"{key} should be a list")
    items = [_scalar(v, path, line, key) for v in value]
    if key == "links":
        for item in items:
            if ":" not in item:
                raise _fail(path, line, f"a link reads TARGET:ALIAS, not '{item}'")
    return items


def _v_mounts(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, list) or not all(isinstance(m, dict) for m in value):
        raise _fail(path, line, "mounts should be a list of mappings such as {type: bind, destination: /data}")
    for m in value:
        for k, v in m.items():
            if k not in _MOUNT_FIELDS:
                raise _fail(path, line_of(m, line), f"a mount has no field '{k}'" + _closest(k, list(_MOUNT_FIELDS)))
            if k == "rw" and not isinstance(v, bool):
                raise _fail(path, line_of(m, line), "a mount's rw should be true or false")
            if k != "rw":
                _scalar(v, path, line_of(m, line), f"a mount's {k}")
    return [{k: (v if k == "rw" else str(v)) for k, v in m.items()} for m in value]


def _c_equal(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    found = getattr(c, key)
    return [] if found == want else [Mismatch(key, str(want), str(found))]


def _c_text(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    found, expected = getattr(c, key) or "", ctx.resolve(want)
    return [] if found == expected else [Mismatch(key, repr(expected), repr(found))]


def _c_image(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    expected = ctx.image_ref(ctx.resolve(want))
    return [] if normal_ref(c.image) == normal_ref(expected) else [Mismatch("image", expected, c.image)]


def _c_ip(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    network = ctx.resolve(want)
    if not c.ip:
        return [Mismatch("ip", Phrase("p_address_in", network=network), Phrase("p_no_address"))]
    ok = ipaddress.ip_address(c.ip) in ipaddress.ip_network(network, strict=False)
    return [] if ok else [Mismatch("ip", Phrase("p_address_in", network=network), c.ip)]


def _c_env(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    out = []
    for k, v in want.items():
        found = c.env.get(k)
        if found != ctx.resolve(v):
            out.append(Mismatch(f"env {k}", repr(ctx.resolve(v)), Phrase("w_unset") if found is None else repr(found)))
    return out


def _c_ports(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    out = []
    for port, specs in want.items():
        bindings = [b for b in c.ports if b.key == port]
        for spec in specs:
            if not _port_matches(ctx.resolve(spec), bindings):
                out.append(Mismatch(f"ports {port}", ctx.resolve(spec), _describe_ports(bindings)))
    return out


def _c_members(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    found = getattr(c, key)
    missing = [ctx.resolve(item) for item in want if ctx.resolve(item) not in found]
    return [Mismatch(key, ", ".join(missing), ", ".join(found) or Phrase("w_none"))] if missing else []


def _c_mounts(key: str, want: Any, c: ContainerState, ctx: CheckContext) -> list[Mismatch]:
    out = []
    for spec in want:
        wanted = {k: (v if k == "rw" else ctx.resolve(v)) for k, v in spec.items()}
        if "source" in wanted and wanted.get("type", "bind") == "bind":
            wanted["source"] = ctx.host_path(wanted["source"])  # as the grader re-rooted it
        if not any(all(getattr(m, k) == v for k, v in wanted.items()) for m in c.mounts):
            shown = ", ".join(f"{k}={v}" for k, v in wanted.items())
            found = "; ".join(f"{m.type} {m.name if m.type == 'volume' else m.source} -> {m.destination}"
                              for m in c.mounts)  # fmt: skip
            out.append(Mismatch("mounts", Phrase("p_mount_with", shown=shown), found or Phrase("p_no_mounts")))
    return out


@dataclass(frozen=True)
class Field:
    validate: Callable[[Any, str, int, str], Any]
    compare: Compare


_TEXT = Field(_scalar, _c_text)


CONTAINER_FIELDS: dict[str, Field] = {
    "state": Field(_v_state, _c_equal),
    "image": Field(_scalar, _c_image),
    "command": _TEXT,
    "hostname": _TEXT,
    "health": _TEXT,
    "name": _TEXT,
    "ip": Field(_v_ip, _c_ip),
    "exit_code": Field(_v_exit_code, _c_equal),
    "env": Field(_v_env, _c_env),
    "ports": Field(_v_ports, _c_ports),
    "links": Field(_v_list, _c_members),
    "volumes_from": Field(_v_list, _c_members),
    "mounts": Field(_v_mounts, _c_mounts),
    "networks": Field(_v_list, _c_members),  # the networks it is attached to, by name
}


@dataclass
class ContainerCheck:
    """`{container: NAME, state: running, image: …, env: {…}, ports: {…}, …}`"""

    ref: str
    line: int
    fields: dict[str, Any] = field(default_factory=dict)

    FIELDS = tuple(CONTAINER_FIELDS)

    @classmethod
    def parse(cls, spec: LMap, path: str) -> ContainerCheck:
        ref = _scalar(spec["container"], path, spec.lines["container"], "container")
        check = cls(ref, spec.line)
        for key, value in spec.items():
            if key == "container":
                continue
            line = spec.lines[key]
            if key not in CONTAINER_FIELDS:
                raise _fail(path, line, f"a container check has no field '{key}'" + _closest(key, list(cls.FIELDS)))
            check.fields[key] = CONTAINER_FIELDS[key].validate(value, path, line, key)
        return check

    def describe(self) -> str:
        return Phrase("d_container", ref=self.ref)

    def evaluate(self, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
        ref = ctx.resolve(self.ref)
        c = snap.container(ref)
        want_state = self.fields.get("state")
        if c is None:
            if want_state == "absent":
                return []
            return [Mismatch("container", Phrase("p_to_exist", ref=ref), Phrase("p_no_such_container"))]
        if want_state == "absent":
            return [Mismatch("state", Phrase("w_absent"), f"{c.state} ({c.name})")]
        return [m for key, want in self.fields.items() for m in CONTAINER_FIELDS[key].compare(key, want, c, ctx)]
