"""The runner on a fake driver, no engine: what it runs (labels added), how it judges exit statuses and
output, captures, retries, fail-fast, and destructive steps left out."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence

from dockersim.engine.client import Docker
from dockersim.engine.process import Completed
from dockersim.ownership.labels import LABEL_KEY, OWNER_KEY
from dockersim.run.base import RunOptions
from dockersim.run.results import Outcome, StepResult
from dockersim.run.runner import ScenarioRun
from dockersim.scenario.loader import parse_scenario

Answer = Callable[[list[str]], tuple[int, str, str]]


class FakeDocker(Docker):
    """A driver that records argv and answers from a function instead of running anything."""

    def __init__(self, answer: Answer) -> None:  # no binary is looked for
        self.binary, self.context, self.env = "docker", None, {}
        self._versions, self._kind = ("28.2.2", "20.10.24"), "docker"
        self.answer = answer
        self.ran: list[list[str]] = []

    def run_argv(self, argv: Sequence[str], timeout: float = 60.0, stdin: object = None, keep: int = 0) -> Completed:
        self.ran.append(list(argv))
        status, out, err = self.answer(list(argv))
        return Completed(list(argv), status, out, err, 0.0)


def run(yaml: str, answer: Answer, **options: object) -> tuple[list[StepResult], FakeDocker]:
    docker = FakeDocker(answer)
    scenario = parse_scenario(textwrap.dedent(yaml), "fake.yaml")
    srun = ScenarioRun(docker, scenario, RunOptions(**options))  # type: ignore[arg-type]
    return list(srun.run_steps()), docker


def quiet(argv: list[str]) -> tuple[int, str, str]:
    if argv[1:3] == ["volume", "ls"]:
        return 0, "", ""
    if "failing" in argv:
        return 3, "", "it failed\n"
    return 0, "hello 42\n", ""


def test_creating_commands_carry_the_run_s_labels_and_others_do_not() -> None:
    results, docker = run(
        """\
        schema_version: 1
        steps:
          - run: docker network create --internal mynet
          - run: docker ps -a
        """,
        quiet,
    )
    assert [r.outcome for r in results] == [Outcome.PASSED, Outcome.PASSED]
    created = next(a for a in docker.ran if "network" in a)
    assert created[:4] == ["docker", "network", "create", "--internal"] and created[4] == "--label"
    assert created[5].startswith(f"{LABEL_KEY}=") and created[7].startswith(f"{OWNER_KEY}=")
    assert created[-1] == "mynet"
    assert "--label" not in next(a for a in docker.ran if "ps" in a)


def test_exit_status_output_and_capture_are_judged() -> None:
    results, _ = run(
        """\
        schema_version: 1
        steps:
          - run: docker version
            stdout: 'hello (\\d+)'
            capture: {N: 'hello (\\d+)'}
          - run: docker inspect {var.N}
            stdout: '42'
          - run: docker logs failing
            exit: 3
            stderr: 'it failed'
          - name: a wrong status fails with the screen
            run: docker logs failing
        """,
        quiet,
    )
    outcomes = [r.outcome for r in results]
    assert outcomes == [Outcome.PASSED, Outcome.PASSED, Outcome.PASSED, Outcome.FAILED]
    last = results[-1]
    assert "exit status" in last.reason and last.screen == ["it failed"]


def test_fail_fast_skips_the_rest_and_destructive_steps_are_left_out() -> None:
    results, docker = run(
        """\
        schema_version: 1
        steps:
          - run: docker container prune -f
          - run: docker logs failing
          - run: docker ps
        """,
        quiet,
        fail_fast=True,
    )
    outcomes = [r.outcome for r in results]
    assert outcomes == [Outcome.SKIPPED, Outcome.FAILED, Outcome.SKIPPED]
    assert not any("prune" in a for a in docker.ran)


def test_a_retried_step_runs_until_it_passes() -> None:
    tries: list[int] = []

    def flaky(argv: list[str]) -> tuple[int, str, str]:
        if "logs" in argv:
            tries.append(1)
            return 0, ("ready\n" if len(tries) >= 3 else "starting\n"), ""
        return quiet(argv)

    results, _ = run(
        """\
        schema_version: 1
        steps:
          - run: docker logs db
            stdout: '^ready'
            retry: 30
        """,
        flaky,
    )
    assert results[0].outcome == Outcome.PASSED and len(tries) == 3
    assert re.match(r"docker logs db", results[0].command)


def test_a_missing_capture_fails_the_steps_that_use_it_and_names_them_without_asking_the_engine() -> None:
    results, docker = run(
        """\
        schema_version: 1
        steps:
          - run: docker ps
            capture: {N: 'port (\\d+)'}
          - run: docker start {var.N}
          - check: {http: 'http://127.0.0.1:{var.N}/'}
          - check: {http: 'http://127.0.0.1:{host_port:web:80/tcp}/'}
        """,
        quiet,
    )
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.FAILED, Outcome.ERROR, Outcome.ERROR]
    assert "{var.N} has no value" in results[1].reason and results[1].name == "docker start '{var.N}'"
    assert results[2].name == "check http http://127.0.0.1:{var.N}/"
    assert results[3].name == "check http http://127.0.0.1:{host_port:web:80/tcp}/"
