"""Social security number: MCL 445.63(p)(i). Redacted when no more than 5 sequential digits show (445.63(r)).

Validity follows the SSA's rules for numbers never issued: area 000, 666 and 900-999, group 00, serial 0000,
numbers the SSA or others published as samples, and the placeholders typed for an unknown number (one digit nine
times, 123-45-6789). An invalid number is not an SSN and is reported as rejected.
"""

from __future__ import annotations

import polars as pl

from detectors import residency
from detectors.base import ElementDetector
from detectors.common import MASK_CHARS, MASK_CLASS, HeaderContext, compact, digits, luhn_valid, mentions

CITATION = "MCL 445.63(p)(i)"

# Headers of a legacy Medicare claim number: HICN, HIC number, Medicare claim number, Medicare number / ID, the
# Railroad Retirement Board's claim number (RRB_NO, rr_claim_no)
MEDICARE_CLAIM_HEADER = (
    r"hicn|hicno|hic|hic (no|num|number|nbr|id)|health insurance claim|"
    r"(medicare|mcare|mcr) (claim|no|num|number|nbr|nmbr|id|hic|hicn)|medicareno|medicareid|medicarenumber|"
    r"rrb|rrb (no|num|number|nbr|id|claim)|railroad (retirement )?(no|num|number|claim)|rr (claim|no|num)"
)

CONTEXT = HeaderContext(
    positive=r"\b(ssn|ssns|ssan|social|soc sec|socsec|ss (no|num|number|nbr)|ssno|ss#|tin|taxpayer|tax id|"
    r"taxpayer id|itin|"
    # a legacy Medicare claim number (HICN, the SSN of the wage earner + a beneficiary code) and the Railroad
    # Retirement Board's (a prefix + the SSN): see HICN_OWN below. The values decide, as for any SSN header: a
    # column of Medicare Beneficiary Identifiers (1EG4-TE5-MK73, since 2018) has no SSN's shape and is none.
    rf"{MEDICARE_CLAIM_HEADER})\b",
    negative=r"\b(order|invoice|inv|ref|reference|phone|tel|fax|zip|postal|routing|aba|upc|sku|ean|gtin|"
    r"tracking|confirmation|po|item|product|ticket|transaction|txn|batch|employee id|"
    # a column saying what kind of number the row's TIN is (TIN_TYPE = 1 / 2, ssn_indicator = Y) holds no number
    r"type|typ|kind|indicator)\b",
    # Whose record it is: beside an SSN word they qualify the person (MEMBER_SSN, POLICY_HOLDER_SSN, claim_ssn is
    # the member's, holder's, claimant's SSN); alone they name the record's own number (member_id, policy_number,
    # claim_no, case_number), which nine digits do not make an SSN.
    qualifier=r"\b(policy|claim|member|case)\b",
)

# Formats a person writes an SSN in: 3-2-4 with one consistent separator, or nine digits.
SHAPE = r"^(\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9})$"
DASHED = r"^\d{3}-\d{2}-\d{4}$"
# NNN-NN-NNNN in digits and mask characters (XXX-XX-1234, 123-45-****, ***-**-6789): see masked_dashed
MASKED_DASHED = rf"^[\d{MASK_CHARS}]{{3}}-[\d{MASK_CHARS}]{{2}}-[\d{MASK_CHARS}]{{4}}$"


def masked_dashed(value: pl.Expr) -> pl.Expr:
    """An SSN written NNN-NN-NNNN with some positions masked and some digits left (no lookaround in polars)."""
    return value.str.contains(MASKED_DASHED) & value.str.contains(MASK_CLASS) & value.str.contains(r"\d")


SAMPLE_NUMBERS = ["078051120", "219099999", "457555462"]  # the set python-stdnum also rejects
# What a form or a data-entry clerk types when the SSN is unknown: one digit nine times (111-11-1111) or the
# counting run 123-45-6789. They stand for no one's number (Presidio's SSN recognizer drops them too); one
# typed for many people would otherwise count each of them as exposed by an SSN that is not theirs.
PLACEHOLDER_NUMBERS = [str(d) * 9 for d in range(10)] + ["123456789"]


# A legacy Medicare claim number (HICN, until the MBI replaced it in 2018-2020; old pharmacy, insurance and
# claims rows keep it) is the SSN of the wage earner whose record entitles the beneficiary, followed by the
# Beneficiary Identification Code (371201187A, 372-90-4410-B1); the Railroad Retirement Board writes its code
# before the number (A371201187, WA371201187). The code says whose SSN the nine digits are (SSA POMS GN 01050.005,
# CMS's BIC table): A, the primary claimant (a retired or disabled worker), is the beneficiary's own; so are the
# uninsured entitlements on one's own record, M and M1 (premium Part A), T (deemed or renal provisions: "in most
# cases ... his or her own SSN with a BIC of T", POMS DI 45001.324) and TA (Medicare qualified government
# employment); and the RRB's A alone (the rail worker's own application). Any other code (B spouse, C1..C9 and
# CA..CZ child, D widow(er), E mother or father, F parent, W disabled widow(er), TB a government employee's
# spouse, the RRB's MA, WA, CA, D ...) carries the wage earner's SSN, not the beneficiary's: another person's number
# whose name the row does not give, counted for no one (rejected with that reason). All nine digits of the
# number show (445.63(r)): with an own code it is the beneficiary's unredacted SSN (445.63(p)(i)).
BIC = r"(?:[A-HJKMTW][A-Z0-9]?)"
HICN_OWN = r"^(?:(\d{9})(?:A|M|M1|T|TA)|A(\d{9}))$"
HICN_OTHER = rf"^(?:\d{{9}}{BIC}|(?:[A-Z]{{1,3}})\d{{9}})$"
# A Medicare Beneficiary Identifier (11 characters, no S, L, O, I, B, Z; 1EG4-TE5-MK73): a random number, no SSN
MBI_LETTER = "AC-HJKMNP-RT-Y"
MBI = rf"^[1-9][{MBI_LETTER}][{MBI_LETTER}0-9]\d[{MBI_LETTER}][{MBI_LETTER}0-9]\d[{MBI_LETTER}]{{2}}\d{{2}}$"
HICN_OTHER_REASON = (
    "a Medicare claim number (HICN) under another person's SSN: its beneficiary code says the nine digits are the "
    "wage earner's (a spouse's, child's or survivor's claim), whom the row does not name"
)
MBI_REASON = "a Medicare Beneficiary Identifier (MBI), no SSN"


def normalize(value: pl.Expr) -> pl.Expr:
    """The value without separators; a Medicare claim number whose beneficiary code says the SSN is the
    beneficiary's own (371201187A, A371201187) is read as those nine digits (HICN_OWN)."""
    c = compact(value)
    own = c.str.to_uppercase().str.extract_groups(HICN_OWN)
    digits9 = pl.coalesce(own.struct.field("1"), own.struct.field("2"))
    return pl.when(digits9.is_not_null()).then(digits9).otherwise(c)


EIN_FORMAT = r"^\d{2}-\d{7}$"  # an employer identification number written as such is a business's number

# A taxpayer identification number column holds an SSN or an EIN, nine digits either way; core banking and payee
# systems say which in a TIN-type column beside it (TIN_TYP, tax_id_type: E / EIN for an employer, S / SSN / I
# for an individual). A row whose type says EIN holds a business's number, not an SSN (445.63(p)(i)), whatever
# its digits; a row of any other or no type is judged as an SSN.
TIN_HEADER = r"\b(tin|tins|tax id|taxpayer|itin|tax ident\w*|tax (no|num|number|nbr))\b"
# (not a bare "tax": tax_cd = E is a tax-exempt code, not an EIN)
TIN_TYPE_HEADER = (
    r"\b(tin|tax id|taxpayer id|taxpayer|tax ident\w*)( (no|num|number|nbr))? "
    r"(type|typ|tp|cd|code|ind|indicator|kind|class)\b"
)
# after upper-casing and removing dots and spaces. `1` is the IRS's code for an EIN in information returns (Pub. 1220,
# "Type of TIN": 1 = EIN, 2 = SSN, ITIN or ATIN), which 1099 and payables systems keep (until 2026-11-25 a sole
# proprietor's EIN typed 1 counted as an SSN)
EIN_TYPE_VALUES = r"^(E|EIN|FEIN|EMPLOYER\w*|BUSINESS\w*|1)$"


# A TIN of an organisation is its EIN, not an SSN (445.63(p)(i) names a "social security number"; an employer
# identification number is none): a table whose rows are organisations by its name (Bullhorn's ClientCorporation,
# companies, employers, businesses, organizations), where an EIN is as often written without its dash (381234567).
# A vendors', payees' or customers' table holds sole proprietors too, whose TIN is their SSN: there a row is an
# organisation's only when its own name is one (ACME LLC, Tool & Die: detectors.names.organisation).
ORGANISATION_TABLE = (
    r"\b(corporation|corporations|corp|corps|company|companies|cmpy|employer|employers|emplr|business|businesses|"
    r"organization|organizations|organisation|organisations|org|orgs|firm|firms|enterprise|enterprises|"
    r"institution|institutions|agency|agencies|legal entity|legal entities)\b"
)
# A TIN header naming a person of the organisation is that person's number (owner_tin, principal_tax_id): their SSN
PERSON_TIN = (
    r"\b(owner|owners|principal|principals|guarantor|officer|signer|signatory|proprietor|sole|member|partner|"
    r"contact|applicant|individual|personal|person|indiv|responsible party|rep|representative|beneficial|ssn|"
    r"social|soc sec)\b"
)
# The row's own name in a table of parties that may be organisations: `name`, `vendor_name`, `legal_name`,
# `company_name` (not `employer_name`: a person's employer names somebody else)
ORGANISATION_NAME = (
    r"^(legal |business |bus |biz |company |entity |org |organization |organisation |corporation |corp |firm |payee |"
    r"vendor |supplier |client |customer |account |registered |dba )?(name|nm|name 1|name1)$"
)


def party_type_column(header: str, classified_as: str) -> bool:
    """Whether a column of a TIN's table says the row's party type (ACCT_TYPE, CUST_TYPE, party_typ): a row typed
    B / Business / Commercial / Fleet (detectors.residency.organisation_type) is an organisation's, and its TIN
    its EIN, not an SSN (445.63(p)(i)). Until 2026-11-25 only the row's name was read, and a carrier's or a
    dealer's business accounts counted their dashless EINs as their contacts' SSNs."""
    return classified_as == "none" and residency.party_type_column(header)


def organisation_table(table: str, column: str) -> bool:
    """Whether a TIN column sits in a table whose rows are organisations, and names no person's number."""
    # (a person's table derived from it, `companies (owner)`, is that person's)
    return mentions(table, ORGANISATION_TABLE) and not mentions(column, PERSON_TIN) and "(" not in table


def ein_by_type(type_value: pl.Expr) -> pl.Expr:
    """Whether a (cleaned) TIN-type value says the row's number is an EIN: 'E', 'EIN', 'E.I.N.', 'Employer'."""
    code = type_value.str.to_uppercase().str.replace_all(r"[.\s_\-]", "")
    return code.str.contains(EIN_TYPE_VALUES).fill_null(False)


# A Canadian Social Insurance Number is nine digits too, Luhn-valid, and Canada writes it in three groups of three
# (046 454 286; an SSN is grouped 3-2-4): a border dealer's or carrier's credit application keeps an Ontario
# applicant's SIN in its SSN field. A SIN is no social security number (445.63(p)(i)). In an SSN column a value
# grouped 3-3-3 is one, and so is a Luhn-valid value not written as an SSN (nine bare digits) on a row its own
# country, province or postal code places in Canada. A value written 3-2-4 there stays an SSN (a US citizen living
# in Canada has one), and nine bare digits elsewhere are judged as an SSN. Until 2026-11-25 SINs counted as SSNs.
SIN_GROUPED = r"^(\d{3} \d{3} \d{3}|\d{3}-\d{3}-\d{3}|\d{3}\.\d{3}\.\d{3})$"
SIN_REASON = "a Canadian Social Insurance Number (grouped 3-3-3, or Luhn-valid on a Canadian row), not an SSN"
SSN_GROUPED = r"^\d{3}[ .-]\d{2}[ .-]\d{4}$"
CANADA_COUNTRY = ["ca", "can", "canada", "124", "ca canada", "canada ca"]
# the row's own place columns whose Canadian value says where the row's person lives
CANADIAN_PLACE_KINDS = ("state", "zip", "address", "country")


def canadian_place_columns(classes) -> list[tuple[str, str]]:
    """The row's own place columns (name, kind) that can place it in Canada: a state / province, postal code,
    one-line address or country column, not a ship-to, service, former or property place."""
    return [
        (c.name, c.classified_as)
        for c in classes
        if c.classified_as in CANADIAN_PLACE_KINDS
        and not residency.SHIPPED_TO.says(c.name)
        and not residency.FORMER.says(c.name)
        and not residency.PART_YEAR.says(c.name)
        and not residency.property_place(c.name)
    ]


def canadian(value: pl.Expr, kind: str) -> pl.Expr:
    """Whether a (cleaned) value of a place column of the given kind is in Canada."""
    if kind == "state":
        return residency.foreign_region(value)
    if kind == "zip":
        return residency.foreign_postal(value)
    if kind == "address":
        return residency.foreign_address(value)
    key = value.str.to_lowercase().str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars()
    return key.is_in(CANADA_COUNTRY).fill_null(False)


def sin_rows(value: pl.Expr, canadian_row: pl.Expr | None) -> pl.Expr:
    """Per row of an SSN column, whether its (cleaned) value is a Canadian SIN: grouped 3-3-3, or on a Canadian row
    nine Luhn-valid digits not grouped as an SSN."""
    grouped = value.str.contains(SIN_GROUPED).fill_null(False)
    if canadian_row is None:
        return grouped
    bare = value.str.contains(r"^\d{9}$").fill_null(False)
    return grouped | (canadian_row.fill_null(False) & bare & luhn_valid(value).fill_null(False))


def rejected_reason(canonical: pl.Expr) -> pl.Expr:
    area, group, serial = canonical.str.slice(0, 3), canonical.str.slice(3, 2), canonical.str.slice(5, 4)
    upper = canonical.str.to_uppercase()
    return (
        pl.when(upper.str.contains(HICN_OTHER))
        .then(pl.lit(HICN_OTHER_REASON))
        .when(upper.str.contains(MBI))
        .then(pl.lit(MBI_REASON))
        .when(~canonical.str.contains(r"^\d{9}$"))
        .then(pl.lit("not 9 digits"))
        .when(canonical.is_in(SAMPLE_NUMBERS))
        .then(pl.lit("published sample number"))
        .when(canonical.is_in(PLACEHOLDER_NUMBERS))
        .then(pl.lit("placeholder number"))
        .when(area == "000")
        .then(pl.lit("area 000 never issued"))
        .when(area == "666")
        .then(pl.lit("area 666 never issued"))
        .when(area.str.starts_with("9"))
        .then(pl.lit("area 900-999 never issued"))
        .when(group == "00")
        .then(pl.lit("group 00 never issued"))
        .when(serial == "0000")
        .then(pl.lit("serial 0000 never issued"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def valid(canonical: pl.Expr) -> pl.Expr:
    return canonical.str.contains(r"^\d{9}$") & rejected_reason(canonical).is_null()


def mask(canonical: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit("***-**-"), digits(canonical).str.slice(-4)])


DETECTOR = ElementDetector(
    element="ssn",
    kind="ssn",
    citation=CITATION,
    context=CONTEXT,
    redaction_limit=5,
    min_positions=9,
    # (a Medicare claim number under another person's SSN is of the shape too: its column is an SSN column, each
    # such value rejected with its reason)
    whole=rf"^\d{{9}}$|(?i){HICN_OTHER}",
    normalize=normalize,
    valid=valid,
    rejected_reason=rejected_reason,
    mask=mask,
    integer_width=9,  # an integer column drops leading zeros: 012-34-5678 was stored as 12345678
    # A spreadsheet drops the zero of one cell as well (045-12-3456 typed as 45123456 beside dashed values). In a
    # column already classified as SSN, those 8 digits are 8 sequential digits of the SSN, more than the 5 that
    # 445.63(r) lets stay accessible: the number is exposed, so it is read as the SSN it pads to.
    one_zero_lost_anywhere=True,
    foreign_format=EIN_FORMAT,
)
