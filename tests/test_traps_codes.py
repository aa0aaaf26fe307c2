"""Traps in code, licence and residency headers: red-team cases R14, R15, R06, R11, R18 and R12.

Written like tests/test_adversarial.py: a handful of rows as CSV, scanned with pipeline.scan.run_scan, the
expected counts worked out from MCL 445.63(p), (g) and 445.72(1) by hand. Every fix has a negative case that
must stay uncounted.
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

from detectors import access_code, bank_account, drivers_license, residency  # noqa: E402
from pipeline.classify import classify_column  # noqa: E402
from pipeline.scan import run_scan  # noqa: E402

CARDS = ["4539148803436467", "5457623899012344", "6011556677889903"]
SSNS = ["287-65-4321", "301-22-4455", "452-19-8830"]


def codes(expr: pl.Expr, values: list[str]) -> list:
    return pl.DataFrame({"v": values}).select(expr.alias("o")).get_column("o").to_list()


# ---------------------------------------------------------------- R14: code header abbreviations (445.63(p)(iii))


@pytest.mark.parametrize(
    "header",
    [
        "ccv",
        "USR_PSWD",
        "CARD_SEC_CD",
        "security_cd",
        "sec_code",
        "cvc2",
        "cav2",
        "pin_no",
        "pin_cd",
        "TPIN",
        "online_pwd",
        "web_pswd",
        "login_pwd",
        "pass_cd",
    ],
)
def test_code_header_abbreviations(header, tmp_path):
    rows = people_rows(2, card_number=CARDS[:2], **{header: ["123", "Tr0ub4dor3"]}, state="MI")
    exposure = scan(write(tmp_path, {"payments": rows}))
    assert affected(exposure) == (2, 0, 0)


@pytest.mark.parametrize("header", ["pwd_last_set", "pin_attempts", "boarding_pass", "security_cd_type"])
def test_code_metadata_headers_are_not_codes(header, tmp_path):
    rows = people_rows(2, card_number=CARDS[:2], **{header: ["3", "5"]}, state="MI")
    exposure = scan(write(tmp_path, {"payments": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 2


def test_social_security_number_is_never_a_security_code(tmp_path):
    # "security no" must not make an SSN column a code column (the access-code header is read first)
    rows = people_rows(2, social_security_no=SSNS[:2], state="MI")
    exposure = scan(write(tmp_path, {"people": rows}))
    assert affected(exposure) == (2, 0, 0)
    assert exposure["affected_michigan_by_element"]["ssn"] == 2


# ---------------------------------------------------------------- R15: PIN blocks, offsets, PVVs (445.63(g))


@pytest.mark.parametrize("header", ["PIN_BLOCK", "ENC_PIN", "PIN_BLK", "pin_cipher"])
def test_encrypted_pin_block_counts_only_if_key_compromised(header, tmp_path):
    blocks = ["3F9A0C77D1E2B845", "A1B2C3D4E5F60718"]
    rows = people_rows(2, card_number=CARDS[:2], **{header: blocks}, state="MI")
    exposure = scan(write(tmp_path, {"atm_cards": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["encryption_key_compromised"] == 2
    assert exposure["what_if"]["account_numbers_alone"] == 2


@pytest.mark.parametrize("header", ["PIN_OFFSET", "pvv", "pin_verification_value"])
def test_pin_offset_and_pvv_are_not_the_pin(header, tmp_path):
    rows = people_rows(2, card_number=CARDS[:2], **{header: ["4721", "0090"]}, state="MI")
    exposure = scan(write(tmp_path, {"atm_cards": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 2


def test_plain_pin_beside_a_pin_offset_still_counts(tmp_path):
    rows = people_rows(
        2, card_number=CARDS[:2], pin_offset=["4721", "0090"], pin=["1234", "9876"], state="MI"
    )
    assert affected(scan(write(tmp_path, {"atm_cards": rows}))) == (2, 0, 0)


def test_code_status_reads_protected_headers():
    assert access_code.names_code("PIN_OFFSET") and access_code.names_code("PVV")
    assert not access_code.CONTEXT.says("PIN_OFFSET")
    assert not access_code.names_code("offset_days")
    values = ["4721", "3F9A0C77D1E2B845", "Tr0ub4dor3", "***"]
    # without the header: one TDES block of hex is ciphertext, a readable password or PIN is present
    assert codes(access_code.status(pl.col("v")), values) == ["present", "encrypted", "present", None]
    # with a header naming a derived or encrypted form: nothing is the readable code
    assert codes(access_code.status(pl.col("v"), "PIN_OFFSET"), values) == ["encrypted"] * 3 + [None]
    assert codes(access_code.status(pl.col("v"), "PIN_BLOCK"), values) == [
        "present",  # a plain 4-digit PIN mislabelled as a block is still the PIN
        "encrypted",
        "encrypted",
        None,
    ]


# ---------------------------------------------------------------- R06: professional licences (445.63(p)(ii))


@pytest.mark.parametrize(
    "header",
    [
        "medical_license_no",
        "nursing_lic",
        "RN_LICENSE",
        "prof_lic_no",
        "contractor_license",
        "business_license_no",
        "board_license_number",
        "cpl_number",
    ],
)
def test_professional_licence_headers_are_not_driver_licences(header, tmp_path):
    rows = people_rows(2, **{header: ["4301123456", "S123456789012"]}, state="MI")
    exposure = scan(write(tmp_path, {"staff": rows}))
    assert affected(exposure) == (0, 0, 0)


@pytest.mark.parametrize("header", ["provider_dl_no", "contractor_dl", "DriversLicense", "license_no"])
def test_driver_licence_headers_still_count(header, tmp_path):
    rows = people_rows(2, **{header: ["S123456789012", "B234567890123"]}, state="MI")
    assert affected(scan(write(tmp_path, {"staff": rows}))) == (2, 0, 0)


@pytest.mark.parametrize(
    "header",
    ["name_on_license", "driver_name", "dl_name", "name_on_dl", "license_holder_name", "NameOnLicense"],
)
def test_a_name_on_the_licence_is_a_name_column(header, tmp_path):
    """A header whose head noun is a name (name_on_license, driver_name) holds the holder's name, not a licence
    number: a motor-vehicle-record export names its licensees (until 2026-11-24 their names were rejected as
    'not a licence format' and nobody was counted). The licence's state is where it was issued: unknown."""
    rows = [
        {"mvr_id": "M1", header: "KEVIN HART", "license_number": "B740859411842", "license_state": "MI"},
        {"mvr_id": "M2", header: "TERESA WILSON", "license_number": "AB006407", "license_state": "OH"},
    ]
    exposure = scan(write(tmp_path, {"mvr_results": rows}))
    (table,) = exposure["tables"]
    assert {c["name"]: c["classified_as"] for c in table["columns"]}[header] == "full_name"
    assert affected(exposure) == (0, 0, 2)
    assert exposure["rejected"] == {}


def test_practice_address_is_not_residence(tmp_path):
    rows = people_rows(
        2,
        dl_number=["S123456789012", "B234567890123"],
        practice_st="MI",
        practice_zip="48201",
        clinic_city="Detroit",
        home_state="OH",
    )
    assert affected(scan(write(tmp_path, {"staff": rows}))) == (0, 2, 0)


def test_practice_state_alone_leaves_residency_unknown(tmp_path):
    rows = people_rows(
        2, dl_number=["S123456789012", "B234567890123"], practice_st="MI", business_zip="48201"
    )
    assert affected(scan(write(tmp_path, {"staff": rows}))) == (0, 0, 2)


def test_professional_licence_by_table():
    assert drivers_license.professional_licence(
        "LICENSE_NO", "providers", ["NPI", "LICENSE_NO", "LICENSE_ST"]
    )
    assert drivers_license.professional_licence("license_no", "staff", ["npi", "license_no"])
    # an explicit driver-licence header keeps the provider's own licence
    assert not drivers_license.professional_licence("provider_dl_no", "providers", ["npi"])
    # a patient's primary-care NPI says nothing of the patient table's rows
    assert not drivers_license.professional_licence("license_no", "patients", ["pcp_npi", "license_no"])
    assert not drivers_license.professional_licence("license_no", "customers", ["license_no", "state"])


def test_provider_table_licence_is_professional(tmp_path):
    rows = people_rows(2, NPI=["1234567893", "1987654321"], LICENSE_NO=["4301123456", "4704654321"])
    for r in rows:
        r["LICENSE_ST"] = "MI"
    assert affected(scan(write(tmp_path, {"providers": rows}))) == (0, 0, 0)


# ---------------------------------------------------------------- R11: work states are not residence (445.72(1))


@pytest.mark.parametrize(
    "header",
    [
        "suiState",
        "sui_state",
        "withholding_state",
        "tax_state",
        "work_state",
        "job_state",
        "office_state",
        "employer_state",
        "SIT_ST",
    ],
)
def test_work_state_is_not_residence(header, tmp_path):
    rows = people_rows(2, ssn=SSNS[:2], homeState=["OH", "IN"], homeZip=["43604", "46601"], **{header: "MI"})
    assert affected(scan(write(tmp_path, {"employees": rows}))) == (0, 2, 0)


def test_home_state_and_home_office_state_are_residence(tmp_path):
    rows = people_rows(2, ssn=SSNS[:2], work_state="OH", home_office_state="MI")
    assert affected(scan(write(tmp_path, {"employees": rows}))) == (2, 0, 0)


# ---------------------------------------------------------------- R18: Spanish residency headers (445.72(1))


@pytest.mark.parametrize(
    "header,value",
    [
        ("estado", "MI"),
        ("codigo_postal", "48209"),
        ("direccion", "123 Main St, Detroit, MI 48209"),
        ("domicilio", "4 Vernor Hwy, Detroit, MI"),
    ],
)
def test_spanish_residency_headers(header, value, tmp_path):
    rows = people_rows(2, ssn=SSNS[:2], **{header: value})
    assert affected(scan(write(tmp_path, {"clientes": rows}))) == (2, 0, 0)


@pytest.mark.parametrize(
    "header,value",
    [
        ("estado_nacimiento", "MI"),  # state of birth
        ("cp", "48209"),  # bare "cp" is also cost price, copay, checkpoint: not read as a ZIP
        ("direccion_ip", "10.0.0.48"),
        ("estado_trabajo", "MI"),  # work state
    ],
)
def test_spanish_non_residence_headers(header, value, tmp_path):
    rows = people_rows(2, ssn=SSNS[:2], **{header: value})
    assert affected(scan(write(tmp_path, {"clientes": rows}))) == (0, 0, 2)


def test_spanish_city_header():
    assert classify_column("ciudad", pl.DataFrame({"v": ["Detroit"]})).classified_as == "city"
    assert classify_column("ciudad_nacimiento", pl.DataFrame({"v": ["Detroit"]})).classified_as == "none"


# ---------------------------------------------------------------- R12: Michoacán is not Michigan (445.72(1))


def test_country_helpers():
    assert residency.COUNTRY.says("country_cd") and residency.COUNTRY.says("pais")
    assert not residency.COUNTRY.says("birth_country")
    got = codes(residency.outside_us(pl.col("v")), ["MX", "USA", "United States", "Mexico"])
    assert got == [True, False, False, True]


def test_michoacan_is_not_michigan(tmp_path):
    rows = people_rows(2, card_number=CARDS[:2], cvv=["123", "456"], state_prov=["Mich.", "MI"])
    for r, cp in zip(rows, ["58000", "60000"], strict=True):
        r.update(postal_cd=cp, country_cd="MX")
    assert affected(scan(write(tmp_path, {"customers": rows}))) == (0, 2, 0)


def test_us_country_keeps_michigan(tmp_path):
    rows = people_rows(2, card_number=CARDS[:2], cvv=["123", "456"], state_prov="MI", country_cd="US")
    assert affected(scan(write(tmp_path, {"customers": rows}))) == (2, 0, 0)


# ---------------------------------------------------------------- second red team: accounts, PINs, plural tables


def test_service_patient_and_loyalty_accounts_are_not_financial_accounts(tmp_path):
    """A utility's service account with its PIN, a hospital's patient account and a loyalty account with its
    password open no financial account (445.63(p)(iii)); a bank's account with its PIN does."""
    customers = [
        {"cust_id": str(i + 1), "first_name": f, "last_name": ln, "bill_state": "MI"}
        for i, (f, ln) in enumerate([("Sean", "Brennan"), ("Aoife", "Darcy"), ("Luc", "Heureux")])
    ]
    service = [
        {"account_number": n, "cust_id": str(i + 1), "account_pin": p}
        for i, (n, p) in enumerate([("4419203817", "4821"), ("5520193375", "0093"), ("6613029981", "7710")])
    ]
    patients = people_rows(
        2, PAT_ACCT_NO=["88120034", "88120035"], PORTAL_PWD=["hunter2", "pa55word"], state="MI"
    )
    loyalty = people_rows(
        2, rewards_account_no=["70012345", "70012346"], password=["x1y2z3", "q9w8e7"], state="MI"
    )
    assert affected(scan(write(tmp_path, {"customers": customers, "service_accounts": service}))) == (0, 0, 0)
    assert affected(scan(write(tmp_path / "p", {"patients": patients}))) == (0, 0, 0)
    assert affected(scan(write(tmp_path / "l", {"members": loyalty}))) == (0, 0, 0)
    bank = people_rows(
        2, account_number=["4419203817", "5520193375"], account_pin=["4821", "0093"], state="MI"
    )
    assert affected(scan(write(tmp_path / "b", {"deposit_accounts": bank}))) == (2, 0, 0)


def test_irs_identity_protection_pin_is_no_access_code(tmp_path):
    """A tax return's IP PIN or e-file PIN opens no bank account: the refund account alone counts only under
    account_numbers_alone."""
    rows = people_rows(
        2, refund_account=["55120087331", "55120087332"], ip_pin=["604218", "771204"], state="MI"
    )
    exposure = scan(write(tmp_path, {"returns": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 2


def test_beneficiaries_table_rows_are_the_beneficiaries(tmp_path):
    """beneficiaries.beneficiary_name with the row's ssn: the beneficiary is the row's subject ('-ies' plural),
    so the SSN is the beneficiary's, not the employee's the row references."""
    employees = people_rows(2, emp_id=["1001", "1002"], ssn=["768-14-0288", "620-96-9850"], home_state="MI")
    beneficiaries = [
        {"ben_id": "1", "emp_id": "1001", "beneficiary_name": "Robert Oyelaran", "ssn": "412-55-7301"},
        {"ben_id": "2", "emp_id": "1002", "beneficiary_name": "Karen Lindqvist", "ssn": "523-61-2290"},
    ]
    result = run_scan([str(write(tmp_path, {"employees": employees, "beneficiaries": beneficiaries}))])
    assert affected(result.exposure) == (2, 0, 2)  # the beneficiaries' residency is not in the export
    assert result.findings.filter(pl.col("element") == "ssn").height == 4


def test_identity_document_pair_counts_licence_and_state_id_rows_only(tmp_path):
    """id_doc_type + id_doc_number: rows typed driver licence or state ID hold a licence / ID card number (another
    state's format too), a passport row none; the document's state is where it was issued, not residence."""
    rows = [
        {
            "student_name": "Kowalski, James A.",
            "id_doc_type": "DRIVERS LICENSE",
            "id_doc_number": "TR482913",
            "id_doc_state": "OH",
            "perm_state": "MI",
        },
        {
            "student_name": "Nowak, Mary",
            "id_doc_type": "STATE ID",
            "id_doc_number": "S123456789012",
            "id_doc_state": "MI",
            "perm_state": "MI",
        },
        {
            "student_name": "Okafor, Ada",
            "id_doc_type": "PASSPORT",
            "id_doc_number": "X12345678",
            "id_doc_state": "",
            "perm_state": "MI",
        },
        {
            "student_name": "Haddad, Sam",
            "id_doc_type": "DRIVERS LICENSE",
            # Michigan-issued, so Michigan-shaped (a Michigan-issued "OH99812734" is no licence: test_traps_documents)
            "id_doc_number": "H998127340123",
            "id_doc_state": "MI",
            "perm_state": "OH",
        },
    ]
    result = run_scan([str(write(tmp_path, {"students": rows}))])
    assert affected(result.exposure) == (2, 1, 0)
    column = next(c for t in result.exposure["tables"] for c in t["columns"] if c["name"] == "id_doc_number")
    assert column["classified_as"] == "drivers_license" and column["rejected"] == 1
    # a document column whose types name no licence is no licence column
    others = [
        {**r, "id_doc_type": t}
        for r, t in zip(rows, ["PASSPORT", "STUDENT CARD", "PASSPORT", "MILITARY ID"], strict=True)
    ]
    assert affected(scan(write(tmp_path / "o", {"students": others}))) == (0, 0, 0)


@pytest.mark.parametrize(
    "header", ["id_state", "ID_ST", "idState", "passport_state", "issued_state", "identification_state"]
)
def test_an_identity_documents_state_is_no_residence(header, tmp_path):
    """A pick-up log's id_type / id_number / id_state: the state that issued the document, not where its holder
    lives (445.72(1) "resident"). Both hold a licence and no home address: residency unknown, not Michigan."""
    rows = people_rows(
        2,
        id_type=["DL", "STATE ID"],
        id_number=["E945926937040", "C372080998440"],
        **{header: "MI"},
    )
    assert affected(scan(write(tmp_path, {"controlled_pickups": rows}))) == (0, 0, 2)
    # where the person lives is still read beside it
    assert not residency.STATE.says(header)
    assert residency.STATE.says("home_state") and residency.STATE.says("state")


@pytest.mark.parametrize(
    "doc_type",
    [
        "STATE_ID",
        "ID_CARD",
        "STATE ID CARD",
        "ID",
        "SID",
        "DL/ID",
        "DRIVERS_LICENSE",
        "state-id",
        "MICHIGAN ID",
    ],
)
def test_identity_document_types_written_as_codes_and_enums(doc_type, tmp_path):
    """Document types as enums (STATE_ID, ID_CARD), codes (ID, SID, DL/ID) or words: a driver licence or a
    state personal identification card number (445.63(p)(ii)); a passport row beside it is none."""
    rows = people_rows(
        2,
        document_type=[doc_type, "PASSPORT"],
        document_number=["G042440984351", "X12345678"],
        document_issuing_state=["MI", ""],
        state="MI",
    )
    assert affected(scan(write(tmp_path, {"kyc_documents": rows}))) == (1, 0, 0)


def test_documents_that_are_no_states_id_card():
    """A passport, a military, tribal, national or student card, a taxpayer number, a professional licence: no
    state's driver licence or ID card, however the type is written (445.63(p)(ii))."""
    others = ["PASSPORT", "PASSPORT_CARD", "MILITARY_ID", "MILITARY ID CARD", "TRIBAL_ID", "TRIBAL ID CARD"]
    others += ["NATIONAL ID CARD", "STUDENT_ID", "EMPLOYEE ID", "EIN", "ITIN", "TAX_ID", "STATE TAX ID"]
    others += ["PERMANENT_RESIDENT_CARD", "NURSING LICENSE", "PISTOL_LICENSE", "OTHER"]
    assert codes(drivers_license.licence_by_type(pl.col("v")), others) == [False] * len(others)
    licences = ["D.L.", "CDL", "ENHANCED_DRIVERS_LICENSE", "FOREIGN DRIVER LICENSE", "STATE_ISSUED_ID"]
    assert codes(drivers_license.licence_by_type(pl.col("v")), licences) == [True] * len(licences)


@pytest.mark.parametrize("header", ["state_id", "sis_state_id", "stateID", "STATE_ID_NO"])
def test_a_schools_state_student_identifier_is_no_state_id_card(header, tmp_path):
    """A school export's state_id is the state's student identifier (Michigan's UIC, ten digits), not a state
    personal identification card number (445.63(p)(ii)): no student is affected by it."""
    rows = people_rows(
        3,
        student_id=["100001", "100002", "100003"],
        **{header: ["7012345678", "7012345679", "7012349911"]},
        grade=["5", "8", "10"],
        state="MI",
    )
    assert affected(scan(write(tmp_path, {"students": rows}))) == (0, 0, 0)
    # ten bare digits with no word of a school beside them: a UIC's shape, which no Michigan ID card has
    plain = [{k: v for k, v in r.items() if k not in ("student_id", "grade")} for r in rows]
    assert affected(scan(write(tmp_path / "plain", {"people": plain}))) == (0, 0, 0)


def test_a_state_id_holding_id_card_numbers_still_counts(tmp_path):
    """A customers table's state_id holding ID card numbers (Michigan's letter and 12 digits, another state's
    letters and digits) is the card (445.63(p)(ii)); so is a Michigan-shaped state_id in a students table (a
    student's own ID card). A state_id that is a key of the states (1..56) is no element."""
    rows = people_rows(3, state_id=["S123456789012", "TR482913", "G042440984351"], state=["MI", "OH", "MI"])
    assert affected(scan(write(tmp_path, {"customers": rows}))) == (2, 1, 0)
    students = [{**r, "grade": "11"} for r in rows]
    assert affected(scan(write(tmp_path / "s", {"students": students}))) == (2, 1, 0)
    keys = people_rows(3, state_id=["23", "36", "1"], ssn_last4=["4321", "4455", "8830"])
    result = run_scan([str(write(tmp_path / "k", {"customers": keys}))])
    assert affected(result.exposure) == (0, 0, 0)
    column = next(c for t in result.exposure["tables"] for c in t["columns"] if c["name"] == "state_id")
    assert column["classified_as"] not in ("drivers_license", "state")


@pytest.mark.parametrize("header", ["pin_id", "password_id", "pin_ref", "cvv_key", "security_code_id"])
def test_a_row_id_named_after_a_code_is_no_code(header, tmp_path):
    """A table of PINs keyed by its own pin_id: the id is no one's code, and the PINs themselves are masked, so
    the account numbers beside them count under account_numbers_alone only (445.63(p)(iii))."""
    rows = people_rows(2, account_number=["74321001", "74321002"], state="MI", **{header: ["501", "502"]})
    rows = [{**r, "pin": "****"} for r in rows]
    exposure = scan(write(tmp_path, {"accounts": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 2


def test_a_date_after_pin_in_text_is_no_code(tmp_path):
    """'PIN 2024-03-05 reset by agent' names a date, not a PIN; 'PIN 4821.' is one."""
    rows = people_rows(
        2,
        card_number=CARDS[:2],
        agent_notes=[
            "PIN 2024-03-05 reset by agent after a call",
            "customer read back PIN 4821. all good now",
        ],
        state="MI",
    )
    assert affected(scan(write(tmp_path, {"cards": rows}))) == (1, 0, 0)
    found = codes(
        free_text_codes(), ["PIN 2024-03-05 reset", "pin 12.50 fee", "cvv: 123", "pin=0042.", "PIN: 4821/ok"]
    )
    assert found == [[], [], ["123"], ["0042"], ["4821"]]


def free_text_codes() -> pl.Expr:
    from detectors import free_text

    return free_text.codes(pl.col("v"))


def test_a_licence_in_text_grouped_four_by_four(tmp_path):
    """'DL# S-1234-5678-9054': a letter and 12 digits after a licence word, grouped as people type them."""
    notes = ["DL# S-1234-5678-9054", "DL# S 1234 5678 9056", "DL#:S123456789055", "DL# S-123-456-789-057"]
    rows = people_rows(4, comments=notes, state="MI")
    assert affected(scan(write(tmp_path, {"notes": rows}))) == (4, 0, 0)


def _readings_export(tmp_path: Path) -> Path:
    """Ann: SSN; Bob: an account number without a code; Cat: a whole card without its CVV and a masked card with
    one; Eve: an encrypted SSN only; Hal: a card with its CVV. All Michigan but Gus (an account number, no state)."""
    enc = "WP/NjrH26JLZ7m910LzEAwqrKbZJDALP3+qNgyBFi9P12TUA3L4tAeCjFhCEHNm6"
    customers = [
        {"customer_id": str(i), "first_name": f, "last_name": ln, "state": "MI", "ssn": s, "ssn_encrypted": e}
        for i, (f, ln, s, e) in enumerate(
            [("Ann", "Avery", "301-44-5001", ""), ("Bob", "Brock", "", ""), ("Cat", "Crane", "", ""),
             ("Eve", "Eaton", "", enc), ("Hal", "Hurd", "", ""), ("Gus", "Gill", "", "")], 1)
    ]  # fmt: skip
    customers[-1]["state"] = ""  # Gus: residency unknown
    accounts = [
        {"acct_id": "A1", "customer_id": "2", "account_number": "7712345601", "account_type": "checking"},
        {"acct_id": "A2", "customer_id": "6", "account_number": "7712345602", "account_type": "savings"},
    ]
    cards = [
        {"card_id": "C1", "customer_id": "3", "card_number": "4012881486691398", "cvv": ""},
        {"card_id": "C2", "customer_id": "3", "card_number": "XXXX-XXXX-XXXX-4242", "cvv": "913"},
        {"card_id": "C3", "customer_id": "5", "card_number": "4012881369052007", "cvv": "555"},
    ]
    return write(tmp_path, {"customers": customers, "accounts": accounts, "cards": cards})


@pytest.mark.parametrize(
    "reading, affected_mi, key_taken",
    [
        ({}, 3, 4),  # Ann, Cat, Hal; with the key: + Eve
        ({"account_numbers_alone": True}, 4, 5),  # + Bob; with the key: + Eve
        # Ann, Hal (Cat's CVV is another card's); with the key: + Eve
        ({"codes_with_own_account": True}, 2, 3),
    ],
)
def test_the_key_compromised_count_follows_the_scans_reading(tmp_path, reading, affected_mi, key_taken):
    """what_if.encryption_key_compromised under the reading the scan chose (until 2026-11-24 always the default
    one: a scan reading account numbers alone counted 4 with the key taken, 4 without)."""
    exposure = scan(_readings_export(tmp_path), **reading)
    assert exposure["affected"]["michigan"] == affected_mi
    assert exposure["what_if"]["encryption_key_compromised"] == key_taken
    assert exposure["what_if"]["encryption_key_compromised_account_numbers_alone"] == 5


def test_a_loyalty_programmes_pin_opens_no_financial_account(tmp_path):
    """Ann's card is whole but has no CVV; her loyalty account's PIN opens no financial account (445.63(p)(iii)):
    nobody counts (until 2026-11-24 the loyalty PIN made Ann's card count). A rewards card's own CVV is still a
    card's code (control: Bob)."""
    customers = [
        {"customer_id": "1", "first_name": "Ann", "last_name": "Avery", "state": "MI"},
        {"customer_id": "2", "first_name": "Bob", "last_name": "Brock", "state": "MI"},
        {"customer_id": "3", "first_name": "Cy", "last_name": "Cole", "state": "MI"},  # no card
    ]
    vault = [
        {"vault_id": "V1", "customer_id": "1", "card_number": CARDS[0], "cvv": ""},
        {"vault_id": "V2", "customer_id": "2", "card_number": CARDS[1], "cvv": ""},
    ]
    loyalty = [{"loyalty_id": "L1", "customer_id": "1", "loyalty_number": "712345678901", "pin": "4821"}]
    loyalty.append({"loyalty_id": "L2", "customer_id": "3", "loyalty_number": "712345678902", "pin": "1111"})
    rewards_cards = [{"reward_card_id": "R1", "customer_id": "2", "cvv": "913"}]
    rewards_cards.append({"reward_card_id": "R2", "customer_id": "3", "cvv": "111"})
    db = write(
        tmp_path,
        {
            "customers": customers,
            "card_vault": vault,
            "loyalty_accounts": loyalty,
            "rewards_cards": rewards_cards,
        },
    )
    assert affected(scan(db)) == (1, 0, 0)


# ---------------------------------------------------------------- service accounts and their codes (2026-11-24)
# 445.63(p)(iii): a financial account number "in combination with any required security code, access code, or
# password that would permit access to any of the resident's financial accounts". A carrier's, a casino players
# club's or a school lunch programme's account is no financial account, and the PIN or passcode that opens it is
# no access code, decided from the column's own words and its table's whole vocabulary, not the table's name alone.

BANK = ["4410028817", "8830019945", "2039481122"]
ROUTING = "072000326"


def _customers(n: int, key: str, **columns) -> list[dict]:
    """n Michigan customers keyed `key` = 400100361, 400100362, ... with the columns given."""
    return people_rows(n, **{key: [str(400100361 + i) for i in range(n)]}, state="MI", **columns)


def test_a_carriers_billing_account_and_its_passcodes_are_no_financial_account(tmp_path):
    """A carrier's accounts(billing_acct_no, acct_passcode, cpni_pin) and its authorized users' passcodes open a
    phone account, no financial account: nobody counts, not even with account numbers alone (until 2026-11-24 the
    billing account was a bank account with its code: 3 counted). A bank's accounts table of the same shape, with
    a PIN and no carrier's word, still counts."""
    accounts = _customers(2, "billing_acct_no", acct_passcode=["9772", "257089"], cpni_pin=["7693", "3070"])
    authorized = [
        {"au_id": "300", "billing_acct_no": "400100361", "au_first_nm": "Wendy", "au_last_nm": "Lopez"},
    ]
    authorized[0]["au_passcode"] = "5521"
    exposure = scan(write(tmp_path, {"accounts": accounts, "authorized_users": authorized}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 0
    bank = _customers(2, "acct_no", pin=["9772", "2570"])
    assert affected(scan(write(tmp_path / "bank", {"accounts": bank}))) == (2, 0, 0)


def test_a_port_in_requests_old_carrier_account_and_transfer_pin_are_no_financial_account(tmp_path):
    """A number port's previous-carrier account (osp_acct_no, often the phone number itself) and its port-out PIN
    (osp_pin) are a phone account's (until 2026-11-24: 2 counted)."""
    accounts = _customers(2, "ban")
    ports = [
        {"port_id": "5001", "ban": "400100361", "mdn": "3135550142", "osp_name": "Verizon"},
        {"port_id": "5002", "ban": "400100362", "mdn": "8105550199", "osp_name": "AT&T"},
    ]
    for p, acct, pin in zip(ports, ["3135550142", "287104455911"], ["4821", "770215"], strict=True):
        p.update(osp_acct_no=acct, osp_pin=pin, port_status="COMPLETE")
    exposure = scan(write(tmp_path, {"accounts": accounts, "lnp_port_requests": ports}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 0


@pytest.mark.parametrize("denormalised", [False, True])
def test_a_carriers_passcode_is_no_access_code_to_the_autopay_bank_account(tmp_path, denormalised):
    """The carrier's account passcode and CPNI PIN open the phone account, not the bank account the customer pays
    by autopay (445.63(p)(iii) "that would permit access to any of the resident's financial accounts"): the bank
    account counts under account_numbers_alone only, whether the autopay columns are a table of their own or sit
    in the carrier's accounts table (until 2026-11-24 the passcode was the bank account's code: 2 counted).
    Control: an online-banking password of the same customers is a code to their bank account."""
    codes = {"acct_passcode": ["526914", "6881"], "cpni_pin": ["4575", "3070"]}
    if denormalised:
        accounts = _customers(2, "ban", **codes, autopay_routing_no=ROUTING, autopay_bank_acct=BANK[:2])
        tables = {"accounts": accounts}
    else:
        accounts = _customers(2, "ban", **codes)
        autopay = [
            {"autopay_id": str(70001 + i), "ban": str(400100361 + i), "bank_routing_no": ROUTING}
            for i in range(2)
        ]
        for row, acct in zip(autopay, BANK, strict=False):
            row["bank_acct_no"] = acct
        tables = {"accounts": accounts, "autopay_enrollments": autopay}
    exposure = scan(write(tmp_path, tables))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 2
    assert exposure["what_if"]["codes_with_their_own_account"] == 0
    for row in accounts:
        row["online_banking_pwd"] = "Tr0ub4dor&3"
    assert affected(scan(write(tmp_path / "control", tables))) == (2, 0, 0)


def test_a_loyalty_pin_on_a_guest_profile_is_no_access_code(tmp_path):
    """A hotel guest profile's loyalty_pin opens the loyalty account, not the card on the guest's folio, whatever
    the table is named (until 2026-11-24 only a table named for loyalty was read so: 1 counted)."""
    guests = [
        {
            "guest_id": "70027",
            "first_nm": "Ashley",
            "last_nm": "Hooper",
            "state_prov": "MI",
            "loyalty_no": "GL319",
        },
        {"guest_id": "70035", "first_nm": "Kim", "last_nm": "Patton", "state_prov": "MI", "loyalty_no": ""},
    ]
    guests[0]["loyalty_pin"], guests[1]["loyalty_pin"] = "0704", ""
    folios = [
        {"folio_no": "9100003", "guest_id": "70027", "card_no": CARDS[0]},
        {"folio_no": "9100017", "guest_id": "70035", "card_no": CARDS[1]},
    ]
    exposure = scan(write(tmp_path, {"guests": guests, "folios": folios}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 2


@pytest.mark.parametrize(
    "table, account", [("players", "player_acct_no"), ("players_club_members", "club_acct_no")]
)
def test_a_casino_players_club_account_and_pin_are_no_financial_account(tmp_path, table, account):
    """A casino's players-club account and its player PIN hold and open no money (until 2026-11-24: 3 counted)."""
    players = _customers(3, "player_id", player_pin=["4821", "1107", "9034"], tier="GOLD")
    for row, acct in zip(players, ["4417283901", "5520193847", "6610298374"], strict=True):
        row[account] = acct
    exposure = scan(write(tmp_path, {table: players}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 0


def test_a_players_club_pin_is_no_code_of_the_players_marker_bank_account(tmp_path):
    """A marker (casino credit) names the player's bank account; the players-club PIN opens no bank account, under
    the default reading nor as the code of an account linked to it (until 2026-11-24: 3 counted both ways)."""
    players = _customers(3, "player_id", loyalty_acct_no=["4417283901", "5520193847", "6610298374"])
    for row, pin in zip(players, ["4821", "1107", "9034"], strict=True):
        row["player_pin"] = pin
    markers = [
        {"marker_id": str(90001 + i), "player_id": str(400100361 + i), "bank_name": "Comerica"}
        for i in range(3)
    ]
    for row, acct in zip(markers, BANK, strict=True):
        row.update(bank_acct_no=acct, bank_routing_no=ROUTING)
    db = write(tmp_path, {"players": players, "markers": markers})
    exposure = scan(db)
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3
    assert affected(scan(db, codes_with_own_account=True)) == (0, 0, 0)


def test_a_school_lunch_account_and_pin_are_no_financial_account(tmp_path):
    """A school lunch account is prepaid and spent on the school's meals only: a closed-loop stored value like a
    gift card, no financial account, and the student's lunch PIN opens none (until 2026-11-24: 2 counted)."""
    students = _customers(2, "student_id", lunch_acct_no=["384006", "246032"], lunch_pin=["7460", "9903"])
    exposure = scan(write(tmp_path, {"students": students}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 0


def test_a_carriers_dump_holds_service_accounts_by_its_name(tmp_path):
    """A dump's name is its database's: in telco_billing.sql an accounts(acct_no, passcode) table is the carrier's
    (until 2026-11-24: 2 counted); the same table in core_banking.sql is a bank's."""
    dump = (
        "CREATE TABLE `accounts` (`acct_no` bigint, `first_name` varchar(40), `last_name` varchar(60), "
        "`state` char(2), `passcode` varchar(10));\n"
        "INSERT INTO `accounts` VALUES (400100361,'Madison','Leonard','MI','9772'),"
        "(400100658,'Danielle','Carter','MI','6881');\n"
    )
    (tmp_path / "telco_billing.sql").write_text(dump)
    (tmp_path / "core_banking.sql").write_text(dump)
    assert affected(scan(tmp_path / "telco_billing.sql")) == (0, 0, 0)
    assert affected(scan(tmp_path / "core_banking.sql")) == (2, 0, 0)


@pytest.mark.parametrize(
    "header, table, headers",
    [
        ("atm_pin", "players", ["player_id", "player_pin", "atm_pin"]),
        ("debit_pin", "guests", ["loyalty_no", "debit_pin"]),
        ("online_banking_pwd", "accounts", ["ban", "cpni_pin", "online_banking_pwd"]),
        ("card_cvv", "patients", ["mrn", "card_no", "card_cvv"]),
        ("pin", "debit_cards", ["card_no", "pin"]),
        ("pin", "members", ["member_no", "share_acct_no", "pin", "loyalty_tier", "routing_no"]),
        ("pin", "customers", ["acct_no", "mobile_phone", "wireless_carrier", "pin"]),
    ],
)
def test_a_banks_or_cards_code_stays_a_code_beside_a_service(header, table, headers):
    """An ATM or debit PIN, an online-banking password, a card's security code, or a PIN in a bank's or card's
    table open a financial account wherever they sit."""
    assert access_code.service_code_reason(header, table, headers) is None


@pytest.mark.parametrize(
    "header, table, headers",
    [
        ("bank_acct_no", "autopay_enrollments", ["ban", "bank_routing_no", "bank_acct_no"]),
        ("autopay_bank_acct", "accounts", ["ban", "cpni_pin", "autopay_bank_acct"]),
        ("acct_no", "payment_methods", ["ban", "imei", "routing_no", "acct_no"]),
        ("account_number", "users", ["account_number", "routing_number", "device_imei"]),
        ("acct_no", "timesheets", ["acct_no", "lunch_minutes"]),
        ("acct_no", "customers", ["acct_no", "mobile_phone", "wireless_carrier", "pin"]),
    ],
)
def test_a_bank_account_stays_financial_beside_a_service(header, table, headers):
    """A bank account named so, or the account beside a routing number, is a financial account in a carrier's
    table too; a timesheet's lunch minutes are no school lunch programme, and the phone carrier a bank texts its
    customer through (wireless_carrier) does not make the bank a carrier."""
    assert bank_account.service_account_reason(header, table, headers) is None


def test_a_source_is_named_by_its_dump_database_or_folder():
    assert bank_account.source_name("/x/exports/telco_billing.sql.gz#accounts") == "telco_billing"
    assert bank_account.source_name("postgresql://127.0.0.1/billing#cis.accounts") == "billing cis"
    assert bank_account.source_name("/x/exports/utility_export/accounts.csv") == "utility_export"
    assert bank_account.source_name("/x/export.zip!accounts.csv") == "export"
    assert bank_account.sector_source("telco_billing") and not bank_account.sector_source("telco_fcu")


def test_amounts_are_no_account_numbers():
    """A security deposit's amount (deposit_amt 1500.00) is no deposit account (until 2026-11-24 it was one)."""
    values = pl.DataFrame({"v": ["1500.00", "0.00", "2500.00", "1000"]})
    assert classify_column("deposit_amt", values).classified_as != "bank_account"
    assert classify_column("deposit_acct_no", pl.DataFrame({"v": BANK})).classified_as == "bank_account"


def test_a_passcode_written_in_a_carriers_care_notes_is_no_access_code(tmp_path):
    """A carrier's care note "verified acct passcode 9772" records the phone account's passcode, no code to the
    customer's autopay bank account (until 2026-11-24: 2 counted). A card's security code written in the same
    notes is still the card's code (control: Bob's)."""
    accounts = _customers(2, "ban")
    notes = [
        {
            "note_id": "1",
            "ban": "400100361",
            "note_text": "Caller verified acct passcode 9772, asked about autopay",
        },
        {
            "note_id": "2",
            "ban": "400100362",
            "note_text": "Customer gave PIN 3070 to change the rate plan today",
        },
    ]
    autopay = [
        {"ban": str(400100361 + i), "bank_routing_no": ROUTING, "bank_acct_no": acct}
        for i, acct in enumerate(BANK[:2])
    ]
    tables = {"accounts": accounts, "care_notes": notes, "autopay_enrollments": autopay}
    exposure = scan(write(tmp_path, tables))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 2
    notes[1]["note_text"] = "Customer read the card cvv 913 for a one-time payment"
    assert affected(scan(write(tmp_path / "control", tables))) == (1, 0, 0)


def test_a_payment_token_is_no_encrypted_card_number(tmp_path):
    """A processor's token (tok_ + hex) or a vault's UUID stands for the card number held in the vault; no key
    turns it back into the number, so it is no card number in encrypted form and counts not even if the key was
    compromised (until 2026-11-24: 3 under what_if.encryption_key_compromised). Ciphertext of the number (a Vault
    transit envelope) still counts there (control)."""
    tokens = [
        "tok_9f3a61c2e8b04d7a5c1e2f90",
        "tok_0b7e44d19a2c6f8e3d5a7b11",
        "3f2b8c1e-4d5a-4e6f-9a7b-1c2d3e4f5a6b",
    ]
    rows = people_rows(3, card_token=tokens, cvv=["123", "456", "789"], state="MI")
    exposure = scan(write(tmp_path, {"payment_methods": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["encryption_key_compromised"] == 0
    envelopes = [f"vault:v1:{s}8kF2mQ9zXyT4vB7nR1pL3sW6dH0jC5gA==" for s in ("a", "b", "c")]
    control = people_rows(3, card_number=envelopes, cvv=["123", "456", "789"], state="MI")
    assert (
        scan(write(tmp_path / "control", {"payment_methods": control}))["what_if"][
            "encryption_key_compromised"
        ]
        == 3
    )


# ---------------------------------------------------------------- account numbers with letters (445.63(p)(iii), (r))

LETTERED = ["Z45-539407", "5GB-73558", "X32-615717", "U1234567"]
PINS = ["482913", "118204", "550912", "300118"]


@pytest.mark.parametrize(
    "table, header, extra",
    [
        ("brokerage_accounts", "account_number", {}),  # the table's name says brokerage
        ("Retail Brokerage", "Acct No", {}),
        ("accounts", "ira_acct_no", {}),  # the header's own words say IRA
        ("accounts", "acct_no", {"routing_no": ROUTING}),  # the account a routing number routes to
    ],
)
def test_a_brokerage_account_number_with_letters_is_a_financial_account(tmp_path, table, header, extra):
    """A brokerage's account number with letters (Z45-539407, 5GB-73558) with its holder's name and phone PIN is a
    financial account number with its access code: 445.63(p)(iii) gives the number no shape, and more than 4 of
    its digits in a row are accessible (445.63(r)). Until 2026-11-24 only 4-17 digits were account numbers: 0."""
    values = [v.replace("-", "") for v in LETTERED] if header == "ira_acct_no" else LETTERED
    rows = people_rows(4, **{header: values}, phone_pin=PINS, state="MI", **extra)
    assert affected(scan(write(tmp_path, {table: rows}))) == (4, 0, 0)


def test_a_masked_brokerage_account_number_counts_by_its_sequential_digits(tmp_path):
    """A masked account number is judged by its longest run of sequential digits (445.63(r)): XXX-X45678 shows 5 in
    a row (counted), Z45-****07 and ****5678 no more than 4 (not counted)."""
    values = ["XXX-X45678", "Z45-****07", "****5678", "5GB-73558"]
    rows = people_rows(4, account_number=values, phone_pin=PINS, state="MI")
    exposure = scan(write(tmp_path, {"brokerage_accounts": rows}))
    assert affected(exposure) == (2, 0, 0)


@pytest.mark.parametrize(
    "table, header, values",
    [
        # an internal customer account code: nothing says bank, brokerage, retirement or loan
        ("accounts", "account_number", ["CUST-0012345", "CUST-0012346", "CUST-0012347", "CUST-0012348"]),
        ("customers", "acct_no", ["AC10023456", "AC10023457", "AC10023458", "AC10023459"]),
        # a service's account stays a service's (service_account_reason)
        ("utility_accounts", "account_number", ["UT-1234567", "UT-1234568", "UT-1234569", "UT-1234570"]),
        # numbers of other things in a brokerage's table: no account header
        (
            "brokerage_orders",
            "order_no",
            ["ORD-2024-001234", "ORD-2024-001235", "ORD-2024-001236", "ORD-2024-1"],
        ),
        ("ira_accounts", "policy_no", ["POL-1234567", "POL-1234568", "POL-1234569", "POL-1234570"]),
        ("ira_accounts", "plan_id", ["P100412345", "P100412346", "P100412347", "P100412348"]),
        ("brokerage_accounts", "case_no", ["CASE-123456", "CASE-123457", "CASE-123458", "CASE-123459"]),
    ],
)
def test_codes_with_letters_are_no_financial_account_numbers(tmp_path, table, header, values):
    """Letters and digits make a financial account number only in an account column that a header, table or
    source says is a financial account's; an order, policy, plan or case number, an internal customer account
    code and a service's account are none, with a PIN or password beside them or not."""
    rows = people_rows(4, **{header: values}, password=PINS, state="MI")
    exposure = scan(write(tmp_path, {table: rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 0


def test_a_lettered_account_column_is_financial_by_its_source():
    """A brokerage's export (its workbook's or folder's name) says its accounts are financial accounts; letters in
    a bank account column that its other values make one are that column's account numbers."""
    lettered = pl.DataFrame({"v": LETTERED})
    assert classify_column("acct_no", lettered, subject="accounts").classified_as == "none"
    assert (
        classify_column("acct_no", lettered, subject="accounts", source="brokerage_export").classified_as
        == "bank_account"
    )
    mixed = pl.DataFrame({"v": [*BANK, "Z45-539407"]})
    assert classify_column("acct_no", mixed, subject="accounts").classified_as == "bank_account"
