"""Message keys are fixed: every key the code can say is in the catalogue, in English and Korean, and no
English sentence a learner reads sits outside it.

A key is fixed when it is written where it is used: a literal, a choice between literals, a name bound to
those in the same function, an entry of a module's table of literals, an outcome's value, or a parameter of
a function that only passes on the literal keys its callers give. Anything else is a key built at run time,
which no test could see — and is refused here."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import dockersim
from dockersim.i18n.phrase import CATALOGUE
from dockersim.run.results import Outcome

PACKAGE = Path(dockersim.__file__).parent
SAYERS = {"say", "Phrase"}  # the catalogue's own: say(key, lang, …) and Phrase(key, …)


class Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.tables = {
            t.id: node.value
            for node in self.tree.body
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict)
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(t, ast.Name)
        }

    def function(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"


MODULES = [Module(p) for p in sorted(PACKAGE.rglob("*.py")) if p.parent.name != "i18n"]
FORWARDERS: dict[str, int] = {}  # function name -> position of the key it passes on (after self)


def literals(expr: ast.AST, module: Module, at: ast.AST) -> Iterator[str | ast.AST]:
    """The keys an expression can hold; a node where it can hold a key built at run time."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield expr.value
    elif isinstance(expr, ast.IfExp):
        yield from literals(expr.body, module, at)
        yield from literals(expr.orelse, module, at)
    elif isinstance(expr, (ast.Tuple, ast.List)):
        for element in expr.elts:
            yield from literals(element, module, at)
    elif isinstance(expr, ast.Attribute) and expr.attr == "value" and "outcome" in ast.unparse(expr.value).lower():
        yield from (o.value for o in Outcome)
    elif isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) and expr.value.id in module.tables:
        for value in module.tables[expr.value.id].values:
            yield from literals(value, module, at)
    elif isinstance(expr, ast.Name):
        yield from bound(expr.id, module, at)
    else:
        yield expr


def bound(name: str, module: Module, at: ast.AST) -> Iterator[str | ast.AST]:
    """What a name holds in the function around `at`: its assignments and loops, or a forwarded parameter."""
    function = module.function(at)
    if function is None:
        yield ast.Name(name, lineno=getattr(at, "lineno", 0))
        return
    params = [a.arg for a in function.args.posonlyargs + function.args.args]
    if name in params:
        FORWARDERS[function.name] = params.index(name) - (1 if params and params[0] == "self" else 0)
        return
    found = False
    for node in ast.walk(function):
        pairs: list[tuple[ast.AST, ast.AST]] = []
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, (ast.For, ast.comprehension)):
            source = node.iter
            if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) and source.func.attr == "items":
                if isinstance(node.target, ast.Tuple) and ast.unparse(node.target.elts[0]) == name:
                    found = True
                    yield from counted_keys(source, module)
                continue
            pairs = [(node.target, ast.Tuple(elts=list(getattr(source, "elts", [source]))))]
        for target, value in pairs:
            if isinstance(target, ast.Name) and target.id == name:
                found = True
                yield from literals(value, module, at)
            elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                for t, v in zip(target.elts, value.elts, strict=False):
                    if isinstance(t, ast.Name) and t.id == name:
                        found = True
                        yield from literals(v, module, at)
            elif (
                isinstance(target, ast.Tuple)
                and isinstance(value, ast.Subscript)
                and isinstance(value.value, ast.Name)
                and value.value.id in module.tables
            ):  # key, … = TABLE[…], a table of (key, …) rows
                for i, t in enumerate(target.elts):
                    if isinstance(t, ast.Name) and t.id == name:
                        found = True
                        for row in module.tables[value.value.id].values:
                            yield from literals(row.elts[i], module, at) if isinstance(row, ast.Tuple) else [row]
    if not found:
        yield ast.Name(name, lineno=getattr(at, "lineno", 0))


def counted_keys(source: ast.Call, module: Module) -> Iterator[str | ast.AST]:
    """`for k, n in report.counts().items()`: the counts are keyed by outcome."""
    if "counts" in ast.unparse(source.func.value):  # type: ignore[attr-defined]
        yield from (o.value for o in Outcome)
    else:
        yield source


def uses() -> list[tuple[str, str | ast.AST]]:
    """Every key every call to the catalogue (or to a function that forwards a key to it) can say."""
    found: list[tuple[str, str | ast.AST]] = []
    for module in MODULES:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SAYERS:
                # say(key, lang, …) has a second positional argument; a one-argument `say` is a progress callback
                if node.func.id == "say" and len(node.args) < 2 or not node.args:
                    continue
                found += [(module.where(node), k) for k in literals(node.args[0], module, node)]
    for module in MODULES:  # then every call to a forwarder, by its name
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                at = FORWARDERS.get(name)
                if at is not None and len(node.args) > at:
                    found += [(module.where(node), k) for k in literals(node.args[at], module, node)]
    return found


USES = uses()


def test_the_scan_sees_the_code() -> None:
    assert len(USES) > 300
    assert {"tell", "mark"} <= FORWARDERS.keys(), FORWARDERS


def test_every_key_is_fixed_where_it_is_said() -> None:
    built = [f"{where}: {ast.unparse(k)}" for where, k in USES if not isinstance(k, str)]
    assert built == []


def test_every_key_said_is_in_the_catalogue_in_both_languages() -> None:
    missing = [f"{where}: {k}" for where, k in USES if isinstance(k, str) and k not in CATALOGUE]
    assert missing == []
    for _, key in USES:
        if isinstance(key, str):
            assert CATALOGUE[key].get("en") and CATALOGUE[key].get("ko"), key


# What a learner reads: the run's steps and report, and everything practice shows.
LEARNER = sorted(
    [
        *(PACKAGE / "practice").glob("*.py"),
        *(PACKAGE / "run").glob("*.py"),
        PACKAGE / "report" / "text.py",
        PACKAGE / "report" / "html.py",
    ]  # fmt: skip
)
SENTENCE = re.compile(r"\b[a-z]+ [a-z]+ [a-z]+\b")
NOT_READ: set[str] = set()


def docstrings(tree: ast.Module) -> set[int]:
    """Docstrings, and the page's style sheet and script: read by a programmer or a browser, not a learner."""
    out = {
        id(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "").endswith(("CSS", "_JS")) for t in node.targets)
    }
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            out.add(id(first.value))
    return out


@pytest.mark.parametrize("path", [p for p in LEARNER if p.name not in NOT_READ], ids=lambda p: p.name)
def test_no_english_sentence_a_learner_reads_is_outside_the_catalogue(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    sentences = [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        and SENTENCE.search(node.value) and not node.value.lstrip().startswith(("#", "import "))
    ]  # fmt: skip
    assert sentences == []


def test_the_learner_modules_are_found() -> None:
    assert len(LEARNER) >= 15
