"""Search-term reports: per term, how many documents it hits and where they are.

The report review teams trade with producing parties. For each term (one query per line of a
terms file, in the language of :mod:`gaptrack.search.query`):

* **documents**: documents the term matches;
* **with family**: those documents with their whole families (a hit on an attachment brings
  in its parent email and the other attachments, as a review would);
* **families**: distinct families hit;
* **unique**: documents this term matches and no other term in the file does (what the term
  alone adds to a review);
* **by party / by production**: documents matched per producing party and per production.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import Connection

from gaptrack.errors import InputError
from gaptrack.search.engine import matching_ids
from gaptrack.search.query import Query, SearchQueryError, parse_query

BATCH = 5_000


class TermRow(BaseModel):
    line: int
    term: str
    documents: int
    with_family: int
    families: int
    unique: int
    by_party: dict[str, int]
    by_production: dict[str, int]


@dataclass(frozen=True, slots=True)
class _Doc:
    party: str
    production: str
    family: int


def read_terms(path: Path) -> list[tuple[int, Query]]:
    """The terms of a file: one per line; blank lines and ``#`` comments skipped. A line
    with nothing to search for is an error naming the file and the line."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the terms: {exc}", file=path) from exc
    terms: list[tuple[int, Query]] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            terms.append((number, parse_query(text)))
        except SearchQueryError as exc:
            raise InputError(exc.message, file=path, line=number, field="term") from exc
    if not terms:
        raise InputError("the file holds no search terms", file=path)
    return terms


def _in_batches(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _details(connection: Connection, ids: Sequence[int]) -> dict[int, _Doc]:
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    out: dict[int, _Doc] = {}
    for batch in _in_batches(ids):
        marks = ", ".join([mark] * len(batch))
        for row in connection.exec_driver_sql(
            "SELECT d.id, p.slug, pr.slug, coalesce(d.parent_id, d.id) FROM document d"
            " JOIN party p ON p.id = d.party_id JOIN production pr ON pr.id = d.production_id"
            f" WHERE d.id IN ({marks})",
            tuple(batch),
        ):
            out[int(row[0])] = _Doc(str(row[1]), str(row[2]), int(row[3]))
    return out


def _family_sizes(connection: Connection, roots: Sequence[int]) -> dict[int, int]:
    """Documents per family (the parent and its attachments), for these family roots."""
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    sizes = dict.fromkeys(roots, 1)
    for batch in _in_batches(roots):
        marks = ", ".join([mark] * len(batch))
        for parent, count in connection.exec_driver_sql(
            f"SELECT parent_id, count(*) FROM document WHERE parent_id IN ({marks})"
            " GROUP BY parent_id",
            tuple(batch),
        ):
            sizes[int(parent)] += int(count)
    return sizes


def term_rows(
    connection: Connection,
    terms: Sequence[tuple[int, Query]],
    *,
    party: str | None = None,
) -> list[TermRow]:
    """The report's rows, one per term, in file order (``party``: only its documents)."""
    hits = {line: set(matching_ids(connection, query)) for line, query in terms}
    every = sorted(set().union(*hits.values()))
    docs = _details(connection, every)
    if party is not None:
        hits = {line: {i for i in ids if docs[i].party == party} for line, ids in hits.items()}
    times = Counter(i for ids in hits.values() for i in ids)
    sizes = _family_sizes(connection, sorted({d.family for d in docs.values()}))
    rows = []
    for line, query in terms:
        ids = hits[line]
        families = {docs[i].family for i in ids}
        rows.append(TermRow(
            line=line,
            term=query.text,
            documents=len(ids),
            with_family=sum(sizes[f] for f in families),
            families=len(families),
            unique=sum(1 for i in ids if times[i] == 1),
            by_party=dict(sorted(Counter(docs[i].party for i in ids).items())),
            by_production=dict(sorted(Counter(docs[i].production for i in ids).items())),
        ))
    return rows


def terms_workbook(
    rows: Sequence[TermRow], *, source: str, party: str | None, as_of: dt.date
) -> Any:
    """The report as a workbook (:mod:`gaptrack.reports.xlsx`): the terms, then documents
    per party and per production, one row per term and party (or production)."""
    from gaptrack.reports.xlsx import Column, Sheet, Workbook

    counts = ("documents", "with_family", "families", "unique")
    terms = Sheet("Terms", [Column("line", "line", "int"), Column("term", "term"),
                            *(Column(k, k.replace("_", " "), "int") for k in counts)],
                  [r.model_dump() for r in rows])
    per = [
        Sheet(title, [Column("term", "term"), Column("name", name), Column("n", "documents",
                                                                         "int")],
              [{"term": r.term, "name": k, "n": v} for r in rows
               for k, v in getattr(r, attr).items()])
        for title, name, attr in (("By party", "party", "by_party"),
                                  ("By production", "production", "by_production"))
    ]
    return Workbook(as_of=as_of, title="Search-term report",
                    about=[("terms file", source), ("party", party or "every party")],
                    sheets=[terms, *per])
