"""Second people in a row (pipeline/co_subjects.py): their own name and elements, and what they share by role."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

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


# ---------------------------------------------------------------- second people of a deal or application (review A)

SSN2 = ["455-10-2231", "512-33-9087", "212-34-5678", "146-23-9081", "523-41-7790", "318-62-4457"]


def _people(exposure_or_result) -> list[tuple[str, str, list[str]]]:
    """(first name, residency, elements) of each affected individual, sorted."""
    people = exposure_or_result.individuals.filter(pl.col("affected"))
    return sorted(people.select("first_name", "residency", "elements").rows())


DEALS = {
    "deal_no": ["24371", "24450", "24462"],
    "buyer_first": ["Ann", "Monica", "Jon"],
    "buyer_last": ["Bell", "Hanson", "Jensen"],
    "buyer_st": ["MI", "MI", "MI"],
    "buyer_zip": ["48161", "49221", "48084"],
    "cobuyer_first": ["Chris", "Maria", "Beth"],
    "cobuyer_last": ["Bell", "Hall", "Jensen"],
    "cobuyer_st": ["MI", "OH", "MI"],
    "cobuyer_zip": ["48161", "43604", "48084"],
}


def test_a_co_buyers_credit_application_row_is_the_co_buyers(tmp_path):
    """credit_apps holds one row per applicant (applicant_role BUYER / CO-BUYER) and no names: the names are in
    deals (buyer_, cobuyer_). A CO-BUYER row's SSN is the co-buyer's (445.63(p)(i)): Chris (MI) and Maria (OH)
    are affected with their own SSNs, Ann with hers; Monica and Jon gave none and are not. Until 2026-11-24 every
    row joined the deal's buyer: Monica was counted with Maria's SSN, Chris and Maria not at all."""
    from scenario import affected, scan, write

    deals = [dict(zip(DEALS, row, strict=True)) for row in zip(*DEALS.values(), strict=True)]
    apps = [
        {"app_id": "880001", "deal_no": "24371", "applicant_role": "BUYER", "ssn": SSN[0]},
        {"app_id": "880002", "deal_no": "24371", "applicant_role": "CO-BUYER", "ssn": SSN[1]},
        {"app_id": "880003", "deal_no": "24450", "applicant_role": "Co-Buyer", "ssn": SSN2[0]},
        {"app_id": "880004", "deal_no": "24462", "applicant_role": "BUYER", "ssn": ""},
    ]
    db = write(tmp_path, {"deals": deals, "credit_apps": apps})
    assert affected(scan(db)) == (2, 1, 0)
    assert _people(run_scan([db])) == [
        ("Ann", "michigan", ["ssn"]),
        ("Chris", "michigan", ["ssn"]),
        ("Maria", "other", ["ssn"]),
    ]


def test_a_role_row_that_references_its_own_person_stays_that_persons(tmp_path):
    """A relationship row that references its holder (acct_rel.cif_no -> customers) is that holder's whatever
    its role word says (JOINT is the joint holder named by the customer row): each holder keeps the account."""
    from scenario import affected, scan, write

    customers = [
        {"cif_no": "5249117", "first_name": "Ann", "last_name": "Lee", "state": "MI"},
        {"cif_no": "2460208", "first_name": "Bob", "last_name": "Roe", "state": "OH"},
    ]
    rel = [
        {"acct_no": "7100000123", "cif_no": "5249117", "rel_type": "PRIMARY", "pin": "1234"},
        {"acct_no": "7100000123", "cif_no": "2460208", "rel_type": "JOINT", "pin": "1234"},
    ]
    assert affected(scan(write(tmp_path, {"customers": customers, "acct_rel": rel}))) == (1, 1, 0)
    # an accounts table whose ownership column says PRIMARY / JOINT holds one account a row, no party's: each
    # customer still holds the account their row references
    customers = [{**c, "acct_id": a} for c, a in zip(customers, ["A1", "A2"], strict=True)]
    accounts = [
        {"acct_id": "A1", "ownership_type": "PRIMARY", "acct_no": "7100000123", "pin": "1234"},
        {"acct_id": "A2", "ownership_type": "JOINT", "acct_no": "7100000456", "pin": "5678"},
    ]
    assert affected(scan(write(tmp_path / "b", {"customers": customers, "accounts": accounts}))) == (1, 1, 0)


def test_a_co_applicants_ssn_without_their_name_is_the_referenced_rows_co_applicant(tmp_path):
    """credit_apps(app_ssn, coapp_ssn) names nobody: coapp_ssn is the co-applicant's, never the buyer's. Through
    deal_no it is the deal's co-buyer's (cobuyer_ columns): Maria (OH) and Beth (MI) are affected; Monica and Jon
    gave no SSN and are not (until 2026-11-24 'coapp' was no role: Monica and Jon were counted with it)."""
    from scenario import affected, scan, write

    deals = [dict(zip(DEALS, row, strict=True)) for row in zip(*DEALS.values(), strict=True)]
    apps = [
        {"app_id": "880003", "deal_no": "24450", "app_ssn": "", "coapp_ssn": SSN2[0]},
        {"app_id": "880004", "deal_no": "24462", "app_ssn": "", "coapp_ssn": SSN2[1]},
    ]
    db = write(tmp_path, {"deals": deals, "credit_apps": apps})
    assert affected(scan(db)) == (1, 1, 0)
    assert _people(run_scan([db])) == [("Beth", "michigan", ["ssn"]), ("Maria", "other", ["ssn"])]


def test_an_unnumbered_group_beside_its_numbered_2_is_person_1_and_person_2(tmp_path):
    """buyer_* beside buyer2_*: buyer 2 is a person of their own, with their own licence and their own Ohio
    address (until 2026-11-24 buyer 2 was no person, and their licence went to buyer 1)."""
    from scenario import affected, scan, write

    rows = [
        {
            "deal_no": str(24100 + i),
            "buyer_first": f,
            "buyer_last": "Leonard",
            "buyer_st": "MI",
            "buyer_dl_no": f"L02977276931{i}",
            "buyer_dl_st": "MI",
            "buyer2_first": g,
            "buyer2_last": "Powers",
            "buyer2_st": "OH",
            "buyer2_dl_no": f"WX80274{i}",
            "buyer2_dl_st": "OH",
        }
        for i, (f, g) in enumerate([("Madison", "Adam"), ("Kate", "Janet")])
    ]
    db = write(tmp_path, {"deals": rows})
    assert affected(scan(db)) == (2, 2, 0)
    people = _people(run_scan([db]))
    assert [(p[0], p[1]) for p in people] == [
        ("Adam", "other"),
        ("Janet", "other"),
        ("Kate", "michigan"),
        ("Madison", "michigan"),
    ]


@pytest.mark.parametrize("prefix", ["co_app_", "coapp_", "joint_app_", "joint_", "co_borrower_"])
def test_second_applicant_prefixes_are_the_second_applicants_own_columns(prefix, tmp_path):
    """The buyers live in Ohio with an Ohio licence; each second applicant (co_app_, joint_app_, joint_, ...) lives
    in Michigan with their own SSN. Their name, state and SSN are theirs: 2 Michigan residents (the second
    applicants) and 2 Ohio ones (until 2026-11-24 co_app_st and co_app_ssn were the buyer's, co_app_first and
    joint_app_first no names, and joint_st made the Ohio buyers Michigan residents)."""
    from scenario import affected, scan, write

    rows = [
        {
            "deal_no": str(24200 + i),
            "buyer_first": f,
            "buyer_last": "Harrell",
            "buyer_st": "OH",
            "buyer_zip": "43604",
            "buyer_dl_no": f"TL63162{i}",
            "buyer_dl_st": "OH",
            f"{prefix}first": g,
            f"{prefix}last": "Henry",
            f"{prefix}st": "MI",
            f"{prefix}zip": "48161",
            f"{prefix}ssn": SSN2[i],
        }
        for i, (f, g) in enumerate([("Karen", "Arthur"), ("Angela", "Emily")])
    ]
    db = write(tmp_path, {"deals": rows})
    assert affected(scan(db)) == (2, 2, 0)
    people = _people(run_scan([db]))
    assert [(p[0], p[1], p[2]) for p in people] == [
        ("Angela", "other", ["drivers_license"]),
        ("Arthur", "michigan", ["ssn"]),
        ("Emily", "michigan", ["ssn"]),
        ("Karen", "other", ["drivers_license"]),
    ]


def test_a_secondary_address_without_a_secondary_person_is_the_subjects_line_2(tmp_path):
    """secondary_address is the subject's second address line where the row names no secondary person; joint_st
    names the joint person's state even so (until 2026-11-24 joint_st was the subject's)."""
    from scenario import affected, scan, write

    rows = [
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "ssn": SSN[0],
            "address": "12 Elm St",
            "secondary_address": "Apt 4, Detroit, MI 48201",
        }
    ]
    assert affected(scan(write(tmp_path / "a", {"people": rows}))) == (1, 0, 0)


def test_a_second_person_with_places_of_their_own_lives_there(tmp_path):
    """A second person (numbered, co-applicant, spouse) with their own state lives in that state; the row's
    (the first person's) places are theirs only where they have none. Until 2026-11-24 Michigan-wins across the
    two people's places made each Ohio second person a Michigan resident."""
    from scenario import affected, scan, write

    rows = [
        {
            "first_name_1": "Ian",
            "last_name_1": "Isle",
            "ssn_1": SSN[0],
            "state_1": "MI",
            "first_name_2": "Jan",
            "last_name_2": "Isle",
            "ssn_2": SSN[1],
            "state_2": "OH",
            "spouse_first_name": "Kim",
            "spouse_last_name": "Isle",
            "spouse_ssn": SSN[2],
            "spouse_state": "IN",
            "co_borrower_first_name": "Lou",
            "co_borrower_last_name": "Isle",
            "co_borrower_ssn": SSN2[0],
        }
    ]
    db = write(tmp_path, {"applications": rows})
    # Ian and Lou (who has no place of their own: the application's) in Michigan, Jan and Kim elsewhere
    assert affected(scan(db)) == (2, 2, 0)
    people = _people(run_scan([db]))
    assert [(p[0], p[1]) for p in people] == [
        ("Ian", "michigan"),
        ("Jan", "other"),
        ("Kim", "other"),
        ("Lou", "michigan"),
    ]


def test_a_dependant_with_an_address_of_their_own_lives_there(tmp_path):
    """dependents.emp_id -> employees: the household's place is a dependant's only where their own rows give
    none (Ada, at college in Ohio with her own state, is an Ohio resident; Bo, with none, lives at the
    employee's). Until 2026-11-24 Michigan-wins made Ada a Michigan resident."""
    from scenario import affected, scan, write

    employees = [
        {"emp_id": "1013", "first_name": "Brian", "last_name": "Okafor", "ssn": SSN[0], "state": "MI"},
        {"emp_id": "1014", "first_name": "Cal", "last_name": "Moss", "ssn": "", "state": "MI"},
    ]
    dependents = [
        {
            "dep_id": "19",
            "emp_id": "1013",
            "first_name": "Ada",
            "last_name": "Okafor",
            "ssn": SSN[1],
            "state": "OH",
        },
        {
            "dep_id": "20",
            "emp_id": "1014",
            "first_name": "Bo",
            "last_name": "Moss",
            "ssn": SSN[2],
            "state": "",
        },
    ]
    db = write(tmp_path, {"employees": employees, "dependents": dependents})
    assert affected(scan(db)) == (2, 1, 0)
    assert [(p[0], p[1]) for p in _people(run_scan([db]))] == [
        ("Ada", "other"),
        ("Bo", "michigan"),
        ("Brian", "michigan"),
    ]


@pytest.mark.parametrize("leader_first", [True, False])
def test_a_rooming_lists_card_is_the_leaders_whatever_the_column_order(leader_first, tmp_path):
    """A group's rooming list: one row per guest, each repeating the group leader who pays by card with its CVV
    (leader_card_no, leader_cvv) and the room's guarantee card (card_no, cvv, no one's name on it). Both cards
    are the leader's, the guests hold none (445.63(p)(iii)): the leader is affected, in Michigan by his guest
    profile. Until 2026-11-24, with the guests' columns first, every guest got the leader's card and CVV and
    the leader was counted for nothing."""
    from scenario import affected, scan, write

    guest = {"guest_first": "", "guest_last": "", "guest_email": ""}
    leader = {
        "leader_first": "Maurice",
        "leader_last": "Harrell",
        "leader_email": "maurice.harrell@groups.example.org",
        "leader_card_no": "4863532137631628",
        "leader_cvv": "915",
    }
    rows = []
    for f, ln in [("Jason", "May"), ("Mary", "Johnston")]:
        g = {**guest, "guest_first": f, "guest_last": ln, "guest_email": f"{f.lower()}@mail.example.com"}
        common = {"block_cd": "GRP001", "card_no": "5425233430109903", "cvv": "118"}
        rows.append({**common, **leader, **g} if leader_first else {**common, **g, **leader})
    profiles = [
        {"guest_id": "70200", "first_nm": "Maurice", "last_nm": "Harrell", "state_prov": "MI",
         "email": "maurice.harrell@groups.example.org"},
    ]  # fmt: skip
    db = write(tmp_path, {"group_rooming_list": rows, "guests": profiles})
    assert affected(scan(db)) == (1, 0, 0)
    assert _people(run_scan([db])) == [("Maurice", "michigan", ["financial_account"])]


PARTICIPANTS = (
    "ssn,first_name,last_name,state,zip",
    ["301224455,Alice,Morgan,MI,48104", "302335566,Brian,Keller,OH,43604"],
)


@pytest.mark.parametrize(
    ("sponsor", "own"),
    [
        ("Ptcp SSN", "Bene SSN"),
        ("participant_ssn", "beneficiary_ssn"),
        ("participant_ssn", "ssn"),
        ("ssn", "bene_ssn"),
    ],
)
def test_a_beneficiarys_row_keeps_their_own_ssn_not_the_participants_key(tmp_path, sponsor, own):
    """beneficiaries(Ptcp SSN, Beneficiary Name, Bene SSN): the participant's SSN is the key of the record the row
    hangs from. Until 2026-11-24 it was the beneficiary's (the first SSN column of the row), the beneficiary's own
    was dropped, and Dan and Emma merged into Alice by her SSN; Frank was counted with Brian's."""
    _counts_of(tmp_path, "participants", *PARTICIPANTS)
    rows = [
        "301224455,Dan Morgan,401-55-1234,MI",
        "301224455,Emma Morgan,402-66-2345,",
        "302335566,Frank Ortiz,403-77-3456,IL",
    ]
    header = f"{sponsor},Beneficiary Name,{own},Beneficiary State"
    # Alice and Dan in Michigan, Brian and Frank elsewhere, Emma without a place
    assert _counts_of(tmp_path, "beneficiaries", header, rows) == (2, 2, 1)


def test_a_beneficiary_without_an_ssn_is_not_counted_with_the_participants(tmp_path):
    _counts_of(tmp_path, "participants", *PARTICIPANTS)
    rows = ["301224455,Dan Morgan,Spouse", "302335566,Frank Ortiz,Sibling"]
    assert _counts_of(tmp_path, "beneficiaries", "participant_ssn,beneficiary_name,relationship", rows) == (
        1,
        1,
        0,
    )


@pytest.mark.parametrize("sponsor", ["employee_ssn", "ee_ssn", "member_ssn"])
def test_a_dependants_row_keeps_their_own_ssn_not_the_employees_key(tmp_path, sponsor):
    _counts_of(tmp_path, "employees", *PARTICIPANTS)
    rows = [
        "301224455,Dan,Morgan,401-55-1234",
        "301224455,Emma,Morgan,402-66-2345",
        "302335566,Frank,Keller,",
    ]
    # the dependants are people of their own (unknown residency: the table has no place), Frank holds nothing
    assert _counts_of(tmp_path, "dependents", f"{sponsor},first_name,last_name,ssn", rows) == (1, 1, 2)


@pytest.mark.parametrize(
    ("third_party", "expected"),
    [
        # a role read by its word: the reference's and the attorney's name and places are theirs
        ("reference_name,reference_state", (1, 1, 0)),
        ("ATTY_NAME,ATTY_ST", (1, 1, 0)),
        # a role of no known word: a name column whose header says more than a name, beside the applicant's own
        ("counsel_nm,counsel_st", (1, 1, 0)),
    ],
)
def test_a_third_partys_name_never_displaces_the_applicant(tmp_path, third_party, expected):
    """rental_applications(applicant_first_name, applicant_last_name, applicant_ssn, state, reference_name): Ann
    (Ohio) names a Michigan reference, Dee (Michigan) none. Until 2026-11-24 the unqualified reference_name was the
    row's subject: the reference took Ann's SSN and state, and the applicants became people of their own with no
    place (or, on Dee's row without a reference, none at all)."""
    header = f"application_id,applicant_first_name,applicant_last_name,applicant_ssn,state,{third_party}"
    rows = ["1,Ann,Avery,586-05-7027,OH,Susan Hart,MI", "2,Dee,Dunn,844-36-2626,MI,,"]
    assert _counts_of(tmp_path, "rental_applications", header, rows) == expected


def test_an_unqualified_legal_name_of_the_same_person_stays_the_subjects(tmp_path):
    """legal_name beside customer_first_name / customer_last_name names the same customer: one person."""
    header = "customer_first_name,customer_last_name,legal_name,ssn,state"
    rows = ["Ann,Avery,Ann Avery,586-05-7027,MI", "Dee,Dunn,Dee Dunn,844-36-2626,OH"]
    assert _counts_of(tmp_path, "customers", header, rows) == (1, 1, 0)


@pytest.mark.parametrize(
    "tribute",
    [
        "Honoree Name,Notify Name,Notify Address",
        "In Memory Of Name,Acknowledgee Name,Acknowledgee Address",
        "tribute_name,notify_first_name,notify_address",
    ],
)
def test_a_tribute_gifts_honoree_and_notify_person_are_not_the_donor(tmp_path, tribute):
    """A donor export writes the tribute's columns before the donor's: the honoree's name and the notify person's
    Michigan address are theirs. Until 2026-11-24 the honoree was the row's name (the first name column) and the
    notify address placed the Ohio and Florida donors in Michigan; the notification list named the honorees."""
    db = tmp_path / "db"
    db.mkdir()
    (db / "gifts.csv").write_text(
        f"Gift ID,Tribute Type,{tribute},First Name,Last Name,Address Line 1,City,State,ZIP,Card Number,Card CVV\n"
        '1,In Memory Of,Robert Brown,Ellen Brown,"12 Elm St, Lansing, MI 48910",Paul,Richards,55 High St,Columbus,'
        "OH,43215,4852111740029752,504\n"
        '2,In Honor Of,Alice Green,Tom Green,"9 Oak Ave, Detroit, MI 48201",Kristin,Ruiz,77 Bay Dr,Tampa,FL,33602,'
        "4740733688139842,916\n"
    )
    result = run_scan([str(db)], out_dir=None, options=ScanOptions())
    assert result.exposure["affected"] == {"michigan": 0, "other_states": 2, "unknown_residency": 0}
    donors = result.individuals.filter(pl.col("affected")).sort("last_name")
    assert donors.get_column("last_name").to_list() == ["Richards", "Ruiz"]
