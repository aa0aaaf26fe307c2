"""Shared person parts: residency and names rendered into row values, with the facts each rendering implies.

A *person* is planted once (true name, residency class, numbers); a *record* renders some of it. Rendering
returns both the column values and the fact codes of _truth.py, so what a file shows and what the oracle
counts come from the same choice.
"""

from __future__ import annotations

import numpy as np

from data_fixtures import _truth as T
from data_fixtures import _values as V

MI, OTHER, UNKNOWN = 0, 1, 2


def nulls(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def where(mask, a, b) -> np.ndarray:
    """np.where that keeps None (object arrays)."""
    a = np.asarray(a, dtype=object) if not np.isscalar(a) and a is not None else a
    b = np.asarray(b, dtype=object) if not np.isscalar(b) and b is not None else b
    return np.where(mask, a, b).astype(object)


def plant_residency(rng, n: int, p=(0.55, 0.30, 0.15)) -> dict:
    """True residency class per person plus a consistent state, ZIP and city."""
    cls = rng.choice(3, size=n, p=p)
    states = list(V.OTHER_STATES)
    st = np.asarray(states, dtype=object)[rng.integers(0, len(states), n)]
    zips = rng.integers(V.MI_ZIP[0], V.MI_ZIP[1] + 1, n).astype(np.int64)
    edge = rng.random(n) < 0.03  # the two ends of the Michigan range, 48001 and 49971
    zips[edge] = np.where(rng.random(int(edge.sum())) < 0.5, V.MI_ZIP[0], V.MI_ZIP[1])
    cities = V.pick(rng, V.MI_CITIES, n).astype(object)
    for s in states:
        sel = (st == s) & (cls == OTHER)
        lo, hi = V.OTHER_STATES[s][2]
        m = int(sel.sum())
        zips[sel] = rng.integers(lo, hi + 1, m)
        cities[sel] = V.pick(rng, V.OTHER_STATES[s][1], m)
    return {"cls": cls, "state": st, "zip": V.zfill(zips, 5), "city": cities}


def render_residency(rng, cls, state, zip5, city, p_zip4: float = 0.3, p_mi_style=(0.5, 0.25, 0.25)):
    """Per record: (state column, zip column, city column, residency fact).

    Section 5: Michigan evidence is a state value MI / Michigan / Mich. or a ZIP in 48001-49971 (ZIP+4 too).
    Michigan records show both, the state only, or the ZIP only; other-state records always name their state
    (so a bare foreign ZIP is never the only evidence); unknown records show neither (nor a city).
    """
    n = len(cls)
    mi_style = rng.choice(3, size=n, p=p_mi_style)  # 0 both, 1 state only, 2 zip only
    mi_form = V.pick(rng, V.MI_STATE_FORMS, n)
    abbr = np.asarray(state, dtype=str)
    full = V.map_unique(abbr, lambda s: V.OTHER_STATES[s][0][1])
    other_form = np.where(rng.integers(0, 2, n) == 0, abbr, full).astype(object)
    z = V.zip_plus4(rng, np.asarray(zip5, dtype=str), p_zip4)
    other_zip = rng.random(n) < 0.8

    st_col = where(cls == MI, where(mi_style != 2, mi_form, None), where(cls == OTHER, other_form, None))
    zip_col = where(cls == MI, where(mi_style != 1, z, None), where((cls == OTHER) & other_zip, z, None))
    city_col = where(cls == UNKNOWN, None, city)
    fact = np.select([cls == MI, cls == OTHER], [T.RES_MICHIGAN, T.RES_OTHER], T.RES_NONE)
    return st_col, zip_col, city_col, fact


def address_line(rng, cls, state, zip5, city, street) -> tuple[np.ndarray, np.ndarray]:
    """One free address column: '12 Oak St, Detroit, MI 48201' (section 5: 'the same inside an address
    column'); unknown persons get the street only."""
    n = len(cls)
    mi_form = V.pick(rng, ["MI", "Michigan", "MI", "Mich."], n)
    st = np.where(cls == MI, mi_form, np.asarray(state, dtype=str))
    z = V.zip_plus4(rng, np.asarray(zip5, dtype=str), 0.3)
    full = V.cat(street, ", ", np.asarray(city, dtype=str), ", ", st, " ", z)
    line = np.where(cls == UNKNOWN, street, full)
    fact = np.select([cls == MI, cls == OTHER], [T.RES_MICHIGAN, T.RES_OTHER], T.RES_NONE)
    return line.astype(object), fact


# Name forms of a full-name column (section 2). Named: 'Smith, John', 'John Q. Smith', 'J. Smith', 'John Smith',
# 'Smith, J.', 'Dr. John Smith' / 'John Smith Jr.', 'SMITH, JOHN'. Not named: 'Smith' alone, 'John' alone,
# 'J. S.', empty, 'Dr. Smith' (a title is no first name or initial).
NAME_FORMS_NAMED = (0, 1, 2, 3, 8, 9, 11)
NAME_FORMS_UNNAMED = (4, 5, 6, 7, 10)
NAME_FORM_P = (0.18, 0.18, 0.12, 0.24, 0.04, 0.03, 0.02, 0.03, 0.05, 0.05, 0.03, 0.03)


def full_name(form, first, last, middle, rng=None) -> tuple[np.ndarray, np.ndarray]:
    first = np.asarray(first, dtype=str)
    last = np.asarray(last, dtype=str)
    middle = np.asarray(middle, dtype=str)
    n = len(first)
    rng = rng or np.random.default_rng(0)
    ini = V.sl(first, 0, 1)
    lini = V.sl(last, 0, 1)
    title = V.pick(rng, ["Dr. ", "Mr. ", "Ms. ", "Mrs. "], n)
    suffix = V.pick(rng, [" Jr.", " Sr.", " III"], n)
    titled = np.where(rng.random(n) < 0.5, V.cat(title, first, " ", last), V.cat(first, " ", last, suffix))
    options = [
        V.cat(last, ", ", first),
        V.cat(first, " ", middle, ". ", last),
        V.cat(ini, ". ", last),
        V.cat(first, " ", last),
        last,
        first,
        V.cat(ini, ". ", lini, "."),
        np.full(n, None, dtype=object),
        V.cat(last, ", ", ini, "."),
        titled,
        V.cat(title, last),
        np.char.upper(V.cat(last, ", ", first)),
    ]
    out = np.full(len(form), None, dtype=object)
    for k, opt in enumerate(options):
        sel = form == k
        out[sel] = opt[sel]
    return out, np.isin(form, NAME_FORMS_NAMED)


def name_facts(named, first, last) -> dict:
    """first_initial / last_name facts for the compatibility test of section 3."""
    first = np.asarray(first, dtype=str)
    last = np.asarray(last, dtype=str)
    fi = np.char.lower(V.sl(first, 0, 1)).astype(object)
    ln = np.char.lower(last).astype(object)
    return {
        "named": np.asarray(named, dtype=bool),
        "first_initial": where(named, fi, None),
        "last_name": where(named, ln, None),
    }


def email(first, last, pid, domain_pick) -> np.ndarray:
    f = V.map_unique(first, lambda x: V.ascii_fold(x).lower())
    la = V.map_unique(last, lambda x: V.ascii_fold(x).lower())
    return V.cat(f, ".", la, ".", np.asarray(pid).astype(str), "@", domain_pick)


def domains(rng, n):
    return V.pick(rng, ["example.com", "example.org", "example.net"], n)
