"""Security code, access code or password: MCL 445.63(p)(iii).

An account or card number is personal information (default reading) only "in combination with any required
security code, access code, or password". A column is a code column by its header; a value counts when it is
readable. A hashed password (bcrypt, argon2, digests) is an encrypted code (445.63(g)).

PIN blocks, PIN offsets and PIN verification values are the PIN transformed with a bank key (ISO 9564
encryption under a PIN encryption key; IBM 3624 offset and Visa PVV computed with a PIN verification key): the
PIN in a form "in which there is a low probability of assigning meaning without use of a confidential process
or key" (445.63(g)). They are encrypted codes, never readable ones: they count only if the key was compromised.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from detectors import bank_account, encoding, encrypted
from detectors.common import MASK_CLASS, HeaderContext, mentions

CITATION = "MCL 445.63(p)(iii)"

# Card codes by every network's name and the abbreviations exports use: CVV/CVV2 (Visa), CVC/CVC2
# (Mastercard), CSC, CVN, CAV2 (JCB), the common misspelling CCV; SEC_CD / SECURITY_CD for "security code".
# `cid` (American Express) is left out on purpose: it is far more often a customer id.
CARD_CODE = (
    r"cvv|cvv2|cvc|cvc2|ccv|ccv2|csc|cvn|cav 2|cav2|cvvcode|securitycode|seccode|cardcode|"
    r"(card )?(sec|secur|security|scty) (cd|cde|cod|code|val|value)|card sec|card code|"
    r"verification code|verification value|card verification|card verif"
)
# PINs: the plain word and the banks' own names (telephone, internet and mobile banking PINs).
PIN = r"pin|pins|pinnumber|pinnum|pinno|tpin|mpin|telepin"  # not "ipin": the IRS identity protection PIN
# Passwords and access codes, with the abbreviations of mainframe and web-form schemas (USR_PSWD, LOGIN_PWD).
PASSWORD = (
    r"passcode|pass code|pass cd|pass cde|pass wd|pass word|pass phrase|password|passwd|pswd|pwd|pword|pw|"
    r"passphrase|accesscode|access code|access cd|online banking password"
)

# A header naming the PIN (or password) in a transformed form: the value is not the code itself (445.63(g)).
# PIN_BLOCK / PIN_BLK / ENC_PIN / PIN_CIPHER / PIN_HASH name ciphertext or a digest of the code.
PROTECTED = HeaderContext(
    positive=r"\b(block|blk|pinblock|enc|encr|encrypted|encryption|cipher|ciphertext|crypt|crypto|hash|hashed|"
    r"digest|offset|ofs|ofst|pinoffset|pvv|pvki|pin verification)\b",
)
# The IBM 3624 PIN offset and the Visa PIN verification value (and its key index) are digits computed from the
# PIN with the PIN verification key: no ciphertext shape recognises them (a 4-digit offset reads like a PIN),
# only the header says the value is not the PIN.
DERIVED = r"\b(offset|ofs|ofst|pinoffset|pvv|pvki|pin verification)\b"

CONTEXT = HeaderContext(
    positive=rf"\b({CARD_CODE}|{PIN}|{PASSWORD})\b",
    # (disabled / locked / indicator: a flag about the code, GOBTPAC_PIN_DISABLED_IND = N, not the code)
    negative=r"\b(hint|changed|change|reset|date|at|expires|expiry|expiration|updated|created|policy|length|"
    r"disabled|disable|locked|lock|lockout|suspended|ind|indicator|"
    r"strength|attempts|attempt|failed|question|required|flag|set|last|count|type|status|enabled|zip|postal|"
    # "social security no" is an SSN, never a "security no"
    r"location|pincode|social|soc|ssn|ach|nacha|entry class|sec class|"
    # a row's own identifier named after the code it holds (pin_id, password_id, security_code_id, cvv_key):
    # a surrogate key is no one's code
    r"id|ids|ref|refs|reference|key|fk|pk|uuid|guid|seq|sequence|idx|"
    # the IRS identity protection PIN and e-file signature PIN open no financial account (445.63(p)(iii)): by its
    # own words (TP_SIG_PIN, F8879_TP_PIN, PRACTITIONER_PIN, ERO_PIN); a bare PIN of a tax return's table is the
    # signature PIN too (tax_return_pin_reason)
    r"ip|ippin|ipin|identity protection|irs|efile|e file|self select|signature|sig|8879|8878|practitioner|ero|"
    # derived from the PIN with a key, not the PIN (DERIVED): names_code() admits them as encrypted codes
    r"offset|ofs|ofst|pinoffset|pvv|pvki|pin verification)\b",
)

# A code is an access code only if it "would permit access to any of the resident's financial accounts"
# (445.63(p)(iii)). A code that opens a service's account (a carrier's account passcode or CPNI PIN, a port-out PIN,
# a loyalty, players-club or school-lunch PIN, a patient portal's password) opens no financial account, whatever
# else the resident holds: it is no access code at all, not even for their bank account or card elsewhere (the
# default reading pairs any readable code of the individual with their account and card numbers). Decided per
# code column, by its own words first, then its table's (service_code_reason). Until 2026-11-24 only the table's
# name was read: a hotel guest profile's loyalty_pin, a carrier's acct_passcode beside cpni_pin, a casino's
# player_pin each became the code of the resident's card or bank account.
#
# A code column's own words that say it is a bank's: an ATM or debit PIN, an online- or telephone-banking password
# (a card's security code, CARD_CODE, is a card's wherever it is).
BANK_CODE = (
    r"\b(bank|banking|atm|debit|credit card|online banking|netbanking|net banking|ibanking|ebanking|checking|"
    r"chequing|savings|dda|teller|tpin|mpin|telepin)\b"
)
# A code that opens a door, a gate, a locker, a building or a front desk's check-in (a gym's MemberPIN at the
# check-in kiosk, CheckInPIN, a keypad's or a fob's code, an alarm's or a gated community's code) opens a place, not
# a financial account (2026-11-25). In a code column's own words (FACILITY) it is a place's code wherever it sits,
# after a card's or a bank's own words (an ATM's PIN is a bank's); in another code column of the table (CheckInPIN
# beside MemberPIN) it says the table's codes are a facility's members'; in the table's name or another header
# (FACILITY_PLACE: not a building or an entry date, which any customer table may carry) a place's only where
# nothing says bank.
FACILITY_PLACE = (
    r"door|doors|keypad|keypads|kiosk|kiosks|fob|fobs|keyfob|keyfobs|key fob|key fobs|locker|lockers|checkin|"
    r"checkins|check in|check ins|badge|badges|gate|gates|alarm|alarms|lockbox|key box|keybox|intercom|buzzer|"
    r"turnstile|turnstiles|front desk|frontdesk|access control|clubhouse"
)
FACILITY = (
    rf"\b({FACILITY_PLACE}|entry|entrance|building|bldg|garage|amenity|amenities|prox|proximity|rfid)\b"
)
# A code column's own words that say a service's (after BANK_CODE's): its business, programme, device, biller or
# gift card (cpni_pin, osp_pin, loyalty_pin, player_pin, lunch_pin, sim_pin, billing_pin, gift_card_pin), or a place
# (kiosk_pin, door_pin). A rewards programme's PIN opens the rewards account even where a bank runs the programme.
SERVICE_CODE = (
    rf"{bank_account.SERVICE_SECTOR}|{bank_account.SERVICE_HINT}|{bank_account.CARRIER}|{bank_account.GIFT}|"
    rf"{bank_account.BILLER}|{FACILITY}"
)

# The words of detectors.free_text.CODE_IN_TEXT that name no card's code: in running text of a service's table
# (a carrier's care notes: "verified acct passcode 9772") they are taken out before codes are searched, and a
# card's CVV written there is still found.
NOT_CARD_CODE_IN_TEXT = r"(?i)\b(?:pin|passcode|access\s+code)\b"


def service_code_reason(
    column: str,
    table: str,
    headers: Sequence[str] = (),
    source: str = "",
    values: pl.Series | None = None,
) -> str | None:
    """Why the code column `column` opens a service's account rather than a financial account (445.63(p)(iii)),
    or None when nothing says so. The column's own words first (a card's CVV, an ATM or online-banking PIN is a
    financial account's code wherever it is; loyalty_pin, cpni_pin, player_pin, kiosk_pin a service's), then its
    table's name, its table's other headers (a carrier's cpni_pin beside acct_passcode; only service accounts
    beside it, as authorized_users(billing_acct_no, au_passcode); a check-in PIN beside a member's PIN), then its
    source's name. A tax return's PIN is the return's e-file signature PIN (tax_return_pin_reason), and a parcel's
    PIN its property identification number (parcel_number_reason, which reads the column's sampled `values` too):
    neither opens an account."""
    if mentions(column, rf"\b({CARD_CODE})\b") or mentions(column, BANK_CODE):
        return None
    tax = tax_return_pin_reason(column, table, headers, source)
    if tax:
        return tax
    parcel = parcel_number_reason(column, table, headers, source, values)
    if parcel:
        return parcel
    if mentions(column, SERVICE_CODE):
        return (
            "its own words name the code of a service's account (a carrier's, programme's, biller's or gift "
            "card's) or of a place (a door, keypad, kiosk, locker or check-in)"
        )
    if bank_account.not_financial_table(table):
        return f"table '{table}' holds loyalty, patient or service accounts"
    if mentions(table, bank_account.FINANCIAL_TABLE):
        return None
    others = [h for h in headers if h != column]
    # a door's, kiosk's or check-in's own code column beside it: the table's people are a facility's members
    # (a gym's MemberPIN beside CheckInPIN), even where the dues are drafted from their bank account
    facility_code = next(
        (h for h in others if names_code(h) and mentions(h, FACILITY) and not mentions(h, BANK_CODE)), None
    )
    if facility_code:
        return (
            f"its table's code column '{facility_code}' opens a door, keypad, kiosk or check-in: the table's codes "
            "are a facility's members'"
        )
    # a carrier's passcode beside its customer's autopay bank account still opens the carrier's account
    sector = bank_account.first_mention(others, bank_account.SERVICE_SECTOR)
    if sector:
        return (
            f"its table's column '{sector}' says the table is a service's (a carrier, utility, hospital, casino "
            "or school)"
        )
    service = bank_account.service_accounts_only(table, headers, source)
    if service:
        return f"the only account beside it, '{service}', is a service's account"
    bank_in_table = bank_account.bank_words(others, headers)
    hint = bank_account.first_mention(others, bank_account.SERVICE_HINT)
    if hint and not bank_in_table:
        return f"its table's column '{hint}' says the table is a loyalty programme's or a carrier's"
    place = rf"\b({FACILITY_PLACE})\b"
    place = bank_account.first_mention(others, place) or (table if mentions(table, place) else None)
    if place and not bank_in_table:
        return f"'{place}' says the table is a facility's (its doors, kiosks, lockers or check-ins)"
    if bank_account.sector_source(source) and not bank_in_table:
        return f"its source '{source}' is a service's (a carrier, utility, hospital, casino or school)"
    return None


# A parcel's PIN is its property (or parcel) identification number: Michigan's assessing and tax rolls (BS&A,
# Tyler, Munis, a county's equalization) and utility billing call it PIN, PARCEL_PIN or PIN_NO, and the Cook County
# Assessor its property index number. It names a piece of land and opens no account (445.63(p)(iii)). Decided per
# PIN column (a plain PIN: not a card's code, an ATM, debit or banking PIN, a password), by the column's own words
# (PARCEL_PIN, PROP_PIN, PIN (Property Identification Number)); by its sampled values (most of them a parcel's
# shape: 25-14-201-003, 4712-18-301-002, 46-12-345-678-900, R-12-345-678, 8 and more digits in three or more
# dashed or dotted groups, or more digits than any PIN has: ISO 9564 allows 4 to 12); or by its table (its name,
# another header, its source: parcel, assessed or taxable value, SEV, tax roll, acreage, legal description,
# township, millage) where the values are not the 4-6 plain digits people type as a PIN. A bank's, a card's or a
# loan's table is never an assessing roll by its other headers. Until 2026-11-25 a tax payment table's PIN beside
# the owner's ACH account counted every owner.
PARCEL_OWN = (
    r"\b(parcel|parcels|prcl|parcl|property|properties|prop|propty|realty|real property|real estate|land|sidwell|"
    r"assess|assessed|assessing|assessor|assessors|taxroll|tax roll|cama|plat)\b"
)
ASSESSING = (
    r"\b(parcel|parcels|prcl|parcl|sidwell|tax parcel|property tax|property taxes|prop tax|real property|"
    r"real estate tax|assess|assessed|assessing|assessor|assessors|assessed value|assessment roll|taxroll|tax roll|"
    r"tax rolls|sev|state equalized|equalized value|taxable value|taxable val|taxable valuation|capped value|"
    r"acreage|acres|acre|legal description|legal desc|legal descr|lgl desc|township|twp|twsp|rng|township range|"
    r"plat|subdivision|homestead|pre pct|pre percent|principal residence|millage|property class|prop class|"
    r"prop cls|land value|land val|bldg value|building value|cama|zoning|frontage|ad valorem)\b"
)
# three or more groups of digits (a leading letter, letters in a group) apart by dashes, dots or spaces; dates
# (2024-03-05, 03.05.2024) are not parcels, nor is an SSN's 3-2-4 (a payroll system's PIN that holds the SSN is
# left as it was read)
PARCEL_SHAPE = r"^[A-Za-z]{0,3}[-. ]*\d{1,6}(?:[-. ]+[0-9A-Za-z]{1,6}){2,}$"
NOT_PARCEL_SHAPE = (
    r"^(?:\d{4}[-. ]\d{1,2}[-. ]\d{1,2}|\d{1,2}[-. ]\d{1,2}[-. ]\d{2,4}|\d{3}[-. ]\d{2}[-. ]\d{4})$"
)
PARCEL_MIN_DIGITS = 8
PIN_MAX_DIGITS = 12  # ISO 9564-1: a PIN has 4 to 12 digits
TYPED_PIN = r"^\d{4,6}$"  # what people type as a PIN


def parcel_shares(values: pl.Series) -> tuple[float, float]:
    """(share of parcel-shaped values, share of 4-6 plain digits) among a PIN column's sampled values."""
    if values.len() == 0:
        return 0.0, 0.0
    v = pl.col("v")
    n_digits = v.str.count_matches(r"\d")
    parcel = (
        v.str.contains(PARCEL_SHAPE) & (n_digits >= PARCEL_MIN_DIGITS) & ~v.str.contains(NOT_PARCEL_SHAPE)
    ) | v.str.contains(rf"^\d{{{PIN_MAX_DIGITS + 1},}}$")
    shares = pl.DataFrame({"v": values.cast(pl.String)}).select(
        parcel.mean().alias("parcel"), v.str.contains(TYPED_PIN).mean().alias("typed")
    )
    return float(shares["parcel"][0] or 0.0), float(shares["typed"][0] or 0.0)


def parcel_number_reason(
    column: str,
    table: str,
    headers: Sequence[str] = (),
    source: str = "",
    values: pl.Series | None = None,
) -> str | None:
    """Why the PIN column `column` holds parcels' property identification numbers, not a PIN (445.63(p)(iii)), or
    None: its own words, its sampled `values` (mostly parcel-shaped), or its table's assessing words where the
    values are not typed PINs (PARCEL_OWN, PARCEL_SHAPE, ASSESSING)."""
    if not mentions(column, rf"\b({PIN})\b") or mentions(column, rf"\b({CARD_CODE}|{PASSWORD})\b"):
        return None
    if mentions(column, BANK_CODE) or mentions(column, CARD_OR_BANK):
        return None
    why = "a parcel's property identification number, which opens no account"
    if mentions(column, PARCEL_OWN):
        return f"its own words name a parcel or property: {why}"
    parcel, typed = parcel_shares(values) if values is not None else (0.0, 0.0)
    if parcel >= 0.5:
        return (
            f"{parcel:.0%} of its sampled values are long numbers in dashed or dotted groups or longer than any PIN "
            f"(4-12 digits): {why}"
        )
    if typed >= 0.5 or mentions(table, bank_account.FINANCIAL_TABLE):
        return None
    if mentions(table, ASSESSING):
        return f"table '{table}' is an assessing or property tax roll: {why}"
    field = bank_account.first_mention([h for h in headers if h != column], ASSESSING)
    if field:
        return f"its table's column '{field}' says the table is an assessing or property tax roll: {why}"
    if bool(source) and mentions(source, ASSESSING):
        return f"its source '{source}' is an assessing or property tax database: {why}"
    return None


# The IRS e-file signature PIN (Form 8879's taxpayer's and spouse's PIN, the self-select PIN, the practitioner's or
# ERO's PIN) signs a tax return: it opens no financial account (445.63(p)(iii)). A return's table names it plainly
# (PIN, TP_PIN, SP_PIN, TAXPAYER_PIN): in a table of tax returns a bare PIN is the signature PIN, while a card's code
# or an ATM, debit or online-banking PIN stays a financial account's code there. A table is a tax return's by its
# name (1040, tax return, efile, MeF, 8879) or by its columns: a word no other table uses (AGI, a form's number,
# PTIN, EFIN, self-select), or a return's field (filing status, refund, tax year, balance due) in a table named
# returns, or beside the taxpayer's and spouse's TP_ / SP_ columns. Until 2026-11-25 only a PIN header with an
# e-file or signature word was read so: a return's TP_PIN beside the refund's deposit account counted the taxpayer.
TAX_RETURN_TABLE = (
    r"\b(1040|1040x|1040sr|1040 sr|1040nr|1040 nr|1040es|mi 1040|8879|8878|efile|e file|mef|tax return|tax returns|"
    r"taxreturn|taxreturns|return filing|ero|efin)\b"
)
TAX_RETURN_FIELD = (
    r"\b(agi|adjusted gross|adj gross|py agi|prior year agi|1040|1040x|1040sr|8879|8878|8888|efin|ptin|"
    r"self select|efile|e file|mef|mef submission|ip pin|ippin)\b"
)
RETURN_FIELD = (
    r"\b(filing status|filing stat|fil status|fil stat|fs cd|refund|refunds|rfnd|tax yr|tax year|taxyear|tax period|"
    r"tax prd|bal due|balance due|tax due|amt owed|amount owed|tax liability|total tax|taxable income|prep fee|"
    r"preparer|prep id)\b"
)
RETURN_TABLE = r"\b(return|returns|rtn|rtns|filing|filings)\b"
# the taxpayer's and the spouse's columns of a joint return (TP_FNAME, SP_SSN, PY_AGI_TP)
TAXPAYER_PREFIX = r"^(tp|sp) |\b(tp|sp)$"
# a PIN that is a card's or a bank's by its own words, even in a return's table (a refund card's PIN)
CARD_OR_BANK = r"\b(card|cards|cc|prepaid|paycard)\b"


def tax_return_pin_reason(
    column: str, table: str, headers: Sequence[str] = (), source: str = ""
) -> str | None:
    """Why the PIN column `column` is a tax return's e-file signature PIN (445.63(p)(iii): it opens no financial
    account), or None: a plain PIN (not a card's code, not an ATM or online-banking PIN) in a table of tax
    returns, as its name, its columns or its source's name (an e-file database) say."""
    if not mentions(column, rf"\b({PIN})\b") or mentions(column, rf"\b({CARD_CODE}|{PASSWORD})\b"):
        return None
    if mentions(column, BANK_CODE) or mentions(column, CARD_OR_BANK):
        return None
    why = "a PIN there is the return's e-file signature PIN (Form 8879), which opens no account"
    if mentions(table, TAX_RETURN_TABLE):
        return f"table '{table}' holds tax returns: {why}"
    if mentions(table, bank_account.FINANCIAL_TABLE):
        return None
    others = [h for h in headers if h != column]
    field = bank_account.first_mention(others, TAX_RETURN_FIELD)
    if field:
        return f"its table's column '{field}' says the table holds tax returns: {why}"
    field = bank_account.first_mention(others, RETURN_FIELD)
    if field and mentions(table, RETURN_TABLE):
        return f"table '{table}' with its column '{field}' holds tax returns: {why}"
    taxpayer = bank_account.first_mention(headers, TAXPAYER_PREFIX)
    if field and taxpayer:
        return f"its table's taxpayer's column '{taxpayer}' with '{field}' says the table holds tax returns: {why}"
    taxpayer, spouse = (bank_account.first_mention(headers, rf"^{w} |\b{w}$") for w in ("tp", "sp"))
    if taxpayer and spouse:
        return (
            f"its table's taxpayer's and spouse's columns ('{taxpayer}', '{spouse}') say the table holds tax "
            f"returns: {why}"
        )
    if bool(source) and mentions(source, TAX_RETURN_TABLE):
        return f"its source '{source}' is an e-file database: {why}"
    return None


PRESENT, ENCRYPTED = "present", "encrypted"
YES_NO = ["Y", "N", "YES", "NO", "TRUE", "FALSE", "T", "F"]
ACH_ENTRY_CLASSES = [
    "PPD",
    "CCD",
    "WEB",
    "TEL",
    "CTX",
    "POP",
    "ARC",
    "BOC",
    "RCK",
    "IAT",
    "CIE",
    "ENR",
    "MTE",
    "POS",
]
ACH_ENTRY_CLASSES += ["SHR", "TRC", "TRX", "XCK", "ACK", "ATX", "COR", "DNE"]

# One DES / TDES cipher block as hex (8 bytes): an ISO 9564 PIN block, or a PIN or CVV encrypted under a data
# key. No code a person types is 16 hex characters mixing letters and digits; longer hex is a digest already.
CIPHER_BLOCK = r"^[0-9A-Fa-f]{16}$"


def names_code(name: str) -> bool:
    """Whether a header names a code column, readable or in a protected form (PIN_OFFSET and PVV included).

    classify.py asks CONTEXT.says(), which leaves PIN offsets and PVVs out entirely (never counted, not even
    under encryption_key_compromised). Asking names_code() there, with records.py passing each code column's
    header to status(), counts them as encrypted codes, as 445.63(g) reads them.
    """
    return CONTEXT.says(name) or (
        mentions(name, DERIVED) and mentions(name, rf"\b({PIN}|{PASSWORD}|{CARD_CODE}|pvv|pvki)\b")
    )


def status(value: pl.Expr, header: str = "") -> pl.Expr:
    """present | encrypted | null, for a cleaned value of a code column. An all-mask value hides the code.

    `header`, when the caller passes the column's header: a header naming a PIN offset or PVV makes every value
    an encrypted code; a header naming a PIN block or an encrypted or hashed code makes every value an encrypted
    code unless it is plainly a code (3-12 digits) or encodes readable text.
    """
    # a bare "sec_cd" is also an ACH entry's Standard Entry Class (PPD, WEB ...): NACHA's codes are no one's code
    # a yes / no flag is no one's code either (a code column's PIN_SET = Y read by a header that says only "pin")
    only_masks = (
        value.str.contains(rf"^{MASK_CLASS}+$")
        | value.str.to_uppercase().is_in(ACH_ENTRY_CLASSES)
        | value.str.to_uppercase().is_in(YES_NO)
    )
    hex_block = value.str.contains(CIPHER_BLOCK)
    cipher_block = hex_block & value.str.contains(r"\d") & value.str.contains(r"[A-Fa-f]")
    derived = bool(header) and mentions(header, DERIVED)
    protected = bool(header) and PROTECTED.says(header)
    out = pl.when(value.is_null() | only_masks).then(pl.lit(None, dtype=pl.String))
    if derived:
        out = out.when(pl.lit(True)).then(pl.lit(ENCRYPTED))
    if protected:
        out = out.when(hex_block | value.str.contains(r"^(?:[0-9A-Fa-f]{2}){8,}$")).then(pl.lit(ENCRYPTED))
    out = out.when(encoding.decoded_text(value).is_not_null()).then(
        pl.lit(PRESENT)  # base64 of a password is the password (445.63(g): no key needed)
    )
    if protected:
        out = out.when(~value.str.contains(r"^\d{3,12}$")).then(pl.lit(ENCRYPTED))
    return (
        out.when(encrypted.looks_encrypted(value) | cipher_block)
        .then(pl.lit(ENCRYPTED))
        .otherwise(pl.lit(PRESENT))
    )
