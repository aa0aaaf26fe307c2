"""Whose row is it, by the role a value or a header word names (tests/scenario.py): an account's party rows whose role
column says beneficiary, a vendors table's payee, a claim's billing provider's TIN.

Each test fails with the reading before 2026-11-25 (see docs/counting-rules.md, sections 2 and 3)."""

from __future__ import annotations

from scenario import counts, scan, write

SSN = ["382-10-4455", "401-22-7788", "301-22-4455", "405-11-8899", "302-33-6677", "406-22-9900"]


def _core(
    parties: list[tuple[str, str, str, str, str]], role: str = "NAME_TYPE_DESC", code: bool = True
) -> dict:
    """A core banking export: ACCOUNT(ACCOUNT_NUMBER, AUDIO_PIN) without names, NAME with one row per party of an
    account (its number, the party's role, name and place)."""
    name = []
    for k, (account, value, first, last, state) in enumerate(parties):
        row = {"ACCOUNT_NUMBER": account, "ORDINAL": str(k)}
        if code:
            row["NAME_TYPE"] = str(k % 3)  # a numeric code beside its description
        row |= {role: value, "FIRST": first, "LAST": last, "STATE": state}
        name.append(row)
    return {
        "ACCOUNT": [
            {"ACCOUNT_NUMBER": "51058", "TYPE": "0", "AUDIO_PIN": "4821"},
            {"ACCOUNT_NUMBER": "568076", "TYPE": "0", "AUDIO_PIN": "7390"},
        ],
        "NAME": name,
    }


PARTIES = [
    ("51058", "PRIMARY", "Pam", "Collins", "MI"),
    ("51058", "JOINT", "Devon", "Lewis", "MI"),
    ("51058", "BENEFICIARY", "Sara", "Ellis", "MI"),
    ("568076", "PRIMARY", "Helen", "Roberts", "MI"),
    ("568076", "POD", "Briana", "Gates", "MI"),
]


def test_a_beneficiary_row_of_an_accounts_parties_holds_no_pin(tmp_path):
    # Pam and Devon hold 51058 and its telephone-banking PIN, Helen 568076 and its PIN; Sara and Briana are
    # payable-on-death beneficiaries written as a value of NAME_TYPE_DESC: no access (445.63(p)(iii)). Until
    # 2026-11-25 every named row of the number got a copy of the account's row: 5 Michigan
    exposure = scan(write(tmp_path, _core(PARTIES)))
    assert exposure["affected"] == {"michigan": 3, "other_states": 0, "unknown_residency": 0}
    assert exposure["what_if"]["codes_with_their_own_account"] == 3


def test_a_beneficiary_row_first_never_takes_the_accounts_row(tmp_path):
    # the beneficiary's row comes first: the account's row joins the first holder, never the beneficiary (until
    # 2026-11-25 Sara was the number's first named holder and took the PIN)
    parties = [PARTIES[2], PARTIES[0], PARTIES[1], PARTIES[4], PARTIES[3]]
    exposure = scan(write(tmp_path, _core(parties)))
    assert exposure["affected"] == {"michigan": 3, "other_states": 0, "unknown_residency": 0}


def test_party_roles_as_other_systems_write_them(tmp_path):
    # a role column without a numeric code, its values spelt otherwise: an authorised signer and a custodian act on
    # the account and hold its PIN; a contingent beneficiary and an emergency contact do not
    parties = [
        ("51058", "Owner", "Pam", "Collins", "MI"),
        ("51058", "Authorized Signer", "Devon", "Lewis", "MI"),
        ("51058", "Contingent Beneficiary", "Sara", "Ellis", "MI"),
        ("51058", "Emergency Contact", "Omar", "Reyes", "MI"),
        ("568076", "Custodian", "Helen", "Roberts", "MI"),
        ("568076", "TOD Bene", "Briana", "Gates", "MI"),
    ]
    tables = _core(parties, role="acct_relationship", code=False)
    assert counts(write(tmp_path, tables)) == (3, 0, 0)


def test_numeric_party_codes_alone_are_not_read(tmp_path):
    # Symitar's NAME_TYPE 0 / 1 / 2 without a description: the codes name no party, so every named row of the
    # number is read as a holder, as before (a documented limit: the beneficiaries count too)
    tables = _core(PARTIES)
    for row in tables["NAME"]:
        del row["NAME_TYPE_DESC"]
    assert counts(write(tmp_path, tables)) == (5, 0, 0)


def test_a_type_column_naming_no_party_changes_nothing(tmp_path):
    # a customers table's type of customer or of contact names no party of the account: both holders keep the PIN
    parties = [
        ("51058", "INDIVIDUAL", "Pam", "Collins", "MI"),
        ("51058", "INDIVIDUAL", "Devon", "Lewis", "MI"),
        ("568076", "BUSINESS", "Helen", "Roberts", "MI"),
    ]
    assert counts(write(tmp_path, _core(parties, role="customer_type", code=False))) == (3, 0, 0)


def _vendors(name: str = "PAYEE_NM", tin: str = "TIN") -> list[dict]:
    """A 1099 vendor file: two sole proprietors paid under their SSNs (TIN_TYPE 2), a firm under its EIN (1)."""
    return [
        {"VENDOR_NO": v, name: n, tin: t, "TIN_TYPE": tt, "ST": "MI", "ZIP": z, "YTD_1099_AMT": a}
        for v, n, t, tt, z, a in [
            ("V300", "Robert Hill", SSN[2], "2", "48201", "12000.00"),
            ("V302", "Sherri Adkins", SSN[4], "2", "48933", "8000.00"),
            ("V305", "Birch Consulting LLC", "38-4455667", "1", "48084", "30000.00"),
        ]
    ]


def test_a_vendor_files_payee_is_its_rows_own_person(tmp_path):
    # vendors_1099.PAYEE_NM names the vendor paid: Robert and Sherri by name and SSN (445.63(p)(i)), placed by the
    # row's state. Until 2026-11-25 the payee was another person of the row: the SSNs were on rows without a name
    exposure = scan(write(tmp_path, {"vendors_1099": _vendors()}))
    assert exposure["affected"] == {"michigan": 2, "other_states": 0, "unknown_residency": 0}
    assert exposure["affected_michigan_by_element"]["ssn"] == 2


def test_a_paid_partys_table_spelt_otherwise(tmp_path):
    # suppliers.payee_name / payee_tin and contractors.vendor_name: one role, the rows' own people (until
    # 2026-11-25 a derived payee record without the row's state: of unknown residency)
    tables = {
        "suppliers": _vendors("payee_name", "payee_tin"),
        "contractors": [{**row, "ST": "OH"} for row in _vendors("vendor_name", "tax_id")][:1],
    }
    assert counts(write(tmp_path, tables)) == (2, 0, 0)  # Robert (MI wins over his OH row) and Sherri


def test_a_payments_payee_stays_another_person(tmp_path):
    # a garnishment's payee (whom it is remitted to) in a table of employees is never the employee
    rows = [
        {
            "first_name": f,
            "last_name": last,
            "ssn": SSN[k],
            "state": "OH",
            "payee_name": "Kim Boyd",
            "payee_st": "MI",
        }
        for k, (f, last) in enumerate([("Ann", "Lee"), ("Tom", "Ray")])
    ]
    assert counts(write(tmp_path, {"garnishments": rows})) == (0, 2, 0)


def _claim_lines(
    prefix: str = "BILL_PROV_", name: str = "NM", tin: str = "TIN", state: str = "ST"
) -> list[dict]:
    """Two claim lines: one billed by a solo physician under his SSN, one by a group practice under its EIN
    (SSA-valid in shape, written without a dash); the patients have no number of their own in the file."""
    rows = []
    for clm, first, last, prov, number in [
        ("20260000001", "Teresa", "Hall", "HARRIS, JEREMY MD", SSN[2]),
        ("20260000002", "Clinton", "Hernandez", "Lakeside Family Medicine PC", "381234567"),
    ]:
        row = {"CLM_ID": clm, "SUBSCR_ID": "XYP" + clm[-6:], "PAT_FIRST_NM": first, "PAT_LAST_NM": last}
        if name:
            row[prefix + name] = prov
        row |= {prefix + tin: number, prefix + state: "MI", prefix + "ZIP": "48507", "CHRG_AMT": "180.00"}
        rows.append(row)
    return rows


def test_a_billing_providers_tin_is_the_providers(tmp_path):
    # Jeremy Harris, billing under his SSN, is affected by his name and SSN, of unknown residency (his practice's
    # state is a workplace); the patients hold no element; the practice's EIN names no person. Until 2026-11-25
    # each patient was counted with the provider's TIN as their own SSN
    exposure = scan(write(tmp_path, {"CLM_LN": _claim_lines()}))
    assert exposure["affected"] == {"michigan": 0, "other_states": 0, "unknown_residency": 1}
    assert exposure["what_if_unknown_residency"]["account_numbers_alone"] == 1


def test_providers_spelt_otherwise(tmp_path):
    # spelt out (BILLING_PROVIDER_), the rendering provider's RNDR_PROV_, a claim's bare PROV_TIN without a name:
    # the provider's, never the patient's; without the provider's name it is nobody's
    tables = {
        "claims": _claim_lines("BILLING_PROVIDER_", "NAME", "TIN", "STATE"),
        "CLM_HDR": _claim_lines("RNDR_PROV_"),
        "encounters": _claim_lines("PROV_", "", "TIN", "ST"),
    }
    assert counts(write(tmp_path, tables)) == (0, 0, 1)  # Jeremy Harris, one person by name and SSN


def test_a_table_of_providers_holds_its_rows_own_numbers(tmp_path):
    # a providers table's (and a physicians table's) PROV_TIN is the row's own: its providers counted by their name
    # and SSN, placed by the row's state (no claim's provider beside another subject)
    rows = [
        {"first_name": f, "last_name": last, "prov_tin": SSN[k], "home_state": "MI"}
        for k, (f, last) in enumerate([("Jeremy", "Harris"), ("Ann", "Lee")])
    ]
    assert counts(write(tmp_path, {"providers": rows, "physicians": rows})) == (2, 0, 0)
