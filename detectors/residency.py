"""Residency: MCL 445.63(p) "a resident of this state" and 445.72(1) "each resident of this state".

Evidence is a state column (MI, Michigan, Mich.), a Michigan ZIP code (48001-49971, ZIP+4 accepted), or the same
inside a one-line address. No evidence is "unknown", never silently Michigan or not.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from detectors.common import HeaderContext, computed_once, mentions

CITATION = "MCL 445.72(1)"

# Where somebody works, is taxed as a worker, or does business is not where they live (445.72(1) "resident"):
# the state of unemployment insurance (SUI) or withholding, the work, job, office or employer state, and a
# practice's, clinic's or business's address (a provider table's PRACTICE_ST). A header that also says home or
# residence is about where the person lives (home_office_state, tax_residence_state).
WORKPLACE = (
    r"employer|employment|employee work|work|works|workplace|worksite|job|office|store|branch|practice|clinic|"
    r"facility|hospital|business|company|corporate|corp|firm|agency|duty|sui|sit|withholding|wh|unemployment|"
    r"payroll|tax|taxing|nexus|"
    # Spanish: empresa (company), trabajo / laboral (work), oficina (office), sucursal (branch)
    r"empresa|trabajo|laboral|oficina|sucursal"
)
HOME = r"home|residence|resident|residential|residency|domicile|domicilio|residencia|reside|lives|living"
NOT_HOME = rf"^(?!.*\b({HOME})\b).*\b({WORKPLACE})\b"

STATE = HeaderContext(
    # Spanish estado (state) and provincia: a status column named estado holds no US states, and the values
    # must be states for the column to count.
    positive=r"\b(state|st|state code|province|region|state province|mailing state|home state|res state|"
    r"estado|provincia)\b",
    # (an identity document's state, id_doc_state, is where it was issued)
    negative=r"\b(dl|driver|drivers|licen[cs]e|lic|issuing|issuer|doc|document|status|statement|birth|born|tax state|"
    r"billing country|country|ship from|origin|jurisdiction|of incorporation|"
    r"civil|cuenta|nacimiento|origen)\b|" + NOT_HOME,
)
ZIP = HeaderContext(
    positive=r"\b(zip|zipcode|zip code|postal|postcode|postal code|post code|zip5|zip4|zip plus4|codpostal|"
    r"cpostal)\b",
    negative=r"\b(ship from|origin|birth|nacimiento)\b|" + NOT_HOME,
)
ADDRESS = HeaderContext(
    # Spanish direccion / domicilio (address), calle (street)
    positive=r"\b(address|addr|mailing|street|residence|home address|address1|address line|line1|line 1|"
    r"direccion|domicilio|calle)\b",
    # an address_id is a reference to an address, not one (it must stay a key for link discovery)
    negative=r"\b(email|e mail|ip|mac|web|url|billing email|wallet|correo|electronica|"
    r"id|key|fk|pk|uuid|guid|ref|type|typ|kind|code|cd|status|flag|count|verified|validated|"
    # a nested address's parts (address_city, address_zip) are the city or ZIP, not the street line
    r"city|town|municipality|zip|postal|state|country|county)\b|" + NOT_HOME,
)
# Where a parcel went is not where the buyer lives: a gift shipped to Michigan does not make an Ohio buyer a
# Michigan resident; nor is a utility's service address (premises, a rental, a cottage) where its customer
# lives. A ship-to / delivery / service state or ZIP is residency evidence only for an individual that no other
# column places (docs/counting-rules.md section 5).
SHIPPED_TO = HeaderContext(
    positive=r"\b(ship|shipping|shipto|shipped|delivery|deliver|delivered|recipient|consignee|destination|dest|"
    r"service|svc|premise|premises)\b"
)
# A column about where somebody used to live (previous_state, prior_zip, former_address, PrevAddress,
# moved_from_state, state_prev): weak evidence, like a ship-to state or an ended address-history row. Someone
# who moved from Michigan to Ohio is an Ohio resident (docs/counting-rules.md section 5).
FORMER = HeaderContext(positive=r"\b(previous|prev|prior|former|formerly|old|moved from|move from|earlier)\b")
CITY = HeaderContext(
    # Spanish ciudad (city), municipio, localidad
    positive=r"\b(city|town|municipality|locality|ciudad|municipio|localidad)\b",
    negative=r"\b(birth|nacimiento|id|key|fk|pk|uuid|guid|ref)\b|" + NOT_HOME,
)

# Address history (employee_addresses: effFrom, effTo; addr_hist: end_date; is_current): a row whose validity has
# ended is a former address. Where somebody lived until 2022 is weaker evidence than where they live now: it
# places an individual only when nothing else does, like a ship-to state (docs/counting-rules.md section 5).
# Not card expiry ("exp", "cc_exp"): only words that say an address's or a record's validity ended.
ENDED = HeaderContext(
    positive=r"\b(eff to|effto|effective to|eff end|effective end|end date|end dt|enddate|enddt|valid to|"
    r"valid until|to date|date to|dt to|moved out|move out|move out date|inactive date|superseded)\b",
    negative=r"\b(card|cc|exp|expiry|expiration|expires|contract|policy|coverage|employment|term|job|plan|"
    r"start|from|begin|eff from|effective from|stmt|statement|pay|period|promo|lease|billing|bill|cycle)\b",
)
CURRENT = HeaderContext(
    positive=r"\b(is current|current flag|current ind|curr ind|curr flag|is current address|current address|"
    r"current addr|curr addr|is latest|latest flag)\b",
    negative=r"\b(balance|bal|amount|amt|date|dt|employer|job|plan|status code|period|year|term|month|dpd|due|"
    r"delinquent|delinquency|past)\b",
)
# Only in an address table (employee_addresses, addr_hist, residences), or under a header that names the address
# itself (addr_end_dt, is_current_address): a loan's is_current (= not delinquent), a statement's end date or a
# card's valid_thru say nothing of where anybody lives.
ADDRESS_TABLE = r"\b(addr|addrs|address|addresses|residence|residences|domicile|domiciles|home|homes)\b"
ADDRESS_IN_HEADER = r"\b(addr|address|residence|home)\b"


def former_address_column(column: str, table: str) -> bool:
    """Whether `column` of `table` says, row by row, that the row's address is no longer current."""
    if not (ENDED.says(column) or CURRENT.says(column)):
        return False
    return mentions(table.split("/")[-1], ADDRESS_TABLE) or mentions(column, ADDRESS_IN_HEADER)


# An address table's type column (customer_addresses.address_type = home | billing | shipping): a row typed
# shipping or delivery is where parcels go, weak evidence like a ship-to column (docs/counting-rules.md section 5).
ADDRESS_TYPE = HeaderContext(positive=r"\b(type|typ|kind|use|usage|purpose|category|cat)\b")
DELIVERY_TYPE = r"(?i)\b(ship|shipping|shipto|shipped|delivery|deliver|recipient|gift|destination)\b"


def address_type_column(column: str, table: str) -> bool:
    """Whether `column` of `table` names, row by row, what kind of address the row holds."""
    if not ADDRESS_TYPE.says(column):
        return False
    return mentions(table.split("/")[-1], ADDRESS_TABLE) or mentions(column, ADDRESS_IN_HEADER)


def delivery_type(value: pl.Expr) -> pl.Expr:
    """Whether an address-type value says the row is a shipping / delivery address."""
    return value.str.contains(DELIVERY_TYPE).fill_null(False)


NOT_CURRENT_VALUES = [
    "n",
    "no",
    "false",
    "f",
    "0",
    "former",
    "previous",
    "prior",
    "old",
    "inactive",
    "historic",
]


def ended(value: pl.Expr) -> pl.Expr:
    """Whether an end-of-validity value is a date before the day of the scan (9999-12-31, the open end of slowly
    changing dimension tables, and a future end are no end). An empty or unreadable value ends nothing."""

    def before_today(v: pl.Expr) -> pl.Expr:
        date = pl.coalesce(
            v.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
            v.str.slice(0, 10).str.to_date("%m/%d/%Y", strict=False),
            v.str.slice(0, 8).str.to_date("%Y%m%d", strict=False),
            v.str.to_date("%m/%d/%y", strict=False),
        )
        # before the scan's day: a future end (a lease ending next year, 9999-12-31) is still the current address
        return (date < pl.lit(dt.date.today())).fill_null(False)

    # the trimmed value is read by four date formats: computed once
    return computed_once(value.str.strip_chars(), before_today)


def not_current(value: pl.Expr) -> pl.Expr:
    """Whether a current-address flag says the row's address is not the current one (N, false, 0, former)."""
    return value.str.strip_chars().str.to_lowercase().is_in(NOT_CURRENT_VALUES).fill_null(False)


MICHIGAN, OTHER, UNKNOWN = "michigan", "other", "unknown"

US_STATES = {
    "AL": "alabama",
    "AK": "alaska",
    "AZ": "arizona",
    "AR": "arkansas",
    "CA": "california",
    "CO": "colorado",
    "CT": "connecticut",
    "DE": "delaware",
    "FL": "florida",
    "GA": "georgia",
    "HI": "hawaii",
    "ID": "idaho",
    "IL": "illinois",
    "IN": "indiana",
    "IA": "iowa",
    "KS": "kansas",
    "KY": "kentucky",
    "LA": "louisiana",
    "ME": "maine",
    "MD": "maryland",
    "MA": "massachusetts",
    "MI": "michigan",
    "MN": "minnesota",
    "MS": "mississippi",
    "MO": "missouri",
    "MT": "montana",
    "NE": "nebraska",
    "NV": "nevada",
    "NH": "new hampshire",
    "NJ": "new jersey",
    "NM": "new mexico",
    "NY": "new york",
    "NC": "north carolina",
    "ND": "north dakota",
    "OH": "ohio",
    "OK": "oklahoma",
    "OR": "oregon",
    "PA": "pennsylvania",
    "RI": "rhode island",
    "SC": "south carolina",
    "SD": "south dakota",
    "TN": "tennessee",
    "TX": "texas",
    "UT": "utah",
    "VT": "vermont",
    "VA": "virginia",
    "WA": "washington",
    "WV": "west virginia",
    "WI": "wisconsin",
    "WY": "wyoming",
    "DC": "district of columbia",
    "PR": "puerto rico",
    "GU": "guam",
    "VI": "virgin islands",
    "AS": "american samoa",
    "MP": "northern mariana islands",
    "AA": "armed forces americas",
    "AE": "armed forces europe",
    "AP": "armed forces pacific",
}
# Abbreviations people write besides the USPS code (Mich., Mich)
EXTRA_NAMES = {
    "mich": "MI",
    "mich.": "MI",
    "calif": "CA",
    "calif.": "CA",
    "mass": "MA",
    "penn": "PA",
    "wash": "WA",
}
STATE_LOOKUP = {**{k.lower(): k for k in US_STATES}, **{v: k for k, v in US_STATES.items()}, **EXTRA_NAMES}


def state_code(value: pl.Expr) -> pl.Expr:
    """USPS code for 'MI' / 'Michigan' / 'Mich.' / 'mi'; null for anything else."""
    key = value.str.strip_chars().str.to_lowercase().str.replace_all(r"\s+", " ")
    # a USPS code with a period after it ("MI.", "OH.") is the code
    key = key.str.replace(r"^([a-z]{2})\.$", "${1}")
    return key.replace_strict(STATE_LOOKUP, default=None, return_dtype=pl.String)


def zip5(value: pl.Expr, integer_column: bool = False) -> pl.Expr:
    v = value.str.strip_chars()
    # 02134 stored as an integer is 2134 (the trimmed value, read three times, computed once)
    if integer_column:
        v = computed_once(
            v, lambda v: pl.when(v.str.contains(r"^\d{3,4}$")).then(v.str.zfill(5)).otherwise(v)
        )
    return v.str.extract(r"^(\d{5})(?:[- ]?\d{4})?$", 1)


def zip_is_michigan(z5: pl.Expr) -> pl.Expr:
    return z5.cast(pl.Int32, strict=False).is_between(48001, 49971)


def from_address(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(state code, ZIP5) from a one-line address '12 Main St, Lansing, MI 48933'."""
    tail = value.str.extract(
        r"(?i)[,\s]([A-Za-z][A-Za-z. ]{1,20}?)\.?[,\s]+(\d{5})(?:-\d{4})?\s*(?:,?\s*(USA|US|United States))?\s*$",
        1,
    )
    z = value.str.extract(r"(\d{5})(?:-\d{4})?\s*(?:,?\s*(USA|US|United States))?\s*$", 1)
    st = state_code(tail)
    # "Lansing Michigan 48933": take the last word(s) when the whole tail is not a state
    st = pl.coalesce(st, state_code(tail.str.extract(r"([A-Za-z.]+)$", 1)))
    # "123 Main St, Detroit, MI" (no ZIP): the last comma-separated part, when it is a state
    st = pl.coalesce(st, state_code(value.str.extract(r",\s*([A-Za-z][A-Za-z. ]{1,20}?)\.?\s*$", 1)))
    return st, z


def residency_of(michigan_evidence: pl.Expr, any_evidence: pl.Expr) -> pl.Expr:
    """michigan | other | unknown for one record. Michigan evidence wins: it is the conservative reading."""
    return (
        pl.when(michigan_evidence)
        .then(pl.lit(MICHIGAN))
        .when(any_evidence)
        .then(pl.lit(OTHER))
        .otherwise(pl.lit(UNKNOWN))
    )


# Country: a state abbreviation means a US state only in the United States. 'Mich.' or 'MI' beside country MX is
# Michoacán; 'WA' beside AU is Western Australia. Used once the pipeline classifies country columns (see
# outside_us): until then a record's state and ZIP are read as US ones.
COUNTRY = HeaderContext(
    positive=r"\b(country|ctry|cntry|country code|country cd|country name|nation|pais)\b",
    negative=r"\b(birth|born|origin|origen|citizenship|nationality|nacionalidad|nacimiento|issuing|issuer|"
    r"ship from|bank|card|bin|ip|phone|dial|calling|passport|document|doc|id|visa|license|licence|tax)\b|"
    + NOT_HOME,
)
US_COUNTRY = [
    "us",
    "usa",
    "u.s.",
    "u.s.a.",
    "u s",
    "u s a",
    "united states",
    "united states of america",
    "america",
    "840",
    "estados unidos",
    "estados unidos de america",
    "eeuu",
    "ee.uu.",
    "ee uu",
]


def outside_us(country: pl.Expr) -> pl.Expr:
    """True when a country value names a country other than the United States; null when it is empty.

    A record whose country is outside the US has no US state or ZIP, whatever its state field says: its state
    and ZIP are evidence of another place (residency 'other'), never of Michigan.
    """
    # punctuation and parentheses are not part of the name: "U.S", "USA.", "UNITED STATES (US)"
    key = country.str.to_lowercase().str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars()
    us_names = [re.sub(r"[^a-z0-9]+", " ", c).strip() for c in US_COUNTRY]

    def abroad(k: pl.Expr) -> pl.Expr:
        us = k.is_in(us_names) | k.str.contains(r"\b(united states|estados unidos)\b")
        return pl.when(k.is_null() | (k == "")).then(None).otherwise(~us)

    return computed_once(key, abroad)  # the key is read four times
