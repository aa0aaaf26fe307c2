"""Incident facts + exposure counts -> the breach notices the statute requires, each with its citation.

``decide`` runs the jurisdiction's rules (``configs/michigan.yaml`` via ``pipeline.rules``) and shapes the
result as notice.json (contract: /work/shared/contracts.md). ``render_markdown`` writes the same decision
as counsel's memo. ``run_notice`` reads the files and writes both. Only the contract keys of exposure.json
are read (``affected``, ``what_if``), so the step runs on a report made elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.incident import Incident, load_incident
from pipeline.rules import Evaluation, Rules, load_rules

# (key path in exposure.json, required?) -- the only keys this step reads
EXPOSURE_KEYS = (
    (("affected", "michigan"), True),
    (("what_if", "account_numbers_alone"), True),
    (("what_if", "encryption_key_compromised"), True),
    (("affected", "unknown_residency"), False),  # only warns; a report made elsewhere may lack it
    # both wider readings at once (added 2026-11-24: an older exposure.json lacks it, read as 0)
    (("what_if", "encryption_key_compromised_account_numbers_alone"), False),
    # unknown residency under each wider reading (added 2026-11-24; optional, read as 0 when absent)
    (("what_if_unknown_residency", "encryption_key_compromised"), False),
    (("what_if_unknown_residency", "account_numbers_alone"), False),
    (("what_if_unknown_residency", "encryption_key_compromised_account_numbers_alone"), False),
    # affected Michigan individuals the export records as deceased, and the count with them (added 2026-11-25;
    # optional, read as 0 when absent)
    (("deceased", "michigan"), False),
    (("what_if", "deceased_counted"), False),
)

NOTICE_LABELS = {
    "residents": "Michigan residents",
    "owner_or_licensor": "Owner or licensor of the data",
    "consumer_reporting_agencies": "Nationwide consumer reporting agencies",
    "director_of_insurance_and_financial_services": "Director of the Department of Insurance and Financial Services",
}


class ExposureError(ValueError):
    """exposure.json lacks a contract key the notice step needs, or a count is not a count."""


def read_exposure_counts(exposure: Any) -> dict[str, dict[str, int]]:
    """The counts the rules use, validated: non-negative integers under the contract's key names."""
    if not isinstance(exposure, dict):
        raise ExposureError("exposure.json: expected a JSON object with 'affected' and 'what_if'")
    out: dict[str, dict[str, int]] = {section: {} for (section, _), _ in EXPOSURE_KEYS}
    for (section, key), required in EXPOSURE_KEYS:
        dotted = f"{section}.{key}"
        block = exposure.get(section)
        if block is not None and not isinstance(block, dict):
            raise ExposureError(f"exposure.json: {section} must be an object of counts")
        if block is None or key not in block:
            if required:
                raise ExposureError(f"exposure.json: missing {dotted} (a contract key the notice step needs)")
            out[section][key] = 0
            continue
        value = block[key]
        if type(value) is not int or value < 0:  # bool is not a count; neither is 12.5 or "12"
            raise ExposureError(f"exposure.json: {dotted} must be a non-negative integer, got {value!r}")
        out[section][key] = value
    return out


def decide(exposure: dict, incident: Incident | dict | None, rules: Rules | None = None) -> dict[str, Any]:
    """The notice.json content for these counts and incident facts (deterministic)."""
    if not isinstance(incident, Incident):
        incident = load_incident(incident)
    rules = rules or load_rules()
    counts = read_exposure_counts(exposure)
    labels = (rules.section("labels") or {}).get("entity_type", {})
    facts: dict[str, Any] = {
        **incident.facts(),
        "exposure": counts,
        "entity_label": labels.get(incident.entity.type, incident.entity.type),
    }
    ev = rules.evaluate(facts)
    return _shape(rules, ev, incident, counts)


def _shape(rules: Rules, ev: Evaluation, incident: Incident, counts: dict) -> dict[str, Any]:
    outputs = rules.section("outputs") or {}
    facts = ev.facts

    def det(rule_id: str) -> dict[str, Any]:
        d = ev.by_id(rule_id)
        return {"required": d.applies, "citation": d.citation, "reason": d.reason}

    notices = {key: det(rule_id) for key, rule_id in outputs.get("notices", {}).items()}
    director = notices.get("director_of_insurance_and_financial_services")
    if director is not None and director["required"]:
        director.update(_director_deadline(rules, incident.incident.discovered_on))

    out: dict[str, Any] = {
        "schema_version": 1,
        "jurisdiction": rules.name,
        "rules_file": rules.path.name,
        "statute": facts["statute"],
        "residents_to_notify": int(facts["residents_to_notify"]),
        "notices": notices,
        "estimated_notice_cost_usd": _money(facts["estimated_notice_cost_usd"]),
        "max_civil_fine_usd": _money(facts["max_civil_fine_usd"]),
        # added key: what max_civil_fine_usd counts, so a reader need not parse the reason
        "civil_fine": _civil_fine(rules, ev),
        "determinations": [d.as_dict() for d in ev.determinations],
        "assumed_facts": incident.assumed_facts(),
        "exposure_counts_used": {f"{s}.{k}": v for s, block in counts.items() for k, v in block.items()},
        "sources_not_bundled": [s for s in rules.section("sources", []) if not s.get("bundled", True)],
    }
    for key in (
        "security_breach",
        "substitute_notice_permitted",
        "utility_alternative_notice_permitted",
        "delay_permitted",
        "deemed_compliant",
    ):
        out[key] = ev.by_id(outputs[key]).applies

    def cite(template: str | dict) -> str:
        # a mapping by statute where the two statutes say different things (500.561(7) vs 445.72(7))
        return rules.cite(template, facts).strip()

    out["methods"] = [
        {
            "id": m["id"],
            "citation": cite(m["citation"]),
            "method": cite(m["method"]),
            "conditions": [cite(c) for c in m.get("conditions", [])],
        }
        for m in rules.section("methods", [])
    ]
    sub = ev.by_id(outputs["substitute_notice_permitted"])
    out["substitute_notice"] = {
        "permitted": sub.applies,
        "citation": sub.citation,
        "reason": sub.reason,
        "parts": [
            {"id": p["id"], "citation": cite(p["citation"]), "part": cite(p["part"])}
            for p in rules.section("substitute_notice_parts", [])
        ],
    }
    out["content_checklist"] = [
        {"id": c["id"], "citation": cite(c["citation"]), "item": cite(c["item"])}
        for c in rules.section("content_checklist", [])
    ]
    return out


def _civil_fine(rules: Rules, ev: Evaluation) -> dict[str, Any] | None:
    """The civil-fine figure's parts: every required notice counted once, $ per failure, the cap per breach.

    None for a rules file that does not count them (another jurisdiction sets only max_civil_fine_usd)."""
    counted = ("civil_fine_notices_counted", "civil_fine_uncapped_usd")
    amounts = ("civil_fine_per_failure_usd", "civil_fine_cap_per_breach_usd")
    if not all(k in ev.facts for k in counted) or not all(k in rules.amounts for k in amounts):
        return None
    d = ev.by_id("civil_fine")
    return {
        "citation": d.citation,
        "notices_counted": int(ev.facts["civil_fine_notices_counted"]),
        "per_failure_usd": _money(rules.amounts["civil_fine_per_failure_usd"]),
        "uncapped_usd": _money(ev.facts["civil_fine_uncapped_usd"]),
        "cap_per_breach_usd": _money(rules.amounts["civil_fine_cap_per_breach_usd"]),
    }


def _director_deadline(rules: Rules, discovered_on: dt.date | None) -> dict[str, Any]:
    days = int(rules.amounts.get("director_notice_business_days", 10))
    latest = None
    if discovered_on is not None:
        latest = _add_business_days(discovered_on, days).isoformat()
    return {
        "deadline_business_days": days,
        # weekends skipped, holidays not: the date errs early, which is the safe side
        "latest_date_if_determined_on_discovery": latest,
    }


def _add_business_days(start: dt.date, days: int) -> dt.date:
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _money(value: Any) -> int | float:
    """Whole dollars as an int so 750000 prints as 750000; otherwise the amount as it is, never rounded to the
    cent: 250000.004 stays 250000.004, since it is what exceeds the $250,000.00 of (5)(d)."""
    amount = Decimal(str(value))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def run_notice(
    exposure_path: str | Path,
    incident_path: str | Path | None,
    out_dir: str | Path,
    rules: Rules | None = None,
) -> dict[str, Any]:
    """Read exposure.json and the incident file, decide, write out_dir/notice.json and notice.md."""
    exposure_path = Path(exposure_path)
    try:
        exposure = json.loads(exposure_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExposureError(
            f"exposure file {exposure_path}: cannot be read ({exc.strerror or exc})"
        ) from None
    except json.JSONDecodeError as exc:
        raise ExposureError(
            f"exposure file {exposure_path}: not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from None
    incident = load_incident(incident_path)
    notice = decide(exposure, incident, rules)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "notice.json").write_text(
        json.dumps(notice, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "notice.md").write_text(render_markdown(notice), encoding="utf-8")
    return notice


# ---------------------------------------------------------------------------------------------- the memo


def render_markdown(notice: dict[str, Any]) -> str:
    """notice.json as counsel's memo: the decision first, then each notice, the letter, the assumed facts."""
    lines: list[str] = []
    add = lines.append
    statute = notice["statute"]
    notices = notice["notices"]
    required = [k for k, n in notices.items() if n["required"]]
    n = notice["residents_to_notify"]

    add(f"# Breach notice decision under {statute}")
    add("")
    add("## Decision")
    add("")
    if not notice["security_breach"]:
        why = _det(notice, "security_breach")
        add(f"**No notice is required.** {_cited(why['reason'], why['citation'])}")
    elif required:
        names = "; ".join(f"{_label(k)} ({notices[k]['citation']})" for k in required)
        add(f"**Notice is required to: {names}.**")
        res = notices.get("residents")
        if res is not None and not res["required"]:  # e.g. a maintainer: say whose duty residents are
            add("")
            add(f"Residents: {_cited(res['reason'], res['citation'])}")
    else:
        res = notices["residents"]
        add(
            f"**No notice to residents is required of this entity under {statute}.** "
            f"{_cited(res['reason'], res['citation'])}"
        )
    add("")
    add(f"- Governing statute: {statute}. {_det(notice, 'insurance_code_governs')['reason']}")
    add(
        f"- Security breach: {_yes(notice['security_breach'])} ({_det(notice, 'security_breach')['citation']})."
    )
    add(f"- Michigan residents counted for notice: {n:,}.")
    for key, item in notices.items():
        add(f"- {_label(key)}: {'required' if item['required'] else 'not required'} ({item['citation']}).")
    sub = notice["substitute_notice"]
    add(f"- Substitute notice permitted: {_yes(sub['permitted'])} ({sub['citation']}).")
    util = _det(notice, "utility_alternative_notice")
    add(
        f"- Public-utility alternative notice permitted: {_yes(notice['utility_alternative_notice_permitted'])}"
        f" ({util['citation']})."
    )
    delay = _det(notice, "delay_law_enforcement")
    add(
        f"- Delay at law enforcement's request permitted: {_yes(notice['delay_permitted'])} ({delay['citation']})."
    )
    deemed = _det(notice, "deemed_compliant")
    add(
        f"- Considered in compliance by another regime: {_yes(notice['deemed_compliant'])} ({deemed['citation']})."
    )
    add(f"- {civil_fine_line(notice)}")
    add(f"- Estimated cost of notice: ${_dollars(notice['estimated_notice_cost_usd'])}.")
    add("")

    add("## The notices")
    add("")
    for key, item in notices.items():
        add(f"### {_label(key)}: {'required' if item['required'] else 'not required'}")
        add("")
        add(f"*Section: {item['citation']}.* {item['reason']}")
        if item.get("deadline_business_days"):
            latest = item.get("latest_date_if_determined_on_discovery")
            when = f"; if the determination was made on the discovery date, by {latest}" if latest else ""
            add("")
            add(
                f"Deadline: {item['deadline_business_days']} business days after the determination{when} "
                "(weekends skipped, holidays not)."
            )
        add("")

    add("## How notice may be given")
    add("")
    for m in notice["methods"]:
        add(f"- **{m['method']}** ({m['citation']})")
        for c in m["conditions"]:
            add(f"  - {c}")
    add("")
    add(
        f"**Substitute notice: {'permitted' if sub['permitted'] else 'not permitted'}.** {sub['reason']} "
        f"({sub['citation']})"
    )
    add("")
    if sub["permitted"]:
        add("Substitute notice requires all of:")
        add("")
        for p in sub["parts"]:
            add(f"- {p['part']} ({p['citation']})")
        add("")
    add(
        f"**Public-utility alternative: {'available' if util['applies'] else 'not available'}.** "
        f"{util['reason']} ({util['citation']})"
    )
    add("")
    scope = _det(notice, "delay_for_scope_and_integrity")
    add(f"**Timing.** {scope['reason']} ({scope['citation']}) {delay['reason']} ({delay['citation']})")
    add("")

    add("## Content checklist for the letter")
    add("")
    for c in notice["content_checklist"]:
        add(f"- [ ] {c['item']} ({c['citation']})")
    add("")

    add("## Facts the decision assumed")
    add("")
    add("From the incident file unless marked *default*. Change the incident file and rerun if any is wrong.")
    add("")
    add("| Field | Value | From |")
    add("|---|---|---|")
    for field_name, fact in sorted(notice["assumed_facts"].items()):
        value = "not stated" if fact["value"] is None else json.dumps(fact["value"])
        src = fact["from"] if fact["from"] != "default" else "*default*"
        add(f"| `{field_name}` | {_cell(value)} | {src} |")
    add("")
    add("Counts read from exposure.json:")
    add("")
    for key, value in sorted(notice["exposure_counts_used"].items()):
        add(f"- `{key}`: {value:,}")
    add("")

    add("## Every rule evaluated")
    add("")
    for d in notice["determinations"]:
        flag = "applies" if d["applies"] else "does not apply"
        extra = "" if d.get("rests_on", "bundled") == "bundled" else f" *Rests on {d['rests_on']}.*"
        title = f" -- {d['title']}" if d.get("title") else ""
        add(f"- **{d['id']}**{title} ({d['citation']}): {flag}. {d['reason']}{extra}")
    add("")
    if notice.get("sources_not_bundled"):
        add("## Sections outside the bundled statute texts")
        add("")
        for s in notice["sources_not_bundled"]:
            add(f"- {s['cites']}: {s.get('note', '')}")
        add("")
    add(f"*Rules: configs/{notice.get('rules_file', '')}. Decision support for counsel, not legal advice.*")
    return "\n".join(lines) + "\n"


def civil_fine_line(notice: dict[str, Any]) -> str:
    """One sentence stating the maximum civil fine and exactly what it counts (the memo and the HTML report)."""
    fine = notice.get("civil_fine")
    amount = f"${_dollars(notice['max_civil_fine_usd'])}"
    if fine is None:  # a notice.json written before the key was added: say only what the number is
        return f"Maximum civil fine (notice.json max_civil_fine_usd): {amount}."
    if fine["notices_counted"] == 0:
        return f"Maximum civil fine: {amount}: no notice is counted toward it ({fine['citation']}; see civil_fine)."
    n = fine["notices_counted"]
    which = "the one notice the section requires" if n == 1 else f"all {n:,} notices the section requires"
    return (
        f"Maximum civil fine for knowingly failing to give {which} (${_dollars(fine['per_failure_usd'])} each, "
        f"at most ${_dollars(fine['cap_per_breach_usd'])} per breach): {amount} ({fine['citation']})."
    )


def _dollars(value: Any) -> str:
    """$ amount with cents, and with more places when it has them (never rounded across a threshold)."""
    amount = Decimal(str(value))
    places = max(2, -amount.normalize().as_tuple().exponent)
    return f"{amount:,.{places}f}"


def _det(notice: dict[str, Any], rule_id: str) -> dict[str, Any]:
    for d in notice["determinations"]:
        if d["id"] == rule_id:
            return d
    return {"id": rule_id, "citation": "", "applies": False, "reason": ""}


def _cited(reason: str, citation: str) -> str:
    """The reason, followed by its citation unless the reason already names it."""
    return reason if citation in reason else f"{reason} ({citation})"


def _label(key: str) -> str:
    return NOTICE_LABELS.get(key, key.replace("_", " ").capitalize())


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
