"""The oracle: expected counts from what the generator planted, following docs/counting-rules.md.

Every truth rule lives in this file, each next to the section it rests on. The generators never count; they
only describe each record they wrote as one row of *facts* (who the planted person is, what the record shows and
in which state) plus the *links* between records that the key columns make. This module then:

1. builds the graph of section 3 (links that reach a person, same readable SSN / licence / card / account /
   e-mail with compatible names), takes connected components as individuals;
2. checks the generator's own design: no component mixes two planted persons, and (unless a link is removed
   on purpose) no planted person is split, so "the same person counts once" is true by construction;
3. applies sections 4 and 5 per individual and counts.

The scanner's code is never imported here: truth comes from the planted facts only.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

# Status codes of an element in one record (section 1).
NONE, UNREDACTED, ENCRYPTED, REDACTED = 0, 1, 2, 3
# Access-code status (section 1: a non-empty CVV / PIN / password value; a hash of one is an encrypted code).
CODE_NONE, CODE_PRESENT, CODE_ENCRYPTED = 0, 1, 2
# Residency evidence carried by one record (section 5).
RES_NONE, RES_MICHIGAN, RES_OTHER = 0, 1, 2

FACT_SCHEMA = {
    "table": pl.String,
    "row": pl.Int64,  # 0-based data row of the table as written
    "pid": pl.Int64,  # the planted person this record belongs to
    "named": pl.Boolean,  # section 2: first name or initial AND last name in this record
    "first_initial": pl.String,  # lower-case, for the name-compatibility test (section 3); null when not named
    "last_name": pl.String,  # lower-case; null when not named
    "ssn": pl.Int8,
    "drivers_license": pl.Int8,
    "fin": pl.Int8,  # card or bank-account number status
    "code": pl.Int8,  # access-code status in the same record
    "residency": pl.Int8,
    "rejected_ssn": pl.Int32,  # SSN-shaped values in an SSN field that fail SSA validity (section 1)
    "key_ssn": pl.String,  # readable identity keys (section 3); null when absent, masked or encrypted
    "key_dl": pl.String,
    "key_fin": pl.String,
    "key_email": pl.String,
}
LINK_SCHEMA = {
    "src_table": pl.String,
    "src_row": pl.Int64,
    "dst_table": pl.String,
    "dst_row": pl.Int64,
    "link": pl.String,
}


def facts_frame(columns: dict) -> pl.DataFrame:
    """Build a facts frame from arrays, filling absent columns with their 'nothing planted' value."""
    n = len(next(iter(columns.values())))
    data = {}
    for name, dtype in FACT_SCHEMA.items():
        if name in columns:
            col = columns[name]
            if isinstance(col, np.ndarray) and col.dtype == object:
                col = [None if x is None else (str(x) if dtype == pl.String else x) for x in col]
            data[name] = pl.Series(name, col, dtype=dtype if dtype == pl.String else None).cast(dtype)
        elif dtype == pl.String:
            data[name] = pl.Series(name, [None] * n, dtype=pl.String)
        elif dtype == pl.Boolean:
            data[name] = pl.Series(name, [False] * n, dtype=pl.Boolean)
        else:
            data[name] = pl.Series(name, np.zeros(n, dtype=np.int64)).cast(dtype)
    return pl.DataFrame(data)


def links_frame(src_table: str, src_rows, dst_table: str, dst_rows, link: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "src_table": [src_table] * len(src_rows),
            "src_row": np.asarray(src_rows, dtype=np.int64),
            "dst_table": [dst_table] * len(dst_rows),
            "dst_row": np.asarray(dst_rows, dtype=np.int64),
            "link": [link] * len(src_rows),
        },
        schema=LINK_SCHEMA,
    )


class TruthError(AssertionError):
    """The generator planted something the rules cannot count unambiguously: fix the generator."""


def _compatible(a: pl.DataFrame, b_prefix: str) -> pl.Expr:
    # Section 3: names are compatible when one side has no name, or same last name and same first initial.
    return (
        ~pl.col("named")
        | ~pl.col(f"{b_prefix}named")
        | (
            (pl.col("last_name") == pl.col(f"{b_prefix}last_name"))
            & (pl.col("first_initial") == pl.col(f"{b_prefix}first_initial"))
        )
    )


def link_edges(facts: pl.DataFrame, links: pl.DataFrame, removed: frozenset[str] = frozenset()):
    """Record pairs joined by a link (section 3, second bullet), as fact-row positions.

    Every table handed in as facts describes people (it has names or elements, or links on to such a table);
    tables that do not (products) are left out by the generator, so a link into them never merges two customers
    who bought the same product. A removed link is not a link."""
    facts = facts.with_row_index("node")
    lk = links.filter(~pl.col("link").is_in(list(removed)))
    if not lk.height:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    side = facts.select("table", "row", "node", "named", "first_initial", "last_name")
    j = lk.join(side, left_on=["src_table", "src_row"], right_on=["table", "row"], how="inner").join(
        side.rename({c: f"d_{c}" for c in side.columns}),
        left_on=["dst_table", "dst_row"],
        right_on=["d_table", "d_row"],
        how="inner",
    )
    if j.height != lk.height:
        raise TruthError("a link points at a record that is not in the facts")
    # "... and the two rows do not carry different names"
    j = j.filter(_compatible(j, "d_"))
    return j["node"].to_numpy().astype(np.int64), j["d_node"].to_numpy().astype(np.int64)


def individuals(
    facts: pl.DataFrame, links: pl.DataFrame, removed: frozenset[str] = frozenset()
) -> np.ndarray:
    """Section 3: component id per fact row."""
    src, dst = link_edges(facts, links, removed)
    facts = facts.with_row_index("node")
    n = facts.height
    edges_src, edges_dst = [src], [dst]

    # Same readable identity key (section 3, third bullet). Keys are planted per person, so a key shared by two
    # planted persons is a generator bug, and names within one person are compatible by construction.
    for key in ("key_ssn", "key_dl", "key_fin", "key_email"):
        k = facts.filter(pl.col(key).is_not_null()).select(
            key, "node", "pid", "named", "first_initial", "last_name"
        )
        if not k.height:
            continue
        bad = k.group_by(key).agg(pl.col("pid").n_unique().alias("np")).filter(pl.col("np") > 1)
        if bad.height:
            raise TruthError(f"{bad.height} {key} values shared by different planted persons")
        names = (
            k.filter(pl.col("named"))
            .group_by(key)
            .agg(pl.struct("first_initial", "last_name").n_unique().alias("nn"))
            .filter(pl.col("nn") > 1)
        )
        if names.height:
            raise TruthError(f"{names.height} {key} groups carry incompatible names")
        first = k.group_by(key).agg(pl.col("node").min().alias("root"))
        e = k.join(first, on=key).filter(pl.col("node") != pl.col("root"))
        edges_src.append(e["node"].to_numpy())
        edges_dst.append(e["root"].to_numpy())

    src = np.concatenate(edges_src) if edges_src else np.empty(0, dtype=np.int64)
    dst = np.concatenate(edges_dst) if edges_dst else np.empty(0, dtype=np.int64)
    g = sp.coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    return labels


def expected_counts(
    facts: pl.DataFrame,
    links: pl.DataFrame | None = None,
    removed: frozenset[str] = frozenset(),
    text_keys: list[str] | None = None,
    strict_persons: bool = True,
) -> dict:
    """The expected.json entry of one dataset."""
    links = links if links is not None else pl.DataFrame(schema=LINK_SCHEMA)
    _check_text_keys(facts, text_keys or [])
    comp = individuals(facts, links, removed)
    f = facts.with_columns(pl.Series("individual", comp))

    # Generator self-checks: one planted person per individual, and (with every planted link in place,
    # whatever this configuration removes) one individual per planted person.
    mixed = f.group_by("individual").agg(pl.col("pid").n_unique().alias("np")).filter(pl.col("np") > 1)
    if mixed.height:
        raise TruthError(f"{mixed.height} individuals mix planted persons")
    if strict_persons:
        full = comp if not removed else individuals(facts, links, frozenset())
        split = (
            facts.select("pid")
            .with_columns(pl.Series("c", full))
            .group_by("pid")
            .agg(pl.col("c").n_unique().alias("nc"))
            .filter(pl.col("nc") > 1)
        )
        if split.height:
            raise TruthError(f"{split.height} planted persons are not connected by any rule")

    # Section 4: the code may sit in the same row "or a row linked to it" (one link, e.g. a card's secrets row).
    src, dst = link_edges(facts, links, removed)
    code = facts["code"].to_numpy()
    plain, any_code = code == CODE_PRESENT, code != CODE_NONE
    reach_plain, reach_any = plain.copy(), any_code.copy()
    n = facts.height
    for a, b in ((src, dst), (dst, src)):
        reach_plain |= np.bincount(a, weights=plain[b], minlength=n) > 0
        reach_any |= np.bincount(a, weights=any_code[b], minlength=n) > 0
    f = f.with_columns(pl.Series("code_reach", reach_plain), pl.Series("code_reach_k", reach_any))

    per = f.group_by("individual").agg(
        # Section 4: "one of their rows has a name (directly or through a link)": any record of the component.
        pl.col("named").any().alias("named"),
        # Section 4: an unredacted, unencrypted SSN or licence/ID number.
        (pl.col("ssn") == UNREDACTED).any().alias("ssn"),
        (pl.col("drivers_license") == UNREDACTED).any().alias("dl"),
        # Section 4, default reading of (p)(iii): number together with a code of the same individual, in the
        # same row or a row linked to it. The generator plants codes only where "linked row" and "anywhere in
        # the individual" agree; _check_code_pairing below proves it for each dataset.
        ((pl.col("fin") == UNREDACTED) & pl.col("code_reach")).any().alias("fin"),
        # what_if.account_numbers_alone: the number counts without a code.
        (pl.col("fin") == UNREDACTED).any().alias("fin_alone"),
        # what_if.encryption_key_compromised (445.72(1)(b)): encrypted elements and codes count as readable.
        pl.col("ssn").is_in([UNREDACTED, ENCRYPTED]).any().alias("ssn_k"),
        pl.col("drivers_license").is_in([UNREDACTED, ENCRYPTED]).any().alias("dl_k"),
        (pl.col("fin").is_in([UNREDACTED, ENCRYPTED]) & pl.col("code_reach_k")).any().alias("fin_k"),
        # for the pairing self-check
        (pl.col("fin") == UNREDACTED).any().alias("any_fin"),
        (pl.col("code") == CODE_PRESENT).any().alias("any_code"),
        pl.col("fin").is_in([UNREDACTED, ENCRYPTED]).any().alias("any_fin_k"),
        pl.col("code").is_in([CODE_PRESENT, CODE_ENCRYPTED]).any().alias("any_code_k"),
        # Section 5: Michigan evidence wins, else other-state evidence, else unknown.
        (pl.col("residency") == RES_MICHIGAN).any().alias("mi"),
        (pl.col("residency") == RES_OTHER).any().alias("other"),
    )
    _check_code_pairing(per)
    per = per.with_columns(
        pl.when("mi")
        .then(pl.lit("michigan"))
        .when("other")
        .then(pl.lit("other"))
        .otherwise(pl.lit("unknown"))
        .alias("res"),
        (pl.col("named") & (pl.col("ssn") | pl.col("dl") | pl.col("fin"))).alias("affected"),
        (pl.col("named") & (pl.col("ssn") | pl.col("dl") | pl.col("fin_alone"))).alias("affected_alone"),
        (pl.col("named") & (pl.col("ssn_k") | pl.col("dl_k") | pl.col("fin_k"))).alias("affected_k"),
    )
    mi = per.filter(pl.col("res") == "michigan")

    def count(frame: pl.DataFrame, expr: pl.Expr) -> int:
        return int(frame.select(expr.sum()).item())

    affected = {
        "michigan": count(mi, pl.col("affected")),
        "other_states": count(per.filter(pl.col("res") == "other"), pl.col("affected")),
        "unknown_residency": count(per.filter(pl.col("res") == "unknown"), pl.col("affected")),
    }
    return {
        "affected": affected,
        # "Michigan individuals per exposed element (one person can be in several)": default reading.
        "affected_michigan_by_element": {
            "ssn": count(mi, pl.col("affected") & pl.col("ssn")),
            "drivers_license": count(mi, pl.col("affected") & pl.col("dl")),
            "financial_account": count(mi, pl.col("affected") & pl.col("fin")),
        },
        "what_if": {
            "account_numbers_alone": count(mi, pl.col("affected_alone")),
            "encryption_key_compromised": count(mi, pl.col("affected_k")),
        },
        # --unknown-residency-as-michigan: unknown individuals count as Michigan residents (section 5).
        "unknown_residency_as_michigan": affected["michigan"] + affected["unknown_residency"],
        # Section 1: an invalid number is not an SSN; each planted invalid value occurs in exactly one record.
        "rejected_ssn": int(facts["rejected_ssn"].sum()),
        "individuals": int(per.height),
        "records": int(facts.height),
    }


def _check_code_pairing(per: pl.DataFrame) -> None:
    """If an individual had a number in one record and a code only in another, 'same row' and 'same individual'
    readings of section 4 would differ: the generator must not plant that."""
    bad = per.filter(
        ((pl.col("any_fin") & pl.col("any_code")) != pl.col("fin"))
        | ((pl.col("any_fin_k") & pl.col("any_code_k")) != pl.col("fin_k"))
    )
    if bad.height:
        raise TruthError(f"{bad.height} individuals have a number and a code in different records")


def _check_text_keys(facts: pl.DataFrame, text_keys: list[str]) -> None:
    """Numbers planted in free text are never also a key elsewhere: whether a scanner uses free-text values to
    merge records is not settled by the rules, so the counts must not depend on it."""
    if not text_keys:
        return
    if len(set(text_keys)) != len(text_keys):
        raise TruthError("a free-text number is planted twice")
    known = set()
    for key in ("key_ssn", "key_dl", "key_fin"):
        known |= set(facts[key].drop_nulls().to_list())
    if known & set(text_keys):
        raise TruthError("a free-text number equals a key planted in a column")
