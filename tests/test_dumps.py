"""SQL dumps read as a stream without a server: pg_dump (COPY / INSERT), mysqldump, sqlite .dump."""

from __future__ import annotations

import gzip
from pathlib import Path

import dbutil
import pytest

from pipeline import dumps
from pipeline.sources import load_sources
from pipeline.tables import ROW, DeclaredLink


def _tables(result) -> dict:
    return {t.name: t for t in result.tables}


def _rows(table) -> list[tuple]:
    return table.frame.collect().sort(ROW).drop(ROW).rows()


PG_COPY = """--
-- PostgreSQL database dump
--

SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.customers (
    id integer NOT NULL,
    first_name character varying(40),
    ssn character(11),
    note text
);

CREATE TABLE public.accounts (
    id bigint NOT NULL,
    customer_id integer,
    account_number text,
    balance numeric(12,2)
);

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO public.customers VALUES (99, 'not data', NULL, NULL);
  RETURN NEW;
END;
$$;

COPY public.customers (id, first_name, ssn, note) FROM stdin;
1\tAnn\t012-34-5678\tback\\\\slash
2\tZo\u00eb\t\\N\ttab\\there
3\tBob\t123-45-6789\tnew\\nline and \\\\n literal
\\.

COPY public.accounts (id, customer_id, account_number, balance) FROM stdin;
10\t1\t000123456789\t12.50
11\t3\t987654321\t\\N
\\.

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);
"""

EXPECTED_CUSTOMERS = [
    ("1", "Ann", "012-34-5678", "back\\slash"),
    ("2", "Zoë", None, "tab\there"),
    ("3", "Bob", "123-45-6789", "new\nline and \\n literal"),
]


def test_pg_copy_dump_values_keys_and_types(tmp_path: Path):
    path = tmp_path / "shop.sql"
    path.write_text(PG_COPY, encoding="utf-8")
    result = load_sources([str(path)])
    assert result.unreadable == []
    tables = _tables(result)
    assert set(tables) == {"customers", "accounts"}  # public.customers -> customers; no trigger body rows
    customers, accounts = tables["customers"], tables["accounts"]
    assert customers.path == f"{path}#public.customers"
    assert _rows(customers) == EXPECTED_CUSTOMERS
    assert _rows(accounts) == [("10", "1", "000123456789", "12.50"), ("11", "3", "987654321", None)]
    assert customers.primary_key == ["id"]
    assert customers.source_types == {
        "id": "integer",
        "first_name": "string",
        "ssn": "string",
        "note": "string",
    }
    assert accounts.source_types["id"] == "integer" and accounts.source_types["balance"] == "float"
    assert accounts.declared_links == [DeclaredLink("accounts", "customer_id", "customers", "id")]


def test_pg_inserts_column_inserts_and_escape_strings(tmp_path: Path):
    text = """SET standard_conforming_strings = on;
CREATE TABLE public.customers (id integer PRIMARY KEY, first_name text, ssn text, note text);
INSERT INTO public.customers VALUES (1, 'Ann', '012-34-5678', 'back\\slash');
INSERT INTO public.customers (id, first_name, ssn, note) VALUES (2, 'Zoë', NULL, E'tab\\there'),
\t(3, 'Bob', '123-45-6789', 'new
line and \\n literal');
"""
    path = tmp_path / "ins.sql"
    path.write_text(text, encoding="utf-8")
    result = load_sources([str(path)])
    assert result.unreadable == []
    assert _rows(_tables(result)["customers"]) == EXPECTED_CUSTOMERS


MYSQL = """-- MySQL dump 10.13  Distrib 8.0.36
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `customers`;
CREATE TABLE `customers` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `first_name` varchar(40) DEFAULT NULL COMMENT 'given name; may be empty',
  `ssn` char(11) DEFAULT NULL,
  `note` text,
  `photo` blob,
  PRIMARY KEY (`id`),
  KEY `idx_ssn` (`ssn`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE `orders` (
  `order_id` bigint unsigned NOT NULL,
  `customer_id` int(11) DEFAULT NULL,
  PRIMARY KEY (`order_id`),
  CONSTRAINT `fk_c` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB;
LOCK TABLES `customers` WRITE;
/*!40000 ALTER TABLE `customers` DISABLE KEYS */;
INSERT INTO `customers` VALUES (1,'Ann','012-34-5678','back\\\\slash',NULL),(2,'Zo\u00eb',NULL,'tab\\there',0x0102FF),(3,'Bob','123-45-6789','new\\nline and \\\\n literal',_binary 'AB'),(4,'O\\'Neil','456-78-9012','it''s \\"quoted\\"',NULL);
/*!40000 ALTER TABLE `customers` ENABLE KEYS */;
UNLOCK TABLES;
INSERT INTO `orders` VALUES (100,1),(101,4);
DELIMITER ;;
/*!50003 CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW BEGIN INSERT INTO `orders` VALUES (0,0); END */;;
DELIMITER ;
"""


def test_mysqldump_escapes_binary_keys_and_types(tmp_path: Path):
    path = tmp_path / "my.sql"
    path.write_text(MYSQL, encoding="utf-8")
    result = load_sources([str(path)])
    assert result.unreadable == []
    tables = _tables(result)
    assert _rows(tables["customers"]) == [
        *[(*row, None) for row in EXPECTED_CUSTOMERS[:1]],
        ("2", "Zoë", None, "tab\there", "0102ff"),
        ("3", "Bob", "123-45-6789", "new\nline and \\n literal", "4142"),
        ("4", "O'Neil", "456-78-9012", 'it\'s "quoted"', None),
    ]
    assert _rows(tables["orders"]) == [("100", "1"), ("101", "4")]  # the trigger body is not data
    assert tables["customers"].primary_key == ["id"]
    assert tables["customers"].source_types["id"] == "integer"
    assert tables["customers"].source_types["photo"] == "binary"
    assert tables["orders"].source_types["order_id"] == "integer"
    assert tables["orders"].declared_links == [DeclaredLink("orders", "customer_id", "customers", "id")]


SQLITE = """PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE customers(id INTEGER PRIMARY KEY, first_name TEXT, ssn TEXT, note TEXT);
INSERT INTO customers VALUES(1,'Ann','012-34-5678','back\\slash');
INSERT INTO customers VALUES(2,'Zoë',NULL,'tab\tthere');
INSERT INTO customers VALUES(3,'Bob','123-45-6789',replace('new\\nline and \\n literal','\\n',char(10)));
CREATE TABLE IF NOT EXISTS "accounts"(id INTEGER, customer_id INTEGER REFERENCES customers, blob BLOB);
INSERT INTO "accounts" VALUES(10,1,X'00FF');
COMMIT;
"""


def test_sqlite_dump_replace_char_hex_and_implicit_reference(tmp_path: Path):
    path = tmp_path / "lite.sql"
    path.write_text(SQLITE, encoding="utf-8")
    result = load_sources([str(path)])
    assert result.unreadable == []
    tables = _tables(result)
    # sqlite writes a real tab inside the string; replace(...,'\n',char(10)) turns \n into newlines
    assert _rows(tables["customers"])[:2] == [
        EXPECTED_CUSTOMERS[0][:3] + ("back\\slash",),
        ("2", "Zoë", None, "tab\tthere"),
    ]
    assert _rows(tables["customers"])[2] == ("3", "Bob", "123-45-6789", "new\nline and \n literal")
    assert _rows(tables["accounts"]) == [("10", "1", "00ff")]
    assert tables["accounts"].declared_links == [DeclaredLink("accounts", "customer_id", "customers", "id")]


def test_gzip_dump_and_dump_recognised_by_content(tmp_path: Path):
    (tmp_path / "shop.sql.gz").write_bytes(gzip.compress(PG_COPY.encode()))
    (tmp_path / "backup_2024").write_text(MYSQL, encoding="utf-8")
    result = load_sources([str(tmp_path / "shop.sql.gz"), str(tmp_path / "backup_2024")])
    assert result.unreadable == []
    paths = sorted(t.path for t in result.tables)
    assert f"{tmp_path / 'shop.sql.gz'}#public.customers" in paths
    assert f"{tmp_path / 'backup_2024'}#orders" in paths


def test_truncated_copy_keeps_rows_before_the_cut_and_names_the_line(tmp_path: Path):
    cut = PG_COPY.index("3\tBob")
    path = tmp_path / "cut.sql"
    path.write_text(PG_COPY[:cut], encoding="utf-8")
    result = load_sources([str(path)])
    customers = _tables(result)["customers"]
    assert _rows(customers) == EXPECTED_CUSTOMERS[:2]
    (warning,) = customers.warnings
    start = PG_COPY[:cut].count("\n", 0, PG_COPY.index("COPY public.customers")) + 1
    assert f"starts at line {start}" in warning and "truncated after line" in warning


def test_truncated_multi_row_insert_keeps_complete_tuples(tmp_path: Path):
    cut = MYSQL.index("(3,'Bob'") + 12  # inside the third tuple
    path = tmp_path / "cut.sql"
    path.write_text(MYSQL[:cut], encoding="utf-8")
    result = load_sources([str(path)])
    customers = _tables(result)["customers"]
    assert [r[0] for r in _rows(customers)] == ["1", "2"]
    line = MYSQL[:cut].count("\n", 0, MYSQL.index("INSERT INTO `customers`")) + 1
    assert any(f"INSERT statement that starts at line {line}" in w for w in customers.warnings), (
        customers.warnings
    )


def test_truncated_inside_create_table_is_reported_with_line(tmp_path: Path):
    cut = PG_COPY.index("    first_name")
    path = tmp_path / "cut.sql"
    path.write_text(PG_COPY[:cut], encoding="utf-8")
    result = load_sources([str(path)])
    assert any("line 9" in u.error and "truncated" in u.error for u in result.unreadable), result.unreadable


def test_garbage_statement_is_skipped_and_reported_and_later_rows_read(tmp_path: Path):
    text = MYSQL.replace("UNLOCK TABLES;", "INSERT INTO `orders` VALUES (1,2),(3 4 5);\nUNLOCK TABLES;")
    path = tmp_path / "bad.sql"
    path.write_text(text, encoding="utf-8")
    result = load_sources([str(path)])
    orders = _tables(result)["orders"]
    assert _rows(orders) == [("1", "2"), ("100", "1"), ("101", "4")]
    assert any("malformed" in w for w in orders.warnings)


@pytest.mark.parametrize("chunk_rows", [1, 7, 50_000])
def test_chunking_keeps_row_order_across_copy_and_insert(tmp_path: Path, chunk_rows: int):
    lines = ["CREATE TABLE t (n integer, s text);", "COPY t (n, s) FROM stdin;"]
    lines += [f"{i}\tv{i}" for i in range(40)] + ["\\."]
    lines += [f"INSERT INTO t VALUES ({i}, 'v{i}');" for i in range(40, 60)]
    lines += ["INSERT INTO t VALUES " + ",".join(f"({i}, 'v{i}')" for i in range(60, 90)) + ";"]
    path = tmp_path / "order.sql"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = dumps.read_dump(path, str(path), chunk_rows=chunk_rows)
    (table,) = result.tables
    assert _rows(table) == [(str(i), f"v{i}") for i in range(90)]


def test_vector_decoder_agrees_with_exact_parser():
    payloads = [
        "(1,'a\\'b',NULL,X'0A'),(2,'x''y','c\\\\n',0xFF);",
        "(3,'only two'),(4,'ok','z',TRUE);",
        "(5,'q','r',-1.5e3) garbage;",
    ]
    frame, bad, broken = dumps.insert_payloads_to_frame(payloads, ["a", "b", "c", "d"], esc=True)
    assert broken == [2] and bad == 1
    exact = [r for p in payloads[:2] for r in dumps._parse_insert_values(p, 0, True)[0] if len(r) == 4]
    assert frame.drop(dumps.STMT).rows() == exact
    assert frame[dumps.STMT].to_list() == [0, 0, 1]


# ---------------------------------------------------------------- real dump tools against the local servers


def test_real_pg_dump_formats_match_the_data(tmp_path: Path):
    tables = dbutil.generated_tables()
    expected = dbutil.expected_contents(tables)
    with dbutil.pg_database("bs_sources_dumps") as uri:
        dbutil.load_into_pg(tables, uri)
        dbutil.pg_execute(uri, "ALTER TABLE customers ADD PRIMARY KEY (customer_id)")
        dbutil.pg_execute(
            uri, "ALTER TABLE accounts ADD FOREIGN KEY (customer_id) REFERENCES customers (customer_id)"
        )
        variants = {
            "copy": dbutil.pg_dump("bs_sources_dumps", tmp_path / "copy.sql"),
            "inserts": dbutil.pg_dump("bs_sources_dumps", tmp_path / "inserts.sql", "--inserts"),
            "column_inserts": dbutil.pg_dump(
                "bs_sources_dumps", tmp_path / "colins.sql", "--column-inserts", "--rows-per-insert=7"
            ),
        }
    for name, path in variants.items():
        result = load_sources([str(path)])
        assert result.unreadable == [], (name, result.unreadable)
        assert dbutil.contents(result) == expected, name
        accounts = _tables(result)["accounts"]
        assert accounts.declared_links == [
            DeclaredLink("accounts", "customer_id", "customers", "customer_id")
        ]
        assert _tables(result)["customers"].primary_key == ["customer_id"]


def test_real_mysqldump_matches_the_data(tmp_path: Path):
    tables = dbutil.generated_tables()
    with dbutil.my_database("bs_sources_dumps"):
        dbutil.load_into_mariadb(tables, "bs_sources_dumps")
        dbutil.my_execute(
            "bs_sources_dumps",
            "ALTER TABLE customers MODIFY customer_id varchar(10) NOT NULL, ADD PRIMARY KEY (customer_id);"
            "ALTER TABLE accounts MODIFY customer_id varchar(10), "
            "ADD CONSTRAINT fk_cust FOREIGN KEY (customer_id) REFERENCES customers (customer_id);",
        )
        extended = dbutil.mysqldump("bs_sources_dumps", tmp_path / "my.sql")
        compact = dbutil.mysqldump(
            "bs_sources_dumps",
            tmp_path / "compact.sql",
            "--compact",
            "--skip-extended-insert",
            "--complete-insert",
        )
    for path in (extended, compact):
        result = load_sources([str(path)])
        assert result.unreadable == [], result.unreadable
        assert dbutil.contents(result) == dbutil.expected_contents(tables), path.name
        assert _tables(result)["accounts"].declared_links == [
            DeclaredLink("accounts", "customer_id", "customers", "customer_id")
        ]


def test_sqlite_dump_matches_the_data(tmp_path: Path):
    tables = dbutil.generated_tables()
    db = dbutil.to_sqlite_file(tables, tmp_path / "x.db")
    dump = dbutil.to_sqlite_dump(db, tmp_path / "x.sql")
    result = load_sources([str(dump)])
    assert result.unreadable == []
    assert dbutil.contents(result) == dbutil.expected_contents(tables)


COMPOSITE_KEY_SQL = """
CREATE TABLE customers (region char(1) NOT NULL, cust_no integer NOT NULL, first_name varchar(40),
                        last_name varchar(40), state char(2), PRIMARY KEY (region, cust_no));
CREATE TABLE payments (pay_id integer PRIMARY KEY, region char(1) NOT NULL, cust_no integer NOT NULL,
                       card_number varchar(19), cvv varchar(4),
                       CONSTRAINT fk_cust FOREIGN KEY (region, cust_no) REFERENCES customers (region, cust_no));
INSERT INTO customers VALUES ('E',1,'Alice','Ames','MI'),('W',1,'Bob','Baker','OH'),('E',2,'Cara','Cole','MI'),
                             ('W',2,'Dan','Drew','OH');
INSERT INTO payments VALUES (1,'W',1,'4532015112830366','123'),(2,'E',2,'4000123456789017','456');
"""


def check_composite_key(source) -> None:
    """The payments of customers (W, 1) and (E, 2) are Bob's (Ohio) and Cara's (Michigan): the key is the pair,
    never its parts one by one (that gave Bob's card to Alice, customer 1 of region E)."""
    from pipeline.scan import ScanOptions, scan_sources

    payments = next(t for t in source.tables if t.name.endswith("payments"))
    assert [(d.from_column, d.to_column) for d in payments.declared_links] == [
        ("region+cust_no", "region+cust_no")
    ]
    result = scan_sources(source, ScanOptions(hash_key=b"k"))
    assert [(k.from_column, k.to_column, k.source) for k in result.links] == [
        ("region+cust_no", "region+cust_no", "declared")
    ]
    assert result.exposure["affected"] == {"michigan": 1, "other_states": 1, "unknown_residency": 0}
    assert any("composite key (region, cust_no)" in w for w in payments.warnings)


def test_composite_foreign_key_of_a_dump_is_one_key(tmp_path: Path):
    (tmp_path / "dump.sql").write_text(COMPOSITE_KEY_SQL)
    check_composite_key(load_sources([str(tmp_path / "dump.sql")]))


# ---------------------------------------------------------------- the database a dump holds

ACCOUNTS = (
    "CREATE TABLE `accounts` (`acct_no` bigint, `first_name` varchar(40), `last_name` varchar(60), "
    "`state` char(2), `passcode` varchar(10));\n"
    "INSERT INTO `accounts` VALUES (400100361,'Madison','Leonard','MI','9772'),"
    "(400100658,'Danielle','Carter','MI','6881');\n"
)


def _affected(path: Path) -> tuple[int, int, int]:
    from pipeline.scan import ScanOptions, run_scan

    a = run_scan([str(path)], out_dir=None, options=ScanOptions()).exposure["affected"]
    return a["michigan"], a["other_states"], a["unknown_residency"]


@pytest.mark.parametrize(
    "head",
    [
        "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)\n--\n"
        "-- Host: 127.0.0.1    Database: {db}\n-- ------------------------------------------------------\n",
        "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `{db}` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n\nUSE `{db}`;\n",
        "USE {db};\n",
    ],
)
def test_a_mysqldump_is_named_by_its_database_as_well_as_its_file(tmp_path: Path, head: str):
    """The database mysqldump names (its header, CREATE DATABASE / USE) is the source's name beside the file's: a
    carrier's accounts(acct_no, passcode) in backup_2024.sql of the database telco_billing are the carrier's service
    accounts (until 2026-11-25 only the file's name counted: 2 counted), in the database core_banking a bank's."""
    telco = tmp_path / "telco" / "backup_2024.sql"
    bank = tmp_path / "bank" / "backup_2024.sql"
    for path, db in ((telco, "telco_billing"), (bank, "core_banking")):
        path.parent.mkdir()
        path.write_text(head.format(db=db) + ACCOUNTS)
    table = _tables(load_sources([str(telco)]))["accounts"]
    assert table.path == f"{telco}#telco_billing.accounts"  # the file's name kept, the database's added
    assert _affected(telco) == (0, 0, 0)
    assert _affected(bank) == (2, 0, 0)


def test_a_dump_of_several_databases_keeps_each_databases_tables(tmp_path: Path):
    """mysqldump --all-databases: two databases' accounts are two tables, each named by its database (until
    2026-11-25 their rows were one table, read as one source), and a foreign key stays inside its database."""
    dump = tmp_path / "all.sql"
    dump.write_text(
        "-- MySQL dump 10.13\n-- Host: localhost    Database: \n"
        "CREATE DATABASE `casino_ops`;\nUSE `casino_ops`;\n" + ACCOUNTS + "CREATE TABLE `visits` (`id` int, "
        "`acct_no` bigint, FOREIGN KEY (`acct_no`) REFERENCES `accounts` (`acct_no`));\n"
        "INSERT INTO `visits` VALUES (1,400100361);\n"
        "CREATE DATABASE `credit_union`;\nUSE `credit_union`;\n"
        + ACCOUNTS.replace("Madison", "Maria").replace("400100", "500100")
    )
    result = load_sources([str(dump)])
    tables = _tables(result)
    assert sorted(tables) == ["casino_ops.accounts", "credit_union.accounts", "visits"]
    assert tables["visits"].declared_links == [
        DeclaredLink("visits", "acct_no", "casino_ops.accounts", "acct_no")
    ]
    assert tables["credit_union.accounts"].path == f"{dump}#credit_union.accounts"
    assert [r[0] for r in _rows(tables["credit_union.accounts"])] == ["500100361", "500100658"]
    assert _affected(dump) == (
        2,
        0,
        0,
    )  # the credit union's two members; the casino's players hold no bank account


def test_pg_dumpall_connect_names_the_database_and_keeps_databases_apart(tmp_path: Path):
    dump = tmp_path / "all.sql"
    table = "CREATE TABLE public.customers (id integer, name text);\nCOPY public.customers (id, name) FROM stdin;\n{}\n\\.\n"
    dump.write_text(
        "--\n-- PostgreSQL database cluster dump\n--\n"
        "\\connect -reuse-previous=on \"dbname='shop'\"\n"
        + table.format("1\tAnn")
        + "\\connect hospital\n"
        + table.format("2\tBob")
    )
    tables = _tables(load_sources([str(dump)]))
    assert sorted(tables) == ["hospital.public.customers", "shop.public.customers"]
    assert tables["hospital.public.customers"].path == f"{dump}#hospital.public.customers"
    assert _rows(tables["shop.public.customers"]) == [("1", "Ann")]


def test_a_real_mysqldump_names_its_database(tmp_path: Path):
    with dbutil.my_database("bs_sources_casino"):
        dbutil.my_execute("bs_sources_casino", ACCOUNTS)
        path = dbutil.mysqldump("bs_sources_casino", tmp_path / "backup.sql")
        both = dbutil.mysqldump("bs_sources_casino", tmp_path / "both.sql", "--databases")
    for p in (path, both):
        result = load_sources([str(p)])
        assert [(t.name, t.path) for t in result.tables] == [("accounts", f"{p}#bs_sources_casino.accounts")]
    assert _affected(path) == (0, 0, 0)  # a casino's player accounts
