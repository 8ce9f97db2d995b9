"""The letter as Word, as an email draft, through a committee's template, and escaped."""

from __future__ import annotations

import datetime as dt
import email
import io
import os
import stat
import zipfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from lxml import etree
from sqlalchemy.engine import Engine

from gaptrack.errors import InputError
from gaptrack.reports.letter import LetterEntry, LetterModel, LetterSection, SectionKind
from gaptrack.reports.letter.model import Signer
from gaptrack.reports.letter.render import render_letter
from gaptrack.service.cases import load_case_files
from gaptrack.service.letter import draft_letter
from tests.conftest import FIXTURES
from tests.support import cli
from tests.test_reports_golden import check_golden

AS_OF = dt.date(2017, 11, 16)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def kushner(engine: Engine) -> Engine:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    return engine


def document_xml(data: bytes) -> str:
    """word/document.xml, indented: what the golden compares (not the zip's bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def word(engine: Engine, party: str, as_of: dt.date, **options: object) -> bytes:
    data = draft_letter(engine, party=party, as_of=as_of, fmt="docx", **options)  # type: ignore[arg-type]
    assert isinstance(data, bytes)
    return data


def test_kushner_docx_golden(kushner: Engine) -> None:
    data = word(kushner, "kushner", AS_OF, business_days=6)
    check_golden("kushner-letter.docx.xml", document_xml(data))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Dear Mr. Lowell:" in paragraphs
    assert paragraphs[0].splitlines() == [
        "United States Senate",
        "Senate Committee on the Judiciary",
        "Washington, DC 20510",
    ]
    assert "November 16, 2017" in paragraphs
    assert any(p.endswith("Chairman") and "Charles E. Grassley" in p for p in paragraphs)


def test_page_docx_golden(engine: Engine) -> None:
    load_case_files(engine, [FIXTURES / "ssci-carter-page-2017.yaml"])
    data = word(engine, "carter-page", dt.date(2017, 5, 22))
    check_golden("page-letter.docx.xml", document_xml(data))


def make_template(path: Path) -> Path:
    """A committee's own template: a letterhead in the page header, body text to replace."""
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "COMMITTEE LETTERHEAD (TEMPLATE)"
    template.sections[0].left_margin = docx.shared.Inches(1.5)
    template.add_paragraph("Placeholder body that the letter replaces.")
    template.save(str(path))
    return path


def test_template_supplies_the_letterhead(kushner: Engine, tmp_path: Path) -> None:
    template = make_template(tmp_path / "committee.docx")
    data = word(kushner, "kushner", AS_OF, template=template)
    letter = docx.Document(io.BytesIO(data))
    assert letter.sections[0].header.paragraphs[0].text == "COMMITTEE LETTERHEAD (TEMPLATE)"
    assert letter.sections[0].left_margin == docx.shared.Inches(1.5)
    body = [p.text for p in letter.paragraphs]
    assert "Placeholder body that the letter replaces." not in body
    assert not any("United States Senate" in p for p in body)  # the template's header is it
    assert body[0] == "November 16, 2017" and "Dear Mr. Lowell:" in body
    not_docx = tmp_path / "notes.docx"
    not_docx.write_text("not a Word file", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.docx"):
        word(kushner, "kushner", AS_OF, template=not_docx)


HOSTILE = '<script>alert("x")</script> *bold* [link](http://x) & \x0b`code`'


def hostile_letter() -> LetterModel:
    entry = LetterEntry(description=HOSTILE, source=f"produced by {HOSTILE}", bates=["X-1"])
    section = LetterSection(
        kind=SectionKind.FORWARDED, heading=HOSTILE, intro=HOSTILE, entries=[entry]
    )
    return LetterModel(
        letterhead=["United States Senate", HOSTILE, "Washington, DC 20510"],
        committee=HOSTILE,
        date=AS_OF,
        recipient=[HOSTILE],
        salutation=f"Dear {HOSTILE}:",
        subject=HOSTILE,
        opening=[HOSTILE],
        sections=[section],
        closing=[HOSTILE],
        signers=[Signer(name=HOSTILE, role="Chairman")],
        findings=[section],
        findings_heading=HOSTILE,
    )


def test_data_is_never_markup() -> None:
    letter = hostile_letter()
    html = render_letter(letter, "html")
    md = render_letter(letter, "md")
    assert isinstance(html, str) and isinstance(md, str)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "*bold*" not in md and r"\*bold\*" in md and r"\[link\]" in md
    data = render_letter(letter, "docx")
    assert isinstance(data, bytes)
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert any('<script>alert("x")</script> *bold*' in t for t in texts)  # as written


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_email_draft(kushner: Engine) -> None:
    data = draft_letter(kushner, party="kushner", as_of=AS_OF, fmt="eml", business_days=6)
    assert isinstance(data, bytes)
    message = parse(data)
    assert message["X-Unsent"] == "1"
    assert len(message["To"].addresses) == 1
    assert message["To"].addresses[0].addr_spec == "abbe.lowell@counsel.example"
    assert message["To"].addresses[0].display_name == "Abbe D. Lowell"
    assert [a.addr_spec for a in message["Cc"].addresses] == [
        "investigations@judiciary-rep.example",
        "investigations@judiciary-dem.example",
    ]
    assert message["Subject"] == "Documents requested from Jared Kushner"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().startswith("Dear Mr. Lowell:")
    attachments = list(message.iter_attachments())
    assert [a.get_content_type() for a in attachments] == [DOCX_TYPE]
    assert attachments[0].get_filename() == "letter-kushner-2017-11-16.docx"
    letter = docx.Document(io.BytesIO(attachments[0].get_content()))
    assert "Dear Mr. Lowell:" in [p.text for p in letter.paragraphs]


def test_email_draft_attaches_a_pdf_when_a_converter_is_present(
    kushner: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in ``soffice`` on the PATH (a real program the code runs) writes the PDF."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        "# soffice --headless --convert-to pdf --outdir DIR FILE.docx\n"
        'out="$5"; src="$6"; base=$(basename "$src" .docx)\n'
        'printf "%%PDF-1.4 converted from %s\\n" "$base" > "$out/$base.pdf"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    data = draft_letter(kushner, party="kushner", as_of=AS_OF, fmt="eml")
    assert isinstance(data, bytes)
    attachments = list(parse(data).iter_attachments())
    assert [a.get_content_type() for a in attachments] == [DOCX_TYPE, "application/pdf"]
    pdf = attachments[1].get_content()
    assert pdf.startswith(b"%PDF-1.4 converted from letter-kushner-2017-11-16")


def test_email_draft_needs_an_address(engine: Engine, tmp_path: Path) -> None:
    case = (FIXTURES / "ssci-carter-page-2017.yaml").read_text(encoding="utf-8")
    case = case.replace("    addresses: [carter@globalenergycap.example]\n", "")
    path = tmp_path / "page.yaml"
    path.write_text(case, encoding="utf-8")
    load_case_files(engine, [path])
    with pytest.raises(InputError, match="no email address for Carter Page"):
        draft_letter(engine, party="carter-page", as_of=dt.date(2017, 5, 22), fmt="eml")


def test_cli_letter_formats(db_url: str, tmp_path: Path) -> None:
    assert cli(db_url, "load", str(FIXTURES / "sjc-kushner-2017.yaml")).returncode == 0
    base = ("letter", "--party", "kushner", "--as-of", "2017-11-16", "-d", "6")
    text = cli(db_url, *base, "--include-findings", "--signed-by", "Chairman")
    assert text.returncode == 0, text.stderr
    assert "unconfirmed findings" in text.stdout and "cc: The Honorable Dianne" in text.stdout
    refused = cli(db_url, *base, "--format", "docx")
    assert refused.returncode == 2 and "--output" in refused.stderr
    out = tmp_path / "letter.eml"
    made = cli(db_url, *base, "--format", "eml", "-o", str(out), "--committee", "SSJU")
    assert made.returncode == 0, made.stderr
    assert parse(out.read_bytes())["X-Unsent"] == "1"
    doc = tmp_path / "letter.docx"
    assert cli(db_url, *base, "-f", "docx", "-o", str(doc)).returncode == 0
    assert "Dear Mr. Lowell:" in [p.text for p in docx.Document(str(doc)).paragraphs]
