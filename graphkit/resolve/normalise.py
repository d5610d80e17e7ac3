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
:mod:`graphkit.resolve.russian` (``russian_word``, ``acronym_key`` ...); those names can be
imported from this module too.

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
from graphkit.resolve.ukrainian import ukrainian_latin
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

# the word-list and Russian names are re-exported: they were defined here before and callers
# (score, index, match, tests) import them from this module
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
    if ("." in text or "-" in text) and _INWORD.search(text):  # legal forms typed together:
        text = _COMPOUND.sub(_split_legal_compound, text)      # "Co.Ltd", "Limited.Co.Ltd"
    text = _INWORD.sub("", text)
    tokens: list[str] = []
    russian = False
    for tok in _ALNUM.findall(text):
        read = _read_word(tok)
        if read is None:
            tokens.append(tok)
        else:
            tokens.extend(read[0])
            russian = russian or read[1]
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


_WORD_AT_START = re.compile(r"\W*(\w*)")
_TRAILING = re.compile(r"[(（\[]([^()（）\[\]]*)[)）\]]\s*$")
_LEADING_BRACKET = re.compile(r"^\s*[(（\[][^()（）\[\]]+[)）\]]\s*")
_FORMERLY = re.compile(r"^\s*(?:formerly|former(?:ly)? known as|f/?k/?a|a/?k/?a|also known as|"
                       r"trading as|t/a|d/?b/?a)[\s:.]+", re.IGNORECASE)


# "named after", and the Russian "imeni" / "im." before a person's initials
_NAMED = re.compile(r"[\s,]+(?:(?i:named (?:after|for)|imeni)\s|N\.\s?A\.\s(?=[A-Z][a-z]?\.)|"
                    r"(?i:im)\.?\s?(?=[A-Z][a-z]?\.\s?[A-Z]))(?=.*[^\W\d_]{3}).*$")
# a person's initials and surname after a comma at the end: the Russian "named after" without
# "imeni" ("Institute of Foo, M.V. Keldysha")
_COMMA_INITIALS = re.compile(r",\s*(?:[A-Z][a-z]?\.\s?){1,3}(?=[A-Z][^\W\d_]{2,}\s*$)")
# "... of the Russian Academy of Sciences", "..., SB RAS": an affiliation that lists write in
# some places and not in others
_AFFILIATION = re.compile(
    r"(?i:[\s,]+(?:of\s+(?:the\s+)?)?(?:(?:siberian|ural|far\s+east(?:ern)?)\s+branch\s+(?:of\s+)?"
    r"(?:the\s+)?)?(?:(?:russian|chinese|national|belarusian|ukrainian)\s+)?academy\s+of\s+sciences"
    r"(?:\s+(?:of\s+)?(?:the\s+)?(?:ussr|sssr|russian\s+federation|russia|china|prc))?)"
    r"\s*$|[\s,]+(?:[SU]B\s+|SO\s+|UrO\s+|DVO\s+)?RA[SN]\s*$"
    # the same in transliterated Russian: "... Rossiiskoi Akademii Nauk" (RAN)
    r"|(?i:[\s,]+(?:sibirskogo\s+otdeleniya\s+)?ross?i[iy]?sk(?:oi|oy|oj)\s+akademii\s+nauk)\s*$")


def variants(name: str) -> list[str]:
    """The name itself, then the name without its bracketed ending and that ending alone.

    A bracket at the start ("(Xidian) Antenna Institute") gives the name without it.
    A person's initials after a comma at the end ("Institute of Foo, M.V. Keldysha": "named
    after" left out) give the name without the initials. A dedication at the end ("Kazan
    National Research Technical University named after A.N. Tupolev-KAI", "... N.A. S.A.
    Chaplygin", the Russian "imeni" / "im. M.V. ...") or an affiliation ("... of the Russian Academy of Sciences", "..., SB RAS", "... RAN",
    "... Rossiiskoi Akademii Nauk") also gives the name without it: lists write them in some
    places and not in others.

    A name in Ukrainian Cyrillic also gives its national transliteration (see
    :mod:`graphkit.resolve.ukrainian`).

    Lists often end a name with an acronym, a short name or a former name in brackets.
    Brackets in the middle of a name are kept ("Aviation Industry Corporation of China's
    (AVIC) Institute 62" is not AVIC), and so is a bracketed ending made only of weak words (a
    city, "Group"): "SMIC (Beijing)" is a different company from "SMIC".

    >>> variants("Hangzhou Hikvision Digital Technology Co., Ltd. (Hikvision)")
    ['Hangzhou Hikvision Digital Technology Co., Ltd. (Hikvision)', 'Hangzhou Hikvision Digital Technology Co., Ltd', 'Hikvision']
    >>> variants("Semiconductor Manufacturing International (Beijing) Corporation")
    ['Semiconductor Manufacturing International (Beijing) Corporation']
    >>> variants("Tomsk State University named after V.V. Kuibyshev")
    ['Tomsk State University named after V.V. Kuibyshev', 'Tomsk State University']
    >>> variants("Keldysh Institute of Applied Mathematics of the Russian Academy of Sciences")[1]
    'Keldysh Institute of Applied Mathematics'
    >>> variants("PLA Strategic Support Force Foo Engineering University")[1:]
    ['Strategic Support Force Foo Engineering University', 'Foo Engineering University']
    >>> variants("Institut Foo im. M.V. Lomonosova RAN")[1:]
    ['Institut Foo', 'Institut Foo im. M.V. Lomonosova']
    >>> variants("Institute of Foo Mathematics, M.V. Bar")[1:]
    ['Institute of Foo Mathematics Bar']

    >>> variants("Петренко Олексій")[1:]  # Ukrainian: the national transliteration too
    ['Petrenko Oleksii']
    >>> variants("CETC Digital Co., Ltd. (formerly Shanghai Computer Co., Ltd.)")[1:]
    ['CETC Digital Co., Ltd', 'Shanghai Computer Co., Ltd.']
    """
    out = _bracket_variants(name)
    lead = _LEADING_BRACKET.match(name) if name.lstrip()[:1] in "([（" else None
    if lead and len(name[lead.end():].split()) >= 2:  # "(Xidian) Antenna Institute"
        out += _bracket_variants(name[lead.end():])
    named = _NAMED.search(name) if _maybe_named(name) else None
    if named and name[: named.start()].strip(" ,.;"):
        out += _bracket_variants(name[: named.start()].rstrip(" ,.;"))
    if ", " in name and "." in name:  # "Institute of Foo, M.V. Keldysha": without initials
        person = _COMMA_INITIALS.search(name)
        if person and sum(len(w) >= 3 for w in name[: person.start()].split()) >= 2:
            out += _bracket_variants(f"{name[: person.start()]} {name[person.end():].strip()}")
    rules = word_lists()
    firsts, lasts = rules.affiliation_words
    head, _, rest = name.strip().partition(" ")
    unit = name if rest and (
        _WORD_AT_START.match(head.lower()).group(1) in firsts  # type: ignore[union-attr]
        or rest.rsplit(" ", 1)[-1].strip("(),.;:'’\"“”").lower() in lasts) else ""
    while unit:  # an armed service before or after a unit's name
        cut = rules.affiliation_start.sub("", unit, count=1)
        cut = rules.affiliation_end.sub("", cut, count=1)
        if cut == unit:
            break
        unit = cut
        if len(normalise(unit).tokens) >= 2 and not all(map(is_weak, normalise(unit).tokens)):
            out += _bracket_variants(unit)
    if ("cademy" in name or "CADEMY" in name or "RAS" in name or "RAN" in name
            or "kademii" in name or "KADEMII" in name):
        for v in list(out):
            part = _AFFILIATION.search(v)
            head = v[: part.start()].rstrip(" ,.;") if part else ""
            # "Chinese Academy of Sciences" is not "Chinese"; "KIAM RAS" is KIAM
            if part and (len(head.split()) >= 2 or (
                    head and "cadem" not in part.group(0).lower() and len(head) >= 3)):
                out.append(head)
    if not name.isascii():  # a Ukrainian name as lists transliterate it ("Kostiantyn")
        national = ukrainian_latin(name)
        if national:
            out += [national]
    return out if len(out) == 1 else list(dict.fromkeys(out))


def _maybe_named(name: str) -> bool:
    """False when ``_NAMED`` cannot match: an ASCII name without "im" ("im.", "imeni"),
    "n." ("N.A.") or "named" in any case (a quick test before the slower expression).

    >>> _maybe_named("Foo Institute imeni Bar"), _maybe_named("Huawei Technologies")
    (True, False)
    """
    if not name.isascii():  # other letters may match "i" or "m" ignoring case
        return True
    low = name.lower()
    return "im" in low or "n." in low or "named" in low


def _bracket_variants(name: str) -> list[str]:
    if "(" not in name and "（" not in name and "[" not in name:
        return [name]
    outer = name.rstrip(" ,.;")
    inner: list[str] = []
    former: set[str] = set()  # a former name is a name, even when made of common words
    while True:
        m = _TRAILING.search(outer)
        if not m:
            break
        text = _FORMERLY.sub("", m.group(1)).strip()
        if text != m.group(1).strip():
            former.add(text)
        inner.insert(0, text)
        outer = outer[: m.start()].rstrip(" ,.;")
    strong = [t for t in inner if t in former
              or any(len(w) == 1 or not is_weak(w) for w in normalise(t).full.split())]
    if not strong or not outer:
        return [name]
    return list(dict.fromkeys([name, outer, *strong]))


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
