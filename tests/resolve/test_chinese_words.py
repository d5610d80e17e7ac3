"""Chinese names meet the English names lists give: places and words whose pinyin is not how
English writes them (中国 is "China", 香港 "Hong Kong"), and common business words."""

from __future__ import annotations

import pytest

from graphkit.resolve import NameIndex, match
from graphkit.resolve.normalise import normalise


@pytest.mark.parametrize(("chinese", "key"), [
    ("中国电子科技集团公司", "china electronics technology"),
    ("中国移动通信集团有限公司", "china mobile communications"),
    ("香港华为国际有限公司", "hong kong hua wei international"),
    ("海康威视数字技术", "hai kang wei shi digital technology"),
    ("中芯国际集成电路制造有限公司", "zhong xin international integrated circuit manufacturing"),
])
def test_words_read_in_english(chinese: str, key: str) -> None:
    assert normalise(chinese).key == key


def test_chinese_names_find_the_english_entries() -> None:
    names = ["China Electronics Technology Group Corporation", "China Mobile Communications Group Co., Ltd.",
             "China Mobile Limited", "China Telecom Corporation Limited", "China Electronics Corporation"]
    got = match(["中国电子科技集团公司", "中国移动通信集团有限公司", "中国电信"],
                index=NameIndex.from_names([f"e{i}" for i in range(len(names))], names))
    assert got["id"].tolist() == ["e0", "e1", "e3"]
    assert got["status"].tolist() == ["matched"] * 3
    # a brand is not a word: 海康威视 is Hikvision only where a list says so (an alias)
    alone = match(["海康威视数字技术股份有限公司"],
                  index=NameIndex.from_names(["hik"], ["Hangzhou Hikvision Digital Technology Co., Ltd."]))
    assert alone["status"].iloc[0] == "unmatched"
