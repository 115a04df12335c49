"""The practice shim maps the chapter's image names to their stand-ins only where the docker command grammar
expects an image: never a container, volume or network that happens to share an image's name (2.2.5's
`docker port wordpress`), an option's value, or the container's own command."""

from __future__ import annotations

import pytest

from dockersim.dockercli import commandline
from dockersim.practice.shim import rewrite

LABELS = ["dockersim.run=abc", "dockersim.owner=h/1/2/3"]
KIT = "127.0.0.1:5959/"
IMAGES = {"wordpress": f"{KIT}wordpress", "mysql:5.7": f"{KIT}mysql:5.7", "ubuntu:14.04": f"{KIT}ubuntu:14.04"}


def shimmed(line: str) -> list[str]:
    return rewrite(line.split(), LABELS, IMAGES, scripted=False)


@pytest.mark.parametrize(
    "line",
    [
        "docker port wordpress",
        "docker logs wordpress",
        "docker exec wordpress getent hosts mysql",
        "docker stop wordpress wordpressdb",
        "docker start wordpress",
        "docker inspect wordpress",  # a container first, for docker: not mapped without --type image
        "docker volume create wordpress",
        "docker network create wordpress",
        "docker rename wordpress ubuntu:14.04",
        "docker commit wordpress wordpress",  # a container, and the new image's name
    ],
)
def test_a_name_that_is_not_an_image_is_left_alone(line: str) -> None:
    assert shimmed(line) == commandline.with_label(line.split(), LABELS)


def test_run_maps_its_image_and_nothing_after_it() -> None:
    line = "docker run -d --name wordpress --link wordpressdb:mysql -e HOST=wordpress wordpress wordpress mysql:5.7"
    out = shimmed(line)
    at = out.index(f"{KIT}wordpress")
    assert out[at + 1 :] == ["wordpress", "mysql:5.7"]  # the container's command, as typed
    assert out[out.index("--name") + 1] == "wordpress" and "HOST=wordpress" in out
    assert out.count(f"{KIT}wordpress") == 1


@pytest.mark.parametrize(
    ("line", "mapped"),
    [
        ("docker run -it ubuntu:14.04", [3]),
        ("docker container create --name x -i -t ubuntu:14.04 ubuntu:14.04", [7]),
        ("docker run -v /x:/y --volume=/a:/b --rm ubuntu:14.04 true", [6]),
        ("docker pull mysql:5.7", [2]),
        ("docker image pull mysql:5.7", [3]),
        ("docker rmi -f ubuntu:14.04 mysql:5.7", [3, 4]),
        ("docker image rm ubuntu:14.04", [3]),
        ("docker image inspect wordpress", [3]),
        ("docker inspect --type image wordpress", [4]),
        ("docker inspect --type=container wordpress", []),
        ("docker history wordpress", [2]),
        ("docker tag wordpress wordpress", [2]),  # the source; the new name is the learner's
        ("docker save -o /tmp/x.tar wordpress mysql:5.7", [4, 5]),
        ("docker images ubuntu:14.04", [2]),
        ("docker run -it -- ubuntu:14.04 -x", [4]),
    ],
)
def test_an_image_where_the_grammar_expects_one_is_mapped(line: str, mapped: list[int]) -> None:
    words = line.split()
    assert commandline.image_words(words) == mapped
    out = shimmed(line)
    expected = commandline.with_label([IMAGES[w] if i in mapped else w for i, w in enumerate(words)], LABELS)
    assert out == expected


def test_without_a_map_nothing_changes_but_the_labels() -> None:
    assert rewrite(["docker", "run", "wordpress"], LABELS, {}, False) == commandline.with_label(
        ["docker", "run", "wordpress"], LABELS
    )


def test_arguments_are_placed_where_the_client_reads_them() -> None:
    cmd = commandline.parse(["docker", "run", "-dv", "/x:/y", "--name=a", "-p", "80", "img", "sh", "-c", "x"])
    assert cmd is not None and cmd.args == ("img", "sh", "-c", "x") and cmd.args_at == (7, 8, 9, 10)
    cmd = commandline.parse(["docker", "volume", "create", "v", "--label", "k=v"])  # flags after arguments
    assert cmd is not None and cmd.args == ("v",) and cmd.args_at == (3,)
