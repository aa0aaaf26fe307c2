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
