"""Encodings are not encryption (MCL 445.63(g)).

Base64 or hex of a plain SSN is readable by anyone: there is no key, so the probability of assigning meaning is
high. A value that decodes to printable text is judged as that text; ciphertext decodes to random bytes and
stays encrypted.
"""

from __future__ import annotations

import polars as pl

from detectors.encrypted import PLAINTEXT_AFTER_TAG

BASE64 = r"^[A-Za-z0-9+/]{8,}={0,2}$"
HEX = r"^(?:[0-9a-fA-F]{2}){4,}$"
PRINTABLE_HEX = r"^(?:2[0-9a-fA-F]|[3-6][0-9a-fA-F]|7[0-9a-eA-E])+$"  # bytes 0x20-0x7e


def _printable(raw: pl.Expr) -> pl.Expr:
    """Binary -> String when every byte is printable ASCII, else null (never casts invalid UTF-8)."""
    as_hex = raw.bin.encode("hex")
    return (
        pl.when(as_hex.str.contains(PRINTABLE_HEX))
        .then(as_hex)
        .str.decode("hex", strict=False)
        .cast(pl.String)
    )


def decoded_text(value: pl.Expr) -> pl.Expr:
    """The plain text a base64 or hex value encodes, or null when it encodes no text (ciphertext, digests); and
    the number behind an encryption tag that encrypted nothing ("enc:212-34-5671": 445.63(g) asks for a form
    without meaning, and a label changes no form)."""
    b64 = pl.when(value.str.contains(BASE64) & (value.str.len_chars() % 4 == 0)).then(value)
    hx = pl.when(value.str.contains(HEX)).then(value)
    return pl.coalesce(
        _printable(hx.str.decode("hex", strict=False)),
        _printable(b64.str.decode("base64", strict=False)),
        value.str.extract(PLAINTEXT_AFTER_TAG, 1),
    )
