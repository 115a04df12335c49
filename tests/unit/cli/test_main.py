"""Every command through click's CliRunner: help with examples, version, exit statuses, one-sentence errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from dockersim import __version__
from dockersim.cli import VERSION_LINE
from dockersim.cli.main import COMMANDS, main
from dockersim.run.results import Outcome
from tests.conftest import ROOT
from tests.unit.cli import loaded


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in loaded(group).items():
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out += all_commands(cmd, (*prefix, name))
    return out


@pytest.mark.parametrize("command", [(), *all_commands()], ids=lambda c: " ".join(c) or "dockersim")
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert "Example" in result.output  # groups too: what a first use of them looks like


@pytest.mark.parametrize("width", [60, 80, 100, 200])
def test_the_command_list_is_click_s_own_without_loading_a_command(width: int) -> None:
    """`dockersim --help` lists each command with the first paragraph of its help (cli.main.COMMANDS), as click
    would list it having loaded them all: the same page, at any terminal width."""
    ctx = click.Context(main, max_content_width=100, terminal_width=width)
    ours, clicks = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
    main.format_commands(ctx, ours)
    click.Group.format_commands(main, ctx, clicks)  # loads every command, and asks each its short help
    assert ours.getvalue() == clicks.getvalue()
    for name, (_module, summary) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.help is not None
        assert summary == " ".join(command.help.split("\n\n")[0].split()), name


def test_help_loads_no_command_s_module() -> None:
    code = "import sys\nfrom dockersim.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
    code += "print(sorted(m for m in sys.modules if m.startswith('dockersim.cli.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip().splitlines()[-1] == "['dockersim.cli.main']"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    # The installed command answers `--version` alone before click loads: in the same words.
    assert result.output == VERSION_LINE.format(version=__version__)
    fast = subprocess.run([sys.executable, "-m", "dockersim", "--version"], capture_output=True, text=True)
    assert fast.returncode == 0 and fast.stdout == result.output


def test_validate_good_and_bad(tmp_path: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(main, ["validate", "scenarios/"])
    assert good.exit_code == 0, good.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nsteps:\n  - run: docker ps\n    stdotu: x\n")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.output.strip() == (f"dockersim: {bad}:4: a step has no key 'stdotu' (did you mean 'stdout'?)")
    assert "Traceback" not in result.output


def test_validate_missing_file_and_empty_dir(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2 and "no such file" in result.output
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2 and "no .yaml scenario files" in result.output


def test_validate_reads_a_homework_spec_named_as_a_file() -> None:
    result = CliRunner().invoke(main, ["validate", str(ROOT / "examples" / "hw-wordpress" / "spec.yaml")])
    assert result.exit_code == 0 and result.output.endswith("ok (a homework spec: 9 checks, 18 points)\n")


def test_an_output_that_cannot_be_written_is_said_before_any_work(tmp_path: Path) -> None:
    """A report's path that names a folder, lies under a file, or a folder's that names a file: one sentence,
    exit 2, before the engine is asked anything (the run would be lost after it)."""
    (tmp_path / "a-file").write_text("mine\n")
    (tmp_path / "a-folder").mkdir()
    spec, alice = str(ROOT / "examples" / "hw-wordpress" / "spec.yaml"), str(ROOT / "examples" / "hw-wordpress")
    for args, said in (
        (["run", "--html", str(tmp_path / "a-folder"), "scenarios/"], "a-folder: this is a folder; give a file"),
        (["run", "--junit", str(tmp_path / "a-file" / "x.xml"), "scenarios/"], "a-file is a file, so nothing can"),
        (["run", "--record", str(tmp_path / "a-file"), "scenarios/"], "a-file: this is a file; give a folder"),
        (["grade", "--out", str(tmp_path / "a-file"), spec, alice], "--out " + str(tmp_path / "a-file") + ": this is"),
        (["gradebook", "merge", "--out", str(tmp_path / "a-file"), str(tmp_path)], "a-file: this is a file"),
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and said in result.output and "Traceback" not in result.output, result.output
    assert (tmp_path / "a-file").read_text() == "mine\n"


def test_a_reference_that_grading_would_refuse_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "commands.sh").symlink_to("/etc/passwd")
    result = CliRunner().invoke(main, ["record", "--spec", str(tmp_path / "spec.yaml"), str(tmp_path / "ref")])
    assert result.exit_code == 2 and "commands.sh is a symbolic link" in result.output, result.output
    assert "root:" not in result.output and not (tmp_path / "spec.yaml").exists()


def test_bad_image_map_is_one_sentence() -> None:
    result = CliRunner().invoke(main, ["run", "--image-map", "ubuntu", "scenarios/"])
    assert result.exit_code == 2
    assert "--image-map takes REF=LOCAL_REF" in result.output


@pytest.mark.engine  # no engine, but a docker client (scripts/ensure-engine installs it) that finds none
def test_no_engine_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    result = CliRunner().invoke(main, ["run", "scenarios/2.2.1-creating-containers.yaml"])
    assert result.exit_code == 2
    assert result.output.startswith("dockersim: no docker engine answers through")
    assert len(result.output.strip().splitlines()) == 1


def test_missing_docker_binary() -> None:
    result = CliRunner().invoke(main, ["state", "--docker", "/nonexistent/docker"])
    assert result.exit_code == 2 and "no docker binary found" in result.output


def test_practice_needs_a_terminal_and_its_helpers_a_practice_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKERSIM_PRACTICE", raising=False)
    result = CliRunner().invoke(main, ["practice", "scenarios/2.2.1-creating-containers.yaml"])
    assert result.exit_code == 2 and "practice needs a terminal" in result.output
    result = CliRunner().invoke(main, ["practice", "--from", "99", "scenarios/2.2.1-creating-containers.yaml"])
    assert result.exit_code == 2 and "--from 99: scenarios/2.2.1-creating-containers.yaml has steps" in result.output
    for helper in ("hint", "solve", "skip"):
        result = CliRunner().invoke(main, [helper])
        assert result.exit_code == 2 and f"`{helper}` works inside `dockersim practice`" in result.output
    monkeypatch.setenv("DOCKERSIM_PRACTICE", "1")
    result = CliRunner().invoke(main, ["hint"])
    assert result.exit_code == 0 and result.output == "\x1b]777;dockersim;ask;hint\x07"


def test_progress_with_none_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    result = CliRunner().invoke(main, ["progress"])
    assert result.exit_code == 0 and "no practice yet" in result.output
    saved = tmp_path / "dockersim" / "practice"  # files not as practice writes them: edited, or cut short
    saved.mkdir(parents=True)
    for n, text in enumerate(['[1, 2]', '"str"', '{"steps": [1, 2]}', '{"path": "x", "title": "t", "total": 3, '
                              '"steps": {"1": {"a": 1}}}', '{"path": "x", "tit']):  # fmt: skip
        (saved / f"{n}.json").write_text(text)
    result = CliRunner().invoke(main, ["progress"])
    assert result.exit_code == 0 and "no practice yet" in result.output, result.output


@pytest.mark.engine  # no engine, but the docker client, which grade looks for first (ensure-engine installs it)
def test_grading_engines_named_badly(tmp_path: Path) -> None:
    """--jobs 0 without an engine, an engine named twice, a bad or empty engines file: one sentence, exit 2."""
    spec = str(ROOT / "examples" / "hw-wordpress" / "spec.yaml")
    folder = tmp_path / "alice"
    folder.mkdir()
    (tmp_path / "engines.txt").write_text("# the lab\nlab1\nlab2 lab3\n")
    (tmp_path / "none.txt").write_text("# the lab, its engines not yet named\n\n")
    (tmp_path / "latin1.txt").write_bytes(b"# the lab\ncaf\xe9\n")
    for args, said in (
        (["--jobs", "0"], "no engine to grade on: --jobs 0 needs at least one --engine"),
        (["--engine", "lab1", "--engine", "lab1"], "--engine lab1 is named twice"),
        (["--engine", "lab1="], "give a docker context's name or an engine's address, or NAME=HOST"),
        (["--engine", "http://lab1:2375"], "an engine's address starts unix://, tcp:// or ssh://"),
        (["--engine-file", str(tmp_path / "engines.txt")], "engines.txt:3: one engine a line, CONTEXT or CONTEXT=HOST"),
        (
            ["--engine-file", str(tmp_path / "none.txt")],
            "none.txt: names no engine (one CONTEXT or CONTEXT=HOST a line)",
        ),
        (["--engine", "no-such-lab"], "--engine no-such-lab: there is no docker context of that name"),
        (["--engine-file", str(tmp_path / "latin1.txt")], "latin1.txt:2: the file is not UTF-8 text (byte 0xe9"),
    ):
        result = CliRunner().invoke(main, ["grade", "--out", str(tmp_path / "out"), *args, spec, str(folder)])
        assert result.exit_code == 2, result.output
        assert said in result.output and "Traceback" not in result.output
        assert not (tmp_path / "out").exists()


def test_gradebook_merge_json(tmp_path: Path) -> None:
    """`gradebook merge --json` prints the merged results.json, as written to --out; without it, a summary."""
    from dockersim.grading.homework import load_spec
    from dockersim.grading.result import CheckOutcome, Grade
    from dockersim.report.grades import write_all

    spec = load_spec(ROOT / "examples" / "hw-wordpress" / "spec.yaml")
    for i, name in enumerate(["ann", "ben"]):
        checks = [
            CheckOutcome(c.index, c.name, c.points, c.points * i, (Outcome.FAILED, Outcome.PASSED)[bool(i)])
            for c in spec.checks
        ]
        write_all(spec, [Grade(name, spec.max_points * i, spec.max_points, checks)], tmp_path / name)
    out = tmp_path / "course"
    result = CliRunner().invoke(main, ["gradebook", "merge", "--json", "--out", str(out), str(tmp_path / "ann"),
                                       str(tmp_path / "ben")])  # fmt: skip
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == json.loads((out / "results.json").read_text())
    assert [(s["student"], s["score"]) for s in printed["students"]] == [("ann", 0), ("ben", spec.max_points)]
    again = CliRunner().invoke(main, ["gradebook", "merge", "--out", str(out), str(tmp_path / "ann")])
    assert again.exit_code == 0 and "1 students from 1 folders merged" in again.output
