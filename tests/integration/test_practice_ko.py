"""A Korean learner alone with the book: every chapter practised in Korean (`--lang ko`) from a fresh state,
typing only what practice_answers.yaml says a learner would type for each task (written from the task's
words, never from the step's command), in tmux. Each chapter ends by itself with exit status 0: every step
the learner types passed, the destructive ones held back. Every wait is on the screen, to a deadline."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

import pytest
import yaml

from dockersim.engine.client import Docker
from dockersim.engine.terminal import on_screen
from dockersim.ownership.inventory import Inventory
from dockersim.scenario.loader import load_scenario
from dockersim.scenario.model import Act, Scenario, Step, for_engine
from dockersim.yamlfile.texts import pick
from tests.conftest import ROOT
from tests.integration.test_practice import PROMPT, Pane, practice_pane, shape

ANSWERS: dict[str, list[dict[str, object]]] = yaml.safe_load(
    (Path(__file__).parent / "practice_answers.yaml").read_text(encoding="utf-8")
)
CHAPTERS = sorted((ROOT / "scenarios").glob("2.2.*.yaml"))
KEY = re.compile(r"ctrl-[a-z@\[\\\]^_]")


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The kit's registry on a port of these tests' own, its storage kept between chapters: another user's
    registry may hold the default port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return {"XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache")), "DOCKERSIM_REGISTRY_PORT": str(port)}


def typed(line: str) -> str:
    """A line as tmux's send-keys takes it: a `;` at its end would end tmux's own command."""
    return line[:-1] + "\\;" if line.endswith(";") else line


def press(pane: Pane, line: str) -> None:
    """One line of an answer: key names are pressed, anything else typed and ended with Enter."""
    names = line.split()
    if names and all(KEY.fullmatch(n) for n in names):
        pane.keys(*names)
    else:
        pane.type(typed(line))


class Answers:
    """A learner typing one chapter from practice_answers.yaml, reading practice's Korean screen."""

    def __init__(self, pane: Pane, chapter: Path) -> None:
        self.pane = pane
        self.scenario: Scenario = for_engine(load_scenario(str(chapter)), "docker")  # as practice numbers them
        self.answers = ANSWERS[chapter.name]
        self.total = len(self.scenario.steps)

    def step(self, n: int) -> Step:
        return next(s for s in self.scenario.steps if s.index == n)

    def banner(self, n: int) -> dict[str, str]:
        """Wait for step n's banner and the prompt after it; the values it shows under the task."""
        self.pane.wait(rf"· {n}/{self.total} 단계$", timeout=900)  # the kit may be pushed to the registry first
        shown = self.pane.wait(rf"(?s)(.*?)^{re.escape(PROMPT)}$")
        return dict(re.findall(r"^  (\{[^}]+\}) = (\S+)$", shown.group(1), re.MULTILINE))

    def type_step(self, n: int, lines: list[str], shown: dict[str, str]) -> None:
        """The answer's first line at the prompt; each line after it answers the step's next send or keys, once
        the screen shows what the step expects before it."""
        lines = [re.sub(r"\{[^}]+\}", lambda m: shown.get(m.group(0), m.group(0)), line) for line in lines]
        press(self.pane, lines.pop(0))
        for action in self.step(n).tty or []:
            if action.kind is Act.EXPECT and action.text:
                self.pane.wait(on_screen(shape(action.text)), timeout=action.timeout + 60)
            elif action.kind in (Act.SEND, Act.KEYS) and lines:
                press(self.pane, lines.pop(0))
        assert not lines, f"step {n}: {lines} left over"

    def chapter(self, skip: tuple[int, ...] = ()) -> None:
        for answer in self.answers:
            n = int(str(answer["step"]))
            step = self.step(n)
            assert pick(step.name, "en") == answer["name"], (n, answer["name"])  # the number points at it
            if step.destructive or n in skip:
                continue
            for _ in range(10):  # a database still starting: again, as a person would
                shown = self.banner(n)
                self.type_step(n, [str(line) for line in answer["type"]], shown)  # type: ignore[attr-defined]
                verdict = self.pane.wait(rf"(✓ {n}단계 완료|✗ 아직 아닙니다: .*)", timeout=900)
                if verdict.group(0).startswith("✓"):
                    break
                assert step.retry, self.pane.text()[-3000:]
            else:
                raise AssertionError(self.pane.text()[-3000:])


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name.split("-")[0])
def test_a_korean_learner_types_the_chapter_from_its_tasks_alone(chapter: Path, engine: Docker,
                                                                 images: dict[str, str], tmp_path: Path,
                                                                 registry: dict[str, str]) -> None:  # fmt: skip
    before = Inventory.read(engine)
    pane, _env = practice_pane(tmp_path, chapter, f"ko-{chapter.name[:5]}-{os.getpid()}", "--lang", "ko",
                               extra=registry)  # fmt: skip
    learner = Answers(pane, chapter)
    title = pick(learner.scenario.title, "ko")
    try:
        learner.chapter()
        pane.wait(rf"{re.escape(title)}의 {learner.total}단계를 모두 마쳤습니다", timeout=600)
        pane.wait(rf"^{re.escape(title)}: 통과 \d+, 풀이 0, 건너뜀 0, 남음 0 / 전체 {learner.total}")
        pane.wait(r"^PRACTICE-EXIT=0$", timeout=300)
    finally:
        screen = pane.text()
        pane.close()
    assert "Traceback" not in screen, screen[-3000:]
    assert Inventory.read(engine) == before, screen[-3000:]
