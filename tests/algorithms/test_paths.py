"""gk.paths on the example graph and on the seed investigation."""

import pytest

import graphkit as gk
from graphkit.errors import GraphkitError, NodeNotFound


@pytest.fixture(scope="module")
def seed():
    return gk.read_csv(gk.seed_path(), strict=True)


def test_example_path_walks_owns_backwards(example):
    (p,) = gk.paths(example, "buyer", as_of="2024-01-01")
    assert p.nodes == ["buyer", "sub", "parent"]
    assert p.forward == [True, False]
    assert p.relation_kinds == ["front_for", "owns"]
    assert p.weakest == "reported"
    text = p.explain()
    assert "is owned by Parent Group (60%)" in text and "source: example" in text
    assert "BIS Entity List since 2019-10-09" in text


def test_before_listing_there_is_no_path(example):
    assert gk.paths(example, "buyer", as_of="2019-10-08") == []


def test_listed_source_is_a_zero_step_path(example):
    (p,) = gk.paths(example, "parent", as_of="2024-01-01")
    assert p.hops == 0 and "is itself listed" in p.explain()


def test_kinds_and_max_hops_restrict(example):
    assert gk.paths(example, "buyer", kinds=["owns"], as_of="2024-01-01") == []
    assert gk.paths(example, "other", max_hops=3, as_of="2024-01-01") == []
    assert len(gk.paths(example, "other", max_hops=4, as_of="2024-01-01")) == 1


def test_bad_arguments(example):
    with pytest.raises(NodeNotFound):
        gk.paths(example, "nobody")
    with pytest.raises(GraphkitError, match="unknown relation kind"):
        gk.paths(example, "buyer", kinds=["befriends"])
    with pytest.raises(GraphkitError):
        gk.paths(example, "buyer", k=0)


def test_to_specific_ids_and_list_codes(example):
    (p,) = gk.paths(example, "other", to="sub", as_of="2024-01-01")
    assert p.nodes == ["other", "cloud", "buyer", "sub"]
    assert gk.paths(example, "buyer", to="us-ofac-sdn", as_of="2024-01-01") == []


def test_seed_front_reaches_iflytek(seed):
    p = gk.paths(seed, "il-front-compute")[0]
    assert p.nodes == ["il-front-compute", "iflytek"]
    assert p.relations[0]["illustrative"] is True and p.weakest == "suspected"
    assert "IFLYTEK" in p.explain() and "84 FR 54002" in p.explain()


def test_seed_sensetime_subsidiary_before_and_after_narrowing(seed):
    # The 2019 entry named "Sense Time"; in 2020 it was narrowed to Beijing SenseTime.
    assert gk.paths(seed, "sensetime-group", as_of="2019-12-01")[0].hops == 0
    after = gk.paths(seed, "sensetime-group", to="us-bis-entity-list", as_of="2021-06-01", k=1)
    assert after and after[0].nodes[-1] == "beijing-sensetime"
    # NS-CMIC listing of SenseTime Group Limited on 2021-12-10
    assert gk.paths(seed, "sensetime-group", to="us-ofac-ns-cmic", as_of="2021-12-09", max_hops=1) == []
    assert gk.paths(seed, "sensetime-group", to="us-ofac-ns-cmic", as_of="2021-12-10")[0].hops == 0


def test_chip_vendor_is_not_a_bridge_unless_asked(seed):
    via_vendor = [p for p in gk.paths(seed, "state-backed-compute-clusters", k=5, avoid=())
                  if "nvidia" in p.nodes[1:-1]]
    assert via_vendor, "without avoid, the vendor links every buyer"
    assert all("nvidia" not in p.nodes[1:-1] for p in gk.paths(seed, "state-backed-compute-clusters", k=5))


def test_paths_are_sorted_and_distinct(seed):
    found = gk.paths(seed, "il-hk-distributor", k=5)
    assert [p.hops for p in found] == sorted(p.hops for p in found)
    assert len({tuple(p.nodes) for p in found}) == len(found)
    for p in found:
        assert len(p.relations) == p.hops and all(r["source_ref"] for r in p.relations)


def test_paths_frame(seed):
    df = gk.paths_frame(gk.paths(seed, "il-front-compute", k=2))
    assert list(df.columns[:4]) == ["source", "source_name", "target", "target_name"]
    assert df.loc[0, "lists"] == "us-bis-entity-list"
