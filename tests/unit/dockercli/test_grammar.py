"""The one docker command-line grammar: read from the installed clients (and equal to what is checked in),
with the management forms and aliases merged. How a command line is read by it: test_commandline.py."""

from __future__ import annotations

import json
import os

import pytest

from dockersim.dockercli import grammar
from tests.conftest import CLIENTS


@pytest.mark.engine  # no engine, but the clients scripts/ensure-engine installs: it runs with the engine tests
@pytest.mark.parametrize("version", sorted(CLIENTS))
def test_the_checked_in_grammar_is_what_the_client_says(version: str) -> None:
    binary = CLIENTS[version]
    if not os.access(binary, os.X_OK):
        assert not os.environ.get("CI"), f"CI needs {binary} (scripts/ensure-engine installs it)"
        pytest.skip(f"{binary} is not installed here")
    document = grammar.read_client(binary)
    stored = json.loads(grammar.grammar_file(document).read_text())
    assert document == stored, f"regenerate with: python -m dockersim.dockercli.grammar {binary}"


def test_the_merged_grammar_knows_management_forms_and_aliases() -> None:
    g = grammar.load()
    assert {"docker 20.10", "docker 28.2"} <= set(g.clients)
    for spelling, path in [("ps", "container ls"), ("container list", "container ls"), ("rmi", "image rm"),
                           ("image rmi", "image rm"), ("images", "image ls"), ("run", "container run"),
                           ("volume list", "volume ls"), ("build", "image build")]:  # fmt: skip
        assert g.canonical(spelling) == path
    run = g.verbs["container run"]
    assert not run.interspersed and g.verbs["container exec"].interspersed is False
    assert g.verbs["volume create"].interspersed and g.verbs["container rm"].interspersed
    assert run.long_name("-v") == "--volume" and run.takes_value("--volume") and not run.takes_value("--rm")
    assert run.long_name("-h") == "--hostname" and g.verbs["container ls"].long_name("-h") == "--help"
