"""Demand deposit or other financial account number: MCL 445.63(p)(iii).

A number (a bank's digits, or a brokerage's letters and digits: Z45-539407) is only an account number when its
header says so: account numbers have no checksum or prefix that would tell them from any other number. Internal customer "account ids" are not financial accounts.
Redacted when no more than 4 sequential digits show (445.63(r)).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from detectors import card, routing
from detectors.base import ElementDetector
from detectors.common import HeaderContext, compact, digits, mask_last, mentions

CITATION = "MCL 445.63(p)(iii)"

CONTEXT = HeaderContext(
    # `dan`: the IRS's depositor account number (Form 8888, Pub. 1346 RTN / DAN: DD_DAN), a bank account
    positive=r"\b(acct|account|accounts|acc|dda|checking|chequing|savings|iban|deposit|bank acct|"
    r"bank account|brokerage|ira|loan (no|num|number)|dan|depositor account)\b",
    negative=r"\b(id|type|status|name|holder|owner|date|open|opened|closed|balance|email|manager|routing|aba|"
    r"rtn|transit|user|username|login|created|updated|rep|officer|currency|limit|tier|level|plan|role|"
    r"description|desc|nickname|count|flag|bank name|branch|swift|bic|code|pin|password|cvv|"
    r"patient|pat|mrn|medical|hospital|loyalty|rewards|reward|points|miles|frequent|utility|service|"
    r"subscriber|meter|"
    # an amount is no account number (deposit_amt, deposit_total, acct_bal): until 2026-11-24 a telecom's
    # security-deposit amounts (1500.00) were read as masked deposit accounts
    r"amt|amount|amounts|total|totals|sum|fee|fees|paid|due|bal|pct|percent|rate|rates|apr|apy|qty|quantity|"
    # a row's sequence among its accounts (Form 8888's ACCT_SEQ 1, 2, 3) and the account's kind (DD_ACCT_TYP)
    r"seq|sequence|seqno|sqn|typ|"
    # a corporate discount or rate programme's code (a rental's cdp_corp_acct = CDP0002896, Avis's AWD), a promotion
    r"discount|discounts|disc|cdp|awd|promo|promotion|promotional|coupon|coupons|voucher|vouchers)\b",
)
# A header whose head word is a code (corp_acct_cd, acct_code): letters and digits there are a code, no account number
CODE_HEAD = r"\b(cd|cde|cod|code|codes)$"
# Accounts that are not financial accounts (445.63(p)(iii)): a hospital's patient account, a loyalty or rewards
# account, a utility's or telecom's service account hold no money a code would give access to. Said by the
# column's header (above), by its table's name (service_accounts.account_number), or by the rest of its table's
# vocabulary and its source's name (service_account_reason below).
NOT_FINANCIAL_TABLE = (
    # ("service accounts", not any "services": a credit union's member_services_accounts are deposit accounts)
    r"\b(patient|patients|medical|hospital|loyalty|rewards|reward|points|utility|utilities|service account|"
    r"service accounts|subscriber|subscribers|subscription|subscriptions|meter|meters|premise|premises|telecom|"
    r"wireless|electric|broadband|"
    # a carrier's, a casino's players club's, a school's meal programme's (2026-11-24)
    r"telco|telcos|cellular|lnp|porting|port requests|casino|casinos|player|players|club|clubs|gaming|lunch|"
    r"lunches|cafeteria|meal|meals|nutrition|"
    # a merchant's gift cards and store credit (2026-11-25): closed-loop value, no financial account; not a bare
    # "gift" (a donor's gifts table holds the donor's card and its CVV)
    r"gift card|gift cards|giftcard|giftcards|gift certificate|gift certificates|store credit|e gift|"
    # a gym's, fitness or health club's members (2026-11-25): a membership opens the club, holds no money
    r"gym|gyms|fitness|health club|health clubs|athletic club|athletic clubs|ymca|ywca)\b"
)
# ...unless the table's name also says it is a bank's: online_banking_subscribers, rewards_checking_accounts
FINANCIAL_TABLE = (
    r"\b(bank|banking|checking|chequing|savings|deposit|deposits|dda|credit union|cu|fcu|loan|loans|mortgage|"
    r"brokerage|ira|hsa|money market|share|shares|debit|credit card|card account|financial|christmas club|"
    r"xmas club|holiday club)\b"
)

# An account is a financial account only when nothing says it is a service's (445.63(p)(iii): an account that holds
# the resident's money or credit). A carrier's billing account, a utility's service account, a hospital's patient
# account, a casino's players-club account, a school's lunch account (prepaid, spent on the school's meals only, like
# a gift card: a closed-loop stored value) hold no money a code would give access to. Until 2026-11-24 only the
# account column's header and its table's name were read, so a carrier's `accounts.billing_acct_no` beside
# `cpni_pin`, in a dump named telco_billing, was a bank account. Now the table's whole vocabulary and its source's
# name are read too (service_account_reason).
#
# Words of a service business that no bank's table uses: in a column's own header, in any header of its table, in
# the table's or the source's name they make the accounts a service's.
SERVICE_SECTOR = (
    r"\b(cpni|lnp|osp|nsp|port in|port out|portin|portout|porting|port request|port requests|port status|"
    r"voicemail|rate plan|"
    r"meter|meters|premise|premises|kwh|therm|therms|ccf|esiid|esi id|service address|service addr|svc addr|"
    r"service location|service point|"
    r"patient|patients|mrn|encounter|encounters|admit|admission|diagnosis|icd|cpt|drg|"
    r"casino|casinos|player|players|"
    # a school's meal programme: the account's own words, not a timesheet's lunch_minutes
    r"lunch (acct|account|accounts|pin|balance|bal|program|programme|status|eligibility|app|application|card|no|"
    r"num|number)|free lunch|reduced lunch|free reduced|school meal|school meals|cafeteria|nutrition|"
    r"food service|meal plan|meal plans|meal acct|meal account|meal card|meal pin|"
    # a gym's or a fitness, health or athletic club's (ABC Fitness, ClubReady, Mindbody exports): its member
    # account and member PIN open the club (2026-11-25)
    r"gym|gyms|fitness|health club|health clubs|fitness club|fitness clubs|athletic club|athletic clubs|ymca|ywca|"
    r"crossfit|pilates|yoga|tanning|home club|club checkin|club checkins|club visits|personal training)\b"
    # a carrier's billing account number, as a column of its own (BAN)
    r"|^ban( (id|no|num|nbr|number))?$"
)
# Words of a programme or a device that a bank's table may carry too (rewards checking, online-banking
# subscribers, a mobile-banking device's IMEI): a service's only where nothing in the table says bank.
SERVICE_HINT = (
    r"\b(loyalty|rewards|reward|reward points|loyalty points|points balance|points earned|frequent flyer|"
    r"frequent flier|club|clubs|subscriber|subscribers|subscription|imei|imsi|iccid|msisdn|mdn|meid|esn|handset|"
    r"sim pin|sim card|sim no|sim number|puk)\b"
)
# A carrier named in a column's own header (wireless_acct_no, telco_pin) or a table's or source's name is a
# service's; in another column of a table it names the customer's phone carrier (a bank's wireless_carrier for
# its text alerts), which says nothing of the table's accounts.
CARRIER = r"\b(telco|telcos|telecom|telecoms|telecommunications|wireless|cellular)\b"
# A source's name (its dump, database, schema or folder) that says a service business: its tables' accounts are a
# service's where nothing in the table says bank.
SECTOR_SOURCE = (
    rf"{SERVICE_SECTOR}|{CARRIER}|\b(utility|utilities|electric|broadband|hospital|hospitals|clinic|clinics|"
    r"pharmacy|casino|casinos|gaming|hotel|hotels|resort|lunch|cafeteria)\b"
)
# A column's own words that say a closed-loop stored value (a gift card's: spent with one merchant), or a biller's
# account (a card issuer's table may call its card account a billing account: a biller's where the table says
# nothing of a bank or card)
GIFT = r"\b(gift|giftcard|gift card|gift cards|giftcards)\b"
BILLER = r"\b(billing|bill|biller)\b"
# Words that say the table holds a bank's or a card's data: a routing number, a bank account, a card's code.
BANK_VOCABULARY = (
    r"\b(bank|banking|routing|aba|checking|chequing|savings|dda|iban|swift|bic|ach|debit|credit card|"
    r"cvv|cvv2|cvc|cvc2|csc|brokerage|ira|loan|mortgage|overdraft|teller|credit limit|apr|apy|direct deposit|"
    r"money market|share|shares|share draft|dividend|dividends|interest|interest rate|maturity|branch|nsf)\b"
)
# An account column's own words that say it is the customer's bank or card account, wherever it is: a carrier's
# autopay_bank_acct, ach_acct_no, refund_account, card_acct_no; a credit union's share account.
OWN_BANK = (
    r"\b(bank|banking|bnk|checking|chequing|chk|savings|sav|dda|iban|ach|eft|autopay|auto pay|debit|draft|"
    r"direct deposit|deposit|dep|refund|payroll|brokerage|ira|hsa|loan|mortgage|share|money market|card|cards|dan|"
    r"credit card|christmas club|xmas club|holiday club)\b"
)
# Headers that name something about an account, not its number (for a table's service accounts below).
NOT_A_NUMBER = (
    r"\b(id|type|status|date|dt|name|nm|balance|bal|amt|amount|open|opened|closed|created|updated|flag|count|"
    r"tier|level|desc|description|pin|password|passcode|code)\b"
)
# A source named for a financial institution (a Telco Federal Credit Union's export): its name says nothing of a
# service.
FINANCIAL_SOURCE = (
    r"\b(bank|banking|bancorp|bancshares|savings|checking|chequing|deposit|deposits|credit|credit union|cu|fcu|"
    r"trust|loan|loans|mortgage|brokerage|financial|capital)\b"
)


def not_financial_table(table: str) -> bool:
    """Whether a table's name says its accounts are a patient's, a loyalty programme's or a utility's, not a
    financial account (445.63(p)(iii)), and nothing in it says bank."""
    return mentions(table, NOT_FINANCIAL_TABLE) and not mentions(table, FINANCIAL_TABLE)


def source_name(path: str) -> str:
    """The name of the database a table came from, as its path gives it: a dump's or workbook's file name
    (telco_billing.sql#accounts -> telco_billing), a database's name and schema (postgresql://host/billing#cis.
    accounts -> billing cis), an archive's, or the folder a file export sits in (utility_export/accounts.csv).
    Never the folders above it: they are the operator's, not the source's."""
    path = path.replace("\\", "/")
    if "#" in path:
        container, inner = path.split("#", 1)
        schema = inner.rsplit(".", 1)[0] if "." in inner else ""
        return f"{_stem(container.rstrip('/').rsplit('/', 1)[-1])} {schema}".strip()
    if "!" in path:
        archive, member = path.rsplit("!", 1)
        folder = member.rsplit("/", 1)[0] if "/" in member else ""
        return folder.rsplit("/", 1)[-1] or _stem(archive.rsplit("/", 1)[-1])
    parts = path.rstrip("/").split("/")
    return parts[-2] if len(parts) > 1 else ""


def _stem(name: str) -> str:
    for _ in range(3):  # dump.sql.gz, export.tar.gz
        if "." not in name:
            break
        name = name.rsplit(".", 1)[0]
    return name


def sector_source(source: str) -> bool:
    """Whether a source's name says a service business (telco_billing), and not a financial institution."""
    return bool(source) and mentions(source, SECTOR_SOURCE) and not mentions(source, FINANCIAL_SOURCE)


def first_mention(headers: Sequence[str], pattern: str) -> str | None:
    return next((h for h in headers if mentions(h, pattern)), None)  # one entry per column, not per row


def routing_beside(others: Sequence[str], headers: Sequence[str] = ()) -> bool:
    """Whether one of `others` names a routing number in a table of `headers` (routing.names_routing: a rental's
    rtn_loc_cd is a return's location, no routing number)."""
    return any(routing.names_routing(h, headers or others) for h in others)


def bank_words(others: Sequence[str], headers: Sequence[str] = ()) -> bool:
    """Whether a table's other headers say bank (BANK_VOCABULARY, or a routing number: DD_RTN)."""
    return first_mention(others, BANK_VOCABULARY) is not None or routing_beside(others, headers)


def names_bank_account(header: str) -> bool:
    """Whether a header names an account number in the customer's bank's or card's own words (bank_acct_no)."""
    return CONTEXT.says(header) and mentions(header, OWN_BANK) and not mentions(header, GIFT)


def service_account_reason(
    column: str, table: str, headers: Sequence[str] = (), source: str = ""
) -> str | None:
    """Why the account numbers of `column` are a service's accounts, not financial accounts (445.63(p)(iii)), or
    None when nothing says so. Read in order: the column's own words (bank_acct_no is a bank's wherever it is;
    player_acct_no, osp_acct_no, lunch_acct_no a service's), the table's name, a routing number beside it (the
    account it routes to), the table's other headers, the source's name."""
    if mentions(column, GIFT):
        return "its own words name a gift card's stored value, spent with one merchant"
    if mentions(column, OWN_BANK):
        return None
    if mentions(column, SERVICE_SECTOR) or mentions(column, CARRIER):
        return (
            "its own words name a service's account (a carrier's, utility's, patient's, casino's or meal "
            "programme's)"
        )
    if not_financial_table(table):
        return f"table '{table}' holds service, patient or loyalty accounts"
    if mentions(table, FINANCIAL_TABLE):
        return None
    others = [h for h in headers if h != column]
    bank_in_table = bank_words(others, headers)
    another_bank_account = any(names_bank_account(h) for h in others)
    if (mentions(column, SERVICE_HINT) or mentions(column, BILLER)) and (
        not bank_in_table or another_bank_account
    ):
        return "its own words name a biller's or a programme's account"
    if routing_beside(others, headers) and not another_bank_account:
        return None  # the account of the routing number beside it: a bank's
    sector = first_mention(others, SERVICE_SECTOR)
    if sector:
        return (
            f"its table's column '{sector}' says the table is a service's (a carrier, utility, hospital, casino "
            "or school)"
        )
    hint = first_mention(others, SERVICE_HINT)
    if hint and not bank_in_table:
        return f"its table's column '{hint}' says the table is a loyalty programme's or a carrier's"
    if sector_source(source) and not bank_in_table:
        return f"its source '{source}' is a service's (a carrier, utility, hospital, casino or school)"
    return None


def service_accounts_only(table: str, headers: Sequence[str], source: str = "") -> str | None:
    """The table's service account column when it has one and no financial account, card or routing column: a
    code beside only service accounts opens them, not a financial account (authorized_users(billing_acct_no,
    au_passcode))."""
    service = None
    for h in headers:  # one entry per column
        if card.CONTEXT.says(h) or routing.names_routing(h, headers):
            return None
        if not mentions(h, CONTEXT.positive) or mentions(h, NOT_A_NUMBER):
            continue
        if CONTEXT.says(h) and service_account_reason(h, table, headers, source) is None:
            return None
        service = service or h
    return service


def normalize(value: pl.Expr) -> pl.Expr:
    return compact(value).str.to_uppercase()


# A financial account number has the shape its institution gives it (445.63(p)(iii) names no shape): a bank's 4-17
# digits, an IBAN, or a brokerage's or clearing firm's letters and digits (Fidelity Z12-345678, Merrill 5XX-12345,
# Interactive Brokers U1234567, a clearing firm's 5GB-73558, UBS AB 12345 CD). A value with letters is an account
# number when more than 4 of its digits follow one another: 445.63(r) measures an account number by its
# sequential digits, and more than 4 accessible is unredacted; one whose letters split its digits into runs of 4 or
# fewer (AB12CD34) shows no more than a redacted number does and reads as a code. Until 2026-11-24 an account
# number with letters was no account number at all, so a brokerage's Z45-539407 with the holder's phone PIN counted
# nobody. Whether a column of them is a financial account's is decided by its header, table and source
# (names_financial_account): an internal account code (CUST-00012345) has the same shape.
LETTERED_MAX_LETTERS = 4  # a firm's prefix or branch code; more letters than that is a word or a code


def lettered(canonical: pl.Expr) -> pl.Expr:
    """Whether a canonical value is a whole account number written with letters: 5-17 letters and digits, at most
    4 letters, and more than 4 sequential digits (445.63(r)); the digits not one repeated digit (a placeholder)."""
    return (
        canonical.str.contains(r"^[A-Z0-9]{5,17}$")
        & canonical.str.contains(r"[A-Z]")
        & canonical.str.contains(r"\d{5}")
        & (canonical.str.count_matches(r"[A-Z]") <= LETTERED_MAX_LETTERS)
        & ~digits(canonical).str.contains(r"^(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+)$")
    )


def lettered_not_masked(canonical: pl.Expr) -> pl.Expr:
    """An account number with a letter that is no mask character: X12-345678 or 5XX-12345 were read before
    2026-11-24 as masked numbers judged by their visible digits, in any account column; Z45-539407 was not."""
    return lettered(canonical) & canonical.str.contains(r"[A-WYZ]")


def valid(canonical: pl.Expr) -> pl.Expr:
    # 4-17 digits (ABA/NACHA account field), an IBAN, or letters and digits (lettered); a number of one repeated
    # digit is a placeholder
    return (
        (
            canonical.str.contains(r"^\d{4,17}$")
            & ~canonical.str.contains(r"^(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+)$")
        )
        | canonical.str.contains(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")
        | lettered(canonical)
    )


def rejected_reason(canonical: pl.Expr) -> pl.Expr:
    return (
        pl.when(valid(canonical))
        .then(pl.lit(None, dtype=pl.String))
        .when(
            canonical.str.contains(r"^[A-Z0-9]+$")
            & canonical.str.contains(r"[A-Z]")
            & canonical.str.contains(r"\d")
        )
        .then(
            pl.lit("letters and digits with no more than 4 sequential digits, or more than 4 letters: a code")
        )
        .otherwise(pl.lit("not 4-17 digits"))
    )


# Words that say an account is a financial account: a bank's, a credit union's, a lender's, a brokerage's or a
# retirement plan's (445.63(p)(iii) "demand deposit or other financial account"). Read in a lettered account
# column's own header, its table's name and its source's name (names_financial_account).
FINANCIAL_ACCOUNT = (
    r"\b(bank|banking|checking|chequing|savings|dda|deposit|deposits|iban|credit union|cu|fcu|share|shares|"
    r"share draft|loan|loans|mortgage|mortgages|heloc|brokerage|brokerages|broker|investment|investments|investor|"
    r"investors|retirement|ira|iras|roth|sep ira|simple ira|401 k|403 b|457 b|tsp|hsa|money market|mutual fund|"
    r"mutual funds|securities|custody|custodial|custodian|margin|wealth|trading acct|trading account|"
    r"trading accounts|trading accts|financial account|financial accounts|financial acct|529 plan|529 account)\b"
)


def names_financial_account(column: str, table: str, headers: Sequence[str] = (), source: str = "") -> bool:
    """Whether anything says `column`'s accounts are financial accounts: its own header (brokerage_acct_no), its
    table's name (Retail Brokerage, ira_accounts), its source's name (a brokerage's export), or a routing number
    beside it (the account it routes to is a bank's)."""
    return (
        mentions(column, FINANCIAL_ACCOUNT)
        or mentions(table, FINANCIAL_ACCOUNT)
        or (bool(source) and mentions(source, FINANCIAL_ACCOUNT))
        or routing_beside([h for h in headers if h != column], headers)
    )


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
    # a payment token for a bank account (tok_..., a vault's UUID) is not the account number nor its ciphertext
    foreign_format=card.TOKEN,
)
