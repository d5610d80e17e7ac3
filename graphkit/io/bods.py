"""Placeholder: being written."""

from __future__ import annotations

from typing import Any

__all__ = ["read_bods"]


def read_bods(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("read_bods is not written yet")
