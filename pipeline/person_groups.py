"""Records split into person groups that no individual crosses, so identity resolution can run group by group.

individuals.resolve joins records that share an SSN, licence, account number, e-mail or name and address, and
records that a link row joins, and its checks only ever keep a join out (names must agree, a joint account's
holders stay two people) or copy a record along a link row to another holder. So every individual lies inside
one connected component of the graph of every join resolve could draw: those components are the person groups,
found once over integers (scipy). resolve and summarize then run on a bucket of groups at a time, on Spark's
executors (pipeline.spark) or one bucket after another here, and the buckets' individuals are renumbered so the
result is the one a resolve of every record at once gives: that numbers individuals in the order of their first
record (scipy's connected_components labels components in order of their smallest node), and so does this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np
import polars as pl

from pipeline import exposure, individuals
from pipeline.individuals import GID, ORIGIN

# per copied record (a joint holder's copy, a household's address row): its holder's record, in whole-scan numbers
HOLDER = "__holder"
BUCKET = "__bucket"
# the identifiers resolve joins records by (individuals._identity_edges)
SHARED_VALUES = ("ssn_value", "drivers_license_value", "financial_account_value", "email")

Part = tuple[pl.DataFrame, pl.DataFrame]  # (records of a bucket, its link rows)
# a bucket resolved: (records with individual and HOLDER, individuals, findings_by_individual or None)
Resolved = tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame | None]
# (the buckets' parts, each handed out once, link names, findings key or None) -> each bucket's Resolved, in order
Runner = Callable[[Iterable[Part], list[str], bytes | None], list[Resolved]]


def person_groups(records: pl.DataFrame, link_rows: pl.DataFrame) -> np.ndarray:
    """Per record of `records` (individuals.numbered: GID = position): its person group's label."""
    n = records.height
    slices = individuals._table_slices(records)
    linked = individuals._records_of_rows(
        records, individuals._records_of_rows(records, link_rows, "a", slices), "b", slices
    )
    edges = [linked.select("a", "b")]
    for key in SHARED_VALUES:  # every record with the value, named or not: resolve's checks only remove joins
        shared = records.select(GID, individuals.shared_value(key)).drop_nulls(key)
        edges.append(individuals._star(shared, key, key).select("a", "b"))
    edges.append(
        individuals._star(individuals.name_and_address(records), "__addr", "address").select("a", "b")
    )
    return individuals._components(n, pl.concat(edges).cast(pl.Int64))


def resolve_part(
    records: pl.DataFrame, link_rows: pl.DataFrame, link_names: list[str], key: bytes | None = None
) -> Resolved:
    """individuals_of on one bucket, and its findings with keyed hashes when a key is given. Records carry
    ORIGIN; a finding's individual id depends on its own individual's records and those sharing an identifier
    with it, all in the same person group."""
    n = records.height
    recs, edges = individuals.resolve(records, link_rows)
    people = individuals.summarize(recs, edges, link_names)
    # a copy's record number is n and up, and its one edge goes to its holder (individuals.resolve): the holder's
    # whole-scan number orders the copies as a resolve of every record would
    attach = edges.filter(pl.col("a") >= n).select(pl.col("a").alias(GID), pl.col("b"))
    origin = recs.get_column(ORIGIN)
    holders = attach.select(GID, origin.gather(attach.get_column("b")).alias(HOLDER))
    recs = recs.join(holders, on=GID, how="left")
    findings = None if key is None else exposure.findings_by_individual(recs, people, key)
    return recs, people, findings


def run_here(parts: Iterable[Part], link_names: list[str], key: bytes | None = None) -> list[Resolved]:
    """The buckets one after another in this process (each bucket's input freed once it is resolved)."""
    return [resolve_part(r, k, link_names, key) for r, k in parts]  # one entry per bucket, not per record


def individuals_by_groups(
    records: pl.DataFrame,
    link_rows: pl.DataFrame,
    link_names: list[str],
    buckets: int,
    run: Runner = run_here,
    key: bytes | None = None,
) -> Resolved:
    """individuals.individuals_of, a bucket of person groups at a time: the same records and individuals, and,
    with a key, exposure.build_findings' findings, made in the buckets."""
    records = individuals.numbered(records)
    n = records.height
    columns = records.columns
    if n == 0:
        recs, people = individuals.individuals_of(records.drop(GID), link_rows, link_names)
        return recs, people, None if key is None else exposure.build_findings(recs, people, key)
    bucket = pl.Series(BUCKET, person_groups(records, link_rows) % max(int(buckets), 1))
    slices = individuals._table_slices(records)
    # link rows of a record only, as resolve takes them, in their own order (resolve's first holder of a joint
    # account is its first junction row)
    rows = (
        individuals._records_of_rows(records, link_rows.with_row_index("_order"), "a", slices)
        .sort("_order")
        .drop("_order")
    )
    link_bucket = bucket.gather(rows.get_column("a"))
    records = records.with_columns(bucket).rename({GID: ORIGIN})
    rows = rows.drop("a").with_columns(link_bucket)
    # one pass each (a filter per bucket would read every record once per bucket); buckets without records
    # are not handed out
    by_bucket = records.partition_by(BUCKET, as_dict=True, include_key=False)
    links_by_bucket = rows.partition_by(BUCKET, as_dict=True, include_key=False)
    no_links = rows.clear().drop(BUCKET)
    del records, rows

    def parts() -> Iterator[Part]:
        # each bucket handed out once and dropped here: one copy of the records at most
        for k in sorted(by_bucket):  # one entry per bucket, not per record
            yield by_bucket.pop(k), links_by_bucket.pop(k, no_links)

    return _merge(run(parts(), link_names, key), n, columns)


def _tagged(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The buckets' frames as one, each row with its bucket's number."""
    return pl.concat(
        [f.with_columns(pl.lit(k, dtype=pl.Int32).alias(BUCKET)) for k, f in enumerate(frames)],
        how="vertical_relaxed",
    )


def _merge(results: list[Resolved], n: int, columns: list[str]) -> Resolved:
    """The buckets' records, individuals and findings in whole-scan numbers: an individual is numbered by the
    rank of its first original record, a copy by its (holder, original) after every original record."""
    recs = _tagged([r for r, _, _ in results])
    people = _tagged([p for _, p, _ in results])
    found = [f for _, _, f in results]
    first = (
        recs.filter(pl.col(HOLDER).is_null())
        .group_by(BUCKET, "individual")
        .agg(pl.col(ORIGIN).min().alias("_first"))
        .sort("_first")
        .with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_individual"))
        .drop("_first")
    )
    # stable, as resolve's: copies of one record for one holder are in one bucket, in the order resolve made them
    copies = recs.filter(pl.col(HOLDER).is_not_null()).sort(HOLDER, ORIGIN, maintain_order=True)
    recs = pl.concat(
        [
            recs.filter(pl.col(HOLDER).is_null()).with_columns(pl.col(ORIGIN).alias(GID)),
            copies.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + n).alias(GID)),
        ]
    )
    recs = (
        recs.join(first, on=[BUCKET, "individual"], how="left")
        .with_columns(pl.col("_individual").alias("individual"))
        .sort(GID)
        .select([GID, *(c for c in columns if c != GID), "individual"])
    )
    people = _renumbered(people, first).sort("individual")
    findings = None
    if all(f is not None for f in found):
        findings = exposure.published_findings(
            _renumbered(_tagged(found), first).sort("individual", "element")  # type: ignore[arg-type]
        )
    return recs, people, findings


def _renumbered(frame: pl.DataFrame, first: pl.DataFrame) -> pl.DataFrame:
    """A bucket-tagged frame's individuals in whole-scan numbers (`first`: bucket, individual -> _individual)."""
    return (
        frame.join(first, on=[BUCKET, "individual"], how="left")
        .with_columns(pl.col("_individual").alias("individual"))
        .drop(BUCKET, "_individual")
    )
