"""`requires:` — what a step or a check needs of the engine: a kind of engine, or a feature only some
engines have. Elsewhere it is skipped, and says why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dockersim.errors import ScenarioError
from dockersim.yamlfile.source import LMap
from dockersim.yamlfile.texts import Text, text_of
from dockersim.yamlfile.validation import known_keys

# What an engine may lack, and the engines that have it: a step that `requires:` it is skipped elsewhere.
FEATURES = {"links": ("docker",)}


ENGINES = ("docker", "podman")


@dataclass(frozen=True)
class Requires:
    """`requires: {engine: docker, features: [links]}`."""

    engine: str | None = None
    features: tuple[str, ...] = ()
    why: Text | None = None  # what the other engine does instead, said with the skip

    def unmet(self, engine: str) -> tuple[str, str] | None:
        """(what is missing, the engine) when this engine cannot do the step, else None."""
        if self.engine is not None and self.engine != engine:
            return self.engine, engine
        for feature in self.features:
            if engine not in FEATURES[feature]:
                return feature, engine
        return None


def requirement(value: Any, path: str, line: int) -> Requires:
    if not isinstance(value, LMap):
        raise ScenarioError("requires should be a mapping such as {engine: docker} or {features: [links]}", path, line)
    known_keys(value, ("engine", "features", "why"), path, "requires")
    engine = value.get("engine")
    if engine is not None and engine not in ENGINES:
        raise ScenarioError(f"requires: engine should be {' or '.join(ENGINES)}, not {engine!r}", path, line)
    features = value.get("features", [])
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise ScenarioError("requires: features should be a list such as [links]", path, line)
    for feature in features:
        if feature not in FEATURES:
            raise ScenarioError(f"requires: unknown feature {feature!r} (known: {', '.join(FEATURES)})", path, line)
    why = text_of(value["why"], path, line, "requires: why") if "why" in value else None
    return Requires(engine, tuple(features), why)
