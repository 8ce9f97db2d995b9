"""Changes to a letter after it was sent: the committee withdraws it (a subpoena)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from gaptrack.db import session_scope
from gaptrack.errors import ConflictError
from gaptrack.models import Request
from gaptrack.service.actions import ActionResult
from gaptrack.service.events import record
from gaptrack.service.lookup import resolve

WITHDRAW = "request.withdraw"


def withdraw_letter(
    engine: Engine, request: str, *, on: dt.date, actor: str, reason: str | None = None
) -> ActionResult:
    """The committee withdrew ``request`` on ``on``: from that date its items stand
    "withdrawn" in the ledger and it owes no gap. Recorded as an event."""
    with session_scope(engine) as session:
        letter = resolve(session, Request, request)
        if letter.withdrawn_on is not None:
            raise ConflictError(f"{letter.slug} was already withdrawn on {letter.withdrawn_on}")
        if on < letter.date_sent:
            raise ConflictError(f"{letter.slug} was sent on {letter.date_sent}, after {on}")
        letter.withdrawn_on, letter.withdrawn_reason = on, reason
        session.add(letter)
        event = record(
            session, actor=actor, action=WITHDRAW, entity="request", entity_id=letter.id,
            key=letter.slug, reason=reason, data={"withdrawn_on": on.isoformat()},
        )
        assert event.id is not None
        return ActionResult(event_id=event.id, action=WITHDRAW,
                            summary=f"{letter.slug} withdrawn on {on.isoformat()}")
