"""What YAML may cost: an alias bomb refused in a fraction of a second with next to no memory, nesting and
sizes bounded, PyYAML's own errors said with file:line, and a submission's session.yaml taking no anchors."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from dockersim.errors import ScenarioError
from dockersim.grading.homework import load_spec
from dockersim.grading.submission import plain_yaml
from dockersim.scenario.loader import load_scenario
from dockersim.yamlfile import source as yamlsource
from dockersim.yamlfile.source import MAX_DEPTH, MAX_LINE, MAX_SOURCE, MAX_VALUES, load_yaml, read_source
from tests.conftest import ROOT


def bomb(levels: int = 9, width: int = 9) -> str:
    """The billion laughs: each level a list of `width` aliases of the one before, 9**9 values in all."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once_with_little_memory() -> None:
    text = bomb()
    assert len(text) < 600
    start = time.monotonic()
    with pytest.raises(ScenarioError, match=f"a YAML alias expands beyond {MAX_VALUES} values") as e:
        load_yaml(text, "bomb.yaml")
    assert time.monotonic() - start < 1.0
    assert e.value.path == "bomb.yaml" and e.value.line == 6  # a5 is the first past the budget (9**6 values)
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError):
            load_yaml(text, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20, f"{peak} bytes at the peak"


def test_a_bomb_in_a_key_is_never_built() -> None:
    """A key that is a list of aliases would be spelled out whole by an error message quoting it."""
    text = bomb() + "? [*a8, *a8]\n: x\n"
    start = time.monotonic()
    with pytest.raises(ScenarioError, match="expands beyond|a key must be a word"):
        load_yaml(text, "key.yaml")
    assert time.monotonic() - start < 1.0
    with pytest.raises(ScenarioError, match="a key must be a word, not a list or a mapping"):
        load_yaml("? [a, b]\n: x\n", "key.yaml")


def test_nesting_is_bounded_as_it_is_composed_and_as_aliases_expand() -> None:
    flow = "[" * 5000 + "]" * 5000  # deeper than Python's stack would let PyYAML compose
    with pytest.raises(ScenarioError, match=f"nested more than {MAX_DEPTH} deep"):
        load_yaml(flow, "deep.yaml")
    block = "".join(f"{'  ' * n}k{n}:\n" for n in range(200)) + "  " * 200 + "v\n"
    with pytest.raises(ScenarioError, match=f"nested more than {MAX_DEPTH} deep"):
        load_yaml(block, "deep.yaml")
    half = "[" * 40 + "x" + "]" * 40
    with pytest.raises(ScenarioError, match=f"nested more than {MAX_DEPTH} deep"):
        load_yaml(f"a: &a {half}\nb: {'[' * 40}*a{']' * 40}\n", "deep.yaml")  # 40 + 40 through an alias
    with pytest.raises(ScenarioError, match="refers to a value that contains it"):
        load_yaml("a: &a [*a]\n", "loop.yaml")


def test_sizes_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ScenarioError, match=f"the line is longer than {MAX_LINE} characters") as e:
        load_yaml("a: 1\nb: " + "x" * (MAX_LINE + 1) + "\n", "long.yaml")
    assert e.value.line == 2
    with pytest.raises(ScenarioError, match="larger than 1 MiB"):
        load_yaml("a: 1\n" * (MAX_SOURCE // 5 + 1), "large.yaml")
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" * (MAX_SOURCE // 5 + 1))
    with pytest.raises(ScenarioError, match="larger than 1 MiB") as e:
        read_source(big)
    assert e.value.path == str(big)
    monkeypatch.setattr(yamlsource, "MAX_VALUES", 1000)  # as many values as that, written out, take seconds
    with pytest.raises(ScenarioError, match="the file holds more than 1000 values") as e:
        load_yaml("- 1\n" * 1001, "many.yaml")
    assert e.value.line == 1000  # the list is the first value


def test_values_pyyaml_cannot_build_are_said_with_their_line() -> None:
    for value in ("1" * 5000, "2001-13-45"):
        with pytest.raises(ScenarioError, match="the value cannot be read") as e:
            load_yaml(f"a: 1\nb: {value}\n", "values.yaml")
        assert e.value.line == 2


def test_the_scenarios_and_specs_still_load() -> None:
    scenarios, specs = sorted((ROOT / "scenarios").glob("*.yaml")), sorted((ROOT / "examples").glob("*/spec.yaml"))
    assert len(scenarios) >= 6 and len(specs) >= 2
    for path in scenarios:
        assert load_scenario(path).steps, path
    for path in specs:
        assert load_spec(path).checks, path
    assert load_yaml("base: &b {x: 1}\nuse: *b\n", "anchors.yaml") == {"base": {"x": 1}, "use": {"x": 1}}


def test_a_submission_s_yaml_takes_no_anchors_nor_aliases() -> None:
    session = "schema_version: 1\nsteps:\n  - run: &r docker ps\n  - run: docker ps\n"
    with pytest.raises(ScenarioError, match="anchors and aliases are not allowed") as e:
        plain_yaml(session, "session.yaml")
    assert str(e.value).startswith("session.yaml:3: ")
    start = time.monotonic()
    with pytest.raises(ScenarioError, match="anchors and aliases are not allowed") as e:
        plain_yaml(bomb(), "session.yaml")
    assert time.monotonic() - start < 0.5 and e.value.line == 1
    plain = "schema_version: 1\nsteps:\n  - run: docker ps\n"
    assert plain_yaml(plain, "session.yaml") == plain


def test_a_session_s_refusals_are_notes(tmp_path: Path) -> None:
    from dockersim.grading.grade import read_session
    from dockersim.grading.homework import parse_spec

    spec = parse_spec("schema_version: 1\nchecks: [{check: {image: a}}]\n", "spec.yaml")
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secret:19000:0:99999:7:::\n")
    folder = tmp_path / "bob"
    folder.mkdir()
    session = folder / "session.yaml"
    session.symlink_to(secret)
    notes: list[str] = []
    assert read_session(session, tmp_path, spec, notes) == []
    assert notes == ["session.yaml is a symbolic link; a submission's files must be regular files in its folder"]
    session.unlink()
    session.write_text(bomb())
    notes.clear()
    assert read_session(session, tmp_path, spec, notes) == []
    [note] = notes
    assert note.startswith("session.yaml was not run: session.yaml:1: YAML anchors and aliases are not allowed")
    session.unlink()
    notes.clear()
    assert read_session(session, tmp_path, spec, notes) == [] and notes == []  # no session: nothing to say
