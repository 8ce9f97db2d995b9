"""The kept coverage counts against a direct count of the documents, on both backends: after
a case-file load, an import into the case (counted incrementally), an alias that links
participants (recounted), a production's removal (its rows go with it, nothing else is
recounted) and an import after it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.coverage import Period, coverage
from gaptrack.gaps import sql as t
from gaptrack.gaps.coverage_counts import STATE, others_rows, own_rows
from gaptrack.gaps.derived_state import read_state
from gaptrack.service.coverage import coverage_report
from gaptrack.service.intake import import_mail
from gaptrack.service.parties import add_aliases
from gaptrack.service.productions import remove_production
from tests.analysiscase import load_analysis_case
from tests.importers.builders import email, write_eml

LATE = dt.date(2100, 1, 1)  # after the imports, received today
AS_OFS = [dt.date(2017, 4, 11), dt.date(2017, 4, 15), dt.date(2017, 5, 1), dt.date(2018, 1, 1),
          LATE]


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    load_analysis_case(engine, tmp_path)
    return engine


def _kept(engine: Engine) -> set[tuple[object, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(t.coverage_count)).all()
    return {(r[0], r[1], r[2], r[3], str(r[4])[:10], r[5]) for r in rows}


def _direct(engine: Engine) -> set[tuple[object, ...]]:
    with engine.connect() as connection:
        dialect = connection.dialect.name
        rows = [*connection.execute(own_rows(dialect, [])),
                *connection.execute(others_rows(dialect, []))]
    return {(r[0], r[1], r[2], r[3], str(r[4])[:10], r[5]) for r in rows}


def _same_as_direct(engine: Engine) -> None:
    """Kept rows are the rows a recount gives, and every party's coverage read from them
    is the coverage counted from the documents."""
    assert _kept(engine) == _direct(engine)
    with engine.connect() as connection:
        parties = [int(p) for p in connection.execute(sa.select(t.party.c.id)).scalars()]
        for party in parties:
            for by in Period:
                for as_of in AS_OFS:
                    kept = coverage(connection, party, as_of=as_of, by=by)
                    live = coverage(connection, party, as_of=as_of, by=by, live=True)
                    assert kept == live, (party, by, as_of)


def _state(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        state = read_state(connection, STATE)
    assert state is not None
    return state


def _others_of_alice(engine: Engine) -> dict[str, list[int]]:
    report = coverage_report(engine, "alice", as_of=LATE)
    return {r.name: r.counts for r in report.rows if r.source == "others"}


def _import(engine: Engine, folder: Path, party: str, production: str,
            mails: list[tuple[str, str, dt.date]]) -> None:
    """Import one email per (from, to, day) as a new production of ``party``."""
    folder.mkdir()
    for n, (sender, to, day) in enumerate(mails, 1):
        sent = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
        write_eml(folder / f"{n}.eml", email(sender=sender, to=to, subject=f"Note {n}",
                                             message_id=f"<{folder.name}-{n}@x.example>",
                                             date=sent))
    import_mail(engine, folder, party=party, production=production,
                bates_prefix=f"{folder.name.upper()}-")


def test_kept_counts_follow_imports_aliases_and_removals(case: Engine, tmp_path: Path) -> None:
    _same_as_direct(case)
    assert _kept(case)  # the load filled them
    own = {r for r in _kept(case) if r[0] == r[1]}
    assert {r[3] for r in own} == {"Alice Able", "Bob Baker", "Carol Cole"}
    before = _others_of_alice(case)

    # An import into the case: only its production is counted.
    _import(case, tmp_path / "mail", "bob", "Bob Mail", [
        ("A. Able <aa@elsewhere.example>", "Bob Baker <bob@b.example>", dt.date(2017, 2, 14)),
        ("Bob Baker <bob@b.example>", "Alice Able <alice@a.example>", dt.date(2017, 6, 1)),
    ])
    assert _state(case)["full"] is False
    _same_as_direct(case)
    after_import = _others_of_alice(case)
    assert sum(after_import["Bob Baker"]) == sum(before["Bob Baker"]) + 1  # June's reply

    # A name for Alice links "A. Able" on the February note: everything is recounted.
    add_aliases(case, "alice", ["A. Able"])
    assert _state(case)["full"] is True  # refreshed by the write, before any read
    _same_as_direct(case)
    assert sum(_others_of_alice(case)["Bob Baker"]) == sum(after_import["Bob Baker"]) + 1

    # Removing a production removes its rows, and the rest still add up.
    with case.connect() as connection:
        bob_mail = connection.execute(sa.select(t.production.c.id).where(
            t.production.c.slug == "bob-mail")).scalar_one()
    remove_production(case, "bob-mail")
    assert _state(case)["full"] is False  # nothing else changed: nothing else recounted
    assert all(r[2] != bob_mail for r in _kept(case))
    _same_as_direct(case)
    assert _others_of_alice(case) == before

    # The next import may take the removed documents' ids (SQLite numbers from max(id) + 1).
    _import(case, tmp_path / "again", "carol", "Carol Mail", [
        ("Carol Cole <carol@c.example>", "Alice Able <alice@a.example>", dt.date(2017, 7, 1)),
    ])
    assert _state(case)["full"] is False
    _same_as_direct(case)
    assert sum(_others_of_alice(case)["Carol Cole"]) == sum(before["Carol Cole"]) + 1


def test_either_way_of_counting_an_import_gives_the_same_rows(case: Engine) -> None:
    """``_count`` starts from the linked participants when they are few against the
    productions' documents (SQLite), else from the documents: the rows are the same."""
    from gaptrack.gaps.coverage_counts import _count, _linked_first

    cc = t.coverage_count
    with case.connect() as connection:
        productions = list(connection.execute(sa.select(t.production.c.id)).scalars())
        assert _linked_first(connection, 10**9) is (connection.dialect.name == "sqlite")
        assert _linked_first(connection, 0) is False
        for production in productions:
            kept = set(connection.execute(sa.select(cc).where(cc.c.production_id == production)))
            for documents in (0, 10**9):  # documents first, then linked participants first
                with connection.begin_nested() if connection.in_transaction() \
                        else connection.begin() as transaction:
                    connection.execute(sa.delete(cc).where(cc.c.production_id == production))
                    _count(connection, [production], documents)
                    again = set(connection.execute(
                        sa.select(cc).where(cc.c.production_id == production)))
                    transaction.rollback()
                assert again == kept, (production, documents)
        assert any(r[0] != r[1] for r in connection.execute(sa.select(cc)))  # others rows too
