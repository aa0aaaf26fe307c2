"""Live databases by URI: PostgreSQL, MariaDB, SQLite. Read-only, catalog keys, globs, masked credentials."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import dbutil
import pytest

from pipeline import databases
from pipeline.sources import load_sources
from pipeline.tables import ROW, DeclaredLink

SCHEMA_PG = """
CREATE TABLE customers (id integer PRIMARY KEY, first_name varchar(40), ssn char(11), zip text, photo bytea,
                        balance numeric(12,2), joined date);
CREATE TABLE accounts (id bigint PRIMARY KEY, customer_id integer REFERENCES customers(id), number text);
CREATE TABLE audit_log (n integer);
CREATE SCHEMA archive;
CREATE TABLE archive.customers (id integer, ssn text);
INSERT INTO customers VALUES (1, 'Ann', '012-34-5678', '01234', '\\x00ff', 12.50, '2020-01-31'),
                             (2, 'O''Neil', NULL, '48201', NULL, NULL, NULL);
INSERT INTO accounts VALUES (10, 1, '000123456789');
INSERT INTO archive.customers VALUES (7, '123-45-6789');
"""

SCHEMA_MY = """
CREATE TABLE customers (id int(11) NOT NULL, first_name varchar(40), ssn char(11), zip varchar(10), photo blob,
                        balance decimal(12,2), joined date, PRIMARY KEY (id));
CREATE TABLE accounts (id bigint NOT NULL PRIMARY KEY, customer_id int(11), number text,
                       CONSTRAINT fk_acc FOREIGN KEY (customer_id) REFERENCES customers (id));
CREATE TABLE audit_log (n int);
INSERT INTO customers VALUES (1, 'Ann', '012-34-5678', '01234', X'00FF', 12.50, '2020-01-31'),
                             (2, 'O''Neil', NULL, '48201', NULL, NULL, NULL);
INSERT INTO accounts VALUES (10, 1, '000123456789');
"""


def _tables(result) -> dict:
    return {t.name: t for t in result.tables}


def _rows(table) -> list[tuple]:
    return table.frame.collect().sort(ROW).drop(ROW).rows()


def _check_common(tables: dict, balance: str = "12.50") -> None:
    customers, accounts = tables["customers"], tables["accounts"]
    assert _rows(customers) == [
        ("1", "Ann", "012-34-5678", "01234", "00ff", balance, "2020-01-31"),
        ("2", "O'Neil", None, "48201", None, None, None),
    ]
    assert _rows(accounts) == [("10", "1", "000123456789")]
    assert customers.primary_key == ["id"]
    assert customers.source_types["id"] == "integer"
    assert customers.source_types["ssn"] == "string"
    assert customers.source_types["photo"] == "binary"
    assert customers.source_types["balance"] == "float"
    assert accounts.source_types["id"] == "integer"
    assert accounts.declared_links == [DeclaredLink("accounts", "customer_id", "customers", "id")]


def test_postgresql_tables_keys_types_and_schemas():
    with dbutil.pg_database("bs_sources_live") as uri:
        dbutil.pg_execute(uri, SCHEMA_PG)
        result = load_sources([uri])
    assert result.unreadable == []
    tables = _tables(result)
    # two schemas hold a customers table: both are qualified
    assert set(tables) == {"public.customers", "archive.customers", "accounts", "audit_log"}
    tables["customers"] = tables.pop("public.customers")
    assert tables["customers"].path == f"{uri}#public.customers"
    tables["accounts"].declared_links = [
        DeclaredLink(d.from_table, d.from_column, "customers", d.to_column)
        for d in tables["accounts"].declared_links
    ]
    _check_common(tables)


def test_mariadb_tables_keys_and_types():
    with dbutil.my_database("bs_sources_live") as uri:
        dbutil.my_execute("bs_sources_live", SCHEMA_MY)
        result = load_sources([uri.replace("mysql://", "mariadb://")])
    assert result.unreadable == []
    tables = _tables(result)
    assert set(tables) == {"customers", "accounts", "audit_log"}
    assert tables["customers"].path == "mariadb://root@127.0.0.1:3306/bs_sources_live#customers"
    _check_common(tables)


def test_include_exclude_globs_select_tables_before_reading():
    with dbutil.pg_database("bs_sources_live") as uri:
        dbutil.pg_execute(uri, SCHEMA_PG)
        only = load_sources([uri], include=["public.*"], exclude=["audit_*"])
    assert sorted(t.name for t in only.tables) == ["accounts", "customers"]


def test_session_is_read_only():
    """The settings the readers put on their sessions really make them read-only."""
    import connectorx as cx

    with dbutil.pg_database("bs_sources_live") as uri:
        conn = databases.parse_uri(uri)
        got = cx.read_sql(
            conn.url,
            "SELECT current_setting('transaction_read_only') AS ro",
            return_type="polars",
            pre_execution_query=databases._read_only(conn),
        )
        assert got["ro"].to_list() == ["on"]
        session = databases._catalog_session(conn)
        with pytest.raises(Exception, match="read-only"):
            session.execute("CREATE TABLE must_fail (n int)")
        session.close()
    with dbutil.my_database("bs_sources_live") as uri:
        conn = databases.parse_uri(uri)
        # MariaDB 10 calls it tx_read_only, MySQL 8 and MariaDB 11 transaction_read_only
        for variable in ("tx_read_only", "transaction_read_only"):
            try:
                got = cx.read_sql(
                    conn.url,
                    f"SELECT @@session.{variable} AS ro",
                    return_type="polars",
                    pre_execution_query=databases._read_only(conn),
                )
            except RuntimeError:
                continue
            assert got["ro"].to_list() == [1]
            break
        else:
            pytest.fail("no read-only session variable found")


def test_password_is_masked_in_paths_and_errors(monkeypatch):
    dbutil.need_postgres()
    secret = "Sup3r-Secret"
    # trust authentication ignores the password, so the read succeeds and shows where the table came from
    with dbutil.pg_database("bs_sources_live") as uri:
        dbutil.pg_execute(uri, SCHEMA_PG)
        with_pw = uri.replace("postgres@", f"postgres:{secret}@") + "?sslmode=disable"
        result = load_sources([with_pw], include=["accounts"])
    assert [t.name for t in result.tables] == ["accounts"]
    assert secret not in repr(result)
    assert result.tables[0].path.startswith("postgresql://postgres@127.0.0.1:5432/bs_sources_live#")
    # an unreachable server: reported, masked, and the scan goes on with the other inputs
    monkeypatch.setenv("PGPASSWORD", secret)
    down = load_sources([f"postgresql://postgres:{secret}@127.0.0.1:1/x", "mysql://root:pw9@127.0.0.1:1/x"])
    assert down.tables == []
    assert [u.path for u in down.unreadable] == [
        "postgresql://postgres@127.0.0.1:1/x",
        "mysql://root@127.0.0.1:1/x",
    ]
    for u in down.unreadable:
        assert "connection refused" in u.error
        assert secret not in u.error and "pw9" not in u.error


def test_credentials_from_the_environment(monkeypatch):
    monkeypatch.setenv("PGUSER", "someone")
    monkeypatch.setenv("PGPASSWORD", "from-env")
    conn = databases.parse_uri("postgresql://dbhost/shop")
    assert conn.user == "someone" and conn.secret == "from-env"
    assert "from-env" in conn.url and "from-env" not in conn.display
    assert conn.display == "postgresql://dbhost/shop"


def test_unknown_database_is_reported():
    dbutil.need_postgres()
    result = load_sources(["postgresql://postgres@127.0.0.1:5432/bs_sources_does_not_exist"])
    (bad,) = result.unreadable
    assert "does not exist" in bad.error


def _sqlite_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE customers (id INTEGER PRIMARY KEY, first_name TEXT, ssn TEXT, zip TEXT, photo BLOB,
                                balance NUMERIC(12,2), joined DATE);
        CREATE TABLE accounts (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers, number TEXT);
        INSERT INTO customers VALUES (1, 'Ann', '012-34-5678', '01234', X'00FF', '12.50', '2020-01-31'),
                                     (2, 'O''Neil', NULL, '48201', NULL, NULL, NULL);
        INSERT INTO accounts VALUES (10, 1, '000123456789');
        """
    )
    conn.commit()
    conn.close()
    return path


def test_sqlite_by_uri_and_found_in_a_folder_without_writing(tmp_path: Path):
    db = _sqlite_db(tmp_path / "shop.db")
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    mtime = db.stat().st_mtime_ns
    by_uri = load_sources([f"sqlite://{db}"])
    assert by_uri.unreadable == []
    _check_common(_tables(by_uri), balance="12.5")  # NUMERIC affinity: SQLite itself stores 12.5
    in_folder = load_sources([str(tmp_path)])
    assert sorted(t.path for t in in_folder.tables) == [f"{db}#accounts", f"{db}#customers"]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest and db.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]  # no journal, no -wal left behind


def test_missing_sqlite_file_is_reported_not_created(tmp_path: Path):
    missing = tmp_path / "nope.db"
    result = load_sources([f"sqlite://{missing}"])
    assert result.tables == [] and "not found" in result.unreadable[0].error
    assert not missing.exists()


def test_composite_foreign_key_of_a_database_is_one_key():
    from test_dumps import COMPOSITE_KEY_SQL, check_composite_key

    with dbutil.pg_database("bs_composite_key") as uri:
        dbutil.pg_execute(uri, COMPOSITE_KEY_SQL)
        check_composite_key(load_sources([uri]))


def test_connection_errors_keep_the_drivers_cause_without_the_password(monkeypatch):
    """A wrong port must be told from a wrong password: until 2026-11-24 a cause the fixed words did not know was
    reduced by safe_error to "OperationalError: (<digits>, <value>)", and a MySQL URI on a port where another
    server listens waited 60 s for a greeting. The driver's message (error number, host, port) is kept, the
    password never."""
    import time

    dbutil.need_postgres()
    dbutil.need_mariadb()
    monkeypatch.setattr(databases, "CONNECT_TIMEOUT_S", 3)
    secret = "Sup3r-Secret"
    start = time.monotonic()
    down = load_sources(
        [
            f"mysql://root:{secret}@127.0.0.1:1/x",  # nothing listens
            f"mysql://root:{secret}@127.0.0.1:{dbutil.PG['port']}/x",  # PostgreSQL listens: no MySQL greeting
            f"mysql://bs_nobody:{secret}@127.0.0.1:{dbutil.MY['port']}/x",  # no such user
            f"postgresql://postgres:{secret}@127.0.0.1:{dbutil.MY['port']}/x",  # MariaDB listens
        ]
    )
    assert time.monotonic() - start < 30
    assert down.tables == []
    errors = [u.error for u in down.unreadable]
    assert len(errors) == 4
    refused, not_mysql, denied, not_pg = errors
    assert "connection refused" in refused and "error 2003" in refused and "127.0.0.1" in refused
    assert "no MySQL/MariaDB handshake" in not_mysql and "error 2013" in not_mysql
    assert "access denied" in denied and "Access denied for user" in denied
    assert f"port {dbutil.MY['port']} failed" in not_pg
    for error in errors:
        assert secret not in error


def test_libpq_parameters_of_the_uri_reach_the_catalog_session():
    """?sslmode=… and the other libpq parameters of a PostgreSQL URI are the connection's: until 2026-11-24 the
    catalog's session dropped them, so sslmode=require against a server without TLS was met only by the table
    reads, each retrying for 30 s, and sslmode=disable did not reach the session at all. The path shown in
    reports still carries neither the password nor the query string."""
    import time

    # a password given as a parameter is the connection's secret (masked wherever it appears), not a parameter
    conn = databases.parse_uri(
        "postgresql://dbhost/shop?password=pw%26query&sslmode=disable&options=-c%20x%3Dy"
    )
    assert conn.secret == "pw&query" and conn.display == "postgresql://dbhost/shop"
    assert conn.params == {"sslmode": "disable", "options": "-c x=y", "connect_timeout": "10"}
    secret = "Sup3r-Secret"
    with dbutil.pg_database("bs_sources_live") as uri:
        dbutil.pg_execute(uri, SCHEMA_PG)
        with_pw = uri.replace("postgres@", f"postgres:{secret}@")
        query = "?sslmode=disable&application_name=bs-catalog&options=-c%20search_path%3Darchive"
        session = databases._catalog_session(databases.parse_uri(with_pw + query))
        try:
            assert session.info.parameter_status("application_name") == "bs-catalog"
            assert session.execute("SHOW search_path").fetchone() == ("archive",)
            assert session.info.get_parameters().get("sslmode") == "disable"
            server_tls = session.execute("SHOW ssl").fetchone() == ("on",)
        finally:
            session.close()
        result = load_sources([with_pw + query], include=["accounts"])
        assert [t.path for t in result.tables] == [f"{uri}#public.accounts"]
        assert _rows(result.tables[0]) == [("10", "1", "000123456789")]
        if server_tls:
            pytest.skip("this server has TLS: sslmode=require is not refused")
        start = time.monotonic()
        refused = load_sources([with_pw + "?sslmode=require"])
    assert time.monotonic() - start < 20
    assert refused.tables == []
    (bad,) = refused.unreadable
    assert bad.path == uri  # one error for the database, not one per table
    assert "SSL was required" in bad.error and secret not in bad.error


# twelve customers with integer keys, inserted out of order: as text, "10" sorts before "2"
ORDERED_PEOPLE = """
CREATE TABLE customers (id integer PRIMARY KEY, first_name varchar(20), last_name varchar(20), ssn varchar(11),
                        state varchar(2));
INSERT INTO customers VALUES {};
""".format(
    ", ".join(
        f"({i}, 'Ann', 'Lee{chr(64 + i)}', '{100 + i}-45-{6700 + i}', 'MI')"
        for i in (7, 12, 3, 10, 1, 9, 2, 11, 5, 8, 4, 6)
    )
)


@pytest.mark.parametrize("server", ["postgresql", "mariadb"])
def test_rows_of_a_live_table_come_in_the_order_of_its_typed_key(server: str, tmp_path: Path):
    """The outputs list rows in source row order (the notification list, findings): a live table's rows must come
    in the order of its key as the table types it (1, 2, ..., 10), not of the key's text (until 2026-11-24
    ORDER BY named the text alias of the SELECT list: 1, 10, 11, 12, 2, ...)."""
    import polars as pl

    from pipeline.scan import scan_and_report

    if server == "postgresql":
        database = dbutil.pg_database("bs_sources_order")
    else:
        database = dbutil.my_database("bs_sources_order")
    with database as uri:
        if server == "postgresql":
            dbutil.pg_execute(uri, ORDERED_PEOPLE)
        else:
            dbutil.my_execute("bs_sources_order", ORDERED_PEOPLE)
        (table,) = load_sources([uri]).tables
        assert [r[0] for r in _rows(table)] == [str(i) for i in range(1, 13)]
        scan_and_report([uri], tmp_path / "out")
    listed = pl.read_csv(tmp_path / "out" / "notification_list.csv", infer_schema=False)
    assert listed.get_column("last_name").to_list() == [f"Lee{chr(64 + i)}" for i in range(1, 13)]


def test_mysql_uri_parameters_reach_both_sessions():
    """?ssl_mode=…, charset, connect_timeout of a MySQL URI are the connection's, in the catalog's pymysql session and
    in connectorx's table reads alike (until 2026-11-25 the query string went to connectorx as written, which refused
    ssl_mode / charset / connect_timeout on every table, and pymysql never saw it: ssl_mode=REQUIRED was not met by
    the catalog). An unknown parameter is refused, naming it, before anything connects."""
    import time

    args, cx = databases.mysql_params({"ssl_mode": "DISABLED", "charset": "latin1", "connect_timeout": "5"})
    assert args == {"ssl_disabled": True, "charset": "latin1", "connect_timeout": 5}
    assert cx == {"tcp_connect_timeout_ms": "5000", "ssl-mode": "DISABLED"}
    conn = databases.parse_uri("mariadb://u:pw@db/shop?SSL-Mode=required&socket=/run/my.sock&password=x")
    assert conn.secret == "pw" and conn.display == "mariadb://u@db/shop"
    assert (
        conn.driver_args["unix_socket"] == "/run/my.sock"
        and conn.driver_args["ssl"]["check_hostname"] is False
    )
    assert conn.url == "mysql://u:pw@db:3306/shop?socket=%2Frun%2Fmy.sock&ssl-mode=REQUIRED"
    assert databases.parse_uri("mysql://u@db?database=shop&port=3307").url == "mysql://u@db:3307/shop"
    with dbutil.my_database("bs_sources_live") as uri:
        dbutil.my_execute("bs_sources_live", SCHEMA_MY)
        for query in ("?ssl_mode=DISABLED&charset=utf8mb4&connect_timeout=5", "?ssl-mode=PREFERRED"):
            result = load_sources([uri + query], include=["accounts"])
            assert result.unreadable == [], query
            assert [t.path for t in result.tables] == [f"{uri}#accounts"]
            assert _rows(result.tables[0]) == [("10", "1", "000123456789")]
        session = databases._catalog_session(databases.parse_uri(uri + "?charset=latin1&connect_timeout=3"))
        try:
            assert session.charset == "latin1" and session.connect_timeout == 3
        finally:
            session.close()
        for query, cause in (
            ("?ssl_moed=DISABLED", "unknown MySQL URI parameter ssl_moed"),
            (
                "?connect_timeout=soon",
                "MySQL URI parameter connect_timeout must be a whole number of seconds",
            ),
            (
                "?ssl_mode=sometimes",
                "MySQL URI parameter ssl_mode must be one of DISABLED, PREFERRED, REQUIRED",
            ),
        ):
            (bad,) = load_sources([uri + query]).unreadable
            assert bad.path == uri and cause in bad.error, query
        start = time.monotonic()
        refused = load_sources([uri + "?ssl_mode=REQUIRED"])
    assert time.monotonic() - start < 20
    assert refused.tables == []
    (bad,) = refused.unreadable
    assert bad.path == uri  # one error for the database, not one per table
    assert "error 2026" in bad.error and "SSL" in bad.error


def test_table_reads_connect_as_the_catalog_session_did(monkeypatch):
    """libpq's environment (PGUSER for a URI without a user, PGAPPNAME, PGOPTIONS, PGSSLMODE, PGCONNECT_TIMEOUT,
    ~/.pgpass) is honoured by psycopg; connectorx's URL is built from the connection psycopg made, so the table
    reads see the same settings (until 2026-11-25 connectorx saw only the URI and parse_uri's fill-ins)."""
    import connectorx as cx

    with dbutil.pg_database("bs_sources_live") as uri:
        dbutil.pg_execute(uri, SCHEMA_PG)
        dbutil.pg_execute(
            uri,
            "DROP ROLE IF EXISTS bs_env_reader; CREATE ROLE bs_env_reader LOGIN; "
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO bs_env_reader",
        )
        try:
            monkeypatch.setenv("PGUSER", "bs_env_reader")
            monkeypatch.setenv("PGAPPNAME", "bs-env-app")
            monkeypatch.setenv("PGSSLMODE", "prefer")
            monkeypatch.setenv("PGCONNECT_TIMEOUT", "7")
            bare = "postgresql://127.0.0.1:5432/bs_sources_live"  # no user: PGUSER's
            conn = databases.parse_uri(bare)
            session = databases._catalog_session(conn)
            try:
                mine = session.execute("SELECT current_user, current_setting('application_name')").fetchone()
                tls = session.pgconn.ssl_in_use
            finally:
                session.close()
            assert mine == ("bs_env_reader", "bs-env-app")
            theirs = cx.read_sql(
                conn.url,
                "SELECT current_user AS u, current_setting('application_name') AS a",
                return_type="arrow",
            )
            assert (theirs.column(0)[0].as_py(), theirs.column(1)[0].as_py()) == mine
            assert (
                f"sslmode={'require' if tls else 'disable'}" in conn.url and "connect_timeout=7" in conn.url
            )
            result = load_sources([bare], include=["accounts"])
            assert result.unreadable == []
            assert [t.path for t in result.tables] == [f"{bare}#public.accounts"]
            assert _rows(result.tables[0]) == [("10", "1", "000123456789")]
        finally:
            monkeypatch.delenv("PGUSER")
            dbutil.pg_execute(uri, "DROP OWNED BY bs_env_reader")
    dbutil.pg_execute("postgresql://postgres@127.0.0.1:5432/postgres", "DROP ROLE IF EXISTS bs_env_reader")
