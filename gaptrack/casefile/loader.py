"""Load case files: validate all of them, then write all of them in one transaction.

Rows are matched on natural keys (slugs; request + item number; Bates prefix + number +
suffix; party + privilege-log entry number; an event's time, actor and action), so a second
load of the same files writes nothing and records no event. Documents get their matching
keys and participants from :func:`gaptrack.derive.derive`, exactly like imported ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gaptrack.audit import seal
from gaptrack.casefile.catalog import Catalog, build_catalog, check_against_database
from gaptrack.casefile.documents import PartyResolver, as_utc, document_row
from gaptrack.casefile.prune import describe, prune
from gaptrack.casefile.reader import ParsedFile, read_case_file
from gaptrack.casefile.report import FileReport, LoadReport
from gaptrack.casefile.store import KEEP, Undeclared, fetch, link, sync_children, upsert
from gaptrack.errors import CaseFileError
from gaptrack.matching import edrm_mih, normalise_name
from gaptrack.models import metadata
from gaptrack.models.enums import CriterionKind, Responsiveness
from gaptrack.search import rebuild_index
from gaptrack.service.events import utcnow
from gaptrack.writers import writing

T = metadata.tables


class _Ids:
    """Slug -> id for one table: the rows this load wrote, then the database."""

    def __init__(self, conn: Connection, table: str) -> None:
        self.conn = conn
        self.table = T[table]
        self.ids: dict[str, int] = {}

    def update(self, found: dict[tuple[Any, ...], int]) -> None:
        self.ids.update({str(k[0]): v for k, v in found.items()})

    def resolve(self, slugs: Iterable[str | None]) -> None:
        missing = {s for s in slugs if s and s not in self.ids}
        if missing:
            for row in fetch(self.conn, self.table, "slug", missing):
                self.ids[row["slug"]] = int(row["id"])

    def __getitem__(self, slug: str) -> int:
        if slug not in self.ids:
            self.resolve([slug])
        return self.ids[slug]

    def get(self, slug: str | None) -> int | None:
        return self[slug] if slug else None


class _Load:
    """One load: the files, their reports and the ids written so far."""

    def __init__(self, conn: Connection, cat: Catalog, reports: list[FileReport]) -> None:
        self.conn = conn
        self.cat = cat
        self.report = {id(f): r for f, r in zip(cat.files, reports, strict=True)}
        self.committees = _Ids(conn, "committee")
        self.counsel = _Ids(conn, "counsel")
        self.parties = _Ids(conn, "party")
        self.requests = _Ids(conn, "request")
        self.productions = _Ids(conn, "production")
        self.items: dict[tuple[str, str], int] = {}
        self.documents: dict[str, int] = {}  # by begin label
        self.undeclared: list[Undeclared] = []  # a shared party's links no file declares

    def rep(self, f: ParsedFile) -> FileReport:
        return self.report[id(f)]

    # -- lookups ---------------------------------------------------------------------------

    def item_id(self, ref: str) -> int:
        request, _, number = ref.partition("#")
        key = (request, number)
        if key not in self.items:
            query = (
                sa.select(T["request_item"].c.id)
                .join(T["request"], T["request"].c.id == T["request_item"].c.request_id)
                .where(T["request"].c.slug == request, T["request_item"].c.number == number)
            )
            self.items[key] = int(self.conn.execute(query).scalar_one())
        return self.items[key]

    def document_id(self, label: str) -> int:
        label = label.strip()
        if label not in self.documents:
            query = sa.select(T["document"].c.id).where(T["document"].c.begin_label == label)
            self.documents[label] = int(self.conn.execute(query).scalars().first() or 0)
        return self.documents[label]

    # -- sections, in dependency order -------------------------------------------------------

    def committees_and_parties(self) -> None:
        rows: list[tuple[FileReport, dict[str, Any]]] = []
        for f in self.cat.files:
            for c in f.case.committees:
                rows.append((self.rep(f), {"slug": c.slug, "name": c.name,
                                           "chamber": str(c.chamber), "thomas_id": c.thomas_id,
                                           KEEP: _unsaid(c, "thomas_id")}))
        self.committees.update(upsert(self.conn, T["committee"], ["slug"], rows))
        contacts: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        for f in self.cat.files:
            for c in (c for c in f.case.committees if "contacts" in c.model_fields_set):
                contacts[self.committees[c.slug]] = (self.rep(f), [
                    {"position": i, "name": x.name, "email": x.email, "role": x.role}
                    for i, x in enumerate(c.contacts)
                ])
        sync_children(self.conn, T["committee_contact"], "committee_id", contacts,
                      ["position", "name", "email", "role"])
        rows = []
        for f in self.cat.files:
            for cn in f.case.counsel:
                rows.append((self.rep(f), {"slug": cn.slug, "name": cn.name, "firm": cn.firm,
                                           "email": cn.email, "honorific": cn.honorific,
                                           KEEP: _unsaid(cn, "firm", "email", "honorific")}))
        self.counsel.update(upsert(self.conn, T["counsel"], ["slug"], rows))
        rows = []
        for f in self.cat.files:
            for p in f.case.parties:
                rows.append((self.rep(f), {"slug": p.slug, "name": p.name, "kind": str(p.kind),
                                           "description": p.description,
                                           "honorific": p.honorific,
                                           KEEP: _unsaid(p, "kind", "description",
                                                         "honorific")}))
        self.parties.update(upsert(self.conn, T["party"], ["slug"], rows))
        aliases: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        addresses: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        counsel: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        for f in self.cat.files:
            for p in f.case.parties:
                pid = self.parties[p.slug]
                # One row per folded name: "Hicks, Hope" and "Hope Hicks" are one alias.
                folded: dict[str, str] = {}
                for a in p.aliases:
                    folded.setdefault(normalise_name(a) or a.strip().casefold(), a)
                aliases[pid] = (self.rep(f), [
                    {"alias": a, "alias_norm": n} for n, a in folded.items()
                ])
                addresses[pid] = (self.rep(f), [
                    {"address": a.strip().lower()} for a in p.addresses
                ])
                counsel[pid] = (self.rep(f), [
                    {"counsel_id": self.counsel[c]} for c in p.counsel
                ])
        # Merged, never pruned here: another load (or the TUI) may have declared the others.
        merge = self.undeclared
        sync_children(self.conn, T["party_alias"], "party_id", aliases, ["alias", "alias_norm"],
                      match=["alias_norm"], undeclared=merge)
        sync_children(self.conn, T["party_address"], "party_id", addresses, ["address"],
                      undeclared=merge)
        sync_children(self.conn, T["representation"], "party_id", counsel, ["counsel_id"],
                      undeclared=merge)

    def requests_and_items(self) -> None:
        rows: list[tuple[FileReport, dict[str, Any]]] = []
        for f in self.cat.files:
            for r in f.case.requests:
                rows.append((self.rep(f), {
                    "slug": r.slug, "committee_id": self.committees[r.committee],
                    "kind": str(r.kind), "title": r.title, "date_sent": r.date_sent,
                    "deadline": r.deadline, "summary": r.summary, "source": r.source,
                    "withdrawn_on": r.withdrawn.date if r.withdrawn else None,
                    "withdrawn_reason": r.withdrawn.reason if r.withdrawn else None,
                }))
        added: set[int] = set()
        self.requests.update(upsert(self.conn, T["request"], ["slug"], rows, added=added))
        follows: dict[int, tuple[FileReport, Any]] = {}
        recipients: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        signatories: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        replies: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        counsel: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        item_rows: list[tuple[FileReport, dict[str, Any]]] = []
        for f in self.cat.files:
            rep = self.rep(f)
            for r in f.case.requests:
                rid = self.requests[r.slug]
                follows[rid] = (rep, self.requests.get(r.follows_up))
                via = [self.counsel[c] for c in r.counsel]
                recipients[rid] = (rep, [
                    {"party_id": self.parties[p], "counsel_id": via[0] if via else None}
                    for p in r.to
                ])
                counsel[rid] = (rep, [
                    {"position": n, "counsel_id": c} for n, c in enumerate(via)
                ])
                signatories[rid] = (rep, [
                    {"position": n, "name": s.name, "role": s.role, "bioguide_id": s.bioguide_id}
                    for n, s in enumerate(r.signatories)
                ])
                replies[rid] = (rep, [
                    {"party_id": self.parties.get(x.party), "date": x.date, "author": x.author,
                     "summary": x.summary, "source": x.source,
                     "response_kind": str(x.response.kind) if x.response else None,
                     "response_items": "\n".join(x.response.items) if x.response else None}
                    for x in r.replies
                ])
                for n, item in enumerate(r.items):
                    item_rows.append((rep, {
                        "request_id": rid, "number": item.number, "position": n,
                        "text": item.text, "date_from": item.date_from, "date_to": item.date_to,
                        "deadline": item.deadline,
                        "correspondents_match": item.criteria.correspondents_match,
                        "criteria_combine": item.criteria.combine,
                    }))
        link(self.conn, T["request"], "follows_up_id", follows, added)
        sync_children(self.conn, T["request_recipient"], "request_id", recipients,
                      ["party_id", "counsel_id"])
        sync_children(self.conn, T["signatory"], "request_id", signatories,
                      ["position", "name", "role", "bioguide_id"])
        sync_children(self.conn, T["request_counsel"], "request_id", counsel,
                      ["position", "counsel_id"])
        sync_children(self.conn, T["reply"], "request_id", replies,
                      ["party_id", "date", "author", "summary", "source", "response_kind",
                       "response_items"])
        added_items: set[int] = set()
        item_ids = upsert(self.conn, T["request_item"], ["request_id", "number"], item_rows,
                          in_col="request_id", added=added_items)
        slug_of = {v: k for k, v in self.requests.ids.items()}
        for key, item_id in item_ids.items():
            self.items[(slug_of[int(str(key[0]))], str(key[1]))] = item_id
        renews: dict[int, tuple[FileReport, Any]] = {}
        criteria: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        certs: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        for f in self.cat.files:
            rep = self.rep(f)
            for r in f.case.requests:
                for item in r.items:
                    iid = self.items[(r.slug, item.number)]
                    renews[iid] = (rep, self.item_id(item.renews) if item.renews else None)
                    crit = item.criteria
                    criteria[iid] = (rep, [
                        *({"kind": str(CriterionKind.CORRESPONDENT), "value": p,
                           "party_id": self.parties[p]} for p in crit.correspondents),
                        *({"kind": str(CriterionKind.KEYWORD), "value": k, "party_id": None}
                          for k in crit.keywords),
                        *({"kind": str(CriterionKind.DOC_TYPE), "value": str(d),
                           "party_id": None} for d in crit.doc_types),
                    ])
                    certs[iid] = (rep, [])
                for c in r.certifications:
                    certs[self.items[(r.slug, c.item)]][1].append({
                        "party_id": self.parties[c.party], "kind": str(c.kind), "date": c.date,
                        "statement": c.statement,
                    })
        link(self.conn, T["request_item"], "renews_item_id", renews, added_items)
        sync_children(self.conn, T["item_criterion"], "item_id", criteria,
                      ["kind", "value", "party_id"])
        sync_children(self.conn, T["item_certification"], "item_id", certs,
                      ["party_id", "kind", "date", "statement"])

    def productions_and_documents(self) -> None:
        rows: list[tuple[FileReport, dict[str, Any]]] = []
        for f in self.cat.files:
            for p in f.case.productions:
                rows.append((self.rep(f), {
                    "slug": p.slug, "party_id": self.parties[p.party], "volume": p.volume,
                    "date_received": p.date_received,
                    "certified_complete": p.certified_complete,
                    "certification": p.certification, "notes": p.notes,
                    "load_format": "casefile",
                }))
        added_prods: set[int] = set()
        self.productions.update(
            upsert(self.conn, T["production"], ["slug"], rows, added=added_prods,
                   insert_only=["load_format"])
        )
        answers: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        for f in self.cat.files:
            for p in f.case.productions:
                answers[self.productions[p.slug]] = (self.rep(f), [
                    {"request_id": self.requests[r]} for r in p.answers
                ])
        sync_children(self.conn, T["production_request"], "production_id", answers,
                      ["request_id"])
        self._documents()
        self._production_counts(added_prods)

    def _documents(self) -> None:
        plans = list(self.cat.documents.values())
        derived = [
            document_row(plan, self.productions[plan.production.slug],
                         self.parties[plan.production.party])
            for plan in plans
        ]
        rows = [(self.rep(plan.where.file), row) for plan, (row, _, _) in zip(plans, derived,
                                                                              strict=True)]
        added: set[int] = set()
        ids = upsert(self.conn, T["document"], ["bates_prefix", "bates_begin", "bates_suffix"],
                     rows, in_col="bates_begin", added=added)
        for plan in plans:
            self.documents[plan.spec.bates.strip()] = ids[plan.key]
        parents: dict[int, tuple[FileReport, Any]] = {}
        participants: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        references: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        answers: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
        resolver = PartyResolver(self.conn)
        for plan, (_, people, refs) in zip(plans, derived, strict=True):
            rep = self.rep(plan.where.file)
            did = ids[plan.key]
            parent = plan.spec.parent
            parents[did] = (rep, self.document_id(parent) if parent else None)
            participants[did] = (rep, [
                {**person, "party_id": resolver.party(person)} for person in people
            ])
            references[did] = (rep, [{"message_id": m, "mih": edrm_mih(m)} for m in refs])
            answers[did] = (rep, [
                {"item_id": self.item_id(a), "source": str(Responsiveness.TAGGED)}
                for a in plan.spec.answers
            ])
        link(self.conn, T["document"], "parent_id", parents, added)
        person_cols = ["role", "address", "name", "name_norm"]
        sync_children(self.conn, T["document_participant"], "document_id", participants,
                      person_cols, extra=["party_id"])
        self._participant_parties(participants, person_cols)
        sync_children(self.conn, T["document_reference"], "document_id", references,
                      ["message_id", "mih"])
        self._drop_derived_answers(answers)
        sync_children(self.conn, T["document_item"], "document_id", answers,
                      ["item_id", "source"],
                      where=T["document_item"].c.source == str(Responsiveness.TAGGED))

    def _participant_parties(
        self, wanted: dict[int, tuple[FileReport, list[dict[str, Any]]]], cols: list[str]
    ) -> None:
        """Set participants' parties where this load can resolve them.

        Compared apart from the participant itself because the gap engine also resolves
        parties (for rows left unresolved); a party it found is not undone here.
        """
        table = T["document_participant"]
        resolved = {
            (did, *(row[c] for c in cols)): (report, row["party_id"])
            for did, (report, rows) in wanted.items()
            for row in rows
            if row["party_id"] is not None
        }
        if not resolved:
            return
        params = []
        for row in fetch(self.conn, table, "document_id", wanted):
            key = (row["document_id"], *(row[c] for c in cols))
            found = resolved.get(key)
            if found is not None and row["party_id"] != found[1]:
                params.append({"b_id": row["id"], "b_party": found[1]})
                found[0].updated[table.name] += 1
        if params:
            self.conn.execute(
                sa.update(table).where(table.c.id == sa.bindparam("b_id"))
                .values(party_id=sa.bindparam("b_party")),
                params,
            )

    def _drop_derived_answers(
        self, wanted: dict[int, tuple[FileReport, list[dict[str, Any]]]]
    ) -> None:
        """A tagged answer replaces the gap engine's derived (criteria) row for the pair."""
        table = T["document_item"]
        pairs = {(did, row["item_id"]): report
                 for did, (report, rows) in wanted.items() for row in rows}
        derived = fetch(self.conn, table, "document_id", wanted,
                        where=table.c.source == str(Responsiveness.CRITERIA))
        doomed = [r for r in derived if (r["document_id"], r["item_id"]) in pairs]
        for r in doomed:
            pairs[(r["document_id"], r["item_id"])].removed[table.name] += 1
        if doomed:
            self.conn.execute(sa.delete(table).where(table.c.id.in_([r["id"] for r in doomed])))

    def _production_counts(self, added: set[int]) -> None:
        """Bates prefix and range, document and page counts: as given, else derived.

        Derived from all the production's documents in the database (a rolling production
        may have been loaded from several sources). The prefix is derived only when every
        document shares it; exported, it then tells the loader how to split the labels.
        """
        d = T["document"]
        wanted: dict[str, dict[int, tuple[FileReport, Any]]] = {
            c: {} for c in ("bates_prefix", "bates_first", "bates_last", "doc_count",
                            "page_count")
        }
        specs = [(self.rep(f), p) for f in self.cat.files for p in f.case.productions]
        if not specs:
            return
        pids = [self.productions[p.slug] for _, p in specs]
        query = (
            sa.select(
                d.c.production_id,
                sa.func.min(d.c.bates_begin),
                sa.func.max(d.c.bates_end),
                sa.func.count(),
                sa.func.sum(sa.func.coalesce(d.c.page_count, d.c.bates_end - d.c.bates_begin + 1)),
            )
            .where(d.c.production_id.in_(pids))
            .group_by(d.c.production_id)
        )
        stats = {row[0]: row[1:] for row in self.conn.execute(query)}
        prefixes: dict[int, set[str]] = {}
        for row in self.conn.execute(
            sa.select(d.c.production_id, d.c.bates_prefix).distinct()
            .where(d.c.production_id.in_(pids))
        ):
            prefixes.setdefault(row[0], set()).add(row[1])
        for rep, p in specs:
            pid = self.productions[p.slug]
            first, last, count, pages = stats.get(pid, (None, None, 0, None))
            common = prefixes.get(pid, set())
            given = (p.bates_prefix, p.bates_first, p.bates_last, p.doc_count, p.page_count)
            derived = (
                next(iter(common)) if len(common) == 1 else None,
                first, last, count, int(pages) if pages is not None else None,
            )
            for column, value, fallback in zip(wanted, given, derived, strict=True):
                wanted[column][pid] = (rep, value if value is not None else fallback)
        for column, values in wanted.items():
            link(self.conn, T["production"], column, values, added)

    def privilege_logs(self) -> None:
        rows: list[tuple[FileReport, dict[str, Any]]] = []
        for f in self.cat.files:
            for log in f.case.privilege_logs:
                for e in log.entries:
                    rows.append((self.rep(f), {
                        "party_id": self.parties[log.party],
                        "production_id": self.productions.get(log.production),
                        "entry_no": e.entry_no, "doc_date": e.date, "author": e.author,
                        "recipients": e.recipients, "description": e.description,
                        "privilege": e.privilege, "doc_type": e.doc_type, "bates": e.bates,
                        "item_id": self.item_id(e.item) if e.item else None,
                    }))
        upsert(self.conn, T["privilege_entry"], ["party_id", "entry_no"], rows, in_col="party_id")

    def known_items(self) -> None:
        rows: list[tuple[FileReport, dict[str, Any]]] = []
        for f in self.cat.files:
            for k in f.case.known_items:
                party_id = self.parties[k.party]
                privilege = None
                if k.privilege_entry:
                    pe = T["privilege_entry"]
                    privilege = self.conn.execute(
                        sa.select(pe.c.id).where(pe.c.party_id == party_id,
                                                 pe.c.entry_no == k.privilege_entry)
                    ).scalar_one()
                rows.append((self.rep(f), {
                    "slug": k.slug, "party_id": party_id,
                    "item_id": self.item_id(k.item) if k.item else None,
                    "description": k.description, "basis": str(k.basis),
                    "basis_document_id": self.document_id(k.document) if k.document else None,
                    "basis_role": str(k.role) if k.role else None,
                    "citation": k.citation, "doc_date": k.doc_date, "status": str(k.status),
                    "status_reason": k.status_reason,
                    "produced_document_id": (
                        self.document_id(k.produced_as) if k.produced_as else None
                    ),
                    "privilege_entry_id": privilege,
                }))
        # A status decided by an action since (version > 1) is the action's: a re-load of
        # the file keeps it, and the file's status applies to new items only.
        ki = T["known_item"]
        decided = set(self.conn.execute(
            sa.select(ki.c.slug).where(ki.c.version > 1,
                                       ki.c.slug.in_([r["slug"] for _, r in rows]))
        ).scalars()) if rows else set()
        upsert(self.conn, ki, ["slug"], [r for r in rows if r[1]["slug"] not in decided])
        upsert(self.conn, ki, ["slug"], [r for r in rows if r[1]["slug"] in decided],
               insert_only=KNOWN_DECISION)

    def _entity_id(self, entity: str | None, key: str | None) -> int | None:
        if not key or entity not in HISTORY_ENTITIES:
            return None
        table = T[entity]
        found = self.conn.execute(sa.select(table.c.id).where(table.c.slug == key)).first()
        return int(found[0]) if found is not None else None

    def events(self, actor: str) -> None:
        """Recorded history, under ``actor`` (the person loading) with its origin noted; an
        event already loaded is never written again, and never changed."""
        rows: list[tuple[FileReport, dict[str, Any]]] = []
        refs: dict[str, Any] = {}
        undo: list[tuple[Any, str]] = []
        key_cols = ["at", "action", "entity", "entity_key", "reason"]
        for f in self.cat.files:
            for e in f.case.events:
                row = {
                    "at": as_utc(e.at), "actor": actor, "action": e.action,
                    "entity": e.entity, "entity_key": e.key, "reason": e.reason,
                    "entity_id": self._entity_id(e.entity, e.key),
                    "data": {**(e.data or {}), "origin": {"file": Path(f.name).name,
                                                          "actor": e.actor}},
                }
                rows.append((self.rep(f), row))
                key: Any = tuple(row[c] for c in key_cols)
                if e.ref:
                    refs[e.ref] = key
                if e.undoes:
                    undo.append((key, e.undoes))
        added: set[int] = set()
        ids = upsert(self.conn, T["event"], key_cols, rows, added=added,
                     insert_only=("actor", "entity_id", "data"))
        for key, target in undo:
            row_id, undone = ids.get(key), ids.get(refs.get(target, ()))
            if row_id in added and undone is not None:  # only rows this load wrote
                self.conn.execute(sa.update(T["event"]).where(T["event"].c.id == row_id)
                                  .values(undoes_id=undone))


def _unsaid(spec: Any, *fields: str) -> list[str]:
    """The optional fields ``spec``'s file does not mention: a load keeps what is stored."""
    return [f for f in fields if f not in spec.model_fields_set]


HISTORY_ENTITIES = {"party", "request", "known_item", "production", "committee"}
KNOWN_DECISION = ("status", "status_reason", "produced_document_id", "privilege_entry_id")


def read_all(paths: Sequence[str | Path]) -> list[ParsedFile]:
    """Parse and validate every file (the first problem raises)."""
    unique = list(dict.fromkeys(str(p) for p in paths))
    return [read_case_file(p) for p in unique]


class _DryRun(Exception):
    """Raised inside the load's transaction to roll it back (``dry_run``)."""


def load_parsed(
    engine: Engine, files: list[ParsedFile], *, actor: str = "cli", prune_undeclared: bool = False,
    dry_run: bool = False,
) -> LoadReport:
    """Load ``files`` in one transaction. Undeclared links are kept and listed in the report
    (``not_declared``), or removed as events with ``prune_undeclared``; ``dry_run`` reports
    what the load would do and changes nothing."""
    cat = build_catalog(files)
    reports = [FileReport(f.name) for f in files]
    result = LoadReport(reports, pruned=prune_undeclared)
    what = "load of " + ", ".join(Path(f.name).name for f in files)
    try:
        with writing(engine, actor=actor, what=what[:200]), engine.begin() as conn:
            check_against_database(conn, cat)
            before = conn.execute(sa.select(sa.func.max(T["event"].c.id))).scalar() or 0
            load = _Load(conn, cat, reports)
            load.committees_and_parties()
            load.requests_and_items()
            load.productions_and_documents()
            load.privilege_logs()
            load.known_items()
            load.events(actor)
            if any(r.updated.get("document") for r in reports):  # words changed in place
                rebuild_index(conn)
            at = utcnow()
            result.not_declared = describe(conn, load.undeclared)
            if prune_undeclared:
                prune(conn, load.undeclared, result.not_declared, at, actor)
            for parsed, report in zip(files, reports, strict=True):
                if report.changed:
                    conn.execute(sa.insert(T["event"]).values(
                        at=at, actor=actor, action="load", entity="casefile",
                        entity_key=Path(report.file).name[:200],
                        reason=f"loaded {report.file}",
                        data={**report.to_dict(), "sha256": parsed.sha256},
                    ))
            seal(conn, conn.execute(
                sa.select(T["event"].c.id).where(T["event"].c.id > before)
            ).scalars().all())
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except sa.exc.IntegrityError as exc:
        # The checks above catch what they can name a line for; this is the safety net.
        raise CaseFileError(
            f"conflicts with the database: {exc.orig}", file=", ".join(f.name for f in files)
        ) from exc
    return result


def load_case_files(
    engine: Engine, paths: Sequence[str | Path], *, actor: str = "cli",
    prune_undeclared: bool = False, dry_run: bool = False,
) -> LoadReport:
    """Validate ``paths``, then load them all in one transaction (all or nothing)."""
    return load_parsed(engine, read_all(paths), actor=actor,
                       prune_undeclared=prune_undeclared, dry_run=dry_run)
