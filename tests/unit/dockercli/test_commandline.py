"""Docker command lines read as the client reads them (commandline.parse, by the grammar the clients
describe): every spelling the client accepts means one thing here; and what dockersim asks of a command line:
the container it targets, the names it creates, the objects it names, where labels and detach keys go."""

from __future__ import annotations

import pytest

from dockersim.dockercli import commandline
from dockersim.dockercli.commandline import CommandLineError, parse


@pytest.mark.parametrize(
    "line, path, options, args",
    [
        ("docker run -dv /etc:/e img sh", "container run",
         [("--detach", None), ("--volume", "/etc:/e")], ["img", "sh"]),
        ("docker run -itdv /etc:/e img", "container run",
         [("--interactive", None), ("--tty", None), ("--detach", None), ("--volume", "/etc:/e")], ["img"]),
        ("docker run -v/etc:/e img", "container run", [("--volume", "/etc:/e")], ["img"]),
        ("docker run -v=/etc:/e img", "container run", [("--volume", "/etc:/e")], ["img"]),
        ("docker run -dv=/etc:/e img", "container run", [("--detach", None), ("--volume", "/etc:/e")], ["img"]),
        ("docker run --rm=false -d=true img", "container run", [("--rm", "false"), ("--detach", "true")], ["img"]),
        ("docker run img -v /x:/y", "container run", [], ["img", "-v", "/x:/y"]),
        ("docker run -- img -d", "container run", [], ["img", "-d"]),
        ("docker container run -p8080:80 img", "container run", [("--publish", "8080:80")], ["img"]),
        ("docker volume create h -o device=/etc", "volume create", [("--opt", "device=/etc")], ["h"]),
        ("docker volume create -odevice=/etc h", "volume create", [("--opt", "device=/etc")], ["h"]),
        ("docker network create --internal mynet", "network create", [("--internal", None)], ["mynet"]),
        ("docker network create mynet --internal -d bridge", "network create",
         [("--internal", None), ("--driver", "bridge")], ["mynet"]),
        ("docker rm a -f b", "container rm", [("--force", None)], ["a", "b"]),
        ("docker ps -aq", "container ls", [("--all", None), ("--quiet", None)], []),
        ("docker exec -it c ls -l", "container exec", [("--interactive", None), ("--tty", None)], ["c", "ls", "-l"]),
        ("docker top c -ef", "container top", [], ["c", "-ef"]),
    ],
)  # fmt: skip
def test_spellings(line: str, path: str, options: list[tuple[str, str | None]], args: list[str]) -> None:
    cmd = parse(line.split())
    assert cmd is not None
    assert (cmd.path, [(o.name, o.value) for o in cmd.options], list(cmd.args)) == (path, options, args)
    again = parse(cmd.normalized())  # the normalized spelling means the same
    assert again is not None and (again.path, again.options and [(o.name, o.value) for o in again.options],
                                  again.args) == (path, options or (), tuple(args))  # fmt: skip


@pytest.mark.parametrize(
    "line, globals_",
    [
        ("docker -Hunix:///var/run/docker.sock run img", [("--host", "unix:///var/run/docker.sock")]),
        ("docker -H=tcp://x ps", [("--host", "tcp://x")]),
        ("docker -cNAME run img", [("--context", "NAME")]),
        ("docker -Dc prod ps", [("--debug", None), ("--context", "prod")]),
        ("docker --log-level=debug --config /x ps", [("--log-level", "debug"), ("--config", "/x")]),
    ],
)
def test_global_options_in_every_spelling(line: str, globals_: list[tuple[str, str | None]]) -> None:
    cmd = parse(line.split())
    assert cmd is not None and [(o.name, o.value) for o in cmd.globals] == globals_


@pytest.mark.parametrize(
    "line, words",
    [
        ("docker run --bogus img", "has no option --bogus"),
        ("docker run -dZ img", "has no option -Z"),
        ("docker volume -H x ls", "takes no option -H"),
        ("docker volume bogus", "'volume bogus' is not a docker command"),
        ("docker frobnicate", "'frobnicate' is not a docker command"),
        ("docker run -v", "needs a value"),
        ("docker run --rm=yes img", "true or false"),
        ("docker ---x ps", "has no option ---x"),
        ("docker run --host unix:///x img", "has no option --host"),
    ],
)
def test_what_the_client_refuses_is_an_error(line: str, words: str) -> None:
    with pytest.raises(CommandLineError, match=words):
        parse(line.split())


@pytest.mark.parametrize(
    "argv, target, created",
    [
        ("docker run -i -t --name first img", "first", [("container", "first")]),
        ("docker run -dit -p 80:80 --name=x img sh -c hi", "x", [("container", "x")]),
        ("docker run -it img", None, []),
        ("docker attach mycentos", "mycentos", []),
        ("docker exec -it -e A=1 wordpressdb /bin/bash", "wordpressdb", []),
        ("docker start -a -i c1", "c1", []),
        ("docker container start -ai c2", "c2", []),
        ("docker --context other run --name q img", "q", [("container", "q")]),
        ("docker volume create --name myvolume", None, [("volume", "myvolume")]),
        ("docker volume create myvolume", None, [("volume", "myvolume")]),
        (
            "docker run -v myvolume:/root/ -v /home/x:/y -v /anon --mount source=mv,target=/z img",
            None,
            [("volume", "myvolume"), ("volume", "mv")],
        ),
        ("docker rename angry_morse my_container", "angry_morse", [("container", "my_container")]),
        ("docker network create mynet", None, [("network", "mynet")]),
        ("ls /home", None, []),
    ],
)
def test_command_lines(argv: str, target: str | None, created: list[tuple[str, str]]) -> None:
    words = argv.split()
    assert commandline.target_container(words) == target
    assert commandline.created_names(words) == created


@pytest.mark.parametrize(
    "line, created",
    [
        ("docker network create --internal mynet", [("network", "mynet")]),
        ("docker network create -d bridge --subnet 10.9.0.0/24 --label a=b net2", [("network", "net2")]),
        ("docker network create net3 --internal", [("network", "net3")]),
        ("docker volume create -d local --label x=y vol1", [("volume", "vol1")]),
        ("docker volume create vol2 --label x=y", [("volume", "vol2")]),
        ("docker volume create --name=vol3", [("volume", "vol3")]),
        ("docker container create -it --name c1 -v v4:/d img", [("container", "c1"), ("volume", "v4")]),
        ("docker run -dit --name=c2 --mount type=volume,src=v5,dst=/d img", [("container", "c2"), ("volume", "v5")]),
        ("docker run -dv v6:/d --name c3 img", [("container", "c3"), ("volume", "v6")]),
        ("docker container rename a b", [("container", "b")]),
        ("docker run -v /host:/d -v ./rel:/r img", []),
    ],
)
def test_created_names_whatever_the_flags(line: str, created: list[tuple[str, str]]) -> None:
    assert sorted(commandline.created_names(line.split())) == sorted(created)


@pytest.mark.parametrize(
    "line, named",
    [
        ("docker rm -f web db", [("container", "web"), ("container", "db")]),
        ("docker rm --link /web/db", [("container", "web")]),
        ("docker container stop -t 1 web", [("container", "web")]),
        ("docker exec -it web ls /data", [("container", "web")]),
        ("docker logs --tail 5 web", [("container", "web")]),
        ("docker commit web img:1", [("container", "web"), ("image", "img:1")]),
        ("docker run -d --link db:mysql --volumes-from=data:ro img", [("container", "db"), ("container", "data")]),
        ("docker run --net=container:web img", [("container", "web")]),
        ("docker run --network mynet --network bridge img", [("network", "mynet")]),
        ("docker run -dv vol:/d -v /host:/h img", [("volume", "vol")]),
        ("docker run --mount type=volume,src=vol2,dst=/d img", [("volume", "vol2")]),
        ("docker volume rm -f a b", [("volume", "a"), ("volume", "b")]),
        ("docker network connect net web", [("network", "net"), ("container", "web")]),
        ("docker rmi -f busybox", [("image", "busybox")]),
        ("docker tag busybox theirs:1", [("image", "theirs:1")]),
        ("docker inspect web", [("any", "web")]),
        ("docker inspect --type=volume vol", [("volume", "vol")]),
        ("docker ps -a", []),
        ("docker run -it --name mine img sh", []),
    ],
)
def test_what_a_command_names_whatever_the_flags(line: str, named: list[tuple[str, str]]) -> None:
    """The existing objects a command acts on or uses, which on a shared engine must be the run's own."""
    assert commandline.references(line.split()) == named


def test_labels_go_where_the_client_reads_them() -> None:
    labelled = commandline.with_label(["docker", "network", "create", "--internal", "mynet"], ["dockersim.run=x"])
    assert labelled == ["docker", "network", "create", "--internal", "--label", "dockersim.run=x", "mynet"]
    # After the student's own: the last of a key counts, so a `--label dockersim.run=…` of theirs loses.
    theirs = ["docker", "run", "--label", "dockersim.run=mine", "-d", "--", "img", "-x"]
    cmd = parse(commandline.with_label(theirs, ["dockersim.run=ours"]))
    assert cmd is not None and cmd.values("--label")[-1] == "dockersim.run=ours" and cmd.args == ("img", "-x")
    later = commandline.with_label(["docker", "volume", "create", "v", "--label", "a=b"], ["dockersim.run=x"])
    assert later[-4:] == ["--label", "a=b", "--label", "dockersim.run=x"]
    pruned = commandline.with_filter(["docker", "system", "prune", "-af"], ["label=dockersim.run=x"])
    assert pruned == ["docker", "system", "prune", "-af", "--filter", "label=dockersim.run=x"]
    cmd = parse(commandline.with_label(["docker", "-D", "container", "run", "-dit", "img", "sh"], ["k=v"]))
    assert cmd is not None and cmd.values("--label") == ["k=v"] and cmd.args == ("img", "sh")
    assert commandline.detach_keys(["docker", "attach", "--detach-keys=ctrl-x,x", "c"]) == ("ctrl-x", "x")
    assert commandline.detach_keys(["docker", "run", "-it", "img"]) == ("ctrl-p", "ctrl-q")
    assert commandline.prunes(["docker", "container", "prune", "-f"]) and not commandline.prunes(["docker", "ps"])


def test_the_tutorial_s_detach_keys_go_before_the_container_unless_the_command_names_its_own() -> None:
    keys = ["--detach-keys", "ctrl-p,ctrl-q"]
    run = ["docker", "container", "run", "-i", "-t", "--name", "x", "busybox", "sh"]
    assert commandline.with_detach_keys(run, "ctrl-p,ctrl-q") == [*run[:7], *keys, *run[7:]]
    assert commandline.with_detach_keys(["docker", "attach", "x"], "ctrl-p,ctrl-q") == ["docker", "attach", *keys, "x"]
    named = ["docker", "exec", "-it", "--detach-keys", "ctrl-a", "x", "sh"]
    assert commandline.with_detach_keys(named, "ctrl-p,ctrl-q") == named  # the command's own keys stand
    assert commandline.with_detach_keys(["docker", "ps", "-a"], "ctrl-p,ctrl-q") == ["docker", "ps", "-a"]
