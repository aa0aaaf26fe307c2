"""The multi-table database: a folder of tables whose persons are spread over several tables and joined only
by key columns (no declared foreign keys: the scanner has to infer the links) and by shared e-mails.

    customers        customer_id, names, address, state, zip, e-mail, ssn_last4 (redacted)
    orders           order_id -> customer_id; order_number (SSN-valid decoy); product_id -> products
    products         product_id (small integers), product names: does not describe people
    payments         cust_ref -> customers.customer_id (differently named key); card number + cvv; no names
    licence_holders  licence numbers; names and/or customer_id; "spouse" rows whose name differs from the customer
    hr/employees     names, ssn (some plain, some invalid), ssn_sha256; personal_email joins some to customers
    tickets          free text with SSNs / card numbers; only customer_id or only order_id (-> orders -> customers)
    newsletter       names, e-mail, state: people without any element (decoy), some of them customers

Every array here is built per table with numpy, so the benchmark can ask for millions of persons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from data_fixtures import _people as P
from data_fixtures import _truth as T
from data_fixtures import _values as V
from data_fixtures._single import name_pools

CUSTOMER_ID0 = 10_000_001  # 8-digit ids that never overlap order ids, product ids or quantities
ORDER_ID0 = 50_000_001
N_PRODUCTS = 40

LINK_TICKET_ORDER = "tickets.order_id->orders.order_id"
LINK_TICKET_CUSTOMER = "tickets.customer_id->customers.customer_id"
LINK_ORDER_CUSTOMER = "orders.customer_id->customers.customer_id"
LINK_PAYMENT_CUSTOMER = "payments.cust_ref->customers.customer_id"
LINK_LICENCE_CUSTOMER = "licence_holders.customer_id->customers.customer_id"
# Not an inclusion dependency (only ~40% of caller_ref values are customer ids): a scanner must not infer it, and
# the links_add config adds it. Section 3 lists "links added in a config" among the links.
LINK_CALLBACK_CUSTOMER = "callbacks.caller_ref->customers.customer_id"
NOT_INFERABLE = frozenset({LINK_CALLBACK_CUSTOMER})
LINK_WALLET_CUSTOMER = "wallet_cards.customer_id->customers.customer_id"
LINK_SECRET_CARD = "wallet_secrets.wallet_card_id->wallet_cards.wallet_card_id"

ROLE_CUSTOMER, ROLE_EMPLOYEE, ROLE_LICENCE, ROLE_NEWSLETTER = 0, 1, 2, 3


@dataclass
class Database:
    tables: dict[str, pl.DataFrame]  # relative path without extension ("hr/employees") -> frame
    facts: pl.DataFrame
    links: pl.DataFrame
    text_keys: list[str] = field(default_factory=list)


def _s(values) -> pl.Series:
    a = np.asarray(values)
    if a.dtype.kind == "U":
        return pl.Series(a, dtype=pl.String)
    return pl.Series(a.tolist(), dtype=pl.String)


def _frame(cols: dict) -> pl.DataFrame:
    return pl.DataFrame({k: _s(v) for k, v in cols.items()})


def _facts(table: str, pid, **cols) -> dict:
    n = len(pid)
    out = {"table": np.full(n, table, dtype=object), "row": np.arange(n), "pid": np.asarray(pid)}
    out.update(cols)
    return out


def _first_index(keys: np.ndarray, size: int) -> np.ndarray:
    """For each value 0..size-1, the first position where it occurs in keys (-1 if none)."""
    out = np.full(size, -1, dtype=np.int64)
    uniq, first = np.unique(keys, return_index=True)
    out[uniq] = first
    return out


def build(seed: int, n_persons: int) -> Database:
    rng = np.random.default_rng([seed, 100])
    names = name_pools(seed)
    pool = V.NinePool(rng)
    n = n_persons
    first, last = names.draw(rng, n)
    em = P.email(first, last, np.arange(n), P.domains(rng, n))
    role = rng.choice(4, size=n, p=[0.80, 0.07, 0.07, 0.06])
    res_a = P.plant_residency(rng, n, p=(0.55, 0.30, 0.15))  # where the person's main record says they live
    res_b = P.plant_residency(rng, n, p=(0.40, 0.45, 0.15))  # a second record elsewhere (conflicts)
    facts: list[dict] = []
    links: list[pl.DataFrame] = []
    tables: dict[str, pl.DataFrame] = {}
    text_keys: list[str] = []

    cust_p = np.flatnonzero(role == ROLE_CUSTOMER)
    is_employee_too = np.zeros(n, bool)
    is_employee_too[cust_p] = rng.random(len(cust_p)) < 0.06
    is_subscriber_too = np.zeros(n, bool)
    is_subscriber_too[cust_p] = rng.random(len(cust_p)) < 0.15

    # ---- customers ------------------------------------------------------------------------------------------
    dup = rng.random(len(cust_p)) < 0.04  # a second customer account with the same e-mail
    c_pid = np.concatenate([cust_p, cust_p[dup]])
    c_dup = np.concatenate([np.zeros(len(cust_p), bool), np.ones(int(dup.sum()), bool)])
    order = rng.permutation(len(c_pid))
    c_pid, c_dup = c_pid[order], c_dup[order]
    m = len(c_pid)
    customer_id = (CUSTOMER_ID0 + np.arange(m)).astype(str)
    primary = np.full(n, -1, dtype=np.int64)
    primary[c_pid[~c_dup]] = np.flatnonzero(~c_dup)
    # the e-mail is what joins a second account, an employee record or a subscription to the customer
    needs_email = np.zeros(n, bool)
    needs_email[c_pid[c_dup]] = True
    needs_email |= is_employee_too | is_subscriber_too
    has_email = needs_email | (rng.random(n) < 0.97)
    nk = rng.choice(4, size=m, p=[0.93, 0.03, 0.02, 0.02])  # 0 both, 1 last only, 2 first only, 3 none
    f, la = first[c_pid], last[c_pid]
    use_b = c_dup & (rng.random(m) < 0.4)
    pick = {k: np.where(use_b, res_b[k][c_pid], res_a[k][c_pid]) for k in res_a}
    state, zip_, city, res = P.render_residency(rng, pick["cls"], pick["state"], pick["zip"], pick["city"])
    c_email = P.where(has_email[c_pid], em[c_pid], None)
    last4 = rng.random(m) < 0.2
    tables["customers"] = _frame(
        {
            "customer_id": customer_id,
            "first_name": P.where(np.isin(nk, [0, 2]), f, None),
            "last_name": P.where(np.isin(nk, [0, 1]), la, None),
            "email": c_email,
            "phone": V.phones(rng, m),
            "street": P.where(
                pick["cls"] != P.UNKNOWN,
                V.streets(rng, m),
                P.where(rng.random(m) < 0.5, V.streets(rng, m), None),
            ),
            "city": city,
            "state": state,
            "zip": zip_,
            "ssn_last4": P.where(last4, V.zfill(rng.integers(1, 10_000, m), 4), None),
            "created_at": V.dates(rng, m, 2012, 2025),
        }
    )
    facts.append(
        _facts(
            "customers",
            c_pid,
            **P.name_facts(nk == 0, f, la),
            ssn=np.where(last4, T.REDACTED, T.NONE),  # section 1: a truncated value in an element column
            residency=res,
            key_email=c_email,
        )
    )

    # ---- products (not people: never in the facts, so buying the same product joins nobody) ----------------
    tables["products"] = _frame(
        {
            "product_id": np.arange(1, N_PRODUCTS + 1).astype(str),
            "product_name": V.cat(
                V.pick(rng, ["Classic", "Deluxe", "Compact", "Rugged", "Smart", "Eco"], N_PRODUCTS),
                " ",
                V.pick(
                    rng,
                    ["Kettle", "Lamp", "Backpack", "Blender", "Chair", "Speaker", "Tent", "Drill"],
                    N_PRODUCTS,
                ),
            ),
            "upc": V.upcs(rng, N_PRODUCTS),
            "price": np.round(rng.uniform(5, 400, N_PRODUCTS), 2).astype(str),
        }
    )

    # ---- orders -----------------------------------------------------------------------------------------------
    k = rng.choice(4, size=len(cust_p), p=[0.30, 0.35, 0.20, 0.15])
    o_pid = np.repeat(cust_p, k)
    o_pid = o_pid[rng.permutation(len(o_pid))]
    mo = len(o_pid)
    o_cust_row = primary[o_pid]
    tables["orders"] = _frame(
        {
            "order_id": (ORDER_ID0 + np.arange(mo)).astype(str),
            "customer_id": customer_id[o_cust_row],
            "order_number": V.ssn_text(pool.valid(mo)),  # decoy: SSN-valid 9 digits
            "product_id": rng.integers(1, N_PRODUCTS + 1, mo).astype(str),
            "quantity": rng.integers(1, 6, mo).astype(str),
            "order_date": V.dates(rng, mo, 2023, 2025),
            "total": np.round(rng.uniform(5, 900, mo), 2).astype(str),
        }
    )
    facts.append(_facts("orders", o_pid))
    links.append(T.links_frame("orders", np.arange(mo), "customers", o_cust_row, LINK_ORDER_CUSTOMER))
    first_order = _first_index(o_pid, n)

    # ---- payments ---------------------------------------------------------------------------------------------
    k = rng.choice(3, size=len(cust_p), p=[0.40, 0.45, 0.15])
    p_pid = np.repeat(cust_p, k)
    p_pid = p_pid[rng.permutation(len(p_pid))]
    mp = len(p_pid)
    ck = rng.choice(4, size=mp, p=[0.82, 0.06, 0.06, 0.06])  # 0 plain, 1 redacted, 2 test number, 3 spaced
    card = V.cards(rng, mp)
    card = np.where(ck == 2, np.asarray(V.TEST_CARDS)[rng.integers(0, len(V.TEST_CARDS), mp)], card)
    # the CVV habit is per person: either every card record of a person has its code or none has, so "code in
    # the same record" and "code of the same individual" never differ (section 4, default reading)
    person_cvv = rng.random(n) < 0.7
    has_cvv = person_cvv[p_pid]
    p_cust_row = primary[p_pid]
    tables["payments"] = _frame(
        {
            "payment_id": (30_000_001 + np.arange(mp)).astype(str),
            "cust_ref": customer_id[p_cust_row],
            "card_number": np.where(
                ck == 1, V.card_redacted(card), np.where(ck == 3, V.card_format(rng, card, 1.0), card)
            ),
            "cvv": P.where(has_cvv, V.cvv(rng, mp, V.is_amex(card)), None),
            "exp_month": V.zfill(rng.integers(1, 13, mp), 2),
            "exp_year": rng.integers(2026, 2032, mp).astype(str),
            "amount": np.round(rng.uniform(5, 900, mp), 2).astype(str),
        }
    )
    facts.append(
        _facts(
            "payments",
            p_pid,
            fin=np.select([np.isin(ck, [0, 3]), ck == 1], [T.UNREDACTED, T.REDACTED], T.NONE),
            code=np.where(has_cvv, T.CODE_PRESENT, T.CODE_NONE),
            key_fin=P.where(np.isin(ck, [0, 3]), card, None),
        )
    )
    links.append(T.links_frame("payments", np.arange(mp), "customers", p_cust_row, LINK_PAYMENT_CUSTOMER))

    # ---- licence holders ----------------------------------------------------------------------------------------
    lic_cust = cust_p[rng.random(len(cust_p)) < 0.20]
    lic_only = np.flatnonzero(role == ROLE_LICENCE)
    # only customers whose record shows a name: against a nameless record the names would not differ
    named_primary = np.zeros(n, bool)
    named_primary[c_pid[~c_dup & (nk == 0)]] = True
    spouse_of = cust_p[(rng.random(len(cust_p)) < 0.02) & named_primary[cust_p]]
    n_sp = len(spouse_of)
    spouse_pid = n + np.arange(n_sp)  # new planted persons: appear only here
    # a spouse shares the last name, never the first initial: "different names", so the link does not merge
    sp_first = names.first[rng.integers(0, len(names.first), n_sp)]
    clash = np.array([a[0] == b[0] for a, b in zip(sp_first, first[spouse_of], strict=True)], dtype=bool)
    while clash.any():
        sp_first[clash] = names.first[rng.integers(0, len(names.first), int(clash.sum()))]
        clash = np.array([a[0] == b[0] for a, b in zip(sp_first, first[spouse_of], strict=True)], dtype=bool)
    l_pid = np.concatenate([lic_cust, lic_only, spouse_pid])
    l_kind = np.concatenate([np.zeros(len(lic_cust), int), np.ones(len(lic_only), int), np.full(n_sp, 2)])
    l_cust_of = np.concatenate([lic_cust, np.full(len(lic_only), -1), spouse_of])
    l_first = np.concatenate([first[lic_cust], first[lic_only], sp_first])
    l_last = np.concatenate([last[lic_cust], last[lic_only], last[spouse_of]])
    order = rng.permutation(len(l_pid))
    l_pid, l_kind, l_cust_of, l_first, l_last = (
        a[order] for a in (l_pid, l_kind, l_cust_of, l_first, l_last)
    )
    ml = len(l_pid)
    # names: linked customers 50% show none (the key carries the person), others show both; 5% last only
    show = np.where(l_kind == 0, rng.random(ml) < 0.5, rng.random(ml) < 0.95)
    last_only = ~show & (l_kind == 1)
    show_last = show | last_only | (l_kind == 2)
    show_first = show | (l_kind == 2)
    lk = rng.choice(5, size=ml, p=[0.45, 0.30, 0.10, 0.10, 0.05])
    mi_lic = V.mi_licences(rng, np.char.upper(V.sl(l_last, 0, 1)), ml)
    lic = np.where(lk == 4, V.other_state_licences(rng, ml), mi_lic)
    linked = l_cust_of >= 0
    l_cust_row = np.where(linked, primary[np.maximum(l_cust_of, 0)], -1)
    tables["licence_holders"] = _frame(
        {
            "holder_id": V.cat("H", V.zfill(np.arange(1, ml + 1), 6)),
            "customer_id": P.where(linked, customer_id[np.maximum(l_cust_row, 0)], None),
            "first_name": P.where(show_first, l_first, None),
            "last_name": P.where(show_last, l_last, None),
            "license_number": np.where(
                np.isin(lk, [0, 4]),
                lic,
                np.where(
                    lk == 1,
                    V.mi_licence_spaced(mi_lic),
                    np.where(lk == 2, V.mi_licence_partial_unredacted(mi_lic), V.mi_licence_redacted(mi_lic)),
                ),
            ),
            "issued_on": V.dates(rng, ml, 2016, 2025),
        }
    )
    l_named = show_first & show_last
    facts.append(
        _facts(
            "licence_holders",
            l_pid,
            **P.name_facts(l_named, l_first, l_last),
            drivers_license=np.where(lk == 3, T.REDACTED, T.UNREDACTED),
            key_dl=P.where(np.isin(lk, [0, 1, 4]), lic, None),
        )
    )
    src = np.flatnonzero(linked)
    links.append(T.links_frame("licence_holders", src, "customers", l_cust_row[src], LINK_LICENCE_CUSTOMER))

    # ---- hr/employees -----------------------------------------------------------------------------------------
    e_pid = np.concatenate([np.flatnonzero(role == ROLE_EMPLOYEE), np.flatnonzero(is_employee_too)])
    e_pid = e_pid[rng.permutation(len(e_pid))]
    me = len(e_pid)
    # 0 plain valid (+ digest), 1 plain invalid, 2 digest only, 3 PGP only (multi-line value in a quoted CSV cell)
    sk = rng.choice(4, size=me, p=[0.40, 0.06, 0.39, 0.15])
    e_ssn = pool.valid(me)
    e_bad = pool.invalid(int((sk == 1).sum()))
    plain = V.ssn_text(e_ssn)
    plain_shown = V.ssn_format(rng, e_ssn)
    plain_shown[sk == 1] = V.ssn_format(rng, e_bad)
    # customers who also work here: the HR record is the second record (res_b), so some conflict
    er = {k: np.where(is_employee_too[e_pid], res_b[k][e_pid], res_a[k][e_pid]) for k in res_a}
    state, zip_, city, res = P.render_residency(rng, er["cls"], er["state"], er["zip"], er["city"])
    tables["hr/employees"] = _frame(
        {
            "employee_id": V.cat("E", V.zfill(np.arange(1, me + 1), 5)),
            "first_name": first[e_pid],
            "last_name": last[e_pid],
            "personal_email": em[e_pid],
            "ssn": P.where(sk <= 1, plain_shown, None),
            "ssn_sha256": P.where(np.isin(sk, [0, 2]), V.sha256_hex(plain), None),
            "ssn_pgp": P.where(sk == 3, V.pgp_armour(rng, me), None),
            "department": V.pick(rng, ["Sales", "Support", "Warehouse", "Finance", "IT"], me),
            "hire_date": V.dates(rng, me, 2005, 2025),
            "city": city,
            "state": state,
            "zip": zip_,
        }
    )
    facts.append(
        _facts(
            "hr/employees",
            e_pid,
            **P.name_facts(np.ones(me, bool), first[e_pid], last[e_pid]),
            ssn=np.select([sk == 0, np.isin(sk, [2, 3])], [T.UNREDACTED, T.ENCRYPTED], T.NONE),
            rejected_ssn=(sk == 1).astype(np.int32),
            residency=res,
            key_ssn=P.where(sk == 0, plain, None),
            key_email=em[e_pid],
        )
    )

    # ---- tickets ----------------------------------------------------------------------------------------------
    k = np.where(rng.random(len(cust_p)) < 0.30, rng.integers(1, 3, len(cust_p)), 0)
    t_pid = np.repeat(cust_p, k)
    t_pid = t_pid[rng.permutation(len(t_pid))]
    mt = len(t_pid)
    has_order = first_order[t_pid] >= 0
    via_order = has_order & (rng.random(mt) < 0.5)
    body_kind = rng.choice(4, size=mt, p=[0.30, 0.15, 0.10, 0.45])  # 0 SSN, 1 card, 2 masked SSN, 3 none
    # a card in a ticket has no code; its owner must have no coded card anywhere (payments, wallet)
    body_kind = np.where((body_kind == 1) & person_cvv[t_pid], 3, body_kind)
    t_ssn = pool.valid(mt)
    t_card = V.cards(rng, mt)
    ssn_shown = V.ssn_format(rng, t_ssn, (0.6, 0.2, 0.2))
    masked = V.ssn_masked(rng, t_ssn, True)
    phone = V.phones(rng, mt)
    when = V.dates(rng, mt, 2024, 2025)
    ssn_t = [
        "My SSN is {}, please update my file.",
        "Verification: social security number {} as requested.",
        "SSN: {} (for the tax form)",
    ]
    card_t = [
        "Please charge my card {} instead.",
        "The card number {} was declined twice.",
        "New credit card: {}",
    ]
    masked_t = ["My SSN on file shows as {}, is that right?", "Form says SSN {} but the rest is missing."]
    plain_t = [
        "Package delivered on {} was damaged, call me at {}.",
        "Please update my phone to {}; order placed {}.",
        "Refund still pending since {}, reach me at {}.",
    ]
    pick_t = rng.integers(0, 3, mt)
    card_shown = V.card_format(rng, t_card, 0.5)

    def fill(template: str, *values) -> np.ndarray:
        pieces = template.split("{}")
        parts = [pieces[0]]
        for v, tail in zip(values, pieces[1:], strict=True):
            parts += [v, tail]
        return V.cat(*parts)

    body = np.full(mt, "", dtype=object)
    for j in range(3):
        sel = pick_t == j
        body = np.where(sel & (body_kind == 0), fill(ssn_t[j], ssn_shown), body)
        body = np.where(sel & (body_kind == 1), fill(card_t[j], card_shown), body)
        body = np.where(sel & (body_kind == 2), fill(masked_t[j % 2], masked), body)
        plain = fill(plain_t[j], phone, when) if j == 1 else fill(plain_t[j], when, phone)
        body = np.where(sel & (body_kind == 3), plain, body)
    t_order_row = np.where(via_order, first_order[t_pid], -1)
    t_cust_row = np.where(via_order, -1, primary[t_pid])
    tables["tickets"] = _frame(
        {
            "ticket_id": V.cat("T-", V.zfill(np.arange(1, mt + 1), 7)),
            "customer_id": P.where(~via_order, customer_id[np.maximum(t_cust_row, 0)], None),
            "order_id": P.where(via_order, (ORDER_ID0 + np.maximum(t_order_row, 0)).astype(str), None),
            "subject": V.pick(rng, ["Account update", "Billing question", "Delivery problem", "Refund"], mt),
            "body": body,
            "created_at": when,
        }
    )
    facts.append(
        _facts(
            "tickets",
            t_pid,
            ssn=np.select([body_kind == 0, body_kind == 2], [T.UNREDACTED, T.REDACTED], T.NONE),
            fin=np.where(body_kind == 1, T.UNREDACTED, T.NONE),  # a card in text has no access-code column
        )
    )
    text_keys += list(V.ssn_text(t_ssn[body_kind == 0])) + list(t_card[body_kind == 1])
    src = np.flatnonzero(via_order)
    links.append(T.links_frame("tickets", src, "orders", t_order_row[src], LINK_TICKET_ORDER))
    src = np.flatnonzero(~via_order)
    links.append(T.links_frame("tickets", src, "customers", t_cust_row[src], LINK_TICKET_CUSTOMER))

    # ---- newsletter: names and e-mails, no element (decoy); residency for some customers ---------------------
    s_pid = np.concatenate([np.flatnonzero(role == ROLE_NEWSLETTER), np.flatnonzero(is_subscriber_too)])
    s_pid = s_pid[rng.permutation(len(s_pid))]
    ms = len(s_pid)
    sr = {k: np.where(is_subscriber_too[s_pid], res_b[k][s_pid], res_a[k][s_pid]) for k in res_a}
    state, zip_, city, res = P.render_residency(rng, sr["cls"], sr["state"], sr["zip"], sr["city"])
    s_last_only = rng.random(ms) < 0.05
    tables["newsletter"] = _frame(
        {
            "subscriber_id": (900_001 + np.arange(ms)).astype(str),
            "first_name": P.where(~s_last_only, first[s_pid], None),
            "last_name": last[s_pid],
            "email": em[s_pid],
            "state": state,
            "zip": zip_,
            "subscribed_on": V.dates(rng, ms, 2018, 2025),
        }
    )
    facts.append(
        _facts(
            "newsletter",
            s_pid,
            **P.name_facts(~s_last_only, first[s_pid], last[s_pid]),
            residency=res,
            key_email=em[s_pid],
        )
    )

    # ---- wallet: saved cards, their CVC in a separate table keyed by the card row ------------------------------
    # Section 4: the code of "a row linked to it". Only persons whose every card has a code (person_cvv) save
    # cards here, and every saved card has its secrets row, so the linked-row and same-individual readings agree.
    w_people = cust_p[person_cvv[cust_p] & (rng.random(len(cust_p)) < 0.10)]
    k = rng.integers(1, 3, len(w_people))
    w_pid = np.repeat(w_people, k)
    w_pid = w_pid[rng.permutation(len(w_pid))]
    mw = len(w_pid)
    w_card = V.cards(rng, mw)
    w_red = rng.random(mw) < 0.1
    wallet_id = V.cat("W", V.zfill(np.arange(1, mw + 1), 7))
    tables["wallet_cards"] = _frame(
        {
            "wallet_card_id": wallet_id,
            "customer_id": customer_id[primary[w_pid]],
            "card_number": np.where(w_red, V.card_redacted(w_card), V.card_format(rng, w_card, 0.3)),
            "nickname": V.pick(rng, ["Travel", "Groceries", "Main", "Backup"], mw),
            "added_on": V.dates(rng, mw, 2020, 2025),
        }
    )
    facts.append(
        _facts(
            "wallet_cards",
            w_pid,
            fin=np.where(w_red, T.REDACTED, T.UNREDACTED),
            key_fin=P.where(~w_red, w_card, None),
        )
    )
    links.append(
        T.links_frame("wallet_cards", np.arange(mw), "customers", primary[w_pid], LINK_WALLET_CUSTOMER)
    )
    s_order = rng.permutation(mw)  # secrets rows in another order than the cards
    tables["wallet_secrets"] = _frame(
        {
            "wallet_card_id": wallet_id[s_order],
            "cvc": V.cvv(rng, mw, V.is_amex(w_card[s_order])),
            "updated_on": V.dates(rng, mw, 2024, 2025),
        }
    )
    facts.append(_facts("wallet_secrets", w_pid[s_order], code=np.full(mw, T.CODE_PRESENT)))
    links.append(T.links_frame("wallet_secrets", np.arange(mw), "wallet_cards", s_order, LINK_SECRET_CARD))

    # ---- callbacks: a call log whose caller_ref is a customer id only for 40% of calls ------------------------
    cb_cust = cust_p[rng.random(len(cust_p)) < 0.08]
    n_arch = int(len(cb_cust) * 1.5) + 1
    arch_pid = n + n_sp + np.arange(n_arch)  # archived customers: planted persons who appear only here
    cb_pid = np.concatenate([cb_cust, arch_pid])
    cb_ref = np.concatenate(
        [
            customer_id[primary[cb_cust]],
            (CUSTOMER_ID0 + 5_000_000 + V.unique_ints(rng, 0, 4_000_000, n_arch)).astype(str),
        ]
    )
    order = rng.permutation(len(cb_pid))
    cb_pid, cb_ref = cb_pid[order], cb_ref[order]
    mc = len(cb_pid)
    cb_ssn = pool.valid(mc)
    tables["callbacks"] = _frame(
        {
            "callback_id": V.cat("CB", V.zfill(np.arange(1, mc + 1), 6)),
            "caller_ref": cb_ref,
            "phone": V.phones(rng, mc),
            "ssn": V.ssn_format(rng, cb_ssn),
            "reason": V.pick(rng, ["identity check", "address change", "card replacement"], mc),
            "called_at": V.dates(rng, mc, 2024, 2025),
        }
    )
    facts.append(_facts("callbacks", cb_pid, ssn=np.full(mc, T.UNREDACTED), key_ssn=V.ssn_text(cb_ssn)))
    matched = np.flatnonzero(cb_pid < n)
    links.append(
        T.links_frame("callbacks", matched, "customers", primary[cb_pid[matched]], LINK_CALLBACK_CUSTOMER)
    )

    facts_df = pl.concat([T.facts_frame(f) for f in facts], how="vertical")
    return Database(tables, facts_df, pl.concat(links, how="vertical"), text_keys)
