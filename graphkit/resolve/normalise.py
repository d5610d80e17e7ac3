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
   A legal form joined with a hyphen is split off ("Foo-yhtiö", "Foo-GmbH").
6. Legal forms are taken off the end (and a few, such as OOO, PJSC, FGUP / FSUE, off the
   start: ``legal_forms_at_start``) and remembered in ``legal`` so a score can say "legal
   form dropped".
7. For names in Cyrillic or transliterated Russian, the initials of the words as written
   are kept in ``acronyms`` ("Rossiyskie Zheleznye Dorogi" -> ``rzhd``).

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
from importlib import resources
from typing import Any

import yaml

__all__ = ["Normalised", "invalid_reason", "normalise", "script_of", "variants", "weak_words",
           "is_weak", "is_legal_word", "is_place", "legal_family", "legal_letters",
           "place_words", "russian_word", "DIGRAPHS", "undigraph",
           "acronym_key"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_INWORD = re.compile(r"(?<=\w)[.'’`\-](?=\w)")
_NONALNUM = re.compile(r"[^a-z0-9]+")
_ARTICLE = re.compile(r"\b(?:al|el)-(?=[a-z])")  # Arabic article: AL-ZAHAR meets ZAHAR
_MOJIBAKE = re.compile(r"[ÃÂ][\u0080-\u00bf]|â€|\ufffd")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class _Rules:
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
    russian: dict[str, tuple[str, ...]]         # stem (or word) -> English tokens
    russian_endings: frozenset[str]
    russian_max_ending: int
    russian_heads: frozenset[str]               # first four letters of the stems (a quick test)
    affiliation_words: tuple[frozenset[str], frozenset[str]]  # first / last words


_CHINESE_LABEL = {"股份有限公司": "company limited", "有限责任公司": "company limited",
                  "有限責任公司": "company limited", "有限公司": "company limited",
                  "集团": "group", "集團": "group", "控股": "holdings", "公司": "company"}


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("graphkit.resolve").joinpath("legal_forms.yaml").read_text("utf-8"))
    abbr = {str(k): tuple(str(v).split())
            for k, v in [*raw["abbreviations"].items(), *raw["place_abbreviations"].items(),
                         *raw["russian_abbreviations"].items()]}
    russian = {str(k): tuple(str(v).split()) for k, v in raw["russian_words"].items()}
    endings = frozenset(str(e) for e in raw["russian_endings"])
    max_ending = max(map(len, endings))
    legal: dict[tuple[str, ...], str] = {}
    alt = "|".join(r"\W+".join(map(re.escape, re.findall(r"\w+", str(a))))
                   for a in sorted(raw["affiliations"], key=len, reverse=True))
    affiliation_start = re.compile(rf"^\s*(?:{alt})\b[\s,.;:-]*", re.IGNORECASE)
    affiliation_end = re.compile(rf"[\s,.;:-]+(?:of\s+(?:the\s+)?)?(?:{alt})\W*$", re.IGNORECASE)
    for label, variants in raw["legal_forms"].items():
        for v in variants:
            # legal forms are compared after the words are read (abbreviations, Russian words)
            form: list[str] = []
            for w in str(v).split():
                form.extend(abbr.get(w) or _russian_word(w, russian, endings, max_ending) or (w,))
            legal[tuple(form)] = str(label)
    chinese_legal = []
    for suffix in sorted(raw["chinese_legal_forms"], key=len, reverse=True):
        label = next((lab for k, lab in _CHINESE_LABEL.items() if suffix.endswith(k)), "company")
        chinese_legal.append((str(suffix), label))
    words = sorted(((str(k), str(v)) for k, v in raw["chinese_words"].items()),
                   key=lambda kv: len(kv[0]), reverse=True)
    anywhere = tuple((str(k), str(v)) for k, v in raw["cjk_legal_anywhere"].items())
    ending: dict[str, set[int]] = {}
    starting: dict[str, set[int]] = {}
    for k in legal:
        ending.setdefault(k[-1], set()).add(len(k))
        starting.setdefault(k[0], set()).add(len(k))
    return _Rules(abbr, legal, {w: tuple(sorted(v, reverse=True)) for w, v in ending.items()},
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
                  russian, endings, max_ending, frozenset(k[:4] for k in russian),
                  (frozenset(re.findall(r"\w+", str(a))[0].lower() for a in raw["affiliations"]),
                   frozenset(re.findall(r"\w+", str(a))[-1].lower() for a in raw["affiliations"])))


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
    r = _rules()
    return _russian_word(token, r.russian, r.russian_endings, r.russian_max_ending)


def legal_family(label: str) -> str:
    """Family of a legal-form label: company, llc, jsc, partnership, state enterprise, group.

    >>> legal_family("company limited"), legal_family("gmbh")
    ('company', 'llc')
    """
    return _rules().families.get(label, "company")


def weak_words() -> frozenset[str]:
    """Words that say where or in what trade a company is, not which one (``weak_words``).

    >>> "hangzhou" in weak_words(), "hikvision" in weak_words()
    (True, False)
    """
    return _rules().weak


WEAK_LEN = 2  # tokens this short are initials ("M.V."), not a name
_PATRONYMIC = ("ovich", "evich", "ovna", "evna", "ovych", "ovych", "ivna", "ogly", "kyzy")


def is_weak(token: str) -> bool:
    """True for a weak word (a place, a trade, a legal-form word, a patronymic, 1-2 letters).

    >>> is_weak("shanghai"), is_weak("aleksandrovich"), is_weak("huawei")
    (True, True, False)
    """
    r = _rules()
    return (len(token) <= WEAK_LEN or token in r.weak or token in r.legal_tokens
            or token.endswith(_PATRONYMIC))


@lru_cache(maxsize=256)
def legal_letters(labels: tuple[str, ...]) -> frozenset[str]:
    """Initials of the words that legal forms of these labels are written with.

    An acronym may end in them ("CSIGC" = China South Industries Group Corporation).

    >>> sorted(legal_letters(("group",))), sorted(legal_letters(("incorporated",)))
    (['c', 'g'], ['i'])
    """
    r = _rules()
    return frozenset(w[0] for k, lab in r.legal.items() if lab in labels for w in k)


def is_legal_word(token: str) -> bool:
    """True for a word that is part of a legal form ("company", "group", "limited").

    >>> is_legal_word("group"), is_legal_word("industry")
    (True, False)
    """
    return token in _rules().legal_tokens


def place_words() -> frozenset[str]:
    """All place words (``weak_places``).

    >>> "nanjing" in place_words()
    True
    """
    return _rules().places


def is_place(token: str) -> bool:
    """True for a place word from ``weak_places`` (city, province, country, region).

    >>> is_place("beijing"), is_place("technology")
    (True, False)
    """
    return token in _rules().places


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


def _chinese(text: str, legal: list[str]) -> str:
    from pypinyin import lazy_pinyin

    rules = _rules()
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
    rules = _rules()
    legal: list[str] = []
    text = name
    cyrillic = False
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        cyrillic = _CYRILLIC.search(text) is not None
        if _HAN.search(text):
            text = _chinese(text, legal)
        if not text.isascii():
            from anyascii import anyascii

            text = anyascii(text)
    written = text
    text = text.lower().replace("&", " and ")
    if "-" in text:  # a legal form joined with a hyphen: "Foo-yhtiö", "Foo-GmbH"
        text = _HYPHEN_WORD.sub(_hyphen_legal, text)
    text = _INWORD.sub("", _ARTICLE.sub("", text))
    tokens: list[str] = []
    russian = False
    for tok in _NONALNUM.split(text):
        if not tok:
            continue
        long = rules.abbreviations.get(tok)
        if long:
            tokens.extend(t for t in long if t not in rules.stop)
        elif tok not in rules.stop:
            read = russian_word(tok) if tok[:4] in rules.russian_heads else None
            if read is None:
                tokens.append(tok)
            else:
                tokens.extend(read)
                russian = True
    if russian and "i" in tokens:  # the Russian "and" ("Institut Nauki i Tekhnologii")
        tokens = [t for t in tokens if t != "i"]
    full = " ".join(tokens)
    # legal forms off the end, longest first, repeatedly; never empty the name
    end = len(tokens)
    found = True
    while found and end > 1:
        found = False
        for n in rules.legal_ending.get(tokens[end - 1], ()):
            if n > end - 1:
                continue
            label = rules.legal.get(tuple(tokens[end - n:end]))
            if label:
                legal.insert(0, label)
                end -= n
                found = True
                break
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
    acronyms: tuple[str, ...] = ()
    if (cyrillic or russian) and len(key_tokens) >= 2:
        plain = "".join(t[0] for t in key_tokens)
        acronyms = tuple(a for a in _translit_acronyms(written, rules) if a != plain)
    return Normalised(" ".join(key_tokens), tuple(legal), full, acronyms, russian)


_HYPHEN_WORD = re.compile(r"(?<=\w)-([a-z]{3,})\b")


def _hyphen_legal(m: re.Match[str]) -> str:
    rules = _rules()
    word = m.group(1)
    return " " + word if rules.legal.get(rules.abbreviations.get(word, (word,))) else m.group(0)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_RAW_WORD = re.compile(r"[^A-Za-z0-9']+")
DIGRAPHS = frozenset({"zh", "kh", "sh", "ts", "ch"})  # one Russian letter, two Latin ones
_DEDICATION = frozenset({"im", "imeni", "named"})


def undigraph(acronym: str) -> str:
    """An acronym with its two-letter Russian sounds written with one letter (zh, kh, sh, ch
    -> z, k, s, c): "RZhD" and "RZD" are one acronym in two transliterations.

    >>> undigraph("rzhd"), undigraph("okb")
    ('rzd', 'okb')
    """
    if "h" not in acronym:
        return acronym
    return _DIGRAPH_H.sub(r"\1", acronym)


_DIGRAPH_H = re.compile(r"([zksc])h")
_SOUNDS = (("ts", "c"), ("zh", "z"), ("kh", "h"), ("x", "h"), ("sh", "s"), ("ch", "c"))


def acronym_key(acronym: str) -> str:
    """An acronym of a Russian name as its transliterations meet: Ц written ts or c, Х kh, h
    or x (the Cyrillic letter looks like x), Ж zh or z, Ш sh or s, Ч ch or c. "TsNIIKhM",
    "CNIIHM" and "CNIIXM" are one acronym. Used only against acronyms of names in Cyrillic
    or transliterated Russian (:attr:`Normalised.acronyms`).

    >>> acronym_key("tsniikhm"), acronym_key("cniixm")
    ('cniihm', 'cniihm')
    """
    for a, b in _SOUNDS:
        if a in acronym:
            acronym = acronym.replace(a, b)
    return acronym


def _translit_acronyms(written: str, rules: _Rules) -> tuple[str, ...]:
    """Initials of a transliterated name as written (see :attr:`Normalised.acronyms`)."""
    words = [w.replace("'", "") for w in _RAW_WORD.split(written) if w.strip("'")]
    low = [w.lower() for w in words]
    for cut, x in enumerate(low):  # a dedication ("im. M.V. Keldysha") is not in the acronym
        if x in _DEDICATION and cut:
            words, low = words[:cut], low[:cut]
            break
    keep = [(w, x) for w, x in zip(words, low) if x not in rules.stop and x != "i"]
    while keep and keep[0][1] in rules.raw_legal:
        keep.pop(0)
    while keep and keep[-1][1] in rules.raw_legal:
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


_WORD_AT_START = re.compile(r"\W*(\w*)")
_TRAILING = re.compile(r"[(（\[]([^()（）\[\]]*)[)）\]]\s*$")
_LEADING_BRACKET = re.compile(r"^\s*[(（\[][^()（）\[\]]+[)）\]]\s*")
_FORMERLY = re.compile(r"^\s*(?:formerly|former(?:ly)? known as|f/?k/?a|a/?k/?a|also known as|"
                       r"trading as|t/a|d/?b/?a)[\s:.]+", re.IGNORECASE)


# "named after", and the Russian "imeni" / "im." before a person's initials
_NAMED = re.compile(r"[\s,]+(?:(?i:named (?:after|for)|imeni)\s|N\.\s?A\.\s(?=[A-Z][a-z]?\.)|"
                    r"(?i:im)\.?\s?(?=[A-Z][a-z]?\.\s?[A-Z]))(?=.*[^\W\d_]{3}).*$")
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
    A dedication at the end ("Kazan National Research Technical University named after A.N.
    Tupolev-KAI", "... N.A. S.A. Chaplygin", the Russian "imeni" / "im. M.V. ...") or an
    affiliation ("... of the Russian Academy of Sciences", "..., SB RAS", "... RAN",
    "... Rossiiskoi Akademii Nauk") also gives the name without it: lists write them in some
    places and not in others.

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

    >>> variants("CETC Digital Co., Ltd. (formerly Shanghai Computer Co., Ltd.)")[1:]
    ['CETC Digital Co., Ltd', 'Shanghai Computer Co., Ltd.']
    """
    out = _bracket_variants(name)
    lead = _LEADING_BRACKET.match(name) if name.lstrip()[:1] in "([（" else None
    if lead and len(name[lead.end():].split()) >= 2:  # "(Xidian) Antenna Institute"
        out += _bracket_variants(name[lead.end():])
    named = _NAMED.search(name)
    if named and name[: named.start()].strip(" ,.;"):
        out += _bracket_variants(name[: named.start()].rstrip(" ,.;"))
    rules = _rules()
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
    return list(dict.fromkeys(out))


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
