"""Command line: thin wrappers that parse options and call one function each."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from pipeline.reports import OCSF_GRANULARITY
from pipeline.scan import ScanOptions, scan_and_report, summary_of


@click.group()
@click.option("-v", "--verbose", count=True, help="More log output (never raw values).")
def main(verbose: int) -> None:
    """breachscan: personal information under MCL 445.63, affected Michigan residents, notices under 445.72."""
    logging.basicConfig(
        level=logging.WARNING - 10 * min(verbose, 2), format="%(levelname)s %(name)s: %(message)s"
    )


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for exposure.json, findings.parquet and reports.",
)
@click.option(
    "--hash-key",
    envvar="BREACHSCAN_HASH_KEY",
    default=None,
    help="HMAC key for keyed hashes in findings (env BREACHSCAN_HASH_KEY); random per run if unset.",
)
@click.option(
    "--links",
    "links_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="YAML that adds or removes links between tables.",
)
@click.option(
    "--unknown-residency-as-michigan",
    is_flag=True,
    help="Count individuals of unknown residency as Michigan residents.",
)
@click.option(
    "--account-numbers-alone",
    is_flag=True,
    help="Read 445.63(p)(iii) so that an account/card number counts without an access code.",
)
@click.option(
    "--codes-with-own-account",
    is_flag=True,
    help="Read 445.63(p)(iii) so that a code counts only with its own account's number (same row or a linked row).",
)
@click.option(
    "--count-deceased",
    is_flag=True,
    help="Count people the export records as deceased among the affected residents (notice to the estate); "
    "by default they are counted apart: a person who has died is no resident (445.72(1)).",
)
@click.option(
    "--include",
    multiple=True,
    help="Only tables whose name, or files whose own path (a split file's part: customers_part1.csv), match this "
    "glob (repeatable).",
)
@click.option(
    "--exclude",
    multiple=True,
    help="Skip tables whose name, and files whose own path (customers_part*.csv), match this glob (repeatable).",
)
@click.option(
    "--sample-size", default=1000, show_default=True, help="Values sampled per column to classify it."
)
@click.option(
    "--incident",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Incident file (YAML): run the notice step after the scan.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No summary table (for schedulers).")
@click.option(
    "--ocsf",
    type=click.Choice(OCSF_GRANULARITY),
    default="column",
    show_default=True,
    help="findings.ocsf.json: one finding per table column and element (with counts), one per affected "
    "individual and element, or none. findings.parquet always holds the per-individual detail.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="Run per-table work in this process or in Spark executors (files and folders only).",
)
@click.option(
    "--master",
    default="local[*]",
    show_default=True,
    envvar="BREACHSCAN_SPARK_MASTER",
    help="Spark master URL for --engine spark, e.g. spark://head:7077.",
)
@click.option(
    "--person-buckets",
    type=click.IntRange(min=1),
    default=None,
    help="--engine spark: resolve identities in this many Spark groups of person groups (docs/scale.md; "
    "default twice the cluster's parallelism).",
)
def scan(
    inputs,
    out_dir,
    hash_key,
    links_file,
    unknown_residency_as_michigan,
    account_numbers_alone,
    codes_with_own_account,
    count_deceased,
    include,
    exclude,
    sample_size,
    incident,
    as_json,
    quiet,
    ocsf,
    engine,
    master,
    person_buckets,
) -> None:
    """Scan INPUT files, folders, dumps, archives or database URIs and write exposure.json to --out."""
    from pipeline.progress import ScanProgress

    if account_numbers_alone and codes_with_own_account:
        raise click.UsageError(
            "--account-numbers-alone and --codes-with-own-account are two readings of one clause: choose one"
        )
    if person_buckets is not None and engine != "spark":
        raise click.UsageError(
            "--person-buckets splits identity resolution on Spark: use it with --engine spark"
        )
    with ScanProgress(quiet=quiet or as_json) as progress:
        options = ScanOptions(
            hash_key=hash_key,
            links_file=links_file,
            unknown_residency_as_michigan=unknown_residency_as_michigan,
            account_numbers_alone=account_numbers_alone,
            codes_with_own_account=codes_with_own_account,
            count_deceased=count_deceased,
            include=include,
            exclude=exclude,
            sample_size=sample_size,
            progress=progress,
        )
        try:
            outcome = scan_and_report(
                list(inputs),
                out_dir,
                options,
                incident=incident,
                engine=engine,
                master=master,
                ocsf=ocsf,
                person_buckets=person_buckets,
            )
        except ValueError as exc:  # an incident or link file that names the bad field
            raise click.ClickException(str(exc)) from None
    summary = summary_of(outcome.result.exposure, outcome.notice)
    summary["outputs"] = outcome.written
    notice_result = outcome.notice
    result = outcome.result
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    elif not quiet:
        print_summary(result.exposure, notice_result)


@main.command()
@click.option(
    "--exposure",
    "exposure_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="exposure.json from a scan (only its contract keys are read).",
)
@click.option(
    "--incident",
    "incident_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Incident file (YAML); every field has a default.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for notice.json and notice.md.",
)
@click.option("--json", "as_json", is_flag=True, help="Print notice.json on stdout.")
def notice(exposure_path: Path, incident_path: Path | None, out_dir: Path, as_json: bool) -> None:
    """Decide the notices MCL 445.72 / 500.561 require, each with its citation."""
    from pipeline.notice import run_notice

    try:
        result = run_notice(exposure_path, incident_path, out_dir)
    except ValueError as exc:  # IncidentError / ExposureError name the field or file
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, indent=2, sort_keys=True))
    else:
        for k, v in result["notices"].items():
            click.echo(
                f"notice to {k.replace('_', ' ')}: {'REQUIRED' if v['required'] else 'not required'} "
                f"({v['citation']})"
            )
        click.echo(f"written: {out_dir / 'notice.json'}, {out_dir / 'notice.md'}")


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the audit summary as JSON on stdout.")
def audit(config: Path, as_json: bool) -> None:
    """Scheduled data-minimisation audit (MCL 445.72a). Exit 0 clean, 1 policy violated, 2 error."""
    from pipeline.audit import run_audit

    result = run_audit(config)
    if as_json:
        click.echo(json.dumps(result.summary, indent=2, sort_keys=True, default=str))
    else:
        click.echo(result.report_md)
    sys.exit(result.exit_code)


def print_summary(exposure: dict, notice: dict | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    t = Table(title="Affected individuals (MCL 445.72(1))")
    t.add_column("count")
    t.add_column("individuals", justify="right")
    a = exposure["affected"]
    t.add_row("Michigan residents", str(a["michigan"]))
    t.add_row("other states", str(a["other_states"]))
    t.add_row("unknown residency", str(a["unknown_residency"]))
    for e, n in exposure["affected_michigan_by_element"].items():
        t.add_row(f"  Michigan, {e.replace('_', ' ')}", str(n))
    t.add_row("what if: account numbers alone", str(exposure["what_if"]["account_numbers_alone"]))
    t.add_row("what if: encryption key compromised", str(exposure["what_if"]["encryption_key_compromised"]))
    both = exposure["what_if"].get("encryption_key_compromised_account_numbers_alone")
    if both is not None:  # an exposure.json made before 2026-11-24 has no such count
        t.add_row("what if: key compromised and account numbers alone", str(both))
    t.add_row(
        "what if: codes with their own account", str(exposure["what_if"]["codes_with_their_own_account"])
    )
    dead = exposure.get("deceased")
    if dead is not None:  # an exposure.json made before 2026-11-25 has none
        counted = (exposure.get("reading") or {}).get("deceased_counted")
        t.add_row(
            f"Michigan, recorded as deceased ({'counted' if counted else 'left out'})", str(dead["michigan"])
        )
        t.add_row("what if: deceased counted", str(exposure["what_if"]["deceased_counted"]))
    console.print(t)
    if exposure["unreadable"]:
        console.print(f"[yellow]{len(exposure['unreadable'])} input(s) could not be read:[/yellow]")
        for u in exposure["unreadable"]:
            console.print(f"  {u['path']}: {u['error']}", markup=False)
    if notice:
        for k, v in notice["notices"].items():
            console.print(
                f"notice to {k.replace('_', ' ')}: {'REQUIRED' if v['required'] else 'not required'} "
                f"({v['citation']})",
                markup=False,
            )


if __name__ == "__main__":
    sys.exit(main())
