"""Rows made ready by the mapper keep their documents when a duplicate is dropped (SQLite);
the Bates continuity counted while writing matches the report's queries.

On SQLite the DAT mapper numbers the documents and builds every row for ``executemany``
(prepared.prepare_rows); the writer passes them on as they are while the numbers follow on.
A duplicate Bates number dropped with ``--skip-bad`` breaks that: the rows after it are
renumbered, and everything that hangs off a document (participants, references, family
links) must follow its document. These tests put duplicates in the first and in a later
chunk and check every dependent row against its document, on both mapping paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from gaptrack.db import open_database
from gaptrack.importers.dat import write_dat
from gaptrack.importers.generate import HEADER, synthetic_rows
from gaptrack.importers.qc import BatesReport, bates_report
from gaptrack.service.intake import import_dat
from tests.importers.builders import create_party

RECORDS = 12_000  # more than two of the writer's chunks (5,000 documents each)


def _dat_with_duplicates(path: Path) -> tuple[Path, list[str], str]:
    """The DAT, the labels of its duplicates, and the first sender's address."""
    rows = list(synthetic_rows(RECORDS, prefix="ROWS-"))
    address = rows[0][5].split("<")[1].rstrip(">")
    # Copies of earlier records: one inside the first chunk, one in the third.
    first, later = list(rows[40]), list(rows[6000])
    rows.insert(100, first)
    rows.insert(11_000, later)
    write_dat(path, rows, header=HEADER)
    return path, [first[0], later[0]], address


@pytest.mark.parametrize("pipeline", [False, True])
def test_dependent_rows_follow_their_document_past_a_dropped_duplicate(
    tmp_path: Path, pipeline: bool
) -> None:
    dat, duplicates, address = _dat_with_duplicates(tmp_path / "vol.dat")
    engine = open_database(f"sqlite:///{tmp_path / 'rows.db'}")
    try:
        create_party(engine, addresses=(address,))
        report = import_dat(engine, dat, party="kushner", production="Vol 1", skip_bad=True,
                            pipeline=pipeline)
        assert report.documents == RECORDS
        assert report.bad_count == 2
        assert [b.reason for b in report.bad_records] == [
            f"duplicate Bates number {label!r} (earlier in this file)"
            if i == 0 else f"duplicate Bates number {label!r} (already in the database)"
            for i, label in enumerate(duplicates)
        ]
        with engine.connect() as conn:
            ids = conn.execute(sa.text("SELECT min(id), max(id), count(*) FROM document")).one()
            assert tuple(ids) == (1, RECORDS, RECORDS)  # numbered on without a hole
            # Each sender row belongs to the document whose FROM it came from.
            wrong_sender = conn.execute(sa.text(
                "SELECT count(*) FROM document_participant p JOIN document d"
                " ON d.id = p.document_id WHERE p.role = 'sender'"
                " AND instr(lower(d.sender), p.address) = 0"
            )).scalar_one()
            senders = conn.execute(sa.text(
                "SELECT count(*) FROM document_participant WHERE role = 'sender'"
            )).scalar_one()
            emails = conn.execute(sa.text(
                "SELECT count(*) FROM document WHERE sender IS NOT NULL"
            )).scalar_one()
            assert wrong_sender == 0 and senders == emails > 0
            linked = conn.execute(sa.text(
                "SELECT count(*) FROM document_participant WHERE party_id IS NOT NULL"
            )).scalar_one()
            assert linked > 0
            # Each attachment's parent is the document its BEGATTACH named.
            wrong_parent = conn.execute(sa.text(
                "SELECT count(*) FROM document c JOIN document p ON p.id = c.parent_id"
                " WHERE p.bates_begin >= c.bates_begin OR p.doc_type <> 'email'"
            )).scalar_one()
            children = conn.execute(sa.text(
                "SELECT count(*) FROM document WHERE parent_id IS NOT NULL"
            )).scalar_one()
            assert wrong_parent == 0
            assert children == report.attachments_linked > 0
            assert report.orphan_attachments == 0
    finally:
        engine.dispose()


def _report_both_ways(tmp_path: Path, rows: list[list[str]]) -> tuple[BatesReport, BatesReport]:
    """The Bates QC of an import as the writer counted it, and as queried afterwards."""
    dat = tmp_path / "bates.dat"
    write_dat(dat, rows, header=HEADER)
    engine = open_database(f"sqlite:///{tmp_path / 'bates.db'}")
    try:
        party_id = create_party(engine)
        report = import_dat(engine, dat, party="kushner", production="Vol B")
        with engine.connect() as conn:
            production_id = conn.execute(sa.text("SELECT id FROM production")).scalar_one()
            queried = bates_report(conn, production_id, party_id)
        assert report.bates is not None
        return report.bates, queried
    finally:
        engine.dispose()


def _row(label: str, end: str | None = None) -> list[str]:
    return [label, end or label, *[""] * (len(HEADER) - 2)]


@pytest.mark.parametrize("ordered", [True, False])
def test_bates_counted_while_writing_match_the_queried_report(tmp_path: Path,
                                                               ordered: bool) -> None:
    # Two prefixes interleaved, each ascending: gaps, overlaps and ranges that end past
    # their successor's begin; more than 20 findings, so the examples are cut.
    rows = []
    for i in range(60):
        number = i * 3 + (i % 4 == 0)
        rows.append(_row(f"AAA-{number:06d}", f"AAA-{number + (i % 5):06d}"))
        rows.append(_row(f"BB-{2 * i:06d}"))
    if not ordered:
        rows.append(_row("AAA-000002"))  # below its predecessor: the writer gives up
    tracked, queried = _report_both_ways(tmp_path, rows)
    assert tracked == queried
    assert queried.gaps and queried.overlaps and len(queried.examples) == 20
