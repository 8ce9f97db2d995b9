"""``privilege-contradicted`` gaps: party P logged an entry as privileged, and another party
produced the same email with no claim — a possible waiver, which P is asked to address.

An entry is the same email as a produced document when

* the date matches: the entry's date and the document's sent date (UTC) are at most a day
  apart (a log states the calendar date where the party is; the document is stored in UTC);
* the subject matches: the entry's description (a log's subject column is read into it) and
  the document's subject are equal after :func:`gaptrack.matching.normalise_subject`;
* the people match: the entry's author is the document's sender, and the people the entry
  lists as recipients (to and cc) are exactly the document's to, cc and bcc — each person
  compared by address when both sides give one, else by the name as
  :func:`gaptrack.matching.normalise_name` folds it (what the participant rows store).

"No claim": the producing party has not logged the document itself (a privilege-log entry of
its own whose Bates is the document's). Only entries logged by ``as_of`` and documents
received by then count. An entry with no date, author or description is never matched: too
little to call two documents one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.model import Evidence, Gap, GapKind, MatchKey
from gaptrack.gaps.query_family import asked
from gaptrack.gaps.scope import Scope, party_filter, received_by
from gaptrack.matching import normalise_name, normalise_subject, parse_addresses
from gaptrack.models.enums import ParticipantRole

DATE_SLACK = dt.timedelta(days=1)
_CHUNK = 500
_RECEIVED = {ParticipantRole.TO.value, ParticipantRole.CC.value, ParticipantRole.BCC.value}
Person = tuple[str, str]  # (folded name, address)


def logged_entries(scope: Scope) -> Any:
    """The query behind the kind: the privilege-log entries in ``scope`` that can be
    matched (a date, an author and a description), logged by ``as_of``."""
    pe = t.privilege
    logged_in = t.production.alias("logged_in")
    return (
        sa.select(pe.c.id, pe.c.party_id, pe.c.entry_no, pe.c.privilege, pe.c.doc_date,
                  pe.c.author, pe.c.recipients, pe.c.description, pe.c.item_id)
        .where(
            pe.c.doc_date.is_not(None), pe.c.author.is_not(None),
            pe.c.description.is_not(None),
            sa.or_(pe.c.production_id.is_(None), sa.exists().where(
                logged_in.c.id == pe.c.production_id, logged_in.c.date_received <= scope.as_of)),
            *party_filter(pe.c.party_id, scope),
            asked(pe.c.party_id, scope),
        )
        .order_by(pe.c.party_id, pe.c.id)
    )


def _people(value: str | None, *, single: bool = False) -> list[Person]:
    return [(normalise_name(n), a) for n, a in parse_addresses(value, single=single)]


def _same(a: Person, b: Person) -> bool:
    if a[1] and b[1]:
        return a[1] == b[1]
    return bool(a[0]) and a[0] == b[0]


def _covers(listed: list[Person], present: list[Person]) -> bool:
    """Every listed person is present, and everyone present is listed."""
    return all(any(_same(a, b) for b in present) for a in listed) and all(
        any(_same(a, b) for a in listed) for b in present
    )


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo else value).date()
    return value


def _candidates(connection: Connection, scope: Scope, subjects: set[str]) -> list[Any]:
    """Documents received by ``as_of`` whose normalised subject is one of ``subjects``,
    not logged as privileged by their producer."""
    d, pr, pe = t.document, t.production, t.privilege
    listed = sorted(subjects)
    rows: list[Any] = []
    for start in range(0, len(listed), _CHUNK):
        rows.extend(connection.execute(
            sa.select(d.c.id, d.c.party_id, d.c.begin_label, d.c.subject, d.c.subject_norm,
                      d.c.date_sent)
            .select_from(d.join(pr, pr.c.id == d.c.production_id))
            .where(
                d.c.subject_norm.in_(listed[start:start + _CHUNK]),
                received_by(pr, scope),
                ~sa.exists().where(pe.c.party_id == d.c.party_id, pe.c.bates == d.c.begin_label),
            )
            .order_by(d.c.bates_prefix, d.c.bates_begin)
        ).all())
    return rows


def _participants(
    connection: Connection, ids: list[int]
) -> dict[int, tuple[list[Person], list[Person]]]:
    """(senders, recipients) per document."""
    p = t.participant
    out: dict[int, tuple[list[Person], list[Person]]] = defaultdict(lambda: ([], []))
    for start in range(0, len(ids), _CHUNK):
        for row in connection.execute(
            sa.select(p.c.document_id, p.c.role, p.c.name_norm, p.c.address)
            .where(p.c.document_id.in_(ids[start:start + _CHUNK]))
        ):
            person = (row.name_norm or "", row.address or "")
            if row.role == ParticipantRole.SENDER.value:
                out[int(row.document_id)][0].append(person)
            elif row.role in _RECEIVED:
                out[int(row.document_id)][1].append(person)
    return out


def contradicted_gaps(
    connection: Connection,
    scope: Scope,
    entries: Sequence[Any],
    base: Callable[[GapKind, int, int | None], dict[str, Any]],
    party_name: Callable[[int], str],
) -> list[Gap]:
    """One gap per entry another party produced (all its copies as the evidence)."""
    subjects = {normalise_subject(e.description) for e in entries} - {""}
    if not subjects:
        return []
    docs = _candidates(connection, scope, subjects)
    people = _participants(connection, sorted({int(d.id) for d in docs}))
    by_subject: dict[str, list[Any]] = defaultdict(list)
    for doc in docs:
        by_subject[doc.subject_norm].append(doc)
    gaps: list[Gap] = []
    for entry in entries:
        author = _people(entry.author, single=True)[:1]
        listed = _people(entry.recipients)
        found = [
            doc for doc in by_subject.get(normalise_subject(entry.description), [])
            if int(doc.party_id) != int(entry.party_id)
            and (day := _day(doc.date_sent)) is not None
            and abs(day - entry.doc_date) <= DATE_SLACK
            and author and _covers(author, people[int(doc.id)][0])
            and _covers(listed, people[int(doc.id)][1])
        ]
        if found:
            gaps.append(_gap(entry, found, base, party_name))
    return gaps


def _gap(
    entry: Any,
    found: list[Any],
    base: Callable[[GapKind, int, int | None], dict[str, Any]],
    party_name: Callable[[int], str],
) -> Gap:
    owner = party_name(int(entry.party_id))
    labels = [d.begin_label for d in found]
    producers = sorted({party_name(int(d.party_id)) for d in found})
    first = base(GapKind.PRIVILEGE_CONTRADICTED, int(found[0].party_id), None)
    owner_slug = base(GapKind.PRIVILEGE_CONTRADICTED, int(entry.party_id), None)["party"]
    logged = f"entry {entry.entry_no}: {entry.privilege}"
    return Gap(
        key=f"privilege-contradicted:{owner_slug}:{entry.entry_no}",
        title=found[0].subject or entry.description,
        date=entry.doc_date,
        evidence=Evidence(
            summary=f"{owner} withholds it as privileged ({logged}); {', '.join(producers)} "
            f"produced the same email (date, participants, subject) as {', '.join(labels)} "
            "with no claim of privilege: a possible waiver.",
            basis="other-production",
            producing_party=first["party"],
            producing_party_name=first["party_name"],
            bates=labels,
            document_ids=[int(d.id) for d in found],
            match_key=MatchKey.FINGERPRINT,
            privilege_entry=logged,
        ),
        **base(GapKind.PRIVILEGE_CONTRADICTED, int(entry.party_id),
               int(entry.item_id) if entry.item_id is not None else None),
    )
