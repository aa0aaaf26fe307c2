"""Codes and numbers of tax-prep, rental and credit-report exports (MCL 445.63(p)(iii), (r)).

Found by an adversarial review of tax-prep, mortgage and car-rental exports (2026-11-25): a tax return's e-file
signature PIN read as the code of the refund's deposit account; a rental's return location (`rtn_loc_cd`) read as a
routing number, making a corporate discount code a bank account; the IRS's depositor account number (`DAN`) not
read; a credit report's balances read as card numbers. Expected counts by hand (Michigan, other states, unknown
residency); every fix has a case that must still count.
All values are synthetic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario import affected, people_rows, scan, write  # noqa: E402

from detectors import access_code, routing  # noqa: E402
from pipeline.classify import classify_column  # noqa: E402

ABA = ["072000326", "041000124", "044000037"]
ACCOUNTS = ["4471203398", "88120455", "331900218"]
MASKED_SSNS = ["XXX-XX-0912", "XXX-XX-4471", "XXX-XX-1180"]


def classes(exposure: dict) -> dict[str, str]:
    return {c["name"]: c["classified_as"] for t in exposure["tables"] for c in t["columns"]}


# ------------------------------------------------------------------ the e-file signature PIN (445.63(p)(iii))


@pytest.mark.parametrize(
    "header", ["TP_SIG_PIN", "TP_PIN", "SP_PIN", "TAXPAYER_PIN", "PRACTITIONER_PIN", "F8879_TP_PIN", "PIN"]
)
def test_a_returns_signature_pin_opens_no_account(header, tmp_path):
    # Form 8879's PIN signs the return; the refund's deposit account is whole but no code opens it: nobody is
    # affected under the default reading, all three under account numbers alone
    rows = people_rows(
        3,
        ssn=MASKED_SSNS,
        st="MI",
        TAX_YR="2024",
        REFUND_AMT=["2210", "880", "1530"],
        DD_RTN=ABA,
        DD_ACCT_NO=ACCOUNTS,
        **{header: ["50412", "11872", "90021"]},
    )
    exposure = scan(write(tmp_path, {"returns": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3
    assert classes(exposure)[header] == "none"


@pytest.mark.parametrize(
    ("table", "extra"),
    [
        ("mi1040", {}),  # the table's name says a return
        ("clients", {"PY_AGI": ["50100", "61000", "42000"]}),  # the prior year's AGI (the other signature)
        ("clients", {"FILING_STATUS": ["1", "2", "1"], "TP_SSN": MASKED_SSNS}),  # a taxpayer's return field
        ("clients", {"TP_SSN": MASKED_SSNS, "SP_SSN": MASKED_SSNS}),  # taxpayer's and spouse's columns
    ],
)
def test_a_bare_pin_of_a_tax_return_table_is_the_signature_pin(table, extra, tmp_path):
    rows = people_rows(3, st="MI", DD_RTN=ABA, DD_ACCT_NO=ACCOUNTS, PIN=["50412", "11872", "90021"], **extra)
    exposure = scan(write(tmp_path, {table: rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3


def test_an_efile_databases_pin_is_the_signature_pin(tmp_path):
    folder = tmp_path / "efile_prod"
    folder.mkdir()
    rows = people_rows(3, st="MI", DD_RTN=ABA, DD_ACCT_NO=ACCOUNTS, PIN=["50412", "11872", "90021"])
    pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}).write_csv(folder / "clients.csv")
    exposure = scan(folder)
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3


@pytest.mark.parametrize("header", ["atm_pin", "debit_card_pin", "online_banking_pin", "card_pin", "cvv"])
def test_a_card_or_bank_code_in_a_return_still_counts(header, tmp_path):
    # a refund card's PIN or an online-banking PIN written in the return's table still opens the account
    rows = people_rows(
        3, st="MI", TAX_YR="2024", REFUND_AMT="100", DD_RTN=ABA, DD_ACCT_NO=ACCOUNTS, **{header: "4821"}
    )
    assert affected(scan(write(tmp_path, {"returns": rows}))) == (3, 0, 0)


@pytest.mark.parametrize(
    ("table", "extra"),
    [
        ("accounts", {}),  # a bank's table: its plain PIN opens the account
        ("accounts", {"TAX_YR": "2024"}),  # a bank's 1099-INT tax year says no return
        ("ach_returns", {"rtn_reason_cd": "R01"}),  # an ACH return is no tax return
        ("loans", {"PY_AGI": "50100"}),  # a mortgage application's income, a bank's table by its name
    ],
)
def test_a_banks_pin_stays_a_code(table, extra, tmp_path):
    rows = people_rows(3, st="MI", routing_no=ABA, acct_no=ACCOUNTS, pin=["4821", "1234", "9876"], **extra)
    assert affected(scan(write(tmp_path, {table: rows}))) == (3, 0, 0)


def test_tax_return_pin_reason_reads_words_not_one_header():
    assert access_code.tax_return_pin_reason("TP_PIN", "returns", ["TP_PIN", "TAX_YEAR", "REFUND"])
    assert access_code.tax_return_pin_reason("PIN", "f1040_returns", ["PIN"])
    assert access_code.tax_return_pin_reason("taxpayer_pin", "t", ["taxpayer_pin", "fs_cd", "tp_ssn"])
    assert access_code.tax_return_pin_reason("pin", "store_returns", ["pin", "sku", "order_no"]) is None
    assert access_code.tax_return_pin_reason("pin", "customers", ["pin", "refund_amt"]) is None
    assert access_code.tax_return_pin_reason("password", "returns", ["password", "AGI"]) is None


# ------------------------------------------------------------------ rtn: a routing number, or a return


def test_a_rentals_return_location_is_no_routing_number(tmp_path):
    # the corporate discount programme's code (CDP0002896) is no account number, and nothing routes to it; the
    # renters' cards are masked: nobody is affected, not even by account numbers alone
    agreements = people_rows(
        3,
        st="MI",
        pu_loc_cd="DTW",
        rtn_loc_cd="DTW",
        rtn_dttm="2024-05-01 10:00",
        cdp_corp_acct=["CDP0002896", "CDP0001408", "CDP0002896"],
        cc_nbr=["************2000", "************2001", "************2002"],
        cc_cvv=["939", "412", "118"],
    )
    exposure = scan(write(tmp_path, {"rental_agreements": agreements}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 0
    assert classes(exposure)["cdp_corp_acct"] == "none"


@pytest.mark.parametrize("routing_header", ["DD_RTN", "RTN", "rtn_no", "payee_rtn", "RoutingTransitNumber"])
def test_a_routing_number_still_makes_a_lettered_account_a_banks(routing_header, tmp_path):
    rows = people_rows(
        3,
        st="MI",
        acct_no=["Z45-539407", "Z45-771203", "Z45-100238"],
        online_pwd="hunter2",
        **{routing_header: ABA},
    )
    assert affected(scan(write(tmp_path, {"payees": rows}))) == (3, 0, 0)


def test_names_routing_reads_rtn_by_its_place_in_the_header():
    for header in [
        "RTN",
        "DD_RTN",
        "rtn_no",
        "payee_rtn",
        "bank_rtn",
        "rtn_acct",
        "RoutingTransitNumber",
        "aba",
    ]:
        assert routing.names_routing(header, [header, "acct_no"]), header
    for header in ["rtn_loc_cd", "rtn_dttm", "rtn_miles", "rtn_odometer", "ach_rtn_reason_cd", "rtn_dt"]:
        assert not routing.names_routing(header, [header]), header
    # a bare rtn (a returned flag or station) beside a rental's return columns is a return's too
    assert not routing.names_routing("rtn", ["rtn", "rtn_loc_cd", "rtn_dttm"])
    # ...while the direct deposit's rtn keeps its word
    assert routing.names_routing("dd_rtn", ["dd_rtn", "rtn_dttm"])


def test_a_lettered_value_under_a_code_header_is_a_code(tmp_path):
    # a routing number beside it makes a lettered account a bank's, but not a code: corp_acct_cd = CDP0002896
    rows = people_rows(3, st="MI", DD_RTN=ABA, corp_acct_cd=["CDP0002896", "CDP0001408", "AWD1234567"])
    exposure = scan(write(tmp_path, {"bookings": rows}))
    assert exposure["what_if"]["account_numbers_alone"] == 0
    assert classes(exposure)["corp_acct_cd"] == "none"


# ------------------------------------------------------------------ RTN / DAN: the refund's deposit account


def test_the_irs_depositor_account_number_is_an_account(tmp_path):
    # Pub. 1346 and Form 8888 abbreviate the refund's account as RTN / DAN: three whole accounts of named
    # taxpayers, no code (the SSNs are masked)
    rows = people_rows(
        3,
        ssn=MASKED_SSNS,
        st="MI",
        TAX_YR="2024",
        RFND_TYPE="DD",
        DD_RTN=ABA,
        DD_DAN=ACCOUNTS,
        DD_ACCT_TYP="C",
    )
    exposure = scan(write(tmp_path, {"returns": rows}))
    assert affected(exposure) == (0, 0, 0)
    assert exposure["what_if"]["account_numbers_alone"] == 3
    assert classes(exposure)["DD_DAN"] == "bank_account"


def test_form_8888s_columns():
    def decided(header: str, values: list[str], integer_column: bool = False) -> str:
        headers = ["RETURN_ID", "ACCT_SEQ", "RTN", "DAN", "ACCT_TYPE", "DEPOSIT_AMT"]
        frame = pl.DataFrame({"v": values})
        return classify_column(
            header, frame, integer_column=integer_column, subject="form_8888", headers=headers
        ).classified_as

    assert decided("DAN", ACCOUNTS) == "bank_account"
    assert decided("DepositorAccountNumber", ACCOUNTS) == "bank_account"
    assert decided("RTN", ABA) == "routing_number"
    # an integer-typed column lost the routing numbers' leading zero
    assert decided("RTN", [a.lstrip("0") for a in ABA], integer_column=True) == "routing_number"
    # a routing header's ten-digit values (no routing number) are no telephone numbers either
    assert decided("RTN", ["2125550100", "3135550123", "2485550111"]) == "none"
    assert decided("ACCT_SEQ", ["1", "2", "3"], integer_column=True) == "none"
    assert decided("ACCT_TYPE", ["Checking", "Savings", "Checking"]) == "none"


# ------------------------------------------------------------------ amounts are no card numbers


def test_a_tradelines_amounts_are_no_card_numbers(tmp_path):
    rows = people_rows(
        3,
        st="MI",
        CreditLiabilityAccountIdentifier=["XXXXXXXX1234", "XXXXXXXX5521", "XXXXXXXX0441"],
        CreditLiabilityUnpaidBalanceAmount=["1200", "300", "2200"],
        CreditLiabilityMonthlyPaymentAmount=["45", "25", "80"],
        MonthlyPayment=["45", "25", "80"],
        CreditLimit=["5000", "1000", "2500"],
        HighCredit=["1500", "900", "3000"],
    )
    exposure = scan(write(tmp_path, {"credit_liability": rows}))
    kinds = classes(exposure)
    assert kinds["CreditLiabilityAccountIdentifier"] == "card_number"
    for header in [
        "CreditLiabilityUnpaidBalanceAmount",
        "CreditLiabilityMonthlyPaymentAmount",
        "MonthlyPayment",
        "CreditLimit",
        "HighCredit",
    ]:
        assert kinds[header] == "none", header


def test_an_amount_written_as_money_is_no_card_number():
    # under a card header (no amount word), values written as money are rejected value by value: a share too small
    # for a card column
    values = pl.DataFrame({"v": ["45.10", "12.50", "$75", "9.99", "1,200", "300"]})
    assert classify_column("credit_card", values).classified_as == "none"
    # a card column's masked cards and last-4s stay cards
    masked = pl.DataFrame({"v": ["XXXX-XXXX-XXXX-1234", "************2001", "4471", "5521"]})
    assert classify_column("credit_card", masked).classified_as == "card_number"
    assert classify_column("payment_card_number", masked).classified_as == "card_number"
