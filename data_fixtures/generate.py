"""Synthetic breach data for breachscan, with the counts a correct scanner must report.

    python data_fixtures/generate.py [--seed N] [--persons N] [--single-persons N] [--out DIR]

writes into DIR (default: this folder)
    single_table/          one table per file (CSV, TSV, ';' Latin-1, Parquet, NDJSON, CSV.gz), each scanned alone
    multi_table/           one database as a folder of CSV tables (hr/employees.csv in a subfolder)
    multi_table_links_remove.yaml   link config removing tickets.order_id -> orders.order_id
    bad/                   malformed inputs (binary .csv, empty, truncated .csv.gz, corrupt parquet, ragged CSV)
    expected.json          expected exposure counts per dataset, from the planted truth (_truth.py)

The oracle never looks at the scanner: every count comes from what the generator planted (see _truth.py for the
rules, each tied to its section of docs/counting-rules.md). Output is deterministic for a given seed.

Library use (benchmarks):
    from data_fixtures.generate import generate_database, generate_single_table
    counts = generate_database(seed, out_dir, n_persons=1_000_000, formats=("csv",))
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

if __package__ in (None, ""):  # run as a script: make "data_fixtures" importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_fixtures import _multi, _single  # noqa: E402
from data_fixtures import _truth as T  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_SEED = 20261123
DEFAULT_PERSONS = 600  # multi_table persons: about 2,000 records over 8 tables
DEFAULT_SINGLE_PERSONS = 300  # per single-table file

LINKS_REMOVE_FILE = "multi_table_links_remove.yaml"
REMOVED_LINK = {"from": "tickets.order_id", "to": "orders.order_id"}
LINKS_ADD_FILE = "multi_table_links_add.yaml"
ADDED_LINK = {"from": "callbacks.caller_ref", "to": "customers.customer_id"}
CONTRACT_KEYS = (
    "affected",
    "affected_michigan_by_element",
    "what_if",
    "unknown_residency_as_michigan",
    "rejected_ssn",
)


# --- single tables -------------------------------------------------------------------------------------------
def generate_single_table(seed: int, out_dir, n: int = DEFAULT_SINGLE_PERSONS) -> dict[str, dict]:
    """Write every single-table file into out_dir; return {file name: expected counts}."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    expected = {}
    for builder in _single.BUILDERS:
        ds = builder(seed, n)
        _single.write(ds, out / ds.name)
        expected[ds.name] = {**T.expected_counts(ds.facts, text_keys=ds.text_keys), "traps": ds.traps}
    return expected


# --- one database ----------------------------------------------------------------------------------------------
def write_database(db: _multi.Database, out_dir, formats=("csv",)) -> None:
    """One format: tables straight into out_dir; several: out_dir/<format>/ each (a folder is one database)."""
    out = Path(out_dir)
    for fmt in formats:
        base = out if len(formats) == 1 else out / fmt
        for rel, frame in db.tables.items():
            path = base / f"{rel}.{fmt}"
            path.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "csv":
                path.write_bytes(frame.write_csv().encode("utf-8"))
            elif fmt == "parquet":
                buf = io.BytesIO()
                frame.write_parquet(buf, compression="zstd", statistics=False)
                path.write_bytes(buf.getvalue())
            elif fmt == "ndjson":
                path.write_bytes(frame.write_ndjson().encode("utf-8"))
            else:
                raise ValueError(f"unknown format {fmt}")


def database_counts(db: _multi.Database, removed_links=(), added_links=()) -> dict:
    """Counts under a link config. Links a scanner cannot infer (callbacks.caller_ref) are absent unless added."""
    added = {f"{r['from']}->{r['to']}" for r in added_links}
    removed = frozenset({f"{r['from']}->{r['to']}" for r in removed_links} | (_multi.NOT_INFERABLE - added))
    return T.expected_counts(db.facts, db.links, removed=removed, text_keys=db.text_keys)


def generate_database(
    seed: int, out_dir, n_persons: int = DEFAULT_PERSONS, formats=("csv",), removed_links=(), added_links=()
) -> dict:
    """Write the multi-table database; return its expected counts (under a link config, if given)."""
    db = _multi.build(seed, n_persons)
    write_database(db, out_dir, formats)
    return database_counts(db, removed_links, added_links)


def _yaml_link(link: dict) -> str:
    return f'    - {{from: "{link["from"]}", to: "{link["to"]}"}}\n'


def links_remove_yaml() -> str:
    return (
        "# breachscan link config: drop the inferred link from support tickets to orders.\n"
        "# Tickets that carry only an order_id are then no longer linked to a customer (no name reaches them).\n"
        "links:\n"
        "  add: []\n"
        "  remove:\n" + _yaml_link(REMOVED_LINK)
    )


def links_add_yaml() -> str:
    return (
        "# breachscan link config: link the call log to customers. Only ~40% of caller_ref values are customer\n"
        "# ids (the rest belong to archived customers), so no scanner should infer this link on its own.\n"
        "links:\n"
        "  add:\n" + _yaml_link(ADDED_LINK) + "  remove: []\n"
    )


# --- malformed inputs ----------------------------------------------------------------------------------------------
RAGGED_HEADER = "first_name,last_name,ssn,state,zip,note"


def generate_bad(seed: int, out_dir) -> dict[str, dict]:
    """Malformed files. Only ragged.csv has good rows; its ragged rows carry no element, so its counts are the
    same whether a reader drops them or pads / truncates them."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 900])
    raw = rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()
    (out / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + raw)
    (out / "empty.csv").write_bytes(b"")

    ds = _single.customers(seed + 1, 60)
    data = ds.frame.write_csv().encode("utf-8")
    gz = gzip.compress(data, mtime=0)
    (out / "truncated.csv.gz").write_bytes(gz[: len(gz) // 2])

    buf = io.BytesIO()
    ds.frame.write_parquet(buf, compression="zstd", statistics=False)
    pq = bytearray(buf.getvalue())
    # keep the trailing length + PAR1 magic, scramble the footer metadata before it
    for i in range(len(pq) - 40, len(pq) - 8):
        pq[i] = rng.integers(0, 256)
    (out / "corrupt_footer.parquet").write_bytes(bytes(pq))

    ragged, facts = _ragged(seed)
    (out / "ragged.csv").write_bytes(ragged.encode("utf-8"))
    unreadable = {
        "affected": {"michigan": 0, "other_states": 0, "unknown_residency": 0},
        "affected_michigan_by_element": {"ssn": 0, "drivers_license": 0, "financial_account": 0},
        "what_if": {"account_numbers_alone": 0, "encryption_key_compromised": 0},
        "unknown_residency_as_michigan": 0,
        "rejected_ssn": 0,
    }
    return {
        "binary.csv": {**unreadable, "unreadable": True},
        "empty.csv": {**unreadable, "unreadable": None},  # an empty table or unreadable: both acceptable
        "truncated.csv.gz": {**unreadable, "unreadable": True},
        "corrupt_footer.parquet": {**unreadable, "unreadable": True},
        "ragged.csv": {**T.expected_counts(facts), "unreadable": False},
    }


def _ragged(seed: int) -> tuple[str, pl.DataFrame]:
    from data_fixtures import _values as V

    rng = np.random.default_rng([seed, 901])
    pools = _single.name_pools(seed)
    n = 40
    first, last = pools.draw(rng, n)
    pool = V.NinePool(rng)
    ssn = V.ssn_format(rng, pool.valid(n), (1.0, 0.0, 0.0))
    mi = rng.random(n) < 0.6
    zips = np.where(mi, V.zfill(rng.integers(48001, 49972, n), 5), V.zfill(rng.integers(43001, 46000, n), 5))
    states = np.where(mi, "MI", "OH")
    lines = [RAGGED_HEADER]
    good = []
    for i in range(n):
        if i % 8 == 3:  # missing trailing fields, and no SSN
            lines.append(f"{first[i]},{last[i]}")
        elif i % 8 == 6:  # extra trailing fields, SSN empty
            lines.append(f"{first[i]},{last[i]},,{states[i]},{zips[i]},moved,see ticket,urgent")
        else:
            lines.append(f"{first[i]},{last[i]},{ssn[i]},{states[i]},{zips[i]},ok")
            good.append(i)
    g = np.array(good)
    facts = T.facts_frame(
        {
            "table": np.full(len(g), "ragged", dtype=object),
            "row": np.arange(len(g)),
            "pid": g,
            "named": np.ones(len(g), bool),
            "first_initial": np.array([f[0].lower() for f in first[g]], dtype=object),
            "last_name": np.char.lower(last[g]).astype(object),
            "ssn": np.full(len(g), T.UNREDACTED),
            "residency": np.where(mi[g], T.RES_MICHIGAN, T.RES_OTHER),
            "key_ssn": np.array([s.replace("-", "") for s in ssn[g]], dtype=object),
        }
    )
    return "\n".join(lines) + "\n", facts


# --- everything ----------------------------------------------------------------------------------------------------
def generate_all(
    seed: int = DEFAULT_SEED,
    out_dir=HERE,
    n_persons: int = DEFAULT_PERSONS,
    n_single: int = DEFAULT_SINGLE_PERSONS,
) -> dict:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    datasets: dict[str, dict] = {}
    for name, counts in generate_single_table(seed, out / "single_table", n_single).items():
        datasets[f"single_table/{name}"] = {"path": f"single_table/{name}", "links_file": None, **counts}

    db = _multi.build(seed, n_persons)
    write_database(db, out / "multi_table")
    datasets["multi_table"] = {"path": "multi_table", "links_file": None, **database_counts(db)}
    (out / LINKS_REMOVE_FILE).write_text(links_remove_yaml(), encoding="utf-8")
    datasets["multi_table_links_remove"] = {
        "path": "multi_table",
        "links_file": LINKS_REMOVE_FILE,
        **database_counts(db, [REMOVED_LINK]),
    }
    (out / LINKS_ADD_FILE).write_text(links_add_yaml(), encoding="utf-8")
    datasets["multi_table_links_add"] = {
        "path": "multi_table",
        "links_file": LINKS_ADD_FILE,
        **database_counts(db, added_links=[ADDED_LINK]),
    }
    for name, counts in generate_bad(seed, out / "bad").items():
        datasets[f"bad/{name}"] = {"path": f"bad/{name}", "links_file": None, **counts}

    expected = {
        "generator": "data_fixtures/generate.py",
        "seed": seed,
        "persons": {"multi_table": n_persons, "single_table_each": n_single},
        "note": "counts follow docs/counting-rules.md; computed from planted truth by data_fixtures/_truth.py. "
        "'individuals' and 'records' are the oracle's own totals, not contract keys.",
        "datasets": datasets,
    }
    (out / "expected.json").write_text(
        json.dumps(expected, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    return expected


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--persons", type=int, default=DEFAULT_PERSONS, help="persons planted in multi_table")
    ap.add_argument(
        "--single-persons", type=int, default=DEFAULT_SINGLE_PERSONS, help="persons per single-table file"
    )
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    expected = generate_all(args.seed, args.out, args.persons, args.single_persons)
    for name, d in expected["datasets"].items():
        print(
            f"{name:45s} michigan={d['affected']['michigan']:>6} other={d['affected']['other_states']:>6} "
            f"unknown={d['affected']['unknown_residency']:>6}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
