"""A production index delivered as a workbook (``.xlsx``, ``.xls``, ``.xlsb``, ``.ods``): one
row a document, columns named as a load file's (``BegBates``, ``From``, ``Date Sent``…).

Parties often send the index of a volume as a spreadsheet rather than a DAT. Its rows become
:class:`~gaptrack.importers.dat.DatRecord` values and go through the load-file field map and
mapping, with the same errors and QC as a DAT. The sheet read is the first one whose first
rows hold a header naming a Bates column (a cover or instructions sheet is passed over), and
the header may sit below a title block. Cells are written as a load file writes them: dates
and times as ISO text, whole numbers without ``.0``. Lines are the sheet's row numbers. A
workbook whose header names a privilege column is a privilege log
(:mod:`gaptrack.importers.formats.privilege`), tried first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import DatRecord
from gaptrack.importers.fieldmap import looks_like_header
from gaptrack.importers.formats.loadfile import StructuredLoadFileImporter
from gaptrack.importers.privlog import EXCEL_SUFFIXES, HEADER_SEARCH_ROWS
from gaptrack.importers.run import Run


def cell_text(value: Any) -> str:
    """A cell as a load file would hold it."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return "" if value is None else str(value).strip()


class ExcelReader:
    """The rows of a workbook's index sheet, the header first (as a DAT's records)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bytes_read = 0

    def sheet(self) -> Any:
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # the library's own errors: not a workbook, damaged
            raise LoadFileError(f"cannot be read as a workbook ({exc})", file=self.path) from exc
        sheets = [book.get_sheet_by_index(i) for i in range(len(book.sheet_names))]
        if not sheets:
            raise LoadFileError("the workbook has no sheets", file=self.path)
        return next((s for s in sheets if _header_at(s) is not None), sheets[0])

    def __iter__(self) -> Iterator[DatRecord]:
        sheet = self.sheet()
        first = sheet.start[0] + 1 if sheet.start else 1
        header = _header_at(sheet) or 0
        total = max(1, sheet.height)
        size = self.path.stat().st_size
        for offset, row in enumerate(sheet.iter_rows()):
            if offset < header:
                continue  # a title block above the header
            cells = [cell_text(v) for v in row]
            self.bytes_read = size * (offset + 1) // total
            if offset > header and not any(cells):
                continue
            yield DatRecord(first + offset, cells)

    def close(self) -> None:
        pass


def _header_at(sheet: Any) -> int | None:
    """Which of the sheet's first rows is the header (names a Bates column, or two known
    load-file fields); None when none is."""
    for offset, row in enumerate(sheet.iter_rows()):
        if offset >= HEADER_SEARCH_ROWS:
            return None
        if looks_like_header([cell_text(v) for v in row]):
            return offset
    return None


class ExcelLoadFileImporter(StructuredLoadFileImporter):
    name = "xlsx"
    summary = "Production index as a workbook (.xlsx, .xls, .xlsb, .ods): one row a document"

    def detect(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() not in EXCEL_SUFFIXES:
            return False
        try:
            return _header_at(ExcelReader(path).sheet()) is not None
        except LoadFileError:
            return False

    def open_records(self, run: Run) -> tuple[Any, str]:
        return ExcelReader(run.path), "utf-8"
