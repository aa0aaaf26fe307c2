"""Fast paths give what their definitions give: ids compared across runs, rendered label sets, samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from pipeline.exposure import _identity_text
from pipeline.tables import ROW

ROOT = Path(__file__).resolve().parent.parent


def _naive(records: pl.DataFrame) -> pl.DataFrame:
    """The definition, one record at a time: each record's first of SSN, licence, account, e-mail, (table, row);
    the smallest per person; a text that is several people's is replaced, for each of them, by the smallest text
    of any identifier of their records that none of the others holds and that is nobody's id, else by
    text#rank (rank by individual label among those sharing it)."""
    kinds = (("ssn:", "ssn_value"), ("dl:", "drivers_license_value"), ("acct:", "financial_account_value"))
    kinds += (("email:", "email"),)
    first: dict[int, str] = {}
    every: dict[int, set[str]] = {}
    for r in records.iter_rows(named=True):
        texts = [p + r[c] for p, c in kinds if r[c] is not None]
        texts.append(f"row:{r['table']}:{r[ROW]}")
        i = r["individual"]
        first[i] = min(first.get(i, texts[0]), texts[0])
        every.setdefault(i, set()).update(texts)
    by_text: dict[str, list[int]] = {}
    for i, t in first.items():
        by_text.setdefault(t, []).append(i)
    taken = set(first.values())
    out = dict(first)
    for t, people in by_text.items():
        if len(people) < 2:
            continue
        for rank, i in enumerate(sorted(people), start=1):
            others = set().union(*(every[j] for j in people if j != i))
            own = sorted(x for x in every[i] if x not in others and x not in taken)
            out[i] = own[0] if own else f"{t}#{rank}"
    return pl.DataFrame(
        {"individual": list(out), "_id": list(out.values())},
        schema={"individual": pl.Int64, "_id": pl.String},
    )


def test_identity_text_equals_the_definition_on_every_mix_of_identifiers():
    rng = np.random.default_rng(11)
    n = 4000

    def maybe(values: list[str], share: float) -> list[str | None]:
        return [v if rng.random() < share else None for v in values]

    records = pl.DataFrame(
        {
            "individual": rng.integers(0, 600, n),
            "ssn_value": maybe([f"{rng.integers(1e8, 1e9)}" for _ in range(n)], 0.2),
            "drivers_license_value": maybe([f"M{rng.integers(1e11, 1e12)}" for _ in range(n)], 0.2),
            "financial_account_value": maybe([f"{rng.integers(1e9, 1e16)}" for _ in range(n)], 0.2),
            "email": maybe([f"u{rng.integers(0, 500)}@x.org" for _ in range(n)], 0.2),
            "table": [str(t) for t in rng.choice(["orders", "cards", "a", "z"], n)],
            ROW: rng.integers(0, 10_000, n).astype(np.uint64),
        }
    )
    wanted = pl.DataFrame({"individual": np.arange(0, 600, 2)})  # only individuals with findings get an id
    got = _identity_text(records, wanted).sort("individual")
    expected = _naive(records.join(wanted, on="individual", how="semi")).sort("individual")
    assert got.equals(expected)
    assert (
        got.get_column("_id").is_unique().all()
    )  # shared e-mails (500 for 600 people) still give one id each
    kinds = set(got.get_column("_id").str.extract(r"^(\w+):").to_list())
    assert kinds == {"acct", "dl", "email", "row", "ssn"}  # every kind wins for someone


def test_sets_of_labels_render_the_same_as_bit_masks_and_as_lists():
    """Paths and table lists are rendered once per distinct set of labels; up to 63 labels a set is a bit mask.
    Masks with high bits (labels 31 to 62) must give the same texts as the list coding."""
    from pipeline.individuals import _texts_per_individual_by_list, _texts_per_individual_by_mask

    rng = np.random.default_rng(5)
    n = 3000
    pairs = [(piece, f"t{k:02d}") for piece in range(3) for k in range(20)]
    assert 40 < len(pairs) <= 63  # codes above 31 are in use
    individuals = pl.Series("individual", rng.integers(0, 200, n))
    codes = rng.integers(0, len(pairs), n)

    def render(parts):
        return ";".join(f"{piece}:{label}" for piece, label in parts)

    by_mask = _texts_per_individual_by_mask(individuals, codes, pairs, render).sort("individual")
    by_list = _texts_per_individual_by_list(individuals, codes, pairs, render).sort("individual")
    assert by_mask.equals(by_list)
    some = individuals[int(np.flatnonzero(codes == len(pairs) - 1)[0])]
    text = by_mask.filter(pl.col("individual") == some).get_column("text")[0]
    assert f"{pairs[-1][0]}:{pairs[-1][1]}" in text


def _texts_by_definition(items: pl.DataFrame, render) -> dict[int, str]:
    """_texts_per_individual's definition, one item at a time: an individual's distinct (piece, label) pairs,
    in (piece, order, label) order, a pair's order the smallest of its items'; items without piece or label
    left out."""
    order: dict[tuple[int, str], int] = {}
    sets: dict[int, set[tuple[int, str]]] = {}
    for r in items.iter_rows(named=True):
        if r["piece"] is None or r["label"] is None:
            continue
        pair = (r["piece"], r["label"])
        order[pair] = min(order.get(pair, r["order"]), r["order"])
        sets.setdefault(r["individual"], set()).add(pair)
    return {
        i: render(sorted(pairs, key=lambda p: (p[0], order[p], p[1])))  # one entry per individual
        for i, pairs in sets.items()
    }


def test_texts_per_individual_by_one_key_per_item_are_the_definition():
    """Each item's label code comes from one integer (piece and the label's dictionary code), not from a unique
    of three columns and a join: the texts are the definition's, with few labels (bit masks) and many (lists),
    labels given as text or dictionary-encoded, orders that are not the label's, and missing labels."""
    from pipeline.individuals import _texts_per_individual

    rng = np.random.default_rng(17)
    n = 4000

    def render(parts):
        return "; ".join(f"{piece}={label}" for piece, label in parts)

    for distinct, dtype in ((12, pl.String), (12, pl.Categorical), (90, pl.String), (90, pl.Categorical)):
        label_of = rng.integers(0, distinct, n)
        labels = [None if k % 23 == 0 else f"L{k:03d}" for k in label_of]
        items = pl.DataFrame(
            {
                "individual": rng.integers(0, 500, n),
                "piece": rng.integers(0, 4, n).astype(np.int32),
                "label": pl.Series(labels, dtype=pl.String).cast(dtype),
                # the order a label goes in: not its text's (reversed), as a link's number orders links
                "order": (distinct - label_of).astype(np.int64),
            }
        )
        got = _texts_per_individual(items, render)
        assert got.get_column("individual").is_unique().all()
        assert dict(
            got.select("individual", pl.col("text").cast(pl.String)).iter_rows()
        ) == _texts_by_definition(items.with_columns(pl.col("label").cast(pl.String)), render)
    empty = _texts_per_individual(items.clear(), render)
    assert empty.height == 0 and empty.columns == ["individual", "text"]


def test_classification_sample_is_the_seeded_sample_of_the_cleaned_values():
    """The sample is drawn from positions and only the drawn values are cleaned: the same values, in the same
    order, as cleaning every value and drawing the seeded sample from them."""
    from detectors.common import cleaned, not_empty
    from pipeline.classify import _sample
    from pipeline.tables import Table

    rng = np.random.default_rng(3)
    n = 5000
    words = [" 042 ", "'0012", "N/A", "null", "", "  ", "17.0", "x", None, "Ann", "'", "-"]
    values = [words[k] if k < len(words) else f"v{k}" for k in rng.integers(0, len(words) + 40, n)]
    frame = pl.DataFrame({"c": values}).with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.UInt64))
    got = _sample(Table("t", "t.csv", frame.lazy()), 300)["c"].to_list()
    every = frame.select(cleaned(pl.col("c"))).to_series().drop_nulls()
    assert got == every.sample(300, seed=7).to_list()
    assert frame.select(not_empty(pl.col("c"))).to_series().sum() == every.len()


def _scan_fixture(work=None):
    from pipeline.scan import ScanOptions, scan_sources
    from pipeline.sources import load_sources

    source = load_sources([str(ROOT / "data_fixtures" / "multi_table")])
    return scan_sources(source, ScanOptions(hash_key=b"k"), work)


def test_tables_worked_on_in_threads_give_the_serial_result(monkeypatch):
    """Classification ahead of the evaluation loop and key profiles in threads: the same exposure, records and
    findings as one table at a time."""
    from pipeline import links, scan, sources

    threaded = _scan_fixture()
    monkeypatch.setattr(scan, "TABLE_THREADS", 1)
    monkeypatch.setattr(links, "TABLE_THREADS", 1)
    monkeypatch.setattr(sources, "TABLE_THREADS", 1)
    serial = _scan_fixture()
    # files read a few at a time: the same tables, in the same order, with the same warnings
    assert [(t.name, t.path, t.warnings) for t in threaded.source.tables] == [
        (t.name, t.path, t.warnings) for t in serial.source.tables
    ]
    assert threaded.source.unreadable == serial.source.unreadable
    assert threaded.exposure == serial.exposure
    assert threaded.records.equals(serial.records)
    assert threaded.findings.equals(serial.findings)
    assert len(threaded.classes) >= 10  # the fixture's tables, all classified


def test_a_table_whose_classification_fails_is_reported_and_the_scan_goes_on():
    """The failure happens in a classification thread; the loop reports it for that table alone."""
    from pipeline import classify
    from pipeline.scan import TableWork

    def classify_table(table, sample_size=1000):
        if table.name == "payments":
            raise RuntimeError("sample could not be drawn at '287-65-4321'")
        return classify.classify_table(table, sample_size)

    whole = _scan_fixture()
    broken = _scan_fixture(TableWork(classify_table=classify_table))
    assert "payments" in whole.classes and "payments" not in broken.classes
    assert [u.error for u in broken.source.unreadable if u.path.endswith("payments.csv")] == [
        "could not be evaluated: RuntimeError: sample could not be drawn at <value>"
    ]
    assert set(broken.classes) == set(whole.classes) - {"payments"}
    assert broken.records.filter(pl.col("table") == "payments").height == 0
    assert (
        broken.records.height
        == whole.records.height - whole.records.filter(pl.col("table") == "payments").height
    )


def test_key_values_already_clean_are_the_values_key_value_gives():
    """Link keys skip the cleaning when a value is already clean (links.CLEAN_KEY): for every kind of value an
    export holds, the keys are the ones key_value gives, and a value the fast path takes is its own key."""
    from pipeline.links import CLEAN_KEY, key_value, with_key_values

    rng = np.random.default_rng(11)
    pieces = ["0", "7", "42", "A", "b", "_", " ", "-", "\u2013", ".", "'", "/", "é", ".0", "x9"]
    made = ["".join(rng.choice(pieces, rng.integers(1, 6))) for _ in range(4000)]
    fixed = [
        "00042",
        "42",
        "42.0",
        "'0042",
        " C0042 ",
        "C0042",
        "none",
        "N/A",
        "n/a",
        "null",
        "0",
        "000",
        "0A1",
    ]
    fixed += ["ORD_2024_7", "_7", "ab", "A1B2", "1e5", "\u20131234", "-", "tbd", "TBD9", None]
    frame = pl.DataFrame({"r": made + fixed})
    want = frame.with_columns(key_value(pl.col("r")).alias("v")).sort("r", "v", nulls_last=True)
    got = with_key_values(frame, "r", "v").sort("r", "v", nulls_last=True)
    assert got.equals(want)
    fast = frame.filter(pl.col("r").str.contains(CLEAN_KEY))
    assert fast.height > 100  # the fast path was taken ...
    assert fast.filter(pl.col("r") != key_value(pl.col("r"))).height == 0  # ... only where nothing changes
    assert frame.height - fast.height > 100  # and the cleaning ran for the rest


def test_link_rows_find_their_records_by_position_as_by_a_join():
    """Identity resolution finds a link row's record by its position when a table's records hold rows
    first..last once each, and by a join otherwise (rows missing, a table starting past row 0), and compares
    names only where both rows have one: the edges are those of the definition, a join on (table, row) and
    the name check on every link row."""
    from pipeline.individuals import GID, _link_edges, _records_of_rows, _table_slices

    def recs(table, rows):
        n = len(rows)
        return pl.DataFrame(
            {
                "table": [table] * n,
                ROW: pl.Series(rows, dtype=pl.UInt64),
                "name_key": [None if r % 3 == 0 else f"smith|{'ab'[r % 2]}" for r in rows],
                "first_key": [["a", "ann", "al", "b"][r % 4] for r in rows],
                "ssn_value": [f"{r % 4:09d}" if r % 2 else None for r in rows],
                "drivers_license_value": [f"D{r % 3}" if r % 5 == 0 else None for r in rows],
            }
        )

    records = pl.concat(
        [recs("a", list(range(0, 50))), recs("b", [2, 3, 5, 8, 13, 21]), recs("c", list(range(7, 40)))]
    )
    records = records.with_row_index(GID).with_columns(pl.col(GID).cast(pl.Int64))
    rng = np.random.default_rng(2)
    n = 2000
    links = pl.DataFrame(
        {
            "table_a": rng.choice(["a", "b", "c"], n),
            "row_a": pl.Series(rng.integers(0, 55, n), dtype=pl.UInt64),
            "table_b": rng.choice(["a", "c"], n),
            "row_b": pl.Series(rng.integers(0, 45, n), dtype=pl.UInt64),
            "link": pl.Series(rng.integers(0, 3, n), dtype=pl.Int32),
            "residency": rng.random(n) < 0.1,
        }
    )
    slices = _table_slices(records)
    got = _records_of_rows(records, _records_of_rows(records, links, "a", slices), "b", slices)
    ids = records.select("table", ROW, GID, "name_key", "first_key", "ssn_value", "drivers_license_value")

    def side(s):
        names = {"table": f"table_{s}", ROW: f"row_{s}", GID: s, "name_key": f"n{s}", "first_key": f"f{s}"}
        return ids.rename({**names, "ssn_value": f"s{s}", "drivers_license_value": f"d{s}"})

    want = links.join(side("a"), on=["table_a", "row_a"]).join(side("b"), on=["table_b", "row_b"])
    order = ["table_a", "row_a", "table_b", "row_b", "link", "residency"]
    assert 200 < want.height < n  # some link rows find no record (rows missing in b, rows past the end)
    assert got.sort(order).equals(want.select(got.columns).sort(order))
    # the name check of the definition, on every joined link row
    same_first = (pl.col("fa") == pl.col("fb")) | (pl.col("fa").str.len_chars() <= 1)
    same_first = same_first | (pl.col("fb").str.len_chars() <= 1)
    # numbers of one kind differ (an SSN is not compared with a licence number)
    same_number = (pl.col("sa").is_null() | pl.col("sb").is_null() | (pl.col("sa") == pl.col("sb"))) & (
        pl.col("da").is_null() | pl.col("db").is_null() | (pl.col("da") == pl.col("db"))
    )
    compatible = pl.col("na").is_null() | pl.col("nb").is_null()
    compatible = compatible | ((pl.col("na") == pl.col("nb")) & same_first & same_number)
    kept = want.filter(compatible | pl.col("residency")).select("a", "b", "link", "residency")
    # a named row refused by its referenced row's other name joins the row of its own name that one references
    # (individuals._past_another_name), written out row by row

    def same(x: dict, y: dict, k: str) -> bool:
        return x[k] is None or y[k] is None or x[k] == y[k]

    def one_person(x: dict, y: dict) -> bool:  # x's side a against y's side b, the definition above
        first = x["fa"] == y["fb"] or len(x["fa"]) <= 1 or len(y["fb"]) <= 1
        numbers = same({"v": x["sa"]}, {"v": y["sb"]}, "v") and same({"v": x["da"]}, {"v": y["db"]}, "v")
        return x["na"] == y["nb"] and first and numbers

    rows = [r for r in want.to_dicts() if not r["residency"]]
    onward: dict[int, list[dict]] = {}
    for o in rows:  # one entry per link row of the test's few hundred
        onward.setdefault(o["a"], []).append(o)
    past: dict[tuple[int, int], int] = {}
    for r in rows:
        if r["na"] is None or r["nb"] is None or one_person(r, r):
            continue
        for o in onward.get(r["b"], []):
            if o["nb"] is not None and o["b"] != r["a"] and one_person(r, o):
                past[(r["a"], o["b"])] = min(past.get((r["a"], o["b"]), r["link"]), r["link"])
    hops = pl.DataFrame(
        [(a, b, link, False) for (a, b), link in past.items()],
        schema={"a": pl.Int64, "b": pl.Int64, "link": pl.Int32, "residency": pl.Boolean},
        orient="row",
    )
    kept = pl.concat([kept, hops.cast(kept.schema)]).sort("a", "b", "link", "residency")
    edges = (
        _link_edges(records, links).select("a", "b", "link", "residency").sort("a", "b", "link", "residency")
    )
    assert edges.equals(kept)
    assert 0 < kept.height < want.height + len(past)  # names told some rows apart, and kept others
    assert past  # and some rows refused by another name reached their own past it


def test_masks_and_luhn_checks_are_their_definitions():
    """mask_last pads the last characters with stars to the value's length, and luhn_valid reads the number
    once: both give what the definitions give, for short, empty, accented and card-length values."""
    from stdnum import luhn

    from detectors.common import luhn_valid, mask_last

    rng = np.random.default_rng(8)
    alphabet = list("0123456789aé-")
    values = ["", "1", "12", "123", "1234", "12345", "éé34567", "ü", None, "4111111111111111"]
    values += ["".join(rng.choice(alphabet, rng.integers(0, 25))) for _ in range(3000)]
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    for keep, prefix in ((4, ""), (5, "***-**-"), (2, "x")):
        got = frame.select(mask_last(pl.col("v"), keep, prefix)).to_series().to_list()
        want = [None if v is None else prefix + "*" * max(len(v) - keep, 0) + v[-keep:] for v in values]
        assert got == want
    numbers = [str(n) for n in rng.integers(10**12, 10**18, 3000)] + ["4111111111111111", "79927398713", ""]
    numbers += ["".join(rng.choice(list("0123456789"), 19)) for _ in range(500)]
    got = pl.DataFrame({"n": numbers}).select(luhn_valid(pl.col("n"))).to_series().to_list()
    assert got == [bool(n) and luhn.is_valid(n) for n in numbers]
    assert 200 < sum(got) < len(numbers) - 200  # both outcomes occur


def test_licence_mask_is_its_definition():
    """The first character, stars for the middle, the last four; short and empty values never ask for a
    negative number of stars (an unsigned length below zero once meant four billion stars)."""
    from detectors.drivers_license import mask

    rng = np.random.default_rng(9)
    values = ["", "A", "AB", "ABC", "ABCD", "ABCDE", "M123456789012", None]
    values += ["".join(rng.choice(list("A1é-"), rng.integers(0, 16))) for _ in range(2000)]
    got = pl.DataFrame({"v": values}, schema={"v": pl.String}).select(mask(pl.col("v"))).to_series().to_list()
    assert got == [None if v is None else v[:1] + "*" * max(len(v) - 5, 0) + v[-4:] for v in values]


def test_visible_digits_are_tested_as_the_longest_run_against_the_limit():
    """445.63(r) asks whether more than 4 (5 for an SSN) sequential digits are accessible: one regex test for a
    run of limit + 1 digits gives what measuring the longest run of digits gives."""
    import re

    from detectors.common import more_digits_visible

    rng = np.random.default_rng(10)
    values = ["", "1234", "12345", "123-45-6789", "XXX-XX-6789", "123456", "12*45*789", None]
    values += ["".join(rng.choice(list("0123456789X*#-"), rng.integers(0, 20))) for _ in range(3000)]
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    for limit in (4, 5):
        got = frame.select(more_digits_visible(pl.col("v"), limit)).to_series().to_list()
        longest = [
            None if v is None else max((len(r) for r in re.findall(r"\d+", v)), default=0) for v in values
        ]
        assert got == [None if n is None else n > limit for n in longest]
        assert 0 < sum(bool(g) for g in got) < len(values) - 100


def test_link_rows_follow_the_best_reference_and_its_first_match():
    """Each row follows its best-ranked identity reference that is filled in and found, beside its residency
    references, and the first (lowest) matching row of that reference: the definition, row by row in Python,
    on a table with two identity references, a residency reference and a declared key with repeated values."""
    from pipeline.links import Link, link_edges
    from pipeline.tables import Table

    def table(name, columns):
        frame = pl.DataFrame(columns).with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.UInt64))
        return Table(name, f"{name}.csv", frame.lazy())

    rng = np.random.default_rng(12)
    n = 600
    ids = [f"C{k}" for k in rng.integers(0, 90, 120)]  # a declared key whose values repeat
    customers = table("customers", {"customer_id": ids})
    homes = table("homes", {"home_id": [f"H{k}" for k in range(40)]})
    pick = lambda m, p: [None if rng.random() < 0.3 else f"{p}{k}" for k in rng.integers(0, m, n)]  # noqa: E731
    orders = table(
        "orders", {"customer_id": pick(110, "C"), "payer_id": pick(110, "C"), "home": pick(50, "H")}
    )
    found = [
        Link(
            "orders",
            "customer_id",
            "customers",
            "customer_id",
            1.0,
            "declared",
            used_for_identity=True,
            identity_rank=0,
        ),
        Link("orders", "home", "homes", "home_id", 1.0, "declared", used_for_residency=True),
        Link(
            "orders",
            "payer_id",
            "customers",
            "customer_id",
            1.0,
            "declared",
            used_for_identity=True,
            identity_rank=1,
        ),
    ]
    got = link_edges([customers, homes, orders], found, {"customers", "orders", "homes"})

    cols = orders.frame.collect().to_dict(as_series=False)
    keys = {
        "customers": customers.frame.collect()["customer_id"].to_list(),
        "homes": [f"H{k}" for k in range(40)],
    }
    want = []
    for row in range(n):
        best = None
        for i, k in enumerate(found):
            matches = [r for r, v in enumerate(keys[k.to_table]) if v == cols[k.from_column][row]]
            if not matches:
                continue
            if k.used_for_residency:
                want.append((i, row, min(matches)))
            elif best is None or k.identity_rank < found[best[0]].identity_rank:
                best = (i, row, min(matches))
        if best:
            want.append(best)
    assert sorted(want) == list(zip(got["link"], got["row_a"], got["row_b"], strict=True))
    assert {0, 1, 2} == set(got["link"])  # each reference followed somewhere


def test_a_table_whose_evaluation_fails_in_a_thread_is_reported_and_the_scan_goes_on():
    """Evaluations run in the table threads too: a failure there is reported for that table alone, and the
    other tables' records and counts are those of the whole scan without it."""
    from pipeline import records
    from pipeline.scan import TableWork

    def evaluate_table(table, classes):
        if table.name == "customers":
            raise MemoryError("synthetic")
        return records.evaluate_table(table, classes)

    whole = _scan_fixture()
    broken = _scan_fixture(TableWork(evaluate_table=evaluate_table))
    assert [u.error for u in broken.source.unreadable if u.path.endswith("customers.csv")] == [
        "could not be evaluated: MemoryError: synthetic"
    ]
    assert "customers" in whole.classes and "customers" not in broken.classes
    kept = whole.records.filter(pl.col("table") != "customers").select("table", ROW, "ssn_status")
    assert (
        broken.records.select("table", ROW, "ssn_status").sort("table", ROW).equals(kept.sort("table", ROW))
    )


def test_failed_tables_are_reported_in_table_order():
    """A later table's failed classification is known before an earlier table's failed evaluation (both run in
    threads): the report lists them in table order, as one table after another would."""
    from pipeline import classify, records
    from pipeline.scan import TableWork

    def classify_table(table, sample_size=1000):
        if table.name == "payments":
            raise ValueError("synthetic")
        return classify.classify_table(table, sample_size)

    def evaluate_table(table, classes):
        if table.name == "callbacks":
            raise KeyError("synthetic")
        return records.evaluate_table(table, classes)

    broken = _scan_fixture(TableWork(classify_table=classify_table, evaluate_table=evaluate_table))
    failed = [(Path(u.path).stem, u.error) for u in broken.source.unreadable]
    assert failed == [
        ("callbacks", "could not be evaluated: KeyError: <value>"),
        ("payments", "could not be evaluated: ValueError: synthetic"),
    ]


def test_columns_named_like_internal_ones_are_read_like_any_other(tmp_path):
    """Key profiles unpivot a table's candidate columns: source columns named "col", "r", "value" or "changed"
    (the names the unpivot and the cleaning use) are profiled and linked like any other."""
    from pipeline.scan import ScanOptions, scan_sources
    from pipeline.sources import load_sources

    rng = np.random.default_rng(13)
    n = 300

    def export(folder, extra):
        folder.mkdir()
        people = pl.DataFrame(
            {
                "customer_id": [f"C{k:05d}" for k in range(n)],
                "first_name": rng.choice(["Ann", "Bob", "Cy", "Dee"], n),
                "last_name": rng.choice(["Smith", "Jones", "Brown", "Lee"], n),
                "ssn": [f"{200 + k // 10000:03d}-{10 + k % 80:02d}-{1000 + k:04d}" for k in range(n)],
                "state": ["MI"] * n,
                **{c: [f"{c}{k}" for k in range(n)] for c in extra},
            }
        )
        people.write_csv(folder / "customers.csv")
        pl.DataFrame(
            {
                "order_id": [f"O{k:06d}" for k in range(2 * n)],
                "customer_id": [f"C{k % n:05d}" for k in range(2 * n)],
                **{c: [f"{c}{k % 7}" for k in range(2 * n)] for c in extra},
            }
        ).write_csv(folder / "orders.csv")
        return scan_sources(load_sources([str(folder)]), ScanOptions(hash_key=b"k"))

    clashing = export(tmp_path / "clashing", ["col", "r", "value", "changed"])
    plain = export(tmp_path / "plain", ["col_x", "r_x", "value_x", "changed_x"])
    assert clashing.exposure["affected"] == plain.exposure["affected"]
    assert clashing.exposure["affected"]["michigan"] == n
    renamed = [tuple(part.removesuffix("_x") for part in k.key) for k in plain.links]
    assert sorted(k.key for k in clashing.links) == sorted(renamed)
    assert ("orders", "customer_id", "customers", "customer_id") in [k.key for k in clashing.links]


def test_progress_names_every_table_while_classifying_and_counts_them_while_evaluating():
    """Evaluations are taken after the classification loop: the progress display names each table as it is
    classified (at 0), then advances through the tables in order as their records come in."""
    from pipeline.scan import ScanOptions, scan_sources
    from pipeline.sources import load_sources

    calls = []
    source = load_sources([str(ROOT / "data_fixtures" / "multi_table")])
    names = [t.name for t in source.tables]
    result = scan_sources(source, ScanOptions(hash_key=b"k", progress=lambda *a: calls.append(a)))
    classifying = [c for c in calls if c[0].endswith(" (classifying)")]
    evaluating = [c for c in calls if not c[0].endswith(" (classifying)")]
    assert [c[0].removesuffix(" (classifying)") for c in classifying][: len(names)] == names
    assert all(c[1] == 0 for c in classifying)
    assert [c[1] for c in evaluating] == sorted(c[1] for c in evaluating)
    assert {c[0] for c in evaluating} == set(result.classes)
    assert calls.index(classifying[-1]) < calls.index(evaluating[0])


def test_key_measures_taken_a_few_columns_at_a_time_are_those_taken_all_at_once(monkeypatch, tmp_path):
    """links.measure_keys profiles a large table's columns and joins a large export's key columns a batch at a
    time (KEY_VALUES_AT_ONCE, for memory): with every column and every key column a batch of its own, the same
    measures as all at once, on the fixture and on keys that cleaning changes (leading zeros, null words)."""
    from pipeline import classify, links
    from pipeline.sources import load_sources

    (tmp_path / "people.csv").write_text(
        "person_id,first_name,last_name,ssn,state\n"
        + "".join(f"{i:05d},Ann{i},Lee{i},{123450000 + i},MI\n" for i in range(1, 40))
        + " N/A ,Bob,Ray,123-45-6789,MI\n"
    )
    (tmp_path / "loans.csv").write_text(
        "loan_id,person_id,amount\n" + "".join(f"L{i},{i},{i * 10}\n" for i in range(1, 40)) + "L99,n/a,5\n"
    )
    for folder in (ROOT / "data_fixtures" / "multi_table", tmp_path):
        source = load_sources([str(folder)])
        classes = {t.name: classify.classify_table(t, 1000) for t in source.tables}
        whole = links.measure_keys(source.tables, classes)
        monkeypatch.setattr(links, "KEY_VALUES_AT_ONCE", 1)
        batched = links.measure_keys(source.tables, classes)
        monkeypatch.undo()
        assert whole is not None and batched is not None
        assert batched.prof.equals(whole.prof)
        assert batched.numeric.sort("cid").equals(whole.numeric.sort("cid"))
        assert whole.overlaps.height > 0  # references were measured at all
        assert batched.overlaps.sort("cid", "pid").equals(whole.overlaps.sort("cid", "pid"))
        found = links.discover_links(source.tables, classes)
        assert found  # the fixture's and these tables' references are found


def test_findings_written_a_slice_at_a_time_are_the_whole_frame_written_at_once(tmp_path):
    """findings.parquet hashed and written a slice at a time (slices smaller than the findings) holds the rows,
    in order, and the column types of the whole findings frame written at once; from the unhashed rows or from
    the published frame, the same slices give the same bytes."""
    from dataclasses import replace

    from pipeline.exposure import write_findings
    from pipeline.scan import ScanOptions, scan_sources
    from pipeline.sources import load_sources

    whole = _scan_fixture()
    source = load_sources([str(ROOT / "data_fixtures" / "multi_table")])
    sliced = scan_sources(source, replace(ScanOptions(hash_key=b"k"), findings_frame=False))
    findings = whole.findings
    assert findings.height > 20  # several slices of 7
    assert sliced.findings.height == 0 and sliced.findings.schema == findings.schema
    assert sliced.unhashed_findings is not None and sliced.unhashed_findings.height == findings.height

    at_once = tmp_path / "whole.parquet"
    findings.rechunk().write_parquet(at_once, compression="zstd", compression_level=1)
    from_unhashed = tmp_path / "from_unhashed.parquet"
    write_findings(from_unhashed, sliced.unhashed_findings, sliced.findings_key, slice_rows=7)
    from_frame = tmp_path / "from_frame.parquet"
    write_findings(from_frame, findings, slice_rows=7)

    import pyarrow.parquet as pq

    expected = pl.read_parquet(at_once)
    for path in (from_unhashed, from_frame):
        assert pl.read_parquet(path).equals(expected)
        assert pq.read_schema(path).remove_metadata().equals(pq.read_schema(at_once).remove_metadata())
        assert pq.ParquetFile(path).metadata.num_row_groups == -(-findings.height // 7)
    assert from_unhashed.read_bytes() == from_frame.read_bytes()

    # none: a file with the columns and no rows
    empty = tmp_path / "empty.parquet"
    write_findings(empty, sliced.unhashed_findings.clear(), sliced.findings_key, slice_rows=7)
    assert pl.read_parquet(empty).equals(expected.clear())
