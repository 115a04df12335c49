"""The STATUS column of `docker ps`: every form in both docker clients' captured output, podman 4.3's, and
moby's wording of the states never captured here."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockersim.engine.parse.ps import parse_ps_table
from dockersim.engine.parse.status import parse_status
from dockersim.engine.state import Status
from dockersim.errors import ParseError
from tests.unit.conftest import CLIENTS, fixture
from tests.unit.fuzzing import BUDGET

PODMAN = "podman43"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Up 4 seconds", Status("running")),
        ("Up Less than a second", Status("running")),
        ("Up About a minute", Status("running")),
        ("Up 2 hours (healthy)", Status("running", health="healthy")),
        ("Up 12 seconds (unhealthy)", Status("running", health="unhealthy")),
        ("Up 4 seconds (health: starting)", Status("running", health="starting")),
        ("Up 5 seconds (Paused)", Status("paused")),
        ("Up About a minute (Paused)", Status("paused")),
        ("Exited (137) 3 seconds ago", Status("exited", exit_code=137)),
        ("Exited (0) About an hour ago", Status("exited", exit_code=0)),
        ("Restarting (1) Less than a second ago", Status("restarting", exit_code=1)),
        ("Created", Status("created")),
        # From moby's container/state.go: never seen here, worded there.
        ("Removal In Progress", Status("removing")),
        ("Dead", Status("dead")),
        ("", Status("")),
    ],
)
def test_status_forms(text: str, expected: Status) -> None:
    assert parse_status(text) == expected


@pytest.mark.parametrize("text", ["Running", "Up", "Exited 3", "Exited (x) now"])
def test_unknown_status_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        parse_status(text)


@pytest.mark.parametrize("client", CLIENTS)
def test_every_captured_status(client: str) -> None:
    rows = {r.names[0]: parse_status(r.status) for r in parse_ps_table(fixture(f"ps-a-{client}.txt"))}
    assert rows["fx_up"] == Status("running")
    assert rows["fx_paused"] == Status("paused")
    assert rows["fx_exited3"] == Status("exited", exit_code=3)
    assert rows["fx_created"] == Status("created")
    assert rows["fx_restarting"] == Status("restarting", exit_code=1)
    assert rows["fx_healthy"].health == "healthy"
    assert rows["fx_unhealthy"].health == "unhealthy"
    assert rows["fx_starting"].health == "starting"


def test_podman_s_status_forms() -> None:
    table = {r.names[0]: r for r in parse_ps_table(fixture(f"ps-a-{PODMAN}.txt"))}
    assert table["fx_up"].status.endswith(" ago")  # `Up 4 seconds ago` before podman 4.4
    assert parse_status(table["fx_up"].status).state == "running"
    assert parse_status(table["fx_paused"].status).state == "paused"  # a bare `Paused`
    healthy = parse_status(table["fx_healthy"].status)
    assert healthy.state == "running" and healthy.health == "starting"  # `(starting)`: no systemd timer here
    assert parse_status(table["fx_exited3"].status).exit_code == 3


@BUDGET
@given(st.text(max_size=200))
def test_any_text_is_read_or_is_a_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_status(text)
