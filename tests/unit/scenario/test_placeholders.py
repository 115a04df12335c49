"""Placeholders in scenario text: found, substituted, and every wrong one said in a sentence."""

from __future__ import annotations

from dockersim.scenario import placeholders


def test_placeholders_found_and_substituted() -> None:
    found = placeholders.find("a {image.ubuntu} {short_id:first} \\d{12} {{.Id}} {host_port:web:80/tcp}")
    assert [(p.kind, p.arg) for p in found] == [("image", "ubuntu"), ("short_id", "first"), ("host_port", "web:80/tcp")]
    assert found[2].container == "web"
    assert placeholders.substitute("x{var.A}y", lambda p: p.arg.lower()) == "xay"
    assert placeholders.problems("{foo.bar}", set())[0].startswith("unknown placeholder {foo.bar}")
    assert placeholders.problems("{host_port:web}", set()) == [
        "{host_port:web} should read {host_port:CONTAINER:80/tcp}"
    ]


def test_an_undeclared_repository_names_the_declared_ones() -> None:
    assert placeholders.problems("{repository.nope}", {"centos"})[0].endswith("(declared: centos)")
