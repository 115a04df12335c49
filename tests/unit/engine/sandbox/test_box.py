"""The sandbox engine's box: the uids its remapped roots take."""

from __future__ import annotations

from pathlib import Path

from dockersim.engine.sandbox.box import REMAP_COUNT, REMAP_FIRST, _subordinate_owner
from dockersim.engine.sandbox.sandbox import Sandbox


def test_a_sandbox_s_uids_are_no_user_s_subordinate_ids(tmp_path: Path) -> None:
    """Grading's remapped roots stay clear of the ranges /etc/subuid gives users for rootless containers."""
    table = tmp_path / "subuid"
    table.write_text("alice:100000:65536\nbob:165536:65536\n# not a range\n")
    assert _subordinate_owner(165535, 2, (str(table),)) == "alice"
    assert _subordinate_owner(231072, 10, (str(table),)) == ""
    assert _subordinate_owner(REMAP_FIRST, REMAP_COUNT, (str(table),)) == ""
    assert Sandbox("x", 10, isolated=True).remap_root >= REMAP_FIRST > 600100000  # login.defs' SUB_UID_MAX
