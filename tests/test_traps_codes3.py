"""Codes that open no financial account: a parcel's PIN and a gym's check-in codes (MCL 445.63(p)(iii)).

An account or card number counts under the default reading only "in combination with any required security code,
access code, or password that would permit access to a financial account". Two codes that open none were read as
one (2026-11-25):
- a parcel's PIN, the property identification number of Michigan's assessing and tax rolls (BS&A, Tyler, Munis):
  a property tax payment table's `PIN` beside the owner's ACH account counted every owner;
- a gym's or club's member PIN, check-in PIN, door, keypad, kiosk, fob or locker code, in a column or in the front
  desk's notes: it was paired with the card on file and counted the member.
Expected counts by hand (Michigan, other states, unknown residency); every fix has a case that must still count.
All values are synthetic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import affected, people_rows, scan, write  # noqa: E402

from detectors import access_code, free_text  # noqa: E402

ABA = ["072000326", "041000124", "044000037", "072000326"]
ACCOUNTS = ["4471203398", "88120455", "331900218", "55012345"]
CARDS = ["4539148803436467", "5457623899012344", "4716108999716531", "4024007186049358"]
EXPIRY = ["04/27", "05/28", "09/26", "11/27"]
# Michigan parcel numbers as counties write them (Oakland, Kent, Wayne-style, a letter-prefixed roll) ...
PARCELS = ["25-14-201-003", "4712-18-301-002", "46-12-345-678-900", "R-12-345-678"]
# ... and as a roll exported without its dashes
PLAIN_PARCELS = ["2514201003", "4712183010020", "4612345678900", "1234567800"]
STATES = ["MI", "MI", "MI", "OH"]


def classes(exposure: dict) -> dict[str, str]:
    return {c["name"]: c["classified_as"] for t in exposure["tables"] for c in t["columns"]}


# ------------------------------------------------------------------ a parcel's PIN (property identification number)


@pytest.mark.parametrize("table", ["tax_payments", "payments", "ach_drafts"])
def test_a_parcel_pin_beside_the_owners_ach_account_counts_no_one(table, tmp_path):
    # the PIN names the owner's land; the ACH account is whole but no code opens it: three Michigan owners and one
    # Ohio owner were counted until 2026-11-25, nobody is; all Michigan owners count under account numbers alone
    rows = people_rows(
        4, owner_state=STATES, PIN=PARCELS, ach_routing=ABA, ach_account=ACCOUNTS, amount_paid="1200.00"
    )
    exposure = scan(write(tmp_path, {table: rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3
    assert classes(exposure)["PIN"] == "none"


@pytest.mark.parametrize(
    "header", ["PARCEL_PIN", "ParcelPIN", "PropertyPIN", "Prop_PIN", "PIN (Property Identification Number)"]
)
def test_a_pin_named_for_a_parcel_is_no_code(header, tmp_path):
    rows = people_rows(4, state=STATES, routing_no=ABA, account_no=ACCOUNTS, **{header: PLAIN_PARCELS})
    exposure = scan(write(tmp_path, {"payments": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3


@pytest.mark.parametrize(
    ("table", "extra"),
    [
        ("taxroll_2025", {}),
        ("payments", {"SEV": ["61000", "88200", "41000", "90000"]}),
        ("payments", {"TAXABLE_VALUE": ["50412", "71872", "39021", "80000"]}),
        ("payments", {"ACREAGE": ["0.25", "1.10", "0.50", "2.00"]}),
        ("payments", {"LEGAL_DESC": ["LOT 12 SUPERVISORS PLAT", "LOT 3", "LOT 9", "PART OF SW 1/4"]}),
        ("payments", {"TOWNSHIP": ["Orion", "Ada", "Canton", "Perry"]}),
    ],
)
def test_a_bare_pin_of_an_assessing_roll_is_the_parcel(table, extra, tmp_path):
    # the roll's PIN exported without dashes: 10-13 plain digits, which the table's assessing words make a parcel
    rows = people_rows(4, state=STATES, PIN=PLAIN_PARCELS, routing_no=ABA, account_no=ACCOUNTS, **extra)
    exposure = scan(write(tmp_path, {table: rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3


def test_a_parcel_pin_in_its_own_table_opens_no_account_elsewhere(tmp_path):
    # the default reading pairs any readable code of the individual with their account: a parcel roll beside the
    # owners' table must not lend its PINs to their bank accounts
    ids = ["1001", "1002", "1003", "1004"]
    owners = people_rows(4, owner_id=ids, state=STATES, routing_no=ABA, account_no=ACCOUNTS)
    parcels = [{"parcel_seq": str(i), "owner_id": ids[i], "PIN": PARCELS[i]} for i in range(4)]
    exposure = scan(write(tmp_path, {"owners": owners, "parcel_roll": parcels}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3


@pytest.mark.parametrize(
    ("table", "header", "pins", "extra"),
    [
        ("payments", "PIN", ["4821", "1234", "9981", "5521"], {}),
        ("payments", "pin_no", ["482190", "123400", "998100", "552100"], {}),
        # a typed PIN beside a parcel column stays a PIN: the parcel is the other column
        ("tax_payments", "PIN", ["4821", "1234", "9981", "5521"], {"parcel_no": PARCELS}),
        # a bank's own table is never an assessing roll by its other headers
        ("mortgage_loans", "PIN", ["25142010", "14183010", "12123456", "12345678"], {"legal_desc": "LOT 12"}),
        # an ATM or debit PIN is a bank's wherever it sits
        ("payments", "ATM_PIN", PARCELS, {}),
    ],
)
def test_a_real_pin_beside_a_bank_account_still_counts(table, header, pins, extra, tmp_path):
    rows = people_rows(4, state=STATES, routing_no=ABA, account_no=ACCOUNTS, **{header: pins}, **extra)
    exposure = scan(write(tmp_path, {table: rows}))
    assert affected(exposure) == (3, 1, 0)


def test_parcel_reason_reads_values_words_and_table():
    values = pl.Series(PARCELS)
    assert access_code.parcel_number_reason("PIN", "payments", ["PIN"], "", values)
    assert access_code.parcel_number_reason("PIN", "payments", ["PIN", "SEV"], "", pl.Series(PLAIN_PARCELS))
    assert access_code.parcel_number_reason(
        "PIN", "payments", ["PIN"], "bsa_assessing", pl.Series(PLAIN_PARCELS)
    )
    # dates are no parcels; a typed PIN is a PIN even in a roll; a card's code or password never a parcel
    dates = pl.Series(["2024-03-05", "2023-11-30", "2025-01-02"])
    assert access_code.parcel_number_reason("PIN", "payments", ["PIN"], "", dates) is None
    ssns = pl.Series(["287-65-4321", "301-22-4455"])  # an SSN's shape is left as it was read
    assert access_code.parcel_number_reason("PIN", "payments", ["PIN"], "", ssns) is None
    assert (
        access_code.parcel_number_reason("PIN", "taxroll", ["PIN"], "", pl.Series(["4821", "1234"])) is None
    )
    assert access_code.parcel_number_reason("pwd", "taxroll", ["pwd"], "", values) is None
    assert access_code.parcel_number_reason("debit_pin", "taxroll", ["debit_pin"], "", values) is None


# ------------------------------------------------------------------ a gym's, a club's, a door's code


def members(n: int = 3, **columns) -> list[dict]:
    return people_rows(n, state="MI", card_number=CARDS[:n], card_exp=EXPIRY[:n], **columns)


PINS = ["4821", "1234", "9981"]


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("members", {"MemberPIN": PINS, "CheckInPIN": ["1111", "2222", "3333"]}),
        ("members", {"CheckInPIN": PINS}),
        ("gym_members", {"MemberPIN": PINS}),
        ("members", {"home_club": "Troy", "MemberPIN": PINS}),
        ("members", {"fitness_plan": "PLUS", "member_pin": PINS}),
        ("members", {"kiosk_pin": PINS}),
        ("members", {"door_pin": PINS}),
        ("members", {"KeypadPIN": PINS}),
        ("members", {"fob_pin": PINS}),
        ("members", {"locker_pin": PINS}),
        ("members", {"badge_pin": PINS}),
        ("members", {"gate_passcode": PINS}),
        ("members", {"alarm_pin": PINS}),
        ("members", {"Door Access Code": PINS}),
        ("members", {"building_access_code": PINS}),
        ("members", {"last_checkin": "2026-11-01", "pin": PINS}),
    ],
)
def test_a_gyms_check_in_code_opens_no_card(table, columns, tmp_path):
    # the card on file is whole but no code opens it: nobody under the default reading, all under numbers alone
    exposure = scan(write(tmp_path, {table: members(**columns)}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3


def test_a_gyms_member_pin_beside_the_dues_bank_account_opens_the_club(tmp_path):
    # dues drafted by ACH: the member PIN beside the check-in PIN is the club's, not the bank account's
    rows = people_rows(
        3,
        state="MI",
        routing_no=ABA[:3],
        account_no=ACCOUNTS[:3],
        MemberPIN=PINS,
        CheckInPIN=["11", "22", "33"],
    )
    assert affected(scan(write(tmp_path, {"members": rows}))) == (0, 0, 0)


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        # an ATM or debit PIN in a gym's table is still a bank's
        ("members", {"CheckInPIN": ["1111", "2222", "3333"], "debit_pin": PINS}),
        ("gym_members", {"atm_pin": PINS}),
        ("members", {"card_cvv": ["123", "456", "789"], "kiosk_pin": PINS}),
        # a member's PIN with nothing that says gym or door (a credit union's members) is a code
        ("members", {"MemberPIN": PINS}),
        # ...nor beside a bank's words and a door's word that is no code column (a branch's door)
        ("members", {"member_pin": PINS, "routing_no": ABA[:3], "branch_door": "EAST"}),
    ],
)
def test_a_banks_code_in_a_members_table_still_counts(table, columns, tmp_path):
    assert affected(scan(write(tmp_path, {table: members(**columns)}))) == (3, 0, 0)


def test_door_and_kiosk_codes_in_notes_are_no_codes(tmp_path):
    notes = [
        "gave member the door code 4821 at front desk",
        "kiosk pin 1234 reset, member checked in",
        "new gate access code: 0990 for the side lot",
    ]
    exposure = scan(write(tmp_path, {"customers": members(notes=notes)}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3


def test_a_bank_pin_in_the_same_notes_still_counts(tmp_path):
    notes = [
        "gate code 4821, customer read debit pin 5521 aloud",
        "kiosk pin 1234 reset, member checked in",
        "cvv 913 given over the phone for dues",
    ]
    assert affected(scan(write(tmp_path, {"customers": members(notes=notes)}))) == (2, 0, 0)


def test_a_gyms_front_desk_notes_hold_the_clubs_pins(tmp_path):
    # a gym's table: a PIN written in its notes is the club's; a card's security code written there counts
    notes = ["member pin 3344 per front desk", "member pin 9921, card on file", "cvv 913 for dues"]
    exposure = scan(write(tmp_path, {"gym_members": members(front_desk_notes=notes)}))
    assert affected(exposure) == (1, 0, 0)


def test_codes_in_text_skip_a_places_code():
    text = [
        "door code 4821",
        "kiosk pin 1234",
        "Check-in PIN: 5521",
        "alarm security code 7788",
        "atm pin 4821",
    ]
    found = pl.DataFrame({"v": text}).select(free_text.codes(pl.col("v")).list.first()).to_series().to_list()
    assert found == [None, None, None, None, "4821"]
