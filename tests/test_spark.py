"""The Spark engine gives the same scan as the local one: exposure, records and findings.

A local[2] session is started once for the module (about 15 s). Without Java the tests are skipped visibly,
except under CI=true, where a missing Java is a failure: CI must run them.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipeline.scan import ScanOptions, run_scan
from pipeline.tables import ROW

# py4j logs "Closing down clientserver connection" from __del__ after pytest closed its streams
logging.getLogger("py4j").setLevel(logging.WARNING)

pytest.importorskip("pyspark")

ROOT = Path(__file__).resolve().parent.parent
KEY = "test-spark-key"


def _java_missing() -> str | None:
    if os.environ.get("JAVA_HOME") and Path(os.environ["JAVA_HOME"], "bin", "java").exists():
        return None
    return None if shutil.which("java") else "no Java runtime (java not on PATH, JAVA_HOME unset)"


@pytest.fixture(scope="session")
def spark():
    reason = _java_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Spark tests need Java under CI: {reason}")
        pytest.skip(f"Spark tests skipped: {reason}")
    from pipeline.spark import spark_session

    session = spark_session("local[2]", "breachscan-test", {"spark.driver.memory": "2g"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """A multi-table export: the shared fixture when it exists, else one generated with a fixed seed."""
    shared = ROOT / "data_fixtures" / "multi_table"
    if shared.is_dir() and any(shared.iterdir()):
        return shared
    from benchmarks.synth import generate

    return generate(tmp_path_factory.mktemp("multi"), 1000, seed=11).folder


def _same(local, remote) -> None:
    assert remote.exposure == local.exposure
    order = ["table", ROW]
    assert remote.records.sort(order).equals(local.records.sort(order))
    assert remote.individuals.equals(local.individuals)
    assert remote.findings.equals(local.findings)


def test_spark_scan_equals_local_scan(spark, database, tmp_path):
    from pipeline.spark import run_scan_spark

    options = ScanOptions(hash_key=KEY)
    local = run_scan([database], tmp_path / "local", options)
    remote = run_scan_spark([database], tmp_path / "spark", options, spark=spark)
    assert local.exposure["affected"]["michigan"] > 0  # the comparison is of a scan that found something
    assert len(local.exposure["links"]) > 0
    _same(local, remote)
    for name in ("exposure.json", "findings.parquet"):  # the same bytes, however the rows were made
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_tables_split_into_row_ranges_give_the_same_scan(spark, database, tmp_path):
    from pipeline.spark import run_scan_spark

    options = ScanOptions(hash_key=KEY)
    local = run_scan([database], None, options)
    largest = max(t["rows"] for t in local.exposure["tables"])
    # the largest table is read as three row ranges, evaluated apart and merged on the driver
    remote = run_scan_spark([database], None, options, spark=spark, rows_per_task=largest // 3 + 1)
    _same(local, remote)


def test_the_reduce_runs_on_the_engine(spark, database, tmp_path, monkeypatch):
    """Link discovery's measures, the link rows' joins, identity resolution and the findings' keyed hashes come
    from the executors, which take the records from job 2: the driver's own versions are never called, and the
    scan is still the local scan (row ranges too, so values meet across slices)."""
    from pipeline import exposure, individuals, links
    from pipeline.spark import run_scan_spark

    options = ScanOptions(hash_key=KEY)
    local = run_scan([database], None, options)

    def on_the_driver(*args, **kwargs):
        raise AssertionError("ran on the driver")

    monkeypatch.setattr(links, "measure_keys", on_the_driver)
    monkeypatch.setattr(links, "match_rows", on_the_driver)
    monkeypatch.setattr(individuals, "individuals_of", on_the_driver)
    monkeypatch.setattr(exposure, "build_findings", on_the_driver)
    import pipeline.spark as engine

    taken = []  # the executors take the records from job 2: the driver sends their places only
    from_job2 = engine._records_from_job2
    monkeypatch.setattr(
        engine, "_records_from_job2", lambda sdf, job2: taken.append(1) or from_job2(sdf, job2)
    )
    largest = max(t["rows"] for t in local.exposure["tables"])
    remote = run_scan_spark([database], None, options, spark=spark, rows_per_task=largest // 2 + 1)
    assert len(remote.exposure["links"]) > 0 and taken == [1]
    _same(local, remote)


@pytest.mark.parametrize("links_file", ["multi_table_links_add.yaml", "multi_table_links_remove.yaml"])
def test_configured_links_give_the_same_scan(spark, links_file):
    """Links added or removed by a links file: the added link's coverage is measured on the driver from the key
    columns it keeps for configured links, every other key value stays on the executors."""
    from pipeline.spark import run_scan_spark

    options = ScanOptions(hash_key=KEY, links_file=ROOT / "data_fixtures" / links_file)
    database = ROOT / "data_fixtures" / "multi_table"
    local = run_scan([database], None, options)
    assert any(k["source"] == "declared" for k in local.exposure["links"]) or "remove" in links_file
    _same(local, run_scan_spark([database], None, options, spark=spark))


def test_declared_links_to_a_column_that_is_no_key_candidate_and_composite_keys(spark, tmp_path):
    """A foreign key declared in a dump that references a column link discovery never takes as a key (a phone)
    is followed on Spark as here (the referenced table's key values were not kept: coverage 0, no rows joined,
    two affected people lost); and a composite key is one key on both engines."""
    from test_dumps import COMPOSITE_KEY_SQL

    from pipeline.spark import run_scan_spark

    (tmp_path / "shop.sql").write_text(
        "CREATE TABLE customers (phone varchar(20) PRIMARY KEY, first_name varchar(50), last_name varchar(50),"
        " state varchar(2));\n"
        "CREATE TABLE orders (order_id varchar(10) PRIMARY KEY, customer_phone varchar(20) REFERENCES"
        " customers(phone), card_number varchar(20), cvv varchar(4));\n"
        "INSERT INTO customers VALUES ('517-555-0101','Ann','Lee','MI'), ('517-555-0102','Bob','Ray','MI');\n"
        "INSERT INTO orders VALUES ('O1','517-555-0101','4539148803436467','123'),"
        " ('O2','517-555-0102','5555341244441115','456');\n"
    )
    (tmp_path / "regions.sql").write_text(COMPOSITE_KEY_SQL.replace("customers", "clients"))
    options = ScanOptions(hash_key=KEY)
    local = run_scan([tmp_path], None, options)
    assert local.exposure["affected"]["michigan"] == 3  # Ann, Bob; Cara of region E (Bob Baker is in Ohio)
    _same(local, run_scan_spark([tmp_path], None, options, spark=spark, person_buckets=2))


def test_a_composite_key_named_in_a_links_file(spark, tmp_path):
    """CSV exports declare no keys: a links file names the composite key (region+cust_no), which both engines
    join as one key (each part alone would give Bob's card, customer W/1, to Alice, customer E/1)."""
    from pipeline.spark import run_scan_spark

    db = tmp_path / "db"
    db.mkdir()
    pl.DataFrame(
        {
            "region": ["E", "W", "E", "W"],
            "cust_no": ["1", "1", "2", "2"],
            "first_name": ["Alice", "Bob", "Cara", "Dan"],
            "last_name": ["Ames", "Baker", "Cole", "Drew"],
            "state": ["MI", "OH", "MI", "OH"],
        }
    ).write_csv(db / "clients.csv")
    pl.DataFrame(
        {
            "pay_id": ["1", "2"],
            "region": ["W", "E"],
            "cust_no": ["1", "02"],  # a leading zero: each part is compared as a key value
            "card_number": ["4532015112830366", "4000123456789017"],
            "cvv": ["123", "456"],
        }
    ).write_csv(db / "payments.csv")
    config = tmp_path / "links.yaml"
    config.write_text(
        "links:\n  add:\n    - {from: payments.region+cust_no, to: clients.region+cust_no}\n"
        "  remove:\n    - {from: payments.cust_no, to: clients.cust_no}\n"
    )
    options = ScanOptions(hash_key=KEY, links_file=config)
    local = run_scan([db], None, options)
    assert [(k.from_column, k.source) for k in local.links if k.from_table == "payments"] == [
        ("region+cust_no", "declared")
    ]
    assert local.exposure["affected"] == {"michigan": 1, "other_states": 1, "unknown_residency": 0}
    _same(local, run_scan_spark([db], None, options, spark=spark, person_buckets=2))


def test_a_file_given_twice_is_read_once_by_both_engines(spark, tmp_path):
    """The same file named twice (or also inside a folder given) is one source: its rows counted once."""
    from pipeline.spark import run_scan_spark

    people = tmp_path / "people.csv"
    people.write_text("first_name,last_name,ssn,state\nAnn,Lee,287-65-4321,MI\nBob,Ray,301-22-4455,MI\n")
    options = ScanOptions(hash_key=KEY)
    local = run_scan([people, people, tmp_path], None, options)
    assert [t["rows"] for t in local.exposure["tables"]] == [2]
    assert local.records.height == 2
    _same(local, run_scan_spark([people, people, tmp_path], None, options, spark=spark))


def test_key_value_tables_are_read_by_entity_on_both_engines(spark, tmp_path):
    """A key-value table is read as one row per entity by the executors too, and a row range of it is the same
    rows each time it is read (pipeline/key_value.py)."""
    from pipeline.spark import run_scan_spark

    rows = ["id,customer_id,attr_name,attr_value"]
    names = [
        ("Ann", "Lee", "287-65-4321", "MI"),
        ("Bob", "Ray", "301-22-4455", "OH"),
        ("Cy", "Dunn", "XXX-XX-1", "MI"),
    ]
    names += [("Di", "Fox", "412-33-5566", "MI"), ("Ed", "Gray", "523-44-6677", "MI")]
    for i, (first, last, ssn, state) in enumerate(names, 1):
        for attr, value in (("first_name", first), ("last_name", last), ("ssn", ssn), ("state", state)):
            rows.append(f"{len(rows)},{i},{attr},{value}")
    (tmp_path / "customer_attributes.csv").write_text("\n".join(rows) + "\n")
    options = ScanOptions(hash_key=KEY)
    local = run_scan([tmp_path], None, options)
    assert local.exposure["affected"]["michigan"] == 3  # Ann, Di, Ed; Cy's SSN is redacted, Bob is in Ohio
    _same(local, run_scan_spark([tmp_path], None, options, spark=spark, rows_per_task=2))


def test_json_objects_and_lists_of_people_are_read_by_both_engines(spark, tmp_path):
    """A beneficiary object's fields and a list of dependants read as a table of its own (pipeline/documents.py)
    on the executors too, its row ranges the same rows each time."""
    import json

    from pipeline.spark import run_scan_spark

    rows = ["emp_id,first_name,last_name,ssn,state,beneficiary,dependents"]
    people = [
        ("Rick", "Stone", "034-02-3820", "MI"),
        ("Nina", "Park", "029-68-9687", "MI"),
        ("Owen", "Gray", "", "OH"),
    ]
    ssns = iter(["203-84-8098", "056-60-3180", "334-01-8116", "412-33-5566", "523-44-6677", "634-55-7788"])
    for i, (first, last, ssn, state) in enumerate(people, 1):
        bene = json.dumps({"name": f"Bea {last}", "ssn": next(ssns)})
        deps = json.dumps(
            [{"first_name": ["Ella", "Finn"][k], "last_name": last, "ssn": next(ssns)} for k in range(i - 1)]
        )
        rows.append(
            ",".join(
                [
                    str(i),
                    first,
                    last,
                    ssn,
                    state,
                    '"' + bene.replace('"', '""') + '"',
                    '"' + deps.replace('"', '""') + '"',
                ]
            )
        )
    (tmp_path / "employees.csv").write_text("\n".join(rows) + "\n")
    options = ScanOptions(hash_key=KEY)
    local = run_scan([tmp_path], None, options)
    assert {t["name"] for t in local.exposure["tables"]} >= {
        "employees (dependents)",
        "employees (beneficiary)",
    }
    _same(local, run_scan_spark([tmp_path], None, options, spark=spark, rows_per_task=2))


def test_a_qualified_table_name_classifies_as_on_the_executors(spark, tmp_path):
    """Two files named accounts (rewards/, checking/): the executors classify before the tables are qualified, so
    classification reads the table's own name on both engines (until 2026-11-24 the local scan read
    'rewards/accounts' as a rewards table, Spark 'accounts' as a bank's: 1 against 3 residents)."""
    from pipeline.spark import run_scan_spark

    head = "member_id,first_name,last_name,account_number,pin,state\n"
    (tmp_path / "rewards").mkdir()
    (tmp_path / "checking").mkdir()
    (tmp_path / "rewards" / "accounts.csv").write_text(
        head + "1,Ann,Lee,123456789012,4321,MI\n2,Bob,Ray,223456789013,9876,MI\n"
    )
    (tmp_path / "checking" / "accounts.csv").write_text(head + "1,Cy,Dunn,323456789014,1111,MI\n")
    options = ScanOptions(hash_key=KEY)
    local = run_scan([tmp_path], None, options)
    alone = run_scan([tmp_path / "rewards"], None, options)
    assert local.exposure["affected"]["michigan"] == alone.exposure["affected"]["michigan"] + 1
    _same(local, run_scan_spark([tmp_path], None, options, spark=spark))


def test_the_parts_of_a_split_file_are_one_table_on_both_engines(spark, tmp_path):
    """customers_part1.csv + a headerless customers_part2.csv, a split address history, and the same parts in a zip:
    one table each, read by one task, sliced across the parts' seam, counted as the whole file
    (tests/test_split_parts.py)."""
    import zipfile

    from test_split_parts import WHOLE, _split_files, _write

    from pipeline.spark import run_scan_spark

    files = _split_files(headers_on_later_parts=False)
    _write(tmp_path / "export", files)
    with zipfile.ZipFile(tmp_path / "archived.zip", "w") as zf:
        for name, text in files.items():  # one entry per member
            zf.writestr(f"db/{name}", text)
    options = ScanOptions(hash_key=KEY)
    for source in (tmp_path / "export", tmp_path / "archived.zip"):  # a folder, an archive
        local = run_scan([source], None, options)
        assert local.exposure["affected"] == WHOLE
        assert sorted(t["name"] for t in local.exposure["tables"]) == ["address_history", "candidates"]
        _same(local, run_scan_spark([source], None, options, spark=spark, rows_per_task=3))


def test_a_claims_patient_takes_the_subscribers_residency_on_both_engines(spark, tmp_path):
    """The derived patient table carries the claim's subscriber_id (co_subjects), linked on the engine too."""
    from test_co_subjects import (
        test_a_claims_patient_lives_where_the_subscriber_referenced_by_the_claim_lives as case,
    )

    from pipeline.spark import run_scan_spark

    case(tmp_path)  # writes tmp_path/db and checks the local counts
    options = ScanOptions(hash_key=KEY)
    _same(
        run_scan([tmp_path / "db"], None, options),
        run_scan_spark([tmp_path / "db"], None, options, spark=spark),
    )


def test_a_deals_parties_are_each_their_own_on_both_engines(spark, tmp_path):
    """A credit application's CO-BUYER rows and a co-applicant's SSN without a name (co_subjects: party-role rows
    and keys marked by the role) join the deal's co-buyer on the engine as locally."""
    from test_co_subjects import (
        test_a_co_applicants_ssn_without_their_name_is_the_referenced_rows_co_applicant as nameless,
    )
    from test_co_subjects import test_a_co_buyers_credit_application_row_is_the_co_buyers as roles

    from pipeline.spark import run_scan_spark

    roles(tmp_path / "roles")  # writes <dir>/db and checks the local counts
    nameless(tmp_path / "nameless")
    options = ScanOptions(hash_key=KEY)
    for db in (tmp_path / "roles" / "db", tmp_path / "nameless" / "db"):
        _same(run_scan([db], None, options), run_scan_spark([db], None, options, spark=spark))


def test_residency_chains_organisations_and_lease_parties_on_both_engines(spark, tmp_path):
    """Residency chains (composed from each reference's matched rows), organisation rows and a second person's
    own reference (matched on the source table's rows) give the same scan on the engine (test_links_hops)."""
    from test_links_hops import test_a_business_customers_address_is_not_its_cardholders_home as company
    from test_links_hops import test_a_lease_gives_the_tenant_their_ssn_and_the_guarantor_theirs as lease
    from test_links_hops import test_a_tenant_lives_at_the_property_of_the_unit_leased as chain

    from pipeline.spark import run_scan_spark

    options = ScanOptions(hash_key=KEY)
    for name, case in (("chain", chain), ("company", company), ("lease", lease)):
        case(tmp_path / name)  # writes <dir>/db and checks the local counts
        db = tmp_path / name / "db"
        _same(run_scan([db], None, options), run_scan_spark([db], None, options, spark=spark))


def test_second_people_in_a_row_are_built_by_the_executors(spark, tmp_path):
    """Spouse, joint holder and beneficiary columns become their own people in Spark as locally (co_subjects):
    the driver holds key columns only, so the executors build and classify the derived tables, a spouse's own
    beneficiary too, in row ranges too; two files of one stem give qualified parent names."""
    from pipeline.spark import run_scan_spark

    ssns = ["287-65-4321", "301-22-4455", "452-19-8830", "512-34-7788", "623-45-1290", "134-56-7891"]
    returns = pl.DataFrame(
        {
            "first_name": ["John", "Ann", "Bob"],
            "last_name": ["Smith", "Lee", "Stone"],
            "ssn": ssns[:3],
            "state": ["MI", "OH", "MI"],
            "spouse_first_name": ["Jane", "", "Eve"],
            "spouse_last_name": ["Smith", "", "Stone"],
            "spouse_ssn": [ssns[3], "", ssns[4]],
            "beneficiary_first_name": ["Carl", "", ""],
            "beneficiary_last_name": ["Roe", "", ""],
            "beneficiary_ssn": [ssns[5], "", ""],
            # the spouse's own beneficiary: a second person of a second person (the local queue finds it)
            "spouse_beneficiary_first_name": ["Dora", "", ""],
            "spouse_beneficiary_last_name": ["Finch", "", ""],
            "spouse_beneficiary_ssn": ["345-67-8912", "", ""],
        }
    )
    accounts = pl.DataFrame(
        {
            "first_name": ["Mia", "Ned"],
            "last_name": ["Kay", "Orr"],
            "joint_first_name": ["Liz", ""],
            "joint_last_name": ["Kay", ""],
            "account_number": ["123456789012", "223456789013"],
            "pin": ["4321", "9876"],
            "zip": ["48933", "43004"],
        }
    )
    for folder in ("a", "b"):
        (tmp_path / "db" / folder).mkdir(parents=True)
        returns.write_csv(tmp_path / "db" / folder / "tax_returns.csv")
    accounts.write_csv(tmp_path / "db" / "a" / "accounts.csv")
    returns.head(1).write_csv(tmp_path / "db" / "a" / "q1: returns.csv")  # ": " in a table name
    options = ScanOptions(hash_key=KEY)
    local = run_scan([tmp_path / "db"], None, options)
    names = {t["name"] for t in local.exposure["tables"]}
    assert {
        "a/tax_returns (spouse)",
        "a/tax_returns (beneficiary)",
        "a/tax_returns (spouse) (beneficiary)",
        "accounts (joint)",
        "q1: returns (spouse)",
    } <= names
    assert local.exposure["affected"]["michigan"] >= 5  # filers, spouses and joint holders of Michigan rows
    for rows_per_task in (1_000_000, 2):  # whole tables, and derived tables read as row ranges
        remote = run_scan_spark([tmp_path / "db"], None, options, spark=spark, rows_per_task=rows_per_task)
        _same(local, remote)
        assert not any(
            "not evaluated as their own record" in w for t in remote.exposure["tables"] for w in t["warnings"]
        )


def test_names_unreadables_and_selection_follow_the_local_scan(spark, database, tmp_path):
    """Two files with one stem get qualified names; broken files are reported in the same order; --exclude."""
    from pipeline.spark import run_scan_spark

    folder = tmp_path / "export"
    (folder / "branch").mkdir(parents=True)
    customers = next(p for p in sorted(Path(database).iterdir()) if p.name.startswith("customers"))
    shutil.copy(customers, folder / "customers.csv")
    head = pl.read_csv(customers, infer_schema=False).head(500)
    with gzip.open(folder / "branch" / "customers.csv.gz", "wb") as fh:
        head.write_csv(fh)
    (folder / "empty.csv").write_bytes(b"")
    (folder / "image.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "orders_skip.csv").write_text("order_id,amount\n1,2\n")
    inputs = [folder, tmp_path / "does-not-exist.csv"]
    options = ScanOptions(hash_key=KEY, exclude=["orders_*"])
    local = run_scan(inputs, None, options)
    remote = run_scan_spark(inputs, None, options, spark=spark)
    names = [t["name"] for t in local.exposure["tables"]]
    assert names == ["customers", "branch/customers"]
    assert len(local.exposure["unreadable"]) == 3
    _same(local, remote)


@pytest.mark.parametrize(
    "selection", [{"exclude": ["customers_part1.csv"]}, {"include": ["customers_part2.csv", "orders*"]}]
)
def test_include_and_exclude_match_the_parts_of_a_split_file_as_the_local_scan_does(
    spark, tmp_path, selection
):
    """A pattern matches a part of a split file by its own file name (sources.select_files); one part left is still
    the table customers, in the executors' second job too (FileGroup.name travels with the task)."""
    from pipeline.spark import run_scan_spark

    header = "customer_id,first_name,last_name,ssn,state"
    rows = [f"{i},Ann{i},Lee,287-65-43{i:02d},MI" for i in range(1, 7)]
    (tmp_path / "customers_part1.csv").write_text("\n".join([header, *rows[:3]]) + "\n")
    (tmp_path / "customers_part2.csv").write_text("\n".join([header, *rows[3:]]) + "\n")
    (tmp_path / "orders.csv").write_text("order_id,customer_id\n1,4\n")
    options = ScanOptions(hash_key=KEY, **selection)
    local = run_scan([tmp_path], None, options)
    remote = run_scan_spark([tmp_path], None, options, spark=spark)
    assert [(t["name"], t["rows"]) for t in local.exposure["tables"]] == [("customers", 3), ("orders", 1)]
    _same(local, remote)


def test_database_uris_are_refused_with_a_masked_uri(spark):
    from pipeline.spark import run_scan_spark

    with pytest.raises(ValueError) as err:
        run_scan_spark(["postgresql://scanner:secret@127.0.0.1:5432/shop"], None, ScanOptions(), spark=spark)
    assert "secret" not in str(err.value)
    assert "local engine" in str(err.value)


@pytest.mark.parametrize(
    "master, cores", [("local", 1), ("local[4]", 4), ("local[3,2]", 3), ("local[*]", os.cpu_count() or 1)]
)
def test_a_local_session_shuffles_into_partitions_for_its_cores(master, cores):
    from pipeline.spark import _local_cores

    assert _local_cores(master) == cores


def test_a_failing_bucket_names_the_error_type_and_no_value():
    """Job 3's function raises with the exception's type only: polars' messages can quote the values."""
    import pyarrow as pa

    from pipeline.spark import _bucket_in, _resolve_bucket

    schema = _bucket_in()
    rows = {f.name: [None] for f in schema}
    rows.update(kind=["records"], bucket=[0], __row=[0], ssn_value=["287-65-4321"], has_name=[True])
    table = pa.table(rows, schema=schema).set_column(
        schema.get_field_index("__record"),
        "__record",
        pa.array(["287-65-4321"]),  # a value where a number goes
    )
    with pytest.raises(RuntimeError) as caught:
        _resolve_bucket(table, [], b"key")
    assert "287-65-4321" not in str(caught.value) and "Error" in str(caught.value)


def test_the_command_line_runs_spark_with_its_bucket_count(spark, database, tmp_path):
    """`breachscan scan --engine spark --person-buckets 3` gives the local scan's exposure; the option is refused
    without the Spark engine."""
    from click.testing import CliRunner

    from pipeline.cli import main

    env = {"BREACHSCAN_HASH_KEY": KEY}
    local = CliRunner().invoke(
        main, ["scan", str(database), "--out", str(tmp_path / "l"), "--quiet"], env=env
    )
    remote = CliRunner().invoke(
        main,
        ["scan", str(database), "--out", str(tmp_path / "s"), "--quiet"]
        + ["--engine", "spark", "--master", "local[2]", "--person-buckets", "3"],
        env=env,
    )
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert (tmp_path / "s" / "exposure.json").read_bytes() == (tmp_path / "l" / "exposure.json").read_bytes()
    refused = CliRunner().invoke(
        main, ["scan", str(database), "--out", str(tmp_path / "x"), "--person-buckets", "3"]
    )
    assert refused.exit_code == 2 and "--engine spark" in refused.output
