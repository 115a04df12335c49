"""`dockersim practice` as a person uses it: tmux types into the learner's terminal and reads its screen,
through all of 2.2.1 (run -i -t, exit, Ctrl+D, Ctrl+P,Q, attach), with one wrong try, a hint and a solve.
Every wait is on the screen, to a deadline."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockersim.dockercli import commandline
from dockersim.engine.client import Docker
from dockersim.ownership.inventory import Inventory
from dockersim.scenario import placeholders
from dockersim.scenario.loader import load_scenario
from dockersim.scenario.model import Step, for_engine
from tests.conftest import ROOT

CHAPTER = ROOT / "scenarios" / "2.2.1-creating-containers.yaml"
WRONG = "own_fs"  # the step tried wrongly first: the learner leaves before looking around, then solve
PROMPT = "learner$ "


class Pane:
    """One tmux window on a private server: what is on it, and keys typed into it."""

    def __init__(self, socket: str, command: str, env: dict[str, str]) -> None:
        self.socket = socket
        # The history limit applies to windows made after it is set: set it in the server's first command.
        self.tmux(["-f", "/dev/null", "start-server", ";", "set-option", "-g", "history-limit", "100000", ";",
                   "new-session", "-d", "-s", "p", "-x", "200", "-y", "50", command], env=env)  # fmt: skip
        self.mark = 0  # where in the text the next wait starts looking

    def tmux(self, args: list[str], env: dict[str, str] | None = None) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=env, timeout=30)
        return done.stdout

    def text(self) -> str:
        return self.tmux(["capture-pane", "-p", "-J", "-S", "-", "-E", "-"])

    def wait(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            found = re.compile(pattern, re.MULTILINE).search(text, self.mark)
            if found:
                self.mark = found.end()
                return found
            assert time.monotonic() < deadline, f"{pattern!r} did not show; the screen:\n{text[-3000:]}"
            time.sleep(0.1)  # poll: the screen, to the deadline

    def type(self, line: str) -> None:
        self.tmux(["send-keys", "-t", "p", "-l", line])
        self.tmux(["send-keys", "-t", "p", "Enter"])

    def keys(self, *names: str) -> None:
        self.tmux(["send-keys", "-t", "p", *(f"C-{n.removeprefix('ctrl-')}" if n.startswith("ctrl-") else n
                                             for n in names)])  # fmt: skip

    def close(self) -> None:
        self.tmux(["kill-server"])


def shape(template: str) -> str:
    """An expectation as the test can wait for it: a container's ID by its shape."""
    return placeholders.substitute(template, lambda p: placeholders.SHAPES.get(p.kind, ".+"))


class Learner:
    """Types a chapter's steps as a person reading the banner would: the chapter's image names, the values
    the banner shows (`{workdir} = /tmp/…`) and what earlier commands printed (an ID's prefix)."""

    def __init__(self, pane: Pane, chapter: Path, engine: str = "docker") -> None:
        self.pane = pane
        self.scenario = for_engine(load_scenario(str(chapter)), engine)  # as practice numbers them
        self.captures: dict[str, str] = {}

    def line(self, step: Step, shown: dict[str, str]) -> str:
        def value(p: placeholders.Placeholder) -> str:
            if p.kind == "image":
                return self.scenario.images[p.arg]
            return shown.get(p.text) or self.captures[p.arg]

        return shlex.join(placeholders.substitute(w, value) for w in step.run or [])

    def steps(self, first: int = 1, last: int = 10**6, wrong: str = "", destructive: bool = False) -> None:
        pane, total = self.pane, len(self.scenario.steps)
        for step in self.scenario.steps:
            if not step.typed() or not first <= step.index <= last or (step.destructive and not destructive):
                continue
            for attempt in range(10):  # a database still starting: try again, as a person would
                pane.wait(rf"step {step.index}/{total}$", timeout=600)  # the kit may be building
                banner = pane.wait(rf"(?s)(.*?)^{re.escape(PROMPT)}$")
                shown = dict(re.findall(r"^  (\{[^}]+\}) = (\S+)$", banner.group(1), re.MULTILINE))
                line = self.line(step, shown)
                if wrong and wrong in line and attempt == 0:
                    self.wrong_then_solve(step, line, wrong)
                    break
                pane.type(line)
                for action in step.tty or []:
                    if action.kind == "expect":
                        pane.wait(shape(action.text))
                    elif action.kind == "send":
                        pane.type(action.text)
                    elif action.kind == "keys":
                        pane.keys(*action.keys)
                cmd = commandline.parse(step.run or [])
                if (
                    not step.tty
                    and cmd
                    and cmd.path == "container run"
                    and cmd.flag("--interactive")
                    and not cmd.flag("--tty")
                ):
                    pane.type("exit")  # -i without -t: bash reads the terminal, with no prompt
                done = pane.wait(rf"(✓ step {step.index} done|✗ not yet: .*)")
                if done.group(0).startswith("✓"):
                    break
                assert step.retry, pane.text()[-3000:]
            else:
                raise AssertionError(pane.text()[-3000:])
            for name, pattern in step.capture.items():
                self.captures[name] = re.findall(pattern, pane.text(), re.MULTILINE)[-1]

    def wrong_then_solve(self, step: Step, line: str, name: str) -> None:
        """Leave before looking around, read the hint, clear up, and let solve type it."""
        pane = self.pane
        pane.type(line)
        pane.wait(shape(step.tty[0].text) if step.tty else PROMPT)
        pane.type("exit")
        pane.wait(r"✗ not yet: ")
        pane.type("hint")
        pane.wait(r"^hint: ")
        pane.type("solve")  # removes what the failed try left under the step's names, then types
        pane.wait(rf"✓ step {step.index} solved for you")


def practice_pane(tmp_path: Path, chapter: Path, name: str, *flags: str,
                  extra: dict[str, str] | None = None) -> tuple[Pane, dict[str, str]]:  # fmt: skip
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(tmp_path / "state"), "NO_COLOR": "1",
           "DOCKERSIM_LANG": "en", "TERM": "xterm-256color", **(extra or {})}  # fmt: skip
    command = (f"cd {ROOT} && {sys.executable} -m dockersim practice --offline {' '.join(flags)} {chapter}; "
               "echo PRACTICE-EXIT=$?; exec cat")  # fmt: skip
    return Pane(f"dockersim-{name}-{os.getpid()}", command, env), env


@pytest.mark.parametrize("kind", ["docker", "podman"])
def test_practice_2_2_1_typed_in_tmux(kind: str, engine: Docker, tmp_path: Path,
                                      request: pytest.FixtureRequest) -> None:  # fmt: skip
    """The learner types `docker …` whichever the engine: on podman (on the tests' own storage), practice's
    docker runs podman."""
    if kind == "podman":
        engine = request.getfixturevalue("podman")
    storage = {k: v for k, v in engine.env.items() if k == "CONTAINERS_STORAGE_CONF"}
    engine.call(["rm", "-f", "learners_own"], check=False)  # a killed test run's
    before = Inventory.read(engine)
    own = engine.call(["create", "--name", "learners_own", "dockersim/busybox:latest", "true"]).stdout.strip()
    flags = ["--allow-destructive", *(["--docker", "podman"] if kind == "podman" else [])]
    pane, env = practice_pane(tmp_path, CHAPTER, f"2-2-1-{kind}", *flags, extra=storage)
    try:
        Learner(pane, CHAPTER, kind).steps(wrong=WRONG, destructive=True)
        pane.wait(r"all \d+ steps of 2\.2\.1 Creating containers done")
        summary = pane.wait(r"^2\.2\.1 Creating containers: (\d+) passed, 1 solved, 0 skipped, 0 left of (\d+)$")
        assert int(summary.group(1)) + 1 == int(summary.group(2))
        pane.wait(r"^PRACTICE-EXIT=1$")  # a step was solved for the learner
    finally:
        screen = pane.text()
        pane.close()
    # Everything practice made is gone, the learner's own container is as it was, and progress is saved.
    after = Inventory.read(engine)
    assert own in after.containers
    engine.call(["rm", own])
    assert Inventory.read(engine) == before, screen[-3000:]
    saved = subprocess.run([sys.executable, "-m", "dockersim", "progress"], capture_output=True, text=True, cwd=ROOT,
                           env=env, timeout=60).stdout  # fmt: skip
    total = len(for_engine(load_scenario(str(CHAPTER)), kind).steps)
    assert re.search(rf"2\.2\.1 Creating containers\s+{total}/{total}\s+{total - 1}\s+1\s+0", saved), saved


def test_practice_2_2_6_left_midway_and_resumed(engine: Docker, tmp_path: Path) -> None:
    chapter = ROOT / "scenarios" / "2.2.6-volumes.yaml"
    total = len(for_engine(load_scenario(str(chapter)), "docker").steps)
    before = Inventory.read(engine)
    pane, _env = practice_pane(tmp_path, chapter, "2-2-6a")
    try:
        Learner(pane, chapter).steps(last=6)
        pane.wait(rf"step 8/{total}$")
        pane.type("exit")
        pane.wait(rf"^2\.2\.6 .*: 7 passed, 0 solved, 0 skipped, {total - 7} left of {total}$")  # 7: a check
        pane.wait(r"^PRACTICE-EXIT=1$")
    finally:
        pane.close()
    assert Inventory.read(engine) == before  # what the first sitting made is gone
    pane, _env = practice_pane(tmp_path, chapter, "2-2-6b")  # its last step (prune, y) is held back
    try:
        pane.wait(r"dockersim runs steps 1–7 for you", timeout=600)  # so that the engine holds what 8 expects
        Learner(pane, chapter).steps(first=8)
        pane.wait(rf"^2\.2\.6 .*: {total - 1} passed, 0 solved, 0 skipped, 0 left of {total} \(1 held back as destr")
        pane.wait(r"^PRACTICE-EXIT=0$")
    finally:
        screen = pane.text()
        pane.close()
    assert Inventory.read(engine) == before, screen[-3000:]


def test_what_practice_made_goes_when_dockersim_is_killed(engine: Docker, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(tmp_path / "state"), "NO_COLOR": "1"}
    own = engine.call(["create", "--name", "learners_own", "dockersim/busybox:latest", "true"]).stdout.strip()
    engine.call(["volume", "create", "learners_own_volume"])
    before = Inventory.read(engine)
    command = f"cd {ROOT} && exec {sys.executable} -m dockersim practice --offline {CHAPTER}"
    pane = Pane(f"dockersim-kill-{os.getpid()}", command, env)
    try:
        pane.wait(rf"^{re.escape(PROMPT)}$", timeout=600)
        pane.type("docker rm -f learners_own")  # the learner's own container is out of practice's reach
        pane.wait(r"container learners_own: not made in this practice, so practice does not remove it")
        pane.type("docker volume rm learners_own_volume")  # a volume has no ID: found by its name
        pane.wait(r"volume learners_own_volume: not made in this practice, so practice does not remove it")
        pane.type("docker run -d --name made_in_practice ubuntu:14.04 sleep 600")
        pane.wait(r"^[0-9a-f]{64}$")
        made = engine.call(["inspect", "--format", '{{index .Config.Labels "dockersim.run"}}', "made_in_practice"])
        assert made.stdout.strip(), "the shim labels what practice makes"
        os.kill(int(pane.tmux(["display-message", "-p", "-t", "p", "#{pane_pid}"])), 9)  # dockersim itself
        deadline = time.monotonic() + 60
        while Inventory.read(engine) != before:  # the run's reaper removes it
            assert time.monotonic() < deadline, Inventory.read(engine)
            time.sleep(0.2)  # poll: the reaper's cleanup, to the deadline
    finally:
        pane.close()
        engine.call(["rm", own], check=False)
        engine.call(["volume", "rm", "learners_own_volume"], check=False)
