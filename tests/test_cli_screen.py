"""``graphkit screen``: the command line of exposure screening."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

import graphkit as gk
from graphkit.algorithms.screen import add_screen_parser, cli_screen
from graphkit.errors import GraphkitError

REPO = Path(__file__).resolve().parents[1]
CUSTOMERS = REPO / "data" / "examples" / "customers.csv"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="graphkit")
    add_screen_parser(p.add_subparsers(dest="command"))
    return p


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return int(args.func(args))


def _wired() -> bool:
    from graphkit.cli import build_parser

    return "screen" in build_parser().format_help()


def test_screen_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "screened.csv"
    code = _run(["screen", str(CUSTOMERS), "--graph", str(gk.seed_path()), "--as-of", "2025-10-15",
                 "-o", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "screened 16 rows as of 2025-10-15" in text
    assert "invalid: line 17: empty name" in text
    table = pd.read_csv(out)
    assert "highest risk (see the table for every row, the path and its sources):\n  100  line 2: " in text
    assert len(text.split("highest risk")[1].strip().splitlines()) == 1 + 10 + 1  # heading, top ten, "wrote ..."
    on_list = int(table["lists"].notna().sum())
    assert on_list > 0 and f"on a list on that day (any list): {on_list}; under the rule: listed " in text
    assert len(table) == 16 and table["line"].tolist() == list(range(2, 18))
    assert table.loc[0, "id"] == "sensetime-group" and table.loc[0, "risk"] == 100


def test_screen_writes_excel(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    out = tmp_path / "screened.xlsx"
    assert _run(["screen", str(CUSTOMERS), "--graph", str(gk.seed_path()), "--as-of", "2025-10-15",
                 "--rule", "bis-affiliates", "-o", str(out)]) == 0
    table = pd.read_excel(out)
    assert len(table) == 16 and set(table["rule"]) == {"bis-affiliates"}


def test_screen_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_no\n1\n", encoding="utf-8")
    with pytest.raises(GraphkitError, match="needs a 'name'"):
        _run(["screen", str(bad), "--graph", str(gk.seed_path())])
    with pytest.raises(GraphkitError, match="no such file"):
        _run(["screen", str(tmp_path / "missing.csv"), "--graph", str(gk.seed_path())])
    with pytest.raises(GraphkitError, match="use a .csv or .xlsx"):
        _run(["screen", str(CUSTOMERS), "--graph", str(gk.seed_path()), "-o", str(tmp_path / "x.json")])
    with pytest.raises(SystemExit):
        _parser().parse_args(["screen", str(CUSTOMERS)])  # --graph is required


def test_cli_screen_is_callable_directly() -> None:
    assert callable(cli_screen)


@pytest.mark.skipif(not _wired(), reason="graphkit screen is not wired into graphkit.cli yet")
def test_main_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from graphkit.cli import main

    out = tmp_path / "s.csv"
    assert main(["screen", str(CUSTOMERS), "--graph", str(gk.seed_path()), "-o", str(out)]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_no\n1\n", encoding="utf-8")
    assert main(["screen", str(bad), "--graph", str(gk.seed_path())]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs a 'name'" in err[0]
