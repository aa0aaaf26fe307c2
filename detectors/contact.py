"""E-mail and telephone: not elements of MCL 445.63(p), but identity keys and notice channels (445.72(5)(b),(c))."""

from __future__ import annotations

import polars as pl

from detectors.common import HeaderContext, computed_once

EMAIL = HeaderContext(
    positive=r"\b(email|e mail|mail|emailaddress|email address)\b",
    negative=r"\b(opt|optin|opt in|verified|consent|bounce|bounced|date|sent|domain|flag|count)\b",
)
PHONE = HeaderContext(positive=r"\b(phone|tel|telephone|mobile|cell|fax|contact number|msisdn)\b")

EMAIL_PATTERN = r"^[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$"
# A North American (NANP) number: its area code and its exchange never start with 0 or 1, so a key zero-padded to
# ten digits (a credit union's member number 0000051058) or a counter (1000000001) is no telephone number.
PHONE_PATTERN = r"^\+?1?[\s.\-]?\(?[2-9]\d{2}\)?[\s.\-]?[2-9]\d{2}[\s.\-]?\d{4}(\s*(x|ext\.?)\s*\d+)?$"


def email(value: pl.Expr) -> pl.Expr:
    v = value.str.strip_chars().str.to_lowercase()
    return computed_once(v, lambda v: pl.when(v.str.contains(EMAIL_PATTERN)).then(v))


def is_phone(value: pl.Expr) -> pl.Expr:
    return value.str.contains(PHONE_PATTERN)
