"""`graphkit html`: the subcommand built from add_html_parser, in process and as a process."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.viz.command import add_html_parser
from tests.viz.test_html import data_of

pytest.importorskip("pyvis")


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="graphkit")
    add_html_parser(parser.add_subparsers())
    args = parser.parse_args(["html", *argv])
    return int(args.func(args))


def test_focus_rule_and_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.html"
    code = run(str(gk.seed_path()), "--focus", "il-hk-distributor", "--hops", "1", "--rule",
               "ofac50", "--highlight-paths", "--as-of", "2024-06-01", "-o", str(out))
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    data = data_of(page)
    ids = {n["id"] for n in data["nodes"]}
    assert "il-hk-distributor" in ids
    g = gk.read_csv(gk.seed_path())
    for p in gk.paths(g, "il-hk-distributor", k=3, as_of="2024-06-01"):
        assert set(p.nodes) <= ids  # paths reach beyond one hop: their entities are added
    assert any(n["borderWidth"] > 2 for n in data["nodes"])  # highlighted
    assert "As of 2024-06-01" in page and "rule: OFAC" in page


def test_whole_graph_without_focus(tmp_path: Path) -> None:
    out = tmp_path / "all.html"
    assert run(str(gk.seed_path()), "-o", str(out), "--collapse", "5", "--title", "<i>all</i>") == 0
    page = out.read_text(encoding="utf-8")
    assert "&lt;i&gt;all&lt;/i&gt;" in page and "<i>all</i>" not in page


def test_unknown_focus_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.html"
    assert run(str(gk.seed_path()), "--focus", "no-such-id", "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-id" in err
    assert not out.exists()
    assert run(str(gk.seed_path()), "--highlight-paths", "-o", str(out)) == 2
    assert run(str(gk.seed_path()), "--focus", "il-hk-distributor", "--hops", "-1", "-o", str(out)) == 2


def test_as_a_process(tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    code = ("import argparse, sys\n"
            "from graphkit.viz.command import add_html_parser\n"
            "p = argparse.ArgumentParser(prog='graphkit'); add_html_parser(p.add_subparsers())\n"
            "a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))\n")
    ok = subprocess.run([sys.executable, "-c", code, "html", str(gk.seed_path()), "--focus",
                         "il-hk-distributor", "-o", str(out)], capture_output=True, text=True,
                        cwd=tmp_path, check=False)
    assert ok.returncode == 0, ok.stderr
    assert out.stat().st_size > 100_000
    bad = subprocess.run([sys.executable, "-c", code, "html", str(gk.seed_path()), "--focus",
                          "ghost", "-o", str(tmp_path / "g.html")], capture_output=True, text=True,
                         cwd=tmp_path, check=False)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "ghost" in bad.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.html"]
