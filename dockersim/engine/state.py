"""What the engine holds, as dockersim reads it: plain typed records filled in by the parsers."""

from __future__ import annotations

from dataclasses import dataclass, field

# The values of `docker ps --format {{.State}}` and `inspect .State.Status`, plus `absent` for checks.
STATES = ("created", "running", "paused", "restarting", "removing", "exited", "dead")


@dataclass(frozen=True)
class PortBinding:
    """One container port and, when published, the host address it is published on."""

    container_port: int
    protocol: str = "tcp"
    host_ip: str | None = None  # None: exposed only
    host_port: int | None = None

    @property
    def key(self) -> str:
        return f"{self.container_port}/{self.protocol}"

    @property
    def published(self) -> bool:
        return self.host_port is not None

    def host(self) -> str:
        ip = self.host_ip or ""
        ip = f"[{ip}]" if ":" in ip else ip
        return f"{ip}:{self.host_port}"


@dataclass(frozen=True)
class Status:
    """What the STATUS column of `docker ps` says."""

    state: str
    exit_code: int | None = None
    health: str | None = None  # starting | healthy | unhealthy


@dataclass(frozen=True)
class Mount:
    type: str
    destination: str
    source: str = ""
    name: str = ""
    driver: str = ""
    mode: str = ""
    rw: bool = True


@dataclass
class ContainerState:
    """One container as `docker inspect` describes it (the fields checks use)."""

    id: str
    name: str
    image: str
    image_id: str = ""
    command: str = ""
    state: str = ""
    exit_code: int | None = None
    health: str | None = None
    pid: int = 0
    hostname: str = ""
    tty: bool = False
    open_stdin: bool = False
    created: str = ""
    started_at: str = ""
    env: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    ports: list[PortBinding] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # "target:alias"
    mounts: list[Mount] = field(default_factory=list)
    volumes_from: list[str] = field(default_factory=list)
    networks: dict[str, str] = field(default_factory=dict)  # network name -> IPv4 address
    auto_remove: bool = False

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def ip(self) -> str:
        """The first IPv4 address the container has on any network ('' when stopped)."""
        for address in self.networks.values():
            if address:
                return address
        return ""


@dataclass(frozen=True)
class PsRow:
    """One line of `docker ps`, table or JSON form."""

    id: str
    image: str
    command: str
    created: str
    status: str
    ports: str
    names: tuple[str, ...]
    state: str = ""  # only the JSON form carries it


@dataclass(frozen=True)
class Healthcheck:
    """An image's HEALTHCHECK as inspect keeps it: test `("CMD-SHELL", "curl -f …")`, `("CMD", "curl", …)` or
    `("NONE",)`; durations in nanoseconds, 0 where the Dockerfile gave none (the engine's default applies)."""

    test: tuple[str, ...]
    interval: int = 0
    timeout: int = 0
    start_period: int = 0
    retries: int = 0


@dataclass(frozen=True)
class ImageState:
    """An image as `docker image ls` lists it (id, repo_tags) or, all fields, as `docker image inspect` reads it."""

    id: str
    repo_tags: tuple[str, ...]
    cmd: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # in the order docker lists them
    exposed_ports: tuple[str, ...] = ()  # "80/tcp", sorted by number
    user: str = ""
    workdir: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    volumes: tuple[str, ...] = ()  # container paths, sorted
    healthcheck: Healthcheck | None = None
    layers: tuple[str, ...] = ()  # RootFS.Layers: the diff IDs of its filesystem layers, the base image's first
    size: int = 0  # bytes, as `docker images` counts them
    created: int = 0  # nanoseconds since the epoch; 0 when unknown


@dataclass(frozen=True)
class HistoryRow:
    """One line of `docker image history`, newest first: the instruction that made it and what it added."""

    created_by: str  # as the builder wrote it: `/bin/sh -c #(nop)  CMD ["sh"]`, `RUN /bin/sh -c … # buildkit`
    size: int  # bytes
    comment: str = ""


@dataclass(frozen=True)
class VolumeState:
    name: str
    driver: str = "local"
    mountpoint: str = ""
    scope: str = "local"
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NetworkState:
    name: str
    id: str
    driver: str
    subnets: tuple[str, ...] = ()


@dataclass(frozen=True)
class EngineEvent:
    """One line of `docker events --format '{{json .}}'` or `podman events --format json`, in docker's words."""

    kind: str  # container | image | volume | network | daemon | plugin | pod | … (podman's `system` is `daemon`)
    action: str  # create, start, die, destroy, kill, exec_create, health_status, … (without docker's `: detail`)
    actor_id: str  # the container's, image's, network's or daemon's ID, a volume's name; "" when none is given
    name: str  # the container's, volume's, network's name; an image reference; the daemon's host name
    time_ns: int  # nanoseconds since the epoch
    container: str = ""  # the container's ID: its own, or the one a network or volume event is about
    image: str = ""  # a container event's image, as the container was created with it
    exit_code: int | None = None  # die and exec_die
    signal: int | None = None  # kill (docker only: podman's kill event names no signal)
    health: str = ""  # health_status: starting | healthy | unhealthy
    command: str = ""  # exec_create and exec_start (docker only)
    old_name: str = ""  # rename (docker only)
    attributes: tuple[tuple[str, str], ...] = ()  # as given: docker's actor attributes, podman's labels
