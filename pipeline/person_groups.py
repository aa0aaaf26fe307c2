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

from pipeline import individuals
from pipeline.individuals import GID, ORIGIN

# per copied record (a joint holder's copy, a household's address row): its holder's record, in whole-scan numbers
HOLDER = "__holder"
BUCKET = "__bucket"
# the identifiers resolve joins records by (individuals._identity_edges)
SHARED_VALUES = ("ssn_value", "drivers_license_value", "financial_account_value", "email")

Part = tuple[pl.DataFrame, pl.DataFrame]  # (records of a bucket, its link rows)
# (the buckets' parts, each handed out once, link names) -> each bucket's (records, individuals), in that order
Runner = Callable[[Iterable[Part], list[str]], list[Part]]


def person_groups(records: pl.DataFrame, link_rows: pl.DataFrame) -> np.ndarray:
    """Per record of `records` (individuals.numbered: GID = position): its person group's label."""
    n = records.height
    slices = individuals._table_slices(records)
    linked = individuals._records_of_rows(
        records, individuals._records_of_rows(records, link_rows, "a", slices), "b", slices
    )
    edges = [linked.select("a", "b")]
    for key in SHARED_VALUES:  # every record with the value, named or not: resolve's checks only remove joins
        edges.append(individuals._star(records.select(GID, key).drop_nulls(key), key, key).select("a", "b"))
    edges.append(
        individuals._star(individuals.name_and_address(records), "__addr", "address").select("a", "b")
    )
    return individuals._components(n, pl.concat(edges).cast(pl.Int64))


def resolve_part(records: pl.DataFrame, link_rows: pl.DataFrame, link_names: list[str]) -> Part:
    """individuals_of on one bucket: (records with individual and HOLDER, individuals). Records carry ORIGIN."""
    n = records.height
    recs, edges = individuals.resolve(records, link_rows)
    people = individuals.summarize(recs, edges, link_names)
    # a copy's record number is n and up, and its one edge goes to its holder (individuals.resolve): the holder's
    # whole-scan number orders the copies as a resolve of every record would
    attach = edges.filter(pl.col("a") >= n).select(pl.col("a").alias(GID), pl.col("b"))
    origin = recs.get_column(ORIGIN)
    holders = attach.select(GID, origin.gather(attach.get_column("b")).alias(HOLDER))
    recs = recs.join(holders, on=GID, how="left")
    return recs, people


def run_here(parts: Iterable[Part], link_names: list[str]) -> list[Part]:
    """The buckets one after another in this process (each bucket's input freed once it is resolved)."""
    return [resolve_part(r, k, link_names) for r, k in parts]  # one entry per bucket, not per record


def individuals_by_groups(
    records: pl.DataFrame,
    link_rows: pl.DataFrame,
    link_names: list[str],
    buckets: int,
    run: Runner = run_here,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """individuals.individuals_of, a bucket of person groups at a time: the same records and individuals."""
    records = individuals.numbered(records)
    n = records.height
    columns = records.columns
    if n == 0:
        return individuals.individuals_of(records.drop(GID), link_rows, link_names)
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

    def parts() -> Iterator[
        Part
    ]:  # each bucket handed out once and dropped here: one copy of the records at most
        for k in sorted(by_bucket):  # one entry per bucket, not per record
            yield by_bucket.pop(k), links_by_bucket.pop(k, no_links)

    return _merge(run(parts(), link_names), n, columns)


def _merge(results: list[Part], n: int, columns: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The buckets' records and individuals in whole-scan numbers: an individual is numbered by the rank of its
    first original record, a copy by its (holder, original) after every original record."""
    recs = pl.concat(
        [r.with_columns(pl.lit(k, dtype=pl.Int32).alias(BUCKET)) for k, (r, _) in enumerate(results)],
        how="vertical_relaxed",
    )
    people = pl.concat(
        [p.with_columns(pl.lit(k, dtype=pl.Int32).alias(BUCKET)) for k, (_, p) in enumerate(results)],
        how="vertical_relaxed",
    )
    first = (
        recs.filter(pl.col(HOLDER).is_null())
        .group_by(BUCKET, "individual")
        .agg(pl.col(ORIGIN).min().alias("_first"))
        .sort("_first")
        .with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_individual"))
        .drop("_first")
    )
    copies = recs.filter(pl.col(HOLDER).is_not_null()).sort(HOLDER, ORIGIN)
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
    people = (
        people.join(first, on=[BUCKET, "individual"], how="left")
        .with_columns(pl.col("_individual").alias("individual"))
        .drop(BUCKET, "_individual")
        .sort("individual")
    )
    return recs, people
