"""The letter as an unsent email draft (``.eml``): it opens in Outlook ready to send.

``X-Unsent: 1`` makes Outlook open the message as a draft. It is addressed to counsel (or to
the party when there is no counsel), copied to the committee's contacts from the case file,
carries a short cover note as its body, and the letter as a Word attachment, plus a PDF when a
converter (LibreOffice's ``soffice``) is on the PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from gaptrack.errors import InputError
from gaptrack.reports.letter.docx import render_docx
from gaptrack.reports.letter.model import LetterModel

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
PDF_TIMEOUT = 120  # seconds: a cold LibreOffice start is slow


def _address(name: str | None, address: str) -> Address:
    try:
        return Address(display_name=name or "", addr_spec=address.strip())
    except (ValueError, IndexError) as error:
        raise InputError(f"email address {address!r} cannot be used: {error}") from None


def pdf_converter() -> str | None:
    """The LibreOffice executable, when one is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, stem: str) -> bytes | None:
    """The Word letter converted to PDF, or None when no converter is present or it fails."""
    program = pdf_converter()
    if program is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"{stem}.docx"
        source.write_bytes(docx)
        try:
            subprocess.run(
                [program, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        target = source.with_suffix(".pdf")
        return target.read_bytes() if target.exists() else None


def render_eml(letter: LetterModel, *, template: Path | None = None) -> bytes:
    if not letter.to_address:
        whom = letter.to_name or "the recipient"
        raise InputError(
            f"no email address for {whom}: add `email:` to the counsel (or an address to the "
            "party) in the case file"
        )
    message = EmailMessage()
    message["X-Unsent"] = "1"
    message["To"] = [
        _address(letter.to_name, letter.to_address),
        *(_address(name, address) for name, address in letter.to_more),
    ]
    if letter.cc_addresses:
        message["Cc"] = [_address(name, address) for name, address in letter.cc_addresses]
    message["Subject"] = letter.subject
    message.set_content("\n\n".join(letter.cover_note) + "\n")
    docx = render_docx(letter, template=template)
    message.add_attachment(
        docx, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=f"{letter.file_stem}.docx"
    )
    pdf = to_pdf(docx, letter.file_stem)
    if pdf is not None:
        message.add_attachment(
            pdf, maintype="application", subtype="pdf", filename=f"{letter.file_stem}.pdf"
        )
    return message.as_bytes(policy=SMTP)
