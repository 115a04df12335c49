"""The verdict's latency in practice: from the prompt hook's marker (a command has finished) to the verdict on
the learner's screen, over a chapter typed as a learner would (tests/integration/practice_answers.yaml), and
how much of it was the engine's state read (docker calls) and how much dockersim's own work.

python3 bench/verdict.py [CHAPTER]     # prints the rows; bench/run.py adds them to RESULTS.md

`dockersim practice --offline CHAPTER` runs on a pty as it does for a learner; only its process is
instrumented (by the code below, put before dockersim's own start): the marker's handling, each docker call
and the verdict's write are timed there, so that the figures are dockersim's and not this driver's.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import sys
import tempfile
from pathlib import Path

import pexpect
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dockersim.scenario import placeholders  # noqa: E402
from dockersim.scenario.loader import load_scenario  # noqa: E402
from dockersim.scenario.model import Act, for_engine  # noqa: E402

ANSWERS = ROOT / "tests" / "integration" / "practice_answers.yaml"
PROMPT = "learner$ "
TARGET_MS = 100.0  # the goal beyond the state read

# In dockersim's process: the time from the `done` marker to the verdict's write, and the docker calls between.
INSTRUMENT = r"""
import json, os, sys, time
from dockersim.engine import client
from dockersim.practice import watch

out = open(os.environ["BENCH_VERDICTS"], "a", encoding="utf-8")
now = {"marker": None, "engine": 0.0, "calls": 0}
done, show, run_argv = watch.MARKERS["done"], watch.Watch.show, client.Docker.run_argv

def _done(self, rest):
    now.update(marker=time.perf_counter(), engine=0.0, calls=0)
    return done(self, rest)

def _show(self, lines, style=""):
    show(self, lines, style)
    if now["marker"] is not None and lines and lines[0].startswith(("✓ step", "✗ not yet")):
        record = {"seconds": time.perf_counter() - now["marker"], "engine": now["engine"], "calls": now["calls"],
                  "verdict": lines[0]}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
        now["marker"] = None

def _run_argv(self, *args, **kwargs):
    start = time.perf_counter()
    try:
        return run_argv(self, *args, **kwargs)
    finally:
        if now["marker"] is not None:
            now["engine"] += time.perf_counter() - start
            now["calls"] += 1

watch.MARKERS["done"], watch.Watch.show, client.Docker.run_argv = _done, _show, _run_argv
from dockersim.cli.main import main
main(sys.argv[1:], prog_name="dockersim")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lenient(pattern: str) -> str:
    """A tty step's expectation as the raw stream shows it: a container's ID by its shape, no line anchors."""
    shaped = placeholders.substitute(pattern, lambda p: placeholders.SHAPES.get(p.kind, ".+"))
    return shaped.replace("^", "").replace("$", "").rstrip()


def keys(line: str) -> str | None:
    """A line of key names (ctrl-p ctrl-q) as the bytes they send; None for a line of text."""
    names = line.split()
    if not names or not all(re.fullmatch(r"ctrl-[a-z]", n) for n in names):
        return None
    return "".join(chr(ord(n[-1]) - 96) for n in names)


def type_chapter(chapter: Path, log: Path) -> None:
    """The chapter's typed steps, as practice_answers.yaml types them; destructive ones are held back."""
    scenario = for_engine(load_scenario(str(chapter)), "docker")
    steps = {s.index: s for s in scenario.steps}
    answers = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))[chapter.name]
    home = Path(tempfile.mkdtemp(prefix="bench-verdict-"))
    (home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    # The learner's home is the bench's own; the kit's registry keeps its storage in the machine's cache, on
    # a port of its own (another user's registry may hold the default one).
    env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(home / "state"), "NO_COLOR": "1",
           "DOCKERSIM_LANG": "en", "TERM": "xterm-256color", "BENCH_VERDICTS": str(log),
           "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache"),
           "DOCKERSIM_REGISTRY_PORT": os.environ.get("DOCKERSIM_REGISTRY_PORT") or str(free_port())}  # fmt: skip
    child = pexpect.spawn(sys.executable, ["-c", INSTRUMENT, "practice", "--offline", str(chapter)], cwd=str(ROOT),
                          env=env, dimensions=(50, 200), encoding="utf-8", timeout=600)  # fmt: skip
    if os.environ.get("BENCH_SCREEN"):  # what practice showed, to read when the bench stops
        child.logfile_read = open(os.environ["BENCH_SCREEN"], "w", encoding="utf-8")  # noqa: SIM115
    try:
        for answer in answers:
            step = steps[answer["step"]]
            if step.destructive:
                continue
            for _ in range(10):  # a database still starting: again, as a person would
                child.expect(rf"step {step.index}/{len(steps)}\r*\n")
                child.expect_exact(PROMPT)
                lines = filled(answer["type"], child.before)
                child.send(lines.pop(0) + "\r")
                enter = False  # an Enter alone, to make a prompt show: pressed again until it does
                for action in step.tty or []:
                    if action.kind is Act.EXPECT and action.text and enter:
                        for _ in range(10):  # the client may not read the keyboard yet (attach connecting)
                            if child.expect([lenient(action.text), pexpect.TIMEOUT], timeout=2) == 0:
                                break
                            child.send("\r")
                        enter = False
                    elif action.kind is Act.EXPECT and action.text:
                        child.expect(lenient(action.text), timeout=action.timeout + 60)
                    elif action.kind in (Act.SEND, Act.KEYS) and lines:
                        line = lines.pop(0)
                        pressed = keys(line)
                        child.send(pressed if pressed is not None else line + "\r")
                        enter = line == ""
                verdict = child.expect([rf"✓ step {step.index} done", r"✗ not yet"], timeout=600)
                if verdict == 0:
                    break
                if not step.retry:
                    raise SystemExit(f"bench: step {step.index} did not pass:\n{child.before[-2000:]}")
        child.expect(r"\d+ passed, \d+ solved", timeout=600)
        child.expect(pexpect.EOF, timeout=120)
    finally:
        child.close(force=True)


def filled(lines: list[str], banner: str) -> list[str]:
    """An answer's lines with the values the banner shows under the task (`{var.ID} = ca32…`) put in."""
    shown = dict(re.findall(r"^  (\{[^}]+\}) = (\S+)\r*$", banner, re.MULTILINE))
    return [re.sub(r"\{[^}]+\}", lambda m: shown.get(m.group(0), m.group(0)), line) for line in lines]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def verdict_rows(chapter: Path) -> list[list[str]]:
    """The table's rows: marker → verdict, the state read within it, and the rest (against the target)."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "verdicts.jsonl"
        type_chapter(chapter, log)
        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    total = [r["seconds"] * 1000 for r in records]
    engine = [r["engine"] * 1000 for r in records]
    beyond = [t - e for t, e in zip(total, engine, strict=True)]
    calls = statistics.median(r["calls"] for r in records)
    name = chapter.name.split("-")[0]
    met = statistics.median(beyond) < TARGET_MS
    return [
        [f"practice {name}: prompt marker → verdict on screen, median of {len(records)} (p95 {p95(total):.0f} ms)",
         f"{statistics.median(total):.0f} ms", "", "", "", ""],
        [f"practice {name}: … of which the state read, {calls:g} docker calls (p95 {p95(engine):.0f} ms)",
         f"{statistics.median(engine):.0f} ms", "", "", "", ""],
        [f"practice {name}: … beyond the state read (p95 {p95(beyond):.0f} ms)",
         f"{statistics.median(beyond):.0f} ms", "", "", f"< {TARGET_MS:.0f} ms", "yes" if met else "no"],
    ]  # fmt: skip


def main() -> None:
    from tabulate import tabulate

    chapter = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "scenarios" / "2.2.1-creating-containers.yaml"
    print(tabulate(verdict_rows(chapter.resolve()), headers=["measure", "dockersim", "", "", "target", "met"],
                   tablefmt="github", disable_numparse=True))  # fmt: skip


if __name__ == "__main__":
    main()
