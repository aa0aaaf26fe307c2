"""Export shapes a review found misread (2026-11-25): fixed-width extracts (mainframe, bank core, payroll: every record
the same length, fields padded with spaces, no delimiter) and SQL Server Management Studio's "Generate Scripts" output
(GO batches, [dbo].[T] names, INSERT without INTO, N'' strings, CAST(... AS Date), sometimes UTF-16). Each is read
into the same tables and the same counts as the same data given as CSV. Every export is built here, small and
synthetic (fixed seed)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from pipeline.scan import ScanOptions, run_scan
from pipeline.sources import load_sources

FIRST = ["JOHN", "MARY", "AHMED", "LI", "ROSA", "TOM", "ANNA", "DAVID", "MARIA", "JAMES", "LINDA", "ROBERT"]
LAST = ["SMITH", "JONES", "KHAN", "WEI", "DIAZ", "NG", "BROWN", "GARCIA", "MILLER", "DAVIS", "O'NEIL", "LEE"]
COLUMNS = ["emp_id", "last_name", "first_name", "ssn", "state", "zip"]


def _people(n: int = 24, seed: int = 7) -> list[tuple[str, ...]]:
    """(emp_id, last, first, ssn, state, zip): SSA-valid SSN shapes, ZIPs of the state (some states blank)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):  # one entry per synthetic person
        ssn = f"{rng.randint(100, 665):03d}{rng.randint(10, 99):02d}{rng.randint(1000, 9999):04d}"
        state = rng.choice(["MI", "MI", "OH", ""])
        zip_code = f"{rng.randint(48001, 49971)}" if state != "OH" else f"{rng.randint(43001, 45999)}"
        rows.append((f"{i + 1:06d}", rng.choice(LAST), rng.choice(FIRST), ssn, state, zip_code))
    return rows


def _scan(source: Path) -> dict:
    return run_scan([str(source)], options=ScanOptions(hash_key=b"k" * 32)).exposure


def _counts(exposure: dict) -> dict:
    return {k: exposure[k] for k in ("affected", "affected_michigan_by_element", "what_if", "unreadable")}


def _tables(exposure: dict) -> list[tuple]:
    return sorted(
        (t["name"], t["rows"], tuple(sorted((c["name"], c["classified_as"]) for c in t["columns"])))
        for t in exposure["tables"]
    )


def _csv(folder: Path, name: str, header: list[str] | None, rows: list[tuple[str, ...]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        if header:
            w.writerow(header)
        w.writerows(rows)
    return folder


def _record(r: tuple[str, ...]) -> str:
    """emp_id 1-6, last name 7-18, first name 19-28, SSN 29-37, state 38-39, ZIP 40-44: no delimiter, no space
    between the id and the name or between the SSN, the state and the ZIP."""
    return f"{r[0]}{r[1]:<12}{r[2]:<10}{r[3]}{r[4]:<2}{r[5]}"


LAYOUTS = {
    "customers.layout": "name,start,length\nemp_id,1,6\nlast_name,7,12\nfirst_name,19,10\nssn,29,9\nstate,38,2\n"
    "zip,40,5\n",
    "customers.fmt": "# field  from  to\nemp_id 1 6\nlast_name 7 18\nfirst_name 19 28\nssn 29 37\nstate 38 39\n"
    "zip 40 44\n",
    "customers_layout.csv": "FIELD_NAME;START_POS;END_POS\nemp_id;0;6\nlast_name;6;18\nfirst_name;18;28\nssn;28;37\n"
    "state;37;39\nzip;39;44\n",
    # SQL Server's bcp format file of fixed-length fields
    "customers.fmt ": '14.0\n6\n1 SQLCHAR 0 6 "" 1 emp_id ""\n2 SQLCHAR 0 12 "" 2 last_name SQL_Latin1_General_CP1_CI_AS\n'
    '3 SQLCHAR 0 10 "" 3 first_name SQL_Latin1_General_CP1_CI_AS\n4 SQLCHAR 0 9 "" 4 ssn ""\n'
    '5 SQLCHAR 0 2 "" 5 state ""\n6 SQLCHAR 0 5 "\\r\\n" 6 zip ""\n',
    # a COBOL copybook
    "customers.cpy": "       01  CUSTOMER-REC.\n           05  emp_id        PIC 9(6).\n"
    "           05  last_name     PIC X(12).\n           05  first_name    PIC X(10).\n"
    "           05  ssn           PIC 9(9).\n           05  state         PIC XX.\n"
    "           05  zip           PIC 9(5).\n",
}


# --- 1. Fixed-width extracts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fixed_width_with_a_layout_beside_it_counts_as_its_csv(tmp_path: Path, layout: str):
    """A payroll extract `customers.dat` with its layout beside it is read into the layout's columns: the same
    tables, classes and counts as the same rows in a CSV with those columns. The layout is no table of its own."""
    rows = _people()
    reference = _scan(_csv(tmp_path / "csv", "customers", COLUMNS, rows))
    assert reference["affected"]["michigan"] > 0
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "customers.dat").write_text("\r\n".join(_record(r) for r in rows) + "\r\n", encoding="latin-1")
    (folder / layout.strip()).write_text(LAYOUTS[layout], encoding="utf-8")
    exposure = _scan(folder)
    assert _counts(exposure) == _counts(reference)
    assert _tables(exposure) == _tables(reference)
    (table,) = exposure["tables"]
    assert any("by the layout" in w for w in table["warnings"]), table["warnings"]


def test_fixed_width_with_a_header_line_counts_as_its_csv(tmp_path: Path):
    """A header line of column names aligned to the fields names the columns (a name of two words stays one)."""
    rows = _people(seed=11)
    header = ["EMP ID", "LAST NAME", "FIRST NAME", "SSN", "ST", "ZIP"]
    reference = _scan(_csv(tmp_path / "csv", "payroll", header, rows))
    assert reference["affected"]["michigan"] > 0
    folder = tmp_path / "fw"
    folder.mkdir()
    lines = [f"{'EMP ID':<8}{'LAST NAME':<13}{'FIRST NAME':<12}{'SSN':<11}{'ST':<3}ZIP  "]
    lines += [f"{r[0]:<8}{r[1]:<13}{r[2]:<12}{r[3]:<11}{r[4]:<3}{r[5]}" for r in rows]
    (folder / "payroll.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    exposure = _scan(folder)
    assert _counts(exposure) == _counts(reference)
    assert _tables(exposure) == _tables(reference)


def test_fixed_width_without_a_layout_is_cut_where_every_record_has_a_space_and_says_so(tmp_path: Path):
    """No layout, no header: the fields are inferred (columns of spaces common to the records, a change between
    digits and letters: `000001JONES`, `431297468MI48748`), named column_1..N like a headerless CSV's, and the table
    says it was read with inferred fields so that a layout can be supplied. The values are those of the CSV."""
    rows = _people(seed=3)
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "payroll.dat").write_text("\n".join(_record(r) for r in rows) + "\n", encoding="utf-8")
    loaded = load_sources([str(folder)])
    assert loaded.unreadable == []
    (table,) = loaded.tables
    frame = table.frame.collect()
    assert frame.columns[1:] == [f"column_{i}" for i in range(1, 7)]
    assert [tuple(v or "" for v in r[1:]) for r in frame.rows()] == rows
    assert any("INFERRED fields" in w and "layout" in w for w in table.warnings), table.warnings
    exposure = _scan(folder)
    assert _counts(exposure) == _counts(_scan(_csv(tmp_path / "csv", "payroll", None, rows)))
    assert any("INFERRED" in w for w in exposure["tables"][0]["warnings"])


def test_fixed_width_in_a_zip_with_its_layout_and_a_titled_header(tmp_path: Path):
    """Inside an archive the layout beside its file is found too; a report title above a header line is skipped (and
    said), the header names the columns."""
    import zipfile

    rows = _people(seed=5)
    _csv(tmp_path / "csv", "customers", COLUMNS, rows)
    header = ["EMP_ID", "LAST_NAME", "FIRST_NAME", "SSN", "STATE", "ZIP"]
    titled = [
        "ACME PAYROLL EXTRACT",
        "",
        f"{'EMP_ID':<8}{'LAST_NAME':<13}{'FIRST_NAME':<12}{'SSN':<11}STATE ZIP",
    ]
    titled += [f"{r[0]:<8}{r[1]:<13}{r[2]:<12}{r[3]:<11}{r[4]:<6}{r[5]}" for r in rows]
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("extract/customers.dat", "\n".join(_record(r) for r in rows) + "\n")
        z.writestr("extract/customers.layout", LAYOUTS["customers.layout"])
        z.writestr("extract/payroll.txt", "\n".join(titled) + "\n")
    loaded = load_sources([str(archive)])
    assert loaded.unreadable == []
    by_name = {t.name: t for t in loaded.tables}
    assert sorted(by_name) == ["customers", "payroll"]
    assert by_name["customers"].frame.collect().columns[1:] == COLUMNS
    payroll = by_name["payroll"]
    assert payroll.frame.collect().columns[1:] == header
    assert any("1 title line(s) above its header skipped" in w for w in payroll.warnings), payroll.warnings
    _csv(tmp_path / "csv", "payroll", header, rows)
    assert _counts(_scan(archive)) == _counts(_scan(tmp_path / "csv"))


def test_a_name_of_two_words_is_not_cut_into_two_fields(tmp_path: Path):
    rows = [("DOE", "JOHN", "385221934"), ("SMITH", "MARY ANN", "234137394"), ("LI", "WEI", "456781234")]
    path = tmp_path / "people.dat"
    path.write_text("".join(f"{a:<10}{b:<10}{c}\n" for a, b, c in rows), encoding="utf-8")
    (table,) = load_sources([str(path)]).tables
    assert [r[1:] for r in table.frame.collect().rows()] == rows


@pytest.mark.parametrize(
    "text",
    [
        "id,name,ssn\n001,ANN ,234137394\n002,BOB ,345238817\n003,CY  ,456781234\n",  # equal lines, delimited
        "A1234567\nB2345678\nC3456789\n",  # one code a line: no column of spaces between fields
        "The quick brown fox jumps\nover the lazy dog, then\nsleeps until the sun sets\n",  # prose
    ],
)
def test_delimited_or_one_value_a_line_is_not_read_as_fixed_width(tmp_path: Path, text: str):
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    (table,) = load_sources([str(path)]).tables
    assert not any("fixed-width" in w for w in table.warnings)


# --- 2. SQL Server "Generate Scripts" ------------------------------------------------------------------------------
def _sqlserver_script(
    people: list[tuple[str, ...]], licences: list[tuple[str, str]], *, schema2: bool = False
) -> str:
    out = [
        "USE [master]",
        "GO",
        "/****** Object:  Database [Payroll]    Script Date: 11/20/2026 9:14:02 AM ******/",
        "CREATE DATABASE [Payroll]",
        " CONTAINMENT = NONE",
        " ON  PRIMARY ",
        "( NAME = N'Payroll', FILENAME = N'C:\\Program Files\\Microsoft SQL Server\\MSSQL\\DATA\\Payroll.mdf' , "
        "SIZE = 8192KB , FILEGROWTH = 65536KB )",
        "GO",
        "ALTER DATABASE [Payroll] SET COMPATIBILITY_LEVEL = 150",
        "GO",
        "USE [Payroll]",
        "GO",
        "/****** Object:  Table [dbo].[Employees]    Script Date: 11/20/2026 9:14:02 AM ******/",
        "SET ANSI_NULLS ON",
        "GO",
        "SET QUOTED_IDENTIFIER ON",
        "GO",
        "CREATE TABLE [dbo].[Employees](",
        "\t[EmpId] [int] IDENTITY(1,1) NOT NULL,",
        "\t[LastName] [nvarchar](50) NULL,",
        "\t[FirstName] [nvarchar](50) NULL,",
        "\t[SSN] [nvarchar](11) NULL,",
        "\t[State] [char](2) NULL,",
        "\t[Zip] [varchar](10) NULL,",
        "\t[HireDate] [date] NULL,",
        " CONSTRAINT [PK_Employees] PRIMARY KEY CLUSTERED ",
        "(",
        "\t[EmpId] ASC",
        ")WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF) ON [PRIMARY]",
        ") ON [PRIMARY]",
        "GO",
        "CREATE TABLE [dbo].[Licenses](",
        "\t[EmpId] [int] NOT NULL,",
        "\t[DLNumber] [nvarchar](20) NULL",
        ") ON [PRIMARY]",
        "GO",
        "/****** Object:  StoredProcedure [dbo].[AddLicense] ******/",
        "CREATE PROCEDURE [dbo].[AddLicense] @emp int, @dl nvarchar(20)",
        "AS",
        "BEGIN",
        "INSERT INTO [dbo].[Licenses] ([EmpId], [DLNumber]) VALUES (@emp, @dl)",
        "END",
        "GO",
        "SET IDENTITY_INSERT [dbo].[Employees] ON ",
        "",
    ]
    for r in people:  # one entry per synthetic person
        last = r[1].replace("'", "''")
        state = f"N'{r[4]}'" if r[4] else "NULL"
        out.append(
            f"INSERT [dbo].[Employees] ([EmpId], [LastName], [FirstName], [SSN], [State], [Zip], [HireDate]) VALUES "
            f"({int(r[0])}, N'{last}', N'{r[2]}', N'{r[3]}', {state}, N'{r[5]}', CAST(N'2019-03-01' AS Date))"
        )
    out += ["SET IDENTITY_INSERT [dbo].[Employees] OFF", "GO"]
    out += [f"INSERT [dbo].[Licenses] ([EmpId], [DLNumber]) VALUES ({int(e)}, N'{dl}')" for e, dl in licences]
    out += ["GO"]
    if schema2:
        out += [
            "CREATE TABLE [archive].[Employees](",
            "\t[EmpId] [int] NOT NULL,",
            "\t[Note] [nvarchar](max) NULL",
            ") ON [PRIMARY]",
            "GO",
            "INSERT [archive].[Employees] ([EmpId], [Note]) VALUES (1, N'moved",
            "GO",
            "to archive')",
            "GO",
        ]
    out += [
        "ALTER TABLE [dbo].[Licenses]  WITH CHECK ADD  CONSTRAINT [FK_Licenses_Employees] FOREIGN KEY([EmpId])",
        "REFERENCES [dbo].[Employees] ([EmpId])",
        "GO",
        "ALTER TABLE [dbo].[Licenses] CHECK CONSTRAINT [FK_Licenses_Employees]",
        "GO",
        "USE [master]",
        "GO",
        "ALTER DATABASE [Payroll] SET  READ_WRITE ",
        "GO",
    ]
    return "\r\n".join(out) + "\r\n"


def _licences(people: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    rng = random.Random(5)
    return [(r[0], f"{rng.choice('BDKMS')}{rng.randint(10**11, 10**12 - 1)}") for r in people[::2]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_sql_server_generate_scripts_counts_as_its_csv(tmp_path: Path, encoding: str):
    """SSMS "Generate Scripts" (schema and data), CRLF, UTF-8 or UTF-16 with a BOM: the tables Employees and Licenses
    (no [dbo]), their rows, declared key and link, and the counts of the same rows as CSV files. A stored procedure's
    INSERT of its parameters is no row."""
    people = _people(seed=21)
    licences = _licences(people)
    emp_cols = ["EmpId", "LastName", "FirstName", "SSN", "State", "Zip", "HireDate"]
    folder = tmp_path / "csv"
    _csv(folder, "Employees", emp_cols, [(str(int(r[0])), *r[1:], "2019-03-01") for r in people])
    _csv(folder, "Licenses", ["EmpId", "DLNumber"], [(str(int(e)), dl) for e, dl in licences])
    reference = _scan(folder)
    assert reference["affected_michigan_by_element"]["ssn"] > 0
    assert reference["affected_michigan_by_element"]["drivers_license"] > 0
    script = tmp_path / "Payroll.sql"
    script.write_bytes(_sqlserver_script(people, licences).encode(encoding))  # utf-16: with a BOM
    loaded = load_sources([str(script)])
    assert loaded.unreadable == []
    by_name = {t.name: t for t in loaded.tables}
    assert sorted(by_name) == ["Employees", "Licenses"]
    employees = by_name["Employees"].frame.collect()
    assert employees.height == len(people)
    assert employees.row(1)[1:] == (str(int(people[1][0])), *[v or None for v in people[1][1:]], "2019-03-01")
    assert by_name["Employees"].primary_key == ["EmpId"]
    assert [(d.from_column, d.to_table, d.to_column) for d in by_name["Licenses"].declared_links] == [
        ("EmpId", "Employees", "EmpId")
    ]
    exposure = _scan(script)
    assert _counts(exposure) == _counts(reference)
    assert [(t["name"], t["rows"]) for t in sorted(exposure["tables"], key=lambda t: t["name"])] == [
        ("Employees", len(people)),
        ("Licenses", len(licences)),
    ]


def test_sql_server_tables_of_two_schemas_keep_their_schema(tmp_path: Path):
    """[dbo].[Employees] and [archive].[Employees]: `dbo.Employees` and `archive.Employees`; a GO line inside a
    string value is part of the value."""
    people = _people(4)
    script = tmp_path / "Payroll.sql"
    script.write_text(_sqlserver_script(people, [], schema2=True), encoding="utf-8", newline="")
    loaded = load_sources([str(script)])
    assert loaded.unreadable == []
    names = sorted(t.name for t in loaded.tables)
    assert names == ["Licenses", "archive.Employees", "dbo.Employees"]
    archive = next(t for t in loaded.tables if t.name == "archive.Employees").frame.collect()
    assert archive.rows() == [(0, "1", "moved\r\nGO\r\nto archive")]
