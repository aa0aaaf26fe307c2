"""Weekly data-minimisation audit under MCL 445.72a: records past retention that still hold personal
information, unredacted element columns, and the change since last week.

Settings come from the environment of the Airflow components:

- BREACHSCAN_AUDIT_CONFIG               the audit YAML (see docs/audit.md and configs/audit.example.yaml)
- BREACHSCAN_AUDIT_FAIL_ON_VIOLATION    "true" (default): a policy violation fails the task, so the usual
                                        failure alerts fire; "false": the task succeeds and XCom holds the status

The audit's latest report is declared as an Asset (audit-latest.json in the config's output folder), so a
reporting DAG can run whenever a new audit lands.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import DAG

from pipeline.airflow.operators import BreachAuditOperator, audit_asset
from pipeline.audit import AuditConfigError, load_config

CONFIG = os.environ.get("BREACHSCAN_AUDIT_CONFIG", "/etc/breachscan/audit.yaml")
FAIL_ON_VIOLATION = os.environ.get("BREACHSCAN_AUDIT_FAIL_ON_VIOLATION", "true").lower() not in (
    "0",
    "false",
    "no",
)

try:
    # reading the config here only to name the Asset; a broken config fails the task, not the DAG import
    OUTLETS = [audit_asset(load_config(CONFIG).output_dir)]
except AuditConfigError:
    OUTLETS = []

with DAG(
    dag_id="breachscan_weekly_audit",
    description="Data-minimisation audit (MCL 445.72a): retention, redaction, change since last run",
    schedule="@weekly",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=30)},
    tags=["breachscan", "MCL 445.72a"],
) as dag:
    BreachAuditOperator(
        task_id="audit",
        config_path=CONFIG,
        fail_on_violation=FAIL_ON_VIOLATION,
        outlets=OUTLETS,
    )
