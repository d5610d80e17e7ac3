"""Blocking keys: the few keys a name is filed under in :class:`~graphkit.resolve.index.NameIndex`.

A query is only scored against the indexed names that share its rarest keys, so these keys
decide which names can be found at all: a name that shares no key with the query is never
compared with it. Keys are plain strings; a prefix says what kind of key it is.

Blocking keys of a normalised name (see :func:`blocking_keys`):

- every token (``huawei``, ``technologies``);
- every two adjacent tokens written together (``shang tang`` -> ``shangtang``), so a name
  split differently still meets;
- for tokens of six letters or more, the first four and last four letters (``<huaw``,
  ``>ties``), so a single typo in a long word still meets;
- the whole key without spaces (``=huaweitechnologies``);
- for names in Cyrillic or transliterated Russian, their initials as transliterated
  (:attr:`Normalised.acronyms`: ``#rzhd``, and ``%rzd`` as their transliterations meet,
  :func:`acronym_key`), and for a one-word name the same without the two-letter sounds
  (``#rzd``);
- the initials of names of three words or more, with and without the legal form's
  (``#smi``, ``#smic`` for Semiconductor Manufacturing International Corporation), so an
  acronym finds the long name; for names that begin with common words (a place, "Center
  for"), the same without them and without small words, alone and with one or two letters of
  the legal form (``^fbc`` for Guizhou Foo Bar Co., ``^hpfr`` for Center for High Pressure Foo
  Research); and, for names of four words or more,
  the beginnings of the initials that go on with a word that is not a legal form or a place
  (``!casi`` for China Aerospace Science and Industry), to tell that an acronym read with its
  legal letter ("CASC" = China Avionics Systems Co.) is how another name begins, not ending
  there.

The index files every form of a name (the name and its :func:`variants`, each normalised)
under these keys (``_forms``). A query is looked up under :func:`query_keys`: the same kinds
of keys, and for a one-word query the keys an acronym would be filed under (``#``, ``%``,
``^``; an acronym may end in the letters of its legal form: "COMEC" for ... Engineering Co.).
"""

from __future__ import annotations

from array import array
from collections.abc import Container, Sequence
from functools import lru_cache
from operator import itemgetter

from graphkit.resolve.normalise import (
    Normalised,
    acronym_key,
    is_weak,
    normalise,
    undigraph,
    variants,
)
from graphkit.resolve.wordlists import place_words, word_lists

__all__ = ["blocking_keys", "query_keys"]

_LEGAL_INITIALS = frozenset("cghil")  # company/corporation, group, holdings, inc., limited


def blocking_keys(tokens: Sequence[str], legal_tokens: Sequence[str] = ()) -> list[str]:
    """The blocking keys of a tokenised name (see the module docstring).

    >>> blocking_keys(["shang", "tang", "technology"])[:5]
    ['shang', 'tang', 'technology', 'shangtang', 'tangtechnology']
    """
    return list(dict.fromkeys(_keys_of(tokens, legal_tokens)))


_first_letter = itemgetter(0)
_ENDS: dict[str, tuple[str, ...]] = {}  # token -> the keys of its ends ("<huaw", ">awei")
_ENDS_MAX = 1 << 17


def _keys_of(tokens: Sequence[str], legal_tokens: Sequence[str]) -> list[str]:
    """:func:`blocking_keys` before repeats are taken out (the index takes them out after
    numbering the keys, which is quicker)."""
    n_tok = len(tokens)
    keys = [*tokens, *map(str.__add__, tokens, tokens[1:])]
    ends = _ENDS
    for t in tokens:  # names repeat their words: the ends of each are made once
        e = ends.get(t)
        if e is None:
            if len(ends) >= _ENDS_MAX:
                ends.clear()
            e = ends[t] = ("<" + t[:4], ">" + t[-4:]) if len(t) >= 6 else ()
        keys += e
    keys.append("=" + "".join(tokens))
    initials = "".join(map(_first_letter, tokens))
    if legal_tokens:
        initials += "".join(map(_first_letter, legal_tokens))
    # "#" + the first n initials
    keys += ["#" + initials[:n] for n in range(max(n_tok, 3), len(initials) + 1)]
    if n_tok >= 3 and is_weak(tokens[0]):  # an acronym without the first, common words
        after = _initials_after(tokens)
        if after:  # all of them, and with one or two letters of the legal form
            m = len(after)
            after += "".join(map(_first_letter, legal_tokens[:2]))
            keys += ["^" + after[:n] for n in range(max(m, 3), len(after) + 1)]
    if n_tok > 3:  # the initials go on with a word that names something
        plain = _plain_words()
        for n in range(3, n_tok):
            if tokens[n] not in plain:
                keys.append("!" + initials[:n + 1])
    if n_tok == 1 and 2 <= len(tokens[0]) <= 8:
        keys.append("#" + tokens[0])
        keys.append("#" + undigraph(tokens[0]))
        keys.append("%" + acronym_key(tokens[0]))
    return keys


def _initials_after(tokens: Sequence[str]) -> str:
    """Initials of a name without its first, common words and without small words ("Center
    for High Pressure Foo Research" -> ``hpfr``), when two words or more are left and one of
    them is distinctive (see :func:`graphkit.resolve.score._acronym_after`); else "".

    >>> _initials_after("center for high pressure foo research".split())
    'hpfr'
    """
    small = word_lists().small
    k = 0
    while k < len(tokens) and (is_weak(tokens[k]) or tokens[k] in small):
        k += 1
    rest = [t for t in tokens[k:] if t not in small]  # rest[0] is distinctive (not weak)
    if len(rest) < 2:
        return ""
    return "".join(map(_first_letter, rest))


@lru_cache(maxsize=1)
def _plain_words() -> frozenset[str]:
    """Words that name nothing in particular: legal-form words and places."""
    return word_lists().legal_tokens | place_words()


def _legal_tail(norm: Normalised) -> list[str]:
    """The legal-form words after the key, as written ("group corporation", not the label
    "group"), so the initials of "China South Industries Group Corporation" give ``#csigc``.

    >>> _legal_tail(normalise("China South Industries Group Corporation"))
    ['group', 'corporation']
    """
    key, full = norm.key, norm.full
    if full.startswith(key) and (len(full) == len(key) or full[len(key)] == " "):
        return full[len(key) + 1:].split()  # the usual case: the key, then the legal words
    kt, ft = norm.tokens, full.split()
    for start in range(len(ft) - len(kt) + 1):
        if ft[start:start + len(kt)] == kt:
            return ft[start + len(kt):]
    return [w for lab in norm.legal for w in lab.split()]


def query_keys(norm: Normalised, known: Container[str]) -> list[str]:
    """The blocking keys a query is looked up under: its tokens (an unknown word of six
    letters or more by its first and last four letters instead), adjacent tokens written
    together, the whole key without spaces and, for a one-word query, the acronym keys
    (``#``, ``%``, ``^``: the query may be an acronym), for three words or more their
    initials; ``known`` holds the keys of the index (a token is used as it is only when
    the index has it).

    >>> query_keys(normalise("Shang Tang"), {"shang", "tang"})
    ['shang', 'tang', 'shangtang', '=shangtang']
    """
    tokens = norm.tokens
    keys: list[str] = []
    for t in tokens:
        if t in known:
            keys.append(t)
        elif len(t) >= 6:  # unknown word: maybe a typo, try its ends
            keys += ["<" + t[:4], ">" + t[-4:]]
    keys += [a + b for a, b in zip(tokens, tokens[1:])]
    keys.append("=" + "".join(tokens))
    if len(tokens) == 1 and 2 <= len(tokens[0]) <= 8:
        keys.append("#" + tokens[0])
        keys.append("#" + undigraph(tokens[0]))  # "RZhD" and "RZD"
        keys.append("%" + acronym_key(tokens[0]))  # "CNIIHM" for a Russian "TsNIIKhM"
        # an acronym may end in its legal form's letters ("COMEC": ... Engineering Co.)
        tok = tokens[0]
        for cut in (1, 2):
            if len(tok) - cut >= 3 and all(ch in _LEGAL_INITIALS for ch in tok[-cut:]):
                keys.append("#" + tok[:-cut])
        if len(tok) >= 4:  # the acronym of a name without its first, common words
            keys.append("^" + tok)
            if tok.endswith("co"):  # "FBCO": Foo Bar Co., of a city
                keys.append("^" + tok[:-1])
    elif len(tokens) >= 3:
        initials = "".join(t[0] for t in tokens)
        keys.append("#" + initials)
        if norm.legal:
            keys.append("#" + initials + norm.legal[0][0])
    for a in norm.acronyms:  # an indexed acronym of a Russian name
        keys += ["#" + a, "%" + acronym_key(a)]
    return keys


_NO_IDS = array("i")


class _Form:
    """One indexed form of a name (the name or one of its :func:`variants`): its key, legal
    labels and acronyms, and its blocking keys, numbered when the form first becomes an entry
    (so keys are numbered in the order entries are made, whatever is cached)."""

    __slots__ = ("key", "legal", "acronyms", "whole", "_block", "_ids")

    def __init__(self, norm: Normalised, legal: tuple[str, ...], whole: bool = True) -> None:
        self.key, self.legal, self.acronyms = norm.key, legal, norm.acronyms
        self.whole = whole  # False: the text with a part left out (see _forms)
        self._block: list[str] | None = _keys_of(norm.tokens, _legal_tail(norm))
        self._ids = _NO_IDS  # read only: key_ids gives the form its own

    def key_ids(self, numbers: dict[str, int]) -> array[int]:
        """The numbers of the blocking keys (``numbers`` gives new keys the next number):
        those of :func:`blocking_keys`, then those of the acronyms, which are not checked
        for repeats."""
        if self._block is not None:
            ids = list(map(numbers.__getitem__, self._block))
            if len(set(ids)) < len(ids):  # rare: a key twice ("<chan" of two words)
                ids = list(dict.fromkeys(ids))
            for a in self.acronyms:
                ids += (numbers["#" + a],)
            for a in self.acronyms:
                ids += (numbers["%" + acronym_key(a)],)
            self._ids = array("i", ids)
            self._block = None
        return self._ids


def _forms(text: str, interned: dict[tuple[str, ...], tuple[str, ...]]) -> tuple[_Form, ...]:
    """The forms of one name or alias that have letters or digits."""
    out = []
    for i, form in enumerate(variants(text)):
        norm = normalise(form)
        if norm.key:
            # the name with a qualifier left out ("Foo Bank (Kiev)" -> "Foo Bank") is a part
            # of it; a name in brackets ("... (Hikvision)", a former name) and the national
            # transliteration of a Ukrainian name are names in full
            part = i > 0 and not any(form + c in text for c in ")）]") \
                and not any(c + form in text for c in "(（[") \
                and not (form.isascii() and not text.isascii())  # a transliteration: whole
            out.append(_Form(norm, interned.setdefault(norm.legal, norm.legal), not part))
    return tuple(out)
