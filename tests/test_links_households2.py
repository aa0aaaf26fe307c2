"""A household's rows in one table (MCL 445.72(1) counts residents of this state): an X12 834-style eligibility
extract holds the subscriber's row and each dependant's row, sharing the subscriber's id, and only the subscriber's
row gives the address. A dependant with no address of their own lives at the subscriber's; one with their own
address lives there; each stays a person of their own."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest
from scenario import affected, scan

COLUMNS = [
    "SUBSCR_ID",
    "MBR_SFX",
    "REL_CD",
    "FIRST_NM",
    "LAST_NM",
    "SSN",
    "DOB",
    "ADDR1",
    "CITY",
    "ST",
    "ZIP",
]
LANSING = ("12 Elm St", "Lansing", "MI", "48933")
TOLEDO = ("40 Oak Ave", "Toledo", "OH", "43604")
DETROIT = ("9 Pine Rd", "Detroit", "MI", "48201")
COLUMBUS = ("77 College Ave", "Columbus", "OH", "43210")
BLANK = ("", "", "", "")


def ssns(n: int, seed: int = 834) -> list[str]:
    """n distinct SSA-valid SSN shapes (area 001-665 without 000, group and serial not zero), fixed seed."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        out.add(f"{rng.randint(101, 665):03d}-{rng.randint(10, 99):02d}-{rng.randint(1000, 9999):04d}")
    return sorted(out)


def family_rows(codes: dict[str, str]) -> list[tuple]:
    """Three families: the Lees in Michigan (subscriber, spouse, child without an address), the Foxes in Ohio
    (subscriber, child without an address), the Rays in Michigan (subscriber, and a child at college in Ohio with
    an address of their own). `codes`: the relationship codes for self, spouse and child."""
    people = [
        ("W100200301", "00", "self", "Ann", "Lee", "1980-02-03", LANSING),
        ("W100200301", "01", "spouse", "Bob", "Lee", "1979-05-06", BLANK),
        ("W100200301", "02", "child", "Cy", "Lee", "2010-07-08", BLANK),
        ("W100200302", "00", "self", "Di", "Fox", "1975-01-01", TOLEDO),
        ("W100200302", "01", "child", "Eve", "Fox", "2005-03-03", BLANK),
        ("W100200303", "00", "self", "Gus", "Ray", "1970-01-01", DETROIT),
        ("W100200303", "01", "child", "Hal", "Ray", "2004-01-01", COLUMBUS),
    ]
    numbers = ssns(len(people))
    return [
        (fam, sfx, codes[role], first, last, numbers[i], dob, *place)
        for i, (fam, sfx, role, first, last, dob, place) in enumerate(people)
    ]


def eligibility(base: Path, codes: dict[str, str], name: str = "eligibility") -> Path:
    db = base / "db"
    db.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(family_rows(codes), schema=COLUMNS, orient="row").write_csv(db / f"{name}.csv")
    return db


X12 = {"self": "18", "spouse": "01", "child": "19"}
LETTERS = {"self": "S", "spouse": "SP", "child": "CH"}


@pytest.mark.parametrize("codes", [X12, LETTERS, {"self": "Subscriber", "spouse": "Spouse", "child": "DEP"}])
def test_dependants_without_an_address_live_at_the_subscribers(tmp_path: Path, codes: dict[str, str]):
    """Bob and Cy (blank address) live at Ann's Michigan address, Eve at Di's Ohio address; Hal's own Ohio
    address is his (the subscriber's Michigan address does not outweigh it). Until 2026-11-25 the three
    dependants without an address were of unknown residency."""
    exp = scan(eligibility(tmp_path, codes))
    assert affected(exp) == (4, 3, 0)
    link = next(k for k in exp["links"] if k["from"] == "eligibility.SUBSCR_ID")
    assert link["to"] == "eligibility.SUBSCR_ID" and link["household"] and link["used_for_residency"]


def test_each_dependant_stays_a_person_of_their_own_with_the_households_address(tmp_path: Path):
    """Seven rows, seven people (nobody merged into the subscriber), and the notice goes to a dependant at the
    subscriber's address; nothing but the place comes across (each keeps their own SSN)."""
    from pipeline.scan import ScanOptions, run_scan

    result = run_scan([str(eligibility(tmp_path, X12))], out_dir=None, options=ScanOptions())
    people = result.individuals.sort("first_name")
    assert people.height == 7
    places = {
        r["first_name"]: (r["address"], r["state"], r["residency"]) for r in people.iter_rows(named=True)
    }
    assert places["Bob"] == ("12 Elm St", "MI", "michigan")
    assert places["Eve"] == ("40 Oak Ave", "OH", "other")
    assert places["Hal"] == ("77 College Ave", "OH", "other")
    # one SSN per individual: the subscriber's number is not copied to the dependants
    ssn_rows = result.records.filter(pl.col("ssn_value").is_not_null())
    per_person = ssn_rows.group_by("individual").agg(pl.col("ssn_value").n_unique().alias("n"))
    assert per_person.get_column("n").max() == 1 and per_person.height == 7


def test_a_dependant_row_and_its_subscriber_in_another_order_and_with_integer_codes(tmp_path: Path):
    """A Parquet extract (relationship codes as integers, 1 for 01) with the dependants' rows before their
    subscriber's: the family key, not the order of the rows, says whose address it is."""
    rows = list(reversed(family_rows(X12)))
    frame = pl.DataFrame(rows, schema=COLUMNS, orient="row").with_columns(pl.col("REL_CD").cast(pl.Int64))
    db = tmp_path / "db"
    db.mkdir()
    frame.write_parquet(db / "eligibility.parquet")
    assert affected(scan(db)) == (4, 3, 0)


def test_a_dependant_whose_subscriber_row_is_missing_stays_unknown(tmp_path: Path):
    """Rows whose family key matches no self row (the subscriber's row is not in the extract) place nobody."""
    rows = [r for r in family_rows(X12) if not (r[0] == "W100200301" and r[2] == "18")]
    db = tmp_path / "db"
    db.mkdir()
    pl.DataFrame(rows, schema=COLUMNS, orient="row").write_csv(db / "eligibility.csv")
    # Bob and Cy unknown; Eve at Di's; Hal at his own; Di and Gus at their own
    assert affected(scan(db)) == (1, 3, 2)


def test_a_key_shared_by_many_families_is_no_family_key(tmp_path: Path):
    """The employer group's policy number (GROUP_POLICY_NO) is on every family's rows: a dependant is not placed at
    the address of whichever subscriber comes first under it."""
    frame = (
        pl.DataFrame(family_rows(X12), schema=COLUMNS, orient="row")
        .drop("SUBSCR_ID")
        .with_columns(pl.lit("GP0042").alias("GROUP_POLICY_NO"))
    )
    db = tmp_path / "db"
    db.mkdir()
    frame.write_csv(db / "eligibility.csv")
    assert affected(scan(db)) == (2, 2, 3)


def test_without_a_self_code_the_words_other_and_employee_place_nobody(tmp_path: Path):
    """A relationship column that names no spouse, child or dependant (Employee / Other) is no household's: the
    Other rows without an address stay of unknown residency."""
    codes = {"self": "Employee", "spouse": "Other", "child": "Other"}
    assert affected(scan(eligibility(tmp_path, codes))) == (2, 2, 3)


@pytest.fixture(scope="module")
def spark():
    """A local[2] Spark session for this module's engine comparison (skipped without pyspark or Java)."""
    pytest.importorskip("pyspark")
    import os
    import shutil

    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and not shutil.which("java"):
        if os.environ.get("CI") == "true":
            pytest.fail("Spark tests need Java under CI")
        pytest.skip("no Java runtime")
    from pipeline.spark import spark_session

    session = spark_session("local[2]", "breachscan-test", {"spark.driver.memory": "2g"})
    yield session
    session.stop()


def test_the_spark_engine_places_the_dependants_as_the_local_scan_does(spark, tmp_path: Path):
    """The Spark driver holds no rows: the family's key on the members' rows and on the subscriber's is made by
    the executors (here in slices of three rows, so a family is split across tasks) and joined there, giving the
    same exposure, records and individuals as the local scan."""
    from pipeline.scan import ScanOptions, run_scan
    from pipeline.spark import run_scan_spark
    from pipeline.tables import ROW

    options = ScanOptions(hash_key="test-spark-key")
    for codes in (X12, LETTERS):
        db = eligibility(tmp_path / codes["self"], codes)
        local = run_scan([db], None, options)
        remote = run_scan_spark([db], None, options, spark=spark, rows_per_task=3)
        assert affected(local.exposure) == (4, 3, 0)
        assert remote.exposure == local.exposure
        order = ["table", ROW]
        assert remote.records.sort(order).equals(local.records.sort(order))
        assert remote.individuals.equals(local.individuals)
        assert remote.findings.equals(local.findings)


def test_a_second_persons_relationship_is_not_the_rows_own(tmp_path: Path):
    """A claim row is the subscriber's (with their address) and names its patient, whose relationship to the
    subscriber patient_relationship gives: the patient's table (co_subjects) follows the subscriber, and the
    claim rows are not a family's rows linked to each other by subscriber_id."""
    db = tmp_path / "db"
    db.mkdir()
    (db / "claims.csv").write_text(
        "claim_id,subscriber_id,subscriber_first_name,subscriber_last_name,subscriber_ssn,subscriber_state,"
        "subscriber_zip,patient_first_name,patient_last_name,patient_relationship,patient_ssn\n"
        "CLM1,700001,Helen,Price,455-10-2231,MI,48906,Owen,Price,CHILD,212-34-5678\n"
        "CLM2,700002,Ray,Stone,512-33-9087,OH,43604,Ivy,Stone,SPOUSE,301-22-4455\n"
        "CLM3,700001,Helen,Price,455-10-2231,MI,48906,Helen,Price,SELF,\n"
    )
    exp = scan(db)
    assert not [k for k in exp["links"] if k["from"] == k["to"]]
