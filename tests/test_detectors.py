"""Detectors against independent oracles (python-stdnum) and the redaction rule of MCL 445.63(r) at its edges."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.us import rtn
from stdnum.us import ssn as stdnum_ssn

from detectors import bank_account, card, drivers_license, free_text, names, residency, ssn
from detectors.base import ENCRYPTED, REDACTED, REJECTED, UNREDACTED, value_status
from detectors.common import aba_valid, luhn_valid
from pipeline.classify import classify_column


def _eval(expr: pl.Expr, values: list[str | None]) -> list:
    return (
        pl.DataFrame({"v": values}, schema={"v": pl.String})
        .select(expr.alias("out"))
        .get_column("out")
        .to_list()
    )


def _status(det, values: list[str], integer_column: bool = False) -> list[str]:
    v = pl.col("v")
    return _eval(value_status(det, v, det.canonical(v, integer_column)), values)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@settings(max_examples=300, deadline=None)
@given(st.lists(nine_digits, min_size=1, max_size=50))
def test_ssn_validity_matches_stdnum(numbers):
    ours = _eval(ssn.valid(pl.col("v")), numbers)
    # python-stdnum knows the SSA's rules; the placeholders typed for an unknown number are ours on top
    assert ours == [stdnum_ssn.is_valid(n) and n not in ssn.PLACEHOLDER_NUMBERS for n in numbers]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=19), min_size=1, max_size=50))
def test_luhn_matches_stdnum(numbers):
    assert _eval(luhn_valid(pl.col("v")), numbers) == [luhn.is_valid(n) for n in numbers]


def test_luhn_is_false_beyond_card_length_and_for_non_digits():
    # a card number has at most 19 digits (ISO/IEC 7812); a Luhn-valid 20-digit string is not one
    twenty = "4" + "0" * 18 + luhn.calc_check_digit("4" + "0" * 18)
    assert luhn.is_valid(twenty)
    assert _eval(luhn_valid(pl.col("v")), [twenty, "", "4111x11111111111", "9999999999999999999"]) == [
        False,
        False,
        False,
        luhn.is_valid("9999999999999999999"),
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(nine_digits, min_size=1, max_size=50))
def test_aba_matches_stdnum(numbers):
    ours = _eval(aba_valid(pl.col("v")), numbers)
    assert ours == [rtn.is_valid(n) and n != "000000000" for n in numbers]


@pytest.mark.parametrize(
    "value, reason",
    [
        ("000-12-3456", "area 000 never issued"),
        ("666-12-3456", "area 666 never issued"),
        ("912-12-3456", "area 900-999 never issued"),
        ("123-00-4567", "group 00 never issued"),
        ("123-45-0000", "serial 0000 never issued"),
        ("078-05-1120", "published sample number"),
        ("219-09-9999", "published sample number"),
        ("123-45-6789", "placeholder number"),
        ("111-11-1111", "placeholder number"),
        ("555555555", "placeholder number"),
    ],
)
def test_invalid_ssn_is_rejected_with_its_reason(value, reason):
    c = ssn.normalize(pl.col("v"))
    assert _eval(ssn.rejected_reason(c), [value]) == [reason]
    assert _status(ssn.DETECTOR, [value]) == [REJECTED]


def test_ssn_formats_and_integer_columns():
    assert _status(ssn.DETECTOR, ["536-22-4819", "536224819", "536 22 4819"]) == [UNREDACTED] * 3
    # an integer column lost the leading zero of 012-34-5678
    assert _status(ssn.DETECTOR, ["12345678"], integer_column=True) == [UNREDACTED]
    # a bare 8-digit value in an SSN column lost its leading zero (a spreadsheet), whatever the other values;
    # seven digits did not
    assert _status(ssn.DETECTOR, ["12345678"], integer_column=False) == [UNREDACTED]
    assert _status(ssn.DETECTOR, ["1234567"], integer_column=False) == [REJECTED]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("123-45-XXXX", REDACTED),  # run of 5: the most an SSN may show
        ("***-**-6789", REDACTED),
        ("XXX-XX-6789", REDACTED),
        ("12345XXXX", REDACTED),
        ("123456XXX", UNREDACTED),  # run of 6
        ("1234567XX", UNREDACTED),
        ("123-XX-6789", REDACTED),  # 7 digits visible, but no more than 4 in sequence
        ("6789", REDACTED),  # truncated
        ("XXXXXXXXX", REDACTED),
    ],
)
def test_ssn_redaction_edges(value, expected):
    assert _status(ssn.DETECTOR, [value]) == [expected]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("S 123 456 789 012", UNREDACTED),
        ("S123456789012", UNREDACTED),
        ("S123 456X XXX XXX", UNREDACTED),  # run of 6 of the number's positions: not redacted
        ("S XXX XXX XX9 012", REDACTED),  # run of 4
        ("S XXX XXX X89 012", UNREDACTED),  # run of 5
        ("S1234XXXXXXXX", REDACTED),
    ],
)
def test_licence_redaction_edges(value, expected):
    assert _status(drivers_license.DETECTOR, [value]) == [expected]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("XXXX-XXXX-XXXX-1234", REDACTED),
        ("************1234", REDACTED),
        ("4539 XXXX XXXX 6467", REDACTED),  # 4 and 4: separators are not positions
        ("4539 14XX XXXX 6467", UNREDACTED),  # "4539 14" is a run of 6 positions
        ("45391488XXXX6467", UNREDACTED),  # run of 8
        ("4539148803436467", UNREDACTED),
        ("4111111111111111", REJECTED),  # published test number: not a card
        ("4539148803436468", REJECTED),  # Luhn fails
    ],
)
def test_card_redaction_and_validity(value, expected):
    assert _status(card.DETECTOR, [value]) == [expected]


@pytest.mark.parametrize(
    "value, expected",
    [
        # account numbers as brokerages and clearing firms write them (445.63(p)(iii) names no shape)
        ("Z45-539407", UNREDACTED),  # Fidelity-style
        ("Z12345678", UNREDACTED),
        ("5GB-73558", UNREDACTED),  # a clearing firm's: 5 sequential digits
        ("U1234567", UNREDACTED),
        ("AB 12345 CD", UNREDACTED),
        ("X12-345678", UNREDACTED),
        ("5XX-12345", UNREDACTED),
        ("1234-5678", UNREDACTED),  # Schwab
        ("123-456789", UNREDACTED),  # TD
        # masked: judged by the longest run of sequential digits (445.63(r))
        ("XXX-X45678", UNREDACTED),  # 5 in a row
        ("****5678", REDACTED),
        ("Z45-****07", REDACTED),
        ("Z45-***407", REDACTED),
        ("5GB-7***8", REDACTED),
        # letters that split the digits into runs of 4 or fewer, or more letters than a firm's prefix: a code
        ("AB12CD34", REJECTED),
        ("5GB-7355", REJECTED),
        ("ORDER-123456", REJECTED),
        ("A00000000", REJECTED),  # a placeholder
    ],
)
def test_account_numbers_with_letters_and_their_redaction(value, expected):
    """Until 2026-11-24 an account number with letters was rejected (not 4-17 digits), whole or not."""
    assert _status(bank_account.DETECTOR, [value]) == [expected]


def test_mastercard_2_series_and_issuers():
    valid = [
        "2221000000000009",
        "2720999999999996",
        "5105105105105206",
        "371449635398532",
        "6011000990139525",
    ]
    fixed = [n[:-1] + str(luhn.calc_check_digit(n[:-1])) for n in valid]
    assert _eval(card.valid(pl.col("v")), fixed) == [True] * len(fixed)
    assert _eval(card.valid(pl.col("v")), ["2220990000000000", "1234567812345670"]) == [False, False]


@pytest.mark.parametrize(
    "value",
    [
        "-----BEGIN PGP MESSAGE-----\nhQEMA",
        "a" * 64,
        "5f4dcc3b5aa765d61d8327deb882cf99",
        "gAAAAABlZ3xYc2VjcmV0X3Rva2VuX3RoYXRfaXNfbG9uZ19lbm91Z2hfZm9yX2Zlcm5ldA==",
        "$2b$12$abcdefghijklmnopqrstuv",
        "U2FsdGVkX1+vupppZksvRf5pq5g5XjFRlipRkwB0K1Y=",
    ],
)
def test_ciphertext_is_encrypted_not_unredacted(value):
    assert _status(ssn.DETECTOR, [value]) == [ENCRYPTED]


@pytest.mark.parametrize(
    "full, first, last",
    [
        ("Smith, John", "John", "Smith"),
        ("John Q. Smith", "John", "Smith"),
        ("J. Smith", "J.", "Smith"),
        ("Dr. Mary Ann O'Neil-Jones", "Mary", "O'Neil-Jones"),
        ("John Smith, Jr.", "John", "Smith"),
        ("Smith", None, None),
        ("John", None, None),
        ("J. S.", "J.", None),
        ("SMITH J", "J", "SMITH"),  # mainframe style: surname, then the first initial, no comma
        ("VAN DYKE M.", "M.", "VAN DYKE"),
    ],
)
def test_full_name_parsing(full, first, last):
    f, ln = names.split_full_name(pl.col("v"))
    assert _eval(f, [full]) == [first] if last else True
    assert _eval(ln, [full]) == [last]


def test_residency_evidence():
    state = _eval(residency.state_code(pl.col("v")), ["MI", "Michigan", "Mich.", "mi", "OH", "Texas", "XX"])
    assert state == ["MI", "MI", "MI", "MI", "OH", "TX", None]
    zips = _eval(residency.zip5(pl.col("v")), ["48001", "49971-1234", "48000", "49972", "abc"])
    assert zips == ["48001", "49971", "48000", "49972", None]
    mi = _eval(residency.zip_is_michigan(pl.col("v")), ["48001", "49971", "48000", "49972"])
    assert mi == [True, True, False, False]
    st_, z = residency.from_address(pl.col("v"))
    assert _eval(st_, ["12 Main St, Lansing, MI 48933", "9 Elm Rd, Toledo, Ohio 43604-1234"]) == ["MI", "OH"]
    assert _eval(z, ["12 Main St, Lansing, MI 48933"]) == ["48933"]


def test_free_text_needs_shape_or_context():
    texts = [
        "Customer says my SSN is 536-22-4819, please update",
        "ssn 536224819 on file",
        "order 536-22-4819 shipped",  # another word claims the number
        "reference 536224819",  # nine digits without SSN context
        "SSN ending in 4819",  # redacted mention
        "paid with card 4539 1488 0343 6467 yesterday",
        "test card 4111 1111 1111 1111",
    ]
    assert _eval(free_text.ssns(pl.col("v")), texts)[:5] == [["536224819"], ["536224819"], [], [], []]
    assert _eval(free_text.cards(pl.col("v")), texts)[5:] == [["4539148803436467"], []]


@pytest.mark.parametrize(
    "header, values, kind",
    [
        ("ssn", ["536-22-4819", "***-**-1234"], "ssn"),
        ("order_number", ["536224819", "432118812"], "none"),  # passes SSA rules, but an order number
        ("zip_plus4", ["482011234", "482021234"], "zip"),
        ("dl_number", ["S 123 456 789 012"], "drivers_license"),
        ("invoice_ref", ["S123456789012", "B123456789012"], "none"),  # licence-shaped invoice references
        ("upc", ["036000291452", "012345678905"], "none"),
        ("phone", ["(313) 555-1234"], "phone"),
        ("card_number", ["4539148803436467"], "card_number"),
        ("test_cards", ["4111111111111111", "4242424242424242"], "test_card_number"),
        ("cvv", ["123"], "access_code"),
        ("password_hint", ["my dog"], "none"),
        ("spouse_ssn", ["536-22-4819"], "other_person"),
        ("account_number", ["123456789012"], "bank_account"),
        ("routing_number", ["021000021"], "routing_number"),
        ("company_name", ["Acme Widgets Inc", "Blue Sky LLC"], "none"),
    ],
)
def test_column_classification(header, values, kind):
    assert classify_column(header, pl.DataFrame({"v": values})).classified_as == kind


def test_licence_shape_needs_context_from_table():
    values = pl.DataFrame({"v": ["S123456789012", "B123456789012"]})
    assert classify_column("id_number", values).classified_as == "none"
    assert classify_column("id_number", values, licence_state_column=True).classified_as == "drivers_license"


def test_encoding_is_not_encryption():
    import base64

    b64 = base64.b64encode(b"536-22-4819").decode()
    hexed = b"536224819".hex()
    from detectors.base import readable

    v = readable(ssn.DETECTOR, pl.col("v"))
    assert _eval(value_status(ssn.DETECTOR, v, ssn.DETECTOR.canonical(v)), [b64, hexed]) == [
        UNREDACTED,
        UNREDACTED,
    ]
    # ciphertext of the same length stays encrypted
    assert _status(ssn.DETECTOR, ["q83vEjRWeJq8zN7vASNFZ4mrze8="]) == [ENCRYPTED]
    from detectors import access_code

    codes = _eval(
        access_code.status(pl.col("v")), [base64.b64encode(b"hunter2").decode(), "$2b$12$" + "a" * 53, "***"]
    )
    assert codes == ["present", "encrypted", None]


def test_security_codes_written_in_text():
    from detectors import free_text

    notes = [
        "Card 4111 cvv 123 charged twice",
        "CID: 4821 on the Amex",
        "customer set pin=0042",
        "PIN reset requested, no code given",
        "order 12345 shipped",
        None,
    ]
    found = _eval(free_text.codes(pl.col("v")).list.first(), notes)
    assert found == ["123", "4821", "0042", None, None, None]
