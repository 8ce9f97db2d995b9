"""Bates-stamped PDF productions: files named by Bates range, one PDF with a label on every
page, printed emails matched to another party's native copy, pages without a text layer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from sqlalchemy.engine import Engine

from gaptrack.service import gaps
from gaptrack.service.intake import import_path
from tests.gapcase import BEFORE_DEADLINE, load_case
from tests.importers.builders import create_party

# BOB-0004 of the gap case as Dave printed it: Bob to Alice, Carol copied — an email Alice's
# productions lack (the inferred gap "inferred:alice:r1#1:BOB-0004").
PRINTED = [
    "From: Bob Baker <bob@b.example>",
    "Sent: Thursday, January 5, 2017 12:00 PM",
    "To: Alice Able <alice@a.example>",
    "Cc: Carol Cole <carol@c.example>",
    "Subject: Route options",
    "",
    "Three routes for the pipeline are on the table.",
]

ONLY_PRINTED = [
    "From: Bob Baker <bob@b.example>",
    "Sent: Friday, January 6, 2017 3:15 PM",
    "To: Alice Able <alice@a.example>",
    "Subject: Site visit",
    "",
    "Monday at the compressor station.",
]


def write_pdf(path: Path, pages: list[tuple[list[str], str | None]]) -> Path:
    """A PDF whose pages hold ``lines`` and, in the footer, a Bates label (None: an image-only
    page, no text at all)."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    for lines, label in pages:
        if label is not None:
            text = pdf.beginText(72, 720)
            for line in lines:
                text.textLine(line)
            pdf.drawText(text)
            pdf.drawString(460, 30, label)
        else:
            pdf.rect(72, 72, 200, 200, fill=1)  # a scanned page: drawing, no text
        pdf.showPage()
    pdf.save()
    return path


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def test_folder_of_pdfs_named_by_bates_range(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    folder = tmp_path / "VOL007"
    folder.mkdir()
    write_pdf(folder / "KUSH0000101-KUSH0000102.pdf",
              [(["Memo on the transition."], "KUSH0000101"), (["Page two."], "KUSH0000102")])
    write_pdf(folder / "KUSH0000103.pdf", [([], None)])  # no text layer
    report = import_path(engine, folder, party="kushner", production="Vol 7")  # detected
    assert report.kind == "pdf" and report.documents == 2
    docs = rows(engine, "SELECT begin_label, end_label, page_count, doc_type FROM document"
                        " ORDER BY bates_begin")
    assert docs == [("KUSH0000101", "KUSH0000102", 2, "other"),
                    ("KUSH0000103", "KUSH0000103", 1, "other")]
    assert any("no text layer" in f and "KUSH0000103.pdf page 1" in f for f in report.findings)


def test_printed_email_matches_the_native_copy_and_yields_the_gap(
    engine: Engine, tmp_path: Path
) -> None:
    load_case(engine, tmp_path)
    path = write_pdf(tmp_path / "dave-vol1.pdf", [
        (["Notes from the site visit."], "DAVE0000001"),
        (PRINTED, "DAVE0000002"),
        (["(continued) appendix"], "DAVE0000003"),
        (ONLY_PRINTED, "DAVE0000004"),
    ])
    report = import_path(engine, path, party="dave", production="Dave PDF 1",
                         received=dt.date(2017, 2, 12))  # before the gaps' as_of
    assert report.kind == "pdf" and report.documents == 3  # split at the printed headers
    printed = rows(engine, "SELECT begin_label, end_label, sender, recipients, cc, subject,"
                           " fingerprint, date_sent FROM document"
                           " WHERE begin_label = 'DAVE0000002'")[0]
    native = rows(engine, "SELECT fingerprint FROM document WHERE begin_label = 'BOB-0004'")[0]
    assert printed[:6] == ("DAVE0000002", "DAVE0000003", "Bob Baker <bob@b.example>",
                           "Alice Able <alice@a.example>", "Carol Cole <carol@c.example>",
                           "Route options")
    assert printed[6] is not None and printed[6] == native[0]  # the same email
    assert str(printed[7]).startswith("2017-01-05 12:00")
    people = rows(engine, "SELECT p.role, y.slug FROM document_participant p"
                          " JOIN document d ON d.id = p.document_id"
                          " LEFT JOIN party y ON y.id = p.party_id"
                          " WHERE d.begin_label = 'DAVE0000002' ORDER BY p.role")
    assert ("to", "alice") in people and ("sender", "bob") in people
    found = {g.key: g for g in gaps.find_gaps(engine, as_of=BEFORE_DEADLINE, party="alice")}
    # The email answers items 1 and 2: one inferred gap each, shown by one copy — the printed
    # copy is grouped with the native one, not a second email.
    inferred = sorted(k for k, g in found.items() if g.kind.value == "inferred"
                      and ("BOB-0004" in g.evidence.bates or "DAVE0000002" in g.evidence.bates))
    assert inferred == ["inferred:alice:r1#1:BOB-0004", "inferred:alice:r1#2:BOB-0004"]
    # An email only the printout shows: the gap rests on the PDF's Bates number alone.
    only = found["inferred:alice:r1#1:DAVE0000004"]
    assert only.evidence.producing_party == "dave" and only.evidence.bates == ["DAVE0000004"]


def test_volume_with_subfolders_and_real_prefixes(engine: Engine, tmp_path: Path) -> None:
    """A volume keeps PDFs in subfolders, under prefixes of several segments, and stamps
    labels with a space before the number; files that are not PDFs are named, not lost."""
    create_party(engine)
    volume = tmp_path / "VOL001"
    (volume / "NATIVES" / "custodian-a").mkdir(parents=True)
    (volume / "DATA").mkdir()
    write_pdf(volume / "NATIVES" / "custodian-a" / "DOJ-OGR-0000101-DOJ-OGR-0000102.pdf",
              [(["Memo."], "DOJ-OGR-0000101"), (["Page two."], "DOJ-OGR-0000102")])
    # One PDF with a stamp on every page, a space between prefix and number.
    write_pdf(volume / "NATIVES" / "stamped.pdf", [(["Letter."], "KUSHNER 000201")])
    (volume / "DATA" / "index.csv").write_text("BegBates,EndBates\n")
    (volume / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    report = import_path(engine, volume, party="kushner", production="Vol 1", format="pdf")
    docs = rows(engine, "SELECT bates_prefix, bates_begin, end_label, native_path FROM document"
                        " ORDER BY bates_prefix")
    assert docs == [
        ("DOJ-OGR-", 101, "DOJ-OGR-0000102",
         "NATIVES/custodian-a/DOJ-OGR-0000101-DOJ-OGR-0000102.pdf#page=1"),
        ("KUSHNER", 201, "KUSHNER000201", "NATIVES/stamped.pdf#page=1"),
    ]
    [unread] = [f for f in report.findings if "not PDFs" in f]
    assert unread == "1 files in the folder are not PDFs and were not read: DATA/index.csv"


def test_footer_words_before_numbers_are_not_bates_labels() -> None:
    """A stamp may have a space before its number (KUSHNER 000123), but a footer's page or
    exhibit number is not a label, even in capitals and after the stamp."""
    from gaptrack.importers.formats.pdf import _LABEL, _last_label

    assert _last_label(_LABEL, "CONFIDENTIAL   KUSHNER000123   PAGE 0003") == "KUSHNER000123"
    assert _last_label(_LABEL, "KUSHNER 000123") == "KUSHNER000123"
    assert _last_label(_LABEL, "Letter\nEXHIBIT 0012") == ""
    assert _last_label(_LABEL, "DOJ-OGR-00012345\nNO 0001") == "DOJ-OGR-00012345"
