"""People the export records as deceased are no residents (MCL 445.72(1) "each resident of this state").

By default they are counted apart (exposure.json "deceased"), and the other reading counts them (a notice to the
estate or next of kin: --count-deceased, what_if.deceased_counted). Whose death a column records is read by role,
as every other column of a row (docs/counting-rules.md section 4).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from scenario import scan, write

from detectors import deceased
from pipeline.cli import main
from pipeline.notice import decide
from pipeline.reports import notification_list
from pipeline.scan import ScanOptions, run_scan

SSN = ["287-65-4321", "301-22-4455", "452-19-8830", "212-34-5678", "213-45-6789", "214-56-7890"]
FIRST = ["John", "Mary", "Ahmed", "Li", "Rosa", "Tom"]
LAST = ["Smith", "Jones", "Khan", "Wei", "Diaz", "Ng"]
NEXT_YEAR = (dt.date.today() + dt.timedelta(days=400)).isoformat()


def _people(n: int, **columns) -> list[dict]:
    rows = []
    for i in range(n):
        row = {"first_name": FIRST[i], "last_name": LAST[i], "ssn": SSN[i], "state": "MI"}
        row.update({k: v[i] for k, v in columns.items()})
        rows.append(row)
    return rows


def _affected(exposure: dict) -> tuple[int, int, int]:
    a = exposure["affected"]
    return a["michigan"], a["other_states"], a["unknown_residency"]


def test_flags_dates_and_statuses_leave_the_deceased_out_and_the_other_reading_counts_them(tmp_path: Path):
    db = write(
        tmp_path,
        {
            "customers": _people(
                6,
                deceased_flag=["Y", "N", "", "", "", ""],
                # a future date and a placeholder are no death; a flag saying N beside a date is a conflict
                date_of_death=["", "2020-01-01", NEXT_YEAR, "1900-01-01", "", "03/04/2019"],
                vital_status=["", "", "", "", "DECEASED", "ALIVE"],
            )
        },
    )
    exp = scan(db)
    # John (flag), Rosa (vital status) died; Mary's flag says N beside a date (conflict: living); Tom's vital
    # status says ALIVE beside a date of death (conflict: living); Ahmed's date is next year, Li's a placeholder
    assert _affected(exp) == (4, 0, 0)
    assert exp["deceased"]["michigan"] == 2 and exp["deceased"]["conflicts"] == 2
    assert exp["deceased"]["recorded"] == 2
    assert exp["what_if"]["deceased_counted"] == 6
    assert exp["reading"]["deceased_counted"] is False
    assert exp["affected_michigan_by_element"]["ssn"] == 4
    kinds = {c["name"]: c["classified_as"] for c in exp["tables"][0]["columns"]}
    assert kinds["deceased_flag"] == kinds["date_of_death"] == kinds["vital_status"] == "deceased"

    counted = scan(db, count_deceased=True)
    assert _affected(counted) == (6, 0, 0)
    assert counted["reading"]["deceased_counted"] is True
    assert counted["what_if"]["deceased_counted"] == 6 and counted["deceased"]["michigan"] == 2


def test_every_reading_leaves_the_deceased_out(tmp_path: Path):
    """The what-if readings count residents too: a deceased card holder counts under none of them."""
    rows = [
        {"first_name": "Ann", "last_name": "Lee", "card_number": "4539578763621486", "cvv": "123", "st": "MI",
         "is_deceased": "true"},
        {"first_name": "Bob", "last_name": "Ray", "card_number": "5425233430109903", "cvv": "", "st": "MI",
         "is_deceased": "false"},
    ]  # fmt: skip
    exp = scan(write(tmp_path, {"cards": rows}))
    assert _affected(exp) == (0, 0, 0)
    assert exp["what_if"]["account_numbers_alone"] == 1  # Bob's card alone; Ann's is no resident's
    assert exp["what_if"]["deceased_counted"] == 1


@pytest.mark.parametrize(
    "header, values",
    [
        ("deceased_spouse_name", ["Carl Smith", "Ann Jones"]),  # a name: the spouse's, who died
        ("death_benefit_amt", ["10000", "25000"]),
        ("member_status", ["EXPIRED", "ACTIVE"]),  # a membership expires; a member does not
        ("card_status", ["EXPIRED", "EXPIRED"]),
        ("dod", ["2020-01-01", "2021-02-03"]),  # no date of birth beside it: a DoD id's or another date
        ("deceased_relative", ["Y", "Y"]),  # a relative's, not the row's person
        ("cause_of_death", ["heart", "cancer"]),
    ],
)
def test_columns_about_something_else_say_nobody_died(tmp_path: Path, header: str, values: list[str]):
    exp = scan(write(tmp_path, {"members": _people(2, **{header: values})}))
    assert _affected(exp) == (2, 0, 0)
    assert exp["deceased"]["recorded"] == 0


@pytest.mark.parametrize(
    "header, values",
    [
        ("patient_status", ["EXPIRED", "Discharged"]),  # a hospital's: the patient expired
        ("discharge_disposition", ["Expired", "Home"]),
        ("pt_dod", ["2022-07-01", ""]),  # beside a date of birth (dob below)
        ("DECD_IND", ["1", "0"]),
        ("Deceased", ["2021-05-06", ""]),  # a deceased column holding the date
        ("fecha_defuncion", ["06/05/2021", ""]),
        ("status", ["Deceased - verified", "Active"]),
        ("vital_stat", ["D", "A"]),
    ],
)
def test_death_columns_as_exports_write_them(tmp_path: Path, header: str, values: list[str]):
    exp = scan(write(tmp_path, {"patients": _people(2, **{header: values, "dob": ["1950-01-01"] * 2})}))
    assert _affected(exp) == (1, 0, 0), header
    assert exp["deceased"]["michigan"] == 1


def test_a_beneficiarys_row_carries_the_insureds_death_not_the_beneficiarys(tmp_path: Path):
    """A life policy's beneficiary is alive: insured_death_date (and an unqualified date of death in a
    beneficiaries, heirs or survivors table) records the insured's death."""
    db = write(
        tmp_path,
        {
            "beneficiaries": _people(2, insured_death_date=["2024-02-01", "2023-05-06"]),
            "survivors": [
                {
                    "first_name": "Rosa",
                    "last_name": "Diaz",
                    "ssn": SSN[4],
                    "state": "MI",
                    "date_of_death": "2022-01-01",
                }
            ],
        },
    )
    exp = scan(db)
    assert _affected(exp) == (3, 0, 0)
    assert exp["deceased"]["recorded"] == 0
    column = {c["name"]: c for c in exp["tables"][0]["columns"]}["insured_death_date"]
    assert column["classified_as"] == "other_person" and "insured" in column["evidence"]


def test_a_claims_subscribers_death_is_not_the_patients(tmp_path: Path):
    """subscriber_dod in a row whose names are the patient's: the sponsor's death (the covered patient lives)."""
    rows = _people(2, subscriber_dod=["2024-01-01", "2024-01-01"], dob=["2001-01-01", "2002-02-02"])
    assert _affected(scan(write(tmp_path, {"claims": rows}))) == (2, 0, 0)


def test_the_qualified_persons_death_is_theirs_when_the_row_names_them(tmp_path: Path):
    """A policy naming its owner and its insured: the insured's date of death is the insured's record's."""
    rows = [
        {"owner_first_name": "Ann", "owner_last_name": "Lee", "owner_ssn": SSN[0], "owner_state": "MI",
         "insured_first_name": "Bob", "insured_last_name": "Lee", "insured_ssn": SSN[1], "insured_state": "MI",
         "insured_death_date": "2024-03-03"},
    ]  # fmt: skip
    exp = scan(write(tmp_path, {"policies": rows}))
    assert _affected(exp) == (1, 0, 0)
    assert exp["deceased"]["michigan"] == 1


def test_a_spouses_death_flag_is_the_spouses(tmp_path: Path):
    rows = _people(
        1,
        spouse_first_name=["Jane"],
        spouse_last_name=["Smith"],
        spouse_ssn=[SSN[5]],
        spouse_deceased=["Y"],
    )
    exp = scan(write(tmp_path, {"tax_returns": rows}))
    assert _affected(exp) == (1, 0, 0)  # the filer; the spouse, who died, is counted apart
    assert exp["deceased"]["michigan"] == 1


def test_an_estates_decedent_is_left_out_and_the_executor_counted(tmp_path: Path):
    """A probate file names the decedent (decedent_first_name) and the executor who receives the mail."""
    rows = [
        {"decedent_first_name": "John", "decedent_last_name": "Smith", "decedent_ssn": SSN[0], "state": "MI",
         "executor_name": "Mary Smith", "executor_ssn": SSN[1], "executor_state": "MI"},
    ]  # fmt: skip
    exp = scan(write(tmp_path, {"estates": rows}))
    assert _affected(exp) == (1, 0, 0)  # the executor
    assert exp["deceased"]["michigan"] == 1


def test_a_death_in_another_table_and_a_conflicting_living_record(tmp_path: Path):
    db = write(
        tmp_path,
        {
            "customers": [{"customer_id": str(i + 1), **row} for i, row in enumerate(_people(3))],
            "deaths": [
                {"customer_id": "1", "date_of_death": "2021-01-01"},
                {"customer_id": "2", "date_of_death": "2021-01-01"},
            ],
            "crm": [{"first_name": "Mary", "last_name": "Jones", "ssn": SSN[1], "vital_status": "Living"}],
        },
    )
    exp = scan(db)
    # John's death is recorded in deaths (linked by customer_id); Mary's too, but the CRM says she lives
    assert _affected(exp) == (2, 0, 0)
    assert exp["deceased"] == {**exp["deceased"], "michigan": 1, "conflicts": 1, "recorded": 1}


def test_a_joint_holder_does_not_inherit_the_primary_holders_death(tmp_path: Path):
    """An account's deceased flag goes with the account's record to its first holder; the joint holder's copy of
    the account is what the row holds (the number, the PIN), never whether the first holder died."""
    customers = [("K1", "Kay", "King"), ("K2", "Lou", "Lane"), ("K3", "Ned", "Nash")]
    db = write(
        tmp_path,
        {
            "customers": [
                {"customer_id": k, "first_name": f, "last_name": last, "state": "MI"}
                for k, f, last in customers
            ],
            "accounts": [
                {"account_id": "AC1", "account_number": "55500012345", "pin": "1234", "deceased": "Y"},
                {"account_id": "AC2", "account_number": "55500012399", "pin": "4321", "deceased": "N"},
            ],
            "account_holders": [
                {"holder_row_id": "H1", "account_id": "AC1", "customer_id": "K1"},
                {"holder_row_id": "H2", "account_id": "AC1", "customer_id": "K2"},
                {"holder_row_id": "H3", "account_id": "AC2", "customer_id": "K3"},
            ],
        },
    )
    exp = scan(db)
    assert _affected(exp) == (2, 0, 0)  # Lou, the joint holder, and Ned
    assert exp["deceased"]["michigan"] == 1 and exp["what_if"]["deceased_counted"] == 3


def test_the_notification_list_and_the_notice_follow_the_reading(tmp_path: Path):
    db = write(tmp_path, {"customers": _people(3, deceased=["Y", "N", "N"])})
    result = run_scan([db], out_dir=None, options=ScanOptions())
    people = notification_list(result.individuals, result.exposure)
    assert sorted(people.get_column("first_name").to_list()) == ["Ahmed", "Mary"]
    assert not people.get_column("recorded_deceased").any()

    counted = run_scan([db], out_dir=None, options=ScanOptions(count_deceased=True))
    listed = notification_list(counted.individuals, counted.exposure)
    estate = listed.filter(pl.col("recorded_deceased"))
    assert estate.get_column("first_name").to_list() == ["John"]
    assert estate.get_column("notice_methods").item().startswith("recorded as deceased: to the estate")

    notice = decide(result.exposure, {"incident": {"discovered_on": "2026-11-20"}})
    assert notice["residents_to_notify"] == 2
    said = next(d for d in notice["determinations"] if d["id"] == "deceased_not_residents")
    assert said["applies"] and "3 Michigan residents" in said["reason"]


def test_the_cli_option_and_findings(tmp_path: Path):
    db = write(tmp_path, {"customers": _people(2, deceased=["Y", "N"])})
    for opts, expected in (([], 1), (["--count-deceased"], 2)):
        out = tmp_path / f"out{len(opts)}"
        ran = CliRunner().invoke(main, ["scan", str(db), "--out", str(out), "-q", *opts])
        assert ran.exit_code == 0, ran.output
        exp = json.loads((out / "exposure.json").read_text())
        assert exp["affected"]["michigan"] == expected
        findings = pl.read_parquet(out / "findings.parquet")
        assert findings.get_column("deceased").to_list().count(True) == 1
        assert "deceased-michigan" in (out / "report.html").read_text()


@pytest.mark.parametrize(
    "header, kind",
    [
        ("deceased", deceased.FLAG),
        ("is_deceased", deceased.FLAG),
        ("DeceasedFlag", deceased.FLAG),
        ("death_ind", deceased.FLAG),
        ("fallecido", deceased.FLAG),
        ("date_of_death", deceased.DATE),
        ("DT_OF_DEATH", deceased.DATE),
        ("death_dt", deceased.DATE),
        ("deceased_date", deceased.DATE),
        ("died_on", deceased.DATE),
        ("insured_death_date", deceased.DATE),
        ("vital_status", deceased.STATUS),
        ("patient_status", deceased.STATUS),
        ("deceased_spouse_name", None),
        ("death_benefit_amt", None),
        ("death_cert_no", None),
        ("life_cycle_status", None),
        ("dod_id", None),
        ("card_status", None),
    ],
)
def test_header_kinds(header: str, kind: str | None):
    assert deceased.header_kind(header, ["dob"]) == kind


def test_the_spark_engine_reads_the_same_deaths(tmp_path: Path):
    """The executors classify and evaluate the death columns (a second person's too) as the local scan does."""
    pytest.importorskip("pyspark")
    import shutil

    if not shutil.which("java"):
        pytest.skip("no Java runtime")
    from pipeline.spark import run_scan_spark, spark_session

    db = write(
        tmp_path,
        {
            "customers": [
                {"customer_id": str(i + 1), **row}
                for i, row in enumerate(_people(4, deceased_flag=["Y", "N", "", ""]))
            ],
            "deaths": [
                {"customer_id": "1", "date_of_death": "2021-01-01"},
                {"customer_id": "3", "date_of_death": "2021-01-01"},
            ],
            "tax_returns": _people(
                1,
                spouse_first_name=["Jane"],
                spouse_last_name=["Ng"],
                spouse_ssn=[SSN[5]],
                spouse_deceased=["Y"],
            ),
        },
    )
    options = ScanOptions(hash_key="test-key")
    local = run_scan([db], tmp_path / "local", options)
    session = spark_session("local[2]", "breachscan-test", {"spark.driver.memory": "2g"})
    try:
        remote = run_scan_spark([db], tmp_path / "spark", options, spark=session)
    finally:
        session.stop()
    assert local.exposure["deceased"]["michigan"] == 3  # John, Ahmed (deaths), Jane (the spouse)
    assert remote.exposure == local.exposure
    assert remote.individuals.equals(local.individuals)
    assert remote.findings.equals(local.findings)
