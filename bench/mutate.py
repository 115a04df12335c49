"""Mutation check of the scenarios: does each one-shot step check what its own command does?

For each one-shot docker step (no tty), its command is replaced by a harmless one (`docker version`) and
every expectation is kept; the scenario runs up to that step, offline, on this machine's engine. A step
that still passes checks nothing its command does: it is a survivor. The goal is none.

python3 bench/mutate.py                       # every scenario; writes the figures into bench/RESULTS.md
python3 bench/mutate.py scenarios/2.2.3-*.yaml  # some files; prints, writes nothing
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dockersim.batch import Plan, run_scenarios  # noqa: E402
from dockersim.results import Outcome, StepResult  # noqa: E402
from dockersim.runner import RunOptions  # noqa: E402
from dockersim.scenario import Scenario, Step, load_scenario  # noqa: E402

HARMLESS = ["docker", "version"]


class _Quiet:
    def scenario_started(self, title: str, path: str) -> None:
        pass

    def step(self, result: StepResult) -> None:
        pass

    def progress(self, line: str) -> None:
        pass


def mutable(step: Step, destructive: bool) -> bool:
    """A one-shot docker step whose command can be swapped (one the run would carry out)."""
    one_shot = step.run is not None and step.run[0] == "docker" and step.tty is None and step.run != HARMLESS
    return one_shot and (destructive or not step.destructive)


def mutants(scenario: Scenario, destructive: bool) -> list[Scenario]:
    """One scenario a mutable step: the steps up to it, its command harmless, its expectations kept."""
    out = []
    for i, step in enumerate(scenario.steps):
        if mutable(step, destructive):
            steps = [*scenario.steps[:i], dataclasses.replace(step, run=list(HARMLESS))]
            out.append(dataclasses.replace(scenario, steps=steps))
    return out


def survivors(files: list[Path], sandbox: bool = False) -> tuple[int, list[str]]:
    """How many steps were mutated, and those that still passed ('file step N: name')."""
    batch = [m for f in files for m in mutants(load_scenario(f), destructive=sandbox)]
    plan = Plan(RunOptions(lang="en"), sandbox=sandbox, offline=True)
    report = run_scenarios(batch, plan, _Quiet())
    found = []
    for result in report.scenarios:
        last = result.steps[-1]
        if last.outcome == Outcome.PASSED:
            found.append(f"{Path(result.path).name} step {last.index}: {last.name}")
    return len(batch), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--sandbox", action="store_true", help="on the sandbox engine, destructive steps too")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "scenarios").glob("*.yaml"))
    count, found = survivors(files, args.sandbox)
    lines = [f"{count} one-shot steps mutated, {len(found)} survived", *(f"  survivor: {s}" for s in found)]
    print("\n".join(lines))
    if not args.files:
        results = ROOT / "bench" / "RESULTS.md"
        text = results.read_text()
        section = "## Mutation check (`python3 bench/mutate.py`)\n\n" + "\n".join(lines) + "\n"
        text = re.sub(r"## Mutation check.*?(?=\n## |\Z)", section.rstrip("\n"), text, flags=re.S)
        if "## Mutation check" not in text:
            text = text.rstrip("\n") + "\n\n" + section
        results.write_text(text)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
