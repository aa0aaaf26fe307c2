"""Traps of a pharmacy export (second review): a patient's responsible party, a controlled-substance pickup log
and a pickup noted in the patient's notes.

Written like tests/test_adversarial.py: a handful of rows as CSV, scanned with pipeline.scan.run_scan, the
expected counts worked out from MCL 445.63(p) and 445.72(1) by hand. Every fix has a negative case that must stay
as it was. All values are synthetic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import affected, scan, write  # noqa: E402

# hand-made SSA-valid SSN shapes and Michigan-shaped licence numbers (a letter and 12 digits)
CHILD_SSNS = ["374-22-1180", "375-10-4432"]
PARENT_SSNS = ["372-41-5598", "381-22-9045"]
LICENCES = ["S123456789012", "O412559803117", "B554100293847"]


# ------------------------------------------------- a patient's responsible party (445.63(p)(i): the resident's own)


def _patients(prefix: str, *, parent_state: str | None = None) -> list[dict]:
    """Two minors with their own SSNs and a parent as responsible party (own SSN), one adult without one."""
    children = [("Ethan", "Nowak", "Karen"), ("Lily", "Reyes", "Miguel")]
    rows = []
    for i, (first, last, parent) in enumerate(children):
        row = {
            "PatientID": str(i + 1),
            "LastName": last,
            "FirstName": first,
            "DateOfBirth": f"201{i + 2}-04-02",
            "SSN": CHILD_SSNS[i],
            f"{prefix}FirstName": parent,
            f"{prefix}LastName": last,
            f"{prefix}SSN": PARENT_SSNS[i],
            f"{prefix}Relationship": "Mother" if i == 0 else "Father",
        }
        if parent_state is not None:
            row[f"{prefix}State"] = parent_state
        rows.append(
            {**row, "Address1": f"{10 + i} Front St", "City": "Monroe", "State": "MI", "ZipCode": "48161"}
        )
    adult = {k: "" for k in rows[0]}
    adult.update(
        {
            "PatientID": "3",
            "LastName": "Hill",
            "FirstName": "Sandra",
            "DateOfBirth": "1955-01-30",
            "SSN": "373-11-2345",
            "Address1": "5 Pine St",
            "City": "Monroe",
            "State": "MI",
            "ZipCode": "48161",
        }
    )
    return [*rows, adult]


@pytest.mark.parametrize(
    "prefix", ["ResponsibleParty", "RespParty", "RP_", "Resp_Party_", "RESPONSIBLE_PARTY_"]
)
def test_responsible_party_is_a_person_of_their_own(prefix, tmp_path):
    # PioneerRx / QS-1's Responsible Party beside the patient's own name: the parent's name and SSN are the
    # parent's (a second person of the row), never the child's; the parent without places of their own lives at
    # the row's address (the minor's household). Until 2026-11-25 the child took the parent's SSN: 3, not 5.
    exposure = scan(write(tmp_path, {"Patient": _patients(prefix)}))
    assert affected(exposure) == (5, 0, 0)


def test_responsible_party_with_own_state_is_placed_there(tmp_path):
    # a responsible party whose own columns place them elsewhere lives there, not at the patient's address
    exposure = scan(write(tmp_path, {"Patient": _patients("ResponsibleParty", parent_state="OH")}))
    assert affected(exposure) == (3, 2, 0)


def test_responsible_parties_table_alone_is_the_rows_subject(tmp_path):
    # RP_ columns with no other person's name in the row: the row's own person, as before
    rows = [
        {"RP_ID": "1", "RP_FNAME": "Karen", "RP_LNAME": "Nowak", "RP_SSN": PARENT_SSNS[0], "RP_STATE": "MI"}
    ]
    assert affected(scan(write(tmp_path, {"ResponsibleParty": rows}))) == (1, 0, 0)


# ------------------------------------------------------ a controlled-substance pickup log (445.63(p)(ii): an ID)


def _pickups(by_header: str, by_values: list[str]) -> list[dict]:
    relations = ["Daughter", "Self", "Spouse"]
    types = ["DL", "DL", "STATE ID"]
    return [
        {
            "PickupID": str(i + 1),
            "RxNumber": str(700001 + i),
            "PickupDate": f"2025-10-0{i + 2}",
            by_header: by_values[i],
            "Relationship": relations[i],
            "IDType": types[i],
            "IDNumber": LICENCES[i],
            "IDState": "MI",
        }
        for i in range(3)
    ]


PICKERS = ["Karen Lindqvist", "Grace Okafor", "Paul Brandt"]


@pytest.mark.parametrize("header", ["PickedUpBy", "picked_up_by", "RECEIVED_BY", "PickupBy"])
def test_pickup_persons_name_is_the_ids_holder(header, tmp_path):
    # Michigan MAPS: the person picking up a schedule II-V prescription shows an ID, recorded on the pickup row
    # with their name in a `..._by` column. Until 2026-11-25 no header read the name, and the IDs counted for
    # nobody. The licence's issuing state is no residence: unknown residency.
    exposure = scan(write(tmp_path, {"ControlledPickup": _pickups(header, PICKERS)}))
    assert affected(exposure) == (0, 0, 3)


def test_the_pickup_reaches_its_prescription_by_a_two_letter_table_name(tmp_path):
    # ControlledPickup.RxNumber -> Rx.RxNumber -> Patient: "rx" is a two-letter word, and link discovery counted a
    # name's words only from three letters, so the integer reference scored nothing and was refused (until
    # 2026-11-25). Followed, Grace's own pickup (Relationship Self, her licence) joins Grace the patient by name
    # across the link, and Grace is a Michigan resident; Karen and Paul stay of unknown residency (445.63(p)(ii)).
    patients = [
        {"PatientID": "1", "LastName": "Lindqvist", "FirstName": "Harold", "State": "MI", "ZipCode": "48161"},
        {"PatientID": "2", "LastName": "Okafor", "FirstName": "Grace", "State": "MI", "ZipCode": "48162"},
        {"PatientID": "3", "LastName": "Brandt", "FirstName": "Ruth", "State": "MI", "ZipCode": "48161"},
    ]
    rx = [
        {"RxNumber": str(700001 + i), "PatientID": str(i + 1), "DrugName": d, "Schedule": "II"}
        for i, d in enumerate(["Oxycodone 5mg", "Hydrocodone/APAP 5-325", "Morphine ER 15mg"])
    ]
    tables = {"ControlledPickup": _pickups("PickedUpBy", PICKERS), "Rx": rx, "Patient": patients}
    exposure = scan(write(tmp_path, tables))
    assert {(k["from"], k["to"]) for k in exposure["links"]} >= {("ControlledPickup.RxNumber", "Rx.RxNumber")}
    assert affected(exposure) == (1, 0, 2)


@pytest.mark.parametrize(
    ("header", "values"),
    [
        # a staff actor's column stays a relation, whatever its values
        ("ProcessedBy", PICKERS),
        ("verified_by", PICKERS),
        ("entered_by", PICKERS),
        # a receiver's column of user ids or initials names nobody
        ("PickedUpBy", ["KL", "GO", "PB"]),
        ("PickedUpBy", ["u1042", "u1043", "u1044"]),
    ],
)
def test_staff_by_columns_name_nobody(header, values, tmp_path):
    exposure = scan(write(tmp_path, {"ControlledPickup": _pickups(header, values)}))
    assert affected(exposure) == (0, 0, 0)


# ------------------------------------------------- a pickup by another person noted in the patient's notes


def _noted(texts: list[str]) -> dict[str, list[dict]]:
    patients = [
        {"PatientID": str(i + 1), "LastName": last, "FirstName": first, "State": "MI", "ZipCode": "48161"}
        for i, (first, last) in enumerate(
            [("Harold", "Lindqvist"), ("Grace", "Okafor"), ("Evelyn", "Brandt")]
        )
    ]
    notes = [
        {"NoteID": str(i + 1), "PatientID": str(i + 1), "NoteDate": "2025-10-02", "NoteText": t}
        for i, t in enumerate(texts)
    ]
    return {"Patient": patients, "PatientNote": notes}


def test_licence_of_another_person_picking_up_is_not_the_patients(tmp_path):
    # the daughter's or son's licence quoted in the parent's note is theirs (named by a first name alone, or not at
    # all: no one's under 445.63(p)), never the patient's. Until 2026-11-25 both patients counted.
    texts = [
        "Oxycodone picked up by daughter Karen - DL# S 123 456 789 012 verified MAPS",
        "Son picked up C2. Checked driver license O 412 559 803 117",
        "Pt prefers generic",
    ]
    assert affected(scan(write(tmp_path, _noted(texts)))) == (0, 0, 0)


def test_licence_in_a_note_of_the_patients_own_pickup_counts(tmp_path):
    # the patient picking up, or a licence written before a pickup by someone else, stays the patient's
    texts = [
        "Pt picked up. DL# S 123 456 789 012 verified MAPS",
        "Driver license O 412 559 803 117 on file; son picked up today",
        "Pt prefers generic",
    ]
    assert affected(scan(write(tmp_path, _noted(texts)))) == (2, 0, 0)
