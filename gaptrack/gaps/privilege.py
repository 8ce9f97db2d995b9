"""Withheld beats missing: match a would-be gap to an entry of the party's privilege log.

An entry matches when it is for the same request item (and, if both are dated, the same date),
or when it has the document's date and its author / recipients text names someone on the
document (by normalised name or address). Explicit links (``known_item.privilege_entry_id``)
are handled by the caller. Only entries logged by ``as_of`` count.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gaptrack.gaps import sql as t
from gaptrack.gaps.scope import Scope


def withheld_entry(
    scope: Scope, *, party_col: Any, item_col: Any, doc_date: Any, doc_id: Any
) -> Any:
    """Scalar subquery: the lowest matching privilege-entry id, or NULL."""
    pe = t.privilege
    logged_in = t.production.alias("logged_in")
    dp = t.participant.alias("named")
    contains = t.substring_test(scope.dialect)
    people = sa.func.coalesce(pe.c.author, "") + " " + sa.func.coalesce(pe.c.recipients, "")
    same_item = sa.and_(
        pe.c.item_id.is_not(None),
        pe.c.item_id == item_col,
        sa.or_(pe.c.doc_date.is_(None), doc_date.is_(None), pe.c.doc_date == doc_date),
    )
    overlap = sa.and_(
        pe.c.doc_date == doc_date,
        sa.exists()
        .where(
            dp.c.document_id == doc_id,
            sa.or_(
                sa.and_(
                    dp.c.name_norm.is_not(None),
                    dp.c.name_norm != "",
                    contains(people, dp.c.name_norm),
                ),
                sa.and_(
                    dp.c.address.is_not(None), dp.c.address != "", contains(people, dp.c.address)
                ),
            ),
        )
        .correlate_except(dp),  # the document is two levels up: correlate it explicitly
    )
    # The full test is costly per row (a receipt probe and date arithmetic per entry, a
    # participant scan for names); a cheap index-side test of what it needs first (an
    # entry of the party for the item or the date) skips it for nearly every row.
    maybe = t.privilege.alias("maybe")
    possible = sa.exists().where(
        maybe.c.party_id == party_col,
        sa.or_(maybe.c.item_id == item_col, maybe.c.doc_date == doc_date),
    )
    entry = (
        sa.select(sa.func.min(pe.c.id))
        .where(
            pe.c.party_id == party_col,
            sa.or_(
                pe.c.production_id.is_(None),
                sa.exists().where(
                    logged_in.c.id == pe.c.production_id,
                    logged_in.c.date_received <= scope.as_of,
                ),
            ),
            sa.or_(same_item, overlap),
        )
        .scalar_subquery()
    )
    return sa.case((possible, entry), else_=sa.null())
