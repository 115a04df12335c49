"""Grading a batch of submissions: its folders checked, its engines (sandboxes and contexts) started, its
--out folder held, the pool run."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from dockersim.checks.vocabulary import bare
from dockersim.engine.client import Docker
from dockersim.engine.connect import is_endpoint, parse_engine
from dockersim.engine.sandbox.sandbox import Sandbox
from dockersim.errors import DockersimError
from dockersim.grading.contexts import ContextEngine
from dockersim.grading.engines import UNBOUNDED_ENV, GradingEngine, SandboxEngine
from dockersim.grading.homework import Spec
from dockersim.grading.pool import Pool
from dockersim.host import leases
from dockersim.host.leases import Lease
from dockersim.i18n.phrase import Phrase
from dockersim.kit import stand_ins as kit
from dockersim.ownership.reaping import reap_dead
from dockersim.ownership.run import Ownership


def sandbox_engine(grader: Docker) -> str:
    """What runs the sandboxes' containers: podman for a podman grader, else dockerd."""
    return grader.flavour.sandbox


def grade_all(spec: Spec, folders: list[Path], jobs: int, out: Path, docker_bin: str,
              progress: Callable[[str], None], lang: str = "en", contexts: Sequence[str] = ()) -> Pool:  # fmt: skip
    """Grade each folder on the pool: `jobs` sandbox engines and the engines `contexts` name, one submission
    at a time each; the grades in the folders' order, and what each engine did."""
    # The grading engines are this run's: if it dies, its reaper stops them (ownership.py).
    grader = Docker(docker_bin)
    run = Ownership(grader)  # if the run dies (its journal is not closed), the reaper ends them
    workspaces = (out / "workspaces").resolve()  # for engines reached through contexts
    leftovers = reap_dead()
    if leftovers:
        progress(Phrase("reaped", items=", ".join(leftovers)))
    config = (out / ".docker-config").resolve()
    kind = sandbox_engine(grader)
    if kind == "podman" and jobs and any("health" in getattr(bare(c.check), "fields", {}) for c in spec.checks):
        progress(Phrase("pool_podman_health"))
    sandboxes = min(jobs, len(folders))
    # Unbounded only to measure what the bounds cost (bench/neighbours.py); never for a course's grading.
    limits = None if os.environ.get(UNBOUNDED_ENV) == "1" else spec.limits.for_jobs(sandboxes)
    engines: list[GradingEngine] = [SandboxEngine(index, config / "sandbox", docker_bin, run, kind, limits, progress)
                                    for index in range(sandboxes)]  # fmt: skip
    for value in contexts:
        context, host = parse_engine(value)
        engines.append(ContextEngine(context, host, docker_bin, limits and spec.limits, workspaces))
    pool = Pool(spec, folders, lang, progress)
    pool.kit_source = kit.source(grader)  # the kit's images, copied from there rather than built
    if pool.kit_source is not None and jobs:  # built there once when missing, rather than in every sandbox
        try:
            kit.build(pool.kit_source, [r.tag for r in kit.RECIPES.values() if r.stands_for], progress,
                      only_missing=True)  # fmt: skip
        except kit.KitError as e:  # each engine builds what it lacks, as without a source
            progress(str(e))
    pool.grade(engines)
    run.close()
    return pool


def _take_out(out: Path) -> Lease:
    """The --out folder, the run's alone while it writes there (its workspaces, gradebook, feedback)."""
    out.mkdir(parents=True, exist_ok=True)
    folder = out.resolve()
    name = "out-" + hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    lease = leases.try_take(name, out=str(folder), pid=os.getpid(), what="grade")
    if lease is None:
        raise DockersimError(Phrase("out_in_use", out=out, pid=leases.holder(name).get("pid", "?")))
    return lease


@contextlib.contextmanager
def graded(spec: Spec, folders: list[Path], jobs: int, out: Path, docker_bin: str, progress: Callable[[str], None],
           lang: str = "en", contexts: Sequence[str] = ()) -> Iterator[Pool]:  # fmt: skip
    """`dockersim grade`: the folders and engines checked before any engine starts, then graded; the --out
    folder is the run's alone while the caller writes the grades there (inside the `with`)."""
    for p in folders:
        if not p.is_dir():
            raise DockersimError(f"{p}: a submission should be a folder named after the student")
    if len({p.name for p in folders}) != len(folders):
        raise DockersimError("two submissions have the same folder name")
    names = [parse_engine(value)[0] for value in contexts]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:  # one submission at a time per engine
        raise DockersimError(f"--engine {twice[0]} is named twice")
    grader = Docker(docker_bin)  # the binary exists
    for name in (n for n in names if not is_endpoint(n)):
        if grader.call(["context", "inspect", name], check=False).status != 0:
            raise DockersimError(f"--engine {name}: there is no docker context of that name (docker context ls)")
    if jobs:
        Sandbox(isolated=True, engine=sandbox_engine(grader)).check_can_run()
    elif not contexts:
        raise DockersimError("no engine to grade on: --jobs 0 needs at least one --engine")
    lease = _take_out(out)  # no other grade run writes there meanwhile
    try:
        yield grade_all(spec, folders, jobs, out, docker_bin, progress, lang, contexts)
    finally:
        lease.release()
