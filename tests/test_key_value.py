"""Key-value tables (entity-attribute-value) are read as one row per entity (pipeline/key_value.py).

Each export is small and hand-counted against MCL 445.63(p): a person counts when their name and an unredacted
SSN, licence or account number are linked, and here the name and the number sit in different rows of one table,
joined only by the entity column. Read row by row (before key_value), every one of these counted nobody.
"""

from __future__ import annotations

import polars as pl
from scenario import counts, scan, write

from pipeline.key_value import rows_per_entity
from pipeline.sources import load_sources
from pipeline.tables import ROW, Table


def _attributes(
    rows: list[tuple[str, str, str]], head=("id", "customer_id", "attr_name", "attr_value")
) -> list[dict]:
    return [dict(zip(head, (str(i), *r), strict=True)) for i, r in enumerate(rows, 1)]


CUSTOMERS = [
    {"customer_id": "1", "email": "a@example.com"},
    {"customer_id": "2", "email": "b@example.com"},
    {"customer_id": "3", "email": "c@example.com"},
]
ATTRIBUTES = [
    ("1", "first_name", "Ann"),
    ("1", "last_name", "Lee"),
    ("1", "ssn", "287-65-4321"),
    ("1", "state", "MI"),
    ("2", "first_name", "Bob"),
    ("2", "last_name", "Ray"),
    ("2", "dl_number", "S123456789012"),
    ("2", "state", "OH"),
    ("3", "first_name", "Cy"),
    ("3", "last_name", "Dunn"),
    ("3", "ssn", "XXX-XX-4321"),  # redacted (445.63(r)): Cy is not affected
    ("3", "state", "MI"),
]


def test_an_attribute_table_counts_each_entity_once(tmp_path):
    db = write(tmp_path, {"customers": CUSTOMERS, "customer_attributes": _attributes(ATTRIBUTES)})
    exposure = scan(db)
    assert (
        exposure["affected"]["michigan"],
        exposure["affected"]["other_states"],
        exposure["affected"]["unknown_residency"],
    ) == (1, 1, 0)
    assert exposure["affected_michigan_by_element"]["ssn"] == 1
    table = next(t for t in exposure["tables"] if t["name"] == "customer_attributes")
    assert any("key-value table" in w and "customer_id" in w for w in table["warnings"])


def test_attributes_alone_without_a_parent_table(tmp_path):
    """The names are attributes too: no other table is needed for the link."""
    db = write(tmp_path, {"customer_attributes": _attributes(ATTRIBUTES)})
    assert counts(db) == (1, 1, 0)


def test_wordpress_usermeta_in_a_dump(tmp_path):
    """wp_usermeta(umeta_id, user_id, meta_key, meta_value): the row's own id (umeta_id) is not the entity."""
    rows = [
        (1, 7, "first_name", "Ann"),
        (2, 7, "last_name", "Lee"),
        (3, 7, "billing_state", "MI"),
        (4, 7, "billing_card_number", "4539148803436467"),
        (5, 7, "billing_card_cvv", "123"),
        (6, 8, "first_name", "Bob"),
        (7, 8, "last_name", "Ray"),
        (8, 8, "billing_state", "MI"),
        (9, 8, "billing_card_number", "5555341244441115"),  # no security code: (p)(iii) needs one by default
        (10, 9, "nickname", "cy"),
    ]
    values = ",\n".join(f"({a},{b},'{k}','{v}')" for a, b, k, v in rows)
    (tmp_path / "wp.sql").write_text(
        "CREATE TABLE `wp_users` (`ID` bigint NOT NULL, `user_login` varchar(60), `user_email` varchar(100),"
        " PRIMARY KEY (`ID`));\n"
        "INSERT INTO `wp_users` VALUES (7,'ann','a@example.com'),(8,'bob','b@example.com'),(9,'cy','c@example.com');\n"
        "CREATE TABLE `wp_usermeta` (`umeta_id` bigint NOT NULL, `user_id` bigint NOT NULL, `meta_key` varchar(255),"
        " `meta_value` longtext, PRIMARY KEY (`umeta_id`));\n"
        f"INSERT INTO `wp_usermeta` VALUES {values};\n"
    )
    exposure = scan(tmp_path)
    assert exposure["affected"]["michigan"] == 1  # Ann: name, card and its code
    assert exposure["what_if"]  # Bob's card alone counts under the other reading
    source = load_sources([str(tmp_path)])
    meta = next(t for t in source.tables if t.name == "wp_usermeta")
    assert meta.frame.collect_schema().names()[:2] == [ROW, "user_id"]


def test_identifier_table_by_type(tmp_path):
    """person_identifiers(person_id, id_type, id_value): an SSN and a licence in one value column."""
    people = [
        {"person_id": "P1", "first_name": "Ann", "last_name": "Lee", "state": "MI"},
        {"person_id": "P2", "first_name": "Bob", "last_name": "Ray", "state": "MI"},
        {"person_id": "P3", "first_name": "Cy", "last_name": "Dunn", "state": "MI"},
    ]
    ids = _attributes(
        [
            ("P1", "SSN", "287-65-4321"),
            ("P2", "Driver License", "S 123 456 789 012"),
            ("P3", "Passport", "X1234567"),
        ],
        head=("identifier_id", "person_id", "id_type", "id_value"),
    )
    exposure = scan(write(tmp_path, {"people": people, "person_identifiers": ids}))
    assert exposure["affected"]["michigan"] == 2  # a passport number is no element of 445.63(p)
    assert exposure["affected_michigan_by_element"]["ssn"] == 1
    assert exposure["affected_michigan_by_element"]["drivers_license"] == 1


def test_a_value_entered_twice_keeps_both_with_the_name(tmp_path):
    """Two SSN rows of one customer: two rows of the entity, each with the name; one person."""
    rows = [*ATTRIBUTES[:4], ("1", "ssn", "XXX-XX-4321")]
    frame = Table("a", "a.csv", pl.DataFrame(_attributes(rows)).with_row_index(ROW).lazy())
    wide = rows_per_entity(frame).frame.collect()
    assert wide.height == 2
    assert wide["first_name"].to_list() == ["Ann", "Ann"]
    assert sorted(wide["ssn"].to_list()) == ["287-65-4321", "XXX-XX-4321"]
    db = write(tmp_path, {"customers": CUSTOMERS, "customer_attributes": _attributes(rows)})
    assert counts(db) == (1, 0, 0)


def test_a_table_with_data_of_its_own_is_not_read_as_key_value(tmp_path):
    """A type and a value beside a card number: reading it by entity would lose the card's own row."""
    rows = [
        {"customer_id": "1", "key": "gift", "value": "25.00", "card_number": "4539148803436467", "cvv": "123",
         "first_name": "Ann", "last_name": "Lee", "state": "MI"},
    ]  # fmt: skip
    db = write(tmp_path, {"payments": rows})
    table = load_sources([str(db)]).tables[0]
    assert "key" in table.frame.collect_schema().names()
    assert counts(db) == (1, 0, 0)


def test_an_unclear_entity_is_said_not_guessed(tmp_path):
    rows = [
        {"customer_id": "1", "account_id": "1", "attr_name": "first_name", "attr_value": "Ann"},
        {"customer_id": "2", "account_id": "2", "attr_name": "last_name", "attr_value": "Lee"},
    ]
    table = load_sources([str(write(tmp_path, {"attributes": rows}))]).tables[0]
    assert "attr_name" in table.frame.collect_schema().names()
    assert any("which column names the entity is unclear" in w for w in table.warnings)


def test_an_audit_logs_old_and_new_values(tmp_path):
    """audit_log(audit_id, customer_id, field_name, old_value, new_value, changed_at): the SSN masked in the
    customers table was whole before the change, and the log keeps it beside the customer's key (445.63(p)(i),
    (r)). Ann (MI) and Cal (OH) count; Ben's row changed an e-mail."""
    customers = [
        {"customer_id": "1", "first_name": "Ann", "last_name": "Avery", "ssn": "***-**-4419", "state": "MI"},
        {"customer_id": "2", "first_name": "Ben", "last_name": "Brock", "ssn": "***-**-5520", "state": "MI"},
        {"customer_id": "3", "first_name": "Cal", "last_name": "Cole", "ssn": "***-**-6631", "state": "OH"},
    ]
    log = [
        ("1", "1", "ssn", "371-22-4419", "***-**-4419", "2023-05-01"),
        ("2", "2", "email", "ben@old.example", "ben@example.com", "2023-05-02"),
        ("3", "3", "ssn", "373-44-6631", "***-**-6631", "2023-05-03"),
        ("4", "2", "phone", "517-555-0101", "517-555-0199", "2023-05-04"),
    ]
    head = ("audit_id", "customer_id", "field_name", "old_value", "new_value", "changed_at")
    audit = [dict(zip(head, r, strict=True)) for r in log]
    assert counts(write(tmp_path, {"customers": customers, "audit_log": audit})) == (1, 1, 0)
