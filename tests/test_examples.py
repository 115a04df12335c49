"""examples/ci: the GitHub Actions workflows, the GitLab pipeline and the Kubernetes Indexed Job are
valid against the schemas their linters carry (no network), and they run the grade and merge commands this
dockersim has."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CI = ROOT / "examples" / "ci"
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("name", ["github-student.yml", "github-course.yml"])
def test_github_workflows_follow_the_workflow_schema(name: str) -> None:
    lint = [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(CI / name)]
    done = subprocess.run(lint, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'dockersim)" grade --out' in (CI / name).read_text()


def test_the_gitlab_pipeline_follows_gitlab_s_schema() -> None:
    lint = [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(CI / "gitlab-course.yml")]
    done = subprocess.run(lint, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'dockersim)" grade --out' in (CI / "gitlab-course.yml").read_text()


def test_the_indexed_job_follows_kubernetes_schemas() -> None:
    lint = [str(BIN / "kubernetes-validate"), "--strict", str(CI / "k8s-indexed-job.yaml")]
    done = subprocess.run(lint, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.count("passed") == 2, done.stdout + done.stderr


def test_the_examples_use_commands_that_exist() -> None:
    from click.testing import CliRunner

    from dockersim.cli.main import main

    for args in (["grade", "--help"], ["gradebook", "merge", "--help"]):
        assert CliRunner().invoke(main, args).exit_code == 0
    files = sorted(CI.iterdir())
    assert len(files) >= 4
    text = "".join(p.read_text() for p in files)
    assert "dockersim gradebook merge results/*/ --out course/" in text and "JOB_COMPLETION_INDEX" in text
