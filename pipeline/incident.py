"""The incident file: the facts about the breach that no scan can see (who the entity is, what it decided).

Every field has a default, so a missing file or section means "all defaults". Anything the file says is
checked strictly: an unknown key, a wrong type or a value outside the allowed set is an ``IncidentError``
whose message names the field as a dotted path (``entity.type``), because a silently ignored typo here
would change which notices the law requires.

``discovered_on`` defaults to null ("not stated") rather than today's date, so the same inputs always give
the same notice.json; the notice engine then assumes a discovery under current law and says so.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

ENTITY_TYPES = ("business", "agency", "financial_institution", "public_utility", "insurance_licensee")


class IncidentError(ValueError):
    """The incident file is unreadable or a field in it is invalid; the message names the field."""


@dataclass(frozen=True)
class Entity:
    type: str = "business"
    owns_or_licenses_data: bool = True  # 445.72(1) owner/licensor vs (2) maintainer
    subject_to_glba_title_v: bool = False  # 445.72(8)(b), 500.561(8)(b)
    hipaa_compliant: bool = False  # 445.72(10), 500.561(9)
    interagency_guidance_procedures: bool = False  # 445.72(9)
    # Beyond the contract example; only MCL 500.559 (notice to the DIFS director) reads it.
    michigan_domicile_or_home_state: bool = False


@dataclass(frozen=True)
class IncidentDetails:
    discovered_on: dt.date | None = None  # null: not stated (see module docstring)
    encryption_key_compromised: bool = False  # 445.72(1)(b)
    good_faith_employee_access: bool = False  # 445.63(b)
    public_records_only: bool = False  # 445.72(17), 500.561(15)
    no_substantial_loss_determination: bool = False  # 445.72(1), (3)
    law_enforcement_delay_requested: bool = False  # 445.72(4)(b)
    # Beyond the contract example; only MCL 500.559 reads them. Harm defaults to likely: the licensee
    # has to decide otherwise, the tool does not assume it for them.
    material_harm_likely: bool = True
    other_government_notice_required: bool = False


@dataclass(frozen=True)
class Interpretation:
    account_numbers_alone: bool = False  # read 445.63(p)(iii) without the access-code requirement


@dataclass(frozen=True)
class NoticeCost:
    cost_per_notice_usd: float = 1.25
    estimated_total_cost_usd: float | None = None  # when given, used instead of count * cost per notice


@dataclass(frozen=True)
class Incident:
    entity: Entity = field(default_factory=Entity)
    incident: IncidentDetails = field(default_factory=IncidentDetails)
    interpretation: Interpretation = field(default_factory=Interpretation)
    notice: NoticeCost = field(default_factory=NoticeCost)
    given: frozenset[str] = frozenset()  # dotted names of the fields the file stated; the rest are defaults
    source: str | None = None  # the file it came from, for messages and the memo

    def facts(self) -> dict[str, dict[str, Any]]:
        """The fields as nested plain values: what the rules engine reads."""
        return {name: _section_values(getattr(self, name)) for name in SECTIONS}

    def assumed_facts(self) -> dict[str, dict[str, Any]]:
        """Every field with its value and whether the file stated it or the default was assumed."""
        out: dict[str, dict[str, Any]] = {}
        for section, values in self.facts().items():
            for name, value in values.items():
                dotted = f"{section}.{name}"
                if isinstance(value, dt.date):
                    value = value.isoformat()
                out[dotted] = {"value": value, "from": "incident file" if dotted in self.given else "default"}
        return out


SECTIONS: dict[str, type] = {
    "entity": Entity,
    "incident": IncidentDetails,
    "interpretation": Interpretation,
    "notice": NoticeCost,
}


def _section_values(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice (PyYAML would silently keep the last one)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise IncidentError(f"{key}: given twice (line {line})")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings until _check_date parses them: PyYAML would raise a bare ValueError for 2026-13-01,
# with no field name, and would turn 2026-11-20T10:00 into a datetime.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_incident(path_or_dict: str | Path | dict | None) -> Incident:
    """Read and validate an incident file (YAML or JSON) or an already parsed mapping.

    ``None`` gives the all-default incident. Raises ``IncidentError`` naming the offending field.
    """
    source: str | None = None
    if path_or_dict is None:
        raw: Any = {}
    elif isinstance(path_or_dict, dict):
        raw = path_or_dict
    else:
        path = Path(path_or_dict)
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise IncidentError(f"incident file {path}: cannot be read ({exc.strerror or exc})") from None
        try:
            raw = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no object construction
        except IncidentError as exc:
            raise IncidentError(f"incident file {path}: {exc}") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or "invalid YAML"
            raise IncidentError(f"incident file {path}: not valid YAML{where}: {problem}") from None
    try:
        return _build(raw, source)
    except IncidentError as exc:
        if source:
            raise IncidentError(f"incident file {source}: {exc}") from None
        raise


def _build(raw: Any, source: str | None) -> Incident:
    if raw is None:  # an empty file
        raw = {}
    if not isinstance(raw, dict):
        raise IncidentError(
            f"(top level): expected a mapping of sections {', '.join(SECTIONS)}, got {_kind(raw)}"
        )
    given: set[str] = set()
    sections: dict[str, Any] = {}
    for key in raw:
        if key not in SECTIONS:
            raise IncidentError(
                f"{key}: unknown section{_suggest(key, SECTIONS)}; expected one of {', '.join(SECTIONS)}"
            )
    for section, cls in SECTIONS.items():
        values = raw.get(section)
        if values is None:  # missing or empty section: all defaults
            sections[section] = cls()
            continue
        if not isinstance(values, dict):
            raise IncidentError(f"{section}: expected a mapping of fields, got {_kind(values)}")
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            dotted = f"{section}.{key}"
            if key not in known:
                raise IncidentError(
                    f"{dotted}: unknown field{_suggest(key, known)}; {section} has {', '.join(known)}"
                )
            kwargs[key] = _check(dotted, value)
            given.add(dotted)
        sections[section] = cls(**kwargs)
    notice = raw.get("notice") or {}
    if "cost_per_notice_usd" in notice and "estimated_total_cost_usd" in notice:
        raise IncidentError(
            "notice.estimated_total_cost_usd: give either notice.cost_per_notice_usd or "
            "notice.estimated_total_cost_usd, not both"
        )
    return Incident(**sections, given=frozenset(given), source=source)


def _check(dotted: str, value: Any) -> Any:
    """Validate one field by its name's expected kind; return the normalised value."""
    if dotted == "entity.type":
        if not isinstance(value, str) or value not in ENTITY_TYPES:
            raise IncidentError(f"{dotted}: expected one of {', '.join(ENTITY_TYPES)}, got {_show(value)}")
        return value
    if dotted == "incident.discovered_on":
        return _check_date(dotted, value)
    if dotted == "notice.cost_per_notice_usd":
        return _check_amount(dotted, value, allow_null=False)
    if dotted == "notice.estimated_total_cost_usd":
        return _check_amount(dotted, value, allow_null=True)
    # every other field is a yes/no fact; 0/1 and "true" are refused so a typo cannot flip a duty
    if type(value) is not bool:
        raise IncidentError(f"{dotted}: expected true or false, got {_show(value)}")
    return value


def _check_date(dotted: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # YAML reads 2026-11-20T10:00 as a datetime; the law counts days
        raise IncidentError(f"{dotted}: expected a date YYYY-MM-DD without a time, got {_show(value)}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):  # JSON has no date type
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise IncidentError(f"{dotted}: expected a date YYYY-MM-DD, got {_show(value)}")


def _check_amount(dotted: str, value: Any, *, allow_null: bool) -> float | None:
    if value is None and allow_null:
        return None
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
        raise IncidentError(f"{dotted}: expected a non-negative amount in US dollars, got {_show(value)}")
    return float(value)


def _suggest(key: Any, choices: Any) -> str:
    close = difflib.get_close_matches(str(key), list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _show(value: Any) -> str:
    text = repr(value.isoformat() if isinstance(value, dt.date) else value)
    return text if len(text) <= 40 else text[:37] + "..."
