"""The quick paths of name indexing give what the plain construction gives.

``NameIndex`` numbers blocking keys lazily, caches the forms of repeated names, takes repeats
out after numbering and sorts packed (key, entry) pairs; ``normalise`` and ``variants`` skip
regular expressions that cannot match. These tests rebuild the same things the slow, obvious
way and compare them exactly.
"""

from __future__ import annotations

import random
import re

import numpy as np

from graphkit.resolve import NameIndex
from graphkit.resolve.index import _legal_tail, blocking_keys
from graphkit.resolve.normalise import _NAMED, _maybe_named, acronym_key, normalise, variants

NAMES = ["Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd.", "ZTE Corp",
         "Hangzhou Hikvision Digital Technology Co., Ltd. (Hikvision)", "Wang Wei", "Wang Wei",
         "Tsentralny Nauchno-Issledovatelsky Institut Khimii i Mekhaniki",
         "ОАО Российские железные дороги", "商汤科技有限公司", "AL-ZAHAR Trading L.L.C.",
         "China Aerospace Science and Industry Corporation", "!!!", "Rzd",
         "Keldysh Institute of Applied Mathematics of the Russian Academy of Sciences"]
ALIASES = [["华为技术有限公司", "Huawei"], None, ["ZTE"], None, None, ["Wang Wei"], ["TsNIIKhM"],
           ["RZhD", "Russian Railways"], ["SenseTime"], None, ["CASIC"], None, None, None]


def _reference(names: list[str], aliases: list[list[str] | None]
               ) -> tuple[dict[str, int], list[int], list[int]]:
    """Key numbers, postings and pointers made the plain way (as graphkit 0.x did)."""
    key_ids: dict[str, int] = {}
    post_key: list[int] = []
    post_entry: list[int] = []
    e = 0
    for i, name in enumerate(names):
        seen: set[str] = set()
        for text in [name, *(aliases[i] or [])]:
            for form in variants(text):
                norm = normalise(form)
                if not norm.key or norm.key in seen:
                    continue
                seen.add(norm.key)
                block = blocking_keys(norm.tokens, _legal_tail(norm))
                block += ["#" + a for a in norm.acronyms]
                block += ["%" + acronym_key(a) for a in norm.acronyms]
                for k in block:
                    post_key.append(key_ids.setdefault(k, len(key_ids)))
                    post_entry.append(e)
                e += 1
    keys = np.array(post_key, dtype=np.int32)
    order = np.argsort(keys, kind="stable")
    counts = np.bincount(keys, minlength=len(key_ids))
    return (key_ids, np.array(post_entry, dtype=np.int32)[order].tolist(),
            np.concatenate([[0], np.cumsum(counts)]).tolist())


def test_index_postings_equal_the_plain_construction() -> None:
    idx = NameIndex.from_names([f"e{i}" for i in range(len(NAMES))], NAMES, aliases=ALIASES,
                               progress=False)
    key_ids, post, ptr = _reference(NAMES, ALIASES)
    assert list(idx._keys.items()) == list(key_ids.items())  # same numbers, same order
    assert idx._post.tolist() == post
    assert idx._ptr.tolist() == ptr
    assert idx._post.dtype == np.int32 and idx._ptr.dtype == np.int64


def test_blocking_keys_have_no_repeats() -> None:
    keys = blocking_keys(["aaaaaa", "aaaaaa", "a"], ["company"])
    assert len(keys) == len(set(keys))
    assert keys[:3] == ["aaaaaa", "a", "aaaaaaaaaaaa"]


def test_named_prefilter_never_hides_a_dedication() -> None:
    rnd = random.Random(7)
    pieces = ["named ", "NAMED ", "Named after ", "for ", "imeni ", "IMENI ", "im.", "IM.",
              "Im ", "N.", "N. A. ", "n.a.", "A.", "B.", " ", ",", "Foo", "Bar", "M.V. ",
              "Keldysh", "iM", "\t"]
    for _ in range(20_000):
        s = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 8)))
        assert _maybe_named(s) or not _NAMED.search(s), s


def test_inword_expression_equals_the_look_behind_form() -> None:
    from graphkit.resolve.normalise import _INWORD

    plain = re.compile(r"(?<=\w)[.'’`\-](?=\w)")
    rnd = random.Random(3)
    for _ in range(20_000):
        s = "".join(rnd.choice("ael-.'’`x 1_é") for _ in range(rnd.randint(0, 12)))
        assert _INWORD.sub("", s) == plain.sub("", s), s


def test_inword_skips_only_what_cannot_match() -> None:
    # normalise runs the two expressions only when the text has punctuation they need; the
    # result is what running both on every text gives
    from graphkit.resolve.normalise import _COMPOUND, _INWORD, _inword, _split_legal_compound

    def plain(text: str) -> str:
        if ("." in text or "-" in text) and _INWORD.search(text):
            text = _COMPOUND.sub(_split_legal_compound, text)
        return _INWORD.sub("", text)

    rnd = random.Random(11)
    pieces = ["co", "ltd", ".", "-", "'", "’", "`", " ", "s", "a", "hi", "tech", "corp", ","]
    for _ in range(20_000):
        s = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        assert _inword(s) == plain(s), s


def test_repeated_words_and_shared_ends_number_as_the_plain_construction() -> None:
    # many names sharing words (the ends of long words are made once per word), keys made
    # twice in one name ("<chan" of Changsha and Changchun), names repeated, aliases
    from graphkit.resolve import blocking

    rnd = random.Random(5)
    words = ["changsha", "changchun", "kangyao", "trading", "technology", "data", "wei", "ab",
             "a", "b", "huawei", "huaweihuawei", "institute", "physics", "beijing", "zhong"]
    forms = ["Co., Ltd.", "Limited", "Group Corporation", "", "LLC", "(Beijing)"]
    names = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 6))) + " "
             + rnd.choice(forms) for _ in range(400)]
    names += names[:50]
    aliases: list[list[str] | None] = [None if i % 3 else [rnd.choice(names)]
                                       for i in range(len(names))]
    blocking._ENDS.clear()
    idx = NameIndex.from_names([f"e{i}" for i in range(len(names))], names, aliases=aliases,
                               progress=False)
    key_ids, post, ptr = _reference(names, aliases)
    assert list(idx._keys.items()) == list(key_ids.items())
    assert idx._post.tolist() == post and idx._ptr.tolist() == ptr
    # the cache of word ends may be emptied at any time: the keys stay the same
    before = blocking_keys(["changsha", "changchun", "data"], ["company"])
    blocking._ENDS.clear()
    assert blocking_keys(["changsha", "changchun", "data"], ["company"]) == before
    assert before.count("<chan") == 1
