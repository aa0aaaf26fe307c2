"""Key-value tables (entity-attribute-value), read as one row per entity with its attributes as columns.

`customer_attributes(id, customer_id, attr_name, attr_value)` with the rows ('first_name', 'Ann') and ('ssn',
'<nine digits>'), WordPress's `wp_usermeta(umeta_id, user_id, meta_key, meta_value)` holding first_name,
last_name and billing_state, or `person_identifiers(person_id, id_type, id_value)` holding an SSN and a licence
number: each holds per entity what a wide table holds in its columns. Read row by row, no record has both the
name and the number, and MCL 445.63(p) needs them linked; the value column mixes SSNs, licences and names, so no
detector could read it as one element. Here such a table becomes one row per entity, each attribute a column
named by its attribute ('ssn', 'first_name'), which classification reads as it reads any header.

It runs where every source becomes tables (sources.load_file, and databases in sources.load_sources), so both
engines see the same table. Only a table whose every other column is the row's own bookkeeping (ids, dates,
flags) is read so: a table with data of its own beside a type and a value column (a transaction's card number
beside `type` and `value`) is left as it is, or its other data would be lost.

An entity with one value of an attribute (the usual case) is one row. An entity with several (an SSN entered
twice, an address history) is as many rows as its most repeated attribute has values, the k-th row holding each
attribute's k-th value, or its last where it has fewer: every row keeps the entity's name, so each value stays
linked to it (docs/counting-rules.md, "Key-value tables").
"""

from __future__ import annotations

import logging

import polars as pl

from detectors.common import header_tokens
from pipeline.tables import ROW, SourceResult, Table

log = logging.getLogger("breachscan")

# The attribute column's header (its words joined by "_"); "name" and "type" alone are not here: a product's
# name and price, or a transaction's type and amount, are no key-value pairs about a person.
ATTRIBUTE_HEADERS = {
    "attr",
    "attr_name",
    "attr_key",
    "attr_code",
    "attribute",
    "attribute_name",
    "attribute_key",
    "attribute_code",
    "key",
    "key_name",
    "field",
    "field_name",
    "field_key",
    "fieldname",
    "meta_key",
    "metakey",
    "property",
    "property_name",
    "prop_name",
    "param",
    "param_name",
    "parameter",
    "parameter_name",
    "setting",
    "setting_name",
    "data_key",
    "kv_key",
    "id_type",
    "identifier_type",
    "document_type",
    "doc_type",
}
# The value column's header; several (value_text, value_number) are read first to last, the first not empty
VALUE_HEADERS = {
    "value",
    "val",
    "attr_value",
    "attr_val",
    "attribute_value",
    "field_value",
    "meta_value",
    "metavalue",
    "property_value",
    "prop_value",
    "param_value",
    "parameter_value",
    "setting_value",
    "data_value",
    "kv_value",
    "value_text",
    "text_value",
    "value_string",
    "string_value",
    "value_str",
    "value_varchar",
    "value_number",
    "number_value",
    "value_int",
    "int_value",
    "id_value",
    "id_number",
    "identifier_value",
    "document_number",
    "doc_number",
    "document_value",
    "old_value",
    "new_value",
    "old_val",
    "new_val",
    "prev_value",
    "previous_value",
    "value_before",
    "value_after",
    "before_value",
    "after_value",
    "original_value",
}
# A value column naming a version (an audit log's old_value and new_value): each is its own column
VERSION_WORDS = {"old", "new", "prev", "previous", "before", "after", "original", "orig"}
# Words of the row's own bookkeeping: a key-value table may carry these beside its entity, attribute and value
# and still hold nothing else. "state" is not here: it is a residency column.
BOOKKEEPING_WORDS = {
    "id", "uuid", "guid", "pk", "seq", "sequence", "sort", "order", "ordinal", "position", "pos", "rank",
    "idx", "index", "version", "ver", "rev", "revision", "row", "record", "entry", "created", "updated",
    "modified", "deleted", "changed", "inserted", "last", "date", "dt", "time", "ts", "timestamp", "at", "on",
    "by", "source", "src", "origin", "system", "status", "is", "flag", "active", "current", "primary",
    "verified", "valid", "from", "to", "until", "effective", "expires", "expiry", "start", "end", "locale",
    "lang", "language", "kind", "category", "group", "visibility", "private", "public", "hidden", "autoload",
    "action", "operation", "op", "event", "change", "audit", "log",
}  # fmt: skip
ID_WORDS = {"id", "uuid", "guid", "key", "no", "num", "number", "ref"}
# An entity column's header names who the rows are about; the row's own id names the row
ENTITY_WORDS = {
    "entity", "customer", "cust", "user", "person", "member", "client", "patient", "employee", "emp", "subject",
    "account", "acct", "party", "contact", "applicant", "owner", "student", "profile", "holder", "borrower",
    "insured", "subscriber", "individual", "people", "object", "parent",
}  # fmt: skip
ROW_WORDS = {
    "meta",
    "umeta",
    "attr",
    "attribute",
    "value",
    "row",
    "record",
    "line",
    "item",
    "entry",
    "kv",
    "eav",
}
ROW_WORDS |= {"property", "prop", "setting", "field", "param", "detail", "data"}
# More distinct attributes than this, or longer ones, are no attribute names (a free-text key, an id)
MAX_ATTRIBUTES = 500
MAX_ATTRIBUTE_CHARS = 64


def _joined(name: str) -> str:
    return "_".join(header_tokens(name))


def _is_id(name: str) -> bool:
    words = header_tokens(name)  # customer_id, CustomerID, custid, userid
    return bool(words) and (words[-1] in ID_WORDS or words[-1].removesuffix("id") in ENTITY_WORDS)


def _bookkeeping(name: str, primary_key: list[str]) -> bool:
    words = header_tokens(name)
    return name in primary_key or _is_id(name) or (bool(words) and set(words) <= BOOKKEEPING_WORDS)


def _shape(table: Table) -> tuple[str, list[str], list[str]] | None:
    """(attribute column, value columns, entity candidates) when the headers are a key-value table's."""
    columns = [c for c in table.frame.collect_schema().names() if c != ROW]
    attribute = [c for c in columns if _joined(c) in ATTRIBUTE_HEADERS]
    values = [c for c in columns if _joined(c) in VALUE_HEADERS]
    if len(attribute) != 1 or not values:
        return None
    rest = [c for c in columns if c not in attribute and c not in values]
    candidates = [
        c
        for c in rest
        if _is_id(c)
        and c not in table.primary_key
        and header_tokens(c) != ["id"]
        and not set(header_tokens(c)) & ROW_WORDS
    ]
    if not candidates or not all(_bookkeeping(c, table.primary_key) for c in rest):
        return None
    return attribute[0], values, candidates


# Whoever made the change (an audit log's user_id / changed_by beside its customer_id) is no entity of the row
ACTOR_WORDS = {"user", "usr", "admin", "operator", "agent", "staff", "editor", "by", "changed", "modified"}
ACTOR_WORDS |= {"created", "updated", "author", "actor", "employee", "emp", "login"}


def _entity(table: Table, candidates: list[str], counts: dict[str, int]) -> str | None:
    """The column naming whom a row is about: the declared foreign key; else, beside a reference to whoever made
    the change (an audit log's user_id beside customer_id), the other; else the candidate with fewest distinct
    values (the row's own id has one per row), else the one whose header names an entity."""
    declared = [c for c in candidates if any(d.from_column == c for d in table.declared_links)]
    if len(declared) == 1:
        return declared[0]
    candidates = [c for c in candidates if not set(header_tokens(c)) & ACTOR_WORDS] or candidates
    if len(candidates) == 1:
        return candidates[0]
    fewest = min(counts[c] for c in candidates)
    tied = [c for c in candidates if counts[c] == fewest]
    if len(tied) > 1:
        tied = [c for c in tied if set(header_tokens(c)) & ENTITY_WORDS] or tied
    return tied[0] if len(tied) == 1 else None


def _attribute_key(attribute: str) -> pl.Expr:
    # a dot in a column name is a path on Spark; an attribute's outer spaces are not part of its name
    return pl.col(attribute).str.strip_chars().str.replace_all(".", "_", literal=True)


def _rows_per_entity(frame: pl.LazyFrame, entity: str, keys: list[str]) -> pl.LazyFrame:
    """One row per entity and occurrence: the k-th value of each attribute, or its last where it has fewer."""
    alone = pl.when(pl.col(entity).is_null()).then(pl.col(ROW))  # a row without an entity is its own
    grouped = frame.group_by(pl.col(entity), alone.alias("__alone")).agg(
        pl.col(ROW).unique().sort().alias("__rows"),  # an audit row's old and new value are one source row
        *[
            pl.col("__value")
            .filter(pl.col("__attribute") == k)
            .sort_by(pl.col(ROW).filter(pl.col("__attribute") == k))
            .alias(k)
            for k in keys
        ],
    )
    occurrences = pl.max_horizontal([pl.col(k).list.len() for k in keys]).clip(lower_bound=1)
    last = [
        pl.col(k)
        .list.get(pl.min_horizontal(pl.col("__k"), pl.col(k).list.len() - 1), null_on_oob=True)
        .alias(k)
        for k in keys
    ]
    return (
        grouped.with_columns(pl.int_ranges(0, occurrences).alias("__k"))
        .explode("__k")
        .select(pl.col("__rows").list.get(pl.col("__k")).alias(ROW), pl.col(entity), *last)
        .sort(ROW)  # a slice of it (the Spark engine's row ranges) must be the same rows every time
    )


def rows_per_entity(table: Table) -> Table:
    """The table read as one row per entity if it is a key-value table; otherwise the table unchanged."""
    shape = _shape(table)
    if shape is None:
        return table
    attribute, values, candidates = shape
    key = _attribute_key(attribute)
    lengths = key.str.len_chars()
    measures = table.frame.select(
        key.filter(lengths > 0).n_unique().alias("__attributes"),
        lengths.max().alias("__longest"),
        *[pl.col(c).n_unique().alias(c) for c in candidates],
    ).collect()
    m = measures.row(0, named=True)
    if (
        not m["__attributes"]
        or m["__attributes"] > MAX_ATTRIBUTES
        or (m["__longest"] or 0) > MAX_ATTRIBUTE_CHARS
    ):
        return table
    entity = _entity(table, candidates, m)
    if entity is None:
        table.warnings.append(
            f"looks like a key-value table ({attribute} / {', '.join(values)}) but which column names the entity "
            f"is unclear ({', '.join(candidates)}): read row by row, where no row holds a name and a number together"
        )
        return table
    filled = {v: pl.when(pl.col(v).str.strip_chars() != "").then(pl.col(v)) for v in values}
    if any(set(header_tokens(v)) & VERSION_WORDS for v in values):
        # an audit log's old and new value: each its own column (ssn_old_value, ssn_new_value), both the entity's
        long = pl.concat(
            [
                table.frame.select(
                    pl.col(ROW),
                    pl.col(entity),
                    pl.concat_str([key, pl.lit("_" + _joined(v))]).alias("__attribute"),
                    value.alias("__value"),
                )
                for v, value in filled.items()
            ]
        )
    else:  # one value in one of several typed columns (value_text, value_number)
        long = table.frame.select(
            pl.col(ROW),
            pl.col(entity),
            key.alias("__attribute"),
            pl.coalesce(list(filled.values())).alias("__value"),
        )
    long = long.filter(pl.col("__attribute").str.len_chars() > 0)
    keys = (
        long.group_by("__attribute")
        .agg(pl.col(ROW).min().alias("first"))
        .sort("first", "__attribute")
        .collect()["__attribute"]
        .to_list()
    )
    keys = [k for k in keys if k not in (entity, ROW)]  # an attribute named like the entity column is that
    frame = _rows_per_entity(long, entity, keys)
    set_aside = [
        c for c in table.frame.collect_schema().names() if c not in (ROW, entity, attribute, *values)
    ]
    warning = (
        f"key-value table: read as one row per {entity}, its {attribute} values as {len(keys)} columns "
        f"({', '.join(values)} as their values)"
    )
    if set_aside:
        warning += "; bookkeeping columns set aside: " + ", ".join(set_aside)
    log.info("%s: %s", table.name, warning)
    return Table(
        name=table.name,
        path=table.path,
        frame=frame,
        source_types={entity: table.source_types.get(entity, "string"), **{k: "string" for k in keys}},
        declared_links=[d for d in table.declared_links if d.from_column == entity],
        primary_key=[],
        warnings=[*table.warnings, warning],
    )


def read_as_rows(result: SourceResult) -> SourceResult:
    """Every key-value table of a source read as one row per entity (the others as they are)."""
    return SourceResult([_rows_or_as_is(t) for t in result.tables], result.unreadable)


def _rows_or_as_is(table: Table) -> Table:
    try:
        return rows_per_entity(table)
    except Exception as exc:  # noqa: BLE001 - the table's own reading reports what is wrong with its rows
        log.debug("%s: not read as a key-value table: %s", table.name, type(exc).__name__)
        return table
