"""commands.sh read into argv: what runs, what is refused and why, and where host paths end up."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockersim.errors import ScenarioError
from dockersim.grading.homework import parse_spec
from dockersim.grading.submission import expand, read_commands, substitution_marks
from dockersim.run.results import Outcome
from tests.conftest import ROOT


def one(text: str, ws: Path) -> list[str] | str:
    [line] = read_commands(text, ws)
    return line.refused or line.argv


def test_continuations_comments_and_blank_lines(tmp_path: Path) -> None:
    lines = read_commands("# a comment\n\ndocker run -d \\\n  --name x \\\n  busybox  # trailing\n", tmp_path)
    assert [(line.number, line.argv) for line in lines] == [
        (3, ["docker", "container", "run", "-d", "--name=x", "busybox"])]  # fmt: skip


def test_host_paths_are_rerooted_into_the_workspace(tmp_path: Path) -> None:
    ws = tmp_path.resolve()
    run = ["docker", "container", "run"]
    assert one("docker run -v /home/db:/var/lib/mysql m", ws) == [*run, f"-v={ws}/home/db:/var/lib/mysql", "m"]
    assert one("docker run --volume=/etc:/e m", ws) == [*run, f"--volume={ws}/etc:/e", "m"]
    assert one("docker run -v./rel:/r m", ws) == [*run, f"-v={ws}/rel:/r", "m"]
    assert one("docker run --mount type=bind,source=/a,target=/b m", ws) == [
        *run, f"--mount=type=bind,source={ws}/a,target=/b", "m"]  # fmt: skip
    # Named volumes, volume mounts and the container's own command are left alone.
    argv = "docker run -v myvolume:/root --mount source=v,target=/t m echo -v /x:/y"
    assert one(argv, ws) == [
        *run,
        "-v=myvolume:/root",
        "--mount=source=v,target=/t",
        "--",
        "m",
        "echo",
        "-v",
        "/x:/y",
    ]


def test_paths_that_lead_out_are_refused(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to("/etc")  # as a container could have made it in a bind mount
    assert "leads outside" in one("docker run -v ../../etc:/e m", tmp_path)
    assert "leads outside" in one("docker run -v /link:/e m", tmp_path)


@pytest.mark.parametrize(
    "line, why",
    [
        ("ls /", "only docker commands"),
        ("docker ps; rm -rf /", "';' is shell syntax"),
        ("docker ps && docker ps", "'&&' is shell syntax"),
        ("docker ps | sh", "'|' is shell syntax"),
        ("docker ps > /etc/x", "'>' is shell syntax"),
        ("docker run `id`", "backticks"),
        ("docker run $(id) m", "only $(docker ps -a -q)"),
        ('docker run m sh -c "$(id)"', "only $(docker ps -a -q)"),  # double quotes: a shell would run it
        ("docker run m sh -c \\'$(id)", "only $(docker ps -a -q)"),
        ('docker run m sh -c "`id`"', "backticks"),
        ("docker run -e A=$HOME m", "shell variables"),
        ("docker run -e A=${HOME} m", "shell variables"),
        ("docker -H tcp://x:2375 ps", "--host would reach another engine"),
        ("docker --context prod ps", "--context would reach another engine"),
        ("docker context use prod", "docker context use is not allowed"),
        ("docker run --privileged m", "--privileged"),
        ("docker run --cap-add=NET_ADMIN m", "--cap-add"),
        ("docker run --device /dev/sda m", "--device"),
        ("docker run --security-opt seccomp=unconfined m", "--security-opt"),
        ("docker run --pid host m", "--pid would share a namespace"),
        ("docker run --network=host m", "the host's network"),
        ("docker run --net host m", "the host's network"),
        ("docker run --ipc=host m", "--ipc would share a namespace"),
        ("docker run --uts host m", "--uts would share a namespace"),
        ("docker run --userns=host m", "--userns would share a namespace"),
        ("docker run -v /var/run/docker.sock:/s m", "engine's socket"),
        ("docker run --mount type=bind,source=/run/docker.sock,target=/s m", "engine's socket"),
        ("docker run --env-file /etc/environment m", "--env-file"),
        ("docker cp c:/etc/passwd /tmp/x", "docker container cp is not allowed"),
        ("docker build /", "docker image build is not allowed"),
        ("docker run 'unclosed m", "cannot be split"),
    ],
)
def test_refused_lines_say_why(line: str, why: str, tmp_path: Path) -> None:
    refused = one(line, tmp_path)
    assert isinstance(refused, str) and why in refused, refused


def test_single_quotes_pass_a_script_on_to_the_container_as_a_shell_would(tmp_path: Path) -> None:
    argv = one("docker run m sh -c 'echo $(date +%s) `id`; ls $(docker ps -q)'", tmp_path)
    assert argv == ["docker", "container", "run", "--", "m", "sh", "-c", "echo $(date +%s) `id`; ls $(docker ps -q)"]


def test_substitutions_become_the_engine_s_ids(tmp_path: Path) -> None:
    argv = one("docker stop $(docker ps -a -q)", tmp_path)
    assert isinstance(argv, list)
    marks = substitution_marks(argv)
    assert list(marks.values()) == [["container", "ls", "-a", "-q"]]
    assert expand(argv, {m: ["abc", "def"] for m in marks}) == ["docker", "container", "stop", "abc", "def"]


def test_example_hostile_submission_is_refused_but_its_first_line(tmp_path: Path) -> None:
    text = (ROOT / "examples/hw-wordpress/submissions/mallory/commands.sh").read_text()
    lines = read_commands(text, tmp_path)
    assert [line.number for line in lines if line.runs] == [2]
    assert [line.number for line in lines if not line.runs] == list(range(3, 21))


def test_the_example_spec_loads() -> None:
    path = ROOT / "examples/hw-wordpress/spec.yaml"
    spec = parse_spec(path.read_text(), str(path))
    assert spec.max_points == 18 and [c.hidden for c in spec.checks].count(True) == 1
    assert (spec.time_limit, spec.settle) == (300.0, 30.0)
    assert spec.reference == path.parent / "submissions" / "alice"


def test_a_reference_that_is_no_folder_is_one_sentence(tmp_path: Path) -> None:
    text = (ROOT / "examples/hw-wordpress/spec.yaml").read_text()
    with pytest.raises(ScenarioError, match="reference should be a folder beside the spec") as e:
        parse_spec(text, str(tmp_path / "spec.yaml"))
    assert e.value.line == text.splitlines().index(next(x for x in text.splitlines() if x.startswith("reference:"))) + 1


@pytest.mark.parametrize(
    "text, words",
    [
        ("schema_version: 1\nchecks: []\n", "non-empty"),
        ("schema_version: 1\nchecks:\n  - {name: x, points: -1, check: {image: a}}\n", "points"),
        ("schema_version: 1\nchecks:\n  - {name: x, check: {image: a}, probe: {image: b}}\n", "exactly one"),
        ("schema_version: 1\nchecks:\n  - {name: x, probe: {exec: {container: c}}}\n", "exec names"),
        ("schema_version: 1\nchecks:\n  - {name: x, probe: {http: {port: 80}}}\n", "http names"),
        ("schema_version: 1\nsubmision: a.sh\nchecks: [{check: {image: a}}]\n", "did you mean 'submission'"),
        ("schema_version: 1\nsubmission: ../x.sh\nchecks: [{check: {image: a}}]\n", "a file name"),
        ("schema_version: 1\nchecks: [{check: {image: a}, hidden: later}]\n", "true, false or after_published"),
    ],
)
def test_bad_specs(text: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words):
        parse_spec(text, "spec.yaml")


def test_hidden_checks_on_gradescope() -> None:
    """`hidden: true` is never shown there; `hidden: after_published`, once grades are published; both are
    hidden in the student's feedback."""
    from dockersim.grading.result import CheckOutcome, Grade
    from dockersim.report.grades import feedback, gradescope

    spec = parse_spec("schema_version: 1\nchecks:\n  - {name: shown, check: {image: a}}\n"
                      "  - {name: secret, check: {image: b}, hidden: true}\n"
                      "  - {name: later, check: {image: c}, hidden: after_published}\n", "spec.yaml")  # fmt: skip
    assert [(c.hidden, c.published) for c in spec.checks] == [(False, False), (True, False), (True, True)]
    grade = Grade("kim", 0, 3, checks=[CheckOutcome(c.index, c.name, 1, 0, Outcome.FAILED, ["x"], hidden=c.hidden,
                                                    published=c.published) for c in spec.checks])  # fmt: skip
    tests = gradescope(grade)["tests"]
    assert isinstance(tests, list)
    assert [t["visibility"] for t in tests] == ["visible", "hidden", "after_published"]
    text = feedback(spec, grade)
    assert "shown" in text and "secret" not in text and "later" not in text


def test_a_session_is_vetted_whole_and_takes_no_placeholders(tmp_path: Path) -> None:
    from dockersim.grading.grade import read_session

    spec = parse_spec("schema_version: 1\ntime_limit: 30\nchecks: [{check: {image: a}}]\n", "spec.yaml")
    session = tmp_path / "session.yaml"
    session.write_text(
        "schema_version: 1\nsteps:\n"
        "  - run: docker run --rm m echo X=/etc:/hostetc\n    capture: {V: 'X=(\\S+)'}\n"
        "  - run: docker run --rm -v {var.V} m cat /hostetc/shadow\n"
        "  - run: docker run -it --name ok m\n    timeout: 100000\n    tty: [{expect: '# '}]\n"
    )
    notes: list[str] = []
    steps = read_session(session, tmp_path, spec, notes)
    assert len(steps) == 1 and steps[0].timeout == 30 and steps[0].run and "--name=ok" in steps[0].run
    assert [n.split(":")[1] for n in notes] == ["3", "5"] and all("no placeholders" in n for n in notes)


def test_a_session_runs_no_second_terminal_and_no_placeholders_in_its_keys(tmp_path: Path) -> None:
    """`aside:` would run a command the allow-list never saw; a placeholder in what is typed would carry
    the grader's values. Both steps are left out with the line and the reason; a step is named by what the
    student wrote, not by the vetted argv (with the grader's workspace in it)."""
    from dockersim.grading.grade import read_session

    spec = parse_spec("schema_version: 1\nchecks: [{check: {image: a}}]\n", "spec.yaml")
    session = tmp_path / "session.yaml"
    session.write_text(
        "schema_version: 1\nsteps:\n"
        "  - run: docker attach db\n    tty:\n"
        "      - aside: docker run -d --privileged -v /:/host m\n        until: x\n      - hangup: true\n"
        "  - run: docker run -it m\n    tty: [{send: 'cat {workdir}/x'}]\n"
        "  - run: docker run -it -v /data:/data m\n    tty: [{expect: '# '}]\n"
    )
    notes: list[str] = []
    [step] = read_session(session, tmp_path, spec, notes)
    assert "aside: is not run" in notes[0] and notes[0].startswith("session.yaml:3:")
    assert "no placeholders" in notes[1] and notes[1].startswith("session.yaml:8:")
    assert step.run is not None and str(tmp_path) in " ".join(step.run)  # re-rooted in the workspace
    assert step.name == {"en": "docker run -it -v /data:/data m"} and step.named


def test_a_graded_check_bound_to_one_engine_is_refused(tmp_path: Path) -> None:
    """On the engine that could not check it, it would be a point for free."""
    text = """schema_version: 1
title: t
checks:
  - name: c
    points: 1
    check: {container: c, state: running, requires: {engine: docker}}
"""
    with pytest.raises(ScenarioError, match="a graded check takes no requires") as e:
        parse_spec(text, str(tmp_path / "spec.yaml"))
    assert e.value.line == 6
