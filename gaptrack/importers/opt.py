"""Opticon OPT image load files: one CSV line per page (docs/architecture.md §5); IPRO LFP
files (:mod:`gaptrack.importers.lfp`) give the same pages.

``PAGEID,VOLUME,PATH,DOCBREAK,BOXBREAK,FOLDERBREAK,PAGECOUNT`` — DOCBREAK is ``Y`` on the
first page of a document, and PAGECOUNT is usually (not always) given on that line. Page ids
may carry a page suffix (``ABC-0001_0002``): the document is still ``ABC-0001``.

The reader streams pages and yields one :class:`OptDocument` per document break.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gaptrack.bates import parse_bates
from gaptrack.errors import LoadFileError


@dataclass(slots=True)
class OptPage:
    line: int
    page_id: str
    volume: str
    path: str
    doc_break: bool
    page_count: int | None


@dataclass(slots=True)
class OptDocument:
    line: int  # the line of its first page
    begin_label: str
    prefix: str
    number: int
    pages: int  # pages counted in the file
    declared_pages: int | None  # PAGECOUNT on the first page, when given
    volume: str
    end_label: str = ""  # the id of its last page


def read_pages(path: Path, encoding: str) -> Iterator[OptPage]:
    with path.open("r", encoding=encoding, newline="") as handle:
        for line_no, row in enumerate(csv.reader(handle), start=1):
            if not row or not any(cell.strip() for cell in row):
                continue
            if not row[0].strip():
                raise LoadFileError("no page id", file=path, line=line_no, field="PAGEID")
            cells = [*row, "", "", "", "", "", "", ""][:7]
            count = cells[6].strip()
            if count and not count.isdigit():
                raise LoadFileError(
                    f"page count {count!r} is not a number",
                    file=path,
                    line=line_no,
                    field="PAGECOUNT",
                )
            yield OptPage(
                line=line_no,
                page_id=cells[0].strip(),
                volume=cells[1].strip(),
                path=cells[2].strip(),
                doc_break=cells[3].strip().upper() == "Y",
                page_count=int(count) if count else None,
            )


def read_documents(
    path: Path, encoding: str = "utf-8-sig", prefix: str | None = None
) -> Iterator[OptDocument]:
    """The documents of an image load file — an Opticon OPT or an IPRO LFP
    (:mod:`gaptrack.importers.lfp`) — in file order, with their page counts."""
    from gaptrack.importers.lfp import looks_like_lfp, read_lfp_pages  # it builds on OptPage

    pages = read_lfp_pages(path, encoding) if looks_like_lfp(path) else read_pages(path, encoding)
    current: OptDocument | None = None
    for page in pages:
        if page.doc_break or current is None:
            if current is not None:
                yield current
            try:
                bates = parse_bates(page.page_id, prefix)
            except ValueError as exc:
                raise LoadFileError(str(exc), file=path, line=page.line, field="PAGEID") from exc
            current = OptDocument(
                line=page.line,
                begin_label=page.page_id,
                prefix=bates.prefix,
                number=bates.number,
                pages=0,
                declared_pages=page.page_count,
                volume=page.volume,
            )
        current.pages += 1
        current.end_label = page.page_id
    if current is not None:
        yield current


IMAGE_SUFFIXES = (".opt", ".lfp")


def image_file_beside(load_file: Path) -> Path | None:
    """The image load file that came with ``load_file``: the file beside it with the same
    name and an ``.opt`` or ``.lfp`` suffix (any case; an OPT first when both are there)."""
    stem = load_file.stem.lower()
    found = {
        p.suffix.lower(): p
        for p in load_file.parent.iterdir()
        if p.is_file() and p.stem.lower() == stem and p.suffix.lower() in IMAGE_SUFFIXES
    }
    return next((found[s] for s in IMAGE_SUFFIXES if s in found), None)
