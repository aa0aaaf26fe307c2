"""Counts per the output contract (exposure.json), the what-if readings, and findings with masked values only.

Every count is of unique individuals. `affected` uses the default reading of MCL 445.63(p)(iii) (an account or
card number counts with an access code) unless the scan was asked for the other one; both readings and the
encryption-key-compromised count (445.72(1)(b)) are always reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import numpy as np
import polars as pl
import polars_hash  # noqa: F401  (registers the .chash expressions: vectorised HMAC-SHA-256)
import pyarrow.parquet as pq

from detectors import residency
from pipeline.classify import ColumnClass
from pipeline.links import Link
from pipeline.records import ColumnStats
from pipeline.tables import ROW, SourceResult

SCHEMA_VERSION = 1
ELEMENTS = ("ssn", "drivers_license", "financial_account")
CITATIONS = {
    "ssn": "MCL 445.63(p)(i)",
    "drivers_license": "MCL 445.63(p)(ii)",
    "financial_account": "MCL 445.63(p)(iii)",
    "redacted": "MCL 445.63(r)",
    "encrypted": "MCL 445.63(g); MCL 445.72(1)(b)",
    "affected": "MCL 445.72(1)(a)",
    "deceased": 'MCL 445.72(1) ("each resident of this state")',
}


def keyed_hash_expr(value: pl.Expr, key: bytes, domain: str) -> pl.Expr:
    """HMAC-SHA-256(key, domain + ":" + value) as hex, null for null: joinable across reports, useless without the
    key.

    Runs in polars-hash's Rust HMAC, vectorised: a hashlib call per value was a Python loop over every finding
    (a fifth of the scan's time at millions of rows). The plugin takes the key as text, so keys are text
    (scan.resolve_key makes sure of it)."""
    return pl.concat_str([pl.lit(f"{domain}:"), value.cast(pl.String)]).chash.hmac_sha256(key=key_text(key))


def key_text(key: bytes) -> str:
    try:
        return key.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the hash key must be text (UTF-8), for example a passphrase or hex") from None


def keyed_hash(values: pl.Series, key: bytes, domain: str) -> pl.Series:
    """keyed_hash_expr of one series (standard HMAC-SHA-256: anyone with the key can recompute it)."""
    return (
        values.to_frame("v").select(keyed_hash_expr(pl.col("v"), key, domain).alias(values.name)).to_series()
    )


def _count(ind: pl.DataFrame, flag: str, unknown_as_michigan: bool) -> dict[str, int]:
    hit = ind.filter(pl.col(flag))
    mi = hit.filter(pl.col("residency") == residency.MICHIGAN).height
    other = hit.filter(pl.col("residency") == residency.OTHER).height
    unknown = hit.filter(pl.col("residency") == residency.UNKNOWN).height
    if unknown_as_michigan:
        mi, unknown = mi + unknown, 0
    return {"michigan": mi, "other_states": other, "unknown_residency": unknown}


def with_vital_flags(ind: pl.DataFrame) -> pl.DataFrame:
    """The frame with "deceased" and "deceased_conflict" (False where an older frame has none)."""
    return ind.with_columns(
        pl.lit(False).alias(c) for c in ("deceased", "deceased_conflict") if c not in ind.columns
    )


def counted_alive(ind: pl.DataFrame) -> pl.DataFrame:
    """The individuals with every reading's affected and exposed flags false for those recorded as deceased: the
    default reading of 445.72(1) "each resident of this state" (reports.py reads the same)."""
    ind = with_vital_flags(ind)
    flags = [c for c in ind.columns if ind.schema[c] == pl.Boolean and c.startswith(("affected", "exposed_"))]
    return ind.with_columns((pl.col(c) & ~pl.col("deceased")).alias(c) for c in flags)


def _michigan(ind: pl.DataFrame, unknown_as_michigan: bool) -> pl.Expr:
    mi = pl.col("residency") == residency.MICHIGAN
    return mi | (pl.col("residency") == residency.UNKNOWN) if unknown_as_michigan else mi


def build_exposure(
    source: SourceResult,
    classes: dict[str, list[ColumnClass]],
    stats: dict[str, dict[str, ColumnStats]],
    links: list[Link],
    individuals: pl.DataFrame,
    rows: dict[str, int],
    *,
    account_numbers_alone: bool = False,
    unknown_residency_as_michigan: bool = False,
    codes_with_own_account: bool = False,
    count_deceased: bool = False,
) -> dict:
    if account_numbers_alone and codes_with_own_account:
        raise ValueError(
            "choose one reading of 445.63(p)(iii): account numbers alone, or codes with their own account"
        )
    flag, fa = "affected", "exposed_financial_account"
    key_taken = "affected_encryption_key_compromised"
    if account_numbers_alone:
        flag, fa = "affected_account_numbers_alone", "exposed_financial_account_alone"
        key_taken = "affected_encryption_key_compromised_account_numbers_alone"
    if codes_with_own_account:
        flag, fa = "affected_codes_with_their_own_account", "exposed_financial_account_own_code"
        key_taken = "affected_encryption_key_compromised_codes_with_their_own_account"
    # the counts read flags, residency and path only: filters of the whole frame copied every individual's
    # contact texts each time (at 5 M records +0.45 GB while counting)
    individuals = individuals.select(
        [c for c in individuals.columns if individuals.schema[c] == pl.Boolean or c in ("residency", "path")]
    )
    # People the export records as deceased are no residents (445.72(1)): by default every reading counts them
    # apart ("deceased"), and what_if.deceased_counted counts them in (a notice to the estate); count_deceased
    # takes that reading. `everyone` keeps them for those counts.
    everyone = with_vital_flags(individuals)
    individuals = everyone if count_deceased else counted_alive(everyone)
    mi = _michigan(individuals, unknown_residency_as_michigan)
    exposed = {"ssn": "exposed_ssn", "drivers_license": "exposed_drivers_license", "financial_account": fa}
    by_element = {e: individuals.filter(pl.col(flag) & mi & pl.col(c)).height for e, c in exposed.items()}
    what_if = {
        "account_numbers_alone": individuals.filter(pl.col("affected_account_numbers_alone") & mi).height,
        # under the scan's reading of (p)(iii): until 2026-11-24 always the default one, so a scan reading account
        # numbers alone counted fewer with the key taken than without it
        "encryption_key_compromised": individuals.filter(pl.col(key_taken) & mi).height,
        # both wider readings at once (the incident's key taken, and account numbers alone): the notice's count
        # when an incident file gives both
        "encryption_key_compromised_account_numbers_alone": individuals.filter(
            pl.col("affected_encryption_key_compromised_account_numbers_alone") & mi
        ).height,
        # stricter (p)(iii): only a code of the same account counts (same row or a row linked to it)
        "codes_with_their_own_account": individuals.filter(
            pl.col("affected_codes_with_their_own_account") & mi
        ).height,
        # the scan's reading with the people recorded as deceased counted too (added 2026-11-25)
        "deceased_counted": everyone.filter(pl.col(flag) & mi).height,
    }
    # those of unknown residency under each reading: the people a wider reading adds may have no known state
    # either, and the notice's warning about them must be about the count it takes
    unknown = pl.col("residency") == residency.UNKNOWN
    readings = {
        "account_numbers_alone": "affected_account_numbers_alone",
        "encryption_key_compromised": key_taken,
        "encryption_key_compromised_account_numbers_alone": "affected_encryption_key_compromised_account_numbers_alone",
        "codes_with_their_own_account": "affected_codes_with_their_own_account",
    }
    unknown_by_reading = {
        # counted as Michigan residents already when the scan reads unknown residency so
        r: 0 if unknown_residency_as_michigan else individuals.filter(pl.col(c) & unknown).height
        for r, c in readings.items()
    }
    unknown_by_reading["deceased_counted"] = (
        0 if unknown_residency_as_michigan else everyone.filter(pl.col(flag) & unknown).height
    )
    rejected: dict[str, dict] = {}
    tables = []
    for t in source.tables:
        cols = []
        for c in classes.get(t.name, []):
            entry = {
                "name": c.name,
                "classified_as": c.classified_as,
                "evidence": c.evidence,
                "values_checked": c.values_checked,
            }
            st = stats.get(t.name, {}).get(c.name)
            if st is not None:
                entry.update({k: v for k, v in asdict(st).items() if v is not None})
                if c.element and st.rejected:
                    r = rejected.setdefault(c.classified_as, {"count": 0, "reasons": {}})
                    r["count"] += st.rejected
                    for why, k in (st.rejected_reasons or {}).items():
                        r["reasons"][why] = r["reasons"].get(why, 0) + k
            cols.append(entry)
        tables.append(
            {
                "name": t.name,
                "path": t.path,
                "rows": rows.get(t.name, 0),
                "columns": cols,
                "warnings": list(t.warnings),
            }
        )
    affected = individuals.filter(pl.col(flag))
    paths = (
        affected.group_by("path", "residency")
        .len()
        .sort("len", "path", "residency", descending=[True, False, False])
        .rename({"len": "individuals"})
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "affected": _count(individuals, flag, unknown_residency_as_michigan),
        "affected_michigan_by_element": by_element,
        "what_if": what_if,
        "what_if_unknown_residency": unknown_by_reading,  # added 2026-11-24
        "tables": tables,
        "links": [link.contract() for link in links],
        "unreadable": [{"path": u.path, "error": u.error} for u in source.unreadable],
        # the individuals affected under the scan's reading whom the export records as deceased, by residency
        # (added 2026-11-25): left out of "affected" unless reading.deceased_counted
        "deceased": {
            **_count(everyone.filter(pl.col("deceased")), flag, unknown_residency_as_michigan),
            # affected individuals one record says died and another says live: counted as living
            "conflicts": everyone.filter(pl.col("deceased_conflict") & pl.col(flag)).height,
            # every named individual recorded as deceased, affected or not
            "recorded": everyone.filter(pl.col("deceased") & pl.col("has_name")).height,
            "citation": CITATIONS["deceased"],
        },
        "reading": {
            "account_numbers_alone": account_numbers_alone,
            "unknown_residency_as_michigan": unknown_residency_as_michigan,
            "codes_with_their_own_account": codes_with_own_account,
            "deceased_counted": count_deceased,
            "default": "an account or card number counts only with an access code of the same individual "
            "(MCL 445.63(p)(iii) 'in combination with any required security code, access code, or password')",
            # address-history end dates are compared with the day of the scan: the same export scanned after an
            # end date passes places that person elsewhere (docs/counting-rules.md section 5)
            "addresses_current_on": dt.date.today().isoformat(),
        },
        "citations": CITATIONS,
        "rejected": rejected,
        "individuals": {
            "total": individuals.height,
            "with_name": individuals.filter(pl.col("has_name")).height,
            "residency_conflicts": individuals.filter(pl.col("residency_conflict") & pl.col(flag)).height,
            "affected_by_residency_unknown_as_michigan": _count(individuals, flag, True)["michigan"],
        },
        "paths": paths.to_dicts(),
    }


# The text an individual's keyed id is made from: the smallest, as a string, of its records' identifiers, where
# a record's identifier is its first of SSN, licence, account number, e-mail, (table, row); when that text is
# another individual's too, see _distinct_ids. Kept exactly so, because ids are compared across runs (audit
# history). Prefixes in string order: every "acct:" text sorts
# before every "dl:" text, and so on, so the smallest text is found without writing one text per record.
_ID_PREFIXES = ("acct:", "dl:", "email:", "row:", "ssn:")  # string order


# Each kind's identifier text, by its index in _ID_PREFIXES; _identity_text and _distinct_ids read the same texts.
_ID_COLUMNS = ["ssn_value", "drivers_license_value", "financial_account_value", "email", "table", ROW]
_ID_TEXTS = {
    0: pl.concat_str([pl.lit("acct:"), pl.col("financial_account_value")]),
    1: pl.concat_str([pl.lit("dl:"), pl.col("drivers_license_value")]),
    2: pl.concat_str([pl.lit("email:"), pl.col("email")]),
    3: pl.concat_str([pl.lit("row:"), pl.col("table"), pl.lit(":"), pl.col(ROW).cast(pl.String)]),
    4: pl.concat_str([pl.lit("ssn:"), pl.col("ssn_value")]),
}


def _identity_text(records: pl.DataFrame, individuals: pl.DataFrame) -> pl.DataFrame:
    """individual -> _id (see _ID_PREFIXES): texts are built only for the records of the winning prefix."""
    if records.height == 0 or individuals.height == 0:
        return pl.DataFrame(schema={"individual": pl.Int64, "_id": pl.String})
    # individuals are component labels 0..k-1: the winning kind per individual by numpy over the labels
    labels = records.get_column("individual").to_numpy()
    # the record's own identifier, as an index into _ID_PREFIXES: its first of SSN, licence, account, e-mail,
    # else (table, row). Written from the last choice to the first, each overwriting where its value is present
    # (numpy masks: a five-branch when/then over every record cost about 0.2 s per million records)
    kinds = np.full(records.height, 3, dtype=np.int8)
    for column, k in (
        ("email", 2),
        ("financial_account_value", 0),
        ("drivers_license_value", 1),
        ("ssn_value", 4),
    ):
        kinds[records.get_column(column).is_not_null().to_numpy()] = k
    asked = individuals.get_column("individual").to_numpy()
    size = int(max(labels.max(), asked.max())) + 1
    best_kind = np.full(size, len(_ID_PREFIXES), dtype=np.int8)
    np.minimum.at(best_kind, labels, kinds)
    wanted = np.zeros(size, dtype=bool)
    wanted[asked] = True
    keep = wanted[labels] & (kinds == best_kind[labels])
    # each kind's rows build their own text alone (a when/then would build all five texts for every row), from
    # that kind's columns only: the winning records' every identifier column, gathered at once, was held while
    # the texts were made
    texts = pl.concat(
        records.select("individual", *text.meta.root_names())
        .filter(pl.Series(keep & (kinds == k)))
        .select("individual", text.alias("_id"))
        for k, text in _ID_TEXTS.items()  # one entry per identifier kind
    )
    ids = texts.group_by("individual").agg(pl.col("_id").min())
    del texts
    return _distinct_ids(records, ids)


def _distinct_ids(records: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    """Individuals whose smallest identifier is another's too (the joint holders of one account, a family's
    shared e-mail) each take the smallest identifier text of their records that no other individual holds; with
    none, the shared text and their rank by individual label. A findings id names one person."""
    shared = ids.filter(pl.col("_id").is_duplicated())
    if shared.height == 0:
        return ids
    # a narrow select and a mask, not a join: a join with the wide records cost seconds and GBs for 32 people
    who = np.isin(records.get_column("individual").to_numpy(), shared.get_column("individual").to_numpy())
    theirs = records.select("individual", *_ID_COLUMNS).filter(pl.Series(who))
    texts = (
        pl.concat(theirs.select("individual", text.alias("_id")) for text in _ID_TEXTS.values())
        .drop_nulls()
        .unique()
    )
    own = (
        texts.filter(pl.len().over("_id") == 1)  # held by this individual alone among them ...
        .join(ids.select("_id"), on="_id", how="anti")  # ... and nobody else's id
        .group_by("individual")
        .agg(pl.col("_id").min().alias("_own"))
    )
    ranked = shared.with_columns(
        pl.concat_str(
            [pl.col("_id"), pl.lit("#"), pl.col("individual").rank("ordinal").over("_id").cast(pl.String)]
        ).alias("_ranked")
    )
    fixed = ranked.join(own, on="individual", how="left").select(
        "individual", pl.coalesce("_own", "_ranked").alias("_id")
    )
    return pl.concat([ids.join(shared.select("individual"), on="individual", how="anti"), fixed])


# What the findings (build_findings, _identity_text) and the reports (reports._affected_by_table,
# _exposed_by_column) read of the records once the individuals are summarised
RECORD_COLUMNS_AFTER_SUMMARY = [
    "individual",
    "table",
    ROW,
    "email",
    *(f"{e}_{p}" for e in ELEMENTS for p in ("status", "value", "masked", "source")),
    "access_code_status",
    "access_code_source",
]


# the readings of "affected" a finding is written for (any of them), each a column of findings.parquet
FINDING_FLAGS = ["affected", "affected_account_numbers_alone", "affected_encryption_key_compromised"]


def build_findings(records: pl.DataFrame, individuals: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """One row per affected individual (any reading) and exposed element: masked value and keyed hash only."""
    return published_findings(findings_by_individual(records, individuals, key))


def findings_by_individual(records: pl.DataFrame, individuals: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """build_findings' rows with the individual's number, in (individual, element) order (person_groups
    renumbers a bucket's individuals before publishing)."""
    return hashed_findings(unhashed_findings(records, individuals), key)


def unhashed_findings(records: pl.DataFrame, individuals: pl.DataFrame) -> pl.DataFrame:
    """findings_by_individual's rows, in its order, before the keyed hashes: the raw value (``_value``) and the
    text of the individual's id (``_id``) in their place. Never written: hashed_findings of any slice of it
    gives that slice of findings_by_individual, so findings.parquet is hashed and written a slice at a time
    (write_findings) and the two 64-character hashes per finding (about 160 bytes) are never all held."""
    ind = (
        with_vital_flags(individuals)
        .filter(pl.any_horizontal(FINDING_FLAGS))
        .select("individual", "residency", *FINDING_FLAGS, "deceased")
    )
    rows = []
    for e in ELEMENTS:
        rows.append(
            records.select(
                "individual", "table", ROW, *(f"{e}_{p}" for p in ("status", "source", "masked", "value"))
            )
            .filter(pl.col(f"{e}_status").is_in(["unredacted", "encrypted"]))
            .sort("individual", pl.col(f"{e}_status") != "unredacted", "table", ROW)
            .group_by("individual", maintain_order=True)
            .first()
            .select(
                "individual",
                pl.lit(e).alias("element"),
                pl.lit(CITATIONS[e]).alias("citation"),
                pl.col(f"{e}_status").alias("status"),
                pl.col("table"),
                pl.col(f"{e}_source").alias("column"),
                pl.col(ROW).alias("row"),
                pl.col(f"{e}_masked").alias("masked_value"),
                pl.col(f"{e}_value").alias("_value"),
            )
        )
    found = pl.concat(rows).join(ind, on="individual")  # sorted once, after the last join
    ident = _identity_text(records, found.select("individual").unique())
    found = found.join(ident, on="individual", how="left")
    # sorted after the last step: the engine need not keep row order. (individual, element) is unique, so the
    # order is total and a slice of it is the same rows whoever made them
    return found.sort("individual", "element")


def hashed_findings(found: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """unhashed_findings' rows (all or a slice) with the keyed hashes in place of the value and the id's text:
    findings_by_individual's columns, in its order."""
    # one id hash per individual, not per finding
    ids = found.filter(pl.col("individual").is_first_distinct()).select(
        "individual", keyed_hash_expr(pl.col("_id"), key, "individual").alias("individual_id")
    )
    return (
        found.join(ids, on="individual", how="left", maintain_order="left")
        .with_columns(keyed_hash_expr(pl.col("_value"), key, "value").alias("value_hash"))
        .drop("_value", "_id")
    )


def published_findings(found: pl.DataFrame) -> pl.DataFrame:
    """findings_by_individual's rows as findings.parquet holds them: no individual number, no raw value."""
    # the records' dictionary-encoded words (tables.WORD) as plain text: findings.parquet's columns are strings
    return found.select(
        "individual_id",
        "element",
        "citation",
        pl.col("status").cast(pl.String),
        "masked_value",
        "value_hash",
        pl.col("table").cast(pl.String),
        pl.col("column").cast(pl.String),
        "row",
        "residency",
        *FINDING_FLAGS,
        # recorded as deceased (added 2026-11-25): the flags above say whether the person would be affected;
        # exposure.json leaves them out of its counts unless reading.deceased_counted
        "deceased",
    )


FINDINGS_SLICE_ROWS = 200_000  # findings hashed and written at a time (write_findings)


def write_findings(
    path: Path | str,
    findings: pl.DataFrame,
    key: bytes | None = None,
    slice_rows: int = FINDINGS_SLICE_ROWS,
) -> None:
    """findings.parquet, a slice of rows at a time through one Parquet writer (zstd at level 1: smaller than
    the default level here, as keyed hashes do not compress, and 40% faster).

    ``findings``: published findings (build_findings; ``key`` None), or, with ``key``, unhashed_findings' rows,
    hashed and published here a slice at a time, so the findings with their two 64-character hashes are never
    all in memory (docs/scale.md). Each slice is one row group: the file's rows and row groups depend on the
    findings alone, not on how they were made (whole, by person groups, on Spark), so the same findings give
    the same bytes."""

    def published(part: pl.DataFrame) -> pl.DataFrame:
        return published_findings(part if key is None else hashed_findings(part, key))

    schema = published(findings.clear()).to_arrow().schema
    step = max(int(slice_rows), 1)
    with pq.ParquetWriter(str(path), schema, compression="zstd", compression_level=1) as writer:
        for start in range(0, findings.height, step):  # slices, not rows
            writer.write_table(published(findings.slice(start, step)).to_arrow(), row_group_size=step)
