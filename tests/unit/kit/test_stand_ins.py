"""The kit's recipes (kit/stand_ins.py): built in an order where each image comes after what it is built from,
each reference a scenario uses standing for exactly one stand-in, each Dockerfile built from its recipe's
needs; and the static busybox told from a dynamic one."""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import pytest

from dockersim.kit.stand_ins import BASE, KIT_DIR, RECIPES, KitError, Recipe, _is_static, order, stand_in_map


def test_every_recipe_comes_after_what_it_is_built_from() -> None:
    built = order(sorted(RECIPES))
    assert sorted(r.tag for r in built) == sorted(RECIPES)  # every recipe, once
    for i, recipe in enumerate(built):
        before = {r.tag for r in built[:i]}
        assert set(recipe.needs) <= before, f"{recipe.tag} is built before {set(recipe.needs) - before}"


@pytest.mark.parametrize("tag", sorted(RECIPES))
def test_one_stand_in_brings_what_it_is_built_from(tag: str) -> None:
    built = [r.tag for r in order([tag])]
    assert built[-1] == tag
    for i, have in enumerate(built):
        assert set(RECIPES[have].needs) <= set(built[:i])
    assert order([tag, tag]) == order([tag])


def test_a_tag_the_kit_does_not_have_names_those_it_has() -> None:
    with pytest.raises(KitError, match=r"the kit has no image 'dockersim/nope:1' \(it has dockersim/base:bookworm, "):
        order(["dockersim/busybox:latest", "dockersim/nope:1"])


def test_each_reference_stands_for_one_stand_in() -> None:
    aliases = [ref for r in RECIPES.values() for ref in r.stands_for]
    assert len(aliases) == len(set(aliases)), "a reference two recipes stand for"
    mapping = stand_in_map()
    assert sorted(mapping) == sorted(aliases)
    for ref, tag in mapping.items():
        assert ref in RECIPES[tag].stands_for
    assert mapping["ubuntu:14.04"] == "dockersim/ubuntu:14.04" and mapping["centos"] == "dockersim/centos:8"


def test_stand_ins_are_named_so_that_they_shadow_no_real_image() -> None:
    for tag, recipe in RECIPES.items():
        assert tag == recipe.tag and tag.startswith("dockersim/") and ":" in tag
        assert not set(recipe.stands_for) & set(RECIPES)
    assert BASE in RECIPES and not RECIPES[BASE].stands_for  # the base stands for nothing a scenario names


DOCKERFILE_RECIPES = [r for r in RECIPES.values() if r.how.endswith(".Dockerfile")]


def test_the_recipes_use_dockerfiles_that_exist() -> None:
    assert len(DOCKERFILE_RECIPES) >= 5
    assert {r.how for r in RECIPES.values()} - {r.how for r in DOCKERFILE_RECIPES} == {"debootstrap", "busybox"}
    for recipe in DOCKERFILE_RECIPES:
        assert (KIT_DIR / recipe.how).is_file(), recipe.how


@pytest.mark.parametrize("recipe", DOCKERFILE_RECIPES, ids=lambda r: r.how)
def test_each_dockerfile_is_built_from_its_recipe_s_needs(recipe: Recipe) -> None:
    text = (KIT_DIR / recipe.how).read_text()
    bases = re.findall(r"(?m)^FROM\s+(\S+)", text)
    assert bases and set(bases) <= set(recipe.needs), f"{recipe.how} is FROM {bases}, needs {recipe.needs}"


def _elf(tmp_path: Path, program_types: list[int]) -> Path:
    """A 64-bit ELF header and its program headers of these types (3: PT_INTERP, a dynamic loader)."""
    header = bytearray(64)
    header[:5] = b"\x7fELF\x02"
    struct.pack_into("<Q", header, 32, 64)  # e_phoff: right after this header
    struct.pack_into("<HH", header, 54, 56, len(program_types))  # e_phentsize, e_phnum
    table = b"".join(struct.pack("<I", t) + bytes(52) for t in program_types)
    path = tmp_path / "elf"
    path.write_bytes(bytes(header) + table)
    return path


def test_a_static_busybox_is_told_from_a_dynamic_one(tmp_path: Path) -> None:
    assert _is_static(str(_elf(tmp_path, [1, 1, 4])))  # PT_LOAD, PT_LOAD, PT_NOTE
    assert not _is_static(str(_elf(tmp_path, [6, 3, 1])))  # PT_PHDR, PT_INTERP, …
    assert not _is_static(sys.executable)  # this python asks for a dynamic loader
    script = tmp_path / "busybox"
    script.write_text("#!/bin/sh\n")
    assert not _is_static(str(script))
