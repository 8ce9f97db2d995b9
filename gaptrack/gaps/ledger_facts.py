"""What the status ledger is decided from, read with a few set-based queries: the letters in
scope (withdrawn? signed by the minority?), documents per item chain and per letter, the
certifications, replies, and the refusals and objections among them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.ledger_counts import document_counts as counted
from gaptrack.gaps.scope import Scope, party_filter, received_by, request_filters


@dataclass(frozen=True, slots=True)
class Letter:
    id: int
    slug: str
    title: str
    kind: str
    committee: str
    date_sent: dt.date
    deadline: dt.date | None
    follows_up: str | None
    withdrawn_on: dt.date | None = None
    withdrawn_reason: str | None = None
    minority: bool = False


MINORITY_ROLES = ("ranking member", "minority")


def document_counts(
    connection: Connection, scope: Scope, letters: Iterable[int]
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Distinct documents per (item chain, party) and per (letter, party), of the letters in
    scope: a renewed item counts its chain once, a letter a document answering three of its
    items once (kept after each write by gaps.ledger_counts; counted live when not current).
    Only productions received by ``as_of`` count."""
    pr = t.production
    received = {
        int(i) for i in connection.execute(
            sa.select(pr.c.id).where(*([] if scope.all_received else [received_by(pr, scope)]))
        ).scalars()
    }
    return counted(connection, letters=set(letters), party_id=scope.party_id, received=received)


def letters_in_scope(connection: Connection, scope: Scope) -> tuple[dict[int, Letter], list[Any]]:
    rq, rr, cm = t.request, t.recipient, t.committee
    earlier = t.request.alias("earlier")
    rows = connection.execute(
        sa.select(
            rq.c.id,
            rq.c.slug,
            rq.c.title,
            rq.c.kind,
            cm.c.slug.label("committee"),
            rq.c.date_sent,
            rq.c.deadline,
            earlier.c.slug.label("follows_up"),
            rq.c.withdrawn_on,
            rq.c.withdrawn_reason,
        )
        .select_from(
            rq.join(cm, cm.c.id == rq.c.committee_id).outerjoin(
                earlier, earlier.c.id == rq.c.follows_up_id
            )
        )
        .where(*request_filters(rq, scope))
    ).all()
    roles: dict[int, list[str]] = defaultdict(list)
    sg = t.signatory
    for request_id, role in connection.execute(sa.select(sg.c.request_id, sg.c.role)):
        roles[int(request_id)].append(str(role).lower())
    letters = {
        int(r.id): Letter(
            int(r.id), r.slug, r.title, r.kind, r.committee, r.date_sent, r.deadline,
            r.follows_up, r.withdrawn_on if r.withdrawn_on and r.withdrawn_on <= scope.as_of
            else None, r.withdrawn_reason,
            bool(roles[int(r.id)]) and all(
                any(m in role for m in MINORITY_ROLES) for role in roles[int(r.id)]
            ),
        )
        for r in rows
    }
    pairs = connection.execute(
        sa.select(rr.c.request_id, rr.c.party_id).where(
            rr.c.request_id.in_(list(letters) or [-1]), *party_filter(rr.c.party_id, scope)
        )
    ).all()
    return letters, list(pairs)


def certified(connection: Connection, scope: Scope) -> set[tuple[int, int]]:
    ic = t.certification
    return {
        (int(i), int(p))
        for i, p in connection.execute(
            sa.select(ic.c.item_id, ic.c.party_id).where(ic.c.date <= scope.as_of)
        )
    }


def replied(connection: Connection, scope: Scope) -> set[tuple[int, int | None]]:
    reply = t.reply
    return {
        (int(r), p)
        for r, p in connection.execute(
            sa.select(reply.c.request_id, reply.c.party_id).where(reply.c.date <= scope.as_of)
        )
    }


@dataclass(frozen=True, slots=True)
class Response:
    kind: str  # refusal / objection
    items: frozenset[str]  # item numbers; empty: every item of the letter
    date: dt.date
    author: str


def responses(connection: Connection, scope: Scope) -> dict[tuple[int, int | None], Response]:
    """Refusals and objections by ``as_of``, per (letter, party; None: every party)."""
    reply = t.reply
    out: dict[tuple[int, int | None], Response] = {}
    rows = connection.execute(
        sa.select(reply.c.request_id, reply.c.party_id, reply.c.response_kind,
                  reply.c.response_items, reply.c.date, reply.c.author)
        .where(reply.c.response_kind.is_not(None), reply.c.date <= scope.as_of)
        .order_by(reply.c.date, reply.c.id)
    )
    for request_id, party_id, kind, items, date, author in rows:
        key = (int(request_id), int(party_id) if party_id is not None else None)
        out[key] = Response(str(kind), frozenset((items or "").splitlines()), date, author)
    return out
