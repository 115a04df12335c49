"""`dockersim check`, `dockersim grade` and `dockersim gradebook merge`: homework checked on a learner's
engine, graded on sandboxes and other engines, and gradebooks merged."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import click

from dockersim.cli.options import (
    EXIT_FAILED,
    connected,
    docker_option,
    engine_options,
    image_map,
    image_options,
    lang_option,
    show_progress,
    writable,
)


@click.command()
@click.argument("spec_file", metavar="SPEC")
@engine_options
@image_options
@lang_option
@click.option("--json", "as_json", is_flag=True, help="print the visible checks and points as JSON.")
def check(spec_file: str, docker_bin: str, context: str | None, image_maps: tuple[str, ...], offline: bool,
          lang: str | None, as_json: bool) -> None:  # fmt: skip
    """Check your work against a homework spec, on your engine as it is now (hidden checks are skipped).

    \b
    Example:
      dockersim check examples/hw-wordpress/spec.yaml
      dockersim check --offline --lang ko examples/hw-wordpress/spec.yaml
      dockersim check --json examples/hw-wordpress/spec.yaml | jq .earned

    Exit status: 0 every visible check earned its points, 1 one did not, 2 bad input or no engine.
    """
    from dockersim.grading.grade import self_check
    from dockersim.grading.homework import load_spec
    from dockersim.i18n.phrase import default_lang
    from dockersim.kit.stand_ins import stand_in_map
    from dockersim.report.grades import self_check_json, self_check_text

    lang = lang or default_lang()
    spec = load_spec(spec_file)
    stand_ins = stand_in_map() if offline else {}
    images = {ref: stand_ins[ref] for ref in spec.images.values() if ref in stand_ins} | image_map(image_maps)
    outcomes = self_check(spec, connected(docker_bin, context), lang, images)
    click.echo((self_check_json if as_json else self_check_text)(outcomes, lang))
    sys.exit(0 if all(c.earned == c.points for c in outcomes) else EXIT_FAILED)


@click.command()
@click.argument("spec_file", metavar="SPEC")
@click.argument("folders", nargs=-1, required=True, metavar="SUBMISSION_DIR...")
@click.option("--jobs", type=click.IntRange(0, 16),
              help="sandbox engines this machine starts, one submission at a time each  [default: 1, or 0 "
                   "with --engine]")  # fmt: skip
@click.option("--engine", "engines", multiple=True, metavar="CONTEXT[=HOST]",
              help="grade on the engine this docker context reaches too (repeatable), or on the engine at this "
                   "address (tcp://…, ssh://…, unix://…, as DOCKER_HOST takes it); HOST: where its published "
                   "ports answer, when not at its endpoint's host.")  # fmt: skip
@click.option("--engine-file", "engine_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="a file of engines, one CONTEXT[=HOST] (or address) a line.")  # fmt: skip
@click.option("--out", "out_dir", default="grades", show_default=True, metavar="DIR",
              help="where the gradebook, results, JUnit files, feedback and recordings go.")  # fmt: skip
@click.option(
    "--json", "as_json", is_flag=True, help="print results.json (docs/homework-format.md) instead of the summary."
)
@docker_option
@lang_option
def grade(spec_file: str, folders: tuple[str, ...], jobs: int | None, engines: tuple[str, ...],
          engine_file: str | None, out_dir: str, as_json: bool, docker_bin: str, lang: str | None) -> None:  # fmt: skip
    """Grade submissions: each on a fresh, isolated sandbox engine (root, Linux), or on engines reached
    through docker contexts, with a gradebook and feedback.

    A submission is a folder named after the student holding commands.sh (one docker command a line,
    never run by a shell) and optionally session.yaml (tty steps). An engine named by --engine is given
    to grading for the run: what a submission makes there carries the run's labels and is removed after
    it; nothing else on it is touched by dockersim.

    \b
    Examples:
      sudo dockersim grade examples/hw-wordpress/spec.yaml examples/hw-wordpress/submissions/*
      sudo dockersim grade --jobs 2 --out grades/ spec.yaml submissions/*
      sudo dockersim grade --lang ko spec.yaml submissions/*     # feedback in Korean
      dockersim grade --engine lab1 --engine lab2 spec.yaml submissions/*   # two engines, by context
      dockersim grade --engine ssh://grader@lab3 spec.yaml submissions/*    # or by address
      dockersim grade --engine-file engines.txt --jobs 2 spec.yaml submissions/*
      sudo dockersim grade --json spec.yaml submissions/* | jq '.students[] | [.student, .score]'
    """
    from dockersim.engine.connect import read_engine_file
    from dockersim.grading.course import graded
    from dockersim.grading.homework import load_spec
    from dockersim.i18n.phrase import default_lang, say
    from dockersim.report.grades import summary_text, write_all

    writable(out_dir, "--out", folder=True)
    out, lang = Path(out_dir), lang or default_lang()
    contexts = [*engines, *(read_engine_file(Path(engine_file)) if engine_file else [])]
    jobs = jobs if jobs is not None else (0 if contexts else 1)
    spec = load_spec(spec_file)
    with graded(spec, [Path(f) for f in folders], jobs, out, docker_bin, lambda line: show_progress(line, lang), lang,
                contexts) as pool:  # fmt: skip
        grades = pool.grades
        write_all(spec, grades, out, lang, [asdict(r) for r in pool.records])
    click.echo(
        (out / "results.json").read_text(encoding="utf-8").rstrip() if as_json else summary_text(grades, out, lang)
    )
    # No engine was left to grade them, their engine was disturbed, or grading stopped on the grader's side:
    # they have no score, and are to be graded again.
    ungraded = [g.student for g in grades if not g.graded]
    if ungraded:
        click.echo(f"dockersim: {say('not_graded', lang, students=', '.join(ungraded))}", err=True)
        sys.exit(EXIT_FAILED)


@click.group()
def gradebook() -> None:
    """Work with gradebooks that grade runs wrote.

    \b
    Example:
      dockersim gradebook merge --out course/ grades-lab1/ grades-lab2/
    """


@gradebook.command("merge")
@click.argument("folders", nargs=-1, required=True, metavar="GRADES_DIR...")
@click.option("--out", "out_dir", default="gradebook", show_default=True, metavar="DIR",
              help="where the merged gradebook, results, JUnit files, feedback and recordings go.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="print the merged results.json instead of the summary.")
@lang_option
def merge(folders: tuple[str, ...], out_dir: str, as_json: bool, lang: str | None) -> None:
    """Merge the --out folders of grade runs (one submission each, from a CI matrix or a Kubernetes
    Indexed Job, or many) into one course gradebook.

    \b
    Examples:
      dockersim gradebook merge results/*/ --out course/
      dockersim gradebook merge grades-monday/ grades-tuesday/
      dockersim gradebook merge --json results/*/ | jq '.students[] | [.student, .score]'
    """
    from dockersim.i18n.phrase import default_lang
    from dockersim.report.grades import merge as merge_grades

    writable(out_dir, "--out", folder=True)
    grades = merge_grades([Path(f) for f in folders], Path(out_dir), lang or default_lang())
    if as_json:
        click.echo((Path(out_dir) / "results.json").read_text(encoding="utf-8").rstrip())
        return
    click.echo(f"{len(grades)} students from {len(folders)} folders merged into {out_dir}/: gradebook.csv, "
               "results.json, report.html, junit/, feedback/, recordings/, gradescope/")  # fmt: skip
