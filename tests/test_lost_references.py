"""The kept lost references (gaptrack.gaps.lost_references) follow every write that can move
them, and always equal the rows a rebuild from scratch would make, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gaptrack.gaps import sql as t
from gaptrack.gaps.lost_references import STATE, refresh_lost_references
from gaptrack.service import gaps
from gaptrack.service.productions import remove_production
from tests.gapcase import BEFORE_DEADLINE, CASE, load_case

LOST = "<lost-original@a.example>"
# Dave's volume arrives on 1 March with the original Carol's reply points at, and with a
# reply of his own to an email Bob's volume (received 1 February) already holds.
DAVE = """
  - slug: dave-vol1
    party: dave
    volume: DAVE001
    date_received: 2017-03-01
    bates_prefix: DAVE-
    documents:
      - bates: DAVE-0001
        type: email
        date_sent: 2017-01-09 17:00:00
        from: Alice Able <alice@a.example>
        to: [Carol Cole <carol@c.example>, Dave Doe <dave@d.example>]
        subject: Pipeline call
        message_id: <lost-original@a.example>
        text: Can we talk about the pipeline on Monday?
      - bates: DAVE-0002
        type: email
        date_sent: 2017-01-06 09:00:00
        from: Dave Doe <dave@d.example>
        to: [Bob Baker <bob@b.example>]
        subject: "RE: Route options"
        message_id: <d2@d.example>
        in_reply_to: <m4@b.example>
        text: The northern route, then.
"""


def _refresh(connection: Connection) -> bool:
    """refresh_lost_references as refresh_derived calls it (the documents read first)."""
    d = t.document
    top = connection.execute(sa.select(sa.func.coalesce(sa.func.max(d.c.id), 0))).scalar_one()
    count = connection.execute(sa.select(sa.func.count()).select_from(d)).scalar_one()
    return refresh_lost_references(connection, top=int(top), documents=int(count))


def _kept(engine: Engine) -> list[tuple[object, ...]]:
    lr = t.lost_reference
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(lr.c.document_id, lr.c.mih, lr.c.message_id, lr.c.answered_on)
            .order_by(lr.c.document_id, lr.c.mih)
        ).all()
    return [tuple(r) for r in rows]


def _rebuilt(engine: Engine) -> list[tuple[object, ...]]:
    """What a refresh with no memory of earlier ones makes (in a transaction rolled back)."""
    lr, ds = t.lost_reference, t.derived_state
    with engine.connect() as connection, connection.begin() as transaction:
        connection.execute(sa.delete(ds).where(ds.c.name == STATE))
        assert _refresh(connection)
        rows = connection.execute(
            sa.select(lr.c.document_id, lr.c.mih, lr.c.message_id, lr.c.answered_on)
            .order_by(lr.c.document_id, lr.c.mih)
        ).all()
        transaction.rollback()
    return [tuple(r) for r in rows]


def _answered(engine: Engine) -> dict[str, dt.date | None]:
    lr = t.lost_reference
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(lr.c.message_id, lr.c.answered_on)).all())


def _referenced(engine: Engine, as_of: dt.date) -> list[str]:
    found = gaps.find_gaps(engine, as_of=as_of, kinds=["referenced-unproduced"])
    return [g.title for g in found]


def test_kept_rows_follow_imports_and_removals(engine: Engine, tmp_path: Path) -> None:
    load_case(engine, tmp_path)
    assert _answered(engine) == {LOST: None}
    assert _kept(engine) == _rebuilt(engine)
    assert _referenced(engine, BEFORE_DEADLINE) == [f"Email {LOST}"]

    # A later volume holds the original: answered from its arrival on, not before.
    marker = "known_items:"
    load_case(engine, tmp_path, CASE.replace(marker, DAVE.lstrip("\n") + marker, 1))
    assert _answered(engine) == {LOST: dt.date(2017, 3, 1)}  # Dave's own reply: answered
    assert _kept(engine) == _rebuilt(engine)
    assert _referenced(engine, dt.date(2017, 2, 28)) == [f"Email {LOST}"]
    assert _referenced(engine, dt.date(2017, 3, 1)) == []

    # Removing that volume takes the answer away again (and its own references with it).
    remove_production(engine, "dave-vol1")
    assert _answered(engine) == {LOST: None}
    assert _kept(engine) == _rebuilt(engine)
    assert _referenced(engine, dt.date(2017, 3, 1)) == [f"Email {LOST}"]


def test_refresh_without_changes_does_nothing(engine: Engine, tmp_path: Path) -> None:
    load_case(engine, tmp_path)
    with engine.begin() as connection:
        assert not _refresh(connection)


def test_an_upgraded_database_shows_its_lost_references_at_once(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Reads never derive: opening a database that an upgrade gives a new derived table
    derives it, so no gap is missing until the next write."""
    from alembic import command

    from gaptrack.db import alembic_config, open_existing

    load_case(engine, tmp_path)
    command.downgrade(alembic_config(engine), "0007_coverage")  # before lost_reference
    engine.dispose()
    reopened = open_existing(db_url)
    try:
        assert _answered(reopened) == {LOST: None}
        assert _referenced(reopened, BEFORE_DEADLINE) == [f"Email {LOST}"]
    finally:
        reopened.dispose()


def test_db_upgrade_derives_what_the_upgrade_added(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """``gaptrack db upgrade`` (not only opening) leaves the new derived table filled."""
    from alembic import command

    from gaptrack.db import alembic_config
    from tests.support import cli

    load_case(engine, tmp_path)
    command.downgrade(alembic_config(engine), "0007_coverage")
    engine.dispose()
    ran = cli(db_url, "db", "upgrade")
    assert ran.returncode == 0, ran.stderr
    assert _answered(engine) == {LOST: None}
    engine.dispose()
