"""What every check shares: a Mismatch (a field, what was expected, what was found, said in the reader's
language), and what a check needs of the run besides the snapshot (CheckContext)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from dockersim.engine.state import ContainerState
from dockersim.i18n.phrase import Phrase, localise, say


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected}, found {self.found}"

    def said(self, lang: str) -> str:
        """One `field: expected …, found …` line of a failed check, in lang."""
        return say("mismatch", lang, field=self.field, expected=localise(self.expected, lang),
                   found=localise(self.found, lang))  # fmt: skip


def word(present: bool) -> Phrase:
    return Phrase("w_present" if present else "w_absent")


def there(what: str, present: bool) -> Phrase:
    """`/tmp/x absent`: what a check expects of a thing's presence."""
    return Phrase("p_state_of", what=what, state=word(present))


class CheckContext(Protocol):
    """What a check needs from the run besides the snapshot."""

    def resolve(self, template: str) -> str: ...

    def image_ref(self, ref: str) -> str: ...

    def owned(self, container: ContainerState) -> bool: ...

    def host_path(self, path: str) -> str: ...

    def host_root(self) -> str | None: ...


class PlainContext:
    """Checks evaluated outside a run: nothing to resolve, every container counts, host paths as given."""

    def resolve(self, template: str) -> str:
        return template

    def image_ref(self, ref: str) -> str:
        return ref

    def owned(self, container: ContainerState) -> bool:
        return True

    def host_path(self, path: str) -> str:
        return path

    def host_root(self) -> str | None:
        return None
