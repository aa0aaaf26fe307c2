"""Driver licence or state personal identification card number: MCL 445.63(p)(ii).

Michigan licences are one letter and 12 digits (often written S 123 456 789 012); the legacy Michigan state ID
is one letter and 10 digits. Other states use other formats, accepted when the column's header says licence /
state ID or the table has a licence-state column. The shape alone also fits invoice and reference numbers, so
the shape never decides without context. Redacted when no more than 4 sequential digits show (445.63(r)).
"""

from __future__ import annotations

import polars as pl

from detectors.base import ElementDetector
from detectors.common import HeaderContext, compact

CITATION = "MCL 445.63(p)(ii)"

CONTEXT = HeaderContext(
    positive=r"\b(dl|dln|dls|driver|drivers|driving|licen[cs]e|licen[cs]es|lic|state id|id card|stateid|"
    r"sid|identification card|operator)\b",
    negative=r"\b(invoice|inv|ref|reference|order|po|sku|tracking|confirmation|serial|part|model|vin|plate|"
    r"business|professional|software|key|product|liquor|contractor|medical|nursing|npi|dea|expir\w*|exp|"
    r"date|class|status|type|endorsement\w*|restriction\w*|issued|issue)\b",
)
# A column that names the issuing state of a licence makes a neighbouring number column a licence.
STATE_CONTEXT = (
    r"\b(dl|driver|drivers|licen[cs]e|lic|id) (state|st|jurisdiction|issuer)\b|\bissuing (state|st)\b"
)
NUMBER_HEADER = r"\b(no|num|number|nbr|id|ident|identifier)\b"

MICHIGAN = r"^[A-Z]\d{12}$"
MICHIGAN_STATE_ID = r"^[A-Z]\d{10}$"
OTHER_STATES = r"^[A-Z0-9]{4,20}$"


def normalize(value: pl.Expr) -> pl.Expr:
    return compact(value).str.to_uppercase()


def michigan_shape(canonical: pl.Expr) -> pl.Expr:
    return canonical.str.contains(MICHIGAN) | canonical.str.contains(MICHIGAN_STATE_ID)


def valid(canonical: pl.Expr) -> pl.Expr:
    """Valid once the column is known to be a licence column: Michigan or another state's format."""
    other = canonical.str.contains(OTHER_STATES) & (canonical.str.count_matches(r"\d") >= 4)
    return michigan_shape(canonical) | other


def rejected_reason(canonical: pl.Expr) -> pl.Expr:
    return (
        pl.when(valid(canonical))
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.lit("not a licence format"))
    )


def mask(canonical: pl.Expr) -> pl.Expr:
    n = canonical.str.len_chars()
    stars = pl.lit("*").repeat_by(pl.max_horizontal(n - 5, pl.lit(0))).list.join("")
    return pl.concat_str([canonical.str.slice(0, 1), stars, canonical.str.slice(-4)])


DETECTOR = ElementDetector(
    element="drivers_license",
    kind="drivers_license",
    citation=CITATION,
    context=CONTEXT,
    redaction_limit=4,
    min_positions=5,
    whole=OTHER_STATES,
    normalize=normalize,
    valid=valid,
    rejected_reason=rejected_reason,
    mask=mask,
)
