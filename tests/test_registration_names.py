"""Account registrations and couples as names (MCL 445.63(p): first name or first initial and last name).

A brokerage's, bank's or retirement-plan record keeper's account title holds the owner's name with the account's
form written after it (JOHN A SMITH IRA, JOHN SMITH & MARY SMITH JTWROS, MARY SMITH CUST FBO TIMMY SMITH UTMA MI);
a ledger's or treasury system's account name holds the account's purpose (Operating Account, Payroll). The
expected counts come from the statute as docs/counting-rules.md section 2 reads it, never from the scanner; each
case has a negative beside it. All values are synthetic (hand-made SSA-valid SSN shapes).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import affected, scan, write  # noqa: E402

from pipeline.scan import run_scan  # noqa: E402
from pipeline.tables import ROW  # noqa: E402

SSNS = ["287-65-4321", "301-22-4455", "452-19-8830", "518-07-3321", "623-44-1098", "212-56-7734", "381-23-4567",
        "203-45-6789", "414-22-9087", "529-63-1148", "633-71-2290", "372-18-4406"]  # fmt: skip


def split(values: list[str | None]) -> list[tuple[str | None, str | None]]:
    from detectors import names

    f, ln = names.split_full_name(pl.col("v"))
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(f.alias("f"), ln.alias("l")).rows()


def classes(exposure: dict, table: str) -> dict[str, str]:
    (t,) = [t for t in exposure["tables"] if t["name"] == table]
    return {c["name"]: c["classified_as"] for c in t["columns"]}


def names_of(result) -> list[tuple[str | None, str | None]]:
    return result.records.sort(ROW).select("first_name", "last_name").rows()


# ---------------------------------------------------------------- reading a registration's owner


@pytest.mark.parametrize(
    "value, first, last",
    [
        ("JOHN A SMITH IRA", "JOHN", "SMITH"),
        ("JOHN SMITH ROTH IRA", "JOHN", "SMITH"),
        ("JOHN SMITH SEP IRA", "JOHN", "SMITH"),
        ("JOHN SMITH ROLLOVER IRA", "JOHN", "SMITH"),
        ("JOHN SMITH SIMPLE IRA", "JOHN", "SMITH"),
        ("JOHN SMITH ROTH CONTRIBUTORY IRA CHARLES SCHWAB & CO INC CUST", "JOHN", "SMITH"),
        ("JOHN SMITH JT TEN", "JOHN", "SMITH"),
        ("JOHN SMITH & MARY SMITH JTWROS", "JOHN", "SMITH"),  # joint: the first named
        ("JOHN SMITH & MARY SMITH TEN COM", "JOHN", "SMITH"),
        ("JOHN & MARY SMITH JT TEN", "JOHN", "SMITH"),
        ("ANN LEE TEN ENT", "ANN", "LEE"),
        ("JOHN SMITH TOD JANE SMITH", "JOHN", "SMITH"),
        ("JOHN SMITH POD JANE SMITH", "JOHN", "SMITH"),
        ("JOHN SMITH TTEE FBO JANE SMITH", "JOHN", "SMITH"),  # the trustee holds it: the first named
        ("JOHN SMITH, TTEE", "JOHN", "SMITH"),
        ("JOHN SMITH TR", "JOHN", "SMITH"),
        ("JOHN SMITH REV TRUST U/A DTD 01/02/2003", "JOHN", "SMITH"),  # a person's own trust: the grantor
        ("THE JOHN SMITH REVOCABLE TRUST", "JOHN", "SMITH"),
        ("JOHN SMITH TTEE JOHN SMITH LIVING TRUST DTD 3/4/05", "JOHN", "SMITH"),
        ("SMITH, JOHN A IRA", "JOHN", "SMITH"),
        ("ESTATE OF JOHN SMITH", "JOHN", "SMITH"),
        ("THE ESTATE OF JOHN SMITH DECD", "JOHN", "SMITH"),
        ("JOHN SMITH DBA SMITH PLUMBING", "JOHN", "SMITH"),
        ("JOHN SMITH 401K", "JOHN", "SMITH"),
        # custodial accounts under a Uniform Transfers / Gifts to Minors Act: the minor owns the account
        ("MARY SMITH CUST FBO TIMMY SMITH UTMA MI", "TIMMY", "SMITH"),
        ("MARY SMITH CUST TIMMY SMITH UTMA MI", "TIMMY", "SMITH"),
        ("MARY SMITH C/F TIMMY SMITH UGMA/MI", "TIMMY", "SMITH"),
        (
            "MARY SMITH AS CUSTODIAN FOR TIMMY SMITH UNDER THE MI UNIF TRANSFERS TO MINORS ACT",
            "TIMMY",
            "SMITH",
        ),
        # an organisation holds it for the person named after FBO: the IRA's owner
        ("FMT CO CUST IRA FBO JOHN SMITH", "JOHN", "SMITH"),
        ("PERSHING LLC AS CUSTODIAN FBO JOHN SMITH ROTH IRA", "JOHN", "SMITH"),
        ("CHARLES SCHWAB & CO INC CUST IRA CONTRIBUTORY FBO JOHN SMITH", "JOHN", "SMITH"),
        ("NFS/FMTC IRA FBO JOHN SMITH", "JOHN", "SMITH"),
        ("ACME CORP 401K PLAN FBO JOHN SMITH", "JOHN", "SMITH"),
        ("INHERITED IRA JANE SMITH BENE OF JOHN SMITH DECD", "JANE", "SMITH"),
        # no person: a trust, a plan, a firm
        ("SMITH FAMILY TRUST", None, None),
        ("SMITH FAMILY TRUST DTD 01/02/1999 JOHN SMITH TTEE", None, None),
        ("ACME CORP 401K PLAN", None, None),
        ("ACME PROFIT SHARING PLAN", None, None),
        ("GREAT LAKES PENSION PLAN", None, None),
        ("MICHIGAN EDUCATIONAL TRUST", None, None),
        ("SMITH TTEE", None, None),
        # registration words that are names too stay names where no registration word can be
        ("IRA GOLDBERG", "IRA", "GOLDBERG"),
        ("IRA GOLDBERG ROTH IRA", "IRA", "GOLDBERG"),
        ("TOD SMITH", "TOD", "SMITH"),
        ("John Tod", "John", "Tod"),
        ("JOHN ROTH IRA", "JOHN", "ROTH"),
        ("Mary Ann Roth", "Mary", "Roth"),
        ("JAMES A MINOR", "JAMES", "MINOR"),
        (
            "Joint Checking",
            "Joint",
            "Checking",
        ),  # a full-name value is read alike; the column decides (below)
    ],
)
def test_a_registrations_owner(value, first, last):
    assert split([value]) == [(first, last)]


# ---------------------------------------------------------------- couples and firms with "&"


@pytest.mark.parametrize(
    "value, first, last",
    [
        ("Smith, John & Mary", "John", "Smith"),  # a couple's sort name: until 2026-11-25 a firm
        ("SMITH, JOHN A & MARY B", "JOHN", "SMITH"),
        ("Smith, John and Mary", "John", "Smith"),
        ("John and Mary Smith", "John", "Smith"),
        ("JOHN & MARY SMITH", "JOHN", "SMITH"),
        ("John A Smith & Mary B Jones", "John", "Smith"),  # two whole names: the first
        ("Smith & Wesson", None, None),
        ("Johnson & Johnson LLC", None, None),
        ("Ernst & Young", None, None),
        ("Bed Bath & Beyond", None, None),
        ("Barnes & Noble", None, None),
        ("Great Lakes & Pacific Railroad", None, None),
        ("Smith & Wesson Brands", None, None),
        ("Walker, Smith & Brown PLLC", None, None),
        ("Jones, Tool & Die", None, None),
        ("H&R Block", None, None),
    ],
)
def test_couples_and_firms_with_an_ampersand(value, first, last):
    assert split([value]) == [(first, last)]


def test_a_couples_sort_name_counts_the_first_person(tmp_path):
    """'Smith, John & Mary' with the household's SSN is John Smith (until 2026-11-25 a firm, and nobody counted);
    'Johnson & Johnson LLC' beside it stays a firm."""
    rows = [
        {"customer_name": "Smith, John & Mary", "tax_id": SSNS[0], "state": "MI"},
        {"customer_name": "Jones, Ann & Robert", "tax_id": SSNS[1], "state": "MI"},
        {"customer_name": "Khan, Ahmed", "tax_id": SSNS[2], "state": "MI"},
        {"customer_name": "Johnson & Johnson LLC", "tax_id": SSNS[3], "state": "MI"},
    ]
    result = run_scan([str(write(tmp_path, {"customers": rows}))], out_dir=None)
    assert affected(result.exposure) == (3, 0, 0)
    assert names_of(result) == [("John", "Smith"), ("Ann", "Jones"), ("Ahmed", "Khan"), (None, None)]


# ---------------------------------------------------------------- registration columns in a scan

REGISTRATIONS = [
    "JOHN A SMITH IRA",
    "MARY JONES & ROBERT JONES JTWROS",
    "AHMED KHAN TTEE FBO LAILA KHAN",
    "ROSA DIAZ CUST FBO TIMMY DIAZ UTMA MI",
    "LI WEI ROTH IRA",
    "SMITH FAMILY TRUST",
    "ACME CORP 401K PLAN",
    "ESTATE OF TOM NG",
    "ANN LEE TOD PAUL LEE",
    "PAUL BROWN SEP IRA",
    "SARA GREEN ROLLOVER IRA",
    "DAN WHITE JT TEN",
]
OWNERS = [("JOHN", "SMITH"), ("MARY", "JONES"), ("AHMED", "KHAN"), ("TIMMY", "DIAZ"), ("LI", "WEI"), (None, None),
          (None, None), ("TOM", "NG"), ("ANN", "LEE"), ("PAUL", "BROWN"), ("SARA", "GREEN"), ("DAN", "WHITE")]  # fmt: skip


@pytest.mark.parametrize(
    "header",
    [
        "acct_title",
        "account_title",
        "account_name",
        "registration",
        "reg_line_1",
        "title_line1",
        "name_line_1",
        "owner_name",
        "acct_reg",
        "AcctRegistration",
        "ACCT_NM",
        "REG_LN_1",
    ],  # fmt: skip
)
def test_an_account_registration_is_its_owners_name(header, tmp_path):
    """Each registration names its owner with the owner's SSN (tax_id): ten people, the trust and the plan none
    (until 2026-11-25 the header was no name column, or the owner was 'JOHN IRA', and nobody counted). The
    custodial account is the minor's."""
    rows = [
        {"acct_no": str(70012000 + i), header: v, "tax_id": s, "state": "MI"}
        for i, (v, s) in enumerate(zip(REGISTRATIONS, SSNS, strict=True))
    ]
    result = run_scan([str(write(tmp_path, {"brokerage_accounts": rows}))], out_dir=None)
    assert classes(result.exposure, "brokerage_accounts")[header] == "full_name"
    assert affected(result.exposure) == (10, 0, 0)
    assert names_of(result) == OWNERS


def test_a_registrations_owner_is_the_person_of_their_other_records(tmp_path):
    """The owner read from 'JOHN A SMITH IRA' is John Smith: his customer record (Michigan) and his IRA account
    at the same address are one person, counted once, in Michigan (until 2026-11-25 the account's row had no
    name, or the name 'JOHN IRA', and stayed apart)."""
    customers = [
        {"cust_id": "1", "first_name": "John", "last_name": "Smith", "address": "12 Elm St", "zip": "48910",
         "state": "MI", "email": "js@example.org"},
        {"cust_id": "2", "first_name": "Ann", "last_name": "Lee", "address": "4 Oak Ave", "zip": "43004",
         "state": "OH", "email": "al@example.org"},
    ]  # fmt: skip
    accounts = [
        {"acct_no": "70012001", "account_title": "JOHN A SMITH IRA", "address": "12 Elm St", "zip": "48910",
         "tax_id": SSNS[0]},
        {"acct_no": "70012002", "account_title": "ANN LEE TOD PAUL LEE", "address": "4 Oak Ave", "zip": "43004",
         "tax_id": SSNS[1]},
    ]  # fmt: skip
    exposure = scan(write(tmp_path, {"customers": customers, "brokerage_accounts": accounts}))
    assert affected(exposure) == (1, 1, 0)


@pytest.mark.parametrize(
    "header, values",
    [
        # a company's bank accounts in a treasury system
        (
            "account_name",
            [
                "Operating Account",
                "Payroll",
                "Savings - Vacation",
                "Joint Checking",
                "Tax Reserve",
                "Petty Cash",
                "Money Market Sweep",
                "Lockbox Collections",
            ],
        ),
        # a chart of accounts
        (
            "account_title",
            [
                "Accounts Receivable",
                "Office Supplies",
                "Retained Earnings",
                "Prepaid Insurance",
                "Bank Charges",
                "Cost of Goods Sold",
                "Accrued Wages",
                "Sales Returns",
            ],
        ),
        # a household budget app's account nicknames
        (
            "acct_name",
            [
                "Emergency Fund",
                "Kids College",
                "Christmas Club",
                "Main Checking",
                "Travel Fund",
                "Household",
                "Rent",
                "Car Loan",
            ],
        ),
        # a CRM's accounts: companies
        (
            "account_name",
            [
                "Acme Corp",
                "Globex",
                "Initech LLC",
                "Umbrella Corporation",
                "Stark Industries",
                "Wayne Enterprises",
                "Hooli",
                "Blue Sky Partners",
            ],
        ),
    ],
)
def test_an_account_named_for_its_purpose_is_no_name(header, values, tmp_path):
    """An account named for its purpose (a treasury's, a ledger's, a budget's) or a company's account is no
    person: its numbers beside the names count nobody."""
    rows = [
        {"account_number": str(44810000 + 37 * i), "routing_number": "072000326", header: v}
        for i, v in enumerate(values)
    ]
    exposure = run_scan([str(write(tmp_path, {"accounts": rows}))], out_dir=None).exposure
    assert classes(exposure, "accounts")[header] != "full_name"
    assert affected(exposure) == (0, 0, 0)


@pytest.mark.parametrize(
    "header", ["registration_date", "vehicle_registration", "registration_status", "reg_line_2"]
)
def test_headers_that_name_no_registration_owner(header, tmp_path):
    """A registration's date, status or vehicle, and a registration's second line (the second owner, the form or
    the address), are not the owner's name."""
    rows = [
        {"acct_no": str(70012000 + i), header: v, "tax_id": s, "state": "MI"}
        for i, (v, s) in enumerate(zip(REGISTRATIONS, SSNS, strict=True))
    ]
    exposure = run_scan([str(write(tmp_path, {"brokerage_accounts": rows}))], out_dir=None).exposure
    assert classes(exposure, "brokerage_accounts")[header] != "full_name"
    assert affected(exposure) == (0, 0, 0)
