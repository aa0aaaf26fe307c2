"""Single-table datasets: each file is one table, scanned alone, with its own planted persons and truth.

Each builder returns a Dataset: the frame to write, the facts of every record (see _truth.py) and how to write
it. Records of one person that repeat are always joined by a readable key both records show (e-mail, SSN,
card or licence), so "the same person counts once" holds under section 3 without name+address matching.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from data_fixtures import _people as P
from data_fixtures import _truth as T
from data_fixtures import _values as V


@dataclass
class Dataset:
    name: str  # file name
    frame: pl.DataFrame
    facts: pl.DataFrame
    writer: str  # csv | tsv | csv-latin1-semicolon | parquet | ndjson | csv.gz
    text_keys: list[str] = field(default_factory=list)
    traps: list[str] = field(default_factory=list)


@lru_cache(maxsize=8)
def name_pools(seed: int, accented: bool = False) -> V.NamePools:
    if accented:
        return V.NamePools(seed, ("fr_FR", "de_DE", "es_ES"), size=500)
    return V.NamePools(seed, ("en_US",), size=500)


def _rng(seed: int, salt: int) -> np.random.Generator:
    return np.random.default_rng([seed, salt])


def _frame(cols: dict) -> pl.DataFrame:
    return pl.DataFrame(
        {
            k: pl.Series(k, list(v) if isinstance(v, np.ndarray) else v, dtype=pl.String)
            for k, v in cols.items()
        }
    )


def _permute(rng, frame: pl.DataFrame, facts: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Shuffle records (so repeats of a person are not adjacent) and number them as written."""
    order = rng.permutation(frame.height)
    frame = frame[order]
    facts = {
        k: (np.asarray(v, dtype=object)[order] if np.asarray(v).dtype == object else np.asarray(v)[order])
        for k, v in facts.items()
    }
    facts["row"] = np.arange(frame.height)
    return frame, T.facts_frame(facts)


def _status(kind, mapping: dict) -> np.ndarray:
    return np.select([kind == k for k in mapping], list(mapping.values()), T.NONE).astype(np.int8)


def _middle(rng, n):
    return V.chars(rng.integers(0, 26, (n, 1)), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _repeat(rng, n: int, p_dup: float, eligible=None):
    """Record -> person index: every person once, some twice."""
    dup = rng.random(n) < p_dup
    if eligible is not None:
        dup &= eligible
    pid = np.concatenate([np.arange(n), np.flatnonzero(dup)])
    is_dup = np.concatenate([np.zeros(n, bool), np.ones(int(dup.sum()), bool)])
    return pid, is_dup, dup


def _residency_records(rng, pid, is_dup, n):
    """Primary records show the person's true residency; a repeated record shows it again (55%) or a second,
    independently planted one: the planted conflicts (Michigan here, Ohio there) of section 5."""
    a = P.plant_residency(rng, n)
    b = P.plant_residency(rng, n)
    use_b = is_dup & (rng.random(len(pid)) < 0.45)
    pick = {k: np.where(use_b, b[k][pid], a[k][pid]) for k in a}
    return P.render_residency(rng, pick["cls"], pick["state"], pick["zip"], pick["city"])


# ---------------------------------------------------------------------------------------------------------------
def customers(seed: int, n: int) -> Dataset:
    """customers.csv: full-name column in every form, SSNs in every format and mask, licences, decoys."""
    rng = _rng(seed, 1)
    names = name_pools(seed)
    pool = V.NinePool(rng)
    first, last = names.draw(rng, n)
    middle = _middle(rng, n)
    invalid = rng.random(n) < 0.05
    ssn = pool.valid(n)
    ssn[invalid] = pool.invalid(int(invalid.sum()))
    has_lic = rng.random(n) < 0.30
    lic = V.mi_licences(rng, np.char.upper(V.sl(last, 0, 1)), n)
    em = P.email(first, last, np.arange(n), P.domains(rng, n))
    has_email = rng.random(n) > 0.05

    # repeats: only valid-SSN persons with an e-mail, so both records carry the same readable e-mail key
    pid, is_dup, dup = _repeat(rng, n, 0.12, eligible=~invalid)
    has_email |= dup
    m = len(pid)

    form = rng.choice(len(P.NAME_FORM_P), size=m, p=P.NAME_FORM_P)
    name_col, named = P.full_name(form, first[pid], last[pid], middle[pid], rng)

    # SSN: 0 plain (three layouts), 1 redacted mask, 2 '1234567XX' (run 7: not redacted), 3 empty
    sk = rng.choice(4, size=m, p=[0.62, 0.13, 0.04, 0.21])
    inv = invalid[pid]
    sk = np.where(inv, 0, sk)
    v = ssn[pid]
    ssn_col = P.where(
        sk == 0,
        V.ssn_format(rng, v),
        P.where(sk == 1, V.ssn_masked(rng, v, True), P.where(sk == 2, V.ssn_masked(rng, v, False), None)),
    )
    ssn_fact = np.where(inv, T.NONE, _status(sk, {0: T.UNREDACTED, 1: T.REDACTED, 2: T.UNREDACTED}))
    key_ssn = P.where((sk == 0) & ~inv, V.ssn_text(v), None)
    last4 = P.where((rng.random(m) < 0.25) & ~inv, V.sl(V.ssn_text(v), -4), None)
    ssn_fact = np.where((ssn_fact == T.NONE) & (last4 != None), T.REDACTED, ssn_fact)  # noqa: E711

    # notes: free text. A person seen once whose ssn field is empty may have the SSN in the note, with its
    # context word (section 1 applies to the number; the note is linked to the row's name); other notes hold
    # phones and dates only. A note's SSN appears nowhere else (see _truth._check_text_keys).
    in_note = (sk == 3) & ~inv & ~dup[pid] & (rng.random(m) < 0.35)
    note_ssn = V.ssn_format(rng, v, (0.7, 0.15, 0.15))
    phone_note = V.phones(rng, m)
    date_note = V.dates(rng, m, 2023, 2025)
    notes = np.full(m, None, dtype=object)
    plain_note = rng.random(m) < 0.3
    for i in np.flatnonzero(plain_note):
        notes[i] = f"Called {date_note[i]} from {phone_note[i]}; prefers e-mail."
    for i in np.flatnonzero(in_note):
        notes[i] = f"Verified SSN {note_ssn[i]} by phone on {date_note[i]}."
    ssn_fact = np.where(in_note, T.UNREDACTED, ssn_fact)
    text_keys = list(V.ssn_text(v[in_note]))

    # licence: 0 'S123456789012', 1 'S 123 456 789 012', 2 'S123 456X XXX XXX' (run 6), 3 'S XXX XXX XX9 012'
    lk = np.where(has_lic[pid], rng.choice(4, size=m, p=[0.40, 0.33, 0.12, 0.15]), -1)
    L = lic[pid]
    lic_col = P.where(
        lk == 0,
        L,
        P.where(
            lk == 1,
            V.mi_licence_spaced(L),
            P.where(
                lk == 2, V.mi_licence_partial_unredacted(L), P.where(lk == 3, V.mi_licence_redacted(L), None)
            ),
        ),
    )
    dl_fact = _status(lk, {0: T.UNREDACTED, 1: T.UNREDACTED, 2: T.UNREDACTED, 3: T.REDACTED})

    state, zip_, city, res = _residency_records(rng, pid, is_dup, n)
    street = P.where(rng.random(m) < 0.9, V.streets(rng, m), None)
    email_col = P.where(has_email[pid], em[pid], None)
    company = P.where(rng.random(m) < np.where(named, 0.15, 0.6), V.pick(rng, list(names.companies), m), None)

    frame = _frame(
        {
            "customer_id": (100001 + np.arange(m)).astype(str),
            "full_name": name_col,
            "company": company,
            "email": email_col,
            "phone": V.phones(rng, m),
            "street": street,
            "city": city,
            "state": state,
            "zip": zip_,
            "ssn": ssn_col,
            "ssn_last4": last4,
            "drivers_license": lic_col,
            "order_number": V.ssn_text(pool.valid(m)),  # decoy: SSN-valid 9 digits under an order header
            "invoice_ref": V.licence_shaped_decoys(rng, m),  # decoy: shaped like a Michigan licence
            "upc": P.where(rng.random(m) < 0.5, V.upcs(rng, m), None),
            "signup_date": V.dates(rng, m, 2015, 2025),
            "notes": notes,
        }
    )
    facts = {
        "table": np.full(m, "customers", dtype=object),
        "pid": pid,
        **P.name_facts(named, first[pid], last[pid]),
        "ssn": ssn_fact,
        "drivers_license": dl_fact,
        "residency": res,
        "rejected_ssn": inv.astype(np.int32),
        "key_ssn": key_ssn,
        "key_dl": P.where(np.isin(lk, [0, 1]), L, None),
        "key_email": email_col,
    }
    frame, facts = _permute(rng, frame, facts)
    return Dataset(
        "customers.csv",
        frame,
        facts,
        "csv",
        text_keys=text_keys,
        traps=[
            "notes: free text, some 'Verified SSN 123-45-6789 by phone' (counts), others phones and dates",
            "full_name also 'Smith, J.', 'SMITH, JOHN', 'Dr. John Smith', 'John Smith Jr.' (names) and 'Dr. Smith' (no name)",
            "full_name in 'Smith, John' / 'John Q. Smith' / 'J. Smith' / 'John Smith'; 'Smith', 'John', 'J. S.' alone are no name",
            "company column (company names are not person names)",
            "ssn as 123-45-6789 / 123456789 / 123 45 6789; masks ***-**-6789, XXX-XX-6789, 123-45-XXXX, 12345XXXX (redacted)",
            "ssn 1234567XX (run 7: NOT redacted, counts)",
            "ssn_last4 (truncated: redacted)",
            "invalid SSNs (area 000/666/9xx, group 00, serial 0000, 078-05-1120, 219-09-9999, 457-55-5462): rejected",
            "licences S123456789012 / 'S 123 456 789 012' / 'S123 456X XXX XXX' (run 6, counts) / 'S XXX XXX XX9 012' (redacted)",
            "order_number: SSN-valid 9 digits (decoy); invoice_ref: licence-shaped (decoy); upc; phone; signup_date",
            "12% of persons twice (same e-mail), some with a Michigan/other-state conflict, some whose only readable SSN is in the other record",
        ],
    )


# ---------------------------------------------------------------------------------------------------------------
def applicants(seed: int, n: int) -> Dataset:
    """applicants.tsv: first/last columns (some only one), SSNs with invalid ones, direct-deposit bank accounts
    with routing numbers but no access code (counts only under what_if.account_numbers_alone)."""
    rng = _rng(seed, 2)
    names = name_pools(seed)
    pool = V.NinePool(rng)
    first, last = names.draw(rng, n)
    invalid = rng.random(n) < 0.10
    ssn = pool.valid(n)
    ssn[invalid] = pool.invalid(int(invalid.sum()))
    has_ssn = invalid | (rng.random(n) < 0.88)
    has_acct = rng.random(n) < 0.55
    acct = V.account_numbers(rng, n)
    acct_masked = rng.random(n) < 0.12
    banks = V.routing_numbers(rng, 12)  # a dozen banks shared by everyone: routing is not an account
    routing = banks[rng.integers(0, len(banks), n)]

    # repeats: the same applicant applied twice, plain SSN in both records
    pid, is_dup, dup = _repeat(rng, n, 0.06, eligible=~invalid & has_ssn)
    m = len(pid)
    # names: 0 first+last, 1 initial 'J.' + last (named), 2 last only, 3 first only
    nk = rng.choice(4, size=m, p=[0.80, 0.07, 0.07, 0.06])
    f, la = first[pid], last[pid]
    first_col = P.where(
        nk == 0,
        f,
        P.where(
            nk == 1, V.cat(V.sl(f, 0, 1), np.where(rng.random(m) < 0.5, ".", "")), P.where(nk == 3, f, None)
        ),
    )
    last_col = P.where(np.isin(nk, [0, 1, 2]), la, None)
    named = np.isin(nk, [0, 1])

    v = ssn[pid]
    show_ssn = has_ssn[pid]
    inv = invalid[pid]
    ssn_col = P.where(show_ssn, V.ssn_format(rng, v, (0.4, 0.4, 0.2)), None)
    ssn_fact = np.where(show_ssn & ~inv, T.UNREDACTED, T.NONE)

    ha = has_acct[pid] & ~is_dup  # the account is on the first application only
    A = acct[pid]
    acct_col = P.where(ha, P.where(acct_masked[pid], V.account_redacted(A), A), None)
    fin = np.where(ha, np.where(acct_masked[pid], T.REDACTED, T.UNREDACTED), T.NONE)

    state, zip_, city, res = _residency_records(rng, pid, is_dup, n)
    frame = _frame(
        {
            "Applicant ID": V.cat("A-", V.zfill(np.arange(1, m + 1), 6)),
            "First Name": first_col,
            "Last Name": last_col,
            "Middle Initial": P.where(rng.random(m) < 0.5, _middle(rng, m), None),
            "Date of Birth": V.dates(rng, m),
            "SSN": ssn_col,
            "Phone": V.phones(rng, m),
            "City": city,
            "State": state,
            "ZIP": zip_,
            "Employer": V.pick(rng, list(names.companies), m),
            "Bank Name": P.where(
                ha, V.pick(rng, ["First Lakes Bank", "Great Dunes Credit Union", "Harbor Savings"], m), None
            ),
            "Routing Number": P.where(ha, routing[pid], None),
            "Account Number": acct_col,
            "Application Date": V.dates(rng, m, 2020, 2025),
        }
    )
    facts = {
        "table": np.full(m, "applicants", dtype=object),
        "pid": pid,
        **P.name_facts(named, f, la),
        "ssn": ssn_fact,
        "fin": fin,
        "residency": res,
        "rejected_ssn": (show_ssn & inv).astype(np.int32),
        "key_ssn": P.where(show_ssn & ~inv, V.ssn_text(v), None),
        "key_fin": P.where(fin == T.UNREDACTED, A, None),
    }
    frame, facts = _permute(rng, frame, facts)
    return Dataset(
        "applicants.tsv",
        frame,
        facts,
        "tsv",
        traps=[
            "tab-delimited; headers in Title Case with spaces ('First Name', 'SSN', 'Account Number', 'ZIP')",
            "First Name 'J.' or 'J' + Last Name is a name; last only / first only are not",
            "bank account_number + routing_number, no access code: only what_if.account_numbers_alone",
            "masked account ******1234 (redacted); routing numbers (ABA-valid, 9 digits) are not accounts and not SSNs",
            "employer column holds company names",
            "6% applied twice with the same SSN; 10% invalid SSNs",
        ],
    )


# ---------------------------------------------------------------------------------------------------------------
def members(seed: int, n: int) -> Dataset:
    """members.csv: ';'-delimited Latin-1 with accented names; licences incl. other states; SHA-256 of the SSN;
    cards with and without security code, redacted, vault-encrypted and published test numbers."""
    rng = _rng(seed, 3)
    names = name_pools(seed, accented=True)
    first, last = names.draw(rng, n)
    has_lic = rng.random(n) < 0.5
    lk_p = rng.choice(5, size=n, p=[0.35, 0.25, 0.15, 0.15, 0.10])  # 4: other-state licence format
    mi_lic = V.mi_licences(rng, np.char.upper(V.sl(V.map_unique(last, V.ascii_fold), 0, 1)), n)
    lic = np.where(lk_p == 4, V.other_state_licences(rng, n), mi_lic)
    pool = V.NinePool(rng)
    ssn = pool.valid(n)
    has_hash = rng.random(n) < 0.6
    # card kinds: 0 plain, 1 spaced, 2 redacted, 3 published test number, 4 vault-encrypted, -1 none
    ck = np.where(rng.random(n) < 0.6, rng.choice(5, size=n, p=[0.55, 0.15, 0.10, 0.10, 0.10]), -1)
    test = ck == 3
    # a test-card member has nothing else, so test numbers can repeat across members harmlessly
    has_lic &= ~test
    has_hash &= ~test
    card = V.cards(rng, n)
    card = np.where(test, np.asarray(V.TEST_CARDS)[rng.integers(0, len(V.TEST_CARDS), n)], card)
    has_cvc = rng.random(n) < 0.7

    # repeats carry the same plain licence or plain card as their first record
    joinable = has_lic & np.isin(lk_p, [0, 1, 4]) | np.isin(ck, [0, 1])
    pid, is_dup, dup = _repeat(rng, n, 0.08, eligible=joinable)
    m = len(pid)
    nk = rng.choice(3, size=m, p=[0.92, 0.04, 0.04])  # 0 both, 1 last only, 2 first only
    f, la = first[pid], last[pid]
    named = nk == 0

    use_lic = has_lic[pid] & (~is_dup | np.isin(lk_p[pid], [0, 1, 4]))
    lkind = lk_p[pid]
    L, M = lic[pid], mi_lic[pid]  # masks are drawn on the Michigan number (kinds 1-3 are Michigan licences)
    lic_col = P.where(
        use_lic,
        P.where(
            np.isin(lkind, [0, 4]),
            L,
            P.where(
                lkind == 1,
                V.mi_licence_spaced(M),
                P.where(lkind == 2, V.mi_licence_partial_unredacted(M), V.mi_licence_redacted(M)),
            ),
        ),
        None,
    )
    dl_fact = np.where(use_lic, np.where(lkind == 3, T.REDACTED, T.UNREDACTED), T.NONE)

    hash_col = P.where(has_hash[pid] & ~is_dup, V.sha256_hex(V.ssn_text(ssn[pid])), None)
    ssn_fact = np.where(has_hash[pid] & ~is_dup, T.ENCRYPTED, T.NONE)

    c = ck[pid]
    use_card = (c >= 0) & (~is_dup | np.isin(c, [0, 1]))
    C = card[pid]
    card_col = P.where(
        use_card,
        P.where(
            c == 1,
            V.card_format(rng, C, 1.0),
            P.where(c == 2, V.card_redacted(C), P.where(c == 4, V.vault_envelope(rng, m), C)),
        ),
        None,
    )
    cvc_present = use_card & has_cvc[pid]
    cvc_col = P.where(cvc_present, V.cvv(rng, m, V.is_amex(C)), None)
    fin = np.where(
        use_card & ~test[pid],
        _status(c, {0: T.UNREDACTED, 1: T.UNREDACTED, 2: T.REDACTED, 4: T.ENCRYPTED}),
        T.NONE,
    )

    state, zip_, city, res = _residency_records(rng, pid, is_dup, n)
    frame = _frame(
        {
            "member_id": (5000 + np.arange(m)).astype(str),
            "first_name": P.where(nk != 1, f, None),
            "last_name": P.where(nk != 2, la, None),
            "city": city,
            "state": state,
            "zip": zip_,
            "drivers_license": lic_col,
            "ssn_sha256": hash_col,
            "card_number": card_col,
            "card_security_code": cvc_col,
            "member_since": V.dates(rng, m, 2000, 2025),
        }
    )
    facts = {
        "table": np.full(m, "members", dtype=object),
        "pid": pid,
        **P.name_facts(named, f, la),
        "ssn": ssn_fact,
        "drivers_license": dl_fact,
        "fin": fin,
        "code": np.where(cvc_present, T.CODE_PRESENT, T.CODE_NONE),
        "residency": res,
        "key_dl": P.where(use_lic & np.isin(lkind, [0, 1, 4]), L, None),
        "key_fin": P.where(use_card & np.isin(c, [0, 1]), C, None),
    }
    frame, facts = _permute(rng, frame, facts)
    return Dataset(
        "members.csv",
        frame,
        facts,
        "csv-latin1-semicolon",
        traps=[
            "';' delimiter, Latin-1 encoding, CRLF line ends, accented names (José, Müller, Françoise)",
            "other-state licence formats under a drivers_license header (count)",
            "ssn_sha256: digest of the SSN (encrypted: key-compromise what-if only)",
            "card_number: plain, spaced, XXXX-XXXX-XXXX-1234 (redacted), vault:v1: envelope (encrypted), published test numbers (not cards)",
            "card_security_code empty for 30%: card alone counts only under account_numbers_alone",
        ],
    )


# ---------------------------------------------------------------------------------------------------------------
def payments(seed: int, n: int) -> Dataset:
    """payments.parquet: the SSN column is INTEGER, so SSNs with area 001-099 lost their leading zeros."""
    rng = _rng(seed, 4)
    names = name_pools(seed)
    first, last = names.draw(rng, n)
    pool = V.NinePool(rng)
    low_area = rng.random(n) < 0.35
    ssn = pool.valid(n)
    ssn[low_area] = pool.valid(int(low_area.sum()), 1, 99)
    invalid = rng.random(n) < 0.08
    ssn[invalid] = pool.invalid(
        int(invalid.sum()), area_000=False
    )  # incl. 78051120 -> 078-05-1120 once restored
    has_ssn = invalid | (rng.random(n) < 0.8)
    ck = np.where(
        rng.random(n) < 0.85, rng.choice(3, size=n, p=[0.86, 0.07, 0.07]), -1
    )  # 0 card 1 test 2 redacted
    card = np.where(ck == 1, np.asarray(V.TEST_CARDS)[rng.integers(0, len(V.TEST_CARDS), n)], V.cards(rng, n))
    has_cvv = rng.random(n) < 0.75
    # a test-card payer shows no SSN, so repeated test numbers join nobody who matters
    has_ssn &= ck != 1
    invalid &= has_ssn

    pid, is_dup, dup = _repeat(rng, n, 0.10, eligible=(ck == 0) & ~invalid)
    m = len(pid)
    named = rng.random(m) < 0.95
    f, la = first[pid], last[pid]
    v = ssn[pid]
    show_ssn = has_ssn[pid] & ~is_dup
    # a Binary ciphertext column (48 random bytes): read as hex, 96 characters, encrypted (section 1)
    enc = ~has_ssn[pid] & ~is_dup & (ck[pid] != 1) & (rng.random(m) < 0.5)
    cipher = rng.integers(0, 256, (m, 48), dtype=np.uint8)
    inv = invalid[pid]
    c = ck[pid]
    C = card[pid]
    use_card = c >= 0
    card_col = P.where(use_card, P.where(c == 2, V.card_redacted(C), V.card_format(rng, C, 0.15)), None)
    cvv_present = use_card & has_cvv[pid]
    state, zip_, city, res = _residency_records(rng, pid, is_dup, n)

    frame = pl.DataFrame(
        {
            "payment_id": pl.Series(np.arange(1, m + 1), dtype=pl.Int64),
            "first_name": pl.Series(list(f), dtype=pl.String),
            "last_name": pl.Series(list(P.where(named, la, None)), dtype=pl.String),
            "ssn": pl.Series(
                [int(x) if s else None for x, s in zip(v, show_ssn, strict=True)], dtype=pl.Int64
            ),
            "ssn_encrypted": pl.Series(
                [cipher[i].tobytes() if enc[i] else None for i in range(m)], dtype=pl.Binary
            ),
            "card_number": pl.Series(list(card_col), dtype=pl.String),
            "cvv": pl.Series(list(P.where(cvv_present, V.cvv(rng, m, V.is_amex(C)), None)), dtype=pl.String),
            "amount": pl.Series(np.round(rng.uniform(5, 900, m), 2), dtype=pl.Float64),
            "city": pl.Series(list(city), dtype=pl.String),
            "state": pl.Series(list(state), dtype=pl.String),
            "zip": pl.Series(list(zip_), dtype=pl.String),
            "paid_on": pl.Series(list(V.dates(rng, m, 2024, 2025)), dtype=pl.String).str.to_date(),
        }
    )
    facts = {
        "table": np.full(m, "payments", dtype=object),
        "pid": pid,
        **P.name_facts(named, f, la),
        "ssn": np.where(show_ssn & ~inv, T.UNREDACTED, np.where(enc, T.ENCRYPTED, T.NONE)),
        "fin": _status(c, {0: T.UNREDACTED, 2: T.REDACTED}),
        "code": np.where(cvv_present, T.CODE_PRESENT, T.CODE_NONE),
        "residency": res,
        "rejected_ssn": (show_ssn & inv).astype(np.int32),
        "key_ssn": P.where(show_ssn & ~inv, V.ssn_text(v), None),
        "key_fin": P.where(c == 0, C, None),
    }
    frame, facts = _permute(rng, frame, facts)
    return Dataset(
        "payments.parquet",
        frame,
        facts,
        "parquet",
        traps=[
            "ssn is Int64: 35% of SSNs have area 001-099 and lost leading zeros (12345678 -> 012-34-5678)",
            "invalid SSNs as integers (78051120 restores to the sample 078-05-1120)",
            "cards with cvv, without cvv (null), redacted, published test numbers",
            "first_name only for 5% (no last name: no name)",
            "10% paid twice with the same card; the second record has no SSN",
            "ssn_encrypted: Binary ciphertext (hex when read as text): key-compromise only",
        ],
    )


# ---------------------------------------------------------------------------------------------------------------
def online_banking(seed: int, n: int) -> Dataset:
    """online_banking.ndjson: bank accounts with a password that is plain, bcrypt-hashed or absent; a PGP-armoured
    SSN; usernames (not person names)."""
    rng = _rng(seed, 5)
    names = name_pools(seed)
    first, last = names.draw(rng, n)
    acct = V.account_numbers(rng, n)
    banks = V.routing_numbers(rng, 6)
    acct_kind = rng.choice(2, size=n, p=[0.9, 0.1])  # 0 plain, 1 redacted
    pw_kind = rng.choice(3, size=n, p=[0.4, 0.45, 0.15])  # 0 plain password, 1 bcrypt hash, 2 none
    has_pgp = rng.random(n) < 0.3
    nk = rng.choice(3, size=n, p=[0.9, 0.05, 0.05])  # 0 both, 1 last only, 2 first only
    named = nk == 0
    res_p = P.plant_residency(rng, n)
    state, zip_, city, res = P.render_residency(
        rng, res_p["cls"], res_p["state"], res_p["zip"], res_p["city"]
    )
    em = P.email(first, last, np.arange(n), P.domains(rng, n))
    user = V.cat(
        np.char.lower(
            np.array([V.ascii_fold(x[0]) + V.ascii_fold(y) for x, y in zip(first, last, strict=True)])
        ),
        rng.integers(1, 99, n).astype(str),
    )
    rows = pl.DataFrame(
        {
            "username": user,
            "first_name": list(P.where(nk != 1, first, None)),
            "last_name": list(P.where(nk != 2, last, None)),
            "email": em,
            "account_number": list(np.where(acct_kind == 0, acct, V.account_redacted(acct))),
            "routing_number": banks[rng.integers(0, len(banks), n)],
            "password": list(
                P.where(pw_kind == 0, V.passwords(rng, n), P.where(pw_kind == 1, V.bcrypt_like(rng, n), None))
            ),
            "ssn_pgp": list(P.where(has_pgp, V.pgp_armour(rng, n), None)),
            "city": list(city),
            "state": list(state),
            "zip": list(zip_),
            "customer_since": rng.integers(1995, 2026, n),
        },
        schema_overrides={
            "first_name": pl.String,
            "last_name": pl.String,
            "password": pl.String,
            "ssn_pgp": pl.String,
            "city": pl.String,
            "state": pl.String,
            "zip": pl.String,
        },
    )
    facts = {
        "table": np.full(n, "online_banking", dtype=object),
        "pid": np.arange(n),
        **P.name_facts(named, first, last),
        "ssn": np.where(has_pgp, T.ENCRYPTED, T.NONE),
        "fin": np.where(acct_kind == 0, T.UNREDACTED, T.REDACTED),
        "code": np.select([pw_kind == 0, pw_kind == 1], [T.CODE_PRESENT, T.CODE_ENCRYPTED], T.CODE_NONE),
        "residency": res,
        "key_fin": P.where(acct_kind == 0, acct, None),
        "key_email": em,
    }
    frame, facts = _permute(rng, rows, facts)
    return Dataset(
        "online_banking.ndjson",
        frame,
        facts,
        "ndjson",
        traps=[
            "account_number + plain password (counts) / bcrypt hash (encrypted code: key-compromise only) / no password",
            "ssn_pgp: PGP armour (encrypted SSN)",
            "username (not a person name); routing_number shared by many (not an account)",
        ],
    )


# ---------------------------------------------------------------------------------------------------------------
def dmv_extract(seed: int, n: int) -> Dataset:
    """dmv_extract.csv.gz: licences and legacy state IDs, residency only inside a free address column,
    base64 ciphertext of the SSN, licence-shaped invoice references."""
    rng = _rng(seed, 6)
    names = name_pools(seed)
    first, last = names.draw(rng, n)
    letter = np.char.upper(V.sl(last, 0, 1))
    lk = rng.choice(6, size=n, p=[0.30, 0.25, 0.10, 0.10, 0.10, 0.15])  # 4 other-state, 5 none
    mi_lic = V.mi_licences(rng, letter, n)
    lic = np.where(lk == 4, V.other_state_licences(rng, n), mi_lic)
    has_sid = (rng.random(n) < 0.2) | (lk == 5) & (rng.random(n) < 0.5)
    sid = V.mi_state_ids(rng, letter, n)
    has_enc = rng.random(n) < 0.4
    nk = rng.choice(3, size=n, p=[0.9, 0.05, 0.05])
    named = nk == 0
    res_p = P.plant_residency(rng, n)
    address, res = P.address_line(
        rng, res_p["cls"], res_p["state"], res_p["zip"], res_p["city"], V.streets(rng, n)
    )
    lic_col = P.where(
        lk == 5,
        None,
        P.where(
            np.isin(lk, [0, 4]),
            lic,
            P.where(
                lk == 1,
                V.mi_licence_spaced(mi_lic),
                P.where(lk == 2, V.mi_licence_partial_unredacted(mi_lic), V.mi_licence_redacted(mi_lic)),
            ),
        ),
    )
    dl = np.where(
        has_sid,
        T.UNREDACTED,
        _status(lk, {0: T.UNREDACTED, 1: T.UNREDACTED, 2: T.UNREDACTED, 3: T.REDACTED, 4: T.UNREDACTED}),
    )
    frame = _frame(
        {
            "record_id": (700000 + np.arange(n)).astype(str),
            "first_name": P.where(nk != 1, first, None),
            "last_name": P.where(nk != 2, last, None),
            "license_no": lic_col,
            "state_id": P.where(has_sid, sid, None),
            "ssn_enc": P.where(has_enc, V.base64_cipher(rng, n), None),
            "date_of_birth": V.dates(rng, n),
            "address": address,
            "invoice_ref": V.licence_shaped_decoys(rng, n),
        }
    )
    facts = {
        "table": np.full(n, "dmv_extract", dtype=object),
        "pid": np.arange(n),
        **P.name_facts(named, first, last),
        "ssn": np.where(has_enc, T.ENCRYPTED, T.NONE),
        "drivers_license": dl,
        "residency": res,
        "key_dl": P.where(np.isin(lk, [0, 1, 4]), lic, None),
    }
    frame, facts = _permute(rng, frame, facts)
    return Dataset(
        "dmv_extract.csv.gz",
        frame,
        facts,
        "csv.gz",
        traps=[
            "gzip-compressed CSV",
            "license_no: Michigan formats, masks, other-state formats; state_id: Michigan legacy ID (letter + 10 digits)",
            "residency only inside the address column ('12 Oak St, Detroit, MI 48201'); street-only addresses are unknown",
            "ssn_enc: base64 ciphertext (key-compromise only)",
            "invoice_ref shaped like a Michigan licence (decoy)",
        ],
    )


BUILDERS = (customers, applicants, members, payments, online_banking, dmv_extract)


def write(ds: Dataset, path: Path) -> None:
    """Deterministic bytes: fixed row order, no timestamps (gzip mtime 0)."""
    f = ds.frame
    if ds.writer == "csv":
        path.write_bytes(f.write_csv().encode("utf-8"))
    elif ds.writer == "tsv":
        path.write_bytes(f.write_csv(separator="\t").encode("utf-8"))
    elif ds.writer == "csv-latin1-semicolon":
        path.write_bytes(f.write_csv(separator=";", line_terminator="\r\n").encode("latin-1"))
    elif ds.writer == "parquet":
        buf = io.BytesIO()
        f.write_parquet(buf, compression="zstd", statistics=False)
        path.write_bytes(buf.getvalue())
    elif ds.writer == "ndjson":
        path.write_bytes(f.write_ndjson().encode("utf-8"))
    elif ds.writer == "csv.gz":
        path.write_bytes(gzip.compress(f.write_csv().encode("utf-8"), mtime=0))
    else:
        raise ValueError(ds.writer)
