"""A private engine beside any other: dockerd in its own network namespace, with its own data root,
exec root, pidfile, socket and default bridge.

In its namespace the default bridge is 172.17.0.0/16 as on a fresh engine, its published ports never
clash with the host's or another sandbox's, and its containers reach Debian's archive through a veth
pair and NAT. Its published ports answer on the namespace's address (`engine_host`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dockersim.errors import DockersimError

STATE_ROOT = Path(os.environ.get("DOCKERSIM_STATE", "/var/lib/dockersim"))
RUN_ROOT = Path(os.environ.get("DOCKERSIM_RUN", "/run/dockersim"))
SUBNET = "10.213"  # 10.213.<slot>.0/30 links each sandbox's namespace to the host


class SandboxError(DockersimError):
    pass


def _run(argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if check and done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise SandboxError(f"setting up the sandbox failed at `{' '.join(argv)}`: {why}")
    return done


@dataclass(frozen=True)
class Sandbox:
    name: str = "default"
    slot: int = 0  # picks the namespace's link subnet and interface names; one per sandbox running at once

    @property
    def netns(self) -> str:
        return f"dockersim-{self.name}"

    @property
    def data_root(self) -> Path:
        return STATE_ROOT / "engines" / self.name

    @property
    def run_dir(self) -> Path:
        return RUN_ROOT / self.name

    @property
    def pidfile(self) -> Path:
        return self.run_dir / "dockerd.pid"

    @property
    def socket(self) -> Path:
        return self.run_dir / "docker.sock"

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket}"

    @property
    def host_ip(self) -> str:
        """The host's end of the link: where the sandbox reaches the host (the kit registry listens here)."""
        return f"{SUBNET}.{self.slot}.1"

    @property
    def engine_host(self) -> str:
        """The namespace's end of the link: where the sandbox's published ports answer."""
        return f"{SUBNET}.{self.slot}.2"

    @property
    def _veth(self) -> tuple[str, str]:
        return f"dsim{self.slot}h", f"dsim{self.slot}n"

    # -- status ------------------------------------------------------------------------------------

    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def version(self, docker_binary: str = "docker") -> str | None:
        """The sandbox engine's version if it answers, else None."""
        if self.pid() is None:
            return None
        env = {**os.environ, "DOCKER_HOST": self.docker_host}
        env.pop("DOCKER_CONTEXT", None)
        done = subprocess.run(
            [docker_binary, "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            text=True,
            env=env,
            timeout=20,
        )
        return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None

    # -- up and down -------------------------------------------------------------------------------

    def check_can_run(self) -> None:
        if not sys.platform.startswith("linux"):
            raise SandboxError("a sandbox engine needs Linux (dockerd in its own network namespace)")
        if os.geteuid() != 0:
            raise SandboxError("a sandbox engine needs root: it starts dockerd and a network namespace")
        missing = [tool for tool in ("dockerd", "ip", "nsenter", "iptables") if shutil.which(tool) is None]
        if missing:
            raise SandboxError(f"a sandbox engine needs {', '.join(missing)} (apt-get install docker.io iproute2)")

    def up(self, timeout: float = 60.0) -> bool:
        """Start the sandbox unless it runs already; True when this call started it."""
        self.check_can_run()
        if self.version() is not None:
            return False
        try:
            self._network_up()
        except SandboxError:
            self._network_down()
            raise
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.data_root.mkdir(parents=True, exist_ok=True)
        log = open(self.run_dir / "dockerd.log", "ab")  # noqa: SIM115 - dockerd writes to it while it runs
        argv = [
            "nsenter", f"--net=/run/netns/{self.netns}",  # only the network: `ip netns exec` would hide cgroups
            "dockerd",
            "--data-root", str(self.data_root / "data"),
            "--exec-root", str(self.run_dir / "exec"),
            "--pidfile", str(self.pidfile),
            "--host", self.docker_host,
            "--cgroup-parent", f"/dockersim-{self.name}",
            "--insecure-registry", f"{SUBNET}.0.0/16",  # the kit registry, served on host_ip
            "--log-level", "warn",
        ]  # fmt: skip
        subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while self.version() is None:
            if time.monotonic() >= deadline:
                tail = (self.run_dir / "dockerd.log").read_text(errors="replace").strip().splitlines()[-1:]
                self.down()
                raise SandboxError(f"the sandbox's dockerd did not answer within {timeout:g}s: {' '.join(tail)}")
            time.sleep(0.1)  # poll: until the new daemon answers on its socket, bounded by the deadline
        return True

    def down(self, purge: bool = False, timeout: float = 60.0) -> None:
        """Stop dockerd (it stops its containers), remove the namespace and the rules; purge: the data too."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.pid() is not None and time.monotonic() < deadline:
                time.sleep(0.1)  # poll: dockerd stopping its containers, bounded by the deadline
            if self.pid() is not None:
                os.kill(pid, signal.SIGKILL)
        self._network_down()
        if purge and self.data_root.exists():
            shutil.rmtree(self.data_root)

    # -- the link between the namespace and the host -----------------------------------------------

    def _rules(self) -> list[list[str]]:
        host_if, _ = self._veth
        return [
            ["nat", "POSTROUTING", "-s", f"{SUBNET}.{self.slot}.0/30", "!", "-o", host_if, "-j", "MASQUERADE"],
            ["filter", "FORWARD", "-i", host_if, "-j", "ACCEPT"],
            ["filter", "FORWARD", "-o", host_if, "-j", "ACCEPT"],
        ]

    def _network_up(self) -> None:
        host_if, ns_if = self._veth
        if self.netns not in _run(["ip", "netns", "list"]).stdout.split():
            _run(["ip", "netns", "add", self.netns])
        inside = ["ip", "-n", self.netns]
        if _run(["ip", "link", "show", host_if], check=False).returncode != 0:
            _run(["ip", "link", "add", host_if, "type", "veth", "peer", "name", ns_if])
            _run(["ip", "link", "set", ns_if, "netns", self.netns])
            _run(["ip", "addr", "add", f"{self.host_ip}/30", "dev", host_if])
            _run([*inside, "addr", "add", f"{self.engine_host}/30", "dev", ns_if])
        _run(["ip", "link", "set", host_if, "up"])
        _run([*inside, "link", "set", ns_if, "up"])
        _run([*inside, "link", "set", "lo", "up"])
        _run([*inside, "route", "replace", "default", "via", self.host_ip])
        Path("/proc/sys/net/ipv4/ip_forward").write_text("1\n")
        for table, chain, *rule in self._rules():
            if _run(["iptables", "-t", table, "-C", chain, *rule], check=False).returncode != 0:
                # Insert: the host engine's FORWARD policy is DROP, and its own rules come first otherwise.
                _run(["iptables", "-t", table, "-I", chain, "1", *rule])

    def _network_down(self) -> None:
        for table, chain, *rule in self._rules():
            while _run(["iptables", "-t", table, "-C", chain, *rule], check=False).returncode == 0:
                _run(["iptables", "-t", table, "-D", chain, *rule])
        host_if, _ = self._veth
        _run(["ip", "link", "del", host_if], check=False)  # removes its peer too
        _run(["ip", "netns", "del", self.netns], check=False)
