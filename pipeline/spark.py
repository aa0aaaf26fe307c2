"""The scan on Spark: the per-table stages, link measures and identity resolution run in the executors.

Why this split: classification and per-record evaluation are independent per table (and per row range of a
table once its columns are classified), and they are where the time goes. Identity resolution is independent
per person group (pipeline/person_groups.py: no individual crosses two). Link discovery needs every table at
once: its measures (distinct key values per column, overlaps of columns with key columns) and the link rows'
joins are Spark aggregations and joins over job 2's output, and its decisions run on the driver with links' own
code. The person groups and the exact counts of unique individuals run on the driver with the very same
functions the local scan uses, fed from what the executors returned.

Three Spark jobs; the first two are a ``mapInArrow`` over a small DataFrame of descriptors (paths, never data),
so polars reads the files inside the executors:

1. one task per input file, or per split file's parts (``sources.plan_inputs``, by name): ``sources.load_group``
   then ``classify.classify_table`` per table, and its row count. The driver then names the tables exactly as
   ``load_sources`` does (include / exclude, disambiguation).
2. one task per table, or per ``rows_per_task`` rows of a large table: ``records.evaluate_table`` with the
   classes of job 1, returning the records, the full-column stats and the values of the columns that links
   can use (long format: row, column, value), and per key column its distinct key values as links compares
   them. Everything leaves the executor cast to a declared Arrow schema: polars emits large_string /
   string_view and unsigned integers, which Spark refuses. The output stays persisted for link discovery.
3. one ``applyInArrow`` group per bucket of person groups: ``person_groups.resolve_part`` (resolve, summarize,
   and the findings with their keyed hashes) on the bucket's records and link rows.

The driver runs ``scan.scan_sources`` itself on tables that hold their rows (and the key columns of declared
links), with the classification, evaluation, link measures and joins, identity resolution and findings
answered from the jobs (``_Precomputed``), so the exposure comes from the same code path as a local scan and
is identical.

Executors must see the input paths under the same names (a shared file system on a cluster) and have this
package installed in the Python that ``PYSPARK_PYTHON`` names.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa

from pipeline import (
    classify,
    co_subjects,
    links,
    person_groups,
    records,
    scan,
    sources,
)
from pipeline.individuals import GID, ORIGIN
from pipeline.scan import ScanOptions, ScanResult, write_outputs
from pipeline.tables import ROW, DeclaredLink, SourceResult, Table, Unreadable, composite_key_columns

log = logging.getLogger("breachscan")

DEFAULT_ROWS_PER_TASK = 2_000_000  # a CSV slice re-reads the file up to its offset: slice only big tables


# ---------------------------------------------------------------- declared Arrow schemas


def _arrow_type(dtype: pl.DataType) -> pa.DataType:
    if dtype in (pl.String, pl.Categorical):  # a Categorical travels as text and is encoded on the driver
        return pa.string()
    if isinstance(dtype, pl.List):
        return pa.list_(_arrow_type(dtype.inner))
    if dtype == pl.Boolean:
        return pa.bool_()
    if dtype.is_integer():
        return pa.int64()  # Spark has no unsigned types; row positions fit in int64
    if dtype.is_float():
        return pa.float64()
    raise TypeError(f"record column type {dtype} has no declared Spark type")


TABLE_META = pa.schema(
    [
        ("kind", pa.string()),  # table | unreadable
        ("file", pa.int64()),
        ("member", pa.int64()),  # position of the table in its file's SourceResult
        ("name", pa.string()),
        ("path", pa.string()),
        ("error", pa.string()),
        ("meta", pa.string()),  # JSON: source_types, declared_links, primary_key, warnings, classes, rows
    ]
)

_RECORD_COLUMNS = [c for c in records.RECORD_SCHEMA if c not in ("table",)]
EVALUATED = pa.schema(
    [("kind", pa.string()), ("table", pa.string())]  # records | keys | key_values | stats
    + [(c, _arrow_type(records.RECORD_SCHEMA[c])) for c in _RECORD_COLUMNS]
    + [("column", pa.string()), ("value", pa.string()), ("meta", pa.string())]
    + [("small_integer", pa.bool_())]  # key_values: the key is a small integer (links.SMALL_INTEGER_KEY)
    + [("key", pa.string())]  # keys: the value as links compares it (links.with_key_values)
)


def _spark_schema(schema: pa.Schema):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def _declared(frame: pl.DataFrame, schema: pa.Schema, **constants) -> pa.Table:
    """A polars frame as a table of exactly `schema`: missing columns null, constants filled in."""
    cols = []
    for f in schema:
        if f.name in constants:
            cols.append(pl.lit(constants[f.name]).alias(f.name))
        elif f.name in frame.columns:
            cols.append(pl.col(f.name))
        else:
            cols.append(pl.lit(None).alias(f.name))
    return frame.select(cols).to_arrow(compat_level=pl.CompatLevel.oldest()).cast(schema)


def _batches(frame: pl.DataFrame, schema: pa.Schema, **constants) -> Iterator[pa.RecordBatch]:
    """_declared, in record batches."""
    yield from _declared(frame, schema, **constants).to_batches(max_chunksize=65_536)


def _one_row(schema: pa.Schema, **values) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([values], schema=schema)


# ---------------------------------------------------------------- job 1: read and classify, per file


# one task per FileGroup (sources.plan_inputs): a file, or the parts of a split file, which are one table
_File = sources.FileGroup


def _group(paths: str, displays: str, name: str | None = None) -> sources.FileGroup:
    """A task descriptor's files (JSON lists) as the FileGroup the driver planned (`name`: a split table's name when
    include / exclude left one part of it, sources.select_files)."""
    return sources.FileGroup(tuple(json.loads(paths)), tuple(json.loads(displays)), name=name or None)


def _classify_file(file_index: int, f: _File, sample_size: int) -> Iterator[pa.RecordBatch]:
    part = sources.load_group(f)
    for member, table in enumerate(part.tables):
        meta = {
            "source_types": table.source_types,
            "declared_links": [asdict(d) for d in table.declared_links],
            "primary_key": table.primary_key,
            "warnings": table.warnings,
        }
        error = None
        try:
            classes = classify.classify_table(table, sample_size)
            meta["classes"] = [asdict(c) for c in classes]
            meta["rows"] = table.frame.select(pl.len()).collect().item()
            meta["derived"] = list(_derived_metas(table, classes, sample_size))
        except Exception as exc:  # reported like the local scan does: by the exception's type only
            error = type(exc).__name__
        yield _one_row(
            TABLE_META,
            kind="table",
            file=file_index,
            member=member,
            name=table.name,
            path=table.path,
            error=error,
            meta=json.dumps(meta),
        )
    for u in part.unreadable:
        yield _one_row(
            TABLE_META, kind="unreadable", file=file_index, member=-1, name=None, path=u.path, error=u.error
        )


def _derived_metas(
    table: Table,
    classes: list[classify.ColumnClass],
    sample_size: int,
    roles: tuple[str, ...] = (),
    lineage: tuple[list, ...] = (),
) -> Iterator[dict]:
    """Second people of the table's rows (co_subjects), classified here where the columns are: the driver holds
    key columns only. As the local scan's queue does, a derived table that names someone is searched for second
    people of its own (a spouse's beneficiary): each entry carries its chain of roles and the classes of every
    table above it, so job 2 can rebuild it. The driver names the tables once the file table's name is final."""
    above = (*lineage, [asdict(c) for c in classes])
    for d in co_subjects.co_subject_tables(table, classes):  # one entry per role, not per row
        role = d.name[len(table.name) + 2 : -1]  # "tax_returns (spouse)" -> "spouse"
        prefix = f"derived from {table.name}: "
        entry: dict = {
            "roles": [*roles, role],
            "lineage": list(above),
            "warnings": [w.removeprefix(prefix) for w in d.warnings],
        }
        try:
            d_classes = classify.classify_table(d, sample_size)
            if not co_subjects.names_someone(d_classes):
                continue  # as the local scan: a derived table that names nobody holds no one's information
            entry["classes"] = [asdict(c) for c in d_classes]
            entry["rows"] = d.frame.select(pl.len()).collect().item()
        except Exception as exc:  # reported like the local scan does: by the exception's type only
            entry["error"] = type(exc).__name__
            yield entry
            continue
        yield entry
        yield from _derived_metas(d, d_classes, sample_size, (*roles, role), above)


def _derived_table(table: Table, roles: list[str], lineage: list[list[dict]]) -> Table:
    """The derived table at the end of a chain of roles, built level by level as co_subjects builds it locally."""
    for role, classes in zip(roles, lineage, strict=True):  # one entry per level of the chain
        parent_classes = [classify.ColumnClass(**c) for c in classes]
        table = next(
            (
                d
                for d in co_subjects.co_subject_tables(table, parent_classes)
                if d.name == f"{table.name} ({role})"
            ),
            None,
        )
        if table is None:
            raise LookupError(f"no {role} columns")
    return table


# ---------------------------------------------------------------- job 2: evaluate, per table or row range


def _evaluate_slice(task: dict) -> Iterator[pa.RecordBatch]:
    name = task["name"]
    try:
        part = sources.load_group(_group(task["file"], task["display"], task["group_name"]))
        source = part.tables[task["member"]]
        roles = json.loads(task["roles"])
        if roles:  # a second person's derived table (co_subjects), built from the file's table here
            source = _derived_table(source, roles, json.loads(task["lineage"]))
        frame = source.frame
        if task["length"] >= 0:
            frame = frame.slice(task["offset"], task["length"])
        # one read of the slice serves the evaluation and the key columns; the streaming engine does not
        # keep row order, the row position does
        data = frame.collect().sort(ROW)
        # the joined column of a composite key that a links file names (the driver listed it in key_columns)
        data = data.with_columns(composite_key_columns(data.columns, json.loads(task["key_columns"])))
        # ...and a family's key on its members' rows and on its subscriber's (links.family_links), as locally
        data = data.with_columns(
            links.key_expr(c) for c in json.loads(task["key_columns"]) if links.FAMILY_ROLE in c
        )
        table = Table(name, source.path, data.lazy(), source.source_types)
        classes = [classify.ColumnClass(**c) for c in json.loads(task["classes"])]
        recs, stats = records.evaluate_table(table, classes)
        if recs.columns != list(records.RECORD_SCHEMA):
            raise TypeError("evaluate_table returned columns other than records.RECORD_SCHEMA")
    except Exception as exc:  # the whole table is then reported as not evaluated, as locally
        yield _one_row(EVALUATED, kind="stats", table=name, meta=json.dumps({"error": type(exc).__name__}))
        return
    yield from _batches(recs, EVALUATED, kind="records")
    key_counts = {}
    for col in json.loads(task["key_columns"]):
        keys = data.select(pl.col(ROW), pl.col(col).alias("value")).drop_nulls("value")
        # each value also as links compares it: the link rows are joined on the executors by it
        keys = links.with_key_values(keys, "value", "key")
        yield from _batches(keys, EVALUATED, kind="keys", table=name, column=col)
        # what link discovery measures (links.measure_keys), for this slice: the distinct key values, and how
        # many rows hold one
        keyed = keys.select("key").drop_nulls("key")
        key_counts[col] = keyed.height
        distinct = keyed.select(pl.col("key").unique().alias("value")).with_columns(
            pl.col("value").str.contains(links.SMALL_INTEGER_KEY).alias("small_integer")
        )
        yield from _batches(distinct, EVALUATED, kind="key_values", table=name, column=col)
    stats_json = {col: asdict(s) for col, s in stats.items()}
    meta = {"stats": stats_json, "key_counts": key_counts}
    yield _one_row(EVALUATED, kind="stats", table=name, meta=json.dumps(meta))


# ---------------------------------------------------------------- link discovery's measures, on the engine


def _measure_keys_on_engine(spark, job2, key_counts: dict[tuple[str, str], int]):
    """links.measure_keys answered by Spark from job 2's distinct key values: the distinct count and the
    small-integer test per column, and the overlaps of columns with key columns as joins on the executors. The
    pairs to count and every decision are links' own (key_pairs, discover_links)."""
    from pyspark.sql import functions as F

    def measure(tables: list[Table], classes: dict) -> links.KeyMeasures | None:
        candidates = [
            (t.name, c)
            for t in tables  # one entry per table and candidate column, in the order measure_keys takes them
            for c in links._candidate_columns(t, classes.get(t.name, []))
        ]
        if not candidates:
            return None
        wanted = spark.createDataFrame(candidates, "table string, column string")
        values = (
            job2.filter(job2.kind == "key_values")
            .select("table", "column", "value", "small_integer")
            .distinct()
            .join(wanted, ["table", "column"])
            .persist()
        )
        try:
            per_column = _to_polars(
                values.groupBy("table", "column").agg(
                    F.count("*").alias("distinct"), F.min(F.col("small_integer").cast("int")).alias("ints")
                )
            )
            found = {(r["table"], r["column"]): r for r in per_column.iter_rows(named=True)}  # one per column
            rows = {t.name: t.frame.select(pl.len()).collect().item() for t in tables}  # one per table
            profiles, ints = [], []
            for t, c in candidates:  # one entry per candidate column
                r = found.get((t, c))
                if r is None or r["distinct"] < links.MIN_DISTINCT:
                    continue
                profiles.append((t, c, rows[t], key_counts.get((t, c), 0), r["distinct"]))
                ints.append(bool(r["ints"]))
            if not profiles:
                return None
            prof = links.profile_frame(profiles)
            numeric = prof.select("cid", pl.Series("ints", ints))
            named, free = links.key_pairs(prof, numeric, links.element_columns(classes))
            return links.KeyMeasures(prof, numeric, _overlaps_on_engine(spark, values, prof, named, free))
        finally:
            values.unpersist()

    return measure


def _overlaps_on_engine(
    spark, values, prof: pl.DataFrame, named: pl.DataFrame, free: list[int]
) -> pl.DataFrame:
    """links._overlaps as Spark joins: (cid, pid, len) for the pairs key_pairs lists."""
    from pyspark.sql import functions as F

    cids = spark.createDataFrame(
        prof.select("cid", "table", "column").rows(), "cid int, table string, column string"
    )
    keys = prof.filter(pl.col("distinct") == pl.col("count")).get_column("cid").to_list()
    by_cid = values.join(cids, ["table", "column"]).select("cid", "value")
    key_values = by_cid.filter(F.col("cid").isin(keys)).withColumnRenamed("cid", "pid")
    by_value = (
        by_cid.filter(F.col("cid").isin(free))
        .join(key_values, "value")
        .filter(F.col("cid") != F.col("pid"))
        .groupBy("cid", "pid")
        .count()
    )
    pairs = spark.createDataFrame(named.rows(), "cid int, pid int")
    by_name = by_cid.join(pairs, "cid").join(key_values, ["pid", "value"]).groupBy("cid", "pid").count()
    counted = _to_polars(by_value.unionByName(by_name))
    return counted.select(
        pl.col("cid").cast(pl.Int32),
        pl.col("pid").cast(pl.Int32),
        pl.col("count").cast(pl.UInt32).alias("len"),
    )


def _match_rows_on_engine(spark, job2):
    """links.match_rows as a Spark join: the rows of each followed reference with the same key value."""
    from pyspark.sql import functions as F

    def match(followed: list[links.Followed]) -> pl.DataFrame:
        spec = spark.createDataFrame(
            [
                (i, c.name, ca, p.name, cb, k.identity_rank)
                for i, k, c, p in followed
                for ca, cb in [links.key_columns_of(k)]  # a family's rows by its key's roles (family_links)
            ],
            "link int, ta string, ca string, tb string, cb string, rank int",
        )
        keys = job2.filter((job2.kind == "keys") & job2.key.isNotNull()).select(
            "table", "column", F.col(ROW).alias("row"), "key"
        )
        child = keys.join(spec, (keys.table == spec.ta) & (keys.column == spec.ca)).select(
            "link", "rank", F.col("row").alias("row_a"), "key"
        )
        parent = keys.join(spec, (keys.table == spec.tb) & (keys.column == spec.cb)).select(
            "link", F.col("row").alias("row_b"), "key"
        )
        matched = _to_polars(child.join(parent, ["link", "key"]).select("row_a", "row_b", "link", "rank"))
        return matched.select(
            pl.col("row_a").cast(pl.UInt64),
            pl.col("row_b").cast(pl.UInt64),
            pl.col("link").cast(pl.Int32),
            pl.col("rank").cast(pl.Int32),
        )

    return match


# ---------------------------------------------------------------- job 3: individuals, per bucket of person groups

_BUCKET_RECORDS = {ORIGIN: pl.Int64, **records.RECORD_SCHEMA}
_RESOLVED = {GID: pl.Int64, **_BUCKET_RECORDS, "individual": pl.Int64, person_groups.HOLDER: pl.Int64}
# the link rows', the individuals' and the findings' columns travel beside the records' under these prefixes
# (several have a "residency" or a "table" of their own)
_LINK = "link__"


@functools.cache
def _empty_bucket() -> person_groups.Resolved:
    """A bucket of no records resolved: its individuals' and findings' columns and types."""
    return person_groups.resolve_part(
        pl.DataFrame(schema=_BUCKET_RECORDS), pl.DataFrame(schema=links.LINK_ROWS), [], b"-"
    )


def _people_schema() -> dict[str, pl.DataType]:
    return dict(_empty_bucket()[1].schema)


def _findings_schema() -> dict[str, pl.DataType]:
    findings = _empty_bucket()[2]
    assert findings is not None  # made, a key was given
    return dict(findings.schema)


def _outputs() -> dict[str, tuple[dict[str, pl.DataType], str]]:
    """What job 3 returns per bucket: kind -> (columns and types, prefix on the wire)."""
    return {
        "records": (_RESOLVED, ""),
        "people": (_people_schema(), "person__"),
        "findings": (_findings_schema(), "finding__"),
    }


def _schema(kinds: dict[str, pl.DataType]) -> list[tuple[str, pa.DataType]]:
    return [(c, _arrow_type(t)) for c, t in kinds.items()]


def _bucket_in() -> pa.Schema:
    """A bucket's records and link rows, one table (rows of both kinds; "order" keeps the link rows' order)."""
    cols = {**_BUCKET_RECORDS, **{f"{_LINK}{c}": t for c, t in links.LINK_ROWS.items()}}
    return pa.schema([("kind", pa.string()), ("bucket", pa.int64()), ("order", pa.int64()), *_schema(cols)])


def _bucket_out() -> pa.Schema:
    cols = {f"{prefix}{c}": t for kinds, prefix in _outputs().values() for c, t in kinds.items()}
    return pa.schema([("kind", pa.string()), ("bucket", pa.int64()), *_schema(cols)])


def _from_wire(frame: pl.DataFrame, kinds: dict[str, pl.DataType], prefix: str = "") -> pl.DataFrame:
    return frame.select(pl.col(f"{prefix}{c}").cast(t).alias(c) for c, t in kinds.items())


def _collect_kind(out, kind: str) -> dict[int, pl.DataFrame]:
    """One kind of job 3's rows, only its own columns, as their polars types, by bucket."""
    from pyspark.sql import functions as F

    kinds, prefix = _outputs()[kind]
    wanted = out.filter(F.col("kind") == kind).select("bucket", *(f"{prefix}{c}" for c in kinds))
    frame = _to_polars(wanted)
    typed = _from_wire(frame, kinds, prefix).with_columns(frame.get_column("bucket"))
    return {k: f for (k,), f in typed.partition_by("bucket", as_dict=True, include_key=False).items()}


def _records_from_job2(sdf, job2):
    """The bucket table with each record's columns taken from job 2's records by (table, row)."""
    wanted = [c for c in records.RECORD_SCHEMA if c not in ("table", ROW)]
    # a record's row keeps the bucket table's other columns (the link rows', null there)
    places = sdf.filter(sdf.kind == "records").drop(*wanted)
    evaluated = job2.filter(job2.kind == "records").select("table", ROW, *wanted)
    whole = places.join(evaluated, ["table", ROW]).select(*sdf.columns)  # the bucket table's own column order
    return whole.unionByName(sdf.filter(sdf.kind != "records"))


def _resolve_bucket(table: pa.Table, link_names: list[str], key: bytes | None) -> pa.Table:
    """One bucket of person groups, in an executor: person_groups.resolve_part on its records and link rows.

    A failure is raised by its exception's type only: a polars message can quote the values it failed on, and
    Spark carries the message to the driver's logs."""
    try:
        return _resolve_bucket_rows(table, link_names, key)
    except Exception as exc:
        raise RuntimeError(f"identity resolution of a bucket failed: {type(exc).__name__}") from None


def _resolve_bucket_rows(table: pa.Table, link_names: list[str], key: bytes | None) -> pa.Table:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    bucket = frame.get_column("bucket")[0]
    # a shuffle keeps no order: the records by their whole-scan number, the link rows by their own
    recs = _from_wire(frame.filter(pl.col("kind") == "records"), _BUCKET_RECORDS).sort(ORIGIN)
    links_in = frame.filter(pl.col("kind") == "links").sort("order")
    household = links_in.get_column(f"{_LINK}household").null_count() < links_in.height
    rows = _from_wire(
        links_in, {c: t for c, t in links.LINK_ROWS.items() if household or c != "household"}, _LINK
    )
    made = dict(
        zip(
            ("records", "people", "findings"),
            person_groups.resolve_part(recs, rows, link_names, key),
            strict=True,
        )
    )
    schema = _bucket_out()
    return pa.concat_tables(
        [
            _declared(made[kind].rename(lambda c, p=prefix: f"{p}{c}"), schema, kind=kind, bucket=bucket)
            for kind, (_, prefix) in _outputs().items()  # one entry per kind of output
            if made[kind] is not None
        ]
    )


def _individuals_on_engine(spark, buckets: int, job2=None):
    """TableWork.individuals: person groups found here, each bucket of them resolved on an executor, with its
    findings' keyed hashes (the key travels to the executors in the task, as the hashes are made there).

    With job 2's persisted output the driver sends each record's place only (table, row, number, bucket) and
    the executors take the record itself from job 2; without it, the records themselves."""

    def run(parts, link_names: list[str], key: bytes | None) -> list:
        schema = _bucket_in()
        tables = []
        for k, (recs, rows) in enumerate(parts):  # one entry per bucket, not per record
            sent = recs if job2 is None else recs.select(ORIGIN, "table", ROW)
            tables.append(_declared(sent, schema, kind="records", bucket=k))
            links_k = rows.rename(lambda c: f"{_LINK}{c}").with_row_index("order")
            tables.append(_declared(links_k, schema, kind="links", bucket=k))
            del recs, rows, links_k, sent  # the polars copy goes as soon as its Arrow copy is made
        # one chunk: pyspark 4.3's createDataFrame(pyarrow.Table) stops at a zero-row chunk (a bucket without link
        # rows) and silently drops every row after it (seen here; tests/test_spark.py has buckets without links)
        table = pa.concat_tables(tables).combine_chunks()
        del tables
        buckets_sent = table.column("bucket").unique().to_pylist()
        sdf = spark.createDataFrame(table)
        del table  # handed to the JVM
        if job2 is not None:
            sdf = _records_from_job2(sdf, job2)
        grouped = sdf.groupBy("bucket")

        def resolve(table: pa.Table) -> pa.Table:  # typed: Spark reads the kind of Arrow UDF from the hints
            return _resolve_bucket(table, link_names, key)

        # computed once, then read as narrow frames: the records', individuals' and findings' columns travel side
        # by side, and one wide collect would hold a null of every other column in every row
        out = grouped.applyInArrow(resolve, _spark_schema(_bucket_out())).persist()
        try:
            made = {kind: _collect_kind(out, kind) for kind in _outputs()}
        finally:
            out.unpersist()
        empty = {kind: pl.DataFrame(schema=kinds) for kind, (kinds, _) in _outputs().items()}
        results = []
        for k in sorted(buckets_sent):  # one entry per bucket
            mine, people, found = (
                made[kind].pop(k, empty[kind]) for kind in ("records", "people", "findings")
            )
            results.append(
                (
                    mine.sort(GID),
                    people.sort("individual"),
                    None if key is None else found.sort("individual", "element"),
                )
            )
        return results

    def individuals_of(all_records: pl.DataFrame, link_rows: pl.DataFrame, link_names: list[str], key=None):
        return person_groups.individuals_by_groups(all_records, link_rows, link_names, buckets, run, key)

    return individuals_of


# ---------------------------------------------------------------- the driver


def spark_session(master: str = "local[2]", app_name: str = "breachscan", conf: dict | None = None):
    """A SparkSession whose Python workers run this interpreter (so polars and this package are there)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app_name)
    settings = {
        "spark.driver.memory": os.environ.get("BREACHSCAN_SPARK_DRIVER_MEMORY", "4g"),
        "spark.driver.maxResultSize": "0",  # the records come back to the driver for the global reduce
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.ui.showConsoleProgress": "false",
        # a busy machine can starve the JVM for minutes: do not declare the local executor lost for that
        "spark.network.timeout": "900s",
        "spark.executor.heartbeatInterval": "60s",
        "spark.python.worker.faulthandler.enabled": "true",  # a crashed worker leaves a Python traceback
        # a join or group's shuffle in as many partitions as a local session has cores to run them: Spark's
        # default of 200 costs seconds of task start-up per join on one machine (a cluster keeps its own setting)
        **(
            {"spark.sql.shuffle.partitions": str(2 * _local_cores(master))}
            if master.startswith("local")
            else {}
        ),
        **(conf or {}),
    }
    for k, v in settings.items():
        builder = builder.config(k, v)
    return builder.getOrCreate()


def _local_cores(master: str) -> int:
    """local -> 1, local[4] -> 4, local[*] -> this machine's cores."""
    inside = master[len("local") :].strip("[]").split(",")[0]
    if inside.isdigit():
        return max(int(inside), 1)
    return (os.cpu_count() or 1) if inside == "*" else 1


def _files(inputs: Sequence[str]) -> list[_File | Unreadable]:
    """The files load_sources would open, in its order and groups; inputs that do not exist become Unreadable."""
    out: list[_File | Unreadable] = []
    for entry in sources.plan_inputs(inputs):  # one entry per input, file or group of parts
        if isinstance(entry, str):
            raise ValueError(
                f"--engine spark reads files and folders; scan {sources.mask_uri(entry)} with the local engine"
            )
        out.append(entry)
    return out


def _descriptor_frame(spark, rows: list[dict], schema: pa.Schema):
    """One descriptor per partition, so each task gets one file or one slice."""
    sdf_schema = _spark_schema(schema)
    tuples = [tuple(r[f.name] for f in schema) for r in rows]
    try:
        rdd = spark.sparkContext.parallelize(tuples, max(len(tuples), 1))
        return spark.createDataFrame(rdd, sdf_schema)
    except Exception:  # Spark Connect has no RDDs: let Spark spread the rows
        return spark.createDataFrame(tuples, sdf_schema).repartition(max(len(tuples), 1))


# path, display: JSON lists, the files of one FileGroup (one file, or the parts of a split file)
FILE_TASK = pa.schema([("file", pa.int64()), ("path", pa.string()), ("display", pa.string())])
SLICE_TASK = pa.schema(
    [
        ("file", pa.string()),
        ("display", pa.string()),
        ("member", pa.int64()),
        ("name", pa.string()),
        ("classes", pa.string()),
        ("offset", pa.int64()),
        ("length", pa.int64()),
        ("key_columns", pa.string()),
        (
            "roles",
            pa.string(),
        ),  # JSON: a derived table's chain of roles (["spouse"]), [] for a table of the file
        ("lineage", pa.string()),  # JSON: the classes of each table above it in the chain
        ("group_name", pa.string()),  # FileGroup.name: the split table's name when parts were left out
    ]
)


def _to_polars(sdf) -> pl.DataFrame:
    frame = pl.from_arrow(sdf.toArrow())
    assert isinstance(frame, pl.DataFrame)
    return frame


@dataclass
class _Planned:
    table: Table
    file: _File
    member: int
    meta: dict
    error: str | None


def _key_columns(t: Table, classes: list[classify.ColumnClass], declared: list[DeclaredLink]) -> list[str]:
    """Columns the reduce reads from a table: link candidates, and columns of declared or configured links.

    `declared`: every table's declared links and the configured ones: a link is declared on the referencing
    table, and the column it references (a phone, an SSN) may be no key candidate of its own table."""
    present = [c.name for c in classes]
    wanted = set(links._candidate_columns(t, classes))
    for d in declared:
        if d.from_table == t.name:
            wanted.add(d.from_column)
        if d.to_table == t.name:
            wanted.add(d.to_column)
    # a composite key a links file names is made from its parts in the executor (tables.composite_key_columns)
    made = [e.meta.output_name() for e in composite_key_columns(present, wanted)]
    # a family's key on its members' rows and on its subscriber's (links.family_links), made in the executor
    return [c for c in present if c in wanted] + made + links.family_key_columns(classes)


class _Precomputed:
    """The per-table work of scan_sources answered from the Spark jobs (classes of job 1, records of job 2,
    second people's tables built by the executors)."""

    def __init__(
        self,
        classes: dict,
        evaluated: dict,
        errors: dict,
        derived: dict[str, list[Table]],
        individuals_of=None,
        measure_keys=None,
        match_rows=None,
    ):
        self._classes, self._evaluated, self._errors, self._derived = classes, evaluated, errors, derived
        self._individuals_of, self._measure_keys, self._match_rows = individuals_of, measure_keys, match_rows

    def _raise(self, name: str) -> None:
        if name in self._errors:  # the same exception type name the local scan would report
            raise type(self._errors[name], (Exception,), {})()

    def classify_table(self, table: Table, sample_size: int = 1000):
        self._raise(table.name)
        return self._classes[table.name]

    def evaluate_table(self, table: Table, classes):
        self._raise(table.name)
        return self._evaluated[table.name]

    def co_subject_tables(self, table: Table, classes) -> list[Table]:
        return self._derived.get(table.name, [])

    def work(self) -> scan.TableWork:
        return scan.TableWork(
            self.classify_table,
            self.evaluate_table,
            self.co_subject_tables,
            self._individuals_of,
            self._measure_keys,
            self._match_rows,
        )


def _merge_stats(parts: list[dict]) -> dict[str, records.ColumnStats]:
    """Full-column stats of a table's row ranges, added up field by field (counts, and counts by reason)."""
    merged: dict[str, dict] = {}
    for part in parts:
        for col, s in part.items():
            m = merged.setdefault(col, {})
            for key, value in s.items():
                if isinstance(value, dict):
                    into = dict(m.get(key) or {})
                    for k, n in value.items():
                        into[k] = into.get(k, 0) + n
                    m[key] = into
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    m[key] = (m.get(key) or 0) + value
                else:
                    m.setdefault(key, value)
    out = {}
    for col, m in merged.items():
        if m.get("rejected_reasons"):
            m["rejected_reasons"] = dict(sorted(m["rejected_reasons"].items()))  # evaluate_table sorts them
        out[col] = records.ColumnStats(**m)
    return out


def run_scan_spark(
    inputs: Sequence[str | Path],
    out_dir: Path | str | None = None,
    options: ScanOptions | None = None,
    master: str = "local[2]",
    *,
    spark=None,
    rows_per_task: int = DEFAULT_ROWS_PER_TASK,
    person_buckets: int | None = None,
) -> ScanResult:
    """The same scan as ``scan.run_scan``, with reading, classification, evaluation and identity resolution on
    Spark. ``person_buckets``: how many Spark groups identity resolution is split into (person_groups); by
    default twice the cluster's default parallelism."""
    options = options or ScanOptions()
    spark = spark or spark_session(master)
    buckets = person_buckets or 2 * max(int(spark.sparkContext.defaultParallelism), 1)
    sample_size = options.sample_size

    # job 1: read and classify, one task per file or per split file's parts (one table)
    entries = sources.select_files(_files([str(i) for i in inputs]), options.include, options.exclude)
    files = [e for e in entries if isinstance(e, _File)]
    file_rows = [
        {"file": i, "path": json.dumps(f.paths), "display": json.dumps(f.displays)}
        for i, f in enumerate(files)
    ]
    metas = pl.DataFrame(schema={f.name: pl.String for f in TABLE_META})
    if files:

        def classify_files(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in batches:
                for row in batch.to_pylist():
                    yield from _classify_file(row["file"], files[row["file"]], sample_size)

        job1 = _descriptor_frame(spark, file_rows, FILE_TASK).mapInArrow(
            classify_files, _spark_schema(TABLE_META)
        )
        metas = _to_polars(job1).sort("file", "member")

    # the driver names the tables as load_sources does, in its order
    planned: list[_Planned] = []
    unreadable: list[Unreadable] = []
    roots: dict[int, str] = {}
    file_of = {id(f): i for i, f in enumerate(files)}
    for entry in entries:
        if isinstance(entry, Unreadable):
            unreadable.append(entry)
            continue
        mine = metas.filter(pl.col("file") == file_of[id(entry)])
        # one descriptor per table of the file (the executors' classification results), not per data row
        for m in mine.filter(pl.col("kind") == "table").iter_rows(named=True):
            meta = json.loads(m["meta"])
            t = Table(
                m["name"],
                m["path"],
                pl.LazyFrame(),
                meta["source_types"],
                [DeclaredLink(**d) for d in meta["declared_links"]],
                meta["primary_key"],
                meta["warnings"],
            )
            if entry.root is not None:
                roots[id(t)] = entry.root
            planned.append(_Planned(t, entry, m["member"], meta, m["error"]))
        unreadable += [  # one descriptor per unreadable member of the file, not per data row
            Unreadable(u["path"], u["error"])
            for u in mine.filter(pl.col("kind") == "unreadable").iter_rows(named=True)
        ]
    planned = [
        p for p in planned if sources.table_selected(p.table.name, p.file, options.include, options.exclude)
    ]
    sources._disambiguate([p.table for p in planned], roots)
    # second people's tables, named after their parent's final name as the local scan names them
    derived_of: dict[str, list[Table]] = {}
    for p in list(planned):  # one entry per table, not per row
        if p.error:
            continue
        for d in p.meta.get("derived", []):  # one entry per derived table, parents before their own
            parent = p.table.name + "".join(f" ({r})" for r in d["roles"][:-1])
            t = Table(
                f"{parent} ({d['roles'][-1]})",
                p.table.path,
                pl.LazyFrame(),
                warnings=[f"derived from {parent}: {w}" for w in d["warnings"]],
            )
            derived_of.setdefault(parent, []).append(t)
            planned.append(_Planned(t, p.file, p.member, d, d.get("error")))

    # job 2: evaluate, one task per table or per slice of a big table
    config = links.load_link_config(options.links_file)
    classes: dict[str, list[classify.ColumnClass]] = {}
    errors: dict[str, str] = {}
    keys_of: dict[str, list[str]] = {}
    declared = [*(d for p in planned for d in p.table.declared_links), *config.add]
    tasks = []
    for p in planned:
        name = p.table.name
        if p.error:
            errors[name] = p.error
            continue
        classes[name] = [classify.ColumnClass(**c) for c in p.meta["classes"]]
        keys_of[name] = _key_columns(p.table, classes[name], declared)
        n = p.meta["rows"]
        step = max(int(rows_per_task), 1)
        ranges = [(0, -1)] if n <= step else [(o, step) for o in range(0, n, step)]
        for offset, length in ranges:
            tasks.append(
                {
                    "file": json.dumps(p.file.paths),
                    "display": json.dumps(p.file.displays),
                    "member": p.member,
                    "name": name,
                    "classes": json.dumps(p.meta["classes"]),
                    "offset": offset,
                    "length": length,
                    "key_columns": json.dumps(keys_of[name]),
                    "roles": json.dumps(p.meta.get("roles", [])),
                    "lineage": json.dumps(p.meta.get("lineage", [])),
                    "group_name": p.file.name or "",
                }
            )
    out = pl.DataFrame(schema={f.name: pl.String for f in EVALUATED})
    declared_columns = {
        end for d in declared for end in ((d.from_table, d.from_column), (d.to_table, d.to_column))
    }
    job2 = None
    key_counts: dict[
        tuple[str, str], int
    ] = {}  # (table, column) -> rows holding a key value, over all slices
    if tasks:

        def evaluate(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in batches:
                for row in batch.to_pylist():
                    yield from _evaluate_slice(row)

        job2 = _descriptor_frame(spark, tasks, SLICE_TASK).mapInArrow(evaluate, _spark_schema(EVALUATED))
        job2 = job2.persist()  # read again by link discovery on the engine (its key values stay there)
        # the driver takes the records and stats, and the key values of declared or configured links only
        # (their coverage is measured on the driver); every other key value stays on the executors
        from pyspark.sql import functions as F

        declared = F.concat_ws("\x1f", "table", "column").isin([f"{t}\x1f{c}" for t, c in declared_columns])
        out = _to_polars(job2.filter(job2.kind.isin("records", "stats") | ((job2.kind == "keys") & declared)))

    # the reduce: scan_sources on key-column tables, with the executors' answers
    evaluated: dict[str, tuple[pl.DataFrame, dict]] = {}
    stat_rows = out.filter(pl.col("kind") == "stats")
    for p in planned:
        name = p.table.name
        if name in errors:
            continue
        metas_t = [json.loads(s) for s in stat_rows.filter(pl.col("table") == name).get_column("meta")]
        failed = [m["error"] for m in metas_t if "error" in m]
        if failed:
            errors[name] = failed[0]
            continue
        recs = (
            out.filter((pl.col("kind") == "records") & (pl.col("table") == name))
            .select(list(records.RECORD_SCHEMA))
            .cast(records.RECORD_SCHEMA)  # type: ignore[arg-type]
            .sort(ROW)
        )
        evaluated[name] = (recs, _merge_stats([m["stats"] for m in metas_t]))
        # the table on the driver: its rows, and the key columns of a declared or configured link
        p.table.frame = _key_frame(
            out, name, recs, [c for c in keys_of[name] if (name, c) in declared_columns]
        )
        for m in metas_t:  # one entry per slice of the table
            for col, n in m.get("key_counts", {}).items():
                key_counts[(name, col)] = key_counts.get((name, col), 0) + n
    derived_tables = {id(t) for ts in derived_of.values() for t in ts}
    source = SourceResult([p.table for p in planned if id(p.table) not in derived_tables], unreadable)
    measure = None if job2 is None else _measure_keys_on_engine(spark, job2, key_counts)
    match = None if job2 is None else _match_rows_on_engine(spark, job2)
    precomputed = _Precomputed(
        classes, evaluated, errors, derived_of, _individuals_on_engine(spark, buckets, job2), measure, match
    )
    try:
        result = scan.scan_sources(source, options, precomputed.work())
    finally:
        if job2 is not None:
            job2.unpersist()
    if out_dir is not None:
        write_outputs(result, Path(out_dir))
    return result


def _key_frame(out: pl.DataFrame, name: str, recs: pl.DataFrame, columns: list[str]) -> pl.LazyFrame:
    """The table again, with only the columns links read: one row per record, values as the source had them."""
    frame = recs.select(ROW)
    keys = out.filter((pl.col("kind") == "keys") & (pl.col("table") == name))
    for col in columns:
        values = keys.filter(pl.col("column") == col).select(
            pl.col(ROW).cast(pl.UInt64), pl.col("value").alias(col)
        )
        frame = frame.join(values, on=ROW, how="left")
    return frame.sort(ROW).lazy()


__all__ = ["DEFAULT_ROWS_PER_TASK", "run_scan_spark", "spark_session"]
