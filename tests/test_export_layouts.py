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


NESTED = [
    {
        "id": 1,
        "name": {"first": "Alice", "last": "Kowalski"},
        "address": {"city": "Detroit", "state": "MI", "zip": "48201"},
        "ssn": "287-65-4321",
        "cards": [],
    },
    {
        "id": 2,
        "name": {"first": "Brian", "last": "Novak"},
        "address": {"city": "Columbus", "state": "OH", "zip": "43004"},
        "ssn": "301-22-4455",
        "cards": [],
    },
    {
        "id": 3,
        "name": {"first": "Carla", "last": "Diaz"},
        "address": {"city": "Lansing", "state": "MI", "zip": "48933"},
        "ssn": "XXX-XX-1234",
        "cards": [],
    },
    {
        "id": 4,
        "name": {"first": "Eve", "last": "Muller"},
        "address": {"city": "Flint", "state": "MI", "zip": "48502"},
        "cards": [{"number": "4532019458073029", "cvv": "123"}],
    },
    {
        "id": 5,
        "name": {"first": "Frank", "last": "Lee"},
        "address": {"city": "Troy", "state": "MI", "zip": "48083"},
        "cards": [{"number": "5454541573681932", "cvv": None}],
    },
]


def test_nested_objects_and_lists_in_ndjson_and_parquet(tmp_path):
    """Objects become columns of their own (name_first, address_state); a list of cards is a table of the row's
    own cards, its CVV beside its number (445.63(p)(iii)). Alice and Eve in Michigan, Brian in Ohio; Frank's card has no
    code (numbers-alone reading only); Carla's SSN is masked."""
    folder = tmp_path / "nd"
    folder.mkdir()
    (folder / "customers.ndjson").write_text("\n".join(json.dumps(r) for r in NESTED) + "\n")
    result = run_scan([str(folder)])
    assert _affected(result) == (2, 1, 0)
    assert result.exposure["what_if"]["account_numbers_alone"] == 3  # Alice, Eve and Frank (MI)
    names = {c["name"]: c["classified_as"] for c in result.exposure["tables"][0]["columns"]}
    assert names["name_first"] == "first_name" and names["address_state"] == "state"
    assert names["address_city"] == "city" and "cards" not in names
    # the list of the customer's own cards is a table of its own rows, each the row's (documents.lists_as_tables)
    cards = next(t for t in result.exposure["tables"] if t["name"] == "customers (cards)")
    kinds = {c["name"]: c["classified_as"] for c in cards["columns"]}
    assert kinds["number"] == "card_number" and kinds["cvv"] == "access_code"
    pq = tmp_path / "pq"
    pq.mkdir()
    pl.read_ndjson(folder / "customers.ndjson").write_parquet(pq / "customers.parquet")
    assert _affected(run_scan([str(pq)])) == (2, 1, 0)


def test_json_payload_column_is_searched(tmp_path):
    """A compact JSON payload beside real name columns (an API log): its SSN and its card with CVV count."""
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [
        {
            "first_name": "Alice",
            "last_name": "Kowalski",
            "state": "MI",
            "payload": json.dumps({"ssn": "287-65-4321"}, separators=(",", ":")),
        },
        {
            "first_name": "Eve",
            "last_name": "Muller",
            "state": "MI",
            "payload": json.dumps({"card": "4532019458073029", "cvv": "123"}, separators=(",", ":")),
        },
        {
            "first_name": "Brian",
            "last_name": "Novak",
            "state": "OH",
            "payload": json.dumps({"order": "A-1", "total": 12}, separators=(",", ":")),
        },
    ]
    pl.DataFrame(rows).write_csv(folder / "api_log.csv")
    assert _affected(run_scan([str(folder)])) == (2, 0, 0)


def test_pg_dump_archives_say_how_to_read_them(tmp_path):
    """A custom-format dump (PGDMP magic) is reported unreadable with the command that makes it readable; a tar
    dump's restore.sql whose COPY reads a member file warns on that table instead of reading no rows silently."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "shop.dump").write_bytes(b"PGDMP\x01\x0e\x00\x04\x08\x01\x01" + bytes(200))
    (folder / "restore.sql").write_text(
        "CREATE TABLE public.customers (id integer, first_name text, last_name text, ssn text);\n"
        "COPY public.customers (id, first_name, last_name, ssn) FROM '$$PATH$$/3340.dat';\n"
    )
    result = run_scan([str(folder)])
    errors = {u.path.rsplit("/", 1)[-1]: u.error for u in result.source.unreadable}
    assert "pg_restore -f out.sql" in errors["shop.dump"]
    customers = next(t for t in result.exposure["tables"] if t["name"].endswith("customers"))
    assert any("pg_restore" in w for w in customers["warnings"])


def test_numbers_without_any_name_are_reported_not_silent(tmp_path):
    """A wide extract whose columns are field_1..field_n: the SSNs are found but no name column is (names are
    read by header), so nobody counts; the table says so. A table whose numbers link to names has no such
    warning."""
    folder = tmp_path / "in"
    folder.mkdir()
    pl.DataFrame(
        {
            "field_1": ["Alice", "Brian"],
            "field_2": ["Kowalski", "Novak"],
            "field_3": ["287-65-4321", "301-22-4455"],
        }
    ).write_csv(folder / "extract.csv")
    pl.DataFrame(
        {
            "cust_id": ["1", "2"],
            "first_name": ["Ann", "Bob"],
            "last_name": ["Lee", "Roe"],
            "state": ["MI", "MI"],
        }
    ).write_csv(folder / "customers.csv")
    pl.DataFrame({"cust_id": ["1", "2"], "ssn": ["452-19-8830", "518-07-3321"]}).write_csv(
        folder / "tax_ids.csv"
    )
    # names inside a JSON object are read as columns of their own (pipeline/documents.py; until 2026-11-24 its SSN
    # counted for nobody, with this warning): Lena counts, of unknown residency
    pl.DataFrame(
        {
            "user_id": ["u1", "u2"],
            "profile": [
                '{"name": {"first": "Lena", "last": "Lund"}, "ssn": "623-44-1098"}',
                '{"name": {"first": "Omar", "last": "Ali"}, "note": "none"}',
            ],
        }
    ).write_csv(folder / "users.csv")
    result = run_scan([str(folder)])
    warnings = {t["name"]: t["warnings"] for t in result.exposure["tables"]}
    assert any("count for nobody" in w for w in warnings["extract"])
    assert not any("count for nobody" in w for w in warnings["users"])
    assert any("JSON objects read as columns" in w for w in warnings["users"])
    assert not any("count for nobody" in w for w in warnings["tax_ids"])
    assert _affected(result) == (2, 0, 1)
