"""Driver licence or state personal identification card number: MCL 445.63(p)(ii).

Michigan licences are one letter and 12 digits (often written S 123 456 789 012); the legacy Michigan state ID
is one letter and 10 digits. Other states use other formats, accepted when the column's header says licence /
state ID or the table has a licence-state column. The shape alone also fits invoice and reference numbers, so
the shape never decides without context. Redacted when no more than 4 sequential digits show (445.63(r)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from detectors import residency
from detectors.base import ElementDetector
from detectors.common import HeaderContext, compact, has_mask, header_text, mentions

CITATION = "MCL 445.63(p)(ii)"

# Words that name a driver licence or state ID card itself: with one of them the header is unambiguous.
EXPLICIT = (
    r"\b(dl|dln|dls|cdl|oln|driver|drivers|driving|operator|operators|chauffeur|state id|id card|stateid|"
    r"identification card|sos|dmv|mvr|bmv)\b"
)
# Licences that are not a driver licence (445.63(p)(ii) names only "driver license" and "state personal
# identification card"): a professional, trade, business, weapons or game licence, or a product key. A header
# naming one is vetoed whatever else it says.
OTHER_LICENCES = (
    r"business|professional|prof|occupational|trade|software|key|product|activation|liquor|alcohol|tobacco|cannabis|"
    r"marijuana|medical|med|nursing|rn|lpn|dental|pharmacy|npi|dea|cds|board|practice|real estate|realty|"
    r"insurance|producer|cosmetology|barber|teaching|teacher|educator|childcare|daycare|builder|electrical|"
    r"plumbing|mechanical|notary|bar|cpa|firearm|firearms|pistol|cpl|ccw|concealed|weapon|hunting|fishing|hunt|"
    r"fish|marriage|dog|pet|vendor|seller|resale|sales tax|tax|broadcast|fcc|faa|pilot|amateur|radio|"
    r"facility|clinic|hospital|agency|employer|company|firm|store|er|emplr|empr|emplyr|"
    r"contractor|provider|practitioner|physician|prescriber|clinician|nurse|dentist|pharmacist|therapist|"
    r"counselor|psychologist|veterinarian|vet|chiropractor|optometrist|attorney|lawyer|realtor|broker|agent"
)
# A holder's own driver licence may carry a profession in its header (provider_dl_no, contractor_dl): the
# people and places among OTHER_LICENCES veto only a header that does not name a driver licence explicitly.
PEOPLE_AND_PLACES = (
    r"\b(facility|clinic|hospital|agency|employer|company|firm|store|contractor|provider|practitioner|physician|"
    r"prescriber|clinician|nurse|dentist|pharmacist|therapist|counselor|psychologist|veterinarian|vet|"
    r"chiropractor|optometrist|attorney|lawyer|realtor|broker|agent|vendor|seller|producer|builder|educator|"
    r"teacher|pilot)\b"
)


# A driver's or operator's row key (a fleet's `driver_id`, an insurer's `policy_driver_id`, `operator_key`): the
# word names whose row it is, not a licence; without a licence word (dl, licence, cdl) it is no licence header.
# A `driver_id` holding Michigan-shaped licences beside a licence-state column is still read by its values.
DRIVER_ROW_KEY = r"\b(driver|operator|chauffeur) (id|key|sk|pk|ref|uuid|guid|seq|code)$"
LICENCE_WORDS = (
    r"\b(dl|dln|dls|cdl|oln|licen[cs]e|licen[cs]es|lic|state id|id card|stateid|identification card)\b"
)


@dataclass(frozen=True)
class LicenceContext(HeaderContext):
    """A licence header: `license_no` alone is ambiguous, and a professional or trade word makes it some other
    licence; an explicit driver-licence word (dl, driver, operator, state ID) keeps the holder's own licence."""

    licence_kinds: str = rf"\b({OTHER_LICENCES})\b"

    def _other_licence(self, name: str) -> bool:
        if not mentions(name, self.licence_kinds):
            return False
        if mentions(name, EXPLICIT):
            # "provider_dl_no": the word names the holder; "dl_medical_cert": the word names another document
            other_than_people = re.sub(PEOPLE_AND_PLACES, " ", header_text(name))
            return re.search(self.licence_kinds, other_than_people) is not None
        return True

    def _row_key(self, name: str) -> bool:
        return mentions(name, DRIVER_ROW_KEY) and not mentions(name, LICENCE_WORDS)

    def says(self, name: str) -> bool:
        return super().says(name) and not self._other_licence(name) and not self._row_key(name)

    def denies(self, name: str) -> bool:
        return super().denies(name) or self._other_licence(name)


# A header whose head noun is a name (name_on_license, name_on_dl, driver_name, dl_name, license_holder_name,
# driver_first_name) is a name column, whatever document it names the name on: the holder's name as the licence
# shows it, not the licence number (445.63(p)(ii)). Until 2026-11-24 such a column was read as licences, its names
# rejected as "not a licence format", and a motor-vehicle-record export named nobody.
NAME_HEAD = (
    r"^(name|nm) (on|of|as|in|per)\b|"
    r"\b(name|names|nm|nme|fname|lname|surname|firstname|lastname|fullname|givenname)( \d{1,2})?$"
)
CONTEXT = LicenceContext(
    positive=r"\b(dl|dln|dls|cdl|oln|driver|drivers|driving|licen[cs]e|licen[cs]es|lic|state id|id card|stateid|"
    r"sid|identification card|operator|operators)\b",
    negative=r"\b(invoice|inv|ref|reference|order|po|sku|tracking|confirmation|serial|part|model|vin|plate|"
    r"expir\w*|exp|date|class|status|type|endorsement\w*|restriction\w*|issued|issue)\b|" + NAME_HEAD,
)
# A table of licensed professionals or businesses (providers, prescribers, vendors, contractors), or one whose
# other columns are a practitioner's registry numbers (NPI, DEA, taxonomy, board certification): there a
# licence column without an explicit driver-licence word is the professional licence. Read by
# professional_licence() below, which needs the table's name and headers (pipeline/classify.py).
PROFESSIONAL_TABLE = (
    r"\b(provider|providers|prov|practitioner|practitioners|physician|physicians|prescriber|prescribers|"
    r"clinician|clinicians|doctor|doctors|nurse|nurses|dentist|dentists|pharmacist|pharmacists|therapist|"
    r"therapists|credential|credentials|credentialing|licensure|npi|dea|vendor|vendors|supplier|suppliers|"
    r"contractor|contractors|subcontractor|subcontractors|broker|brokers|realtor|realtors|agent|agents|"
    r"facility|facilities|clinic|clinics|hospital|hospitals|pharmacy|pharmacies|business|businesses|merchant|"
    r"merchants|establishment|establishments|licensee business|staff credential|medical staff)\b"
)
# The row's own registry number, the header being nothing else: `npi`, `dea_no`, `taxonomy_code` (a patient
# table's `pcp_npi` or `referring_npi` names somebody else's, and says nothing of the table's rows).
PROFESSIONAL_COLUMN = (
    r"^(npi|dea|upin|caqh|taxonomy|specialty|speciality|board certification|board certified)"
    r"( (no|num|number|nbr|id|code|cd))?$"
)


def professional_licence(column: str, table: str = "", headers: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether a licence column is a professional or business licence, by its table: `providers.license_no`,
    or `license_no` beside NPI / DEA / practice columns. Only a header without an explicit driver-licence word
    (dl, driver, operator, state ID) is read this way; `providers.provider_dl_no` stays a driver licence."""
    if mentions(column, EXPLICIT) or not mentions(column, CONTEXT.positive):
        return False
    return mentions(table, PROFESSIONAL_TABLE) or any(
        re.search(PROFESSIONAL_COLUMN, header_text(h)) is not None for h in headers if h != column
    )


# A bare `state_id` names a state's identifier of something: a state personal identification card number
# (445.63(p)(ii)), but as often a school's state student identifier (Michigan's UIC, the ten-digit Unique
# Identification Code the state gives every pupil; Infinite Campus's `stateID`, a SIS export's `sis_state_id`)
# or a key of a states table (1..56, a FIPS code). The latter two are no element:
# - in a table of students (by its name, or a column beside it naming students, pupils, enrollment, school or
#   grade level), unless its values have a Michigan licence / ID card shape (a letter and 12 digits, or the
#   legacy letter and 10: a student's own ID card);
# - anywhere, when every sampled value is ten bare digits and no column of the table names an ID document's
#   issuing state: a Michigan ID card has a letter before its digits, a UIC never has;
# - anywhere, when every sampled value is a bare number of one or two digits: a state's key, not a card
#   number with all but its last digits redacted.
# A header naming the card (state_id_card, state_id_dl, personal_id) is still the card, and a customers table's
# `state_id` holding licence-shaped values still counts.
BARE_STATE_ID = r"\b(state id|stateid)\b"
NAMES_THE_CARD = r"\b(card|identification|dl|dln|driver|drivers|licen[cs]e|lic|personal|photo)\b"
STUDENT_TABLE = (
    r"\b(student|students|stu|stud|pupil|pupils|learner|learners|enrollment|enrollments|enrolment|enrolments|"
    r"enrolled|enroll|sis|school|schools|homeroom|k12)\b"
)
STUDENT_COLUMN = (
    STUDENT_TABLE + r"|^(current )?grade( level| lvl| lev| cd| code)?$|\b(grade level|grad year|graduation)\b"
)
STUDENT_IDENTIFIER = r"^\d{10}$"
# A wage report's state ID (W-2 box 15 "employer's state ID number", a SUTA / withholding account): the employer's
# number with the state, beside the wages it reports
WAGE_REPORT = (
    r"\b(w2|w 2|wage|wages|withholding|withheld|box \d{1,2}|box\d{1,2}|suta|sui|futa|state wages|state tax|"
    r"st wages|st tax|taxable wages)\b"
)
STATE_KEY = r"^\d{1,2}$"


def state_identifier(
    column: str,
    values: pl.Series,
    table: str = "",
    headers: list[str] | tuple[str, ...] = (),
    licence_state_column: bool = False,
) -> str | None:
    """Why a bare `state_id` column holds no ID card numbers (a state student identifier, a state's key); None
    when it may. `values` are the column's sampled values, `headers` the table's column names."""
    if not mentions(column, BARE_STATE_ID) or mentions(column, NAMES_THE_CARD) or values.len() == 0:
        return None
    canonical = pl.DataFrame({"v": values}).select(normalize(pl.col("v")).alias("v")).get_column("v")
    if bool(canonical.str.contains(STATE_KEY).all()):
        return "every sampled value is a number of one or two digits: a state's key or code"
    wages = [h for h in headers if h != column and mentions(h, WAGE_REPORT)]
    if wages or mentions(table, WAGE_REPORT):
        where = f"beside '{wages[0]}'" if wages else f"in table '{table}'"
        return f"it is the employer's state withholding ID of a wage report {where} (W-2 box 15)"
    if canonical.len() >= 3 and canonical.n_unique() == 1:
        return "every sampled value is one and the same number: an organisation's, not each person's card"
    beside = [h for h in headers if h != column and mentions(h, STUDENT_COLUMN)]
    if mentions(column, STUDENT_TABLE) or mentions(table, STUDENT_TABLE) or beside:
        if bool((canonical.str.contains(MICHIGAN) | canonical.str.contains(MICHIGAN_STATE_ID)).any()):
            return None  # a student's own Michigan ID card
        where = f"beside '{beside[0]}'" if beside else f"in table '{table}'"
        return f"it is a state's identifier of a student {where} (Michigan's UIC)"
    if not licence_state_column and bool(canonical.str.contains(STUDENT_IDENTIFIER).all()):
        return (
            "every sampled value is ten bare digits, a state student identifier's shape (Michigan's UIC); a "
            "Michigan ID card has a letter before its digits"
        )
    return None


# A column that names the issuing state of a licence makes a neighbouring number column a licence.
STATE_CONTEXT = (
    r"\b(dl|driver|drivers|licen[cs]e|lic|id) (state|st|jurisdiction|issuer)\b|\bissuing (state|st)\b"
)
NUMBER_HEADER = r"\b(no|num|number|nbr|id|ident|identifier)\b"
# A licence's own issuing-state column (dl_state, LicState, id_doc_state, issuing_state, state_of_issue): where the
# licence was issued. A value it places in Michigan must have Michigan's shape (one letter and 12 digits; the legacy
# ID card's letter and 10): `DKL4821` issued by "MI" is no Michigan licence (a plate, a reference), and read by the
# state column that made the column a licence column it was counted as one until 2026-11-25.
ISSUING_STATE = (
    r"\b(dl|dln|dls|cdl|oln|driver|drivers|licen[cs]e|lic|id|ident|identification|doc|document)( doc| document)? "
    r"(state|st|jurisdiction|juris|issuer)$|\b(issuing|issued|issue) (state|st|jurisdiction)\b|\bstate of issue\b"
)
LICENCE_GENERIC = {
    "dl", "dln", "dls", "cdl", "oln", "driver", "drivers", "driving", "licence", "license", "licences", "licenses",
    "lic", "id", "ident", "identification", "doc", "document", "no", "num", "number", "nbr", "nr", "state", "st",
    "jurisdiction", "juris", "issuer", "issuing", "issued", "issue", "of", "card", "operator", "operators", "sid",
}  # fmt: skip


def licence_stem(header: str) -> tuple[str, ...]:
    """The words of a licence number's or its state's header that say whose licence it is: `dl_number` and
    `dl_state` -> (), `co_dl_no` and `co_dl_st` -> ('co',)."""
    return tuple(w for w in header_text(header).split() if w not in LICENCE_GENERIC)


def michigan_issued(state: pl.Expr) -> pl.Expr:
    """Whether a (cleaned) issuing-state value is Michigan ('MI', 'Michigan', 'Mich.')."""
    return (residency.state_code(state) == "MI").fill_null(False)


def not_michigan_licence(canonical: pl.Expr, issued_in_michigan: pl.Expr) -> pl.Expr:
    """Per row, a whole licence-shaped value (no mask, longer than a truncated last four) that its issuing-state
    column places in Michigan without Michigan's shape: no Michigan licence, nor any other state's."""
    return (
        issued_in_michigan
        & valid(canonical)
        & ~michigan_shape(canonical)
        & ~has_mask(canonical)  # a masked value is judged by the digits it shows (445.63(r))
        & (canonical.str.len_chars() > 4)
        # ten or more digits may be a Michigan licence or ID card exported without its letter: its digits are
        # accessible all the same (445.63(r) lets no more than 4 show), so it still counts
        & (canonical.str.count_matches(r"\d") < 10)
    ).fill_null(False)


NOT_MICHIGAN_LICENCE = (
    "its issuing-state column says Michigan, but it has no Michigan licence / ID card format (a letter and 12 "
    "digits)"
)

# A vehicle's licence plate: parking, citation, towing and registration systems write the plate as `Lic No`,
# `LicNo`, `License` with `Lic State` beside the vehicle's make and colour. A licence header that names no driver
# licence (no dl, driver, operator, state ID) is the plate in a table about vehicles (its name, or vehicle columns
# beside it) that has no plate column of its own, when its values have a plate's length (at most 8 characters, no
# Michigan licence shape): no "driver license number" (445.63(p)(ii)).
VEHICLE_TABLE = (
    r"\b(vehicle|vehicles|veh|vehs|parking|park|citation|citations|cite|cites|ticket|tickets|tkt|tkts|violation|"
    r"violations|viol|tow|tows|towed|towing|impound|impounds|impounded|boot|boots|booted|alpr|lpr|anpr|plate|plates|"
    r"valet|toll|tolls|tollway|permit|permits|registration|registrations|reg|regs|motor vehicle|auto|autos|car|cars)\b"
)
VEHICLE_COLUMN = (
    r"\b(veh|vehicle|vin|make|model|color|colour|body style|body type|plate|tag|axles|gvwr|odometer|"
    r"vehmake|vehcolor|vehmodel)\b"
)
PLATE_NUMBER = r"\b(plate|plates|tag|lpn|vrm|plate no|tag no)\b"
NOT_A_NUMBER = r"\b(state|st|exp|expir\w*|date|dt|year|yr|type|typ|class|color|colour|make|model)\b"
BARE_LICENCE = r"\b(licen[cs]e|licen[cs]es|lic|lic no|licno)\b"
PLATE_LENGTH = 8


def vehicle_plate(
    column: str, values: pl.Series, table: str = "", headers: list[str] | tuple[str, ...] = ()
) -> str | None:
    """Why a licence column is a vehicle's plate (a parking ticket's `LicNo`), or None."""
    if not mentions(column, BARE_LICENCE) or mentions(column, EXPLICIT) or values.len() == 0:
        return None
    others = [h for h in headers if h != column]
    if any(mentions(h, PLATE_NUMBER) and not mentions(h, NOT_A_NUMBER) for h in others):
        return (
            None  # the plate has a column of its own: this one is the driver's licence (a rental agreement's)
        )
    # (a person's eye or hair colour on a driver record is no vehicle's)
    beside = [
        h for h in others if mentions(h, VEHICLE_COLUMN) and not mentions(h, r"\b(eye|eyes|hair|skin)\b")
    ]
    if not (mentions(table, VEHICLE_TABLE) or beside):
        return None
    canonical = pl.DataFrame({"v": values}).select(normalize(pl.col("v")).alias("v")).get_column("v")
    if bool(canonical.str.contains(MICHIGAN).any()) or bool((canonical.str.len_chars() > PLATE_LENGTH).any()):
        return None  # a driver licence's length: no plate has more than 8 characters
    where = (
        f"table '{table}' is about vehicles"
        if mentions(table, VEHICLE_TABLE)
        else f"'{beside[0]}' is beside it"
    )
    return f"{where} and its values have a plate's length: a vehicle's licence plate"


MICHIGAN = r"^[A-Z]\d{12}$"
MICHIGAN_STATE_ID = r"^[A-Z]\d{10}$"
OTHER_STATES = r"^[A-Z0-9]{4,20}$"


def normalize(value: pl.Expr) -> pl.Expr:
    return compact(value).str.to_uppercase()


def michigan_shape(canonical: pl.Expr) -> pl.Expr:
    return canonical.str.contains(MICHIGAN) | canonical.str.contains(MICHIGAN_STATE_ID)


def valid(canonical: pl.Expr) -> pl.Expr:
    """Valid once the column is known to be a licence column: Michigan or another state's format."""
    other = canonical.str.contains(OTHER_STATES) & (canonical.str.count_matches(r"\d") >= 4)
    return michigan_shape(canonical) | other


def rejected_reason(canonical: pl.Expr) -> pl.Expr:
    return (
        pl.when(valid(canonical))
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.lit("not a licence format"))
    )


def mask(canonical: pl.Expr) -> pl.Expr:
    """The first character, stars, the last four: the last four padded to all but one position (no list of stars
    per value; the length is kept at least 1 so that nothing below zero is asked of an unsigned length)."""
    rest = pl.max_horizontal(canonical.str.len_chars(), pl.lit(1, dtype=pl.UInt32)) - 1
    return pl.concat_str([canonical.str.slice(0, 1), canonical.str.slice(-4).str.pad_start(rest, "*")])


DETECTOR = ElementDetector(
    element="drivers_license",
    kind="drivers_license",
    citation=CITATION,
    context=CONTEXT,
    redaction_limit=4,
    min_positions=5,
    whole=OTHER_STATES,
    normalize=normalize,
    valid=valid,
    rejected_reason=rejected_reason,
    mask=mask,
)


# An identity-document pair (id_doc_type + id_doc_number, identification_type + identification_no): student,
# HR and know-your-customer systems keep whichever document was shown in one number column and say which in a
# type column. Rows typed driver licence or state ID hold a licence / ID card number (445.63(p)(ii)); rows of
# another document (passport, military ID, student card) hold no element.
ID_DOCUMENT_NUMBER = r"\b(id|identification|ident|doc|document)( doc| document)? (no|num|number|nbr|nr)\b"
# Form I-9 names the document's kind its "Document Title" (List A / B / C: `listBDocTitle`, `list_a_document_title`),
# other systems its description or name (`doc_desc`, `id_document_name`), ID scanners (Intellicheck, IDScan.net, a
# dealer's F&I scan station) its class (`DocumentClass`, `DOC_CLASS`, `doc_cls` = DL / ID / PP) or category: the
# same type column, read by its values (until 2026-11-25 a class was not read, and a scanner's licences counted
# for nobody).
ID_DOCUMENT_TYPE = (
    r"\b(id|identification|ident|doc|document)( doc| document)? "
    r"(type|typ|tp|kind|cd|code|title|desc|descr|description|name|nm|class|cls|category|categ)\b"
)
# The words of a document pair's headers that say nothing of which document of the row they are: an I-9's
# `list_c_document_number` pairs with `list_c_document_type` (stem "list c"), never with `list_b_document_type`.
DOCUMENT_GENERIC = {
    "id", "identification", "ident", "doc", "document", "type", "typ", "tp", "kind", "cd", "code", "title",
    "desc", "descr", "description", "name", "nm", "class", "cls", "category", "categ", "no", "num", "number",
    "nbr", "nr",
}  # fmt: skip


def document_stem(header: str) -> tuple[str, ...]:
    """The words of a document-pair header that say which document of the row it is (`list_c`, `secondary`,
    `spouse`): `list_c_document_number` and `listCDocType` -> ('list', 'c'); `id_doc_type` -> ()."""
    return tuple(w for w in header_text(header).split() if w not in DOCUMENT_GENERIC)


# A type value is read as words: exports write the same document as `STATE_ID`, `State ID`, `STATE-ID`,
# `ID_CARD`, `DL/ID`, `DRIVERS_LICENSE` (enum names join their words with underscores, which a regex word boundary
# does not split), so the separators become spaces first.
TYPE_SEPARATORS = r"[\s_\-/.,:;|()+&]+"
# A driver licence (any state's, an enhanced or a commercial one), named or abbreviated (DL, DLN, CDL, EDL, OLN)
LICENCE_TYPE_WORDS = (
    r"\b(driver|drivers|driving|licen[cs]e|licen[cs]es|lic|operator|operators|chauffeur|chauffeurs|"
    r"dl|dln|d l|cdl|edl|oln|dlid|real id)\b"
)
# A state personal identification card (445.63(p)(ii)): `STATE ID`, `STATE_ID_CARD`, `STATE IDENTIFICATION`,
# `SID`, `STATEID`, a state's name or code before ID (`MICHIGAN ID`, `MI ID CARD`), or, the value being the
# document type, a bare `ID` / `ID CARD` / `IDENTIFICATION CARD` (ID scanners' classes: DL, ID, PP).
# (the states' names and USPS codes, the longest first: "west virginia" before "virginia")
STATE_WORDS = "|".join(
    sorted(
        {
            w
            for code, name in residency.US_STATES.items()
            if code not in residency.MILITARY
            for w in (code.lower(), name)
        }
        | set(residency.EXTRA_NAMES),
        key=len,
        reverse=True,
    )
).replace(".", r"\.")
STATE_ID_TYPE_WORDS = (
    r"\b(state|st)( issued)? (personal )?(id|ident|identification)( card)?\b|\bstateid\b|\bsid\b|"
    rf"^({STATE_WORDS}) (state )?(id|ident|identification)( card)?$|"
    r"^(personal )?(id|ident|identification)( card)?$"
)
# Documents that are no state's ID card, whatever else the value says: a passport (card), a military, tribal,
# federal or foreign document, a student, employee or member card, an immigration document, a taxpayer number
# (445.63(p)(ii) names a "state personal identification card": a tribal or military ID card is not a state's).
NOT_STATE_ID = (
    r"\b(passport|pp|military|mil|dod|cac|uniformed|armed|veteran|veterans|tribal|tribe|indian|federal|"
    r"foreign|national|consular|consulate|matricula|visa|green card|permanent resident|resident alien|alien|"
    r"uscis|ead|permit|immigration|student|school|university|college|campus|employee|employer|work|company|"
    r"member|membership|insurance|medicaid|medicare|health|voter|birth|social security|ssn|ssa|ein|itin|tin|"
    r"tax|taxpayer|nexus|global entry|twic|mariner)\b"
)
# ...and licences that are no driver licence (a professional, weapons or pilot licence: OTHER_LICENCES), or
# a passport beside a licence word. A foreign driver licence is still a driver licence (445.63(p)(ii) says
# "driver license" of no particular state).
NOT_DRIVER_LICENCE = rf"\b({OTHER_LICENCES}|plate|passport|pp)\b"


# An SSN card (I-9 List C's "Social Security Account Number card"): its number IS the holder's SSN (445.63(p)(i)),
# whichever document it was copied from. A taxpayer number that is no SSN (ITIN, EIN) or a Medicare card is not.
SSN_CARD_TYPE_WORDS = (
    r"\b(social security|soc sec|socsec|social sec|ss card|ss crd|ssn|ssn card|ssa card|ss no|ss num|ss number|ssc)\b|"
    r"^(ss|ssa|social)$"
)
NOT_SSN_CARD = r"\b(itin|ein|fein|tin|medicare|medicaid|railroad|rrb)\b"
# A document's file (`drivers_license.pdf`, `ss_card_scan.JPG`) names a scan, not the type of the row's number
FILE_NAME = r"(?i)\.(pdf|jpe?g|png|gif|bmp|tiff?|heic|webp|docx?|txt)\s*$"


def type_words(type_value: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    """A document-type value as lower-case words (`STATE_ID` -> `state id`, `DL/ID` -> `dl id`): every
    whitespace is a separator, so the ends are stripped of spaces only."""
    return type_value.str.to_lowercase().str.replace_all(TYPE_SEPARATORS, " ").str.strip_chars(" ")


def licence_by_type(type_value: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    """Whether a (cleaned) document-type value says the row's number is a driver licence or state ID card (an
    expression over a column, or a series of sampled values)."""
    words = type_words(type_value)
    licence = words.str.contains(LICENCE_TYPE_WORDS) & ~words.str.contains(NOT_DRIVER_LICENCE)
    state_id = words.str.contains(STATE_ID_TYPE_WORDS) & ~words.str.contains(NOT_STATE_ID)
    return ((licence | state_id) & ~type_value.str.contains(FILE_NAME)).fill_null(False)


def ssn_card_by_type(type_value: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    """Whether a (cleaned) document-type value says the row's number is a Social Security card's, i.e. the
    holder's SSN (`Social Security Card`, `SS_CARD`, `SSN`); never a row typed a licence or state ID."""
    words = type_words(type_value)
    ssn_card = words.str.contains(SSN_CARD_TYPE_WORDS) & ~words.str.contains(NOT_SSN_CARD)
    return (ssn_card & ~licence_by_type(type_value) & ~type_value.str.contains(FILE_NAME)).fill_null(False)


# An ID card header that names no state and no driver licence (`ID_CARD_NUMBER`, `id_card_no`, `card_id_number`)
# is an institution's own card where the header, the table or a column beside it names one: a campus card system
# (CBORD, Transact: ISO number, meal plan, dining dollars), an employee badge, a library or transit card. Those
# cards are no "state personal identification card" (445.63(p)(ii)); until 2026-11-25 the bare "id card" made a
# campus card export's numbers state ID cards. A customers table's `id_card_no` stays a state ID card.
ID_CARD_HEADER = r"\b(id card|idcard|identification card|id crd)\b"
NAMES_A_STATE_OR_LICENCE = (
    r"\b(state|stateid|st|dl|dln|driver|drivers|driving|licen[cs]e|lic|sos|dmv|bmv|mvr|government|govt|gov|"
    # the states by name (their codes are words too: ID, IN, OR, ME)
    "real id|" + "|".join(sorted(residency.US_STATES.values(), key=len, reverse=True)) + r"|mich)\b"
)
INSTITUTION_CARD = (
    r"\b(campus|student|students|stu|university|univ|college|school|dining|meal|meals|cafeteria|canteen|badge|"
    r"badges|employee|employees|staff|faculty|library|transit|iso|prox|proximity|mifare|hid|cbord|transact|"
    r"door|onecard|one card|bursar|flex|declining balance|dining dollars)\b"
)


def institution_card(column: str, table: str = "", headers: list[str] | tuple[str, ...] = ()) -> str | None:
    """Why an `ID card` column holds an institution's card numbers (a campus, employee, library card), or None."""
    if not mentions(column, ID_CARD_HEADER) or mentions(column, NAMES_A_STATE_OR_LICENCE):
        return None
    if mentions(column, INSTITUTION_CARD) or mentions(column, r"\b(member|membership|loyalty|club)\b"):
        return f"its header names an institution's card ('{column}')"
    if mentions(table.split("/")[-1], INSTITUTION_CARD):
        return f"table '{table}' is an institution's card system"
    beside = [h for h in headers if h != column and mentions(h, INSTITUTION_CARD)]
    if beside:
        return f"'{beside[0]}' beside it names an institution's card system"
    return None
