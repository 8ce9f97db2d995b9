"""Case-file load sections: committees, counsel and parties; letters, their items and
what hangs off them. Each section writes through ``casefile/store``."""

from __future__ import annotations

from typing import Any

from gaptrack.casefile.loadstate import LoadState, T, unsaid
from gaptrack.casefile.report import FileReport
from gaptrack.casefile.store import KEEP, link, sync_children, upsert
from gaptrack.matching import normalise_name
from gaptrack.models.enums import CriterionKind


def committees_and_parties(load: LoadState) -> None:
    rows: list[tuple[FileReport, dict[str, Any]]] = []
    for f in load.cat.files:
        for c in f.case.committees:
            rows.append((load.rep(f), {"slug": c.slug, "name": c.name,
                                       "chamber": str(c.chamber), "thomas_id": c.thomas_id,
                                       KEEP: unsaid(c, "thomas_id")}))
    load.committees.update(upsert(load.conn, T["committee"], ["slug"], rows))
    contacts: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    for f in load.cat.files:
        for c in (c for c in f.case.committees if "contacts" in c.model_fields_set):
            contacts[load.committees[c.slug]] = (load.rep(f), [
                {"position": i, "name": x.name, "email": x.email, "role": x.role}
                for i, x in enumerate(c.contacts)
            ])
    sync_children(load.conn, T["committee_contact"], "committee_id", contacts,
                  ["position", "name", "email", "role"])
    rows = []
    for f in load.cat.files:
        for cn in f.case.counsel:
            rows.append((load.rep(f), {"slug": cn.slug, "name": cn.name, "firm": cn.firm,
                                       "email": cn.email, "honorific": cn.honorific,
                                       KEEP: unsaid(cn, "firm", "email", "honorific")}))
    load.counsel.update(upsert(load.conn, T["counsel"], ["slug"], rows))
    rows = []
    for f in load.cat.files:
        for p in f.case.parties:
            rows.append((load.rep(f), {"slug": p.slug, "name": p.name, "kind": str(p.kind),
                                       "description": p.description,
                                       "honorific": p.honorific,
                                       KEEP: unsaid(p, "kind", "description",
                                                     "honorific")}))
    load.parties.update(upsert(load.conn, T["party"], ["slug"], rows))
    aliases: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    addresses: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    counsel: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    for f in load.cat.files:
        for p in f.case.parties:
            pid = load.parties[p.slug]
            # One row per folded name: "Hicks, Hope" and "Hope Hicks" are one alias.
            folded: dict[str, str] = {}
            for a in p.aliases:
                folded.setdefault(normalise_name(a) or a.strip().casefold(), a)
            aliases[pid] = (load.rep(f), [
                {"alias": a, "alias_norm": n} for n, a in folded.items()
            ])
            addresses[pid] = (load.rep(f), [
                {"address": a.strip().lower()} for a in p.addresses
            ])
            counsel[pid] = (load.rep(f), [
                {"counsel_id": load.counsel[c]} for c in p.counsel
            ])
    # Merged, never pruned here: another load (or the TUI) may have declared the others.
    merge = load.undeclared
    sync_children(load.conn, T["party_alias"], "party_id", aliases, ["alias", "alias_norm"],
                  match=["alias_norm"], undeclared=merge)
    sync_children(load.conn, T["party_address"], "party_id", addresses, ["address"],
                  undeclared=merge)
    sync_children(load.conn, T["representation"], "party_id", counsel, ["counsel_id"],
                  undeclared=merge)


def requests_and_items(load: LoadState) -> None:
    """Letters, then what hangs off them (recipients, signatories, counsel, replies), then
    their items and the items' criteria and certifications."""
    added = _requests(load)
    item_rows = _letter_links(load, added)
    added_items = _items(load, item_rows)
    _item_links(load, added_items)


def _requests(load: LoadState) -> set[int]:
    """Upsert the letters; the ids of the ones this load added."""
    rows: list[tuple[FileReport, dict[str, Any]]] = []
    for f in load.cat.files:
        for r in f.case.requests:
            rows.append((load.rep(f), {
                "slug": r.slug, "committee_id": load.committees[r.committee],
                "kind": str(r.kind), "title": r.title, "date_sent": r.date_sent,
                "deadline": r.deadline, "summary": r.summary, "source": r.source,
                "withdrawn_on": r.withdrawn.date if r.withdrawn else None,
                "withdrawn_reason": r.withdrawn.reason if r.withdrawn else None,
            }))
    added: set[int] = set()
    load.requests.update(upsert(load.conn, T["request"], ["slug"], rows, added=added))
    return added


def _letter_links(load: LoadState, added: set[int]) -> list[tuple[FileReport, dict[str, Any]]]:
    """Follow-ups, recipients, counsel, signatories and replies; the item rows to upsert."""
    follows: dict[int, tuple[FileReport, Any]] = {}
    recipients: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    signatories: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    replies: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    counsel: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    item_rows: list[tuple[FileReport, dict[str, Any]]] = []
    for f in load.cat.files:
        rep = load.rep(f)
        for r in f.case.requests:
            rid = load.requests[r.slug]
            follows[rid] = (rep, load.requests.get(r.follows_up))
            via = [load.counsel[c] for c in r.counsel]
            recipients[rid] = (rep, [
                {"party_id": load.parties[p], "counsel_id": via[0] if via else None}
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
                {"party_id": load.parties.get(x.party), "date": x.date, "author": x.author,
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
    link(load.conn, T["request"], "follows_up_id", follows, added)
    sync_children(load.conn, T["request_recipient"], "request_id", recipients,
                  ["party_id", "counsel_id"])
    sync_children(load.conn, T["signatory"], "request_id", signatories,
                  ["position", "name", "role", "bioguide_id"])
    sync_children(load.conn, T["request_counsel"], "request_id", counsel,
                  ["position", "counsel_id"])
    sync_children(load.conn, T["reply"], "request_id", replies,
                  ["party_id", "date", "author", "summary", "source", "response_kind",
                   "response_items"])
    return item_rows


def _items(load: LoadState, item_rows: list[tuple[FileReport, dict[str, Any]]]) -> set[int]:
    """Upsert the items and note their ids; the ids of the ones this load added."""
    added_items: set[int] = set()
    item_ids = upsert(load.conn, T["request_item"], ["request_id", "number"], item_rows,
                      in_col="request_id", added=added_items)
    slug_of = {v: k for k, v in load.requests.ids.items()}
    for key, item_id in item_ids.items():
        load.items[(slug_of[int(str(key[0]))], str(key[1]))] = item_id
    return added_items


def _item_links(load: LoadState, added_items: set[int]) -> None:
    """Renewed items, criteria and certifications."""
    renews: dict[int, tuple[FileReport, Any]] = {}
    criteria: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    certs: dict[int, tuple[FileReport, list[dict[str, Any]]]] = {}
    for f in load.cat.files:
        rep = load.rep(f)
        for r in f.case.requests:
            for item in r.items:
                iid = load.items[(r.slug, item.number)]
                renews[iid] = (rep, load.item_id(item.renews) if item.renews else None)
                crit = item.criteria
                criteria[iid] = (rep, [
                    *({"kind": str(CriterionKind.CORRESPONDENT), "value": p,
                       "party_id": load.parties[p]} for p in crit.correspondents),
                    *({"kind": str(CriterionKind.KEYWORD), "value": k, "party_id": None}
                      for k in crit.keywords),
                    *({"kind": str(CriterionKind.DOC_TYPE), "value": str(d),
                       "party_id": None} for d in crit.doc_types),
                ])
                certs[iid] = (rep, [])
            for c in r.certifications:
                certs[load.items[(r.slug, c.item)]][1].append({
                    "party_id": load.parties[c.party], "kind": str(c.kind), "date": c.date,
                    "statement": c.statement,
                })
    link(load.conn, T["request_item"], "renews_item_id", renews, added_items)
    sync_children(load.conn, T["item_criterion"], "item_id", criteria,
                  ["kind", "value", "party_id"])
    sync_children(load.conn, T["item_certification"], "item_id", certs,
                  ["party_id", "kind", "date", "statement"])
