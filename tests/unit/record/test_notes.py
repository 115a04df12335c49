"""Notes an instructor writes beside the commands: `# task: …`, `dsim task "…"`, in a language given or the
one --lang gives, kept for the next step and merged across languages."""

from __future__ import annotations

import pytest

from dockersim.record.notes import Note, Notes, is_comment, note_of


@pytest.mark.parametrize(
    ("line", "note"),
    [
        ("# task: start a container", Note("task", "en", "start a container")),
        ("#task ko: 컨테이너를 시작하세요  ", Note("task", "ko", "컨테이너를 시작하세요")),
        ("# hint: try docker start", Note("hint", "en", "try docker start")),
        ("# title: 2.3 Networks", Note("title", "en", "2.3 Networks")),
        ("dsim task 'start a container'", Note("task", "en", "start a container")),
        ("dsim task ko '컨테이너 시작'", Note("task", "ko", "컨테이너 시작")),
        ("dsim hint look at docker ps", Note("hint", "en", "look at docker ps")),
        ("dsim task ko", Note("task", "en", "ko")),  # a language alone is the text
    ],
)
def test_a_note_is_read(line: str, note: Note) -> None:
    assert note_of(line, "en") == note


@pytest.mark.parametrize(
    "line", ["# a plain comment", "# task:", "dsim", "dsim frobnicate x", "docker ps", "dsim task 'x"]
)
def test_other_lines_are_no_notes(line: str) -> None:
    assert note_of(line, "en") is None


def test_words_that_do_not_say_their_language_are_in_the_one_given() -> None:
    assert note_of("# task: 시작", "ko") == Note("task", "ko", "시작")


def test_notes_wait_for_the_next_step_and_join_across_languages() -> None:
    notes = Notes({})
    notes.add(Note("task", "en", "start it"))
    notes.add(Note("task", "ko", "시작"))
    notes.add(Note("task", "en", "start it, again"))  # the same language: the later wins
    assert notes.take("task") == {"en": "start it, again", "ko": "시작"}
    assert notes.take("task") is None and notes.take("hint") is None


def test_comments_and_dsim_lines_run_nothing_worth_recording() -> None:
    assert is_comment("  # anything") and is_comment("dsim whatever")
    assert not is_comment("docker ps # listing")
