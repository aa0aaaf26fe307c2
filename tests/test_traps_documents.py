"""Identity documents, plates and taxpayer numbers as staffing (Form I-9), municipal (parking) and client-company
exports write them: which rows hold a driver licence or state ID (445.63(p)(ii)), which an SSN (445.63(p)(i)).

Values are synthetic: SSA-valid SSN shapes, Michigan-shaped licence numbers nobody holds.
"""

from __future__ import annotations

import pytest
from scenario import affected, people_rows, scan, write

from pipeline.scan import run_scan


def by_element(exposure: dict) -> tuple[int, int]:
    """Michigan residents affected by an SSN, by a licence."""
    e = exposure["affected_michigan_by_element"]
    return e["ssn"], e["drivers_license"]


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("listBDocTitle", "listBDocNumber"),
        ("list_a_document_title", "list_a_document_number"),
        ("DocTitle", "DocNumber"),
        ("list_b_doc_title", "list_b_doc_no"),
        ("id_document_description", "id_document_number"),
    ],
)
def test_an_i9_document_title_names_the_document(title, number, tmp_path):
    """Form I-9 names a document's kind its "Document Title": a driver licence or a state ID card there makes the
    row's "Document Number" a licence / ID card number (445.63(p)(ii)); a school ID card none."""
    rows = people_rows(
        3,
        **{
            title: ["Driver's License", "State ID Card", "School ID Card"],
            number: ["K123456789012", "N210987654321", "2204519"],
        },
        state="MI",
    )
    exposure = scan(write(tmp_path, {"candidate_i9": rows}))
    assert affected(exposure) == (2, 0, 0)
    assert by_element(exposure) == (0, 2)


def test_a_document_file_name_is_no_document_type(tmp_path):
    """A document store's file name (`drivers_license.pdf`) names a scan, not the kind of the row's number."""
    rows = people_rows(
        2,
        document_name=["drivers_license.pdf", "state_id_scan.JPG"],
        document_number=["DOC48213", "DOC48214"],
    )
    assert affected(scan(write(tmp_path, {"uploads": [{**r, "state": "MI"} for r in rows]}))) == (0, 0, 0)


def test_social_security_card_rows_of_a_document_pair_are_ssns(tmp_path):
    """I-9 List C's Social Security card: its number is the SSN (445.63(p)(i)), validated and redacted as an SSN;
    a licence row of the same column is a licence, a birth certificate's number neither."""
    rows = people_rows(
        6,
        document_type=[
            "Social Security Card",
            "SS_CARD",
            "Birth Certificate",
            "Driver's License",
            "Social Security Card",
            "SSN",
        ],
        document_number=[
            "371-54-2209",
            "402881937",
            "162-21-4451",
            "R123456789012",
            "***-**-2209",  # redacted: 4 digits show (445.63(r))
            "000-12-3456",  # area 000: no SSN
        ],
        state="MI",
    )
    result = run_scan([str(write(tmp_path, {"i9_documents": rows}))])
    assert affected(result.exposure) == (3, 0, 0)
    assert by_element(result.exposure) == (2, 1)
    column = next(
        c for t in result.exposure["tables"] for c in t["columns"] if c["name"] == "document_number"
    )
    assert (column["unredacted"], column["redacted"], column["rejected"]) == (3, 1, 2)
    # the SSN read off the card is the person's SSN: it is shown masked as an SSN
    ssns = result.records.filter(result.records["ssn_status"] == "unredacted")["ssn_masked"].to_list()
    assert sorted(ssns) == ["***-**-1937", "***-**-2209"]
    # a pair whose types name SSN cards only is still read
    only = [r for r in rows if r["document_type"] in ("Social Security Card", "SS_CARD")]
    assert by_element(scan(write(tmp_path / "only", {"ss_cards": only}))) == (2, 0)


def test_a_document_number_is_judged_by_its_own_lists_type(tmp_path):
    """An I-9 table of one type / number pair per list: List C's number goes with List C's type, never List B's.
    Birth certificates (List C) are no licence, List B's masked licences are redacted, List C's SS card counts."""
    rows = people_rows(
        3,
        list_b_document_type=["Driver's License", "Driver's License", "School ID Card"],
        list_b_document_number=["XXXXXXXXX9012", "XXXXXXXXX4321", "2204519"],
        list_c_document_type=["Birth Certificate", "Birth Certificate", "Social Security Card"],
        list_c_document_number=["162-21-445120", "R20-118734", "***-**-2209"],
        state="MI",
    )
    assert affected(scan(write(tmp_path, {"candidate_i9": rows}))) == (0, 0, 0)
    # List C's unmasked SS card under List B's school ID counts as an SSN, List B's licences still as licences
    rows[2]["list_c_document_number"] = "371-54-2209"
    rows[0]["list_b_document_number"] = "K123456789012"
    exposure = scan(write(tmp_path / "c", {"candidate_i9": rows}))
    assert affected(exposure) == (2, 0, 0)
    assert by_element(exposure) == (1, 1)


def test_a_document_number_without_its_own_type_takes_the_tables_only_one(tmp_path):
    """`id_type` + `document_number`: one document per row, the table's only type column is its type."""
    rows = people_rows(
        2, id_type=["DL", "PASSPORT"], document_number=["G042440984351", "X12345678"], state="MI"
    )
    assert affected(scan(write(tmp_path, {"kyc": rows}))) == (1, 0, 0)


PARKING = {
    "LicNo": ["DKL4821", "8ABC1234", "EGH7710", "JPX2231"],
    "LicState": ["MI", "OH", "MI", "MI"],
    "VehMake": ["FORD", "CHEV", "JEEP", "HOND"],
    "VehColor": ["BLK", "WHI", "RED", "GRY"],
    "state": "MI",
}


@pytest.mark.parametrize("table", ["parking_citations", "tickets", "tow_log", "plate_reads"])
def test_a_parking_tickets_lic_no_is_the_plate(table, tmp_path):
    """`LicNo` / `LicState` beside the vehicle's make and colour: the plate, no driver licence (445.63(p)(ii))."""
    assert affected(scan(write(tmp_path, {table: people_rows(4, **PARKING)}))) == (0, 0, 0)


def test_a_licence_beside_a_vehicle_is_still_a_licence(tmp_path):
    """A rental agreement's `license_no` beside the car's make and its own plate column is the renter's licence;
    so is a Michigan licence (13 characters: no plate) beside vehicle columns, and a driver record's licence beside
    the driver's eye colour."""
    rental = people_rows(
        2,
        license_no=["TR482913", "S123456789012"],
        license_state=["OH", "MI"],
        vehicle_make=["FORD", "JEEP"],
        plate=["DKL4821", "EGH7710"],
        state="MI",
    )
    assert affected(scan(write(tmp_path / "r", {"rental_agreements": rental}))) == (2, 0, 0)
    long = people_rows(
        2, LicNo=["S123456789012", "K123456789012"], LicState="MI", VehMake=["FORD", "JEEP"], state="MI"
    )
    assert affected(scan(write(tmp_path / "l", {"parking_permits": long}))) == (2, 0, 0)
    drivers = people_rows(2, license_no=["TR482913", "OH99812734"], eye_color=["BRO", "BLU"], state="MI")
    assert affected(scan(write(tmp_path / "d", {"drivers": drivers}))) == (2, 0, 0)


def test_a_michigan_issued_licence_has_michigans_shape(tmp_path):
    """A value whose own issuing-state column says Michigan but which lacks Michigan's shape (a letter and 12
    digits; the legacy ID's letter and 10) is no Michigan licence; another state's format beside its own state, and
    Michigan's beside MI, still count. A residence state says nothing of the licence."""
    rows = people_rows(
        5,
        dl_number=["DKL4821", "TR482913", "S123456789012", "B1234567890", "XXXXXXXX4821"],
        dl_state=["MI", "OH", "Michigan", "MI", "MI"],
        state="MI",
    )
    result = run_scan([str(write(tmp_path, {"customers": rows}))])
    assert affected(result.exposure) == (3, 0, 0)
    column = next(c for t in result.exposure["tables"] for c in t["columns"] if c["name"] == "dl_number")
    assert (column["unredacted"], column["redacted"], column["rejected"]) == (3, 1, 1)
    # without an issuing-state column the state of residence does not judge the licence
    plain = [{k: v for k, v in r.items() if k != "dl_state"} for r in rows]
    assert affected(scan(write(tmp_path / "p", {"customers": plain}))) == (4, 0, 0)


@pytest.mark.parametrize(
    ("table", "header"),
    [
        ("ClientCorporation", "federalTaxID"),
        ("companies", "tax_id"),
        ("employers", "TIN"),
        ("business", "tin"),
    ],
)
def test_an_organisations_tin_is_an_ein(table, header, tmp_path):
    """A table of companies: its taxpayer numbers are EINs (often written without the dash), no SSN
    (445.63(p)(i)), whatever its company names look like."""
    rows = [
        {"name": n, "city": "Detroit", "state": "MI", header: t}
        for n, t in [
            ("Magna Seating", "381234567"),
            ("Beaumont Health", "382223344"),
            ("Dana Driveline", "341152840"),
        ]
    ]
    assert affected(scan(write(tmp_path, {table: rows}))) == (0, 0, 0)
    # a person of the company named by the header (the owner's TIN) is the owner's SSN (where the owner lives,
    # nothing says: the company's address is the company's)
    owner = {**rows[0], "owner_first": "John", "owner_last": "Smith", "owner_tin": "371542209"}
    assert affected(scan(write(tmp_path / "o", {table: [owner]}))) == (0, 0, 1)


def test_a_vendors_tin_is_an_ein_on_an_organisations_row_only(tmp_path):
    """A vendors table holds firms and sole proprietors: a row named as a firm holds its EIN, a person's row its SSN
    (445.63(p)(i))."""
    rows = [
        {"vendor_name": "Acme Tool & Die LLC", "tin": "381234567", "state": "MI"},
        {"vendor_name": "Great Lakes Plumbing Inc.", "tin": "382223344", "state": "MI"},
        {"vendor_name": "John Smith", "tin": "371542209", "state": "MI"},
    ]
    result = run_scan([str(write(tmp_path, {"vendors": rows}))])
    assert affected(result.exposure) == (1, 0, 0)
    column = next(c for t in result.exposure["tables"] for c in t["columns"] if c["name"] == "tin")
    assert column["rejected"] == 2


def test_a_michigan_licence_exported_without_its_letter_still_counts(tmp_path):
    # 12 digits of a Michigan licence beside dl_state = MI: more than the 4 digits 445.63(r) lets show, so exposed
    from scenario import counts, people_rows, write

    rows = people_rows(2, dl_number=["123456789012", "DKL4821"], dl_state="MI", state="MI")
    assert counts(write(tmp_path, {"drivers": rows})) == (1, 0, 0)
