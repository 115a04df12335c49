"""The submission fuzzer at bench size: the property of tests/unit/grading/test_policy.py (every hostile spelling of
mount, engine and namespace options is refused or stays inside the workspace and engine) over 10,000
generated lines, with how many were refused and how many ran re-rooted.

python3 bench/fuzz_policy.py [EXAMPLES]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dockersim.grading.submission import read_commands  # noqa: E402
from tests.unit.grading.test_policy import assert_contained, hostile_lines  # noqa: E402


def main(examples: int) -> None:
    counts: Counter[str] = Counter()
    workspace = Path(tempfile.mkdtemp(prefix="dockersim-fuzz-"))

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(hostile_lines())
    def prop(text: str) -> None:
        for line in read_commands(text, workspace):
            assert_contained(line, workspace)
            counts["ran, re-rooted" if line.runs else "refused"] += 1

    start = time.monotonic()
    prop()
    seconds = time.monotonic() - start
    lines = sum(counts.values())
    print(f"{lines} generated lines in {seconds:.1f}s: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    print("property held for every one (no line reached another engine, a host path or a refused flag)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
