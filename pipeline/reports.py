"""Reports people act on: the HTML report, the notification list, the resident letter draft, OCSF findings.

Only the notification list holds names and postal/e-mail addresses (it exists to send the notices of MCL
445.72(5)); it is created owner-only. Everything else holds counts, table and column names, evidence, masked
values and keyed hashes: never a raw element value and never a name. As a second line of defence every string
the HTML report renders passes ``scrub``, which masks any run of digits long enough to be an element.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl
import pyarrow as pa
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from detectors import residency
from pipeline.exposure import counted_alive, with_vital_flags
from pipeline.notice import civil_fine_line
from pipeline.records import FOUND_IN_TEXT

ELEMENTS = ("ssn", "drivers_license", "financial_account")
ELEMENT_WORDS = {
    "ssn": "Social Security number",
    "drivers_license": "driver's license or state personal identification card number",
    "financial_account": "financial account or card number with its security code, access code or password",
}
ELEMENT_WORDS_ALONE = {**ELEMENT_WORDS, "financial_account": "financial account or card number"}
ELEMENT_SHORT = {
    "ssn": "Social Security number",
    "drivers_license": "Licence / state ID",
    "financial_account": "Account / card",
}
DEFAULT_STATUTE = "MCL 445.72"
# Where each governing statute defines "personal information": the Identity Theft Protection Act in 445.63(p),
# the Insurance Code for its licensees in 500.561(17)(c). Same words, own paragraph numbers.
PERSONAL_INFORMATION = {"MCL 445.72": "MCL 445.63(p)", "MCL 500.561": "MCL 500.561(17)(c)"}
ELEMENT_PARAGRAPH = {"ssn": "(i)", "drivers_license": "(ii)", "financial_account": "(iii)"}


def personal_information_citation(statute: str = DEFAULT_STATUTE) -> str:
    """The definition of personal information under the governing statute (another jurisdiction: 445.63(p))."""
    return PERSONAL_INFORMATION.get(statute, PERSONAL_INFORMATION[DEFAULT_STATUTE])


def element_citations(statute: str = DEFAULT_STATUTE) -> dict[str, str]:
    """Each element's paragraph of that definition: MCL 445.63(p)(i) or MCL 500.561(17)(c)(i), and so on."""
    definition = personal_information_citation(statute)
    return {e: definition + paragraph for e, paragraph in ELEMENT_PARAGRAPH.items()}


ELEMENT_CITATION = element_citations(DEFAULT_STATUTE)  # the Identity Theft Protection Act's, as before
NOTICE_LABELS = {
    "residents": "Michigan residents",
    "owner_or_licensor": "Owner or licensor of the data",
    "consumer_reporting_agencies": "Nationwide consumer reporting agencies",
    "director_of_insurance_and_financial_services": "Director of Insurance and Financial Services",
}
STATUS_COLORS = {
    "unredacted": "#b03a2e",
    "encrypted": "#b9770e",
    "redacted": "#1e8449",
    "rejected": "#7f8c8d",
}

# Digits that could be an element (7+ digits, space or dash between them allowed; letters before, as in a
# licence number): never shown outside the notification list. Citations (500.561) and decimals do not match.
_LONG_DIGITS = re.compile(r"(?<!\d)\d(?:[ \-]?\d){6,}(?!\d)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # ISO dates (discovery, deadlines) are not elements


def scrub(text: Any) -> Any:
    """Mask long digit runs in a string (defence in depth: the inputs are meant to be value-free already).

    Markup is the output of a macro whose own variables were scrubbed already; it is passed through.
    """
    if not isinstance(text, str) or isinstance(text, Markup):
        return text
    return _LONG_DIGITS.sub(
        lambda m: m.group(0) if _DATE.fullmatch(m.group(0)) else "####" + m.group(0)[-2:], text
    )


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=scrub,
    )
    env.filters["num"] = lambda n: f"{int(n):,}"
    env.filters["pct"] = lambda x: f"{100 * float(x):.0f}%"
    return env


# ---------------------------------------------------------------------------------------------- readings


def _reading(exposure: dict) -> dict[str, bool]:
    r = exposure.get("reading") or {}
    return {
        "account_numbers_alone": bool(r.get("account_numbers_alone", False)),
        "unknown_residency_as_michigan": bool(r.get("unknown_residency_as_michigan", False)),
        "codes_with_their_own_account": bool(r.get("codes_with_their_own_account", False)),
        "deceased_counted": bool(r.get("deceased_counted", False)),
    }


def _as_counted(individuals: pl.DataFrame, exposure: dict) -> pl.DataFrame:
    """The individuals as exposure.json counted them: those recorded as deceased affected by no reading, unless
    the scan counted them (reading.deceased_counted; 445.72(1) "each resident of this state")."""
    return (
        with_vital_flags(individuals)
        if _reading(exposure)["deceased_counted"]
        else counted_alive(individuals)
    )


def _affected_flag(exposure: dict) -> str:
    reading = _reading(exposure)
    if reading["account_numbers_alone"]:
        return "affected_account_numbers_alone"
    return "affected_codes_with_their_own_account" if reading["codes_with_their_own_account"] else "affected"


def _exposed_columns(exposure: dict) -> dict[str, str]:
    reading = _reading(exposure)
    fa = "exposed_financial_account"
    if reading["account_numbers_alone"]:
        fa = "exposed_financial_account_alone"
    elif reading["codes_with_their_own_account"]:
        fa = "exposed_financial_account_own_code"
    return {"ssn": "exposed_ssn", "drivers_license": "exposed_drivers_license", "financial_account": fa}


def _incident_readings(notice: dict | None) -> tuple[bool, bool]:
    """(encryption key compromised, account numbers alone) as the incident file given to the notice step says."""
    facts = (notice or {}).get("assumed_facts") or {}

    def fact(name: str) -> bool:
        return bool((facts.get(name) or {}).get("value", False))

    return fact("incident.encryption_key_compromised"), fact("interpretation.account_numbers_alone")


def _statute(notice: dict | None) -> str:
    return (notice or {}).get("statute") or DEFAULT_STATUTE


# ---------------------------------------------------------------------------------------------- owner-only files


@contextmanager
def owner_only(path: Path) -> Iterator[IO[bytes]]:
    """Open a new file that only its owner can read, created so (no window where others can read it).

    An existing file is removed first: O_CREAT keeps an old file's wider mode. O_NOFOLLOW refuses a symlink
    planted at the path.
    """
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as handle:
        yield handle


# ---------------------------------------------------------------------------------------------- notification list

NOTIFICATION_COLUMNS = [
    "first_name",
    "last_name",
    "address",
    "city",
    "state",
    "zip",
    "email",
    "residency",
    "residency_to_confirm",
    "elements_exposed",
    "written_notice_5a",
    "electronic_notice_5b",
    "substitute_notice_5d",
    "notice_methods",
    "tables",
    # recorded as deceased in the export (added 2026-11-25): on the list only when the scan counted them
    # (--count-deceased); their letter goes to the estate or next of kin
    "recorded_deceased",
]


def notification_list(individuals: pl.DataFrame, exposure: dict, notice: dict | None = None) -> pl.DataFrame:
    """One row per affected individual to notify: Michigan residents, plus unknown residency flagged.

    Affected follows the scan's reading (exposure.json "reading"). Other states' residents are left out: their
    notice is governed by their own state's law. Individuals of unknown residency are kept with
    ``residency_to_confirm`` so the company checks its own records before deciding (MCL 445.72(1) requires
    notice to residents of this state; a scan cannot always tell).
    """
    statute = _statute(notice)
    key_taken, numbers_alone = _incident_readings(notice)
    # everyone the notice decision counts: the scan's reading, and the incident's wider ones (the encryption key
    # taken too, 445.72(1)(b); account numbers alone), as notice.json's residents_to_notify takes them
    reading = _reading(exposure)
    alone = numbers_alone or reading["account_numbers_alone"]
    affected = pl.col(_affected_flag(exposure))
    if numbers_alone:
        affected = affected | pl.col("affected_account_numbers_alone")
    if key_taken:  # encrypted elements too, under the reading the count takes (both wider ones at once)
        if alone:
            taken = "affected_encryption_key_compromised_account_numbers_alone"
        elif reading["codes_with_their_own_account"]:
            taken = "affected_encryption_key_compromised_codes_with_their_own_account"
        else:
            taken = "affected_encryption_key_compromised"
        affected = affected | pl.col(taken)
    words = ELEMENT_WORDS_ALONE if alone else ELEMENT_WORDS
    exposed = {e: [c] for e, c in _exposed_columns(exposure).items()}
    if numbers_alone:
        exposed["financial_account"].append("exposed_financial_account_alone")
    if key_taken:
        for e in exposed:
            exposed[e].append(f"exposed_{e}_any_form")
        if alone:
            exposed["financial_account"].append("exposed_financial_account_alone_any_form")
        elif reading["codes_with_their_own_account"]:  # the stricter reading: its own code, in any form
            exposed["financial_account"] = [
                "exposed_financial_account_own_code",
                "exposed_financial_account_own_code_any_form",
            ]
    individuals = _as_counted(individuals, exposure)
    estate = pl.col("deceased")
    substitute = None if notice is None else bool(notice.get("substitute_notice_permitted", False))
    postal = pl.col("address").is_not_null() & (pl.col("zip").is_not_null() | pl.col("city").is_not_null())
    email = pl.col("email").is_not_null()
    sub = pl.lit(substitute, dtype=pl.Boolean)
    frame = (
        individuals.filter(affected & pl.col("residency").is_in([residency.MICHIGAN, residency.UNKNOWN]))
        .sort("individual")
        .with_columns(
            (pl.col("residency") == residency.UNKNOWN).alias("residency_to_confirm"),
            # the parts that apply, joined: a string concatenation, not a list built per individual
            pl.concat_str(
                [pl.when(pl.any_horizontal(cs)).then(pl.lit(words[e])) for e, cs in exposed.items()],
                separator="; ",
                ignore_nulls=True,
            ).alias("elements_exposed"),
            postal.alias("written_notice_5a"),
            email.alias("electronic_notice_5b"),
            sub.alias("substitute_notice_5d"),
            estate.alias("recorded_deceased"),
        )
        .with_columns(
            pl.concat_str(
                [
                    pl.when(postal).then(pl.lit(f"written notice by mail ({statute}(5)(a))")),
                    pl.when(email).then(
                        pl.lit(f"electronic notice ({statute}(5)(b)), if (5)(b)(i), (ii) or (iii) is met")
                    ),
                    pl.when(sub.fill_null(False)).then(pl.lit(f"substitute notice ({statute}(5)(d))")),
                ],
                separator="; ",
                ignore_nulls=True,
            ).alias("notice_methods")
        )
        .with_columns(
            pl.when(pl.col("notice_methods") == "")
            .then(pl.lit("no postal address or e-mail on record: find one, or telephone notice (5)(c)"))
            .otherwise(pl.col("notice_methods"))
            .alias("notice_methods")
        )
        .with_columns(
            pl.when(estate)
            .then(
                pl.concat_str(
                    [pl.lit("recorded as deceased: to the estate or next of kin; "), "notice_methods"]
                )
            )
            .otherwise(pl.col("notice_methods"))
            .alias("notice_methods")
        )
    )
    # tables is dictionary-encoded in the scan (tables.WORD); the list's files hold it as plain text
    return frame.select(NOTIFICATION_COLUMNS).with_columns(pl.col("tables").cast(pl.String))


def write_notification_list(frame: pl.DataFrame, out_dir: Path) -> dict[str, str]:
    csv_path = out_dir / "notification_list.csv"
    parquet_path = out_dir / "notification_list.parquet"
    with owner_only(csv_path) as handle:
        frame.write_csv(handle)
    with owner_only(parquet_path) as handle:
        frame.write_parquet(handle)
    return {"notification_list_csv": str(csv_path), "notification_list_parquet": str(parquet_path)}


# ---------------------------------------------------------------------------------------------- charts (SVG)


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: float


@dataclass
class Segment:
    status: str
    value: int
    x: float
    width: float
    color: str


def bar_chart(items: list[tuple[str, int]], width: int = 360, row: int = 26) -> dict[str, Any]:
    """Geometry of a horizontal bar chart; the template draws it as inline SVG (no script, no fetch)."""
    top = max([v for _, v in items] + [1])
    bars = [Bar(label, value, i * row, width * value / top) for i, (label, value) in enumerate(items)]
    return {"bars": bars, "height": max(len(bars), 1) * row, "width": width, "row": row}


def stacked_chart(rows: list[tuple[str, dict[str, int]]], width: int = 360, row: int = 26) -> dict[str, Any]:
    """Per element column: the share of values unredacted / encrypted / redacted, as stacked bars."""
    out = []
    for i, (label, counts) in enumerate(rows):
        total = sum(counts.values()) or 1
        x = 0.0
        segs = []
        for status in ("unredacted", "encrypted", "redacted"):
            w = width * counts.get(status, 0) / total
            segs.append(Segment(status, counts.get(status, 0), x, w, STATUS_COLORS[status]))
            x += w
        out.append({"label": label, "y": i * row, "segments": segs, "counts": counts})
    return {"rows": out, "height": max(len(out), 1) * row, "width": width, "row": row}


def _affected_by_table(result: Any, exposure: dict) -> list[tuple[str, int]]:
    """Affected individuals (the scan's reading, any residency) with a record in each table."""
    flag = _affected_flag(exposure)
    ind = result.individuals
    if ind.height == 0 or result.records.height == 0:
        return []
    ind = _as_counted(ind, exposure)
    hit = ind.filter(pl.col(flag)).select("individual")
    per = (
        result.records.select("table", "individual")
        .join(hit, on="individual")
        .group_by("table")
        .agg(pl.col("individual").n_unique().alias("n"))
        .sort("n", "table", descending=[True, False])
    )
    return [(t, int(n)) for t, n in per.iter_rows()]


def _column_status_rows(exposure: dict) -> list[tuple[str, dict[str, int]]]:
    rows = []
    for t in exposure.get("tables", []):
        for c in t.get("columns", []):
            if any(k in c for k in ("unredacted", "redacted", "encrypted")):
                counts = {k: int(c.get(k, 0) or 0) for k in ("unredacted", "encrypted", "redacted")}
                if sum(counts.values()):
                    rows.append((f"{t['name']}.{c['name']}", counts))
    return rows


# ---------------------------------------------------------------------------------------------- HTML report


def _unknown_under_notice(exposure: dict, notice: dict | None) -> int | None:
    """Affected individuals of unknown residency under the reading the notice count takes (they are on the
    notification list, marked to confirm), when that reading is wider than the scan's; else None."""
    key_taken, numbers_alone = _incident_readings(notice)
    by_reading = exposure.get("what_if_unknown_residency") or {}
    if key_taken and numbers_alone:
        return by_reading.get("encryption_key_compromised_account_numbers_alone")
    if key_taken:
        return by_reading.get("encryption_key_compromised")
    if numbers_alone:
        return by_reading.get("account_numbers_alone")
    return None


def _notice_readings(notice: dict | None, statute: str) -> list[str]:
    """The incident file's readings, wider than the scan's, that the notice's count takes (empty when none): the
    answer's headline is the scan's reading, and counsel must see why the count to notify is larger."""
    key_taken, numbers_alone = _incident_readings(notice)
    words = []
    if key_taken:
        words.append(f"the encryption key was compromised ({statute}(1)(b))")
    if numbers_alone:
        words.append(
            f"account and card numbers count without a code ({element_citations(statute)['financial_account']})"
        )
    return words


def report_context(result: Any, notice: dict | None) -> dict[str, Any]:
    exposure = result.exposure
    reading = _reading(exposure)
    affected = exposure["affected"]
    by_element = exposure["affected_michigan_by_element"]
    statute = _statute(notice)
    notices = []
    if notice:
        for key, n in notice.get("notices", {}).items():
            notices.append(
                {
                    "label": NOTICE_LABELS.get(key, key.replace("_", " ").capitalize()),
                    "required": bool(n.get("required")),
                    "citation": n.get("citation", ""),
                    "reason": n.get("reason", ""),
                    "deadline": n.get("latest_date_if_determined_on_discovery"),
                }
            )
    words = ELEMENT_WORDS_ALONE if reading["account_numbers_alone"] else ELEMENT_WORDS
    citations = element_citations(statute)
    determinations = {d["id"]: d for d in (notice or {}).get("determinations", [])}
    return {
        "unknown_under_notice": _unknown_under_notice(exposure, notice),
        "notice_readings": _notice_readings(notice, statute),
        "statute": statute,
        "personal_information": personal_information_citation(statute),
        "account_citation": citations["financial_account"],
        "civil_fine": civil_fine_line(notice) if notice and "max_civil_fine_usd" in notice else "",
        "scope_delay": determinations.get("delay_for_scope_and_integrity"),
        "affected": affected,
        "by_element": [
            {"key": e, "words": words[e], "citation": citations[e], "n": by_element.get(e, 0)}
            for e in ELEMENTS
        ],
        "what_if": exposure["what_if"],
        # affected individuals the export records as deceased (an exposure.json before 2026-11-25 has none)
        "deceased": {
            **dict.fromkeys(("michigan", "other_states", "unknown_residency", "conflicts"), 0),
            **(exposure.get("deceased") or {}),
        },
        "reading": reading,
        # exposure.json states its default reading in the Identity Theft Protection Act's paragraph numbers;
        # the words are the same in 500.561(17)(c), so a licensee's report cites its own definition
        "reading_default": (exposure.get("reading") or {})
        .get("default", "")
        .replace(PERSONAL_INFORMATION[DEFAULT_STATUTE], personal_information_citation(statute)),
        "notice": notice,
        "notices": notices,
        "tables": exposure.get("tables", []),
        "links": exposure.get("links", []),
        "unreadable": exposure.get("unreadable", []),
        "paths": exposure.get("paths", []),
        "rejected": exposure.get("rejected", {}),
        "individuals": exposure.get("individuals", {}),
        "chart_element": bar_chart([(ELEMENT_SHORT[e], by_element.get(e, 0)) for e in ELEMENTS]),
        "chart_table": bar_chart(_affected_by_table(result, exposure)),
        "chart_residency": bar_chart(
            [
                ("Michigan", affected["michigan"]),
                ("Other states", affected["other_states"]),
                ("Unknown", affected["unknown_residency"]),
            ]
        ),
        "chart_columns": stacked_chart(_column_status_rows(exposure)),
        "colors": STATUS_COLORS,
    }


def render_html(result: Any, notice: dict | None = None) -> str:
    return _env().get_template("report.html.j2").render(**report_context(result, notice))


# ---------------------------------------------------------------------------------------------- letter


def render_letter(exposure: dict, notice: dict | None = None, people: pl.DataFrame | None = None) -> str:
    """Draft letter to residents with the content MCL 445.72(6)(c)-(g) requires; placeholders in [BRACKETS].

    The types of information involved (6)(d) are those of the people the letter goes to (the notification list,
    under the notice's reading: an encrypted card with its key taken, account numbers alone); without the list,
    the scan's own counts; never a type nobody's information was of (until 2026-11-24 a scan with none listed all
    three, and an incident read wider than the scan listed the scan's)."""
    reading = _reading(exposure)
    words = ELEMENT_WORDS_ALONE if reading["account_numbers_alone"] else ELEMENT_WORDS
    if people is not None and people.height:
        # distinct first: the list has a row per resident
        listed = set(
            people.get_column("elements_exposed").drop_nulls().unique().str.split("; ").explode().to_list()
        )
        found = [
            w
            for e in ELEMENTS
            for w in dict.fromkeys((ELEMENT_WORDS[e], ELEMENT_WORDS_ALONE[e]))
            if w in listed
        ]
    else:
        by_element = exposure["affected_michigan_by_element"]
        found = [words[e] for e in ELEMENTS if by_element.get(e, 0)]
    discovered = None
    if notice:
        fact = (notice.get("assumed_facts") or {}).get("incident.discovered_on") or {}
        discovered = fact.get("value")
    env = _env()
    return env.get_template("notice_letter.md.j2").render(
        statute=_statute(notice),
        elements_found=found or ["[TYPES OF PERSONAL INFORMATION INVOLVED]"],
        discovered_on=discovered,
        notice=notice,
        checklist=(notice or {}).get("content_checklist", []),
        residents=exposure["affected"]["michigan"],
    )


# ---------------------------------------------------------------------------------------------- OCSF

OCSF_VERSION = "1.4.0"
OCSF_CLASS_UID = 2006  # Data Security Finding
OCSF_ACTIVITY_CREATE = 1
# data_security.category_id: 2 Governmental (government ID numbers), 3 Financial (account and card numbers)
OCSF_DATA_CATEGORY = {
    "ssn": (2, "Governmental"),
    "drivers_license": (2, "Governmental"),
    "financial_account": (3, "Financial"),
}


def _ocsf_constants() -> tuple[dict, dict]:
    """The fields every Data Security Finding of ours has, whatever its granularity: (event, data_security)."""
    event = {
        "activity_id": OCSF_ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_name": "Findings",
        "category_uid": 2,
        "class_name": "Data Security Finding",
        "class_uid": OCSF_CLASS_UID,
        "metadata": {
            "product": {"name": "breachscan", "vendor_name": "breachscan", "version": _version()},
            "version": OCSF_VERSION,
        },
        "status": "New",
        "status_id": 1,
        "type_name": "Data Security Finding: Create",
        "type_uid": OCSF_CLASS_UID * 100 + OCSF_ACTIVITY_CREATE,
    }
    data_security = {
        "data_lifecycle_state": "Data at-Rest",
        "data_lifecycle_state_id": 1,
        "detection_system": "Data Discovery & Classification",
        "detection_system_id": 4,
    }
    return event, data_security


def _event_time() -> int:
    """Milliseconds since the epoch; SOURCE_DATE_EPOCH fixes it for reproducible outputs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return int(epoch) * 1000
    return int(dt.datetime.now(dt.UTC).timestamp() * 1000)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("breachscan")
    except Exception:  # noqa: BLE001 - running from a tree that is not installed
        return "0"


def _json_text(value: pl.Expr) -> pl.Expr:
    """The JSON text of each value (escaped by polars' own encoder): '{"v":<text>}' with the wrapper cut off."""
    return pl.struct(value.alias("v")).struct.json_encode().str.slice(5).str.head(-1)


def _json_template(node: Any, leaves: list[pl.Expr]) -> list[str | pl.Expr]:
    """JSON text of a nested dict/list whose leaves are constants or polars expressions, as concat_str parts.

    Keys in alphabetical order at every level (stable, diffable output). Constants are encoded once here; each
    expression leaf is appended to `leaves` and stands in the parts as the column that will hold its JSON text.
    """
    if isinstance(node, pl.Expr):
        leaves.append(node)
        return [pl.col(f"__json{len(leaves) - 1}")]
    if isinstance(node, dict):
        parts: list[str | pl.Expr] = ["{"]
        for i, key in enumerate(sorted(node)):
            parts += ([","] if i else []) + [json.dumps(key) + ":"] + _json_template(node[key], leaves)
        return parts + ["}"]
    if isinstance(node, list):
        parts = ["["]
        for i, item in enumerate(node):
            parts += ([","] if i else []) + _json_template(item, leaves)
        return parts + ["]"]
    return [json.dumps(node, ensure_ascii=False, separators=(",", ":"))]


def render_json(frame: pl.DataFrame, template: Any) -> pl.Series:
    """One JSON text per row of `frame`: the constants of `template` encoded once, its expressions per row.

    The expressions are evaluated and encoded in one stage, then concatenated with the constant text in the
    next, so a million findings do not each rebuild the same literals or re-evaluate shared sub-expressions.
    """
    leaves: list[pl.Expr] = []
    parts = _json_template(template, leaves)
    merged: list[str | pl.Expr] = []
    for part in parts:  # adjacent constants become one literal
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    staged = frame.select([_json_text(e).alias(f"__json{k}") for k, e in enumerate(leaves)])
    return staged.select(pl.concat_str([pl.lit(p) if isinstance(p, str) else p for p in merged])).to_series()


def ocsf_findings(
    findings: pl.DataFrame, exposure: dict, event_time: int | None = None, statute: str = DEFAULT_STATUTE
) -> pl.Series:
    """One OCSF Data Security Finding (class 2006) per affected individual and exposed element, as JSON lines.

    Citations are the governing statute's definition (``statute``: MCL 500.561 cites 500.561(17)(c)(i)-(iii)),
    not findings.parquet's ``citation`` column, which is always the Identity Theft Protection Act's.

    Masked values and keyed hashes only (from findings.parquet); the raw value never reaches this function.
    Built as one JSON template per finding (fields in alphabetical order at every level, so the JSON is stable)
    and encoded as a column: no Python per finding.
    """
    paths = {t["name"]: t["path"] for t in exposure.get("tables", [])}
    flag = _affected_flag(exposure)
    f = findings  # in the order given: write_ocsf sorts once, then renders slice by slice
    lit = pl.lit
    element, status, table = pl.col("element"), pl.col("status"), pl.col("table")
    readable = status == "unredacted"
    counts = pl.col(flag).fill_null(False) if flag in f.columns else lit(False)
    if "deceased" in f.columns and not _reading(exposure)["deceased_counted"]:
        counts = counts & ~pl.col("deceased").fill_null(False)  # no resident: not counted (445.72(1))
    what = element.replace_strict(ELEMENT_WORDS_ALONE, default=element, return_dtype=pl.String)
    definition = personal_information_citation(statute)
    citation = element.replace_strict(element_citations(statute), default=definition, return_dtype=pl.String)
    status_cap = pl.concat_str([status.str.slice(0, 1).str.to_uppercase(), status.str.slice(1)])
    source = table.replace_strict(paths, default=table, return_dtype=pl.String)
    cat_id = element.replace_strict(
        {k: v[0] for k, v in OCSF_DATA_CATEGORY.items()}, default=0, return_dtype=pl.Int64
    )
    cat = element.replace_strict(
        {k: v[1] for k, v in OCSF_DATA_CATEGORY.items()}, default="Unknown", return_dtype=pl.String
    )
    flags = ("affected", "affected_account_numbers_alone", "affected_encryption_key_compromised")
    # shared pieces once per finding, as columns (each is used several times below)
    f = f.with_columns(
        (counts & readable).alias("__alert"),
        what.alias("__what"),
        status_cap.alias("__status_cap"),
        source.alias("__source"),
        citation.alias("citation"),
    )
    alert, what, status_cap, source = (pl.col(c) for c in ("__alert", "__what", "__status_cap", "__source"))
    constants, security = _ocsf_constants()
    event = {
        **constants,
        "data_security": {
            **security,
            "category": cat,
            "category_id": cat_id,
            "detection_pattern": pl.concat_str([element, lit(" ("), pl.col("citation"), lit(")")]),
            "pattern_match": pl.col("masked_value"),
            "policy": {"desc": f"Personal information under {definition}", "name": pl.col("citation")},
        },
        "finding_info": {
            "data_sources": [source],
            "desc": pl.concat_str(
                [
                    what,
                    lit(" of one individual ("),
                    pl.col("residency"),
                    lit(" residency), "),
                    status,
                    lit(", in "),
                    table,
                    lit("."),
                    pl.col("column"),
                    lit("; masked "),
                    pl.col("masked_value"),
                ]
            ),
            "title": pl.concat_str([status_cap, lit(" "), what, lit(" ("), pl.col("citation"), lit(")")]),
            "types": [f"Personal information ({definition})"],
            "uid": pl.concat_str(
                [pl.col("individual_id"), element, table, pl.col("column"), pl.col("row").cast(pl.String)],
                separator="|",
            ),
        },
        "is_alert": alert,
        "message": pl.concat_str(
            [status_cap, lit(" "), what, lit(" linked to a name ("), pl.col("citation"), lit(")")]
        ),
        "resources": [{"name": table, "type": "table", "uid": source}],
        "severity": pl.when(alert).then(lit("High")).otherwise(lit("Low")),
        "severity_id": pl.when(alert).then(lit(4)).otherwise(lit(2)),
        "table": {"name": table},
        "time": _event_time() if event_time is None else event_time,
        "unmapped": {
            **{c: pl.col(c) if c in f.columns else lit(None, dtype=pl.Boolean) for c in (*flags, "deceased")},
            "column": pl.col("column"),
            "element": element,
            "individual_id": pl.col("individual_id"),
            "residency": pl.col("residency"),
            "row": pl.col("row"),
            "status": status,
            "value_hash": pl.col("value_hash"),
        },
    }
    return render_json(f, event).alias("event")


OCSF_BATCH_ROWS = 50_000  # findings rendered and written at a time: memory stays flat however many there are


def write_ocsf(
    findings: pl.DataFrame,
    exposure: dict,
    path: Path,
    batch_rows: int = OCSF_BATCH_ROWS,
    statute: str = DEFAULT_STATUTE,
) -> None:
    """A JSON array with one finding per line: valid JSON, greppable, and diffable line by line.

    Rendered and written a batch at a time by polars (each line is already JSON text, so nothing is quoted
    again): a large incident has millions of findings and the file is about 1.8 KB per finding.
    """
    ordered = findings.sort("individual_id", "element", "table", "column", "row")
    when = _event_time()  # one time for every event of the file
    with path.open("wb") as out:
        out.write(b"[\n")
        for start in range(0, ordered.height, batch_rows):  # batches, not rows
            events = ocsf_findings(ordered.slice(start, batch_rows), exposure, when, statute)
            first = pl.int_range(pl.len()) == 0 if start == 0 else pl.lit(False)
            lines = pl.DataFrame({"line": events}).select(
                pl.when(first).then(pl.col("line")).otherwise(pl.lit(",") + pl.col("line")) + "\n"
            )
            write_text_column(lines.to_series(), out)
        out.write(b"]\n")


def write_text_column(lines: pl.Series, out: IO[bytes]) -> None:
    """Write a string column's bytes as they lie in Arrow memory (the strings end in their own separators).

    No per-line Python and no second copy of the text: the Arrow data buffer between the first and last
    offsets is exactly the concatenation of the values.
    """
    arrow = lines.to_arrow(
        compat_level=pl.CompatLevel.oldest()
    )  # large_string: int64 offsets + one data buffer
    for chunk in arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]:
        if len(chunk) == 0:
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)
        out.write(memoryview(chunk.buffers()[2])[offsets[chunk.offset] : offsets[chunk.offset + len(chunk)]])


def _exposed_by_column(records: pl.DataFrame, individuals: pl.DataFrame, exposure: dict) -> pl.DataFrame:
    """Per (table, column, element) that records count the element from: the individuals whose element is held
    there readable or encrypted, and those of them affected by it under the scan's reading (whole and readable
    there, and exposed per that reading's flag), by residency. A record counts each element once, from its
    strongest column (records.py), so a second column with the same values is attributed to the first."""
    reading = _reading(exposure)
    exposed = _exposed_columns(exposure)
    if individuals.height == 0:
        return pl.DataFrame()
    individuals = _as_counted(individuals, exposure)
    residency_of = pl.col("residency")
    if reading["unknown_residency_as_michigan"]:  # as the scan counted them (exposure.json "affected")
        residency_of = (
            pl.when(residency_of == residency.UNKNOWN)
            .then(pl.lit(residency.MICHIGAN))
            .otherwise(residency_of)
        )
    per_element = []
    for e in ELEMENTS:  # one query per element, run together
        ind = individuals.lazy().select(
            "individual", residency_of.alias("residency"), pl.col(exposed[e]).alias("x")
        )
        held = (
            records.lazy()
            .filter(pl.col(f"{e}_status").is_in(["unredacted", "encrypted"]))
            .group_by("table", pl.col(f"{e}_source").alias("column"), "individual")
            .agg((pl.col(f"{e}_status") == "unredacted").any().alias("readable"))
            .join(ind, on="individual")
            .with_columns((pl.col("readable") & pl.col("x")).alias("affected"))
        )
        per_element.append(
            held.group_by("table", "column").agg(
                pl.lit(e).alias("element"),
                pl.len().alias("individuals"),
                pl.col("affected").sum(),
                *[
                    (pl.col("affected") & (pl.col("residency") == r)).sum().alias(f"affected_{r}")
                    for r in (residency.MICHIGAN, residency.OTHER, residency.UNKNOWN)
                ],
            )
        )
    return pl.concat(pl.collect_all(per_element), how="vertical_relaxed").sort("table", "column", "element")


def _column_value_counts(col_stats: dict, element: str, free_text: bool) -> dict[str, int]:
    """The column's value counts from exposure.json; a free-text column counts each element apart."""
    if free_text:
        found = col_stats.get("found_in_text") or {}
        return {"unredacted": int(found.get(FOUND_IN_TEXT[element], 0) or 0)}
    return {k: int(col_stats.get(k) or 0) for k in ("unredacted", "redacted", "encrypted", "rejected")}


def ocsf_column_findings(
    result: Any, event_time: int | None = None, statute: str = DEFAULT_STATUTE
) -> list[dict]:
    """One OCSF Data Security Finding per table column and element, with counts: what a security hub takes.

    AWS Macie reports one finding per object with its occurrence counts, not one per occurrence; a breach of two
    million people is two million individual findings, an alert flood for a SIEM. The per-individual detail (keyed
    hashes, masked values, rows) stays in findings.parquet, or in OCSF with `--ocsf individual`. The columns are
    few, so they are built as dicts (no per-row work). Counts and names only: no value, not even masked.
    Every element column with readable or encrypted values gets a finding, also one whose records count the
    element from another column (its individuals are then 0, and its value counts say what it holds).
    Citations are the governing statute's (``statute``), as in ocsf_findings.
    """
    exposure = result.exposure
    reading = _reading(exposure)
    paths = {t["name"]: t["path"] for t in exposure.get("tables", [])}
    stats = {(t["name"], c["name"]): c for t in exposure.get("tables", []) for c in t.get("columns", [])}
    when = _event_time() if event_time is None else event_time
    constants, security = _ocsf_constants()
    definition = personal_information_citation(statute)
    citations = element_citations(statute)
    counted = {
        (r["table"], r["column"], r["element"]): r
        for r in _exposed_by_column(result.records, result.individuals, exposure).iter_rows(named=True)
    }  # one entry per column, not per row
    kinds = {
        "ssn": "ssn",
        "drivers_license": "drivers_license",
        "bank_account": "financial_account",
        "card_number": "financial_account",
    }
    for t in exposure.get("tables", []):  # element columns no record counts from (see the docstring)
        for c in t.get("columns", []):
            kind = c.get("classified_as")
            if kind == "free_text":
                found = c.get("found_in_text") or {}
                elements = [e for e, k in FOUND_IN_TEXT.items() if found.get(k)]
                names = [(f"{c['name']} (free text)", e) for e in elements]
            elif kind in kinds and (c.get("unredacted") or c.get("encrypted")):
                names = [(c["name"], kinds[kind])]
            else:
                names = []
            for column, element in names:
                counted.setdefault((t["name"], column, element), None)
    events = []
    for (table, column, element), row in sorted(counted.items()):
        free_text = column.endswith(" (free text)")
        counts = _column_value_counts(
            stats.get((table, column.removesuffix(" (free text)")), {}), element, free_text
        )
        citation = citations[element]
        what = ELEMENT_WORDS_ALONE[element]
        individuals = int(row["individuals"]) if row else 0
        affected = int(row["affected"]) if row else 0
        by_residency = {  # named as exposure.json's "affected"
            key: int(row[f"affected_{r}"]) if row else 0
            for key, r in (
                ("michigan", residency.MICHIGAN),
                ("other_states", residency.OTHER),
                ("unknown_residency", residency.UNKNOWN),
            )
        }
        alert = affected > 0
        source = paths.get(table, table)
        values = ", ".join(f"{n:,} {k}" for k, n in counts.items())
        desc = (
            f"{what} of {individuals:,} individuals in {table}.{column}, {affected:,} of them affected by it "
            f"under the scan's reading ({by_residency['michigan']:,} Michigan, "
            f"{by_residency['other_states']:,} other states, {by_residency['unknown_residency']:,} unknown "
            f"residency); values: {values}"
        )
        if row is None:
            desc += (
                "; the records holding these values count this element from another column, or name no one"
            )
        events.append(
            {
                **constants,
                "data_security": {
                    **security,
                    "category": OCSF_DATA_CATEGORY[element][1],
                    "category_id": OCSF_DATA_CATEGORY[element][0],
                    "detection_pattern": f"{element} ({citation})",
                    "policy": {"desc": f"Personal information under {definition}", "name": citation},
                },
                "finding_info": {
                    "data_sources": [source],
                    "desc": desc,
                    "title": f"{what.capitalize()} of {affected:,} affected individuals in {table}.{column} "
                    f"({citation})",
                    "types": [f"Personal information ({definition})"],
                    "uid": f"{table}|{column}|{element}",
                },
                "is_alert": alert,
                "message": f"{what.capitalize()} in {table}.{column} ({citation})",
                "resources": [{"name": table, "type": "table", "uid": source}],
                "severity": "High" if alert else "Low",
                "severity_id": 4 if alert else 2,
                "table": {"name": table},
                "time": when,
                "unmapped": {
                    "column": column,
                    "element": element,
                    "individuals": individuals,
                    "affected": affected,
                    "affected_by_residency": by_residency,
                    "reading": {
                        "account_numbers_alone": reading["account_numbers_alone"],
                        "unknown_residency_as_michigan": reading["unknown_residency_as_michigan"],
                    },
                    "values": counts,
                },
            }
        )
    return events


def write_ocsf_columns(result: Any, path: Path, statute: str = DEFAULT_STATUTE) -> None:
    """A JSON array with one column-level finding per line, keys sorted: the same layout as write_ocsf."""
    lines = [
        json.dumps(e, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        for e in ocsf_column_findings(result, statute=statute)
    ]
    path.write_text("[\n" + "\n,".join(lines) + ("\n" if lines else "") + "]\n", encoding="utf-8")


OCSF_GRANULARITY = ("column", "individual", "none")


# ---------------------------------------------------------------------------------------------- all of them


def write_reports(
    result: Any, out_dir: Path | str, notice: dict | None = None, ocsf: str = "column"
) -> dict[str, str]:
    """Write report.html, notification_list.csv/.parquet, notice_letter.md and findings.ocsf.json.

    ``result`` is a ``pipeline.scan.ScanResult``; ``notice`` the dict ``run_notice`` returned (or None);
    ``ocsf`` is "column" (one finding per table column and element, with counts), "individual" (one per affected
    individual and element, as findings.parquet) or "none". Returns output name -> path.
    """
    if ocsf not in OCSF_GRANULARITY:
        raise ValueError(f"ocsf must be one of {', '.join(OCSF_GRANULARITY)}, not {ocsf!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, str] = {}

    html = out / "report.html"
    html.write_text(render_html(result, notice), encoding="utf-8")
    paths["report"] = str(html)

    people = notification_list(result.individuals, result.exposure, notice)
    paths.update(write_notification_list(people, out))

    letter = out / "notice_letter.md"
    letter.write_text(render_letter(result.exposure, notice, people), encoding="utf-8")
    paths["notice_letter"] = str(letter)

    if ocsf != "none":
        ocsf_path = out / "findings.ocsf.json"
        if ocsf == "individual":
            write_ocsf(result.findings, result.exposure, ocsf_path, statute=_statute(notice))
        else:
            write_ocsf_columns(result, ocsf_path, statute=_statute(notice))
        paths["findings_ocsf"] = str(ocsf_path)
    return paths
