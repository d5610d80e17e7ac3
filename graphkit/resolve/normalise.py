"""Name normalisation: turn a company name as a list writes it into comparable tokens.

What is done, in order (the word lists are data, in ``legal_forms.yaml``):

1. Unicode NFKC (full-width letters and digits become plain ones), case folded.
2. Names in Chinese characters: the legal form at the end (有限公司, 股份有限公司, 集团 ...) is
   taken off and remembered; common business words (科技 -> technology) are rendered in
   English; the remaining characters become pinyin, one syllable a token
   (``pypinyin``), so 商汤科技 becomes ``shang tang technology`` and meets "Shang Tang".
3. Every other script is transliterated to ASCII with ``anyascii`` (a pure-Python wheel;
   ICU is not used because its Python binding needs compiling against system ICU).
4. The Arabic article written with a hyphen is dropped ("AL-ZAHAR" -> "zahar").
   Punctuation inside a word is dropped ("Co." -> "co", "S.A." -> "sa", "Hi-Tech" -> "hitech"),
   other punctuation separates words, "&" becomes "and".
5. Abbreviations are expanded ("co" -> "company", "intl" -> "international"), and so are
   the short forms of Chinese place names that companies use in their English names ("SZ"
   -> "shenzhen", "HK" -> "hong kong") and Russian organisation abbreviations ("NII" ->
   "scientific research institute", "OKB" -> "experimental design bureau").
   Transliterated Russian organisation words, in any case ending, are read in English
   ("Institut" -> "institute", "Nauchno-Issledovatelskiy" -> "scientific research",
   "Tsentra" -> "center"; ``russian_words``), and then the Russian "i" (and) is dropped.
   A legal form joined with a hyphen is split off ("Foo-yhtiö", "Foo-GmbH"), and words of
   legal forms typed together are split ("Co.Ltd", "Limited.Co.Ltd").
6. Legal forms are taken off the end, repeatedly (and a few, such as OOO, PJSC, FGUP / FSUE,
   off the start: ``legal_forms_at_start``) and remembered in ``legal`` so a score can say
   "legal form dropped". A legal form typed twice ("X Corporation Limited.Co.Ltd", "X Co.,
   Ltd. Limited", "OOO X LLC": two forms of one family, the words of one within the other's)
   is recorded once, as first written, so the name normalises as if typed once.
7. For names in Cyrillic or transliterated Russian, the initials of the words as written
   are kept in ``acronyms`` ("Rossiyskie Zheleznye Dorogi" -> ``rzhd``).

The word lists are loaded and looked up by :mod:`graphkit.resolve.wordlists` (``is_weak``,
``legal_family`` ...), the Russian words and acronyms are read by
:mod:`graphkit.resolve.russian` (``russian_word``, ``acronym_key`` ...), the other forms of a
name (without its bracketed ending, dedication or affiliation) are made by
:func:`graphkit.resolve.variants.variants`; those names can be imported from this module too.

Examples
--------
>>> n = normalise("Huawei Technologies Co., Ltd.")
>>> n.key, n.legal
('huawei technologies', ('company limited',))
>>> normalise("商汤科技有限公司").key
'shang tang technology'
>>> normalise("ＳＥＮＳＥＴＩＭＥ Group Ltd").key
'sensetime'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from graphkit.resolve.russian import (
    CYRILLIC,
    DIGRAPHS,
    acronym_key,
    russian_word,
    translit_acronyms,
    undigraph,
)
from graphkit.resolve.variants import _NAMED as _NAMED  # re-exported: tests import it here
from graphkit.resolve.variants import _maybe_named as _maybe_named  # (re-exported)
from graphkit.resolve.variants import variants
from graphkit.resolve.wordlists import (
    is_legal_word,
    is_place,
    is_weak,
    legal_family,
    legal_letters,
    place_words,
    weak_words,
    word_lists,
)

# the word-list, Russian and variants names are re-exported: they were defined here before and
# callers (score, index, match, tests) import them from this module
__all__ = ["Normalised", "invalid_reason", "normalise", "script_of", "variants", "weak_words",
           "is_weak", "is_legal_word", "is_place", "legal_family", "legal_letters",
           "place_words", "russian_word", "DIGRAPHS", "undigraph",
           "acronym_key"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
# punctuation inside a word ("co.", "s.a.", "hi-tech"); the pattern begins with the character
# (not with the look-behind) so that the regex engine can skip to candidates quickly
_INWORD = re.compile(r"[.'’`\-](?<=\w.)(?=\w)")
_ALNUM = re.compile(r"[a-z0-9]+")
_ARTICLE = re.compile(r"\b(?:al|el)-(?=[a-z])")  # Arabic article: AL-ZAHAR meets ZAHAR
_MOJIBAKE = re.compile(r"[ÃÂ][\u0080-\u00bf]|â€|\ufffd")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Normalised:
    """A name reduced to comparable parts.

    Attributes
    ----------
    key : str
        Tokens that say *which* company it is, joined by one space (legal form removed).
    legal : tuple of str
        Canonical labels of the legal forms taken off, e.g. ``("company limited",)``.
    full : str
        All tokens including the legal form, joined by one space.
    acronyms : tuple of str
        For names in Cyrillic or in transliterated Russian only: initials of the name as
        transliterated, before its Russian words are read in English and without its legal
        form ("Tsentralny Nauchno-Issledovatelsky Institut" -> ``tnii``), and the same with
        the two-letter sounds that Russian acronyms keep (``tsnii``, "Rossiyskie Zheleznye
        Dorogi" -> ``rzhd``); a word of a hyphenated compound gives its own initial. The
        initials of :attr:`key` itself are left out (they are indexed anyway).
    russian : bool
        True when words of ``russian_words`` were read in English (Russian names, and the
        same words in German or Nordic names: "Institut", "Universitet"); Russian case
        endings are then no evidence of another word (see :mod:`graphkit.resolve.score`).
    """

    key: str
    legal: tuple[str, ...]
    full: str
    acronyms: tuple[str, ...] = ()
    russian: bool = False

    @property
    def tokens(self) -> list[str]:
        """The tokens of :attr:`key`."""
        return self.key.split()

    @property
    def compact(self) -> str:
        """:attr:`key` without spaces ("shang tang" and "shangtang" meet here)."""
        return self.key.replace(" ", "")


@lru_cache(maxsize=1 << 17)
def _read_word(token: str) -> tuple[tuple[str, ...], bool] | None:
    """How one lower-case ASCII word enters a normalised name (step 5; cached per word).

    None when the word is kept as written; otherwise the tokens it becomes (empty for a stop
    word, the long form for an abbreviation, the English words for a transliterated Russian
    organisation word) and True when it was read as a Russian word.

    >>> _read_word("huawei"), _read_word("of"), _read_word("co"), _read_word("institut")
    (None, ((), False), (('company',), False), (('institute',), True))
    """
    rules = word_lists()
    long = rules.abbreviations.get(token)
    if long:
        return tuple(t for t in long if t not in rules.stop), False
    if token in rules.stop:
        return (), False
    read = russian_word(token) if token[:4] in rules.russian_heads else None
    return None if read is None else (read, True)


def _chinese(text: str, legal: list[str]) -> str:
    from pypinyin import lazy_pinyin

    rules = word_lists()
    for word, label in rules.cjk_anywhere:
        if word in text:
            text = text.replace(word, " ")
            if label:
                legal.append(label)
    stripped = text.strip().rstrip(" )）(（")
    changed = True
    while changed:
        changed = False
        for suffix, label in rules.chinese_legal:
            if stripped.endswith(suffix) and len(stripped) > len(suffix):
                stripped = stripped[: -len(suffix)].rstrip(" )）(（")
                legal.insert(0, label)
                changed = True
                break
    text = stripped
    for word, english in rules.chinese_words:
        if word in text:
            text = text.replace(word, english)
    return _HAN.sub(lambda m: " " + " ".join(lazy_pinyin(m.group(0))) + " ", text)


def _pinyin_words(tokens: list[str]) -> list[str]:
    """Business words typed in pinyin read in English, longest first.

    Only in a name that reads like a company: some syllables stay as they are (the
    brand), and the words are spaced syllables in a name of four or more, or joined
    ("keji"). A person's name such as "Wang Luo" or "Li Ke Ji" is left alone.

    >>> _pinyin_words(["shang", "tang", "ke", "ji"]), _pinyin_words(["kuangshi", "keji"])
    (['shang', 'tang', 'technology'], ['kuangshi', 'technology'])
    >>> _pinyin_words(["wang", "luo"]), _pinyin_words(["li", "ke", "ji"])
    (['wang', 'luo'], ['li', 'ke', 'ji'])
    """
    table = word_lists().pinyin
    longest = max(map(len, table), default=1)
    out: list[str] = []
    kept = joined = 0
    i = 0
    while i < len(tokens):
        for n in range(longest, 0, -1):
            english = table.get(tuple(tokens[i:i + n])) if i + n <= len(tokens) else None
            if english:
                out.extend(english)
                joined += n == 1
                i += n
                break
        else:
            out.append(tokens[i])
            kept += 1
            i += 1
    if not kept or (len(tokens) < 4 and not joined):
        return tokens
    return out


def normalise(name: str) -> Normalised:
    """Normalise one name; see the module docstring for the steps.

    Parameters
    ----------
    name : str
        A company or person name in any script.

    Returns
    -------
    Normalised
        ``key`` is empty when the name has no letters or digits.

    Examples
    --------
    >>> normalise("OOO Gazprom Export").key
    'gazprom export'
    >>> normalise("Beijing Intl. Tech & Trading Co").full
    'beijing international technology trading company'
    """
    rules = word_lists()
    legal: list[str] = []
    text = name
    cyrillic = False
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        cyrillic = CYRILLIC.search(text) is not None
        if _HAN.search(text):
            text = _chinese(text, legal)
        if not text.isascii():
            from anyascii import anyascii

            text = anyascii(text)
    written = text
    text = text.lower().replace("&", " and ")
    if "-" in text:  # a legal form joined with a hyphen: "Foo-yhtiö", "Foo-GmbH"
        text = _HYPHEN_WORD.sub(_hyphen_legal, text)
        if "l-" in text:  # only then can the Arabic article be there
            text = _ARTICLE.sub("", text)
    text = _inword(text)
    tokens: list[str] = []
    russian = False
    for tok in _ALNUM.findall(text):
        read = _read_word(tok)
        if read is None:
            tokens.append(tok)
        else:
            tokens.extend(read[0])
            russian = russian or read[1]
    if rules.pinyin_first and not rules.pinyin_first.isdisjoint(tokens):
        tokens = _pinyin_words(tokens)  # "ke ji" / "keji" -> technology, as 科技 is read
    if russian and "i" in tokens:  # the Russian "and" ("Institut Nauki i Tekhnologii")
        tokens = [t for t in tokens if t != "i"]
    # legal forms off the end, longest first, repeatedly; never empty the name
    pre = len(legal)  # legal forms of a name in Chinese characters, taken off already
    end = stop = len(tokens)
    found = True
    cuts: list[int] = []  # where each legal form at the end begins, right to left
    while found and end > 1:
        found = False
        for n in rules.legal_ending.get(tokens[end - 1], ()):
            if n > end - 1:
                continue
            label = rules.legal.get(tuple(tokens[end - n:end]))
            if label:
                legal.insert(0, label)
                end -= n
                cuts.append(end)
                found = True
                break
    if len(cuts) > 1:  # a legal form typed twice ("Limited.Co.Ltd"): keep the first written
        drop = _repeated(tuple(legal[:len(cuts)]))
        if drop:
            starts = cuts[::-1]
            stops = [*starts[1:], stop]
            for i in sorted(drop, reverse=True):
                del tokens[starts[i]:stops[i]]
            legal = [label for i, label in enumerate(legal) if i not in drop]
    full = " ".join(tokens)
    start = 0
    for n in rules.legal_starting.get(tokens[0], ()) if tokens else ():
        if n > end - 1:
            continue
        label = rules.legal.get(tuple(tokens[:n]))
        if label in rules.leading:
            legal.insert(0, label)
            start = n
            break
    key_tokens = tokens[start:end]
    if (start or pre) and len(legal) > 1:  # the same form at both ends ("OOO Foo LLC") or
        drop = _repeated(tuple(legal))      # twice in Chinese
        if drop:
            legal = [label for i, label in enumerate(legal) if i not in drop]
    acronyms: tuple[str, ...] = ()
    if (cyrillic or russian) and len(key_tokens) >= 2:
        plain = "".join(t[0] for t in key_tokens)
        acronyms = tuple(a for a in translit_acronyms(written, rules.stop, rules.raw_legal)
                         if a != plain)
    return Normalised(" ".join(key_tokens), tuple(legal), full, acronyms, russian)


def _inword(text: str) -> str:
    """Legal forms typed together written apart ("co.ltd" -> "co ltd"), then punctuation
    inside a word taken out ("hi-tech" -> "hitech", "s.a." -> "sa."); the regular expressions
    run only when the text has such punctuation.

    >>> _inword("foo co.ltd hi-tech s.a."), _inword("o'brien"), _inword("foo co., ltd.")
    ('foo co ltd hitech sa.', 'obrien', 'foo co., ltd.')
    """
    if "." in text or "-" in text:
        if _INWORD.search(text):
            return _INWORD.sub("", _COMPOUND.sub(_split_legal_compound, text))
    elif "'" in text or "’" in text or "`" in text:
        return _INWORD.sub("", text)
    return text


_HYPHEN_WORD = re.compile(r"(?<=\w)-([a-z]{3,})\b")
_COMPOUND = re.compile(r"\b\w++(?:[.\-]\w++)+")  # possessive: no backtracking into words


def _split_legal_compound(m: re.Match[str]) -> str:
    """Words of legal forms joined by dots or hyphens ("co.ltd", "limited.co.ltd") written
    apart, so each is read as a legal-form word; a compound with a one-letter part ("s.a.",
    "u.s.a.") or a part that is not a legal-form word ("hi-tech") is left to be joined.

    >>> _COMPOUND.sub(_split_legal_compound, "foo corp.ltd hi-tech s.a.")
    'foo corp ltd hi-tech s.a.'
    """
    parts = re.split(r"[.\-]", m.group(0))
    rules = word_lists()
    legal_words = rules.legal_tokens
    for p in parts:
        if len(p) < 2 or not all(w in legal_words for w in rules.abbreviations.get(p, (p,))):
            return m.group(0)
    return " ".join(parts)


@lru_cache(maxsize=1024)
def _repeated(labels: tuple[str, ...]) -> frozenset[int]:
    """Positions of legal-form labels that repeat an earlier one: the same family and one's
    words within the other's ("limited" and "company limited" in "Limited.Co.Ltd", "LLC" and
    "OOO"), so a legal form typed twice is recorded once.

    >>> sorted(_repeated(("corporation", "limited", "company limited")))
    [2]
    >>> sorted(_repeated(("gmbh", "company", "kg"))), sorted(_repeated(("group", "company limited")))
    ([], [])
    """
    drop: set[int] = set()
    words = [set(label.split()) for label in labels]
    families = [legal_family(label) for label in labels]
    for j in range(1, len(labels)):
        for i in range(j):
            if i not in drop and families[i] == families[j] and (
                    words[i] <= words[j] or words[j] <= words[i]):
                drop.add(j)
                break
    return frozenset(drop)


def _hyphen_legal(m: re.Match[str]) -> str:
    rules = word_lists()
    word = m.group(1)
    return " " + word if rules.legal.get(rules.abbreviations.get(word, (word,))) else m.group(0)


def invalid_reason(value: object) -> str | None:
    """Say why ``value`` cannot be matched as a name, or return None when it can.

    Examples
    --------
    >>> invalid_reason("  "), invalid_reason(None), invalid_reason("Caf\\u00c3\\u00a9 Ltd")
    ('empty name', 'empty name', 'not valid text: looks like a broken encoding (e.g. UTF-8 read as Latin-1)')
    >>> invalid_reason("Huawei") is None
    True
    """
    if value is None or (isinstance(value, float) and value != value):
        return "empty name"
    if not isinstance(value, str):
        try:
            import pandas as pd

            if value is pd.NA:
                return "empty name"
        except ImportError:  # pragma: no cover
            pass
        return f"not valid text (a {type(value).__name__}, not a string)"
    if not value.strip():
        return "empty name"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "not valid text: broken characters (lone surrogates)"
    if _CONTROL.search(value):
        return "not valid text: control characters"
    if _MOJIBAKE.search(value):
        return "not valid text: looks like a broken encoding (e.g. UTF-8 read as Latin-1)"
    return None


def script_of(name: str) -> str:
    """The main writing system of a name: latin, han, cyrillic, arabic, other or mixed.

    >>> script_of("SenseTime"), script_of("商汤科技"), script_of("商汤 SenseTime")
    ('latin', 'han', 'mixed')
    """
    seen: set[str] = set()
    for ch in name:
        if not ch.isalpha():
            continue
        if ch.isascii():
            seen.add("latin")
        elif _HAN.match(ch):
            seen.add("han")
        else:
            n = unicodedata.name(ch, "")
            seen.add(next((s.lower() for s in ("LATIN", "CYRILLIC", "ARABIC") if n.startswith(s)),
                          "other"))
    if len(seen) > 1:
        return "mixed"
    return seen.pop() if seen else "other"
