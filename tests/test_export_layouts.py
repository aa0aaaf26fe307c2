"""Layouts real dumps come in (third red team): Excel title rows and headerless sheets, Excel's "sep=" hint,
UTF-16 JSON from PowerShell, and column names that are values. Counts from MCL 445.63(p) by hand; no raw value
may become a column name anywhere in the outputs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import xlsxwriter

from pipeline.scan import run_scan

PEOPLE = [
    ("Alice", "Kowalski", "MI", "287-65-4321"),
    ("Brian", "Novak", "OH", "301-22-4455"),
    ("Carla", "Diaz", "MI", "XXX-XX-1234"),  # redacted (445.63(r))
]


def _affected(result) -> tuple[int, int, int]:
    a = result.exposure["affected"]
    return a["michigan"], a["other_states"], a["unknown_residency"]


def _no_raw_ssn(out: Path) -> None:
    for f in out.iterdir():  # one entry per output file
        if f.suffix in (".json", ".csv", ".md", ".html"):
            text = f.read_text(errors="replace")
            assert "287-65-4321" not in text and "287654321" not in text, f.name


def test_excel_title_row_above_the_header(tmp_path):
    path = tmp_path / "in" / "export.xlsx"
    path.parent.mkdir()
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("Customers")
        ws.merge_range(0, 0, 0, 3, "ACME Credit Union - Customer Export 2026")
        for j, h in enumerate(["first_name", "last_name", "state", "ssn"]):
            ws.write(1, j, h)
        for i, row in enumerate(PEOPLE):
            for j, v in enumerate(row):
                ws.write(2 + i, j, v)
    result = run_scan([str(path.parent)], out_dir=tmp_path / "out")
    assert _affected(result) == (1, 1, 0)
    table = result.exposure["tables"][0]
    assert [c["name"] for c in table["columns"]] == ["first_name", "last_name", "state", "ssn"]
    assert any("title row" in w for w in table["warnings"])


def test_excel_sheet_without_a_header_never_names_a_column_by_a_value(tmp_path):
    path = tmp_path / "in" / "people.xlsx"
    path.parent.mkdir()
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("people")
        for i, row in enumerate(PEOPLE):
            for j, v in enumerate(row):
                ws.write(i, j, v)
    result = run_scan([str(path.parent)], out_dir=tmp_path / "out")
    table = result.exposure["tables"][0]
    assert [c["name"] for c in table["columns"]] == ["column_0", "column_1", "column_2", "column_3"]
    assert any("no header row" in w for w in table["warnings"])
    assert result.records.height == 3  # the first row is data, not lost as a header
    _no_raw_ssn(tmp_path / "out")


def test_excel_sep_hint_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = ["sep=;", "first_name;last_name;state;ssn"] + [";".join(p) for p in PEOPLE]
    (folder / "export.csv").write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    result = run_scan([str(folder)])
    assert _affected(result) == (1, 1, 0)
    assert any("sep=;" in w for w in result.exposure["tables"][0]["warnings"])


def test_utf16_json_from_powershell(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [dict(zip(["first_name", "last_name", "state", "ssn"], p, strict=True)) for p in PEOPLE]
    (folder / "people.json").write_text(json.dumps(rows, indent=4), encoding="utf-16")  # with a BOM
    result = run_scan([str(folder)], out_dir=tmp_path / "out")
    assert _affected(result) == (1, 1, 0)
    assert [c["name"] for c in result.exposure["tables"][0]["columns"]] == [
        "first_name",
        "last_name",
        "state",
        "ssn",
    ]
    _no_raw_ssn(tmp_path / "out")


def test_a_column_named_by_a_value_is_renamed_to_its_position(tmp_path):
    """A Parquet or CSV whose first data row became the header elsewhere: names holding an SSN, an account
    number or an e-mail are never shown."""
    folder = tmp_path / "in"
    folder.mkdir()
    frame = pl.DataFrame(
        {
            "first_name": ["Ann"],
            "last_name": ["Lee"],
            "287-65-4321": ["x"],
            "jane@example.org": ["y"],
            "amount": ["1"],
        }
    )
    frame.write_parquet(folder / "t.parquet")
    result = run_scan([str(folder)], out_dir=tmp_path / "out")
    names = [c["name"] for c in result.exposure["tables"][0]["columns"]]
    assert names == ["first_name", "last_name", "column_2", "column_3", "amount"]
    _no_raw_ssn(tmp_path / "out")
