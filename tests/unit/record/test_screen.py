"""What a recorded command showed, as regexes: lines generalised (named things as placeholders; IDs, times,
sizes, digests, addresses and the host's name as regexes), steady output as `stdout:`, and a session's keys
and screens as tty actions."""

from __future__ import annotations

import re

import pytest

from dockersim.record.screen import (
    Action,
    Shown,
    Typed,
    actions,
    generalised,
    output_regex,
    typed_ahead,
    unwrapped,
)
from dockersim.scenario import placeholders

FIRST = "3f2a1b4c5d6e"
FULL = FIRST + "7" * 52
SHOWN = Shown({FULL: "{id:first}", FIRST: "{short_id:first}", "172.17.0.5": "{ip:first}",
               "127.0.0.1:5959/library/ubuntu:14.04": "{image.ubuntu}"}, hostname="grader-7")  # fmt: skip
VALUES = {"{id:first}": FULL, "{short_id:first}": FIRST, "{ip:first}": "172.17.0.5",
          "{image.ubuntu}": "127.0.0.1:5959/library/ubuntu:14.04"}  # fmt: skip


def resolved(regex: str) -> re.Pattern[str]:
    """The regex as a run resolves it: each placeholder's value, matched literally."""
    return re.compile(placeholders.substitute(regex, lambda p: re.escape(VALUES[p.text])), re.MULTILINE)


@pytest.mark.parametrize(
    ("line", "regex"),
    [
        (f"root@{FIRST}:/# ", "root@{short_id:first}:/# "),
        (FULL, "{id:first}"),
        ("inet 172.17.0.5/16", r"inet {ip:first}/16"),
        ("inet 172.17.0.9/16", r"inet \d+(?:\.\d+){3}/16"),
        ("abcdefabcdef", "[0-9a-f]{12}"),
        ("Digest: sha256:" + "a" * 64, "Digest: sha256:[0-9a-f]{64}"),
        ("created 2024-01-02T03:04:05.123456789Z", r"created \S+"),
        ("Up 3 seconds", r"Up (?:Less than a second|About an? \w+|\d+ \w+)"),
        ("About a minute ago", r"(?:Less than a second|About an? \w+|\d+ \w+) ago"),
        ("312MB  1.98 kB", r"[\d.]+\s?[kKMGT]?i?B\s+[\d.]+\s?[kKMGT]?i?B"),
        ("hello from grader-7.", r"hello from \S+\."),
        ("a (b) [c] {d} x.y * + ? | ^ $ \\", r"a \(b\) \[c\] \{d\} x\.y \* \+ \? \| \^ \$ \\"),
    ],
)
def test_a_line_is_generalised(line: str, regex: str) -> None:
    assert generalised(line, SHOWN) == regex
    assert resolved(regex).fullmatch(line)


def test_text_that_looks_like_a_placeholder_is_not_one() -> None:
    regex = generalised("{image.x} {workdir}", Shown({}))
    assert placeholders.find(regex) == [] and resolved(regex).fullmatch("{image.x} {workdir}")


def test_wrapped_lines_are_joined_again() -> None:
    assert unwrapped("a" * 10 + "\nbcd\nshort\n", 10) == ["a" * 10 + "bcd", "short"]
    assert unwrapped("x\ny\n", 0) == ["x", "y"]


def test_a_table_keeps_its_header_and_the_rows_of_what_was_made() -> None:
    lines = ["CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS        PORTS     NAMES",
             f"{FIRST}   127.0.0.1:5959/library/ubuntu:14.04   \"sleep 600\"   2 seconds ago   Up 1 second      first",
             "0123456789ab   busybox   \"sh\"   2 days ago   Up 2 days             learners_own"]  # fmt: skip
    regex = output_regex(lines, SHOWN, {"first"})
    assert regex is not None and "learners_own" not in regex
    assert regex.startswith(r"^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$")
    assert r"^{short_id:first}\b.*\bfirst$" in regex
    assert resolved(regex).search("\n".join(lines))
    podman = ["CONTAINER ID  IMAGE  COMMAND  CREATED  STATUS  PORTS  NAMES", f"{FIRST}  x  sleep 600  now  Up  first"]
    assert resolved(regex).search("\n".join(podman))  # another client's layout of the same row


def test_a_pull_s_progress_is_not_steady_output() -> None:
    lines = ["Unable to find image 'ubuntu:14.04' locally", "14.04: Pulling from library/ubuntu",
             "0123456789ab: Pull complete", "Digest: sha256:" + "b" * 64, "Status: Downloaded newer image for u",
             FULL]  # fmt: skip
    assert output_regex(lines, SHOWN, set()) == "^{id:first}$"
    assert output_regex(["", "  "], SHOWN, set()) is None


def test_short_output_is_kept_whole_and_long_output_by_its_first_and_named_lines() -> None:
    assert output_regex(["one", "two"], SHOWN, set()) == "^one$[\\s\\S]*^two$"
    many = [f"line {i}" for i in range(10)] + ["about first"]
    assert output_regex(many, SHOWN, {"first"}) == "^line 0$[\\s\\S]*^about first$"
    assert output_regex(many, SHOWN, set(), most=20) == "[\\s\\S]*".join(f"^{line}$" for line in many)


PROMPT = f"root@{FIRST}:/# "


def test_run_it_with_hostname_and_exit() -> None:
    typed = [Typed(PROMPT, b"hostname"), Typed(PROMPT + "hostname", b"\r"),
             Typed(f"{PROMPT}hostname\n{FIRST}\n{PROMPT}", b"exit\r")]  # fmt: skip
    end = f"{PROMPT}hostname\n{FIRST}\n{PROMPT}exit\nexit\n"
    assert actions(typed, end, SHOWN) == [
        Action("expect", "root@{short_id:first}:/# "), Action("send", "hostname"),
        Action("expect", "^{short_id:first}$"), Action("expect", "root@{short_id:first}:/# "),
        Action("send", "exit"), Action("expect", "eof"),
    ]  # fmt: skip


def test_a_detach_in_two_reads_is_one_keys_action_and_nothing_after_it_is_expected() -> None:
    typed = [Typed(PROMPT, b"\x10"), Typed(PROMPT, b"\x11")]
    assert actions(typed, PROMPT + "read escape sequence\n", SHOWN) == [
        Action("expect", "root@{short_id:first}:/# "), Action("keys", keys=("ctrl-p", "ctrl-q")),
        Action("expect", "eof"),
    ]  # fmt: skip


def test_line_editing_and_arrow_keys() -> None:
    typed = [Typed(PROMPT, b"ech\x7fho hi\x1b[D\r")]
    assert actions(typed, f"{PROMPT}echo hi\nhi\n{PROMPT}", SHOWN)[1] == Action("send", "echo hi")
    assert [a.kind for a in actions([Typed(PROMPT, b"sleep 9\x03")], PROMPT, SHOWN)] == ["expect", "keys", "expect"]


def test_a_pull_before_the_prompt_is_not_waited_for() -> None:
    screen = "Unable to find image 'u' locally\nDigest: sha256:" + "c" * 64 + "\n" + PROMPT
    first = actions([Typed(screen, b"exit\r")], screen + "exit\n", SHOWN)[0]
    assert first == Action("expect", "root@{short_id:first}:/# ")


def test_keys_typed_ahead_of_a_command_are_its_own() -> None:
    assert typed_ahead(b"docker attach second\r\r") == b"\r"
    assert typed_ahead(b"\r\rdocker ps\r") == b""
    assert typed_ahead(b"docker ps") == b""


def test_an_attach_s_redrawn_prompt_is_no_answer() -> None:
    screen = f"{PROMPT}\n{PROMPT}"  # the prompt redrawn as the client attached, then again after Enter
    assert actions([Typed("", b"\r"), Typed(screen, b"\x10\x11")], screen, SHOWN) == [
        Action("send", ""), Action("expect", "root@{short_id:first}:/# "), Action("keys", keys=("ctrl-p", "ctrl-q")),
        Action("expect", "eof"),
    ]  # fmt: skip
