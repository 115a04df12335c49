"""Practice without a terminal: the step tracker on recorded sessions, the shell's markers read from a
pty's output however it is cut, what dockersim says there in the learner's language, the docker shim's
rewriting, and the set-up practice shares with run."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.engine.screen import Screen
from dockersim.errors import DockersimError
from dockersim.host.interrupts import Interrupted
from dockersim.i18n.phrase import localise, said
from dockersim.practice.shim import Refused, rewrite
from dockersim.practice.tracker import Progress, Tracker, attempts
from dockersim.practice.watch import Watch
from dockersim.run import batch
from dockersim.run.results import Outcome, StepResult
from dockersim.scenario.loader import load_scenario
from dockersim.scenario.model import Scenario, Step

SCENARIO = """\
schema_version: 1
title: {en: mini, ko: 미니}
images: {ubuntu: ubuntu:14.04}
steps:
  - name: run -i -t opens a shell
    task: {en: start an interactive container named first, ko: first 컨테이너를 대화형으로 실행}
    run: docker run -i -t --name first {image.ubuntu}
    hint: type exit to leave
    tty:
      - expect: 'root@{short_id:first}:/# '
      - send: exit
      - expect: eof
  - name: exit stops it
    check: {container: first, state: exited}
  - name: prune
    run: docker container prune -f
  - name: list
    run: docker ps -a
    stdout: first
"""


class Recorded:
    """A ScenarioRun stand-in: a try passes when its transcript holds 'ok'; steps dockersim runs pass."""

    def __init__(self) -> None:
        self.ran: list[int] = []
        self.cleared: list[int] = []
        self.foreign = False  # the step's container exists, made by another client

    def judge(self, step: Step, status: int, transcript: str, seconds: float = 0.0) -> StepResult:
        ok = "ok" in transcript and status == 0
        return StepResult("s.yaml", step.index, 4, str(step.name.get("en")), Outcome.PASSED if ok else Outcome.FAILED,
                          0.0, reason="" if ok else "expected the screen to show a root prompt",
                          details=[] if ok else ["state: expected running, found exited"])  # fmt: skip

    def run_step(self, step: Step) -> StepResult:
        self.ran.append(step.index)
        return StepResult("s.yaml", step.index, 4, str(step.name.get("en")), Outcome.PASSED, 0.0)

    def resolve_now(self, template: str, regex: bool = False) -> str:
        return template.replace("{short_id:first}", "0123456789ab")

    def strangers(self, step: Step) -> list[str]:
        return ["container first"] if self.foreign else []

    def clear(self, step: Step) -> None:
        self.cleared.append(step.index)

    def step_name(self, step: Step) -> str:
        return str(step.name.get("en"))


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Scenario:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (tmp_path / "s.yaml").write_text(SCENARIO)
    return load_scenario(str(tmp_path / "s.yaml"))


def test_a_try_is_the_step_s_verb_on_the_step_s_container(scenario: Scenario) -> None:
    step = scenario.steps[0]
    same = lambda t: t  # noqa: E731
    assert attempts(step, "docker run -it --name first ubuntu:14.04", same)
    assert attempts(step, "docker container run --name=first -ti ubuntu:14.04 bash", same)
    assert not attempts(step, "docker run -it --name other ubuntu:14.04", same)
    assert not attempts(step, "docker ps -a", same)
    assert not attempts(step, "ls -l | grep docker", same)
    assert not attempts(step, "docker run --bogus", same)  # the client refuses it: not a try
    assert attempts(scenario.steps[3], "cd /tmp && time docker ps -a", same)
    assert attempts(step, "docker rm first; docker run -it --name first ubuntu:14.04", same)
    assert not attempts(step, "sudo docker run -it --name first ubuntu:14.04", same)  # said why, below
    assert attempts(scenario.steps[2], "docker container prune --force", same)
    assert attempts(scenario.steps[3], "docker ps -a | grep first", same)


def test_a_session_step_by_step(scenario: Scenario) -> None:
    run = Recorded()
    tracker = Tracker(scenario, run, Progress(scenario.path), allow_destructive=False)
    assert tracker.start() == []
    assert tracker.banner()[1] == "  start an interactive container named first"

    assert tracker.command("ls", 0, "ok") == []  # not a try: the learner looks around
    assert "without sudo" in tracker.command("sudo docker run -it --name first ubuntu:14.04", 0, "ok")[0]
    run.foreign = True
    assert "not made through practice's docker" in tracker.command("docker run -it --name first u", 0, "ok")[0]
    run.foreign = False
    first = tracker.command("docker run -it --name first ubuntu:14.04", 0, "root@x:/# exit")
    assert first[0].startswith("✗ not yet: expected the screen")
    assert "hint: type exit to leave" in first  # the second failed try: the hint shows by itself

    done = tracker.command("docker run -it --name first ubuntu:14.04", 0, "ok")
    assert done[0] == "✓ step 1 done: run -i -t opens a shell"
    assert "dockersim checks step 2: exit stops it" in done  # a check-only step runs by itself
    assert any("step 3 skipped" in line for line in done)  # a prune, on the learner's own engine
    assert run.ran == [2] and tracker.step is not None and tracker.step.index == 4

    assert tracker.command("docker ps -a", 0, "ok")[-1] == "all 4 steps of mini done"
    assert tracker.finished and tracker.all_typed  # the prune held back does not count against the learner
    assert Progress.load(scenario.path).steps == {1: "passed", 2: "passed", 3: "held", 4: "passed"}
    assert tracker.summary() == ("mini: 3 passed, 0 solved, 0 skipped, 0 left of 4 "
                                 "(1 held back as destructive: --allow-destructive runs them)")  # fmt: skip
    assert Progress.load(scenario.path).first_open([1, 2, 3, 4]) == 3  # offered again next time


def test_from_a_step_the_file_does_not_have_is_one_sentence(scenario: Scenario) -> None:
    with pytest.raises(DockersimError, match="--from 9: .* has steps 1 to 4") as e:
        Tracker(scenario, Recorded(), Progress(scenario.path)).start(9)
    assert localise(said(e.value), "ko").endswith("에는 1–4단계가 있습니다")  # from the catalogue, as every sentence


def test_progress_resumes_after_the_last_step_done(scenario: Scenario) -> None:
    Progress(scenario.path, steps={1: "passed", 2: "passed"}).save()
    run = Recorded()
    tracker = Tracker(scenario, run, Progress.load(scenario.path), lang="ko", allow_destructive=True)
    lines = tracker.start()
    assert lines[0] == "지난번에 멈춘 곳부터: dockersim 이 1–2단계를 먼저 실행합니다"
    assert run.ran == [1, 2]  # replayed so that the engine holds what step 3 expects
    assert tracker.step is not None and tracker.step.index == 3
    assert tracker.banner()[0] == "미니 · 3/4 단계"


def test_solve_types_the_chapter_s_names_and_skip_runs_the_step(scenario: Scenario) -> None:
    run = Recorded()
    tracker = Tracker(scenario, run, Progress(scenario.path))
    tracker.start()
    solution = tracker.solve()
    assert solution is not None and solution.command == "docker run -i -t --name first ubuntu:14.04"
    assert [a.kind for a in solution.actions] == ["expect", "send", "eof"]
    assert tracker.command(solution.command, 0, "ok")[0] == "✓ step 1 solved for you: run -i -t opens a shell"
    tracker.skip()  # step 3 (the prune) was held back as destructive; 4 is skipped now and run by dockersim
    assert run.ran == [2, 4] and tracker.finished and run.cleared == [1, 4]
    assert Progress.load(scenario.path).steps[1] == "solved"


class Heard:
    def __init__(self) -> None:
        self.events: list[tuple[object, ...]] = []

    def finished(self, watch: Watch, number: int, command: str, status: int, transcript: str) -> None:
        self.events.append(("finished", number, command, status, transcript))

    def asked(self, watch: Watch, what: str) -> None:
        self.events.append(("asked", what))


def _done(number: int, command: str, status: int) -> bytes:
    line = base64.b64encode(f"  {number}  {command}\n".encode()).decode()
    return f"\x1b]777;dockersim;done;{status};{line}\x07".encode()


@pytest.mark.parametrize("cut", [1, 3, 7, 1000])
def test_markers_are_read_and_removed_however_the_output_is_cut(cut: int, capfd: pytest.CaptureFixture[str]) -> None:
    heard = Heard()
    watch = Watch([], {}, heard)
    stream = (b"$ " + _done(1, "true", 0) + b"$ docker ps\r\n\x1b]777;dockersim;start\x07CONTAINER ID\r\n"
              + _done(2, "docker ps", 0) + b"$ \r\n" + _done(2, "docker ps", 0)  # Enter on an empty line
              + b"$ hint\r\n\x1b]777;dockersim;start\x07\x1b]777;dockersim;ask;hint\x07" + _done(3, "hint", 0)
              + "$ 한글\r\n".encode())  # fmt: skip
    for i in range(0, len(stream), cut):
        watch._output(stream[i : i + cut])
    assert heard.events == [("finished", 1, "true", 0, ""), ("finished", 2, "docker ps", 0, "CONTAINER ID\n"),
                            ("asked", "hint"), ("finished", 3, "hint", 0, "")]  # fmt: skip
    shown = capfd.readouterr().out
    assert "777" not in shown and "$ docker ps\r\nCONTAINER ID" in shown and "한글" in shown


class Faulty(Heard):
    def finished(self, watch: Watch, number: int, command: str, status: int, transcript: str) -> None:
        raise DockersimError("the engine went away")


@pytest.mark.parametrize(
    ("lang", "said_here"),
    [
        ("en", "could not check that command: the engine went away"),
        ("ko", "그 명령을 확인할 수 없었습니다: the engine went away"),
    ],
)
def test_what_dockersim_says_in_the_shell_is_in_the_learner_s_language(
    lang: str, said_here: str, capfd: pytest.CaptureFixture[str]
) -> None:
    watch = Watch([], {}, Faulty(), lang=lang)
    watch._output(b"$ " + _done(1, "docker ps", 0) + b"$ ")  # the shell lives on after a fault in judging
    assert f"dockersim: {said_here}\r\n" in capfd.readouterr().out


def test_run_and_practice_begin_alike(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """One set-up (run/batch.py `prepared`), in one order; its Ownership closed at the end or at a signal, and
    left to its reaper after any other error."""
    calls: list[str] = []

    class Owned:
        def __init__(self, docker: Docker) -> None:
            calls.append("ownership")

        def close(self) -> None:
            calls.append("close")

    @contextmanager
    def on_engine(plan: batch.Plan, say: object) -> Iterator[batch.Engine]:
        calls.append("engine")
        yield batch.Engine(Docker("true"), "127.0.0.1")

    def called(what: str, returns: object = None) -> object:
        calls.append(what)
        return returns

    monkeypatch.setattr(batch, "engine", on_engine)
    monkeypatch.setattr(batch, "reap_dead", lambda: called("reap", []))
    monkeypatch.setattr(batch, "existing_names", lambda docker, scenarios: called("names", ["container first"]))
    monkeypatch.setattr(batch, "remove_named", lambda docker, names: called(f"remove {' '.join(names)}"))
    monkeypatch.setattr(batch, "Ownership", Owned)
    monkeypatch.setattr(batch, "unpullable", lambda docker, refs, say: called(f"pull {' '.join(refs)}", set()))
    plan = batch.Plan(replace=True)
    with batch.prepared([scenario], plan, print, lambda docker: calls.append("engine ready")) as ready:
        calls.append("body")
    assert isinstance(ready.ownership, Owned)
    assert calls == ["engine", "reap", "names", "remove container first", "engine ready", "ownership",
                     "pull ubuntu:14.04", "body", "close"]  # fmt: skip
    for error, closed in ((Interrupted(15), True), (RuntimeError("a bug"), False)):
        calls.clear()
        with pytest.raises(type(error)), batch.prepared([scenario], plan, print):
            raise error
        assert (calls[-1] == "close") is closed
    with pytest.raises(DockersimError, match="container first"), batch.prepared([scenario], batch.Plan(), print):
        pass  # no --replace: the name is the learner's


def test_the_shim_labels_what_practice_makes_and_keeps_prunes_to_it() -> None:
    labels = ["dockersim.run=abc", "dockersim.owner=h/1/2/3"]
    images = {"ubuntu:14.04": "127.0.0.1:5959/ubuntu:14.04"}
    run = rewrite(
        ["docker", "run", "-dit", "--name", "a", "ubuntu:14.04", "echo", "ubuntu:14.04"], labels, images, False
    )
    assert run == ["docker", "run", "-dit", "--name", "a", "--label", labels[0], "--label", labels[1],
                   "127.0.0.1:5959/ubuntu:14.04", "echo", "ubuntu:14.04"]  # fmt: skip
    assert rewrite(["docker", "container", "prune", "-f"], labels, {}, False) == [
        "docker", "container", "prune", "--filter", "label=dockersim.run=abc", "-f"]  # fmt: skip
    assert rewrite(["docker", "ps", "-aq"], labels, {}, scripted=True)[2:4] == ["--filter", "label=dockersim.run=abc"]
    assert rewrite(["docker", "ps", "-aq"], labels, {}, scripted=False) == ["docker", "ps", "-aq"]  # a person reads it
    with pytest.raises(Refused, match="no option --bogus .practice runs the docker commands it knows"):
        rewrite(["docker", "run", "--bogus"], labels, images, False)  # nor a plugin: nothing to label


def test_the_transcript_is_the_screen_a_person_saw() -> None:
    screen = Screen(5, 40, history=100)
    screen.feed(b"Pulling fs layer\r\nDownloading [=>    ]\r\x1b[KDownloading [=====]\r\n")
    screen.feed(b"".join(f"line {i}\r\n".encode() for i in range(6)) + "컨테이너 ok".encode())
    text = screen.text()
    assert "Downloading [=====]\nline 0" in text and "[=>" not in text  # redrawn in place: its last state
    assert text.endswith("line 5\n컨테이너 ok\n")  # scrolled off the top, yet kept
    screen.feed(b"\r\nroot@0123456789ab:/# ")
    assert screen.text().endswith("\nroot@0123456789ab:/# \n")  # where the cursor waits: a prompt's space
