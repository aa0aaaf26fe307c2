"""Security code, access code or password: MCL 445.63(p)(iii).

An account or card number is personal information (default reading) only "in combination with any required
security code, access code, or password". A column is a code column by its header; a value counts when it is
readable. A hashed password (bcrypt, argon2, digests) is an encrypted code (445.63(g)).
"""

from __future__ import annotations

import polars as pl

from detectors import encoding, encrypted
from detectors.common import MASK_CLASS, HeaderContext

CITATION = "MCL 445.63(p)(iii)"

CONTEXT = HeaderContext(
    positive=r"\b(cvv|cvv2|cvc|cvc2|csc|cvn|security code|sec code|card code|verification code|verification value|card verification|pin|pins|"
    r"passcode|pass code|password|passwd|pwd|pw|passphrase|access code|online banking password)\b",
    negative=r"\b(hint|changed|change|reset|date|at|expires|expiry|expiration|updated|created|policy|length|"
    r"strength|attempts|attempt|failed|question|required|flag|set|last|count|type|status|enabled|zip|postal|"
    r"location|pincode)\b",
)

PRESENT, ENCRYPTED = "present", "encrypted"


def status(value: pl.Expr) -> pl.Expr:
    """present | encrypted | null, for a cleaned value of a code column. An all-mask value hides the code."""
    only_masks = value.str.contains(rf"^{MASK_CLASS}+$")
    return (
        pl.when(value.is_null() | only_masks)
        .then(pl.lit(None, dtype=pl.String))
        .when(encoding.decoded_text(value).is_not_null())
        .then(pl.lit(PRESENT))  # base64 of a password is the password (445.63(g): no key needed)
        .when(encrypted.looks_encrypted(value))
        .then(pl.lit(ENCRYPTED))
        .otherwise(pl.lit(PRESENT))
    )
