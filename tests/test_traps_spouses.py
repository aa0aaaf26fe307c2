"""Second people of a row as tax, rental and loan exports write them: a 1040 package's taxpayer and spouse
(TP_ / SP_), a rental's additional driver, a co-borrower whose own address is blank on some rows only
(MCL 445.63(p), 445.72(1); pipeline/co_subjects.py, docs/counting-rules.md section 2)."""

from __future__ import annotations

import polars as pl
from scenario import affected, counts, scan, write

from pipeline.scan import ScanOptions, run_scan

SSN = ["512-33-0912", "301-22-4471", "402-61-1180", "233-71-7781", "519-04-2231", "287-65-4321"]


def _clients(tp_first: bool = True) -> list[dict]:
    people = [
        ("Ann", "Avery", SSN[0], "Bob", "Avery", SSN[1], "Lansing", "MI", "48933"),
        ("Bea", "Brock", SSN[2], "Carl", "Brock", SSN[3], "Toledo", "OH", "43604"),
        ("Dora", "Diaz", SSN[4], "", "", "", "Troy", "MI", "48083"),
    ]
    rows = []
    for i, (tf, tl, ts, sf, sl, ss, city, st, zip_) in enumerate(people):
        tp = {"TP_FNAME": tf, "TP_LNAME": tl, "TP_SSN": ts}
        sp = {"SP_FNAME": sf, "SP_LNAME": sl, "SP_SSN": ss}
        row = {"CLIENT_ID": f"C{i}", **(tp | sp if tp_first else sp | tp)}
        rows.append({**row, "FILING_STATUS": "2", "ADDR1": "1 Elm St", "CITY": city, "ST": st, "ZIP": zip_})
    return rows


def test_tp_sp_spouse_is_a_person_of_the_taxpayers_household(tmp_path):
    # Bob (spouse of a Michigan taxpayer) is a Michigan resident with his own SSN, Carl lives with Bea in Ohio
    exp = scan(write(tmp_path, {"clients": _clients()}))
    assert (exp["affected"]["michigan"], exp["affected"]["other_states"]) == (3, 2)
    assert exp["affected_michigan_by_element"]["ssn"] == 3
    assert "clients (sp)" in {t["name"] for t in exp["tables"]}


def test_sp_columns_first_still_leave_the_taxpayer_the_rows_subject(tmp_path):
    exp = scan(write(tmp_path, {"clients": _clients(tp_first=False)}))
    derived = {t["name"]: t for t in exp["tables"]}
    assert (exp["affected"]["michigan"], exp["affected"]["other_states"]) == (3, 2)
    # the spouse's table holds the SP_ columns, not the taxpayer's
    assert {c["name"] for c in derived["clients (sp)"]["columns"]} >= {"fname", "lname", "ssn"}
    assert derived["clients (sp)"]["rows"] == 2


def test_sp_beside_an_unqualified_name_is_the_spouse(tmp_path):
    rows = [
        {"first_name": "Ann", "last_name": "Avery", "ssn": SSN[0], "sp_first": "Bob", "sp_last": "Avery",
         "sp_ssn": SSN[1], "state": "MI"},
    ]  # fmt: skip
    assert counts(write(tmp_path, {"returns": rows})) == (2, 0, 0)


def test_sp_alone_is_no_second_person(tmp_path):
    # a stored procedure's or a service provider's id and code beside the customer's own columns: one person
    rows = [
        {
            "first_name": "Ann",
            "last_name": "Avery",
            "ssn": SSN[0],
            "state": "MI",
            "sp_id": "17",
            "sp_code": "X1",
        },
        {
            "first_name": "Bea",
            "last_name": "Brock",
            "ssn": SSN[2],
            "state": "MI",
            "sp_id": "18",
            "sp_code": "X2",
        },
    ]
    exp = scan(write(tmp_path, {"customers": rows}))
    assert (exp["affected"]["michigan"], exp["affected"]["unknown_residency"]) == (2, 0)
    assert not any("(sp)" in t["name"] for t in exp["tables"])


def _rentals(prefix: str) -> dict[str, list[dict]]:
    driver = {
        f"{prefix}_fnm": ["Michelle", ""],
        f"{prefix}_lnm": ["Jones", ""],
        f"{prefix}_dl_nbr": ["JM804412", ""],
        f"{prefix}_addr": ["4410 Monroe St", ""],
        f"{prefix}_city": ["Toledo", ""],
        f"{prefix}_st": ["OH", ""],
        f"{prefix}_zip": ["43623", ""],
    }
    agreements = [
        {
            "ra_nbr": "RA1",
            "renter_id": "5002",
            "cc_nbr": "4540053102295845",
            "cc_exp_mmyy": "0527",
            "cc_cvv": "271",
        },
        {
            "ra_nbr": "RA2",
            "renter_id": "5003",
            "cc_nbr": "5178051234567897",
            "cc_exp_mmyy": "0628",
            "cc_cvv": "118",
        },
    ]
    for i, row in enumerate(agreements):
        row.update({k: v[i] for k, v in driver.items()})
    renters = [
        {
            "renter_id": "5002",
            "first_nm": "Thomas",
            "last_nm": "Jones",
            "addr_ln1": "12 Elm St",
            "st_prov": "MI",
        },
        {
            "renter_id": "5003",
            "first_nm": "Ann",
            "last_nm": "Avery",
            "addr_ln1": "8 Oak Ave",
            "st_prov": "MI",
        },
    ]
    return {"rental_agreements": agreements, "renters": renters}


def test_additional_driver_is_a_second_person_not_the_card_holder(tmp_path):
    # the renter's card and CVV are the renter's (joined by renter_id); the additional driver has her own licence
    run = run_scan([str(write(tmp_path, _rentals("addl_drvr")))], out_dir=None, options=ScanOptions())
    assert affected(run.exposure) == (2, 1, 0)
    people = run.individuals.filter(pl.col("affected")).sort("first_name")
    elements = dict(
        zip(people["first_name"].to_list(), [sorted(e) for e in people["elements"].to_list()], strict=True)
    )
    assert elements["Michelle"] == ["drivers_license"]
    assert elements["Thomas"] == elements["Ann"] == ["financial_account"]


def test_secondary_and_co_driver_spellings(tmp_path):
    for k, prefix in enumerate(["secondary_driver", "AddlDriver", "co_driver", "second_drvr"]):
        assert counts(write(tmp_path / str(k), _rentals(prefix))) == (2, 1, 0), prefix


def test_second_applicant_is_the_co_applicant(tmp_path):
    rows = [
        {"first_name": "Ann", "last_name": "Avery", "ssn": SSN[0], "state": "MI", "second_applicant_first": "Bob",
         "second_applicant_last": "Avery", "second_applicant_ssn": SSN[1], "second_applicant_state": "OH"},
    ]  # fmt: skip
    assert counts(write(tmp_path, {"applications": rows})) == (1, 1, 0)


def test_additional_words_that_name_no_person_stay_the_rows(tmp_path):
    rows = [
        {"first_name": "Ann", "last_name": "Avery", "ssn": SSN[0], "addl_charges": "12.50",
         "additional_info": "late", "second_line": "Apt 2", "state": "MI"},
    ]  # fmt: skip
    assert counts(write(tmp_path, {"customers": rows})) == (1, 0, 0)


def _loans(role: str, own: list[tuple[str, str]]) -> list[dict]:
    people = [
        ("Mark", "Brown", SSN[2], "Angela", "Brown", SSN[1]),
        ("Paul", "Rivera", SSN[0], "Dawn", "Rivera", SSN[3]),
    ]
    people += [("Rosa", "Diaz", SSN[4], "Tom", "Ng", SSN[5])]
    return [
        {"LoanIdentifier": f"L{i}", "BorrowerFirstName": bf, "BorrowerLastName": bl, "BorrowerSSN": bs,
         f"{role}FirstName": cf, f"{role}LastName": cl, f"{role}SSN": cs, f"{role}MailingStateCode": own[i][0],
         f"{role}MailingPostalCode": own[i][1], "MailingAddressLineText": "12 Elm St", "MailingCityName": "Lansing",
         "MailingStateCode": "MI", "MailingPostalCode": "48933"}
        for i, (bf, bl, bs, cf, cl, cs) in enumerate(people)
    ]  # fmt: skip


def test_co_borrower_with_a_blank_own_address_takes_the_loans_on_that_row(tmp_path):
    # Angela and Tom have no address of their own on their rows (the loan's household); Dawn lives in Wisconsin
    rows = _loans("CoBorrower", [("", ""), ("WI", "53202"), ("", "")])
    assert counts(write(tmp_path, {"loan_master": rows})) == (5, 1, 0)


def test_spouse_and_joint_with_a_blank_own_place_take_the_rows_per_row(tmp_path):
    for k, role in enumerate(["Spouse", "Joint"]):
        rows = _loans(role, [("", ""), ("WI", "53202"), ("", "")])
        assert counts(write(tmp_path / str(k), {"accounts": rows})) == (5, 1, 0), role


def test_a_second_person_placed_on_every_row_still_takes_no_row_place(tmp_path):
    # own places on every row: the row's Michigan address is the borrower's only (Michigan-wins is one person's)
    rows = _loans("CoBorrower", [("OH", "43604"), ("WI", "53202"), ("IN", "46204")])
    assert counts(write(tmp_path, {"loan_master": rows})) == (3, 3, 0)
