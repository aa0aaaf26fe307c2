"""Links between tables and identity resolution (MCL 445.63(p) "linked to"; 445.72(1) counts residents)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.scan import ScanOptions, run_scan
from pipeline.tables import ROW

# Valid, distinct SSNs and Luhn-valid card numbers (synthetic).
SSNS = ["536-22-4819", "432-11-8812", "512-34-5671", "601-23-4455", "245-67-8901", "318-29-6612"]
FIRST = ["Ann", "Bob", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mo"]
LAST = [
    "Smith",
    "Nguyen",
    "Garcia",
    "Okafor",
    "Kowalski",
    "Brown",
    "Rossi",
    "Haddad",
    "Larsen",
    "Tanaka",
    "Silva",
]
CARDS = ["4539148803436467", "5555341244441115", "4916338506082832", "4024007198964305"]


def _write(folder: Path, name: str, frame: pl.DataFrame) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    frame.write_csv(folder / f"{name}.csv")


def _write_all(db: Path, tables: dict[str, dict[str, list]]) -> Path:
    for name, columns in tables.items():
        _write(db, name, pl.DataFrame(columns))
    return db


@pytest.fixture()
def shop(tmp_path: Path) -> Path:
    """customers <- payments (cust_ref), orders <- tickets (multi-hop), products (lookup), dependents (own names)."""
    db = tmp_path / "shop"
    n = 30
    ids = [f"C{i:04d}" for i in range(1, n + 1)]
    _write(
        db,
        "customers",
        pl.DataFrame(
            {
                "customer_id": ids,
                "first_name": [FIRST[i % len(FIRST)] for i in range(n)],
                "last_name": [LAST[i % len(LAST)] for i in range(n)],
                "state": ["MI" if i % 3 else "OH" for i in range(n)],
            }
        ),
    )
    # payments: card + cvv, no names, key named differently; the first 4 customers paid
    _write(
        db,
        "payments",
        pl.DataFrame(
            {
                "payment_id": [f"P{i}" for i in range(4)],
                "cust_ref": ids[:4],
                "card_number": CARDS,
                "cvv": ["123", "456", None, "789"],
            }
        ),
    )
    # orders -> customers; tickets -> orders (two hops to a name)
    _write(
        db,
        "orders",
        pl.DataFrame(
            {
                "order_id": [f"O{i:05d}" for i in range(n)],
                "customer_ref": ids,
                "product_id": [str(1 + i % 5) for i in range(n)],
                "quantity": [str(1 + i % 3) for i in range(n)],
            }
        ),
    )
    _write(
        db,
        "tickets",
        pl.DataFrame(
            {
                "ticket_id": [f"T{i}" for i in range(3)],
                "order_id": ["O00005", "O00006", "O00007"],
                "body": [
                    f"Customer wrote: my SSN is {SSNS[0]} please fix",
                    "no numbers here at all thanks",
                    f"social security {SSNS[1].replace('-', '')} attached",
                ],
            }
        ),
    )
    # products: a lookup table everybody references; it must not make one person of all buyers
    _write(
        db,
        "products",
        pl.DataFrame(
            {
                "product_id": [str(i) for i in range(1, 6)],
                "product_name": ["Blue Widget", "Red Widget", "Gadget", "Gizmo", "Doohickey"],
                "description": ["A very nice blue widget for you"] * 5,
            }
        ),
    )
    # dependents: their own names and SSNs; linked to the customer but different people
    _write(
        db,
        "dependents",
        pl.DataFrame(
            {
                "dependent_id": ["D1", "D2"],
                "customer_id": [ids[10], ids[11]],
                "first_name": ["Kid", "Teen"],
                "last_name": ["Other", "Another"],
                "ssn": [SSNS[2], SSNS[3]],
            }
        ),
    )
    return db


def _link_set(exposure: dict) -> set[tuple[str, str]]:
    return {(x["from"], x["to"]) for x in exposure["links"]}


def test_links_are_inferred_with_evidence(shop: Path):
    exp = run_scan([shop]).exposure
    links = _link_set(exp)
    assert ("payments.cust_ref", "customers.customer_id") in links
    assert ("orders.customer_ref", "customers.customer_id") in links
    assert ("tickets.order_id", "orders.order_id") in links
    assert ("dependents.customer_id", "customers.customer_id") in links
    # quantities 1-3 are contained in product ids 1-5 by chance: not a link
    assert not any(f == "orders.quantity" for f, _ in links)
    for link in exp["links"]:
        assert (
            link["source"] == "inferred"
            and 0.9 <= link["coverage"] <= 1.0
            and "distinct values" in link["evidence"]
        )


def test_counts_follow_links_and_identity(shop: Path):
    res = run_scan([shop])
    exp = res.exposure
    # customer i lives in OH when i % 3 == 0, else MI. C0001 (i=0, OH), C0002 (i=1, MI), C0004 (i=3, OH) have a
    # card + cvv; C0003 (i=2, MI) a card without cvv.
    # tickets: orders O00005 (C0006, MI) and O00007 (C0008, MI) carry SSNs in free text, two hops from the name
    # dependents: Kid Other and Teen Another have their own SSNs and live in their customer's household (C0011,
    # C0012: MI): a dependants table's members take the person's residency (counting-rules section 5)
    assert exp["affected"] == {"michigan": 5, "other_states": 2, "unknown_residency": 0}
    assert exp["affected_michigan_by_element"] == {"ssn": 4, "drivers_license": 0, "financial_account": 1}
    # the number-alone reading adds C0003 (MI, i=2)
    assert exp["what_if"]["account_numbers_alone"] == 6
    # products did not merge every buyer into one person; dependents stayed separate people
    assert res.individuals.height >= 30 + 2
    dependents = res.records.filter(pl.col("table") == "dependents").get_column("individual").to_list()
    # (a dependant's individual holds a residency-only copy of the customer's row: no name, no element)
    customers = (
        res.records.filter((pl.col("table") == "customers") & pl.col("has_name"))
        .get_column("individual")
        .to_list()
    )
    assert not set(dependents) & set(customers)


def test_unknown_residency_as_michigan(shop: Path):
    exp = run_scan([shop], options=ScanOptions(unknown_residency_as_michigan=True)).exposure
    assert exp["affected"] == {"michigan": 5, "other_states": 2, "unknown_residency": 0}


def test_link_removed_by_config_changes_counts(shop: Path, tmp_path: Path):
    cfg = tmp_path / "links.yaml"
    cfg.write_text("links:\n  remove:\n    - {from: tickets.order_id, to: orders.order_id}\n")
    exp = run_scan([shop], options=ScanOptions(links_file=cfg)).exposure
    assert ("tickets.order_id", "orders.order_id") not in _link_set(exp)
    # the two ticket SSNs lose their names: only the card holders and the dependents remain
    assert exp["affected"] == {"michigan": 3, "other_states": 2, "unknown_residency": 0}


def test_declared_link_added_by_config(shop: Path, tmp_path: Path):
    cfg = tmp_path / "links.yaml"
    cfg.write_text(
        "links:\n  remove:\n    - {from: tickets.order_id, to: orders.order_id}\n"
        "  add:\n    - {from: tickets.order_id, to: orders.order_id}\n"
    )
    exp = run_scan([shop], options=ScanOptions(links_file=cfg)).exposure
    # remove wins over add for the same pair: the config says what it means once
    assert ("tickets.order_id", "orders.order_id") not in _link_set(exp)
    cfg.write_text("links:\n  add:\n    - {from: tickets.order_id, to: orders.order_id}\n")
    exp = run_scan([shop], options=ScanOptions(links_file=cfg)).exposure
    declared = [x for x in exp["links"] if x["from"] == "tickets.order_id"]
    assert declared and declared[0]["source"] == "declared"
    assert exp["affected"]["michigan"] == 5


def test_same_person_in_several_rows_counts_once(tmp_path: Path):
    db = tmp_path / "one"
    _write(
        db,
        "people",
        pl.DataFrame(
            {
                "first_name": ["Ann", "Ann", "Bob", "Bob", "Cy"],
                "last_name": ["Lee", "Lee", "Ray", "Ray", "Dee"],
                "ssn": [SSNS[0], SSNS[0].replace("-", ""), SSNS[1], None, SSNS[2]],
                "address": [
                    "1 Main St, Detroit, MI 48201",
                    "1 Main St, Detroit, MI 48201",
                    "2 Oak Ave, Flint, MI 48502",
                    "2 Oak Ave, Flint, MI 48502",
                    "3 Elm, Toledo, OH 43604",
                ],
            }
        ),
    )
    exp = run_scan([db]).exposure
    assert exp["affected"] == {"michigan": 2, "other_states": 1, "unknown_residency": 0}


def test_joint_account_holders_are_two_people(tmp_path: Path):
    db = tmp_path / "bank"
    _write(
        db,
        "accounts",
        pl.DataFrame(
            {
                "first_name": ["Ann", "Bob"],
                "last_name": ["Lee", "Ray"],
                "account_number": ["123456789012", "123456789012"],
                "online_banking_password": ["hunter2", "swordfish"],
                "state": ["MI", "MI"],
            }
        ),
    )
    exp = run_scan([db]).exposure
    assert exp["affected"]["michigan"] == 2


def test_name_and_address_join_records_despite_street_spelling(tmp_path: Path):
    db = tmp_path / "addr"
    _write(
        db,
        "crm",
        pl.DataFrame(
            {
                "first_name": ["Ann", "Ann", "Ann"],
                "last_name": ["Lee", "Lee", "Lee"],
                "street": ["12 Main Street, Apt 4", "12 main st #4", "99 Other Rd"],
                "zip": ["48201", "48201", "48201"],
                # the second row gives a licence, not an SSN: nothing says it is somebody else
                "ssn": [SSNS[0], "", SSNS[2]],
                "drivers_license": ["", "S123456789012", ""],
            }
        ),
    )
    exp = run_scan([db]).exposure
    # the first two rows are one Ann Lee (same name and address); the third lives elsewhere: a second person
    assert exp["affected"]["michigan"] == 2


@pytest.mark.parametrize("licence_table", ["a_licences", "z_licences"])
def test_a_row_without_ssn_joins_the_ssn_row_of_its_name_and_address_whichever_is_read_first(
    tmp_path: Path, licence_table: str
):
    """A licence row of John Smith at 12 Elm St is the John Smith there with an SSN, whether its table is read
    before the SSN's (a_...) or after it (z_...): one person, placed in Michigan by the SSN row's state."""
    db = tmp_path / "order"
    _write(
        db,
        licence_table,
        pl.DataFrame(
            {
                "first_name": ["John"],
                "last_name": ["Smith"],
                "address": ["12 Elm St"],
                "dl": ["S123456789012"],
            }
        ),
    )
    _write(
        db,
        "people",
        pl.DataFrame(
            {
                "first_name": ["John"],
                "last_name": ["Smith"],
                "address": ["12 Elm St"],
                "state": ["MI"],
                "ssn": [SSNS[0]],
            }
        ),
    )
    assert run_scan([db]).exposure["affected"] == {"michigan": 1, "other_states": 0, "unknown_residency": 0}


def test_two_licences_at_one_name_and_address_are_two_people(tmp_path: Path):
    """John Smith Sr. and Jr. at 12 Elm St, each with his own licence and no SSN, and two Kevin Kowalskis at one
    address with two licences: Michigan issues one person one licence (MCL 28.291), so four people (until
    2026-11-24 each pair was one and the Jr.'s licence was not even in the findings). A contact row there without
    a number joins the first licence holder (one person more would be a guess); the licence row of the SSN
    holder's name and address still joins the SSN row (control)."""
    db = tmp_path / "dmv"
    _write(
        db,
        "licence_holders",
        pl.DataFrame(
            {
                "holder_id": ["H1", "H2", "H3", "H4", "H5"],
                "first_name": ["John", "John", "Kevin", "Kevin", "Ann"],
                "last_name": ["Smith Sr.", "Smith Jr.", "Kowalski", "Kowalski", "Lee"],
                "address": ["12 Elm St", "12 Elm Street", "88 Oak Ave", "88 Oak Avenue", "5 Pine Rd"],
                "state": ["MI"] * 5,
                "zip": ["48201", "48201", "48503", "48503", "48104"],
                "dl_number": [
                    "S353861408316",
                    "S008699346736",
                    "K532680861793",
                    "K754188200208",
                    "L123456789012",
                ],
            }
        ),
    )
    _write(
        db,
        "mailing",
        pl.DataFrame(
            {
                "first_name": ["John", "Ann"],
                "last_name": ["Smith", "Lee"],
                "address": ["12 Elm St", "5 Pine Rd"],
                "zip": ["48201", "48104"],
                "ssn": [None, SSNS[1]],
            }
        ),
    )
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 5, "other_states": 0, "unknown_residency": 0}
    assert result.individuals.height == 5


def test_name_and_address_match_with_the_zip_in_one_table_only_and_a_one_line_address(tmp_path: Path):
    """A table without a ZIP column, or with the whole address on one line, still matches the same street
    written with its ZIP elsewhere; the same street with another ZIP is another place (two people)."""
    db = _write_all(
        tmp_path / "zip",
        {
            "people": {
                "first_name": ["John", "Mary"],
                "last_name": ["Smith", "Jones"],
                "address": ["12 Elm St", "7 Oak Ave"],
                "zip": ["48201", "48933"],
                "ssn": SSNS[:2],
            },
            "licences": {
                "first_name": ["John", "Mary", "Mary"],
                "last_name": ["Smith", "Jones", "Jones"],
                # no ZIP column: John's street alone; Mary's on one line, once with her ZIP, once with another's
                "address": ["12 Elm St", "7 Oak Ave, Lansing, MI 48933", "7 Oak Ave, Grand Rapids, MI 49503"],
                "dl": ["S123456789012", "S223456789012", "S323456789012"],
            },
        },
    )
    result = run_scan([db])
    # John and the first Mary are one person each; the Mary of Grand Rapids is a third (another ZIP)
    assert result.exposure["affected"] == {"michigan": 3, "other_states": 0, "unknown_residency": 0}
    people = result.records.filter(pl.col("table") == "licences").sort(ROW).get_column("individual").to_list()
    owners = result.records.filter(pl.col("table") == "people").sort(ROW).get_column("individual").to_list()
    assert people[:2] == owners and people[2] not in owners


def test_a_delivery_address_reached_through_a_key_is_weak_evidence(tmp_path: Path):
    """orders.delivery_address_id -> addresses is where a parcel went (counting-rules 5): Ann and Bob live in
    Ohio (their own address_id) whatever state their orders went to; Cy gives no home address, so the Michigan
    delivery address places him, but it is not the address his notice goes to."""
    db = tmp_path / "delivery"
    tables = {
        "customers": {
            "id": ["1", "2", "3"],
            "first_name": ["Ann", "Bob", "Cy"],
            "last_name": ["Lee", "Kim", "Orr"],
            "address_id": ["1", "3", ""],
        },
        "addresses": {
            "id": ["1", "2", "3"],
            "line1": ["5 Oak St", "9 Pine St", "7 Elm St"],
            "city": ["Columbus", "Detroit", "Toledo"],
            "state": ["OH", "MI", "OH"],
            "zip": ["43004", "48201", "43601"],
        },
        "orders": {
            "id": ["30", "31", "32"],
            "customer_id": ["1", "2", "3"],
            "delivery_address_id": ["2", "3", "2"],
            "card_number": CARDS[:3],
            "cvv": ["123", "456", "789"],
        },
    }
    for name, columns in tables.items():
        _write(db, name, pl.DataFrame(columns))
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 1, "other_states": 2, "unknown_residency": 0}
    cy = result.individuals.filter(pl.col("affected") & (pl.col("residency") == "michigan"))
    assert cy.height == 1 and cy.select("address", "city", "state", "zip").row(0) == (None, None, None, None)


def test_household_address_is_each_members_residency_but_a_store_address_is_not(tmp_path: Path):
    db = tmp_path / "res"
    _write(
        db,
        "households",
        pl.DataFrame(
            {"household_id": ["H1", "H2"], "street": ["1 Elm St", "2 Oak Ave"], "state": ["MI", "OH"]}
        ),
    )
    _write(
        db,
        "stores",
        pl.DataFrame(
            {"store_id": ["S1", "S2"], "street": ["9 Mall Rd", "8 Plaza Dr"], "state": ["MI", "MI"]}
        ),
    )
    _write(
        db,
        "members",
        pl.DataFrame(
            {
                "member_id": ["1", "2", "3", "4"],
                "household_id": ["H1", "H1", "H2", None],
                "store_id": ["S1", "S2", "S1", "S2"],
                "first_name": ["Ann", "Bob", "Cy", "Di"],
                "last_name": ["Lee", "Lee", "Ray", "Fox"],
                "ssn": SSNS[:4],
            }
        ),
    )
    result = run_scan([db])
    exp = result.exposure
    # Ann and Bob live in the Michigan household, Cy in Ohio; Di has no household: the store's address is the
    # store's, so her residency stays unknown. Members of one household stay two people.
    assert exp["affected"] == {"michigan": 2, "other_states": 1, "unknown_residency": 1}
    assert exp["individuals"]["with_name"] == 4
    used = {(k["from"], k["to"]): k["used_for_residency"] for k in exp["links"]}
    assert used[("members.household_id", "households.household_id")] is True
    assert used[("members.store_id", "stores.store_id")] is False
    ann = result.individuals.filter(pl.col("first_name") == "Ann").row(0, named=True)
    assert "via members.household_id → households.household_id" in ann["path"]


def test_records_out_of_table_row_order_are_reordered_before_numbering():
    from pipeline.individuals import _in_table_row_order, resolve
    from pipeline.records import empty_records
    from pipeline.tables import ROW

    base = empty_records()
    rows = pl.DataFrame(
        {"table": ["a", "a", "b", "b"], ROW: [0, 1, 0, 1], "ssn_value": ["1", None, "1", None]},
        schema_overrides={ROW: pl.UInt64},
    )
    ordered = pl.concat([base, rows], how="diagonal_relaxed").with_columns(
        pl.col("has_name").fill_null(False)
    )
    shuffled = ordered.reverse()
    assert _in_table_row_order(ordered) and not _in_table_row_order(shuffled)
    links = pl.DataFrame(
        schema={
            "table_a": pl.String,
            "row_a": pl.UInt64,
            "table_b": pl.String,
            "row_b": pl.UInt64,
            "link": pl.Int32,
        }
    )
    a, _ = resolve(ordered, links)
    b, _ = resolve(shuffled, links)
    assert a.select("table", ROW, "gid", "individual").equals(b.select("table", ROW, "gid", "individual"))
    assert a.get_column("individual").to_list() == [0, 1, 0, 2]


def test_a_normalised_addresses_table_gives_its_residents_residency(tmp_path: Path):
    db = tmp_path / "addr_table"
    _write(
        db,
        "addresses",
        pl.DataFrame(
            {"address_id": ["A1", "A2"], "street": ["1 Elm St", "2 Oak Ave"], "state": ["MI", "OH"]}
        ),
    )
    _write(
        db,
        "customers",
        pl.DataFrame(
            {
                "customer_id": ["1", "2", "3"],
                "address_id": ["A1", "A2", "A1"],
                "first_name": ["Ann", "Bob", "Cy"],
                "last_name": ["Lee", "Roe", "Ray"],
                "ssn": SSNS[:3],
            }
        ),
    )
    exp = run_scan([db]).exposure
    assert exp["affected"] == {"michigan": 2, "other_states": 1, "unknown_residency": 0}


def test_a_shipping_row_of_an_address_table_is_weak_evidence(tmp_path: Path):
    """customer_addresses(customer_id, address_type, ...): Ann's billing address is in Ohio and her shipping
    address in Michigan: she lives in Ohio. Bob has only a shipping address, in Michigan: it places him there
    (nothing else does), but it is not the address his notice goes to."""
    db = tmp_path / "typed"
    tables = {
        "customers": {"id": ["1", "2"], "first_name": ["Ann", "Bob"], "last_name": ["Lee", "Kim"]},
        "customer_addresses": {
            "id": ["10", "11", "12"],
            "customer_id": ["1", "1", "2"],
            "address_type": ["billing", "shipping", "Ship To"],
            "line1": ["5 Oak St", "9 Pine St", "7 Elm St"],
            "city": ["Columbus", "Detroit", "Lansing"],
            "state": ["OH", "MI", "MI"],
            "zip": ["43004", "48201", "48933"],
        },
        "payment_methods": {
            "id": ["20", "21"],
            "customer_id": ["1", "2"],
            "card_number": CARDS[:2],
            "cvv": ["123", "456"],
        },
    }
    for name, columns in tables.items():
        _write(db, name, pl.DataFrame(columns))
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 1, "other_states": 1, "unknown_residency": 0}
    bob = result.individuals.filter(pl.col("affected") & (pl.col("residency") == "michigan"))
    assert bob.select("first_name", "address", "state").row(0) == ("Bob", None, None)


def test_an_order_is_its_customers_not_the_clerks_who_took_it(tmp_path: Path):
    """orders(customer_id, employee_id): the row is the customer's; the employee reference is a relation (an
    order without a customer is not the clerk's either). Fay (Ohio) is affected, the Michigan clerks are not."""
    db = _write_all(
        tmp_path / "staff",
        {
            "customers": {
                "customer_id": ["1", "2", "3"],
                "first_name": ["Fay", "Hy", "Ike"],
                "last_name": ["Fox", "Holt", "Ito"],
                "state": ["OH"] * 3,
            },
            "employees": {
                "employee_id": ["7", "8"],
                "first_name": ["Gus", "Vi"],
                "last_name": ["Gray", "Vance"],
                "state": ["MI", "MI"],
            },
            "orders": {
                "order_id": ["1", "2", "3", "4"],
                "customer_id": ["1", "", "2", ""],
                "employee_id": ["7", "7", "8", "8"],
                "card_number": [CARDS[0], CARDS[1], "", CARDS[2]],
                "cvv": ["123", "456", "", "789"],
            },
        },
    )
    assert run_scan([db]).exposure["affected"] == {"michigan": 0, "other_states": 1, "unknown_residency": 0}


def test_a_junction_table_with_its_own_id_role_and_date_columns(tmp_path: Path):
    """account_holders(holder_row_id, account_id, customer_id, role, added_on) only connects: a joint account
    is each holder's (counting-rules 3), whatever metadata columns the junction carries."""
    db = _write_all(
        tmp_path / "junction",
        {
            "customers": {
                "customer_id": ["K1", "K2", "K3", "K4"],
                "first_name": ["Kay", "Lou", "Max", "Ned"],
                "last_name": ["King", "Lane", "Moss", "Nash"],
                "ssn": [SSNS[0], "", "", ""],
                "state": ["OH", "MI", "MI", "MI"],
            },
            "accounts": {
                "account_id": ["AC1", "AC2"],
                "account_number": ["55500012345", "55500012399"],
                "pin": ["1234", ""],
            },
            "account_holders": {
                "holder_row_id": ["H1", "H2", "H3", "H4"],
                "account_id": ["AC1", "AC1", "AC1", "AC2"],
                "customer_id": ["K1", "K2", "K3", "K4"],
                "role": ["primary", "joint", "joint", "primary"],
                "added_on": ["2020-01-01", "2020-01-01", "2021-01-01", "2020-01-01"],
            },
        },
    )
    exposure = run_scan([db]).exposure
    # Lou and Max hold AC1 with its PIN (Michigan); Kay holds it too and has her SSN (Ohio); Ned's has no PIN
    assert exposure["affected"] == {"michigan": 2, "other_states": 1, "unknown_residency": 0}
    assert exposure["what_if"]["account_numbers_alone"] == 3


def test_uuid_keys_link_tables_that_declare_no_keys(tmp_path: Path):
    """ids written as UUIDs are keys, not tokens of an element: payments.customer_id -> customers.id links."""
    ids = [
        "3f2a6c1e-8b1d-4c7e-9a55-0c1d2e3f4a51",
        "9b1e7d20-4c3a-4f8e-8a11-2b3c4d5e6f70",
        "c0ffee00-1234-4abc-9def-0123456789ab",
    ]
    db = _write_all(
        tmp_path / "uuid",
        {
            "customers": {
                "id": ids,
                "first_name": ["Ann", "Bob", "Cy"],
                "last_name": ["Lee", "Kim", "Orr"],
                "state": ["MI"] * 3,
            },
            "payments": {
                "payment_id": ["1", "2"],
                "customer_id": ids[:2],
                "card_number": CARDS[:2],
                "cvv": ["123", "456"],
            },
        },
    )
    exposure = run_scan([db]).exposure
    assert [(k["from"], k["to"]) for k in exposure["links"]] == [("payments.customer_id", "customers.id")]
    assert exposure["affected"]["michigan"] == 2


def test_one_ssn_typed_for_differently_named_people_keeps_them_apart(tmp_path: Path):
    """A placeholder SSN on three customers who share neither a first nor a last name: three people, each with
    their own card and code (the same number merged them into one, and two residents went unnotified). A changed
    last name (Mary Smith, later Mary Jones) or another form of the first (Bob, Robert Lee) stays one person."""
    placeholder = "123-45-6789"
    db = _write_all(
        tmp_path / "placeholder",
        {
            "customers": {
                "id": [str(i) for i in range(1, 8)],
                "first_name": ["Ann", "Bea", "Cy", "Mary", "Mary", "Bob", "Robert"],
                "last_name": ["Avery", "Brock", "Cole", "Smith", "Jones", "Lee", "Lee"],
                "ssn": [placeholder] * 3 + [SSNS[0], SSNS[0], SSNS[1], SSNS[1]],
                "card_number": [CARDS[0], CARDS[1], CARDS[2], "", "", "", ""],
                "cvv": ["123", "456", "789", "", "", "", ""],
                "state": ["MI", "MI", "OH", "MI", "MI", "MI", "MI"],
            }
        },
    )
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 4, "other_states": 1, "unknown_residency": 0}
    individual = result.records.sort(ROW).get_column("individual").to_list()
    assert len(set(individual[:3])) == 3 and individual[3] == individual[4] and individual[5] == individual[6]


def test_a_table_with_data_of_its_own_beside_two_references_is_no_junction(tmp_path: Path):
    """Metadata (its own id, a role, dates) does not stop a junction; data of its own does: a policy row with a
    premium, a deductible and a copay beside its customer and account references is a table about its rows, which
    follow their best reference only."""
    db = _write_all(
        tmp_path / "policy",
        {
            "customers": {
                "customer_id": ["C1", "C2"],
                "first_name": ["Ann", "Bob"],
                "last_name": ["Lee", "Kim"],
                "state": ["MI", "MI"],
            },
            "accounts": {
                "account_id": ["A1", "A2"],
                "account_number": ["55500012345", "55500012399"],
                "pin": ["1234", "5678"],
            },
            "policies": {
                "policy_id": ["P1", "P2"],
                "customer_id": ["C1", "C2"],
                "account_id": ["A1", "A2"],
                "premium": ["100", "200"],
                "deductible": ["500", "900"],
                "copay": ["20", "30"],
            },
        },
    )
    result = run_scan([db])
    mine = [k for k in result.links if k.from_table == "policies"]
    assert len(mine) == 2 and not any(k.junction for k in mine)


def test_a_narrow_row_that_references_two_tables_of_people_relates_them(tmp_path: Path):
    """A junction says whose thing it is (one reference to a thing, one to its holder). A background-check order
    (order_id, client_id, cand_id, package) references two tables that name people: the candidate and the
    client, named by its HR contact. It relates them; it never makes the candidate, the HR contact and the
    client's other candidates one person (until 2026-11-24 it was read as a junction and they were one)."""
    db = _write_all(
        tmp_path / "screening",
        {
            "candidates": {
                "cand_id": ["C1", "C2", "C3"],
                "first_nm": ["Ann", "Bob", "Cara"],
                "last_nm": ["Smith", "Nguyen", "Garcia"],
                "ssn": SSNS[:3],
                "state": ["MI", "OH", "MI"],
            },
            "clients": {
                "client_id": ["CL1", "CL2"],
                "client_name": ["Acme Tool Inc", "Lakeside Foods LLC"],
                "hr_contact_first": ["Kay", "Tom"],
                "hr_contact_last": ["White", "Reed"],
                "bill_state": ["MI", "MI"],
            },
            "orders": {
                "order_id": ["O1", "O2", "O3"],
                "client_id": ["CL1", "CL1", "CL2"],
                "cand_id": ["C1", "C2", "C3"],
                "package": ["DRIVER", "DRIVER", "BASIC"],
            },
        },
    )
    result = run_scan([db])
    assert not any(k.junction for k in result.links if k.from_table == "orders")
    assert result.exposure["affected"] == {"michigan": 2, "other_states": 1, "unknown_residency": 0}
    # three candidates and two HR contacts
    assert result.exposure["individuals"]["total"] == 5


def test_a_row_without_a_name_with_a_licence_number_chains_no_two_names(tmp_path: Path):
    """An MVR result (no name, the driver's licence number) is the driver's by its number; its client_id leads
    to the client who ordered it, named by its HR contact. A row without a name never chains two names: each
    driver and the HR contact stay two people, and the HR contact holds no licence (until 2026-11-24 they were
    one individual, and the Ohio driver a Michigan resident by the client's billing state)."""
    db = _write_all(
        tmp_path / "screening",
        {
            "candidates": {
                "cand_id": ["C1", "C2"],
                "first_nm": ["Ann", "Bob"],
                "last_nm": ["Smith", "Nguyen"],
                "dl_no": ["S123456789012", "K234567890123"],
                "state": ["MI", "OH"],
            },
            "clients": {
                "client_id": ["CL1", "CL2"],
                "client_name": ["Acme Tool Inc", "Lakeside Foods LLC"],
                "hr_contact_first": ["Kay", "Tom"],
                "hr_contact_last": ["White", "Reed"],
                "bill_state": ["MI", "MI"],
            },
            "mvr_results": {
                "mvr_id": ["M1", "M2"],
                "client_id": ["CL1", "CL2"],
                "license_number": ["S123456789012", "K234567890123"],
                "status": ["VALID", "SUSPENDED"],
            },
        },
    )
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 1, "other_states": 1, "unknown_residency": 0}
    assert result.exposure["individuals"]["total"] == 4


def test_a_reference_takes_the_table_of_its_own_system(tmp_path: Path):
    """Two systems' exports side by side, both keyed 1..5: crm/customers (Michigan) and shop/customers (Ohio),
    with shop/orders' cards. The orders are the shop's customers' whatever the folders are called (until
    2026-11-24 the first folder by name won: 5 Michigan residents who bought nothing, none of the 5 buyers), and
    the tie is said."""
    for crm in ("crm", "web_crm"):
        root = tmp_path / crm.replace("/", "_")
        people = {
            "customer_id": [str(i) for i in range(1, 6)],
            "first_name": FIRST[:5],
            "last_name": LAST[:5],
        }
        _write(root / crm, "customers", pl.DataFrame({**people, "state": ["MI"] * 5}))
        shop = {**people, "first_name": FIRST[5:10], "state": ["OH"] * 5}
        _write(root / "shop", "customers", pl.DataFrame(shop))
        orders = {"order_id": ["O1", "O2", "O3", "O4", "O5"], "customer_id": ["1", "2", "3", "4", "1"]}
        orders |= {"card_number": [*CARDS, CARDS[0]], "cvv": ["123", "456", "789", "012", "123"]}
        _write(root / "shop", "orders", pl.DataFrame(orders))
        result = run_scan([root])
        assert result.exposure["affected"] == {"michigan": 0, "other_states": 4, "unknown_residency": 0}, crm
        warnings = next(t["warnings"] for t in result.exposure["tables"] if t["name"] == "orders")
        assert any("equally well" in w and "same folder" in w for w in warnings)


def test_a_beneficiary_holds_neither_the_account_nor_its_pin(tmp_path: Path):
    """A credit union's beneficiaries(account_id, name): Dana, Carol's payable-on-death beneficiary, holds neither
    the account nor its PIN (445.63(p)(iii) "the resident's financial accounts"): Kevin (MI) and Carol (OH) count,
    Dana does not (until 2026-11-24 Dana counted with Carol's account and PIN, and Kevin, named his own
    beneficiary, twice)."""
    db = _write_all(
        tmp_path / "cu",
        {
            "members": {"member_id": ["1", "2"], "first_name": ["Carol", "Kevin"], "last_name": ["Cole", "Johnson"],
                        "state": ["OH", "MI"]},
            "accounts": {"account_id": ["10", "20"], "account_number": ["5166506049", "8941177548"],
                         "telephone_pin": ["5753", "0343"]},
            "account_holders": {"account_id": ["10", "20"], "member_id": ["1", "2"]},
            "beneficiaries": {"beneficiary_id": ["1", "2"], "account_id": ["10", "20"],
                              "first_name": ["Dana", "Kevin M."], "last_name": ["Cole", "Johnson"],
                              "relationship": ["CHILD", "SELF"], "state": ["MI", ""]},
        },
    )  # fmt: skip
    assert run_scan([db]).exposure["affected"] == {"michigan": 1, "other_states": 1, "unknown_residency": 0}


def test_a_ticket_follows_its_customer_before_its_order(tmp_path: Path):
    """Paul's support ticket quotes his card (in its text) and names him by customer_id and by order_id; his order's
    bill-to name is misspelt ('Paul Wtson'), so the order is no record of his. The ticket is his through its direct
    reference, and his CVV counts with the card (445.63(p)(iii); until 2026-11-24 the ticket followed the order,
    the card reached nobody)."""
    db = _write_all(
        tmp_path / "shop",
        {
            "customers": {"customer_id": ["101", "102"], "first_name": ["Paul", "Rita"],
                          "last_name": ["Watson", "Moreno"], "state": ["MI", "MI"]},
            "orders": {"order_id": ["4338", "4339"], "customer_id": ["101", "102"],
                       "bill_to_name": ["Paul Wtson", "Rita Moreno"]},
            "card_vault": {"vault_id": ["V1", "V2"], "customer_id": ["101", "102"], "cvv": ["123", "456"]},
            "tickets": {"ticket_id": ["1", "2"], "customer_id": ["101", "102"], "order_id": ["4338", "4339"],
                        "body": ["Charged twice on card 4539 1488 0343 6467 for order 4338", "Where is my parcel?"]},
        },
    )  # fmt: skip
    assert run_scan([db]).exposure["affected"] == {"michigan": 1, "other_states": 0, "unknown_residency": 0}


def test_one_ssn_under_unrelated_names_is_decided_per_number_not_by_its_first_record(tmp_path: Path):
    """Nicole Harris, Nicholas Green and Danielle Harris on one SSN (a placeholder): Nicholas and Danielle share
    neither last name nor first initial, so the number is no one person's; each name counts (until 2026-11-24 both
    chained to Nicole: 1 Michigan resident, the others lost). The order of the rows no longer decides."""
    for order in ([0, 1, 2], [1, 2, 0]):
        rows = [
            ("1", "Nicole", "Harris", "MI"),
            ("2", "Nicholas", "Green", "OH"),
            ("5", "Danielle", "Harris", "PA"),
        ]
        rows = [rows[i] for i in order]
        db = _write_all(
            tmp_path / f"o{order[0]}",
            {"customers": {"customer_id": [r[0] for r in rows], "first_name": [r[1] for r in rows],
                           "last_name": [r[2] for r in rows], "ssn": ["212-34-5678"] * 3,
                           "state": [r[3] for r in rows]}},
        )  # fmt: skip
        assert run_scan([db]).exposure["affected"] == {
            "michigan": 1,
            "other_states": 2,
            "unknown_residency": 0,
        }


# Michigan driver licence numbers (a letter and 12 digits; synthetic)
LICENCES = ["H658523542931", "T401703255903", "B220113457782", "K903318274650"]


@pytest.mark.parametrize("cardholders", [False, True])
def test_a_prescription_is_its_patients_not_its_prescribers(tmp_path: Path, cardholders: bool):
    """prescriptions(patient_id, prescriber_id): the row is the patient's; the prescriber acts on it, as a clerk on
    an order. The pharmacist's notes quote each patient's licence: George and Susan count, each once, and the
    prescriber (no element of his own) is nobody's second name (until 2026-11-24 the rows followed prescriber_id,
    'prescribers' > 'patients' by name, and the licences made one individual of both patients and the doctor).
    Also when the patients reference the cardholders whose plan pays (patients then reach a person second-hand)."""
    tables = {
        "patients": {"patient_id": ["5025", "5042", "5051"], "first_name": ["George", "Susan", "Tina"],
                     "last_name": ["Wallace", "Valdez", "Moss"], "state": ["MI", "MI", "MI"]},
        "prescribers": {"prescriber_id": ["306", "307"], "first_name": ["Brian", "Carla"],
                        "last_name": ["Ellison", "Ruiz"], "npi": ["1245319599", "1679576722"]},
        "prescriptions": {"rx_id": ["10021", "10049", "10050", "10051"], "patient_id": ["5042", "5025", "5051", ""],
                          "prescriber_id": ["306", "306", "307", "307"],
                          "pharmacist_notes": [f"C-II pickup, pt DL# {LICENCES[1]} on file",
                                               f"C-II pickup, pt DL# {LICENCES[0]} on file", "refill",
                                               f"walk-in, DL# {LICENCES[2]} seen"]},
    }  # fmt: skip
    if cardholders:
        tables["cardholders"] = {"cardholder_id": ["113", "121", "130"], "first_name": ["George", "Susan", "Tina"],
                                 "last_name": ["Wallace", "Valdez", "Moss"]}  # fmt: skip
        tables["patients"]["cardholder_id"] = ["113", "121", "130"]
    result = run_scan([_write_all(tmp_path / "rx", tables)])
    assert result.exposure["affected"] == {"michigan": 2, "other_states": 0, "unknown_residency": 0}
    used = {(k.from_table, k.from_column) for k in result.links if k.used_for_identity}
    assert ("prescriptions", "patient_id") in used and ("prescriptions", "prescriber_id") not in used
    affected = result.individuals.filter(pl.col("affected")).sort("last_name")
    assert affected.get_column("last_name").to_list() == ["Valdez", "Wallace"]


def test_a_row_follows_the_reference_to_the_more_numerous_people_when_all_else_ties(tmp_path: Path):
    """A salon's appointments(client_id, stylist_id) with the card on file and its CVV: both references are
    declared-alike, fully covered and well named. The row is the client's: the people a table is about outnumber
    those who work on its rows (until 2026-11-24 'stylists' > 'clients' by name, and the two stylists counted
    with four clients' cards)."""
    db = _write_all(
        tmp_path / "salon",
        {
            "clients": {"client_id": ["1", "2", "3", "4"], "first_name": FIRST[:4], "last_name": LAST[:4],
                        "state": ["OH", "OH", "OH", "OH"]},
            "stylists": {"stylist_id": ["1", "2"], "first_name": ["Mo", "Kai"], "last_name": ["Silva", "Tanaka"],
                         "state": ["MI", "MI"]},
            "appointments": {"appt_id": ["1", "2", "3", "4", "5"], "client_id": ["1", "2", "3", "4", "1"],
                             "stylist_id": ["1", "1", "2", "2", "1"], "card_number": [*CARDS, CARDS[0]],
                             "cvv": ["123", "456", "789", "012", "123"]},
        },
    )  # fmt: skip
    assert run_scan([db]).exposure["affected"] == {"michigan": 0, "other_states": 4, "unknown_residency": 0}


def test_a_consumer_apps_user_id_is_the_customer(tmp_path: Path):
    """kyc_documents(user_id, dl_number, ocr_name, ocr_dob) of a consumer app: the users are its customers, not a
    back office's clerks. A date of birth inferred as a reference to the same users does not make user_id a clerk's
    (until 2026-11-24 user_id was dropped as staff and the documents followed the date of birth: the two documents
    whose OCR read no date joined nobody and their owners were of unknown residency)."""
    db = _write_all(
        tmp_path / "app",
        {
            "users": {"user_id": ["1001", "1002", "1003", "1004"], "first_name": ["Scott", "Douglas", "Susan", "Andrew"],
                      "last_name": ["Buckley", "Thompson", "Khan", "Garcia"],
                      "dob": ["1960-01-10", "1961-02-11", "1962-03-12", "1963-04-13"], "state": ["MI"] * 4},
            "kyc_documents": {"doc_id": ["k0", "k1", "k2", "k3"], "user_id": ["1001", "1002", "1003", "1004"],
                              "dl_number": LICENCES, "ocr_full_name": ["SCOTT BUCKLEY", "DOUGLAS THOMPSON",
                                                                        "SUSAN KHAN", "ANDREW GARCIA"],
                              "ocr_dob": ["1960-01-10", "", "", "1963-04-13"]},
        },
    )  # fmt: skip
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 4, "other_states": 0, "unknown_residency": 0}
    used = {(k.from_column, k.identity_rank) for k in result.links if k.from_table == "kyc_documents"}
    assert ("user_id", 0) in used


def test_a_lunch_application_is_the_signing_guardians(tmp_path: Path):
    """free_lunch_applications(guardian_id, adult_ssn): the application's only reference is to the guardians, so
    it is the guardian's, and so is the SSN of the adult who signed it (445.63(p)(i); until 2026-11-24 'guardian'
    was read as another person's role, the reference was never followed and the SSNs counted for nobody, without
    a warning). Beside a student_id the guardian reference stays a relation: that row is the student's."""
    db = _write_all(
        tmp_path / "school",
        {
            "guardians": {"guardian_id": ["5000", "5001", "5002"], "first_name": ["Toni", "Emily", "Elizabeth"],
                          "last_name": ["Sullivan", "Rodriguez", "Castillo"], "state": ["MI", "MI", "MI"],
                          "ssn": ["XXX-XX-4411", "", "XXX-XX-9021"]},
            "students": {"student_id": ["1", "2", "3"], "first_name": ["Ava", "Ben", "Cy"],
                         "last_name": ["Sullivan", "Rodriguez", "Castillo"], "state": ["MI", "MI", "MI"]},
            "free_lunch_applications": {"app_id": ["1", "2", "3"], "guardian_id": ["5000", "5001", "5002"],
                                        "household_size": ["4", "3", "5"],
                                        "adult_ssn": ["386-41-4411", "512-30-8841", "421-77-9021"]},
            "enrollments": {"enrollment_id": ["1", "2", "3"], "student_id": ["1", "2", "3"],
                            "guardian_id": ["5000", "5001", "5002"]},
        },
    )  # fmt: skip
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 3, "other_states": 0, "unknown_residency": 0}
    affected = result.individuals.filter(pl.col("affected"))
    assert sorted(affected.get_column("first_name").to_list()) == ["Elizabeth", "Emily", "Toni"]
    used = {(k.from_table, k.from_column) for k in result.links if k.used_for_identity}
    assert ("enrollments", "student_id") in used and ("enrollments", "guardian_id") not in used


def test_an_ssn_and_a_licence_number_on_two_linked_rows_are_one_persons(tmp_path: Path):
    """customers(ssn) and id_documents(customer_id, dl_number) with the same names: an SSN and a licence number are
    two numbers of one person, not different numbers (until 2026-11-24 the link compared the SSN with the licence:
    each customer with both counted twice, once of unknown residency). Two SSNs that differ still keep a father and
    son apart."""
    db = _write_all(
        tmp_path / "bank",
        {
            "customers": {"customer_id": ["1", "2", "3"], "first_name": ["Christopher", "Robert", "Lynn"],
                          "last_name": ["Coleman", "Trujillo", "Ross"], "ssn": [SSNS[0], SSNS[1], ""],
                          "state": ["MI", "MI", "MI"]},
            "id_documents": {"doc_id": ["d1", "d2", "d3", "d4"], "customer_id": ["1", "2", "3", "2"],
                             "first_name": ["Christopher", "Robert", "Lynn", "Robert"],
                             "last_name": ["Coleman", "Trujillo", "Ross", "Trujillo"],
                             "dl_number": LICENCES, "ssn": ["", "", "", SSNS[2]]},
        },
    )  # fmt: skip
    result = run_scan([db])
    # Robert Trujillo's second document carries another SSN: his son of the same name, of unknown residency
    assert result.exposure["affected"] == {"michigan": 3, "other_states": 0, "unknown_residency": 1}


def test_a_reference_takes_the_table_whose_key_it_is(tmp_path: Path):
    """reservations.guest_id references guests (where guest_id is the key and which the column names), not folios,
    which hold guest_id as a reference of their own and happen to have one folio per guest (until 2026-11-24 the
    first of the two by position won, and Michael's CVV beside a masked second card reached his folio's whole card
    under codes_with_their_own_account)."""
    db = _write_all(
        tmp_path / "pms",
        {
            "folios": {"folio_no": ["9100501", "9100600", "9100601", "9100602", "9100603"],
                       "resv_id": ["550177", "550200", "550201", "550202", "550203"],
                       "guest_id": ["70101", "70110", "70111", "70112", "70113"],
                       "card_no": [CARDS[0], "XXXXXXXXXXXX5928", "XXXXXXXXXXXX6768", "XXXXXXXXXXXX6313",
                                   "XXXXXXXXXXXX6915"]},
            "guests": {"guest_id": ["70101", "70110", "70111", "70112", "70113"],
                       "first_nm": ["Michael", "Ann", "Bea", "Carl", "Dina"],
                       "last_nm": ["Frey", "Avery", "Brock", "Cole", "Dorsey"], "state": ["MI", "OH", "OH", "IN", "IL"]},
            "reservations": {"resv_id": ["550101", "550177", "550200", "550201", "550202", "550203"],
                             "guest_id": ["70101", "70101", "70110", "70111", "70112", "70113"],
                             "cc_number": ["4200-XXXX-XXXX-3105", "", "5142-XXXX-XXXX-5928", "5285-XXXX-XXXX-6768",
                                           "5398-XXXX-XXXX-6313", "5462-XXXX-XXXX-6915"],
                             "cc_cvv": ["318", "", "", "", "", ""]},
        },
    )  # fmt: skip
    result = run_scan([db])
    assert ("reservations.guest_id", "guests.guest_id") in _link_set(result.exposure)
    assert result.exposure["affected"]["michigan"] == 1
    assert result.exposure["what_if"]["codes_with_their_own_account"] == 0


def test_an_orders_user_id_beside_the_users_own_address_is_the_buyer(tmp_path: Path):
    """A shop app's orders(user_id, address_id, card, CVV), its addresses(user_id, recipient_name): the address
    hangs from the same users, so they are the buyers, not a back office's clerks. The order is the buyer's, and a
    gift sent to Carl Ross does not make Carl the holder of Ann's card (until 2026-11-24 user_id was dropped as a
    clerk's and the order followed the address to its recipient)."""
    db = _write_all(
        tmp_path / "shop",
        {
            "users": {"user_id": ["u1", "u2", "u3"], "first_name": ["Ann", "Bob", "Cara"],
                      "last_name": ["Smith", "Nguyen", "Garcia"], "state": ["MI", "MI", "MI"]},
            "addresses": {"address_id": ["a1", "a2", "a3", "a4"], "user_id": ["u1", "u2", "u3", "u1"],
                          "recipient_name": ["Ann Smith", "Bob Nguyen", "Cara Garcia", "Carl Ross"],
                          "state": ["MI", "MI", "MI", "OH"]},
            "orders": {"order_id": ["o1", "o2", "o3"], "user_id": ["u1", "u2", "u3"],
                       "address_id": ["a4", "a2", "a3"], "card_number": CARDS[:3], "cvv": ["123", "456", "789"]},
        },
    )  # fmt: skip
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 3, "other_states": 0, "unknown_residency": 0}
    affected = result.individuals.filter(pl.col("affected"))
    assert sorted(affected.get_column("first_name").to_list()) == ["Ann", "Bob", "Cara"]


def test_an_order_is_its_customers_also_when_the_customers_name_their_account_manager(tmp_path: Path):
    """orders(customer_id, employee_id) where customers(employee_id) names each customer's account manager: the
    employees are still the clerks, and the Michigan clerks are not affected with the Ohio customers' cards."""
    db = _write_all(
        tmp_path / "staff",
        {
            "customers": {"customer_id": ["1", "2", "3"], "first_name": ["Fay", "Hy", "Ike"],
                          "last_name": ["Fox", "Holt", "Ito"], "state": ["OH"] * 3, "employee_id": ["7", "8", "7"]},
            "employees": {"employee_id": ["7", "8"], "first_name": ["Gus", "Vi"], "last_name": ["Gray", "Vance"],
                          "state": ["MI", "MI"]},
            "orders": {"order_id": ["1", "2", "3"], "customer_id": ["1", "2", "3"], "employee_id": ["7", "8", "8"],
                       "card_number": CARDS[:3], "cvv": ["123", "456", "789"]},
        },
    )  # fmt: skip
    assert run_scan([db]).exposure["affected"] == {"michigan": 0, "other_states": 3, "unknown_residency": 0}


def test_a_reference_to_whoever_reviewed_the_row_is_a_relation(tmp_path: Path):
    """kyc_documents(user_id, reviewed_by -> staff): reviewed_by names who did something to the row, as created_by
    does; the documents are the users', and the Michigan reviewers are not affected with the Ohio users' licences
    (until 2026-11-24 reviewed_by was the row's own reference and user_id, beside it, a clerk's: each reviewer took
    the licences of the documents they reviewed)."""
    db = _write_all(
        tmp_path / "app",
        {
            "users": {"user_id": ["u1", "u2", "u3", "u4"], "first_name": FIRST[:4], "last_name": LAST[:4],
                      "state": ["OH"] * 4},
            "staff": {"staff_id": ["s1", "s2"], "first_name": ["Mo", "Kai"], "last_name": ["Silva", "Tanaka"],
                      "state": ["MI", "MI"]},
            "kyc_documents": {"doc_id": ["k1", "k2", "k3", "k4"], "user_id": ["u1", "u2", "u3", "u4"],
                              "reviewed_by": ["s1", "s1", "s2", "s2"], "dl_number": LICENCES},
        },
    )  # fmt: skip
    assert run_scan([db]).exposure["affected"] == {"michigan": 0, "other_states": 4, "unknown_residency": 0}


def test_numbers_whose_only_reference_names_an_agent_are_said_to_count_for_nobody(tmp_path: Path):
    """policies(agent_id -> agents, insured_ssn) with no reference to the insured: the agent who sold the policy is
    not its person, so its SSNs are linked to no name. That is said in the table's warnings (until 2026-11-24 the
    unused reference to the agents silenced the warning: the numbers counted for nobody without a word)."""
    db = _write_all(
        tmp_path / "ins",
        {
            "agents": {"agent_id": ["a1", "a2"], "first_name": ["Mo", "Kai"], "last_name": ["Silva", "Tanaka"]},
            "policies": {"policy_no": ["P1", "P2", "P3"], "agent_id": ["a1", "a2", "a1"], "ssn": SSNS[:3]},
        },
    )  # fmt: skip
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 0, "other_states": 0, "unknown_residency": 0}
    warnings = {t["name"]: t["warnings"] for t in result.exposure["tables"]}
    assert any("count for nobody" in w for w in warnings["policies"])
    assert not any("count for nobody" in w for w in warnings["agents"])


def test_a_parents_card_on_the_childs_profile_is_the_parents(tmp_path: Path):
    """A pharmacy's payment_methods(patient_id -> the child Cassandra, name_on_card ISAIAH OLSON, card, CVV), and
    Cassandra's row references her cardholder Isaiah Olson (with his SSN): the card is Isaiah's, not a second Isaiah
    Olson's, so he is notified once, with his SSN and his card (until 2026-11-24 he was two individuals). A card
    with a name nobody in the household has stays its own person (Rita Vega's gift card on Paul's profile)."""
    db = _write_all(
        tmp_path / "rx",
        {
            "cardholders": {"cardholder_id": ["108", "109"], "first_name": ["Isaiah", "Paul"],
                            "last_name": ["Olson", "Watson"], "ssn": [SSNS[0], SSNS[1]],
                            "address": ["12 Elm St", "9 Oak Ave"], "state": ["MI", "MI"], "zip": ["48933", "48201"]},
            "patients": {"patient_id": ["5017", "5018", "5020"], "cardholder_id": ["108", "108", "109"],
                         "relationship_code": ["1", "3", "1"], "first_name": ["Isaiah", "Cassandra", "Paul"],
                         "last_name": ["Olson", "Olson", "Watson"], "state": ["MI", "MI", "MI"]},
            "payment_methods": {"pm_id": ["711", "712"], "patient_id": ["5018", "5020"],
                                "card_number": CARDS[:2], "name_on_card": ["ISAIAH OLSON", "RITA VEGA"],
                                "cvv": ["123", "456"], "billing_zip": ["48933", "48201"]},
        },
    )  # fmt: skip
    result = run_scan([db])
    assert result.exposure["affected"] == {"michigan": 3, "other_states": 0, "unknown_residency": 0}
    affected = result.individuals.filter(pl.col("affected")).sort("last_name", "first_name")
    names = [f"{f} {n}".lower() for f, n in affected.select("first_name", "last_name").rows()]
    assert names == ["isaiah olson", "rita vega", "paul watson"]


def test_a_date_of_birth_is_never_inferred_as_a_reference(tmp_path):
    """Each user's date of birth is unique in a small export, and every OCR'd date on a document is among them:
    still no link (a date names nobody; two people born on one day are not one person)."""
    users = pl.DataFrame(
        {
            "user_id": ["U1", "U2", "U3"],
            "first_name": ["Ann", "Bob", "Cy"],
            "last_name": ["Lee", "Ray", "Orr"],
            "profile_dob": ["1980-01-02", "1975-03-04", "1990-05-06"],
            "state": ["MI", "MI", "OH"],
        }
    )
    docs = pl.DataFrame(
        {
            "doc_id": ["D1", "D2", "D3"],
            "ocr_dob": ["1980-01-02", "1975-03-04", "1990-05-06"],
            "expiry_date": ["2030-01-01", "2031-01-01", "2032-01-01"],
        }
    )
    users.write_csv(tmp_path / "users.csv")
    docs.write_csv(tmp_path / "kyc_documents.csv")
    links = run_scan([tmp_path], None, ScanOptions(hash_key="k")).exposure["links"]
    assert not [link for link in links if "dob" in link["from"] or "date" in link["from"]]
