"""Privilege logs: a CSV of withheld documents (date, author, recipients, description,
privilege claimed), with vendor column names mapped like the DAT importer's."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaptrack.errors import LoadFileError
from gaptrack.importers.dates import DateError, written_day
from gaptrack.importers.fieldmap import FieldMap, build_field_map
from gaptrack.importers.rows import width

# Column widths of privilege_entry, read from the model.
_WIDTHS = {c: width("privilege_entry", c) for c in ("privilege", "entry_no", "bates", "doc_type")}

PRIVLOG_SYNONYMS: dict[str, tuple[str, ...]] = {
    "entry_no": (
        "entryno",
        "entry",
        "entrynumber",
        "logno",
        "lognumber",
        "privlogno",
        "privilegelogno",
        "privlog",
        "privlognumber",
        "privilegelog",
        "privilegelognumber",
        "privid",
        "logid",
        "no",
        "number",
        "id",
        "docid",
        "controlnumber",
        "controlno",
    ),
    "doc_date": ("date", "docdate", "documentdate", "datesent", "datecreated", "dateofdocument"),
    "author": ("author", "authors", "from", "sender", "authorfrom", "originator",
               "authororiginator"),
    "recipients": ("recipients", "recipient", "to", "addressees", "addressee", "recipientsto",
                   "recipientto"),
    "cc": ("cc", "copyees", "copies", "copyto"),
    "description": (
        "description",
        "documentdescription",
        "descriptionofdocument",
        "subjectmatter",
        "subject",
        "title",
        "generaldescription",
        "descriptionofcontents",
        "documentsubject",
    ),
    "privilege": (
        "privilege",
        "privilegeclaimed",
        "privilegeasserted",
        "privilegetype",
        "privilegebasis",
        "basisforprivilege",
        "basis",
        "claim",
        "privilegeclaim",
        "privilegeprotection",
        "privilegeorprotection",
        "privilegeprotectionasserted",
        "privilegeprotectionclaimed",
        "basisforwithholding",
        "withholdingbasis",
        "basisofprivilegeclaim",
        "basisforclaim",
        "basisforprivilegeclaim",
        "natureofprivilege",
        "typeofprivilege",
        "protectionclaimed",
        "privilegedesignation",
    ),
    "doc_type": ("doctype", "documenttype", "type"),
    "bates": ("bates", "batesnumber", "begbates", "batesbegin", "slipsheet", "placeholder"),
}


@dataclass(slots=True)
class PrivilegeRow:
    line: int
    entry_no: str
    doc_date: dt.date | None
    author: str | None
    recipients: str | None
    description: str | None
    privilege: str
    doc_type: str | None
    bates: str | None

    def values(self) -> dict[str, Any]:
        return {
            "entry_no": self.entry_no,
            "doc_date": self.doc_date,
            "author": self.author,
            "recipients": self.recipients,
            "description": self.description,
            "privilege": self.privilege,
            "doc_type": self.doc_type,
            "bates": self.bates,
            "source_line": self.line,
        }

FIELD_LIMIT = 16 * 1024 * 1024  # characters in one CSV cell (the csv default: 131,072)


class PrivilegeLogReader:
    """Yields a :class:`PrivilegeRow` per entry, or the :class:`LoadFileError` of a bad one."""

    def __init__(self, path: Path, encoding: str, overrides: Mapping[str, str]) -> None:
        self.path = path
        self.encoding = encoding
        self.overrides = overrides
        self.fields: FieldMap | None = None

    def column_name(self, name: str) -> str:
        assert self.fields is not None
        return self.fields.column_name(name) if name in self.fields.index else name

    def table(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) per row of the file, the header first (a CSV here; a sheet reader
        overrides this)."""
        if csv.field_size_limit() < FIELD_LIMIT:
            csv.field_size_limit(FIELD_LIMIT)  # a long description is fine; a runaway is not
        with self.path.open("r", encoding=self.encoding, newline="") as handle:
            try:
                head = [handle.readline() for _ in range(HEADER_SEARCH_ROWS)]
            except UnicodeDecodeError:
                head = []  # the loop below reads the same bytes and names the line
            handle.seek(0)
            reader = csv.reader(handle, delimiter=log_delimiter(head))
            while True:  # a byte the encoding cannot read, or broken CSV: a clean error
                try:
                    row = next(reader, None)
                except UnicodeDecodeError as exc:
                    raise LoadFileError(
                        f"cannot be read as {self.encoding} ({exc.reason}); try --encoding",
                        file=self.path, line=reader.line_num + 1,
                    ) from exc
                except csv.Error as exc:
                    raise LoadFileError(f"is not valid CSV: {exc}", file=self.path,
                                        line=reader.line_num) from exc
                if row is None:
                    return
                yield reader.line_num, row

    def __iter__(self) -> Iterator[PrivilegeRow | LoadFileError]:
        rows = self.table()
        first = _header_row(rows)
        if first is None:
            raise LoadFileError("the file is empty", file=self.path)
        header = [_cell(h, False).strip() for h in first[1]]
        self.fields = build_field_map(
            header, self.overrides, synonyms=PRIVLOG_SYNONYMS, file=str(self.path)
        )
        if "privilege" not in self.fields.index:
            raise LoadFileError(
                "no privilege column found; name it with --map privilege=COLUMN",
                file=self.path,
                line=first[0],
                field="privilege",
            )
        date_at = self.fields.index.get("doc_date", -1)
        for line, raw in rows:
            row = [_cell(v, i == date_at) for i, v in enumerate(raw)]
            if not any(cell.strip() for cell in row):
                continue
            if any("\x00" in cell for cell in row):  # PostgreSQL text cannot hold it
                yield LoadFileError("holds a NUL byte", file=self.path, line=line)
                continue
            try:
                yield self._map(line, row)
            except LoadFileError as exc:
                yield exc

    def _map(self, line: int, row: list[str]) -> PrivilegeRow:
        assert self.fields is not None
        index = self.fields.index

        def get(name: str) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        def error(name: str, reason: str) -> LoadFileError:
            return LoadFileError(reason, file=self.path, line=line, field=self.column_name(name))

        privilege = get("privilege")
        if not privilege:
            raise error("privilege", "no privilege claimed")
        if len(privilege) > _WIDTHS["privilege"]:
            raise error("privilege", f"is longer than {_WIDTHS['privilege']} characters")
        entry_no = get("entry_no") or f"line {line}"
        if len(entry_no) > _WIDTHS["entry_no"]:
            raise error("entry_no", f"is longer than {_WIDTHS['entry_no']} characters")
        try:
            doc_date = _log_date(get("doc_date"))
        except DateError as exc:
            raise error("doc_date", str(exc)) from exc
        recipients = "; ".join(v for v in (get("recipients"), get("cc")) if v)
        bates = get("bates")
        if len(bates) > _WIDTHS["bates"]:
            raise error("bates", f"is longer than {_WIDTHS['bates']} characters")
        return PrivilegeRow(
            line=line,
            entry_no=entry_no,
            doc_date=doc_date,
            author=get("author") or None,
            recipients=recipients or None,
            description=get("description") or None,
            privilege=privilege,
            doc_type=(get("doc_type") or None) and get("doc_type")[: _WIDTHS["doc_type"]],
            bates=bates or None,
        )


# Logs open with a title block ("PRIVILEGE LOG", the matter, the date served) above their
# header: the header is the first of these rows that names a privilege column.
HEADER_SEARCH_ROWS = 20
# What logs write in the date column of an entry without one date.
_NO_DATE = {"", "undated", "nodate", "nd", "na", "none", "unknown", "various", "variousdates",
            "tbd", "notdated"}
_RANGE_SPLIT = re.compile(r"\s+(?:-|–|—|to|through|thru)\s+", re.IGNORECASE)


def _header_row(rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[Any]] | None:
    """The header row, ``rows`` left after it: the first of the first rows that names a
    privilege column, else the first non-blank row (whose lack of one is then the error)."""
    seen: list[tuple[int, list[Any]]] = []
    for line, row in rows:
        cells = [_cell(v, False) for v in row]
        if not any(c.strip() for c in cells):
            continue
        if is_privilege_header(cells):
            return line, row
        seen.append((line, row))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    return seen[0] if seen else None


def _log_date(text: str) -> dt.date | None:
    """An entry's date: None for "Undated", "Various", "N/A"…; the first date of a range
    ("1/5/2017 - 1/9/2017"); a time after the date is dropped."""
    if re.sub(r"[^a-z]", "", text.casefold()) in _NO_DATE and not any(c.isdigit() for c in text):
        return None
    return written_day(_RANGE_SPLIT.split(text.strip())[0])


def is_privilege_header(cells: list[str]) -> bool:
    """Whether a header row names a privilege column (how a log is told from other tables)."""
    fields = build_field_map([str(c).strip() for c in cells], {}, synonyms=PRIVLOG_SYNONYMS)
    return "privilege" in fields.index


# What a CSV log's cells are separated by: Excel writes ";" where the comma is the decimal
# mark (most of Europe), and exports also come tab- or pipe-separated.
_LOG_DELIMITERS = (",", ";", "\t", "|")


def _header_with(lines: list[str], delimiter: str) -> bool:
    try:
        rows = list(csv.reader((line for line in lines if line), delimiter=delimiter))
    except csv.Error:
        return False
    return any(is_privilege_header(row) for row in rows if row)


def log_delimiter(lines: list[str]) -> str:
    """The delimiter with which one of a CSV log's first ``lines`` names a privilege column
    (a comma when none does: the missing column is then the error)."""
    return next((d for d in _LOG_DELIMITERS if _header_with(lines, d)), ",")


def looks_like_privilege_log(path: Path) -> bool:
    """A CSV (comma, semicolon, tab or pipe) one of whose first rows names a privilege
    column."""
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
            lines = [handle.readline() for _ in range(HEADER_SEARCH_ROWS)]
    except OSError:
        return False
    return any(_header_with(lines, d) for d in _LOG_DELIMITERS)


EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _cell(value: Any, is_date: bool) -> str:
    """A spreadsheet cell as the text a CSV would hold: dates ISO, whole numbers without
    ".0", an Excel date serial in the date column as its date."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float):
        if is_date and 1 <= value < 2_958_466:
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


class ExcelPrivilegeLogReader(PrivilegeLogReader):
    """A privilege log in a workbook (python-calamine reads .xlsx, .xls, .xlsb and .ods): the
    first sheet whose first rows name a privilege column (logs often follow a sheet of
    instructions or a cover), else the first sheet; lines are the sheet's row numbers."""

    def table(self) -> Iterator[tuple[int, list[Any]]]:
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:
            raise LoadFileError(f"cannot be read as a workbook ({exc})", file=self.path) from exc
        sheets = [book.get_sheet_by_index(i) for i in range(len(book.sheet_names))]
        sheet = next((s for s in sheets if _names_privilege(s)), sheets[0] if sheets else None)
        if sheet is None:
            return
        first = sheet.start[0] + 1 if sheet.start else 1
        for offset, row in enumerate(sheet.iter_rows()):
            yield first + offset, list(row)


def _names_privilege(sheet: Any) -> bool:
    rows = sheet.iter_rows()
    for _ in range(HEADER_SEARCH_ROWS):
        row = next(rows, None)
        if row is None:
            return False
        if is_privilege_header([_cell(v, False) for v in row]):
            return True
    return False


def reader_for(path: Path, encoding: str, overrides: Mapping[str, str]) -> PrivilegeLogReader:
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return ExcelPrivilegeLogReader(path, encoding, overrides)
    return PrivilegeLogReader(path, encoding, overrides)


def looks_like_excel_privilege_log(path: Path) -> bool:
    try:
        rows = ExcelPrivilegeLogReader(path, "", {}).table()
        found = _header_row(rows)
    except (LoadFileError, OSError):
        return False
    return found is not None and is_privilege_header([_cell(v, False) for v in found[1]])
