"""The case view's read models: what every screen, report and letter receives (plain values,
never ORM rows). Built by :mod:`gaptrack.service.views`."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from gaptrack.gaps.ledger import OPEN
from gaptrack.gaps.model import Gap, GapKind, MatchKey, PartySummary, RequestStatus
from gaptrack.models.enums import KnownStatus


class KnownView(BaseModel):
    """A known item as it stands on the date: ``status`` is ``produced`` once a copy matched,
    whatever was recorded; ``recorded_status`` is what staff set."""

    slug: str
    party: str
    request: str | None
    item: str | None
    description: str
    basis: str
    status: KnownStatus
    recorded_status: KnownStatus
    status_reason: str | None
    basis_bates: str | None
    produced_bates: str | None
    match_key: MatchKey | None
    counted: bool  # counts in "known items produced" (withdrawn items do not)
    version: int = 1  # what an action on it names (optimistic concurrency, service.actions)
    produced_id: int | None = None  # the document ``produced_bates`` names (progress dates it)


class PartyStatus(BaseModel):
    """A party's line and ledger: what the main screen, the party header and ``status`` show
    (kept after each write for the watched dates: :mod:`gaptrack.service.view_store`)."""

    summary: PartySummary
    ledger: list[RequestStatus]

    @property
    def slug(self) -> str:
        return self.summary.party

    def open_items(self) -> int:
        return sum(1 for r in self.ledger for i in r.items if i.status in OPEN)


class PartyView(PartyStatus):
    gaps: list[Gap]
    known: list[KnownView]

    def item_gaps(self, request: str, item: str) -> list[Gap]:
        """The gaps of an item and of every earlier item it renews (as its ledger row counts
        them): a renewed item shows what was outstanding since the first letter."""
        refs = {f"{request}#{item}"}
        for row in self.ledger:
            for status in row.items:
                if row.request == request and status.item == item:
                    refs.update(status.history)
        return [g for g in self.gaps if refs & _item_refs(g)]

    def ledger_with_gaps(self) -> list[RequestStatus]:
        """The ledger cut to the items that have a gap in this view (for ``--kind``)."""
        out = []
        for row in self.ledger:
            items = [i for i in row.items if self.item_gaps(row.request, i.item)]
            if items:
                out.append(row.model_copy(update={"items": items}))
        return out


def _item_refs(gap: Gap) -> set[str]:
    """``request#item`` for each item a gap names (an overdue gap names several)."""
    if not gap.request or not gap.item:
        return set()
    return {f"{gap.request}#{n.strip()}" for n in gap.item.split(",")}


class CaseView(BaseModel):
    as_of: dt.date
    party: str | None = None  # filters, as resolved slugs
    committee: str | None = None
    request: str | None = None
    kinds: list[GapKind] = Field(default_factory=list)  # empty: every kind
    parties: list[PartyView]

    @property
    def gaps(self) -> list[Gap]:
        return [g for p in self.parties for g in p.gaps]

    @property
    def ledger(self) -> list[RequestStatus]:
        return sorted(
            (r for p in self.parties for r in p.ledger),
            key=lambda s: (s.party, s.date_sent, s.request),
        )

    def status_rows(self) -> list[RequestStatus]:
        """What ``status`` lists: the ledger, cut to items with a gap when kinds are chosen."""
        if not self.kinds:
            return self.ledger
        rows = [r for p in self.parties for r in p.ledger_with_gaps()]
        return sorted(rows, key=lambda s: (s.party, s.date_sent, s.request))

    @property
    def summaries(self) -> list[PartySummary]:
        return [p.summary for p in self.parties if p.summary.requests]

    def overdue_deadlines(self) -> set[tuple[str, str, dt.date]]:
        """(party, request, deadline) of every overdue gap: a deadline that passed with an
        item still open on it."""
        return {
            (g.party, g.request, g.date)
            for g in self.gaps
            if g.kind is GapKind.OVERDUE and g.request and g.date
        }

    def party_view(self, slug: str) -> PartyView | None:
        return next((p for p in self.parties if p.slug == slug), None)
