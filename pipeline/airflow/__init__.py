"""Airflow 3 integration of breachscan (optional extra: ``pip install "breachscan[airflow]"``).

- ``pipeline.airflow.operators``: BreachScanOperator, BreachNoticeOperator, BreachAuditOperator and the Assets
  their outputs update (``exposure_asset``, ``notice_asset``, ``audit_asset``).
- ``pipeline.airflow.hooks``: BreachScanDatabaseHook, database credentials from an Airflow connection.
- ``pipeline/airflow/example_dags/``: incident response and weekly audit DAGs to copy into a deployment.

Nothing here is imported by the rest of breachscan, so the scanner works without Airflow installed.
"""

from __future__ import annotations

from typing import Any


def get_provider_info() -> dict[str, Any]:
    """Provider metadata, for the ``apache_airflow_provider`` entry point (registers the connection type)."""
    return {
        "package-name": "breachscan",
        "name": "breachscan",
        "description": "Scan exported databases for personal information under Michigan law (MCL 445.63, "
        "445.72, 445.72a) and decide the breach notices required.",
        "connection-types": [
            {
                "hook-class-name": "pipeline.airflow.hooks.BreachScanDatabaseHook",
                "connection-type": "breachscan",
            }
        ],
    }
