"""Columns a load cannot fill: the mapper leaves them empty in every row, and the SQLite
writer writes them as constants instead of binding a blank per row (mapping.FILLED_BY,
prepared.RowPlan.kept)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.db import open_database
from gaptrack.importers.dat import DatRecord, write_dat
from gaptrack.importers.drafts import FILLED_BY, DocumentDraft, columns_left_empty
from gaptrack.importers.fieldmap import FieldMap
from gaptrack.importers.indexes import indexes_left_empty
from gaptrack.importers.mapping import DatMapper
from gaptrack.service.intake import import_dat
from tests.importers.builders import create_party

# Every field the DAT mapper reads, each holding a value.
FULL = {
    "begin_bates": "ABC-000010",
    "end_bates": "ABC-000011",
    "begin_attach": "ABC-000010",
    "end_attach": "ABC-000012",
    "parent_bates": "",
    "custodian": "Kushner, Jared",
    "sender": "Jared Kushner <jared@kushner.example>",
    "to": "Zoe Adviser <zoe@campaign.example>",
    "cc": "cc@campaign.example",
    "bcc": "Bcc Person <bcc@campaign.example>",
    "subject": "FW: Dinner",
    "title": "Dinner",
    "file_name": "dinner.msg",
    "date_sent": "09/16/2016",
    "time_sent": "10:31:00",
    "timezone": "-0400",
    "date_created": "09/15/2016",
    "md5": "A" * 32,
    "sha1": "B" * 40,
    "message_id": "<m1@kushner.example>",
    "in_reply_to": "<p1@kushner.example>",
    "references": "<q1@kushner.example>",
    "page_count": "2",
    "text_path": "TEXT/ABC-000010.txt",
    "native_path": "NATIVES/ABC-000010.msg",
    "doc_type": "Email",
    "file_ext": "msg",
    "thread_index": "AQAAAAAAAAECAwQFBgcICQoLDA0ODwAAAAEQ",
}
# Own text long enough for a body hash (matching.MIN_BODY_CHARS).
_OWN = ("Let us meet for dinner on Thursday at the hotel; bring the list of guests, the seating "
        "plan and the notes from counsel, and tell the others that the time moved to eight; "
        "the car will wait at the side entrance from half past seven.\n")
PLAIN = _OWN
QUOTING = (
    _OWN + "\n-----Original Message-----\nFrom: Sergei Millian <sm@example.ru>\n"
    "Sent: Thursday, September 15, 2016 9:00 AM\nTo: Jared Kushner <jared@kushner.example>\n"
    "Subject: Dinner\n\nAn invitation.\n"
)


def _draft(fields: list[str], text: str) -> DocumentDraft:
    """The draft of the FULL record read through a map of ``fields`` only."""
    columns = list(FULL)
    index = {name: columns.index(name) for name in fields}
    mapper = DatMapper(FieldMap(columns, index), file="vol.dat",
                       load_text=lambda path: text, sqlite_dates=True)
    return mapper.map(DatRecord(2, list(FULL.values())))


@pytest.mark.parametrize("text", [PLAIN, QUOTING], ids=["plain text", "quoting text"])
@pytest.mark.parametrize("column", sorted(FILLED_BY))
def test_a_column_is_empty_when_none_of_its_fields_is_mapped(column: str, text: str) -> None:
    everything = list(FULL)
    assert column not in columns_left_empty(everything)
    assert _draft(everything, text).get(column) not in ("", None)  # the field fills it
    without = [f for f in everything if f not in FILLED_BY[column]]
    assert column in columns_left_empty(without)
    assert _draft(without, text).get(column) == ""


def _load(engine: Engine, dat: Path) -> tuple[list[tuple[object, ...]], list[object]]:
    report = import_dat(engine, dat, party="kushner", production="Vol 1")
    with engine.connect() as conn:
        documents = [tuple(r) for r in conn.execute(sa.text(
            "SELECT * FROM document ORDER BY id"
        ))]
        participants = [tuple(r) for r in conn.execute(sa.text(
            "SELECT * FROM document_participant ORDER BY id"
        ))]
    summary = [report.documents, report.pages, report.email_metadata, report.bates,
               report.attachments_linked]
    return documents + participants, summary


def test_a_file_without_a_column_loads_as_one_with_that_column_blank(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """The same rows and report whether BCC, SHA1 and the like are absent from the file
    (written as constants) or present and blank (bound, one blank per row)."""
    header = ["BEGBATES", "ENDBATES", "BEGATTACH", "FROM", "TO", "SUBJECT", "DATESENT",
              "MESSAGEID", "PGCOUNT"]
    blank = ["CC", "BCC", "CUSTODIAN", "TITLE", "DATECREATED", "SHA1", "MD5HASH",
             "TEXTPATH", "NATIVEPATH"]
    rows = []
    for i in range(40):
        label = f"ABC-{100 + i:06d}"
        parent = f"ABC-{100 + i - i % 3:06d}"
        email = i % 3 == 0
        rows.append([label, label, parent, "Ann Roe <ann@x.example>" if email else "",
                     f"bo{i}@x.example" if email and i % 4 else "", "Dinner" if email else "",
                     "03/04/2017" if email else "", f"<m{i}@x.example>" if email else "",
                     str(i % 3) if i % 5 else ""])
    narrow, wide = tmp_path / "narrow.dat", tmp_path / "wide.dat"
    write_dat(narrow, rows, header=header)
    write_dat(wide, [r + [""] * len(blank) for r in rows], header=header + blank)
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        for engine in (sqlite_engine, other):
            create_party(engine)
        left_out, narrow_summary = _load(sqlite_engine, narrow)
        bound, wide_summary = _load(other, wide)
    finally:
        other.dispose()
    assert left_out == bound
    assert narrow_summary == wide_summary
    assert narrow_summary[0] == 40 and narrow_summary[4] > 0


def test_key_indexes_of_columns_a_load_cannot_fill_are_left_alone() -> None:
    """A bulk load rebuilds an index only if it can add entries to it (indexes.defer_indexes):
    the key indexes hold only rows with the key, so a file without the fields that make it
    leaves them as they are."""
    keys = {"ix_document_mih_party", "ix_document_fingerprint_party",
            "ix_document_body_hash_party"}
    assert keys <= set(indexes_left_empty(["begin_bates", "end_bates", "subject"]))
    assert not set(indexes_left_empty(list(FULL)))
    assert set(indexes_left_empty([f for f in FULL if f != "message_id"])) == {
        "ix_document_mih_party"
    }
