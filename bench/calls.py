"""Where a short run's fixed cost goes: every docker call `dockersim run` makes, in order, with when it began
(from the moment the command was started) and how long it took, and what came before the first call.

python3 bench/calls.py                       # scenarios/2.2.2-listing-containers.yaml, with the kit's images
python3 bench/calls.py scenarios/2.2.1-creating-containers.yaml

The client is wrapped by a shell script that notes each call's start and end (nanoseconds) and runs the real
client, so each call costs a little more than it does alone (two `date`s); the order and the gaps are what
this is for. Writes nothing but its table.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dockersim.engine.client import Docker  # noqa: E402
from dockersim.kit import stand_ins as kit  # noqa: E402
from dockersim.scenario.loader import load_scenario  # noqa: E402

WRAPPER = """#!/bin/sh
start=$(date +%s%N)
{real} "$@"
status=$?
printf '%s %s %s\\n' "$start" "$(date +%s%N)" "$*" >> {log}
exit $status
"""


def calls(scenario: Path) -> list[list[str]]:
    real = shutil.which("docker") or "docker"
    docker = Docker(real)
    refs = set(load_scenario(scenario).images.values())
    with tempfile.TemporaryDirectory(prefix="dockersim-calls-") as folder, kit.offline(docker, refs, print) as images:
        log = Path(folder) / "calls.log"
        wrapper = Path(folder) / "docker"
        wrapper.write_text(WRAPPER.format(real=shlex.quote(real), log=shlex.quote(str(log))))
        wrapper.chmod(0o755)
        argv = [sys.executable, "-m", "dockersim", "run", "--docker", str(wrapper), str(scenario)]
        argv += [a for ref, local in images.items() for a in ("--image-map", f"{ref}={local}")]
        began = time.time_ns()
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        ended = time.time_ns()
        if done.returncode != 0:
            raise SystemExit(f"bench: dockersim run failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        lines = [line.split(" ", 2) for line in log.read_text().splitlines()]
    rows = []
    for start, end, words in sorted(lines, key=lambda w: int(w[0])):
        rows.append([f"{(int(start) - began) / 1e6:8.1f}", f"{(int(end) - int(start)) / 1e6:7.1f}", words[:100]])
    rows.append([f"{(ended - began) / 1e6:8.1f}", "", "(dockersim ended)"])
    return rows


def main() -> None:
    scenario = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "scenarios" / "2.2.2-listing-containers.yaml"
    rows = calls(scenario.resolve())
    print(tabulate(rows, headers=["began (ms)", "took (ms)", "docker …"], tablefmt="github"))


if __name__ == "__main__":
    main()
