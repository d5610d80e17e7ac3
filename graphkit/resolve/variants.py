"""Other forms of a name: the name without its bracketed ending, a former name, a dedication
("named after ..."), an affiliation ("... of the Russian Academy of Sciences") or an armed
service, and the national transliteration of a Ukrainian name.

Lists write these parts in some places and not in others, so the index files every form
:func:`variants` gives (see :mod:`graphkit.resolve.blocking`) and a query is tried in each of
its forms (see :func:`graphkit.resolve.match`). A form with a part left out is a weaker
match than the name in full; a name in brackets or a former name is a name in full.

>>> variants("Hangzhou Hikvision Digital Technology Co., Ltd. (Hikvision)")[1:]
['Hangzhou Hikvision Digital Technology Co., Ltd', 'Hikvision']
"""

from __future__ import annotations

import re

from graphkit.resolve.ukrainian import ukrainian_latin
from graphkit.resolve.wordlists import is_weak, word_lists

__all__ = ["variants"]

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
        from graphkit.resolve.normalise import normalise  # here: normalise imports this module

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
    from graphkit.resolve.normalise import normalise  # here: normalise imports this module

    strong = [t for t in inner if t in former
              or any(len(w) == 1 or not is_weak(w) for w in normalise(t).full.split())]
    if not strong or not outer:
        return [name]
    return list(dict.fromkeys([name, outer, *strong]))
