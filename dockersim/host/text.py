"""Files people write (scenarios, specs, engine lists) read as UTF-8 text, and one that is not said with the
line of its first byte that is not: an editor that saved CP949 or Latin-1 is found in a second."""

from __future__ import annotations


class NotText(ValueError):
    """A file's bytes are not UTF-8: `line` holds the first that is not."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def decode(data: bytes) -> str:
    """The bytes as UTF-8 text; NotText saying where they are not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise NotText(f"the file is not UTF-8 text (byte 0x{data[e.start]:02x} on this line): save it as UTF-8",
                      line) from None  # fmt: skip
