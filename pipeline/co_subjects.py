"""Second people in a row: a spouse's, joint holder's or beneficiary's own name and elements (MCL 445.63(p)).

A row of `tax_returns` may hold the filer (first_name, ssn) and the spouse (spouse_first_name, spouse_ssn); a row
of `accounts` the primary and the joint holder (joint_first_name) of one account. Classification keeps the other
person's columns away from the row's subject (`other_person`), so the filer never gets the spouse's SSN. This
stage gives those columns back to their own person: each group of columns sharing a role prefix becomes a derived
table (`tax_returns (spouse)`), classified and evaluated like any table, whose records are that person's.

What the derived person shares with the row, by role (documented in docs/counting-rules.md):
- household roles (spouse, partner, dependent, child) and joint holders live at the row's address: they take the
  row's residency columns, unless the group has its own;
- joint holders (joint, secondary) hold what the row holds: they also take the row's account and card numbers and
  their codes (445.63(p)(iii)); never the subject's SSN or licence, which are personal;
- other roles (beneficiary, emergency contact, ...) take nothing from the row: their residency is their own or
  unknown.
"""

from __future__ import annotations

import re

import polars as pl

from detectors.common import header_tokens, numbered_person, qualified_person, role_in_header
from pipeline.classify import NAME_KINDS, ColumnClass
from pipeline.tables import ROW, Table

HOUSEHOLD_ROLES = {"spouse", "partner", "dependent", "dependant", "child", "sps", "spse", "dep"}
HOUSEHOLD_ROLES |= {"conyuge", "dependiente"}
JOINT_ROLES = {"joint", "secondary", "cotitular"}
# the people a claim or policy covers beside its subscriber or holder (classify._qualified_people) live at the
# row's address unless their group has its own; a 1099's payer and recipient, or a sale's buyer, do not
COVERED_ROLES = {"patient", "insured", "insd", "member", "mbr", "enrollee", "participant", "subscriber"}
COVERED_ROLES |= {"subscr", "policyholder"}
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
HELD_KINDS = ("card_number", "bank_account", "access_code", "routing_number")


def _role(column: str) -> tuple[str, str] | None:
    """('spouse', 'first_name') for 'spouse_first_name' and 'primary_spouse_first_name', ('coborrower', 'ssn') for
    'co_borrower_ssn' (detectors.common.role_in_header), ('person 2', 'ssn') for 'ssn_2' (numbered_person)."""
    lead = role_in_header(column)
    if lead:
        return lead[0], "_".join(lead[1])
    numbered = numbered_person(column)  # first_name_2: person 2 of the row (classify._numbered_people)
    if numbered:
        return f"{NUMBERED}{numbered[0]}", numbered[1]
    qualified = qualified_person(column)  # patient_first_name beside subscriber_ (classify._qualified_people)
    return (qualified[0], "_".join(qualified[1])) if qualified else None


def co_subject_tables(table: Table, classes: list[ColumnClass]) -> list[Table]:
    """One derived table per role whose columns hold another person's name (the loop is over columns)."""
    schema = table.frame.collect_schema()
    groups: dict[str, list[tuple[str, str]]] = {}
    missing = []
    for c in classes:
        role = _role(c.name) if c.classified_as == "other_person" else None
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
    derived = []
    for role, columns in sorted(groups.items()):
        if not any(NAME_WORDS.intersection(rest.split("_")) for _, rest in columns):
            continue  # no name of the other person: nothing of theirs can be personal information
        own = {rest for _, rest in columns}
        taken: list[tuple[str, str]] = []
        # numbered people of one row (co-applicants) are read like a household: the row's address is theirs
        # unless their group has its own
        if role in HOUSEHOLD_ROLES | JOINT_ROLES | COVERED_ROLES or role.startswith(NUMBERED):
            taken += [(c.name, c.name) for c in classes if c.classified_as in RESIDENCY_KINDS]
        if role in JOINT_ROLES:
            taken += [(c.name, c.name) for c in classes if c.classified_as in HELD_KINDS]
        if role in HOUSEHOLD_ROLES | COVERED_ROLES:
            # the row's references (a claim's subscriber_id): where the row has no address of its own, the table
            # they reference places the household (links._household_members), as a dependants table's does
            taken += [(c.name, c.name) for c in classes if c.classified_as == "none" and _reference(c.name)]
        taken = [(src, dst) for src, dst in taken if dst not in own and src in schema]
        select = [pl.col(ROW)] + [pl.col(src).alias(dst) for src, dst in columns + taken]
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


REFERENCE_WORDS = {"id", "key", "no", "num", "number", "nbr", "ref"}


def _reference(column: str) -> bool:
    words = header_tokens(column)
    return bool(words) and words[-1] in REFERENCE_WORDS and role_in_header(column) is None


def household_role(table: str) -> bool:
    """Whether a derived table's rows are household or covered members of the row they came from
    (`claims (patient)`, `tax_returns (spouse)`)."""
    found = re.search(r"\(([^()]+)\)$", table)
    return found is not None and found.group(1) in HOUSEHOLD_ROLES | COVERED_ROLES


def names_someone(classes: list[ColumnClass]) -> bool:
    return any(c.classified_as in NAME_KINDS for c in classes)
