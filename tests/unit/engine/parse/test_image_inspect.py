"""`docker image inspect` and `docker image history` of the images of tests/fixtures/image-build, as docker 28,
docker 20.10 and podman 4.3 printed them (tests/fixtures/capture-images.sh), and what differs between them."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given

from dockersim.engine.parse.history import count_layers, makes_layer, parse_history
from dockersim.engine.parse.inspect import instant_ns, parse_images
from dockersim.engine.state import Healthcheck, ImageState
from dockersim.errors import ParseError
from tests.unit.conftest import fixture
from tests.unit.fuzzing import BUDGET, mutations

ENGINES = ["28", "20", "podman43"]
NAMES = ["app", "shell", "none"]


def images(engine: str) -> dict[str, ImageState]:
    """busybox, app, shell, none: each image of the capture by its short name."""
    found = parse_images(fixture(f"inspect-images-{engine}.json"))
    return {i.repo_tags[0].rsplit("/", 1)[-1].split(":")[0]: i for i in found}


def history(name: str, engine: str) -> str:
    return fixture(f"history-{name}-{engine}.{'json' if engine.startswith('podman') else 'jsonl'}")


@pytest.mark.parametrize("engine", ENGINES)
def test_every_field_an_image_check_reads(engine: str) -> None:
    app = images(engine)["app"]
    assert app.cmd == ("--name", "world") and app.entrypoint == ("/srv/app/hello.sh",)
    assert dict(app.env) == {"PATH": "/bin", "GREETING": "hello world", "APP_HOME": "/srv/app"}
    assert app.exposed_ports == ("53/udp", "80/tcp", "8080/tcp")  # EXPOSE 80 is 80/tcp
    assert (app.user, app.workdir, app.volumes) == ("app", "/srv/app", ("/data", "/srv/app/logs"))
    assert {"org.dockersim.fixture": "image-checks", "org.dockersim.kit": "base"}.items() <= dict(app.labels).items()
    assert app.healthcheck == Healthcheck(("CMD", "wget", "-q", "-O", "/dev/null", "http://localhost/"),
                                          30 * 10**9, 3 * 10**9, 5 * 10**9, 2)  # fmt: skip
    assert 1_900_000 < app.size < 2_300_000 and app.created > images(engine)["busybox"].created > 0


@pytest.mark.parametrize("engine", ENGINES)
def test_shell_forms_and_health_checks_as_the_builders_write_them(engine: str) -> None:
    found = images(engine)
    shell, none, busybox = found["shell"], found["none"], found["busybox"]
    assert shell.cmd == ("/bin/sh", "-c", 'echo "$GREETING"')
    assert shell.entrypoint == ("/bin/sh", "-c", "exec /srv/app/hello.sh --shout")
    assert dict(shell.env)["GREETING"] == "bonjour" and shell.user == "root"
    assert shell.healthcheck is not None
    assert shell.healthcheck.test == ("CMD-SHELL", "wget -q -O /dev/null http://localhost/ || exit 1")
    # A HEALTHCHECK without options, on a base that gave some: docker keeps the base's, podman says none
    # (the engine's defaults then apply).
    inherited = (30 * 10**9, 3 * 10**9, 5 * 10**9, 2) if engine != "podman43" else (0, 0, 0, 0)
    assert (shell.healthcheck.interval, shell.healthcheck.timeout, shell.healthcheck.start_period,
            shell.healthcheck.retries) == inherited  # fmt: skip
    assert none.healthcheck is not None and none.healthcheck.test == ("NONE",)
    assert busybox.healthcheck is None and busybox.cmd == ("/bin/sh",) and busybox.entrypoint == ()
    assert busybox.exposed_ports == () and busybox.volumes == ()


def test_podman_keeps_a_health_check_beside_its_config_and_drops_it_from_an_oci_image() -> None:
    """podman's Config is the OCI one; a docker-format image's health check sits beside it, and podman's
    default format, OCI, drops HEALTHCHECK with a warning."""
    app = images("podman43")["app"]
    assert app.healthcheck is not None and app.healthcheck.test[0] == "CMD"
    [oci] = parse_images(fixture("inspect-image-oci-podman43.json"))
    assert oci.healthcheck is None and oci.cmd == app.cmd and oci.exposed_ports == app.exposed_ports
    assert dict(oci.labels)["io.buildah.version"]  # buildah signs what it builds


@pytest.mark.parametrize("engine", ENGINES)
def test_references_and_ids_as_each_engine_gives_them(engine: str) -> None:
    app = images(engine)["app"]
    if engine == "podman43":
        assert app.repo_tags == ("localhost/dsim-imgfx/app:1",) and not app.id.startswith("sha256:")
    else:
        assert app.repo_tags == ("dsim-imgfx/app:1",) and app.id.startswith("sha256:")


def test_the_builders_make_different_filesystem_layers() -> None:
    """RootFS.Layers: the classic builder makes a layer for a WORKDIR that creates its folder and none for a
    RUN that changes nothing; buildah the other way round. Each image's layers begin with its base's."""
    docker, podman = images("28"), images("podman43")
    assert [len(docker[n].layers) for n in ("busybox", *NAMES)] == [1, 4, 4, 4]
    assert [len(podman[n].layers) for n in ("busybox", *NAMES)] == [1, 3, 4, 4]
    assert docker["shell"].layers == docker["app"].layers  # RUN true: no layer
    assert podman["shell"].layers[:3] == podman["app"].layers  # RUN true: a layer
    for found in (docker, podman):
        assert all(found[n].layers[:1] == found["busybox"].layers for n in NAMES)
    assert docker["busybox"].layers == podman["busybox"].layers  # podman's copy of docker's image


@pytest.mark.parametrize("engine", ENGINES)
def test_history_rows_and_the_layers_counted_from_them(engine: str) -> None:
    """Counted by instruction (RUN, COPY, ADD, an imported base), the layers are the same on every builder."""
    rows = {n: parse_history(history(n, engine)) for n in NAMES}
    assert [len(rows[n]) for n in NAMES] == [12, 18, 20]  # one row an instruction, the base's import last
    assert [count_layers(rows[n]) for n in NAMES] == [3, 4, 4]
    app = rows["app"]
    assert app[-1].comment == "Imported from -" and app[-1].created_by == "" and app[-1].size > 1_900_000
    layered = [r.created_by for r in app if makes_layer(r.created_by)]
    assert "COPY" in layered[1] and layered[0].startswith("/bin/sh -c echo 'app:x:1000")


@pytest.mark.parametrize(
    "created_by, layer",
    [
        ('/bin/sh -c #(nop)  CMD ["sh"]', False),  # classic builder
        ("/bin/sh -c #(nop) WORKDIR /srv/app", False),
        ("/bin/sh -c #(nop) COPY file:ac06c3eeef6e in ./ ", True),
        ("/bin/sh -c #(nop) ADD file:4b03b5f5 in / ", True),
        ("/bin/sh -c apt-get update", True),
        ("|1 VERSION=2 /bin/sh -c make", True),  # a RUN with a build argument
        ("", True),  # an imported base
        # BuildKit's, as its dockerfile frontend writes them (from moby/buildkit's source: no buildx here)
        ("RUN /bin/sh -c apt-get update # buildkit", True),
        ("COPY . /app # buildkit", True),
        ("WORKDIR /app", False),
        ("ENV GREETING=hello", False),
        ("EXPOSE map[80/tcp:{}]", False),
        ('HEALTHCHECK &{["CMD-SHELL" "true"] "0s" "0s" "0s" \'\\x00\'}', False),
    ],
)
def test_which_rows_make_layers(created_by: str, layer: bool) -> None:
    assert makes_layer(created_by) is layer


@pytest.mark.parametrize(
    "text",
    ["{", "[1]", '{"CreatedBy": 3, "Size": "0"}', '{"CreatedBy": "x", "Size": "1.98MB"}', '[{"size": true}]'],
)
def test_unreadable_history_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        parse_history(text)


def test_empty_history_and_times() -> None:
    assert parse_history("") == [] and parse_history("[]") == []
    assert instant_ns("2026-12-07T01:06:45.031374527Z") - instant_ns("2026-12-07T01:06:45.03Z") == 1_374_527
    assert instant_ns("2026-12-07T03:06:45+02:00") == instant_ns("2026-12-07T01:06:45Z") > 0
    assert instant_ns("2026-12-07 01:06:45 +0000 UTC") == 0  # podman's Go form, not what inspect prints


@pytest.mark.parametrize("engine", ["28", "podman43"])
def test_whatever_an_image_holds_only_a_parse_error_comes_out(engine: str) -> None:
    [app] = [o for o in json.loads(fixture(f"inspect-images-{engine}.json")) if "app" in o["RepoTags"][0]]
    rows = [json.loads(line) for line in history("app", "28").splitlines()]

    @BUDGET
    @given(mutations(app), mutations(rows))
    def check(image: Any, history_rows: Any) -> None:
        for parse, text in ((parse_images, json.dumps([image])), (parse_history, json.dumps(history_rows))):
            with contextlib.suppress(ParseError):
                parse(text)

    check()
