"""One entry point for every letter format: text formats return ``str``, files ``bytes``."""

from __future__ import annotations

from pathlib import Path

from gaptrack.errors import InputError
from gaptrack.reports.letter.model import LetterModel

TEXT_FORMATS = ("md", "html")
FILE_FORMATS = ("docx", "eml")
LETTER_FORMATS = TEXT_FORMATS + FILE_FORMATS


def render_letter(letter: LetterModel, fmt: str, *, template: Path | None = None) -> str | bytes:
    """``md`` / ``markdown`` and ``html`` as text; ``docx`` and ``eml`` as bytes."""
    form = fmt.strip().lower()
    if form in {"md", "markdown"}:
        from gaptrack.reports.letter.md import render_markdown

        return render_markdown(letter)
    if form == "html":
        from gaptrack.reports.letter.html import render_html

        return render_html(letter)
    if form == "docx":
        from gaptrack.reports.letter.docx import render_docx

        return render_docx(letter, template=template)
    if form == "eml":
        from gaptrack.reports.letter.eml import render_eml

        return render_eml(letter, template=template)
    raise InputError(f"unknown letter format {fmt!r}; use one of: {', '.join(LETTER_FORMATS)}")
