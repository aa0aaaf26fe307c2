"""The output contract of `breachscan scan` (../shared/contracts.md): keys other tools read, and the CLI around it."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.cli import main

CUSTOMERS = """customer_id,first_name,last_name,ssn,state,zip,card_number,cvv
C1,John,Smith,536-22-4819,MI,48201,4539148803436467,123
C2,Mary,Jones,***-**-4819,OH,43004,5555341244441115,
C3,Ann,Lee,432-11-8812,,,,
C4,Bob,Stone,,Michigan,,4916338506082832,
"""


def _scan(tmp_path: Path, *extra: str) -> tuple[int, dict, str]:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    (src / "customers.csv").write_text(CUSTOMERS)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["scan", str(src), "--out", str(out), "--hash-key", "k", *extra])
    exposure = json.loads((out / "exposure.json").read_text()) if (out / "exposure.json").exists() else {}
    return res.exit_code, exposure, res.output


def test_exposure_contract_keys_and_types(tmp_path: Path):
    code, exp, _ = _scan(tmp_path)
    assert code == 0
    assert exp["schema_version"] == 1
    assert set(exp["affected"]) == {"michigan", "other_states", "unknown_residency"}
    assert set(exp["affected_michigan_by_element"]) == {"ssn", "drivers_license", "financial_account"}
    # the contract's keys, and keys are only ever added (codes_with_their_own_account: session 4)
    assert {"account_numbers_alone", "encryption_key_compromised"} <= set(exp["what_if"])
    assert all(
        isinstance(v, int)
        for d in ("affected", "affected_michigan_by_element", "what_if")
        for v in exp[d].values()
    )
    (table,) = exp["tables"]
    assert table["name"] == "customers" and table["rows"] == 4 and table["path"].endswith("customers.csv")
    for col in table["columns"]:
        assert {"name", "classified_as", "evidence"} <= set(col) and col["evidence"]
    assert isinstance(exp["links"], list) and exp["unreadable"] == []


def test_counts_and_readings(tmp_path: Path):
    _, exp, output = _scan(tmp_path)
    # the terminal summary shows every what-if count, the count of both wider readings too
    assert "key compromised and account numbers alone" in output
    # John: SSN + card with cvv (MI). Ann: SSN, no residency. Mary: redacted SSN, card without cvv (OH).
    # Bob: card without cvv (MI).
    assert exp["affected"] == {"michigan": 1, "other_states": 0, "unknown_residency": 1}
    assert exp["affected_michigan_by_element"] == {"ssn": 1, "drivers_license": 0, "financial_account": 1}
    assert exp["what_if"] == {
        "account_numbers_alone": 2,
        "encryption_key_compromised": 1,
        "codes_with_their_own_account": 1,  # John's CVV is in his card's row
        "encryption_key_compromised_account_numbers_alone": 2,  # added 2026-11-24: both wider readings
        "deceased_counted": 1,  # added 2026-11-25: nobody here is recorded as deceased
    }
    _, alone, _ = _scan(tmp_path, "--account-numbers-alone")
    assert alone["affected"] == {"michigan": 2, "other_states": 1, "unknown_residency": 1}
    # the key-compromised count follows the scan's reading (nothing is encrypted here: the reading's own count)
    # ...and so does the count with the deceased (none here: the reading's own count)
    assert alone["what_if"] == {**exp["what_if"], "encryption_key_compromised": 2, "deceased_counted": 2}
    _, unknown_mi, _ = _scan(tmp_path, "--unknown-residency-as-michigan")
    assert unknown_mi["affected"] == {"michigan": 2, "other_states": 0, "unknown_residency": 0}


def test_findings_hold_masked_values_and_keyed_hashes_only(tmp_path: Path):
    _scan(tmp_path)
    findings = pl.read_parquet(tmp_path / "out" / "findings.parquet")
    assert findings.height >= 3
    text = findings.write_csv()
    for raw in ("536-22-4819", "536224819", "4539148803436467", "John", "Smith"):
        assert raw not in text
    assert "***-**-4819" in findings.get_column("masked_value").to_list()
    assert findings.get_column("value_hash").str.len_chars().unique().to_list() == [64]


def test_bad_input_is_reported_and_the_scan_goes_on(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    code, exp, out = _scan(tmp_path)
    assert code == 0
    assert [u["path"].endswith("broken.parquet") for u in exp["unreadable"]] == [True]
    assert exp["unreadable"][0]["error"]
    assert exp["affected"]["michigan"] == 1
    assert "could not be read" in out


def test_json_summary_on_stdout(tmp_path: Path):
    code, exp, out = _scan(tmp_path, "--json")
    assert code == 0
    assert json.loads(out)["affected"] == exp["affected"]


def test_ocsf_option_chooses_the_findings_file(tmp_path: Path):
    """--ocsf column (default): one finding per column and element; individual: one per person and element."""
    for sub in ("col", "ind", "none"):
        (tmp_path / sub).mkdir()
    code, exp, _ = _scan(tmp_path / "col")
    assert code == 0
    columns = json.loads((tmp_path / "col" / "out" / "findings.ocsf.json").read_text())
    assert {e["finding_info"]["uid"] for e in columns} == {
        "customers|ssn|ssn",
        "customers|card_number|financial_account",
    }
    ssn = next(e for e in columns if e["unmapped"]["element"] == "ssn")
    assert (
        ssn["unmapped"]["individuals"] == 2 and ssn["unmapped"]["affected"] == 2
    )  # John, Ann (Mary's redacted)
    code, _, _ = _scan(tmp_path / "ind", "--ocsf", "individual")
    assert code == 0
    people = json.loads((tmp_path / "ind" / "out" / "findings.ocsf.json").read_text())
    findings = pl.read_parquet(tmp_path / "ind" / "out" / "findings.parquet")
    assert len(people) == findings.height > len(columns)
    code, _, _ = _scan(tmp_path / "none", "--ocsf", "none")
    assert code == 0 and not (tmp_path / "none" / "out" / "findings.ocsf.json").exists()


def test_keyed_hashes_are_standard_hmac_sha256(tmp_path: Path):
    """Anyone holding the key can recompute a hash with any HMAC-SHA-256 tool ("is this SSN among the findings?"):
    the hash is HMAC-SHA-256(key, "value:" + the element's digits), whatever the key's length."""
    import hashlib
    import hmac

    from pipeline.exposure import keyed_hash

    values = pl.Series("v", ["536224819", None, "", "é-ü", "4539148803436467"])
    for key in (b"", b"k", b"x" * 64, b"y" * 65, "ключ".encode()):
        expected = [
            None if v is None else hmac.new(key, b"value:" + v.encode(), hashlib.sha256).hexdigest()
            for v in values.to_list()
        ]
        assert keyed_hash(values, key, "value").to_list() == expected
    _scan(tmp_path)
    findings = pl.read_parquet(tmp_path / "out" / "findings.parquet")
    ssn = findings.filter(pl.col("masked_value") == "***-**-4819").get_column("value_hash").to_list()
    assert ssn == [hmac.new(b"k", b"value:536224819", hashlib.sha256).hexdigest()]


def test_output_files_hold_text_not_dictionary_codes(tmp_path: Path):
    """The scan holds tables, verdicts, source columns, residency and states dictionary-encoded (tables.WORD, for
    memory); the files people and tools read keep them as plain text columns, as before."""
    code, _, _ = _scan(
        tmp_path, "--incident", str(Path(__file__).parents[1] / "configs" / "incident.example.yaml")
    )
    assert code == 0
    out = tmp_path / "out"
    findings = pl.read_parquet(out / "findings.parquet")
    people = pl.read_parquet(out / "notification_list.parquet")
    assert findings.height and people.height
    for frame in (findings, people):
        assert not [c for c, t in frame.schema.items() if t == pl.Categorical or isinstance(t, pl.Enum)]
    assert {findings.schema[c] for c in ("status", "table", "column", "residency")} == {pl.String}
    assert {people.schema[c] for c in ("state", "residency", "tables")} == {pl.String}


def test_hash_key_is_text_and_a_binary_key_is_refused_before_the_scan():
    """The keyed hash runs vectorised with a text key: a random key is 256 bits written as hex, and a key that is
    not UTF-8 text stops the scan with a clear error instead of hashing with another key than the user's."""
    from pipeline.scan import resolve_key

    random_key = resolve_key("")  # empty: a random key, whatever the environment says
    assert len(random_key) == 64 and int(random_key.decode(), 16) >= 0
    assert resolve_key("passphrase") == b"passphrase"
    with pytest.raises(ValueError, match="hash key must be text"):
        resolve_key(b"\xff\xfe\x00binary")
