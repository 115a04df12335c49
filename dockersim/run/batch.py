"""A batch of scenarios on one engine, as `dockersim run` does it: the engine (yours, a context, or the
sandbox), leftovers of dead runs removed, the name-clash check, stand-ins for images that cannot be pulled
(that set-up, `prepared`, is practice's too), each scenario run and cleaned up, and one RunReport. Events go
to whoever listens; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from dockersim.engine.client import Docker
from dockersim.engine.sandbox.network import REGISTRY_ADDRESS
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.engine.sandbox.slots import claim
from dockersim.errors import DockersimError
from dockersim.host.interrupts import Interrupted
from dockersim.host.leases import Lease
from dockersim.i18n.phrase import Phrase, said
from dockersim.ownership.inventory import remove_named
from dockersim.ownership.reaping import reap_dead
from dockersim.ownership.run import Ownership
from dockersim.run.base import RunOptions
from dockersim.run.results import RunReport, ScenarioResult, StepResult
from dockersim.run.runner import ScenarioRun, existing_names
from dockersim.scenario.model import Scenario
from dockersim.yamlfile.texts import pick


class Events(Protocol):
    def scenario_started(self, title: str, path: str) -> None: ...

    def step(self, result: StepResult) -> None: ...

    def progress(self, line: str) -> None: ...


@dataclass
class Plan:
    """Where and how a batch runs."""

    options: RunOptions = field(default_factory=RunOptions)
    docker_bin: str = "docker"
    context: str | None = None
    sandbox: bool = False  # on the private sandbox engine (root, Linux)
    offline: bool = False  # the kit's stand-ins for every image, built when missing
    replace: bool = False  # remove existing objects whose names the scenarios create


@dataclass
class Engine:
    docker: Docker
    registry_host: str  # where the kit registry listens: an address the engine reaches
    lease: Lease | None = None  # the sandbox slot the run holds (its reaper holds it too)


@contextmanager
def engine(plan: Plan, say: Callable[[str], None] = lambda _line: None) -> Iterator[Engine]:
    """The engine a plan names, answering; a sandbox this call started is stopped after (its images stay)."""
    if not plan.sandbox:
        docker = Docker(plan.docker_bin, plan.context)
        docker.server_version()
        yield Engine(docker, "127.0.0.1")
        return
    if plan.context:
        raise DockersimError(Phrase("engine_named_twice"))
    Sandbox().check_can_run()
    # A sandbox of the run's own while it runs: another run at once takes another (default-1 …).
    claimed = claim("run", say, wait=0.0)
    box = claimed.box
    try:
        started = box.up()
        try:
            docker = Docker(plan.docker_bin, None, {"DOCKER_HOST": box.docker_host, "DOCKER_CONTEXT": ""})
            docker.server_version()
            plan.options.engine_host = box.engine_host
            plan.options.allow_destructive = True  # the sandbox holds nothing but what this run makes
            yield Engine(docker, REGISTRY_ADDRESS, claimed.lease)
        finally:
            if started:
                box.down()
    finally:
        claimed.lease.release()


@dataclass
class Ready:
    """An engine prepared for a batch: the client, and the Ownership of what the batch makes on it."""

    docker: Docker
    ownership: Ownership


@contextmanager
def prepared(
    scenarios: list[Scenario],
    plan: Plan,
    say: Callable[[str], None],
    on_engine: Callable[[Docker], None] = lambda _docker: None,
) -> Iterator[Ready]:
    """The engine a plan names, made ready for these scenarios, as `run` and `practice` both begin: dead runs'
    leftovers removed, the names the scenarios make free (or, with --replace, their holders removed; on_engine
    is told then), an Ownership with the sandbox's lease, and stand-ins served for the images that cannot be
    pulled (plan.options.image_map). When the block ends, or a signal stops it, the Ownership is closed; on
    another error it is left to its reaper, which removes what the batch left."""
    with engine(plan, say) as eng:
        docker = eng.docker
        leftovers = reap_dead()
        if leftovers:
            say(Phrase("reaped", items=", ".join(leftovers)))
        clashes = existing_names(docker, scenarios)
        if clashes and not plan.replace:
            raise DockersimError(Phrase("clash", items=", ".join(clashes)))
        remove_named(docker, clashes)
        on_engine(docker)
        ownership = Ownership(docker)
        if eng.lease is not None:
            ownership.hold(eng.lease)  # if the run dies, the slot stays taken until its reaper is done
        try:
            with ExitStack() as stack:
                options = plan.options
                refs = {ref for s in scenarios for ref in s.images.values()} - set(options.image_map)
                if not plan.offline:
                    refs = unpullable(docker, refs, say)
                if refs:
                    from dockersim.kit import (
                        stand_ins as kit,  # the registry and the builds load only when a run needs them
                    )

                    stand_ins = stack.enter_context(kit.offline(docker, refs, say, eng.registry_host, ownership))
                    options.image_map = {**stand_ins, **options.image_map}
                yield Ready(docker, ownership)
        except Interrupted:
            ownership.close()
            raise
        ownership.close()


def run_scenarios(scenarios: list[Scenario], plan: Plan, events: Events) -> RunReport:
    """Run every scenario, each cleaned up after itself. Interrupted stops it: the report says which signal."""
    report = RunReport(engine={})

    def engine_ready(docker: Docker) -> None:
        report.engine = {"client": docker.client_version(), "server": docker.server_version(),
                         "binary": docker.binary}  # fmt: skip

    try:
        with prepared(scenarios, plan, events.progress, engine_ready) as ready:
            for scenario in scenarios:
                _run_one(ready.docker, scenario, plan.options, ready.ownership, report, events)
    except Interrupted as e:
        if not report.engine:  # before the engine was ready: there is no run to report
            raise
        report.interrupted = e.signum
    return report


def _run_one(
    docker: Docker, scenario: Scenario, options: RunOptions, ownership: Ownership, report: RunReport, events: Events
) -> None:
    title = pick(scenario.title, options.lang)
    result = ScenarioResult(scenario.path, title)
    report.scenarios.append(result)
    events.scenario_started(title, scenario.path)
    srun = ScenarioRun(docker, scenario, options, ownership)
    try:
        for step in srun.run_steps():
            result.steps.append(step)
            events.step(step)
    finally:
        _finish(srun, options, report)


def _finish(srun: ScenarioRun, options: RunOptions, report: RunReport) -> None:
    """Remove (or, with --keep, list) what the scenario made; an engine that went away is said, not raised.
    A signal to stop that comes while it cleans up asks for what it is doing: the rest is removed, then the
    run stops (a later signal ends it at once, and its reaper removes what is left)."""
    try:
        if options.keep:
            made = srun.created()
            report.kept += [f"container {c[:12]}" for c in sorted(made.containers)]
            report.kept += [f"volume {v}" for v in sorted(made.volumes)]
        else:
            report.removed += srun.cleanup()
    except Interrupted:
        if not options.keep:
            try:
                report.removed += srun.cleanup()
            except DockersimError as e:
                report.notes.append(Phrase("not_removed", path=srun.scenario.path, error=said(e)))
        raise
    except DockersimError as e:
        report.notes.append(Phrase("not_removed", path=srun.scenario.path, error=said(e)))


def unpullable(docker: Docker, refs: set[str], progress: Callable[[str], None]) -> set[str]:
    """The images that are neither on the engine nor to be pulled, and that the kit can stand in for."""
    from dockersim.kit import stand_ins as kit

    stand_ins = kit.stand_in_map()
    out = set()
    for ref in sorted(refs):
        if docker.call(["image", "inspect", ref], check=False).status == 0:
            continue
        progress(Phrase("pulling", ref=ref))
        pulled = docker.call(["pull", ref], check=False, timeout=900)
        if pulled.status == 0:
            continue
        why = (pulled.stderr.strip().splitlines() or ["no answer"])[-1]
        if ref in stand_ins:
            progress(Phrase("pull_stand_in", ref=ref, why=why, stand_in=stand_ins[ref]))
            out.add(ref)
        else:
            progress(Phrase("pull_failed", ref=ref, why=why))
    return out
