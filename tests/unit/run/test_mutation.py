"""The mutants of a scenario: one per docker step a run would carry out, and all of them in one pass."""

from __future__ import annotations

from pathlib import Path

from dockersim.run.mutation import HARMLESS, interleaved, mutants
from dockersim.scenario.loader import load_scenario

SCENARIO = """\
schema_version: 1
images: {busybox: busybox}
steps:
  - run: docker volume create m_vol
  - shell: echo not docker
  - run: docker run -i -t --name m_tty {image.busybox}
    tty:
      - expect: '/ # '
      - send: exit
      - expect: eof
  - run: docker rm -f m_tty
    destructive: false
  - run: docker version
"""


def test_interleaved_puts_each_mutant_just_before_its_step(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(SCENARIO)
    scenario = load_scenario(path)
    one_each = mutants(scenario, destructive=False)
    together, at = interleaved(scenario, destructive=False)
    assert len(at) == len(one_each) == 3  # the volume, the session, the removal; not the shell line or version
    for position, single in zip(at, one_each, strict=True):
        mutant = together.steps[position]
        real = together.steps[position + 1]
        assert mutant.run == HARMLESS and mutant.named and mutant.tty == real.tty and mutant.index == real.index
        assert mutant == single.steps[-1]  # the same mutant as the one-a-run check makes
    assert [s for s in together.steps if s.run != HARMLESS or s.index == 5] == scenario.steps
