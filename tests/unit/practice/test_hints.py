"""Hints drawn from the step and the try (practice/hints.py): after two failed tries the tracker says what the
try lacked against the step's command — a flag, the container's name, the image, the container's command, a
name still in use, a command that failed and the line that says why — in the learner's language, before the
step's own hint. The two commands are read by the docker command grammar, never by regex on the line."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from dockersim.i18n.phrase import CATALOGUE
from dockersim.practice import hints
from dockersim.practice.tracker import Progress, Tracker
from dockersim.run.results import Outcome, StepResult
from dockersim.scenario.loader import load_scenario
from dockersim.scenario.model import Scenario, Step
from tests.conftest import ROOT

CHAPTER = ROOT / "scenarios" / "2.2.1-creating-containers.yaml"
CONFLICT = (
    'docker: Error response from daemon: Conflict. The container name "/first" is already in use by container '
    '"e22d2c10692b5d0f". You have to remove (or rename) that container to be able to reuse that name.\n'
    "See 'docker run --help'.\n"
)


class Failing:
    """A ScenarioRun stand-in on which every try fails, as the judge says of a try without -i -t."""

    def __init__(self) -> None:
        self.judged: list[str] = []

    def judge(self, step: Step, status: int, transcript: str, seconds: float = 0.0) -> StepResult:
        self.judged.append(transcript)
        return StepResult("s.yaml", step.index, 24, "run -i -t", Outcome.FAILED, 0.0,
                          reason="the screen never showed 'root@e22d2c10692b:/#'")  # fmt: skip

    def run_step(self, step: Step) -> StepResult:
        return StepResult("s.yaml", step.index, 24, "", Outcome.PASSED, 0.0)

    def resolve_now(self, template: str, regex: bool = False) -> str:
        return template

    def strangers(self, step: Step) -> list[str]:
        return []

    def clear(self, step: Step) -> None:
        pass

    def step_name(self, step: Step) -> str:
        return str(step.name.get("en"))


@pytest.fixture
def chapter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Scenario:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return load_scenario(str(CHAPTER))


def w(line: str) -> list[str]:
    return line.split()


def at_step(chapter: Scenario, n: int, lang: str = "en") -> Tracker:
    tracker = Tracker(chapter, Failing(), Progress(chapter.path), lang)
    tracker.start(n)
    return tracker


def twice(tracker: Tracker, line: str, status: int = 0, transcript: str = "") -> list[str]:
    first = tracker.command(line, status, transcript)
    assert first and first[0].startswith(("✗", "✗")), first
    return tracker.command(line, status, transcript)


def test_a_missing_i_and_t_is_said_before_the_step_s_own_hint(chapter: Scenario) -> None:
    tracker = at_step(chapter, 2)
    said = twice(tracker, "docker run -d --name first ubuntu:14.04 sleep 100")
    assert said[0] == "✗ not yet: the screen never showed 'root@e22d2c10692b:/#'"
    assert said[1:] == [
        "hint: -i keeps STDIN open: without it your keystrokes never reach the shell",
        "hint: -t gives the container a terminal: without it there is no prompt to type at",
        "hint: -d runs the container in the background and gives your prompt back at once: the step does not want it",
        "hint: `sleep 100` after the image replaces the image's own command (its shell): the step gives none",
    ]


def test_the_same_in_korean(chapter: Scenario) -> None:
    tracker = at_step(chapter, 2, "ko")
    said = twice(tracker, "docker run -t --name first ubuntu:14.04")
    assert said[1:] == ["힌트: -i 는 표준 입력(STDIN)을 열어 둡니다: 없으면 입력한 키가 셸에 전달되지 않습니다"]


def test_a_missing_t_alone(chapter: Scenario) -> None:
    said = twice(at_step(chapter, 2), "docker container run --interactive --name=first ubuntu:14.04")
    assert said[1:] == ["hint: -t gives the container a terminal: without it there is no prompt to type at"]


def test_another_name_is_a_try_at_the_step_and_says_so(chapter: Scenario) -> None:
    tracker = at_step(chapter, 2)
    assert tracker.command("docker run -it --name frist ubuntu:14.04", 0, "") == [
        "✗ not yet: the task's container is first; your command named frist"
    ]
    assert not tracker.run.judged  # type: ignore[attr-defined]  # nothing of first's to judge
    said = tracker.command("docker run -it --name frist ubuntu:14.04", 0, "")
    assert said[1:] == ["hint: the task's container is first; your command named frist"]
    assert tracker.command("docker ps -a", 0, "") == []  # another verb is not a try
    tracker = at_step(chapter, 2)
    assert tracker.command("docker run -it ubuntu:14.04", 0, "") == [
        "✗ not yet: --name first names the container: without it the engine makes up a name, and the step looks "
        "for its own"
    ]


def test_another_image(chapter: Scenario) -> None:
    said = twice(at_step(chapter, 2), "docker run -i -t --name first centos:8")
    assert said[1:] == ["hint: the task's image is ubuntu:14.04; your command used centos:8"]


def test_a_name_in_use_says_how_to_free_it(chapter: Scenario) -> None:
    said = twice(at_step(chapter, 2), "docker run -it --name first ubuntu:14.04", 125, CONFLICT)
    assert said[1] == (
        "hint: the name first is still taken by a container of an earlier try: free it with docker rm -f first, "
        "then type the step again"
    )
    said = twice(at_step(chapter, 2, "ko"), "docker run -it --name first ubuntu:14.04", 125, CONFLICT)
    assert said[1].startswith("힌트: first 이라는 이름은 앞서 시도한 컨테이너가 아직 쓰고 있습니다: docker rm -f first")


def test_a_failed_command_is_quoted_by_the_line_that_says_why_even_when_the_terminal_wrapped_it() -> None:
    wrapped = "\n".join(CONFLICT.splitlines()[0][i : i + 80] for i in range(0, len(CONFLICT.splitlines()[0]), 80))
    assert hints.why(wrapped + "\nSee 'docker run --help'.\nlearner$ ", 80) == CONFLICT.splitlines()[0].strip()
    line = hints.why("Unable to find image 'nosuch:1' locally\ndocker: Error response from daemon: pull access "
                     "denied for nosuch.\nSee 'docker run --help'.\n")  # fmt: skip
    assert line == "docker: Error response from daemon: pull access denied for nosuch."
    tried = hints.Try(["docker", "start", "nope"], 1, "Error response from daemon: No such container: nope\n", True)
    assert hints.lacked(["docker", "start", "mycentos"], tried, "en")[0] == (
        "your command failed (exit status 1); its output says why: Error response from daemon: No such container: nope"
    )


@pytest.mark.parametrize(
    ("wanted", "typed", "said"),
    [
        ("docker run -dit --name h -p 17777:80 ubuntu:14.04", "docker run -dit --name h -p 8080:80 ubuntu:14.04",
         ["-p 17777:80 publishes a port of the container on the host: your command did not publish it"]),
        ("docker run -d --name db -e A=1 -e B=2 mysql:5.7", "docker run -d --name db -e A=1 mysql:5.7",
         ["-e B=2 sets a variable in the container's environment: your command did not set it"]),
        ("docker ps -a", "docker ps",
         ["-a lists stopped containers too: without it docker ps shows only running ones"]),
        ("docker rm -f forced", "docker rm forced",
         ["-f removes a running container too: without it docker rm refuses one"]),
        ("docker inspect --format {{.Id}} mycentos", "docker inspect -f {{.Name}} mycentos",
         ["the step gives -f {{.Id}}; your command gave -f {{.Name}}"]),
        ("docker port several 80", "docker port several", []),  # the container, named alike: said as arguments
        ("docker exec wordpressdb printenv MYSQL_DATABASE", "docker exec wordpressdb printenv",
         ["the step runs `printenv MYSQL_DATABASE` in the container; your command ran `printenv`"]),
        ("docker volume create myvolume", "docker volume create yourvolume",
         ["the step's arguments are `myvolume`; yours were `yourvolume`"]),
        ("docker run --rm -v v:/d img ls /d", "docker run --rm -v v:/d img",
         ["the step runs `ls /d` in the container, after its name or image; your command ran none"]),
        ("docker run -it --name x img", "docker run -it --rm --name x img",
         ["--rm removes the container as soon as it ends, so nothing is left to look at: the step does not want "
          "it"]),
    ],
)  # fmt: skip
def test_one_row_a_flag_or_a_field(wanted: str, typed: str, said: list[str]) -> None:
    assert hints.lacked(wanted.split(), hints.Try(typed.split(), 0, ""), "en") == said


def test_a_near_miss_is_the_step_s_verb_on_another_container() -> None:
    assert hints.near_miss(w("docker logs t_only"), w("docker logs t-only"))
    assert hints.near_miss(w("docker run -it --name first u"), w("docker run -it --name other u"))
    assert not hints.near_miss(w("docker logs t_only"), w("docker ps"))
    assert not hints.near_miss(w("docker ps -a"), w("docker ps"))  # no container to get wrong
    assert not hints.near_miss(w("docker run -it u"), w("docker run -it --name x u"))


def test_a_line_the_client_refuses_says_nothing_of_its_own() -> None:
    assert hints.lacked(w("docker run -it u"), hints.Try(w("docker run --bogus u"), 125, ""), "en") == []


def test_every_row_is_said_in_both_languages_with_the_same_values() -> None:
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key in hints.SAID.values():
        assert set(CATALOGUE[key]) == {"en", "ko"}, key
        assert fields(CATALOGUE[key]["en"]) == fields(CATALOGUE[key]["ko"]), key
        assert not re.search(r"[가-힣]", CATALOGUE[key]["en"]), key
