"""Links between tables (MCL 445.63(p) "linked to"): declared keys, inferred inclusion dependencies, config.

A column is a key when its values are unique; another table's column whose values are (nearly all) contained in a
key references it. All candidate pairs are tested at once with one polars join of distinct values, so a database
of many tables costs one join, not one comparison per column pair. Name likeness of the columns only breaks ties
(and guards integer keys, where a count or an amount can be contained in an id range by chance).
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl
import yaml

from detectors.common import (
    about_other_person,
    cleaned,
    header_text,
    header_tokens,
    other_person_role,
    plain_header_tokens,
)
from detectors.residency import NOT_HOME, OTHER_PARTY, SHIPPED_TO
from pipeline import co_subjects, records
from pipeline.classify import (
    ELEMENT_DETECTORS,
    HOUSEHOLD_RELATIONSHIP,
    HOUSEHOLD_RELATIONSHIPS,
    NAME_KINDS,
    RELATIONSHIP_WORDS,
    X12_HOUSEHOLD,
    X12_SELF,
    ColumnClass,
)
from pipeline.tables import COMPOSITE_SEPARATOR, ROW, TABLE_THREADS, WORD, DeclaredLink, Table

MIN_COVERAGE = 0.9  # share of the referencing column's distinct values found in the key
MIN_DISTINCT = 2
SMALL_INTEGER_KEY = r"^\d{1,6}$"
# Columns that hold measures or dates, not references: their small integers fall inside any id range, and a date
# is shared by many people.
MEASURE_AND_DATE_WORDS = {
    "amount",
    "amt",
    "qty",
    "quantity",
    "price",
    "total",
    "count",
    "cnt",
    "balance",
    "age",
    "year",
    "month",
    "day",
    "score",
    "rating",
    "percent",
    "pct",
    "rate",
    "cents",
    "dollars",
    "usd",
    "units",
    "weight",
    "height",
    "size",
    "limit",
    "level",
    "version",
    "seq",
    "sequence",
    "line",
    "rank",
    "priority",
    "duration",
    "minutes",
    "hours",
    "days",
    "number of",
    "num of",
    "lat",
    "lon",
    "latitude",
    "longitude",
    "zip",
    "postal",
    "phone",
    "status",
    # a date is shared by many people and names none of them: an OCR'd date of birth matching a users table's
    # unique dates in a small export is no reference (until 2026-11-24 ocr_dob -> users.profile_dob was inferred)
    "date",
    "dob",
    "birth",
    "birthdate",
    "birthday",
    "born",
}
# words of a header that say it is a key, not what it identifies (one list with co_subjects')
GENERIC_WORDS = co_subjects.KEY_GENERIC_WORDS | {"of"}
# Kinds that are never keys: names are not identifiers, running text is not a key, residency is not a key.
NOT_KEYS = (
    set(NAME_KINDS)
    | {
        "free_text",
        "state",
        "zip",
        "city",
        "address",
        "phone",
        "access_code",
        "empty",
        "encrypted",
        "test_card_number",
        "other_person",
    }
    | set(ELEMENT_DETECTORS)
)


@dataclass(frozen=True)
class Link:
    from_table: str
    from_column: str
    to_table: str
    to_column: str
    coverage: float
    source: str  # inferred | declared
    cardinality: str = "many-to-one"
    evidence: str = ""
    used_for_identity: bool = False
    identity_rank: int = -1  # 0 = the reference a row of from_table follows first (see identity_links)
    junction: bool = False  # from_table only connects (account_holders): see individuals.resolve
    holder: bool | None = None  # a junction's reference to the people (customers), not to what they hold
    used_for_residency: bool = False  # a person's row takes the residency of the address row it references
    household: bool = False  # from_table's rows are household members of the referenced person (dependents)
    # a residency reference whose address is further on (tenants.unit_id -> units, then units.property_id ->
    # properties): each chain of onward references (their keys) to a table holding the address (residency_links)
    through: tuple[tuple[tuple[str, str, str, str], ...], ...] = ()
    # a second person's table (leases (guarantor)) referencing through its source table's column (leases.
    # guarantor_id): the rows are matched in that table, whose row numbers the derived table keeps
    rows_of: str = ""
    # distinct values of the referencing column: how many people (or things) the table's rows are about
    distinct: int = 0
    # rows of one table sharing a family key (an eligibility file's SUBSCR_ID): the relationship column (REL_CD)
    # whose codes say which rows are the household's members and which is the subscriber's own (family_links)
    family: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.from_table, self.from_column, self.to_table, self.to_column)

    def contract(self) -> dict:
        return {
            "from": f"{self.from_table}.{self.from_column}",
            "to": f"{self.to_table}.{self.to_column}",
            "coverage": round(self.coverage, 4),
            "source": self.source,
            "cardinality": self.cardinality,
            "evidence": self.evidence,
            "used_for_identity": self.used_for_identity,
            "identity_rank": self.identity_rank,
            "used_for_residency": self.used_for_residency,
            "household": self.household,
            # the onward references to the address of a residency link that reaches it in more than one hop
            "residency_through": [
                " → ".join(f"{h[0]}.{h[1]} → {h[2]}.{h[3]}" for h in c) for c in self.through
            ],
        }

    @property
    def name(self) -> str:
        """How the link is named in a path: its reference, and the onward references a residency chain takes."""
        own = f"{self.from_table}.{self.from_column} → {self.to_table}.{self.to_column}"
        onward = "; ".join(" → ".join(f"{h[2]}.{h[3]}" for h in c) for c in self.through)
        return f"{own} → {onward}" if onward else own


@dataclass
class LinkConfig:
    add: list[DeclaredLink]
    remove: set[tuple[str, str, str, str]]

    @classmethod
    def empty(cls) -> LinkConfig:
        return cls([], set())


def _split(ref: str, field: str) -> tuple[str, str]:
    if not isinstance(ref, str) or "." not in ref:
        raise ValueError(f"link config: {field} must be 'table.column', got {ref!r}")
    t, c = ref.rsplit(".", 1)
    return t, c


def load_link_config(path: str | Path | None) -> LinkConfig:
    """YAML: {links: {add: [{from: t.c, to: t.c}], remove: [{from: t.c, to: t.c}]}} (the top 'links' is optional)."""
    if path is None:
        return LinkConfig.empty()
    data = yaml.safe_load(Path(path).read_text()) or {}
    data = data.get("links", data)
    unknown = set(data) - {"add", "remove"}
    if unknown:
        raise ValueError(f"link config {path}: unknown key(s) {sorted(unknown)}; expected 'add' and 'remove'")
    add, remove = [], set()
    for i, item in enumerate(data.get("add") or []):
        ft, fc = _split(item.get("from"), f"links.add[{i}].from")
        tt, tc = _split(item.get("to"), f"links.add[{i}].to")
        add.append(DeclaredLink(ft, fc, tt, tc))
    for i, item in enumerate(data.get("remove") or []):
        ft, fc = _split(item.get("from"), f"links.remove[{i}].from")
        tt, tc = _split(item.get("to"), f"links.remove[{i}].to")
        remove.add((ft, fc, tt, tc))
    return LinkConfig(add, remove)


def key_value(expr: pl.Expr) -> pl.Expr:
    """A key as compared across tables: cleaned, and a number without its leading zeros ("00042" = "42")."""
    # one regex replace, not a when/then over three string passes: "00042" -> "42", "000" -> "0", "0A1" stays
    return cleaned(expr).str.replace(r"^0+(\d+)$", "${1}")


# A key value that cleaning leaves as it is: ASCII letters, digits and underscores, not beginning with a zero, with a
# digit somewhere (no null word holds one: "none", "n/a", "unknown"). Nearly every id of a real export looks like
# this ("C00042", "1187", "ORD_2024_7"); only the rest goes through key_value's trims, folds and regexes, which
# cost about fifteen times this one test (tests/test_fast_paths.py checks the fast path against key_value).
CLEAN_KEY = r"^(?:[1-9][0-9A-Za-z_]*|[A-Za-z_]+[0-9][0-9A-Za-z_]*)$"


def with_key_values(frame: pl.DataFrame, column: str, alias: str) -> pl.DataFrame:
    """`frame` with `alias` = key_value(column): the values already clean (CLEAN_KEY) are taken as they are, only
    the others are cleaned. Row order is not kept (the rows that needed cleaning come last)."""
    clean = frame.select(pl.col(column).str.contains(CLEAN_KEY).fill_null(False)).to_series()
    if clean.all():  # the usual case: no filtered copy of every value
        return frame.with_columns(pl.col(column).alias(alias))
    fast = frame.filter(clean).with_columns(pl.col(column).alias(alias))
    return pl.concat([fast, frame.filter(~clean).with_columns(key_value(pl.col(column)).alias(alias))])


def _stem(word: str) -> str:
    return re.sub(r"(ies|es|s)$", "", word) if len(word) > 3 else word


@functools.lru_cache(maxsize=65536)
def _meaningful_stems(name: str) -> tuple[str, ...]:
    """The stems of a header's or table name's words that say something (cached: link discovery asks for the
    same few hundred names hundreds of thousands of times on a schema of many tables)."""
    return tuple(_stem(t) for t in header_tokens(name) if t not in GENERIC_WORDS)


def name_likeness(child_column: str, parent_table: str, parent_column: str) -> float:
    """Share of the referencing column's meaningful words that name the key's table or column (prefixes count)."""
    child = _meaningful_stems(child_column)
    parent = set(_meaningful_stems(parent_table) + _meaningful_stems(parent_column))
    if not child:
        # "id" -> customers.id says nothing; "customer_id" -> customers.customer_id says a lot
        return 0.0
    # a prefix counts from three letters ("cust" -> customers); a two-letter word only as itself (RxNumber -> Rx,
    # PtID -> Pt): a prefix that short would match too much
    hits = sum(
        any((p.startswith(c) or c.startswith(p)) if min(len(p), len(c)) >= 3 else p == c for p in parent)
        for c in child
    )
    return hits / len(child)


def _candidate_columns(table: Table, classes: list[ColumnClass]) -> list[str]:
    """The columns link discovery measures: every column that may be a key or a reference, and the account and
    card number columns (ACCOUNT_KEY_KINDS: a key only as their table's id, never a reference)."""
    return [
        c.name for c in classes if c.classified_as not in NOT_KEYS or c.classified_as in ACCOUNT_KEY_KINDS
    ]


# Elements that are a table's id as well: an account's number is the accounts table's key (a credit union core's
# ACCOUNT.ACCOUNTNUMBER, cards.card_number), and the share, loan, name and card rows and the online-banking user
# reference it. Such a column is a key only when it is its table's id (every row's value distinct, the column
# named for its table: see element_columns), and never a reference: rows sharing an account number (a joint
# account's name rows) are joined by individuals, which gives the account to each holder. Government numbers
# (SSN, licence) are not here: individuals joins people by them already, whoever holds the row.
ACCOUNT_KEY_KINDS = {"bank_account", "card_number"}
# Words of a reference to an account's number at its holder: a credit union's member number is the member's
# account number (Symitar's MEMBER_NBR, MBR_NO), a bank's acct_no (header words name_likeness reads as no prefix of
# "account")
ACCOUNT_REFERENCE_WORDS = {
    "member",
    "mbr",
    "membership",
    "account",
    "acct",
    "acc",
    "acnt",
    "accts",
    "accounts",
}
# Words of a table of accounts (its number column is its id)
ACCOUNT_TABLE_WORDS = ACCOUNT_REFERENCE_WORDS | {
    "deposit",
    "deposits",
    "share",
    "shares",
    "loan",
    "loans",
    "card",
}
ACCOUNT_TABLE_WORDS |= {"cards", "checking", "savings", "dda"}


def element_columns(classes: dict[str, list[ColumnClass]]) -> dict[tuple[str, str], tuple[str, bool]]:
    """(table, column) -> (kind, whether it may be its table's id) of the account and card number columns link
    discovery measures: an id is named for its table (ACCOUNT.ACCOUNTNUMBER, cards.card_number, a bare
    `number`), or an account word in a table of accounts (deposit_accounts.acct_no)."""
    out = {}
    for table, cols in classes.items():  # one entry per table, then per column
        table_words = set(header_tokens(_base(table)))
        for c in cols:
            if c.classified_as not in ACCOUNT_KEY_KINDS:
                continue
            words = set(header_tokens(c.name))
            named = (
                not _meaningful_stems(c.name)
                or name_likeness(c.name, _base(table), "") > 0
                or bool(words & ACCOUNT_REFERENCE_WORDS and table_words & ACCOUNT_TABLE_WORDS)
            )
            out[(table, c.name)] = (c.classified_as, named)
    return out


def key_columns(prof: pl.DataFrame, elements: dict[tuple[str, str], tuple[str, bool]]) -> set[int]:
    """The columns (cid) that are keys: every value distinct; an account or card number column only as its
    table's id (named for it, and filled on every row)."""
    out = set()
    for cid, table, column, rows, count, distinct in prof.select(
        "cid", "table", "column", "rows", "count", "distinct"
    ).iter_rows():  # one entry per candidate column, not per row
        element = elements.get((table, column))
        if distinct == count and (element is None or (element[1] and count == rows)):
            out.add(cid)
    return out


def _account_likeness(column: str) -> float:
    """Share of a reference's meaningful words that name an account's number (member_nbr, acct_no)."""
    stems = _meaningful_stems(column)
    return sum(w in ACCOUNT_REFERENCE_WORDS for w in header_tokens(column)) / len(stems) if stems else 0.0


# How many of a table's values _key_profiles takes apart at once: every column of a small table together (for
# hundreds of small tables the cost is per operation), a large table's columns a few at a time. Each step copies
# the values it works on (distinct lists, unpivot, cleaning, partition), and two tables are profiled at once:
# all columns of a 1.1 M-row table together held 0.6 GB at the peak, the scan's highest point at 5 M rows
# (docs/scale.md).
KEY_VALUES_AT_ONCE = 2_000_000


def _key_profiles(t: Table, cols: list[str]) -> list[tuple[str, int, int, pl.Series]]:
    """(column, rows, non-null key values, distinct key values) of each candidate column of one table, for the
    columns with at least MIN_DISTINCT distinct values."""
    # The candidate columns of one table are read once (one parse of the file) and then profiled a batch of
    # columns at a time, each batch dropped from the table's columns once profiled.
    raw = t.frame.select(cols).collect()
    at_once = max(1, KEY_VALUES_AT_ONCE // max(raw.height, 1))
    out = []
    for start in range(0, len(cols), at_once):  # one entry per batch of columns
        batch = cols[start : start + at_once]
        out += _profiles_of(raw.select(batch), batch)
        raw = raw.drop(batch)
    return out


def _profiles_of(raw: pl.DataFrame, cols: list[str]) -> list[tuple[str, int, int, pl.Series]]:
    """_key_profiles of the columns `cols` of `raw`."""
    # their distinct raw values found in one parallel select (eager: the streaming engine's unique/implode
    # aggregations are several times slower). The key cleaning (trim, null words, leading zeros) then runs on
    # the distinct values only, not on every row.
    n = raw.height
    distinct = raw.select([pl.col(c).drop_nulls().unique().implode().alias(c) for c in cols])
    # the distinct values of the batch's columns cleaned together, then taken apart by column: one cleaning
    # per batch, not per column (a schema of hundreds of small tables pays per operation)
    # (columns renamed by position first: a source column named like the unpivot's own columns, "col" or "r",
    # would clash with them)
    by_position = distinct.rename({c: f"c{k}" for k, c in enumerate(cols)})
    del distinct
    values = by_position.unpivot(variable_name="col", value_name="r").explode("r").drop_nulls("r")
    del by_position
    keyed_values = with_key_values(values, "r", "value").with_columns(
        (pl.col("value") != pl.col("r")).alias("changed")
    )
    del values
    by_column = keyed_values.partition_by("col", as_dict=True, include_key=False)
    del keyed_values
    out = []
    for k, c in enumerate(cols):  # one entry per candidate column
        keyed = by_column.pop((f"c{k}",), None)
        if keyed is None:  # no values at all
            continue
        # rows whose value cleans to nothing (a null word such as "N/A") are not key values
        empty = keyed.filter(pl.col("value").is_null()).get_column("r")
        column = raw.get_column(c)
        count = n - column.null_count() - (int(column.is_in(empty.implode()).sum()) if empty.len() else 0)
        keys = keyed.get_column("value").drop_nulls()
        # distinct raw values stay distinct unless cleaning changed one ("042" and "42" are one key)
        distinct_values = keys.unique() if keyed.get_column("changed").any() else keys
        if distinct_values.len() >= MIN_DISTINCT:
            out.append((c, n, count, distinct_values))
    return out


@dataclass(frozen=True)
class KeyMeasures:
    """What link discovery measures of the tables' key candidates; the decisions are made from these alone."""

    # cid (Int32), table, column, rows, count (non-null keys), distinct: in table, column order
    prof: pl.DataFrame
    numeric: pl.DataFrame  # cid, ints: every distinct key value a small integer
    overlaps: pl.DataFrame  # cid, pid, len: distinct values of column cid found in key column pid


def measure_keys(tables: list[Table], classes: dict[str, list[ColumnClass]]) -> KeyMeasures | None:
    """KeyMeasures of the candidate columns, here (the Spark engine measures them on its executors)."""
    profiles = []  # (table, column, n_rows, non_null, distinct)
    values = []
    work = [(t, cols) for t in tables if (cols := _candidate_columns(t, classes.get(t.name, [])))]
    # TABLE_THREADS tables profiled at a time; results taken in table order
    with ThreadPoolExecutor(TABLE_THREADS, thread_name_prefix="links") as pool:
        for t, found in zip(
            (t for t, _ in work), pool.map(lambda w: _key_profiles(*w), work), strict=True
        ):  # one entry per table
            for c, n, count, distinct_values in found:  # one entry per candidate column
                cid = len(profiles)
                profiles.append((t.name, c, n, count, distinct_values.len()))
                values.append(
                    pl.DataFrame({"value": distinct_values}).with_columns(
                        pl.lit(cid, dtype=pl.Int32).alias("cid")
                    )
                )
    if not profiles:
        return None
    prof = profile_frame(profiles)
    elements = element_columns(classes)
    keys = prof.filter(pl.col("cid").is_in(sorted(key_columns(prof, elements))))
    all_values = pl.concat(values)
    key_values = all_values.join(
        keys.select(pl.col("cid").alias("pid")), left_on="cid", right_on="pid", how="semi"
    ).rename({"cid": "pid"})
    numeric = all_values.group_by("cid").agg(
        pl.col("value").str.contains(SMALL_INTEGER_KEY).all().alias("ints")
    )
    named, free = key_pairs(prof, numeric, elements)
    return KeyMeasures(prof, numeric, _overlaps(all_values, key_values, named, free))


def profile_frame(profiles: list[tuple[str, str, int, int, int]]) -> pl.DataFrame:
    """(table, column, rows, count, distinct) tuples in table, column order -> KeyMeasures.prof."""
    prof = pl.DataFrame(
        profiles,
        schema={
            "table": pl.String,
            "column": pl.String,
            "rows": pl.Int64,
            "count": pl.Int64,
            "distinct": pl.Int64,
        },
        orient="row",
    )
    return prof.with_row_index("cid").with_columns(pl.col("cid").cast(pl.Int32))


def discover_links(
    tables: list[Table],
    classes: dict[str, list[ColumnClass]],
    config: LinkConfig | None = None,
    measure: Callable[..., KeyMeasures | None] | None = None,
) -> list[Link]:
    """Links between tables: declared ones, and those inferred from the measures of every candidate column
    (`measure`: measure_keys here; the Spark engine passes its own)."""
    config = config or LinkConfig.empty()
    by_name = {t.name: t for t in tables}
    measured = (measure or measure_keys)(tables, classes)
    inferred: list[Link] = []
    if measured is not None:
        prof = measured.prof
        matches = (
            measured.overlaps.join(
                prof.select(
                    "cid", pl.col("distinct").alias("child_distinct"), pl.col("table").alias("child_table")
                ),
                on="cid",
            )
            .join(prof.select(pl.col("cid").alias("pid"), pl.col("table").alias("parent_table")), on="pid")
            .filter(pl.col("child_table") != pl.col("parent_table"))
            .with_columns((pl.col("len") / pl.col("child_distinct")).alias("coverage"))
            .filter(pl.col("coverage") >= MIN_COVERAGE)
            .join(measured.numeric, on="cid")
            .sort("cid", "pid")
        )
        inferred = _choose(matches, prof, by_name, element_columns(classes))
    merged = _merge(inferred, tables, config)
    return sorted(merged + _second_peoples_references(merged, tables), key=lambda k: k.key)


def _second_peoples_references(links: list[Link], tables: list[Table]) -> list[Link]:
    """A second person's table (leases (guarantor): the guarantor's SSN on a lease row) references what the
    row's reference named for that person references (leases.guarantor_id -> guarantors): that is their own
    record, so both people of the row are reachable, each with their own elements. A role's reference of another
    spelling of the role (guar_id for guarantor_) serves where none is spelt alike. Household and covered people
    (a claim's patient, a spouse) take the row's references as a household's instead (co_subjects)."""
    names = {t.name for t in tables}
    by_table: dict[str, list[tuple[str, Link]]] = {}
    for k in links:  # one entry per link
        role = co_subjects.role_reference(k.from_column)
        if role is not None and k.from_table in names:
            by_table.setdefault(k.from_table, []).append((role, k))
    out = []
    for name in sorted(names):  # one entry per table
        source = co_subjects.derived_from(name)
        if source is None or source[0] not in by_table:
            continue
        role = source[1]
        if role in co_subjects.HOUSEHOLD_ROLES | co_subjects.COVERED_ROLES:
            continue
        refs = [k for r, k in by_table[source[0]] if r == role]
        refs = refs or [
            k for r, k in by_table[source[0]] if co_subjects.role_tag(r) == co_subjects.role_tag(role)
        ]
        out += [
            replace(
                k,
                from_table=name,
                evidence=f"{k.from_table}.{k.from_column}, the {role}'s own reference: {k.evidence}",
                rows_of=k.from_table,
            )
            for k in refs
        ]
    return out


def key_pairs(
    prof: pl.DataFrame, numeric: pl.DataFrame, elements: dict[tuple[str, str], tuple[str, bool]] | None = None
) -> tuple[pl.DataFrame, list[int]]:
    """Which (column, key column) pairs to count overlaps for: (named pairs, free columns).

    Only the pairs _choose can accept are counted. Every table's integer ids 1..n are contained in every other
    table's: joining them all is tables x tables x rows (500 small tables: tens of millions of pairs), yet an
    integer reference is accepted only when its name names the key, and a measure never. So an integer column
    is joined only with the keys its name names (pairs listed by name first, a few per column), and the
    other columns (free) with every key. An account or card number column (`elements`) is joined with nothing
    (a key only), an integer column with the account and card number ids (element_columns) too when its name
    names an account's number (MEMBER_NBR -> ACCOUNT.ACCOUNTNUMBER).
    """
    elements = elements or {}
    ints = dict(numeric.select("cid", "ints").iter_rows())  # one entry per column
    keys = prof.filter(pl.col("cid").is_in(sorted(key_columns(prof, elements))))
    key_rows = keys.select("cid", "table", "column").rows()  # one entry per key column
    pairs: list[tuple[int, int]] = []
    free: list[int] = []
    for cid, table, column in prof.select("cid", "table", "column").iter_rows():  # one entry per column
        if set(header_tokens(column)) & MEASURE_AND_DATE_WORDS:
            continue  # a measure never references (see _choose)
        if (table, column) in elements:
            continue  # an account or card number is a key (its table's id), never a reference (see _choose)
        if not ints.get(cid):
            free.append(cid)
            continue
        pairs += [
            (cid, pid)
            for pid, key_table, key_column in key_rows
            if key_table != table
            and (
                name_likeness(column, key_table, key_column) > 0
                or ((key_table, key_column) in elements and _account_likeness(column) > 0)
            )
        ]
    return pl.DataFrame(pairs, schema={"cid": pl.Int32, "pid": pl.Int32}, orient="row"), free


def _overlaps(
    all_values: pl.DataFrame, key_values: pl.DataFrame, named: pl.DataFrame, free: list[int]
) -> pl.DataFrame:
    """(cid, pid, len): how many distinct values of each candidate column are values of each key column, for
    the pairs key_pairs lists."""
    # the key columns a batch at a time (KEY_VALUES_AT_ONCE values: every key of a schema of small tables in
    # one batch, a large table's key alone), so a join's table of key values stays small: all the keys of a
    # 5 M-row export at once took 0.4 GB more than the values themselves
    sizes = key_values.group_by("pid").len().sort("pid").rows()  # one entry per key column
    batches: list[list[int]] = []
    total = KEY_VALUES_AT_ONCE
    for pid, n in sizes:  # one entry per key column
        if total + n > KEY_VALUES_AT_ONCE:
            batches.append([])
            total = 0
        batches[-1].append(pid)
        total += n
    # lazy, so the engine counts the matches as it joins instead of first holding every (value, column, key)
    values = all_values.lazy()
    free_values = values.filter(pl.col("cid").is_in(free))
    out = []
    for pids in batches:  # one entry per batch of key columns
        keyed = key_values.lazy().filter(pl.col("pid").is_in(pids))
        by_value = (
            free_values.join(keyed, on="value")
            .filter(pl.col("cid") != pl.col("pid"))
            .group_by("cid", "pid")
            .len()
        )
        pairs = named.lazy().filter(pl.col("pid").is_in(pids))
        by_name = values.join(pairs, on="cid").join(keyed, on=["pid", "value"]).group_by("cid", "pid").len()
        out += pl.collect_all([by_value, by_name.select("cid", "pid", "len")])
    schema = {"cid": pl.Int32, "pid": pl.Int32, "len": pl.UInt32}
    return pl.concat([o.cast(schema) for o in out]) if out else pl.DataFrame(schema=schema)  # type: ignore[arg-type]


def _base(name: str) -> str:
    """crm/customers, dump#customers, a!customers -> customers."""
    return re.split(r"[/#!]", name)[-1]


def _place(by_name: dict[str, Table], name: str) -> str | None:
    """Where a table came from: its dump, database or archive member's file (`shop.sql`), else its folder."""
    table = by_name.get(name)
    if table is None:
        return None
    origin, hash_, _ = table.path.partition("#")
    return origin if hash_ else os.path.dirname(origin)


def _choose(
    matches: pl.DataFrame,
    prof: pl.DataFrame,
    by_name: dict[str, Table],
    elements: dict[tuple[str, str], tuple[str, bool]] | None = None,
) -> list[Link]:
    """One key per referencing column: best name likeness, then coverage; guard integer ids and measures. An
    account or card number (`elements`) is a key only as its table's id and never a reference (key_columns; the
    Spark engine's overlaps count every unique column)."""
    elements = elements or {}
    info = {r["cid"]: r for r in prof.to_dicts()}  # one entry per column profile, not per data row
    keys = key_columns(prof, elements)
    best: dict[int, tuple[tuple, Link]] = {}
    rivals: dict[int, list[tuple[tuple, Link]]] = {}
    for m in matches.to_dicts():  # one entry per candidate column pair that passed the join, not per data row
        child, parent = info[m["cid"]], info[m["pid"]]
        words = set(header_tokens(child["column"]))
        if words & MEASURE_AND_DATE_WORDS:
            continue
        if m["pid"] not in keys:
            continue
        parent_element = elements.get((parent["table"], parent["column"]))
        child_element = elements.get((child["table"], child["column"]))
        if child_element is not None:
            # an account number is a key, never a reference: the rows that share it (a joint account's name rows)
            # are given to every holder by individuals, where a reference would follow the account's first holder
            continue
        like = name_likeness(child["column"], parent["table"], parent["column"])
        if parent_element is not None:
            # a member number names the account whose number it is (MEMBER_NBR -> ACCOUNT.ACCOUNTNUMBER)
            like = max(like, _account_likeness(child["column"]))
        if m["ints"] and like == 0:
            # integer ids 1..n of one table are contained in the ids of any larger table, and counts or amounts in
            # any id range: an integer reference must name what it references (customer_id, cust_ref)
            continue
        child_unique = child["distinct"] == child["count"]
        card = "one-to-one" if child_unique else "many-to-one"
        evidence = (
            f"{m['len']} of {m['child_distinct']} distinct values of {child['table']}.{child['column']} "
            f"({m['coverage']:.1%}) are in {parent['table']}.{parent['column']}, which is unique "
            f"({parent['distinct']} values); name likeness {like:.2f}"
        )
        link = Link(
            child["table"],
            child["column"],
            parent["table"],
            parent["column"],
            float(m["coverage"]),
            "inferred",
            card,
            evidence,
            distinct=int(m["child_distinct"]),
        )
        # direction of a one-to-one pair: the key belongs to the table its name names
        own = name_likeness(parent["column"], parent["table"], "") if child_unique else 1.0
        # two systems' exports side by side (crm/customers, shop/customers, both keyed 1..n): a shop's orders
        # reference the shop's customers, the table from the same folder, dump or database
        near = _place(by_name, child["table"]) == _place(by_name, parent["table"])
        # a <x>_id references the table of x, where it is the key (reservations.guest_id -> guests.guest_id),
        # not another table that merely holds the same reference and happens to be unique there (folios.guest_id,
        # one folio per guest): until 2026-11-24 the first of the two by position won
        names_table = name_likeness(child["column"], parent["table"], "")
        score = (like > 0, names_table, round(m["coverage"], 3), near, like, own, -parent["distinct"])
        rivals.setdefault(m["cid"], []).append((score, link))
        if m["cid"] not in best or score > best[m["cid"]][0]:
            best[m["cid"]] = (score, link)
    _drop_own_keys_as_references(best, info)
    for cid, (score, link) in best.items():  # one entry per referencing column
        # the same table of another system (crm/customers beside shop/customers), matched as well: said, since
        # the folder, not the data, chose
        equal = sorted(
            {
                f"{other.to_table}.{other.to_column}"
                for s, other in rivals[cid]
                if other.to_table != link.to_table
                and _base(other.to_table) == _base(link.to_table) != _base(link.from_table)
                and s[:3] == score[:3]  # name likeness > 0, naming the table, coverage
                and s[4] == score[4]  # name likeness
            }
        )
        if equal and link.from_table in by_name:
            by_name[link.from_table].warnings.append(
                f"{link.from_column} matches {link.to_table}.{link.to_column} and "
                + ", ".join(equal)
                + " equally well; linked to "
                + f"{link.to_table}"
                + (" (same folder, dump or database)" if score[3] else " (the first by name)")
                + ": if it references another, say so in a links file (--links)"
            )
    links = [link for _, link in best.values()]
    # a one-to-one pair is found in both directions: keep the better-named direction
    chosen: dict[frozenset, Link] = {}
    for link in sorted(links, key=lambda k: k.key):
        pair = frozenset({(link.from_table, link.from_column), (link.to_table, link.to_column)})
        if pair in chosen:
            prev = chosen[pair]
            mine = name_likeness(link.to_column, link.to_table, "")
            theirs = name_likeness(prev.to_column, prev.to_table, "")
            if (mine, link.coverage) > (theirs, prev.coverage):
                chosen[pair] = link
        else:
            chosen[pair] = link
    return sorted(chosen.values(), key=lambda k: k.key)


# what a table's own key is called after the table's name (PERSONADDRESSASSOC.PERSONADDRESSASSOCID, customer_id)
OWN_KEY_SUFFIXES = ("", "id", "key", "no", "num", "nbr", "pk", "sk", "seq")


def _own_key(column: str, table: str, first_unique: bool = False) -> bool:
    """Whether `column` is its table's own row id: named for the table (PERSONADDRESSASSOC.PERSONADDRESSASSOCID,
    customers.customer_id), or its first key candidate with a value on every row and every value distinct."""
    if first_unique:
        return True
    col = re.sub(r"[^a-z0-9]", "", column.lower())
    base = re.sub(r"[^a-z0-9]", "", _base(table).split(" (")[0].lower())
    if not base:
        return False
    stems = {base, _stem(base)}
    if any(col == s + suffix for s in stems for suffix in OWN_KEY_SUFFIXES):
        return True
    mine = _meaningful_stems(column)
    return bool(mine) and mine == _meaningful_stems(_base(table))


def _drop_own_keys_as_references(best: dict[int, tuple[tuple, Link]], info: dict[int, dict]) -> None:
    """A table's own row id is a key others reference, never a reference out of it, where a proper reference
    joins the two tables: PowerSchool's PERSONADDRESSASSOC(PERSONADDRESSASSOCID, PERSONID, PERSONADDRESSID), whose
    row ids 1..n fall among PERSONADDRESS's ids, references the address by PERSONADDRESSID, the column named for
    it (until 2026-11-25 the row id was followed too, and a contact took another person's address). The one-to-one
    pair of the two own keys is dropped both ways (an address's id is no reference to the association either)."""
    first: dict[str, int] = {}
    for cid in sorted(info):  # one entry per column profile (in table, column order)
        first.setdefault(info[cid]["table"], cid)

    def own(cid: int, link: Link) -> bool:
        r = info[cid]
        first_unique = first.get(r["table"]) == cid and r["distinct"] == r["count"] == r["rows"]
        return _own_key(link.from_column, link.from_table, first_unique)

    proper = {
        frozenset((link.from_table, link.to_table))
        for cid, (_, link) in best.items()
        if not own(cid, link) and name_likeness(link.from_column, _base(link.to_table), "") > 0
    }
    for cid in [c for c, (_, link) in best.items() if own(c, link)]:  # one entry per own key matched
        if frozenset((best[cid][1].from_table, best[cid][1].to_table)) in proper:
            del best[cid]


def _coverage(tables: dict[str, Table], d: DeclaredLink) -> tuple[float, int]:
    """(share of the referencing column's distinct values found in the key, how many distinct values it has)."""
    child, parent = tables.get(d.from_table), tables.get(d.to_table)
    if child is None or parent is None:
        return 0.0, 0
    if d.from_column not in child.frame.collect_schema() or d.to_column not in parent.frame.collect_schema():
        return 0.0, 0
    c = child.frame.select(key_value(pl.col(d.from_column)).alias("v")).drop_nulls().unique()
    p = parent.frame.select(key_value(pl.col(d.to_column)).alias("v")).drop_nulls().unique()
    total = c.select(pl.len()).collect().item()
    hit = c.join(p, on="v", how="semi").select(pl.len()).collect().item()
    return (hit / total if total else 0.0), total


def _merge(inferred: list[Link], tables: list[Table], config: LinkConfig) -> list[Link]:
    """Declared keys win over inferred ones for the same column; the config removes what it names."""
    by_name = {t.name: t for t in tables}
    declared_refs = [d for t in tables for d in t.declared_links] + list(config.add)
    declared: dict[tuple, Link] = {}
    for d in declared_refs:
        if (d.from_table, d.from_column, d.to_table, d.to_column) in config.remove:
            continue
        cov, distinct = _coverage(by_name, d)
        declared[(d.from_table, d.from_column, d.to_table, d.to_column)] = Link(
            d.from_table,
            d.from_column,
            d.to_table,
            d.to_column,
            cov,
            "declared",
            "many-to-one",
            f"declared ({cov:.1%} of distinct values found)",
            distinct=distinct,
        )
    declared_columns = {(k[0], k[1]) for k in declared}
    # the parts of a declared composite key (tables.declared_links_of) are not keys alone: customers.cust_no 1 is
    # customer 1 of every region
    parts = {
        (table, part)
        for k in declared
        for table, column in (k[:2], k[2:])
        if COMPOSITE_SEPARATOR in column
        for part in column.split(COMPOSITE_SEPARATOR)
    }
    out = list(declared.values())
    for link in inferred:
        if link.key in config.remove or (link.from_table, link.from_column) in declared_columns:
            continue
        if link.key[:2] in parts and link.key[2:] in parts:
            continue
        if any({link.key[:2], link.key[2:]} == {k[:2], k[2:]} for k in declared):
            continue
        out.append(link)
    return sorted(out, key=lambda k: k.key)


# link_edges' row pairs; "household" is there only when a link is a household's
# the tables' names dictionary-encoded (tables.WORD): a link row is 4 bytes a name, not a 16-byte string view,
# and every step of resolve that copies the millions of link rows copies that much less
LINK_ROWS = {
    "table_a": WORD,
    "row_a": pl.UInt64,
    "table_b": WORD,
    "row_b": pl.UInt64,
    "link": pl.Int32,
    "junction": pl.Boolean,
    "holder": pl.Boolean,
    "residency": pl.Boolean,
    # a residency reference from a delivery / ship-to column (orders.delivery_address_id -> addresses): the
    # address is where a parcel went, weak evidence (individuals.resolve)
    "shipped": pl.Boolean,
    "household": pl.Boolean,
}


# one reference a link follows: (link number, the link, child table, parent table)
Followed = tuple[int, Link, Table, Table]


def link_edges(
    tables: list[Table],
    links: list[Link],
    person_tables: set[str],
    match: Callable[[list[Followed]], pl.LazyFrame | pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """Row pairs joined by each link that reaches a table describing people: (table_a, row_a, table_b, row_b, link,
    junction, holder, residency). `match` joins the rows of each followed reference by key value, here by
    default (match_rows); the Spark engine joins them on its executors."""
    by_name = {t.name: t for t in tables}
    # the onward references of residency chains (units.property_id -> properties) are joined too, to be composed
    onward = {h for k in links if k.used_for_residency for chain in k.through for h in chain}
    followed = [
        (i, link, by_name[link.rows_of or link.from_table], by_name[link.to_table])
        for i, link in enumerate(links)
        # the referenced row must describe a person (not a product, a store) for identity to flow through it
        if (
            link.used_for_residency
            or (link.used_for_identity and link.to_table in person_tables)
            or link.key in onward
        )
        and link.from_table in by_name
        and link.to_table in by_name
        # (the local matcher reads the tables' frames; the Spark engine's driver holds none and matches by the
        # executors' key values, where a missing column gives no key rows)
        and (match is not None or _columns_exist(link, by_name))
    ]
    matched = (match or match_rows)(followed) if followed else None
    return _link_rows(matched, links, followed)


def _columns_exist(link: Link, by_name: dict[str, Table]) -> bool:
    """Whether both key columns of a link exist: a declared key naming a column its table lacks (a foreign key
    resolved to another table of the same name) is not followed, and said in the log, rather than stop the scan
    (until 2026-11-25 match_rows raised ColumnNotFoundError)."""
    child, parent = by_name[link.rows_of or link.from_table], by_name[link.to_table]
    child_columns, parent_columns = child.frame.collect_schema(), parent.frame.collect_schema()
    family = not link.family or link.family in child_columns
    if link.from_column in child_columns and link.to_column in parent_columns and family:
        return True
    logging.getLogger("breachscan").warning(
        "link %s.%s -> %s.%s not followed: a key column is missing from its table",
        child.name,
        link.from_column,
        link.to_table,
        link.to_column,
    )
    return False


def match_rows(followed: list[Followed]) -> pl.LazyFrame:
    """(row_a, row_b, link, rank): every child row and parent row of each followed reference with the same key
    value (key_value: trimmed, null words dropped, leading zeros of numbers dropped)."""
    # each key column's row -> key value, once (customers.customer_id is referenced by several links), all of
    # them collected together so the tables are keyed in parallel
    needed = sorted(
        {(c.name, key_columns_of(k)[0]) for _, k, c, _ in followed}
        | {(p.name, key_columns_of(k)[1]) for _, k, _, p in followed}
    )
    by_name = {t.name: t for _, _, c, p in followed for t in (c, p)}
    raw = pl.collect_all(
        [
            by_name[t].frame.select(pl.col(ROW).cast(pl.UInt64).alias("row"), key_expr(c).alias("r"))
            for t, c in needed
        ]
    )
    keyed = {
        tc: with_key_values(r, "r", "v").drop("r").drop_nulls("v")
        for tc, r in zip(needed, raw, strict=True)  # one entry per key column
    }
    parts = []
    for i, link, child, parent in followed:
        from_key, to_key = key_columns_of(link)
        c = keyed[(child.name, from_key)].lazy().rename({"row": "row_a"})
        p = keyed[(parent.name, to_key)].lazy().rename({"row": "row_b"})
        parts.append(
            c.join(p, on="v").select(
                "row_a",
                "row_b",
                pl.lit(i, dtype=pl.Int32).alias("link"),
                pl.lit(link.identity_rank, dtype=pl.Int32).alias("rank"),
            )
        )
    return pl.concat(parts)


def _link_rows(
    matched: pl.LazyFrame | pl.DataFrame | None, links: list[Link], followed: list[Followed]
) -> pl.DataFrame:
    """link_edges' rows from the matched (row_a, row_b, link, rank): the references each row follows, named."""
    schema = {c: t for c, t in LINK_ROWS.items() if c != "household"}
    if matched is None:
        return pl.DataFrame(schema=schema)
    # a residency chain's references are composed into one row pair (the tenant's row, the property's row),
    # apart from the references a row follows on its own
    chained = [i for i, _, _, _ in followed if links[i].used_for_residency and links[i].through]
    onward = {h for i in chained for chain in links[i].through for h in chain}
    steps = chained + [i for i, link, _, _ in followed if link.key in onward and not link.used_for_residency]
    chain_rows = None
    if steps:
        hops = matched.lazy().filter(pl.col("link").is_in(steps)).select("row_a", "row_b", "link").collect()
        matched = matched.lazy().filter(~pl.col("link").is_in(steps))
        followed = [f for f in followed if f[0] not in steps]
        chain_rows = _chain_rows(hops, links, chained).cast(schema)  # type: ignore[arg-type]
    # Integers only from here (a link names its two tables): each row follows only its best-ranked reference
    # that is filled in and found, and a row with several matches of that reference (a non-unique declared
    # key) follows the first (lowest row).
    child_of = pl.DataFrame(
        {"link": [i for i, _ in enumerate(links)], "ta": [links[i].from_table for i in range(len(links))]},
        schema={"link": pl.Int32, "ta": pl.String},
    ).with_columns(pl.col("ta").rank("dense").cast(pl.Int32).alias("tid"))
    residency = [i for i, k in enumerate(links) if k.used_for_residency]
    shipped = [i for i in residency if SHIPPED_TO.says(links[i].from_column)]
    edges = (
        matched.lazy()
        .join(child_of.lazy(), on="link")
        .with_columns(pl.col("link").is_in(residency).alias("res"))
    )
    # residency links are followed beside the best identity reference, not in competition with it; a table
    # that follows one reference of each kind has nothing to choose between (the window is skipped)
    kinds = [(link.from_table, link.used_for_residency) for _, link, _, _ in followed]
    if len(kinds) != len(set(kinds)):
        edges = edges.filter(pl.col("rank") == pl.col("rank").min().over("tid", "row_a", "res"))
    # the first match of each (link, row_a), in (link, row_a) order: one integer key sorted with row_b and
    # the first row of each key kept (a group_by and a three-column sort cost ten times as much)
    order = (pl.col("link").cast(pl.UInt64) * (1 << 40) + pl.col("row_a")).alias("_order")
    edges = (
        edges.select("link", "row_a", "row_b", order)
        .collect()
        .sort("_order", "row_b")
        .unique("_order", keep="first", maintain_order=True)
        .drop("_order")
    )
    names = {i: (k.from_table, k.to_table) for i, k in enumerate(links)}
    out = edges.select(
        pl.col("link")
        .replace_strict({i: a for i, (a, _) in names.items()}, return_dtype=pl.String)
        .alias("table_a"),
        "row_a",
        pl.col("link")
        .replace_strict({i: b for i, (_, b) in names.items()}, return_dtype=pl.String)
        .alias("table_b"),
        "row_b",
        "link",
        pl.col("link").is_in([i for i, k in enumerate(links) if k.junction]).alias("junction"),
        pl.col("link")
        .replace_strict({i: k.holder for i, k in enumerate(links)}, return_dtype=pl.Boolean)
        .alias("holder"),
        pl.col("link").is_in(residency).alias("residency"),
        pl.col("link").is_in(shipped).alias("shipped"),
    ).cast(schema)  # type: ignore[arg-type]
    if chain_rows is not None:
        out = pl.concat([out, chain_rows])
    # a household member's row is joined to the person by identity (when it is that person: relationship SELF)
    # and also gets a residency-only copy of the person's row (individuals.resolve); a member's row of the
    # subscriber's own table (family_links) gets the copy only: the member is a person of their own
    household = [i for i, k in enumerate(links) if k.household]
    family = [i for i in household if links[i].family]
    # (a lives-with reference followed for the household's place only joins no identities: _lives_with_links)
    place_only = [i for i in household if links[i].used_for_residency and not links[i].used_for_identity]
    if household:
        out = pl.concat(
            [
                out.filter(~pl.col("link").is_in(family + place_only)).with_columns(
                    pl.lit(False).alias("household")
                ),
                out.filter(pl.col("link").is_in(household)).with_columns(
                    pl.lit(True).alias("residency"), pl.lit(True).alias("household")
                ),
            ]
        )
    return out


def _chain_rows(hops: pl.DataFrame, links: list[Link], chained: list[int]) -> pl.DataFrame:
    """link_edges' rows of residency chains: each person's row and the row holding the address its chain of
    references reaches (tenant -> unit -> property), under the chain's first link. Each reference takes the first
    row it matches (the lowest), as a reference followed on its own does."""
    first = (
        hops.sort("link", "row_a", "row_b")
        .unique(["link", "row_a"], keep="first", maintain_order=True)
        .select("link", "row_a", "row_b")
    )
    index = {k.key: i for i, k in enumerate(links)}
    parts = []
    for i in chained:  # one entry per chain, not per row
        k = links[i]
        for chain in k.through:
            rows = first.filter(pl.col("link") == i).select("row_a", pl.col("row_b").alias("at"))
            for h in chain:  # one entry per onward reference
                step = first.filter(pl.col("link") == index[h]).select(pl.col("row_a").alias("at"), "row_b")
                rows = rows.join(step, on="at").select("row_a", pl.col("row_b").alias("at"))
            # a ship-to, delivery or service reference anywhere on the way (accounts.premise_id -> premises)
            shipped = any(SHIPPED_TO.says(c) for c in [k.from_column, *(h[1] for h in chain)])
            parts.append(
                rows.select(
                    pl.lit(k.from_table).alias("table_a"),
                    "row_a",
                    pl.lit(chain[-1][2]).alias("table_b"),
                    pl.col("at").alias("row_b"),
                    pl.lit(i, dtype=pl.Int32).alias("link"),
                    pl.lit(False).alias("junction"),
                    pl.lit(None, dtype=pl.Boolean).alias("holder"),
                    pl.lit(True).alias("residency"),
                    pl.lit(shipped).alias("shipped"),
                )
            )
    return pl.concat(parts).sort("link", "row_a", "table_b", "row_b")


def person_tables(tables: list[Table], classes: dict[str, list[ColumnClass]], links: list[Link]) -> set[str]:
    """Tables whose rows describe people: they hold names or elements, or reference (many-to-one) such a table.

    A lookup table that people reference (products, stores) does not describe them: merging through it would
    make one individual of everybody who bought the same product.
    """
    # running text alone does not make a table about people (products.description); a link to customers does
    person_kinds = set(NAME_KINDS) | set(ELEMENT_DETECTORS) | {"access_code", "email"}
    found = {t.name for t in tables if any(c.classified_as in person_kinds for c in classes.get(t.name, []))}
    linked = set(found)
    changed = True
    while changed:  # fixpoint over the (small) set of links, not over rows
        changed = False
        for link in links:
            if _relation(link.from_column):
                continue  # a sales_rep_id does not make an order a record about a person
            if link.to_table in linked and link.from_table not in linked:
                linked.add(link.from_table)
                changed = True
    return linked


# Header words of a reference to the staff who handled a row, not to the person it is about.
STAFF_WORDS = {
    "employee",
    "emp",
    "staff",
    "user",
    "usr",
    "agent",
    "clerk",
    "teller",
    "cashier",
    "handler",
    "creator",
    "approver",
    "processor",
    "officer",
    "banker",
    "advisor",
    "adviser",
    "broker",
    "underwriter",
    "adjuster",
    "adjustor",
    "examiner",
    "representative",
}
# ...and the professionals who act on a row about someone else, as a clerk does: a prescription's prescriber, a
# claim's provider, a tax return's preparer, a grade's teacher. The row is the patient's, the filer's, the
# student's (until 2026-11-24 a prescription with patient_id and prescriber_id followed whichever table came
# first by name, and the prescriber took the patients' licence numbers quoted in its notes).
STAFF_WORDS |= {"provider", "prov", "prescriber", "prescribing", "practitioner", "clinician", "pharmacist"}
STAFF_WORDS |= {"nurse", "therapist", "dentist", "surgeon", "attending", "referring", "rendering"}
STAFF_WORDS |= {"preparer", "counselor", "counsellor", "caseworker", "attorney", "lawyer", "accountant"}
STAFF_WORDS |= {"teacher", "instructor", "tutor", "inspector", "technician", "installer", "dispatcher"}
# The system's users: a back office's staff, or in a consumer app its customers (see _hanging_from)
USER_WORDS = {"user", "usr"}
# Roles of somebody else (detectors.common.OTHER_PERSON_WORDS) that are a professional's or a record keeper's:
# a row that references only them (accounts.officer_id, policies.agent_id) is still not theirs (see identity_links).
ACTOR_ROLES = {"manager", "supervisor", "agent", "rep", "representative", "employer", "doctor", "physician"}
ACTOR_ROLES |= {"author", "assignee", "assigned", "created", "updated", "modified", "submitted", "approved"}
ACTOR_ROLES |= {"reviewer", "sales", "salesperson", "recruiter", "notary", "officer", "teller", "cashier"}
ACTOR_ROLES |= {"vendor", "merchant", "csr", "clerk"}
# A junction table's columns that are neither references nor data about anyone: its own row id, the holder's
# role, dates and flags (account_holders: holder_row_id, role, is_primary, added_on).
JUNCTION_METADATA = {
    "id",
    "row",
    "seq",
    "role",
    "rel",
    "relationship",
    "type",
    "primary",
    "flag",
    "pct",
    "percent",
    "share",
    "date",
    "dt",
    "on",
    "at",
    "added",
    "created",
    "updated",
    "modified",
    "since",
    "start",
    "end",
    "effective",
    "eff",
}


# A table whose rows are third parties named on someone's record (beneficiaries.account_id, emergency_contacts,
# guarantors, references): its reference is a relation. A payable-on-death beneficiary holds neither the account
# nor its PIN (445.63(p)(iii) "the resident's financial accounts"); until 2026-11-24 the beneficiary took both.
# Household tables (dependents, spouses) are not here: a dependant takes the household's address.
THIRD_PARTY_WORDS = {"beneficiary", "beneficiaries", "bene", "benef", "bnf", "emergency", "emrg", "guarantor"}
# ("references" is not here: a payment vault's card_references table holds the customers' own cards)
THIRD_PARTY_WORDS |= {"guarantors", "guar", "witness", "witnesses", "nominee", "nominees", "referees"}
THIRD_PARTY_WORDS |= {"referrer", "referrers", "kin"}


# Roles of detectors.common's other people that are the row's own party when a row references them: a lease's
# or a rental's tenant (common.PRIMARY_PARTY_WORDS). Until 2026-11-25 a lease's tenant_id beside its guarantor_id
# or cosigner_id was a relation, and the lease followed nobody.
OWN_PARTY_ROLES = {"tenant"}


def _third_parties(table: str) -> bool:
    return bool(set(header_tokens(re.split(r"[/#!]", table)[-1])) & THIRD_PARTY_WORDS)


def _staff(column: str) -> bool:
    return bool(set(header_tokens(column)) & STAFF_WORDS)


def _actor(column: str) -> bool:
    """A reference named for whoever did something to the row (created_by, reviewed_by, processed_by_user_id,
    referred_by): a relation, never the row's person."""
    return _relation(column) or "by" in header_tokens(column)


def _relation(column: str) -> bool:
    """A reference named for somebody else than the row's person (sales_rep_id, guarantor_id, spouse_id); not a
    tenant's, who is a lease's or a rental's own party (detectors.common lists 'tenant' as another person for
    a landlord's or an owner's columns)."""
    role = other_person_role(column)
    return role is not None and role not in OWN_PARTY_ROLES


def _party_of_its_own(link: Link) -> bool:
    """A reference named for a person of somebody's private life (guardian, parent, spouse, guarantor) to the
    table of those people (free_lunch_applications.guardian_id -> guardians): when it is the row's only reference
    to people, the row is that person's (the application is the guardian's, and so is the adult's SSN on it)."""
    role = other_person_role(link.from_column)
    if role is None or role in ACTOR_ROLES or "by" in header_tokens(link.from_column):
        return False
    return any(
        t.startswith(role) or role.startswith(t)
        for t in _meaningful_stems(re.split(r"[/#!]", link.to_table)[-1])
        if min(len(t), len(role)) >= 3
    )


def _hanging_from(links: list[Link]) -> dict[str, set[str]]:
    """table -> the tables of people its rows reach through references that are the row's own: not a role's,
    not staff's, but a lone user_id (addresses.user_id -> users, cards.account_id -> accounts -> users). A lone
    employee_id of a customers table is their account manager: orders that reference customers and employees
    still name a clerk."""
    own = [k for k in links if not _actor(k.from_column)]
    with_subject = {k.from_table for k in own if not _staff(k.from_column)}
    up: dict[str, set[str]] = {}
    for k in own:  # one entry per link, not per row
        staff = set(header_tokens(k.from_column)) & STAFF_WORDS
        if not staff or (staff <= USER_WORDS and k.from_table not in with_subject):
            up.setdefault(k.from_table, set()).add(k.to_table)
    reach = {t: set(ts) for t, ts in up.items()}
    changed = True
    while changed:  # fixpoint over the (small) set of tables
        changed = False
        for t, ts in reach.items():  # one entry per table
            more = set().union(*(up.get(u, set()) for u in ts)) - ts - {t}
            if more:
                ts |= more
                changed = True
    return reach


# Whom a row with two people's references is about. A prescription, a claim, a lease or an enrolment is its
# patient's, member's, insured's, tenant's or student's (their name, date of birth, SSN are on it); the insurance
# cardholder, subscriber or policyholder, the guarantor or payer, a group's leader or booker pays for it. Only a
# row whose elements are the payer's own (a payment's card or bank account number) is the payer's.
SUBJECT_ROLES = {
    "patient",
    "pt",
    "pat",
    "member",
    "mbr",
    "student",
    "stu",
    "insured",
    "insd",
    "tenant",
    "lessee",
}
SUBJECT_ROLES |= {
    "resident",
    "enrollee",
    "participant",
    "ptcp",
    "claimant",
    "dependent",
    "dependant",
    "child",
}
SUBJECT_ROLES |= {"guest", "traveler", "traveller", "passenger", "occupant"}
PAYER_ROLES = {
    "cardholder",
    "cardhldr",
    "accountholder",
    "acctholder",
    "accthldr",
    "payer",
    "payor",
    "guarantor",
}
PAYER_ROLES |= {"guar", "gtor", "subscriber", "subscr", "policyholder", "sponsor", "responsible", "billto"}
PAYER_ROLES |= {"leader", "booker", "organizer", "organiser", "cosigner"}
# the same roles written in two words (card_holder_id, policy_holder_id, bill_to_id, resp_party_id)
PAYER_PAIRS = {("card", "holder"), ("policy", "holder"), ("account", "holder"), ("acct", "holder")}
PAYER_PAIRS |= {("bill", "to"), ("resp", "party"), ("responsible", "party"), ("card", "hldr")}


def _role_words(name: str) -> tuple[set[str], set[tuple[str, str]]]:
    words = header_tokens(_base(name))
    return set(words) | {_stem(w) for w in words}, set(zip(words, words[1:], strict=False))


def _subject_or_payer(link: Link) -> int:
    """1 when a reference names the person a row is about (patient_id, member_id, a reference to students), -1
    when it names who pays for it (cardholder_id, subscriber_id, a reference to guarantors), 0 otherwise. The
    reference's header decides, else the referenced table's name."""
    for name in (link.from_column, link.to_table):  # the header first, then the table
        words, pairs = _role_words(name)
        subject = bool(words & SUBJECT_ROLES)
        payer = bool(words & PAYER_ROLES or pairs & PAYER_PAIRS)
        if subject != payer:
            return 1 if subject else -1
    return 0


def identity_links(links: list[Link], classes: dict[str, list[ColumnClass]], people: set[str]) -> list[Link]:
    """Mark the links along which a row inherits a person, ranked per referencing table.

    A row describes one person. An order that references both its customer and its sales representative, or a
    transfer between two customers, must not make one individual of them: a reference named for another role
    (sales_rep_id, manager_id, created_by) is a relation, and of the remaining references a row follows only its
    best-ranked one that is filled in (link_edges), so a ticket that carries a customer_id follows it, and one
    that carries only an order_id reaches the customer through the order. Rank: the table that names people
    directly, the row's subject (patient_id) before its payer (cardholder_id) unless the row's elements are the
    payer's own (a card number), a table that does not itself reference people, declared before inferred,
    coverage, name likeness, then the reference with more distinct values (the people the table is about
    outnumber the professionals acting on its rows).
    """
    named = {t for t, cols in classes.items() if any(c.classified_as in NAME_KINDS for c in cols)}
    # a table that itself references a table of people (orders -> customers) reaches the person second-hand: a
    # ticket's customer_id beats its order_id, whose bill-to name may be misspelt or another person's
    second_hand = {k.from_table for k in links if k.to_table in people and k.to_table != k.from_table}

    def score(link: Link, payer_first: bool = False) -> tuple:
        like = name_likeness(link.from_column, link.to_table, link.to_column)
        role = _subject_or_payer(link)
        return (
            bool(link.rows_of),  # a second person's own reference: the one whose row it is
            link.to_table in named,
            -role if payer_first else role,
            link.to_table not in second_hand,
            link.source == "declared",
            round(link.coverage, 3),
            like,
            link.distinct,
            link.to_table,
        )

    eligible = [
        k
        for k in links
        if k.to_table in people
        and (not _actor(k.from_column) or _party_of_its_own(k) or k.rows_of)
        # a second person's own reference (leases (guarantor) -> guarantors) is that table's person's
        and (not _third_parties(k.from_table) or k.rows_of)
    ]
    hanging = _hanging_from([k for k in links if k.to_table in people])
    person_kinds = set(NAME_KINDS) | set(ELEMENT_DETECTORS) | {"access_code", "free_text"}
    rank: dict[tuple, int] = {}
    junctions: dict[tuple, bool | None] = {}
    for table in sorted({k.from_table for k in eligible}):
        mine = [k for k in eligible if k.from_table == table]
        # A reference named for a person of somebody's life (guardian_id -> guardians) is the row's person only
        # when the row references nobody else but staff: beside a student_id it is a relation.
        own = [k for k in mine if not _actor(k.from_column) or k.rows_of]
        if any(not _staff(k.from_column) for k in own):
            mine = own
        # A reference to whoever handled the row (employee_id, user_id beside customer_id, prescriber_id beside
        # patient_id) is a relation: the row is the customer's, and a row with no customer is not the clerk's
        # either. Not when the row's other references reach the same people (orders.user_id beside an
        # address_id of the user's addresses; a date of birth is no reference: MEASURE_AND_DATE_WORDS):
        # in a consumer app the users are the customers, not a back office's staff (until 2026-11-24 such a
        # user_id was dropped and the documents followed a date of birth). A staff reference alone
        # (timesheets.employee_id) is the row's own person.
        others = [k for k in mine if not _staff(k.from_column)]
        mine = [
            k
            for k in mine
            if not _staff(k.from_column)
            or all(o.to_table == k.to_table or k.to_table in hanging.get(o.to_table, ()) for o in others)
        ]
        cols = classes.get(table, [])
        # the row's elements are the payer's own (a payment's card number, the cardholder's): the payer's
        # reference first; else the row's subject's (a prescription's patient, not the plan's cardholder)
        kinds = {c.classified_as for c in cols}
        payer_first = bool(kinds & {"card_number", "bank_account"}) and not kinds & {"ssn", "drivers_license"}
        mine = sorted(mine, key=lambda k: score(k, payer_first), reverse=True)
        # A junction table (account_holders: account_id, customer_id) only connects: it says whose account it
        # is, so its rows follow every reference, to different tables. Besides its references and metadata (its
        # own row id, a role, flags, dates: JUNCTION_METADATA) it has no more columns than references: a policy
        # row with a premium, a deductible and a copay is a table of its own.
        # It says whose THING it is: one reference to a thing and one to its holder. A row that references two
        # tables that name people (an order's client_id and cand_id, a matter's client_id, opposing_party_id and
        # responsible_atty_id), or one such table under two roles, relates people: it never makes them one, so
        # it follows its best reference only (until 2026-11-24 every named table it referenced was a holder,
        # and the candidate, the client's HR contact and every other candidate of that client became one).
        refs = {k.from_column for k in mine}
        plain = [c for c in cols if c.name not in refs and not set(header_tokens(c.name)) & JUNCTION_METADATA]
        junction = (
            len({k.to_table for k in mine}) >= 2
            and len({k.from_column for k in mine if k.to_table in named}) <= 1
            and not any(c.classified_as in person_kinds for c in cols)
            and len(refs) >= len(plain)
        )
        rank.update({k.key: 0 if junction else i for i, k in enumerate(mine)})
        if junction:
            # the reference to a table that names people is the holder; when none does, resolve decides by
            # whether the referenced rows' individuals carry a name
            naming = any(k.to_table in named for k in mine)
            junctions.update({k.key: (k.to_table in named) if naming else None for k in mine})
    return [
        replace(
            k,
            used_for_identity=k.key in rank,
            identity_rank=rank.get(k.key, -1),
            junction=k.key in junctions,
            holder=junctions.get(k.key),
        )
        for k in links
    ]


# Words that say a table (or the reference to it) holds where people live, not where a business is; singular and
# plural as headers write them (_stem folds "address" and "addresses" to different stems).
RESIDENTIAL_WORDS = {
    "household",
    "households",
    "home",
    "homes",
    "residence",
    "residences",
    "residential",
    "address",
    "addresses",
    "dwelling",
    "dwellings",
    "family",
    "families",
    "domicile",
    "domiciles",
}
RESIDENCY_KINDS = {"state", "zip", "address"}
# Words of a place somebody lives in, reached on the way to its address: the unit, apartment or room leased, the
# building, property, site or lot it is in, a utility's premises, a dorm. Said by a table or a reference of the
# chain, a home word (RESIDENTIAL_WORDS, DWELLING_WORDS) makes the address a home; a place word only for the
# rows of a table of residents (tenants.unit_id -> units -> properties): an employee's unit or a patient's room
# is a business unit's or a ward's.
DWELLING_WORDS = RESIDENTIAL_WORDS | {
    "apartment",
    "apartments",
    "apt",
    "apts",
    "dorm",
    "dorms",
    "dormitory",
    "dormitories",
    "housing",
    "lodging",
    "lodgings",
    "tenancy",
    "tenancies",
    "premise",
    "premises",
    # Spanish: vivienda (dwelling), hogar (home), domicilio, residencia
    "vivienda",
    "viviendas",
    "hogar",
    "hogares",
    "domicilio",
    "domicilios",
    "residencia",
    "residencias",
}
PLACE_WORDS = DWELLING_WORDS | {
    "unit",
    "units",
    "room",
    "rooms",
    "suite",
    "suites",
    "space",
    "spaces",
    "lot",
    "lots",
    "pad",
    "bed",
    "beds",
    "property",
    "properties",
    "prop",
    "props",
    "building",
    "buildings",
    "bldg",
    "bldgs",
    "site",
    "sites",
    "location",
    "locations",
    "loc",
    "parcel",
    "parcels",
    "complex",
    "community",
    "communities",
    "hall",
    "halls",
    "floor",
    "house",
    "houses",
    "condo",
    "condos",
    "townhome",
    "townhomes",
    "place",
    "places",
    "service",
    "svc",
    "point",
    "meter",
    "meters",
}
# Tables of people who live at the place their rows reference: a lease's, a tenancy's or a housing assignment's
# rows, a property manager's tenants and residents (Spanish inquilinos, arrendatarios)
RESIDENT_WORDS = {
    "tenant",
    "tenants",
    "resident",
    "residents",
    "occupant",
    "occupants",
    "lessee",
    "lessees",
    "renter",
    "renters",
    "lodger",
    "lodgers",
    "boarder",
    "boarders",
    "roomer",
    "roomers",
    "leaseholder",
    "leaseholders",
    "homeowner",
    "homeowners",
    "householder",
    "householders",
    "lease",
    "leases",
    "rental",
    "rentals",
    "tenancy",
    "tenancies",
    "occupancy",
    "occupancies",
    "housing",
    "inquilino",
    "inquilinos",
    "arrendatario",
    "arrendatarios",
}
# How many references a residency chain takes at most (tenants -> units -> buildings -> properties)
MAX_RESIDENCY_HOPS = 3


def _not_a_home(name: str) -> bool:
    """A table or reference on the way to an address that names somewhere nobody lives or another party's place:
    an employer, office, branch, store, school, clinic, provider, vendor, merchant, landlord, bank
    (detectors.residency's WORKPLACE and OTHER_PARTY words)."""
    text = header_text(_base(name))
    return bool(re.search(NOT_HOME, text) or re.search(rf"\b({OTHER_PARTY})\b", text))


def _residency_chains(
    k: Link, by_from: dict[str, list[Link]], addressed: set[str], people: set[str]
) -> list[tuple[Link, ...]]:
    """The chains of references from a person's row through k to a table holding an address: k alone when its
    table has one, else k and onward references (many-to-one, each from the row to the place it is in) through
    tables that hold no address and name nobody, at most MAX_RESIDENCY_HOPS in all."""
    chains: list[tuple[Link, ...]] = []
    todo: list[tuple[Link, ...]] = [(k,)]
    while todo:  # over the (few) tables reachable in MAX_RESIDENCY_HOPS references, not over rows
        chain = todo.pop()
        end = chain[-1].to_table
        # (a second person's own reference, leases (guarantor) by guarantor_address_id, names their own place)
        party = chain[-1].rows_of == "" and about_other_person(chain[-1].from_column)
        if end in people or _not_a_home(end) or party:
            continue  # units.owner_id -> owners: the owner's place
        own = chain[-1].rows_of != ""  # the reference is the second person's: their role word is no veto
        if (
            re.search(NOT_HOME, header_text(chain[-1].from_column))
            if own
            else _not_a_home(chain[-1].from_column)
        ):
            continue
        if end in addressed:
            chains.append(chain)
            continue
        if len(chain) < MAX_RESIDENCY_HOPS:
            seen = {c.from_table for c in chain} | {end}
            todo += [chain + (n,) for n in by_from.get(end, []) if n.to_table not in seen]
    return sorted(chains, key=lambda c: [h.key for h in c])


# A home word run together with others in an upper-case name no tokenizer can split (PowerSchool's PERSONADDRESS,
# PERSONADDRESSID, PERSONADDRESSASSOC): read inside the word, unless the word also names a workplace, a parcel's
# destination or another party (WORKADDRESSID, SHIPADDRESS, EMPLOYERADDR).
GLUED_HOME_WORDS = ("address", "addr", "residence", "household", "domicile", "dwelling")
GLUED_NOT_HOME = (
    "work",
    "employ",
    "job",
    "office",
    "store",
    "branch",
    "ship",
    "deliver",
    "school",
    "business",
    "company",
    "corp",
    "vendor",
    "merchant",
    "landlord",
    "clinic",
    "hospital",
    "agent",
    "attorney",
    "guardian",
    "emergency",
    "payroll",
    "tax",
    "prev",
    "prior",
    "former",
    "old",
)


def _glued_home_words(name: str) -> set[str]:
    """The home words (GLUED_HOME_WORDS, as DWELLING_WORDS spell them) inside the run-together words of a name."""
    out = set()
    for token in plain_header_tokens(name):  # one entry per word of one name
        found = [w for w in GLUED_HOME_WORDS if w in token and w != token]
        if not found:
            continue
        rest = token
        for w in sorted(found, key=len, reverse=True):  # one entry per home word found
            rest = rest.replace(w, " ")
        if not any(n in rest for n in GLUED_NOT_HOME):
            out |= {"address" if w == "addr" else w for w in found}
    return out


def _says_home(chain: tuple[Link, ...]) -> bool:
    """Whether a chain's tables and references name a home (members.household_id -> households, customers ->
    addresses, accounts.premise_id -> premises), or the rows of a table of residents reach a place they live in
    (tenants.unit_id -> units -> properties)."""
    words = set()
    for h in chain:  # one entry per reference of the chain
        words |= set(header_tokens(_base(h.to_table)) + header_tokens(h.from_column))
        words |= _glued_home_words(_base(h.to_table)) | _glued_home_words(h.from_column)
    if words & DWELLING_WORDS:
        return True
    return bool(words & PLACE_WORDS and set(header_tokens(_base(chain[0].from_table))) & RESIDENT_WORDS)


def residency_links(
    links: list[Link],
    classes: dict[str, list[ColumnClass]],
    people: set[str],
) -> list[Link]:
    """Mark references from a person's row to a row of addresses only (members.household_id -> households), or to
    a row that is in such a row (tenants.unit_id -> units, units.property_id -> properties).

    Such a row names nobody, so it is no identity: many members share a household, and merging through it would
    make one individual of a family. Its address is each member's residency evidence (445.72(1) "resident of this
    state"). Only a chain whose tables or references are named for a home qualifies (or, from a table of tenants
    or residents, for the place they rent): a store's, a branch's, an employer's or a merchant's address says
    nothing of where its customers or staff live, and a chain never passes a table that names people (from a
    unit to its other tenants) or a party that is not the person's home (an office, a landlord, a school).

    A dependants table's reference to its person, and a relationship table's (household_relationship_tables),
    is marked household; a table holding the subscriber's and the dependants' rows together gets a household link
    of its own (family_links).
    """
    addressed = {t for t, cols in classes.items() if any(c.classified_as in RESIDENCY_KINDS for c in cols)}
    related = household_relationship_tables(classes)
    by_from: dict[str, list[Link]] = {}
    for k in links:  # one entry per link: the onward references of tables that name nobody
        if k.from_table not in people and k.from_table not in addressed and k.to_table != k.from_table:
            by_from.setdefault(k.from_table, []).append(k)
    out = []
    for k in links:  # one entry per link, not per row
        chains = []
        if (
            k.from_table in people
            and k.to_table not in people
            and (k.rows_of or not about_other_person(k.from_column))
        ):
            chains = [c for c in _residency_chains(k, by_from, addressed, people) if _says_home(c)]
        if chains:
            k = replace(
                k,
                used_for_residency=True,
                through=tuple(tuple(h.key for h in c[1:]) for c in chains if len(c) > 1),
            )
        elif _own_address_row(k, links, classes, people):
            k = replace(k, used_for_residency=True)
        elif (
            k.used_for_identity
            and k.identity_rank == 0
            and (
                _household_members(k.from_table, k.to_table, people)
                or (k.from_table in related and k.to_table in people)
            )
        ):
            k = replace(k, household=True)
        out.append(k)
    return _lives_with_links(out, classes, people) + family_links(classes, people)
    return _lives_with_links(out, classes, people)


def _lives_with_links(
    links: list[Link], classes: dict[str, list[ColumnClass]], people: set[str]
) -> list[Link]:
    """A table with a lives-with flag (PowerSchool's STUDENTCONTACTASSOC(STUDENTDCID, PERSONID, LIVESWITH)): the
    person the row is about lives with the person its first reference reaches, a contact with the student, where
    the flag says so (records.PLACE_ENDED drops the other rows' copies). That reference is household evidence, as
    a dependants table's: the student's place is the contact's where the contact's own rows give none (weak). With
    a second reference to people (the contact's PERSONID) the row is that person's, and the first reference is
    followed for the household's place only (no identity: the row is not the student's); a row naming its own
    person (a contacts table with names) keeps its reference, marked household (until 2026-11-25 the flag was not
    read, and a guardian whose address PowerSchool leaves blank "same as student" was of unknown residency)."""
    flagged = {t for t, cols in classes.items() if any(records.lives_with_column(c.name) for c in cols)}
    out = list(links)
    for table in sorted(flagged & people):  # one entry per table with a lives-with flag
        refs = sorted(
            (
                i
                for i, k in enumerate(out)
                if k.from_table == table and k.used_for_identity and k.to_table in people
            ),
            key=lambda i: out[i].identity_rank,
        )
        if not refs:
            continue
        anchor = out[refs[0]]
        if len(refs) == 1:
            out[refs[0]] = replace(anchor, household=True)
        else:
            out[refs[0]] = replace(
                anchor, used_for_identity=False, identity_rank=-1, used_for_residency=True, household=True
            )
    return out


# The kinds of a place's columns (detectors.residency): a table of at least two of them holds addresses
PLACE_KINDS = {"address", "city", "state", "zip"}


def _own_address_row(
    k: Link, links: list[Link], classes: dict[str, list[ColumnClass]], people: set[str]
) -> bool:
    """A person's row and a row of addresses only that share the person's key one-to-one (Banner's SPBPERS and
    SPRADDR by PIDM, one address row per person): the address row is the person's place, whichever way round the
    one-to-one link was inferred (with two address rows per person the address table references the person and
    its rows are the person's). The reference is the person table's own key: named for its table, a bare id, or
    the key another table of people shares; an address table of a business (stores, branches, employers) is no
    home (detectors.residency's words), nor a second person's (spouse_id), nor a table with a lone state (a
    vehicle's plate, a licence's state)."""
    if (
        k.cardinality != "one-to-one"
        or k.from_table not in people
        or k.to_table in people
        or about_other_person(k.from_column)
        or any(_not_a_home(n) for n in (k.to_table, k.from_column, k.to_column))
    ):
        return False
    kinds = {c.classified_as for c in classes.get(k.to_table, [])}
    if len(kinds & PLACE_KINDS) < 2:
        return False
    named = not _meaningful_stems(k.from_column) or name_likeness(k.from_column, _base(k.from_table), "") > 0
    shared = any(
        (o.to_table, o.to_column) == (k.from_table, k.from_column)
        and o.from_table in people
        or (o.from_table, o.from_column) == (k.from_table, k.from_column)
        and o.to_table in people
        for o in links
    )
    return named or shared


# Tables whose rows are members of the referenced person's household (dependents.emp_id -> employees)
HOUSEHOLD_TABLE_WORDS = {
    "dependent",
    "dependents",
    "dependant",
    "dependants",
    "spouse",
    "spouses",
    "child",
    "children",
    "family",
    "household",
    "dependiente",
    "dependientes",
    "conyuge",
    "conyuges",
}


def household_relationship_tables(classes: dict[str, list[ColumnClass]]) -> set[str]:
    """Tables whose rows say, in a relationship column, that they are a spouse, child or dependant of the person
    their reference reaches (a policy's drivers by rel_to_insd SP / CH, an eligibility file's dependants by
    REL_CD 19): those rows live in that person's household (_household_members), whatever the table is named.
    Read from the column's classification (classify.HOUSEHOLD_RELATIONSHIP, decided on its sampled values), so
    the Spark engine, whose driver holds no rows, reads it as the local scan does."""
    return {name for name, cols in classes.items() if any(c.extra.get(HOUSEHOLD_RELATIONSHIP) for c in cols)}


# A relationship column's values that say the row is the subscriber's, the employee's or the insured's own (the
# person the household's other rows hang from): X12 834 INS02 18, the words, and an insurer's NI named insured and
# PH policyholder. "S" is self beside SP spouse (S / SP / CH / DEP); a column without a spouse, child or dependant
# code (P / S / D, E / S / C, where S is the spouse) is no household relationship column and is never read.
SELF_RELATIONSHIPS = {
    "self",
    "s",
    "slf",
    "subscriber",
    "subscr",
    "sub",
    "employee",
    "ee",
    "emp",
    "e",
    "insured",
    "named insured",
    "insd",
    "ni",
    "ph",
    "policyholder",
    "policy holder",
    "primary",
    "p",
    "principal",
    "head",
    "head of household",
    "hoh",
    "member self",
    "titular",
    "asegurado",
}
# The header of the key one family's rows share in a table of subscribers and their dependants (an eligibility
# extract's SUBSCR_ID, an HR benefits file's EMP_ID, a policy's POL_NO, a MEMBER_ID beside a person suffix), in
# order of preference when a table has several
FAMILY_KEY_WORDS = (
    ("subscriber", "subscr", "subscrb", "sbscr", "sbscrbr", "subs", "sub", "subsc"),
    ("family", "fam", "household", "hh", "hhld", "hshld"),
    ("employee", "emp", "ee", "empl", "insured", "insd", "policyholder", "holder"),
    ("policy", "pol", "contract", "cntrct", "case", "enrollment", "enrolment"),
    ("member", "mbr", "mem"),
)
# ...and the words of a key shared by many families (an employer group, a plan, a carrier, a physician): never a
# family key, nor a person's suffix or sequence within the family
NOT_FAMILY_KEY_WORDS = {
    "physician",
    "pcp",
    "doctor",
    "facility",
    "company",
    "co",
    "insurer",
    "network",
    "product",
    "benefit",
    "coverage",
    "cov",
    "group",
    "grp",
    "employer",
    "er",
    "plan",
    "carrier",
    "payer",
    "payor",
    "provider",
    "prov",
    "agent",
    "broker",
    "type",
    "status",
    "seq",
    "sfx",
    "suffix",
    "line",
    "batch",
    "file",
}
FAMILY_ROLE = "\x1e"  # joins a family key, its relationship column and a role into one key column's name


def family_keys(classes: list[ColumnClass]) -> tuple[str, str] | None:
    """(family key, relationship column) of a table that holds a household's rows, its subscriber's and its
    dependants', and a place to live: the relationship column marked at classification (HOUSEHOLD_RELATIONSHIP)
    and the key its header names for the family (SUBSCR_ID, EMP_ID, POL_NO). Decided from the classification
    alone: the Spark engine's driver holds no rows."""
    relationship = next((c.name for c in classes if c.extra.get(HOUSEHOLD_RELATIONSHIP)), None)
    if relationship is None or not any(c.classified_as in RESIDENCY_KINDS for c in classes):
        return None
    # the relationship of a second person of the row (a claim's patient_relationship beside patient_first_name,
    # an employee row's DEP_REL_CD) is that person's, not the row's own: their table (co_subjects) is theirs
    qualifiers = set(header_tokens(relationship)) - RELATIONSHIP_WORDS - GENERIC_WORDS - {"to", "cd", "code"}
    others = {w for c in classes if c.classified_as == "other_person" for w in header_tokens(c.name)}
    if about_other_person(relationship) or qualifiers & others:
        return None
    best: tuple[int, str] | None = None
    for c in classes:  # one entry per column
        words = set(header_tokens(c.name))
        if (
            c.name == relationship
            or c.classified_as in NOT_KEYS
            or words & (RELATIONSHIP_WORDS | NOT_FAMILY_KEY_WORDS | MEASURE_AND_DATE_WORDS)
        ):
            continue
        rank = next((r for r, family in enumerate(FAMILY_KEY_WORDS) if words.intersection(family)), None)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, c.name)
    return None if best is None else (best[1], relationship)


def family_key_column(column: str, relationship: str, role: str) -> str:
    """The name of the key column made of a family key's values on the rows whose relationship says `role`
    (member: a spouse, child or dependant; self: the subscriber), null on the others (key_expr)."""
    return FAMILY_ROLE.join((column, relationship, role))


def family_key_columns(classes: list[ColumnClass]) -> list[str]:
    """The key columns family_links joins in a table (both roles'), for the Spark engine's executors to make."""
    found = family_keys(classes)
    return [] if found is None else [family_key_column(*found, r) for r in ("member", "self")]


def key_columns_of(link: Link) -> tuple[str, str]:
    """The key columns whose values a link's rows are matched by: its columns, or for a family's rows of one table
    (family_links) the family key on the members' rows and on the subscriber's."""
    if link.family:
        return (
            family_key_column(link.from_column, link.family, "member"),
            family_key_column(link.to_column, link.family, "self"),
        )
    return link.from_column, link.to_column


def relationship_role(relationship: pl.Expr) -> pl.Expr:
    """Per row: "member" when its relationship code says spouse, child or dependant (classify's words and X12
    codes), "self" when it says the subscriber, the employee or the insured; null otherwise (Other, a parent)."""
    said = cleaned(relationship.cast(pl.String)).str.to_lowercase().str.replace_all(r"[_\-]+", " ")
    number = said.str.contains(r"^\d{1,2}$").fill_null(False)
    padded = said.str.zfill(2)
    return (
        pl.when(said.is_in(sorted(SELF_RELATIONSHIPS)) | (number & (padded == X12_SELF)))
        .then(pl.lit("self"))
        .when(said.is_in(sorted(HOUSEHOLD_RELATIONSHIPS)) | (number & padded.is_in(sorted(X12_HOUSEHOLD))))
        .then(pl.lit("member"))
    )


def key_expr(column: str) -> pl.Expr:
    """A key column's values as link rows are matched by: the column, or a family key's on the rows of one role
    (family_key_column). The local matcher and the Spark engine's executors make it alike."""
    parts = column.split(FAMILY_ROLE)
    if len(parts) != 3:
        return pl.col(column)
    key, relationship, role = parts
    return pl.when(relationship_role(pl.col(relationship)) == role).then(pl.col(key)).alias(column)


def family_links(classes: dict[str, list[ColumnClass]], people: set[str]) -> list[Link]:
    """A table of subscribers and their dependants, a row each (an X12 834 eligibility extract: SUBSCR_ID,
    REL_CD 18 self / 01 spouse / 19 child, the address on the subscriber's row only): each member's row is linked
    to the subscriber's row of the same family key, a copy of whose residency and postal address is theirs where
    their own row gives none (household, as a dependants table's). Nothing else comes across and nobody is merged:
    each member is a person of their own."""
    out = []
    for name in sorted(people):  # one entry per table of people
        found = family_keys(classes.get(name, []))
        if found is None:
            continue
        key, relationship = found
        out.append(
            Link(
                name,
                key,
                name,
                key,
                1.0,
                "inferred",
                evidence=f"household: rows whose {relationship} says spouse, child or dependant live with the row "
                f"of the same {key} whose {relationship} says self",
                used_for_residency=True,
                household=True,
                family=relationship,
            )
        )
    return out


def _household_members(from_table: str, to_table: str, people: set[str]) -> bool:
    """A dependents (spouses, children, family members) table's reference to the person table it hangs from: its
    rows live in that person's household, as a spouse or child column of the person's own row does
    (co_subjects), so each member takes the person's residency as evidence, nothing else."""
    return (
        from_table in people
        and to_table in people
        and (
            bool(HOUSEHOLD_TABLE_WORDS.intersection(header_tokens(from_table.split("/")[-1])))
            # a second person of a row (claims (patient)) by the row's reference to its subscriber
            or co_subjects.household_role(from_table)
        )
    )
