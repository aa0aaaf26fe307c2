"""Airflow operators for breachscan: scan, notice decision, and the 445.72a audit.

Each operator calls the same function the CLI calls (``run_scan``, ``run_notice``, ``run_audit``) and returns a
small summary that Airflow stores as XCom: counts and file paths only. Records, names, SSNs, masked values and
database passwords stay in the output files (or nowhere); downstream tasks get the path, not the content.

Scan outputs are declared as Assets (``exposure_asset``), so a downstream DAG can be scheduled on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from airflow.sdk import Asset, BaseOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from pipeline.sources import mask_uri

ASSET_GROUP = "breachscan"
NOTIFICATION_LIST = "notification_list.csv"  # written by pipeline.reports.write_notification_list


def exposure_asset(out_dir: str | Path) -> Asset:
    """The Asset a scan into ``out_dir`` updates: its exposure.json (counts per the output contract)."""
    return Asset(uri=(Path(out_dir).resolve() / "exposure.json").as_uri(), group=ASSET_GROUP)


def notice_asset(out_dir: str | Path) -> Asset:
    """The Asset a notice decision into ``out_dir`` updates: its notice.json."""
    return Asset(uri=(Path(out_dir).resolve() / "notice.json").as_uri(), group=ASSET_GROUP)


def audit_asset(output_dir: str | Path) -> Asset:
    """The Asset an audit with this output folder updates: its audit-latest.json."""
    return Asset(uri=(Path(output_dir).resolve() / "audit-latest.json").as_uri(), group=ASSET_GROUP)


def _static(value: Any) -> bool:
    """A value known when the DAG file is parsed (no Jinja), so an Asset can be derived from it."""
    return isinstance(value, (str, Path)) and "{{" not in str(value) and "{%" not in str(value)


def _set_outlet_extra(context: Any, extra: dict[str, Any], outlets: Sequence[Any]) -> None:
    """Attach the counts (never values) to the asset events this task emits, for data-aware consumers."""
    events = context.get("outlet_events") if hasattr(context, "get") else None
    if events is None:
        return
    for outlet in outlets:
        if isinstance(outlet, Asset):
            events[outlet].extra = extra


class BreachScanOperator(BaseOperator):
    """Scan files, folders, dumps, archives or a live database for personal information (MCL 445.63(p)).

    :param inputs: inputs as for ``breachscan scan`` (templated). Put no password here: rendered templates
        are stored in the metadata database. For a live database use ``conn_id``.
    :param out_dir: folder for exposure.json and findings.parquet (templated).
    :param conn_id: an Airflow connection of a database to scan (see ``BreachScanDatabaseHook``).
    :param scan_options: fields of ``pipeline.scan.ScanOptions`` (templated), e.g. ``{"exclude": ["tmp_*"]}``.
    :param reports: also write report.html, the owner-only notification list, the letter draft and OCSF
        findings into ``out_dir`` (``pipeline.reports.write_reports``). They need the scan's in-memory result,
        so they are written here, not in a later task.
    :param ocsf: granularity of findings.ocsf.json: "column" (default; one finding per table column and element,
        with counts), "individual" (one per affected individual and element) or "none".
    :param incident_path: optional incident file (templated): decide the notices in this task too, as
        ``breachscan scan --incident`` does, so the notification list carries the notice methods.
    :param fail_on_unreadable: fail the task (after writing the outputs) when an input could not be read, so an
        incomplete scan cannot pass for "no one affected". Off by default, as in the CLI.

    Returns (XCom): counts per the output contract and the paths of the outputs.
    """

    template_fields: Sequence[str] = ("inputs", "out_dir", "conn_id", "scan_options", "incident_path")
    ui_color = "#f4d6d6"

    def __init__(
        self,
        *,
        inputs: Sequence[str] | str = (),
        out_dir: str,
        conn_id: str | None = None,
        scan_options: dict[str, Any] | None = None,
        reports: bool = True,
        incident_path: str | None = None,
        fail_on_unreadable: bool = False,
        ocsf: str = "column",
        **kwargs: Any,
    ) -> None:
        from pipeline.reports import OCSF_GRANULARITY

        if ocsf not in OCSF_GRANULARITY:  # at DAG parse time, not after the scan
            raise ValueError(f"ocsf must be one of {', '.join(OCSF_GRANULARITY)}, not {ocsf!r}")
        if "outlets" not in kwargs and _static(out_dir):
            kwargs["outlets"] = [exposure_asset(out_dir)]
        super().__init__(**kwargs)
        self.inputs = inputs
        self.out_dir = out_dir
        self.conn_id = conn_id
        self.scan_options = scan_options or {}
        self.reports = reports
        self.incident_path = incident_path
        self.fail_on_unreadable = fail_on_unreadable
        self.ocsf = ocsf

    def execute(self, context: Any) -> dict[str, Any]:
        from pipeline.scan import ScanOptions, scan_and_report, summary_of

        inputs = [self.inputs] if isinstance(self.inputs, str) else [str(i) for i in self.inputs]
        shown = [mask_uri(i) for i in inputs]
        if self.conn_id:
            from pipeline.airflow.hooks import BreachScanDatabaseHook

            uri = BreachScanDatabaseHook(self.conn_id).get_uri()
            inputs.append(uri)
            shown.append(mask_uri(uri))
        if not inputs:
            raise AirflowFailException("BreachScanOperator: no inputs and no conn_id")
        self.log.info("scanning %d input(s): %s", len(inputs), ", ".join(shown))
        out = Path(self.out_dir)
        outcome = scan_and_report(
            inputs,
            out,
            ScanOptions(**self.scan_options),
            incident=self.incident_path,
            reports=self.reports,
            ocsf=self.ocsf,
        )
        result = outcome.result
        exposure_path = outcome.written.get("exposure", str(out / "exposure.json"))
        summary = summary_of(result.exposure, outcome.notice)
        summary["exposure_path"] = exposure_path
        summary["findings_path"] = outcome.written.get("findings")
        summary["out_dir"] = str(out)
        if self.reports:
            summary["reports"] = {
                k: v for k, v in outcome.written.items() if k not in ("exposure", "findings")
            }
            summary["notification_list_path"] = outcome.written.get("notification_list_csv")
        self.log.info(
            "affected individuals: michigan=%d other_states=%d unknown_residency=%d; %d tables, %d unreadable",
            summary["affected"]["michigan"],
            summary["affected"]["other_states"],
            summary["affected"]["unknown_residency"],
            summary["tables"],
            summary["unreadable"],
        )
        if self.fail_on_unreadable and summary["unreadable"]:
            # the scanner's error texts name the input and the cause, never a value from the data
            causes = "; ".join(f"{u['path']}: {u['error']}" for u in result.exposure["unreadable"])
            raise AirflowException(f"{summary['unreadable']} input(s) could not be read: {causes}")
        _set_outlet_extra(
            context, {"affected": summary["affected"], "tables": summary["tables"]}, self.outlets
        )
        return summary


class BreachNoticeOperator(BaseOperator):
    """Decide the notices an incident requires (MCL 445.72 / 500.561) from a scan's exposure.json.

    :param exposure_path: exposure.json of a scan (templated; e.g. from the scan task's XCom).
    :param incident_path: incident facts (YAML, see the output contracts); None means every default.
    :param out_dir: folder for notice.json and notice.md (templated).
    :param notification_list: path of the owner-only notification list to hand on (templated). When not given,
        the ``notification_list.csv`` the scan task wrote next to the exposure is handed on, if it exists.

    Returns (XCom): the decision's counts and flags, and the paths; never the list's content.
    """

    template_fields: Sequence[str] = ("exposure_path", "incident_path", "out_dir", "notification_list")
    ui_color = "#f4e3c1"

    def __init__(
        self,
        *,
        exposure_path: str,
        out_dir: str,
        incident_path: str | None = None,
        notification_list: str | None = None,
        **kwargs: Any,
    ) -> None:
        if "outlets" not in kwargs and _static(out_dir):
            kwargs["outlets"] = [notice_asset(out_dir)]
        super().__init__(**kwargs)
        self.exposure_path = exposure_path
        self.incident_path = incident_path
        self.out_dir = out_dir
        self.notification_list = notification_list

    def execute(self, context: Any) -> dict[str, Any]:
        from pipeline.notice import run_notice

        notice = run_notice(self.exposure_path, self.incident_path or None, self.out_dir)
        out = Path(self.out_dir)
        summary = {
            "statute": notice["statute"],
            "security_breach": notice["security_breach"],
            "residents_to_notify": notice["residents_to_notify"],
            "notices": {k: v["required"] for k, v in notice["notices"].items()},
            "notice_path": str(out / "notice.json"),
            "notice_markdown_path": str(out / "notice.md"),
            "notification_list_path": self._notification_list(),
        }
        self.log.info(
            "%s: security breach=%s, residents to notify=%d, notices required: %s",
            summary["statute"],
            summary["security_breach"],
            summary["residents_to_notify"],
            ", ".join(k for k, v in summary["notices"].items() if v) or "none",
        )
        _set_outlet_extra(
            context,
            {"residents_to_notify": summary["residents_to_notify"], "notices": summary["notices"]},
            self.outlets,
        )
        return summary

    def _notification_list(self) -> str | None:
        if self.notification_list:
            return str(self.notification_list)
        # where pipeline.reports.write_reports puts it: in the scan's output folder, next to exposure.json
        for folder in (Path(self.exposure_path).parent, Path(self.out_dir)):
            if (folder / NOTIFICATION_LIST).is_file():
                return str(folder / NOTIFICATION_LIST)
        return None


class BreachAuditOperator(BaseOperator):
    """Run the scheduled data-minimisation audit (MCL 445.72a) of an audit config.

    :param config_path: the audit YAML (templated); see docs/audit.md.
    :param fail_on_violation: fail the task (no retry) when the audit finds a policy violation (exit code 1).
        The reports and the history entry are written first either way.

    An audit error (exit code 2: bad config, unreadable source, history store down) raises AirflowException, so
    the task's retries apply. Returns (XCom): totals, the change since the previous run, and the report paths.
    """

    template_fields: Sequence[str] = ("config_path",)
    ui_color = "#d6e4f4"

    def __init__(self, *, config_path: str, fail_on_violation: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config_path = config_path
        self.fail_on_violation = fail_on_violation

    def execute(self, context: Any) -> dict[str, Any]:
        from pipeline.audit import EXIT_ERROR, EXIT_VIOLATION, run_audit

        result = run_audit(self.config_path)
        s = result.summary
        report = result.report_paths.get("markdown", "(no report written)")
        if result.exit_code == EXIT_ERROR:
            # audit error texts name files, tables, columns and causes, never a value from the data
            raise AirflowException(f"audit failed: {'; '.join(s.get('errors', []))}; report: {report}")
        changes = s.get("changes") or {}
        summary = {
            "audit": s["audit"],
            "run_id": s.get("run_id"),
            "exit_code": result.exit_code,
            "status": s["status"],
            "totals": s["totals"],
            "new_pi_columns": len(changes.get("new_pi_columns", [])),
            "fixed_findings": len(changes.get("fixed_findings", [])),
            "new_findings": len(changes.get("new_findings", [])),
            "reports": result.report_paths,
        }
        self.log.info(
            "audit %s: %s; %d violations, %d warnings; report %s",
            s["audit"],
            s["status"],
            s["totals"]["violations"],
            s["totals"]["warnings"],
            report,
        )
        _set_outlet_extra(context, {"status": s["status"], "totals": s["totals"]}, self.outlets)
        if result.exit_code == EXIT_VIOLATION and self.fail_on_violation:
            raise AirflowFailException(
                f"audit {s['audit']}: {s['totals']['violations']} policy violation(s) under MCL 445.72a; "
                f"report: {report}"
            )
        return summary
