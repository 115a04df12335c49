"""A private registry (Debian's docker-registry) that serves the kit's stand-ins, so that the chapter's
`docker pull` and "run pulls a missing image" are real pulls on a machine with no registry: on 127.0.0.1 for
the machine's engine, on REGISTRY_ADDRESS for sandboxes; one process an address, shared by every run."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from dockersim.engine import images
from dockersim.engine.client import Docker
from dockersim.engine.sandbox.network import REGISTRY_ADDRESS
from dockersim.errors import DockersimError
from dockersim.host import leases
from dockersim.i18n.phrase import Phrase

MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"


class RegistryError(DockersimError):
    pass


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dockersim"


def _address_on_lo(address: str, present: bool) -> None:
    """The sandboxes' registry address on the host's loopback: each sandbox reaches it through its own link,
    as a local address of the host (the kernel answers for any of them on any link)."""
    has = address in subprocess.run(["ip", "-o", "addr", "show", "dev", "lo"], capture_output=True, text=True,
                                    timeout=20).stdout  # fmt: skip
    if has != present:
        verb = "add" if present else "del"
        subprocess.run(["ip", "addr", verb, f"{address}/32", "dev", "lo"], capture_output=True, timeout=20)


_LIFETIME = "kit-registry"  # the leases and the mutex of a registry, by address


class KitRegistry:
    """One registry process per address, shared read-only by every run on the machine that needs it: started
    by the first (join), stopped by the last (leave). Each user holds a lease of its own (leases.py), handed to
    the run's reaper too, so a run killed meanwhile still counts as a user until its reaper has left for it
    (leave_for). Its storage is kept between runs."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        # host: an address of this machine that the engine pulling from it can reach
        self.port = port or int(os.environ.get("DOCKERSIM_REGISTRY_PORT", "5959"))
        self.host = host
        self.address = f"{host}:{self.port}"
        self.root = cache_dir() / f"registry-{host}-{self.port}"  # one per address: two may run at once
        self._lease: str | None = None

    @property
    def _name(self) -> str:
        return f"{_LIFETIME}-{self.host}-{self.port}"

    @staticmethod
    def available() -> bool:
        return shutil.which("docker-registry") is not None

    def _get(self, path: str, accept: str = "") -> tuple[int, bytes]:
        import urllib.error  # here: every run imports this module (its reaper may leave a registry), few ask
        import urllib.request

        request = urllib.request.Request(f"http://{self.address}{path}", headers={"Accept": accept} if accept else {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, b""

    def _answers(self) -> bool:
        try:
            return self._get("/v2/")[0] == 200
        except OSError:  # urllib's URLError is one
            return False

    # -- shared among runs -------------------------------------------------------------------------

    def join(self, hold: Callable[[leases.Lease], None], run_id: str, timeout: float = 20.0) -> None:
        """Use the registry for the length of a run: started when no other run serves it; `hold` keeps the
        run's lease (Ownership.hold), so that its reaper leaves for it if the run dies."""
        with leases.mutex(self._name):
            if not self._users():
                self._stop()  # ours, outliving the runs that used it (their reapers killed too)
            if self._pid() is None:
                if self._answers():  # someone else's, on our address
                    raise RegistryError(Phrase("registry_in_use", address=self.address))
                self._start(timeout)
            lease = leases.try_take(f"{self._name}.{run_id}", run=run_id, pid=os.getpid(), what="kit registry")
            if lease is None:
                raise RegistryError(f"the run {run_id} holds the kit registry already")
            self._lease = lease.name
            hold(lease)

    def leave(self, drop: Callable[[str], None]) -> None:
        """The run is done with the registry: stopped when no other run uses it. `drop`: Ownership.drop."""
        if self._lease is None:
            return
        name, self._lease = self._lease, None
        with leases.mutex(self._name):
            drop(name)
            (leases.lease_root() / f"{name}.lock").unlink(missing_ok=True)
            if not self._users():
                self._stop()

    @classmethod
    def leave_for(cls, host: str, port: int, run_id: str) -> None:
        """What leave does, for a run that died (its reaper): its lease is the reaper's to end."""
        registry = cls(host, port)
        with leases.mutex(registry._name):
            (leases.lease_root() / f"{registry._name}.{run_id}.lock").unlink(missing_ok=True)
            if not registry._users():
                registry._stop()

    def _users(self) -> list[str]:
        """The leases of the runs that use this registry now; those of gone runs removed."""
        out = []
        for path in sorted(leases.lease_root().glob(f"{self._name}.*.lock")):
            name = path.name.removesuffix(".lock")
            if leases.held(name):
                out.append(name)
            else:
                path.unlink(missing_ok=True)
        return out

    @contextlib.contextmanager
    def publishing(self) -> Iterator[None]:
        """One run at a time pushes to it: two runs may want the same stand-in there at once."""
        with leases.mutex(f"{self._name}-push", timeout=1800):
            yield

    def _pid(self) -> int | None:
        """The registry process this address's storage runs, while it lives (its argv names our config)."""
        try:
            pid = int((self.root / "registry.pid").read_text().strip())
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return None
        return pid if str(self.root / "config.yml").encode() in argv else None

    def _start(self, timeout: float) -> None:
        binary = shutil.which("docker-registry")
        if binary is None:
            raise RegistryError("the kit's registry needs Debian's docker-registry (apt-get install docker-registry)")
        self.root.mkdir(parents=True, exist_ok=True)
        if self.host == REGISTRY_ADDRESS:
            _address_on_lo(self.host, present=True)
        config = self.root / "config.yml"
        config.write_text(
            "version: 0.1\nlog:\n  level: error\n"
            f"storage:\n  filesystem:\n    rootdirectory: {self.root / 'data'}\n  delete:\n    enabled: true\n"
            f"http:\n  addr: {self.address}\n"
        )
        with open(self.root / "registry.log", "ab") as log:
            # A session of its own: it outlives the run that started it, for the others that use it.
            proc = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=log,
                                    stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        (self.root / "registry.pid").write_text(f"{proc.pid}\n")
        deadline = time.monotonic() + timeout
        while not self._answers():
            if proc.poll() is not None or time.monotonic() >= deadline:
                self._stop()
                raise RegistryError(
                    f"the kit's registry did not start on {self.address} (see {self.root}/registry.log)"
                )
            time.sleep(0.05)  # poll: until the registry answers, bounded by the deadline

    def _stop(self, timeout: float = 10.0) -> None:
        pid = self._pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self._pid() is not None and time.monotonic() < deadline:
                time.sleep(0.05)  # poll: the registry ending, bounded by the deadline
            with contextlib.suppress(ProcessLookupError):
                if self._pid() is not None:
                    os.kill(pid, signal.SIGKILL)
        (self.root / "registry.pid").unlink(missing_ok=True)
        if self.host == REGISTRY_ADDRESS:
            _address_on_lo(self.host, present=False)

    def trusted_by_podman(self) -> Path:
        """A registries.conf for podman's own commands (CONTAINERS_REGISTRIES_CONF) that lets it pull from
        and push to this registry over plain HTTP; short names resolve on Docker Hub, as docker's do. The
        machine's own configuration is not touched."""
        path = self.root / "registries.conf"
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            machine = Path("/etc/containers/registries.conf").read_text(encoding="utf-8")
        except OSError:
            machine = ""
        if "[registries." in machine:  # the old (v1) format cannot be mixed with ours: ours alone
            machine = ""
        # Top-level keys first (after a table header they would be the table's), only those the machine's
        # file does not set; then the machine's; then the kit's registry.
        set_keys = {line.split("=", 1)[0].strip() for line in machine.splitlines() if "=" in line.split("#", 1)[0]}
        defaults = {"unqualified-search-registries": '["docker.io"]', "short-name-mode": '"permissive"'}
        ours = [f"{key} = {value}" for key, value in defaults.items() if key not in set_keys]
        kit = (
            f"# dockersim's kit registry, for dockersim's podman commands\n[[registry]]\nlocation = \"{self.address}\""
        )
        path.write_text("\n".join([*ours, machine.strip(), kit, "insecure = true"]) + "\n")
        return path

    def holds(self, repository: str, tag: str, image_id: str) -> bool:
        """Whether the registry already serves exactly this image under repository:tag."""
        status, body = self._get(f"/v2/{repository}/manifests/{tag}", MANIFEST_V2)
        if status != 200:
            return False
        try:
            return bool(json.loads(body).get("config", {}).get("digest") == image_id)
        except ValueError:
            return False

    def publish(self, docker: Docker, local_tag: str, ref: str) -> str:
        """Serve local_tag as ADDRESS/PATH:TAG, where PATH is what Docker Hub serves ref under (`centos:8` as
        `library/centos`, so that a pull says "Pulling from library/centos"); the local tag is removed so that
        using it pulls."""
        repository = images.repository(ref)
        tag = images.qualified(ref).rsplit(":", 1)[1]
        remote = f"{self.address}/{repository}:{tag}"
        image_id = docker.call(["image", "inspect", "--format", "{{.Id}}", local_tag]).stdout.strip()
        image_id = image_id if image_id.startswith("sha256:") else f"sha256:{image_id}"  # podman's has no prefix
        if not self.holds(repository, tag, image_id):
            docker.call(["tag", local_tag, remote])
            docker.call(["push", remote], timeout=900)
        docker.call(["image", "rm", remote], check=False)  # only the tag: the image stays as local_tag
        return remote
