"""One test per matching rule added for recall and precision on the real lists (brief M3).

Every name here is made up or a generic pattern; no rule names a company of the labelled sets.
"""

from __future__ import annotations

from graphkit.resolve import NameIndex, match, normalise
from graphkit.resolve.match import DEFAULT_THRESHOLD
from graphkit.resolve.normalise import is_place, is_weak, legal_letters, variants
from graphkit.resolve.score import score_pair


def _one(index: NameIndex, name: str) -> dict[str, object]:
    return dict(match([name], index=index, progress=False).iloc[0])


# --- normalisation ---------------------------------------------------------------------

def test_chinese_place_abbreviations_are_expanded() -> None:
    assert normalise("SZ Foo Technology Co., Ltd.").key == normalise("Shenzhen Foo Technology").key
    assert normalise("Foo Unicom HK").key == "foo unicom hong kong"
    assert normalise("BJ Foo").key == "beijing foo"


def test_russian_public_body_forms_come_off_the_start() -> None:
    n = normalise("Federal State Budgetary Institution of Science Institute of Solid State Physics")
    assert n.key == "institute solid state physics"
    assert n.legal == ("state institution",)
    a = normalise("Autonomous Non-Profit Organization for Higher Education Foo Institute of "
                  "Science and Technology")
    assert a.key == normalise("Foo Institute of Science and Technology").key


def test_generic_words_are_weak_but_not_places() -> None:
    for word in ("national", "state", "new"):
        assert is_weak(word) and not is_place(word)
    assert is_place("international") and is_place("beijing")


def test_a_former_name_in_brackets_is_a_variant_even_if_common_words() -> None:
    out = variants("Foo Digital Co., Ltd. (formerly Shanghai East Computer Co., Ltd.)")
    assert "Shanghai East Computer Co., Ltd." in out
    # without "formerly", a bracket of common words stays part of the name
    assert variants("Foo Digital Co., Ltd. (Shanghai)") == ["Foo Digital Co., Ltd. (Shanghai)"]


def test_an_affiliation_at_the_end_gives_a_variant() -> None:
    assert "Foo Institute of Applied Mathematics" in variants(
        "Foo Institute of Applied Mathematics of the Russian Academy of Sciences")
    assert "Institute of Foo Physics" in variants("Institute of Foo Physics, SB RAS")
    assert variants("Chinese Academy of Sciences") == ["Chinese Academy of Sciences"]


# --- scoring ---------------------------------------------------------------------------

def test_a_trade_word_inside_the_name_is_part_of_it() -> None:
    s, why = score_pair(normalise("China Telecom Satellite Communications Co., Ltd."),
                        normalise("China Satellite Communications Co., Ltd."))
    assert s < DEFAULT_THRESHOLD and "a trade word inside the name" in why
    # trade words after the distinctive word stay common words
    s, why = score_pair(normalise("Hangzhou Foovision Digital Technology Co., Ltd."),
                        normalise("Foovision"))
    assert s >= DEFAULT_THRESHOLD, why


def test_a_short_form_that_ends_in_its_city() -> None:
    s, why = score_pair(normalise("Fooco Shenyang"), normalise("Fooco Shenyang Aircraft Co Ltd"))
    assert s >= DEFAULT_THRESHOLD and "short form: the name up to its place" in why
    # a city after the whole name is still a regional unit, not the same company
    s, why = score_pair(normalise("Fooco Shenyang"), normalise("Fooco"))
    assert s < DEFAULT_THRESHOLD and "a place is named after the name" in why
    # ... and so is a place after the short name in a longer one
    s, _ = score_pair(normalise("Foo Manufacturing International (Beijing) Corporation"),
                      normalise("Foo Manufacturing International"))
    assert s < DEFAULT_THRESHOLD


def test_acronym_legal_letters_must_be_of_the_names_own_legal_form() -> None:
    assert sorted(legal_letters(("group",))) == ["c", "g"]
    s, why = score_pair(normalise("FASIC"), normalise("Foo Avionics Systems Co., Ltd."))
    assert "acronym" not in why  # "IC" is not how "Co., Ltd." is written
    s, why = score_pair(normalise("FSIGC"), normalise("Foo South Industries Group Corporation"))
    assert s >= DEFAULT_THRESHOLD and "acronym of the name (legal form included)" in why


# --- matching --------------------------------------------------------------------------

def test_a_name_made_of_some_of_the_query_words_is_found() -> None:
    # many names share the query's common words; the one that shares its rare word must
    # still be scored
    names = [f"{w} Information Industry Co., Ltd." for w in
             ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota")]
    idx = NameIndex.from_names([f"d{i}" for i in range(len(names))] + ["x"],
                               [*names, "Kappa Information Industry Co., Ltd. (Quorlax)"],
                               progress=False)
    r = _one(idx, "Quorlax Information Industry Co., Ltd.")
    assert r["id"] == "x" and r["status"] == "matched", r


def test_acronym_with_a_legal_letter_is_weak_when_another_name_begins_so() -> None:
    idx = NameIndex.from_names(["avionics", "aero"], [
        "Foo Avionics Systems Co., Ltd.", "Foo Aerospace Science and Industry Corporation"],
        progress=False)
    r = _one(idx, "FASC")
    assert r["status"] != "matched" and "another name begins with these initials" in str(
        r["reason"]), r
    alone = NameIndex.from_names(["avionics"], ["Foo Avionics Systems Co., Ltd."],
                                 progress=False)
    assert _one(alone, "FASC")["status"] == "matched"


def test_the_groups_acronym_with_more_words_is_a_unit_of_the_group() -> None:
    idx = NameIndex.from_names(["group"], ["Foo Electronics Technology Group Corporation"],
                               aliases=[["FETC"]], progress=False)
    r = _one(idx, "FETC Digital Technology Co., Ltd.")
    assert r["status"] == "unmatched" and "after the acronym of the group's name" in str(
        r["reason"]), r
    assert _one(idx, "FETC")["status"] == "matched"
    assert _one(idx, "FETC Group Co., Ltd.")["status"] == "matched"


def test_the_reason_says_which_part_of_the_query_matched() -> None:
    idx = NameIndex.from_names(["k"], ["Foo Institute of Applied Mathematics"], progress=False)
    r = _one(idx, "Foo Institute of Applied Mathematics of the Russian Academy of Sciences")
    assert r["status"] == "matched"
    assert "words at the end left out: 'of the Russian Academy of Sciences'" in str(r["reason"])
    r = _one(idx, "Foo Institute of Applied Mathematics (FIAM)")
    assert "words in brackets left out" in str(r["reason"])


def test_transliterations_meet() -> None:
    s, why = score_pair(normalise("Promelektronika"),
                        normalise("Closed Joint Stock Company Promelectronica"))
    assert s >= DEFAULT_THRESHOLD and "spelt as another transliteration" in why
    s, why = score_pair(normalise("Malik Foostar University of Technology"),
                        normalise("Malek Foostar University of Technology"))
    assert s >= DEFAULT_THRESHOLD, why
    # a different vowel that transliterations do not swap still differs
    s, _ = score_pair(normalise("Sinopac"), normalise("Sinopec"))
    assert s < DEFAULT_THRESHOLD


def test_electr_is_electronics() -> None:
    assert normalise("Foo Panda Electr. Co. Ltd.").key == normalise("Foo Panda Electronics").key


def test_a_bracket_at_the_start_gives_a_variant() -> None:
    assert variants("(Foo) Antenna Institute") == ["(Foo) Antenna Institute", "Antenna Institute"]
    idx = NameIndex.from_names(["a"], ["Antenna Institute"], progress=False)
    r = _one(idx, "(Foo) Antenna Institute")
    assert r["status"] == "matched"
    assert "words in brackets at the start left out" in str(r["reason"])


def test_a_typo_is_not_a_transliteration() -> None:
    # two letters swapped fold the same but are one typo, not another spelling
    _, why = score_pair(normalise("Hu Junjei"), normalise("Hu Junjie"))
    assert "transliteration" not in why
    # pinyin "jia" and "ya" are different syllables
    _, why = score_pair(normalise("Hengjia Digital"), normalise("Hengya Digital"))
    assert "transliteration" not in why
    s, why = score_pair(normalise("LLC BM Project"), normalise("BM Proekt, OOO"))
    assert s >= DEFAULT_THRESHOLD and "transliteration" in why


def test_a_word_said_twice_is_not_a_subset() -> None:
    s, why = score_pair(normalise("Yan Li"), normalise("Yan Yan"))
    assert s < DEFAULT_THRESHOLD and "extra" not in why


def test_different_places_cap_the_score() -> None:
    s, why = score_pair(normalise("Beijing University of Aeronautics and Astronautics"),
                        normalise("Nanjing University of Aeronautics and Astronautics"))
    assert s < DEFAULT_THRESHOLD and "places differ (beijing vs nanjing)" in why


# --- rules added in brief M4 (general, not Russian) ----------------------------------------

def test_singular_and_plural_are_one_word_for_the_subset_rule() -> None:
    s, why = score_pair(normalise("State Key Laboratory of Fooennas and Microwave Technology"),
                        normalise("Key Laboratory of Fooenna and Microwave Technology"))
    assert s >= DEFAULT_THRESHOLD and "singular and plural" in why
    # a different word is still a different word
    s, _ = score_pair(normalise("State Key Laboratory of Fooennas and Microwave Technology"),
                      normalise("Key Laboratory of Barennas and Microwave Technology"))
    assert s < DEFAULT_THRESHOLD


def test_an_armed_service_before_or_after_a_units_name_gives_a_variant() -> None:
    assert "Foo Engineering University" in variants(
        "Strategic Support Force Foo Engineering University")
    assert "Foo Engineering University" in variants(
        "Foo Engineering University of the People's Liberation Army Strategic Support Force")
    # nothing is left but common words: no variant
    assert variants("Rocket Force Engineering University") == [
        "Rocket Force Engineering University"]
    idx = NameIndex.from_names(["u"], ["Foo Engineering University"], progress=False)
    r = _one(idx, "PLA Strategic Support Force Foo Engineering University")
    assert r["id"] == "u" and r["status"] == "matched", r


def test_a_legal_form_joined_with_a_hyphen() -> None:
    assert normalise("Fooscan-yhtiö").key == "fooscan"
    assert normalise("Foo-GmbH").legal == ("gmbh",)
    # two-letter forms are not split off (pinyin "Hua-Ao" is a name)
    assert normalise("Hua-Ao").key == "huaao"


def test_complex_is_a_common_word() -> None:
    assert is_weak("complex")
