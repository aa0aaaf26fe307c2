"""Scheduled data-minimisation audit under MCL 445.72a.

A person or agency that maintains a database with personal information must destroy data containing it once
that data is removed from the database and not kept elsewhere for a permitted purpose (445.72a(1)); "destroy"
means the data can no longer be read, deciphered or reconstructed (445.72a(4)). The audit therefore asks, per
table: which records are past the owner's retention rule (removed / closed / too old) yet still hold personal
information elements, and which element columns hold unredacted values that could be redacted (445.63(r)) or
encrypted (445.63(g)).

Each run scans the configured sources with the same ``run_scan`` the CLI uses, evaluates the retention rules on
each table's own frame (joined on ``__row`` with the scan's records), stores a summary of counts in a history
store (SQLite or any SQLAlchemy URL), and reports what changed since the previous run. The summary, the history
store and the reports hold counts, table and column names only, never a raw value.

Exit codes (the scanner's convention): 0 clean, 1 policy violated, 2 error (configuration, unreadable source,
scan failure, history store unreachable).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipeline.sources import mask_uri, safe_error
from pipeline.tables import ROW

EXIT_CLEAN = 0
EXIT_VIOLATION = 1
EXIT_ERROR = 2

# column classes that are data elements of personal information (MCL 445.63(p)(i)-(iii))
ELEMENT_KINDS = ("ssn", "drivers_license", "card_number", "bank_account", "access_code")
# per-record element statuses the scanner reports (pipeline.scan records frame)
RECORD_ELEMENTS = ("ssn", "drivers_license", "financial_account")
# statuses under which the element is still there to be destroyed: encryption is not destruction (445.72a(4))
HELD = ("unredacted", "encrypted")
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y")

CITE_DESTROY = "MCL 445.72a(1)"
CITE_DESTROY_MEANS = "MCL 445.72a(4)"
CITE_REDACT = "MCL 445.63(r)"
CITE_ENCRYPT = "MCL 445.63(g)"


class AuditConfigError(ValueError):
    """The audit configuration is wrong; the message names the field."""


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class RetentionRule:
    """When a table's records count as removed from the database (445.72a(1)) and must be destroyed.

    ``date_column`` + ``max_age_days``: older than the maximum age. ``status_column`` + ``removed_values``:
    marked removed / closed. With both, ``combine`` says whether both must hold ("all", e.g. closed AND closed
    more than 90 days ago) or either ("any").
    """

    table: str
    date_column: str | None = None
    max_age_days: int | None = None
    date_format: str | None = None
    status_column: str | None = None
    removed_values: tuple[str, ...] = ()
    combine: str = "all"

    def describe(self) -> str:
        parts = []
        if self.date_column:
            parts.append(f"{self.date_column} older than {self.max_age_days} days")
        if self.status_column:
            parts.append(f"{self.status_column} in {list(self.removed_values)}")
        joiner = " and " if self.combine == "all" else " or "
        return joiner.join(parts)


@dataclass(frozen=True)
class AuditConfig:
    name: str
    sources: tuple[str, ...]
    output_dir: Path
    history: str  # SQLAlchemy URL
    retention: tuple[RetentionRule, ...] = ()
    scan_options: dict[str, Any] = field(default_factory=dict)
    unredacted_elements: str = "warn"  # "warn" | "fail": whether unredacted element columns violate policy


_TOP_KEYS = {"name", "sources", "output_dir", "history", "retention", "scan_options", "policy"}
_RULE_KEYS = {"date_column", "max_age_days", "date_format", "status_column", "removed_values", "combine"}
_POLICY_KEYS = {"unredacted_elements"}


def load_config(config_path: str | Path) -> AuditConfig:
    """Read and check the YAML config. Relative paths are relative to the config file's folder, so a scheduler
    (cron, Airflow) can run the audit from any working directory. ``${VAR}`` is expanded in ``sources`` and
    ``history`` so credentials can stay out of the file."""
    path = Path(config_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditConfigError(
            f"cannot read audit config {path}: {exc.strerror or type(exc).__name__}"
        ) from None
    except yaml.YAMLError as exc:
        raise AuditConfigError(f"audit config {path} is not valid YAML: {safe_error(exc)}") from None
    if not isinstance(raw, dict):
        raise AuditConfigError("audit config: expected a mapping at the top level")
    _no_unknown(raw, _TOP_KEYS, "")
    base = path.resolve().parent

    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        raise AuditConfigError(
            "sources: expected a non-empty list of inputs (files, folders, dumps, database URIs)"
        )
    resolved = tuple(_resolve_input(os.path.expandvars(s), base) for s in sources)

    out = raw.get("output_dir")
    if not isinstance(out, str) or not out:
        raise AuditConfigError("output_dir: expected a folder path")
    output_dir = _resolve_path(out, base)

    history = raw.get("history", "audit-history.sqlite")
    if not isinstance(history, str) or not history:
        raise AuditConfigError("history: expected a SQLite file path or a SQLAlchemy URL")
    history = os.path.expandvars(history)
    if "://" not in history:
        # a bare path is a SQLite file, relative to the output folder (where the reports also live)
        p = Path(history)
        history = "sqlite:///" + str(p if p.is_absolute() else output_dir / p)

    name = raw.get("name", path.stem)
    if not isinstance(name, str) or not name:
        raise AuditConfigError("name: expected a string (runs with the same name are compared)")

    rules_raw = raw.get("retention") or {}
    if not isinstance(rules_raw, dict):
        raise AuditConfigError("retention: expected a mapping of table name -> rule")
    rules = tuple(_rule(table, spec) for table, spec in rules_raw.items())

    scan_options = raw.get("scan_options") or {}
    if not isinstance(scan_options, dict):
        raise AuditConfigError("scan_options: expected a mapping of ScanOptions fields")

    policy = raw.get("policy") or {}
    if not isinstance(policy, dict):
        raise AuditConfigError("policy: expected a mapping")
    _no_unknown(policy, _POLICY_KEYS, "policy.")
    unredacted = policy.get("unredacted_elements", "warn")
    if unredacted not in ("warn", "fail"):
        raise AuditConfigError("policy.unredacted_elements: expected 'warn' or 'fail'")

    return AuditConfig(
        name=name,
        sources=resolved,
        output_dir=output_dir,
        history=history,
        retention=rules,
        scan_options=scan_options,
        unredacted_elements=unredacted,
    )


def _no_unknown(mapping: dict, allowed: set[str], prefix: str) -> None:
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        raise AuditConfigError(f"{prefix}{unknown[0]}: unknown key (allowed: {', '.join(sorted(allowed))})")


def _rule(table: Any, spec: Any) -> RetentionRule:
    where = f"retention.{table}"
    if not isinstance(spec, dict):
        raise AuditConfigError(f"{where}: expected a mapping")
    _no_unknown(spec, _RULE_KEYS, where + ".")
    date_column = spec.get("date_column")
    max_age = spec.get("max_age_days")
    status_column = spec.get("status_column")
    removed = spec.get("removed_values", [])
    if date_column is None and status_column is None:
        raise AuditConfigError(f"{where}: give date_column + max_age_days, or status_column + removed_values")
    if date_column is not None:
        if not isinstance(date_column, str):
            raise AuditConfigError(f"{where}.date_column: expected a column name")
        if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 0:
            raise AuditConfigError(f"{where}.max_age_days: expected a whole number of days >= 0")
    elif max_age is not None:
        raise AuditConfigError(f"{where}.max_age_days: needs date_column")
    if status_column is not None:
        if not isinstance(status_column, str):
            raise AuditConfigError(f"{where}.status_column: expected a column name")
        if not isinstance(removed, list) or not removed:
            raise AuditConfigError(f"{where}.removed_values: expected a non-empty list of status values")
    elif removed:
        raise AuditConfigError(f"{where}.removed_values: needs status_column")
    fmt = spec.get("date_format")
    if fmt is not None and not isinstance(fmt, str):
        raise AuditConfigError(f"{where}.date_format: expected a strftime format such as '%Y-%m-%d'")
    combine = spec.get("combine", "all")
    if combine not in ("all", "any"):
        raise AuditConfigError(f"{where}.combine: expected 'all' or 'any'")
    return RetentionRule(
        table=str(table),
        date_column=date_column,
        max_age_days=max_age,
        date_format=fmt,
        status_column=status_column,
        removed_values=tuple(str(v) for v in removed),
        combine=combine,
    )


def _resolve_path(value: str, base: Path) -> Path:
    p = Path(value).expanduser()
    return Path(os.path.normpath(p if p.is_absolute() else base / p))


def _resolve_input(value: str, base: Path) -> str:
    if "://" in value:
        return value
    return str(_resolve_path(value, base))


def sqlalchemy_url(url: str) -> str:
    """Pick the drivers this project installs (psycopg 3, PyMySQL) when the URL names none."""
    for plain, driver in (
        ("postgresql://", "postgresql+psycopg://"),
        ("postgres://", "postgresql+psycopg://"),
        ("mysql://", "mysql+pymysql://"),
        ("mariadb://", "mysql+pymysql://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


# ---------------------------------------------------------------- result


@dataclass
class AuditResult:
    exit_code: int
    summary: dict[str, Any]
    report_md: str
    report_paths: dict[str, str] = field(default_factory=dict)

    @property
    def violated(self) -> bool:
        return self.exit_code == EXIT_VIOLATION


# ---------------------------------------------------------------- the run


def run_audit(config_path: str | Path, *, now: datetime | None = None) -> AuditResult:
    """Run one audit: scan, evaluate retention, store history, diff with the previous run, write reports."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    try:
        config = load_config(config_path)
    except AuditConfigError as exc:
        return _error_result(None, now, str(exc))
    try:
        summary = _audit(config, now)
    except AuditConfigError as exc:
        return _error_result(config, now, str(exc))
    except Exception as exc:  # noqa: BLE001 - an audit that cannot finish reports why and exits 2
        return _error_result(config, now, f"audit failed: {safe_error(exc)}")

    try:
        history = HistoryStore(config.history)
        previous = history.previous(config.name)
        summary["run_id"] = history.record(config.name, now, summary)
    except Exception as exc:  # noqa: BLE001
        return _error_result(config, now, f"history store {mask_uri(config.history)}: {safe_error(exc)}")
    summary["changes"] = diff(previous, summary)
    md = render_markdown(summary)
    paths = _write_reports(config.output_dir, now, summary, md)
    summary["reports"] = paths
    return AuditResult(summary["exit_code"], summary, md, paths)


def _audit(config: AuditConfig, now: datetime) -> dict[str, Any]:
    # imported here: the scanner is the heavy part, and config errors should not wait for it
    from pipeline.scan import ScanOptions, run_scan

    try:
        options = ScanOptions(**config.scan_options)
    except TypeError as exc:
        raise AuditConfigError(f"scan_options: {safe_error(exc)}") from None
    if "findings_frame" not in config.scan_options:
        # the audit reads the records and exposure.json, never the findings frame: findings.parquet is hashed and
        # written a slice at a time, as by `breachscan scan` (docs/scale.md)
        options = replace(options, findings_frame=False)
    config.output_dir.mkdir(parents=True, exist_ok=True)
    result = run_scan(list(config.sources), out_dir=config.output_dir / "scan", options=options)
    exposure = result.exposure

    tables = {t["name"]: _table_summary(t) for t in exposure.get("tables", [])}
    errors: list[str] = [
        f"unreadable source {u.get('path')}: {u.get('error')}" for u in exposure.get("unreadable", [])
    ]

    frames = {t.name: t for t in result.source.tables}
    rules = {r.table: r for r in config.retention}
    for name, rule in sorted(rules.items()):
        if name not in frames:
            errors.append(
                f"retention.{name}: no such table in the sources (tables: {', '.join(sorted(frames))})"
            )
            continue
        tables.setdefault(name, {"rows": 0, "columns": {}})
        try:
            tables[name]["retention"] = evaluate_retention(
                frames[name].frame, result.records, name, rule, now
            )
        except AuditConfigError as exc:
            errors.append(str(exc))

    findings = _findings(tables, rules, config)
    violation = any(f["severity"] == "violation" for f in findings)
    exit_code = EXIT_ERROR if errors else (EXIT_VIOLATION if violation else EXIT_CLEAN)
    return {
        "audit": config.name,
        "run_at": now.isoformat(),
        "exit_code": exit_code,
        "status": {EXIT_CLEAN: "clean", EXIT_VIOLATION: "violation", EXIT_ERROR: "error"}[exit_code],
        "sources": [mask_uri(s) for s in config.sources],
        "history": mask_uri(config.history),
        "errors": errors,
        "totals": _totals(tables, findings),
        "tables": tables,
        "findings": findings,
    }


def _table_summary(table: dict[str, Any]) -> dict[str, Any]:
    columns = {}
    for c in table.get("columns", []):
        kind = c.get("classified_as", "none")
        counts = {
            k: int(c.get(k) or 0)
            for k in ("values_checked", "unredacted", "redacted", "encrypted", "rejected")
        }
        if kind == "none" and not (counts["unredacted"] or counts["redacted"] or counts["encrypted"]):
            continue  # columns with nothing personal are not tracked: they only add noise to the history
        columns[c["name"]] = {"classified_as": kind, **counts}
    return {"rows": int(table.get("rows") or 0), "columns": columns}


def holds_pi(column: dict[str, Any]) -> bool:
    """An element column, or any column (free text) in which the scanner found element values."""
    return (
        column["classified_as"] in ELEMENT_KINDS
        or (column["unredacted"] + column["redacted"] + column["encrypted"]) > 0
    )


# ---------------------------------------------------------------- retention


def retention_predicate(rule: RetentionRule, now: datetime, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr]:
    """(past retention, date present but unreadable) as expressions over the table's string columns."""
    for col in (rule.date_column, rule.status_column):
        if col is not None and col not in schema:
            raise AuditConfigError(f"retention.{rule.table}: column {col!r} not found in the table")
    parts: list[pl.Expr] = []
    undetermined = pl.lit(False)
    if rule.date_column is not None:
        text = pl.col(rule.date_column).cast(pl.String).str.strip_chars()
        parsed = parse_dates(text, rule.date_format)
        cutoff = (now - timedelta(days=int(rule.max_age_days or 0))).date()
        # a missing date (e.g. closed_on of an open account) never makes a record past retention
        parts.append((parsed < pl.lit(cutoff)).fill_null(False))
        undetermined = (text.is_not_null() & (text != "") & parsed.is_null()).fill_null(False)
    if rule.status_column is not None:
        wanted = [v.strip().lower() for v in rule.removed_values]
        status = pl.col(rule.status_column).cast(pl.String).str.strip_chars().str.to_lowercase()
        parts.append(status.is_in(wanted).fill_null(False))
    past = pl.all_horizontal(parts) if rule.combine == "all" else pl.any_horizontal(parts)
    return past, undetermined


def parse_dates(text: pl.Expr, fmt: str | None) -> pl.Expr:
    if fmt:
        return text.str.strptime(pl.Datetime, fmt, strict=False).dt.date()
    # ISO date-times keep their date part; then the common US and European spellings
    return pl.coalesce(
        [text.str.slice(0, 10).str.to_date(DEFAULT_DATE_FORMATS[0], strict=False)]
        + [text.str.to_date(f, strict=False) for f in DEFAULT_DATE_FORMATS[1:]]
    )


def evaluate_retention(
    frame: pl.LazyFrame, records: pl.DataFrame, table: str, rule: RetentionRule, now: datetime
) -> dict[str, Any]:
    """Counts of records past retention and of those still holding personal information elements."""
    past, undetermined = retention_predicate(rule, now, frame.collect_schema())
    flags = frame.select(
        pl.col(ROW).cast(pl.UInt64), past.alias("_past"), undetermined.alias("_undetermined")
    )
    rec_schema = records.collect_schema()
    status_cols = [f"{e}_status" for e in RECORD_ELEMENTS if f"{e}_status" in rec_schema]
    has_code = "access_code_status" in rec_schema
    recs = (
        records.lazy()
        .filter(pl.col("table") == table)
        .select(pl.col(ROW).cast(pl.UInt64), *status_cols, *(["access_code_status"] if has_code else []))
        .unique(ROW)  # a record held by several people (a joint account) appears once per holder
    )
    joined = flags.join(recs, on=ROW, how="left")
    held = [pl.col(c).is_in(HELD).fill_null(False) for c in status_cols]
    if has_code:
        held.append(pl.col("access_code_status").is_in(["present", "encrypted"]).fill_null(False))
    any_held = pl.any_horizontal(held) if held else pl.lit(False)
    aggs = [
        pl.col("_past").sum().alias("past_retention"),
        (pl.col("_past") & any_held).sum().alias("past_retention_with_elements"),
        pl.col("_undetermined").sum().alias("retention_undetermined"),
    ]
    for c in status_cols:
        for s in HELD:
            aggs.append((pl.col("_past") & (pl.col(c) == s).fill_null(False)).sum().alias(f"{c[:-7]}:{s}"))
    if has_code:
        aggs.append(
            (pl.col("_past") & pl.col("access_code_status").is_not_null()).sum().alias("access_code:held")
        )
    row = joined.select(aggs).collect().row(0, named=True)
    by_element = {k: int(v) for k, v in row.items() if ":" in k and v}
    return {
        "rule": rule.describe(),
        "past_retention": int(row["past_retention"]),
        "past_retention_with_elements": int(row["past_retention_with_elements"]),
        "retention_undetermined": int(row["retention_undetermined"]),
        "past_retention_by_element": by_element,
    }


# ---------------------------------------------------------------- findings


def _findings(
    tables: dict[str, Any], rules: dict[str, RetentionRule], config: AuditConfig
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for tname in sorted(tables):
        t = tables[tname]
        pi_cols = {c: v for c, v in t["columns"].items() if holds_pi(v)}
        ret = t.get("retention")
        if ret and ret["past_retention_with_elements"]:
            out.append(
                {
                    "id": f"past_retention:{tname}",
                    "kind": "past_retention",
                    "severity": "violation",
                    "table": tname,
                    "column": None,
                    "count": ret["past_retention_with_elements"],
                    "citation": f"{CITE_DESTROY}; {CITE_DESTROY_MEANS}",
                    "finding": (
                        f"{ret['past_retention_with_elements']} records in {tname} are past retention "
                        f"({ret['rule']}) and still hold personal information elements."
                    ),
                    "action": (
                        f"Destroy these records per {CITE_DESTROY}: shred, erase or modify them so they cannot be "
                        f"read, deciphered or reconstructed ({CITE_DESTROY_MEANS}); encrypting them is not "
                        "destroying them. Keep them only if retained for an investigation, audit or internal "
                        "review, or for another purpose not prohibited by law, and document that purpose."
                    ),
                }
            )
        if ret and ret["retention_undetermined"]:
            out.append(
                {
                    "id": f"retention_undetermined:{tname}",
                    "kind": "retention_undetermined",
                    "severity": "warning",
                    "table": tname,
                    "column": rules[tname].date_column,
                    "count": ret["retention_undetermined"],
                    "citation": CITE_DESTROY,
                    "finding": f"{ret['retention_undetermined']} records in {tname} have a date that could not be read.",
                    "action": "Set retention.<table>.date_format to the column's format, or fix the values.",
                }
            )
        if pi_cols and tname not in rules:
            out.append(
                {
                    "id": f"no_retention_rule:{tname}",
                    "kind": "no_retention_rule",
                    "severity": "warning",
                    "table": tname,
                    "column": None,
                    "count": len(pi_cols),
                    "citation": CITE_DESTROY,
                    "finding": f"{tname} holds personal information elements but the audit has no retention rule for it.",
                    "action": (
                        f"Add a retention rule (date or status column) so records removed from use can be found "
                        f"and destroyed per {CITE_DESTROY}."
                    ),
                }
            )
        for cname in sorted(pi_cols):
            col = pi_cols[cname]
            if not col["unredacted"]:
                continue
            out.append(
                {
                    "id": f"unredacted:{tname}.{cname}",
                    "kind": "unredacted_elements",
                    "severity": "violation" if config.unredacted_elements == "fail" else "warning",
                    "table": tname,
                    "column": cname,
                    "count": col["unredacted"],
                    "citation": f"{CITE_DESTROY}; {CITE_REDACT}; {CITE_ENCRYPT}",
                    "finding": (
                        f"{tname}.{cname} ({col['classified_as']}) holds {col['unredacted']} unredacted, "
                        "unencrypted element values."
                    ),
                    "action": (
                        f"If the values are no longer needed, destroy them ({CITE_DESTROY}). What must be kept: "
                        f"redact per {CITE_REDACT} (no more than 5 sequential digits of an SSN, 4 of a licence, "
                        f"state ID or account number accessible) or encrypt per {CITE_ENCRYPT}."
                    ),
                }
            )
    return out


def _totals(tables: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, int]:
    cols = [c for t in tables.values() for c in t["columns"].values() if holds_pi(c)]
    rets = [t["retention"] for t in tables.values() if "retention" in t]
    return {
        "tables": len(tables),
        "pi_columns": len(cols),
        "unredacted": sum(c["unredacted"] for c in cols),
        "redacted": sum(c["redacted"] for c in cols),
        "encrypted": sum(c["encrypted"] for c in cols),
        "past_retention": sum(r["past_retention"] for r in rets),
        "past_retention_with_elements": sum(r["past_retention_with_elements"] for r in rets),
        "violations": sum(f["severity"] == "violation" for f in findings),
        "warnings": sum(f["severity"] == "warning" for f in findings),
    }


# ---------------------------------------------------------------- change since the previous run


def _growth(before: int, after: int) -> dict[str, Any]:
    pct = None if before == 0 else round(100.0 * (after - before) / before, 1)
    return {"before": before, "after": after, "change": after - before, "change_pct": pct}


def diff(previous: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
    """What changed since the previous stored run of the same audit: new PI columns, growth, fixed findings."""
    if previous is None:
        return {"previous_run": None}
    prev_cols = {(t, c): v for t, tv in previous["tables"].items() for c, v in tv["columns"].items()}
    cur_cols = {(t, c): v for t, tv in current["tables"].items() for c, v in tv["columns"].items()}
    new_pi = [
        {"table": t, "column": c, "classified_as": v["classified_as"], "unredacted": v["unredacted"]}
        for (t, c), v in sorted(cur_cols.items())
        if holds_pi(v) and not ((t, c) in prev_cols and holds_pi(prev_cols[(t, c)]))
    ]
    gone_pi = [
        {"table": t, "column": c, "classified_as": v["classified_as"]}
        for (t, c), v in sorted(prev_cols.items())
        if holds_pi(v) and not ((t, c) in cur_cols and holds_pi(cur_cols[(t, c)]))
    ]
    column_growth = []
    for key in sorted(set(prev_cols) | set(cur_cols)):
        b = prev_cols.get(key, {}).get("unredacted", 0)
        a = cur_cols.get(key, {}).get("unredacted", 0)
        if a != b:
            column_growth.append({"table": key[0], "column": key[1], "unredacted": _growth(b, a)})
    table_growth = []
    for t in sorted(set(previous["tables"]) | set(current["tables"])):
        pt, ct = previous["tables"].get(t, {}), current["tables"].get(t, {})
        entry = {"table": t}
        for k, get in (
            ("rows", lambda x: x.get("rows", 0)),
            ("unredacted", lambda x: sum(c["unredacted"] for c in x.get("columns", {}).values())),
            (
                "past_retention_with_elements",
                lambda x: x.get("retention", {}).get("past_retention_with_elements", 0),
            ),
        ):
            b, a = get(pt), get(ct)
            if a != b:
                entry[k] = _growth(b, a)
        if len(entry) > 1:
            table_growth.append(entry)
    prev_f = {f["id"]: f for f in previous["findings"]}
    cur_f = {f["id"]: f for f in current["findings"]}
    strip = ("id", "kind", "severity", "table", "column", "count")
    return {
        "previous_run": {"run_id": previous.get("run_id"), "run_at": previous.get("run_at")},
        "new_pi_columns": new_pi,
        "removed_pi_columns": gone_pi,
        "totals": {k: _growth(previous["totals"].get(k, 0), v) for k, v in current["totals"].items()},
        "tables": table_growth,
        "columns": column_growth,
        "new_findings": [{k: cur_f[i][k] for k in strip} for i in sorted(set(cur_f) - set(prev_f))],
        "fixed_findings": [{k: prev_f[i][k] for k in strip} for i in sorted(set(prev_f) - set(cur_f))],
    }


# ---------------------------------------------------------------- history store


class HistoryStore:
    """Audit runs and their counts in SQLite or any SQLAlchemy database; no raw value is ever stored.

    The column and finding tables are normalised so the history can be queried directly (trend dashboards);
    ``summary_json`` keeps each run's whole summary.
    """

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.sa = sa
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(sqlalchemy_url(url))
        md = sa.MetaData()
        self.runs = sa.Table(
            "breachscan_audit_runs",
            md,
            sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("audit_name", sa.String(200), nullable=False, index=True),
            sa.Column("run_at", sa.String(40), nullable=False),
            sa.Column("exit_code", sa.Integer, nullable=False),
            sa.Column("summary_json", sa.Text, nullable=False),
        )
        self.columns = sa.Table(
            "breachscan_audit_columns",
            md,
            sa.Column("run_id", sa.Integer, sa.ForeignKey("breachscan_audit_runs.run_id"), index=True),
            sa.Column("table_name", sa.String(500)),
            sa.Column("column_name", sa.String(500)),
            sa.Column("classified_as", sa.String(50)),
            *(
                sa.Column(k, sa.BigInteger)
                for k in ("values_checked", "unredacted", "redacted", "encrypted", "rejected")
            ),
        )
        self.tables = sa.Table(
            "breachscan_audit_tables",
            md,
            sa.Column("run_id", sa.Integer, sa.ForeignKey("breachscan_audit_runs.run_id"), index=True),
            sa.Column("table_name", sa.String(500)),
            *(
                sa.Column(k, sa.BigInteger)
                for k in ("rows", "past_retention", "past_retention_with_elements", "retention_undetermined")
            ),
        )
        self.findings = sa.Table(
            "breachscan_audit_findings",
            md,
            sa.Column("run_id", sa.Integer, sa.ForeignKey("breachscan_audit_runs.run_id"), index=True),
            sa.Column("finding_id", sa.String(1100)),
            sa.Column("kind", sa.String(50)),
            sa.Column("severity", sa.String(20)),
            sa.Column("table_name", sa.String(500)),
            sa.Column("column_name", sa.String(500)),
            sa.Column("count", sa.BigInteger),
        )
        md.create_all(self.engine, checkfirst=True)

    def previous(self, audit_name: str) -> dict[str, Any] | None:
        """The latest completed run (exit 0 or 1) of this audit: a run that errored is not a baseline."""
        sa = self.sa
        q = (
            sa.select(self.runs.c.run_id, self.runs.c.summary_json)
            .where(
                self.runs.c.audit_name == audit_name, self.runs.c.exit_code.in_([EXIT_CLEAN, EXIT_VIOLATION])
            )
            .order_by(self.runs.c.run_id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            return None
        summary = json.loads(row.summary_json)
        summary["run_id"] = row.run_id
        return summary

    def record(self, audit_name: str, run_at: datetime, summary: dict[str, Any]) -> int:
        stored = {k: v for k, v in summary.items() if k not in ("changes", "reports", "run_id")}
        with self.engine.begin() as conn:
            run_id = conn.execute(
                self.runs.insert().values(
                    audit_name=audit_name,
                    run_at=run_at.isoformat(),
                    exit_code=summary["exit_code"],
                    summary_json=json.dumps(stored, sort_keys=True),
                )
            ).inserted_primary_key[0]
            cols = [
                {"run_id": run_id, "table_name": t, "column_name": c, **v}
                for t, tv in summary["tables"].items()
                for c, v in tv["columns"].items()
            ]
            if cols:
                conn.execute(self.columns.insert(), cols)
            tabs = [
                {
                    "run_id": run_id,
                    "table_name": t,
                    "rows": tv["rows"],
                    **{
                        k: tv.get("retention", {}).get(k)
                        for k in ("past_retention", "past_retention_with_elements", "retention_undetermined")
                    },
                }
                for t, tv in summary["tables"].items()
            ]
            if tabs:
                conn.execute(self.tables.insert(), tabs)
            fnd = [
                {
                    "run_id": run_id,
                    "finding_id": f["id"],
                    "kind": f["kind"],
                    "severity": f["severity"],
                    "table_name": f["table"],
                    "column_name": f["column"],
                    "count": f["count"],
                }
                for f in summary["findings"]
            ]
            if fnd:
                conn.execute(self.findings.insert(), fnd)
        self.engine.dispose()
        return int(run_id)


# ---------------------------------------------------------------- reports


def _pct(g: dict[str, Any]) -> str:
    sign = "+" if g["change"] >= 0 else ""
    pct = "" if g["change_pct"] is None else f" ({sign}{g['change_pct']}%)"
    return f"{g['before']} → {g['after']}: {sign}{g['change']}{pct}"


def render_markdown(summary: dict[str, Any]) -> str:
    """The audit report. Names and counts only: no value from the data."""
    lines = [
        f"# Data-minimisation audit ({CITE_DESTROY}): {summary.get('audit', '')}",
        "",
        f"- Run at: {summary.get('run_at', '')}",
        f"- Result: **{summary.get('status', 'error')}** (exit code {summary.get('exit_code', EXIT_ERROR)})",
        f"- Sources: {', '.join(summary.get('sources', [])) or '-'}",
        f"- History store: {summary.get('history', '-')}",
        "",
    ]
    if summary.get("errors"):
        lines += ["## Errors", ""] + [f"- {e}" for e in summary["errors"]] + [""]
    if "totals" not in summary:
        return "\n".join(lines)
    t = summary["totals"]
    lines += [
        "## Totals",
        "",
        f"- Columns holding personal information elements: {t['pi_columns']} in {t['tables']} tables",
        f"- Element values: {t['unredacted']} unredacted, {t['redacted']} redacted, {t['encrypted']} encrypted",
        f"- Records past retention: {t['past_retention']}, of which holding elements: {t['past_retention_with_elements']}",
        f"- Findings: {t['violations']} violations, {t['warnings']} warnings",
        "",
        "## Per table",
        "",
        "| table | rows | element columns | unredacted | redacted | encrypted | past retention (with elements) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, tv in sorted(summary["tables"].items()):
        cols = [c for c in tv["columns"].values() if holds_pi(c)]
        ret = tv.get("retention")
        past = f"{ret['past_retention']} ({ret['past_retention_with_elements']})" if ret else "no rule"
        lines.append(
            f"| {name} | {tv['rows']} | {len(cols)} | {sum(c['unredacted'] for c in cols)} | "
            f"{sum(c['redacted'] for c in cols)} | {sum(c['encrypted'] for c in cols)} | {past} |"
        )
    lines += ["", "## Findings and what to do", ""]
    if not summary["findings"]:
        lines += ["No findings.", ""]
    by_table: dict[str, list[dict[str, Any]]] = {}
    for f in summary["findings"]:
        by_table.setdefault(f["table"], []).append(f)
    for name in sorted(by_table):
        lines += [f"### {name}", ""]
        for f in by_table[name]:
            lines.append(f"- **{f['severity']}** ({f['citation']}): {f['finding']} {f['action']}")
        lines.append("")
    ch = summary.get("changes") or {}
    lines += ["## Change since the previous run", ""]
    if not ch.get("previous_run"):
        lines += ["First run of this audit: no previous run to compare with.", ""]
        return "\n".join(lines)
    lines.append(f"Compared with run {ch['previous_run']['run_id']} at {ch['previous_run']['run_at']}.")
    lines.append("")
    lines.append("New columns holding personal information:")
    lines += [f"- {c['table']}.{c['column']} ({c['classified_as']})" for c in ch["new_pi_columns"]] or [
        "- none"
    ]
    if ch["removed_pi_columns"]:
        lines.append("Columns no longer holding personal information:")
        lines += [f"- {c['table']}.{c['column']} ({c['classified_as']})" for c in ch["removed_pi_columns"]]
    lines.append("Growth:")
    growth = [f"- total {k}: {_pct(g)}" for k, g in ch["totals"].items() if g["change"]]
    for tg in ch["tables"]:
        growth += [f"- {tg['table']} {k}: {_pct(g)}" for k, g in tg.items() if k != "table"]
    growth += [f"- {c['table']}.{c['column']} unredacted: {_pct(c['unredacted'])}" for c in ch["columns"]]
    lines += growth or ["- no change in counts"]
    lines.append("Fixed findings:")
    lines += [f"- {f['id']} ({f['severity']})" for f in ch["fixed_findings"]] or ["- none"]
    lines.append("New findings:")
    lines += [f"- {f['id']} ({f['severity']})" for f in ch["new_findings"]] or ["- none"]
    lines.append("")
    return "\n".join(lines)


def _write_reports(out: Path, now: datetime, summary: dict[str, Any], md: str) -> dict[str, str]:
    """A dated pair per run, plus audit-latest.* that downstream readers (Airflow assets) can watch."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    paths = {
        "json": str(out / f"audit-{stamp}.json"),
        "markdown": str(out / f"audit-{stamp}.md"),
        "latest_json": str(out / "audit-latest.json"),
        "latest_markdown": str(out / "audit-latest.md"),
    }
    body = json.dumps({**summary, "reports": paths}, indent=2, sort_keys=True, default=_json_default)
    for key in ("json", "latest_json"):
        Path(paths[key]).write_text(body + "\n", encoding="utf-8")
    for key in ("markdown", "latest_markdown"):
        Path(paths[key]).write_text(md, encoding="utf-8")
    return paths


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _error_result(config: AuditConfig | None, now: datetime, message: str) -> AuditResult:
    summary: dict[str, Any] = {
        "audit": config.name if config else None,
        "run_at": now.isoformat(),
        "exit_code": EXIT_ERROR,
        "status": "error",
        "sources": [mask_uri(s) for s in config.sources] if config else [],
        "history": mask_uri(config.history) if config else None,
        "errors": [message],
    }
    md = render_markdown(summary)
    paths: dict[str, str] = {}
    if config is not None:
        try:
            paths = _write_reports(config.output_dir, now, summary, md)
        except OSError:
            paths = {}
    summary["reports"] = paths
    return AuditResult(EXIT_ERROR, summary, md, paths)


__all__ = [
    "EXIT_CLEAN",
    "EXIT_ERROR",
    "EXIT_VIOLATION",
    "AuditConfig",
    "AuditConfigError",
    "AuditResult",
    "HistoryStore",
    "RetentionRule",
    "diff",
    "evaluate_retention",
    "load_config",
    "render_markdown",
    "run_audit",
]
