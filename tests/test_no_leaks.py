"""No raw value ever leaves the scanner, except names and addresses in the owner-only notification list.

Known SSNs, card numbers, licence numbers and passwords (plus names) are planted in synthetic tables; every
command that exists runs on them (CLI scan with -vv, notice, audit, the Airflow operators), including forced
errors (a corrupt file, a ragged CSV whose bad row holds an SSN, a database URI with a password). Every output
file, every log record, stdout/stderr and every exception message is searched for the planted values in the
forms they were planted in and as digits only. The planted data is also built here for test_reports.py and
test_determinism.py (import ``build_inputs``).
"""

from __future__ import annotations

import csv
import gzip
import html
import json
import logging
import os
import random
import re
import subprocess
import sys
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pytest
import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
BREACHSCAN = Path(sys.executable).parent / "breachscan"
INCIDENT = ROOT / "configs" / "incident.example.yaml"
SEED = 20261123
DB_PASSWORD = "Pl4nted-DbSecret-77"

FIRST = ["Avery", "Jordan", "Morgan", "Riley", "Casey", "Quinn", "Harper", "Rowan", "Emerson", "Sawyer"]
LAST = ["Kowalczyk", "Brennan", "Okafor", "Lindqvist", "Marchetti", "Nakamura", "Delgado", "Fairweather"]


# ---------------------------------------------------------------------------------------------- planted data


def _luhn(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


@dataclass
class Planted:
    folder: Path
    ssns: list[str] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    passwords: list[str] = field(default_factory=list)
    cvvs: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # last names: may appear only in the notification list
    rows: list[dict] = field(default_factory=list)  # the customers rows as written (the truth for counts)

    def elements(self) -> list[str]:
        return self.ssns + self.cards + self.licences + self.passwords


def build_inputs(folder: Path, seed: int = SEED, n: int = 48) -> Planted:
    """customers.csv (people, elements, residency) + orders.csv (linked by customer_id, free-text notes).

    Row i: Michigan when i % 3 != 0, Ohio when i % 3 == 0, no state/ZIP at all when i % 8 == 0 (unknown
    residency); SSN redacted when i % 4 == 1; licence when i % 5 == 0; CVV when i is even; password always.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    p = Planted(folder)
    rows = []
    for i in range(n):
        ssn, card = _ssn(rng), _luhn(rng.choice(["45", "51", "37"]), 16, rng)
        if card.startswith("37"):
            card = _luhn("37", 15, rng)
        licence = "S" + "".join(str(rng.randrange(10)) for _ in range(12))
        password = f"Tr0ub4dor&{rng.randint(10**5, 10**6 - 1)}-xK"
        cvv = f"{rng.randint(100, 999)}"
        if i % 8 == 0:
            state, zip_ = "", ""
        elif i % 3 == 0:
            state, zip_ = "OH", f"{rng.randint(43001, 45999)}"
        else:
            state, zip_ = "MI", f"{rng.randint(48001, 49971)}"
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST) + i) % len(LAST)]
        row = {
            "customer_id": str(7000 + i),
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}.{i}@example.org" if i % 2 else "",
            "street_address": f"{rng.randint(1, 999)} Elm Street",
            "city": "Lansing" if state == "MI" else ("Toledo" if state else ""),
            "state": state,
            "zip": zip_,
            "ssn": ssn if i % 4 != 1 else "***-**-" + ssn[-4:],
            "drivers_license": licence if i % 5 == 0 else "",
            "card_number": card,
            "cvv": cvv if i % 2 == 0 else "",
            "password": password,
        }
        rows.append(row)
        p.ssns.append(ssn)
        p.cards.append(card)
        if i % 5 == 0:
            p.licences.append(licence)
        p.passwords.append(password)
        if i % 2 == 0:
            p.cvvs.append(cvv)
        p.names.append(last)
    p.rows = rows
    with open(folder / "customers.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with open(folder / "orders.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["order_id", "customer_id", "amount", "notes"])
        for j in range(n * 2):
            i = rng.randrange(n)
            note = f"customer read SSN {p.ssns[i]} over the phone" if j % 7 == 0 else "shipped"
            w.writerow([str(90000 + j), rows[i]["customer_id"], f"{rng.randint(5, 500)}.00", note])
    return p


def add_broken_inputs(folder: Path, planted: Planted) -> None:
    """Inputs that must fail (or lose rows) without quoting their content: a corrupt Parquet file, a ragged CSV,
    a SQL dump with a broken INSERT that ends mid-statement, a malformed NDJSON line, a truncated gzip, and a
    zip archive holding a good table and a corrupt one. Each broken part holds planted values."""
    s, c, pw = planted.ssns, planted.cards, planted.passwords
    (folder / "corrupt.parquet").write_bytes(b"PAR1" + s[0].encode() + b"\x00garbage" * 20)
    with open(folder / "ragged.csv", "w", newline="") as fh:
        fh.write("first_name,last_name,ssn\n")
        fh.write(f"Avery,Kowalczyk,{s[2]}\n")
        fh.write(f'Jordan,"Brennan,{s[3]},{c[3]},extra,"fields\n')
        fh.write(f"Riley,Okafor,{s[4]},{pw[4]},more,cells,here\n")
    (folder / "dump.sql").write_text(
        "CREATE TABLE patients (id integer PRIMARY KEY, first_name text, last_name text, ssn text, pin text);\n"
        f"INSERT INTO patients VALUES (1, 'Quinn', 'Delgado', '{s[6]}', '{pw[6]}');\n"
        f"INSERT INTO patients VALUES (2, 'Harper', 'Nakamura', '{s[7]}', '{pw[7]}', 'too', 'many');\n"
        f"INSERT INTO patients VALUES (3, 'Rowan', 'Lindqvist, '{s[8]}', '{pw[8]});\n"
        f"INSERT INTO patients VALUES (4, 'Sawyer', 'Fairweather', '{s[9]}', '{c[9]}"
    )
    (folder / "events.ndjson").write_text(
        json.dumps({"first_name": "Casey", "last_name": "Marchetti", "ssn": s[10]})
        + "\n"
        + '{"first_name": "Emerson", "last_name": "Okafor", "ssn": "'
        + s[11]
        + '", "card": '
        + c[11]
        + "\n"
    )
    body = "first_name,last_name,ssn,card_number\n" + "".join(
        f"Morgan,Brennan,{s[k]},{c[k]}\n" for k in range(12, 30)
    )
    packed = gzip.compress(body.encode())
    (folder / "truncated.csv.gz").write_bytes(packed[: len(packed) // 2])
    with zipfile.ZipFile(folder / "archive.zip", "w") as zf:
        zf.writestr("members.csv", "first_name,last_name,ssn\n" + f"Avery,Lindqvist,{s[30]}\n")
        zf.writestr("broken.parquet", b"PAR1" + s[31].encode() + b"PAR1")


# ---------------------------------------------------------------------------------------------- the search


def forms(value: str) -> set[str]:
    """The value as planted, digits only, and with spaces for dashes (how a number may be re-rendered)."""
    out = {value}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7:
        out |= {digits, value.replace("-", " ")}
    return out


def needles(planted: Planted, with_names: bool = True) -> dict[str, str]:
    found = {}
    for kind, values in (
        ("ssn", planted.ssns),
        ("card", planted.cards),
        ("licence", planted.licences),
        ("password", planted.passwords),
        ("db password", [DB_PASSWORD]),
    ):
        for v in values:
            for f in forms(v):
                found[f] = kind
    if with_names:
        for name in set(planted.names):
            found[name] = "name"
    return found


def hits(text: str, wanted: dict[str, str]) -> list[str]:
    return sorted({f"{kind} {value!r}" for value, kind in wanted.items() if value in text})


def file_text(path: Path) -> str:
    """Text of an output file; Parquet is decoded (its pages may be compressed) and its bytes kept too."""
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    if path.suffix in (".html", ".htm", ".svg", ".xml"):
        text += "\n" + html.unescape(text)  # "&" is written "&amp;": search what a reader sees
    if path.suffix == ".parquet":
        frame = pl.read_parquet(path)
        text += "\n" + frame.write_csv() + "\n" + " ".join(frame.columns)
    return text


def assert_clean_tree(folder: Path, planted: Planted) -> int:
    """Every file under folder holds no planted element; only notification_list.* may hold names."""
    checked = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        list_file = path.name.startswith("notification_list")
        found = hits(file_text(path), needles(planted, with_names=not list_file))
        assert not found, f"{path.relative_to(folder)} leaks {found}"
        checked += 1
    return checked


def assert_clean(text: str, planted: Planted, where: str) -> None:
    found = hits(text, needles(planted))
    assert not found, f"{where} leaks {found}"


# ---------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Planted:
    folder = tmp_path_factory.mktemp("planted")
    p = build_inputs(folder / "db")
    add_broken_inputs(folder / "db", p)
    return p


@pytest.fixture(scope="module")
def live_databases(planted):
    """The planted customers in a real PostgreSQL and a real MariaDB database (dropped afterwards).

    Returns the URIs that reach them; a server that is not running is left out with a visible reason."""
    rows = [
        (r["first_name"], r["last_name"], r["ssn"], r["card_number"], r["password"])
        for r in planted.rows[:16]
    ]
    name = f"breachscan_leaks_{os.getpid()}"
    uris, reasons, cleanup = [], [], []
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")
            c.execute(f"CREATE DATABASE {name}")
        with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}", autocommit=True) as c:
            c.execute(
                "CREATE TABLE members (first_name text, last_name text, ssn text, card_number text, password text)"
            )
            with c.cursor() as cur:
                cur.executemany("INSERT INTO members VALUES (%s, %s, %s, %s, %s)", rows)
        uris.append(f"postgresql://postgres@127.0.0.1:5432/{name}")

        def drop_pg():
            with psycopg.connect(
                "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
            ) as c:
                c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

        cleanup.append(drop_pg)
    except Exception as exc:  # noqa: BLE001
        reasons.append(f"PostgreSQL at 127.0.0.1:5432 not usable: {type(exc).__name__}")
    try:
        import pymysql

        c = pymysql.connect(host="127.0.0.1", port=3306, user="root", autocommit=True)
        with c.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name}")
            cur.execute(f"CREATE DATABASE {name}")
            cur.execute(
                f"CREATE TABLE {name}.members (first_name varchar(40), last_name varchar(40), ssn varchar(20), "
                "card_number varchar(20), password varchar(40))"
            )
            cur.executemany(f"INSERT INTO {name}.members VALUES (%s, %s, %s, %s, %s)", rows)
        c.close()
        uris.append(f"mysql://root@127.0.0.1:3306/{name}")

        def drop_my():
            c = pymysql.connect(host="127.0.0.1", port=3306, user="root", autocommit=True)
            with c.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {name}")
            c.close()

        cleanup.append(drop_my)
    except Exception as exc:  # noqa: BLE001
        reasons.append(f"MariaDB at 127.0.0.1:3306 not usable: {type(exc).__name__}")
    for why in reasons:
        warnings.warn(why, stacklevel=1)
    yield uris
    for drop in cleanup:
        drop()


def _pg_uri() -> str:
    # a real server (127.0.0.1:5432, trust auth) and a database that does not exist: the error must not
    # quote the password given in the URI
    return f"postgresql://postgres:{DB_PASSWORD}@127.0.0.1:5432/breachscan_no_such_db_for_leak_test"


# ---------------------------------------------------------------------------------------------- tests


def test_planted_values_are_found_so_the_search_means_something(planted, tmp_path):
    """The scan sees the planted elements (else a clean output would prove nothing)."""
    from pipeline.scan import ScanOptions, run_scan

    result = run_scan([planted.folder / "customers.csv"], tmp_path, ScanOptions(hash_key="k"))
    by = result.exposure["affected_michigan_by_element"]
    assert by["ssn"] > 0 and by["drivers_license"] > 0 and by["financial_account"] > 0
    # the frames that must never be written do hold the raw values: the search below would find a leak
    raw = result.records.select("ssn_value").drop_nulls().to_series().to_list()
    assert set(raw) & {s.replace("-", "") for s in planted.ssns}
    assert hits(result.records.write_csv(), needles(planted))


def test_cli_scan_with_incident_verbose_and_errors_leaks_nothing(planted, live_databases, tmp_path):
    out = tmp_path / "out"
    customers = str(planted.folder / "customers.csv")
    env = {**os.environ, "BREACHSCAN_HASH_KEY": "leak-test-key", "COLUMNS": "200"}
    runs = [
        [
            str(BREACHSCAN),
            "-vv",
            "scan",
            str(planted.folder),
            *live_databases,
            _pg_uri(),
            "--out",
            str(out),
            "--incident",
            str(INCIDENT),
        ],
        [str(BREACHSCAN), "-vv", "scan", customers, "--out", str(tmp_path / "o2"), "--json"],
    ]
    for args in runs:
        proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
        shown = " ".join(a if DB_PASSWORD not in a else "<uri>" for a in args[2:])
        assert_clean(proc.stdout, planted, f"stdout of {shown}")
        assert_clean(proc.stderr, planted, f"stderr of {shown}")
        assert proc.returncode in (0, 1, 2), proc.returncode
    exposure = json.loads((out / "exposure.json").read_text())
    # the forced errors were really hit and reported by name
    unreadable = " ".join(u["path"] for u in exposure["unreadable"])
    assert "corrupt.parquet" in unreadable and "truncated.csv.gz" in unreadable
    assert "breachscan_no_such_db_for_leak_test" in unreadable and DB_PASSWORD not in unreadable
    assert exposure["affected"]["michigan"] > 0
    assert assert_clean_tree(out, planted) >= 2
    assert assert_clean_tree(tmp_path / "o2", planted) >= 1


def test_in_process_scan_reports_and_notice_logs_leak_nothing(planted, live_databases, tmp_path, caplog):
    """run_scan + run_notice + write_reports at DEBUG: every log record, every output file."""
    from pipeline.notice import run_notice
    from pipeline.reports import write_reports
    from pipeline.scan import ScanOptions, run_scan

    caplog.set_level(logging.DEBUG)
    out = tmp_path / "out"
    result = run_scan([planted.folder, *live_databases, _pg_uri()], out, ScanOptions(hash_key="k"))
    # the live databases were read (their planted rows are in the scan), the broken URI was not
    read = {t["path"] for t in result.exposure["tables"]}
    for uri in live_databases:
        assert any(p.startswith(uri.split("://")[0]) for p in read), (uri, read)
    notice = run_notice(out / "exposure.json", INCIDENT, out)
    paths = write_reports(result, out, notice)
    assert {"report", "notification_list_csv", "notice_letter", "findings_ocsf"} <= set(paths)
    assert len(result.exposure["unreadable"]) >= 2  # the corrupt file and the database
    for rec in caplog.records:
        assert_clean(rec.getMessage(), planted, f"log record {rec.name}")
        if rec.exc_info:
            assert_clean(str(rec.exc_info[1]), planted, f"exception logged by {rec.name}")
    assert_clean_tree(out, planted)
    # the list does hold the people it exists for, and nothing else
    listed = pl.read_csv(paths["notification_list_csv"], infer_schema=False)
    assert listed.height > 0 and set(listed.get_column("last_name").to_list()) <= set(planted.names)


def test_cli_runner_in_process_logs_leak_nothing(planted, tmp_path, caplog):
    from pipeline.cli import main

    caplog.set_level(logging.DEBUG)
    res = CliRunner().invoke(
        main,
        [
            "-vv",
            "scan",
            str(planted.folder / "customers.csv"),
            "--out",
            str(tmp_path / "o"),
            "--hash-key",
            "k",
            "--incident",
            str(INCIDENT),
            "--ocsf",
            "individual",  # the per-individual OCSF file too (the other CLI test writes the per-column one)
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "findings.ocsf.json").exists()
    assert_clean(res.output, planted, "CliRunner output")
    for rec in caplog.records:
        assert_clean(rec.getMessage(), planted, f"log record {rec.name}")
    assert_clean_tree(tmp_path / "o", planted)


def test_notice_command_leaks_nothing(planted, tmp_path):
    from pipeline.cli import main

    if "notice" not in main.commands:
        pytest.skip(
            "no `breachscan notice` command in pipeline/cli.py yet (the notice step runs via scan --incident)"
        )
    from pipeline.scan import ScanOptions, run_scan

    run_scan([planted.folder / "customers.csv"], tmp_path / "scan", ScanOptions(hash_key="k"))
    res = CliRunner().invoke(
        main,
        [
            "-vv",
            "notice",
            "--exposure",
            str(tmp_path / "scan" / "exposure.json"),
            "--incident",
            str(INCIDENT),
            "--out",
            str(tmp_path / "notice"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert_clean(res.output, planted, "notice output")
    assert_clean_tree(tmp_path / "notice", planted)


def test_errors_raised_to_the_caller_quote_no_value(planted, tmp_path):
    """A failure that reaches the caller (not one reported as unreadable) names the cause, not the data."""
    from pipeline.notice import run_notice

    bad = tmp_path / "exposure.json"
    bad.write_text('{"affected": {"michigan": 3}, "what_if": ' + planted.ssns[5])  # not JSON
    with pytest.raises(Exception) as info:
        run_notice(bad, INCIDENT, tmp_path / "n")
    assert_clean(str(info.value), planted, "run_notice error")
    assert_clean("".join(map(str, info.value.args)), planted, "run_notice error args")


def test_audit_leaks_nothing(planted, tmp_path, caplog):
    try:
        from pipeline.audit import run_audit
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"pipeline.audit does not import: {type(exc).__name__}")
    caplog.set_level(logging.DEBUG)
    config = tmp_path / "audit.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "leak-test",
                "sources": [str(planted.folder / "customers.csv")],
                "output_dir": str(tmp_path / "audit-out"),
                "retention": {"customers": {"status_column": "state", "removed_values": ["OH"]}},
            }
        )
    )
    result = run_audit(config)
    assert result.exit_code in (0, 1, 2)
    assert_clean(json.dumps(result.summary, default=str), planted, "audit summary")
    assert_clean(result.report_md, planted, "audit report")
    for rec in caplog.records:
        assert_clean(rec.getMessage(), planted, f"log record {rec.name}")
    assert assert_clean_tree(tmp_path / "audit-out", planted) >= 1


def test_airflow_operators_leak_nothing(planted, tmp_path, caplog):
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="breachscan-leak-airflow-"))
    try:
        from pipeline.airflow.operators import BreachNoticeOperator, BreachScanOperator
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Airflow operators do not import: {type(exc).__name__}: {exc}")
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "scan"
    scan = BreachScanOperator(
        task_id="scan",
        inputs=[str(planted.folder / "customers.csv")],
        out_dir=str(out),
        scan_options={"hash_key": "k"},
    )
    summary = scan.execute({})
    notice = BreachNoticeOperator(
        task_id="notice",
        exposure_path=summary["exposure_path"],
        incident_path=str(INCIDENT),
        out_dir=str(out),
    )
    decision = notice.execute({})
    assert_clean(json.dumps(summary) + json.dumps(decision), planted, "operator XCom")
    for rec in caplog.records:
        assert_clean(rec.getMessage(), planted, f"log record {rec.name}")
    assert_clean_tree(out, planted)


def test_headerless_csv_does_not_turn_values_into_column_names(tmp_path):
    """A CSV exported without a header row: its first row's values must not surface as column names."""
    from pipeline.reports import write_reports
    from pipeline.scan import ScanOptions, run_scan

    p = build_inputs(tmp_path / "src", seed=SEED + 1, n=12)
    lines = (p.folder / "customers.csv").read_text().splitlines()[1:]
    only = tmp_path / "headerless"
    only.mkdir()
    (only / "export.csv").write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = run_scan([only], out, ScanOptions(hash_key="k"))
    write_reports(result, out, None)
    assert_clean_tree(out, p)


def test_cli_notice_and_audit_commands_leak_nothing(planted, tmp_path):
    """`breachscan notice` and `breachscan audit` as a user runs them (-vv), including a failing notice."""
    from pipeline.cli import main

    missing = {"notice", "audit"} - set(main.commands)
    if missing:
        pytest.skip(f"no `breachscan {' / '.join(sorted(missing))}` command in pipeline/cli.py")
    env = {**os.environ, "BREACHSCAN_HASH_KEY": "leak-test-key"}
    scan = tmp_path / "scan"

    def run(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(BREACHSCAN), "-vv", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
        )
        assert_clean(proc.stdout + proc.stderr, planted, f"output of breachscan {args[0]}")
        return proc

    customers = str(planted.folder / "customers.csv")
    assert run("scan", customers, "--out", str(scan), "-q").returncode == 0
    assert (
        run(
            "notice",
            "--exposure",
            str(scan / "exposure.json"),
            "--incident",
            str(INCIDENT),
            "--out",
            str(tmp_path / "notice"),
            "--json",
        ).returncode
        == 0
    )
    # an incident file with a wrong field fails by naming the field. The incident file is the user's own text,
    # not scanned data, so it holds no planted value; the exposure it is decided on was made from them.
    broken = tmp_path / "incident.yaml"
    broken.write_text("incident:\n  discovered_on: last tuesday\n")
    failed = run(
        "notice",
        "--exposure",
        str(scan / "exposure.json"),
        "--incident",
        str(broken),
        "--out",
        str(tmp_path / "n2"),
    )
    assert failed.returncode != 0
    config = tmp_path / "audit.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "leak-cli",
                "sources": [customers],
                "output_dir": str(tmp_path / "audit-out"),
                "retention": {"customers": {"status_column": "state", "removed_values": ["OH"]}},
            }
        )
    )
    assert run("audit", str(config), "--json").returncode in (0, 1)
    for folder in (scan, tmp_path / "notice", tmp_path / "audit-out"):
        assert_clean_tree(folder, planted)
