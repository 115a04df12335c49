"""Files people write, read as UTF-8: one that is not is said with the line of its first byte that is not."""

from __future__ import annotations

import pytest

from dockersim.host.text import NotText, decode


def test_utf8_is_read_and_anything_else_says_its_line() -> None:
    assert decode("title: 컨테이너\n".encode()) == "title: 컨테이너\n"
    for data, line, byte in ((b"a\nb\ncaf\xe9\n", 3, "e9"), ("안녕\n".encode("cp949"), 1, "be"), (b"\xff", 1, "ff")):
        with pytest.raises(NotText) as e:
            decode(data)
        assert e.value.line == line and e.value.message.startswith(f"the file is not UTF-8 text (byte 0x{byte} ")
