"""The same input and the same --hash-key give the same outputs, byte for byte.

polars 2 collects on the streaming engine, which does not keep row order: any output that forgot to sort would
differ between runs. Two separate processes run the CLI (separate thread pools, separate hash seeds), and the
in-process reports are compared too. The only field allowed to differ is the OCSF event time, which
SOURCE_DATE_EPOCH pins.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal
from test_no_leaks import BREACHSCAN, ROOT, build_inputs

from pipeline.reports import write_reports
from pipeline.scan import ScanOptions, run_scan

INCIDENT = ROOT / "configs" / "incident.example.yaml"


def _cli_scan(inputs: Path, out: Path, key: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}
    env.pop("BREACHSCAN_HASH_KEY", None)
    proc = subprocess.run(
        [
            str(BREACHSCAN),
            "scan",
            str(inputs),
            "--out",
            str(out),
            "--hash-key",
            key,
            "--incident",
            str(INCIDENT),
            "-q",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_two_cli_runs_give_identical_exposure_and_findings(tmp_path):
    planted = build_inputs(tmp_path / "db", n=60)
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    _cli_scan(planted.folder, a, "same-key")
    _cli_scan(planted.folder, b, "same-key")
    assert (a / "exposure.json").read_bytes() == (b / "exposure.json").read_bytes()
    fa, fb = pl.read_parquet(a / "findings.parquet"), pl.read_parquet(b / "findings.parquet")
    assert fa.height > 0
    assert_frame_equal(fa, fb)  # same rows, same order, same keyed hashes
    assert (a / "notice.json").read_bytes() == (b / "notice.json").read_bytes()
    # every other output the CLI writes (reports, once wired in) is byte-identical too
    names = sorted(p.name for p in a.iterdir() if p.suffix != ".parquet")
    assert names == sorted(p.name for p in b.iterdir() if p.suffix != ".parquet")
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # the key matters: another key gives other hashes, the same masked values and counts
    _cli_scan(planted.folder, c, "other-key")
    fc = pl.read_parquet(c / "findings.parquet")
    assert fc["masked_value"].to_list() == fa["masked_value"].to_list()
    assert set(fc["value_hash"]).isdisjoint(set(fa["value_hash"]))
    assert json.loads((c / "exposure.json").read_text()) == json.loads((a / "exposure.json").read_text())


def test_reports_are_byte_identical_across_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    planted = build_inputs(tmp_path / "db", n=60)
    outs = []
    for name in ("r1", "r2"):
        out = tmp_path / name
        result = run_scan([planted.folder], out, ScanOptions(hash_key="same-key"))
        outs.append(write_reports(result, out, None))
    for key in ("report", "notification_list_csv", "notice_letter", "findings_ocsf"):
        assert Path(outs[0][key]).read_bytes() == Path(outs[1][key]).read_bytes(), key
    assert_frame_equal(
        pl.read_parquet(outs[0]["notification_list_parquet"]),
        pl.read_parquet(outs[1]["notification_list_parquet"]),
    )


def test_ocsf_differs_only_in_time_without_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    planted = build_inputs(tmp_path / "db", n=20)
    events = []
    for name in ("r1", "r2"):
        result = run_scan([planted.folder], tmp_path / name, ScanOptions(hash_key="k"))
        path = write_reports(result, tmp_path / name, None)["findings_ocsf"]
        events.append(json.loads(Path(path).read_text()))
    strip = [[{k: v for k, v in e.items() if k != "time"} for e in run] for run in events]
    assert strip[0] == strip[1] and len(strip[0]) > 0
