"""Helpers for the source tests: the local database servers, and one synthetic database in every format.

Servers: PostgreSQL 127.0.0.1:5432 (postgres, trust) and MariaDB 127.0.0.1:3306 (root, no password).
Without them a database test is skipped with the reason; with env CI=true a missing server is a failure,
never a skip (CI runs scripts/services.sh first, so a missing server there is a real breakage).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from pipeline.tables import ROW

ROOT = Path(__file__).resolve().parents[1]
PG = dict(host="127.0.0.1", port=5432, user="postgres")
MY = dict(host="127.0.0.1", port=3306, user="root")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _unavailable(what: str, why: str) -> None:
    message = f"{what} not reachable ({why}); run scripts/services.sh"
    if _in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def need_postgres() -> None:
    try:
        import psycopg

        with psycopg.connect(**PG, dbname="postgres", connect_timeout=5):
            pass
    except Exception as exc:  # noqa: BLE001 - any failure means: no server for this test
        _unavailable(f"PostgreSQL {PG['host']}:{PG['port']}", type(exc).__name__)


def need_mariadb() -> None:
    try:
        import pymysql

        pymysql.connect(**MY, connect_timeout=5).close()
    except Exception as exc:  # noqa: BLE001
        _unavailable(f"MariaDB {MY['host']}:{MY['port']}", type(exc).__name__)


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if _in_ci():
            pytest.fail(f"CI=true and the {name} client is not installed", pytrace=False)
        pytest.skip(f"{name} client not installed")
    return path


@contextlib.contextmanager
def pg_database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards; yields its URI."""
    import psycopg

    need_postgres()
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(**PG, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def my_database(name: str) -> Iterator[str]:
    """A fresh MariaDB database, dropped afterwards; yields its URI."""
    import pymysql

    need_mariadb()
    conn = pymysql.connect(**MY, autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    conn.close()
    try:
        yield f"mysql://root@127.0.0.1:3306/{name}"
    finally:
        conn = pymysql.connect(**MY, autocommit=True)
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()


def pg_execute(uri: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute(sql)


def my_execute(database: str, sql: str) -> None:
    import pymysql

    conn = pymysql.connect(
        **MY, database=database, autocommit=True, client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS
    )
    with conn.cursor() as cur:
        cur.execute(sql)
        while cur.nextset():
            pass
    conn.close()


# ---------------------------------------------------------------- the synthetic multi-table database


def fixture_tables() -> dict[str, pl.DataFrame]:
    """data_fixtures/multi_table (every CSV, as strings) if it is there, else a small generated one."""
    folder = ROOT / "data_fixtures" / "multi_table"
    files = sorted(folder.rglob("*.csv")) if folder.is_dir() else []
    if files:
        return {f.stem: pl.read_csv(f, infer_schema=False) for f in files}
    return generated_tables()


def generated_tables(seed: int = 20261123, n: int = 60) -> dict[str, pl.DataFrame]:
    """Three linked tables with the characters that break naive dump parsers."""
    rng = np.random.default_rng(seed)
    first = np.array(["Ann", "Zoë", "O'Neil", "José", "Li", "Back\\slash"])
    last = np.array(["Smith", "D'Arcy", 'Quote"d', "Tab\tSep", "New\nLine", "Semi;colon"])
    ids = np.arange(1, n + 1)
    ssn = [f"{a:03d}-{b:02d}-{c:04d}" for a, b, c in rng.integers([1, 1, 1], [899, 99, 9999], size=(n, 3))]
    customers = pl.DataFrame(
        {
            "customer_id": [str(i) for i in ids],
            "first_name": list(first[rng.integers(0, len(first), n)]),
            "last_name": list(last[rng.integers(0, len(last), n)]),
            "ssn": [s if i % 7 else None for i, s in enumerate(ssn)],
            "state": ["MI" if i % 3 else "OH" for i in range(n)],
            "zip": [f"{int(z):05d}" for z in rng.integers(1000, 49999, n)],
        }
    )
    accounts = pl.DataFrame(
        {
            "account_id": [str(1000 + i) for i in range(n // 2)],
            "customer_id": [str(int(c)) for c in rng.choice(ids, n // 2)],
            "account_number": [f"{int(a):012d}" for a in rng.integers(10**6, 10**11, n // 2)],
            "pin": [f"{int(p):04d}" for p in rng.integers(0, 9999, n // 2)],
        }
    )
    notes = pl.DataFrame(
        {
            "note_id": [str(i) for i in range(n // 3)],
            "customer_id": [str(int(c)) for c in rng.choice(ids, n // 3)],
            "body": [
                'it\'s a \\ note, with "quotes";\nand a second line' if i % 2 else "plain"
                for i in range(n // 3)
            ],
        }
    )
    return {"customers": customers, "accounts": accounts, "notes": notes}


# ---------------------------------------------------------------- exports


def to_csv_folder(tables: dict[str, pl.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.write_csv(folder / f"{name}.csv")
    return folder


def to_parquet_folder(tables: dict[str, pl.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.write_parquet(folder / f"{name}.parquet")
    return folder


def _copy_text(value: str | None) -> str:
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _sql_literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _create(name: str, df: pl.DataFrame, quote: str = '"', schema: str = "") -> str:
    cols = ",\n".join(f"    {quote}{c}{quote} text" for c in df.columns)
    return f"CREATE TABLE {schema}{quote}{name}{quote} (\n{cols}\n);\n\n"


def to_pg_copy_dump(tables: dict[str, pl.DataFrame], path: Path) -> Path:
    """What pg_dump writes by default: CREATE TABLE, then COPY ... FROM stdin blocks."""
    out = ["--\n-- PostgreSQL database dump\n--\n\nSET standard_conforming_strings = on;\n\n"]
    for name, df in tables.items():
        out.append(_create(name, df, schema="public."))
    for name, df in tables.items():
        cols = ", ".join(df.columns)
        out.append(f"COPY public.{name} ({cols}) FROM stdin;\n")
        out.extend("\t".join(_copy_text(v) for v in row) + "\n" for row in df.iter_rows())
        out.append("\\.\n\n")
    path.write_text("".join(out), encoding="utf-8")
    return path


def to_pg_insert_dump(tables: dict[str, pl.DataFrame], path: Path, column_inserts: bool = False) -> Path:
    """pg_dump --inserts / --column-inserts."""
    out = ["--\n-- PostgreSQL database dump\n--\n\nSET standard_conforming_strings = on;\n\n"]
    for name, df in tables.items():
        out.append(_create(name, df, schema="public."))
        cols = f" ({', '.join(df.columns)})" if column_inserts else ""
        for row in df.iter_rows():
            out.append(
                f"INSERT INTO public.{name}{cols} VALUES ({', '.join(_sql_literal(v) for v in row)});\n"
            )
    path.write_text("".join(out), encoding="utf-8")
    return path


def to_sqlite_file(tables: dict[str, pl.DataFrame], path: Path) -> Path:
    conn = sqlite3.connect(path)
    for name, df in tables.items():
        conn.execute(
            f'CREATE TABLE "{name}" ({", ".join(f"{chr(34)}{c}{chr(34)} TEXT" for c in df.columns)})'
        )
        conn.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * df.width)})', df.iter_rows())
    conn.commit()
    conn.close()
    return path


def to_sqlite_dump(db: Path, path: Path) -> Path:
    """The sqlite3 shell's .dump when the shell is installed, else Python's iterdump (same statements)."""
    if shutil.which("sqlite3"):
        text = subprocess.run(
            ["sqlite3", str(db), ".dump"], capture_output=True, text=True, check=True
        ).stdout
    else:
        conn = sqlite3.connect(db)
        text = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    path.write_text(text, encoding="utf-8")
    return path


def to_xlsx(tables: dict[str, pl.DataFrame], path: Path) -> Path:
    import xlsxwriter

    with xlsxwriter.Workbook(path) as wb:
        for name, df in tables.items():
            df.write_excel(wb, worksheet=name, autofit=False)
    return path


def to_zip(folder: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    return path


def load_into_pg(tables: dict[str, pl.DataFrame], uri: str) -> None:
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        for name, df in tables.items():
            conn.execute(_create(name, df))
            with conn.cursor().copy(f'COPY "{name}" FROM STDIN') as copy:
                for row in df.iter_rows():
                    copy.write_row(row)


def load_into_mariadb(tables: dict[str, pl.DataFrame], database: str) -> None:
    import pymysql

    conn = pymysql.connect(**MY, database=database, autocommit=True, charset="utf8mb4")
    with conn.cursor() as cur:
        for name, df in tables.items():
            cur.execute(_create(name, df, quote="`"))
            cur.executemany(
                f"INSERT INTO `{name}` VALUES ({', '.join(['%s'] * df.width)})", list(df.iter_rows())
            )
    conn.close()


def pg_dump(database: str, path: Path, *args: str) -> Path:
    tool = need_tool("pg_dump")
    with open(path, "wb") as out:
        subprocess.run([tool, "-h", "127.0.0.1", "-U", "postgres", *args, database], stdout=out, check=True)
    return path


def mysqldump(database: str, path: Path, *args: str) -> Path:
    tool = shutil.which("mariadb-dump") or need_tool("mysqldump")
    with open(path, "wb") as out:
        subprocess.run([tool, "-h", "127.0.0.1", "-u", "root", *args, database], stdout=out, check=True)
    return path


# ---------------------------------------------------------------- comparing what was read


def contents(source) -> dict[str, list[tuple]]:
    """table name -> its rows as sorted tuples of strings ("" and null are the same: CSV cannot tell)."""
    out = {}
    for t in source.tables:
        df = t.frame.collect().sort(ROW).drop(ROW)
        df = df.select(sorted(df.columns)).with_columns(pl.all().fill_null(""))
        out[t.name] = sorted(df.iter_rows())
    return out


def expected_contents(tables: dict[str, pl.DataFrame]) -> dict[str, list[tuple]]:
    out = {}
    for name, df in tables.items():
        df = df.select(sorted(df.columns)).with_columns(pl.all().fill_null(""))
        out[name] = sorted(df.iter_rows())
    return out
