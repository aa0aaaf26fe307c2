"""Tax and wage reports: the IRS's TIN-type codes and a W-2's employer state ID (MCL 445.63(p)(i), (ii)).

Found by an adversarial review of payroll and 1099 exports (2026-11-25). Expected counts by hand (Michigan, other
states, unknown residency).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import counts, people_rows, scan, write  # noqa: E402

SSNS = ["301-22-4455", "302-33-5566", "303-44-6677"]


def test_irs_tin_type_one_is_an_ein(tmp_path):
    # Pub. 1220 "Type of TIN": 1 = EIN, 2 = SSN / ITIN / ATIN. Two sole proprietors paid under their EINs (written
    # without the dash), one under her SSN: only hers is an SSN (445.63(p)(i))
    rows = people_rows(3, tin=["384455667", "385566778", SSNS[0]], tin_type=["1", "1", "2"], st="MI")
    exposure = scan(write(tmp_path, {"payees": rows}))
    assert exposure["affected"]["michigan"] == 1
    assert exposure["rejected"]["ssn"]["count"] == 2
    names = {c["name"]: c["classified_as"] for t in exposure["tables"] for c in t["columns"]}
    assert names["tin_type"] == "none"  # the type column holds no number


def test_tin_type_two_and_untyped_stay_ssns(tmp_path):
    rows = people_rows(3, tin=SSNS, tin_type=["2", "", "S"], st="MI")
    assert counts(write(tmp_path, {"payees": rows})) == (3, 0, 0)


@pytest.mark.parametrize("header", ["er_state_id", "state_id_no", "State ID #"])
def test_a_w2s_employer_state_id_is_no_ones_id_card(header, tmp_path):
    # W-2 box 15, "employer's state ID number": the employer's withholding account beside the wages, not the
    # employees' state ID cards; the SSNs are masked (445.63(r)), so nobody is affected
    rows = people_rows(
        3,
        ssn=["XXX-XX-4455", "XXX-XX-5566", "XXX-XX-7788"],
        home_st="MI",
        box1_wages=["52000.00", "61000.00", "45000.00"],
        **{header: "123456789"},
    )
    assert counts(write(tmp_path, {"w2_extract": rows})) == (0, 0, 0)


def test_one_number_on_every_row_is_no_ones_state_id(tmp_path):
    rows = people_rows(3, ssn=["XXX-XX-4455", "XXX-XX-5566", "XXX-XX-7788"], state="MI", state_id="D1234567")
    assert counts(write(tmp_path / "same", {"staff": rows})) == (0, 0, 0)
    # each person's own number stays their state ID card
    own = people_rows(3, state="MI", state_id=["D1234567", "D2345678", "D3456789"])
    assert counts(write(tmp_path / "own", {"staff": own})) == (3, 0, 0)
