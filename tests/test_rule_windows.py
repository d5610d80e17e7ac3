"""Rule windows that end "absent extension", and the citations of the rule files.

The BIS suspension of the Affiliates Rule was set to end on 2026-11-09 "absent a
future extension" (90 FR 50857). For later days graphkit applies the rule again, but
it cannot know whether the suspension was extended: every such day carries a caveat
(``Terms.caveats``, ``Rule.caveats``) instead of a silent claim that the rule is back.
"""

from __future__ import annotations

from typing import Any

import pytest

import graphkit as gk
from graphkit.rules import RuleError, get_rule, parse_rule

BASE: dict[str, Any] = {"name": "t", "label": "Test Rule", "lists": ["us-bis-entity-list"], "threshold": 50,
                        "inclusive": True, "aggregate": True, "control_counts": False}


def rule_with(window: dict[str, Any]) -> Any:
    return parse_rule({**BASE, "windows": [window]}, "t.yaml")


WINDOW = {"from": "2025-11-10", "to": "2026-11-09", "effect": "suspended", "source": "90 FR 50857"}


# -- the mechanism -------------------------------------------------------------------------------
def test_no_caveat_before_or_during_the_window() -> None:
    r = rule_with({**WINDOW, "unless_extended": True})
    assert r.terms("2025-11-09").caveats == () and not r.terms("2025-11-09").suspended
    during = r.terms("2026-11-09")
    assert during.suspended and during.caveats == ()


def test_caveat_on_every_day_after_the_window() -> None:
    r = rule_with({**WINDOW, "unless_extended": True})
    for day in ("2026-11-10", "2026-11-23", "2030-01-01"):
        t = r.terms(day)
        assert not t.suspended
        assert len(t.caveats) == 1
        assert r.caveats(day) == t.caveats
    text = r.caveats("2026-11-23")[0]
    # the default sentence names the rule, the end date, the source and what to do
    assert "Test Rule" in text and "2026-11-09" in text and "90 FR 50857" in text
    assert "extension" in text and "check" in text


def test_own_caveat_text_replaces_the_default() -> None:
    r = rule_with({**WINDOW, "unless_extended": True, "caveat": "  Check the   Federal Register.  "})
    assert r.caveats("2026-12-01") == ("Check the Federal Register.",)


def test_window_without_unless_extended_claims_nothing() -> None:
    """An ordinary window (a period whose end is certain) leaves no caveat."""
    r = rule_with(WINDOW)
    assert r.caveats("2026-12-01") == ()


def test_caveat_also_shown_while_another_window_applies() -> None:
    spec = {**BASE, "windows": [{**WINDOW, "unless_extended": True},
                                {"from": "2027-01-01", "to": "2027-06-30", "effect": "suspended"}]}
    t = parse_rule(spec).terms("2027-02-01")
    assert t.suspended and len(t.caveats) == 1


def test_describe_carries_the_caveat_and_the_window() -> None:
    r = rule_with({**WINDOW, "unless_extended": True, "caveat": "It may have been extended."})
    assert r.describe("2026-11-23").endswith("Caveat: It may have been extended.")
    assert "suspended from 2025-11-10 to 2026-11-09" in r.describe("2026-01-01")
    assert "Caveat" not in r.describe("2026-01-01")


@pytest.mark.parametrize("window, message", [
    ({**WINDOW, "unless_extended": "yes"}, "'unless_extended' must be true or false"),
    ({**WINDOW, "caveat": 3}, "'caveat' must be a sentence"),
    ({**WINDOW, "caveat": "   "}, "'caveat' must be a sentence"),
    ({"from": "2025-11-10", "effect": "suspended", "unless_extended": True}, "need the date the window ends"),
    ({**WINDOW, "unles_extended": True}, "unknown field"),
])
def test_window_validation(window: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        rule_with(window)


# -- the shipped rule files ------------------------------------------------------------------------
def test_bis_suspension_ends_with_a_caveat() -> None:
    bis = get_rule("bis-affiliates")
    assert bis.terms("2026-11-09").suspended and bis.caveats("2026-11-09") == ()
    after = bis.terms("2026-11-23")
    assert not after.suspended
    (text,) = after.caveats
    assert "90 FR 50857" in text and "absent a future extension" in text
    assert "Caveat:" in bis.describe("2026-11-23")


def test_bis_after_the_window_still_applies_the_rule() -> None:
    """The caveat does not change statuses: from 10 Nov 2026 the rule applies again."""
    g = gk.example_graph()   # Parent Group (Entity List) owns 60% of Sub Ltd
    r = gk.restricted(g, rule="bis-affiliates", as_of="2026-11-23").set_index("id")
    assert r.loc["sub", "status"] == "restricted"
    # the rule's citation, on every explanation's "Rule:" line, says the stay could be extended
    assert "absent a future extension" in r.loc["sub", "explanation"]


def test_bis_explanation_carries_the_caveat() -> None:
    g = gk.example_graph()
    r = gk.restricted(g, rule="bis-affiliates", as_of="2026-11-23").set_index("id")
    assert "graphkit's rule data record no extension" in r.loc["sub", "explanation"]


def test_bis_citations() -> None:
    bis = get_rule("bis-affiliates")
    suspension = [c for c in bis.legal_basis if "One Year Suspension" in c["cite"]]
    assert len(suspension) == 1
    assert "90 FR 50857" in suspension[0]["cite"] and "2025-19846" in suspension[0]["cite"]
    assert suspension[0]["url"].endswith("/2025/11/12/2025-19846/one-year-suspension-of-expansion-of-end-user-"
                                         "controls-for-affiliates-of-certain-listed-entities")
    assert "No. 216" not in bis.citation()
    sdn = next(s for s in bis.lists if s.list == "us-ofac-sdn")
    # the CFR text of 744.8(a)(1) was not found: the list stays marked unverified
    assert not sdn.programs_verified and "program list unverified" in sdn.describe()
    assert sdn.programs is not None and len(sdn.programs) == 14
    assert {"SDT", "IFSR"}.isdisjoint(sdn.programs)


def test_eu_change_is_cited() -> None:
    eu = get_rule("eu50")
    assert "UNVERIFIED" not in eu.citation()
    assert all(c["url"] for c in eu.legal_basis)
    assert "3 Jul 2024" in eu.citation() and "ST 11623/24" in eu.citation()
    assert eu.terms("2024-07-02").threshold_text == "more than 50%"
    assert eu.terms("2024-07-03").threshold_text == "50% or more"
