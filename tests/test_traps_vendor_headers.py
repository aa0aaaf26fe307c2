"""Headers and keys as core-banking vendors write them (adversarial review F): a credit union's zero-padded member
number, Jack Henry Symitar's run-together field names (ACCOUNTNUMBER, PARENTACCOUNT, AUDIOPIN), a hierarchy's
PARENT_ACCOUNT, and a card holder's column where a guest typed a first name alone. Counts by hand from MCL
445.63(p) and 445.72(1)."""

from __future__ import annotations

import polars as pl
import pytest
from scenario import scan, write

from detectors.common import header_tokens, mentions, other_person_role, role_in_header
from pipeline.classify import classify_column

MEMBERS = [("Pam", "Collins", "4455"), ("Helen", "Roberts", "7788"), ("Julie", "Duncan", "1290")]


def _credit_union(numbers: list[str]) -> dict[str, list[dict]]:
    """members, their share accounts and their online-banking passwords, joined by MEMBER_NBR."""
    members = [
        {
            "MEMBER_NBR": n,
            "FIRST_NAME": f,
            "LAST_NAME": la,
            "SSN": f"***-**-{s}",
            "STATE": "MI",
            "ZIP": "48201",
        }
        for n, (f, la, s) in zip(numbers, MEMBERS, strict=True)
    ]
    shares = [
        {"MEMBER_NBR": n, "SHARE_ID": "S00", "SHARE_ACCT_NO": f"{int(n)}-S00", "BALANCE": "25.00"}
        for n in numbers
    ]
    logins = [
        {"MEMBER_NBR": n, "LOGIN_ID": f"u{k}", "PASSWORD": f"Tigers{k}2019!"} for k, n in enumerate(numbers)
    ]
    return {"members": members, "share_accounts": shares, "olb_users": logins}


def _affected(exposure: dict) -> tuple[int, int, int, int]:
    a = exposure["affected"]
    return (
        a["michigan"],
        a["other_states"],
        a["unknown_residency"],
        exposure["what_if"]["account_numbers_alone"],
    )


def test_zero_padded_member_numbers_are_keys_not_telephone_numbers(tmp_path):
    """0000051058 has no NANP area code (never 0xx or 1xx): the member number links each member to the share
    account and the password that opens it (445.63(p)(iii)). Until 2026-11-25 every MEMBER_NBR was a telephone
    number, never a key, and nobody counted."""
    db = write(tmp_path, _credit_union(["0000051058", "0000568076", "0000731120"]))
    assert _affected(scan(db)) == (3, 0, 0, 3)


def test_ten_digit_member_numbers_a_telephone_could_have_are_keys(tmp_path):
    """Member numbers that happen to be NANP-shaped: the header names a member's number, so no telephone."""
    db = write(tmp_path, _credit_union(["5105812345", "5685761234", "7315209876"]))
    assert _affected(scan(db)) == (3, 0, 0, 3)


@pytest.mark.parametrize(
    ("header", "values", "kind"),
    [
        # values alone: NANP numbers under a header that names no key are telephone numbers
        ("home", ["313-555-0101", "(248) 555-0102", "517.555.0103", "+1 616 555 0104"], "phone"),
        ("contact", ["3135550101", "2485550102", "5175550103", "6165550104"], "phone"),
        # a key's header, or no area code
        ("member_nbr", ["3135550101", "2485550102", "5175550103", "6165550104"], "none"),
        ("cust_id", ["3135550101", "2485550102", "5175550103", "6165550104"], "none"),
        ("contact", ["0000051058", "0000568076", "0000731120", "1000000004"], "none"),
        # a phone header is read by its header, whatever the values
        ("member_phone", ["3135550101", "2485550102", "5175550103", "6165550104"], "phone"),
    ],
)
def test_telephone_numbers_by_their_values(header, values, kind):
    assert classify_column(header, pl.DataFrame({"v": values})).classified_as == kind


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("ACCOUNTNUMBER", ["account", "number"]),
        ("PARENTACCOUNT", ["parent", "account"]),
        ("AUDIOPIN", ["audio", "pin"]),
        ("ATMPIN", ["atm", "pin"]),  # until 2026-11-25 one unknown word: an ATM PIN was no code
        ("NAMEONCARD", ["name", "on", "card"]),
        ("BIRTHDATE", ["birth", "date"]),
        ("EXPIREDATE", ["expire", "date"]),
        ("MOTHERSMAIDENNAME", ["mothers", "maiden", "name"]),
        ("dateofbirth", ["date", "of", "birth"]),
        ("creditcardnumber", ["credit", "card", "number"]),
        ("cardholdername", ["cardholder", "name"]),
        ("ID1NUMBER", ["id", "1", "number"]),
        # words the vocabularies know whole stay whole: every rule reads them as before
        ("CARDHOLDER", ["cardholder"]),
        ("pincode", ["pincode"]),
        ("lastfirst", ["lastfirst"]),
        ("firstname", ["firstname"]),
        ("coborrower", ["coborrower"]),
        # words that are not wholly made of known words are never cut
        ("passport", ["passport"]),
        ("nickname", ["nickname"]),
        ("STATUS", ["status"]),
        ("ORDINAL", ["ordinal"]),
        ("REPAYMENT", ["repayment"]),
        ("UPDATEDATE", ["updatedate"]),
    ],
)
def test_run_together_headers_split_into_known_words(header, words):
    assert header_tokens(header) == words


def test_a_pattern_still_reads_the_word_as_written():
    """A detector's pattern naming a run-together word matches it (the split words are read besides)."""
    assert mentions("ACCOUNTNUMBER", r"\baccountnumber\b") and mentions(
        "ACCOUNTNUMBER", r"\baccount number\b"
    )


@pytest.mark.parametrize("header", ["PARENTACCOUNT", "PARENT_ACCOUNT", "parent_acct_no", "child_share_id"])
def test_a_parent_account_is_no_parent(header):
    assert (other_person_role(header), role_in_header(header)) == (None, None)


@pytest.mark.parametrize("header", ["parent_name", "PARENT_SSN", "parent_first_name", "child_dob"])
def test_a_parents_own_columns_are_still_a_second_persons(header):
    assert other_person_role(header) in {"parent", "child"}


SYMITAR_ACCOUNT = [
    {"ACCOUNTNUMBER": "51058", "TYPE": "0", "BRANCH": "3", "OPENDATE": "2015-04-01", "AUDIOPIN": "4821"},
    {"ACCOUNTNUMBER": "568076", "TYPE": "0", "BRANCH": "1", "OPENDATE": "2016-07-12", "AUDIOPIN": "7390"},
    {"ACCOUNTNUMBER": "731120", "TYPE": "0", "BRANCH": "2", "OPENDATE": "2018-01-09", "AUDIOPIN": "1234"},
]
SYMITAR_NAME = [
    {"PARENTACCOUNT": n, "ORDINAL": "0", "FIRST": f, "LAST": la, "SSN": f"***-**-{s}", "STATE": "MI"}
    for n, (f, la, s) in zip(["51058", "568076", "731120"], MEMBERS, strict=True)
]
SYMITAR_SHARE = [
    {"PARENTACCOUNT": "51058", "ID": "S00", "DESCRIPTION": "PRIME SHARE", "BALANCE": "120.55"},
    {"PARENTACCOUNT": "51058", "ID": "S01", "DESCRIPTION": "FREE CHECKING", "BALANCE": "1890.10"},
    {"PARENTACCOUNT": "568076", "ID": "S00", "DESCRIPTION": "PRIME SHARE", "BALANCE": "25.00"},
    {"PARENTACCOUNT": "731120", "ID": "S00", "DESCRIPTION": "PRIME SHARE", "BALANCE": "5.00"},
]


def _renamed(rows: list[dict], names: dict[str, str]) -> list[dict]:
    return [{names.get(k, k): v for k, v in row.items()} for row in rows]


def test_symitar_run_together_field_names(tmp_path):
    """ACCOUNT.ACCOUNTNUMBER is each member's account number and AUDIOPIN its telephone-banking PIN; NAME's
    PARENTACCOUNT names whose account the member is: 3 members with an account number and its PIN
    (445.63(p)(iii)). Until 2026-11-25 neither header was read and nobody counted."""
    db = write(tmp_path, {"ACCOUNT": SYMITAR_ACCOUNT, "NAME": SYMITAR_NAME, "SHARE": SYMITAR_SHARE})
    assert _affected(scan(db)) == (3, 0, 0, 3)


def test_an_atm_pin_written_run_together_is_the_accounts_code(tmp_path):
    """ATMPIN is the card's ATM PIN (445.63(p)(iii)): with the account number it counts the 3 members; until
    2026-11-25 the run-together word was not split, read as no code, and nobody counted."""
    account = _renamed(SYMITAR_ACCOUNT, {"AUDIOPIN": "ATMPIN"})
    db = write(tmp_path, {"ACCOUNT": account, "NAME": SYMITAR_NAME, "SHARE": SYMITAR_SHARE})
    assert _affected(scan(db)) == (3, 0, 0, 3)


def test_a_parent_account_written_apart_is_the_members_account(tmp_path):
    """The same export with its words apart: PARENT_ACCOUNT is the account the name record belongs to, not a
    parent's account (a second person's, whose number would not be the member's)."""
    words = {"ACCOUNTNUMBER": "ACCOUNT_NUMBER", "AUDIOPIN": "AUDIO_PIN", "PARENTACCOUNT": "PARENT_ACCOUNT"}
    tables = {"ACCOUNT": SYMITAR_ACCOUNT, "NAME": SYMITAR_NAME, "SHARE": SYMITAR_SHARE}
    db = write(tmp_path, {t: _renamed(rows, words) for t, rows in tables.items()})
    assert _affected(scan(db)) == (3, 0, 0, 3)


def _payments(holders: list[str], header: str = "cc_holder") -> list[dict]:
    cards = [
        "4539578763621486",
        "4916338506082832",
        "4716108999716531",
        "5425233430109903",
        "5256783911220342",
    ]
    return [
        {
            "order_name": f"#{1031 + k}",
            "amount": "18.0",
            "cc_number": c,
            "cvv2": f"{311 + k}",
            header: h,
            "st": "MI",
        }
        for k, (c, h) in enumerate(zip(cards, holders, strict=True))
    ]


def test_a_holder_who_typed_a_first_name_alone_does_not_hide_the_other_holders(tmp_path):
    """Gail Bennett and Taylor Spears: name, card and CVV (445.63(p)(iii)). Sam (no last name) and the two rows
    without a name are nobody. Until 2026-11-25 the column was no name column and nobody counted."""
    db = write(tmp_path, {"order_transactions": _payments(["", "", "Sam", "Gail Bennett", "Taylor Spears"])})
    assert _affected(scan(db)) == (2, 0, 0, 2)


@pytest.mark.parametrize("header", ["card_holder", "CARDHOLDER", "acct_hldr", "NAMEONCARD"])
def test_holders_columns_are_read_value_by_value(tmp_path, header):
    holders = ["Bob", "Sam", "Ann", "Gail Bennett", "Taylor Spears"]
    db = write(tmp_path, {"order_transactions": _payments(holders, header)})
    assert _affected(scan(db)) == (2, 0, 0, 2)


def test_a_column_whose_header_names_no_holder_still_needs_its_share_of_whole_names(tmp_path):
    """Control: a record owner (logins, one display name) is no holder's column: nobody."""
    holders = ["jsmith", "akhan", "rdiaz", "Gail Bennett", "tng"]
    db = write(tmp_path, {"order_transactions": _payments(holders, "owner")})
    assert _affected(scan(db)) == (0, 0, 0, 0)
