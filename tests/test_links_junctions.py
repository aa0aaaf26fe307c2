"""Where a person lives, read through a junction table (MCL 445.72(1) counts residents of this state; 445.63(p)
"linked to"): PowerSchool's contact addresses PERSON <- PERSONADDRESSASSOC -> PERSONADDRESS, the association's own
row id that is no reference, its end dates, and a student contact's lives-with flag."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from scenario import counts, scan, write

# (first, last, street, city, ZIP, current?) per address of each person; a person may have several
PEOPLE = [
    ("Karen", "Nowak", [("118 E Front St", "Monroe", "48161", True)]),
    ("Miguel", "Reyes", [("22 Cherry Ln", "Toledo", "43623", True), ("9 Oak Dr", "Monroe", "48161", False)]),
    ("Tina", "Reyes", [("400 Secor Rd", "Toledo", "43623", True)]),
    ("Bob", "Vance", [("77 Main St", "Angola", "46703", True)]),
    (
        "Lena",
        "Fisher",
        [("5 Elm Ct", "Ypsilanti", "48197", True), ("31 Lake Rd", "Fort Wayne", "46802", False)],
    ),
    ("Omar", "Haddad", [("640 Park Ave", "Dearborn", "48126", True)]),
    ("Rosa", "Garcia", [("18 Bay St", "Sandusky", "44870", True), ("3 Pine St", "Adrian", "49221", False)]),
    ("Ian", "Shaw", [("210 River Rd", "Saline", "48176", True)]),
]
# truth: where each lives now (445.72(1)); a former address places nobody who has a current one
MICHIGAN = 4  # Karen, Lena, Omar, Ian (Miguel and Rosa left Michigan in 2022)
OTHER = len(PEOPLE) - MICHIGAN
LICENCES = [f"N{5123340987760 + 7919 * i}" for i in range(len(PEOPLE))]


def powerschool(assoc_ids: list[int], seed: int) -> dict[str, list[dict]]:
    """PERSON, PERSONADDRESS (ids 1..n, in a shuffled order), PERSONADDRESSASSOC with the given own row ids (in the
    order of the people's addresses) and VOLUNTEERS holding each contact's licence number."""
    rng = random.Random(seed)
    person = [
        {"ID": str(9001 + i), "FIRSTNAME": f, "LASTNAME": last, "DCID": str(i + 1)}
        for i, (f, last, _) in enumerate(PEOPLE)
    ]
    places = [(i, a) for i, (_, _, addresses) in enumerate(PEOPLE) for a in addresses]
    address_ids = list(range(1, len(places) + 1))
    rng.shuffle(address_ids)
    address = sorted(
        (
            {
                "PERSONADDRESSID": str(aid),
                "STREET": street,
                "LINETWO": "",
                "CITY": city,
                "STATESCODESETID": str(rng.choice([21, 35, 14])),  # a code set's id, not a state
                "POSTALCODE": zip_code,
            }
            for aid, (_, (street, city, zip_code, _)) in zip(address_ids, places, strict=True)
        ),
        key=lambda r: int(r["PERSONADDRESSID"]),
    )
    assoc = [
        {
            "PERSONADDRESSASSOCID": str(own),
            "PERSONID": str(9001 + i),
            "PERSONADDRESSID": str(aid),
            "ADDRESSTYPECODESETID": "101",
            "ADDRESSPRIORITYORDER": "1" if current else "2",
            "STARTDATE": "2015-01-01" if current else "2008-01-01",
            "ENDDATE": "" if current else "2022-12-31",
        }
        for own, aid, (i, (_, _, _, current)) in zip(assoc_ids, address_ids, places, strict=True)
    ]
    volunteers = [
        {
            "VOLUNTEER_ID": str(i + 1),
            "PERSONID": str(9001 + i),
            "ICHAT_DATE": "2025-08-15",
            "DL_NUMBER": LICENCES[i],
            "CLEARED": "Y",
        }
        for i in range(len(PEOPLE))
    ]
    return {"PERSON": person, "PERSONADDRESS": address, "PERSONADDRESSASSOC": assoc, "VOLUNTEERS": volunteers}


def n_places() -> int:
    return sum(len(a) for _, _, a in PEOPLE)


def link(exp: dict, source: str) -> dict | None:
    return next((k for k in exp["links"] if k["from"] == source), None)


def test_the_association_row_id_is_no_reference_to_the_address(tmp_path: Path):
    """The association's own ids 1..n fall among the address ids (shuffled, as a real table's are): its row id is
    the key others reference, never a reference out of it while PERSONADDRESSID names the address table (until
    2026-11-25 PERSONADDRESSASSOCID was followed to PERSONADDRESS and contacts took other people's addresses)."""
    rng = random.Random(7)
    own = list(range(1, n_places() + 1))
    rng.shuffle(own)
    exp = scan(write(tmp_path, powerschool(own, seed=7)))
    assert link(exp, "PERSONADDRESSASSOC.PERSONADDRESSASSOCID") is None
    assert link(exp, "PERSONADDRESS.PERSONADDRESSID") is None  # nor the other way round
    assert link(exp, "PERSONADDRESSASSOC.PERSONADDRESSID")["used_for_residency"]
    a = exp["affected"]
    assert (a["michigan"], a["other_states"], a["unknown_residency"]) == (MICHIGAN, OTHER, 0)


def test_a_person_address_junction_is_the_persons_address_history(tmp_path: Path):
    """PERSON <- PERSONADDRESSASSOC(PERSONID, PERSONADDRESSID, ENDDATE) -> PERSONADDRESS: the association says the
    address is the person's; a row whose ENDDATE passed is a former address (weak evidence, as an address
    history's). Until 2026-11-25 every contact was of unknown residency."""
    own = [501 + k for k in range(n_places())]  # no overlap with the address ids
    db = write(tmp_path, powerschool(own, seed=11))
    exp = scan(db)
    assert link(exp, "PERSONADDRESSASSOC.PERSONADDRESSID")["used_for_residency"]
    a = exp["affected"]
    # Miguel (Monroe until 2022, Toledo now), Lena (Ypsilanti now) and Rosa (Adrian until 2022) where they live now
    assert (a["michigan"], a["other_states"], a["unknown_residency"]) == (MICHIGAN, OTHER, 0)


def test_a_work_address_association_places_nobody(tmp_path: Path):
    """The same junction to a table of work addresses (PERSONWORKADDRESS) says where people work, not where they
    live: no residency."""
    tables = powerschool([501 + k for k in range(n_places())], seed=3)
    tables["PERSONWORKADDRESS"] = [
        {("PERSONWORKADDRESSID" if k == "PERSONADDRESSID" else k): v for k, v in r.items()}
        for r in tables.pop("PERSONADDRESS")
    ]
    tables["PERSONWORKADDRESSASSOC"] = [
        {("PERSONWORKADDRESSID" if k == "PERSONADDRESSID" else k): v for k, v in r.items()}
        for r in tables.pop("PERSONADDRESSASSOC")
    ]
    assert counts(write(tmp_path, tables)) == (0, 0, len(PEOPLE))


def student_contacts(lives_with: list[str]) -> dict[str, list[dict]]:
    """STUDENTS with their addresses, PERSON (contacts, Michigan students' parents with blank addresses),
    STUDENTCONTACTASSOC(STUDENTDCID, PERSONID, LIVESWITH) and VOLUNTEERS with each contact's licence."""
    students = [
        ("5001", "Ethan", "Nowak", "118 E Front St", "Monroe", "MI", "48161"),
        ("5002", "Lily", "Reyes", "22 Cherry Ln", "Temperance", "MI", "48182"),
        ("5003", "Noah", "Haddad", "640 Park Ave", "Dearborn", "MI", "48126"),
    ]
    contacts = [
        ("9001", "Karen", "Nowak", "", "", "", "", "5001", "Mother"),
        ("9002", "Miguel", "Reyes", "", "", "", "", "5002", "Father"),
        ("9003", "Tina", "Reyes", "400 Secor Rd", "Toledo", "OH", "43623", "5002", "Mother"),
        ("9004", "Omar", "Haddad", "", "", "", "", "5003", "Father"),
    ]
    return {
        "STUDENTS": [
            {
                "DCID": d,
                "STUDENT_NUMBER": str(200000 + k),
                "LAST_NAME": last,
                "FIRST_NAME": first,
                "GRADE_LEVEL": str(4 + k),
                "STREET": st,
                "CITY": city,
                "STATE": state,
                "ZIP": z,
            }
            for k, (d, first, last, st, city, state, z) in enumerate(students)
        ],
        "PERSON": [
            {
                "PERSONID": pid,
                "FIRSTNAME": first,
                "LASTNAME": last,
                "EMAIL": f"{first.lower()}{k}@example.com",
                "HOME_STREET": st,
                "HOME_CITY": city,
                "HOME_STATE": state,
                "HOME_ZIP": z,
            }
            for k, (pid, first, last, st, city, state, z, _, _) in enumerate(contacts)
        ],
        "STUDENTCONTACTASSOC": [
            {
                "STUDENTCONTACTASSOCID": str(k + 1),
                "STUDENTDCID": sdc,
                "PERSONID": pid,
                "RELATIONSHIP": rel,
                "ISCUSTODIAL": "1",
                "LIVESWITH": flag,
            }
            for k, ((pid, *_, sdc, rel), flag) in enumerate(zip(contacts, lives_with, strict=True))
        ],
        "VOLUNTEERS": [
            {"VOLUNTEER_ID": str(k + 1), "PERSONID": c[0], "DL_NUMBER": LICENCES[k], "CLEARED": "Y"}
            for k, c in enumerate(contacts)
        ],
    }


def test_a_contact_who_lives_with_the_student_takes_the_students_address(tmp_path: Path):
    """LIVESWITH = 1: Karen and Miguel live with their Michigan students (PowerSchool leaves a contact's address
    blank when it is the student's); Tina (LIVESWITH = 0) lives in Toledo by her own address; Omar's flag is blank:
    nothing is inferred, he stays of unknown residency (until 2026-11-25 the flag was not read: 0, 1, 3)."""
    exp = scan(write(tmp_path, student_contacts(["1", "1", "0", ""])))
    a = exp["affected"]
    assert (a["michigan"], a["other_states"], a["unknown_residency"]) == (2, 1, 1)
    assert link(exp, "STUDENTCONTACTASSOC.STUDENTDCID")["household"]


def test_a_contact_not_living_with_the_student_is_not_placed_there(tmp_path: Path):
    """LIVESWITH = 0 for everybody: the students' addresses are nobody's but the students'."""
    assert counts(write(tmp_path, student_contacts(["0", "0", "0", "N"]))) == (0, 1, 3)


def test_a_junction_and_a_lives_with_flag_give_the_same_counts_on_spark(tmp_path: Path):
    """The Spark engine's driver holds no table frames: the decisions come from the classes and key profiles, the
    end dates and flags from the records its executors make."""
    pytest.importorskip("pyspark")
    import shutil

    if not shutil.which("java"):
        pytest.skip("no Java runtime")
    from pipeline.scan import ScanOptions, run_scan
    from pipeline.spark import run_scan_spark, spark_session

    rng = random.Random(5)
    own = list(range(1, n_places() + 1))
    rng.shuffle(own)
    exports = [
        write(tmp_path / "ps", powerschool(own, seed=5)),
        write(tmp_path / "sis", student_contacts(["1", "1", "0", ""])),
    ]
    options = ScanOptions(hash_key="test-junction-key")
    from pyspark.sql import SparkSession

    shared = SparkSession.getActiveSession()  # test_spark's session when run beside it: not stopped here
    session = shared or spark_session("local[2]", "breachscan-junctions", {"spark.driver.memory": "2g"})
    try:
        for db in exports:  # one entry per export
            local = run_scan([db], None, options)
            remote = run_scan_spark([db], None, options, spark=session)
            assert local.exposure["affected"]["unknown_residency"] <= 1
            assert remote.exposure == local.exposure
            assert remote.individuals.equals(local.individuals)
    finally:
        if shared is None:
            session.stop()
