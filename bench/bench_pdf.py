"""A Bates-stamped PDF production against a bare text-layer extraction loop (issue 13).

* build one PDF of ``scale(2_000)`` pages with reportlab: a Bates label in every page's
  footer, a printed email (Outlook's From / Sent / To / Cc / Subject block and a body) opening
  every third page, the pages between continuing it;
* the bare baseline, in a process of its own: open the PDF with pypdfium2 and extract each
  page's text layer (``get_textpage().get_text_range()``), nothing else — the least work any
  reader of the text does;
* the import (``gaptrack.service.intake.import_path``, format ``pdf``) into a fresh SQLite
  database, in a process of its own: labels, documents split at printed emails, participants,
  fingerprints, the writer, the QC report;
* report pages/s of both, the ratio (target ≥ 0.5) and the peak RSS of each. Nothing asserts
  on time.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, report, run_side, scale

EMAIL_EVERY = 3  # pages: a printed email opens every third page
BODY_LINES = 38  # a page's worth of text (reportlab's 12-point lines on letter paper)


def build_pdf(path: Path, pages: int) -> int:
    """The production; returns the number of printed emails in it."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    emails = 0
    for number in range(1, pages + 1):
        lines: list[str] = []
        if number % EMAIL_EVERY == 1:
            emails += 1
            lines += [
                f"From: Sender {emails % 40} <sender{emails % 40}@example.org>",
                f"Sent: Tuesday, September {1 + emails % 28}, 2016 {1 + emails % 12}:15 PM",
                f"To: Recipient {emails % 17} <r{emails % 17}@example.com>;"
                " Team <team@example.com>",
                f"Cc: Counsel <counsel{emails % 5}@law.example>",
                f"Subject: Pipeline schedule, part {emails}",
                "",
            ]
        while len(lines) < BODY_LINES:
            lines.append(f"Line {len(lines)} of page {number}: the route, the permits and the "
                         "meeting on Friday.")
        text = pdf.beginText(54, 740)
        for line in lines:
            text.textLine(line)
        pdf.drawText(text)
        pdf.drawString(460, 24, f"ABC{number:07d}")
        pdf.showPage()
    pdf.save()
    return emails


def child_bare(pdf_path: Path, _db: Path) -> dict[str, float]:
    import pypdfium2 as pdfium

    start = time.perf_counter()
    pdf = pdfium.PdfDocument(str(pdf_path))
    characters = 0
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        characters += len(textpage.get_text_range())
        textpage.close()
        page.close()
    pages = len(pdf)
    pdf.close()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "pages": pages, "characters": characters,
            "peak_rss_mb": peak_rss_mb()}


def child_import(pdf_path: Path, db: Path) -> dict[str, float]:
    from gaptrack.db import open_database, session_scope
    from gaptrack.models import Party
    from gaptrack.service.intake import import_path

    engine = open_database(f"sqlite:///{db}")
    with session_scope(engine) as session:
        session.add(Party(slug="bench", name="Bench Party"))
    start = time.perf_counter()
    result = import_path(engine, pdf_path, format="pdf", party="bench", production="Bench PDF")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "pages": result.pages or 0, "documents": result.documents,
            "peak_rss_mb": peak_rss_mb()}


def main() -> None:
    pages = scale(2_000)
    with tempfile.TemporaryDirectory(prefix="gt-bench-") as folder:
        base = Path(folder)
        pdf = base / "production.pdf"
        start = time.perf_counter()
        emails = build_pdf(pdf, pages)
        built = time.perf_counter() - start
        size_mb = pdf.stat().st_size / 1e6
        bare = run_side("bench.bench_pdf", "bare", pdf, base / "unused.db")
        ours = run_side("bench.bench_pdf", "import", pdf, base / "import.db")
    bare_rate = bare["pages"] / bare["seconds"]
    our_rate = ours["pages"] / ours["seconds"]
    report(
        "pdf",
        pages=pages,
        printed_emails=emails,
        pdf_mb=round(size_mb, 1),
        build_seconds=built,
        import_seconds=ours["seconds"],
        import_pages_per_s=round(our_rate),
        import_documents=ours["documents"],
        bare_seconds=bare["seconds"],
        bare_pages_per_s=round(bare_rate),
        ratio_to_bare=our_rate / bare_rate,
        target_ratio=0.5,
        import_peak_rss_mb=ours["peak_rss_mb"],
        bare_peak_rss_mb=bare["peak_rss_mb"],
    )


if __name__ == "__main__":
    if len(sys.argv) == 4:
        kind, pdf_arg, db_arg = sys.argv[1:]
        work = child_import if kind == "import" else child_bare
        print(json.dumps(work(Path(pdf_arg), Path(db_arg))))
    else:
        main()
