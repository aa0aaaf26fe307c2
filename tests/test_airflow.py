"""The Airflow 3 integration at three depths: operators' execute(), a DagBag import, and the example DAGs run by
a real Airflow (``airflow db migrate`` + ``airflow dags test``) with known SSNs planted in the input, checking
that XCom, asset events, rendered fields and task output carry counts and paths but never a raw value."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

# Airflow reads AIRFLOW_HOME when first imported: keep the test process away from any real deployment
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="breachscan-airflow-test-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
pytest.importorskip("airflow.sdk", reason="the airflow extra is not installed (pip install .[airflow])")

from airflow.sdk.exceptions import AirflowException, AirflowFailException  # noqa: E402

from pipeline.airflow.hooks import BreachScanDatabaseHook  # noqa: E402
from pipeline.airflow.operators import (  # noqa: E402
    BreachAuditOperator,
    BreachNoticeOperator,
    BreachScanOperator,
    audit_asset,
    exposure_asset,
    notice_asset,
)

ROOT = Path(__file__).resolve().parents[1]
DAGS = ROOT / "pipeline" / "airflow" / "example_dags"
AIRFLOW = Path(sys.executable).parent / "airflow"
SEED = 445_72
N = 30


FIRST = ["Ann", "Bob", "Carla", "Dmitri", "Erin", "Farid"]
LAST = ["Novak", "Okafor", "Reyes", "Schmidt", "Tanaka", "Walsh"]


def planted_people(seed: int, n: int, first: list[str] = FIRST, last: list[str] = LAST) -> pl.DataFrame:
    """Michigan residents with valid-looking SSNs; half closed accounts from 2015 (past a one-year retention)."""
    rng = np.random.default_rng(seed)
    a, g, s = rng.integers(100, 666, n), rng.integers(10, 99, n), rng.integers(1000, 9999, n)
    return pl.DataFrame(
        {
            "first_name": rng.choice(first, n).tolist(),
            "last_name": rng.choice(last, n).tolist(),
            "ssn": [f"{x:03d}-{y:02d}-{z:04d}" for x, y, z in zip(a, g, s, strict=True)],
            "state": ["MI"] * n,
            "zip": ["48104"] * n,
            "status": ["closed" if i % 2 else "active" for i in range(n)],
            "closed_on": ["2015-06-30" if i % 2 else None for i in range(n)],
        }
    )


def assert_no_ssn(text: str, ssns: list[str], where: str) -> None:
    flat = text.replace("-", "")
    leaked = sum(1 for v in ssns if v in text or v.replace("-", "") in flat)
    assert leaked == 0, f"{leaked} planted SSNs found in {where}"


def assert_no_names(text: str) -> None:
    found = [name for name in FIRST + LAST if name in text]
    assert not found, f"names in XCom: {found}"


@pytest.fixture
def people(tmp_path: Path) -> tuple[Path, list[str]]:
    frame = planted_people(SEED, N)
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "customers.csv"
    frame.write_csv(path)
    return path, frame["ssn"].to_list()


def incident_file(folder: Path) -> Path:
    path = folder / "incident.yaml"
    path.write_text(
        yaml.safe_dump({"entity": {"type": "business"}, "incident": {"discovered_on": "2026-11-20"}})
    )
    return path


def audit_config(folder: Path, source: Path, name: str = "crm") -> Path:
    path = folder / "audit.yaml"
    cfg = {
        "name": name,
        "sources": [str(source)],
        "output_dir": str(folder / "audit-out"),
        "retention": {"customers": {"status_column": "status", "removed_values": ["closed"]}},
    }
    path.write_text(yaml.safe_dump(cfg))
    return path


# ---------------------------------------------------------------- depth 1: execute() called directly


def test_scan_and_notice_operators_execute(tmp_path, people):
    from airflow.sdk.execution_time.context import OutletEventAccessors

    source, ssns = people
    out = tmp_path / "scan"
    scan = BreachScanOperator(task_id="scan", inputs=[str(source)], out_dir=str(out))
    assert scan.outlets == [exposure_asset(out)]
    events = OutletEventAccessors()
    summary = scan.execute({"outlet_events": events})
    assert summary["affected"] == {"michigan": N, "other_states": 0, "unknown_residency": 0}
    assert summary["affected_michigan_by_element"]["ssn"] == N
    assert summary["tables"] == 1 and summary["unreadable"] == 0
    assert Path(summary["exposure_path"]) == out / "exposure.json" and (out / "exposure.json").is_file()
    assert events[exposure_asset(out)].extra == {"affected": summary["affected"], "tables": 1}
    listed = Path(summary["notification_list_path"])
    assert listed == out / "notification_list.csv"
    assert listed.stat().st_mode & 0o777 == 0o600  # owner-only: it holds names and addresses
    assert pl.read_csv(listed).height == N
    assert_no_ssn(json.dumps(summary), ssns, "scan XCom")
    assert_no_names(json.dumps(summary))

    notice = BreachNoticeOperator(
        task_id="notice",
        exposure_path=summary["exposure_path"],
        incident_path=str(incident_file(tmp_path)),
        out_dir=str(tmp_path / "notice"),
    )
    assert notice.outlets == [notice_asset(tmp_path / "notice")]
    decision = notice.execute({})
    assert decision["statute"] == "MCL 445.72"
    assert decision["security_breach"] is True
    assert decision["residents_to_notify"] == N
    assert decision["notices"]["residents"] is True
    assert json.loads(Path(decision["notice_path"]).read_text())["residents_to_notify"] == N
    assert decision["notification_list_path"] == str(listed)  # the scan's list, handed on by path
    assert_no_ssn(json.dumps(decision), ssns, "notice XCom")
    assert_no_names(json.dumps(decision))

    missing = tmp_path / "data" / "no_such_export.csv"
    strict = BreachScanOperator(
        task_id="scan",
        inputs=[str(source), str(missing)],
        out_dir=str(tmp_path / "s2"),
        fail_on_unreadable=True,
    )
    with pytest.raises(AirflowException, match="1 input.s. could not be read: .*no_such_export.csv"):
        strict.execute({})
    assert (tmp_path / "s2" / "exposure.json").is_file()  # the outputs are written before failing


def test_audit_operator_execute(tmp_path, people):
    source, ssns = people
    config = audit_config(tmp_path, source)
    lenient = BreachAuditOperator(task_id="audit", config_path=str(config), fail_on_violation=False)
    summary = lenient.execute({})
    assert summary["exit_code"] == 1 and summary["status"] == "violation"
    assert summary["totals"]["past_retention_with_elements"] == N // 2
    assert summary["totals"]["unredacted"] == N
    assert Path(summary["reports"]["markdown"]).is_file()
    assert_no_ssn(json.dumps(summary), ssns, "audit XCom")

    strict = BreachAuditOperator(task_id="audit", config_path=str(config))
    with pytest.raises(AirflowFailException, match="policy violation"):
        strict.execute({})

    broken = tmp_path / "broken.yaml"
    broken.write_text(
        yaml.safe_dump({"sources": [str(source)], "output_dir": str(tmp_path / "o"), "colour": 1})
    )
    with pytest.raises(AirflowException, match="colour"):
        BreachAuditOperator(task_id="audit", config_path=str(broken)).execute({})


def test_hook_builds_uri_from_connection_and_never_logs_the_password(monkeypatch, caplog):
    secret = "pa:ss/w0rd@x"
    monkeypatch.setenv(
        "AIRFLOW_CONN_BREACHSCAN_HOOK_TEST",
        json.dumps(
            {
                "conn_type": "postgres",
                "host": "db.internal",
                "port": 5433,
                "login": "auditor",
                "password": secret,
                "schema": "crm",
            }
        ),
    )
    caplog.set_level(logging.DEBUG)
    hook = BreachScanDatabaseHook("breachscan_hook_test")
    assert hook.get_uri() == "postgresql://auditor:pa%3Ass%2Fw0rd%40x@db.internal:5433/crm"
    assert hook.get_masked_uri() == "postgresql://auditor@db.internal:5433/crm"
    assert secret not in caplog.text and "pa%3Ass" not in caplog.text

    monkeypatch.setenv("AIRFLOW_CONN_BREACHSCAN_HOOK_FTP", json.dumps({"conn_type": "ftp", "host": "h"}))
    with pytest.raises(ValueError, match="not a database breachscan reads"):
        BreachScanDatabaseHook("breachscan_hook_ftp").get_uri()


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# trust authentication ignores the password, so a made-up one shows where a real one would travel
FAKE_PASSWORD = "n0t-a-real-Secret"


@pytest.fixture
def live_database():
    """A throwaway PostgreSQL database with one customers table of planted people (other names than the CSV's)."""
    psycopg = pytest.importorskip("psycopg")
    db = f"breachscan_af_{uuid.uuid4().hex[:10]}"
    frame = planted_people(
        SEED + 1, N, ["Gwen", "Hamid", "Ines", "Jorge"], ["Kowalski", "Lindqvist", "Moreau"]
    )
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"create database {db}")
    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db}", autocommit=True) as conn:
            conn.execute(
                "create table customers (first_name text, last_name text, ssn text, state text, zip text)"
            )
            with conn.cursor().copy("copy customers from stdin") as copy:
                for row in frame.select("first_name", "last_name", "ssn", "state", "zip").iter_rows():
                    copy.write_row(row)
        conn_json = json.dumps(
            {
                "conn_type": "postgres",
                "host": "127.0.0.1",
                "port": 5432,
                "login": "postgres",
                "password": FAKE_PASSWORD,
                "schema": db,
            }
        )
        yield conn_json, frame["ssn"].to_list()
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"drop database if exists {db} with (force)")


def test_scan_operator_reads_a_live_database_through_a_connection(
    monkeypatch, caplog, tmp_path, live_database
):
    conn_json, ssns = live_database
    monkeypatch.setenv("AIRFLOW_CONN_BREACHSCAN_PG_TEST", conn_json)
    caplog.set_level(logging.DEBUG)
    op = BreachScanOperator(task_id="scan", conn_id="breachscan_pg_test", out_dir=str(tmp_path / "scan"))
    summary = op.execute({})
    assert summary["affected"]["michigan"] == N
    assert summary["tables"] == 1 and summary["unreadable"] == 0
    text = json.dumps(summary) + caplog.text + (tmp_path / "scan" / "exposure.json").read_text()
    assert FAKE_PASSWORD not in text
    assert_no_ssn(text, ssns, "scan XCom, logs and exposure.json")


# ---------------------------------------------------------------- depth 2: the DAG files import


def test_example_dags_import_without_errors(monkeypatch, tmp_path, people):
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:  # Airflow < 3.1 kept it in airflow.models
        from airflow.models.dagbag import DagBag

    source, _ = people
    config = audit_config(tmp_path, source)
    monkeypatch.setenv("BREACHSCAN_INCIDENT_OUT", str(tmp_path / "incident"))
    monkeypatch.setenv("BREACHSCAN_AUDIT_CONFIG", str(config))
    bag = DagBag(dag_folder=str(DAGS))  # examples are off: AIRFLOW__CORE__LOAD_EXAMPLES above
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == {"breachscan_incident_response", "breachscan_weekly_audit"}
    incident = bag.dags["breachscan_incident_response"]
    assert set(incident.task_ids) == {"scan", "notice", "hand_to_mail"}
    assert incident.get_task("scan").outlets == [exposure_asset(tmp_path / "incident" / "scan")]
    assert incident.get_task("notice").upstream_task_ids == {"scan"}
    assert incident.get_task("hand_to_mail").upstream_task_ids == {"notice"}
    audit = bag.dags["breachscan_weekly_audit"]
    assert audit.get_task("audit").outlets == [audit_asset(tmp_path / "audit-out")]


# ---------------------------------------------------------------- depth 3: a real Airflow runs the DAGs


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    home = tmp_path_factory.mktemp("airflow_home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{home / 'airflow.db'}",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    done = subprocess.run(
        [str(AIRFLOW), "db", "migrate"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return home, env


def dags_test(env: dict[str, str], dag_id: str) -> str:
    done = subprocess.run(
        [str(AIRFLOW), "dags", "test", dag_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=env["AIRFLOW_HOME"],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def metadata(home: Path, dag_id: str) -> tuple[str, dict[tuple[str, str], object], str]:
    """(final state of the DAG run, XCom values by (task, key), every stored text that could leak a value)."""
    with sqlite3.connect(home / "airflow.db") as db:
        state = db.execute(
            "select state from dag_run where dag_id = ? order by id desc limit 1", (dag_id,)
        ).fetchone()[0]
        # the JSON column comes back as text, or as a number when SQLite's type affinity converted it
        xcoms = {
            (t, k): json.loads(v) if isinstance(v, (str, bytes)) else v
            for t, k, v in db.execute("select task_id, key, value from xcom where dag_id = ?", (dag_id,))
        }
        stored = [str(v) for (v,) in db.execute("select value from xcom where dag_id = ?", (dag_id,))]
        stored += [
            str(v)
            for (v,) in db.execute(
                "select rendered_fields from rendered_task_instance_fields where dag_id = ?", (dag_id,)
            )
        ]
        stored += [str(v) for (v,) in db.execute("select extra from asset_event")]
    return state, xcoms, "\n".join(stored)


def test_incident_response_dag_end_to_end(airflow_home, tmp_path, people, live_database):
    """A CSV export plus a live database reached through an Airflow connection (credentials never in the DAG)."""
    home, env = airflow_home
    source, csv_ssns = people
    conn_json, db_ssns = live_database
    ssns = csv_ssns + db_ssns
    out = tmp_path / "incident"
    env = {
        **env,
        "AIRFLOW_CONN_BREACHSCAN_INCIDENT_DB": conn_json,
        "BREACHSCAN_INCIDENT_CONN_ID": "breachscan_incident_db",
        "BREACHSCAN_INCIDENT_INPUTS": str(source),
        "BREACHSCAN_INCIDENT_FILE": str(incident_file(tmp_path)),
        "BREACHSCAN_INCIDENT_OUT": str(out),
    }
    output = dags_test(env, "breachscan_incident_response")
    state, xcoms, stored = metadata(home, "breachscan_incident_response")
    assert state == "success"
    scan = xcoms[("scan", "return_value")]
    assert scan["tables"] == 2 and scan["unreadable"] == 0
    assert scan["affected"]["michigan"] == 2 * N
    assert scan["exposure_path"] == str(out / "scan" / "exposure.json")
    notice = xcoms[("notice", "return_value")]
    assert notice["residents_to_notify"] == 2 * N and notice["notices"]["residents"] is True
    mail = xcoms[("hand_to_mail", "return_value")]
    listed = out / "scan" / "notification_list.csv"
    assert mail == {"residents_to_notify": 2 * N, "notification_list_path": str(listed)}
    assert pl.read_csv(listed).height == 2 * N and listed.stat().st_mode & 0o777 == 0o600
    assert json.loads((out / "notice" / "notice.json").read_text())["residents_to_notify"] == 2 * N
    with sqlite3.connect(home / "airflow.db") as db:
        extras = db.execute(
            "select e.extra from asset_event e join asset a on a.id = e.asset_id where a.uri = ?",
            (exposure_asset(out / "scan").uri,),
        ).fetchall()
    # data-aware DAGs see the scan: one asset event, carrying counts
    assert [json.loads(e)["affected"]["michigan"] for (e,) in extras] == [2 * N]
    assert_no_ssn(stored, ssns, "XCom / rendered fields / asset events")
    assert_no_ssn(output, ssns, "task output")
    assert_no_names(stored)
    assert FAKE_PASSWORD not in stored + output


def test_weekly_audit_dag_end_to_end(airflow_home, tmp_path, people):
    home, env = airflow_home
    source, ssns = people
    config = audit_config(tmp_path, source, name="weekly")
    env = {**env, "BREACHSCAN_AUDIT_CONFIG": str(config), "BREACHSCAN_AUDIT_FAIL_ON_VIOLATION": "false"}
    output = dags_test(env, "breachscan_weekly_audit")
    state, xcoms, stored = metadata(home, "breachscan_weekly_audit")
    assert state == "success"
    audit = xcoms[("audit", "return_value")]
    assert audit["exit_code"] == 1 and audit["status"] == "violation"
    assert audit["totals"]["past_retention_with_elements"] == N // 2
    latest = Path(audit["reports"]["latest_json"])
    assert latest == tmp_path / "audit-out" / "audit-latest.json" and latest.is_file()
    assert_no_ssn(stored, ssns, "XCom / rendered fields / asset events")
    assert_no_ssn(output, ssns, "task output")
    assert_no_ssn(latest.read_text() + Path(audit["reports"]["markdown"]).read_text(), ssns, "audit reports")
