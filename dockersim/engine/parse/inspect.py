"""`docker inspect` for containers, images, volumes and networks, read into dockersim.state records."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from dockersim.engine.state import (
    ContainerState,
    Healthcheck,
    ImageState,
    Mount,
    NetworkState,
    PortBinding,
    VolumeState,
)
from dockersim.errors import ParseError

T = TypeVar("T")


def _objects(text: str, what: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text) if text.strip() else []
    except ValueError:
        raise ParseError(f"docker inspect output for {what}", text) from None
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        raise ParseError(f"docker inspect output for {what}", text)
    return data


def _each(text: str, what: str, read: Callable[[dict[str, Any]], T]) -> list[T]:
    out = []
    for obj in _objects(text, what):
        try:
            out.append(read(obj))
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ParseError(f"docker inspect output for {what} ({type(e).__name__}: {e})", text) from None
    return out


def _map(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {value!r}")
    return value


def _path(value: str) -> str:
    """A mount's path as docker keeps it: podman keeps the `/root/` a command wrote, docker `/root`."""
    return posixpath.normpath(value) if value.startswith("/") else value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {value!r}")
    return value


def _str(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _port_key(key: str) -> tuple[int, str]:
    number, _, proto = key.partition("/")
    return int(number), proto or "tcp"


def _ports(settings: dict[str, Any]) -> list[PortBinding]:
    out = []
    for key, bindings in _map(settings.get("Ports")).items():
        number, proto = _port_key(key)
        if not bindings:
            out.append(PortBinding(number, proto))
        for b in _list(bindings):
            # Every address: docker says 0.0.0.0, podman leaves HostIp empty.
            host_ip = _str(_map(b).get("HostIp")) or "0.0.0.0"
            out.append(PortBinding(number, proto, host_ip, int(_map(b)["HostPort"])))
    return sorted(out, key=lambda b: (b.container_port, b.protocol, ":" in (b.host_ip or ""), b.host_ip or ""))


def _link(text: str) -> str:
    # "/wordpressdb:/wordpress/mysql" -> "wordpressdb:mysql"
    target, _, alias = _str(text).partition(":")
    return f"{target.lstrip('/')}:{alias.rsplit('/', 1)[-1]}"


def _env(items: list[Any]) -> dict[str, str]:
    env = {}
    for item in items:
        key, _, value = _str(item).partition("=")
        env[key] = value
    return env


def read_container(obj: dict[str, Any]) -> ContainerState:
    state = _map(obj["State"])
    config = _map(obj.get("Config"))
    host = _map(obj.get("HostConfig"))
    settings = _map(obj.get("NetworkSettings"))
    status = _str(state.get("Status"))
    return ContainerState(
        id=_str(obj["Id"]),
        name=_str(obj.get("Name")).lstrip("/"),
        image=_str(config.get("Image")),
        image_id=_str(obj.get("Image")),
        # As docker ps shows it: Path and Args joined by spaces.
        command=" ".join(_str(a) for a in [obj.get("Path"), *_list(obj.get("Args"))] if a),
        state=status,
        exit_code=int(state["ExitCode"]) if status in ("exited", "dead", "restarting") else None,
        health=_str(_map(state.get("Health")).get("Status")) or None,
        pid=int(state.get("Pid") or 0),
        hostname=_str(config.get("Hostname")),
        tty=bool(config.get("Tty")),
        open_stdin=bool(config.get("OpenStdin")),
        created=_str(obj.get("Created")),
        started_at=_str(state.get("StartedAt")),
        env=_env(_list(config.get("Env"))),
        labels={str(k): _str(v) for k, v in _map(config.get("Labels")).items()},
        ports=_ports(settings),
        links=[_link(link) for link in _list(host.get("Links"))],
        mounts=[
            Mount(
                type=_str(m.get("Type")),
                destination=_path(_str(m.get("Destination"))),
                source=_path(_str(m.get("Source"))),
                name=_str(m.get("Name")),
                driver=_str(m.get("Driver")),
                mode=_str(m.get("Mode")),
                rw=bool(m.get("RW", True)),
            )
            for m in map(_map, _list(obj.get("Mounts")))
        ],
        volumes_from=[_str(v) for v in _list(host.get("VolumesFrom"))],
        networks={str(name): _str(_map(net).get("IPAddress")) for name, net in _map(settings.get("Networks")).items()},
        auto_remove=bool(host.get("AutoRemove")),
    )


_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)")


def instant_ns(text: str) -> int:
    """An RFC 3339 time as inspect prints it (nine digits of fraction or fewer, `Z` or an offset) in
    nanoseconds since the epoch; 0 when it is not one."""
    found = _RFC3339.fullmatch(text.strip())
    if found is None:
        return 0
    zone = "+00:00" if found.group(3) == "Z" else found.group(3)
    seconds = int(datetime.fromisoformat(found.group(1) + zone).timestamp())
    return seconds * 1_000_000_000 + int((found.group(2) or "0").ljust(9, "0"))


def _words(value: Any) -> tuple[str, ...]:
    return tuple(_str(w) for w in _list(value))


def _pairs(value: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), _str(v)) for k, v in value.items()))


def _healthcheck(value: Any) -> Healthcheck | None:
    check = _map(value)
    if not check:
        return None
    return Healthcheck(
        test=_words(check.get("Test")),
        interval=int(check.get("Interval") or 0),
        timeout=int(check.get("Timeout") or 0),
        start_period=int(check.get("StartPeriod") or 0),
        retries=int(check.get("Retries") or 0),
    )


def read_image(obj: dict[str, Any]) -> ImageState:
    """docker's image, or podman's: its Config is the OCI one, and a docker-format image's health check sits
    beside it (`Healthcheck`); an OCI-format image has none (podman build drops HEALTHCHECK from those)."""
    config = _map(obj.get("Config"))
    ports = sorted(map(_port_key, _map(config.get("ExposedPorts"))))
    return ImageState(
        id=_str(obj["Id"]),
        repo_tags=_words(obj.get("RepoTags")),
        cmd=_words(config.get("Cmd")),
        entrypoint=_words(config.get("Entrypoint")),
        env=tuple(_env(_list(config.get("Env"))).items()),
        exposed_ports=tuple(f"{number}/{proto}" for number, proto in ports),
        user=_str(config.get("User")),
        workdir=_str(config.get("WorkingDir")),
        labels=_pairs(_map(config.get("Labels"))),
        volumes=tuple(sorted(_path(str(v)) for v in _map(config.get("Volumes")))),
        healthcheck=_healthcheck(config.get("Healthcheck") or obj.get("Healthcheck")),
        layers=_words(_map(obj.get("RootFS")).get("Layers")),
        size=int(obj.get("Size") or 0),
        created=instant_ns(_str(obj.get("Created"))),
    )


def read_volume(obj: dict[str, Any]) -> VolumeState:
    return VolumeState(
        name=_str(obj["Name"]),
        driver=_str(obj.get("Driver")),
        mountpoint=_str(obj.get("Mountpoint")),
        scope=_str(obj.get("Scope")),
        labels=tuple(sorted((str(k), _str(v)) for k, v in _map(obj.get("Labels")).items())),
    )


def read_network(obj: dict[str, Any]) -> NetworkState:
    """docker's network (`Name`, `IPAM.Config[].Subnet`) or podman's (`name`, `subnets[].subnet`)."""
    if "name" in obj and "Name" not in obj:
        subnets = (_str(_map(s).get("subnet")) for s in _list(obj.get("subnets")))
        return NetworkState(
            _str(obj["name"]), _str(obj.get("id")), _str(obj.get("driver")), tuple(s for s in subnets if s)
        )
    configs = _list(_map(obj.get("IPAM")).get("Config"))
    return NetworkState(
        name=_str(obj["Name"]),
        id=_str(obj["Id"]),
        driver=_str(obj.get("Driver")),
        subnets=tuple(_str(_map(c).get("Subnet")) for c in configs if _map(c).get("Subnet")),
    )


def parse_containers(text: str) -> list[ContainerState]:
    return _each(text, "containers", read_container)


def parse_images(text: str) -> list[ImageState]:
    return _each(text, "images", read_image)


def parse_volumes(text: str) -> list[VolumeState]:
    return _each(text, "volumes", read_volume)


def parse_networks(text: str) -> list[NetworkState]:
    return _each(text, "networks", read_network)
