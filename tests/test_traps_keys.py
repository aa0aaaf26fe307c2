"""Keys and stored numbers a real export has (session 9 review): a fleet's driver key, integer-typed account
numbers, placeholders in an SSN column. Counts by hand from MCL 445.63(p) and 445.72(1)."""

from __future__ import annotations

import polars as pl
from scenario import counts, scan, write

DRIVERS = [
    {"driver_id": "10001", "first_name": "Kim", "last_name": "Ash", "state": "MI"},
    {"driver_id": "10002", "first_name": "Lee", "last_name": "Beck", "state": "MI"},
    {"driver_id": "10003", "first_name": "Mia", "last_name": "Cobb", "state": "MI"},
]
FUEL_CARDS = [
    {"fuel_card_id": "1", "driver_id": "10001", "card_number": "4556002563760541", "pin": "4000"},
    {"fuel_card_id": "2", "driver_id": "10002", "card_number": "XXXX-XXXX-XXXX-1002", "pin": "4001"},
    {"fuel_card_id": "3", "driver_id": "10003", "card_number": "XXXX-XXXX-XXXX-1003", "pin": "4002"},
]


def test_a_fleets_driver_key_is_no_driver_licence(tmp_path):
    """`driver_id` names whose row it is; only Kim's whole card with its PIN is personal information."""
    exposure = scan(write(tmp_path, {"drivers": DRIVERS, "fuel_cards": FUEL_CARDS}))
    assert (
        exposure["affected"]["michigan"],
        exposure["affected_michigan_by_element"]["drivers_license"],
    ) == (1, 0)


def test_keys_of_operators_and_policy_drivers(tmp_path):
    rows = [
        {
            "operator_id": "50001",
            "policy_driver_id": "70001",
            "first_name": "Ann",
            "last_name": "Lee",
            "state": "MI",
        },
        {
            "operator_id": "50002",
            "policy_driver_id": "70002",
            "first_name": "Bob",
            "last_name": "Ray",
            "state": "MI",
        },
    ]
    assert counts(write(tmp_path, {"policy_drivers": rows})) == (0, 0, 0)


def test_a_driver_licence_header_still_names_the_licence(tmp_path):
    """Control: the licence words keep their meaning beside the driver key."""
    rows = [{**d, "driver_license_no": f"S12345678901{i}"} for i, d in enumerate(DRIVERS)]
    exposure = scan(write(tmp_path, {"drivers": rows}))
    assert exposure["affected_michigan_by_element"]["drivers_license"] == 3


FIRST_NAMES = ["Al", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ida", "Jo"]


def _students(ssns: list[str]) -> list[dict]:
    return [
        {
            "student_id": str(600 + i),
            "first_name": first,
            "last_name": "Stone",
            "state": "MI",
            "ssn": s,
        }
        for i, (s, first) in enumerate(zip(ssns, FIRST_NAMES, strict=False))
    ]


def test_placeholders_in_an_ssn_column_do_not_hide_its_ssns(tmp_path):
    """An international student's SSN written INTL: the four real SSNs are still four residents' (445.63(p)(i))."""
    ssns = (
        ["311-30-7000", "312-31-7001", "313-32-7002", "314-33-7003"]
        + ["INTL"] * 4
        + ["PENDING", "APPLIED FOR"]
    )
    assert counts(write(tmp_path, {"students": _students(ssns)})) == (4, 0, 0)


def test_ssns_a_spreadsheet_wrote_in_scientific_notation_keep_the_column(tmp_path):
    """Half the column lost its last digits to a spreadsheet (3.02216E+08: not an SSN any more); the whole ones
    still count."""
    ssns = ["301-20-6000", "3.02216E+08", "303-22-6002", "3.04236E+08", "305-24-6004", "3.06256E+08"]
    assert counts(write(tmp_path, {"members": _students(ssns)})) == (3, 0, 0)


def test_a_column_of_words_under_an_ssn_header_is_no_ssn_column(tmp_path):
    """Control: `ssn_on_file` holding Y / N has nothing of an SSN."""
    rows = [{**r, "ssn": "Y"} for r in _students(["x"] * 3)]
    assert counts(write(tmp_path, {"students": rows})) == (0, 0, 0)


def test_an_account_number_stored_as_an_integer_is_the_same_account(tmp_path):
    """The bank's 0045123456 is 45123456 in a Parquet file that typed the column as a number: its PIN there is the
    PIN of Ray's account (445.63(p)(iii)). Tim's account has no leading zero (control)."""
    customers = [
        {"customer_id": "1", "first_name": "Ray", "last_name": "Ames", "state": "MI"},
        {"customer_id": "2", "first_name": "Sue", "last_name": "Bass", "state": "MI"},
        {"customer_id": "3", "first_name": "Tim", "last_name": "Cole", "state": "MI"},
    ]
    accounts = [
        {"account_id": "10", "customer_id": "1", "account_number": "0045123456"},
        {"account_id": "11", "customer_id": "2", "account_number": "0045123457"},
        {"account_id": "12", "customer_id": "3", "account_number": "9945123458"},
    ]
    pins = pl.DataFrame(
        {"account_number": [45123456, 45123457, 9945123458], "pin": ["1234", "5678", "9012"]},
        schema={"account_number": pl.Int64, "pin": pl.String},
    )
    db = write(tmp_path, {"customers": customers, "deposit_accounts": accounts}, parquet={"atm_pins": pins})
    assert counts(db) == (3, 0, 0)


def test_every_aes_block_in_base64_is_ciphertext():
    """16 random bytes (MySQL's AES_ENCRYPT of an SSN) have no digit in their base64 about 3% of the time; they are
    still ciphertext (445.63(g)), counted with the key taken (445.72(1)(b)). Words are not (control)."""
    import base64
    import random

    from detectors.encrypted import looks_encrypted

    rng = random.Random(20261124)
    blocks = [base64.b64encode(rng.randbytes(16)).decode() for _ in range(2000)]
    assert sum(not any(c.isdigit() for c in b) for b in blocks) > 20  # the case is in the sample
    words = ["CustomerServiceRepresentative", "Customer_Service_Representative", "AbcdefghijklmnopqrstuvwXyz"]
    frame = pl.DataFrame({"v": blocks + words}).select(looks_encrypted(pl.col("v")))
    assert frame.to_series().to_list() == [True] * len(blocks) + [False] * len(words)


def test_a_licences_tables_own_key_is_no_licence(tmp_path):
    """licences(licence_id, customer_id, dl_number): 70001.. are the rows' keys. Robert's licence is masked
    (445.63(r)), so only Ann counts (until 2026-11-24 the key counted as Robert's licence)."""
    customers = [
        {"customer_id": "3", "first_name": "Ann", "last_name": "Avery", "state": "MI"},
        {"customer_id": "6", "first_name": "Robert", "last_name": "Lee", "state": "MI"},
    ]
    licences = [
        {"licence_id": "70001", "customer_id": "3", "dl_number": "B 615 234 908 117", "dl_state": "MI"},
        {"licence_id": "70003", "customer_id": "6", "dl_number": "L *** *** *** 117", "dl_state": "MI"},
    ]
    exposure = scan(write(tmp_path, {"customers": customers, "licences": licences}))
    assert (
        exposure["affected"]["michigan"],
        exposure["affected_michigan_by_element"]["drivers_license"],
    ) == (1, 1)


def test_a_customers_license_id_alone_is_still_the_licence(tmp_path):
    """Control: one licence column, all digits (several states' licences are): the licence."""
    rows = [
        {"first_name": "Ann", "last_name": "Avery", "license_id": "123456789", "state": "MI"},
        {"first_name": "Bob", "last_name": "Ray", "license_id": "987654321", "state": "MI"},
    ]
    assert counts(write(tmp_path, {"customers": rows})) == (2, 0, 0)
