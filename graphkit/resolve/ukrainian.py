"""Ukrainian names in the national transliteration that lists use.

Sanctions lists (OFAC, EU, UK) write Ukrainian people and companies in the official Ukrainian
transliteration (Resolution of the Cabinet of Ministers of Ukraine No. 55 of 27 January 2010,
"KMU 2010"): Г is ``h``, И ``y``, І ``i``, Я ``ia``, Ь is left out, so "Костянтин Ігорович"
is "Kostiantyn Ihorovych". A general transliteration (``anyascii``, used for every other
name) writes "Kostyantin Igorovich", which is several letters away. :func:`ukrainian_latin`
gives the national spelling of a name written in Ukrainian Cyrillic, so that
:func:`graphkit.resolve.normalise.variants` can offer it as another form of the name.

A name counts as Ukrainian when it has a letter only Ukrainian uses (І, Ї, Є, Ґ) and none
only Russian uses (Ы, Э, Ъ, Ё); a Ukrainian name written without those letters is not
recognised (it is still matched through the general transliteration).

Examples
--------
>>> ukrainian_latin("Абашкін Костянтин Ігорович")
'Abashkin Kostiantyn Ihorovych'
>>> ukrainian_latin("Юрій Згурський"), ukrainian_latin("Иванов Сергей") is None
('Yurii Zghurskyi', True)
"""

from __future__ import annotations

import re

__all__ = ["ukrainian_latin"]

# KMU 2010: (letter, at the start of a word, elsewhere)
_TABLE = {
    "а": ("a", "a"), "б": ("b", "b"), "в": ("v", "v"), "г": ("h", "h"), "ґ": ("g", "g"),
    "д": ("d", "d"), "е": ("e", "e"), "є": ("ye", "ie"), "ж": ("zh", "zh"), "з": ("z", "z"),
    "и": ("y", "y"), "і": ("i", "i"), "ї": ("yi", "i"), "й": ("y", "i"), "к": ("k", "k"),
    "л": ("l", "l"), "м": ("m", "m"), "н": ("n", "n"), "о": ("o", "o"), "п": ("p", "p"),
    "р": ("r", "r"), "с": ("s", "s"), "т": ("t", "t"), "у": ("u", "u"), "ф": ("f", "f"),
    "х": ("kh", "kh"), "ц": ("ts", "ts"), "ч": ("ch", "ch"), "ш": ("sh", "sh"),
    "щ": ("shch", "shch"), "ь": ("", ""), "ю": ("yu", "iu"), "я": ("ya", "ia"),
    "'": ("", ""), "’": ("", ""), "ʼ": ("", ""),
}
_ONLY_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_ONLY_RUSSIAN = re.compile(r"[ыэъёЫЭЪЁ]")
_WORD = re.compile(r"[\w'’ʼ]+")


def _word(m: re.Match[str]) -> str:
    word = m.group(0)
    out: list[str] = []
    prev = ""
    for i, ch in enumerate(word):
        low = ch.lower()
        pair = _TABLE.get(low)
        if pair is None:
            latin = ch
        else:
            latin = pair[0] if i == 0 or prev in "'’ʼ" else pair[1]
            if low == "г" and prev.lower() == "з":  # "зг" is "zgh" (not "zh", which is "ж")
                latin = "gh"
            if ch.isupper() and latin:
                latin = latin[0].upper() + latin[1:]
        out.append(latin)
        prev = ch
    return "".join(out)


def ukrainian_latin(name: str) -> str | None:
    """The name in the Ukrainian national transliteration (KMU 2010), or None when it is not
    written in Ukrainian Cyrillic (see the module docstring).

    >>> ukrainian_latin("ТОВ «Єврохім»")
    'TOV «Yevrokhim»'
    """
    if name.isascii() or not _ONLY_UKRAINIAN.search(name) or _ONLY_RUSSIAN.search(name):
        return None
    return _WORD.sub(_word, name)
