"""Where an ssh:// engine's shared connection keeps its control socket."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from dockersim.grading.contexts import _SOCKET_NAME, control_folder


@pytest.mark.parametrize("depth", [0, 6])
def test_the_control_socket_fits_a_socket_address_whatever_tmpdir_is(
    depth: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TMPDIR is used while the socket's path fits (/tmp here); a long one gives way to /tmp (a test's
    TMPDIR of 36 characters once made every ssh:// engine unreachable)."""
    tmpdir = tmp_path.joinpath(*["a-long-folder-name"] * depth) if depth else Path("/tmp")
    tmpdir.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR read again
    folder = control_folder()
    try:
        assert len(os.fsencode(folder)) + 1 + _SOCKET_NAME <= 107
        assert Path(folder).parent == Path("/tmp")
    finally:
        os.rmdir(folder)
