"""Identity resolution by person groups (pipeline/person_groups.py) gives the individuals of one whole resolve.

The Spark engine resolves each bucket of person groups on an executor; here the buckets run one after another,
through the same code. Every trap export is checked the same way in tests/scenario.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from pipeline import individuals, person_groups
from pipeline.scan import ScanOptions, run_scan

ROOT = Path(__file__).resolve().parent.parent
KEY = "test-person-groups"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """The benchmark's export (five tables, every table referencing customers), small."""
    from benchmarks.synth import generate

    return generate(tmp_path_factory.mktemp("synth"), 3000, seed=5).folder


def _exports(synthetic: Path) -> dict[str, Path]:
    return {
        "multi_table": ROOT / "data_fixtures" / "multi_table",
        "single_table": ROOT / "data_fixtures" / "single_table",
        "synthetic": synthetic,
    }


@pytest.mark.parametrize("name", ["multi_table", "single_table", "synthetic"])
@pytest.mark.parametrize("buckets", [2, 7])
def test_resolving_by_groups_gives_the_whole_scans_individuals(name, buckets, synthetic, monkeypatch):
    export = _exports(synthetic)[name]
    sizes: list[list[int]] = []

    def counting(parts, link_names, key):  # the buckets as they are handed to the runner
        parts = list(parts)
        sizes.append([r.height for r, _ in parts])
        return person_groups.run_here(parts, link_names, key)

    original = person_groups.individuals_by_groups
    monkeypatch.setattr(
        person_groups,
        "individuals_by_groups",
        lambda recs, rows, names, b, run=counting, key=None: original(recs, rows, names, b, counting, key),
    )
    whole = run_scan([export], None, ScanOptions(hash_key=KEY))
    grouped = run_scan([export], None, ScanOptions(hash_key=KEY, person_buckets=buckets))
    assert whole.exposure["affected"]["michigan"] > 0  # a comparison of scans that found people
    assert len(sizes) == 1 and len(sizes[0]) == buckets  # every bucket got records: the split is real
    assert sum(sizes[0]) == whole.records.height - _copies(whole.records)  # each original record once
    assert grouped.exposure == whole.exposure
    assert grouped.records.equals(whole.records)
    assert grouped.individuals.equals(whole.individuals)
    assert grouped.findings.equals(whole.findings)


def test_no_individual_crosses_two_person_groups():
    """Each individual of the whole resolve lies inside one person group, and there are many groups."""
    export = ROOT / "data_fixtures" / "multi_table"
    result = run_scan([export], None, ScanOptions(hash_key=KEY))
    originals = result.records.filter(pl.col("gid") < result.records.height - _copies(result.records))
    numbered = individuals.numbered(originals.drop("gid", "individual"))
    # the link rows the scan followed, rebuilt as the scan builds them
    from pipeline import links

    tables = result.source.tables
    people = links.person_tables(tables, result.classes, result.links)
    rows = links.link_edges(tables, result.links, people)
    groups = person_groups.person_groups(numbered, rows)
    per_individual = (
        originals.sort("gid")
        .with_columns(pl.Series("group", groups))
        .group_by("individual")
        .agg(pl.col("group").n_unique())
    )
    assert per_individual.get_column("group").max() == 1
    assert 1 < len(np.unique(groups)) < len(groups)


def _copies(records: pl.DataFrame) -> int:
    """Records resolve added (copies for joint holders and households), numbered after every original."""
    rows = records.select("table", "__row").unique().height
    return records.height - rows


def test_more_buckets_than_groups_and_an_export_without_people(tmp_path):
    db = tmp_path / "db"
    db.mkdir()
    pl.DataFrame(
        {
            "first_name": ["John", "Mary", "Ahmed"],
            "last_name": ["Smith", "Jones", "Khan"],
            "ssn": ["287-65-4321", "301-22-4455", "452-19-8830"],
            "state": ["MI", "OH", "MI"],
        }
    ).write_csv(db / "people.csv")
    whole = run_scan([db], None, ScanOptions(hash_key=KEY))
    many = run_scan([db], None, ScanOptions(hash_key=KEY, person_buckets=64))
    assert whole.exposure["affected"]["michigan"] == 2
    assert many.exposure == whole.exposure and many.individuals.equals(whole.individuals)
    none = tmp_path / "none"
    none.mkdir()
    pl.DataFrame({"sku": ["A-1", "B-2"], "price": ["3", "4"]}).write_csv(none / "products.csv")
    empty_whole = run_scan([none], None, ScanOptions(hash_key=KEY))
    empty_grouped = run_scan([none], None, ScanOptions(hash_key=KEY, person_buckets=4))
    assert empty_grouped.exposure == empty_whole.exposure
    assert empty_grouped.individuals.equals(empty_whole.individuals)


def test_an_individual_keeps_its_own_city_when_another_has_a_household_address():
    """Found by resolving in groups: the household address of one individual (a row without a name) used to
    blank the city and ZIP of every individual whose named rows gave no street or state, in the whole scan."""
    result = run_scan([ROOT / "data_fixtures" / "single_table"], None, ScanOptions(hash_key=KEY))
    recs = result.records
    assert recs.filter(~pl.col("has_name") & pl.col("zip").is_not_null()).height > 0  # a household-like row
    own = (
        recs.filter(pl.col("has_name") & pl.col("address").is_null() & pl.col("state").is_null())
        .filter(pl.col("city").is_not_null())
        .select("individual")
        .unique()
    )
    assert own.height > 0
    mine = result.individuals.join(own, on="individual")
    unnamed = recs.filter(~pl.col("has_name")).select("individual").unique()
    kept = mine.join(unnamed, on="individual", how="anti")  # no household row of their own
    assert kept.height > 0 and kept.get_column("city").null_count() == 0
