"""A name of common words only, found inside a longer name, proves little: found on the real
lists, where "Institute of Physics Named After P.N. Lebedev" (read without its dedication as
"Institute of Physics") matched Moscow Institute of Physics and Technology at 0.92."""

from __future__ import annotations

from graphkit.resolve import NameIndex, match
from graphkit.resolve.normalise import normalise
from graphkit.resolve.score import score_pair
from graphkit.resolve.subset import COMMON_ONLY
from graphkit.resolve.wordlists import is_common, word_lists

MIPT = "Moscow Institute of Physics and Technology"


def _score(a: str, b: str) -> tuple[float, str]:
    return score_pair(normalise(a), normalise(b))


def test_common_words_inside_a_longer_name_are_capped() -> None:
    s, why = _score("Institute of Physics", MIPT)
    assert s == COMMON_ONLY
    assert why == ("the shorter name has only common words; the longer one (the list name) "
                   "adds: moscow, technology")
    s, why = _score(MIPT, "Institute of Physics")  # the query is the longer name
    assert s == COMMON_ONLY and "the longer one (the query) adds: moscow, technology" in why
    # one extra place alone is enough; so is a kind of body without a field ("Society")
    assert _score("Institute of Physics", "Moscow Institute of Physics")[0] == COMMON_ONLY
    assert _score("Physical Society", "Moscow Physical Society")[0] == COMMON_ONLY


def test_the_mipt_case_is_not_matched() -> None:
    idx = NameIndex.from_names(["mipt"], [MIPT])
    got = match(["Institute of Physics Named After P.N. Lebedev", "Institute of Physics",
                 "Moscow Institute of Physics and Technology (MIPT)"], index=idx)
    assert got["status"].tolist() == ["unmatched", "unmatched", "matched"]
    assert "only common words" in got["reason"].iloc[0]


def test_generic_names_still_match_themselves() -> None:
    assert _score("Institute of Physics", "Institute of Physics") == (1.0, "same name")
    # a legal form, or a group word, is all the longer name adds: the same body
    assert _score("Institute of Physics Ltd", "Institute of Physics")[0] == 0.99
    assert _score("Applied Physics Group", "Applied Physics")[0] == 0.95
    got = match(["Institute of Physics"],
                index=NameIndex.from_names(["iop", "mipt"], ["Institute of Physics", MIPT]))
    assert got["id"].iloc[0] == "iop" and got["score"].iloc[0] == 1.0


def test_a_distinctive_word_keeps_the_other_rules() -> None:
    # the shorter name has a distinctive word: extra common words still match
    assert _score("Lebedev Physical Institute", "Lebedev Physical Institute of Sciences")[0] >= 0.9
    assert _score("Skyrizon Aviation", "Skyrizon Aviation Technology")[0] >= 0.9
    # the longer name adds a distinctive word (a parent's acronym before a long descriptive
    # name): the rarity-weighted rule decides, not this cap
    s, why = _score("AVIC Beijing Aeronautical Manufacturing Technology Research Institute",
                    "Beijing Aeronautical Manufacturing Technology Research Institute")
    assert "only common words" not in why and s >= 0.9
    # names of weak words only keep their own, lower score ("only common words shared")
    assert _score("China Technology", "China Technology Research")[0] == 0.70


def test_trades_are_not_fields_of_science() -> None:
    # a company named after its trade keeps its words distinctive ("China State Construction")
    assert is_common("physics") and is_common("society") and not is_common("construction")
    assert not is_common("optical") and not is_common("chemical")
    assert "construction" not in word_lists().subjects
    assert _score("China State Construction", "China State Construction Engineering")[0] >= 0.9
    # a brand that is also a city name, with a trade adjective: still the company
    assert _score("Taiyuan Optical Limited", "Changsha Taiyuan Optical Co., Ltd.")[0] >= 0.9


def test_a_place_makes_the_shorter_name_a_body_in_particular() -> None:
    from graphkit.resolve.score import score_pair

    s, why = score_pair(normalise("Beijing University of Aeronautics and Astronautics"),
                        normalise("Beijing University of Aeronautics and Astronautics Research Institute"))
    assert "only common words" not in why
