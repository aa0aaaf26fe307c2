"""SSN traps a red team found: headers that qualify the person, typographic dashes, a lost leading zero among
written-out SSNs, and a TIN column whose type column says EIN.

Each case is a handful of synthetic rows written as CSV and scanned with pipeline.scan.run_scan, the expected count
worked out by hand from MCL 445.63(p)(i), (r) and 445.72(1) (docs/counting-rules.md); every fix has a case that must
stay uncounted. Values are hand-made SSA-valid shapes, never issued numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import counts, people_rows, write  # noqa: E402

from detectors import ssn  # noqa: E402
from detectors.base import OTHER_NUMBER_BY_ROW, REJECTED, UNREDACTED, rejection, with_verdicts  # noqa: E402
from detectors.common import cleaned  # noqa: E402
from pipeline.classify import classify_column, classify_table, other_number_rows  # noqa: E402
from pipeline.scan import run_scan  # noqa: E402
from pipeline.tables import ROW, Table  # noqa: E402

SSNS = ["287-65-4321", "301-22-4455", "452-19-8830", "518-07-3321", "623-44-1098", "212-56-7734"]


# ------------------------------------------------- 1. an SSN word wins over a word that only says whose record it is


@pytest.mark.parametrize("header", ["MEMBER_SSN", "POLICY_HOLDER_SSN", "claim_ssn", "CaseSocialSecurityNo"])
def test_ssn_header_qualified_by_whose_record(header, tmp_path):
    rows = people_rows(3, **{header: SSNS[:3], "state": "MI"})
    assert counts(write(tmp_path, {"members": rows})) == (3, 0, 0)


@pytest.mark.parametrize("header", ["member_id", "policy_number", "claim_number", "case_no"])
@pytest.mark.parametrize("dashed", [True, False])
def test_record_numbers_shaped_like_ssns_are_not_ssns(header, dashed, tmp_path):
    # Without an SSN word, member / policy / claim / case still name the record's own number: nine SSA-valid
    # digits (dashed or not) in such a column are not an SSN.
    values = SSNS[:4] if dashed else [s.replace("-", "") for s in SSNS[:4]]
    rows = people_rows(4, **{header: values, "state": "MI"})
    assert counts(write(tmp_path, {"members": rows})) == (0, 0, 0)


def test_another_numbers_word_still_vetoes_an_ssn_word():
    # order / reference / phone claim the number for something else even beside "ssn"
    for header in ("order_ssn", "ssn_reference"):
        assert classify_column(header, pl.DataFrame({"v": SSNS[:3]})).classified_as != "ssn"


# ----------------------------------------------------------------- 2. typographic dashes and spaces are separators

UNICODE_WRITTEN = [
    "287\u201365\u20134321",  # en dash
    "301\u201422\u20144455",  # em dash
    "452\u201119\u20118830",  # non-breaking hyphen
    "518\u221207\u22123321",  # minus sign
    "623\u00a044\u00a01098",  # no-break space
    "212\u202f56\u202f7734",  # narrow no-break space
]


def test_ssn_with_unicode_dashes_and_spaces(tmp_path):
    rows = people_rows(6, socialSecurityNumber=UNICODE_WRITTEN, state="MI")
    assert counts(write(tmp_path, {"people": rows})) == (6, 0, 0)


def test_ssn_with_unicode_dashes_under_a_generic_header(tmp_path):
    # the value-shape reading (NNN-NN-NNNN, no header) takes an en dash for the dash
    rows = people_rows(6, col3=[s.replace("-", "\u2013") for s in SSNS], state="MI")
    assert counts(write(tmp_path, {"people": rows})) == (6, 0, 0)


def test_ssn_with_zero_width_and_bom(tmp_path):
    values = ["\ufeff" + SSNS[0], SSNS[1].replace("-", "-\u200b"), SSNS[2] + "\u2060"]
    assert counts(write(tmp_path, {"people": people_rows(3, ssn=values, state="MI")})) == (3, 0, 0)


def test_ssn_with_en_dash_in_free_text(tmp_path):
    notes = [
        "caller gave SSN 287\u201365\u20134321 to verify",
        "her social is 301\u201322\u20134455 per call",
    ]
    assert counts(write(tmp_path, {"tickets": people_rows(2, notes=notes, state="MI")})) == (2, 0, 0)


def test_card_and_licence_with_unicode_separators(tmp_path):
    # the card, account and licence detectors share the normalisation
    card = "4539\u00a01488\u00a00343\u00a06467"
    rows = [
        {"first_name": "John", "last_name": "Smith", "card_number": card, "cvv": "123", "state": "MI"},
        {
            "first_name": "Mary",
            "last_name": "Jones",
            "dl_number": "S\u2013123\u2013456\u2013789\u2013012",
            "state": "MI",
        },
    ]
    rows[0]["dl_number"], rows[1]["card_number"], rows[1]["cvv"] = "", "", ""
    assert counts(write(tmp_path, {"people": rows})) == (2, 0, 0)


def test_unicode_dashes_do_not_make_other_numbers_ssns(tmp_path):
    # an EIN written with an en dash is still an EIN; a phone number with en dashes is still a phone number;
    # an SSA-invalid number with en dashes is still rejected
    rows = people_rows(
        3,
        tax_id=["27\u20136543210", "30\u20131224455", "45\u20132198830"],
        phone=["313\u2013555\u20130101", "248\u2013555\u20130199", "517\u2013555\u20130143"],
        state="MI",
    )
    assert counts(write(tmp_path, {"people": rows})) == (0, 0, 0)
    bad = people_rows(
        3, ssn=["666\u201312\u20133456", "900\u201312\u20133456", "123\u201300\u20134567"], state="MI"
    )
    assert counts(write(tmp_path / "b", {"people": bad})) == (0, 0, 0)


def test_masked_ssn_with_unicode_dashes_stays_redacted(tmp_path):
    masked = ["XXX\u2013XX\u20134321", "***\u2014**\u20144455", "301\u201322\u2013XXXX"]
    assert counts(write(tmp_path, {"people": people_rows(3, ssn=masked, state="MI")})) == (0, 0, 0)


# ----------------------------------------------- 3. a bare 8-digit value in an SSN column lost its leading zero


def test_eight_digits_among_dashed_ssns(tmp_path):
    # 045-12-3456 typed into a spreadsheet as 45123456: 8 sequential digits of the SSN are accessible, more
    # than the 5 445.63(r) allows, so the SSN is exposed.
    rows = people_rows(3, ssn=["45123456", SSNS[1], SSNS[2]], state="MI")
    assert counts(write(tmp_path, {"people": rows})) == (3, 0, 0)


def test_short_values_that_are_not_a_lost_zero(tmp_path):
    # 7 digits beside written-out SSNs (two zeros lost is not a spreadsheet's doing), a dashed 8-digit value,
    # and 8 digits that pad to a never-issued number stay rejected
    rows = people_rows(5, ssn=["5123456", "4512-3456", "00123456", SSNS[3], SSNS[4]], state="MI")
    assert counts(write(tmp_path, {"people": rows})) == (2, 0, 0)


def test_eight_digit_numbers_outside_ssn_columns(tmp_path):
    # dates of birth and references of 8 digits beside an SSN column are not SSNs
    rows = people_rows(
        6,
        ssn=SSNS[:3] + ["", "", ""],
        dob=["19870415", "19910102", "20011231", "19650704", "19770812", "19880229"],
        customer_ref=["45123456", "30122445", "45219883", "51807332", "62344109", "21256773"],
        state="MI",
    )
    assert counts(write(tmp_path, {"people": rows})) == (3, 0, 0)


def test_canonical_pads_only_a_bare_number_one_digit_short():
    v = pl.col("v")
    values = ["45123456", "4512-3456", "5123456", "287-65-4321"]
    got = pl.DataFrame({"v": values}).select(ssn.DETECTOR.canonical(v)).to_series().to_list()
    assert got == ["045123456", "45123456", "5123456", "287654321"]
    # an integer column lost up to two zeros (unchanged)
    got = pl.DataFrame({"v": ["5123456"]}).select(ssn.DETECTOR.canonical(v, integer_column=True)).item()
    assert got == "005123456"


# ------------------------------------------------------------- 4. a TIN-type column says which rows are EINs

CIF = {
    "CIF_NO": ["1", "2", "3", "4", "5"],
    "CUSTOMER_NAME": ["YODER, BENJAMIN L", "RICE, ANNA", "SMITH, JOHN", "JONES, MARY", "KHAN, AHMED"],
    "TIN": ["381234567", "203456789", "287654321", "301224455", "452198830"],
    "TIN_TYP": ["E", "EIN", "S", "SSN", None],
    "ST": ["MI"] * 5,
}


def _verdicts(columns: dict) -> tuple[list[str], list[str | None]]:
    frame = pl.DataFrame(columns).with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.UInt64))
    classes = classify_table(Table("cif", "cif.csv", frame.lazy()))
    cc = next(c for c in classes if c.name == "TIN")
    assert cc.classified_as == "ssn"
    other = other_number_rows(cc)
    lf = frame.lazy().with_columns(cleaned(pl.col("TIN")).alias("t"))
    out = with_verdicts(lf, ssn.DETECTOR, pl.col("t"), "_", cc.integer_column, other).collect()
    why = out.select(rejection(ssn.DETECTOR, pl.col("_v"), pl.col("_c"), other)).to_series().to_list()
    return out.get_column("_st").to_list(), why


def test_tin_type_ein_rows_are_not_ssns():
    status, why = _verdicts(CIF)
    assert status == [REJECTED, REJECTED, UNREDACTED, UNREDACTED, UNREDACTED]  # no type: judged as an SSN
    assert why[:2] == [OTHER_NUMBER_BY_ROW] * 2


def test_tin_type_applies_to_tin_columns_only():
    # an ssn column is the person's SSN whatever a tin_type beside it says (it types another column)
    frame = pl.DataFrame({**{k: v for k, v in CIF.items() if k != "TIN"}, "ssn": CIF["TIN"]})
    frame = frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.UInt64))
    classes = classify_table(Table("cif", "cif.csv", frame.lazy()))
    assert other_number_rows(next(c for c in classes if c.name == "ssn")) is None
    # a tax code (E = exempt) is not a TIN type
    frame = pl.DataFrame({**{k: v for k, v in CIF.items() if k != "TIN_TYP"}, "TAX_CD": ["E"] * 5})
    frame = frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.UInt64))
    classes = classify_table(Table("cif", "cif.csv", frame.lazy()))
    assert other_number_rows(next(c for c in classes if c.name == "TIN")) is None
    # a TIN column without a type column is judged value by value as before
    frame = pl.DataFrame({k: v for k, v in CIF.items() if k != "TIN_TYP"})
    frame = frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.UInt64))
    classes = classify_table(Table("cif", "cif.csv", frame.lazy()))
    assert other_number_rows(next(c for c in classes if c.name == "TIN")) is None


def test_tin_type_ein_rows_are_not_counted(tmp_path):
    rows = [dict(zip(CIF, vals, strict=True)) for vals in zip(*CIF.values(), strict=True)]
    for r in rows:
        r["TIN_TYP"] = r["TIN_TYP"] or ""
    # Yoder and Rice: EINs (a sole proprietor's business number); Smith, Jones: SSNs; Khan: no type, an SSN
    assert counts(write(tmp_path, {"cif": rows})) == (3, 0, 0)


def test_ssn_column_without_header_keeps_its_masked_values(tmp_path):
    """field_41 of 100 named rows: 80 readable dashed SSNs and 20 masked ones (XXX-XX-nnnn). The masked values
    are SSNs of the same column (redacted, 445.63(r)), so they must not hide the 80 readable ones."""
    import numpy as np

    rng = np.random.default_rng(41)
    values = []
    for i in range(100):
        area, group, serial = int(rng.integers(1, 665)), int(rng.integers(1, 99)), int(rng.integers(1, 9999))
        values.append(f"XXX-XX-{serial:04d}" if i % 5 == 0 else f"{area:03d}-{group:02d}-{serial:04d}")
    firsts, lasts = (
        ["Ann", "Bob", "Cal", "Dee", "Eve"],
        ["Smith", "Jones", "Brown", "Novak", "Lee", "Khan", "Diaz"],
    )
    rows = [
        {"first_name": firsts[i % 5], "last_name": lasts[i % 7], "state": "MI", "field_41": v}
        for i, v in enumerate(values)
    ]
    exposure = run_scan([str(write(tmp_path, {"people": rows}))], out_dir=None).exposure
    assert exposure["affected"]["michigan"] == 80


@pytest.mark.parametrize("mask", ["??", "__", "~~", "··", "██", "○○", "XX", "**"])
def test_mask_characters_of_report_writers_and_redaction_tools(mask, tmp_path):
    """'212-34-56??' shows seven digits in a row, more than 445.63(r)'s five: not redacted, whatever character
    masks the rest; '***-**-5899' shows four and is redacted. A column of mostly such values is still the SSN
    column (its whole values count too)."""
    values = [
        SSNS[0],
        SSNS[1],
        f"212-34-56{mask}",
        f"212-34-57{mask}",
        f"212-34-58{mask}",
        f"***-**-58{mask}",
    ]
    assert counts(write(tmp_path, {"people": people_rows(6, ssn=values, state="MI")})) == (5, 0, 0)


def test_a_label_over_a_plain_number_is_not_encryption(tmp_path):
    """'enc:287-65-4321' is the SSN behind a label: nothing was transformed (445.63(g)), so it counts; a real
    ciphertext behind the same label is encrypted."""
    values = [f"enc:{SSNS[0]}", f"ENC: {SSNS[1]}", "enc:U2FsdGVkX1+abcdEFGH1234567890abcdEF"]
    exposure = run_scan(
        [str(write(tmp_path, {"people": people_rows(3, ssn=values, state="MI")}))], None
    ).exposure
    assert exposure["affected"]["michigan"] == 2
    assert exposure["what_if"]["encryption_key_compromised"] == 3


# ------------------------------------------ 4. the placeholder typed for an unknown SSN is no one's number


def test_placeholder_ssns_are_no_ones_number(tmp_path):
    # 123-45-6789 and one digit nine times are what a clerk types when the SSN is unknown (Presidio drops them
    # too): the four customers holding them have no SSN exposed; the two with their own numbers do (445.63(p)(i))
    rows = people_rows(
        6, ssn=["123-45-6789", "123456789", "111-11-1111", "555555555", SSNS[0], SSNS[1]], state="MI"
    )
    assert counts(write(tmp_path, {"customers": rows})) == (2, 0, 0)
