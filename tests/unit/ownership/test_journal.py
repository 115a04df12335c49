"""A run's journal (ownership/journal.py): entries written and read back, in the line shapes older journals
have; a line cut short when a run died, and lines of kinds not known here, passed over; and which journals
are a dead run's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.ownership import journal
from dockersim.ownership.journal import Dir, Done, Header, Image, Registry, Sandbox, Tag, Volumes
from dockersim.ownership.labels import owner_id

ENTRIES: list[journal.Entry] = [
    Header("r1", "host/boot/1/2", "/usr/bin/docker", "ctx", {"DOCKER_HOST": "unix:///run/x.sock"}),
    Volumes(("a", "b")),
    Dir("/tmp/dockersim-r1"),
    Tag("busybox:latest", "sha256:ab12"),
    Image("127.0.0.1:5959/library/centos:8"),
    Sandbox("default-1", 1),
    Registry("127.0.0.1", 5959),
    Volumes(("c",)),
    Done(),
]


def test_entries_written_are_read_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "r1.jsonl"
    for entry in ENTRIES:
        journal.append(path, entry)
    read = journal.read(path)
    assert read.entries == ENTRIES and read.path == path
    assert read.header == ENTRIES[0] and read.done
    assert read.of(Tag) == [Tag("busybox:latest", "sha256:ab12")] and read.of(Sandbox) == [Sandbox("default-1", 1)]
    assert read.volumes() == {"a", "b", "c"}  # every Volumes entry's, the shim's too


def test_the_lines_keep_the_shape_older_journals_have() -> None:
    """A journal outlives the dockersim that wrote it: these lines are what a reaper after an upgrade reads."""
    assert journal.line(Header("r1", "o", "docker", None, {})) == (
        '{"run": "r1", "owner": "o", "docker": "docker", "context": null, "env": {}}\n'
    )
    assert journal.line(Volumes(("b", "a"))) == '{"volumes": ["a", "b"]}\n'  # sorted
    assert journal.line(Tag("busybox")) == '{"tag": "busybox", "was": ""}\n'
    assert journal.line(Done()) == '{"done": true}\n'
    assert journal.parse('{"run": "r0", "owner": "o"}') == Header("r0", "o")  # before docker, context and env
    assert journal.parse('{"sandbox": "default-2", "slot": 2}') == Sandbox("default-2", 2)


def test_a_line_cut_short_when_the_run_died_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "r1.jsonl"
    for entry in ENTRIES[:3]:
        journal.append(path, entry)
    full = path.read_text()
    for cut in range(1, len(journal.line(ENTRIES[3])) - 1):  # the fourth entry, torn at every byte
        path.write_text(full + journal.line(ENTRIES[3])[:cut])
        read = journal.read(path)
        assert read.entries == ENTRIES[:3] and not read.done, cut
    path.write_bytes(full.encode() + b'{"dir": "/tmp/\xff\xfe')  # torn inside a character
    assert journal.read(path).entries == ENTRIES[:3]


@pytest.mark.parametrize(
    "text",
    [
        '{"future_kind": "x"}',  # a kind a later dockersim writes
        "[1, 2]",
        '"done"',
        "",
        '{"sandbox": "default-1"}',  # its slot missing
        '{"volumes": 3}',
        '{"volumes": null}',
    ],
)
def test_a_line_of_no_kind_known_here_is_passed_over(text: str, tmp_path: Path) -> None:
    assert journal.parse(text) is None
    path = tmp_path / "r1.jsonl"
    path.write_text(journal.line(ENTRIES[0]) + text + "\n" + journal.line(Dir("/tmp/x")))
    assert journal.read(path).entries == [ENTRIES[0], Dir("/tmp/x")]


def test_a_known_kind_with_keys_of_a_later_dockersim_is_read() -> None:
    assert journal.parse('{"tag": "busybox", "was": "sha256:1", "engine": "podman"}') == Tag("busybox", "sha256:1")


def test_a_journal_without_its_header_has_an_empty_one(tmp_path: Path) -> None:
    path = tmp_path / "r1.jsonl"
    journal.append(path, Volumes(("v",)))
    read = journal.read(path)
    assert read.header == Header("", "") and not read.done and read.volumes() == {"v"}


def test_a_header_names_how_to_reach_the_engine_again() -> None:
    docker = Docker("sh", context="prod", env={"DOCKER_HOST": "ssh://grader@x", "HOME": "/nowhere"})
    header = Header.of("r1", "o", docker)
    assert (header.run, header.owner, header.docker, header.context) == ("r1", "o", shutil.which("sh"), "prod")
    assert header.env["DOCKER_HOST"] == "ssh://grader@x" and "HOME" not in header.env


def test_dead_runs_are_those_whose_owner_is_gone_and_that_did_not_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    runs = tmp_path / "dockersim" / "runs"
    runs.mkdir(parents=True)
    alive = owner_id()
    host, boot, pid, _start = alive.split("/")
    owners = {
        "ours": alive,  # this process: alive
        "gone": f"{host}/{boot}/{pid}/0",  # this pid, started at another time: its owner is gone
        "rebooted": f"{host}/another-boot/{pid}/1",
        "elsewhere": "another-host/boot/1/1",  # cannot be told from here: left alone
        "finished": f"{host}/{boot}/{pid}/0",
    }
    for name, owner in owners.items():
        journal.append(runs / f"{name}.jsonl", Header(name, owner))
    journal.append(runs / "finished.jsonl", Done())
    assert sorted(j.header.run for j in journal.dead()) == ["gone", "rebooted"]
    assert not (runs / "finished.jsonl").exists()  # a finished run's journal is removed when found
    assert {p.stem for p in runs.glob("*.jsonl")} == {"ours", "gone", "rebooted", "elsewhere"}


def test_no_state_folder_is_no_dead_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "none"))
    assert list(journal.dead()) == []
