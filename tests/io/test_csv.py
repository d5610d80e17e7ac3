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
    # the row is kept with the share unknown (0..100), and the share as written is in its note
    assert (p.action, len(g.relations)) == ("kept", 2)
    kept = g.relations.iloc[1]
    assert (float(kept["share_min"]), float(kept["share_max"])) == (0.0, 100.0)
    assert "share as written: '150'" in kept["note"]


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


def test_unclosed_quote_names_the_line_and_keeps_the_next_row_out(tmp_path):
    """An opening quote never closed swallowed the next row ("kind is empty" on line 5, line 6
    gone): now the row is rejected with the line where the quote opened."""
    ents = ENTS + 'q,"Unclosed name,company\nq2,Next,company\n'
    g = gk.read_csv(write(tmp_path / "t", entities=ents))
    [p] = g.problems
    assert (p.line, p.column, p.action) == (4, "name", "rejected")
    assert "a quote opened on line 4 is never closed; the rows after it (line 5) were read into one cell" in p.message
    assert sorted(g.entities["id"]) == ["a", "b"]  # neither q nor the swallowed q2 is used as text


def test_quote_closed_rows_later_is_reported(tmp_path):
    ents = ENTS + 'q,"Unclosed name,company\nq2,Next,company\nq3,Third,company"\nc,C Ltd,company\n'
    g = gk.read_csv(write(tmp_path / "t", entities=ents))
    [p] = g.problems
    assert p.line == 4 and "is only closed on line 6; the rows after it (lines 5-6)" in p.message
    assert sorted(g.entities["id"]) == ["a", "b", "c"]


def test_multiline_note_is_not_a_swallowed_row(tmp_path):
    ents = 'id,name,kind,note\na,A Ltd,company,"first line\nsecond, with a comma"\n'
    g = gk.read_csv(write(tmp_path / "t", entities=ents), strict=True)
    assert g.entity("a")["note"] == "first line\nsecond, with a comma"


@pytest.mark.parametrize("codec, mark", [("utf-16", False), ("utf-16-le", True), ("utf-16-be", True),
                                         ("utf-16-le", False), ("utf-16-be", False)])
def test_utf16_files(tmp_path, codec, mark, caplog):
    """UTF-16 (Excel's "Unicode text") used to fail on byte 1; with or without a mark."""
    folder = tmp_path / "t"
    folder.mkdir()
    text = "id,name,kind\ns,商汤科技,company\n"
    data = (("\ufeff" if mark else "") + text).encode(codec)  # plain utf-16 writes its own mark
    (folder / "entities.csv").write_bytes(data)
    with caplog.at_level("INFO", logger="graphkit.io.csv"):
        g = gk.read_csv(folder, strict=True)
    assert g.entity("s")["name"] == "商汤科技"
    assert "UTF-16" in caplog.text


def test_bad_bytes_message_says_how_to_fix(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "entities.csv").write_bytes("id,name,kind\na,Müller,company\n".encode("latin-1"))
    with pytest.raises(ReadError) as info:
        gk.read_csv(folder)
    assert "save the file as UTF-8 (in Python: pass encoding='latin-1' or 'gb18030')" in str(info.value)


def test_a_quoted_address_with_commas_on_its_second_line_is_kept(tmp_path):
    ents = 'id,name,kind,note\na,Alpha Ltd,company,"Registered office:\nRoom 1, Floor 2, Building 3, Beijing"\nb,B Ltd,company,\n'
    g = gk.read_csv(write(tmp_path / "t", entities=ents), strict=True)
    assert sorted(g.entities["id"]) == ["a", "b"] and not g.problems
    assert g.entity("a")["note"].endswith("Building 3, Beijing")
