"""One line per party for the main screen: outstanding gaps, known items produced, the next
deadline. Counted, not built: :func:`count_gaps` keeps group keys, never the gaps themselves,
so the figures for a million-document case cost little memory."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy.engine import Connection

from gaptrack.gaps.engine import count_gaps
from gaptrack.gaps.ledger import catalogue_deadline, letters_in_scope
from gaptrack.gaps.model import GapKind, PartySummary
from gaptrack.gaps.scope import Scope


def party_summaries(connection: Connection, scope: Scope) -> list[PartySummary]:
    """Every party asked to produce by ``scope.as_of``, sorted by slug."""
    tally = count_gaps(connection, scope)
    catalogue, as_of = tally.catalogue, tally.scope.as_of
    letters, pairs = letters_in_scope(connection, tally.scope)
    items_of = catalogue.items_by_request()
    requests: dict[int, int] = defaultdict(int)
    upcoming: dict[int, list[dt.date]] = defaultdict(list)
    for request_id, party_id in pairs:
        letter = letters[int(request_id)]
        requests[int(party_id)] += 1
        for info in items_of[letter.id]:
            deadline = catalogue_deadline(info, letter)
            if deadline is not None and deadline >= as_of:
                upcoming[int(party_id)].append(deadline)
    # Each known item once per party, however many letters renew the item it answers.
    known: dict[int, dict[str, bool]] = defaultdict(dict)
    for state in tally.known:
        known[state.party_id][state.slug] = state.produced
    out = []
    for party_id, count in requests.items():
        party = catalogue.parties[party_id]
        kinds = tally.per_party.get(party_id, {})
        out.append(
            PartySummary(
                party=party.slug,
                name=party.name,
                outstanding_gaps=sum(kinds.values()),
                known_total=len(known[party_id]),
                known_produced=sum(known[party_id].values()),
                next_deadline=min(upcoming[party_id], default=None),
                overdue=kinds.get(GapKind.OVERDUE, 0) > 0,
                requests=count,
            )
        )
    return sorted(out, key=lambda s: s.party)
