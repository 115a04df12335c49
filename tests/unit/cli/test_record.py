"""`dockersim record` through click's CliRunner: what is refused before any engine is reached, in one
sentence and exit 2, with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dockersim.cli.main import main
from tests.conftest import ROOT

ANN = str(ROOT / "examples" / "hw-network" / "submissions" / "ann")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["{tmp}/there.yaml"], "there.yaml: the file exists (--force writes over it)"),
        (["{tmp}/no/such/x.yaml"], "there is no folder"),
        (["{tmp}/chapter.txt"], "a scenario or spec file ends in .yaml"),
        (["{tmp}/new.yaml"], "record needs a terminal"),  # CliRunner's input is no terminal
        (["--spec", "{tmp}/hw.yaml", "--sandbox", ANN], "--context, --image-map and --sandbox do not apply"),
        (["--spec", "{tmp}/hw.yaml", "{tmp}"], "there is no commands.sh or session.yaml in it"),
        (["--spec", "{tmp}/there.yaml", ANN], "the file exists"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(args: list[str], said: str, tmp_path: Path) -> None:
    (tmp_path / "there.yaml").write_text("kept\n")
    result = CliRunner().invoke(main, ["record", *(a.replace("{tmp}", str(tmp_path)) for a in args)])
    assert result.exit_code == 2, result.output
    assert said in result.output and len(result.output.strip().splitlines()) == 1
    assert (tmp_path / "there.yaml").read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there.yaml"]


def test_inside_a_recording_or_practice_shell_it_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKERSIM_PRACTICE", "1")
    result = CliRunner().invoke(main, ["record", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "already a practice or recording shell" in result.output
