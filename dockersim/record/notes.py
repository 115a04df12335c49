"""What an instructor writes beside the commands: `# task: …` (or `dsim task "…"`) gives the next step its
task and name, `# hint: …` its hint, `# title: …` the scenario's title; `# task ko: …` says which language
the words are in (by default the one `--lang` gives), and a note given in both languages keeps both."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from dockersim.yamlfile.texts import LANGS, Text

KINDS = ("task", "hint", "title")
_COMMENT = re.compile(rf"^#\s*(?P<kind>{'|'.join(KINDS)})(?:\s+(?P<lang>{'|'.join(LANGS)}))?\s*:\s*(?P<text>.*\S)\s*$")

# `dsim`, defined in the recording shell: a note said as a command (it does nothing; its history line is read).
DSIM_RC = "dsim() { return 0; }\nunset -f hint solve skip\n"


@dataclass(frozen=True)
class Note:
    kind: str  # task | hint | title
    lang: str  # the language its words are in
    text: str


def note_of(line: str, lang: str) -> Note | None:
    """The note a shell line is, or None. lang: the language of words that do not say theirs."""
    line = line.strip()
    m = _COMMENT.match(line)
    if m:
        return Note(m["kind"], m["lang"] or lang, m["text"])
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    if len(words) < 3 or words[0] != "dsim" or words[1] not in KINDS:
        return None
    given = words[2] if words[2] in LANGS and len(words) > 3 else None
    text = " ".join(words[3:] if given else words[2:])
    return Note(words[1], given or lang, text)


def is_comment(line: str) -> bool:
    """A shell comment (nothing runs), or `dsim` said with nothing it knows."""
    stripped = line.strip()
    return stripped.startswith("#") or stripped.split()[:1] == ["dsim"]


@dataclass
class Notes:
    """Notes waiting for the next step, a kind each; a note in another language joins the one there."""

    pending: dict[str, Text]

    def add(self, note: Note) -> None:
        self.pending.setdefault(note.kind, {})[note.lang] = note.text

    def take(self, kind: str) -> Text | None:
        return self.pending.pop(kind, None)
