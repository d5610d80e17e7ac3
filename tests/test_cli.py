"""The graphkit command, run in-process and as the installed entry point."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from graphkit.cli import main


def test_demo_writes_report_and_files(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "out"), "--as-of", "2024-06-01"]) == 0
    out = capsys.readouterr().out
    assert "reach a listed party" in out and "iFlytek" in out
    for name in ("report.md", "findings.csv", "paths.csv", "case.html"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    findings = pd.read_csv(tmp_path / "out" / "findings.csv")
    front = findings.set_index("id").loc["il-front-compute"]
    assert front.nearest == "iflytek" and front.hops == 1
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "ILLUSTRATIVE" in report and "84 FR 54002" in report


def test_info_counts_and_problems(tmp_path, capsys):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "entities.csv").write_text("id,name,kind\na,A,company\n", encoding="utf-8")
    (folder / "relations.csv").write_text("source,target,kind\na,ghost,owns\n", encoding="utf-8")
    assert main(["info", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "dangling references (stub entities created): 1" in out
    assert "relations.csv:2" in out and "ghost" in out


def test_paths_command(capsys, tmp_path):
    from graphkit import seed_path

    csv = tmp_path / "p.csv"
    assert main(["paths", str(seed_path()), "--from", "il-front-compute", "--k", "1",
                 "--csv", str(csv)]) == 0
    assert "reaches iFlytek" in capsys.readouterr().out
    assert len(pd.read_csv(csv)) == 1
    assert main(["paths", str(seed_path()), "--from", "nvidia", "--max-hops", "1"]) == 1


def test_bad_input_exits_2_with_message_not_traceback(tmp_path, capsys):
    assert main(["info", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err
    from graphkit import seed_path
    assert main(["paths", str(seed_path()), "--from", "nobody"]) == 2
    assert "not in the graph" in capsys.readouterr().err


def test_convert_roundtrip(tmp_path):
    from graphkit import load, seed_path
    assert main(["convert", str(seed_path()), "-o", str(tmp_path / "g")]) == 0
    assert len(load(tmp_path / "g")) > 20


@pytest.mark.parametrize("sub", ["demo", "info", "paths", "convert", "restricted"])
def test_every_subcommand_has_help(sub):
    exe = shutil.which("graphkit") or str(__import__("pathlib").Path(sys.executable).parent / "graphkit")
    res = subprocess.run([exe, sub, "--help"], capture_output=True, text=True, check=False)
    assert res.returncode == 0 and "usage: graphkit" in res.stdout
