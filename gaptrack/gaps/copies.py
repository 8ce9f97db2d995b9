"""Does party P's own production hold a copy of document ``ref``? One scalar subquery per key.

Each returns the id of P's matching copy (the lowest, for determinism) or NULL, so one query
yields both the answer and *which* key matched (docs/architecture.md §4): EDRM MIH, body
hash, or the fingerprint with the sent times within the tolerance. Each probe is an index lookup on
``(mih, party_id)``, ``(body_hash, party_id)`` or ``(fingerprint, party_id, date_sent)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gaptrack.gaps import sql as t
from gaptrack.gaps.model import MatchKey
from gaptrack.gaps.scope import Scope, received_by


@dataclass(frozen=True, slots=True)
class CopyProbes:
    mih: Any
    body_hash: Any
    fingerprint: Any

    def labelled(self) -> list[Any]:
        return [
            self.mih.label("copy_mih"),
            self.body_hash.label("copy_body"),
            self.fingerprint.label("copy_fp"),
        ]

    def nulls(self) -> list[Any]:
        """The same labels, as NULLs: for queries that keep only rows with no copy."""
        return [sa.null().label(n) for n in ("copy_mih", "copy_body", "copy_fp")]

    def none_found(self) -> Any:
        return sa.and_(self.mih.is_(None), self.body_hash.is_(None), self.fingerprint.is_(None))


def copy_probes(ref: Any, party_col: Any, scope: Scope) -> CopyProbes:
    def probe(*conditions: Any) -> Any:
        copy = t.document.alias("copy")
        copy_production = t.production.alias("copy_production")
        source: Any = copy
        if not scope.all_received:
            source = copy.join(copy_production, copy_production.c.id == copy.c.production_id)
        return (
            sa.select(sa.func.min(copy.c.id))
            .select_from(source)
            .where(
                copy.c.party_id == party_col,
                received_by(copy_production, scope),
                *[c(copy) for c in conditions],
            )
            .scalar_subquery()
        )

    within = lambda copy: sa.or_(  # noqa: E731
        sa.and_(copy.c.date_sent.is_(None), ref.c.date_sent.is_(None)),
        t.seconds_apart(copy.c.date_sent, ref.c.date_sent, scope.dialect)
        <= scope.tolerance_seconds,
    )
    return CopyProbes(
        mih=probe(lambda copy: copy.c.mih == ref.c.mih),
        body_hash=probe(lambda copy: copy.c.body_hash == ref.c.body_hash),
        fingerprint=probe(lambda copy: copy.c.fingerprint == ref.c.fingerprint, within),
    )


def match_of(row: Any) -> tuple[MatchKey, int | None]:
    """Which key matched in a result row carrying the labelled probes, and P's copy."""
    for key, column in (
        (MatchKey.MIH, "copy_mih"),
        (MatchKey.BODY_HASH, "copy_body"),
        (MatchKey.FINGERPRINT, "copy_fp"),
    ):
        value = getattr(row, column)
        if value is not None:
            return key, int(value)
    return MatchKey.NONE, None
