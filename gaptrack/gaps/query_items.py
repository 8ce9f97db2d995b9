"""Item-level gaps: nothing produced for an item, and deadlines passed without certification.

Both range over the *active* items requested of each party as of the date: the letter had been
sent, and no later letter sent by then renewed the item (the renewal carries the history, and
documents produced for any item of the chain count for it).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gaptrack.gaps import sql as t
from gaptrack.gaps.scope import (
    Scope,
    party_filter,
    received_by,
    renewal_chain,
    request_filters,
    superseded,
)


def _active_items(scope: Scope, *columns: Any) -> Any:
    ri, rq, rr = t.item, t.request, t.recipient
    return (
        sa.select(
            rr.c.party_id.label("party_id"),
            ri.c.id.label("item_id"),
            sa.func.coalesce(ri.c.deadline, rq.c.deadline).label("deadline"),
            *columns,
        )
        .select_from(ri.join(rq, rq.c.id == ri.c.request_id).join(rr, rr.c.request_id == rq.c.id))
        .where(
            *request_filters(rq, scope),
            *party_filter(rr.c.party_id, scope),
            ~superseded(ri.c.id, scope),
            # A withdrawn letter (a subpoena) asks for nothing from the day it was withdrawn.
            sa.or_(rq.c.withdrawn_on.is_(None), rq.c.withdrawn_on > scope.as_of),
        )
    )


def _certified(chain: Any, scope: Scope) -> Any:
    ic = t.certification
    return sa.exists().where(
        chain.c.item_id == t.item.c.id,
        ic.c.item_id == chain.c.member_id,
        ic.c.party_id == t.recipient.c.party_id,
        ic.c.date <= scope.as_of,
    )


def nothing_produced(scope: Scope) -> Any:
    """Rows: party_id, item_id, deadline, withheld_id (an item-level privilege entry)."""
    chain = renewal_chain()
    produced_chain = chain.alias("produced_chain")
    di, d, pr, pe = t.document_item, t.document, t.production, t.privilege
    rr = t.recipient
    logged_in = t.production.alias("logged_in")
    withheld = (
        sa.select(sa.func.min(pe.c.id))
        .select_from(pe.join(chain, chain.c.member_id == pe.c.item_id))
        .where(
            chain.c.item_id == t.item.c.id,
            pe.c.party_id == rr.c.party_id,
            sa.or_(
                pe.c.production_id.is_(None),
                sa.exists().where(
                    logged_in.c.id == pe.c.production_id,
                    logged_in.c.date_received <= scope.as_of,
                ),
            ),
        )
        .scalar_subquery()
    )
    anything = (
        sa.exists()
        .select_from(
            produced_chain.join(di, di.c.item_id == produced_chain.c.member_id)
            .join(d, d.c.id == di.c.document_id)
            .join(pr, pr.c.id == d.c.production_id)
        )
        .where(
            produced_chain.c.item_id == t.item.c.id,
            d.c.party_id == rr.c.party_id,
            received_by(pr, scope),
        )
    )
    return _active_items(scope, withheld.label("withheld_id")).where(
        ~anything, ~_certified(chain.alias("certified_chain"), scope)
    )


def overdue(scope: Scope) -> Any:
    """Rows: party_id, item_id, deadline — past, with neither the item nor the request
    certified complete (a certified-complete production answering the letter) by then."""
    chain = renewal_chain()
    pq, pr, rq, rr, ri = t.production_request, t.production, t.request, t.recipient, t.item
    complete = (
        sa.exists()
        .select_from(pq.join(pr, pr.c.id == pq.c.production_id))
        .where(
            pq.c.request_id == rq.c.id,
            pr.c.party_id == rr.c.party_id,
            pr.c.certified_complete.is_(True),
            received_by(pr, scope),
        )
    )
    deadline = sa.func.coalesce(ri.c.deadline, rq.c.deadline)
    return _active_items(scope).where(
        deadline.is_not(None),
        deadline < scope.as_of,
        ~complete,
        ~_certified(chain, scope),
    )
