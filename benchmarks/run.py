"""Speed and scale of `breachscan scan`, measured in one run on the same files.

    .venv/bin/python -m benchmarks.run --persons 100000          # N, 2N, 4N persons (about 5.5 rows each)
    .venv/bin/python -m benchmarks.run --quick                   # a small smoke run (seconds)

For each size: (1) the I/O floor: polars reads every table and touches every cell (n_unique per column);
(2) `breachscan scan` as a subprocess: wall time, rows/s, MB/s, peak RSS of the child, ratio to the floor;
(4) growth over N, 2N, 4N. At N only: (3) Presidio's AnalyzerEngine (from the separate venv .venv-bench) on a
sample of the same cells, cells/s against ours, and precision / recall of both on that sample.
The Markdown table goes to benchmarks/RESULTS.md with the machine description.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from benchmarks import synth

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
BENCH_VENV = ROOT / ".venv-bench" / "bin"
ELEMENT_OF_ENTITY = {
    "US_SSN": synth.SSN,
    "CREDIT_CARD": synth.FA,
    "US_BANK_NUMBER": synth.FA,
    "US_DRIVER_LICENSE": synth.DL,
}
ELEMENTS = (synth.SSN, synth.DL, synth.FA)
HASH_KEY = "benchmark-key"  # a fixed key: findings are comparable between runs


@dataclass
class Measure:
    persons: int
    rows: int
    cells: int
    mbytes: float
    floor_s: float
    scan_s: float
    peak_rss_mb: float
    scan_cpu_s: float  # user + system CPU of the scan child: far less sensitive to other load than wall time
    load: float  # 1-minute load average around the scan (the machine has nproc cores)
    # stage -> (s, peak RSS MiB, CPU s or None)
    stages: dict[str, tuple[float, float, float | None]] = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.scan_s

    @property
    def mb_per_s(self) -> float:
        return self.mbytes / self.scan_s


# ---------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    return {
        "nproc": str(os.cpu_count()),
        "memory": mem,
        "cpu": cpu,
        "python": platform.python_version(),
        "polars": pl.__version__,
        "os": platform.platform(),
    }


# ---------------------------------------------------------------- the measurements


def io_floor(folder: Path) -> tuple[float, int]:
    """Seconds for polars to read every table as strings and touch every cell; and the number of cells."""
    started = time.perf_counter()
    cells = 0
    for path in sorted(folder.glob("*.csv")):
        frame = pl.read_csv(path, infer_schema=False)
        frame.select(pl.all().n_unique())
        cells += frame.height * frame.width
    return time.perf_counter() - started, cells


def run_child(
    cmd: list[str], env: dict | None = None, log: Path | None = None
) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MiB, exit code, CPU seconds) of one child, from wait4: the child's own figures.

    The child's stderr goes to `log` (a file, so a chatty child can never block on a full pipe)."""
    log = log or Path(tempfile.mkstemp(prefix="breachscan-bench-", suffix=".log")[1])
    started = time.perf_counter()
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(log.read_text(errors="replace")[-2000:])
    return wall, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


STAGE_LINE = re.compile(r"stage (\w+): ([0-9.]+) s, peak RSS ([0-9]+) MiB(?:, CPU ([0-9.]+) s)?")


def stage_times(log: Path) -> dict[str, tuple[float, float, float | None]]:
    """stage -> (seconds summed over tables, peak RSS MiB when it ended, CPU seconds of the process during the
    stage or None), from `breachscan -v scan`'s log (classify and evaluate share one CPU figure, on evaluate)."""
    out: dict[str, tuple[float, float, float | None]] = {}
    for name, secs, rss, cpu in STAGE_LINE.findall(log.read_text(errors="replace")):
        took, peak, used = out.get(name, (0.0, 0.0, None))
        if cpu:
            used = (used or 0.0) + float(cpu)
        out[name] = (took + float(secs), max(peak, float(rss)), used)
    return out


def _stage_cell(stage: tuple[float, float, float | None]) -> str:
    took, peak, cpu = stage
    return f"{took:.2f} s" + ("" if cpu is None else f", CPU {cpu:.2f} s") + f" ({peak:,.0f} MiB)"


def scan_cli(folder: Path, out: Path) -> tuple[float, float, float, float]:
    """(wall s, peak RSS MiB, CPU s, mean 1-minute load average before and after) of `breachscan scan`."""
    env = {**os.environ, "BREACHSCAN_HASH_KEY": HASH_KEY}
    before = os.getloadavg()[0]
    out.mkdir(parents=True, exist_ok=True)
    wall, rss, code, cpu = run_child(
        [str(VENV / "breachscan"), "-v", "scan", str(folder), "--out", str(out), "-q"], env, out / "scan.log"
    )
    if code != 0:
        raise SystemExit(f"breachscan scan failed with exit code {code}")
    return wall, rss, cpu, (before + os.getloadavg()[0]) / 2


def startup_seconds() -> float:
    """Interpreter + imports: what every CLI run pays before it reads a byte."""
    wall, _, _, _ = run_child([str(VENV / "breachscan"), "--help"])
    return wall


def measure(export: synth.Export, persons: int, out: Path) -> Measure:
    floor, cells = io_floor(export.folder)
    scan, rss, cpu, load = scan_cli(export.folder, out)
    stages = stage_times(out / "scan.log")
    # wait4's ru_maxrss of a child keeps this (large) process's peak across fork and exec; the child's own
    # VmHWM, logged with each stage, is its real peak
    peak = max((p for _, p, _ in stages.values()), default=rss)
    return Measure(
        persons, export.total_rows, cells, export.bytes / 1e6, floor, scan, peak, cpu, load, stages
    )


# ---------------------------------------------------------------- Presidio comparison


def sample_cells(export: synth.Export, size: int, seed: int = 7) -> pl.DataFrame:
    """Half the sample from element-bearing columns (where the elements are), half from all other cells."""
    rng = np.random.default_rng(seed)
    parts_element, parts_other = [], []
    for name in sorted(export.rows):
        frame = pl.read_csv(export.folder / f"{name}.csv", infer_schema=False).with_row_index("row")
        truth = synth.cell_truth(export, name)
        for col in frame.columns:
            if col == "row":
                continue
            cells = frame.select("row", pl.col(col).alias("value")).drop_nulls("value")
            if col in truth.columns:
                cells = cells.join(
                    truth.select(pl.col("row").cast(pl.UInt32), pl.col(col).alias("truth")), on="row"
                )
                target = parts_element
            else:
                cells = cells.with_columns(pl.lit(synth.NONE).alias("truth"))
                target = parts_other
            target.append(cells.with_columns(pl.lit(name).alias("table"), pl.lit(col).alias("column")))
    out = []
    for parts in (parts_element, parts_other):
        allc = pl.concat(parts)
        take = rng.choice(allc.height, min(size // 2, allc.height), replace=False)
        out.append(allc[np.sort(take)])
    return pl.concat(out).select("table", "column", pl.col("row").cast(pl.UInt64), "value", "truth")


def our_verdicts(sample: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """Per sampled cell, the element our scan reports there (whole and readable), or none."""
    verdicts = []
    for e in ELEMENTS:
        verdicts.append(
            records.filter(pl.col(f"{e}_status") == "unredacted").select(
                pl.col("table").cast(pl.String),  # records hold it dictionary-encoded (tables.WORD)
                pl.col("__row").alias("row"),
                pl.col(f"{e}_source").cast(pl.String).str.replace(r" \(free text\)$", "").alias("column"),
                pl.lit(e).alias("ours"),
            )
        )
    found = pl.concat(verdicts).group_by("table", "row", "column").agg(pl.col("ours"))
    return sample.join(found, on=["table", "row", "column"], how="left").with_columns(
        pl.col("ours").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    )


def score(truth: list[str], predicted: list[list[str]]) -> dict[str, dict[str, float]]:
    """Precision and recall per element and over all elements (micro average), cell by cell."""
    out = {}
    totals = [0, 0, 0]
    for e in (*ELEMENTS, "all"):
        tp = fp = fn = 0
        for t, p in zip(truth, predicted, strict=True):
            if e == "all":
                continue
            hit = e in p
            tp += hit and t == e
            fp += hit and t != e
            fn += (not hit) and t == e
        if e == "all":
            tp, fp, fn = totals
        else:
            totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        out[e] = {
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan"),
            "support": tp + fn,
        }
    return out


def presidio(sample: pl.DataFrame, work: Path) -> dict | None:
    python = BENCH_VENV / "python"
    if not python.exists():
        print("presidio: .venv-bench missing (see docs/scale.md); comparison skipped", file=sys.stderr)
        return None
    cells = [{"value": v, "header": c} for v, c in zip(sample["value"], sample["column"], strict=True)]
    src, dst = work / "presidio-sample.json", work / "presidio-out.json"
    src.write_text(json.dumps(cells))
    subprocess.run(
        [str(python), str(ROOT / "benchmarks" / "presidio_child.py"), str(src), str(dst)], check=True
    )
    src.unlink()  # the sample holds synthetic values only, but nothing of it needs to stay
    return json.loads(dst.read_text())


def compare(export: synth.Export, sample_size: int, work: Path) -> dict:
    from pipeline.scan import ScanOptions, run_scan

    started = time.perf_counter()
    result = run_scan([export.folder], None, ScanOptions(hash_key=HASH_KEY))
    ours_s = time.perf_counter() - started
    sample = our_verdicts(sample_cells(export, sample_size), result.records)
    cells_total = sum(
        pl.read_csv(export.folder / f"{n}.csv", infer_schema=False, n_rows=0).width * r
        for n, r in export.rows.items()
    )
    del result
    truth = sample["truth"].to_list()
    report = {
        "sample": sample.height,
        "ours_cells_per_s": cells_total / ours_s,
        "ours": score(truth, sample["ours"].to_list()),
    }
    out = presidio(sample, work)
    if out is not None:
        report["presidio_cells_per_s"] = sample.height / out["seconds"]
        report["presidio_init_s"] = out["init_seconds"]
        for threshold in (0.0, 0.5):
            pred = [
                sorted({ELEMENT_OF_ENTITY[e] for e, s in cell if s >= threshold and e in ELEMENT_OF_ENTITY})
                for cell in out["results"]
            ]
            report[f"presidio@{threshold}"] = score(truth, pred)
    return report


# ---------------------------------------------------------------- profile


def profile(folder: Path, out: Path, work: Path) -> list[tuple] | None:
    spy = BENCH_VENV / "py-spy"
    if not spy.exists():
        return None
    raw = work / "profile.txt"
    cmd = [str(spy), "record", "--idle", "-r", "50", "-f", "raw", "-o", str(raw), "--"]
    cmd += [str(VENV / "python"), "-m", "pipeline.cli", "scan", str(folder), "--out", str(out), "-q"]
    env = {**os.environ, "BREACHSCAN_HASH_KEY": HASH_KEY}
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from benchmarks.profile_summary import summarize

    return summarize(str(raw), top=30)


# ---------------------------------------------------------------- report


def _f(x: float, digits: int = 2) -> str:
    return "n/a" if x != x else f"{x:,.{digits}f}"


def many_tables(work: Path, tables: int) -> Measure:
    """The scan of a database of many small tables: what each table costs whatever its size."""
    export = synth.generate_many_tables(work / f"tables{tables}", tables)
    m = measure(export, 0, work / f"out_tables{tables}")
    shutil.rmtree(export.folder.parent, ignore_errors=True)
    return m


def markdown(
    info: dict,
    sizes: list[Measure],
    startup: float,
    cmp: dict | None,
    prof: list | None,
    argv: str,
    many: Measure | None = None,
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Command: `{argv}`  ",
        f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
    ]
    lines += ["## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines += ["", f"CLI start-up (interpreter + imports, `breachscan --help`): {startup:.2f} s", ""]
    lines += ["## Scan against the I/O floor, and growth", ""]
    lines += [
        "| persons | rows | cells | CSV MB | I/O floor s | scan s | rows/s | MB/s | peak RSS MiB | scan/floor "
        "| s per M rows | scan CPU s | CPU s per M rows | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in sizes:
        lines.append(
            f"| {m.persons:,} | {m.rows:,} | {m.cells:,} | {m.mbytes:,.1f} | {m.floor_s:.2f} | {m.scan_s:.2f} | "
            f"{m.rows_per_s:,.0f} | {m.mb_per_s:.2f} | {m.peak_rss_mb:,.0f} | {m.scan_s / m.floor_s:.1f} | "
            f"{m.scan_s / m.rows * 1e6:.1f} | {m.scan_cpu_s:.1f} | {m.scan_cpu_s / m.rows * 1e6:.1f} | {m.load:.1f} |"
        )
    if len(sizes) >= 2:
        base, last = sizes[0], sizes[-1]
        growth = (last.scan_s / base.scan_s) / (last.rows / base.rows)
        lines += [
            "",
            f"Growth: rows x{last.rows / base.rows:.2f} -> scan time x{last.scan_s / base.scan_s:.2f} "
            f"(time per row at the largest size is {growth:.2f}x that at the smallest; 1.00 is linear). "
            f"Peak RSS x{last.peak_rss_mb / base.peak_rss_mb:.2f}. CPU time x{last.scan_cpu_s / base.scan_cpu_s:.2f} "
            f"(per row {(last.scan_cpu_s / last.rows) / (base.scan_cpu_s / base.rows):.2f}x).",
            "",
            "Wall times are only comparable at a low load average (it should stay near or below nproc); CPU "
            "seconds of the scan child are the figure to compare when the machine was shared.",
        ]
    if many is not None:
        lines += [
            "",
            "## Many small tables",
            "",
            "Real schemas have hundreds of tables, most of them small: there the cost per table, not per row, "
            "decides. One `customers` table and satellites of 200 rows each (ids, customer_id, amount, date, "
            "status, code; every tenth with an account number and PIN), all linked to customers.",
            "",
            "| tables | rows | I/O floor s | scan s | ms per table | peak RSS MiB | classify s | evaluate s | links s |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {many.persons:,} | {many.rows:,} | {many.floor_s:.2f} | {many.scan_s:.2f} | "
            f"{1000 * many.scan_s / max(many.persons, 1):.0f} | {many.peak_rss_mb:,.0f} | "
            + " | ".join(f"{many.stages.get(k, (0.0, 0))[0]:.2f}" for k in ("classify", "evaluate", "links"))
            + " |",
        ]
    staged = [m for m in sizes if m.stages]
    if staged:
        names = list(staged[-1].stages)
        lines += [
            "",
            "## Where the time goes, by stage (`breachscan -v scan` logs each stage)",
            "",
            "Seconds per stage (classify and evaluate summed over tables), the scan's CPU seconds during the stage "
            "(classify and evaluate overlap in threads: one CPU figure, under evaluate, covers both) and the peak "
            "RSS of the scan when the stage ended. The I/O floor is what `read` would be at best; everything after "
            "it is the scan's own work.",
            "",
            "| persons | " + " | ".join(names) + " |",
            "|---:|" + "---:|" * len(names),
        ]
        for m in staged:
            cells = " | ".join(_stage_cell(m.stages[n]) if n in m.stages else "" for n in names)
            lines.append(f"| {m.persons:,} | {cells} |")
    if cmp:
        lines += ["", "## Against Presidio on the same cells", ""]
        lines += [
            f"Sample: {cmp['sample']:,} cells of the {sizes[0].persons:,}-person export (half from the columns that "
            "hold elements, half from all other columns), scored cell by cell for the three elements of "
            "MCL 445.63(p) (SSN, driver's licence, financial account). Ours: the in-process scan of the whole "
            "export (a cell counts when the record's verdict names that column, whole and unredacted). Presidio: "
            "AnalyzerEngine with spaCy en_core_web_sm, entities US_SSN, CREDIT_CARD, US_BANK_NUMBER, "
            "US_DRIVER_LICENSE, the column header's words as context.",
            "",
        ]
        rows = [("breachscan", cmp["ours"], cmp["ours_cells_per_s"])]
        for t in (0.0, 0.5):
            if f"presidio@{t}" in cmp:
                rows.append((f"Presidio (score >= {t})", cmp[f"presidio@{t}"], cmp["presidio_cells_per_s"]))
        lines += [
            "| engine | cells/s | " + " | ".join(f"{e} P / R" for e in (*ELEMENTS, "all")) + " |",
            "|---|---:|" + "---:|" * (len(ELEMENTS) + 1),
        ]
        for name, sc, speed in rows:
            cells = " | ".join(
                f"{_f(sc[e]['precision'])} / {_f(sc[e]['recall'])}" for e in (*ELEMENTS, "all")
            )
            lines.append(f"| {name} | {speed:,.0f} | {cells} |")
        if "presidio_cells_per_s" in cmp:
            lines += [
                "",
                f"Speed ratio: breachscan processes {cmp['ours_cells_per_s'] / cmp['presidio_cells_per_s']:,.0f}x "
                "as many cells per second as Presidio (ours: every cell of the export, start-to-end of the "
                f"in-process scan; Presidio: the sample only, after a {cmp['presidio_init_s']:.1f} s engine start).",
                "Support (cells truly holding each element): "
                + ", ".join(f"{e} {cmp['ours'][e]['support']}" for e in ELEMENTS)
                + ".",
            ]
    if prof:
        lines += [
            "",
            "## Where the time goes (py-spy, inclusive, project functions)",
            "",
            "| share | function |",
            "|---:|---|",
        ]
        lines += [f"| {share:.1%} | `{name}` |" for name, _, share in prof]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--persons", type=int, default=100_000, help="N: persons at the base size (about 5.5 rows each)"
    )
    ap.add_argument(
        "--quick", action="store_true", help="a small smoke run: 2,000 persons, 200 cells for Presidio"
    )
    ap.add_argument("--sample", type=int, default=2000, help="cells given to Presidio")
    ap.add_argument("--no-growth", action="store_true", help="only N, not 2N and 4N")
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument(
        "--tables", type=int, default=500, help="also scan a database of this many small tables (0: skip)"
    )
    ap.add_argument(
        "--profile", action="store_true", help="py-spy profile of the scan at N (from .venv-bench)"
    )
    ap.add_argument("--work", type=Path, default=None, help="folder for the exports (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the exports")
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = ap.parse_args(argv)
    if args.quick:
        args.persons, args.sample, args.tables = 2000, 200, min(args.tables, 50)
    work = args.work or Path(tempfile.mkdtemp(prefix="breachscan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(json.dumps(info))
    try:
        startup = startup_seconds()
        factors = [1] if args.no_growth else [1, 2, 4]
        sizes: list[Measure] = []
        cmp = prof = None
        for f in factors:
            n = args.persons * f
            t0 = time.perf_counter()
            export = synth.generate(work / f"n{n}", n)
            print(
                f"generated {n:,} persons, {export.total_rows:,} rows in {time.perf_counter() - t0:.1f} s",
                flush=True,
            )
            m = measure(export, n, work / f"out{n}")
            sizes.append(m)
            print(
                f"N={n:,}: rows {m.rows:,}  floor {m.floor_s:.2f}s  scan {m.scan_s:.2f}s  {m.rows_per_s:,.0f} rows/s  "
                f"{m.mb_per_s:.2f} MB/s  RSS {m.peak_rss_mb:,.0f} MiB  scan/floor {m.scan_s / m.floor_s:.1f}  "
                f"CPU {m.scan_cpu_s:.1f}s  load {m.load:.1f}",
                flush=True,
            )
            if f == 1:
                if not args.no_presidio:
                    cmp = compare(export, args.sample, work)
                    print(json.dumps(cmp, default=str), flush=True)
                if args.profile:
                    prof = profile(export.folder, work / f"prof{n}", work)
            if not args.keep:
                shutil.rmtree(export.folder.parent, ignore_errors=True)
        many = None
        if args.tables:
            many = many_tables(work, args.tables)
            many.persons = args.tables  # the table count, shown in the table's first column
            print(
                f"{args.tables} tables, {many.rows:,} rows: scan {many.scan_s:.2f}s "
                f"({1000 * many.scan_s / args.tables:.0f} ms per table), floor {many.floor_s:.2f}s",
                flush=True,
            )
        text = markdown(
            info,
            sizes,
            startup,
            cmp,
            prof,
            "python -m benchmarks.run " + " ".join(argv or sys.argv[1:]),
            many,
        )
        args.results.write_text(text)
        print(text)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
