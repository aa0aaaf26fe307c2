"""Export shapes real tools write (fourth review): mysqldump --tab's .sql + .txt pairs, CR-only line endings, title
and comment lines above a CSV header, paged reports, Oracle INSERTs with conversion calls, Parquet maps, NDJSON in
Windows-1252. Counts from MCL 445.63(p) by hand; a file read with losses says so; no raw value becomes a name."""

from __future__ import annotations

from pathlib import Path

from pipeline.scan import run_scan

# (first, last, ssn, state): whole SSNs (445.63(p)(i))
PEOPLE = [
    ("Ann", "Lee", "234-13-7394", "MI"),
    ("Bob", "Roe", "229-74-3327", "MI"),
    ("Cy", "Poe", "261-48-9013", "OH"),
]
CARDS = [(11, 1, "4539578763621486", "123"), (12, 3, "5192474116677372", "456")]


def _affected(result) -> tuple[int, int, int]:
    a = result.exposure["affected"]
    return a["michigan"], a["other_states"], a["unknown_residency"]


def _by_element(result) -> dict[str, int]:
    return result.exposure["affected_michigan_by_element"]


def _no_raw_values(out: Path, values: list[str]) -> None:
    for f in out.iterdir():  # one entry per output file
        if f.suffix in (".json", ".csv", ".md", ".html"):
            text = f.read_text(errors="replace")
            for v in values:  # one entry per raw value
                assert v not in text, (f.name, len(v))


def _tab_export(folder: Path) -> None:
    """What `mysqldump --tab` writes: X.sql (CREATE TABLE, keys, no rows) and X.txt (rows, tab-separated, \\N)."""
    folder.mkdir(parents=True)
    (folder / "customers.sql").write_text(
        "-- MariaDB dump 10.19\n\nDROP TABLE IF EXISTS `customers`;\nCREATE TABLE `customers` (\n"
        "  `cust_id` int(11) NOT NULL,\n  `first_name` varchar(40) DEFAULT NULL,\n"
        "  `last_name` varchar(40) DEFAULT NULL,\n  `ssn` varchar(11) DEFAULT NULL,\n"
        "  `state` char(2) DEFAULT NULL,\n  PRIMARY KEY (`cust_id`)\n) ENGINE=InnoDB;\n"
    )
    (folder / "cards.sql").write_text(
        "DROP TABLE IF EXISTS `cards`;\nCREATE TABLE `cards` (\n  `card_id` int(11) NOT NULL,\n"
        "  `cust_id` int(11) DEFAULT NULL,\n  `card_number` varchar(19) DEFAULT NULL,\n"
        "  `cvv` varchar(4) DEFAULT NULL,\n  PRIMARY KEY (`card_id`),\n  KEY `cust_id` (`cust_id`),\n"
        "  CONSTRAINT `cards_ibfk_1` FOREIGN KEY (`cust_id`) REFERENCES `customers` (`cust_id`)\n) ENGINE=InnoDB;\n"
    )
    # Cy's SSN is NULL (\N); Bob has no card
    rows = [(i + 1, f, la, s if i < 2 else "\\N", st) for i, (f, la, s, st) in enumerate(PEOPLE)]
    (folder / "customers.txt").write_text("".join("\t".join(map(str, r)) + "\n" for r in rows))
    (folder / "cards.txt").write_text("".join("\t".join(map(str, r)) + "\n" for r in CARDS))


def test_mysqldump_tab_rows_take_the_columns_and_keys_of_their_create_table(tmp_path):
    _tab_export(tmp_path / "in")
    result = run_scan([str(tmp_path / "in")], out_dir=tmp_path / "out")
    # Ann (SSN, card + cvv) and Bob (SSN) in MI; Cy (card + cvv) in OH: 445.63(p)(i), (p)(iii)
    assert _affected(result) == (2, 1, 0)
    assert _by_element(result) == {"ssn": 2, "drivers_license": 0, "financial_account": 1}
    tables = {t["name"]: t for t in result.exposure["tables"]}
    assert sorted(tables) == ["cards", "customers"]  # one table each, not an empty one beside it
    assert [c["name"] for c in tables["customers"]["columns"]] == [
        "cust_id",
        "first_name",
        "last_name",
        "ssn",
        "state",
    ]
    assert any("mysqldump --tab" in w for w in tables["customers"]["warnings"])
    assert [(k["from"], k["to"], k["source"]) for k in result.exposure["links"]] == [
        ("cards.cust_id", "customers.cust_id", "declared")
    ]
    assert result.exposure["unreadable"] == []


def test_a_declared_key_naming_a_missing_column_is_not_followed_and_never_stops_the_scan(tmp_path):
    # the .txt has one field more than the CREATE TABLE: not its rows, so the dump's customers (no rows) and the
    # .txt's customers (column_0 ...) are two tables of one name, and cards' key names a column one of them lacks
    _tab_export(tmp_path / "in")
    txt = tmp_path / "in" / "customers.txt"
    txt.write_text("".join(line + "\textra\n" for line in txt.read_text().splitlines()))
    result = run_scan([str(tmp_path / "in")], out_dir=tmp_path / "out")
    assert (tmp_path / "out" / "exposure.json").exists()
    names = sorted(t["name"] for t in result.exposure["tables"])
    assert "cards" in names and len(names) == 3


OTHERS = [
    ("Añna", "Kowalski", "287-65-4321", "MI"),
    ("Dan", "Ortiz", "301-22-4455", "MI"),
    ("Eve", "Novak", "212-33-5678", "OH"),
]


def _people_csv(sep: str = ",", people=PEOPLE) -> list[str]:
    return [sep.join(["cust_id", "first_name", "last_name", "ssn", "state"])] + [
        sep.join([str(i + 1), *p]) for i, p in enumerate(people)
    ]


def test_cr_only_line_endings_are_line_breaks(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # Excel for Mac's "CSV (Macintosh)": a bare CR after every line; the Windows-1252 copy is transcoded too
    (folder / "customers.csv").write_bytes(("\r".join(_people_csv()) + "\r").encode())
    (folder / "clients.csv").write_bytes(("\r".join(_people_csv(";", OTHERS)) + "\r").encode("cp1252"))
    result = run_scan([str(folder)], out_dir=tmp_path / "out")
    assert _affected(result) == (4, 2, 0)
    for table in result.exposure["tables"]:  # one entry per table
        assert [c["name"] for c in table["columns"]] == ["cust_id", "first_name", "last_name", "ssn", "state"]
        assert any("bare CR" in w for w in table["warnings"])
    _no_raw_values(tmp_path / "out", ["234-13-7394", "Lee\r"])


def test_a_crlf_file_is_not_read_as_cr_only(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # CRLF line breaks, and a bare CR inside a quoted value of a later row
    lines = _people_csv()
    lines[2] = lines[2].replace("Roe", '"Roe\rJr"')
    (folder / "customers.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode())
    result = run_scan([str(folder)])
    assert _affected(result) == (2, 1, 0)
    assert not any("bare CR" in w for w in result.exposure["tables"][0]["warnings"])


def test_a_column_name_that_is_lines_the_reader_did_not_split_is_never_shown():
    import polars as pl

    from pipeline.sources import safe_columns

    names = ["cust_id", "atm_pin\r1", "Ann", "x" * 300, "note\r\nline"]
    frame = safe_columns(pl.DataFrame({n: ["v"] for n in names}))
    assert frame.columns == ["cust_id", "column_1", "Ann", "column_3", "note\r\nline"]


def _scan_csv(tmp_path: Path, files: dict[str, str]):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():  # one entry per file
        (folder / name).write_bytes(text.encode())
    return run_scan([str(folder)], out_dir=tmp_path / "out")


def _columns(result) -> dict[str, list[str]]:
    return {t["name"]: [c["name"] for c in t["columns"]] for t in result.exposure["tables"]}


HEADER = ["cust_id", "first_name", "last_name", "ssn", "state"]


def test_title_lines_above_the_header_are_skipped_and_said(tmp_path):
    # a report writer's title lines (one with commas), a blank line, then the header; ';' as the delimiter
    files = {
        "customers.csv": "\r\n".join(
            ["ACME Bank - Customer Extract", "Run date: 11/20/2026,,", ""] + _people_csv()
        )
        + "\r\n",
        "clients.csv": "\n".join(
            ["Report:;Client Extract", "Generated:;2026-11-20", ";;;;"] + _people_csv(";", OTHERS)
        )
        + "\n",
    }
    result = _scan_csv(tmp_path, files)
    # every row whole: 4 in MI, 2 in OH, each with a whole SSN (445.63(p)(i))
    assert _affected(result) == (4, 2, 0)
    assert _columns(result) == {"customers": HEADER, "clients": HEADER}
    warnings = {t["name"]: t["warnings"] for t in result.exposure["tables"]}
    assert "header on line 4: 3 title, comment or blank line(s) above it skipped" in warnings["customers"]
    assert "header on line 4: 3 title, comment or blank line(s) above it skipped" in warnings["clients"]


def test_comment_lines_above_the_header_are_skipped_and_said(tmp_path):
    text = "\n".join(["# exported by acme-etl 3.2", "# table: customers, 3 rows"] + _people_csv()) + "\n"
    result = _scan_csv(tmp_path, {"customers.csv": text})
    assert _affected(result) == (2, 1, 0)
    assert _columns(result) == {"customers": HEADER}
    assert any("header on line 3" in w for w in result.exposure["tables"][0]["warnings"])


def test_a_header_that_is_not_below_a_title_stays_the_header(tmp_path):
    # a column named '#', rows one field wider than the header (a trailing comma), a headerless file: line 1 is
    # the header (or the first row) as before, and no line is skipped
    files = {
        "customers.csv": "\n".join(
            ["#," + ",".join(HEADER)] + [f"{i}," + r for i, r in enumerate(_people_csv()[1:])]
        )
        + "\n",
        "clients.csv": "\n".join([",".join(HEADER)] + [r + "," for r in _people_csv(",", OTHERS)[1:]]) + "\n",
    }
    result = _scan_csv(tmp_path, files)
    assert _affected(result) == (4, 2, 0)
    assert _columns(result)["customers"] == ["#", *HEADER]
    assert _columns(result)["clients"][:5] == HEADER
    for table in result.exposure["tables"]:  # one entry per table
        assert not any("header on line" in w for w in table["warnings"])


def test_a_paged_report_drops_its_repeated_headers_and_page_lines(tmp_path):
    # every 2 rows: a blank line, "Page N", the header again (report writers, print-to-file exports)
    def paged(lines: list[str]) -> str:
        out = [lines[0]]
        for i, row in enumerate(lines[1:]):  # one entry per row of a small test file
            if i and i % 2 == 0:
                out += ["", f"Page {i // 2 + 1} of 3", lines[0]]
            out.append(row)
        return "\r\n".join(out) + "\r\n"

    people = [
        ("Ann", "Lee", "MI"),
        ("Bob", "Roe", "MI"),
        ("Cy", "Poe", "MI"),
        ("Di", "Fox", "MI"),
        ("Ed", "Kay", "MI"),
    ]
    customers = ["cust_id,first_name,last_name,state"] + [
        f"{i + 1},{f},{la},{st}" for i, (f, la, st) in enumerate(people)
    ]
    cards = ["card_id,cust_id,card_number,cvv"] + [
        f"{20 + i},{i + 1},{n},{100 + i}"
        for i, n in enumerate(
            [
                "4539578763621486",
                "5192474116677372",
                "4916338506082832",
                "4024007103939509",
                "4532015112830366",
            ]
        )
    ]
    result = _scan_csv(tmp_path, {"customers.csv": paged(customers), "cards.csv": paged(cards)})
    # 5 Michigan customers, each with a card + its code (445.63(p)(iii)), linked by cards.cust_id
    assert _affected(result) == (5, 0, 0)
    assert _by_element(result)["financial_account"] == 5
    for table in result.exposure["tables"]:  # one entry per table
        assert table["rows"] == 5
        assert (
            "a paged report: 2 repeated header line(s) and 2 page line(s) (Page N) dropped"
            in table["warnings"]
        )
        assert not any("could not be parsed" in w for w in table["warnings"])


def test_a_value_that_says_page_is_kept_when_the_row_has_other_values(tmp_path):
    text = (
        "\n".join(["cust_id,first_name,last_name,ssn,note"] + ["1,Ann,Lee,234-13-7394,Page 2", "2,,,,"])
        + "\n"
    )
    result = _scan_csv(tmp_path, {"customers.csv": text})
    assert result.exposure["tables"][0]["rows"] == 2
    assert not any("paged report" in w for w in result.exposure["tables"][0]["warnings"])


ORACLE = """REM INSERTING into ACME.CUSTOMERS
SET DEFINE OFF;
{customers}
REM INSERTING into ACME.CARDS
SET DEFINE OFF;
Insert into ACME.CARDS (CARD_ID,CUST_ID,CARD_NUMBER,CVV) values (11,1,'4539578763621486','123');
Insert into ACME.CARDS (CARD_ID,CUST_ID,CARD_NUMBER,CVV) values (12,2,'5192474116677372','456');
"""


def _oracle(values: list[str]) -> str:
    head = "Insert into ACME.CUSTOMERS (CUST_ID,FIRST_NAME,LAST_NAME,SSN,DOB,STATE) values "
    return ORACLE.format(customers="\n".join(f"{head}({v});" for v in values))


def test_an_oracle_insert_export_reads_conversion_calls_as_their_literal(tmp_path):
    dates = [
        "to_date('1987-07-31','YYYY-MM-DD')",
        "CAST('1994-03-08' AS DATE)",
        "TO_TIMESTAMP('1951-11-05 00:00:00.000000000','YYYY-MM-DD HH24:MI:SS.FF')",
    ]
    values = [
        f"{i + 1},'{f}','{la}','{s}',{d},'{st}'"
        for i, ((f, la, s, st), d) in enumerate(zip(PEOPLE, dates, strict=True))
    ]
    result = _scan_csv(tmp_path, {"export.sql": _oracle(values)})
    # Ann and Bob in MI (SSN; Ann and Bob a card + cvv), Cy in OH (SSN): 445.63(p)(i), (p)(iii)
    assert _affected(result) == (2, 1, 0)
    assert _by_element(result) == {"ssn": 2, "drivers_license": 0, "financial_account": 2}
    tables = {t["name"]: t for t in result.exposure["tables"]}
    assert tables["CUSTOMERS"]["rows"] == 3 and tables["CUSTOMERS"]["warnings"] == []


def test_a_dump_table_whose_statements_cannot_be_parsed_is_said_never_dropped(tmp_path):
    # an unknown function around every row's value: the rows are lost, but the table and its loss are reported
    values = [
        f"{i + 1},'{f}','{la}','{s}',acme_pkg.decode_dob(42),'{st}'"
        for i, (f, la, s, st) in enumerate(PEOPLE)
    ]
    result = _scan_csv(tmp_path, {"export.sql": _oracle(values)})
    tables = {t["name"]: t for t in result.exposure["tables"]}
    assert tables["CUSTOMERS"]["rows"] == 0
    assert [c["name"] for c in tables["CUSTOMERS"]["columns"]] == [
        "CUST_ID",
        "FIRST_NAME",
        "LAST_NAME",
        "SSN",
        "DOB",
        "STATE",
    ]
    assert any("INSERT statement at line 3 is malformed" in w for w in tables["CUSTOMERS"]["warnings"])
    _no_raw_values(tmp_path / "out", ["234-13-7394"])


def test_a_dump_table_without_columns_whose_rows_cannot_be_parsed_is_unreadable(tmp_path):
    from pipeline.sources import load_sources

    path = tmp_path / "export.sql"
    path.write_text(
        "INSERT INTO customers VALUES (1,'Ann','Lee','234-13-7394',acme_pkg.decode_dob(42),'MI');\n"
    )
    result = load_sources([str(path)])
    assert result.tables == []
    assert [(u.path, u.error) for u in result.unreadable] == [
        (
            f"{path}#customers",
            "INSERT statement at line 1 is malformed after 0 rows: the rest of it was skipped",
        )
    ]


def test_a_parquet_map_column_is_read_not_the_whole_table_lost(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "in"
    folder.mkdir()
    table = pa.table(
        {
            "first_name": [p[0] for p in PEOPLE],
            "last_name": [p[1] for p in PEOPLE],
            "ssn": [p[2] for p in PEOPLE],
            "state": [p[3] for p in PEOPLE],
            # Spark / Hive / pyarrow dicts: MAP<string,string>
            "tags": pa.array(
                [[("segment", "retail")], [("segment", "private"), ("home_state", "MI")], []],
                type=pa.map_(pa.string(), pa.string()),
            ),
        }
    )
    pq.write_table(table, folder / "customers.parquet")
    result = run_scan([str(folder)], out_dir=tmp_path / "out")
    assert result.exposure["unreadable"] == []
    assert _affected(result) == (2, 1, 0)
    columns = _columns(result)["customers"]
    assert "tags_segment" in columns and "tags_home_state" in columns


def test_safe_error_keeps_type_names_and_drops_values():
    from pipeline.sources import safe_error

    said = safe_error(ValueError("cannot cast `map[str, str]` to `str` at 'Ann Lee' `234-13-7394`"))
    assert said == "ValueError: cannot cast `map[str, str]` to `str` at <value> <value>"
    assert (
        safe_error(ValueError("bad `list[struct[2]]` near `Lee`"))
        == "ValueError: bad `list[struct[2]]` near <value>"
    )


def test_json_in_windows_1252_is_transcoded_like_csv(tmp_path):
    import json

    folder = tmp_path / "in"
    folder.mkdir()
    people = [("Ann", "Lee", "234-13-7394"), ("José", "Peña", "229-74-3327"), ("Zoë", "Roe", None)]
    records = [
        {"cust_id": i + 1, "first_name": f, "last_name": la, "ssn": s, "state": "MI"}
        for i, (f, la, s) in enumerate(people)
    ]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    (folder / "customers.ndjson").write_bytes(text.encode("cp1252"))
    (folder / "clients.json").write_bytes(
        json.dumps([{**r, "cust_id": r["cust_id"] + 10} for r in records[1:2]], ensure_ascii=False).encode(
            "cp1252"
        )
    )
    cards = [
        {"card_id": 20 + i, "cust_id": i + 1, "card_number": n, "cvv": "123"}
        for i, n in enumerate(["4539578763621486", "5192474116677372", "6011542870722977"])
    ]
    (folder / "cards.ndjson").write_text("\n".join(json.dumps(c) for c in cards) + "\n")
    result = run_scan([str(folder)], out_dir=tmp_path / "out")
    # three Michigan customers, each a card + cvv (445.63(p)(iii)); Ann and José a whole SSN (445.63(p)(i))
    assert _affected(result) == (3, 0, 0)
    assert _by_element(result) == {"ssn": 2, "drivers_license": 0, "financial_account": 3}
    tables = {t["name"]: t for t in result.exposure["tables"]}
    assert tables["customers"]["rows"] == 3 and tables["clients"]["rows"] == 1
    for name in ("customers", "clients"):  # one entry per non-UTF-8 file
        assert (
            "file is not valid UTF-8; the bytes that are not read as Windows-1252 (Latin-1)"
            in tables[name]["warnings"]
        )
        assert not any("could not be parsed" in w for w in tables[name]["warnings"])


def test_a_sparse_first_row_of_a_headerless_file_is_not_a_title(tmp_path):
    rows = ["1,,,,MI", "2,Bob,Roe,229-74-3327,MI", "3,Cy,Poe,261-48-9013,OH", "4,Di,Fox,234-13-7394,MI"]
    result = _scan_csv(tmp_path, {"customers.csv": "\n".join(rows) + "\n"})
    table = result.exposure["tables"][0]
    assert table["rows"] == 4  # the first row kept, the columns named by position
    assert [c["name"] for c in table["columns"]] == [f"column_{i}" for i in range(5)]
    assert not any("header on line" in w for w in table["warnings"])
