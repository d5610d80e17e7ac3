"""Business words typed in pinyin are read in English, as the same words in characters are."""

from __future__ import annotations

import pandas as pd

import graphkit as gk
from graphkit.resolve.normalise import normalise


def test_typed_pinyin_reads_like_characters() -> None:
    assert normalise("Shang Tang Ke Ji").key == normalise("商汤科技").key == "shang tang technology"
    assert normalise("Shangtang Keji").key == "shangtang technology"
    kuang = normalise("Kuang Shi Ke Ji You Xian Gong Si")
    assert kuang.key == "kuang shi technology" and kuang.legal == ("company limited",)
    assert normalise("Zhong Guo Hua Wei Ke Ji Ji Tuan").key == "china hua wei technology"
    assert normalise("Zhong Guo Hua Wei Ke Ji Ji Tuan").legal == ("group",)
    # people's names made of the same syllables are left alone
    assert normalise("Wang Luo").key == "wang luo" and normalise("Li Ke Ji").key == "li ke ji"
    assert normalise("Tong Xin").key == "tong xin"
    assert normalise("Kejian Trading").key == "kejian trading"  # only whole syllables


def test_pinyin_query_meets_the_english_name() -> None:
    ents = pd.DataFrame({"id": ["st", "other"], "name": ["Shang Tang Technology Co., Ltd.", "Tang Industrial Ltd"],
                         "kind": "company"})
    m = gk.match(["Shang Tang Ke Ji You Xian Gong Si"], gk.OwnershipGraph.from_frames(ents))
    assert m["id"].tolist() == ["st"] and m["status"].tolist() == ["matched"]
