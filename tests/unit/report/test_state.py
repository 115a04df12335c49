"""The state tables `dockersim state` prints, read like `docker ps`: ports and mounts as docker writes them."""

from __future__ import annotations

from dockersim.report.state import mount_text, ports_text
from tests.unit.captured import CapturedSnapshot


def test_state_table_reads_like_docker_ps() -> None:
    snap = CapturedSnapshot("28")
    ports = snap.container("fx_ports")
    db = snap.container("fx_db")
    assert ports is not None and db is not None
    text = ports_text(ports.ports)
    assert "10130->80/tcp" in text and "127.0.0.1:10131->81/udp" in text and "3306/tcp" in text
    assert text.count("10130->80/tcp") == 1  # the IPv6 twin is not repeated
    mounts = [mount_text(m) for m in db.mounts]
    assert "/tmp/fx_bind:/var/lib/mysql" in mounts and "fxvol:/data" in mounts
    assert any(m.endswith("…:/root") for m in mounts)  # an anonymous volume, shortened
