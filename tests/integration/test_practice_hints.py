"""What practice says after failed tries, and what solve leaves behind, as a learner sees it in tmux: the
hints drawn from the try (a missing -i and -t, another container's name, another image, a name still in
use) in Korean, and solve of the `-t`-only step, whose `hello` the container never reads and the learner's
shell must not read either. Every wait is on the screen, to a deadline."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.ownership.inventory import Inventory
from dockersim.scenario.loader import load_scenario
from tests.integration.test_practice import PROMPT, practice_pane
from tests.integration.test_practice_ko import registry  # noqa: F401 (a fixture)

CHAPTER = Path(__file__).parents[2] / "scenarios" / "2.2.1-creating-containers.yaml"


def test_hints_say_what_the_try_lacked(engine: Docker, images: dict[str, str], tmp_path: Path,
                                       registry: dict[str, str]) -> None:  # noqa: F811  # fmt: skip
    before = Inventory.read(engine)
    pane, _env = practice_pane(tmp_path, CHAPTER, f"hints-{os.getpid()}", "--lang", "ko", "--from", "2",
                               extra=registry)  # fmt: skip
    try:
        pane.wait(r"· 2/\d+ 단계$", timeout=900)
        pane.wait(rf"^{re.escape(PROMPT)}$")
        # Without -i -t, twice (the first try's container removed between): what the try lacked, in Korean.
        pane.type("docker run -d --name first ubuntu:14.04 sleep 100")
        pane.wait(r"^✗ 아직 아닙니다: ")
        pane.type("docker rm -f first")
        pane.wait(r"^first$")
        pane.type("docker run -d --name first ubuntu:14.04 sleep 100")
        pane.wait(r"^✗ 아직 아닙니다: ")
        pane.wait(r"^힌트: -i 는 표준 입력\(STDIN\)을 열어 둡니다: 없으면 입력한 키가 셸에 전달되지 않습니다$")
        pane.wait(r"^힌트: -t 는 컨테이너에 터미널을 붙여 줍니다: 없으면 입력할 프롬프트가 나오지 않습니다$")
        pane.wait(r"^힌트: -d 는 컨테이너를 백그라운드에서 실행하고 바로 프롬프트로 돌아옵니다")
        # Again, the name still taken: how to free it.
        pane.type("docker run -it --name first ubuntu:14.04")
        pane.wait(r"^힌트: first 이라는 이름은 앞서 시도한 컨테이너가 아직 쓰고 있습니다: docker rm -f first ")
        # Another name: a try at the step, said at once.
        pane.type("docker run -it --name frist ubuntu:14.04")
        pane.wait(r"root@[0-9a-f]{12}:/#")
        pane.type("exit")
        pane.wait(r"^✗ 아직 아닙니다: 과제의 컨테이너는 first 인데, 입력한 명령은 frist 를 가리켰습니다$")
        # Another image.
        pane.type("docker rm -f first")
        pane.wait(r"^first$")
        pane.type("docker run -it --name first centos:8")
        pane.wait(r"\[root@[0-9a-f]{12} /\]#")
        pane.type("exit")
        pane.wait(r"^힌트: 과제의 이미지는 ubuntu:14.04 인데, 입력한 명령은 centos:8 를 썼습니다$")
        pane.wait(rf"^{re.escape(PROMPT)}$")
        pane.type("exit")
        pane.wait(r"^PRACTICE-EXIT=1$", timeout=300)
    finally:
        screen = pane.text()
        pane.close()
    assert "Traceback" not in screen, screen[-3000:]
    assert Inventory.read(engine) == before, screen[-3000:]


@pytest.fixture
def t_only(tmp_path: Path) -> Path:
    """2.2.1's `-t`-only step as a step the learner types (the chapter runs it itself), and a step after it,
    so that the learner's shell goes on after it."""
    step = next(s for s in load_scenario(str(CHAPTER)).steps if s.run and "t_only" in s.run)
    assert step.tty and [a.kind for a in step.tty] == ["expect", "send", "expect", "eof"] and step.auto
    ready, typed, read = (a.text for a in step.tty[:3])
    path = tmp_path / "t-only.yaml"
    path.write_text(
        "schema_version: 1\ntitle: {en: -t alone, ko: -t 만}\nimages: {ubuntu: ubuntu:14.04}\nsteps:\n"
        "  - name: -t without -i\n    task: {en: run it with a terminal and no input, ko: 입력 없이 터미널만}\n"
        f"    run: >-\n      {shlex.join(step.run or [])}\n"
        f"    tty:\n      - expect: '{ready}'\n      - send: {typed}\n      - expect: '{read}'\n      - expect: eof\n"
        "  - name: what it read\n    task: {en: look at its logs, ko: 로그를 보세요}\n    run: docker logs t_only\n"
        "    stdout: '(?m)^read: nothing'\n"
    )
    return path


def test_solve_leaves_no_input_for_the_learner_s_shell(engine: Docker, images: dict[str, str], tmp_path: Path,
                                                       t_only: Path, registry: dict[str, str]) -> None:  # noqa: F811  # fmt: skip
    before = Inventory.read(engine)
    pane, _env = practice_pane(tmp_path, t_only, f"solve-{os.getpid()}", extra=registry)
    try:
        pane.wait(r"step 1/2$", timeout=900)
        pane.wait(rf"^{re.escape(PROMPT)}$")
        pane.type("solve")
        pane.wait(r"^hello$")  # typed into the container's terminal, where the learner sees it
        pane.wait(r"^read: nothing")  # and never read
        pane.wait(r"^✓ step 1 solved for you: -t without -i$")
        pane.wait(r"step 2/2$")
        pane.wait(rf"^{re.escape(PROMPT)}$")
        pane.type("echo the-shell-reads-this")
        pane.wait(r"^the-shell-reads-this$")
        pane.type("docker logs t_only")
        pane.wait(r"^✓ step 2 done: what it read$")
        pane.wait(r"^PRACTICE-EXIT=1$", timeout=300)  # a step was solved
    finally:
        screen = pane.text()
        pane.close()
    assert "command not found" not in screen, screen[-3000:]
    shown = screen[screen.index("read: nothing") :]
    assert re.search(r"^learner\$ echo the-shell-reads-this$", shown, re.MULTILINE), screen[-3000:]
    assert Inventory.read(engine) == before, screen[-3000:]
