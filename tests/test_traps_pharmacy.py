"""Pharmacy exports (adversarial review, session 12): an address history kept as typed rows (AddressType = Former,
Work), a legacy Medicare claim number (HICN: the wage earner's SSN and a beneficiary code) and a death recorded as
the reason a patient was made inactive. Counts by hand per test; values synthetic."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from scenario import affected, counts, scan, write

from detectors import ssn
from detectors.base import REJECTED, UNREDACTED, value_status

SSNS = ["372-41-5598", "381-22-9045", "373-11-2345", "374-52-1188"]
PATIENTS = [("Donna", "Kowalski"), ("Ramon", "Perez"), ("Sandra", "Hill"), ("Victor", "Lane")]


def _patients(n: int = 3, **columns) -> list[dict]:
    return [
        {
            "PatientID": str(k + 1),
            "FirstName": PATIENTS[k][0],
            "LastName": PATIENTS[k][1],
            "DateOfBirth": f"19{55 + k}-01-30",
            "SSN": SSNS[k],
            **{c: v[k] for c, v in columns.items()},
        }
        for k in range(n)
    ]


def _address(pid: str, kind: str, st: str, z: str, **extra) -> dict:
    return {"PatientID": pid, "AddressType": kind, "Address1": "1 Main St", "City": "Town", "State": st,
            "ZipCode": z, **extra}  # fmt: skip


# 1. An address row typed Former / Inactive / Work is not the current home ----------------------------------------


@pytest.mark.parametrize(
    "former",
    ["Former", "Previous", "Inactive", "Old Address", "PRIOR", "HOME-INACTIVE", "Historical", "PrevAddr"],
)
def test_an_address_row_typed_former_is_weak_evidence(tmp_path: Path, former: str):
    """Each patient lives in Ohio or Indiana now; the Michigan row is typed as a former address. Until 2026-11-25
    Michigan-wins took the former row: michigan 3."""
    addresses = [
        _address("1", "Home", "OH", "43623"),
        _address("1", former, "MI", "48161"),
        _address("2", "Home", "OH", "43560"),
        _address("2", former, "MI", "48162"),
        _address("3", "Primary", "IN", "46703"),
        _address("3", former, "MI", "48161"),
    ]
    db = write(tmp_path, {"Patient": _patients(), "PatientAddress": addresses})
    assert counts(db) == (0, 3, 0)


def test_a_former_address_still_places_a_patient_with_no_other(tmp_path: Path):
    """Weak, not nothing: Victor's only address row is a former Michigan one; he is placed there."""
    addresses = [_address("1", "Home", "OH", "43623"), _address("4", "Former", "MI", "48161")]
    db = write(tmp_path, {"Patient": [_patients(4)[0], _patients(4)[3]], "PatientAddress": addresses})
    assert counts(db) == (1, 1, 0)


@pytest.mark.parametrize("work", ["Work", "Business", "Office", "Employer", "WORK_ADDR", "BU"])
def test_an_address_row_typed_work_is_no_residence(tmp_path: Path, work: str):
    """Donna and Ramon live in Ohio and work in Monroe, Michigan; Sandra gave only her work address: a workplace
    places nobody (docs: work places are not residence), so she is of unknown residency. Until 2026-11-25: michigan 3."""
    addresses = [
        _address("1", "Home", "OH", "43623"),
        _address("1", work, "MI", "48161"),
        _address("2", "Mailing", "OH", "43560"),
        _address("2", work, "MI", "48162"),
        _address("3", work, "MI", "48161"),
    ]
    db = write(tmp_path, {"Patient": _patients(), "PatientAddress": addresses})
    assert counts(db) == (0, 2, 1)


def test_home_mailing_billing_and_home_office_rows_stay_evidence(tmp_path: Path):
    """Own places of every kind: Michigan-wins still applies between them (a Michigan home office is a home)."""
    addresses = [
        _address("1", "Home", "OH", "43623"),
        _address("1", "Mailing", "MI", "48161"),
        _address("2", "Home", "OH", "43560"),
        _address("2", "Billing", "MI", "48162"),
        _address("3", "Work", "IN", "46703"),
        _address("3", "Home Office", "MI", "48161"),
    ]
    db = write(tmp_path, {"Patient": _patients(), "PatientAddress": addresses})
    assert counts(db) == (3, 0, 0)


@pytest.mark.parametrize(
    "header,old",
    [("IsActive", "N"), ("IsActive", "0"), ("IsActive", "false"), ("Status", "INACTIVE"),
     ("AddressStatus", "Inactive - Moved"), ("Status", "Previous Address")],
)  # fmt: skip
def test_an_address_rows_status_ends_it(tmp_path: Path, header: str, old: str):
    """A status column of an address row (ACTIVE / INACTIVE, IsActive = N): the inactive Michigan row is former.
    Written out in words ("Inactive - Moved") until 2026-11-25 it was read as current."""
    current = {"N": "Y", "0": "1", "false": "true"}.get(old, "ACTIVE")
    addresses = [
        _address("1", "Home", "OH", "43623", **{header: current}),
        _address("1", "Home", "MI", "48161", **{header: old}),
        _address("2", "Home", "OH", "43560", **{header: current}),
        _address("2", "Home", "MI", "48162", **{header: old}),
        _address("3", "Home", "MI", "48161", **{header: current}),
    ]
    db = write(tmp_path, {"Patient": _patients(), "PatientAddress": addresses})
    assert counts(db) == (1, 2, 0)


# 2. A legacy Medicare claim number (HICN) is the wage earner's SSN ------------------------------------------------


def _medicare(header: str, numbers: list[str]) -> list[dict]:
    return [
        {"PatientID": str(k + 1), "LastName": last, "FirstName": first, header: number, "State": "MI",
         "ZipCode": "48161"}
        for k, ((first, last), number) in enumerate(zip(PATIENTS, numbers, strict=False))
    ]  # fmt: skip


@pytest.mark.parametrize(
    "header",
    ["MedicareHICN", "HICN", "Medicare Claim Number", "HIC_NO", "MedicareID", "medicare_no", "RRB_NO"],
)
def test_a_hicn_with_code_a_is_the_patients_own_ssn(tmp_path: Path, header: str):
    """BIC A (the primary claimant, the wage earner): the nine digits are the patient's SSN, all visible
    (445.63(p)(i), (r)). Until 2026-11-25 the column was none and nobody counted."""
    numbers = ["371201187A", "372-90-4410A", "373110934A", "A374521188"]
    db = write(tmp_path, {"Patient": _medicare(header, numbers)})
    assert counts(db) == (4, 0, 0)


def test_a_hicn_of_a_spouse_child_or_widow_is_no_ones_ssn(tmp_path: Path):
    """BIC B (spouse), C1 (child), D (widow), the RRB's WA (widow): the wage earner's SSN, whose name the row does
    not give. Only Donna's own claim (A) counts; the others are rejected with the reason, never counted for the
    patient; an MBI is no SSN."""
    numbers = ["371201187A", "372904410B", "373110934C1", "WA374521188"]
    db = write(tmp_path, {"Patient": _medicare("MedicareHICN", numbers)})
    exp = scan(db)
    assert affected(exp) == (1, 0, 0)
    column = next(c for t in exp["tables"] for c in t["columns"] if c["name"] == "MedicareHICN")
    assert column["classified_as"] == "ssn"
    assert column["rejected"] == 3
    assert any("wage earner" in reason for reason in column["rejected_reasons"])


def test_a_column_of_mbis_is_no_ssn(tmp_path: Path):
    """Medicare Beneficiary Identifiers (since 2018) are random: no SSN, no one counted."""
    numbers = ["1EG4-TE5-MK73", "2AA9-CD4-EF67", "3HJ1-KM2-NP34", "4QR5-TU6-VW78"]
    db = write(tmp_path, {"Patient": _medicare("MedicareID", numbers)})
    assert counts(db) == (0, 0, 0)


def test_hicn_values_as_the_ssn_detector_reads_them():
    values = ["371201187A", "372-90-4410-A", "373110934T", "373110934B1", "WA373110934", "1EG4TE5MK73"]
    frame = pl.DataFrame({"v": values})
    c = ssn.DETECTOR.canonical(pl.col("v"))
    out = frame.select(c.alias("c"), value_status(ssn.DETECTOR, pl.col("v"), c).alias("st"))
    assert out["c"].to_list()[:3] == ["371201187", "372904410", "373110934"]
    assert out["st"].to_list() == [UNREDACTED] * 3 + [REJECTED] * 3


# 3. A death recorded as the reason a patient was made inactive ---------------------------------------------------


@pytest.mark.parametrize(
    "header,died",
    [("InactiveReason", "Deceased"), ("InactivationReason", "Death"), ("StatusReason", "DEC"),
     ("TermReason", "Died"), ("CloseReason", "Expired"), ("inactive_reason_cd", "DECEASED - VERIFIED")],
)  # fmt: skip
def test_an_inactive_reason_of_death_marks_the_patient_deceased(tmp_path: Path, header: str, died: str):
    """Walter and Ruth died (PatientStatus = Inactive, the reason says so); Ann is active, Jim moved away. Until
    2026-11-25 all four counted as living Michigan residents."""
    rows = _patients(
        4,
        PatientStatus=["Inactive", "Inactive", "Active", "Inactive"],
        **{header: [died, died, "", "Moved"]},
        State=["MI"] * 4,
        ZipCode=["48161"] * 4,
    )
    exp = scan(write(tmp_path, {"Patient": rows}))
    assert affected(exp) == (2, 0, 0)
    assert exp["deceased"]["recorded"] == 2
    assert exp["what_if"]["deceased_counted"] == 4


def test_another_persons_death_as_the_reason_is_not_the_patients(tmp_path: Path):
    """Death of spouse, Subscriber deceased: the row's person lives; a membership's TermReason = Expired outside a
    patient's table is the membership's."""
    rows = [
        {"member_id": str(k), "first_name": first, "last_name": last, "ssn": SSNS[k], "state": "MI",
         "TermReason": reason}
        for k, ((first, last), reason) in enumerate(
            zip(PATIENTS, ["Death of spouse", "Subscriber deceased", "Expired", "Deceased"], strict=True)
        )
    ]  # fmt: skip
    exp = scan(write(tmp_path, {"members": rows}))
    assert affected(exp) == (3, 0, 0)
    assert exp["deceased"]["recorded"] == 1
