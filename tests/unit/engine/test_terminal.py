"""What a terminal shows of a stream (clean: what a regex reads), and the bytes a named key sends."""

from __future__ import annotations

import pytest

from dockersim.engine.terminal import clean, key_bytes


def test_screen_text_is_what_a_person_sees() -> None:
    # Bytes as bash 5.2 and busybox ash sent them through docker run -it (see tests/integration).
    assert clean("\x1b[?2004hroot@48b6225a4215:/# \r\n\x1b[?2004l\rhello\r\n") == "root@48b6225a4215:/# \nhello\n"
    assert clean("\x1b[6n\r/ # \x1b[Jls\r\n") == "/ # ls\n"
    assert clean("\x1b]0;title\x07abc\x08\x08X\r\n") == "aX\n"
    assert clean("progress 10%\rprogress 100%\r\n") == "progress 100%\n"


def test_keys() -> None:
    assert key_bytes("ctrl-p") == "\x10" and key_bytes("ctrl-q") == "\x11" and key_bytes("ctrl-d") == "\x04"
    assert key_bytes("enter") == "\r" and key_bytes("x") == "x"
    with pytest.raises(ValueError):
        key_bytes("ctrl-å")
