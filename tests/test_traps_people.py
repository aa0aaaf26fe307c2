"""People of a row and of a key (tests/scenario.py): numbered others beside the row's own person, a custodian, a name
history under one key, the joint owner of an account whose PIN sits on the account's own row.

Each test fails with the reading before 2026-11-25 (see docs/counting-rules.md, sections 2 and 3)."""

from __future__ import annotations

from scenario import counts, scan, write

SSN = ["382-10-4455", "401-22-7788", "301-22-4455", "405-11-8899", "302-33-6677", "406-22-9900"]


def _isir(parents_state: list[str], **renamed) -> list[dict]:
    """Two FAFSA ISIR rows: the student's STU_ columns, each parent's PAR1_ / PAR2_ (first initial, last name, own
    SSN) and the parents' PAR_STATE_LEGAL_RES."""
    rows = []
    for i, (first, last) in enumerate([("Megan", "Smith"), ("David", "Ryan")]):
        row = {
            "PIDM": str(100201 + i),
            "STU_LAST_NAME": last,
            "STU_FIRST_NAME": first,
            "STU_SSN": SSN[i],
            "STU_STATE_LEGAL_RES": "MI",
            "PAR1_SSN": SSN[2 + i],
            "PAR1_LAST_NAME": last,
            "PAR1_FIRST_NAME_INIT": "RT"[i],
            "PAR2_SSN": SSN[4 + i],
            "PAR2_LAST_NAME": last,
            "PAR2_FIRST_NAME_INIT": "KL"[i],
            "PAR_STATE_LEGAL_RES": parents_state[i],
        }
        rows.append({renamed.get(k, k): v for k, v in row.items()})
    return rows


def test_fafsa_parents_are_each_a_person_placed_by_their_own_state(tmp_path):
    # six people: two students (MI), the Smith parents (OH, by PAR_STATE_LEGAL_RES), the Ryan parents (MI). Until
    # 2026-11-25 parent 1 was the row's subject beside the student (their SSN lost) and parent 2 took the
    # student's Michigan state beside the parents' Ohio one: 4 Michigan, 0 other
    db = write(tmp_path, {"RCRAPP_ISIR_2526": _isir(["OH", "MI"])})
    exposure = scan(db)
    assert exposure["affected"] == {"michigan": 4, "other_states": 2, "unknown_residency": 0}
    assert exposure["affected_michigan_by_element"]["ssn"] == 4


def test_numbered_guardians_beside_a_student_spelt_otherwise(tmp_path):
    # the same layout as a school writes it: GDN1_ / GDN2_ beside stu_, the guardians' shared GDN_ST
    rows = _isir(
        ["OH", "OH"],
        **{
            "STU_LAST_NAME": "stu_last",
            "STU_FIRST_NAME": "stu_first",
            "STU_SSN": "stu_ssn",
            "STU_STATE_LEGAL_RES": "stu_st",
            "PAR1_SSN": "gdn1_ssn",
            "PAR1_LAST_NAME": "gdn1_last",
            "PAR1_FIRST_NAME_INIT": "gdn1_first",
            "PAR2_SSN": "gdn2_ssn",
            "PAR2_LAST_NAME": "gdn2_last",
            "PAR2_FIRST_NAME_INIT": "gdn2_first",
            "PAR_STATE_LEGAL_RES": "gdn_st",
        },
    )
    assert counts(write(tmp_path, {"enrollments": rows})) == (2, 4, 0)


def test_numbered_co_borrowers_stay_the_rows_own_people(tmp_path):
    # B1_ / B2_ of a mortgage row are the row's borrowers: borrower 1 its subject, borrower 2 placed by the row
    rows = [
        {
            "loan_no": str(7000 + i),
            "b1_first": first,
            "b1_last": last,
            "b1_ssn": SSN[i],
            "b2_first": "KL"[i] + "ane",
            "b2_last": last,
            "b2_ssn": SSN[4 + i],
            "state": ["MI", "OH"][i],
        }
        for i, (first, last) in enumerate([("Megan", "Smith"), ("David", "Ryan")])
    ]
    assert counts(write(tmp_path, {"loans": rows})) == (2, 2, 0)


def test_second_buyer_beside_a_buyer_whose_headers_are_no_twin(tmp_path):
    # buyer2_first beside buyer_first_name: buyer 2 is a person of their own with their own SSN (until 2026-11-25
    # buyer 2 stayed with the row's buyer and their SSN was one of the buyer's two)
    rows = [
        {
            "buyer_first_name": first,
            "buyer_last_name": last,
            "buyer_ssn": SSN[i],
            "buyer2_first": "KL"[i] + "ane",
            "buyer2_last": last,
            "buyer2_ssn": SSN[4 + i],
            "buyer2_state": "OH",
            "state": "MI",
        }
        for i, (first, last) in enumerate([("Megan", "Smith"), ("David", "Ryan")])
    ]
    assert counts(write(tmp_path, {"deals": rows})) == (2, 2, 0)


def test_utma_custodian_is_a_person_of_their_own(tmp_path):
    rows = [
        {
            "ACCOUNTNUMBER": acct,
            "MINOR_FIRST": minor[0],
            "MINOR_LAST": minor[1],
            "MINOR_SSN": SSN[i],
            "MINOR_ST": "MI",
            "CUSTODIAN_FIRST": custodian[0],
            "CUSTODIAN_LAST": custodian[1],
            "CUSTODIAN_SSN": SSN[2 + i],
            "CUSTODIAN_RELATION": rel,
            "CUSTODIAN_STATE": state,
            "CUSTODIAN_ZIP": zip_code,
        }
        for i, (acct, minor, custodian, rel, state, zip_code) in enumerate(
            [
                ("51058", ("Ella", "Brooks"), ("Jennifer", "Lang"), "PARENT", "MI", "48104"),
                ("568076", ("Noah", "Price"), ("Amy", "Wheeler"), "GRANDPARENT", "OH", "43604"),
            ]
        )
    ]
    # the minors (MI) and the custodians, each with their own SSN: Jennifer Lang (MI), Amy Wheeler (OH). Until
    # 2026-11-25 CUSTODIAN_ was no role: the custodian's SSN was a second SSN of the minor's row
    assert counts(write(tmp_path, {"UTMA_CUSTODIAL": rows})) == (3, 1, 0)


def test_custodian_account_number_stays_the_clients(tmp_path):
    # an adviser's client list: the custodian is the firm that holds the client's account, and the account number
    # at the custodian is the client's own, with the client's PIN
    rows = [
        {
            "first_name": first,
            "last_name": last,
            "custodian": firm,
            "custodian_account_number": acct,
            "pin": pin,
            "state": "MI",
        }
        for first, last, firm, acct, pin in [
            ("Megan", "Smith", "Schwab", "40012345", "4821"),
            ("David", "Ryan", "Fidelity", "50023456", "7390"),
        ]
    ]
    assert counts(write(tmp_path, {"brokerage_clients": rows})) == (2, 0, 0)


def _banner(names: list[tuple[str, str, str, str]]) -> dict[str, list[dict]]:
    """SPRIDEN rows (pidm, last, first, change indicator), SPBPERS's SSN by PIDM without a name, SPRADDR's permanent
    and campus addresses."""
    return {
        "SPRIDEN": [
            {
                "SPRIDEN_PIDM": p,
                "SPRIDEN_LAST_NAME": last,
                "SPRIDEN_FIRST_NAME": first,
                "SPRIDEN_CHANGE_IND": ind,
            }
            for p, last, first, ind in names
        ],
        "SPBPERS": [
            {"SPBPERS_PIDM": "100201", "SPBPERS_SSN": "382104455", "SPBPERS_SEX": "F"},
            {"SPBPERS_PIDM": "100202", "SPBPERS_SSN": "401227788", "SPBPERS_SEX": "M"},
        ],
        "SPRADDR": [
            {
                "SPRADDR_PIDM": p,
                "SPRADDR_ATYP_CODE": atyp,
                "SPRADDR_STREET_LINE1": street,
                "SPRADDR_CITY": city,
                "SPRADDR_STAT_CODE": "MI",
                "SPRADDR_ZIP": zip_code,
            }
            for p, atyp, street, city, zip_code in [
                ("100201", "PR", "12 Elm St", "Ann Arbor", "48104"),
                ("100202", "PR", "40 Oak Ave", "Lansing", "48933"),
                ("100201", "CA", "220 Bursley Hall", "Ann Arbor", "48109"),
                ("100202", "CA", "310 Bursley Hall", "Ann Arbor", "48109"),
            ]
        ],
    }


def test_name_history_under_one_key_is_one_person_with_the_ssn(tmp_path):
    # Jennifer Murphy, formerly Collins: two name rows of one PIDM reference the SSN row; until 2026-11-25 the two
    # names kept the SSN row apart and she counted for nobody
    tables = _banner(
        [
            ("100201", "Murphy", "Jennifer", ""),
            ("100201", "Collins", "Jennifer", "N"),
            ("100202", "Ryan", "David", ""),
        ]
    )
    exposure = scan(write(tmp_path, tables))
    assert exposure["affected"] == {"michigan": 2, "other_states": 0, "unknown_residency": 0}


def test_two_peoples_names_on_one_key_still_keep_the_number_apart(tmp_path):
    # two names that share neither the last name nor the first initial are not one person's history: the SSN row
    # joins neither (as before)
    tables = _banner(
        [
            ("100201", "Murphy", "Jennifer", ""),
            ("100201", "Collins", "Robert", ""),
            ("100202", "Ryan", "David", ""),
        ]
    )
    assert counts(write(tmp_path, tables)) == (1, 0, 0)


def test_joint_owner_gets_the_pin_on_the_accounts_own_row(tmp_path):
    tables = {
        "ACCOUNT": [
            {"ACCOUNT_NUMBER": "51058", "TYPE": "0", "AUDIO_PIN": "4821"},
            {"ACCOUNT_NUMBER": "568076", "TYPE": "0", "AUDIO_PIN": "7390"},
        ],
        "NAME": [
            {"ACCOUNT_NUMBER": a, "ORDINAL": o, "FIRST": f, "LAST": last, "STATE": "MI", "ZIPCODE": z}
            for a, o, f, last, z in [
                ("51058", "0", "Pam", "Collins", "48201"),
                ("51058", "1", "Devon", "Lewis", "48201"),
                ("568076", "0", "Helen", "Roberts", "48933"),
            ]
        ],
        # a payable-on-death beneficiary in a table of their own holds no access
        "ACCOUNT_BENEFICIARIES": [
            {"ACCOUNT_NUMBER": "51058", "BENE_FIRST": "Sara", "BENE_LAST": "Ellis", "BENE_STATE": "MI"},
        ],
    }
    # Pam and Devon hold 51058 and its telephone-banking PIN, Helen 568076 and its PIN (445.63(p)(iii)); until
    # 2026-11-25 the account row joined Pam alone and Devon held the number without the PIN
    exposure = scan(write(tmp_path, tables))
    assert exposure["affected"] == {"michigan": 3, "other_states": 0, "unknown_residency": 0}
    assert exposure["what_if"]["codes_with_their_own_account"] == 3
