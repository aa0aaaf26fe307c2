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
from detectors.common import MASK_CHARS, HeaderContext, compact, has_mask, more_digits_visible

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
    # In a column of this element whatever its other values look like, a bare number one digit short of
    # integer_width lost its leading zero in a spreadsheet (45123456 among 301-22-4455): pad it back.
    one_zero_lost_anywhere: bool = False

    def canonical(self, value: pl.Expr, integer_column: bool = False) -> pl.Expr:
        c = self.normalize(value)
        if not self.integer_width:
            return c
        w = self.integer_width
        if integer_column:  # the whole column was numbers: up to two leading zeros lost
            return pl.when(c.str.contains(rf"^\d{{{w - 2},{w - 1}}}$")).then(c.str.zfill(w)).otherwise(c)
        if self.one_zero_lost_anywhere:
            # Only a bare number lost a zero (a cell typed 045-12-3456 keeps it), and only one: a number two
            # digits short beside written-out values is more likely a partial or another number.
            return pl.when(value.str.contains(rf"^\d{{{w - 1}}}$")).then(c.str.zfill(w)).otherwise(c)
        return c


def readable(det: ElementDetector, value: pl.Expr, integer_column: bool = False) -> pl.Expr:
    """The value as an attacker reads it: a base64/hex encoding of a valid element is that element (445.63(g))."""
    text = encoding.decoded_text(value)
    return (
        pl.when(det.valid(det.canonical(text, integer_column)).fill_null(False)).then(text).otherwise(value)
    )


def _foreign(det: ElementDetector, value: pl.Expr) -> pl.Expr:
    return value.str.contains(det.foreign_format).fill_null(False) if det.foreign_format else pl.lit(False)


OTHER_NUMBER_BY_ROW = "the row's type column says another kind of number (an EIN, a passport)"


def rejection(
    det: ElementDetector, value: pl.Expr, canonical: pl.Expr, other_number: pl.Expr | None = None
) -> pl.Expr:
    """Why a value of an element column is not that element (for the report's rejected counts).

    other_number: per row, whether a type column of the row says the value is another kind of number
    (pipeline.classify.other_number_rows).
    """
    out = pl.when(_foreign(det, value)).then(pl.lit("written in another number's format"))
    if other_number is not None:
        out = out.when(other_number).then(pl.lit(OTHER_NUMBER_BY_ROW))
    return out.otherwise(det.rejected_reason(canonical))


def value_status(
    det: ElementDetector,
    value: pl.Expr,
    canonical: pl.Expr,
    *,
    valid: pl.Expr | None = None,
    ciphertext: pl.Expr | None = None,
    visible: pl.Expr | None = None,
    compacted: pl.Expr | None = None,
    other_number: pl.Expr | None = None,
) -> pl.Expr:
    """Verdict for each value of a column already known to hold `det`'s element.

    value: the cleaned (and decoded, see `readable`) cell; canonical: det.canonical(value). The optional
    arguments take columns computed earlier (see `with_verdicts`) so each is evaluated once per value. Order
    matters: ciphertext is recognised before digits are read out of it, and a masked value is judged by its
    longest visible run (`visible`: more than the redaction limit's digits in a row), not by validity.
    `other_number` (per row, see `rejection`) rejects the row's value whatever its form: a masked or encrypted
    EIN is still not an SSN.
    """
    compacted = compact(value) if compacted is None else compacted
    visible = more_digits_visible(compacted, det.redaction_limit) if visible is None else visible
    valid = det.valid(canonical) if valid is None else valid
    ciphertext = encrypted.looks_encrypted(value) if ciphertext is None else ciphertext
    masked = has_mask(compacted) & compacted.str.contains(rf"^[0-9A-Za-z{MASK_CHARS}]+$")
    truncated = compacted.str.contains(r"^\d+$") & (compacted.str.len_chars() <= det.redaction_limit)
    return (
        pl.when(value.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(
            _foreign(det, value) | (pl.lit(False) if other_number is None else other_number.fill_null(False))
        )
        .then(pl.lit(REJECTED))
        .when(ciphertext)
        .then(pl.lit(ENCRYPTED))
        .when(masked | truncated)
        .then(pl.when(visible).then(pl.lit(UNREDACTED)).otherwise(pl.lit(REDACTED)))
        .when(valid)
        .then(pl.lit(UNREDACTED))
        .otherwise(pl.lit(REJECTED))
    )


def with_verdicts(
    frame: pl.LazyFrame,
    det: ElementDetector,
    raw: pl.Expr,
    prefix: str,
    integer_column: bool = False,
    other_number: pl.Expr | None = None,
):
    """Add `{prefix}v` (readable value), `{prefix}c` (canonical) and `{prefix}st` (verdict) to `frame`.

    Each intermediate is computed once, in its own stage, and later stages refer to it by name: nesting the
    expressions instead would rebuild the decoding, the Luhn lists and the regexes once per use.
    """
    v, c, cmp_, ok, enc, run = (f"{prefix}{x}" for x in ("v", "c", "cmp", "ok", "enc", "run"))
    dec, dec_ok = f"{prefix}dec", f"{prefix}decok"
    # readable() in stages: the decoded text once, its validity once (null for nearly every value, so cheap)
    frame = frame.with_columns(encoding.decoded_text(raw).alias(dec))
    frame = frame.with_columns(det.canonical(pl.col(dec), integer_column).alias(dec_ok))
    frame = frame.with_columns(det.valid(pl.col(dec_ok)).fill_null(False).alias(dec_ok))
    frame = frame.with_columns(pl.when(pl.col(dec_ok)).then(pl.col(dec)).otherwise(raw).alias(v)).drop(
        dec, dec_ok
    )
    frame = frame.with_columns(
        det.canonical(pl.col(v), integer_column).alias(c),
        compact(pl.col(v)).alias(cmp_),
        encrypted.looks_encrypted(pl.col(v)).alias(enc),
    )
    frame = frame.with_columns(
        det.valid(pl.col(c)).alias(ok), more_digits_visible(pl.col(cmp_), det.redaction_limit).alias(run)
    )
    status = value_status(
        det,
        pl.col(v),
        pl.col(c),
        valid=pl.col(ok),
        ciphertext=pl.col(enc),
        visible=pl.col(run),
        compacted=pl.col(cmp_),
        other_number=other_number,
    )
    return frame.with_columns(status.alias(f"{prefix}st")).drop(cmp_, ok, enc, run)
