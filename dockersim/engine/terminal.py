"""What a terminal sends, and its output as a stream of text, without one: keys by name, escape sequences taken
out (what expectations match). The screen a person sees is drawn by a terminal emulator: screen.py."""

from __future__ import annotations

import re

ROWS, COLUMNS = 24, 80

# CSI (colours, cursor moves, bracketed paste, the `ESC[6n` cursor query), OSC (window titles),
# charset selection and the other two-byte escapes: none of them is text a person reads.
ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[()*+][0-9A-Za-z]"
    r"|\x1b[@-Z\\-_=>78]"
)
_CONTROL = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]")

KEYS = {f"ctrl-{chr(c)}": chr(c - 96) for c in range(ord("a"), ord("z") + 1)}
KEYS.update(
    {
        "ctrl-@": "\x00",
        "ctrl-[": "\x1b",
        "ctrl-\\": "\x1c",
        "ctrl-]": "\x1d",
        "ctrl-^": "\x1e",
        "ctrl-_": "\x1f",
        "enter": "\r",
        "tab": "\t",
        "esc": "\x1b",
        "backspace": "\x7f",
        "space": " ",
    }
)


def key_bytes(name: str) -> str:
    """`ctrl-p` → '\\x10'; a single printable character stands for itself (as in `--detach-keys ctrl-x,x`)."""
    if name in KEYS:
        return KEYS[name]
    if len(name) == 1 and name.isprintable():
        return name
    raise ValueError(name)


def clean(text: str) -> str:
    """Terminal output → stream text for regexes to match: escapes gone, CRLF as LF, a line rewritten by a bare
    CR in its last state, backspaces applied. Not the screen (screen.py): no cursor moves, no wrapping."""
    text = ESCAPE.sub("", text).replace("\r\n", "\n")
    text = re.sub(r"\r+(?=\n)", "", text)
    text = re.sub(r"[^\n]*\r(?!\n)", "", text)  # a bare CR rewrites its line: keep what was written last
    while "\x08" in text:
        new = re.sub(r"[^\n\x08]\x08", "", text, count=1)
        if new == text:
            text = text.replace("\x08", "")
            break
        text = new
    return _CONTROL.sub("", text)


def on_screen(pattern: str) -> str:
    """A regex written for the output stream, for a screen's text: a screen shows no trailing spaces, so
    the ones the regex ends with (a prompt's `# `) are not looked for."""
    return re.sub(r"(?:\\?[ \t])+$", "", pattern)
