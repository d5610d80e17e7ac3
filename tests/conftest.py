"""Shared fixtures.

``shared_data`` is the folder of real public list files (``../shared/data`` next to
the checkout, or ``$GRAPHKIT_SHARED_DATA``). CI has it; a user's clone does not, so
tests that need it skip with a clear reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import graphkit as gk

REPO = Path(__file__).resolve().parents[1]


def _shared_data() -> Path:
    env = os.environ.get("GRAPHKIT_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = _shared_data()
    if not path.is_dir():
        pytest.skip(f"real list files not found at {path} (set GRAPHKIT_SHARED_DATA; CI has them)")
    return path


@pytest.fixture(scope="session")
def shared_cases() -> Path:
    path = _shared_data().parent / "cases"
    if not path.is_dir():
        pytest.skip(f"shared rule cases not found at {path}")
    return path


@pytest.fixture()
def example() -> gk.OwnershipGraph:
    return gk.example_graph()
