"""``incomplete-family`` gaps: party P produced an email with fewer attachments than another
party's copy of the same email; each attachment P's copies lack is a gap of P.

Copies of one email are the copy groups of :mod:`gaptrack.gaps.unify` (MIH, body hash, or
fingerprint within the tolerance, transitively), over the emails another party produced
*with* attachments (P's copy may have none). Only a party sent a request by ``as_of`` owes.
Two attachments are the same file when

* both carry an MD5 (else both a SHA-1) of the file as produced, and it is the same; or,
  when they do not share a kind of hash,
* they have the same file name (the attachment's title, case and white space folded) and, if
  both state one, the same page count (load files rarely give a file's size; its page count
  stands in for it).

A differing hash is a different file even under the same name (a later version): P is asked
for the version another party produced. P's copies count together: an attachment any of P's
copies of the email carries is produced.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.catalogue import as_date
from gaptrack.gaps.model import Evidence, Gap, GapKind, MatchKey
from gaptrack.gaps.scope import Scope, party_filter, received_by
from gaptrack.gaps.unify import group_copies

_CHUNK = 500  # ids per IN list (SQLite's bound-parameter limit is far above it)


def family_pairs(scope: Scope) -> Any:
    """The query behind the kind: (party_id, own_id, other_id) for two copies of one email
    produced by two parties, ``other_id`` with attachments (``party_id`` produced ``own_id``,
    with fewer attachments, or none)."""
    d = t.document
    # The emails produced with attachments, read once off the partial parent index.
    families = (
        sa.select(d.c.parent_id.label("id")).where(d.c.parent_id.is_not(None)).distinct()
        .cte("families").prefix_with("MATERIALIZED")
    )
    own, other = d.alias("own_email"), d.alias("other_email")
    own_pr, other_pr = t.production.alias("own_pr"), t.production.alias("other_pr")
    within = sa.or_(
        sa.and_(own.c.date_sent.is_(None), other.c.date_sent.is_(None)),
        t.seconds_apart(own.c.date_sent, other.c.date_sent, scope.dialect)
        <= scope.tolerance_seconds,
    )
    keys = [
        own.c.mih == other.c.mih,
        own.c.body_hash == other.c.body_hash,
        sa.and_(own.c.fingerprint == other.c.fingerprint, within),
    ]
    parts = []
    for key in keys:
        source: Any = families.join(other, other.c.id == families.c.id).join(own, key)
        if not scope.all_received:
            source = source.join(own_pr, own_pr.c.id == own.c.production_id).join(
                other_pr, other_pr.c.id == other.c.production_id
            )
        parts.append(
            sa.select(own.c.party_id.label("party_id"), own.c.id.label("own_id"),
                      other.c.id.label("other_id"))
            .select_from(source)
            .where(
                own.c.party_id != other.c.party_id,
                received_by(own_pr, scope),
                received_by(other_pr, scope),
                *party_filter(own.c.party_id, scope),
                asked(own.c.party_id, scope),
            )
        )
    return sa.union(*parts)


def asked(party_col: Any, scope: Scope) -> Any:
    """The party had been sent a request by ``as_of`` (only a party asked owes anything)."""
    rr, rq = t.recipient, t.request
    return sa.exists().select_from(rr.join(rq, rq.c.id == rr.c.request_id)).where(
        rr.c.party_id == party_col, rq.c.date_sent <= scope.as_of
    )


def _norm_name(title: str | None) -> str:
    return " ".join((title or "").split()).casefold()


def same_file(a: Any, b: Any) -> bool:
    """Whether two attachments are the same file (the rule in the module's docstring)."""
    for column in ("md5", "sha1"):
        x, y = getattr(a, column), getattr(b, column)
        if x and y:
            return bool(x.lower() == y.lower())
    name = _norm_name(a.title)
    if not name or name != _norm_name(b.title):
        return False
    return a.page_count is None or b.page_count is None or a.page_count == b.page_count


def file_identity(child: Any) -> str:
    """One attachment's identity, for listing each missing file once."""
    if child.md5:
        return f"md5:{child.md5.lower()}"
    if child.sha1:
        return f"sha1:{child.sha1.lower()}"
    return f"name:{_norm_name(child.title)}:{child.page_count or ''}" if child.title else \
        f"doc:{child.id}"


def _read(
    connection: Connection, query: Callable[[list[int]], Any], ids: Iterable[int]
) -> list[Any]:
    listed = sorted(set(ids))
    rows: list[Any] = []
    for start in range(0, len(listed), _CHUNK):
        rows.extend(connection.execute(query(listed[start:start + _CHUNK])).all())
    return rows


def _families(
    connection: Connection, parent_ids: Iterable[int]
) -> tuple[list[Any], dict[int, list[Any]]]:
    """The emails (with their matching keys) and their attachments, in Bates order."""
    d = t.document
    sent_ms = t.epoch_ms(d.c.date_sent, connection.dialect.name).label("sent_ms")
    parents = _read(connection, lambda ids: sa.select(
        d.c.id, d.c.party_id, d.c.begin_label, d.c.subject, d.c.title, d.c.date_sent,
        d.c.mih, d.c.body_hash, d.c.fingerprint, sent_ms,
    ).where(d.c.id.in_(ids)), parent_ids)
    children: dict[int, list[Any]] = defaultdict(list)
    for row in _read(connection, lambda ids: sa.select(
        d.c.id, d.c.parent_id, d.c.party_id, d.c.begin_label, d.c.title, d.c.md5, d.c.sha1,
        d.c.page_count,
    ).where(d.c.parent_id.in_(ids)).order_by(d.c.bates_prefix, d.c.bates_begin), parent_ids):
        children[int(row.parent_id)].append(row)
    return parents, children


def incomplete_family_gaps(
    connection: Connection,
    rows: Sequence[Any],
    base: Callable[[GapKind, int, int | None], dict[str, Any]],
    party_name: Callable[[int], str],
) -> list[Gap]:
    """The gaps from :func:`family_pairs`' rows: per party, per email, per missing file."""
    owners = {int(r.party_id) for r in rows}
    parents, children = _families(
        connection, [int(r.own_id) for r in rows] + [int(r.other_id) for r in rows]
    )
    gaps: list[Gap] = []
    for group in group_copies(parents, lambda _row: ()):
        for party_id in sorted({int(p.party_id) for p in group} & owners):
            gaps.extend(_party_gaps(party_id, group, children, base, party_name))
    return gaps


def _count(n: int) -> str:
    return "no attachments" if n == 0 else f"{n} attachment{'s' if n != 1 else ''}"


def _party_gaps(
    party_id: int,
    group: list[Any],
    children: dict[int, list[Any]],
    base: Callable[[GapKind, int, int | None], dict[str, Any]],
    party_name: Callable[[int], str],
) -> list[Gap]:
    mine = sorted((p for p in group if int(p.party_id) == party_id), key=lambda p: p.begin_label)
    held = [c for p in mine for c in children[int(p.id)]]
    missing: dict[str, list[tuple[Any, Any]]] = {}
    for email in sorted(group, key=lambda p: p.begin_label):
        if int(email.party_id) == party_id:
            continue
        for child in children[int(email.id)]:
            if not any(same_file(child, own) for own in held):
                missing.setdefault(file_identity(child), []).append((email, child))
    gaps: list[Gap] = []
    owner, first = party_name(party_id), mine[0]
    subject = first.subject or first.title or "an email"
    for found in missing.values():
        email, child = found[0]
        producers = sorted({party_name(int(e.party_id)) for e, _ in found})
        labels = [c.begin_label for _, c in found]
        name = child.title or child.begin_label
        summary = (
            f"{owner} produced the email \"{subject}\" as {first.begin_label} with "
            f"{_count(len(held))}; {', '.join(producers)} "
            f"produced the same email ({email.begin_label}) with the attachment {name} as "
            f"{', '.join(labels)}, which none of {owner}'s copies carries."
        )
        producer = base(GapKind.INCOMPLETE_FAMILY, int(email.party_id), None)
        gaps.append(Gap(
            key=f"incomplete-family:{base(GapKind.INCOMPLETE_FAMILY, party_id, None)['party']}:"
            f"{first.begin_label}:{labels[0]}",
            title=f"Attachment {name} of \"{subject}\"",
            date=as_date(first.date_sent),
            evidence=Evidence(
                summary=summary,
                basis="other-production",
                producing_party=producer["party"],
                producing_party_name=producer["party_name"],
                bates=labels,
                document_ids=[int(c.id) for _, c in found],
                match_key=MatchKey.NONE,
                referring_bates=[p.begin_label for p in mine],
            ),
            **base(GapKind.INCOMPLETE_FAMILY, party_id, None),
        ))
    return gaps
