"""Names in every script, and the keys that match one person's names across tables (MCL 445.63(p)).

A first name and a last name are a name whatever letters they are written in: Nguyễn, Şahin, Dvořák, Łukasz,
محمد. Until 2026-11-24 only Latin-1 letters were read, so a column of Polish or Vietnamese surnames was no name
column and its rows counted for nobody. The keys that join one person's records across tables fold accents out
(JOSÉ GARCÍA = Jose Garcia) and read the first name by its first word (John Q. = John, Mary Ann = Mary-Ann), the
same way for a first-name column, a given-names column and a parsed full name. LDAP and directory headers (sn,
givenName, cn, last_first, sortname) and account_holder are name headers.

Expected counts are hand-counted from the statute as docs/counting-rules.md section 2 reads it. All values are
synthetic (SSA-valid SSN shapes, Luhn-valid test-free card numbers made up for these tests).
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import counts, write  # noqa: E402

from detectors import names  # noqa: E402
from pipeline.scan import run_scan  # noqa: E402
from pipeline.tables import ROW  # noqa: E402

SSNS = [
    "287-65-4321",
    "301-22-4455",
    "452-19-8830",
    "518-07-3321",
    "623-44-1098",
    "212-56-7734",
    "161-81-7894",
    "257-78-7406",
    "085-21-2657",
]


def _luhn(body: str) -> str:
    """body + its Luhn check digit."""
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return body + str((10 - total % 10) % 10)


CARDS = [_luhn(f"601120966542{i:03d}") for i in range(1, 8)]


def decomposed(s: str) -> str:
    """The same name typed with combining accents (Jose + U+0301), as some systems store it."""
    return unicodedata.normalize("NFD", s)


def classes(exposure: dict, table: str) -> dict[str, str]:
    (t,) = [t for t in exposure["tables"] if t["name"] == table]
    return {c["name"]: c["classified_as"] for c in t["columns"]}


def scan(tmp_path: Path, tables: dict[str, list[dict]]):
    return run_scan([str(write(tmp_path, tables))], out_dir=None)


# ---------------------------------------------------------------- letters of every script


def test_first_and_last_names_in_every_script(tmp_path):
    people = [
        ("Thi", "Nguyễn"),
        ("Mehmet", "Şahin"),
        ("Antonín", "Dvořák"),
        ("Małgorzata", "Zielińska"),
        ("Łukasz", "Wójcik"),
        ("Ayşe", "Yılmaz"),
        ("محمد", "حداد"),
        (decomposed("José"), decomposed("García")),
        ("Ewa", "J."),  # an initial is no last name: not counted
    ]
    rows = [
        {"first_name": f, "last_name": last, "state": "MI", "ssn": s}
        for (f, last), s in zip(people, SSNS, strict=True)
    ]
    result = scan(tmp_path, {"customers": rows})
    assert classes(result.exposure, "customers")["last_name"] == "last_name"
    assert classes(result.exposure, "customers")["first_name"] == "first_name"
    assert counts(tmp_path / "db") == (8, 0, 0)
    # the decomposed name reads as the precomposed one (shown composed)
    shown = result.records.sort(ROW).select("first_name", "last_name").rows()
    assert shown[7] == ("José", "García")


def test_full_names_in_every_script(tmp_path):
    full = [
        "Nguyễn Văn Minh",
        "Dvořák, Antonín",
        "Zoë Núñez",
        "Łukasz Wójcik",
        decomposed("José García"),
        "Wójcik",  # one word: no first and last name
    ]
    rows = [{"applicant_name": n, "ssn": s, "zip": "48212"} for n, s in zip(full, SSNS, strict=False)]
    result = scan(tmp_path, {"applicants": rows})
    assert classes(result.exposure, "applicants")["applicant_name"] == "full_name"
    assert counts(tmp_path / "db") == (5, 0, 0)


def test_nickname_inside_a_first_name(tmp_path):
    rows = [
        {"first_name": 'Robert "Bob"', "last_name": "Lee", "ssn": SSNS[0], "state": "MI"},
        {"first_name": "Robert (Bob)", "last_name": "Leeds", "ssn": SSNS[1], "state": "MI"},
        {"first_name": "Anna", "last_name": "Brown", "ssn": SSNS[2], "state": "MI"},
        {"first_name": '"Bob"', "last_name": "Kane", "ssn": SSNS[3], "state": "MI"},  # a nickname alone: none
    ]
    result = scan(tmp_path, {"employees": rows})
    assert counts(tmp_path / "db") == (3, 0, 0)
    keys = result.records.sort(ROW).get_column("first_key").to_list()
    assert keys[:3] == ["robert", "robert", "anna"]


def test_single_han_or_hangul_surname_is_a_last_name():
    last = pl.DataFrame({"v": ["王", "김", "J", "J."]}).select(names.last_part(pl.col("v"))).to_series()
    assert last.to_list() == ["王", "김", None, None]


# ---------------------------------------------------------------- keys across tables


def _keys(first: list[str], last: list[str]) -> list[tuple[str, str]]:
    return (
        pl.DataFrame({"f": first, "l": last})
        .select(names.first_key(pl.col("f")), names.folded_last(pl.col("l")))
        .rows()
    )


def test_keys_fold_accents_and_read_the_first_word():
    got = _keys(
        ["JOSÉ", "Jose", decomposed("José"), "Zoë", "John Q.", "Mary-Ann", "Mary Ann", "Jon", "J.", "Łukasz"],
        [
            "GARCÍA",
            "Garcia",
            decomposed("García"),
            "Núñez",
            "O'Brien",
            "St. Clair Jr.",
            "St Clair",
            "Smith",
            "X",
            "Yılmaz",
        ],
    )
    assert got == [
        ("jose", "garcia"),
        ("jose", "garcia"),
        ("jose", "garcia"),
        ("zoe", "nunez"),
        ("john", "obrien"),
        ("mary", "stclair"),
        ("mary", "stclair"),
        ("jon", "smith"),  # Jon is not John: the key keeps the whole first word
        ("j", "x"),  # an initial stays one letter (fits any J. of the same last name)
        ("lukasz", "yilmaz"),
    ]


def test_card_vault_joins_members_across_accents_and_middle_initials(tmp_path):
    """members (state, no element) and card_vault (card, no state) share e-mail and name: every card holder is a
    Michigan member, whatever case, accents, middle initial or hyphen either table wrote. Jon Smith is not John
    Smith although they share a family mailbox: his card's residency is unknown."""
    members = [
        {
            "member_no": "M1",
            "first_name": "JOSÉ",
            "last_name": "GARCÍA",
            "email": "jg@example.com",
            "state": "MI",
        },
        {
            "member_no": "M2",
            "first_name": "Siobhan",
            "last_name": "O'Brien",
            "email": "sob@example.net",
            "state": "MI",
        },
        {
            "member_no": "M3",
            "first_name": "Zoë",
            "last_name": "Núñez",
            "email": "zn@example.com",
            "state": "MI",
        },
        {
            "member_no": "M4",
            "first_name": "John Q.",
            "last_name": "Adams",
            "email": "jqa@example.com",
            "state": "MI",
        },
        {
            "member_no": "M5",
            "first_name": "Mary-Ann",
            "last_name": "Lee",
            "email": "mal@example.com",
            "state": "MI",
        },
        {
            "member_no": "M6",
            "first_name": "John",
            "last_name": "Smith",
            "email": "smiths@example.com",
            "state": "MI",
        },
    ]
    vault = [
        {"vault_ref": "V1", "first_name": "Jose", "last_name": "Garcia", "email": "jg@example.com"},
        {"vault_ref": "V2", "first_name": "SIOBHAN", "last_name": "OBRIEN", "email": "SOB@EXAMPLE.NET"},
        {"vault_ref": "V3", "first_name": "Zoe", "last_name": "Nunez", "email": "zn@example.com"},
        {"vault_ref": "V4", "first_name": "John", "last_name": "Adams", "email": "jqa@example.com"},
        {"vault_ref": "V5", "first_name": "Mary Ann", "last_name": "Lee", "email": "mal@example.com"},
        {"vault_ref": "V6", "first_name": "Jon", "last_name": "Smith", "email": "smiths@example.com"},
    ]
    for k, (row, c) in enumerate(zip(vault, CARDS, strict=False)):
        row["card_number"], row["cvv"] = c, f"{311 + k}"
    write(tmp_path, {"members": members, "card_vault": vault})
    assert counts(tmp_path / "db") == (5, 0, 1)


def test_name_and_address_join_given_names_to_a_parsed_full_name(tmp_path):
    """persons (given_names, surname, SSN) and card_accounts ("Last, First Middle" holder, card) at the same street
    and ZIP: one person each, five people in all (until 2026-11-24 'John Michael' and 'Mary Ann' keyed apart from
    'SMITH, JOHN M' and 'Khan, Mary Ann' and the two were counted twice)."""
    persons = [
        {
            "given_names": "John Michael",
            "surname": "Smith",
            "street": "12 Elm St",
            "zip": "48201",
            "ssn": SSNS[0],
        },
        {"given_names": "Mary Ann", "surname": "Khan", "street": "4 Oak Ave", "zip": "48906", "ssn": SSNS[1]},
        {
            "given_names": "Luis",
            "surname": "García López",
            "street": "7 Pine Rd",
            "zip": "49503",
            "ssn": SSNS[2],
        },
        {
            "given_names": "Anne",
            "surname": "St. Clair",
            "street": "3 Lake Dr",
            "zip": "48502",
            "ssn": SSNS[3],
        },
        {"given_names": "Robert", "surname": "Lee Jr.", "street": "9 Bay Rd", "zip": "48104", "ssn": SSNS[4]},
    ]
    cards = [
        {"holder_name": "SMITH, JOHN M", "street": "12 Elm St", "zip": "48201"},
        {"holder_name": "Khan, Mary Ann", "street": "4 Oak Ave", "zip": "48906"},
        {"holder_name": "GARCIA LOPEZ, LUIS", "street": "7 Pine Rd", "zip": "49503"},
        {"holder_name": "St. Clair, Anne", "street": "3 Lake Dr", "zip": "48502"},
        {"holder_name": "Lee, Robert Jr.", "street": "9 Bay Rd", "zip": "48104"},
    ]
    for k, (row, c) in enumerate(zip(cards, CARDS, strict=False)):
        row["card_number"], row["cvv"] = c, f"{411 + k}"
    write(tmp_path, {"persons": persons, "card_accounts": cards})
    assert counts(tmp_path / "db") == (5, 0, 0)


# ---------------------------------------------------------------- directory headers


def test_ldap_and_directory_headers(tmp_path):
    ldap = [
        {"cn": "Ian Iles", "sn": "Iles", "givenName": "Ian", "ssn": SSNS[0], "st": "MI"},
        {"cn": "Jill Jones", "sn": "Jones", "givenName": "Jill", "ssn": SSNS[1], "st": "MI"},
    ]
    common = [
        {"cn": "Kai Kerr", "ssn": SSNS[2], "st": "MI"},
        {"cn": "Lena Lund", "ssn": SSNS[3], "st": "MI"},
    ]
    sorted_names = [
        {"last_first": "Owens, Oscar", "ssn": SSNS[4], "st": "MI"},
        {"last_first": "Price, Pam", "ssn": SSNS[5], "st": "MI"},
    ]
    sortname = [{"sortname": "Quinn, Quentin", "ssn": SSNS[6], "st": "MI"}]
    holders = [
        {"account_holder": "Rita Ross", "ssn": SSNS[7], "st": "MI"},
        {"account_holder": "Sam Stone", "ssn": SSNS[8], "st": "MI"},
    ]
    result = scan(
        tmp_path,
        {
            "ldap": ldap,
            "directory": common,
            "roster": sorted_names,
            "sorted": sortname,
            "holders": holders,
        },
    )
    assert classes(result.exposure, "ldap") == {
        "cn": "full_name",
        "sn": "last_name",
        "givenName": "first_name",
        "ssn": "ssn",
        "st": "state",
    }
    assert classes(result.exposure, "directory")["cn"] == "full_name"
    assert classes(result.exposure, "roster")["last_first"] == "full_name"
    assert classes(result.exposure, "sorted")["sortname"] == "full_name"
    assert classes(result.exposure, "holders")["account_holder"] == "full_name"
    assert counts(tmp_path / "db") == (9, 0, 0)


@pytest.mark.parametrize(
    "header, values",
    [
        ("sn", ["SN-10021", "SN-10022", "SN-10023", "SN-10024"]),  # a serial number
        ("device_sn", ["ABCD", "EFGH", "IJKL", "MNOP"]),  # sn beside another word: a serial number
        ("account_holder_id", ["Rita Ross", "Sam Stone", "Tia Tate", "Uma Urry"]),
        ("cn", ["CN", "US", "MX", "DE"]),  # a country code: one word, no first and last name
    ],
)
def test_directory_words_that_name_no_person(header, values, tmp_path):
    rows = [{header: v, "ssn": s, "st": "MI"} for v, s in zip(values, SSNS, strict=False)]
    result = scan(tmp_path, {"assets": rows})
    assert classes(result.exposure, "assets")[header] not in ("full_name", "last_name", "first_name")
    assert counts(tmp_path / "db") == (0, 0, 0)


def test_a_first_initial_column_of_any_script(tmp_path):
    """An initial column holding Ł and Ş is an initial column (classify read only Latin-1 letters there)."""

    rows = [
        {"first_initial": i, "last_name": last, "ssn": ssn, "state": "MI"}
        for i, last, ssn in [
            ("Ł", "Nowak", "287-65-4321"),
            ("Ş", "Şahin", "301-22-4455"),
            ("Ż", "Żak", "412-33-5566"),
        ]
    ]
    assert counts(write(tmp_path, {"staff": rows})) == (3, 0, 0)
