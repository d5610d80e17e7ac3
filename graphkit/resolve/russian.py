"""Russian names: organisation words read in English, and the acronyms of transliterated names.

Lists write the same Russian organisation in Cyrillic, in one of several transliterations,
in English, or as an acronym. This module holds what :func:`graphkit.resolve.normalise.normalise`
needs to make those meet; it reads only the lists ``russian_words`` and ``russian_endings`` of
``legal_forms.yaml`` (edit the words there, not here) and imports nothing else from graphkit.

What it reads
-------------
- **Organisation words in any case ending** (:func:`russian_word`): "Institut" ->
  ``institute``, "Nauchno-Issledovatelskiy" (written as one token once the hyphen is taken
  out) -> ``scientific research``, "Tsentra" (genitive) -> ``center``. A word is read when it
  is a listed stem alone or a stem plus one of ``russian_endings``; any other word is left as
  written. The English words are common words, never evidence alone of which company a name
  means (see :func:`graphkit.resolve.normalise.is_weak`).
- **Acronyms of transliterated names** (:func:`translit_acronyms`): the initials of the words
  as written, before they are read in English, without the legal form, the Russian "i" (and)
  or a dedication ("im. M.V. Keldysha"); once with one letter a word (``tnii``) and once with
  the two-letter sounds Russian acronyms keep (``tsnii``, "Rossiyskie Zheleznye Dorogi" ->
  ``rzhd``).
- **One acronym in several transliterations** (:func:`undigraph`, :func:`acronym_key`): Ц is
  written ts or c, Х kh, h or x, Ж zh or z, Ш sh or s, Ч ch or c, so "TsNIIKhM", "CNIIHM" and
  "CNIIXM" are one acronym, and so are "RZhD" and "RZD".

How sure
--------
The readings are exact look-ups in hand-written lists, not a translation: a word that is not
listed keeps its transliteration, and an acronym is only compared with acronyms of names in
Cyrillic or transliterated Russian (see :mod:`graphkit.resolve.score`).

Examples
--------
>>> russian_word("tsentra"), russian_word("zavoda"), russian_word("huawei")
(('center',), ('plant',), None)
>>> translit_acronyms("Rossiyskie Zheleznye Dorogi", frozenset({"the", "of", "and"}), frozenset())
('rzd', 'rzhd')
>>> acronym_key("tsniikhm") == acronym_key("cniixm")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["CYRILLIC", "DIGRAPHS", "acronym_key", "russian_heads", "russian_word",
           "translit_acronyms", "undigraph"]

CYRILLIC = re.compile(r"[\u0400-\u04ff]")  # a name with one of these letters is Russian-like
DIGRAPHS = frozenset({"zh", "kh", "sh", "ts", "ch"})  # one Russian letter, two Latin ones
_DEDICATION = frozenset({"im", "imeni", "named"})
_RAW_WORD = re.compile(r"[^A-Za-z0-9']+")
_DIGRAPH_H = re.compile(r"([zksc])h")
_SOUNDS = (("ts", "c"), ("zh", "z"), ("kh", "h"), ("x", "h"), ("sh", "s"), ("ch", "c"))


@dataclass(frozen=True)
class _Vocabulary:
    words: dict[str, tuple[str, ...]]   # stem (or word) -> English tokens
    endings: frozenset[str]
    max_ending: int
    heads: frozenset[str]               # first four letters of the stems (a quick test)


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    raw = yaml.safe_load(
        resources.files("graphkit.resolve").joinpath("legal_forms.yaml").read_text("utf-8"))
    words = {str(k): tuple(str(v).split()) for k, v in raw["russian_words"].items()}
    endings = frozenset(str(e) for e in raw["russian_endings"])
    return _Vocabulary(words, endings, max(map(len, endings)), frozenset(k[:4] for k in words))


def _russian_word(tok: str, russian: dict[str, tuple[str, ...]], endings: frozenset[str],
                  max_ending: int) -> tuple[str, ...] | None:
    """English tokens for a transliterated Russian organisation word, or None."""
    if len(tok) < 4:
        return None
    got = russian.get(tok)
    if got is not None:
        return got
    for k in range(1, min(max_ending, len(tok) - 4) + 1):
        got = russian.get(tok[:-k])
        if got is not None and tok[-k:] in endings:
            return got
    return None


@lru_cache(maxsize=65536)
def russian_word(token: str) -> tuple[str, ...] | None:
    """The English rendering of a transliterated Russian organisation word (``russian_words``).

    A word is the listed stem alone or with one of ``russian_endings``; None for any other.

    >>> russian_word("nauchnoissledovatelskiy"), russian_word("tsentra"), russian_word("institution")
    (('scientific', 'research'), ('center',), None)
    """
    v = _vocabulary()
    return _russian_word(token, v.words, v.endings, v.max_ending)


def russian_heads() -> frozenset[str]:
    """The first four letters of every stem of ``russian_words``.

    A token whose first four letters are not among them is no Russian organisation word, so
    :func:`russian_word` need not be asked (a quick test on every token of every name).

    >>> "inst" in russian_heads(), "huaw" in russian_heads()
    (True, False)
    """
    return _vocabulary().heads


def undigraph(acronym: str) -> str:
    """An acronym with its two-letter Russian sounds written with one letter (zh, kh, sh, ch
    -> z, k, s, c): "RZhD" and "RZD" are one acronym in two transliterations.

    >>> undigraph("rzhd"), undigraph("okb")
    ('rzd', 'okb')
    """
    if "h" not in acronym:
        return acronym
    return _DIGRAPH_H.sub(r"\1", acronym)


def acronym_key(acronym: str) -> str:
    """An acronym of a Russian name as its transliterations meet: Ц written ts or c, Х kh, h
    or x (the Cyrillic letter looks like x), Ж zh or z, Ш sh or s, Ч ch or c. "TsNIIKhM",
    "CNIIHM" and "CNIIXM" are one acronym. Used only against acronyms of names in Cyrillic
    or transliterated Russian (:attr:`graphkit.resolve.normalise.Normalised.acronyms`).

    >>> acronym_key("tsniikhm"), acronym_key("cniixm")
    ('cniihm', 'cniihm')
    """
    for a, b in _SOUNDS:
        if a in acronym:
            acronym = acronym.replace(a, b)
    return acronym


def translit_acronyms(written: str, stop: frozenset[str],
                      legal_words: frozenset[str]) -> tuple[str, ...]:
    """Initials of a transliterated name as written, before its words are read in English.

    Parameters
    ----------
    written : str
        The name after transliteration to ASCII, case kept ("Tsentralny Nauchno-
        Issledovatelsky Institut"): a word of two or more capitals and at most six letters is
        an acronym itself and is kept whole ("NII", "RZhD").
    stop : frozenset of str
        Lower-case words left out (``stop_words``); the Russian "i" (and) is always left out.
    legal_words : frozenset of str
        Lower-case words of legal forms as written in ``legal_forms``; they are taken off the
        start and the end.

    Returns
    -------
    tuple of str
        Up to two acronyms of 3 to 12 letters, without repeats: one letter a word, then the
        two-letter sounds (zh, kh, sh, ts, ch) kept; empty when fewer than two words remain.
        A dedication ("im. M.V. Keldysha", "imeni ...") and what follows it is left out.

    Examples
    --------
    >>> none = frozenset()
    >>> translit_acronyms("Tsentralny Nauchno-Issledovatelsky Institut im. Foo", none, none)
    ('tnii', 'tsnii')
    >>> translit_acronyms("OAO NII Foo", frozenset(), frozenset({"oao"}))
    ('niif',)
    """
    words = [w.replace("'", "") for w in _RAW_WORD.split(written) if w.strip("'")]
    low = [w.lower() for w in words]
    for cut, x in enumerate(low):  # a dedication ("im. M.V. Keldysha") is not in the acronym
        if x in _DEDICATION and cut:
            words, low = words[:cut], low[:cut]
            break
    keep = [(w, x) for w, x in zip(words, low) if x not in stop and x != "i"]
    while keep and keep[0][1] in legal_words:
        keep.pop(0)
    while keep and keep[-1][1] in legal_words:
        keep.pop()
    if len(keep) < 2:
        return ()
    plain: list[str] = []
    two: list[str] = []
    for w, x in keep:
        if len(w) <= 6 and sum(ch.isupper() for ch in w) >= 2:  # an acronym itself: NII, RZhD
            plain.append(x)
            two.append(x)
        else:
            plain.append(x[0])
            two.append(x[:2] if x[:2] in DIGRAPHS else x[0])
    out = ["".join(plain), "".join(two)]
    return tuple(a for a in dict.fromkeys(out) if 3 <= len(a) <= 12)
