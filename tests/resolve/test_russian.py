"""Russian organisation vocabulary and acronyms of transliterated names (brief M4).

Every name here is made up; no rule names a company of the labelled sets.
"""

from __future__ import annotations

import pytest

from graphkit.resolve import NameIndex, match, normalise
from graphkit.resolve.match import DEFAULT_THRESHOLD
from graphkit.resolve.normalise import is_weak, russian_word, undigraph, variants
from graphkit.resolve.score import russian_stem, score_pair


def _one(index: NameIndex, name: str) -> dict[str, object]:
    return dict(match([name], index=index, progress=False).iloc[0])


# --- legal forms of Russian public bodies ----------------------------------------------

@pytest.mark.parametrize("name", [
    "FGUP Zorin Plant", "FSUE Zorin Plant", "Federal State Unitary Enterprise Zorin Plant",
    "GUP Zorin Plant", "MUP Zorin Plant", "Federalnoe Gosudarstvennoe Unitarnoe Predpriyatie "
    "Zorin Plant", "ФГУП «Зорин Plant»",
    "Федеральное государственное унитарное предприятие Zorin Plant"])
def test_state_unitary_enterprise_is_a_legal_form_at_the_start(name: str) -> None:
    n = normalise(name)
    assert n.key == "zorin plant", n
    assert n.legal == ("state unitary enterprise",)


@pytest.mark.parametrize("name, label", [
    ("FKP Zorin Plant", "state enterprise"),
    ("Federalnoe Kazennoe Predpriyatie Zorin Plant", "state enterprise"),
    ("NAO Zorin", "joint stock company"),
    ("Nepublichnoe Aktsionernoe Obshchestvo Zorin", "joint stock company"),
    ("PAO Zorin", "joint stock company"),
    ("FGBOU VO Zorin University", "state institution"),
    ("Federalnoe Gosudarstvennoe Byudzhetnoe Obrazovatelnoe Uchrezhdenie Vysshego Obrazovaniya "
     "Zorin University", "state institution"),
    ("FGBUN Zorin Institute", "state institution"),
])
def test_russian_legal_forms(name: str, label: str) -> None:
    assert normalise(name).legal == (label,)


# --- Russian organisation words ----------------------------------------------------------

@pytest.mark.parametrize("russian, english", [
    ("Nauchno-Issledovatelskiy Institut Zorin", "Scientific Research Institute Zorin"),
    ("Научно-исследовательский институт Zorin", "Scientific Research Institute Zorin"),
    ("NII Zorin", "Scientific Research Institute Zorin"),
    ("OKB Zorin", "Experimental Design Bureau Zorin"),
    ("Spetsialnoe Konstruktorskoe Byuro Zorin", "Special Design Bureau Zorin"),
    ("NPO Zorin", "Scientific Production Association Zorin"),
    ("Zorinskiy Tsentr", "Zorinskiy Center"),
    ("Zorin Universitet", "Zorin University"),
    ("Akademiya Zorina", "Academy Zorina"),
    ("Kontsern Zorin", "Concern Zorin"),
])
def test_russian_words_meet_their_english_rendering(russian: str, english: str) -> None:
    assert normalise(russian).key == normalise(english).key


def test_russian_words_are_common_words_never_evidence_alone() -> None:
    for word in ("institut", "nauchnoissledovatelskiy", "universiteta", "akademii", "tsentr",
                 "zavod", "kontsern", "obyedinenie", "nauchnoproizvodstvennoe",
                 "konstruktorskoe", "byuro"):
        read = russian_word(word)
        assert read is not None, word
        assert all(is_weak(t) for t in read), (word, read)
    s, _ = score_pair(normalise("Institut Zorin"), normalise("Institut Borin"))
    assert s < DEFAULT_THRESHOLD


def test_english_words_are_not_read_as_russian() -> None:
    for word in ("institution", "institutional", "central", "centrality", "academic",
                 "universal", "federation", "national", "nautical"):
        assert russian_word(word) is None, word
    # the Russian "i" (and) goes only where Russian words were read
    assert normalise("Zorin Fund I").key == "zorin fund i"
    assert normalise("Institut Fiziki i Khimii").key == "institute physics chemistry"


def test_dedication_and_academy_of_sciences_in_russian_give_variants() -> None:
    assert "Institut Zorina" in variants("Institut Zorina im. M.V. Borisova")
    assert "Institut Zorina" in variants("Institut Zorina imeni Borisova")
    assert "Institut Zorina" in variants("Institut Zorina RAN")
    assert "Institut Zorina" in variants("Institut Zorina Rossiiskoi Akademii Nauk")
    assert "ZIAM" in variants("ZIAM RAS")  # an acronym with the affiliation after it
    assert variants("Chinese Academy of Sciences") == ["Chinese Academy of Sciences"]


def test_a_russian_ending_is_a_transliteration_not_another_word() -> None:
    assert russian_stem("zorinskiy") == russian_stem("zorino") == "zorin"
    s, why = score_pair(normalise("Zorinskiy Institut Nauki i Tekhnologii"),
                        normalise("Zorino Institute of Science and Technology"))
    assert s >= DEFAULT_THRESHOLD, why
    # another word altogether still differs
    s, _ = score_pair(normalise("Borinskiy Institut Nauki i Tekhnologii"),
                      normalise("Zorino Institute of Science and Technology"))
    assert s < DEFAULT_THRESHOLD


# --- acronyms of transliterated names ----------------------------------------------------

def test_acronyms_of_a_transliterated_name() -> None:
    n = normalise("Открытое акционерное общество «Зоринские железные дороги»")
    assert "zzhd" in n.acronyms  # Zh kept as two letters, as Russian acronyms write it
    n = normalise("Tsentralny Nauchno-Issledovatelsky Institut Khimii I Zorina, FGUP")
    assert {"tniikz", "tsniikhz"} <= set(n.acronyms)  # each part of a compound counts
    assert normalise("Zorin Technologies").acronyms == ()  # English names: none
    assert undigraph("zzhd") == "zzd"


def test_a_latin_acronym_finds_a_cyrillic_name() -> None:
    idx = NameIndex.from_names(["z", "other"], [
        "Открытое акционерное общество «Зоринские железные дороги»", "Zorin Zinc Holdings"],
        progress=False)
    r = _one(idx, "ZZhD")
    assert r["id"] == "z" and r["status"] == "matched", r
    assert "acronym of the name as transliterated" in str(r["reason"])
    # the same acronym without the two-letter sound, with a legal form
    r = _one(idx, "JSC ZZD")
    assert r["status"] != "matched" or r["id"] == "z", r


def test_one_acronym_in_two_transliterations() -> None:
    idx = NameIndex.from_names(["z"], ["OAO ZZhD"], progress=False)
    r = _one(idx, "JSC ZZD")
    assert r["id"] == "z" and r["status"] == "matched", r
    assert "acronym spelt as another transliteration" in str(r["reason"])
    # a short acronym is not read so: three letters at most after the change is too little
    s, _ = score_pair(normalise("ZH"), normalise("Z"))
    assert s < DEFAULT_THRESHOLD


def test_a_legal_letter_guard_is_for_three_initials_and_one_letter_only() -> None:
    # "CNIGC" has two legal letters: another name that begins "C N I" and goes on with a
    # "C" word does not make it doubtful (the CASC guard is tested in test_rules.py)
    idx = NameIndex.from_names(["group", "inst"], [
        "Cobalt North Industries Group Corporation",
        "Cobalt North Institute Chemistry Mechanics"], progress=False)
    r = _one(idx, "CNIGC")
    assert r["id"] == "group" and r["status"] == "matched", r


def test_russian_acronym_letters_meet_as_transliterations() -> None:
    # Ц is written TS or C, Х KH, H or X (the Cyrillic letter looks like x)
    idx = NameIndex.from_names(["z"], ["Tsentralny Nauchno-Issledovatelsky Institut Khimii i "
                                       "Zorina, FGUP"], progress=False)
    for query in ("TSNIIKHZ", "CNIIHZ", "CNIIXZ", "FSUE CNIIHZ"):
        r = _one(idx, query)
        assert r["id"] == "z" and r["status"] == "matched", r
    # an indexed acronym found from the Cyrillic name
    idx = NameIndex.from_names(["z"], ["CNIIHZ"], progress=False)
    r = _one(idx, "Центральный научно-исследовательский институт химии и Зорина")
    assert r["id"] == "z" and r["status"] == "matched", r
    assert "the list name is the acronym of the query as transliterated" in str(r["reason"])
    # the looser reading is for Russian names only: TS and C stay apart between two acronyms
    s, _ = score_pair(normalise("TSZC"), normalise("CZC"))
    assert s < DEFAULT_THRESHOLD


def test_russian_endings_are_read_only_in_russian_names() -> None:
    # pinyin syllables end in vowels too: "Lanhui" is not "Lanhua"
    s, _ = score_pair(normalise("Beijing Lanhui Electronics Corp."),
                      normalise("Beijing Lanhua Electronics Co., Ltd."))
    assert s < DEFAULT_THRESHOLD


def test_municipal_stays_a_distinctive_word() -> None:
    # MUP is a legal form, but "municipal" alone is not: Chinese lists write "Foo Municipal
    # People's Government" for a city's government
    assert not is_weak("municipal")
    assert normalise("Муниципальное унитарное предприятие «Зорин»").legal == (
        "state unitary enterprise",)
