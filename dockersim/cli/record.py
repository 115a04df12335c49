"""`dockersim record`: a scenario written from what an instructor does once in a watched shell, or a homework
spec from a reference solution graded in a sandbox (`--spec`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from dockersim.cli.options import EXIT_FAILED, engine_options, image_map, image_options, lang_option, show_progress


@click.command()
@click.argument("target", metavar="FILE.yaml | REFERENCE_DIR")
@click.option("--spec", "spec_file", metavar="HW.yaml",
              help="write a homework spec from the reference solution in REFERENCE_DIR (commands.sh, "
                   "session.yaml), graded in a sandbox as grade does (root, Linux).")  # fmt: skip
@engine_options
@image_options
@click.option("--sandbox", is_flag=True,
              help="record on the private sandbox engine (root, Linux), where prunes may be shown.")  # fmt: skip
@click.option("--title", metavar="TEXT", help="the title written (default: a `# title:` note, else the file's name).")
@click.option("--verify/--no-verify", default=True, show_default=True,
              help="replay what was written once and run the mutation check over it, marking what fails.")  # fmt: skip
@click.option("--force", is_flag=True, help="write over the file if it exists.")
@lang_option
def record(target: str, spec_file: str | None, docker_bin: str, context: str | None, image_maps: tuple[str, ...],
           offline: bool, sandbox: bool, title: str | None, verify: bool, force: bool,
           lang: str | None) -> None:  # fmt: skip
    """Write a scenario by doing it: every docker command you type in the shell it opens becomes a step.

    Each step holds your command (the images as {image.X}), what a session showed (prompts with the
    container's short ID as {short_id:NAME}), its exit status, its steady output, and checks of what it
    did to the engine. A line `# task: TEXT` (or `dsim task "TEXT"`; `# task ko: …` in Korean) gives the next
    step its task and name, `# hint: …` its hint, `# title: …` the file's title. Leave with exit or Ctrl+D:
    what you made is removed, the file is written, replayed, and each step is checked to fail when its
    command is replaced by `docker version`; what does not pass is marked in the file.

    With --spec HW.yaml, REFERENCE_DIR is a reference solution (commands.sh, session.yaml): it is graded in
    a sandbox as `dockersim grade` does, and HW.yaml gets a check (one point each) of what it made, with
    hidden-check candidates marked and `reference:` set to the folder.

    \b
    Examples:
      dockersim record --offline my-chapter.yaml
      dockersim record --offline --lang ko --title "2.3 네트워크" networks.yaml
      sudo dockersim record --sandbox --offline pruning.yaml
      sudo dockersim record --spec hw.yaml examples/hw-network/submissions/ann

    Exit status: 0 written and every step replayed and checked its command, 1 written with steps marked,
    2 bad input or no engine.
    """
    from dockersim.errors import DockersimError
    from dockersim.i18n.phrase import default_lang

    lang = lang or default_lang()
    out = Path(spec_file or target)
    if out.exists() and not force:
        raise DockersimError(f"{out}: the file exists (--force writes over it)")
    if not out.parent.is_dir():
        raise DockersimError(f"{out}: there is no folder {out.parent} to write it in")
    if out.suffix not in (".yaml", ".yml"):
        raise DockersimError(f"{out}: a scenario or spec file ends in .yaml")
    if spec_file is not None:
        _spec(Path(target), out, docker_bin, context, image_maps, sandbox, title, verify, lang)
        return
    if os.environ.get("DOCKERSIM_PRACTICE"):
        raise DockersimError("this shell is already a practice or recording shell: leave it (exit) first")
    if not sys.stdin.isatty():
        raise DockersimError("record needs a terminal: run it in one")
    from dockersim.record.chapter import record_chapter
    from dockersim.report.text import colour_wanted
    from dockersim.run.base import RunOptions
    from dockersim.run.batch import Plan

    plan = Plan(RunOptions(image_map=image_map(image_maps), lang=lang), docker_bin, context, sandbox, offline)
    written = record_chapter(out, plan, title, verify, colour_wanted(), lambda line: show_progress(line, lang))
    _said(written.path, written.steps, written.verdict, lang)
    sys.exit(0 if written.verdict is None or written.verdict.ok else EXIT_FAILED)


def _spec(reference: Path, out: Path, docker_bin: str, context: str | None, image_maps: tuple[str, ...],
          sandbox: bool, title: str | None, verify: bool, lang: str) -> None:  # fmt: skip
    from dockersim.errors import DockersimError
    from dockersim.record.spec import record_spec

    if context or image_maps or sandbox:
        raise DockersimError("--spec grades the reference in a sandbox with the kit's images, as grade does: "
                             "--context, --image-map and --sandbox do not apply")  # fmt: skip
    written = record_spec(out, reference, docker_bin, title, verify, lang, lambda line: show_progress(line, lang))
    click.echo(written.summary)
    sys.exit(0 if written.ok else EXIT_FAILED)


def _said(path: Path, steps: int, verdict: object, lang: str) -> None:
    from dockersim.i18n.phrase import say
    from dockersim.record.replay import Verdict

    click.echo(say("rec_written", lang, path=path, steps=steps))
    if isinstance(verdict, Verdict):
        click.echo(say("rec_verdict", lang, steps=steps, failed=len(verdict.failed), mutated=verdict.mutated,
                       survived=len(verdict.survived), strengthened=len(verdict.strengthened)))  # fmt: skip
        for index, result in sorted(verdict.failed.items()):
            click.echo(f"  ✗ {index}: {result.name}: {result.reason}")
