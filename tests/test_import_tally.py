"""The production summary and the email-metadata check, counted on the way in (SQLite),
agree with the queries they replace (gaptrack.importers.tally)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.importers.dat import write_dat
from gaptrack.importers.qc import EXAMPLES, email_report
from gaptrack.service.intake import import_dat
from tests.importers.builders import create_party

HEADER = ["BEGBATES", "ENDBATES", "FROM", "TO", "CC", "SUBJECT", "DATESENT", "MESSAGEID",
          "PGCOUNT", "DOCTYPE"]


def _rows() -> list[list[str]]:
    """Emails each missing one kind of metadata (or none), some memos, blank page counts,
    one bad record; prefix B- comes first in the file, A- first in Bates order."""
    rows: list[list[str]] = []
    for i in range(90):
        prefix = "B-" if i < 45 else "A-"
        label = f"{prefix}{1000 + 3 * i:06d}"
        row = [label, label, f"Sender {i} <s{i}@x.example>", f"to{i}@x.example",
               f"cc{i}@x.example" if i % 2 else "", f"Subject {i}", "03/04/2017",
               f"<m{i}@x.example>", "" if i % 4 == 0 else str(1 + i % 5), "Email"]
        gap = i % 6
        if gap == 1:
            row[2] = ""  # no sender
        elif gap == 2:
            row[3] = row[4] = ""  # nobody addressed
        elif gap == 3:
            row[6] = ""  # no date
        elif gap == 4:
            row[5] = ""  # no subject
        elif gap == 5:
            row[7] = ""  # no Message-ID
        if i % 7 == 0:
            row[2:8] = ["", "", "", "Memo", "", ""]
            row[9] = "Memo"
        rows.append(row)
    rows.append(["C-000001", "C-000001", "", "", "", "", "13/45/2016", "", "1", "Email"])
    return rows


# Addressee columns the file may lack: the tally then counts without them (prepared.RowPlan).
@pytest.mark.parametrize("dropped", [(), ("CC",), ("TO", "CC")],
                         ids=["to and cc", "to only", "no addressee column"])
def test_counted_summary_and_email_check_match_the_queries(
    sqlite_engine: Engine, tmp_path: Path, dropped: tuple[str, ...]
) -> None:
    create_party(sqlite_engine)
    dat = tmp_path / "vol.dat"
    keep = [i for i, name in enumerate(HEADER) if name not in dropped]
    write_dat(dat, [[row[i] for i in keep] for row in _rows()],
              header=[HEADER[i] for i in keep])
    report = import_dat(sqlite_engine, dat, party="kushner", production="Vol 1", skip_bad=True)
    assert report.documents == 90 and report.bad_count == 1
    with sqlite_engine.connect() as conn:
        production_id = conn.execute(sa.text("SELECT id FROM production")).scalar_one()
        queried = email_report(conn, production_id)  # no tally: the query
        summary = conn.execute(sa.text(
            "SELECT count(*), sum(page_count), min(bates_begin), max(bates_end) FROM document"
        )).one()
        stored = conn.execute(sa.text(
            "SELECT doc_count, page_count, bates_first, bates_last, bates_prefix FROM production"
        )).one()
    counted = report.email_metadata
    assert counted == queried
    assert 0 < counted.emails < 90
    assert min(counted.missing_sender, counted.missing_recipients, counted.missing_date,
               counted.missing_subject, counted.missing_message_id) > 0
    assert len(counted.examples) == EXAMPLES and counted.examples[0].startswith("A-")
    assert tuple(stored) == (*summary, "B-")
    assert report.pages == summary[1]


def test_page_counts_of_zero_add_up_to_zero_not_to_none(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    create_party(sqlite_engine)
    dat = tmp_path / "zero.dat"
    rows = [[f"Z-{n:06d}", f"Z-{n:06d}", "", "", "", "", "", "", "0" if n % 2 else "", "Memo"]
            for n in range(1, 7)]
    write_dat(dat, rows, header=HEADER)
    report = import_dat(sqlite_engine, dat, party="kushner", production="Zeros")
    with sqlite_engine.connect() as conn:
        summed = conn.execute(sa.text("SELECT sum(page_count) FROM document")).scalar_one()
    assert summed == 0 and report.pages == 0
