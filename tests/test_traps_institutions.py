"""An institution's own cards and codes are no element of MCL 445.63(p): a campus or employee ID card is no
state personal identification card ((p)(ii)); a gift card's PIN opens no financial account, and a flag about a
PIN is no code ((p)(iii)). Each case with its counterpart that must still count.

Found by an adversarial review of a university and a marketplace export (2026-11-25). Expected counts by hand
(Michigan, other states, unknown residency).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import counts, people_rows, scan, write  # noqa: E402

from pipeline.classify import classify_column  # noqa: E402

CARDS = ["4539148803436467", "5425233430109903", "4716461583322103"]  # Luhn-valid, not test numbers
ISO_CARDS = ["6277130412345675", "6277138834562011", "6277135512340986"]


def _campus(tmp_path: Path, table: str, card_header: str, beside: dict | None = None) -> Path:
    students = people_rows(3, pidm=["100201", "100202", "100203"], state="MI")
    cards = [
        {"pidm": p, card_header: n, **({k: v[i] for k, v in (beside or {}).items()})}
        for i, (p, n) in enumerate(zip(["100201", "100202", "100203"], ISO_CARDS, strict=True))
    ]
    return write(tmp_path, {"students": students, table: cards})


def test_a_campus_card_systems_id_card_is_no_state_id(tmp_path):
    # CBORD / Transact exports: ID_CARD_NUMBER beside the meal plan; until 2026-11-25 the bare "id card" made them
    # state ID cards and every student with a campus card counted
    assert counts(_campus(tmp_path / "a", "campus_card_export", "ID_CARD_NUMBER")) == (0, 0, 0)
    beside = {"meal_plan": ["BLUE 150"] * 3, "dining_dollars_bal": ["10.00", "0.00", "5.25"]}
    assert counts(_campus(tmp_path / "b", "cards", "id_card_no", beside)) == (0, 0, 0)
    assert counts(_campus(tmp_path / "c", "cards", "employee_id_card")) == (0, 0, 0)


def test_a_customers_id_card_number_is_still_a_state_id(tmp_path):
    rows = people_rows(3, id_card_no=["S123456789012", "B234567890123", "K345678901234"], state="MI")
    assert counts(write(tmp_path, {"customers": rows})) == (3, 0, 0)
    # a state named in the header keeps it a state's card whatever the table
    values = pl.DataFrame({"v": ["S123456789012", "B234567890123"]})
    assert classify_column("michigan_id_card", values).classified_as == "drivers_license"


def test_a_gift_cards_pin_is_no_code_of_the_buyers_card(tmp_path):
    # Shopify's gift_cards_export (Code, PIN, Customer ID) beside saved cards without a CVV: the gift card's PIN
    # opens the gift card, a closed-loop balance, not the card (445.63(p)(iii))
    customers = people_rows(2, customer_id=["61201", "61202"], state="MI")
    methods = [{"customer_id": c, "card_number": n} for c, n in zip(["61201", "61202"], CARDS, strict=False)]
    gift = [
        {"Id": "512334001", "Code": "X7QK9M2LP4RT8WZB", "PIN": "4821", "Customer ID": "61201"},
        {"Id": "512334002", "Code": "H3NB6V8CX2ZL5QJD", "PIN": "7390", "Customer ID": "61202"},
    ]
    db = write(
        tmp_path / "gift", {"customers": customers, "payment_methods": methods, "gift_cards_export": gift}
    )
    exposure = scan(db)
    assert (exposure["affected"]["michigan"], exposure["what_if"]["account_numbers_alone"]) == (0, 2)
    # a donor's gifts table keeps its card's CVV: "gift" alone names no gift card
    gifts = people_rows(2, card_number=CARDS[:2], cvv=["123", "456"], state="MI")
    assert counts(write(tmp_path / "donor", {"gifts": gifts})) == (2, 0, 0)


def test_a_flag_about_a_pin_is_no_code(tmp_path):
    # Banner GOBTPAC: the PIN itself hashed, PIN_DISABLED_IND = N beside it; a direct-deposit account elsewhere
    accounts = people_rows(
        2, pidm=["1", "2"], bank_account_number=["000123456789", "000987654321"], state="MI"
    )
    pins = [
        {"pidm": "1", "pin": "$2b$12$" + "a" * 53, "pin_disabled_ind": "N", "pin_locked": "N"},
        {"pidm": "2", "pin": "$2b$12$" + "b" * 53, "pin_disabled_ind": "Y", "pin_locked": "N"},
    ]
    exposure = scan(write(tmp_path / "flags", {"direct_deposit": accounts, "pins": pins}))
    assert exposure["affected"]["michigan"] == 0
    assert exposure["what_if"]["encryption_key_compromised"] == 2
    # a Y / N value is no code even under a header that says only "pin"
    rows = people_rows(2, bank_account_number=["000123456789", "000987654321"], pin=["Y", "4821"], state="MI")
    assert counts(write(tmp_path / "yn", {"accounts": rows})) == (1, 0, 0)
