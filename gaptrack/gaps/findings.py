"""Every cross-production finding with the key that matched (or ``none``): the audit view.

Gaps show only the unmatched ones; this lists the matched ones too, so a person can judge
each match (docs/architecture.md §4: "every match records which key matched").
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.catalogue import Catalogue, as_date
from gaptrack.gaps.copies import match_of
from gaptrack.gaps.model import Finding, MatchKey
from gaptrack.gaps.query_inferred import RANK_ROLE, inferred_candidates
from gaptrack.gaps.query_known import known_rows
from gaptrack.gaps.scope import Scope, latest_receipt


def list_findings(connection: Connection, scope: Scope) -> list[Finding]:
    t.tune(connection)
    received = as_date(latest_receipt(connection))
    scope = replace(scope, all_received=received is None or received <= scope.as_of)
    cat = Catalogue.load(connection)
    raw: list[
        tuple[int, int | None, int, int, str, str | None, MatchKey, int | None, str | None]
    ] = []
    for row in connection.execute(inferred_candidates(scope, only_missing=False)):
        key, copy_id = match_of(row)
        role = RANK_ROLE.get(int(row.role_rank or 9))
        raw.append(
            (
                int(row.party_id),
                int(row.item_id),
                int(row.document_id),
                int(row.producer_id),
                row.begin_label,
                role,
                key,
                copy_id,
                None,
            )
        )
    for row in connection.execute(known_rows(scope)):
        if row.basis_id is None:
            continue
        key, copy_id = match_of(row)
        raw.append(
            (
                int(row.party_id),
                row.item_id,
                int(row.basis_id),
                int(row.basis_party_id),
                row.basis_begin,
                row.basis_role,
                key,
                copy_id,
                row.slug,
            )
        )
    copies = [r[7] for r in raw if r[7] is not None]
    labels: dict[int, str] = {}
    for start in range(0, len(copies), 500):
        chunk = copies[start : start + 500]
        labels.update(
            (int(i), str(label))
            for i, label in connection.execute(
                sa.select(t.document.c.id, t.document.c.begin_label).where(
                    t.document.c.id.in_(chunk)
                )
            )
        )
    out: list[Finding] = []
    for party_id, item_id, _doc, producer, label, role, key, copy_id, known in raw:
        info = cat.items.get(item_id) if item_id is not None else None
        out.append(
            Finding(
                party=cat.parties[party_id].slug,
                request=info.request if info else None,
                item=info.number if info else None,
                document=label,
                producing_party=cat.parties[producer].slug,
                role=role,
                match_key=key,
                copy_bates=labels.get(copy_id) if copy_id is not None else None,
                known_item=known,
            )
        )
    out.sort(key=lambda f: (f.party, f.request or "", f.item or "", f.document, f.known_item or ""))
    return out
