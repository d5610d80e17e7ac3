"""Two kinds of body are not one entity: found on the real lists, where "Association of
Unmanned Systems" (a non-commercial partnership) matched "Unmanned Systems" LLC at 0.92."""

from __future__ import annotations

from graphkit.resolve import NameIndex, match
from graphkit.resolve.normalise import normalise
from graphkit.resolve.score import ORG_KIND_CAP, score_pair


def test_an_association_is_not_a_company() -> None:
    s, why = score_pair(normalise("Association of Unmanned Systems"),
                        normalise("Limited Liability Company Unmanned Systems"))
    assert s == ORG_KIND_CAP - 0.01 and why.endswith("association is not a company (limited liability company)")
    got = match(["Association of Unmanned Systems"],
                index=NameIndex.from_names(["llc"], ["Limited Liability Company Unmanned Systems"]))
    assert got["status"].iloc[0] == "unmatched"


def test_the_same_kind_of_body_still_matches() -> None:
    # the word is on both sides, or neither side is a company by its legal form
    assert score_pair(normalise("Unmanned Systems Association"),
                      normalise("Unmanned Systems Association LLC"))[0] >= 0.9
    assert score_pair(normalise("Harbin Institute of Technology"),
                      normalise("Harbin Institute of Technology"))[0] == 1.0
    s, why = score_pair(normalise("Institute of Unmanned Systems"), normalise("Unmanned Systems"))
    assert "not a company" not in why
