"""Incident response: scan the breached data, decide the notices, hand the notification list to the mail step.

Trigger it by hand (schedule=None) when an incident is discovered. Settings come from the environment of the
Airflow components, so the file can be dropped into a deployment unchanged:

- BREACHSCAN_INCIDENT_INPUTS   inputs to scan, separated by ":" (files, folders, dumps, archives, URIs
                               without passwords); can be overridden per run with the ``inputs`` param
- BREACHSCAN_INCIDENT_CONN_ID  optional Airflow connection of a live database to scan (credentials stay there)
- BREACHSCAN_INCIDENT_FILE     the incident facts (YAML, see the output contracts); the ``incident`` param
- BREACHSCAN_INCIDENT_OUT      folder for scan/ and notice/ outputs (the Assets downstream DAGs can watch)

XCom carries counts and paths only; the notification list (the one owner-only file with names and contact data)
is passed on by path, never by content.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from airflow.sdk import DAG, Param, task

from pipeline.airflow.operators import BreachNoticeOperator, BreachScanOperator

log = logging.getLogger(__name__)

INPUTS = [p for p in os.environ.get("BREACHSCAN_INCIDENT_INPUTS", "").split(os.pathsep) if p]
CONN_ID = os.environ.get("BREACHSCAN_INCIDENT_CONN_ID") or None
INCIDENT = os.environ.get("BREACHSCAN_INCIDENT_FILE", "")
OUT = Path(os.environ.get("BREACHSCAN_INCIDENT_OUT", "/var/lib/breachscan/incident"))

with DAG(
    dag_id="breachscan_incident_response",
    description="Scan breached data (MCL 445.63(p)), decide notices (MCL 445.72), hand on the notification list",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    params={
        "inputs": Param(INPUTS, type="array", description="Inputs to scan (no passwords: use a connection)"),
        "incident": Param(INCIDENT, type="string", description="Incident file (YAML)"),
    },
    render_template_as_native_obj=True,  # so "{{ params.inputs }}" stays a list
    tags=["breachscan", "MCL 445.72"],
) as dag:
    scan = BreachScanOperator(
        task_id="scan",
        inputs="{{ params.inputs }}",
        conn_id=CONN_ID,
        out_dir=str(OUT / "scan"),
        fail_on_unreadable=True,  # an incomplete scan must not pass for "no one affected"
    )
    notice = BreachNoticeOperator(
        task_id="notice",
        exposure_path="{{ ti.xcom_pull(task_ids='scan')['exposure_path'] }}",
        incident_path="{{ params.incident }}",
        out_dir=str(OUT / "notice"),
    )

    @task
    def hand_to_mail(decision: dict) -> dict:
        """Stand-in for the mail step: it gets the list's path and count, and never opens the list here."""
        count = decision["residents_to_notify"]
        path = decision["notification_list_path"]
        if decision["notices"].get("residents"):
            log.info("notice to residents required: %d residents; notification list: %s", count, path)
        else:
            log.info("no notice to residents required (%d residents counted)", count)
        return {"residents_to_notify": count, "notification_list_path": path}

    scan >> notice
    hand_to_mail(notice.output)
