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


# 2. An account number that is its table's id is a key -------------------------------------------------------


def credit_union(olb: dict[str, list[str]]) -> dict[str, list[dict]]:
    """A credit union core: accounts by number, the members' name rows (masked SSNs) by parent account."""
    return {
        "ACCOUNT": rows(
            ACCOUNTNUMBER=["0000051058", "0000568076", "0000982316"],
            TYPE=["0", "0", "12"],
            BRANCH=["3", "1", "2"],
        ),
        "NAME": rows(
            PARENTACCOUNT=["0000051058", "0000568076", "0000982316"],
            FIRST=[n[0] for n in NAMES[:3]],
            LAST=[n[1] for n in NAMES[:3]],
            SSN=["***-**-4819", "***-**-8812", "***-**-5671"],
            STREET=["1 Elm St", "2 Oak Ave", "3 Pine Rd"],
            CITY=["Detroit", "Flint", "Toledo"],
            STATE=["MI", "MI", "OH"],
            ZIPCODE=["48201", "48502", "43601"],
        ),
        "OLB_USER": rows(**olb),
    }


def test_a_member_number_references_the_account_number(tmp_path: Path):
    """OLB_USER.MEMBER_NBR holds the account numbers of ACCOUNT.ACCOUNTNUMBER, an account number column that is
    its table's id: the online-banking password reaches the account's member, whose account number and password
    are exposed together (445.63(p)(iii)). Until 2026-11-25 an account number was never a key, nothing linked
    without a links file, and the members counted for nobody."""
    db = write(
        tmp_path,
        credit_union(
            {
                "MEMBER_NBR": ["0000051058", "0000982316"],
                "LOGIN_ID": ["annlee", "cyorr"],
                "PWD_LEGACY": ["yoP61Nuav&", "mx!)8UVN(*"],
            }
        ),
    )
    exp = scan(db)
    assert link(exp, "OLB_USER.MEMBER_NBR")["to"] == "ACCOUNT.ACCOUNTNUMBER"
    # an account number is a key, never a reference: the name rows are joined by the number itself
    assert not [k for k in exp["links"] if k["from"] == "NAME.PARENTACCOUNT"]
    assert (
        exp["affected"]["michigan"],
        exp["affected"]["other_states"],
        exp["affected"]["unknown_residency"],
    ) == (
        1,
        1,
        0,
    )


def test_a_number_not_named_for_an_account_references_none(tmp_path: Path):
    """The same numbers under a header that names no account (a ticket number) are no reference: small integers
    are contained in a key by chance, so only a name that says account (member, acct) links them."""
    db = write(
        tmp_path,
        credit_union(
            {
                "TICKET_NBR": ["0000051058", "0000982316"],
                "LOGIN_ID": ["annlee", "cyorr"],
                "PWD_LEGACY": ["yoP61Nuav&", "mx!)8UVN(*"],
            }
        ),
    )
    exp = scan(db)
    assert not [k for k in exp["links"] if k["from"].startswith("OLB_USER")]
    assert counts(db) == (0, 0, 0)


# 3. Households by relationship code ---------------------------------------------------------------------------


def drivers(relationships: list[str]) -> dict[str, list[dict]]:
    """A personal auto policy (the named insured's mailing address) and its listed drivers by policy number."""
    return {
        "policy": rows(
            pol_no=["PA1", "PA2"],
            ni_first_nm=["Ann", "Di"],
            ni_last_nm=["Lee", "Fox"],
            mail_addr1=["8 Birch Ln", "12 Elm St"],
            mail_city=["Lansing", "Toledo"],
            mail_st=["MI", "OH"],
            mail_zip=["48933", "43604"],
        ),
        "drv": rows(
            drv_id=["1", "2", "3", "4", "5"],
            pol_no=["PA1", "PA1", "PA1", "PA2", "PA2"],
            rel_to_insd=relationships,
            drv_first_nm=["Ann", "Bob", "Cy", "Di", "Eve"],
            drv_last_nm=["Lee", "Lee", "Lee", "Fox", "Fox"],
            lic_no=["T123456789012", "T223456789012", "T323456789012", "T423456789012", "T523456789012"],
        ),
    }


def test_a_policys_spouse_and_child_drivers_live_at_the_policys_address(tmp_path: Path):
    """drv.rel_to_insd says SP (spouse) and CH (child) of the named insured (NI): the drivers live in the
    insured's household, the policy's address (a dependants table's rule, whatever the table is named). Until
    2026-11-25 only tables named dependents / spouses / children / family placed their rows there."""
    db = write(tmp_path, drivers(["NI", "SP", "CH", "NI", "SP"]))
    exp = scan(db)
    assert link(exp, "drv.pol_no")["household"] is True
    assert (
        exp["affected"]["michigan"],
        exp["affected"]["other_states"],
        exp["affected"]["unknown_residency"],
    ) == (
        3,
        2,
        0,
    )


def test_x12_relationship_codes_and_words_say_household(tmp_path: Path):
    """An enrolment's INS02 codes (18 self, 01 spouse, 19 child) and spelt-out words (Spouse, Child) say the
    same; an operator's 'Employee' / 'Other' relationship does not place anybody."""
    for rel, expected in (
        (["18", "01", "19", "18", "01"], (3, 2, 0)),
        (["Self", "Spouse", "Child", "Self", "Spouse"], (3, 2, 0)),
        (["Self", "Employee", "Other", "Self", "Other"], (1, 1, 3)),
    ):
        base = tmp_path / "-".join(rel)
        assert counts(write(base, drivers(rel))) == expected, rel
