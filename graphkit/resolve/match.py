"""Match messy names (a customer file, a shipping manifest) to the entities of a graph.

``match(names, g)`` returns one row per input row, in the input order, none dropped:

- ``matched``: one entity scores at least ``threshold`` and clearly above every other;
- ``ambiguous``: two or more entities tie at the top (within ``tie_margin``); the id is left
  empty and the tied entities are listed in ``candidates`` -- a tie is reported, never guessed;
- ``unmatched``: nothing reaches the threshold (the nearest names are still listed);
- ``invalid``: the row cannot be matched (empty name, broken text); ``reason`` says why.

An identifier given with the query (``lei:...``, ``uscc:...``, a registration number) that an
entity also holds wins outright (score 1.0, ``matched_on="identifier"``). When the query's
identifier and the best name match disagree, the reason says so and the score drops by
``IDENTIFIER_CONFLICT``.

Threshold
---------
``DEFAULT_THRESHOLD`` (0.90) is the best-F1 threshold on the tune half of the cross-list set
(0.86 on the hard set, at lower precision); both sets are built by ``benchmarks/labelled.py``
from the real lists in ``../shared/data`` and split in halves by company (the same company
is in the same half of both sets); the figures here are on their test half. *Cross-list* set
(each list's names and aliases looked up among the other lists' entities): precision 1.00,
recall 0.87 (0.76 on the pairs whose names are not already equal after a simple clean-up).
*Hard* set (an alias held out and found from the entity's other names only): precision
0.98, recall 0.71, 0.84 without the aliases that share no word with any other name
("Tonmac International" for an AVIC unit, acronyms that are not initials: no name matcher
can find those). Plain rapidfuzz ``WRatio`` at its best threshold gets 0.67 / 0.72 and
0.79 / 0.59 on the same halves. ``benchmarks/bench_match.py`` prints these figures, the
misses by kind and a sweep over thresholds: lower the threshold to catch more variants at
the cost of more false hits (hard set at 0.80: precision 0.88, recall 0.79). Every row keeps
its score, so the investigator can re-cut without re-running.

Two checks need the whole index, not one pair of names: a query that is an entity's own
acronym followed by more words ("CETC Digital Technology" for the group whose acronym is
CETC) is most likely one of the group's units and scores at most ``ACRONYM_UNIT`` (0.86);
an acronym of three initials and a legal letter ("CASC" read as China Avionics Systems Co.)
loses ``ACRONYM_SHARED`` when the three initials also begin a longer name of another entity
(China Aerospace Science and Industry ...): the reason says "another name begins with these
initials". A match on a part of a list name (the name without its bracketed ending, a
dedication or an affiliation: ``NameIndex.entry_is_part``) costs ``VARIANT``, like a part of
the query, so an entity whose whole name matches wins over one that matches only once its
qualifier is left out ("Foo Bank" is Foo Bank PJSC, not "PJSC Foo Bank (Kiev)").

How sure a match is
-------------------
A score of 1.0 means the same name after normalisation (or an identifier match); 0.95-0.99 a
legal form or spacing difference; 0.90-0.95 one or two letters, common words ("Hangzhou",
"Technology") or an acronym; below 0.90 the ``reason`` says what differs. Always read the
reason of a match that decides something.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd
from rapidfuzz import fuzz, process
from tqdm.auto import tqdm

from graphkit.errors import GraphkitError
from graphkit.resolve.index import NameIndex
from graphkit.resolve.normalise import Normalised, invalid_reason, normalise, script_of
from graphkit.resolve.score import score_parts
from graphkit.resolve.variants import _COMMA_INITIALS, variants
from graphkit.types.country import parse as parse_country

if TYPE_CHECKING:
    from graphkit.graph import OwnershipGraph

__all__ = ["COLUMNS", "DEFAULT_THRESHOLD", "IDENTIFIER_CONFLICT", "COUNTRY_DIFFERS",
           "MatchInputError", "match"]

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.90
TIE_MARGIN = 0.005
IDENTIFIER_CONFLICT = 0.15
COUNTRY_DIFFERS = 0.05
VARIANT = 0.01  # cost of matching on a part of the query or list name (brackets left out)
ACRONYM_UNIT = 0.86  # an entity's own acronym with more words after it: a unit of the group
ACRONYM_SHARED = 0.04  # an acronym read with its legal letter, other names share its initials
COLUMNS = ["row", "query", "id", "name", "score", "status", "matched_on", "reason", "candidates"]
_BLOCK = 40   # entries kept from the blocking index per query
_FIRST = 3    # entries scored in full per query: the best by blocking weight ...
_DETAIL = 5   # ... and the best by a quick token-sort ratio
_SUBSET = 3   # ... and, when none of those scores _GOOD, names whose words are all in
#               the query
_GOOD = 0.92  # a score this high is a match whatever the threshold: look no further
_REACH = COUNTRY_DIFFERS + IDENTIFIER_CONFLICT + TIE_MARGIN + 0.01
_MAX_SAME = 64  # entries with the very same letters looked at (more: ambiguous anyway)


class MatchInputError(GraphkitError, ValueError):
    """The names given to :func:`match` are not in a shape it can read."""


def _queries(names: Any) -> tuple[list[Any], list[Any], list[Any]]:
    if isinstance(names, str):
        names = [names]
    if isinstance(names, pd.DataFrame):
        if "name" not in names.columns:
            raise MatchInputError(
                f"match: the DataFrame needs a 'name' column (has {list(names.columns)})")
        n = len(names)
        country = names["country"].tolist() if "country" in names.columns else [None] * n
        ident = names["identifier"].tolist() if "identifier" in names.columns else [None] * n
        return names["name"].tolist(), country, ident
    if isinstance(names, pd.Series):
        values = names.tolist()
    elif isinstance(names, Iterable):
        values = list(names)
    else:
        raise MatchInputError(f"match: names must be a list, Series or DataFrame, "
                              f"not {type(names).__name__}")
    return values, [None] * len(values), [None] * len(values)


def _variant_note(query: str, v: str) -> str:
    """Say which part of ``query`` the variant ``v`` is (see :func:`variants`)."""
    if any(b + v in query for b in "([（"):
        return f"on the part in brackets {v!r}"
    if query.startswith(v) and query[len(v):len(v) + 1] in " ,.;([（":
        rest = query[len(v):].lstrip(" ,.;")
        return ("words in brackets left out" if rest[:1] in "([（"
                else f"words at the end left out: {rest!r}")
    if query.rstrip().endswith(v):
        return "words in brackets at the start left out"
    if v.isascii() and not query.isascii():
        return "read in the Ukrainian national transliteration"
    person = _COMMA_INITIALS.search(query)
    if person and v == f"{query[: person.start()]} {query[person.end():].strip()}":
        return f"initials left out: {query[person.start():person.end()].strip(' ,')!r}"
    return f"on the part {v!r}"


def _present(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


class _Matcher:
    def __init__(self, index: NameIndex, threshold: float, limit: int, tie_margin: float):
        self.index = index
        self.threshold = threshold
        self.limit = limit
        self.tie = tie_margin
        self._legal = index.entry_legal

    def name_scores(self, forms: list[tuple[Normalised, str]],
                    query: str) -> dict[int, tuple[float, int, str]]:
        """Best (score, entry, reason) per entity position over the query's variants."""
        idx = self.index
        keys = idx.entry_key
        out: dict[int, tuple[float, int, str]] = {}
        for vi, (q, note) in enumerate(forms):
            if vi == 0:
                # fast path: names with exactly these letters; nothing else can beat 0.99
                exact = idx.same_compact(q)[:_MAX_SAME]
                if exact:
                    self._score(q, exact, vi, note, out)
                    if max(v[0] for v in out.values()) >= 0.99:
                        return out
            cands = idx.candidates(q, limit=_BLOCK)
            if not cands:
                continue
            chosen = cands[:_FIRST]
            texts: list[str] = []
            if len(cands) > _FIRST:
                texts = [keys[e] for e in cands]
                quick = process.extract(q.key, texts, scorer=fuzz.token_sort_ratio,
                                        limit=_DETAIL)
                chosen = chosen + [cands[j] for _, _, j in quick]
            self._score(q, dict.fromkeys(chosen), vi, note, out)
            # no good match yet: names made of some of the query's words ("Sugon" for "Sugon
            # Information Industry"), which rank low on shared keys and on a token sort
            if _SUBSET and texts and max((v[0] for v in out.values()), default=0.0) < _GOOD:
                words = set(q.tokens)
                n_words = len(words)
                more: list[int] = []
                for e, text in zip(cands, texts):
                    if text.count(" ") + 1 < n_words and e not in chosen \
                            and all(w in words for w in text.split()):
                        more.append(e)
                        if len(more) >= _SUBSET:
                            break
                if more:
                    self._score(q, more, vi, note, out)
        return out

    def _score(self, q: Normalised, entries: Iterable[int], vi: int, note: str,
               out: dict[int, tuple[float, int, str]]) -> None:
        idx = self.index
        keys = idx.entry_key
        ent_of = idx.entry_entity
        acr = idx.entry_acronyms
        memo: dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[float, str]] = {}
        entries = list(entries)
        parts = idx.part_entries
        for e, ent in zip(entries, ent_of[entries].tolist()):  # entity of each entry
            ck = keys[e]
            legal = self._legal[e]
            c_acr = acr.get(e, ()) if acr else ()
            got = memo.get((ck, legal, c_acr))
            if got is None:
                full = ck if not legal else ck + " " + " ".join(legal)
                s, why = score_parts(q, ck, legal, idx.idf, c_full=full, c_acronyms=c_acr)
                if ("acronym of the name (legal form included)" in why and ck.count(" ") == 2
                        and len(q.key) == 4 and idx.initials_go_on(ck, q.key[3], entity=ent)):
                    # three initials and a legal letter: when the three also begin the initials
                    # of a longer name ("CASC": China Avionics Systems Co., and China Aerospace
                    # Science and Industry Corp.), the legal letter is no evidence
                    s, why = s - ACRONYM_SHARED, f"{why}, another name begins with these initials"
                if (s > ACRONYM_UNIT and "words in the query" in why and " " not in ck
                        and idx.is_own_acronym(e)):
                    # "CETC Digital Technology" for the group whose acronym is CETC: most
                    # likely one of its units, named after it
                    s, why = ACRONYM_UNIT, f"{why}, after the acronym of the group's name"
                if vi:
                    s, why = s - VARIANT, f"{why}, {note}"
                got = memo[(ck, legal, c_acr)] = (s, why)
            if e in parts:  # a part of the list name: a whole name that matches as well wins
                got = (got[0] - VARIANT, f"{got[1]}, on a part of the list name")
            old = out.get(ent)
            if old is None or got[0] > old[0]:
                out[ent] = (got[0], e, got[1])

    def _explain(self, why: str, e: int, query: str) -> str:
        """Add what only the entry's own text tells: exact spelling, script, alias."""
        idx = self.index
        text = idx.entry_text[e]
        if (why.startswith("same name") and not why.startswith("same name after")
                and query.strip().casefold() != text.casefold()):
            why = "same name after normalisation" + why[len("same name"):]
        qscript = script_of(query) if not query.isascii() else "latin"
        cscript = script_of(text) if not text.isascii() else "latin"
        if cscript != qscript and "han" in (cscript, qscript):
            why += ", Chinese characters read as pinyin"
        elif cscript != qscript and "latin" in (cscript, qscript):
            why += f", {'query' if qscript != 'latin' else 'list name'} transliterated"
        if idx.entry_is_alias[e]:
            why += f" (alias {text!r})"
        return why

    def one(self, row: int, query: Any, country: Any, ident: Any) -> dict[str, Any]:
        idx = self.index
        res: dict[str, Any] = {"row": row, "query": query, "id": pd.NA, "name": pd.NA,
                               "score": 0.0, "status": "unmatched", "matched_on": pd.NA,
                               "reason": "", "candidates": ""}
        bad = invalid_reason(query)
        id_hits: list[int] = []
        id_text = ""
        if _present(ident):
            scheme, value, id_hits = idx.by_identifier(str(ident))
            id_text = f"{scheme}:{value}" if scheme else value
        if bad is not None and not id_hits:
            res.update(status="invalid", reason=bad, query=query if isinstance(query, str)
                       else (None if query is None else str(query)))
            return res
        if bad is not None:
            res["query"] = query if isinstance(query, str) else None
        forms: list[tuple[Normalised, str]] = []
        if bad is None:
            vs = variants(query)
            for k, v in enumerate(vs):
                note = "" if k == 0 else _variant_note(query, v)
                n = normalise(v)
                if n.key:
                    forms.append((n, note))
        if bad is None and not forms and not id_hits:
            res.update(status="invalid", reason="no letters or digits in the name")
            return res
        scores = self.name_scores(forms, query) if forms else {}
        qc = parse_country(country) if _present(country) else None
        # score, entity, matched_on, reason, entry (-1: identifier), notes (country, identifier)
        ranked: list[tuple[float, int, str, str, int, str]] = []
        items = sorted(scores.items(), key=lambda kv: -kv[1][0])
        if items:  # only entities that could still rank: penalties are at most _REACH
            floor = items[0][1][0] - _REACH
            items = [kv for i, kv in enumerate(items) if i <= self.limit or kv[1][0] >= floor]
        for ent, (s, e, why) in items[:_MAX_SAME]:
            on = "alias" if idx.entry_is_alias[e] else "name"
            notes = ""
            ec = idx.countries[ent]
            if qc and ec and qc != ec:
                s -= COUNTRY_DIFFERS
                notes += f", country differs ({qc} vs {ec})"
            elif qc and ec:
                notes += f", same country ({ec})"
            if id_text and ent not in id_hits and idx.identifiers[ent]:
                scheme = id_text.split(":")[0] if ":" in id_text else None
                theirs = [i for i in idx.identifiers[ent]
                          if scheme is None or i.startswith(scheme + ":")]
                if theirs:
                    s -= IDENTIFIER_CONFLICT
                    notes += f", identifier conflict (query {id_text}, entity has {theirs[0]})"
            ranked.append((round(max(0.0, s), 4), ent, on, why, e, notes))
        for ent in id_hits:
            name_note = ""
            if ent in scores:
                name_note = f"; name: {scores[ent][2]} ({scores[ent][0]:.2f})"
                if scores[ent][0] < self.threshold:
                    name_note += ", below the threshold: check the identifier"
            elif forms:  # the identifier wins, but a typo in it would go unseen
                name_note = "; the name given shares no word with the entity's names: check the identifier"
            ranked = [r for r in ranked if r[1] != ent]
            ranked.append((1.0 + 1e-9, ent, "identifier",
                           f"identifier {id_text} matches{name_note}", -1, ""))
        ranked.sort(key=lambda r: (-r[0], idx.ids[r[1]]))
        if not ranked:
            res["reason"] = "no indexed name shares a word with the query"
            return res
        top = ranked[0]
        top_reason = (top[3] if top[4] < 0 else self._explain(top[3], top[4], query)) + top[5]
        tied = [r for r in ranked if r[0] >= top[0] - self.tie and r[0] >= self.threshold]
        shown = ranked[1:self.limit + 1] if len(tied) <= 1 else tied[:max(self.limit, 10)]
        res["candidates"] = "; ".join(f"{idx.ids[r[1]]} ({min(r[0], 1.0):.2f})" for r in shown)
        res["score"] = round(min(top[0], 1.0), 4)
        if top[2] == "identifier" and len(id_hits) == 1:
            res.update(id=idx.ids[top[1]], name=idx.names[top[1]], status="matched",
                       matched_on="identifier", reason=top_reason)
            if bad is not None:
                res["reason"] += f"; name not usable: {bad}"
            return res
        if len(tied) > 1:
            res.update(status="ambiguous", matched_on=top[2],
                       reason=f"{len(tied)} entities tie at {min(top[0], 1.0):.2f}: {top_reason}")
            return res
        if top[0] >= self.threshold:
            res.update(id=idx.ids[top[1]], name=idx.names[top[1]], status="matched",
                       matched_on=top[2], reason=top_reason)
        else:
            res.update(reason=f"best {idx.ids[top[1]]} below threshold {self.threshold:.2f}: "
                              f"{top_reason}", matched_on=top[2])
        return res


def match(names: Any, g: OwnershipGraph | None = None, *, index: NameIndex | None = None,
          threshold: float = DEFAULT_THRESHOLD, limit: int = 3, tie_margin: float = TIE_MARGIN,
          progress: bool | None = None) -> pd.DataFrame:
    """Match names to the entities of a graph.

    Parameters
    ----------
    names : sequence of str, pandas.Series or pandas.DataFrame
        The names to look up. A DataFrame needs a ``name`` column and may have ``country``
        (ISO-2 code or country name) and ``identifier`` (``lei:...``, ``uscc:...`` or a bare
        registration number).
    g : OwnershipGraph, optional
        The graph whose entities are matched; not needed when ``index`` is given.
    index : NameIndex, optional
        A prebuilt index (``NameIndex.from_graph(g)``): build it once for many batches.
    threshold : float
        Lowest score (0..1) accepted as a match; see ``DEFAULT_THRESHOLD`` for how the
        default was chosen.
    limit : int
        How many runners-up to list in ``candidates``.
    tie_margin : float
        Scores this close to the best count as a tie (status ``ambiguous``).
    progress : bool or None
        tqdm progress bar: True, False, or None (only on a terminal).

    Returns
    -------
    pandas.DataFrame
        One row per input row, same order: ``row, query, id, name, score, status,
        matched_on, reason, candidates`` (see the module docstring).

    Raises
    ------
    MatchInputError
        ``names`` is not a sequence, Series or DataFrame with a ``name`` column, or neither
        ``g`` nor ``index`` is given.

    Examples
    --------
    >>> import graphkit as gk
    >>> g = gk.example_graph()
    >>> df = match(["Buyer Trading Limited", "", "Buyer Tradng Ltd", "Nobody Else"], g)
    >>> for r in df.itertuples():
    ...     print(r.row, r.id, r.status, "|", r.reason)
    0 buyer matched | same name after normalisation
    1 <NA> invalid | empty name
    2 buyer matched | one letter different (legal form included), distinctive words differ
    3 <NA> unmatched | no indexed name shares a word with the query
    """
    if index is None:
        if g is None:
            raise MatchInputError("match: give a graph or a NameIndex")
        index = NameIndex.from_graph(g, progress=progress)
    if not 0.0 <= threshold <= 1.0:
        raise MatchInputError(f"match: threshold must be in 0..1, not {threshold}")
    values, countries, idents = _queries(names)
    m = _Matcher(index, threshold, limit, tie_margin)
    memo: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    it: Iterable[int] = range(len(values))
    if progress is not False:
        it = tqdm(it, total=len(values), desc="matching names", unit="name",
                  disable=None if progress is None else not progress, leave=False)
    for i in it:
        v, c, d = values[i], countries[i], idents[i]
        try:
            memo_key: tuple[Any, Any, Any] | None = (v, c, d)
            hash(memo_key)
        except TypeError:
            memo_key = None
        if memo_key is not None and memo_key in memo:
            rows.append({**memo[memo_key], "row": i})
            continue
        r = m.one(i, v, c, d)
        if memo_key is not None:
            memo[memo_key] = r
        rows.append(r)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["row"] = df["row"].astype("int64")
    df["score"] = df["score"].astype("float64")
    for col in ("query", "id", "name", "matched_on", "reason", "candidates"):
        df[col] = df[col].astype("string")
    return df

