"""First name or first initial and last name: MCL 445.63(p).

A record has a name only with both parts. Columns are named by their header; values must look like a person's
name. "Smith, John", "John Q. Smith" and "J. Smith" are full names; "Smith" alone, "John" alone or "J. S." are not.
"""

from __future__ import annotations

import polars as pl

from detectors.common import HeaderContext

CITATION = "MCL 445.63(p)"

# Columns whose "name" is not a person's: a company, a product, a login ...
NOT_A_PERSON = (
    r"\b(company|business|org|organization|organisation|product|item|user|username|login|screen|nick|nickname|"
    r"file|filename|bank|street|city|town|county|country|state|merchant|vendor|store|shop|brand|table|column|"
    r"host|hostname|domain|plan|campaign|school|employer|program|project|team|department|dept|group|role|"
    r"display|account|acct|pet|ship|server|app|device|category|event|course|title|middle|maiden|nick|"
    r"legal entity|entity|facility|provider|hospital|clinic|branch|site|location|place|path|dba|trade)\b"
)

FIRST = HeaderContext(
    positive=r"\b(first name|firstname|fname|first nm|frst nm|frst name|fst nm|given name|givenname|forename|first|given|fn|f name|"
    r"name first)\b",
    negative=NOT_A_PERSON + r"|\b(initial|init)\b",
)
LAST = HeaderContext(
    positive=r"\b(last name|lastname|lname|last nm|lst nm|lst name|surname|family name|familyname|last|family|ln|l name|"
    r"name last|sur name)\b",
    negative=NOT_A_PERSON + r"|\b(initial|init|login|seen|modified|updated|visit|four|4|digits)\b",
)
INITIAL = HeaderContext(
    positive=r"\b(first initial|fi|initial|first init|init|f initial)\b",
    negative=NOT_A_PERSON + r"|\b(middle|mi|last)\b",
)
FULL = HeaderContext(
    positive=r"\b(name|full name|fullname|names|cardholder|holder|insured|patient|applicant|employee|customer|"
    r"member|subscriber|policyholder|borrower|client|person|owner|student|resident|claimant|beneficiary name)\b",
    negative=NOT_A_PERSON + r"|\b(first|last|given|surname|family|fname|lname|id|no|num|number|code|key|type|"
    r"date|email|phone|address|since|status|count|ref)\b",
)
# "Name (Last, First)", "NAME_LAST_FIRST": a full-name column whose header spells out the order
FULL_ORDERED = HeaderContext(
    positive=r"\bname\b.*\b(last first|first last)\b|\b(last first|first last) name\b"
)
# Headers that are names only when the values say so (customer, holder ...), unlike an explicit "*name" header.
FULL_NEEDS_VALUES = (
    r"\b(cardholder|holder|insured|patient|applicant|employee|customer|member|subscriber|"
    r"policyholder|borrower|client|person|owner|student|resident|claimant)\b"
)

NAME_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*"
SUFFIXES = r"(?i)^(jr|sr|ii|iii|iv|md|phd|esq|dds)\.?$"  # not "V": far more often an initial than "the Fifth"
# A "name" ending like this is an organisation, not a person (Acme Holdings LLC, First National Bank).
COMPANY = (
    r"(?i)(\b(inc|llc|l\.l\.c|ltd|corp|co|company|corporation|group|bank|trust|foundation|associates|partners|llp|"
    r"plc|gmbh|services|solutions|holdings|enterprises|industries|international|university|college|school|church|"
    r"hospital|clinic|agency|department|dept|county|city|township|store|shop|restaurant|hotel|motors|realty)\.?$)|&"
)
NOT_NAMES = ["test", "unknown", "n/a", "na", "none", "null", "anonymous", "customer", "guest", "redacted"]


def _letters(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"[^A-Za-zÀ-ÖØ-öø-ÿ]", "")


def first_part(value: pl.Expr) -> pl.Expr:
    """A first name or first initial: at least one letter, nothing but name characters."""
    ok = value.str.contains(rf"^{NAME_WORD}\.?(\s+{NAME_WORD}\.?)*$") & ~value.str.to_lowercase().is_in(
        NOT_NAMES
    )
    return pl.when(ok).then(value.str.strip_chars()).otherwise(None)


def last_part(value: pl.Expr) -> pl.Expr:
    """A last name: at least two letters (an initial is not a last name)."""
    ok = (
        value.str.contains(rf"^{NAME_WORD}(\s+{NAME_WORD})*$")
        & (_letters(value).str.len_chars() >= 2)
        & ~value.str.to_lowercase().is_in(NOT_NAMES)
        & ~value.str.contains(COMPANY)
    )
    return pl.when(ok).then(value.str.strip_chars()).otherwise(None)


def split_full_name(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(first, last) from 'Smith, John Q.' / 'John Q. Smith' / 'J. Smith' / 'Dr. John Smith Jr.' / 'SMITH J'."""
    value = pl.when(value.str.contains(COMPANY)).then(None).otherwise(value)
    v = value.str.replace_all(r"(?i)^(mr|mrs|ms|miss|dr|prof|rev)\.?\s+", "").str.strip_chars()
    comma = v.str.contains(",")
    before, after = v.str.extract(r"^([^,]+),", 1), v.str.extract(r",\s*(.+)$", 1)
    # "Smith, John Q." : last name before the comma (unless what follows is only a suffix: "John Smith, Jr.")
    after_is_suffix = after.str.contains(SUFFIXES)
    words = (
        pl.when(comma & after_is_suffix)
        .then(before)
        .otherwise(v)
        .str.split(" ")
        .list.eval(pl.element().filter((pl.element() != "") & ~pl.element().str.contains(SUFFIXES)))
    )
    first_plain, last_plain = words.list.first(), words.list.last()
    has_two = words.list.len() >= 2
    # "SMITH J" (mainframe style, no comma): a trailing lone initial is the first initial, what precedes it the
    # surname; an initial is never a last name, so this reading is the only one under which the value is a name
    surname_initial = (
        ~comma
        & has_two
        & last_plain.str.contains(r"^[A-Za-z]\.?$")
        & (_letters(first_plain).str.len_chars() >= 2)
    )
    surname = words.list.slice(0, words.list.len() - 1).list.join(" ")
    first = (
        pl.when(comma & ~after_is_suffix)
        .then(after.str.split(" ").list.first())
        .when(surname_initial)
        .then(last_plain)
        .when(has_two)
        .then(first_plain)
        .otherwise(None)
    )
    last = (
        pl.when(comma & ~after_is_suffix)
        .then(before)
        .when(surname_initial)
        .then(surname)
        .when(has_two)
        .then(last_plain)
        .otherwise(None)
    )
    return first_part(first), last_part(last)


def name_key(first: pl.Expr, last: pl.Expr) -> pl.Expr:
    """Last name and first initial, folded: the part of a name two records of one person share."""
    f = _letters(first).str.to_lowercase().str.slice(0, 1)
    ln = _letters(last).str.to_lowercase()
    return pl.when((f.str.len_chars() > 0) & (ln.str.len_chars() >= 2)).then(
        pl.concat_str([ln, f], separator="|")
    )


def first_key(first: pl.Expr) -> pl.Expr:
    """The first name folded (one letter when only an initial is known)."""
    return _letters(first).str.to_lowercase()


def full_key(first: pl.Expr, last: pl.Expr) -> pl.Expr:
    """Whole first and last name, folded: for matching name + address."""
    return pl.concat_str(
        [_letters(last).str.to_lowercase(), _letters(first).str.to_lowercase()], separator="|"
    )
