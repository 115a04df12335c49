"""The submission allow-list: Eve's 78 escapes refused or kept inside her workspace, a spec's `allow:`,
and a fuzzer that spells mount, engine and namespace options every way the client accepts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockersim.dockercli import commandline
from dockersim.errors import ScenarioError
from dockersim.grading.homework import parse_spec
from dockersim.grading.policy import ALLOWED, Policy
from dockersim.grading.submission import Line, read_commands
from tests.conftest import ROOT

EVE = ROOT / "examples/hw-wordpress/submissions/eve/commands.sh"
# CI runs a fixed budget; bench/fuzz_policy.py runs the same property with DOCKERSIM_FUZZ_EXAMPLES=10000.
EXAMPLES = int(os.environ.get("DOCKERSIM_FUZZ_EXAMPLES", "400"))


def assert_contained(line: Line, workspace: Path) -> None:
    """A line that runs names no global option, only allowed verbs and flags, and host paths in the workspace."""
    if line.refused:
        return
    cmd = commandline.parse(line.argv)
    assert cmd is not None and not cmd.globals, line
    allowed = ALLOWED[cmd.path]
    root = str(workspace.resolve())
    for option in cmd.options:
        assert option.name in allowed or option.name == "--help", (line, option)
    for spec in cmd.values("--volume"):
        source = commandline.bind_source(spec)
        if source and source[0] == "bind":
            assert source[1] == root or source[1].startswith(root + "/"), line
    for spec in cmd.values("--mount"):
        fields = commandline.mount_fields(spec)
        assert not any(k.startswith(("volume-opt", "volume-driver", "bind-propagation")) for k, _ in fields), line
        kinds = [v for k, v in fields if k == "type"] or ["volume"]
        sources = [v for k, v in fields if k in ("source", "src")]
        assert len(kinds) == 1 and len(sources) <= 1, line  # read alike by docker (the last) and podman (the first)
        if (kinds[0] or "").lower() == "bind":  # a source in the workspace: podman binds a missing one's target
            assert sources and sources[0] is not None and (sources[0] == root or sources[0].startswith(root + "/"))
    if cmd.path == "volume create":
        assert not cmd.values("--opt") and set(cmd.values("--driver")) <= {"local"}, line


def test_eve_s_escapes_are_refused_or_contained(tmp_path: Path) -> None:
    lines = read_commands(EVE.read_text(), tmp_path)
    assert len(lines) >= 40
    for line in lines:
        assert_contained(line, tmp_path)
    runs = [line.number for line in lines if line.runs]
    # Each only with /etc, /tmp … re-rooted in her workspace; 84 is refused when it is to run (test_grading),
    # once 83 has made its symlink.
    assert runs == [3, 4, 21, 73, 74, 75, 76, 83, 84], runs
    by_number = {line.number: line for line in lines}
    assert "needs source=HOST_PATH" in by_number[85].refused and "twice" in by_number[86].refused
    assert all(line.refused.strip() and "\n" not in line.refused for line in lines if not line.runs)


def test_a_symlink_a_container_made_is_refused_before_the_next_line_runs(tmp_path: Path) -> None:
    [before] = read_commands("docker run -v /up:/all m ls /all", tmp_path)
    assert before.runs
    (tmp_path / "up").symlink_to("..")  # what `docker run -v /:/w m ln -s .. /w/up` leaves
    [now] = read_commands(before.text, tmp_path)
    assert "leads outside" in now.refused


def test_control_characters_comments_quotes_and_a_bom(tmp_path: Path) -> None:
    forged = 'docker rm "\x00SUBSTrun\x01--privileged\x01m\x00"'  # a forged substitution mark
    assert "control character" in read_commands(forged, tmp_path)[0].refused
    [hashed] = read_commands("\ufeffdocker run -e PASS=ab#c m env  # a comment", tmp_path)
    assert hashed.argv == ["docker", "container", "run", "-e=PASS=ab#c", "m", "env"]
    [quoted] = read_commands("docker run -e PW='pa$$w0rd' m sh -c 'echo $HOME'", tmp_path)
    assert quoted.runs and quoted.argv[-1] == "echo $HOME"
    assert "shell variables" in read_commands('docker run -e A="$HOME" m', tmp_path)[0].refused


def test_a_spec_widens_the_list_for_one_homework(tmp_path: Path) -> None:
    allow = "allow: ['docker commit', 'docker run --cap-add --shm-size']"
    spec = parse_spec(f"schema_version: 1\n{allow}\nchecks: [{{check: {{image: a}}}}]\n", "spec.yaml")
    text = "docker commit c img\ndocker run --cap-add NET_ADMIN -v /etc:/e img\ndocker run --privileged img\n"
    lines = read_commands(text, tmp_path, spec.policy)
    assert [line.runs for line in lines] == [True, True, False]
    assert lines[1].argv[-2] == f"-v={tmp_path.resolve()}/etc:/e"  # widened, still re-rooted
    assert not read_commands("docker commit c img\n", tmp_path)[0].runs  # only for that homework


@pytest.mark.parametrize(
    "allow, words",
    [
        ("['docker frobnicate']", "'frobnicate' is not a docker command"),
        ("['docker run --bogus']", "has no option --bogus"),
        ("['docker -H']", "global options are never allowed"),
        ("['run']", "should start with docker"),
        ("docker run", "allow should be a list"),
    ],
)
def test_bad_allow_entries_name_the_line(allow: str, words: str) -> None:
    text = f"schema_version: 1\nallow: {allow}\nchecks: [{{check: {{image: a}}}}]\n"
    with pytest.raises(ScenarioError, match=words) as e:
        parse_spec(text, "spec.yaml")
    assert e.value.line == 2


# -- the fuzzer ------------------------------------------------------------------------------------

HOST_PATHS = ["/etc", "/", "//etc", "/etc/../etc", "/var/run/docker.sock", "/run/docker.sock", "../..", "./x",
              "~/.ssh", "/tmp", ".", "/proc", "x/../../..", "/var/lib/docker"]  # fmt: skip
HOST = ["host", "HOST", "Host", "container:x", "bridge", "private"]


def _flag(short: str | None, long: str, value: str) -> st.SearchStrategy[list[str]]:
    """Every way to write one option with a value: separate, `=`, glued short, grouped after bool shorts."""
    forms = [[long, value], [f"{long}={value}"]]
    if short:
        forms += [[f"-{short}", value], [f"-{short}{value}"], [f"-{short}={value}"], [f"-dit{short}", value],
                  [f"-d{short}{value}"], [f"-t{short}={value}"]]  # fmt: skip
    return st.sampled_from(forms)


def _mount_value() -> st.SearchStrategy[str]:
    key = st.sampled_from(["type", "TYPE", "Type"])
    src = st.sampled_from(["source", "src", "SOURCE", "Src"])
    kind = st.sampled_from(["bind", "BIND", "volume", "tmpfs", "npipe"])
    extra = st.sampled_from(["", ",volume-driver=local", ",volume-opt=device=/etc", ",VOLUME-OPT=o=bind",
                             ",bind-propagation=rshared", ",readonly", ",type=bind", ",type=volume",
                             ",src=/etc", ",source=vol1"])  # fmt: skip
    return st.builds(
        lambda k, t, s, p, e, q: (f'"{k}={t}"' if q else f"{k}={t}") + (f",{s}={p}" if p else "") + f",target=/m{e}",
        key, kind, src, st.sampled_from([*HOST_PATHS, "vol1", ""]), extra, st.booleans(),
    )  # fmt: skip


def _volume_value() -> st.SearchStrategy[str]:
    return st.builds(lambda p, m: f"{p}:/m{m}", st.sampled_from(HOST_PATHS + ["vol1", "h"]),
                     st.sampled_from(["", ":ro", ":rshared", ":z", ":ro,Z"]))  # fmt: skip


OPTIONS = st.one_of(
    _volume_value().flatmap(lambda v: _flag("v", "--volume", v)),
    _mount_value().flatmap(lambda v: _flag(None, "--mount", v)),
    st.tuples(
        st.sampled_from(["--pid", "--ipc", "--uts", "--userns", "--network", "--net", "--cgroupns"]),
        st.sampled_from(HOST),
    ).flatmap(lambda fv: _flag(None, fv[0], fv[1])),  # fmt: skip
    st.sampled_from(
        [
            ["--privileged"],
            ["--privileged=true"],
            ["--cap-add", "ALL"],
            ["--device=/dev/sda"],
            ["--volume-driver", "local"],
            ["--use-api-socket"],
            ["--env-file", "/etc/environment"],
            ["--security-opt=seccomp=unconfined"],
            ["-d"],
            ["--rm"],
            ["-it"],
            ["-p", "8080:80"],
            ["--name", "web"],
            ["-e", "A=1"],
        ]
    ),  # fmt: skip
)
GLOBALS = st.sampled_from([*[[]] * 8, ["-Hunix:///var/run/docker.sock"], ["-H", "tcp://127.0.0.1:2375"],
                           ["--host=unix:///run/docker.sock"], ["-cprod"], ["--context", "prod"], ["-Dc", "x"],
                           ["--config", "/root/.docker"]])  # fmt: skip
VERBS = st.sampled_from([["run"], ["container", "run"], ["create"], ["container", "create"]])
VOLUME_CREATE = st.tuples(
    st.sampled_from([["volume", "create"]]),
    st.lists(
        st.one_of(
            st.builds(lambda v: v, _flag("o", "--opt", "device=/etc")),
            _flag("d", "--driver", "local"),
            _flag("d", "--driver", "vieux/sshfs"),
            _flag(None, "--label", "a=b"),
        ),
        max_size=3,
    ),  # fmt: skip
)


@st.composite
def hostile_lines(draw: st.DrawFn) -> str:
    words = ["docker", *draw(GLOBALS)]
    if draw(st.integers(0, 4)) == 0:
        verb, options = draw(VOLUME_CREATE)
        flat = [w for o in options for w in o]
        at = draw(st.integers(0, len(flat)))
        words += [*verb, *flat[:at], "vol1", *flat[at:]]  # flags may follow the name: volume create allows it
    else:
        words += draw(VERBS)
        for option in draw(st.lists(OPTIONS, min_size=1, max_size=4)):
            words += option
        words += ["img", "sh"]
    line = " ".join(f"'{w}'" if any(c in w for c in ' "*') else w for w in words)
    if draw(st.booleans()):
        line = line.replace(" -", " \\\n  -", 1)  # a continuation line
    return line


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_lines())
def test_every_spelling_is_refused_or_stays_inside(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    workspace = tmp_path_factory.getbasetemp() / "ws"
    workspace.mkdir(exist_ok=True)
    for line in read_commands(text, workspace, Policy()):
        assert_contained(line, workspace)
