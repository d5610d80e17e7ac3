"""Every Cypher statement the Neo4j backend sends, in one place.

The data model in Neo4j
-----------------------
- ``(:Entity {id, name, kind, aliases, country, roles, identifiers, illustrative, note,
  source_ref, ...})``: one node per entity, every column as a property (lists as
  lists of strings). ``id`` has a uniqueness constraint.
- One relationship type per relation kind, in upper case (``OWNS``, ``CONTROLS``,
  ``OFFICER_OF``, ``RENTS_COMPUTE_FROM``, ...), from ``source`` to ``target``, with every
  other relation column as a property (``id``, ``share_min``, ``share_max``, ``start``,
  ``end``, ``observed``, ``confidence``, ``source_ref``, ...). A kind filter is then a
  plain type alternation, ``-[r:OWNS|CONTROLS]-``, which Neo4j checks without reading
  properties. Community edition has no relationship uniqueness constraint: each type
  has a range index on ``r.id`` (a push creates it after writing and lets it fill in the
  background; a push that updates relations of the type waits for it), through which
  pushing the same relation again updates it instead of adding a copy.
- ``(:Listing {id, list, program, listed_name, start, end, source_ref, note})-[:LISTS]->
  (:Entity)``: one node per listing (``id`` unique), linked to the listed entity.
- ``(:GraphkitMeta {key: "layout"})`` keeps the columns and dtypes of the three tables,
  so a pull gives back exactly the table layout that was pushed.

Neo4j stores no null: a missing property is a null cell, and in a flag column (a
bool column such as ``illustrative`` or ``indirect``, which holds no null) a false flag
(``coalesce(r.indirect, false)`` reads both the same). Dates stay ISO text at the
precision the source gives; ``as_of`` checks read a partial start as its first day and
a partial end as its last (``s <= left(day, size(s))``, ``e >= left(day, size(e))``
is the same test as :func:`graphkit.types.date.active_mask`).

Every value travels as a parameter. The only text put into statements is what
parameters cannot carry: relationship type names (taken from the schema's relation
kinds, checked against ``[A-Z][A-Z0-9_]*``) and small integers (hop bounds, group counts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphkit.errors import GraphkitError

__all__ = [
    "INDEXES", "LISTS", "CONSTRAINTS", "active", "rel_index", "rel_type", "types",
]

LISTS = "LISTS"
_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def rel_type(kind: str) -> str:
    """The relationship type of a relation kind (``rents_compute_from`` -> ``RENTS_COMPUTE_FROM``)."""
    name = str(kind).upper()
    if not _TYPE.match(name) or name == LISTS:
        raise GraphkitError(f"relation kind {kind!r} cannot be a Neo4j relationship type")
    return name


def kind_of(rel_type_name: str) -> str:
    return rel_type_name.lower()


def types(kinds: Iterable[str]) -> str:
    """A type alternation for a pattern: ``OWNS|CONTROLS``."""
    return "|".join(f"`{rel_type(k)}`" for k in kinds)


def active(var: str, day: str = "$day") -> str:
    """Predicate: the fact ``var`` (with ``start``/``end`` text dates) held on ``day``."""
    return (f"({var}.start IS NULL OR {var}.start <= left({day}, size({var}.start))) AND "
            f"({var}.`end` IS NULL OR {var}.`end` >= left({day}, size({var}.`end`)))")


# -- schema -------------------------------------------------------------------------------
CONSTRAINTS = (
    "CREATE CONSTRAINT graphkit_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT graphkit_listing_id IF NOT EXISTS FOR (n:Listing) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT graphkit_meta_key IF NOT EXISTS FOR (n:GraphkitMeta) REQUIRE n.key IS UNIQUE",
)
# Indexes a push creates after writing (building an index once is cheaper than keeping
# it up to date row by row); the uniqueness constraints above are needed while writing.
INDEXES = (
    "CREATE INDEX graphkit_entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE INDEX graphkit_listing_list IF NOT EXISTS FOR (n:Listing) ON (n.list)",
)


# The constraints' and node indexes' names (a push waits for these to be online).
NODE_SCHEMA_NAMES = ("graphkit_entity_id", "graphkit_listing_id", "graphkit_meta_key",
                     "graphkit_entity_name", "graphkit_listing_list")


def rel_index(kind: str) -> str:
    t = rel_type(kind)
    return f"CREATE INDEX graphkit_rel_{t.lower()}_id IF NOT EXISTS FOR ()-[r:`{t}`]-() ON (r.id)"


AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
AWAIT_INDEX = "CALL db.awaitIndex($name, $seconds)"

# -- writing ------------------------------------------------------------------------------
# Entity and relation rows travel as positional lists (``row[0]``, ``row[1]``, ...), which
# the driver encodes about three times faster than maps. The property names come from the
# table's columns and are written as quoted identifiers (`` `name` ``, backticks doubled);
# the values are always parameters.
def ident(name: str) -> str:
    """A column name as a quoted Cypher identifier."""
    text = str(name)
    if not text or "\x00" in text:
        raise GraphkitError(f"column name {name!r} cannot be a Neo4j property name")
    return "`" + text.replace("`", "``") + "`"


def _props(columns: Iterable[str], offset: int) -> str:
    return "{" + ", ".join(f"{ident(c)}: row[{i + offset}]" for i, c in enumerate(columns)) + "}"


def merge_entities(columns: list[str]) -> str:
    """Rows ``[col0, col1, ...]`` in ``columns`` order (``id`` among them); null drops a property."""
    return f"""
UNWIND $rows AS row
MERGE (n:Entity {{id: row[{columns.index("id")}]}})
SET n = {_props(columns, 0)}
RETURN count(*) AS written
"""


def create_entities(columns: list[str]) -> str:
    """As :func:`merge_entities`, for a database that holds no entity yet (faster)."""
    return f"""
UNWIND $rows AS row
CREATE (n:Entity {_props(columns, 0)})
RETURN count(*) AS written
"""


def with_node_ids(statement: str) -> str:
    """An entity write (:func:`create_entities`, :func:`merge_entities`) that also returns
    the graphkit ids and the internal node ids of the rows it wrote (``ids``, ``nodes``, in
    the same order), for the relation writes of the same push (see
    :func:`create_relations_by_node`)."""
    if "RETURN count(*) AS written" not in statement:
        raise GraphkitError("not an entity write statement")
    return statement.replace("RETURN count(*) AS written",
                             "RETURN count(*) AS written, collect(n.id) AS ids, collect(id(n)) AS nodes")


COUNT_ENTITIES = "MATCH (n:Entity) RETURN count(n) AS n"


def count_relations(kind: str) -> str:
    return f"MATCH ()-[r:`{rel_type(kind)}`]->() RETURN count(r) AS n"


def existing_relations(kind: str) -> str:
    """Which of the relation ids ``$ids`` are stored already, and between which entities."""
    t = rel_type(kind)
    # The hint keeps the planner on the id index also right after the index was built
    # (with stale statistics it scanned every relationship per id: minutes for a re-push).
    return (f"UNWIND $ids AS id MATCH (a:Entity)-[r:`{t}`]->(b:Entity) USING INDEX r:`{t}`(id) "
            "WHERE r.id = id RETURN r.id AS id, a.id AS source, b.id AS target")


def existing_relations_between(kind: str, id_pos: int) -> str:
    """Which rows ``[source, target, ...]`` are stored already (found from their ends,
    without the id index)."""
    return (f"UNWIND $rows AS row MATCH (a:Entity {{id: row[0]}}) USING INDEX a:Entity(id) "
            f"MATCH (a)-[r:`{rel_type(kind)}`]->(b:Entity) "
            f"WHERE b.id = row[1] AND r.id = row[{int(id_pos)}] RETURN r.id AS id")


def delete_relations(kind: str) -> str:
    t = rel_type(kind)
    return (f"UNWIND $ids AS id MATCH ()-[r:`{t}`]->() USING INDEX r:`{t}`(id) WHERE r.id = id DELETE r "
            "RETURN count(*) AS deleted")


def create_relations(kind: str, columns: list[str]) -> str:
    """Rows ``[source, target, col0, col1, ...]``; null values are not stored."""
    return f"""
UNWIND $rows AS row
MATCH (a:Entity {{id: row[0]}}) USING INDEX a:Entity(id)
MATCH (b:Entity {{id: row[1]}}) USING INDEX b:Entity(id)
CREATE (a)-[r:`{rel_type(kind)}` {_props(columns, 2)}]->(b)
RETURN count(*) AS written
"""


def create_relations_grouped(kind: str, columns: list[str]) -> str:
    """As :func:`create_relations`, with rows grouped by source: ``[source, [[target, col0,
    col1, ...], ...]]``. The source is looked up once per group, not once per row (rows of a
    batch come sorted by source, so most sources have several relations in one batch)."""
    return f"""
UNWIND $rows AS grp
MATCH (a:Entity {{id: grp[0]}}) USING INDEX a:Entity(id)
UNWIND grp[1] AS row
MATCH (b:Entity {{id: row[0]}}) USING INDEX b:Entity(id)
CREATE (a)-[r:`{rel_type(kind)}` {_props(columns, 1)}]->(b)
RETURN count(*) AS written
"""


# Relations of a kind the database does not hold yet are written with the internal node ids
# that the entity writes of the same push returned: a seek by internal id reads one record,
# where a seek in the id index compares strings down a B-tree (the relation phase took about
# a fifth less server time). The ids are used only within the push that read them and are
# never stored; ``a:Entity`` keeps a row from landing on another kind of node. A row whose
# entity has gone (deleted by someone else meanwhile) matches nothing, and the push reports
# the short batch.
def create_relations_by_node(kind: str, columns: list[str]) -> str:
    """As :func:`create_relations_grouped`, with internal node ids in place of entity ids:
    rows ``[source node, [[target node, col0, col1, ...], ...]]``."""
    return f"""
UNWIND $rows AS grp
MATCH (a) WHERE id(a) = grp[0] AND a:Entity
UNWIND grp[1] AS row
MATCH (b) WHERE id(b) = row[0] AND b:Entity
CREATE (a)-[r:`{rel_type(kind)}` {_props(columns, 1)}]->(b)
RETURN count(*) AS written
"""


def create_relations_by_node_flat(kind: str, columns: list[str]) -> str:
    """As :func:`create_relations_by_node`, rows ``[source node, target node, col0, ...]``."""
    return f"""
UNWIND $rows AS row
MATCH (a) WHERE id(a) = row[0] AND a:Entity
MATCH (b) WHERE id(b) = row[1] AND b:Entity
CREATE (a)-[r:`{rel_type(kind)}` {_props(columns, 2)}]->(b)
RETURN count(*) AS written
"""


def existing_relations_by_node(kind: str, id_pos: int) -> str:
    """Which rows ``[source node, target node, ...]`` are stored already (the check of a
    retried batch: its first attempt may have committed before the connection was lost)."""
    return (f"UNWIND $rows AS row MATCH (a) WHERE id(a) = row[0] AND a:Entity "
            f"MATCH (a)-[r:`{rel_type(kind)}`]->(b) "
            f"WHERE id(b) = row[1] AND r.id = row[{int(id_pos)}] RETURN r.id AS id")


def update_relations(kind: str, columns: list[str]) -> str:
    """Rows as for :func:`create_relations`, for relations stored with the same ends."""
    t = rel_type(kind)
    return f"""
UNWIND $rows AS row
MATCH (a:Entity)-[r:`{t}`]->(b:Entity) USING INDEX r:`{t}`(id)
WHERE r.id = row[{columns.index("id") + 2}] AND a.id = row[0] AND b.id = row[1]
SET r = {_props(columns, 2)}
RETURN count(*) AS written
"""


MERGE_LISTINGS = f"""
UNWIND $rows AS row
MATCH (e:Entity {{id: row.entity}}) USING INDEX e:Entity(id)
MERGE (l:Listing {{id: row.props.id}})
SET l = row.props
WITH l, e
OPTIONAL MATCH (l)-[old:{LISTS}]->(other:Entity) WHERE other <> e
DELETE old
WITH DISTINCT l, e
MERGE (l)-[:{LISTS}]->(e)
RETURN count(*) AS written
"""

READ_META = "MATCH (m:GraphkitMeta {key: 'layout'}) RETURN m.layout AS layout, m.format AS format"
WRITE_META = """
MERGE (m:GraphkitMeta {key: 'layout'})
SET m.layout = $layout, m.format = $format
"""

SCHEMA_NAMES = (  # constraints first: dropping one drops the index it owns
    "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'graphkit_' RETURN name, 'constraint' AS what",
    "SHOW INDEXES YIELD name, owningConstraint WHERE name STARTS WITH 'graphkit_' "
    "AND owningConstraint IS NULL RETURN name, 'index' AS what",
)


def drop(what: str, name: str) -> str:
    """Drop one of graphkit's own constraints or indexes (names read from the server)."""
    if what not in ("constraint", "index") or not re.match(r"^graphkit_[a-z0-9_]+$", name):
        raise GraphkitError(f"not a graphkit schema object: {what} {name!r}")
    return f"DROP {what.upper()} {name} IF EXISTS"


CLEAR = """
MATCH (n) WHERE n:Entity OR n:Listing OR n:GraphkitMeta
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS
"""
CLEAR_ALL = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS"

# -- reading ------------------------------------------------------------------------------
READ_ENTITIES = "MATCH (n:Entity) RETURN properties(n) AS p"
READ_ENTITIES_BY_ID = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN properties(n) AS p"
EXISTING_IDS = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id"


def read_relations(kinds: Iterable[str]) -> str:
    return (f"MATCH (a:Entity)-[r:{types(kinds)}]->(b:Entity) "
            "RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS p")


def read_relations_among(kinds: Iterable[str]) -> str:
    return (f"UNWIND $ids AS id MATCH (a:Entity {{id: id}})-[r:{types(kinds)}]->(b:Entity) "
            "WHERE b.id IN $ids "
            "RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS p")


READ_LISTINGS = f"MATCH (l:Listing)-[:{LISTS}]->(e:Entity) RETURN e.id AS entity, properties(l) AS p"
READ_LISTINGS_OF = (f"UNWIND $ids AS id MATCH (l:Listing)-[:{LISTS}]->(e:Entity {{id: id}}) "
                    "RETURN e.id AS entity, properties(l) AS p")


def expand(kinds: Iterable[str], dated: bool) -> str:
    """One breadth-first step (either direction) from the entities ``$frontier``."""
    when = f"WHERE {active('r')} " if dated else ""
    return (f"UNWIND $frontier AS id MATCH (a:Entity {{id: id}})-[r:{types(kinds)}]-(b:Entity) "
            f"{when}RETURN DISTINCT b.id AS id")


# -- paths ----------------------------------------------------------------------------------
def _is_target(var: str, by_listing: bool) -> str:
    if not by_listing:
        return f"{var}.id IN $target_ids"
    return (f"EXISTS {{ MATCH (l:Listing)-[:{LISTS}]->({var}) WHERE {active('l')} "
            f"AND ($lists IS NULL OR l.list IN $lists) }}")


def _avoided(var: str) -> str:
    return (f"({var}.id IN $avoid_ids OR "
            f"any(role IN coalesce({var}.roles, []) WHERE role IN $avoid_roles))")


LISTED_ON = (f"MATCH (l:Listing)-[:{LISTS}]->(e:Entity) WHERE {active('l')} "
             "AND ($lists IS NULL OR l.list IN $lists) RETURN DISTINCT e.id AS id")


def source_status(by_listing: bool) -> str:
    """Does ``$source`` exist, and is it itself a target?"""
    return f"MATCH (x:Entity {{id: $source}}) RETURN {_is_target('x', by_listing)} AS target"


def shortest_groups(kinds: Iterable[str], forward: Iterable[str], backward: Iterable[str],
                    max_hops: int, groups: int, by_listing: bool) -> str:
    """Walks from ``$source`` to targets: the ``groups`` shortest lengths per target.

    A walk may not pass through a target or an avoided entity (it may end at one), uses
    only relations in force on ``$day``, and walks each kind in the directions the schema
    allows (``forward``: source -> target only; ``backward``: target -> source only;
    other kinds both ways). Walks that repeat an entity are removed by the caller.
    """
    if not (1 <= int(max_hops) <= 64 and 1 <= int(groups) <= 64):
        raise GraphkitError("max_hops and groups must be between 1 and 64")
    fwd, bwd = list(forward), list(backward)
    direction = ""
    if fwd or bwd:
        parts = []
        if fwd:
            parts.append("(type(r) IN $forward_types AND startNode(r) = x)")
        if bwd:
            parts.append("(type(r) IN $backward_types AND endNode(r) = x)")
        parts.append("NOT type(r) IN ($forward_types + $backward_types)")
        direction = "AND (" + " OR ".join(parts) + ")"
    return f"""
MATCH (s:Entity {{id: $source}})
MATCH p = SHORTEST {int(groups)} GROUPS (s)
  ((x:Entity)-[r:{types(kinds)}]-(y:Entity)
    WHERE y.id <> $source AND {active('r')} {direction}
      AND (x.id = $source OR NOT ({_is_target('x', by_listing)} OR {_avoided('x')}))
  ){{1,{int(max_hops)}}}
  (t:Entity)
WHERE {_is_target('t', by_listing)}
RETURN [n IN nodes(p) | n.id] AS nodes,
       [r IN relationships(p) | [elementId(r), r.id, r.confidence, startNode(r).id]] AS rels
"""


READ_PATH_RELATIONS = """
UNWIND $eids AS eid
MATCH (a:Entity)-[r]->(b:Entity) WHERE elementId(r) = eid
RETURN eid, a.id AS source, b.id AS target, type(r) AS type, properties(r) AS p
"""


def active_listings_of() -> str:
    """Listings (of any list) in force on ``$day`` of the entities ``$ids`` (a path's end)."""
    return (f"UNWIND $ids AS id MATCH (l:Listing)-[:{LISTS}]->(e:Entity {{id: id}}) "
            f"WHERE {active('l')} RETURN e.id AS entity, properties(l) AS p")


# -- restriction rules (graphkit.backends.neo4j_rules) --------------------------------------
# The fixpoint of an ownership rule runs in rounds on the server. The state of a run is two
# temporary labels on the entities caught so far (``$lo``: caught for certain, with the
# lower bounds of stakes; ``$hi``: possibly caught, with the upper bounds), named per run
# and passed as parameters (dynamic labels, ``:$($lo)``), so that concurrent runs never see
# each other; the labels are removed when the run ends. Labels are not properties: a pull
# never sees them.
#
# The rules work on *parties*: records joined by ``same_as`` relations in force (between
# two legal entities of the same sort) are one party (read with RULE_SAME_AS; the
# components are computed in Python). Every statement takes two map parameters,
# ``$party`` (record id -> party key, the smallest id of the party) and ``$members``
# (party key -> the ids of its records), both holding only parties of two or more
# records; any other entity is a party of its own (its id is its key, and the maps are
# empty when no same_as is in force). Owners and owned entities are grouped
# by party key, relations inside one party are ignored, and a party is caught as a whole:
# every one of its records gets the label.
#
# Each statement returns one row of collected lists: the driver reads one row holding
# 100,000 ids about ten times faster than 100,000 rows of one id.
#
# ``$levels`` (a list of confidence values, or null for every fact) keeps only the facts
# (listings, owns, controls and same_as relations) of those confidence levels: the runs
# that grade how well evidenced each verdict is (graphkit.algorithms.ownership.stronger:
# a missing or unknown confidence is the weakest level, never in the list).
def _strong(var: str) -> str:
    return f"($levels IS NULL OR {var}.confidence IN $levels)"


def _owns_in_force(var: str) -> str:
    return f"{active(var)} AND coalesce({var}.indirect, false) = false AND {_strong(var)}"


def _party(var: str) -> str:
    """The party key of the entity ``var``."""
    return f"coalesce($party[{var}.id], {var}.id)"


def _records(key: str, var: str) -> str:
    """Every record (node ``var``) of the party ``key``."""
    return f"UNWIND coalesce($members[{key}], [{key}]) AS rid MATCH ({var}:Entity {{id: rid}})"


# The same_as relations in force that join two records: two different legal entities
# (``$legal``: the kinds extending legal_entity), both persons or both not (``$persons``),
# as graphkit.algorithms.ownership.joining_rows; rows ``[source id, target id]``.
RULE_SAME_AS = f"""
MATCH (a:Entity)-[r:`{rel_type('same_as')}`]->(b:Entity)
WHERE {active('r')} AND {_strong('r')} AND a <> b AND a.kind IN $legal AND b.kind IN $legal
  AND (a.kind IN $persons) = (b.kind IN $persons)
RETURN collect([a.id, b.id]) AS pairs
"""

# Listings in force on $day on the lists the rule covers; $scopes: [{list, pattern}] where
# pattern (a Java regex, or null for every program) matches an upper-cased program text
# that contains one of the scope's program tags as a word. Every record of a listed
# record's party is labelled.
RULE_SEED = f"""
MATCH (l:Listing)-[:{LISTS}]->(e:Entity)
WHERE {active('l')} AND {_strong('l')}
  AND any(s IN $scopes WHERE l.list = s.list AND (s.pattern IS NULL OR
          (l.program IS NOT NULL AND toUpper(toString(l.program)) =~ s.pattern)))
WITH DISTINCT {_party('e')} AS pe
{_records('pe', 'x')}
SET x:$($lo), x:$($hi)
RETURN collect(x.id) AS ids
"""


def _pair(keys: str) -> str:
    """One stake per (owner party, owned party) pair in force (``keys`` name both, plus any
    value constant per pair): the intersection of the reported ranges when they overlap,
    their envelope when they contradict each other (as graphkit.algorithms.ownership)."""
    return f"""
WITH {keys}, max(coalesce(r.share_min, 0.0)) AS lo_max, min(coalesce(r.share_max, 100.0)) AS hi_min,
     min(coalesce(r.share_min, 0.0)) AS lo_min, max(coalesce(r.share_max, 100.0)) AS hi_max
WITH {keys}, lo_max > hi_min + $eps AS conflict, lo_max, hi_min, lo_min, hi_max
WITH {keys}, CASE WHEN conflict THEN lo_min ELSE lo_max END AS lo,
           CASE WHEN conflict THEN hi_max ELSE hi_min END AS hi
"""


# One round for one bound ($caught is $lo or $hi, $upper says which share bound counts):
# the parties owned by the last round's catches ($frontier: ids of records) that are not
# caught yet, their total from every caught owner party (through any of the records), and
# those whose total now meets the threshold (every record labelled and returned).
RULE_ROUND_OWNS = f"""
UNWIND $frontier AS oid
MATCH (:Entity {{id: oid}})-[r0:OWNS]->(e:Entity)
WHERE NOT $caught IN labels(e) AND {_owns_in_force('r0')}
WITH DISTINCT {_party('e')} AS pe
{_records('pe', 'm')}
MATCH (o:$($caught))-[r:OWNS]->(m)
WHERE o:Entity AND {_owns_in_force('r')}
WITH pe, {_party('o')} AS po, r
WHERE po <> pe
{_pair('pe, po')}
WITH pe, CASE WHEN $upper THEN hi ELSE lo END AS w
WITH pe, CASE WHEN $aggregate THEN sum(w) ELSE max(w) END AS total
WHERE CASE WHEN $inclusive THEN total >= $threshold - $eps ELSE total > $threshold + $eps END
{_records('pe', 'x')}
SET x:$($caught)
RETURN collect(x.id) AS ids
"""

# Control counts (eu50): what the last round's catches control is caught (a caught party's
# records are all labelled, so a record not caught yet is in another party).
RULE_ROUND_CONTROLS = f"""
UNWIND $frontier AS oid
MATCH (:Entity {{id: oid}})-[r:CONTROLS]->(e:Entity)
WHERE NOT $caught IN labels(e) AND {_owns_in_force('r')}
WITH DISTINCT {_party('e')} AS pe
{_records('pe', 'x')}
SET x:$($caught)
RETURN collect(x.id) AS ids
"""

# After the fixpoint: per owned party (its key), what caught owner parties hold (lower
# bounds from owners caught for certain, upper bounds from owners possibly caught), and
# whether an owner caught for certain holds a stake that may reach $red_flag_min; rows
# ``[key, lo_sum, lo_max, hi_sum, hi_max, big_stake]``.
RULE_TOTALS = f"""
MATCH (o:$($hi))-[r:OWNS]->(e:Entity)
WHERE o:Entity AND {_owns_in_force('r')}
WITH {_party('o')} AS po, {_party('e')} AS pe, $lo IN labels(o) AS certain, r
WHERE po <> pe
{_pair('po, pe, certain')}
WITH pe, sum(CASE WHEN certain THEN lo ELSE 0.0 END) AS lo_sum,
     max(CASE WHEN certain THEN lo ELSE 0.0 END) AS lo_max,
     sum(hi) AS hi_sum, max(hi) AS hi_max,
     any(x IN collect(CASE WHEN certain THEN hi END) WHERE x >= $red_flag_min - $eps) AS big_stake
RETURN collect([pe, lo_sum, lo_max, hi_sum, hi_max, big_stake]) AS rows
"""

# Parties (their keys) controlled by an owner party caught for certain (red flags where
# control does not count).
RULE_CONTROLLED = f"""
MATCH (o:$($lo))-[r:CONTROLS]->(e:Entity)
WHERE o:Entity AND {_owns_in_force('r')}
WITH {_party('o')} AS po, {_party('e')} AS pe
WHERE po <> pe
RETURN collect(DISTINCT pe) AS ids
"""

# The legal entities (a result row each), ``[id, name]`` in no order (collect skips nulls:
# pairs keep a missing name).
RULE_ENTITIES = "MATCH (e:Entity) WHERE e.kind IN $kinds RETURN collect([e.id, e.name]) AS rows"

RULE_CLEANUP = "MATCH (e:$($label)) CALL (e) { REMOVE e:$($label) } IN TRANSACTIONS OF $batch ROWS"
