"""Breach-notice rules as data, and the one small engine that evaluates them.

A jurisdiction is a YAML file in ``configs/`` (``michigan.yaml`` first). It holds:

- ``amounts`` and ``dates``: every threshold, each ``{value, citation}``;
- ``rules``: an ordered decision table. Each rule has an ``id``, a ``citation`` and ordered ``cases``; the
  first case whose ``when`` holds gives the rule's ``applies``, ``reason`` and (optionally) its own
  ``citation`` and ``sets`` (facts computed for later rules). A rule's result is itself a fact named by its
  id, so later rules can depend on earlier ones;
- ``outputs`` (which rule feeds which notice.json key) and the fixed lists the memo prints (methods,
  content checklist, substitute-notice parts).

Citations are templates: ``"{statute}(8)(a)"`` becomes ``"MCL 445.72(8)(a)"`` once a rule has set the
``statute`` fact, or a mapping ``{"MCL 445.72": ..., "MCL 500.561": ...}`` where subsection numbers differ.

Conditions (``when``): ``{all: [...]}``, ``{any: [...]}``, ``{not: cond}``, and
``{fact: NAME, <op>: VALUE}`` with op one of ``is, in, gt, gte, lt, lte``; a comparison with a null fact is
false. Values (in conditions and ``sets``): a literal, ``{fact: NAME}``, ``{amount: NAME}``,
``{date: NAME}``, ``{max: [...]}``, ``{min: [...]}``, ``{mul: [...]}``, ``{sum: [...]}``. Money is exact
(Decimal), and so is its text: ``{x:,.2f}`` of an amount with more than two decimal places shows them all
(250000.004 reads "250,000.004", never "250,000.00" beside a threshold of 250,000.00 it exceeds).

A case's ``reason`` is a template like its citation (a string, or a mapping by statute where the two statutes
say different things); ``{citation}`` in it is the case's own resolved citation.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"

_COMPARISONS = {
    "is": lambda a, b: a == b,
    "in": lambda a, b: a in b,
    "gt": lambda a, b: a is not None and b is not None and a > b,
    "gte": lambda a, b: a is not None and b is not None and a >= b,
    "lt": lambda a, b: a is not None and b is not None and a < b,
    "lte": lambda a, b: a is not None and b is not None and a <= b,
}
_CASE_KEYS = {"when", "applies", "reason", "citation", "sets"}
_RULE_KEYS = {"id", "title", "citation", "source", "cases"}


class RulesError(ValueError):
    """The rules file is malformed or a rule refers to something that does not exist."""


@dataclass(frozen=True)
class Determination:
    id: str
    citation: str
    applies: bool
    reason: str
    source: str  # "bundled" or the note saying which section outside the bundled texts it rests on
    title: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "citation": self.citation,
            "applies": self.applies,
            "reason": self.reason,
            "rests_on": self.source,
            "title": self.title,
        }


@dataclass
class Evaluation:
    determinations: list[Determination]
    facts: dict[str, Any]  # the input facts plus every rule's result and every fact a case set

    def by_id(self, rule_id: str) -> Determination:
        for d in self.determinations:
            if d.id == rule_id:
                return d
        raise KeyError(rule_id)


@dataclass
class Rules:
    name: str
    path: Path
    data: dict[str, Any]
    amounts: dict[str, Decimal] = field(default_factory=dict)
    dates: dict[str, dt.date] = field(default_factory=dict)

    @property
    def rules(self) -> list[dict[str, Any]]:
        return self.data["rules"]

    def section(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def cite(self, template: Any, facts: dict[str, Any]) -> str:
        """Resolve a citation template (string, or mapping by statute) against the facts."""
        if isinstance(template, dict):
            statute = facts.get("statute")
            if statute not in template:
                raise RulesError(f"{self.path}: citation {template} has no entry for statute {statute!r}")
            template = template[statute]
        return self.render(str(template), facts)

    def render(self, template: str, facts: dict[str, Any]) -> str:
        return _Formatter(self, facts).format(template)

    def value(self, expr: Any, facts: dict[str, Any]) -> Any:
        if isinstance(expr, dict):
            if len(expr) != 1:
                raise RulesError(f"{self.path}: a value must have exactly one key, got {sorted(expr)}")
            ((op, arg),) = expr.items()
            if op == "fact":
                return lookup(facts, arg)
            if op == "amount":
                return self._named(self.amounts, "amount", arg)
            if op == "date":
                return self._named(self.dates, "date", arg)
            if op in ("max", "min", "mul", "sum"):
                items = [self.value(item, facts) for item in arg]
                if op == "max":
                    return max(items)
                if op == "min":
                    return min(items)
                if op == "sum":
                    return sum((_decimal(item) for item in items), Decimal(0))
                product = Decimal(1)
                for item in items:
                    product *= _decimal(item)
                return product
            raise RulesError(f"{self.path}: unknown value operator {op!r}")
        if isinstance(expr, float):
            return _decimal(expr)
        return expr

    def holds(self, cond: Any, facts: dict[str, Any]) -> bool:
        if cond is None or cond is True:
            return True
        if cond is False:
            return False
        if not isinstance(cond, dict):
            raise RulesError(f"{self.path}: a condition must be a mapping, got {cond!r}")
        if "all" in cond:
            return all(self.holds(c, facts) for c in cond["all"])
        if "any" in cond:
            return any(self.holds(c, facts) for c in cond["any"])
        if "not" in cond:
            return not self.holds(cond["not"], facts)
        if "fact" in cond:
            ops = [k for k in cond if k != "fact"]
            if len(ops) != 1 or ops[0] not in _COMPARISONS:
                raise RulesError(
                    f"{self.path}: condition {cond} needs exactly one of {', '.join(_COMPARISONS)}"
                )
            left = lookup(facts, cond["fact"])
            right = cond[ops[0]]
            right = [self.value(r, facts) for r in right] if ops[0] == "in" else self.value(right, facts)
            return bool(_COMPARISONS[ops[0]](left, right))
        raise RulesError(f"{self.path}: unknown condition {cond}")

    def evaluate(self, facts: dict[str, Any]) -> Evaluation:
        """Run every rule in order; the first matching case of each decides it."""
        facts = dict(facts)
        out: list[Determination] = []
        for rule in self.rules:
            case = next((c for c in rule["cases"] if self.holds(c.get("when"), facts)), None)
            if case is None:
                raise RulesError(
                    f"{self.path}: rule {rule['id']}: no case matched (add a last case without when)"
                )
            for name, expr in (case.get("sets") or {}).items():
                facts[name] = self.value(expr, facts)
            applies = bool(case["applies"])
            facts[rule["id"]] = applies
            citation = self.cite(case.get("citation", rule["citation"]), facts)
            out.append(
                Determination(
                    id=rule["id"],
                    citation=citation,
                    applies=applies,
                    reason=self.cite(case["reason"], {**facts, "citation": citation}).strip(),
                    source=rule.get("source", "bundled"),
                    title=str(rule.get("title", "")),
                )
            )
        return Evaluation(out, facts)

    def _named(self, table: dict[str, Any], kind: str, name: str) -> Any:
        if name not in table:
            raise RulesError(f"{self.path}: unknown {kind} {name!r}")
        return table[name]


class _Formatter(string.Formatter):
    """``{residents_to_notify:,}``, ``{entity.type}``, ``{amount.fine_cap_usd:,.2f}``, ``{date.x}``."""

    def __init__(self, rules: Rules, facts: dict[str, Any]):
        self.rules, self.facts = rules, facts

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        head, _, rest = field_name.partition(".")
        if head == "amount":
            return self.rules._named(self.rules.amounts, "amount", rest), field_name
        if head == "date":
            return self.rules._named(self.rules.dates, "date", rest), field_name
        return lookup(self.facts, field_name), field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        # an amount is never rounded in a reason: more places than the spec asks for are shown, not dropped
        spec = _FIXED.fullmatch(format_spec)
        if spec and isinstance(value, (Decimal, float)) and not isinstance(value, bool):
            value = _decimal(value)
            places = max(0, -value.normalize().as_tuple().exponent)
            if places > int(spec.group(2)):
                format_spec = f"{spec.group(1)}{places}f"
        return super().format_field(value, format_spec)


_FIXED = re.compile(r"(.*\.)(\d+)f")


def lookup(facts: dict[str, Any], dotted: str) -> Any:
    """``entity.type`` -> facts["entity"]["type"]; a missing name is an error, not a silent null."""
    node: Any = facts
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise RulesError(f"unknown fact {dotted!r}")
        node = node[part]
    return node


def _decimal(x: Any) -> Decimal:
    # str() first so 1.25 is exactly 1.25, not the nearest binary fraction
    return x if isinstance(x, Decimal) else Decimal(str(x))


def load_rules(jurisdiction: str = "michigan", path: str | Path | None = None) -> Rules:
    """Load ``configs/<jurisdiction>.yaml`` (or an explicit ``path``) and check its shape."""
    if path is None:
        candidate = Path(jurisdiction)
        path = candidate if candidate.suffix in (".yaml", ".yml") else CONFIG_DIR / f"{jurisdiction}.yaml"
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"rules file {path}: cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise RulesError(f"rules file {path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError(f"rules file {path}: expected a mapping with a 'rules' list")
    rules = Rules(name=str(data.get("jurisdiction", path.stem)), path=path, data=data)
    for kind, table, convert in (("amounts", rules.amounts, _decimal), ("dates", rules.dates, _as_date)):
        for name, entry in (data.get(kind) or {}).items():
            if not isinstance(entry, dict) or "value" not in entry or not entry.get("citation"):
                raise RulesError(f"rules file {path}: {kind}.{name} needs a value and a citation")
            table[name] = convert(entry["value"])
    seen: set[str] = set()
    for i, rule in enumerate(data["rules"]):
        where = f"rules file {path}: rules[{i}]"
        if not isinstance(rule, dict) or not rule.get("id") or not rule.get("cases"):
            raise RulesError(f"{where}: each rule needs an id and cases")
        if rule["id"] in seen:
            raise RulesError(f"{where}: duplicate rule id {rule['id']!r}")
        seen.add(rule["id"])
        if set(rule) - _RULE_KEYS:
            raise RulesError(f"{where} ({rule['id']}): unknown keys {sorted(set(rule) - _RULE_KEYS)}")
        for case in rule["cases"]:
            if not isinstance(case, dict) or "applies" not in case or "reason" not in case:
                raise RulesError(f"{where} ({rule['id']}): each case needs applies and reason")
            if set(case) - _CASE_KEYS:
                raise RulesError(
                    f"{where} ({rule['id']}): unknown case keys {sorted(set(case) - _CASE_KEYS)}"
                )
            if "citation" not in case and "citation" not in rule:
                raise RulesError(f"{where} ({rule['id']}): no citation")
    return rules


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
