from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures"
CLIENTS = ["20", "28"]  # client major versions the fixtures were captured with


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()
