"""Whose place is it? (adversarial review of tax-prep, mortgage and car-rental exports.) A state, ZIP or address
column is residency evidence only when it is where the row's subject lives (MCL 445.72(1) "resident of this state"):
where a rented car was picked up or returned, where a car is plated or registered, a nonresident state of a tax
return are no evidence; a financed property (collateral, rental, second home) and a part-year residence that ended
are weak evidence (they place a person only when nothing else does). Counts by hand per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import counts, write

from detectors import residency
from pipeline.scan import ScanOptions, run_scan

SSNS = ["402-61-1180", "301-22-4471", "512-33-0912"]
LICENCES = ["A78321938373", "G753116914", "S123456789012"]


# 1. A rental's pickup / return places and a car's plate or registration -------------------------------------


def _renters() -> list[dict]:
    """Walter lives in Chicago, Ana in London (GBR, no state), Danielle gave no address (dl_st is the issuer)."""
    rows = [
        ("5001", "Walter", "Austin", "55 Lake St", "Chicago", "IL", "60614", "USA", "IL"),
        ("5002", "Ana", "George", "10 Downing Rd", "London", "", "SW1A 2AA", "GBR", ""),
        ("5003", "Danielle", "Sparks", "", "", "", "", "", "MI"),
    ]
    return [
        {
            "renter_id": rid,
            "first_nm": first,
            "last_nm": last,
            "dl_nbr": LICENCES[k],
            "dl_st": dl_st,
            "addr_ln1": street,
            "city": city,
            "st_prov": st,
            "postal_cd": z,
            "ctry_cd": country,
        }
        for k, (rid, first, last, street, city, st, z, country, dl_st) in enumerate(rows)
    ]


def _agreements(columns: dict[str, str]) -> list[dict]:
    return [{"ra_nbr": f"RA70010{k}", "renter_id": f"500{k}", **columns} for k in (1, 2, 3)]


@pytest.mark.parametrize(
    "columns",
    [
        {"pu_loc_cd": "DTW", "pu_loc_st": "MI", "rtn_loc_cd": "GRR", "rtn_loc_st": "MI"},
        {"veh_plate": "EKM1234", "veh_plate_st": "MI"},
        {"pickup_state": "MI", "pickup_zip": "48242"},
        {"PICKUP_LOC_STATE": "Michigan", "DROPOFF_STATE": "MI"},
        {"RETURN_LOCATION_ZIP": "49512"},
        {"OUT_LOC_ST": "MI", "IN_LOC_ST": "MI"},
        {"CHECKOUT_STATION_ST": "MI"},
        {"branch_st": "MI", "counter_zip": "48242"},
        {"plate_state": "MI", "tag_st": "MI", "LIC_PLATE_ST": "MI"},
        {"VEH_REG_ST": "MI", "vehicle_zip": "48242", "fleet_state": "MI"},
        {"reg_state": "MI"},  # a table of rental agreements: the car's registration
    ],
)
def test_a_rentals_pickup_return_and_plate_places_are_not_the_renters_home(tmp_path: Path, columns):
    """Until 2026-11-25 all three were Michigan residents: a Detroit pickup, a Michigan-plated fleet car."""
    db = write(tmp_path, {"renters": _renters(), "rental_agreements": _agreements(columns)})
    assert counts(db) == (0, 2, 1)


def test_a_foreign_renters_country_is_not_outweighed_by_a_pickup_in_the_same_row(tmp_path: Path):
    """A flat rental export: the pickup state sits beside the renter's own country (GBR)."""
    rows = [
        {**r, "pu_loc_st": "MI", "veh_plate_st": "MI"}
        for r in _renters()
        if r["renter_id"] in ("5001", "5002")
    ]
    assert counts(write(tmp_path, {"rentals": rows})) == (0, 2, 0)


def test_a_registration_state_elsewhere_is_the_voters_home(tmp_path: Path):
    """A bare reg_state is a car's only among vehicles or beside a plate or VIN: a voter file's is the voter's."""
    voters = [
        {"first_name": "Walter", "last_name": "Austin", "ssn": SSNS[0], "reg_state": "MI"},
        {"first_name": "Ana", "last_name": "George", "ssn": SSNS[1], "reg_state": "OH"},
    ]
    assert counts(write(tmp_path, {"voters": voters})) == (1, 1, 0)
    beside_a_plate = [{**v, "plate_no": "EKM1234"} for v in voters]
    assert counts(write(tmp_path / "plates", {"owners": beside_a_plate})) == (0, 0, 2)


def test_a_vehicles_garaging_place_stays_the_insureds_home(tmp_path: Path):
    """Where the car is kept (GARAGING_ZIP, VEH_GARAGE_ST) is the insured's home, unlike its plate."""
    rows = [
        {"INSD_FIRST_NM": "Walter", "INSD_LAST_NM": "Austin", "INSD_SSN": SSNS[0]}
        | {"VEH_GARAGE_ST": "MI", "GARAGING_ZIP": "", "VEH_PLATE_ST": "OH"},
        {"INSD_FIRST_NM": "Ana", "INSD_LAST_NM": "George", "INSD_SSN": SSNS[1]}
        | {"VEH_GARAGE_ST": "", "GARAGING_ZIP": "43604", "VEH_PLATE_ST": "MI"},
    ]
    assert counts(write(tmp_path, {"auto_policies": rows})) == (1, 1, 0)


@pytest.mark.parametrize("column", ["NR_STATE", "NONRES_ST", "non_resident_state", "nonresident_state"])
def test_a_nonresident_state_of_a_return_is_not_the_filers_home(tmp_path: Path, column):
    rows = [
        {"TP_FNAME": "Megan", "TP_LNAME": "Smith", "TP_SSN": SSNS[0], "ST": "OH", column: "MI"},
        {"TP_FNAME": "Ann", "TP_LNAME": "Avery", "TP_SSN": SSNS[2], "ST": "MI", column: "OH"},
    ]
    assert counts(write(tmp_path, {"clients": rows})) == (1, 1, 0)


# 2. A financed property's place ------------------------------------------------------------------------------


def _loans(prop: dict[str, str], mail: dict[str, str], usage: str | None, values: list[str]) -> list[dict]:
    """Tyler lives in Toledo and owns a rental in Traverse City; Yvette lives in Naples FL and owns a cottage there;
    Ann lives in the Ann Arbor house she financed."""
    people = [
        ("Tyler", "Meza", "MI", "49684", "OH", "43623"),
        ("Yvette", "Salazar", "MI", "49686", "FL", "34102"),
    ]
    people.append(("Ann", "Avery", "MI", "48104", "MI", "48104"))
    rows = []
    for k, (first, last, pst, pzip, mst, mzip) in enumerate(people):
        row = {"LoanIdentifier": f"L-2000{k}", "BorrowerFirstName": first, "BorrowerLastName": last}
        row |= {"BorrowerSSN": SSNS[k], prop["state"]: pst, prop["zip"]: pzip}
        row |= {mail["state"]: mst, mail["zip"]: mzip} if mail else {}
        if usage:
            row[usage] = values[k]
        rows.append(row)
    return rows


PROPERTY_HEADERS = [
    {"state": "PropertyStateCode", "zip": "PropertyPostalCode"},
    {"state": "prop_st", "zip": "prop_zip"},
    {"state": "SubjectPropertyState", "zip": "SubjectPropertyZip"},
    {"state": "collateral_state", "zip": "collateral_zip"},
    {"state": "RENTAL_PROPERTY_ST", "zip": "RENTAL_PROP_ZIP"},
    {"state": "second_home_state", "zip": "second_home_zip"},
]


@pytest.mark.parametrize("prop", PROPERTY_HEADERS)
def test_a_financed_propertys_state_is_not_the_borrowers_home(tmp_path: Path, prop):
    """The mailing address is the home: 1 Michigan (Ann), 2 elsewhere. Until 2026-11-25: 3 Michigan."""
    rows = _loans(prop, {"state": "MailingStateCode", "zip": "MailingPostalCode"}, None, [])
    assert counts(write(tmp_path, {"loan_master": rows})) == (1, 2, 0)


@pytest.mark.parametrize(
    "usage,values,expected",
    [
        # Investment / second home: the property is not the home
        ("PropertyUsageType", ["Investment", "SecondHome", "PrimaryResidence"], (1, 2, 0)),
        ("occupancy_status", ["I", "S", "P"], (1, 2, 0)),
        ("OCC_TYPE", ["3", "2", "1"], (1, 2, 0)),  # HMDA: 1 principal residence, 2 second, 3 investment
        ("owner_occupied", ["N", "N", "Y"], (1, 2, 0)),
        # owner-occupied rows: the property is the home, beside the mailing address (Michigan wins)
        ("PropertyUsageType", ["PrimaryResidence", "Principal Residence", "Primary"], (3, 0, 0)),
        ("owner_occupied_flag", ["Y", "1", "Y"], (3, 0, 0)),
        ("occupancy", ["Owner Occupied", "Non-Owner Occupied", "Owner-Occupied"], (2, 1, 0)),
    ],
)
def test_an_occupancy_column_says_row_by_row_whether_the_property_is_the_home(
    tmp_path, usage, values, expected
):
    prop = {"state": "PropertyStateCode", "zip": "PropertyPostalCode"}
    rows = _loans(prop, {"state": "MailingStateCode", "zip": "MailingPostalCode"}, usage, values)
    assert counts(write(tmp_path, {"loan_master": rows})) == expected


def test_a_property_places_a_borrower_nothing_else_places(tmp_path: Path):
    """Weak evidence is still evidence: no mailing address, the property's Michigan places all three."""
    rows = _loans({"state": "PropertyStateCode", "zip": "PropertyPostalCode"}, {}, None, [])
    assert counts(write(tmp_path, {"loan_master": rows})) == (3, 0, 0)


def test_a_tenants_property_is_their_home(tmp_path: Path):
    """In a table of tenants (a rent roll, leases, units) the property is where the row's person lives: the
    same columns that are a borrower's collateral in a loan file place a tenant in Michigan."""
    rows = [
        {
            "first_name": "Tyler",
            "last_name": "Meza",
            "ssn": SSNS[0],
            "property_state": "MI",
            "mailing_state": "OH",
        },
        {
            "first_name": "Yvette",
            "last_name": "Salazar",
            "ssn": SSNS[1],
            "property_state": "MI",
            "mailing_state": "",
        },
    ]
    assert counts(write(tmp_path, {"tenants": rows})) == (2, 0, 0)
    assert counts(write(tmp_path / "loans", {"loans": rows})) == (1, 1, 0)


# 3. A part-year residence ------------------------------------------------------------------------------------


def _clients(columns: list[dict]) -> list[dict]:
    """Megan and Timothy live in Ohio (moved from Michigan during 2024), Ann in Lansing (lived in Ohio till May)."""
    people = [
        ("Megan", "Smith", "Toledo", "OH", "43623"),
        ("Timothy", "Willis", "Sylvania", "OH", "43560"),
        ("Ann", "Avery", "Lansing", "MI", "48933"),
    ]
    return [
        {"CLIENT_ID": f"C1000{k}", "TP_FNAME": f, "TP_LNAME": last, "TP_SSN": SSNS[k], "FILING_STATUS": "1"}
        | {"CITY": city, "ST": st, "ZIP": z}
        | columns[k]
        for k, (f, last, city, st, z) in enumerate(people)
    ]


PART_YEAR = [
    {"PY_RES_ST": "MI", "PY_RES_FROM": "01/01/2024", "PY_RES_TO": "06/15/2024"},
    {"PY_RES_ST": "MI", "PY_RES_FROM": "01/01/2024", "PY_RES_TO": "04/15/2024"},
    {"PY_RES_ST": "OH", "PY_RES_FROM": "01/01/2024", "PY_RES_TO": "05/30/2024"},
]


def test_a_part_year_residence_that_ended_is_a_former_place(tmp_path: Path):
    """Until 2026-11-25: 3 Michigan (the MI of the part-year return read as the current state)."""
    assert counts(write(tmp_path, {"clients": _clients(PART_YEAR)})) == (1, 2, 0)


@pytest.mark.parametrize(
    "columns",
    [
        # no end column: a part-year residence is of a past tax year, weak evidence
        [{"part_year_res_state": "MI"}, {"part_year_res_state": "MI"}, {"part_year_res_state": "OH"}],
        [{"PartYearResState": "MI"}, {"PartYearResState": "MI"}, {"PartYearResState": "OH"}],
        # other end words: end date, thru
        [
            {"py_res_state": "MI", "py_res_zip": "48104", "py_res_end_date": "2024-06-15"},
            {"py_res_state": "MI", "py_res_zip": "48104", "py_res_end_date": "2024-04-15"},
            {"py_res_state": "OH", "py_res_zip": "43623", "py_res_end_date": "2024-05-30"},
        ],
    ],
)
def test_part_year_residences_as_exports_write_them(tmp_path: Path, columns):
    assert counts(write(tmp_path, {"clients": _clients(columns)})) == (1, 2, 0)


def test_a_part_year_residence_whose_end_is_still_to_come_is_current(tmp_path: Path):
    """Megan's Michigan residence goes on (end 2099, an open 9999-12-31): her own places include Michigan, and
    Michigan wins among them. Timothy's ended."""
    rows = _clients(PART_YEAR)
    rows[0]["PY_RES_TO"] = "12/31/2099"
    rows[1]["PY_RES_TO"] = "06/15/2024"
    assert counts(write(tmp_path, {"clients": rows})) == (2, 1, 0)
    rows[0]["PY_RES_TO"] = "9999-12-31"
    assert counts(write(tmp_path / "open", {"clients": rows})) == (2, 1, 0)


def test_a_part_year_residence_places_a_filer_nothing_else_places(tmp_path: Path):
    rows = [{k: v for k, v in r.items() if k not in ("CITY", "ST", "ZIP")} for r in _clients(PART_YEAR)]
    assert counts(write(tmp_path, {"clients": rows})) == (2, 1, 0)


def test_an_end_of_one_place_ends_only_that_place(tmp_path: Path):
    """A seasonal address that ended is a former place; the home state beside it stays current: shown on the
    notification list and counted (until 2026-11-25 seasonal_addr_end_dt ended the whole row: the home state was
    weak evidence and the notification list showed no state)."""
    rows = [
        {
            "first_name": "Ann",
            "last_name": "Avery",
            "ssn": SSNS[2],
            "home_state": "MI",
            "seasonal_addr_state": "FL",
            "seasonal_addr_end_dt": "2024-04-30",
        },
        {
            "first_name": "Tyler",
            "last_name": "Meza",
            "ssn": SSNS[0],
            "home_state": "OH",
            "seasonal_addr_state": "MI",
            "seasonal_addr_end_dt": "2024-09-30",
        },
    ]
    db = write(tmp_path, {"customers": rows})
    assert counts(db) == (1, 1, 0)
    result = run_scan([str(db)], out_dir=None, options=ScanOptions())
    shown = dict(result.individuals.select("first_name", "state").iter_rows())
    assert shown == {"Ann": "MI", "Tyler": "OH"}


# 4. The vocabulary, header by header -------------------------------------------------------------------------


def test_whose_place_by_header():
    no_residence = [
        "pu_loc_st",
        "rtn_loc_st",
        "pickup_state",
        "DROPOFF_ZIP",
        "veh_plate_st",
        "tag_st",
        "NR_STATE",
    ]
    assert not any(residency.STATE.says(h) or residency.ZIP.says(h) for h in no_residence)
    # a routing number (RTN), a tax return's state, an in-state flag, a garaging place: not rental places
    for h in [
        "home_state",
        "st_prov",
        "return_state",
        "garaging_state",
        "VEH_GARAGE_ST",
        "in_state",
        "emp_st",
    ]:
        assert residency.STATE.says(h), h
    assert residency.table_place("reg_state", "rental_agreements") is not None
    assert residency.table_place("reg_state", "voters") is None
    assert residency.table_place("reg_state", "owners", ["vin", "reg_state"]) is not None
    for h in [
        "PropertyStateCode",
        "prop_st",
        "collateral_zip",
        "subject_property_address",
        "second_home_state",
    ]:
        assert residency.property_place(h, "loan_master"), h
    for h in ["MailingStateCode", "prop_owner_st", "home_state", "property_mailing_zip"]:
        assert not residency.property_place(h, "loan_master"), h
    assert not residency.property_place("property_state", "tenants")
    assert not residency.property_place("prop_zip", "units")
    assert [residency.occupancy_column(h) for h in ["PropertyUsageType", "occ_cd", "owner_occupied"]] == [
        True
    ] * 3
    assert [
        residency.occupancy_column(h) for h in ["occupation", "non_owner_occupied", "occupancy_date"]
    ] == [False] * 3


def test_which_end_column_ends_which_place():
    headers = ["ST", "ZIP", "PY_RES_ST", "PY_RES_ZIP", "PY_RES_FROM", "PY_RES_TO"]
    assert residency.place_ends(["ST", "ZIP", "PY_RES_ST", "PY_RES_ZIP"], headers) == {
        "PY_RES_ST": "PY_RES_TO",
        "PY_RES_ZIP": "PY_RES_TO",
    }
    # a stem that names no residence or address: a policy's end is no move
    assert residency.place_ends(["state", "policy_state"], ["policy_end_dt"]) == {}
    # a card's or a lease's end is no move either
    assert residency.place_ends(["res_state"], ["res_card_exp_end"]) == {}
    assert residency.place_ends(["res2_st"], ["res2_thru"]) == {"res2_st": "res2_thru"}
