"""Run the gap queries and turn their rows into :class:`Gap` read models, in a stable order.

The queries do the set work over documents; what happens here is per *result* row (gaps,
known items, items), never per document of the corpus: naming things for people, grouping the
copies of one email that several other parties produced, and letting "withheld" replace
"missing" when a privilege-log entry matches.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy.engine import Connection

from gaptrack.collector import collector_paused
from gaptrack.gaps import sql as t
from gaptrack.gaps.catalogue import (
    Catalogue,
    GapResult,
    ItemInfo,
    KnownState,
    PartyInfo,
    as_date,
)
from gaptrack.gaps.copies import match_of
from gaptrack.gaps.kinds import ALL_KINDS, KIND_ORDER, KINDS
from gaptrack.gaps.model import Evidence, Gap, GapKind, MatchKey
from gaptrack.gaps.query_family import incomplete_family_gaps
from gaptrack.gaps.query_inferred import RANK_ROLE
from gaptrack.gaps.query_referenced import answered_by_quote
from gaptrack.gaps.query_silent import silent_period_gaps
from gaptrack.gaps.query_waiver import contradicted_gaps
from gaptrack.gaps.scope import Scope, latest_receipt
from gaptrack.gaps.unify import group_copies
from gaptrack.models.enums import KnownBasis, KnownStatus

_DIGITS = re.compile(r"(\d+)")


def checked(owner: str) -> str:
    return f"no copy among the productions of {owner} by MIH, body hash or fingerprint"


def _overdue_days(deadline: dt.date | None, as_of: dt.date) -> int | None:
    return (as_of - deadline).days if deadline is not None and deadline < as_of else None


class _Builder:
    def __init__(self, scope: Scope, catalogue: Catalogue) -> None:
        self.scope = scope
        self.cat = catalogue
        self.roots: dict[int, int] = {}

    def base(self, kind: GapKind, party_id: int, item_id: int | None) -> dict[str, Any]:
        owner = self.cat.parties[party_id]
        info = self.cat.items.get(item_id) if item_id is not None else None
        return {
            "kind": kind,
            "party": owner.slug,
            "party_name": owner.name,
            "committee": info.committee if info else None,
            "request": info.request if info else None,
            "item": info.number if info else None,
            "item_text": info.text if info else None,
        }

    def party_name(self, party_id: int) -> str:
        return self.cat.parties[party_id].name

    def root(self, item_id: int) -> int:
        """The first item of the renewal chain an item belongs to (asked once per row)."""
        root = self.roots.get(item_id)
        if root is None:
            seen: set[int] = set()
            info = self.cat.items[item_id]
            while info.renews_item_id is not None and info.id not in seen:
                seen.add(info.id)
                info = self.cat.items[info.renews_item_id]
            root = self.roots[item_id] = info.id
        return root

    def item_ref(self, item_id: int | None) -> str:
        info = self.cat.items.get(item_id) if item_id is not None else None
        return f"{info.request}#{info.number}" if info else "-"

    # -- known items -------------------------------------------------------------------------

    @staticmethod
    def known_state(row: Any) -> tuple[KnownState, bool]:
        """How a known item stands, and whether (if not produced) it is withheld."""
        key, copy_id = match_of(row) if row.basis_id is not None else (MatchKey.NONE, None)
        explicit = row.produced_document_id is not None
        produced = row.status == KnownStatus.PRODUCED.value or explicit or copy_id is not None
        match = MatchKey.EXPLICIT if explicit else (key if copy_id is not None else None)
        entry = row.privilege_entry_id or row.withheld_id
        withheld = not produced and (row.status == KnownStatus.WITHHELD.value or entry is not None)
        state = KnownState(
            row.slug, int(row.party_id), row.item_id, produced, match, copy_id, withheld
        )
        return state, withheld

    def known(self, rows: Iterable[Any]) -> tuple[list[Gap], list[KnownState]]:
        gaps: list[Gap] = []
        states: list[KnownState] = []
        for row in rows:
            state, withheld = self.known_state(row)
            states.append(state)
            if state.produced:
                continue
            owner = self.cat.parties[int(row.party_id)]
            entry = row.privilege_entry_id or row.withheld_id
            evidence = self._known_evidence(row, owner)
            if withheld:
                evidence.privilege_entry = self.cat.entry_text(int(entry)) if entry else None
                evidence.summary = (
                    f"Withheld by {owner.name}: "
                    + (evidence.privilege_entry or "status withheld")
                    + f". {evidence.summary}"
                )
            date = row.doc_date or as_date(row.basis_date)
            gaps.append(
                Gap(
                    key=f"known:{row.slug}",
                    title=row.description.strip().splitlines()[0] if row.description else row.slug,
                    date=date,
                    known_item=row.slug,
                    evidence=evidence,
                    **self.base(
                        GapKind.WITHHELD if withheld else GapKind.KNOWN_NOT_PRODUCED,
                        int(row.party_id),
                        row.item_id,
                    ),
                )
            )
        return gaps, states

    def _known_evidence(self, row: Any, owner: PartyInfo) -> Evidence:
        status = f" (status: {row.status})" if row.status != KnownStatus.OUTSTANDING.value else ""
        if row.basis_id is not None:
            producer = self.cat.parties[int(row.basis_party_id)]
            role = f"; {owner.name} is on it as {row.basis_role}" if row.basis_role else ""
            return Evidence(
                summary=f"Produced by {producer.name} as {row.basis_begin}{role}; "
                f"{checked(owner.name)}{status}.",
                basis=row.basis,
                producing_party=producer.slug,
                producing_party_name=producer.name,
                bates=[row.basis_begin],
                document_ids=[int(row.basis_id)],
                role=row.basis_role,
                match_key=MatchKey.NONE,
                citation=row.citation,
            )
        label = {
            KnownBasis.PRESUMED.value: "Presumed to exist",
            KnownBasis.TESTIMONY.value: "Known from testimony",
            KnownBasis.PRESS_REPORT.value: "Known from press reports",
        }.get(row.basis, "Known to exist")
        cited = f": {row.citation}" if row.citation else ""
        return Evidence(
            summary=f"{label}{cited}; nothing matching produced{status}.",
            basis=row.basis,
            citation=row.citation,
            role=row.basis_role,
        )

    # -- inferred ----------------------------------------------------------------------------

    def email_groups(self, rows: Iterable[Any]) -> list[list[Any]]:
        """The inferred rows, one group per gap: the copies of one email (by the union of
        their keys, gaps.unify) that other parties produced, per item chain — the same
        email under an item and under its renewal is one gap too."""
        return group_copies(rows, lambda row: (row.party_id, self.root(row.item_id)))

    def inferred(self, rows: Iterable[Any]) -> list[Gap]:
        parties, items = self.cat.parties, self.cat.items
        gaps: list[Gap] = []
        for members in self.email_groups(rows):
            members.sort(key=lambda r: (r.begin_label, r.document_id))
            first = members[0]
            chain = {r.item_id for r in members}
            # Cite the earliest letter's item, as the 2017 letter cited "the third request".
            item_id = first.item_id if len(chain) == 1 else min(
                chain, key=lambda i: (items[i].date_sent, items[i].request, i)
            )
            if len(members) > 1:  # one document answering several items is one copy
                members = list({r.document_id: r for r in members}.values())
            owner = parties[first.party_id]
            producer = parties[first.producer_id]
            role = RANK_ROLE.get(min(r.role_rank or 9 for r in members))
            entries = sorted({r.withheld_id for r in members if r.withheld_id is not None})
            labels = [r.begin_label for r in members]
            producers = sorted({parties[r.producer_id].name for r in members})
            evidence = Evidence(
                summary=f"Produced by {', '.join(producers)} as {', '.join(labels)}; "
                f"{owner.name} is on it as {role or 'participant'}; {checked(owner.name)}.",
                basis="other-production",
                producing_party=producer.slug,
                producing_party_name=producer.name,
                bates=labels,
                document_ids=[r.document_id for r in members],
                role=role,
                match_key=MatchKey.NONE,
            )
            kind = GapKind.INFERRED
            if entries:
                kind = GapKind.WITHHELD
                evidence.privilege_entry = self.cat.entry_text(entries[0])
                evidence.summary = (
                    f"Withheld by {owner.name}: {evidence.privilege_entry}. {evidence.summary}"
                )
            gaps.append(
                Gap(
                    key=f"inferred:{owner.slug}:{self.item_ref(item_id)}:{labels[0]}",
                    title=first.subject or first.title or f"{first.doc_type} {labels[0]}",
                    date=as_date(first.doc_date),
                    evidence=evidence,
                    **self.base(kind, first.party_id, item_id),
                )
            )
        return gaps

    # -- item level --------------------------------------------------------------------------

    def nothing(self, rows: Iterable[Any]) -> list[Gap]:
        gaps: list[Gap] = []
        for row in rows:
            owner = self.cat.parties[int(row.party_id)]
            info = self.cat.items[int(row.item_id)]
            days = _overdue_days(row.deadline, self.scope.as_of)
            due = (
                f"; deadline {row.deadline.isoformat()} passed {days} days ago"
                if days is not None
                else (f"; due {row.deadline.isoformat()}" if row.deadline else "")
            )
            evidence = Evidence(
                summary=f"{owner.name} has produced no document responsive to request "
                f"{info.number} of {info.request}{due}.",
                deadline=row.deadline,
                days_overdue=days,
            )
            kind = GapKind.NOTHING_PRODUCED
            if row.withheld_id is not None:
                kind = GapKind.WITHHELD
                evidence.privilege_entry = self.cat.entry_text(int(row.withheld_id))
                evidence.summary = (
                    f"Withheld by {owner.name}: {evidence.privilege_entry}. {evidence.summary}"
                )
            gaps.append(
                Gap(
                    key=f"nothing-produced:{owner.slug}:{info.request}#{info.number}",
                    title=f"Nothing produced for request {info.number}",
                    date=None,
                    evidence=evidence,
                    **self.base(kind, int(row.party_id), int(row.item_id)),
                )
            )
        return gaps

    def overdue(self, rows: Iterable[Any]) -> list[Gap]:
        groups: dict[tuple[int, int, dt.date], list[ItemInfo]] = defaultdict(list)
        for row in rows:
            info = self.cat.items[int(row.item_id)]
            groups[(int(row.party_id), info.request_id, row.deadline)].append(info)
        gaps: list[Gap] = []
        for (party_id, _request_id, deadline), infos in groups.items():
            infos.sort(key=lambda i: (i.position, i.number))
            owner = self.cat.parties[party_id]
            first = infos[0]
            numbers = ", ".join(i.number for i in infos)
            days = _overdue_days(deadline, self.scope.as_of) or 0
            base = self.base(GapKind.OVERDUE, party_id, first.id)
            base["item"] = numbers
            base["item_text"] = None if len(infos) > 1 else first.text
            gaps.append(
                Gap(
                    key=f"overdue:{owner.slug}:{first.request}:{deadline.isoformat()}",
                    title=f"Deadline {deadline.isoformat()} passed for {first.request} "
                    f"(request{'s' if len(infos) > 1 else ''} {numbers})",
                    date=deadline,
                    evidence=Evidence(
                        summary=f"The deadline of {deadline.isoformat()} passed {days} days "
                        f"before {self.scope.as_of.isoformat()} and {owner.name} has not "
                        "certified the production complete.",
                        deadline=deadline,
                        days_overdue=days,
                    ),
                    **base,
                )
            )
        return gaps

    def referenced(self, rows: Iterable[Any]) -> list[Gap]:
        groups: dict[tuple[int, str], list[Any]] = defaultdict(list)
        for row in rows:
            groups[(int(row.party_id), row.mih)].append(row)
        gaps: list[Gap] = []
        for (party_id, mih), members in groups.items():
            members.sort(key=lambda r: (r.begin_label, r.document_id))
            unique = list({r.document_id: r for r in members}.values())
            owner = self.cat.parties[party_id]
            labels = [r.begin_label for r in unique]
            producers = sorted({self.cat.parties[int(r.producer_id)].name for r in unique})
            message_id = members[0].message_id
            gaps.append(
                Gap(
                    key=f"referenced:{owner.slug}:{mih}",
                    title=f"Email {message_id}",
                    date=None,
                    evidence=Evidence(
                        summary=f"Replied to or quoted by {', '.join(labels)} (produced by "
                        f"{', '.join(producers)}); no party produced it.",
                        referring_bates=labels,
                        document_ids=[int(r.document_id) for r in unique],
                        match_key=MatchKey.MIH,
                    ),
                    **self.base(GapKind.REFERENCED_UNPRODUCED, party_id, None),
                )
            )
        return gaps


def sort_key(gap: Gap) -> tuple[Any, ...]:
    return (
        gap.party,
        KIND_ORDER[gap.kind],
        gap.request or "",
        _natural(gap.item or ""),
        gap.date or dt.date.min,
        gap.key,
    )


@functools.lru_cache(maxsize=4096)
def _natural(text: str) -> tuple[Any, ...]:
    """ "2" before "10", "3(a)" after "3" (item numbers: few, sorted many times)."""
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text))


def plain_rows(result: Any) -> list[Any]:
    """A result's rows as named tuples. The engine reads each of a hundred thousand rows a
    dozen times while grouping and naming; a named tuple's field is read ten times faster
    than a SQLAlchemy row's, and making one costs about two such reads."""
    shape = collections.namedtuple("Row", list(result.keys()), rename=True)  # type: ignore[misc]
    return list(map(shape._make, result))


def compute_gaps(
    connection: Connection, scope: Scope, kinds: frozenset[GapKind] = ALL_KINDS
) -> GapResult:
    """Every gap of ``kinds`` in ``scope``, sorted; plus how each known item stands."""
    with collector_paused():
        return _compute_gaps(connection, scope, kinds)


def _builder(connection: Connection, scope: Scope) -> _Builder:
    """Tune the connection, settle whether every production had arrived by ``as_of`` (the
    queries then skip the receipt checks), and read the catalogue the gaps are named from."""
    t.tune(connection)
    received = as_date(latest_receipt(connection))
    scope = replace(scope, all_received=received is None or received <= scope.as_of)
    return _Builder(scope, Catalogue.load(connection))


def _compute_gaps(connection: Connection, scope: Scope, kinds: frozenset[GapKind]) -> GapResult:
    build = _builder(connection, scope)
    scope, catalogue = build.scope, build.cat

    def rows(kind: GapKind) -> list[Any]:  # the registry's query for the kind (gaps/kinds.py)
        return plain_rows(connection.execute(KINDS[kind].query(scope)))

    gaps: list[Gap] = []
    wants_withheld = GapKind.WITHHELD in kinds
    known_gaps, states = build.known(rows(GapKind.KNOWN_NOT_PRODUCED))
    gaps.extend(known_gaps)
    if GapKind.INFERRED in kinds or wants_withheld:
        gaps.extend(build.inferred(rows(GapKind.INFERRED)))
    if GapKind.NOTHING_PRODUCED in kinds or wants_withheld:
        gaps.extend(build.nothing(rows(GapKind.NOTHING_PRODUCED)))
    if GapKind.OVERDUE in kinds:
        gaps.extend(build.overdue(rows(GapKind.OVERDUE)))
    if GapKind.REFERENCED_UNPRODUCED in kinds and not scope.narrowed_to_requests:
        lost = rows(GapKind.REFERENCED_UNPRODUCED)
        gaps.extend(build.referenced(answered_by_quote(connection, lost, scope)))
    if GapKind.SILENT_PERIOD in kinds:
        gaps.extend(silent_period_gaps(connection, scope, build.base, build.party_name))
    if GapKind.INCOMPLETE_FAMILY in kinds and not scope.narrowed_to_requests:
        pairs = rows(GapKind.INCOMPLETE_FAMILY)
        gaps.extend(incomplete_family_gaps(connection, pairs, build.base, build.party_name))
    if GapKind.PRIVILEGE_CONTRADICTED in kinds:
        entries = rows(GapKind.PRIVILEGE_CONTRADICTED)
        gaps.extend(contradicted_gaps(connection, scope, entries, build.base, build.party_name))
    # The thread around a missing email is read for the gaps a face shows it on
    # (gaptrack.service.gaps.attach_threads), not here: most gaps are only counted.
    selected = sorted((g for g in gaps if g.kind in kinds), key=sort_key)
    return GapResult(selected, states, catalogue, scope)
