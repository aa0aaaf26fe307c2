"""Residency: MCL 445.63(p) "a resident of this state" and 445.72(1) "each resident of this state".

Evidence is a state column (MI, Michigan, Mich.), a Michigan ZIP code (48001-49971, ZIP+4 accepted), or the same
inside a one-line address. No evidence is "unknown", never silently Michigan or not.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from detectors.common import HeaderContext, computed_once, header_text, mentions

CITATION = "MCL 445.72(1)"

# The words that say which provider of a claim a column is about (BILL_PROV_ST: the billing provider, RNDR_PROV:
# the rendering one, PAYTO_PROV: the pay-to one): the provider's place, never the patient's home.
PROVIDER_QUALIFIER = (
    r"bill|billing|bllg|blg|rndr|rend|rendering|attending|attnd|att|referring|refg|ref|payto|pay to|svc|serv|"
    r"service|servicing|srvc|treating|trtg|ordering|ord|oper|operating|supervising|sprv|prim|primary|pcp|"
    r"facility|fac|network|par|nonpar"
)
# Where somebody works, is taxed as a worker, or does business is not where they live (445.72(1) "resident"):
# the state of unemployment insurance (SUI) or withholding, the work, job, office or employer state, and a
# practice's, clinic's or business's address (a provider table's PRACTICE_ST). A header that also says home or
# residence is about where the person lives (home_office_state, tax_residence_state).
WORKPLACE = (
    r"employer|employment|employee work|work|works|workplace|worksite|job|office|store|branch|practice|clinic|"
    r"facility|hospital|business|company|corporate|corp|firm|agency|duty|sui|sit|withholding|wh|unemployment|"
    r"payroll|tax|taxing|nexus|"
    # collections' place of employment (POE_ST, POE_ZIP: the debtor's employer, for wage garnishment)
    r"poe|place of employment|"
    # where care was given (a claim's place_of_service_state, POS, the rendering provider's, the treatment
    # facility's): not where the patient lives. A utility's service address is the customer's home: not here.
    r"place of service|pos|rendering|provider|treatment|"
    # Spanish: empresa (company), trabajo / laboral (work), oficina (office), sucursal (branch)
    r"empresa|trabajo|laboral|oficina|sucursal|"
    # the abbreviations and forms exports write (until 2026-11-25 only the words above were read, and an agency's
    # AGCY_ST, ADP's "Worked In State", a W-2's box 15 state or a claim's BILL_PROV_ST placed the person): worked /
    # working (ADP "Worked In State"), the employer (EMPLR_ST, EMPR_ZIP, ER_ST as payroll writes ER for employer,
    # an eligibility file's employer group GRP_ST), an agency (AGCY_ST), a facility, hospital, clinic or
    # practice (FAC_ZIP, HOSP_ST, PRAC_ST), a business (BUS_ADDR, BIZ_ST), and the tax state of a W-2 (W2_ST, box
    # 15-20: state and locality wages are reported to), state disability insurance (SDI), a tax jurisdiction and
    # reciprocity state (JURIS_ST, RECIPROCITY_ST; not RECIP_ST, a 1099 recipient's). EMP_ST is not here: EMP is the employee in HR exports (EMP_NM).
    r"worked|working|emplr|empr|emplyr|employer|er|grp|group|agcy|agncy|agy|fac|facil|hosp|clin|prac|pract|"
    r"biz|bus (addr|address|add|st|state|zip|city)|w 2|box (15|16|17|18|19|20)|wage|wages|sdi|juris|jur|"
    r"reciprocity|"
    # a business's own site the customer uses (a fitness chain's HomeClubState, a studio's, a venue's): where the
    # member works out, not where they live (until 2026-11-25 a border club's Michigan state won over the member's
    # Ohio address)
    r"club|clubs|gym|studio|venue|"
    # a car dealer's own place on a deal, buyer's order, title application or temp tag (CDK / Reynolds DEAL_JACKET:
    # DLR_ST, DEALER_STATE, a dealer group's ROOFTOP_ST) and where a sale was made (SALE_LOC_ST, POINT_OF_SALE_ZIP,
    # SALES_LOCATION_ST): the store's, not where the buyer lives (until 2026-11-25 a Michigan rooftop's state made
    # every Ohio and Indiana buyer a Michigan resident). A seller or the selling party is another party (OTHER_PARTY).
    r"dealer|dealers|dealership|dealerships|dlr|dlrs|dlrshp|rooftop|rooftops|point of sale|"
    r"(sale|sales|selling) (loc|locn|location|site|store|office|ofc)|"
    # a provider abbreviated (BILL_PROV_ST, RNDR_PROV_ZIP, PAYTO_PROV_ADDR, PROV_CITY): "prov" is a provider
    # after a provider's qualifier or before a place a province has not (ZIP, address, city); bare PROV or
    # STATE_PROV is a province. "bill" there qualifies the provider, not the subject's billing address.
    rf"({PROVIDER_QUALIFIER}) (prov|provider|prv|prvdr|provdr)|prov (zip|postal|addr|address|add|city|npi|tin)|"
    r"prvdr|provdr|rndr|rend|attending|attnd"
)
HOME = (
    r"home|residence|resident|residential|residency|domicile|domicilio|residencia|reside|lives|lived|living"
)
# Where something happened is not where anybody lives (445.72(1) "resident"): a claim's loss location (LOSS_ST,
# loss_zip, loss_location_state), an accident's, incident's or occurrence's place (accident_state, INCIDENT_CITY,
# OCCURRENCE_ZIP), a collision, an injury, a violation or citation (a traffic ticket's state), a death. Until
# 2026-11-25 an auto claim's loss state joined the policyholder through the policy number, and every Ohio driver
# who crashed in Michigan was a Michigan resident.
EVENT_PLACE = (
    r"loss|losses|accident|accid|acdnt|accdnt|acc loc|incident|incidents|incdnt|incdt|incid|occurrence|occurence|"
    r"occurrance|occur|occurrences|collision|collisions|crash|crashes|injury|injuries|inj|scene|violation|"
    r"violations|viol|citation|citations|offense|offenses|offence|offences|death|accidents"
)
# Where a rented car was picked up or returned is the rental branch's place, not the renter's home (445.72(1)): a
# rental agreement's pickup / return / drop-off location (PU_LOC_ST, RTN_LOC_ST, pickup_state, dropoff_zip,
# CHECKOUT_LOC_ST, OUT_LOC_ST / IN_LOC_ST as Hertz and Avis write the check-out and check-in stations), a rental
# counter, station or outlet. Until 2026-11-25 these were read as the renter's state, and every out-of-state renter
# who picked up a car at Detroit Metro was a Michigan resident. A bare RTN (a routing number) or a return state (a
# tax return's) is not here: only a return's location. (A branch is a WORKPLACE word.)
RENTAL_PLACE = (
    r"pickup|pickups|pick up|pkup|pickup loc|dropoff|drop off|"
    r"(pu|do|rtn|ret|return|returned|drop|rental|rent|out|in|ckout|chkout|checkout|check out|ckin|chkin|checkin|"
    r"check in) (loc|locn|location|branch|brnch|brn|station|stn|site|counter|ctr|outlet|desk|office|ofc)|"
    r"(pu|rtn) (st|state|zip|city|addr|address|cntry|ctry)|counter|station|stn|outlet"
)
# Where a vehicle is registered or plated is the owner's (for a rental car, the fleet's) registration, not where a
# driver or renter lives (445.72(1)): a plate's or tag's state (VEH_PLATE_ST, plate_state, TAG_ST, LIC_PLATE_ST), a
# vehicle's or fleet's place (VEH_ST, fleet_state), a vehicle's registration (VEH_REG_ST; a bare REG_STATE only in
# a table of vehicles or beside a plate or VIN: vehicle_registration). A vehicle's garaging place (GARAGING_ZIP,
# VEH_GARAGE_ST) is where the car is kept, the insured's home: it stays evidence.
VEHICLE_PLACE = (
    r"plate|plates|plt|lic plate|license plate|licence plate|tag|tags|veh|vehicle|vehicles|vin|fleet|car|cars|"
    r"(veh|vehicle|car|plate|tag) (reg|regn|regis|registration|registered)"
)
GARAGING = r"garage|garaged|garaging|garag|gar"
# "home" before a business's site names the customer's usual site, not their home (HomeClubState, home_branch_st,
# home_store_zip)
HOME_SITE = r" (club|clubs|gym|studio|venue|store|branch)\b"
NOT_HOME = (
    rf"^(?!.*\b({HOME})\b(?!{HOME_SITE})).*\b({WORKPLACE}|{EVENT_PLACE}|{RENTAL_PLACE})\b|"
    rf"^(?!.*\b({HOME}|{GARAGING})\b).*\b({VEHICLE_PLACE})\b|"
    # a nonresident state of a tax return (NONRES_ST, NR_STATE): by its name, where the person does not live
    r"\b(nonresident|nonres|non resident|non res|nr st|nr state|nr states)\b"
)

# Another party's place is not the subject's home either (445.72(1) "resident"): a state, ZIP, address or city
# column whose header names somebody else than the row's subject is where that party is. A collection file's
# debtor attorney (ATTY_ST), a decedent's executor or personal representative, a trustee or attorney-in-fact (POA),
# the references, relatives, next of kin, roommate and former landlord of a rental or credit application, a
# donation's honoree, the person to notify of a tribute, a soft credit's or acknowledgement's constituent, staff and
# firms (an agent's, broker's or loan officer's office, a merchant's, bank's, court's or school's address). Until
# 2026-11-24 only a header that led with a role word of detectors.common (GUARANTOR_ST) was read so, and the
# attorney's Michigan office made an Ohio debtor a Michigan resident. The subject's own words (customer_, debtor_,
# applicant_, member_, patient_, home_, mailing_, billing_) name no other party, and a table whose rows are the
# party (attorneys.atty_st, references.reference_state) holds the subject's own place (other_partys_place).
OTHER_PARTY = (
    # legal and estate: attorney (atty, attny), executor, personal / estate representative, trustee, attorney-in-fact
    r"attorney|attorneys|atty|attny|attys|lawyer|counsel|executor|executrix|executors|administrator|administratrix|"
    r"estate rep|estate representative|personal rep|personal representative|trustee|trustees|poa|"
    r"power of attorney|conservator|fiduciary|guardian|guarantor|guar|gtor|cosigner|beneficiary|bene|"
    # people named on an application or a file: references, relatives, next of kin, roommate, landlord, contacts
    r"reference|references|relative|relatives|kin|nok|roommate|roommates|landlord|landlords|neighbor|"
    r"neighbour|friend|witness|notary|emergency|emrg|emerg|parent|mother|father|"
    # fundraising: a tribute's honoree and the person to notify, a soft credit's or an acknowledgement's constituent
    r"notify|notifee|honoree|honouree|tribute|memorial|soft credit|acknowledgee|acknowledgees|"
    # staff and firms: their places are workplaces
    r"agent|rep|representative|broker|advisor|adviser|preparer|officer|manager|supervisor|recruiter|salesperson|"
    r"vendor|merchant|seller|sellers|selling|creditor|lender|servicer|collector|court|plaintiff|insurer|carrier|"
    r"bank|school|college|"
    r"university|physician|doctor|pcp|pharmacy|referrer|referral|"
    # an insurance policy's other parties (until 2026-11-25 not read, and the Detroit lender of a carrier's whole
    # out-of-state book made every insured a Michigan resident): the mortgagee, lienholder, loss payee and lessor
    # named in the mortgage or loss-payable clause (MORTGAGEE_ST, LIENHOLDER_ZIP, LIEN_ST, LOSS_PAYEE_ST,
    # LESSOR_ST, a leasing or finance company), an additional insured or interest and a certificate holder
    # (ADDL_INSD_ST, ADDL_INT_ZIP, CERT_HOLDER_ST), the producer or agent (PRODUCER_ST, AGT_ST), the assignee
    r"mortgagee|mortgagees|mtgee|mortgage holder|mortgage co|mortgage company|mtg co|lienholder|lienholders|"
    r"lien holder|lienhldr|lien hldr|lienhold|lien|lienor|loss payee|lessor|lessors|leasing|leasing co|"
    r"leasing company|lease co|lease company|finance co|finance company|fin co|finco|lndr|lendor|"
    r"additional insured|additional insureds|addl insured|addl insd|add insured|add insd|addtl insured|"
    r"addtl insd|additional interest|addl interest|addl int|addl intrst|certificate holder|cert holder|"
    r"cert hldr|producer|producers|agt|agts|assignee|"
    # a payment's other end: whom a garnishment, levy or support order is remitted to (REMIT_ST, REMIT_TO_ZIP, a
    # State Disbursement Unit SDU_ADDR, DISB_UNIT_ST), its payee, obligee or garnishor (PAYEE_ST, OBLIGEE_ZIP),
    # the levying or issuing agency (LEVY_ST, ISSUING_AGENCY_ST), a claim's pay-to provider (PAYTO_ST)
    r"remit|remits|remittance|remitto|remittee|payee|payees|payto|pay to|disbursement|disbursements|disb|"
    r"disburse|disbursing|sdu|obligee|obligees|garnishor|levy|levying|levier|issuing agency|"
    # a claim's provider (PROV_ST in a claims table, PROVIDER_ZIP): the provider's practice
    r"provider|providers|prvdr|provdr|rndr"
)
# Abbreviations of a party, spelled out to compare with a table's name (attorneys.atty_st is the attorney's own)
PARTY_ALIASES = {
    "atty": "attorney",
    "attny": "attorney",
    "attys": "attorney",
    "lawyer": "attorney",
    "poa": "attorney",
    "power of attorney": "attorney",
    "executrix": "executor",
    "administratrix": "administrator",
    "estate rep": "representative",
    "estate representative": "representative",
    "personal rep": "representative",
    "personal representative": "representative",
    "rep": "representative",
    "guar": "guarantor",
    "gtor": "guarantor",
    "bene": "beneficiary",
    "ref": "reference",
    "nok": "kin",
    "emrg": "emergency",
    "emerg": "emergency",
    "honouree": "honoree",
    "notifee": "notify",
    "pcp": "physician",
    "mortgagees": "mortgagee",
    "mtgee": "mortgagee",
    "mortgage holder": "mortgagee",
    "mortgage co": "mortgagee",
    "mortgage company": "mortgagee",
    "mtg co": "mortgagee",
    "lienholders": "lienholder",
    "lien holder": "lienholder",
    "lienhldr": "lienholder",
    "lien hldr": "lienholder",
    "lienhold": "lienholder",
    "lien": "lienholder",
    "lienor": "lienholder",
    "loss payee": "payee",
    "leasing": "lessor",
    "leasing co": "lessor",
    "leasing company": "lessor",
    "lease co": "lessor",
    "lease company": "lessor",
    "finance co": "lender",
    "finance company": "lender",
    "fin co": "lender",
    "finco": "lender",
    "lndr": "lender",
    "lendor": "lender",
    "additional insureds": "additional insured",
    "addl insured": "additional insured",
    "addl insd": "additional insured",
    "add insured": "additional insured",
    "add insd": "additional insured",
    "addtl insured": "additional insured",
    "addtl insd": "additional insured",
    "additional interest": "additional insured",
    "addl interest": "additional insured",
    "addl int": "additional insured",
    "addl intrst": "additional insured",
    "certificate holder": "certificate holder",
    "cert holder": "certificate holder",
    "cert hldr": "certificate holder",
    "producer": "agent",
    "agt": "agent",
    "agts": "agent",
    "remit": "payee",
    "remits": "payee",
    "remittance": "payee",
    "remitto": "payee",
    "remittee": "payee",
    "payto": "provider",
    "pay to": "payee",
    "disbursement": "payee",
    "disb": "payee",
    "disburse": "payee",
    "disbursing": "payee",
    "sdu": "payee",
    "obligee": "payee",
    "garnishor": "creditor",
    "levy": "agency",
    "levying": "agency",
    "levier": "agency",
    "issuing agency": "agency",
    "prvdr": "provider",
    "provdr": "provider",
    "rndr": "provider",
    "prov": "provider",
    "selling": "seller",
}
# A table whose rows are paid (a 1099 vendor file, payees, suppliers, contractors, recipients) holds its rows' own
# places under PAYEE_ST or REMIT_ADDR: the payee is the subject there
PAYEE_TABLE = r"\b(1099\w*|payee|payees|vendor|vendors|supplier|suppliers|contractor|contractors|recipient|recipients)\b"
# A claim's or a provider directory's PROV_ST (the provider's state): in such tables "prov" is the provider, not
# a province (bare PROV, STATE_PROV, PROV_CD elsewhere are provinces)
PROVIDER_TABLE = (
    r"\b(clm|clms|claim|claims|encounter|encounters|enc|svc|service|services|remit|remits|remittance|835|837|"
    r"provider|providers|prov|provs|prvdr|npi|physician|physicians|practitioner|practitioners|ln|line|lines|"
    r"hdr|header)\b"
)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _party(words: str) -> str:
    return PARTY_ALIASES.get(words, _singular(words) if " " not in words else words)


def other_partys_place(column: str, table: str = "") -> str | None:
    """The party whose place a column is ('attorney' for ATTY_ST, 'landlord' for PREV_LANDLORD_ST, 'honoree' for
    HONOREE_STATE), or None when its header names no party other than the row's subject. A table whose rows are
    that party (attorneys, references, landlords) holds its rows' own places: None there."""
    # a bare "ref" only before the place (REF1_ST, ref_zip): after it (state_ref) it is a reference to a state
    text, own = header_text(column), header_text(table.split("/")[-1])
    found = re.search(rf"\b({OTHER_PARTY})\b|^(ref)\b", text)
    if found is None:
        # PROV_ST, PROV_STATE of a claim: the provider's
        if re.search(r"^prov (st|state)$", text) and re.search(PROVIDER_TABLE, own):
            return "provider"  # (in a providers table too: the practice is a workplace, as PROVIDER_ST there)
        return None
    party = _party(found.group(1) or found.group(2))
    rows = " ".join(_party(w) for w in own.split())
    # (multi-word parties are compared with the table's words singular: additional_insureds)
    rows_singular = " ".join(_party(_singular(w)) for w in own.split())
    if re.search(rf"\b{re.escape(party)}\b", rows) or re.search(rf"\b{re.escape(party)}\b", rows_singular):
        return None
    if party == "payee" and re.search(PAYEE_TABLE, own):
        return None
    return party


# A table whose rows are places that are no one's home: a state tax election, withholding, SUI / SIT / SDI,
# W-4 or tax-jurisdiction table (ee_st_tax_elect, emp_wh_states, sui_rates, tax_jurisdictions: one row per state
# the employer withholds or reports for, the work state among them), or a table of losses, accidents or incidents
# (clm_loss_loc, accidents). Its bare place columns (st, state, zip, city, address) are that place, not the
# person's residence (445.72(1)); a place column that says home or residence stays the person's. Until 2026-11-25
# only headers were read, and the nonresident work state of every out-of-state employee working in Michigan made
# them a Michigan resident. A resident indicator in a tax table (res_ind, resident_flag, is_resident) says, row
# by row, which state is the residence: there the state is read, and a row flagged N is not the person's current
# residence (weak evidence, as a former address: former_address_column).
TAX_TABLE = (
    r"\b(withholding|withholdings|wh (st|state|states|tax|taxes)|(st|state) wh|whldg|wthld|wthd|sit|sui|sdi|suta|w 4|jurisdiction|"
    r"jurisdictions|juris|jur|nexus|reciprocity|taxes|(tax|taxing) (st|state|states|elect|election|setup|"
    r"jurisdiction|juris|jur|code|codes|locality|localities|loc|locs)|(st|state|states|local|locality) (tax|taxes))\b"
)
EVENT_TABLE = rf"\b({EVENT_PLACE})\b"
BARE_PLACE = (
    r"^(st|state|state cd|state code|st cd|state abbr|st abbr|zip|zip code|zipcode|zip 5|zip5|postal|postal code|"
    r"city|county|addr|address|addr 1|address 1|address line 1|line 1|street|locality|loc|location)$"
)
RESIDENT_FLAG = HeaderContext(
    positive=r"\b(res ind|res flag|res cd|res code|res status|res sts|resident|resident ind|resident flag|"
    r"resident cd|is resident|residency|residency ind|residency status|resident status|resident yn|res yn)\b",
    negative=r"\b(non|nonres|nonresident|nr|part|partial|py)\b",
)


def table_place(column: str, table: str, headers=()) -> str | None:
    """What place a bare place column (st, state, zip, city) of a table of places that are no one's home is: 'a
    tax jurisdiction' (ee_st_tax_elect.st), 'the loss's place' (accidents.state); None where the column is the
    person's (any other table, a header with more words, a tax table with a resident indicator)."""
    text, own = header_text(column), header_text(table.split("/")[-1])
    if vehicle_registration(column, table, headers):
        return "a vehicle's registration (where the car is registered, not where a driver lives)"
    if not re.search(BARE_PLACE, text):
        return None
    if re.search(TAX_TABLE, own):
        if any(RESIDENT_FLAG.says(h) for h in headers):
            return None
        return "a tax jurisdiction (withholding, SUI / SIT, election) of the employer"
    if re.search(EVENT_TABLE, own):
        return "where the loss, accident or incident happened"
    return None


# A bare registration state (REG_ST, registration_state, regn_zip) is a vehicle's in a table of vehicles or rentals
# (vehicles, fleet, rental_agreements, auto_policies) or beside a plate or a VIN; elsewhere it may be a voter's
# registration, which is where the voter lives.
REGISTRATION_PLACE = (
    r"^(reg|regn|regis|registration|registered|regd) (st|state|state cd|state code|st cd|zip|zip code|city|"
    r"addr|address|province|prov)$|^(st|state|zip) (of )?(reg|regn|registration)$"
)
VEHICLE_TABLE = (
    r"\b(veh|vehicle|vehicles|fleet|fleets|car|cars|auto|autos|automobile|automobiles|truck|trucks|rental|rentals|"
    r"rental agreement|rental agreements|ra|dmv|title|titles|motor|motor vehicle)\b"
)
VEHICLE_HEADER = (
    r"\b(plate|plates|plt|lic plate|license plate|licence plate|tag no|tag nbr|tag num|vin|veh|vehicle)\b"
)


def vehicle_registration(column: str, table: str, headers=()) -> bool:
    """Whether a bare registration place (reg_state) is a vehicle's: in a table of vehicles or rentals, or beside a
    plate or VIN column (a voter's registration state elsewhere is where the voter lives)."""
    if not re.search(REGISTRATION_PLACE, header_text(column)):
        return False
    if re.search(VEHICLE_TABLE, header_text(table.split("/")[-1])):
        return True
    return any(re.search(VEHICLE_HEADER, header_text(h)) for h in headers)


def resident_flag_column(column: str, table: str) -> bool:
    """A tax-jurisdiction table's resident indicator (ee_st_tax_elect.res_ind): N says the row's state is not
    where the person lives."""
    return bool(re.search(TAX_TABLE, header_text(table.split("/")[-1]))) and RESIDENT_FLAG.says(column)


STATE = HeaderContext(
    # Spanish estado (state) and provincia: a status column named estado holds no US states, and the values
    # must be states for the column to count.
    # (Banner's STAT_CODE is the state; a status code's values are no states, and the values must be)
    positive=r"\b(state|st|state code|stat code|stat cd|province|region|state province|mailing state|home state|res state|"
    r"estado|provincia)\b",
    # An identity document's state is where it was issued, not where its holder lives: a state named by the
    # document (id_doc_state, dl_state, passport_state, identification_state, id_state and id_st beside
    # id_type / id_number) or by its issue (issuing_state, issued_state, state_of_issue). Until 2026-11-24 an
    # id_state was read as residence. (`state_id` is another thing: a key or a state identifier, read by values.)
    negative=r"\b(dl|dln|dls|cdl|oln|driver|drivers|licen[cs]e|lic|passport|identification|ident|issuing|issuer|"
    r"issued|issue|doc|document|status|statement|birth|born|tax state|"
    r"\bid (state|st|state code|state cd|province|prov|region)\b|"
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
    r"service|svc|premise|premises|"
    # a wireless line's E911 address (47 CFR 9.10's registered location: where the device is used, a Wi-Fi
    # calling address) and its place of primary use (PPU, 4 U.S.C. 124: where the line's taxes are sourced) are
    # places of the service like the service address, not proof of where the subscriber lives (until 2026-11-25 a
    # snowbird's Michigan cottage on E911_ST made an Ohio subscriber a Michigan resident)
    r"e 911|911|registered location|registered loc|reg location|reg loc|ppu|place of primary use|primary use)\b"
)
# An organisation's address is where the organisation is, nobody's home (445.72(1) counts residents): a row that
# names a company and no person (a business customer, the firm a cardholder's card was issued to) places nobody,
# and lends no place to the people linked to it. The organisation is named by a column whose header says so
# (company_name, business_name, org_name, legal_entity_name, dba_name, razon_social, nombre_empresa, cust_company),
# by a name column's value (Acme Holdings LLC: detectors.names' firm designations), or by a type column saying
# the row's party is a business (customer_type = Business, party_type = Organization).
ORGANISATION_WORDS = {
    "company", "companies", "business", "bus", "biz", "org", "organization", "organisation", "firm", "corporation",
    "corporate", "corp", "entity", "dba", "trade", "cmpy", "cmpny", "empresa", "compania", "sociedad", "razon",
    "negocio",
}  # fmt: skip
NAME_OF = {"name", "nm", "nme", "nombre", "social", "dba"}
# a header of one organisation word (company, business, organization) holds the organisation's name
ORGANISATION_ALONE = {"company", "business", "organization", "organisation", "firm", "corporation", "empresa"}
# the other words such a header has: the name's, and the row's own party (cust_company_name); another party's
# organisation (employer_name, vendor_company, bank_name) is not the row's
ORGANISATION_HEADER_WORDS = ORGANISATION_WORDS | {
    "name", "nm", "nme", "nombre", "social", "legal", "registered", "doing", "as", "of", "the", "full", "1",
    "customer", "cust", "client", "account", "acct", "party", "payer", "payor", "member", "holder", "owner",
}  # fmt: skip
PARTY_TYPE_WORDS = {"type", "typ", "kind", "class", "category", "cat", "segment", "tipo"}
PARTY_WORDS = {"customer", "cust", "client", "party", "entity", "account", "acct", "member", "payer", "payor"}
PARTY_WORDS |= {"owner", "holder", "applicant", "borrower", "debtor", "contact", "persona", "cliente"}
# values of a party-type column that say the party is an organisation
ORGANISATION_TYPES = (
    r"^(b|business|business customer|commercial|corporate|corporation|corp|company|co|organi[sz]ation|org|entity|"
    r"legal entity|non ?profit|not for profit|nfp|npo|government|govt|gov|llc|inc|partnership|"
    # a dealer's fleet customers, a carrier's fleet, commercial or business accounts: a firm's, whatever person
    # account type): a firm's, the drivers or lines under it its own employees'
    r"fleet|fleet account|fleet customer|commercial account|business account|corporate account|"
    r"empresa|persona juridica|persona moral|juridica|moral)$"
)
# values of an organisation column that say there is none (a consumer's row of a mixed export)
NO_ORGANISATION = [
    "individual",
    "personal",
    "self",
    "consumer",
    "person",
    "private",
    "none",
    "n a",
    "na",
    "0",
]


def organisation_column(header: str) -> bool:
    """Whether a header names the organisation the row is about (company_name, business_name, org_nm, dba)."""
    words = header_text(header).split()
    if len(words) == 1:
        return words[0] in ORGANISATION_ALONE | {"dba"}
    return (
        bool(ORGANISATION_WORDS.intersection(words))
        and bool(NAME_OF.intersection(words))
        and set(words) <= ORGANISATION_HEADER_WORDS
    )


def party_type_column(header: str) -> bool:
    """Whether a header is the type of the row's party (customer_type, party_typ, entity_type, acct_class)."""
    words = set(header_text(header).split())
    return bool(words & PARTY_TYPE_WORDS) and bool(words & PARTY_WORDS)


def names_organisation(value: pl.Expr) -> pl.Expr:
    """An organisation column's value that names one (not empty, not 'Individual' or 'N/A')."""
    key = value.str.to_lowercase().str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars()
    return key.str.contains(r"[a-z]") & ~key.is_in(NO_ORGANISATION)


def organisation_type(value: pl.Expr) -> pl.Expr:
    """A party-type value that says the row's party is an organisation (Business, Commercial, Organization)."""
    key = value.str.to_lowercase().str.replace_all(r"[^a-z]+", " ").str.strip_chars()
    return key.str.contains(ORGANISATION_TYPES)


# A column about where somebody used to live (previous_state, prior_zip, former_address, PrevAddress,
# moved_from_state, state_prev): weak evidence, like a ship-to state or an ended address-history row. Someone
# who moved from Michigan to Ohio is an Ohio resident (docs/counting-rules.md section 5).
FORMER = HeaderContext(positive=r"\b(previous|prev|prior|former|formerly|old|moved from|move from|earlier)\b")
# A part-year residence of a tax return (PY_RES_ST, part_year_res_state, PartYearResState: the other state the
# filer lived in during part of the tax year) is a past place: weak evidence, like a former address. Where an end
# column pairs with it (PY_RES_TO, part_year_res_end_dt: place_ends), the end date says, row by row: an end before
# the day of the scan is a former place, an open or future end a current one. Until 2026-11-25 it was read as the
# current state, and every filer who moved from Michigan to Ohio during the year was a Michigan resident.
PART_YEAR = HeaderContext(
    positive=r"\b(part year|partyear|part yr|partyr|pt yr|py|py res|part year resident|part time resident)\b"
)

# A financed or owned property's place is where the property is (445.72(1) "resident": where the person lives): a
# mortgage's subject property or collateral (PropertyStateCode, prop_st, SubjectPropertyState, collateral_zip), a
# rental or investment property, a second or vacation home (Schedule E's rental property, a HELOC's property),
# a parcel's situs. Like a ship-to or service address it places a person only when nothing else does, unless an
# occupancy column of the row says the property is the borrower's primary residence (owner-occupied: then it is
# the home). An owner's or mailing address of the property (prop_owner_st, property_mailing_zip) is the person's.
PROPERTY = HeaderContext(
    positive=r"\b(property|prop|props|properties|collateral|collat|coll prop|subject property|subj prop|"
    r"subject prop|subj property|subjectproperty|security property|secured property|mortgaged|mortgaged property|"
    r"rental property|rental prop|investment property|invest prop|inv prop|second home|2nd home|vacation home|"
    r"vacation|cottage|cabin|situs|reo|real estate|realestate)\b",
    negative=r"\b(owner|owners|ownr|mailing|mail|mailto|billing|residence|domicile|present|tax|taxes)\b",
)
# ...except in a table whose rows are the properties, units or their tenants (properties.prop_st, units.prop_zip,
# tenants.property_address, leases, a rent roll, residents): a tenant's unit is their home, and a property table
# reached through a tenant's unit places the tenant (section 5, chains of references).
PROPERTY_TABLE = (
    r"\b(property|properties|prop|props|unit|units|premise|premises|building|buildings|bldg|bldgs|tenant|tenants|"
    r"tenancy|tenancies|lease|leases|lessee|lessees|occupant|occupants|resident|residents|rent roll|rentroll|"
    r"apartment|apartments|apt|apts|dwelling|dwellings|housing|community|communities)\b"
)


def property_place(column: str, table: str = "") -> bool:
    """Whether a state, ZIP, address or city column is a financed or owned property's place (PropertyStateCode,
    collateral_zip), not the row subject's home: weak evidence unless the row's occupancy says owner-occupied."""
    if not PROPERTY.says(column):
        return False
    return not re.search(PROPERTY_TABLE, header_text(table.split("/")[-1]))


# An occupancy column of a loan or a property (MISMO PropertyUsageType, OccupancyType, Fannie / Freddie occupancy
# status P / S / I, HMDA occupancy_type 1 / 2 / 3) or a flag that the property is the primary residence
# (owner_occupied, primary_residence_ind, homestead_flag): row by row, whether the property is the home.
OCCUPANCY = HeaderContext(
    positive=r"\b(occupancy|occupancy type|occupancy cd|occupancy code|occupancy status|occ (type|typ|cd|code|status|"
    r"sts|stat|ind)|occupied|owner occ|ownr occ|oo|property usage|property use|prop usage|prop use|usage type|"
    r"use type|dwelling use|intended occupancy|primary residence|principal residence|homestead|primary res|"
    r"prim res)\b",
    negative=r"\b(non|not|date|dt|pct|percent|rate|count|cnt|nbr|num|units)\b",
)
# the values that say owner-occupied: primary / principal residence, owner occupied, homestead, Fannie's P, HMDA's 1
# (a value that negates them, Non-Owner Occupied, Not Primary, says the opposite)
OWNER_OCCUPIED = r"^(p|o|oo|pr|1|owneroccupied|owner occ|primary home|main home)$|\b(primary|principal|owner occupied|homestead)\b"
NEGATED = r"\b(non|not|no)\b"
# a flag's yes (owner_occupied = Y, primary_residence_ind = 1)
FLAG_YES = r"^(y|yes|true|t|1|x)$"
OCCUPANCY_FLAG = (
    r"\b(owner occupied|owner occ|ownr occ|oo|primary residence|principal residence|homestead|primary res|prim res)"
    r"( (flag|flg|ind|indicator|yn|cd|code))?$|^(is|flag|ind)\b"
)


def occupancy_column(column: str) -> bool:
    """Whether a column says, row by row, whether a property is its owner's home (PropertyUsageType,
    owner_occupied)."""
    return OCCUPANCY.says(column)


def owner_occupied(value: pl.Expr, column: str) -> pl.Expr:
    """Whether an occupancy value says the property is the borrower's home (PrimaryResidence, Owner Occupied, P, 1;
    a flag's Y where the header is a primary-residence or owner-occupied flag)."""
    key = (
        value.str.replace_all(r"([a-z])([A-Z])", "${1} ${2}")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.strip_chars()
    )
    says = key.str.contains(OWNER_OCCUPIED) & ~key.str.contains(NEGATED)
    if re.search(OCCUPANCY_FLAG, header_text(column)):
        says = says | key.str.contains(FLAG_YES)
    return says.fill_null(False)


# An end column paired with a place's columns by their shared stem (PY_RES_ST / PY_RES_ZIP and PY_RES_TO,
# seasonal_addr_state and seasonal_addr_end_dt, RES2_ST and RES2_THRU): the end of that place only, not of the
# row's other places (the current ST of a part-year filer). Only a stem that names a residence or an address: a
# policy's or a lease's end date ends no address.
PLACE_WORDS = (
    r"st|state|state cd|state code|st cd|stcd|state abbr|st abbr|province|prov|zip|zip code|zipcode|zip5|zip 5|"
    r"zip4|postal|postal code|postcode|addr|address|addr 1|addr1|address 1|address line 1|line 1|line1|street|"
    r"city|town|county|cntry|ctry|country|cd|code"
)
END_WORDS = (
    r"to|to dt|to date|to ts|end|end dt|end date|enddate|enddt|end ts|ended|ended on|ending|thru|thru dt|"
    r"thru date|through|through date|until|till|moved out|move out|move out dt|move out date|out dt|out date|"
    r"dt to|date to|dt end|date end"
)
RESIDENCE_STEM = (
    rf"\b({HOME}|res|resid|addr|adr|address|mail|mailing|domicile|part year|partyear|part yr|partyr|pt yr|py|"
    r"seasonal|season|temp|temporary|alt|alternate|winter|summer|second|secondary|other)\b"
)


def _place_stem(column: str) -> str:
    words = re.sub(rf"\b({PLACE_WORDS})\b", " ", header_text(column))
    return re.sub(r"\s+", " ", words).strip()


def place_ends(places: list[str], headers) -> dict[str, str]:
    """Each place column (state, ZIP, address) -> the end column of its own place: an end column whose header is
    the place's stem followed by end words (PY_RES_ST -> PY_RES_TO, seasonal_addr_state -> seasonal_addr_end_dt),
    the stem naming a residence or an address."""
    ends: dict[str, str] = {}
    for header in headers:
        found = re.fullmatch(rf"(?P<stem>.+?) (?:{END_WORDS})", header_text(header))
        if found is None or ENDED.denies(header):
            continue
        stem = _place_stem(found["stem"])
        if not stem or not re.search(RESIDENCE_STEM, stem):
            continue
        for place in places:
            if place not in ends and _place_stem(place) == stem:
                ends[place] = header
    return ends


CITY = HeaderContext(
    # Spanish ciudad (city), municipio, localidad
    positive=r"\b(city|town|municipality|locality|ciudad|municipio|localidad)\b",
    negative=r"\b(birth|nacimiento|id|key|fk|pk|uuid|guid|ref)\b|" + NOT_HOME,
)

# Address history (employee_addresses: effFrom, effTo; addr_hist: end_date; is_current): a row whose validity has
# ended is a former address. Where somebody lived until 2022 is weaker evidence than where they live now: it
# places an individual only when nothing else does, like a ship-to state (docs/counting-rules.md section 5).
# Not card expiry ("exp", "cc_exp"): only words that say an address's or a record's validity ended.
# The words a versioned record's end of validity goes by (slowly changing dimensions: effective_to, eff_end_dt,
# valid_to, Kimball's row_expiration_date): they end the record, and so its address, in any history table.
VALIDITY_END = (
    r"eff to|effto|effective to|eff end|effective end|effective thru|effective through|valid to|valid until|"
    r"validto|row end|row expiration|row exp|rec end|record end|scd end|dw end|version end"
)
ENDED = HeaderContext(
    positive=rf"\b({VALIDITY_END}|end date|end dt|enddate|enddt|to date|date to|dt to|to dt|to ts|thru date|"
    r"thru dt|through date|end ts|end timestamp|dt end|date end|ended|ended on|until|moved out|move out|"
    r"move out date|inactive date|superseded)\b",
    # (a row's expiration, row_expiration_date, is the record's end; any other expiry is a card's or a document's)
    negative=r"\b(card|cc|(?<!row )(exp|expiry|expiration|expires)|contract|policy|coverage|employment|term|job|"
    r"plan|start|from|begin|eff from|effective from|stmt|statement|pay|paid|period|promo|lease|billing|bill|"
    r"cycle)\b",
)
# A current flag (is_current = N: the row is a former version) ...
CURRENT = HeaderContext(
    positive=r"\b(is current|current flag|current ind|curr ind|curr flag|is current address|current address|"
    r"current addr|curr addr|is latest|latest flag|current row|record status|row status|rec status)\b",
    negative=r"\b(balance|bal|amount|amt|date|dt|employer|job|plan|status code|period|year|term|month|dpd|due|"
    r"delinquent|delinquency|past)\b",
)
# ... and, in an address table, an active flag or a status (active = N, is_active = 0, status = inactive): of an
# address row they can only be the address's. Elsewhere they are an account's or a membership's: a closed account
# has not moved. A status of somebody or something named (member_status, acct_status) is theirs, not the address's.
ACTIVE = HeaderContext(
    positive=r"\b(active|is active|active flag|active ind|active cd|status|status cd|addr status|address status)\b",
    negative=r"\b(date|dt|ts|since|marital|employment|emp|member|membership|customer|cust|account|acct|card|loan|"
    r"policy|claim|payment|order|student|enrollment|verification|verified|delivery|mail|returned)\b",
)
# Only in an address table (employee_addresses, addr_hist, residences, residency_history, member_locations,
# moves), or under a header that names the address itself (addr_end_dt, is_current_address): a loan's
# is_current (= not delinquent), a statement's end date or a card's valid_thru say nothing of where anybody lives.
ADDRESS_TABLE = (
    r"\b(addr|addrs|address|addresses|residence|residences|residency|residencies|domicile|domiciles|home|homes|"
    r"location|locations|move|moves|relocation|relocations)\b"
)
ADDRESS_IN_HEADER = r"\b(addr|address|residence|home)\b"
# A history of versions of a record (a warehouse's dim_customer kept as SCD2, member_history, customer_hist): a
# version whose validity ended (effective_to in the past, is_current = N) holds the address the person had then.
# Only the validity words of such tables end it there: a bare end_date of a history table may be a claim's or an
# event's end.
HISTORY_TABLE = r"\b(dim|dimension|hist|history|histories|historical|scd|versions)\b"
HISTORY_END = HeaderContext(positive=rf"\b({VALIDITY_END})\b", negative=ENDED.negative)


# A table name with the address word glued to a module prefix (Ellucian Banner's SPRADDR, GORADDR; MAILADDR,
# CUSTADDR): an address table too. Until 2026-11-25 Banner's address history went unread and movers counted
# where they had lived.
GLUED_ADDRESS_TABLE = r"(?i)[a-z](addr|addrs|address|addresses)(\b|_|$)"


def address_table(table: str) -> bool:
    """Whether a table's name says its rows are addresses (customer_addresses, addr_hist, SPRADDR)."""
    name = table.split("/")[-1]
    return mentions(name, ADDRESS_TABLE) or re.search(GLUED_ADDRESS_TABLE, name) is not None


def former_address_column(column: str, table: str) -> bool:
    """Whether `column` of `table` says, row by row, that the row's address is no longer current."""
    name = table.split("/")[-1]
    if resident_flag_column(column, table):
        return True
    if address_table(table) or mentions(column, ADDRESS_IN_HEADER):
        return ENDED.says(column) or CURRENT.says(column) or ACTIVE.says(column)
    if mentions(name, HISTORY_TABLE):
        return HISTORY_END.says(column) or CURRENT.says(column)
    return False


# An address table's type column (customer_addresses.address_type = home | billing | shipping): a row typed
# shipping or delivery is where parcels go, weak evidence like a ship-to column (docs/counting-rules.md section 5).
ADDRESS_TYPE = HeaderContext(positive=r"\b(type|typ|kind|use|usage|purpose|category|cat)\b")
DELIVERY_TYPE = r"(?i)\b(ship|shipping|shipto|shipped|delivery|deliver|recipient|gift|destination)\b"


def address_type_column(column: str, table: str) -> bool:
    """Whether `column` of `table` names, row by row, what kind of address the row holds."""
    if not ADDRESS_TYPE.says(column):
        return False
    return address_table(table) or mentions(column, ADDRESS_IN_HEADER)


def delivery_type(value: pl.Expr) -> pl.Expr:
    """Whether an address-type value says the row is a shipping / delivery address."""
    return value.str.contains(DELIVERY_TYPE).fill_null(False)


# The words a type or status value says a former address with (a pharmacy's PatientAddress.AddressType = Former /
# Previous / Inactive, QS/1's and PioneerRx's history kept as typed rows, a student system's "Old Address"; a status
# "Inactive - Moved"): where the person lived, weak evidence like an ended row or a previous_state header. Until
# 2026-11-25 only shipping / delivery types were read, and Michigan-wins placed Ohio patients at their former
# Michigan address. Not "P" or "PR" (primary, permanent).
FORMER_VALUE = (
    r"\b(former|formerly|frmr|fmr|previous|prev|prior|old|inactive|inact|historic|historical|history|hist|past|"
    r"ended|expired|superseded|moved|moved out|archived|obsolete|no longer|not current|non current|noncurrent)\b"
)
# ... and where the person works (AddressType = Work / Business / Office / Employer, Banner's BU): the workplace is
# no residency evidence (docs/counting-rules.md section 5, "Work places are not residence"), unless the value also
# says home (Home Office, Home Business). Not a bare W (a snowbird's Winter address is a residence).
WORKPLACE_VALUE = (
    r"\b(work|works|workplace|worksite|work site|business|office|employer|emplr|employment|job|company|"
    r"corporate|corp|wk|wrk)\b|^(bu|bus|biz|ofc)$"
)
HOME_VALUE = r"\b(home|residence|residential|domicile|primary residence)\b"


def _type_words(value: pl.Expr) -> pl.Expr:
    """A type or status value as lower-case words: HOME_INACTIVE, Former-Address, PrevAddr -> words."""
    split = value.str.replace_all(r"([a-z])([A-Z])", "${1} ${2}")
    return split.str.to_lowercase().str.replace_all(r"[_\-/.,;:()\[\]]+", " ").str.strip_chars()


def former_type(value: pl.Expr) -> pl.Expr:
    """Whether an address-type value says the row is a former address (Former, Previous, Old Address,
    HOME-INACTIVE): weak evidence."""
    return computed_once(_type_words(value), lambda w: w.str.contains(FORMER_VALUE)).fill_null(False)


def workplace_type(value: pl.Expr) -> pl.Expr:
    """Whether an address-type value says the row is where the person works (Work, Business, Office, Employer;
    not Home Office): no residency evidence."""
    return computed_once(
        _type_words(value), lambda w: w.str.contains(WORKPLACE_VALUE) & ~w.str.contains(HOME_VALUE)
    ).fill_null(False)


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
    "i",  # A / I: active / inactive
    "historic",
    "historical",
    "history",
    "hist",
    "ended",
    "expired",
    "superseded",
    "moved",
    # a tax table's resident indicator: nonresident, part-year resident (ee_st_tax_elect.res_ind)
    "nr",
    "nonres",
    "nonresident",
    "non-resident",
    "non resident",
    "py",
    "part-year",
    "part year",
]

# An end date as exports write it: ISO (2022-06-30, 2022-06-30 00:00:00, 2022/06/30, 20220630), US (06/30/2022,
# 6/30/22), Oracle's default DD-MON-RR (30-JUN-22) and its four-digit year (30-Jun-2022), and words (Jun 30, 2022,
# June 30 2022, 30 Jun 2022).
NUMERIC_DATES = [(10, "%Y-%m-%d"), (10, "%Y/%m/%d"), (10, "%m/%d/%Y"), (8, "%Y%m%d")]
# a day, a month's name and a year, or a month's name, a day and a year, read after the separators become spaces
NAMED_DATE = r"^(\d{1,2}[- ][A-Za-z]{3,9}\.?[- ]\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})\b"
# The open end 9999-12-31 written with a two-digit year (Oracle's DD-MON-RR shows it as 31-DEC-99, a
# two-digit US date as 12/31/99): no end. A 1999 end is far rarer than the open end, and a current address read
# as former would not be the address the notice goes to.
OPEN_END_SHORT = r"(?i)^(31[- ]dec[- ]99|12/31/99)$"


def written_date(v: pl.Expr) -> pl.Expr:
    """The date a (trimmed) value writes, in any of the formats above; null when none reads it. Read by address
    ends here and by dates of death (detectors/deceased.py)."""
    named = v.str.extract(NAMED_DATE, 1).str.replace_all(r"[-,.]", " ").str.replace_all(r"\s+", " ")
    # a two-digit year first reads as a four-digit one (year 22): the two-digit format only where the year
    # has two digits
    two_digit_year = named.str.contains(r" \d{2}$")
    return pl.coalesce(
        [v.str.slice(0, n).str.to_date(f, strict=False) for n, f in NUMERIC_DATES]
        + [v.str.to_date("%m/%d/%y", strict=False)]
        + [
            pl.when(two_digit_year).then(named.str.to_date("%d %B %y", strict=False)),
            named.str.to_date("%d %B %Y", strict=False),
            named.str.to_date("%B %d %Y", strict=False),
        ]
    )


def ended(value: pl.Expr) -> pl.Expr:
    """Whether an end-of-validity value is a date before the day of the scan (9999-12-31, the open end of slowly
    changing dimension tables, and a future end are no end). An empty or unreadable value ends nothing."""

    def before_today(v: pl.Expr) -> pl.Expr:
        # before the scan's day: a future end (a lease ending next year, 9999-12-31) is still the current address
        return ((written_date(v) < pl.lit(dt.date.today())) & ~v.str.contains(OPEN_END_SHORT)).fill_null(
            False
        )

    # the trimmed value is read by several date formats: computed once
    return computed_once(value.str.strip_chars(), before_today)


def open_end(value: pl.Expr) -> pl.Expr:
    """Whether an end value is a date on or after the day of the scan, or the open end (9999-12-31, 31-DEC-99):
    the place it ends is still current. An empty or unreadable value is no such date."""

    def not_before_today(v: pl.Expr) -> pl.Expr:
        return ((written_date(v) >= pl.lit(dt.date.today())) | v.str.contains(OPEN_END_SHORT)).fill_null(
            False
        )

    return computed_once(value.str.strip_chars(), not_before_today)


def not_current(value: pl.Expr) -> pl.Expr:
    """Whether a current-address flag or an address's status says the row's address is not the current one (N,
    false, 0, former; a status written in words, "Inactive - Moved", "Previous Address", as a type column's)."""
    return computed_once(
        value.str.strip_chars(),
        lambda v: v.str.to_lowercase().is_in(NOT_CURRENT_VALUES) | _type_words(v).str.contains(FORMER_VALUE),
    ).fill_null(False)


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


# A country written after or before the state ("Michigan, USA", "MI US", "US-MI": ISO 3166-2 codes the states
# US-XX) is no part of it.
COUNTRY_AFTER = r"[\s,(/-]*\b(?:usa|u\.s\.a\.?|us|u\.s\.?|united states(?: of america)?)\)?\.?$"
COUNTRY_BEFORE = r"^(?:us|usa|u\.s\.a?\.?|united states)\s*[-_:/]\s*"
# A state written twice, as its code and its name ("MI - Michigan", "Michigan (MI)", "MI/Michigan"): the two
# must name the same state ("MI/OH" names none).
TWICE = r"^(?P<a>[^-/|:(),]+?)\s*[-/|:(,]\s*(?P<b>[^-/|:(),]+?)\s*\)?$"
# The armed-forces "states" (AA, AE, AP) are no state: an APO / FPO / DPO address says where mail to a
# service member is routed, not where they live (docs/counting-rules.md section 5).
MILITARY = ["AA", "AE", "AP"]


def _state_of(key: pl.Expr) -> pl.Expr:
    # a USPS code with a period after it ("MI.", "OH.") is the code
    return key.str.replace(r"^([a-z]{2})\.$", "${1}").replace_strict(
        STATE_LOOKUP, default=None, return_dtype=pl.String
    )


def state_code(value: pl.Expr) -> pl.Expr:
    """USPS code for 'MI' / 'Michigan' / 'Mich.' / 'mi' / 'US-MI' / 'Michigan, USA' / 'MI - Michigan' /
    'Michigan (MI)'; null for anything else."""
    key = value.str.strip_chars().str.to_lowercase().str.replace_all(r"\s+", " ")
    key = key.str.replace(COUNTRY_AFTER, "").str.replace(COUNTRY_BEFORE, "").str.strip_chars()

    def read(k: pl.Expr) -> pl.Expr:
        twice = k.str.extract_groups(TWICE)
        a, b = _state_of(twice.struct.field("a")), _state_of(twice.struct.field("b"))
        return pl.coalesce(_state_of(k), pl.when(a == b).then(a))

    return computed_once(key, read)  # the key is read three times


# Canada's provinces and territories, by code and name: a customer base by the Michigan border (Windsor, Sarnia, the
# Soo) mixes them into the state and ZIP columns. Such a value places its record outside the United States
# (residency 'other'), as a country column does; and a state or postal column of mixed US and Canadian values is
# still a state or postal column (until 2026-11-25 its US values, Michigan's among them, went unread: a Detroit
# customer of a mixed table was of unknown residency).
CANADA_REGIONS = {
    "ab": "alberta",
    "bc": "british columbia",
    "mb": "manitoba",
    "nb": "new brunswick",
    "nl": "newfoundland and labrador",
    "ns": "nova scotia",
    "nt": "northwest territories",
    "nu": "nunavut",
    "on": "ontario",
    "pe": "prince edward island",
    "qc": "quebec",
    "sk": "saskatchewan",
    "yt": "yukon",
}
CANADA_REGION_KEYS = sorted(
    {
        *CANADA_REGIONS,
        *CANADA_REGIONS.values(),
        "québec",
        "pq",
        "nf",
        "newfoundland",
        "yukon territory",
        "ont",
        "que",
    }
)
# A1A 1A1: Canada Post's format (letter, digit, letter, space, digit, letter, digit)
CANADA_POSTAL = r"(?i)^[abceghj-nprstvxy]\d[a-z][ -]?\d[a-z]\d$"
CANADA_AT_END = r"(?i)(?:[\s,]+(?:canada|can|ca))?$"  # an optional country after the province and postal code


def foreign_region(value: pl.Expr) -> pl.Expr:
    """Whether a state-column value is a Canadian province or territory ('ON', 'Ontario', 'Québec', 'ON, Canada')."""
    key = value.str.strip_chars().str.to_lowercase().str.replace_all(r"[.\s]+", " ").str.strip_chars()
    key = key.str.replace(r"[\s,(/-]*\b(canada|can)\)?$", "").str.strip_chars()
    return key.is_in(CANADA_REGION_KEYS).fill_null(False)


def foreign_postal(value: pl.Expr) -> pl.Expr:
    """Whether a postal-column value is a Canadian postal code ('N9A 5K6', 'n9a5k6')."""
    return value.str.strip_chars().str.contains(CANADA_POSTAL).fill_null(False)


def foreign_address(value: pl.Expr) -> pl.Expr:
    """Whether a one-line address ends in Canada: a postal code (before an optional country) or the country's name
    ('200 Ouellette Ave, Windsor, ON N9A 5K6', '12 King St W, Toronto, Ontario, Canada')."""
    v = value.str.strip_chars()
    postal = v.str.contains(r"(?i)[\s,][abceghj-nprstvxy]\d[a-z][ -]?\d[a-z]\d(?:[\s,]+(?:canada|can))?\.?$")
    return (postal | v.str.contains(r"(?i)[\s,]canada\.?$")).fill_null(False)


def no_state(code: pl.Expr) -> pl.Expr:
    """Whether a state code is an armed-forces one (AA, AE, AP): evidence of no state. Null stays null."""
    return code.is_in(MILITARY)


def military_zip(z5: pl.Expr) -> pl.Expr:
    """Whether a ZIP5 is an APO / FPO / DPO one (090-099 AE, 340 AA, 962-966 AP): evidence of no state."""
    z3 = z5.str.slice(0, 3).cast(pl.Int32, strict=False)
    return z3.is_between(90, 99) | (z3 == 340) | z3.is_between(962, 966)


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


# Street types and unit words of a street line. Some are state codes too (Ct, La, Wy, Mt): "9750 Maple Ct" is a
# street line with no state.
STREET_TYPES = (
    r"st|street|ave|av|avenue|rd|road|dr|drive|blvd|boulevard|ln|lane|la|way|wy|ct|court|pl|place|hwy|highway|"
    r"pkwy|parkway|cir|circle|ter|terrace|trl|trail|sq|square|plz|plaza|pike|row|loop|aly|alley|cres|crescent"
)
UNITS = r"apt|apartment|suite|ste|unit|box|fl|floor|rm|room|bldg|lot|po"
DIRECTIONS = r"n|s|e|w|ne|nw|se|sw|north|south|east|west|northeast|northwest|southeast|southwest"
# What cannot come just before a state: a number ("123 Ohio"), a direction ("400 W Michigan"; "Charleston West
# Virginia" reads West Virginia), a street type ("123 Main St NE": NE is the quadrant, not Nebraska) or a unit word.
# A city can ("Detroit MI").
NOT_A_CITY = rf"^({DIRECTIONS}|{STREET_TYPES}|{UNITS})$"
# Without a ZIP or a comma before the city, the words before the state are a city only after a street line:
# "55 Main St Ann Arbor Michigan", "9 Elm Ave Apt 2 Grand Rapids Michigan".
STREET_THEN_CITY = rf"(?i)\b({STREET_TYPES}|({UNITS}|#)\s*[A-Za-z0-9-]+)\.?\s+[A-Za-z][A-Za-z .'-]*$"
WORD = r"[A-Za-z][A-Za-z.]*"
# the last word of every state's name or code: an address's last word outside these names no state
STATE_LAST_WORDS = sorted({key.split()[-1] for key in STATE_LOOKUP})


def _state_at_end(parts: pl.Expr, with_zip: pl.Expr) -> pl.Expr:
    """The state named by the last words of an address (`parts`: what comes before them, the separator, the
    words), when a comma or a city comes before them: a city is a word after a comma (no street number in it:
    "Apt 4, 9750 Maple Ct"), after a street line, or before a ZIP."""
    before = parts.struct.field("before")
    before_word = before.str.extract(r"([A-Za-z.']+)$", 1).str.to_lowercase().str.strip_chars(".")
    after_comma = before.str.extract(r",([^,]*)$", 1)
    city = (
        before_word.is_not_null()
        & ~before_word.str.contains(NOT_A_CITY)
        & (
            with_zip
            | ~after_comma.str.contains(r"\d").fill_null(True)
            | before.str.contains(STREET_THEN_CITY)
        )
    )
    return pl.when(parts.struct.field("sep").str.contains(",") | city).then(
        _state_of(parts.struct.field("state").str.to_lowercase())
    )


# a trailing country is no part of the state or the ZIP ("Detroit, MI 48201, USA")
COUNTRY_LAST = r"(?i)[\s,]+(?:usa|u\.s\.a\.?|us|u\.s\.?|united states(?: of america)?)\.?$"
# a ZIP is five digits on their own, ZIP+4 with or without its dash (48201-1234, 482011234)
ZIP_LAST = r"(^|[^\d-])(\d{5})(?:-?\d{4})?$"


def from_address(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(state code, ZIP5) from a one-line address '12 Main St, Lansing, MI 48933', '1200 Woodward Ave, Detroit
    MI', '55 Main St Ann Arbor Michigan 48104, USA'. Only the state at the end (before an optional ZIP and
    country) is the address's state: '500 N Michigan Ave, Chicago IL' is in Illinois."""
    rest = value.str.strip_chars().str.replace(COUNTRY_LAST, "")
    z = rest.str.extract(ZIP_LAST, 2)
    # Each step staged as a struct field, read by the next (polars does not share these subexpressions: the
    # address would be read a dozen times). The longest state name first: "Charleston West Virginia" is West
    # Virginia, "Albany New York" New York.
    last_words = {
        n: pl.field("tail").str.extract_groups(
            rf"^(?P<before>.*?)(?P<sep>[\s,]+)(?P<state>{WORD}(?: {WORD}){{{n - 1}}})$"
        )
        for n in (3, 2, 1)
    }
    state = (
        pl.struct(rest.alias("rest"))
        .struct.with_fields(
            pl.field("rest").str.contains(ZIP_LAST).fill_null(False).alias("with_zip"),
            pl.field("rest").str.replace(ZIP_LAST, "${1}").str.strip_chars_end(" ,\t\n").alias("head"),
        )
        # the three captures below are the costly part: run only where the last word can end a state's name
        # (most street lines, "5549 Woodward St", end in no state and never reach them)
        .struct.with_fields(
            pl.when(
                pl.field("head")
                .str.extract(rf"({WORD})$", 1)
                .str.to_lowercase()
                .str.replace(r"^([a-z]{2})\.$", "${1}")
                .is_in(STATE_LAST_WORDS)
            )
            .then(pl.field("head"))
            .alias("tail")
        )
        .struct.with_fields([e.alias(f"last{n}") for n, e in last_words.items()])
        .struct.with_fields(
            pl.coalesce(
                *(_state_at_end(pl.field(f"last{n}"), pl.field("with_zip")) for n in (3, 2, 1))
            ).alias("state")
        )
        .struct.field("state")
    )
    return state, z


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
