"""Bates-stamped PDF productions as an importer.

A production of PDFs is a folder of files named by Bates range (``ABC0000123-ABC0000145.pdf``
or ``ABC0000123.pdf``), one document each, or one PDF with a Bates label on every page, where
a document starts at the first page and at each page that opens with a printed email header.
The text layer is read with pypdfium2 (PDFium, the engine of Chrome's viewer: the fastest
text extraction on PyPI by a wide margin, and it reads damaged files pypdf gives up on); a
page without one is listed in the QC report (OCR is out of scope).

Each page's Bates label is the last token on the page that reads as one (a footer), or, with
``--bates-prefix``, the last ``PREFIX`` + digits. Printed emails — Outlook's ``From:`` /
``Sent:`` / ``To:`` / ``Cc:`` / ``Subject:`` block — get their participants, sent time and
fingerprint, so they match the native copy another party produced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaptrack.bates import parse_bates
from gaptrack.derive import derive
from gaptrack.errors import LoadFileError
from gaptrack.importers.dates import written_datetime
from gaptrack.importers.mapping import (
    ROW_COLUMNS,
    DocumentDraft,
    check_limits,
    participant_rows,
    row_values,
)
from gaptrack.importers.paths import visible_files
from gaptrack.importers.run import Run
from gaptrack.models import SourceKind
from gaptrack.models.enums import DocType

# A Bates prefix: capital segments joined by - or _ ("ABC", "DOJ-OGR", "HPSCI_TRUMP_ORG"); a
# segment before a joint holds no run of four digits (that is a number: ABC0001-ABC0009).
_PREFIX = r"(?:[A-Z](?![A-Z0-9]*\d{4})[A-Z0-9]*[-_])*[A-Z][A-Z0-9]*"
# A page's stamp: the prefix, then at least four digits, after -, _, a space or nothing
# ("ABC0000123", "DOJ-OGR-00012345", "KUSHNER 000123"; the space is dropped from the label).
_LABEL = re.compile(rf"(?<![A-Za-z0-9])({_PREFIX}[-_ ]?\d{{4,}})(?![A-Za-z0-9])")
_RANGE_NAME = re.compile(rf"^({_PREFIX}[-_]?\d{{4,}})(?:\s*-\s*({_PREFIX}[-_]?\d{{4,}}))?$")
_HEADER = re.compile(r"^\s*(From|Sent|Date|To|Cc|CC|Bcc|Subject)\s*:\s*(.*)$")
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+", re.IGNORECASE)


@dataclass
class Page:
    file: Path
    number: int  # 1-based in its file
    text: str
    label: str  # its Bates label ("" when none was found)


@dataclass
class PrintedEmail:
    sender: str = ""
    to: str = ""
    cc: str = ""
    bcc: str = ""
    subject: str = ""
    sent: dt.datetime | None = None
    body: str = ""
    fields: dict[str, str] = field(default_factory=dict)


def parse_printed_date(value: str) -> dt.datetime | None:
    """Outlook's printed ``Sent:`` (``Tuesday, September 20, 2016 9:00 AM``), Apple's
    ``Sep 20, 2016 at 9:00 AM`` or an RFC 5322 date, as naive UTC (a printed time without a
    zone is taken as written): the one reader of mail dates, once the weekday and "at" are
    dropped."""
    return written_datetime(_WEEKDAY.sub("", value.strip()).replace(" at ", " "))


def printed_email(text: str) -> PrintedEmail | None:
    """The email a page's text prints, when it opens with a From: header block."""
    lines = [line for line in text.splitlines() if line.strip()][:30]
    if not lines or not lines[0].strip().lower().startswith("from:"):
        return None
    found = PrintedEmail()
    last = ""
    body_from = len(lines)
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            last = match.group(1).lower()
            found.fields[last] = match.group(2).strip()
            if last == "subject":
                body_from = index + 1
                break
        elif last in ("to", "cc", "bcc"):
            found.fields[last] += " " + line.strip()  # a wrapped recipient list
        else:
            body_from = index
            break
    get = found.fields.get
    found.sender, found.to, found.cc = get("from", ""), get("to", ""), get("cc", "")
    found.bcc, found.subject = get("bcc", ""), get("subject", "")
    found.sent = parse_printed_date(get("sent") or get("date") or "")
    start = text.find(lines[body_from]) if body_from < len(lines) else len(text)
    found.body = text[start:].strip()
    return found if found.sender else None


def read_pages(path: Path, prefix: str | None) -> Iterator[Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise LoadFileError(f"cannot be read as a PDF ({exc})", file=path) from exc
    pattern = re.compile(re.escape(prefix) + r"\s?\d+") if prefix else _LABEL
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            page.close()
            yield Page(path, index + 1, text, _last_label(pattern, text))
    finally:
        pdf.close()


# Words a footer puts before a number that are not Bates prefixes ("PAGE 0003", "EXHIBIT
# 0012"): a spaced stamp with one of these before its digits is not a label.
_NOT_PREFIXES = frozenset(("PAGE", "PG", "P", "NO", "NUMBER", "EXHIBIT", "EX", "TEL", "FAX",
                           "PHONE", "ROOM", "SUITE", "BOX", "CASE", "DOCKET", "ID", "REF",
                           "FILE", "DOC", "VOL", "VOLUME", "YEAR"))


def _is_label(found: str) -> bool:
    head, space, _ = found.rpartition(" ")
    return not space or head.upper() not in _NOT_PREFIXES


def _last_label(pattern: re.Pattern[str], text: str) -> str:
    """The last match of ``pattern`` in ``text``, looked for from the last line up: the
    footer is nearly always there, and the whole page need not be scanned."""
    for line in reversed(text.splitlines()):
        found = [f for f in pattern.findall(line) if _is_label(str(f))]
        if found:
            return str(found[-1]).replace(" ", "")
    return ""


def _strip_labels(text: str, labels: set[str]) -> str:
    return "\n".join(line for line in text.splitlines() if line.strip() not in labels)


class PdfImporter:
    name = "pdf"
    kind = SourceKind.PDF
    target = "documents"
    summary = ("Bates-stamped PDFs: a folder of files named by Bates range, or one PDF with a "
               "Bates label on every page; printed emails recognised")
    options = ("bates_prefix",)

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            files = visible_files(path)
            return bool(files) and all(_is_pdf(p) for p in files)
        return _is_pdf(path)

    def sources(self, path: Path) -> list[Path]:
        """The PDFs: the file, or every PDF below the folder (volumes keep them in
        subfolders), in path order."""
        files = [p for p in visible_files(path) if _is_pdf(p)] if path.is_dir() else [path]
        if not files or not all(p.is_file() for p in files):
            raise LoadFileError("no PDF files found", file=path)
        return files

    def prepare(self, path: Path, options: dict[str, Any]) -> nullcontext[None]:
        return nullcontext()

    def bulk(self, path: Path) -> bool:
        return False

    def load(self, run: Run) -> None:
        run.open_production()
        writer = run.open_writer()
        prefix = run.option("bates_prefix")
        no_text: list[str] = []
        records = 0
        for entry in run.inputs:
            pages = list(read_pages(entry.path, prefix))
            no_text += [f"{p.file.name} page {p.number}" for p in pages if not p.text.strip()]
            where = (entry.path.relative_to(run.path).as_posix() if run.path.is_dir()
                     else entry.path.name)
            for document in self._documents(entry.path, pages, run.path.is_dir()):
                records += 1
                try:
                    draft = self._draft(document, prefix, where)
                except LoadFileError as exc:
                    run.bad(exc)
                    continue
                writer.add(draft)
            entry.records = len(pages)
            run.progress(0, writer.written)
        writer.flush()
        run.report.records = records
        run.note_files(run.unread_files(), "are not PDFs and were not read")
        if no_text:
            run.findings.append(f"{len(no_text)} pages have no text layer (OCR is out of "
                                f"scope): {', '.join(no_text[:10])}" + (" …" if len(no_text) > 10
                                                                         else ""))

    def finish(self, run: Run) -> None:
        pass

    def _documents(self, path: Path, pages: list[Page], per_file: bool) -> Iterator[list[Page]]:
        """The pages of each document: the whole file, or split at printed email headers."""
        if per_file or not pages:
            if pages:
                yield pages
            return
        current: list[Page] = []
        for page in pages:
            if current and printed_email(page.text) is not None:
                yield current
                current = []
            current.append(page)
        if current:
            yield current

    def _draft(self, pages: list[Page], prefix: str | None, where: str) -> DocumentDraft:
        """``where``: the file's path below the folder imported (its name, for one file)."""
        first = pages[0]
        named = _RANGE_NAME.match(first.file.stem)
        begin_label = first.label or (named.group(1) if named else "")
        end_label = pages[-1].label or (named.group(2) or named.group(1) if named else "")
        file, line = first.file, first.number
        if not begin_label:
            raise LoadFileError("no Bates label found on the page", field="bates", file=file,
                                line=line)
        try:
            begin = parse_bates(begin_label, prefix)
            end = parse_bates(end_label or begin_label, prefix)
        except ValueError as exc:
            raise LoadFileError(str(exc), field="bates", file=file, line=line) from exc
        labels = {p.label for p in pages if p.label}
        text = "\n\n".join(_strip_labels(p.text, labels).strip() for p in pages).strip()
        printed = printed_email(pages[0].text)
        row: dict[str, Any] = {c: None for c in ROW_COLUMNS}
        row.update({
            "bates_prefix": begin.prefix, "bates_begin": begin.number,
            "bates_suffix": begin.suffix, "bates_end": end.number,
            "begin_label": begin_label, "end_label": end_label or begin_label,
            "doc_type": str(DocType.OTHER), "page_count": len(pages), "text": text or None,
            "native_path": f"{where}#page={first.number}",
            "md5": hashlib.md5(text.encode("utf-8")).hexdigest(), "source_line": first.number,
        })
        derived = None
        if printed is not None:
            body = _strip_labels(printed.body, labels).strip()
            derived = derive(sender=printed.sender, to=printed.to or None,
                             cc=printed.cc or None, bcc=printed.bcc or None,
                             subject=printed.subject or None, text=body or None)
            row.update({
                "doc_type": str(DocType.EMAIL), "date_sent": printed.sent,
                "sender": printed.sender, "recipients": printed.to or None,
                "cc": printed.cc or None, "bcc": printed.bcc or None,
                "subject": printed.subject or None, "subject_norm": derived.subject_norm or None,
                "body_hash": derived.body_hash, "fingerprint": derived.fingerprint,
            })
        draft = DocumentDraft(
            line=first.number, prefix=begin.prefix, begin=begin.number, suffix=begin.suffix,
            values=row_values(row),
            participants=participant_rows(derived.participants) if derived else (),
        )
        problem = check_limits(draft)
        if problem is not None:
            raise LoadFileError(problem[1], field=problem[0], file=file, line=line)
        return draft


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False
