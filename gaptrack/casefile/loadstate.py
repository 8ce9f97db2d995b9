"""What one case-file load carries from section to section: its files and their reports,
the ids written so far (or found in the database), and the lookups the sections share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.casefile.catalog import Catalog
from gaptrack.casefile.reader import ParsedFile
from gaptrack.casefile.report import FileReport
from gaptrack.casefile.store import Undeclared, fetch
from gaptrack.models import metadata

T = metadata.tables


class SlugIds:
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


class LoadState:
    """One load: the files, their reports and the ids written so far."""

    def __init__(self, conn: Connection, cat: Catalog, reports: list[FileReport]) -> None:
        self.conn = conn
        self.cat = cat
        self.report = {id(f): r for f, r in zip(cat.files, reports, strict=True)}
        self.committees = SlugIds(conn, "committee")
        self.counsel = SlugIds(conn, "counsel")
        self.parties = SlugIds(conn, "party")
        self.requests = SlugIds(conn, "request")
        self.productions = SlugIds(conn, "production")
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


def unsaid(spec: Any, *fields: str) -> list[str]:
    """The optional fields ``spec``'s file does not mention: a load keeps what is stored."""
    return [f for f in fields if f not in spec.model_fields_set]
