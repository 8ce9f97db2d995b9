"""Privilege logs: a CSV of withheld documents (date, author, recipients, description,
privilege claimed), with vendor column names mapped like the DAT importer's."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaptrack.errors import LoadFileError
from gaptrack.importers.dates import DateError, parse_date
from gaptrack.importers.fieldmap import FieldMap, build_field_map

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
    "doc_date": ("date", "docdate", "documentdate", "datesent", "datecreated"),
    "author": ("author", "authors", "from", "sender"),
    "recipients": ("recipients", "recipient", "to", "addressees", "addressee"),
    "cc": ("cc", "copyees", "copies", "copyto"),
    "description": (
        "description",
        "documentdescription",
        "descriptionofdocument",
        "subjectmatter",
        "subject",
        "title",
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

    def _read(self, reader: Any) -> Iterator[list[str]]:
        """The CSV rows; a byte the encoding cannot read or a broken CSV row ends the file
        with a LoadFileError naming the line (never a traceback)."""
        while True:
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
            yield row

    def __iter__(self) -> Iterator[PrivilegeRow | LoadFileError]:
        if csv.field_size_limit() < FIELD_LIMIT:
            csv.field_size_limit(FIELD_LIMIT)  # a long description is fine; a runaway is not
        with self.path.open("r", encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle)
            rows = self._read(reader)
            header = next(rows, None)
            if header is None:
                raise LoadFileError("the file is empty", file=self.path)
            self.fields = build_field_map(
                [h.strip() for h in header],
                self.overrides,
                synonyms=PRIVLOG_SYNONYMS,
                file=str(self.path),
            )
            if "privilege" not in self.fields.index:
                raise LoadFileError(
                    "no privilege column found; name it with --map privilege=COLUMN",
                    file=self.path,
                    line=1,
                    field="privilege",
                )
            for row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                if "\x00" in "".join(row):
                    yield LoadFileError("holds a NUL byte", file=self.path, line=reader.line_num)
                    continue
                try:
                    yield self._map(reader.line_num, row)
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
        if len(privilege) > 200:
            raise error("privilege", "is longer than 200 characters")
        entry_no = get("entry_no") or f"line {line}"
        if len(entry_no) > 64:
            raise error("entry_no", "is longer than 64 characters")
        date_text = get("doc_date")
        doc_date = None
        if date_text:
            try:
                doc_date = parse_date(date_text.split(" ")[0].split("T")[0])
            except DateError as exc:
                raise error("doc_date", str(exc)) from exc
        recipients = "; ".join(v for v in (get("recipients"), get("cc")) if v)
        bates = get("bates")
        if len(bates) > 120:
            raise error("bates", "is longer than 120 characters")
        return PrivilegeRow(
            line=line,
            entry_no=entry_no,
            doc_date=doc_date,
            author=get("author") or None,
            recipients=recipients or None,
            description=get("description") or None,
            privilege=privilege,
            doc_type=(get("doc_type") or None) and get("doc_type")[:24],
            bates=bates or None,
        )
