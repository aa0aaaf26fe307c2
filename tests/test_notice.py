"""The notice decision: every branch and boundary of MCL 445.72 / 500.561 as encoded in configs/michigan.yaml.

Each row of the table is (exposure counts, incident facts, expected values at dotted paths of notice.json).
Counts are small synthetic integers; no personal information is involved anywhere in this step.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.incident import load_incident
from pipeline.notice import ExposureError, decide, render_markdown, run_notice
from pipeline.rules import CONFIG_DIR, RulesError, load_rules

RULES = load_rules()


def exposure(michigan: int, enc: int | None = None, acct: int | None = None, unknown: int = 0) -> dict:
    return {
        "schema_version": 1,
        "affected": {"michigan": michigan, "other_states": 0, "unknown_residency": unknown},
        "what_if": {
            "account_numbers_alone": michigan if acct is None else acct,
            "encryption_key_compromised": michigan if enc is None else enc,
        },
    }


def pick(notice: dict, path: str):
    """notice.json value at a dotted path; ``determinations.<id>.<key>`` looks a rule up by id."""
    node = notice
    parts = path.split(".")
    if parts[0] == "determinations":
        node = next(d for d in notice["determinations"] if d["id"] == parts[1])
        parts = parts[2:]
    for part in parts:
        node = node[part]
    return node


LICENSEE = {"type": "insurance_licensee"}
RES, OWN, CRA, DIR = (
    "notices.residents",
    "notices.owner_or_licensor",
    "notices.consumer_reporting_agencies",
    "notices.director_of_insurance_and_financial_services",
)

CASES = [
    # ------------------------------------------------------------------ the ordinary case
    (
        "business owns data, 1234 residents",
        exposure(1234),
        {},
        {
            "statute": "MCL 445.72",
            "security_breach": True,
            "residents_to_notify": 1234,
            f"{RES}.required": True,
            f"{RES}.citation": "MCL 445.72(1)",
            f"{OWN}.required": False,
            f"{OWN}.citation": "MCL 445.72(2)",
            f"{CRA}.required": True,
            f"{CRA}.citation": "MCL 445.72(8)",
            f"{DIR}.required": False,
            "substitute_notice_permitted": False,
            "utility_alternative_notice_permitted": False,
            "delay_permitted": False,
            "deemed_compliant": False,
            "max_civil_fine_usd": 309250,  # 1,234 residents + 3 agencies (8) = 1,237 notices x $250
            "estimated_notice_cost_usd": 1542.5,
            "determinations.civil_fine.citation": "MCL 445.72(13), (14)",
        },
    ),
    # ------------------------------------------------------------------ consumer reporting agencies (8)
    (
        "1,000 residents: no CRA notice",
        exposure(1000),
        {},
        {f"{CRA}.required": False, f"{CRA}.citation": "MCL 445.72(8)(a)", f"{RES}.required": True},
    ),
    (
        "1,001 residents: CRA notice",
        exposure(1001),
        {},
        {f"{CRA}.required": True, f"{CRA}.citation": "MCL 445.72(8)"},
    ),
    (
        "GLBA title V: no CRA notice",
        exposure(5000),
        {"entity": {"subject_to_glba_title_v": True}},
        {f"{CRA}.required": False, f"{CRA}.citation": "MCL 445.72(8)(b)", f"{RES}.required": True},
    ),
    # ------------------------------------------------------------------ substitute notice (5)(d)
    (
        "500,000 residents, no cost: no substitute",
        exposure(500_000),
        {"notice": {"cost_per_notice_usd": 0}},
        {"substitute_notice_permitted": False, "substitute_notice.citation": "MCL 445.72(5)(d)"},
    ),
    (
        "500,001 residents: substitute",
        exposure(500_001),
        {"notice": {"cost_per_notice_usd": 0}},
        {
            "substitute_notice_permitted": True,
            "substitute_notice.citation": "MCL 445.72(5)(d)",
            "substitute_notice.permitted": True,
        },
    ),
    (
        "cost exactly $250,000: no substitute",
        exposure(10),
        {"notice": {"estimated_total_cost_usd": 250000}},
        {"substitute_notice_permitted": False, "estimated_notice_cost_usd": 250000},
    ),
    (
        "cost $250,000.01: substitute",
        exposure(10),
        {"notice": {"estimated_total_cost_usd": 250000.01}},
        {"substitute_notice_permitted": True, "estimated_notice_cost_usd": 250000.01},
    ),
    (
        "200,000 x $1.25 = $250,000: no substitute",
        exposure(200_000),
        {},
        {"substitute_notice_permitted": False, "estimated_notice_cost_usd": 250000},
    ),
    (
        "200,001 x $1.25 > $250,000: substitute",
        exposure(200_001),
        {},
        {"substitute_notice_permitted": True, "estimated_notice_cost_usd": 250001.25},
    ),
    (
        "costly but no notice required: no substitute",
        exposure(600_000),
        {"incident": {"no_substantial_loss_determination": True}},
        {"substitute_notice_permitted": False},
    ),
    # ------------------------------------------------------------------ civil fine (13)-(14)
    # each failure to give a required notice counts (445.72(13)): one per resident (1), one per nationwide
    # consumer reporting agency (8) -- three -- and the owner's (2); at most $750,000 per breach (14)
    (
        "2,997 residents + 3 agencies = 3,000 notices: fine at the cap",
        exposure(2997),
        {},
        {"max_civil_fine_usd": 750000, "civil_fine.notices_counted": 3000, "civil_fine.uncapped_usd": 750000},
    ),
    (
        "2,996 residents + 3 agencies = 2,999 notices: under the cap",
        exposure(2996),
        {},
        {"max_civil_fine_usd": 749750, "civil_fine.notices_counted": 2999},
    ),
    (
        "3,000 residents + 3 agencies: 3,003 notices, capped",
        exposure(3000),
        {},
        {
            "max_civil_fine_usd": 750000,
            "civil_fine.uncapped_usd": 750750,
            "civil_fine.cap_per_breach_usd": 750000,
        },
    ),
    (
        "1,001 residents: the agency notices (8) are required notices too",
        exposure(1001),
        {},
        {
            f"{CRA}.required": True,
            "max_civil_fine_usd": 251000,
            "civil_fine.notices_counted": 1004,
            "civil_fine.per_failure_usd": 250,
            "civil_fine.citation": "MCL 445.72(13), (14)",
            "determinations.civil_fine.applies": True,
        },
    ),
    (
        "1,000 residents: no agency notice (8)(a), residents only",
        exposure(1000),
        {},
        {f"{CRA}.required": False, "max_civil_fine_usd": 250000, "civil_fine.notices_counted": 1000},
    ),
    (
        "GLBA, 5,000 residents: no agency notice (8)(b)",
        exposure(5000),
        {"entity": {"subject_to_glba_title_v": True}},
        {f"{CRA}.required": False, "max_civil_fine_usd": 750000, "civil_fine.notices_counted": 5000},
    ),
    (
        "maintainer: the one notice to the owner (2) is a required notice",
        exposure(5000),
        {"entity": {"owns_or_licenses_data": False}},
        {
            f"{OWN}.required": True,
            "max_civil_fine_usd": 250,
            "civil_fine.notices_counted": 1,
            "determinations.civil_fine.applies": True,
        },
    ),
    (
        "licensee maintainer: 500.561(11) counts the owner notice too",
        exposure(5000),
        {"entity": {**LICENSEE, "owns_or_licenses_data": False}},
        {
            "max_civil_fine_usd": 250,
            "civil_fine.notices_counted": 1,
            "civil_fine.citation": "MCL 500.561(11), (12)",
        },
    ),
    (
        "agency maintainer: (13) fines only a person",
        exposure(5000),
        {"entity": {"type": "agency", "owns_or_licenses_data": False}},
        {
            f"{OWN}.required": True,
            "max_civil_fine_usd": 0,
            "civil_fine.notices_counted": 0,
            "determinations.civil_fine.citation": "MCL 445.72(13)",
            "determinations.civil_fine.applies": False,
        },
    ),
    (
        "state agency: notice required, (13) fines only a person",
        exposure(3000),
        {"entity": {"type": "agency"}},
        {
            f"{RES}.required": True,
            "max_civil_fine_usd": 0,
            "determinations.civil_fine.citation": "MCL 445.72(13)",
            "determinations.civil_fine.applies": False,
        },
    ),
    (
        "no residents: nothing to notify, no fine",
        exposure(0),
        {},
        {
            f"{RES}.required": False,
            f"{RES}.citation": "MCL 445.72(1)",
            "max_civil_fine_usd": 0,
            "determinations.michigan_residents_affected.applies": False,
            f"{CRA}.required": False,
        },
    ),
    # ------------------------------------------------------------------ insurance licensees (500.561(14))
    (
        "licensee, discovered 2019-12-31: MCL 445.72",
        exposure(1001),
        {"entity": LICENSEE, "incident": {"discovered_on": "2019-12-31"}},
        {
            "statute": "MCL 445.72",
            f"{RES}.citation": "MCL 445.72(1)",
            f"{CRA}.citation": "MCL 445.72(8)",
            "determinations.insurance_code_governs.applies": False,
            "determinations.insurance_code_governs.citation": "MCL 500.561(14)",
            "determinations.insurance_code_entity_exempt_from_itpa.applies": False,
            f"{DIR}.required": False,
        },
    ),
    (
        "licensee, discovered 2020-01-01: MCL 500.561",
        exposure(1001),
        {"entity": LICENSEE, "incident": {"discovered_on": "2020-01-01"}},
        {
            "statute": "MCL 500.561",
            f"{RES}.required": True,
            f"{RES}.citation": "MCL 500.561(1)",
            f"{CRA}.required": True,
            f"{CRA}.citation": "MCL 500.561(8)",
            "determinations.insurance_code_governs.applies": True,
            "determinations.insurance_code_governs.citation": "MCL 500.561(14)",
            "determinations.insurance_code_entity_exempt_from_itpa.applies": True,
            "determinations.insurance_code_entity_exempt_from_itpa.citation": "MCL 445.64(1)",
            "determinations.civil_fine.citation": "MCL 500.561(11), (12)",
            "max_civil_fine_usd": 251000,  # 1,001 residents + 3 agencies (500.561(8))
        },
    ),
    ("licensee, no date: current law", exposure(10), {"entity": LICENSEE}, {"statute": "MCL 500.561"}),
    (
        "licensee, 1,000 residents: (8)(a)",
        exposure(1000),
        {"entity": LICENSEE},
        {f"{CRA}.required": False, f"{CRA}.citation": "MCL 500.561(8)(a)"},
    ),
    (
        "licensee under GLBA: (8)(b)",
        exposure(5000),
        {"entity": {**LICENSEE, "subject_to_glba_title_v": True}},
        {f"{CRA}.required": False, f"{CRA}.citation": "MCL 500.561(8)(b)"},
    ),
    # ------------------------------------------------------------------ not a security breach
    (
        "good-faith employee access",
        exposure(5000),
        {"incident": {"good_faith_employee_access": True}},
        {
            "security_breach": False,
            f"{RES}.required": False,
            f"{RES}.citation": "MCL 445.63(b)",
            f"{OWN}.required": False,
            f"{OWN}.citation": "MCL 445.63(b)",
            f"{CRA}.required": False,
            f"{CRA}.citation": "MCL 445.63(b)",
            "max_civil_fine_usd": 0,
            "delay_permitted": False,
            "substitute_notice_permitted": False,
        },
    ),
    (
        "good-faith access, licensee: 500.561 has no such exception",
        exposure(5000),
        {"entity": LICENSEE, "incident": {"good_faith_employee_access": True}},
        {
            "security_breach": True,
            f"{RES}.required": True,
            f"{RES}.citation": "MCL 500.561(1)",
            "determinations.good_faith_employee_access.applies": False,
            "determinations.good_faith_employee_access.citation": "MCL 500.561 (no counterpart to MCL 445.63(b))",
        },
    ),
    (
        "public records only",
        exposure(5000),
        {"incident": {"public_records_only": True}},
        {
            "security_breach": False,
            f"{RES}.required": False,
            f"{RES}.citation": "MCL 445.72(17)",
            f"{OWN}.citation": "MCL 445.72(17)",
            "max_civil_fine_usd": 0,
        },
    ),
    (
        "public records only, licensee",
        exposure(5000),
        {"entity": LICENSEE, "incident": {"public_records_only": True}},
        {"security_breach": False, f"{RES}.citation": "MCL 500.561(15)", f"{DIR}.required": False},
    ),
    # ------------------------------------------------------------------ no-substantial-loss determination (1), (3)
    (
        "no substantial loss determined",
        exposure(5000),
        {"incident": {"no_substantial_loss_determination": True}},
        {
            "security_breach": True,
            f"{RES}.required": False,
            f"{RES}.citation": "MCL 445.72(1)",
            f"{CRA}.required": False,
            "max_civil_fine_usd": 0,
        },
    ),
    # ------------------------------------------------------------------ maintainer, not owner (2)
    (
        "maintains data it does not own",
        exposure(5000),
        {"entity": {"owns_or_licenses_data": False}},
        {
            f"{OWN}.required": True,
            f"{OWN}.citation": "MCL 445.72(2)",
            f"{RES}.required": False,
            f"{RES}.citation": "MCL 445.72(1)",
            f"{CRA}.required": False,
            "max_civil_fine_usd": 250,  # the notice to the owner (2) is a required notice
        },
    ),
    (
        "maintainer, no substantial loss",
        exposure(5000),
        {"entity": {"owns_or_licenses_data": False}, "incident": {"no_substantial_loss_determination": True}},
        {f"{OWN}.required": False, f"{OWN}.citation": "MCL 445.72(2)"},
    ),
    (
        "maintainer, licensee",
        exposure(5000),
        {"entity": {**LICENSEE, "owns_or_licenses_data": False}},
        {f"{OWN}.required": True, f"{OWN}.citation": "MCL 500.561(2)"},
    ),
    # ------------------------------------------------------------------ deemed compliance (9), (10)
    (
        "financial institution with interagency procedures",
        exposure(5000),
        {"entity": {"type": "financial_institution", "interagency_guidance_procedures": True}},
        {
            "deemed_compliant": True,
            "determinations.deemed_compliant.citation": "MCL 445.72(9)",
            f"{RES}.required": False,
            f"{RES}.citation": "MCL 445.72(9)",
            f"{CRA}.required": False,
            "max_civil_fine_usd": 0,
        },
    ),
    (
        "GLBA business with interagency procedures is a financial institution",
        exposure(5000),
        {"entity": {"subject_to_glba_title_v": True, "interagency_guidance_procedures": True}},
        {"deemed_compliant": True, f"{RES}.citation": "MCL 445.72(9)"},
    ),
    (
        "financial institution without interagency procedures",
        exposure(5000),
        {"entity": {"type": "financial_institution"}},
        {"deemed_compliant": False, f"{RES}.required": True, f"{RES}.citation": "MCL 445.72(1)"},
    ),
    (
        "interagency procedures do not help a licensee",
        exposure(5000),
        {"entity": {**LICENSEE, "subject_to_glba_title_v": True, "interagency_guidance_procedures": True}},
        {
            "deemed_compliant": False,
            f"{RES}.required": True,
            "determinations.deemed_compliant_financial_institution.citation": "MCL 500.561 (no counterpart to MCL 445.72(9))",
        },
    ),
    (
        "HIPAA-compliant business",
        exposure(5000),
        {"entity": {"hipaa_compliant": True}},
        {
            "deemed_compliant": True,
            f"{RES}.required": False,
            f"{RES}.citation": "MCL 445.72(10)",
            "determinations.deemed_compliant.citation": "MCL 445.72(10)",
            "max_civil_fine_usd": 0,
        },
    ),
    (
        "HIPAA-compliant licensee",
        exposure(5000),
        {"entity": {**LICENSEE, "hipaa_compliant": True}},
        {"deemed_compliant": True, f"{RES}.citation": "MCL 500.561(9)"},
    ),
    # ------------------------------------------------------------------ public utility (11)
    (
        "public utility",
        exposure(5000),
        {"entity": {"type": "public_utility"}},
        {
            "utility_alternative_notice_permitted": True,
            "determinations.utility_alternative_notice.citation": "MCL 445.72(11)",
        },
    ),
    (
        "public utility that only maintains the data",
        exposure(5000),
        {"entity": {"type": "public_utility", "owns_or_licenses_data": False}},
        {"utility_alternative_notice_permitted": False},
    ),
    (
        "no utility clause in 500.561",
        exposure(5000),
        {"entity": LICENSEE},
        {
            "utility_alternative_notice_permitted": False,
            "determinations.utility_alternative_notice.citation": "MCL 500.561 (no counterpart to MCL 445.72(11))",
        },
    ),
    # ------------------------------------------------------------------ delay (4)
    (
        "law enforcement asked for delay",
        exposure(50),
        {"incident": {"law_enforcement_delay_requested": True}},
        {
            "delay_permitted": True,
            "determinations.delay_law_enforcement.citation": "MCL 445.72(4)(b)",
            "determinations.delay_for_scope_and_integrity.applies": True,
        },
    ),
    (
        "law enforcement delay for a maintainer's owner notice",
        exposure(50),
        {"entity": {"owns_or_licenses_data": False}, "incident": {"law_enforcement_delay_requested": True}},
        {"delay_permitted": True},
    ),
    (
        "law enforcement delay, but nothing to notify",
        exposure(50),
        {"incident": {"law_enforcement_delay_requested": True, "public_records_only": True}},
        {"delay_permitted": False, "determinations.delay_for_scope_and_integrity.applies": False},
    ),
    # ------------------------------------------------------------------ which count (1)(b), 445.63(p)(iii)
    (
        "encryption key compromised",
        exposure(100, enc=400, acct=250),
        {"incident": {"encryption_key_compromised": True}},
        {"residents_to_notify": 400, "determinations.wider_count_reading.citation": "MCL 445.72(1)(b)"},
    ),
    (
        "account numbers alone",
        exposure(100, enc=400, acct=250),
        {"interpretation": {"account_numbers_alone": True}},
        {"residents_to_notify": 250, "determinations.wider_count_reading.citation": "MCL 445.63(p)(iii)"},
    ),
    (
        "account numbers alone, licensee",
        exposure(100, acct=250),
        {"entity": LICENSEE, "interpretation": {"account_numbers_alone": True}},
        {
            "residents_to_notify": 250,
            "determinations.wider_count_reading.citation": "MCL 500.561(17)(c)(iii)",
        },
    ),
    (
        "both readings, key larger",
        exposure(100, enc=400, acct=250),
        {"incident": {"encryption_key_compromised": True}, "interpretation": {"account_numbers_alone": True}},
        {"residents_to_notify": 400},
    ),
    (
        "both readings, account numbers larger",
        exposure(100, enc=300, acct=1200),
        {"incident": {"encryption_key_compromised": True}, "interpretation": {"account_numbers_alone": True}},
        {"residents_to_notify": 1200, f"{CRA}.required": True},
    ),
    (
        "default reading ignores the what-ifs",
        exposure(100, enc=400, acct=250),
        {},
        {
            "residents_to_notify": 100,
            "determinations.wider_count_reading.applies": False,
            "determinations.wider_count_reading.citation": "MCL 445.72(1)(a)",
        },
    ),
    (
        "a what-if never lowers the count",
        exposure(100, enc=40),
        {"incident": {"encryption_key_compromised": True}},
        {"residents_to_notify": 100},
    ),
    (
        "unknown residency is flagged",
        exposure(10, unknown=7),
        {},
        {
            "determinations.unknown_residency.applies": True,
            "determinations.unknown_residency.citation": "MCL 445.63(p)",
        },
    ),
    ("no unknown residency", exposure(10), {}, {"determinations.unknown_residency.applies": False}),
    # ------------------------------------------------------------------ DIFS director (500.559, not bundled)
    (
        "licensee, 249 consumers: no director notice",
        exposure(249),
        {"entity": LICENSEE},
        {f"{DIR}.required": False, f"{DIR}.citation": "MCL 500.559(1)"},
    ),
    (
        "licensee, 250 consumers: director notice",
        exposure(250),
        {"entity": LICENSEE},
        {
            f"{DIR}.required": True,
            f"{DIR}.citation": "MCL 500.559(1)(b)",
            f"{DIR}.deadline_business_days": 10,
            f"{DIR}.latest_date_if_determined_on_discovery": None,
        },
    ),
    (
        "licensee, 250 consumers, harm unlikely",
        exposure(250),
        {"entity": LICENSEE, "incident": {"material_harm_likely": False}},
        {f"{DIR}.required": False},
    ),
    (
        "licensee, 250 consumers, harm unlikely, other government notice",
        exposure(250),
        {
            "entity": LICENSEE,
            "incident": {"material_harm_likely": False, "other_government_notice_required": True},
        },
        {f"{DIR}.required": True, f"{DIR}.citation": "MCL 500.559(1)(b)"},
    ),
    (
        "licensee domiciled in Michigan, 10 consumers",
        exposure(10),
        {
            "entity": {**LICENSEE, "michigan_domicile_or_home_state": True},
            "incident": {"discovered_on": "2026-11-20"},
        },
        {
            f"{DIR}.required": True,
            f"{DIR}.citation": "MCL 500.559(1)(a)",
            f"{DIR}.latest_date_if_determined_on_discovery": "2026-12-04",
        },
    ),
    (
        "licensee, event before the director notice took effect",
        exposure(5000),
        {"entity": LICENSEE, "incident": {"discovered_on": "2020-06-01"}},
        {"statute": "MCL 500.561", f"{DIR}.required": False},
    ),
    ("business: no director notice", exposure(5000), {}, {f"{DIR}.required": False}),
]


@pytest.mark.parametrize(("exp", "incident", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_decision_table(exp, incident, expected):
    notice = decide(exp, load_incident(incident), RULES)
    got = {path: pick(notice, path) for path in expected}
    assert got == expected


@pytest.mark.parametrize(
    ("incident", "fragments"),
    [
        ({"incident": {"no_substantial_loss_determination": True}}, ["MCL 445.72(3)", "prudent"]),
        ({"entity": {"owns_or_licenses_data": False}}, ["owner", "not this entity's", "MCL 445.72(2)"]),
        (
            {
                "incident": {"encryption_key_compromised": True},
                "interpretation": {"account_numbers_alone": True},
            },
            ["larger"],
        ),
        (
            {"entity": LICENSEE, "incident": {"good_faith_employee_access": True}},
            ["MCL 445.63(b)", "counsel"],
        ),
    ],
    ids=["prudent-person", "owner's duty", "both readings", "licensee good faith"],
)
def test_reasons_say_why(incident, fragments):
    notice = decide(exposure(100, enc=400, acct=250), load_incident(incident), RULES)
    text = " ".join(d["reason"] for d in notice["determinations"])
    for fragment in fragments:
        assert fragment in text


def test_every_rule_is_reported_with_a_citation():
    notice = decide(exposure(10), load_incident({}), RULES)
    ids = [d["id"] for d in notice["determinations"]]
    assert ids == [r["id"] for r in RULES.rules]
    for d in notice["determinations"]:
        assert d["citation"].startswith("MCL ") and "{" not in d["citation"]
        assert isinstance(d["applies"], bool) and d["reason"] and "{" not in d["reason"]


def test_rules_outside_the_bundled_texts_are_marked():
    notice = decide(exposure(300), load_incident({"entity": LICENSEE}), RULES)
    marked = {d["id"]: d["rests_on"] for d in notice["determinations"] if d["rests_on"] != "bundled"}
    assert set(marked) == {"insurance_code_entity_exempt_from_itpa", "director_notice"}
    assert "MCL 445.64" in marked["insurance_code_entity_exempt_from_itpa"]
    assert "MCL 500.559" in marked["director_notice"]
    assert {s["cites"] for s in notice["sources_not_bundled"]} == {"MCL 445.64", "MCL 500.559"}


@pytest.mark.parametrize(("entity", "statute"), [({}, "MCL 445.72"), (LICENSEE, "MCL 500.561")])
def test_lists_for_the_letter_carry_the_governing_citations(entity, statute):
    notice = decide(exposure(10), load_incident({"entity": entity}), RULES)
    checklist = [c["citation"] for c in notice["content_checklist"]]
    assert [f"{statute}(6)({x})" for x in "cdefg"] == [c for c in checklist if c[-2] in "cdefg"]
    assert [m["citation"] for m in notice["methods"]][:3] == [f"{statute}(5)({x})" for x in "abc"]
    assert [p["citation"] for p in notice["substitute_notice"]["parts"]] == [
        f"{statute}(5)(d)({x})" for x in ("i", "ii", "iii")
    ]
    breach = "cybersecurity event" if entity else "security breach"
    assert any(breach in c["item"] for c in notice["content_checklist"])


def test_assumed_facts_list_every_incident_field():
    notice = decide(exposure(10), load_incident({"entity": {"type": "agency"}}), RULES)
    facts = notice["assumed_facts"]
    assert facts["entity.type"] == {"value": "agency", "from": "incident file"}
    assert facts["incident.discovered_on"] == {"value": None, "from": "default"}
    assert len(facts) == 17


# ---------------------------------------------------------------------------------- exposure validation

BAD_EXPOSURE = [
    ({"affected": {"michigan": 1}}, "what_if.account_numbers_alone"),
    ({"what_if": {"account_numbers_alone": 1, "encryption_key_compromised": 1}}, "affected.michigan"),
    ({**exposure(1), "affected": {"michigan": "12"}}, "affected.michigan"),
    ({**exposure(1), "affected": {"michigan": True}}, "affected.michigan"),
    ({**exposure(1), "affected": {"michigan": -1}}, "affected.michigan"),
    ({**exposure(1), "affected": {"michigan": 1.5}}, "affected.michigan"),
    ({**exposure(1), "what_if": [1, 2]}, "what_if"),
    ([], "JSON object"),
]


@pytest.mark.parametrize(("exp", "field"), BAD_EXPOSURE, ids=[b[1] for b in BAD_EXPOSURE])
def test_bad_exposure_fails_naming_the_key(exp, field):
    with pytest.raises(ExposureError) as err:
        decide(exp, load_incident({}), RULES)
    assert field in str(err.value)


def test_only_contract_keys_are_needed():
    minimal = {
        "affected": {"michigan": 5},
        "what_if": {"account_numbers_alone": 5, "encryption_key_compromised": 5},
    }
    assert decide(minimal, load_incident({}), RULES)["residents_to_notify"] == 5


# ---------------------------------------------------------------------------------- files and the memo


def write_inputs(tmp_path: Path, exp: dict, incident_text: str) -> tuple[Path, Path]:
    exp_path = tmp_path / "exposure.json"
    exp_path.write_text(json.dumps(exp))
    inc_path = tmp_path / "incident.yaml"
    inc_path.write_text(incident_text)
    return exp_path, inc_path


def test_run_notice_writes_deterministic_files(tmp_path):
    exp_path, inc_path = write_inputs(
        tmp_path, exposure(1234, unknown=2), "incident:\n  discovered_on: 2026-11-20\n"
    )
    first = run_notice(exp_path, inc_path, tmp_path / "a")
    run_notice(exp_path, inc_path, tmp_path / "b")
    for name in ("notice.json", "notice.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    text = (tmp_path / "a" / "notice.json").read_text()
    assert json.loads(text) == first
    assert text == json.dumps(first, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_memo_reads_decision_first_then_notices_checklist_and_facts(tmp_path):
    exp_path, inc_path = write_inputs(tmp_path, exposure(1234), "entity:\n  type: public_utility\n")
    run_notice(exp_path, inc_path, tmp_path / "out")
    memo = (tmp_path / "out" / "notice.md").read_text()
    order = [
        "## Decision",
        "## The notices",
        "## Content checklist for the letter",
        "## Facts the decision assumed",
    ]
    positions = [memo.index(h) for h in order]
    assert positions == sorted(positions)
    decision = memo[memo.index("## Decision") : memo.index("## The notices")]
    assert "Notice is required to: Michigan residents (MCL 445.72(1))" in decision
    assert "consumer reporting agencies (MCL 445.72(8))" in decision
    assert (
        "- [ ] Remind recipients to remain vigilant for incidents of fraud and identity theft. (MCL 445.72(6)(g))"
        in memo
    )
    assert '| `entity.type` | "public_utility" | incident file |' in memo
    assert "| `entity.hipaa_compliant` | false | *default* |" in memo


def test_memo_for_no_breach_says_so_first():
    notice = decide(exposure(10), load_incident({"incident": {"public_records_only": True}}), RULES)
    memo = render_markdown(notice)
    decision = memo[memo.index("## Decision") : memo.index("## The notices")]
    assert "**No notice is required.**" in decision and "MCL 445.72(17)" in decision


def test_run_notice_errors(tmp_path):
    exp_path, inc_path = write_inputs(tmp_path, {"affected": {}}, "entity:\n  type: bank\n")
    with pytest.raises(ExposureError, match="affected.michigan"):
        run_notice(exp_path, None, tmp_path / "out")
    exp_path.write_text("{not json")
    with pytest.raises(ExposureError, match="not valid JSON"):
        run_notice(exp_path, None, tmp_path / "out")
    with pytest.raises(ExposureError, match="cannot be read"):
        run_notice(tmp_path / "missing.json", None, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------- the engine


def test_default_rules_come_from_the_package_configs():
    assert CONFIG_DIR == Path(__file__).resolve().parents[1] / "configs"
    assert RULES.path == CONFIG_DIR / "michigan.yaml"
    assert load_rules(path=CONFIG_DIR / "michigan.yaml").rules == RULES.rules


TOY = """
jurisdiction: testland
amounts:
  threshold: {value: 10, citation: "T.C. 1(b)"}
outputs:
  security_breach: breach
  substitute_notice_permitted: never
  utility_alternative_notice_permitted: never
  delay_permitted: never
  deemed_compliant: never
  notices: {residents: residents}
rules:
  - id: breach
    citation: T.C. 1(a)
    cases:
      - sets:
          statute: T.C. 1
          residents_to_notify: {fact: exposure.affected.michigan}
          estimated_notice_cost_usd: 0
          max_civil_fine_usd: {min: [{mul: [{fact: residents_to_notify}, 2.5]}, 30]}
        applies: true
        reason: always a breach
  - id: residents
    citation: "{statute}(b)"
    cases:
      - when: {fact: residents_to_notify, gt: {amount: threshold}}
        applies: true
        reason: "{residents_to_notify} is over {amount.threshold}"
      - applies: false
        reason: "{residents_to_notify} is not over {amount.threshold}"
  - id: never
    citation: T.C. 9
    cases: [{applies: false, reason: never}]
"""


@pytest.mark.parametrize(("count", "required", "fine"), [(10, False, 25), (11, True, 27.5), (40, True, 30)])
def test_another_jurisdiction_is_just_another_config(tmp_path, count, required, fine):
    path = tmp_path / "testland.yaml"
    path.write_text(TOY)
    notice = decide(exposure(count), load_incident({}), load_rules(path=path))
    assert notice["statute"] == "T.C. 1"
    assert notice["notices"]["residents"] == {
        "required": required,
        "citation": "T.C. 1(b)",
        "reason": f"{count} is {'over' if required else 'not over'} 10",
    }
    assert notice["max_civil_fine_usd"] == fine
    assert "## Decision" in render_markdown(notice)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda t: t.replace('threshold: {value: 10, citation: "T.C. 1(b)"}', "threshold: {value: 10}"),
            "amounts.threshold needs a value and a citation",
        ),
        (
            lambda t: t.replace("gt: {amount: threshold}", "above: {amount: threshold}"),
            "needs exactly one of",
        ),
        (lambda t: t.replace("{amount: threshold}", "{amount: thresh}"), "unknown amount 'thresh'"),
        (
            lambda t: t.replace("fact: residents_to_notify, gt", "fact: residents, gt").replace(
                "- id: residents\n", "- id: residents2\n"
            ),
            "unknown fact 'residents'",
        ),
        (
            lambda t: t.replace(
                '      - applies: false\n        reason: "{residents_to_notify} is not',
                '      - when: false\n        applies: false\n        reason: "{residents_to_notify} is not',
            ),
            "no case matched",
        ),
        (lambda t: t.replace("- id: never", "- id: breach"), "duplicate rule id"),
    ],
    ids=[
        "amount without citation",
        "unknown operator",
        "unknown amount",
        "unknown fact",
        "no case",
        "duplicate id",
    ],
)
def test_malformed_rules_fail_clearly(tmp_path, mutate, message):
    path = tmp_path / "bad.yaml"
    text = mutate(TOY)
    assert text != TOY
    path.write_text(text)
    with pytest.raises(RulesError, match=message):
        decide(exposure(5), load_incident({}), load_rules(path=path))


def test_every_threshold_in_michigan_config_has_a_citation():
    for kind in ("amounts", "dates"):
        for name, entry in RULES.data[kind].items():
            assert "MCL" in entry["citation"], f"{kind}.{name}"


def test_memo_for_a_maintainer_says_whose_duty_the_residents_are():
    notice = decide(exposure(2000), load_incident({"entity": {"owns_or_licenses_data": False}}), RULES)
    memo = render_markdown(notice)
    decision = memo[memo.index("## Decision") : memo.index("## The notices")]
    assert "Notice is required to: Owner or licensor of the data (MCL 445.72(2))" in decision
    assert "not this entity's" in decision


# ------------------------------------------------------------------ review: fine, per-statute text, wording


def test_civil_fine_reason_says_what_it_counts_and_where_it_is_open_to_reading():
    """(13) fines each failure to give a notice the section requires: the reason names every notice counted."""
    notice = decide(exposure(1001), load_incident({}), RULES)
    reason = pick(notice, "determinations.civil_fine.reason")
    for fragment in (
        '"for each failure to provide notice"',
        '1,001 notices to residents (MCL 445.72(1) requires one "to each resident")',
        "3 to the nationwide consumer reporting agencies (MCL 445.72(8)",
        "1,004 notices x $250.00 = $251,000.00",
        "at most $750,000.00 in all for the same security breach (MCL 445.72(13), (14))",
        "Open to reading",
        "15 USC 1681a(p)",
    ):
        assert fragment in reason
    owner = decide(exposure(1001), load_incident({"entity": {"owns_or_licenses_data": False}}), RULES)
    reason = pick(owner, "determinations.civil_fine.reason")
    assert (
        "notice to the owner or licensor of the data (MCL 445.72(2)): 1 notice x $250.00 = $250.00" in reason
    )


def test_memo_states_the_civil_fine_exactly():
    memo = render_markdown(decide(exposure(1001), load_incident({}), RULES))
    assert (
        "- Maximum civil fine for knowingly failing to give all 1,004 notices the section requires ($250.00 "
        "each, at most $750,000.00 per breach): $251,000.00 (MCL 445.72(13), (14))."
    ) in memo
    assert "notices to residents are not given" not in memo


@pytest.mark.parametrize(
    ("entity", "own", "other"),
    [
        ({}, "between the person or agency and another person or agency", "another licensee"),
        (LICENSEE, "between the licensee and another licensee", "person or agency"),
    ],
)
def test_notice_by_agreement_in_each_statutes_words(entity, own, other):
    """445.72(7): "another person or agency"; 500.561(7): "another licensee". The method and the maintainer's
    resident-notice reason say what the governing statute says."""
    notice = decide(exposure(10), load_incident({"entity": entity}), RULES)
    method = next(m for m in notice["methods"] if m["id"] == "by_agreement")
    assert own in method["method"] and other not in method["method"]
    maintainer = decide(
        exposure(10), load_incident({"entity": {**entity, "owns_or_licenses_data": False}}), RULES
    )
    reason = maintainer["notices"]["residents"]["reason"]
    statute = maintainer["statute"]
    assert f"{statute}(7)" in reason
    if entity:
        assert '"under an agreement between the licensee and another licensee"' in reason
        assert "person or agency" not in reason
    else:
        assert '"another person or agency"' in reason


def test_delay_permitted_says_it_is_the_law_enforcement_delay_only():
    notice = decide(exposure(10), load_incident({}), RULES)
    assert notice["delay_permitted"] is False  # contract meaning unchanged: (4)(b) only
    assert pick(notice, "determinations.delay_for_scope_and_integrity.applies") is True
    reason = pick(notice, "determinations.delay_law_enforcement.reason")
    assert "covers only the delay at a law enforcement agency's request, MCL 445.72(4)(b)" in reason
    assert "MCL 445.72(4)(a), is available (see delay_for_scope_and_integrity)" in reason
    none = decide(exposure(0), load_incident({}), RULES)
    assert pick(none, "determinations.delay_law_enforcement.reason") == (
        "No notice is required of this entity, so there is nothing to delay."
    )


def test_a_cost_just_over_the_threshold_reads_exactly():
    """$250,000.004 exceeds $250,000.00 ((5)(d)); rounded to the cent it read "$250,000.00 exceeds $250,000.00"."""
    notice = decide(exposure(10), load_incident({"notice": {"estimated_total_cost_usd": 250000.004}}), RULES)
    assert notice["substitute_notice_permitted"] is True
    assert notice["estimated_notice_cost_usd"] == 250000.004
    assert "$250,000.004, exceeds $250,000.00" in notice["substitute_notice"]["reason"]
    assert "- Estimated cost of notice: $250,000.004." in render_markdown(notice)
    cents = decide(exposure(10), load_incident({"notice": {"estimated_total_cost_usd": 250000.01}}), RULES)
    assert "$250,000.01, exceeds $250,000.00" in cents["substitute_notice"]["reason"]


@pytest.mark.parametrize("owns", [True, False])
def test_no_substantial_loss_quotes_the_statute(owns):
    notice = decide(
        exposure(10),
        load_incident(
            {
                "entity": {"owns_or_licenses_data": owns},
                "incident": {"no_substantial_loss_determination": True},
            }
        ),
        RULES,
    )
    reason = notice["notices"]["residents" if owns else "owner_or_licensor"]["reason"]
    assert (
        '"has not or is not likely to cause substantial loss or injury to, or result in identity theft with '
        'respect to, 1 or more residents of this state"'
    ) in reason
    assert "has not caused" not in reason


def test_engine_sum_reason_by_statute_and_own_citation(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(
        TOY.replace(
            "max_civil_fine_usd: {min: [{mul: [{fact: residents_to_notify}, 2.5]}, 30]}",
            "max_civil_fine_usd: {sum: [{fact: residents_to_notify}, 0.005]}",
        ).replace(
            'reason: "{residents_to_notify} is over {amount.threshold}"',
            'reason: {T.C. 1: "over ({citation}); ${max_civil_fine_usd:,.2f}", T.C. 2: "other statute"}',
        )
    )
    notice = decide(exposure(11), load_incident({}), load_rules(path=path))
    assert notice["notices"]["residents"]["reason"] == "over (T.C. 1(b)); $11.005"
    assert notice["max_civil_fine_usd"] == 11.005
