"""The status part of the case view kept after each write (service.view_store): after a load,
an import, an action, a dismissal, a note and an undo it is current and equals the view computed
live; a write that skipped the refresh is never read from it; reads never write it (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.errors import InputError
from gaptrack.gaps import sql as t
from gaptrack.gaps.model import GapKind
from gaptrack.gaps.scope import Scope
from gaptrack.models import KnownStatus
from gaptrack.service import actions, view_store, views
from gaptrack.service.cases import load_case_files
from gaptrack.service.gaps import dismiss_finding, party_summaries, status_ledger
from gaptrack.service.view_model import PartyStatus
from tests.conftest import FIXTURES
from tests.test_case_view import LATER_VOLUME

WATCHED = [dt.date(2017, 11, 16), dt.date(2017, 11, 25)]
runner = CliRunner()


def _live(engine: Engine, as_of: dt.date) -> list[PartyStatus]:
    with engine.connect() as connection:
        view = views.build_view(connection, Scope(as_of=as_of, dialect=engine.dialect.name))
    return [PartyStatus(summary=p.summary, ledger=p.ledger) for p in view.parties]


def _assert_kept(engine: Engine, after: str) -> None:
    for as_of in WATCHED:
        kept = view_store.stored_parties(engine, as_of)
        assert kept is not None, f"kept after {after}"
        assert kept == _live(engine, as_of), f"kept equals live after {after} ({as_of})"


def _status(engine: Engine, as_of: dt.date) -> str:
    url = engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["--db", url, "status", "--as-of", as_of.isoformat(),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


def _load(engine: Engine) -> None:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    view_store.watch(engine, WATCHED)


def test_the_kept_status_follows_every_write(engine: Engine, tmp_path: Path) -> None:
    from gaptrack.service.intake import import_mail
    from tests.importers.builders import email, write_eml

    _load(engine)
    _assert_kept(engine, "watch")
    later = tmp_path / "kushner-vol002.yaml"
    later.write_text(LATER_VOLUME, encoding="utf-8")
    load_case_files(engine, [later])
    _assert_kept(engine, "a load")
    folder = tmp_path / "mail"
    folder.mkdir()
    write_eml(folder / "1.eml", email(subject="Dinner", body="See you at eight."))
    import_mail(engine, folder, party="kushner", production="Kushner Mail", bates_prefix="KM-")
    _assert_kept(engine, "an import")
    before = view_store.stored_parties(engine, WATCHED[1])
    actions.set_known_status(engine, "kushner-phone-records", KnownStatus.DISPUTED,
                             actor="t", reason="says none exist")
    _assert_kept(engine, "an action")
    finding = next(g for g in views.case_view(engine, as_of=WATCHED[1]).gaps
                   if g.kind is GapKind.INFERRED)
    dismiss_finding(engine, finding.key, actor="t", reason="not his")
    _assert_kept(engine, "a dismissal")
    dismissed = view_store.stored_parties(engine, WATCHED[1])
    assert dismissed != before  # the counts moved, and the kept ones with them
    actions.add_note(engine, entity="party", key="kushner", text="call counsel", actor="t")
    _assert_kept(engine, "a note")
    actions.undo_last(engine, actor="t")
    actions.undo_last(engine, actor="t")
    _assert_kept(engine, "an undo")


def test_the_kept_status_prints_what_the_live_view_prints(engine: Engine) -> None:
    _load(engine)
    for as_of in WATCHED:
        kept = _status(engine, as_of)
        summaries = party_summaries(engine, as_of=as_of)
        ledger = status_ledger(engine, as_of=as_of, party="Jared Kushner")
        with engine.begin() as connection:  # forget the kept part: the same reads go live
            connection.execute(sa.delete(t.derived_state)
                               .where(t.derived_state.c.name == view_store.STATE))
        views.clear_cache()
        assert json.loads(_status(engine, as_of)) == json.loads(kept)
        assert party_summaries(engine, as_of=as_of) == summaries
        assert status_ledger(engine, as_of=as_of, party="kushner") == ledger
        view_store.watch(engine, WATCHED)


def test_a_write_that_skipped_the_refresh_is_never_read_from_the_kept_status(
    engine: Engine,
) -> None:
    _load(engine)
    with engine.begin() as connection:  # a new known item, written without the refresh
        kushner = connection.execute(
            sa.select(t.party.c.id).where(t.party.c.slug == "kushner")).scalar_one()
        connection.execute(sa.insert(t.known).values(
            slug="kushner-new", party_id=kushner, description="a new one", basis="press-report",
            status="outstanding", version=1))
    assert view_store.stored_parties(engine, WATCHED[0]) is None
    views.clear_cache()
    shown = {s.party: s.known_total for s in party_summaries(engine, as_of=WATCHED[0])}
    assert shown == {p.slug: p.summary.known_total for p in _live(engine, WATCHED[0])
                     if p.summary.requests}


def test_reads_never_write_the_kept_status(engine: Engine) -> None:
    _load(engine)
    with engine.connect() as connection:
        before = connection.execute(sa.select(t.derived_state)).all()
    for as_of in [*WATCHED, dt.date(2018, 3, 1)]:  # kept and not kept
        views.clear_cache()
        _status(engine, as_of)
        party_summaries(engine, as_of=as_of)
    with engine.connect() as connection:
        assert connection.execute(sa.select(t.derived_state)).all() == before


def test_db_watch_keeps_a_date_from_then_on(engine: Engine) -> None:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    when = dt.date(2017, 9, 1)
    assert view_store.stored_parties(engine, when) is None
    url = engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["--db", url, "db", "watch", "--as-of", when.isoformat()])
    assert result.exit_code == 0, result.output
    assert "kept for 2017-09-01" in result.output
    assert view_store.stored_parties(engine, when) == _live(engine, when)
    actions.add_note(engine, entity="party", key="kushner", text="later", actor="t")
    assert view_store.stored_parties(engine, when) == _live(engine, when)  # still watched
    bad = runner.invoke(app, ["--db", url, "db", "watch", "--as-of", "2017-13-01"])
    assert isinstance(bad.exception, InputError) and "--as-of" in str(bad.exception)


def test_a_case_with_no_letter_keeps_nothing(engine: Engine, tmp_path: Path) -> None:
    """A first import into a new case spends no time on a status with nothing to list."""
    from sqlmodel import Session

    from gaptrack.models import Party
    from gaptrack.service.intake import import_mail
    from tests.importers.builders import email, write_eml

    with Session(engine) as session:
        session.add(Party(slug="solo", name="Solo", kind="person"))
        session.commit()
    folder = tmp_path / "mail"
    folder.mkdir()
    write_eml(folder / "1.eml", email(subject="Hello", body="First."))
    import_mail(engine, folder, party="solo", production="Solo Mail", bates_prefix="S-")
    with engine.connect() as connection:
        names = set(connection.execute(sa.select(t.derived_state.c.name)).scalars())
    assert view_store.STATE not in names
    assert party_summaries(engine, as_of=dt.date(2017, 1, 1)) == []  # live, and empty


def test_a_deferred_refresh_is_owed_then_made(engine: Engine) -> None:
    """A face that answers first (the TUI) defers the refresh and makes it right after."""
    _load(engine)
    with view_store.refresh_deferred() as pending:
        actions.add_note(engine, entity="party", key="kushner", text="soon", actor="t")
    assert pending == [engine]
    assert view_store.stored_parties(engine, WATCHED[0]) is None  # owed, so not read
    view_store.refresh_pending(pending)
    _assert_kept(engine, "the deferred refresh")
