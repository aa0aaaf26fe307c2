"""Second people of a row as tax, rental and loan exports write them: a 1040 package's taxpayer and spouse
(TP_ / SP_), a rental's additional driver, a co-borrower whose own address is blank on some rows only
(MCL 445.63(p), 445.72(1); pipeline/co_subjects.py, docs/counting-rules.md section 2)."""

from __future__ import annotations

from scenario import counts, scan, write

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
