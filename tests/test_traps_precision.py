"""Precision after the broadened rules (fourth review): headers that look like the new rules' words but are not.

Each case: a handful of rows as CSV, scanned with run_scan; expected counts from MCL 445.63(p) and 445.72(1) by
hand. The 'control' of each case shows the rule still works where it should."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from scenario import affected as _affected
from scenario import scan, write


def _scan(tmp_path: Path, tables: dict[str, list[dict]]) -> dict:
    return scan(write(tmp_path, tables))


W9 = [
    {"form_id": "1", "first_name": "Alan", "last_name": "Reed", "ssn": "301-22-4455", "billing_state": "OH"}
]


@pytest.mark.parametrize(
    "column, value",
    [
        ("curr_dpd", "0"),  # days past due, not a current-address flag
        ("is_current", "N"),  # a loan that is not current is delinquent, not moved
        ("stmt_end_dt", "2024-01-31"),
        ("paid_thru", "2024-01-31"),
        ("valid_thru", "09/27"),  # the card's expiry
        ("lease_end", "2099-08-31"),
    ],
)
def test_end_and_current_columns_of_other_things_end_no_address(tmp_path, column, value):
    """Alan's loan row says MI; a W-9 of his says OH: Michigan wins unless the loan's address is a former one, and
    none of these columns says so (they are in a loans table, about the loan)."""
    loans = [
        {
            "loan_id": "1",
            "first_name": "Alan",
            "last_name": "Reed",
            "ssn": "301-22-4455",
            "state": "MI",
            "zip": "48201",
            column: value,
        }
    ]
    assert _affected(_scan(tmp_path, {"loans": loans, "w9_forms": W9})) == (1, 0, 0)


def test_an_address_tables_end_date_still_ends_the_address(tmp_path):
    """The control: the same end date in an address table (or under an address header) makes a former address."""
    people = [
        {"cust_id": str(i), "first_name": f, "last_name": ln, "ssn": s}
        for i, (f, ln, s) in enumerate([("Alan", "Reed", "301-22-4455"), ("Bea", "Cole", "452-19-8830")])
    ]
    addresses = [
        {"cust_id": "0", "state": "MI", "zip": "48201", "end_date": "2021-05-31"},
        {"cust_id": "0", "state": "OH", "zip": "43004", "end_date": ""},
        {"cust_id": "1", "state": "MI", "zip": "48201", "end_date": "9999-12-31"},
    ]
    assert _affected(_scan(tmp_path, {"customers": people, "customer_addresses": addresses})) == (1, 1, 0)


def test_ach_standard_entry_class_is_no_security_code(tmp_path):
    """sec_cd of an ACH entry is PPD / WEB (NACHA's Standard Entry Class): the accounts count only under the
    numbers-alone reading. A card's security code column still counts."""
    entries = [
        {
            "entry_id": "1",
            "receiver_first_name": "Gus",
            "receiver_last_name": "Hall",
            "account_no": "12345678",
            "sec_cd": "PPD",
            "state": "MI",
        },
        {
            "entry_id": "2",
            "receiver_first_name": "Ivy",
            "receiver_last_name": "Jones",
            "account_no": "87654321",
            "sec_cd": "WEB",
            "state": "MI",
        },
    ]
    exposure = _scan(tmp_path, {"ach_entries": entries})
    assert _affected(exposure) == (0, 0, 0) and exposure["what_if"]["account_numbers_alone"] == 2
    cards = [
        {
            "first_name": "Gus",
            "last_name": "Hall",
            "card_number": "4556737586899855",
            "card_sec_cd": "123",
            "state": "MI",
        }
    ]
    assert _affected(_scan(tmp_path / "c", {"payments": cards})) == (1, 0, 0)


def test_benefits_file_dependant_columns_are_the_dependants(tmp_path):
    """An 834-style row: emp_* is the employee, dep_* the dependant with their own name and SSN (both counted,
    the dependant in the employee's household); dep_acct_no in a bank's table stays the subject's account."""
    rows = [
        {
            "emp_first_name": "Mark",
            "emp_last_name": "Nash",
            "emp_ssn": "305-66-7788",
            "dep_first_name": "Nina",
            "dep_last_name": "Nash",
            "dep_ssn": "306-77-8899",
            "dep_relationship": "CHILD",
            "state": "MI",
        }
    ]
    assert _affected(_scan(tmp_path, {"enrollment": rows})) == (2, 0, 0)
    bank = [
        {"first_name": "Tom", "last_name": "Baker", "dep_acct_no": "4481230098", "pin": "4821", "state": "MI"}
    ]
    assert _affected(_scan(tmp_path / "b", {"deposits": bank})) == (1, 0, 0)


def test_call_centre_agents_name_is_not_the_card_holders(tmp_path):
    rows = [
        {
            "pmt_id": "1",
            "card_number": "4556737586899855",
            "cvv": "123",
            "csr_first_name": "Olga",
            "csr_last_name": "Park",
            "state": "MI",
        }
    ]
    assert _affected(_scan(tmp_path, {"phone_payments": rows})) == (0, 0, 0)


def test_country_spellings_and_other_countries_of_a_person(tmp_path):
    """U.S / USA. / UNITED STATES (US) are the United States; a passport's country is not where someone lives."""
    rows = [
        {"first_name": f, "last_name": "Reed", "ssn": s, "state": "MI", "zip": "48201", "country": c}
        for f, s, c in [
            ("Al", "301-22-4455", "U.S"),
            ("Bo", "452-19-8830", "USA."),
            ("Cy", "518-07-3321", "UNITED STATES (US)"),
        ]
    ]
    assert _affected(_scan(tmp_path, {"customers": rows})) == (3, 0, 0)
    travellers = [
        {
            "first_name": "Di",
            "last_name": "Ruiz",
            "ssn": "623-44-1098",
            "state": "MI",
            "zip": "48201",
            "passport_country": "MX",
        }
    ]
    assert _affected(_scan(tmp_path / "p", {"travellers": travellers})) == (1, 0, 0)


def test_a_credit_unions_member_services_accounts_are_deposit_accounts(tmp_path):
    rows = [
        {
            "first_name": "Gus",
            "last_name": "Hall",
            "account_number": "4419203817",
            "pin": "4821",
            "state": "MI",
        }
    ]
    assert _affected(_scan(tmp_path, {"member_services_accounts": rows})) == (1, 0, 0)


def test_the_stricter_code_reading_is_reported_beside_the_default(tmp_path):
    """445.63(p)(iii): a code "that would permit access to any of the resident's financial accounts". Default: any
    readable code of the individual goes with any readable account number of theirs. The stricter reading (the
    code must be that account's own: same row, or a row linked to it) is what_if.codes_with_their_own_account.
    Ann: card A whole without a code, and a masked card B with its CVV -> default yes, stricter no. Bob: a card
    with its CVV in the same row. Cy: the CVV in a card_codes table linked to the card's row."""
    customers = [
        {"cust_id": str(i), "first_name": f, "last_name": ln, "state": "MI"}
        for i, (f, ln) in enumerate([("Ann", "Lee"), ("Bob", "Roe"), ("Cy", "Diaz")])
    ]
    cards = [
        {"card_id": "10", "cust_id": "0", "card_number": "4556737586899855", "cvv": ""},
        {"card_id": "11", "cust_id": "0", "card_number": "XXXX-XXXX-XXXX-1234", "cvv": "321"},
        {"card_id": "12", "cust_id": "1", "card_number": "4539148803436467", "cvv": "123"},
        {"card_id": "13", "cust_id": "2", "card_number": "5457623899012344", "cvv": ""},
    ]
    codes = [
        {"code_id": "1", "card_id": "13", "cvc2": "777"},
        {"code_id": "2", "card_id": "12", "cvc2": "888"},
    ]
    exposure = _scan(tmp_path, {"customers": customers, "cards": cards, "card_codes": codes})
    assert _affected(exposure) == (3, 0, 0)
    assert exposure["what_if"]["codes_with_their_own_account"] == 2  # Bob and Cy


def test_dependants_table_with_dep_prefixed_columns(tmp_path):
    """dependents(dep_first_name, dep_ssn) -> employees: the dep_ columns are the row's own subject (the table is
    the dependants), so each dependant is a person of the employee's household (Michigan or Ohio)."""
    employees = [
        {
            "emp_no": "100001",
            "first_name": "Kelly",
            "last_name": "Martin",
            "ssn": "365-19-9143",
            "home_state": "MI",
        },
        {"emp_no": "100002", "first_name": "Omar", "last_name": "Reyes", "ssn": "", "home_state": "OH"},
        {"emp_no": "100003", "first_name": "Lena", "last_name": "Park", "ssn": "", "home_state": "MI"},
    ]
    dependents = [
        {
            "dependent_id": "D1",
            "emp_no": "100001",
            "dep_first_name": "Andrew",
            "dep_last_name": "Martin",
            "dep_ssn": "220-83-2468",
        },
        {
            "dependent_id": "D2",
            "emp_no": "100002",
            "dep_first_name": "Sofia",
            "dep_last_name": "Reyes",
            "dep_ssn": "318-44-1290",
        },
        {
            "dependent_id": "D3",
            "emp_no": "100003",
            "dep_first_name": "Evan",
            "dep_last_name": "Park",
            "dep_ssn": "412-55-7781",
        },
        {
            "dependent_id": "D4",
            "emp_no": "100003",
            "dep_first_name": "Mia",
            "dep_last_name": "Park",
            "dep_ssn": "412-55-7782",
        },
    ]
    # Kelly (her SSN) and Andrew, Evan, Mia in Michigan; Sofia in Ohio; Omar and Lena hold no element
    assert _affected(_scan(tmp_path, {"employees": employees, "dependents": dependents})) == (4, 1, 0)


def test_surnames_that_are_also_institutions(tmp_path):
    """Church, Banks, Court are surnames; First Baptist Church and City of Detroit are not people."""
    rows = [
        {"first_name": "Ann", "last_name": "Church", "ssn": "287-65-4321", "state": "MI"},
        {"first_name": "Bob", "last_name": "Banks", "ssn": "301-22-4455", "state": "MI"},
        {"first_name": "Cy", "last_name": "Court", "ssn": "452-19-8830", "state": "MI"},
    ]
    assert _affected(_scan(tmp_path, {"people": rows})) == (3, 0, 0)
    payees = [
        {"payee_name": "First Baptist Church", "tax_id": "518-07-3321", "state": "MI"},
        {"payee_name": "City of Detroit", "tax_id": "623-44-1098", "state": "MI"},
        {"payee_name": "John Church", "tax_id": "212-56-7734", "state": "MI"},
    ]
    assert _affected(_scan(tmp_path / "p", {"payees": payees})) == (1, 0, 0)


def test_joint_owner_gets_the_joint_accounts_card_and_code(tmp_path):
    """share_accounts names the primary owner; joint_owners adds a joint owner; cards hang from the account. The
    joint owner holds the account and its card with the CVV (445.63(p)(iii)): both owners are affected, and the
    joint owner does not get the primary owner's other rows. (Eli holds only the joint savings account A3.)"""
    members = [
        {"member_nbr": f"M{i}", "first_nm": f, "last_nm": ln, "st": "MI"}
        for i, (f, ln) in enumerate(
            [("Brooke", "Livingston"), ("Carl", "Ortega"), ("Dana", "Wells"), ("Eli", "Park")]
        )
    ]
    accounts = [
        {"acct_id": "A1", "acct_nbr": "2701870609", "member_nbr": "M1", "acct_type": "CHECKING"},
        {"acct_id": "A2", "acct_nbr": "2649437434", "member_nbr": "M0", "acct_type": "CHECKING"},
        {"acct_id": "A3", "acct_nbr": "2649437551", "member_nbr": "M2", "acct_type": "SAVINGS"},
    ]
    joint = [
        {"acct_id": "A1", "member_nbr": "M0", "role": "JOINT"},
        {"acct_id": "A3", "member_nbr": "M3", "role": "JOINT"},
    ]
    cards = [
        {"card_id": "C1", "acct_id": "A1", "pan": "5561125616595125", "cvv2": "793"},
        {"card_id": "C2", "acct_id": "A3", "pan": "4539148803436467", "cvv2": "412"},
        {"card_id": "C3", "acct_id": "A2", "pan": "5457623899012344", "cvv2": "118"},
        {"card_id": "C4", "acct_id": "A1", "pan": "6011556677889903", "cvv2": "207"},  # a second card on A1
    ]
    exposure = _scan(
        tmp_path, {"members": members, "share_accounts": accounts, "joint_owners": joint, "cards": cards}
    )
    assert _affected(exposure) == (4, 0, 0)


def test_the_stricter_code_reading_is_selectable(tmp_path):
    """--codes-with-own-account makes the stricter reading the count (and the notification list), and says so in
    exposure.json's reading; with --account-numbers-alone it is refused as a usage error."""
    from click.testing import CliRunner

    from pipeline.cli import main

    customers = [
        {"cust_id": str(i), "first_name": f, "last_name": ln, "state": "MI"}
        for i, (f, ln) in enumerate([("Ann", "Lee"), ("Bob", "Roe")])
    ]
    cards = [
        {"card_id": "10", "cust_id": "0", "card_number": "4556737586899855", "cvv": ""},
        {"card_id": "11", "cust_id": "0", "card_number": "XXXX-XXXX-XXXX-1234", "cvv": "321"},
        {"card_id": "12", "cust_id": "1", "card_number": "4539148803436467", "cvv": "123"},
    ]
    db = write(tmp_path, {"customers": customers, "cards": cards})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scan", str(db), "--out", str(out), "--codes-with-own-account", "-q"])
    assert result.exit_code == 0, result.output
    exposure = json.loads((out / "exposure.json").read_text())
    assert _affected(exposure) == (1, 0, 0)  # Bob only
    assert exposure["reading"]["codes_with_their_own_account"] is True
    listed = pl.read_csv(out / "notification_list.csv")
    assert listed.get_column("first_name").to_list() == ["Bob"]
    both = CliRunner().invoke(
        main, ["scan", str(db), "--out", str(out), "--codes-with-own-account", "--account-numbers-alone"]
    )
    assert both.exit_code == 2 and "choose one" in both.output


# ---------------------------------------------------------------- precision of session 9's rules (review)


def _csv(tmp_path: Path, files: dict[str, str]) -> Path:
    db = tmp_path / "db"
    db.mkdir(exist_ok=True)
    for name, text in files.items():
        (db / f"{name}.csv").write_text(text)
    return db


def test_an_audit_logs_entity_is_the_customer_not_the_admin(tmp_path):
    """audit_log(customer_id, field_name, old_value, new_value, user_id): user_id is the admin who changed it. Dan's
    whole SSN is his, through customer_id (it went to another customer grouped by the same admin)."""
    log = "audit_id,customer_id,field_name,old_value,new_value,user_id,changed_at\n"
    log += "1,101,ssn,287-65-4321,***-**-4321,7,2026-02-01\n2,102,ssn,301-22-4455,***-**-4455,7,2026-02-02\n"
    log += "3,103,ssn,412-33-5566,***-**-5566,8,2026-02-03\n4,104,ssn,213-66-7733,***-**-7733,8,2026-02-04\n"
    customers = "customer_id,first_name,last_name,state\n101,Ann,Lee,MI\n102,Bob,Kane,MI\n103,Cara,Diaz,OH\n"
    customers += "104,Dan,Ford,MI\n"
    assert _affected(scan(_csv(tmp_path, {"customers": customers, "customer_audit_log": log}))) == (3, 1, 0)


def test_a_json_list_of_the_customers_own_cards_stays_the_customers(tmp_path):
    """cards: [{name_on_card, card_number, cvv}] is the row's own payment methods, at the row's state."""
    rows = "customer_id,first_name,last_name,state,cards\n"
    rows += '1,Ann,Lee,MI,"[{""name_on_card"": ""Ann Lee"", ""card_number"": ""4539148803436467"", ""cvv"": ""302""}]"\n'
    rows += '2,Cara,Diaz,OH,"[{""name_on_card"": ""Cara Diaz"", ""card_number"": ""5457623899012344"", ""cvv"": ""913""}]"\n'
    assert _affected(scan(_csv(tmp_path, {"customers": rows}))) == (1, 1, 0)


def test_two_sisters_of_one_first_word_sharing_a_mailbox_keep_their_own_ssns(tmp_path):
    """Mary Ann and Mary Beth Smith share a family e-mail, each with her own SSN: two people."""
    rows = "id,first_name,last_name,email,city,state,ssn\n"
    rows += "1,Mary Ann,Smith,mfamily@example.com,Detroit,MI,287-65-4321\n"
    rows += "2,Mary Beth,Smith,mfamily@example.com,Detroit,MI,301-44-5521\n"
    assert _affected(scan(_csv(tmp_path, {"customers": rows}))) == (2, 0, 0)


def test_two_accounts_differing_in_leading_zeros_keep_their_pins(tmp_path):
    """0012345678 (Ann) and 12345678 (Bob) are two accounts, each with its PIN row."""
    accounts = "customer_id,first_name,last_name,state,account_number\n1,Ann,Lee,MI,0012345678\n2,Bob,Kane,OH,12345678\n"
    pins = "account_number,pin\n0012345678,4821\n12345678,9313\n"
    assert _affected(scan(_csv(tmp_path, {"accounts": accounts, "online_banking": pins}))) == (1, 1, 0)


def test_a_cardholder_who_is_the_customer_is_one_person(tmp_path):
    """A payment's cardholder_name and its customer_first_name / customer_last_name name one buyer: the customer's
    address is the cardholder's."""
    rows = (
        "payment_id,cardholder_name,card_number,cvv,customer_first_name,customer_last_name,customer_state\n"
    )
    rows += "1,Ann Lee,4539148803436467,100,Ann,Lee,MI\n2,Bob Kane,5457623899012344,200,Bob,Kane,MI\n"
    rows += "3,Cara Diaz,6011556677889904,300,Cara,Diaz,OH\n"
    assert _affected(scan(_csv(tmp_path, {"payments": rows}))) == (2, 1, 0)


def test_a_card_references_table_is_the_customers_own_cards(tmp_path):
    customers = "customer_id,first_name,last_name,state\n1,Ann,Lee,MI\n2,Bob,Kane,MI\n3,Cara,Diaz,OH\n"
    refs = "card_ref_id,customer_id,card_number,cvv,expiry\n900,1,4539148803436467,200,12/29\n"
    refs += "901,2,5457623899012344,201,12/29\n902,3,6011556677889904,202,12/29\n"
    assert _affected(scan(_csv(tmp_path, {"customers": customers, "card_references": refs}))) == (2, 1, 0)


@pytest.mark.parametrize("table", ["online_banking_subscribers", "rewards_checking_accounts"])
def test_a_banks_own_tables_are_financial_whatever_else_their_name_says(tmp_path, table):
    rows = "member_id,first_name,last_name,state,account_number,password\n"
    rows += "1,Ann,Lee,MI,0004400000,Pa55w0rd!0\n2,Bob,Kane,MI,0004400001,Pa55w0rd!1\n3,Cara,Diaz,OH,0004400002,x9\n"
    assert _affected(scan(_csv(tmp_path, {table: rows}))) == (2, 1, 0)
