"""Whose place is it? (adversarial review of insurance, health-plan and payroll exports.) A state, ZIP, address or
city column is residency evidence only when it is the row subject's home (MCL 445.72(1) "resident of this state",
500.561 for insurers): a lender's, agency's, provider's or payee's place, where a loss happened, the state an
employee works in or is taxed by are not. Counts by hand: every subject below lives in Ohio, Illinois or Indiana
by their own address; the other place is in Michigan."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import counts, write

from detectors import residency

SSNS = ["301-22-4455", "302-33-5566"]


def _insureds(extra: dict[str, str]) -> list[dict]:
    people = [("Matthew", "Lowe", "Toledo", "OH", "43604"), ("Greg", "Wolf", "Chicago", "IL", "60601")]
    return [
        {
            "POLICY_NUMBER": f"HO55100{k}",
            "INSD_FIRST_NM": first,
            "INSD_LAST_NM": last,
            "INSD_SSN": SSNS[k],
            "MAIL_CITY": city,
            "MAIL_ST": st,
            "MAIL_ZIP": z,
            **extra,
        }
        for k, (first, last, city, st, z) in enumerate(people)
    ]


# a policy's other parties, as carriers' policy and auto files write them
@pytest.mark.parametrize(
    "column,value",
    [
        ("MORTGAGEE_ST", "MI"),
        ("MORTGAGEE_ZIP", "48226"),
        ("MTG_CO_ST", "MI"),
        ("LIENHOLDER_ST", "MI"),
        ("LIEN_HLDR_ZIP", "48226"),
        ("LOSS_PAYEE_ST", "MI"),
        ("ADDL_INSD_ST", "MI"),
        ("ADDL_INT_ZIP", "48226"),
        ("CERT_HOLDER_STATE", "Michigan"),
        ("LESSOR_ST", "MI"),
        ("LEASING_CO_ZIP", "48226"),
        ("FINANCE_COMPANY_STATE", "MI"),
        ("PRODUCER_ST", "MI"),
        ("AGT_ZIP", "48075"),
    ],
)
def test_a_policys_other_partys_place_is_not_the_insureds_home(tmp_path, column, value):
    """Rocket Mortgage (Detroit) is mortgagee for insureds in every state: its MI is not the insured's home."""
    assert counts(write(tmp_path, {"HO_POL": _insureds({column: value})})) == (0, 2, 0)


def test_the_insureds_own_places_stay_evidence(tmp_path):
    """the insured's own state beside a lender's: a Michigan insured is still a Michigan resident."""
    rows = _insureds({"MORTGAGEE_ST": "OH"})
    rows[0]["MAIL_ST"], rows[0]["MAIL_ZIP"] = "MI", "48201"
    assert counts(write(tmp_path, {"HO_POL": rows})) == (1, 1, 0)


def test_an_additional_insureds_table_holds_their_own_places(tmp_path):
    """in a table whose rows are the additional insureds, ADDL_INSD_ST is the row's own state"""
    rows = [
        {
            "ADDL_INSD_FIRST_NM": "Ann",
            "ADDL_INSD_LAST_NM": "Lee",
            "ADDL_INSD_SSN": SSNS[0],
            "ADDL_INSD_ST": "MI",
        },
        {
            "ADDL_INSD_FIRST_NM": "Bob",
            "ADDL_INSD_LAST_NM": "Ray",
            "ADDL_INSD_SSN": SSNS[1],
            "ADDL_INSD_ST": "OH",
        },
    ]
    assert counts(write(tmp_path, {"additional_insureds": rows})) == (1, 1, 0)


@pytest.mark.parametrize(
    "columns",
    [
        {"loss_st": "MI", "loss_zip": "48226"},
        {"accident_state": "MI", "accident_city": "Detroit"},
        {"incident_st": "MI", "incident_zip": "48226"},
        {"occurrence_state": "Michigan"},
        {"LOSS_LOC_ST": "MI", "LOSS_LOC_ZIP": "48226"},
    ],
)
def test_a_claims_loss_place_is_not_the_policyholders_home(tmp_path, columns):
    """an Ohio driver who crashed on I-75 in Michigan: the claim joins the policy through pol_no, and its loss
    state is where the accident happened, not where anybody lives"""
    policies = [
        {"POL_NO": "PA2024098", "NI_FIRST_NM": "Catherine", "NI_LAST_NM": "Shaffer", "NI_SSN": SSNS[0]}
        | {"NI_MAIL_CITY": "Toledo", "NI_MAIL_ST": "OH", "NI_MAIL_ZIP": "43604"},
        {"POL_NO": "PA2024105", "NI_FIRST_NM": "Justin", "NI_LAST_NM": "Gutierrez", "NI_SSN": SSNS[1]}
        | {"NI_MAIL_CITY": "Columbus", "NI_MAIL_ST": "OH", "NI_MAIL_ZIP": "43215"},
    ]
    claims = [
        {"clm_no": "C2600000", "pol_no": "PA2024098", "loss_dt": "2026-06-01", **columns},
        {"clm_no": "C2600001", "pol_no": "PA2024105", "loss_dt": "2026-06-02", **columns},
    ]
    assert counts(write(tmp_path, {"policies": policies, "clm_hdr": claims})) == (0, 2, 0)


def test_a_table_of_accidents_bare_state_is_where_it_happened(tmp_path):
    """accidents.state (the accident's) beside the driver's own home ZIP"""
    rows = [
        {"first_name": "Ann", "last_name": "Lee", "ssn": SSNS[0], "home_zip": "43604", "state": "MI"},
        {"first_name": "Bob", "last_name": "Ray", "ssn": SSNS[1], "home_zip": "46601", "state": "MI"},
    ]
    assert counts(write(tmp_path, {"accidents": rows})) == (0, 2, 0)


@pytest.mark.parametrize(
    "column", ["AGCY_ST", "AGNCY_STATE", "EMPLR_ST", "EMPR_ST", "ER_ST", "GRP_ST", "BUS_ST"]
)
def test_abbreviated_workplaces_are_not_the_home(tmp_path, column):
    """a producer's agency office in Southfield (AGCY_ST), an employer (EMPLR_, EMPR_, payroll's ER_), an
    eligibility file's employer group (GRP_ST), a business (BUS_ST): the home ZIP is the only residence"""
    rows = [
        {"AGT_FIRST_NM": "Brooke", "AGT_LAST_NM": "Williams", "AGT_TAX_ID": SSNS[0], "AGT_HOME_ZIP": "43604"},
        {"AGT_FIRST_NM": "Carl", "AGT_LAST_NM": "Evans", "AGT_TAX_ID": SSNS[1], "AGT_HOME_ZIP": "46601"},
    ]
    for row in rows:
        row[column] = "MI"
    assert counts(write(tmp_path, {"agents": rows})) == (0, 2, 0)


def test_emp_st_of_an_employees_table_is_the_employees_home(tmp_path):
    """EMP is the employee in HR exports (EMP_NM, EMP_ST): their own state"""
    rows = [
        {"EMP_FIRST_NM": "Ann", "EMP_LAST_NM": "Lee", "EMP_SSN": SSNS[0], "EMP_ST": "MI"},
        {"EMP_FIRST_NM": "Bob", "EMP_LAST_NM": "Ray", "EMP_SSN": SSNS[1], "EMP_ST": "OH"},
    ]
    assert counts(write(tmp_path, {"employees": rows})) == (1, 1, 0)


@pytest.mark.parametrize(
    "columns",
    [
        {"BILL_PROV_ST": "MI", "BILL_PROV_ZIP": "48507"},
        {"RNDR_PROV_ST": "MI"},
        {"PAYTO_PROV_ZIP": "48507"},
        {"PROV_ST": "MI", "PROV_CITY": "Flint"},
        {"ATTENDING_PROV_STATE": "MI"},
    ],
)
def test_a_claims_provider_place_is_not_the_patients_home(tmp_path, columns):
    """BILL_PROV_ST is the billing provider's ("bill" qualifies the provider, not the patient's billing
    address): the patient's own MBR_ST is the only residence"""
    rows = [
        {"CLM_ID": "1", "PAT_FIRST_NM": "Teresa", "PAT_LAST_NM": "Hall", "PAT_SSN": SSNS[0], "MBR_ST": "OH"},
        {
            "CLM_ID": "2",
            "PAT_FIRST_NM": "Clinton",
            "PAT_LAST_NM": "Hernandez",
            "PAT_SSN": SSNS[1],
            "MBR_ST": "IN",
        },
    ]
    assert counts(write(tmp_path, {"CLM_LN": [r | columns for r in rows]})) == (0, 2, 0)


@pytest.mark.parametrize("column", ["BILL_ST", "BILLING_STATE", "STATE_PROV"])
def test_the_subjects_billing_and_province_state_stay_evidence(tmp_path, column):
    """a billing state is the subject's own, and STATE_PROV is a state or province, not a provider"""
    rows = [
        {"first_name": "Ann", "last_name": "Lee", "ssn": SSNS[0], column: "MI"},
        {"first_name": "Bob", "last_name": "Ray", "ssn": SSNS[1], column: "OH"},
    ]
    assert counts(write(tmp_path, {"customers": rows})) == (1, 1, 0)


def _dump(base: Path, employees: list[tuple], table: str, columns: list[str], rows: list[tuple]) -> Path:
    """A mysqldump of an employees table and a child table of theirs (declared foreign key on ee_id)."""

    def values(rows: list[tuple]) -> str:
        return ",".join("(" + ",".join(f"'{v}'" for v in r) + ")" for r in rows)

    child = ",\n".join(f"  `{c}` varchar(80)" for c in columns)
    sql = f"""-- MySQL dump 10.13  Distrib 8.0.36
CREATE TABLE `employees` (
  `ee_id` varchar(10) NOT NULL,
  `first_nm` varchar(40),
  `last_nm` varchar(60),
  `ssn` varchar(11),
  `home_st` char(2),
  `home_zip` varchar(10),
  PRIMARY KEY (`ee_id`)
) ENGINE=InnoDB;
CREATE TABLE `{table}` (
  `ee_id` varchar(10) NOT NULL,
{child},
  CONSTRAINT `fk_ee` FOREIGN KEY (`ee_id`) REFERENCES `employees` (`ee_id`)
) ENGINE=InnoDB;
INSERT INTO `employees` VALUES {values(employees)};
INSERT INTO `{table}` VALUES {values(rows)};
"""
    db = base / "db"
    db.mkdir(parents=True, exist_ok=True)
    (db / "payroll.sql").write_text(sql)
    return db


# David Ruiz lives in Toledo OH, Caitlin Young in Chicago IL; both work in Michigan
EMPLOYEES = [
    ("5006", "David", "Ruiz", SSNS[0], "OH", "43604"),
    ("5017", "Caitlin", "Young", SSNS[1], "IL", "60601"),
]


@pytest.mark.parametrize("table", ["ee_st_tax_elect", "emp_wh_states", "sui_jurisdictions", "state_taxes"])
def test_a_tax_election_tables_state_is_a_jurisdiction(tmp_path, table):
    """one row per state withheld for, the Michigan work state among them: no residence"""
    rows = [("5006", "MI", "S"), ("5017", "MI", "M")]
    assert counts(_dump(tmp_path, EMPLOYEES, table, ["st", "fil_stat"], rows)) == (0, 2, 0)


def test_a_resident_indicator_says_which_tax_state_is_the_home(tmp_path):
    """res_ind = Y: the state is the residence (Ruiz's Michigan, by his election only); N: the nonresident work
    state is no home (Young's Michigan, beside her Illinois home)"""
    employees = [("5006", "David", "Ruiz", SSNS[0], "", ""), EMPLOYEES[1]]
    rows = [("5006", "MI", "Y"), ("5006", "OH", "N"), ("5017", "IL", "Y"), ("5017", "MI", "N")]
    assert counts(_dump(tmp_path, employees, "ee_st_tax_elect", ["st", "res_ind"], rows)) == (1, 1, 0)


@pytest.mark.parametrize(
    "columns,values",
    [
        (["agency_nm", "remit_city", "remit_st", "remit_zip"], ["MiSDU", "Lansing", "MI", "48909"]),
        (["payee_nm", "payee_state"], ["MiSDU", "MI"]),
        (["obligee_st"], ["MI"]),
        (["sdu_zip"], ["48909"]),
        (["disb_unit_st"], ["MI"]),
        (["remit_to_addr"], ["PO Box 30351, Lansing, MI 48909"]),
    ],
)
def test_a_garnishments_remittance_place_is_not_the_employees_home(tmp_path, columns, values):
    """the State Disbursement Unit (Lansing) the withheld support goes to"""
    rows = [("5006", *values), ("5017", *values)]
    assert counts(_dump(tmp_path, EMPLOYEES, "garnish", columns, rows)) == (0, 2, 0)


def test_a_payees_state_is_the_payees_own(tmp_path):
    """in a table of payees the payee is the row's subject: PAYEE_ST is their home"""
    rows = [
        {"PAYEE_FIRST_NM": "Robert", "PAYEE_LAST_NM": "Hill", "SSN": SSNS[0], "PAYEE_ST": "MI"},
        {"PAYEE_FIRST_NM": "Sherri", "PAYEE_LAST_NM": "Adkins", "SSN": SSNS[1], "PAYEE_ST": "OH"},
    ]
    assert counts(write(tmp_path, {"payees": rows})) == (1, 1, 0)


def test_adps_worked_in_state_is_a_workplace(tmp_path):
    """ADP Workforce Now: Lived In State is the home, Worked In State the work state"""
    rows = [
        {"Legal First Name": "David", "Legal Last Name": "Ruiz", "Tax ID (SSN)": SSNS[0]}
        | {"Lived In State": "MI", "Worked In State": "OH"},
        {"Legal First Name": "Caitlin", "Legal Last Name": "Young", "Tax ID (SSN)": SSNS[1]}
        | {"Lived In State": "OH", "Worked In State": "MI"},
    ]
    assert counts(write(tmp_path, {"ee": rows})) == (1, 1, 0)


@pytest.mark.parametrize("column", ["box15_st", "W2_STATE", "st_wages_state"])
def test_a_w2s_box_15_state_is_where_wages_are_reported(tmp_path, column):
    rows = [
        {"emp_first_nm": "David", "emp_last_nm": "Ruiz", "ssn": SSNS[0], "home_st": "OH", column: "MI"},
        {"emp_first_nm": "Ann", "emp_last_nm": "Lee", "ssn": SSNS[1], "home_st": "IN", column: "MI"},
    ]
    assert counts(write(tmp_path, {"w2_extract": rows})) == (0, 2, 0)


def test_whose_place_by_header():
    """the vocabulary: other parties' and event places named; the subject's own not"""
    assert residency.other_partys_place("MORTGAGEE_ST", "HO_POL") == "mortgagee"
    assert residency.other_partys_place("LOSS_PAYEE_ST") == "payee"
    assert residency.other_partys_place("PAYEE_ST", "vendors_1099") is None
    assert residency.other_partys_place("PROV_ST", "CLM_LN") == "provider"
    assert residency.other_partys_place("PROV_STATE", "addresses") is None
    for own in ("state", "home_state", "mailing_state", "res_state", "bill_st", "INSD_ST", "Lived In State"):
        assert residency.other_partys_place(own) is None and residency.STATE.says(own), own
    for event in (
        "loss_st",
        "accident_state",
        "incident_state",
        "Worked In State",
        "AGCY_ST",
        "BILL_PROV_ST",
    ):
        assert not residency.STATE.says(event), event
    assert residency.STATE.says("RECIP_ST")  # a 1099 recipient's own state
