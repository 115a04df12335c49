"""A folder copied without following a link out of it (tree.py): what a build reads of a workspace, and what
a submission's folder brings to its workspace. A link stays when it resolves inside the copy, as the kernel
would resolve it; one that leads out is left out and named, never followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockersim.host import tree

SECRET = "root:$6$not-for-students:19000:0:99999:7:::"
BIG = 1 << 30


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the folder copied, standing for /etc/shadow."""
    secret = tmp_path / "shadow"
    secret.write_text(SECRET + "\n")
    return secret


def _all_text(folder: Path) -> str:
    out = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            out.append(path.read_text(errors="replace"))
    return "".join(out)


def test_files_folders_and_inner_links_are_copied_as_they_are(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "www" / "img").mkdir(parents=True)
    (source / "www" / "index.html").write_text("<h1>hi</h1>\n")
    (source / "run.sh").write_text("#!/bin/sh\n")
    (source / "run.sh").chmod(0o750)
    (source / "www" / "home.html").symlink_to("index.html")
    (source / "www" / "img" / "up").symlink_to("../index.html")
    (source / "current").symlink_to("www")
    copied = tree.copy_tree(source, "", tmp_path / "copy", max_bytes=BIG, max_entries=100)
    copy = tmp_path / "copy"
    assert (copy / "www" / "home.html").read_text() == "<h1>hi</h1>\n"
    assert os.readlink(copy / "www" / "img" / "up") == "../index.html"
    assert (copy / "current" / "index.html").is_file() and oct((copy / "run.sh").stat().st_mode & 0o777) == "0o750"
    assert copied.links_out == [] and copied.others == [] and not copied.full
    assert copied.entries == 7 and copied.size == len("<h1>hi</h1>\n") + len("#!/bin/sh\n")


@pytest.mark.parametrize(
    "link, target",
    [
        ("secret", "{outside}"),  # absolute, to the machine's file
        ("root", "/"),
        ("rel", "../shadow"),
        ("deep/rel", "../../shadow"),
        ("dotdot", ".."),
        # Lexically inside, out by the kernel's reading: `here` is the copy's root, so here/.. is above it.
        ("chain", "here/../shadow"),
        ("loop", "loop"),
    ],
)
def test_a_link_that_leads_out_is_left_out_and_named(link: str, target: str, tmp_path: Path, outside: Path) -> None:
    source = tmp_path / "src"
    (source / "deep").mkdir(parents=True)
    (source / "here").symlink_to(".")
    (source / link).symlink_to(target.format(outside=outside))
    copied = tree.copy_tree(source, "", tmp_path / "copy", max_bytes=BIG, max_entries=100)
    assert copied.links_out == [link] and not (tmp_path / "copy" / link).is_symlink()
    assert (tmp_path / "copy" / "here").is_symlink()  # the inner one stays
    assert SECRET not in _all_text(tmp_path / "copy")


def test_a_link_is_judged_through_the_links_it_goes_through(tmp_path: Path) -> None:
    """`up` leads out, and `via` through it: both are left out. `in` goes through `sub`, which stays inside."""
    source = tmp_path / "src"
    (source / "d").mkdir(parents=True)
    (source / "up").symlink_to("..")
    (source / "via").symlink_to("up/x")
    (source / "sub").symlink_to("d")
    (source / "in").symlink_to("sub/../d")
    copied = tree.copy_tree(source, "", tmp_path / "copy", max_bytes=BIG, max_entries=100)
    assert copied.links_out == ["up", "via"]
    assert tree.resolves_inside(tmp_path / "copy", "in") and (tmp_path / "copy" / "in").is_symlink()


def test_fifos_and_hard_links_are_not_copied_when_asked_not_to(tmp_path: Path, outside: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    os.mkfifo(source / "pipe")
    os.link(outside, source / "hard")  # the same file as one outside, under another name
    copied = tree.copy_tree(source, "", tmp_path / "copy", max_bytes=BIG, max_entries=100, hard_links=False)
    assert sorted(copied.others) == ["hard", "pipe"] and list((tmp_path / "copy").iterdir()) == []
    again = tree.copy_tree(source, "", tmp_path / "again", max_bytes=BIG, max_entries=100)
    assert again.others == ["pipe"] and (tmp_path / "again" / "hard").read_text().startswith("root:")


def test_a_copy_stops_at_its_bounds(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for i in range(5):
        (source / f"f{i}").write_bytes(b"x" * 1000)
    assert tree.copy_tree(source, "", tmp_path / "a", max_bytes=2500, max_entries=100).full
    assert tree.copy_tree(source, "", tmp_path / "b", max_bytes=BIG, max_entries=3).full
    done = tree.copy_tree(source, "", tmp_path / "c", max_bytes=5000, max_entries=5)
    assert not done.full and done.size == 5000


def test_a_link_on_the_way_to_what_is_copied_is_never_followed(tmp_path: Path, outside: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "app").symlink_to(outside.parent)
    with pytest.raises(OSError):
        tree.copy_tree(source, "app", tmp_path / "copy", max_bytes=BIG, max_entries=100)
    with pytest.raises(OSError):
        tree.copy_tree(source, "../", tmp_path / "copy2", max_bytes=BIG, max_entries=100)
    with pytest.raises(FileNotFoundError):
        tree.copy_tree(source, "missing", tmp_path / "copy3", max_bytes=BIG, max_entries=100)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving files to another uid needs root")
def test_the_copy_is_given_to_its_owner(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "d").mkdir(parents=True)
    (source / "d" / "f").write_text("x")
    (source / "l").symlink_to("d/f")
    tree.copy_tree(source, "", tmp_path / "copy", owner=123456, max_bytes=BIG, max_entries=100)
    for path in (tmp_path / "copy", tmp_path / "copy" / "d", tmp_path / "copy" / "d" / "f"):
        assert path.stat().st_uid == 123456 and path.stat().st_gid == 123456
    assert (tmp_path / "copy" / "l").lstat().st_uid == 123456
