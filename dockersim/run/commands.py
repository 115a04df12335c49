"""A docker command as it runs for a run: placeholders put in, vetted on an engine the run shares,
bounded on a grading one, its bind sources made, and what it creates labelled as the run's."""

from __future__ import annotations

import os
import shutil

from dockersim.dockercli import commandline
from dockersim.i18n.phrase import Phrase, localise, said, say
from dockersim.ownership.inventory import anonymous_volumes_of
from dockersim.ownership.labels import LABEL_KEY
from dockersim.run.base import NotHere, StepFailed
from dockersim.run.values import Values
from dockersim.scenario.model import Step


class Commands(Values):
    """Docker command lines made ready to run."""

    def _argv(self, step: Step, deadline: float, tty: bool = False) -> list[str]:
        assert step.run is not None
        words = [self.resolve(w, deadline=None) for w in step.run]
        if words[0] != "docker":
            if shutil.which(words[0]) is None:  # a host program the step names, not the engine, is missing
                raise StepFailed(say("program_missing", self.options.lang, program=words[0]))
            return words
        if tty and self.docker.configured_detach_keys() not in ("", commandline.DEFAULT_DETACH_KEYS):
            # The learner's client detaches on other keys: the step's are the tutorial's, given by name.
            words = commandline.with_detach_keys(words, commandline.DEFAULT_DETACH_KEYS)
        try:
            return self.docker_argv(words)
        except NotHere as e:
            raise StepFailed(localise(said(e), self.options.lang)) from None

    def docker_argv(self, words: list[str]) -> list[str]:
        """A docker command as it runs for this run: passed by the placement's vet (NotHere when it may not
        run on this engine), its bind sources made, and what it creates owned (owned_argv)."""
        if self.placement.vet is not None:
            words = self.placement.vet(words)
        limits = self.placement.limits
        if limits is not None and commandline.creates_container(words):
            only = [] if self.placement.everything_owned else ["--filter", f"label={LABEL_KEY}={self.ownership.run_id}"]
            if len(self.docker.call(["ps", "-a", "-q", *only]).stdout.split()) >= limits.containers:
                raise NotHere(Phrase("r_containers_limit", n=limits.containers))
            if self.placement.each_container:
                words = commandline.with_container_options(words, self.placement.each_container)
        self._make_bind_sources(words)
        return self.owned_argv(words)

    def owned_argv(self, words: list[str]) -> list[str]:
        """A docker command line as it runs for this run: what it creates carries the run's labels, and a
        volume it makes by name is noted first (`-v NAME:/path` cannot carry a label)."""
        created = commandline.created_names(words)
        self.ownership.note_volumes({n for k, n in created if k == "volume" and n not in self.volumes_before})
        self.ownership.made_networks = self.ownership.made_networks or any(k == "network" for k, _ in created)
        return self.docker.argv(commandline.with_label(words, self.ownership.labels)[1:])

    def _make_bind_sources(self, words: list[str]) -> None:
        """The bind sources of a docker command that do not exist yet, made before it runs where the engine
        would not make them as the run needs: in a grading workspace, by the engine's own (make_sources); under
        the scratch directory, as the learner (docker would make it as root, and a learner who is not root
        could not write into it afterwards)."""
        if self.placement.make_sources is not None and self.placement.workspace is not None:
            self.placement.make_sources(self.placement.workspace, commandline.bind_sources(words, mounts=False))
        if self._workdir is None:
            return
        root = os.path.realpath(self._workdir)
        for source in commandline.bind_sources(words):
            path = os.path.realpath(source)
            if path.startswith(root + os.sep) and not os.path.exists(path):
                os.makedirs(path, exist_ok=True)

    def _note_anonymous_volumes(self, step: Step) -> None:
        """Before a step that may remove our containers, remember their anonymous volumes: `docker rm`
        without -v leaves them behind, unlabelled."""
        removes = step.shell is not None or (step.run is not None and commandline.removes_containers(step.run))
        if not removes:
            return
        made = anonymous_volumes_of(lambda argv: self.docker.call(argv, check=False).stdout, self.ownership.run_id)
        self.ownership.note_volumes(made)
