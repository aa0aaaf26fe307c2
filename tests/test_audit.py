"""The 445.72a audit end to end: real scans of a small synthetic table, run twice with a change in between."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from pipeline.audit import EXIT_CLEAN, EXIT_ERROR, EXIT_VIOLATION, load_config, run_audit

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SEED = 20261123
PG_URL = "postgresql://postgres@127.0.0.1:5432/breachscan_test"


def ssns(rng: np.random.Generator, n: int) -> list[str]:
    # area 100-665, group 10-98, serial 1000-9998: always valid, never 000/666/9xx
    a, g, s = rng.integers(100, 666, n), rng.integers(10, 99, n), rng.integers(1000, 9999, n)
    return [f"{x:03d}-{y:02d}-{z:04d}" for x, y, z in zip(a, g, s, strict=True)]


def customers(seed: int, n: int, start: int = 0) -> pl.DataFrame:
    """Michigan customers; a third closed long ago (past a 365-day retention), some closed recently."""
    rng = np.random.default_rng(seed)
    first = ["James", "Mary", "Robert", "Patricia", "John", "Linda", "Michael", "Barbara"]
    last = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis"]
    kind = rng.choice(["active", "closed_old", "closed_recent"], n, p=[0.5, 0.3, 0.2])
    old = [f"20{rng.integers(12, 20)}-0{rng.integers(1, 10)}-1{rng.integers(0, 10)}" for _ in range(n)]
    recent = [f"2026-{rng.integers(6, 11):02d}-0{rng.integers(1, 10)}" for _ in range(n)]
    return pl.DataFrame(
        {
            "customer_id": [f"C{i:06d}" for i in range(start, start + n)],
            "first_name": rng.choice(first, n).tolist(),
            "last_name": rng.choice(last, n).tolist(),
            "ssn": ssns(rng, n),
            "city": ["Lansing"] * n,
            "state": ["MI"] * n,
            "zip": ["48933"] * n,
            "status": ["active" if k == "active" else "closed" for k in kind],
            "closed_on": [
                None if k == "active" else (o if k == "closed_old" else r)
                for k, o, r in zip(kind, old, recent, strict=True)
            ],
        }
    )


def past_retention(frame: pl.DataFrame) -> int:
    """Independent reading of the rule in the config below: status closed AND closed more than 365 days ago."""
    cutoff = date(2025, 11, 23)
    return sum(
        1
        for s, c in zip(frame["status"], frame["closed_on"], strict=True)
        if s == "closed" and c is not None and date.fromisoformat(c) < cutoff
    )


def write_config(folder: Path, history: str | None = None, name: str = "crm", **extra) -> Path:
    cfg = {
        "name": name,
        "sources": ["data/customers.csv"],
        "output_dir": "out",
        "retention": {
            "customers": {
                "status_column": "status",
                "removed_values": ["closed"],
                "date_column": "closed_on",
                "max_age_days": 365,
            }
        },
        **extra,
    }
    if history:
        cfg["history"] = history
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, pl.DataFrame]:
    (tmp_path / "data").mkdir()
    frame = customers(SEED, 60)
    frame.write_csv(tmp_path / "data" / "customers.csv")
    return tmp_path, frame


def no_raw_values(text: str, values: list[str]) -> None:
    digits = text.replace("-", "")
    leaked = [v for v in values if v in text or v.replace("-", "") in digits]
    assert not leaked, f"{len(leaked)} raw SSNs in the output"


def test_two_runs_report_new_columns_growth_and_fixed_findings(workspace):
    folder, frame = workspace
    config = write_config(folder)
    first = run_audit(config, now=NOW)

    n_past = past_retention(frame)
    assert n_past > 0
    assert first.exit_code == EXIT_VIOLATION
    table = first.summary["tables"]["customers"]
    assert table["rows"] == 60
    assert table["columns"]["ssn"]["classified_as"] == "ssn"
    assert table["columns"]["ssn"]["unredacted"] == 60
    assert table["retention"]["past_retention"] == n_past
    assert table["retention"]["past_retention_with_elements"] == n_past
    assert table["retention"]["past_retention_by_element"] == {"ssn:unredacted": n_past}
    ids = {f["id"]: f for f in first.summary["findings"]}
    assert ids["past_retention:customers"]["count"] == n_past
    assert "MCL 445.72a(1)" in ids["past_retention:customers"]["citation"]
    assert ids["unredacted:customers.ssn"]["severity"] == "warning"
    assert "MCL 445.63(r)" in ids["unredacted:customers.ssn"]["action"]
    assert "MCL 445.63(g)" in ids["unredacted:customers.ssn"]["action"]
    assert first.summary["changes"] == {"previous_run": None}
    assert "MCL 445.72a(1)" in first.report_md and "destroy" in first.report_md.lower()

    # between runs: 20 more customers with SSNs, and a new column holding SSNs (taxpayer IDs)
    extra = customers(SEED + 1, 20, start=60)
    grown = pl.concat([frame, extra]).with_columns(
        tax_id=pl.Series(ssns(np.random.default_rng(SEED + 2), 80))
    )
    grown.write_csv(folder / "data" / "customers.csv")
    second = run_audit(config, now=NOW)

    n_past2 = past_retention(grown)
    ch = second.summary["changes"]
    assert second.exit_code == EXIT_VIOLATION
    assert ch["previous_run"]["run_id"] == first.summary["run_id"]
    assert ch["new_pi_columns"] == [
        {"table": "customers", "column": "tax_id", "classified_as": "ssn", "unredacted": 80}
    ]
    growth = {(c["table"], c["column"]): c["unredacted"] for c in ch["columns"]}
    assert growth[("customers", "ssn")] == {"before": 60, "after": 80, "change": 20, "change_pct": 33.3}
    assert growth[("customers", "tax_id")] == {"before": 0, "after": 80, "change": 80, "change_pct": None}
    assert ch["totals"]["unredacted"] == {"before": 60, "after": 160, "change": 100, "change_pct": 166.7}
    assert ch["totals"]["past_retention_with_elements"]["after"] == n_past2
    assert {f["id"] for f in ch["new_findings"]} == {"unredacted:customers.tax_id"}
    assert ch["fixed_findings"] == []
    assert "customers.tax_id (ssn)" in second.report_md

    # the records past retention are destroyed and the tax_id column dropped: both findings are fixed
    kept = grown.filter(
        ~((pl.col("status") == "closed") & (pl.col("closed_on").str.to_date() < date(2025, 11, 23)))
    ).drop("tax_id")
    kept.write_csv(folder / "data" / "customers.csv")
    third = run_audit(config, now=NOW)
    ch3 = third.summary["changes"]
    assert third.exit_code == EXIT_CLEAN
    assert {f["id"] for f in ch3["fixed_findings"]} == {
        "past_retention:customers",
        "unredacted:customers.tax_id",
    }
    assert ch3["removed_pi_columns"] == [{"table": "customers", "column": "tax_id", "classified_as": "ssn"}]
    assert third.summary["tables"]["customers"]["retention"]["past_retention_with_elements"] == 0

    # reports and history hold counts and names only, never a raw SSN
    planted = grown["ssn"].to_list() + grown["tax_id"].to_list()
    out = folder / "out"
    for report in [*out.glob("audit-*.md"), *out.glob("audit-*.json")]:
        no_raw_values(report.read_text(encoding="utf-8"), planted)
    with sqlite3.connect(out / "audit-history.sqlite") as db:
        dump = "\n".join(db.iterdump())
        runs = db.execute("select count(*) from breachscan_audit_runs").fetchone()[0]
    assert runs == 3
    no_raw_values(dump, planted)
    latest = json.loads((out / "audit-latest.json").read_text())
    assert latest["run_id"] == third.summary["run_id"]


def test_unredacted_policy_fail_is_a_violation(workspace):
    folder, frame = workspace
    recent_only = frame.filter(pl.col("status") == "active")
    recent_only.write_csv(folder / "data" / "customers.csv")
    assert run_audit(write_config(folder), now=NOW).exit_code == EXIT_CLEAN
    strict = write_config(folder, name="crm-strict", policy={"unredacted_elements": "fail"})
    result = run_audit(strict, now=NOW)
    assert result.exit_code == EXIT_VIOLATION
    assert [f["id"] for f in result.summary["findings"] if f["severity"] == "violation"] == [
        "unredacted:customers.ssn"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"retention": {"customers": {"date_column": "closed_on"}}}, "retention.customers.max_age_days"),
        (
            {"retention": {"customers": {"status_column": "no_such_column", "removed_values": ["x"]}}},
            "no_such_column",
        ),
        (
            {"retention": {"accounts": {"status_column": "status", "removed_values": ["x"]}}},
            "retention.accounts",
        ),
        ({"colour": "blue"}, "colour: unknown key"),
        ({"sources": []}, "sources"),
        ({"scan_options": {"no_such_option": 1}}, "scan_options"),
    ],
)
def test_configuration_errors_exit_2_and_name_the_field(workspace, change, message):
    folder, _ = workspace
    config = write_config(folder)
    cfg = yaml.safe_load(config.read_text())
    cfg.update(change)
    config.write_text(yaml.safe_dump(cfg))
    result = run_audit(config, now=NOW)
    assert result.exit_code == EXIT_ERROR
    assert any(message in e for e in result.summary["errors"]), result.summary["errors"]


def test_error_runs_are_not_the_baseline(workspace):
    folder, _ = workspace
    config = write_config(folder)
    first = run_audit(config, now=NOW)
    (
        folder / "data" / "customers.csv"
    ).unlink()  # the table is gone: the retention rule names a missing table
    assert run_audit(config, now=NOW).exit_code == EXIT_ERROR
    customers(SEED, 60).write_csv(folder / "data" / "customers.csv")
    third = run_audit(config, now=NOW)
    assert third.summary["changes"]["previous_run"]["run_id"] == first.summary["run_id"]


def _postgres_ready() -> bool:
    try:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3
        ) as c:
            if not c.execute("select 1 from pg_database where datname = 'breachscan_test'").fetchone():
                c.execute("create database breachscan_test")
        return True
    except Exception:  # noqa: BLE001
        return False


def test_history_in_postgresql(workspace):
    if not _postgres_ready():
        pytest.fail("PostgreSQL at 127.0.0.1:5432 is required for the shared history store test")
    import sqlalchemy as sa

    folder, frame = workspace
    name = f"crm-{uuid.uuid4().hex[:12]}"  # other test runs may share the database
    config = write_config(folder, history=PG_URL, name=name)
    first = run_audit(config, now=NOW)
    extra = customers(SEED + 5, 10, start=60)
    pl.concat([frame, extra]).write_csv(folder / "data" / "customers.csv")
    second = run_audit(config, now=NOW)
    assert first.exit_code == second.exit_code == EXIT_VIOLATION
    assert second.summary["changes"]["previous_run"]["run_id"] == first.summary["run_id"]
    ssn_growth = [c for c in second.summary["changes"]["columns"] if c["column"] == "ssn"]
    assert ssn_growth[0]["unredacted"]["change"] == 10
    engine = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/breachscan_test")
    with engine.begin() as conn:
        rows = conn.execute(
            sa.text(
                "select c.unredacted from breachscan_audit_columns c join breachscan_audit_runs r using (run_id) "
                "where r.audit_name = :n and c.column_name = 'ssn' order by r.run_id"
            ),
            {"n": name},
        ).scalars()
        assert list(rows) == [60, 70]
        ids = "(select run_id from breachscan_audit_runs where audit_name = :n)"
        for t in ("breachscan_audit_columns", "breachscan_audit_tables", "breachscan_audit_findings"):
            conn.execute(sa.text(f"delete from {t} where run_id in {ids}"), {"n": name})
        conn.execute(sa.text("delete from breachscan_audit_runs where audit_name = :n"), {"n": name})
    engine.dispose()


def test_example_config_loads():
    root = Path(__file__).resolve().parents[1]
    config = load_config(root / "configs" / "audit.example.yaml")
    assert config.name == "crm-weekly"
    assert config.sources == (str(root / "exports" / "crm"),)  # relative to the config file's folder
    assert config.history == "sqlite:///" + str(root / "audit-out" / "crm" / "audit-history.sqlite")
    rules = {r.table: r for r in config.retention}
    assert rules["customers"].removed_values == ("closed", "deleted") and rules["customers"].combine == "all"
    assert rules["applications"].max_age_days == 730


def test_audit_writes_the_same_findings_without_the_findings_frame(workspace):
    """The audit's scan hashes and writes findings.parquet a slice at a time (it never reads the findings frame):
    the file holds the same findings as a scan that builds the whole frame, with the same key."""
    from pipeline.scan import ScanOptions, run_scan

    folder, frame = workspace
    run_audit(write_config(folder, scan_options={"hash_key": "k-audit"}), now=NOW)
    audited = pl.read_parquet(folder / "out" / "scan" / "findings.parquet")
    whole = run_scan(
        [str(folder / "data" / "customers.csv")],
        out_dir=folder / "whole",
        options=ScanOptions(hash_key=b"k-audit", findings_frame=True),
    )
    assert whole.findings is not None and whole.findings.height == frame.height
    assert audited.sort("individual_id", "element").equals(whole.findings.sort("individual_id", "element"))
