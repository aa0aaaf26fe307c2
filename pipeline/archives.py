"""zip / tar / tar.gz / tgz archives, opened safely. (A lone .gz file is decompressed in sources.py.)

Members are copied one by one, by our own code (never extractall), into a private folder inside the
session folder (mode 0700), under generated names: a member's own path is only ever a label
("archive.zip!dir/customers.csv"), so it cannot point anywhere. Members whose path is absolute or climbs
out with "..", links, and devices are refused and reported.

Decompression bombs: the total bytes written and the ratio of written bytes to the archive's size are
checked while copying (declared sizes in headers can lie), against ``sources.Limits`` (configurable by
environment). A bomb stops the archive with a clear error; its private folder is removed at once.
Otherwise the copies stay until the scan ends (``sources.cleanup()``) or the process exits, because the
tables read them lazily.
"""

from __future__ import annotations

import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from pipeline.tables import SourceResult, Unreadable

MAX_DEPTH = 3  # archives inside archives, at most this deep


def unsafe_member(name: str) -> str | None:
    """Why a member path is refused, or None if it is a plain relative path."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return "absolute path"
    if ".." in PurePosixPath(posix).parts:
        return "path climbs out of the archive (..)"
    if "\x00" in posix:
        return "NUL in member name"
    return None


def read_archive(path: Path, display: str, kind: str, *, limits=None, depth: int = 0) -> SourceResult:
    from pipeline.sources import LimitExceeded, Limits, safe_error, workdir

    limits = limits or Limits()
    if depth >= MAX_DEPTH:
        return SourceResult(
            unreadable=[Unreadable(display, f"archive nested more than {MAX_DEPTH} levels deep")]
        )
    target = Path(tempfile.mkdtemp(prefix="archive-", dir=workdir()))
    try:
        if kind == "zip":
            return _read_zip(path, display, target, limits, depth)
        return _read_tar(path, display, target, limits, depth)
    except LimitExceeded as exc:
        shutil.rmtree(target, ignore_errors=True)
        return SourceResult(unreadable=[Unreadable(display, str(exc))])
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        return SourceResult(
            unreadable=[Unreadable(display, f"corrupt or unreadable archive: {safe_error(exc)}")]
        )
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise


def _private_name(index: int, member: str) -> str:
    """The extracted copy's name: its place in the archive, then the member's own file name made safe, so a
    headerless part of a split file finds its first part beside it (sources._header_of_first_part)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", PurePosixPath(member).name)[-80:]
    return f"{index:06d}-{name}"


class _Members:
    """The archive's members copied so far, each into a private folder of its member folder (db/ and old/ apart), so
    only parts in one folder of the archive are parts of one file; read together once all are copied (read)."""

    def __init__(self, target: Path):
        self.target = target
        self.folders: dict[str, Path] = {}
        self.copied: list[tuple[Path, str]] = []  # (copy, label)

    def destination(self, index: int, member: str) -> Path:
        folder = PurePosixPath(member.replace("\\", "/")).parent.as_posix()
        if folder not in self.folders:
            self.folders[folder] = self.target / f"{len(self.folders):04d}"
            self.folders[folder].mkdir()
        return self.folders[folder] / _private_name(index, member)

    def read(self, result: SourceResult, limits, depth: int) -> SourceResult:
        """Every member copied, read as load_sources reads a folder's files: the parts of a split file are one
        table (sources.split_groups, sources.join_parts); before as_records, which the archive's load_file runs."""
        from pipeline.sources import _file_name, read_group, split_groups

        names = [
            (label[: len(label) - len(_file_name(label))], _file_name(label)) for _, label in self.copied
        ]
        for members in split_groups(names):  # one entry per group of members
            result.extend(read_group([self.copied[m] for m in members], limits, depth + 1))
        return result


class _Budget:
    """Bytes written so far, against the limits; shared by every member of one archive."""

    def __init__(self, archive: Path, display: str, limits):
        self.compressed = max(archive.stat().st_size, 1)
        self.display = display
        self.limits = limits
        self.total = 0

    def copy(self, src, dst: Path) -> None:
        from pipeline.sources import _check_limits

        with open(dst, "wb") as out:
            while chunk := src.read(1 << 20):
                self.total += len(chunk)
                _check_limits(self.total, self.compressed, self.limits, self.display)
                out.write(chunk)


def _read_zip(path: Path, display: str, target: Path, limits, depth: int) -> SourceResult:
    from pipeline.sources import LimitExceeded

    result = SourceResult()
    budget = _Budget(path, display, limits)
    copies = _Members(target)
    with zipfile.ZipFile(path) as zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        if len(members) > limits.max_members:
            raise LimitExceeded(f"archive {display} has {len(members)} members (limit {limits.max_members})")
        declared = sum(m.file_size for m in members)
        if declared > limits.max_uncompressed_bytes:
            raise LimitExceeded(
                f"decompression stopped: {display} declares {declared} bytes uncompressed "
                f"(limit {limits.max_uncompressed_bytes}; possible decompression bomb)"
            )
        for i, member in enumerate(members):
            label = f"{display}!{member.filename}"
            why = unsafe_member(member.filename)
            if why is None and stat.S_ISLNK(member.external_attr >> 16):
                why = "symbolic link"
            if why:
                result.unreadable.append(Unreadable(label, f"member refused: {why}"))
                continue
            if PurePosixPath(member.filename).name.startswith("."):
                continue
            if member.flag_bits & 0x1:
                result.unreadable.append(
                    Unreadable(label, "encrypted member: cannot be read without the password")
                )
                continue
            dst = copies.destination(i, member.filename)
            try:
                with zf.open(member) as src:
                    budget.copy(src, dst)
            except LimitExceeded:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                from pipeline.sources import safe_error

                dst.unlink(missing_ok=True)
                result.unreadable.append(
                    Unreadable(label, f"member could not be extracted: {safe_error(exc)}")
                )
                continue
            copies.copied.append((dst, label))
    return copies.read(result, limits, depth)


def _read_tar(path: Path, display: str, target: Path, limits, depth: int) -> SourceResult:
    from pipeline.sources import LimitExceeded

    result = SourceResult()
    budget = _Budget(path, display, limits)
    copies = _Members(target)
    count = 0
    # "r|*": a stream, member by member; never seeks, never trusts sizes beyond what it reads
    with tarfile.open(path, "r|*") as tf:
        for i, member in enumerate(tf):
            if member.isdir():
                continue
            count += 1
            if count > limits.max_members:
                raise LimitExceeded(f"archive {display} has more than {limits.max_members} members")
            label = f"{display}!{member.name}"
            why = unsafe_member(member.name)
            if why is None and not member.isfile():
                why = "link or device, not a regular file"
            if why:
                result.unreadable.append(Unreadable(label, f"member refused: {why}"))
                continue
            if PurePosixPath(member.name).name.startswith("."):
                continue
            dst = copies.destination(i, member.name)
            src = tf.extractfile(member)
            if src is None:
                continue
            budget.copy(src, dst)
            copies.copied.append((dst, label))
    return copies.read(result, limits, depth)
