"""Placeholder: being written."""

from __future__ import annotations

from typing import Any


def to_html(*args: Any, **kwargs: Any) -> str:
    raise NotImplementedError
