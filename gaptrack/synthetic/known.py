"""Known items and privilege-log entries of a synthetic case."""

from __future__ import annotations

import datetime as dt
import random

from gaptrack.importers.rows import TableWriter
from gaptrack.models import (
    KnownItem,
    PrivilegeEntry,
)
from gaptrack.synthetic.common import Ids, PartyPlan
from gaptrack.synthetic.documents import Candidate


def make_known(
    rng: random.Random,
    people: list[PartyPlan],
    candidates: list[Candidate],
    wanted: int,
    ids: Ids,
    out: TableWriter,
) -> tuple[int, int]:
    """Known items (mostly from other productions, some presumed) and privilege entries."""
    made = privileged = 0
    used: set[tuple[int, int]] = set()
    entry_no: dict[int, int] = {}
    for doc_id, party, role, sent, subject in candidates:
        if made >= wanted:
            break
        if (doc_id, party.id) in used:
            continue
        used.add((doc_id, party.id))
        roll = rng.random()
        status = "produced" if roll < 0.05 else "disputed" if roll < 0.08 else "outstanding"
        known_id = ids.take(KnownItem)
        if 0.08 <= roll < 0.1:  # logged as privileged by the party that owes it
            _log_privileged(party, sent, entry_no, ids, out)
            privileged += 1
        out.add(
            KnownItem,
            {
                "id": known_id,
                "slug": f"syn-k{made:06d}",
                "party_id": party.id,
                "item_id": party.item_ids[0],
                "description": f"Email {subject!r}",
                "basis": "other-production",
                "basis_document_id": doc_id,
                "basis_role": role,
                "citation": None,
                "doc_date": sent.date(),
                "status": status,
                "status_reason": None,
                "produced_document_id": None,
                "privilege_entry_id": None,
            },
        )
        made += 1
    made = _presumed(people, made, wanted, ids, out)
    return made, privileged


def _log_privileged(
    party: PartyPlan, sent: dt.datetime, entry_no: dict[int, int], ids: Ids, out: TableWriter
) -> None:
    """A privilege-log entry by the party that owes the item (numbered per party)."""
    entry_no[party.id] = entry_no.get(party.id, 0) + 1
    out.add(
        PrivilegeEntry,
        {
            "id": ids.take(PrivilegeEntry),
            "party_id": party.id,
            "production_id": party.production_ids[1],
            "source_file_id": None,
            "entry_no": str(entry_no[party.id]),
            "doc_date": sent.date(),
            "author": party.name,
            "recipients": None,
            "description": "Email with counsel",
            "privilege": "attorney-client",
            "doc_type": "email",
            "bates": None,
            "item_id": None,
            "source_line": None,
        },
    )


def _presumed(people: list[PartyPlan], made: int, wanted: int, ids: Ids, out: TableWriter) -> int:
    """Presumed phone records for every fourth party, until ``wanted``; the count after."""
    for index, party in enumerate(people):
        if made >= wanted:
            break
        if index % 4:
            continue
        out.add(
            KnownItem,
            {
                "id": ids.take(KnownItem),
                "slug": f"syn-k{made:06d}",
                "party_id": party.id,
                "item_id": party.item_ids[3],
                "description": "Phone records for 2016",
                "basis": "presumed",
                "basis_document_id": None,
                "basis_role": None,
                "citation": "Presumed to exist",
                "doc_date": None,
                "status": "outstanding",
                "status_reason": None,
                "produced_document_id": None,
                "privilege_entry_id": None,
            },
        )
        made += 1
    return made
