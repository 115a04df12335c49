"""Image checks: each field validated when the file loads, and compared on what docker 28, docker 20.10 and
podman 4.3 printed for the images of tests/fixtures/image-build (played back: no engine involved)."""

from __future__ import annotations

import contextlib
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockersim.checks.base import PlainContext
from dockersim.checks.image import IMAGE_FIELDS, built_on, decimal, duration_ns, image_size, nearest_bases
from dockersim.checks.vocabulary import parse_check
from dockersim.engine.client import Docker
from dockersim.engine.parse.inspect import parse_images
from dockersim.engine.process import Completed
from dockersim.engine.snapshot import Snapshot
from dockersim.errors import ScenarioError
from dockersim.yamlfile.source import LMap, load_yaml
from tests.conftest import ROOT
from tests.unit.conftest import fixture
from tests.unit.fuzzing import BUDGET, values

ENGINES = ["28", "20", "podman43"]


class Played:
    """An engine holding the captured images: `image ls` made from the captured inspect, the batched inspect
    as captured, and each image's history; every call is kept."""

    kind = "docker"

    def __init__(self, engine: str) -> None:
        self.inspect = fixture(f"inspect-images-{engine}.json")
        self.histories: dict[str, str] = {}
        self.listed = []
        for image in parse_images(self.inspect):
            self.listed.append(f"{image.repo_tags[0]}\tsha256:{image.id.removeprefix('sha256:')}")
            name = image.repo_tags[0].rsplit("/", 1)[-1].split(":")[0]
            ext = "json" if engine.startswith("podman") else "jsonl"
            self.histories[image.id] = fixture(f"history-{name}-{engine}.{ext}")
        self.calls: list[list[str]] = []

    def call(self, args: list[str], timeout: float = 0, check: bool = True) -> Completed:
        self.calls.append(list(args))
        if args[:2] == ["image", "ls"]:
            out = "\n".join(self.listed)
        elif args[:3] == ["inspect", "--type", "image"]:
            out = self.inspect
        elif args[:2] == ["image", "history"]:
            out = self.histories[args[-1]]
        else:
            raise AssertionError(f"not an image call: {args}")
        return Completed(["docker", *args], 0, out, "", 0.0)


class Kit(PlainContext):
    """A run's context: busybox is the kit's stand-in."""

    def resolve(self, template: str) -> str:
        return template.replace("{var.tag}", "1")

    def image_ref(self, ref: str) -> str:
        return {"busybox": "dockersim/busybox:latest"}.get(ref, ref)


def snapshot(engine: str) -> Snapshot:
    return Snapshot(cast(Docker, Played(engine)))


def evaluate(spec: str, engine: str = "28", snap: Snapshot | None = None) -> list[str]:
    check = parse_check(load_yaml(spec, "t.yaml"), "t.yaml", 1)
    return [str(m) for m in check.evaluate(snap or snapshot(engine), Kit())]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "spec",
    [
        """{image: 'dsim-imgfx/app:{var.tag}', cmd: [--name, world], entrypoint: /srv/app/hello.sh,
            env: {GREETING: hello world, APP_HOME: /srv/app}, exposed_ports: [80, 8080/tcp, 53/udp], user: app,
            workdir: /srv/app/, labels: {org.dockersim.fixture: image-checks}, volumes: [/data, /srv/app/logs/],
            layers: 3, size: {at_most: 3MB}, built_from: busybox}""",
        "{image: dsim-imgfx/app:1, cmd: --name world, entrypoint: [/srv/app/hello.sh], exposed_ports: [8080]}",
        """{image: dsim-imgfx/app:1, healthcheck: {test: [CMD, wget, -q, -O, /dev/null, 'http://localhost/'],
            interval: 30s, timeout: 3s, start_period: 5s, retries: 2}}""",
        "{image: dsim-imgfx/app:1, healthcheck: {test: 'wget -q -O /dev/null http://localhost/', interval: 0.5m}}",
        # the shell form: the line as the Dockerfile gave it, /bin/sh -c and it, or inspect's words
        """{image: dsim-imgfx/shell:1, cmd: 'echo "$GREETING"', entrypoint: exec /srv/app/hello.sh --shout,
            user: root, env: {GREETING: bonjour}, layers: {at_most: 4}, built_from: dsim-imgfx/app:1}""",
        """{image: dsim-imgfx/shell:1, cmd: '/bin/sh -c echo "$GREETING"',
            entrypoint: [/bin/sh, -c, exec /srv/app/hello.sh --shout]}""",
        "{image: dsim-imgfx/shell:1, healthcheck: {test: 'wget -q -O /dev/null http://localhost/ || exit 1'}}",
        """{image: dsim-imgfx/shell:1,
            healthcheck: {test: [CMD-SHELL, 'wget -q -O /dev/null http://localhost/ || exit 1']}}""",
        "{image: dsim-imgfx/none:1, healthcheck: none, layers: 4, built_from: busybox}",
        "{image: dsim-imgfx/none:1, built_from: dsim-imgfx/shell:1}",
        "{image: busybox, healthcheck: none, exposed_ports: [], volumes: [], entrypoint: [], cmd: /bin/sh, layers: 1}",
        "{image: busybox, built_from: busybox}",  # an image is built on itself
    ],
)
def test_checks_that_hold_on_every_engine(spec: str, engine: str) -> None:
    assert evaluate(spec, engine) == []


SAME_EVERYWHERE = [
    (
        "{image: dsim-imgfx/app:1, cmd: [world], entrypoint: hello.sh}",
        ['cmd: expected ["world"], found ["--name", "world"]',
         "entrypoint: expected 'hello.sh', found [\"/srv/app/hello.sh\"]"],
    ),
    ("{image: dsim-imgfx/shell:1, cmd: echo hi}",
     ["cmd: expected 'echo hi', found " + r'["/bin/sh", "-c", "echo \"$GREETING\""]']),
    ("{image: busybox, entrypoint: [/bin/sh]}", ['entrypoint: expected ["/bin/sh"], found none']),
    (
        "{image: dsim-imgfx/app:1, env: {GREETING: hi, MISSING: x}}",
        ["env GREETING: expected 'hi', found 'hello world'", "env MISSING: expected 'x', found unset"],
    ),
    (
        "{image: dsim-imgfx/app:1, exposed_ports: [443, 53, 80]}",
        ["exposed_ports: expected 443/tcp, 53/tcp, found 53/udp, 80/tcp, 8080/tcp"],
    ),
    ("{image: busybox, exposed_ports: [80]}", ["exposed_ports: expected 80/tcp, found none"]),
    ("{image: dsim-imgfx/app:1, user: root, workdir: /app}", ["user: expected 'root', found 'app'",
                                                              "workdir: expected '/app', found '/srv/app'"]),
    (
        "{image: dsim-imgfx/app:1, labels: {org.dockersim.fixture: other, maintainer: me}}",
        ["labels org.dockersim.fixture: expected 'other', found 'image-checks'",
         "labels maintainer: expected 'me', found unset"],
    ),
    ("{image: dsim-imgfx/app:1, volumes: [/var/lib/mysql, /data]}",
     ["volumes: expected /var/lib/mysql, found /data, /srv/app/logs"]),
    ("{image: dsim-imgfx/app:1, volumes: []}", ["volumes: expected none, found /data, /srv/app/logs"]),
    (
        "{image: dsim-imgfx/app:1, healthcheck: none}",
        ['healthcheck: expected none, found a health check running ["CMD", "wget", "-q", "-O", "/dev/null", '
         '"http://localhost/"]'],
    ),
    (
        "{image: dsim-imgfx/none:1, healthcheck: {test: curl -f http://localhost/}}",
        ["healthcheck: expected a health check running 'curl -f http://localhost/', found none"],
    ),
    (
        "{image: dsim-imgfx/app:1, healthcheck: {test: wget http://localhost/, interval: 10s, retries: 3}}",
        ["healthcheck test: expected 'wget http://localhost/', found [\"CMD\", \"wget\", \"-q\", \"-O\", "
         "\"/dev/null\", \"http://localhost/\"]",
         "healthcheck interval: expected 10s, found 30s", "healthcheck retries: expected 3, found 2"],
    ),
    ("{image: dsim-imgfx/shell:1, healthcheck: {test: [CMD, wget]}}",
     ["healthcheck test: expected [\"CMD\", \"wget\"], found 'wget -q -O /dev/null http://localhost/ || exit 1'"]),
    # the same count of layers on every builder, whatever RootFS holds
    ("{image: dsim-imgfx/shell:1, layers: {at_most: 3}}", ["layers: expected at most 3, found 4"]),
    ("{image: dsim-imgfx/app:1, layers: 2}", ["layers: expected 2, found 3"]),
    # app:1 is not built on shell:1, whether their layers are the same (docker) or not (podman)
    ("{image: dsim-imgfx/app:1, built_from: dsim-imgfx/shell:1}",
     ["built_from: expected dsim-imgfx/shell:1, found dockersim/busybox:latest"]),
    ("{image: busybox, built_from: dsim-imgfx/app:1}",
     ["built_from: expected dsim-imgfx/app:1, found no image on the engine that it was built on"]),
    ("{image: dsim-imgfx/app:1, built_from: centos:8}",
     ["built_from: expected centos:8, found no image centos:8 on the engine to compare with"]),
    ("{image: dsim-imgfx/gone:1, user: root}", ["image: expected dsim-imgfx/gone:1 present, found absent"]),
]  # fmt: skip


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("spec, expected", SAME_EVERYWHERE)
def test_failed_fields_say_the_same_on_every_engine(spec: str, expected: list[str], engine: str) -> None:
    assert evaluate(spec, engine) == expected


@pytest.mark.parametrize(
    "engine, found",
    [("28", "1.98MB (1984348 bytes)"), ("20", "1.98MB (1984348 bytes)"), ("podman43", "2.15MB (2145265 bytes)")],
)
def test_size_as_docker_images_says_it(engine: str, found: str) -> None:
    """docker counts the files' bytes, podman its layers' tar streams: a few percent apart."""
    assert evaluate("{image: dsim-imgfx/app:1, size: {at_most: 1.5MB}}", engine) == [
        f"size: expected at most 1.5MB, found {found}"
    ]
    assert evaluate("{image: dsim-imgfx/app:1, size: {at_most: 2MiB}}", engine) == ([] if engine != "podman43" else [
        f"size: expected at most 2MiB, found {found}"])  # fmt: skip


def test_an_inherited_health_check_timeout_differs_between_engines() -> None:
    """A HEALTHCHECK with no options over one with options: docker keeps the base's (3s), podman the
    engine's default (30s), which is also what each engine then runs."""
    spec = (
        "{image: dsim-imgfx/shell:1, healthcheck: {test: 'wget -q -O /dev/null http://localhost/ || exit 1', "
        "timeout: 3s}}"
    )
    assert evaluate(spec, "28") == []
    assert evaluate(spec, "podman43") == ["healthcheck timeout: expected 3s, found 30s"]


def test_mismatches_are_said_in_korean_too() -> None:
    check = parse_check(load_yaml("{image: dsim-imgfx/shell:1, layers: {at_most: 3}, size: {at_most: 1MB}}", "t"),
                        "t", 1)  # fmt: skip
    said = [m.said("ko") for m in check.evaluate(snapshot("28"), Kit())]
    assert said[0].startswith("layers:") and "최대 3" in said[0] and "최대 1MB" in said[1] and "바이트" in said[1]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_nearest_base_is_the_last_made_of_those_with_most_layers(engine: str) -> None:
    snap = snapshot(engine)
    by_name = {i.repo_tags[0].split("/")[-1]: i for i in snap.inspected_images}
    none, shell, app, busybox = by_name["none:1"], by_name["shell:1"], by_name["app:1"], by_name["busybox:latest"]
    assert nearest_bases(none, snap.inspected_images) == [shell]
    assert nearest_bases(app, snap.inspected_images) == [busybox]
    assert nearest_bases(busybox, snap.inspected_images) == []
    assert built_on(none, app) and built_on(none, busybox) and not built_on(app, none) and not built_on(shell, none)


@pytest.mark.parametrize("engine", ENGINES)
def test_what_a_snapshot_reads_for_image_checks(engine: str) -> None:
    """Presence: the listing alone. Fields: one batched inspect of every image. Layers: one history an
    image, once."""
    played = Played(engine)
    snap = Snapshot(cast(Docker, played))
    assert evaluate("{image: dsim-imgfx/app:1}", snap=snap) == [] and snap.calls == 1
    specs = ["{image: dsim-imgfx/app:1, user: app, built_from: busybox}", "{image: dsim-imgfx/shell:1, user: root}",
             "{image: dsim-imgfx/app:1, layers: 3}", "{image: dsim-imgfx/shell:1, layers: 4}",
             "{image: dsim-imgfx/app:1, layers: {at_most: 3}}"]  # fmt: skip
    for spec in specs:
        assert evaluate(spec, snap=snap) == []
    verbs = [" ".join(c[:2]) for c in played.calls]
    assert verbs == ["image ls", "inspect --type", "image history", "image history"]
    assert len(played.calls[1]) == 3 + 4  # the four images, by ID, in one inspect
    assert snap.calls == 4


@pytest.mark.parametrize(
    "spec, error",
    [
        ("image: a\ncmd: {a: 1}", "t.yaml:2: cmd should be a list of words such as [nginx, -g, 'daemon off;'] or a "
                                  "command line such as nginx -g 'daemon off;', not a mapping"),
        ("image: a\nentrypoint: [sh, [x]]", "t.yaml:2: a word of entrypoint should be a word or a number, not a list"),
        ("image: a\nexposed: [80]", "t.yaml:2: an image check has no field 'exposed' (did you mean 'exposed_ports'?)"),
        ("image: a\nexposed_ports:\n  - 80\n  - http", "t.yaml:4: 'http' is not a container port such as 80/tcp, "
                                                         "53/udp or 8080"),
        ("image: a\nexposed_ports: 80", "t.yaml:2: exposed_ports should be a list such as [80/tcp, \"8080\"], not 80"),
        ("image: a\nvolumes: [data]", "t.yaml:2: 'data' is not a path inside the container such as /data"),
        ("image: a\nenv: [A=b]", "t.yaml:2: env should be a mapping of NAME: value, not a list"),
        ("image: a\nlabels:\n  a: [b]", "t.yaml:3: labels a should be a word or a number, not a list"),
        ("image: a\nuser: {a: b}", "t.yaml:2: user should be a word or a number, not a mapping"),
        ("image: a\nlayers: 0", "t.yaml:2: layers should be a whole number above 0 or {at_most: N}, not 0"),
        ("image: a\nlayers: {at_least: 2}", "t.yaml:2: layers should read {at_most: 5}"),
        ("image: a\nlayers:\n  at_most: many", "t.yaml:3: layers at_most should be such as 5, not 'many'"),
        ("image: a\nsize: 50MB", "t.yaml:2: size should read {at_most: \"50MB\"}"),
        ("image: a\nsize: {at_most: big}", "t.yaml:2: size at_most should be such as \"50MB\", not 'big'"),
        ("image: a\nhealthcheck: {interval: 30s}", "t.yaml:2: healthcheck should be none or a mapping such as "
                                                    "{test: curl -f http://localhost/}"),
        ("image: a\nhealthcheck: {test: [curl, x]}", "t.yaml:2: a healthcheck test list reads as inspect's Test: "
         "[CMD, word, …] or [CMD-SHELL, command line]; a command line alone is a string"),
        ("image: a\nhealthcheck:\n  test: x\n  interval: soon", "t.yaml:4: healthcheck interval should be a "
                                                                  "duration such as 30s, 1m30s or 500ms"),
        ("image: a\nhealthcheck: {test: x, retries: -1}", "t.yaml:2: healthcheck retries should be a whole number"),
        ("image: a\nhealthcheck: {test: x, every: 1s}", "t.yaml:2: a healthcheck has no field 'every' (known: test, "
                                                        "interval, timeout, start_period, retries)"),
        ("image: a\nbuilt_from: [a]", "t.yaml:2: built_from should be a word or a number, not a list"),
        ("image: a\npresent: false\nuser: root", "t.yaml:3: an image that should be absent has no user to check"),
    ],
)  # fmt: skip
def test_each_field_is_validated_when_the_file_loads(spec: str, error: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_check(load_yaml(spec, "t.yaml"), "t.yaml", 1)
    assert str(caught.value) == error


def test_sizes_and_durations_as_people_write_them() -> None:
    assert [image_size(s) for s in ("50MB", "50 mb", "1.5GB", "800kB", "64MiB", "2Ki", "100", 100, "12B")] == [
        50_000_000, 50_000_000, 1_500_000_000, 800_000, 64 << 20, 2048, 100, 100, 12]  # fmt: skip
    assert [image_size(s) for s in ("0", "big", "", "5 XB", True, -3, 1.5)] == [None] * 7
    assert [decimal(n) for n in (64, 1984348, 312_000_000, 1500, 7 * 10**12)] == ["64B", "1.98MB", "312MB",
                                                                                  "1.5kB", "7TB"]  # fmt: skip
    assert [duration_ns(s) for s in ("30s", "1m30s", "500ms", "1h", 30, 0.5)] == [
        30 * 10**9, 90 * 10**9, 5 * 10**8, 3600 * 10**9, 30 * 10**9, 5 * 10**8]  # fmt: skip
    assert [duration_ns(s) for s in ("soon", "", "30", "-1s", True, -2, "3s later", float("inf"))] == [None] * 8


def test_every_field_is_documented() -> None:
    text = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    table = text[text.index("## Image checks") :]
    assert [f for f in IMAGE_FIELDS if f"`{f}`" not in table] == []


# mappings with the keys the image fields read, so that the fuzzer reaches inside healthcheck, layers and size
NESTED_KEYS = st.sampled_from(["test", "interval", "timeout", "start_period", "retries", "at_most"])
NESTED = st.dictionaries(NESTED_KEYS, st.one_of(values, st.sampled_from(["30s", "1m", "50MB", "CMD"])), max_size=4)


@BUDGET
@given(st.sampled_from(sorted(IMAGE_FIELDS)), st.one_of(values, NESTED))
def test_whatever_a_field_holds_only_a_scenario_error_comes_out(key: str, value: Any) -> None:
    spec = LMap({"image": "myapp:1", key: value})
    spec.line, spec.lines = 1, {"image": 1, key: 2}
    with contextlib.suppress(ScenarioError):
        parse_check(spec, "t.yaml", 1)
