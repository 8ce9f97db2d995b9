"""The letter as a Word document (python-docx).

``template`` is a ``.docx`` the committee keeps: its styles, margins, header and footer are
used and its body is replaced by the letter. When the template's header has text, that is the
letterhead; otherwise the letterhead is written at the top of the body. Without a template,
python-docx's default document is used. Text is added as runs, never parsed: data cannot
become markup.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from gaptrack.errors import InputError
from gaptrack.reports.letter.model import LetterModel, LetterSection
from gaptrack.reports.letter.words import long_date

# Characters XML 1.0 cannot hold (python-docx refuses them): control characters but tab/newline.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _open(template: Path | None) -> Any:
    if template is None:
        return Document()
    try:
        document = Document(str(template))
    except Exception as error:  # python-docx raises several kinds for a file that is not .docx
        raise InputError(f"{template}: not a Word (.docx) template: {error}") from None
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):  # keep the page set-up, drop the content
            body.remove(child)
    return document


def _has_letterhead(document: Any) -> bool:
    header = document.sections[0].header
    return not header.is_linked_to_previous and any(p.text.strip() for p in header.paragraphs)


def _style(document: Any, name: str) -> str | None:
    names = {s.name for s in document.styles}
    return name if name in names else None


def _para(document: Any, text: str = "", *, style: str | None = None, bold: bool = False) -> Any:
    paragraph = document.add_paragraph(style=_style(document, style) if style else None)
    if text:
        paragraph.add_run(_safe(text)).bold = bold or None
    return paragraph


def _lines(document: Any, lines: list[str], *, bold_first: int = 0) -> Any:
    """One paragraph, the lines separated by line breaks."""
    paragraph = document.add_paragraph()
    for n, line in enumerate(lines):
        run = paragraph.add_run(_safe(line))
        if n < bold_first:
            run.bold = True
        if n < len(lines) - 1:
            run.add_break()
    return paragraph


def _section(document: Any, section: LetterSection, heading: str) -> None:
    _para(document, section.heading, style=heading, bold=_style(document, heading) is None)
    _para(document, section.intro)
    for entry in section.entries:
        _para(document, entry.sentence(), style="List Bullet")


def render_docx(letter: LetterModel, *, template: Path | None = None) -> bytes:
    document = _open(template)
    document.core_properties.title = _safe(letter.subject)
    document.core_properties.author = _safe(letter.committee)
    if not _has_letterhead(document):
        head = _lines(document, letter.letterhead, bold_first=2)
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, long_date(letter.date))
    _lines(document, letter.recipient)
    _para(document, f"Re: {letter.subject}", bold=True)
    _para(document, letter.salutation)
    for paragraph in letter.opening:
        _para(document, paragraph)
    for section in letter.sections:
        _section(document, section, "Heading 2")
    for paragraph in letter.closing:
        _para(document, paragraph)
    _para(document, "Sincerely,")
    for signer in letter.signers:
        block = _lines(document, ["", "", signer.name, signer.role])
        block.paragraph_format.keep_together = True
        block.paragraph_format.space_after = Pt(12)
    for cc in letter.cc:
        _para(document, f"cc: {cc}")
    if letter.findings:
        document.add_page_break()
        _para(document, letter.findings_heading, style="Heading 1", bold=True)
        _para(document, letter.findings_intro)
        for section in letter.findings:
            _section(document, section, "Heading 3")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
