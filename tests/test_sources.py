"""Files and folders -> SourceResult: CSV/TSV (any delimiter, encodings, gzip), Parquet, NDJSON, xlsx, naming."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.sources import load_sources
from pipeline.tables import ROW


def _rows(table) -> list[dict]:
    return table.frame.collect().sort(ROW).drop(ROW).to_dicts()


def _one(result):
    assert not result.unreadable, result.unreadable
    assert len(result.tables) == 1, [t.name for t in result.tables]
    return result.tables[0]


@pytest.mark.parametrize(
    ("sep", "suffix"),
    [(",", ".csv"), (";", ".csv"), ("\t", ".tsv"), ("|", ".csv"), ("\t", ".txt"), (";", ".txt")],
)
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, sep: str, suffix: str):
    text = sep.join(["id", "name", "ssn"]) + "\n" + sep.join(["007", "Ann, Jr.", "012-34-5678"]) + "\n"
    if sep == ",":
        text = text.replace("Ann, Jr.", '"Ann, Jr."')
    path = tmp_path / f"people{suffix}"
    path.write_text(text, encoding="utf-8")
    table = _one(load_sources([str(path)]))
    assert table.name == "people"
    assert _rows(table) == [{"id": "007", "name": "Ann, Jr.", "ssn": "012-34-5678"}]
    assert set(table.frame.collect_schema().values()) <= {pl.String, pl.UInt32, pl.UInt64}
    assert table.source_types == {"id": "string", "name": "string", "ssn": "string"}


def test_latin1_file_is_read_with_a_warning(tmp_path: Path):
    path = tmp_path / "names.csv"
    path.write_bytes("id,name\n1,Zoë Müller\n2,Renée\n".encode("cp1252"))
    table = _one(load_sources([str(path)]))
    assert [r["name"] for r in _rows(table)] == ["Zoë Müller", "Renée"]
    assert any("not valid UTF-8" in w for w in table.warnings)


def test_utf8_file_has_no_encoding_warning_and_bom_is_dropped(tmp_path: Path):
    path = tmp_path / "names.csv"
    path.write_bytes("\ufeffid,name\n1,Zoë\n".encode())
    table = _one(load_sources([str(path)]))
    assert _rows(table) == [{"id": "1", "name": "Zoë"}]
    assert table.warnings == []


def test_gzip_csv_is_named_without_suffixes(tmp_path: Path):
    path = tmp_path / "customers.csv.gz"
    path.write_bytes(gzip.compress(b"id,zip\n1,01234\n2,48201\n"))
    table = _one(load_sources([str(path)]))
    assert table.name == "customers"
    assert [r["zip"] for r in _rows(table)] == ["01234", "48201"]


def test_ragged_rows_are_counted_in_a_warning_and_other_rows_read(tmp_path: Path):
    path = tmp_path / "ragged.csv"
    path.write_text('a,b,c\n1,2,3\n4,5\n6,7,8,9\n"x,y",,z\n10,"multi\nline",12\n', encoding="utf-8")
    table = _one(load_sources([str(path)]))
    rows = _rows(table)
    assert rows[0] == {"a": "1", "b": "2", "c": "3"}
    assert {"a": "x,y", "b": None, "c": "z"} in rows
    assert {"a": "10", "b": "multi\nline", "c": "12"} in rows
    assert len(rows) == 5
    assert any(w.startswith("2 rows could not be parsed") for w in table.warnings), table.warnings


def test_unterminated_quote_keeps_rows_and_warns(tmp_path: Path):
    path = tmp_path / "quote.csv"
    path.write_text('a,b\n1,2\n3,"never closed\n5,6\n', encoding="utf-8")
    table = _one(load_sources([str(path)]))
    rows = _rows(table)
    assert rows[0] == {"a": "1", "b": "2"}
    assert any("malformed quoting" in w for w in table.warnings)


def test_empty_file_is_unreadable_and_header_only_is_an_empty_table(tmp_path: Path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "header.csv").write_text("id,ssn\n", encoding="utf-8")
    result = load_sources([str(tmp_path)])
    assert [u.path for u in result.unreadable] == [str(tmp_path / "empty.csv")]
    assert "empty file" in result.unreadable[0].error
    (table,) = result.tables
    assert table.name == "header" and table.frame.collect().height == 0
    assert table.frame.collect_schema().names() == [ROW, "id", "ssn"]


def test_binary_file_named_csv_is_unreadable(tmp_path: Path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = load_sources([str(path)])
    assert result.tables == []
    (bad,) = result.unreadable
    assert bad.path == str(path) and "binary" in bad.error


def test_embedded_nul_and_a_50_mb_field(tmp_path: Path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as fh:
        fh.write(b"id,blob,ssn\n1,a\x00b,012-34-5678\n2,")
        fh.write(b"x" * (50 << 20))
        fh.write(b",123-45-6789\n")
    table = _one(load_sources([str(path)]))
    df = table.frame.collect().sort(ROW)
    assert df["ssn"].to_list() == ["012-34-5678", "123-45-6789"]
    assert df["blob"].str.len_bytes().to_list() == [3, 50 << 20]


def test_parquet_keeps_integer_types_and_leading_zero_strings(tmp_path: Path):
    path = tmp_path / "payments.parquet"
    pl.DataFrame(
        {"id": [1, 2], "ssn": [12345678, 987654321], "zip": ["01234", "48201"], "amount": [1.5, 2.0]}
    ).write_parquet(path)
    table = _one(load_sources([str(path)]))
    assert table.source_types == {"id": "integer", "ssn": "integer", "zip": "string", "amount": "float"}
    assert _rows(table) == [
        {"id": "1", "ssn": "12345678", "zip": "01234", "amount": "1.5"},
        {"id": "2", "ssn": "987654321", "zip": "48201", "amount": "2"},
    ]


def test_corrupt_parquet_footer_is_unreadable(tmp_path: Path):
    good = tmp_path / "x.parquet"
    pl.DataFrame({"a": list(range(100))}).write_parquet(good)
    data = bytearray(good.read_bytes())
    data[-40:-8] = b"\xff" * 32
    good.write_bytes(bytes(data))
    result = load_sources([str(good)])
    assert result.tables == [] and "Parquet" in result.unreadable[0].error


def test_ndjson_plain_and_gzip_with_nested_values_and_bad_lines(tmp_path: Path):
    lines = [
        json.dumps({"id": 1, "name": "Ann", "card": {"number": "4111111111111111"}}),
        "this is not json",
        json.dumps({"id": 2, "name": "Bob", "card": None}),
    ]
    (tmp_path / "events.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "more.jsonl.gz").write_bytes(gzip.compress((lines[0] + "\n").encode()))
    result = load_sources([str(tmp_path)])
    assert not result.unreadable
    tables = {t.name: t for t in result.tables}
    events = tables["events"]
    rows = _rows(events)
    assert [r["name"] for r in rows] == ["Ann", "Bob"]
    assert rows[0]["card_number"] == "4111111111111111"  # a nested object's field is a column of its own
    assert events.source_types["id"] == "integer"
    assert any(w.startswith("1 lines could not be parsed") for w in events.warnings)
    assert _rows(tables["more"])[0]["name"] == "Ann"


def test_xlsx_every_sheet_is_a_table(tmp_path: Path):
    import xlsxwriter

    book = tmp_path / "export.xlsx"
    with xlsxwriter.Workbook(book) as wb:
        pl.DataFrame({"id": ["001", "002"], "ssn": ["012-34-5678", None]}).write_excel(
            wb, worksheet="customers"
        )
        pl.DataFrame({"account": ["000123456789"]}).write_excel(wb, worksheet="accounts")
    single = tmp_path / "one.xlsx"
    pl.DataFrame({"id": ["7"]}).write_excel(single, worksheet="Sheet1")
    result = load_sources([str(tmp_path)])
    assert not result.unreadable
    tables = {t.name: t for t in result.tables}
    assert set(tables) == {"customers", "accounts", "one"}
    assert tables["customers"].path == f"{book}#customers"
    assert _rows(tables["customers"]) == [{"id": "001", "ssn": "012-34-5678"}, {"id": "002", "ssn": None}]
    assert _rows(tables["accounts"]) == [{"account": "000123456789"}]


def test_same_stem_in_two_subfolders_is_disambiguated_by_relative_path(tmp_path: Path):
    for sub in ("2023", "2024"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "customers.csv").write_text(f"id\n{sub}\n", encoding="utf-8")
    (tmp_path / "orders.csv").write_text("id\n1\n", encoding="utf-8")
    result = load_sources([str(tmp_path)])
    assert sorted(t.name for t in result.tables) == ["2023/customers", "2024/customers", "orders"]


def test_include_and_exclude_globs(tmp_path: Path):
    for name in ("customers", "customers_old", "orders"):
        (tmp_path / f"{name}.csv").write_text("id\n1\n", encoding="utf-8")
    names = lambda **kw: sorted(t.name for t in load_sources([str(tmp_path)], **kw).tables)  # noqa: E731
    assert names(include=["customers*"]) == ["customers", "customers_old"]
    assert names(exclude=["*_old"]) == ["customers", "orders"]
    assert names(include=["customers*"], exclude=["*_old"]) == ["customers"]


def test_missing_input_and_unsupported_file_are_reported_and_the_rest_is_read(tmp_path: Path):
    (tmp_path / "ok.csv").write_text("id\n1\n", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(bytes(range(256)))
    (tmp_path / ".hidden.csv").write_text("id\n1\n", encoding="utf-8")
    result = load_sources([str(tmp_path), str(tmp_path / "nope.csv")])
    assert [t.name for t in result.tables] == ["ok"]
    assert {u.path for u in result.unreadable} == {str(tmp_path / "notes.bin"), str(tmp_path / "nope.csv")}


def test_content_decides_not_the_extension(tmp_path: Path):
    """A Parquet file named .csv is read as Parquet; a CSV without an extension is read as CSV."""
    pl.DataFrame({"n": [1, 2]}).write_parquet(tmp_path / "really_parquet.csv")
    (tmp_path / "export").write_text("id;name\n1;Ann\n", encoding="utf-8")
    result = load_sources([str(tmp_path)])
    tables = {t.name: t for t in result.tables}
    assert tables["really_parquet"].source_types == {"n": "integer"}
    assert _rows(tables["export"]) == [{"id": "1", "name": "Ann"}]


def test_sources_are_never_written(tmp_path: Path):
    (tmp_path / "a.csv").write_bytes("id,name\n1,Zoë\n".encode("cp1252"))
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(b"id\n1\n"))
    pl.DataFrame({"a": [1]}).write_parquet(tmp_path / "c.parquet")

    def snapshot():
        return {
            p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in tmp_path.iterdir()
        }

    before = snapshot()
    result = load_sources([str(tmp_path)])
    for t in result.tables:
        t.frame.collect()
    assert snapshot() == before


def test_json_array_file(tmp_path: Path):
    (tmp_path / "people.json").write_text(
        json.dumps([{"id": 1, "ssn": "012-34-5678"}, {"id": 2}]), encoding="utf-8"
    )
    table = _one(load_sources([str(tmp_path / "people.json")]))
    assert _rows(table) == [{"id": "1", "ssn": "012-34-5678"}, {"id": "2", "ssn": None}]
    assert table.source_types["id"] == "integer"


def test_odd_header_names_do_not_become_wildcards(tmp_path: Path):
    path = tmp_path / "odd.csv"
    path.write_text("*,^x$,__row,ssn\n1,2,3,4\n", encoding="utf-8")
    table = _one(load_sources([str(path)]))
    assert _rows(table) == [{"*_": "1", "^x$_": "2", "__row_": "3", "ssn": "4"}]


def test_utf16_file_with_bom(tmp_path: Path):
    path = tmp_path / "excel_export.csv"
    path.write_bytes("id\tname\r\n1\tZoë\r\n".encode("utf-16"))
    table = _one(load_sources([str(path)]))
    assert _rows(table) == [{"id": "1", "name": "Zoë"}]
    assert any("UTF-16" in w for w in table.warnings)


def test_row_shape_check_uses_the_scratch_pool_and_empties_it(tmp_path: Path):
    """The shape check's blocks come from sources.scratch_pool() and are all freed when the check returns:
    pyarrow's default pool (mimalloc) kept them for the rest of a scan (0.6 GB at 5 M rows), and a block still
    held by the reader's read-ahead when the interpreter exited aborted it. A fresh interpreter, so the default
    pool's high-water mark is this check's alone, and one that exits right after the read."""
    import subprocess
    import sys

    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n" + "1,2,3\n" * 20000 + "4,5\n6,7,8,9\n", encoding="utf-8")
    probe = (
        "import pyarrow as pa, sys\n"
        "from pipeline.sources import load_sources, scratch_pool\n"
        "(t,) = load_sources([sys.argv[1]]).tables\n"
        "print(t.warnings)\n"
        "print(pa.default_memory_pool().max_memory(), scratch_pool().max_memory(), scratch_pool().bytes_allocated())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert "2 rows could not be parsed" in out[0]
    default_peak, scratch_peak, scratch_now = map(int, out[1].split())
    assert default_peak == 0 and scratch_peak > 0 and scratch_now == 0


def test_a_headerless_part_of_a_split_file_takes_the_first_parts_header(tmp_path):
    """`split -l` keeps the header in the first part only: customers_002.csv's rows are the same columns, and their
    people count (until 2026-11-24 they were named column_0.. and counted for nobody); the parts are one table
    (tests/test_split_parts.py). A headerless file of another name stays positional (control)."""
    from pipeline.scan import run_scan

    head = "customer_id,first_name,last_name,ssn,state\n"
    (tmp_path / "customers_001.csv").write_text(head + "1,Ann,Lee,287-65-4321,MI\n2,Bob,Ray,301-22-4455,OH\n")
    (tmp_path / "customers_002.csv").write_text("3,Cy,Dunn,412-33-5566,MI\n4,Di,Fox,523-44-6677,MI\n")
    (tmp_path / "other.csv").write_text("5,Ed,Gray,634-55-7788,MI\n")
    result = run_scan([tmp_path])
    assert result.exposure["affected"] == {"michigan": 3, "other_states": 1, "unknown_residency": 0}
    tables = {t.name: t for t in result.source.tables}
    assert sorted(tables) == ["customers", "other"]
    customers = tables["customers"].frame.collect().sort("__row")
    assert customers.get_column("first_name").to_list() == ["Ann", "Bob", "Cy", "Di"]
    assert "first_name" not in tables["other"].frame.collect_schema().names()


def test_one_windows_1252_value_in_a_utf8_file_leaves_the_rest_utf8(tmp_path):
    """Éric Lefèvre typed on a Windows machine (cp1252 bytes) among UTF-8 rows: every name is still read (until
    2026-11-24 the whole file was decoded as cp1252, José became JosÃ© and the name columns were lost)."""
    from pipeline.scan import run_scan

    rows = ["first_name,last_name,ssn,state", "José,Núñez,287-65-4321,MI", "Zoë,Brontë,301-22-4455,MI"]
    rows += ["Ann,Avery,412-33-5566,MI"]
    data = ("\n".join(rows) + "\n").encode() + "Éric,".encode() + "Lefèvre,523-44-6677,MI\n".encode("cp1252")
    (tmp_path / "customers.csv").write_bytes(data)
    result = run_scan([tmp_path])
    assert result.exposure["affected"]["michigan"] == 4
    lasts = result.individuals.get_column("last_name").sort().to_list()
    assert lasts == ["Avery", "Brontë", "Lefèvre", "Núñez"]


def test_a_nul_inside_a_value_is_no_character_of_it(tmp_path):
    """A NUL a C program left inside a field (Sm\\x00ith, 287-65-4321\\x00) hid the name or the SSN: control
    characters are folded away like zero-width ones (445.63(r): no position of the number)."""
    from pipeline.scan import run_scan

    text = "first_name,last_name,ssn,state\nJohn,Sm\x00ith,287-65-4321,MI\nMary,Jones,301-22-4455\x00,MI\n"
    (tmp_path / "customers.csv").write_text(text)
    assert run_scan([tmp_path]).exposure["affected"]["michigan"] == 2
