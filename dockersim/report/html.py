"""report.html: one self-contained page that opens from file:// — no server, no network. `grade` writes an
instructor's page (a students × checks table with pass rates and the score distribution, then each student's
checks, refused lines and session recordings); `run --html FILE` writes the same for scenario runs. The
recordings are embedded and played inline by the vendored asciinema-player, with a marker at each action.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from dockersim.i18n.phrase import localise, say
from dockersim.report.files import cast_text, recording_name, slug
from dockersim.run.results import RunReport

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em 1.5em;color:#1d2125}
h1{font-size:1.6em;margin:.2em 0} h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #d0d7de}
h3{font-size:1.05em;margin:1em 0 .3em} .muted{color:#57606a} code{background:#f3f4f6;padding:0 .25em}
table.grid{border-collapse:collapse;font-size:13px} .grid th,.grid td{border:1px solid #d0d7de;padding:.25em .5em}
.grid thead th{writing-mode:vertical-rl;transform:rotate(180deg);max-height:14em;text-align:left;font-weight:500}
.grid thead th.plain{writing-mode:horizontal-tb;transform:none}
td.passed{background:#d8f5dd} td.failed{background:#ffd9d6} td.error{background:#ffe9b3} td.none{background:#eee}
td.num,th.num{text-align:right} tfoot td{font-weight:600}
.bars{display:grid;grid-template-columns:6em 1fr 3em;gap:.2em .6em;align-items:center;max-width:40em}
.bar{background:#54aeff;height:1em;border-radius:2px}
ul.checks{list-style:none;padding-left:0} ul.checks li{margin:.2em 0}
.mark{display:inline-block;width:1.3em;font-weight:700} .mark.passed{color:#1a7f37} .mark.failed{color:#cf222e}
.mark.error{color:#9a6700} .mark.skipped{color:#57606a} .detail{margin-left:1.6em;color:#57606a}
details.rec{margin:.4em 0} details.rec summary{cursor:pointer} .player{max-width:900px;margin:.4em 0}
pre.screen{background:#0d1117;color:#e6edf3;padding:.6em;overflow:auto;max-width:900px}
"""

_JS = """
const casts = JSON.parse(document.getElementById('dockersim-casts').textContent);
const players = {};
function dockersimPlayer(details) {
  const id = details.dataset.cast;
  if (!players[id]) {
    players[id] = AsciinemaPlayer.create({data: casts[id]}, details.querySelector('.player'),
                                         {fit: 'width', idleTimeLimit: 2, terminalFontSize: '13px'});
  }
  return players[id];
}
document.querySelectorAll('details.rec').forEach(d => d.addEventListener('toggle', () => {
  if (d.open) dockersimPlayer(d);
}));
"""

MARK = {"passed": "✓", "failed": "✗", "error": "!", "skipped": "–"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _vendored(name: str) -> str:
    return (resources.files("dockersim.report") / "vendor" / "asciinema-player" / name).read_text(encoding="utf-8")


class Page:
    """The page as it is put together: its body's parts and the recordings it embeds."""

    def __init__(self, title: str, lang: str) -> None:
        self.title, self.lang = title, lang
        self.parts: list[str] = []
        self.casts: dict[str, str] = {}

    def add(self, *parts: str) -> None:
        self.parts.extend(parts)

    def recording(self, label: str, cast: str) -> str:
        """A collapsed recording: the player is made when it is opened (a page may hold hundreds)."""
        key = f"c{len(self.casts)}"
        self.casts[key] = cast
        return (f'<details class="rec" data-cast="{key}"><summary>{_e(label)}</summary>'
                f'<div class="player"></div></details>')  # fmt: skip

    def text(self) -> str:
        # The recordings as JSON in a script element: "</" is escaped so that no recording can end it.
        casts = json.dumps(self.casts, ensure_ascii=False).replace("</", "<\\/")
        return "\n".join([
            f'<!doctype html><html lang="{_e(self.lang)}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(self.title)}</title><style>{_vendored('asciinema-player.css')}{_CSS}</style></head><body>",
            *self.parts,
            f'<script type="application/json" id="dockersim-casts">{casts}</script>',
            f"<script>{_vendored('asciinema-player.min.js')}</script><script>{_JS}</script></body></html>",
        ])  # fmt: skip


def _distribution(scores: Iterable[int], most: int, lang: str) -> str:
    counted = Counter(scores)
    if not counted:
        return ""
    widest = max(counted.values())
    rows = [f'<span class="num">{score}/{most}</span><div class="bar" style="width:{100 * n / widest:.0f}%"></div>'
            f'<span class="num">{n}</span>' for score, n in sorted(counted.items())]  # fmt: skip
    return f'<h2>{_e(say("h_distribution", lang))}</h2><div class="bars">{"".join(rows)}</div>'


# -- grade ---------------------------------------------------------------------------------------


def write_grade_report(out: Path, lang: str = "en") -> Path:
    """out/report.html from what a grade run (or a merge) wrote there: results.json and recordings/."""
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    path = out / "report.html"
    path.write_text(grade_page(data, out / "recordings", lang), encoding="utf-8")
    return path


def grade_page(data: dict[str, Any], recordings: Path, lang: str = "en") -> str:
    columns = [(c["index"], c["name"]) for c in data["checks"]]
    students = data["students"]
    page = Page(data["title"], lang)
    scores = [s["score"] for s in students if s.get("graded", True)]  # the not graded have no score to count
    mean = sum(scores) / len(scores) if scores else 0
    summary = say("h_grade_summary", lang, n=len(students), mean=f"{mean:.1f}", max=data["max"])
    page.add(f"<h1>{_e(data['title'])}</h1>", f'<p class="muted">{_e(summary)}</p>',
             _distribution(scores, data["max"], lang))  # fmt: skip
    hidden = {c["index"] for s in students for c in s["checks"] if c.get("hidden")}
    head = "".join(f'<th title="{_e(name)}">{i}. {_e(name)}{" †" if i in hidden else ""}</th>' for i, name in columns)
    rows = []
    passed = Counter[int]()
    for s in students:
        by_index = {c["index"]: c for c in s["checks"]}
        cells = []
        for i, _name in columns:
            c = by_index.get(i)
            if c is None:
                cells.append('<td class="none">–</td>')
                continue
            passed[i] += c["outcome"] == "passed"
            why = "; ".join(localise(d, lang) for d in c["details"])
            cells.append(f'<td class="{_e(c["outcome"])} num" title="{_e(why)}">{c["earned"]}/{c["points"]}</td>')
        anchor = f"s-{slug(s['student'])}"
        total = f"{s['score']}/{s['max']}" if s.get("graded", True) else _e(say("f_not_graded", lang))
        rows.append(f'<tr><th class="plain"><a href="#{anchor}">{_e(s["student"])}</a></th>'
                    f'<td class="num">{total}</td>{"".join(cells)}</tr>')  # fmt: skip
    rates = "".join(f'<td class="num">{100 * passed[i] / len(students):.0f}%</td>' if students else "<td></td>"
                    for i, _ in columns)  # fmt: skip
    student, score, rate = (_e(say(key, lang)) for key in ("h_student", "h_score", "h_pass_rate"))
    page.add(f"<h2>{_e(say('h_table', lang))}</h2>",
             f'<table class="grid" id="gradebook"><thead><tr><th class="plain">{student}</th>'
             f'<th class="plain">{score}</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
             f'<tfoot><tr><th class="plain">{rate}</th><td></td>{rates}</tr></tfoot></table>')  # fmt: skip
    if hidden:
        page.add(f'<p class="muted">† {_e(say("h_hidden", lang))}</p>')
    if data.get("engines"):
        page.add(f"<h2>{_e(say('h_engines', lang))}</h2><ul>",
                 *(_engine(e, lang) for e in data["engines"]), "</ul>")  # fmt: skip
    for s in students:
        _student(page, s, recordings / s["student"], lang)
    return page.text()


def _engine(e: dict[str, Any], lang: str) -> str:
    """An engine of the pool: how many it graded, its canary's score, and why it was set aside."""
    did = say("h_engine_did", lang, n=len(e.get("graded", [])), canary=e.get("canary") or "–")
    line = f"<li><b>{_e(e['name'])}</b> {_e(e.get('endpoint', ''))}: {_e(did)}"
    if e.get("set_aside"):
        line += f" · <b>{_e(say('h_set_aside', lang))}</b> {_e(localise(e['set_aside'], lang))}"
    for what in e.get("disturbed", []):
        line += f" · <b>{_e(say('h_disturbed', lang))}</b> {_e(what)}"
    return line + "</li>"


def _student(page: Page, s: dict[str, Any], recordings: Path, lang: str) -> None:
    engine = f" · {_e(s['engine'])}" if s.get("engine") else ""
    total = f"{s['score']}/{s['max']}" if s.get("graded", True) else _e(say("f_not_graded", lang))
    page.add(f'<section id="s-{slug(s["student"])}"><h2>{_e(s["student"])} — {total}</h2>',
             f'<p class="muted">{s["seconds"]:.0f}s{engine}</p><ul class="checks">')  # fmt: skip
    for c in s["checks"]:
        hidden = f" <span class=muted>({_e(say('h_hidden', lang))})</span>" if c.get("hidden") else ""
        page.add(f'<li><span class="mark {_e(c["outcome"])}">{MARK.get(c["outcome"], "?")}</span>{_e(c["name"])} '
                 f'({c["earned"]}/{c["points"]}){hidden}')  # fmt: skip
        page.add(*(f'<div class="detail">{_e(localise(d, lang))}</div>' for d in c["details"]))
        if c.get("hint"):
            page.add(f'<div class="detail">{_e(say("hint", lang, hint=c["hint"]))}</div>')
        page.add("</li>")
    page.add("</ul>")
    refused = [line for line in s["lines"] if line["refused"]]
    if refused:
        page.add(f"<h3>{_e(say('f_refused', lang))}</h3><ul>")
        page.add(*(f"<li>{_e(say('f_line', lang, n=line['number']))}: <code>{_e(line['text'])}</code> — "
                   f"{_e(localise(line['refused'], lang))}</li>" for line in refused))  # fmt: skip
        page.add("</ul>")
    if s.get("session"):
        page.add(f"<h3>{_e(say('f_session', lang))}</h3>")
        for step in s["session"]:
            label = f"{MARK.get(step['outcome'], '?')} {step['name']}" + (
                f": {step['reason']}" if step["reason"] else ""
            )
            cast = recordings / recording_name(step["index"], step["name"])
            page.add(page.recording(label, cast.read_text(encoding="utf-8")) if cast.is_file()
                     else f"<p>{_e(label)}</p>")  # fmt: skip
    if s.get("notes"):
        page.add(f"<h3>{_e(say('f_notes', lang))}</h3><ul>")
        page.add(*(f"<li>{_e(localise(n, lang))}</li>" for n in s["notes"]), "</ul>")
    page.add("</section>")


# -- run -----------------------------------------------------------------------------------------


def write_run_report(path: Path, report: RunReport, lang: str = "en") -> None:
    """`run --html FILE`: each scenario's steps, a failing one with its reason and screen, tty steps played."""
    counts = report.counts()
    page = Page(say("h_run_title", lang), lang)
    counted = ", ".join(f"{say(k, lang)} {n}" for k, n in counts.items() if n)
    page.add(f"<h1>{_e(say('h_run_title', lang))}</h1>", f'<p class="muted">{_e(counted)}</p>')
    for scenario in report.scenarios:
        page.add(f"<section><h2>{_e(scenario.title)}</h2><p class=muted>{_e(scenario.path)}</p><ul class=checks>")
        for step in scenario.steps:
            outcome = step.outcome.value
            page.add(f'<li><span class="mark {outcome}">{MARK[outcome]}</span>{step.index}. {_e(step.name)}')
            if step.reason:
                page.add(f'<div class="detail">{_e(step.reason)}</div>')
            page.add(*(f'<div class="detail">{_e(d)}</div>' for d in step.details))
            if step.frames:
                cast = cast_text(step.frames, step.marks, f"{scenario.title}: {step.name}")
                page.add(page.recording(say("h_recording", lang), cast))
            elif step.screen and not step.ok:
                page.add(f'<pre class="screen">{_e(chr(10).join(step.screen))}</pre>')
            page.add("</li>")
        page.add("</ul></section>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page.text(), encoding="utf-8")
