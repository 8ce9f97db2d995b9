"""What one gap computation is about: the date it is "as of" and the filters, plus the
predicates every gap query shares (what had been produced, and asked for, by that date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gaptrack.gaps import sql as t
from gaptrack.matching import FINGERPRINT_TOLERANCE_SECONDS


@dataclass(frozen=True, slots=True)
class Scope:
    as_of: dt.date
    dialect: str
    party_id: int | None = None
    committee_id: int | None = None
    request_id: int | None = None
    tolerance_seconds: int = FINGERPRINT_TOLERANCE_SECONDS
    # Every production had arrived by ``as_of`` (the usual case: "as of today"). The queries
    # then leave out the join to ``production`` that only served the as-of filter.
    all_received: bool = False

    @property
    def narrowed_to_requests(self) -> bool:
        return self.committee_id is not None or self.request_id is not None


def received_by(production: Any, scope: Scope) -> Any:
    """The production had been received on or before ``as_of``."""
    if scope.all_received:
        return sa.true()
    return production.c.date_received <= scope.as_of


def latest_receipt(connection: Any) -> Any:
    """The date the last production arrived (None for an empty database)."""
    return connection.execute(sa.select(sa.func.max(t.production.c.date_received))).scalar()


def request_filters(request: Any, scope: Scope) -> list[Any]:
    """The letter had been sent by ``as_of`` and matches the committee / request filters."""
    found: list[Any] = [request.c.date_sent <= scope.as_of]
    if scope.committee_id is not None:
        found.append(request.c.committee_id == scope.committee_id)
    if scope.request_id is not None:
        found.append(request.c.id == scope.request_id)
    return found


def party_filter(column: Any, scope: Scope) -> list[Any]:
    return [column == scope.party_id] if scope.party_id is not None else []


def renewal_chain() -> Any:
    """``(item_id, member_id)``: every item with itself and each item it renews, transitively."""
    i = t.item
    base = sa.select(i.c.id.label("item_id"), i.c.id.label("member_id")).cte(
        "chain", recursive=True
    )
    step = sa.select(base.c.item_id, i.c.renews_item_id).where(
        i.c.id == base.c.member_id, i.c.renews_item_id.is_not(None)
    )
    return base.union_all(step)


def superseded(item_col: Any, scope: Scope) -> Any:
    """A later letter, sent by ``as_of``, renewed this item: report on the renewal instead."""
    later = t.item.alias("later")
    later_request = t.request.alias("later_request")
    return sa.exists().where(
        later.c.renews_item_id == item_col,
        later_request.c.id == later.c.request_id,
        later_request.c.date_sent <= scope.as_of,
    )
