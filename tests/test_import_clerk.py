"""Mistakes a clerk makes at intake: a production loaded under the wrong party, and a DAT
without an ENDBATES column."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import ConflictError
from gaptrack.service.intake import import_dat
from tests.importers.builders import build_dat, create_party
from tests.support import cli, table_snapshot


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def test_wrong_party_refused_unless_forced(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    create_party(engine, slug="page", name="Carter Page", addresses=())
    import_dat(engine, build_dat(tmp_path / "v1.dat"), party="kushner", production="Vol 1")
    second = build_dat(tmp_path / "v2.dat", [["KUSH-000007", "KUSH-000007"] + [""] * 13])
    before = table_snapshot(engine)
    with pytest.raises(ConflictError) as raised:
        import_dat(engine, second, party="page", production="Vol 2")
    assert "'KUSH-' is 'kushner''s" in str(raised.value) and "--force" in str(raised.value)
    assert table_snapshot(engine) == before  # nothing written
    report = import_dat(engine, second, party="page", production="Vol 2", force=True)
    assert report.documents == 1
    assert any("--force" in f and "'kushner'" in f for f in report.findings)


def opt_lines(documents: list[tuple[int, int]]) -> str:
    """An OPT whose page ids are the pages' own Bates numbers (ABC0000001, ABC0000002…)."""
    lines = []
    for begin, pages in documents:
        for page in range(pages):
            page_id = f"ABC{begin + page:07d}"
            first = page == 0
            lines.append(f"{page_id},VOL1,IMG\\{page_id}.tif,{'Y' if first else ''},,,"
                         f"{pages if first else ''}")
    return "\r\n".join(lines) + "\r\n"


def test_dat_without_endbates_takes_ends_from_the_opt(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    dat = build_dat(tmp_path / "v.dat", [["ABC0000001", "One"], ["ABC0000004", "Two"],
                                         ["ABC0000005", "Three"]],
                    header=["BEGBATES", "SUBJECT"])
    opt = tmp_path / "v.opt"
    opt.write_text(opt_lines([(1, 3), (4, 1), (5, 2)]), encoding="utf-8")
    report = import_dat(engine, dat, party="kushner", production="No ends", opt=opt)
    ends = rows(engine, "SELECT begin_label, end_label, bates_end, page_count FROM document "
                        "ORDER BY bates_begin")
    assert ends == [("ABC0000001", "ABC0000003", 3, 3), ("ABC0000004", "ABC0000004", 4, 1),
                    ("ABC0000005", "ABC0000006", 6, 2)]
    assert any("no ENDBATES" in f and "3 documents" in f for f in report.findings)
    assert report.bates is not None and report.bates.gaps == 0
    assert rows(engine, "SELECT bates_first, bates_last FROM production") == [(1, 6)]


def test_dat_without_endbates_or_opt_says_so(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    dat = build_dat(tmp_path / "v.dat", [["ABC0000001", "One"]], header=["BEGBATES", "SUBJECT"])
    report = import_dat(engine, dat, party="kushner", production="No ends")
    assert any("no ENDBATES" in f and "no OPT" in f for f in report.findings)


def test_production_remove_refused_while_cited_then_forced(
    engine: Engine, tmp_path: Path
) -> None:
    from gaptrack.db import session_scope
    from gaptrack.models import Event, KnownItem
    from gaptrack.service.productions import remove_production

    create_party(engine)
    dat = build_dat(tmp_path / "v1.dat")
    import_dat(engine, dat, party="kushner", production="Vol 1")
    cited_id = rows(engine, "SELECT id FROM document WHERE begin_label = 'KUSH-000005'")[0][0]
    with session_scope(engine) as session:
        party_id = rows(engine, "SELECT id FROM party WHERE slug = 'kushner'")[0][0]
        session.add(KnownItem(slug="dinner-invite", party_id=party_id, description="Dinner",
                              basis="other-production", basis_document_id=cited_id))
    before = table_snapshot(engine)
    with pytest.raises(ConflictError, match="dinner-invite"):
        remove_production(engine, "vol-1")
    assert table_snapshot(engine) == before
    removed = remove_production(engine, "vol-1", force=True, reason="wrong volume")
    assert removed["documents"] == 5 and removed["known_items_unlinked"] == ["dinner-invite"]
    assert rows(engine, "SELECT count(*) FROM document") == [(0,)]
    assert rows(engine, "SELECT count(*) FROM production") == [(0,)]
    assert rows(engine, "SELECT basis_document_id FROM known_item") == [(None,)]
    with session_scope(engine) as session:
        from sqlmodel import select

        event = session.exec(select(Event).where(Event.action == "production.remove")).one()
        assert event.reason == "wrong volume" and event.data["documents"] == 5
    again = import_dat(engine, dat, party="kushner", production="Vol 1")  # not "already loaded"
    assert not again.already_loaded and again.documents == 5


def test_cli_production_remove(sqlite_engine: Engine, tmp_path: Path) -> None:
    create_party(sqlite_engine)
    import_dat(sqlite_engine, build_dat(tmp_path / "v1.dat"), party="kushner",
               production="Vol 1")
    db = str(sqlite_engine.url.database)
    run = ["production", "remove"]
    missing = cli(db, *run, "no-such")
    assert missing.returncode == 2
    done = cli(db, *run, "vol-1", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert '"documents": 5' in done.stdout
