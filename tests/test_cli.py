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


def _typo_case(folder):
    """A mistyped listing date (the party must stay listed, and the commands must say so)."""
    folder.mkdir()
    (folder / "entities.csv").write_text("id,name,kind\nparent,Parent Co,company\nsub,Sub Co,company\n",
                                         encoding="utf-8")
    (folder / "relations.csv").write_text("id,source,target,kind,share\nr1,parent,sub,owns,100%\n"
                                          "r2,parent,sub,befriends,\n", encoding="utf-8")
    (folder / "listings.csv").write_text("id,entity,list,start\nl1,parent,us-ofac-sdn,2019-31-10\n",
                                         encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [
    ["restricted", "{f}"], ["paths", "{f}", "--from", "sub"], ["html", "{f}", "-o", "{tmp}/x.html"],
    ["screen", "{tmp}/buyers.csv", "--graph", "{f}"], ["convert", "{f}", "-o", "{tmp}/g"],
])
def test_every_command_says_rows_were_not_used(tmp_path, capsys, command):
    folder = _typo_case(tmp_path / "case")
    (tmp_path / "buyers.csv").write_text("name\nSub Co\n", encoding="utf-8")
    argv = [a.format(f=folder, tmp=tmp_path) for a in command]
    assert main(["-v", *argv]) == 0
    err = capsys.readouterr().err
    assert (f"2 input problem(s): 1 row(s) not used, 1 value(s) kept with a note (read as unknown, merged or assumed); "
            f"run `graphkit info {folder}` to list them") in err
    assert "see graph.problems" not in err


def test_a_mistyped_listing_date_keeps_the_party_listed_on_the_command_line(tmp_path, capsys):
    folder = _typo_case(tmp_path / "case")
    assert main(["restricted", str(folder), "-o", str(tmp_path / "r.csv")]) == 0
    table = pd.read_csv(tmp_path / "r.csv").set_index("id")
    assert table.loc["parent", "status"] == "listed" and table.loc["sub", "status"] == "restricted"
    assert main(["info", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "[kept]" in out and "listings.csv:2, column 'start'" in out and "2019-31-10" in out
    assert "[rejected]" in out and "relations.csv:3, column 'kind'" in out


def test_no_problems_no_line(capsys):
    from graphkit import seed_path

    assert main(["restricted", str(seed_path())]) == 0
    assert "input problem" not in capsys.readouterr().err


def test_info_without_a_name_column_is_a_message_not_a_traceback(tmp_path, capsys):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "entities.csv").write_text("id,kind\nbuyer,company\n", encoding="utf-8")
    (folder / "relations.csv").write_text("source,target,kind\nfront,buyer,front_for\n", encoding="utf-8")
    assert main(["info", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "no column 'name' (columns found: id, kind)" in err
    assert "Traceback" not in err and "KeyError" not in err and "_file" not in err


def test_paths_names_list_codes_and_suggests_ids(capsys):
    from graphkit import seed_path

    assert main(["paths", str(seed_path()), "--from", "iflytek", "--to", "us-made-up"]) == 2
    err = capsys.readouterr().err
    assert "--to 'us-made-up' is not a list code or an entity id" in err
    assert "us-bis-entity-list" in err and "us-ofac-sdn" in err
    assert main(["paths", str(seed_path()), "--from", "AI-Galaxy"]) == 2
    err = capsys.readouterr().err
    assert "not in the graph" in err and "did you mean 'ai-galaxy'?" in err


def test_demo_console_and_report_count_the_same_thing(tmp_path, capsys):
    import re

    assert main(["demo", "--out", str(tmp_path / "out"), "--as-of", "2024-06-01"]) == 0
    out = capsys.readouterr().out
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    findings = pd.read_csv(tmp_path / "out" / "findings.csv")
    reach, listed = int((findings["hops"] > 0).sum()), int((findings["hops"] == 0).sum())
    said = (f"{reach} of {len(findings)} channel entities reach a listed party through 1 or more "
            f"relations; {listed} {'is' if listed == 1 else 'are'} on a list themselves")
    assert said in out and said in report
    heading = re.search(r"## Who reaches a listed party \((\d+) of (\d+) channels; (\d+) listed", report)
    assert heading and heading.groups() == (str(reach), str(len(findings)), str(listed))
    assert listed > 0 and out.count("is on a list itself (0 steps)") == listed


def test_no_path_names_a_listing_that_ended(tmp_path, capsys):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "entities.csv").write_text("id,name,kind\nm,Megvii,company\no,Other,company\n", encoding="utf-8")
    (folder / "listings.csv").write_text("entity,list,start,end,source_ref\nm,us-dod-1260h,2024-01-31,2025-01-07,DoD\n",
                                         encoding="utf-8")
    assert main(["paths", str(folder), "--from", "m", "--as-of", "2025-10-15"]) == 1
    out = capsys.readouterr().out
    assert "No path from Megvii to listed within 6 steps (as of 2025-10-15)." in out
    assert "Note: Megvii was on the DoD Section 1260H Chinese Military Companies List until 2025-01-07." in out
