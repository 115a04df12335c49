"""A submission's build as it is about to run (builds.stage): its context copied from the workspace to where
no container reaches, links that lead out left behind, its Dockerfile read from the copy and refused when a
RUN step asks for BuildKit's options; what the build prints says the context as the student named it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockersim.grading import builds
from dockersim.grading.submission import copy_files, read_commands
from dockersim.host.beneath import Refused

SECRET = "root:$6$not-for-students:19000:0:99999:7:::"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "app" / "www").mkdir(parents=True)
    (ws / "app" / "Dockerfile").write_text("FROM busybox AS b\nCOPY www /www\nFROM ubuntu:14.04\n")
    (ws / "app" / "www" / "index.html").write_text("hi\n")
    return ws


def staged(line: str, workspace: Path, tmp_path: Path) -> builds.Staged:
    [read] = read_commands(line, workspace)
    assert read.runs, read.refused
    return builds.stage(read.argv, workspace, tmp_path / "stage", None)


def test_the_context_is_copied_and_the_build_reads_the_copy(workspace: Path, tmp_path: Path) -> None:
    found = staged("docker build -qt web:1 --build-arg A=1 -f app/Dockerfile app", workspace, tmp_path)
    try:
        assert found.context.parent.parent == tmp_path / "stage" and (found.context / "www" / "index.html").is_file()
        assert found.file == found.context / "Dockerfile" and found.tags == ["web:1"]
        assert found.bases == ["busybox", "ubuntu:14.04"] and found.written == "app"
        assert found.argv(("--format=docker",)) == [
            "docker", "image", "build", "-q", "-t=web:1", "--build-arg=A=1", f"--file={found.file}",
            "--format=docker", "--", str(found.context),
        ]  # fmt: skip
        notice = "DEPRECATED: The legacy builder is deprecated.\n  BuildKit is currently disabled.\n\n"
        said = found.said(f"lstat {found.context}/x: no such file\n{notice}Successfully built 1\n")
        assert said == "lstat app/x: no such file\nSuccessfully built 1\n"
    finally:
        found.remove()
    assert not found.context.exists()


def test_a_link_to_the_machine_s_file_is_not_in_the_copy(workspace: Path, tmp_path: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text(SECRET)
    (workspace / "app" / "stolen").symlink_to(secret)
    (workspace / "app" / "root").symlink_to("/")
    found = staged("docker build app", workspace, tmp_path)
    try:
        assert not (found.context / "stolen").exists() and not (found.context / "root").exists()
        assert SECRET not in "".join(p.read_text() for p in found.context.rglob("*") if p.is_file())
    finally:
        found.remove()


@pytest.mark.parametrize(
    "dockerfile, why",
    [
        ("FROM busybox\nRUN --mount=type=bind,source=/,target=/h cat /h/etc/shadow\n",
         "Dockerfile:2: RUN --mount is BuildKit's"),
        ("# escape=`\nFROM busybox\nRUN `\n --network=host wget x\n", "Dockerfile:3: RUN --network is BuildKit's"),
        ("FROM busybox\nONBUILD RUN --security=insecure id\n", "RUN --security is BuildKit's"),
    ],
)  # fmt: skip
def test_a_run_step_asking_for_buildkit_s_options_is_refused(dockerfile: str, why: str, workspace: Path,
                                                             tmp_path: Path) -> None:  # fmt: skip
    (workspace / "app" / "Dockerfile").write_text(dockerfile)
    with pytest.raises(Refused, match=why):
        staged("docker build app", workspace, tmp_path)
    assert list((tmp_path / "stage").iterdir()) == []  # nothing left of the copy


def test_what_cannot_be_read_as_it_runs_is_refused(workspace: Path, tmp_path: Path) -> None:
    (workspace / "shadow.Dockerfile").symlink_to("/etc/shadow")
    [line] = read_commands("docker build -f shadow.Dockerfile .", workspace)
    assert "leads outside" in line.refused  # vetted: the link resolves out of the workspace
    [line] = read_commands("docker build -f app/Missing app", workspace)
    with pytest.raises(Refused, match="has no Dockerfile Missing"):
        builds.stage(line.argv, workspace, tmp_path / "stage", None)
    [line] = read_commands("docker build app", workspace)
    (workspace / "app" / "Dockerfile").write_bytes(b"#" * (builds.DOCKERFILE_CAP + 1))
    with pytest.raises(Refused, match="larger than 1024 KiB"):
        builds.stage(line.argv, workspace, tmp_path / "stage", None)
    # The context swapped for a link after it was vetted (a container at work in the workspace).
    (workspace / "app").rename(workspace / "gone")
    (workspace / "app").symlink_to("/etc")
    with pytest.raises(Refused, match="is no folder of the submission's workspace"):
        builds.stage(line.argv, workspace, tmp_path / "stage", None)
    assert (workspace / "gone" / "Dockerfile").is_file() and list((tmp_path / "stage").iterdir()) == []
    (workspace / "app").unlink()
    with pytest.raises(Refused, match="is no folder of the submission's workspace"):
        builds.stage(line.argv, workspace, tmp_path / "stage", None)


def test_a_submission_s_files_reach_its_workspace_without_its_links_out(tmp_path: Path) -> None:
    folder, workspace = tmp_path / "alice", tmp_path / "ws"
    (folder / "site").mkdir(parents=True)
    (folder / "site" / "Dockerfile").write_text("FROM busybox\n")
    (folder / "commands.sh").write_text("docker build site\n")
    (folder / "secret").symlink_to("/etc/shadow")
    (folder / "inner").symlink_to("site/Dockerfile")
    workspace.mkdir()
    notes = copy_files(folder, workspace, None)
    assert (workspace / "site" / "Dockerfile").is_file() and (workspace / "inner").is_symlink()
    assert not (workspace / "secret").exists() and not (workspace / "secret").is_symlink()
    assert notes == ["1 link(s) of the submission lead out of it and were not copied to its workspace: secret"]
    assert "/etc/shadow" not in " ".join(notes)
