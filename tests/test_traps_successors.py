"""A mortgage servicer's export after a borrower's death (tests/scenario.py): a servicing note quoting the successor in
interest's SSN, a successors table carrying the decedent's name or date of death, a third party the borrower
authorised (a housing counselor) quoting the loan number.

Each person is counted once (MCL 445.72(1)), the deceased apart by default (detectors/deceased.py); each test fails
with the reading before 2026-11-25 (docs/counting-rules.md, sections 2 and 4)."""

from __future__ import annotations

from scenario import affected, scan, write

from pipeline.scan import ScanOptions, run_scan

ROBERT, MARY, LINDA, JANE = "287-65-4321", "301-22-4455", "452-19-8830", "385-22-1934"
NOTE = "Successor in interest Jane Doe, SSN 385-22-1934, provided death cert"
OTHER_NOTE = "Borrower called about escrow shortage, promised payment by the 15th"


def _loans(ssn: bool = True, note: bool = False, linda: str | None = None) -> list[dict]:
    """Robert Doe (deceased) and Mary Jones, Michigan borrowers, each with a loan number; Linda Doe's loan when
    `linda` gives her deceased flag."""
    people = [("1000234", "Robert", "Doe", ROBERT, "Y"), ("1000235", "Mary", "Jones", MARY, "N")]
    if linda is not None:
        people.append(("1000236", "Linda", "Doe", LINDA, linda))
    rows = []
    for loan, first, last, number, died in people:
        row = {"LOAN_NO": loan, "BORROWER_FIRST_NAME": first, "BORROWER_LAST_NAME": last}
        if ssn:
            row["BORROWER_SSN"] = number
        row |= {"DECEASED_FLAG": died, "MAIL_ST": "MI", "MAIL_ZIP": "48201"}
        if note:
            row["SERVICING_NOTE"] = NOTE if first == "Robert" else OTHER_NOTE
        rows.append(row)
    return rows


def _successor(**columns: str) -> dict:
    """Jane Doe, Robert's daughter and successor in interest, with her own SSN and her Michigan address."""
    row = {
        "LOAN_NO": "1000234",
        "SUCCESSOR_NAME": "Jane Doe",
        "SUCCESSOR_SSN": JANE,
        "RELATIONSHIP": "DAUGHTER",
    }
    return row | {"ADDRESS": "12 Elm St, Detroit, MI 48202"} | columns


def _people(db, **opts) -> list[tuple]:
    """(first name, last name, deceased) of every affected individual, in name order."""
    people = run_scan([str(db)], out_dir=None, options=ScanOptions(**opts)).individuals
    rows = people.filter("affected").select("first_name", "last_name", "deceased").rows()
    return sorted(rows)


# 1. An SSN quoted in a servicing note: evidence of somebody's SSN, never the edge that makes two people one


def test_a_note_on_the_loan_quoting_the_successors_ssn_never_makes_her_the_deceased_borrower(tmp_path):
    # the loan row's note quotes Jane's SSN, and her own row in SUCCESSORS carries it. Until 2026-11-25 the quoted
    # number was the loan row's like a column's, Robert Doe and Jane Doe share a last name, and the two were one
    # individual, deceased: nobody was counted
    db = write(tmp_path, {"LOANS": _loans(ssn=False, note=True), "SUCCESSORS": [_successor()]})
    exposure = scan(db)
    assert affected(exposure) == (1, 0, 0)
    assert ("Jane", "Doe", False) in _people(db)


def test_notes_quoting_one_ssn_on_two_borrowers_loans_keep_the_borrowers_apart(tmp_path):
    # Jane is the successor of both her parents: a note on each deceased parent's loan quotes her SSN, and the notes
    # name nobody. Until 2026-11-25 the two notes were one person by the SSN, and through their loan numbers Robert
    # and Linda Doe were one deceased individual
    notes = [
        {"NOTE_ID": "1", "LOAN_NO": "1000234", "NOTE_TEXT": NOTE},
        {"NOTE_ID": "2", "LOAN_NO": "1000235", "NOTE_TEXT": OTHER_NOTE},
        {"NOTE_ID": "3", "LOAN_NO": "1000236", "NOTE_TEXT": NOTE},
    ]
    exposure = scan(write(tmp_path, {"LOANS": _loans(linda="Y"), "NOTES": notes}))
    assert affected(exposure) == (1, 0, 0)
    assert exposure["deceased"]["michigan"] == 2
    assert exposure["what_if"]["deceased_counted"] == 3


def test_notes_naming_the_borrower_quote_the_successors_ssn_on_two_loans(tmp_path):
    # the notes carry the borrower's name: Robert's and Linda's notes are theirs (by the loan number and the name),
    # not one person's by the SSN they quote. Until 2026-11-25 the two notes were one "Robert Doe" of their own,
    # kept from Robert's loan by the quoted SSN, of unknown residency
    notes = [
        {"NOTE_ID": "1", "LOAN_NO": "1000234", "BORROWER_NAME": "Robert Doe", "NOTE_TEXT": NOTE},
        {"NOTE_ID": "2", "LOAN_NO": "1000235", "BORROWER_NAME": "Mary Jones", "NOTE_TEXT": OTHER_NOTE},
        {"NOTE_ID": "3", "LOAN_NO": "1000236", "BORROWER_NAME": "Linda Doe", "NOTE_TEXT": NOTE},
    ]
    exposure = scan(write(tmp_path, {"LOANS": _loans(linda="N"), "NOTES": notes}))
    assert affected(exposure) == (2, 0, 0)
    assert exposure["deceased"]["michigan"] == 1


def test_a_quoted_ssn_still_joins_the_person_whose_column_holds_it(tmp_path):
    # a note quoting the successor's SSN on a row of hers (her own name) is hers: one Jane, not two
    notes = [{"NOTE_ID": "1", "LOAN_NO": "1000234", "CONTACT_NAME": "Jane Doe", "NOTE_TEXT": NOTE}]
    db = write(tmp_path, {"LOANS": _loans(), "SUCCESSORS": [_successor()], "NOTES": notes})
    assert affected(scan(db)) == (2, 0, 0)
    assert _people(db) == [("Jane", "Doe", False), ("Mary", "Jones", False), ("Robert", "Doe", True)]


# 2. The successor in interest is their own, living person


def test_the_successors_row_carrying_the_decedents_name_is_the_successors(tmp_path):
    # SUCCESSORS(LOAN_NO, DECEDENT_NAME, SUCCESSOR_NAME, SUCCESSOR_SSN, ...): until 2026-11-25 the row's name was
    # the first name column's, the decedent's, so Jane's SSN was counted under Robert's name, as deceased
    db = write(tmp_path, {"LOANS": _loans(), "SUCCESSORS": [_successor(DECEDENT_NAME="Robert Doe")]})
    assert affected(scan(db)) == (2, 0, 0)
    assert ("Jane", "Doe", False) in _people(db)


def test_the_decedents_date_of_death_on_the_successors_row_is_not_hers(tmp_path):
    # a successors table carries the borrower's date of death (or a deceased flag): the successor survives him.
    # Until 2026-11-25 Jane was left out as deceased
    for death in ({"DATE_OF_DEATH": "2024-02-03"}, {"DECEASED_FLAG": "Y"}):
        db = write(
            tmp_path / next(iter(death)), {"LOANS": _loans(), "SUCCESSORS_IN_INTEREST": [_successor(**death)]}
        )
        exposure = scan(db)
        assert affected(exposure) == (2, 0, 0), death
        assert exposure["deceased"]["michigan"] == 1, death


def test_the_borrowers_name_on_the_successors_row_leaves_her_ssn_and_address_hers(tmp_path):
    # SUCCESSORS(LOAN_NO, BORROWER_NAME, SUCCESSOR_NAME, SUCCESSOR_SSN, ADDRESS), Jane living in Toledo. Until
    # 2026-11-25 the borrower's name was the row's subject: Jane's columns were another person's, given to nobody,
    # and the Toledo address Robert's
    successor = _successor(BORROWER_NAME="Robert Doe", ADDRESS="40 Oak St, Toledo, OH 43604")
    db = write(tmp_path, {"LOANS": _loans(), "SUCCESSORS": [successor]})
    exposure = scan(db)
    assert affected(exposure) == (1, 1, 0)
    assert exposure["deceased"]["michigan"] == 1


def test_a_successors_table_of_its_own_is_as_before(tmp_path):
    # the successor's own table, linked by the loan number: Jane is her own living person (as before)
    db = write(tmp_path, {"LOANS": _loans(), "SUCCESSORS": [_successor()]})
    assert affected(scan(db)) == (2, 0, 0)


# 3. An authorised third party does not hold the loan


def _auth(table: str, name: str = "AUTH_PARTY_NAME", **extra: str) -> dict:
    rows = [
        {"LOAN_NO": "1000235", name: "Carla Reyes", "AUTH_TYPE": "HOUSING COUNSELOR", "EXPIRES": "2027-01-01",
         "ST": "MI"} | extra,
    ]  # fmt: skip
    loans = [{k: v for k, v in row.items() if k != "BORROWER_SSN"} for row in _loans()]
    return {"LOANS": loans, table: rows}


def test_a_housing_counselor_authorised_on_the_loan_does_not_hold_it(tmp_path):
    # Robert (deceased) and Mary hold their loans; Carla Reyes, the housing counselor Mary authorised, is told about
    # Mary's loan and holds it not (445.63(p)(iii) "the resident's financial accounts"). Until 2026-11-25 the
    # account_numbers_alone reading counted her: 2
    exposure = scan(write(tmp_path, _auth("THIRD_PARTY_AUTH")))
    assert exposure["what_if"]["account_numbers_alone"] == 1
    assert affected(scan(write(tmp_path, _auth("THIRD_PARTY_AUTH")), account_numbers_alone=True)) == (1, 0, 0)


def test_authorised_parties_by_the_tables_name_or_their_names_header(tmp_path):
    # a counselors' table, an attorneys' table, and a contacts table whose name header says the party is authorised
    for table, name in [
        ("HOUSING_COUNSELORS", "COUNSELOR_NAME"),
        ("BORROWER_ATTORNEYS", "NAME"),
        ("AUTHORIZED_THIRD_PARTIES", "NAME"),
        ("LOAN_CONTACTS", "AUTH_PARTY_NAME"),
    ]:
        exposure = scan(write(tmp_path / table, _auth(table, name)))
        assert exposure["what_if"]["account_numbers_alone"] == 1, table


def test_a_third_partys_own_account_still_counts(tmp_path):
    # a third party paying the loan from their own bank account (a routing number beside it) holds that account;
    # an authorised user of a card holds the card: both count as before
    payments = [{"LOAN_NO": "1000235", "PAYER_NAME": "Carla Reyes", "BANK_ACCOUNT": "004471239981",
                 "ROUTING_NO": "072000326", "ST": "MI"}]  # fmt: skip
    exposure = scan(write(tmp_path / "payer", {"LOANS": _auth("X")["LOANS"], "THIRD_PARTY_PAYERS": payments}))
    assert exposure["what_if"]["account_numbers_alone"] == 2
    users = [{"CARD_NUMBER": "4539578763621486", "FIRST_NAME": "Carla", "LAST_NAME": "Reyes", "ST": "MI"}]
    exposure = scan(write(tmp_path / "users", {"AUTHORIZED_USERS": users}))
    assert exposure["what_if"]["account_numbers_alone"] == 1
