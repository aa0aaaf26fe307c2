"""JSON objects held in a text column, read as columns of their own.

A CSV or dump column holding `{"name": "Carl Ross", "ssn": "<nine digits>", "relationship": "spouse"}` under the
header `beneficiary` is a nested record, as an NDJSON file's nested object is: its fields become columns named
parent_field (`beneficiary_name`, `beneficiary_ssn`), classified by their own headers, so the beneficiary's SSN is
the beneficiary's (a second person of the row: pipeline/co_subjects.py) and not the policyholder's. Searched as
running text, every SSN inside went to the row's own person: the wrong person was notified and the right one
was not. Lists (an array of dependants) have no field names to go by and stay JSON text (pipeline/classify.py
keeps a list of other people from the row's subject).

It runs where every source becomes tables (sources.load_file), so both engines see the same table.
"""

from __future__ import annotations

import logging

import polars as pl

from detectors.common import header_tokens
from pipeline.tables import ROW, DeclaredLink, SourceResult, Table, unnest_structs

log = logging.getLogger("breachscan")

SAMPLE_ROWS = 200  # the first rows tell whether a column holds JSON objects
OBJECT = r"^\s*\{.*\}\s*$"
OBJECTS_SHARE = 0.9  # of its non-empty sampled values


def _json_columns(table: Table) -> tuple[list[str], list[str]]:
    """(columns of JSON objects, columns of JSON lists holding objects), from the table's first rows in one query:
    every table of every source is asked, so the question costs one small read."""
    schema = table.frame.collect_schema()
    text = [c for c, t in schema.items() if c != ROW and t == pl.String]
    if not text:
        return [], []
    shares = []
    for c in text:  # one entry per column: the expressions of one select
        v = pl.col(c).str.strip_chars()
        filled = (v.str.len_chars() > 0).sum()
        shares += [
            (v.str.contains(OBJECT).sum() / filled).alias(f"o{len(shares)}"),
            ((v.str.contains(ARRAY).sum() / filled) * v.str.contains(r"\{").any().cast(pl.Float64)).alias(
                f"a{len(shares)}"
            ),
        ]
    row = table.frame.head(SAMPLE_ROWS).select(shares).collect().row(0)
    objects = [c for c, share in zip(text, row[0::2], strict=True) if (share or 0) >= OBJECTS_SHARE]
    arrays = [c for c, share in zip(text, row[1::2], strict=True) if (share or 0) >= OBJECTS_SHARE]
    return objects, arrays


def _json_type(table: Table, column: str, shape: str) -> pl.DataType | None:
    """The type of the column's JSON values of `shape` (OBJECT or ARRAY), read from every value: a field only some
    rows have is kept."""
    values = table.frame.select(pl.col(column)).collect().get_column(column)
    values = values.filter(values.str.contains(shape).fill_null(False))
    return values.str.json_decode(infer_schema_length=None).dtype if values.len() else None


def _decoded_type(table: Table, column: str) -> pl.DataType | None:
    """The column's objects as one struct type."""
    dtype = _json_type(table, column, OBJECT)
    return dtype if isinstance(dtype, pl.Struct) and dtype.fields else None


def _as_text(column: str, dtype: pl.DataType) -> pl.Expr:
    """A field's value as text: lists as their JSON text (searched like running text), the rest cast."""
    if isinstance(dtype, (pl.List, pl.Array)):
        return (
            pl.struct(pl.col(column).alias("v")).struct.json_encode().str.slice(5).str.head(-1).alias(column)
        )
    if isinstance(dtype, pl.Struct):
        return pl.col(column).struct.json_encode().alias(column)
    return pl.col(column).cast(pl.String).alias(column)


def objects_as_columns(table: Table, columns: list[str] | None = None) -> Table:
    """The table with each column of JSON objects replaced by its fields; the table unchanged if it has none."""
    columns = _json_columns(table)[0] if columns is None else columns
    types = {c: t for c in columns if (t := _decoded_type(table, c)) is not None}
    if not types:
        return table
    # a value that is no object (a stray word, malformed JSON) is null in the fields, never an error
    decoded = table.frame.with_columns(
        pl.when(pl.col(c).str.contains(OBJECT)).then(pl.col(c)).str.json_decode(t).alias(c)
        for c, t in types.items()
    )
    frame = unnest_structs(decoded)
    schema = frame.collect_schema()
    before = set(table.frame.collect_schema().names())
    new = [c for c in schema.names() if c not in before]
    frame = frame.with_columns(_as_text(c, schema[c]) for c in new)
    warning = "JSON objects read as columns of their own: " + ", ".join(
        f"{c} ({', '.join(n for n in new if n.startswith(c + '_'))})" for c in types
    )
    log.info("%s: %s", table.name, warning)
    source_types = {k: v for k, v in table.source_types.items() if k not in types}
    return Table(
        name=table.name,
        path=table.path,
        frame=frame,
        source_types={**source_types, **{c: "string" for c in new}},
        declared_links=table.declared_links,
        primary_key=table.primary_key,
        warnings=[*table.warnings, warning],
    )


ARRAY = r"^\s*\[.*\]\s*$"
# A list of people under a household word (dependents, children, family) lives at the row's address, as
# co_subjects reads a spouse's or a dependant's columns; a list of beneficiaries or contacts does not.
HOUSEHOLD_LISTS = {"dependent", "dependant", "child", "children", "kid", "family", "household", "spouse"}
HOUSEHOLD_LISTS |= {"member", "insured", "covered", "dep", "occupant", "resident"}
# a personal auto policy lists the household's drivers (insurers require every licensed household member listed):
# until 2026-11-25 a policy document's drivers[] had no place, and the named insured listed there too was a
# second, unplaced person holding her own licence
HOUSEHOLD_LISTS |= {"driver", "operator", "listeddriver"}
# the fields that make a list's objects people: without a name they are the row's own things
PERSON_FIELDS = {
    "name",
    "first",
    "last",
    "fname",
    "lname",
    "surname",
    "given",
    "firstname",
    "lastname",
    "fullname",
}
# a name field of a thing, not of a person of its own: the name on a card, the billing or shipping name
OWN_THINGS = {
    "card",
    "cardholder",
    "holder",
    "billing",
    "bill",
    "ship",
    "shipping",
    "account",
    "acct",
    "payer",
}
# The key a table of a row's own things (a list of payment methods) declares to the row it came from: the row's
# number, in a column of both tables, so each element joins the row's person as a cards table joins its customer.
OWNER_KEY = "__document_row"
POSTAL_WORDS = {"state", "st", "zip", "zipcode", "postal", "postcode", "address", "addr", "city", "street"}


def _list_type(table: Table, column: str) -> tuple[pl.DataType, bool] | None:
    """(the column's lists of objects as one list-of-struct type, whether the objects are the row's own things);
    None when its lists hold no objects."""
    dtype = _json_type(table, column, ARRAY)
    inner = dtype.inner if isinstance(dtype, pl.List) else None
    if not isinstance(inner, pl.Struct) or not inner.fields:
        return None
    people = [f for f in inner.fields if _words(f.name) & PERSON_FIELDS]
    # a list of objects naming no person of their own (payment methods, bank accounts, cards with the name on the
    # card, addresses) is the row's own things
    own = not people or all(_words(f.name) & OWN_THINGS for f in people)
    return dtype, own


def _words(name: str) -> set[str]:
    words = set(header_tokens(name))
    return words | {w[:-3] + "y" if w.endswith("ies") else w.rstrip("s") for w in words}


def lists_as_tables(table: Table, arrays: list[str] | None = None) -> list[Table]:
    """The table without its columns of JSON lists of objects, and one table per such column, a row per element
    (`members (dependents)`: Ella's and Finn's own names and SSNs, each their own record). Numbers inside a list
    searched as running text went to the row's own person. A household list's rows take the row's postal columns.
    A list of the row's own things (`customers (paymentMethods)`: an account number and its PIN, a card and its
    CVV) is its row's: each element keeps the row's identity (OWNER_KEY, a key the table declares to its row), so
    its fields are read as the columns they are and count for the row's person. Until 2026-11-25 such a list
    stayed JSON text, searched as running text, where no account number and PIN are ever read.
    The derived table's rows are numbered in order of the row and the element (findings name that number)."""
    arrays = _json_columns(table)[1] if arrays is None else arrays
    types = {c: t for c in arrays if (t := _list_type(table, c)) is not None}
    if not types:
        return [table]
    schema = table.frame.collect_schema()
    postal = [c for c in schema.names() if c != ROW and c not in types and _words(c) & POSTAL_WORDS]
    derived = []
    owned = any(own for _, own in types.values())
    for column, (dtype, own) in types.items():  # one entry per list column, not per row
        household = not own and bool(_words(column) & HOUSEHOLD_LISTS)
        shared = postal if household else []
        elements = (
            table.frame.select(
                pl.col(ROW).alias("__parent"),
                pl.when(pl.col(column).str.contains(ARRAY))
                .then(pl.col(column))
                .str.json_decode(dtype)
                .alias("__e"),
                *[pl.col(c) for c in shared],
            )
            .with_columns(pl.int_ranges(0, pl.col("__e").list.len()).alias("__k"))
            .explode(["__e", "__k"])
            .filter(pl.col("__e").is_not_null())
            .sort("__parent", "__k")
        )
        fields = [f.name for f in dtype.inner.fields]  # type: ignore[union-attr]
        lower = {f.lower() for f in fields}
        frame = elements.select(
            pl.int_range(pl.len(), dtype=pl.UInt64).alias(ROW),
            *[pl.col("__e").struct.field(f).alias(f) for f in fields],
            *[pl.col(c) for c in shared if c.lower() not in lower],
            *([pl.col("__parent").cast(pl.String).alias(OWNER_KEY)] if own else []),
        )
        frame = unnest_structs(frame)
        frame = frame.with_columns(
            _as_text(c, t) for c, t in frame.collect_schema().items() if c not in (ROW, OWNER_KEY)
        )
        name = f"{table.name} ({column})"
        derived.append(
            Table(
                name=name,
                path=table.path,
                frame=frame,
                source_types={},
                declared_links=[DeclaredLink(name, OWNER_KEY, table.name, OWNER_KEY)] if own else [],
                warnings=[
                    f"derived from {table.name}: each element of its JSON list '{column}' a row of its own"
                    + (f", at the row's address ({', '.join(shared)})" if shared else "")
                    + (f", the row's own (linked to it by {OWNER_KEY})" if own else "")
                ],
            )
        )
    frame = table.frame.drop(list(types))
    if owned:
        frame = frame.with_columns(pl.col(ROW).cast(pl.String).alias(OWNER_KEY))
    parent = Table(
        name=table.name,
        path=table.path,
        frame=frame,
        source_types={k: v for k, v in table.source_types.items() if k not in types},
        declared_links=table.declared_links,
        primary_key=table.primary_key,
        warnings=[
            *table.warnings,
            "JSON lists read as tables of their own: "
            + ", ".join(f"{c} -> {table.name} ({c})" for c in types),
        ],
    )
    return [parent, *derived]


def read_objects(result: SourceResult) -> SourceResult:
    """Every table of a source with its JSON-object columns read as columns, and its JSON lists of objects as
    tables of their own."""
    tables = []
    for t in result.tables:  # one entry per table
        try:
            objects, arrays = _json_columns(t)
        except Exception as exc:  # noqa: BLE001 - the table's own reading reports what is wrong with its rows
            log.debug("%s: JSON columns not looked for: %s", t.name, type(exc).__name__)
            tables.append(t)
            continue
        if objects:  # the objects' own fields may hold lists: asked again of the new table
            t, arrays = _objects_or_as_is(t, objects), None
        tables += _lists_or_as_is(t, arrays) if arrays is None or arrays else [t]
    return SourceResult(tables, result.unreadable)


def _objects_or_as_is(table: Table, columns: list[str]) -> Table:
    try:
        return objects_as_columns(table, columns)
    except Exception as exc:  # noqa: BLE001 - the column is then searched as running text, as before
        log.debug("%s: JSON objects not read as columns: %s", table.name, type(exc).__name__)
        return table


def _lists_or_as_is(table: Table, arrays: list[str] | None) -> list[Table]:
    try:
        return lists_as_tables(table, arrays)
    except Exception as exc:  # noqa: BLE001 - the column is then searched as running text, as before
        log.debug("%s: JSON lists not read as tables: %s", table.name, type(exc).__name__)
        return [table]
