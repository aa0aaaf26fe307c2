"""Where a person lives, read through links (MCL 445.72(1) counts residents of this state; 445.63(p) "linked to"):
a person's one address row sharing their key, an account number as a table's key, and a household's members
by their relationship to the subscriber or insured."""

from __future__ import annotations

from pathlib import Path

from scenario import counts, scan, write

SSNS = ["536-22-4819", "432-11-8812", "512-34-5671", "601-23-4455", "245-67-8901", "318-29-6612"]
NAMES = [("Ann", "Lee"), ("Bob", "Kim"), ("Cy", "Orr"), ("Di", "Fox"), ("Eve", "Roe"), ("Gus", "Ray")]


def rows(**columns: list[str]) -> list[dict]:
    n = len(next(iter(columns.values())))
    return [{k: v[i] for k, v in columns.items()} for i in range(n)]


def link(exp: dict, source: str) -> dict:
    return next(k for k in exp["links"] if k["from"] == source)


# 1. One address row per person, sharing the person's key ------------------------------------------------------


def banner(addresses: dict[str, list[str]]) -> dict[str, list[dict]]:
    """Banner's person tables: names (SPRIDEN) and SSNs (SPBPERS) by PIDM, and the address rows given."""
    return {
        "SPRIDEN": rows(
            SPRIDEN_PIDM=["100201", "100202", "100203"],
            SPRIDEN_ID=["A00412345", "A00412399", "A00412401"],
            SPRIDEN_LAST_NAME=[n[1] for n in NAMES[:3]],
            SPRIDEN_FIRST_NAME=[n[0] for n in NAMES[:3]],
        ),
        "SPBPERS": rows(
            SPBPERS_PIDM=["100201", "100202", "100203"],
            SPBPERS_SSN=SSNS[:3],
            SPBPERS_SEX=["F", "M", "F"],
        ),
        "SPRADDR": rows(**addresses),
    }


def test_one_address_row_per_person_is_their_residency(tmp_path: Path):
    """SPRADDR has one row per PIDM: the PIDM link between SPBPERS and SPRADDR is one-to-one, inferred from the
    person's table to the addresses. The address row is still the person's place (until 2026-11-25 both were of
    unknown residency, while a second address row per person made them Michigan residents)."""
    db = write(
        tmp_path,
        banner(
            {
                "SPRADDR_PIDM": ["100201", "100202", "100203"],
                "SPRADDR_ATYP_CODE": ["PR", "PR", "PR"],
                "SPRADDR_STREET_LINE1": ["12 Elm St", "40 Oak Ave", "9 Pine Rd"],
                "SPRADDR_CITY": ["Ann Arbor", "Lansing", "Toledo"],
                "SPRADDR_STAT_CODE": ["MI", "MI", "OH"],
                "SPRADDR_ZIP": ["48104", "48933", "43601"],
            }
        ),
    )
    exp = scan(db)
    assert (
        exp["affected"]["michigan"],
        exp["affected"]["other_states"],
        exp["affected"]["unknown_residency"],
    ) == (
        2,
        1,
        0,
    )
    assert any(k["used_for_residency"] and "SPRADDR" in (k["from"] + k["to"]) for k in exp["links"])


def test_a_one_to_one_place_that_is_not_the_persons_key_says_nothing(tmp_path: Path):
    """customers.location_code -> locations one-to-one by chance (three customers, three locations): the code is
    not the customer's key, and a store's address (stores.store_id, one employee a store) is a workplace. Neither
    is anybody's residency."""
    db = write(
        tmp_path,
        {
            "customers": rows(
                customer_id=["C1", "C2", "C3"],
                first_name=[n[0] for n in NAMES[:3]],
                last_name=[n[1] for n in NAMES[:3]],
                ssn=SSNS[:3],
                location_code=["L1", "L2", "L3"],
            ),
            "locations": rows(
                location_code=["L1", "L2", "L3"],
                street=["1 Main St", "2 Main St", "3 Main St"],
                city=["Detroit", "Detroit", "Flint"],
                state=["MI", "MI", "MI"],
                zip=["48201", "48201", "48502"],
            ),
            "employees": rows(
                employee_id=["E1", "E2"],
                first_name=[n[0] for n in NAMES[3:5]],
                last_name=[n[1] for n in NAMES[3:5]],
                ssn=SSNS[3:5],
                store_id=["S1", "S2"],
            ),
            "stores": rows(
                store_id=["S1", "S2"],
                street=["5 Mall Dr", "6 Mall Dr"],
                city=["Troy", "Novi"],
                state=["MI", "MI"],
                zip=["48083", "48375"],
            ),
        },
    )
    assert counts(db) == (0, 0, 5)
