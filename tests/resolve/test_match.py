"""Name matching: normalisation, scoring, identifiers, ties, bad rows, real lists."""

from __future__ import annotations

import pandas as pd
import pytest

import graphkit as gk
from graphkit.resolve import MatchInputError, NameIndex, match, normalise
from graphkit.resolve.match import COLUMNS, DEFAULT_THRESHOLD
from graphkit.resolve.normalise import invalid_reason, is_weak, variants
from graphkit.resolve.score import score_pair


def _index() -> NameIndex:
    return NameIndex.from_names(
        ["sensetime", "huawei", "zte", "smic", "hik", "twin-a", "twin-b", "lei-co", "gazprom",
         "crcc"],
        ["SenseTime Group Limited", "Huawei Technologies Co., Ltd.", "ZTE Corporation",
         "Semiconductor Manufacturing International Corporation",
         "Hangzhou Hikvision Digital Technology Co., Ltd.", "Acme Trading Ltd",
         "Acme Trading Limited", "Bloomberg Finance L.P.", "Gazprom Neft PJSC",
         "China Railway Construction Corporation Limited"],
        aliases=[["商汤科技", "北京商汤科技开发有限公司"], ["华为技术有限公司"], None, ["SMIC"], None,
                 None, None, None, ["ПАО Газпром нефть"], None],
        countries=["HK", "CN", "CN", "CN", "CN", "US", "GB", None, "RU", "CN"],
        identifiers=[["ofac_ent_num:33114"], ["uscc:914403001922038216"], None, None, None,
                     None, None, ["lei:5493001KJTIIGC8Y1R12"], None, None],
        progress=False)


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return _index()


# --- normalisation --------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b"), [
    ("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES COMPANY LIMITED"),
    ("Huawei Technologies Co Ltd", "Huawei Technologies"),
    ("ZTE Corp.", "ZTE Corporation"),
    ("Beijing Intl. Tech Co", "Beijing International Technology Company"),
    ("OOO Gazprom Export", "Gazprom Export LLC"),
    ("ＺＴＥ Corporation", "ZTE Corporation"),
    ("Société Générale S.A.", "Societe Generale SA"),
])
def test_english_and_other_legal_forms_and_abbreviations(a: str, b: str) -> None:
    assert normalise(a).key == normalise(b).key


@pytest.mark.parametrize(("zh", "key", "legal"), [
    ("商汤科技有限公司", "shang tang technology", ("company limited",)),
    ("北京商汤科技开发有限公司", "bei jing shang tang technology development", ("company limited",)),
    ("中兴通讯股份有限公司", "zhong xing communications", ("company limited",)),  # 通讯 as 通信
    ("华为投资控股有限公司", "hua wei investment", ("holdings", "company limited")),
    ("海康威视集团", "hai kang wei shi", ("group",)),
])
def test_chinese_legal_forms_and_pinyin(zh: str, key: str, legal: tuple[str, ...]) -> None:
    n = normalise(zh)
    assert (n.key, n.legal) == (key, legal)


def test_sensetime_in_chinese_meets_shang_tang() -> None:
    s, why = score_pair(normalise("Shang Tang"), normalise("商汤"))
    assert s == 1.0
    s, why = score_pair(normalise("ShangTang Technology"), normalise("商汤科技"))
    assert s >= 0.98 and "spacing" in why


def test_word_order_and_typos() -> None:
    s, why = score_pair(normalise("Technologies Huawei"), normalise("Huawei Technologies"))
    assert (s, why) == (0.96, "word order differs")
    s, why = score_pair(normalise("Huawei Technologeis Co Ltd"), normalise("Huawei Technologies"))
    assert s > DEFAULT_THRESHOLD and "legal form dropped" in why and "one letter" in why


def test_brackets_give_variants_but_places_stay() -> None:
    assert variants("Tencent Holdings Limited (Tencent)")[1:] == ["Tencent Holdings Limited",
                                                                "Tencent"]
    assert variants("SMIC (Beijing)") == ["SMIC (Beijing)"]


def test_more_abbreviations() -> None:
    assert normalise("China Mobile Comm").key == normalise("China Mobile Communications").key
    assert normalise("China Communications Constr Co Ltd").key == \
        "china communications construction"
    assert normalise("China Marine Info Tech").key == "china marine information technology"


def test_named_after_gives_a_variant() -> None:
    assert variants("Kazan National Research Technical University named after A.N. Tupolev-KAI") \
        == ["Kazan National Research Technical University named after A.N. Tupolev-KAI",
            "Kazan National Research Technical University"]
    assert variants("Siberian Institute of Aviation N.A. S.A. Chaplygin")[1] == \
        "Siberian Institute of Aviation"
    # "N.A." of a US bank (National Association) is not a dedication
    assert variants("Citibank, N.A.") == ["Citibank, N.A."]
    assert variants("Bank of America, N.A. London Branch") == ["Bank of America, N.A. London Branch"]


def test_initials_are_weak_words() -> None:
    assert is_weak("mv") and is_weak("x") and not is_weak("zte")
    s, why = score_pair(normalise("M.V. Lomonosov Moscow State University"),
                        normalise("Lomonosov Moscow State University"))
    assert s >= DEFAULT_THRESHOLD and "extra common words" in why


def test_same_family_legal_forms_cost_little() -> None:
    s, why = score_pair(normalise("Yitu Network Co., Ltd."), normalise("Yitu Network Limited"))
    assert s == pytest.approx(0.99) and "legal form differs" in why
    # the bare word "company" does not make an OJSC the same kind as a Co., Ltd.
    s, _ = score_pair(normalise("United Company OJSC"), normalise("United Co., Ltd."))
    assert s <= 0.88


def test_acronym_with_its_legal_form() -> None:
    idx = NameIndex.from_names(["csgc", "cnigc"], ["China South Industries Group Corporation",
                                                   "China North Industries Group Corporation Limited"],
                               progress=False)
    df = match(["CSIGC", "CNIGC", "CSIX"], index=idx)
    assert df["id"].tolist()[:2] == ["csgc", "cnigc"]
    assert "acronym of the name (legal form included)" in str(df.loc[0, "reason"])
    assert df.loc[2, "status"] == "unmatched"


def test_short_form_begins_the_name() -> None:
    s, why = score_pair(normalise("AVIC Jonhon"),
                        normalise("AVIC Jonhon Optronic Technology Co., Ltd."))
    assert s >= DEFAULT_THRESHOLD and "short form" in why
    # an extra word at the end is often a place or branch: not a short form
    s, why = score_pair(normalise("Shell Trading"), normalise("Shell Trading Rotterdam BV"))
    assert s < DEFAULT_THRESHOLD and "short form" not in why


def test_invalid_text() -> None:
    assert invalid_reason("") == "empty name"
    assert invalid_reason(float("nan")) == "empty name"
    assert invalid_reason("Caf\u00c3\u00a9").startswith("not valid text")
    assert invalid_reason("bad \ud800 surrogate").startswith("not valid text")
    assert invalid_reason(42).startswith("not valid text")


# --- matching -------------------------------------------------------------------------

def test_result_shape_one_row_per_input_in_order(index: NameIndex) -> None:
    names = ["ZTE Corp", "", None, "Huawei Technologies", "Caf\u00c3\u00a9 Ltd", "---", "ZTE Corp"]
    df = match(names, index=index)
    assert list(df.columns) == COLUMNS
    assert df["row"].tolist() == list(range(len(names)))
    assert df["status"].tolist() == ["matched", "invalid", "invalid", "matched", "invalid",
                                     "invalid", "matched"]
    assert df.loc[1, "reason"] == "empty name" and df.loc[2, "reason"] == "empty name"
    assert str(df.loc[4, "reason"]).startswith("not valid text")
    assert df.loc[0, "id"] == "zte" and df.loc[6, "id"] == "zte"
    assert df["score"].between(0, 1).all()


def test_chinese_query_and_alias(index: NameIndex) -> None:
    df = match(["商汤科技", "Shang Tang Technology", "华为技术有限公司", "SenseTime Group Ltd"],
               index=index)
    assert df["id"].tolist() == ["sensetime", "sensetime", "huawei", "sensetime"]
    assert df.loc[0, "matched_on"] == "alias"
    assert df.loc[3, "matched_on"] == "name"


def test_acronym_and_short_name(index: NameIndex) -> None:
    df = match(["SMIC", "Hikvision", "CRCC", "Газпром нефть"], index=index)
    assert df["id"].tolist() == ["smic", "hik", "crcc", "gazprom"]
    assert "extra common words" in str(df.loc[1, "reason"])
    assert "acronym" in str(df.loc[2, "reason"])


def test_ties_are_ambiguous_not_guessed(index: NameIndex) -> None:
    df = match(["Acme Trading Co Ltd"], index=index)
    r = df.iloc[0]
    assert r["status"] == "ambiguous" and pd.isna(r["id"])
    assert "twin-a" in r["candidates"] and "twin-b" in r["candidates"]


def test_country_breaks_a_tie(index: NameIndex) -> None:
    df = match(pd.DataFrame({"name": ["Acme Trading Ltd"], "country": ["United Kingdom"]}),
               index=index)
    assert df.loc[0, "id"] == "twin-b"
    assert "country differs" not in str(df.loc[0, "reason"])


def test_identifier_wins_over_name(index: NameIndex) -> None:
    q = pd.DataFrame({"name": ["ZTE Corporation", "", "Some Other Name"],
                      "identifier": ["lei:5493001kjtiigc8y1r12", "914403001922038216",
                                     "uscc:914403001922038216"]})
    df = match(q, index=index)
    assert df["id"].tolist() == ["lei-co", "huawei", "huawei"]
    assert (df["matched_on"] == "identifier").all()
    assert df.loc[0, "score"] == 1.0


def test_identifier_conflict_is_said(index: NameIndex) -> None:
    q = pd.DataFrame({"name": ["SenseTime Group Limited"], "identifier": ["ofac_ent_num:99999"]})
    df = match(q, index=index)
    assert "identifier conflict" in str(df.loc[0, "reason"])
    assert df.loc[0, "score"] < 1.0


def test_unrelated_name_is_unmatched(index: NameIndex) -> None:
    df = match(["Totally Unrelated Bakery"], index=index)
    assert df.loc[0, "status"] == "unmatched" and pd.isna(df.loc[0, "id"])


def test_graph_entry_point_and_errors() -> None:
    g = gk.example_graph()
    df = match(pd.Series(["Sub Limited", "Cloud Company"]), g)
    assert df["id"].tolist() == ["sub", "cloud"]
    with pytest.raises(MatchInputError):
        match(pd.DataFrame({"nom": ["x"]}), g)
    with pytest.raises(MatchInputError):
        match(["x"])
    with pytest.raises(MatchInputError):
        match(["x"], g, threshold=2.0)


# --- real lists -----------------------------------------------------------------------

@pytest.mark.shared_data
def test_real_lists(shared_data) -> None:  # type: ignore[no-untyped-def]
    g = gk.read_ofac(shared_data / "ofac-nonsdn" / "cons_prim.csv",
                     shared_data / "ofac-nonsdn" / "cons_add.csv")
    idx = NameIndex.from_graph(g, progress=False)
    df = match(["SenseTime Group Ltd", "Sugon", "Megvii Technology", "Inspur Group Co Ltd",
                "Hangzhou Hikvision Digital Technology", "Nobody Bakery Wuppertal"], index=idx)
    ents = g.entities.set_index("id")["name"]
    got = [None if pd.isna(i) else ents[i] for i in df["id"]]
    assert got[0] == "SENSETIME GROUP LIMITED"
    assert got[1] is not None and "DAWNING" in got[1]
    assert got[2] is not None and "MEGVII" in got[2]
    assert got[3] is not None and "INSPUR" in got[3]
    assert got[4] is not None and "HIKVISION" in got[4]
    assert df.loc[5, "status"] == "unmatched"


@pytest.mark.shared_data
def test_real_aliases_other_scripts(shared_data) -> None:  # type: ignore[no-untyped-def]
    g = gk.read_ftm(shared_data / "ftm-zala" / "entities.ftm.json")
    df = match(["ZALA AERO", "Калашников концерн", "Concern Kalashnikov JSC", "Apple Inc."], g)
    names = [str(n).casefold() for n in df["name"].fillna("")]
    assert "zala aero" in str(df.loc[0, "reason"]).casefold()  # via the alias of LLC CST
    assert "kalashnikov" in names[1] or "калашников" in names[1]
    assert "kalashnikov" in names[2] or "калашников" in names[2]
    assert df.loc[3, "status"] == "unmatched"
    assert df["row"].tolist() == [0, 1, 2, 3]
