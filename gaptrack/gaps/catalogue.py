"""What the gap engine reads once per computation to name things (parties, items, privilege
entries), how each known item stands, and the engine's result."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.model import Gap, MatchKey
from gaptrack.gaps.scope import Scope


@dataclass(frozen=True, slots=True)
class PartyInfo:
    id: int
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class ItemInfo:
    id: int
    request_id: int
    request: str
    committee: str
    number: str
    position: int
    text: str
    date_sent: dt.date
    renews_item_id: int | None
    deadline: dt.date | None


@dataclass(frozen=True, slots=True)
class KnownState:
    """How one known item stands as of the date (the ledger counts these)."""

    slug: str
    party_id: int
    item_id: int | None
    produced: bool
    match_key: MatchKey | None
    copy_id: int | None
    withheld: bool = False  # not produced, and logged as privileged (or marked withheld)


@dataclass(slots=True)
class Catalogue:
    """The small tables, read once per computation, to name things in gaps and reports."""

    parties: dict[int, PartyInfo]
    items: dict[int, ItemInfo]
    privilege: dict[int, tuple[str, str, str | None]]  # id -> (entry_no, privilege, description)

    @classmethod
    def load(cls, connection: Connection) -> Catalogue:
        parties = {
            int(r.id): PartyInfo(int(r.id), r.slug, r.name)
            for r in connection.execute(sa.select(t.party.c.id, t.party.c.slug, t.party.c.name))
        }
        ri, rq, cm = t.item, t.request, t.committee
        items = {
            int(r.id): ItemInfo(
                int(r.id),
                int(r.request_id),
                r.request,
                r.committee,
                r.number,
                int(r.position or 0),
                r.text,
                r.date_sent,
                r.renews_item_id,
                r.deadline,
            )
            for r in connection.execute(
                sa.select(
                    ri.c.id,
                    ri.c.request_id,
                    rq.c.slug.label("request"),
                    cm.c.slug.label("committee"),
                    ri.c.number,
                    ri.c.position,
                    ri.c.text,
                    rq.c.date_sent,
                    ri.c.renews_item_id,
                    ri.c.deadline,
                ).select_from(
                    ri.join(rq, rq.c.id == ri.c.request_id).join(cm, cm.c.id == rq.c.committee_id)
                )
            )
        }
        pe = t.privilege
        privilege = {
            int(r.id): (r.entry_no, r.privilege, r.description)
            for r in connection.execute(
                sa.select(pe.c.id, pe.c.entry_no, pe.c.privilege, pe.c.description)
            )
        }
        return cls(parties, items, privilege)

    def items_by_request(self) -> dict[int, list[ItemInfo]]:
        """Each letter's items, in their order on the letter."""
        out: dict[int, list[ItemInfo]] = defaultdict(list)
        for info in sorted(self.items.values(), key=lambda i: (i.position, i.number)):
            out[info.request_id].append(info)
        return out

    def entry_text(self, entry_id: int) -> str:
        number, privilege, description = self.privilege[entry_id]
        text = f"entry {number}: {privilege}"
        return f"{text} ({description})" if description else text


@dataclass(slots=True)
class GapResult:
    gaps: list[Gap]
    known: list[KnownState] = field(default_factory=list)
    catalogue: Catalogue | None = None
    scope: Scope | None = None  # as computed (with ``all_received`` settled)


def as_date(value: Any) -> dt.date | None:
    """The UTC calendar date of a value read from the database (a date, a datetime, or
    SQLite's text)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    return dt.date.fromisoformat(text[:10])
