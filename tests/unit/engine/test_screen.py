"""The screen a person sees (a terminal emulator): history above it, `clear`, and a flood of output of
which only the last characters are drawn."""

from __future__ import annotations

from dockersim.engine.screen import Screen


def test_a_screen_keeps_its_history_and_draws_only_the_last_of_a_flood() -> None:
    screen = Screen(3, 20, history=2)
    screen.feed("".join(f"line {i}\r\n" for i in range(6)) + "$ ")
    assert screen.lines() == ["line 2", "line 3", "line 4", "line 5", "$ "]  # two lines above the screen
    screen.feed("clear\r\n\x1b[H\x1b[2J\x1b[3J$ ")
    assert screen.text() == "$ \n"  # `clear` empties the scrollback too
    flood = Screen(3, 20)
    for _ in range(100):
        flood.feed(b"y\r\n" * 10000)  # 3 MB, of which only the last characters are drawn
        assert sum(map(len, flood._held)) <= 2 * flood.kept
    flood.feed(b"the end\r\n")
    assert flood.lines() == ["y", "the end"]
