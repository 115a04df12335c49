"""Every sentence a learner, a student or an instructor reads, in each language: a Phrase keeps its
catalogue key and values, so that each report says it in its reader's language. The sentences themselves
are in the catalogue's parts beside this module, one a part of dockersim."""

from __future__ import annotations

import locale
import os
from collections.abc import Callable

from dockersim.i18n import checks, doctor, engine, grading, practice, record, refusals, report, run

CATALOGUE: dict[str, dict[str, str]] = {}
for _part in (run, checks, engine, doctor, practice, grading, report, refusals, record):
    _twice = CATALOGUE.keys() & _part.CATALOGUE.keys()
    assert not _twice, f"said in two parts: {sorted(_twice)}"
    CATALOGUE.update(_part.CATALOGUE)


def default_lang() -> str:
    """Korean when the locale says so, English otherwise."""
    for var in ("DOCKERSIM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    code = locale.getlocale()[0] or ""
    return "ko" if code.lower().startswith("ko") else "en"


def say(key: str, lang: str, /, **values: object) -> str:
    entry = CATALOGUE[key]
    return (entry.get(lang) or entry["en"]).format(**values)


class Phrase(str):
    """An English phrase that keeps its catalogue key and values, so that a report in another language can
    say it in that language (`localise`); everywhere else it is the plain English string."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, /, **values: object) -> Phrase:
        phrase = super().__new__(cls, say(key, "en", **values))
        phrase.key, phrase.values = key, values
        return phrase

    def __reduce__(self) -> tuple[object, ...]:  # copies (dataclasses.asdict) and pickles stay phrases
        return (_phrase, (self.key, self.values))


def _phrase(key: str, values: dict[str, object]) -> Phrase:
    return Phrase(key, **values)


def localise(text: str, lang: str) -> str:
    """The text in lang: a Phrase (and the phrases inside it) said in lang; any other string as it is."""
    if not isinstance(text, Phrase) or lang == "en":
        return str(text)
    values = {k: localise(v, lang) if isinstance(v, str) else v for k, v in text.values.items()}
    return say(text.key, lang, **values)


def said(error: BaseException) -> str:
    """What an error says, kept a Phrase when it is one (str() would make it English for good)."""
    return error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)


def either(items: list[str]) -> str:
    """`a or b or c`, said in the report's language."""
    out: str = items[0]
    for item in items[1:]:
        out = Phrase("p_or", a=out, b=item)
    return out


def mapped(text: str, change: Callable[[str], str]) -> str:
    """The text with change applied to its words: inside a Phrase, to each value, so that it stays one."""
    if isinstance(text, Phrase):
        return Phrase(text.key, **{k: mapped(v, change) if isinstance(v, str) else v for k, v in text.values.items()})
    return change(text)
