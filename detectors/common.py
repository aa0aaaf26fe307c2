"""Expressions every detector shares: normalisation done once, redaction runs, header words.

All functions here are pure: polars expressions in, polars expressions out.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import polars as pl

# Characters that stand for a hidden digit (445.63(r): "alter or truncate data"); they keep their position.
# (also ? _ · █ ▒ ░ ~ ○ ◦ ∗ ×: report writers and PDF redaction tools mask with them: 212-34-56??)
MASK_CHARS = "Xx*#•●?_·█▒░~○◦∗×"
MASK_CLASS = f"[{MASK_CHARS}]"
# Typographic stand-ins that a word processor, a web form or a copy from a PDF puts where a person typed '-' or
# ' ': every Unicode dash (en dash 287–65–4321, em dash, non-breaking hyphen, minus sign), every Unicode space
# (no-break, thin, narrow no-break, ideographic) and invisible characters (zero-width space, BOM, soft hyphen).
# cleaned() folds them to ASCII once, so every detector (shapes, separators, free-text patterns, the EIN
# format) reads 287–65–4321 as 287-65-4321; none of them is a position of a number.
# (the Basic Multilingual Plane holds every one of them; scanning only it keeps the import fast)
_BMP = [chr(c) for c in range(0x10000)]
UNICODE_DASHES = sorted({c for c in _BMP if unicodedata.category(c) == "Pd"} - {"-"} | {"\u2212"})
UNICODE_SPACES = sorted({c for c in _BMP if unicodedata.category(c) in ("Zs", "Zl", "Zp")} - {" "})
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
# control characters (a NUL a C program left in a field, Sm\x00ith, 287-65-4321\x00) are no positions or letters
# either; tab, line feed and carriage return are spaces
INVISIBLE += [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"]
_FOLD_FROM = UNICODE_DASHES + UNICODE_SPACES + INVISIBLE
_FOLD_TO = ["-"] * len(UNICODE_DASHES) + [" "] * len(UNICODE_SPACES) + [""] * len(INVISIBLE)
# Characters that only group digits visually; they are not positions of the number. The Unicode dashes and
# invisible characters are listed too for values that reach a detector without cleaned() (decoded base64).
SEPARATORS = rf"[\s\-./(){''.join(UNICODE_DASHES + INVISIBLE)}]"

NULL_WORDS = [
    "",
    "null",
    "none",
    "n/a",
    "na",
    "n.a.",
    "nan",
    "nil",
    "-",
    "--",
    "?",
    "unknown",
    "not provided",
    "\\n",
    "refused",
    "declined",
    "withheld",
    "not given",
    "none given",
    "pending",
    "not available",
    "tbd",
    "[]",  # an empty list or object of a nested export (cards: []) holds nothing
    "{}",
]

# Columns about somebody other than the record's subject: their element is not the subject's, and a name in them
# is not the subject's name (spouse_ssn, beneficiary_name, emergency_contact_name, agent_name ...).
OTHER_PERSON_WORDS = {
    "spouse",
    "joint",
    "secondary",
    "partner",
    "child",
    "dependent",
    "dependant",
    "beneficiary",
    "emergency",
    "guarantor",
    "cosigner",
    "manager",
    "supervisor",
    "agent",
    "rep",
    "representative",
    "employer",
    "referrer",
    "referral",
    "witness",
    "doctor",
    "physician",
    "mother",
    "father",
    "parent",
    "guardian",
    "author",
    "assignee",
    "assigned",
    "created",
    "updated",
    "modified",
    "submitted",
    "approved",
    "reviewer",
    "sales",
    "salesperson",
    "recruiter",
    "landlord",
    "tenant",
    "signer",
    "notary",
    "officer",
    "teller",
    "cashier",
    "vendor",
    "merchant",
    "payee",
    # abbreviations of the roles above, as schemas write them (GUAR_NM, BENE_SSN, SPS_FIRST_NM, EMRG_PHONE)
    "guar",
    "gtor",
    "bene",
    "benef",
    "bnf",
    "sps",
    "spse",
    "cosgn",
    "cosignor",
    "coborrower",
    "coapplicant",
    "cobuyer",
    "emrg",
    "emerg",
    "csr",  # a call centre's customer service representative
    "clerk",
    # Spanish (conyuge: spouse; aval, fiador: guarantor; codeudor: co-borrower; beneficiario; dependiente)
    "conyuge",
    "aval",
    "fiador",
    "codeudor",
    "cotitular",
    "beneficiario",
    "beneficiaria",
    "dependiente",
    # Third parties a record names beside its subject, with their own name and places: a debtor's attorney
    # (ATTY_NAME, ATTY_ST), an estate's executor or trustee, a power of attorney, a next of kin, a broker, and a
    # tribute gift's honoree and the person to notify of it (Honoree Name, Notify Address, acknowledgee). Their
    # name is never the subject's and their address never places the subject (until 2026-11-24 ATTY_NAME was read
    # as the debtor's name and took the debtor's SSN, and a Notify Address in Michigan made an Ohio donor a
    # Michigan resident).
    "attorney",
    "atty",
    "attny",
    "lawyer",
    "executor",
    "executrix",
    "trustee",
    "poa",
    "relative",
    "kin",
    "nok",
    "broker",
    "honoree",
    "honouree",
    "tributee",
    "tribute",
    "memoriam",
    "notify",
    "notifee",
    "acknowledgee",
}
# Words that name a third party only beside a person's own column (reference_name, reference_phone, in_memory_of_
# name, soft_credit_name), and a thing of the subject's otherwise (reference_number, account_reference)
THIRD_PARTY_WITH_PERSON_WORDS = {"reference", "memory", "honor", "honour", "soft"}
# An adult acting for the row's person beside that person's own columns (a UTMA / UGMA account's custodian with
# CUSTODIAN_FIRST, CUSTODIAN_SSN beside MINOR_SSN, a conservator, a fiduciary): a person of their own with their
# name and number, a second person of the row (pipeline/co_subjects.py); but a custodian's account number
# (custodian_account_number: the client's account at the custodian firm) stays the row's
THIRD_PARTY_WITH_PERSON_WORDS |= {"custodian", "custodians", "cstdn", "custdn", "conservator", "fiduciary"}
PERSONAL_COLUMN_WORDS = {
    "name", "nm", "first", "last", "fname", "lname", "full", "surname", "address", "addr", "street", "city",
    "state", "st", "zip", "postal", "phone", "email", "ssn", "dob", "relationship", "rel",
}  # fmt: skip
# a third party's own numbers beside their name (custodian_tin, custodian_tax_id, custodian_dl)
PERSONAL_COLUMN_WORDS |= {"tin", "itin", "tax", "dl", "license", "licence", "lic", "birth", "sin"}
# "co" joined to a role word: co_borrower, co-applicant, CoSigner's columns are the other borrower's. The role word
# is read in full or abbreviated as dealer, lender and credit-bureau exports write it (co_app_ssn, coapp_first,
# CO_BRWR_NM, cobyr_zip), written apart ("co", "app") or in one word ("coapp"): every spelling is one role,
# CO_CANONICAL's, so the co-applicant of coapp_ssn and of co_applicant_first_name is one person.
CO_CANONICAL = {
    "borrower": "coborrower", "brwr": "coborrower", "borr": "coborrower", "brw": "coborrower",
    "applicant": "coapplicant", "app": "coapplicant", "appl": "coapplicant", "apl": "coapplicant",
    "applcnt": "coapplicant", "aplcnt": "coapplicant",
    "buyer": "cobuyer", "byr": "cobuyer", "purchaser": "cobuyer", "purch": "cobuyer",
    "signer": "cosigner", "signor": "cosigner", "sgnr": "cosigner", "sgn": "cosigner",
    "owner": "coowner", "ownr": "coowner",
    "maker": "comaker", "obligor": "coobligor", "insured": "coinsured", "tenant": "cotenant", "lessee": "colessee",
    "mortgagor": "comortgagor", "debtor": "codebtor", "holder": "coholder", "hldr": "coholder",
}  # fmt: skip
CO_ROLES = set(CO_CANONICAL)
# Words after a role word that only repeat that it is a person (joint_app_first, joint_holder_ssn,
# secondary_applicant_last_name): the person's columns are the words after them ("first", "ssn"), and
# "app" there is no application (names.NOT_A_PERSON) that would keep joint_app_first from being a first name.
ROLE_PERSON_NOUNS = {
    "app", "appl", "applicant", "applicants", "holder", "hldr", "owner", "ownr", "borrower", "brwr", "buyer",
    "purchaser", "tenant", "signer", "party", "person",
}  # fmt: skip


# A second or additional driver of a rental agreement or an auto policy (addl_drvr_fnm, additional_driver_dl_nbr,
# secondary_driver_name, co_driver_ssn, 2nd_drvr_st) is a second person of the row, never the row's subject: the
# renter's or policyholder's card and CVV on the row are not theirs. And a second or additional applicant,
# borrower, buyer or insured (second_applicant_ssn, addl_borrower_first, additional_insured_name) is the row's
# co-applicant, co-borrower ... (CO_CANONICAL), as co_ writes them.
SECOND_PERSON_LEADS = {"second", "additional", "addl", "addtl", "adtl", "addnl", "addit", "secondary"}
DRIVER_WORDS = {"driver", "drivers", "drvr", "drv", "operator"}
DRIVER_ROLE = "codriver"


def _second_party_role(words: list[str] | tuple[str, ...], k: int) -> tuple[str, int] | None:
    """(role, words it takes) when words[k] starts a second person's role: an additional, second or secondary driver
    or co-driver ('codriver'), a second or additional applicant, borrower, buyer ... (CO_CANONICAL's role); None
    otherwise. A secondary applicant stays the secondary holder of leading_role (ROLE_PERSON_NOUNS)."""
    w = words[k]
    nxt = words[k + 1] if k + 1 < len(words) else ""
    if w in {"codriver", "codrvr"} or (w == "co" and nxt in DRIVER_WORDS):
        return DRIVER_ROLE, 1 if w != "co" else 2
    if w == "2" and nxt == "nd" and k + 2 < len(words):  # 2nd_drvr_: "2nd" is read as "2", "nd"
        found = _second_party_role(("second", *words[k + 2 :]), 0)
        return (found[0], found[1] + 1) if found else None
    if w not in SECOND_PERSON_LEADS:
        return None
    if nxt in DRIVER_WORDS:
        return DRIVER_ROLE, 2
    if nxt in CO_ROLES and w != "secondary":
        return CO_CANONICAL[nxt], 2
    return None


def _co_role(words: list[str] | tuple[str, ...], k: int) -> tuple[str, int] | None:
    """(canonical role, words it takes) when words[k] starts a co-role: "co" + role word (co_app, co_borrower) or
    one word (coapp, cobuyer); None otherwise."""
    w = words[k]
    if w == "co" and k + 1 < len(words) and words[k + 1] in CO_ROLES:
        return CO_CANONICAL[words[k + 1]], 2
    if len(w) > 4 and w.startswith("co") and w[2:] in CO_ROLES:
        return CO_CANONICAL[w[2:]], 1
    return None


# Words a run-together header is made of. Jack Henry Symitar (Episys) names its fields in one upper-case word
# (ACCOUNTNUMBER, PARENTACCOUNT, AUDIOPIN, NAMEONCARD, BIRTHDATE, EXPIREDATE, ZIPCODE), and a database that folds
# unquoted identifiers to lower case turns FirstName into firstname and CreditCardNumber into creditcardnumber: no
# case change or underscore tells the words apart. The words are those the detectors' header vocabularies read;
# words of two letters are only the few that join others (on, of, no, id, dl, cc), so that an English word of the
# header is not cut into abbreviations (passport is not pass + port: "pass" is no word here).
SEGMENT_WORDS = frozenset(
    """
    on of no id dl cc
    account accounts acct number num nbr key ref parent primary joint owner holder holders cardholder
    accountholder policyholder member mbr customer cust client name names first middle last full given family
    surname maiden mother mothers suffix title alt alternate extra
    birth birthday date dob open opened close closed expire expires expired expiration expiry exp issue issued
    effective start end
    ssn social security tax taxpayer identification driver drivers license licence passport state
    card cards credit debit routing transit bank banking share loan draft checking savings deposit iban
    pin atm audio password passcode access code cvv cvc verification value secret question answer user login online
    offset block encrypted hash hashed token
    address addr street city zip postal county country mailing home work mobile cell phone fax email
    spouse beneficiary employer employee payee payer payment type status branch ordinal description balance amount
    """.split()
)


def _segments(token: str) -> tuple[str, ...]:
    """The fewest SEGMENT_WORDS a run-together header word is made of, the longer words first on a tie
    ('accountnumber' -> ('account', 'number'), 'nameoncard' -> ('name', 'on', 'card')); the word alone when it is a
    known word itself or does not split wholly into known words ('passport', 'nickname', 'status')."""
    n = len(token)
    if (
        n < 4
        or not token.isalpha()
        or token in SEGMENT_WORDS
        or token in _whole_words()
        or token in _PATTERN_WORDS
    ):
        return (token,)
    # best[i]: (parts, -sum of squared part lengths) of the best split of token[:i]; the previous cut
    best: list[tuple[int, int] | None] = [(0, 0)] + [None] * n
    cut = [0] * (n + 1)
    for i in range(1, n + 1):  # one entry per character of one header word
        for j in range(max(0, i - 20), i):
            if best[j] is None or token[j:i] not in SEGMENT_WORDS:
                continue
            score = (best[j][0] + 1, best[j][1] - (i - j) ** 2)
            if best[i] is None or score < best[i]:
                best[i], cut[i] = score, j
    if best[n] is None:
        return (token,)
    parts, i = [], n
    while i:  # one entry per part
        parts.append(token[cut[i] : i])
        i = cut[i]
    return tuple(reversed(parts))


# Words a detector's header pattern names as one word (HeaderContext registers them: firstname, cardnumber,
# pincode, lastfirst, emailaddress, securitycode): never split, so every pattern that read one reads it as before.
_PATTERN_WORDS: set[str] = set()


@functools.cache
def _whole_words() -> frozenset[str]:
    """Words the header vocabularies of this module know as one word (cardholder, acctholder, coborrower,
    groupleader): never split, so every rule that reads them reads them as before."""
    sets = [OTHER_PERSON_WORDS, PERSON_QUALIFIERS, PAYING_QUALIFIERS, ROLE_PERSON_NOUNS, PRIMARY_PARTY_WORDS]
    return frozenset().union(*sets, CO_CANONICAL.values())


# Header words are asked for the same few hundred names thousands of times (every detector's context, every
# table of a schema whose columns are named alike): pure functions of strings, cached.
# An initialism written with dots or slashes between its letters is one word: `D.L. No.`, `D/L #`, `C.V.V.`,
# `P.I.N.`, `C.C. #`, `S.S.N.`, `D.O.B.`, `A/C No.` are dl, cvv, pin, cc, ssn, dob and ac, not letters one by one
# (which no header vocabulary reads, so the column went unrecognised and `D.L. State` read as a home state). Only
# single letters joined by `.` or `/` are one word; `Soc. Sec.` and `Date/Time` are words of their own.
_INITIALISM = re.compile(r"(?<![A-Za-z0-9])[A-Za-z](?:[./][A-Za-z])+\.?(?![A-Za-z0-9])")
# Initialisms whose letters spell a word the vocabularies read in another form: A/C (a bank's "account"), and C/O
# ("care of", an address line's addressee, never the co- of a co-borrower).
_INITIALISM_WORDS = {"ac": "acct", "co": "care of"}


def _initialism(match: re.Match) -> str:
    word = re.sub(r"[./]", "", match.group(0)).lower()
    return f" {_INITIALISM_WORDS.get(word, word)} "


@functools.lru_cache(maxsize=65536)
def _plain_tokens(name: str) -> tuple[str, ...]:
    name = _INITIALISM.sub(_initialism, name)
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name.replace("#", " no "))
    spaced = re.sub(r"(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])", " ", spaced)
    return tuple(t for t in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if t)


@functools.lru_cache(maxsize=65536)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(part for t in _plain_tokens(name) for part in _segments(t))


def plain_header_tokens(name: str) -> list[str]:
    """The header's words as written, a run-together word not split ('PARENTACCOUNT' -> ['parentaccount'])."""
    return list(_plain_tokens(name))


def header_tokens(name: str) -> list[str]:
    """'CustomerSSN_last4' -> ['customer', 'ssn', 'last', '4'], 'PARENTACCOUNT' -> ['parent', 'account']: header
    words for context, a run-together word split into the known words it is made of (_segments)."""
    return list(_tokens(name))


@functools.lru_cache(maxsize=65536)
def header_text(name: str) -> str:
    return " ".join(_tokens(name))


@functools.lru_cache(maxsize=262144)
def mentions(name: str, pattern: str) -> bool:
    """Whether the header's words match `pattern` (a regex over space-joined lower-case tokens, with \\b): its words
    with a run-together word split (header_text), or as written (a pattern naming 'pincode' or 'lastfirst' still
    reads the word it names)."""
    if re.search(pattern, header_text(name)) is not None:
        return True
    plain = _plain_tokens(name)
    return plain != _tokens(name) and re.search(pattern, " ".join(plain)) is not None


# "dep" is a dependant in a benefits file (834: dep_first_name, dep_ssn) but a deposit in a bank's (dep_acct_no)
DEPENDANT_ABBREVIATIONS = {"dep", "deps", "depn"}
DEPOSIT_WORDS = {
    "acct",
    "account",
    "accounts",
    "acc",
    "no",
    "num",
    "nbr",
    "amt",
    "amount",
    "bal",
    "balance",
    "dt",
}
DEPOSIT_WORDS |= {"date", "id", "slip", "type", "ref", "box", "rate"}
# ...but a dependant's own SSN or name is written with the same words (DEP_SSN_NUM, DEP_FIRST_NM_NO is no header
# anyone writes, DEP_SSN_NO is): a person's word beside them makes "dep" the dependant
DEPENDANT_CONTENT = {
    "ssn",
    "sin",
    "tin",
    "first",
    "last",
    "name",
    "nm",
    "fname",
    "lname",
    "frst",
    "dob",
    "birth",
}
DEPENDANT_CONTENT |= {"bday", "relationship", "rel", "gender", "sex", "middle", "suffix", "age"}


def _dependant(words: list[str] | tuple[str, ...]) -> bool:
    """Whether a header's "dep" names a dependant (dep_ssn, DEP_SSN_NUM), not a deposit (dep_acct_no)."""
    return not DEPOSIT_WORDS.intersection(words) or bool(DEPENDANT_CONTENT.intersection(words))


# Words that say whose record a column is, as the row's subject or as another person of the row: claims rows hold
# the subscriber and the patient (subscriber_ssn, patient_first_name), a policy the policyholder and the insured,
# a 1099 the payer and the recipient. One such group alone is the row's subject (member_ssn is the member's); two
# that each name a person are two people (pipeline/classify.py _qualified_people).
PERSON_QUALIFIERS = {
    "subscriber", "subscr", "insured", "insd", "policyholder", "owner", "patient", "member", "mbr", "payer",
    "payor", "recipient", "employee", "claimant", "applicant", "borrower", "cardholder", "accountholder",
    "customer", "client", "student", "participant", "enrollee", "primary", "principal", "debtor", "buyer",
    # a hotel's or travel agent's rooming list, a booking: each guest's row also names the group's leader or the
    # booker who pays (leader_card_no, leader_cvv)
    "guest", "leader", "organizer", "organiser", "booker", "traveler", "traveller", "passenger", "attendee",
    "registrant", "purchaser",
    # a plan's participant or employee as benefits and 401(k) record keepers abbreviate them (Ptcp SSN, ee_ssn,
    # EMP_SSN, EMPL_SSN): in a beneficiaries or dependants table they name the sponsor whose key the row carries
    "ptcp", "partic", "ee", "emp", "empl",
    # a gift's donor (donor_first_name beside a tribute's honoree)
    "donor",
}  # fmt: skip
# The taxpayer and the spouse of a joint return as 1040 software writes them (Drake, Lacerte, ProSeries, UltraTax:
# TP_FNAME, TP_SSN, SP_FNAME, SP_SSN): qualifiers, not role words, since "sp" alone is too short to be read as a
# spouse in every header (sp_id, sp_name of a stored procedure or a service provider): only beside another named
# person of the row (the taxpayer's TP_ columns or an unqualified name) is the SP_ group a second person
# (classify._qualified_people), the spouse (co_subjects.HOUSEHOLD_ROLES); alone it is the row's subject
TAXPAYER_QUALIFIERS = {"tp", "txp", "taxpayer", "taxpyr", "tpyr"}
SPOUSE_QUALIFIERS = {"sp", "spous"}
PERSON_QUALIFIERS |= TAXPAYER_QUALIFIERS | SPOUSE_QUALIFIERS
# written as two words: policy_holder_ssn, card_holder_name, account_holder_first_name, group_leader_email
TWO_WORD_QUALIFIERS = {("policy", "holder"), ("card", "holder"), ("account", "holder"), ("acct", "holder")}
TWO_WORD_QUALIFIERS |= {("card", "hldr"), ("account", "hldr"), ("acct", "hldr"), ("group", "leader")}
# A patient's responsible party (a pharmacy's or clinic's guarantor: PioneerRx and QS-1 write
# ResponsiblePartyFirstName, RespPartySSN, RP_LNAME; Epic calls it the guarantor): the adult who answers for a minor
# or a dependent adult. A qualifier, not a role word: beside the row's own name it is a second person of the row
# (pipeline/co_subjects.py RESPONSIBLE_ROLES), alone (a responsible parties table's RP_SSN) the row's subject.
RESPONSIBLE_PARTY_QUALIFIERS = {
    "responsibleparty",
    "respparty",
    "resppty",
    "responsiblepty",
    "rp",
    "rspparty",
}
PERSON_QUALIFIERS |= RESPONSIBLE_PARTY_QUALIFIERS
TWO_WORD_QUALIFIERS |= {("responsible", "party"), ("resp", "party"), ("resp", "pty"), ("responsible", "pty")}
TWO_WORD_QUALIFIERS |= {("rsp", "party")}
# Qualifiers of the person who pays or holds the account the row's card or account number opens: the name on the
# card (cardholder), the payer of a 1099 or a bill, a group's leader or booker who guarantees the rooms, the
# subscriber or policyholder of a plan. Where a row has no unqualified name, the group of such a role is the
# row's subject and keeps the row's unqualified card, account and code columns (classify._qualified_people),
# whatever the export's column order: a rooming list that writes each guest's columns before the leader's gave
# every guest the leader's card and CVV, and the leader was counted for nothing.
HOLDER_QUALIFIERS = {"cardholder", "accountholder", "acctholder", "cardhldr", "accounthldr", "accthldr"}
PAYING_QUALIFIERS = HOLDER_QUALIFIERS | {
    "payer",
    "payor",
    "leader",
    "groupleader",
    "organizer",
    "organiser",
    "booker",
}
PAYING_QUALIFIERS |= {"policyholder", "subscriber", "subscr", "primary", "principal"}
# the taxpayer is the primary filer, whose row it is whatever the column order (SP_ columns before TP_ ones)
PAYING_QUALIFIERS |= TAXPAYER_QUALIFIERS


def qualified_person(name: str) -> tuple[str, list[str]] | None:
    """('patient', ['first', 'name']) for patient_first_name, ('policyholder', ['ssn']) for policy_holder_ssn; None
    for a header that does not lead with a person qualifier (or is nothing but one)."""
    words = header_tokens(name)
    if len(words) >= 3 and (words[0], words[1]) in TWO_WORD_QUALIFIERS:
        return words[0] + words[1], words[2:]
    if len(words) >= 2 and words[0] in PERSON_QUALIFIERS:
        return words[0], words[1:]
    return None


# A parent or child before a thing of a hierarchy is that thing's place in the hierarchy, no person: Symitar's
# PARENTACCOUNT (the account a name, share or loan record belongs to), parent_acct_no, a parent record, a parent
# company, a child share. Before a person's attribute (parent_name, parent_ssn, child_dob) it is a second person.
HIERARCHY_ROLES = {"parent", "child"}
HIERARCHY_NOUNS = {"account", "accounts", "acct", "acc", "accnt", "acnt", "record", "records", "rec", "share"}
HIERARCHY_NOUNS |= {
    "shares",
    "loan",
    "loans",
    "company",
    "org",
    "organization",
    "organisation",
    "entity",
    "node",
}


def _thing_in_hierarchy(words: list[str] | tuple[str, ...], k: int) -> bool:
    """Whether words[k] (parent, child) places a thing in a hierarchy (parent_account) rather than naming a person."""
    return words[k] in HIERARCHY_ROLES and k + 1 < len(words) and words[k + 1] in HIERARCHY_NOUNS


def other_person_role(name: str) -> str | None:
    """The role word that makes a column somebody else's ('spouse' in spouse_ssn, 'coborrower' in
    co_borrower_name, 'coapplicant' in coapp_ssn), or None."""
    words = header_tokens(name)
    for k, w in enumerate(words):  # one entry per header word
        second = _second_party_role(words, k)
        if second is not None:
            return second[0]
        co = _co_role(words, k)
        if co is not None:
            return co[0]
        if w in OTHER_PERSON_WORDS and not _thing_in_hierarchy(words, k):
            return w
        if w in THIRD_PARTY_WITH_PERSON_WORDS and PERSONAL_COLUMN_WORDS.intersection(words):
            return w
        if w in DEPENDANT_ABBREVIATIONS and _dependant(words):
            return "dep"
    return None


def leading_role(name: str) -> tuple[str, list[str]] | None:
    """The role a header leads with and the words after it: ('spouse', ['first', 'name']) for spouse_first_name,
    ('coborrower', ['ssn']) for co_borrower_ssn, ('coapplicant', ['first']) for co_app_first and coapp_first,
    ('joint', ['first']) for joint_app_first, ('dep', ['ssn']) for dep_ssn (not dep_acct_no); None when the
    header does not start with a role word."""
    words = header_tokens(name)
    second = _second_party_role(words, 0) if words else None
    co = _co_role(words, 0) if words else None
    if second is not None:
        role, rest = second[0], list(words[second[1] :])
    elif co is not None:
        role, rest = co[0], list(words[co[1] :])
    elif len(words) >= 2 and words[0] in DEPENDANT_ABBREVIATIONS and _dependant(words):
        role, rest = "dep", list(words[1:])
    elif len(words) >= 2 and words[0] in OTHER_PERSON_WORDS and not _thing_in_hierarchy(words, 0):
        role, rest = words[0], list(words[1:])
    elif (
        len(words) >= 2
        and words[0] in THIRD_PARTY_WITH_PERSON_WORDS
        and PERSONAL_COLUMN_WORDS.intersection(words)
    ):
        role, rest = words[0], list(words[1:])
    else:
        return None
    # joint_app_first, joint_holder_ssn: the noun only repeats that the role is a person
    while len(rest) >= 2 and rest[0] in ROLE_PERSON_NOUNS:
        rest = rest[1:]
    return (role, rest) if rest else None


# Words after which a number counts lines of one person's address, not people (address_line_2, street2).
ADDRESS_LINE_WORDS = {"line", "ln", "street", "str", "addr", "address", "apt", "unit", "suite"}


def numbered_person(name: str) -> tuple[int, str] | None:
    """(2, 'first_name') for first_name_2 / FirstName2 / applicant2_first_name / 2_first_name: the number of the
    person a column of a numbered group belongs to, and the header without it; None for any other header (and for
    an address line's number: address_line_2)."""
    words = header_tokens(name)
    at = [k for k, w in enumerate(words) if len(w) == 1 and w in "123456789"]
    if len(at) != 1:
        return None
    k = at[0]
    # the number last (first_name_2), or after a group word that is dropped with it (applicant2_ssn)
    rest = words[:k] if k == len(words) - 1 else words[k + 1 :]
    if not rest or ADDRESS_LINE_WORDS.intersection(words[:k]):
        return None
    return int(words[k]), "_".join(rest)


def role_in_header(name: str) -> tuple[str, list[str]] | None:
    """leading_role, or the role after words that only say where the column came from: ('spouse', ['ssn']) for
    primary_spouse_ssn, ('emergency', ['contact', 'name']) for payload_emergency_contact_name (a nested JSON
    record's person, flattened under its parent's key)."""
    lead = leading_role(name)
    if lead is not None:
        return lead
    words = header_tokens(name)
    for k in range(1, len(words) - 1):  # one entry per header word
        found = leading_role("_".join(words[k:]))
        if found is not None:
            return found
    return None


def about_other_person(name: str) -> bool:
    return other_person_role(name) is not None


# Values of a party-role column (credit_apps.applicant_role, loan_parties.party_type) that name the row's own
# person: the buyer, the primary applicant or borrower, the holder (SELF of a relationship code)
PRIMARY_PARTY_WORDS = {
    "primary", "prim", "pri", "main", "principal", "self", "applicant", "app", "appl", "borrower", "brwr", "buyer",
    "purchaser", "owner", "holder", "accountholder", "cardholder", "customer", "cust", "client", "member",
    "subscriber", "insured", "policyholder", "tenant", "lessee", "debtor", "obligor", "maker", "signer", "party",
    "person", "first", "1st", "lead", "head",
}  # fmt: skip
SECOND_PARTY_WORDS = {"second", "2nd", "additional", "addl"}  # SECOND APPLICANT, 2ND BORROWER


def party_role(value: str) -> str | None:
    """Whose row a party-role value says it is: 'cobuyer' for CO-BUYER, 'coapplicant' for Co-App, 'joint' for
    JOINT, 'guarantor' for GUARANTOR, 'person 2' for APPLICANT 2 / SECOND BORROWER; '' for the row's own person
    (BUYER, PRIMARY, APPLICANT 1, SELF); None for a value that names no role (one-letter codes included: P and J
    are read by no one's rule)."""
    words = header_tokens(value)
    if not words or len(words) > 4 or len(value) < 3:
        return None
    role = other_person_role(value)
    if role is not None:
        return role
    numbers = [w for w in words if w.isdigit()]
    rest = [w for w in words if not w.isdigit() and w not in SECOND_PARTY_WORDS]
    if not rest or not all(w in PRIMARY_PARTY_WORDS for w in rest) or len(numbers) > 1:
        return None
    number = 2 if SECOND_PARTY_WORDS.intersection(words) else int(numbers[0]) if numbers else 1
    return "" if number <= 1 else f"person {number}"


def party_key(value: str) -> str:
    """A party-role value as compared (CO-BUYER, Co Buyer, cobuyer are one): lower-case letters and digits."""
    return re.sub(r"[^a-z0-9]", "", value.lower())


# Values of an account's party-role column (a core banking NAME table's NAME_TYPE_DESC: one row per party of the
# account, each carrying its number) that name a party holding no access to the account: a payable-on-death or
# transfer-on-death beneficiary (445.63(p)(iii): the beneficiary owns nothing until the owner's death and cannot
# open the account), a contact, a reference, a party notified of the account or sent a duplicate statement, a
# guarantor of its loan, a witness or nominee, next of kin
NO_ACCESS_PARTY_WORDS = {
    "beneficiary", "beneficiaries", "bene", "benef", "bnf", "bnfcry", "ben", "beneficiario", "beneficiaria",
    "pod", "tod", "itf", "contingent", "heir", "heirs",
    "contact", "emergency", "emrg", "emerg", "reference", "referee", "ref", "notify", "notifee", "notification",
    "interested", "duplicate", "dup", "guarantor", "guar", "gtor", "witness", "nominee", "kin", "nok",
}  # fmt: skip
# ...and those naming a party who holds it or acts on it with the owner's authority: an owner, a joint owner, an
# authorised signer or user, a custodian, trustee, guardian, conservator or attorney-in-fact, a representative payee
# (the party-role value is read as a holder's only when all its words are these); a holder's noun (owner, signer,
# custodian) names a holder whatever else the value says (JOINT BENEFICIARY OWNER)
HOLDER_PARTY_NOUNS = {
    "owner", "ownr", "holder", "hldr", "accountholder", "cardholder", "signer", "signor", "signatory", "user",
    "custodian", "trustee", "ttee", "guardian", "conservator", "poa", "attorney",
}  # fmt: skip
HOLDER_PARTY_WORDS = PRIMARY_PARTY_WORDS | SECOND_PARTY_WORDS | HOLDER_PARTY_NOUNS
HOLDER_PARTY_WORDS |= {
    "joint", "jt", "jnt", "secondary", "sec", "co", "coowner", "coholder", "cotitular", "titular", "sole",
    "signer", "signor", "signatory", "sgnr", "authorized", "authorised", "auth", "user", "usr",
    "custodian", "cstdn", "custdn", "trustee", "ttee", "successor", "grantor", "settlor", "guardian", "gdn",
    "conservator", "fiduciary", "poa", "power", "attorney", "atty", "fact", "agent", "representative", "rep",
    "payee", "minor", "of", "in", "for", "on", "the", "account", "acct", "name",
}  # fmt: skip
# ...and those naming a mailing row of the account's own people (Symitar's MAIL ONLY, ALTERNATE ADDRESS, SEASONAL):
# read as a role (the column is still a role column), whose row is no party's of its own
MAILING_PARTY_WORDS = {
    "mail",
    "mailing",
    "only",
    "alternate",
    "alt",
    "address",
    "addr",
    "seasonal",
    "statement",
}


# Parties whose own number a row may carry beside its subject's: a claim's provider (its TIN, a solo physician's
# SSN: BILL_PROV_TIN, RNDR_TIN, PAYTO_TIN, PROVIDER_SSN), an employer, an agency, a facility or practice. A header
# word naming one, and the party it names; "prov" is read apart (a province elsewhere: pipeline/classify.py reads
# it after detectors.residency.PROVIDER_QUALIFIER, before a number's word, or in a claims or providers table).
# payee, vendor and employer are OTHER_PERSON_WORDS already.
NUMBERED_PARTY_WORDS = {
    "provider": "provider", "providers": "provider", "prvdr": "provider", "provdr": "provider",
    "rndr": "provider", "payto": "provider",
    "emplr": "employer", "empr": "employer", "emplyr": "employer",
    "agency": "agency", "agcy": "agency", "agncy": "agency", "agy": "agency",
    "facility": "facility", "facil": "facility", "fac": "facility", "hospital": "facility", "hosp": "facility",
    "clinic": "facility", "practice": "facility", "prac": "facility", "pract": "facility",
    # (a table named so holds the party's own rows: a providers roster's provider_ssn is the row's own)
    "practitioner": "provider", "prescriber": "provider", "clinician": "provider", "physician": "provider",
}  # fmt: skip


def account_party(value: pl.Expr) -> pl.Expr:
    """What an account's party-role value says of its row: "no_access" (BENEFICIARY, POD, PRIMARY BENEFICIARY,
    EMERGENCY CONTACT), "holder" (PRIMARY, JOINT OWNER, AUTHORIZED SIGNER, CUSTODIAN, POWER OF ATTORNEY),
    "mailing" (MAIL ONLY), or null for a value naming no party (a numeric code, a word not read). A value naming a
    no-access party beside a holder's noun (BENEFICIAL OWNER is not one: "beneficial" is no word here; AUTHORIZED
    CONTACT SIGNER) is a holder's. One expression: classify reads the sampled values, records every row."""
    words = value.cast(pl.String).str.to_lowercase().str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars()

    def only(vocabulary: set[str]) -> pl.Expr:
        rest = words.str.replace_all(r"\b(" + "|".join(sorted(vocabulary)) + r"|\d+)\b", "")
        return (rest.str.strip_chars() == "") & words.str.contains(r"[a-z]")

    no_access = words.str.contains(r"\b(" + "|".join(sorted(NO_ACCESS_PARTY_WORDS)) + r")\b")
    holder_noun = words.str.contains(r"\b(" + "|".join(sorted(HOLDER_PARTY_NOUNS)) + r")\b")
    return (
        pl.when(words.str.len_chars() < 3)
        .then(None)
        .when(no_access & ~holder_noun)
        .then(pl.lit("no_access"))
        .when(only(HOLDER_PARTY_WORDS | NO_ACCESS_PARTY_WORDS))
        .then(pl.lit("holder"))
        .when(only(HOLDER_PARTY_WORDS | MAILING_PARTY_WORDS))
        .then(pl.lit("mailing"))
        .otherwise(None)
    )


@dataclass(frozen=True)
class HeaderContext:
    """Positive and negative header words of one detector, as regexes over the header's tokens.

    `qualifier` words deny the element only in a header without a positive word: they name whose record it is
    (member, policy, claim), so MEMBER_SSN is the member's SSN, while member_id alone is another number.
    """

    positive: str
    negative: str = r"(?!x)x"  # matches nothing
    qualifier: str = r"(?!x)x"

    def __post_init__(self) -> None:
        # the words of its patterns are known words (see _segments); registered when a detector module is
        # imported, so header words read before are read again
        _PATTERN_WORDS.update(re.findall(r"[a-z]{4,}", f"{self.positive} {self.negative} {self.qualifier}"))
        for cached in (_tokens, header_text, mentions):
            cached.cache_clear()

    def says(self, name: str) -> bool:
        return mentions(name, self.positive) and not mentions(name, self.negative)

    def denies(self, name: str) -> bool:
        return mentions(name, self.negative) or (
            mentions(name, self.qualifier) and not mentions(name, self.positive)
        )


def ascii_punctuation(expr: pl.Expr) -> pl.Expr:
    """Unicode dashes as '-', Unicode spaces as ' ', invisible characters removed (one Aho-Corasick pass)."""
    # name.keep(): the pattern lists are literals, which would otherwise name the result "literal"
    return expr.cast(pl.String).str.replace_many(_FOLD_FROM, _FOLD_TO).name.keep()


def computed_once(value: pl.Expr, then) -> pl.Expr:
    """then(v), with v computed once however often `then` refers to it. polars 2.1 shares a subexpression
    repeated within one projection, but not one holding a no-argument strip_chars() (cleaned()'s) or a struct:
    a cleaned value used in the test and in the result cost two cleanings. A struct field is computed once and
    read by name (as in detectors.names.full_name_parts)."""
    return pl.struct(value.alias("v")).struct.with_fields(then(pl.field("v")).alias("v")).struct.field("v")


def _null_word(v: pl.Expr) -> pl.Expr:
    return v.str.to_lowercase().is_in(NULL_WORDS)


def not_empty(expr: pl.Expr) -> pl.Expr:
    """Whether cleaned(expr) is non-null, without the rest of the cleaning (the ".0" rewrite never empties)."""
    s = ascii_punctuation(expr).str.strip_chars().str.strip_prefix("'")
    return computed_once(s, lambda v: v.is_not_null() & ~_null_word(v)).name.keep()


def cleaned(expr: pl.Expr) -> pl.Expr:
    """Trimmed value, null for empty and null-words.

    Export artefacts are undone: Excel's leading apostrophe ('012345678), a float export's ".0"
    (287654321.0) and typographic dashes and spaces (287–65–4321, see UNICODE_DASHES), which otherwise hide an
    SSN or a ZIP from every detector.
    """
    s = ascii_punctuation(expr).str.strip_chars().str.strip_prefix("'").str.replace(r"^(\d+)\.0+$", "${1}")
    return computed_once(s, lambda v: pl.when(_null_word(v)).then(None).otherwise(v)).name.keep()


def compact(expr: pl.Expr) -> pl.Expr:
    """Value without visual separators: the positions of the number, masks included."""
    return expr.str.replace_all(SEPARATORS, "")


def digits(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"\D", "")


def has_mask(expr: pl.Expr) -> pl.Expr:
    return expr.str.contains(MASK_CLASS)


def more_digits_visible(compacted: pl.Expr, limit: int) -> pl.Expr:
    """Whether more than `limit` sequential digits are visible, on a compacted value (445.63(r) "sequential
    digits"): a run of limit + 1 consecutive digits somewhere.

    Mask characters break a run because they occupy a position of the number; separators were removed first,
    so '123-45-6789' is one run of 9 and '123-45-XXXX' a run of 5. One regex test per value: the statute asks
    only whether the longest run exceeds the limit, so the runs are never listed and measured.
    """
    return compacted.str.contains(rf"\d{{{limit + 1}}}")


LUHN_MAX_DIGITS = 19  # ISO/IEC 7812: a card number (PAN) has at most 19 digits, and 19 digits fit in a UInt64


def luhn_valid(digit_string: pl.Expr) -> pl.Expr:
    """Luhn checksum over a digits-only string of 1 to 19 digits (longer strings are not card numbers: False).

    Integer arithmetic on the number itself, digit by digit from the right: a fixed 19 vectorised steps
    instead of a list per value.
    """

    def checksum(number: pl.Expr) -> pl.Expr:
        total = pl.lit(0, dtype=pl.UInt64)
        for i in range(LUHN_MAX_DIGITS):
            d = (number // (10**i)) % 10
            # every second digit from the right is doubled; a doubled digit above 9 loses 9 (its digits summed)
            total = total + (d if i % 2 == 0 else d * 2 - pl.when(d > 4).then(9).otherwise(0))
        return total

    # the number is read from the text once (computed_once), not once per digit
    total = computed_once(digit_string.cast(pl.UInt64, strict=False), checksum)
    length = digit_string.str.len_chars()
    return ((total % 10 == 0) & (length > 0) & (length <= LUHN_MAX_DIGITS)).fill_null(False)


def aba_valid(nine_digits: pl.Expr) -> pl.Expr:
    """ABA routing checksum: 3*(d1+d4+d7) + 7*(d2+d5+d8) + (d3+d6+d9) divisible by 10."""
    d = [nine_digits.str.slice(i, 1).cast(pl.Int32, strict=False) for i in range(9)]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return nine_digits.str.contains(r"^\d{9}$") & (total % 10 == 0) & (nine_digits != "000000000")


def mask_last(value: pl.Expr, keep: int = 4, prefix: str = "") -> pl.Expr:
    """Masked display: stars, then the last `keep` characters. Safe to show (445.63(r))."""
    # the last `keep` characters padded back to the value's length with stars (no list of stars per value)
    masked = value.str.slice(-keep).str.pad_start(value.str.len_chars(), "*")
    return pl.concat_str([pl.lit(prefix), masked]) if prefix else masked


# Goods a shop sells, as the last word of an order's line item or a catalogue's product name ("Blue Mug", "Tea
# Towel", "Coaster Set", "Canvas Tote Bag"): two capitalised words that read as a first and a last name. A name
# column of which many values end in one of them lists products, not people (classify). Words that are common
# surnames too (Card, Case, Ring, Box, Bell, Glass, Stone) are left out: a person's name column never ends in
# these words as often.
PRODUCT_NOUNS = frozenset(
    """
    mug mugs cup cups tumbler tumblers bottle bottles flask teapot kettle jar jars vase vases bowl bowls plate plates
    towel towels blanket blankets throw pillow pillows cushion cushions rug rugs mat mats coaster coasters apron aprons
    set sets kit kits pack packs bundle bundles sampler combo refill refills
    shirt shirts tshirt tee tees hoodie hoodies sweatshirt sweatshirts sweater sweaters jacket jackets cardigan
    beanie beanies cap caps hat hats socks sock scarf scarves gloves mittens leggings jeans pants shorts skirt dress
    dresses shoes sneakers boots sandals slippers onesie bib
    bag bags tote totes backpack backpacks wallet wallets purse pouch keychain lanyard
    necklace necklaces bracelet bracelets earrings pendant pendants anklet brooch
    candle candles poster posters print prints sticker stickers decal decals magnet magnets postcard postcards
    notebook notebooks journal journals planner planners calendar calendars pen pens pencil pencils bookmark
    mousepad charger chargers cable cables adapter headphones earbuds
    lamp lamps ornament ornaments figurine puzzle puzzles plush toy toys
    soap soaps lotion shampoo conditioner serum balm scrub candy cookies chocolates granola
    giftcard voucher vouchers ebook subscription
    """.split()
)
