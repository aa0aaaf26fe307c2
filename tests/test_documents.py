"""JSON objects and lists of people inside a text column (pipeline/documents.py), counted by hand under MCL
445.63(p) and 445.72(1). Searched as running text, every SSN inside went to the row's own person: the wrong
person was notified and the right one was not."""

from __future__ import annotations

import json

import polars as pl
from scenario import counts, scan, write

from pipeline.scan import run_scan


def _json(value) -> str:
    return json.dumps(value)


def test_a_beneficiary_object_is_the_beneficiarys(tmp_path):
    """Lena's policy names Carl as beneficiary with Carl's SSN: Carl is affected (residency unknown: a beneficiary
    takes nothing from the row), Lena is not (she has no SSN of her own here)."""
    rows = [
        {"policy_id": "P1", "first_name": "Lena", "last_name": "Ross", "state": "MI",
         "beneficiary": _json({"name": "Carl Ross", "ssn": "072-80-8239", "relationship": "spouse"})},
        {"policy_id": "P2", "first_name": "Abe", "last_name": "Chen", "state": "MI",
         "beneficiary": _json({"name": "Mei Chen", "ssn": "445-02-1653", "relationship": "child"})},
    ]  # fmt: skip
    assert counts(write(tmp_path, {"policies": rows})) == (0, 0, 2)


def test_a_list_of_dependants_is_each_dependants_at_the_household(tmp_path):
    """Rick's row lists Ella and Max with their SSNs: three Michigan residents (a dependant lives at the
    employee's address); Nina's empty list adds nobody; Owen has no SSN, his dependant Ivy has one."""
    deps = [
        {"first_name": "Ella", "last_name": "Stone", "ssn": "203-84-8098", "relationship": "child"},
        {"first_name": "Max", "last_name": "Stone", "ssn": "056-60-3180", "relationship": "spouse"},
    ]
    rows = [
        {"emp_id": "1", "first_name": "Rick", "last_name": "Stone", "ssn": "034-02-3820", "state": "MI",
         "dependents_json": _json(deps)},
        {"emp_id": "2", "first_name": "Nina", "last_name": "Park", "ssn": "029-68-9687", "state": "MI",
         "dependents_json": "[]"},
        {"emp_id": "3", "first_name": "Owen", "last_name": "Gray", "ssn": "", "state": "OH",
         "dependents_json": _json([{"first_name": "Ivy", "last_name": "Gray", "ssn": "334-01-8116"}])},
    ]  # fmt: skip
    exposure = scan(write(tmp_path, {"employees": rows}))
    assert (exposure["affected"]["michigan"], exposure["affected"]["other_states"]) == (4, 1)
    names = {t["name"] for t in exposure["tables"]}
    assert "employees (dependents_json)" in names


def test_a_list_of_the_rows_own_cards_stays_the_rows(tmp_path):
    """Control: a list of cards with their CVVs (no names) is the customer's own (445.63(p)(iii))."""
    rows = [
        {"customer_id": "1", "first_name": "Ann", "last_name": "Lee", "state": "MI",
         "cards": _json([{"number": "4539148803436467", "cvv": "123"}])},
        {"customer_id": "2", "first_name": "Bob", "last_name": "Ray", "state": "MI", "cards": "[]"},
    ]  # fmt: skip
    assert counts(write(tmp_path, {"customers": rows})) == (1, 0, 0)


def test_nested_people_in_ndjson(tmp_path):
    """A document store's export: a spouse object and a list of dependants per member."""
    docs = [
        {"member_id": "M1", "first_name": "Rick", "last_name": "Stone", "ssn": "135-86-3347",
         "address": {"state": "MI", "zip": "48001"},
         "spouse": {"first_name": "Max", "last_name": "Stone", "ssn": "725-63-9926"},
         "dependents": [{"first_name": "Ella", "last_name": "Stone", "ssn": "461-71-5917"},
                        {"first_name": "Finn", "last_name": "Stone", "ssn": "824-86-3067"}]},
        {"member_id": "M2", "first_name": "Owen", "last_name": "Gray", "ssn": None,
         "address": {"state": "OH", "zip": "43004"}, "spouse": None,
         "dependents": [{"first_name": "Ivy", "last_name": "Gray", "ssn": "334-01-8116"}]},
    ]  # fmt: skip
    db = tmp_path / "db"
    db.mkdir()
    (db / "members.ndjson").write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 4, "other_states": 1, "unknown_residency": 0}
    dependants = result.records.filter(pl.col("table") == "members (dependents)")
    assert dependants.height == 3


def test_a_derived_table_keeps_its_own_name_when_its_file_is_renamed_for_a_clash(tmp_path):
    """2023/employees.json and 2024/employees.json, each with a list of dependants (a derived table "employees
    (dependents)" each): every table takes a qualified name, and each derived table keeps its suffix after its
    file's. Until 2026-11-24 a derived table took its parent's qualified name, then both the file's path, and the
    scan failed with ColumnNotFoundError (seen scanning a folder that held two earlier scans'
    findings.ocsf.json)."""
    from pipeline.sources import load_sources

    for year, (first, ssn) in {"2023": ("Ella", "203-84-8098"), "2024": ("Max", "056-60-3180")}.items():
        (tmp_path / year).mkdir()
        deps = [{"first_name": first, "last_name": "Stone", "ssn": ssn}]
        (tmp_path / year / "employees.json").write_text(
            json.dumps(
                [
                    {
                        "emp_id": "1",
                        "first_name": "Rick",
                        "last_name": "Stone",
                        "state": "MI",
                        "dependents": deps,
                    }
                ]
            )
        )
    names = sorted(t.name for t in load_sources([str(tmp_path)]).tables)
    assert names == [
        "2023/employees",
        "2023/employees (dependents)",
        "2024/employees",
        "2024/employees (dependents)",
    ]
    result = run_scan([tmp_path], None)
    assert result.exposure["affected"]["michigan"] == 2  # Ella and Max, each at their household's Michigan


def test_a_policys_drivers_are_its_household(tmp_path):
    """A policy-admin API's auto policies: drivers[] lists the named insured again and her spouse, each with a
    licence. The drivers live at the policy's mailing address (an insurer lists every licensed household member),
    and the named insured listed among them is one person with the policy's (445.63(p), 445.72(1)): two Michigan
    residents and two in Ohio (Rosa's licence is Michigan's, her household Ohio's). Until 2026-11-25 the four
    drivers had no place and the named insureds were two people each."""
    policies = [
        {"policyNumber": "PA1",
         "namedInsured": {"firstName": "Laura", "lastName": "Turner",
                          "mailingAddress": {"line1": "8 Birch Ln", "city": "Lansing", "state": "MI", "zip": "48933"}},
         "drivers": [{"firstName": "Laura", "lastName": "Turner", "relationship": "NAMED_INSURED",
                      "license": {"number": "T123456789012", "state": "MI"}},
                     {"firstName": "Mark", "lastName": "Turner", "relationship": "SPOUSE",
                      "license": {"number": "T223456789012", "state": "MI"}}]},
        {"policyNumber": "PA2",
         "namedInsured": {"firstName": "Justin", "lastName": "Gutierrez",
                          "mailingAddress": {"line1": "12 Elm St", "city": "Toledo", "state": "OH", "zip": "43604"}},
         "drivers": [{"firstName": "Justin", "lastName": "Gutierrez", "relationship": "NAMED_INSURED",
                      "license": {"number": "AB123456", "state": "OH"}},
                     {"firstName": "Rosa", "lastName": "Gutierrez", "relationship": "SPOUSE",
                      "license": {"number": "T423456789012", "state": "MI"}}]},
    ]  # fmt: skip
    db = tmp_path / "db"
    db.mkdir()
    (db / "policies.ndjson").write_text("\n".join(json.dumps(d) for d in policies) + "\n")
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 2, "other_states": 2, "unknown_residency": 0}
    assert result.exposure["individuals"]["total"] == 4
