"""Shared fixtures: paths to ../shared (tests that need it skip when it is absent), fresh stores."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def shared() -> Path:
    """The ../shared folder beside the project; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh store in the test's own temporary folder."""
    return tmp_path / "test.db"
