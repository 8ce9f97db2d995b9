"""Committees and their members from the congress-legislators files, and the check of every
letter's signatories against the membership on the letter's date.

``import_committees`` writes committees (matched on ``thomas_id``; new ones are added, the
names and slugs already in the database are kept), legislators (matched on bioguide id) and
one membership snapshot per committee, valid from the start of the Congress the files describe.
A later snapshot closes the earlier one the day before it begins. Everything happens in one
transaction and is recorded as one event.

``signatory_warnings`` compares each letter's signatories — their bioguide id, else their
name — with the members of the letter's committee on the letter's date, where an imported
snapshot covers that date, and the role written on the letter with the member's title.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from gaptrack.congress import CongressFiles, read_folder
from gaptrack.db import session_scope
from gaptrack.errors import InputError
from gaptrack.gaps import sql as t
from gaptrack.models import Committee, CommitteeMember, Legislator, metadata
from gaptrack.models.enums import Chamber
from gaptrack.service.events import record

IMPORT = "committees.import"
_TITLES = {
    "chair": "chair", "chairman": "chair", "chairwoman": "chair", "chairperson": "chair",
    "vice chair": "vice chair", "vice chairman": "vice chair", "vice chairwoman": "vice chair",
    "ranking member": "ranking member", "ranking minority member": "ranking member",
    "co-chair": "co-chair", "cochairman": "co-chair", "co-chairman": "co-chair",
}  # fmt: skip


class CommitteeImport(BaseModel):
    folder: str
    valid_from: dt.date
    committees_added: list[str]
    committees_matched: int
    legislators: int
    seats: int  # committee seats written for this snapshot
    subcommittee_seats_skipped: int
    seats_closed: int  # seats of earlier snapshots that this one ends
    warnings: list[str]


def import_committees(
    engine: Engine, folder: Path, *, since: dt.date | None = None, actor: str = "cli"
) -> CommitteeImport:
    """Read the three files in ``folder`` (all checked before anything is written), then
    write committees, legislators and the membership snapshot in one transaction."""
    files = read_folder(folder)
    valid_from = since or files.congress_start
    if valid_from is None:
        raise InputError(
            "legislators-current.yaml has no House term to date the membership by: "
            "give --since DATE", file=folder / "legislators-current.yaml",
        )
    with session_scope(engine) as session:
        _legislators(session, files)
        committees, added = _committees(session, files)
        seats, skipped, closed = _seats(session, files, committees, valid_from)
        record(
            session, actor=actor, action=IMPORT, entity="committee",
            reason=f"congress-legislators files from {folder}",
            data={"valid_from": valid_from.isoformat(), "committees_added": added,
                  "seats": seats, "seats_closed": closed},
        )  # fmt: skip
    with engine.connect() as connection:
        warnings = signatory_warnings(connection)
    return CommitteeImport(
        folder=str(folder), valid_from=valid_from, committees_added=added,
        committees_matched=len(committees) - len(added), legislators=len(files.legislators),
        seats=seats, subcommittee_seats_skipped=skipped, seats_closed=closed, warnings=warnings,
    )  # fmt: skip


def _legislators(session: Session, files: CongressFiles) -> None:
    known = {row.bioguide_id: row for row in session.exec(select(Legislator)).all()}
    for rec in files.legislators:
        row = known.get(rec.bioguide)
        if row is None:
            row = Legislator(bioguide_id=rec.bioguide, name=rec.name)
            known[rec.bioguide] = row
        row.name, row.first, row.last = rec.name, rec.first, rec.last
        session.add(row)
    session.flush()


def _free_slug(session: Session, base: str) -> str:
    slug, n = base, 1
    while session.exec(select(Committee).where(col(Committee.slug) == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _committees(session: Session, files: CongressFiles) -> tuple[dict[str, int], list[str]]:
    """thomas_id → committee id for every committee in the file; the slugs of those added."""
    by_thomas = {
        (c.thomas_id or "").upper(): c
        for c in session.exec(select(Committee).where(col(Committee.thomas_id).is_not(None)))
    }
    out: dict[str, int] = {}
    added: list[str] = []
    for rec in files.committees:
        row = by_thomas.get(rec.thomas_id)
        if row is None:
            row = Committee(
                slug=_free_slug(session, rec.thomas_id.lower()), name=rec.name,
                chamber=Chamber(rec.chamber), thomas_id=rec.thomas_id,
            )  # fmt: skip
            session.add(row)
            session.flush()
            added.append(row.slug)
            by_thomas[rec.thomas_id] = row
        assert row.id is not None
        out[rec.thomas_id] = row.id
    return out, added


def _seats(
    session: Session, files: CongressFiles, committees: dict[str, int], valid_from: dt.date
) -> tuple[int, int, int]:
    """Write the snapshot; close earlier open seats of the same committees."""
    existing = {
        (m.committee_id, m.bioguide_id): m
        for m in session.exec(
            select(CommitteeMember).where(col(CommitteeMember.valid_from) == valid_from)
        )
    }
    names = {rec.bioguide: rec.name for rec in files.legislators}
    seats = skipped = 0
    for rec in files.members:
        committee_id = committees.get(rec.thomas_id)
        if committee_id is None:
            skipped += 1  # a subcommittee (HSAG15) or a committee not in committees-current
            continue
        row = existing.get((committee_id, rec.bioguide)) or CommitteeMember(
            committee_id=committee_id, bioguide_id=rec.bioguide, name=rec.name,
            valid_from=valid_from,
        )  # fmt: skip
        row.name = names.get(rec.bioguide, rec.name)
        row.title, row.rank, row.side = rec.title, rec.rank, rec.side
        session.add(row)
        seats += 1
    closed = session.connection().execute(
        sa.update(CommitteeMember)
        .where(
            col(CommitteeMember.committee_id).in_(set(committees.values())),
            col(CommitteeMember.valid_from) < valid_from,
            col(CommitteeMember.valid_to).is_(None),
        )
        .values(valid_to=valid_from - dt.timedelta(days=1))
    ).rowcount
    session.flush()
    return seats, skipped, int(closed or 0)


def _title(text: str | None) -> str | None:
    if not text:
        return None
    key = re.sub(r"\s+", " ", text.strip().lower().replace(".", ""))
    return _TITLES.get(key)


_NOT_SURNAMES = {"jr", "sr", "ii", "iii", "iv", "sen", "senator", "rep", "mr", "ms", "mrs"}


def _surname(name: str) -> str:
    words = [w for w in re.split(r"[\s,]+", name.lower()) if w.rstrip(".") not in _NOT_SURNAMES]
    return words[-1] if words else ""


def signatory_warnings(connection: Connection) -> list[str]:
    """One line per signatory who does not match the membership on the letter's date."""
    rq, cm, sg = t.request, t.committee, t.signatory
    mb, lg = metadata.tables["committee_member"], metadata.tables["legislator"]
    letters = connection.execute(
        sa.select(rq.c.id, rq.c.slug, rq.c.date_sent, cm.c.id.label("committee_id"),
                  cm.c.thomas_id)
        .select_from(rq.join(cm, cm.c.id == rq.c.committee_id))
        .where(cm.c.thomas_id.is_not(None))
        .order_by(rq.c.date_sent, rq.c.slug)
    ).all()  # fmt: skip
    seats: dict[int, list[sa.Row]] = defaultdict(list)
    for seat in connection.execute(
        sa.select(mb, lg.c.last).select_from(mb.outerjoin(lg, lg.c.bioguide_id == mb.c.bioguide_id))
    ):
        seats[seat.committee_id].append(seat)
    signers: dict[int, list[sa.Row]] = defaultdict(list)
    for s in connection.execute(sa.select(sg).order_by(sg.c.request_id, sg.c.position)):
        signers[s.request_id].append(s)
    out: list[str] = []
    for letter in letters:
        on_date = [
            s for s in seats[letter.committee_id]
            if s.valid_from <= letter.date_sent and (s.valid_to is None
                                                      or letter.date_sent <= s.valid_to)
        ]  # fmt: skip
        if not on_date:
            continue  # the imported files do not cover this letter's date
        for signer in signers[letter.id]:
            problem = _check(signer, on_date, letter.thomas_id, letter.date_sent)
            if problem:
                out.append(f"letter {letter.slug}: {problem}")
    return out


def _check(signer: sa.Row, seats: list[sa.Row], thomas_id: str, day: dt.date) -> str | None:
    who = f"{signer.name} ({signer.bioguide_id})" if signer.bioguide_id else signer.name
    if signer.bioguide_id:
        matches = [s for s in seats if s.bioguide_id == signer.bioguide_id]
    else:
        surname = _surname(signer.name)
        matches = [s for s in seats if surname and surname == _surname(s.last or s.name)]
    if not matches:
        return f"signatory {who} is not a member of {thomas_id} on {day.isoformat()}"
    if len(matches) > 1:
        return f"signatory {who} matches several members of {thomas_id}; add a bioguide_id"
    wanted, seat = _title(signer.role), matches[0]
    if wanted is not None and wanted != _title(seat.title):
        listed = f"as {seat.title!r}" if seat.title else "without a title"
        return (
            f"signatory {who} signed as {signer.role!r}, but {thomas_id} lists the member "
            f"{listed} on {day.isoformat()}"
        )
    return None
