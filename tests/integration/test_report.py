"""report.html in headless Chromium, from file:// as an instructor opens it: no console errors, the
gradebook's cells as graded, nothing fetched from anywhere, and a recording that plays through its markers.
The same for `run --html`."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from tests.browser import Browser
from tests.conftest import IMAGE_MAP, dockersim
from tests.integration.test_grading import HW

# Opens the first recording on the page, plays it to its end, and counts the markers it passed.
PLAY = """new Promise((resolve, reject) => {
  const details = document.querySelector('details.rec');
  details.open = true;
  const player = dockersimPlayer(details);
  let markers = 0, played = false;
  player.addEventListener('play', () => { played = true; });
  player.addEventListener('marker', () => { markers += 1; });
  player.addEventListener('ended', () => resolve({played, markers,
    shown: document.querySelectorAll('.ap-marker').length}));
  player.play();
  setTimeout(() => reject(new Error('the recording did not play to its end within 30 s')), 30000);
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    b = Browser()
    yield b
    b.close()


def no_fetches(page: str) -> None:
    """Self-contained: no script, style sheet, image or frame from anywhere but the page itself."""
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:|//)""", page, re.IGNORECASE)


@pytest.mark.grading
def test_the_grade_report(engine: Docker, browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "grades"
    folders = [str(HW / "submissions" / s) for s in ("alice", "mallory")]
    done = dockersim("grade", "--out", str(out), str(HW / "spec.yaml"), *folders, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    page = out / "report.html"
    no_fetches(page.read_text())
    browser.open(page)
    with (out / "gradebook.csv").open() as f:
        book = list(csv.reader(f))
    checks = len(book[0]) - 3
    cells = browser.evaluate("""[...document.querySelectorAll('#gradebook tbody tr')].map(row =>
        [...row.children].map(cell => [cell.textContent.trim(), cell.className]))""")
    assert [row[0][0] for row in cells] == ["alice", "mallory"]
    for row, (student, score, most, *points) in zip(cells, book[1:], strict=True):
        assert row[1][0] == f"{score}/{most}", student
        assert [int(text.split("/")[0]) for text, _ in row[2:]] == [int(p) for p in points], student
        assert [cls.split()[0] == "passed" for _, cls in row[2:]] == [int(p) > 0 for p in points], student
    assert all("passed" in cls for _, cls in cells[0][2:])  # alice earns every point
    rates = browser.evaluate("[...document.querySelectorAll('#gradebook tfoot td')].map(c => c.textContent)")
    assert len(rates) == checks + 1 and rates[1] in ("50%", "100%")
    refused = browser.evaluate("document.querySelector('#s-mallory').textContent")
    assert "--privileged" in refused  # her refused lines, on her part of the page
    played = browser.evaluate(PLAY)  # alice's session, recorded
    assert played["played"] and played["markers"] >= 1 and played["shown"] >= 1, played
    assert browser.errors() == []


def test_run_html(engine: Docker, images: dict[str, str], browser: Browser, tmp_path: Path) -> None:
    f = tmp_path / "html.yaml"
    f.write_text("""\
schema_version: 1
title: a page of a run
images: {busybox: busybox}
steps:
  - name: a shell session
    run: docker run -i -t --rm --name html_tty {image.busybox}
    tty:
      - expect: '/ # '
      - send: echo recorded
      - expect: '^recorded'
      - send: exit
      - expect: eof
  - name: a container that is not there
    run: docker inspect no_such_container_html
""")
    page = tmp_path / "run" / "report.html"
    done = dockersim("run", "--html", str(page), *IMAGE_MAP, str(f))
    assert done.returncode == 1, done.stdout + done.stderr
    text = page.read_text()
    no_fetches(text)
    browser.open(page)
    steps = browser.evaluate("[...document.querySelectorAll('ul.checks > li')].map(li => li.textContent)")
    assert len(steps) == 2 and "a shell session" in steps[0] and "no_such_container_html" in steps[1]
    casts = json.loads(browser.evaluate("document.getElementById('dockersim-casts').textContent"))
    [cast] = casts.values()
    events = [json.loads(line) for line in cast.splitlines()[1:]]
    labels = [e[2] for e in events if e[1] == "m"]
    assert labels[:3] == ["saw / # ", "typed echo recorded", "saw ^recorded"], labels
    assert labels[-1] == "passed"
    played = browser.evaluate(PLAY)
    assert played["played"] and played["markers"] >= 1, played
    assert browser.errors() == []
