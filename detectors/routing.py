"""ABA routing number: corroborates a bank account column but is not an account (MCL 445.63(p)(iii)).

A routing number identifies the bank, not the resident's account, so it is never an element by itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from detectors.common import HeaderContext, aba_valid, digits, mentions

ROUTING_WORDS = r"\b(routing|aba|transit|routing (no|num|number))\b"
# `rtn` is the IRS's and the banks' abbreviation of a routing transit number (DD_RTN, Form 8888 RTN), but also a
# return's (a rental car's rtn_loc_cd, rtn_dttm, rtn_miles; an ACH return's rtn_reason_cd). It names a routing number
# only as the head of its header (RTN, DD_RTN, payee_rtn, rtn_no) or beside account words (rtn_acct, acct_rtn);
# `rtn_` before a place, a time, a vehicle's reading, a reason or a code is a return. Until 2026-11-25 every `rtn`
# was a routing number: a rental agreement's return location made its corporate discount code a bank account.
RTN = (
    r"\brtn( (no|num|nbr|nmbr|number))?$|\brtn (acct|account|accts|accounts|dan|dda|aba)\b|"
    r"\b(acct|account|bank|dda|ach|eft|rdfi|odfi|deposit|dep|dd|direct deposit|chk|checking|sav|savings|payee|"
    r"vendor|ben|beneficiary|wire)\b.*\brtn( (no|num|nbr|nmbr|number))?$"
)
# a return's place, time, reading, reason or code
RETURN_EVENT = (
    r"\b(rtn|return|returned) (loc|location|locn|lctn|station|stn|branch|city|st|state|zip|addr|address|date|dt|dte|"
    r"time|tm|dttm|datetime|ts|timestamp|miles|mileage|mi|odometer|odo|odom|km|fuel|fuel lvl|gas|damage|dmg|agent|"
    r"agt|reason|rsn|cd|code|qty|flag|ind|type|status|id)\b"
)

CONTEXT = HeaderContext(positive=rf"{ROUTING_WORDS}|{RTN}", negative=RETURN_EVENT)
# words beside `rtn` that keep it a routing number whatever the table (DD_RTN, payee_rtn, rtn_acct)
BANK_BESIDE = (
    r"\b(acct|account|accts|accounts|dan|dda|aba|bank|dd|direct deposit|ach|eft|rdfi|odfi|deposit|payee|vendor|"
    r"beneficiary|wire)\b"
)
# a returned vehicle's or item's place, time or reading (a rental's rtn_loc_cd, rtn_dttm, rtn_miles)
RETURNED_AT = (
    r"\brtn (loc|location|locn|lctn|station|stn|branch|city|st|state|zip|addr|address|date|dt|dte|time|tm|dttm|"
    r"datetime|ts|timestamp|miles|mileage|mi|odometer|odo|odom|km|fuel|fuel lvl|gas|damage|dmg|agent|agt)\b"
)


def names_routing(header: str, headers: Sequence[str] = ()) -> bool:
    """Whether `header` names a routing number in its table of `headers`: CONTEXT, and a bare `rtn` (no routing
    word, no bank word beside it: RTN, veh_rtn) not in a table whose other `rtn_` columns are a return's place,
    time or reading (rtn_loc_cd, rtn_dttm: a rental's returned vehicle, `rtn` its return flag or station)."""
    if not CONTEXT.says(header):
        return False
    if mentions(header, ROUTING_WORDS) or mentions(header, BANK_BESIDE):
        return True
    return not any(mentions(h, RETURNED_AT) for h in headers if h != header)


def valid(value: pl.Expr, integer_column: bool = False) -> pl.Expr:
    """ABA-valid; in an integer-typed column (a dump's int, a spreadsheet's number) the routing numbers of the
    Federal Reserve districts 01-09 lost their leading zero (72000326 is 072000326)."""
    d = digits(value)
    if integer_column:
        d = pl.when(d.str.contains(r"^\d{8}$")).then(d.str.zfill(9)).otherwise(d)
    return aba_valid(d)
