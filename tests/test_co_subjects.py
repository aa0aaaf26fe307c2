"""Second people in a row (pipeline/co_subjects.py): their own name and elements, and what they share by role."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipeline.scan import ScanOptions, run_scan
from pipeline.tables import ROW

SSN = ["287-65-4321", "301-22-4455", "452-19-8830"]


def _scan(tmp_path: Path, name: str, rows: list[dict]) -> dict:
    db = tmp_path / "db"
    db.mkdir()
    pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}).write_csv(db / f"{name}.csv")
    return run_scan([str(db)], out_dir=None, options=ScanOptions()).exposure


def test_beneficiary_is_counted_with_unknown_residency_and_the_filer_keeps_only_their_ssn(tmp_path):
    rows = [
        {
            "first_name": "John",
            "last_name": "Smith",
            "ssn": SSN[0],
            "state": "MI",
            "beneficiary_first_name": "Jane",
            "beneficiary_last_name": "Roe",
            "beneficiary_ssn": SSN[1],
        }
    ]
    exp = _scan(tmp_path, "policies", rows)
    # the beneficiary is a person with a name and an SSN; the policy's state is the holder's, not hers
    assert exp["affected"] == {"michigan": 1, "other_states": 0, "unknown_residency": 1}
    assert exp["affected_michigan_by_element"]["ssn"] == 1
    derived = {t["name"]: t for t in exp["tables"]}["policies (beneficiary)"]
    assert derived["rows"] == 1 and any("beneficiary_ssn" in w for w in derived["warnings"])
    kinds = {c["name"]: c["classified_as"] for c in derived["columns"]}
    assert kinds == {"first_name": "first_name", "last_name": "last_name", "ssn": "ssn"}


def test_joint_holder_shares_the_account_not_the_primary_holders_ssn(tmp_path):
    rows = [
        {
            "first_name": "John",
            "last_name": "Smith",
            "ssn": SSN[0],
            "joint_first_name": "Jane",
            "joint_last_name": "Doe",
            "account_number": "123456789012",
            "pin": "4321",
            "state": "MI",
        }
    ]
    result = run_scan([str(_write(tmp_path, rows))], out_dir=None, options=ScanOptions())
    people = result.individuals.filter(pl.col("has_name")).sort("first_name")
    assert people.get_column("first_name").to_list() == ["Jane", "John"]
    assert people.get_column("exposed_ssn").to_list() == [False, True]
    assert people.get_column("exposed_financial_account").to_list() == [True, True]
    assert people.get_column("residency").to_list() == ["michigan", "michigan"]


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    db = tmp_path / "db"
    db.mkdir()
    pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}).write_csv(db / "accounts.csv")
    return db


def test_a_contact_without_a_name_or_an_empty_spouse_makes_no_record(tmp_path):
    rows = [
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "ssn": SSN[2],
            "state": "MI",
            "spouse_first_name": "",
            "spouse_last_name": "",
            "spouse_ssn": "",
            "emergency_phone": "313-555-0100",
        },
    ]
    exp = _scan(tmp_path, "people", rows)
    assert exp["affected"]["michigan"] == 1 and exp["individuals"]["total"] == 1
    # the spouse group names someone in its header but no row fills it: the derived table has no rows
    names = [t["name"] for t in exp["tables"]]
    assert "people (emergency)" not in names
    spouse = [t for t in exp["tables"] if t["name"] == "people (spouse)"]
    assert not spouse or spouse[0]["rows"] == 0


def test_numbered_people_of_a_row_are_each_their_own_person(tmp_path):
    """applicants(first_name_1, ssn_1, first_name_2, ssn_2): person 2 is counted with her own SSN (she was dropped,
    and her SSN given to person 1); person 1 never holds person 2's SSN (Lou gives none and is not affected); the
    prefix form (applicant2_ssn) and an address's line number (address_line_2) are read too."""
    frame = pl.DataFrame(
        {
            "app_id": ["1", "2", "3"],
            "first_name_1": ["Ian", "Kit", "Lou"],
            "last_name_1": ["Isle", "Kemp", "Lamb"],
            "ssn_1": ["287-65-4345", "287-65-4347", ""],
            "first_name_2": ["Jan", "", "Mo"],
            "last_name_2": ["Isle", "", "Lamb"],
            "ssn_2": ["287-65-4346", "", "287-65-4348"],
            "address_line_1": ["1 Elm St", "2 Oak St", "3 Ash St"],
            "address_line_2": ["Apt 1", "", ""],
            "state": ["MI", "MI", "MI"],
        }
    )
    db = tmp_path / "db"
    db.mkdir()
    frame.write_csv(db / "applicants.csv")
    prefixed = frame.rename(
        lambda c: c if not c[-1].isdigit() or c.startswith("address") else f"applicant{c[-1]}_{c[:-2]}"
    )
    (tmp_path / "db2").mkdir()
    prefixed.write_csv(tmp_path / "db2" / "applicants.csv")
    for folder in (db, tmp_path / "db2"):
        result = run_scan([folder], None, ScanOptions(hash_key=b"k"))
        assert result.exposure["affected"] == {"michigan": 4, "other_states": 0, "unknown_residency": 0}
        named = result.records.filter(pl.col("has_name")).sort("table", ROW)
        assert named.select("first_name", "ssn_status").rows() == [
            ("Ian", "unredacted"),
            ("Kit", "unredacted"),
            ("Lou", None),
            ("Jan", "unredacted"),
            ("Mo", "unredacted"),
        ]


def test_a_role_after_other_words_is_still_that_persons(tmp_path):
    """primary_spouse_ssn and a nested record's payload_emergency_contact_name (a JSON record flattened under its
    parent's key) are the spouse's and the contact's: each becomes their own record (Hal was dropped)."""
    rows = [
        {
            "first_name": "Ivy",
            "last_name": "Irwin",
            "state": "MI",
            "ssn": SSN[0],
            "primary_spouse_first_name": "Hal",
            "primary_spouse_last_name": "Irwin",
            "primary_spouse_ssn": SSN[1],
            "payload_emergency_contact_name": "Max Hart",
            "payload_emergency_contact_ssn": SSN[2],
        }
    ]
    exposure = _scan(tmp_path, "apps", rows)
    # Ivy and her spouse in Michigan (the spouse takes the row's address); the contact's residency is unknown
    assert exposure["affected"] == {"michigan": 2, "other_states": 0, "unknown_residency": 1}


def test_numbered_name_parts_of_one_person_are_not_two_people(tmp_path):
    """name parts numbered as parts, not people (given_name_1 = first name, family_name_2 = last name): one
    person, counted; numbered people need a first and a last name, a full name, or a name beside an element."""
    rows = [{"given_name_1": "John", "family_name_2": "Smith", "ssn": SSN[0], "state": "MI"}]
    assert _scan(tmp_path, "people", rows)["affected"] == {
        "michigan": 1,
        "other_states": 0,
        "unknown_residency": 0,
    }


# ---------------------------------------------------------------- people of a row named by qualifiers (session 9)


def _counts_of(tmp_path, name: str, header: str, rows: list[str]) -> tuple[int, int, int]:
    from scenario import affected, scan

    db = tmp_path / "db"
    db.mkdir(exist_ok=True)
    (db / f"{name}.csv").write_text(header + "\n" + "\n".join(rows) + "\n")
    return affected(scan(db))


def test_a_claims_subscriber_and_patient_are_two_people(tmp_path):
    """Henry's claim for his child Lucy: her SSN is hers, and she lives at his address (445.63(p)(i)); Irene's own
    claim names her twice (SELF, one person). Until 2026-11-24 the patient's SSN went nowhere and Lucy and Nora
    were not counted."""
    header = (
        "claim_id,subscriber_first_name,subscriber_last_name,subscriber_ssn,patient_first_name,patient_last_name,"
        "patient_ssn,patient_relationship,subscriber_state,subscriber_zip"
    )
    rows = [
        "C1,Henry,Baker,098-84-7252,Lucy,Baker,642-78-7353,CHILD,MI,48104",
        "C2,Irene,Cole,515-04-0345,Irene,Cole,,SELF,MI,48104",
        "C3,Victor,Lam,058-07-7457,Nora,Lam,173-94-0023,SPOUSE,WI,53703",
    ]
    assert _counts_of(tmp_path, "claims", header, rows) == (3, 2, 0)


def test_the_insured_not_the_policyholder_holds_the_ssn(tmp_path):
    """The policy's owner Carl has no SSN here; the insured Beth has: Beth is affected, not Carl (until 2026-11-24
    Carl was counted with Beth's SSN)."""
    header = "policy_number,policyholder_first_name,policyholder_last_name,insured_first_name,insured_last_name,insured_ssn,policyholder_state"
    rows = ["LP-0003,Carl,Jensen,Beth,Jensen,095-53-3673,MI", "LP-0004,Ira,Polk,Jude,Polk,104-55-0912,MI"]
    assert _counts_of(tmp_path, "policies", header, rows) == (2, 0, 0)
    from pipeline.scan import run_scan

    result = run_scan([tmp_path / "db"])
    affected = result.individuals.filter(pl.col("affected")).get_column("first_name").sort().to_list()
    assert affected == ["Beth", "Jude"]


def test_a_payers_tin_is_not_the_recipients(tmp_path):
    """A firm's 1099s: the recipients' TINs are masked (445.63(r)), the payer's EIN is the firm's. Nobody counts
    (until 2026-11-24 every recipient counted with the payer's TIN)."""
    header = "payer_name,payer_tin,recipient_first_name,recipient_last_name,recipient_tin,recipient_state,recipient_zip,amount"
    rows = [
        "Maple Rentals LLC,381234568,Dave,Kline,***-**-4821,MI,48060,4000",
        "Maple Rentals LLC,381234568,Ed,Moss,***-**-1102,MI,48061,900",
    ]
    assert _counts_of(tmp_path, "form_1099", header, rows) == (0, 0, 0)


def test_an_834_member_row_keeps_its_own_ssn_beside_the_subscribers(tmp_path):
    """Each member's own SSN is theirs; the subscriber's SSN on every row merged the family into one (the first
    SSN in column order)."""
    header = "subscriber_ssn,member_id,relationship_code,first_name,last_name,member_ssn,state,zip"
    rows = [
        "835-21-8199,M1,18,Pete,Adams,835-21-8199,MI,48375",
        "835-21-8199,M2,01,Rose,Adams,250-02-2807,MI,48375",
        "835-21-8199,M3,19,Cody,Adams,128-57-0986,MI,48375",
    ]
    assert _counts_of(tmp_path, "members_834", header, rows) == (3, 0, 0)


def test_a_dependants_ssn_written_ssn_num_is_the_dependants(tmp_path):
    """DEP_SSN_NUM: 'num' made 'dep' a deposit; with a person's word (ssn) it is the dependant's."""
    header = (
        "EMP_ID,EMP_FIRST_NM,EMP_LAST_NM,EMP_SSN_NUM,DEP_FIRST_NM,DEP_LAST_NM,DEP_SSN_NUM,DEP_REL_CD,ST,ZIP"
    )
    rows = [
        "E1,Paul,Wozniak,547-56-1795,Rita,Wozniak,373-47-1289,01,MI,48823",
        "E2,Karen,Hale,368-10-0810,Sam,Hale,333-39-3703,19,MI,49503",
        "E3,Omar,Said,333-44-3832,Lina,Said,511-25-5195,01,IN,46204",
    ]
    assert _counts_of(tmp_path, "enrollment", header, rows) == (4, 2, 0)


def test_a_claims_patient_lives_where_the_subscriber_referenced_by_the_claim_lives(tmp_path):
    """A claim row has no address of its own (place_of_service_state is where the care was); its subscriber_id
    references the subscribers table, which has: Owen, Helen's child, is a Michigan resident, Ivy, Ray's spouse,
    an Ohio one (until 2026-11-24 both were of unknown residency); Helen's own claim (SELF) is Helen."""
    db = tmp_path / "db"
    db.mkdir()
    (db / "subscribers.csv").write_text(
        "subscriber_id,first_name,last_name,ssn,address_line1,city,state,zip\n"
        "700001,Helen,Price,***-**-1234,12 Elm St,Lansing,MI,48906\n700002,Ray,Stone,***-**-2234,9 Oak St,Toledo,OH,43604\n"
    )
    (db / "claims.csv").write_text(
        "claim_id,subscriber_id,subscriber_first_name,subscriber_last_name,subscriber_ssn,patient_first_name,"
        "patient_last_name,patient_relationship,patient_ssn,place_of_service_state,billed_amount\n"
        "CLM1,700001,Helen,Price,***-**-1234,Owen,Price,CHILD,212-34-5678,OH,120.00\n"
        "CLM2,700002,Ray,Stone,***-**-2234,Ivy,Stone,SPOUSE,301-22-4455,MI,80.00\n"
        "CLM3,700001,Helen,Price,***-**-1234,Helen,Price,SELF,,OH,50.00\n"
    )
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 1, "other_states": 1, "unknown_residency": 0}
