"""Text as a file gives it, in both languages: a plain string (the same in each) or `{en: …, ko: …}`."""

from __future__ import annotations

from typing import Any

from dockersim.errors import ScenarioError

LANGS = ("en", "ko")


Text = dict[str, str]  # language -> words; a plain string in the file is the same in every language


def pick(text: Text, lang: str) -> str:
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


def text_of(value: Any, path: str, line: int, what: str) -> Text:
    if isinstance(value, str):
        if not value.strip():
            raise ScenarioError(f"{what} is empty: write what it says, or leave the key out", path, line)
        return {lang: value for lang in LANGS}
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        for k in value:
            if k not in LANGS:
                raise ScenarioError(f"{what}: unknown language '{k}' (known: {', '.join(LANGS)})", path, line)
            if not value[k].strip():
                raise ScenarioError(f"{what}: {k} is empty: write what it says, or leave it out", path, line)
        return {str(k): v for k, v in value.items()}
    raise ScenarioError(f"{what} should be text, or a mapping such as {{en: …, ko: …}}", path, line)
