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

from dockersim import commandline, placeholders
from dockersim.driver import Docker
from dockersim.ownership import Inventory
from dockersim.scenario import Step, load_scenario
from tests.conftest import ROOT

CHAPTER = ROOT / "scenarios" / "2.2.1-creating-containers.yaml"
WRONG = "own_fs"  # the step tried wrongly first: the learner leaves before looking around
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


def typed(step: Step, images: dict[str, str], captures: dict[str, str]) -> str:
    """The step's command as a learner types it from the chapter: its image names, values they read."""

    def value(p: placeholders.Placeholder) -> str:
        return images[p.arg] if p.kind == "image" else captures[p.arg]

    return shlex.join(placeholders.substitute(w, value) for w in step.run or [])


def shape(template: str) -> str:
    """An expectation as the test can wait for it: a container's ID by its shape."""
    return placeholders.substitute(template, lambda p: placeholders.SHAPES.get(p.kind, ".+"))


def test_practice_2_2_1_typed_in_tmux(engine: Docker, tmp_path: Path) -> None:
    scenario = load_scenario(str(CHAPTER))
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(tmp_path / "state"), "NO_COLOR": "1",
           "DOCKERSIM_LANG": "en", "TERM": "xterm-256color"}  # fmt: skip
    before = Inventory.read(engine)
    own = engine.call(["create", "--name", "learners_own", "dockersim/busybox:latest", "true"]).stdout.strip()
    command = (f"cd {ROOT} && {sys.executable} -m dockersim practice --offline --allow-destructive {CHAPTER}; "
               "echo PRACTICE-EXIT=$?; exec cat")  # fmt: skip
    pane = Pane(f"dockersim-test-{os.getpid()}", command, env)
    captures: dict[str, str] = {}
    try:
        for step in scenario.steps:
            if not step.typed():
                continue
            pane.wait(rf"step {step.index}/{len(scenario.steps)}$", timeout=600)  # the kit may be building
            pane.wait(rf"^{re.escape(PROMPT)}$")
            line = typed(step, scenario.images, captures)
            if WRONG in line:  # a wrong try, a hint, then solve
                pane.type(line)
                pane.wait(shape(step.tty[0].text) if step.tty else PROMPT)
                pane.type("exit")
                pane.wait(r"✗ not yet: ")
                pane.type(f"docker rm {WRONG}")
                pane.type("hint")
                pane.wait(r"^hint: ")
                pane.type("solve")
                pane.wait(rf"✓ step {step.index} solved for you")
                continue
            pane.type(line)
            for action in step.tty or []:
                if action.kind == "expect":
                    pane.wait(shape(action.text))
                elif action.kind == "send":
                    pane.type(action.text)
                elif action.kind == "keys":
                    pane.keys(*action.keys)
            cmd = commandline.parse(step.run or [])
            if cmd and cmd.path == "container run" and cmd.flag("--interactive") and not cmd.flag("--tty"):
                pane.type("exit")  # -i without -t: bash reads the terminal, with no prompt
            done = pane.wait(rf"(✓ step {step.index} done|✗ not yet: .*)")
            assert done.group(0).startswith("✓"), pane.text()[-3000:]
            for name, pattern in step.capture.items():
                captures[name] = re.findall(pattern, pane.text(), re.MULTILINE)[-1]
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
    assert re.search(r"2\.2\.1 Creating containers\s+19/19\s+18\s+1\s+0", saved), saved


def test_what_practice_made_goes_when_dockersim_is_killed(engine: Docker, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(tmp_path / "state"), "NO_COLOR": "1"}
    own = engine.call(["create", "--name", "learners_own", "dockersim/busybox:latest", "true"]).stdout.strip()
    before = Inventory.read(engine)
    command = f"cd {ROOT} && exec {sys.executable} -m dockersim practice --offline {CHAPTER}"
    pane = Pane(f"dockersim-kill-{os.getpid()}", command, env)
    try:
        pane.wait(rf"^{re.escape(PROMPT)}$", timeout=600)
        pane.type("docker rm -f learners_own")  # the learner's own container is out of practice's reach
        pane.wait(r"container learners_own: not made in this practice, so practice does not remove it")
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
