"""Grading throughput over 1, 2 and 4 engines, on a light spec: each submission waits on its engine (a
foreground `sleep` in a container, then a service started), so that the engines, not this machine's two
cores, are what limits. The floor, in the same run: the same docker commands as a plain shell script, one
submission after another on the machine's engine, divided by the number of engines (perfect scaling).

sudo python3 bench/pool.py [SUBMISSIONS]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dockersim.engine.client import Docker  # noqa: E402
from dockersim.kit import stand_ins as kit  # noqa: E402

WAIT = 3  # seconds each submission's foreground container sleeps
SPEC = """schema_version: 1
title: a light homework
images: {busybox: busybox}
time_limit: 60
settle: 10
checks:
  - name: the service runs
    points: 1
    check: {container: svc, state: running}
"""
COMMANDS = f"docker run --rm busybox sleep {WAIT}\ndocker run -d --name svc busybox sleep 600\n"


def grade(work: Path, jobs: int, folders: list[Path], out: str) -> float:
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "dockersim", "grade", "--jobs", str(jobs), "--out", str(work / out),
                    str(work / "spec.yaml"), *map(str, folders)], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    seconds = time.monotonic() - start
    book = (work / out / "gradebook.csv").read_text().splitlines()[1:]
    assert all(",1,1," in line for line in book), book  # every submission earned its point
    return seconds


def plain(folders: list[Path]) -> float:
    """The floor: each submission's commands as a shell script, then its containers removed, in turn."""
    docker = Docker()
    kit.build(docker, ["dockersim/busybox:latest"], lambda _line: None, only_missing=True)
    start = time.monotonic()
    for _ in folders:
        script = COMMANDS.replace("busybox", "dockersim/busybox")
        subprocess.run(["sh", "-e"], input=script, text=True, check=True, capture_output=True)
        subprocess.run(["docker", "rm", "-f", "svc"], check=True, capture_output=True)
    return time.monotonic() - start


def main(count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="dockersim-bench-pool-"))
    try:
        (work / "spec.yaml").write_text(SPEC)
        folders = []
        for n in range(count):
            folders.append(work / "submissions" / f"s{n:03d}")
            folders[-1].mkdir(parents=True)
            (folders[-1] / "commands.sh").write_text(COMMANDS)
        grade(work, 4, folders[:4], "warm")  # every engine started once, its kit in place: not timed
        floor = plain(folders)
        print(f"{count} submissions, each waiting {WAIT} s on its engine; the plain script took {floor:.1f}s")
        one = 0.0
        for engines in (1, 2, 4):
            seconds = grade(work, engines, folders, f"jobs{engines}")
            one = one or seconds
            print(f"  {engines} engine(s): {seconds:.1f}s, {60 * count / seconds:.1f} submissions/min, "
                  f"{one / seconds:.2f}x of one engine (linear: {engines}x), {seconds / (floor / engines):.2f}x "
                  f"the floor divided by {engines}")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16)
