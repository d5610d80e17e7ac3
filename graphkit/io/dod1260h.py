"""Placeholder: being written."""

from __future__ import annotations

from typing import Any

__all__ = ["read_dod1260h"]


def read_dod1260h(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("read_dod1260h is not written yet")
