"""The link between a sandbox's network namespace and the host: a veth pair on a /30 of its slot's, NAT to
the world, and rules that let it reach nothing of the host's but the kit registry, and no other sandbox."""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from dockersim.errors import DockersimError

SUBNET = "10.213"  # 10.213.<slot>.0/30 links each sandbox's namespace to the host
REGISTRY_ADDRESS = f"{SUBNET}.255.1"  # where every sandbox reaches the kit registry (on the host's lo)


class NetworkError(DockersimError):
    pass


def run(argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    """A command of the host's (ip, iptables) to its end; NetworkError with its last line when it fails."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if check and done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise NetworkError(f"setting up the sandbox failed at `{' '.join(argv)}`: {why}")
    return done


@dataclass(frozen=True)
class Link:
    """The link of the sandbox in slot `slot`, whose network namespace is `netns`."""

    slot: int
    netns: str

    @property
    def host_if(self) -> str:
        return f"dsim{self.slot}h"

    @property
    def ns_if(self) -> str:
        return f"dsim{self.slot}n"

    @property
    def host_ip(self) -> str:
        """The host's end: where the sandbox reaches the host."""
        return f"{SUBNET}.{self.slot}.1"

    @property
    def engine_host(self) -> str:
        """The namespace's end: where the sandbox's published ports answer."""
        return f"{SUBNET}.{self.slot}.2"

    def rules(self) -> list[list[str]]:
        """Each inserted first, in this order: the last is the first the kernel reads. A sandbox reaches the
        world through the host, but never another sandbox (a submission graded beside it)."""
        port = os.environ.get("DOCKERSIM_REGISTRY_PORT", "5959")
        registry = ["-d", REGISTRY_ADDRESS, "-p", "tcp", "--dport", port]
        return [
            ["nat", "POSTROUTING", "-s", f"{SUBNET}.{self.slot}.0/30", "!", "-o", self.host_if, "-j", "MASQUERADE"],
            ["filter", "FORWARD", "-i", self.host_if, "-j", "ACCEPT"],
            ["filter", "FORWARD", "-o", self.host_if, "-j", "ACCEPT"],
            ["filter", "FORWARD", "-i", self.host_if, "-d", f"{SUBNET}.0.0/16", "-j", "DROP"],
            # Of the host itself, a sandbox reaches the kit registry and the answers to what the host asked
            # it (a test reaching a published port); no service of the machine's, whatever it listens on.
            ["filter", "INPUT", "-i", self.host_if, "-j", "DROP"],
            ["filter", "INPUT", "-i", self.host_if, *registry, "-j", "ACCEPT"],
            ["filter", "INPUT", "-i", self.host_if, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j",
             "ACCEPT"],
        ]  # fmt: skip

    def up(self) -> None:
        if self.netns not in run(["ip", "netns", "list"]).stdout.split():
            run(["ip", "netns", "add", self.netns])
        inside = ["ip", "-n", self.netns]
        if run(["ip", "link", "show", self.host_if], check=False).returncode != 0:
            run(["ip", "link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if])
            # IPv4 alone: no link-local IPv6 address for the sandbox to reach the host's services on.
            with contextlib.suppress(OSError):
                Path(f"/proc/sys/net/ipv6/conf/{self.host_if}/disable_ipv6").write_text("1\n")
            run(["ip", "link", "set", self.ns_if, "netns", self.netns])
            run(["ip", "addr", "add", f"{self.host_ip}/30", "dev", self.host_if])
            run([*inside, "addr", "add", f"{self.engine_host}/30", "dev", self.ns_if])
        run(["ip", "link", "set", self.host_if, "up"])
        run([*inside, "link", "set", self.ns_if, "up"])
        run([*inside, "link", "set", "lo", "up"])
        run([*inside, "route", "replace", "default", "via", self.host_ip])
        Path("/proc/sys/net/ipv4/ip_forward").write_text("1\n")
        for table, chain, *rule in self.rules():
            if run(["iptables", "-w", "-t", table, "-C", chain, *rule], check=False).returncode != 0:
                # Insert: the host engine's FORWARD policy is DROP, and its own rules come first otherwise.
                run(["iptables", "-w", "-t", table, "-I", chain, "1", *rule])

    def down(self) -> None:
        for table, chain, *rule in self.rules():
            while run(["iptables", "-w", "-t", table, "-C", chain, *rule], check=False).returncode == 0:
                run(["iptables", "-w", "-t", table, "-D", chain, *rule])
        run(["ip", "link", "del", self.host_if], check=False)  # removes its peer too
        run(["ip", "netns", "del", self.netns], check=False)

    def exists(self) -> bool:
        return Path(f"/run/netns/{self.netns}").exists()
