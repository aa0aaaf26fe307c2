"""ABA routing number: corroborates a bank account column but is not an account (MCL 445.63(p)(iii)).

A routing number identifies the bank, not the resident's account, so it is never an element by itself.
"""

from __future__ import annotations

import polars as pl

from detectors.common import HeaderContext, aba_valid, digits

CONTEXT = HeaderContext(positive=r"\b(routing|aba|rtn|transit|routing (no|num|number))\b")


def valid(value: pl.Expr) -> pl.Expr:
    return aba_valid(digits(value))
