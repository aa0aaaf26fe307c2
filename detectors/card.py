"""Credit or debit card number: MCL 445.63(p)(iii), with any required security code (see access_code).

13 to 19 digits, Luhn-valid, with an issuer prefix. Published issuer test numbers are a class of their own:
they open no account of any resident. Redacted when no more than 4 sequential digits show (445.63(r)).
"""

from __future__ import annotations

import polars as pl

from detectors.base import ElementDetector
from detectors.common import HeaderContext, compact, digits, luhn_valid, mask_last

CITATION = "MCL 445.63(p)(iii)"

CONTEXT = HeaderContext(
    positive=r"\b(card|cards|cc|ccn|pan|credit|debit|visa|mastercard|amex|discover|payment card|cardnumber)\b",
    negative=r"\b(upc|ean|gtin|isbn|sku|barcode|order|invoice|tracking|imei|iccid|meid|phone|tel|gift|loyalty|"
    r"library|member|membership|id card|sim|type|brand|expir\w*|exp|holder|name|status|bin|network|issuer|"
    r"cvv|cvc|pin|code|id|key|seq|ref|count|type id|"
    # an amount is no card number (a credit report's tradeline: CreditLiabilityUnpaidBalanceAmount,
    # MonthlyPayment, credit_limit, high_credit; until 2026-11-25 its balances were read as masked cards)
    r"amt|amount|amounts|balance|balances|bal|limit|limits|lmt|total|totals|sum|fee|fees|paid|due|owed|"
    r"available|avail|apr|rate|rates|score|scores|utilization|util|high credit|past due|"
    r"(monthly|mo|min|minimum|last|scheduled|sched|next|regular|required|actual|total) (payment|pmt|pymt))\b"
    # a payment at the head of the header is its amount (cc_payment); a payment card is a card
    r"|\b(payment|payments|pmt|pymt)$",
)

# Issuer identification number ranges of the card networks.
ISSUER_PREFIX = (
    r"^(4\d{12}(\d{3}){0,2}"  # Visa 13, 16, 19
    r"|5[1-5]\d{14}"  # Mastercard
    r"|2(22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}"  # Mastercard 2221-2720
    r"|3[47]\d{13}"  # American Express
    r"|6011\d{12,15}|64[4-9]\d{13,16}|65\d{14,17}"  # Discover
    r"|35(2[89]|[3-8]\d)\d{12,15}"  # JCB 3528-3589
    r"|3(0[0-5]|[689]\d)\d{11,16}"  # Diners Club
    r"|62\d{14,17})$"  # UnionPay
)

# Numbers the networks and processors publish for testing: never a resident's card.
TEST_NUMBERS = [
    "4111111111111111",
    "4012888888881881",
    "4222222222222",
    "4242424242424242",
    "4000056655665556",
    "4000000000000002",
    "4000000000009995",
    "4000000000000077",
    "4917610000000000",
    "4917484589897107",
    "5555555555554444",
    "5105105105105100",
    "5200828282828210",
    "5454545454545454",
    "2223003122003222",
    "2222405343248877",
    "2223000048400011",
    "378282246310005",
    "371449635398431",
    "378734493671000",
    "6011111111111117",
    "6011000990139424",
    "6011000400000000",
    "30569309025904",
    "38520000023237",
    "3530111333300000",
    "3566002020360505",
    "6200000000000005",
    "6250941006528599",
    "36227206271667",
    "6555900000604105",
    "5019717010103742",
    "6331101999990016",
    "4444333322221111",
    "5500000000000004",
]


# A payment token (a processor's tok_ / pm_ / card_ / src_ id, a vault's UUID reference) stands for the number held
# in the vault that issued it; it is not the number transformed. 445.63(g)'s encryption is a "transformation of
# data" that a key reverses, and no key turns a token back into the number: only the vault can, and a vault taken
# in the breach exposes the numbers it holds, counted there by their own form. So a token is neither the card
# number nor its ciphertext, and the key-compromised reading (445.72(1)(b)) does not count it either: rejected as
# another number's format. Until 2026-11-24 a column of tokens under a card header counted as encrypted card
# numbers under what_if.encryption_key_compromised. A label over a number still written out (tok_ followed by
# digits only) is left as it was: it may be the number itself.
TOKEN = (
    r"^(tok|tkn|pm|card|src)_[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$"
    r"|^(tok_|tkn_)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
# An amount (a balance or a payment written with its cents, a currency sign or thousands' commas: 1200.00, $45,
# 1,200.50, -45.10) is no card number: no card number is written so, and its digits (120000, 4510) would otherwise
# be read as a truncated, redacted card (445.63(r)). Rejected as another number's format.
AMOUNT = (
    r"^[-+(]?\s*[$€£]\s*[\d,]*\d(\.\d{1,2})?\)?$"
    r"|^[-+(]?\s*(\d{1,3}(,\d{3})+|\d+)\.\d{1,2}\)?$"
    r"|^[-+(]?\s*\d{1,3}(,\d{3})+\)?$"
)


def normalize(value: pl.Expr) -> pl.Expr:
    return digits(compact(value))


def is_test_number(canonical: pl.Expr) -> pl.Expr:
    return canonical.is_in(TEST_NUMBERS)


def shaped(canonical: pl.Expr) -> pl.Expr:
    return canonical.str.contains(ISSUER_PREFIX) & luhn_valid(canonical)


def valid(canonical: pl.Expr) -> pl.Expr:
    return shaped(canonical) & ~is_test_number(canonical)


def rejected_reason(canonical: pl.Expr) -> pl.Expr:
    return (
        pl.when(is_test_number(canonical))
        .then(pl.lit("published test card number"))
        .when(~canonical.str.contains(r"^\d{13,19}$"))
        .then(pl.lit("not 13-19 digits"))
        .when(~canonical.str.contains(ISSUER_PREFIX))
        .then(pl.lit("no card issuer prefix"))
        .when(~luhn_valid(canonical))
        .then(pl.lit("Luhn check failed"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


DETECTOR = ElementDetector(
    element="financial_account",
    kind="card_number",
    citation=CITATION,
    context=CONTEXT,
    redaction_limit=4,
    min_positions=13,
    whole=r"^\d{13,19}$",
    normalize=normalize,
    valid=valid,
    rejected_reason=rejected_reason,
    mask=lambda c: mask_last(c, 4),
    foreign_format=f"{TOKEN}|{AMOUNT}",
)
