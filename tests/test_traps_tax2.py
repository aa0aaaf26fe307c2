"""Tax-preparation exports: a joint return's spouse and a care provider are people of their own (MCL 445.63(p)).

Found by an adversarial review of tax-preparation exports (2026-11-25): an IRS MeF return's name line naming the
couple beside PrimarySSN and SpouseSSN, a state return's SP_SSN, Form 2441's care providers. Each person is
counted once, with their own name and their own SSN; expected counts by hand (Michigan, other states, unknown).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import counts, scan, write  # noqa: E402

SSNS = [
    "301-22-4455",
    "302-33-5566",
    "303-44-6677",
    "304-55-7788",
    "305-66-8899",
    "306-77-9911",
    "401-22-3344",
    "402-33-4455",
]


def _returns(name: str, primary: str, spouse: str) -> list[dict]:
    """Three joint returns and one single filer, the couples' name lines as the MeF header writes them."""
    lines = [
        ("1", "JOHN A & MARY B SMITH", SSNS[0], SSNS[1], "MI"),
        ("2", "PETER K JONES & ANNA L JONES", SSNS[2], SSNS[3], "MI"),
        ("3", "KHAN, AHMED & SARA", SSNS[4], SSNS[5], "OH"),
        ("4", "LI WEI", SSNS[6], "", "MI"),
    ]
    return [
        {"ReturnId": rid, name: line, primary: p, spouse: s, "StateAbbreviationCd": st}
        for rid, line, p, s, st in lines
    ]


@pytest.mark.parametrize(
    "name,primary,spouse",
    [
        ("NameLine1Txt", "PrimarySSN", "SpouseSSN"),
        ("NAME_LINE_1", "TP_SSN", "SP_SSN"),
        ("FILER_NAME", "SSN", "SPOUSE_SSN"),
    ],
)
def test_the_spouse_on_a_joint_returns_name_line_is_a_person(name, primary, spouse, tmp_path):
    # each spouse is named second on the name line and has her own SSN column: John, Mary, Peter, Anna and Li in
    # Michigan, Ahmed and Sara in Ohio. Until 2026-11-25 the spouses' SSNs were nobody's (SpouseSSN) or the
    # taxpayer's (SP_SSN), and (3, 1, 0) was counted
    exposure = scan(write(tmp_path, {"returns": _returns(name, primary, spouse)}))
    assert exposure["affected"] == {"michigan": 5, "other_states": 2, "unknown_residency": 0}
    assert exposure["affected_michigan_by_element"]["ssn"] == 5


def test_a_name_line_naming_one_person_names_no_spouse(tmp_path):
    # a single filer's line beside a spouse SSN (a married-filing-separately return's spouse): the spouse is
    # not named, so not counted; a firm's or a couple without a surname names no second person either
    rows = [
        {
            "ReturnId": "1",
            "NameLine1Txt": "JOHN SMITH",
            "PrimarySSN": SSNS[0],
            "SpouseSSN": SSNS[1],
            "ST": "MI",
        },
        {
            "ReturnId": "2",
            "NameLine1Txt": "JOHN & MARY",
            "PrimarySSN": SSNS[2],
            "SpouseSSN": SSNS[3],
            "ST": "MI",
        },
        {"ReturnId": "3", "NameLine1Txt": "ROSA DIAZ", "PrimarySSN": SSNS[4], "SpouseSSN": "", "ST": "MI"},
    ]
    assert counts(write(tmp_path, {"returns": rows})) == (2, 0, 0)


def _clients() -> list[dict]:
    return [
        {"CLIENT_ID": "101", "TP_FIRST_NAME": "John", "TP_LAST_NAME": "Smith", "SP_FIRST_NAME": "Mary",
         "SP_LAST_NAME": "Smith", "STATE": "MI"},
        {"CLIENT_ID": "102", "TP_FIRST_NAME": "Peter", "TP_LAST_NAME": "Jones", "SP_FIRST_NAME": "Anna",
         "SP_LAST_NAME": "Jones", "STATE": "MI"},
        {"CLIENT_ID": "103", "TP_FIRST_NAME": "Ahmed", "TP_LAST_NAME": "Khan", "SP_FIRST_NAME": "",
         "SP_LAST_NAME": "", "STATE": "MI"},
    ]  # fmt: skip


def test_a_state_returns_spouse_ssn_reaches_the_clients_spouse(tmp_path):
    # an MI-1040 table of numbers only (RETURN_ID, CLIENT_ID, TP_SSN, SP_SSN) beside the clients' names: Mary and
    # Anna have the SSNs the state return gives them, John and Peter only their own. Until 2026-11-25 SP_SSN was
    # the client's and the spouses were nobody: (3, 0, 0)
    mi1040 = [
        {"RETURN_ID": str(9001 + k), "CLIENT_ID": str(101 + k), "TAX_YEAR": "2024", "TP_SSN": SSNS[2 * k],
         "SP_SSN": SSNS[2 * k + 1] if k < 2 else "", "MI_AGI": "85000"}
        for k in range(3)
    ]  # fmt: skip
    exposure = scan(write(tmp_path, {"clients": _clients(), "mi1040_returns": mi1040}))
    assert exposure["affected"] == {"michigan": 5, "other_states": 0, "unknown_residency": 0}
    columns = {
        c["name"]: c["classified_as"]
        for t in exposure["tables"]
        for c in t["columns"]
        if t["name"] == "mi1040_returns"
    }
    assert columns["SP_SSN"] == "other_person" and columns["TP_SSN"] == "ssn"


def test_sp_alone_stays_the_rows_subject(tmp_path):
    # "sp" is a spouse only beside the taxpayer's own number: a service provider's SP_SSN alone is the row's
    rows = [
        {"first_name": f, "last_name": last, "SP_SSN": SSNS[k], "state": "MI"}
        for k, (f, last) in enumerate([("Ann", "Lee"), ("Tom", "Ray")])
    ]
    assert counts(write(tmp_path, {"contractors": rows})) == (2, 0, 0)


def _clients_in_ohio() -> list[dict]:
    return [
        {"CLIENT_ID": str(101 + k), "FIRST_NAME": f, "LAST_NAME": last, "STATE": "OH"}
        for k, (f, last) in enumerate([("John", "Smith"), ("Peter", "Jones"), ("Ahmed", "Khan")])
    ]


def _care_providers(name: str = "PROVIDER_NAME", number: str = "PROVIDER_SSN") -> list[dict]:
    """Form 2441 line 1: each client's care provider, a babysitter under her SSN or a day-care centre under its EIN."""
    return [
        {"CLIENT_ID": "101", name: "Linda Baker", number: SSNS[6], "PROVIDER_ADDRESS": "12 Elm St, Lansing, MI 48912",
         "AMOUNT_PAID": "4200.00"},
        {"CLIENT_ID": "102", name: "Little Stars Daycare LLC", number: "38-4455667",
         "PROVIDER_ADDRESS": "9 Oak Ave, Toledo, OH 43604", "AMOUNT_PAID": "6100.00"},
        {"CLIENT_ID": "103", name: "Rosa Diaz", number: SSNS[7], "PROVIDER_ADDRESS": "44 Pine Rd, Detroit, MI 48201",
         "AMOUNT_PAID": "3000.00"},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "table,name,number",
    [
        ("form_2441", "PROVIDER_NAME", "PROVIDER_SSN"),
        ("form_2441", "PROVIDER_NAME", "PROVIDER_TIN"),
        ("dependent_care_providers", "PROVIDER_NAME", "PROVIDER_TIN"),
        ("child_care", "CARE_PROVIDER_NAME", "CARE_PROVIDER_SSN"),
    ],
)
def test_a_care_providers_ssn_is_the_providers(table, name, number, tmp_path):
    # Linda Baker and Rosa Diaz, named with their SSNs, are affected and placed by their own addresses (Lansing,
    # Detroit); the day-care centre's EIN names no person; the Ohio clients hold no element of their own. Until
    # 2026-11-25 each provider's SSN was the client's: (0, 2, 0), two Ohio clients and no provider
    rows = _care_providers(name, number)
    if name.startswith("CARE_"):
        rows = [
            {k.replace("PROVIDER_ADDRESS", "CARE_PROVIDER_ADDRESS"): v for k, v in r.items()} for r in rows
        ]
    exposure = scan(write(tmp_path, {"clients": _clients_in_ohio(), table: rows}))
    assert exposure["affected"] == {"michigan": 2, "other_states": 0, "unknown_residency": 0}


def test_a_claims_provider_stays_at_its_practice(tmp_path):
    # the care provider's address places her; a claim's billing provider's address is a practice's (a workplace,
    # no residency evidence): Jeremy Harris, billing under his SSN, is of unknown residency. Until 2026-11-25 his
    # name on a claim line of one row (read as no person's name) was dropped, and he was not counted: (0, 0, 0)
    rows = [
        {"CLM_ID": "1", "PAT_FIRST_NM": "Teresa", "PAT_LAST_NM": "Hall", "BILL_PROV_NM": "HARRIS, JEREMY MD",
         "BILL_PROV_TIN": SSNS[0], "BILL_PROV_ADDRESS": "1 Main St, Flint, MI 48502", "CHRG_AMT": "180.00"},
    ]  # fmt: skip
    assert counts(write(tmp_path, {"CLM_LN": rows})) == (0, 0, 1)
