"""A party's progress over time: documents produced and known items produced, by date, against
each deadline of the letters it was sent — for the party screen's chart and the status report.

Documents count on the date their production was received. A known item counts as produced
on the date the production holding its matching copy (or the document staff linked) was
received; one marked produced by hand with no document has no date of its own and counts
from the as-of date. The figures as of the as-of date are the case view's (the same known
items, the same "produced"), so the chart ends where the party's header does.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection, Engine

from gaptrack.gaps import sql as t
from gaptrack.models.enums import KnownStatus
from gaptrack.service.view_model import PartyView


class ProgressPoint(BaseModel):
    date: dt.date
    documents: int  # produced by this date (cumulative)
    known_produced: int  # known items produced by this date (cumulative)


class DeadlineProgress(BaseModel):
    request: str
    deadline: dt.date
    passed: bool  # before the as-of date
    documents: int  # produced by the deadline
    known_produced: int  # known items produced by the deadline
    known_total: int  # the party's known items (as of the as-of date)


class PartyProgress(BaseModel):
    party: str
    name: str
    as_of: dt.date
    start: dt.date | None  # the first letter (or production, if earlier)
    points: list[ProgressPoint]  # one per date something was received, oldest first
    deadlines: list[DeadlineProgress]
    known_total: int

    def at(self, day: dt.date) -> tuple[int, int]:
        """(documents, known items produced) by ``day``."""
        i = bisect.bisect_right([p.date for p in self.points], day)
        return (self.points[i - 1].documents, self.points[i - 1].known_produced) if i else (0, 0)

    def series(self, width: int) -> tuple[list[dt.date], list[int], list[int]]:
        """``width`` evenly spaced days from the start to the as-of date, with the documents
        and known items produced by each (what a chart of that width draws)."""
        if self.start is None or width < 1:
            return [], [], []
        span = max((self.as_of - self.start).days, 0)
        days = [self.start + dt.timedelta(days=round(span * i / max(width - 1, 1)))
                for i in range(width)]
        values = [self.at(d) for d in days]
        return days, [v[0] for v in values], [v[1] for v in values]


def _receipts(connection: Connection, party_id: int, as_of: dt.date) -> Counter[dt.date]:
    d, pr = t.document, t.production
    return Counter({
        row[0]: int(row[1])
        for row in connection.execute(
            sa.select(pr.c.date_received, sa.func.count(d.c.id))
            .select_from(pr.join(d, d.c.production_id == pr.c.id))
            .where(pr.c.party_id == party_id, pr.c.date_received <= as_of)
            .group_by(pr.c.date_received)
        )
    })


def _received_on(connection: Connection, party_id: int, ids: set[int]) -> dict[int, dt.date]:
    """The receipt date of each of the party's documents named by id (by the primary key:
    a Bates label has no index, and a party can hold a million documents)."""
    d, pr = t.document, t.production
    if not ids:
        return {}
    return {
        int(row[0]): row[1]
        for row in connection.execute(
            sa.select(d.c.id, pr.c.date_received)
            .select_from(d.join(pr, pr.c.id == d.c.production_id))
            .where(d.c.party_id == party_id, d.c.id.in_(sorted(ids)))
        )
    }


def party_progress(engine: Engine, view: PartyView, as_of: dt.date) -> PartyProgress:
    """The progress of the party ``view`` shows (a case view's party, as of ``as_of``)."""
    produced = [k for k in view.known if k.counted and k.status is KnownStatus.PRODUCED]
    with engine.connect() as connection:
        party_id = connection.execute(
            sa.select(t.party.c.id).where(t.party.c.slug == view.slug)
        ).scalar_one_or_none()
        documents = _receipts(connection, party_id, as_of) if party_id else Counter()
        received = _received_on(
            connection, party_id or 0, {k.produced_id for k in produced if k.produced_id}
        )
    known = Counter(
        min(received.get(k.produced_id or 0, as_of), as_of) for k in produced
    )
    dates = sorted(set(documents) | set(known))
    points: list[ProgressPoint] = []
    docs = found = 0
    for day in dates:
        docs, found = docs + documents[day], found + known[day]
        points.append(ProgressPoint(date=day, documents=docs, known_produced=found))
    firsts = [r.date_sent for r in view.ledger] + dates[:1]
    out = PartyProgress(
        party=view.slug, name=view.summary.name, as_of=as_of,
        start=min(firsts) if firsts else None, points=points, deadlines=[],
        known_total=view.summary.known_total,
    )
    for row in sorted(view.ledger, key=lambda r: (r.deadline or dt.date.max, r.request)):
        if row.deadline is None:
            continue
        by = out.at(min(row.deadline, as_of))
        out.deadlines.append(DeadlineProgress(
            request=row.request, deadline=row.deadline, passed=row.deadline < as_of,
            documents=by[0], known_produced=by[1], known_total=out.known_total,
        ))
    return out


def progress_for(engine: Engine, *, party: str, as_of: dt.date) -> PartyProgress:
    """A party's progress from its case view (the party screen's, so no second engine run)."""
    from gaptrack.service.views import case_view

    view = case_view(engine, as_of=as_of, party=party).party_view(party)
    if view is None:
        from gaptrack.errors import NotFoundError

        raise NotFoundError(f"no party {party!r} was sent a letter by {as_of.isoformat()}")
    return party_progress(engine, view, as_of)
