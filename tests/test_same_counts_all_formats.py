"""One database, every format: the same tables, the same rows, the same exposure counts and links.

The multi-table fixture (data_fixtures/multi_table, or a generated stand-in when it is absent) is exported at
test time as a CSV folder, a Parquet folder, pg_dump-style COPY / INSERT / column-INSERT files, a real pg_dump
and a real mysqldump of it loaded into the local servers, a SQLite file and its .dump, an xlsx workbook, a zip,
and the live PostgreSQL and MariaDB databases themselves. Every column is text in every format, so nothing
but the container differs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import dbutil
import pytest

from pipeline.sources import load_sources

FORMATS = [
    "csv_folder",
    "parquet_folder",
    "pg_copy_sql",
    "pg_inserts_sql",
    "pg_column_inserts_sql",
    "pg_dump_real",
    "mysqldump_real",
    "sqlite_file",
    "sqlite_dump",
    "xlsx",
    "zip",
    "postgresql_live",
    "mariadb_live",
]
DB = "bs_sources_same_counts"


@pytest.fixture(scope="module")
def tables():
    return dbutil.fixture_tables()


@pytest.fixture(scope="module")
def reference(tables, tmp_path_factory):
    """The scan of the plain CSV folder: what every other format must reproduce."""
    from pipeline.scan import ScanOptions, run_scan

    folder = dbutil.to_csv_folder(tables, tmp_path_factory.mktemp("reference"))
    return _comparable(run_scan([str(folder)], options=ScanOptions(hash_key=b"k" * 32)).exposure)


@contextlib.contextmanager
def exported(fmt: str, tables, tmp: Path) -> Iterator[str]:
    """The database in one format; yields what to pass to load_sources / run_scan."""
    if fmt == "csv_folder":
        yield str(dbutil.to_csv_folder(tables, tmp / "csv"))
    elif fmt == "parquet_folder":
        yield str(dbutil.to_parquet_folder(tables, tmp / "parquet"))
    elif fmt == "pg_copy_sql":
        yield str(dbutil.to_pg_copy_dump(tables, tmp / "copy.sql"))
    elif fmt == "pg_inserts_sql":
        yield str(dbutil.to_pg_insert_dump(tables, tmp / "inserts.sql"))
    elif fmt == "pg_column_inserts_sql":
        yield str(dbutil.to_pg_insert_dump(tables, tmp / "column_inserts.sql", column_inserts=True))
    elif fmt == "pg_dump_real":
        with dbutil.pg_database(DB) as uri:
            dbutil.load_into_pg(tables, uri)
            path = dbutil.pg_dump(DB, tmp / "pg_dump.sql")
        yield str(path)
    elif fmt == "mysqldump_real":
        with dbutil.my_database(DB):
            dbutil.load_into_mariadb(tables, DB)
            path = dbutil.mysqldump(DB, tmp / "mysqldump.sql")
        yield str(path)
    elif fmt == "sqlite_file":
        yield str(dbutil.to_sqlite_file(tables, tmp / "db.sqlite"))
    elif fmt == "sqlite_dump":
        db = dbutil.to_sqlite_file(tables, tmp / "for_dump.sqlite")
        yield str(dbutil.to_sqlite_dump(db, tmp / "sqlite.sql"))
    elif fmt == "xlsx":
        yield str(dbutil.to_xlsx(tables, tmp / "workbook.xlsx"))
    elif fmt == "zip":
        folder = dbutil.to_csv_folder(tables, tmp / "to_zip")
        yield str(dbutil.to_zip(folder, tmp / "export.zip"))
    elif fmt == "postgresql_live":
        with dbutil.pg_database(DB) as uri:
            dbutil.load_into_pg(tables, uri)
            yield uri
    elif fmt == "mariadb_live":
        with dbutil.my_database(DB) as uri:
            dbutil.load_into_mariadb(tables, DB)
            yield uri
    else:
        raise AssertionError(fmt)


def _comparable(exposure: dict) -> dict:
    """What must not depend on the container: counts, tables (name, rows, classes), links."""
    return {
        "affected": exposure["affected"],
        "affected_michigan_by_element": exposure["affected_michigan_by_element"],
        "what_if": exposure["what_if"],
        "tables": sorted(
            (t["name"], t["rows"], tuple(sorted((c["name"], c["classified_as"]) for c in t["columns"])))
            for t in exposure["tables"]
        ),
        "links": sorted(
            (k["from"], k["to"], round(float(k["coverage"]), 6), k["source"]) for k in exposure["links"]
        ),
        "unreadable": exposure["unreadable"],
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_tables_rows_counts_and_links_in_every_format(fmt: str, tables, tmp_path: Path, request):
    from pipeline.scan import ScanOptions, run_scan

    with exported(fmt, tables, tmp_path) as source:
        loaded = load_sources([source])
        assert loaded.unreadable == [], loaded.unreadable
        # the part the readers own: same tables, same rows, as strings
        assert dbutil.contents(loaded) == dbutil.expected_contents(tables)
        # and what the scanner makes of them (the reference scan is made only once the rows agree)
        scanned = run_scan([source], options=ScanOptions(hash_key=b"k" * 32))
    assert _comparable(scanned.exposure) == request.getfixturevalue("reference")
