"""An identifier wins over the name, but the reason says when the name does not confirm it
(a mistyped registration number would otherwise pass unseen)."""

from __future__ import annotations

import pandas as pd

from graphkit.resolve import NameIndex, match


def _index() -> NameIndex:
    return NameIndex.from_names(["a", "b"], ["Brazil Shipping I Limited", "Sub Ltd"],
                                identifiers=[["lei:2138004VFYZFYLELHT92"], []])


def test_identifier_with_an_unrelated_name_is_flagged() -> None:
    queries = pd.DataFrame({"name": ["Totally Different Name Ltd", "Brazil Shipping I Ltd", "Brazl Shiping Limited"],
                            "identifier": ["2138004VFYZFYLELHT92"] * 3})
    got = match(queries, index=_index())
    assert got["id"].tolist() == ["a", "a", "a"] and got["status"].tolist() == ["matched"] * 3
    reasons = got["reason"].tolist()
    assert reasons[0] == ("identifier 2138004VFYZFYLELHT92 matches; the name given shares no word with the "
                          "entity's names: check the identifier")
    assert "check the identifier" not in reasons[1]
