"""Column classification: what each column holds, decided from its header and a sample of its values.

The header is context for its own column only. A decision always carries its evidence (which header words, what
share of how many sampled values) so a reader can check it; the whole column is evaluated afterwards (records.py).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from detectors import (
    access_code,
    bank_account,
    card,
    contact,
    deceased,
    drivers_license,
    encrypted,
    free_text,
    names,
    residency,
    routing,
    ssn,
)
from detectors.base import ENCRYPTED, REDACTED, REJECTED, UNREDACTED, ElementDetector, with_verdicts
from detectors.common import (
    CO_CANONICAL,
    HOLDER_QUALIFIERS,
    MASK_CHARS,
    NUMBERED_PARTY_WORDS,
    OTHER_PERSON_WORDS,
    PAYING_QUALIFIERS,
    PERSON_QUALIFIERS,
    PRIMARY_PARTY_WORDS,
    ROLE_PERSON_NOUNS,
    SPOUSE_QUALIFIERS,
    TAXPAYER_QUALIFIERS,
    about_other_person,
    account_party,
    cleaned,
    header_text,
    header_tokens,
    leading_role,
    mentions,
    not_empty,
    numbered_person,
    other_person_role,
    party_key,
    party_role,
    qualified_person,
    role_in_header,
)
from pipeline.tables import ROW, Table, in_row_order

ELEMENT_DETECTORS: dict[str, ElementDetector] = {
    "ssn": ssn.DETECTOR,
    "drivers_license": drivers_license.DETECTOR,
    "card_number": card.DETECTOR,
    "bank_account": bank_account.DETECTOR,
}
ELEMENT_OF_KIND = {kind: det.element for kind, det in ELEMENT_DETECTORS.items()}
NAME_KINDS = ("first_name", "last_name", "first_initial", "full_name")
RESIDENCY_KINDS = ("state", "zip", "address", "city")

# Shares of sampled values a decision needs. With a header that names the element, most values only need the
# element's shape; without one, values must pass the element's own checks (Luhn + issuer, SSA rules) nearly always.
WITH_HEADER = 0.6
WITHOUT_HEADER = 0.9
ENCRYPTED_COLUMN = 0.8
# share of a name column's values that end in a word of goods (Blue Mug, Tea Towel) from which it lists products
PRODUCT_COLUMN = 0.3


@dataclass
class ColumnClass:
    name: str
    classified_as: str  # ssn | drivers_license | card_number | bank_account | access_code | routing_number |
    # first_name | last_name | first_initial | full_name | free_text | state | zip | address | city | email |
    # phone | encrypted | test_card_number | other_person | deceased | empty | none
    evidence: str
    values_checked: int
    integer_column: bool = False
    share: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def element(self) -> str | None:
        return ELEMENT_OF_KIND.get(self.classified_as)


def _share(sample: pl.DataFrame, expr: pl.Expr) -> float:
    n = sample.height
    return float(sample.select(expr.fill_null(False).cast(pl.Int64).sum()).item()) / n if n else 0.0


@functools.cache
def _share_inputs() -> list[pl.Expr]:
    """The sampled values "v" normalised as each element's detector reads them, staged once as columns (the tests
    of _share_sums read each several times; ssn.valid alone reads its value eight times)."""
    v = pl.col("v")
    return [
        card.normalize(v).alias("__card"),
        ssn.normalize(v).alias("__ssn"),
        drivers_license.normalize(v).alias("__licence"),
    ]


# a number as a spreadsheet shows a large one: 3.02216E+08
SCIENTIFIC = r"^\s*\d(\.\d+)?[eE]\+?\d{1,2}\s*$"

# header words of a row's identifier or a reference to one
IDENTIFIER_WORDS = {"id", "ids", "uuid", "guid", "key", "ref", "pk", "fk", "no", "num", "number"}
# header words of the holder of a card or account, whose column holds the name on it (classify: holder's column)
HOLDER_WORDS = HOLDER_QUALIFIERS | {"holder", "holders", "hldr", "holdr", "policyholder"}
NAME_ON_CARD = r"\bname on (the )?(card|account|acct|cc)\b"
# header words of a record's key or number, whose values are never read as telephone numbers without a phone word
KEY_HEADER_WORDS = IDENTIFIER_WORDS | {
    "nbr",
    "nr",
    "nmbr",
    "member",
    "mbr",
    "account",
    "acct",
    "customer",
    "cust",
}
KEY_HEADER_WORDS |= {"cif", "client", "loan", "share", "card", "policy", "order", "invoice"}


@functools.cache
def _share_sums() -> dict[str, pl.Expr]:
    """Per share name, the sum of a test over the sampled values "v": built once (the Luhn expression alone
    is thousands of expression nodes), used by every column."""
    v = pl.col("v")
    # the normalised values (_share_inputs) are columns of the stacked samples: each test reads them by name
    cn, sn, dn = pl.col("__card"), pl.col("__ssn"), pl.col("__licence")
    tests = {
        "encrypted": encrypted.looks_encrypted(v),
        "uuid": v.str.contains(encrypted.PLAIN_UUID).fill_null(False),
        "test_card": card.is_test_number(cn),
        "email": contact.email(v).is_not_null(),
        "card_prefix": cn.str.contains(card.ISSUER_PREFIX),
        "ssn_dashed": v.str.contains(ssn.DASHED) & ssn.valid(sn),
        # the same shape with masked positions (XXX-XX-1234, 123-45-****): redacted SSNs of the same column
        "ssn_masked_dashed": ssn.masked_dashed(v),
        "michigan_licence": drivers_license.michigan_shape(dn),
        "text": free_text.looks_like_text(v),
        "json": free_text.looks_like_json(v),
        "phone": contact.is_phone(v),
        "card": card.valid(cn),
        # a word where a number belongs (INTL, PENDING, APPLIED FOR, ON FILE): no digit, not a mask, not ciphertext
        "placeholder": ~v.str.contains(r"\d")
        & ~v.str.contains(rf"^[{MASK_CHARS}\s\-./]+$")
        & ~encrypted.looks_encrypted(v),
    }
    return {k: e.fill_null(False).cast(pl.Int64).sum().alias(k) for k, e in tests.items()}


def _value_shares(columns: dict[str, pl.Series]) -> dict[str, dict[str, float]]:
    """The shares every column's decision may read, whatever its header says, for all the columns of a table
    in one query: the samples stacked as (column, value) and grouped by column (a query per share and column
    cost about a millisecond each, which was most of the time of a small table)."""
    sums = _share_sums()
    names = list(columns)
    out: dict[str, dict[str, float]] = {c: dict.fromkeys(sums, 0.0) for c in names}
    stacked = pl.concat(
        [
            pl.DataFrame({"c": pl.Series([i] * columns[c].len(), dtype=pl.Int32), "v": columns[c]})
            for i, c in enumerate(names)
        ]
        or [pl.DataFrame(schema={"c": pl.Int32, "v": pl.String})]
    )

    def shares(frame: pl.DataFrame, keys: list[str]) -> None:
        per_column = frame.group_by("c").agg(*[sums[k] for k in keys], pl.len().alias("__n"))
        for row in per_column.iter_rows(named=True):  # one entry per column
            out[names[row["c"]]].update({k: float(row[k]) / row["__n"] for k in keys})

    stacked = stacked.with_columns(_share_inputs())
    shares(stacked, [k for k in sums if k != "card"])
    # A valid card number has an issuer prefix: without one in the sample, the Luhn query (the costliest to
    # plan) cannot find any.
    carded = [i for i, c in enumerate(names) if out[c]["card_prefix"]]
    if carded:
        shares(stacked.filter(pl.col("c").is_in(carded)), ["card"])
    return out


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


@functools.lru_cache(maxsize=16384)
def _kept_positions(column: str) -> pl.Expr:
    """The positions of a column's values that stay non-empty once cleaned (built once per column name: a schema
    names its columns alike from table to table, and building the expression cost more than running it on a
    small table)."""
    return pl.int_range(pl.len()).filter(not_empty(pl.col(column))).implode().alias(column)


def _sample(table: Table, size: int) -> pl.DataFrame:
    """Up to `size` non-empty values per column, spread over the table's first 200k rows, seeded."""
    head = in_row_order(table.frame.head(200_000).collect())
    out = {}
    columns = [c for c in head.columns if c != ROW]
    # The positions of the values that stay non-empty once cleaned, all columns in one parallel select; the
    # sample is drawn from them and only the sampled values are cleaned (the same values as cleaning every
    # row and sampling the result: a seeded sample picks positions by count, not by content).
    kept = head.select([_kept_positions(c) for c in columns])
    drawn = {}
    for col in columns:  # one entry per column, not per row
        positions = kept.get_column(col).explode().drop_nulls()
        drawn[col] = positions.sample(size, seed=7) if positions.len() > size else positions
    picked = head.select(
        [cleaned(pl.col(c).gather(pl.lit(drawn[c]))).implode().alias(c) for c in columns]
    )  # every column's drawn values cleaned in one select
    for col in columns:
        out[col] = (
            picked.get_column(col).explode().drop_nulls()
            if drawn[col].len()
            else pl.Series(col, [], dtype=pl.String)
        )
    # A column empty in the first rows may fill later (a field added after 200k records): look further for it.
    empty = [c for c, v in out.items() if v.len() == 0]
    if empty and head.height >= 200_000:
        later = table.frame.select(
            [cleaned(pl.col(c)).drop_nulls().head(size).implode().alias(c) for c in empty]
        ).collect()
        for c in empty:
            out[c] = later.get_column(c).explode().drop_nulls()
    return out  # type: ignore[return-value]


def _element_shares(det: ElementDetector, values: pl.DataFrame, integer_column: bool) -> dict[str, float]:
    judged = with_verdicts(values.lazy(), det, pl.col("v"), "_", integer_column)
    status, c = pl.col("_st"), pl.col("_c")
    counts = (
        judged.select(
            unredacted=(status == UNREDACTED).sum(),
            redacted=(status == REDACTED).sum(),
            encrypted=(status == ENCRYPTED).sum(),
            # a number of the element's shape that fails its checks, or one a spreadsheet wrote in scientific
            # notation (3.02216E+08: its last digits lost): still the element's column, judged value by value
            shaped_rejected=(
                (status == REJECTED) & (c.str.contains(det.whole) | pl.col("v").str.contains(SCIENTIFIC))
            ).sum(),
        )
        .collect()
        .row(0, named=True)
    )
    n = max(values.height, 1)
    return {k: val / n for k, val in counts.items()}


# A relationship column's header (rel_to_insd, REL_CD, relationship, relation_to_subscriber, pat_rel_cd) ...
RELATIONSHIP_WORDS = {"rel", "relationship", "relation", "relshp", "reltn", "relat", "reln", "relatn"}
# ...and its values that say a spouse, a child or a dependant of the person the row hangs from: words, an
# insurer's codes (SP spouse, CH child, DP domestic partner, DEP dependant; NI named insured and PH policyholder
# are the person), X12 834 INS02 (18 self, 01 spouse, 19 child, 09 adopted, 10 foster, 17 stepchild, 53 life
# partner: read only beside the self code 18, as two digits name anything)
HOUSEHOLD_RELATIONSHIPS = {
    "spouse",
    "wife",
    "husband",
    "child",
    "son",
    "daughter",
    "stepchild",
    "stepson",
    "stepdaughter",
    "dependent",
    "dependant",
    "domestic partner",
    "partner",
    "sp",
    "sps",
    "ch",
    "chd",
    "chld",
    "dp",
    "dep",
    "conyuge",
    "hijo",
    "hija",
}
X12_SELF = "18"
X12_HOUSEHOLD = {"01", "19", "09", "10", "17", "53"}


HOUSEHOLD_RELATIONSHIP = "household_relationship"  # ColumnClass.extra: the column names household members


def _household_relationships(classes: list[ColumnClass], samples: dict[str, pl.Series]) -> None:
    """Marks a relationship column (rel_to_insd, REL_CD) whose sampled values say spouse, child or dependant of the
    person the row references (links.household_relationship_tables reads the mark)."""
    for cc in classes:  # one entry per column
        if cc.classified_as not in {"none", "empty"} or not set(header_tokens(cc.name)) & RELATIONSHIP_WORDS:
            continue
        values = samples.get(cc.name)
        if values is None:
            continue
        said = set(
            pl.DataFrame({"v": values})
            .select(cleaned(pl.col("v")).str.to_lowercase().str.replace_all(r"[_\-]+", " ").alias("v"))
            .get_column("v")
            .drop_nulls()
            .unique()
            .to_list()
        )
        numbers = {v.zfill(2) for v in said if v.isdigit()}
        if said & HOUSEHOLD_RELATIONSHIPS or (X12_SELF in numbers and numbers & X12_HOUSEHOLD):
            cc.extra[HOUSEHOLD_RELATIONSHIP] = True


def classify_table(table: Table, sample_size: int = 1000) -> list[ColumnClass]:
    samples = _sample(table, sample_size)
    headers = [c for c in samples]
    licence_state_column = any(mentions(h, drivers_license.STATE_CONTEXT) for h in headers)
    shares = _value_shares(samples)
    classes = [
        classify_column(
            name,
            pl.DataFrame({"v": values}),
            integer_column=table.source_types.get(name) == "integer" or _integers_as_text(values),
            licence_state_column=licence_state_column,
            # the table's own name, without the folder, dump or archive that qualifies it when two files share a
            # name: the Spark engine classifies before tables are qualified, and a table's kind should not change
            # because another file of its name was scanned beside it (rewards/accounts beside checking/accounts)
            subject=re.split(r"[/#!]", table.name)[-1],
            headers=headers,
            shares=shares[name],
            # the database's name (a dump named telco_billing): a service's accounts are no financial accounts
            source=bank_account.source_name(table.path),
        )
        for name, values in samples.items()
    ]
    _attach_tin_types(classes, re.split(r"[/#!]", table.name)[-1])
    _attach_document_types(classes, samples)
    _attach_licence_states(classes)
    _attach_canadian_places(classes)
    _receivers_names(classes, samples)
    _numbered_people(classes)
    _other_partys_numbers(classes, re.split(r"[/#!]", table.name)[-1])
    _qualified_people(classes, table)
    _second_persons_places(classes)
    _recipients_names(classes)
    _party_role_rows(classes, samples, re.split(r"[/#!]", table.name)[-1])
    _household_relationships(classes, samples)
    _licence_row_keys(classes, samples)
    _another_persons_death(classes, re.split(r"[/#!]", table.name)[-1])
    return classes


ROW_KEY_WORDS = {"id", "key", "pk", "sk", "seq", "uuid", "guid"}


def _licence_row_keys(classes: list[ColumnClass], samples: dict[str, pl.Series]) -> None:
    """A licences table's own key (licence_id 70001, 70002) beside its licence number column (dl_number) is the
    row's key, not a second licence number: the header ends in an id word and every sampled value is a bare
    integer. Alone (a customers table's license_id) the column is still the licence (many states' numbers are
    all digits). Until 2026-11-24 the key counted as a licence, and a person whose licence was masked counted."""
    licence = [k for k, cc in enumerate(classes) if cc.classified_as == "drivers_license"]
    if len(licence) < 2:
        return
    for k in licence:  # one entry per licence column
        cc = classes[k]
        words = header_tokens(cc.name)
        values = samples.get(cc.name)
        if not words or words[-1] not in ROW_KEY_WORDS or values is None or values.len() == 0:
            continue
        if bool(values.str.strip_chars().str.contains(r"^\d+$").all()):
            classes[k] = dataclasses.replace(
                cc,
                classified_as="none",
                evidence=f"header '{cc.name}' ends in a key word and holds bare integers beside the table's licence "
                "number column: the row's own key",
            )


# Header words of a column that says which party of a deal, application or loan a row is (applicant_role,
# party_type, rel_cd, borrower_type)
PARTY_ROLE_WORDS = {"role", "roles", "rel", "relationship", "relation", "party", "capacity", "type", "typ"}
PARTY_ROLE_WORDS |= {"kind", "cd", "code", "position"}
# A reference to the row's own person (customer_id, cif_no, member_nbr, borrower_id): such a row is that person's
# whatever its role says (a joint holder's relationship row references the joint holder)
PERSON_REFERENCE_WORDS = {
    "customer", "cust", "cif", "member", "mbr", "client", "party", "person", "individual", "contact", "patient",
    "employee", "emp", "user", "usr", "holder", "owner", "borrower", "applicant", "buyer", "subscriber", "insured",
    "donor", "guest", "student", "indv", "prsn",
}  # fmt: skip
PARTY_ROLE_SHARE = 0.9  # of the sampled values that must name a role


def _party_role_rows(classes: list[ColumnClass], samples: dict[str, pl.Series], subject: str) -> None:
    """A table of one row per party of a deal or application (credit_apps: deal_no, applicant_role = BUYER /
    CO-BUYER, ssn), with no names of its own: its names are in the row it references (deals: buyer_first,
    cobuyer_first), one person per role. A CO-BUYER row's SSN is the co-buyer's, never the buyer's (445.63(p)):
    until 2026-11-24 every row joined the deal's buyer, and the co-buyer was counted with nothing. The table's
    columns become the parties' own (other_person); co_subjects gives each role's rows back as a table of their
    own (credit_apps (cobuyer)) that joins the same role's person of the referenced row (deals (cobuyer)), and
    the other rows (BUYER, PRIMARY, a role not read) as the subject's (credit_apps (primary)). Only where rows
    name nobody and reference no person of their own (a joint holder's relationship row references the holder:
    acct_rel's CIF_NO), and the role column's sampled values nearly all name a role, one at least another
    person's."""
    if any(cc.classified_as in NAME_KINDS for cc in classes):
        _account_parties(classes, samples)  # each row names its own person: the link compares names
        return
    if not any(cc.element or cc.classified_as == "access_code" for cc in classes):
        return
    own = {_role_word(w) for w in header_tokens(subject)}
    shared = False  # a key several rows share: the rows are parties of one deal, not each a thing of its own
    for cc in classes:  # one entry per column
        words = header_tokens(cc.name)
        if cc.classified_as != "none" or not words or words[-1] not in IDENTIFIER_WORDS | {"nbr", "nr", "cd"}:
            continue
        if {_role_word(w) for w in words} & PERSON_REFERENCE_WORDS - own:
            return  # a reference to the row's own person (customer_id, cif_no)
        values = samples.get(cc.name)
        shared = shared or (values is not None and values.n_unique() < values.len())
    if not shared:
        return  # accounts(acct_id, ownership = PRIMARY / JOINT, acct_no): each row an account, no party's
    for cc in classes:  # one entry per column
        values = samples.get(cc.name)
        if cc.classified_as != "none" or not PARTY_ROLE_WORDS.intersection(header_tokens(cc.name)):
            continue
        if values is None or values.len() == 0:
            continue
        counts = values.value_counts()
        if counts.height > 50:  # a role column holds a few words
            continue
        roles = {str(v): party_role(str(v)) for v in counts.get_column(values.name).to_list()}  # distinct
        read = counts.filter(
            pl.col(values.name).is_in([v for v, r in roles.items() if r is not None])
        ).get_column("count")
        # the parties of a deal: its own person's rows (BUYER) and another person's (CO-BUYER)
        found = {r for r in roles.values() if r is not None}
        if read.sum() < PARTY_ROLE_SHARE * values.len() or "" not in found or not found - {""}:
            continue
        keyed = {party_key(v): r for v, r in roles.items() if r is not None}
        cc.extra["party_roles"] = dict(sorted(keyed.items()))
        cc.evidence += (
            "; its values name each row's party ("
            + ", ".join(sorted({r or "the row's own person" for r in keyed.values()}))
            + "): each party's rows are that party's own record"
        )
        held = [k for k, c in enumerate(classes) if c is not cc]
        _to_other_person(classes, held, f"rows of every party named by '{cc.name}': each party's own")
        for k in held:  # one entry per column
            if classes[k].classified_as == "other_person":
                classes[k].extra["party_role_column"] = cc.name
        return


# the column of an account's party rows whose values say each row's party (account_party): records marks the rows
# of a party holding no access (NOT_HOLDER)
ACCOUNT_PARTIES = "account_parties"
ACCOUNT_KINDS = ("bank_account", "card_number")


def _account_parties(classes: list[ColumnClass], samples: dict[str, pl.Series]) -> None:
    """A core banking NAME table (one row per party of an account, each named and carrying the account number)
    whose role column's values say each row's party (NAME_TYPE_DESC = PRIMARY / JOINT / BENEFICIARY / POD /
    AUTHORIZED SIGNER): the rows of a party holding no access to the account (a payable-on-death beneficiary, a
    contact, a reference, detectors.common.account_party) are no holder of its number, so the account's own rows
    (its PIN) are never theirs (individuals._account_rows_of_every_holder; 445.63(p)(iii) "the resident's
    financial accounts"). Read where nine in ten sampled values name a party, one at least a holder and one a party
    without access; numeric codes (Symitar's NAME_TYPE 0 / 1 / 2) name none, their description column does."""
    if not any(cc.classified_as in ACCOUNT_KINDS for cc in classes):
        return
    for cc in classes:  # one entry per column
        values = samples.get(cc.name)
        words = set(header_tokens(cc.name))
        if cc.classified_as != "none" or not words & (PARTY_ROLE_WORDS | {"ownership"}):
            continue
        if values is None or values.len() == 0 or values.n_unique() > 50:  # a role column holds a few words
            continue
        read = pl.DataFrame({"v": values}).select(account_party(pl.col("v")).alias("p")).get_column("p")
        found = set(read.drop_nulls().to_list())
        if read.null_count() > (1 - PARTY_ROLE_SHARE) * read.len() or not {"holder", "no_access"} <= found:
            continue
        cc.extra[ACCOUNT_PARTIES] = True
        cc.evidence += (
            "; its values name each row's party of the account, some holding no access to it (a beneficiary, a "
            "contact): those rows hold none of the account's own rows"
        )


def _second_persons_places(classes: list[ColumnClass]) -> None:
    """secondary_state, secondary_address are the row's secondary holder's when the row names that holder
    (secondary_first_name, secondary_ssn); without one they are the subject's second address (its line 2), and
    stay the subject's (classify_column). A joint_ or co-applicant's state is always that person's."""
    persons = {
        role[0]
        for cc in classes
        if cc.classified_as == "other_person" and (role := leading_role(cc.name)) is not None
    }
    if "secondary" not in persons:
        return
    for k, cc in enumerate(classes):  # one entry per column
        role = leading_role(cc.name)
        if cc.classified_as in RESIDENCY_KINDS and role is not None and role[0] == "secondary":
            classes[k] = dataclasses.replace(
                cc,
                classified_as="other_person",
                evidence=f"header '{cc.name}': the place of the row's secondary person, who the row names "
                f"(values look like {cc.classified_as})",
                extra={**cc.extra, "kind": cc.classified_as},
            )


# A ship-to or delivery name (Shopify's Shipping Name, ship_to_name, ShipToFirstName, consignee_name) is who the
# parcel went to: the buyer, or a gift's recipient.
SHIP_TO_NAME = r"\b(ship|shipping|shipto|shipped|delivery|deliver|delivered|consignee|deliveree)\b"


def _recipients_names(classes: list[ColumnClass]) -> None:
    """A ship-to name beside the row's own name (Billing Name, customer_name, bill_to_first_name) is the parcel's
    recipient, who may be another person than the buyer: never the name of the row's card, account or code
    (445.63(p) "linked to"), whatever the export's column order (records take a row's first name column). Alone,
    the ship-to name is the buyer's: an order export without a billing name ships to its buyer."""
    ship = [
        k
        for k, cc in enumerate(classes)
        if cc.classified_as in NAME_KINDS and mentions(cc.name, SHIP_TO_NAME)
    ]
    own = [k for k, cc in enumerate(classes) if cc.classified_as in NAME_KINDS and k not in ship]
    if not ship or not _names_a_person(classes, own):
        return
    for k in ship:  # one entry per column
        cc = classes[k]
        classes[k] = dataclasses.replace(
            cc,
            classified_as="other_person",
            evidence=f"header '{cc.name}' names who a parcel went to, and the row names its own person beside it: "
            f"the recipient's name, not the buyer's (values look like {cc.classified_as})",
            extra={**cc.extra, "kind": cc.classified_as},
        )


# An actor column (`..._by`) naming who received, collected or signed for something: a controlled-substance pickup
# log's PickedUpBy (Michigan MAPS, ASAP 4.2: the person picking up a schedule II-V prescription shows an ID, whose
# type and number the row records), a delivery's received_by, a release's signed_by. Staff actors (created_by,
# reviewed_by, processed_by, entered_by, verified_by, dispensed_by) are none of these words: they stay relations.
RECEIVER_WORDS = {
    "picked",
    "pickup",
    "pickedup",
    "received",
    "receivd",
    "rcvd",
    "recd",
    "collected",
    "claimed",
}
RECEIVER_WORDS |= {"accepted", "signed", "presented", "retrieved", "obtained"}
# share of a receiver column's sampled values that must be a first name or initial and a last name
RECEIVER_NAMES = 0.8


def _receivers_names(classes: list[ColumnClass], samples: dict[str, pl.Series]) -> None:
    """A receiver's `..._by` column (PickedUpBy, received_by: RECEIVER_WORDS) whose sampled values are whole names,
    in a row recording an identity document's number (a licence or state ID number, IDType + IDNumber) and naming
    nobody else: the name of the person whose document the row records, the row's subject (445.63(p)(ii)). Until
    2026-11-25 no name header read it (it has no name word), and a pickup log's licence numbers counted for nobody.
    Beside the row's own name column the column stays as it is (whose document it is is not read)."""
    if not any(cc.classified_as == "drivers_license" or cc.extra.get(DOCUMENT_PAIR) for cc in classes):
        return
    if any(cc.classified_as in NAME_KINDS for cc in classes):
        return
    for k, cc in enumerate(classes):  # one entry per column
        words = header_tokens(cc.name)
        values = samples.get(cc.name)
        if (
            cc.classified_as != "none"
            or len(words) < 2
            or words[-1] != "by"
            or not RECEIVER_WORDS & set(words)
            or values is None
            or values.len() == 0
        ):
            continue
        first, last = names.split_full_name(cleaned(pl.col("v")))
        frame = pl.DataFrame({"v": values})
        share = _share(frame, first.is_not_null() & last.is_not_null())
        if share >= RECEIVER_NAMES:
            classes[k] = dataclasses.replace(
                cc,
                classified_as="full_name",
                evidence=f"header '{cc.name}' names who received or picked up, beside an identity document's "
                f"number; {_pct(share)} of {values.len()} sampled values are a first name or initial and a last "
                "name: the person whose document the row records",
                share=share,
            )


def _names_a_person(classes: list[ColumnClass], ks: list[int]) -> bool:
    """A first and a last name, a full name, or a name beside an element, among the columns `ks`: NAME_1 / NAME_2
    holding the first and the last name of one person are no two people."""
    kinds = {classes[k].classified_as for k in ks}
    return (
        {"first_name", "last_name"} <= kinds
        or {"first_initial", "last_name"} <= kinds
        or "full_name" in kinds
        or (bool(kinds & set(NAME_KINDS)) and any(classes[k].element for k in ks))
    )


def _to_other_person(classes: list[ColumnClass], ks: list[int], why: str) -> None:
    for k in ks:  # one entry per column of the group
        cc = classes[k]
        if cc.classified_as in ("none", "empty", "other_person"):
            continue
        # the kind the values had: co_subjects reads whether the person has places of their own
        classes[k] = dataclasses.replace(
            cc,
            classified_as="other_person",
            evidence=f"{why} ({cc.classified_as})",
            extra={**cc.extra, "kind": cc.classified_as},
        )


# A qualifier naming whose account or policy the row is about, beside the person the row is about: in a member's
# row (834) subscriber_ssn is the subscriber's, in a recipient's 1099 payer_tin is the payer's
SPONSOR_QUALIFIERS = {"subscriber", "subscr", "policyholder", "payer", "payor", "primary", "principal"}
# ...and a plan's participant or employee, an account's holder, the same (a coverage row's employee_ssn beside the
# covered person's ssn). Not member or insured: an 834 member row's member_ssn is the member's own.
SPONSOR_QUALIFIERS |= {"participant", "ptcp", "partic", "employee", "ee", "emp", "empl"}
SPONSOR_QUALIFIERS |= {"accountholder", "acctholder"}
# Tables whose rows are a second person of somebody else's record: a plan participant's beneficiaries, an
# employee's dependants, a member's spouse or emergency contacts (the table's name says so, read by _role_word).
# The row's named person is that second person; every other person's column in it is the key to the record it
# hangs from (beneficiaries.participant_ssn, dependents.employee_ssn, member_ssn): that person's, never the named
# person's, whether or not the named person has a number of their own (445.63(p): "the resident's" SSN).
SECOND_PERSON_TABLES = {"beneficiary", "dependent", "spouse", "child", "children", "emergency", "kin"}
SECOND_PERSON_TABLES |= {"guarantor", "cosigner", "heir", "survivor", "relative"}


# Qualifiers of the person a row is about (an application's applicant, a collection's debtor, a gift's donor)
SUBJECT_QUALIFIERS = {
    "applicant", "debtor", "borrower", "member", "mbr", "customer", "patient", "client", "participant", "ptcp",
    "guest", "student", "enrollee", "claimant", "insured", "cardholder", "accountholder", "employee",
    "subscriber", "policyholder", "buyer", "purchaser", "registrant", "attendee", "traveler", "traveller",
    "passenger", "recipient", "owner",
}  # fmt: skip
# Header words of a name column that say only that it is a name, or whose (the record's own): a column with any
# other word (reference_name, landlord_nm, character_ref_name) names somebody of that word
NAME_ONLY_WORDS = {
    "name", "names", "nm", "nme", "first", "last", "middle", "mid", "mi", "full", "given", "family", "surname",
    "sur", "fname", "lname", "mname", "fnm", "lnm", "legal", "display", "preferred", "pref", "print", "printed",
    "formal", "official", "complete", "initial", "init", "suffix", "prefix", "title", "nick", "nickname", "alias",
    "cust", "acct", "account", "holder", "contact", "primary", "record", "person", "individual", "party",
    "of", "the",
}  # fmt: skip


def _third_party_name(classes: list[ColumnClass], ks: list[int]) -> bool:
    """Whether every name column of the unqualified group says something else than that it is a name
    (reference_name, but not first_name or legal_name)."""
    names_ks = [k for k in ks if classes[k].classified_as in NAME_KINDS]
    return bool(names_ks) and all(set(header_tokens(classes[k].name)) - NAME_ONLY_WORDS for k in names_ks)


def _leading_words(column: str) -> tuple[str, ...]:
    """The words a name column's header leads with before its name words (('character', 'ref') of
    character_ref_name)."""
    words = header_tokens(column)
    k = next((i for i, w in enumerate(words) if w in NAME_ONLY_WORDS), len(words))
    return tuple(words[:k])


def _name_key(classes: list[ColumnClass], ks: list[int]) -> pl.Expr | None:
    """A group's name per row as one comparable text (first word of the first name | last name, folded)."""
    kinds = {classes[k].classified_as: classes[k].name for k in ks}
    if "full_name" in kinds:
        parts = names.full_name_parts(cleaned(pl.col(kinds["full_name"])))
        first, last = parts.struct.field("first"), parts.struct.field("last")
    elif "last_name" in kinds and ("first_name" in kinds or "first_initial" in kinds):
        first = names.first_part(cleaned(pl.col(kinds.get("first_name") or kinds["first_initial"])))
        last = names.last_part(cleaned(pl.col(kinds["last_name"])))
    else:
        return None
    return pl.concat_str([names.first_key(first).str.slice(0, 1), names.folded_last(last)], separator="|")


SAME_PERSON_ROWS = 500  # rows compared to tell whether two named groups of a row are one person


def _same_person(table: Table | None, classes: list[ColumnClass], a: list[int], b: list[int]) -> bool:
    """Whether two named groups name the same person in (nearly) every row: a payment's cardholder_name and its
    customer_first_name / customer_last_name are one buyer, not two people."""
    ka, kb = _name_key(classes, a), _name_key(classes, b)
    if table is None or ka is None or kb is None:
        return False
    pairs = table.frame.head(SAME_PERSON_ROWS).select(ka.alias("a"), kb.alias("b")).collect().drop_nulls()
    return pairs.height > 0 and float((pairs["a"] == pairs["b"]).mean() or 0.0) >= 0.8


def _qualified_people(classes: list[ColumnClass], table: Table | None = None) -> None:
    """Two people of a row named by qualifiers (a claim's subscriber_first_name and patient_first_name, a policy's
    policyholder_ and insured_, a 1099's payer_ and recipient_): each is a person (445.63(p)). The unqualified
    name, or else the first name column's group, is the row's subject; each other group that names a person is
    that person's own record (other_person: co_subjects gives it back as a derived table). Until 2026-11-24 the row
    was one person: the patient's SSN went to the subscriber, and the patient was not counted.

    And a sponsor's number beside the subject's own of the same element (an 834 member row's subscriber_ssn
    beside member_ssn, a 1099's payer_tin beside recipient_tin) is not the subject's: it was taken first, in
    column order, and merged a family into one person by the subscriber's SSN."""
    table_name = re.split(r"[/#!]", table.name)[-1] if table is not None else ""
    second_person = bool({_role_word(w) for w in header_tokens(table_name)} & SECOND_PERSON_TABLES)
    groups: dict[str, list[int]] = {}
    for k, cc in enumerate(classes):  # one entry per column
        if cc.classified_as == "other_person":
            continue
        found = qualified_person(cc.name)
        groups.setdefault(found[0] if found else "", []).append(k)
    _spouses_numbers(classes, groups)
    named = [q for q, ks in groups.items() if _names_a_person(classes, ks)]
    if not named:
        return
    first_name_column = {
        q: min(k for k in groups[q] if classes[k].classified_as in NAME_KINDS) for q in named
    }
    # the name on the card, else the payer or leader, else the first named group: the export's column order must
    # not decide whose the row's own card and code are (a rooming list writes the guest before the leader)
    paying = [q for q in named if q in PAYING_QUALIFIERS]
    subject = (
        ""
        if "" in named
        else min(paying or named, key=lambda q: (q not in HOLDER_QUALIFIERS, first_name_column[q]))
    )
    # applicant_first_name, applicant_ssn beside a reference's or a landlord's name of a role not read
    # (character_reference_nm): the person the row is about is the group its subject's role qualifies, and the
    # unqualified name whose header says something else than a name is a third party's, never the subject's (until
    # 2026-11-24 it took the subject's SSN and address, and the applicant became a person of their own, placed
    # nowhere). Not where the two name the same person (a customer's legal_name beside customer_first_name).
    subject_roles = [q for q in named if q in SUBJECT_QUALIFIERS | PAYING_QUALIFIERS]
    # ...but a survivor's name in a table of survivors (successors.SUCCESSOR_NAME beside the decedent's BORROWER_NAME)
    # names the rows' own person: the borrower's is the other person's (until 2026-11-25 the successor's SSN and
    # address were the deceased borrower's)
    if deceased.names_survivor(table_name) and any(
        deceased.names_survivor(classes[k].name) for k in groups[""]
    ):
        subject_roles = []
    if subject == "" and subject_roles and _third_party_name(classes, groups[""]):
        chosen = min(
            [q for q in named if q in PAYING_QUALIFIERS] or [q for q in named if q],
            key=lambda q: (q not in HOLDER_QUALIFIERS, first_name_column[q]),
        )
        if not _same_person(table, classes, groups[""], groups[chosen]):
            unqualified_names = [k for k in groups[""] if classes[k].classified_as in NAME_KINDS]
            # and the columns that lead with the same words (COUNSEL_NAME's COUNSEL_ST): that person's places
            leads = {_leading_words(classes[k].name) for k in unqualified_names} - {()}
            unqualified_names += [
                k
                for k in groups[""]
                if k not in unqualified_names
                and any(header_tokens(classes[k].name)[: len(lead)] == list(lead) for lead in leads)
            ]
            _to_other_person(
                classes, unqualified_names, f"a name beside the row's {chosen}'s own: another person's"
            )
            groups[""] = [k for k in groups[""] if k not in unqualified_names]
            named = [q for q in named if q != ""]
            subject = chosen
    for q in named:  # one entry per further named person of the row
        if q != subject and not _same_person(table, classes, groups[subject], groups[q]):
            _to_other_person(classes, groups[q], f"the row's {q}: their own record, not the row's subject's")
    for element in {cc.element for cc in classes if cc.element and cc.classified_as != "other_person"}:
        by_qualifier: dict[str, list[int]] = {}
        for q, ks in groups.items():  # one entry per qualifier group
            for k in ks:
                if classes[k].element == element and classes[k].classified_as != "other_person":
                    by_qualifier.setdefault(q, []).append(k)
        sponsors = [q for q in by_qualifier if q in SPONSOR_QUALIFIERS and q != subject]
        if second_person:
            # beneficiaries(participant_ssn, beneficiary_name, beneficiary_ssn): every other person's number is
            # the key to their record (until 2026-11-24 the participant's SSN was the beneficiary's, and the
            # beneficiary's own, the second SSN column of the row, was dropped)
            for q in by_qualifier:
                if q and q != subject:
                    _to_other_person(
                        classes,
                        by_qualifier[q],
                        f"the {q}'s number: the key of the record {table_name}'s row "
                        "hangs from, not the number of the second person the row names",
                    )
            # beneficiaries(ssn, beneficiary_name, beneficiary_ssn): the number the table's role names is the
            # named person's own, the unqualified one beside it the key of the record the row hangs from
            own = [k for k in by_qualifier.get("", []) if _names_the_subject(classes[k].name, table_name)]
            if own and subject == "":
                rest = [k for k in by_qualifier.get("", []) if k not in own]
                _to_other_person(
                    classes,
                    rest,
                    f"a number beside the {table_name} row's own ({classes[own[0]].name}): the "
                    "key of the record the row hangs from",
                )
        elif sponsors and len(by_qualifier) > len(sponsors):
            for q in sponsors:
                _to_other_person(classes, by_qualifier[q], f"the {q}'s number beside the row's subject's own")


def _spouses_numbers(classes: list[ColumnClass], groups: dict[str, list[int]]) -> None:
    """A joint return's spouse numbers as 1040 software writes them (SP_SSN beside TP_SSN or a bare SSN, with or
    without the spouse's name in the row: a state return's row of numbers, an IRS name line naming the couple):
    the SP_ group is the spouse, a person of their own (co_subjects), and never the taxpayer's. "sp" alone is too
    short to be a spouse everywhere (a stored procedure's or a service provider's sp_id): only where the group
    holds an element the taxpayer's own columns hold too. Until 2026-11-25 the row's subject took both numbers,
    and the spouse was nobody (445.63(p)(i): "the resident's" SSN)."""
    for q in SPOUSE_QUALIFIERS & groups.keys():
        if _names_a_person(classes, groups[q]):
            continue  # a spouse's own name: the named groups are read below
        spouse = {classes[k].element for k in groups[q] if classes[k].element}
        filer = {
            classes[k].element
            for t in ({""} | TAXPAYER_QUALIFIERS) & groups.keys()
            for k in groups[t]
            if classes[k].element
        }
        if spouse & filer:
            _to_other_person(
                classes, groups.pop(q), f"the {q} of a joint return beside the taxpayer's own number"
            )


def _numbered_people(classes: list[ColumnClass]) -> None:
    """A row of several numbered people (applicants: first_name_1, ssn_1, first_name_2, ssn_2): the lowest number
    that names someone is the row's subject; the other numbers' columns are their own people's (other_person),
    given back to them as derived tables by co_subjects, so person 2's SSN is never person 1's and person 2 is
    counted (445.63(p)). Only where two numbers or more each have a name column, or where the numbered group's
    unnumbered twin names a person: buyer_first beside buyer2_first, first_name beside first_name_2 are person 1
    and person 2 (until 2026-11-24 buyer 2 was no person of their own and their licence went to buyer 1)."""
    _numbered_others(classes)
    groups: dict[int, list[int]] = {}
    twins: dict[int, list[int]] = {}
    headers = {header_text(cc.name): k for k, cc in enumerate(classes)}
    for k, cc in enumerate(classes):  # one entry per column
        found = numbered_person(cc.name) if cc.classified_as != "other_person" else None
        if found is not None:
            groups.setdefault(found[0], []).append(k)
            # the same header without its number (buyer2_first -> buyer_first, first_name_2 -> first_name)
            twin = headers.get(" ".join(w for w in header_tokens(cc.name) if w != str(found[0])))
            if twin is not None and numbered_person(classes[twin].name) is None:
                twins.setdefault(found[0], []).append(twin)

    named = sorted(n for n, ks in groups.items() if _names_a_person(classes, ks))
    if len(named) == 1 and named[0] > 1 and _names_a_person(classes, twins.get(named[0], [])):
        named = [0, *named]  # the unnumbered twin is the row's first person, its subject
    numbered_ks = {k for ks in groups.values() for k in ks}
    rest = [k for k, cc in enumerate(classes) if k not in numbered_ks and cc.classified_as != "other_person"]
    if named and named[0] > 1 and _names_a_person(classes, rest):
        # buyer2_first beside buyer_first_name (no twin by header, the row's buyer all the same): person 2 is not
        # the row's own person, whose name the row holds elsewhere (until 2026-11-25 buyer 2's SSN was buyer 1's)
        named = [0, *named]
    for n in named[1:]:  # one entry per further person of the row
        _to_other_person(
            classes,
            groups[n],
            f"person {n} of the row's numbered people: their own record, not person {named[0] or 1}'s",
        )


# Words before a numbered group's number that name the row's own kind of person (applicant2_, borrower2_, buyer2_,
# b2_): the row's co-applicants, person 1 (or the unnumbered twin) its subject. Any other word (PAR1_ and PAR2_ of a
# FAFSA row beside its STU_ group, GDN1_, REF2_) names other people beside the row's own person (_numbered_others).
ROW_PEOPLE_LEADS = PERSON_QUALIFIERS | PRIMARY_PARTY_WORDS | ROLE_PERSON_NOUNS | set(CO_CANONICAL)
ROW_PEOPLE_LEADS |= set(CO_CANONICAL.values()) | {"individual", "indv", "prsn", "co", "name", "nm"}
# the extra key of a column of such a group (and of a column the group shares, PAR_STATE_LEGAL_RES): the group's
# words, which co_subjects makes the role of their derived table ("par": RCRAPP_ISIR (par))
NUMBERED_GROUP = "numbered_group"


def _numbered_lead(column: str) -> tuple[str, ...]:
    """The words before a numbered person's number: ('par',) for PAR1_SSN, ('applicant',) for applicant2_ssn; ()
    for first_name_2 (the number last) and for a header of no numbered person."""
    if numbered_person(column) is None:
        return ()
    words = header_tokens(column)
    k = next(i for i, w in enumerate(words) if len(w) == 1 and w in "123456789")
    return tuple(words[:k]) if k < len(words) - 1 else ()


def _numbered_others(classes: list[ColumnClass]) -> None:
    """Numbered people beside the row's own person (a FAFSA row: the student's STU_ columns, the parents' PAR1_ and
    PAR2_, each with their own name and SSN): every numbered group is a person of their own, person 1 as much as
    person 2, and the columns that lead with the group's word but no number (PAR_STATE_LEGAL_RES, PAR_EMAIL) are
    theirs together, never the row's person's. Only where the group's word names nobody of the row's own kind
    (ROW_PEOPLE_LEADS: applicant2_ beside an unqualified name is the row's co-applicant) and the rest of the row
    names a person. Until 2026-11-25 person 1 was the row's subject beside the student: parent 1's SSN was lost,
    and PAR_STATE_LEGAL_RES placed the student while parent 2 took the student's state too."""
    families: dict[tuple[str, ...], list[int]] = {}
    # a column already another person's by a word of its own (ref2_state: the reference's place) is still the
    # family's when no role word of co_subjects reads it
    free = [cc.classified_as != "other_person" or role_in_header(cc.name) is None for cc in classes]
    for k, cc in enumerate(classes):  # one entry per column
        lead = _numbered_lead(cc.name) if free[k] else ()
        if lead and not (len(lead) == 1 and (len(lead[0]) == 1 or lead[0] in ROW_PEOPLE_LEADS)):
            families.setdefault(lead, []).append(k)
    for lead, ks in families.items():  # one entry per group word
        people: dict[int, list[int]] = {}
        for k in ks:  # one entry per column of the family
            people.setdefault(numbered_person(classes[k].name)[0], []).append(k)  # type: ignore[index]
        if not any(_names_a_person(classes, p) for p in people.values()):
            continue
        shared = [
            k
            for k, cc in enumerate(classes)
            if k not in ks
            and free[k]
            and numbered_person(cc.name) is None
            and tuple(header_tokens(cc.name)[: len(lead)]) == lead
            and len(header_tokens(cc.name)) > len(lead)
        ]
        rest = [
            k
            for k, cc in enumerate(classes)
            if k not in ks and k not in shared and cc.classified_as != "other_person"
        ]
        if not _names_a_person(classes, rest):
            continue  # the numbered people are the row's own (GDN1_, GDN2_ of a guardians table)
        family = ks + shared
        _to_other_person(classes, family, f"the row's numbered {' '.join(lead)} people beside its own person")
        for k in family:  # one entry per column of the family
            if classes[k].classified_as == "other_person" and free[k]:
                classes[k].extra[NUMBERED_GROUP] = "_".join(lead)


# the words of a number's header after its party (BILL_PROV_TIN): "prov" before them is a provider anywhere
PARTY_NUMBER_WORDS = {"tin", "ssn", "ein", "fein", "itin", "tax", "taxid", "npi", "ss", "soc"}
# the words of a party's name column after its party (BILL_PROV_NM, RNDR_PROV_FIRST_NAME)
PARTY_NAME_WORDS = {
    "name",
    "names",
    "nm",
    "nme",
    "first",
    "last",
    "fname",
    "lname",
    "full",
    "surname",
    "given",
}


def _party_group(column: str, table: str, own_rows: bool = True) -> tuple[str, ...] | None:
    """The header's words up to the party whose number or name the column is (('bill', 'prov') for BILL_PROV_TIN
    and BILL_PROV_NM, ('rndr',) for RNDR_PROV_TIN, ('provider',) for PROVIDER_SSN, ('emplr',) for EMPLR_TIN), or
    None: no such party, or the table's rows are that party (providers.prov_tin is the row's own). "prov" is a
    provider after a provider's qualifier (bill, rndr, attending, referring: detectors.residency's), before a
    number's word (PROV_TIN) or in a claims or providers table (detectors.residency.PROVIDER_TABLE); elsewhere a
    province (STATE_PROV, PROV_NAME of an address)."""
    words = header_tokens(column)
    own = {_singular(w) for w in header_tokens(table)}
    for k, w in enumerate(words[:-1]):  # the party is never the last word: its number's or name's follows
        party = NUMBERED_PARTY_WORDS.get(w)
        if w in ("prov", "prv"):
            qualified = k > 0 and re.fullmatch(residency.PROVIDER_QUALIFIER, words[k - 1]) is not None
            claims = re.search(residency.PROVIDER_TABLE, header_text(table)) is not None
            numbered = w == "prov" and words[k + 1] in PARTY_NUMBER_WORDS  # (PRV_SSN may be a previous SSN)
            party = "provider" if qualified or claims or numbered else None
        if party is None:
            continue
        if own_rows and (
            party in own
            or any(
                NUMBERED_PARTY_WORDS.get(t, "provider" if t in ("prov", "prv") else t) == party for t in own
            )
        ):
            return None  # providers.prov_tin, employers.emplr_tin: the row's own
        return tuple(words[: k + 1])
    return None


def _someone_elses_row(classes: list[ColumnClass], ks: list[int], table: str) -> bool:
    """Whether a row's provider is not its subject: the table holds claims, encounters or service lines
    (detectors.residency.PROVIDER_TABLE), or the row's name columns `ks` name their person by another role
    (PAT_FIRST_NM, member_last_name)."""
    if re.search(residency.PROVIDER_TABLE, header_text(table)):
        return True
    qualifiers = PERSON_QUALIFIERS | {"pat", "ptnt"}
    return any(
        classes[k].classified_as in NAME_KINDS and qualifiers.intersection(header_tokens(classes[k].name))
        for k in ks
    )


def _other_partys_numbers(classes: list[ColumnClass], table: str) -> None:
    """A number the header gives to another party than the row's subject (a claim line's BILL_PROV_TIN, the billing
    provider's: a solo physician's SSN; RNDR_PROV_TIN, PAYTO_TIN, an employer's EMPLR_TIN, an agency's AGCY_TIN)
    is that party's, never the subject's (445.63(p)(i) "the resident's" SSN): it is a second person of the row
    with the party's name columns (BILL_PROV_NM), a derived table of its own (`CLM_LN (bill_prov)`: counted by
    their own name and number where the name is a person's, and by nothing where it is a firm's), and without
    them nobody's. Where the party's name is the only name of the row (a roster: provider_first_name,
    provider_last_name, provider_ssn) the party is the row's own person, and so is a provider without a name of
    their own beside an unqualified name outside a claim (staff.provider_dl_no). Until 2026-11-25 each patient was counted
    with the billing provider's TIN as their own SSN."""
    groups: dict[tuple[str, ...], list[int]] = {}
    # a table named for the party whose rows reference another person's record (dependent_care_providers.CLIENT_ID:
    # the client's care providers, each row a provider paid by a client): the party is a second person of the
    # client's row where its own name column names it, as in a table named otherwise
    own = {_role_word(w) for w in header_tokens(table)}
    references = any(
        cc.classified_as == "none"
        and (words := header_tokens(cc.name))
        and words[-1] in IDENTIFIER_WORDS
        and {_role_word(w) for w in words[:-1]} & SERVED_PERSON_WORDS - own
        for cc in classes
    )
    owns = set()
    for k, cc in enumerate(classes):  # one entry per column
        if cc.element is None or cc.classified_as == "other_person":
            continue
        group = _party_group(cc.name, table)
        if group is None and references and (group := _party_group(cc.name, table, own_rows=False)):
            owns.add(group)
        if group is not None:
            groups.setdefault(group, []).append(k)
    for group, ks in groups.items():  # one entry per party
        # the party's name, however its values were read: a person's name, running text, or nothing the header
        # allows a person's name for (PROVIDER_NAME: "provider" names a firm's name elsewhere, and a Form 2441's
        # care providers are babysitters and day-care centres alike; the derived table reads the values)
        names = [
            k
            for k, cc in enumerate(classes)
            if cc.classified_as in (*NAME_KINDS, "free_text", "none")
            and tuple(header_tokens(cc.name)[: len(group)]) == group
            and PARTY_NAME_WORDS.intersection(header_tokens(cc.name)[len(group) :])
            and not IDENTIFIER_WORDS.intersection(header_tokens(cc.name)[len(group) :])
        ]
        if group in owns and not names:
            continue  # the table's rows are the party's (providers.prov_tin beside first_name, a member_id)
        rest = [k for k in range(len(classes)) if k not in ks + names]
        if _names_a_person(classes, names) and not _names_a_person(classes, rest) and not references:
            # a roster of the party (provider_first_name, provider_ssn): the row's own person; not where the row
            # references another person's record (a Form 2441's CLIENT_ID): the client's care provider
            continue
        provider = group[-1] in ("prov", "prv") or NUMBERED_PARTY_WORDS.get(group[-1]) == "provider"
        if provider and not names and not _someone_elses_row(classes, rest, table):
            continue  # staff.provider_dl_no beside first_name: a provider's own number, the row's person's
        party = " ".join(group)
        places = _party_places(classes, group, table) if provider else []
        why = f"header names another party than the row's subject ({party})"
        _to_other_person(classes, ks, why)
        # the name and places: the party's, whatever they were read as (the derived table reads them again)
        for k in names + places:
            cc = classes[k]
            if cc.classified_as != "other_person":
                classes[k] = dataclasses.replace(
                    cc,
                    classified_as="other_person",
                    evidence=f"{why} ({cc.classified_as})",
                    extra={**cc.extra, "kind": cc.classified_as},
                )
        for k in ks + names + places:  # one entry per column of the party
            classes[k].extra[NUMBERED_GROUP] = "_".join(group)


PROVIDER_WORDS = {"provider", "providers", "prov", "provs", "prvdr", "prvdrs", "provdr"}
# a reference to the person a party serves or is paid by (CLIENT_ID, customer_id, patient_id, member_id): not to
# staff or to the row's own record (employee_id, user_id, person_id, contact_id)
SERVED_PERSON_WORDS = PERSON_REFERENCE_WORDS - {
    "employee", "emp", "user", "usr", "contact", "person", "individual", "indv", "prsn", "party",
}  # fmt: skip
# the words of a party's place column after its party (PROVIDER_ADDRESS, CARE_PROVIDER_ZIP)
PARTY_PLACE_WORDS = {"address", "addr", "street", "city", "state", "st", "zip", "postal", "zipcode"}


def _party_places(classes: list[ColumnClass], group: tuple[str, ...], table: str) -> list[int]:
    """The place columns of a provider outside a claim (a Form 2441's PROVIDER_ADDRESS: where the babysitter or the
    day-care centre is): the provider's own, given to their record with their name and number, so a provider
    named with an SSN is placed by it (445.72(1)). A claim's provider (BILL_PROV_ST, RNDR_PROV_ZIP, a claims or
    encounters table's PROVIDER_ZIP) is a practice's place, a workplace that places nobody: not given."""
    # the table's words but the provider's own (dependent_care_providers is no claim's)
    claim = " ".join(w for w in header_tokens(table) if w not in PROVIDER_WORDS)
    if re.search(residency.PROVIDER_TABLE, claim) or any(
        re.fullmatch(residency.PROVIDER_QUALIFIER, w) for w in group
    ):
        return []
    return [
        k
        for k, cc in enumerate(classes)
        if cc.classified_as in (*RESIDENCY_KINDS, "free_text", "none")
        and tuple(header_tokens(cc.name)[: len(group)]) == group
        and PARTY_PLACE_WORDS.intersection(header_tokens(cc.name)[len(group) :])
    ]


def _attach_document_types(classes: list[ColumnClass], samples: dict[str, pl.Series]) -> None:
    """An identity-document number column (id_doc_number) beside a document-type column (id_doc_type, an I-9's
    listBDocTitle) whose values name driver licences, state IDs or Social Security cards is a document pair, read
    row by row: rows typed driver licence / state ID are licence numbers (445.63(p)(ii)), rows typed Social Security
    card are SSNs (445.63(p)(i)), rows of another document neither (detectors.drivers_license.ID_DOCUMENT_NUMBER,
    pipeline.records). A number column pairs with the type column of its own stem (`list_c_document_number` with
    `list_c_document_type`: until 2026-11-25 it took List B's type when its own named no licence); only when it has
    none, with the table's one type column, if no other number column claims it and the two stems do not name
    different documents (`id_type` + `document_number`)."""
    type_columns = [
        c.name for c in classes if mentions(c.name, drivers_license.ID_DOCUMENT_TYPE) and c.element is None
    ]
    if not type_columns:
        return
    numbers = [
        k
        for k, cc in enumerate(classes)
        if cc.element is None
        and cc.name not in type_columns
        and mentions(cc.name, drivers_license.ID_DOCUMENT_NUMBER)
    ]
    stem = drivers_license.document_stem
    named = {k: [t for t in type_columns if stem(t) == stem(classes[k].name)] for k in numbers}
    claimed = {t for ts in named.values() for t in ts}
    for k in numbers:  # one entry per column
        cc = classes[k]
        only = type_columns[0] if len(type_columns) == 1 else None
        if len(named[k]) == 1:
            chosen = named[k][0]
        elif (
            not named[k]
            and only is not None
            and only not in claimed
            and (set(stem(only)) <= set(stem(cc.name)) or set(stem(cc.name)) <= set(stem(only)))
        ):
            chosen = only
        else:
            continue
        licences = bool(drivers_license.licence_by_type(samples[chosen]).any())
        ssn_cards = bool(drivers_license.ssn_card_by_type(samples[chosen]).any())
        if not (licences or ssn_cards):
            continue  # its own type column names no licence and no SSN card: no element, whatever another's says
        classes[k] = ColumnClass(
            cc.name,
            "drivers_license" if licences else "ssn",
            f"header '{cc.name}' names an identity document's number and '{chosen}' its type: rows typed "
            "driver licence or state ID are licence / ID card numbers (445.63(p)(ii)), rows typed Social Security "
            "card SSNs (445.63(p)(i)), other documents none",
            cc.values_checked,
            cc.integer_column,
            extra={"type_column": chosen, DOCUMENT_PAIR: True},
        )


def _attach_licence_states(classes: list[ColumnClass]) -> None:
    """A licence column gets its own issuing-state column (dl_state, LicState, id_doc_state, issuing_state): a row
    that column places in Michigan must have Michigan's licence shape (detectors.drivers_license.ISSUING_STATE).
    The state column named like the licence column (co_dl_no with co_dl_st), else the table's only one beside the
    table's only licence column."""
    for k, cc in enumerate(classes):  # one entry per column
        # `dl_state` names the licence but holds its state (MI, OH): no licence column, its states no placeholders
        if cc.classified_as == "drivers_license" and mentions(cc.name, drivers_license.ISSUING_STATE):
            classes[k] = ColumnClass(
                cc.name,
                "none",
                f"header '{cc.name}' names the state that issued a licence, not its number",
                cc.values_checked,
                cc.integer_column,
            )
    states = [
        c.name for c in classes if mentions(c.name, drivers_license.ISSUING_STATE) and c.element is None
    ]
    licences = [cc for cc in classes if cc.classified_as == "drivers_license"]
    if not states or not licences:
        return
    stem = drivers_license.licence_stem
    for cc in licences:  # one entry per licence column
        named = [t for t in states if stem(t) == stem(cc.name)]
        chosen = named[0] if len(named) == 1 else None
        if not named and len(states) == 1 and len(licences) == 1:
            chosen = states[0]
        if chosen:
            cc.extra[LICENCE_STATE] = chosen


# extra key of a licence column's issuing-state column
LICENCE_STATE = "licence_state_column"


def not_michigan_licence_rows(cc: ColumnClass, canonical: pl.Expr) -> pl.Expr | None:
    """Per row of a licence column with an issuing-state column, whether its value (canonical, as the licence
    detector reads it) is placed in Michigan without Michigan's shape; None without such a column."""
    state = cc.extra.get(LICENCE_STATE)
    if not state:
        return None
    return drivers_license.not_michigan_licence(
        canonical, drivers_license.michigan_issued(cleaned(pl.col(state)))
    )


# extra key of a document pair's number column (id_doc_type + id_doc_number): read row by row as two elements
DOCUMENT_PAIR = "document_pair"
# the kinds a document pair's number column is read as, row by row
DOCUMENT_KINDS = ("drivers_license", "ssn")


def document_rows(cc: ColumnClass) -> dict[str, pl.Expr] | None:
    """Per element kind of a document pair's number column (drivers_license, ssn), whether the row's type column
    names that document; None for a column that is no document pair's."""
    if not cc.extra.get(DOCUMENT_PAIR):
        return None
    kind = cleaned(pl.col(cc.extra["type_column"]))
    return {
        "drivers_license": drivers_license.licence_by_type(kind),
        "ssn": drivers_license.ssn_card_by_type(kind),
    }


def _attach_tin_types(classes: list[ColumnClass], subject: str = "") -> None:
    """A TIN column read as SSNs gets the table's TIN-type column (TIN_TYP, tax_id_type), if it has one: the
    type says row by row whether the nine digits are an SSN or a business's EIN (detectors.ssn.TIN_HEADER).
    Only a column whose header names a TIN: an ssn column beside a tin_type is the person's SSN whatever the
    type of the other number says. In a table whose rows are organisations (ClientCorporation.federalTaxID,
    companies.tax_id) the TIN is the organisation's EIN, no SSN; elsewhere a row whose own name is an
    organisation's (a vendors table's `ACME LLC`) holds an EIN, a sole proprietor's row beside it an SSN
    (445.63(p)(i)). Until 2026-11-25 an EIN written without its dash counted as an SSN."""
    types = [c.name for c in classes if mentions(c.name, ssn.TIN_TYPE_HEADER) and c.element is None]
    for cc in classes:  # one entry per column
        if cc.classified_as != "ssn" or not mentions(cc.name, ssn.TIN_HEADER):
            continue
        if ssn.organisation_table(subject, cc.name):
            # every row rejected (kept an element column: a key of the row it is not)
            cc.extra[ORGANISATION_TABLE] = (
                f"table '{subject}' is of organisations: its taxpayer number is an EIN, not an SSN"
            )
            cc.evidence += f"; {cc.extra[ORGANISATION_TABLE]} (445.63(p)(i))"
            continue
        own = [t for t in types if t != cc.name]
        # several type columns: the one named like this column (tax_id -> tax_id_type), else none is sure
        named = [t for t in own if header_text(t).startswith(header_text(cc.name) + " ")]
        chosen = own[0] if len(own) == 1 else named[0] if len(named) == 1 else None
        if chosen:
            cc.extra["type_column"] = chosen
            cc.evidence += f"; per row, '{chosen}' = E / EIN / 1 marks an employer's number, not an SSN"
        if not mentions(cc.name, ssn.PERSON_TIN):
            names_of_rows = [
                c.name
                for c in classes
                if c.classified_as == "full_name"
                or (c.element is None and mentions(c.name, ssn.ORGANISATION_NAME))
            ]
            if names_of_rows:
                cc.extra[ORGANISATION_NAMES] = names_of_rows
                cc.evidence += (
                    f"; a row whose '{names_of_rows[0]}' names an organisation holds its EIN, not an SSN"
                )
            # the row's party type (ACCT_TYPE, CUST_TYPE = B / Business / Commercial / Fleet) says so too
            party_types = [c.name for c in classes if ssn.party_type_column(c.name, c.classified_as)]
            if party_types:
                cc.extra[ORGANISATION_PARTY_TYPES] = party_types
                cc.evidence += f"; a row whose '{party_types[0]}' says business holds its EIN, not an SSN"


def _attach_canadian_places(classes: list[ColumnClass]) -> None:
    """An SSN column (or a document pair's, whose SS card rows are SSNs) gets the row's own place columns that can
    place it in Canada: a Luhn-valid SIN there is no SSN (detectors.ssn.sin_rows, 445.63(p)(i))."""
    places = ssn.canadian_place_columns(classes)
    for cc in classes:
        if places and (cc.classified_as == "ssn" or cc.extra.get(DOCUMENT_PAIR)):
            cc.extra[CANADIAN_PLACES] = places


# extra key of an SSN column: the row's own place columns (name, kind) that can place the row in Canada
CANADIAN_PLACES = "canadian_places"
# extra key of a TIN column: the row's own name columns, an organisation's name there makes the TIN an EIN
ORGANISATION_NAMES = "organisation_names"
# extra key of a TIN column in a table of organisations: why every row holds an EIN
ORGANISATION_TABLE = "organisation_table"
ORGANISATION_EIN = "the row names an organisation (its TIN is an EIN, not an SSN)"
# extra key of a TIN column: the row's party-type columns, a business type there makes the TIN an EIN
ORGANISATION_PARTY_TYPES = "organisation_party_types"


def row_rejections(cc: ColumnClass, canonical: pl.Expr, kind: str | None = None) -> list[tuple[pl.Expr, str]]:
    """Per row of an element column, reasons beyond its type column to reject the row's value, each with the rows
    it holds for: a licence its issuing-state column places in Michigan without Michigan's shape; a TIN of a row
    that names an organisation. `canonical` is the value as the column's detector reads it; `kind` the element
    kind it is judged as (a document pair's column is judged as two), the column's own by default."""
    kind = kind or cc.classified_as
    out = []
    licence = not_michigan_licence_rows(cc, canonical) if kind == "drivers_license" else None
    if licence is not None:
        out.append((licence, drivers_license.NOT_MICHIGAN_LICENCE))
    if kind == "ssn" and cc.extra.get(ORGANISATION_TABLE):
        out.append((canonical.is_not_null(), cc.extra[ORGANISATION_TABLE]))
    organisations = cc.extra.get(ORGANISATION_NAMES) if kind == "ssn" else None
    if organisations:
        rows = pl.any_horizontal([names.organisation(cleaned(pl.col(n))) for n in organisations])
        out.append((rows.fill_null(False), ORGANISATION_EIN))
    if kind == "ssn":  # a Canadian SIN: grouped 3-3-3, or Luhn-valid on a row placed in Canada
        places = cc.extra.get(CANADIAN_PLACES) or []
        in_canada = (
            pl.any_horizontal([ssn.canadian(cleaned(pl.col(n)), k) for n, k in places]) if places else None
        )
        out.append((ssn.sin_rows(cleaned(pl.col(cc.name)), in_canada), ssn.SIN_REASON))
    party_types = cc.extra.get(ORGANISATION_PARTY_TYPES) if kind == "ssn" else None
    if party_types:
        rows = pl.any_horizontal([residency.organisation_type(cleaned(pl.col(n))) for n in party_types])
        out.append((rows.fill_null(False), ORGANISATION_EIN))
    return out


def other_number_rows(cc: ColumnClass) -> pl.Expr | None:
    """Per row of cc's table, whether its type column says cc's value is another kind of number (an EIN in a
    TIN column), for detectors.base.with_verdicts / rejection; None when the column has no type column."""
    type_column = cc.extra.get("type_column")
    if not type_column:
        return None
    pair = document_rows(cc)
    if pair is not None:  # an identity-document pair: rows of another document
        return ~pair[cc.classified_as]
    return ssn.ein_by_type(cleaned(pl.col(type_column)))


def _singular(word: str) -> str:
    """beneficiaries -> beneficiary, payees -> payee, spouses -> spouse."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


# Role abbreviations, spelled out to compare with a table's name (dependents.dep_ssn is the dependant's own)
ROLE_ALIASES = {
    "dep": "dependent",
    "deps": "dependent",
    "depn": "dependent",
    "dependant": "dependent",
    "sps": "spouse",
    "spse": "spouse",
    "bene": "beneficiary",
    "benef": "beneficiary",
    "bnf": "beneficiary",
    "beneficiario": "beneficiary",
    "guar": "guarantor",
    "gtor": "guarantor",
    "emrg": "emergency",
    "emerg": "emergency",
    "conyuge": "spouse",
    "dependiente": "dependent",
}


def _role_word(word: str) -> str:
    w = _singular(word)
    return ROLE_ALIASES.get(w, ROLE_ALIASES.get(word, w))


# a paid party's role words (the payee, the vendor): one role in a table of paid parties
PAID_ROLES = {"payee", "vendor"}


def _names_the_subject(column: str, table: str) -> bool:
    """payees.payee_name, vendors.vendor_ssn, dependents.dep_ssn: the role word is what the table's rows are, so
    it is the subject."""
    role = other_person_role(column)
    roles = {_role_word(w) for w in header_tokens(column) if w in OTHER_PERSON_WORDS or w == role}
    # co_applicants.coapp_ssn: a co-role spelt otherwise in the header than in the table's name
    own = table.split("/")[-1]
    # vendors_1099.PAYEE_NM, suppliers.payee_tin: the party a table of paid parties (a 1099 vendor file, payees,
    # suppliers, contractors, 1099 recipients: detectors.residency.PAYEE_TABLE) pays is its rows' own person,
    # however the header names them (until 2026-11-25 a vendors table's payee was another person: a sole
    # proprietor's name and SSN were two records, and the SSN counted for nobody)
    if roles & PAID_ROLES and re.search(residency.PAYEE_TABLE, header_text(own)):
        return True
    return bool(roles & {_role_word(w) for w in header_tokens(own)}) or (
        role is not None and role == other_person_role(own)
    )


def _integers_as_text(values: pl.Series) -> bool:
    """A text column of bare digits was an integer column before export (CSV from a numeric field): any
    leading zeros it had are gone, so an 8-digit SSN or a 4-digit ZIP in it is padded back."""
    return values.len() > 0 and bool(values.str.contains(r"^\d+$").all())


def classify_column(
    name: str,
    values: pl.DataFrame,
    *,
    integer_column: bool = False,
    licence_state_column: bool = False,
    subject: str = "",
    shares: dict[str, float] | None = None,
    headers: Sequence[str] = (),
    source: str = "",
) -> ColumnClass:
    """Decide one column. `values` is a frame with one String column "v" of cleaned, non-null sampled values.

    `subject` is the table's name: a role word that names the table's own rows (payees.payee_name) is the subject.
    `shares` are the column's value shares when classify_table computed them with the table's other columns.
    `headers` are the table's column names (a providers table's NPI column says whose licence it holds).
    `source` is the name of the database the table came from (bank_account.source_name: telco_billing).
    """
    if shares is None:
        shares = _value_shares({"v": values.get_column("v")})["v"]
    decided = _decide(name, values, integer_column, licence_state_column, shares)
    # A service's account (a carrier's, utility's, patient's, players club's, school lunch's) is no financial
    # account, and its PIN or password opens none (445.63(p)(iii) "that would permit access to any of the
    # resident's financial accounts"): decided by the column's own words, then its table's name, headers and
    # source. A card's own security code (CVV) or a bank's PIN is a financial account's code wherever it is.
    service = (
        bank_account.service_account_reason(name, subject, headers, source)
        if decided.classified_as == "bank_account"
        else access_code.service_code_reason(name, subject, headers, source, values.get_column("v"))
        if decided.classified_as == "access_code"
        else None
    )
    if service and decided.classified_as == "bank_account":
        return ColumnClass(
            name,
            "none",
            f"header '{name}' names an account, but {service}: not a financial account (445.63(p)(iii))",
            decided.values_checked,
            decided.integer_column,
        )
    if service:
        return ColumnClass(
            name,
            "none",
            f"header '{name}' names a PIN or password, but {service}: no access code to a financial account "
            "(445.63(p)(iii))",
            decided.values_checked,
            decided.integer_column,
        )
    # Account numbers with letters (a brokerage's Z45-539407) are a financial account's only where the header, the
    # table's or the source's name says so: an internal customer or billing account code (CUST-00012345) has
    # their shape. A column that is an account column by its other values keeps its lettered ones too.
    # A header whose head word is a code (corp_acct_cd, acct_code) holding letters and digits (CDP0002896) names a
    # code, whatever names the account beside it (since 2026-11-25).
    code_head = decided.classified_as == "bank_account" and mentions(name, bank_account.CODE_HEAD)
    if decided.classified_as == "bank_account" and (
        code_head or not bank_account.names_financial_account(name, subject, headers, source)
    ):
        lettered = _share(values, bank_account.lettered_not_masked(bank_account.normalize(pl.col("v"))))
        rest = decided.share - lettered
        if lettered > 0 and (rest <= 0 or rest < WITH_HEADER * (1.0 - shares["placeholder"])):
            why = (
                "its head word names a code (a rate, discount or programme code)"
                if code_head
                else f"neither the header, table '{subject}' nor its source names a financial account (bank, "
                "brokerage, retirement, loan): an internal account code"
            )
            return ColumnClass(
                name,
                "none",
                f"header '{name}' names an account and {_pct(lettered)} of {decided.values_checked} sampled values "
                f"are letters and digits, but {why}, not a financial account number (445.63(p)(iii))",
                decided.values_checked,
                decided.integer_column,
            )
    if decided.classified_as == "free_text":
        service = access_code.service_code_reason(name, subject, headers, source)
        if service:  # (not returned: a death's status or reason in a patient's table is read below)
            decided = dataclasses.replace(
                decided,
                evidence=f"{decided.evidence}; a PIN or passcode written in it opens a service's account ({service}):"
                " only a card's security code in it is an access code (445.63(p)(iii))",
                extra={**decided.extra, "codes": "card_only"},
            )
    if decided.classified_as == "drivers_license" and drivers_license.professional_licence(
        name, subject, headers
    ):
        return ColumnClass(
            name,
            "none",
            f"header '{name}' names a licence but not a driver licence or state ID, and table '{subject}' is of "
            "licensed professionals or businesses (445.63(p)(ii))",
            decided.values_checked,
            decided.integer_column,
        )
    plate = decided.classified_as == "drivers_license" and drivers_license.vehicle_plate(
        name, values.get_column("v"), subject, headers
    )
    if plate:
        # until 2026-11-25 a parking ticket's LicNo (the plate) counted as a driver licence
        return ColumnClass(
            name,
            "none",
            f"header '{name}' names a licence but no driver licence or state ID: {plate}, no driver licence "
            "number (445.63(p)(ii))",
            decided.values_checked,
            decided.integer_column,
        )
    institution = decided.classified_as == "drivers_license" and drivers_license.institution_card(
        name, subject, headers
    )
    if institution:
        return ColumnClass(
            name,
            "none",
            f"header '{name}' names an ID card but no state: {institution}, no state personal identification "
            "card (445.63(p)(ii))",
            decided.values_checked,
            decided.integer_column,
        )
    not_a_card = decided.classified_as == "drivers_license" and drivers_license.state_identifier(
        name, values.get_column("v"), subject, headers, licence_state_column
    )
    if not_a_card:
        # until 2026-11-24 a school export's state_id (Michigan's UIC) counted as a state ID card number
        return ColumnClass(
            name,
            "none",
            f"header '{name}' names a state's ID, but {not_a_card}: no state personal identification card "
            "number (445.63(p)(ii))",
            decided.values_checked,
            decided.integer_column,
        )
    if decided.classified_as in ("none", "free_text"):
        # a person's death (a flag, a date of death, a vital or patient status): no resident to notify (445.72(1))
        died = deceased.column_evidence(name, values, headers)
        if died is not None:
            decided = ColumnClass(
                name, deceased.KIND, died[1], decided.values_checked, integer_column, 1.0, {"vital": died[0]}
            )
    lead = leading_role(name)
    if lead is not None and decided.classified_as in ("none", "free_text"):
        # the words after the role are the person's own column (joint_app_first, co_app_last): read by them, or
        # "app" (an application's name, names.NOT_A_PERSON) kept the joint applicant's name from being a name
        rest = _decide("_".join(lead[1]), values, integer_column, licence_state_column, shares)
        if rest.classified_as in NAME_KINDS:
            decided = dataclasses.replace(
                rest, name=name, evidence=f"the {lead[0]}'s {rest.name}: " + rest.evidence
            )
    # Another party's place (ATTY_ST, EXECUTOR_ST, PREV_LANDLORD_ST, HONOREE_STATE) is where that party is, never the
    # record subject's home (detectors.residency.OTHER_PARTY; until 2026-11-24 only a leading role word counted)
    party = residency.other_partys_place(name, subject)
    if party and decided.classified_as in ("state", "zip", "address", "city"):
        return dataclasses.replace(
            decided,
            classified_as="other_person",
            evidence=f"header '{name}' names the {party}'s place, not the record subject's home "
            f"(values look like {decided.classified_as})",
        )
    # A bare place column of a table of places that are no one's home (a state tax election's st, an accident's
    # state) is that place (detectors.residency.table_place)
    place = residency.table_place(name, subject, headers)
    if place and decided.classified_as in ("state", "zip", "address", "city"):
        return dataclasses.replace(
            decided,
            classified_as="none",
            evidence=f"header '{name}' of table '{subject}' is {place}, not the record subject's home "
            f"(values look like {decided.classified_as})",
        )
    # Somebody else's element or name (spouse_ssn, emergency_contact_name, beneficiary_name) is not the record
    # subject's: a spouse's SSN next to the customer's name is not the customer's personal information.
    # Their state, ZIP or address too, when the header leads with the role (GUARANTOR_ST, emergency_zip, joint_st,
    # co_app_zip): where a guarantor or a joint applicant lives says nothing of where the patient or the buyer
    # lives (co_subjects gives it to that person's own record). Not a secondary address: that is more often the
    # subject's second address line, unless the row names its secondary person (_second_persons_places).
    leads_with_role = lead is not None and lead[0] != "secondary"
    if (
        about_other_person(name)
        and not _names_the_subject(name, subject)
        and (
            decided.element
            or decided.classified_as in NAME_KINDS + ("access_code", deceased.KIND)
            or (decided.classified_as in RESIDENCY_KINDS and leads_with_role)
        )
    ):
        return ColumnClass(
            name,
            "other_person",
            f"header '{name}' is about another person than the record's "
            f"subject (values look like {decided.classified_as})",
            decided.values_checked,
            decided.integer_column,
            extra={"kind": decided.classified_as},
        )
    return decided


def _decide(
    name: str,
    values: pl.DataFrame,
    integer_column: bool,
    licence_state_column: bool,
    shares: dict[str, float],
) -> ColumnClass:
    n = values.height
    head = header_text(name)

    def out(kind: str, evidence: str, share: float = 0.0, **extra) -> ColumnClass:
        return ColumnClass(name, kind, evidence, n, integer_column, share, extra)

    if n == 0:
        return out("empty", "no non-empty values")
    v = pl.col("v")
    enc_share = shares["encrypted"]

    if shares["json"] >= 0.5:  # nested JSON: its elements are searched like running text's
        return out(
            "free_text",
            f"{_pct(shares['json'])} of {n} sampled values are JSON documents; searched for SSNs, licences, card "
            "numbers and codes with context",
        )
    # Access codes: the header decides; any readable value is a code (445.63(p)(iii)).
    if access_code.names_code(name):  # readable codes, and PIN blocks / offsets / PVVs (encrypted codes)
        return out(
            "access_code",
            f"header '{name}' names a security code, access code or password "
            f"({_pct(enc_share)} of {n} sampled values hashed or encrypted)",
            1.0,
        )

    test_share = shares["test_card"]
    # a column of test numbers only is QA data; one that also holds a real card is a card column, its test
    # numbers rejected value by value (a real card among them still counts: 445.63(p)(iii))
    if test_share >= WITH_HEADER and shares["card"] == 0:
        return out(
            "test_card_number",
            f"{_pct(test_share)} of {n} sampled values are published issuer test card "
            "numbers, which open no resident's account",
            test_share,
        )

    # Elements named by their header: the values only need the element's shape (masked, encrypted or invalid
    # values are still of that element and are judged value by value). A word where the number belongs (INTL for
    # an international student, PENDING) is no answer: the share is of the values that are numbers, or a column
    # of 4 SSNs and 6 placeholders lost its 4 residents (445.63(p)(i)).
    answered = 1.0 - shares["placeholder"]
    for kind, det in ELEMENT_DETECTORS.items():
        if not det.context.says(name):
            continue
        s = _element_shares(det, values, integer_column)
        total = sum(s.values())
        if total > 0 and total >= WITH_HEADER * answered:
            words = f"; {_pct(1.0 - answered)} are words in its place" if answered < 1.0 else ""
            return out(
                kind,
                f"header '{name}' names {det.citation}; {_pct(total)} of {n} sampled values have its shape "
                f"({_pct(s['unredacted'])} whole and valid, {_pct(s['redacted'])} redacted, "
                f"{_pct(s['encrypted'])} encrypted, {_pct(s['shaped_rejected'])} invalid){words}",
                total,
                **s,
            )

    if routing.CONTEXT.says(name):
        share = _share(values, routing.valid(v, integer_column))
        if share >= WITH_HEADER:
            return out(
                "routing_number",
                f"header '{name}'; {_pct(share)} of {n} sampled values pass the ABA "
                "checksum (a routing number identifies a bank, not an account)",
                share,
            )

    # a column of plain UUIDs under an identifier's header (id, customer_id, ref) is a key, not a token of an
    # element: as "encrypted" it was never a link candidate, and a CSV export's UUID keys linked nothing
    uuid_key = shares["uuid"] >= ENCRYPTED_COLUMN and bool(set(header_tokens(name)) & IDENTIFIER_WORDS)
    if enc_share >= ENCRYPTED_COLUMN and not uuid_key:
        return out(
            "encrypted",
            f"{_pct(enc_share)} of {n} sampled values are ciphertext, digests or tokens, and "
            f"the header '{name}' names no element",
            enc_share,
        )

    # Names (445.63(p)): header first, values must look like names.
    if names.INITIAL.says(name):
        share = _share(values, v.str.normalize("NFC").str.contains(rf"^{names.LETTER}\.?$"))
        if share >= WITH_HEADER:
            return out(
                "first_initial", f"header '{name}'; {_pct(share)} of {n} sampled values are one letter", share
            )
    if names.FIRST.says(name):
        share = _share(values, names.first_part(v).is_not_null())
        if share >= WITH_HEADER:
            return out(
                "first_name", f"header '{name}'; {_pct(share)} of {n} sampled values are name words", share
            )
    if names.LAST.says(name):
        share = _share(values, names.last_part(v).is_not_null())
        if share >= WITH_HEADER:
            return out(
                "last_name", f"header '{name}'; {_pct(share)} of {n} sampled values are name words", share
            )
    # Goods read as names: "Blue Mug", "Tea Towel" are two capitalised words, a first and a last name to the
    # values check. A column many of whose values end in a word of goods (detectors.names.product_like) lists
    # products, whatever its header says (an order's "Lineitem name", a catalogue's "Item Name"), and is no name
    # column: until 2026-11-25 an order export's product was the buyer's name (445.63(p)).
    products = (
        _share(values, names.product_like(v))
        if names.FULL.says(name) or names.FULL_ORDERED.says(name) or names.REGISTRATION_HEADER.says(name)
        else 0.0
    )
    if products >= PRODUCT_COLUMN:
        return out(
            "none",
            f"header '{name}' names a name, but {_pct(products)} of {n} sampled values end in a word of goods "
            "(Mug, Towel, Set, Shirt ...): products, not people (445.63(p))",
            products,
        )
    if names.FULL.says(name) or names.FULL_ORDERED.says(name):
        first, last = names.split_full_name(v)
        share = _share(values, first.is_not_null() & last.is_not_null())
        needed = (
            WITHOUT_HEADER - 0.1
            if mentions(name, names.FULL_NEEDS_VALUES) and "name" not in head.split()
            else 0.5
        )
        if share >= needed:
            return out(
                "full_name",
                f"header '{name}'; {_pct(share)} of {n} sampled values are a first name or "
                "initial and a last name",
                share,
            )
        # A payee or vendor column mixes organisations and people: the decision is per value (an organisation
        # is never a name, split_full_name drops it), so the people among the organisations still count.
        companies = _share(values, names.organisation(v))
        if companies < 1 and share >= 0.1 and share / (1 - companies) >= needed:
            return out(
                "full_name",
                f"header '{name}'; {_pct(share)} of {n} sampled values are a first name or initial and a last "
                f"name, {_pct(companies)} are organisations (never counted as names, value by value)",
                share,
            )
        # A holder's column (cc_holder, card_holder, acct_hldr, cardholder) holds the name on the card or account
        # as each payer typed it: one who typed a first name alone (Sam) is no one's whole name and is not counted,
        # but is a name of the column, and does not take every other holder's name from their card. The decision
        # is per value, as for organisations above (until 2026-11-25 one guest in three who typed a first name
        # alone left the column no name column, and the named payers beside their card and CVV counted nobody).
        if set(header_tokens(name)) & HOLDER_WORDS or mentions(name, NAME_ON_CARD):
            alone = _share(
                values, first.is_null() & names.first_part(v).is_not_null() & ~v.str.contains(r"\s")
            )
            if share >= 0.1 and share + alone + companies >= needed:
                return out(
                    "full_name",
                    f"header '{name}' names a holder; {_pct(share)} of {n} sampled values are a first name or "
                    f"initial and a last name, {_pct(alone)} a first name alone and {_pct(companies)} "
                    "organisations (counted as names value by value: only whole names)",
                    share,
                )

    # An account's title or registration (acct_title, account_name, reg_line_1): the owner's name with the account's
    # form (JOHN A SMITH IRA), or the account's purpose ("Operating Account", "Payroll"). A name column only where
    # the values name people once the form's words are dropped (detectors.names.full_name_parts reads them), none
    # of whom reads as an account's purpose; trusts, plans and firms (SMITH FAMILY TRUST) are no people and are
    # left out of the share, as in a payee column.
    if names.REGISTRATION_HEADER.says(name):
        parts = names.full_name_parts(v)
        first, last = parts.struct.field("first"), parts.struct.field("last")
        person = (
            first.is_not_null()
            & last.is_not_null()
            & ~pl.concat_str([first, last], separator=" ").str.contains(names.ACCOUNT_PURPOSE)
        )
        share = _share(values, person)
        companies = _share(values, names.organisation(v))
        if companies < 1 and share >= 0.1 and share / (1 - companies) >= WITH_HEADER:
            return out(
                "full_name",
                f"header '{name}' names an account's title or registration; {_pct(share)} of {n} sampled values "
                "name a first name or initial and a last name once the registration's words (IRA, JTWROS, TTEE, "
                f"CUST, TOD ...) are dropped, {_pct(companies)} are trusts, plans or firms (never names)",
                share,
            )

    # Residency and contact data. A country column says whether a state field is a US state at all ('Mich.'
    # beside MX is Michoacán): country names and codes, not numbers.
    if residency.COUNTRY.says(name):
        share = _share(values, v.str.contains(r"^[A-Za-z][A-Za-z .'()-]{1,40}$|^840$"))
        if share >= 0.6:
            return out(
                "country",
                f"header '{name}'; {_pct(share)} of {n} sampled values are country names or codes",
                share,
            )
    if residency.STATE.says(name):
        share = _share(values, residency.state_code(v).is_not_null() | residency.foreign_region(v))
        if share >= WITH_HEADER:
            return out(
                "state",
                f"header '{name}'; {_pct(share)} of {n} sampled values are US states or Canadian provinces",
                share,
            )
    if residency.ZIP.says(name):
        share = _share(values, residency.zip5(v, integer_column).is_not_null() | residency.foreign_postal(v))
        if share >= WITH_HEADER:
            return out(
                "zip",
                f"header '{name}'; {_pct(share)} of {n} sampled values are ZIP or Canadian postal codes",
                share,
            )
    if contact.EMAIL.says(name) or shares["email"] >= WITHOUT_HEADER:
        share = shares["email"]
        if share >= WITH_HEADER:
            return out("email", f"{_pct(share)} of {n} sampled values are e-mail addresses", share)
    if residency.ADDRESS.says(name):
        return out("address", f"header '{name}' names a postal address")
    if residency.CITY.says(name):
        return out("city", f"header '{name}' names a city")
    if contact.PHONE.says(name):
        return out("phone", f"header '{name}' names a telephone number")

    # Elements without a header that names them: the values must pass the element's own checks nearly always,
    # and the header must not name another kind of number.
    card_share = shares["card"]
    if card_share >= WITHOUT_HEADER and not card.CONTEXT.denies(name):
        return out(
            "card_number",
            f"{_pct(card_share)} of {n} sampled values pass Luhn with a card issuer prefix "
            f"(header '{name}' names no other number)",
            card_share,
            **_element_shares(card.DETECTOR, values, integer_column),
        )
    ssn_dashed = shares["ssn_dashed"]
    ssn_masked = shares["ssn_masked_dashed"]
    # redacted values are SSNs of the column too: a column of 80 readable and 20 masked SSNs is an SSN column
    if ssn_dashed > 0 and ssn_dashed + ssn_masked >= WITHOUT_HEADER and not ssn.CONTEXT.denies(name):
        return out(
            "ssn",
            f"{_pct(ssn_dashed)} of {n} sampled values are SSA-valid numbers written NNN-NN-NNNN and "
            f"{_pct(ssn_masked)} the same shape masked (header '{name}' names no other number)",
            ssn_dashed,
            **_element_shares(ssn.DETECTOR, values, integer_column),
        )
    mi_share = shares["michigan_licence"]
    if mi_share >= WITHOUT_HEADER:
        if (
            licence_state_column
            and mentions(name, drivers_license.NUMBER_HEADER)
            and not drivers_license.CONTEXT.denies(name)
        ):
            return out(
                "drivers_license",
                f"{_pct(mi_share)} of {n} sampled values have the Michigan licence format "
                "and the table has a licence-state column",
                mi_share,
                **_element_shares(drivers_license.DETECTOR, values, integer_column),
            )
        return out(
            "none",
            f"{_pct(mi_share)} of {n} sampled values have the Michigan licence shape, but neither "
            f"the header '{name}' nor the table says licence: invoice and reference numbers share that shape",
        )

    if free_text.CONTEXT.says(name) or shares["text"] >= 0.5:
        return out(
            "free_text",
            f"header '{name}' or its values are running text; searched for SSNs and card numbers "
            "with context",
        )
    # Ten digits with a NANP area code and exchange are a telephone number only where the header names no key: a
    # member, account or customer number (MEMBER_NBR, acct_no, cust_id) of ten digits is that record's key, and
    # read as a telephone number (never a key) it linked nothing.
    # Nor under a routing number's header (RTN, DD_RTN): a bank's number that fails the ABA checksum is still no
    # telephone number (since 2026-11-25).
    if (
        shares["phone"] >= WITHOUT_HEADER
        and not set(header_tokens(name)) & KEY_HEADER_WORDS
        and not routing.CONTEXT.says(name)
    ):
        return out("phone", f"values of '{name}' are telephone numbers")
    return out("none", "no element, name or residency evidence in header or values")


# Whose death a column qualified by a person (insured_death_date, subscriber_dod, employee_deceased) records, where
# that person's name is not in the row: a sponsor's (the policy's insured, a plan's participant or employee, a
# claim's subscriber), never the row's named person's, unless the table's rows are that person
# (employees.employee_dod); in a second person's table (beneficiaries, dependents) any such qualified column
# is the person the row hangs from (a beneficiary's row of a life policy carries the insured's date of death).
# (and an heir, a survivor, a loan's successor in interest: deceased.SURVIVOR_WORDS)
SURVIVOR_TABLES = {"beneficiary"} | deceased.SURVIVOR_WORDS
DEATH_OF_SPONSOR = (SPONSOR_QUALIFIERS - {"primary", "principal"}) | {"insured", "insd"}


def _another_persons_death(classes: list[ColumnClass], subject: str) -> None:
    """A death column of a person the row does not name is not the row's person's (445.72(1)): until 2026-11-25 no
    death was read; read naively, a beneficiary would be left out for the insured's date of death."""
    own = {_role_word(w) for w in header_tokens(subject)}
    # a survivor's row (successors, or a row named by SUCCESSOR_NAME): the decedent's own columns beside the survivor's
    # (DECEDENT_NAME, DECEDENT_SSN) are the decedent's, never the survivor's name or number (until 2026-11-25 the
    # successor took the decedent's name and was left out as deceased)
    survivor = any(c.classified_as in NAME_KINDS and deceased.names_survivor(c.name) for c in classes)
    if own & SURVIVOR_TABLES or survivor:  # (not the survivor's own: heirs.heir_deceased)
        roles = [{_role_word(w) for w in header_tokens(c.name)} & (own | SURVIVOR_TABLES) for c in classes]
        decedents = [k for k, c in enumerate(classes) if deceased.names_decedent(c.name) and not roles[k]]
        _to_other_person(classes, decedents, "the decedent's, beside the survivor the row is about")
    if not any(cc.classified_as == deceased.KIND for cc in classes):
        return
    second_person_table = bool(own & SECOND_PERSON_TABLES)
    named_qualifiers = {
        found[0]
        for cc in classes
        if cc.classified_as in NAME_KINDS and (found := qualified_person(cc.name)) is not None
    }
    # a beneficiary's, heir's or survivor's row is there because somebody else died: its death columns, qualified
    # or not, are that person's (survivors.date_of_death), unless they name the table's own role (bene_dod)
    survivors = bool(own & SURVIVOR_TABLES) or survivor
    for k, cc in enumerate(classes):  # one entry per column
        if cc.classified_as != deceased.KIND:
            continue
        found = qualified_person(cc.name)
        roles = {_role_word(w) for w in header_tokens(cc.name)}
        if survivors and not roles & own:
            whose = f"the {found[0]}'s" if found else "somebody else's (the row's person survives them)"
        elif found is None or found[0] in named_qualifiers or _role_word(found[0]) in own:
            continue  # the row's person's: the row names that person, or its rows are them (patients.patient_dod)
        elif second_person_table or found[0] in DEATH_OF_SPONSOR:
            whose = f"the {found[0]}'s, whom the row does not name"
        else:
            continue
        classes[k] = dataclasses.replace(
            cc,
            classified_as="other_person",
            evidence=f"header '{cc.name}' records a death: {whose}, not the row's person's ({cc.evidence})",
            extra={**cc.extra, "kind": deceased.KIND},
        )
