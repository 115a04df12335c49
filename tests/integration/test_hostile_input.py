"""`dockersim grade` on submissions whose files are not what they seem: a commands.sh or a session.yaml that
is a link to the grading machine's /etc/shadow, a FIFO, an alias bomb, a line that prints without end. Each
is refused or bounded in one sentence, and nothing of /etc/shadow reaches any file grading writes nor what
it prints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from tests.conftest import dockersim

pytestmark = pytest.mark.grading  # scripts/test's grading lane

SPEC = """\
schema_version: 1
title: hostile input
images: {busybox: busybox}
submission: commands.sh
session: session.yaml
time_limit: 40
settle: 1
checks:
  - name: a volume named data
    points: 1
    check: {volume: data}
  - name: the note says hello
    points: 1
    probe: {host_file: /out/note, contains: hello}
"""
BOMB = "\n".join(
    ["schema_version: 1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    + ["steps: [{run: docker ps}]"]
)


def shadow_lines() -> list[str]:
    """/etc/shadow's lines, as the grading machine (root) reads them: none may be shown to a student."""
    return [line for line in Path("/etc/shadow").read_text().splitlines() if line.strip()]


def test_links_fifos_and_bombs_in_a_submission_reveal_nothing(engine: Docker, tmp_path: Path) -> None:
    secrets = shadow_lines()
    assert secrets, "/etc/shadow is empty: the test would prove nothing"
    (tmp_path / "spec.yaml").write_text(SPEC)
    submissions = tmp_path / "submissions"
    students: dict[str, dict[str, str | None]] = {  # None: a FIFO
        "linked_commands": {"commands.sh": "/etc/shadow"},
        "linked_session": {"commands.sh": "docker volume create data\n", "session.yaml": "/etc/shadow"},
        "fifo": {"commands.sh": None},
        "bomb": {"commands.sh": "docker volume create data\n", "session.yaml": BOMB},
        # A link the submission's own container makes, to be read by the host_file check; and a line that
        # prints far more than is kept of it.
        "link_made": {"commands.sh": "docker volume create data\n"
                                     "docker run --rm -v /out:/out busybox ln -s /etc/shadow /out/note\n"
                                     f"docker run --rm busybox sh -c 'yes {'0123456789' * 10} | head -c 5000000; echo; "
                                     "echo the-end'\n"},
    }  # fmt: skip
    for student, files in students.items():
        folder = submissions / student
        folder.mkdir(parents=True)
        for name, content in files.items():
            if content is None:
                os.mkfifo(folder / name)
            elif content.startswith("/etc/"):
                (folder / name).symlink_to(content)
            else:
                (folder / name).write_text(content)
    out = tmp_path / "grades"
    done = dockersim("grade", "--out", str(out), str(tmp_path / "spec.yaml"),
                     *sorted(str(p) for p in submissions.iterdir()), timeout=900)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]

    written = {p: p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()}
    assert any(p.name == "results.json" for p in written) and any(p.suffix == ".md" for p in written)
    for where, text in [*written.items(), ("stdout", done.stdout), ("stderr", done.stderr)]:
        for secret in secrets:
            assert secret not in text, f"a line of /etc/shadow in {where}"

    results = {s["student"]: s for s in json.loads((out / "results.json").read_text())["students"]}
    link = "is a symbolic link; a submission's files must be regular files in its folder"
    assert f"commands.sh {link}" in results["linked_commands"]["notes"]
    assert f"commands.sh {link}" in (out / "feedback" / "linked_commands.md").read_text()
    assert not results["linked_commands"]["lines"]
    assert f"session.yaml {link}" in results["linked_session"]["notes"]
    assert results["linked_session"]["score"] == 1  # its commands.sh ran as ever
    assert any(n.startswith("commands.sh is a FIFO") for n in results["fifo"]["notes"])
    [bomb] = [n for n in results["bomb"]["notes"] if "session.yaml" in n]
    assert "anchors and aliases are not allowed" in bomb and results["bomb"]["score"] == 1
    made = results["link_made"]
    [note] = [c for c in made["checks"] if c["name"] == "the note says hello"]
    assert note["outcome"] == "failed" and note["earned"] == 0
    [printed] = [line for line in made["lines"] if "yes" in line["text"]]
    assert printed["status"] == 0 and printed["output"][-1] == "the-end", printed
