"""The incident file: defaults, accepted forms, and errors that name the field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.incident import Incident, IncidentError, load_incident

ROOT = Path(__file__).resolve().parents[1]

# The defaults the contract (/work/shared/contracts.md, "Incident file") promises, field by field.
CONTRACT_DEFAULTS = [
    ("entity", "type", "business"),
    ("entity", "owns_or_licenses_data", True),
    ("entity", "subject_to_glba_title_v", False),
    ("entity", "hipaa_compliant", False),
    ("entity", "interagency_guidance_procedures", False),
    ("incident", "encryption_key_compromised", False),
    ("incident", "good_faith_employee_access", False),
    ("incident", "public_records_only", False),
    ("incident", "no_substantial_loss_determination", False),
    ("incident", "law_enforcement_delay_requested", False),
    ("interpretation", "account_numbers_alone", False),
    ("notice", "cost_per_notice_usd", 1.25),
]


@pytest.mark.parametrize(("section", "name", "default"), CONTRACT_DEFAULTS)
@pytest.mark.parametrize(
    "source", [None, {}, {"entity": None, "incident": {}}], ids=["none", "empty", "null-sections"]
)
def test_missing_fields_take_the_contract_defaults(source, section, name, default):
    incident = load_incident(source)
    assert getattr(getattr(incident, section), name) == default
    assert incident.given == frozenset()


def test_discovered_on_defaults_to_not_stated():
    assert load_incident(None).incident.discovered_on is None


def test_empty_file_means_all_defaults(tmp_path):
    path = tmp_path / "incident.yaml"
    path.write_text("# nothing stated\n")
    assert load_incident(path).facts() == Incident().facts()


def test_example_file_loads_and_states_only_defaults_apart_from_the_date():
    incident = load_incident(ROOT / "configs" / "incident.example.yaml")
    assert incident.incident.discovered_on == dt.date(2026, 11, 20)
    facts, defaults = incident.facts(), Incident().facts()
    facts["incident"].pop("discovered_on")
    defaults["incident"].pop("discovered_on")
    assert facts == defaults
    assert "entity.type" in incident.given


def test_json_is_accepted_and_dates_are_parsed(tmp_path):
    path = tmp_path / "incident.json"
    path.write_text(json.dumps({"entity": {"type": "agency"}, "incident": {"discovered_on": "2019-12-31"}}))
    incident = load_incident(path)
    assert incident.entity.type == "agency"
    assert incident.incident.discovered_on == dt.date(2019, 12, 31)
    assert incident.given == {"entity.type", "incident.discovered_on"}


def test_dict_input_with_a_date_object():
    incident = load_incident({"incident": {"discovered_on": dt.date(2020, 1, 1)}})
    assert incident.incident.discovered_on == dt.date(2020, 1, 1)


def test_assumed_facts_mark_what_the_file_stated():
    facts = load_incident(
        {"entity": {"type": "public_utility"}, "incident": {"discovered_on": "2026-11-20"}}
    ).assumed_facts()
    assert facts["entity.type"] == {"value": "public_utility", "from": "incident file"}
    assert facts["incident.discovered_on"] == {"value": "2026-11-20", "from": "incident file"}
    assert facts["entity.hipaa_compliant"] == {"value": False, "from": "default"}


def test_total_cost_estimate_replaces_the_per_notice_cost():
    incident = load_incident({"notice": {"estimated_total_cost_usd": 180000}})
    assert incident.notice.estimated_total_cost_usd == 180000.0


BAD_FILES = [
    # (YAML text, the field the message must name, another fragment it must contain)
    ("entity:\n  typ: business\n", "entity.typ", "did you mean type"),
    ("entiti:\n  type: business\n", "entiti", "unknown section"),
    ("entity:\n  type: bank\n", "entity.type", "insurance_licensee"),
    ("entity:\n  type: Business\n", "entity.type", "'Business'"),
    ("entity:\n  owns_or_licenses_data: 'yes'\n", "entity.owns_or_licenses_data", "true or false"),
    ("entity:\n  hipaa_compliant: 1\n", "entity.hipaa_compliant", "true or false"),
    (
        "interpretation:\n  account_numbers_alone: null\n",
        "interpretation.account_numbers_alone",
        "true or false",
    ),
    ("incident:\n  discovered_on: 2026-13-01\n", "incident.discovered_on", "YYYY-MM-DD"),
    ("incident:\n  discovered_on: yesterday\n", "incident.discovered_on", "YYYY-MM-DD"),
    ("incident:\n  discovered_on: 2026-11-20T10:00:00\n", "incident.discovered_on", "YYYY-MM-DD"),
    ("incident:\n  discovered_on: 20261120\n", "incident.discovered_on", "YYYY-MM-DD"),
    ("incident:\n  breach_date: 2026-11-20\n", "incident.breach_date", "unknown field"),
    ("notice:\n  cost_per_notice_usd: -1\n", "notice.cost_per_notice_usd", "non-negative"),
    ("notice:\n  cost_per_notice_usd: '1.25'\n", "notice.cost_per_notice_usd", "amount"),
    ("notice:\n  cost_per_notice_usd: .nan\n", "notice.cost_per_notice_usd", "amount"),
    ("notice:\n  cost_per_notice_usd: true\n", "notice.cost_per_notice_usd", "amount"),
    (
        "notice:\n  cost_per_notice_usd: 1\n  estimated_total_cost_usd: 2\n",
        "notice.estimated_total_cost_usd",
        "not both",
    ),
    ("entity: business\n", "entity", "mapping"),
    ("- entity\n- incident\n", "top level", "mapping"),
    ("entity:\n  type: business\n  type: agency\n", "type", "twice"),
    ("entity: [\n", "not valid YAML", "line"),
]


@pytest.mark.parametrize(("text", "field", "fragment"), BAD_FILES, ids=[b[1] + ":" + b[2] for b in BAD_FILES])
def test_bad_incident_file_fails_naming_the_field(tmp_path, text, field, fragment):
    path = tmp_path / "incident.yaml"
    path.write_text(text)
    with pytest.raises(IncidentError) as err:
        load_incident(path)
    message = str(err.value)
    assert field in message
    assert fragment in message
    assert str(path) in message  # which file, too


def test_bad_dict_names_the_field_without_a_file():
    with pytest.raises(IncidentError, match=r"^entity\.type: expected one of"):
        load_incident({"entity": {"type": "bank"}})


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(IncidentError, match="cannot be read"):
        load_incident(tmp_path / "nope.yaml")
