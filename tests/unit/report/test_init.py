"""Reporters chosen by name (dockersim/report/__init__.py)."""

from __future__ import annotations

import pytest

from dockersim.errors import DockersimError
from dockersim.report import reporter


def test_an_unknown_reporter_is_one_sentence() -> None:
    with pytest.raises(DockersimError, match="there is no reporter 'yaml'"):
        reporter("yaml")
