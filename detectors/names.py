"""First name or first initial and last name: MCL 445.63(p).

A record has a name only with both parts. Columns are named by their header; values must look like a person's
name. "Smith, John", "John Q. Smith" and "J. Smith" are full names; "Smith" alone, "John" alone or "J. S." are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from detectors.common import PRODUCT_NOUNS, HeaderContext, header_text, mentions, plain_header_tokens

CITATION = "MCL 445.63(p)"

# Columns whose "name" is not a person's: a company, a product, a login ... Mainframe abbreviations (PROD_NM, BR_NM,
# EMPLR_NM) and Spanish exports (nombre_empresa, nombre_usuario, razon_social) too, since "nm" and "nombre" make a
# header a name header.
NOT_A_PERSON = (
    r"\b(company|business|org|organization|organisation|product|item|user|username|login|screen|nick|nickname|"
    r"file|filename|bank|street|city|town|county|country|state|merchant|store|shop|brand|table|column|"
    r"host|hostname|domain|plan|campaign|school|employer|program|project|team|department|dept|group|role|"
    r"display|account|acct|pet|ship|server|app|device|category|event|course|title|middle|maiden|nick|"
    r"legal entity|entity|facility|provider|hospital|clinic|branch|site|location|place|path|dba|trade|"
    r"prod|prd|itm|comp|cmpy|cmpny|corp|firm|biz|bnk|br|brnch|emplr|empr|mrch|mrchnt|svc|srvc|pgm|prog|"
    r"proj|fac|prov|usr|loc|tbl|col|dsply|cty|cnty|ctry|cntry|str|strt|inst|mid|sch|schl|twp|carrier|rpt|report|"
    r"job|task|batch|field|attr|attribute|param|parameter|schema|db|database|sheet|tag|label|"
    r"empresa|compania|sociedad|razon|negocio|comercio|producto|articulo|usuario|banco|calle|ciudad|municipio|"
    r"colonia|pais|estado|tienda|sucursal|escuela|archivo|departamento|proyecto|campana|marca|"
    r"clinica|dominio|equipo|grupo|categoria|evento|curso|titulo|materia|"
    # a shop's, a catalogue's or a CRM's things: an order's line item (Shopify's "Lineitem name"), a product's
    # variant, SKU or option, a menu, a listing, a fund or a security, a property or a venue (until 2026-11-25
    # "Lineitem name" was read as the buyer's name, and a buyer of two products was two people)
    r"lineitem|line item|lineitems|line items|sku|variant|menu|option|listing|offer|package|pkg|bundle|service|"
    r"style|model|color|colour|design|theme|template|form|folder|page|channel|promo|coupon|discount|gateway|"
    r"method|warehouse|venue|room|building|property|vehicle|veh|fund|portfolio|security|asset|currency|"
    r"institution|policy|contract|deal|opportunity)\b"
)
# Spanish words for another person than the row's subject (nombre_conyuge, apellido_beneficiario). common.py's
# OTHER_PERSON_WORDS knows only English roles, so without this the spouse's name would become the subject's: such
# a column is no name of the subject (it stays unclassified until OTHER_PERSON_WORDS learns these roles).
OTHER_PERSON_ES = (
    r"\b(conyuge|esposa|esposo|pareja|hijo|hija|dependiente|beneficiario|beneficiaria|padre|madre|tutor|contacto|"
    r"emergencia|representante|agente|vendedor|empleador|aval|fiador|codeudor|referencia|testigo|medico|asesor|"
    r"ejecutivo|cajero|gerente|titular secundario|cotitular)\b"
)

# Role words that are a person when their values are names ("customer", "holder"); mainframe headers abbreviate
# them (CUST_NM, MBR_NM, EMP_NM) and Spanish exports say cliente, paciente, titular.
ROLES = (
    r"cardholder|holder|insured|patient|applicant|employee|customer|member|subscriber|policyholder|borrower|"
    r"client|person|owner|student|resident|claimant|cust|custmr|mbr|memb|emp|empl|insd|subscr|brwr|clnt|"
    r"cliente|paciente|asegurado|empleado|titular|socio|afiliado|solicitante|alumno|estudiante"
)
# A header's person-name head and what qualifies it. In "account holder first name", "ACCT_FIRST_NM" or
# "policy holder name" the name words are the head and the words before them say whose name it is: a thing's word
# there (account, acct, policy) vetoes only where it is itself the head's owner ("account name", "policy name",
# "Lineitem name": the account's, the policy's, the product's). A head that is a person's name on its own (first
# name, fname, surname, given name) is a name of whoever the qualifier names, as the account's holder of
# ACCT_FIRST_NM; a head that is a name of anything ("name", "nm", and a bare "first" / "last": first_login,
# last_account) is a person's only after a person's word (holder, owner, customer, member ...). Until 2026-11-25
# NOT_A_PERSON's account|acct anywhere in the header refused ACCOUNT_HOLDER_FIRST_NAME and ACCT_HOLDER_LAST, and an
# HSA's or a bank's holders named only so counted for nobody.
PERSON_BEFORE_HEAD = (
    rf"\b({ROLES}|holders|hldr|holdr|hldrs|ownr|owners|accountholder|acctholder|cardhldr|accthldr|"
    r"spouse|beneficiary|bene|guarantor|cosigner|trustee|executor|agent|manager|insd|participant|ptcp|enrollee|"
    r"recipient|payer|payor|payee|debtor|donor|guest|contact person|signer|"
    # the party a parcel, a bill or a sale goes to (ship_to_name, ShipToName, BILL_TO_NM, sold_to_name): "ship"
    # alone is a vessel (ship_name)
    r"(ship|bill|sold|send|deliver|mail|remit) to) $"
)
# Words before the head that still veto: the name's own kind (a middle or maiden name, a nickname, a display name)
# and a column of metadata naming the name column (column_first_name, field_last_name), or a pet's.
NAME_OWN_KIND = (
    r"\b(middle|mid|maiden|nick|nickname|display|dsply|alias|pet|animal|table|tbl|column|col|field|attr|attribute|"
    r"param|parameter|schema|db|database|sheet|tag|label|file|filename|path|report|rpt|template|sample|example|"
    r"test)\b"
)


@dataclass(frozen=True)
class NameHeader(HeaderContext):
    """A name's header context, read by its head (see PERSON_BEFORE_HEAD): `person_head` is a person's name
    whatever qualifies it, `head` is one only after a person's word. `qualified` is the part of `negative` read
    in the words before the head only when they qualify it (NOT_A_PERSON's things); the rest of `negative` vetoes
    anywhere, as HeaderContext's does."""

    person_head: str = r"(?!x)x"
    head: str = r"(?!x)x"
    qualified: str = r"(?!x)x"

    def says(self, name: str) -> bool:
        if not mentions(name, self.positive):
            return False
        if not mentions(name, self.negative):
            return True
        return any(self._qualified_head(text) for text in _texts(name))

    def denies(self, name: str) -> bool:
        return mentions(name, self.negative) and not self.says(name)

    def _qualified_head(self, text: str) -> bool:
        """Whether the header's words name a person's name under its head, the words before it qualifying it."""
        heads = [(m, True) for m in re.finditer(self.person_head, text)]
        heads += [(m, False) for m in re.finditer(self.head, text)]
        for m, personal in heads:  # one entry per head found in one header
            before, rest = text[: m.start()], text[m.start() :]
            if not before or re.search(self.negative, rest) or re.search(NAME_OWN_KIND, before):
                continue
            # the words before the head: only the thing words may be there, and only as its qualifier
            others = re.sub(self.qualified, " ", before)
            if re.search(self.negative, others):
                continue
            if personal or re.search(PERSON_BEFORE_HEAD, before):
                return True
        return False


def _texts(name: str) -> list[str]:
    """The header's words as mentions() reads them: run-together words split, and as written."""
    split, plain = header_text(name), " ".join(plain_header_tokens(name))
    return [split] if plain == split else [split, plain]


FIRST = NameHeader(
    person_head=r"\b(first name|firstname|fname|first nm|frst nm|frst name|fst nm|given name|givenname|forename|"
    r"f name|name first|f nm|fnm|first nme|frst nme|given nm|frstnm|firstnm)\b",
    head=r"\b(first|given|frst|fst|fn)\b",
    qualified=NOT_A_PERSON,
    positive=r"\b(first name|firstname|fname|first nm|frst nm|frst name|fst nm|given name|givenname|forename|first|given|fn|f name|"
    r"name first|f nm|fnm|first nme|frst nme|given nm|"
    # Spanish: nombre(s) is the given name where apellido(s) hold the surname ("Juan Perez" typed into it alone
    # is read as a whole name by the records stage)
    r"nombre|nombres|primer nombre|nombre pila)\b",
    negative=NOT_A_PERSON
    + "|"
    + OTHER_PERSON_ES
    + r"|\b(initial|init|apellido|apellidos|completo|segundo)\b",
)
LAST = NameHeader(
    person_head=r"\b(last name|lastname|lname|last nm|lst nm|lst name|surname|family name|familyname|l name|"
    r"name last|sur name|l nm|lnm|last nme|lst nme|sur nm|surnm|lastnm|lstnm)\b",
    head=r"\b(last|lst|family|ln)\b",
    qualified=NOT_A_PERSON,
    positive=r"\b(last name|lastname|lname|last nm|lst nm|lst name|surname|family name|familyname|last|family|ln|l name|"
    r"name last|sur name|l nm|lnm|last nme|lst nme|sur nm|surnm|"
    # Spanish: apellido paterno (the first surname) and materno are both last names; where both are columns the
    # records stage takes the first non-empty in column order, paterno in every export seen
    r"apellido|apellidos|primer apellido|segundo apellido)\b"
    # LDAP / Active Directory's surname attribute; only as the whole header, since "sn" beside other words is a
    # serial number (device_sn, card_sn)
    r"|^sn$",
    negative=NOT_A_PERSON
    + "|"
    + OTHER_PERSON_ES
    + r"|\b(initial|init|login|seen|modified|updated|visit|four|4|digits|nombre|nombres)\b"
    # "ln" before a number is a line (REG_LN_1, NAME_LN_2: an account registration's lines)
    + r"|\b(reg|registration|regis|regn) |\bln \d\b",
)
INITIAL = NameHeader(
    person_head=r"\b(first initial|first init|f initial)\b",
    head=r"\b(initial|init|fi)\b",
    qualified=NOT_A_PERSON,
    positive=r"\b(first initial|fi|initial|first init|init|f initial)\b",
    negative=NOT_A_PERSON + r"|\b(middle|mi|last)\b",
)
FULL = NameHeader(
    # "name" names anything: a person's only after a person's word (account holder name, ACCT_OWNER_NM, policy
    # holder name), never after a thing's (account name, product name, Lineitem name)
    head=r"\b(name|names|nm|nme|full name|fullname)\b",
    qualified=NOT_A_PERSON,
    # "nm"/"nme": mainframe abbreviations of "name" (CUST_NM, MBR_NM, NM), as "first nm" is for first names.
    # A donor or mailing system's addressee ("Addressee", "Primary Addressee", "Formal Addressee") is the name the
    # letter is addressed to, "Mr. and Mrs. John Jones": a full name (until 2026-11-24 not read, and household
    # constituents named only there counted for nobody).
    positive=rf"\b(name|full name|fullname|names|nm|nme|{ROLES}|beneficiary name|addressee|addressees|"
    r"nombre|nombres|nombre completo)\b"
    # LDAP / Active Directory's common name (cn: "Ian Iles"), only as the whole header (a credit note, a
    # consignment number or China's country code beside other words)
    r"|^cn$",
    negative=NOT_A_PERSON
    + "|"
    + OTHER_PERSON_ES
    + r"|\b(first|last|given|surname|family|fname|lname|id|no|num|number|code|key|type|"
    r"date|email|phone|address|since|status|count|ref|desc|description|segment|tier|class|level|remark|remarks|"
    r"comment|comments|note|notes|primer|segundo|paterno|materno|pila|"
    # a salutation greets ("Dear John", "Mr. Jones", "John and Mary"): a first name or a surname, rarely both,
    # and read as a full name "John and Mary" would be John, surname Mary
    r"salutation|salutations|salut|greeting|dear)\b",
)
# Full-name headers that FULL's word lists would refuse. "Name (Last, First)", "NAME_LAST_FIRST", and alone
# "last_first", "LastFirst", "sortname" (directories and HR systems sort by "Last, First"): a full-name column whose
# header spells out the order. "account_holder": the holder's name, though "account" elsewhere says the column is
# not a person's (account_name, display_name); with "name" written as mainframes and billing systems abbreviate it
# (acct_holder_nm, card_holder_nm, acct_hldr_name) and the account's kind before it (bank_acct_holder_name: an
# autopay's bank account holder, who may be the subscriber's spouse). Until 2026-11-24 acct_holder_nm was not read,
# so the spouse's bank account went to the account's subscriber. The words only as the whole header
# (account_holder_id is none).
HOLDER_NAME = (
    r"(bank |checking |chk |savings |sav |card |credit card |cc |primary |joint |secondary |autopay |ach |"
    r"payment |pmt |billing |bill |dd |direct deposit )?"
    r"(account|acct|acc|accnt|acnt|card|cc) ?(holder|hldr|holdr)s?( full)?( name| nm| nme)?"
)
FULL_ORDERED = HeaderContext(
    positive=r"\bname\b.*\b(last first|first last)\b|\b(last first|first last) name\b|"
    rf"^(last first|lastfirst|first last|firstlast|sortname|sort name|{HOLDER_NAME})$"
)
# An account's title or registration (acct_title, account_title, account_name, registration, reg_line_1,
# title_line1, acct_reg, AcctRegistration): a brokerage's or bank's holds its owner's name with the account's form
# (JOHN A SMITH IRA); a ledger's or a treasury system's its purpose ("Operating Account", "Payroll", "Savings -
# Vacation", "Accounts Receivable"). The header says neither: the values decide (classify, with ACCOUNT_PURPOSE).
# Its first line only: the lines after it hold the second owner, the account's form or the address.
REGISTRATION_HEADER = HeaderContext(
    positive=r"\b(account|acct|acc|accnt|acnt|accts|accounts) ?(title|titles|ttl|titling|registration|reg|regis|"
    r"regn|name|names|nm|nme)\b|\b(registration|registrations|regis|regn)\b|\breg (name|nm|line|ln|title|ttl)\b|"
    r"\b(title|ttl|name|nm|reg|registration) (line|ln) ?1\b",
    negative=r"\b(id|no|num|number|nbr|code|key|type|date|dt|status|count|ref|seq|desc|description|class|level|"
    r"short|nick|nickname|display|user|username|login|product|prod|plan|branch|company|gl|ledger|coa|chart|expense|"
    r"revenue|income|group|category|vehicle|veh|plate|domain|event|course|class|school|server|host|file|table|column|"
    r"field|email|phone|address|addr|city|state|zip|first|last|given|surname|middle|initial|job|fee|fees|"
    r"[2-9])\b",
)
# Words of an account's purpose, never of a person's name (as first or last name read from an account title):
# a bank account's nickname, a ledger's or chart of accounts' name. Given names (Bill, Chase) are not among them;
# a surname that is (Cash, Sales) costs only its own value's share of the column.
ACCOUNT_PURPOSE = (
    r"(?i-u)\b(checking|chk|savings|saving|sav|operating|operations|payroll|expense|expenses|revenue|revenues|income|"
    r"receivable|receivables|payable|payables|cash|petty|reserve|reserves|escrow|deposit|deposits|sales|cost|costs|"
    r"inventory|equipment|supplies|depreciation|amortization|accrued|accrual|accruals|prepaid|utilities|rent|"
    r"earnings|retained|liabilities|liability|assets|asset|equity|capital|interest|dividend|dividends|loan|loans|"
    r"mortgage|credit|debit|fund|funds|money|market|certificate|investment|investments|brokerage|general|main|"
    r"household|vacation|emergency|holiday|christmas|college|tuition|wedding|travel|charges|insurance|tax|taxes|"
    r"wages|salaries|salary|commission|commissions|discount|discounts|returns|allowance|allowances|goodwill|"
    r"clearing|suspense|transfer|transfers|sweep|lockbox|disbursement|disbursements|collections|collection|budget|"
    r"spending|misc|miscellaneous|business|personal|joint|account|accounts|acct|accts|ledger|maintenance|repairs|"
    r"advertising|marketing|postage|telephone|internet|software|subscriptions|dues|meals|entertainment|legal|"
    r"professional|accounting|office|freight|shipping|rental|lease|contributions|donations|grants|payment|payments|"
    r"overdraft|reimbursement|reimbursements|benefits|bonus|bonuses|opening|closing|balance|adjustment|"
    r"adjustments|receipts|payouts|proceeds|settlement|trust|custodial|bank|fees|fee)\b"
)
# Headers that are names only when the values say so (customer, holder ...), unlike an explicit "*name" header
# ("name"/"nm"/"nombre" beside the role word is explicit: CUST_NM needs values like CUSTOMER_NAME does).
FULL_NEEDS_VALUES = rf"^(?!.*\b(name|names|nm|nme|nombre|nombres)\b).*\b({ROLES})\b"

# A letter of any script (Nguyễn, Şahin, Dvořák, Wiśniewska, Łukasz, محمد), with the combining marks written after it
# (José typed as Jose + U+0301: values are normalised to NFC first, and a mark NFC cannot compose still belongs to
# its letter). Latin-1 alone made a column of Polish or Vietnamese surnames no name column, and its rows nobody.
LETTER = r"(?:\p{L}\p{M}*)"
NAME_WORD = r"\p{L}[\p{L}\p{M}'’\-]*"
# A script without initials (Han, Hangul): one character is a whole surname (王, 김), not an initial
WHOLE_SYLLABLE = r"[\p{Han}\p{Hangul}]"
# A nickname inside a first name ('Robert "Bob"', 'Robert (Bob)'): still a first name, and no part of its key
NICKNAME = (
    rf"(\"{NAME_WORD}(\s+{NAME_WORD})*\"|“{NAME_WORD}(\s+{NAME_WORD})*”|\({NAME_WORD}(\s+{NAME_WORD})*\))"
)
SUFFIX_WORDS = r"jr|sr|ii|iii|iv|md|phd|esq|dds"
SUFFIXES = rf"(?i)^({SUFFIX_WORDS})\.?$"  # not "V": far more often an initial than "the Fifth"
# A suffix written after a last name ("Smith Jr.", "Smith, Jr.", "O'Neil III"): part of the value shown, never of
# the key that matches the person across tables (the same John Smith is "Smith" in the next table).
TRAILING_SUFFIX = rf"(?i)(,\s*|\s+)({SUFFIX_WORDS})\.?$"
# A last name: name words, each may end in a period ("St. Clair", "St.Clair", "Smith Jr.")
LAST_NAME = rf"^{NAME_WORD}(\.\s*{NAME_WORD}|\s+{NAME_WORD})*\.?$"
# "Anne St. Clair": "St." / "Ste." / "Saint" joins the word after it into one surname.
SAINT = r"(?i:st|ste|saint|sainte)\.?"
# Words that begin a compound surname ("VAN DYKE M.", "DE LA CRUZ J"): such a value is never LAST FIRST MIDDLE.
PARTICLE = r"(?i)^(van|von|de|del|della|der|den|di|da|du|la|le|st|ste|saint|mc|mac|o|al|el|bin|ben|dos|das|ter|ten)\.?$"
# A "name" ending like this is an organisation, not a person (Acme Holdings LLC, First National Bank).
# Firm designations and kinds of institution: a value ending in one is an organisation (Acme LLC, Lakes Bank,
# Oakland County), whatever precedes it.
DESIGNATION = (
    r"inc|llc|l\.l\.c|ltd|corp|co|company|corporation|llp|pllc|p\.c|pc|lpa|cpas|attorneys|accountants|plc|gmbh|"
    r"holdings|enterprises|industries|solutions|services|associates|partners|foundation|international|realty|motors|"
    r"group|bank|trust|university|college|school|hospital|clinic|agency|department|dept|county|city|township|"
    r"store|shop|restaurant|hotel|treasurer|authority|commission|council"
)
# ... but a few are common surnames too (John Church, Mary Chapel): a value ending in one is an organisation only
# with three words or more, or with "of" / "the" (First Baptist Church, Church of Christ).
INSTITUTION = r"church|chapel|temple|court|office|district"
# Lenders, banks and their servicers, named on a policy's loss-payee, lienholder or mortgagee line, an autopay's
# payee, a 1098's lender: a value with one of these words anywhere is a financial company (Ally Financial, Rocket
# Mortgage, Capital One Auto Finance, Lake Michigan Credit Union, Wells Fargo Bank, N.A.), never a person's name
# (until 2026-11-25 "Ally Financial" and "Rocket Mortgage" were people). Words no given name or surname is; Bank
# and Trust only at the end (DESIGNATION: a Mr. Bank is a person).
FINANCIAL_FIRM = (
    r"financial|finance|financing|mortgage|mortgages|lending|loans|bancorp|bancorporation|"
    r"bancshares|bankshares|banc|credit\s+union|fcu|f\.c\.u|federal\s+credit|servicing|servicer|capital|"
    r"acceptance|leasing|savings|fsb|f\.s\.b|n\.a|securities|brokerage|insurance|assurance|underwriters|"
    r"investments|bankcard|card\s+services|trust\s+co|trust\s+company"
)
# A legal entity's designation names a firm even with a word or two after it, as dealer and carrier systems write a
# business customer ("CARTER INC FLEET", "ACME LLC #2", "MCBRIDE PLC - FLEET"), and any designation before a
# trade name ("ACME LLC DBA ACME MOTORS", "KIM CO D/B/A KIM AUTO"; a person doing business as one, "JOHN SMITH DBA
# SMITH PLUMBING", stays a person). Only the designations no name word is are read before a trailing word (a
# Mr. Company or Mary Group is a person: those count only at the end). Until 2026-11-25 only a value ending in one
# was read so, and a fleet's EIN counted as its contact's SSN.
LEGAL_ENTITY = r"inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|llp|l\.l\.p|lllp|pllc|plc|gmbh"
TRADE_NAME = r"dba|d\s*/\s*b\s*/\s*a|d\.b\.a|t\s*/\s*a|doing business as|trading as"
FIRM = (
    rf"(?i)(\b({FINANCIAL_FIRM})\b\.?)|"
    rf"(\b({DESIGNATION})\.?$)|"
    rf"(\b({LEGAL_ENTITY})\.?,?(\s*[-#(/]?\s*[\w#]+\)?){{1,2}}$)|"
    rf"(\b({DESIGNATION})\.?,?\s+({TRADE_NAME})(\s|\.|:|$))|"
    rf"(^\S+\s+\S+\s+.*\b({INSTITUTION})\.?$)|(\b(of|the)\b.*\b({INSTITUTION})\b)|"
    rf"(\b({INSTITUTION}|{DESIGNATION})\s+of\b)"
)
# A name with "&" is an organisation (Tool & Die, Smith & Wesson, Ernst & Young), save a couple's household name
# (COUPLE below: full_name_parts reads it). As one regex (a last-name value, a count of a column's organisations): any "&".
COMPANY = FIRM + "|&"

# Honorifics before a name are no part of it (445.63(p) "first name ... and last name"): "Mr. John Smith",
# "Dr. Mary Ann O'Neil-Jones", "The Honorable John Smith", and a couple's run of them joined by and / & / slash
# ("Mr. and Mrs. John Jones", "Dr. & Mrs. Peter Kim", "Mr./Mrs. John Jones"). Until 2026-11-24 only the first one
# was dropped, and "Mr. and Mrs. John Jones" was first name "and".
# ("Hon." only with its period: Hon is a given name too)
HONORIFIC = (
    r"(?:(?:mr|mrs|ms|miss|mx|messrs|mmes|dr|drs|prof|rev|revd|reverend|honorable|honourable|sir|fr|capt|col|"
    r"lt|sgt)\.?|hon\.)"
)
HONORIFIC_TITLE = rf"(?:the\s+)?(?:(?:rt|right)\.?\s+)?{HONORIFIC}"
HONORIFICS = rf"(?i)^{HONORIFIC_TITLE}(?:(?:\s*[&/]\s*|\s+and\s+){HONORIFIC_TITLE})*\s+"
# A household written as a couple (a donor's or a mailing list's addressee): one given name (and an initial), "and"
# or "&", the other's given name and the surname they share ("John and Mary Smith", "John & Mary Davis", "John A.
# and Mary B. Smith", "John and Mrs. Mary Jones"). The first person is named: John Smith. Each conjunction is read
# once, the first. The "&" between spaces: "H&R Block" is a firm.
COUPLE = rf"(?i)^(?P<one>{NAME_WORD}\.?(?:\s+{LETTER}\.?)?)\s+(?:and|&)\s+(?P<two>.+)$"
# ... the surname after the second given name (and its initial): null when only a given name follows ("John and
# Mary" names no surname)
SECOND_GIVEN = rf"^\S+(?:\s+{LETTER}\.?)?\s+(?P<last>\S.*)$"
# Two whole names ("John Smith and Mary Jones"): the first is the named person. Only "and": with "&" two words
# and more before it are a firm (Bed Bath & Beyond).
FIRST_OF_TWO = r"(?i)^(?P<one>\S+\s+.+?)\s+and\s+\S.*$"
# A firm named after partners and its trade ("Smith & Wesson Brands", "Jones & Sons Plumbing") has a couple's
# shape: with one of these words after "&" it stays an organisation.
TRADE = (
    r"(?i)\b(brands|supply|supplies|sons|son|daughters|brothers|bros|legal|plumbing|electric|electrical|heating|"
    r"cooling|roofing|construction|builders|building|design|designs|consulting|marketing|media|properties|"
    r"property|management|accounting|tax|insurance|financial|investments|capital|dental|medical|health|pharmacy|"
    r"foods|food|farms|farm|auto|automotive|garage|repair|cleaning|landscaping|painting|printing|studio|studios|"
    r"gallery|cafe|bakery|grill|market|products|works|machine|tool|tools|die|manufacturing|mfg|engineering|"
    r"architects|partnership|ventures|lumber|hardware|pizza|deli|salon|spa|fitness|tire|tires|transport|"
    r"trucking|logistics|railroad|railway|airlines|systems|technologies|software|communications|energy|"
    r"equipment|rentals|sales|imports|trading|distributors|distribution|wholesale|books|records|music|"
    r"entertainment|sports|homes)\.?$"
)
# A sort name written for a couple ("Smith, John & Mary", "SMITH, JOHN A & MARY B"): the surname, a comma, two given
# names (each with an initial) joined by "&" or "and". The first person is named, as in "John & Mary Smith": Smith,
# John. Until 2026-11-25 the "&" made it a firm; a firm named after three partners with a comma and no designation
# ("Walker, Smith & Brown") has the same shape and is read as a person too (the price, as for "WALKER, SMITH AND
# BROWN"; with its designation, "Walker, Smith & Brown PLLC", it is a firm).
GIVEN = rf"{NAME_WORD}\.?(?:\s+{LETTER}\.?)?"
SORTED_COUPLE = rf"(?i)^(?P<one>{NAME_WORD}(?:\s+{NAME_WORD})*\s*,\s*{GIVEN})\s+(?:and|&)\s+{GIVEN}$"
# Two whole names joined by "&" ("JOHN SMITH & MARY SMITH", a joint account's title, "John A Smith & Mary B Jones"):
# the first, as with "and" (FIRST_OF_TWO). Two name words at least on each side, and none of a trade's last: "Bed
# Bath & Beyond", "Barnes & Noble" and "Great Lakes & Pacific Railroad" stay firms.
TWO_NAMES_AMPERSAND = rf"(?i)^(?P<one>{NAME_WORD}\.?(?:\s+{NAME_WORD}\.?){{1,3}})\s+&\s+{NAME_WORD}\.?(?:\s+{NAME_WORD}\.?){{1,3}}$"
# ... and the second person of each (names.second_person): the sort name's surname and second given name, the
# whole name after "&" or "and"
SORTED_COUPLE_SECOND = (
    rf"(?i)^(?P<last>{NAME_WORD}(?:\s+{NAME_WORD})*)\s*,\s*{GIVEN}\s+(?:and|&)\s+(?P<given>{GIVEN})$"
)
TWO_NAMES_AMPERSAND_SECOND = rf"(?i)^{NAME_WORD}\.?(?:\s+{NAME_WORD}\.?){{1,3}}\s+&\s+(?P<two>{NAME_WORD}\.?(?:\s+{NAME_WORD}\.?){{1,3}})$"
SECOND_OF_TWO = r"(?i)^\S+\s+.+?\s+and\s+(?P<two>\S.*)$"
# A household's name with no given name of a person ("The Smith Family", "Smith Household", "Current Residents"):
# no first name, no person's name (445.63(p)).
NO_PERSON = r"(?i)^the\s|\b(family|families|household|households|residents|occupant|occupants)\.?$"
# "BROWN/CRYSTAL", "MORGAN/WANDA K": mainframe LAST/FIRST, the slash in the comma's place. One slash, no comma, and
# a surname of two letters or more before it ("c/o", "and/or", "w/o" and "John/Mary/Ann" are not this form).
LAST_SLASH_FIRST = rf"^[^/,]*{LETTER}{{2}}\.?\s*/\s*{LETTER}[^/,]*$"
NOT_SLASH_NAME = r"(?i)\b(and|or|either|c|w|s)\s*/|/\s*(or|and|o|others?)\b"
NOT_NAMES = ["test", "unknown", "n/a", "na", "none", "null", "anonymous", "customer", "guest", "redacted"]

# ---------------------------------------------------------------- account registrations (brokerage, bank, plans)
# A brokerage's, bank's or retirement-plan record keeper's account title ("registration") is the owner's name with
# the account's form written after it: JOHN A SMITH IRA, JOHN SMITH & MARY SMITH JTWROS, JOHN SMITH TTEE FBO JANE
# SMITH, MARY SMITH CUST FBO TIMMY SMITH UTMA MI, ESTATE OF JOHN SMITH, SMITH FAMILY TRUST. The form's words are no
# part of a name (445.63(p)): read as a surname, "IRA" or "TEN" made the owner a person nobody else's records
# match. Each is matched as a whole word; the ones that are also names (Ira, Tod, Roth) only where no name can be:
# a registration's owner is two words at least, so the words are read only after the first two ("IRA GOLDBERG",
# "TOD SMITH" stay names), and ROTH and SIMPLE only before IRA or a plan ("MARY ROTH" is a surname).
IRA_KIND = (
    r"roth|sep|simple|sarsep|spousal|inherited|inh|bene|beneficiary|rollover|r/o|rlvr|contributory|contrib|"
    r"traditional|trad|conversion|conv|decedent|custodial"
)
RETIREMENT_ACCOUNT = (
    rf"(?:(?:{IRA_KIND})[\s\-]+)*(?:ira|iras|irra|401\s*\(?k\)?|403\s*\(?b\)?|457(?:\s*\(?b\)?)?)"
)
# Words of a plan, a pension or a trust with no person (ACME CORP 401K PLAN, ACME PROFIT SHARING PLAN): a name
# before them is an employer's or a trust's, never the owner's (an organisation, not a name).
PLAN_WORDS = (
    r"plan|plans|pension|profit\s+sharing|psp|mpp|money\s+purchase|retirement|keogh|"
    r"defined\s+benefit|foundation|endowment|trust|trst"
)
# The words that end an owner's name in a registration, written in full or abbreviated as record keepers do.
REGISTRATION_WORDS = (
    rf"{RETIREMENT_ACCOUNT}|sep|rollover|r/o|hsa|esa|coverdell|529|{PLAN_WORDS}|"
    # joint ownership: with right of survivorship, tenants in common, by the entirety, community property
    r"jtwros|jtwrs|jt\s*wros|jtten|jt\s+ten\w*|jt|wros|ten\s+(?:com|ent|in\s+com\w*)|tenants?\s+(?:in|by)|"
    r"joint(?:\s+ten\w*)?|tic|tbe|comm\s+prop|community\s+property|"
    # transfer and payable on death, in trust for
    r"tod|pod|t\.o\.d\.?|p\.o\.d\.?|itf|atf|transfer\s+on\s+death|payable\s+on\s+death|"
    # fiduciaries: trustee, custodian, for the benefit of, executor, guardian, attorney in fact
    r"ttee|ttees|co-?ttees?|tr|trs|trustee|trustees|succ|successor|cust|custodian|c/f|fbo|f/b/o|febo|"
    r"for\s+the\s+(?:exclusive\s+)?benefit|as\s+(?:cust\w*|tt\w*|trustee\w*|exec\w*|admin\w*|guardian|"
    r"conservator|agent|poa|attorney)|exec|executor|executrix|admin|administrator|adm|pers(?:onal)?\s+rep|gdn|"
    r"guardian|conservator|poa|atty|"
    # a trust's agreement and its date (U/A DTD 01/02/2003), a minor's custodial account (UTMA MI, UNDER THE MI
    # UNIF TRANSFERS TO MINORS ACT), an estate, a living trust
    r"u/?a|u/?d|uad|uta|u/t/a|dtd|dated|utma\w*|ugma\w*|unif\w*|minors\s+act|"
    r"under\s+(?:the|[a-z]{2}\s+(?:utma|ugma|unif))|"
    r"rev|revoc|revocable|irrev|irrevocable|living|liv|grantor|estate|est|decd|dec'd|deceased|"
    r"individual|indiv|indv|ind|sole\s+(?:owner|prop\w*)|dba|d/b/a|margin|acct|account"
)
# a word of them, whole: after a space or a comma, before a space, a comma, a period or the end. The words are
# ASCII and matched so ((?-u): ASCII classes and case), which keeps the regexes small: with Unicode case folding the
# words' alternation made every full-name column's reading several times slower to compile.
_REG_WORD = rf"(?-u:(?:{REGISTRATION_WORDS})(?:[\s,.;:)/\-]|$))"
REGISTERED = rf"(?i)(?:^|[\s,(]){_REG_WORD}"
# Words before the owner (ESTATE OF JOHN SMITH, FBO JOHN SMITH, INHERITED IRA JANE SMITH BENE OF JOHN SMITH DECD):
# dropped. A bare "IRA" is not dropped there: IRA GOLDBERG is a name.
LEADING_REGISTRATION = (
    rf"(?i-u)^(?:(?:the|estate\s+of|est\s+of|of|fbo|f/b/o|febo|for\s+the\s+(?:exclusive\s+)?benefit\s+of|"
    rf"(?:(?:{IRA_KIND})[\s\-]+)+(?:ira|iras|401\s*\(?k\)?|403\s*\(?b\)?)|ira\s+(?:fbo|f/b/o|febo|of))[\s,]+)+"
)
# The owner: the words before the first registration word after the first two (a digit ends them too: 401K, a
# date); "cut", the word that ended them. Cut by a plan's or a trust's word (ACME PENSION PLAN, JOHN SMITH TRUST)
# the words are the plan's or the trust's name: an organisation (a person's own trust says so: JOHN SMITH REV
# TRUST, JOHN SMITH TTEE).
REGISTRATION_OWNER = rf"(?i)^(?P<owner>\S+\s+\S+.*?)(?:\s*,?\s+(?P<cut>{_REG_WORD}|\S*[0-9]).*)?$"
PLAN_CUT = rf"(?i-u)^(?:{PLAN_WORDS})[\s,.;:)/\-]*$"
PLAN_WORD = rf"(?i-u)(?:^|\s)(?:{PLAN_WORDS})(?:\s|$)"
# A beneficial owner named after the fiduciary: for the benefit of (FBO), else a custodian's minor (CUST TIMMY
# SMITH UTMA MI, AS CUSTODIAN FOR TIMMY SMITH)
FOR_BENEFIT_OF = (
    r"(?i)(?:^|[\s,])(?:fbo|f/b/o|febo|for\s+the\s+(?:exclusive\s+)?benefit\s+of)[\s,]+(?P<rest>.+)$"
)
CUSTODIAN_FOR = r"(?i)(?:^|[\s,])(?:cust|custodian|c/f)(?:\s+for)?[\s,]+(?P<rest>.+)$"
# A custodial account under a state's Uniform Transfers (or Gifts) to Minors Act: the minor owns it (the account
# is the minor's property and is reported under the minor's SSN), the custodian only manages it.
CUSTODIAL = r"(?i-u)\b(?:utma\w*|ugma\w*|unif\w*\s+(?:trans\w*|gifts?)|minors?\s+act)\b"
# A plain two- or three-word name: what a registration's owner must look like to be chosen over a beneficiary
_PLAIN_OWNER = rf"^{NAME_WORD}\.?,?(?:\s+(?:&|and|{NAME_WORD}\.?,?))+$"


def _letters(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"[^\p{L}\p{M}]", "")


def _nfc(value: pl.Expr) -> pl.Expr:
    """The value with its accents composed: decomposed (Jose + U+0301) and precomposed (José) read alike."""
    return value.str.normalize("NFC")


# Letters that compatibility decomposition leaves whole, as English-language systems write them (Łukasz is keyed
# in as Lukasz, Yılmaz as Yilmaz, Strauß as Strauss).
_UNDECOMPOSED = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
}


def _folded(expr: pl.Expr) -> pl.Expr:
    """Letters only, lower case, accents dropped: the form a name takes in a key that matches one person across
    tables, where one system kept JOSÉ GARCÍA and another Jose Garcia (NFKD splits each accent off its letter,
    and also reads full-width Ｊｏｈｎ as John)."""
    decomposed = expr.str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    return _letters(
        decomposed.str.replace_many(list(_UNDECOMPOSED), list(_UNDECOMPOSED.values()))
    ).name.keep()


def without_suffix(last: pl.Expr) -> pl.Expr:
    """The last name without a trailing generational or professional suffix: 'Smith Jr.' -> 'Smith'."""
    return last.str.replace(TRAILING_SUFFIX, "")


# A first name masked but for its initial ("J***", "M####", "Jxxx"): the initial is still there, and "first
# initial and last name" is a name under 445.63(p). One x is a letter of a name; two or more after one letter are
# a mask.
MASKED_FIRST = rf"^\s*{LETTER}(?:[*•#]+|[xX]{{2,}})\s*$"


def first_part(value: pl.Expr) -> pl.Expr:
    """A first name or first initial: at least one letter, nothing but name characters; of a first name masked
    but for its initial, the initial."""
    f = pl.field
    s = pl.struct(_nfc(value).alias("v"))
    ok = f("v").str.contains(rf"^{NAME_WORD}\.?(\s+({NAME_WORD}\.?|{NICKNAME}))*$") & ~f(
        "v"
    ).str.to_lowercase().is_in(NOT_NAMES)
    first = (
        pl.when(ok)
        .then(f("v").str.strip_chars())
        .when(f("v").str.contains(MASKED_FIRST))
        .then(f("v").str.extract(rf"^\s*({LETTER})", 1))
        .otherwise(None)
    )
    return s.struct.with_fields(first.alias("v")).struct.field("v")


def last_part(value: pl.Expr) -> pl.Expr:
    """A last name: name words with two letters in a row somewhere (an initial, or 'J. S.', is no last name).

    Periods belong to last names ("St. Clair", "Smith Jr."); the suffix is judged apart, so "Jr." alone or
    "X Jr." is no last name, and the value is kept whole for the notice (the key drops the suffix: name_key).
    """
    # staged on a struct: the trimmed value and its core are computed once and read by name at each test
    f = pl.field
    s = pl.struct(_nfc(value).str.strip_chars().alias("v"))
    s = s.struct.with_fields(without_suffix(f("v")).alias("core"))
    ok = (
        f("core").str.contains(LAST_NAME)
        & f("core").str.contains(f"{LETTER}{{2}}|{WHOLE_SYLLABLE}")
        & ~f("v").str.contains(SUFFIXES)
        & ~f("v").str.to_lowercase().is_in(NOT_NAMES)
        & ~f("v").str.contains(COMPANY)
    )
    return s.struct.with_fields(pl.when(ok).then(f("v")).otherwise(None).alias("v")).struct.field("v")


def _owner_of(words: pl.Expr) -> pl.Expr:
    """The owner's words of a registration (REGISTRATION_OWNER) and the word that ended them, as a struct with
    "plan": the words before the owner dropped first (ESTATE OF, FBO). One word and a registration word ("SMITH
    TTEE") name no owner, save the words that are given names and surnames too (John Tod, Smith Ira)."""
    g = words.str.replace(LEADING_REGISTRATION, "").str.strip_chars().str.extract_groups(REGISTRATION_OWNER)
    owner = g.struct.field("owner").str.strip_chars(" ,")
    return pl.struct(
        pl.when(owner.str.contains(rf"(?i)^\S+\s+{_REG_WORD}") & ~owner.str.contains(r"(?i)\s(ira|tod|pod)$"))
        .then(None)
        .otherwise(owner)
        .alias("owner"),
        (
            g.struct.field("cut").str.contains(PLAN_CUT).fill_null(False)
            | owner.str.contains(PLAN_WORD).fill_null(False)
        ).alias("plan"),
    )


def _registration(s: pl.Expr) -> pl.Expr:
    """Stages of full_name_parts reading an account's registration (REGISTERED values only; the others pass
    unchanged): "v" becomes its owner's name, or null where it names no person (a plan, a trust, a firm).

    The owner is the first person named (JOHN SMITH TTEE FBO JANE SMITH: John Smith, the trustee, who holds the
    account), but the minor of a custodial account under a Uniform Transfers or Gifts to Minors Act (MARY SMITH
    CUST FBO TIMMY SMITH UTMA MI: Timmy, whose property it is and whose SSN it is reported under), and the person
    an organisation holds it for (FMT CO CUST IRA FBO JOHN SMITH: John, the IRA's owner).
    """
    f = pl.field
    s = s.struct.with_fields(reg=pl.when(f("v").str.contains(REGISTERED)).then(f("v")))
    s = s.struct.with_fields(
        head=_owner_of(f("reg")),
        beneficiary=_owner_of(
            pl.coalesce(f("reg").str.extract(FOR_BENEFIT_OF, 1), f("reg").str.extract(CUSTODIAN_FOR, 1))
        ),
        custodial=f("reg").str.contains(CUSTODIAL).fill_null(False),
    )
    head, beneficiary = f("head").struct.field("owner"), f("beneficiary").struct.field("owner")
    head_person = (
        head.str.contains(_PLAIN_OWNER)
        & ~f("head").struct.field("plan")
        & ~head.str.contains(FIRM)
        & ~head.str.contains(NO_PERSON)
    ).fill_null(False)
    beneficiary_person = (
        beneficiary.is_not_null()
        & ~f("beneficiary").struct.field("plan")
        & ~beneficiary.str.contains(FIRM)
        & ~beneficiary.str.contains(NO_PERSON)
    ).fill_null(False)
    owner = (
        pl.when(f("custodial") & beneficiary_person)
        .then(beneficiary)
        .when(head_person)
        .then(head)
        .when(beneficiary_person)
        .then(beneficiary)
        .when(f("head").struct.field("plan"))
        .then(None)
        .otherwise(head)
    )
    return s.struct.with_fields(
        v=pl.when(f("reg").is_not_null()).then(owner).otherwise(f("v")),
        registration_plan=f("reg").is_not_null() & owner.is_null() & f("head").struct.field("plan"),
    )


def split_full_name(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(first, last) from 'Smith, John Q.' / 'John Q. Smith' / 'J. Smith' / 'Dr. John Smith Jr.' / 'SMITH J' /
    'EVANS DAVID W' / 'BROWN/CRYSTAL' / 'Anne St. Clair'.

    The two are fields of one struct (full_name_parts), and each expression computes the whole split: where both
    are read over many rows, stage full_name_parts as a column and read its fields "first" and "last".
    """
    parts = full_name_parts(value)
    return parts.struct.field("first"), parts.struct.field("last")


def full_name_parts(value: pl.Expr) -> pl.Expr:
    """A struct whose fields "first" and "last" are the first and last name of a full-name value (see
    split_full_name); its other fields are the stages of the reading.

    Built in stages on one struct (`with_fields` reads the previous stage's fields by name): each intermediate is
    computed once per value. Written as nested expressions, every reading referenced the ones before it again,
    and the full name cost tens of evaluations of the same regexes per value.
    """
    f = pl.field
    s = pl.struct(_nfc(value).alias("v"))
    # honorifics first: the "&" of "Mr. & Mrs. John Jones" is no firm's
    s = s.struct.with_fields(v=f("v").str.replace(HONORIFICS, "").str.strip_chars())
    # an account's registration (JOHN A SMITH IRA, ESTATE OF JOHN SMITH): its owner's name
    s = _registration(s)
    s = s.struct.with_fields(named=f("v"))  # what the couple's readings start from (second_person reads it)
    # a couple's household name ("John and Mary Smith", "John & Mary Davis"): the first person, John Smith; two
    # whole names ("John Smith and Mary Jones"): the first; a couple with no surname ("John and Mary") names nobody
    s = s.struct.with_fields(couple=f("v").str.extract_groups(COUPLE), ampersand=f("v").str.contains("&"))
    s = s.struct.with_fields(
        surname=f("couple")
        .struct.field("two")
        .str.replace(HONORIFICS, "")
        .str.extract(SECOND_GIVEN, 1)
        .str.strip_chars()
    )
    s = s.struct.with_fields(
        is_couple=f("couple").struct.field("one").is_not_null(),
        couple_ok=f("surname").is_not_null()
        & ~(f("ampersand") & f("surname").str.contains(TRADE))
        & (f("v").str.count_matches("&") <= 1),
    )
    # a couple's sort name ("Smith, John & Mary") or two whole names joined by "&" ("JOHN SMITH & MARY SMITH"):
    # the first person, unless a trade ends it (a firm)
    s = s.struct.with_fields(
        amp=pl.when(f("ampersand")).then(f("v"))  # the regexes below read only the values with "&"
    )
    s = s.struct.with_fields(
        first_of_ampersand=pl.when(~f("amp").str.contains(TRADE)).then(
            pl.coalesce(f("amp").str.extract(SORTED_COUPLE, 1), f("amp").str.extract(TWO_NAMES_AMPERSAND, 1))
        )
    )
    s = s.struct.with_fields(
        organisation=f("v").str.contains(FIRM)
        | f("registration_plan")
        | (
            f("ampersand")
            & ~(f("is_couple") & f("couple_ok"))
            & (f("first_of_ampersand").is_null() | f("is_couple"))
        )
    )
    s = s.struct.with_fields(
        v=pl.when(f("organisation") | f("v").str.contains(NO_PERSON))
        .then(None)
        .when(f("is_couple") & f("couple_ok"))
        .then(pl.concat_str([f("couple").struct.field("one"), f("surname")], separator=" "))
        .when(f("is_couple"))
        .then(None)
        .otherwise(pl.coalesce(f("first_of_ampersand"), f("v").str.extract(FIRST_OF_TWO, 1), f("v")))
    )
    # "BROWN/CRYSTAL", "MORGAN/WANDA K": mainframe LAST/FIRST, read as "BROWN, CRYSTAL"
    s = s.struct.with_fields(
        v=pl.when(f("v").str.contains(LAST_SLASH_FIRST) & ~f("v").str.contains(NOT_SLASH_NAME))
        .then(f("v").str.replace(r"\s*/\s*", ", "))
        .otherwise(f("v"))
    )
    s = s.struct.with_fields(
        comma=f("v").str.contains(","),
        before=f("v").str.extract(r"^([^,]+),", 1),
        after=f("v").str.extract(r",\s*(.+)$", 1).str.replace(HONORIFICS, ""),
    )
    # "Smith, John Q." : last name before the comma (unless what follows is only a suffix: "John Smith, Jr.")
    s = s.struct.with_fields(after_is_suffix=f("after").str.contains(SUFFIXES))
    s = s.struct.with_fields(
        words=pl.when(f("comma") & f("after_is_suffix"))
        .then(f("before"))
        .otherwise(f("v"))
        .str.split(" ")
        .list.eval(pl.element().filter((pl.element() != "") & ~pl.element().str.contains(SUFFIXES)))
    )
    s = s.struct.with_fields(
        first_plain=f("words").list.first(),
        last_word=f("words").list.last(),
        joined=f("words").list.join(" "),
        has_two=f("words").list.len() >= 2,
        surname=f("words").list.slice(0, f("words").list.len() - 1).list.join(" "),
    )
    s = s.struct.with_fields(
        # the last word, with a "St." before it ("Anne St. Clair": St. Clair, not a middle name St. and surname Clair)
        last_plain=f("joined").str.extract(rf"^\S+\s+(?:\S+\s+)*?((?:{SAINT}\s+)*\S+)$", 1),
        # "SMITH J" (mainframe style, no comma): a trailing lone initial is the first initial, what precedes it the
        # surname; an initial is never a last name, so this reading is the only one under which the value is a name
        surname_initial=~f("comma")
        & f("has_two")
        & f("last_word").str.contains(rf"^{LETTER}\.?$")
        & (_letters(f("first_plain")).str.len_chars() >= 2),
        # "EVANS DAVID W": three words or more ending in an initial are LAST FIRST MIDDLE-INITIAL, as mainframes
        # write them, unless the value begins with a surname particle ("VAN DYKE M." is VAN DYKE, initial M.)
        lfm=f("joined").str.extract_groups(rf"^(\S+)\s+(\S+)(?:\s+\S+)*\s+{LETTER}\.?$"),
        particle=f("first_plain").str.contains(PARTICLE),
    )
    s = s.struct.with_fields(
        last_first_middle=f("surname_initial") & f("lfm").struct.field("1").is_not_null() & ~f("particle"),
        by_comma=f("comma") & ~f("after_is_suffix"),
    )
    s = s.struct.with_fields(
        first=pl.when(f("by_comma"))
        .then(f("after").str.split(" ").list.first())
        .when(f("last_first_middle"))
        .then(f("lfm").struct.field("2"))
        .when(f("surname_initial"))
        .then(f("last_word"))
        .when(f("has_two"))
        .then(f("first_plain"))
        .otherwise(None),
        last=pl.when(f("by_comma"))
        .then(f("before"))
        .when(f("last_first_middle"))
        .then(f("lfm").struct.field("1"))
        .when(f("surname_initial"))
        .then(f("surname"))
        .when(f("has_two"))
        .then(f("last_plain"))
        .otherwise(None),
    )
    s = s.struct.with_fields(first=first_part(f("first")), last=last_part(f("last")))
    return s


def second_person(value: pl.Expr) -> pl.Expr:
    """The second person a full-name value names beside its first (full_name_parts names the first), as a name
    full_name_parts reads, or null: "JOHN A & MARY B SMITH" and "John and Mrs. Mary Smith" -> "MARY B SMITH",
    "Mary Smith" (the couple's shared surname), "SMITH, JOHN A & MARY B" -> "SMITH, MARY B", "JOHN A SMITH & MARY B
    SMITH" and "John Smith and Mary Jones" -> the second whole name; a joint registration's too ("JOHN SMITH &
    MARY SMITH JTWROS" -> "MARY SMITH"). Null for one person, an organisation (Tool & Die, Smith & Wesson Brands),
    a couple with no surname ("John and Mary") or a household without a given name. The value alone cannot say
    whose the row's elements are: the caller gives this person the row's own columns of the second person (an IRS
    return's name line beside its SpouseSSN)."""
    f = pl.field
    s = full_name_parts(value)
    named = f("named")
    s = s.struct.with_fields(sorted_couple=named.str.extract_groups(SORTED_COUPLE_SECOND))
    s = s.struct.with_fields(
        second=pl.when(f("organisation") | f("v").is_null())
        .then(None)
        .when(f("is_couple"))
        .then(
            pl.when(f("couple_ok")).then(
                f("couple").struct.field("two").str.replace(HONORIFICS, "").str.strip_chars()
            )
        )
        .when(f("ampersand") & named.str.contains(TRADE))
        .then(None)
        .otherwise(
            pl.coalesce(
                pl.concat_str(
                    [f("sorted_couple").struct.field("last"), f("sorted_couple").struct.field("given")],
                    separator=", ",
                ),
                named.str.extract(TWO_NAMES_AMPERSAND_SECOND, 1),
                named.str.extract(SECOND_OF_TWO, 1),
            )
        )
    )
    second = s.struct.field("second")
    parts = full_name_parts(second)
    # only a name of a first name or initial and a last name: what 445.63(p) counts
    return pl.when(parts.struct.field("first").is_not_null() & parts.struct.field("last").is_not_null()).then(
        second.str.strip_chars()
    )


def folded_last(last: pl.Expr) -> pl.Expr:
    """The last name folded for matching: letters only, lower case, no accents, no suffix ("St. Clair Jr." ->
    "stclair", "GARCÍA" -> "garcia", "O'Brien" -> "obrien")."""
    return _folded(without_suffix(last))


def first_key(first: pl.Expr) -> pl.Expr:
    """The first name's first word, folded as folded_last (one letter when only an initial is known).

    One word, however the first name was read: a first-name column holds "John Q." or "Mary Ann" where a
    full name "Khan, Mary Ann" splits to "Mary" and a card vault keeps "John"; the whole value made the same
    person two keys. Hyphens part words too ("Mary-Ann" = "Mary Ann"), and a nickname in quotes or
    parentheses is no word of it ('Robert "Bob"' = "Robert")."""
    without_nickname = first.str.replace_all(r"\"[^\"]*\"|“[^”]*”|\([^)]*\)", " ")
    return _folded(without_nickname.str.extract(r"^[\s\-]*([^\s\-]*)", 1))


def name_key_of(folded_first: pl.Expr, folded: pl.Expr) -> pl.Expr:
    """Last name and first initial, folded: the part of a name two records of one person share. From a first_key
    and a folded_last already computed (staged once as columns: records._combine)."""
    initial = folded_first.str.slice(0, 1)
    return pl.when((initial.str.len_chars() > 0) & (folded.str.len_chars() >= 2)).then(
        pl.concat_str([folded, initial], separator="|")
    )


def full_key_of(folded_first: pl.Expr, folded: pl.Expr) -> pl.Expr:
    """Whole first and last name, folded: for matching name + address (from first_key and folded_last)."""
    return pl.concat_str([folded, folded_first], separator="|")


def organisation(value: pl.Expr) -> pl.Expr:
    """Whether a full-name value names an organisation (a firm's designation, "&" outside a couple's household
    name: "Tool & Die" is one, "Mr. & Mrs. John Jones" and "John & Mary Davis" are not)."""
    return full_name_parts(value).struct.field("organisation").fill_null(False)


def product_like(value: pl.Expr) -> pl.Expr:
    """Whether a value ends in a word of goods (common.PRODUCT_NOUNS: "Blue Mug", "Tea Towel", "Coaster Set",
    "Logo T-Shirt"): an order's line item or a catalogue's product, read as a first and a last name for its two
    capitalised words. A column's share of them decides (classify), never one value's: a Mr. Mug is a person."""
    last = value.str.to_lowercase().str.extract(r"([\p{L}]+)[^\p{L}]*$", 1)
    return last.is_in(sorted(PRODUCT_NOUNS)).fill_null(False)
