"""`dockersim gradebook merge` at course size: 500 per-submission result folders (as a CI matrix or an
Indexed Job leaves them) merged into one gradebook, against the floor of copying the same folders with
`cp -r` in the same run.

python3 bench/merge.py [STUDENTS]
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

from dockersim.grading.homework import load_spec  # noqa: E402
from dockersim.grading.result import CheckOutcome, Grade, LineResult  # noqa: E402
from dockersim.i18n.phrase import Phrase  # noqa: E402
from dockersim.report.grades import merge, write_all  # noqa: E402
from dockersim.run.results import Outcome, StepResult  # noqa: E402


def synthetic(student: int, spec_points: list[tuple[int, str, int]]) -> Grade:
    """A submission's grade with what real ones hold: checks, a refused line, a session step with frames."""
    won = {i: (student + i) % 3 != 0 for i, _, _ in spec_points}
    checks = [CheckOutcome(i, name, p, p if won[i] else 0, (Outcome.FAILED, Outcome.PASSED)[won[i]],
                           [] if won[i] else ["state: expected running, found exited"])
              for i, name, p in spec_points]  # fmt: skip
    refused = Phrase("r_option_why", option="--privileged", reason=Phrase("r_power"))
    lines = [LineResult(1, "docker run --privileged busybox", refused=refused), LineResult(2, "docker ps", 0)]
    frames = [(0.1 * k, f"root@abc:/# echo {k}\r\n{k}\r\n") for k in range(50)]
    session = [StepResult("session.yaml", 1, 1, "docker run -it", Outcome.PASSED, 1.0, frames=frames)]
    return Grade(f"student{student:04d}", sum(c.earned for c in checks), sum(p for *_, p in spec_points), checks,
                 lines, session, seconds=30.0)  # fmt: skip


def main(students: int) -> None:
    spec = load_spec(ROOT / "examples" / "hw-wordpress" / "spec.yaml")
    points = [(c.index, c.name, c.points) for c in spec.checks]
    work = Path(tempfile.mkdtemp(prefix="dockersim-bench-merge-"))
    try:
        parts = []
        for n in range(students):
            parts.append(work / "parts" / f"{n:04d}")
            write_all(spec, [synthetic(n, points)], parts[-1])
        (work / "copied").mkdir()
        start = time.monotonic()
        subprocess.run(["cp", "-r", *map(str, parts), str(work / "copied")], check=True)
        floor = time.monotonic() - start
        start = time.monotonic()
        merged = merge(parts, work / "merged")
        seconds = time.monotonic() - start
        print(f"{len(merged)} per-submission results merged in {seconds:.2f}s; "
              f"copying the same folders with cp -r took {floor:.2f}s ({seconds / floor:.1f}x)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
