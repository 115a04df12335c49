"""dockersim's benchmark: every figure is a ratio or a count measured side by side in the same run.

python3 bench/run.py            # the full bench; writes bench/RESULTS.md
python3 bench/run.py --quick    # a small size, as CI runs it so it cannot rot (writes nothing)
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pexpect
from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.baseline import run_plain  # noqa: E402
from bench.verdict import verdict_rows  # noqa: E402
from dockersim.checks.base import PlainContext  # noqa: E402
from dockersim.checks.container import ContainerCheck  # noqa: E402
from dockersim.engine.client import Docker  # noqa: E402
from dockersim.engine.sandbox.sandbox import Sandbox  # noqa: E402
from dockersim.engine.session import Session  # noqa: E402
from dockersim.engine.snapshot import Snapshot  # noqa: E402
from dockersim.kit import stand_ins as kit  # noqa: E402
from dockersim.scenario.loader import load_scenario  # noqa: E402
from dockersim.yamlfile.source import load_yaml  # noqa: E402

SCENARIOS = ["2.2.1-creating-containers.yaml", "2.2.2-listing-containers.yaml", "2.2.3-removing-containers.yaml"]
BUSYBOX = "dockersim/busybox:latest"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def scenario_overhead(rounds: int, names: list[str] = SCENARIOS, target: float = 1.02) -> list[list[str]]:
    """dockersim run against the same commands as a plain script, both pulling from one kit registry; with
    one short file, the fixed cost (start-up, preflight, the reaper) shows. The plain script's commands run in
    this process; what it would pay to start as its own script (python, and importing pexpect) is measured
    beside each of its runs and added, as dockersim's start is part of its figure."""
    files = [ROOT / "scenarios" / s for s in names]
    scenarios = [load_scenario(f) for f in files]
    docker = Docker()
    refs = {ref for s in scenarios for ref in s.images.values()}
    with kit.offline(docker, refs, lambda line: None) as image_map:
        cli = [sys.executable, "-m", "dockersim", "run", *map(str, files)]
        cli += [a for ref, local in image_map.items() for a in ("--image-map", f"{ref}={local}")]

        def ours() -> None:
            done = subprocess.run(cli, capture_output=True, text=True, cwd=ROOT)
            if done.returncode != 0:
                raise SystemExit(f"bench: dockersim run failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")

        def plain() -> None:
            for s in scenarios:
                run_plain(s, image_map)

        def script_start() -> None:  # what a bare pexpect script pays before its first command
            subprocess.run([sys.executable, "-c", "import pexpect, re, shlex, subprocess"], check=True)

        ours()  # warm the engine and the page cache once, for both sides (and pull through the registry)
        a, b = [], []
        for _ in range(rounds):  # alternate, so drift on a noisy machine hits both sides alike
            a.append(timed(ours))
            b.append(timed(plain) + timed(script_start))
    ratio = statistics.median(a) / statistics.median(b)
    steps = sum(len(s.steps) for s in scenarios)
    return [
        [
            f"scenario overhead ({len(files)} files, {steps} steps, median of {rounds})",
            f"{statistics.median(a):.2f}s",
            f"{statistics.median(b):.2f}s",
            f"{ratio:.2f}×",
            f"≤ {target:.2f}×",
            "yes" if ratio <= target else "no",
        ]
    ]


def state_reads(sizes: list[int]) -> list[list[str]]:
    import testinfra

    docker = Docker()
    host = testinfra.get_host("local://")
    rows = []
    made: list[str] = []
    try:
        for size in sizes:
            while len(made) < size:
                name = f"bench_state_{len(made)}"
                docker.call(
                    ["run", "-d", "--name", name, "-e", f"N={len(made)}", "--expose", "80", BUSYBOX, "sleep", "3600"]
                )
                made.append(name)
            checks = [
                ContainerCheck.parse(
                    load_yaml(
                        f"{{container: {n}, state: running, env: {{N: '{i}'}}, ports: {{80/tcp: exposed}}}}", "bench"
                    ),
                    "bench",
                )
                for i, n in enumerate(made)
            ]

            calls = 0

            def ours(checks: list[ContainerCheck] = checks) -> None:
                nonlocal calls
                snap = Snapshot(docker)
                bad = [m for c in checks for m in c.evaluate(snap, PlainContext())]
                assert not bad, bad
                calls = snap.calls

            def theirs(names: tuple[str, ...] = tuple(made)) -> None:
                for i, n in enumerate(names):
                    d = host.docker(n)
                    assert d.is_running
                    assert f"N={i}" in d.inspect()["Config"]["Env"]
                    assert "80/tcp" in d.inspect()["NetworkSettings"]["Ports"]

            t_ours, t_theirs = timed(ours), timed(theirs)
            target = "≥ 20×" if size == 100 else ""
            met = ("yes" if t_theirs / t_ours >= 20 else "no") if size == 100 else ""
            rows.append(
                [
                    f"state read + check of {size} containers (docker calls: {calls}, testinfra: {3 * size})",
                    f"{t_ours:.3f}s",
                    f"{t_theirs:.3f}s",
                    f"{t_theirs / t_ours:.1f}× faster",
                    target,
                    met,
                ]
            )
    finally:
        if made:
            docker.call(["rm", "-f", *made], check=False, timeout=600)
    return rows


def latency(rounds: int) -> list[list[str]]:
    from dockersim.engine.screen import Screen

    docker = Docker()
    argv = docker.argv(["run", "-i", "-t", "--rm", BUSYBOX, "sh"])

    arrival_to_return: list[float] = []
    drawn: list[float] = []  # the screen a step shows (Session.screen(): pyte draws what came since it last did)
    output: list[str] = []  # all the session printed, drawn again at once after

    def measure(kind: str) -> list[float]:
        out = []
        if kind == "dockersim":
            s = Session(argv, docker.env)
            s.expect(re.compile(r"/ # "), 20)
            for i in range(rounds):
                t = time.perf_counter()
                s.send_line(f"echo p{i}")
                s.expect(re.compile(rf"^p{i}$", re.M), 10)
                returned = time.monotonic()
                out.append(time.perf_counter() - t)
                # The frame that completed the match was stamped as it was read from the pty.
                arrival_to_return.append(returned - (s.started + s.frames[-1][0]))
                drawn.append(timed(s.screen))
            s.send_line("exit")
            s.close()
            output.extend(chunk for _, chunk in s.frames)
        else:
            c = pexpect.spawn(argv[0], argv[1:], dimensions=(24, 80), encoding="utf-8", timeout=10)
            c.delaybeforesend = None
            c.expect("/ # ")
            for i in range(rounds):
                t = time.perf_counter()
                c.send(f"echo p{i}\r")
                c.expect(f"\r\np{i}\r\n")
                out.append(time.perf_counter() - t)
            c.sendline("exit")
            c.expect(pexpect.EOF)
        return out

    ours, bare = measure("dockersim"), measure("pexpect")

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)

    own = statistics.median(arrival_to_return) * 1000
    screen = statistics.median(drawn) * 1000

    def draw_all() -> None:
        shown = Screen()
        shown.feed("".join(output))
        shown.lines()

    whole = timed(draw_all) * 1000
    extra = (statistics.median(ours) - statistics.median(bare)) * 1000
    sleeps = fixed_sleeps()
    return [
        [f"interactive: output read → expect returns, median of {rounds} (p95 {p95(arrival_to_return) * 1000:.2f} ms)",
         f"{own:.2f} ms", "", "", "< 20 ms", "yes" if own < 20 else "no"],
        [f"interactive: send → answer seen, median (p95 {p95(ours) * 1000:.1f} ms); docker's attach is the floor",
         f"{statistics.median(ours) * 1000:.1f} ms", f"{statistics.median(bare) * 1000:.1f} ms",
         f"{extra:+.1f} ms", "", ""],
        [f"interactive: the screen shown (pyte), drawn after each answer, median (p95 {p95(drawn) * 1000:.2f} "
         f"ms; all {rounds} at once {whole:.1f} ms)", f"{screen:.2f} ms", "", "", "< 20 ms",
         "yes" if screen < 20 else "no"],
        ["fixed sleeps in dockersim/ (sleeps not marked as a poll inside a deadline loop)", str(sleeps), "", "",
         "0", "yes" if sleeps == 0 else "no"],
    ]  # fmt: skip


def fixed_sleeps() -> int:
    count = 0
    for path in (ROOT / "dockersim").rglob("*.py"):
        for line in path.read_text().splitlines():
            if re.search(r"\bsleep\(", line) and "# poll" not in line:
                count += 1
    return count


def startup(rounds: int) -> list[list[str]]:
    """`dockersim --version` and `--help` (the installed command, as a shell runs it) against `python -c pass`,
    taken in turn, so that the machine's load falls on both alike."""

    def run(argv: list[str]) -> float:
        return timed(lambda: subprocess.run(argv, capture_output=True, check=True))

    installed = Path(sys.executable).parent / "dockersim"
    command = [str(installed)] if installed.exists() else [sys.executable, "-m", "dockersim"]
    rows = []
    for flag in ("--version", "--help"):
        ours, bare = [], []
        for _ in range(rounds):
            ours.append(run([*command, flag]))
            bare.append(run([sys.executable, "-c", "pass"]))
        extra = (statistics.median(ours) - statistics.median(bare)) * 1000
        rows.append([f"start-up: dockersim {flag} vs python -c pass, median of {rounds}",
                     f"{statistics.median(ours) * 1000:.0f} ms", f"{statistics.median(bare) * 1000:.0f} ms",
                     f"{extra:+.0f} ms", "≤ +40 ms", "yes" if extra <= 40 else "no"])  # fmt: skip
    return rows


def grading(jobs_list: list[int]) -> list[list[str]]:
    """The example homework's submissions graded with --jobs 1 and --jobs 2 (each on its own engine)."""
    hw = ROOT / "examples" / "hw-wordpress"
    folders = sorted(str(p) for p in (hw / "submissions").iterdir())
    seconds = {}
    for jobs in jobs_list:
        out = tempfile.mkdtemp(prefix="bench-grades-")
        argv = [sys.executable, "-m", "dockersim", "grade", "--jobs", str(jobs), "--out", out, str(hw / "spec.yaml"),
                *folders]  # fmt: skip
        seconds[jobs] = timed(partial(subprocess.run, argv, capture_output=True, check=True, cwd=ROOT))
    one = seconds[jobs_list[0]]
    return [[f"grading {len(folders)} example submissions, --jobs {jobs}", f"{s:.1f}s",
             f"{one:.1f}s (--jobs {jobs_list[0]})", f"{one / s:.2f}× throughput", "", ""]
            for jobs, s in seconds.items()]  # fmt: skip


def grading_batch(size: int) -> list[list[str]]:
    """A course-sized batch of the example homework — a third correct (alice), the rest failing checks of
    each kind (bob, carol, mallory) — graded with --jobs 1 and 2, against the floor: the same vetted commands
    run as a plain script on a fresh grading engine, then one state read, submission after submission."""
    import json
    import shutil

    from dockersim.engine.sandbox.slots import private

    hw = ROOT / "examples" / "hw-wordpress"
    batch = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    failing = ["bob", "carol", "mallory"]
    folders = []
    for i in range(size):
        kind = "alice" if i % 3 == 0 else failing[(i - 1 - i // 3) % len(failing)]
        folders.append(batch / f"{kind}{i:02d}")
        shutil.copytree(hw / "submissions" / kind, folders[-1])
    seconds: dict[int, float] = {}
    per: dict[str, float] = {}
    for jobs in (1, 2):
        out = Path(tempfile.mkdtemp(prefix="bench-grades-"))
        argv = [sys.executable, "-m", "dockersim", "grade", "--jobs", str(jobs), "--out", str(out),
                str(hw / "spec.yaml"), *map(str, folders)]  # fmt: skip
        seconds[jobs] = timed(partial(subprocess.run, argv, capture_output=True, check=True, cwd=ROOT))
        if jobs == 1:
            for s in json.loads((out / "results.json").read_text())["students"]:
                per.setdefault(s["student"].rstrip("0123456789"), s["seconds"])
    with private("bench-floor", isolated=True, shared=(batch,)) as box:
        return _floor(box, batch, folders, seconds, per, size)


def _floor(box: Sandbox, batch: Path, folders: list[Path], seconds: dict[int, float], per: dict[str, float],
           size: int) -> list[list[str]]:  # fmt: skip
    from dockersim.grading import submission
    from dockersim.grading.images import prepare
    from dockersim.ownership import inventory

    box.up()
    workspace = batch / "ws"
    workspace.mkdir()
    os.chown(workspace, box.remap_root, box.remap_root)  # as grading does: the engine's root writes there
    try:
        docker = Docker(env={"DOCKER_HOST": box.docker_host, "DOCKER_CONTEXT": ""})
        prepare(docker, lambda _line: None)

        def floor() -> None:
            for folder in folders:
                lines = submission.read_commands((folder / "commands.sh").read_text(), workspace)
                for line in lines:
                    if line.runs and not submission.substitution_marks(line.argv):
                        docker.call(line.argv[1:], check=False, timeout=120)
                docker.call(["ps", "-a", "-q"])
                _ = Snapshot(docker).containers
                inventory.empty(docker)

        plain = timed(floor)
    finally:
        box.down()
    rows = [[f"grading {size} submissions (⅓ correct), --jobs {jobs}", f"{s:.1f}s", f"{plain:.1f}s (plain script)",
             f"{s / plain:.2f}× the floor", "≤ 1.3×" if jobs == 2 else "", "yes" if s / plain <= 1.3 else "no"]
            for jobs, s in seconds.items()]  # fmt: skip
    gap = max(per[k] for k in ("bob", "carol")) - per["alice"]
    rows.append([f"one submission: correct {per['alice']:.1f}s, failing bob {per['bob']:.1f}s / carol "
                 f"{per['carol']:.1f}s, mallory {per['mallory']:.1f}s", "", "", f"{gap:+.1f}s", "≤ +1 s",
                 "yes" if gap <= 1 else "no"])  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small size, for CI; writes nothing")
    args = parser.parse_args()
    docker = Docker()
    kit.build(docker, [BUSYBOX, "dockersim/centos:8"], lambda line: None, only_missing=True)
    rows: list[list[str]] = []
    if not args.quick:  # the same code as the short row below, at six times its length
        rows += scenario_overhead(5)
    rows += scenario_overhead(1 if args.quick else 7, ["2.2.2-listing-containers.yaml"], 1.05)
    rows += state_reads([10] if args.quick else [10, 100, 300])
    rows += latency(20 if args.quick else 200)
    if not args.quick:  # a chapter typed in practice: a minute or two, with the kit's ubuntu and centos
        rows += verdict_rows(ROOT / "scenarios" / "2.2.1-creating-containers.yaml")
    rows += startup(3 if args.quick else 15)
    if not args.quick:
        rows += grading([1, 2])
        rows += grading_batch(30)
    table = tabulate(
        rows,
        headers=["measure", "dockersim", "baseline", "ratio / difference", "target", "met"],
        tablefmt="github",
        disable_numparse=True,
    )
    print(table)
    if args.quick:
        return
    versions = docker.call(["version", "--format", "client {{.Client.Version}}, engine {{.Server.Version}}"])
    header = (
        f"# Benchmark results\n\n`python3 bench/run.py` on {datetime.date.today()}: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, docker {versions.stdout.strip()}.\n"
        "Baselines ran side by side in the same run (see bench/run.py for what each one is); what the\n"
        "profiles showed and what changed because of them is in bench/HISTORY.md.\n\n"
    )
    results = ROOT / "bench" / "RESULTS.md"
    kept = results.read_text().partition("\n## ")  # sections written by hand or by other benches stay
    results.write_text(header + table + "\n" + (f"\n## {kept[2]}" if kept[1] else ""))


if __name__ == "__main__":
    main()
