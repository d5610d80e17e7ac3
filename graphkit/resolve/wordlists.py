"""The word lists of name normalisation, loaded once from ``legal_forms.yaml``.

``legal_forms.yaml`` (next to this module) says which words are legal forms, abbreviations,
places, trades and stop words; this module reads it once per process and answers the
questions the matcher asks about a word: is it weak (says where or in what trade a company
is, not which one), is it a place, is it part of a legal form, which family is a legal form.
The Russian organisation words are read by :mod:`graphkit.resolve.russian`; legal forms
written with them ("Obshchestvo s Ogranichennoy Otvetstvennostyu") are stored as read in
English, because names are compared after their words are read.

Examples
--------
>>> is_weak("shanghai"), is_weak("huawei")
(True, False)
>>> legal_family("gmbh")
'llc'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from graphkit.resolve.russian import russian_heads, russian_word

__all__ = ["WEAK_LEN", "WordLists", "is_common", "is_legal_word", "is_place", "is_weak",
           "legal_family", "legal_letters", "place_words", "weak_words", "word_lists"]


@dataclass(frozen=True)
class WordLists:
    """The lists of ``legal_forms.yaml`` in the shapes normalisation looks them up in."""

    abbreviations: dict[str, tuple[str, ...]]
    legal: dict[tuple[str, ...], str]
    legal_ending: dict[str, tuple[int, ...]]    # last word of a legal form -> its lengths
    legal_starting: dict[str, tuple[int, ...]]  # first word -> lengths, longest first
    chinese_legal: tuple[tuple[str, str], ...]
    chinese_words: tuple[tuple[str, str], ...]
    cjk_anywhere: tuple[tuple[str, str], ...]
    stop: frozenset[str]
    weak: frozenset[str]
    places: frozenset[str]
    legal_tokens: frozenset[str]
    families: dict[str, str]
    leading: frozenset[str]                     # labels also taken off the start
    affiliation_start: re.Pattern[str]
    affiliation_end: re.Pattern[str]
    raw_legal: frozenset[str]                   # words of legal forms as written in the YAML
    russian_heads: frozenset[str]               # first four letters of the Russian stems
    affiliation_words: tuple[frozenset[str], frozenset[str]]  # first / last words
    small: frozenset[str] = frozenset()         # short words that acronyms leave out
    organisations: frozenset[str] = frozenset()  # kinds of organisation that are not companies
    subjects: frozenset[str] = frozenset()       # fields of science and work ("physics")
    pinyin: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # ("ke", "ji") -> ("technology",)
    pinyin_first: frozenset[str] = frozenset()   # first syllables of those words (a quick test)


_CHINESE_LABEL = {"股份有限公司": "company limited", "有限责任公司": "company limited",
                  "有限責任公司": "company limited", "有限公司": "company limited",
                  "集团": "group", "集團": "group", "控股": "holdings", "公司": "company"}


@lru_cache(maxsize=1)
def word_lists() -> WordLists:
    """The word lists, read from ``legal_forms.yaml`` on the first call (cached).

    >>> word_lists().abbreviations["co"]
    ('company',)
    """
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("graphkit.resolve").joinpath("legal_forms.yaml").read_text("utf-8"))
    abbr = {str(k): tuple(str(v).split())
            for k, v in [*raw["abbreviations"].items(), *raw["place_abbreviations"].items(),
                         *raw["russian_abbreviations"].items()]}
    legal: dict[tuple[str, ...], str] = {}
    alt = "|".join(r"\W+".join(map(re.escape, re.findall(r"\w+", str(a))))
                   for a in sorted(raw["affiliations"], key=len, reverse=True))
    affiliation_start = re.compile(rf"^\s*(?:{alt})\b[\s,.;:-]*", re.IGNORECASE)
    affiliation_end = re.compile(rf"[\s,.;:-]+(?:of\s+(?:the\s+)?)?(?:{alt})\W*$", re.IGNORECASE)
    for label, variants in raw["legal_forms"].items():
        for v in variants:
            # legal forms are compared after the words are read (abbreviations, Russian words)
            form: list[str] = []
            for w in str(v).split():  # stop words are dropped from names: "gmbh and co kg"
                form.extend(t for t in abbr.get(w) or russian_word(w) or (w,)
                            if t not in raw["stop_words"])
            legal[tuple(form)] = str(label)
    chinese_legal = []
    for suffix in sorted(raw["chinese_legal_forms"], key=len, reverse=True):
        label = next((lab for k, lab in _CHINESE_LABEL.items() if suffix.endswith(k)), "company")
        chinese_legal.append((str(suffix), label))
    words = sorted(((str(k), str(v)) for k, v in raw["chinese_words"].items()),
                   key=lambda kv: len(kv[0]), reverse=True)
    anywhere = tuple((str(k), str(v)) for k, v in raw["cjk_legal_anywhere"].items())
    pinyin: dict[tuple[str, ...], tuple[str, ...]] = {}
    for k, v in (raw.get("pinyin_words") or {}).items():
        english = tuple(str(v).split())
        pinyin[tuple(str(k).split())] = english  # spaced: "ke ji"
        if len(str(k).split()) == 2:
            pinyin[("".join(str(k).split()),)] = english  # joined: "keji"
    ending: dict[str, set[int]] = {}
    starting: dict[str, set[int]] = {}
    for k in legal:
        ending.setdefault(k[-1], set()).add(len(k))
        starting.setdefault(k[0], set()).add(len(k))
    return WordLists(abbr, legal, {w: tuple(sorted(v, reverse=True)) for w, v in ending.items()},
                     {w: tuple(sorted(v, reverse=True)) for w, v in starting.items()},
                     tuple(chinese_legal), tuple(words),
                     anywhere, frozenset(raw["stop_words"]),
                     frozenset(raw["weak_words"]) | frozenset(raw["weak_places"]),
                     frozenset(raw["weak_places"]), frozenset(w for k in legal for w in k),
                     {str(k): str(v) for k, v in raw["legal_families"].items()},
                     frozenset(str(x) for x in raw["legal_forms_at_start"]),
                     affiliation_start, affiliation_end,
                     frozenset(w for vs in raw["legal_forms"].values() for v in vs
                               for w in str(v).split()),
                     russian_heads(),
                     (frozenset(re.findall(r"\w+", str(a))[0].lower()
                                for a in raw["affiliations"]),
                      frozenset(re.findall(r"\w+", str(a))[-1].lower()
                                for a in raw["affiliations"])),
                     frozenset(str(w) for w in raw.get("acronym_small_words", ())),
                     frozenset(str(w) for w in raw.get("organisation_words", ())),
                     frozenset(str(w) for w in raw.get("subject_words", ())),
                     pinyin, frozenset(k[0] for k in pinyin))


def legal_family(label: str) -> str:
    """Family of a legal-form label: company, llc, jsc, partnership, state enterprise, group.

    >>> legal_family("company limited"), legal_family("gmbh")
    ('company', 'llc')
    """
    return word_lists().families.get(label, "company")


def weak_words() -> frozenset[str]:
    """Words that say where or in what trade a company is, not which one (``weak_words``).

    >>> "hangzhou" in weak_words(), "hikvision" in weak_words()
    (True, False)
    """
    return word_lists().weak


WEAK_LEN = 2  # tokens this short are initials ("M.V."), not a name
_PATRONYMIC = ("ovich", "evich", "ovna", "evna", "ovych", "ovych", "ivna", "ogly", "kyzy")


@lru_cache(maxsize=1 << 16)
def is_weak(token: str) -> bool:
    """True for a weak word (a place, a trade, a legal-form word, a patronymic, 1-2 letters).

    Cached per word: the matcher asks it for every word of every pair of names it scores.

    >>> is_weak("shanghai"), is_weak("aleksandrovich"), is_weak("huawei")
    (True, True, False)
    """
    r = word_lists()
    return (len(token) <= WEAK_LEN or token in r.weak or token in r.legal_tokens
            or token.endswith(_PATRONYMIC))


@lru_cache(maxsize=1 << 16)
def is_common(token: str) -> bool:
    """True for a word that names no body in particular: a weak word (:func:`is_weak`), a
    field of science or work (``subject_words``: physics, medicine, aviation) or a kind of
    organisation (``organisation_words``: institute, society).

    Weaker than a distinctive word, but only :mod:`graphkit.resolve.subset` reads it: a name
    made only of such words that is found inside a longer name proves little.

    >>> is_common("physics"), is_common("institute"), is_common("lebedev")
    (True, True, False)
    """
    r = word_lists()
    return is_weak(token) or token in r.subjects or token in r.organisations


@lru_cache(maxsize=256)
def legal_letters(labels: tuple[str, ...]) -> frozenset[str]:
    """Initials of the words that legal forms of these labels are written with.

    An acronym may end in them ("CSIGC" = China South Industries Group Corporation).

    >>> sorted(legal_letters(("group",))), sorted(legal_letters(("incorporated",)))
    (['c', 'g'], ['i'])
    """
    r = word_lists()
    return frozenset(w[0] for k, lab in r.legal.items() if lab in labels for w in k)


def is_legal_word(token: str) -> bool:
    """True for a word that is part of a legal form ("company", "group", "limited").

    >>> is_legal_word("group"), is_legal_word("industry")
    (True, False)
    """
    return token in word_lists().legal_tokens


def place_words() -> frozenset[str]:
    """All place words (``weak_places``).

    >>> "nanjing" in place_words()
    True
    """
    return word_lists().places


def is_place(token: str) -> bool:
    """True for a place word from ``weak_places`` (city, province, country, region).

    >>> is_place("beijing"), is_place("technology")
    (True, False)
    """
    return token in word_lists().places
