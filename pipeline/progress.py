"""Progress display for long scans: a rich progress bar on stderr, used as ``ScanOptions.progress``.

The callback is ``(table_name, index, total)``, called before table ``index`` (0-based) of ``total`` is
evaluated; an optional fourth argument ``rows`` (rows evaluated so far) adds a rows/s rate. The display shows
table names and counts only. It is off in quiet mode and when stderr is not a terminal (schedulers, pipes,
CI logs), where it would only add noise.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


def progress_enabled(quiet: bool, stream=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return not quiet and bool(isatty and isatty())


class ScanProgress:
    """Context manager and callable: ``with ScanProgress(quiet=q) as p: run_scan(..., ScanOptions(progress=p))``."""

    def __init__(
        self, quiet: bool = False, console: Console | None = None, enabled: bool | None = None
    ) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = progress_enabled(quiet) if enabled is None else enabled
        self._progress: Progress | None = None
        self._task = None
        self._started = 0.0
        self._rows = 0
        self._total = 0

    def __enter__(self) -> ScanProgress:
        if self.enabled:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]scanning[/bold] {task.fields[table]}", markup=True),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            self._started = time.monotonic()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            if self._task is not None and exc_type is None:
                self._progress.update(self._task, completed=self._total)
            self._progress.stop()
            self._progress = None

    def rate(self) -> str:
        elapsed = time.monotonic() - self._started
        if not self._rows or elapsed <= 0:
            return ""
        return f"{self._rows / elapsed:,.0f} rows/s"

    def __call__(self, table_name: str, index: int, total: int, rows: int | None = None) -> None:
        if not self.enabled or self._progress is None:
            return
        self._total = total
        if rows is not None:
            self._rows = rows
        # table names come from file names or a catalog: shown as text, never as rich markup
        name = escape(table_name)
        if self._task is None:
            self._task = self._progress.add_task("scan", total=total, table=name, rate="")
        self._progress.update(self._task, completed=index, total=total, table=name, rate=self.rate())
