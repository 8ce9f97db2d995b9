"""EDRM XML 1.2 load files as an importer.

An EDRM XML file holds ``Document`` elements, each with ``Tag`` elements (``TagName`` such as
``#BegBates``, ``#From``, ``#DateSent``; ``TagValue``), ``File`` elements pointing at its
text and native files, and ``Relationship`` elements (``Type="Attachment"``, parent and child
``DocID``). Every document becomes a record whose columns are the tag names (without ``#``)
plus ``ParentBates``, ``TextPath`` and ``NativePath``, mapped by the load-file field map
(vendor names, ``--map``) and the DAT mapping: the same fields, errors and QC as a DAT.

Two streaming passes (:func:`xml.etree.ElementTree.iterparse`, elements cleared as read):
the first collects the tag names, each document's Bates number and the attachment links; the
second yields the records. Lines are the lines the ``Document`` elements start on.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import DatRecord
from gaptrack.importers.formats.loadfile import StructuredLoadFileImporter
from gaptrack.importers.run import Run

EXTRA = ("ParentBates", "TextPath", "NativePath")
_BATES_TAGS = ("begbates", "begindoc", "begdoc", "batesbegin", "prodbeg")


def _name(tag: ET.Element) -> str:
    return (tag.get("TagName") or "").lstrip("#").strip()


def _local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


class EdrmReader:
    """DatRecords of an EDRM XML file (the header row first, as a DAT's)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bytes_read = 0
        self.columns: list[str] = []
        self.bates: dict[str, str] = {}  # DocID -> its BegBates
        self.parents: dict[str, str] = {}  # child DocID -> parent DocID

    def _events(self) -> Iterator[tuple[str, ET.Element]]:
        try:
            yield from ET.iterparse(self.path, events=("start", "end"))
        except ET.ParseError as exc:
            line = exc.position[0] if exc.position else None
            raise LoadFileError(f"not well-formed XML ({exc})", file=self.path,
                                line=line) from exc

    def survey(self) -> None:
        """Pass one: tag names, Bates numbers and attachment links."""
        names: dict[str, None] = {"DocID": None}
        current = ""
        for event, element in self._events():
            kind = _local(element)
            if event == "start" and kind == "Document":
                current = element.get("DocID") or ""
            elif event == "end" and kind == "Tag":
                name = _name(element)
                names.setdefault(name, None)
                if name.lower().replace(" ", "") in _BATES_TAGS and current:
                    self.bates.setdefault(current, element.get("TagValue") or "")
            elif event == "end" and kind == "Relationship" and (
                (element.get("Type") or "").lower() in ("attachment", "family")
            ):
                parent, child = element.get("ParentDocID"), element.get("ChildDocID")
                if parent and child:
                    self.parents[child] = parent
            if event == "end" and kind in ("Document", "Relationship"):
                element.clear()
        self.columns = [*names, *EXTRA]

    def __iter__(self) -> Iterator[DatRecord]:
        if not self.columns:
            self.survey()
        where = {name: i for i, name in enumerate(self.columns)}
        yield DatRecord(0, list(self.columns))
        # iterparse reports no line numbers: the Document elements' start lines are found
        # by a line scan alongside.
        lines = self._document_lines()
        size = self.path.stat().st_size
        seen = 0
        for event, element in self._events():
            if event != "end" or _local(element) != "Document":
                continue
            values = [""] * len(self.columns)
            doc_id = element.get("DocID") or ""
            values[0] = doc_id
            for tag in element.iter():
                kind = _local(tag)
                if kind == "Tag":
                    values[where[_name(tag)]] = tag.get("TagValue") or tag.text or ""
                elif kind == "ExternalFile":
                    self._file(tag, element, values, where)
            parent = self.parents.get(doc_id)
            if parent:
                values[where["ParentBates"]] = self.bates.get(parent, parent)
            seen += 1
            self.bytes_read = min(size, size * seen // max(1, len(lines)))
            yield DatRecord(lines[seen - 1] if seen <= len(lines) else 0, values)
            element.clear()

    def _file(self, tag: ET.Element, document: ET.Element, values: list[str],
              where: dict[str, int]) -> None:
        owner = next((f for f in document.iter() if _local(f) == "File" and tag in list(f)),
                     None)
        kind = (owner.get("FileType") if owner is not None else "") or ""
        relative = "/".join(p for p in (tag.get("FilePath"), tag.get("FileName")) if p)
        column = "TextPath" if kind.lower() == "text" else "NativePath"
        if kind.lower() in ("text", "native") and relative:
            values[where[column]] = relative

    def _document_lines(self) -> list[int]:
        found = []
        with self.path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if b"<Document " in line or b"<Document>" in line:
                    found.append(number)
        return found


class EdrmImporter(StructuredLoadFileImporter):
    name = "edrm"
    summary = "EDRM XML 1.2 load file (Tags, Files, attachment Relationships)"

    def detect(self, path: Path) -> bool:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(65536)
        return head.lstrip().startswith(b"<") and b"<Root" in head and (
            b"<Documents" in head or b"TagName" in head
        )

    def open_records(self, run: Run) -> tuple[Any, str]:
        return EdrmReader(run.path), "utf-8"
