"""Residency reached through more than one reference, organisations' addresses, and whose row a row with two
people references is (MCL 445.72(1) counts residents; 445.63(p) "linked to")."""

from __future__ import annotations

from pathlib import Path

from scenario import counts, scan, write

SSNS = ["536-22-4819", "432-11-8812", "512-34-5671", "601-23-4455", "245-67-8901", "318-29-6612"]
NAMES = [("Ann", "Lee"), ("Bob", "Kim"), ("Cy", "Orr"), ("Di", "Fox"), ("Eve", "Roe"), ("Gus", "Ray")]


def people(n: int, **columns) -> list[dict]:
    """n people with an SSN each, plus the columns given (lists, one value a row)."""
    return [
        {"first_name": NAMES[i][0], "last_name": NAMES[i][1], "ssn": SSNS[i]}
        | {k: v[i] for k, v in columns.items()}
        for i in range(n)
    ]


def rows(**columns: list[str]) -> list[dict]:
    n = len(next(iter(columns.values())))
    return [{k: v[i] for k, v in columns.items()} for i in range(n)]


PROPERTIES = rows(
    property_id=["P1", "P2"],
    street=["1 Elm St", "2 Oak Ave"],
    city=["Detroit", "Toledo"],
    state=["MI", "OH"],
    zip=["48201", "43601"],
)


# 1. Residency through more than one reference ----------------------------------------------------------------


def test_a_tenant_lives_at_the_property_of_the_unit_leased(tmp_path: Path):
    """tenants.unit_id -> units.property_id -> properties: Ann and Bob rent in Detroit, Cy in Toledo."""
    db = write(
        tmp_path,
        {
            "tenants": people(3, tenant_id=["1", "2", "3"], unit_id=["U1", "U2", "U3"]),
            "units": rows(
                unit_id=["U1", "U2", "U3"], property_id=["P1", "P1", "P2"], unit_no=["1A", "2B", "3"]
            ),
            "properties": PROPERTIES,
        },
    )
    exp = scan(db)
    assert (exp["affected"]["michigan"], exp["affected"]["other_states"]) == (2, 1)
    assert exp["affected"]["unknown_residency"] == 0
    link = next(k for k in exp["links"] if k["from"] == "tenants.unit_id")
    assert link["used_for_residency"] is True
    assert link["residency_through"] == ["units.property_id → properties.property_id"]


def test_three_references_reach_the_address_and_four_do_not(tmp_path: Path):
    """residents.unit_id -> units.building_id -> buildings.site_id -> sites: three references. A chain of four
    (beds -> rooms -> units -> buildings -> sites) is too far to say where anybody lives."""
    db = write(
        tmp_path,
        {
            "residents": people(2, resident_id=["1", "2"], unit_id=["U1", "U2"]),
            "units": rows(unit_id=["U1", "U2"], building_id=["B1", "B2"]),
            "buildings": rows(building_id=["B1", "B2"], site_id=["S1", "S2"]),
            "sites": rows(site_id=["S1", "S2"], state=["MI", "OH"], zip=["48201", "43601"]),
            "boarders": people(2, boarder_id=["7", "8"], bed_id=["D1", "D2"])[::-1],
            "beds": rows(bed_id=["D1", "D2"], room_id=["R1", "R2"]),
            "rooms": rows(room_id=["R1", "R2"], unit_id=["U1", "U2"]),
        },
    )
    # Ann and Bob are residents (MI, OH) and boarders (four references from their bed: no evidence from there)
    assert counts(db) == (1, 1, 0)


def test_a_boarder_four_references_from_the_address_is_unknown(tmp_path: Path):
    db = write(
        tmp_path,
        {
            "boarders": people(2, boarder_id=["7", "8"], bed_id=["D1", "D2"]),
            "beds": rows(bed_id=["D1", "D2"], room_id=["R1", "R2"]),
            "rooms": rows(room_id=["R1", "R2"], unit_id=["U1", "U2"]),
            "units": rows(unit_id=["U1", "U2"], building_id=["B1", "B2"]),
            "buildings": rows(building_id=["B1", "B2"], state=["MI", "OH"], zip=["48201", "43601"]),
        },
    )
    assert counts(db) == (0, 0, 2)


def test_a_utility_customer_is_placed_by_the_premises_served_when_nothing_else_places_them(tmp_path: Path):
    """accounts.premise_id -> premises.service_location_id -> service_locations: where the service is delivered
    places Ann (nothing else does); Bob's own mailing address in Ohio wins over the Michigan premises (a service
    address is weak evidence, counting-rules 5)."""
    db = write(
        tmp_path,
        {
            "accounts": people(2, account_no=["A1", "A2"], premise_id=["M1", "M2"], mail_state=["", "OH"]),
            "premises": rows(
                premise_id=["M1", "M2"], meter_no=["900", "901"], service_location_id=["L1", "L2"]
            ),
            "service_locations": rows(
                service_location_id=["L1", "L2"],
                service_address=["1 Elm St", "9 Pine St"],
                state=["MI", "MI"],
                zip=["48201", "48933"],
            ),
        },
    )
    assert counts(db) == (1, 1, 0)


def test_a_dorm_room_places_a_student_and_a_classroom_does_not(tmp_path: Path):
    """housing_assignments.room_id -> rooms.building_id -> residence_halls: Ann and Bob live in the Michigan
    hall. students.room_id -> rooms -> buildings names no home (a homeroom, a classroom): Cy stays unknown."""
    db = write(
        tmp_path,
        {
            "students": people(3, student_id=["1", "2", "3"], homeroom_id=["C1", "C1", "C2"]),
            "housing_assignments": rows(
                assignment_id=["H1", "H2"], student_id=["1", "2"], room_id=["R1", "R2"], term=["F24", "F24"]
            ),
            "rooms": rows(room_id=["R1", "R2"], hall_id=["B1", "B2"]),
            "residence_halls": rows(
                hall_id=["B1", "B2"], street=["1 Campus Dr", "2 Campus Dr"], state=["MI", "MI"]
            ),
            "homerooms": rows(homeroom_id=["C1", "C2"], building_id=["K1", "K2"]),
            "school_buildings": rows(
                building_id=["K1", "K2"], street=["5 School Rd", "6 School Rd"], state=["MI", "MI"]
            ),
        },
    )
    assert counts(db) == (2, 0, 1)


def test_a_chain_through_an_office_a_landlord_or_a_business_unit_gives_no_residence(tmp_path: Path):
    """tenants.unit_id -> units.office_id -> leasing_offices: the leasing office is where the landlord works.
    employees.unit_id -> units -> locations: an employee's unit is a business unit, not a home."""
    db = write(
        tmp_path,
        {
            "tenants": people(2, tenant_id=["1", "2"], unit_id=["U1", "U2"]),
            "units": rows(unit_id=["U1", "U2"], office_id=["O1", "O2"], landlord_id=["L1", "L2"]),
            "leasing_offices": rows(
                office_id=["O1", "O2"], street=["9 Main St", "8 Main St"], state=["MI", "MI"]
            ),
            "landlords": rows(landlord_id=["L1", "L2"], company=["Acme LLC", "Best LLC"], state=["MI", "MI"]),
            "employees": people(
                4, employee_id=["11", "12", "13", "14"], org_unit_id=["G1", "G2", "G1", "G2"]
            )[2:],
            "org_units": rows(org_unit_id=["G1", "G2"], location_id=["X1", "X2"]),
            "locations": rows(
                location_id=["X1", "X2"], street=["1 Plant Rd", "2 Plant Rd"], state=["MI", "MI"]
            ),
        },
    )
    assert counts(db) == (0, 0, 4)


def test_a_chain_never_passes_a_table_of_people(tmp_path: Path):
    """tenants.unit_id -> units.primary_contact_id -> contacts: the unit's contact is another person, whose own
    state is theirs; the tenant gets nothing from it."""
    db = write(
        tmp_path,
        {
            "tenants": people(2, tenant_id=["1", "2"], unit_id=["U1", "U2"]),
            "units": rows(unit_id=["U1", "U2"], primary_contact_id=["C1", "C2"]),
            "contacts": [
                {"contact_id": "C1", "first_name": "Gus", "last_name": "Ray", "state": "MI"},
                {"contact_id": "C2", "first_name": "Hal", "last_name": "Day", "state": "MI"},
            ],
        },
    )
    assert counts(db) == (0, 0, 2)


def test_one_reference_to_a_tenants_property_or_to_a_work_address(tmp_path: Path):
    """tenants.property_id -> properties: a tenant lives at the property rented (one reference, a place word from
    a table of tenants). employees.work_address_id -> addresses: an address table, but a work address."""
    db = write(
        tmp_path,
        {
            "tenants": people(2, tenant_id=["1", "2"], property_id=["P1", "P2"]),
            "properties": PROPERTIES,
            "employees": people(
                4, employee_id=["1", "2", "3", "4"], work_address_id=["A1", "A2", "A1", "A2"]
            )[2:],
            "addresses": rows(
                address_id=["A1", "A2"], street=["1 Plant Rd", "2 Mill Rd"], state=["MI", "MI"]
            ),
        },
    )
    assert counts(db) == (1, 1, 2)


# 2. An organisation's address is nobody's home ---------------------------------------------------------------

CARDS = ["4539148803436467", "5555341244441115", "4916338506082832"]


def test_a_business_customers_address_is_not_its_cardholders_home(tmp_path: Path):
    """customers holds business customers (company name, no person's name) and consumers; cardholders.customer_id
    references them. Ann's card was issued to Acme in Detroit: she is of unknown residency, not a Michigan
    resident. Bob's own Ohio state places him; Eve is a consumer whose own customers row is in Ohio."""
    db = write(
        tmp_path,
        {
            "customers": rows(
                customer_id=["C1", "C2", "C3"],
                customer_type=["Business", "Business", "Individual"],
                first_name=["", "", "Eve"],
                last_name=["", "", "Roe"],
                company_name=["Acme Tool Co", "Lakes Logistics", ""],
                address=["1 Plant Rd", "2 Dock St", "5 Oak St"],
                city=["Detroit", "Lansing", "Columbus"],
                state=["MI", "MI", "OH"],
                zip=["48201", "48933", "43004"],
            ),
            "cardholders": rows(
                cardholder_id=["H1", "H2", "H3"],
                customer_id=["C1", "C2", "C3"],
                first_name=["Ann", "Bob", "Eve"],
                last_name=["Lee", "Kim", "Roe"],
                state=["", "OH", ""],
                card_number=CARDS,
                cvv=["123", "456", "789"],
            ),
        },
    )
    assert counts(db) == (0, 2, 1)


def test_a_firm_in_a_name_column_lends_its_address_to_nobody(tmp_path: Path):
    """accounts.name holds firms (Acme Holdings LLC) and people (Eve Roe); contacts reference them. The firms'
    Michigan addresses place none of their contacts; Eve's own account row places her in Ohio."""
    db = write(
        tmp_path,
        {
            "accounts": rows(
                account_id=["A1", "A2", "A3"],
                name=["Acme Holdings LLC", "Lakes Bank & Trust Inc", "Eve Roe"],
                address=["1 Plant Rd", "2 Dock St", "5 Oak St"],
                state=["MI", "MI", "OH"],
                email=["a@acme.example", "b@lakes.example", "eve@mail.example"],
            ),
            "contacts": people(2, contact_id=["K1", "K2"], account_id=["A1", "A2"])
            + [
                {
                    "first_name": "Eve",
                    "last_name": "Roe",
                    "ssn": SSNS[2],
                    "contact_id": "K3",
                    "account_id": "A3",
                }
            ],
        },
    )
    assert counts(db) == (0, 1, 2)


def test_a_joint_holder_of_a_business_account_takes_no_place_from_it(tmp_path: Path):
    """A joint holder without places of their own lives where the row's first person does (co_subjects): not
    when the row's first person is a company. Bob is joint holder with Eve Roe, a person (her business is her
    name): he takes her Michigan state."""
    db = write(
        tmp_path,
        {
            "business_accounts": rows(
                account_id=["A1", "A2"],
                business_name=["Acme Tool Co", "Eve Roe"],
                first_name=["", "Eve"],
                last_name=["", "Roe"],
                state=["MI", "MI"],
                account_number=["12345678", "23456789"],
                joint_first_name=["Ann", "Bob"],
                joint_last_name=["Lee", "Kim"],
                joint_ssn=SSNS[:2],
            ),
        },
    )
    assert counts(db) == (1, 0, 1)


def test_a_persons_own_row_with_a_company_column_keeps_its_places(tmp_path: Path):
    """company_name beside a person's name is their employer's name: the row is the person's, and so are its
    places (a business customer's contact row with a name is a person's row too)."""
    db = write(
        tmp_path,
        {
            "customers": people(
                2,
                company_name=["Acme Tool Co", ""],
                customer_type=["Business", "Individual"],
                state=["MI", "OH"],
            )
        },
    )
    assert counts(db) == (1, 1, 0)


def test_a_row_with_a_persons_ssn_beside_a_company_is_the_persons(tmp_path: Path):
    """A row without a name but with an SSN (a duplicate record of the person, their employer in `company`) is
    the person's: its Michigan state places Ann, as it places Bob whose row gives only his surname."""
    db = write(
        tmp_path,
        {
            "customers": rows(
                full_name=["Ann Lee", "", "Bob Kim", "Kim"],
                company=["", "Edwards Ltd", "", "Parks and Sons"],
                email=["ann@mail.example", "ann@mail.example", "bob@mail.example", "bob@mail.example"],
                ssn=[SSNS[0], SSNS[0], SSNS[1], ""],
                state=["", "MI", "", "MI"],
            )
        },
    )
    assert counts(db) == (2, 0, 0)


# 3. A row with two people's references is its subject's, not its payer's -------------------------------------


def _pharmacy(base: Path, claims: dict[str, list[str]]) -> Path:
    """cardholders (Ann, Bob: Ohio), patients (Cy, Di, Eve: Michigan) who reference their plan's cardholder,
    and a table of `claims` referencing both."""
    return write(
        base,
        {
            "cardholders": rows(
                cardholder_id=["C1", "C2"],
                first_name=["Ann", "Bob"],
                last_name=["Lee", "Kim"],
                state=["OH", "OH"],
            ),
            "patients": rows(
                patient_id=["1", "2", "3"],
                first_name=["Cy", "Di", "Eve"],
                last_name=["Lee", "Kim", "Kim"],
                state=["MI", "MI", "MI"],
                cardholder_id=["C1", "C2", "C2"],
            ),
            "prescriptions": rows(**claims),
        },
    )


def test_a_prescription_is_its_patients_not_the_plan_cardholders(tmp_path: Path):
    """prescriptions(patient_id, cardholder_id, ssn): the SSN on a prescription is the patient's. Until
    2026-11-25 the cardholder's reference won (the patients table references the cardholders, which made the
    patient 'second-hand'), and three Michigan patients' SSNs counted as two Ohio cardholders'."""
    db = _pharmacy(
        tmp_path,
        dict(
            rx_id=["R1", "R2", "R3"],
            patient_id=["1", "2", "3"],
            cardholder_id=["C1", "C2", "C2"],
            drug=["a", "b", "c"],
            ssn=SSNS[:3],
        ),
    )
    assert counts(db) == (3, 0, 0)


def test_a_card_on_the_row_is_the_cardholders(tmp_path: Path):
    """A payment row's card number and code are the cardholder's own (445.63(p)(iii) "the resident's financial
    accounts"): the row follows the cardholder, whatever patient it paid for."""
    db = _pharmacy(
        tmp_path,
        dict(
            payment_id=["R1", "R2", "R3"],
            patient_id=["1", "2", "3"],
            cardholder_id=["C1", "C2", "C2"],
            card_number=[CARDS[0], CARDS[1], CARDS[1]],
            cvv=["123", "456", "456"],
        ),
    )
    assert counts(db) == (0, 2, 0)


def test_a_claim_is_its_members_not_the_subscribers(tmp_path: Path):
    """claims(subscriber_id, member_id, ssn), one member per subscriber here: nothing but the roles tells the two
    references apart (until 2026-11-25 the table name that sorts last won: subscribers)."""
    db = write(
        tmp_path,
        {
            "subscribers": rows(
                sub_key=["S1", "S2"], first_name=["Ann", "Bob"], last_name=["Lee", "Kim"], state=["OH", "OH"]
            ),
            "members": rows(
                mem_key=["M1", "M2"], first_name=["Cy", "Di"], last_name=["Lee", "Kim"], state=["MI", "MI"]
            ),
            "claims": rows(
                claim_id=["K1", "K2"], subscriber_id=["S1", "S2"], member_id=["M1", "M2"], ssn=SSNS[:2]
            ),
        },
    )
    assert counts(db) == (2, 0, 0)


# 4. A lease's tenant and its guarantor or co-signer: both reachable, each with their own elements ------------


def _lease_parties(base: Path, leases: dict[str, list[str]], one_table: bool = False) -> Path:
    """Tenants Ann and Bob (Michigan), guarantors Cy and Di (Ohio): in two tables, or in one `people` table."""
    if one_table:
        parties = {
            "people": rows(
                person_id=["P1", "P2", "P3", "P4"],
                first_name=["Ann", "Bob", "Cy", "Di"],
                last_name=["Lee", "Kim", "Orr", "Fox"],
                state=["MI", "MI", "OH", "OH"],
            )
        }
    else:
        parties = {
            "tenants": rows(
                tenant_id=["T1", "T2"],
                first_name=["Ann", "Bob"],
                last_name=["Lee", "Kim"],
                state=["MI", "MI"],
            ),
            "guarantors": rows(
                guarantor_id=["G1", "G2"],
                first_name=["Cy", "Di"],
                last_name=["Orr", "Fox"],
                state=["OH", "OH"],
            ),
        }
    return write(base, parties | {"leases": rows(**leases)})


def test_a_lease_gives_the_tenant_their_ssn_and_the_guarantor_theirs(tmp_path: Path):
    db = _lease_parties(
        tmp_path,
        dict(
            lease_id=["L1", "L2"],
            tenant_id=["T1", "T2"],
            guarantor_id=["G1", "G2"],
            ssn=SSNS[:2],
            guarantor_ssn=SSNS[2:4],
        ),
    )
    assert counts(db) == (2, 2, 0)


def test_a_guarantors_ssn_is_never_the_tenants(tmp_path: Path):
    """Only the guarantors' SSNs are on the lease: the guarantors are affected, the tenants are not."""
    db = _lease_parties(
        tmp_path,
        dict(
            lease_id=["L1", "L2"], tenant_id=["T1", "T2"], guarantor_id=["G1", "G2"], guarantor_ssn=SSNS[2:4]
        ),
    )
    assert counts(db) == (0, 2, 0)


def test_a_tenant_and_a_cosigner_in_one_table_of_people(tmp_path: Path):
    """leases(tenant_id, cosigner_id, tenant_ssn, cosigner_ssn), both references to `people`: until 2026-11-25
    both were relations and the lease followed nobody, so four people's SSNs counted for nobody."""
    db = _lease_parties(
        tmp_path,
        dict(
            lease_id=["L1", "L2"],
            tenant_id=["P1", "P2"],
            cosigner_id=["P3", "P4"],
            tenant_ssn=SSNS[:2],
            cosigner_ssn=SSNS[2:4],
        ),
        one_table=True,
    )
    assert counts(db) == (2, 2, 0)
