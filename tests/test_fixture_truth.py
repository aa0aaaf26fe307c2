"""Checks of the fixture generator and its oracle (data_fixtures/), independent of the scanner.

The planted values are checked against python-stdnum (SSN validity, Luhn, ABA routing), the redaction masks against
an independent longest-run count, and the oracle's rules against small hand-built cases.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from stdnum import luhn
from stdnum.us import rtn, ssn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_fixtures import _truth as T  # noqa: E402
from data_fixtures import _values as V  # noqa: E402
from data_fixtures import generate as G  # noqa: E402

FIX = ROOT / "data_fixtures"
CONTRACT = G.CONTRACT_KEYS


def _files(d: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(d)): p.read_bytes()
        for p in sorted(d.rglob("*"))
        if p.is_file() and p.suffix != ".py"
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    G.generate_all(G.DEFAULT_SEED, out)
    return out


def _read_csv(path: Path, **kw) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, **kw)


# --- determinism ---------------------------------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(generated, tmp_path):
    G.generate_all(G.DEFAULT_SEED, tmp_path)
    a, b = _files(generated), _files(tmp_path)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_other_seed_gives_other_data(generated, tmp_path):
    G.generate_all(G.DEFAULT_SEED + 1, tmp_path)
    a, b = _files(generated), _files(tmp_path)
    differing = [k for k in a if k in b and a[k] != b[k]]
    assert "single_table/customers.csv" in differing and "multi_table/customers.csv" in differing


def test_committed_fixtures_are_what_the_generator_writes(generated):
    committed = {k: v for k, v in _files(FIX).items() if not k.startswith("__pycache__")}
    fresh = _files(generated)
    assert sorted(committed) == sorted(fresh)
    assert [k for k in fresh if committed[k] != fresh[k]] == []


# --- planted values against python-stdnum --------------------------------------------------------------------------

FULL_SSN = re.compile(r"^\d{3}[- ]?\d{2}[- ]?\d{4}$")


def _ssn_values(series: pl.Series) -> list[str]:
    return [s for s in series.drop_nulls().to_list() if FULL_SSN.match(s)]


def test_invalid_ssns_planted_match_rejected_count(generated):
    exp = json.loads((generated / "expected.json").read_text())["datasets"]
    st = generated / "single_table"
    cases = {
        "single_table/customers.csv": _read_csv(st / "customers.csv")["ssn"],
        "single_table/applicants.tsv": _read_csv(st / "applicants.tsv", separator="\t")["SSN"],
        "single_table/payments.parquet": pl.read_parquet(st / "payments.parquet")["ssn"]
        .drop_nulls()
        .cast(pl.String)
        .str.zfill(9),
        "multi_table": _read_csv(generated / "multi_table" / "hr" / "employees.csv")["ssn"],
    }
    for name, col in cases.items():
        values = _ssn_values(col)
        invalid = [v for v in values if not ssn.is_valid(v.replace(" ", "-"))]
        assert len(invalid) == exp[name]["rejected_ssn"], name
        assert len(set(invalid)) == len(invalid), name  # each invalid value once: cells == values
        assert len(invalid) > 0 and len(values) > len(invalid), name
    # every SSA reason is represented somewhere
    all_invalid = [v.replace(" ", "").replace("-", "") for c in cases.values() for v in _ssn_values(c)]
    all_invalid = [v for v in all_invalid if not ssn.is_valid(v)]
    assert {"000", "666"} <= {v[:3] for v in all_invalid}
    assert any(v[0] == "9" for v in all_invalid)
    assert any(v[3:5] == "00" for v in all_invalid) and any(v[5:] == "0000" for v in all_invalid)
    assert "078051120" in all_invalid


def test_integer_ssn_column_lost_leading_zeros(generated):
    df = pl.read_parquet(generated / "single_table" / "payments.parquet")
    assert df.schema["ssn"] == pl.Int64
    short = df.filter(pl.col("ssn") < 100_000_000)["ssn"].to_list()
    assert len(short) > 20
    assert sum(ssn.is_valid(str(v).zfill(9)) for v in short) > 20


def test_decoy_order_numbers_are_valid_ssn_shapes(generated):
    for path in (generated / "single_table" / "customers.csv", generated / "multi_table" / "orders.csv"):
        values = _read_csv(path)["order_number"].to_list()
        assert values and all(ssn.is_valid(v) for v in values)


def test_ticket_ssns_in_text_are_valid(generated):
    bodies = _read_csv(generated / "multi_table" / "tickets.csv")["body"].to_list()
    found = [m for b in bodies for m in re.findall(r"\b\d{3}[- ]?\d{2}[- ]?\d{4}\b", b)]
    assert found and all(ssn.is_valid(x.replace(" ", "")) for x in found)


def _digits(s: str) -> str:
    return re.sub(r"[ -]", "", s)


def test_cards_are_luhn_valid_and_test_numbers_known(generated):
    st = generated / "single_table"
    cols = [
        _read_csv(st / "members.csv", separator=";", encoding="latin1")["card_number"],
        pl.read_parquet(st / "payments.parquet")["card_number"],
        _read_csv(generated / "multi_table" / "payments.csv")["card_number"],
    ]
    plain = [_digits(v) for c in cols for v in c.drop_nulls().to_list() if _digits(v).isdigit()]
    assert len(plain) > 300
    assert all(luhn.is_valid(v) and 13 <= len(v) <= 19 for v in plain)
    tests = [v for v in plain if v in V.TEST_CARDS]
    assert len(tests) > 5
    # the 2221-2720 Mastercard range is planted
    assert any(2221 <= int(v[:4]) <= 2720 for v in plain)
    redacted = [v for c in cols for v in c.drop_nulls().to_list() if v.startswith("XXXX-")]
    assert redacted and all(_longest_run(v) == 4 for v in redacted)


def test_routing_numbers_are_aba_valid(generated):
    st = generated / "single_table"
    values = _read_csv(st / "applicants.tsv", separator="\t")["Routing Number"].drop_nulls().to_list()
    values += pl.read_ndjson(st / "online_banking.ndjson")["routing_number"].to_list()
    assert len(values) > 100 and all(rtn.is_valid(v) for v in values)


def test_latin1_members_file_has_accented_names(generated):
    raw = (generated / "single_table" / "members.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("latin-1")
    assert any(ch in text for ch in "éüöñçÁ") and text.splitlines()[0].count(";") == 10
    assert text.count("\r\n") == text.count("\n")  # CRLF line ends


def test_gzip_and_bad_files(generated):
    text = gzip.decompress((generated / "single_table" / "dmv_extract.csv.gz").read_bytes()).decode()
    assert text.startswith("record_id,")
    with pytest.raises((EOFError, OSError)):
        gzip.decompress((generated / "bad" / "truncated.csv.gz").read_bytes())
    with pytest.raises(Exception):  # noqa: B017 - any reader error is the point
        pl.read_parquet(generated / "bad" / "corrupt_footer.parquet")
    assert (generated / "bad" / "empty.csv").stat().st_size == 0
    widths = {line.count(",") for line in (generated / "bad" / "ragged.csv").read_text().splitlines()}
    assert len(widths) == 3


# --- redaction masks: longest visible run, counted independently ------------------------------------------------


def _longest_run(value: str) -> int:
    """Longest run of visible digits, ignoring separators (445.63(r) via counting-rules.md section 1)."""
    best = cur = 0
    for ch in value:
        if ch in " -./":
            continue
        if ch.isdigit():
            cur += 1
            best = max(best, cur)
        else:
            cur = 0
    return best


def test_masks_follow_the_run_rule(generated):
    ssn_col = _read_csv(generated / "single_table" / "customers.csv")["ssn"].drop_nulls().to_list()
    masked = [v for v in ssn_col if re.search(r"[X*]", v)]
    redacted = [v for v in masked if not v.endswith("XX") or v.endswith("XXXX")]
    partial = [v for v in masked if v not in redacted]
    assert redacted and all(_longest_run(v) <= 5 for v in redacted)
    assert partial and all(_longest_run(v) == 7 for v in partial)
    lic = _read_csv(generated / "single_table" / "customers.csv")["drivers_license"].drop_nulls().to_list()
    lic_masked = [v for v in lic if "X" in v]
    assert {_longest_run(v) for v in lic_masked} == {4, 6}


# --- the expected counts are consistent ---------------------------------------------------------------------------


def test_expected_counts_are_consistent(generated):
    exp = json.loads((generated / "expected.json").read_text())["datasets"]
    assert {"multi_table", "multi_table_links_remove"} <= exp.keys()
    assert sum(k.startswith("single_table/") for k in exp) == 6
    for name, d in exp.items():
        assert set(CONTRACT) <= d.keys(), name
        mi = d["affected"]["michigan"]
        assert d["what_if"]["account_numbers_alone"] >= mi, name
        assert d["what_if"]["encryption_key_compromised"] >= mi, name
        assert all(0 <= v <= mi for v in d["affected_michigan_by_element"].values()), name
        assert d["unknown_residency_as_michigan"] == mi + d["affected"]["unknown_residency"], name
    full, cut, add = exp["multi_table"], exp["multi_table_links_remove"], exp["multi_table_links_add"]
    assert add["affected_michigan_by_element"]["ssn"] > full["affected_michigan_by_element"]["ssn"]
    assert cut["affected"]["michigan"] < full["affected"]["michigan"]
    assert cut["affected_michigan_by_element"]["ssn"] < full["affected_michigan_by_element"]["ssn"]
    # every trap class moves some count somewhere
    single = [d for k, d in exp.items() if k.startswith("single_table/")]
    assert any(d["what_if"]["account_numbers_alone"] > d["affected"]["michigan"] for d in single)
    assert any(d["what_if"]["encryption_key_compromised"] > d["affected"]["michigan"] for d in single)
    assert all(d["affected"]["unknown_residency"] > 0 and d["affected"]["other_states"] > 0 for d in single)


def test_links_config_names_the_removed_link(generated):
    import yaml

    cfg = yaml.safe_load((generated / G.LINKS_REMOVE_FILE).read_text())
    assert cfg["links"]["remove"] == [G.REMOVED_LINK] and cfg["links"]["add"] == []
    cfg = yaml.safe_load((generated / G.LINKS_ADD_FILE).read_text())
    assert cfg["links"]["add"] == [G.ADDED_LINK] and cfg["links"]["remove"] == []


def test_added_link_is_no_inclusion_dependency(generated):
    """Only ~40% of callbacks.caller_ref values are customer ids: not inferable, only addable."""
    refs = set(_read_csv(generated / "multi_table" / "callbacks.csv")["caller_ref"].to_list())
    ids = set(_read_csv(generated / "multi_table" / "customers.csv")["customer_id"].to_list())
    coverage = len(refs & ids) / len(refs)
    assert 0.25 < coverage < 0.55
    # every other key column is fully included in what it references
    mt = generated / "multi_table"
    for table, col, target, tcol in [
        ("payments", "cust_ref", "customers", "customer_id"),
        ("orders", "customer_id", "customers", "customer_id"),
        ("tickets", "order_id", "orders", "order_id"),
        ("tickets", "customer_id", "customers", "customer_id"),
        ("licence_holders", "customer_id", "customers", "customer_id"),
        ("orders", "product_id", "products", "product_id"),
    ]:
        a = set(_read_csv(mt / f"{table}.csv")[col].drop_nulls().to_list())
        assert a and a <= set(_read_csv(mt / f"{target}.csv")[tcol].to_list()), (table, col)


def test_benchmark_scale_api(tmp_path):
    counts = G.generate_database(3, tmp_path, n_persons=20_000)
    assert (tmp_path / "hr" / "employees.csv").exists()
    rows = pl.read_csv(tmp_path / "customers.csv", infer_schema=False).height
    assert rows > 15_000
    assert counts["affected"]["michigan"] > 1000
    cut = G.generate_database(3, tmp_path / "again", n_persons=20_000, removed_links=[G.REMOVED_LINK])
    assert cut["affected"]["michigan"] < counts["affected"]["michigan"]
    assert (tmp_path / "customers.csv").read_bytes() == (tmp_path / "again" / "customers.csv").read_bytes()


def test_database_in_several_formats_holds_the_same_tables(tmp_path):
    counts = G.generate_database(5, tmp_path, n_persons=300, formats=("csv", "parquet", "ndjson"))
    csv_tables = sorted(
        p.relative_to(tmp_path / "csv").with_suffix("") for p in (tmp_path / "csv").rglob("*.csv")
    )
    pq_tables = sorted(
        p.relative_to(tmp_path / "parquet").with_suffix("") for p in (tmp_path / "parquet").rglob("*.parquet")
    )
    assert csv_tables == pq_tables and Path("hr/employees") in csv_tables
    for rel in csv_tables:
        a = pl.read_csv(tmp_path / "csv" / f"{rel}.csv", infer_schema=False)
        b = pl.read_parquet(tmp_path / "parquet" / f"{rel}.parquet")
        c = pl.read_ndjson(tmp_path / "ndjson" / f"{rel}.ndjson", infer_schema_length=None)
        assert a.equals(b) and a.height == c.height, rel
    assert counts == G.generate_database(5, tmp_path / "one", n_persons=300)


# --- the oracle's rules on hand-built records ------------------------------------------------------------------------


def _person(table="t", row=0, pid=0, named=True, first="j", last="smith", **kw):
    return {
        "table": table,
        "row": row,
        "pid": pid,
        "named": named,
        "first_initial": first if named else None,
        "last_name": last if named else None,
        **kw,
    }


def _counts(records, links=None, removed=frozenset()):
    cols = {
        k: np.array([r.get(k, _default(k)) for r in records], dtype=object if k in _STR else None)
        for k in T.FACT_SCHEMA
        if any(k in r for r in records) or k in ("table", "row", "pid")
    }
    facts = T.facts_frame(cols)
    lk = pl.concat(links) if links else None
    return T.expected_counts(facts, lk, removed=removed, strict_persons=False)


_STR = {k for k, v in T.FACT_SCHEMA.items() if v == pl.String}


def _default(k):
    if k in _STR:
        return None
    if k == "named":
        return False
    return 0


def test_rule_card_needs_code_in_default_reading():
    c = _counts([_person(fin=T.UNREDACTED, code=T.CODE_NONE, residency=T.RES_MICHIGAN)])
    assert c["affected"]["michigan"] == 0 and c["what_if"]["account_numbers_alone"] == 1
    c = _counts([_person(fin=T.UNREDACTED, code=T.CODE_PRESENT, residency=T.RES_MICHIGAN)])
    assert c["affected"]["michigan"] == 1 and c["affected_michigan_by_element"]["financial_account"] == 1


def test_rule_code_in_a_linked_row():
    """Section 4: the code may be in 'a row linked to it' (a card's secrets row keyed by the card row)."""
    recs = [
        _person("customers", 0, 0, residency=T.RES_MICHIGAN),
        _person("cards", 0, 0, named=False, fin=T.UNREDACTED),
        _person("secrets", 0, 0, named=False, code=T.CODE_PRESENT),
    ]
    links = [
        T.links_frame("cards", [0], "customers", [0], "cards.customer_id->customers.customer_id"),
        T.links_frame("secrets", [0], "cards", [0], "secrets.card_id->cards.card_id"),
    ]
    c = _counts(recs, links)
    assert c["affected_michigan_by_element"]["financial_account"] == 1
    cut = _counts(recs, links, removed=frozenset({"secrets.card_id->cards.card_id"}))
    assert cut["affected"]["michigan"] == 0 and cut["what_if"]["account_numbers_alone"] == 1


def test_rule_encrypted_and_redacted():
    c = _counts([_person(ssn=T.ENCRYPTED, residency=T.RES_MICHIGAN)])
    assert c["affected"]["michigan"] == 0 and c["what_if"]["encryption_key_compromised"] == 1
    c = _counts([_person(fin=T.UNREDACTED, code=T.CODE_ENCRYPTED, residency=T.RES_MICHIGAN)])
    assert (c["affected"]["michigan"], c["what_if"]["encryption_key_compromised"]) == (0, 1)
    c = _counts([_person(ssn=T.REDACTED, drivers_license=T.REDACTED, residency=T.RES_MICHIGAN)])
    assert (c["affected"]["michigan"], c["what_if"]["encryption_key_compromised"]) == (0, 0)


def test_rule_name_through_link_and_removed_link():
    recs = [
        _person("customers", 0, 0, residency=T.RES_MICHIGAN),
        _person("tickets", 0, 0, named=False, ssn=T.UNREDACTED),
    ]
    link = [T.links_frame("tickets", [0], "customers", [0], "tickets.customer_id->customers.customer_id")]
    assert _counts(recs, link)["affected"]["michigan"] == 1
    cut = _counts(recs, link, removed=frozenset({"tickets.customer_id->customers.customer_id"}))
    assert cut["affected"]["michigan"] == 0 and cut["affected"]["unknown_residency"] == 0


def test_rule_link_with_different_names_does_not_merge():
    recs = [
        _person("customers", 0, 0, residency=T.RES_MICHIGAN),
        _person("lic", 0, 1, first="m", drivers_license=T.UNREDACTED),
    ]
    link = [T.links_frame("lic", [0], "customers", [0], "lic.customer_id->customers.customer_id")]
    c = _counts(recs, link)
    assert c["affected"] == {"michigan": 0, "other_states": 0, "unknown_residency": 1}


def test_rule_michigan_wins_and_keys_merge():
    recs = [
        _person("a", 0, 0, ssn=T.UNREDACTED, residency=T.RES_OTHER, key_email="x@example.com"),
        _person("b", 0, 0, named=False, residency=T.RES_MICHIGAN, key_email="x@example.com"),
    ]
    c = _counts(recs)
    assert c["affected"] == {"michigan": 1, "other_states": 0, "unknown_residency": 0}


def test_oracle_refuses_ambiguous_plantings():
    shared = [_person("a", 0, 0, key_ssn="123456789"), _person("a", 1, 1, key_ssn="123456789")]
    with pytest.raises(T.TruthError):
        _counts(shared)
    split_code = [
        _person("a", 0, 0, fin=T.UNREDACTED, key_email="e"),
        _person("a", 1, 0, named=False, code=T.CODE_PRESENT, key_email="e"),
    ]
    with pytest.raises(T.TruthError):
        _counts(split_code)
