"""Legal ownership rules, loaded from ``graphkit/schema/rules/*.yaml``.

Each rule (OFAC 50 Percent Rule, BIS Affiliates Rule, EU owned-or-controlled) is
one YAML file: which lists it draws on (with program filters where the rule names
programs), the threshold and whether it is inclusive ("50% or more") or not
("more than 50%"), whether several listed owners' stakes add up, whether control
without ownership counts, when the rule is in force, when it is suspended and
how its terms changed over time. A change in the law is an edit of that file.

Examples
--------
>>> r = get_rule("ofac50")
>>> r.threshold, r.inclusive, r.control_counts
(50.0, True, False)
>>> t = get_rule("eu50").terms("2024-07-02")
>>> t.inclusive, t.threshold_text
(False, 'more than 50%')
>>> get_rule("bis-affiliates").terms("2025-12-01").suspended
True

A window that ends only "absent extension" (``unless_extended: true``) leaves a
caveat on every day after it: the rule data cannot know whether the period was
extended, so results for those days say so.

>>> t = get_rule("bis-affiliates").terms("2026-11-23")
>>> t.suspended, len(t.caveats)
(False, 1)
>>> "absent a future extension" in t.caveats[0]
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from graphkit.errors import GraphkitError
from graphkit.model import get_model
from graphkit.types import date as date_type

__all__ = ["ListScope", "Rule", "RuleError", "Terms", "Window", "get_rule", "parse_rule", "rules"]

_KEYS = {"name", "label", "authority", "legal_basis", "lists", "threshold",
         "inclusive", "aggregate", "aggregate_across_lists", "control_counts", "red_flag_min",
         "in_force", "windows", "changes", "notes"}
_EFFECTS = ("suspended", "not_in_force")
_WINDOW_KEYS = {"from", "to", "effect", "source", "unless_extended", "caveat"}


class RuleError(GraphkitError):
    """A rule file is malformed, or a rule name is unknown."""


@dataclass(frozen=True)
class ListScope:
    """One list a rule draws on, optionally only some programs of it."""

    list: str
    programs: tuple[str, ...] | None = None
    programs_verified: bool = True

    def describe(self) -> str:
        label = get_model().lists[self.list].label
        if self.programs is None:
            return label
        mark = "" if self.programs_verified else "; program list unverified"
        return f"{label} (programs {', '.join(self.programs)}{mark})"


@dataclass(frozen=True)
class Window:
    """A period (inclusive dates; None is open) in which the rule does not apply.

    ``caveat_after`` is a sentence for every day after ``end``: set (from the rule
    file's ``unless_extended: true`` or ``caveat``) when the period was due to end
    on ``end`` only "absent extension", so that a result for a later day does not
    silently claim the rule is back in force.
    """

    start: str | None
    end: str | None
    effect: str
    source: str
    caveat_after: str = ""

    def covers(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def ended_before(self, day: str) -> bool:
        """Is ``day`` after the end of this window?"""
        return self.end is not None and self.end < day

    def describe(self) -> str:
        """``"suspended from 2025-11-10 to 2026-11-09 [source: ...]"``; a window with no start
        says the first day the rule applies (``"not in force up to and including 2025-09-28
        (in force from 2025-09-29)"``)."""
        if self.start and self.end:
            span = f"from {self.start} to {self.end}"
        elif self.start:
            span = f"from {self.start}"
        else:
            span = f"up to and including {self.end}"
            nxt = _next_day(self.end)
            if nxt:
                span += f" (in force from {nxt})" if self.effect != "suspended" else f" (applies from {nxt})"
        return f"{self.what} {span} [source: {self.source}]"

    @property
    def what(self) -> str:
        """``"suspended"`` or ``"not in force"``."""
        return "suspended" if self.effect == "suspended" else "not in force"


def _next_day(day: str | None) -> str | None:
    """The ISO day after ``day`` (None when ``day`` is not a full date)."""
    import datetime as _dt

    try:
        return (_dt.date.fromisoformat(str(day)) + _dt.timedelta(days=1)).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class Terms:
    """What a rule says on one day (after applying its changes and windows)."""

    threshold: float
    inclusive: bool
    aggregate: bool
    control_counts: bool
    suspended: bool = False
    window: Window | None = None
    caveats: tuple[str, ...] = ()
    """Sentences a result for this day must carry: e.g. a suspension that was due
    to end before this day "absent extension" (the rule data record no extension,
    so the rule is applied as back in force, and the reader must check)."""

    @property
    def threshold_text(self) -> str:
        return f"{self.threshold:g}% or more" if self.inclusive else f"more than {self.threshold:g}%"

    def meets(self, share: float) -> bool:
        """Does an aggregate ``share`` (percent) reach the threshold?"""
        eps = 1e-9
        return share >= self.threshold - eps if self.inclusive else share > self.threshold + eps


@dataclass(frozen=True)
class Rule:
    """A legal ownership rule as declared in ``schema/rules/<name>.yaml``.

    Attributes
    ----------
    name, label, authority : str
    legal_basis : tuple of dict
        Citations (``cite``, ``url``) shown in explanations.
    lists : tuple of ListScope
        The lists (and programs) whose listed parties the rule starts from.
    threshold : float
        Percent.
    inclusive : bool
        True for "threshold or more", False for "more than threshold".
    aggregate : bool
        True when several listed owners' stakes add up.
    aggregate_across_lists : bool
        True when stakes add up whatever list each owner is on.
    control_counts : bool
        True when control without ownership makes the controlled entity restricted.
    red_flag_min : float or None
        Stakes from this percent up to the threshold are flagged as red flags.
    windows : tuple of Window
        Periods in which the rule does not apply: suspensions (``effect:
        suspended``) and, from the file's ``in_force: {from, to}``, the days before
        it took effect and after it ended (``effect: not_in_force``).
    changes : tuple of dict
        Dated changes of ``threshold`` / ``inclusive`` / ``aggregate`` /
        ``control_counts`` (each with ``from`` and/or ``to`` and ``source``).
    """

    name: str
    label: str
    authority: str
    legal_basis: tuple[dict[str, str], ...]
    lists: tuple[ListScope, ...]
    threshold: float
    inclusive: bool
    aggregate: bool
    aggregate_across_lists: bool
    control_counts: bool
    red_flag_min: float | None
    windows: tuple[Window, ...]
    changes: tuple[dict[str, Any], ...]
    notes: str = ""

    @property
    def list_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.list for s in self.lists))

    def citation(self) -> str:
        """The legal basis in one line."""
        return "; ".join(c["cite"] for c in self.legal_basis)

    def terms(self, as_of: object = None) -> Terms:
        """The rule's terms on ``as_of`` (None: today), with the caveats for that day."""
        day = date_type.as_of_text(as_of)
        t = Terms(self.threshold, self.inclusive, self.aggregate, self.control_counts)
        for ch in self.changes:
            if (ch.get("from") is None or ch["from"] <= day) and (ch.get("to") is None or day <= ch["to"]):
                t = replace(t, **{k: ch[k] for k in ("threshold", "inclusive", "aggregate",
                                                      "control_counts") if k in ch})
        caveats = tuple(w.caveat_after for w in self.windows if w.caveat_after and w.ended_before(day))
        if caveats:
            t = replace(t, caveats=caveats)
        for w in self.windows:
            if w.covers(day):
                return replace(t, suspended=True, window=w)
        return t

    def caveats(self, as_of: object = None) -> tuple[str, ...]:
        """The sentences a result of this rule for ``as_of`` (None: today) must carry.

        Empty on most days. After a window declared ``unless_extended`` (such as
        the BIS suspension that was to end on 2026-11-09 "absent a future
        extension"), it says that the rule data record no extension and the
        reader must check one was not made.
        """
        return self.terms(as_of).caveats

    def describe(self, as_of: object = None) -> str:
        """'OFAC 50 Percent Rule: 50% or more, in aggregate, ownership only; lists ...'.

        The terms are those on ``as_of`` (None: today); caveats for that day follow
        after "Caveat:".
        """
        t = self.terms(as_of)
        parts = [t.threshold_text, "in aggregate" if t.aggregate else "per owner",
                 "owned or controlled" if t.control_counts else "ownership only (control does not count)"]
        lists = "; ".join(s.describe() for s in self.lists)
        text = f"{self.label}: {', '.join(parts)}; lists: {lists}"
        if t.suspended and t.window is not None:
            text += f"; {t.window.describe()}"
        return text + "".join(f". Caveat: {c}" for c in t.caveats)


def _date(value: Any, where: str) -> str | None:
    if value is None:
        return None
    try:
        text = date_type.parse(value)
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from None
    if text is None or len(text) != 10:
        raise RuleError(f"{where}: dates in rules must be full dates (YYYY-MM-DD), got {value!r}")
    return text


def _bool(spec: dict[str, Any], key: str, where: str) -> bool:
    v = spec.get(key)
    if not isinstance(v, bool):
        raise RuleError(f"{where}: {key!r} must be true or false, got {v!r}")
    return v


def _number(v: Any, key: str, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= float(v) <= 100:
        raise RuleError(f"{where}: {key!r} must be a percentage between 0 and 100, got {v!r}")
    return float(v)


def _window(w: Any, at: str, label: str) -> Window:
    """Check one ``windows`` entry of a rule file and build its :class:`Window`."""
    if not isinstance(w, dict) or w.get("effect") not in _EFFECTS:
        raise RuleError(f"{at}: effect must be one of {', '.join(_EFFECTS)}")
    unknown = set(w) - _WINDOW_KEYS
    if unknown:
        raise RuleError(f"{at}: unknown field(s) {', '.join(sorted(unknown))}")
    start, end = _date(w.get("from"), at), _date(w.get("to"), at)
    if start is None and end is None:
        raise RuleError(f"{at}: a window needs 'from' and/or 'to'")
    if start and end and start > end:
        raise RuleError(f"{at}: 'from' is after 'to'")
    source = str(w.get("source", ""))
    extended = w.get("unless_extended", False)
    if not isinstance(extended, bool):
        raise RuleError(f"{at}: 'unless_extended' must be true or false, got {extended!r}")
    caveat = w.get("caveat")
    if caveat is not None and (not isinstance(caveat, str) or not caveat.strip()):
        raise RuleError(f"{at}: 'caveat' must be a sentence (text), got {caveat!r}")
    if (extended or caveat is not None) and end is None:
        raise RuleError(f"{at}: 'unless_extended' and 'caveat' need the date the window ends ('to')")
    text = " ".join(caveat.split()) if caveat else ""
    if extended and not text:
        what = "suspended" if w["effect"] == "suspended" else "not in force"
        text = (f"The {label or 'rule'} was {what} until {end} only absent an extension"
                f"{f' ({source})' if source else ''}. The rule data record no extension, so this "
                f"result applies the rule as it stands without that period; check whether the "
                f"period was extended before relying on it.")
    return Window(start, end, w["effect"], source, text)


def parse_rule(spec: Any, where: str = "rule") -> Rule:
    """Check one rule mapping (as read from YAML) and build a :class:`Rule`.

    Raises
    ------
    RuleError
        Naming the file and field for every kind of mistake: unknown keys or
        list codes, a threshold outside 0..100, a flag that is not true/false,
        a window without dates, with an unknown effect or field, or with
        ``unless_extended`` / ``caveat`` but no end date.

    Notes
    -----
    A window may say ``unless_extended: true`` when the law set its end "absent
    extension": every day after ``to`` then carries a caveat (``Terms.caveats``),
    the text of ``caveat`` if given, else a standard sentence naming the end date
    and the source. ``caveat`` alone also sets that sentence.
    """
    if not isinstance(spec, dict):
        raise RuleError(f"{where}: a rule file must hold a mapping")
    unknown = set(spec) - _KEYS
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("name", "label", "lists", "threshold", "inclusive", "aggregate", "control_counts"):
        if key not in spec:
            raise RuleError(f"{where}: missing field {key!r}")
    model = get_model()
    scopes: list[ListScope] = []
    if not isinstance(spec["lists"], list) or not spec["lists"]:
        raise RuleError(f"{where}: 'lists' must be a non-empty list")
    for item in spec["lists"]:
        item = {"list": item} if isinstance(item, str) else item
        code = item.get("list") if isinstance(item, dict) else None
        extra = set(item) - {"list", "programs", "programs_verified", "note"} if isinstance(item, dict) else set()
        if extra:
            raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(extra))} in lists entry {code!r}")
        if code not in model.lists:
            raise RuleError(f"{where}: unknown list code {code!r} (see schema/lists.yaml)")
        progs = item.get("programs")
        if progs is not None and (not isinstance(progs, list) or not all(isinstance(p, str) for p in progs)):
            raise RuleError(f"{where}: programs of {code!r} must be a list of program tags")
        scopes.append(ListScope(code, tuple(p.strip("[] ").upper() for p in progs) if progs else None,
                                bool(item.get("programs_verified", True))))
    windows: list[Window] = []
    force = spec.get("in_force") or {}
    if not isinstance(force, dict):
        raise RuleError(f"{where}: 'in_force' must be a mapping with 'from' and/or 'to'")
    src = str(force.get("source", ""))
    start = _date(force.get("from"), f"{where}: in_force.from")
    end = _date(force.get("to"), f"{where}: in_force.to")
    if start:
        before = (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat()
        windows.append(Window(None, before, "not_in_force", src or f"in force from {start}"))
    if end:
        after = (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
        windows.append(Window(after, None, "not_in_force", src or f"in force until {end}"))
    for i, w in enumerate(spec.get("windows") or []):
        windows.append(_window(w, f"{where}: windows[{i}]", str(spec.get("label", spec.get("name", "")))))
    changes: list[dict[str, Any]] = []
    for i, ch in enumerate(spec.get("changes") or []):
        at = f"{where}: changes[{i}]"
        if not isinstance(ch, dict):
            raise RuleError(f"{at}: must be a mapping")
        out: dict[str, Any] = {"from": _date(ch.get("from"), at), "to": _date(ch.get("to"), at),
                               "source": str(ch.get("source", ""))}
        if out["from"] is None and out["to"] is None:
            raise RuleError(f"{at}: a change needs 'from' and/or 'to'")
        for key in ("inclusive", "aggregate", "control_counts"):
            if key in ch:
                out[key] = _bool(ch, key, at)
        if "threshold" in ch:
            out["threshold"] = _number(ch["threshold"], "threshold", at)
        changes.append(out)
    basis = []
    for c in spec.get("legal_basis") or []:
        basis.append({"cite": str(c.get("cite", "")), "url": str(c.get("url", "") or "")}
                     if isinstance(c, dict) else {"cite": str(c), "url": ""})
    red = spec.get("red_flag_min")
    return Rule(
        name=str(spec["name"]), label=str(spec["label"]), authority=str(spec.get("authority", "")),
        legal_basis=tuple(basis), lists=tuple(scopes),
        threshold=_number(spec["threshold"], "threshold", where),
        inclusive=_bool(spec, "inclusive", where), aggregate=_bool(spec, "aggregate", where),
        aggregate_across_lists=bool(spec.get("aggregate_across_lists", True)),
        control_counts=_bool(spec, "control_counts", where),
        red_flag_min=None if red is None else _number(red, "red_flag_min", where),
        windows=tuple(windows), changes=tuple(changes),
        notes=str(spec.get("notes", "")).strip(),
    )


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    """Every rule declared under ``graphkit/schema/rules/`` (read once per process).

    >>> sorted(rules())
    ['bis-affiliates', 'eu50', 'ofac50']
    """
    folder = resources.files("graphkit.schema").joinpath("rules")
    out: dict[str, Rule] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        where = f"graphkit/schema/rules/{entry.name}"
        try:
            spec = yaml.safe_load(entry.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise RuleError(f"{where}: not valid YAML ({exc})") from None
        rule = parse_rule(spec, where)
        if rule.name in out:
            raise RuleError(f"{where}: rule name {rule.name!r} is declared twice")
        out[rule.name] = rule
    return out


def get_rule(rule: str | Rule) -> Rule:
    """The rule called ``rule`` (a Rule passes through).

    Raises
    ------
    RuleError
        If no rule has that name.
    """
    if isinstance(rule, Rule):
        return rule
    known = rules()
    if rule not in known:
        raise RuleError(f"unknown rule {rule!r}; known rules: {', '.join(sorted(known))}")
    return known[rule]
