"""The files record writes: scalars plain only where YAML reads them back the same, checks and keys as flow
mappings and lists, texts in both languages, remarks as comments, the hand-written files' key order; and
what is written loads as a scenario or a spec."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from wcwidth import wcswidth

from dockersim.grading.homework import parse_spec
from dockersim.record.document import WIDTH, Draft, GradedDraft, flow, scalar, scenario_text, spec_text, text, write
from dockersim.record.screen import Action
from dockersim.scenario.loader import parse_scenario


@pytest.mark.parametrize(
    "value",
    ["plain", "a: b", "- x", "true", "null", "12", "", " x", "it's", "#no", "x # y", "{image.ubuntu}", "[a]",
     "tab\there", "line\nbreak", "다음", "a, b", "*star", "&anchor", "!tag", "%x", "@x", "`x", "'q'", '"q"'],
)  # fmt: skip
def test_a_scalar_reads_back_the_same(value: str) -> None:
    assert yaml.safe_load(f"k: {scalar(value)}") == {"k": value}
    assert yaml.safe_load(f"k: {flow({'v': value})}") == {"k": {"v": value}}
    assert yaml.safe_load(f"k: {scalar(value, quoted=True)}") == {"k": value}


def test_plain_where_it_reads_back_and_regexes_quoted() -> None:
    assert scalar("docker run -d --name web {image.ubuntu}") == "docker run -d --name web {image.ubuntu}"
    assert scalar("^web$", quoted=True) == "'^web$'"
    assert flow({"container": "web", "image": "{image.ubuntu}", "ports": {"80/tcp": "any"}}) == (
        "{container: web, image: '{image.ubuntu}', ports: {80/tcp: any}}"
    )
    assert flow({"exec": {"container": "db", "command": "ls /x"}, "stdout": "x"}) == (
        "{exec: {container: db, command: ls /x}, stdout: 'x'}"
    )


DRAFTS = [
    Draft(name={"en": "start web", "ko": "웹 시작"}, task={"en": "start web", "ko": "웹 시작"},
          run="docker run -d --name web {image.ubuntu} sleep 600", stdout="^{id:web}$",
          checks=[{"container": "web", "state": "running", "image": "{image.ubuntu}"}],
          comments=["✗ failed when replayed: a reason"]),
    Draft(run="docker run -it --name first {image.ubuntu}", hint={"en": "type exit"},
          tty=[Action("expect", "root@{short_id:first}:/# "), Action("send", ""), Action("send", "hostname"),
               Action("keys", keys=("ctrl-p", "ctrl-q")), Action("expect", "eof")],
          requires={"engine": "docker", "why": {"en": "why", "ko": "왜"}}, exit=1,
          checks=[{"container": "first", "state": "running"}, {"volume": "data"}]),
    Draft(shell="docker ps -a | grep web", stderr="^error$", exit="nonzero",
          checks=[{"container": "web", "env": {f"VARIABLE_{i}": "a value" for i in range(6)}}]),
]  # fmt: skip


def test_a_scenario_is_written_as_by_hand_and_loads() -> None:
    text = scenario_text({"en": "Recorded"}, {"ubuntu": "ubuntu:14.04"}, DRAFTS, ["Recorded with record."])
    assert text.startswith('# Recorded with record.\nschema_version: 1\ntitle: {en: "Recorded"}\nimages:\n')
    assert '  # ✗ failed when replayed: a reason\n  - name: {en: "start web", ko: "웹 시작"}\n    task:' in text
    assert '\n\n  - requires: {engine: docker, why: {en: "why", ko: "왜"}}\n    run: docker run -it' in text
    assert '      - send: ""\n      - send: hostname\n      - keys: [ctrl-p, ctrl-q]\n      - expect: eof\n' in text
    assert "    check:\n      - {container: first, state: running}\n      - {volume: data}\n" in text
    assert "    check:\n      container: web\n      env: {VARIABLE_0: a value," in text  # too long for one line
    scenario = parse_scenario(text, "recorded.yaml")
    first, second, third = scenario.steps
    assert first.run == ["docker", "run", "-d", "--name", "web", "{image.ubuntu}", "sleep", "600"]
    assert first.stdout == "^{id:web}$" and first.task == {"en": "start web", "ko": "웹 시작"}
    assert second.exit == 1 and second.ends_with_detach() and second.requires is not None
    assert third.shell == "docker ps -a | grep web" and third.exit == "nonzero" and third.stderr == "^error$"
    order = [line.split(":")[0].strip() for line in text.split("  - requires")[1].splitlines()[1:7]]
    assert order == ["run", "hint", "tty", "- expect", "- send", "- send"]


def test_a_spec_is_written_as_by_hand_and_loads(tmp_path: Path) -> None:
    (tmp_path / "ann").mkdir()
    checks = [GradedDraft("db runs", {"container": "db", "state": "running"}),
              GradedDraft("db holds it", {"exec": {"container": "db", "command": "ls /d"}, "stdout": "^w$"},
                          probe=True, comments=["a hidden-check candidate"])]  # fmt: skip
    text = spec_text("HW — recorded", {"mysql": "mysql:5.7"}, "ann", checks, ["Written."], ["docker commit"])
    assert "\nimages: {mysql: mysql:5.7}\nallow: [docker commit]\nreference: ann\nchecks:\n" in text
    assert "  # a hidden-check candidate\n  - name: db holds it\n    points: 1\n    probe: {exec:" in text
    spec = parse_spec(text, str(tmp_path / "hw.yaml"))
    assert [c.points for c in spec.checks] == [1, 1] and spec.reference == tmp_path / "ann"


def test_a_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    write(target, "a: 1\n")
    write(target, "b: 2\n")
    assert target.read_text() == "b: 2\n" and [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_a_long_text_is_laid_out_as_by_hand_and_reads_back_the_same() -> None:
    words = {"en": "open a shell in a container named first, print its host name, then leave it with exit, and "
                   "then look at what is left behind",
             "ko": "first 라는 컨테이너에서 셸을 열고 호스트 이름을 출력한 뒤 exit 로 나오세요. 그다음 무엇이 남았는지 "
                   "확인하세요"}  # fmt: skip
    shown = "    task: " + text(words, len("    task: "))
    lines = shown.splitlines()
    assert len(lines) >= 3 and lines[1].startswith(" " * 16) and lines[-2].startswith('           ko: "')
    assert all(wcswidth(line) <= WIDTH for line in lines)
    assert yaml.safe_load(shown) == {"task": words}
    assert text({"en": "short"}, 10) == '{en: "short"}'
