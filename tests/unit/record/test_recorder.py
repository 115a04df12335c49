"""The recording shell's handler without a terminal or an engine: each finished line becomes a step, a note
or is let be with why; the keys typed into a command (or ahead of it) are its own; the rc's lines are not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from dockersim.engine.client import Docker
from dockersim.engine.state import ContainerState
from dockersim.ownership.run import Ownership
from dockersim.practice.watch import Watch
from dockersim.record.diff import EMPTY, Held
from dockersim.record.draft import Drafting
from dockersim.record.naming import Naming
from dockersim.record.recorder import Recorder


@dataclass
class Shell:
    """What the recorder asks of the watched shell."""

    transcript: str = ""
    in_command: bool = False
    told: list[str] = field(default_factory=list)

    def tell(self, key: str, style: str = "", /, **values: Any) -> None:
        self.told.append(key)

    def show(self, lines: list[str], style: str = "") -> None:
        self.told += lines


class Scripted(Recorder):
    """A recorder whose engine is a list of what it holds, one reading after another."""

    states: list[Held]

    def read(self) -> Held:
        return self.states.pop(0) if self.states else EMPTY


def recorder(*states: Held) -> tuple[Scripted, Shell]:
    rec = Scripted(cast(Docker, None), cast(Ownership, None), Drafting(Naming(), lang="en"))
    rec.states, rec.held = list(states), EMPTY
    return rec, Shell()


WEB = ContainerState("a" * 64, "web", "ubuntu:14.04", state="running")


def test_a_command_becomes_a_step_with_its_notes() -> None:
    rec, shell = recorder(Held({WEB.id: WEB}, {}, frozenset()))
    watch = cast(Watch, shell)
    rec.finished(watch, 10, "printf '\\033]777;dockersim;ready\\007'", 0, "")  # the rc's last line: not ours
    rec.finished(watch, 11, "# task: start web", 0, "")
    rec.finished(watch, 12, "# hint: docker run -d", 0, "")
    rec.finished(watch, 13, "# title: Web", 0, "")
    rec.finished(watch, 14, "docker run -d --name web ubuntu:14.04", 0, "a" * 64 + "\n")
    [step] = rec.drafts
    assert step.name == step.task == {"en": "start web"} and step.hint == {"en": "docker run -d"}
    assert step.checks[0]["container"] == "web" and rec.title == {"en": "Web"}
    assert shell.told == ["rec_noted", "rec_noted", "rec_noted", "rec_step"]


def test_lines_that_are_no_step_say_why_and_refusals_are_not_recorded() -> None:
    rec, shell = recorder()
    watch = cast(Watch, shell)
    rec.finished(watch, 1, "ls", 0, "")
    rec.finished(watch, 2, "docker rm -f learners_own", 125, "dockersim record: container learners_own: not made…\n")
    rec.finished(watch, 3, "# just a comment", 0, "")
    assert rec.drafts == [] and len(shell.told) == 2 and all(t.startswith("dockersim: ") for t in shell.told)


def test_keys_typed_into_a_command_or_ahead_of_it_are_its_own() -> None:
    prompt = f"root@{'a' * 12}:/# "
    rec, shell = recorder(Held({WEB.id: WEB}, {}, frozenset()), Held({WEB.id: WEB}, {}, frozenset()))
    watch = cast(Watch, shell)
    rec.finished(watch, 1, "docker run -d --name web ubuntu:14.04", 0, "a" * 64 + "\n")
    rec.on_input(watch, b"docker attach web\r")
    rec.on_input(watch, b"\r")  # Enter, typed before the client began
    shell.in_command, shell.transcript = True, f"{prompt}\n{prompt}"
    rec.on_input(watch, b"\x10\x11")
    rec.finished(watch, 2, "docker attach web", 1, shell.transcript)
    tty = rec.drafts[-1].tty or []
    assert [(a.kind, a.text, a.keys) for a in tty] == [
        ("send", "", ()), ("expect", "root@{short_id:web}:/# ", ()), ("keys", "", ("ctrl-p", "ctrl-q")),
        ("expect", "eof", ()),
    ]  # fmt: skip
    assert rec.typed == [] and rec.ahead == b""
