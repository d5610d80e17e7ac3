"""Jupyter display of graphs, paths and findings: escaped HTML, no files written."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import graphkit as gk
from graphkit.investigation import findings

EVIL = '<script>alert("x")</script>'


def hostile() -> gk.OwnershipGraph:
    ents = pd.DataFrame({"id": ["buyer", "parent"], "name": [EVIL, "<img src=x onerror=alert(1)>"],
                         "kind": ["company", "company"], "roles": [["buyer"], None]})
    rels = pd.DataFrame({"source": ["parent"], "target": ["buyer"], "kind": ["owns"], "share": ["60"],
                         "source_ref": ["<b>register</b>"]})
    lists = pd.DataFrame({"entity": ["parent"], "list": ["us-bis-entity-list"], "start": ["2019-10-09"],
                          "source_ref": ["</div><script>alert(2)</script>"]})
    return gk.OwnershipGraph.from_frames(ents, rels, lists)


def _tags(markup: str) -> set[str]:
    import re

    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z]+)", markup)}


@pytest.fixture()
def in_empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_graph_repr_html(in_empty_dir: Path) -> None:
    out = hostile()._repr_html_()
    assert "gk.show(g)" in out
    assert not _tags(out) & {"script", "img", "iframe"}
    assert os.listdir(in_empty_dir) == []


def test_path_and_findings_repr_html(in_empty_dir: Path) -> None:
    g = hostile()
    (p,) = gk.paths(g, "buyer", as_of="2024-01-01")
    f = findings(g, as_of="2024-01-01")
    for out in (p._repr_html_(), f._repr_html_()):
        assert not _tags(out) & {"script", "img", "iframe"}, out
        assert "<b>register" not in out and "&lt;b&gt;register" in out
        assert "&lt;script&gt;" in out
    table = f._repr_html_()
    assert "<table" in table and "1 of 1 channel entities reach a listed party" in table
    assert table.count('class="graphkit-path"') == 1
    assert os.listdir(in_empty_dir) == []


def test_show_writes_nothing(in_empty_dir: Path) -> None:
    frame = gk.show(hostile(), as_of="2024-01-01")
    assert frame._repr_html_().startswith("<iframe srcdoc=")
    assert os.listdir(in_empty_dir) == []
