"""A private registry on 127.0.0.1 (Debian's docker-registry) that serves the kit's stand-ins, so that
the chapter's `docker pull` and "run pulls a missing image" are real pulls on a machine with no registry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from dockersim import placeholders
from dockersim.driver import Docker
from dockersim.errors import DockersimError
from dockersim.messages import Phrase

MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"


class RegistryError(DockersimError):
    pass


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dockersim"


class KitRegistry:
    """One registry process for the length of a run; its storage is kept between runs."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        # host: an address of this machine that the engine pulling from it can reach
        self.port = port or int(os.environ.get("DOCKERSIM_REGISTRY_PORT", "5959"))
        self.address = f"{host}:{self.port}"
        self.root = cache_dir() / f"registry-{host}-{self.port}"  # one per address: two may run at once
        self.proc: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("docker-registry") is not None

    def _get(self, path: str, accept: str = "") -> tuple[int, bytes]:
        request = urllib.request.Request(f"http://{self.address}{path}", headers={"Accept": accept} if accept else {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, b""

    def _answers(self) -> bool:
        try:
            return self._get("/v2/")[0] == 200
        except (urllib.error.URLError, OSError):
            return False

    def start(self, timeout: float = 20.0) -> None:
        binary = shutil.which("docker-registry")
        if binary is None:
            raise RegistryError("the kit's registry needs Debian's docker-registry (apt-get install docker-registry)")
        if self._answers():
            raise RegistryError(Phrase("registry_in_use", address=self.address))
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root / "config.yml"
        config.write_text(
            "version: 0.1\nlog:\n  level: error\n"
            f"storage:\n  filesystem:\n    rootdirectory: {self.root / 'data'}\n  delete:\n    enabled: true\n"
            f"http:\n  addr: {self.address}\n"
        )
        log = open(self.root / "registry.log", "ab")  # noqa: SIM115 - the registry writes to it while it runs
        self.proc = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self.proc.poll() is not None or time.monotonic() >= deadline:
                self.stop()
                raise RegistryError(
                    f"the kit's registry did not start on {self.address} (see {self.root}/registry.log)"
                )
            time.sleep(0.05)  # poll: until the registry answers, bounded by the deadline

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

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
        repository = placeholders.repository(ref)
        tag = placeholders.qualified(ref).rsplit(":", 1)[1]
        remote = f"{self.address}/{repository}:{tag}"
        image_id = docker.call(["image", "inspect", "--format", "{{.Id}}", local_tag]).stdout.strip()
        image_id = image_id if image_id.startswith("sha256:") else f"sha256:{image_id}"  # podman's has no prefix
        if not self.holds(repository, tag, image_id):
            docker.call(["tag", local_tag, remote])
            docker.call(["push", remote], timeout=900)
        docker.call(["image", "rm", remote], check=False)  # only the tag: the image stays as local_tag
        return remote
