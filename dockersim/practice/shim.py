"""`docker` in a practice shell, first on its PATH: the learner's command goes to the real client with the
practice's labels on what it creates, the volumes it names noted in the run's journal (they carry no
label), the chapter's image names mapped to their stand-ins where the grammar expects an image (when the
engine cannot pull them), prunes and scripted listings (`$(docker ps -a -q)`) kept to what the practice
made, and removals (rm, stop, kill, rmi, volume rm, network rm) of anything else refused unless
--allow-destructive: no command typed in practice touches the learner's own objects. A command the grammar
does not know (a plugin such as compose) is refused, since what it made could not be found to clean up.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

from dockersim.dockercli import commandline
from dockersim.i18n.phrase import Phrase, localise
from dockersim.ownership import journal
from dockersim.ownership.journal import Volumes
from dockersim.ownership.labels import LABEL_KEY

ENV = "DOCKERSIM_SHIM"  # JSON: {"docker", "labels", "images", "journal", "destructive"}
# What the shim says of another's object it will not remove, by the tool it serves (config "tool"); a
# recording refuses prunes as well, rather than keeping them to what it made: its step could not be replayed so.
NOT_OURS = {"practice": "shim_not_ours", "record": "rec_shim_not_ours"}
REMOVES = {"container rm": "container", "container stop": "container", "container kill": "container",
           "volume rm": "volume", "network rm": "network", "image rm": "image"}  # fmt: skip


class Refused(Exception):
    """A command practice does not pass on, in one sentence."""


def rewrite(argv: list[str], labels: list[str], images: dict[str, str], scripted: bool,
            destructive: bool = False) -> list[str]:  # fmt: skip
    """The command as the real client gets it. `scripted`: its output goes to a pipe, not a person;
    `destructive`: prunes and scripted listings may reach beyond what practice made."""
    try:
        cmd = commandline.parse(argv)
    except commandline.CommandLineError as e:
        raise Refused(Phrase("shim_unknown", error=e.args[0])) from None
    if cmd is None:
        return argv
    if images:  # only where the grammar expects an image (`docker port wordpress` names a container)
        at = set(commandline.image_words(argv))
        argv = [images.get(w, w) if i in at else w for i, w in enumerate(argv)]
    argv = commandline.with_label(argv, labels)
    run = _run_label(labels)
    quiet_listing = cmd.path == "container ls" and cmd.flag("--quiet") and scripted
    if not destructive and (cmd.path in commandline.PRUNES or quiet_listing):
        argv = [*argv[: cmd.options_at], "--filter", f"label={run}", *argv[cmd.options_at :]]
    return argv


def _run_label(labels: list[str]) -> str:
    return next(label for label in labels if label.startswith(f"{LABEL_KEY}="))


def strangers(real: str, argv: list[str], labels: list[str], images: dict[str, str], journal: str) -> list[str]:
    """What a removing command names that this practice did not make ('container web', …)."""
    cmd = commandline.parse(argv)
    kind = REMOVES.get(cmd.path) if cmd else None
    if cmd is None or kind is None or not cmd.args:
        return []
    import subprocess

    run = _run_label(labels).partition("=")[2]
    if kind == "image":  # the stand-ins' registry names are the run's own tags; what it built carries its label
        label = f'{{{{index .Config.Labels "{LABEL_KEY}"}}}}'
        return [f"image {a}" for a in cmd.args if a not in images.values() and subprocess.run(
            [real, *_engine(cmd), "image", "inspect", "--format", label, a], capture_output=True, text=True
        ).stdout.strip() != run]  # fmt: skip
    labels_of = ".Config.Labels" if kind == "container" else ".Labels"
    ident = "{{.Name}}" if kind == "volume" else "{{.Id}}"  # a volume has no ID but its name
    fields = f'{ident}|{{{{.Name}}}}|{{{{index {labels_of} "{LABEL_KEY}"}}}}'
    listing = subprocess.run([real, *_engine(cmd), kind, "inspect", "--format", fields, *cmd.args],
                             capture_output=True, text=True).stdout  # fmt: skip
    ours = set(_journal_volumes(journal)) if kind == "volume" else set()
    found = [line.split("|") for line in listing.splitlines() if line.count("|") == 2]
    out = []
    for target in cmd.args:
        for ident, name, owner in found:
            if target in (name, name.lstrip("/")) or ident.startswith(target):
                if owner != run and name not in ours:
                    out.append(f"{kind} {target}")
                break
    return out


def _engine(cmd: commandline.Command) -> list[str]:
    """The command's global options (`-H`, `--context`): what the shim asks goes to the same engine."""
    return cmd.normalized()[1 : 1 + len(cmd.globals)]


def _journal_volumes(path: str) -> list[str]:
    try:
        return sorted(journal.read(Path(path)).volumes())
    except OSError:
        return []


def _note_volumes(real: str, argv: list[str], path: str) -> None:
    """Named volumes the command will make (they carry no label) and the anonymous volumes of this run's
    containers it may remove, written to the run's journal before the command runs."""
    import subprocess

    cmd = commandline.parse(argv)
    engine = _engine(cmd) if cmd else []
    names = {n for kind, n in commandline.created_names(argv) if kind == "volume"}
    if names:
        have = subprocess.run([real, *engine, "volume", "ls", "-q"], capture_output=True, text=True).stdout
        names -= set(have.split())
    if commandline.removes_containers(argv):
        from dockersim.ownership.inventory import anonymous_volumes_of

        run = _run_label(json.loads(os.environ[ENV])["labels"]).partition("=")[2]
        names |= anonymous_volumes_of(
            lambda words: subprocess.run([real, *engine, *words], capture_output=True, text=True).stdout, run
        )
    if names:
        journal.append(Path(path), Volumes(tuple(sorted(names))))


def main() -> None:
    config = json.loads(os.environ[ENV])
    real, labels, images = config["docker"], config["labels"], config.get("images", {})
    tool = config.get("tool") if config.get("tool") in NOT_OURS else "practice"
    try:
        destructive = bool(config.get("destructive"))
        argv = rewrite(["docker", *sys.argv[1:]], labels, images, not os.isatty(1), destructive)
        if tool == "record" and not destructive and commandline.prunes(argv):
            raise Refused(Phrase("rec_shim_prune"))
        others = [] if destructive else strangers(real, argv, labels, images, config.get("journal", ""))
        if others:
            raise Refused(Phrase(NOT_OURS[tool], items=", ".join(others)))
    except Refused as e:
        print(f"dockersim {tool}: {localise(e.args[0], config.get('lang', 'en'))}", file=sys.stderr)
        sys.exit(125)
    if config.get("journal"):
        with contextlib.suppress(commandline.CommandLineError, OSError):  # the client will say what is wrong
            _note_volumes(real, argv, config["journal"])
    os.execv(real, [real, *argv[1:]])


if __name__ == "__main__":
    main()
