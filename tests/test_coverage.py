"""scenarios/COVERAGE.md: every step it names exists in its scenario (the integration tests check that
each one passed on the engine)."""

from __future__ import annotations

from dockersim.scenario.loader import load_scenario
from tests.conftest import ROOT


def coverage_rows() -> list[tuple[str, str, str]]:
    """(claim, scenario file, step name) for every covered claim."""
    rows = []
    text = (ROOT / "scenarios" / "COVERAGE.md").read_text()
    covered = text.split("## Left out")[0]
    for line in covered.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2].endswith(".yaml"):
            rows.append((cells[1], cells[2], cells[3]))
    assert len(rows) >= 80, "COVERAGE.md: its table of covered claims was not found"  # for every caller's loop
    return rows


def test_coverage_names_existing_steps() -> None:
    rows = coverage_rows()
    for claim, file, step in rows:
        scenario = load_scenario(ROOT / "scenarios" / file)
        names = {s.name["en"] for s in scenario.steps}
        assert step in names, f"COVERAGE.md: {file} has no step {step!r} (for: {claim})"


def test_every_section_has_a_scenario() -> None:
    files = {f for _, f, _ in coverage_rows()}
    assert {f.split("-")[0] for f in files} == {"2.2.1", "2.2.2", "2.2.3", "2.2.4", "2.2.5", "2.2.6", "2.3.1"}
