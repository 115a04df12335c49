"""Shared fixtures: the real engine (never skipped: a missing engine fails), both clients, kit images,
and a finalizer that removes whatever the tests left on the engine. Every test that needs the engine is
marked `engine` here, so that scripts/test runs all the others first, before an engine is even started."""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.errors import DockersimError
from dockersim.kit import stand_ins as kit
from dockersim.ownership.inventory import Inventory
from dockersim.run.base import RunOptions
from dockersim.run.results import StepResult
from dockersim.run.runner import ScenarioRun
from dockersim.scenario.loader import parse_scenario

CLIENTS = {"28": "/usr/local/bin/docker", "20": "/usr/bin/docker"}
IMAGES = {
    "busybox": "dockersim/busybox:latest",
    "ubuntu:14.04": "dockersim/ubuntu:14.04",
    "centos:8": "dockersim/centos:8",
}


def available_clients() -> list[str]:
    return [v for v, path in CLIENTS.items() if os.access(path, os.X_OK)]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("DOCKERSIM_TEST_LANE") == "grading" and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # scripts/test starts this lane in the background, whose jobs a shell starts with SIGINT ignored: taken
        # back, so that Ctrl+C ends this lane as it ends the other, each test's teardown done.
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`engine` marks what needs what scripts/ensure-engine provides: every test under tests/integration (by
    where it is, so that a new file there is marked too); elsewhere a test that needs the installed clients
    says so itself (@pytest.mark.engine)."""
    integration = ROOT / "tests" / "integration"
    for item in items:
        if item.path.is_relative_to(integration):
            item.add_marker(pytest.mark.engine)


@pytest.fixture(scope="session")
def engine() -> Iterator[Docker]:
    missing = sorted(set(CLIENTS) - set(available_clients()))
    if os.environ.get("CI") and missing:  # asked here, not at import: the engine-free tests run without them
        pytest.fail(f"CI needs both docker clients; missing {missing} (scripts/ensure-engine installs them)",
                    pytrace=False)  # fmt: skip
    try:
        docker = Docker()
        docker.server_version()
    except DockersimError as e:
        pytest.fail(f"integration tests need a docker engine ({e}); scripts/ensure-engine starts one", pytrace=False)
    before = Inventory.read(docker)
    yield docker
    if os.environ.get("DOCKERSIM_TEST_LANE") == "grading":
        return  # scripts/test's grading lane makes nothing here, and what is new may be the other lane's
    # Remove what the tests made and dockersim did not clean up (a failed test, a --keep test).
    after = Inventory.read(docker)
    new_containers = sorted(after.containers - before.containers)
    if new_containers:
        docker.call(["rm", "-f", "-v", *new_containers], check=False)
    new_volumes = sorted(after.volumes - before.volumes)
    if new_volumes:
        docker.call(["volume", "rm", "-f", *new_volumes], check=False)


@pytest.fixture(scope="session")
def images(engine: Docker) -> dict[str, str]:
    kit.build(engine, sorted(set(IMAGES.values())), lambda _line: None, only_missing=True)
    return IMAGES


@pytest.fixture(scope="session")
def sandbox(engine: Docker) -> Iterator[Sandbox]:
    """The sandbox engine, started for the tests that need it and stopped after (its image cache is kept)."""
    box = Sandbox()
    started = box.up()
    yield box
    if started:
        box.down()


@pytest.fixture(params=available_clients(), ids=lambda v: f"client{v}")
def client(request: pytest.FixtureRequest, engine: Docker) -> Docker:
    return Docker(CLIENTS[request.param])


@pytest.fixture(scope="session")
def podman(engine: Docker, images: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Docker]:
    """podman on a storage of the tests' own (nothing of the machine's podman is reached), holding the kit's
    stand-ins copied from the docker engine. Its run root is short: an attach socket's path under it must
    fit a socket address (108 bytes), or `podman run -i -t` never sees its container end."""
    assert shutil.which("podman"), "the podman tests need podman (scripts/ensure-podman installs it)"
    root = tmp_path_factory.mktemp("podman")
    run_root = tempfile.mkdtemp(prefix="dsim-", dir="/run")
    conf = root / "storage.conf"
    conf.write_text(f'[storage]\ndriver = "overlay"\ngraphroot = "{root}/storage"\nrunroot = "{run_root}"\n')
    podman = Docker("podman", env={"CONTAINERS_STORAGE_CONF": str(conf)})
    kit.copy(engine, podman, sorted(set(images.values())), lambda _line: None)
    yield podman
    # Its containers and images, then its folders (not `system reset`: that would also remove the machine's
    # networks). The storage keeps its overlay folder mounted on itself (a private bind) after podman ends.
    podman.call([*podman.force_remove(), "--all"], check=False, timeout=300)
    podman.call(["rmi", "--all", "--force"], check=False, timeout=300)
    subprocess.run(["umount", str(root / "storage" / "overlay")], capture_output=True, timeout=60)
    shutil.rmtree(root / "storage", ignore_errors=True)
    shutil.rmtree(run_root, ignore_errors=True)


@pytest.fixture(params=[*available_clients(), "podman"], ids=lambda v: v if v == "podman" else f"client{v}")
def any_engine(request: pytest.FixtureRequest, engine: Docker) -> Docker:
    """Each docker client, and podman."""
    if request.param == "podman":
        return request.getfixturevalue("podman")  # type: ignore[no-any-return]
    return Docker(CLIENTS[request.param])


@pytest.fixture
def run_yaml(images: dict[str, str], tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run a scenario given as YAML text with one client; returns its step results (cleanup done)."""

    def run(text: str, client: Docker, **options: object) -> list[StepResult]:
        scenario = parse_scenario(textwrap.dedent(text), str(tmp_path / "scenario.yaml"))
        srun = ScenarioRun(client, scenario, RunOptions(image_map=dict(images), **options))  # type: ignore[arg-type]
        try:
            return list(srun.run_steps())
        finally:
            srun.cleanup()

    return run


ROOT = Path(__file__).parents[1]
IMAGE_MAP = [a for ref, local in IMAGES.items() for a in ("--image-map", f"{ref}={local}")]


def dockersim(*args: str, timeout: float = 600, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m dockersim ARGS` in the project folder, to its end (`env`: variables set besides the tests')."""
    return subprocess.run([sys.executable, "-m", "dockersim", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout, env={**os.environ, **env} if env else None)  # fmt: skip


def start_dockersim(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`python -m dockersim ARGS` in the background, its output unbuffered, for tests that act meanwhile;
    with SIGINT as a terminal or a supervisor gives it (a test run started in the background of a shell has
    it ignored, and a program keeps a signal ignored until it sets its own handler)."""
    return subprocess.Popen([sys.executable, "-m", "dockersim", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})  # fmt: skip


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def describe(results: list[StepResult]) -> str:
    return "\n".join(f"{r.index} {r.outcome.value} {r.name}: {r.reason} {r.details} {r.screen[-6:]}" for r in results)


LEARNER = "dockersim-learner"


def pytest_collection_finish(session: pytest.Session) -> None:
    """The learner's account is made before the first engine test, not by the first test that needs it: the
    tests that watch /etc for what grading might write there may run meanwhile, in the other lane."""
    if not any(item.get_closest_marker("engine") for item in session.items):
        return
    with open(ROOT / "tests" / "conftest.py") as lock:  # two lanes start at once: one useradd
        fcntl.flock(lock, fcntl.LOCK_EX)
        if subprocess.run(["id", LEARNER], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "--create-home", "--groups", "docker", LEARNER], check=True)


@dataclass(frozen=True)
class Learner:
    """A user in the docker group (not root), with dockersim installed by Debian's python in a venv."""

    name: str
    venv: Path
    runtime: Path
    tmp: Path

    def run(self, command: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        """A shell command line as this user, with the venv's bin first on PATH, in /tmp, the runtime folder
        a login gives (XDG_RUNTIME_DIR, where dockersim keeps its leases) and a TMPDIR of its own (the tests'
        is root's, and a run's folders in /tmp would come and go under the tests that watch it)."""
        line = f"cd /tmp && PATH={self.venv}/bin:$PATH XDG_RUNTIME_DIR={self.runtime} TMPDIR={self.tmp} {command}"
        return subprocess.run(["su", self.name, "-c", line], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def learner(engine: Docker) -> Learner:
    name = LEARNER
    account = pwd.getpwnam(name)
    # In the learner's home, which the learner can reach whatever TMPDIR is and no test watches; made with
    # Debian's own python.
    venv = Path(account.pw_dir) / "dockersim-venv"
    runtime = Path("/run/user") / str(account.pw_uid)  # as systemd-logind makes it at a login
    tmp = Path(account.pw_dir) / "tmp"
    # TMPDIR is reached by mmdebstrap's unshared root too (a sub-uid): others may enter it and the home
    # above it, as they may /tmp.
    for folder, mode in ((runtime, 0o700), (Path(account.pw_dir), 0o755), (tmp, 0o755)):
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, account.pw_uid, account.pw_gid)
        folder.chmod(mode)
    env = {**os.environ, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DOCKERSIM_VENV": str(venv)}
    subprocess.run(["bash", "scripts/venv"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(ROOT)], check=True, capture_output=True, timeout=600)  # fmt: skip
    return Learner(name, venv, runtime, tmp)
