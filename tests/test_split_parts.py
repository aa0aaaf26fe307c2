"""The parts of a split file (customers_part1.csv + customers_part2.csv, users.csv.part_aa + .part_ab, with or without
a header on the later parts) are ONE table: a child table whose ids span the parts links to it as it links to the
whole file, and the split export counts what the whole one counts (until 2026-11-24 each part was a table of its own:
the address history linked to neither part and every candidate's residency was unknown)."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import polars as pl
import pytest

from pipeline.scan import ScanOptions, run_scan
from pipeline.sources import load_sources, split_groups
from pipeline.tables import ROW

CANDIDATES_HEADER = "cand_id,first_nm,last_nm,ssn"
CANDIDATES = [
    "K1,Alice,Morgan,301-22-4455",
    "K2,Brian,Keller,302-33-5566",
    "K3,Carla,Diaz,303-44-6677",
    "K4,Derek,Olsen,304-55-7788",
]
# several rows per candidate, ids spanning both parts of each file: Brian moved from Michigan to Ohio
ADDRESSES_HEADER = "cand_id,street,city,state,zip,current_flag"
ADDRESSES = [
    "K2,40 Grand River Ave,Detroit,MI,48226,N",
    "K1,12 Elm St,Detroit,MI,48201,Y",
    "K4,77 Lake Dr,Chicago,IL,60614,Y",
    "K2,9 Oak Ave,Toledo,OH,43604,Y",
    "K3,5 Pine Rd,Lansing,MI,48912,Y",
]
WHOLE = {"michigan": 2, "other_states": 2, "unknown_residency": 0}


def _csv(header: str | None, rows: list[str]) -> str:
    return "\n".join(([header] if header else []) + rows) + "\n"


def _split(
    header: str, rows: list[str], names: tuple[str, str], headers_on_later_parts: bool
) -> dict[str, str]:
    """The file cut in two as `split -l` (no header on the second part) or an export tool (a header on each)."""
    cut = len(rows) // 2
    return {
        names[0]: _csv(header, rows[:cut]),
        names[1]: _csv(header if headers_on_later_parts else None, rows[cut:]),
    }


def _whole_files() -> dict[str, str]:
    return {
        "candidates.csv": _csv(CANDIDATES_HEADER, CANDIDATES),
        "address_history.csv": _csv(ADDRESSES_HEADER, ADDRESSES),
    }


def _split_files(headers_on_later_parts: bool, style: int = 0) -> dict[str, str]:
    candidates = [
        ("candidates_part1.csv", "candidates_part2.csv"),
        ("candidates.csv.part_aa", "candidates.csv.part_ab"),
    ]
    addresses = [
        ("address_history_001.csv", "address_history_002.csv"),
        ("address_history-0.csv", "address_history-1.csv"),
    ]
    return {
        **_split(CANDIDATES_HEADER, CANDIDATES, candidates[style], headers_on_later_parts),
        **_split(ADDRESSES_HEADER, ADDRESSES, addresses[style], headers_on_later_parts),
    }


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():  # one entry per file
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def _findings(result) -> pl.DataFrame:
    return result.findings.select("element", "table", "column", "row", "masked_value", "residency").sort(
        pl.all()
    )


@pytest.mark.parametrize(
    "headers_on_later_parts", [False, True], ids=["headerless-parts", "header-on-each-part"]
)
@pytest.mark.parametrize("style", [0, 1], ids=["_part1+_001", ".part_aa+-0"])
def test_a_split_export_counts_what_the_whole_export_counts(tmp_path, headers_on_later_parts, style):
    whole = run_scan([_write(tmp_path / "whole", _whole_files())], None, ScanOptions(hash_key="k"))
    split_folder = _write(tmp_path / "split", _split_files(headers_on_later_parts, style))
    split = run_scan([split_folder], None, ScanOptions(hash_key="k"))
    assert whole.exposure["affected"] == WHOLE  # Alice, Carla in Michigan; Brian (now Ohio), Derek (Illinois)
    assert split.exposure["affected"] == whole.exposure["affected"]
    assert [t["name"] for t in split.exposure["tables"]] == [t["name"] for t in whole.exposure["tables"]]
    assert [t["rows"] for t in split.exposure["tables"]] == [t["rows"] for t in whole.exposure["tables"]]
    assert [(lk["from"], lk["to"]) for lk in split.exposure["links"]] == [
        (lk["from"], lk["to"]) for lk in whole.exposure["links"]
    ]
    # a finding's row is the row position in the table the parts make, as in the whole file
    assert _findings(split).equals(_findings(whole))


@pytest.mark.parametrize(
    "names",
    [
        ["customers_part1.csv", "customers_part2.csv", "customers_part3.csv"],
        ["customers_part_1.csv", "customers_part_2.csv", "customers_part_3.csv"],
        ["customers-001.csv", "customers-002.csv", "customers-003.csv"],
        ["customers_0.csv", "customers_1.csv", "customers_2.csv"],
        ["customers_chunk1.csv", "customers_chunk2.csv", "customers_chunk3.csv.gz"],
        ["customers.csv.part_aa", "customers.csv.part_ab", "customers.csv.part_ac"],
        ["customers.csv", "customers.csv.1", "customers.csv.2"],
        # numbered parts in their number's order, not the name's (_10 sorts before _2)
        ["customers_1.csv", "customers_2.csv", "customers_10.csv"],
    ],
)
def test_the_parts_are_one_table_in_part_order(tmp_path, names):
    import gzip

    header = "customer_id,first_name,last_name,ssn"
    rows = [f"{i},Ann{i},Lee,287-65-43{i:02d}" for i in range(1, 7)]
    for k, name in enumerate(names):  # one entry per part; the first keeps the header, the last has its own
        text = _csv(header if k != 1 else None, rows[2 * k : 2 * k + 2])
        if name.endswith(".gz"):
            (tmp_path / name).write_bytes(gzip.compress(text.encode()))
        else:
            (tmp_path / name).write_text(text)
    (tmp_path / "orders.csv").write_text("order_id,customer_id\n1,1\n")
    result = load_sources([str(tmp_path)])
    assert not result.unreadable
    tables = {t.name: t for t in result.tables}
    assert sorted(tables) == ["customers", "orders"]
    customers = tables["customers"]
    frame = customers.frame.collect().sort(ROW)
    assert frame.get_column(ROW).to_list() == list(range(6))  # the row position continues across the parts
    assert frame.get_column("customer_id").to_list() == [str(i) for i in range(1, 7)]
    assert frame.columns == [ROW, "customer_id", "first_name", "last_name", "ssn"]
    assert customers.path == str(tmp_path / names[0])
    assert customers.warnings[0] == (
        "assembled from 3 parts of a split file, appended in part order; row positions (a finding's row) by file: "
        f"{names[0]} rows 0-1, {names[1]} rows 2-3, {names[2]} rows 4-5"
    )


def test_parts_named_one_by_one_on_the_command_line_are_one_table(tmp_path):
    """`breachscan scan export/customers_part*.csv`: the shell names the parts, they are still one table."""
    files = _split_files(headers_on_later_parts=False)
    _write(tmp_path, files)
    result = load_sources([str(tmp_path / n) for n in sorted(files, reverse=True)])
    assert sorted(t.name for t in result.tables) == ["address_history", "candidates"]


def test_files_that_only_share_a_stem_stay_tables_of_their_own(tmp_path):
    """Files of one name in two folders, parts in two folders, and files numbered like periods or regions rather than
    parts of one file (a split numbers its parts from 0 or 1) stay tables of their own, as before."""
    header = "customer_id,first_name,last_name,ssn\n"
    _write(
        tmp_path,
        {
            "2023/customers.csv": header + "1,Ann,Lee,287-65-4321\n",
            "2024/customers.csv": header + "2,Bob,Ray,301-22-4455\n",
            "2023/orders_part1.csv": "order_id,customer_id\n1,1\n",
            "2024/orders_part2.csv": "order_id,customer_id\n2,2\n",
            "payments_2023.csv": "payment_id,customer_id\n1,1\n",
            "payments_2024.csv": "payment_id,customer_id\n2,2\n",
            "stores_mi.csv": "store_id,city\n1,Detroit\n",
            "stores_oh.csv": "store_id,city\n2,Toledo\n",
        },
    )
    result = load_sources([str(tmp_path)])
    assert sorted(t.name for t in result.tables) == [
        "2023/customers",
        "2024/customers",
        "orders_part1",
        "orders_part2",
        "payments_2023",
        "payments_2024",
        "stores_mi",
        "stores_oh",
    ]
    assert not any("parts of a split file" in w for t in result.tables for w in t.warnings)


def test_a_part_with_other_columns_stays_a_table_of_its_own_and_says_why(tmp_path):
    header = "customer_id,first_name,last_name,ssn\n"
    _write(
        tmp_path,
        {
            "customers_part1.csv": header + "1,Ann,Lee,287-65-4321\n",
            "customers_part2.csv": "2,Bob,Ray,301-22-4455\n",
            "customers_part3.csv": "customer_id,first_name,last_name,email\n3,Cy,Dunn,cy@example.com\n",
            "customers_part4.csv": "4,Di,Fox\n",
        },
    )
    tables = {t.name: t for t in load_sources([str(tmp_path)]).tables}
    assert sorted(tables) == ["customers", "customers_part3", "customers_part4"]
    assert tables["customers"].frame.select("customer_id").collect().to_series().sort().to_list() == [
        "1",
        "2",
    ]
    assert tables["customers"].warnings[0].startswith("assembled from 2 parts of a split file")
    assert tables["customers_part3"].warnings == [
        "named like a part of the split file customers, but its columns are not those of customers_part1.csv "
        "(without ssn; with email): read as a table of its own"
    ]
    assert tables["customers_part4"].warnings[-1] == (
        "named like a part of the split file customers, but it has no header and 3 columns where "
        "customers_part1.csv has 4: read as a table of its own"
    )


def test_split_tables_in_two_folders_keep_their_folders_names(tmp_path):
    header = "customer_id,first_name,last_name,ssn\n"
    for year, ssn in (("2023", "287-65-43"), ("2024", "301-22-44")):
        _write(
            tmp_path,
            {
                f"{year}/customers_part1.csv": header + f"1,Ann,Lee,{ssn}21\n",
                f"{year}/customers_part2.csv": f"2,Bob,Ray,{ssn}55\n",
            },
        )
    tables = {t.name: t for t in load_sources([str(tmp_path)]).tables}
    assert sorted(tables) == ["2023/customers", "2024/customers"]
    assert all(t.frame.collect().height == 2 for t in tables.values())


def _archive(kind: str, members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    if kind == "zip":
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, text in members.items():  # one entry per member
                zf.writestr(name, text)
    else:
        with tarfile.open(fileobj=buffer, mode="w:gz") as tf:
            for name, text in members.items():  # one entry per member
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_the_parts_of_a_split_file_inside_an_archive_are_one_table(tmp_path, kind):
    """Members of one folder of the archive, the second part stored first (the headerless part still finds the
    first part's header); a file of the same name in another folder of the archive stays a table of its own."""
    parts = _split_files(headers_on_later_parts=False)
    members = {f"export/{n}": parts[n] for n in sorted(parts, reverse=True)}
    members["archive/candidates_part3.csv"] = _csv(CANDIDATES_HEADER, ["K9,Erin,Moss,305-66-8899"])
    archive = tmp_path / f"export.{kind}"
    archive.write_bytes(_archive(kind, members))
    result = run_scan([archive], None, ScanOptions(hash_key="k"))
    assert result.exposure["affected"] == {"michigan": 2, "other_states": 2, "unknown_residency": 1}  # + Erin
    rows = {t["name"]: t["rows"] for t in result.exposure["tables"]}
    assert rows == {"address_history": 5, "candidates": 4, "candidates_part3": 1}
    candidates = next(t for t in result.source.tables if t.name == "candidates")
    assert candidates.path == f"{archive}!export/candidates_part1.csv"
    frame = candidates.frame.collect().sort(ROW)
    assert frame.get_column("cand_id").to_list() == ["K1", "K2", "K3", "K4"]


def test_groups_are_decided_by_name_and_folder_only():
    """What the Spark driver plans with: the parts' places, in part order, and nothing else grouped."""
    files = [
        ("a", "customers_part2.csv"),
        ("a", "customers_part1.csv"),
        ("b", "customers_part3.csv"),
        ("a", "orders.csv"),
        ("a", "users.csv"),
        ("a", "users.csv.1"),
        ("a", "x_1.csv"),
        ("a", "x_01.csv"),  # two files claim part 1: no order to read them in
    ]
    assert split_groups(files) == [[1, 0], [2], [3], [4, 5], [6], [7]]


def test_a_file_of_the_bare_name_is_the_first_part_only_with_the_parts_columns(tmp_path):
    """users.csv beside users.csv.1 (logrotate, `split` keeping the name) leads the parts when it has their columns;
    customers.csv of other columns beside customers_1.csv and customers_2.csv is another table, and the parts are
    still one table, named by their first part's file."""
    header = "customer_id,first_name,last_name,ssn\n"
    _write(
        tmp_path,
        {
            "users.csv": header + "1,Ann,Lee,287-65-4321\n",
            "users.csv.1": "2,Bob,Ray,301-22-4455\n",
            "customers.csv": "customer_id,email\n1,ann@example.com\n",
            "customers_1.csv": header + "3,Cy,Dunn,412-33-5566\n",
            "customers_2.csv": "4,Di,Fox,523-44-6677\n",
        },
    )
    tables = {t.name: t for t in load_sources([str(tmp_path)]).tables}
    assert sorted(tables) == ["customers", "customers_1", "users"]
    assert tables["users"].frame.collect().height == 2
    assert tables["customers"].warnings == []
    assert tables["customers_1"].frame.collect().sort(ROW).get_column("first_name").to_list() == ["Cy", "Di"]


def _customers_in_parts(folder: Path, later_header: bool = False) -> None:
    header = "customer_id,first_name,last_name,ssn"
    rows = [f"{i},Ann{i},Lee,287-65-43{i:02d}" for i in range(1, 7)]
    for k in range(3):  # one entry per part; split -l keeps the header on the first part only
        (folder / f"customers_part{k + 1}.csv").write_text(
            _csv(header if k == 0 or later_header else None, rows[2 * k : 2 * k + 2])
        )
    (folder / "orders.csv").write_text("order_id,customer_id\n1,1\n")


def _rows(result, table: str) -> list[str]:
    frame = {t.name: t for t in result.tables}[table].frame.collect().sort(ROW)
    return frame.get_column("customer_id").to_list()


@pytest.mark.parametrize("pattern", ["customers_part*.csv", "customers_part*", "*/customers_part*.csv"])
def test_exclude_patterns_match_the_part_files_by_their_own_paths(tmp_path, pattern):
    """`--exclude 'customers_part*.csv'` leaves the split table out: the pattern matches each part by its own file name
    or path (until 2026-11-25 only the joined table's name `customers` was matched, and the table was scanned)."""
    _customers_in_parts(tmp_path)
    result = load_sources([str(tmp_path)], exclude=[pattern])
    assert sorted(t.name for t in result.tables) == ["orders"]
    assert not result.unreadable


def test_a_pattern_without_a_slash_never_matches_the_folders_above_the_export(tmp_path):
    """The export sits under a folder the pattern names (`pytest-*`, tmp): without a '/' a pattern is matched
    against file names and paths inside the folder given, so it leaves nothing out here."""
    _customers_in_parts(tmp_path)
    assert "pytest" in str(tmp_path)
    result = load_sources([str(tmp_path)], exclude=["*pytest*"])
    assert sorted(t.name for t in result.tables) == ["customers", "orders"]


def test_excluding_one_part_keeps_the_other_parts_as_the_table_and_says_so(tmp_path):
    _customers_in_parts(tmp_path)
    result = load_sources([str(tmp_path)], exclude=["customers_part2.csv"])
    assert sorted(t.name for t in result.tables) == ["customers", "orders"]
    assert _rows(result, "customers") == [
        "1",
        "2",
        "5",
        "6",
    ]  # the headerless third part still has its columns
    customers = {t.name: t for t in result.tables}["customers"]
    assert customers.warnings[-1] == (
        "1 of the split file's 3 parts left out by --include / --exclude (customers_part2.csv): the table holds the "
        "other parts' rows only"
    )


@pytest.mark.parametrize(
    ("pattern", "rows"),
    [
        ("customers_part1.csv", ["1", "2"]),  # one part: still the table customers
        ("customers_part[23].csv", ["3", "4", "5", "6"]),
        ("customers*", ["1", "2", "3", "4", "5", "6"]),  # the joined table's name and every part's file
        ("customers", ["1", "2", "3", "4", "5", "6"]),  # the joined table by its name: all its parts
    ],
)
def test_include_patterns_match_the_part_files_and_the_joined_table(tmp_path, pattern, rows):
    _customers_in_parts(tmp_path, later_header=True)
    result = load_sources([str(tmp_path)], include=[pattern])
    assert sorted(t.name for t in result.tables) == ["customers"]
    assert _rows(result, "customers") == rows


def test_file_patterns_and_table_names_together(tmp_path):
    """A file pattern selects a plain file too (`*.csv`), and an exclude on the table's name still wins over an
    include that named its files."""
    _customers_in_parts(tmp_path, later_header=True)
    result = load_sources([str(tmp_path)], include=["*.csv"])
    assert sorted(t.name for t in result.tables) == ["customers", "orders"]
    result = load_sources([str(tmp_path)], include=["*.csv"], exclude=["customers"])
    assert sorted(t.name for t in result.tables) == ["orders"]
    result = load_sources([str(tmp_path)], exclude=["orders"])  # names as before
    assert sorted(t.name for t in result.tables) == ["customers"]
    assert _rows(result, "customers") == ["1", "2", "3", "4", "5", "6"]


def test_a_scan_with_a_part_left_out_counts_only_the_other_parts(tmp_path):
    _customers_in_parts(tmp_path, later_header=True)
    (tmp_path / "orders.csv").unlink()
    out = run_scan(
        [str(tmp_path)], out_dir=tmp_path / "out", options=ScanOptions(exclude=("customers_part3.csv",))
    )
    assert out.records.height == 4
    assert [t["name"] for t in out.exposure["tables"]] == ["customers"]
    assert [t["rows"] for t in out.exposure["tables"]] == [4]


@pytest.mark.parametrize("suffix", [".ndjson", ".jsonl", ".ndjson.gz", ".json"])
def test_json_parts_whose_records_have_other_optional_fields_are_one_table(tmp_path, suffix):
    """JSON records name their own fields: the parts of a split NDJSON export differ by the optional fields their
    records happen to have (a middle name, a second address line, a nested object). They are one table, the fields a
    part lacks null in its rows, the row positions continuous (until 2026-11-25 a part with another field was a table
    of its own, as a CSV part with another header still is)."""
    import gzip
    import json

    parts = [
        [
            {"id": 1, "first_name": "Ann", "ssn": "287-65-4301"},
            {"id": 2, "first_name": "Bo", "ssn": "287-65-4302"},
        ],
        [
            {"id": 3, "first_name": "Cy", "middle_name": "J", "ssn": "287-65-4303"},
            {"id": 4, "first_name": "Di", "address": {"state": "MI"}, "ssn": "287-65-4304"},
        ],
        [{"id": 5, "ssn": "287-65-4305", "phone": "555-0100"}],
    ]
    for k, records in enumerate(parts):  # one entry per part
        if suffix == ".json":
            text = json.dumps(records)
        else:
            text = "".join(json.dumps(r) + "\n" for r in records)
        path = tmp_path / f"people_part{k + 1}{suffix}"
        if suffix.endswith(".gz"):
            path.write_bytes(gzip.compress(text.encode()))
        else:
            path.write_text(text)
    other = b'[{"sku": "X1"}]' if suffix == ".json" else b'{"sku": "X1"}\n'  # another record type
    (tmp_path / f"people_part4{suffix}").write_bytes(
        gzip.compress(other) if suffix.endswith(".gz") else other
    )
    result = load_sources([str(tmp_path)])
    tables = {t.name: t for t in result.tables}
    assert sorted(tables) == ["people", "people_part4"]  # a part sharing no field is a table of its own
    people = tables["people"]
    frame = people.frame.collect().sort(ROW)
    assert frame.get_column(ROW).to_list() == [0, 1, 2, 3, 4]
    assert frame.columns == [ROW, "id", "first_name", "ssn", "middle_name", "address_state", "phone"]
    assert frame.rows() == [
        (0, "1", "Ann", "287-65-4301", None, None, None),
        (1, "2", "Bo", "287-65-4302", None, None, None),
        (2, "3", "Cy", "287-65-4303", "J", None, None),
        (3, "4", "Di", "287-65-4304", None, "MI", None),
        (4, "5", None, "287-65-4305", None, None, "555-0100"),
    ]
    assert people.warnings[0] == (
        "assembled from 3 parts of a split file, appended in part order; row positions (a finding's row) by file: "
        f"people_part1{suffix} rows 0-1, people_part2{suffix} rows 2-3, people_part3{suffix} rows 4-4"
    )
    assert "share no field" in tables["people_part4"].warnings[-1]


def test_csv_parts_with_other_headers_stay_tables_of_their_own(tmp_path):
    """The diagonal append is JSON's: a CSV part with another header is another export (unchanged)."""
    (tmp_path / "people_part1.csv").write_text("id,first_name,ssn\n1,Ann,287-65-4301\n")
    (tmp_path / "people_part2.csv").write_text("id,first_name,middle_name,ssn\n2,Bo,J,287-65-4302\n")
    assert sorted(t.name for t in load_sources([str(tmp_path)]).tables) == ["people_part1", "people_part2"]
