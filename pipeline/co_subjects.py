"""Second people in a row: a spouse's, joint holder's or beneficiary's own name and elements (MCL 445.63(p)).

A row of `tax_returns` may hold the filer (first_name, ssn) and the spouse (spouse_first_name, spouse_ssn); a row
of `accounts` the primary and the joint holder (joint_first_name) of one account. Classification keeps the other
person's columns away from the row's subject (`other_person`), so the filer never gets the spouse's SSN. This
stage gives those columns back to their own person: each group of columns sharing a role prefix becomes a derived
table (`tax_returns (spouse)`), classified and evaluated like any table, whose records are that person's.

What the derived person shares with the row, by role (documented in docs/counting-rules.md):
- household roles (spouse, partner, dependent, child), joint holders, second applicants (co-applicant, co-buyer,
  co-borrower, a numbered person 2) and the people a claim covers are placed by their own residency columns; only
  where their group has none do they take the row's (the household's, the application's): the row's places are
  the first person's, and Michigan-wins is a rule among one person's own places, not across two people's;
- joint holders (joint, secondary) hold what the row holds: they also take the row's account and card numbers and
  their codes (445.63(p)(iii)); never the subject's SSN or licence, which are personal;
- other roles (beneficiary, emergency contact, co-signer, ...) take nothing from the row: their residency is their
  own or unknown.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import polars as pl

from detectors import names, residency
from detectors.common import (
    DRIVER_ROLE,
    RESPONSIBLE_PARTY_QUALIFIERS,
    SPOUSE_QUALIFIERS,
    about_other_person,
    cleaned,
    header_tokens,
    numbered_person,
    qualified_person,
    role_in_header,
)
from pipeline.classify import NAME_KINDS, NUMBERED_GROUP, ColumnClass
from pipeline.tables import ROW, Table

HOUSEHOLD_ROLES = {"spouse", "partner", "dependent", "dependant", "child", "sps", "spse", "dep"}
HOUSEHOLD_ROLES |= {"conyuge", "dependiente"}
# the spouse of a 1040 package's SP_ columns (detectors.common.SPOUSE_QUALIFIERS, beside the taxpayer's TP_)
HOUSEHOLD_ROLES |= SPOUSE_QUALIFIERS
JOINT_ROLES = {"joint", "secondary", "cotitular"}
# a second applicant or owner of the row's application, deal or loan (detectors.common.CO_CANONICAL's roles but the
# co-signer's and co-maker's, who guarantee the debt from their own household): where their group has no place of
# its own, the application's address is theirs, as a numbered applicant 2's is
SECOND_APPLICANT_ROLES = {"coapplicant", "coborrower", "cobuyer", "coowner", "cotenant", "colessee"}
SECOND_APPLICANT_ROLES |= {"comortgagor", "coobligor", "codebtor", "coholder", "coinsured", "codeudor"}
# a rental's or a policy's additional driver (detectors.common.DRIVER_ROLE): placed by their own places, else by the
# row's (the renter's or the household's); the row's card and account are the renter's, not theirs
SECOND_APPLICANT_ROLES |= {DRIVER_ROLE}
# the people a claim or policy covers beside its subscriber or holder (classify._qualified_people) live at the
# row's address unless their group has its own; a 1099's payer and recipient, or a sale's buyer, do not
COVERED_ROLES = {"patient", "insured", "insd", "member", "mbr", "enrollee", "participant", "subscriber"}
COVERED_ROLES |= {"subscr", "policyholder"}
# a patient's responsible party (ResponsiblePartyFirstName, RespPartySSN, RP_LNAME beside the patient's own name:
# detectors.common.RESPONSIBLE_PARTY_QUALIFIERS), the parent or guardian who answers for a minor or a dependent
# adult: placed by their own places, else by the row's (the patient's household, where a pharmacy writes the
# responsible party's address only when it differs); the row's references and held numbers are not theirs
RESPONSIBLE_ROLES = set(RESPONSIBLE_PARTY_QUALIFIERS)
# the role of a numbered group's person: "person 2" (tables named "applicants (person 2)")
NUMBERED = "person "
# the header words after the role that name the person: a group without one names nobody
NAME_WORDS = {
    "name",
    "names",
    "nm",
    "nme",
    "first",
    "last",
    "fname",
    "lname",
    "fnm",
    "lnm",
    "full",
    "surname",
}
NAME_WORDS |= {"given", "nombre", "nombres", "apellido", "apellidos"}
RESIDENCY_KINDS = ("state", "zip", "address", "city")
# a group's own places: where these are, the person lives there (a city alone places nobody)
PLACE_KINDS = ("state", "zip", "address")
HELD_KINDS = ("card_number", "bank_account", "access_code", "routing_number")


def _role(column: str, group: str | None = None) -> tuple[str, str] | None:
    """('spouse', 'first_name') for 'spouse_first_name' and 'primary_spouse_first_name', ('coborrower', 'ssn') for
    'co_borrower_ssn' (detectors.common.role_in_header), ('person 2', 'ssn') for 'ssn_2' (numbered_person); and
    for a column of numbered people beside the row's own person (classify._numbered_others: `group` 'par' of
    PAR1_SSN, PAR2_SSN and their shared PAR_STATE_LEGAL_RES), ('par', '1_ssn'), ('par', 'state_legal_res'): one
    derived table of those people, whose own numbered people it is read for in turn (person 1 its subject,
    person 2 its second person), as a parent1_ / parent2_ row's (parent) table is."""
    if group:
        return group, "_".join(header_tokens(column)[len(group.split("_")) :])
    lead = role_in_header(column)
    if lead:
        return lead[0], "_".join(lead[1])
    numbered = numbered_person(column)  # first_name_2: person 2 of the row (classify._numbered_people)
    if numbered:
        return f"{NUMBERED}{numbered[0]}", numbered[1]
    qualified = qualified_person(column)  # patient_first_name beside subscriber_ (classify._qualified_people)
    return (qualified[0], "_".join(qualified[1])) if qualified else None


# A derived table's column saying whose rows it holds, where they name nobody (a role's rows of a party-role table,
# a second person's number without their name): such a table is kept (names_someone) though it names no one, since
# its rows join the person of their role through their keys (_tagged)
ROLE_MARK = "__person_of_rows"
ELEMENT_KINDS = ("ssn", "drivers_license", "card_number", "bank_account", "access_code")
# one role of a row, however the export writes it: a CO-BUYER row of credit_apps is the person of deals' cobuyer_
# columns, a JOINT or CO-APPLICANT row the one of joint_ or co_app_ columns, a SPOUSE row the sps_ columns' person
SAME_PERSON_ROLES = {
    "co": SECOND_APPLICANT_ROLES | JOINT_ROLES | {f"{NUMBERED}2"},
    "spouse": {"spouse", "sps", "spse", "conyuge", "partner"} | SPOUSE_QUALIFIERS,
    "dependent": {"dependent", "dependant", "dep", "child", "dependiente"},
    "guarantor": {"guarantor", "guar", "gtor", "cosigner", "comaker", "aval", "fiador"},
    "responsible": RESPONSIBLE_ROLES,
    "beneficiary": {"beneficiary", "bene", "benef", "bnf", "beneficiario", "beneficiaria"},
    "emergency": {"emergency", "emrg", "emerg"},
}
# words of a key's header that say it is a key, not what it identifies (links.GENERIC_WORDS adds "of")
KEY_GENERIC_WORDS = {
    "id",
    "no",
    "num",
    "number",
    "nbr",
    "key",
    "code",
    "ref",
    "fk",
    "pk",
    "uuid",
    "guid",
    "the",
}


def role_tag(role: str) -> str:
    """The role's one name across spellings (SAME_PERSON_ROLES): 'co' for cobuyer, coapplicant, joint, person 2."""
    return next((tag for tag, roles in SAME_PERSON_ROLES.items() if role in roles), role.replace(" ", ""))


def _stem(word: str) -> str:
    return re.sub(r"(ies|es|s)$", "", word) if len(word) > 3 else word


def _identifier(column: str) -> bool:
    """A key or reference column of the row (deal_no, application_id), not another person's (salesperson_id)."""
    words = header_tokens(column)
    return (
        bool(words)
        and words[-1] in REFERENCE_WORDS | {"uuid", "guid", "pk"}
        and not about_other_person(column)
    )


def _tagged(column: str, table: str, role: str) -> pl.Expr:
    """The key's value marked with what it identifies and the role (24371 of deal_no -> '24371__deal__co'): a
    role's rows of a party-role table (credit_apps (cobuyer).deal_no) and a second person's table (deals
    (cobuyer)) share it, so the link between them is found (links.discover_links) and no other table's key can
    match it. What it identifies is the header's words (deal_no, deal_id) or, for a bare id, its table's name."""
    words = [_stem(w) for w in header_tokens(column) if w not in KEY_GENERIC_WORDS]
    base = re.split(r"[/#!]", table)[-1].split(" (")[0]
    what = "_".join(words or [_stem(w) for w in header_tokens(base)])
    key = cleaned(pl.col(column).cast(pl.String)).str.replace(r"^0+(\d+)$", "${1}")
    return pl.when(key.is_not_null()).then(pl.concat_str([key, pl.lit(f"__{what}__{role_tag(role)}")]))


def _party_rows(table: Table, classes: list[ColumnClass], schema) -> list[Table]:
    """A party-role table's rows by role (classify._party_role_rows): the row's own person's rows (BUYER, PRIMARY,
    a role not read) with their keys as they are, each other role's with keys marked by the role, which only that
    role's person's table of the referenced row shares (deals (cobuyer))."""
    role_column = next((c for c in classes if "party_roles" in c.extra), None)
    if role_column is None:
        return []
    if role_column.name not in schema:  # a frame of key columns only (the Spark driver): said, never skipped
        table.warnings.append(
            f"the parties' rows ({role_column.name}) not evaluated as their own by this engine"
        )
        return []
    roles: dict[str, str] = role_column.extra["party_roles"]
    # each row's party, as classify read the sampled values (detectors.common.party_key): a value not sampled is
    # read as the row's own person, as before the role column was read
    of_row = (
        pl.col(role_column.name)
        .cast(pl.String)
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]", "")
        .replace_strict(roles, default="", return_dtype=pl.String)
    )
    ids = [c.name for c in classes if c.classified_as == "none" and _identifier(c.name) and c.name in schema]
    rest = [c for c in schema if c not in (ROW, role_column.name)]
    out = []
    for role in ["", *sorted({r for r in roles.values() if r})]:  # one entry per role the values name
        name = role or "primary"
        keys = {c: _tagged(c, table.name, role).alias(c) for c in ids} if role else {}
        out.append(
            Table(
                name=f"{table.name} ({name})",
                path=table.path,
                frame=table.frame.filter(of_row == role).select(
                    pl.col(ROW), *[keys.get(c, pl.col(c)) for c in rest], pl.lit(name).alias(ROLE_MARK)
                ),
                warnings=[
                    f"derived from {table.name}: the rows whose {role_column.name} names "
                    + (
                        f"the {role}: that person's own, joined to the {role} of the row "
                        + (", ".join(ids) or "their key")
                        + " references (that row's "
                        + f"{role} columns), else to nobody"
                        if role
                        else "the row's own person or no role read ("
                        + ", ".join(sorted(k for k, r in roles.items() if not r))
                        + ")"
                    )
                ],
            )
        )
    return out


def co_subject_tables(table: Table, classes: list[ColumnClass]) -> list[Table]:
    """One derived table per role whose columns hold another person's name (the loop is over columns)."""
    schema = table.frame.collect_schema()
    groups: dict[str, list[tuple[str, str]]] = {}
    missing = []
    for c in classes:
        role = _role(c.name, c.extra.get(NUMBERED_GROUP)) if c.classified_as == "other_person" else None
        if role is not None and c.name not in schema:
            missing.append(
                c.name
            )  # a frame of key columns only (the Spark driver): say so, never skip silently
        elif role is not None:
            groups.setdefault(role[0], []).append((c.name, role[1]))
    if missing:
        table.warnings.append(
            "another person's columns not evaluated as their own record by this engine: " + ", ".join(missing)
        )
    kinds = {c.name: c.extra.get("kind") for c in classes}
    ids = [c.name for c in classes if c.classified_as == "none" and _identifier(c.name) and c.name in schema]
    derived = _party_rows(table, classes, schema)
    for role, columns in sorted(groups.items()):
        own = {rest for _, rest in columns}
        if not any(NAME_WORDS.intersection(rest.split("_")) for _, rest in columns):
            # no name of the other person (coapp_ssn beside the buyer's deal_no): their number is theirs, never
            # the subject's, and where the row references another table by a key, their record joins the same
            # role's person of the referenced row (deals (cobuyer)); without a key it can be nobody's. Where the
            # row's name line names a couple (an IRS return's NameLine1Txt "JOHN A & MARY B SMITH" beside
            # PrimarySSN and SpouseSSN), its second person is theirs (_couples_second)
            if any(kinds.get(src) in ELEMENT_KINDS for src, _ in columns):
                couple = _couples_second(classes, schema, role, columns)
                if ids or couple:
                    derived.append(_nameless(table, role, columns, [c for c in ids if c not in own], couple))
            continue
        # Where the person's own columns place them (joint_st, buyer2_zip, spouse_address), they live there: the
        # row's places are the first person's. Until 2026-11-24 they took the row's places too, and Michigan-wins
        # made an Ohio co-applicant of a Michigan buyer (or the reverse) a Michigan resident.
        # Decided per row, not per column: where the group's own place columns are empty on a row (a co-borrower
        # of the same household, whose CoBorrowerMailingStateCode is filled only where they live elsewhere), the
        # row's places are theirs on that row. Until 2026-11-25 one co-borrower with an address of their own made
        # every co-borrower of the table with a blank one of unknown residency.
        own_places = [src for src, _ in columns if kinds.get(src) in PLACE_KINDS and src in schema]
        placed = (
            pl.any_horizontal([cleaned(pl.col(src).cast(pl.String)).is_not_null() for src in own_places])
            if own_places
            else None
        )
        taken: list[tuple[str, str]] = []
        # numbered people of one row (co-applicants) are read like a household: the row's address is theirs
        # unless their group has its own
        household = (
            role in HOUSEHOLD_ROLES | JOINT_ROLES | COVERED_ROLES | SECOND_APPLICANT_ROLES | RESPONSIBLE_ROLES
        )
        if household or role.startswith(NUMBERED):
            taken += [(c.name, c.name) for c in classes if c.classified_as in RESIDENCY_KINDS]
        if role in JOINT_ROLES:
            taken += [(c.name, c.name) for c in classes if c.classified_as in HELD_KINDS]
        if role in HOUSEHOLD_ROLES | COVERED_ROLES:
            # the row's references (a claim's subscriber_id): where the row has no address of its own, the table
            # they reference places the household (links._household_members), as a dependants table's does
            taken += [(c.name, c.name) for c in classes if c.classified_as == "none" and _reference(c.name)]
        taken = [(src, dst) for src, dst in taken if dst not in own and src in schema]
        # a row of an organisation (a business account's company name, no person's name) lends its places to
        # nobody: the company's address is where it does business (records._organisations_place_nobody)
        company = _organisation_row(classes, schema)
        places = {c.name for c in classes if c.classified_as in RESIDENCY_KINDS}
        references = {c.name for c in classes if c.classified_as == "none" and _reference(c.name)}
        # what the row lends the person, on the rows where it lends it: never a company's places, and neither the
        # row's places nor its references where the person's own place columns place them on that row

        select = [pl.col(ROW)]
        for src, dst in columns + taken:  # one entry per column of the derived table
            held = []
            if (src, dst) in taken and src in places:
                held = [w for w in (company, placed) if w is not None]
            elif (src, dst) in taken and src in references and placed is not None:
                held = [placed]
            if held:
                select.append(
                    pl.when(pl.any_horizontal(held).fill_null(False))
                    .then(None)
                    .otherwise(pl.col(src))
                    .alias(dst)
                )
            else:
                select.append(pl.col(src).alias(dst))
        # the row's keys marked with the role: a party-role table's rows of this role join this person by them
        select += [
            _tagged(c, table.name, role).alias(f"{c}_{role_tag(role)}_key")
            for c in ids
            if f"{c}_{role_tag(role)}_key" not in own
        ]
        present = pl.any_horizontal([pl.col(src).str.strip_chars().str.len_chars() > 0 for src, _ in columns])
        derived.append(
            Table(
                name=f"{table.name} ({role})",
                path=table.path,
                frame=table.frame.filter(present.fill_null(False)).select(select),
                warnings=[
                    f"derived from {table.name}: the {role}'s own columns " + ", ".join(c for c, _ in columns)
                ],
            )
        )
    return derived


# the roles whose person a couple's name line names second: a spouse, a joint holder, a second applicant
COUPLE_ROLE_TAGS = {"spouse", "co"}


class Couple(NamedTuple):
    """The second person of the row's name line (_couples_second): the name column read, the derived table's name
    column and its values, and the row's places the person takes on the rows where the line names them."""

    source: str
    name: str
    values: pl.Expr
    places: list[str]


def _couples_second(
    classes: list[ColumnClass], schema, role: str, columns: list[tuple[str, str]]
) -> Couple | None:
    """Where a spouse's, joint holder's or second applicant's group has no name of its own and the row's one
    full-name column names that person second (names.second_person: "JOHN A & MARY B SMITH", "SMITH, JOHN A &
    MARY B", "JOHN SMITH & MARY SMITH JTWROS"), the name and the row's places the person takes (the household's,
    the account's, the application's: theirs where their group has none, as for a named group); None otherwise.
    The row's subject is the first person of that name (names.full_name_parts), so each of the two has the name
    and the number the return gives them (MCL 445.63(p)). Until 2026-11-25 the spouse of a joint return named on
    its name line and by SpouseSSN was nobody: her number had no name (or, with SP_SSN, went to the taxpayer)."""
    if role_tag(role) not in COUPLE_ROLE_TAGS:
        return None
    full = [c.name for c in classes if c.classified_as == "full_name" and c.name in schema]
    if len(full) != 1:
        return None  # no name line, or several: which one names the couple is not read
    own = {dst for _, dst in columns}
    name = next(n for n in ("name", "full_name", "couple_second_name") if n not in own)
    kinds = {c.name: c.extra.get("kind") for c in classes}
    places = [c.name for c in classes if c.classified_as in RESIDENCY_KINDS and c.name in schema]
    if any(kinds.get(src) in PLACE_KINDS for src, _ in columns):
        places = []  # (their own places: the group has a state, ZIP or address of its own)
    return Couple(full[0], name, names.second_person(cleaned(pl.col(full[0]).cast(pl.String))), places)


def _organisation_row(classes: list[ColumnClass], schema) -> pl.Expr | None:
    """Rows that name an organisation and no person (the row's own name columns and personal numbers empty), or
    None when the table has no column that could name one."""
    tests = [
        residency.names_organisation(cleaned(pl.col(c.name).cast(pl.String)))
        for c in classes
        if c.classified_as == "none" and residency.organisation_column(c.name) and c.name in schema
    ]
    tests += [
        residency.organisation_type(cleaned(pl.col(c.name).cast(pl.String)))
        for c in classes
        if c.classified_as == "none" and residency.party_type_column(c.name) and c.name in schema
    ]
    full = [c.name for c in classes if c.classified_as == "full_name" and c.name in schema]
    tests += [names.organisation(cleaned(pl.col(c).cast(pl.String))) for c in full]
    if not tests:
        return None
    person = [c.name for c in classes if c.classified_as in NAME_KINDS and c.name in schema]
    named = [cleaned(pl.col(c).cast(pl.String)).is_not_null() for c in person if c not in full]
    # a full name column's organisation value is no person's name
    named += [
        cleaned(pl.col(c).cast(pl.String)).is_not_null()
        & ~names.organisation(cleaned(pl.col(c).cast(pl.String)))
        for c in full
    ]
    # a personal number of the row's own (an SSN, a licence number) is a person's too
    named += [
        cleaned(pl.col(c.name).cast(pl.String)).is_not_null()
        for c in classes
        if c.classified_as in ("ssn", "drivers_license") and c.name in schema
    ]
    nobody = ~pl.any_horizontal(named).fill_null(False) if named else pl.lit(True)
    return pl.any_horizontal(tests).fill_null(False) & nobody


def _nameless(
    table: Table, role: str, columns: list[tuple[str, str]], ids: list[str], couple: Couple | None = None
) -> Table:
    """A second person's columns without their name (coapp_ssn, coapp_dob), with the row's keys marked by the
    role (_tagged), as a table of their own; named, where the row's name line names a couple, by its second person
    (with the row's places on those rows)."""
    present = pl.any_horizontal([pl.col(src).str.strip_chars().str.len_chars() > 0 for src, _ in columns])
    named = []
    if couple is not None:
        on_line = couple.values.is_not_null()
        named = [couple.values.alias(couple.name)]
        named += [pl.when(on_line).then(pl.col(c)).alias(c) for c in couple.places]
    return Table(
        name=f"{table.name} ({role})",
        path=table.path,
        frame=table.frame.filter(present.fill_null(False)).select(
            pl.col(ROW),
            *[pl.col(src).alias(dst) for src, dst in columns],
            *named,
            *[_tagged(c, table.name, role).alias(c) for c in ids],
            pl.lit(role).alias(ROLE_MARK),
        ),
        warnings=[
            f"derived from {table.name}: the {role}'s own columns "
            + ", ".join(c for c, _ in columns)
            + f", without the {role}'s name"
            + (f" (but for the second person {couple.source} names)" if couple else "")
            + f": joined to the {role} of the row "
            + (", ".join(ids) or "no key")
            + f" references (that row's {role} columns), else to nobody"
        ],
    )


REFERENCE_WORDS = {"id", "key", "no", "num", "number", "nbr", "ref"}


def role_reference(column: str) -> str | None:
    """The role whose own record a reference of the row names (guarantor_id -> 'guarantor', cosigner_id ->
    'cosigner', joint_customer_id -> 'joint'), or None."""
    found = _role(column)
    if found is None:
        return None
    words = found[1].split("_")
    return found[0] if words and words[-1] in REFERENCE_WORDS else None


def derived_from(table: str) -> tuple[str, str] | None:
    """(source table, role) of a second person's derived table ('leases (guarantor)' -> ('leases', 'guarantor'))."""
    found = re.search(r"^(.*) \(([^()]+)\)$", table)
    return (found.group(1), found.group(2)) if found else None


def _reference(column: str) -> bool:
    words = header_tokens(column)
    return bool(words) and words[-1] in REFERENCE_WORDS and role_in_header(column) is None


def household_role(table: str) -> bool:
    """Whether a derived table's rows are household or covered members of the row they came from
    (`claims (patient)`, `tax_returns (spouse)`)."""
    found = re.search(r"\(([^()]+)\)$", table)
    return found is not None and found.group(1) in HOUSEHOLD_ROLES | COVERED_ROLES


def names_someone(classes: list[ColumnClass]) -> bool:
    """Whether a derived table names someone, or holds the rows of a role that join that role's person by their
    keys (ROLE_MARK)."""
    return any(c.classified_as in NAME_KINDS or c.name == ROLE_MARK for c in classes)
