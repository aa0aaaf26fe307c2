"""Hostile input: malformed CSV and dump fragments never crash the reader, every failure is reported, the
valid rows around them are still read, and no error text carries a value from the data."""

from __future__ import annotations

import gzip
import random
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import dumps
from pipeline.sources import load_sources
from pipeline.tables import ROW

# values that must never show up in an error or warning (they stand for personal information)
SECRET_SSN = "987-65-4329"
SECRET_NAME = "Zebulon"

GOOD_ROWS = [(str(i), f"{SECRET_NAME}{i}", SECRET_SSN) for i in range(1, 6)]
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

junk = st.one_of(
    st.binary(min_size=1, max_size=60),
    st.text(alphabet="',\"();\\\n\t`$ -xX0NULL", min_size=1, max_size=40).map(str.encode),
    st.sampled_from([b"\x00\x00\x00", b"'", b'"', b"(", b"\\", b"\xff\xfe", b"INSERT INTO", b"\\.\n", b"*/"]),
)


def _messages(result) -> str:
    texts = [u.error for u in result.unreadable] + [w for t in result.tables for w in t.warnings]
    return "\n".join(texts)


def _collect_all(result) -> dict[str, pl.DataFrame]:
    return {t.name: t.frame.collect().sort(ROW) for t in result.tables}


def _no_secrets(result) -> None:
    text = _messages(result)
    assert SECRET_SSN not in text and SECRET_NAME not in text, text


# ---------------------------------------------------------------- CSV


def _csv(rows) -> bytes:
    return ("id,name,ssn\n" + "".join(",".join(r) + "\n" for r in rows)).encode()


@SETTINGS
@given(junk=junk, where=st.integers(min_value=0, max_value=len(GOOD_ROWS)), gz=st.booleans())
def test_csv_with_a_junk_line_never_crashes_and_rows_before_it_survive(junk: bytes, where: int, gz: bool):
    data = (
        _csv(GOOD_ROWS[:where])
        + junk.replace(b"\n", b" ")
        + b"\n"
        + _csv(GOOD_ROWS[where:])[len(b"id,name,ssn\n") :]
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("x.csv.gz" if gz else "x.csv")
        path.write_bytes(gzip.compress(data) if gz else data)
        result = load_sources([str(path)])
        frames = _collect_all(result)
        _no_secrets(result)
        assert result.tables or result.unreadable, "a failure must be reported"
        if result.tables:
            df = frames["x"]
            ids = set(df["id"].drop_nulls().to_list()) if "id" in df.columns else set()
            # rows before the junk line are never lost (a quote in the junk may swallow what follows,
            # but then the table carries a warning)
            clean_before = {r[0] for r in GOOD_ROWS[:where]}
            if clean_before and b"\x00" not in junk and b"\xff" not in junk:
                assert clean_before <= ids | set(df.get_column(df.columns[1]).to_list()), (ids, junk)
            if not {r[0] for r in GOOD_ROWS} <= ids:
                assert result.tables[0].warnings or result.unreadable, "lost rows without a word"


@SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes_as_csv_never_crash(data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.csv"
        path.write_bytes(data)
        result = load_sources([str(path)])
        _collect_all(result)
        assert len(result.tables) + len(result.unreadable) >= 1


# ---------------------------------------------------------------- dumps

DUMP_HEAD = "CREATE TABLE people (id integer PRIMARY KEY, name text, ssn text);\n"


def _insert(rows) -> str:
    return "INSERT INTO people VALUES " + ",".join(f"({a},'{b}','{c}')" for a, b, c in rows) + ";\n"


def _copy(rows) -> str:
    return "COPY people (id, name, ssn) FROM stdin;\n" + "".join("\t".join(r) + "\n" for r in rows) + "\\.\n"


@SETTINGS
@given(junk=junk, style=st.sampled_from(["insert", "copy", "mysql"]))
def test_dump_with_a_junk_statement_between_good_ones(junk: bytes, style: str):
    before, after = GOOD_ROWS[:2], GOOD_ROWS[2:]
    if style == "copy":
        body = _copy(before) + junk.decode("latin-1") + "\n;\n" + _copy(after)
        head = DUMP_HEAD
    elif style == "mysql":
        head = "-- MySQL dump 10.13\n" + DUMP_HEAD.replace("people", "`people`")
        body = _insert(before).replace("people", "`people`") + junk.decode("latin-1") + "\n;\n"
        body += _insert(after).replace("people", "`people`")
    else:
        head = DUMP_HEAD
        body = _insert(before) + junk.decode("latin-1") + "\n;\n" + _insert(after)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dump.sql"
        path.write_text(head + body, encoding="latin-1")
        result = load_sources([str(path)])
        frames = _collect_all(result)
        _no_secrets(result)
        ids = frames["people"]["id"].to_list() if "people" in frames else []
        # the statement before the junk is complete: its rows are always read
        assert ids[:2] == ["1", "2"], (ids, junk)
        if ids != ["1", "2", "3", "4", "5"]:
            assert _messages(result), "rows went missing without a warning"


@SETTINGS
@given(cut=st.integers(min_value=0, max_value=10_000), style=st.sampled_from(["insert", "copy"]))
def test_truncated_dump_keeps_every_complete_row_before_the_cut(cut: int, style: str):
    rows = [(str(i), f"{SECRET_NAME}{i}", SECRET_SSN) for i in range(1, 40)]
    if style == "copy":
        text = DUMP_HEAD + _copy(rows)
    else:
        text = DUMP_HEAD + "".join(_insert(rows[i : i + 7]) for i in range(0, len(rows), 7))
    cut = min(cut, len(text))
    prefix = text[:cut]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cut.sql"
        path.write_text(prefix, encoding="utf-8")
        result = load_sources([str(path)])
        frames = _collect_all(result)
        _no_secrets(result)
        got = frames["people"].drop(ROW).rows() if "people" in frames else []
        # every row whose text ends before the cut was read, exactly, and nothing else
        if style == "copy":
            complete = [r for r in rows if prefix.find("\t".join(r) + "\n") >= 0]
            # a partly written COPY line is read as a row with fewer fields: counted, not kept
            assert got[: len(complete)] == complete
        else:
            complete = [r for r in rows if prefix.find(f"({r[0]},'{r[1]}','{r[2]}')") >= 0]
            assert got == complete
        # a cut that falls exactly between statements leaves a valid, shorter dump: nothing to say
        between_statements = prefix.rstrip().endswith((";", "\\.")) or len(prefix) <= len(DUMP_HEAD)
        if len(got) < len(rows) and not between_statements:
            assert _messages(result), "a truncated dump must say so"


@SETTINGS
@given(
    values=st.lists(
        st.lists(st.one_of(st.none(), st.text(max_size=12), st.integers().map(str)), min_size=3, max_size=3),
        min_size=1,
        max_size=8,
    ),
    esc=st.booleans(),
)
def test_vector_decoder_matches_exact_parser_on_any_literal(values, esc: bool):
    def lit(v):
        if v is None:
            return "NULL"
        if v.lstrip("-").isascii() and v.lstrip("-").isdigit():  # '²' is a Unicode digit, not a SQL number
            return v
        if esc:
            return (
                "'"
                + v.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\x00", "\\0")
                + "'"
            )
        return "'" + v.replace("'", "''") + "'"

    payload = ",".join("(" + ",".join(lit(v) for v in row) + ")" for row in values) + ";"
    frame, bad, broken = dumps.insert_payloads_to_frame([payload], ["a", "b", "c"], esc)
    exact, status = dumps._parse_insert_values(payload, 0, esc)
    assert status == "ok"
    assert broken == [] and bad == 0
    assert frame.drop(dumps.STMT).rows() == exact
    assert [tuple(r) for r in values] == exact


def test_errors_never_quote_cell_values(tmp_path: Path):
    """polars quotes the offending field in its parse errors; what reaches a report must not."""
    (tmp_path / "a.csv").write_text(f'id,ssn\n1,"{SECRET_SSN}\n2,x\n', encoding="utf-8")
    (tmp_path / "b.sql").write_text(
        DUMP_HEAD + f"INSERT INTO people VALUES (1,'{SECRET_NAME}','{SECRET_SSN}') garbage ({SECRET_SSN});\n",
        encoding="utf-8",
    )
    (tmp_path / "c.ndjson").write_text(
        f'{{"ssn": "{SECRET_SSN}"}}\n{{"ssn": {SECRET_SSN}\n', encoding="utf-8"
    )
    pl.DataFrame({"ssn": [SECRET_SSN]}).write_parquet(tmp_path / "d.parquet")
    data = bytearray((tmp_path / "d.parquet").read_bytes())
    data[-30:-8] = SECRET_SSN.encode().ljust(22, b"\xff")
    (tmp_path / "d.parquet").write_bytes(bytes(data))
    result = load_sources([str(tmp_path)])
    _collect_all(result)
    assert _messages(result), "each of these files has something to report"
    _no_secrets(result)


def test_one_bad_file_does_not_stop_the_rest(tmp_path: Path):
    rnd = random.Random(5)
    (tmp_path / "bin.csv").write_bytes(bytes(rnd.randrange(256) for _ in range(4096)))
    (tmp_path / "cut.csv.gz").write_bytes(gzip.compress(_csv(GOOD_ROWS))[:30])
    (tmp_path / "empty.sql").write_text("", encoding="utf-8")
    (tmp_path / "good.csv").write_bytes(_csv(GOOD_ROWS))
    result = load_sources([str(tmp_path)])
    assert [t.name for t in result.tables] == ["good"]
    assert result.tables[0].frame.collect().height == len(GOOD_ROWS)
    assert sorted(Path(u.path).name for u in result.unreadable) == ["bin.csv", "cut.csv.gz", "empty.sql"]


def test_safe_error_drops_quoted_and_trailing_row_text():
    from pipeline.sources import safe_error

    exc = ValueError(f"CSV parse error: Expected 3 columns, got 2: 4,{SECRET_SSN}\nmore")
    assert safe_error(exc) == "ValueError: CSV parse error: Expected 3 columns, got 2"
    exc = RuntimeError(f"could not parse `{SECRET_SSN}` as dtype 'i64' for \"{SECRET_NAME}\"")
    assert SECRET_SSN not in safe_error(exc) and SECRET_NAME not in safe_error(exc)


# ---------------------------------------------------------------- UTF-16 without a byte-order mark, NUL padding

PEOPLE_CSV = (
    f"id,first_name,last_name,ssn\r\n1,José,Núñez,{SECRET_SSN}\r\n2,Zoë,{SECRET_NAME},{SECRET_SSN}\r\n"
)
PEOPLE_ROWS = [("1", "José", "Núñez", SECRET_SSN), ("2", "Zoë", SECRET_NAME, SECRET_SSN)]


def _read_one(path: Path) -> tuple[list[tuple], list[str]]:
    result = load_sources([str(path)])
    assert result.unreadable == [], result.unreadable
    (table,) = result.tables
    _no_secrets(result)
    return table.frame.collect().sort(ROW).drop(ROW).rows(), table.warnings


def test_utf16_without_a_byte_order_mark_is_read_like_utf16_with_it(tmp_path: Path):
    """Some Windows export tools write UTF-16 without the mark: its NULs in every other byte made it "binary
    content" until 2026-11-24, and its people were not read at all."""
    (tmp_path / "bom.csv").write_bytes(PEOPLE_CSV.encode("utf-16"))
    assert _read_one(tmp_path / "bom.csv")[0] == PEOPLE_ROWS
    for order in ("le", "be"):
        path = tmp_path / f"{order}.csv"
        path.write_bytes(PEOPLE_CSV.encode(f"utf-16-{order}"))
        rows, warnings = _read_one(path)
        assert rows == PEOPLE_ROWS
        assert any("UTF-16" in w and "without a byte-order mark" in w for w in warnings), warnings
        gz = tmp_path / f"{order}.csv.gz"  # the same inside gzip: the decompressed bytes are sniffed alike
        gz.write_bytes(gzip.compress(PEOPLE_CSV.encode(f"utf-16-{order}")))
        assert _read_one(gz)[0] == PEOPLE_ROWS


def test_a_csv_padded_with_nul_bytes_is_read_without_them(tmp_path: Path):
    """A preallocated or block-padded export (NULs after the last record, or between records) was "binary
    content" until 2026-11-24; now the padding is dropped, counted in a warning, and every record is read."""
    body = PEOPLE_CSV.encode()
    cases = {
        "trailing.csv": body + bytes(4096),
        "between.csv": body.replace(b"\r\n1,", b"\r\n" + bytes(3000) + b"1,") + bytes(100),
        "before_break.csv": body.replace(b"\r\n2,", bytes(2000) + b"\r\n2,"),
        "start.csv": bytes(512) + body,
        # the head of the file is clean: the padding is found by the full pass that checks the encoding
        "beyond_the_head.csv": body
        + b"".join(b"%d,Ann,Lee,\r\n" % (i + 3) for i in range(8000))
        + bytes(70_000),
        "latin1.csv": PEOPLE_CSV.encode("cp1252") + bytes(5000),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        rows, warnings = _read_one(tmp_path / name)
        assert rows[:2] == PEOPLE_ROWS, name
        assert len(rows) == (8002 if name == "beyond_the_head.csv" else 2), name
        padding = data.count(0)
        assert (
            f"{padding} NUL characters of padding (between records or at the end of the file) dropped"
            in warnings
        )
    # a NUL inside a value is no padding: it stays (the detectors read it as no character), without a word
    (tmp_path / "inside.csv").write_bytes(body + b"3,John,Sm\x00ith,\r\n")
    rows, warnings = _read_one(tmp_path / "inside.csv")
    assert rows[2] == ("3", "John", "Sm\x00ith", None) and warnings == []


def test_a_dump_or_json_padded_with_nul_bytes_is_read_without_them(tmp_path: Path):
    """A .sql, .json or .ndjson padded with NULs (a preallocated or truncated file) is read as a padded CSV is: the
    padding dropped and counted in the table's warning (until 2026-11-25: Unreadable `text padded with NUL bytes`, or
    for a file whose padding lay beyond its first bytes `not parseable` / one unfinished statement)."""
    import gzip

    sql = b"CREATE TABLE people (id int, first_name varchar(20), last_name varchar(20));\n" + b"".join(
        b"INSERT INTO people VALUES (%d,'Ann','Lee');\n" % i for i in range(2000)
    )
    ndjson = b"".join(b'{"id":%d,"first_name":"Ann","last_name":"Lee"}\n' % i for i in range(2000))
    array = b"[" + b",".join(b'{"id":%d,"first_name":"Ann"}' % i for i in range(2000)) + b"]\n"
    cases = {
        "padded.sql": sql[:5000].rsplit(b"\n", 1)[0] + b"\n" + bytes(100_000),  # NULs in its first bytes too
        "beyond_the_head.sql": sql + bytes(4096),  # a clean head: only the end is padding
        "between.sql": sql.replace(
            b"\nINSERT INTO people VALUES (7,", b"\n" + bytes(700) + b"\nINSERT INTO people VALUES (7,"
        ),
        "cut.sql.gz": gzip.compress(sql + bytes(5000)),
        "padded.ndjson": ndjson[:5000].rsplit(b"\n", 1)[0] + b"\n" + bytes(100_000),
        "beyond_the_head.ndjson": ndjson + bytes(50),
        "between.jsonl": ndjson.replace(b'\n{"id":9,', b"\n" + bytes(64) + b'\n{"id":9,'),
        "cut.ndjson.gz": gzip.compress(ndjson + bytes(300)),
        "padded.json": array[:5000].rsplit(b",", 1)[0] + b"]\n" + bytes(100_000),
        "beyond_the_head.json": array + bytes(10),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = load_sources([str(tmp_path / name)])
        assert result.unreadable == [], name
        [table] = result.tables
        ids = table.frame.collect().sort(ROW).get_column("id").to_list()
        n = 2000 if "padded" not in name else len(ids)
        assert n > 50 and ids == [str(i) for i in range(n)], name
        padding = (gzip.decompress(data) if name.endswith(".gz") else data).count(0)
        assert table.warnings == [
            f"{padding} NUL characters of padding (between records or at the end of the file) dropped"
        ], name


def test_a_binary_file_stays_unreadable_with_its_cause(tmp_path: Path):
    import struct

    rnd = random.Random(11)
    cases = {
        "random.csv": bytes(rnd.randrange(256) for _ in range(4096)),
        # small 16-bit numbers: a NUL in every other byte, like UTF-16, but no text
        "int16.csv": struct.pack("<2000h", *(rnd.randrange(1, 31) for _ in range(2000))),
        # NULs inside records (fixed-width C structs), not between them
        "structs.csv": b"".join(struct.pack("<i12si", i, b"Ann", i * 7) for i in range(300)),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "zeroed.csv").write_bytes(bytes(100_000))
    result = load_sources([str(tmp_path)])
    assert result.tables == []
    errors = {Path(u.path).name: u.error for u in result.unreadable}
    assert errors == {
        "int16.csv": "binary content: not a supported data format",
        "random.csv": "binary content: not a supported data format",
        "structs.csv": "binary content: not a supported data format",
        "zeroed.csv": "NUL bytes only at its start (a zeroed or unwritten file): no header",
    }


@SETTINGS
@given(
    text=st.text(alphabet="\x00\n\r,ab", max_size=80),
    cuts=st.lists(st.integers(min_value=0, max_value=80), max_size=6),
)
def test_nul_padding_is_the_same_whatever_the_chunks(text: str, cuts: list[int]):
    """Padding is dropped by rule (NUL runs at the file's start or end, after or before a line break), and a run
    split across two chunks is judged as one."""
    import re

    from pipeline.sources import NulPadding

    expected = re.sub(r"\A\x00+|(?<=\n)\x00+|\x00+(?=[\r\n])|\x00+\Z", "", text)
    padding = NulPadding()
    bounds = [0, *sorted(min(c, len(text)) for c in cuts), len(text)]
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    got = "".join(padding.feed(p) for p in pieces[:-1]) + padding.feed(pieces[-1], final=True)
    assert got == expected
    assert padding.dropped == len(text) - len(expected)


# ---------------------------------------------------------------- Parquet with a corrupt data page


def test_a_corrupt_parquet_page_is_unreadable_with_its_cause_and_the_scan_goes_on(tmp_path: Path):
    """The footer is sound, a data page is not: until 2026-11-24 the file was taken as a table and failed only
    when the scanner evaluated it, reported as a bare "ComputeError". Now the read decodes every page once and
    the file is Unreadable with polars' own cause (no value in it); the other tables are scanned."""
    import json

    import pyarrow.parquet as pq

    from pipeline.scan import scan_and_report

    folder = tmp_path / "in"
    folder.mkdir()
    n = 3000
    people = pl.DataFrame(
        {
            "first_name": [SECRET_NAME] * n,
            "last_name": ["Avery"] * n,
            "ssn": [f"{100 + i % 800:03d}-{10 + i % 89:02d}-{1000 + i:04d}" for i in range(n)],
            "state": ["MI"] * n,
        }
    )
    people.write_parquet(folder / "broken.parquet", compression="zstd")
    chunk = pq.read_metadata(folder / "broken.parquet").row_group(0).column(2)  # the ssn column
    data = bytearray((folder / "broken.parquet").read_bytes())
    middle = chunk.data_page_offset + chunk.total_compressed_size // 2
    data[middle : middle + 32] = b"\xab" * 32
    (folder / "broken.parquet").write_bytes(bytes(data))
    people.head(2).write_parquet(folder / "good.parquet")

    result = load_sources([str(folder)])
    assert [t.name for t in result.tables] == ["good"]
    (bad,) = result.unreadable
    assert bad.path == str(folder / "broken.parquet")
    assert bad.error.startswith(
        "corrupt or unreadable Parquet: ComputeError: parquet: File out of specification"
    )
    _no_secrets(result)

    outcome = scan_and_report([folder], tmp_path / "out")
    assert outcome.result.exposure["affected"]["michigan"] == 2  # the good table's people
    exposure = json.loads((tmp_path / "out" / "exposure.json").read_text())
    assert exposure["unreadable"] == [{"path": bad.path, "error": bad.error}]
    assert bad.error in (tmp_path / "out" / "report.html").read_text()
