"""What the trap tests share: a few rows per table written as CSV, scanned, and the affected counts read back.

Values are synthetic: hand-made SSA-valid SSN shapes, Luhn-valid non-test card numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.scan import ScanOptions, run_scan  # noqa: E402

PEOPLE = [
    ("John", "Smith"),
    ("Mary", "Jones"),
    ("Ahmed", "Khan"),
    ("Li", "Wei"),
    ("Rosa", "Diaz"),
    ("Tom", "Ng"),
]


def write(base: Path, tables: dict[str, list[dict]], parquet: dict[str, pl.DataFrame] | None = None) -> Path:
    """Each table's rows as `<base>/db/<name>.csv` (every column a string), Parquet frames beside them."""
    db = base / "db"
    db.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        frame = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}) if rows else pl.DataFrame()
        frame.write_csv(db / f"{name}.csv")
    for name, frame in (parquet or {}).items():
        frame.write_parquet(db / f"{name}.parquet")
    return db


def scan(db: Path, **opts) -> dict:
    """exposure.json of a scan of `db` with ScanOptions(**opts).

    Every trap export is also resolved by person groups (three buckets, as the Spark engine splits identity
    resolution): the individuals must be the very same (pipeline/person_groups.py)."""
    whole = run_scan([str(db)], out_dir=None, options=ScanOptions(**opts))
    grouped = run_scan([str(db)], out_dir=None, options=ScanOptions(**{**opts, "person_buckets": 3}))
    assert grouped.exposure == whole.exposure, "person groups changed the exposure"
    assert grouped.records.equals(whole.records), "person groups changed the records"
    assert grouped.individuals.equals(whole.individuals), "person groups changed the individuals"
    return whole.exposure


def affected(exposure: dict) -> tuple[int, int, int]:
    """(Michigan, other states, unknown residency)."""
    a = exposure["affected"]
    return a["michigan"], a["other_states"], a["unknown_residency"]


def counts(db: Path, **opts) -> tuple[int, int, int]:
    """affected(scan(db))."""
    return affected(scan(db, **opts))


def people_rows(n: int, **columns) -> list[dict]:
    """n rows of first/last name plus columns given as lists (or one value for every row)."""
    rows = []
    for i in range(n):
        row = {"first_name": PEOPLE[i][0], "last_name": PEOPLE[i][1]}
        for k, v in columns.items():
            row[k] = v[i] if isinstance(v, list) else v
        rows.append(row)
    return rows
