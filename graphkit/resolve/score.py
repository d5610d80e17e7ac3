"""Score one query name against one indexed name: a number in 0..1 and the reason in words.

How the score is made (after :func:`normalise`; the best rule that applies is kept):

==========================================  =====  ==========================================
situation                                   score  reason
==========================================  =====  ==========================================
same tokens                                 1.00   "same name" / "same name after normalisation"
same letters, spaced differently            0.98   "spacing differs"
same words, another order                   0.96   "word order differs"
same words once plurals are made singular   0.97   "singular and plural" (0.96 "spacing differs,
  ("Hua Wei Technology" / "Huawei                  ..."; 0.95 "word order differs, ...")
  Technologies")
d edits (a swap of two letters is one)      1-d/L  "one letter different", "3 letters different"
  over the longer length L
the same letters once transliterations      0.94   "spelt as another transliteration"
  meet (:func:`fold`: Promelektronika /
  Promelectronica, Hossein / Hussein)
query is the initials of the name           0.92   "acronym of the name" (0.90 for 3 letters;
  (its legal form may be spelt out: CSIGC,         "(legal form included)": no legal cost)
  with letters of the name's own legal form:
  "IC" is not how "Co., Ltd." is written)
query is the initials of the name without  0.91   "acronym of the name after 'guizhou'"
  its first, common words (a place, "Center        ("(legal form included)" when it ends in
  for") and small words (``acronym_small_          letters of the legal form or in CO for
  words``); two words or more left, one of         company / corporation: "Guizhou Foo Bar
  them distinctive; four letters or more           Co." -> FBCO)
a Russian name (Cyrillic or transliterated) 0.92   "acronym of the name as transliterated" /
  and the initials of its words as written,        "the list name is the acronym of the query
  legal form off (Normalised.acronyms), the        as transliterated" (0.90 for 3 letters)
  two-letter sounds kept or not (RZhD / RZD),
  TS or C, KH, H or X (:func:`acronym_key`)
two one-word acronyms that differ only by   0.92   "acronym spelt as another transliteration"
  ZH / KH / SH / CH written with one letter
  (RZHD / RZD; four letters at least)
a Russian name: the same words once case    0.94   "Russian word endings differ"
  and adjective endings are dropped
  (:func:`russian_stem`: Skolkovskiy /
  Skolkovo)
one name has all the other's words          rule   see :mod:`graphkit.resolve.subset` (0.70 to
  (common words more, a place, a branch,           0.94: "extra common words in the list name:
  a short form, plurals made singular)             hangzhou", "short form: ...")
==========================================  =====  ==========================================

Edit-distance scores are capped when the *distinctive* words (those that are not weak) differ:
each distinctive word is paired with the closest word of the other name, and the score may
not exceed ``1 - 0.6 x (1 - s)`` for the worst pair's similarity ``s`` ("Tonmac International"
is not "SMIC International"; two words that meet once transliterated, or, in a Russian name,
that differ by a Russian ending and begin with the same five letters, count as ``s = 0.9``);
it is capped at 0.85 when both names are made of weak words only ("China Communications
Group" vs "China Telecom Group") and when both name places and none of them is the same
("Beijing University of Aeronautics" vs "Nanjing University of Aeronautics": "places differ").
Any score is capped at 0.85 when one name has a word for a kind of body that is not a
company (``organisation_words``: association, university, foundation ...) and the other
lacks it but carries a company's legal form: "Association of Unmanned Systems" is not
"Unmanned Systems LLC" ("association is not a company (limited liability company)").

Words of one or two letters count as weak (initials such as "M.V.").

Legal forms: present on one side only costs 0.01 ("legal form dropped"); two forms of the
same family (Co., Ltd. vs Corporation) cost 0.01 (0.03 when letters differ too); "Group" or
"Holdings" on one side only costs 0.05; forms of different families (Inc. vs L.P., LLC vs
JSC) cost 0.12 ("legal form differs"); the bare word "company" is of no family. The country and identifier adjustments, and the two
acronym checks that need the whole index (an entity's own acronym followed by more words; an
acronym whose legal letter is all that tells it from the beginning of another name), are made
by :func:`graphkit.resolve.match`.

Examples
--------
>>> from graphkit.resolve.normalise import normalise
>>> score_pair(normalise("Huawei Technologies"), normalise("Huawei Technologeis Co Ltd"))
(0.93..., 'legal form dropped, one letter different')
>>> score_pair(normalise("Shang Tang"), normalise("商汤"))
(1.0, 'same name')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz.distance import OSA

from graphkit.resolve.normalise import (
    Normalised,
    acronym_key,
    is_weak,
    legal_family,
    legal_letters,
    place_words,
    undigraph,
)
from graphkit.resolve.subset import (
    SUBSET_WEAK_STEP,
    _same_but_plural,
    _singular,
    _words_subset,
)
from graphkit.resolve.wordlists import word_lists

__all__ = ["ACRONYM", "LEGAL_DIFFERS", "LEGAL_DROPPED", "LEGAL_FAMILY", "LEGAL_GROUP",
           "fold", "russian_stem", "score_pair", "score_parts"]

ACRONYM = 0.92
ACRONYM_AFTER = 0.91
ORG_KIND_CAP = 0.85
WEAK_ONLY_CAP = 0.85
CORE_FACTOR = 0.6
TRANSLIT = 0.94
PLACES_DIFFER = 0.85
TRANSLIT_WORD = 0.9
LEGAL_DROPPED = 0.01
LEGAL_DIFFERS = 0.01
LEGAL_DIFFERS_EDIT = 0.03
LEGAL_GROUP = 0.05
LEGAL_FAMILY = 0.12
_LEGAL_INITIALS = frozenset("cghil")  # company/corporation, group, holdings, incorporated, limited
_UNIFORM: Callable[[str], float] = lambda _t: 1.0  # noqa: E731


def _letters(d: int) -> str:
    return "one letter different" if d == 1 else f"{d} letters different"


_FOLD = (("je", "e"), ("c", "k"), ("q", "k"), ("kh", "h"), ("ph", "f"), ("w", "v"), ("y", "i"),
         ("e", "i"), ("o", "u"))
_DOUBLE = re.compile(r"(.)\1+")


def _first(m: re.Match[str]) -> str:
    return m.group(1)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as its transliterations meet: je -> e, c/q -> k, kh -> h, ph -> f, w -> v,
    y -> i, e -> i, o -> u, no double letters ("Promelektronika" and "Promelectronica",
    "Proekt" and "Project", "Malik" and "Malek", "Hossein" and "Hussein" fold the same).

    >>> fold("promelektronika") == fold("promelectronica"), fold("sinopec") == fold("sinopac")
    (True, False)
    """
    for a, b in _FOLD:
        word = word.replace(a, b)
    return _DOUBLE.sub(_first, word)


_RU_ENDINGS = ("skogo", "skaya", "skiy", "skii", "skij", "skoe", "skoy", "skoi", "sky", "ski",
               "ogo", "iy", "yy", "ii", "oy", "oi", "a", "o", "e", "y", "i")


@lru_cache(maxsize=65536)
def russian_stem(word: str) -> str:
    """A transliterated Russian word without its case or adjective ending (at least five
    letters are kept): "Skolkovskiy" and "Skolkovo", "Keldysha" and "Keldysh" meet.

    >>> russian_stem("skolkovskiy"), russian_stem("skolkovo"), russian_stem("keldysha")
    ('skolkov', 'skolkov', 'keldysh')
    """
    for end in _RU_ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 5:
            return word[: -len(end)]
    return word


def _closest(words: list[str], other: list[str], russian: bool = False) -> float:
    """Lowest, over ``words``, of the similarity to the closest word of ``other`` (0..1);
    two words that differ only as transliterations do (:func:`fold`), or, in a Russian name,
    by a Russian ending (:func:`russian_stem`), count as 0.9."""
    low = 1.0
    for w in words:
        best = 0.0
        for o in other:
            if o == w:
                best = 1.0
                break
            sim = OSA.normalized_similarity(w, o)
            if sim > best:
                best = sim
        if TRANSLIT_WORD > best >= 0.5 and len(w) >= 4 and any(
                (best >= 0.6 and -2 < len(w) - len(o) < 2 and fold(w) == fold(o))
                or (russian and len(w) >= 6 and len(o) >= 6 and o[:5] == w[:5]
                    and russian_stem(w) == russian_stem(o)) for o in other):
            best = TRANSLIT_WORD
        low = min(low, best)
    return low


def _edit(q: Normalised, qt: list[str], c_key: str, ct: list[str], c_full: str,
          russian: bool = False) -> tuple[float, str]:
    """Best edit-distance score over plain, sorted and compact forms, capped by the core."""
    qk = q.key
    L = max(len(qk), len(c_key))
    cut = L // 3 + 1
    d = OSA.distance(qk, c_key, score_cutoff=cut)
    best, why = 1.0 - d / L, _letters(d)
    qs, cs = " ".join(sorted(qt)), " ".join(sorted(ct))
    if qs == cs:
        return 0.96, "word order differs"
    ds = OSA.distance(qs, cs, score_cutoff=cut)
    if 1.0 - ds / L - 0.02 > best:
        best, why = 1.0 - ds / L - 0.02, f"word order differs, {_letters(ds)}"
    qc, cc = q.compact, c_key.replace(" ", "")
    lc = max(len(qc), len(cc))
    dc = OSA.distance(qc, cc, score_cutoff=lc // 3 + 1)
    if 1.0 - dc / lc - 0.01 > best:
        best, why = 1.0 - dc / lc - 0.01, f"spacing differs, {_letters(dc)}"
    if c_full and (q.full != qk or c_full != c_key):  # typos inside a legal form ("Grop")
        lf = max(len(q.full), len(c_full))
        df_ = OSA.distance(q.full, c_full, score_cutoff=lf // 3 + 1)
        if 1.0 - df_ / lf > best:
            best, why = 1.0 - df_ / lf, _letters(df_) + " (legal form included)"
    # two spellings or more (one is a typo: "Junjei" is not another transliteration)
    if (TRANSLIT > best >= 0.7 and dc >= 2 and len(qt) == len(ct) and len(qc) >= 6
            and abs(len(qc) - len(cc)) <= 3 and qc[0] == cc[0] and fold(qc) == fold(cc)):
        best, why = TRANSLIT, "spelt as another transliteration"
    # Russian names: the same words once case and adjective endings are dropped
    # ("Skolkovskiy Institut" / "Skolkovo Institute", "Institut ... Keldysha" / "Keldysh")
    if (russian and best < TRANSLIT and len(qt) == len(ct)
            and sorted(map(russian_stem, qt)) == sorted(map(russian_stem, ct))):
        best, why = TRANSLIT, "Russian word endings differ"
    if best > PLACES_DIFFER:
        places = place_words()
        qp, cp = places.intersection(qt), places.intersection(ct)
        if qp and cp and not qp & cp:  # "Beijing University of X" is not "Nanjing ..."
            best, why = PLACES_DIFFER, f"{why}, places differ ({' '.join(sorted(qp))} vs " \
                f"{' '.join(sorted(cp))})"
    if best > WEAK_ONLY_CAP - 0.1:
        qcore = [t for t in qt if not is_weak(t)]
        ccore = [t for t in ct if not is_weak(t)]
        if not qcore and not ccore:
            if best > WEAK_ONLY_CAP:
                best, why = WEAK_ONLY_CAP, f"{why}, only common words"
        else:
            sim = min(_closest(qcore, c_full.split() if c_full else ct, russian),
                      _closest(ccore, q.full.split(), russian))
            cap = 1.0 - CORE_FACTOR * (1.0 - sim)
            if cap < best:
                best, why = cap, f"{why}, distinctive words differ"
    return best, why


def _translit_acronym(q: Normalised, qt: list[str], c_key: str, ct: list[str],
                      c_acronyms: tuple[str, ...], best: float, why: str) -> tuple[float, str]:
    """Acronyms of names in Cyrillic or transliterated Russian (:attr:`Normalised.acronyms`),
    and one acronym in two transliterations ("RZhD" / "RZD")."""
    qk = q.key
    n, how = 0, ""  # n: letters of the acronym (three letters are weaker evidence than four)
    if len(qt) == 1 and len(qk) >= 3 and c_acronyms and (
            qk in c_acronyms or acronym_key(qk) in map(acronym_key, c_acronyms)):
        n, how = len(qk), "acronym of the name as transliterated"
    elif len(ct) == 1 and len(c_key) >= 3 and q.acronyms and (
            c_key in q.acronyms or acronym_key(c_key) in map(acronym_key, q.acronyms)):
        n, how = len(c_key), "the list name is the acronym of the query as transliterated"
    elif (len(qt) == 1 and len(ct) == 1 and max(len(qk), len(c_key)) >= 4
          and min(len(qk), len(c_key)) >= 3 and undigraph(qk) == undigraph(c_key)):
        n, how = max(len(qk), len(c_key)), "acronym spelt as another transliteration"
    s = 0.0 if not n else ACRONYM if n >= 4 else ACRONYM - 0.02
    return (s, how) if s > best else (best, why)


def _acronym_after(qk: str, ct: list[str], c_legal: tuple[str, ...]) -> str:
    """The reason when ``qk`` is the acronym of the name ``ct`` without its first, common
    words (a place, "Center for"), else "".

    The acronym leaves out the small words (``acronym_small_words``: "for", "on" ...) and
    may end in the letters of the name's legal form, or in "CO" for company or corporation
    (the way "Foo Bar Co., Ltd." of a city becomes "FBCO"). What is left after the first
    words must have two words or more, one of them distinctive, and the acronym four letters
    or more.

    >>> _acronym_after("hpfr", "center for high pressure foo research".split(), ())
    "acronym of the name after 'center for'"
    >>> _acronym_after("fbco", ["guizhou", "foo", "bar"], ("company limited",))
    "acronym of the name after 'guizhou' (legal form included)"
    >>> _acronym_after("fbco", ["guizhou", "foo", "bar"], ())
    ''
    """
    small = word_lists().small
    k = 0
    while k < len(ct) and (is_weak(ct[k]) or ct[k] in small):
        k += 1
    rest = [t for t in ct[k:] if t not in small]  # rest[0] is distinctive (not weak)
    if not k or len(rest) < 2:
        return ""
    initials = "".join(t[0] for t in rest)
    tail = qk[len(initials):]
    if not qk.startswith(initials) or len(tail) > 2:
        return ""
    letters = legal_letters(c_legal) if tail else frozenset()
    if tail and not (all(ch in _LEGAL_INITIALS and ch in letters for ch in tail)
                     or (tail == "co" and "c" in letters)):
        return ""
    why = f"acronym of the name after {' '.join(ct[:k])!r}"
    return why + " (legal form included)" if tail else why


def _company_form(legal: tuple[str, ...]) -> bool:
    return any(legal_family(x) != "group" for x in legal)


def _kinds_of_body(qt: list[str], ct: list[str], q_legal: tuple[str, ...], c_legal: tuple[str, ...],
                   best: float, why: str) -> tuple[float, str]:
    """Cap at :data:`ORG_KIND_CAP` when one name is a kind of body that is not a company
    (``organisation_words``: an association, a university ...) and the other is a company
    by its legal form: "Association of Unmanned Systems" is not "Unmanned Systems LLC"."""
    kinds = word_lists().organisations
    for mine, theirs, their_legal, my_legal in ((qt, ct, c_legal, q_legal), (ct, qt, q_legal, c_legal)):
        extra = [t for t in mine if t in kinds and t not in theirs]
        if extra and _company_form(their_legal) and not _company_form(my_legal):
            return ORG_KIND_CAP, f"{why}, {extra[0]} is not a company ({' '.join(their_legal)})"
    return best, why


def score_parts(q: Normalised, c_key: str, c_legal: tuple[str, ...],
                idf: Callable[[str], float] = _UNIFORM, *, c_full: str = "",
                c_acronyms: tuple[str, ...] = ()) -> tuple[float, str]:
    """Score a normalised query against an indexed name given by its parts.

    Parameters
    ----------
    q : Normalised
        The query.
    c_key, c_legal, c_full, c_acronyms : str, tuple of str, str, tuple of str
        The indexed name's ``key``, ``legal``, ``full`` and ``acronyms`` (see
        :class:`Normalised`).
    idf : callable, optional
        Rarity weight of a token (see :meth:`NameIndex.idf`); all tokens weigh the same
        without it.

    Returns
    -------
    (float, str)
        Score in 0..1 and the reason in plain words.
    """
    qk = q.key
    if not qk or not c_key:
        return 0.0, "no letters to compare"
    if qk == c_key:
        best, why = 1.0, ""
    elif q.compact == c_key.replace(" ", ""):
        best, why = 0.98, "spacing differs"
    else:
        qt, ct = qk.split(), c_key.split()
        best, why = _edit(q, qt, c_key, ct, c_full, q.russian or bool(c_acronyms))
        if len(qt) == 1 and len(qk) >= 3 and len(ct) >= 2:
            initials = "".join(t[0] for t in ct)
            full_initials = "".join(t[0] for t in c_full.split()) if c_full else initials
            # the legal form may be written out in the acronym ("CSIGC" = China South
            # Industries Group Corporation), though only its label is known here
            tail = qk[len(initials):]
            legal_tail = (qk.startswith(initials) and len(tail) <= 2
                          and all(ch in _LEGAL_INITIALS and ch in legal_letters(c_legal)
                                  for ch in tail))
            if len(initials) >= 3 and (full_initials.startswith(qk) or legal_tail) \
                    and len(qk) >= len(initials):
                s = ACRONYM if len(qk) >= 4 else ACRONYM - 0.02
                if s > best:
                    best, why = s, "acronym of the name"
                    if len(qk) > len(initials):  # its legal form is in it: none dropped
                        why += " (legal form included)"
        if len(qt) == 1 and len(qk) >= 4 and len(ct) >= 3 and best < ACRONYM_AFTER:
            after = _acronym_after(qk, ct, c_legal)
            if after:
                best, why = ACRONYM_AFTER, after
        if len(qt) == 1 or len(ct) == 1:  # an acronym is one word
            best, why = _translit_acronym(q, qt, c_key, ct, c_acronyms, best, why)
        got = _words_subset(qt, ct, idf)
        if got is None and (qk[-1] == "s" or "s " in qk or c_key[-1] == "s" or "s " in c_key):
            # singular and plural are one word here ("Antennas" / "Antenna")
            qs, cs = [_singular(t) for t in qt], [_singular(t) for t in ct]
            same = _same_but_plural(qs, cs)
            if same is not None:
                if same[0] > best:
                    best, why = same
            elif qs != qt or cs != ct:
                got = _words_subset(qs, cs, idf)
                if got is not None:
                    got = (got[0] - SUBSET_WEAK_STEP, got[1] + ", singular and plural",
                           got[2])
        if got is not None:
            s, why2, capped = got
            if capped or s > best:  # a regional subsidiary (capped): cap, not raise
                best, why = s, why2
        if best > ORG_KIND_CAP:
            best, why = _kinds_of_body(qt, ct, q.legal, c_legal, best, why)
    reasons = [why] if why else []
    ql = q.legal
    if ql != c_legal and "(legal form included)" not in why:
        if not ql or not c_legal:
            groupish = {legal_family(x) for x in (ql or c_legal)} == {"group"}
            best -= LEGAL_GROUP if groupish else LEGAL_DROPPED
            reasons.insert(0, "legal form dropped" if not groupish else
                           f"'{' '.join(ql or c_legal)}' on one side only")
        else:
            # the bare word "company" says little: it is of no family ("Company OJSC", "Foo
            # Company" vs "Foo LLC"; the Finnish "yhtio" is the same word)
            fq = {legal_family(x) for x in ql if x != "company"} - {"group"}
            fc = {legal_family(x) for x in c_legal if x != "company"} - {"group"}
            gq = any(legal_family(x) == "group" for x in ql)
            gc = any(legal_family(x) == "group" for x in c_legal)
            # two differences at once (a typo and another legal form) cost more
            cost = LEGAL_DIFFERS_EDIT if "different" in why else LEGAL_DIFFERS
            if fq and fc and not fq & fc:
                cost = LEGAL_FAMILY
            elif gq != gc:
                cost = LEGAL_GROUP
            best -= cost
            reasons.insert(0, f"legal form differs ({' '.join(ql)} vs {' '.join(c_legal)})")
    if not reasons:
        reasons.append("same name" if q.full == c_full or not c_full else
                       "same name after normalisation")
    return max(0.0, min(1.0, best)), ", ".join(reasons)


def score_pair(q: Normalised, c: Normalised,
               idf: Callable[[str], float] = _UNIFORM) -> tuple[float, str]:
    """Score two normalised names; see the module docstring for the rules.

    >>> from graphkit.resolve.normalise import normalise
    >>> score_pair(normalise("Technologies Huawei"), normalise("Huawei Technologies"))
    (0.96, 'word order differs')
    """
    s, why = score_parts(q, c.key, c.legal, idf, c_full=c.full, c_acronyms=c.acronyms)
    return round(s, 6), why  # 0.94 - 0.03 - 0.01 is 0.9 here, not 0.8999...
