"""Write the database back as one case file, in the format the loader reads.

Output is deterministic: top-level records are sorted by their natural keys, lists that have
an order (items, signatories) keep it, and other lists keep the order they were loaded in
(row ids). Loading an export and exporting again gives the same bytes.

Not exported: ``load`` events (they describe this database, not the case) and what the
loader derives (participants, matching keys); ``case:`` blocks are not stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from enum import Enum
from typing import Any

import sqlalchemy as sa
import yaml
from pydantic import BaseModel
from sqlalchemy.engine import Connection, Engine

from gaptrack.bates import parse_bates
from gaptrack.casefile.schema import (
    CaseFile,
    CertificationSpec,
    CommitteeSpec,
    ContactSpec,
    CounselSpec,
    CriteriaSpec,
    DocumentSpec,
    EventSpec,
    ItemSpec,
    KnownItemSpec,
    PartySpec,
    PrivilegeEntrySpec,
    PrivilegeLogSpec,
    ProductionSpec,
    ReplySpec,
    RequestSpec,
    ResponseSpec,
    SignatorySpec,
    WithdrawalSpec,
)
from gaptrack.models import metadata
from gaptrack.models.enums import CriterionKind, Responsiveness

T = metadata.tables

HEADER = (
    "# gaptrack case export: load it with `gaptrack load FILE`.\n"
    "# Times are UTC. Participants and matching keys are derived again on load.\n"
)


class _Dumper(yaml.SafeDumper):
    """Readable YAML: enums as their values, multi-line text as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _enum(dumper: yaml.SafeDumper, value: Enum) -> yaml.Node:
    return _str(dumper, str(value.value))


_Dumper.add_representer(str, _str)
_Dumper.add_multi_representer(Enum, _enum)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Naive UTC for the file (the format reads offset-less times as UTC)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _natural(text: str) -> tuple[Any, ...]:
    """Sort "2" before "10" and "3(a)" after "3"."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _rows(conn: Connection, table: str, *order: str) -> list[Any]:
    t = T[table]
    return list(conn.execute(sa.select(t).order_by(*(t.c[c] for c in order))))


def _group(rows: list[Any], column: str) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        out[getattr(row, column)].append(row)
    return out


class _Exporter:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.party_slug = {r.id: r.slug for r in _rows(conn, "party", "id")}
        self.counsel_slug = {r.id: r.slug for r in _rows(conn, "counsel", "id")}
        self.committee_slug = {r.id: r.slug for r in _rows(conn, "committee", "id")}
        self.request_slug = {r.id: r.slug for r in _rows(conn, "request", "id")}
        self.production_slug = {r.id: r.slug for r in _rows(conn, "production", "id")}
        self.item_ref = {
            r.id: f"{self.request_slug[r.request_id]}#{r.number}"
            for r in _rows(conn, "request_item", "id")
        }
        self.entry_no = {r.id: r.entry_no for r in _rows(conn, "privilege_entry", "id")}

    def committees(self) -> list[CommitteeSpec]:
        contacts = _group(_rows(self.conn, "committee_contact", "id"), "committee_id")
        return [
            CommitteeSpec(
                slug=r.slug, name=r.name, chamber=r.chamber, thomas_id=r.thomas_id,
                contacts=[
                    ContactSpec(name=c.name, email=c.email, role=c.role)
                    for c in sorted(contacts[r.id], key=lambda c: c.position)
                ],
            )
            for r in _rows(self.conn, "committee", "slug")
        ]

    def counsel(self) -> list[CounselSpec]:
        return [
            CounselSpec(
                slug=r.slug, name=r.name, honorific=r.honorific, firm=r.firm, email=r.email
            )
            for r in _rows(self.conn, "counsel", "slug")
        ]

    def parties(self) -> list[PartySpec]:
        aliases = _group(_rows(self.conn, "party_alias", "id"), "party_id")
        addresses = _group(_rows(self.conn, "party_address", "id"), "party_id")
        counsel = _group(_rows(self.conn, "representation", "id"), "party_id")
        return [
            PartySpec(
                slug=r.slug, name=r.name, kind=r.kind, honorific=r.honorific,
                description=r.description,
                aliases=[a.alias for a in aliases[r.id]],
                addresses=[a.address for a in addresses[r.id]],
                counsel=[self.counsel_slug[c.counsel_id] for c in counsel[r.id]],
            )
            for r in _rows(self.conn, "party", "slug")
        ]

    def requests(self) -> list[RequestSpec]:
        recipients = _group(_rows(self.conn, "request_recipient", "id"), "request_id")
        signatories = _group(_rows(self.conn, "signatory", "position", "id"), "request_id")
        replies = _group(_rows(self.conn, "reply", "date", "id"), "request_id")
        via_rows = _group(_rows(self.conn, "request_counsel", "position", "id"), "request_id")
        items = _group(_rows(self.conn, "request_item", "position", "id"), "request_id")
        criteria = _group(_rows(self.conn, "item_criterion", "id"), "item_id")
        certs = _group(_rows(self.conn, "item_certification", "id"), "item_id")
        out = []
        for r in _rows(self.conn, "request", "date_sent", "slug"):
            via: list[str] = [self.counsel_slug[x.counsel_id] for x in via_rows[r.id]]
            if not via:  # loaded before letters kept their counsel in order
                via = [self.counsel_slug[x.counsel_id] for x in recipients[r.id][:1]
                       if x.counsel_id]
            item_specs: list[ItemSpec] = []
            cert_specs: list[CertificationSpec] = []
            for item in items[r.id]:
                crit = criteria[item.id]
                item_specs.append(ItemSpec(
                    number=item.number, text=item.text, date_from=item.date_from,
                    date_to=item.date_to, deadline=item.deadline,
                    renews=self.item_ref.get(item.renews_item_id),
                    criteria=CriteriaSpec(
                        correspondents=[c.value for c in crit
                                        if c.kind == CriterionKind.CORRESPONDENT],
                        keywords=[c.value for c in crit if c.kind == CriterionKind.KEYWORD],
                        doc_types=[c.value for c in crit if c.kind == CriterionKind.DOC_TYPE],
                        correspondents_match=item.correspondents_match,
                        combine=item.criteria_combine,
                    ),
                ))
                cert_specs.extend(
                    CertificationSpec(item=item.number, party=self.party_slug[c.party_id],
                                      kind=c.kind, date=c.date, statement=c.statement)
                    for c in certs[item.id]
                )
            out.append(RequestSpec(
                slug=r.slug, committee=self.committee_slug[r.committee_id], kind=r.kind,
                title=r.title, date_sent=r.date_sent, deadline=r.deadline,
                follows_up=self.request_slug.get(r.follows_up_id),
                to=[self.party_slug[x.party_id] for x in recipients[r.id]],
                via=(via[0] if len(via) == 1 else via) or None,
                summary=r.summary, source=r.source,
                signatories=[SignatorySpec(name=s.name, role=s.role, bioguide_id=s.bioguide_id)
                             for s in signatories[r.id]],
                items=item_specs,
                replies=[ReplySpec(date=x.date, author=x.author,
                                   party=self.party_slug.get(x.party_id), summary=x.summary,
                                   source=x.source, response=_response(x))
                         for x in replies[r.id]],
                certifications=cert_specs,
                withdrawn=WithdrawalSpec(date=r.withdrawn_on, reason=r.withdrawn_reason)
                if r.withdrawn_on else None,
            ))
        return out

    def productions(self) -> list[ProductionSpec]:
        answers = _group(_rows(self.conn, "production_request", "id"), "production_id")
        docs = _group(
            _rows(self.conn, "document", "bates_prefix", "bates_begin", "bates_suffix"),
            "production_id",
        )
        label = {d.id: d.begin_label for ds in docs.values() for d in ds}
        refs = _group(_rows(self.conn, "document_reference", "id"), "document_id")
        tagged = _group(
            [r for r in _rows(self.conn, "document_item", "id")
             if r.source == Responsiveness.TAGGED],
            "document_id",
        )
        out = []
        for p in _rows(self.conn, "production", "date_received", "slug"):
            out.append(ProductionSpec(
                slug=p.slug, party=self.party_slug[p.party_id], volume=p.volume,
                date_received=p.date_received,
                answers=[self.request_slug[a.request_id] for a in answers[p.id]],
                bates_prefix=p.bates_prefix, bates_first=p.bates_first,
                bates_last=p.bates_last, doc_count=p.doc_count, page_count=p.page_count,
                certified_complete=p.certified_complete, certification=p.certification,
                notes=p.notes,
                documents=[self._document(d, p.bates_prefix, label, refs, tagged)
                           for d in docs[p.id]],
            ))
        return out

    def _document(
        self,
        d: Any,
        prefix: str | None,
        label: dict[int, str],
        refs: dict[Any, list[Any]],
        tagged: dict[Any, list[Any]],
    ) -> DocumentSpec:
        references = [r.message_id for r in refs[d.id]]
        return DocumentSpec(
            bates=d.begin_label,
            bates_end=None if d.end_label == _default_end(d, prefix) else d.end_label,
            type=d.doc_type, custodian=d.custodian, title=d.title,
            date_sent=_utc(d.date_sent), date_created=_utc(d.date_created),
            **{"from": d.sender},
            to=_split(d.recipients), cc=_split(d.cc), bcc=_split(d.bcc),
            subject=d.subject, message_id=d.message_id, thread_index=d.thread_index,
            in_reply_to=references[0] if len(references) == 1 else None,
            references=references if len(references) > 1 else [],
            text=d.text, pages=d.page_count,
            parent=label.get(d.parent_id) if d.parent_id else None,
            md5=d.md5,
            answers=[self.item_ref[a.item_id] for a in tagged[d.id]],
        )

    def known_items(self) -> list[KnownItemSpec]:
        d = T["document"]
        rows = self.conn.execute(sa.select(d.c.id, d.c.begin_label))
        labels = {r.id: r.begin_label for r in rows}
        return [
            KnownItemSpec(
                slug=k.slug, party=self.party_slug[k.party_id],
                item=self.item_ref.get(k.item_id), description=k.description, basis=k.basis,
                document=labels.get(k.basis_document_id), role=k.basis_role,
                citation=k.citation, doc_date=k.doc_date, status=k.status,
                status_reason=k.status_reason,
                produced_as=labels.get(k.produced_document_id),
                privilege_entry=self.entry_no.get(k.privilege_entry_id),
            )
            for k in _rows(self.conn, "known_item", "slug")
        ]

    def privilege_logs(self) -> list[PrivilegeLogSpec]:
        logs: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for e in _rows(self.conn, "privilege_entry", "id"):
            production = self.production_slug.get(e.production_id, "")
            logs[(self.party_slug[e.party_id], production)].append(e)
        return [
            PrivilegeLogSpec(
                party=party, production=production or None,
                entries=[
                    PrivilegeEntrySpec(
                        entry_no=e.entry_no, date=e.doc_date, author=e.author,
                        recipients=e.recipients, description=e.description,
                        privilege=e.privilege, doc_type=e.doc_type, bates=e.bates,
                        item=self.item_ref.get(e.item_id),
                    )
                    for e in sorted(entries, key=lambda e: _natural(e.entry_no))
                ],
            )
            for (party, production), entries in sorted(logs.items())
        ]

    def events(self) -> list[EventSpec]:
        """The history with its data and undo links; events loaded as history go back out
        under the actor their file named (``data.origin``), so export → load is stable."""
        rows = [e for e in _rows(self.conn, "event", "at", "id") if e.action != "load"]
        position = {e.id: n for n, e in enumerate(rows, start=1)}
        undone = {e.undoes_id for e in rows if e.undoes_id is not None}
        out = []
        for e in rows:
            data = dict(e.data) if isinstance(e.data, dict) else None
            origin = data.pop("origin", None) if data is not None else None
            actor = origin["actor"] if isinstance(origin, dict) and "actor" in origin else e.actor
            out.append(EventSpec(
                at=_utc(e.at) or e.at, actor=actor, action=e.action, entity=e.entity,
                key=e.entity_key, reason=e.reason, data=data or None,
                ref=f"e{position[e.id]}" if e.id in undone else None,
                undoes=f"e{position[e.undoes_id]}" if e.undoes_id in position else None,
            ))
        return out


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()] if value else []


def _default_end(d: Any, prefix: str | None) -> str | None:
    """The end label the loader derives when ``bates_end`` is not written."""
    try:
        begin = parse_bates(d.begin_label, prefix)
    except ValueError:
        return None
    if d.bates_end != d.bates_begin + (d.page_count or 1) - 1:
        return None
    return type(begin)(begin.prefix, d.bates_end, begin.width, begin.suffix).label


def _plain(model: BaseModel) -> Any:
    return model.model_dump(mode="python", by_alias=True, exclude_defaults=True)


def export_case(engine: Engine) -> str:
    """The whole database as one case file (YAML text)."""
    with engine.connect() as conn:
        ex = _Exporter(conn)
        case = CaseFile(
            committees=ex.committees(),
            counsel=ex.counsel(),
            parties=ex.parties(),
            requests=ex.requests(),
            productions=ex.productions(),
            known_items=ex.known_items(),
            privilege_logs=ex.privilege_logs(),
            events=ex.events(),
        )
    data = _plain(case)
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
        default_flow_style=False,
    )
    return HEADER + body


def _response(reply: Any) -> ResponseSpec | None:
    if not reply.response_kind:
        return None
    items = (reply.response_items or "").splitlines()
    return ResponseSpec(kind=reply.response_kind, items=items)
