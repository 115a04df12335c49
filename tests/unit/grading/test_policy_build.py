"""`docker build` in a submission (policy.py with builds.vet): what it may read is one folder of its workspace
and a Dockerfile inside it; every spelling of what it may not do is refused with its reason. Each line is read
through the grammar of each client alone (20.10, 28.2) and of both merged, as the clients themselves would
read it: grouped short flags, glued values, `--flag=value`, the management spellings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockersim.dockercli import commandline, grammar
from dockersim.grading.submission import read_commands
from dockersim.host.beneath import Refused
from dockersim.i18n.phrase import Phrase, localise

GRAMMARS = sorted(grammar.GRAMMARS.glob("*.json"))


@pytest.fixture(params=[*(p.stem for p in GRAMMARS), "merged"])
def client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each line read by one client's grammar alone, and by the grammar every client's merges into."""
    if request.param != "merged":
        one = grammar.merge([json.loads((grammar.GRAMMARS / f"{request.param}.json").read_text(encoding="utf-8"))])
        monkeypatch.setattr(grammar, "load", lambda: one)
    yield request.param


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A submission's workspace: its Dockerfile at the top, another in app/, a link to the machine's /etc."""
    (tmp_path / "app").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    (tmp_path / "app" / "Dockerfile").write_text("FROM busybox\n")
    (tmp_path / "etc-link").symlink_to("/etc")
    return tmp_path


def vet(line: str, workspace: Path) -> list[str] | str:
    """What runs of the line (`docker …` from the workspace, its paths resolved there), or why it is refused."""
    [read] = read_commands(line, workspace)
    return read.refused or read.argv


@pytest.mark.parametrize(
    "line, runs",
    [
        ("docker build -t app .", ["-t=app", "{ws}"]),
        ("docker build --tag=app --file Dockerfile .", ["--tag=app", "--file={ws}/Dockerfile", "{ws}"]),
        ("docker build -qt app -f app/Dockerfile app", ["-q", "-t=app", "--file={ws}/app/Dockerfile", "{ws}/app"]),
        ("docker build -fapp/Dockerfile app", ["--file={ws}/app/Dockerfile", "{ws}/app"]),
        (
            "docker image build -t app:1 --label course=101 --build-arg V=1 --target final --no-cache .",
            ["-t=app:1", "--label=course=101", "--build-arg=V=1", "--target=final", "--no-cache", "{ws}"],
        ),
        (
            "docker builder build --rm --force-rm --network=default --cache-from busybox .",
            ["--rm", "--force-rm", "--network=default", "--cache-from=busybox", "{ws}"],
        ),
        ("docker buildx build -t app .", ["-t=app", "{ws}"]),
        ("docker build . -t app", ["-t=app", "{ws}"]),  # flags after the context, as the client reads them
        ("docker build ./app/../app", ["{ws}/app"]),
    ],
)
def test_a_build_of_the_submission_s_own_folder_runs(line: str, runs: list[str], workspace: Path,
                                                     client: str) -> None:  # fmt: skip
    ws = str(workspace.resolve())
    assert vet(line, workspace) == ["docker", "image", "build", *(w.format(ws=ws) for w in runs)]


@pytest.mark.parametrize(
    "line, why",
    [
        ("docker build -o type=local,dest=/ .", "--output reads or writes the grading machine's files"),
        ("docker build --output=type=local,dest=/root .", "--output reads or writes"),
        ("docker build -ot=tar,dest=/tmp/x.tar .", "--output reads or writes"),
        ("docker build -qto x .", "docker build takes one context"),  # -q, then -t's value `o`: `x` and `.` left
        ("docker build -qo x .", "--output reads or writes"),  # -q, then -o's value `x`
        ("docker image build -qt x -o type=local,dest=/ .", "--output reads or writes"),
        ("docker build --iidfile /tmp/iid .", "--iidfile reads or writes the grading machine's files"),
        ("docker build --iidfile=/tmp/iid .", "--iidfile reads or writes"),
        ("docker build --metadata-file=/tmp/m.json .", "--metadata-file reads or writes"),
        ("docker build --cache-to type=local,dest=/x .", "--cache-to would read or write a build cache outside"),
        ("docker build --cache-from type=local,src=/ .", "--cache-from takes an image's name"),
        ("docker build --cache-from=/var/lib/docker .", "--cache-from takes an image's name"),
        ("docker build --secret id=s,src=/etc/shadow .", "--secret would lend the build a secret"),
        ("docker buildx build --secret=id=s,src=/etc/shadow .", "--secret would lend"),
        ("docker build --ssh default .", "--ssh would lend the build a secret"),
        ("docker build --build-context etc=/etc .", "--build-context would give the build a second context"),
        ("docker build --network host .", "--network takes only default, not 'host'"),
        ("docker build --network=container:web .", "not 'container:web'"),
        ("docker build --network none .", "not 'none'"),
        ("docker build --pull .", "--pull would pull the base images"),
        ("docker build --push -t x .", "--push would push the image off the grading engine"),
        ("docker build --platform linux/arm64 .", "--platform needs BuildKit or buildx"),
        ("docker build --progress=plain .", "--progress needs BuildKit"),
        ("docker build --build-arg HOME .", "--build-arg takes NAME=VALUE, not 'HOME'"),
        ("docker build --add-host a:10.0.0.1 .", "docker image build --add-host is not allowed"),
        ("docker build --security-opt seccomp=unconfined .", "--security-opt weakens the container's confinement"),
        ("docker build --cgroup-parent=/ .", "--cgroup-parent places the container in the grading machine's"),
        ("docker build https://github.com/docker/getting-started.git", "a build fetches nothing"),
        ("docker build git@github.com:docker/getting-started.git", "a build fetches nothing"),
        ("docker build github.com/docker/getting-started", "a build fetches nothing"),
        ("docker build -f http://example.com/Dockerfile .", "a build fetches nothing"),
        ("docker build -", "reads no context or Dockerfile from stdin"),
        ("docker build -f - .", "reads no context or Dockerfile from stdin"),
        ("docker build -t x - < /etc/shadow", "'<' is shell syntax"),
        ("docker build", "docker build takes one context"),
        ("docker build . app", "docker build takes one context"),
        ("docker build /", "docker image build is not allowed with an absolute path (/)"),
        ("docker build -f /etc/passwd /", "docker image build is not allowed with an absolute path"),
        ("docker build --file=/etc/shadow .", "an absolute path (/etc/shadow)"),
        ("docker build ~/", "an absolute path (~/)"),
        ("docker build ../..", "leads outside the submission's workspace"),
        ("docker build -f ../Dockerfile .", "leads outside the submission's workspace"),
        ("docker build etc-link", "leads outside the submission's workspace"),
        ("docker build -f Dockerfile app", "the Dockerfile Dockerfile is not inside the build's context app"),
        ("docker build -f app .", "skip"),  # a folder as the Dockerfile: inside, and the build says what is wrong
        ("docker builder prune -af", "docker builder prune is not allowed in a submission: it manages"),
        ("docker buildx prune -af", "'buildx prune' is not a docker command"),
        ("docker builder ls", "'builder ls' is not a docker command"),
        ("docker -H tcp://10.0.0.1:2375 build .", "--host would reach another engine"),
    ],
)
def test_every_spelling_of_what_a_build_may_not_do_is_refused_with_its_reason(
    line: str, why: str, workspace: Path, client: str
) -> None:
    found = vet(line, workspace)
    if why == "skip":
        assert isinstance(found, list)
        return
    assert isinstance(found, str) and why in found, found
    assert "\n" not in found and found.strip() == found


def test_a_reason_is_one_sentence_in_each_language(workspace: Path) -> None:
    for line in ("docker build -o type=local,dest=/ .", "docker build --secret id=s,src=/etc/shadow .",
                 "docker build /", "docker build -", "docker build --network host ."):  # fmt: skip
        found = vet(line, workspace)
        assert isinstance(found, Phrase), line
        korean = localise(found, "ko")
        assert korean != str(found) and "\n" not in korean, korean


def test_what_runs_is_the_command_as_vetted_read_the_same_by_the_grammar(workspace: Path, client: str) -> None:
    """The vetted argv, read again, is a build of the same folder with the same options: nothing the client
    would read otherwise (a value taken for a flag, a flag for the context)."""
    argv = vet("docker build -qt app:1 -f app/Dockerfile --build-arg A=-o app", workspace)
    assert isinstance(argv, list)
    cmd = commandline.parse(argv)
    assert cmd is not None and cmd.path == "image build" and cmd.args == (str(workspace.resolve() / "app"),)
    assert cmd.values("--tag") == ["app:1"] and cmd.values("--build-arg") == ["A=-o"] and cmd.flag("--quiet")


def test_the_build_flags_the_clients_hide_are_read() -> None:
    """The 20.10 client hides BuildKit's flags while BuildKit is off, yet takes them; `-o` is --output's."""
    verb = grammar.load().verb("image build")
    assert verb is not None
    for flag in ("--output", "--secret", "--ssh", "--cache-to", "--build-context", "--metadata-file"):
        assert verb.takes_value(flag), flag
    assert verb.long_name("-o") == "--output" and not verb.takes_value("--push")
    assert grammar.load().canonical("buildx build") == "image build"
    assert commandline.image_refs(["docker", "build", "-t", "a", "--tag=b", "."]) == ["a", "b"]
    assert ("image", "a") in commandline.references(["docker", "build", "-t", "a", "."])


def test_a_spec_s_allow_widens_a_build_s_flags_never_what_it_reads(workspace: Path) -> None:
    """`allow:` widens the list for one homework, but a build's context and Dockerfile stay the workspace's."""
    from dockersim.grading.policy import widened

    policy, problems = widened(["docker build --add-host"])
    assert not problems
    assert policy.vet(["docker", "build", "--add-host", "a:10.0.0.1", "."], workspace)[-1] == str(workspace.resolve())
    for line in ("docker build --add-host a:10.0.0.1 /", "docker build --add-host a:10.0.0.1 ../.."):
        with pytest.raises(Refused):
            policy.vet(line.split(), workspace)
