"""Mutation check of the scenarios: does each docker step check what its own command does?

For each docker step (one-shot or tty), its command is replaced by a harmless one (`docker version`) and
every expectation is kept; the scenario runs up to that step, offline, on this machine's engine. A step
that still passes checks nothing its command does: it is a survivor. The goal is none.

python3 bench/mutate.py                       # every scenario; writes the figures into bench/RESULTS.md
python3 bench/mutate.py scenarios/2.2.3-*.yaml  # some files; prints, writes nothing
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dockersim.run.base import RunOptions  # noqa: E402
from dockersim.run.batch import Plan, run_scenarios  # noqa: E402
from dockersim.run.mutation import HARMLESS, interleaved, mutable, mutants  # noqa: E402,F401
from dockersim.run.results import Outcome, StepResult  # noqa: E402
from dockersim.scenario.loader import load_scenario, parse_scenario  # noqa: E402
from dockersim.scenario.model import Scenario  # noqa: E402
from dockersim.yamlfile.texts import pick  # noqa: E402


class _Quiet:
    def scenario_started(self, title: str, path: str) -> None:
        pass

    def step(self, result: StepResult) -> None:
        pass

    def progress(self, line: str) -> None:
        pass


def survivors(files: list[Path], sandbox: bool = False) -> tuple[int, list[str]]:
    """How many steps were mutated, and those that still passed ('file step N: name'), or whose own run
    failed after the mutants before it (then what the mutants after it found says nothing)."""
    batch = [interleaved(load_scenario(f), destructive=sandbox) for f in files]
    plan = Plan(RunOptions(lang="en"), sandbox=sandbox, offline=True)
    report = run_scenarios([scenario for scenario, _ in batch], plan, _Quiet())
    found = []
    for result, (scenario, at) in zip(report.scenarios, batch, strict=True):
        assert len(result.steps) == len(scenario.steps), (result.path, len(result.steps))
        for i, step in enumerate(result.steps):
            if i in at and step.outcome == Outcome.PASSED:
                found.append(f"{Path(result.path).name} step {step.index}: {step.name}")
            elif i not in at and step.outcome in (Outcome.FAILED, Outcome.ERROR):  # a mutant hid what is after it
                found.append(f"{Path(result.path).name} step {step.index} failed after its mutant: {step.reason}")
    return sum(len(at) for _, at in batch), found


@dataclass(frozen=True)
class Variant:
    """A deliberately wrong lead-up to a check: `setup` steps (YAML) that make the claim false, then the
    chapter's own step `target`, which must fail. Checks that no command's mutation reaches (what is on the
    host, after a session) are shown able to fail this way."""

    file: str
    target: str
    setup: str
    why: str


VARIANTS = [
    Variant(
        "2.2.1-creating-containers.yaml",
        "the file is not on the host",
        "- run: docker run --name own_fs -v /tmp:/tmp {image.ubuntu} sh -c 'touch /tmp/made-in-$(hostname)'",
        "the container's /tmp is the host's",
    ),
    Variant(
        "2.2.4-publishing-ports.yaml",
        "what was installed is in the container, not on the host",
        "- run: >-\n    docker run --name mywebserver -v /var/www/html:/var/www/html {image.ubuntu}\n"
        "    sh -c 'echo made-in-container > /var/www/html/dockersim-marker.txt'",
        "the container's web root is the host's",
    ),
    Variant(
        "2.2.6-volumes.yaml",
        "the host directory does not exist yet",
        "- shell: mkdir -p {workdir}/home/wordpress_db",
        "the directory was made beforehand",
    ),
]


def variant_scenario(variant: Variant, scenarios: Path = ROOT / "scenarios") -> Scenario:
    """The variant as a scenario: its setup steps, then the chapter's target step."""
    chapter = load_scenario(scenarios / variant.file)
    target = next(s for s in chapter.steps if pick(s.name, "en") == variant.target)
    images = "".join(f"  {k}: {v!r}\n" for k, v in chapter.images.items())
    text = f"schema_version: 1\ntitle: {variant.file} variant\nimages:\n{images}steps:\n" + "\n".join(
        "  " + line for line in variant.setup.splitlines()
    )
    setup = parse_scenario(text, f"{variant.file} (variant: {variant.why})")
    last = dataclasses.replace(target, index=len(setup.steps) + 1)
    return dataclasses.replace(setup, steps=[*setup.steps, last])


def passing_variants(variants: list[Variant]) -> list[str]:
    """The variants that did not show their check able to fail (none is the goal): a setup step that did
    not pass, or a target step that did not fail on what it checks."""
    batch = [variant_scenario(v) for v in variants]
    had_www = Path("/var/www").exists()
    try:
        report = run_scenarios(batch, Plan(RunOptions(lang="en"), offline=True), _Quiet())
    finally:  # what the wrong lead-ups wrote on the host, as root: later runs' host checks would see it
        for made in Path("/tmp").glob("made-in-*"):
            made.unlink(missing_ok=True)
        if had_www:
            Path("/var/www/html/dockersim-marker.txt").unlink(missing_ok=True)
        else:
            shutil.rmtree("/var/www", ignore_errors=True)
    found = []
    for v, result in zip(variants, report.scenarios, strict=True):
        *setup, target = result.steps
        if any(s.outcome != Outcome.PASSED for s in setup):
            found.append(f"{v.file}: the lead-up to {v.target!r} did not run ({setup[-1].reason})")
        elif target.outcome != Outcome.FAILED or not target.details:
            found.append(f"{v.file}: {v.target!r} {target.outcome.value} although {v.why}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--sandbox", action="store_true", help="on the sandbox engine, destructive steps too")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "scenarios").glob("*.yaml"))
    count, found = survivors(files, args.sandbox)
    lines = [f"{count} docker steps mutated, {len(found)} survived", *(f"  survivor: {s}" for s in found)]
    names = {f.name for f in files}
    variants = [v for v in VARIANTS if v.file in names]
    if variants:
        passed = passing_variants(variants)
        found += passed
        lines += [f"{len(variants)} wrong variants run, {len(passed)} passed", *(f"  passed: {p}" for p in passed)]
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
