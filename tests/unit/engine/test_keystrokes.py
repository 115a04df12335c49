"""Keys from the learner's terminal, sent one a read where a client needs them so."""

from __future__ import annotations

from dockersim.engine import keystrokes


def test_keys_that_came_in_one_read_go_apart() -> None:
    # Ctrl+P, Ctrl+Q read at once from the learner's terminal reach podman's client one a read.
    assert keystrokes.apart(b"\x10\x11") == [b"\x10", b"\x11"]
    assert keystrokes.apart(b"\x18x") == [b"\x18", b"x"]  # --detach-keys ctrl-x,x
    assert keystrokes.apart(b"docker ps\r") == [b"docker ps\r"]  # typing, Enter with it
    assert keystrokes.apart(b"\x1b[A\t") == [b"\x1b[A\t"]  # an arrow key's escape sequence, Tab
