"""Vectorised makers of synthetic values: every function takes a numpy Generator and a count and returns numpy
arrays of str, so the same code writes a 300-row fixture and a million-person benchmark database.

Nothing here decides what counts: that is ``_truth.py``. Values are built so that their class is unambiguous
under docs/counting-rules.md (section 1): valid SSNs pass every SSA rule, cards pass Luhn with a real issuer
prefix, routing numbers pass the ABA checksum, decoys fail the element they imitate by header only.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata

import numpy as np
from faker import Faker

# --- plain string plumbing ------------------------------------------------------------------------------------


def digits(mat: np.ndarray) -> np.ndarray:
    """(n, k) int matrix of digits -> n strings of k digits (no Python loop)."""
    mat = np.ascontiguousarray(mat.astype(np.uint8) + 48)
    if mat.shape[1] == 0:
        return np.full(mat.shape[0], "", dtype="<U1")
    return mat.view(f"S{mat.shape[1]}").ravel().astype(str)


def chars(mat: np.ndarray, alphabet: str) -> np.ndarray:
    """(n, k) int matrix of indexes into alphabet -> n strings."""
    table = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    out = np.ascontiguousarray(table[mat])
    return out.view(f"S{mat.shape[1]}").ravel().astype(str)


def zfill(values: np.ndarray, width: int) -> np.ndarray:
    return np.char.zfill(values.astype(np.int64).astype(str), width)


def cat(*parts) -> np.ndarray:
    """Element-wise concatenation of str arrays and scalars (numpy.strings: no Python loop)."""
    out = None
    for p in parts:
        a = np.asarray(p)
        if a.dtype.kind != "U":
            a = a.astype(str)
        out = a if out is None else np.strings.add(out, a)
    return out


def sl(a: np.ndarray, start: int, stop: int | None = None) -> np.ndarray:
    """Vectorised a[i][start:stop]."""
    return np.strings.slice(np.asarray(a).astype(str), start, stop)


def map_unique(a: np.ndarray, fn) -> np.ndarray:
    """Apply a Python function once per distinct value (names come from small pools)."""
    uniq, inv = np.unique(np.asarray(a).astype(str), return_inverse=True)
    return np.array([fn(u) for u in uniq], dtype=str)[inv] if len(uniq) else np.asarray(a).astype(str)


def unique_ints(rng: np.random.Generator, lo: int, hi: int, n: int) -> np.ndarray:
    """n distinct integers in [lo, hi), random order: keys planted for different persons never collide."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        cand = rng.integers(lo, hi, int((n - len(out)) * 1.2) + 16)
        out = np.concatenate([out, cand])
        _, first = np.unique(out, return_index=True)
        out = out[np.sort(first)]
    return out[:n]


def pick(rng: np.random.Generator, options: list[str], n: int, p=None) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=p)].astype(str)


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


# --- unique 9-digit numbers (SSNs and SSN-shaped decoys share one pool so they never collide) --------------

# counting-rules.md section 1 (ssn): SSA-invalid areas / groups / serials and the published sample numbers.
SAMPLE_SSNS = ("078051120", "219099999", "457555462")


def ssn_valid_mask(v: np.ndarray) -> np.ndarray:
    """v: int64 9-digit numbers. True where the number is an SSA-valid SSN (same rules as stdnum.us.ssn)."""
    area, group, serial = v // 1_000_000, (v // 10_000) % 100, v % 10_000
    ok = (area != 0) & (area != 666) & (area < 900) & (group != 0) & (serial != 0)
    for s in SAMPLE_SSNS:
        ok &= v != int(s)
    return ok


class NinePool:
    """Hands out distinct 9-digit integers; every SSN, invalid SSN and SSN-shaped decoy of one dataset comes from
    here, so no decoy ever equals a planted SSN and no two persons share one."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[int] = set()
        self.used_arr = np.empty(0, dtype=np.int64)

    def _take(self, cand: np.ndarray, n: int) -> np.ndarray:
        cand = cand[~np.isin(cand, self.used_arr)]
        _, first = np.unique(cand, return_index=True)
        cand = cand[np.sort(first)]
        if len(cand) < n:
            raise RuntimeError("nine-digit pool exhausted; draw more candidates")
        out = cand[:n]
        self.used_arr = np.concatenate([self.used_arr, out])
        return out

    def valid(self, n: int, area_lo: int = 1, area_hi: int = 899) -> np.ndarray:
        m = int(n * 1.3) + 16
        area = self.rng.integers(area_lo, area_hi + 1, m)
        group = self.rng.integers(1, 100, m)
        serial = self.rng.integers(1, 10_000, m)
        v = area * 1_000_000 + group * 10_000 + serial
        return self._take(v[ssn_valid_mask(v)], n)

    def invalid(self, n: int, area_000: bool = True) -> np.ndarray:
        """Distinct SSA-invalid numbers, cycling through every reason (area 000, 666, 9xx, group 00, serial 0000,
        published samples once each). area_000=False for integer columns: 000-12-3456 stored as the integer
        123456 is too short to tell from a truncated (redacted) value, so the rules do not settle it."""
        m = int(n * 1.5) + 32
        kind = self.rng.integers(0 if area_000 else 1, 5, m)
        area = self.rng.integers(1, 900, m)
        area = np.where(area == 666, 665, area)
        group = self.rng.integers(1, 100, m)
        serial = self.rng.integers(1, 10_000, m)
        area = np.where(kind == 0, 0, area)
        area = np.where(kind == 1, 666, area)
        area = np.where(kind == 2, self.rng.integers(900, 1000, m), area)
        group = np.where(kind == 3, 0, group)
        serial = np.where(kind == 4, 0, serial)
        v = area * 1_000_000 + group * 10_000 + serial
        samples = np.array([int(s) for s in SAMPLE_SSNS], dtype=np.int64)
        v = np.concatenate([samples[: min(3, n)], v])
        return self._take(v, n)


def ssn_text(v: np.ndarray) -> np.ndarray:
    return zfill(v, 9)


def ssn_format(rng: np.random.Generator, v: np.ndarray, weights=(0.55, 0.25, 0.20)) -> np.ndarray:
    """123-45-6789 / 123456789 / 123 45 6789 (section 1, ssn: all three accepted)."""
    s = ssn_text(v)
    area, group, serial = split9(v)
    style = rng.choice(3, size=len(s), p=weights)
    dash = cat(area, "-", group, "-", serial)
    space = cat(area, " ", group, " ", serial)
    return np.where(style == 0, dash, np.where(style == 1, s, space))


def split9(v: np.ndarray):
    s = np.ascontiguousarray(ssn_text(v).astype("<U9"))
    m = s.view("<U1").reshape(-1, 9)
    area = np.ascontiguousarray(m[:, :3]).view("<U3").ravel()
    group = np.ascontiguousarray(m[:, 3:5]).view("<U2").ravel()
    serial = np.ascontiguousarray(m[:, 5:]).view("<U4").ravel()
    return area, group, serial


# SSN masks and their redaction status under 445.63(r) (counting-rules.md section 1: longest visible run <= 5).
SSN_MASKS_REDACTED = ("***-**-{s}", "XXX-XX-{s}", "{a}-{g}-XXXX", "{a}{g}XXXX")  # runs 4, 4, 5, 5
SSN_MASKS_UNREDACTED = ("{a}{g}{s2}XX",)  # 1234567XX: run 7 -> still an SSN


def ssn_masked(rng, v: np.ndarray, redacted: bool) -> np.ndarray:
    area, group, serial = split9(v)
    s2 = np.ascontiguousarray(serial.astype("<U4")).view("<U1").reshape(-1, 4)[:, :2]
    s2 = np.ascontiguousarray(s2).view("<U2").ravel()
    forms = SSN_MASKS_REDACTED if redacted else SSN_MASKS_UNREDACTED
    choice = rng.integers(0, len(forms), len(v))
    out = np.empty(len(v), dtype=object)
    for i, f in enumerate(forms):
        sel = choice == i
        if not sel.any():
            continue
        pieces = []
        rest = f
        # tiny template engine over arrays
        while rest:
            j = rest.find("{")
            if j < 0:
                pieces.append(rest)
                break
            if j:
                pieces.append(rest[:j])
            key = rest[j + 1 : rest.index("}")]
            pieces.append({"a": area, "g": group, "s": serial, "s2": s2}[key][sel])
            rest = rest[rest.index("}") + 1 :]
        out[sel] = cat(*pieces)
    return out.astype(str)


# --- payment cards (section 1, financial_account) --------------------------------------------------------------

# Published issuer test numbers: their own class, never a card (section 1).
TEST_CARDS = (
    "4111111111111111",
    "4242424242424242",
    "5555555555554444",
    "378282246310005",
    "4012888888881881",
    "5105105105105100",
    "6011111111111117",
)

ISSUERS = ("visa", "mastercard", "mastercard2", "amex", "discover", "jcb", "diners", "unionpay")
ISSUER_P = (0.40, 0.18, 0.08, 0.10, 0.08, 0.06, 0.04, 0.06)


def _issuer_prefix(rng, issuer: str, n: int) -> tuple[np.ndarray, int]:
    """Returns (prefix strings, total length)."""
    if issuer == "visa":
        return np.full(n, "4"), 16
    if issuer == "mastercard":
        return rng.integers(51, 56, n).astype(str), 16
    if issuer == "mastercard2":  # the 2221-2720 range
        return rng.integers(2221, 2721, n).astype(str), 16
    if issuer == "amex":
        return pick(rng, ["34", "37"], n), 15
    if issuer == "discover":
        return pick(rng, ["6011", "644", "645", "646", "647", "648", "649", "65"], n), 16
    if issuer == "jcb":
        return rng.integers(3528, 3590, n).astype(str), 16
    if issuer == "diners":
        return pick(rng, ["300", "301", "302", "303", "304", "305", "36", "38", "39"], n), 14
    if issuer == "unionpay":
        return np.full(n, "62"), 16
    raise ValueError(issuer)


def luhn_check_digit(payload: np.ndarray) -> np.ndarray:
    """payload: (n, k) digits without the check digit -> (n,) check digits."""
    k = payload.shape[1]
    d = payload.astype(np.int64).copy()
    # the rightmost payload digit is doubled (it sits left of the check digit)
    dbl = (np.arange(k)[::-1] % 2) == 0
    x = d[:, dbl] * 2
    d[:, dbl] = np.where(x > 9, x - 9, x)
    return (10 - d.sum(axis=1) % 10) % 10


def cards(rng: np.random.Generator, n: int) -> np.ndarray:
    """Luhn-valid card numbers with real issuer prefixes, never a published test number."""
    issuer = rng.choice(len(ISSUERS), size=n, p=ISSUER_P)
    out = np.empty(n, dtype=object)
    for i, name in enumerate(ISSUERS):
        sel = np.flatnonzero(issuer == i)
        if not len(sel):
            continue
        prefix, length = _issuer_prefix(rng, name, len(sel))
        plen = np.char.str_len(prefix)
        body = np.empty(len(sel), dtype=object)
        for pl_ in np.unique(plen):
            s2 = plen == pl_
            k = length - 1 - int(pl_)
            rnd = rng.integers(0, 10, (int(s2.sum()), k))
            pre = np.asarray(prefix[s2]).astype(f"<U{pl_}")
            pre_d = np.ascontiguousarray(pre).view("<U1").reshape(-1, int(pl_)).astype(np.int64)
            payload = np.concatenate([pre_d, rnd], axis=1)
            chk = luhn_check_digit(payload)
            body[s2] = digits(np.concatenate([payload, chk[:, None]], axis=1))
        out[sel] = body
    out = out.astype(str)
    bad = np.isin(out, TEST_CARDS)
    if bad.any():  # astronomically unlikely; keep the class clean anyway
        out[bad] = cards(rng, int(bad.sum()))
    return out


def card_format(rng, num: np.ndarray, p_spaced: float = 0.2) -> np.ndarray:
    """Plain digits, or groups of 4 separated by spaces (separators are not positions, section 1)."""
    num = np.asarray(num).astype(str)
    spaced = rng.random(len(num)) < p_spaced
    out = num.copy().astype(f"<U{max(1, num.dtype.itemsize // 4 + 5)}")
    lengths = np.strings.str_len(num)
    for length in np.unique(lengths[spaced]):
        sel = spaced & (lengths == length)
        parts = []
        for j in range(0, int(length), 4):
            parts += [" "] if parts else []
            parts.append(sl(num[sel], j, j + 4))
        out[sel] = cat(*parts)
    return out


def card_redacted(num: np.ndarray) -> np.ndarray:
    """XXXX-XXXX-XXXX-1234: only the last four visible (run 4 -> redacted)."""
    return cat("XXXX-XXXX-XXXX-", sl(num, -4))


def cvv(rng, n: int, amex_mask=None) -> np.ndarray:
    out = zfill(rng.integers(0, 1000, n), 3)
    if amex_mask is not None:
        out = np.where(amex_mask, zfill(rng.integers(0, 10_000, n), 4), out)
    return out


def is_amex(num: np.ndarray) -> np.ndarray:
    return np.char.startswith(num.astype(str), "34") | np.char.startswith(num.astype(str), "37")


# --- bank accounts and routing numbers ------------------------------------------------------------------------

ROUTING_PREFIXES = [f"{i:02d}" for i in [*range(1, 13), *range(21, 33), *range(61, 73), 80]]


def routing_numbers(rng, n: int) -> np.ndarray:
    """ABA routing numbers: 3*(d1+d4+d7) + 7*(d2+d5+d8) + (d3+d6+d9) = 0 mod 10."""
    pre = pick(rng, ROUTING_PREFIXES, n)
    pre_d = np.ascontiguousarray(pre.astype("<U2")).view("<U1").reshape(-1, 2).astype(np.int64)
    d = np.concatenate([pre_d, rng.integers(0, 10, (n, 6))], axis=1)
    w = np.array([3, 7, 1, 3, 7, 1, 3, 7])
    d9 = (-(d * w).sum(axis=1)) % 10
    return digits(np.concatenate([d, d9[:, None]], axis=1))


def account_numbers(rng, n: int) -> np.ndarray:
    """10-12 digit bank accounts (never 9 digits, so never SSN-shaped); distinct."""
    length = rng.integers(10, 13, n)
    out = np.empty(n, dtype="<U12")
    for k in (10, 11, 12):
        sel = length == k
        out[sel] = unique_ints(rng, 10 ** (k - 1), 10**k, int(sel.sum())).astype(str)
    return out


def account_redacted(acct: np.ndarray) -> np.ndarray:
    """******1234: only the last four visible (run 4: redacted)."""
    acct = np.asarray(acct).astype(str)
    return cat(np.strings.multiply("*", np.strings.str_len(acct) - 4), sl(acct, -4))


# --- licences --------------------------------------------------------------------------------------------------


def mi_licences(rng, first_letter: np.ndarray, n: int) -> np.ndarray:
    """Michigan driver licence: one letter (first of the last name, as the state does) + 12 digits."""
    return cat(first_letter, unique_ints(rng, 10**11, 10**12, n).astype(str))


def mi_licence_spaced(lic: np.ndarray) -> np.ndarray:
    """S123456789012 -> 'S 123 456 789 012'."""
    return cat(
        sl(lic, 0, 1), " ", sl(lic, 1, 4), " ", sl(lic, 4, 7), " ", sl(lic, 7, 10), " ", sl(lic, 10, 13)
    )


def mi_licence_partial_unredacted(lic: np.ndarray) -> np.ndarray:
    """'S123 456X XXX XXX': six digits in a row visible -> NOT redacted (445.63(r): more than 4)."""
    return cat(sl(lic, 0, 4), " ", sl(lic, 4, 7), "X XXX XXX")


def mi_licence_redacted(lic: np.ndarray) -> np.ndarray:
    """'S XXX XXX XX9 012': four digits in a row visible -> redacted."""
    return cat(sl(lic, 0, 1), " XXX XXX XX", sl(lic, 9, 10), " ", sl(lic, 10, 13))


def mi_state_ids(rng, first_letter: np.ndarray, n: int) -> np.ndarray:
    """Michigan legacy state ID: one letter + 10 digits."""
    return cat(first_letter, unique_ints(rng, 10**9, 10**10, n).astype(str))


def other_state_licences(rng, n: int) -> np.ndarray:
    """Ohio (2 letters + 6 digits) and Illinois (1 letter + 11 digits) formats."""
    letters = chars(rng.integers(0, 26, (n, 2)), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    ohio = cat(letters, digits(rng.integers(0, 10, (n, 6))))
    illinois = cat(sl(letters, 0, 1), digits(rng.integers(0, 10, (n, 11))))
    return np.where(rng.random(n) < 0.5, ohio, illinois)


def licence_shaped_decoys(rng, n: int) -> np.ndarray:
    """Invoice references shaped exactly like a Michigan licence (letter + 12 digits)."""
    return cat(
        chars(rng.integers(0, 26, (n, 1)), "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), digits(rng.integers(0, 10, (n, 12)))
    )


# --- ciphertext and digests (section 1, encrypted) ---------------------------------------------------------------


def sha256_hex(values: np.ndarray) -> np.ndarray:
    return np.array([hashlib.sha256(v.encode()).hexdigest() for v in values]) if len(values) else values


def _rand_bytes(rng, n: int, k: int) -> np.ndarray:
    return rng.integers(0, 256, (n, k), dtype=np.uint8)


def base64_cipher(rng, n: int, nbytes: int = 48) -> np.ndarray:
    """AES-GCM-like ciphertext: 48 random bytes, base64 (high entropy, 16+ bytes)."""
    raw = _rand_bytes(rng, n, nbytes)
    return np.array([base64.b64encode(r.tobytes()).decode() for r in raw]) if n else np.empty(0, str)


def vault_envelope(rng, n: int) -> np.ndarray:
    return cat("vault:v1:", base64_cipher(rng, n, 32))


def pgp_armour(rng, n: int) -> np.ndarray:
    raw = _rand_bytes(rng, n, 120)
    out = []
    for r in raw:
        b = base64.b64encode(r.tobytes()).decode()
        lines = "\n".join(b[i : i + 64] for i in range(0, len(b), 64))
        crc = base64.b64encode(r[:3].tobytes()).decode()
        out.append(f"-----BEGIN PGP MESSAGE-----\n\n{lines}\n={crc}\n-----END PGP MESSAGE-----")
    return np.array(out) if n else np.empty(0, str)


BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def bcrypt_like(rng, n: int) -> np.ndarray:
    return cat("$2b$12$", chars(rng.integers(0, 64, (n, 53)), BCRYPT_ALPHABET))


def passwords(rng, n: int) -> np.ndarray:
    """Plain-text passwords (an access code, section 1)."""
    alpha = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return cat(chars(rng.integers(0, len(alpha), (n, 10)), alpha), "!")


# --- decoys ----------------------------------------------------------------------------------------------------


def upcs(rng, n: int) -> np.ndarray:
    """UPC-A: 11 digits + check digit (12 digits, not a card: too short and wrong class)."""
    d = rng.integers(0, 10, (n, 11))
    odd = d[:, 0::2].sum(axis=1)
    even = d[:, 1::2].sum(axis=1)
    chk = (10 - (odd * 3 + even) % 10) % 10
    return digits(np.concatenate([d, chk[:, None]], axis=1))


AREA_CODES = ["313", "248", "517", "616", "734", "614", "312", "212", "415", "608"]


def phones(rng, n: int) -> np.ndarray:
    """Fictional 555-01xx numbers in three layouts."""
    area = pick(rng, AREA_CODES, n)
    line = zfill(rng.integers(100, 200, n), 4)
    style = rng.integers(0, 3, n)
    a = cat("(", area, ") 555-", line)
    b = cat(area, "-555-", line)
    c = cat("+1 ", area, " 555 ", line)
    return np.where(style == 0, a, np.where(style == 1, b, c))


def dates(rng, n: int, start_year: int = 1940, end_year: int = 2005) -> np.ndarray:
    start = np.datetime64(f"{start_year}-01-01")
    span = (np.datetime64(f"{end_year}-12-31") - start).astype(int)
    return (start + rng.integers(0, span, n).astype("timedelta64[D]")).astype(str)


# --- places: residency evidence (section 5) ----------------------------------------------------------------------

MI_CITIES = [
    "Detroit",
    "Ann Arbor",
    "Lansing",
    "Grand Rapids",
    "Flint",
    "Kalamazoo",
    "Traverse City",
    "Marquette",
]
OTHER_STATES = {  # state -> (names, cities, zip range); ranges are real and far from 48001-49971
    "OH": (["OH", "Ohio"], ["Columbus", "Toledo", "Dayton"], (43001, 45999)),
    "IN": (["IN", "Indiana"], ["Indianapolis", "Fort Wayne"], (46001, 47997)),
    "IL": (["IL", "Illinois"], ["Chicago", "Springfield"], (60001, 62999)),
    "WI": (["WI", "Wisconsin"], ["Madison", "Milwaukee"], (53001, 54990)),
    "MN": (["MN", "Minnesota"], ["Duluth", "Saint Paul"], (55001, 56763)),
    "NY": (["NY", "New York"], ["Albany", "Buffalo"], (10001, 14925)),
    "CA": (["CA", "California"], ["Sacramento", "Fresno"], (90001, 96162)),
    "TX": (["TX", "Texas"], ["Austin", "Dallas"], (75001, 79999)),
    # M-states next to MI in the alphabet; Massachusetts ZIPs keep a leading zero (01001-02791)
    "MS": (["MS", "Mississippi"], ["Jackson", "Biloxi"], (38601, 39776)),
    "MO": (["MO", "Missouri"], ["St. Louis", "Springfield"], (63001, 65899)),
    "MA": (["MA", "Massachusetts"], ["Boston", "Worcester"], (1001, 2791)),
}
MI_STATE_FORMS = ["MI", "Michigan", "Mich.", "mi", "MICHIGAN"]
MI_ZIP = (48001, 49971)

STREET_NAMES = [
    "Oak",
    "Maple",
    "Cedar",
    "Pine",
    "Elm",
    "Walnut",
    "Birch",
    "Willow",
    "Spruce",
    "Hickory",
    "Lake",
    "Hill",
]
STREET_TYPES = ["St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd"]


def streets(rng, n: int) -> np.ndarray:
    """House numbers of 1-4 digits only: a five-digit house number could read as a ZIP inside an address."""
    return cat(
        rng.integers(1, 9999, n).astype(str), " ", pick(rng, STREET_NAMES, n), " ", pick(rng, STREET_TYPES, n)
    )


def zip_plus4(rng, z: np.ndarray, p: float) -> np.ndarray:
    plus = rng.random(len(z)) < p
    return np.where(plus, cat(z, "-", zfill(rng.integers(1, 10_000, len(z)), 4)), z)


# --- names -----------------------------------------------------------------------------------------------------


class NamePools:
    """Small pools of single-token alphabetic names from a seeded Faker; persons draw from them with numpy."""

    def __init__(self, seed: int, locales=("en_US",), size: int = 700):
        fake = Faker(list(locales))
        fake.seed_instance(seed)
        firsts, lasts = set(), set()
        tries = 0
        while (len(firsts) < size or len(lasts) < size) and tries < size * 40:
            tries += 1
            f, last = fake.first_name(), fake.last_name()
            if self._ok(f):
                firsts.add(f)
            if self._ok(last):
                lasts.add(last)
        self.first = np.array(sorted(firsts))
        self.last = np.array(sorted(lasts))
        companies = set()
        for _ in range(200):
            companies.add(fake.company())
        self.companies = np.array(sorted(companies))

    @staticmethod
    def _ok(s: str) -> bool:
        try:
            s.encode("latin-1")
        except UnicodeEncodeError:
            return False
        # one alphabetic token, and never a word the residency rules read (Michigan, Mich.)
        return s.isalpha() and len(s) >= 2 and not s.lower().startswith("mich")

    def draw(self, rng, n: int):
        return self.first[rng.integers(0, len(self.first), n)], self.last[rng.integers(0, len(self.last), n)]
