"""What a terminal shows: a program's output drawn by a terminal emulator (pyte), as the lines a person reads.
The one screen reader: `run` shows it when a tty step fails (session.py), practice checks a command on it.
"""

from __future__ import annotations

import codecs
from collections import deque
from typing import Any

import pyte
from pyte.screens import Char, Margins, StaticDefaultDict

from dockersim.engine.terminal import COLUMNS, ROWS

KEPT = 1 << 16  # characters of output not yet drawn that are kept at least (more for a screen with a history)


class Screen:
    """A terminal of rows × columns fed a program's output: redraws applied (a progress bar rewritten in place
    is in its last state), long lines wrapped, and up to `history` lines that scrolled off the top kept.

    pyte draws a character at a time, so output is only held until the screen is read, and then drawn. Of a
    flood, the last characters are drawn (at least `kept`: a screen and its history's worth, and KEPT): output
    that flows down the screen has scrolled what came before them away, and a full-screen program redraws
    within them."""

    def __init__(self, rows: int = ROWS, columns: int = COLUMNS, history: int = 0) -> None:
        self.rows, self.columns, self.history = rows, columns, history
        self.kept = max(KEPT, (rows + history) * columns)
        self._held: list[str] = []  # output not drawn yet
        self._size = 0  # characters in _held
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")  # bytes may cut a character in two
        self._screen, self._stream = self._fresh()

    def _fresh(self) -> tuple[_Scrolling, pyte.Stream]:
        screen = _Scrolling(self.columns, self.rows, self.history)
        return screen, pyte.Stream(screen)

    def feed(self, data: str | bytes) -> None:
        """More output (text, or bytes as a pty gives them); it is drawn when the screen is next read."""
        text = self._decoder.decode(data) if isinstance(data, bytes) else data
        if not text:
            return
        self._held.append(text)
        self._size += len(text)
        if self._size > 2 * self.kept:  # trimmed now and then, not at every feed: each trim copies the rest
            self._trim()

    def _trim(self) -> None:
        """A flood: only its last `kept` characters are drawn, from a line's start (so not inside an escape
        sequence), on a screen drawn afresh (what it showed before has scrolled away since)."""
        text = "".join(self._held)
        cut = len(text) - self.kept
        line = text.find("\n", cut)
        text = text[line + 1 :] if line != -1 else text[cut:]
        self._held, self._size = [text], len(text)
        self._screen, self._stream = self._fresh()

    def _drawn(self) -> _Scrolling:
        if self._held:
            text = "".join(self._held)
            self._held, self._size = [], 0
            self._stream.feed(text)
        return self._screen

    def lines(self) -> list[str]:
        """The lines scrolled off above, then the screen's rows, without the blank rows at its bottom. Trailing
        spaces are not shown, except before the cursor (a prompt's `# ` ends with the space it waits after)."""
        screen = self._drawn()
        shown = [_text(screen.buffer[y], self.columns).rstrip() for y in range(self.rows)]
        cursor = screen.cursor
        if cursor.y < self.rows:
            upto = _text(screen.buffer[cursor.y], cursor.x)
            if len(upto) > len(shown[cursor.y]):
                shown[cursor.y] = upto
        lines = [*screen.above, *shown]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def text(self) -> str:
        """The lines as one text, each ended by a newline ("" for a blank screen)."""
        lines = self.lines()
        return "\n".join(lines) + "\n" if lines else ""


class _Scrolling(pyte.Screen):
    """pyte's screen, with the lines that scroll off its top kept as text (pyte's HistoryScreen wraps every
    attribute it is asked for, which costs more than the drawing)."""

    def __init__(self, columns: int, rows: int, history: int) -> None:
        self.above: deque[str] = deque(maxlen=history)
        super().__init__(columns, rows)

    def index(self) -> None:
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if self.cursor.y == bottom and self.above.maxlen:
            self.above.append(_text(self.buffer[top], self.columns).rstrip())
        super().index()

    def erase_in_display(self, how: int = 0, *args: Any, **kwargs: Any) -> None:
        super().erase_in_display(how, *args, **kwargs)
        if how == 3:  # `clear`: the scrollback goes too
            self.above.clear()

    def reset(self) -> None:  # a terminal reset (`ESC c`, `reset`) empties the scrollback as well
        super().reset()
        self.above.clear()


def _text(row: StaticDefaultDict[int, Char], width: int) -> str:
    """A row's characters up to a width (a wide character's second cell holds "")."""
    return "".join(row[x].data for x in range(width))
