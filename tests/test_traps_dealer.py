"""Traps of car-dealership (CDK / Reynolds DMS) and wireless-carrier exports.

A reviewer's synthetic DMS and carrier exports (session 12): the selling dealer's state read as the buyer's home, a
business account's dashless EIN read as its contact's SSN, a line's E911 address read as the subscriber's home, an
ID scanner's DOC_CLASS + DOC_NUMBER pair not read, and an Ontario buyer's Social Insurance Number read as an SSN.
Written like tests/test_adversarial.py: a handful of rows as CSV, scanned, the expected counts worked out from MCL
445.63(p) and 445.72(1) by hand. Every fix has a case that must stay counted. All values are synthetic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import affected, scan, write  # noqa: E402

from detectors import names, residency  # noqa: E402

# Michigan licence shape, SSA-valid SSNs
DLS = ["T123456789012", "D234567890123", "B345678901234"]


def _values(expr: pl.Expr, values: list[str]) -> list:
    return pl.DataFrame({"v": values}).select(expr.alias("o")).get_column("o").to_list()


def _rejected(exposure: dict, element: str = "ssn") -> dict[str, int]:
    return exposure.get("rejected", {}).get(element, {}).get("reasons", {})


# ------------------------------------------------------- the selling dealer's place is not the buyer's home


def _deal_export(tmp_path: Path, dealer_header: str) -> Path:
    """Three buyers (OH, IN, MI), each with a licence; every deal carries the Michigan dealer's place."""
    customers = [
        {"CUST_NO": "100001", "FIRST_NAME": "GEORGE", "LAST_NAME": "YU", "CITY": "TOLEDO", "STATE": "OH",
         "ZIP": "43614", "DL_NO": DLS[0], "DL_ST": "MI"},
        {"CUST_NO": "100008", "FIRST_NAME": "LISA", "LAST_NAME": "ROGERS", "CITY": "SOUTH BEND", "STATE": "IN",
         "ZIP": "46614", "DL_NO": DLS[1], "DL_ST": "MI"},
        {"CUST_NO": "100015", "FIRST_NAME": "MARK", "LAST_NAME": "DAVIS", "CITY": "DETROIT", "STATE": "MI",
         "ZIP": "48201", "DL_NO": DLS[2], "DL_ST": "MI"},
    ]  # fmt: skip
    deals = [
        {"DEAL_NO": f"4000{i}", "BUYER_CUST_NO": c["CUST_NO"], "VIN": f"1GNSKCKC5LR12345{i}",
         "CASH_PRICE": "38000.00", dealer_header: "MI", "DLR_ZIP_CD": "48126"}
        for i, c in enumerate(customers)
    ]  # fmt: skip
    if dealer_header.endswith(("ZIP", "zip")):
        for d in deals:
            d[dealer_header] = "48126"
    return write(tmp_path, {"CUSTOMER": customers, "DEAL_JACKET": deals})


@pytest.mark.parametrize(
    "header",
    [
        "DEALER_STATE",
        "SELLING_DLR_ST",
        "SALE_LOC_ST",
        "ROOFTOP_ST",
        "POINT_OF_SALE_ST",
        "DEALERSHIP_ZIP",
        "SELLER_ST",
    ],
)
def test_selling_dealers_place_is_not_the_buyers_home(header, tmp_path):
    """445.72(1) "resident of this state": the dealer's rooftop is where the car was sold. Until 2026-11-25 the
    Michigan dealer's state on the deal made the Ohio and Indiana buyers Michigan residents (3, 0, 0)."""
    exposure = scan(_deal_export(tmp_path, header))
    assert affected(exposure) == (1, 2, 0)


def test_buyers_own_state_on_the_deal_still_places_the_buyer(tmp_path):
    """The buyer's own place on the deal (BUYER_ST) is the buyer's: the Michigan value there counts."""
    exposure = scan(_deal_export(tmp_path, "BUYER_ST"))
    assert affected(exposure) == (3, 0, 0)


def test_a_sellers_own_table_holds_the_sellers_place(tmp_path):
    """A marketplace's sellers table: the seller is the row's subject, SELLER_ST their own place."""
    rows = [
        {
            "SELLER_ID": "1",
            "FIRST_NAME": "JOHN",
            "LAST_NAME": "SMITH",
            "SSN": "287-65-4321",
            "SELLER_ST": "MI",
        },
        {
            "SELLER_ID": "2",
            "FIRST_NAME": "MARY",
            "LAST_NAME": "JONES",
            "SSN": "301-22-4455",
            "SELLER_ST": "OH",
        },
    ]
    assert affected(scan(write(tmp_path, {"sellers": rows}))) == (1, 1, 0)


# --------------------------------------------------------------- a business account's EIN is not an SSN


def _business_accounts(extra: list[dict], name_header: str | None, names_: list[str]) -> list[dict]:
    """Two business accounts (a contact person, the firm's dashless EIN in TAX_ID) and one individual account
    whose TAX_ID is the person's own SSN, all billed in Michigan."""
    rows = [
        {"BAN": "411902755", "FIRST_NM": "THOMAS", "LAST_NM": "ROBBINS", "TAX_ID": "747845065"},
        {"BAN": "385946998", "FIRST_NM": "DAVID", "LAST_NM": "CHEN", "TAX_ID": "379079483"},
        {"BAN": "332332315", "FIRST_NM": "JOHN", "LAST_NM": "ROBERTS", "TAX_ID": "447966402"},
    ]
    for row, more, firm in zip(rows, extra, names_, strict=True):
        row.update(more)
        if name_header:
            row[name_header] = firm
        row.update({"BILL_CITY": "TROY", "BILL_ST": "MI", "BILL_ZIP": "48046"})
    return rows


@pytest.mark.parametrize("name_header", ["BUS_NM", "BUS_NAME", "BIZ_NM"])
def test_bus_abbreviation_names_the_organisation(name_header, tmp_path):
    """445.63(p)(i): a firm's TIN is its EIN. `BUS_NM` (the carrier's business-name field) names the row's
    organisation like BUSINESS_NAME. Until 2026-11-25 its `DECKER LLC` went unread and the EIN counted."""
    rows = _business_accounts([{}, {}, {}], name_header, ["DECKER LLC", "HIGGINS LTD", ""])
    exposure = scan(write(tmp_path, {"ACCOUNT": rows}))
    assert affected(exposure) == (1, 0, 0)
    assert sum(_rejected(exposure).values()) == 2
    assert residency.organisation_column(name_header)


@pytest.mark.parametrize("header", ["ACCT_TYPE", "CUST_TYPE", "CUSTOMER_TYPE", "PARTY_TYP"])
@pytest.mark.parametrize("business", [["B", "Business"], ["Commercial", "FLEET"]])
def test_party_type_says_the_tin_is_an_ein(header, business, tmp_path):
    """A row typed B / Business / Commercial / Fleet is an organisation's, its TIN its EIN (445.63(p)(i)); a row
    typed I keeps its TIN as the person's SSN. Until 2026-11-25 the type went unread: (3, 0, 0)."""
    types = [{header: business[0]}, {header: business[1]}, {header: "I"}]
    exposure = scan(write(tmp_path, {"ACCOUNT": _business_accounts(types, None, ["", "", ""])}))
    assert affected(exposure) == (1, 0, 0)
    assert _rejected(exposure) == {"the row names an organisation (its TIN is an EIN, not an SSN)": 2}


def test_a_designation_before_a_trailing_word_names_a_firm(tmp_path):
    """CDK's business customers as dealers write them: "CARTER INC FLEET", "ACME LLC DBA ACME MOTORS". Until
    2026-11-25 only a value ending in the designation was a firm, and these EINs counted as SSNs."""
    rows = _business_accounts(
        [{}, {}, {}],
        "BUSINESS_NAME",
        ["CARTER INC FLEET", "ACME LLC DBA ACME MOTORS", "JOHN ROBERTS DBA JR PAINTING"],
    )
    exposure = scan(write(tmp_path, {"CUSTOMER": rows}))
    # the sole proprietor doing business under a trade name keeps his TIN as his SSN
    assert affected(exposure) == (1, 0, 0)
    assert sum(_rejected(exposure).values()) == 2


def test_designation_reading():
    firms = [
        "CARTER INC FLEET",
        "MCBRIDE PLC - FLEET",
        "ACME LLC #2",
        "ACME, INC. (FLEET)",
        "KIM CO D/B/A KIM AUTO",
    ]
    people = ["John Smith", "JOHN SMITH DBA SMITH PLUMBING", "Lp Nguyen", "Smith, John", "Mary Group Jones"]
    assert _values(names.organisation(pl.col("v")), firms) == [True] * len(firms)
    assert _values(names.organisation(pl.col("v")), people) == [False] * len(people)


# ----------------------------------------------------- a line's E911 / PPU address is a place of the service


def _line(place: str, bill_state: str | None = "OH") -> dict:
    """A subscriber line: the subscriber's SSN, the account billed in Toledo, the line's place in Michigan."""
    row = {"BAN": "412345001", "FIRST_NM": "RUSSELL", "LAST_NM": "COOK", "SSN": "447-96-6402"}
    if bill_state:
        row.update({"BILL_CITY": "TOLEDO", "BILL_ST": bill_state, "BILL_ZIP": "43604"})
    row[place] = "49740" if "ZIP" in place.upper() else "MI"
    return row


@pytest.mark.parametrize(
    "place", ["E911_ST", "E911_ZIP", "911_ADDR_ST", "PPU_ST", "PPU_ZIP", "REGISTERED_LOCATION_STATE"]
)
def test_e911_address_is_not_the_subscribers_home(place, tmp_path):
    """445.72(1): a line's E911 registered location (47 CFR 9.10) and place of primary use are where the line is
    used, like its service address. Until 2026-11-25 a Michigan cottage's E911 state made the Ohio subscriber a
    Michigan resident (1, 0, 0)."""
    assert affected(scan(write(tmp_path, {"LINES": [_line(place)]}))) == (0, 1, 0)


def test_e911_address_is_not_the_subscribers_home_across_tables(tmp_path):
    """The carrier's layout: the account (billing address, SSN) and its subscriber lines (SVC_ and E911_ places)
    joined by the BAN."""
    accounts = [
        {"BAN": "412345001", "FIRST_NM": "RUSSELL", "LAST_NM": "COOK", "BILL_CITY": "TOLEDO", "BILL_ST": "OH",
         "BILL_ZIP": "43604", "SSN": "447-96-6402"},
        {"BAN": "412345002", "FIRST_NM": "ANA", "LAST_NM": "BENJAMIN", "BILL_CITY": "SANDUSKY", "BILL_ST": "OH",
         "BILL_ZIP": "44870", "SSN": "529-15-4481"},
    ]  # fmt: skip
    lines = [
        {"SUB_ID": "41234500101", "BAN": "412345001", "MDN": "4195550111", "SUB_FIRST_NM": "RUSSELL",
         "SUB_LAST_NM": "COOK", "SVC_ST": "MI", "E911_CITY": "HARBOR SPRINGS", "E911_ST": "MI", "E911_ZIP": "49740"},
        {"SUB_ID": "41234500201", "BAN": "412345002", "MDN": "4195550122", "SUB_FIRST_NM": "ANA",
         "SUB_LAST_NM": "BENJAMIN", "SVC_ST": "OH", "E911_CITY": "SANDUSKY", "E911_ST": "OH", "E911_ZIP": "44870"},
    ]  # fmt: skip
    assert affected(scan(write(tmp_path, {"ACCOUNT": accounts, "SUBSCRIBER": lines}))) == (0, 2, 0)


def test_e911_address_places_a_subscriber_nothing_else_places(tmp_path):
    """Weak evidence, like a service address: where nothing else places the subscriber, it does."""
    assert affected(scan(write(tmp_path, {"LINES": [_line("E911_ST", bill_state=None)]}))) == (1, 0, 0)


# ------------------------------------------------- an ID scanner's document class names the document


@pytest.mark.parametrize(
    "kind, number", [("DOC_CLASS", "DOC_NUMBER"), ("DocumentClass", "DocumentNumber"), ("DOC_CATEGORY", "DOC_NO"),
                     ("ID_CLS", "ID_NO")]
)  # fmt: skip
def test_id_scanner_document_class_pair(kind, number, tmp_path):
    """445.63(p)(ii): rows classed DL / ID hold a licence or state ID number, a PP row a passport number. Until
    2026-11-25 a class column was not read as the document's type and the scans counted nobody (0, 0, 0)."""
    customers = [
        {"CUST_NO": "100001", "FIRST_NAME": "AMY", "LAST_NAME": "PETERS", "STATE": "MI"},
        {"CUST_NO": "100008", "FIRST_NAME": "PATRICK", "LAST_NAME": "WELLS", "STATE": "MI"},
        {"CUST_NO": "100015", "FIRST_NAME": "ROSA", "LAST_NAME": "DIAZ", "STATE": "MI"},
    ]
    scans = [
        {
            "SCAN_ID": "IMG000001",
            "CUST_NO": "100001",
            kind: "DL",
            number: "P 123 456 789 012",
            "DOC_ST": "MI",
        },
        {"SCAN_ID": "IMG000002", "CUST_NO": "100008", kind: "ID", number: "W234567890123", "DOC_ST": "MI"},
        {"SCAN_ID": "IMG000003", "CUST_NO": "100015", kind: "PP", number: "512345678", "DOC_ST": ""},
    ]
    exposure = scan(write(tmp_path, {"CUSTOMER": customers, "DL_SCAN_META": scans}))
    assert affected(exposure) == (2, 0, 0)
    assert sum(_rejected(exposure, "drivers_license").values()) == 1


# -------------------------------------------------------------- a Canadian SIN is not a US SSN


def test_canadian_sin_is_not_an_ssn(tmp_path):
    """445.63(p)(i) names a social security number; a Canadian Social Insurance Number is none. Rejected: a value
    grouped 3-3-3, and nine Luhn-valid bare digits on a row placed in Canada. Kept: an SSN written 3-2-4 on a
    Canadian row (a US citizen living in Canada), nine bare digits that fail Luhn there, and nine bare Luhn-valid
    digits on a US row. Until 2026-11-25 every SIN counted (1, 5, 0)."""
    rows = [
        ("MARY", "HOWARD", "046 454 286", "WINDSOR", "ON", "N9A 5K6", "CA"),
        ("PAUL", "TREMBLAY", "130692544", "SARNIA", "Ontario", "N7T 7H9", ""),
        ("ANNE", "LEE", "301-22-4455", "WINDSOR", "ON", "N9A 1A1", "CA"),
        ("TOM", "NG", "372819460", "SARNIA", "", "N7T 7H9", "Canada"),
        ("GEORGE", "YU", "447-96-6402", "TOLEDO", "OH", "43614", "US"),
        ("JOHN", "SMITH", "287654321", "DETROIT", "MI", "48201", "US"),
    ]
    apps = [
        {"APP_NO": f"CA4000{i}", "APPL_FIRST_NM": f, "APPL_LAST_NM": la, "APPL_SSN": s, "APPL_CITY": c,
         "APPL_ST": st, "APPL_ZIP": z, "APPL_COUNTRY": co}
        for i, (f, la, s, c, st, z, co) in enumerate(rows)
    ]  # fmt: skip
    exposure = scan(write(tmp_path, {"CREDIT_APP": apps}))
    assert affected(exposure) == (1, 3, 0)
    reasons = _rejected(exposure)
    assert sum(reasons.values()) == 2
    assert all("Social Insurance Number" in r for r in reasons)
