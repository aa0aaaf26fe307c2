"""Live databases by URI: PostgreSQL, MariaDB / MySQL, SQLite. Read-only, columnar, streamed to Parquet.

Driver choice (measured, see docs/sources.md): connectorx for PostgreSQL and MariaDB/MySQL (one driver for
both, ``pre_execution_query`` puts the session in READ ONLY mode, ``arrow_stream`` keeps memory bounded);
ADBC for SQLite, because it opens the file with ``mode=ro`` (connectorx would create a missing file).

Every column is cast to text in the database (``::text`` / ``CAST(... AS CHAR)``, binary as hex), so a
live table gives the same strings as a dump of it; the declared types come from the catalog and are kept
in ``Table.source_types``. Primary and foreign keys come from the catalog too.

Credentials: from the URI or the environment (PGUSER / PGPASSWORD / PGHOST / PGPORT / PGDATABASE,
MYSQL_USER / MYSQL_PWD / MYSQL_HOST / MYSQL_TCP_PORT). They are never echoed: table paths and error
messages carry the URI without its password or query string, and any occurrence of the password in a
driver message is masked.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dumps import type_kind
from pipeline.tables import SourceResult, Table, Unreadable, declared_links_of, with_composite_keys

BATCH_ROWS = 50_000
CONNECT_TIMEOUT_S = 10
_SYSTEM_SCHEMAS_MY = ("information_schema", "mysql", "performance_schema", "sys")


@dataclass
class Connection:
    kind: str  # "postgresql" | "mysql" | "sqlite"
    url: str  # with credentials: for the driver only, never printed
    display: str  # without credentials
    secret: str = ""
    database: str = ""
    sqlite_path: Path | None = None
    user: str = ""
    host: str = ""
    port: int = 0
    # libpq parameters from the URI's query string (sslmode, connect_timeout, application_name, options, ...)
    params: dict[str, str] = field(default_factory=dict)
    # MySQL: pymysql's keyword arguments from the URI's query string (mysql_params), for the catalog's session
    driver_args: dict = field(default_factory=dict)


@dataclass
class _TableInfo:
    schema: str
    name: str
    columns: list[tuple[str, str]] = field(default_factory=list)  # (column, declared type)
    primary_key: list[str] = field(default_factory=list)
    links: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)  # to schema, to table


def mask(text: str, conn: Connection | None) -> str:
    """A driver message with the password (plain or URL-encoded) removed and quoted data dropped."""
    if conn is not None and conn.secret:
        for s in {conn.secret, quote(conn.secret, safe="")}:
            text = text.replace(s, "***")
    text = re.sub(r"(://[^:/@\s]*):[^@\s]*@", r"\1:***@", text)
    return text


_CAUSES = (
    ("connection refused", "connection refused"),
    # pymysql's 2013 during the handshake: what listens there is not MySQL / MariaDB, or it hung up
    ("lost connection to mysql server", "no MySQL/MariaDB handshake (another service on that port?)"),
    ("timed out", "connection timed out"),
    ("timeout", "connection timed out"),
    ("password authentication failed", "authentication failed"),
    ("access denied", "access denied (user or password)"),
    ("no pg_hba.conf entry", "access denied by pg_hba.conf"),
    ("unknown database", "database does not exist"),
    ("does not exist", "database or role does not exist"),
    ("name or service not known", "host name not known"),
    ("could not translate host name", "host name not known"),
    ("no route to host", "no route to host"),
    ("can't connect", "cannot connect"),
)


def driver_message(exc: BaseException, conn: Connection | None) -> str:
    """A driver's connection error as the driver said it, on one line, the password masked.

    Kept whole, not passed through safe_error: a connection error is raised before any row is read, so it holds
    no data, only host, port, user, error number and cause, and safe_error dropped all of it (pymysql quotes its
    whole message: "(<digits>, <value>)"), so "connection refused" could not be told from "access denied"."""
    args = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):  # pymysql: (errno, message)
        text = f"error {args[0]}: {args[1]}"
    else:
        text = str(exc)
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())[:300]
    return f"{type(exc).__name__}: {mask(text, conn)}" if text else type(exc).__name__


def connect_cause(exc: BaseException, conn: Connection | None) -> str:
    """Why a connection failed: the cause in fixed words when it is a known one, then the driver's own message
    (error number, host, port: what tells a wrong port from a wrong password). Until 2026-11-24 an unknown
    cause was reduced by safe_error to the exception's type."""
    raw = str(exc).lower()
    where = f" to {conn.host}:{conn.port}" if conn is not None and conn.host else ""
    detail = driver_message(exc, conn)
    for needle, cause in _CAUSES:
        if needle in raw:
            return f"cannot connect{where}: {cause} ({detail})"
    return f"cannot connect{where}: {detail}"


def parse_uri(uri: str) -> Connection:
    """A database URI -> driver URL with credentials filled from the environment + a masked display."""
    from pipeline.sources import mask_uri

    display = mask_uri(uri)
    scheme = uri.split("://", 1)[0].lower()
    if scheme == "sqlite":
        raw = unquote(uri[len("sqlite://") :].split("?", 1)[0])
        path = Path(raw)
        if not path.exists() and raw.startswith("/") and Path(raw[1:]).exists():
            path = Path(raw[1:])  # SQLAlchemy style sqlite:///relative.db
        return Connection("sqlite", "", display, sqlite_path=path)
    parts = urlsplit(uri)
    if scheme in ("postgresql", "postgres"):
        kind, env = "postgresql", {"user": "PGUSER", "pw": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
        default_port, default_user = 5432, "postgres"
    elif scheme in ("mysql", "mariadb"):
        kind, env = (
            "mysql",
            {"user": "MYSQL_USER", "pw": "MYSQL_PWD", "host": "MYSQL_HOST", "port": "MYSQL_TCP_PORT"},
        )
        default_port, default_user = 3306, "root"
    else:
        raise ValueError(f"unsupported database scheme {scheme}://")
    # libpq reads the query string as connection parameters (?sslmode=disable&application_name=x): the catalog's
    # session gets them all, as connectorx's URL does; the ones that name the connection itself fill in what the
    # URI's own parts leave out
    params = _query_params(parts.query)
    if kind == "mysql":
        params = {k.lower().replace("-", "_"): v for k, v in params.items()}
        if "database" in params:
            params["dbname"] = params.pop("database")
    given = {k: params.pop(k) for k in ("user", "password", "host", "port", "dbname") if k in params}
    user = unquote(parts.username or "") or given.get("user") or os.environ.get(env["user"], default_user)
    password = unquote(parts.password or "") or given.get("password") or os.environ.get(env["pw"], "")
    host = parts.hostname or given.get("host") or os.environ.get(env["host"], "127.0.0.1")
    port = parts.port or int(given.get("port") or os.environ.get(env["port"], default_port))
    database = unquote(parts.path.lstrip("/")) or given.get("dbname", "")
    if kind == "postgresql":
        database = database or os.environ.get("PGDATABASE", user)
        # 10 s unless the URI or libpq's environment says otherwise
        params.setdefault("connect_timeout", os.environ.get("PGCONNECT_TIMEOUT") or str(CONNECT_TIMEOUT_S))
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params.items())
        driver_args: dict = {}
    else:
        driver_args, cx_params = mysql_params(params)
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in cx_params.items())
    auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    url = f"{kind}://{auth}@{host}:{port}/{quote(database, safe='')}" + (f"?{query}" if query else "")
    if not display.split("://", 1)[1].split("/", 1)[0]:
        display = f"{scheme}://{user}@{host}:{port}/{database}"
    return Connection(
        kind,
        url,
        display,
        secret=password,
        database=database,
        user=user,
        host=host,
        port=port,
        params=params if kind == "postgresql" else {},
        driver_args=driver_args,
    )


# The MySQL URI parameters understood (names as MySQL's clients and connectors write them, "-" or "_"), each to
# pymysql's keyword argument (the catalog's session) and to connectorx's URL parameter (the table reads, the Rust
# mysql crate's names), so both sessions connect alike. ssl_cert / ssl_key (a client certificate) reach pymysql
# only: connectorx's URL cannot carry them, so they are refused rather than half applied.
MYSQL_SSL_MODES = ("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY")
MYSQL_PARAMS = (
    "ssl_mode",
    "ssl_ca",
    "charset",
    "connect_timeout",
    "read_timeout",
    "write_timeout",
    "unix_socket",
)


def mysql_params(params: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """A MySQL URI's query parameters (names lower-cased, "-" as "_"; user, password, host, port and database taken
    out) as (pymysql's keyword arguments, connectorx's URL parameters). An unknown parameter or value is a
    ValueError naming it: a parameter silently dropped (ssl_mode=REQUIRED) would connect otherwise than asked.
    Until 2026-11-25 the query string went to connectorx as written, which refused `ssl_mode`, `charset` and
    `connect_timeout` on every table, and never to pymysql."""
    aliases = {"sslmode": "ssl_mode", "socket": "unix_socket", "sslca": "ssl_ca"}
    params = {aliases.get(k, k): v for k, v in params.items()}
    unknown = [k for k in params if k not in MYSQL_PARAMS]
    if unknown:
        raise ValueError(
            f"unknown MySQL URI parameter {unknown[0]} (understood: {', '.join(MYSQL_PARAMS)}; "
            "and user, password, host, port, database)"
        )
    args: dict = {}
    cx: dict[str, str] = {}
    for key in ("connect_timeout", "read_timeout", "write_timeout"):  # seconds, as MySQL's clients take them
        if key in params:
            value = params[key]
            if not value.isdigit() or int(value) < 1:
                raise ValueError(f"MySQL URI parameter {key} must be a whole number of seconds")
            args[key] = int(value)
    if "connect_timeout" in args:
        cx["tcp_connect_timeout_ms"] = str(args["connect_timeout"] * 1000)
    if (
        "charset" in params
    ):  # the catalog's names; connectorx reads text as UTF-8 whatever the session's charset
        args["charset"] = params["charset"]
    if "unix_socket" in params:
        args["unix_socket"] = cx["socket"] = params["unix_socket"]
    mode = params.get("ssl_mode", "").upper() or ("VERIFY_CA" if "ssl_ca" in params else "")
    if mode and mode not in MYSQL_SSL_MODES:
        raise ValueError(f"MySQL URI parameter ssl_mode must be one of {', '.join(MYSQL_SSL_MODES)}")
    if mode == "DISABLED":
        args["ssl_disabled"] = True
    elif mode:
        import ssl

        verify = mode in ("VERIFY_CA", "VERIFY_IDENTITY")
        if verify and "ssl_ca" not in params:
            raise ValueError(f"MySQL URI parameter ssl_mode={mode} needs ssl_ca (the CA certificate file)")
        args["ssl"] = {
            "ca": params.get("ssl_ca"),
            "check_hostname": mode == "VERIFY_IDENTITY",
            "verify_mode": ssl.CERT_REQUIRED if verify else ssl.CERT_NONE,
        }
        if "ssl_ca" in params:
            cx["ssl-ca"] = params["ssl_ca"]
        # PREFERRED: TLS when the server has it (_catalog_session tries, and says which for the table reads)
        args["prefer_ssl"] = mode == "PREFERRED"
    if mode:
        cx["ssl-mode"] = "REQUIRED" if mode == "PREFERRED" else mode
    return args, cx


def _query_params(query: str) -> dict[str, str]:
    """?sslmode=disable&options=-c%20search_path%3Dx -> {"sslmode": "disable", "options": "-c search_path=x"}:
    percent-decoded as libpq does ("+" stays "+")."""
    params: dict[str, str] = {}
    for item in query.split("&"):
        if item:
            key, _, value = item.partition("=")
            params[unquote(key)] = unquote(value)
    return params


# ---------------------------------------------------------------- connectorx helpers (PostgreSQL, MySQL)


def _read_only(conn: Connection) -> list[str]:
    if conn.kind == "postgresql":
        return ["SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"]
    return ["SET SESSION TRANSACTION READ ONLY"]


def _catalog_session(conn: Connection):
    """A read-only session of the database's own driver for the catalog: it fails fast and clearly
    (refused, timeout, bad password), where connectorx's pool would retry for half a minute."""
    if conn.kind == "postgresql":
        import psycopg

        # the URI's libpq parameters too: until 2026-11-24 only connectorx's URL had them, so an sslmode the
        # catalog's session ignored was met only by the table reads, each retrying for 30 s
        session = psycopg.connect(
            host=conn.host,
            port=conn.port,
            user=conn.user,
            password=conn.secret or None,
            dbname=conn.database,
            autocommit=False,
            **{"connect_timeout": str(CONNECT_TIMEOUT_S), **conn.params},
        )
        session.read_only = True
        conn.url = _resolved_pg_url(conn, session)
        return session
    import pymysql

    args = dict(conn.driver_args)  # the URI's parameters (mysql_params)
    prefer_ssl = args.pop("prefer_ssl", False)
    read_timeout = args.pop("read_timeout", None)
    timeout = args.get("connect_timeout", CONNECT_TIMEOUT_S)
    settings = {
        "host": conn.host,
        "port": conn.port,
        "user": conn.user,
        "password": conn.secret,
        "database": conn.database or None,
        "connect_timeout": CONNECT_TIMEOUT_S,
        # the handshake is bounded too: on a port where another server listens (PostgreSQL's 5432) pymysql waited
        # for a greeting until that server gave up, 60 s, until 2026-11-24
        "read_timeout": timeout,
        "charset": "utf8mb4",
        **args,
    }
    try:
        session = pymysql.connect(**settings)
    except pymysql.err.OperationalError as exc:
        if not (prefer_ssl and exc.args and exc.args[0] == 2026):  # 2026: the server has no TLS
            raise
        # ssl_mode=PREFERRED: without TLS, as the server offers none, and so do the table reads
        settings.pop("ssl")
        session = pymysql.connect(**settings, ssl_disabled=True)
        conn.url = conn.url.replace("ssl-mode=REQUIRED", "ssl-mode=DISABLED")
    # the catalog reads after it are bounded only by the URI's read_timeout (information_schema of a large server
    # can take its time); pymysql applies this attribute before each read
    session._read_timeout = read_timeout
    with session.cursor() as cur:
        cur.execute("START TRANSACTION READ ONLY")
    return session


# libpq's parameters that connectorx's PostgreSQL URL takes (tokio-postgres and connectorx's TLS), as libpq names
# them; others (gssencmode, client_encoding, krbsrvname, ...) it refuses on every table read
CX_PG_PARAMS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "application_name",
    "options",
    "connect_timeout",
    "target_session_attrs",
    "keepalives",
    "keepalives_idle",
    "tcp_user_timeout",
    "channel_binding",
)


def _resolved_pg_url(conn: Connection, session) -> str:
    """connectorx's URL from the connection libpq made for the catalog: host, port, user, database, password and
    parameters as libpq resolved them, from the URI, the libpq environment (PGUSER, PGHOST, PGPORT, PGDATABASE,
    PGPASSWORD, PGSSLMODE, PGAPPNAME, PGOPTIONS, PGCONNECT_TIMEOUT, ...) and ~/.pgpass alike, so the table reads
    connect as the catalog's session did. sslmode prefer / allow become what that session got (require or disable):
    connectorx has no allow, and its prefer would decide again. Until 2026-11-25 connectorx saw only the URI's
    parts and parameters (and parse_uri's PG* fill-ins): PGSSLMODE, PGAPPNAME, PGOPTIONS, a .pgpass password
    reached the catalog only."""
    info = session.info
    params = {k: v for k, v in info.get_parameters().items() if k in CX_PG_PARAMS}
    if params.get("sslmode", "prefer") in ("prefer", "allow"):  # prefer is libpq's default, not listed
        params["sslmode"] = "require" if session.pgconn.ssl_in_use else "disable"
    password = info.password or conn.secret
    conn.secret = password  # masked wherever it appears, whichever source gave it
    auth = quote(info.user, safe="") + (":" + quote(password, safe="") if password else "")
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params.items())
    host = info.host
    if host.startswith(
        "/"
    ):  # a Unix socket's folder (PGHOST=/var/run/postgresql): percent-encoded, as libpq takes it
        host = quote(host, safe="")
    elif ":" in host:  # IPv6
        host = f"[{host}]"
    return f"postgresql://{auth}@{host}:{info.port}/{quote(info.dbname, safe='')}" + (
        f"?{query}" if query else ""
    )


def _rows(session, sql: str) -> list[tuple]:
    with session.cursor() as cur:
        cur.execute(sql)
        return [tuple(r) for r in cur.fetchall()]


def _stream_to_parquet(conn: Connection, sql: str) -> Path:
    import connectorx as cx

    reader = cx.read_sql(
        conn.url, sql, return_type="arrow_stream", batch_size=BATCH_ROWS, pre_execution_query=_read_only(conn)
    )
    return _write_batches(reader)


def _write_batches(reader: pa.RecordBatchReader) -> Path:
    from pipeline.sources import private_file

    path = private_file(".parquet")
    schema = pa.schema([pa.field(f.name, pa.large_string()) for f in reader.schema])
    with pq.ParquetWriter(path, schema) as writer:
        for batch in reader:
            writer.write_table(pa.Table.from_batches([batch]).cast(schema))
    return path


def _qi(conn: Connection, ident: str) -> str:
    if conn.kind == "mysql":
        return "`" + ident.replace("`", "``") + "`"
    return '"' + ident.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


# ---------------------------------------------------------------- catalogs


def _catalog_postgresql(session) -> dict[tuple[str, str], _TableInfo]:
    cols = _rows(
        session,
        """SELECT n.nspname AS s, c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS ty,
                  a.attnum AS o
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
             AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
           ORDER BY 1, 2, 5""",
    )
    tables: dict[tuple[str, str], _TableInfo] = {}
    for s, t, c, ty, _o in cols:
        tables.setdefault((s, t), _TableInfo(s, t)).columns.append((c, ty))
    keys = _rows(
        session,
        """SELECT k.conname AS k, k.contype AS kt, n.nspname AS s, c.relname AS t, a.attname AS c,
                  fn.nspname AS fs, fc.relname AS ft, fa.attname AS fc, u.ord AS o
           FROM pg_constraint k
           JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           CROSS JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY AS u(col, fcol, ord)
           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.col
           LEFT JOIN pg_class fc ON fc.oid = k.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
           LEFT JOIN pg_attribute fa ON fa.attrelid = k.confrelid AND fa.attnum = u.fcol
           WHERE k.contype IN ('p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           ORDER BY 1, 3, 4, 9""",
    )
    _apply_keys(tables, keys)
    return tables


def _catalog_mysql(session, conn: Connection) -> dict[tuple[str, str], _TableInfo]:
    where = (
        f"TABLE_SCHEMA = {_lit(conn.database)}"
        if conn.database
        else "TABLE_SCHEMA NOT IN (" + ", ".join(_lit(s) for s in _SYSTEM_SCHEMAS_MY) + ")"
    )
    cols = _rows(
        session,
        f"""SELECT c.TABLE_SCHEMA AS s, c.TABLE_NAME AS t, c.COLUMN_NAME AS c, c.COLUMN_TYPE AS ty,
                   c.ORDINAL_POSITION AS o
            FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
              ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
            WHERE t.TABLE_TYPE = 'BASE TABLE' AND c.{where}
            ORDER BY 1, 2, 5""",
    )
    tables: dict[tuple[str, str], _TableInfo] = {}
    for s, t, c, ty, _o in cols:
        tables.setdefault((s, t), _TableInfo(s, t)).columns.append((c, ty))
    keys = _rows(
        session,
        f"""SELECT CONSTRAINT_NAME AS k,
                   CASE WHEN CONSTRAINT_NAME = 'PRIMARY' THEN 'p'
                        WHEN REFERENCED_TABLE_NAME IS NOT NULL THEN 'f' ELSE 'u' END AS kt,
                   TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS c, REFERENCED_TABLE_SCHEMA AS fs,
                   REFERENCED_TABLE_NAME AS ft, REFERENCED_COLUMN_NAME AS fc, ORDINAL_POSITION AS o
            FROM information_schema.KEY_COLUMN_USAGE WHERE {where}
            ORDER BY 1, 3, 4, 9""",
    )
    _apply_keys(tables, [r for r in keys if r[1] in ("p", "f")])
    return tables


def _apply_keys(tables: dict[tuple[str, str], _TableInfo], rows: list[tuple]) -> None:
    """Catalog key rows (name, p|f, schema, table, column, to schema, to table, to column, ordinal)."""
    fks: dict[tuple, tuple[str, str, list[str], list[str]]] = {}
    for k, kt, s, t, c, fs, ft, fc, _o in rows:
        info = tables.get((s, t))
        if info is None:
            continue
        if kt == "p":
            info.primary_key.append(c)
        else:
            fk = fks.setdefault((s, t, k), (fs, ft, [], []))
            fk[2].append(c)
            fk[3].append(fc)
    for (s, t, _k), link in fks.items():
        tables[(s, t)].links.append(link)


# ---------------------------------------------------------------- reading tables


def _select_text(conn: Connection, info: _TableInfo) -> str:
    parts = []
    for col, declared in info.columns:
        q = _qi(conn, col)
        binary = type_kind(declared) == "binary"
        if conn.kind == "postgresql":
            expr = f"encode({q}, 'hex')" if declared.startswith("bytea") else f"{q}::text"
        elif binary:
            expr = f"LOWER(HEX({q}))"
        else:
            expr = f"CAST({q} AS CHAR)"
        parts.append(f"{expr} AS {q}")
    table = f"{_qi(conn, info.schema)}.{_qi(conn, info.name)}"
    # the key column as the table holds it, qualified: a bare name is the text alias of the SELECT list in both
    # PostgreSQL and MySQL, which put id 10 before id 2 (until 2026-11-24), and the rows' order reaches the
    # outputs (findings, the notification list are in source row order)
    order = ", ".join(f"{table}.{_qi(conn, c)}" for c in info.primary_key)
    return f"SELECT {', '.join(parts) or '1'} FROM {table}" + (f" ORDER BY {order}" if order else "")


def _names(infos: list[_TableInfo]) -> dict[tuple[str, str], str]:
    """customers, unless two schemas both have one: then schema.customers."""
    counts: dict[str, int] = {}
    for i in infos:
        counts[i.name] = counts.get(i.name, 0) + 1
    return {(i.schema, i.name): i.name if counts[i.name] == 1 else f"{i.schema}.{i.name}" for i in infos}


def _selected(info: _TableInfo, name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    candidates = {name, info.name, f"{info.schema}.{info.name}"}
    if include and not any(fnmatch.fnmatchcase(c, p) for c in candidates for p in include):
        return False
    return not any(fnmatch.fnmatchcase(c, p) for c in candidates for p in exclude)


def _build_tables(
    conn: Connection,
    catalog: dict[tuple[str, str], _TableInfo],
    read,
    include: Sequence[str],
    exclude: Sequence[str],
) -> SourceResult:
    from pipeline.sources import as_strings, safe_error, safe_name

    result = SourceResult()
    infos = [i for i in catalog.values() if _selected(i, i.name, include, exclude)]
    names = _names(infos)
    for info in infos:
        name = names[(info.schema, info.name)]
        local = conn.kind == "sqlite" or (conn.kind == "mysql" and conn.database)
        where = f"{conn.display}#{info.name if local else info.schema + '.' + info.name}"
        try:
            path = read(info)
            lf = pl.scan_parquet(path)
        except Exception as exc:  # noqa: BLE001 - one unreadable table never stops the rest
            result.unreadable.append(
                Unreadable(where, f"table could not be read: {mask(safe_error(exc), conn)}")
            )
            continue
        frame, kinds = as_strings(lf)
        for col, declared in info.columns:
            kinds[safe_name(col)] = type_kind(declared)
        links = []
        for fs, ft, from_cols, to_cols in info.links:
            target = names.get((fs, ft), ft)
            links.extend(
                declared_links_of(
                    name, target, [safe_name(f) for f in from_cols], [safe_name(t) for t in to_cols]
                )
            )
        result.tables.append(
            Table(
                name,
                where,
                frame,
                kinds,
                declared_links=links,
                primary_key=[safe_name(c) for c in info.primary_key],
            )
        )
    with_composite_keys(result.tables)
    return result


def read_database(uri: str, *, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> SourceResult:
    """Every base table of a live database (or the ones the glob patterns select)."""
    from pipeline.sources import mask_uri, safe_error

    try:
        conn = parse_uri(uri)
    except Exception as exc:  # noqa: BLE001 - a URI that cannot be parsed is reported, the scan goes on
        return SourceResult(
            unreadable=[Unreadable(mask_uri(uri), f"not a database URI: {mask(safe_error(exc), None)}")]
        )
    if conn.kind == "sqlite":
        return read_sqlite_file(conn.sqlite_path, conn.display, include=include, exclude=exclude)  # type: ignore[arg-type]
    try:
        session = _catalog_session(conn)
    except Exception as exc:  # noqa: BLE001 - an unreachable database is reported, the scan goes on
        return SourceResult(
            unreadable=[Unreadable(conn.display, f"database not readable: {connect_cause(exc, conn)}")]
        )
    try:
        catalog = _catalog_postgresql(session) if conn.kind == "postgresql" else _catalog_mysql(session, conn)
    except Exception as exc:  # noqa: BLE001 - connected, but the catalog cannot be read (privileges)
        return SourceResult(
            unreadable=[
                Unreadable(conn.display, f"database catalog not readable: {mask(safe_error(exc), conn)}")
            ]
        )
    finally:
        session.close()
    if not catalog:
        return SourceResult(unreadable=[Unreadable(conn.display, "database has no tables")])
    return _build_tables(
        conn, catalog, lambda info: _stream_to_parquet(conn, _select_text(conn, info)), include, exclude
    )


# ---------------------------------------------------------------- SQLite (a file, by URI or found in a folder)


def read_sqlite_file(
    path: Path, display: str, *, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> SourceResult:
    import adbc_driver_sqlite.dbapi as adbc_sqlite

    from pipeline.sources import safe_error

    path = Path(path)
    if not path.is_file():
        return SourceResult(unreadable=[Unreadable(display, "SQLite database file not found")])
    conn = Connection("sqlite", "", display, sqlite_path=path)
    # mode=ro: the file is opened read-only and never created; immutable is not set, so a live
    # writer's journal is still honoured
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    try:
        db = adbc_sqlite.connect(uri)
    except Exception as exc:  # noqa: BLE001
        return SourceResult(unreadable=[Unreadable(display, f"not readable as SQLite: {safe_error(exc)}")])
    try:
        cur = db.cursor()

        def fetch(sql: str) -> pl.DataFrame:
            cur.execute(sql)
            df = pl.from_arrow(cur.fetch_arrow_table())
            assert isinstance(df, pl.DataFrame)
            return df

        try:
            master = fetch(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                "ORDER BY rowid"
            )
        except Exception as exc:  # noqa: BLE001
            return SourceResult(
                unreadable=[Unreadable(display, f"not readable as SQLite: {safe_error(exc)}")]
            )
        catalog: dict[tuple[str, str], _TableInfo] = {}
        for (name,) in master.rows():  # one per table in the catalogue, not per data row
            info = _TableInfo("main", name)
            cols = fetch(f"SELECT name, type, pk FROM pragma_table_info({_lit_sqlite(name)}) ORDER BY cid")
            info.columns = [(c, t or "") for c, t, _ in cols.rows()]
            info.primary_key = [c for c, _, pk in sorted(cols.rows(), key=lambda r: r[2]) if pk]
            fks = fetch(
                f'SELECT id, "table", "from", "to" FROM pragma_foreign_key_list({_lit_sqlite(name)}) ORDER BY id, seq'
            )
            grouped: dict[int, tuple[str, str, list[str], list[str]]] = {}
            for fk_id, to_table, from_col, to_col in fks.rows():  # one per foreign-key column
                entry = grouped.setdefault(fk_id, ("main", to_table, [], []))
                entry[2].append(from_col)
                entry[3].append(to_col)
            info.links = list(grouped.values())
            catalog[("main", name)] = info
        for info in catalog.values():  # REFERENCES t without a column means t's primary key
            for i, (s, t, f, to) in enumerate(info.links):
                target = catalog.get((s, t))
                if any(c is None for c in to) and target:
                    info.links[i] = (s, t, f, target.primary_key[: len(f)])

        def read(info: _TableInfo) -> Path:
            exprs = ", ".join(
                f"CASE WHEN typeof({q}) = 'blob' THEN lower(hex({q})) ELSE CAST({q} AS TEXT) END AS {q}"
                for q in (_qi(conn, c) for c, _ in info.columns)
            )
            cur.execute(f"SELECT {exprs} FROM {_qi(conn, info.name)}")
            return _write_batches(cur.fetch_record_batch())

        return _build_tables(conn, catalog, read, include, exclude)
    finally:
        db.close()


def _lit_sqlite(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
