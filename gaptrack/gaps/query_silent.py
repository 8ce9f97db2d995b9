"""``silent-period`` gaps: months in which other parties' productions show party P active
and P's own production is silent or falls sharply (:mod:`gaptrack.coverage`).

A flagged month is a gap only when a request item asked of P (by ``as_of``) has a date
range covering part of it: the silence then concerns documents that were requested. The
gap names the first such item (all of them in its summary) and carries the other parties'
documents from that month as its evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.coverage import Period, coverage, label, period_end
from gaptrack.gaps import sql as t
from gaptrack.gaps.model import Evidence, Gap, GapKind
from gaptrack.gaps.scope import Scope, request_filters

EVIDENCE_LIMIT = 50  # Bates numbers listed per gap (the summary gives the full count)


def asked_items(scope: Scope) -> Any:
    """The query behind the kind: (party, item, request, date range) of every item asked of
    a party in ``scope``, in letter order; the months are then read per party."""
    ri, rq, rr = t.item, t.request, t.recipient
    query = (
        sa.select(rr.c.party_id, ri.c.id, ri.c.number, rq.c.slug, ri.c.date_from, ri.c.date_to)
        .select_from(ri.join(rq, rq.c.id == ri.c.request_id)
                     .join(rr, rr.c.request_id == rq.c.id))
        .where(*request_filters(rq, scope))
        .order_by(rr.c.party_id, rq.c.date_sent, rq.c.slug, ri.c.position, ri.c.id)
    )
    if scope.party_id is not None:
        query = query.where(rr.c.party_id == scope.party_id)
    return query


def _asked(connection: Connection, scope: Scope) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for row in connection.execute(asked_items(scope)):
        out.setdefault(int(row.party_id), []).append(row)
    return out


def _evidence(
    connection: Connection, party_id: int, start: dt.date, end: dt.date
) -> list[tuple[int, str, int]]:
    """(document id, Bates, producer id) of others' documents P is on, dated in the period."""
    d, p = t.document, t.participant
    dialect = connection.dialect.name
    day = t.date_of(sa.func.coalesce(d.c.date_sent, d.c.date_created), dialect)
    rows = connection.execute(
        sa.select(d.c.id, d.c.begin_label, d.c.party_id)
        .where(
            d.c.party_id != party_id,
            day >= start,
            day <= end,
            sa.exists().where(p.c.document_id == d.c.id, p.c.party_id == party_id),
        )
        .order_by(d.c.bates_prefix, d.c.bates_begin)
    ).all()
    return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]


def silent_period_gaps(
    connection: Connection,
    scope: Scope,
    base: Callable[[GapKind, int, int | None], dict[str, Any]],
    party_name: Callable[[int], str],
) -> list[Gap]:
    """The silent-period gaps in ``scope`` (``base`` names the party and item, as the
    engine's builder does for every kind)."""
    gaps: list[Gap] = []
    for party_id, items in _asked(connection, scope).items():
        found = coverage(connection, party_id, as_of=scope.as_of, by=Period.MONTH)
        for start, how in sorted(found.flags.items()):
            end = period_end(start, Period.MONTH)
            covering = [
                i for i in items
                if (i.date_from is None or i.date_from <= end)
                and (i.date_to is None or i.date_to >= start)
                and (i.date_from is not None or i.date_to is not None)
            ]
            if not covering:
                continue
            docs = _evidence(connection, party_id, start, end)
            producers = sorted({party_name(p) for _, _, p in docs})
            own = found.own_total(start)
            said = "produced nothing dated" if how == "silent" else (
                f"produced only {own} document{'s' if own != 1 else ''} dated"
            )
            refs = ", ".join(f"{i.slug}#{i.number}" for i in covering)
            summary = (
                f"{party_name(party_id)} {said} {label(start, Period.MONTH)}; "
                f"{', '.join(producers)} produced {len(docs)} document"
                f"{'s' if len(docs) != 1 else ''} {party_name(party_id)} was on that month. "
                f"Requested by {refs}."
            )
            gaps.append(Gap(
                key=f"silent-period:{base(GapKind.SILENT_PERIOD, party_id, None)['party']}:"
                f"{start:%Y-%m}",
                title=f"{'Silent' if how == 'silent' else 'Sharp fall in'} "
                f"{label(start, Period.MONTH)}",
                date=start,
                evidence=Evidence(
                    summary=summary,
                    basis="other-production",
                    bates=[b for _, b, _ in docs[:EVIDENCE_LIMIT]],
                    document_ids=[i for i, _, _ in docs[:EVIDENCE_LIMIT]],
                ),
                **base(GapKind.SILENT_PERIOD, party_id, int(covering[0].id)),
            ))
    return gaps
