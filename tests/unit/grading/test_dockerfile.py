"""A Dockerfile read as docker's parser reads it (dockerfile.py): what grading refuses before a build (a RUN
step's BuildKit options, however the file spells them) and the images a build reads (for a podman sandbox's
builder, which is given them first)."""

from __future__ import annotations

import pytest

from dockersim.grading.dockerfile import instructions, read


def test_instructions_join_continued_lines_and_drop_comments() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n"
        "FROM busybox AS base\n"
        "\n"
        "RUN echo a \\\n"
        "  # a comment inside the instruction is dropped\n"
        "\n"
        "  && echo b\n"
        "  run   echo c\n"
    )
    found = instructions(text)
    assert [(i.line, i.keyword) for i in found] == [(2, "from"), (4, "run"), (8, "run")]
    assert found[1].rest == "echo a   && echo b" and found[2].rest == "echo c"


@pytest.mark.parametrize(
    "text, flag, line",
    [
        (
            "FROM busybox\nRUN --mount=type=bind,source=/,target=/h cat /h/etc/shadow\n",
            "--mount=type=bind,source=/,target=/h",
            2,
        ),
        ("FROM busybox\nrun --network=host wget http://10.0.0.1/\n", "--network=host", 2),
        ("FROM busybox\nRUN --security=insecure id\n", "--security=insecure", 2),
        ("FROM busybox\nRUN \\\n  --mount=type=secret,id=s cat /run/secrets/s\n", "--mount=type=secret,id=s", 2),
        # The escape character changed: a reader expecting \ would take the option for an instruction.
        ("# escape=`\nFROM busybox\nRUN `\n  --mount=type=cache,target=/c ls /c\n", "--mount=type=cache,target=/c", 3),
        ("#escape = `\nFROM busybox\nRUN `\n--mount=type=bind,target=/h ls\n", "--mount=type=bind,target=/h", 3),
        (
            "FROM busybox\nONBUILD RUN --mount=type=bind,source=/,target=/h ls /h\n",
            "--mount=type=bind,source=/,target=/h",
            2,
        ),
        ("FROM busybox\nR\\\nUN --mount=type=bind,target=/h ls\n", "--mount=type=bind,target=/h", 2),
        ("\ufeffFROM busybox\n   RUN    --mount=type=tmpfs,target=/t ls\n", "--mount=type=tmpfs,target=/t", 2),
    ],
)
def test_a_run_step_s_options_are_found_however_they_are_written(text: str, flag: str, line: int) -> None:
    assert read(text).run_flags[:1] == [(line, flag)]


@pytest.mark.parametrize(
    "text",
    [
        "FROM busybox\nRUN apt-get install -y \\\n    --no-install-recommends curl\n",  # the command's own option
        "FROM busybox\nRUN echo --mount=type=bind\n",
        'FROM busybox\nRUN ["--mount=type=bind", "x"]\n',  # exec form: the command itself
        "# escape=\\\nFROM busybox\nCOPY --from=busybox /bin/sh /sh\n",  # COPY's options are not RUN's
    ],
)
def test_a_command_s_own_options_are_not_a_run_step_s(text: str) -> None:
    assert read(text).run_flags == []


def test_the_images_a_build_reads() -> None:
    text = (
        "ARG BASE=busybox\n"
        "ARG TAG\n"
        "FROM ${BASE}:${TAG} AS build\n"
        "FROM --platform=linux/amd64 debian:bookworm\n"
        "COPY --from=build /x /x\n"
        "COPY --from=0 /y /y\n"
        "COPY --from=ubuntu:14.04 /etc/os-release /os\n"
        "FROM scratch\n"
        "FROM build\n"
    )
    assert read(text, {"TAG": "1.36"}).bases == ["busybox:1.36", "debian:bookworm", "ubuntu:14.04"]
    assert read(text).bases[0] == "busybox:"
    assert read("FROM $NOPE\n").bases == [] and read("").bases == []
