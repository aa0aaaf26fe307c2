"""Export shapes a review found misread (2026-11-25): dotted initialisms in headers, lists of a row's own payment
objects in a document, API envelopes around a JSON table, SSNs stored as numbers in Excel and JSON, and a sheet's
report-parameters row above a narrow table. Every test builds its export here, small and synthetic."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import affected, scan, write

from detectors.common import header_tokens


# --- 1. Initialisms written with dots or slashes (D.L. No., C.V.V., A/C No.) --------------------------------------
@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("D.L. No.", ["dl", "no"]),
        ("D/L #", ["dl", "no"]),
        ("D.L.#", ["dl", "no"]),
        ("C.V.V.", ["cvv"]),
        ("C.V.C.", ["cvc"]),
        ("P.I.N.", ["pin"]),
        ("C.C. #", ["cc", "no"]),
        ("A/C No.", ["acct", "no"]),
        ("Bank A/C #", ["bank", "acct", "no"]),
        ("S.S.N.", ["ssn"]),
        ("D.O.B.", ["dob"]),
        ("D.L. State", ["dl", "state"]),
        # words of more than one letter stay words; "care of" is no co-borrower
        ("Soc. Sec. No.", ["soc", "sec", "no"]),
        ("Date/Time", ["date", "time"]),
        ("Address C/O", ["address", "care", "of"]),
        # the run-together and camel-case readings are unchanged
        ("PARENTACCOUNT", ["parent", "account"]),
        ("CustomerSSN_last4", ["customer", "ssn", "last", "4"]),
    ],
)
def test_an_initialism_with_dots_or_slashes_is_one_word(header, words):
    assert header_tokens(header) == words


def test_dotted_initialism_headers_are_read_as_their_columns(tmp_path: Path):
    """445.63(p)(ii) a licence, (iii) a card with its security code; a licence's issuing state (`D.L. State`) is no
    residence, so Ann (licence from Michigan, home in Ohio) is an Ohio resident."""
    row = {"First Name": "", "Last Name": "", "SSN": "", "D.L. No.": "", "D.L. State": "", "State": ""}
    row |= {"Card No.": "", "C.V.V.": "", "A/C No.": "", "P.I.N.": ""}
    rows = [
        row
        | {"First Name": "Ann", "Last Name": "Lee", "SSN": "234-13-7394", "D.L. No.": "D512393704505"}
        | {"D.L. State": "MI", "State": "OH"},
        row
        | {
            "First Name": "Bob",
            "Last Name": "Roe",
            "D.L. No.": "S123456789012",
            "D.L. State": "MI",
            "State": "MI",
        },
        row
        | {
            "First Name": "Cy",
            "Last Name": "Poe",
            "State": "MI",
            "Card No.": "4539578763621486",
            "C.V.V.": "123",
        },
        row
        | {"First Name": "Di", "Last Name": "Fox", "State": "MI", "A/C No.": "2855966542", "P.I.N.": "4390"},
    ]
    exposure = scan(write(tmp_path, {"customers": rows}))
    assert affected(exposure) == (3, 1, 0)
    assert exposure["affected_michigan_by_element"] == {
        "ssn": 0,
        "drivers_license": 1,
        "financial_account": 2,
    }


# --- 2. A list of the row's own payment methods in a customer document ---------------------------------------------
def _customer(n: int, first: str, last: str, state: str, methods: list[dict]) -> dict:
    return {
        "customerId": n,
        "name": {"first": first, "last": last},
        "address": {"state": state},
        "paymentMethods": methods,
    }


def _ach(routing: str, account: str, pin: str | None) -> dict:
    ach = {"type": "ach", "routingNumber": routing, "accountNumber": account, "pin": pin}
    return ach | {"cardNumber": None, "cvv": None}


def _card(number: str, cvv: str) -> dict:
    card = {"type": "card", "routingNumber": None, "accountNumber": None, "pin": None}
    return card | {"cardNumber": number, "cvv": cvv}


PAYING_CUSTOMERS = [
    _customer(1, "Ann", "Lee", "MI", [_ach("072000326", "2855966542", "4390")]),
    _customer(2, "Bob", "Roe", "MI", [_ach("074000010", "3197686335", "0012")]),
    # two elements: a card with its code, an account without its PIN (the card is what counts)
    _customer(
        3, "Cy", "Poe", "MI", [_card("4539578763621486", "123"), _ach("044000024", "1234567890", None)]
    ),
    _customer(4, "Dee", "Fox", "OH", [_ach("072000326", "5550001112", "9876")]),
    _customer(5, "Eve", "Kay", "MI", []),
    # an account without its PIN: the numbers-alone reading only
    _customer(6, "Fay", "Ng", "MI", [_ach("072000326", "7770001113", None)]),
]


@pytest.mark.parametrize("shape", ["ndjson", "json", "parquet"])
def test_a_list_of_the_rows_own_payment_methods_is_read_as_columns_of_the_rows_person(tmp_path: Path, shape):
    """445.63(p)(iii): an account number with its PIN, a card with its code. The list names no person: each element
    is its row's customer's (Ann, Bob, Cy in Michigan, Dee in Ohio), read as columns, not as running text (where
    no account number and PIN are ever read)."""
    import json

    import polars as pl

    folder = tmp_path / shape
    folder.mkdir()
    if shape == "ndjson":
        (folder / "customers.ndjson").write_text("\n".join(json.dumps(r) for r in PAYING_CUSTOMERS) + "\n")
    elif shape == "json":
        (folder / "customers.json").write_text(json.dumps(PAYING_CUSTOMERS, indent=1))
    else:
        pl.DataFrame(PAYING_CUSTOMERS).write_parquet(folder / "customers.parquet")
    exposure = scan(folder)
    assert affected(exposure) == (3, 1, 0)
    assert exposure["affected_michigan_by_element"]["financial_account"] == 3
    assert exposure["what_if"]["account_numbers_alone"] == 4  # and Fay's account without its PIN
    assert exposure["individuals"]["total"] == 6  # no element is a person of its own


# --- 3. An API envelope around a JSON table: {"meta": {...}, "data": [...]} ------------------------------------------
ENVELOPED_CUSTOMERS = [
    {"cust_id": 1, "first_name": "Ann", "last_name": "Lee", "state": "MI"},
    {"cust_id": 2, "first_name": "Bob", "last_name": "Roe", "state": "MI"},
    {"cust_id": 3, "first_name": "Cy", "last_name": "Poe", "state": "OH"},
]
ENVELOPED_CARDS = [
    {"card_id": 11, "cust_id": 1, "card_number": "4539578763621486", "cvv": "123"},
    {"card_id": 12, "cust_id": 2, "card_number": "5192474116677372", "cvv": "456"},
    {"card_id": 13, "cust_id": 3, "card_number": "6011542870722977", "cvv": "789"},
]


@pytest.mark.parametrize(
    ("envelope", "indent"),
    [
        ({"meta": {"count": 3, "page": 1}}, None),
        ({"meta": {"count": 3, "page": 1}}, 2),  # pretty-printed: one object over many lines
        ({"object": "list", "has_more": False, "url": "/v1/x"}, None),  # a payments API's list object
        ({"total_count": 3, "next_page_token": None}, 2),
    ],
)
def test_a_json_envelope_is_read_as_the_table_of_its_records(tmp_path: Path, envelope, indent):
    """`customers.json` and `cards.json` are each an envelope around their records; the cards reference their
    customers by cust_id, each card with its code (445.63(p)(iii)): Ann and Bob in Michigan, Cy in Ohio."""
    import json

    folder = tmp_path / "api"
    folder.mkdir()
    for name, records in (("customers", ENVELOPED_CUSTOMERS), ("cards", ENVELOPED_CARDS)):
        (folder / f"{name}.json").write_text(json.dumps({**envelope, "data": records}, indent=indent))
    exposure = scan(folder)
    assert affected(exposure) == (2, 1, 0)
    assert exposure["affected_michigan_by_element"]["financial_account"] == 2
    tables = {t["name"]: t for t in exposure["tables"]}
    assert sorted(tables) == ["cards", "customers"]
    assert {c["name"] for c in tables["cards"]["columns"]} == {"card_id", "cust_id", "card_number", "cvv"}


def test_one_customer_document_is_no_envelope(tmp_path: Path):
    """A file holding one customer's document (her name beside her list of cards) is her record: its list is her
    own cards (documents.lists_as_tables), not the file's table."""
    import json

    folder = tmp_path / "doc"
    folder.mkdir()
    doc = {"first_name": "Ann", "last_name": "Lee", "state": "MI", "cards": ENVELOPED_CARDS[:1]}
    (folder / "customer.json").write_text(json.dumps(doc, indent=2))
    exposure = scan(folder)
    assert affected(exposure) == (1, 0, 0)
    assert sorted(t["name"] for t in exposure["tables"]) == ["customer", "customer (cards)"]


# --- 4. SSNs stored as numbers in Excel and JSON, beside masked text -------------------------------------------------
# 004-12-3456 and 007-65-4321 (valid SSA areas) stored as numbers are 4123456 and 7654321: two zeros lost
NUMERIC_SSNS = [234137394, 4123456, 7654321, 41234567]
NUMERIC_PEOPLE = [("Ann", "Lee"), ("Bob", "Roe"), ("Cy", "Poe"), ("Di", "Fox"), ("Ed", "Kay")]


def test_ssn_numbers_in_an_excel_column_beside_masked_text_lose_two_zeros_like_an_integer_column(
    tmp_path: Path,
):
    """445.63(p)(i): the numeric cells are whole SSNs once their zeros are back (up to two, as in an integer column
    of a database); the masked text cell is redacted (445.63(r)). Ann, Bob, Cy and Di in Michigan."""
    import xlsxwriter

    folder = tmp_path / "book"
    folder.mkdir()
    book = xlsxwriter.Workbook(str(folder / "customers.xlsx"))
    rows: list[list] = [["cust_id", "first_name", "last_name", "ssn", "state"]]
    for i, (first, last) in enumerate(NUMERIC_PEOPLE):
        rows.append([i + 1, first, last, NUMERIC_SSNS[i] if i < 4 else "***-**-6789", "MI"])
    _sheet(book, "customers", rows)
    book.close()
    exposure = scan(folder)
    assert affected(exposure) == (4, 0, 0)
    assert exposure["affected_michigan_by_element"]["ssn"] == 4


@pytest.mark.parametrize("shape", ["json", "ndjson", "envelope"])
def test_ssn_json_numbers_beside_masked_strings_lose_two_zeros_like_an_integer_column(tmp_path: Path, shape):
    """The same SSNs as JSON numbers beside a masked string: a mixed column is read as text, and that its digits
    were numbers is kept. A column of strings of digits keeps the text rule (one lost zero): Ed's "7654321" as a
    string is no SSN."""
    import json

    folder = tmp_path / shape
    folder.mkdir()
    records = [
        {"cust_id": i + 1, "first_name": f, "last_name": la, "ssn": (NUMERIC_SSNS + ["***-**-6789"])[i]}
        | {"alt_ssn": "7654321" if i == 4 else "***-**-1111", "state": "MI"}
        for i, (f, la) in enumerate(NUMERIC_PEOPLE)
    ]
    if shape == "json":
        (folder / "customers.json").write_text(json.dumps(records, indent=1))
    elif shape == "ndjson":
        (folder / "customers.ndjson").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    else:
        (folder / "customers.json").write_text(json.dumps({"meta": {"count": 5}, "data": records}))
    exposure = scan(folder)
    assert affected(exposure) == (4, 0, 0)
    assert exposure["affected_michigan_by_element"]["ssn"] == 4


# --- 5. A report's parameters line above a narrow sheet ----------------------------------------------------------------
def _sheet(book, name: str, rows: list[list]) -> None:
    ws = book.add_worksheet(name)
    for r, row in enumerate(rows):  # a few synthetic cells
        for c, value in enumerate(row):
            if value is not None:
                ws.write_string(r, c, value) if isinstance(value, str) else ws.write_number(r, c, value)


def test_a_parameters_line_above_a_narrow_sheet_is_not_its_header(tmp_path: Path):
    """Each sheet: a title, a parameters line of 3 cells (`Filters: | All branches | Status: Active`), a blank row,
    then the 4-column header. The header is the row the data below has the width of: the cards (with their codes,
    445.63(p)(iii)) reference their customers, Ann and Bob in Michigan, Cy in Ohio. A sheet whose rows of text are
    as wide as its header keeps its first row as the header."""
    import xlsxwriter

    folder = tmp_path / "book"
    folder.mkdir()
    book = xlsxwriter.Workbook(str(folder / "acme.xlsx"))
    params = [["ACME customer report"], ["Filters:", "All branches", "Status: Active"], []]
    customers = [
        ["cust_id", "first_name", "last_name", "state"],
        [1, "Ann", "Lee", "MI"],
        [2, "Bob", "Roe", "MI"],
    ]
    customers += [[3, "Cy", "Poe", "OH"]]
    cards = [["card_id", "cust_id", "card_number", "cvv"], [11, 1, "4539578763621486", "123"]]
    cards += [[12, 2, "5192474116677372", "456"], [13, 3, "6011542870722977", "789"]]
    _sheet(book, "customers", params + customers)
    _sheet(book, "cards", params + cards)
    # all text, no parameters line: the first row stays the header
    _sheet(
        book, "notes", [["author", "topic", "note"], ["Ann Lee", "billing", "called"], ["Bob Roe", "x", "y"]]
    )
    book.close()
    exposure = scan(folder)
    assert affected(exposure) == (2, 1, 0)
    assert exposure["affected_michigan_by_element"]["financial_account"] == 2
    tables = {t["name"]: [c["name"] for c in t["columns"]] for t in exposure["tables"]}
    assert tables["cards"] == ["card_id", "cust_id", "card_number", "cvv"]
    assert tables["notes"] == ["author", "topic", "note"]
