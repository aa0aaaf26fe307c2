"""Residency (MCL 445.72(1) "resident of this state") as exports write it: a state in the forms people and
systems use, the state at the end of a one-line address, and address histories kept as versioned records.

Each case: a handful of synthetic rows, scanned with scenario.scan; expected (Michigan, other, unknown) counts
by hand from docs/counting-rules.md section 5.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from scenario import affected, scan, write

from detectors import residency

NAMES = [
    ("Ann", "Avery"),
    ("Ben", "Brock"),
    ("Cal", "Cole"),
    ("Dee", "Dunn"),
    ("Eve", "Egan"),
    ("Fay", "Ford"),
    ("Gus", "Grant"),
    ("Hana", "Hill"),
]
SSNS = [
    "371-22-4419",
    "372-21-4419",
    "373-22-4419",
    "374-22-4419",
    "375-22-4419",
    "376-22-4419",
    "377-22-4419",
    "378-22-4419",
]


def _people(column: str, values: list[str]) -> list[dict]:
    return [
        {"first_name": f, "last_name": ln, "ssn": SSNS[i], column: v}
        for i, ((f, ln), v) in enumerate(zip(NAMES, values, strict=False))
    ]


# ---------------------------------------------------------------- a state column


@pytest.mark.parametrize(
    "value, code",
    [
        ("MI - Michigan", "MI"),
        ("Michigan (MI)", "MI"),
        ("Michigan, USA", "MI"),
        ("US-MI", "MI"),  # ISO 3166-2
        ("MI US", "MI"),
        ("New York (NY)", "NY"),
        ("OH - Ohio", "OH"),
        ("us-tx", "TX"),
        ("Mich.", "MI"),
        ("MI.", "MI"),
        ("MI/OH", None),  # two states: no state
        ("MI - Ohio", None),
        ("USA", None),
        ("N/A", None),
    ],
)
def test_state_code_reads_a_state_written_with_its_name_code_or_country(value, code):
    assert pl.select(residency.state_code(pl.lit(value))).item() == code


def test_a_state_column_in_common_forms_places_people(tmp_path):
    """Ann, Ben, Cal, Dee are in Michigan (four forms); Eve in Ohio (US-OH), Fay in Texas; Gus's 'MI/OH' names
    no one state: unknown."""
    values = ["MI - Michigan", "Michigan (MI)", "Michigan, USA", "US-MI", "US-OH", "Texas (TX)", "MI/OH"]
    assert affected(scan(write(tmp_path, {"patients": _people("state", values)}))) == (4, 2, 1)


# ---------------------------------------------------------------- a one-line address


@pytest.mark.parametrize(
    "address, code, zip_code",
    [
        ("1200 Woodward Ave, Detroit MI", "MI", None),
        ("55 Main St Ann Arbor Michigan", "MI", None),
        ("7 Elm St Walled Lake MI", "MI", None),
        ("1 A St, Detroit, MI 48201, USA", "MI", "48201"),
        ("9 Oak Rd Lansing MI 489331234", "MI", "48933"),
        ("500 N Michigan Ave, Chicago IL", "IL", None),  # the street is Michigan Ave; the state Illinois
        ("500 N Michigan Ave Chicago IL 60611", "IL", "60611"),
        ("500 N Michigan Ave, Chicago", None, None),
        ("400 W Michigan", None, None),  # a street, no state
        ("123 Ohio", None, None),
        ("123 Main St NE", None, None),  # the quadrant, not Nebraska
        ("9750 Maple Ct", None, None),  # a court, not Connecticut
        ("Apt 4, 9750 Maple Ct", None, None),
        ("9750 Maple Ct, Hartford CT", "CT", None),
        ("9 Elm Ave Apt 2 Grand Rapids Michigan", "MI", None),
        ("1 Main St, Charleston West Virginia", "WV", None),
        ("12 Main St Albany New York 12207", "NY", "12207"),
        ("5 Main St, Michigan City, IN 46360", "IN", "46360"),
        ("5 Main St, Michigan City", None, None),
    ],
)
def test_from_address_reads_only_the_state_at_the_end(address, code, zip_code):
    state, z = residency.from_address(pl.lit(address))
    assert pl.select(state.alias("s"), z.alias("z")).row(0) == (code, zip_code)


def test_a_one_line_address_without_comma_or_zip_places_people(tmp_path):
    """Ann (Detroit MI) and Ben (Ann Arbor Michigan) are in Michigan; Cal (Michigan Ave, Chicago IL) in Illinois;
    Dee's '400 W Michigan' is a street with no state: unknown."""
    values = [
        "1200 Woodward Ave, Detroit MI",
        "55 Main St Ann Arbor Michigan",
        "500 N Michigan Ave, Chicago IL",
        "400 W Michigan",
    ]
    assert affected(scan(write(tmp_path, {"patients": _people("address", values)}))) == (2, 1, 1)


# ---------------------------------------------------------------- address histories


def _members() -> list[dict]:
    return [
        {"member_id": str(i + 1), "first_name": f, "last_name": ln, "ssn": SSNS[i]}
        for i, (f, ln) in enumerate(NAMES[:3])
    ]


def _history(column: str, ended: str, current: str) -> list[dict]:
    """Ann moved from Michigan to Ohio; Ben and Cal live in Wisconsin."""
    return [
        {"member_id": "1", "state": "MI", "zip": "48201", column: ended},
        {"member_id": "1", "state": "OH", "zip": "43004", column: current},
        {"member_id": "2", "state": "WI", "zip": "53703", column: current},
        {"member_id": "3", "state": "WI", "zip": "53703", column: current},
    ]


def _history_counts(
    tmp_path: Path, table: str, column: str, ended: str, current: str
) -> tuple[int, int, int]:
    return affected(scan(write(tmp_path, {"members": _members(), table: _history(column, ended, current)})))


def test_a_person_dimension_kept_as_scd2_history_counts_where_people_live_now(tmp_path):
    """dim_customer versions: Ann moved MI -> OH, Ben OH -> MI, Cal MI -> TX. Now: Ben in Michigan, Ann and Cal
    elsewhere (until 2026-11-24 every ended Michigan version counted: 3 in Michigan)."""
    versions = [
        ("101", "1", 0, "12 Elm St", "MI", "48201", "2015-01-01", "2022-06-30", "N"),
        ("102", "1", 0, "9 Oak Ave", "OH", "43004", "2022-07-01", "9999-12-31", "Y"),
        ("103", "2", 1, "5 Pine Rd", "OH", "43601", "2010-01-01", "2021-12-31", "N"),
        ("104", "2", 1, "7 Main St", "MI", "48906", "2022-01-01", "9999-12-31", "Y"),
        ("105", "3", 2, "3 Lake Dr", "MI", "48502", "2012-01-01", "2020-01-01", "N"),
        ("106", "3", 2, "1 Rte 9", "TX", "73301", "2020-01-02", "9999-12-31", "Y"),
    ]
    rows = [
        {
            "customer_sk": sk,
            "customer_id": cid,
            "first_name": NAMES[p][0],
            "last_name": NAMES[p][1],
            "ssn": SSNS[p],
            "address_line1": line,
            "state": st,
            "zip": z,
            "effective_from": start,
            "effective_to": end,
            "is_current": flag,
        }
        for sk, cid, p, line, st, z, start, end, flag in versions
    ]
    assert affected(scan(write(tmp_path, {"dim_customer": rows}))) == (1, 2, 0)


@pytest.mark.parametrize("column", ["effective_to", "valid_to", "row_expiration_date", "is_current"])
def test_a_history_tables_validity_columns_end_its_address(tmp_path, column):
    """member_history: Ann's Michigan version ended, so she is an Ohio resident."""
    ended, current = ("N", "Y") if column == "is_current" else ("2022-06-30", "9999-12-31")
    assert _history_counts(tmp_path, "member_history", column, ended, current) == (0, 3, 0)


def test_a_history_tables_other_end_dates_end_no_address(tmp_path):
    """claim_history.end_date is when a claim (or an event) ended, not the address: Ann's Michigan row still
    counts, and Michigan wins."""
    assert _history_counts(tmp_path, "claim_history", "end_date", "2022-06-30", "") == (1, 2, 0)


@pytest.mark.parametrize(
    "value",
    ["30-JUN-22", "30-Jun-2022", "2022/06/30", "Jun 30, 2022", "June 30, 2022", "30-JUN-22 12.00.00 AM"],
)
def test_end_dates_as_exports_write_them(tmp_path, value):
    assert _history_counts(tmp_path, "address_history", "valid_to", value, "") == (0, 3, 0)


@pytest.mark.parametrize("value", ["31-DEC-99", "12/31/99", "31-DEC-9999"])
def test_the_open_end_with_a_two_digit_year_is_no_end(tmp_path, value):
    """Oracle's DD-MON-RR shows the open end 9999-12-31 as 31-DEC-99: Ann's Michigan address is current."""
    assert _history_counts(tmp_path, "address_history", "valid_to", value, "") == (1, 2, 0)


@pytest.mark.parametrize("column", ["to_dt", "thru_date", "end_ts", "dt_end", "ended_on", "until"])
def test_end_date_headers(tmp_path, column):
    assert _history_counts(tmp_path, "address_history", column, "2022-06-30", "") == (0, 3, 0)


@pytest.mark.parametrize("table", ["residency_history", "member_residency_history", "locations", "moves"])
def test_address_history_table_names(tmp_path, table):
    assert _history_counts(tmp_path, table, "valid_to", "2022-06-30", "") == (0, 3, 0)


@pytest.mark.parametrize(
    "column, ended, current",
    [
        ("status", "inactive", "active"),
        ("active", "N", "Y"),
        ("is_active", "0", "1"),
        ("record_status", "historical", "current"),
    ],
)
def test_current_flags_of_an_address_table(tmp_path, column, ended, current):
    assert _history_counts(tmp_path, "address_history", column, ended, current) == (0, 3, 0)


def test_a_members_status_in_an_address_table_ends_no_address(tmp_path):
    """member_status = inactive is the membership's status: Ann still lives at both addresses; Michigan wins."""
    assert _history_counts(tmp_path, "member_addresses", "member_status", "inactive", "active") == (1, 2, 0)


def test_an_active_flag_outside_an_address_table_ends_no_address(tmp_path):
    """accounts.active = N is a closed account, not a move: Ann's Michigan row counts."""
    people = {m["member_id"]: m for m in _members()}
    accounts = [dict(people[r["member_id"]], **r) for r in _history("active", "N", "Y")]
    assert affected(scan(write(tmp_path, {"accounts": accounts}))) == (1, 2, 0)


# ---------------------------------------------------------------- armed forces addresses


@pytest.mark.parametrize("code, expected", [("AE", True), ("AA", True), ("AP", True), ("MI", False)])
def test_armed_forces_codes_are_no_state(code, expected):
    assert pl.select(residency.no_state(pl.lit(code))).item() is expected


@pytest.mark.parametrize(
    "z, expected", [("09021", True), ("34002", True), ("96205", True), ("48201", False), ("99501", False)]
)
def test_apo_fpo_zip_codes_are_no_state(z, expected):
    assert pl.select(residency.military_zip(pl.lit(z))).item() is expected


def test_an_apo_address_is_no_state(tmp_path):
    """Gus's APO AE 09021 says where his mail is routed, not where he lives: unknown residency, to confirm (until
    2026-11-24 another state's resident)."""
    rows = [
        {
            "first_name": "Gus",
            "last_name": "Grant",
            "ssn": SSNS[6],
            "address": "Unit 3050 Box 12",
            "city": "APO",
            "state": "AE",
            "zip": "09021",
        },
        # the whole 09xxx range is AE (099 too: USPS Publication 28): no state's ZIP
        {"first_name": "Adam", "last_name": "Hobbs", "ssn": SSNS[5], "address": "Unit 2767 Box 864",
         "city": "APO", "state": "AE", "zip": "09923"},
    ]  # fmt: skip
    assert affected(scan(write(tmp_path, {"patients": rows}))) == (0, 0, 2)


def test_where_care_was_given_is_not_where_the_patient_lives(tmp_path):
    """A claim's place_of_service_state (OH, IN) says where the care was; the patients' homes are not in it: their
    residency is unknown, to confirm (until 2026-11-24 they were other states' residents)."""
    rows = [
        {"claim_id": "C1", "patient_first_name": "Aaron", "patient_last_name": "Hoover", "patient_ssn": SSNS[0],
         "place_of_service_state": "OH", "pos_zip": "43004", "billed_amount": "12292.85"},
        {"claim_id": "C2", "patient_first_name": "Rebecca", "patient_last_name": "Lara", "patient_ssn": SSNS[1],
         "place_of_service_state": "IN", "pos_zip": "46204", "billed_amount": "80.00"},
    ]  # fmt: skip
    assert affected(scan(write(tmp_path, {"claims": rows}))) == (0, 0, 2)


# ---------------------------------------------------------------- another party's place


@pytest.mark.parametrize(
    "column, value",
    [
        ("ATTY_ST", "MI"),  # a collection file's debtor attorney
        ("ATTY_ZIP", "48226"),
        ("attorney_address", "500 Griswold St, Detroit, MI 48226"),
        ("EXECUTOR_ST", "MI"),
        ("ESTATE_REP_ST", "MI"),
        ("POA_ST", "MI"),
        ("TRUSTEE_ST", "MI"),
        ("POE_ST", "MI"),  # collections' place of employment
        ("POE_ZIP", "48201"),
        ("NOTIFY_STATE", "MI"),  # a tribute gift's person to notify
        ("HONOREE_STATE", "MI"),
        ("SOFT_CREDIT_ST", "MI"),
        ("ACKNOWLEDGEE_ST", "MI"),
        ("NEXT_OF_KIN_ST", "MI"),
        ("REFERENCE_ST", "MI"),
        ("REF1_ZIP", "48201"),
        ("ROOMMATE_ST", "MI"),
        ("RELATIVE_ST", "MI"),
        ("PREV_LANDLORD_ST", "MI"),
        ("txn_merchant_state", "MI"),  # a card transaction's merchant
    ],
)
def test_another_partys_place_is_not_where_the_subject_lives(tmp_path, column, value):
    """A state, ZIP or address whose header names another party than the row's subject (the debtor's attorney,
    the executor, the place of employment, a tribute's honoree) is where that party is: the debtors' residency
    is unknown, to confirm (until 2026-11-24 the attorney's Michigan office made them Michigan residents)."""
    rows = _people(column, [value] * 3)
    assert affected(scan(write(tmp_path, {"debtors": rows}))) == (0, 0, 3)


def test_the_subjects_own_state_beside_another_partys(tmp_path):
    """An Ohio debtor with a Michigan attorney and a Michigan employer is an Ohio resident."""
    rows = [
        {**r, "ST": st, "ATTY_NAME": "Susan Hart", "ATTY_ST": "MI", "POE_ST": "MI", "EXECUTOR_ST": "MI"}
        for r, st in zip(_people("ZIP", ["43604", "33602", "48201"]), ["OH", "FL", "MI"], strict=True)
    ]
    assert affected(scan(write(tmp_path, {"debtors": rows}))) == (1, 2, 0)


@pytest.mark.parametrize(
    "column",
    [
        "customer_state",
        "DEBTOR_ST",
        "applicant_state",
        "member_state",
        "patient_state",
        "home_state",
        "mailing_state",
        "billing_state",
        "residential_state",
        "state_ref",  # a reference to a states table: the subject's state
    ],
)
def test_the_subjects_own_qualifiers_stay_residence(tmp_path, column):
    rows = _people(column, ["MI", "MI"])
    assert affected(scan(write(tmp_path, {"debtors": rows}))) == (2, 0, 0)


def test_a_table_of_the_party_holds_its_own_place(tmp_path):
    """In a landlords table (sole proprietors paid under their SSN) the landlord is the row's subject: their
    state is their own residence."""
    rows = [
        {"landlord_name": "Ann Avery", "landlord_ssn": SSNS[0], "landlord_state": "MI"},
        {"landlord_name": "Ben Brock", "landlord_ssn": SSNS[1], "landlord_state": "OH"},
    ]
    assert affected(scan(write(tmp_path, {"landlords": rows}))) == (1, 1, 0)


# --------------------------------------- Canadian customers of a Michigan business: a place outside Michigan


def test_mixed_us_and_canadian_state_and_postal_columns(tmp_path):
    """A border business's customers: province and postal columns mix US and Canadian values. The US rows are
    read (until 2026-11-25 the columns were no state or postal columns and the Detroit customer was of unknown
    residency); a Canadian province or postal code places its row outside Michigan."""
    rows = [
        {"first_name": f, "last_name": s, "ssn": n, "city": c, "province": p, "postal_code": z}
        for (f, s), n, (c, p, z) in zip(
            NAMES,
            SSNS,
            [
                ("Windsor", "ON", "N9A 5K6"),
                ("Detroit", "MI", "48226"),
                ("Sarnia", "Ontario", "N7T 1A1"),
                ("Toledo", "OH", "43604"),
                ("Sault Ste. Marie", "ON", ""),
                ("Montreal", "Québec", "H2X1Y4"),
            ],
            strict=False,
        )
    ]
    assert affected(scan(write(tmp_path, {"customers": rows}))) == (1, 5, 0)


def test_a_canadian_postal_code_alone_and_a_one_line_canadian_address(tmp_path):
    rows = [
        {
            "full_name": "Ann Avery",
            "ssn": SSNS[0],
            "mailing_address": "200 Ouellette Ave, Windsor, ON N9A 5K6",
        },
        {
            "full_name": "Ben Brock",
            "ssn": SSNS[1],
            "mailing_address": "12 King St W, Toronto, Ontario, Canada",
        },
        {"full_name": "Cal Cole", "ssn": SSNS[2], "mailing_address": "500 Woodward Ave, Detroit, MI 48226"},
        {"full_name": "Dee Dunn", "ssn": SSNS[3], "mailing_address": "1 Main St"},
    ]
    assert affected(scan(write(tmp_path, {"customers": rows}))) == (1, 2, 1)


def test_a_canadian_place_does_not_outweigh_a_michigan_one(tmp_path):
    # Michigan evidence wins (docs/counting-rules.md section 5): a Michigan home with a Canadian billing province
    rows = [
        {"first_name": "Ann", "last_name": "Avery", "ssn": SSNS[0], "state": "MI", "billing_province": "ON"},
        {"first_name": "Ben", "last_name": "Brock", "ssn": SSNS[1], "state": "OH", "billing_province": "ON"},
    ]
    assert affected(scan(write(tmp_path, {"customers": rows}))) == (1, 1, 0)


def test_a_banner_address_history_with_the_table_prefix_on_every_column(tmp_path):
    """Ellucian Banner: SPRADDR keeps every address with SPRADDR_TO_DATE and SPRADDR_STATUS_IND (I = inactive), the
    state in SPRADDR_STAT_CODE. Both people moved from Michigan to Ohio: a former address is weak evidence
    (docs/counting-rules.md section 5), so they live in Ohio. Until 2026-11-25 the glued table name hid the
    address history and both counted in Michigan."""
    people = [
        {
            "SPRIDEN_PIDM": "100201",
            "SPRIDEN_FIRST_NAME": "Andrew",
            "SPRIDEN_LAST_NAME": "Ford",
            "SSN": SSNS[0],
        },
        {
            "SPRIDEN_PIDM": "100202",
            "SPRIDEN_FIRST_NAME": "Michael",
            "SPRIDEN_LAST_NAME": "Anthony",
            "SSN": SSNS[1],
        },
    ]
    cols = [
        "SPRADDR_PIDM",
        "SPRADDR_STREET_LINE1",
        "SPRADDR_CITY",
        "SPRADDR_STAT_CODE",
        "SPRADDR_ZIP",
        "SPRADDR_TO_DATE",
        "SPRADDR_STATUS_IND",
    ]
    rows = [
        ["100201", "12 Elm St", "Ann Arbor", "MI", "48104", "2023-05-31", "I"],
        ["100201", "88 High St", "Columbus", "OH", "43215", "", ""],
        ["100202", "40 Oak Ave", "Lansing", "MI", "48933", "2022-12-31", "I"],
        ["100202", "5 Adams St", "Toledo", "OH", "43604", "", ""],
    ]  # fmt: skip
    addresses = [dict(zip(cols, r, strict=True)) for r in rows]
    assert affected(scan(write(tmp_path, {"SPRIDEN": people, "SPRADDR": addresses}))) == (0, 2, 0)
    assert residency.address_table("SPRADDR") and residency.address_table("cust_mailaddr")
    assert not residency.address_table("ladder_rungs")


def test_a_members_home_club_is_no_home(tmp_path):
    """A fitness chain's members: HomeClubCity / HomeClubState is the club they use, a business's premises. Border
    clubs in Michigan have members from Ohio and Indiana (until 2026-11-25 the club's Michigan won over their own
    address). "home" before a business's site names the usual site, not the residence."""
    rows = [
        {"FirstName": f, "LastName": s, "SSN": n, "City": c, "State": st, "HomeClubCity": "Ferndale",
         "HomeClubState": "MI"}
        for (f, s), n, (c, st) in zip(NAMES, SSNS, [("Toledo", "OH"), ("Fort Wayne", "IN"), ("Ferndale", "MI")],
                                      strict=False)
    ]  # fmt: skip
    assert affected(scan(write(tmp_path, {"Members": rows}))) == (1, 2, 0)
