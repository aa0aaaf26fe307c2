"""Reports people act on: report.html (checked in real headless Chromium), the owner-only notification list,
the resident letter draft (MCL 445.72(6)(c)-(g)), OCSF Data Security Findings, the progress display.

The inputs are the planted synthetic tables of test_no_leaks.build_inputs; the expected counts below come from
how those rows were built (their docstring), not from the scanner.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
import yaml
from test_no_leaks import ROOT, build_inputs

from pipeline.notice import run_notice
from pipeline.reports import scrub, write_reports
from pipeline.scan import ScanOptions, run_scan

INCIDENT = ROOT / "configs" / "incident.example.yaml"
ARTIFACTS = ROOT / "test-artifacts"
N = 48


def truth(rows: list[dict]) -> dict:
    """Every planted customer is affected (a card with a password, always); residency from state."""
    mi = [r for r in rows if r["state"] == "MI"]
    unknown = [r for r in rows if r["state"] == ""]
    return {
        "michigan": len(mi),
        "other_states": len(rows) - len(mi) - len(unknown),
        "unknown": len(unknown),
        "to_notify": {(r["first_name"], r["last_name"]) for r in mi + unknown},
        "unknown_names": {(r["first_name"], r["last_name"]) for r in unknown},
        "with_email": {(r["first_name"], r["last_name"]) for r in mi + unknown if r["email"]},
        "with_postal": {(r["first_name"], r["last_name"]) for r in mi + unknown if r["zip"] or r["city"]},
    }


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    base = tmp_path_factory.mktemp("reports")
    planted = build_inputs(base / "db", n=N)
    out = base / "out"
    result = run_scan([planted.folder], out, ScanOptions(hash_key="report-test"))
    notice = run_notice(out / "exposure.json", INCIDENT, out)
    paths = write_reports(result, out, notice)
    return planted, result, notice, paths, out


# ---------------------------------------------------------------------------------------------- report.html


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.by_id: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a and tag == "span":
            self._open.append(a["id"])
            self.by_id[a["id"]] = ""

    def handle_data(self, data):
        for i in self._open:
            self.by_id[i] += data

    def handle_endtag(self, tag):
        if tag == "span" and self._open:
            self._open.pop()


def test_report_is_self_contained_and_gives_the_answer_first(scanned):
    planted, result, notice, paths, out = scanned
    t = truth(planted.rows)
    html = Path(paths["report"]).read_text()
    parser = _Collect()
    parser.feed(html)
    tags = {tag for tag, _ in parser.tags}
    # nothing is fetched: no script, no stylesheet link, no external source of any kind
    assert "script" not in tags and "link" not in tags and "iframe" not in tags and "img" not in tags
    assert not [a for _, a in parser.tags if "src" in a or "href" in a]
    assert "@import" not in html and "url(" not in html
    assert re.findall(r"https?://[^\s\"'<]+", html) == ["http://www.w3.org/2000/svg"] * html.count("<svg")
    assert "default-src 'none'" in html  # the CSP forbids any fetch even if a value slipped in
    # the answer, first
    assert (
        parser.by_id["affected-michigan"]
        == str(t["michigan"])
        == str(result.exposure["affected"]["michigan"])
    )
    assert parser.by_id["residents-to-notify"] == str(notice["residents_to_notify"])
    assert parser.by_id["affected-other"] == str(t["other_states"])
    assert parser.by_id["affected-unknown"] == str(t["unknown"])
    assert html.index('id="answer"') < html.index('id="charts"') < html.index('id="classification"')
    assert "REQUIRED" in html and notice["notices"]["residents"]["citation"] in html
    # charts are inline SVG, one per view, and every element column is in the per-column chart
    assert html.count("<svg") == 4
    for col in ("customers.ssn", "customers.card_number", "customers.drivers_license"):
        assert f">{col}</text>" in html
    # evidence, links, what-if, unreadable are all there
    assert "customer_id" in html and "orders.customer_id" in html
    assert 'id="what-if-key"' in html and "MCL 445.72(1)(b)" in html
    assert "Every input was read." in html


def test_report_holds_no_names_or_numbers_and_names_unreadable_inputs(tmp_path):
    planted = build_inputs(tmp_path / "db", n=12)
    (planted.folder / "broken.parquet").write_bytes(b"PAR1 not really parquet")
    result = run_scan([planted.folder], tmp_path / "o", ScanOptions(hash_key="k"))
    paths = write_reports(result, tmp_path / "o", None)
    html = Path(paths["report"]).read_text()
    for last in set(planted.names):
        assert last not in html
    for v in planted.elements():
        assert v not in html and re.sub(r"\D", "", v) not in html
    assert "broken.parquet" in html and "could not be read" in html
    assert 'id="no-notice"' in html  # no decision was made: the report says how to get one


def test_scrub_masks_element_shaped_digits_but_not_citations_dates_or_counts():
    assert scrub("MCL 500.561(1) and MCL 445.72(5)(d)") == "MCL 500.561(1) and MCL 445.72(5)(d)"
    assert scrub("discovered 2026-11-20; 1,234,567 rows; coverage 0.9512") == (
        "discovered 2026-11-20; 1,234,567 rows; coverage 0.9512"
    )
    assert "6789" not in scrub("ssn 123-45-6789") and "6789" not in scrub("S123456789012")
    assert "1111" not in scrub("4111 1111 1111 1111")


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (apt-get install -y chromium); required under CI")
        pytest.skip("chromium is not installed: apt-get install -y chromium")
    return found


def _chromium_args(binary: str, profile: Path) -> list[str]:
    return [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]


def test_report_renders_in_headless_chromium_with_the_headline_numbers(scanned, tmp_path):
    binary = _chromium()
    planted, result, notice, paths, out = scanned
    url = Path(paths["report"]).resolve().as_uri()
    args = _chromium_args(binary, tmp_path / "profile")
    dom = subprocess.run(args + ["--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    parser = _Collect()
    parser.feed(dom.stdout)
    assert parser.by_id["affected-michigan"] == str(truth(planted.rows)["michigan"])
    assert parser.by_id["residents-to-notify"] == str(notice["residents_to_notify"])
    assert "affected Michigan residents" in dom.stdout
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    png = subprocess.run(
        args + [f"--screenshot={shot}", "--window-size=1280,2000", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert png.returncode == 0, png.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


# ---------------------------------------------------------------------------------------------- notification list


def test_notification_list_michigan_plus_unknown_flagged_with_methods(scanned):
    planted, result, notice, paths, out = scanned
    t = truth(planted.rows)
    csv = pl.read_csv(paths["notification_list_csv"], infer_schema=False)
    parquet = pl.read_parquet(paths["notification_list_parquet"])
    assert csv.height == parquet.height == len(t["to_notify"])
    assert csv.get_column("first_name").to_list() == parquet.get_column("first_name").to_list()
    names = set(zip(parquet["first_name"], parquet["last_name"], strict=True))
    assert names == t["to_notify"]
    flagged = parquet.filter(pl.col("residency_to_confirm"))
    assert set(zip(flagged["first_name"], flagged["last_name"], strict=True)) == t["unknown_names"]
    assert set(parquet.get_column("residency")) == {"michigan", "unknown"}
    by_name = {(r["first_name"], r["last_name"]): r for r in parquet.iter_rows(named=True)}
    for key, r in by_name.items():
        assert r["electronic_notice_5b"] == (key in t["with_email"])
        assert r["written_notice_5a"] == (key in t["with_postal"])
        assert ("(5)(a)" in r["notice_methods"]) == r["written_notice_5a"]
        assert ("(5)(b)" in r["notice_methods"]) == r["electronic_notice_5b"]
        assert r["substitute_notice_5d"] is False  # the example incident does not permit it
        # elements in words; every planted customer has a card with a password
        assert "financial account or card number" in r["elements_exposed"]
        assert not re.search(r"\d{4}", r["elements_exposed"])
    assert any(r["notice_methods"].startswith("no postal address or e-mail") for r in by_name.values())


def test_notification_list_is_created_owner_only_never_chmod_after(scanned, tmp_path, monkeypatch):
    planted, result, notice, paths, out = scanned
    folder = tmp_path / "o"
    folder.mkdir()
    stale = folder / "notification_list.csv"
    stale.write_text("old\n")
    stale.chmod(0o644)  # a world-readable file left from before must not keep its mode

    def refuse(*a, **k):
        raise AssertionError("chmod after writing is a race: the file must be created 0600")

    monkeypatch.setattr(os, "chmod", refuse)
    monkeypatch.setattr(os, "fchmod", refuse)
    monkeypatch.setattr(Path, "chmod", refuse)
    old = os.umask(0)  # even with no umask, the file is created owner-only
    try:
        got = write_reports(result, folder, notice)
    finally:
        os.umask(old)
    for key in ("notification_list_csv", "notification_list_parquet"):
        mode = stat.S_IMODE(Path(got[key]).stat().st_mode)
        assert mode == 0o600, f"{key}: {oct(mode)}"
    assert pl.read_csv(got["notification_list_csv"]).height == len(truth(planted.rows)["to_notify"])


def test_substitute_notice_and_account_numbers_alone_reading(tmp_path):
    planted = build_inputs(tmp_path / "db", n=24)
    incident = tmp_path / "incident.yaml"
    incident.write_text(yaml.safe_dump({"notice": {"cost_per_notice_usd": 1_000_000}}))
    out = tmp_path / "o"
    result = run_scan([planted.folder], out, ScanOptions(hash_key="k", account_numbers_alone=True))
    notice = run_notice(out / "exposure.json", incident, out)
    assert notice["substitute_notice_permitted"] is True
    got = write_reports(result, out, notice)
    listed = pl.read_parquet(got["notification_list_parquet"])
    assert listed.height > 0 and listed.get_column("substitute_notice_5d").all()
    assert (
        listed.get_column("notice_methods").str.contains(r"substitute notice \(MCL 445\.72\(5\)\(d\)\)").all()
    )
    # under this reading a card number counts without its code: the words say so
    assert not listed.get_column("elements_exposed").str.contains("access code").any()
    assert "account numbers count alone" in Path(got["report"]).read_text()


@pytest.mark.parametrize("insurer", [False, True])
def test_the_list_holds_everyone_the_notice_counts_when_the_incident_reads_wider(tmp_path, insurer):
    """An incident whose encryption key was taken too (445.72(1)(b) / 500.561(1)(b)), or that reads account
    numbers alone: notice.json counts those residents, and the notification list must hold every one of them
    (it held the scan's default reading only: none of the people with only an encrypted SSN)."""
    db = tmp_path / "db"
    db.mkdir()
    rows = [
        ("Ann", "Lee", "287-65-4321", "", "MI"),  # readable SSN
        ("Bob", "Ray", "enc:U2FsdGVkX1+abcdEFGH1234567890abcdEF", "", "MI"),  # encrypted SSN only
        ("Cy", "Orr", "", "4539148803436467", "MI"),  # a card number without its code
        # an encrypted card number without its code: only under both wider readings at once
        ("Dee", "Fox", "", "enc:U2FsdGVkX1+zyxwVUTS0987654321zyxwVU", "MI"),
    ]
    pl.DataFrame(
        rows, schema=["first_name", "last_name", "ssn", "card_number", "state"], orient="row"
    ).write_csv(db / "people.csv")
    out = tmp_path / "o"
    result = run_scan([db], out, ScanOptions(hash_key="k"))
    facts = {
        "incident": {"encryption_key_compromised": True, "discovered_on": "2026-11-20"},
        "interpretation": {"account_numbers_alone": True},
    }
    if insurer:
        facts["entity"] = {"type": "insurance_licensee"}
    incident = tmp_path / "incident.yaml"
    incident.write_text(yaml.safe_dump(facts))
    notice = run_notice(out / "exposure.json", incident, out)
    listed = pl.read_parquet(write_reports(result, out, notice)["notification_list_parquet"])
    # both wider readings at once (until 2026-11-24 the larger of the two, 2, "a floor", and the list lacked Dee)
    assert notice["residents_to_notify"] == 4
    assert listed.get_column("first_name").to_list() == ["Ann", "Bob", "Cy", "Dee"]
    words = dict(zip(listed.get_column("first_name"), listed.get_column("elements_exposed"), strict=True))
    assert "Social Security number" in words["Bob"] and "account" in words["Cy"].lower()
    statute = "MCL 500.561" if insurer else "MCL 445.72"
    html = Path(out / "report.html").read_text()
    assert f"{statute}(1)(b)" in html
    # the count the decision takes is shown and explained in the report too
    assert re.search(r'id="what-if-both">4<', html)


# ---------------------------------------------------------------------------------------------- letter


def test_letter_has_every_element_of_445_72_6_c_to_g(scanned):
    planted, result, notice, paths, out = scanned
    letter = Path(paths["notice_letter"]).read_text()
    for sub in ("(6)(c)", "(6)(d)", "(6)(e)", "(6)(f)", "(6)(g)"):
        assert f"MCL 445.72{sub}" in letter, sub
    assert "[COMPANY PHONE NUMBER]" in letter and "[WHAT WE HAVE DONE]" in letter
    assert "[WHAT HAPPENED, IN GENERAL TERMS]" in letter
    assert "vigilant for incidents of fraud and identity theft" in letter
    assert "2026-11-20" in letter  # discovery date from the incident file
    assert "«elements_exposed»" in letter  # the per-resident element types come from the list
    for words in ("Social Security number", "driver's license", "financial account or card number"):
        assert words in letter
    for item in notice["content_checklist"]:
        assert item["citation"] in letter
    for v in planted.elements():
        assert v not in letter


# ---------------------------------------------------------------------------------------------- OCSF


def test_ocsf_per_column_findings_count_the_individuals_of_each_column(scanned):
    """The default OCSF file: one finding per table column and element (as Macie reports per object), with the
    individuals, affected individuals by residency and value counts of that column; no value, not even masked."""
    planted, result, notice, paths, out = scanned
    events = json.loads(Path(paths["findings_ocsf"]).read_text())
    assert events and len({e["finding_info"]["uid"] for e in events}) == len(events)
    ind = result.individuals
    michigan = set(ind.filter(pl.col("residency") == "michigan")["individual"].to_list())
    columns = {t["name"]: {c["name"]: c for c in t["columns"]} for t in result.exposure["tables"]}
    for e in events:
        assert e["class_uid"] == 2006 and e["type_uid"] == 200601 and e["category_uid"] == 2
        assert "pattern_match" not in e["data_security"]
        u = e["unmapped"]
        table, column, element = e["table"]["name"], u["column"], u["element"]
        assert e["finding_info"]["uid"] == f"{table}|{column}|{element}"
        # recomputed here from the records, one column at a time (the report groups all of them at once)
        held = result.records.filter(
            (pl.col("table") == table)
            & (pl.col(f"{element}_source") == column)
            & pl.col(f"{element}_status").is_in(["unredacted", "encrypted"])
        )
        people = set(held["individual"].to_list())
        readable = set(held.filter(pl.col(f"{element}_status") == "unredacted")["individual"].to_list())
        exposed = set(ind.filter(pl.col(f"exposed_{element}"))["individual"].to_list())
        assert u["individuals"] == len(people)
        assert u["affected"] == len(readable & exposed)
        assert u["affected_by_residency"]["michigan"] == len(readable & exposed & michigan)
        assert sum(u["affected_by_residency"].values()) == u["affected"]
        assert e["is_alert"] == (u["affected"] > 0) and e["severity_id"] == (4 if u["affected"] else 2)
        stats = columns[table][column.removesuffix(" (free text)")]
        if "found_in_text" in stats:
            assert u["values"]["unredacted"] == stats["found_in_text"]["ssn" if element == "ssn" else "card"]
        else:
            assert u["values"]["unredacted"] == stats["unredacted"]
        assert (
            e["data_security"]["policy"]["name"]
            == {
                "ssn": "MCL 445.63(p)(i)",
                "drivers_license": "MCL 445.63(p)(ii)",
                "financial_account": "MCL 445.63(p)(iii)",
            }[element]
        )
    # every Michigan resident affected by an element is counted in some column of it
    for element, n in result.exposure["affected_michigan_by_element"].items():
        per_column = [
            e["unmapped"]["affected_by_residency"]["michigan"]
            for e in events
            if e["unmapped"]["element"] == element
        ]
        assert sum(per_column) >= n
    text = Path(paths["findings_ocsf"]).read_text()
    for v in planted.elements():
        assert v not in text and re.sub(r"\D", "", v) not in text


def test_ocsf_per_column_reading_and_second_column(tmp_path):
    """A second SSN column of the same records still gets its finding (individuals counted from the first);
    with --account-numbers-alone an account column's affected count follows that reading."""
    from pipeline.reports import ocsf_column_findings

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "customers.csv").write_text(
        "first_name,last_name,ssn,ssn_copy,state,account_number\n"
        "John,Smith,536-22-4819,536-22-4819,MI,4000123412341234\n"
        "Mary,Jones,432-11-8812,432-11-8812,OH,5100123412341235\n"
    )
    for alone in (False, True):
        result = run_scan([folder], None, ScanOptions(hash_key="k", account_numbers_alone=alone))
        events = {e["finding_info"]["uid"]: e["unmapped"] for e in ocsf_column_findings(result)}
        assert events["customers|ssn|ssn"]["affected"] == 2
        assert events["customers|ssn|ssn"]["affected_by_residency"] == {
            "michigan": 1,
            "other_states": 1,
            "unknown_residency": 0,
        }
        copy = events["customers|ssn_copy|ssn"]
        assert copy["individuals"] == 0 and copy["values"]["unredacted"] == 2
        accounts = [u for uid, u in events.items() if u["element"] == "financial_account"]
        assert [u["affected"] for u in accounts] == [
            2 if alone else 0
        ]  # no access code: only the other reading
        assert accounts[0]["reading"]["account_numbers_alone"] is alone


def test_ocsf_granularity_option(scanned, tmp_path):
    planted, result, notice, paths, out = scanned
    none = write_reports(result, tmp_path / "none", notice, ocsf="none")
    assert "findings_ocsf" not in none and not (tmp_path / "none" / "findings.ocsf.json").exists()
    with pytest.raises(ValueError, match="ocsf must be one of"):
        write_reports(result, tmp_path / "bad", notice, ocsf="row")


def test_ocsf_data_security_findings_masked_and_complete(scanned, tmp_path):
    planted, result, notice, _, out = scanned
    paths = write_reports(result, tmp_path, notice, ocsf="individual")
    events = json.loads(Path(paths["findings_ocsf"]).read_text())
    findings = result.findings
    assert isinstance(events, list) and len(events) == findings.height > 0
    for e in events:
        assert e["class_uid"] == 2006 and e["category_uid"] == 2 and e["type_uid"] == 200601
        assert e["activity_id"] == 1 and isinstance(e["time"], int) and e["severity_id"] in (1, 2, 3, 4, 5)
        assert e["metadata"]["version"] and e["metadata"]["product"]["name"] == "breachscan"
        assert e["finding_info"]["uid"] and e["finding_info"]["title"]
        assert e["data_security"]["data_lifecycle_state_id"] == 1
        assert e["data_security"]["category_id"] in (2, 3)
    assert sorted(e["data_security"]["pattern_match"] for e in events) == sorted(
        findings["masked_value"].to_list()
    )
    assert len({e["finding_info"]["uid"] for e in events}) == len(events)
    ssn_events = [e for e in events if e["unmapped"]["element"] == "ssn"]
    assert ssn_events and all(
        re.fullmatch(r"\*\*\*-\*\*-\d{4}|\[\w+\]", e["data_security"]["pattern_match"]) for e in ssn_events
    )
    text = Path(paths["findings_ocsf"]).read_text()
    for v in planted.elements():
        assert v not in text and re.sub(r"\D", "", v) not in text


def test_ocsf_written_in_batches_is_the_same_json_and_escapes_names(scanned, tmp_path, monkeypatch):
    """The batched writer gives one valid array whatever the batch size, with awkward names escaped."""
    from pipeline.reports import write_ocsf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    planted, result, notice, paths, out = scanned
    findings = result.findings.with_columns(
        pl.concat_str([pl.col("column"), pl.lit(' "quoted" \\ tab\t é')]).alias("column")
    )
    whole, batched = tmp_path / "whole.json", tmp_path / "batched.json"
    write_ocsf(findings, result.exposure, whole)
    write_ocsf(findings, result.exposure, batched, batch_rows=2)
    assert whole.read_bytes() == batched.read_bytes()
    events = json.loads(batched.read_text())
    assert len(events) == findings.height > 2
    assert sorted(e["unmapped"]["column"] for e in events) == sorted(findings["column"].to_list())
    assert all(e["time"] == 1700000000000 for e in events)
    empty = tmp_path / "empty.json"
    write_ocsf(findings.head(0), result.exposure, empty)
    assert json.loads(empty.read_text()) == []


def test_verbose_scan_logs_each_stage_with_time_and_memory(tmp_path):
    """`breachscan -v scan` says how long each stage took (capacity planning), and nothing of the data."""
    import sys

    exe = Path(sys.executable).with_name("breachscan")
    run = subprocess.run(
        [str(exe), "-v", "scan", str(ROOT / "data_fixtures" / "multi_table"), "--out", str(tmp_path), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    stages = re.findall(r"stage (\w+): ([0-9.]+) s, peak RSS ([0-9]+) MiB", run.stderr)
    names = [name for name, _, _ in stages]
    for name in ("read", "classify", "evaluate", "links", "individuals", "exposure", "write", "reports"):
        assert names.count(name) == 1, (name, names)
    assert all(float(secs) >= 0 and int(rss) > 0 for _, secs, rss in stages)
    # the process's CPU seconds per whole-scan stage (a shared machine's wall times mislead); classify and
    # evaluate run together in threads, so one figure, on evaluate, covers both
    cpu = dict(re.findall(r"stage (\w+): [0-9.]+ s, peak RSS [0-9]+ MiB, CPU ([0-9.]+) s", run.stderr))
    assert set(cpu) == {"read", "evaluate", "links", "individuals", "exposure", "write", "reports"}, cpu
    assert all(float(s) >= 0 for s in cpu.values()) and float(cpu["read"]) > 0
    assert (
        "CPU" in re.search(r"stage evaluate: .*", run.stderr)[0] and "(classify and evaluate)" in run.stderr
    )
    assert not re.search(r"\d{3}-\d{2}-\d{4}", run.stderr)


# ---------------------------------------------------------------------------------------------- progress


def test_progress_shows_tables_on_a_terminal_and_nothing_otherwise(tmp_path):
    from rich.console import Console

    from pipeline.progress import ScanProgress, progress_enabled

    planted = build_inputs(tmp_path / "db", n=12)
    assert progress_enabled(False, io.StringIO()) is False  # not a TTY
    assert progress_enabled(True) is False  # quiet

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=120)
    with ScanProgress(console=console, enabled=True) as progress:
        result = run_scan([planted.folder / "customers.csv"], None, ScanOptions(progress=progress))
    assert result.exposure["affected"]["michigan"] > 0
    shown = buf.getvalue()
    assert "customers" in shown and "1/1" in shown

    quiet = io.StringIO()
    with ScanProgress(console=Console(file=quiet, force_terminal=False), quiet=True) as progress:
        run_scan([planted.folder / "customers.csv"], None, ScanOptions(progress=progress))
    assert quiet.getvalue() == ""


# ---------------------------------------------------------------------------------------------- per statute


def _licensee_notice(exposure: dict) -> dict:
    from pipeline.incident import load_incident
    from pipeline.notice import decide

    return decide(exposure, load_incident({"entity": {"type": "insurance_licensee"}}))


def test_a_licensees_reports_cite_the_insurance_codes_definition(scanned, tmp_path):
    """For an insurance licensee (MCL 500.561) personal information is defined in 500.561(17)(c)(i)-(iii), not
    in the Identity Theft Protection Act's 445.63(p): the report, the per-column and the per-individual OCSF
    findings cite it (they cited 445.63(p) whatever the statute)."""
    planted, result, _, _, out = scanned
    notice = _licensee_notice(result.exposure)
    assert notice["statute"] == "MCL 500.561"
    column = write_reports(result, tmp_path / "column", notice, ocsf="column")
    individual = write_reports(result, tmp_path / "individual", notice, ocsf="individual")
    html = Path(column["report"]).read_text()
    assert "Personal information as defined by MCL 500.561(17)(c);" in html
    assert "default reading of MCL 500.561(17)(c)(iii)" in html
    for paragraph in ("(i)", "(ii)", "(iii)"):
        assert f"<td>MCL 500.561(17)(c){paragraph}</td>" in html
    # the parts the report writes itself (a column's evidence is the classifier's, and cites 445.63(p))
    own = html[html.index('id="answer"') : html.index('id="charts"')]
    own += html[html.index('id="what-if"') : html.index('id="classification"')]
    assert "445.63" not in own and "Default reading: " in own
    names = {"ssn": "(i)", "drivers_license": "(ii)", "financial_account": "(iii)"}
    for paths in (column, individual):
        events = json.loads(Path(paths["findings_ocsf"]).read_text())
        assert events
        for e in events:
            cite = "MCL 500.561(17)(c)" + names[e["unmapped"]["element"]]
            assert e["data_security"]["policy"] == {
                "desc": "Personal information under MCL 500.561(17)(c)",
                "name": cite,
            }
            assert e["finding_info"]["types"] == ["Personal information (MCL 500.561(17)(c))"]
            assert cite in e["finding_info"]["title"] and cite in e["message"]
        assert "445.63" not in Path(paths["findings_ocsf"]).read_text()


def test_a_business_report_still_cites_445_63_p(scanned):
    planted, result, notice, paths, out = scanned
    assert notice["statute"] == "MCL 445.72"
    html = Path(paths["report"]).read_text()
    assert "Personal information as defined by MCL 445.63(p);" in html
    assert "<td>MCL 445.63(p)(iii)</td>" in html and "500.561(17)" not in html


def test_report_states_the_civil_fine_and_what_it_counts(scanned, tmp_path):
    """1,001 residents: (1) notices to 1,001 residents and (8) notices to the 3 nationwide consumer reporting
    agencies are each a required notice, $250 a failure (445.72(13)): 1,004 x $250 = $251,000, under the
    $750,000 cap. The report said "if required notices are not given" beside residents x $250 = $250,250."""
    from pipeline.incident import load_incident
    from pipeline.notice import decide
    from pipeline.reports import render_html

    planted, result, _, _, out = scanned
    exposure = {
        "affected": {"michigan": 1001, "other_states": 0, "unknown_residency": 0},
        "what_if": {"account_numbers_alone": 1001, "encryption_key_compromised": 1001},
    }
    html = render_html(result, decide(exposure, load_incident({})))
    assert (
        "Maximum civil fine for knowingly failing to give all 1,004 notices the section requires "
        "($250.00 each, at most $750,000.00 per breach): $251,000.00 (MCL 445.72(13), (14))."
    ) in html
    assert "if required notices are not given" not in html
    # a maintainer's one notice, to the owner (2)
    maintainer = decide(exposure, load_incident({"entity": {"owns_or_licenses_data": False}}))
    assert "give the one notice the section requires ($250.00 each" in render_html(result, maintainer)
    # the law-enforcement delay is not the only one: (4)(a) is shown beside it
    assert "Delay at law enforcement's request (MCL 445.72(4)(b)): not permitted." in html
    assert "Delay to determine the scope and restore the database (MCL 445.72(4)(a)): available" in html


def test_the_letter_names_only_the_types_of_the_people_it_goes_to(tmp_path):
    """Only account numbers without codes, read alone by the incident file: the letter's types (445.72(6)(d)) are
    account or card numbers, never an SSN or licence nobody's information was of (until 2026-11-24 a scan with no
    default-reading count listed all three)."""
    db = tmp_path / "db"
    db.mkdir()
    pl.DataFrame(
        [("Ann", "Lee", "4539148803436467", "MI"), ("Bob", "Ray", "5457623899012344", "MI")],
        schema=["first_name", "last_name", "card_number", "state"],
        orient="row",
    ).write_csv(db / "people.csv")
    out = tmp_path / "o"
    result = run_scan([db], out, ScanOptions(hash_key="k"))
    incident = tmp_path / "incident.yaml"
    incident.write_text(yaml.safe_dump({"interpretation": {"account_numbers_alone": True}}))
    notice = run_notice(out / "exposure.json", incident, out)
    assert notice["residents_to_notify"] == 2
    letter = Path(write_reports(result, out, notice)["notice_letter"]).read_text()
    types = letter.split("the types of personal information involved were:")[1].split("##")[0]
    assert "financial account or card number" in types
    assert "Social Security" not in types and "driver" not in types


def test_unknown_residency_under_the_reading_the_count_takes(tmp_path):
    """With the key taken, Cy (an encrypted SSN, no state) is on the list marked to confirm; the notice's warning
    about unknown residency says so too (until 2026-11-24 it counted the default reading's: 'every affected
    individual has a known state')."""
    db = tmp_path / "db"
    db.mkdir()
    rows = [
        ("Ann", "Lee", "287-65-4321", "MI"),
        ("Cy", "Orr", "enc:U2FsdGVkX1+abcdEFGH1234567890abcdEF", ""),
    ]
    pl.DataFrame(rows, schema=["first_name", "last_name", "ssn", "state"], orient="row").write_csv(
        db / "p.csv"
    )
    out = tmp_path / "o"
    result = run_scan([db], out, ScanOptions(hash_key="k"))
    assert result.exposure["affected"]["unknown_residency"] == 0
    assert result.exposure["what_if_unknown_residency"]["encryption_key_compromised"] == 1
    incident = tmp_path / "incident.yaml"
    incident.write_text(yaml.safe_dump({"incident": {"encryption_key_compromised": True}}))
    notice = run_notice(out / "exposure.json", incident, out)
    unknown = next(d for d in notice["determinations"] if d["id"] == "unknown_residency")
    assert unknown["applies"] is True and "marked to confirm" in unknown["reason"]
    listed = pl.read_parquet(write_reports(result, out, notice)["notification_list_parquet"])
    assert listed.filter(pl.col("residency_to_confirm")).get_column("first_name").to_list() == ["Cy"]
    assert re.search(r'id="affected-unknown-notice">1<', (out / "report.html").read_text())


def test_headline_says_when_the_notice_counts_under_a_wider_reading_than_the_scan(tmp_path):
    """Only encrypted SSNs, and the incident file says the key was taken: the scan's reading counts 0 affected,
    the notice 2 to notify. The headline must say why the two differ (until 2026-11-24 it showed "0 affected"
    beside "2 to notify" with nothing between them)."""
    db = tmp_path / "db"
    db.mkdir()
    rows = [
        ("Ann", "Lee", "enc:U2FsdGVkX1+abcdEFGH1234567890abcdEF", "MI"),
        ("Bo", "Ray", "enc:U2FsdGVkX1+zyxwVUTS0987654321zyxwVU", "MI"),
    ]
    pl.DataFrame(rows, schema=["first_name", "last_name", "ssn", "state"], orient="row").write_csv(
        db / "p.csv"
    )
    out = tmp_path / "o"
    result = run_scan([db], out, ScanOptions(hash_key="k"))
    assert result.exposure["affected"]["michigan"] == 0
    plain = Path(write_reports(result, out, None)["report"]).read_text()
    assert "notice-reading" not in plain and "wider reading" not in plain  # no notice: nothing to explain
    incident = tmp_path / "incident.yaml"
    incident.write_text(yaml.safe_dump({"incident": {"encryption_key_compromised": True}}))
    notice = run_notice(out / "exposure.json", incident, out)
    assert notice["residents_to_notify"] == 2
    html = Path(write_reports(result, out, notice)["report"]).read_text()
    said = re.search(r'id="notice-reading">([^<]*)<', html)
    assert said and "encryption key was compromised (MCL 445.72(1)(b))" in said.group(1)
    assert "the notice decision counts under a wider reading" in html
