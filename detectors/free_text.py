"""SSNs, licence numbers, card numbers and their codes written inside text: notes, ticket bodies, comments (MCL 445.63(p)(i)-(iii)).

Text carries numbers of every kind (orders, phones, tickets), so a number is taken as an SSN only when it has the
SSN's own dashed shape or a context word (SSN, social security) stands next to it, and nothing next to it says it
is another kind of number; a card number must pass Luhn and carry an issuer prefix. Masked mentions ("ending in
6789", "XXX-XX-6789") are not extracted: they are redacted.
"""

from __future__ import annotations

import polars as pl

from detectors import access_code, card, drivers_license, ssn
from detectors.common import HeaderContext

CONTEXT = HeaderContext(
    positive=r"\b(note|notes|comment|comments|body|description|desc|message|msg|text|remarks|remark|details|"
    r"summary|memo|content|narrative|transcript|chat|log|reason|issue|problem|request|feedback|free text)\b",
    negative=r"\b(id|date|type|status|code|count|flag|length|subject line)\b",
)

SSN_WORDS = (
    r"(?i:ssn|ss#|s\.s\.n\.?|social\s+security(?:\s+(?:number|no\.?|#))?|social|soc\.?\s*sec\.?|tax\s*id|tin)"
)
OTHER_NUMBER_WORDS = (
    r"(?i:order|invoice|inv|ref|reference|ticket|case|tracking|confirmation|conf|po|phone|tel|"
    r"fax|call|zip|routing|account|acct|policy|claim|member|employee|emp|id)"
)
# SSN written with its own shape (3-2-4 with dashes) or next to an SSN word in any of its shapes.
SSN_IN_TEXT = (
    rf"(?:{SSN_WORDS}[\s:#\-=is]{{0,12}}(\d{{3}}[- ]?\d{{2}}[- ]?\d{{4}})(?:\D|$))"
    rf"|(?:(?:^|[^\w\-])(\d{{3}}-\d{{2}}-\d{{4}})(?:[^\w\-]|$))"
)
NEGATED_SSN = (
    rf"{OTHER_NUMBER_WORDS}[\s:#\-=.]{{0,6}}(?:no\.?|number|num|#)?[\s:#\-=.]{{0,4}}\d{{3}}-\d{{2}}-\d{{4}}"
)
CARD_IN_TEXT = r"(?:^|\D)((?:\d[ \-]?){12,18}\d)(?:\D|$)"
# A card's security code or a PIN written next to its word ("cvv 123", "CID: 4821", "pin=0042"): 445.63(p)(iii)'s
# "security code, access code, or password" in the text. Only digits right after the word: "PIN reset" is not one.
CODE_IN_TEXT = (
    r"(?i:\b(?:cvv2?|cvc2?|csc|cvn|cid|security\s+code|sec\s+code|card\s+code|pin|passcode|access\s+code)"
    # not a date or a number that goes on after a dash, slash or point ("PIN 2024-03-05 reset", "pin 12.50"): the
    # code ends at the end of the text or at a character that continues no number (regex has no look-ahead)
    r"\b[\s:#=\-\"']{0,6}(\d{3,6})(?:$|[^\w\-/.]|[\-/.](?:$|\D)))"  # (quotes: "cvv": "123" in JSON)
)

# A PIN or code of a door, keypad, kiosk, locker, gate, alarm or check-in written in the text ("door code 4821",
# "kiosk pin 1234", "gate access code: 0990", a gym's front-desk notes) opens a place, not a financial account
# (445.63(p)(iii); access_code.FACILITY_PLACE): the phrase is taken out before codes are searched, so the digits
# after it are no code (until 2026-11-25 "kiosk pin 1234" was the code of the card on file). A PIN written after
# it ("gate code 4821, debit pin 5521") is still found.
_PLACE = access_code.FACILITY_PLACE.replace(" ", r"[\s\-_]*") + r"|entry|entrance|building|bldg|garage"
FACILITY_CODE_IN_TEXT = (
    rf"(?i)\b(?:{_PLACE})(?:'s)?[\s\-_]+(?:(?:access|entry|security|door|keypad)[\s\-_]+)?"
    r"(?:pin|pins|passcode|pass\s+code|access\s+code|code|combo|combination)\b"
)

# A driver licence or state ID number written after its word ("driver license S 123 456 789 012", "DL# J234...",
# "state ID: K1234567890"): 445.63(p)(ii). Only the Michigan shapes (a letter and 12 digits, the legacy state ID's
# letter and 10 digits), whose letter-then-digits form no order or phone number has, and only after a licence
# word: other states' formats are too close to reference numbers to take from prose.
LICENCE_WORDS = (
    r"(?i:\b(?:d\.?l\.?|dln|driver'?s?\s+licen[cs]e|drivers?\s+lic\.?|operator'?s?\s+licen[cs]e|licen[cs]e|"
    r"lic\.?|state\s+id(?:\s+card)?|id\s+card))"
)
LICENCE_IN_TEXT = (
    rf"(?i){LICENCE_WORDS}(?:[\s_]*(?:no\.?|number|num|#|nbr))?(?:\s*\(?(?:mi|michigan)\)?)?[\s:#=\-\"']{{0,6}}"
    # grouped 1-3-3-3-3 as the card prints it, 4-4-4 as people type it, or not at all
    r"([A-Za-z][\s\-]?\d{3}[\s\-]?\d{3}[\s\-]?\d{3}[\s\-]?\d{3}|[A-Za-z][\s\-]?\d{4}[\s\-]\d{4}[\s\-]\d{4}"
    r"|[A-Za-z][\s\-]?\d{10})(?:\W|$)"
)


# A pickup by another person than the row's subject, as a pharmacy's note records a controlled-substance pickup
# (Michigan MAPS: the person picking up shows an ID): "picked up by daughter Karen - DL# S 123 ...", "Son picked up
# C2. Checked driver license B 412 ...". The licence written from there on is the one who picked up's, not the
# patient's (445.63(p): "data elements of a resident"). Only pickups, and only by a relation or agent named by
# these words: a note where the patient picked up, or naming a relative otherwise, keeps its licence.
PICKUP_PERSON_WORDS = (
    r"daughter|son|spouse|wife|husband|caregiver|care\s*giver|caretaker|agent|friend|mother|father|mom|dad|"
    r"parent|guardian|sister|brother|grandson|granddaughter|grandchild|neighbou?r|aide|relative|family\s+member|"
    r"partner|niece|nephew|proxy|representative|rep"
)
PICKUP_BY_ANOTHER = (
    rf"(?is)(?:\b(?:picked|pick(?:ed)?\s*-?\s*up|p/u)\s*(?:up\s+)?by\s+(?:the\s+|a\s+|her\s+|his\s+|their\s+|"
    rf"pt'?s\s+|patient'?s\s+)?(?:{PICKUP_PERSON_WORDS})\b"
    rf"|\b(?:{PICKUP_PERSON_WORDS})\b(?:\s+\w+){{0,2}}?\s+(?:picked\s*up|p/u)\b).*$"
)


def without_another_persons_pickup(text: pl.Expr) -> pl.Expr:
    """The text before its first mention of a pickup by another person (PICKUP_BY_ANOTHER): a licence written from
    there on is that person's. Until 2026-11-25 a daughter's licence quoted in her parent's note was the parent's."""
    return text.str.replace(PICKUP_BY_ANOTHER, " ")


def licences(text: pl.Expr) -> pl.Expr:
    """List of Michigan driver licence / state ID numbers (letter + digits, upper case) written after a licence
    word in each text value (not after a pickup by another person: without_another_persons_pickup)."""
    text = without_another_persons_pickup(text)
    found = text.str.extract_all(LICENCE_IN_TEXT).list.eval(
        pl.element()
        .str.extract(r"([A-Za-z][\s\-]?[\d\s\-]+\d)\W*$", 1)
        .str.replace_all(r"[\s\-]", "")
        .str.to_uppercase()
    )
    return found.list.eval(pl.element().filter(drivers_license.michigan_shape(pl.element()))).list.unique(
        maintain_order=True
    )


def ssns(text: pl.Expr) -> pl.Expr:
    """List of valid SSNs (9 digits) found in each text value."""
    # Remove numbers another word claims ("order 123-45-6789") before looking for SSNs.
    t = text.str.replace_all(NEGATED_SSN, " ")
    found = t.str.extract_all(SSN_IN_TEXT).list.eval(pl.element().str.replace_all(r"\D", "").str.slice(-9))
    return found.list.eval(pl.element().filter(ssn.valid(pl.element()))).list.unique(maintain_order=True)


def cards(text: pl.Expr) -> pl.Expr:
    """List of valid card numbers (digits) found in each text value; test numbers excluded."""
    found = text.str.extract_all(CARD_IN_TEXT).list.eval(pl.element().str.replace_all(r"\D", ""))
    return found.list.eval(pl.element().filter(card.valid(pl.element()))).list.unique(maintain_order=True)


def codes(text: pl.Expr) -> pl.Expr:
    """List of security codes / PINs written next to their word in each text value (digits only)."""
    found = text.str.replace_all(FACILITY_CODE_IN_TEXT, " ").str.extract_all(CODE_IN_TEXT)
    return found.list.eval(pl.element().str.replace(r"^\D+", "").str.replace(r"\D.*$", ""))


def looks_like_text(value: pl.Expr) -> pl.Expr:
    """Sentences, not codes: several words; or a JSON document (looks_like_json)."""
    return (value.str.count_matches(r"\s+") >= 3) | looks_like_json(value)


def looks_like_json(value: pl.Expr) -> pl.Expr:
    """A JSON document held in a text column (an API payload, a list of cards as nested JSON): searched like text,
    whatever its header says (a `cards` column of JSON is not a column of card numbers)."""
    return value.str.contains(r'^\s*[\[{].*"\w+"\s*:.*[\]}]\s*$')
