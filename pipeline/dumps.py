"""SQL dump files read as a stream, without a database server: pg_dump plain, mysqldump, sqlite .dump.

Memory is bounded whatever the dump's size: the file is read line by line, one statement at a time;
rows are buffered per table and every CHUNK_ROWS rows are written as a Parquet chunk into the private
session folder. A table's frame scans its chunks lazily.

What is read: CREATE TABLE (column names, declared types, inline PRIMARY KEY / REFERENCES and table
constraints), ALTER TABLE ... ADD [CONSTRAINT] PRIMARY KEY / FOREIGN KEY, COPY ... FROM stdin blocks,
and INSERT / REPLACE statements (single or multi-row, with or without a column list). Everything else
(SET, LOCK, indexes, functions, grants) is skipped. COPY blocks are decoded with polars expressions a
chunk at a time; INSERT statements are tokenised with regular expressions (the dump is text: it has to
be parsed somewhere, and a regex match per value is the cheapest way short of a database server).

A broken statement costs that statement's rows, counted in a warning with its line number; a dump that
ends mid-statement keeps every complete row before the cut and says where it broke.
"""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

from pipeline.sources import safe_name
from pipeline.tables import SourceResult, Table, Unreadable, declared_links_of, with_composite_keys

CHUNK_ROWS = 50_000
PENDING_BYTES = 16 << 20  # INSERT text decoded per polars batch
STMT = "__statement"  # the statement a row came from, inside one batch
MAX_STATEMENT_BYTES = 1 << 30  # one INSERT longer than this is not a dump we can stream

# ---------------------------------------------------------------- identifiers and types

_IDENT = r'(?:`(?:[^`]|``)+`|"(?:[^"]|"")+"|\[[^\]]+\]|[A-Za-z_$][\w$]*)'
_QNAME = rf"{_IDENT}(?:\s*\.\s*{_IDENT})*"

_INTEGER_TYPES = re.compile(
    r"^(?:tiny|small|medium|big)?int(?:eger|\d)?\b|^(?:small|big)?serial\d?\b|^int\d\b|^long\b|^year\b",
    re.I,
)
_FLOAT_TYPES = re.compile(r"^(?:float\d?|double|real|numeric|decimal|dec|money|number)\b", re.I)
_TEMPORAL_TYPES = re.compile(r"^(?:date|time|timestamp|datetime|interval)", re.I)
_BINARY_TYPES = re.compile(r"^(?:bytea|(?:tiny|medium|long)?blob|(?:var)?binary|bit)\b", re.I)
_BOOL_TYPES = re.compile(r"^bool", re.I)


def unquote_ident(ident: str) -> str:
    ident = ident.strip()
    if len(ident) >= 2 and ident[0] == ident[-1] and ident[0] in '`"':
        q = ident[0]
        return ident[1:-1].replace(q + q, q)
    if ident.startswith("[") and ident.endswith("]"):
        return ident[1:-1]
    return ident


def split_qname(qname: str) -> list[str]:
    return [unquote_ident(m.group(0)) for m in re.finditer(_IDENT, qname)]


def type_kind(declared: str) -> str:
    """The source type of a column as tables.Table.source_types spells it."""
    t = declared.strip().lower()
    if not t:
        return "string"
    if _INTEGER_TYPES.match(t):
        return "integer"
    if _FLOAT_TYPES.match(t):
        m = re.match(r"^(?:numeric|decimal|dec|number)\s*\(\s*\d+\s*(?:,\s*(\d+)\s*)?\)", t)
        if m and (m.group(1) is None or int(m.group(1)) == 0):
            return "integer"
        return "float"
    if _BOOL_TYPES.match(t):
        return "boolean"
    if _TEMPORAL_TYPES.match(t):
        return "temporal"
    if _BINARY_TYPES.match(t):
        return "binary"
    return "string"


def outside_quotes(text: str, start: int = 0, backslash_escapes: bool = True):
    """Yield (position, character, depth) for each character outside quotes, from `start`.

    depth counts the parentheses open at that character (a ")" is reported after it closes). One scanner for
    splitting column lists and for finding where a CREATE TABLE body ends.
    """
    depth, i, quote = 0, start, ""
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == "'" and backslash_escapes:
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        else:
            if ch == ")":
                depth -= 1
            yield i, ch, depth
            if ch == "(":
                depth += 1
        i += 1


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on sep outside parentheses and quotes (column definitions, ALTER TABLE actions)."""
    parts, start = [], 0
    for i, ch, depth in outside_quotes(text):
        if ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _ident_list(text: str) -> list[str]:
    """Column names of a key or column list; a key column's order (SQL Server's `[Id] ASC`) is not its name."""
    return list(_ident_tuple(text))


@lru_cache(maxsize=1024)
def _ident_tuple(text: str) -> tuple[str, ...]:
    # cached: a dump repeats one INSERT column list on every row (SQL Server, --column-inserts)
    return tuple(
        safe_name(unquote_ident(re.sub(r"\s+(?:ASC|DESC)\s*$", "", p, flags=re.I) if " " in p else p))
        for p in split_top_level(text)
    )


# ---------------------------------------------------------------- table state


@dataclass
class _TableState:
    qname: list[str]  # schema-qualified name parts as written
    columns: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # declared SQL type per column
    primary_key: list[str] = field(default_factory=list)
    # (to-qname as the dump's current database qualifies it, from columns, to columns)
    links: list[tuple[list[str], list[str], list[str]]] = field(default_factory=list)
    chunks: list[Path] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # VALUES lists waiting for the vector decoder
    pending_lines: list[int] = field(default_factory=list)
    pending_columns: list[str] = field(default_factory=list)
    pending_bytes: int = 0
    chunk_columns: list[tuple[str, ...]] = field(default_factory=list)
    buffer: list[tuple] = field(default_factory=list)  # INSERT rows not yet written
    buffer_columns: list[str] | None = None
    rows: int = 0
    bad_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    has_data: bool = False


class DumpReader:
    """One pass over a dump; ``tables`` fills as statements are read."""

    def __init__(self, display: str, chunk_rows: int = CHUNK_ROWS):
        self.display = display
        self.chunk_rows = chunk_rows
        self.tables: dict[str, _TableState] = {}  # key: lower-cased qualified name
        self.dialect = ""  # "postgresql" | "mysql" | "sqlite" | "" until seen
        self.backslash_escapes = False  # MySQL strings, or PostgreSQL standard_conforming_strings=off
        self.unreadable: list[Unreadable] = []
        self.skipped_statements = 0
        self.first_skipped_line = 0
        self.delimiter = ";"  # mysqldump switches to ";;" around triggers and routines
        self._stripped: tuple[str, str] | None = None  # (statement, statement without strings), reused once
        self.recoded_values = 0  # values that were not UTF-8 (read as Windows-1252)
        # the database the statements are in: mysqldump's "-- Host: ... Database: shop" header, CREATE DATABASE and
        # USE (--databases, --all-databases), pg_dumpall's \connect. It qualifies the tables' names (see _in_database)
        self.database = ""
        self.nul_padding = 0  # NULs of padding dropped (a preallocated or truncated file)
        # T-SQL: inside a CREATE PROCEDURE / FUNCTION / TRIGGER / VIEW batch (until GO)
        self.batch_body = False

    # -- naming

    def _in_database(self, qname: list[str]) -> list[str]:
        """A table's name qualified by the database it is in (shop.customers; shop.public.customers in a pg_dumpall):
        the source's name is its database's (bank_account.source_name reads casino_ops from
        backup.sql#casino_ops.accounts, beside the file's name), and two databases' customers in one
        --all-databases dump stay two tables. Until 2026-11-25 only the file's name named the source."""
        depth = (
            3 if self.dialect in ("postgresql", "mssql") else 2
        )  # database.schema.table; MySQL's database is its schema
        return [self.database, *qname] if self.database and len(qname) < depth else qname

    def _table(self, qname: list[str]) -> _TableState:
        qname = self._in_database(qname)
        key = ".".join(qname).lower()
        state = self.tables.get(key)
        if state is None:
            # "customers" and "public.customers" (or shop.customers) are one table when only one of them exists
            lower = [q.lower() for q in qname]
            for s in self.tables.values():
                theirs = [q.lower() for q in s.qname]
                short, long = sorted((lower, theirs), key=len)
                if long[len(long) - len(short) :] == short:
                    return s
            state = self.tables[key] = _TableState(qname)
        return state

    # -- reading

    def read(self, lines: Iterator[str]) -> None:
        statement: list[str] = []
        size = 0
        start_line = 0
        lineno = 0
        copy_state: _TableState | None = None
        copy_cols: list[str] = []
        copy_lines: list[str] = []
        copy_start = 0
        for lineno, line in enumerate(lines, start=1):
            if "\x00" in line:
                # padding (a preallocated or truncated dump): NULs at a line's start or end, as CSV drops them
                # (sources.NulPadding); a dump never holds a NUL byte of data (mysqldump writes \0, COPY cannot)
                cleaned = _NUL_RUN.sub("", line)
                self.nul_padding += len(line) - len(cleaned)
                if not cleaned:
                    continue
                line = cleaned
            if self.dialect in ("", "mssql") and _GO.match(line):
                # T-SQL's batch separator (SSMS "Generate Scripts", sqlcmd): it ends the statement before it, whose
                # text has no ';' (until 2026-11-25 such a script was one unfinished statement: "truncated")
                text = _terminated("".join(statement)) if statement else ""
                if statement and not self._complete(text):
                    statement.append(line)  # a line "GO" inside a string value
                    continue
                self.dialect, self.batch_body = "mssql", False
                if statement:
                    self._finish_statement(text, start_line, eof=False)
                    statement, size = [], 0
                continue
            if self.batch_body:
                continue  # a procedure's, function's, trigger's or view's body: never data
            if copy_state is not None:
                if line.startswith("\\.") and line.rstrip("\r\n") == "\\.":
                    self._flush_copy(copy_state, copy_cols, copy_lines)
                    copy_state, copy_lines = None, []
                    continue
                copy_lines.append(line)
                if len(copy_lines) >= self.chunk_rows:
                    self._flush_copy(copy_state, copy_cols, copy_lines)
                    copy_lines = []
                continue
            if (
                statement
                and self.dialect == "mssql"
                and _TSQL_STATEMENT.match(line)
                and self._complete(text := _terminated("".join(statement)))
                and self._balanced()
            ):
                # T-SQL needs no terminator: a statement ends where the next one starts (one INSERT a line), outside
                # quotes and parentheses (a CREATE TABLE's column lines)
                self._finish_statement(text, start_line, eof=False)
                statement, size = [], 0
            if not statement:
                stripped = line.lstrip()
                if not self.dialect and _TSQL_START.match(stripped):
                    self.dialect = "mssql"
                if self.dialect == "mssql" and _TSQL_BODY.match(stripped):
                    self.batch_body = True  # the batch is one CREATE PROCEDURE ... up to GO
                    continue
                if not stripped or stripped.startswith("--") or stripped.startswith("#"):
                    self._sniff_comment(stripped)
                    continue
                if stripped.startswith("\\"):
                    self._connect(stripped)
                    continue  # psql meta-command (\restrict, \connect)
                if (
                    stripped.startswith("/*")
                    and stripped.rstrip().endswith("*/")
                    and "*/" not in stripped[2:-3]
                ):
                    continue  # a comment line without ';'
                m = re.match(r"DELIMITER\s+(\S+)", stripped, re.I)
                if m:
                    self.delimiter = m.group(1)
                    continue
                if "`" in stripped[:200] and not self.dialect:
                    self._set_mysql()
                start_line = lineno
            elif _NEW_STATEMENT.match(line) and self.delimiter == ";":
                # the previous statement never ended (garbage or a cut): close it and start afresh
                self._finish_statement("".join(statement), start_line, eof=False, broken_at=lineno)
                statement, size, start_line = [], 0, lineno
            statement.append(line)
            size += len(line)
            if size > MAX_STATEMENT_BYTES:
                self._skip(
                    start_line, f"statement at line {start_line} longer than {MAX_STATEMENT_BYTES} bytes"
                )
                statement, size = [], 0
                continue
            if not line.rstrip().endswith(self.delimiter):
                continue
            text = "".join(statement)
            if self.delimiter != ";":
                statement, size = [], 0  # a routine or trigger body: never data
                continue
            if not self._complete(text):
                continue
            statement, size = [], 0
            copy = self._finish_statement(text, start_line, eof=False)
            if copy is not None:
                copy_state, copy_cols = copy
                copy_start = lineno
        if copy_state is not None:
            self._flush_copy(copy_state, copy_cols, copy_lines)
            copy_state.warnings.append(
                f"dump ends inside the COPY data that starts at line {copy_start} (no \\. terminator): "
                f"truncated after line {lineno}; rows before the cut were read"
            )
        elif (
            statement and self.dialect == "mssql" and self._complete(text := _terminated("".join(statement)))
        ):
            # a T-SQL script's last statement needs neither ';' nor GO
            self._finish_statement(text, start_line, eof=False)
        elif statement:
            text = "".join(statement)
            self._finish_statement(text, start_line, eof=True)
            if not _INSERT_HEAD.match(text):
                self.unreadable.append(
                    Unreadable(
                        self.display,
                        f"dump ends inside an unfinished statement that starts at line {start_line} "
                        f"(truncated after line {lineno})",
                    )
                )
        for state in self.tables.values():
            self._flush_rows(state)
        if self.skipped_statements:
            self.unreadable.append(
                Unreadable(
                    self.display,
                    f"{self.skipped_statements} statements could not be parsed and were skipped "
                    f"(first at line {self.first_skipped_line})",
                )
            )

    def _sniff_comment(self, line: str) -> None:
        m = _DATABASE_HEADER.match(line)
        if m and not self.database:  # mysqldump's "-- Host: localhost    Database: casino_ops" (one database)
            self.database = unquote_ident(m.group(1))
        if self.dialect:
            return
        if "PostgreSQL database dump" in line:
            self.dialect = "postgresql"
        elif "MySQL dump" in line or "MariaDB dump" in line:
            self._set_mysql()

    def _connect(self, line: str) -> None:
        r"""psql's \connect shop / \c shop / \connect -reuse-previous=on "dbname='shop'" (pg_dumpall, pg_dump -C)."""
        m = re.match(r"\\(?:connect|c)\s+(.*)", line.strip())
        if not m:
            return
        arg = m.group(1)
        named = re.search(r"dbname\s*=\s*'((?:[^'\\]|\\.)*)'", arg)
        if named:
            self.database = re.sub(r"\\(.)", r"\1", named.group(1))
        else:
            words = [w for w in arg.split() if not w.startswith("-")]
            if words:
                self.database = unquote_ident(words[0])
        self.dialect = self.dialect or "postgresql"

    def _use(self, text: str) -> None:
        """MySQL's USE `shop`; and CREATE DATABASE / SCHEMA `shop` (mysqldump --databases writes both)."""
        m = _USE.match(text)
        if not m and self.dialect != "postgresql":
            m = _CREATE_DATABASE.match(text)
            if m and m.group("kind").upper() == "SCHEMA" and self.dialect != "mysql":
                m = None  # PostgreSQL's CREATE SCHEMA makes a schema, not a database
        if m:
            self.database = unquote_ident(m.group("db"))

    def _set_mysql(self) -> None:
        self.dialect = "mysql"
        self.backslash_escapes = True

    def _complete(self, text: str) -> bool:
        """Ends with ';' outside any quote (one regular-expression pass, in C)."""
        rest = (_STRINGS_ESC if self.backslash_escapes else _STRINGS).sub("", text)
        self._stripped = (text, rest)
        if "'" in rest or rest.count('"') % 2 or rest.count("`") % 2:
            return False
        if _INSERT_HEAD.match(text):
            return True
        # PostgreSQL dollar quoting ($$ ... $$, $body$ ... $body$) around function bodies
        tags = re.findall(r"\$[A-Za-z_]*\$", rest)
        return all(tags.count(t) % 2 == 0 for t in set(tags))

    def _balanced(self) -> bool:
        """Whether the statement _complete just checked closes every parenthesis it opens (outside strings)."""
        rest = self._stripped[1] if self._stripped is not None else ""
        return rest.count("(") == rest.count(")")

    def _skip(self, line: int, _why: str) -> None:
        self.skipped_statements += 1
        if not self.first_skipped_line:
            self.first_skipped_line = line

    def _finish_statement(
        self, text: str, line: int, eof: bool, broken_at: int = 0
    ) -> tuple[_TableState, list[str]] | None:
        head = text.lstrip()[:40].upper()
        try:
            if broken_at and not head.startswith(("INSERT", "REPLACE")):
                raise _ParseError
            if head.startswith(("INSERT", "REPLACE")):
                self._insert(text, line, eof, broken_at)
            elif head.startswith("COPY"):
                return self._copy_start(text, line)
            elif head.startswith("USE") or re.match(r"CREATE\s+(DATABASE|SCHEMA)\b", head):
                self._use(text)
            elif head.startswith("CREATE"):
                self._create(text, line)
            elif head.startswith("ALTER TABLE"):
                self._alter(text)
            elif head.startswith("SET"):
                self._set(text)
            elif head.startswith(("PRAGMA", "BEGIN TRANSACTION")) and not self.dialect:
                self.dialect = "sqlite"
            elif head.startswith("/*!") and not self.dialect:
                self._set_mysql()
        except _ParseError:
            self._skip(line, "unparseable")
        return None

    def _set(self, text: str) -> None:
        m = re.match(r"\s*SET\s+standard_conforming_strings\s*=\s*'?(\w+)", text, re.I)
        if m:
            self.dialect = self.dialect or "postgresql"
            self.backslash_escapes = m.group(1).lower() == "off"

    # -- CREATE TABLE / ALTER TABLE

    def _create(self, text: str, line: int) -> None:
        m = _CREATE_TABLE.match(text)
        if not m:
            return  # CREATE INDEX / VIEW / FUNCTION / SEQUENCE ...: not data
        if "`" in m.group("table") and not self.dialect:
            self._set_mysql()
        body_start = m.end()
        end = None
        for i, ch, depth in outside_quotes(text, body_start, self.backslash_escapes):
            if ch == ")" and depth < 0:  # the parenthesis that opened the body closes
                end = i
                break
        if end is None:
            raise _ParseError
        state = self._table(split_qname(m.group("table")))
        state.columns, state.types = [], {}
        for item in split_top_level(text[body_start:end]):
            self._table_item(state, item)

    def _table_item(self, state: _TableState, item: str) -> None:
        upper = item.upper()
        m = re.match(rf"CONSTRAINT\s+{_IDENT}\s+", item, re.I)
        if m:
            item, upper = item[m.end() :], upper[m.end() :]
        if upper.startswith("PRIMARY KEY"):
            cols = re.search(r"\((.*?)\)", item, re.S)
            if cols:
                state.primary_key = _ident_list(cols.group(1))
            return
        if upper.startswith("FOREIGN KEY"):
            self._foreign_key(state, item)
            return
        if re.match(r"(?:UNIQUE|KEY|INDEX|FULLTEXT|SPATIAL|CHECK|EXCLUDE)\b", upper):
            return
        m = re.match(rf"({_IDENT})\s*(.*)", item, re.S)
        if not m:
            return
        col = safe_name(unquote_ident(m.group(1)))
        # SQL Server brackets its types too: [nvarchar](11)
        rest = re.sub(r"^\[([^\]]+)\]", r"\1", m.group(2))
        type_m = re.match(
            r"([A-Za-z_][\w ]*?(?:\([^)]*\))?(?:\s+(?:unsigned|varying|precision))*)(?=\s|$|,)", rest
        )
        declared = type_m.group(1).strip() if type_m else ""
        declared = re.split(
            r"\s+(?:NOT|NULL|DEFAULT|PRIMARY|REFERENCES|UNIQUE|CHECK|COLLATE|AUTO_INCREMENT|GENERATED|CONSTRAINT|COMMENT|CHARACTER)\b",
            declared,
            flags=re.I,
        )[0]
        state.columns.append(col)
        state.types[col] = declared
        if re.search(r"\bPRIMARY\s+KEY\b", rest, re.I):
            state.primary_key = [col]
        ref = re.search(rf"\bREFERENCES\s+({_QNAME})\s*(?:\(([^)]*)\))?", rest, re.I)
        if ref:
            to_cols = _ident_list(ref.group(2)) if ref.group(2) else []
            state.links.append((self._in_database(split_qname(ref.group(1))), [col], to_cols))

    def _foreign_key(self, state: _TableState, item: str) -> None:
        m = re.search(
            rf"FOREIGN\s+KEY\s*(?:{_IDENT}\s*)?\(([^)]*)\)\s*REFERENCES\s+({_QNAME})\s*(?:\(([^)]*)\))?",
            item,
            re.I | re.S,
        )
        if m:
            to_cols = _ident_list(m.group(3)) if m.group(3) else []
            state.links.append((self._in_database(split_qname(m.group(2))), _ident_list(m.group(1)), to_cols))

    def _alter(self, text: str) -> None:
        m = re.match(
            rf"\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?({_QNAME})\s+(.*?);?\s*$",
            text,
            re.I | re.S,
        )
        if not m:
            return
        state = self._table(split_qname(m.group(1)))
        actions = re.sub(r"^WITH\s+(?:NO)?CHECK\s+", "", m.group(2).strip(), flags=re.I)  # SQL Server's
        for action in split_top_level(actions):
            a = re.sub(r"^ADD\s+", "", action.strip(), flags=re.I)
            if a == action.strip():
                continue
            self._table_item_constraint(state, a)

    def _table_item_constraint(self, state: _TableState, item: str) -> None:
        m = re.match(rf"CONSTRAINT\s+{_IDENT}\s+", item, re.I)
        body = item[m.end() :] if m else item
        if re.match(r"(?:PRIMARY\s+KEY|FOREIGN\s+KEY)", body, re.I):
            self._table_item(state, body)

    # -- COPY

    def _copy_start(self, text: str, line: int) -> tuple[_TableState, list[str]] | None:
        m = _COPY_HEAD.match(text)
        if not m:
            f = _COPY_FROM_FILE.match(text)
            if f:  # pg_dump's tar / directory format: the rows are in another member ('$$PATH$$/3340.dat')
                self._table(split_qname(f.group("table"))).warnings.append(
                    "COPY reads its rows from a file outside this dump (pg_dump tar or directory format): "
                    "restore it with `pg_restore -f out.sql` and scan out.sql"
                )
            return None  # COPY ... TO / FROM 'file': no data inline
        self.dialect = self.dialect or "postgresql"
        state = self._table(split_qname(m.group("table")))
        cols = _ident_list(m.group("cols")) if m.group("cols") else list(state.columns)
        if not state.columns:
            state.columns = list(cols)
        return state, cols

    def _flush_copy(self, state: _TableState, cols: list[str], lines: list[str]) -> None:
        if not lines:
            return
        if not cols:
            width = lines[0].count("\t") + 1
            cols = state.columns = [f"column{i + 1}" for i in range(width)]
            state.warnings.append("no CREATE TABLE for this table: columns named column1..N")
        if not all(line.isascii() for line in lines):
            lines = [self._utf8(line) or "" for line in lines]
        frame, bad = copy_lines_to_frame(lines, cols)
        state.bad_rows += bad
        self._write_chunk(state, frame)

    # -- INSERT

    def _insert(self, text: str, line: int, eof: bool, broken_at: int = 0) -> None:
        m = _INSERT_HEAD.match(text)
        if not m:
            raise _ParseError
        state = self._table(split_qname(m.group("table")))
        cols = _ident_list(m.group("cols")[1:-1]) if m.group("cols") else list(state.columns)
        if (
            cols and not state.columns
        ):  # no CREATE TABLE: the INSERT names the columns (kept if no row parses)
            state.columns = list(cols)
        stripped = self._stripped[1] if self._stripped is not None and self._stripped[0] is text else None
        self._stripped = None
        payload = text[m.end() :]
        if cols and not eof and not broken_at and stripped is not None and _vector_ok(stripped, payload):
            # the common case: a complete, plain VALUES list, decoded in batches by polars
            if state.buffer:
                self._flush_rows(state)
            if state.pending and state.pending_columns != cols:
                self._flush_pending(state)
            state.pending.append(payload)
            state.pending_lines.append(line)
            state.pending_columns = cols
            state.pending_bytes += len(payload)
            if state.pending_bytes >= PENDING_BYTES:
                self._flush_pending(state)
            return
        if state.pending:
            self._flush_pending(state)
        rows, status = _parse_insert_values(text, m.end(), self.backslash_escapes)
        if rows and not cols:
            cols = state.columns = [f"column{i + 1}" for i in range(len(rows[0]))]
            state.warnings.append("no CREATE TABLE for this table: columns named column1..N")
        good = [r for r in rows if len(r) == len(cols)]
        state.bad_rows += len(rows) - len(good)
        if status == "incomplete" and broken_at:
            state.warnings.append(
                f"INSERT statement at line {line} never ends (a new statement starts at line {broken_at}): "
                f"{len(good)} complete rows before the break were read"
            )
            state.bad_rows += 1
        elif status == "incomplete" and eof:
            state.warnings.append(
                f"dump ends inside the INSERT statement that starts at line {line}: "
                f"{len(good)} complete rows before the cut were read"
            )
        elif status not in ("ok", "incomplete"):
            state.warnings.append(
                f"INSERT statement at line {line} is malformed after {len(rows)} rows: the rest of it was skipped"
            )
            state.bad_rows += 1
        if not good:
            return
        if state.buffer_columns is not None and state.buffer_columns != cols:
            self._flush_rows(state)
        state.buffer_columns = cols
        state.buffer.extend(good)
        if len(state.buffer) >= self.chunk_rows:
            self._flush_rows(state)

    def _flush_rows(self, state: _TableState) -> None:
        if state.pending:
            self._flush_pending(state)
        if not state.buffer:
            return
        cols = state.buffer_columns or state.columns
        rows = state.buffer
        state.buffer = []
        try:
            frame = pl.DataFrame(rows, schema=dict.fromkeys(cols, pl.String), orient="row")
        except (UnicodeEncodeError, pl.exceptions.PolarsError, ValueError, TypeError):
            rows = [
                tuple(self._utf8(v) for v in r) for r in rows
            ]  # error path only: bytes that were not UTF-8
            frame = pl.DataFrame(rows, schema=dict.fromkeys(cols, pl.String), orient="row")
        self._write_chunk(state, frame)

    def _utf8(self, value: str | None) -> str | None:
        if value is None or value.isascii():
            return value
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            self.recoded_values += 1
            return value.encode("utf-8", "surrogateescape").decode("cp1252", "breachscan-latin1")

    def _flush_pending(self, state: _TableState) -> None:
        payloads, lines, cols = state.pending, state.pending_lines, state.pending_columns
        state.pending, state.pending_lines, state.pending_bytes = [], [], 0
        if not payloads:
            return
        payloads = [self._utf8(p) or "" for p in payloads]
        frame, bad_rows, broken = insert_payloads_to_frame(payloads, cols, self.backslash_escapes)
        state.bad_rows += bad_rows
        parts = [frame]
        for i in broken:  # statements the vector path could not vouch for: the exact parser decides
            rows, status = _parse_insert_values(payloads[i], 0, self.backslash_escapes)
            good = [tuple(self._utf8(v) for v in r) for r in rows if len(r) == len(cols)]
            state.bad_rows += len(rows) - len(good)
            if status != "ok":
                state.warnings.append(
                    f"INSERT statement at line {lines[i]} is malformed after {len(rows)} rows: the rest of it was skipped"
                )
                state.bad_rows += 1
            if good:
                exact = pl.DataFrame(good, schema=dict.fromkeys(cols, pl.String), orient="row")
                parts.append(exact.with_columns(pl.lit(i, frame.schema[STMT]).alias(STMT)))
        merged = pl.concat(parts, how="vertical").sort(STMT, maintain_order=True).drop(STMT)
        if merged.height:
            self._write_chunk(state, merged)

    def _write_chunk(self, state: _TableState, frame: pl.DataFrame) -> None:
        from pipeline.sources import private_file

        missing = [c for c in state.columns if c not in frame.columns]
        if missing:
            frame = frame.with_columns([pl.lit(None, pl.String).alias(c) for c in missing])
        frame = frame.select(
            [c for c in state.columns if c in frame.columns]
            + [c for c in frame.columns if c not in state.columns]
        )
        path = private_file(".parquet")
        frame.write_parquet(path)
        state.chunks.append(path)
        state.chunk_columns.append(tuple(frame.columns))
        state.rows += frame.height
        state.has_data = True

    # -- result

    def result(self) -> SourceResult:
        from pipeline.sources import as_strings, padding_warning

        out = SourceResult(unreadable=list(self.unreadable))
        if self.recoded_values:
            out.unreadable.append(
                Unreadable(
                    self.display,
                    f"{self.recoded_values} values or lines were not valid UTF-8; read as Windows-1252 (Latin-1)",
                )
            )
        names = self._names()
        for key, state in self.tables.items():
            if not state.columns and not state.chunks:
                if state.warnings or state.bad_rows:  # statements of a table none of which could be read
                    said = "; ".join(state.warnings) or f"{state.bad_rows} rows could not be parsed"
                    out.unreadable.append(Unreadable(f"{self.display}#{'.'.join(state.qname)}", said))
                continue
            name = names[key]
            lf = self._frame(state)
            lf = lf.with_columns(
                [
                    pl.col(c).str.strip_prefix("\\x").alias(c)
                    for c, t in state.types.items()
                    if type_kind(t) == "binary" and c in state.columns
                ]
            )
            frame, kinds = as_strings(lf)
            for col, declared in state.types.items():
                if col in kinds:
                    kinds[col] = type_kind(declared)
            links = []
            for to_q, from_cols, to_cols in state.links:
                to_key = self._key_for(to_q)
                to_name = names.get(to_key, to_q[-1])
                target = self.tables.get(to_key)
                to_cols = to_cols or (target.primary_key if target else [])
                links.extend(declared_links_of(name, to_name, from_cols, to_cols))
            warnings = list(state.warnings) + padding_warning(self.nul_padding)
            if state.bad_rows:
                warnings.insert(
                    0, f"{state.bad_rows} rows could not be parsed (wrong number of values) and were skipped"
                )
            out.tables.append(
                Table(
                    name,
                    f"{self.display}#{'.'.join(state.qname)}",
                    frame,
                    kinds,
                    declared_links=links,
                    primary_key=list(state.primary_key),
                    warnings=warnings,
                )
            )
        with_composite_keys(out.tables)
        return out

    def _frame(self, state: _TableState) -> pl.LazyFrame:
        if not state.chunks:
            return pl.LazyFrame(schema=dict.fromkeys(state.columns, pl.String))
        if len(set(state.chunk_columns)) == 1:
            lf = pl.scan_parquet(state.chunks)
        else:  # a column list changed between INSERTs: align chunks by name
            lf = pl.concat([pl.scan_parquet(p) for p in state.chunks], how="diagonal")
        present = lf.collect_schema().names()
        order = [c for c in state.columns if c in present] + [c for c in present if c not in state.columns]
        missing = [pl.lit(None, pl.String).alias(c) for c in state.columns if c not in present]
        return lf.select([*order]).with_columns(missing) if missing else lf.select(order)

    def _key_for(self, qname: list[str]) -> str:
        key = ".".join(qname).lower()
        if key in self.tables:
            return key
        short = qname[-1].lower()
        matches = [k for k, s in self.tables.items() if s.qname[-1].lower() == short]
        return matches[0] if len(matches) == 1 else key

    def _names(self) -> dict[str, str]:
        """public.customers -> customers, unless two schemas both have a customers: then the shortest end of the
        qualified names that tells them apart (dbo.Customers and sales.Customers of one database, not
        ShopDB.dbo.Customers; casino_ops.accounts and credit_union.accounts of two)."""
        same: dict[str, list[list[str]]] = {}
        for s in self.tables.values():  # one entry per table
            same.setdefault(s.qname[-1], []).append(s.qname)
        names = {}
        for k, s in self.tables.items():  # one entry per table
            others = same[s.qname[-1]]
            n = 1
            while n < len(s.qname) and sum(o[-n:] == s.qname[-n:] for o in others) > 1:
                n += 1
            names[k] = ".".join(s.qname[-n:])
        return names


class _ParseError(Exception):
    pass


def _terminated(text: str) -> str:
    """A T-SQL statement (ended by GO or by the next statement) with the ';' the parsers expect."""
    text = text.rstrip()
    return text + "\n" if text.endswith(";") else text + ";\n"


# ---------------------------------------------------------------- statement patterns

_DATABASE_HEADER = re.compile(rf"--\s*Host:.*?\bDatabase:\s*({_IDENT})", re.I)
_USE = re.compile(rf"\s*USE\s+(?P<db>{_IDENT})\s*(?:;|$)", re.I)
_CREATE_DATABASE = re.compile(
    rf"\s*CREATE\s+(?P<kind>DATABASE|SCHEMA)\s+(?:/\*.*?\*/\s*)?(?:IF\s+NOT\s+EXISTS\s+)?(?P<db>{_IDENT})",
    re.I | re.S,
)
# T-SQL (SQL Server Management Studio's "Generate Scripts", sqlcmd): GO on a line of its own ends a batch; a statement
# needs no ';' (it ends where the next starts); a script starts like one of these
_GO = re.compile(r"[ \t]*GO(?:[ \t]+\d+)?[ \t]*(?:--[^\n]*)?\r?\n?$", re.I)
_TSQL_START = re.compile(
    r"(?:USE\s*\[|SET\s+(?:ANSI_NULLS|QUOTED_IDENTIFIER|ANSI_PADDING|ANSI_WARNINGS|NOCOUNT|IDENTITY_INSERT|XACT_ABORT)\b"
    r"|INSERT\s+(?:INTO\s+)?\[|CREATE\s+TABLE\s+\[|/\*{6} Object:)",
    re.I,
)
_TSQL_STATEMENT = re.compile(
    r"(?:INSERT|SET|CREATE|ALTER|USE|DROP|EXEC|EXECUTE|PRINT|DECLARE|IF|BEGIN|END|GRANT|DENY|REVOKE|DBCC|UPDATE"
    r"|DELETE|MERGE|TRUNCATE|SELECT|COMMIT|ROLLBACK|RAISERROR|WAITFOR)\b",
    re.I,
)
# a batch holding a routine, trigger or view: its body may hold INSERT ... VALUES (@param) statements, never data
_TSQL_BODY = re.compile(
    r"(?:CREATE|ALTER|CREATE\s+OR\s+ALTER)\s+(?:PROC|PROCEDURE|FUNCTION|TRIGGER|VIEW)\b", re.I
)
_NUL_RUN = re.compile(r"^\x00+|\x00+(?=\r?\n?$)")
_NEW_STATEMENT = re.compile(r"(?:INSERT INTO|CREATE TABLE|COPY |ALTER TABLE|DROP TABLE|-- )", re.I)
_CREATE_TABLE = re.compile(
    rf"\s*CREATE\s+(?:(?:GLOBAL|LOCAL|TEMPORARY|TEMP|UNLOGGED|OR\s+REPLACE)\s+)*TABLE\s+"
    rf"(?:IF\s+NOT\s+EXISTS\s+)?(?P<table>{_QNAME})\s*\(",
    re.I | re.S,
)
_COPY_FROM_FILE = re.compile(
    rf"\s*COPY\s+(?:ONLY\s+)?(?P<table>{_QNAME})\s*(?:\([^)]*\))?\s*FROM\s+'", re.I | re.S
)
_COPY_HEAD = re.compile(
    rf"\s*COPY\s+(?:ONLY\s+)?(?P<table>{_QNAME})\s*(?:\((?P<cols>[^)]*)\))?\s*FROM\s+stdin\b",
    re.I | re.S,
)
_INSERT_HEAD = re.compile(
    rf"\s*(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE|OR\s+\w+)\s+)*(?:INTO\s+)?"
    rf"(?P<table>{_QNAME})\s*(?P<cols>\((?:[^()'`\"]|{_IDENT})*\))?\s*VALUES\s*",
    re.I | re.S,
)
_STRINGS = re.compile(
    r"[Ee]'[^'\\]*(?:(?:\\.|'')[^'\\]*)*'|'[^']*(?:''[^']*)*'|\"[^\"]*\"|`[^`]*`|--[^\n]*|/\*.*?\*/", re.S
)
_STRINGS_ESC = re.compile(
    r"'[^'\\]*(?:(?:\\.|'')[^'\\]*)*'|\"[^\"\\]*(?:\\.[^\"\\]*)*\"|`[^`]*`|--[^\n]*|/\*.*?\*/", re.S
)

# one value in a VALUES tuple; strings without backslash escapes (PostgreSQL, SQLite) ...
_VALUE = re.compile(
    r"""\s*(?:
        (?P<e>[Ee])'(?P<es>[^'\\]*(?:(?:\\.|'')[^'\\]*)*)'
      | (?P<b>_binary\s*|_utf8mb4\s*|_latin1\s*|N)?'(?P<s>[^']*(?:''[^']*)*)'
      | (?P<x>[Xx]'[0-9A-Fa-f]*'|0x[0-9A-Fa-f]+)
      | (?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<w>[A-Za-z_][\w]*)
    )""",
    re.X | re.S,
)
# ... and with them (MySQL, or standard_conforming_strings=off)
_VALUE_ESC = re.compile(
    r"""\s*(?:
        (?P<e>[Ee])'(?P<es>[^'\\]*(?:(?:\\.|'')[^'\\]*)*)'
      | (?P<b>_binary\s*|_utf8mb4\s*|_latin1\s*|N)?'(?P<s>[^'\\]*(?:(?:\\.|'')[^'\\]*)*)'
      | (?P<x>[Xx]'[0-9A-Fa-f]*'|0x[0-9A-Fa-f]+)
      | (?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<w>[A-Za-z_][\w]*)
    )""",
    re.X | re.S,
)
_CAST = re.compile(
    r"\s*::\s*[\w.\"]+(?:\s+(?:varying|precision|without time zone|with time zone))?(?:\s*\([^)]*\))?(?:\[\])?"
)
_ESCAPES = {"0": "\x00", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "f": "\f", "v": "\v"}
_BACKSLASH = re.compile(r"\\(.)", re.S)
_WS = re.compile(r"\s*")


def _unescape(body: str) -> str:
    if "\\" in body:
        body = _BACKSLASH.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)
    return body.replace("''", "'") if "''" in body else body


def _parse_value(text: str, pos: int, esc: bool) -> tuple[str | None, int]:
    m = (_VALUE_ESC if esc else _VALUE).match(text, pos)
    if not m:
        rest = text[pos:].lstrip()
        if rest[:1] == "'" or rest[:2].lower() in ("e'", "x'", "n'") or rest.lower().startswith("_binary"):
            raise _Incomplete
        if not rest:
            raise _Incomplete
        raise _ParseError
    end = m.end()
    if m.group("s") is not None:
        body = m.group("s")
        if esc:
            value = _unescape(body)
        else:
            value = body.replace("''", "'") if "''" in body else body
        if m.group("b") and m.group("b").strip() == "_binary":
            value = value.encode("utf-8", "surrogateescape").hex()
    elif m.group("es") is not None:
        value = _unescape(m.group("es"))
    elif m.group("x") is not None:
        x = m.group("x")
        value = x[2:-1].lower() if x[0] in "Xx" and x[1] == "'" else x[2:].lower()
    elif m.group("num") is not None:
        value = m.group("num")
    else:
        word = m.group("w")
        after = _WS.match(text, end).end()
        if after < len(text) and text[after] == "(":
            return _parse_call(word, text, after + 1, esc)
        upper = word.upper()
        if upper in ("DATE", "TIMESTAMP", "TIME") and text[after : after + 1] == "'":
            return _parse_value(text, after, esc)  # a typed literal (DATE '1987-07-31'): its string
        value = None if upper == "NULL" else word.lower() if upper in ("TRUE", "FALSE") else word
    c = _CAST.match(text, end)
    if c:
        end = c.end()
    return value, end


def _parse_value_list(text: str, pos: int, esc: bool) -> tuple[list[str | None], int]:
    """Values up to and past the ")" closing a list whose "(" is just before `pos`: a tuple or call arguments.

    Raises _Incomplete when the text ends first, _ParseError on anything else than "," or ")" between values."""
    values: list[str | None] = []
    pos = _WS.match(text, pos).end()
    if text[pos : pos + 1] == ")":
        return values, pos + 1
    while True:
        value, pos = _parse_value(text, pos, esc)
        values.append(value)
        pos = _WS.match(text, pos).end()
        if pos >= len(text):
            raise _Incomplete
        ch = text[pos]
        pos += 1
        if ch == ")":
            return values, pos
        if ch != ",":
            raise _ParseError


# a conversion call around a literal is that literal: Oracle SQL Developer / Toad / DBeaver write
# to_date('1987-07-31','YYYY-MM-DD'), to_timestamp(...); MySQL str_to_date(...); SQLite date('...')
_CONVERSIONS = {
    "to_date",
    "to_timestamp",
    "to_timestamp_tz",
    "to_char",
    "to_nchar",
    "to_number",
    "to_clob",
    "to_nclob",
    "to_binary_double",
    "to_binary_float",
    "str_to_date",
    "parse_date",
    "parse_timestamp",
    "date",
    "datetime",
    "timestamp",
    "time",
}
_CAST_AS = re.compile(r"\s*AS\s+[\w.\" ]+(?:\s*\(\s*[\w\s,]*\))?(?:\[\])?\s*\)", re.I)


def _parse_call(func: str, text: str, pos: int, esc: bool) -> tuple[str | None, int]:
    """SQLite .dump writes replace('a\\nb','\\n',char(10)) for strings with newlines; evaluate those. A
    conversion around a literal (to_date('..','..'), CAST('..' AS DATE), SQL Server's CONVERT(date, '..', 120)) is
    that literal: until 2026-11-25 such a row was malformed, and the table of an Oracle export vanished."""
    f = func.lower()
    if f in ("cast", "try_cast"):
        value, end = _parse_value(text, pos, esc)
        m = _CAST_AS.match(text, end)
        if not m:
            raise _Incomplete if not text[end:].strip() else _ParseError
        return value, m.end()
    args, pos = _parse_value_list(text, pos, esc)
    if f in _CONVERSIONS and args:
        return args[0], pos
    if f in ("convert", "try_convert") and len(args) >= 2:
        return args[1], pos
    if f == "replace" and len(args) == 3 and all(a is not None for a in args):
        return args[0].replace(args[1], args[2]), pos  # type: ignore[union-attr,arg-type]
    if f == "char":
        try:
            return "".join(chr(int(a)) for a in args if a is not None), pos
        except ValueError:
            raise _ParseError from None
    if f == "unistr" and args and args[0] is not None:
        return re.sub(r"\\([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), args[0]), pos
    raise _ParseError


class _Incomplete(Exception):
    pass


def _parse_insert_values(text: str, pos: int, esc: bool) -> tuple[list[tuple], str]:
    """Every complete tuple of a VALUES list; status "ok", "incomplete" (text ends first) or "error"."""
    rows: list[tuple] = []
    n = len(text)
    try:
        while True:
            pos = _WS.match(text, pos).end()
            if pos >= n:
                return rows, "incomplete"
            if text[pos] != "(":
                return rows, "error"
            row, pos = _parse_value_list(text, pos + 1, esc)
            rows.append(tuple(row))
            pos = _WS.match(text, pos).end()
            if pos >= n:
                return rows, "incomplete"
            ch = text[pos]
            if ch == ",":
                pos += 1
                continue
            if ch == ";":
                return rows, "ok"
            # ON DUPLICATE KEY UPDATE / ON CONFLICT / RETURNING: the rows are complete
            return rows, "ok" if text[pos:].strip().endswith(";") else "incomplete"
    except _Incomplete:
        return rows, "incomplete"
    except _ParseError:
        return rows, "error"


# ---------------------------------------------------------------- INSERT VALUES lists, vectorised

# tokens of a VALUES list, for polars (Rust regex): hex, E-string, string, number, word, parenthesis
_NUM = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_TOKENS_ESC = (
    rf"(?s)[Xx]'[0-9A-Fa-f]*'|0[xX][0-9A-Fa-f]+|[Nn]?'(?:[^'\\]|\\.|'')*'|{_NUM}|[A-Za-z_][A-Za-z0-9_]*|[(),]"
)
_TOKENS = (
    rf"(?s)[Xx]'[0-9A-Fa-f]*'|0[xX][0-9A-Fa-f]+|[Ee]'(?:[^'\\]|\\.|'')*'|[Nn]?'(?:[^']|'')*'|{_NUM}"
    r"|[A-Za-z_][A-Za-z0-9_]*|[(),]"
)
_VALUES_KW = re.compile(r"\bVALUES\b", re.I)
_CALL = re.compile(r"\w\s*\(|::|\b_(?:binary|utf8\w*|latin1)\b|\bN\s*$")


def _vector_ok(stripped: str, _payload: str) -> bool:
    """Plain literals only: no function calls (SQLite replace()/char()), casts, or charset introducers."""
    m = _VALUES_KW.search(stripped)
    rest = stripped[m.end() :] if m else stripped
    return _CALL.search(rest) is None


def _unescape_expr(body: pl.Expr) -> pl.Expr:
    """Backslash escapes (MySQL, E'' strings), vectorised: an escaped backslash is parked on a
    private-use character first so that \\\\n stays a backslash followed by n."""
    park = "\ue000"
    u = body.str.replace_all("\\\\", park, literal=True)
    for esc, ch in (
        ("\\0", "\x00"),
        ("\\b", "\b"),
        ("\\n", "\n"),
        ("\\r", "\r"),
        ("\\t", "\t"),
        ("\\Z", "\x1a"),
    ):
        u = u.str.replace_all(esc, ch, literal=True)
    # every other escape stands for the character itself (\\' \\" \\% ...): drop the backslash
    u = u.str.replace_all("\\", "", literal=True)
    return u.str.replace_all(park, "\\", literal=True).str.replace_all("''", "'", literal=True)


def _decode_tokens(tok: pl.Series, esc: bool) -> pl.Series:
    """Literal tokens -> values: NULL -> null, strings unquoted and unescaped, hex lower-cased."""
    t = pl.col("t")
    first, second, n = t.str.slice(0, 1), t.str.slice(1, 1), t.str.len_chars()
    body, ebody = t.str.slice(1, n - 2), t.str.slice(2, n - 3)
    upper = t.str.to_uppercase()
    # a national string (N'...': SQL Server writes every nvarchar so, MySQL accepts it) is its body
    nstring = first.is_in(["N", "n"]) & (second == "'")
    body = pl.when(nstring).then(ebody).otherwise(body)
    if esc:
        plain = (
            pl.when(t.str.contains("\\", literal=True))
            .then(_unescape_expr(body))
            .otherwise(body.str.replace_all("''", "'", literal=True))
        )
    else:
        plain = body.str.replace_all("''", "'", literal=True)
    value = (
        pl.when(upper == "NULL")
        .then(pl.lit(None, pl.String))
        .when((first == "'") | nstring)
        .then(plain)
        .when(first.is_in(["E", "e"]) & (second == "'"))
        .then(_unescape_expr(ebody))
        .when(first.is_in(["X", "x"]) & (second == "'"))
        .then(ebody.str.to_lowercase())
        .when((first == "0") & second.is_in(["x", "X"]))
        .then(t.str.slice(2).str.to_lowercase())
        .when(upper.is_in(["TRUE", "FALSE"]))
        .then(t.str.to_lowercase())
        .otherwise(t)
    )
    return pl.DataFrame({"t": tok}).select(value.alias("v"))["v"]


def insert_payloads_to_frame(
    payloads: list[str], cols: list[str], esc: bool
) -> tuple[pl.DataFrame, int, list[int]]:
    """VALUES lists ("(1,'a'),(2,'b');") -> String columns, with polars doing the tokenising.

    Returns (frame, rows with the wrong number of values, statements to re-read exactly): a statement
    goes back to the exact parser when anything in it is not a token or its parentheses nest oddly.
    """
    pattern = _TOKENS_ESC if esc else _TOKENS
    s = pl.Series("p", payloads, dtype=pl.String)
    leftover_ok = s.str.replace_all(pattern, "").str.replace_all(r"[\s;]", "") == ""
    toks = (
        pl.DataFrame({"stmt": pl.int_range(0, len(payloads), eager=True), "tok": s.str.extract_all(pattern)})
        .explode("tok")
        .with_row_index("seq")
        .with_columns(open=pl.col("tok") == "(", close=pl.col("tok") == ")", comma=pl.col("tok") == ",")
        .with_columns(
            depth=(pl.col("open").cast(pl.Int64).cum_sum() - pl.col("close").cast(pl.Int64).cum_sum()).over(
                "stmt"
            ),
            # what came before: "(" 0, ")" 1, "," 2, a value 3; -1 at the start of a statement
            prev=pl.when(pl.col("stmt") == pl.col("stmt").shift(1))
            .then(
                pl.when(pl.col("open").shift(1))
                .then(0)
                .when(pl.col("close").shift(1))
                .then(1)
                .when(pl.col("comma").shift(1))
                .then(2)
                .otherwise(3)
            )
            .otherwise(-1),
        )
    )
    value = ~pl.col("open") & ~pl.col("close") & ~pl.col("comma")
    prev = pl.col("prev")
    misplaced = (
        pl.col("tok").is_null()
        | (pl.col("open") & ((pl.col("depth") != 1) | ~prev.is_in([-1, 2])))
        | (pl.col("close") & ((pl.col("depth") != 0) | ~prev.is_in([0, 3])))
        | (pl.col("comma") & ~prev.is_in([1, 3]))
        | (value & ((pl.col("depth") != 1) | ~prev.is_in([0, 2])))
    )
    verdict = (
        toks.group_by("stmt")
        .agg(bad=misplaced.any(), last=pl.col("depth").sort_by("seq").last())
        .sort("stmt")
        .with_columns(ok=~pl.col("bad") & (pl.col("last") == 0) & pl.Series(leftover_ok))
    )
    broken = verdict.filter(~pl.col("ok"))["stmt"].to_list()
    good = toks
    if broken:
        good = toks.join(verdict.filter(pl.col("ok")).select("stmt"), on="stmt", how="semi")
    good = good.filter(~pl.col("comma")).sort("seq").drop("seq").with_row_index("pos")
    # parentheses now strictly alternate ( ... ) ( ... ): a row's width is the gap between them
    opens = good.filter(pl.col("open"))["pos"]
    closes = good.filter(pl.col("close"))["pos"]
    widths = (closes - opens - 1).cast(pl.Int64)
    fits = widths == len(cols)
    bad_rows = int((~fits).sum())
    values = good.filter(~pl.col("open") & ~pl.col("close"))
    if bad_rows:
        # a value belongs to the row whose "(" is the last one before it; rows that do not fit go
        row = opens.search_sorted(values["pos"], side="right") - 1
        fitting = pl.int_range(0, len(opens), eager=True).filter(fits)
        values = values.with_columns(row=row).filter(pl.col("row").is_in(fitting.implode()))
    tok = values["tok"]
    width = len(cols)
    columns = {c: _decode_tokens(tok.gather_every(width, offset=i), esc) for i, c in enumerate(cols)}
    frame = pl.DataFrame(columns, schema=dict.fromkeys(cols, pl.String))
    # which statement each row came from, so rows re-read by the exact parser can go back in place
    stmt_of_row = good.filter(pl.col("open"))["stmt"].filter(fits)
    return frame.with_columns(stmt_of_row.alias(STMT)), bad_rows, broken


# ---------------------------------------------------------------- COPY text format, vectorised

_COPY_ESCAPES = [("\\b", "\b"), ("\\f", "\f"), ("\\n", "\n"), ("\\r", "\r"), ("\\t", "\t"), ("\\v", "\v")]


def copy_lines_to_frame(lines: list[str], cols: list[str]) -> tuple[pl.DataFrame, int]:
    """PostgreSQL COPY text rows -> String columns; (frame, rows with the wrong number of fields)."""
    raw = pl.Series("line", lines, dtype=pl.String).str.strip_suffix("\n").str.strip_suffix("\r")
    df = pl.DataFrame({"fields": raw.str.split("\t")})
    ok = df["fields"].list.len() == len(cols)
    bad = int((~ok).sum())
    df = df.filter(ok)
    exprs = []
    for i, c in enumerate(cols):
        v = pl.col("fields").list.get(i)
        # \\ first becomes a NUL (which COPY text can never contain), so "\\n" is not read as "\n"
        u = v.str.replace_all("\\\\", "\x00", literal=True)
        for esc, ch in _COPY_ESCAPES:
            u = u.str.replace_all(esc, ch, literal=True)
        u = u.str.replace_all(r"\\([0-7]{1,3})", "$1")  # rare octal escapes: keep the digits, drop the slash
        u = u.str.replace_all("\\", "", literal=True).str.replace_all("\x00", "\\", literal=True)
        exprs.append(
            pl.when(v == "\\N")
            .then(None)
            .when(v.str.contains("\\", literal=True))
            .then(u)
            .otherwise(v)
            .alias(c)
        )
    return df.select(exprs), bad


# ---------------------------------------------------------------- entry point


def _open_text(path: Path) -> io.TextIOBase:
    with open(path, "rb") as fh:
        magic = fh.read(2)
    raw = gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")  # noqa: SIM115
    # surrogateescape: raw bytes (mysqldump _binary, a Latin-1 dump) survive and are never an error
    return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="\n")


def read_dump(path: Path, display: str, *, limits=None, chunk_rows: int = CHUNK_ROWS) -> SourceResult:
    """One SQL dump file (plain or gzip) -> one Table per table with data or a CREATE TABLE."""
    reader = DumpReader(display, chunk_rows)
    try:
        with _open_text(path) as fh:
            reader.read(_limited(fh, path, display, limits))
    except Exception as exc:  # noqa: BLE001 - keep what was read, report the cause
        from pipeline.sources import LimitExceeded, safe_error

        cause = str(exc) if isinstance(exc, LimitExceeded) else safe_error(exc)
        partial = reader.result()
        partial.unreadable.append(Unreadable(display, f"dump reading stopped: {cause}"))
        return partial
    result = reader.result()
    if not result.tables and not result.unreadable:
        result.unreadable.append(Unreadable(display, "no CREATE TABLE, COPY or INSERT statement found"))
    return result


def _limited(fh: io.TextIOBase, path: Path, display: str, limits) -> Iterator[str]:
    """Lines of the dump; a gzip dump is stopped at the decompression limits like any archive."""
    if limits is None or not isinstance(fh.buffer, gzip.GzipFile):  # type: ignore[attr-defined]
        yield from fh
        return
    from pipeline.sources import _check_limits

    compressed = max(path.stat().st_size, 1)
    total = 0
    for n, line in enumerate(fh):
        total += len(line)
        if n % 4096 == 0:
            _check_limits(total, compressed, limits, display)
        yield line
