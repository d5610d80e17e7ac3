"""Placeholder: being written."""

from __future__ import annotations

from typing import Any

__all__ = ["read_gleif"]


def read_gleif(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("read_gleif is not written yet")
