"""Everything the files define, checked across files before anything is written.

The catalog finds conflicting definitions, bad and duplicate Bates numbers, and references
that name nothing in the files; ``check_against_database`` then asks the database (in the
load's transaction, before any write) about the names the files do not define.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection

from gaptrack.bates import Bates, parse_bates
from gaptrack.casefile.reader import ParsedFile
from gaptrack.casefile.schema import DocumentSpec, ProductionSpec
from gaptrack.casefile.store import fetch
from gaptrack.errors import CaseFileError
from gaptrack.models import metadata
from gaptrack.models.enums import KnownBasis

Path = tuple[str | int, ...]
BatesKey = tuple[str, int, str]


@dataclass(slots=True)
class Where:
    file: ParsedFile
    path: Path

    def error(self, message: str, *more: str | int) -> CaseFileError:
        return self.file.error(message, (*self.path, *more))


@dataclass(slots=True)
class DocPlan:
    spec: DocumentSpec
    production: ProductionSpec
    where: Where
    begin: Bates
    end: Bates

    @property
    def key(self) -> BatesKey:
        return (self.begin.prefix, self.begin.number, self.begin.suffix)


@dataclass(slots=True)
class Catalog:
    files: list[ParsedFile]
    committees: dict[str, Where] = field(default_factory=dict)
    counsel: dict[str, Where] = field(default_factory=dict)
    parties: dict[str, Where] = field(default_factory=dict)
    requests: dict[str, Where] = field(default_factory=dict)
    items: set[tuple[str, str]] = field(default_factory=set)
    productions: dict[str, Where] = field(default_factory=dict)
    known: dict[str, Where] = field(default_factory=dict)
    privilege: set[tuple[str, str]] = field(default_factory=set)
    documents: dict[BatesKey, DocPlan] = field(default_factory=dict)
    labels: dict[str, DocPlan] = field(default_factory=dict)
    addresses: dict[str, tuple[str, Where]] = field(default_factory=dict)  # -> party slug


def _define(
    found: dict[str, Where], specs: dict[str, BaseModel], slug: str, spec: BaseModel, where: Where,
    *, label: str, shared: bool,
) -> None:
    """Record a definition; a second one must be identical (``shared``) or is an error."""
    first = found.get(slug)
    if first is None:
        found[slug] = where
        specs[slug] = spec
        return
    if shared and specs[slug] == spec:
        return
    why = "differently" if shared else "twice"
    raise where.error(
        f"{label} {slug!r} is defined {why}: first at {first.file.name}:"
        f"{first.file.lines.line(first.path)} (define it in one file only)",
        "slug",
    )


def _bates(label: str, prefix: str | None, where: Where, fld: str) -> Bates:
    try:
        bates = parse_bates(label, prefix)
    except ValueError as exc:
        raise where.error(f"not a Bates number: {exc}", fld) from exc
    if prefix is not None and bates.prefix != prefix:
        raise where.error(
            f"Bates number {label!r} does not start with the production's prefix {prefix!r}",
            fld,
        )
    return bates


def _document(doc: DocumentSpec, production: ProductionSpec, where: Where) -> DocPlan:
    begin = _bates(doc.bates, production.bates_prefix, where, "bates")
    if doc.pages is not None and doc.pages < 1:
        raise where.error("pages must be at least 1", "pages")
    if doc.bates_end is not None:
        end = _bates(doc.bates_end, production.bates_prefix or begin.prefix, where, "bates_end")
        if end.number < begin.number:
            raise where.error(f"ends before it begins ({doc.bates})", "bates_end")
    else:
        end = Bates(begin.prefix, begin.number + (doc.pages or 1) - 1, begin.width, begin.suffix)
    return DocPlan(doc, production, where, begin, end)


def build_catalog(files: list[ParsedFile]) -> Catalog:
    cat = Catalog(files)
    specs: dict[str, dict[str, BaseModel]] = {
        k: {} for k in ("committee", "counsel", "party", "request", "production", "known")
    }
    for f in files:
        case = f.case
        for i, c in enumerate(case.committees):
            w = Where(f, ("committees", i))
            _define(cat.committees, specs["committee"], c.slug, c, w, label="committee",
                    shared=True)
        for i, cn in enumerate(case.counsel):
            w = Where(f, ("counsel", i))
            _define(cat.counsel, specs["counsel"], cn.slug, cn, w, label="counsel", shared=True)
        for i, p in enumerate(case.parties):
            w = Where(f, ("parties", i))
            _define(cat.parties, specs["party"], p.slug, p, w, label="party", shared=True)
            for j, address in enumerate(p.addresses):
                key = address.strip().lower()
                owner = cat.addresses.get(key)
                if owner is not None and owner[0] != p.slug:
                    raise w.error(
                        f"address {address!r} already belongs to {owner[0]!r} "
                        f"({owner[1].file.name}:{owner[1].file.lines.line(owner[1].path)}): "
                        "an address identifies one party",
                        "addresses", j,
                    )
                cat.addresses[key] = (p.slug, Where(f, ("parties", i, "addresses", j)))
        for i, r in enumerate(case.requests):
            w = Where(f, ("requests", i))
            _define(cat.requests, specs["request"], r.slug, r, w, label="request", shared=False)
            numbers: set[str] = set()
            for j, item in enumerate(r.items):
                if item.number in numbers:
                    raise w.error(f"item {item.number!r} appears twice", "items", j, "number")
                if item.date_from and item.date_to and item.date_from > item.date_to:
                    raise w.error("date_to is before date_from", "items", j, "date_to")
                numbers.add(item.number)
                cat.items.add((r.slug, item.number))
        for i, prod in enumerate(case.productions):
            w = Where(f, ("productions", i))
            _define(cat.productions, specs["production"], prod.slug, prod, w,
                    label="production", shared=False)
            for j, doc in enumerate(prod.documents):
                plan = _document(doc, prod, Where(f, ("productions", i, "documents", j)))
                other = cat.documents.get(plan.key)
                if other is not None:
                    raise plan.where.error(
                        f"duplicate Bates number {doc.bates}: already used at "
                        f"{other.where.file.name}:{other.where.file.lines.line(other.where.path)}"
                        f" (production {other.production.slug!r})",
                        "bates",
                    )
                cat.documents[plan.key] = plan
                cat.labels[doc.bates.strip()] = plan
        for i, k in enumerate(case.known_items):
            w = Where(f, ("known_items", i))
            _define(cat.known, specs["known"], k.slug, k, w, label="known item", shared=False)
            if k.basis == KnownBasis.OTHER_PRODUCTION and not (k.document and k.role):
                missing = "document" if not k.document else "role"
                raise w.error(
                    "basis other-production needs the other party's document (its Bates "
                    "number) and this party's role on it",
                    missing,
                )
        for i, log in enumerate(case.privilege_logs):
            seen: set[str] = set()
            for j, entry in enumerate(log.entries):
                if entry.entry_no in seen or (log.party, entry.entry_no) in cat.privilege:
                    raise Where(f, ("privilege_logs", i, "entries", j)).error(
                        f"privilege-log entry {entry.entry_no!r} of {log.party!r} appears twice",
                        "entry_no",
                    )
                seen.add(entry.entry_no)
                cat.privilege.add((log.party, entry.entry_no))
    _check_document_links(cat)
    return cat


def _check_document_links(cat: Catalog) -> None:
    """Families stay inside a production; "known" evidence is another party's document."""
    for plan in cat.documents.values():
        parent = cat.labels.get((plan.spec.parent or "").strip())
        if parent is not None and parent.production.slug != plan.production.slug:
            raise plan.where.error(
                f"the parent {plan.spec.parent} is in another production "
                f"({parent.production.slug!r})",
                "parent",
            )
    for f in cat.files:
        for i, k in enumerate(f.case.known_items):
            doc = cat.labels.get((k.document or "").strip())
            if doc is not None and doc.production.party == k.party:
                raise Where(f, ("known_items", i)).error(
                    f"{k.document} is {k.party!r}'s own document: evidence that a document "
                    "exists comes from another party (use produced_as for the party's copy)",
                    "document",
                )
            own = cat.labels.get((k.produced_as or "").strip())
            if own is not None and own.production.party != k.party:
                raise Where(f, ("known_items", i)).error(
                    f"{k.produced_as} was produced by {own.production.party!r}, not by "
                    f"{k.party!r}",
                    "produced_as",
                )


# --- references -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    kind: str  # committee, counsel, party, request, item, production, document, privilege
    value: Any
    where: Where
    field: tuple[str | int, ...]


def _item(ref: str) -> tuple[str, str]:
    request, _, number = ref.partition("#")
    return request, number


def references(cat: Catalog) -> Iterator[Ref]:
    """Every name the files use, with where it was written."""
    for f in cat.files:
        case = f.case
        for i, p in enumerate(case.parties):
            for j, slug in enumerate(p.counsel):
                yield Ref("counsel", slug, Where(f, ("parties", i)), ("counsel", j))
        for i, r in enumerate(case.requests):
            w = Where(f, ("requests", i))
            yield Ref("committee", r.committee, w, ("committee",))
            if r.follows_up:
                yield Ref("request", r.follows_up, w, ("follows_up",))
            for j, slug in enumerate(r.to):
                yield Ref("party", slug, w, ("to", j))
            for j, slug in enumerate(r.counsel):
                yield Ref("counsel", slug, w, ("via",) if isinstance(r.via, str) else ("via", j))
            numbers = {item.number for item in r.items}
            for j, item in enumerate(r.items):
                if item.renews:
                    yield Ref("item", _item(item.renews), w, ("items", j, "renews"))
                for k, slug in enumerate(item.criteria.correspondents):
                    yield Ref("party", slug, w, ("items", j, "criteria", "correspondents", k))
            for j, reply in enumerate(r.replies):
                if reply.party:
                    yield Ref("party", reply.party, w, ("replies", j, "party"))
                for k, number in enumerate(reply.response.items if reply.response else []):
                    if number not in numbers:
                        raise w.error(f"this letter has no item {number!r}",
                                      "replies", j, "response", "items", k)
            for j, cert in enumerate(r.certifications):
                yield Ref("party", cert.party, w, ("certifications", j, "party"))
                if cert.item not in numbers:
                    raise w.error(f"this letter has no item {cert.item!r}",
                                  "certifications", j, "item")
        for i, prod in enumerate(case.productions):
            w = Where(f, ("productions", i))
            yield Ref("party", prod.party, w, ("party",))
            for j, slug in enumerate(prod.answers):
                yield Ref("request", slug, w, ("answers", j))
            for j, doc in enumerate(prod.documents):
                for k, ref in enumerate(doc.answers):
                    yield Ref("item", _item(ref), w, ("documents", j, "answers", k))
                if doc.parent:
                    yield Ref("document", doc.parent.strip(), w, ("documents", j, "parent"))
        for i, known in enumerate(case.known_items):
            w = Where(f, ("known_items", i))
            yield Ref("party", known.party, w, ("party",))
            if known.item:
                yield Ref("item", _item(known.item), w, ("item",))
            if known.document:
                yield Ref("document", known.document.strip(), w, ("document",))
            if known.produced_as:
                yield Ref("document", known.produced_as.strip(), w, ("produced_as",))
            if known.privilege_entry:
                yield Ref("privilege", (known.party, known.privilege_entry), w,
                          ("privilege_entry",))
        for i, log in enumerate(case.privilege_logs):
            w = Where(f, ("privilege_logs", i))
            yield Ref("party", log.party, w, ("party",))
            if log.production:
                yield Ref("production", log.production, w, ("production",))
            for j, entry in enumerate(log.entries):
                if entry.item:
                    yield Ref("item", _item(entry.item), w, ("entries", j, "item"))


_TABLE = {
    "committee": "committee",
    "counsel": "counsel",
    "party": "party",
    "request": "request",
    "production": "production",
}


_SECTIONS = {
    "committee": "committees",
    "counsel": "counsel",
    "party": "parties",
    "request": "requests",
    "production": "productions",
}


def _in_files(cat: Catalog, ref: Ref) -> bool:
    if ref.kind == "item":
        return tuple(ref.value) in cat.items
    if ref.kind == "document":
        return str(ref.value) in cat.labels
    if ref.kind == "privilege":
        return tuple(ref.value) in cat.privilege
    found: dict[str, Where] = getattr(cat, _SECTIONS[ref.kind])
    return ref.value in found


def _in_database(conn: Connection, refs: list[Ref]) -> set[tuple[str, Any]]:
    """The (kind, value) pairs of ``refs`` that the database holds."""
    t = metadata.tables
    found: set[tuple[str, Any]] = set()
    by_kind: dict[str, list[Ref]] = {}
    for ref in refs:
        by_kind.setdefault(ref.kind, []).append(ref)
    for kind, table in _TABLE.items():
        if kind in by_kind:
            rows = fetch(conn, t[table], "slug", (r.value for r in by_kind[kind]))
            found.update((kind, row["slug"]) for row in rows)
    if "item" in by_kind:
        query = sa.select(t["request"].c.slug, t["request_item"].c.number).join(
            t["request_item"], t["request_item"].c.request_id == t["request"].c.id
        )
        slugs = sorted({r.value[0] for r in by_kind["item"]})
        for row in conn.execute(query.where(t["request"].c.slug.in_(slugs))):
            found.add(("item", (row.slug, row.number)))
    if "document" in by_kind:
        rows = fetch(conn, t["document"], "begin_label", (r.value for r in by_kind["document"]))
        found.update(("document", row["begin_label"]) for row in rows)
    if "privilege" in by_kind:
        query = sa.select(t["party"].c.slug, t["privilege_entry"].c.entry_no).join(
            t["privilege_entry"], t["privilege_entry"].c.party_id == t["party"].c.id
        )
        slugs = sorted({r.value[0] for r in by_kind["privilege"]})
        for row in conn.execute(query.where(t["party"].c.slug.in_(slugs))):
            found.add(("privilege", (row.slug, row.entry_no)))
    return found


def _describe(ref: Ref) -> str:
    if ref.kind == "item":
        return f"unknown request item {ref.value[0]}#{ref.value[1]}"
    if ref.kind == "document":
        return f"unknown document {ref.value!r} (no production has this Bates number)"
    if ref.kind == "privilege":
        return f"{ref.value[0]!r} has no privilege-log entry {ref.value[1]!r}"
    return f"unknown {ref.kind} {ref.value!r}"


def check_against_database(conn: Connection, cat: Catalog) -> None:
    """Unknown names, and Bates numbers another production already holds."""
    missing = [r for r in references(cat) if not _in_files(cat, r)]
    if missing:
        present = _in_database(conn, missing)
        for ref in missing:
            if (ref.kind, ref.value) not in present:
                raise ref.where.error(_describe(ref), *ref.field)
    _check_bates(conn, cat)
    _check_addresses(conn, cat)


def _check_addresses(conn: Connection, cat: Catalog) -> None:
    """An address the database gives to a party these files do not define stays with it."""
    if not cat.addresses:
        return
    t = metadata.tables
    query = sa.select(t["party_address"].c.address, t["party"].c.slug).join(
        t["party"], t["party"].c.id == t["party_address"].c.party_id
    )
    wanted = sorted(cat.addresses)
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        for row in conn.execute(query.where(t["party_address"].c.address.in_(part))):
            slug, where = cat.addresses[row.address]
            if row.slug != slug and row.slug not in cat.parties:
                raise where.error(
                    f"address {row.address!r} belongs to party {row.slug!r} in the database: "
                    "an address identifies one party"
                )


def _check_bates(conn: Connection, cat: Catalog) -> None:
    if not cat.documents:
        return
    t = metadata.tables
    query = (
        sa.select(
            t["document"].c.bates_prefix,
            t["document"].c.bates_begin,
            t["document"].c.bates_suffix,
            t["production"].c.slug,
        )
        .join(t["production"], t["production"].c.id == t["document"].c.production_id)
    )
    numbers = sorted({key[1] for key in cat.documents})
    for start in range(0, len(numbers), 500):
        part = numbers[start : start + 500]
        for row in conn.execute(query.where(t["document"].c.bates_begin.in_(part))):
            plan = cat.documents.get((row.bates_prefix, row.bates_begin, row.bates_suffix))
            if plan is not None and plan.production.slug != row.slug:
                raise plan.where.error(
                    f"duplicate Bates number {plan.spec.bates}: the database already has it "
                    f"in production {row.slug!r}",
                    "bates",
                )
