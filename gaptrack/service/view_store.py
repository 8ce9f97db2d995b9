"""The case view's status part, kept in the database after each write for the watched dates.

``gaptrack status`` and the TUI's main screen and party header need only each party's line and
ledger, but those rest on every gap (seconds of gap engine at a million documents). So after
every write (:func:`refresh_snapshots`, called where derived facts are refreshed and after each
action) the whole case's view is computed for each watched date and its status part stored in
the ``derived_state`` row ``case_view_status``, with the data stamp it was computed at
(:func:`gaptrack.service.views.data_stamp`). A read uses the row only while that stamp is the
database's (any later write moves it; the row itself is left out of the stamp), for a date it
holds, for the whole case or one party; anything else is computed live as before. Reads never
write it.

The watched dates: the date of the write (the clock: what ``status`` and the TUI default to)
and up to :data:`WATCHED` dates asked for with :func:`watch` (``gaptrack db watch --as-of``),
kept across refreshes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.engine import Connection, Engine

from gaptrack.gaps import sql as t
from gaptrack.gaps.derived_state import read_state, write_state
from gaptrack.gaps.model import RequestStatus
from gaptrack.gaps.scope import Scope
from gaptrack.service.view_model import PartyStatus

STATE = "case_view_status"
WATCHED = 3  # dates asked for with watch(), newest kept
_PARTIES = TypeAdapter(list[PartyStatus])


def _stamp(connection: Connection) -> list[str | None]:
    from gaptrack.service.views import data_stamp

    return [None if v is None else str(v) for v in data_stamp(connection)]


def stored_parties(engine: Engine, as_of: dt.date) -> list[PartyStatus] | None:
    """Every party's line and ledger as of ``as_of``, as kept after the last write; None when
    that date is not kept or the data changed since."""
    with engine.connect() as connection:
        data = read_state(connection, STATE)
        if data is None or as_of.isoformat() not in data.get("views", {}):
            return None
        if data.get("stamp") != _stamp(connection):
            return None
    return _PARTIES.validate_python(data["views"][as_of.isoformat()])


def stored_status(
    engine: Engine, *, as_of: dt.date, party: str | None = None, committee: str | None = None,
    request: str | None = None, kinds: Iterable[Any] | None = None,
) -> list[PartyStatus] | None:
    """The parties' lines and ledgers of a ``status`` of the whole case or of one party
    (``party`` as typed: unknown names raise ``NotFoundError``) as kept; None when they are
    not kept for it (another scope or date, or a write since)."""
    if committee or request or kinds:
        return None
    slug = None
    if party:
        from sqlmodel import Session

        from gaptrack.models import Party
        from gaptrack.service.lookup import resolve

        with Session(engine) as session:
            slug = resolve(session, Party, party).slug
    parties = stored_parties(engine, as_of)
    if parties is None or slug is None:
        return parties
    return [p for p in parties if p.slug == slug]


def ledger_of(parties: list[PartyStatus]) -> list[RequestStatus]:
    """Their ledgers in the case view's order (``CaseView.ledger``)."""
    rows = (r for p in parties for r in p.ledger)
    return sorted(rows, key=lambda s: (s.party, s.date_sent, s.request))


def stored_party(engine: Engine, party: str, as_of: dt.date) -> PartyStatus | None:
    """One party's line and ledger (``party``: its slug) as kept, or None as above."""
    parties = stored_parties(engine, as_of)
    if parties is None:
        return None
    return next((p for p in parties if p.slug == party), None)


def watch(engine: Engine, dates: list[dt.date]) -> None:
    """Keep the status part for these dates too, from now on (computed now)."""
    refresh_snapshots(engine, add=dates)


_DEFERRED: ContextVar[list[Engine] | None] = ContextVar("view_store_deferred", default=None)


@contextmanager
def refresh_deferred() -> Iterator[list[Engine]]:
    """Inside, writes leave the refresh to the caller (the engines it owes are listed), so a
    face can say the action is done first: the TUI (``tui/runner.py``) refreshes right after,
    before its screens reload."""
    pending: list[Engine] = []
    token = _DEFERRED.set(pending)
    try:
        yield pending
    finally:
        _DEFERRED.reset(token)


def refresh_pending(pending: list[Engine]) -> None:
    """The refreshes a :func:`refresh_deferred` block owes (each engine once)."""
    for engine in dict.fromkeys(pending):
        refresh_snapshots(engine)


def refresh_snapshots(engine: Engine, *, add: list[dt.date] | None = None,
                      today: dt.date | None = None) -> None:
    """Recompute and store the status part for every watched date (after a write)."""
    pending = _DEFERRED.get()
    if pending is not None and not add:
        pending.append(engine)
        return
    with engine.connect() as connection:  # reads only: no write lock while computing
        if connection.execute(sa.select(t.request.c.id).limit(1)).first() is None:
            # No letter yet (a first import into a new case): nothing a status would list,
            # and an import's time is not spent on it; reads compute live meanwhile.
            return
        old = read_state(connection, STATE) or {}
        fresh = {x.isoformat() for x in add or []}
        watched = [d for d in old.get("watched", []) if d not in fresh]
        watched = (watched + [d.isoformat() for d in add or []])[-WATCHED:]
        day = (today or dt.date.today()).isoformat()  # the clock only picks a date to keep
        stamp = _stamp(connection)  # before computing: a write meanwhile moves it
        dates = list(dict.fromkeys([*watched, day]))
        current = old.get("views", {}) if old.get("stamp") == stamp else {}
        if set(current) == set(dates) and old.get("watched") == watched:
            return  # nothing changed since they were kept
        kept = {when: current[when] if when in current
                else _computed(engine, connection, dt.date.fromisoformat(when))
                for when in dates}
    try:
        with engine.begin() as connection:
            write_state(connection, STATE, {"stamp": stamp, "watched": watched, "views": kept})
    except sa.exc.IntegrityError:
        # Another process stored its own first: either row is read only while its stamp is
        # the database's, so neither can be read stale; the write that called this stands.
        pass


def _computed(engine: Engine, connection: Connection, as_of: dt.date) -> list[Any]:
    """The whole case's view as of ``as_of`` (kept in this process's view cache too, so the
    face that made the write reads it again for free), its status part as JSON."""
    from gaptrack.service import views

    view = views.build_view(connection, Scope(as_of=as_of, dialect=engine.dialect.name))
    views.keep((str(engine.url), views.data_stamp(connection), as_of, None, None, None), view)
    return [PartyStatus(summary=p.summary, ledger=p.ledger).model_dump(mode="json")
            for p in view.parties]


P = ParamSpec("P")
R = TypeVar("R")


def after_write(fn: Callable[Concatenate[Engine, P], R]) -> Callable[Concatenate[Engine, P], R]:
    """An action that writes, followed by :func:`refresh_snapshots` (once it committed)."""

    @functools.wraps(fn)
    def wrapper(engine: Engine, /, *args: P.args, **kwargs: P.kwargs) -> R:
        result = fn(engine, *args, **kwargs)
        refresh_snapshots(engine)
        return result

    return wrapper
