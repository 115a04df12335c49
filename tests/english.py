"""A check that a Korean report says nothing in English: docker's own output, commands, file names and
quoted patterns aside."""

from __future__ import annotations

import re

# Three English words in a row outside a screen line, a command or a quoted pattern: a sentence.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")


def english_sentences(output: str) -> list[str]:
    """Lines of a report that say something in English; the screen (docker's own output), commands shown
    as they ran, file names and quoted patterns aside."""
    found = []
    for line in output.splitlines():
        text = line.strip()
        if text.startswith(("│", ">")) or re.match(r"(\[\d+/\d+\] )?docker ", text):
            continue
        # patterns, commands in backticks, files, paths and references
        text = re.sub(r"'[^']*'|`[^`]*`|\S+\.(yaml|sh|json)\b|\S*/\S*", "", text)
        if ENGLISH.search(text):
            found.append(line)
    return found
