"""Per-record evaluation: which elements each record holds, in what form, whether it names a person, where they live.

Every classified column is evaluated in full (not sampled) with the detectors' expressions; the verdicts of a
record's columns are then combined. One table at a time, one select per table, no Python over rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from detectors import access_code, contact, deceased, free_text, names, residency
from detectors.base import ENCRYPTED, RANK, REDACTED, REJECTED, UNREDACTED, rejection, with_verdicts
from detectors.common import account_party, cleaned, header_tokens, mentions
from pipeline.classify import (
    ACCOUNT_PARTIES,
    DOCUMENT_KINDS,
    ELEMENT_DETECTORS,
    ColumnClass,
    document_rows,
    other_number_rows,
    row_rejections,
)
from pipeline.tables import ROW, WORD, Table, in_row_order

ELEMENTS = ("ssn", "drivers_license", "financial_account")
STATUS_OF_RANK = {3: UNREDACTED, 2: ENCRYPTED, 1: REDACTED}
# element -> its key in a free-text column's found_in_text counts (exposure.json; "code" counts access codes)
FOUND_IN_TEXT = {"ssn": "ssn", "drivers_license": "drivers_license", "financial_account": "card"}
WHOLE = "__first_name_value"  # the first-name field's cleaned value, for _whole_name_in_first_name
# the source of an element found inside a text column (`NOTE_TEXT (free text)`): a quotation, weaker than a column's
# own value (individuals._quoted: it never joins two people whose names differ)
FREE_TEXT = " (free text)"

NOT_HOLDER = "not_holder"
PLACE_ENDED = "place_ended"
# A flag saying a row's person lives with the person its other reference reaches (PowerSchool's
# STUDENTCONTACTASSOC.LIVESWITH, lives_with, resides_with_student, same_household): its yes values
LIVES_WITH = r"\b(lives? ?with|living ?with|resides? ?with|residing ?with|same household)\b"
LIVES_WITH_YES = ["1", "y", "yes", "true", "t", "x", "-1", "on"]


def lives_with_column(name: str) -> bool:
    """Whether a header says, row by row, that the row's person lives with the person the row references."""
    return mentions(name, LIVES_WITH)


RECORD_SCHEMA = {
    "table": WORD,
    ROW: pl.UInt64,
    "first_name": pl.String,
    "last_name": pl.String,
    "has_name": pl.Boolean,
    "name_key": pl.String,
    "first_key": pl.String,
    "full_name_key": pl.String,
    "email": pl.String,
    "phone": pl.String,
    "address": pl.String,
    "city": pl.String,
    "state": WORD,
    "zip": pl.String,
    "residency": WORD,
    # from ship-to, delivery, service and former addresses only: evidence where nothing else places the person
    "residency_secondary": WORD,
    **{
        f"{e}_{part}": WORD if part in ("status", "source") else pl.String
        for e in ELEMENTS
        for part in ("status", "value", "masked", "source")
    },
    "access_code_status": WORD,
    "access_code_source": WORD,
    # a column of the record says its person died (a flag, a date of death, a vital status: detectors/deceased.py),
    # or says they live (deceased = N, vital_status = ALIVE); neither when nothing is said (445.72(1) "resident")
    "deceased": pl.Boolean,
    "living": pl.Boolean,
    # the row's party holds no access to the account it carries (a NAME table's BENEFICIARY row): never a holder of
    # the account's own rows (classify._account_parties, individuals._account_rows_of_every_holder)
    NOT_HOLDER: pl.Boolean,
    # a row without a place of its own says it has ended (an end date passed, a current flag N): the place it
    # references (a person-address association's address, a lease's unit) is a former one (individuals.resolve)
    PLACE_ENDED: pl.Boolean,
}


# Words of a table's name, or of its rows' own name columns, saying that its rows are a party authorised on somebody
# else's loan or account: a third-party authorisation (THIRD_PARTY_AUTH, AUTH_PARTY_NAME, authorized_third_parties),
# a housing counselor, the borrower's attorney, an authorised agent or representative. The servicer may talk to such
# a party about the loan, or the party may act on it for the borrower; the party holds it not. Only its holders
# (borrowers, co-borrowers, joint owners) are affected by its number (445.63(p)(iii) "the resident's financial
# accounts"): until 2026-11-25, under the account_numbers_alone reading, the counselor who quoted the loan number
# was counted as holding it.
THIRD_WORDS = {"third", "thirdparty"}
PARTY_WORDS = {"party", "parties", "pty", "prty"}
AUTHORISED_WORDS = {"auth", "authorization", "authorisation", "authorizations", "authorisations"}
AUTHORISED_WORDS |= {"authorized", "authorised", "authorizedparty", "authorisedparty", "authzn", "authd"}
COUNSELOR_WORDS = {"counselor", "counselors", "counsellor", "counsellors", "counseling", "counselling"}
COUNSELOR_WORDS |= {"cnslr"}
ATTORNEY_WORDS = {"attorney", "attorneys", "atty", "attys", "lawyer", "lawyers", "counsel"}
# an agent or a representative acts for the holder only where an authorisation says so (an agents table may hold
# an agent's own commission account)
ACTING_WORDS = ATTORNEY_WORDS | {"agent", "agents", "agt", "representative", "representatives", "rep", "reps"}
# an attorney-in-fact (power of attorney) acts on the account with the owner's authority: a holder, as a role
# value says (detectors.common.HOLDER_PARTY_NOUNS)
ATTORNEY_IN_FACT_WORDS = {"power", "poa", "fact", "pwr"}
# a party paying with its own account or card (a third-party payer's ACH draft): that account is the payer's own
PAYING_WORDS = {"pay", "payment", "payments", "pmt", "pmts", "payer", "payor", "payers", "payors", "ach"}
PAYING_WORDS |= {"draft", "drafts", "remit", "remittance", "remitter", "autopay", "paid"}


def _names_authorised_party(words: set[str]) -> bool:
    """Whether header or table words name a party authorised on somebody else's loan or account (THIRD_WORDS)."""
    if words & PAYING_WORDS:
        return False
    third = bool(words & {"thirdparty"}) or bool(words & THIRD_WORDS and words & PARTY_WORDS)
    authorised = bool(words & AUTHORISED_WORDS and words & (PARTY_WORDS | ACTING_WORDS | {"authorizedparty"}))
    attorney = bool(words & ATTORNEY_WORDS) and not words & ATTORNEY_IN_FACT_WORDS
    return third or authorised or bool(words & COUNSELOR_WORDS) or attorney


def authorised_third_party(table: str, classes: list[ColumnClass]) -> bool:
    """Whether the table's rows are parties authorised on somebody else's loan or account (a housing counselor, a
    third party the borrower authorised, the borrower's attorney), by its name or its rows' own name columns: their
    account and card numbers are the holders', never theirs (NOT_HOLDER). Not where a routing number is beside the
    number, or the number's own header names the party (counselor_acct_no): that account is the party's own."""
    accounts = [cc for cc in classes if cc.classified_as in ("bank_account", "card_number")]
    if not accounts or any(cc.classified_as == "routing_number" for cc in classes):
        return False
    if any(_names_authorised_party(set(header_tokens(cc.name))) for cc in accounts):
        return False
    own = re.split(r"[/#!]", table)[-1].split(" (")[0]  # a derived table's role is its own party's
    if _names_authorised_party(set(header_tokens(own))):
        return True
    named = [cc.name for cc in classes if cc.classified_as in ("first_name", "last_name", "full_name")]
    return any(_names_authorised_party(set(header_tokens(name))) for name in named)


@dataclass
class ColumnStats:
    """Full-column counts for one element column (all rows, not the sample)."""

    unredacted: int = 0
    redacted: int = 0
    encrypted: int = 0
    rejected: int = 0
    rejected_reasons: dict[str, int] | None = None
    found_in_text: dict[str, int] | None = None  # free-text columns: values holding an SSN / a card number


def _current(value: pl.Expr, former: pl.Expr | None) -> pl.Expr:
    """A postal field to show and match on, not a former address's (the notice goes where the person lives)."""
    return value if former is None else pl.when(former).then(None).otherwise(value)


def _first_not_null(exprs: list[pl.Expr], dtype=pl.String) -> pl.Expr:
    return pl.coalesce(exprs) if exprs else pl.lit(None, dtype=dtype)


def evaluate_table(table: Table, classes: list[ColumnClass]) -> tuple[pl.DataFrame, dict[str, ColumnStats]]:
    """One row per record of `table` with the columns of RECORD_SCHEMA, plus full-column stats per element column."""
    wide: list[pl.Expr] = [pl.col(ROW).cast(pl.UInt64)]
    pre: list[pl.Expr] = []  # values found inside text, computed once and then judged like column values
    staged: list[tuple] = []  # element columns: verdicts computed in stages (detectors.base.with_verdicts)
    parts: dict[str, list[tuple[str, str, str]]] = {
        e: [] for e in ELEMENTS
    }  # element -> (status, value, mask) cols
    firsts, lasts, initials, states, zips, emails, phones, addresses, cities = ([] for _ in range(9))
    secondary_states: list[
        pl.Expr
    ] = []  # ship-to / delivery / service states and ZIPs (residency.SHIPPED_TO)
    secondary_zips: list[pl.Expr] = []
    # previous / prior / former states, ZIPs and addresses (residency.FORMER): weak evidence, never shown
    former_states: list[pl.Expr] = []
    former_zips: list[pl.Expr] = []
    weak_cities: list[pl.Expr] = []  # a ship-to's or a property's city: shown only where no own city is
    states_of = {"own": states, "shipped": secondary_states, "former": former_states}
    zips_of = {"own": zips, "shipped": secondary_zips, "former": former_zips}
    abroad: list[pl.Expr] = []  # country columns: outside the US, a state field is not a US state
    # a Canadian province, postal code or address: a place outside Michigan, like another state's (it outweighs no
    # Michigan evidence, unlike a country column, which says what the record's state field means)
    foreign: list[pl.Expr] = []
    whole_names: list[pl.Expr] = []  # first-name columns: a whole name may have been typed into one
    # the row names an organisation (a company-name column, a firm in a name column, a business party type)
    organisation: list[pl.Expr] = []
    # ...and whether it names a person at all: any part of a name, or a personal number (an SSN, a licence)
    person: list[pl.Expr] = []
    codes: list[str] = []
    element_columns: list[tuple[str, str]] = []
    vitals: list[pl.Expr] = []  # per death column: DECEASED, LIVING or null (detectors.deceased.vital)

    # Every column is cleaned once, as its own column: the detectors refer to the cleaned value many times, and
    # an expression passed in place of a column would be re-evaluated at each reference.
    # (columns no branch below reads are never computed: the final select prunes them)
    clean = [cleaned(pl.col(cc.name)).alias(f"__{i}_clean") for i, cc in enumerate(classes)]
    # Which evidence each place column gives, row by row (own, shipped, former): its header's kind, a property's
    # occupancy, the end column of its own place (_place_buckets)
    buckets, staged_tests, own_place_ends = _place_buckets(table.name, classes)
    pre += staged_tests
    for i, cc in enumerate(classes):
        v = pl.col(f"__{i}_clean")
        kind = cc.classified_as
        pair = document_rows(cc)
        if pair is not None:
            # an identity-document pair's number column (id_doc_type + id_doc_number): judged as a licence on rows
            # typed licence / state ID and as an SSN on rows typed Social Security card (whose number is the SSN,
            # 445.63(p)(i)); each evaluation rejects the other rows. The column's own verdict (its stats) is the
            # one its row's type names; a row of another document is rejected.
            whys = {}
            for doc in DOCUMENT_KINDS:  # two kinds: licence and SSN
                det = ELEMENT_DETECTORS[doc]
                pre.append((~pair[doc]).alias(f"__{i}_{doc}_other"))
                other, issued = _rows_rejected(pre, cc, doc, v, f"{i}_{doc}", pl.col(f"__{i}_{doc}_other"))
                staged.append((det, v, f"__{i}_{doc}_", cc.integer_column, other))
                st, c, rv = pl.col(f"__{i}_{doc}_st"), pl.col(f"__{i}_{doc}_c"), pl.col(f"__{i}_{doc}_v")
                wide += _verdict_columns(det, st, c, f"{i}_{doc}")
                whys[doc] = pl.when(st == REJECTED).then(issued(rejection(det, rv, c, other)))
                parts[det.element].append((f"{i}_{doc}_st", f"{i}_{doc}_val", f"{i}_{doc}_mask", cc.name))
            ssn_row = ~pl.col(f"__{i}_ssn_other")
            wide += [
                pl.when(ssn_row)
                .then(pl.col(f"__{i}_ssn_st"))
                .otherwise(pl.col(f"__{i}_drivers_license_st"))
                .alias(f"{i}_st"),
                pl.when(ssn_row)
                .then(pl.concat_str([pl.lit("as an SSN: "), whys["ssn"]]))
                .otherwise(whys["drivers_license"])
                .alias(f"{i}_why"),
            ]
            element_columns.append((cc.name, f"{i}"))
        elif kind in ELEMENT_DETECTORS:
            det = ELEMENT_DETECTORS[kind]
            if det.element in ("ssn", "drivers_license"):
                person.append(v.is_not_null())
            other = other_number_rows(cc)  # a TIN-type column: rows whose type says EIN are not SSNs
            if other is not None:  # read by the verdict and by the rejection reason: staged once
                pre.append(other.alias(f"__{i}_other"))
                other = pl.col(f"__{i}_other")
            other, issued = _rows_rejected(pre, cc, kind, v, f"{i}", other)
            staged.append((det, v, f"__{i}_", cc.integer_column, other))
            st, c, rv = pl.col(f"__{i}_st"), pl.col(f"__{i}_c"), pl.col(f"__{i}_v")
            wide += _verdict_columns(det, st, c, f"{i}")
            wide.append(pl.when(st == REJECTED).then(issued(rejection(det, rv, c, other))).alias(f"{i}_why"))
            parts[det.element].append((f"{i}_st", f"{i}_val", f"{i}_mask", cc.name))
            element_columns.append((cc.name, f"{i}"))
        elif kind == "free_text":
            pre += [
                free_text.ssns(v).list.first().alias(f"{i}_ssn"),
                free_text.cards(v).list.first().alias(f"{i}_card"),
                free_text.licences(v).list.first().alias(f"{i}_dl"),
                # in a service's table a PIN or passcode written in the text opens the service's account (classify:
                # codes "card_only"); a card's security code written there is still the card's
                free_text.codes(
                    v.str.replace_all(access_code.NOT_CARD_CODE_IN_TEXT, " ")
                    if cc.extra.get("codes") == "card_only"
                    else v
                )
                .list.first()
                .alias(f"{i}_textcode"),
            ]
            wide += [
                pl.col(f"{i}_ssn"),
                pl.col(f"{i}_card"),
                pl.col(f"{i}_dl"),
                # a code written in the text is an access code of the record, like a code column's value
                pl.when(pl.col(f"{i}_textcode").is_not_null())
                .then(pl.lit(access_code.PRESENT))
                .alias(f"{i}_code"),
            ]
            codes.append(f"{i}_code")
            element_columns.append((cc.name, f"{i}"))
            for element, col, det_kind in (
                ("ssn", f"{i}_ssn", "ssn"),
                ("financial_account", f"{i}_card", "card_number"),
                ("drivers_license", f"{i}_dl", "drivers_license"),
            ):
                det = ELEMENT_DETECTORS[det_kind]
                wide += [
                    pl.when(pl.col(col).is_not_null()).then(pl.lit(UNREDACTED)).alias(f"{col}_st"),
                    det.mask(pl.col(col)).alias(f"{col}_mask"),
                ]
                parts[element].append((f"{col}_st", col, f"{col}_mask", f"{cc.name}{FREE_TEXT}"))
        elif kind == "access_code":
            # the header says whether the values are a PIN block or offset (encrypted codes)
            wide.append(access_code.status(v, cc.name).alias(f"{i}_code"))
            codes.append(f"{i}_code")
            element_columns.append((cc.name, f"{i}"))
        elif kind == deceased.KIND:
            vitals.append(deceased.vital(v, cc.extra.get("vital", deceased.FLAG), cc.name))
        elif kind == "first_name":
            person.append(v.is_not_null())
            firsts.append(names.first_part(v))
            whole_names.append(v)  # a whole name typed into it? (read below, where no last name is given)
        elif kind == "first_initial":
            person.append(v.is_not_null())
            initials.append(names.first_part(v))
        elif kind == "last_name":
            person.append(v.is_not_null())
            lasts.append(names.last_part(v))
        elif kind == "full_name":
            # the split staged as a column: its two fields read from it, not the split computed for each
            pre.append(names.full_name_parts(v).alias(f"{i}_name"))
            firsts.append(pl.col(f"{i}_name").struct.field("first"))
            lasts.append(pl.col(f"{i}_name").struct.field("last"))
            organisation.append(pl.col(f"{i}_name").struct.field("organisation").fill_null(False))
            person.append(
                v.is_not_null() & ~pl.col(f"{i}_name").struct.field("organisation").fill_null(False)
            )
        # states and ZIPs are read three times below (Michigan evidence, any evidence, the shown value): staged
        # as columns so each regex and lookup runs once per value, not once per reference
        elif kind == "state":
            pre.append(residency.state_code(v).alias(f"{i}_state"))
            for bucket, when in buckets[i]:
                states_of[bucket].append(_where(pl.col(f"{i}_state"), when))
                if bucket == "own":  # a Canadian province: evidence of a place outside Michigan
                    foreign.append(_where(residency.foreign_region(v), when))
        elif kind == "zip":
            pre.append(residency.zip5(v, cc.integer_column).alias(f"{i}_zip"))
            for bucket, when in buckets[i]:
                zips_of[bucket].append(_where(pl.col(f"{i}_zip"), when))
                if bucket == "own":
                    foreign.append(_where(residency.foreign_postal(v), when))
        elif kind == "address":
            st, z = residency.from_address(v)
            pre += [st.alias(f"{i}_state"), z.alias(f"{i}_zip")]
            for bucket, when in buckets[i]:
                states_of[bucket].append(_where(pl.col(f"{i}_state"), when))
                zips_of[bucket].append(_where(pl.col(f"{i}_zip"), when))
                if bucket == "own":  # a delivery or former address is not the person's for name + address
                    foreign.append(_where(residency.foreign_address(v), when))
                    addresses.append(_where(v, when))
        elif kind == "city":
            # the city shown beside the state: the person's own first, a delivery's or a property's only where no
            # own city is given, a former one never
            for bucket, when in buckets[i]:
                (cities if bucket == "own" else weak_cities if bucket == "shipped" else []).append(
                    _where(v, when)
                )
        elif kind == "country":
            pre.append(residency.outside_us(v).alias(f"{i}_abroad"))  # read by every piece of evidence
            abroad.append(pl.col(f"{i}_abroad"))
        elif kind == "email":
            emails.append(contact.email(v))
        elif kind == "phone":
            phones.append(v)
        elif kind == "none" and residency.organisation_column(cc.name):
            organisation.append(residency.names_organisation(v).fill_null(False))
        elif kind == "none" and residency.party_type_column(cc.name):
            organisation.append(residency.organisation_type(v).fill_null(False))

    decedent_names = [
        pl.col(f"__{i}_clean").is_not_null()
        for i, cc in enumerate(classes)
        if cc.classified_as in ("first_name", "last_name", "full_name") and deceased.names_decedent(cc.name)
    ]
    wide += _vital_columns(vitals, decedent_names)

    # Any state or ZIP of the record is evidence (billing and home state alike); Michigan evidence wins.
    # A record whose country is not the US lives elsewhere whatever its state field says ('Mich.' + MX).
    outside = pl.any_horizontal(abroad).fill_null(False) if abroad else pl.lit(False)

    def evidence(
        states: list[pl.Expr], zips: list[pl.Expr], places: list[pl.Expr] | None = None
    ) -> tuple[pl.Expr, pl.Expr]:
        michigan = (
            pl.any_horizontal(
                [(st == "MI") for st in states]
                + [residency.zip_is_michigan(z) for z in zips]
                + [pl.lit(False)]
            ).fill_null(False)
            & ~outside
        )
        # an armed-forces "state" (AA, AE, AP) or an APO / FPO ZIP routes mail to a unit, and says nothing of the
        # member's state of residence: no evidence, so the person is listed to confirm (unknown residency)
        anything = pl.any_horizontal(
            [st.is_not_null() & ~residency.no_state(st) for st in states]
            + [z.is_not_null() & ~residency.military_zip(z) for z in zips]
            + [outside, *(places or [])]
        ).fill_null(False)
        return michigan, anything

    mi, other = evidence(states, zips, foreign)
    weak_mi, weak_other = evidence(secondary_states + former_states, secondary_zips + former_zips)
    # a former address (address history: an end date, a current flag saying no) is weak evidence too
    # (an end of some of the row's places only, seasonal_addr_end_dt beside home_state, ends those: _place_buckets)
    history = [
        (i, cc.name)
        for i, cc in enumerate(classes)
        if residency.former_address_column(cc.name, table.name) and cc.name not in own_place_ends
    ]
    former_tests = [
        residency.ended(pl.col(f"__{i}_clean"))
        if residency.ENDED.says(name)
        else residency.not_current(pl.col(f"__{i}_clean"))
        for i, name in history
    ]
    # a row of an address table typed shipping / delivery is where parcels go, one typed former / previous /
    # inactive where the person lived: weak evidence, and not the address the notice goes to, as a former address;
    # one typed work / business is where the person works: no evidence at all (and not shown either)
    types = [
        pl.col(f"__{i}_clean")
        for i, cc in enumerate(classes)
        if cc.classified_as == "none"  # a type column holds words, not an element or a postal field
        and residency.address_type_column(cc.name, table.name)
    ]
    former_tests += [residency.delivery_type(t) | residency.former_type(t) for t in types]
    workplace = [residency.workplace_type(t) for t in types]
    former_tests += workplace
    former = None
    if former_tests and (states or zips):
        # staged as a column: read eight times below (evidence and every shown postal field)
        pre.append(pl.any_horizontal(former_tests).alias("__former"))
        former = pl.col("__former")
    if former is not None:
        weak_mi, weak_other = weak_mi | (mi & former), weak_other | (other & former)
        mi, other = mi & ~former, other & ~former
    if former is not None and workplace:
        pre.append(pl.any_horizontal(workplace).alias("__workplace"))
        weak_mi, weak_other = weak_mi & ~pl.col("__workplace"), weak_other & ~pl.col("__workplace")
    wide += [
        mi.alias("_mi"),
        other.alias("_other"),
        weak_mi.alias("_secondary_mi"),
        weak_other.alias("_secondary_other"),
    ]
    # Later entries of states/zips come from addresses: a dedicated column wins over a parsed address for display.
    wide += [
        _first_not_null(firsts + initials).alias("first_name"),
        _first_not_null(lasts).alias("last_name"),
        _current(_first_not_null(states + secondary_states), former).alias("state"),
        _current(_first_not_null(zips + secondary_zips), former).alias("zip"),
        _first_not_null(emails).alias("email"),
        _first_not_null(phones).alias("phone"),
        _current(_first_not_null(addresses), former).alias("address"),
        _current(_first_not_null(cities + weak_cities), former).alias("city"),
    ]
    lf = table.frame.with_columns(clean).with_columns(pre)
    for det, raw, prefix, integer_column, other in staged:
        lf = with_verdicts(lf, det, raw, prefix, integer_column, other)
    if whole_names:
        wide.append(_first_not_null(whole_names).alias(WHOLE))
    if organisation:
        nobody = ~pl.any_horizontal(person).fill_null(False) if person else pl.lit(True)
        wide.append((pl.any_horizontal(organisation).fill_null(False) & nobody).alias("__organisation"))
    parties = [
        account_party(pl.col(f"__{i}_clean")) == "no_access"
        for i, cc in enumerate(classes)
        if cc.extra.get(ACCOUNT_PARTIES)
    ]
    if authorised_third_party(table.name, classes):
        parties = [pl.lit(True)]  # every row: the party the table's rows are holds no account of its own here
    wide.append((pl.any_horizontal(parties).fill_null(False) if parties else pl.lit(False)).alias(NOT_HOLDER))
    # a row with no place of its own whose end date passed (PERSONADDRESSASSOC.ENDDATE, a lease's end): the place
    # its reference reaches was the person's then, not now (weak evidence: individuals.resolve)
    ends = [
        residency.ended(pl.col(f"__{i}_clean"))
        if residency.ENDED.says(cc.name)
        else residency.not_current(pl.col(f"__{i}_clean"))
        for i, cc in enumerate(classes)
        if residency.ENDED.says(cc.name) or residency.CURRENT.says(cc.name)
    ]
    # (a row naming its own person, a dependant whose coverage ended, keeps the household's place as before)
    placeless = not (states or zips or addresses or secondary_states or secondary_zips or firsts or lasts)
    ends = ends if placeless else []
    # ...and a row whose lives-with flag is not set (STUDENTCONTACTASSOC.LIVESWITH = 0 or blank): the contact does
    # not live with the student, whose place is then not theirs (links._lives_with_links). Only on a row that
    # places nobody by itself: a person's own row with an address and a lives_with of "Mother" keeps its places.
    ends += [
        ~pl.col(f"__{i}_clean").str.to_lowercase().is_in(LIVES_WITH_YES).fill_null(False) & ~(mi | other)
        for i, cc in enumerate(classes)
        if lives_with_column(cc.name)
    ]
    wide.append((pl.any_horizontal(ends).fill_null(False) if ends else pl.lit(False)).alias(PLACE_ENDED))
    frame = in_row_order(lf.select(wide).collect())
    if whole_names:
        frame = _whole_name_in_first_name(frame)
    if organisation:
        frame = _organisations_place_nobody(frame)

    stats = _column_stats(frame, element_columns, codes)
    return _combine(frame, table.name, parts, codes), stats


def _rows_rejected(
    pre: list[pl.Expr], cc: ColumnClass, kind: str, v: pl.Expr, key: str, other: pl.Expr | None
):
    """Rows of an element column rejected beyond its type column (pipeline.classify.row_rejections: a licence
    its issuing-state column places in Michigan without Michigan's shape, a TIN of an organisation's row), staged:
    (the rows to reject, `other` included; a function giving a rejected value's reason)."""
    det = ELEMENT_DETECTORS[kind]
    checks = row_rejections(cc, det.canonical(v, cc.integer_column), kind)
    flags = []
    for n, (rows, _) in enumerate(checks):  # one entry per kind of check (at most two)
        pre.append(rows.alias(f"__{key}_rej{n}"))
        flags.append(pl.col(f"__{key}_rej{n}"))
    if not flags:
        return other, lambda why: why
    rejected = pl.any_horizontal(flags if other is None else [other, *flags])

    def reason(why: pl.Expr) -> pl.Expr:
        out = pl.when(flags[0]).then(pl.lit(checks[0][1]))
        for flag, (_, text) in zip(flags[1:], checks[1:], strict=True):
            out = out.when(flag).then(pl.lit(text))
        return out.otherwise(why)

    return rejected, reason


def _vital_columns(vitals: list[pl.Expr], decedent_names: list[pl.Expr]) -> list[pl.Expr]:
    """The record's "deceased" and "living": whether a column says its person died, and whether one says they
    live. A row whose columns disagree (deceased = N beside a date of death) says both: the individual is then
    counted as living (individuals.vital_flags), the conservative side of 445.72(1)."""
    if not vitals and not decedent_names:
        return [pl.lit(False).alias("_deceased"), pl.lit(False).alias("_living")]
    died = [v == deceased.DECEASED for v in vitals] + decedent_names
    lives = [v == deceased.LIVING for v in vitals] + [pl.lit(False)]
    return [
        pl.any_horizontal(died).fill_null(False).alias("_deceased"),
        pl.any_horizontal(lives).fill_null(False).alias("_living"),
    ]


def _verdict_columns(det, st: pl.Expr, c: pl.Expr, prefix: str) -> list[pl.Expr]:
    """An element column's verdict, its whole value where unredacted and what a report may show of it (the mask,
    or [encrypted] / [redacted]), as `<prefix>_st`, `<prefix>_val`, `<prefix>_mask`."""
    return [
        st.alias(f"{prefix}_st"),
        pl.when(st == UNREDACTED).then(c).alias(f"{prefix}_val"),
        pl.when(st == UNREDACTED)
        .then(det.mask(c))
        .when(st == ENCRYPTED)
        .then(pl.lit("[encrypted]"))
        .when(st == REDACTED)
        .then(pl.lit("[redacted]"))
        .alias(f"{prefix}_mask"),
    ]


def _postal_evidence(header: str, table: str = "") -> str:
    """Which evidence a state, ZIP or address column gives: "own", "shipped" (where a parcel or a service went:
    weak, shown where nothing else is), "former" (where the person used to live: weak, never shown), "part_year"
    (a part-year residence of a tax return: former unless its own end column says it goes on) or "property" (a
    financed or owned property's place: weak, unless the row's occupancy says owner-occupied)."""
    if residency.SHIPPED_TO.says(header):
        return "shipped"
    if residency.FORMER.says(header):
        return "former"
    if residency.PART_YEAR.says(header):
        return "part_year"
    if residency.property_place(header, table):
        return "property"
    return "own"


def _where(value: pl.Expr, when: pl.Expr | None) -> pl.Expr:
    return value if when is None else pl.when(when).then(value)


def _place_buckets(
    table: str, classes: list[ColumnClass]
) -> tuple[dict[int, list[tuple[str, pl.Expr | None]]], list[pl.Expr], set[str]]:
    """Per place column (state, ZIP, address, city): the evidence it gives, as (bucket, row condition) pairs (bucket
    own, shipped or former; no condition: every row), the row tests to stage as columns, and the end columns that
    end some of the row's places only (not a row-level end of an address history).

    A property's place is the borrower's own only on rows whose occupancy says owner-occupied, a ship-to's place
    elsewhere (residency.property_place). A place with an end column of its own (PY_RES_ST and PY_RES_TO,
    seasonal_addr_state and seasonal_addr_end_dt: residency.place_ends) is a former place on rows where it has
    ended, and only it: the row's other places stay current. A part-year residence is former unless its end is
    open or still to come."""
    at = {cc.name: i for i, cc in enumerate(classes)}
    places = [cc.name for cc in classes if cc.classified_as in ("state", "zip", "address", "city")]
    ends = residency.place_ends(places, [cc.name for cc in classes])
    staged: list[pl.Expr] = []
    for end in dict.fromkeys(ends.values()):
        j = at[end]
        staged += [
            residency.ended(pl.col(f"__{j}_clean")).alias(f"__{j}_ended"),
            residency.open_end(pl.col(f"__{j}_clean")).alias(f"__{j}_open"),
        ]
    occupancy = [
        residency.owner_occupied(pl.col(f"__{i}_clean"), cc.name)
        for i, cc in enumerate(classes)
        if cc.classified_as == "none" and residency.occupancy_column(cc.name)
    ]
    occupied = None
    if occupancy:
        staged.append(pl.any_horizontal(occupancy).alias("__occupied"))
        occupied = pl.col("__occupied")
    buckets: dict[int, list[tuple[str, pl.Expr | None]]] = {}
    for name in places:
        i, kind = at[name], _postal_evidence(name, table)
        end = at.get(ends.get(name, ""))
        if kind == "property":
            buckets[i] = (
                [("shipped", None)] if occupied is None else [("own", occupied), ("shipped", ~occupied)]
            )
        elif kind == "part_year":
            goes_on = None if end is None else pl.col(f"__{end}_open")
            buckets[i] = [("former", None)] if goes_on is None else [("own", goes_on), ("former", ~goes_on)]
        elif kind == "own" and end is not None:
            buckets[i] = [("own", ~pl.col(f"__{end}_ended")), ("former", pl.col(f"__{end}_ended"))]
        else:
            buckets[i] = [(kind, None)]
    postal = [n for n in places if classes[at[n]].classified_as != "city"]
    partial = {end for end in ends.values() if any(ends.get(n) != end for n in postal)}
    return buckets, staged, partial


def _whole_name_in_first_name(frame: pl.DataFrame) -> pl.DataFrame:
    """A whole name typed into the first-name field ("John Smith" or "Smith, John", last name left empty: web
    forms) is read as a whole name, only where no column gives the record a last name: "Mary Ann" beside "Khan"
    stays a first name; beside nothing it reads as Mary + Ann, the price docs/counting-rules.md accepts for not
    missing John Smith. The split runs on a staged column holding only those values (on every value it cost
    five times the evaluation of a customers table)."""
    whole = frame.select(pl.when(pl.col("last_name").is_null()).then(pl.col(WHOLE)).alias("v"))
    if whole.get_column("v").null_count() == whole.height:
        return frame.drop(WHOLE)
    parts = whole.select(names.full_name_parts(pl.col("v")).alias("p")).get_column("p")  # the split, once
    split = pl.DataFrame([parts.struct.field("first"), parts.struct.field("last")])
    read = split.get_column("last").is_not_null()
    return frame.with_columns(
        pl.when(read).then(split.get_column("first")).otherwise(pl.col("first_name")).alias("first_name"),
        pl.when(read).then(split.get_column("last")).otherwise(pl.col("last_name")).alias("last_name"),
    ).drop(WHOLE)


def _organisations_place_nobody(frame: pl.DataFrame) -> pl.DataFrame:
    """A row that names an organisation and no person (a business customer: company name, address, no part of a
    person's name, no SSN or licence number) gives no residency evidence: an organisation's address is where it
    does business, and 445.72(1) counts residents. Its address would otherwise be the residency of whoever the
    row is linked to (the cardholders of a business's cards, its contact person). A person's own row keeps its
    places, even with only a part of their name or only their SSN beside their employer's name (`company`)."""
    nobody = pl.col("__organisation")
    return frame.with_columns(
        (pl.col(c) & ~nobody).alias(c) for c in ("_mi", "_other", "_secondary_mi", "_secondary_other")
    ).drop("__organisation")


def _column_stats(
    frame: pl.DataFrame, element_columns: list[tuple[str, str]], codes: list[str]
) -> dict[str, ColumnStats]:
    stats: dict[str, ColumnStats] = {}
    for name, i in element_columns:
        # free text: values in which an SSN, a licence or a card number was found
        if f"{i}_ssn" in frame.columns:
            found = frame.select(
                ssn=pl.col(f"{i}_ssn").is_not_null().sum(),
                card=pl.col(f"{i}_card").is_not_null().sum(),
                code=pl.col(f"{i}_code").is_not_null().sum(),
                drivers_license=pl.col(f"{i}_dl").is_not_null().sum(),
            ).row(0, named=True)
            stats[name] = ColumnStats(
                unredacted=int(sum(found[k] for k in FOUND_IN_TEXT.values())), found_in_text=found
            )
            continue
        if f"{i}_code" in frame.columns:
            s = frame.get_column(f"{i}_code")
            stats[name] = ColumnStats(
                unredacted=int((s == "present").sum()), encrypted=int((s == "encrypted").sum())
            )
            continue
        s = frame.get_column(f"{i}_st")
        reasons = frame.filter(pl.col(f"{i}_why").is_not_null()).group_by(f"{i}_why").len().sort(f"{i}_why")
        stats[name] = ColumnStats(
            unredacted=int((s == UNREDACTED).sum()),
            redacted=int((s == REDACTED).sum()),
            encrypted=int((s == ENCRYPTED).sum()),
            rejected=int((s == REJECTED).sum()),
            rejected_reasons=dict(
                zip(
                    reasons.get_column(f"{i}_why").to_list(), reasons.get_column("len").to_list(), strict=True
                )
            ),
        )
    return stats


def _combine(frame: pl.DataFrame, table_name: str, parts: dict, codes: list[str]) -> pl.DataFrame:
    """Record-level verdicts: the strongest exposure among a record's columns of each element."""
    rank_of = {k: v for k, v in RANK.items() if k is not None}
    out: list[pl.Expr] = [
        pl.lit(table_name).alias("table"),
        pl.col(ROW),
        pl.col("first_name"),
        pl.col("last_name"),
        (pl.col("first_name").is_not_null() & pl.col("last_name").is_not_null()).alias("has_name"),
        names.name_key_of(pl.col("__fk"), pl.col("__lk")).alias("name_key"),
        pl.when(pl.col("first_name").is_not_null() & pl.col("last_name").is_not_null())
        .then(pl.col("__fk"))
        .alias("first_key"),
        pl.when(pl.col("first_name").is_not_null() & pl.col("last_name").is_not_null())
        .then(names.full_key_of(pl.col("__fk"), pl.col("__lk")))
        .alias("full_name_key"),
        pl.col("email"),
        pl.col("phone"),
        pl.col("address"),
        pl.col("city"),
        pl.col("state"),
        pl.col("zip"),
        residency.residency_of(pl.col("_mi"), pl.col("_other")).alias("residency"),
        residency.residency_of(pl.col("_secondary_mi"), pl.col("_secondary_other")).alias(
            "residency_secondary"
        ),
    ]
    tail = [pl.col(NOT_HOLDER), pl.col(PLACE_ENDED)]
    for e in ELEMENTS:
        # a column's own value before a number quoted in a note of the row (column order otherwise): the row's
        # value is its own person's, and a quotation is told apart by its source (individuals._quoted)
        cols = sorted(parts[e], key=lambda part: part[3].endswith(FREE_TEXT))
        if not cols:
            out += [
                pl.lit(None, dtype=pl.String).alias(f"{e}_{p}")
                for p in ("status", "value", "masked", "source")
            ]
            continue
        # ranks and the best rank are read by every branch below: staged as columns, computed once
        staged_ranks = [
            pl.col(st).replace_strict(rank_of, default=0, return_dtype=pl.Int8).alias(f"__{e}_rank{k}")
            for k, (st, _, _, _) in enumerate(cols)
        ]
        frame = frame.with_columns(staged_ranks).with_columns(
            pl.max_horizontal([pl.col(f"__{e}_rank{k}") for k in range(len(cols))]).alias(f"__{e}_best")
        )
        ranks = [pl.col(f"__{e}_rank{k}") for k in range(len(cols))]
        best = pl.col(f"__{e}_best")
        if e == "financial_account":
            # a party holding no access (a payable-on-death beneficiary's row, a housing counselor's) carries the
            # account's number, not an account of its own (NOT_HOLDER): the number is its holders'
            best = pl.when(~pl.col(NOT_HOLDER)).then(best)
        out += [
            best.replace_strict(STATUS_OF_RANK, default=None, return_dtype=pl.String).alias(f"{e}_status"),
            pl.coalesce(
                [pl.when(pl.col(st) == UNREDACTED).then(pl.col(val)) for st, val, _, _ in cols]
            ).alias(f"{e}_value"),
            pl.coalesce(
                [pl.when(r == best).then(pl.col(m)) for r, (_, _, m, _) in zip(ranks, cols, strict=True)]
            ).alias(f"{e}_masked"),
            pl.coalesce(
                [pl.when(r == best).then(pl.lit(src)) for r, (_, _, _, src) in zip(ranks, cols, strict=True)]
            ).alias(f"{e}_source"),
        ]
    if codes:
        present = pl.any_horizontal([pl.col(c) == access_code.PRESENT for c in codes])
        enc = pl.any_horizontal([pl.col(c) == access_code.ENCRYPTED for c in codes])
        out.append(
            pl.when(present)
            .then(pl.lit(access_code.PRESENT))
            .when(enc)
            .then(pl.lit(access_code.ENCRYPTED))
            .alias("access_code_status")
        )
        out.append(pl.when(present | enc).then(pl.lit(table_name)).alias("access_code_source"))
    else:
        out.append(pl.lit(None, dtype=pl.String).alias("access_code_status"))
        out.append(pl.lit(None, dtype=pl.String).alias("access_code_source"))
    out += [pl.col("_deceased").alias("deceased"), pl.col("_living").alias("living")]
    # the folded first and last names are read by three keys: computed once, as columns
    folded = [
        names.first_key(pl.col("first_name")).alias("__fk"),
        names.folded_last(pl.col("last_name")).alias("__lk"),
    ]
    return frame.with_columns(folded).select(out + tail).cast(RECORD_SCHEMA)  # type: ignore[arg-type]


def empty_records() -> pl.DataFrame:
    return pl.DataFrame(schema=RECORD_SCHEMA)
