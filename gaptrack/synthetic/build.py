"""Building a synthetic case in one transaction (see :mod:`gaptrack.synthetic`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gaptrack.importers.rows import TableWriter
from gaptrack.models import (
    Committee,
    Document,
    DocumentItem,
    DocumentParticipant,
    DocumentReference,
    ItemCertification,
    ItemCriterion,
    KnownItem,
    Party,
    PartyAddress,
    PartyAlias,
    PrivilegeEntry,
    Production,
    ProductionRequest,
    Request,
    RequestItem,
    RequestRecipient,
    Signatory,
)
from gaptrack.synthetic.common import CHUNK, COMMITTEES, Ids
from gaptrack.synthetic.documents import make_documents
from gaptrack.synthetic.known import make_known
from gaptrack.synthetic.letters import make_parties, make_productions, make_requests

# Every table the generator writes (its ids are handed out here).
TABLES: list[Any] = [
    Committee,
    Party,
    PartyAddress,
    PartyAlias,
    Request,
    RequestRecipient,
    Signatory,
    RequestItem,
    ItemCriterion,
    ItemCertification,
    Production,
    ProductionRequest,
    Document,
    DocumentParticipant,
    DocumentReference,
    DocumentItem,
    KnownItem,
    PrivilegeEntry,
]


@dataclass(frozen=True, slots=True)
class SyntheticCase:
    """What was built: counts, and the slugs a caller may want to point at."""

    seed: int
    documents: int
    emails: int
    parties: int
    requests: int
    items: int
    productions: int
    participants: int
    known_items: int
    privilege_entries: int
    party_slugs: tuple[str, ...]



def build_synthetic(
    engine: Engine,
    n_documents: int,
    *,
    seed: int = 2017,
    parties: int = 50,
    known_items: int | None = None,
) -> SyntheticCase:
    """Write a synthetic case of about ``n_documents`` produced documents; return its counts.

    ``known_items`` defaults to one per hundred documents. Runs in one transaction.
    """
    if parties < 4:
        raise ValueError("a synthetic case needs at least 4 parties")
    rng = random.Random(seed)
    wanted_known = n_documents // 100 if known_items is None else known_items
    with engine.begin() as connection:
        ids = Ids(connection, TABLES)
        out = TableWriter(connection, CHUNK)
        committee_ids = _make_committees(ids, out)
        people = make_parties(parties, ids, out)
        n_requests, n_items = make_requests(people, committee_ids, ids, out)
        n_productions = make_productions(people, ids, out)
        out.flush()
        emails, documents, participants, candidates = make_documents(
            rng, people, n_documents, wanted_known, ids, out
        )
        out.flush()
        n_known, n_privilege = make_known(rng, people, candidates, wanted_known, ids, out)
        out.flush()
        if connection.dialect.name == "postgresql":
            _move_sequences(connection)
    from gaptrack.gaps.materialise import refresh_derived

    refresh_derived(engine)  # derived facts follow writes, never reads
    return SyntheticCase(
        seed=seed,
        documents=documents,
        emails=emails,
        parties=parties,
        requests=n_requests,
        items=n_items,
        productions=n_productions,
        participants=participants,
        known_items=n_known,
        privilege_entries=n_privilege,
        party_slugs=tuple(p.slug for p in people),
    )


def _make_committees(ids: Ids, out: TableWriter) -> list[int]:
    committee_ids: list[int] = []
    for slug, name, chamber, thomas in COMMITTEES:
        committee_id = ids.take(Committee)
        committee_ids.append(committee_id)
        out.add(
            Committee,
            {
                "id": committee_id,
                "slug": slug,
                "name": name,
                "chamber": chamber,
                "thomas_id": thomas,
            },
        )
    return committee_ids


def _move_sequences(connection: Connection) -> None:
    """PostgreSQL: move each sequence past the ids handed out here."""
    for model in TABLES:
        name = model.__table__.name
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
            )
        )
