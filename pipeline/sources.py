"""Every input of a scan becomes a SourceResult: files, folders, archives, SQL dumps, live databases.

The reader is chosen by what the input is (URI scheme, magic bytes, then extension), never by a flag.
A file that cannot be read becomes an ``Unreadable`` naming the file and the cause, and the scan goes on;
a file that is read with losses (ragged rows, a guessed encoding) carries a per-table warning.

Nothing here writes to a source. Decompressed or transcoded copies go to a private session folder
(mode 0700) that is removed when the process exits. Error texts never carry cell values: third-party
messages are passed through ``safe_error`` which drops every quoted fragment.
"""

from __future__ import annotations

import atexit
import codecs
import csv
import fnmatch
import gzip
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline import documents, key_value
from pipeline.tables import (
    ROW,
    TABLE_THREADS,
    DeclaredLink,
    SourceResult,
    Table,
    Unreadable,
    strings_only,
    unnest_structs,
)

log = logging.getLogger("breachscan")

DB_SCHEMES = ("postgresql://", "postgres://", "mysql://", "mariadb://", "sqlite://")
DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 1 << 24  # 16 MiB: streaming copy / encoding check unit
_BLOCK = 1 << 26  # 64 MiB pyarrow block; retried larger when one record is bigger than a block
_DATA_SUFFIXES = {
    ".csv",
    ".tsv",
    ".tab",
    ".txt",
    ".dat",
    ".fwf",
    ".prn",
    ".asc",
    ".psv",
    ".parquet",
    ".pq",
    ".ndjson",
    ".jsonl",
    ".sql",
}
_DATA_SUFFIXES |= {
    ".gz",
    ".gzip",
    ".zip",
    ".tar",
    ".tgz",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".ods",
    ".db",
    ".sqlite",
    ".sqlite3",
}


# ---------------------------------------------------------------- limits and the private work folder


@dataclass(frozen=True)
class Limits:
    """Bounds on decompression, so a bomb stops with a clear error instead of filling the disk.

    Defaults come from the environment (BREACHSCAN_MAX_UNCOMPRESSED_BYTES, BREACHSCAN_MAX_RATIO,
    BREACHSCAN_MAX_MEMBERS) so an operator can raise them for a genuinely huge export.
    """

    max_uncompressed_bytes: int = field(
        default_factory=lambda: int(os.environ.get("BREACHSCAN_MAX_UNCOMPRESSED_BYTES", 64 << 30))
    )
    max_ratio: float = field(default_factory=lambda: float(os.environ.get("BREACHSCAN_MAX_RATIO", 200)))
    max_members: int = field(default_factory=lambda: int(os.environ.get("BREACHSCAN_MAX_MEMBERS", 100_000)))
    # a ratio check on tiny inputs is meaningless (a 100-byte gzip of 1 MB of commas is not a bomb)
    ratio_grace_bytes: int = 16 << 20


class LimitExceeded(Exception):
    """Decompression stopped: the input expands beyond the configured limits (a bomb, or limits too low)."""


class CorruptInput(Exception):
    """The input is damaged in a way that leaves nothing trustworthy to read (message names the cause)."""


_workdir: Path | None = None
_workdir_lock = threading.Lock()  # files are read a few at a time (load_sources): one folder for all of them


def workdir() -> Path:
    """The session's private folder for decompressed / transcoded copies; removed at exit."""
    global _workdir
    with _workdir_lock:
        if _workdir is None or not _workdir.exists():
            _workdir = Path(tempfile.mkdtemp(prefix="breachscan-"))  # mkdtemp: mode 0700, owner only
            atexit.register(shutil.rmtree, _workdir, True)
        return _workdir


def cleanup() -> None:
    """Remove the private folder now (the scanner calls this when a scan's outputs are written);
    frames from earlier load_sources calls that read copies in it are no longer usable."""
    global _workdir
    if _workdir is not None:
        shutil.rmtree(_workdir, ignore_errors=True)
        _workdir = None


def private_file(suffix: str = "") -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix, dir=workdir())
    os.close(fd)
    return Path(name)


# ---------------------------------------------------------------- safe error text

_QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|«[^»]*»", re.S)
_LONG_DIGITS = re.compile(r"\d{4,}")


# a quoted data type (polars' "cannot cast `map[str, str]` to `str`", arrow's <string>) is no value: kept, so the
# message says which type is the cause (until 2026-11-25 "cannot cast <value> to <value>")
_TYPE_NAME = re.compile(
    r"(?:map|list|struct|array|str|string|large_string|utf8|binary|bool|boolean|null|object|categorical|enum"
    r"|date|datetime|time|timestamp|duration|decimal|[iuf](?:8|16|32|64|128)|u?int\d*|float\d*|double)"
    r"(?:[\[(<][\w\s,:\[\]()<>]{0,80}[\])>])?",
    re.I,
)


def _keep_type(m: re.Match) -> str:
    inner = m.group(0)[1:-1]
    return m.group(0) if _TYPE_NAME.fullmatch(inner) else "<value>"


def safe_error(exc: BaseException) -> str:
    """A third-party error message without the data it may quote (polars quotes the offending field); a quoted
    data type is kept."""
    text = _QUOTED.sub(_keep_type, str(exc))
    # pyarrow appends the offending row after "got N:" without quotes
    text = re.sub(r"(got \d+)\s*:.*", r"\1", text, flags=re.S)
    text = _LONG_DIGITS.sub("<digits>", text)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first[:200]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


# ---------------------------------------------------------------- the common finishing step


def safe_name(name: str) -> str:
    """A column name polars will not read as a wildcard ("*"), a regex ("^...$") or our ROW column."""
    while name == "*" or name == ROW or (len(name) > 1 and name.startswith("^") and name.endswith("$")):
        name += "_"
    return name


# A "column name" that holds a value: a data row read as a header (an SSN, a card or account number, an e-mail).
# It is never shown: reports, exposure.json and logs name columns, and a name must not carry personal data.
VALUE_AS_NAME = re.compile(r"\d{5}|\d{3}\W{1,2}\d{2}\W{1,2}\d{4}|@\w")


# A header name this long, or holding a bare CR, is not a name: line breaks the reader did not see (a whole file read
# as its header line) or a value. Its text is never shown.
_LONGEST_NAME = 256


def _value_as_name(name: str) -> bool:
    return bool(VALUE_AS_NAME.search(name)) or len(name) > _LONGEST_NAME or "\r" in name.replace("\r\n", "")


def safe_columns(frame):
    """Rename the columns safe_name would change (header text is data: it can be anything), and columns whose
    name holds a value (VALUE_AS_NAME) to their position (column_3)."""
    names = frame.collect_schema().names()
    mapping: dict[str, str] = {}
    taken = set(names)
    for i, n in enumerate(names):  # one entry per column
        new = f"column_{i}" if _value_as_name(n) else safe_name(n)
        if new != n:
            while new in taken:
                new += "_"
            taken.add(new)
            mapping[n] = new
    return frame.rename(mapping) if mapping else frame


def as_strings(frame: pl.LazyFrame | pl.DataFrame) -> tuple[pl.LazyFrame, dict[str, str]]:
    """strings_only, and "" becomes null: CSV cannot tell them apart, so no source may (the same
    data must give the same counts whatever format it was exported in)."""
    lf, kinds = strings_only(safe_columns(frame))
    cols = [c for c in lf.collect_schema().names() if c != ROW]
    lf = lf.with_columns([pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in cols])
    return lf, kinds


# ---------------------------------------------------------------- content sniffing


def _head(path: Path, n: int = 65536) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _gunzip_head(path: Path, n: int = 65536) -> bytes:
    try:
        with gzip.open(path, "rb") as fh:
            return fh.read(n)
    except (OSError, EOFError, zlib.error):
        return b""


def sniff_kind(head: bytes, suffixes: list[str]) -> str:
    """What a file is, from its first bytes, then its extension: csv, parquet, ndjson, sql, xlsx, zip,
    tar, gzip, sqlite, binary, empty or unknown."""
    if not head:
        return "empty"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PGDMP"):
        return "pg_custom"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if any(s in (".xlsx", ".xlsm", ".ods") for s in suffixes) or b"xl/" in head[:4096]:
            return "xlsx"
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head[:200]:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0") and suffixes and suffixes[-1] == ".xls":
        return "xlsx"  # legacy Excel: calamine reads it too
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    if head.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")):
        return "binary"
    utf16 = "utf16" if any(s in (".json", ".ndjson", ".jsonl", ".sql") for s in suffixes) else "csv-utf16"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows writes UTF-16 with a byte-order mark (PowerShell's Out-File, Excel's "Unicode text"): JSON and
        # SQL are decoded and read as what they are, anything else as delimited text
        return utf16
    order = utf16_byte_order(head)
    if order:  # UTF-16 without the mark (some Windows export tools): read like UTF-16 with it
        return f"{utf16}-{order}"
    if _looks_binary(head):
        # NULs alone do not make a file binary: an export padded with NULs (a preallocated file, a block-padded
        # copy) is text once the padding is dropped. Until 2026-11-24 such a CSV was "binary content".
        text = NulPadding().feed(head.decode("latin-1"), final=True)
        if not text.strip():
            return "nul-only"
        if _looks_binary(text.encode("latin-1")):
            return "binary"
        inner = sniff_kind(text.encode("latin-1"), suffixes)
        if inner in ("sql", "ndjson", "json"):
            return f"nul-{inner}"  # read without the padding (_load_kind)
        return inner if inner in ("csv", "unknown") else "binary"
    last = suffixes[-1] if suffixes else ""
    if last in (".csv", ".tsv", ".tab", ".psv", *FIXED_WIDTH_SUFFIXES):
        return "csv"  # read_delimited tells fixed-width text (fixed_width) from delimited
    if last in (".ndjson", ".jsonl"):
        return "ndjson"
    if last == ".sql":
        return "sql"
    if last in (".parquet", ".pq"):
        return "binary"  # named parquet but no PAR1 magic
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _looks_like_sql(text):
        return "sql"
    if text.startswith(b"{"):
        return "ndjson"
    if last == ".json":
        return "json" if text.startswith(b"[") else "unknown"
    first_line = text.split(b"\n", 1)[0]
    if any(d.encode() in first_line for d in DELIMITERS):
        return "csv"
    return "unknown"


_SQL_START = re.compile(
    rb"^(--|/\*|SET |CREATE |INSERT |COPY |BEGIN|PRAGMA |DROP |LOCK |START TRANSACTION|USE )", re.I
)


def _looks_like_sql(text: bytes) -> bool:
    return bool(_SQL_START.match(text))


def utf16_byte_order(head: bytes) -> str | None:
    """The byte order ("le", "be") of a file that starts as UTF-16 text without a byte-order mark, else None.

    A header is mostly ASCII, so UTF-16 puts a NUL in every other byte of it: the high bytes (odd positions in
    little-endian, even in big-endian) are nearly all NUL and the low bytes nearly none. What decodes must still
    be text (few control characters), so a binary file of small 16-bit numbers stays binary."""
    sample = head[:512]
    end = sample.find(b"\x00\x00\x00\x00")  # two NUL characters in a row: padding after the text, not text
    if end >= 0:
        sample = sample[: end + end % 2]
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    for order, low, high in (("le", sample[0::2], sample[1::2]), ("be", sample[1::2], sample[0::2])):
        if high.count(0) >= 0.8 * pairs and low.count(0) <= 0.02 * pairs:
            text = sample.decode(f"utf-16-{order}", errors="replace")
            if text.count("\ufffd") <= 0.02 * pairs and not _looks_binary(text.encode("utf-8")):
                return order
    return None


# NUL padding: runs of NUL at the start of a record (the file's start, after a line break), right before a line
# break, and at the end of the file. A NUL inside a value is left where it is (detectors read it as no character).
_NUL_PADDING = re.compile(r"(?<=\n)\x00+|\x00+(?=[\r\n])")


class NulPadding:
    """Drops NUL padding from text that arrives in chunks, and counts what it dropped.

    Whether a run of NULs is padding can depend on the next chunk (a line break or the end of the file after
    it), so the run at a chunk's end is held back as a count, never as text: a file padded with gigabytes of NUL
    costs no memory."""

    def __init__(self) -> None:
        self.dropped = 0
        self._held = 0  # NULs at the end of the text so far, not yet placed
        self._prev = "\n"  # the last character given out; the file's start is the start of a record

    def feed(self, text: str, final: bool = False) -> str:
        out = ""
        if self._held:
            rest = text.lstrip("\x00")
            self._held += len(text) - len(rest)
            if not rest and not final:
                return ""
            if self._prev == "\n" or not rest or rest[0] in "\r\n":
                self.dropped += self._held
            else:  # inside a record: a value's own NULs
                out = "\x00" * self._held
            self._held, text = 0, rest
        body = text if final else text.rstrip("\x00")
        self._held = len(text) - len(body)
        if "\x00" in body:
            cleaned = _NUL_PADDING.sub("", self._prev + body)[1:]
            if final:
                cleaned = cleaned.rstrip("\x00")
            self.dropped += len(body) - len(cleaned)
            body = cleaned
        out += body
        if out:
            self._prev = out[-1]
        return out


def _looks_binary(head: bytes) -> bool:
    """Text has no NULs beyond a stray few and few control bytes; binary has many."""
    sample = head[:8192]
    if not sample:
        return False
    nul = sample.count(b"\x00")
    control = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 13, 12, 27, 0))
    return (nul + control) / len(sample) > 0.05


def _suffixes(name: str) -> list[str]:
    return [s.lower() for s in PurePosixPath(name).suffixes]


def stem(name: str) -> str:
    """customers.csv.gz -> customers; dump.2024.sql -> dump.2024 (only known data suffixes are stripped)."""
    base = PurePosixPath(name).name
    while True:
        suffix = PurePosixPath(base).suffix.lower()
        if suffix and suffix in _DATA_SUFFIXES | {".json", ".xls"} and base != suffix:
            base = base[: -len(suffix)]
        else:
            return base


# ---------------------------------------------------------------- streaming copies


def gunzip_to_private(path: Path, limits: Limits, display: str) -> Path:
    """Decompress a gzip stream into the private folder, stopping at the size / ratio limit."""
    compressed = max(path.stat().st_size, 1)
    out = private_file()
    total = 0
    try:
        with gzip.open(path, "rb") as src, open(out, "wb") as dst:
            while chunk := src.read(_CHUNK):
                total += len(chunk)
                _check_limits(total, compressed, limits, display)
                dst.write(chunk)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        out.unlink(missing_ok=True)
        raise CorruptInput(f"truncated or corrupt gzip stream ({type(exc).__name__})") from None
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out


def _check_limits(total: int, compressed: int, limits: Limits, display: str) -> None:
    if total > limits.max_uncompressed_bytes:
        raise LimitExceeded(
            f"decompression stopped: {display} expands beyond {limits.max_uncompressed_bytes} bytes "
            "(possible decompression bomb; raise BREACHSCAN_MAX_UNCOMPRESSED_BYTES if genuine)"
        )
    if total > limits.ratio_grace_bytes and total / compressed > limits.max_ratio:
        raise LimitExceeded(
            f"decompression stopped: {display} expands more than {limits.max_ratio:g}x "
            "(possible decompression bomb; raise BREACHSCAN_MAX_RATIO if genuine)"
        )


def _check_text(path: Path) -> tuple[bool, bool]:
    """(whether the file is UTF-8, whether it has NUL padding), in one streaming pass of C-speed scans. Padding is
    what NulPadding drops: NUL at the file's start or end, right after or before a line break."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, padded, last = True, False, b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if not padded and b"\x00" in chunk:
                seam = last + chunk[:1]  # a pair split between two chunks
                padded = any(p in chunk or p == seam for p in (b"\n\x00", b"\x00\n", b"\x00\r"))
            last = chunk[-1:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return utf8, padded or last == b"\x00"


def _latin_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    # cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined; Latin-1 maps every byte
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("breachscan-latin1", _latin_fallback)


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    # a byte that is not UTF-8 in a UTF-8 file: a value typed on a Windows machine (Lefèvre in cp1252 among
    # UTF-8 rows); each is read as Windows-1252, its undefined bytes as Latin-1
    return err.object[err.start : err.end].decode("cp1252", errors="breachscan-latin1"), err.end


codecs.register_error("breachscan-cp1252", _cp1252_fallback)


def transcode_to_private(
    path: Path,
    encoding: str,
    errors: str = "breachscan-latin1",
    target: str = "utf-8",
    cr_lines: bool = False,
) -> tuple[Path, int]:
    """A copy in `target` (UTF-8) in the private folder, without NUL padding; (the copy, how many NULs were
    dropped). Latin-1 to Latin-1 copies the bytes as they are, without the padding. `cr_lines`: a bare CR is a
    line break (cr_only_lines), written as LF."""
    out = private_file(".csv")
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    padding = NulPadding()
    held = ""  # a CR at a chunk's end: the first half of a CRLF, or a line break of its own

    def lines(text: str, final: bool = False) -> str:
        nonlocal held
        if not cr_lines:
            return text
        text, held = held + text, ""
        if not final and text.endswith("\r"):
            text, held = text[:-1], "\r"
        return text.replace("\r\n", "\n").replace("\r", "\n")

    with open(path, "rb") as src, open(out, "w", encoding=target, newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(padding.feed(lines(decoder.decode(chunk))))
        dst.write(padding.feed(lines(decoder.decode(b"", final=True), final=True), final=True))
    return out, padding.dropped


def cr_only_lines(head: str) -> bool:
    """Whether text ends its lines with a bare CR (classic Mac OS, Excel for Mac's "CSV (Macintosh)"): its first
    line break is a CR not followed by LF. polars' CSV reader knows only LF: such a file was one header line, its
    values column names (until 2026-11-25)."""
    cr = head.find("\r")
    return cr >= 0 and "\n" not in head[:cr] and head[cr + 1 : cr + 2] not in ("\n", "")


NOT_UTF8_WARNING = "file is not valid UTF-8; the bytes that are not read as Windows-1252 (Latin-1)"
CR_LINES_WARNING = "lines end with a bare CR (classic Mac OS, Excel's CSV (Macintosh)); read as line breaks"


def utf16_codec(kind: str) -> tuple[str, str]:
    """(codec, warning) of a UTF-16 kind: "csv-utf16" / "utf16" carry a byte-order mark, "-le" / "-be" do not."""
    if kind.endswith(("-le", "-be")):
        order = "little" if kind.endswith("-le") else "big"
        return (
            f"utf-16-{kind[-2:]}",
            f"file is UTF-16 ({order}-endian) without a byte-order mark; read as UTF-16",
        )
    return "utf-16", "file is UTF-16; read as UTF-16"


def padding_warning(dropped: int) -> list[str]:
    if not dropped:
        return []
    return [f"{dropped} NUL characters of padding (between records or at the end of the file) dropped"]


# ---------------------------------------------------------------- delimited text


def sniff_delimiter(first_line: str, suffixes: list[str]) -> str:
    """The delimiter is the candidate seen most often in the header line outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return "\t" if suffixes and suffixes[-1] in (".tsv", ".tab") else ","
    if suffixes and suffixes[-1] in (".tsv", ".tab") and counts["\t"] == best:
        return "\t"
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def scratch_pool() -> pa.MemoryPool:
    """The Arrow memory pool for passes whose buffers are all freed at the end (the row-shape check).

    pyarrow's default pool (mimalloc in the PyPI wheels) kept about 0.6 GB of a 5 M-row export's shape-check
    blocks after the check, for the rest of the scan: the scan's peak RSS was 0.4-0.7 GB higher than with
    jemalloc's pool (docs/scale.md). jemalloc where the wheel has it, else the C allocator. Not set as the
    process default: a scan runs inside other programs (Airflow)."""
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # a pyarrow built without jemalloc
        return pa.system_memory_pool()
    # freed pages go back to the system at once, not after jemalloc's decay time: release_unused alone still
    # left 0.5-0.7 GB of a 5 M-row export's blocks resident after the check (the read stage's peak; nothing
    # else in the process allocates from pyarrow's jemalloc, so nothing else waits on this)
    pa.jemalloc_set_decay_ms(0)
    return pool


def _count_ragged(path: Path, sep: str, ncols: int, skip: int = 0) -> int:
    """Rows with the wrong number of fields, quote-aware, in one streaming pass (pyarrow calls the
    handler for exactly those rows; polars has no such hook)."""
    # a pool of this call's own (proxy: it counts what this call holds and allocates from scratch_pool)
    pool = pa.proxy_memory_pool(scratch_pool())
    try:
        return _count_ragged_in(pool, path, sep, ncols, skip)
    finally:
        # the reader reads ahead in pyarrow's I/O threads, and that last read may still hold a block after the
        # reader is closed: wait for it (milliseconds), so no block outlives the call (a process exiting right
        # after a read aborted in jemalloc's teardown); then the freed blocks go back to the system
        deadline = time.monotonic() + 5.0
        while pool.bytes_allocated() and time.monotonic() < deadline:
            time.sleep(0.002)
        scratch_pool().release_unused()


def _count_ragged_in(pool: pa.MemoryPool, path: Path, sep: str, ncols: int, skip: int) -> int:
    bad = [0]

    def handler(_row) -> str:  # never look at row.text: it is raw data
        bad[0] += 1
        return "skip"

    names = [f"c{i}" for i in range(ncols)]
    block = _BLOCK
    while True:
        bad[0] = 0
        try:
            # the file opened with the pool too: the reader's block buffers come from the file's pool
            with pa.OSFile(str(path), "r", memory_pool=pool) as source:
                reader = pacsv.open_csv(
                    source,
                    read_options=pacsv.ReadOptions(
                        block_size=block, use_threads=False, column_names=names, skip_rows=1 + skip
                    ),
                    parse_options=pacsv.ParseOptions(
                        delimiter=sep, newlines_in_values=True, invalid_row_handler=handler
                    ),
                    # binary: no type inference, no UTF-8 check (already done), nothing converted
                    convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.binary())),
                    memory_pool=pool,
                )
                try:
                    for _batch in reader:
                        pass
                finally:
                    reader.close()  # no further read-ahead (the last one in flight is waited for in _count_ragged)
            return bad[0]
        except pa.ArrowInvalid as exc:
            if "straddle" in str(exc) and block < (1 << 31):
                block *= 4
                continue
            raise


@dataclass
class _Prepared:
    path: Path
    warnings: list[str] = field(default_factory=list)


def _prepare_text(path: Path, kind: str) -> _Prepared:
    """A UTF-8 copy when the file is not UTF-8 already (the original is never touched)."""
    if kind.startswith("csv-utf16"):
        codec, warning = utf16_codec(kind)
        cr = cr_only_lines(_head(path).decode(codec, errors="replace"))
        copy, dropped = transcode_to_private(path, codec, cr_lines=cr)
        return _Prepared(copy, [warning, *padding_warning(dropped), *([CR_LINES_WARNING] if cr else [])])
    utf8, padded = _check_text(path)
    cr = cr_only_lines(_head(path).decode("latin-1"))
    said = [CR_LINES_WARNING] if cr else []
    if utf8 and not padded and not cr:
        return _Prepared(path)
    if utf8:  # a copy without the NUL padding (a NUL inside a value stays), with LF line breaks
        copy, dropped = transcode_to_private(path, "utf-8", errors="strict", cr_lines=cr)
        return _Prepared(copy, [*padding_warning(dropped), *said])
    # byte by byte: what is UTF-8 stays UTF-8 and only the bytes that are not are read as Windows-1252, so one
    # value typed on another machine leaves the file's other accents (José, Zoë) as they are. Until 2026-11-24 the
    # whole file was read as Windows-1252: every UTF-8 name became mojibake and the name columns were lost. A file
    # wholly in Windows-1252 reads the same either way (its accented bytes are not UTF-8).
    copy, dropped = transcode_to_private(path, "utf-8", errors="breachscan-cp1252", cr_lines=cr)
    return _Prepared(
        copy,
        [NOT_UTF8_WARNING, *padding_warning(dropped), *said],
    )


HEADER_VALUE = re.compile(r"\d{5,}|@\w|^\d{1,4}[-/]\d{1,2}[-/]\d{1,4}$|^\d+([.,]\d+)?$")


def looks_like_header(first_line: str, sep: str) -> bool:
    """A header names columns; a line with long numbers, e-mail addresses, dates or bare numbers is a data row."""
    cells = next(csv.reader([first_line.strip("\ufeff\r\n")], delimiter=sep, quotechar='"'), [])
    return cells_look_like_header(cells)


def cells_look_like_header(cells: list[str | None]) -> bool:
    return not any(HEADER_VALUE.search(c.strip()) for c in cells if c)


# `split` and export tools cut a large table into parts: customers_part1.csv, customers_part_2.csv, customers-001.csv,
# customers_002.csv, customers_chunk3.csv, customers_0.csv, users.csv.part_aa / .part_ab, users.csv.1. Often only the
# first part keeps the header.
PART_SUFFIX = re.compile(r"[._-](?:(?:part|chunk|split|piece)[._-]?)?(\d{1,5}|[a-z]{2})$", re.IGNORECASE)
EXTRACTED = re.compile(r"^\d{6}-")  # archives._private_name


def split_part(file_name: str) -> tuple[str, tuple[int, int | str]] | None:
    """(the table's name, the part's place) of a file named like a part of a split file, else None:
    customers_part2.csv.gz -> ("customers", (0, 2)); users.csv.part_ab -> ("users", (1, "ab"))."""
    name = stem(file_name)
    m = PART_SUFFIX.search(name)
    if not m:
        return None
    base = stem(name[: m.start()])
    if not base:
        return None
    index = m.group(1)
    return base, ((0, int(index)) if index.isdigit() else (1, index.lower()))


def _file_name(display: str) -> str:
    """export/customers.csv, a.zip!db/customers.csv, a.zip!customers.csv -> customers.csv"""
    return re.split(r"[/!]", display)[-1]


def _beside(display: str, file_name: str) -> str:
    """The display of `file_name` in the folder (or archive folder) of `display`."""
    return display[: len(display) - len(_file_name(display))] + file_name


# Where a sequence of parts starts: part 0 or 1 (aa for split's letters), or part 2 (ab) after a file of the bare name
# (users.csv, users.csv.1, ...). customers_2023.csv and customers_2024.csv, or orders_mi.csv and orders_oh.csv, are not
# the parts of one file: a split numbers its parts from the start.
_FIRST_PARTS = ((0, 0), (0, 1), (1, "aa"))
_FIRST_PARTS_AFTER_BARE = ((0, 2), (1, "ab"))


def split_groups(files: Sequence[tuple[str, str]]) -> list[list[int]]:
    """The files (folder, file name) grouped into the parts of one split table, each group in part order, every other
    file a group of its own; groups in the order of their first file in `files`. Only names decide here (the Spark
    driver plans with it before anything is read); join_parts then checks the columns.

    Parts are files of one folder whose names differ only in a part suffix (split_part), numbered from the start
    (_FIRST_PARTS), each place taken once, plus a file of the bare name (users.csv beside users.csv.1) as the first."""
    parts: dict[tuple[str, str], list[tuple[tuple[int, int | str], int]]] = {}
    bare: dict[tuple[str, str], list[int]] = {}
    for i, (folder, name) in enumerate(files):  # one entry per file
        part = split_part(name)
        if part:
            parts.setdefault((folder, part[0]), []).append((part[1], i))
        else:
            bare.setdefault((folder, stem(name)), []).append(i)
    grouped: dict[int, list[int]] = {}
    for key, found in parts.items():  # one entry per candidate table
        places = [place for place, _ in found]
        if len({kind for kind, _ in places}) > 1 or len(set(places)) < len(places):
            continue  # customers_01 beside customers_ab, or two files claiming one place: no order to read them in
        first = bare.get(key, [])
        start = min(places)
        if not (start in _FIRST_PARTS or (len(first) == 1 and start in _FIRST_PARTS_AFTER_BARE)):
            continue
        members = first[:1] if len(first) == 1 else []
        members += [i for _, i in sorted(found)]
        if len(members) > 1:
            grouped[min(members)] = members
    taken = {i for members in grouped.values() for i in members}
    out = []
    for i in range(len(files)):  # one entry per file
        if i in grouped:
            out.append(grouped[i])
        elif i not in taken:
            out.append([i])
    return out


def _header_of_first_part(
    path: Path, display: str, first_line: str, sep: str
) -> tuple[str, list[str]] | None:
    """(file, column names) of the part with the header, for a headerless part of a split file: a file beside it
    of the same name but its part suffix whose first line is a header with as many columns. Without it the part's
    names and numbers are never linked (445.63(p)), so its people count for nobody."""
    width = len(next(csv.reader([first_line.strip("\ufeff\r\n")], delimiter=sep, quotechar='"'), []))
    own = EXTRACTED.sub("", path.name)  # an archive member's copy: 000002-customers_002.csv
    part = split_part(own)
    if part is None or not path.parent.is_dir():
        return None  # not named like a part
    base = part[0]
    for sibling in sorted(path.parent.iterdir()):  # one entry per file of the folder
        if sibling == path or sibling.name.startswith(".") or not sibling.is_file():
            continue
        other = EXTRACTED.sub("", sibling.name)
        theirs = split_part(other)
        if (theirs[0] if theirs else stem(other)) != base:
            continue
        try:
            with open(sibling, encoding="utf-8", errors="replace") as fh:
                line = fh.readline(1 << 20)
        except OSError:
            continue
        cells = next(csv.reader([line.strip("\ufeff\r\n")], delimiter=sep, quotechar='"'), [])
        if len(cells) == width and cells_look_like_header(cells) and all(c.strip() for c in cells):
            return _beside(display, other), [c.strip() for c in cells]
    return None


# mysqldump --tab (and SELECT ... INTO OUTFILE beside a schema dump) writes each table as X.sql (its CREATE TABLE, no
# rows) and X.txt (its rows: tab-separated, no header, \N for NULL). A schema file is read only when it is small.
_TAB_SCHEMA_BYTES = 4 << 20


def _sibling(path: Path, file_name: str) -> Path | None:
    """The file `file_name` (case-insensitive) in the folder of `path`; an archive member's copy
    (000002-customers.sql) counts by its own name."""
    if not path.parent.is_dir():
        return None
    for other in sorted(path.parent.iterdir()):  # one entry per file of the folder
        if other != path and other.is_file() and EXTRACTED.sub("", other.name).lower() == file_name.lower():
            return other
    return None


def _first_line_width(path: Path) -> int:
    """How many fields the first line of a delimited file has (its delimiter sniffed), 0 when it is blank."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            line = fh.readline(1 << 20).strip("\ufeff\r\n")
    except OSError:
        return 0
    if not line:
        return 0
    return len(line.split(sniff_delimiter(line, [".txt"])))


def _schema_columns(table: Table) -> list[str]:
    """The columns a dump's CREATE TABLE declares (not the joined columns of composite keys added after)."""
    return [c for c in table.source_types if c != ROW]


def _is_tab_schema(table: Table, base: str, width: int) -> bool:
    """Whether `table` (read from base.sql) is the schema of the rows of base.txt: the same name, no rows of its own,
    as many columns as the .txt's first line has fields."""
    if table.name.rsplit(".", 1)[-1].lower() != base.lower() or len(_schema_columns(table)) != width:
        return False
    return table.frame.select(pl.len()).collect().item() == 0


def _tab_schema(path: Path, display: str) -> tuple[str, Table] | None:
    """(the .sql file, its table) whose CREATE TABLE names the columns of a headerless X.txt beside X.sql (mysqldump
    --tab): the .txt's rows are that table's rows (until 2026-11-25 they were a table of column_0 ... column_N, whose
    names and numbers were never linked, and the .sql's foreign keys resolved to it and stopped the scan)."""
    own = EXTRACTED.sub("", path.name)
    if _suffixes(own)[-1:] != [".txt"]:
        return None
    base = stem(own)
    sql = _sibling(path, base + ".sql")
    if sql is None or sql.stat().st_size > _TAB_SCHEMA_BYTES:
        return None
    width = _first_line_width(path)
    from pipeline import dumps

    sql_display = _beside(display, EXTRACTED.sub("", sql.name))
    found = [t for t in dumps.read_dump(sql, sql_display).tables if _is_tab_schema(t, base, width)]
    return (EXTRACTED.sub("", sql.name), found[0]) if len(found) == 1 else None


def _without_tab_schemas(result: SourceResult, path: Path) -> SourceResult:
    """A dump X.sql without the rowless table X whose rows are in X.txt beside it (_tab_schema reads them with its
    columns and keys): one table, not an empty one beside a table of the same name."""
    own = EXTRACTED.sub("", path.name)
    if _suffixes(own)[-1:] != [".sql"]:
        return result
    base = stem(own)
    txt = _sibling(path, base + ".txt")
    if txt is None or path.stat().st_size > _TAB_SCHEMA_BYTES:
        return result
    width = _first_line_width(txt)
    result.tables = [t for t in result.tables if not _is_tab_schema(t, base, width)]
    return result


_SAMPLE_LINES = 200  # lines read to find the header below title or comment lines (_header_line)


def _cells(line: str, sep: str) -> list[str]:
    try:
        return next(csv.reader([line.strip("\ufeff\r\n")], delimiter=sep, quotechar='"'), [])
    except csv.Error:  # a field longer than the csv module's limit: the fields, without quote handling
        return line.strip("\ufeff\r\n").split(sep)


def _title_line(line: str, cells: list[str], width: int) -> bool:
    """Whether a line above the header is a title, a comment or blank: it starts with '#', or fills at most half
    the rows' width (a report title, `Run date: ...,,`, `Report:,Customer Extract`, `,,,,`)."""
    if line.lstrip("\ufeff").startswith("#") and len(cells) < width:
        return True  # a comment; a header "#,name,ssn" (a row-number column named #) is as wide as the rows
    filled = sum(1 for c in cells if c.strip())
    return filled <= max(1, width // 2) if width > 1 else not filled


def _header_line(sample: list[str], suffixes: list[str]) -> tuple[int, str] | None:
    """(how many lines above the header, the delimiter) when a delimited file starts with title, comment or blank
    lines (report writers, ETL tools, R's write.table with comments), else None (line 1 is the header).

    The rows' width is the modal field count of the sample's lines (comments and blank lines aside), for the
    delimiter that gives the most lines that width; the header is the first line that is not a title
    (_title_line) for that width. Until 2026-11-25 line 1 was the header, and every row was cut to its first
    field: every SSN and name dropped, silently."""
    body = [ln for ln in sample if ln.strip("\ufeff \t\r\n") and not ln.lstrip("\ufeff").startswith("#")]
    best: tuple[int, int, int] | None = None  # (lines of the modal width, the width, -delimiter rank)
    sep = ""
    for rank, d in enumerate(DELIMITERS):  # one entry per candidate delimiter
        widths = [len(_cells(ln, d)) for ln in body]
        widths = [w for w in widths if w > 1]
        if not widths:
            continue
        width = max(set(widths), key=lambda w: (widths.count(w), w))
        key = (widths.count(width), width, -rank)
        if best is None or key > best:
            best, sep = key, d
    if best is None:
        return None
    width = best[1]
    if suffixes and suffixes[-1] in (".tsv", ".tab") and any(len(_cells(ln, "\t")) == width for ln in body):
        sep = "\t"
    for k, line in enumerate(sample):  # the lines above the header only
        cells = _cells(line, sep)
        if _title_line(line, cells, width):
            continue
        if not k:
            return None
        # a sparse first row of a headerless file is no title: lines other than comments and blank lines are
        # skipped only above a line that names columns
        comments = all(
            not ln.strip("\ufeff \t\r\n") or ln.lstrip("\ufeff").startswith("#") for ln in sample[:k]
        )
        return (k, sep) if comments or cells_look_like_header(cells) else None
    return None


_PAGE_LINE = r"(?i)^\s*-?\s*page\s*\d+(?:\s*(?:of|/)\s*\d+)?\s*-?\s*$"


def _page_lines(names: list[str], header: list[str]) -> tuple[pl.Expr, pl.Expr]:
    """(a row that repeats the header, a row that is a page line) of a paged report (report writers and mainframe
    print-to-file exports repeat the header on every page, under a `Page N` line). Until 2026-11-25 they were rows:
    a key column holding its own name on every page is no longer unique, and no link was inferred from it."""
    if header:
        repeated = pl.all_horizontal(
            [
                pl.col(c).str.strip_chars().fill_null("") == h.strip()
                for c, h in zip(names, header, strict=True)
            ]
        )
    else:
        repeated = pl.lit(False)
    filled = pl.sum_horizontal([pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "") for c in names])
    page = pl.any_horizontal([pl.col(c).str.contains(_PAGE_LINE).fill_null(False) for c in names])
    return repeated, (filled == 1) & page if len(names) > 1 else pl.lit(False)


def read_delimited(path: Path, display: str, name: str, kind: str = "csv") -> SourceResult:
    prepared = _prepare_text(path, kind)
    src = prepared.path
    sample: list[str] = []
    size = 0  # the sample stops at 1 MiB too (a 50 MB field is not read into it)
    with open(src, encoding="utf-8", errors="replace") as fh:
        while len(sample) < _SAMPLE_LINES and size < (1 << 20) and (line := fh.readline(1 << 20)):
            sample.append(line)
            size += len(line)
    first_line = sample[0] if sample else ""
    warnings = list(prepared.warnings)
    skip = lines = 0  # rows (quote-aware) / lines above the header
    hint = re.match(r"^\ufeff?sep=(.)\s*$", first_line)
    try:
        fixed = None if hint else fixed_width(path, display, sample)
    except Exception as exc:  # noqa: BLE001 - a layout or sample that fails the sniffing: read as delimited text
        log.warning("%s: fixed-width check failed (%s); read as delimited text", display, safe_error(exc))
        fixed = None
    if fixed:  # no delimiter: fields padded to fixed positions (a mainframe, bank-core or payroll extract)
        return read_fixed_width(src, display, name, fixed, warnings)
    above = None if hint else _header_line(sample, _suffixes(display))
    if not first_line.strip("\ufeff \t\r\n") and above is None:
        return SourceResult(unreadable=[Unreadable(display, "no header row (file starts with a blank line)")])
    if hint:  # Excel's "sep=;" first line names the delimiter; the header is the next line
        sep, skip = hint.group(1), 1
        first_line = sample[1] if len(sample) > 1 else ""
        warnings.append(f"first line 'sep={sep}' (Excel's delimiter hint) read as the delimiter and skipped")
    elif above:
        lines, sep = above
        first_line = sample[lines]
        warnings.append(
            f"header on line {lines + 1}: {lines} title, comment or blank line(s) above it skipped"
        )
    else:
        sep = sniff_delimiter(first_line, _suffixes(display))
    header = looks_like_header(first_line, sep)
    borrowed: tuple[str, list[str]] | None = None
    schema = None if hint else _tab_schema(path, display)
    if schema:
        header, borrowed = False, (schema[0], _schema_columns(schema[1]))
        warnings.append(
            f"no header row: rows of the CREATE TABLE in {schema[0]} beside it (mysqldump --tab), its columns and "
            "keys; \\N read as NULL"
        )
    elif not header:
        # the first line holds values: reading it as a header would turn an SSN into a column name
        borrowed = _header_of_first_part(path, display, first_line, sep)
        if borrowed:
            warnings.append(
                f"no header row: the first line holds values; a later part of a split file, its columns named by "
                f"the header of {borrowed[0]} (same name, same number of columns)"
            )
        else:
            warnings.append(
                "no header row: the first line holds values; columns are named by position (column_0, column_1, "
                "...)"
            )

    lf = pl.scan_csv(
        src,
        separator=sep,
        has_header=header,
        skip_rows=skip,
        skip_lines=lines,
        infer_schema=False,
        truncate_ragged_lines=True,
        raise_if_empty=False,
        # mysqldump --tab quotes nothing and writes NULL as \N
        quote_char=None if schema else '"',
        null_values=["\\N"] if schema else None,
    )
    if borrowed:
        lf = lf.rename(dict(zip(lf.collect_schema().names(), borrowed[1], strict=True)))
    own_names = lf.collect_schema().names()
    lf = safe_columns(lf)
    try:
        names = lf.collect_schema().names()
        ncols = len(names)
        repeated, paged = _page_lines(names, own_names if header else [])
        # a full parse now, so a malformed file fails here (and is reported) and not inside the scanner; the lines
        # of a paged report counted in the same pass
        furniture = lf.select(repeated.sum().alias("h"), paged.sum().alias("p")).collect() if ncols else None
    except Exception as exc:  # noqa: BLE001 - any parse failure: fall back to the tolerant reader
        return _read_delimited_tolerant(src, display, name, sep, warnings, exc, skip + lines)
    headers, pages = furniture.row(0) if furniture is not None else (0, 0)
    if headers or pages:
        lf = lf.filter(~(repeated | paged))
        warnings.append(
            f"a paged report: {headers} repeated header line(s) and {pages} page line(s) (Page N) dropped"
        )

    try:
        ragged = _count_ragged(src, sep, ncols, skip + lines) if ncols else 0
    except Exception as exc:  # noqa: BLE001
        ragged = 0
        warnings.append(f"row shape check skipped ({safe_error(exc)})")
    ragged = max(ragged - pages, 0)  # a page line is one field wide: said above
    if ragged:
        warnings.append(
            f"{ragged} rows could not be parsed cleanly (wrong number of fields); "
            "read truncated or padded with nulls"
        )
    # blank lines come through as all-null rows: they carry nothing
    lf = lf.filter(~pl.all_horizontal(pl.all().is_null())) if ncols else lf
    frame, kinds = as_strings(lf)
    if schema:
        own = schema[1]
        kinds.update({c: t for c, t in own.source_types.items() if c in kinds})  # the declared types
        links = [
            DeclaredLink(name, d.from_column, d.to_table, d.to_column)
            for d in own.declared_links
            if d.from_table == own.name
        ]
        return SourceResult(
            tables=[Table(name, display, frame, kinds, links, list(own.primary_key), warnings=warnings)]
        )
    return SourceResult(tables=[Table(name, display, frame, kinds, warnings=warnings)])


def _read_delimited_tolerant(
    src: Path, display: str, name: str, sep: str, warnings: list[str], cause: Exception, skip: int = 0
) -> SourceResult:
    """polars refused the file (typically an unterminated quote): read the rows pyarrow can, skip the rest."""
    bad = [0]

    def handler(_row) -> str:
        bad[0] += 1
        return "skip"

    try:
        table = pacsv.read_csv(
            src,
            read_options=pacsv.ReadOptions(block_size=_BLOCK, skip_rows=skip),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, invalid_row_handler=handler
            ),
        )
        table = table.cast(pa.schema([(f.name, pa.string()) for f in table.schema]))
    except Exception as exc:  # noqa: BLE001
        return SourceResult(
            unreadable=[
                Unreadable(
                    display, f"not parseable as delimited text: {safe_error(cause)}; {safe_error(exc)}"
                )
            ]
        )
    df = pl.from_arrow(table)
    assert isinstance(df, pl.DataFrame)
    df = safe_columns(df).with_columns(pl.all().replace("", None))
    warnings = [*warnings, f"malformed quoting ({safe_error(cause)}); read with a tolerant parser"]
    if bad[0]:
        warnings.append(f"{bad[0]} rows could not be parsed (wrong number of fields) and were skipped")
    frame, kinds = as_strings(df)
    return SourceResult(tables=[Table(name, display, frame, kinds, warnings=warnings)])


# ---------------------------------------------------------------- fixed-width text

# Mainframe, bank-core and payroll extracts: every record the same length, fields padded with spaces, no delimiter
# (`DOE       JOHN      385221934MI48104`), often with a layout beside them. Until 2026-11-25 such a file was one
# free-text column: its names and numbers were never linked, and its SSNs counted for nobody, without a word.
FIXED_WIDTH_SUFFIXES = (".txt", ".dat", ".fwf", ".prn", ".asc")
# a layout beside customers.dat: customers.layout (name,start,length / name,start,end, or whitespace-separated),
# customers.fmt (the same, or a bcp format file), customers.cpy (a COBOL copybook of PIC clauses)
LAYOUT_SUFFIXES = (
    ".layout",
    ".lay",
    ".fmt",
    ".layout.csv",
    "_layout.csv",
    ".layout.txt",
    "_layout.txt",
    ".fmt.csv",
    ".cpy",
    ".copybook",
)
_LAYOUT_BYTES = 1 << 20  # a layout is small; a bigger file of that name is not one
_FIXED_SHARE = 0.8  # of the sampled records that must have the modal length


@dataclass
class FixedWidth:
    """How a fixed-width file is cut: (column, start, length or None for the rest of the line)."""

    fields: list[tuple[str, int, int | None]]
    skip: int  # lines above the first record (a header line of column names)
    width: int  # the record length, 0 when unknown
    warning: str


def _own_name(path: Path) -> str:
    return EXTRACTED.sub("", path.name)


def _layout_file(path: Path) -> Path | None:
    """The layout beside a data file (customers.dat -> customers.layout, customers.fmt, ...), case-insensitive. Only a
    file that can be fixed-width text has one (a .csv has none), and the names are looked up, not the folder listed:
    a folder of 10 000 extracts is not listed 10 000 times. An archive member's copy (000002-customers.dat) has
    siblings of other numbers: its folder (one folder of the archive) is listed."""
    own = _own_name(path)
    last = (_suffixes(own)[-1:] or [""])[0]
    if (last and last not in FIXED_WIDTH_SUFFIXES) or not path.parent.is_dir():
        return None
    base = stem(own)
    if own == path.name:
        for suffix in LAYOUT_SUFFIXES:  # one entry per layout name
            for name in dict.fromkeys((base + suffix, base + suffix.upper(), (base + suffix).lower())):
                other = path.parent / name
                if other.is_file() and other.stat().st_size <= _LAYOUT_BYTES:
                    return other
        return None
    found = {}
    for other in sorted(path.parent.iterdir()):  # one entry per file of an archive's folder
        name = _own_name(other).lower()
        rest = name[len(base) :]
        if other != path and name.startswith(base.lower()) and rest in LAYOUT_SUFFIXES and other.is_file():
            if other.stat().st_size <= _LAYOUT_BYTES:
                found[LAYOUT_SUFFIXES.index(rest)] = other
    return found[min(found)] if found else None


def layout_data_file(path: Path) -> Path | None:
    """The fixed-width data file whose layout `path` is (customers.layout beside customers.dat), else None: the
    layout is read with its data file and is no table of its own."""
    name = _own_name(path).lower()
    suffix = next((s for s in LAYOUT_SUFFIXES if name.endswith(s) and len(name) > len(s)), None)
    if suffix is None or not path.parent.is_dir() or path.stat().st_size > _LAYOUT_BYTES:
        return None
    base = name[: -len(suffix)]
    for other in sorted(path.parent.iterdir()):  # one entry per file of the folder
        own = _own_name(other).lower()
        if other == path or not other.is_file() or stem(own).lower() != base:
            continue
        if (_suffixes(own)[-1:] or [""])[0] in FIXED_WIDTH_SUFFIXES and _layout_file(other) == path:
            return other if read_layout(path) else None
    return None


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{1,7}", text.strip()) else None


def _copybook(text: str) -> list[tuple[str, int, int]] | None:
    """(name, start, length) of a COBOL copybook's elementary items in display format (PIC X(10), 9(5)V99)."""
    fields, pos = [], 0
    body = re.sub(r"(?m)^.{6}\*.*$", "", text)  # comment lines (an asterisk in column 7)
    for m in re.finditer(
        r"\b(\d{2})\s+([A-Za-z0-9][\w-]*)((?:\s+(?!PIC\b|PICTURE\b)[^.\s]+)*)\s+PIC(?:TURE)?\s+(?:IS\s+)?(\S+?)"
        r"((?:\s+[^.\s]+)*)\s*\.(?:\s|$)",
        body,
        re.I,
    ):
        extra = (m.group(3) + " " + m.group(5)).upper()
        if re.search(r"\b(?:REDEFINES|OCCURS|COMP|COMPUTATIONAL|BINARY|PACKED-DECIMAL|SEPARATE)", extra):
            return None  # not one text field at one place: the layout cannot be cut by position
        pic = re.sub(r"(.)\((\d+)\)", lambda p: p.group(1) * int(p.group(2)), m.group(4).upper())
        length = len(re.sub(r"[SV]", "", pic))
        if not length:
            return None
        name = m.group(2)
        fields.append(("" if name.upper() == "FILLER" else name, pos, length))
        pos += length
    return fields or None


def _bcp_format(lines: list[list[str]]) -> list[tuple[str, int, int]] | None:
    """A bcp (SQL Server) non-XML format file of fixed-length fields: `1 SQLCHAR 0 10 "" 1 LastName collation`."""
    rows = [t for t in lines if len(t) >= 7 and t[1].upper().startswith("SQL") and t[0].isdigit()]
    if not rows:
        return None
    fields, pos = [], 0
    for i, t in enumerate(rows):  # one entry per field of the layout
        length, end = _number(t[3]), t[4].strip('"')
        if length is None or (end and not (i == len(rows) - 1 and end in ("\\r\\n", "\\n"))):
            return None  # a prefix length or a terminator: delimited, not fixed-width
        fields.append((t[6].strip('"'), pos, length))
        pos += length
    return fields


_LAYOUT_WORDS = {
    "name": r"name|field|column|col|item",
    "start": r"start|from|begin|pos|position|offset|beg",
    "length": r"length|len|width|size|bytes",
    "end": r"end|to|stop|last",
}


def read_layout(path: Path) -> list[tuple[str, int, int]] | None:
    """(name, 0-based start, length) of each field a layout file names, in order of position; None when the file is
    not a layout (fewer than 2 fields, a field of no length, fields overlapping)."""
    try:
        text = path.read_bytes()[:_LAYOUT_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return None
    if re.search(r"\bPIC(?:TURE)?\b", text, re.I):
        fields = _copybook(text)
    else:
        lines = [
            ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith(("#", "--", "//"))
        ]
        sep = next((d for d in DELIMITERS if lines and all(d in ln for ln in lines)), None)
        rows = [
            [c.strip() for c in (_cells(ln, sep) if sep else re.findall(r'"[^"]*"|\S+', ln))] for ln in lines
        ]
        fields = _bcp_format(rows) if not sep else None
        if fields is None:
            fields = _layout_table(rows)
    if not fields or len(fields) < 2 or any(length <= 0 for _, _, length in fields):
        return None
    fields = sorted(fields, key=lambda f: f[1])
    if any(a[1] + a[2] > b[1] for a, b in zip(fields, fields[1:], strict=False)):
        return None  # overlapping fields (a REDEFINES): no one way to cut a record
    return fields


def _layout_table(rows: list[list[str]]) -> list[tuple[str, int, int]] | None:
    """A layout as a table: name,start,length / name,start,end (a header saying which; else the one the starts
    agree with), or name,length (starts one after another)."""
    head = [c.lower() for c in rows[0]] if rows else []
    roles: dict[str, int] = {}
    if rows and not any(_number(c) is not None for c in rows[0]):
        for role, words in _LAYOUT_WORDS.items():  # one entry per role
            for i, cell in enumerate(head):
                if (
                    i not in roles.values()
                    and role not in roles
                    and re.search(rf"(?:^|[\W_])(?:{words})(?:$|[\W_])", cell)
                ):
                    roles[role] = i
        rows = rows[1:]
    if not rows:
        return None
    if "name" not in roles:
        roles["name"] = next((i for i, c in enumerate(rows[0]) if _number(c) is None), 0)
    numbers = [
        i
        for i in range(len(rows[0]))
        if i != roles["name"] and all(i < len(r) and _number(r[i]) is not None for r in rows)
    ]
    if "start" not in roles and "length" not in roles and "end" not in roles:
        if len(numbers) == 1:
            roles["length"] = numbers[0]
        elif len(numbers) >= 2:
            roles["start"] = numbers[0]
            starts = [_number(r[numbers[0]]) or 0 for r in rows]
            other = [_number(r[numbers[1]]) or 0 for r in rows]
            pairs = list(zip(starts, starts[1:], other, strict=False))
            as_length = sum(b == a + x for a, b, x in pairs)
            as_end = sum(b in (x, x + 1) for a, b, x in pairs)
            roles["length" if as_length >= as_end else "end"] = numbers[1]
        else:
            return None
    try:
        names = [r[roles["name"]].strip('"') for r in rows]
        if "start" in roles:
            starts = [int(r[roles["start"]]) for r in rows]
            if "length" in roles:
                lengths = [int(r[roles["length"]]) for r in rows]
            elif "end" in roles:
                ends = [int(r[roles["end"]]) for r in rows]
                # 1-based starts and inclusive ends (1-10, 11-20), or 0-based and exclusive (0-10, 10-20)
                exclusive = min(starts) == 0 and any(b == e for b, e in zip(starts[1:], ends, strict=False))
                lengths = [e - s + (0 if exclusive else 1) for s, e in zip(starts, ends, strict=True)]
            else:
                return None
            base = 0 if min(starts) == 0 else 1
            return [(n, s - base, ln) for n, s, ln in zip(names, starts, lengths, strict=True)]
        lengths = [int(r[roles["length"]]) for r in rows]
    except (ValueError, IndexError, KeyError):
        return None
    out, pos = [], 0
    for n, ln in zip(names, lengths, strict=True):  # one entry per field of the layout
        out.append((n, pos, ln))
        pos += ln
    return out


def _char_class(ch: str) -> str:
    return "d" if ch.isdigit() else "a" if ch.isalpha() else " " if ch == " " else "o"


def _field_starts(rows: list[str], width: int) -> tuple[list[int], set[int]]:
    """Where fields start in records of `width` characters: after a column of spaces common to every record, and
    where every record that has characters on both sides changes between digits and letters at the same place
    (`385221934MI48104`: an SSN, a state, a ZIP). (starts, the starts found by a change of type)."""
    blank = [all(r[p] == " " for r in rows) for p in range(width)]
    starts = [0] + [
        p for p in range(1, width) if blank[p - 1] and not blank[p] and not _words(rows, blank, p)
    ]
    typed = set()
    for p in range(1, width):  # one entry per character position of the record
        if blank[p - 1] or blank[p]:
            continue
        pairs = {(_char_class(r[p - 1]), _char_class(r[p])) for r in rows if r[p - 1] != " " and r[p] != " "}
        shown = sum(1 for r in rows if r[p - 1] != " " and r[p] != " ")
        if len(pairs) == 1 and next(iter(pairs)) in (("d", "a"), ("a", "d")) and shown * 2 >= len(rows):
            typed.add(p)
    return sorted(set(starts) | typed), typed


def _words(rows: list[str], blank: list[bool], p: int) -> bool:
    """Whether the one column of spaces before `p` is the space between two words of one value (`MARY ANN`): a
    record has letters (or digits) right on both sides of it. Padding between fields is wider, or parts a state
    from a ZIP (`MI 48104`)."""
    if p < 2 or blank[p - 2]:
        return False
    return any(
        r[p - 2] != " " and r[p] != " " and _char_class(r[p - 2]) == _char_class(r[p]) != "o" for r in rows
    )


def _delimited_lines(lines: list[str]) -> bool:
    """A delimiter splits most lines into the same number (2 or more) of fields: delimited text, not fixed-width."""
    for d in DELIMITERS:  # one entry per candidate delimiter
        widths = [len(_cells(ln, d)) for ln in lines]
        width = max(set(widths), key=widths.count)
        if width > 1 and widths.count(width) >= _FIXED_SHARE * len(widths):
            return True
    return False


def _header_columns(header: str, starts: list[int], typed: set[int]) -> list[tuple[str, int]]:
    """(name, start) of the columns a header line names over fixed-width records: each name starts its field; a
    word one space after the word before is part of its name (`LAST NAME`, `FIRST NAME`) unless a field of the
    records starts there (`ST ZIP` over `MI 48104`)."""
    cols: list[tuple[str, int]] = []
    for m in re.finditer(r"\S+", header):  # one entry per word of the header line
        s = m.start()
        cut = s in starts or header[max(s - 2, 0) : s] == "  "
        if cols and not cut:
            cols[-1] = (cols[-1][0] + " " + m.group(0), cols[-1][1])
        else:
            cols.append((m.group(0), 0 if not cols else s))
    # a field the records cut by a change of type (an SSN run into a state) under one name: split it
    out = []
    for i, (name, s) in enumerate(cols):  # one entry per named column
        end = cols[i + 1][1] if i + 1 < len(cols) else 1 << 30
        inner = sorted(p for p in typed if s < p < end)
        out.append((name, s))
        out.extend((f"{name}_{k}", p) for k, p in enumerate(inner, start=2))
    return out


def fixed_width(path: Path, display: str, sample: list[str]) -> FixedWidth | None:
    """How to cut a fixed-width file (every record the same length, fields padded with spaces, no delimiter), from
    the lines sampled at its start, else None (delimited text, free text): by the layout beside it (_layout_file), by
    a header line of column names aligned to the fields, or by the fields inferred from the records."""
    lines = [ln.rstrip("\r\n") for ln in sample]
    if lines:
        lines[0] = lines[0].lstrip("\ufeff")
    if len(lines) > 2 and not sample[-1].endswith("\n"):
        lines = lines[:-1]  # the sample may have stopped inside a line (1 MiB): not a whole record
    body = [(i, ln) for i, ln in enumerate(lines) if ln.strip()]
    if len(body) < 2:
        return None
    layout_path = _layout_file(path)
    layout = read_layout(layout_path) if layout_path else None
    if layout_path and layout is None:
        log.info("%s: %s beside it is not a layout breachscan can read", display, layout_path.name)
    texts = [ln for _, ln in body]
    lengths = [len(ln) for ln in texts]
    if layout:
        end = max(s + n for _, s, n in layout)
        records = [ln for ln in texts if len(ln) == end or len(ln.rstrip()) <= end]
        if len(records) < _FIXED_SHARE * len(texts):
            log.info("%s: its lines are not the records of the layout %s", display, layout_path.name)
        else:
            # a header line naming the columns is not a record
            first = body[0][1]
            skip = body[0][0] + 1 if _names_columns(first) and not _names_columns(body[-1][1]) else body[0][0]
            fields = _with_gaps([(n or "", s, ln) for n, s, ln in layout], max(max(lengths), end))
            said = _file_name(_beside(display, _own_name(layout_path)))
            return FixedWidth(
                fields,
                skip,
                end,
                f"read as fixed-width text: {len(layout)} fields by the layout {said} beside it",
            )
    if _delimited_lines(texts):
        return None
    # lines naming columns above the first record: the last is the header, any above it titles
    lead = 0
    while lead < min(len(texts) - 1, 6) and _names_columns(texts[lead]):
        lead += 1
    if lead == min(len(texts) - 1, 6) or all(_names_columns(t) for t in texts[lead:]):
        lead = 0  # no line holds a value (a number): nothing tells a header from a record
    data = texts[lead:]
    width = max(set(len(t) for t in data), key=lambda w: ([len(t) for t in data].count(w), w))
    rows = [t for t in data if len(t) == width]
    if len(rows) < 2 or len(rows) < _FIXED_SHARE * len(data) or width < 4:
        return None
    starts, typed = _field_starts(rows, width)
    if not any(all(r[p - 1] == " " for r in rows) for p in starts if p):
        return (
            None  # no column of spaces between fields: one value a line (a list of codes), not padded fields
        )
    skip = body[lead][0]
    titles = f"; {lead - 1} title line(s) above its header skipped" if lead > 1 else ""
    cols = _header_columns(texts[lead - 1], starts, typed) if lead else []
    if len(cols) >= 2 and 2 * sum(s in starts for _, s in cols[1:]) >= len(cols) - 1:
        # the header's names start where the records' fields start (a title line's words do not)
        fields = [
            (n, s, (cols[i + 1][1] - s) if i + 1 < len(cols) else None) for i, (n, s) in enumerate(cols)
        ]
        return FixedWidth(
            fields,
            skip,
            width,
            f"read as fixed-width text (no delimiter; records of {width} characters): {len(fields)} fields at the "
            f"columns its header line names{titles}",
        )
    titles = f"; {lead} line(s) of words above the first record skipped" if lead else ""
    if len(starts) < 2:
        return None
    fields = [
        (f"column_{i + 1}", s, (starts[i + 1] - s) if i + 1 < len(starts) else None)
        for i, s in enumerate(starts)
    ]
    return FixedWidth(
        fields,
        skip,
        width,
        f"read as fixed-width text (no delimiter; records of {width} characters) with INFERRED fields: {len(fields)} "
        f"fields cut where the first {len(rows)} records all have a space (or change between digits and letters), "
        f"named column_1..column_{len(fields)}; a value wider than its field in later records may be cut. Put a layout "
        f"beside it ({stem(_file_name(display))}.layout: name,start,length per field) to read it by its own fields"
        f"{titles}",
    )


def _names_columns(line: str) -> bool:
    """A line of two or more words naming columns (no long numbers, dates, amounts or e-mail addresses)."""
    words = line.split()
    return len(words) >= 2 and all(re.search(r"[A-Za-z]", w) for w in words) and cells_look_like_header(words)


def _with_gaps(fields: list[tuple[str, int, int]], width: int) -> list[tuple[str, int, int | None]]:
    """A layout's fields, plus a column for each stretch of the record no field covers (filler_<position>, read
    like any column: an SSN is never left out because the layout skipped its place), the last one to the line's
    end; unnamed fields (a copybook's FILLER) are named by position too."""
    out: list[tuple[str, int, int | None]] = []
    pos = 0
    for name, s, n in fields:  # one entry per field of the layout
        if s > pos:
            out.append((f"filler_{pos + 1}", pos, s - pos))
        out.append((name or f"filler_{s + 1}", s, n))
        pos = s + n
    out.append((f"filler_{pos + 1}", pos, None))  # anything past the layout's end
    seen: dict[str, int] = {}
    named = []
    for name, s, n in out:  # one entry per column
        seen[name] = seen.get(name, 0) + 1
        named.append((name if seen[name] == 1 else f"{name}_{seen[name]}", s, n))
    return named


def read_fixed_width(src: Path, display: str, name: str, fw: FixedWidth, warnings: list[str]) -> SourceResult:
    """The records of a fixed-width file cut into its fields by polars string slicing (columnar), each value
    trimmed of its padding; blank lines are no records."""
    lf = pl.scan_lines(src, name="__line")
    if fw.skip:
        lf = lf.slice(fw.skip)
    line = pl.col("__line").str.strip_prefix("\ufeff")
    lf = lf.filter(line.str.strip_chars() != "")
    said = [*warnings, fw.warning]
    filler = [(c, s, n) for c, s, n in fw.fields if c.startswith("filler_")]
    try:
        # the one full pass: the record count, the records of another length, and which stretches a layout leaves
        # out hold anything (those are read as columns; blank ones are not)
        stats = lf.select(
            pl.len().alias("n"),
            (line.str.len_chars() != fw.width).sum().alias("off"),
            *[(line.str.slice(s, n).str.strip_chars() != "").any().alias(c) for c, s, n in filler],
        ).collect()
    except Exception as exc:  # noqa: BLE001
        return SourceResult(
            unreadable=[Unreadable(display, f"not readable as fixed-width text: {safe_error(exc)}")]
        )
    empty = {c for c, _, _ in filler if not stats[c].item()}
    off = stats["off"].item()
    if off and fw.width:
        said.append(
            f"{off} of {stats['n'].item()} records are not {fw.width} characters long; read by position as they are"
        )
    columns = [line.str.slice(s, n).str.strip_chars().alias(c) for c, s, n in fw.fields if c not in empty]
    frame, kinds = as_strings(lf.select(columns))
    return SourceResult(tables=[Table(name, display, frame, kinds, warnings=said)])


# ---------------------------------------------------------------- parquet and NDJSON


def read_parquet(path: Path, display: str, name: str) -> SourceResult:
    try:
        meta = pq.read_metadata(path)  # a corrupt footer fails here, not later in the scanner
        schema = pl.read_parquet_schema(path)
        # every page is decoded once now, as every CSV is parsed once: a corrupt data page behind a sound footer
        # fails here, naming the file and polars' cause, and the scan goes on. Until 2026-11-24 it failed only when
        # the scanner evaluated the table, reported as a bare "ComputeError". Streaming: one batch in memory.
        pl.scan_parquet(path).select(pl.all().null_count()).collect(engine="streaming")
    except Exception as exc:  # noqa: BLE001
        return SourceResult(
            unreadable=[Unreadable(display, f"corrupt or unreadable Parquet: {safe_error(exc)}")]
        )
    lf = safe_columns(unnest_structs(pl.scan_parquet(path)))
    schema = lf.collect_schema()
    dropped = _unconvertible(lf, schema)
    lf = lf.select([_flatten(c, t) for c, t in schema.items() if c not in dict(dropped)])
    frame, kinds = as_strings(lf)
    for col, dtype in schema.items():
        if isinstance(dtype, pl.Decimal):
            kinds[col] = "integer" if dtype.scale == 0 else "float"
    warnings = [] if meta.num_rows or meta.num_columns else ["empty Parquet file"]
    warnings += [f"column {c} not read: its type cannot be read as text ({why})" for c, why in dropped]
    return SourceResult(tables=[Table(name, display, frame, kinds, warnings=warnings)])


def _flatten(col: str, dtype: pl.DataType) -> pl.Expr:
    """Lists (and objects inside them) become their JSON text, so detectors still see what is inside them;
    objects outside lists were made columns of their own first (tables.unnest_structs)."""
    if isinstance(dtype, pl.Struct):
        return pl.col(col).struct.json_encode().alias(col)
    if isinstance(dtype, (pl.List, pl.Array)):
        return pl.struct(pl.col(col).alias("v")).struct.json_encode().str.slice(5).str.head(-1).alias(col)
    if isinstance(dtype, pl.Decimal):
        return pl.col(col).cast(pl.String).alias(col)
    if _MAP is not None and isinstance(dtype, _MAP):
        # a MAP (Spark, Hive, Athena, pyarrow's dicts) as its JSON object text: {"segment": "retail"}, whose fields
        # documents.read_objects reads as columns like any JSON text column; until 2026-11-25 the cast to text
        # failed and the whole table was unreadable
        return pl.col(col).struct.json_encode().alias(col)
    return pl.col(col)


_MAP = getattr(pl, "Map", None)  # polars' Map type (a Parquet / Arrow map column)


def _unconvertible(lf: pl.LazyFrame, schema: pl.Schema) -> list[tuple[str, str]]:
    """(column, cause) of the columns of a Parquet table that cannot be read as text (a type no reader converts):
    each is dropped with a warning naming it and its type, not the whole table lost. Only the columns of a nested
    or unusual type are tried, on their first row."""
    plain = (pl.String, pl.Boolean, pl.Null, pl.Categorical, pl.Enum, pl.Binary)
    out = []
    for col, dtype in schema.items():  # one entry per column
        if dtype.is_numeric() or dtype.is_temporal() or isinstance(dtype, plain):
            continue
        try:
            strings_only(lf.select(_flatten(col, dtype)).head(1))[0].collect()
        except Exception as exc:  # noqa: BLE001 - this column's type: said, the column dropped
            out.append((col, f"{dtype}: {safe_error(exc)}"))
    return out


def _padded_copy(path: Path, reader, display: str, name: str) -> SourceResult | None:
    """`reader` on a copy of a JSON file without its NUL padding (a preallocated or truncated file: NUL runs at its
    start, at its end or between records; byte for byte otherwise), the padding counted in the table's warning; None
    when the file has no padding. Only after the file failed to parse: a clean file costs no extra pass."""
    if not _check_text(path)[1]:
        return None
    copy, dropped = transcode_to_private(path, "latin-1", target="latin-1")  # bytes kept as they are
    out = reader(copy, display, name)
    for t in out.tables:  # one entry per table
        t.warnings.extend(padding_warning(dropped))
    return out


def _utf8_copy(path: Path, reader, display: str, name: str) -> SourceResult | None:
    """`reader` on a UTF-8 copy of a JSON file that is not UTF-8 (a Windows ETL job, PowerShell's Set-Content),
    decoded as CSV is (_prepare_text: what is UTF-8 stays, the other bytes are Windows-1252), with the same warning;
    None when the file is UTF-8. Only after the file failed to parse. Until 2026-11-25 every record with an accent
    was skipped as not JSON (its SSN with it)."""
    if _check_text(path)[0]:
        return None
    copy, dropped = transcode_to_private(path, "utf-8", errors="breachscan-cp1252")
    out = reader(copy, display, name)
    for t in out.tables:  # one entry per table
        t.warnings.extend([NOT_UTF8_WARNING, *padding_warning(dropped)])
    return out


def read_ndjson(path: Path, display: str, name: str) -> SourceResult:
    warnings: list[str] = []
    try:
        df = pl.read_ndjson(path, infer_schema_length=None)
    except Exception as exc:  # noqa: BLE001 - some line is not JSON: keep the lines that are
        recoded = _utf8_copy(path, read_ndjson, display, name)
        if recoded is not None:
            return recoded
        padded = _padded_copy(path, read_ndjson, display, name)
        if padded is not None:
            return padded
        whole = _whole_json_object(
            path
        )  # one object written over many lines (an API response, pretty-printed)
        if whole is not None:
            df = whole
        else:
            df, bad, err = _ndjson_tolerant(path)
            if df is None:
                return SourceResult(unreadable=[Unreadable(display, f"not parseable as NDJSON: {err}")])
            warnings.append(f"{bad} lines could not be parsed as JSON and were skipped ({safe_error(exc)})")
    envelope = _envelope_tables(df, display, name, path)
    if envelope is not None:
        return envelope
    lf = safe_columns(unnest_structs(df.lazy()))
    lf = lf.select([_flatten(c, t) for c, t in lf.collect_schema().items()])
    frame, kinds = as_strings(lf)
    kinds |= {c: "integer" for c in _json_number_columns(path, df) if c in kinds}
    return SourceResult(tables=[Table(name, display, frame, kinds, warnings=warnings)])


def _json_number_columns(path: Path, df: pl.DataFrame) -> list[str]:
    """The text columns (as unnest_structs names them: address_zip) holding whole JSON numbers beside other
    values: a column mixing 4123456 and "***-**-6789" is read as text, and that its digits were a number, whose
    leading zeros were dropped as an integer column's are (004-12-3456 is 4123456), is lost. classify reads such a
    column as an integer column, as a typed column of numbers is. The file is searched for the field's name
    followed by a number (one search per such column, never per record)."""
    import mmap

    leaves: list[tuple[str, str]] = []  # (flattened column name, the field's own name)

    def walk(prefix: str, dtype: pl.DataType, field: str) -> None:
        if isinstance(dtype, pl.Struct):
            for f in dtype.fields:  # one entry per nested field
                walk(f"{prefix}_{f.name}", f.dtype, f.name)
        elif dtype == pl.String:
            leaves.append((prefix, field))

    for name, dtype in df.schema.items():  # one entry per column
        walk(name, dtype, name)
    flat = unnest_structs(df.lazy())
    present = set(flat.collect_schema().names())
    leaves = [(c, f) for c, f in leaves if c in present]
    if not leaves:
        return []

    def digits(c: str) -> pl.Expr:
        return pl.col(c).str.contains(r"^-?\d+$")

    mixed = flat.select([(digits(c).any() & (~digits(c)).any()).alias(c) for c, _ in leaves]).collect().row(0)
    candidates = [leaf for leaf, m in zip(leaves, mixed, strict=True) if m]
    out = []
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as text:
            for column, field in candidates:  # one entry per mixed column
                pattern = b'"' + re.escape(field.encode()) + rb'"\s*:\s*-?\d+(?:\.0+)?\s*[,}\]\r\n]'
                if re.search(pattern, text):
                    out.append(column)
    except (OSError, ValueError):  # an empty file cannot be mapped; the columns stay text
        return []
    return out


# An API or SaaS export pages its records inside an envelope: {"meta": {"count": 3, "page": 1}, "data": [...]},
# {"results": [...], "next": ..., "count": ...}, {"object": "list", "data": [...], "has_more": false}, {"customers":
# [...]}. The envelope's own fields are named by these words (its paging, counts, status and links; never a person's
# or a record's own field: first / last / id / name are not among them); the records are its list of objects.
ENVELOPE_WORDS = {
    "meta", "metadata", "paging", "pagination", "page", "pages", "per", "size", "links", "link", "count", "counts",
    "total", "totals", "limit", "offset", "next", "prev", "previous", "cursor", "cursors", "more", "token", "info",
    "has", "status", "success", "ok", "error", "errors", "warnings", "message", "messages", "code", "version",
    "api", "generated", "exported", "export", "timestamp", "time", "at", "date", "took", "url", "href", "self",
    "request", "response", "object", "type", "kind", "schema", "query", "filter", "filters", "sort",
    "number", "num", "of", "items", "results", "records", "rows", "elements", "entries",
}  # fmt: skip


def _whole_json_object(path: Path) -> pl.DataFrame | None:
    """A file holding one JSON object over many lines, as a one-row frame; None if it is no such file."""
    try:
        df = pl.read_json(path, infer_schema_length=None)
    except Exception:  # noqa: BLE001 - not one JSON object: read line by line as NDJSON
        return None
    return df if df.height == 1 else None


def _envelope_tables(df: pl.DataFrame, display: str, name: str, path: Path) -> SourceResult | None:
    """The records of a JSON envelope (one object whose fields are paging and status words beside its lists of
    objects) as tables: one list the file's table (`customers.json` {"meta", "data": [...]} is the table
    customers), several a table each (`export (customers)`, `export (cards)`); the envelope's own fields are not
    read. None when the file is no envelope: a record's own lists (a customer's payment methods, an order's items
    beside its order_id) are read with their row (documents.lists_as_tables)."""
    from detectors.common import header_tokens  # the words of a field's name, as every header is read

    if df.height != 1:
        return None
    lists = [c for c, t in df.schema.items() if isinstance(t, pl.List) and isinstance(t.inner, pl.Struct)]
    rest = [c for c in df.columns if c not in lists]
    if not lists or any(not set(header_tokens(c)) <= ENVELOPE_WORDS for c in rest):
        return None
    out = SourceResult()
    for column in lists:  # one entry per list of records, not per record
        records = df.select(pl.col(column).explode()).drop_nulls().unnest(column)
        lf = safe_columns(unnest_structs(records.lazy()))
        lf = lf.select([_flatten(c, t) for c, t in lf.collect_schema().items()])
        frame, kinds = as_strings(lf)
        kinds |= {c: "integer" for c in _json_number_columns(path, records) if c in kinds}
        ignored = f"; the envelope's own fields ({', '.join(rest)}) not read" if rest else ""
        warning = f"JSON envelope: the records of its list '{column}' read as the table{ignored}"
        log.info("%s: %s", display, warning)
        table = name if len(lists) == 1 else f"{name} ({column})"
        out.tables.append(Table(table, display, frame, kinds, warnings=[warning]))
    return out


def read_json_array(path: Path, display: str, name: str) -> SourceResult:
    """A .json file holding one array of objects."""
    try:
        df = safe_columns(pl.read_json(path, infer_schema_length=None))
    except Exception as exc:  # noqa: BLE001
        recoded = _utf8_copy(path, read_json_array, display, name)
        if recoded is not None:
            return recoded
        padded = _padded_copy(path, read_json_array, display, name)
        if padded is not None:
            return padded
        return SourceResult(
            unreadable=[Unreadable(display, f"not parseable as a JSON array of objects: {safe_error(exc)}")]
        )
    lf = safe_columns(unnest_structs(df.lazy()))
    lf = lf.select([_flatten(c, t) for c, t in lf.collect_schema().items()])
    frame, kinds = as_strings(lf)
    kinds |= {c: "integer" for c in _json_number_columns(path, df) if c in kinds}
    return SourceResult(tables=[Table(name, display, frame, kinds)])


def _ndjson_tolerant(path: Path) -> tuple[pl.DataFrame | None, int, str]:
    """Error path only: split into good and bad lines (a loop, but only for a file already known broken)."""
    import json

    good = private_file(".ndjson")
    bad = 0
    with open(path, "rb") as src, open(good, "wb") as dst:
        for line in src:
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if isinstance(value, dict):
                dst.write(line.rstrip(b"\r\n") + b"\n")
            else:
                bad += 1
    try:
        if good.stat().st_size == 0:
            return None, bad, f"no line is a JSON object ({bad} lines rejected)"
        return pl.read_ndjson(good, infer_schema_length=None), bad, ""
    except Exception as exc:  # noqa: BLE001
        return None, bad, safe_error(exc)


# ---------------------------------------------------------------- Excel


def read_xlsx(path: Path, display: str, name: str) -> SourceResult:
    try:
        import fastexcel

        sheets = fastexcel.read_excel(str(path)).sheet_names
    except Exception as exc:  # noqa: BLE001
        return SourceResult(unreadable=[Unreadable(display, f"unreadable workbook: {safe_error(exc)}")])
    result = SourceResult()
    for sheet in sheets:
        where = f"{display}#{sheet}"
        try:
            raw = pl.read_excel(
                path,
                sheet_name=sheet,
                engine="calamine",
                has_header=False,
                infer_schema_length=0,
                raise_if_empty=False,
            )
        except Exception as exc:  # noqa: BLE001
            result.unreadable.append(Unreadable(where, f"unreadable sheet: {safe_error(exc)}"))
            continue
        df, warnings = _sheet_with_header(raw.select(pl.all().cast(pl.String)))
        frame, kinds = as_strings(safe_columns(df))
        names = [c for c in frame.collect_schema().names() if c != ROW]
        for position in _integer_cell_columns(path, sheet):  # one entry per column of numbers
            if position < len(names):
                kinds[names[position]] = "integer"
        table_name = name if len(sheets) == 1 else sheet
        result.tables.append(
            Table(table_name, where if len(sheets) > 1 else display, frame, kinds, warnings=warnings)
        )
    return result


# A cell of an .xlsx sheet's XML: its column letters, its attributes (t="s" a shared string, t="str" / "inlineStr"
# text, t="b" / "e" a boolean or error; no t, or t="n", a number) and its content.
_XLSX_CELL = r'<c r="([A-Z]+)[0-9]+"([^>]*?)(?:/>|>(.*?)</c>)'


XLSX_TYPE_SAMPLE_BYTES = 8 << 20  # of a sheet's XML: some 50,000 cells, never the whole of a large sheet


def _integer_cell_columns(path: Path, sheet: str) -> list[int]:
    """The positions (from the sheet's first used column, as calamine reads it) of the columns holding number cells,
    every one of them a whole number: the cells' type that reading every cell as text loses. A number typed or
    pasted into Excel drops its leading zeros (004-12-3456 is the number 4123456), as an integer column of a
    database does, also where the column mixes numbers and masked text (`***-**-6789`); classify reads such a
    column as an integer column (up to two lost zeros restored). [] for a workbook that is no .xlsx (.xls, .ods)
    or whose parts cannot be read."""
    import html
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            sheet_rid = {
                html.unescape(n): r
                for n, r in re.findall(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', workbook)
            }
            targets = dict(re.findall(r'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', rels))
            target = targets.get(sheet_rid.get(sheet, ""), "")
            if not target:
                return []
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with book.open(
                part
            ) as fh:  # the sheet's first cells, as classify samples a column's first values
                xml = fh.read(XLSX_TYPE_SAMPLE_BYTES).decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the cells are then read as text only, as before
        return []
    cells = (
        pl.DataFrame({"x": [xml]})
        .select(pl.col("x").str.extract_all(_XLSX_CELL).alias("c"))
        .explode("c")
        .drop_nulls()
        .select(
            pl.col("c").str.extract(r'^<c r="([A-Z]+)').alias("letters"),
            pl.col("c").str.extract(r'^<c r="[A-Z]+[0-9]+"[^>]*?\bt="([^"]*)"').alias("t"),
            pl.col("c").str.extract(r"<v>([^<]*)</v>").alias("v"),
            pl.col("c").str.contains(r"<v>|<is>").alias("filled"),
        )
        .filter(pl.col("filled"))
    )
    if cells.height == 0:
        return []
    # column letters as a number: A=1 ... Z=26, AA=27 (at most three letters)
    index = pl.lit(0)
    letters = pl.col("letters").str.pad_start(3, "@")
    for k in range(3):  # one entry per letter position
        index = index * 27 + (letters.str.slice(k, 1).str.encode("hex").str.to_integer(base=16) - 64)
    number = pl.col("t").is_null() | (pl.col("t") == "n")
    value = pl.col("v").cast(pl.Float64, strict=False)
    by_column = (
        cells.with_columns(index.alias("i"))
        .with_columns((pl.col("i") - pl.col("i").min()).alias("position"))
        .filter(number & pl.col("v").is_not_null())
        .group_by("position")
        .agg((value.is_not_null() & (value == value.round(0))).all().alias("whole"))
        .filter(pl.col("whole"))
    )
    return sorted(by_column.get_column("position").to_list())


def _sheet_with_header(raw: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """A sheet read without a header, given its header row: the first row filled across most of the width (a
    merged title above it is skipped), if it names columns; else no header at all (the first row is data: an
    SSN must never become a column name), columns named by position as for CSV."""
    if raw.height == 0:
        return raw, []
    top = raw.head(20).rows()  # the first rows only, not every row
    filled = [sum(1 for c in row if c not in (None, "")) for row in top]
    width = max(filled)
    least = max(min(2, width), (width * 6 + 9) // 10)
    first = next(k for k, f in enumerate(filled) if f >= least)
    # A report's parameters line above a narrow table (`Filters: | All branches | Status: Active` over four columns)
    # fills most of its width too. The header is the widest row naming columns before the first row of values
    # (a row of numbers, dates or e-mail addresses), within a few rows: the rows after it have its width. Until
    # 2026-11-25 the parameters line was the header, the real header a row of data, and no column was read.
    named = cells_look_like_header(list(top[first]))
    last = min(len(top), first + 6) if named else first
    for k in range(first + 1, last):  # a few rows of one sheet, not its data
        if filled[k] and not cells_look_like_header(list(top[k])):
            break
        if filled[k] > filled[first] and cells_look_like_header(list(top[k])):
            first = k
    cells = list(top[first])
    if not cells_look_like_header(cells):
        return raw.rename({c: f"column_{i}" for i, c in enumerate(raw.columns)}), [
            "no header row: the first row holds values; columns are named by position (column_0, column_1, ...)"
        ]
    names: list[str] = []
    for i, c in enumerate(cells):  # one entry per column
        n = c.strip() if c and c.strip() else f"column_{i}"
        while n in names:
            n += "_"
        names.append(n)
    warnings = [f"header on row {first + 1}: {first} title row(s) above it skipped"] if first else []
    return raw.slice(first + 1).rename(dict(zip(raw.columns, names, strict=True))), warnings


# ---------------------------------------------------------------- dispatch


def load_file(
    path: Path, display: str, *, limits: Limits | None = None, name: str | None = None, _depth: int = 0
) -> SourceResult:
    """One file, whatever it is. ``display`` is what tables and errors are called (e.g. "a.zip!b.csv")."""
    return as_records(_load_raw(path, display, limits=limits, name=name, depth=_depth))


def _load_raw(
    path: Path, display: str, *, limits: Limits | None = None, name: str | None = None, depth: int = 0
) -> SourceResult:
    """load_file before as_records: the tables as the file holds them, so the parts of a split file are joined
    (join_parts) before a key-value table is pivoted or JSON columns are read, as for the whole file."""
    limits = limits or Limits()
    name = name or stem(_file_name(display))
    try:
        data = layout_data_file(path)
    except OSError:
        data = None
    if (
        data is not None
    ):  # customers.layout beside customers.dat: read with it (read_fixed_width), no table itself
        log.info("%s: the layout of %s beside it, read with it", display, _own_name(data))
        return SourceResult()
    try:
        head = _head(path)
    except OSError as exc:
        return SourceResult(
            unreadable=[Unreadable(display, f"cannot open: {exc.strerror or type(exc).__name__}")]
        )
    kind = sniff_kind(head, _suffixes(display.rsplit("!", 1)[-1]))
    try:
        return _load_kind(kind, path, display, name, limits, depth)
    except (LimitExceeded, CorruptInput) as exc:
        return SourceResult(unreadable=[Unreadable(display, str(exc))])
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the scan
        return SourceResult(unreadable=[Unreadable(display, f"could not be read: {safe_error(exc)}")])


@dataclass(frozen=True)
class FileGroup:
    """What is read as one unit: one file, or the parts of one split file in part order (split_groups)."""

    paths: tuple[str, ...]  # what is opened
    displays: tuple[str, ...]  # what tables and errors are called
    root: str | None = None  # the folder input the files came from, for qualified names
    # the split table's name when include / exclude left out some of its parts (select_files): a lone remaining part
    # is still the table customers, not customers_part2
    name: str | None = None
    left_out: tuple[str, ...] = ()  # the parts include / exclude left out (said in the table's warnings)
    chosen: bool = False  # an include pattern matched the group's files or its table: its tables pass include


def load_group(group: FileGroup, *, limits: Limits | None = None) -> SourceResult:
    """The tables of a FileGroup: its files, the parts of a split file joined into one table (join_parts)."""
    result = read_group(
        [(Path(p), d) for p, d in zip(group.paths, group.displays, strict=True)], limits, name=group.name
    )
    if group.left_out:
        said = ", ".join(_file_name(d) for d in group.left_out[:5]) + (
            " ..." if len(group.left_out) > 5 else ""
        )
        for t in result.tables:  # one entry per table
            t.warnings.append(
                f"{len(group.left_out)} of the split file's {len(group.left_out) + len(group.paths)} parts left "
                f"out by --include / --exclude ({said}): the table holds the other parts' rows only"
            )
    return as_records(result)


def read_group(
    files: Sequence[tuple[Path, str]], limits: Limits | None = None, depth: int = 0, name: str | None = None
) -> SourceResult:
    """The files of one group (split_groups) read, and the parts of a split file joined (before as_records).
    `name`: the table's name when the group is one part left of a split file (select_files)."""
    if len(files) == 1:
        return _load_raw(files[0][0], files[0][1], limits=limits, name=name, depth=depth)
    results = [_load_raw(path, display, limits=limits, depth=depth) for path, display in files]
    return join_parts(results, [display for _, display in files])


def join_parts(
    results: Sequence[SourceResult], displays: Sequence[str], *, name_taken: bool = False
) -> SourceResult:
    """The parts of a split file (read in part order) as ONE table: its rows appended in part order, the row
    positions continuing across the parts (the table's warning says which rows each file holds). A table split in
    files is still one table: read as one table per part, a child table whose ids span two parts links to neither,
    and its people's addresses are lost (until 2026-11-24 each part was a table of its own). A part joins when it has
    the first part's columns (a header naming the same columns, or no header and as many columns); one that does not
    stays a table of its own and says why; a file that is not one table (a dump, a workbook of sheets, an archive)
    is read as it is. `name_taken`: the table's name is a table of the bare name's (_bare_file_leads); the joined
    table is named by its first part's file then."""
    if split_part(_file_name(displays[0])) is None and not _bare_file_leads(results, displays):
        # users.csv beside users_1.csv and users_2.csv of other columns: another table, not their first part
        out = SourceResult(list(results[0].tables), list(results[0].unreadable))
        out.extend(join_parts(results[1:], displays[1:], name_taken=True) if len(results) > 2 else results[1])
        return out
    out = SourceResult()
    # (place in the group, table) of every table the group gives, the first part's included
    placed: list[tuple[int, Table]] = []
    joined: list[tuple[str, Table]] = []  # (file name, table) of the parts of the joined table
    columns: list[str] = []
    for i, (display, part) in enumerate(zip(displays, results, strict=True)):  # one entry per file
        out.unreadable.extend(part.unreadable)
        if len(part.tables) != 1 or part.tables[0].path != display:
            placed.extend((i, t) for t in part.tables)
            continue
        table, file_name = part.tables[0], _file_name(display)
        names = [c for c in table.frame.collect_schema().names() if c != ROW]
        if not joined:
            joined.append((file_name, table))
            placed.append((i, table))
            columns = names
            continue
        records = _json_records(file_name) and _json_records(joined[0][0])
        why = _part_misfit(names, columns, joined[0][0], records)
        if why:
            base = (split_part(file_name) or (stem(file_name),))[0]
            table.warnings.append(
                f"named like a part of the split file {base}, but {why}: read as a table of its own"
            )
            placed.append((i, table))
            continue
        if (
            records
        ):  # JSON records name their own fields: a field the first part lacks is a column of the table
            columns = columns + [c for c in names if c not in columns]
        elif set(names) != set(columns):  # no header, as many columns: named by position until now
            table.frame = table.frame.rename(dict(zip(names, columns, strict=True)))
            table.warnings = [w for w in table.warnings if "columns are named by position" not in w]
            table.warnings.append(
                f"no header row: the first line holds values; its columns are those of {joined[0][0]}"
            )
        joined.append((file_name, table))
    if len(joined) > 1:
        whole = _joined_table(joined, columns, name_taken)
        placed = [(i, whole if t is joined[0][1] else t) for i, t in placed]
    out.tables = [t for _, t in placed]
    return out


def _one_table(result: SourceResult, display: str) -> list[str] | None:
    """The columns of a file that is one table (join_parts can append it), else None."""
    if len(result.tables) != 1 or result.tables[0].path != display:
        return None
    return [c for c in result.tables[0].frame.collect_schema().names() if c != ROW]


def _bare_file_leads(results: Sequence[SourceResult], displays: Sequence[str]) -> bool:
    """Whether the file of the bare name (users.csv) is the first part of the numbered parts after it: it is one
    table with the columns of the first of them that is one table."""
    first = _one_table(results[0], displays[0])
    if first is None:
        return False
    later = ((_one_table(r, d), d) for r, d in zip(results[1:], displays[1:], strict=True))
    names, display = next(((n, d) for n, d in later if n is not None), (None, ""))
    if names is None:
        return True
    records = _json_records(displays[0]) and _json_records(display)
    return _part_misfit(names, first, displays[0], records) is None


def _json_records(file_name: str) -> bool:
    """Whether a file holds JSON records (.ndjson, .jsonl, .json, compressed or not): each record names its own
    fields, and a field no record of a part has is no column of that part."""
    return any(s in (".ndjson", ".jsonl", ".json") for s in _suffixes(_file_name(file_name)))


def _part_misfit(names: list[str], columns: list[str], first: str, records: bool = False) -> str | None:
    """Why a part with columns `names` is not a part of the table of `first` with `columns`, or None if it is.
    `records`: both are JSON records (_json_records), whose parts differ by the optional fields their records happen
    to have: a part joins when it shares a field with the table (the fields it lacks are null in its rows)."""
    if set(names) == set(columns) and len(names) == len(columns):
        return None  # the same header, maybe in another order: appended by name
    if records:
        if set(names) & set(columns):
            return None
        return f"its records share no field with those of {first}"
    positional = all(n == f"column_{k}" for k, n in enumerate(names))
    if positional and len(names) == len(columns):
        return None  # no header, as many columns: the columns of the first part
    if positional:
        return f"it has no header and {len(names)} columns where {first} has {len(columns)}"
    missing = [c for c in columns if c not in names]
    extra = [c for c in names if c not in columns]
    said = [f"without {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}"] if missing else []
    said += [f"with {', '.join(extra[:3])}{' ...' if len(extra) > 3 else ''}"] if extra else []
    # column names are safe to show: safe_columns renamed any that hold a value
    return f"its columns are not those of {first} ({'; '.join(said) or 'a column named twice'})"


def _joined_table(joined: list[tuple[str, Table]], columns: list[str], name_taken: bool = False) -> Table:
    """One table of the parts' rows, in part order, with the first part's columns, path and keys."""
    head = joined[0][1]
    # JSON records' parts may lack a field another part has (_part_misfit): null in their rows (a diagonal append)
    present = [set(t.frame.collect_schema().names()) for _, t in joined]
    frames = [
        t.frame.select([pl.col(c) if c in have else pl.lit(None, pl.String).alias(c) for c in columns])
        for (_, t), have in zip(joined, present, strict=True)
    ]
    # one count per part (a pass over each file, split files only): the row positions each file holds
    counts = [c.item() for c in pl.collect_all([f.select(pl.len()) for f in frames])]
    kinds: dict[str, str] = {}
    for c in columns:  # one entry per column
        seen = {
            t.source_types.get(c, "string") for (_, t), have in zip(joined, present, strict=True) if c in have
        }
        kinds[c] = seen.pop() if len(seen) == 1 else "string"
    spans, start = [], 0
    for (file_name, _), n in zip(joined, counts, strict=True):  # one entry per part
        spans.append(f"{file_name} rows {start}-{start + n - 1}" if n else f"{file_name} no rows")
        start += n
    warnings = [
        f"assembled from {len(joined)} parts of a split file, appended in part order; row positions (a finding's "
        f"row) by file: {', '.join(spans)}"
    ]
    warnings += [f"{file_name}: {w}" for file_name, t in joined for w in t.warnings]
    # the table's name, as the whole file's; the last part is always named as a part
    name = head.name if name_taken else split_part(joined[-1][0])[0]  # type: ignore[index]
    # the row position continues across the parts (a finding's row says which file it is in)
    frame = pl.concat(frames, how="vertical").with_row_index(ROW)
    return Table(name, head.path, frame, kinds, list(head.declared_links), list(head.primary_key), warnings)


def as_records(result: SourceResult) -> SourceResult:
    """A source's tables in the shape the detectors read, whatever the source: JSON objects and lists of people
    as columns and tables of their own (documents), key-value tables as one row per entity (key_value)."""
    return key_value.read_as_rows(documents.read_objects(result))


def _load_kind(kind: str, path: Path, display: str, name: str, limits: Limits, depth: int) -> SourceResult:
    if kind.startswith("utf16"):
        codec, warning = utf16_codec(kind)
        utf8, dropped = transcode_to_private(path, codec)
        out = _load_raw(utf8, display, limits=limits, name=name, depth=depth)
        for t in out.tables:  # one entry per table
            t.warnings.extend([warning, *padding_warning(dropped)])
        return out
    if kind == "empty":
        return SourceResult(unreadable=[Unreadable(display, "empty file (0 bytes): no header, no rows")])
    if kind == "csv" or kind.startswith("csv-utf16"):
        return read_delimited(path, display, name, kind)
    if kind == "nul-only":
        return SourceResult(
            unreadable=[
                Unreadable(display, "NUL bytes only at its start (a zeroed or unwritten file): no header")
            ]
        )
    if kind in ("nul-sql", "nul-ndjson", "nul-json"):
        # padded with NULs (a preallocated or truncated file): the readers drop the padding, as read_delimited does
        # (dumps.DumpReader as it streams, read_ndjson / read_json_array from a copy). Until 2026-11-25 such a file
        # was Unreadable `text padded with NUL bytes`.
        kind = kind.removeprefix("nul-")
    if kind == "parquet":
        return read_parquet(path, display, name)
    if kind == "ndjson":
        return read_ndjson(path, display, name)
    if kind == "json":
        return read_json_array(path, display, name)
    if kind == "xlsx":
        return read_xlsx(path, display, name)
    if kind == "sql":
        from pipeline import dumps

        return _without_tab_schemas(dumps.read_dump(path, display, limits=limits), path)
    if kind == "sqlite":
        from pipeline import databases

        return databases.read_sqlite_file(path, display)
    if kind in ("zip", "tar"):
        from pipeline import archives

        return archives.read_archive(path, display, kind, limits=limits, depth=depth)
    if kind == "gzip":
        inner_display = display
        inner_suffixes = _suffixes(display.rsplit("!", 1)[-1])
        if inner_suffixes and inner_suffixes[-1] in (".tgz",):
            from pipeline import archives

            return archives.read_archive(path, display, "tar.gz", limits=limits, depth=depth)
        inner = _gunzip_head(path)
        inner_kind = sniff_kind(inner, inner_suffixes[:-1] if inner_suffixes else [])
        if inner_kind == "tar":
            from pipeline import archives

            return archives.read_archive(path, display, "tar.gz", limits=limits, depth=depth)
        if inner_kind == "sql":
            from pipeline import dumps

            return dumps.read_dump(path, display, limits=limits)
        if inner_kind == "empty" and not inner:
            try:
                with gzip.open(path, "rb") as fh:
                    fh.read(1)
            except (OSError, EOFError, zlib.error) as exc:
                return SourceResult(unreadable=[Unreadable(display, f"corrupt gzip: {safe_error(exc)}")])
        if depth > 3:
            return SourceResult(unreadable=[Unreadable(display, "compressed too many levels deep")])
        plain = gunzip_to_private(path, limits, display)
        # the copy stays in the private folder: the LazyFrame reads it later
        return _load_kind(inner_kind, plain, inner_display, name, limits, depth + 1)
    if kind == "pg_custom" or display.rsplit("/", 1)[-1].rsplit("!", 1)[-1] == "toc.dat":
        return SourceResult(
            unreadable=[
                Unreadable(
                    display,
                    "PostgreSQL custom / directory-format dump (pg_dump -Fc / -Fd): not read directly; run "
                    "`pg_restore -f out.sql` on it and scan out.sql",
                )
            ]
        )
    if kind == "binary":
        return SourceResult(unreadable=[Unreadable(display, "binary content: not a supported data format")])
    return SourceResult(
        unreadable=[Unreadable(display, "unsupported file type (not CSV/TSV/Parquet/NDJSON/SQL/xlsx)")]
    )


def _iter_folder(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
    return files


def mask_uri(uri: str) -> str:
    """postgresql://user:secret@host/db -> postgresql://user@host/db; query strings dropped."""
    uri = re.sub(r"^([a-z+]+://)([^@/]*)@", lambda m: m.group(1) + m.group(2).split(":", 1)[0] + "@", uri)
    return uri.split("?", 1)[0]


def load_sources(
    inputs: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    limits: Limits | None = None,
) -> SourceResult:
    """Read every input (file, folder recursively, archive, dump, or database URI) into one SourceResult.

    ``include`` / ``exclude`` are glob patterns on table names (for databases also "schema.table") and on files
    by their own path (select_files: a part of a split file, customers_part2.csv, as well as the joined table).
    Table names are file stems; when two tables would share a name, each is qualified by its path
    relative to its input folder (``2024/customers``, ``dump#customers``, ``a.zip!customers``).
    The parts of a split file (customers_part1.csv, customers_part2.csv) are one table (split_groups, join_parts).
    """
    limits = limits or Limits()
    result = SourceResult()
    roots: dict[int, str] = {}  # table -> the folder its path is relative to, for qualified names
    selected: set[int] = set()
    plan = select_files(plan_inputs(inputs), include, exclude)
    groups = [g for g in plan if isinstance(g, FileGroup)]
    # Files are read TABLE_THREADS groups at a time: reading is checking (UTF-8, a full parse, the row shape check),
    # and polars and pyarrow release the GIL while they parse. Results are taken in the inputs' order, so names,
    # reports and warnings are the same as reading one file after another.
    with ThreadPoolExecutor(TABLE_THREADS, thread_name_prefix="read") as pool:
        read = dict(
            zip(map(id, groups), pool.map(lambda g: load_group(g, limits=limits), groups), strict=True)
        )
    for entry in plan:  # one entry per input, file or group of parts
        if isinstance(entry, Unreadable):
            result.unreadable.append(entry)
        elif isinstance(entry, FileGroup):
            part = read[id(entry)]
            if entry.root is not None:
                roots.update((id(t), entry.root) for t in part.tables)
            if entry.chosen:  # an include pattern named its files: exclude alone decides now
                selected.update(id(t) for t in part.tables if not _excluded(t.name, exclude))
            result.extend(part)
        else:
            from pipeline import databases

            part = as_records(databases.read_database(entry, include=include, exclude=exclude))
            selected.update(id(t) for t in part.tables)  # chosen before reading, by schema.table too
            result.extend(part)
    result.tables = [t for t in result.tables if id(t) in selected or _selected(t.name, include, exclude)]
    _disambiguate(result.tables, roots)
    return result


def plan_inputs(inputs: Sequence[str]) -> list[FileGroup | Unreadable | str]:
    """What load_sources reads, in its order: database URIs (str), files in FileGroups (one file, or the parts of a
    split file: split_groups, by name only), and inputs that do not exist (Unreadable). The Spark engine plans its
    tasks with it, so both engines read the same groups."""
    entries: list[tuple[str, str, str | None] | Unreadable | str] = []  # (path, display, root) of files
    seen: set[str] = set()  # files read: a file given twice (or in a folder also given) is one source
    for raw in inputs:  # one entry per input
        spec = str(raw)
        path = Path(spec)
        if spec.lower().startswith(DB_SCHEMES):
            entries.append(spec)
        elif path.is_dir():
            entries += [(str(f), str(f), str(path)) for f in _iter_folder(path) if first_reading(f, seen)]
        elif path.exists():
            if first_reading(path, seen):
                entries.append((spec, spec, None))
        else:
            entries.append(Unreadable(spec, "no such file, folder or database URI"))
    files = [(k, e) for k, e in enumerate(entries) if isinstance(e, tuple)]
    # a folder is the same folder however it was named (export/ given, and export/a_part2.csv given on its own)
    names = [(os.path.realpath(os.path.dirname(e[0]) or "."), os.path.basename(e[0])) for _, e in files]
    group_at: dict[int, FileGroup] = {}  # place of a group's first file among the entries -> the group
    for members in split_groups(names):  # one entry per group of files
        chosen = [files[m][1] for m in members]
        group_at[files[min(members)][0]] = FileGroup(
            tuple(c[0] for c in chosen),  # type: ignore[index]
            tuple(c[1] for c in chosen),  # type: ignore[index]
            chosen[0][2],  # type: ignore[index]
        )
    plan: list[FileGroup | Unreadable | str] = []
    for k, e in enumerate(entries):  # one entry per file or input
        if not isinstance(e, tuple):
            plan.append(e)
        elif k in group_at:
            plan.append(group_at[k])
    return plan


def first_reading(path: Path, seen: set[str]) -> bool:
    """Whether `path` is read for the first time in this scan (and note it): the same file named twice, or given
    and also inside a folder given, is one source, or its rows would count twice. Said in the log."""
    real = os.path.realpath(path)
    if real in seen:
        log.warning("%s is given more than once: read once", path)
        return False
    seen.add(real)
    return True


def qualified_name(table_path: str, root: str | None = None, name: str | None = None) -> str:
    """sub/customers.csv -> sub/customers; sub/dump.sql#public.t -> sub/dump#t; a.zip!b.csv -> a!b."""
    p = table_path
    if root and p.startswith(root.rstrip("/") + "/"):
        p = p[len(root.rstrip("/")) + 1 :]
    outer, hash_, inner = p.partition("#")
    file, bang, member = outer.partition("!")
    table = None if hash_ else name  # a file's table: the parts of a split file are named by their table
    qualified = _strip_suffixes(file, None if bang else table)
    if bang:
        qualified += "!" + _strip_suffixes(member, table)
    return qualified + hash_ + (name or inner if hash_ else "")


def _strip_suffixes(rel: str, table: str | None = None) -> str:
    """sub/customers.csv -> sub/customers; sub/customers_part1.csv of the table customers (join_parts) ->
    sub/customers."""
    p = PurePosixPath(rel)
    part = split_part(p.name)
    own = table if table and part and part[0] == table else stem(p.name)
    return (p.parent / own).as_posix() if p.parent != PurePosixPath(".") else own


def _selected(name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    if include and not any(fnmatch.fnmatchcase(name, p) for p in include):
        return False
    return not _excluded(name, exclude)


def _excluded(name: str, exclude: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in exclude)


def table_selected(name: str, group: FileGroup, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether a table read from `group` is scanned: by its name, or (group.chosen) by its files (select_files)."""
    return not _excluded(name, exclude) if group.chosen else _selected(name, include, exclude)


def _file_patterns_match(display: str, root: str | None, patterns: Sequence[str]) -> bool:
    """Whether a pattern matches a file by its own path: its file name (customers_part2.csv), its path in the folder
    given (2024/customers_part2.csv) or as given (export/customers_part2.csv). The path as given only by a pattern
    that holds a '/': `--exclude '*tmp*'` must not leave out every file of an export under /tmp."""
    own = {_file_name(display)}
    if root and display.startswith(root.rstrip("/") + "/"):
        own.add(display[len(root.rstrip("/")) + 1 :])
    return any(fnmatch.fnmatchcase(o, p) for o in own for p in patterns) or any(
        fnmatch.fnmatchcase(display, p) for p in patterns if "/" in p
    )


def select_files(
    plan: Sequence[FileGroup | Unreadable | str], include: Sequence[str], exclude: Sequence[str]
) -> list[FileGroup | Unreadable | str]:
    """`include` / `exclude` applied to the planned files (plan_inputs) by their own paths, before anything is read.

    A pattern matches a file by its file name or path (`customers_part*.csv`, `2024/*.csv`) as well as a table by its
    name (`customers`, the joined table of customers_part1.csv + customers_part2.csv). A file an exclude pattern
    matches is not read: a part of a split file left out, the table is the other parts (and says so). With include,
    a split table whose name matches keeps all its parts; otherwise the files an include pattern matches are read and
    their tables scanned whatever their names (chosen); a group none of whose files match is read and its tables
    kept by name (a dump's tables). Until 2026-11-25 the patterns saw only table names: `--exclude
    'customers_part*.csv'` left the split table in, `--include 'customers_part1.csv'` scanned nothing."""
    if not include and not exclude:
        return list(plan)
    out: list[FileGroup | Unreadable | str] = []
    for entry in plan:  # one entry per input or group of files
        if not isinstance(entry, FileGroup):
            out.append(entry)
            continue
        files = list(zip(entry.paths, entry.displays, strict=True))
        first = _file_name(entry.displays[0])
        name = (split_part(first) or (stem(first),))[0]
        kept = [f for f in files if not _file_patterns_match(f[1], entry.root, exclude)]
        chosen = False
        if include and not any(fnmatch.fnmatchcase(name, p) for p in include):
            named = [f for f in kept if _file_patterns_match(f[1], entry.root, include)]
            if named:
                kept, chosen = named, True
        if not kept:
            log.info(
                "%d file(s) left out by --exclude: %s", len(files), ", ".join(_file_name(d) for _, d in files)
            )
            continue
        left_out = tuple(d for p, d in files if (p, d) not in kept)
        if left_out:
            log.info("left out by --include / --exclude: %s", ", ".join(_file_name(d) for d in left_out))
        out.append(
            FileGroup(
                tuple(p for p, _ in kept),
                tuple(d for _, d in kept),
                entry.root,
                name if left_out and len(files) > 1 else None,
                left_out,
                chosen,
            )
        )
    return out


def _disambiguate(tables: list[Table], roots: dict[int, str]) -> None:
    """Two tables with one name: both take their qualified name; if that still clashes, the full path.
    Declared links inside the same file follow the rename. A table derived from another of the same file (a JSON
    list of people, documents.py: "findings (resources)") keeps its suffix after its parent's new name: both
    taking the file's path made two tables of one name (a scan of a folder holding an earlier scan's
    findings.ocsf.json failed with ColumnNotFoundError until 2026-11-24)."""
    parents = {(t.path, t.name) for t in tables}
    suffix: dict[int, tuple[str, str]] = {}  # id(derived table) -> (its parent's name, " (column)")
    for t in tables:
        base, sep, rest = t.name.rpartition(" (")
        if sep and rest.endswith(")") and (t.path, base) in parents:
            suffix[id(t)] = (base, sep + rest)

    def own(step, t: Table) -> str:
        if id(t) not in suffix:
            return step(t, t.name)
        base, tail = suffix[id(t)]
        return step(t, base) + tail

    for step in (lambda t, name: qualified_name(t.path, roots.get(id(t)), name), lambda t, name: t.path):
        seen: dict[str, int] = {}
        for t in tables:
            seen[t.name] = seen.get(t.name, 0) + 1
        if all(n == 1 for n in seen.values()):
            return
        renamed: dict[tuple[str, str], str] = {}  # (file, old name) -> new name
        for t in tables:
            if seen[t.name] > 1:
                new = own(step, t)
                renamed[(_origin(t.path), t.name)] = new
                t.name = new
        for t in tables:
            origin = _origin(t.path)
            t.declared_links = [
                DeclaredLink(
                    renamed.get((origin, link.from_table), link.from_table),
                    link.from_column,
                    renamed.get((origin, link.to_table), link.to_table),
                    link.to_column,
                )
                for link in t.declared_links
            ]


def _origin(table_path: str) -> str:
    return table_path.partition("#")[0]


__all__ = [
    "ROW",
    "Limits",
    "as_strings",
    "safe_name",
    "cleanup",
    "LimitExceeded",
    "load_file",
    "load_sources",
    "mask_uri",
    "safe_error",
    "sniff_kind",
    "stem",
    "workdir",
]
