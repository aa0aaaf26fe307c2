"""A fast synthetic export for benchmarks: several linked tables, every detector kind, a fixed seed.

Everything is built column-wise with numpy and polars (no Python loop over rows), so ten million rows take
seconds, not minutes. Beside the export folder (never inside it: the scanner would read it) a truth folder
holds, per table and element column, what each cell really is, so precision and recall can be measured.

Per person (n persons): 1 customer, ~1.2 accounts, ~0.8 cards, ~0.5 tickets, ~2 orders: about 5.5 rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

# Element a cell truly holds (whole and readable): what a detector should report.
SSN, DL, FA, NONE = "ssn", "drivers_license", "financial_account", "none"

FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan "
    "Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty Mark Sandra Donald "
    "Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa "
    "George Deborah Timothy Stephanie Ronald Rebecca Jason Laura Edward Helen Jeffrey Sharon Ryan Cynthia"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall "
    "Rivera Campbell Mitchell Carter Roberts Kowalski Nowak Schmidt Novak Dubois Moreau Laurent Fischer"
).split()
STREETS = "Main Oak Maple Cedar Elm Washington Lake Hill Park Pine Jefferson Woodward Grand River".split()
# state, city, first ZIP, last ZIP (Michigan is most of the customers: the scanner's subject)
PLACES = [
    ("MI", "Lansing", 48901, 48980),
    ("MI", "Detroit", 48201, 48288),
    ("MI", "Grand Rapids", 49501, 49599),
    ("MI", "Ann Arbor", 48103, 48109),
    ("OH", "Toledo", 43601, 43699),
    ("IN", "Fort Wayne", 46801, 46899),
    ("IL", "Chicago", 60601, 60699),
    ("WI", "Milwaukee", 53201, 53299),
]
PLACE_P = [0.25, 0.2, 0.15, 0.1, 0.1, 0.07, 0.08, 0.05]
PRODUCTS = "SKU-1001 SKU-2044 SKU-3310 SKU-4127 SKU-5550 SKU-6001".split()


@dataclass
class Export:
    folder: Path
    truth_folder: Path
    rows: dict[str, int] = field(default_factory=dict)
    bytes: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _digits(rng: np.random.Generator, n: int, k: int, first_nonzero: bool = False) -> np.ndarray:
    d = rng.integers(0, 10, (n, k), dtype=np.int64)
    if first_nonzero and k:
        d[:, 0] = rng.integers(1, 10, n)
    return d


def _join_digits(d: np.ndarray) -> pl.Series:
    """(n, k) digit matrix -> n strings, through one fixed-width byte buffer (no loop over rows)."""
    n, width = d.shape
    buf = (d.astype(np.uint8) + ord("0")).tobytes()
    return pl.Series(np.frombuffer(buf, dtype=f"S{width}", count=n).astype(f"U{width}"), dtype=pl.String)


def _luhn_complete(d: np.ndarray) -> np.ndarray:
    """Append the Luhn check digit to each row of a digit matrix."""
    k = d.shape[1]
    rev = d[:, ::-1]
    doubled = rev.copy()
    doubled[:, 0::2] *= 2  # positions that get doubled once the check digit is appended
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    check = (10 - doubled.sum(axis=1) % 10) % 10
    out = np.empty((d.shape[0], k + 1), dtype=np.int64)
    out[:, :k] = d
    out[:, k] = check
    return out


def _aba_complete(d: np.ndarray) -> np.ndarray:
    """Eight digits -> nine with the ABA check digit: 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) = 0 mod 10."""
    s = 3 * (d[:, 0] + d[:, 3] + d[:, 6]) + 7 * (d[:, 1] + d[:, 4] + d[:, 7]) + (d[:, 2] + d[:, 5])
    check = (10 - s % 10) % 10
    return np.column_stack([d, check])


def _pick(rng, options: list[str], n: int, p=None) -> pl.Series:
    return pl.Series(np.asarray(options, dtype=object)[rng.choice(len(options), n, p=p)], dtype=pl.String)


def _kinds(rng, n: int, shares: dict[str, float]) -> np.ndarray:
    names = list(shares)
    return np.asarray(names)[rng.choice(len(names), n, p=list(shares.values()))]


def _ids(prefix: str, idx: np.ndarray, width: int) -> pl.Series:
    return pl.select(
        pl.concat_str([pl.lit(prefix), pl.Series(idx).cast(pl.String).str.zfill(width)])
    ).to_series()


def _ssns(rng, n: int) -> tuple[pl.Series, np.ndarray]:
    area = rng.integers(1, 900, n)
    area = np.where(area == 666, 667, area)
    group = rng.integers(1, 100, n)
    serial = rng.integers(1, 10000, n)
    group = np.where((area == 78) & (group == 5), 6, group)  # never a published sample number
    group = np.where((area == 219) & (group == 9), 10, group)
    group = np.where((area == 457) & (group == 55), 56, group)
    kind = _kinds(rng, n, {"dashed": 0.75, "plain": 0.08, "masked": 0.07, "invalid": 0.05, "empty": 0.05})
    area = np.where(kind == "invalid", rng.choice([0, 666], n), area)
    a = pl.Series(area).cast(pl.String).str.zfill(3)
    g = pl.Series(group).cast(pl.String).str.zfill(2)
    s = pl.Series(serial).cast(pl.String).str.zfill(4)
    frame = pl.DataFrame({"a": a, "g": g, "s": s, "k": kind})
    value = frame.select(
        pl.when(pl.col("k") == "plain")
        .then(pl.concat_str("a", "g", "s"))
        .when(pl.col("k") == "masked")
        .then(pl.concat_str(pl.lit("***-**-"), "s"))
        .when(pl.col("k") == "empty")
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.concat_str("a", "g", "s", separator="-"))
    ).to_series()
    truth = np.where(np.isin(kind, ["dashed", "plain"]), SSN, NONE)
    return value, truth


def _cards(rng, n: int) -> tuple[pl.Series, np.ndarray]:
    body = _digits(rng, n, 15)
    body[:, 0] = 4  # Visa
    full = _join_digits(_luhn_complete(body))
    kind = _kinds(rng, n, {"valid": 0.82, "masked": 0.1, "test": 0.03, "empty": 0.05})
    frame = pl.DataFrame({"v": full, "k": kind})
    value = frame.select(
        pl.when(pl.col("k") == "masked")
        .then(pl.concat_str(pl.lit("************"), pl.col("v").str.slice(12)))
        .when(pl.col("k") == "test")
        .then(pl.lit("4111111111111111"))
        .when(pl.col("k") == "empty")
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col("v"))
    ).to_series()
    return value, np.where(kind == "valid", FA, NONE)


def _tickets_text(rng, n: int) -> tuple[pl.Series, np.ndarray]:
    ssn, _ = _ssns(rng, n)
    ssn_ok = pl.DataFrame({"v": ssn}).select(pl.col("v").str.contains(r"^\d{3}-\d{2}-\d{4}$")).to_series()
    card, card_truth = _cards(rng, n)
    kind = _kinds(rng, n, {"ssn": 0.2, "card": 0.1, "order": 0.1, "plain": 0.6})
    kind = np.where((kind == "ssn") & ~ssn_ok.fill_null(False).to_numpy(), "plain", kind)
    kind = np.where((kind == "card") & (card_truth != FA), "plain", kind)
    frame = pl.DataFrame({"s": ssn, "c": card, "k": kind})
    value = frame.select(
        pl.when(pl.col("k") == "ssn")
        .then(
            pl.concat_str(pl.lit("Caller asked to update the SSN on file, new one is "), "s", pl.lit(" ok"))
        )
        .when(pl.col("k") == "card")
        .then(pl.concat_str(pl.lit("Payment with card "), "c", pl.lit(" was declined twice today")))
        .when(pl.col("k") == "order")
        .then(pl.lit("Customer asked where order 123-45-6789 is, shipped last week"))
        .otherwise(pl.lit("Customer asked about the billing statement for last month"))
    ).to_series()
    truth = np.select([kind == "ssn", kind == "card"], [SSN, FA], NONE)
    return value, truth


def generate(out_dir: Path | str, n_persons: int, seed: int = 20261123) -> Export:
    """Write the export to out_dir/export (CSV, one file per table) and the truth to out_dir/truth."""
    out = Path(out_dir)
    export = Export(out / "export", out / "truth")
    export.folder.mkdir(parents=True, exist_ok=True)
    export.truth_folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = n_persons
    tables: dict[str, tuple[pl.DataFrame, dict[str, np.ndarray]]] = {}

    # customers: names, contact, residency, SSN, Michigan licence
    place = rng.choice(len(PLACES), n, p=PLACE_P)
    st = np.asarray([p[0] for p in PLACES])[place]
    lo = np.asarray([p[2] for p in PLACES])[place]
    hi = np.asarray([p[3] for p in PLACES])[place]
    zips = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    first = _pick(rng, FIRST, n)
    last = _pick(rng, LAST, n)
    ssn, ssn_truth = _ssns(rng, n)
    dl_kind = _kinds(rng, n, {"mi": 0.6, "masked": 0.1, "empty": 0.3})
    letter = pl.Series(np.asarray(list("ABCDEFGHIJKLMNOPRSTW"))[rng.integers(0, 20, n)], dtype=pl.String)
    dl_digits = _join_digits(_digits(rng, n, 12))
    cust = pl.DataFrame(
        {
            "customer_id": _ids("C", np.arange(1, n + 1), 8),
            "first_name": first,
            "last_name": last,
            "num": rng.integers(1, 9999, n),
            "street": _pick(rng, STREETS, n),
            "city": pl.Series(np.asarray([p[1] for p in PLACES], dtype=object)[place], dtype=pl.String),
            "state": pl.Series(st, dtype=pl.String),
            "zip": pl.Series(zips).cast(pl.String),
            "ssn": ssn,
            "dlk": dl_kind,
            "letter": letter,
            "dld": dl_digits,
        }
    ).with_columns(
        pl.when(pl.int_range(pl.len()) % 20 == 0).then(None).otherwise(pl.col("state")).alias("state"),
    )
    cust = cust.select(
        "customer_id",
        "first_name",
        "last_name",
        pl.concat_str(
            [
                pl.col("first_name").str.to_lowercase(),
                pl.lit("."),
                pl.col("last_name").str.to_lowercase(),
                pl.col("customer_id").str.slice(1),
                pl.lit("@example.com"),
            ]
        ).alias("email"),
        pl.concat_str([pl.col("num").cast(pl.String), pl.col("street"), pl.lit("St")], separator=" ").alias(
            "street_address"
        ),
        "city",
        "state",
        "zip",
        "ssn",
        pl.when(pl.col("dlk") != "empty").then(pl.lit("MI")).alias("dl_state"),
        pl.when(pl.col("dlk") == "mi")
        .then(pl.concat_str("letter", "dld"))
        .when(pl.col("dlk") == "masked")
        .then(pl.concat_str(pl.lit("*********"), pl.col("dld").str.slice(8)))
        .alias("drivers_license_number"),
    )
    tables["customers"] = (
        cust,
        {"ssn": ssn_truth, "drivers_license_number": np.where(dl_kind == "mi", DL, NONE)},
    )

    def owners(per_person: float) -> np.ndarray:
        k = rng.poisson(per_person, n)
        return np.repeat(np.arange(1, n + 1), k)

    # accounts: bank account numbers, ABA routing numbers, online banking passwords (plain or hashed)
    own = owners(1.2)
    m = len(own)
    acct_kind = _kinds(rng, m, {"plain": 0.85, "masked": 0.1, "empty": 0.05})
    acct = _join_digits(_digits(rng, m, 10, first_nonzero=True))
    pw_kind = _kinds(rng, m, {"hash": 0.5, "plain": 0.3, "empty": 0.2})
    accounts = pl.DataFrame(
        {
            "account_id": _ids("A", np.arange(1, m + 1), 9),
            "customer_id": _ids("C", own, 8),
            "account_number": acct,
            "k": acct_kind,
            "routing_number": _join_digits(_aba_complete(_digits(rng, m, 8))),
            "pw": pw_kind,
            "hex": _join_digits(_digits(rng, m, 40)),
            "balance": pl.Series(rng.integers(0, 5_000_000, m)).cast(pl.String),
        }
    ).select(
        "account_id",
        "customer_id",
        pl.when(pl.col("k") == "plain")
        .then(pl.col("account_number"))
        .when(pl.col("k") == "masked")
        .then(pl.concat_str(pl.lit("XXXXXX"), pl.col("account_number").str.slice(6)))
        .alias("account_number"),
        "routing_number",
        pl.when(pl.col("pw") == "hash")
        .then(pl.concat_str(pl.lit("$2b$12$"), pl.col("hex").str.slice(0, 22), pl.lit("Qz.9aB"), "hex"))
        .when(pl.col("pw") == "plain")
        .then(pl.concat_str(pl.lit("Summer"), pl.col("hex").str.slice(0, 4), pl.lit("!")))
        .alias("online_banking_password"),
        "balance",
    )
    tables["accounts"] = (accounts, {"account_number": np.where(acct_kind == "plain", FA, NONE)})

    # cards: card numbers (Luhn, Visa), test numbers, masked numbers, CVV
    own = owners(0.8)
    m = len(own)
    card, card_truth = _cards(rng, m)
    cards = pl.DataFrame(
        {
            "card_id": _ids("K", np.arange(1, m + 1), 9),
            "customer_id": _ids("C", own, 8),
            "card_number": card,
            "expiry": _pick(rng, ["01/27", "06/28", "11/29", "03/30"], m),
            "cvv": _join_digits(_digits(rng, m, 3)),
        }
    )
    tables["cards"] = (cards, {"card_number": card_truth})

    # tickets: free text with SSNs and card numbers written inside, and look-alike order numbers
    own = owners(0.5)
    m = len(own)
    notes, notes_truth = _tickets_text(rng, m)
    tickets = pl.DataFrame(
        {
            "ticket_id": _ids("T", np.arange(1, m + 1), 9),
            "customer_id": _ids("C", own, 8),
            "opened": _pick(rng, ["2026-01-05", "2026-02-11", "2026-03-17"], m),
            "notes": notes,
        }
    )
    tables["tickets"] = (tickets, {"notes": notes_truth})

    # orders: no personal information, many rows (the bulk of a real export)
    own = owners(2.0)
    m = len(own)
    orders = pl.DataFrame(
        {
            "order_id": _ids("O", np.arange(1, m + 1), 10),
            "customer_id": _ids("C", own, 8),
            "product_code": _pick(rng, PRODUCTS, m),
            "amount": pl.Series(rng.integers(100, 100_000, m)).cast(pl.String),
            "order_date": _pick(rng, ["2026-04-01", "2026-05-02", "2026-06-03"], m),
        }
    )
    tables["orders"] = (orders, {})

    for name, (frame, truth) in tables.items():
        path = export.folder / f"{name}.csv"
        frame.write_csv(path)
        export.rows[name] = frame.height
        export.bytes += path.stat().st_size
        t = pl.DataFrame({"row": np.arange(frame.height, dtype=np.uint64), **truth})
        t.write_parquet(export.truth_folder / f"{name}.parquet")
    return export


def cell_truth(export: Export, table: str) -> pl.DataFrame:
    """row, and per element column what the cell truly holds (ssn | drivers_license | financial_account | none)."""
    return pl.read_parquet(export.truth_folder / f"{table}.parquet")


def generate_many_tables(out_dir: Path | str, tables: int, rows: int = 200, seed: int = 20261124) -> Export:
    """A database of many small tables, as real schemas have hundreds: per-table overhead, not rows, dominates.

    One `customers` table (names, SSNs, state) and `tables - 1` satellite tables of `rows` rows each, every one
    referencing customers by customer_id and carrying columns without personal information (amounts, dates,
    status words, codes); every tenth satellite also holds an account number with its PIN.
    """
    rng = np.random.default_rng(seed)
    folder = Path(out_dir) / "export"
    folder.mkdir(parents=True, exist_ok=True)
    export = Export(folder, Path(out_dir) / "truth")
    n_customers = max(rows, 1000)
    idx = np.arange(n_customers)
    ssns, _ = _ssns(rng, n_customers)
    customers = pl.DataFrame(
        {
            "customer_id": _ids("C", idx, 8),
            "first_name": _pick(rng, FIRST, n_customers),
            "last_name": _pick(rng, LAST, n_customers),
            "ssn": ssns,
            "state": _pick(rng, [p[0] for p in PLACES], n_customers, PLACE_P),
        }
    )
    frames = {"customers": customers}
    for t in range(1, tables):
        owner = rng.integers(0, n_customers, rows)
        frame = pl.DataFrame(
            {
                "id": pl.Series(np.arange(1, rows + 1)).cast(pl.String),  # auto-increment, as most schemas
                "customer_id": _ids("C", owner, 8),
                "amount": pl.Series(np.round(rng.random(rows) * 500, 2)).cast(pl.String),
                "created_at": _pick(rng, ["2026-01-05", "2026-02-11", "2026-03-30"], rows),
                "status": _pick(rng, ["open", "closed", "pending"], rows),
                "code": _pick(rng, PRODUCTS, rows),
            }
        )
        if t % 10 == 0:
            frame = frame.with_columns(
                account_number=_join_digits(_digits(rng, rows, 10, first_nonzero=True)),
                pin=_join_digits(_digits(rng, rows, 4)),
            )
        frames[f"t{t:04d}"] = frame
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        frame.write_csv(path)
        export.rows[name] = frame.height
        export.bytes += path.stat().st_size
    return export
