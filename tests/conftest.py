"""Shared fixtures: paths to ../shared (tests that need it skip when it is absent), fresh stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tmtool.store import Store

# CI runs the property tests on fixed examples (HYPOTHESIS_PROFILE=ci, set by .ci/run), so a
# run is repeatable; elsewhere each run draws new ones and may find new failing cases.
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh store, closed after the test."""
    with Store(db_path) as s:
        yield s


@pytest.fixture
def filled(store: Store) -> Store:
    """A store holding the small test memory (tests/data/tm/memory.tmx)."""
    from tmtool.memory import import_tmx

    import_tmx(store, Path(__file__).parent / "data" / "tm" / "memory.tmx")
    return store
