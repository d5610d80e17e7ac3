"""Placeholder: being written."""

from __future__ import annotations

from typing import Any

__all__ = ["read_ftm"]


def read_ftm(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("read_ftm is not written yet")
