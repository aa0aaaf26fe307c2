"""Name headers read by their head (MCL 445.63(p): first name or first initial and last name).

A header's name words are its head, the words before them say whose name it is: ACCOUNT_HOLDER_FIRST_NAME is the
account holder's first name, account_name the account's and Shopify's "Lineitem name" the product's. Values too:
"Blue Mug" and "Tea Towel" are two capitalised words, but a column of them lists products, not people; and a
lender named on a loss-payee line (Ally Financial, Rocket Mortgage) is a company. Each case is a handful of rows
written as CSV and scanned (docs/counting-rules.md section 2); all values are synthetic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import affected, write  # noqa: E402

from detectors import names  # noqa: E402
from pipeline.scan import run_scan  # noqa: E402

SSNS = ["287-65-4321", "301-22-4455", "452-19-8830"]
CARDS = ["4539578763621486", "4916338506082832", "5425233430109903"]


def classes(exposure: dict, table: str) -> dict[str, str]:
    (t,) = [t for t in exposure["tables"] if t["name"] == table]
    return {c["name"]: c["classified_as"] for c in t["columns"]}


def notified(result) -> list[tuple[str, str]]:
    return sorted(result.individuals.filter(pl.col("affected")).select("first_name", "last_name").rows())


# ---------------------------------------------------------------- the account's holder's first and last name


@pytest.mark.parametrize(
    "first, last",
    [
        ("ACCT_HOLDER_FIRST", "ACCT_HOLDER_LAST"),
        ("ACCOUNT_HOLDER_FIRST_NAME", "ACCOUNT_HOLDER_LAST_NAME"),
        ("ACCT_HOLDER_FIRST_NM", "ACCT_HOLDER_LAST_NM"),
        ("ACCT_FIRST_NM", "ACCT_LAST_NM"),
        ("AccountHolderFirstName", "AccountHolderSurname"),
        ("policy_holder_given_name", "policy_holder_family_name"),
    ],
)
def test_account_holder_first_and_last_name(first, last, tmp_path):
    """An HSA's holders with their account number and the online password that opens it (445.63(p)(iii))."""
    rows = [
        {
            first: "Lindsay",
            last: "White",
            "HOME_ST": "MI",
            "HSA_ACCT_NO": "40118822731",
            "ONLINE_PWD": "Tigers2024!",
        },
        {
            first: "Kevin",
            last: "Ball",
            "HOME_ST": "MI",
            "HSA_ACCT_NO": "40118822999",
            "ONLINE_PWD": "summer99",
        },
    ]
    result = run_scan([str(write(tmp_path, {"hsa_accts": rows}))], out_dir=None)
    kinds = classes(result.exposure, "hsa_accts")
    assert (kinds[first], kinds[last]) == ("first_name", "last_name")
    assert affected(result.exposure) == (2, 0, 0)
    assert notified(result) == [("Kevin", "Ball"), ("Lindsay", "White")]


@pytest.mark.parametrize(
    "header, says",
    [
        # a person's word before "name" makes it that person's name, whatever thing qualifies the person
        ("account_owner_name", True),
        ("ACCT_OWNER_NM", True),
        ("policy_holder_name", True),
        ("ACCT_HOLDER_FI", False),  # an initial, not a full name
        # a thing's name: the thing's word is the head's owner
        ("account_name", False),
        ("product_name", False),
        ("Lineitem name", False),
        ("LineItemName", False),
        ("line_item_name", False),
        ("sku_name", False),
        ("variant_name", False),
        ("company_name", False),
        ("display_name", False),
        ("user_name", False),
        ("Billing Name", True),
        ("Shipping Name", True),
    ],
)
def test_full_name_header_by_its_head(header, says):
    assert names.FULL.says(header) is says


@pytest.mark.parametrize(
    "header, context",
    [
        # a bare first / last names a person only after a person's word
        ("last_account_no", "LAST"),
        ("acct_last", "LAST"),
        ("first_login", "FIRST"),
        ("holder_last_login", "LAST"),
        ("cardholder_last_4", "LAST"),
        # the name's own kind and metadata veto wherever they are
        ("middle_name", "FIRST"),
        ("maiden_last_name", "LAST"),
        ("pet_first_name", "FIRST"),
        ("column_first_name", "FIRST"),
        ("account_first_name_field", "FIRST"),
    ],
)
def test_not_a_persons_first_or_last(header, context):
    assert not getattr(names, context).says(header)


# ---------------------------------------------------------------- Shopify's orders export


def shopify_orders() -> list[dict]:
    keys = "Name,Email,Financial Status,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Billing Street,"
    keys += "Billing Zip,Billing Province,Billing Country,Shipping Name,Shipping Province"
    lines = [
        "#1034,gail77@example.com,paid,1,Blue Mug,18.00,Gail Bennett,12 Elm St,48201,MI,US,Gail Bennett,MI",
        "#1034,gail77@example.com,paid,2,Tea Towel,9.00,Gail Bennett,12 Elm St,48201,MI,US,Gail Bennett,MI",
        "#1035,tspears@example.com,paid,1,Red Mug,18.00,Taylor Spears,40 Oak Ave,48933,MI,US,Taylor Spears,MI",
        "#1035,tspears@example.com,paid,1,Coaster Set,12.00,Taylor Spears,40 Oak Ave,48933,MI,US,Taylor Spears,MI",
        # a gift: shipped to another person than the buyer, who pays with her card
        "#1036,rick.h@example.com,paid,1,Green Mug,18.00,Rick Hale,7 Pine Rd,48502,MI,US,Dana Hale,OH",
    ]
    return [dict(zip(keys.split(","), line.split(","), strict=True)) for line in lines]


def transactions() -> list[dict]:
    return [
        {"order_name": o, "kind": "sale", "status": "success", "cc_number": c, "cvv2": v}
        for o, c, v in zip(["#1034", "#1035", "#1036"], CARDS, ["311", "902", "417"], strict=True)
    ]


def test_shopify_orders_line_item_is_no_buyer(tmp_path):
    """Lineitem name is the product: the buyer of two line items is one person, named by Billing Name, and the
    card and CVV of the order's transaction are hers (445.63(p)(iii))."""
    db = write(tmp_path, {"orders_export": shopify_orders(), "order_transactions": transactions()})
    result = run_scan([str(db)], out_dir=None)
    kinds = classes(result.exposure, "orders_export")
    assert kinds["Lineitem name"] == "none"
    assert kinds["Name"] == "none"  # the order number
    assert kinds["Billing Name"] == "full_name"
    assert kinds["Shipping Name"] == "other_person"  # the parcel's recipient
    assert affected(result.exposure) == (3, 0, 0)
    assert notified(result) == [("Gail", "Bennett"), ("Rick", "Hale"), ("Taylor", "Spears")]


def test_ship_to_name_before_the_billing_name_is_the_recipient(tmp_path):
    """Whatever the column order, the ship-to name beside the buyer's own is the recipient's: the gift's
    recipient never takes the buyer's card."""
    rows = [
        {
            "ship_to_name": "Dana Hale",
            "ship_to_state": "OH",
            "bill_to_name": "Rick Hale",
            "bill_to_state": "MI",
        },
        {
            "ship_to_name": "Gail Bennett",
            "ship_to_state": "MI",
            "bill_to_name": "Gail Bennett",
            "bill_to_state": "MI",
        },
    ]
    for row, card in zip(rows, CARDS, strict=False):
        row.update(card_number=card, cvv="123")
    result = run_scan([str(write(tmp_path, {"orders": rows}))], out_dir=None)
    assert classes(result.exposure, "orders")["ship_to_name"] == "other_person"
    assert notified(result) == [("Gail", "Bennett"), ("Rick", "Hale")]


def test_ship_to_name_alone_is_the_buyers(tmp_path):
    rows = [{"ShipToName": "Rick Hale", "ShipToState": "MI", "card_number": CARDS[0], "cvv": "311"}]
    result = run_scan([str(write(tmp_path, {"orders": rows}))], out_dir=None)
    assert classes(result.exposure, "orders")["ShipToName"] == "full_name"
    assert affected(result.exposure) == (1, 0, 0)


def test_product_names_under_a_name_header_are_no_people(tmp_path):
    """A products table's plain Name column (Blue Mug, Tea Towel): two capitalised words are no person's name when
    the column's values end in words of goods."""
    products = [
        {"Name": n, "sku": f"SKU-{k}", "price": "18.00"}
        for k, n in enumerate(["Blue Mug", "Tea Towel", "Coaster Set", "Logo T-Shirt", "Canvas Tote Bag"])
    ]
    people = [
        {"Name": n, "State": "MI", "SSN": s}
        for n, s in zip(["Steve Case", "Ann Ring", "Rick Hale"], SSNS, strict=True)
    ]
    result = run_scan([str(write(tmp_path, {"products": products, "customers": people}))], out_dir=None)
    assert classes(result.exposure, "products")["Name"] == "none"
    # people whose surnames are things are still people
    assert classes(result.exposure, "customers")["Name"] == "full_name"
    assert affected(result.exposure) == (3, 0, 0)


# ---------------------------------------------------------------- lenders are companies


@pytest.mark.parametrize(
    "value, company",
    [
        ("Ally Financial", True),
        ("Rocket Mortgage", True),
        ("Capital One Auto Finance", True),
        ("Lake Michigan Credit Union", True),
        ("Quicken Loans", True),
        ("Wells Fargo Bank, N.A.", True),
        ("PNC Mortgage Servicing", True),
        ("Mary Banks", False),
        ("Cu Li", False),
        ("Kim Na", False),
        ("Murray Lender", False),
    ],
)
def test_financial_companies_are_organisations(value, company):
    frame = pl.DataFrame({"v": [value]}).select(names.organisation(pl.col("v")))
    assert frame.item() is company


def test_loss_payee_lender_is_no_person(tmp_path):
    """A lienholder's name (Ally Financial) beside the insured's: no person, and the insured keeps the row."""
    rows = [
        {
            "NI_FIRST_NM": "Kevin",
            "NI_LAST_NM": "Washington",
            "NI_SSN": SSNS[0],
            "NI_MAIL_ST": "MI",
            "LIENHOLDER_NM": "Ally Financial",
        }
    ]
    result = run_scan([str(write(tmp_path, {"auto_pol": rows}))], out_dir=None)
    assert classes(result.exposure, "auto_pol")["LIENHOLDER_NM"] == "none"
    assert affected(result.exposure) == (1, 0, 0)
    assert result.individuals.height == 1
