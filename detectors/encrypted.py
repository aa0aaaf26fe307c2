"""Encrypted or hashed values (MCL 445.63(g), 445.72(1)(b)).

"Encrypted" means a form with a low probability of assigning meaning without a confidential process or key, or
information secured so that it is unreadable or unusable. Ciphertext, digests and password hashes qualify; they
count only if the key was compromised. A payment token is recognised here too (a column of tokens is no readable
element), but in a card or account column it is no form of the number at all (detectors.card.TOKEN).
"""

from __future__ import annotations

import polars as pl

from detectors.common import HeaderContext

CITATION = "MCL 445.63(g)"

# Header words that say the column holds a protected form of an element.
CONTEXT = HeaderContext(
    positive=r"\b(enc|encrypted|encryption|cipher|ciphertext|hash|hashed|digest|sha\d*|md5|token|tokenized|"
    r"tokenised|bcrypt|crypt|protected|pgp|gpg|aes|kms|vault|salted)\b",
)

# the labels of tagged envelopes ("enc:...", "vault:v1:...")
TAG = r"(?:enc|ENC|aes|AES|kms|KMS|vault:v\d+|encrypted):"
ENVELOPES = (
    r"^-----BEGIN PGP",  # PGP armour
    rf"^{TAG}",  # tagged envelopes
    r"^gAAAAA[A-Za-z0-9_\-]{40,}={0,2}$",  # Fernet token
    r"^\$(2[abxy]?|argon2(id|i|d)?|pbkdf2[-_a-z0-9]*|scrypt|[156])\$",  # password hashes (crypt formats)
)
# a tagged envelope whose payload is digits and separators only: the element itself behind a label
PLAINTEXT_AFTER_TAG = rf"^{TAG}\s*([\d\s\-./()]+)$"
HEX_DIGEST = r"^(?:[0-9a-fA-F]{2}){16,}$"  # MD5 (32) and longer: SHA-1, SHA-256, SHA-512, raw ciphertext
UUID_TOKEN = r"^(tok_|tkn_)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# a UUID without a token prefix: in an element column a token of the element, in an id column a key
PLAIN_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
PREFIXED_TOKEN = r"^(tok|tkn|pm|card|src)_[A-Za-z0-9]{8,}$"
# base64 of 16+ bytes: long, only the base64 alphabet, and mixing cases with digits or symbols as random bytes do
BASE64 = r"^[A-Za-z0-9+/_\-]{22,}={0,2}$"


def looks_encrypted(value: pl.Expr) -> pl.Expr:
    """Whether a cleaned value is ciphertext, a digest or a token rather than a readable element."""
    base64_like = (
        value.str.contains(BASE64)
        & value.str.contains(r"[A-Z]")
        & value.str.contains(r"[a-z]")
        # a digit, or base64's own symbols or padding: 16 random bytes have no digit in their 22 characters
        # about 3% of the time (MySQL's AES_ENCRYPT of an SSN is 16 bytes), but '+', '/' or '=' then
        & value.str.contains(r"[0-9+/=]")
        & ~value.str.contains(r"^[A-Za-z]+$")
    )
    # a tag over a value still written out ("enc:212-34-5671") transformed nothing: not encrypted (445.63(g))
    labelled_plaintext = value.str.contains(PLAINTEXT_AFTER_TAG)
    return (
        (pl.any_horizontal([value.str.contains(p) for p in ENVELOPES]) & ~labelled_plaintext)
        | value.str.contains(HEX_DIGEST)
        | value.str.contains(UUID_TOKEN)
        | value.str.contains(PREFIXED_TOKEN)
        | base64_like
    ).fill_null(False)
