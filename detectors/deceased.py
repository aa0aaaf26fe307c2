"""Deceased: MCL 445.72(1) owes notice "to each resident of this state"; a person who has died is no resident.

A column says a person has died in one of three ways, read by its header and validated by its values:
- a flag (`deceased`, `is_deceased`, `deceased_flag`, `DECD_IND`, `death_ind`, Spanish `fallecido`): Y / N,
  true / false, 1 / 0, X;
- a date of death (`date_of_death`, `death_date`, `deceased_date`, `DT_OF_DEATH`, `died_on`, `fecha_defuncion`,
  and `dod` where a date of birth beside it makes it one): a date on or before the day of the scan, from 1901 on,
  says the person died; a date in the future, a placeholder (1900-01-01, 9999-12-31) or garbage says nothing;
- a status (`vital_status`, `life_status` = DECEASED / DEAD / ALIVE / LIVING; `patient_status`, a discharge
  disposition = EXPIRED; any other person's status column = DECEASED / DEAD / DIED, never EXPIRED: a member's,
  a card's or a licence's status "expired" is about the membership, the card or the licence);
- the reason a record was made inactive, terminated or closed (`InactiveReason`, `InactivationReason`,
  `StatusReason`, `TermReason`, `CloseReason`, `exit_reason_cd` = Deceased / Death / Died / DEC): the person died;
  EXPIRED there only in a patient's table. "Death of spouse", "Subscriber deceased" are another person's death.

Each value is read as DECEASED, LIVING (an explicit statement: N, ALIVE, a vital status of LIVING) or nothing (blank,
unknown, a status that says neither). Whose person a column is about (the row's subject, a spouse, a policy's
insured beside its beneficiary) is decided by classification (pipeline/classify.py), not here.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from detectors.common import header_tokens
from detectors.residency import written_date

CITATION = "MCL 445.72(1)"
DECEASED, LIVING = "deceased", "living"
KIND = "deceased"  # ColumnClass.classified_as of such a column
FLAG, DATE, STATUS = "flag", "date", "status"  # ColumnClass.extra["vital"]
# the reason a record was made inactive or closed (InactiveReason = Deceased); REASON_PATIENT: in a patient's table,
# where EXPIRED says died too
REASON, REASON_PATIENT = "reason", "reason_patient"

# Words that say the person died (a header's tokens)
DEATH_WORDS = {
    "deceased", "decd", "dcsd", "decedent", "dead", "died", "death", "deaths", "decease", "deathdate",
    "dateofdeath", "deceaseddate", "deathdt", "deceasedflag", "isdeceased", "deceasedind",
    # Spanish: fallecido / fallecimiento (died, death), defuncion (death), difunto (deceased)
    "fallecido", "fallecida", "fallecimiento", "defuncion", "difunto", "difunta", "finado",
}  # fmt: skip
# header words that only say the column is a flag, a date or a status of it
FLAG_WORDS = {
    "is",
    "flag",
    "flg",
    "fl",
    "ind",
    "indicator",
    "yn",
    "sw",
    "switch",
    "cd",
    "code",
    "bool",
    "y",
    "n",
}
FLAG_WORDS |= {"confirmed", "verified", "reported", "recorded", "known", "es", "esta", "indicador", "marca"}
DATE_WORDS = {
    "date",
    "dt",
    "dte",
    "on",
    "day",
    "ts",
    "timestamp",
    "time",
    "of",
    "at",
    "fecha",
    "de",
    "del",
    "yr",
}
STATUS_WORDS = {"status", "stat", "sts", "stts", "estado", "estatus", "disposition", "disp", "dispo"}
# a status that is only about life and death (vital_status = ALIVE / DECEASED)
VITAL_WORDS = {"vital", "life", "living", "alive", "mortality", "vida", "vitality"}
# a status in whose values EXPIRED means died: a hospital's patient status, a discharge disposition
PATIENT_WORDS = {"patient", "pat", "pt", "ptnt", "discharge", "disch", "dischg", "dc"}
# the people whose status, flag or date a header may name (whose it is, classification decides)
PERSON_WORDS = {
    "patient", "pat", "pt", "member", "mbr", "customer", "cust", "client", "clnt", "person", "prsn", "individual",
    "indv", "employee", "emp", "ee", "student", "insured", "insd", "subscriber", "subscr", "policyholder",
    "participant", "ptcp", "debtor", "borrower", "applicant", "owner", "holder", "account", "acct", "donor",
    "enrollee", "beneficiary", "bene", "spouse", "sps", "primary", "annuitant", "decedent", "contact", "party",
    "resident", "consumer", "cardholder", "accountholder", "guest", "recipient", "claimant", "payee", "pers",
}  # fmt: skip
# a generic person's status column (status, member_status, cust_status, record_status, account_status)
GENERIC_STATUS_WORDS = PERSON_WORDS | {"record", "rec", "current"}

# The reason a person's record was made inactive, terminated, closed or ended (a pharmacy's PatientStatus =
# Inactive with InactiveReason = Deceased, a plan's TermReason, a student system's exit_reason, a bank's
# CloseReason): a reason word and the word of what ended. A bare `reason` (a visit's, a refund's) is not read.
REASON_WORDS = {"reason", "reasons", "rsn", "rson", "rea"}
ENDED_WORDS = {
    "inactive", "inactivation", "inactivate", "inactivated", "inact", "inactv", "deactivation", "deactivate",
    "deactivated", "deact", "term", "termination", "terminate", "terminated", "trm", "termn", "close", "closed",
    "closure", "closing", "cls", "clse", "disenroll", "disenrollment", "disenrolled", "disenr", "cancel",
    "cancellation", "cancelled", "canceled", "canc", "cncl", "exit", "exited", "withdrawal", "withdraw", "withdrawn",
    "wdrl", "drop", "dropped", "end", "ended", "stop", "stopped", "separation", "sep", "leave", "leaving", "left",
    "lapse", "archive", "archived", "purge", "purged", "delete", "deleted", "deletion", "removal", "removed",
    "status", "stat", "sts", "stts", "estado", "estatus", "baja", "inactivacion", "cierre",
}  # fmt: skip
REASON_QUALIFIER_WORDS = {"cd", "code", "desc", "description", "descr", "text", "txt", "type", "typ", "id", "nm"}  # fmt: skip
REASON_QUALIFIER_WORDS |= {"name"} | FLAG_WORDS - {"y", "n"}
# a death word in a reason's value, and the short codes systems keep (DEC, DECD, DTH)
REASON_DEATH_CODES = ["dec", "decd", "dcsd", "dth", "deceased", "dead", "died", "death", "expired", "exp"]
# another person's death as the reason (Death of spouse, Death in family, Subscriber deceased): the row's person lives
ANOTHER_PERSONS_DEATH = (
    r"(?i)\b(death|died|deceased|dec|decd)\s+(of|in)\b|\b(spouse|husband|wife|partner|family|relative|parent|"
    r"father|mother|child|son|daughter|guardian|caregiver|subscriber|sponsor|policyholder|insured|primary|employee|"
    r"member's|survivor|beneficiary|bene)\b"
)


def reason_header(header: str) -> bool:
    """Whether a header names the reason a person's record was made inactive, terminated or closed
    (InactiveReason, inactive_reason_cd, TermReason, StatusReason, CloseReason)."""
    words = _words(header)
    return bool(
        words & REASON_WORDS
        and words & ENDED_WORDS
        and not words - REASON_WORDS - ENDED_WORDS - REASON_QUALIFIER_WORDS - PERSON_WORDS
    )


# a date of death abbreviated: dod (patient_dod, dod_dt); needs a date of birth beside it (headers)
DOD = {"dod", "dodt"}
BIRTH = {"dob", "birth", "birthdate", "birthday", "bdate", "born", "nacimiento"}

# values
TRUE_VALUES = ["y", "yes", "true", "t", "1", "x", "si", "sí", "deceased", "dead", "d", "-1", "on"]
FALSE_VALUES = ["n", "no", "false", "f", "0", "alive", "living", "l", "a", "off"]
# a status value's words: one of these says died; a negation before it says the opposite
DEATH_VALUE = r"(?i)\b(deceased|dead|died|death|expired|decd|dcsd|fallecido|fallecida|difunto|difunta)\b"
DEATH_VALUE_NOT_EXPIRED = r"(?i)\b(deceased|dead|died|decd|dcsd|fallecido|fallecida|difunto|difunta)\b"
NEGATED = r"(?i)\b(not|non|no|never|un|alive|living)\b[\s-]*"
LIVING_VALUE = r"(?i)^\s*(alive|living|live|not deceased|non deceased|not dead|vivo|viva)\s*$"
FIRST_YEAR = 1901  # 1900-01-01 and earlier: a system's placeholder for no date


# a name column of the person who died (decedent_first_name, deceased_last_name, name_of_deceased)
DECEDENT_NAME_WORDS = {"decedent", "deceased", "decd", "dcsd", "difunto", "difunta", "fallecido", "fallecida"}


# The people whose rows are there because somebody else died: an heir, a survivor, a loan's successor in interest
# (Regulation X, 12 CFR 1024.31: who takes the property on the borrower's death). A row of theirs (a successors
# table's, or a row whose name column is the successor's: SUCCESSOR_NAME) is the survivor's, a living person: its
# death columns and the decedent's own columns (DECEDENT_NAME, DECEDENT_SSN) are the decedent's (pipeline/classify.py)
SURVIVOR_WORDS = {"heir", "heirs", "survivor", "survivors", "successor", "successors", "succ", "sii"}


def _words(header: str) -> set[str]:
    return set(header_tokens(header))


def header_kind(header: str, headers: list[str] | tuple[str, ...] = ()) -> str | None:
    """FLAG, DATE or STATUS when the header names a person's death that way (by its words alone), else None.

    Every word of the header must be a death word, a flag, date or status word, or a person's word: a
    `deceased_spouse_name` is a name, a `death_benefit_amt` an amount, a `death_cert_no` a certificate's number.
    `dod` is a date of death only beside a date of birth (`dob`), not a Department of Defense id.
    """
    words = _words(header)
    if not words:
        return None
    if reason_header(header):
        return REASON  # read by its values (column_evidence)
    if words & DOD and not words & DEATH_WORDS:
        rest = words - DOD - DATE_WORDS - PERSON_WORDS
        if rest or not any(_words(h) & BIRTH for h in headers if h != header):
            return None
        return DATE
    if words & DEATH_WORDS:
        rest = words - DEATH_WORDS - PERSON_WORDS
        if not rest - FLAG_WORDS:
            return FLAG
        if not rest - FLAG_WORDS - DATE_WORDS and rest & DATE_WORDS - {"of", "de", "del", "is", "es"}:
            return DATE
        if "of" in rest and not rest - FLAG_WORDS - DATE_WORDS:  # date_of_death
            return DATE
        if not rest - FLAG_WORDS - STATUS_WORDS:
            return STATUS  # deceased_status, death_status: read by their values
        return None
    if words & STATUS_WORDS and not words - STATUS_WORDS - VITAL_WORDS - PERSON_WORDS and words & VITAL_WORDS:
        return STATUS
    if (
        words & STATUS_WORDS
        and not words - STATUS_WORDS - PATIENT_WORDS - PERSON_WORDS
        and words & PATIENT_WORDS
    ):
        return STATUS
    if words & STATUS_WORDS and not words - STATUS_WORDS - GENERIC_STATUS_WORDS:
        return STATUS  # status, member_status: a death word must show among its values (classify)
    return None


def names_decedent(header: str) -> bool:
    """A name column whose header says its person died (decedent_first_name, deceased_name): an estate's or a
    death claim's subject. Of any other column, that it is the decedent's (decedent_ssn, deceased_borrower_ssn)."""
    return bool(_words(header) & DECEDENT_NAME_WORDS)


def names_survivor(header: str) -> bool:
    """A header (a name column's, a table's name) naming a survivor of somebody who died, never the one who died
    (successor_name, sii_name, heirs, loan_successors; not decedent_name)."""
    return bool(_words(header) & SURVIVOR_WORDS) and not names_decedent(header)


def expired_means_died(header: str) -> bool:
    """A vital status or a patient's status / discharge disposition: EXPIRED there says the person died."""
    words = _words(header)
    return bool(words & (VITAL_WORDS | PATIENT_WORDS | DEATH_WORDS))


def vital_status_header(header: str) -> bool:
    """A status only about life and death (vital_status, life_status, deceased_status): its other values say
    living, and D / A are deceased / alive."""
    words = _words(header)
    return bool(words & (VITAL_WORDS | DEATH_WORDS)) and not (
        words - STATUS_WORDS - VITAL_WORDS - PERSON_WORDS - DEATH_WORDS - FLAG_WORDS
    )


def death_date(value: pl.Expr) -> pl.Expr:
    """The date a value writes (ISO, US, YYYYMMDD, Oracle's 30-JUN-22, Jun 30, 2022), or null."""
    return written_date(value.str.strip_chars())


def is_date(value: pl.Expr) -> pl.Expr:
    return death_date(value).is_not_null()


def _died_on(date: pl.Expr) -> pl.Expr:
    """A date of death that can be one: from 1901 on (1900-01-01 is a placeholder) and not after today."""
    return (date.dt.year() >= FIRST_YEAR) & (date <= pl.lit(dt.date.today()))


def flag_value(value: pl.Expr) -> pl.Expr:
    """Whether a value is a flag's (yes / no in any of the usual spellings)."""
    return value.str.strip_chars().str.to_lowercase().is_in(TRUE_VALUES + FALSE_VALUES)


def says_died(value: pl.Expr, expired: bool) -> pl.Expr:
    """Whether a status value says the person died (DECEASED, "Deceased - verified"; EXPIRED only where
    `expired`), not negated (NOT DECEASED, non-deceased)."""
    pattern = DEATH_VALUE if expired else DEATH_VALUE_NOT_EXPIRED
    negated = NEGATED + pattern.removeprefix("(?i)")
    return value.str.contains(pattern) & ~value.str.contains("(?i)" + negated)


def reason_says_died(value: pl.Expr, expired: bool) -> pl.Expr:
    """Whether the reason a record was made inactive says its person died (Deceased, Death, Died, DEC, "Deceased -
    verified"; EXPIRED and EXP only where `expired`, a patient's table), not negated and not another person's death
    (Death of spouse, Subscriber deceased)."""
    low = value.str.strip_chars().str.to_lowercase()
    codes = [c for c in REASON_DEATH_CODES if expired or c not in ("expired", "exp")]
    return (
        (low.is_in(codes) | says_died(value, expired) | value.str.contains(r"(?i)\bdeath\b"))
        & ~value.str.contains("(?i)" + NEGATED + r"(deceased|dead|died|death|expired)\b")
        & ~value.str.contains(ANOTHER_PERSONS_DEATH)
    ).fill_null(False)


def vital(value: pl.Expr, kind: str, header: str) -> pl.Expr:
    """Per cleaned value: DECEASED, LIVING or null (says nothing), as a String expression."""
    v = value.str.strip_chars()
    low = v.str.to_lowercase()
    if kind == FLAG:
        date = death_date(v)
        return (
            pl.when(low.is_in(TRUE_VALUES))
            .then(pl.lit(DECEASED))
            .when(low.is_in(FALSE_VALUES))
            .then(pl.lit(LIVING))
            # a deceased column holding the date of death (deceased = 2021-03-04)
            .when(date.is_not_null() & _died_on(date))
            .then(pl.lit(DECEASED))
            .otherwise(pl.lit(None, dtype=pl.String))
        )
    if kind == DATE:
        date = death_date(v)
        return (
            pl.when(date.is_not_null() & _died_on(date))
            .then(pl.lit(DECEASED))
            .otherwise(pl.lit(None, pl.String))
        )
    if kind in (REASON, REASON_PATIENT):
        return (
            pl.when(reason_says_died(v, kind == REASON_PATIENT))
            .then(pl.lit(DECEASED))
            .otherwise(pl.lit(None, dtype=pl.String))
        )
    vital_only = vital_status_header(header)
    died = says_died(v, expired_means_died(header))
    out = pl.when(died).then(pl.lit(DECEASED))
    if vital_only:  # a vital status's own codes, and its living values
        out = out.when(low.is_in(["d", "y", "yes", "true", "1"])).then(pl.lit(DECEASED))
        out = out.when(low.is_in(["a", "l", "n", "no", "false", "0"]) | v.str.contains(LIVING_VALUE)).then(
            pl.lit(LIVING)
        )
    else:
        out = out.when(v.str.contains(LIVING_VALUE)).then(pl.lit(LIVING))
    return out.otherwise(pl.lit(None, dtype=pl.String))


FLAG_SHARE = 0.9  # of sampled values a flag column's must be yes / no (or dates of death)
DATE_SHARE = 0.6  # of sampled values a date-of-death column's must be dates
STATUS_SHARE = 0.6  # of sampled values a vital status column's must say deceased or living
STATUS_DISTINCT = 50  # a status column holds a few words


def column_evidence(
    header: str, values: pl.DataFrame, headers: list[str] | tuple[str, ...] = ()
) -> tuple[str, str] | None:
    """(FLAG | DATE | STATUS, evidence) when the header names a person's death and the sampled values (a frame
    with one String column "v" of cleaned, non-empty values) are what such a column holds; else None."""
    kind = header_kind(header, headers)
    n = values.height
    if kind is None or n == 0:
        return None
    v = pl.col("v")

    def share(expr: pl.Expr) -> float:
        return float(values.select(expr.fill_null(False).cast(pl.Int64).sum()).item()) / n

    pct = lambda x: f"{round(100 * x)}%"  # noqa: E731
    if kind == FLAG:
        s = share(flag_value(v) | is_date(v))
        if s >= FLAG_SHARE:
            return (
                FLAG,
                f"header '{header}' flags a death; {pct(s)} of {n} sampled values are yes / no or dates",
            )
        return None
    if kind == DATE:
        s = share(is_date(v))
        if s >= DATE_SHARE:
            return DATE, f"header '{header}' names a date of death; {pct(s)} of {n} sampled values are dates"
        return None
    if kind == REASON:
        # EXPIRED says died in a patient's table: the header or another of the table's names a patient
        patient = any(
            _words(h) & (PATIENT_WORDS - {"discharge", "disch", "dischg", "dc"}) for h in (header, *headers)
        )
        kind = REASON_PATIENT if patient else REASON
        died = int(values.select(reason_says_died(v, patient).cast(pl.Int64).sum()).item())
        if died and values.get_column("v").n_unique() <= STATUS_DISTINCT:
            expired = " (EXPIRED read as died: a patient's table)" if patient else ""
            return (
                kind,
                f"header '{header}' is the reason a record was made inactive or closed; {died} of {n} sampled "
                f"values say the person died{expired}",
            )
        return None
    read = values.select(vital(v, STATUS, header).alias("s")).get_column("s")
    died = int((read == DECEASED).sum())
    if vital_status_header(header):
        s = (died + int((read == LIVING).sum())) / n
        if s >= STATUS_SHARE:
            return (
                STATUS,
                f"header '{header}' is a vital status; {pct(s)} of {n} sampled values say deceased or living",
            )
        return None
    if died and values.get_column("v").n_unique() <= STATUS_DISTINCT:
        expired = " (EXPIRED read as died: a patient's status)" if expired_means_died(header) else ""
        return (
            STATUS,
            f"header '{header}' is a person's status; {died} of {n} sampled values say the person died{expired}",
        )
    return None
