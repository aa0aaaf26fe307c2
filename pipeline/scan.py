"""One scan: sources -> classify -> records -> links -> individuals -> exposure. Each stage returns new frames."""

from __future__ import annotations

import json
import logging
import os
import resource
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from pipeline import classify, co_subjects, exposure, individuals, links, person_groups, records
from pipeline.sources import load_sources, safe_error
from pipeline.tables import TABLE_THREADS, SourceResult, Table, Unreadable, with_composite_keys

log = logging.getLogger("breachscan")
HASH_KEY_ENV = "BREACHSCAN_HASH_KEY"


@dataclass
class ScanOptions:
    hash_key: bytes | None = None  # HMAC key for findings; env BREACHSCAN_HASH_KEY; random per run if unset
    links_file: str | Path | None = None
    unknown_residency_as_michigan: bool = False
    account_numbers_alone: bool = False
    # the stricter (p)(iii) reading: a code counts only with its own account
    codes_with_own_account: bool = False
    # people the export records as deceased counted among the affected residents (a notice to the estate); by
    # default they are counted apart (exposure.json "deceased"): the dead are no residents (445.72(1))
    count_deceased: bool = False
    sample_size: int = 1000
    # identity resolution a bucket of person groups at a time (person_groups): the same individuals as one
    # resolve of every record; 1 resolves every record at once
    person_buckets: int = 1
    # ScanResult.records narrowed, once the individuals are summarised, to the columns the findings and the
    # reports read (exposure.RECORD_COLUMNS_AFTER_SUMMARY): names, name keys and postal fields are freed
    narrow_records: bool = False
    # False: ScanResult.findings is left empty (with its columns) and the findings are held unhashed
    # (ScanResult.unhashed_findings) until write_outputs hashes and writes them a slice at a time; for callers
    # that read findings.parquet, not the frame (scan_and_report unless OCSF is per individual)
    findings_frame: bool = True
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    progress: Callable[..., None] | None = (
        None  # (table name, index, total, rows so far) for progress display
    )


@dataclass
class ScanResult:
    exposure: dict
    records: pl.DataFrame
    individuals: pl.DataFrame
    findings: pl.DataFrame
    source: SourceResult
    classes: dict[str, list[classify.ColumnClass]] = field(default_factory=dict)
    links: list[links.Link] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)  # output name -> file path
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (logged, never in reports)
    # exposure.unhashed_findings' rows, and the key write_outputs hashes them with (ScanOptions.findings_frame)
    unhashed_findings: pl.DataFrame | None = field(default=None, repr=False)  # raw values: never in a repr
    findings_key: bytes | None = field(default=None, repr=False)


def _peak_mib() -> float:
    """Peak RSS of this process in MiB. VmHWM first: ru_maxrss keeps the parent's peak across fork and exec,
    so a scan started by a large process (a scheduler, a benchmark) would report the parent's memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextmanager
def stage(name: str, timings: dict[str, float], table: str | None = None) -> Iterator[None]:
    """Time one stage; `breachscan -v scan` logs each (name, seconds, peak RSS so far) for capacity planning.

    A stage run per table adds to the stage's total and is logged per table only at -vv (see log_stage)."""
    started, cpu = time.perf_counter(), _cpu_s()
    try:
        yield
    finally:
        took = time.perf_counter() - started
        timings[name] = timings.get(name, 0.0) + took
        if table is None:
            log_stage(name, took, _cpu_s() - cpu)
        else:
            log.debug("stage %s of table %s: %.2f s, peak RSS %.0f MiB", name, table, took, _peak_mib())


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process so far, all threads."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def log_stage(name: str, seconds: float, cpu: float | None = None, cpu_of: str = "") -> None:
    """One stage's line: wall seconds, peak RSS so far and the process's CPU seconds during the stage (on a shared
    machine CPU seconds say more than wall time; `cpu_of` names the stages the CPU figure covers when they ran
    together)."""
    used = "" if cpu is None else f", CPU {cpu:.2f} s{f' ({cpu_of})' if cpu_of else ''}"
    log.info("stage %s: %.2f s, peak RSS %.0f MiB%s", name, seconds, _peak_mib(), used)


def resolve_key(key: bytes | str | None) -> bytes:
    if key is None:
        key = os.environ.get(HASH_KEY_ENV)
    if key is None or key == "":
        # a random key (256 bits as hex text: the HMAC takes a text key): hashes are comparable within this run only
        return secrets.token_hex(32).encode()
    key = key.encode() if isinstance(key, str) else key
    exposure.key_text(key)  # a key that is not text fails here, before the scan
    return key


@dataclass(frozen=True)
class TableWork:
    """The per-table work scan_sources calls: the local modules by default; the Spark engine passes answers from
    its executors instead (an argument, not a patched module global, so concurrent scans cannot see each other's)."""

    classify_table: Callable[..., list[classify.ColumnClass]] = classify.classify_table
    evaluate_table: Callable[..., tuple] = records.evaluate_table
    co_subject_tables: Callable[..., list] = co_subjects.co_subject_tables
    # (records, link rows, link names, findings key) -> (records with individual, individuals, findings or None);
    # None: the local ones, whole or by person groups (ScanOptions.person_buckets)
    individuals: Callable[..., tuple] | None = None
    # (tables, classes) -> links.KeyMeasures: what link discovery measures; None: links.measure_keys, here
    measure_keys: Callable[..., links.KeyMeasures | None] | None = None
    # (followed references) -> matched rows (links.match_rows); None: links.match_rows, here
    match_rows: Callable[..., pl.LazyFrame | pl.DataFrame] | None = None


def scan_sources(source: SourceResult, options: ScanOptions, work: TableWork | None = None) -> ScanResult:
    """The stages after reading: usable on tables from anywhere (files, dumps, databases, Spark partitions)."""
    work = work or TableWork()
    classes: dict[str, list[classify.ColumnClass]] = {}
    stats: dict[str, dict] = {}
    recs = []
    rows: dict[str, int] = {}
    readable = []
    timings: dict[str, float] = {}
    queue = list(source.tables)
    derived: set[str] = set()  # second people of a row (co_subjects), e.g. "tax_returns (spouse)"
    tables_cpu = _cpu_s()
    with ThreadPoolExecutor(TABLE_THREADS, thread_name_prefix="tables") as pool:
        # Every source table's classification is queued at once and runs a few tables at a time; each table's
        # evaluation is queued as soon as its classes are known, behind them. A table's classes depend on its
        # own sample only and its records on its own rows, and for the many small tables of a real schema the
        # cost is per-query overhead that threads overlap (polars releases the GIL while it works). Results are
        # taken in queue order, so the scan is the serial scan (tests/test_fast_paths.py). A failure is raised
        # by .result() and handled there like any other table's.
        ahead = {i: pool.submit(work.classify_table, t, options.sample_size) for i, t in enumerate(queue)}
        evaluating: list[tuple[int, Table, Future]] = []
        failed: list[tuple[int, Table, Exception]] = []
        try:
            for i, table in enumerate(queue):  # one entry per table (derived tables join the queue)
                if (
                    options.progress
                ):  # the bar moves once evaluations are taken; until then it names the table
                    options.progress(f"{table.name} (classifying)", 0, len(queue), 0)
                try:
                    with stage("classify", timings, table.name):
                        fut = ahead.pop(i, None)  # derived tables were not known in advance
                        classes[table.name] = (
                            fut.result() if fut else work.classify_table(table, options.sample_size)
                        )
                    if table.name in derived and not co_subjects.names_someone(classes[table.name]):
                        classes.pop(
                            table.name
                        )  # a derived table that names nobody holds no one's information
                        continue
                    more = work.co_subject_tables(table, classes[table.name])
                    derived.update(t.name for t in more)
                    queue += more
                    evaluating.append(
                        (i, table, pool.submit(work.evaluate_table, table, classes[table.name]))
                    )
                except Exception as exc:  # a table that cannot be classified is reported, the scan goes on
                    classes.pop(table.name, None)
                    failed.append((i, table, exc))
            for i, table, fut in evaluating:  # in queue order
                if options.progress:
                    options.progress(table.name, i, len(queue), sum(rows.values()))
                try:
                    with stage("evaluate", timings, table.name):
                        frame, stats[table.name] = fut.result()
                except Exception as exc:  # a table that cannot be evaluated is reported, the scan goes on
                    classes.pop(table.name, None)
                    failed.append((i, table, exc))
                    continue
                rows[table.name] = frame.height
                recs.append(frame)
                readable.append(table)
            # reported in queue order, as one table after another would have been (a later table's failed
            # classification is known before an earlier table's failed evaluation)
            for _, table, exc in sorted(failed, key=lambda f: f[0]):  # one entry per failed table
                # the cause, with any value the message quotes taken out (the type alone left users guessing)
                cause = safe_error(exc)
                log.warning("table %s could not be evaluated: %s", table.name, cause)
                source.unreadable.append(Unreadable(table.path, f"could not be evaluated: {cause}"))
        finally:
            for fut in [*ahead.values(), *(f for _, _, f in evaluating)]:  # Ctrl-C: the rest is not started
                fut.cancel()
    # classification and evaluation of the tables overlap (threads): one CPU figure covers both
    log_stage("classify", timings.get("classify", 0.0))
    log_stage("evaluate", timings.get("evaluate", 0.0), _cpu_s() - tables_cpu, "classify and evaluate")
    source = SourceResult(readable, source.unreadable)
    # in (table, row) order: each table's records are sorted by row, so name order of the tables is enough and
    # identity resolution need not reorder every record
    order = sorted(range(len(recs)), key=lambda k: readable[k].name)  # one entry per table
    all_records = pl.concat([recs[k] for k in order]) if recs else records.empty_records()

    with stage("links", timings):
        config = links.load_link_config(options.links_file)
        # a composite key the links file names (payments.region+cust_no): its joined column, as a dump's has
        with_composite_keys(source.tables, config.add)
        found = links.discover_links(source.tables, classes, config, work.measure_keys)
        people = links.person_tables(source.tables, classes, found)
        found = links.residency_links(links.identity_links(found, classes, people), classes, people)
        link_rows = links.link_edges(source.tables, found, people, work.match_rows)
        _warn_numbers_without_names(source.tables, classes, found, stats)
    with stage("individuals", timings):
        del recs
        link_names = [k.name for k in found]  # a residency chain named with its onward references
        # the row pairs (about 30 bytes each) are handed over, not kept here: the callee frees them once they
        # are edges, before the summaries
        handed = [link_rows]
        del link_rows
        key = resolve_key(options.hash_key)
        findings = None  # made with the individuals when they are resolved by person groups
        if work.individuals is not None:
            all_records, people_frame, findings = work.individuals(all_records, handed.pop(), link_names, key)
        elif options.person_buckets > 1:
            all_records, people_frame, findings = person_groups.individuals_by_groups(
                all_records, handed.pop(), link_names, options.person_buckets, key=key
            )
        else:
            all_records, people_frame = individuals.individuals_of(all_records, handed.pop(), link_names)
        if options.narrow_records:
            all_records = all_records.select(exposure.RECORD_COLUMNS_AFTER_SUMMARY)
    with stage("exposure", timings):
        report = exposure.build_exposure(
            source,
            classes,
            stats,
            found,
            people_frame,
            rows,
            account_numbers_alone=options.account_numbers_alone,
            codes_with_own_account=options.codes_with_own_account,
            unknown_residency_as_michigan=options.unknown_residency_as_michigan,
            count_deceased=options.count_deceased,
        )
        unhashed = None
        if findings is None and options.findings_frame:
            findings = exposure.build_findings(all_records, people_frame, key)
        elif findings is None:
            unhashed = exposure.unhashed_findings(all_records, people_frame)
            findings = exposure.published_findings(exposure.hashed_findings(unhashed.clear(), key))
    result = ScanResult(report, all_records, people_frame, findings, source, classes, found, timings=timings)
    if unhashed is not None:
        result.unhashed_findings, result.findings_key = unhashed, key
    return result


def _warn_numbers_without_names(tables, classes: dict, found: list, stats: dict | None = None) -> None:
    """A table holding SSNs, licence or account numbers with no name column and no link to a table that has
    one: its numbers count for nobody (445.63(p) needs the name). Said loudly, never left silent: names under a
    header nobody could read (field_7), a key-value layout, names inside a JSON document or a missing link are for
    a person to look at. Numbers found in running text or JSON count as held. Only a link a row follows to its
    person counts: a reference to the agent who sold a policy names nobody the policy's numbers are linked to
    (until 2026-11-24 any link silenced this warning)."""
    linked = {end for k in found if k.used_for_identity for end in (k.from_table, k.to_table)}
    for t in tables:  # one entry per table
        kinds = {c.element for c in classes.get(t.name, []) if c.element}
        for column in (stats or {}).get(t.name, {}).values():  # one entry per element or text column
            kinds |= {e for e, k in records.FOUND_IN_TEXT.items() if (column.found_in_text or {}).get(k)}
        if kinds and not co_subjects.names_someone(classes.get(t.name, [])) and t.name not in linked:
            t.warnings.append(
                "holds " + ", ".join(sorted(kinds)) + " values but no name column and no link "
                "to a table with names: they count for nobody. If names are here under another header, or the "
                "table links by a key not found, add the link (--links) and scan again"
            )


def run_scan(
    inputs: Sequence[str | Path], out_dir: Path | str | None = None, options: ScanOptions | None = None
) -> ScanResult:
    options = options or ScanOptions()
    timings: dict[str, float] = {}
    with stage("read", timings):
        source = load_sources([str(i) for i in inputs], include=options.include, exclude=options.exclude)
    result = scan_sources(source, options)
    result.timings = {**timings, **result.timings}
    if out_dir is not None:
        with stage("write", result.timings):
            write_outputs(result, Path(out_dir))
    return result


def write_outputs(result: ScanResult, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "exposure.json"
    path.write_text(json.dumps(result.exposure, indent=2, ensure_ascii=False) + "\n")
    result.paths["exposure"] = str(path)
    fpath = out_dir / "findings.parquet"
    if result.unhashed_findings is not None:  # hashed a slice at a time as they are written
        exposure.write_findings(fpath, result.unhashed_findings, result.findings_key)
    else:
        exposure.write_findings(fpath, result.findings)
    result.paths["findings"] = str(fpath)


@dataclass
class Outcome:
    """What one `breachscan scan` produces: the scan, the notice decision (if an incident file was given), files."""

    result: ScanResult
    notice: dict | None
    written: dict[str, str]


def scan_and_report(
    inputs: Sequence[str | Path],
    out_dir: Path | str,
    options: ScanOptions | None = None,
    *,
    incident: str | Path | None = None,
    reports: bool = True,
    engine: str = "local",
    master: str = "local[*]",
    ocsf: str = "column",
    person_buckets: int | None = None,
) -> Outcome:
    """Scan, decide the notices when an incident file is given, write every report. CLI and Airflow call this.

    ``ocsf``: granularity of findings.ocsf.json ("column", "individual" or "none"; see reports.write_reports).
    ``person_buckets``: with the Spark engine, how many Spark groups identity resolution is split into."""
    out = Path(out_dir)
    if engine == "spark":
        from pipeline.spark import run_scan_spark

        result = run_scan_spark(
            inputs, out, options or ScanOptions(), master=master, person_buckets=person_buckets
        )
    else:
        options = options or ScanOptions()
        if ocsf != "individual":
            # no report reads the findings frame (findings.parquet is hashed and written a slice at a time) nor,
            # when the individuals are resolved whole, the whole records frame
            options = replace(options, findings_frame=False)
            if options.person_buckets <= 1:
                options = replace(options, narrow_records=True)
        result = run_scan(inputs, out, options)
        if ocsf != "individual" and "findings" in result.paths:
            # findings.parquet is written and no report reads the findings again: freed before the reports (at
            # 5 M rows about 0.5 GB of keyed hashes and masked values, made by person groups, held for nothing).
            # The result keeps its schema.
            result.findings = result.findings.clear()
            result.unhashed_findings = None
    notice = None
    if incident:
        from pipeline.notice import run_notice

        with stage("notice", result.timings):
            notice = run_notice(Path(result.paths["exposure"]), Path(incident), out)
    written = dict(result.paths)
    if reports:
        from pipeline.reports import write_reports

        with stage("reports", result.timings):
            written.update(write_reports(result, out, notice, ocsf=ocsf))
    return Outcome(result, notice, written)


def summary_of(exposure: dict, notice: dict | None = None) -> dict:
    """The small summary for terminals, scripts and XCom: counts only, never a value."""
    out = {k: exposure[k] for k in ("affected", "affected_michigan_by_element", "what_if")}
    out["tables"] = len(exposure["tables"])
    out["unreadable"] = len(exposure["unreadable"])
    if notice:
        out["notices"] = {k: v["required"] for k, v in notice["notices"].items()}
    return out
