"""Running a parsed query against the index: matching ids, ranked pages, counts.

Ranking: SQLite's ``bm25`` with the subject and title weighted 5, participants 2 and text 1;
PostgreSQL's ``ts_rank`` over the A (subject, title) / B (participants) / D (text) weights. Ties go
to the lower document id, so a page is the same every time.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.search.query import Query, fts5_match, tsquery_text
from gaptrack.search.schema import FTS_TABLE, PG_TABLE

_BM25 = f"bm25({FTS_TABLE}, 5.0, 5.0, 2.0, 2.0, 2.0, 2.0, 1.0)"
# ts_rank weights for {D, C, B, A}.
_PG_WEIGHTS = "'{0.2, 0.4, 0.4, 1.0}'"


def _filters(mark: str, party_id: int | None, production_id: int | None) -> tuple[str, list[Any]]:
    sql, params = "", []
    if party_id is not None:
        sql += f" AND d.party_id = {mark}"
        params.append(party_id)
    if production_id is not None:
        sql += f" AND d.production_id = {mark}"
        params.append(production_id)
    return sql, params


def _sqlite_from(query: Query, columns: tuple[str, ...]) -> tuple[str, list[Any]]:
    return (
        f" FROM {FTS_TABLE} JOIN document d ON d.id = {FTS_TABLE}.rowid"
        f" WHERE {FTS_TABLE} MATCH ?",
        [fts5_match(query, columns)],
    )


def _pg_from(query: Query, columns: tuple[str, ...]) -> tuple[str, list[Any]]:
    tsv = "s.tsv"
    if columns:  # keyword criteria: the subject and title (A) and the text (D)
        tsv = "ts_filter(s.tsv, '{a,d}')"
    return (
        f" FROM {PG_TABLE} s JOIN document d ON d.id = s.document_id,"
        " to_tsquery('simple', %s) q"
        f" WHERE s.tsv @@ q" + (f" AND {tsv} @@ q" if columns else ""),
        [tsquery_text(query)],
    )


def matching_sql(
    connection: Connection,
    query: Query,
    *,
    columns: tuple[str, ...] = (),
    party_id: int | None = None,
    production_id: int | None = None,
    select: str = "d.id",
) -> tuple[str, list[Any]]:
    """``SELECT <select> FROM … WHERE <matches>`` and its parameters (driver style)."""
    pg = connection.dialect.name == "postgresql"
    source, params = (_pg_from if pg else _sqlite_from)(query, columns)
    extra, extra_params = _filters("%s" if pg else "?", party_id, production_id)
    return f"SELECT {select}{source}{extra}", params + extra_params


def matching_ids(
    connection: Connection, query: Query, *, columns: tuple[str, ...] = ()
) -> list[int]:
    sql, params = matching_sql(connection, query, columns=columns)
    return [int(r[0]) for r in connection.exec_driver_sql(sql, tuple(params))]


def ranked_page(
    connection: Connection,
    query: Query,
    *,
    party_id: int | None,
    production_id: int | None,
    limit: int,
    offset: int = 0,
    joined: bool = False,
) -> list[tuple[int, float]]:
    """(document id, score) for one page of hits, best first (higher scores are better).

    A top-N sort over the index alone: the page is asked for by itself (a count beside it
    would make the database keep and sort every hit), and on SQLite the document table is
    joined only to filter by party or production — FTS5's rowid is the document id — or
    when ``joined`` (the index may hold a row whose document left without an event).
    """
    pg = connection.dialect.name == "postgresql"
    mark = "%s" if pg else "?"
    if not pg and not joined and party_id is None and production_id is None:
        sql = (
            f"SELECT rowid, -{_BM25} AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
            f" ORDER BY score DESC, rowid LIMIT ? OFFSET ?"
        )
        params: list[Any] = [fts5_match(query)]
    else:
        score = f"ts_rank({_PG_WEIGHTS}, s.tsv, q)" if pg else f"-{_BM25}"
        sql, params = matching_sql(
            connection, query, party_id=party_id, production_id=production_id,
            select=f"d.id AS id, {score} AS score",
        )
        sql += f" ORDER BY score DESC, id LIMIT {mark} OFFSET {mark}"
    rows = connection.exec_driver_sql(sql, (*params, limit, offset)).all()
    return [(int(r[0]), float(r[1])) for r in rows]


def count_matches(
    connection: Connection,
    query: Query,
    *,
    party_id: int | None,
    production_id: int | None,
    cap: int,
    joined: bool = False,
) -> tuple[int, bool]:
    """How many documents match, counting at most ``cap`` (and whether it stopped there)."""
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    if mark == "?" and not joined and party_id is None and production_id is None:
        sql = f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        params: list[Any] = [fts5_match(query)]
    else:
        sql, params = matching_sql(
            connection, query, party_id=party_id, production_id=production_id, select="1"
        )
    total = int(
        connection.exec_driver_sql(
            f"SELECT count(*) FROM ({sql} LIMIT {mark}) AS hits", (*params, cap + 1)
        ).scalar_one()
    )
    return min(total, cap), total > cap


def id_subquery(dialect: str, query: Query) -> Any:
    """The ids of the matching documents as a Core subquery, to filter another query by."""
    if dialect == "postgresql":
        text = sa.text(
            f"SELECT document_id AS id FROM {PG_TABLE}"
            " WHERE tsv @@ to_tsquery('simple', :search_q)"
        ).bindparams(search_q=tsquery_text(query))
    else:
        text = sa.text(
            f"SELECT rowid AS id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :search_q"
        ).bindparams(search_q=fts5_match(query))
    return text.columns(sa.column("id", sa.Integer))
