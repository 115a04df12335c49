"""What the practice shell's watch makes of the shell's output, without a pty (practice/watch.py): the terminal
gets the output without the hook's markers; each command that ended is told to the handler with its number,
line, status and the screen it wrote, however the reads cut the stream; an empty line is no command; a fault
in judging is said and the shell goes on; and what dockersim says itself goes on a line of its own."""

from __future__ import annotations

import base64
import re

import pytest

from dockersim.i18n.phrase import say
from dockersim.practice.hook import BASH_RC, END, MARK
from dockersim.practice.watch import MARKERS, Watch


class Judge:
    """A handler that notes what it is told (and fails on the commands it is told to)."""

    def __init__(self, failing: str = "") -> None:
        self.failing = failing
        self.told: list[tuple[object, ...]] = []

    def finished(self, watch: Watch, number: int, command: str, status: int, transcript: str) -> None:
        self.told.append(("finished", number, command, status, transcript))
        if command == self.failing:
            raise ValueError("the judge fell over")

    def asked(self, watch: Watch, what: str) -> None:
        self.told.append(("asked", what))


def mark(kind: str, rest: str = "") -> bytes:
    """A marker as the hook's bash writes it."""
    return MARK + (f"{kind};{rest}" if rest else kind).encode() + END


def done(number: int, command: str, status: int = 0) -> bytes:
    """The marker bash's PROMPT_COMMAND writes when a command has ended: its status and `history 1`."""
    return mark("done", f"{status};" + base64.b64encode(f"  {number}  {command}\n".encode()).decode())


PROMPT = b"learner$ "
SESSION = b"".join([
    mark("ready"), PROMPT,
    mark("start"), b"hello\r\nworld\r\n", done(1, "echo hello; echo world"), PROMPT,
    done(1, "echo hello; echo world"), PROMPT,  # Enter on an empty line: the same history line again
    mark("start"), b"sh: nope: not found\r\n", done(2, "nope", 127), PROMPT,
    mark("ask", "hint"), mark("later-kind", "x"), PROMPT,
])  # fmt: skip
TOLD = [
    ("finished", 1, "echo hello; echo world", 0, "hello\nworld\n"),
    ("finished", 2, "nope", 127, "sh: nope: not found\n"),
    ("asked", "hint"),
]


def watch(judge: Judge, lang: str = "en", colour: bool = False) -> Watch:
    return Watch(["bash"], {}, judge, colour=colour, lang=lang)


def test_every_kind_of_marker_the_hook_writes_has_a_handler() -> None:
    assert set(re.findall(r"dockersim;(\w+)", BASH_RC)) == set(MARKERS)


def test_each_command_is_told_with_the_screen_it_wrote(capfd: pytest.CaptureFixture[str]) -> None:
    judge = Judge()
    watch(judge)._output(SESSION)
    assert judge.told == TOLD
    shown = capfd.readouterr().out
    assert shown == "learner$ hello\r\nworld\r\nlearner$ learner$ sh: nope: not found\r\nlearner$ learner$ "


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 64])
def test_however_the_reads_cut_the_stream(size: int, capfd: pytest.CaptureFixture[str]) -> None:
    judge = Judge()
    w = watch(judge)
    for i in range(0, len(SESSION), size):
        w._output(SESSION[i : i + size])
    assert judge.told == TOLD
    assert "dockersim" not in capfd.readouterr().out  # no marker reached the terminal


def test_a_fault_in_judging_a_command_is_said_and_the_next_is_judged(capfd: pytest.CaptureFixture[str]) -> None:
    judge = Judge(failing="echo hello; echo world")
    watch(judge)._output(SESSION)
    assert judge.told == TOLD
    said = say("practice_not_checked", "en", error="the judge fell over")
    assert f"\r\ndockersim: {said}\r\n" in capfd.readouterr().out  # on a line of its own, after the prompt


def test_what_dockersim_says_goes_on_a_line_of_its_own_in_the_learner_s_language(
    capfd: pytest.CaptureFixture[str],
) -> None:
    w = watch(Judge(), lang="ko", colour=True)
    w.show(["one", "two"])
    w._output(PROMPT)  # the cursor is left after the prompt
    w.tell("practice_no_hook", "bold")
    w.show([])
    assert capfd.readouterr().out == (
        "one\r\ntwo\r\nlearner$ " + f"\r\n\x1b[1mdockersim: {say('practice_no_hook', 'ko')}\x1b[0m\r\n"
    )
