from __future__ import annotations

from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
CLIENTS = ["20", "28"]  # client major versions the fixtures were captured with


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()
