"""One name has all the words of the other: extra words, places, branches, short forms.

Scores of :func:`graphkit.resolve.score.score_parts` when the words of one name are all in
the other (after :func:`~graphkit.resolve.normalise.normalise`; a word said twice must be
there twice), and when two names are the same once English plurals are made singular. How
sure a match is depends on what the extra words are: common words (a city, "Group") say
little, a place after the name is often a regional subsidiary, a distinctive word is often
another company.

==========================================  =====  ==========================================
situation                                   score  reason
==========================================  =====  ==========================================
one name has all the other's words and      0.94 - 0.01 per extra word, at least 0.88
  only common words more (``weak_words``,          (0.01 less when the extras are in the query)
  ``weak_places``, legal-form words,               "extra common words in the list name: hangzhou"
  patronymics)
... but a place comes after the shared      0.86   "a place is named after the name: shanghai"
  words ("SMIC Shanghai", "X USA")                 (a regional subsidiary, not the same firm;
                                                   this also caps the edit-distance score)
... but the longer ends in "Branch", after   0.92   "a branch of the name: new delhi branch"
  at most three more words (a branch is a          (0.91 when the branch is the query)
  part of the company, not a subsidiary)
... but a trade word stands between shared  0.85   "a trade word inside the name: telecom..."
  words, before the first distinctive one          ("China Telecom Satellite" is not "China
                                                   Satellite": the trade word is the brand)
... but the shorter name has only common    0.85   "the shorter name has only common words; the
  words (weak words, kinds of body, fields         longer one (the list name) adds: moscow,
  of science: ``subject_words``; not all           technology" ("Institute of Physics" is not
  of them weak) and the longer adds only           Moscow Institute of Physics and Technology:
  weak words, not only legal-form words            a cap, no other rule may raise it)
one name has all the other's words          0.75 + 0.25 x (rarity share of the common words)
                                                   "extra words in the query: holding"
... the shorter name is how the longer one  0.91   "short form: the name begins the same"
  begins (places aside) and the longer adds        (0.90 when the extra word is in the query)
  one distinctive word, not at its end
... the shorter name ends in a place and    0.92   "short form: the name up to its place"
  the longer begins with it and goes on            ("AVIC Shenyang" for AVIC Shenyang Aircraft
  with a word that is not a place                  Co.; 0.91 when the query is the longer)
all the other's words once plurals are      rule   the rule's reason + ", singular and plural"
  made singular ("Antennas" / "Antenna")    -0.01
==========================================  =====  ==========================================

A place after the name: probably a regional subsidiary, so the score is capped (True):

>>> _words_subset(["huawei", "technologies"], ["huawei", "technologies", "hangzhou"],
...               lambda _t: 1.0)
(0.86, 'a place is named after the name in the list name: hangzhou', True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from graphkit.resolve.normalise import is_legal_word, is_place, is_weak
from graphkit.resolve.wordlists import is_common

__all__ = ["BRANCH", "COMMON_ONLY", "INNER_TRADE", "SAME_PLURAL", "SHORT_FORM", "SHORT_FORM_PLACE",
           "SUBSET_BASE", "SUBSET_PLACE", "SUBSET_SPAN", "SUBSET_WEAK", "SUBSET_WEAK_MIN",
           "SUBSET_WEAK_STEP"]

SAME_PLURAL = 0.97
SUBSET_WEAK = 0.94
SUBSET_WEAK_STEP = 0.01
SUBSET_WEAK_MIN = 0.88
SUBSET_PLACE = 0.86
BRANCH = 0.92
SHORT_FORM = 0.91
SHORT_FORM_PLACE = 0.92
INNER_TRADE = 0.85
COMMON_ONLY = 0.85
SUBSET_BASE = 0.75
SUBSET_SPAN = 0.25


def _subset(shared: set[str], extra: set[str], longer: list[str], idf: Callable[[str], float],
            query_longer: bool) -> tuple[float, str, bool]:
    """Score when one name has all the words of the other plus ``extra`` words: (score,
    reason, True when the score is a cap that no other rule may raise)."""
    if (not all(map(is_weak, shared)) and all(map(is_common, shared)) and not any(map(is_place, shared))
            and all(map(is_weak, extra)) and not all(map(is_legal_word, extra))):
        # (a place makes the shorter name a body in particular: "Beijing University of ...")
        # "Institute of Physics" in "Moscow Institute of Physics and Technology": a name of
        # common words only names no body in particular, the longer one is a more specific body
        adds = ", ".join(t for t in longer if t in extra)
        return COMMON_ONLY, ("the shorter name has only common words; the longer one "
                             f"({{longer}}) adds: {adds}"), True
    got = _subset_words(shared, extra, longer, idf, query_longer)
    n = len(longer) - len(extra)
    if (longer[-1] == "branch" and len(extra) <= 4 and got[0] < BRANCH
            and set(longer[:n]) == shared and not any(map(is_legal_word, extra))
            and not all(map(is_weak, shared))):
        # "Foo Bank New Delhi Branch": a branch is a part of the company, not a subsidiary
        # (which "Foo Bank Shanghai" may be)
        s = BRANCH - (SUBSET_WEAK_STEP if query_longer else 0.0)
        if s > got[0]:
            return s, f"a branch of the name {{side}}: {' '.join(longer[n:])}", False
    return got[0], got[1], got[0] == SUBSET_PLACE


def _subset_words(shared: set[str], extra: set[str], longer: list[str],
                  idf: Callable[[str], float], query_longer: bool) -> tuple[float, str]:
    """:func:`_subset` before the branch rule."""
    listed = " ".join(sorted(extra))
    if all(is_weak(t) for t in shared):
        return 0.70, f"only common words shared, extra words {{side}}: {listed}"
    if all(is_weak(t) for t in extra):
        first = min(i for i, t in enumerate(longer) if t in shared)
        late = [t for i, t in enumerate(longer) if i > first and t in extra and is_place(t)]
        if late:
            return SUBSET_PLACE, f"a place is named after the name {{side}}: {' '.join(late)}"
        # a trade word between shared words and before the first distinctive one is part of
        # the name ("China Telecom Satellite" is not "China Satellite")
        brand = next((i for i, t in enumerate(longer) if t in shared and not is_weak(t)), -1)
        inner = [t for i, t in enumerate(longer) if first < i < brand and t in extra
                 and not is_place(t)]
        if inner:
            return INNER_TRADE, f"a trade word inside the name {{side}}: {' '.join(inner)}"
        s = max(SUBSET_WEAK_MIN, SUBSET_WEAK - SUBSET_WEAK_STEP * (len(extra) - 1))
        if query_longer:
            s -= SUBSET_WEAK_STEP
        return s, f"extra common words {{side}}: {listed}"
    # a short form that ends in a place: "AVIC Shenyang" for "AVIC Shenyang Aircraft Co."
    shorter = [t for t in longer if t in shared]
    if (len(shorter) >= 2 and is_place(shorter[-1]) and longer[: len(shorter)] == shorter
            and not is_place(longer[len(shorter)]) and any(not is_weak(t) for t in shorter)):
        s = SHORT_FORM_PLACE - (SUBSET_WEAK_STEP if query_longer else 0.0)
        return s, f"short form: the name up to its place, extra words {{side}}: {listed}"
    w_shared = sum(idf(t) * (0.3 if is_weak(t) else 1.0) for t in shared)
    w_extra = sum(idf(t) * (0.3 if is_weak(t) else 1.0) for t in extra)
    share = w_shared / (w_shared + w_extra)
    s = SUBSET_BASE + SUBSET_SPAN * share
    # a short form: the shorter name is how the longer one begins (places aside) and the longer
    # adds one distinctive word, not at the very end ("AVIC Jonhon" for "AVIC Jonhon Optronic
    # Technology"; a word added at the end is often a place or a branch: "Shell Trading Rotterdam")
    core = [t for t in longer if not is_place(t)] if not is_place(longer[0]) else longer
    head = core[: len(shared)]
    strong_extra = [t for t in extra if not is_weak(t)]
    if (len(strong_extra) == 1 and longer[-1] != strong_extra[0] and set(head) == shared and len(head) == len(shared)
            and sum(not is_weak(t) for t in shared) >= 1 and len(shared) >= 2
            and SHORT_FORM - (SUBSET_WEAK_STEP if query_longer else 0.0) > s):
        s = SHORT_FORM - (SUBSET_WEAK_STEP if query_longer else 0.0)
        return s, f"short form: the name begins the same, extra words {{side}}: {listed}"
    return s, f"extra words {{side}}: {listed}"


def _singular(word: str) -> str:
    """An English plural made singular (only for words of five letters or more)."""
    if len(word) < 5 or word[-1] != "s" or word.endswith(("ss", "us", "is")):
        return word
    return word[:-3] + "y" if word.endswith("ies") else word[:-1]


def _same_but_plural(qs: list[str], cs: list[str]) -> tuple[float, str] | None:
    """The score of two names that are the same once plurals are made singular (``qs``,
    ``cs``): the same words, spaced or ordered differently ("Hua Wei Technology" /
    "Huawei Technologies", as a Chinese name read in pinyin meets the English one), or
    None when they are not."""
    if qs == cs:
        return SAME_PLURAL, "singular and plural"
    if "".join(qs) == "".join(cs):
        return SAME_PLURAL - 0.01, "spacing differs, singular and plural"
    if sorted(qs) == sorted(cs):
        return SAME_PLURAL - 0.02, "word order differs, singular and plural"
    return None


def _words_subset(qt: list[str], ct: list[str], idf: Callable[[str], float]
                  ) -> tuple[float, str, bool] | None:
    """Score when one name has all the words of the other (see :func:`_subset`): (score,
    reason, True when the score is a cap), or None when neither has all the other's words."""
    sq, sc = set(qt), set(ct)
    shared = sq & sc
    if not shared:
        return None
    if len(sq) != len(qt) or len(sc) != len(ct):
        # a word said twice: "Yan Yan" does not have all the words of "Yan Li"
        cq, cc = Counter(qt), Counter(ct)
        if not (cq <= cc or cc <= cq):
            return None
    extra_q, extra_c = sq - shared, sc - shared
    if extra_q and extra_c:
        return None
    longer = qt if extra_q else ct
    s, why, capped = _subset(shared, extra_q or extra_c, longer, idf, bool(extra_q))
    return s, why.format(side="in the query" if extra_q else "in the list name",
                         longer="the query" if extra_q else "the list name"), capped
