"""Records of one person become one individual: the connected components of the person graph.

MCL 445.72(1) counts residents, not rows. Records are joined when they share an SSN or licence number (a
government number names one person, unless the names share nothing), a card/account number or e-mail with compatible names (a joint account or a
family mailbox must not make one person of two), a name and postal address, or a link whose rows do not carry
different names. A number quoted in a note (free text) is weaker than a column's: it never joins two names
(_quoted_number_edges). Components come from scipy's csgraph, not a hand-written union-find.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from detectors import residency
from detectors.base import ENCRYPTED, UNREDACTED
from pipeline.links import _third_parties
from pipeline.records import FREE_TEXT, NOT_HOLDER, PLACE_ENDED
from pipeline.tables import ROW, WORD

GID = "gid"
# a record's statements of its person's death or life (records.RECORD_SCHEMA), aggregated by vital_flags
VITAL_COLUMNS = ("deceased", "living")
# the postal fields a delivery address's copy does not give its buyer (the notice goes where the person lives)
DELIVERY_BLANKED = ("address", "city", "state", "zip")
# a record's number in the whole scan, carried through the resolve of one bucket of person groups (person_groups)
ORIGIN = "__record"
EDGE_SCHEMA = {"a": pl.Int64, "b": pl.Int64, "kind": WORD, "link": pl.Int32}
# what a household member's copy of the person's row keeps: where the household lives, and which row it is
RESIDENCY_COLUMNS = {
    GID,
    ORIGIN,
    "table",
    ROW,
    "address",
    "city",
    "state",
    "zip",
    "residency",
    "residency_secondary",
}


# USPS street suffixes and unit words, so "12 Main Street, Apt 4" and "12 main st #4" are one address.
STREET_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "boulevard": "blvd",
    "place": "pl",
    "terrace": "ter",
    "circle": "cir",
    "highway": "hwy",
    "parkway": "pkwy",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "apartment": "",
    "apt": "",
    "unit": "",
    "suite": "",
    "ste": "",
    "no": "",
}


# The city, state and ZIP written after the street in a one-line address ("12 Main St, Detroit, MI 48201"): not
# part of the street, or a one-line address never matched the same street written in its own column. Only a tail
# that ends in a ZIP, or in a two-letter state after two commas, is cut: ", Apt B" stays (neighbours stay apart).
_CITY_STATE_ZIP = r"(?i),[^,\d]*(?:,[^,\d]*)?\s\d{5}(?:-\d{4})?(?:\s*,?\s*(?:usa|us|united states))?\s*$"
_CITY_STATE = r"(?i),[^,\d]*,\s*[a-z]{2}\.?\s*$"


def street_key(address: pl.Expr) -> pl.Expr:
    street = address.str.replace(_CITY_STATE_ZIP, "").str.replace(_CITY_STATE, "")
    words = street.str.to_lowercase().str.replace_all(r"[^a-z0-9 ]", " ").str.split(" ")
    mapped = words.list.eval(pl.element().replace(STREET_WORDS)).list.join("")
    return mapped.str.replace_all(r"\s", "")


def _star(keyed: pl.DataFrame, key: str, kind: str) -> pl.DataFrame:
    """Edges from every record to the first record with the same key value (a window: one hash pass, where a
    group_by joined back on the key hashes every value twice)."""
    return (
        keyed.select(pl.col(GID).alias("a"), pl.col(GID).min().over(key).alias("b"))
        .filter(pl.col("a") != pl.col("b"))
        .select("a", "b", pl.lit(kind).alias("kind"), pl.lit(None, dtype=pl.Int32).alias("link"))
    )


def _to(joined: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Edges from each record of `joined` to the representative in its column "b"."""
    return joined.select(
        pl.col(GID).alias("a"), "b", pl.lit(kind).alias("kind"), pl.lit(None, dtype=pl.Int32).alias("link")
    )


def name_and_address(records: pl.DataFrame) -> pl.DataFrame:
    """(GID, __addr, zip): the full name and street of each record that has both, as one comparable key, and the
    record's ZIP (the ZIP tells two streets of one name apart: _identity_edges)."""
    return records.filter(pl.col("full_name_key").is_not_null() & pl.col("address").is_not_null()).select(
        GID,
        pl.concat_str([pl.col("full_name_key"), street_key(pl.col("address"))], separator="|").alias(
            "__addr"
        ),
        pl.col("zip"),
    )


def shared_value(key: str) -> pl.Expr:
    """The identifier records are joined by: an account number without its leading zeros, as a column typed as
    an integer holds it (the bank's 0045123456 is 45123456 in a Parquet file that stored it as a number: one
    account, and its PIN there is its PIN, 445.63(p)(iii)). Card numbers never begin with 0."""
    if key == "financial_account_value":
        return pl.col(key).str.strip_chars_start("0").alias(key)
    return pl.col(key)


def _government_number_edges(records: pl.DataFrame, key: str, kind: str) -> list[pl.DataFrame]:
    """Records with the same SSN (or licence number) are one person, unless the number's named records include
    two whose names share neither the last name nor the first initial: one number typed for Ann Avery and Bea
    Brock is a placeholder or a mistake, not one person (each is counted, the conservative side of 445.72(1)).
    A changed last name (Mary Smith, Mary Jones), another form of the first name (Bob, Robert Lee) or a typo in
    both (Jon Smith, John Smyth) stays one person. Where the number is such a placeholder, each name is its own
    person and a record without a name joins the number's first named record. Decided per number, not against
    its first record: Nicole Harris, Nicholas Green and Danielle Harris on one number chained into one person
    through Nicole (until 2026-11-24).

    A number quoted in a note of the record (free text) is no column of its own: it is read apart
    (_quoted_number_edges), and only the numbers of the records' own columns are read here."""
    quoted = _quoted(records, key)
    k = records.select(GID, key, "name_key", "first_key").filter(~quoted).drop_nulls(key)
    last = pl.col("name_key").str.replace(r"\|[^|]*$", "")
    named = k.filter(pl.col("name_key").is_not_null()).with_columns(last.alias("__last"))
    # more than one last name and more than one first initial: some two of them share neither
    placeholder = (
        named.group_by(key)
        .agg(
            pl.col("__last").n_unique().alias("__lasts"),
            pl.col("first_key").str.slice(0, 1).n_unique().alias("__initials"),
            pl.col(GID).min().alias("b"),
        )
        .filter((pl.col("__lasts") > 1) & (pl.col("__initials") > 1))
    )
    apart = named.join(placeholder.select(key), on=key).select(
        GID,
        pl.concat_str([pl.col(key), pl.col("__last"), pl.col("first_key")], separator="\x1f").alias("__own"),
    )
    unnamed = k.filter(pl.col("name_key").is_null()).join(placeholder.select(key, "b"), on=key)
    together = k.join(apart.select(GID), on=GID, how="anti").join(unnamed.select(GID), on=GID, how="anti")
    return [
        _star(together.select(GID, key), key, kind),
        _star(apart, "__own", kind),
        _to(unnamed, kind),
        _quoted_number_edges(records, key, kind, quoted),
    ]


def _quoted(records: pl.DataFrame, key: str) -> pl.Series:
    """Per record: its SSN or licence number (`key`) was found in a text column (a servicing note, a ticket), not
    in a column of its own (records.FREE_TEXT; records prefer a column's own value, so the source says whose the
    value is)."""
    source = key.removesuffix("_value") + "_source"
    sources = (
        records.get_column(source).drop_nulls().unique().cast(pl.String) if source in records.columns else []
    )
    texts = [s for s in sources if s.endswith(FREE_TEXT)]  # one entry per column a value was read from
    if not texts:
        return pl.Series("quoted", [False] * records.height, dtype=pl.Boolean)
    return records.select(
        (pl.col(key).is_not_null() & pl.col(source).cast(pl.String).is_in(texts))
        .fill_null(False)
        .alias("quoted")
    ).to_series()


def _own_numbers(records: pl.DataFrame) -> pl.DataFrame:
    """Per record, its SSN and licence number as columns of its own give them (ssn_value, drivers_license_value),
    a number quoted in its text left out: a note quoting a successor's SSN on the borrower's row says whom the note
    mentions, so it never tells two records of one person apart (a father and son, _unless_numbers_differ) nor
    keeps a note row from its loan's borrower (_link_edges)."""
    keys = ("ssn_value", "drivers_license_value")
    quoted = {key: _quoted(records, key) for key in keys}
    return records.select(
        pl.col(key) if not quoted[key].any() else pl.when(~quoted[key]).then(pl.col(key)).alias(key)
        for key in keys
    )


def _quoted_number_edges(records: pl.DataFrame, key: str, kind: str, quoted: pl.Series) -> pl.DataFrame:
    """Edges of the records whose number (`key`) is quoted in their text: evidence of somebody's number, weaker
    than a column's. A servicing note on a deceased borrower's loan quotes the successor in interest's SSN
    ("Successor in interest Jane Doe, SSN 385-22-1934"); the successor's own row carries it. Until 2026-11-25 the
    quotation was a number like any: the borrower's row (Robert Doe) and the successor's (Jane Doe: one last name,
    so one person by _government_number_edges' rule) were one individual, counted as deceased.

    A named record joins the number's record of its own name (the same last name and first initial, and first
    names that agree: John is not Jane), a column's first, else, where no column holds the number, the first other
    quotation of its name; never a record of another name. A record without a name joins the number's first named
    record whose column holds it, else its first record whose column holds it, else its first named quotation;
    never another record without a name (two notes quoting one number on two borrowers' loans would chain the
    borrowers through their loan references)."""
    empty = pl.DataFrame(schema=EDGE_SCHEMA)
    if not quoted.any():
        return empty
    cols = records.select(GID, key, "name_key", "first_key")
    told = cols.filter(quoted)
    own = cols.filter(~quoted).drop_nulls(key)
    own_named = own.filter(pl.col("name_key").is_not_null())
    named = told.filter(pl.col("name_key").is_not_null())
    agree = (
        (pl.col("first_key") == pl.col("__first"))
        | (pl.col("first_key").str.len_chars() <= 1)
        | (pl.col("__first").str.len_chars() <= 1)
    )
    to_own = (
        named.join(
            own_named.select(pl.col(GID).alias("b"), key, "name_key", pl.col("first_key").alias("__first")),
            on=[key, "name_key"],
        )
        .filter(agree)
        .group_by(GID)
        .agg(pl.col("b").min())
    )
    # where no column holds the number, the quotations of one name are one person's
    alone = named.join(own.select(key).unique(), on=key, how="anti").with_columns(
        pl.concat_str([pl.col(key), pl.col("name_key"), pl.col("first_key")], separator="\x1f").alias("__q")
    )
    unnamed = (
        told.filter(pl.col("name_key").is_null())
        .join(own_named.group_by(key).agg(pl.col(GID).min().alias("__named")), on=key, how="left")
        .join(own.group_by(key).agg(pl.col(GID).min().alias("__any")), on=key, how="left")
        .join(named.group_by(key).agg(pl.col(GID).min().alias("__told")), on=key, how="left")
        .with_columns(pl.coalesce("__named", "__any", "__told").alias("b"))
        .drop_nulls("b")
    )
    return pl.concat(
        [
            _to(to_own, kind).cast(EDGE_SCHEMA),  # type: ignore[arg-type]
            _star(alone.select(GID, "__q"), "__q", kind).cast(EDGE_SCHEMA),  # type: ignore[arg-type]
            _to(unnamed, kind).cast(EDGE_SCHEMA),  # type: ignore[arg-type]
        ]
    )


def _whole_numbers(records: pl.DataFrame) -> pl.DataFrame:
    """Per record, its SSN and licence number where whole (__gov, __dl): only whole numbers differ: an SSN with its last
    digits masked beside the same SSN whole is one SSN, no second person."""
    whole = r"^[A-Z]?\d+$"
    return _own_numbers(records).select(
        pl.when(pl.col("ssn_value").str.contains(whole)).then(pl.col("ssn_value")).alias("__gov"),
        pl.when(pl.col("drivers_license_value").str.contains(whole))
        .then(pl.col("drivers_license_value"))
        .alias("__dl"),
    )


def _unless_numbers_differ(
    numbers: pl.DataFrame, keyed: pl.DataFrame, key: str, kind: str
) -> list[pl.DataFrame]:
    """Edges joining the records of one `key` value (a name at an address, a name on one e-mail or card) unless
    their SSNs or licence numbers differ: a father and son of one name at one address, or two sisters of one first
    word sharing a mailbox, are two people. Records with an SSN join the first record of the same SSN there; a
    licence-only record joins the others of its licence there (Michigan issues one person one licence or ID card,
    MCL 28.291), and they the first record there with an SSN whose licence is none or theirs; records with neither
    join the first record there with an SSN, else the first with a licence, else the first of all. The first with
    an SSN, not the first of all: a licence row read before the SSN row is the same person."""
    positions = keyed.get_column(GID)  # record numbers are positions (resolve numbers the records in order)
    keyed = keyed.with_columns(
        numbers.get_column("__gov").gather(positions), numbers.get_column("__dl").gather(positions)
    )
    edges = []
    numbered = keyed.filter(pl.col("__gov").is_not_null()).with_columns(
        pl.concat_str([pl.col(key), pl.col("__gov")], separator="|").alias("__key_gov")
    )
    edges.append(_star(numbered.select(GID, "__key_gov"), "__key_gov", kind))
    licensed = keyed.filter(pl.col("__gov").is_null() & pl.col("__dl").is_not_null()).with_columns(
        pl.concat_str([pl.col(key), pl.col("__dl")], separator="|").alias("__key_dl")
    )
    edges.append(_star(licensed.select(GID, "__key_dl"), "__key_dl", kind))
    first_licensed = licensed.group_by(key, "__dl").agg(pl.col(GID).min())
    licence_holder = (
        first_licensed.join(
            numbered.select(pl.col(GID).alias("b"), key, pl.col("__dl").alias("__n_dl")), on=key
        )
        .filter(pl.col("__n_dl").is_null() | (pl.col("__n_dl") == pl.col("__dl")))
        .group_by(GID)
        .agg(pl.col("b").min())
    )
    edges.append(_to(licence_holder, kind))
    first_numbered = numbered.group_by(key).agg(pl.col(GID).min().alias("__b_gov"))
    first_licence = licensed.group_by(key).agg(pl.col(GID).min().alias("__b_dl"))
    first = keyed.group_by(key).agg(pl.col(GID).min().alias("b"))
    plain = (
        keyed.filter(pl.col("__gov").is_null() & pl.col("__dl").is_null())
        .join(first, on=key)
        .join(first_numbered, on=key, how="left")
        .join(first_licence, on=key, how="left")
        .with_columns(pl.coalesce("__b_gov", "__b_dl", "b").alias("b"))
        .filter(pl.col(GID) != pl.col("b"))
    )
    edges.append(_to(plain, kind))
    return edges


def _shared_value_edges(
    records: pl.DataFrame, numbers: pl.DataFrame, key: str
) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """_identity_edges' edges of one account/card number or e-mail key, and its records without a name. A function
    of its own so that the key's frames (its records, names and joined keys) are freed before the next key's:
    held in one loop, the e-mail's were still alive through the name and address keys (at 5 M records 0.3 GB)."""
    edges: list[pl.DataFrame] = []
    kind = key.removesuffix("_value")
    k = records.select(GID, shared_value(key), pl.col(key).alias("__raw"), "name_key", "first_key")
    k = k.drop_nulls(key)
    named = k.filter(pl.col("name_key").is_not_null())
    # Full first names must agree (John and Jane Smith sharing a family mailbox are two people), and their
    # SSNs and licences must not differ (Mary Ann and Mary Beth Smith sharing one, each with her own SSN)...
    full = named.filter(pl.col("first_key").str.len_chars() > 1).with_columns(
        pl.concat_str([pl.col(key), pl.col("name_key"), pl.col("first_key")], separator="\x1f").alias("__k")
    )
    edges += _unless_numbers_differ(numbers, full.select(GID, "__k"), "__k", kind)
    # ...an initial joins the first full name it fits ("J. Smith" = "John Smith"), or the other initials
    initials = named.filter(pl.col("first_key").str.len_chars() <= 1)
    first_full = full.group_by(key, "name_key").agg(pl.col(GID).min().alias("b"))
    edges.append(_to(initials.join(first_full, on=[key, "name_key"]), kind))
    rest = initials.join(first_full, on=[key, "name_key"], how="anti").with_columns(
        pl.concat_str([pl.col(key), pl.col("name_key")], separator="\x1f").alias("__k")
    )
    edges.append(_star(rest.select(GID, "__k"), "__k", kind))
    # a record without a name joins the first named holder of the number, or the other unnamed ones; of the
    # number as written first (0012345678 and 12345678 may be two accounts, each with its holder), then as
    # compared (an integer column's 45123456 is the bank's 0045123456)
    holding = named
    if kind == "financial_account":
        # ...never a third party's (a payable-on-death beneficiary's row quoting the account number): the account's
        # PIN is its holders' (445.63(p)(iii)); until 2026-11-25 a beneficiaries table read first took it
        tables = records.get_column("table").cast(pl.String).gather(named.get_column(GID))
        third = [t for t in tables.unique().to_list() if _third_parties(t)]  # one entry per table
        # ...nor a row whose role column names a party without access (a NAME table's BENEFICIARY row)
        holding = named.filter(~tables.is_in(third) & ~_not_holder(records).gather(named.get_column(GID)))
    first_named = holding.group_by(key).agg(pl.col(GID).min().alias("b"))
    first_written = holding.group_by("__raw").agg(pl.col(GID).min().alias("__b_raw"))
    unnamed = k.filter(pl.col("name_key").is_null())
    shared = (
        unnamed.join(first_written, on="__raw", how="left")
        .join(first_named, on=key, how="left")
        .select(
            GID,
            pl.lit(kind).alias("kind"),
            # the number as the holder it joins wrote it: two accounts differing in zeros are not disputed
            pl.when(pl.col("__b_raw").is_not_null())
            .then(pl.col("__raw"))
            .otherwise(pl.col(key))
            .alias("value"),
            pl.coalesce("__b_raw", "b").cast(pl.Int64).alias("b"),
        )
    )
    return edges, shared


def _identity_edges(records: pl.DataFrame) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """Edges between records of one person by their identifiers, and the records without a name that share an
    account/card number or e-mail (gid, kind, value, b: the number's first named holder), which
    _shared_number_edges joins once the other edges show whose records they are."""
    edges = []
    shared = []
    numbers = _whole_numbers(records)
    for key in ("ssn_value", "drivers_license_value"):
        edges += _government_number_edges(records, key, key.removesuffix("_value"))
    for key in ("financial_account_value", "email"):
        key_edges, key_shared = _shared_value_edges(records, numbers, key)
        edges += key_edges
        shared.append(key_shared)
        del key_edges, key_shared
    addr = name_and_address(records)
    # The same street in two places (12 Main St in Detroit and in Lansing) is told apart by the ZIP; a record
    # without one (a table with no ZIP column) is at the first ZIP given for that name and street.
    first_zip = (
        addr.filter(pl.col("zip").is_not_null())
        .group_by("__addr")
        .agg(pl.col("zip").sort_by(GID).first().alias("__first_zip"))
    )
    addr = (
        addr.join(first_zip, on="__addr", how="left")
        .select(
            GID,
            pl.concat_str(
                [pl.col("__addr"), pl.coalesce("zip", "__first_zip").fill_null("")], separator="|"
            ).alias("__addr"),
        )
        .sort(GID)
    )
    # one name at one address is one person, unless their SSNs or licences differ (a father and son)
    edges += _unless_numbers_differ(numbers, addr, "__addr", "name+address")
    return edges, pl.concat(shared)


def _names_of_components(records: pl.DataFrame, labels: np.ndarray) -> pl.DataFrame:
    """comp -> name_key: one name per component of `labels` that has named records (their names agree already)."""
    label = pl.Series("comp", labels)
    named = records.filter(pl.col("has_name") & pl.col("name_key").is_not_null()).select(GID, "name_key")
    return (
        named.select(label.gather(named.get_column(GID)).alias("comp"), "name_key")
        .group_by("comp")
        .agg(pl.col("name_key").min())
    )


def _named_to_unnamed_edges(records: pl.DataFrame, down: pl.DataFrame, labels: np.ndarray) -> pl.DataFrame:
    """Link edges from a named row to a row without a name, kept only where they join no two names.

    Each link is checked row against row (_link_edges), but a row without a name passes every check and would
    chain two people: card_payments (payer Mark Thibodeaux) -> loans (no name) -> borrowers (Laura Kaminski).
    So these edges are joined after all others: a named row joins the referenced row's individual when that
    individual has its name or no name at all, and then only if every named row referencing it has one name."""
    label = pl.Series("comp", labels)
    e = down.with_columns(label.gather(down.get_column("b")).alias("comp_b"))
    e = e.with_columns(records.get_column("name_key").gather(e.get_column("a")).alias("na")).join(
        _names_of_components(records, labels).rename({"comp": "comp_b", "name_key": "nb"}),
        on="comp_b",
        how="left",
    )
    e = _one_holders_names(records, e, labels)
    keep = (pl.col("nb") == pl.col("na")) | (
        pl.col("nb").is_null() & ((pl.col("na").n_unique().over("comp_b") == 1) | pl.col("__one"))
    )
    return e.filter(keep).select(list(EDGE_SCHEMA)).cast(EDGE_SCHEMA)  # type: ignore[arg-type]


def _one_holders_names(records: pl.DataFrame, e: pl.DataFrame, labels: np.ndarray) -> pl.DataFrame:
    """`e` (named row a -> row b without a name, in component comp_b) with __one: whether b's component carries an
    SSN or licence number and the names of the rows referencing it are one holder's by the rule for one number's
    names (_government_number_edges): not both more than one last name and more than one first initial.

    A name history (Banner's SPRIDEN: the current name and a maiden name, each a row with the person's PIDM)
    references the person's one row of numbers (SPBPERS: PIDM, SSN, no name): one key, one number, one person,
    whose SSN is linked to either name (445.63(p)(i)). Until 2026-11-25 the two names kept the SSN row apart and
    it counted for nobody. Two people's names (a payer and a borrower) still keep it apart."""
    numbered = records.select(
        pl.col("ssn_value").is_not_null() | pl.col("drivers_license_value").is_not_null()
    ).to_series()
    carries = (
        pl.DataFrame({"comp_b": pl.Series(labels).cast(e.schema["comp_b"]), "__num": numbered})
        .group_by("comp_b")
        .agg(pl.col("__num").any())
    )
    e = e.with_columns(
        records.get_column("first_key").gather(e.get_column("a")).str.slice(0, 1).alias("__initial")
    ).join(carries, on="comp_b", how="left", maintain_order="left")
    last = pl.col("na").str.replace(r"\|[^|]*$", "")
    one = (last.n_unique().over("comp_b") == 1) | (pl.col("__initial").n_unique().over("comp_b") == 1)
    return e.with_columns((pl.col("__num").fill_null(False) & one).alias("__one"))


def _numbered_unnamed_edges(records: pl.DataFrame, up: pl.DataFrame, labels: np.ndarray) -> pl.DataFrame:
    """Link edges from a row without a name that carries an SSN or licence number, kept only where they join no
    two names.

    A government number names one person (MCL 28.291: one licence or ID card per person), so such a row is
    already its holder's (_government_number_edges). Its reference may lead elsewhere: an MVR result
    (mvr_results.order_id, license_number) hangs from an order that follows the client, whose HR contact is
    named. A row without a name never chains two names: the reference joins only when the individual it reaches
    has the row's individual's name or none, and only if every such row reaching it has one name (until
    2026-11-24 the candidate, the client's HR contact and through them every candidate of that client were one
    individual). Where it is refused the row stays with its number's holder."""
    label = pl.Series("comp", labels)
    names = _names_of_components(records, labels)
    e = up.with_columns(
        label.gather(up.get_column("a")).alias("comp_a"), label.gather(up.get_column("b")).alias("comp_b")
    )
    e = e.join(names.rename({"comp": "comp_a", "name_key": "na"}), on="comp_a", how="left").join(
        names.rename({"comp": "comp_b", "name_key": "nb"}), on="comp_b", how="left"
    )
    keep = (
        pl.col("na").is_null()
        | (pl.col("nb") == pl.col("na"))
        | (pl.col("nb").is_null() & (pl.col("na").drop_nulls().n_unique().over("comp_b") <= 1))
    )
    return e.filter(keep).select(list(EDGE_SCHEMA)).cast(EDGE_SCHEMA)  # type: ignore[arg-type]


def _shared_number_edges(records: pl.DataFrame, shared: pl.DataFrame, labels: np.ndarray) -> pl.DataFrame:
    """Edges for the records without a name that share a number or e-mail (_identity_edges): each joins the
    number's first named holder or, with none, the number's other unnamed records. Not when the number's records
    already belong to differently named people (`labels`: the components of every other edge): a relationship
    table (acct_rel: ACCT_NO, CIF_NO) whose rows of one joint account each link to their own customer says
    the account is each holder's (445.63(p)(iii)), not that the holders are one individual."""
    empty = pl.DataFrame(schema=EDGE_SCHEMA)
    if shared.height == 0:
        return empty
    label = pl.Series("comp", labels)
    name_of_comp = _names_of_components(records, labels)
    members = pl.concat(
        [
            shared.select(GID, "kind", "value"),
            shared.filter(pl.col("b").is_not_null()).select(pl.col("b").alias(GID), "kind", "value").unique(),
        ]
    )
    members = members.with_columns(label.gather(members.get_column(GID)).alias("comp"))
    disputed = (
        members.join(name_of_comp, on="comp")
        .group_by("kind", "value")
        .agg(pl.col("name_key").n_unique().alias("names"))
        .filter(pl.col("names") > 1)
        .select("kind", "value")
    )
    ok = shared.join(disputed, on=["kind", "value"], how="anti")
    to_holder = ok.filter(pl.col("b").is_not_null()).select(
        pl.col(GID).alias("a"), "b", "kind", pl.lit(None, dtype=pl.Int32).alias("link")
    )
    among = (
        ok.filter(pl.col("b").is_null())
        .select(pl.col(GID).alias("a"), pl.col(GID).min().over("kind", "value").alias("b"), "kind")
        .filter(pl.col("a") != pl.col("b"))
        .with_columns(pl.lit(None, dtype=pl.Int32).alias("link"))
    )
    return pl.concat([to_holder, among]).cast(EDGE_SCHEMA)  # type: ignore[arg-type]


def _not_holder(records: pl.DataFrame) -> pl.Series:
    """Per record: its role column names a party holding no access to the account it carries (records.NOT_HOLDER:
    a core NAME table's BENEFICIARY, POD or CONTACT row), so it holds none of the account's own rows."""
    if NOT_HOLDER not in records.columns:
        return pl.Series(NOT_HOLDER, [False] * records.height, dtype=pl.Boolean)
    return records.get_column(NOT_HOLDER).fill_null(False)


def _account_rows_of_every_holder(
    records: pl.DataFrame, shared: pl.DataFrame, edges: pl.DataFrame, by_number: pl.DataFrame
) -> pl.DataFrame:
    """Copies (copy_of, holder_rec, link) of an account's rows that name nobody, for every named holder of its
    number.

    A core export's account row (ACCOUNT: account number, telephone-banking PIN, no name) and one row per party
    carrying the account number (NAME: the primary and the joint owner, each named): the row without a name joins
    the number's first named holder (_shared_number_edges), and the joint owner held the number without the PIN
    that opens it. Like a junction table's account (_shared_through_junctions), the account's rows are each
    holder's (445.63(p)(iii) "in combination with" applies to each holder): every other named holder of the number
    gets a copy of them, never of the first holder's own rows. Only rows that belong to nobody but through the
    number (their other links reach no name), and never for a third party's table (beneficiaries: a payable-on-death
    beneficiary holds no access). Until 2026-11-25 the joint owner was not counted."""
    empty = pl.DataFrame(schema={"copy_of": pl.Int64, "holder_rec": pl.Int64, "link": pl.Int32})
    key = "financial_account_value"
    rows = shared.filter(pl.col("kind") == "financial_account").select(GID).unique()
    if rows.height == 0:
        return empty
    n = records.height
    own = edges.join(by_number.select("a", "b", "kind"), on=["a", "b", "kind"], how="anti")
    alone = _components(n, own.filter((pl.col("a") < n) & (pl.col("b") < n)))
    label = pl.Series("comp", _components(n, edges.filter((pl.col("a") < n) & (pl.col("b") < n))))
    names = records.get_column("has_name").to_numpy()
    named_units = np.zeros(int(alone.max()) + 1, dtype=bool)
    np.logical_or.at(named_units, alone, names)
    unnamed_alone = ~named_units[alone]
    gids = rows.get_column(GID).to_numpy()
    rows = rows.filter(pl.Series(unnamed_alone[gids]))
    if rows.height == 0:
        return empty
    # the holders: each named individual with a row of the number, but a third party's
    tables = records.get_column("table").cast(pl.String)
    carriers = records.select(GID, shared_value(key)).drop_nulls(key)
    carriers = carriers.with_columns(
        label.gather(carriers.get_column(GID)).alias("comp"),
        tables.gather(carriers.get_column(GID)).alias("__table"),
    )
    named_comp = np.zeros(int(label.max()) + 1, dtype=bool)
    np.logical_or.at(named_comp, label.to_numpy(), names)
    third = [t for t in carriers.get_column("__table").unique().to_list() if _third_parties(t)]  # per table
    carriers = carriers.filter(
        pl.Series(named_comp[carriers.get_column("comp").to_numpy()])
        & ~pl.col("__table").is_in(third)
        & ~_not_holder(records).gather(carriers.get_column(GID))
    )
    holders = carriers.group_by(key, "comp").agg(pl.col(GID).min().alias("holder_rec"))
    if holders.n_unique(key) == holders.height:
        return empty  # every number held by one individual at most: the edge to it is enough
    # each such row and the rows without a name that are one with it but through the number (its cards)
    unit = pl.DataFrame({GID: np.arange(n, dtype=np.int64), "unit": alone.astype(np.int64)})
    of_row = rows.join(records.select(GID, shared_value(key)), on=GID).with_columns(
        pl.Series(alone[rows.get_column(GID).to_numpy()].astype(np.int64)).alias("unit"),
        label.gather(rows.get_column(GID)).alias("own"),
    )
    pairs = (
        of_row.join(holders, on=key)
        .filter(pl.col("comp") != pl.col("own"))
        .select("unit", "holder_rec")
        .unique()
    )
    return (
        unit.join(pairs, on="unit")
        .select(pl.col(GID).alias("copy_of"), "holder_rec", pl.lit(None, dtype=pl.Int32).alias("link"))
        .sort("holder_rec", "copy_of")
    )


def _table_slices(records: pl.DataFrame) -> dict[str, tuple[int, int]]:
    """table -> (offset, length) of its records: records in (table, row) order hold each table in one run."""
    runs = (
        records.select(pl.col("table").rle_id().alias("run"), "table")
        .group_by("run")
        .agg(pl.col("table").first(), pl.len().alias("n"))
        .sort("run")
    )
    offsets = runs.get_column("n").cum_sum() - runs.get_column("n")
    return {
        t: (int(o), int(n))
        # one entry per table (a run of its records), not per record
        for t, o, n in zip(runs["table"].to_list(), offsets.to_list(), runs["n"].to_list(), strict=True)
    }


def _records_of_rows(records: pl.DataFrame, links: pl.DataFrame, side: str, slices: dict) -> pl.DataFrame:
    """`links` with the record number (GID) of each link row's row on one side (a or b), table by table; link
    rows whose row has no record are dropped. Records are numbered in (table, row) order, so where a table's
    records hold its rows first..last once each (the usual case) the number is arithmetic on the row; otherwise
    an integer join on the table's slice."""
    parts = []
    for (table,), rows in links.partition_by(f"table_{side}", as_dict=True).items():  # one entry per table
        if table not in slices:
            continue
        offset, length = slices[table]
        row = records.get_column(ROW).slice(offset, length)
        first, last = row.first(), row.last()
        at = pl.col(f"row_{side}")
        if last - first + 1 == length and (length < 2 or row.diff().slice(1).min() == 1):
            parts.append(
                rows.filter(at.is_between(first, last)).with_columns(
                    (at.cast(pl.Int64) - first + offset).alias(side)
                )
            )
        else:
            ids = records.slice(offset, length).select(
                pl.col(ROW).alias(f"row_{side}"), pl.col(GID).alias(side)
            )
            parts.append(rows.join(ids, on=f"row_{side}"))
    if not parts:
        return links.clear().with_columns(pl.lit(None, dtype=pl.Int64).alias(side))
    return pl.concat(parts)


def _link_edges(records: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    slices = _table_slices(records)
    joined = _records_of_rows(records, _records_of_rows(records, links, "a", slices), "b", slices)
    # Names are compared only where both rows have one (a row without a name passes every check): the name
    # keys and numbers are taken for those link rows alone, by record number, not for every link row
    named = records.get_column("name_key").is_not_null().to_numpy()
    a, b = joined.get_column("a").to_numpy(), joined.get_column("b").to_numpy()
    both = pl.Series(named[a] & named[b]) if joined.height else pl.Series([], dtype=pl.Boolean)
    pairs = joined.filter(both)
    keys = pl.concat([records.select("name_key", "first_key"), _own_numbers(records)], how="horizontal")
    for side in ("a", "b"):
        of_side = keys[pairs.get_column(side)]
        pairs = pairs.with_columns(
            of_side.get_column("name_key").alias(f"n{side}"),
            of_side.get_column("first_key").alias(f"f{side}"),
            # the row's government numbers, each of its kind
            of_side.get_column("ssn_value").alias(f"s{side}"),
            of_side.get_column("drivers_license_value").alias(f"d{side}"),
        )
    # rows that carry different names are different people (a dependent and the employee, a customer and the
    # store manager): the link says they are related, not that they are one person. Same last name and
    # initial is not enough when both give a full first name (Jane is not John).
    same_first = (
        (pl.col("fa") == pl.col("fb"))
        | (pl.col("fa").str.len_chars() <= 1)
        | (pl.col("fb").str.len_chars() <= 1)
    )
    # ...and two named rows with different SSNs (or licences) are two people whatever their names: Kenneth
    # Bartosz and his son Kenneth Bartosz Jr. in dependents.emp_id -> employees. (A row without a name, a support
    # ticket quoting an SSN, stays its customer's: the link is all that names it.)
    # Different numbers are two numbers of one kind: a customer row's SSN and the licence number on their ID
    # document row are one person's two numbers (until 2026-11-24 the SSN was compared with the licence, and
    # every customer with both was counted twice).
    same_number = (pl.col("sa").is_null() | pl.col("sb").is_null() | (pl.col("sa") == pl.col("sb"))) & (
        pl.col("da").is_null() | pl.col("db").is_null() | (pl.col("da") == pl.col("db"))
    )
    compatible = (pl.col("na") == pl.col("nb")) & same_first & same_number
    junction = pl.col("junction") if "junction" in links.columns else pl.lit(False)
    holder = pl.col("holder") if "holder" in links.columns else pl.lit(None, dtype=pl.Boolean)
    residency = pl.col("residency") if "residency" in links.columns else pl.lit(False)
    shipped = pl.col("shipped") if "shipped" in links.columns else pl.lit(False)
    household = pl.col("household") if "household" in links.columns else pl.lit(False)
    # a residency copy joins no identities, so names do not have to agree (a dependant takes the employee's home)
    kept = pairs.filter(compatible | residency.fill_null(False)).select(joined.columns)
    return pl.concat(
        [joined.filter(~both), kept, _past_another_name(records, joined, pairs, compatible)]
    ).select(
        "a",
        "b",
        pl.lit("link").alias("kind"),
        pl.col("link").cast(pl.Int32),
        junction.alias("junction"),
        holder.alias("holder"),
        residency.alias("residency"),
        shipped.alias("shipped"),
        household.alias("household"),
    )


def _past_another_name(
    records: pl.DataFrame, joined: pl.DataFrame, pairs: pl.DataFrame, compatible: pl.Expr
) -> pl.DataFrame:
    """Link rows (in `joined`'s columns) from a named row whose referenced row carries another name to the row of
    its own name that the referenced row references in turn.

    A parent's card stored on the child's pharmacy profile (payment_methods.patient_id -> the child, name on the
    card the parent's) is the parent's when the child's row references the parent (patients.cardholder_id ->
    cardholders): the link says in whose household the row is, the name which of its people it is. Names and
    numbers must agree with that row as with any link's (_link_edges); until 2026-11-24 such a card made a second
    individual of the parent."""
    plain = ~pl.col("residency").fill_null(False) if "residency" in joined.columns else pl.lit(True)
    if "junction" in joined.columns:
        plain = plain & ~pl.col("junction").fill_null(False)
    refused = pairs.filter(~compatible & plain)
    if refused.height == 0:
        return joined.clear()
    onward = joined.filter(plain).select(pl.col("a").alias("b"), pl.col("b").alias("__c"))
    hop = refused.join(onward, on="b").filter(pl.col("__c") != pl.col("a"))
    keys = pl.concat([records.select("name_key", "first_key"), _own_numbers(records)], how="horizontal")[
        hop.get_column("__c")
    ]
    hop = hop.with_columns(
        keys.get_column("name_key").alias("nb"),
        keys.get_column("first_key").alias("fb"),
        keys.get_column("ssn_value").alias("sb"),
        keys.get_column("drivers_license_value").alias("db"),
    )
    # one row per (row, row of its name), in a fixed order (a join keeps none)
    return (
        hop.filter(compatible)
        .with_columns(pl.col("__c").alias("b"))
        .select(joined.columns)
        .sort("a", "b", "link")
        .unique(["a", "b"], keep="first", maintain_order=True)
    )


def _components(n: int, edges: pl.DataFrame) -> np.ndarray:
    a = edges.get_column("a").to_numpy()
    b = edges.get_column("b").to_numpy()
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _shared_through_junctions(
    records: pl.DataFrame, labels: np.ndarray, junction: pl.DataFrame, edges: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Edges to keep from junction rows, and copies of records held by several people.

    A junction row (account_holders: account_id, customer_id) says whose account it is. When two or more
    people hold one account, it is each holder's element (445.63(p)(iii): every holder is affected), not a
    reason to make one individual of them. The account's first holder keeps its records (an edge; an account
    whose own row already names its primary holder stays with that holder) and every other holder gets a copy:
    of the account's records when they name nobody, or of the referenced account row alone when they do (a
    joint holder must not inherit the primary holder's SSN).
    Returns (edges to keep, copies as (copy_of, holder_rec, link)).
    """
    comp = pl.DataFrame({GID: np.arange(len(labels), dtype=np.int64), "c": labels.astype(np.int64)})
    named = (
        records.select(GID, "has_name")
        .join(comp, on=GID)
        .group_by("c")
        .agg(pl.col("has_name").any().alias("named"))
    )
    j = (
        junction.join(comp.rename({GID: "b"}), on="b")
        .join(named, on="c")
        .with_columns(pl.coalesce("holder", "named").alias("is_holder"))
        .drop("holder")
    )
    holders = j.filter(pl.col("is_holder")).select(
        "a", pl.col("c").alias("holder"), pl.col("b").alias("holder_rec")
    )
    # What is held: a component naming nobody is held whole (an account and its cards); a record inside a
    # component that names its primary holder is held alone, and that holder comes first.
    held = j.filter(~pl.col("is_holder")).with_columns(
        pl.when(pl.col("named")).then(-(pl.col("b") + 1)).otherwise(pl.col("c")).alias("unit")
    )
    via = (
        held.join(holders, on="a")
        .filter(pl.col("holder") != pl.col("c"))
        .group_by("unit", "holder")
        .agg(
            pl.col("holder_rec").min(),
            pl.col("b").min().alias("held_rec"),
            pl.col("link").min(),
            pl.col("c").first(),
            pl.col("named").first(),
        )
        .with_columns(pl.lit(1).alias("o"))
    )
    own = (
        held.filter(pl.col("named"))
        .group_by("unit")
        .agg(pl.col("b").first().alias("held_rec"), pl.col("link").min(), pl.col("c").first())
        .with_columns(
            pl.col("c").alias("holder"),
            pl.col("held_rec").alias("holder_rec"),
            pl.lit(True).alias("named"),
            pl.lit(0).alias("o"),
        )
    )
    cols = ["unit", "holder", "holder_rec", "held_rec", "link", "c", "named", "o"]
    pairs = pl.concat([own.select(cols), via.select(cols)], how="vertical_relaxed").sort(
        "unit", "o", "holder"
    )
    shared = (
        pairs.group_by("unit").agg(pl.len().alias("holders")).filter(pl.col("holders") > 1).select("unit")
    )
    edge = [pl.col("a"), pl.col("b"), pl.col("kind"), pl.col("link")]
    first = pairs.join(shared, on="unit").group_by("unit", maintain_order=True).first()
    keep = [
        j.filter(pl.col("is_holder")).select(edge),  # a junction row belongs with the person it names
        held.join(shared, on="unit", how="anti").select(
            edge
        ),  # held by one person (or none): merge as any link
        first.filter(pl.col("holder") != pl.col("c")).select(  # the first holder keeps what it holds
            pl.col("holder_rec").alias("a"),
            pl.col("held_rec").alias("b"),
            pl.lit("link").alias("kind"),
            "link",
        ),
    ]
    others = (
        pairs.join(shared, on="unit")
        .join(first.select("unit", pl.col("holder").alias("h1")), on="unit")
        .filter(pl.col("holder") != pl.col("h1"))
    )
    whole = comp.join(others.filter(~pl.col("named")).select("c", "holder_rec", "link"), on="c").select(
        pl.col(GID).alias("copy_of"), "holder_rec", "link"
    )
    alone = others.filter(pl.col("named")).select(pl.col("held_rec").alias("copy_of"), "holder_rec", "link")
    # ...and the rows that hang from that account row and name nobody (cards.acct_id -> share_accounts: the joint
    # account's card and its CVV are each holder's, 445.63(p)(iii)), never the primary holder's own rows
    if alone.height:
        unnamed = ~records.get_column("has_name").to_numpy()
        position = np.full(int(records.get_column(GID).max()) + 1, -1, dtype=np.int64)
        position[records.get_column(GID).to_numpy()] = np.arange(records.height)
        hanging = edges.filter(pl.col("kind") == "link").join(
            alone.select(pl.col("copy_of").alias("b"), "holder_rec", pl.col("link").alias("_via")), on="b"
        )
        if hanging.height:
            rows = position[hanging.get_column("a").to_numpy()]
            hanging = hanging.filter(pl.Series((rows >= 0) & unnamed[np.maximum(rows, 0)]))
            alone = pl.concat(
                [
                    alone,
                    hanging.select(pl.col("a").alias("copy_of"), "holder_rec", pl.col("_via").alias("link")),
                ]
            )
    copies = pl.concat([whole, alone]).unique().sort("holder_rec", "copy_of")
    return pl.concat([k.cast(EDGE_SCHEMA) for k in keep]), copies  # type: ignore[arg-type]


def _in_table_row_order(records: pl.DataFrame) -> bool:
    """Whether records are already ordered by (table, row): one pass over two columns, no reordering."""
    if records.height < 2:
        return True
    table, row = pl.col("table"), pl.col(ROW)
    prev_table, prev_row = table.shift(1), row.shift(1)
    step_ok = (table > prev_table) | ((table == prev_table) & (row > prev_row))
    return bool(records.select(step_ok.slice(1).all()).item())


def numbered(records: pl.DataFrame) -> pl.DataFrame:
    """Records in (table, row) order with their number (GID) in that order, as resolve numbers them."""
    if not _in_table_row_order(records):  # the scan concatenates tables in name order, each sorted by row
        records = records.sort("table", ROW)  # a full reorder costs about 1 KB per record at its peak
    return records.with_row_index(GID).with_columns(pl.col(GID).cast(pl.Int64))


def resolve(records: pl.DataFrame, link_rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add `individual` to every record; return (records, edges). Records are numbered in (table, row) order.

    A record held by several people through a junction table appears once per holder (see
    _shared_through_junctions); every other record appears once.
    """
    records = numbered(records)
    n = records.height
    links = _link_edges(records, link_rows)
    residency_rows = links.filter(pl.col("residency"))
    links = links.filter(~pl.col("residency")).drop("residency", "shipped", "household")
    identity, shared = _identity_edges(records)
    plain = links.filter(~pl.col("junction")).drop("junction", "holder").cast(EDGE_SCHEMA)  # type: ignore[arg-type]
    # A named row's reference to a row without a name (a payment naming its payer -> the loan) is joined last,
    # once the other edges say whose that row is (see _named_to_unnamed_edges)
    named = records.get_column("name_key").is_not_null().to_numpy()
    down = named[plain.get_column("a").to_numpy()] & ~named[plain.get_column("b").to_numpy()] if n else []
    # ...and so is the reference of a row without a name that carries an SSN or licence number (an MVR result
    # with the driver's licence, hanging from an order that follows the client): the number already says whose
    # row it is (see _numbered_unnamed_edges)
    numbered_unnamed = (
        ~named
        & records.select(pl.col("ssn_value").is_not_null() | pl.col("drivers_license_value").is_not_null())
        .to_series()
        .to_numpy()
    )
    up = numbered_unnamed[plain.get_column("a").to_numpy()] if n else []
    later = pl.Series(down, dtype=pl.Boolean) | pl.Series(up, dtype=pl.Boolean)
    edges = pl.concat([e.cast(EDGE_SCHEMA) for e in identity] + [plain.filter(~later)])
    by_number = pl.DataFrame(schema=EDGE_SCHEMA)
    if shared.height and n:
        by_number = _shared_number_edges(records, shared, _components(n, edges))
        edges = pl.concat([edges, by_number])
    if n and up.any():
        up_edges = plain.filter(pl.Series(up, dtype=pl.Boolean))
        edges = pl.concat([edges, _numbered_unnamed_edges(records, up_edges, _components(n, edges))])
    if n and down.any():
        down_edges = plain.filter(pl.Series(down))
        edges = pl.concat([edges, _named_to_unnamed_edges(records, down_edges, _components(n, edges))])
    if n == 0:
        return records.with_columns(pl.lit(None, dtype=pl.Int64).alias("individual")), edges.sort(
            "a", "b", "kind"
        )
    copy_schema = {
        "copy_of": pl.Int64,
        "holder_rec": pl.Int64,
        "link": pl.Int32,
        "household": pl.Boolean,
        "shipped": pl.Boolean,
    }
    copies = pl.DataFrame(schema=copy_schema)
    junction = links.filter(pl.col("junction")).drop("junction")
    if junction.height:
        keep, copies = _shared_through_junctions(records, _components(n, edges), junction, edges)
        copies = copies.with_columns(pl.lit(False).alias("household"), pl.lit(False).alias("shipped"))
        edges = pl.concat([edges, keep])
    if shared.height:
        held = _account_rows_of_every_holder(records, shared, edges, by_number)
        if held.height:
            held = held.with_columns(pl.lit(False).alias("household"), pl.lit(False).alias("shipped"))
            copies = pl.concat([copies, held.cast(copy_schema)]).unique(
                ["copy_of", "holder_rec"], maintain_order=True
            )  # type: ignore[arg-type]
    # a household's address row is copied to each member's individual: residency evidence, not identity; so is
    # the row of the person a dependants table hangs from, with nothing but its residency (household). The
    # holder's row may say the place it references is no longer theirs (records.PLACE_ENDED: an association's end
    # date passed, a contact who does not live with the student): a household copy is then not made, another
    # residency copy is a former place (below)
    flag = pl.col(PLACE_ENDED).fill_null(False) if PLACE_ENDED in records.columns else pl.lit(False)
    ended = records.select(pl.col(GID).alias("holder_rec"), flag.alias("__ended"))
    residency_copies = (
        residency_rows.select(
            pl.col("b").alias("copy_of"),
            pl.col("a").alias("holder_rec"),
            "link",
            pl.col("household"),
            pl.col("shipped").fill_null(False),
        )
        .cast(copy_schema)  # type: ignore[arg-type]
        .join(ended, on="holder_rec", how="left", maintain_order="left")
        .with_columns(pl.col("__ended").fill_null(False))
        .filter(~(pl.col("household").fill_null(False) & pl.col("__ended")))
    )
    copies = pl.concat(
        [copies.cast(copy_schema).with_columns(pl.lit(False).alias("__ended")), residency_copies]  # type: ignore[arg-type]
    )
    if copies.height:
        copied = (
            records.join(copies.rename({"copy_of": GID, "link": "__link"}), on=GID)
            # stable: two copies of one record for one holder (a joint holder's and a household's) keep the
            # order they were made in, so the copies' numbers never depend on the sort's luck
            .sort("holder_rec", GID, maintain_order=True)
            .with_columns((pl.int_range(pl.len()) + n).cast(pl.Int64).alias("__copy"))
        )
        residency_only = pl.col("household").fill_null(False)
        copied = copied.with_columns(
            pl.when(residency_only)
            .then(pl.lit(False if records.schema[c] == pl.Boolean else None, dtype=records.schema[c]))
            .otherwise(pl.col(c))
            .alias(c)
            for c in records.columns
            if c not in RESIDENCY_COLUMNS
        )
        # a copy is what the row holds (a joint account, a household's address), never whether the row's own person
        # died: the primary holder's deceased flag is not the joint holder's (vital_flags)
        copied = copied.with_columns(pl.lit(False).alias(c) for c in VITAL_COLUMNS if c in copied.columns)
        # an address a parcel was delivered to (orders.delivery_address_id -> addresses) is weak evidence, like
        # a ship-to column of the buyer's own row (records.py): it places only a buyer nothing else places, and
        # it is not the address the notice goes to
        delivered = pl.col("shipped").fill_null(False)
        # ...and so is the place a row that has ended references (a person-address association whose end date
        # passed: the address history of a junction table), as a former address is
        delivered = delivered | (pl.col("__ended") & ~residency_only)
        # ...and so is the household's place for a member of it (a dependants table's row, a claim's patient):
        # the member's own places, where their rows have any, are where they live; the household's only where
        # they have none (Michigan-wins is a rule among one person's own places; until 2026-11-24 a dependant
        # with an Ohio address of their own was a Michigan resident by the employee's)
        weak = delivered | residency_only
        copied = copied.with_columns(
            pl.when(weak & (pl.col("residency") != residency.UNKNOWN))
            .then(pl.col("residency"))
            .otherwise(pl.col("residency_secondary"))
            .alias("residency_secondary"),
            pl.when(weak).then(pl.lit(residency.UNKNOWN)).otherwise(pl.col("residency")).alias("residency"),
            *(pl.when(delivered).then(None).otherwise(pl.col(c)).alias(c) for c in DELIVERY_BLANKED),
        ).cast({c: records.schema[c] for c in ("residency", "residency_secondary", *DELIVERY_BLANKED)})
        attach = copied.select(
            pl.col("__copy").alias("a"),
            pl.col("holder_rec").alias("b"),
            pl.lit("link").alias("kind"),
            pl.col("__link").alias("link"),
        )
        edges = pl.concat([edges, attach.cast(EDGE_SCHEMA)])  # type: ignore[arg-type]
        records = pl.concat(
            [
                records,
                copied.drop(GID, "holder_rec", "__link", "household", "shipped", "__ended")
                .rename({"__copy": GID})
                .select(records.columns),
            ]
        )
        n = records.height
    edges = edges.sort("a", "b", "kind")
    records = records.with_columns(pl.Series("individual", _components(n, edges), dtype=pl.Int64))
    return records, edges


def individuals_of(
    records: pl.DataFrame, link_rows: pl.DataFrame, link_names: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records with `individual`, one row per individual): resolve, then summarize, on every record at once.
    person_groups.individuals_by_groups gives the same, a bucket of person groups at a time."""
    records, edges = resolve(records, link_rows)
    del link_rows  # the caller handed over its only reference: freed before the summaries
    people = summarize(records, edges, link_names)
    return records, people  # the graph's edges are freed here, before findings, where the scan's memory peaks


def _accounts_with_their_codes(
    records: pl.DataFrame, edges: pl.DataFrame, any_form: bool = False
) -> np.ndarray:
    """Per record: an unredacted account or card number whose own code is readable: in the same row, or in a row
    a link joins to it (card_codes.card_id -> cards). The stricter reading of 445.63(p)(iii), reported beside the
    default (any code of the same individual) as what_if.codes_with_their_own_account. ``any_form``: encrypted
    numbers and codes too (the encryption key compromised, 445.72(1)(b))."""
    readable = [UNREDACTED, ENCRYPTED] if any_form else [UNREDACTED]
    account = records.get_column("financial_account_status").is_in(readable).fill_null(False).to_numpy()
    status = records.get_column("access_code_status")
    code = (status.is_not_null() if any_form else status == "present").fill_null(False).to_numpy()
    paired = account & code
    linked = edges.filter(pl.col("kind") == "link")
    if linked.height:
        a, b = linked.get_column("a").to_numpy(), linked.get_column("b").to_numpy()
        gid = records.get_column(GID).to_numpy()
        position = np.full(int(gid.max()) + 1, -1, dtype=np.int64)
        position[gid] = np.arange(len(gid))
        pa, pb = position[a], position[b]
        ok = (pa >= 0) & (pb >= 0)
        pa, pb = pa[ok], pb[ok]
        paired[pa[account[pa] & code[pb]]] = True
        paired[pb[account[pb] & code[pa]]] = True
    return paired


def _any_per_individual(records: pl.DataFrame, flags: dict[str, pl.Expr]) -> pl.DataFrame:
    """individual -> whether any of its records has each flag, and its record count.

    Individuals are the graph's component labels 0..k-1, so each flag is a weighted bincount (numpy, one pass)
    instead of a hash group_by over every record."""
    if records.height == 0:
        return pl.DataFrame(
            schema={"individual": pl.Int64, **dict.fromkeys(flags, pl.Boolean), "records": pl.UInt32}
        )
    labels = records.get_column("individual").to_numpy()
    k = int(labels.max()) + 1
    values = records.select([e.fill_null(False).alias(name) for name, e in flags.items()])
    out: dict[str, np.ndarray] = {"individual": np.arange(k, dtype=np.int64)}
    for name in flags:  # one entry per flag, not per record
        out[name] = np.bincount(labels, weights=values.get_column(name).to_numpy(), minlength=k) > 0
    out["records"] = np.bincount(labels, minlength=k).astype(np.uint32)
    return pl.DataFrame(out).filter(pl.col("records") > 0)  # a label without records is nobody


def summarize(records: pl.DataFrame, edges: pl.DataFrame, link_names: list[str]) -> pl.DataFrame:
    """One row per individual: residency, the three readings of 'affected', exposed elements, contact data, path."""
    s = {e: pl.col(f"{e}_status") for e in ("ssn", "drivers_license", "financial_account")}
    code = pl.col("access_code_status")
    readable = {e: st == UNREDACTED for e, st in s.items()}
    any_form = {e: st.is_in([UNREDACTED, ENCRYPTED]) for e, st in s.items()}
    # Narrow selections before every group_by: grouping a wide frame costs as if every column were aggregated.
    contact_columns = ("first_name", "last_name", "email", "address", "city", "state", "zip")
    named = records.select("individual", "table", ROW, "has_name", *contact_columns).filter(
        pl.col("has_name")
    )
    if not _in_table_row_order(
        named
    ):  # copies of shared records follow the originals; first is by (table, row)
        named = named.sort("table", ROW)
    contact = named.group_by("individual").agg(
        pl.col(c).drop_nulls().first().alias(c) for c in contact_columns
    )
    # A household member without a postal address of their own is written to at the household's (the copy of
    # the person's row a dependants table hangs from): the rows without a name, where a named row gave none.
    postal = ("address", "city", "state", "zip")
    unnamed = records.filter(~pl.col("has_name") & pl.any_horizontal(pl.col(c).is_not_null() for c in postal))
    if unnamed.height:
        unnamed = unnamed.select("individual", "table", ROW, *postal).sort("table", ROW)
        household = unnamed.group_by("individual").agg(
            pl.lit(True).alias("_h"), *(pl.col(c).drop_nulls().first().alias(f"_h_{c}") for c in postal)
        )
        contact = (
            contact.join(household, on="individual", how="left")
            .with_columns(
                # the four fields from one row: all from the named rows when they give an address or a state, or
                # when this individual has no such row (another individual's household row changes nothing here)
                pl.when(pl.col("address").is_null() & pl.col("state").is_null() & pl.col("_h").is_not_null())
                .then(pl.col(f"_h_{c}"))
                .otherwise(pl.col(c))
                .alias(c)
                for c in postal
            )
            .drop("_h", *(f"_h_{c}" for c in postal))
        )
    agg = _any_per_individual(
        records,
        {
            "has_name": pl.col("has_name"),
            "_mi": pl.col("residency") == residency.MICHIGAN,
            "_other": pl.col("residency") == residency.OTHER,
            "_secondary_mi": pl.col("residency_secondary") == residency.MICHIGAN,
            "_secondary_other": pl.col("residency_secondary") == residency.OTHER,
            **{f"_{e}": v for e, v in readable.items()},
            **{f"_{e}_any": v for e, v in any_form.items()},
            "_code": code == "present",
            "_code_any": code.is_not_null(),
            "_account_with_its_code": pl.Series(_accounts_with_their_codes(records, edges)),
            "_account_with_its_code_any": pl.Series(
                _accounts_with_their_codes(records, edges, any_form=True)
            ),
        },
    ).join(_tables(records), on="individual", how="left")
    name = pl.col("has_name")
    agg = agg.with_columns(
        # where a parcel was shipped places only an individual that nothing else places
        pl.when(pl.col("_mi"))
        .then(pl.lit(residency.MICHIGAN))
        .when(pl.col("_other"))
        .then(pl.lit(residency.OTHER))
        .when(pl.col("_secondary_mi"))
        .then(pl.lit(residency.MICHIGAN))
        .when(pl.col("_secondary_other"))
        .then(pl.lit(residency.OTHER))
        .otherwise(pl.lit(residency.UNKNOWN))
        .alias("residency"),
        (pl.col("_mi") & pl.col("_other")).alias("residency_conflict"),
        (
            name
            & (pl.col("_ssn") | pl.col("_drivers_license") | (pl.col("_financial_account") & pl.col("_code")))
        ).alias("affected"),
        (name & (pl.col("_ssn") | pl.col("_drivers_license") | pl.col("_financial_account"))).alias(
            "affected_account_numbers_alone"
        ),
        (
            name
            & (
                pl.col("_ssn_any")
                | pl.col("_drivers_license_any")
                | (pl.col("_financial_account_any") & pl.col("_code_any"))
            )
        ).alias("affected_encryption_key_compromised"),
        # the key compromised under each other reading of (p)(iii): what_if.encryption_key_compromised follows the
        # scan's reading, and the notice's wider count may combine the two
        (
            name & (pl.col("_ssn_any") | pl.col("_drivers_license_any") | pl.col("_financial_account_any"))
        ).alias("affected_encryption_key_compromised_account_numbers_alone"),
        (
            name
            & (pl.col("_ssn_any") | pl.col("_drivers_license_any") | pl.col("_account_with_its_code_any"))
        ).alias("affected_encryption_key_compromised_codes_with_their_own_account"),
        # the other reading of (p)(iii): the code must be the account's own (same row, or a row linked to it)
        (name & (pl.col("_ssn") | pl.col("_drivers_license") | pl.col("_account_with_its_code"))).alias(
            "affected_codes_with_their_own_account"
        ),
        (name & pl.col("_ssn")).alias("exposed_ssn"),
        (name & pl.col("_drivers_license")).alias("exposed_drivers_license"),
        (name & pl.col("_financial_account") & pl.col("_code")).alias("exposed_financial_account"),
        (name & pl.col("_financial_account")).alias("exposed_financial_account_alone"),
        (name & pl.col("_account_with_its_code")).alias("exposed_financial_account_own_code"),
        # readable or encrypted: what is exposed once the encryption key is compromised (445.72(1)(b))
        (name & pl.col("_ssn_any")).alias("exposed_ssn_any_form"),
        (name & pl.col("_drivers_license_any")).alias("exposed_drivers_license_any_form"),
        (name & pl.col("_financial_account_any") & pl.col("_code_any")).alias(
            "exposed_financial_account_any_form"
        ),
        (name & pl.col("_financial_account_any")).alias("exposed_financial_account_alone_any_form"),
        (name & pl.col("_account_with_its_code_any")).alias("exposed_financial_account_own_code_any_form"),
    )
    # the exposed elements as a list, from the 8 possible combinations (a list built per individual cost 1 s
    # per million individuals)
    combination = sum(
        pl.col(f"exposed_{e}").cast(pl.Int8) * (1 << k)
        for k, e in enumerate(("ssn", "drivers_license", "financial_account"))
    )
    lists = pl.DataFrame(
        {
            "_combination": list(range(8)),
            "elements": [
                [e for k, e in enumerate(("ssn", "drivers_license", "financial_account")) if c >> k & 1]
                for c in range(8)
            ],
        },
        schema={"_combination": pl.Int8, "elements": pl.List(pl.String)},
    )
    agg = agg.with_columns(combination.cast(pl.Int8).alias("_combination")).join(
        lists, on="_combination", how="left"
    )
    paths = _paths(records, edges, link_names)
    out = agg.join(contact, on="individual", how="left").join(paths, on="individual", how="left")
    out = out.join(vital_flags(records), on="individual", how="left").with_columns(
        pl.col("deceased", "deceased_conflict").fill_null(False)
    )
    # contact fields as text, as the notification list writes them (the records hold state as tables.WORD)
    out = out.with_columns(pl.col("state").cast(pl.String))
    return out.drop([c for c in out.columns if c.startswith("_")]).sort("individual")


def vital_flags(records: pl.DataFrame) -> pl.DataFrame:
    """individual -> deceased, deceased_conflict. An individual is deceased when a record of theirs says they died
    (a flag, a date of death, a vital status: detectors/deceased.py) and none says they live; one record saying
    each (a CRM's deceased = Y, another system's vital_status = ALIVE) is a conflict, counted as living: a living
    resident left out would be owed a notice never sent (445.72(1)). A record that says nothing (blank) is no
    statement either way."""
    if not set(VITAL_COLUMNS) <= set(records.columns):  # records made before the deceased columns
        return pl.DataFrame(
            schema={"individual": pl.Int64, "deceased": pl.Boolean, "deceased_conflict": pl.Boolean}
        )
    said = _any_per_individual(records, {c: pl.col(c) for c in VITAL_COLUMNS})
    return said.select(
        "individual",
        (pl.col("deceased") & ~pl.col("living")).alias("deceased"),
        (pl.col("deceased") & pl.col("living")).alias("deceased_conflict"),
    )


def _texts_per_individual(items: pl.DataFrame, render) -> pl.DataFrame:
    """individual -> text, from (individual, piece, label, order) items: each distinct set rendered once.

    Many individuals share the same set of pieces (name from customers; ssn from customers.ssn; ...), so the
    sets are coded as sorted integer lists per individual and only the distinct lists become text (a handful,
    not one string per individual built from strings per record).

    A set's members are the distinct (piece, label) pairs of the individual's items, rendered in (piece, order,
    label) order; a pair's order is the smallest of its items' (every caller gives a pair one order). Items
    without a piece or a label are left out. ``piece`` is a small integer (under 2^31 either way).
    """
    # one integer per item, piece * 2^32 + the label's dictionary code (a Categorical is one integer per item):
    # the distinct pairs and each item's code are found on that integer alone, not by a three-column unique and
    # a join that copied every item (docs/scale.md: the summary's peak at 5 M rows)
    items = items.select("individual", "piece", pl.col("label").cast(pl.Categorical), "order")
    if items.get_column("piece").null_count() or items.get_column("label").null_count():
        items = items.drop_nulls(["piece", "label"])
    keys = items.select(
        (pl.col("piece").cast(pl.Int64) * (1 << 32) + pl.col("label").to_physical().cast(pl.Int64)).alias(
            "_key"
        )
    ).to_series()
    labels = (
        items.select(keys, "piece", "label", "order")
        .group_by("_key")
        .agg(pl.col("piece").first(), pl.col("label").first(), pl.col("order").min())
        .sort("piece", "order", pl.col("label").cast(pl.String))
        .with_row_index("code")
    )
    # each item's code by its key's place among the distinct keys (a handful: numpy's binary search)
    by_key = labels.sort("_key")
    at = np.searchsorted(by_key.get_column("_key").to_numpy(), keys.to_numpy())
    codes = by_key.get_column("code").to_numpy().astype(np.int64)[at]
    del keys, at
    pairs = labels.select("piece", pl.col("label").cast(pl.String)).rows()  # one per distinct label
    if len(pairs) <= 63:
        return _texts_per_individual_by_mask(items.get_column("individual"), codes, pairs, render)
    return _texts_per_individual_by_list(items.get_column("individual"), codes, pairs, render)


def _texts_per_individual_by_list(
    individuals: pl.Series, codes: np.ndarray, pairs: list[tuple[int, str]], render
) -> pl.DataFrame:
    """_texts_per_individual for any number of labels (per item: its individual and its label's code, an index
    into ``pairs``, the labels in render order): each set a sorted list of codes, keyed as text."""
    coded = (
        pl.DataFrame({"individual": individuals, "code": pl.Series(codes, dtype=pl.Int64)})
        .unique()
        .group_by("individual")
        .agg(pl.col("code").sort())
        .with_columns(pl.col("code").list.eval(pl.element().cast(pl.String)).list.join(",").alias("key"))
    )
    keys = coded.get_column("key").unique().sort().to_list()  # one per distinct set, not per individual
    texts = [render([pairs[int(c)] for c in key.split(",")]) for key in keys]
    text = pl.DataFrame({"key": keys, "text": texts}, schema={"key": pl.String, "text": WORD})
    return coded.join(text, on="key").select("individual", "text")


def _texts_per_individual_by_mask(
    individuals: pl.Series, codes: np.ndarray, pairs: list[tuple[int, str]], render
) -> pl.DataFrame:
    """_texts_per_individual for up to 63 distinct labels (arguments as _texts_per_individual_by_list's): a set
    is one Int64 bit mask (bitwise-or per individual), so no list per individual is built, sorted or joined into
    a string key."""
    if individuals.len() == 0:
        return pl.DataFrame(schema={"individual": pl.Int64, "text": WORD})
    # individuals are component labels 0..k-1: one numpy bitwise-or per item (ten times a hash group_by)
    who = individuals.to_numpy()
    masks_of = np.zeros(int(who.max()) + 1, dtype=np.int64)
    np.bitwise_or.at(masks_of, who, np.left_shift(np.int64(1), codes))
    present = np.flatnonzero(masks_of)  # every item sets a bit, so a zero mask is an individual without items
    coded = pl.DataFrame({"individual": present.astype(np.int64), "mask": masks_of[present]})
    masks = coded.get_column("mask").unique().sort().to_list()  # one per distinct set, not per individual
    texts = [render([pairs[c] for c in range(len(pairs)) if m >> c & 1]) for m in masks]
    text = pl.DataFrame({"mask": masks, "text": texts}, schema={"mask": pl.Int64, "text": WORD})
    return coded.join(text, on="mask").select("individual", "text")


def _tables(records: pl.DataFrame) -> pl.DataFrame:
    """individual -> 'a, b': the tables an individual's records come from, in name order."""
    items = records.select(
        "individual", pl.lit(0).alias("piece"), pl.col("table").alias("label"), pl.lit(0).alias("order")
    )
    return _texts_per_individual(items, lambda parts: ", ".join(label for _, label in parts)).rename(
        {"text": "tables"}
    )


PATH_PIECES = ("name", "ssn", "drivers_license", "financial_account", "access code", "via", "same")


def _paths(records: pl.DataFrame, edges: pl.DataFrame, link_names: list[str]) -> pl.DataFrame:
    """How each individual became affected, in words: where the name and each element came from, which links."""

    def item(
        frame: pl.LazyFrame, piece: str, by: list[str], label: pl.Expr, order: pl.Expr | None = None
    ) -> pl.LazyFrame:
        # distinct (individual, label columns) first: a person's hundred orders through one link are one item,
        # and the label text is built for those alone, not for every record or edge
        return (
            frame.select("individual", *by)
            .unique()
            .select(
                "individual",
                pl.lit(PATH_PIECES.index(piece)).alias("piece"),
                # dictionary-encoded as the engine builds it: millions of items, a few dozen distinct labels
                label.cast(pl.String).cast(WORD).alias("label"),
                (pl.lit(0) if order is None else order).cast(pl.Int64).alias("order"),
            )
        )

    # lazy, so each filter reads only the columns its item needs (filtering the whole record copies it)
    recs = records.lazy()
    items = [item(recs.filter(pl.col("has_name")), "name", ["table"], pl.col("table"))]
    for e in ("ssn", "drivers_license", "financial_account"):
        items.append(
            item(
                recs.filter(pl.col(f"{e}_status") == UNREDACTED),
                e,
                ["table", f"{e}_source"],
                pl.concat_str([pl.col("table"), pl.col(f"{e}_source")], separator="."),
            )
        )
    items.append(
        item(
            recs.filter(pl.col("access_code_status") == "present"),
            "access code",
            ["access_code_source"],
            pl.col("access_code_source"),
        )
    )
    ind = recs.select(GID, "individual")
    via = edges.lazy().filter(pl.col("kind") == "link").join(ind, left_on="a", right_on=GID)
    # links in the order they were found
    items.append(item(via, "via", ["link"], pl.col("link"), pl.col("link")))
    same = edges.lazy().filter(pl.col("kind") != "link").join(ind, left_on="a", right_on=GID)
    items.append(item(same, "same", ["kind"], pl.col("kind")))
    names = dict(enumerate(link_names))

    def render(parts: list[tuple[int, str]]) -> str:
        pieces: dict[int, list[str]] = {}
        for piece, label in parts:  # parts of one distinct set, already in order
            pieces.setdefault(piece, []).append(label)
        out = []
        for piece, labels in sorted(pieces.items()):
            word = PATH_PIECES[piece]
            if word == "via":
                out.append("via " + "; ".join(names.get(int(k), "?") for k in labels))
            elif word == "same":
                out.append("same " + ", same ".join(labels))
            else:
                out.append(f"{word} from " + ", ".join(labels))
        return "; ".join(out)

    return _texts_per_individual(pl.concat(items).collect(), render).rename({"text": "path"})
