"""Placeholder: being written."""

from __future__ import annotations

from typing import Any

__all__ = ["read_ofac"]


def read_ofac(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("read_ofac is not written yet")
