"""OwnershipGraph construction, validation, merge, save/load and networkx view."""

import pandas as pd
import pytest

import graphkit as gk
from graphkit.errors import GraphValidationError, NodeNotFound


def frames(**over):
    ents = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A Ltd", "B Ltd", "Ms C"],
                         "kind": ["company", "company", "person"]})
    rels = pd.DataFrame({"source": ["a", "c"], "target": ["b", "b"], "kind": ["owns", "officer_of"],
                         "share": ["60", None], "role": [None, "director"]})
    lists = pd.DataFrame({"entity": ["a"], "list": ["us-ofac-sdn"], "start": ["2020-01-01"]})
    out = {"entities": ents, "relations": rels, "listings": lists}
    out.update(over)
    return out


def test_builds_and_normalises():
    g = gk.OwnershipGraph.from_frames(**frames())
    assert (len(g), len(g.relations), len(g.listings)) == (3, 2, 1)
    owns = g.relations.iloc[0]
    assert (owns.share_min, owns.share_max) == (60.0, 60.0)
    assert pd.isna(g.relations.iloc[1].share_min)  # only owns carries a share
    assert g.relations["confidence"].tolist() == ["reported", "reported"]  # documented default
    assert g.relations["id"].tolist() == ["r1", "r2"]


def test_unknown_share_is_full_range():
    rels = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["owns"]})
    g = gk.OwnershipGraph.from_frames(**frames(relations=rels))
    assert g.relations.loc[0, ["share_min", "share_max"]].tolist() == [0.0, 100.0]


@pytest.mark.parametrize("table, column, value, message", [
    ("entities", "kind", "compnay", "unknown entity kind"),
    ("relations", "kind", "befriends", "unknown relation kind"),
    ("relations", "share", "120", "over 100"),
    ("relations", "target", "zz", "not in the entities table"),
    ("listings", "list", "us-nope", "unknown list code"),
    ("listings", "entity", "ghost", "not in the entities table"),
    ("entities", "id", "a", "duplicate id 'a'"),
    ("relations", "start", "2021-13-01", "not a real date"),
    ("relations", "confidence", "certain", "unknown confidence level"),
    ("entities", "country", "Atlantis", "alpha-2"),
])
def test_every_bad_value_is_named(table, column, value, message):
    f = frames()
    df = f[table].copy()
    df.loc[len(df) - 1, column] = value
    f[table] = df
    with pytest.raises(GraphValidationError) as info:
        gk.OwnershipGraph.from_frames(**f)
    problems = info.value.problems
    assert any(message in p.message and p.column == column and p.table == table for p in problems), problems
    assert message in str(info.value)


def test_all_problems_reported_at_once_with_rows():
    ents = pd.DataFrame({"id": ["a", "a", "b"], "name": ["A", "A2", ""],
                         "kind": ["company", "company", "robot"]})
    with pytest.raises(GraphValidationError) as info:
        gk.OwnershipGraph.from_frames(ents)
    msgs = [(p.row, p.column) for p in info.value.problems]
    assert (2, "id") in msgs and (3, "name") in msgs and (3, "kind") in msgs


def test_report_mode_keeps_good_rows_and_stubs_dangling_references():
    # A share over 100% no longer rejects the row (policy: a bad optional value is kept as
    # unknown, see tests/test_validate_policy.py); a bad kind still rejects it.
    rels = pd.DataFrame({"source": ["a", "x", "a"], "target": ["b", "a", "b"],
                         "kind": ["owns", "owns", "befriends"], "share": ["150", "10", None]})
    g = gk.OwnershipGraph.from_frames(**frames(relations=rels), on_error="report")
    assert g.relations["source"].tolist() == ["a", "x"]
    assert g.relations.loc[0, ["share_min", "share_max"]].tolist() == [0.0, 100.0]
    assert g.relations.loc[0, "note"] == "share as written: '150'"
    assert "x" in g and g.entity("x")["note"].startswith("Stub")
    actions = sorted((p.action, p.column) for p in g.problems)
    assert actions == [("kept", "share"), ("rejected", "kind"), ("stub", "source")]
    kept = next(p for p in g.problems if p.action == "kept")
    assert "over 100" in kept.message and "left unknown (0 to 100%)" in kept.message


def test_kind_compatibility_is_checked():
    ents = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["company", "company"]})
    rels = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["registered_at"]})
    with pytest.raises(GraphValidationError, match="cannot have a company as its target"):
        gk.OwnershipGraph.from_frames(ents, rels)


def test_ownership_cycles_are_allowed():
    ents = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["company", "company"]})
    rels = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "kind": ["owns", "owns"],
                         "share": [30, 40]})
    g = gk.OwnershipGraph.from_frames(ents, rels)
    assert len(g.relations) == 2


def test_self_loop_rejected():
    rels = pd.DataFrame({"source": ["a"], "target": ["a"], "kind": ["owns"]})
    with pytest.raises(GraphValidationError, match="to itself"):
        gk.OwnershipGraph.from_frames(**frames(relations=rels))


def test_save_load_roundtrip_is_lossless(tmp_path):
    g = gk.read_csv(gk.seed_path())
    g.save(tmp_path / "g")
    h = gk.load(tmp_path / "g")
    for name in ("entities", "relations", "listings"):
        pd.testing.assert_frame_equal(getattr(g, name), getattr(h, name))
    assert h.problems == g.problems


def test_load_joins_text_columns_written_in_many_row_groups(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    g = gk.read_csv(gk.seed_path())
    folder = g.save(tmp_path / "g")
    table = pq.read_table(folder / "relations.parquet")
    pq.write_table(table, folder / "relations.parquet", row_group_size=2)  # many pieces per column
    h = gk.load(folder)
    pd.testing.assert_frame_equal(g.relations, h.relations)
    source = pa.array(h.relations["source_ref"], from_pandas=True)
    assert not isinstance(source, pa.ChunkedArray) or source.num_chunks == 1


def test_save_load_keeps_problems_and_extra_columns(tmp_path):
    ents = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["company", "company"],
                         "register_url": ["http://x", None]})
    rels = pd.DataFrame({"source": ["a", "a"], "target": ["b", "zz"], "kind": ["owns", "owns"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, on_error="report")
    h = gk.load(g.save(tmp_path / "g"))
    assert h.entities["register_url"].tolist()[:2] == ["http://x", None] or \
        h.entities["register_url"].isna().tolist()[:2] == [False, True]
    assert h.problems == g.problems


def test_load_errors_are_clear(tmp_path):
    with pytest.raises(gk.ReadError, match="not a saved graphkit graph"):
        gk.load(tmp_path)


def test_merge_unites_entities_and_keeps_all_facts():
    g1 = gk.OwnershipGraph.from_frames(**frames())
    ents = pd.DataFrame({"id": ["a", "d"], "name": ["A Limited", "D"], "kind": ["company", "company"],
                         "aliases": ["A Ltd.", None]})
    rels = pd.DataFrame({"id": ["x1"], "source": ["d"], "target": ["a"], "kind": ["owns"]})
    g2 = gk.OwnershipGraph.from_frames(ents, rels)
    m = gk.merge(g1, g2)
    assert sorted(m.entities["id"]) == ["a", "b", "c", "d"]
    # The second graph's other name for "a" is no longer dropped: it becomes an alias and
    # the merge reports it (was: aliases == ["A Ltd."], "A Limited" silently lost).
    assert m.entity("a")["name"] == "A Ltd" and m.entity("a")["aliases"] == ["A Ltd.", "A Limited"]
    (p,) = m.problems
    assert (p.action, p.column, p.value) == ("kept", "name", "A Ltd; A Limited")
    assert "'A Ltd' is kept as its name and 'A Limited' as alias(es)" in p.message
    assert len(m.relations) == 3
    assert len(gk.merge(g1, g1).relations) == 2  # exact repeats kept once
    assert gk.merge(g1, g1).problems == []  # the same name twice is no difference


def test_merge_refuses_kind_clash():
    g1 = gk.OwnershipGraph.from_frames(**frames())
    g2 = gk.OwnershipGraph.from_frames(pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["person"]}))
    with pytest.raises(GraphValidationError, match="different kinds"):
        gk.merge(g1, g2)


def test_to_networkx_whole_and_subset():
    g = gk.read_csv(gk.seed_path())
    G = g.to_networkx()
    assert G.number_of_nodes() == len(g) and G.number_of_edges() == len(g.relations)
    edge = next(iter(G.edges(keys=True, data=True)))
    assert {"kind", "source_ref", "confidence", "share_min"} <= set(edge[3])
    sub = g.to_networkx(["iflytek", "il-front-compute"])
    assert set(sub.nodes) == {"iflytek", "il-front-compute"}
    assert sub.nodes["iflytek"]["listings"][0]["list"] == "us-bis-entity-list"


def test_index_csr_matches_tables(example):
    idx = example.index
    for i in range(idx.n):
        rows = idx.out_rel[idx.out_ptr[i]:idx.out_ptr[i + 1]]
        assert set(example.relations.iloc[rows]["source"]) <= {idx.ids[i]}
    assert idx.out_ptr[-1] == idx.in_ptr[-1] == len(example.relations)


def test_unknown_entity_raises_node_not_found(example):
    with pytest.raises(NodeNotFound, match="nobody"):
        example.entity("nobody")


def test_neighbourhood(example):
    sub = example.neighbourhood(["buyer"], hops=1)
    assert set(sub.entities["id"]) == {"buyer", "sub", "cloud"}


def test_stub_kind_follows_the_relation():
    ents = pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["company"]})
    rels = pd.DataFrame({"source": ["a", "a"], "target": ["addr-1", "b"], "kind": ["registered_at", "owns"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, on_error="report")
    assert g.entity("addr-1")["kind"] == "address" and g.entity("b")["kind"] == "legal_entity"
    assert len(g.relations) == 2 and [p.action for p in g.problems] == ["stub", "stub"]


def test_listings_carry_provenance():
    g = gk.OwnershipGraph.from_frames(**frames())
    assert g.listings.loc[0, "confidence"] == "reported" and "observed" in g.listings


def test_merge_lets_a_stub_kind_yield_to_the_specific_one():
    ents = pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["company"]})
    rels = pd.DataFrame({"source": ["a"], "target": ["lei:X"], "kind": ["owns"]})
    g1 = gk.OwnershipGraph.from_frames(ents, rels, on_error="report")  # lei:X is a legal_entity stub
    g2 = gk.OwnershipGraph.from_frames(pd.DataFrame({"id": ["lei:X"], "name": ["X Corp"], "kind": ["company"]}))
    m = gk.merge(g1, g2)
    assert m.entity("lei:X")["kind"] == "company" and len(m) == 2
    # the stub's placeholder name (its id) and note yield to the described entity's, silently
    x = m.entity("lei:X")
    assert x["name"] == "X Corp" and not x["aliases"] and not (x["note"] or "").startswith("Stub")
    assert [p.action for p in m.problems] == ["stub"]


def test_merge_reports_entities_that_share_an_identifier() -> None:
    a = gk.OwnershipGraph.from_frames(pd.DataFrame({"id": ["sensetime"], "name": ["SenseTime Group"], "kind": ["company"],
                                                    "identifiers": [["ofac_ent_num:33114", "HK_CR: 2162198"]]}))
    b = gk.OwnershipGraph.from_frames(pd.DataFrame({"id": ["ofac:33114", "ofac:1"], "name": ["SENSETIME", "Other"],
                                                    "kind": ["company", "company"],
                                                    "identifiers": [["ofac_ent_num:33114", "hk_cr:2162198"],
                                                                    ["ofac_ent_num:1"]]}))
    m = gk.merge(a, b)
    assert len(m) == 3  # reported, not joined
    (p,) = [p for p in m.problems if p.column == "identifiers"]
    assert p.action == "check"
    assert "'ofac:33114', 'sensetime' share the identifier(s) 'HK_CR: 2162198', 'ofac_ent_num:33114'" in p.message
    assert not [p for p in gk.merge(a).problems if p.column == "identifiers"]


def test_merge_reports_same_named_companies_from_different_sources() -> None:
    def one(eid: str, name: str, country: str | None = None) -> gk.OwnershipGraph:
        return gk.OwnershipGraph.from_frames(pd.DataFrame({"id": [eid], "name": [name], "kind": ["company"],
                                                           "country": [country]}))

    m = gk.merge(one("hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.", "CN"),
                 one("dod1260h:hik", "Hangzhou Hikvision Digital Technology Co. Ltd"),
                 one("fcc:hik", "Hangzhou Hikvision Digital Technology Company"))
    (p,) = [p for p in m.problems if p.column == "name"]
    assert p.action == "check" and len(m) == 3
    assert "'dod1260h:hik', 'fcc:hik', 'hikvision', from different sources" in p.message
    assert "('hangzhou hikvision digital technology')" in p.message
    # the same source, or countries that disagree: not reported
    assert not [p for p in gk.merge(one("ofac:1", "Alpha Trading Ltd"), one("ofac:2", "Alpha Trading Limited")).problems
                if p.column == "name"]
    assert not [p for p in gk.merge(one("a", "Alpha Trading Ltd", "CN"), one("ofac:2", "Alpha Trading Ltd", "RU")).problems
                if p.column == "name"]
