"""The shape of an element detector (445.63(p)(i)-(iii)) and the one evaluation every element shares.

A detector is data plus pure expressions: header words, how to normalise a value, when a whole value is valid,
why an invalid one is rejected, how to mask it. `value_status` turns any of them into the per-value verdict the
statute needs: unredacted, redacted (445.63(r)), encrypted (445.63(g)) or rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from detectors import encoding, encrypted
from detectors.common import HeaderContext, compact, has_mask, longest_visible_run

# Per-value verdicts, ranked so that the strongest exposure of a record wins when it has several columns.
UNREDACTED, ENCRYPTED, REDACTED, REJECTED = "unredacted", "encrypted", "redacted", "rejected"
RANK = {None: 0, REJECTED: 0, REDACTED: 1, ENCRYPTED: 2, UNREDACTED: 3}


@dataclass(frozen=True)
class ElementDetector:
    element: str  # the statute's element: ssn | drivers_license | financial_account
    kind: str  # what the column is: ssn | drivers_license | card_number | bank_account
    citation: str
    context: HeaderContext
    redaction_limit: int  # 445.63(r): most sequential digits that may stay accessible
    min_positions: int  # a whole number has at least this many positions (digits + masks)
    whole: str  # regex a canonical value of this kind has, valid or not (an invalid SSN is still 9 digits)
    normalize: Callable[[pl.Expr], pl.Expr]  # cleaned value -> canonical whole value (identity key)
    valid: Callable[[pl.Expr], pl.Expr]  # canonical value -> is a valid whole element
    rejected_reason: Callable[[pl.Expr], pl.Expr]  # canonical value -> why it is not an element (or null)
    mask: Callable[[pl.Expr], pl.Expr]  # canonical value -> safe display
    integer_width: int | None = None  # an integer column lost leading zeros: pad back to this width
    foreign_format: str | None = (
        None  # a format that says the value is another kind of number (EIN 12-3456789)
    )

    def canonical(self, value: pl.Expr, integer_column: bool = False) -> pl.Expr:
        c = self.normalize(value)
        if integer_column and self.integer_width:
            w = self.integer_width
            c = pl.when(c.str.contains(rf"^\d{{{w - 2},{w - 1}}}$")).then(c.str.zfill(w)).otherwise(c)
        return c


def readable(det: ElementDetector, value: pl.Expr, integer_column: bool = False) -> pl.Expr:
    """The value as an attacker reads it: a base64/hex encoding of a valid element is that element (445.63(g))."""
    text = encoding.decoded_text(value)
    return (
        pl.when(det.valid(det.canonical(text, integer_column)).fill_null(False)).then(text).otherwise(value)
    )


def _foreign(det: ElementDetector, value: pl.Expr) -> pl.Expr:
    return value.str.contains(det.foreign_format).fill_null(False) if det.foreign_format else pl.lit(False)


def rejection(det: ElementDetector, value: pl.Expr, canonical: pl.Expr) -> pl.Expr:
    """Why a value of an element column is not that element (for the report's rejected counts)."""
    return (
        pl.when(_foreign(det, value))
        .then(pl.lit("written in another number's format"))
        .otherwise(det.rejected_reason(canonical))
    )


def value_status(det: ElementDetector, value: pl.Expr, canonical: pl.Expr) -> pl.Expr:
    """Verdict for each value of a column already known to hold `det`'s element.

    value: the cleaned cell; canonical: det.normalize(value). Order matters: ciphertext is recognised before
    digits are read out of it, and a masked value is judged by its longest visible run, not by validity.
    """
    compacted = compact(value)
    run = longest_visible_run(compacted)
    masked = has_mask(compacted) & compacted.str.contains(r"^[0-9A-Za-z*#•●]+$")
    truncated = compacted.str.contains(r"^\d+$") & (compacted.str.len_chars() <= det.redaction_limit)
    return (
        pl.when(value.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(_foreign(det, value))
        .then(pl.lit(REJECTED))
        .when(encrypted.looks_encrypted(value))
        .then(pl.lit(ENCRYPTED))
        .when(masked | truncated)
        .then(pl.when(run <= det.redaction_limit).then(pl.lit(REDACTED)).otherwise(pl.lit(UNREDACTED)))
        .when(det.valid(canonical))
        .then(pl.lit(UNREDACTED))
        .otherwise(pl.lit(REJECTED))
    )
