"""Documents numbered before they are written, and family parents found as the rows are made.

On PostgreSQL the writer reserves document ids from the sequence (importers.idrange) and the
mapper puts each attachment's parent id into the copied row (importers.pgrows), looking among
the documents it has just numbered; on SQLite each row finds its parent as it goes in. Either
way the parent must be what ``staging.link_families`` would set: the lowest id among the
party's documents with the parent's Bates prefix and number. These tests take the cases where
the recent documents are not the whole story — a number an earlier volume holds too, numbers
out of order, a parent dropped as a duplicate, a child before its parent — on both backends,
and ids another writer takes in the middle of an import (PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.db import open_database
from gaptrack.importers.dat import write_dat
from gaptrack.importers.generate import HEADER as SYN_HEADER
from gaptrack.importers.generate import synthetic_rows
from gaptrack.importers.idrange import IdRange
from gaptrack.service.intake import import_dat
from tests.importers.builders import build_dat, create_party

FAMILY = ["BegBates", "ParentID", "Email From", "Date Sent"]


def parents(engine: Engine) -> dict[str, tuple[int, str | None]]:
    """label -> (id, the parent's label)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT c.begin_label, c.id, p.begin_label FROM document c"
            " LEFT JOIN document p ON p.id = c.parent_id"
        )).all()
    return {str(label): (int(i), parent) for label, i, parent in rows}


def test_a_number_an_earlier_volume_holds_links_to_the_earliest(
    engine: Engine, tmp_path: Path
) -> None:
    """The party's earlier volume has H-001_1 (same prefix and number as H-001, another
    suffix): H-002's parent is the lowest id of the two, as link_families has it."""
    create_party(engine)
    first = build_dat(tmp_path / "v1.dat", [["H-001_1", "", "Ann <a@x.example>", ""]],
                      header=FAMILY)
    import_dat(engine, first, party="kushner", production="V1")
    second = build_dat(
        tmp_path / "v2.dat",
        [["H-001", "", "Ann <a@x.example>", ""], ["H-002", "H-001", "", ""],
         ["J-001", "", "Bo <b@x.example>", ""], ["J-002", "J-001", "", ""]],
        header=FAMILY,
    )
    report = import_dat(engine, second, party="kushner", production="V2")
    found = parents(engine)
    assert found["H-002"][1] == "H-001_1"
    assert found["J-002"][1] == "J-001"  # a prefix only this volume has
    assert report.attachments_linked == 2 and report.orphan_attachments == 0


def _filler(prefix: str, first: int, count: int) -> list[list[str]]:
    """``count`` lone documents numbered from ``first``: enough of them push a document out
    of the recent ones the mapper looks parents up in (and past a writer's chunk)."""
    return [[f"{prefix}{n:05d}", "", "", ""] for n in range(first, first + count)]


def test_numbers_out_of_order_link_to_the_lowest_id(engine: Engine, tmp_path: Path) -> None:
    """K-00005_1 comes first and K-00005 thousands of documents later (numbers not rising):
    K-00006's parent is the one written first, though the recent documents know only the
    later one."""
    create_party(engine)
    path = build_dat(
        tmp_path / "k.dat",
        [["K-00005_1", "", "Ann <a@x.example>", ""], *_filler("K-", 100, 2500),
         ["K-00005", "", "Ann <a@x.example>", ""], ["K-00006", "K-00005", "", ""]],
        header=FAMILY,
    )
    import_dat(engine, path, party="kushner", production="K")
    assert parents(engine)["K-00006"][1] == "K-00005_1"


def test_a_parent_dropped_as_a_duplicate_is_found_among_the_stored(
    engine: Engine, tmp_path: Path
) -> None:
    """M-00001 is already stored (an earlier volume): the new copy, last of the writer's
    first chunk, is dropped, and M-00002's parent (in the next chunk) is the stored one —
    never the row that was not written."""
    create_party(engine)
    import_dat(engine, build_dat(tmp_path / "v1.dat",
                                 [["M-00001", "", "Ann <a@x.example>", ""]], header=FAMILY),
               party="kushner", production="V1")
    path = build_dat(
        tmp_path / "v2.dat",
        [*_filler("M-", 100, 4999), ["M-00001", "", "Ann <a@x.example>", ""],
         ["M-00002", "M-00001", "", ""], ["M-00003", "", "Bo <b@x.example>", ""],
         ["M-00004", "M-00003", "", ""]],
        header=FAMILY,
    )
    report = import_dat(engine, path, party="kushner", production="V2", skip_bad=True)
    assert report.bad_count == 1 and report.documents == 5002
    found = parents(engine)
    with engine.connect() as conn:
        stored = conn.execute(sa.text(
            "SELECT d.id FROM document d JOIN production p ON p.id = d.production_id"
            " WHERE d.begin_label = 'M-00001' AND p.slug = 'v1'"
        )).scalar_one()
        assert conn.execute(sa.text(
            "SELECT parent_id FROM document WHERE begin_label = 'M-00002'"
        )).scalar_one() == stored
    assert found["M-00004"][1] == "M-00003"
    assert report.orphan_attachments == 0


def test_a_child_before_its_parent_and_dates_in_utc(engine: Engine, tmp_path: Path) -> None:
    """A child listed before its parent is linked at the end; a sent time given in UTC is
    stored as that instant whatever the session's time zone (the copy reads it as UTC)."""
    create_party(engine)
    path = build_dat(
        tmp_path / "n.dat",
        [["N-001", "N-002", "", ""], ["N-002", "", "Ann <a@x.example>", "2016-09-16 14:31"],
         ["N-003", "N-002", "", ""]],
        header=FAMILY,
    )
    zoned = _in_zone(engine)
    try:
        report = import_dat(zoned, path, party="kushner", production="N")
    finally:
        zoned.dispose()
    found = parents(engine)
    assert found["N-001"][1] == found["N-003"][1] == "N-002"
    assert report.attachments_linked == 2
    with engine.connect() as conn:
        sent = conn.execute(sa.text(
            "SELECT date_sent FROM document WHERE begin_label = 'N-002'"
        )).scalar_one()
    if isinstance(sent, str):
        sent = dt.datetime.fromisoformat(sent)
    if sent.tzinfo is not None:
        sent = sent.astimezone(dt.UTC).replace(tzinfo=None)
    assert sent == dt.datetime(2016, 9, 16, 14, 31)


def _in_zone(engine: Engine) -> Engine:
    """The same database, its PostgreSQL sessions in New York time (SQLite has no zone)."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        url = url.update_query_dict({"options": "-c TimeZone=America/New_York"})
    return open_database(url.render_as_string(hide_password=False))


def _family_dat(path: Path, records: int) -> tuple[Path, dict[str, str]]:
    """A synthetic DAT and, per attachment label, the label its BEGATTACH names."""
    rows = list(synthetic_rows(records, prefix="IDS-"))
    write_dat(path, rows, header=SYN_HEADER)
    return path, {r[0]: r[2] for r in rows if r[2] != r[0]}


@pytest.mark.parametrize("pipeline", [False, True])
def test_ids_taken_by_another_writer_meanwhile(
    engine: Engine, tmp_path: Path, pipeline: bool
) -> None:
    """Another session takes document ids between two of the import's chunks (PostgreSQL):
    the rows planned on those ids move to the ones reserved for them, and every
    participant, reference and parent follows its document."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite numbers documents under its write lock: no one can take ids")
    dat, expected = _family_dat(tmp_path / "ids.dat", 12_000)
    create_party(engine)
    taken: list[int] = []

    def elsewhere(done: int, written: int) -> None:
        if written and not taken:  # after the first chunk: five ids for someone else
            with engine.connect() as other:
                taken.extend(int(other.execute(sa.text(
                    "SELECT nextval(pg_get_serial_sequence('document', 'id'))"
                )).scalar_one()) for _ in range(5))
                other.commit()

    report = import_dat(engine, dat, party="kushner", production="Ids", pipeline=pipeline,
                        progress=elsewhere)
    assert report.documents == 12_000 and taken
    found = parents(engine)
    assert not set(taken) & {i for i, _ in found.values()}
    assert {label: parent for label, (_, parent) in found.items() if parent} == expected
    with engine.connect() as conn:
        wrong = conn.execute(sa.text(
            "SELECT count(*) FROM document_participant p JOIN document d"
            " ON d.id = p.document_id WHERE p.role = 'sender'"
            " AND strpos(lower(d.sender), p.address) = 0"
        )).scalar_one()
        senders = conn.execute(sa.text(
            "SELECT count(*) FROM document_participant WHERE role = 'sender'"
        )).scalar_one()
    assert wrong == 0 and senders > 0


def test_id_range_maps_planned_ids_past_ids_taken_meanwhile(engine: Engine) -> None:
    """IdRange on its own: blocks that follow on need no mapping; after another session
    takes ids, planned ids map onto the block reserved for them."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the id range is PostgreSQL's (SQLite numbers under its write lock)")
    with engine.connect() as conn, engine.connect() as other:
        ids = IdRange(conn, first_block=10)
        ids.cover(ids.first + 19)  # follows on: nobody else took any
        assert not ids.shifted and ids.actual(ids.first + 19) == ids.first + 19
        stolen = _nextval(other)
        assert stolen == ids.first + 20
        ids.cover(ids.first + 25)
        assert ids.shifted
        assert ids.actual(ids.first + 19) == ids.first + 19
        assert ids.actual(ids.first + 20) == stolen + 1
        assert ids.actual(ids.first + 25) == stolen + 6


def _nextval(conn: Any) -> int:
    value = int(conn.execute(sa.text(
        "SELECT nextval(pg_get_serial_sequence('document', 'id'))"
    )).scalar_one())
    conn.commit()
    return value
