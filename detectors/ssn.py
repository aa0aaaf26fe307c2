"""Social security number: MCL 445.63(p)(i). Redacted when no more than 5 sequential digits show (445.63(r)).

Validity follows the SSA's rules for numbers never issued: area 000, 666 and 900-999, group 00, serial 0000,
and numbers the SSA or others published as samples. An invalid number is not an SSN and is reported as rejected.
"""

from __future__ import annotations

import polars as pl

from detectors.base import ElementDetector
from detectors.common import HeaderContext, compact, digits

CITATION = "MCL 445.63(p)(i)"

CONTEXT = HeaderContext(
    positive=r"\b(ssn|ssns|ssan|social|soc sec|socsec|ss (no|num|number|nbr)|ssno|ss#|tin|taxpayer|tax id|"
    r"taxpayer id|itin)\b",
    negative=r"\b(order|invoice|inv|ref|reference|phone|tel|fax|zip|postal|routing|aba|upc|sku|ean|gtin|"
    r"tracking|confirmation|po|item|product|ticket|case|transaction|txn|batch|policy|claim|member|employee id)\b",
)

# Formats a person writes an SSN in: 3-2-4 with one consistent separator, or nine digits.
SHAPE = r"^(\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9})$"
DASHED = r"^\d{3}-\d{2}-\d{4}$"
SAMPLE_NUMBERS = ["078051120", "219099999", "457555462"]  # the set python-stdnum also rejects


def normalize(value: pl.Expr) -> pl.Expr:
    return compact(value)


EIN_FORMAT = r"^\d{2}-\d{7}$"  # an employer identification number written as such is a business's number


def rejected_reason(canonical: pl.Expr) -> pl.Expr:
    area, group, serial = canonical.str.slice(0, 3), canonical.str.slice(3, 2), canonical.str.slice(5, 4)
    return (
        pl.when(~canonical.str.contains(r"^\d{9}$"))
        .then(pl.lit("not 9 digits"))
        .when(canonical.is_in(SAMPLE_NUMBERS))
        .then(pl.lit("published sample number"))
        .when(area == "000")
        .then(pl.lit("area 000 never issued"))
        .when(area == "666")
        .then(pl.lit("area 666 never issued"))
        .when(area.str.starts_with("9"))
        .then(pl.lit("area 900-999 never issued"))
        .when(group == "00")
        .then(pl.lit("group 00 never issued"))
        .when(serial == "0000")
        .then(pl.lit("serial 0000 never issued"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def valid(canonical: pl.Expr) -> pl.Expr:
    return canonical.str.contains(r"^\d{9}$") & rejected_reason(canonical).is_null()


def mask(canonical: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit("***-**-"), digits(canonical).str.slice(-4)])


DETECTOR = ElementDetector(
    element="ssn",
    kind="ssn",
    citation=CITATION,
    context=CONTEXT,
    redaction_limit=5,
    min_positions=9,
    whole=r"^\d{9}$",
    normalize=normalize,
    valid=valid,
    rejected_reason=rejected_reason,
    mask=mask,
    integer_width=9,  # an integer column drops leading zeros: 012-34-5678 was stored as 12345678
    foreign_format=EIN_FORMAT,
)
