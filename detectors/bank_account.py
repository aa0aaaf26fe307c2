"""Demand deposit or other financial account number: MCL 445.63(p)(iii).

A run of digits is only an account number when its header says so: account numbers have no checksum or prefix
that would tell them from any other number. Internal customer "account ids" are not financial accounts.
Redacted when no more than 4 sequential digits show (445.63(r)).
"""

from __future__ import annotations

import polars as pl

from detectors.base import ElementDetector
from detectors.common import HeaderContext, compact, mask_last, mentions

CITATION = "MCL 445.63(p)(iii)"

CONTEXT = HeaderContext(
    positive=r"\b(acct|account|accounts|acc|dda|checking|chequing|savings|iban|deposit|bank acct|"
    r"bank account|brokerage|ira|loan (no|num|number))\b",
    negative=r"\b(id|type|status|name|holder|owner|date|open|opened|closed|balance|email|manager|routing|aba|"
    r"rtn|transit|user|username|login|created|updated|rep|officer|currency|limit|tier|level|plan|role|"
    r"description|desc|nickname|count|flag|bank name|branch|swift|bic|code|pin|password|cvv|"
    r"patient|pat|mrn|medical|hospital|loyalty|rewards|reward|points|miles|frequent|utility|service|"
    r"subscriber|meter)\b",
)
# Accounts that are not financial accounts (445.63(p)(iii)): a hospital's patient account, a loyalty or rewards
# account, a utility's or telecom's service account hold no money a code would give access to. Said by the
# column's header (above) or by its table's name (service_accounts.account_number).
NOT_FINANCIAL_TABLE = (
    # ("service accounts", not any "services": a credit union's member_services_accounts are deposit accounts)
    r"\b(patient|patients|medical|hospital|loyalty|rewards|reward|points|utility|utilities|service account|"
    r"service accounts|subscriber|subscribers|subscription|subscriptions|meter|meters|premise|premises|telecom|"
    r"wireless|electric|broadband)\b"
)
# ...unless the table's name also says it is a bank's: online_banking_subscribers, rewards_checking_accounts
FINANCIAL_TABLE = (
    r"\b(bank|banking|checking|chequing|savings|deposit|deposits|dda|credit union|cu|loan|loans|mortgage|"
    r"brokerage|ira|money market|share|shares|debit|credit card|card account|financial)\b"
)


def not_financial_table(table: str) -> bool:
    """Whether a table's name says its accounts are a patient's, a loyalty programme's or a utility's, not a
    financial account (445.63(p)(iii)), and nothing in it says bank."""
    return mentions(table, NOT_FINANCIAL_TABLE) and not mentions(table, FINANCIAL_TABLE)


def normalize(value: pl.Expr) -> pl.Expr:
    return compact(value).str.to_uppercase()


def valid(canonical: pl.Expr) -> pl.Expr:
    # 4-17 digits (ABA/NACHA account field), or an IBAN; a number of one repeated digit is a placeholder
    return (
        canonical.str.contains(r"^\d{4,17}$") & ~canonical.str.contains(r"^(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+)$")
    ) | canonical.str.contains(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")


def rejected_reason(canonical: pl.Expr) -> pl.Expr:
    return pl.when(valid(canonical)).then(pl.lit(None, dtype=pl.String)).otherwise(pl.lit("not 4-17 digits"))


DETECTOR = ElementDetector(
    element="financial_account",
    kind="bank_account",
    citation=CITATION,
    context=CONTEXT,
    redaction_limit=4,
    min_positions=4,
    whole=r"^\d{4,17}$",
    normalize=normalize,
    valid=valid,
    rejected_reason=rejected_reason,
    mask=lambda c: mask_last(c, 4),
)
