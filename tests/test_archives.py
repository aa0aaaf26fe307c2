"""zip / tar / tgz / gz archives: tables inside are read, escapes are refused, bombs are stopped."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from pipeline import sources
from pipeline.sources import Limits, load_sources
from pipeline.tables import ROW

CSV = b"id,ssn\n001,012-34-5678\n002,123-45-6789\n"
DUMP = b"CREATE TABLE t (n integer);\nINSERT INTO t VALUES (1),(2);\n"


def _rows(table) -> list[tuple]:
    return table.frame.collect().sort(ROW).drop(ROW).rows()


def _private_folders() -> set[Path]:
    return set(sources.workdir().glob("archive-*"))


def test_zip_members_are_tables_with_bang_paths(tmp_path: Path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("customers.csv", CSV)
        zf.writestr("db/backup.sql", DUMP)
        zf.writestr("db/", "")
        zf.writestr("__MACOSX/._customers.csv", b"\x00\x05\x16\x07")
    result = load_sources([str(archive)])
    assert result.unreadable == []
    tables = {t.name: t for t in result.tables}
    assert set(tables) == {"customers", "t"}
    assert tables["customers"].path == f"{archive}!customers.csv"
    assert tables["t"].path == f"{archive}!db/backup.sql#t"
    assert _rows(tables["customers"]) == [("001", "012-34-5678"), ("002", "123-45-6789")]
    assert _rows(tables["t"]) == [("1",), ("2",)]


@pytest.mark.parametrize("mode,suffix", [("w", ".tar"), ("w:gz", ".tar.gz"), ("w:gz", ".tgz")])
def test_tar_variants(tmp_path: Path, mode: str, suffix: str):
    archive = tmp_path / f"export{suffix}"
    with tarfile.open(archive, mode) as tf:
        for name, data in (
            ("customers.csv", CSV),
            ("nested/inner.zip", _zip_bytes({"orders.csv": b"id\n7\n"})),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    result = load_sources([str(archive)])
    assert result.unreadable == []
    tables = {t.name: t for t in result.tables}
    assert set(tables) == {"customers", "orders"}
    assert tables["orders"].path == f"{archive}!nested/inner.zip!orders.csv"
    assert _rows(tables["orders"]) == [("7",)]


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_slip_members_are_refused_and_nothing_escapes(tmp_path: Path):
    archive = tmp_path / "evil.zip"
    archive.write_bytes(
        _zip_bytes({"../../escaped.csv": CSV, "/abs/escaped.csv": CSV, "..\\win.csv": CSV, "good.csv": CSV})
    )
    result = load_sources([str(archive)])
    assert [t.name for t in result.tables] == ["good"]
    refused = {u.path: u.error for u in result.unreadable}
    assert set(refused) == {
        f"{archive}!../../escaped.csv",
        f"{archive}!/abs/escaped.csv",
        f"{archive}!..\\win.csv",
    }
    assert all("refused" in e for e in refused.values())
    assert not list(tmp_path.parent.rglob("escaped.csv")) and not Path("/abs").exists()


def test_tar_links_and_escapes_are_refused(tmp_path: Path):
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tf:
        for name in ("../up.csv", "ok.csv"):
            info = tarfile.TarInfo(name)
            info.size = len(CSV)
            tf.addfile(info, io.BytesIO(CSV))
        link = tarfile.TarInfo("passwd.csv")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    result = load_sources([str(archive)])
    assert [t.name for t in result.tables] == ["ok"]
    errors = {u.path: u.error for u in result.unreadable}
    assert "climbs out" in errors[f"{archive}!../up.csv"]
    assert "link" in errors[f"{archive}!passwd.csv"]


def test_zip_bomb_is_stopped_with_a_clear_error_and_its_folder_removed(tmp_path: Path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.csv", CSV)
        zf.writestr("zeros.csv", b"a\n" + b"0" * (40 << 20))
    before = _private_folders()
    result = load_sources([str(archive)], limits=Limits(max_ratio=100, ratio_grace_bytes=1 << 20))
    assert result.tables == []
    (bad,) = result.unreadable
    assert bad.path == str(archive) and "decompression bomb" in bad.error and "100x" in bad.error
    assert _private_folders() == before


def test_total_size_limit_applies_to_tar_and_gzip(tmp_path: Path):
    limits = Limits(max_uncompressed_bytes=1 << 20)
    big = b"a\n" + b"1\n" * (1 << 20)
    tgz = tmp_path / "big.tgz"
    with tarfile.open(tgz, "w:gz") as tf:
        info = tarfile.TarInfo("big.csv")
        info.size = len(big)
        tf.addfile(info, io.BytesIO(big))
    gz = tmp_path / "big.csv.gz"
    gz.write_bytes(gzip.compress(big))
    result = load_sources([str(tgz), str(gz)], limits=limits)
    assert result.tables == []
    assert [u.path for u in result.unreadable] == [str(tgz), str(gz)]
    assert all(f"beyond {1 << 20} bytes" in u.error for u in result.unreadable)


def test_corrupt_and_truncated_archives_are_unreadable(tmp_path: Path):
    (tmp_path / "corrupt.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    good = _zip_bytes({"a.csv": CSV})
    (tmp_path / "cut.zip").write_bytes(good[: len(good) // 2])
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tf:
        info = tarfile.TarInfo("a.csv")
        info.size = len(CSV)
        tf.addfile(info, io.BytesIO(CSV))
    (tmp_path / "cut.tgz").write_bytes(data.getvalue()[:40])
    (tmp_path / "ok.csv").write_bytes(CSV)
    before = _private_folders()
    result = load_sources([str(tmp_path)])
    assert [t.name for t in result.tables] == ["ok"]
    assert sorted(Path(u.path).name for u in result.unreadable) == ["corrupt.zip", "cut.tgz", "cut.zip"]
    assert _private_folders() == before


def test_nesting_depth_is_limited(tmp_path: Path):
    inner = _zip_bytes({"deep.csv": CSV})
    for _ in range(4):
        inner = _zip_bytes({"next.zip": inner})
    (tmp_path / "russian.zip").write_bytes(inner)
    result = load_sources([str(tmp_path / "russian.zip")])
    assert result.tables == []
    assert any("nested more than" in u.error for u in result.unreadable)


def test_cleanup_removes_the_private_folder(tmp_path: Path):
    archive = tmp_path / "a.zip"
    archive.write_bytes(_zip_bytes({"a.csv": CSV}))
    load_sources([str(archive)])
    folder = sources.workdir()
    assert any(folder.glob("archive-*"))
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    sources.cleanup()
    assert not folder.exists()


def test_headerless_parts_of_a_split_file_inside_an_archive(tmp_path):
    """customers_001.csv with the header and customers_002.csv without, zipped: the second part takes the first's
    header as it does in a folder (until 2026-11-24 the members' private copies were numbered only, so no part found
    its first part and its people counted for nobody)."""
    import zipfile

    from pipeline.scan import run_scan

    head = "customer_id,first_name,last_name,ssn,state\n"
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as zf:
        zf.writestr("export/customers_001.csv", head + "1,Ann,Lee,287-65-4321,MI\n")
        zf.writestr("export/customers_002.csv", "2,Łukasz,Wałęsa,412-33-5566,MI\n3,Bob,Ray,301-22-4455,OH\n")
    result = run_scan([tmp_path / "export.zip"])
    assert result.exposure["affected"] == {"michigan": 2, "other_states": 1, "unknown_residency": 0}
