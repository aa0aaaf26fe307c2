"""The one shape every source becomes: named tables of string columns, plus declared keys.

Sources (files, dumps, archives, live databases) differ; what reaches the detectors does not. Every column is
a polars String so identifiers keep their leading zeros; the source's own type is kept in ``source_types`` so
a detector can tell an integer column (where an SSN may have lost its leading zero) from text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import polars as pl

ROW = "__row"  # row position in the source table, added by every reader; stable order for outputs
# A column holding one of a few texts (table names, verdicts, source columns, residency words, state codes, the
# path and table list shared by many individuals): dictionary-encoded, 4 bytes per value instead of a 16-byte
# string view each (polars' String is a view per value, null or not: at 5 M records the records' twelve such
# columns were 0.9 GB of their 1.6 GB). They compare, sort and test membership by their text, like strings.
WORD = pl.Categorical
# Small per-table queries (classification, key profiles) run this many tables at a time: for a schema of many
# small tables their cost is per-query overhead, which threads overlap while polars works without the GIL.
# Two threads took 500 small tables' classification 1.6x faster on 2 cores (benchmarks/run.py --tables);
# more add memory (a sample head of up to 200k rows, or a table's key columns, each) and little speed.
TABLE_THREADS = 2


@dataclass(frozen=True)
class DeclaredLink:
    """A key the source itself declares (FOREIGN KEY in a dump or catalog, or a link config)."""

    from_table: str
    from_column: str
    to_table: str
    to_column: str


@dataclass
class Table:
    name: str
    path: str  # where it came from, never with credentials: file path, "dump.sql#customers", "postgresql://host/db#t"
    frame: pl.LazyFrame  # all columns pl.String, plus ROW (UInt64)
    source_types: dict[str, str] = field(
        default_factory=dict
    )  # column -> "integer" | "float" | "string" | ...
    declared_links: list[DeclaredLink] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. "12 rows could not be parsed (ragged)"


@dataclass(frozen=True)
class Unreadable:
    path: str
    error: str  # names the cause; never contains a raw value from the data


@dataclass
class SourceResult:
    tables: list[Table] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)

    def extend(self, other: SourceResult) -> None:
        self.tables.extend(other.tables)
        self.unreadable.extend(other.unreadable)


# A composite key (FOREIGN KEY (region, cust_no) REFERENCES customers (region, cust_no)) is one key: its parts
# joined, each as links compares a key, into a column of its own on both sides, named by its parts.
COMPOSITE_SEPARATOR = "+"


def declared_links_of(
    from_table: str, to_table: str, from_cols: list[str], to_cols: list[str]
) -> list[DeclaredLink]:
    """The DeclaredLinks of one foreign key: one per column pair, or one on the joined columns of a composite key
    (linking its parts one by one would join W/1 to E/1: another region's customer number 1)."""
    if len(from_cols) > 1 and len(from_cols) == len(to_cols):
        return [
            DeclaredLink(
                from_table, COMPOSITE_SEPARATOR.join(from_cols), to_table, COMPOSITE_SEPARATOR.join(to_cols)
            )
        ]
    return [DeclaredLink(from_table, f, to_table, t) for f, t in zip(from_cols, to_cols, strict=False)]


def composite_key_columns(schema_names: Sequence[str], columns: Iterable[str]) -> list[pl.Expr]:
    """The joined column of each composite key among `columns` that a frame with `schema_names` lacks and whose
    parts it has (declared_links_of): null where a part is null, each part cleaned as links.key_value cleans a key."""
    from pipeline.links import key_value  # links reads tables: imported when called

    names = set(schema_names)
    out = []
    for column in sorted(set(columns)):  # one entry per key column named by a link
        parts = column.split(COMPOSITE_SEPARATOR)
        if column in names or len(parts) < 2 or not all(p in names for p in parts):
            continue
        out.append(pl.concat_str([key_value(pl.col(p)) for p in parts], separator="|").alias(column))
    return out


def with_composite_keys(tables: list[Table], configured: Sequence[DeclaredLink] = ()) -> None:
    """Add the joined column of every composite key that the tables' declared links or the `configured` ones name
    (a links file: payments.region+cust_no -> customers.region+cust_no) to the table it belongs to."""
    by_name = {t.name: t for t in tables}
    declared = [d for t in tables for d in t.declared_links]
    # (table, column) of the source's own keys: classified and reported as columns, so said in a warning
    own = {end for d in declared for end in ((d.from_table, d.from_column), (d.to_table, d.to_column))}
    wanted: dict[str, set[str]] = {}
    for d in [*declared, *configured]:  # one entry per link, not per row
        wanted.setdefault(d.from_table, set()).add(d.from_column)
        wanted.setdefault(d.to_table, set()).add(d.to_column)
    for name, columns in wanted.items():  # one entry per table
        table = by_name.get(name)
        if table is None:
            continue
        adds = composite_key_columns(table.frame.collect_schema().names(), columns)
        for column in (e.meta.output_name() for e in adds):  # one entry per composite key
            if (name, column) in own:
                parts = ", ".join(column.split(COMPOSITE_SEPARATOR))
                table.warnings.append(
                    f"declared composite key ({parts}) compared as one value: the column '{column}' is its parts "
                    "joined by the scanner, not a column of the source"
                )
        if adds:
            table.frame = table.frame.with_columns(adds)


def in_row_order(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` ordered by ROW. The streaming engine may return rows out of order, so the order is checked (one
    pass over an integer column) and the frame is sorted only when needed: a sort gathers every column."""
    if frame.height < 2:
        return frame
    ordered = frame.select((pl.col(ROW).diff().slice(1) >= 0).all()).item()
    return frame if ordered else frame.sort(ROW)


def unnest_structs(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Nested objects become columns of their own, named parent_field (address -> address_state, address_zip;
    name -> name_first, name_last), so each field is classified by its own header like a flat export's. Lists stay
    one column (their JSON text): a list has no field names to go by."""
    for _ in range(8):  # one entry per level of nesting, not per row
        schema = lf.collect_schema()
        structs = [n for n, d in schema.items() if isinstance(d, pl.Struct)]
        if not structs:
            return lf
        taken = set(schema.names())
        exprs = []
        for name, dtype in schema.items():  # one entry per column
            if name not in structs:
                exprs.append(pl.col(name))
                continue
            for f in dtype.fields:  # type: ignore[attr-defined]
                new = f"{name}_{f.name}"
                while new in taken:
                    new += "_"
                taken.add(new)
                exprs.append(pl.col(name).struct.field(f.name).alias(new))
        lf = lf.select(exprs)
    return lf


def strings_only(frame: pl.LazyFrame | pl.DataFrame) -> tuple[pl.LazyFrame, dict[str, str]]:
    """Cast every column to String and remember what it was; add the row position column."""
    lf = unnest_structs(frame.lazy())
    schema = lf.collect_schema()
    kinds: dict[str, str] = {}
    casts = []
    for name, dtype in schema.items():
        if dtype.is_integer():
            kinds[name] = "integer"
        elif dtype.is_float():
            kinds[name] = "float"
        elif dtype == pl.String:
            kinds[name] = "string"
        elif dtype.is_temporal():
            kinds[name] = "temporal"
        elif dtype == pl.Boolean:
            kinds[name] = "boolean"
        elif dtype == pl.Binary:
            kinds[name] = "binary"
        else:
            kinds[name] = "other"
        if dtype == pl.String:
            casts.append(pl.col(name))
        elif dtype == pl.Binary:
            # bytes are shown as hex: an encrypted column stays recognisable as ciphertext
            casts.append(pl.col(name).bin.encode("hex").alias(name))
        elif dtype.is_float():
            # 123456789.0 from a float column is the integer 123456789
            casts.append(
                pl.when(pl.col(name) == pl.col(name).round(0))
                .then(pl.col(name).cast(pl.Int64, strict=False).cast(pl.String))
                .otherwise(pl.col(name).cast(pl.String))
                .alias(name)
            )
        else:
            casts.append(pl.col(name).cast(pl.String, strict=False).alias(name))
    lf = lf.select(casts).with_row_index(ROW)
    return lf, kinds
