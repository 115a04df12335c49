"""What a batch of hogs takes from the machine while it is graded, beside the bounds that hold each one, and
what the bounds cost a course's batch (issue 24). Each figure beside its baseline from the same run.

python3 bench/neighbours.py            # appends its section to bench/RESULTS.md
python3 bench/neighbours.py --quick    # smaller, writes nothing
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dockersim.grading.engines import UNBOUNDED_ENV  # noqa: E402
from dockersim.host.limits import Limits, human  # noqa: E402

SPEC = """\
schema_version: 1
title: hogs
images: {busybox: busybox}
time_limit: 120
settle: 20
checks:
  - name: web runs
    check: {container: web, state: running}
"""
CORRECT = "docker run -d --name web busybox sleep 600\n"
HOGS = {
    "memory": "docker run -d --name web busybox sh -c 'a=x; while :; do a=$a$a; done'\n",
    "processes": "docker run -d --name web busybox sh -c 'while :; do sleep 300 & done'\n",
    "disk": "docker run --rm busybox dd if=/dev/zero of=/fill bs=1M count=8000\n" + CORRECT,
    "log": "docker run -d --name web busybox sh -c 'while :; do echo 0123456789abcdef0123456789abcdef; done'\n",
    "containers": "".join(f"docker run -d --name c{i} busybox sleep 600\n" for i in range(30)),
}


def in_use() -> dict[str, int]:
    """The machine's memory in use (MiB), its processes, and its root disk's used space (MiB), now."""
    info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    used = (int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])) // 1024
    disk = os.statvfs("/")
    return {"memory": used, "processes": sum(p.name.isdigit() for p in Path("/proc").iterdir()),
            "disk": (disk.f_blocks - disk.f_bfree) * disk.f_frsize // 2**20}  # fmt: skip


class Peaks:
    """The machine's peaks of in_use() while something runs, read every 0.2 s on a thread of its own."""

    def __init__(self) -> None:
        self.before = in_use()
        self.peak = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):  # a reading every 0.2 s until told to stop: a sampler, not a wait
            for key, value in in_use().items():
                self.peak[key] = max(self.peak[key], value)

    def stop(self) -> dict[str, int]:
        """How far above where they were the readings went."""
        self._stop.set()
        self._thread.join()
        return {key: self.peak[key] - self.before[key] for key in self.peak}


def graded_with_peaks(argv: list[str]) -> tuple[float, dict[str, int]]:
    """A grade run's seconds, and how far above where they were the machine's memory (MiB), processes and
    disk (MiB) went meanwhile."""
    peaks = Peaks()
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    return seconds, peaks.stop()


def hogs(copies: int) -> list[list[str]]:
    """Two correct submissions and each kind of hog, `copies` times, graded with --jobs 2 and the default
    bounds: the machine's peaks beside what the bounds allow two submissions at once."""
    folder = Path(tempfile.mkdtemp(prefix="bench-hogs-"))
    (folder / "spec.yaml").write_text(SPEC)
    folders = []
    for n in range(copies):
        for name, commands in {"good": CORRECT, **HOGS}.items():
            sub = folder / f"{name}{n}"
            sub.mkdir()
            (sub / "commands.sh").write_text(commands)
            folders.append(str(sub))
    out = folder / "out"
    argv = [sys.executable, "-m", "dockersim", "grade", "--jobs", "2", "--out", str(out), str(folder / "spec.yaml"),
            *folders]  # fmt: skip
    seconds, grown = graded_with_peaks(argv)
    shutil.rmtree(folder, ignore_errors=True)
    bounds = Limits()
    return [
        [f"{len(folders)} submissions, {copies * len(HOGS)} of them hogs, --jobs 2 ({seconds:.0f}s): peak memory",
         f"+{grown['memory']} MiB", f"2 × {human(bounds.memory)} bound", "", "≤ 2 bounds + engines", ""],
        ["… peak processes", f"+{grown['processes']}", f"2 × {bounds.processes} bound", "", "", ""],
        ["… peak disk", f"+{grown['disk']} MiB", f"2 × {human(bounds.disk)} bound", "", "", ""],
    ]  # fmt: skip


def bounds_cost(size: int) -> list[list[str]]:
    """The example homework's batch graded with --jobs 2, with the bounds and without them."""
    hw = ROOT / "examples" / "hw-wordpress"
    batch = Path(tempfile.mkdtemp(prefix="bench-bounds-"))
    kinds = ["alice", "bob", "carol", "mallory"]
    folders = []
    for i in range(size):
        folders.append(batch / f"{kinds[i % len(kinds)]}{i:02d}")
        shutil.copytree(hw / "submissions" / kinds[i % len(kinds)], folders[-1])
    seconds = {}
    for label, env in (("bounded", {}), ("unbounded", {UNBOUNDED_ENV: "1"})):
        out = tempfile.mkdtemp(prefix="bench-grades-")
        argv = [sys.executable, "-m", "dockersim", "grade", "--jobs", "2", "--out", out, str(hw / "spec.yaml"),
                *map(str, folders)]  # fmt: skip
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, cwd=ROOT, check=True, env={**os.environ, **env})
        seconds[label] = time.perf_counter() - start
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(batch, ignore_errors=True)
    ratio = seconds["bounded"] / seconds["unbounded"]
    return [[f"grading {size} example submissions, --jobs 2, with the bounds", f"{seconds['bounded']:.1f}s",
             f"{seconds['unbounded']:.1f}s (without)", f"{ratio:.2f}×", "", ""]]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small size, for CI; writes nothing")
    args = parser.parse_args()
    rows = hogs(1) + ([] if args.quick else bounds_cost(30))
    table = tabulate(rows, headers=["measure", "dockersim", "baseline", "ratio", "target", "met"],
                     tablefmt="github", disable_numparse=True)  # fmt: skip
    print(table)
    if args.quick:
        return
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text()
    head, _, rest = text.partition("\n## Neighbours (issue 24)")
    kept = rest.partition("\n## ")
    section = ("\n## Neighbours (issue 24)\n\n`python3 bench/neighbours.py`: the machine's peaks while hogs are "
               "graded with the default bounds, and what the bounds cost a course's batch.\n\n"
               f"{table}\n")  # fmt: skip
    results.write_text(head.rstrip("\n") + "\n" + section + (f"\n## {kept[2]}" if kept[1] else ""))


if __name__ == "__main__":
    main()
