"""Names that are the same once plurals are made singular, spaced or ordered differently.

Found on the real lists: 华为技术有限公司 reads "hua wei technology" in pinyin, and the
lists write "Huawei Technologies Co., Ltd."; the two differ by spacing *and* a plural,
which neither rule alone took (a Hesai entity scored higher).
"""

from __future__ import annotations

from graphkit.resolve import NameIndex, match
from graphkit.resolve.normalise import normalise
from graphkit.resolve.score import score_pair

NAMES = ["Huawei Technologies Co., Ltd.", "Hesai Technology Co., Ltd.", "Zhejiang Dahua Technology Co., Ltd."]


def test_chinese_name_meets_its_english_plural() -> None:
    got = match(["华为技术有限公司", "Huawei Technology Co Ltd", "Technology Huawei Co Ltd"],
                index=NameIndex.from_names(["hw", "hs", "dh"], NAMES))
    assert got["id"].tolist() == ["hw", "hw", "hw"]
    assert got["status"].tolist() == ["matched"] * 3
    assert got["reason"].tolist() == ["spacing differs, singular and plural, Chinese characters read as pinyin",
                                      "singular and plural", "word order differs, singular and plural"]


def test_scores_and_no_empty_word_list_in_the_reason() -> None:
    q = normalise("Huawei Technology")
    s, why = score_pair(q, normalise("Huawei Technologies"))
    assert (s, why) == (0.97, "singular and plural")  # it read "extra common words in the list name: , ..."
    assert score_pair(normalise("Hua Wei Technology"), normalise("Huawei Technologies")) == \
        (0.96, "spacing differs, singular and plural")
    # a real extra word still counts as one
    s, why = score_pair(normalise("Huawei Technology Services"), normalise("Huawei Technologies"))
    assert s < 0.97 and "extra common words in the query: service" in why
