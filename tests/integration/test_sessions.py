"""Interactive sessions on the real engine with both clients, and on podman: run -it, attach, exec -it,
start -a -i, the Ctrl+P,Ctrl+Q detach and a custom --detach-keys."""

from __future__ import annotations

from pathlib import Path

from dockersim.engine.client import Docker
from dockersim.run.results import Outcome
from tests.conftest import describe

HEAD = """\
schema_version: 1
images: {ubuntu: ubuntu:14.04, busybox: busybox}
steps:
"""


def test_run_it_then_exit_stops_the_container(any_engine: Docker, run_yaml) -> None:  # type: ignore[no-untyped-def]
    results = run_yaml(
        HEAD
        + """
      - run: docker run -i -t --name s_exit {image.ubuntu}
        tty:
          - expect: 'root@{short_id:s_exit}:/# '
          - send: echo $((6 * 7))
          - expect: '^42$'
          - send: exit 3
          - expect: eof
        exit: 3
      - check: {container: s_exit, state: exited, exit_code: 3}
    """,
        any_engine,
    )
    assert all(r.outcome == Outcome.PASSED for r in results), describe(results)


def test_attach_exec_start_and_detach(any_engine: Docker, run_yaml) -> None:  # type: ignore[no-untyped-def]
    results = run_yaml(
        HEAD
        + """
      - run: docker run -i -t --name s_box {image.busybox}
        tty:
          - expect: '/ # '
          - keys: [ctrl-p, ctrl-q]
          - expect: eof
        check: {container: s_box, state: running}
      - name: attach, then detach (attach itself exits 1 after a detach)
        run: docker attach s_box
        tty:
          - send: ""
          - expect: '/ # '
          - send: echo attached
          - expect: '^attached'
          - keys: [ctrl-p, ctrl-q]
          - expect: eof
        check: {container: s_box, state: running}
      - name: exec -it, then exit leaves the container running
        run: docker exec -i -t s_box sh
        tty:
          - expect: '/ # '
          - send: echo in-exec
          - expect: '^in-exec'
          - send: exit
          - expect: eof
        check: {container: s_box, state: running}
      - name: exec -it, then detach
        run: docker exec -i -t s_box sh
        tty:
          - expect: '/ # '
          - keys: [ctrl-p, ctrl-q]
          - expect: eof
      - run: docker stop -t 1 s_box
        check: {container: s_box, state: exited}
      - name: start -a -i enters it again
        run: docker start -a -i s_box
        tty:
          - send: ""
          - expect: '/ # '
          - keys: [ctrl-p, ctrl-q]
          - expect: eof
        check: {container: s_box, state: running}
    """,
        any_engine,
    )
    assert all(r.outcome == Outcome.PASSED for r in results), describe(results)


def test_custom_detach_keys(any_engine: Docker, run_yaml) -> None:  # type: ignore[no-untyped-def]
    results = run_yaml(
        HEAD
        + """
      - run: docker run -i -t --detach-keys ctrl-x,x --name s_keys {image.busybox}
        tty:
          - expect: '/ # '
          - keys: [ctrl-p, ctrl-q]      # not the detach keys now: they reach the shell
          - send: echo still-here
          - expect: '^still-here'
          - keys: [ctrl-x, x]
          - expect: eof
        check: {container: s_keys, state: running}
    """,
        any_engine,
    )
    assert all(r.outcome == Outcome.PASSED for r in results), describe(results)


def test_a_client_set_to_detach_on_other_keys_detaches_on_the_tutorial_s(any_engine: Docker, run_yaml,  # type: ignore[no-untyped-def]
                                                                         tmp_path: Path) -> None:  # fmt: skip
    """A learner's client set to detach on other keys (docker's detachKeys, podman's detach_keys): the
    steps press Ctrl+P, Ctrl+Q as the tutorial does, and dockersim names those keys on the command."""
    env = {k: v for k, v in any_engine.env.items() if k.startswith("CONTAINERS_")}
    if any_engine.kind == "podman":  # CONTAINERS_CONF alone is read: the machine's drop-ins first, then ours
        drop_ins = sorted(Path("/etc/containers/containers.conf.d").glob("*.conf"))
        conf = tmp_path / "containers.conf"
        conf.write_text("".join(f.read_text() + "\n" for f in drop_ins) + '[engine]\ndetach_keys = "ctrl-x,x"\n')
        env["CONTAINERS_CONF"] = str(conf)
    else:
        (tmp_path / "config.json").write_text('{"detachKeys": "ctrl-x,x"}')
        env["DOCKER_CONFIG"] = str(tmp_path)
    client = Docker(any_engine.binary, env=env)
    assert client.configured_detach_keys() == "ctrl-x,x"
    results = run_yaml(
        HEAD
        + """
      - run: docker run -i -t --name s_other_keys {image.busybox}
        tty:
          - expect: '/ # '
          - keys: [ctrl-p, ctrl-q]
          - expect: eof
        check: {container: s_other_keys, state: running}
    """,
        client,
    )
    assert all(r.outcome == Outcome.PASSED for r in results), describe(results)


def test_attach_to_a_stopped_container_fails_with_the_screen(any_engine: Docker, run_yaml) -> None:  # type: ignore[no-untyped-def]
    results = run_yaml(
        HEAD
        + """
      - run: docker create -i -t --name s_stopped {image.busybox}
      - run: docker attach s_stopped
        hint: start the container before attaching (docker start s_stopped)
        tty:
          - send: ""
          - expect: '# '
            timeout: 5
          - keys: [ctrl-p, ctrl-q]
          - expect: eof
    """,
        any_engine,
    )
    failed = results[1]
    assert failed.outcome == Outcome.FAILED, describe(results)
    assert "session ended" in failed.reason
    said = ("cannot attach to a stopped container", "you can only attach to running containers")  # docker, podman
    assert any(words in line.lower() for line in failed.screen for words in said), failed.screen
    assert failed.hint.startswith("start the container")


def test_a_prompt_that_never_comes_times_out_with_the_screen(any_engine: Docker, run_yaml) -> None:  # type: ignore[no-untyped-def]
    results = run_yaml(
        HEAD
        + """
      - run: docker run -i -t --name s_wait {image.busybox} sh -c 'echo waiting; sleep 30'
        tty:
          - expect: 'never printed'
            timeout: 1
    """,
        any_engine,
    )
    [r] = results
    assert r.outcome == Outcome.FAILED
    assert "within 1s" in r.reason and r.screen[-1] == "waiting"
    assert r.seconds < 15  # the client was killed, not waited for


def test_detach_from_a_container_that_stopped_is_a_failure(any_engine: Docker, run_yaml) -> None:  # type: ignore[no-untyped-def]
    results = run_yaml(
        HEAD
        + """
      - run: docker run -i -t --name s_dies {image.busybox}
        tty:
          - expect: '/ # '
          - send: exit
          - keys: [ctrl-p, ctrl-q]
          - expect: eof
    """,
        any_engine,
    )
    [r] = results
    assert r.outcome == Outcome.FAILED and "not running" in r.reason, describe(results)


def test_a_container_removed_without_v_leaves_no_anonymous_volume(any_engine: Docker, run_yaml) -> None:  # type: ignore[no-untyped-def]
    """`docker rm` without -v leaves a container's anonymous volume behind, unlabelled: the run notes it
    first (from inspect: podman's ps shows a mount's destination, not its volume) and removes it after."""
    before = set(any_engine.call(["volume", "ls", "-q"]).stdout.split())
    results = run_yaml(
        HEAD
        + """
      - run: docker create --name s_anon -v /data {image.busybox} true
      - run: docker rm s_anon
    """,
        any_engine,
    )
    assert all(r.outcome == Outcome.PASSED for r in results), describe(results)
    assert set(any_engine.call(["volume", "ls", "-q"]).stdout.split()) == before
