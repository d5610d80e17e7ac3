"""The investigator's CSV/Excel layout: line numbers, encodings, malformed rows."""

import pandas as pd
import pytest

import graphkit as gk
from graphkit.errors import GraphValidationError, ReadError

ENTS = "id,name,kind\na,A Ltd,company\nb,B Ltd,company\n"


def write(folder, **files):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_seed_reads_cleanly():
    g = gk.read_csv(gk.seed_path(), strict=True)
    assert len(g) >= 25 and len(g.relations) >= 30 and len(g.listings) >= 15
    assert g.problems == []


def test_problem_names_file_line_and_column(tmp_path):
    rels = "source,target,kind,share\na,b,owns,60\n\n\"a\",\"b\",owns,\"150\"\n"
    folder = write(tmp_path / "t", entities=ENTS, relations=rels)
    g = gk.read_csv(folder)
    (p,) = g.problems
    assert p.file.endswith("relations.csv") and p.line == 4 and p.column == "share"
    assert "over 100" in str(p) and "relations.csv:4" in str(p)
    assert len(g.relations) == 1


def test_line_numbers_count_multiline_cells(tmp_path):
    ents = 'id,name,kind,note\na,A Ltd,company,"two\nlines"\nb,B Ltd,compnay,\n'
    g = gk.read_csv(write(tmp_path / "t", entities=ents))
    (p,) = g.problems
    assert p.line == 4 and p.column == "kind"


def test_strict_raises_with_every_problem(tmp_path):
    rels = "source,target,kind\na,zz,owns\nb,a,knows\n"
    folder = write(tmp_path / "t", entities=ENTS, relations=rels)
    with pytest.raises(GraphValidationError) as info:
        gk.read_csv(folder, strict=True)
    lines = sorted((p.line, p.column) for p in info.value.problems)
    assert lines == [(2, "target"), (3, "kind")]


def test_too_many_cells_is_reported_not_dropped(tmp_path):
    ents = ENTS + "c,C, Ltd,company\n"
    g = gk.read_csv(write(tmp_path / "t", entities=ents))
    (p,) = g.problems
    assert p.line == 4 and "4 cells but the header has 3" in p.message


def test_wrong_encoding_names_line_and_column(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "entities.csv").write_bytes("id,name,kind\na,Soci\u00e9t\u00e9,company\n".encode("latin-1"))
    with pytest.raises(ReadError, match=r"entities.csv:2:7: .* not valid utf-8"):
        gk.read_csv(folder)
    g = gk.read_csv(folder, encoding="latin-1")
    assert g.entity("a")["name"] == "Soci\u00e9t\u00e9"


def test_bom_and_chinese_names(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "entities.csv").write_text("\ufeffid,name,kind,aliases\ns,商汤科技,company,SenseTime;Shang Tang\n",
                                         encoding="utf-8")
    g = gk.read_csv(folder, strict=True)
    assert g.entity("s")["aliases"] == ["SenseTime", "Shang Tang"]


def test_missing_required_column(tmp_path):
    folder = write(tmp_path / "t", entities="id,name\na,A\n")
    with pytest.raises(GraphValidationError, match="no column 'kind'"):
        gk.read_csv(folder, strict=True)


def test_empty_and_missing_files(tmp_path):
    folder = write(tmp_path / "t", entities="")
    with pytest.raises(ReadError, match="empty"):
        gk.read_csv(folder)
    with pytest.raises(ReadError, match="no entities.csv"):
        gk.read_csv(tmp_path)


def test_excel_rows_are_spreadsheet_rows(tmp_path):
    path = tmp_path / "case.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["company", "company"]}).to_excel(
            xl, sheet_name="entities", index=False)
        pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "kind": ["owns", "owns"],
                      "share": ["50", "101"]}).to_excel(xl, sheet_name="relations", index=False)
    g = gk.read_excel(path)
    (p,) = g.problems
    assert p.line == 3 and p.file.endswith("case.xlsx[relations]")


def test_missing_required_column_is_fatal_even_when_reporting(tmp_path):
    folder = write(tmp_path / "t", entities=ENTS, relations="source,kind\na,owns\n")
    with pytest.raises(GraphValidationError, match="relations table has no column 'target'"):
        gk.read_csv(folder)
