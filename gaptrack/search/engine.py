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
) -> tuple[list[tuple[int, float]], int | None]:
    """(document id, score) for one page of hits, best first (higher scores are better), and
    how many documents match in all, counted in the same pass (None for a page past the end).
    """
    pg = connection.dialect.name == "postgresql"
    score = f"ts_rank({_PG_WEIGHTS}, s.tsv, q)" if pg else f"-{_BM25}"
    inner, params = matching_sql(
        connection, query, party_id=party_id, production_id=production_id,
        select=f"d.id AS id, {score} AS score",
    )
    mark = "%s" if pg else "?"
    # bm25() cannot sit beside a window function: rank inside, count outside.
    sql = (
        f"SELECT id, score, count(*) OVER () AS total FROM ({inner}) AS hits"
        f" ORDER BY score DESC, id LIMIT {mark} OFFSET {mark}"
    )
    rows = connection.exec_driver_sql(sql, (*params, limit, offset)).all()
    total = int(rows[0][2]) if rows else (0 if offset == 0 else None)
    return [(int(r[0]), float(r[1])) for r in rows], total


def count_matches(
    connection: Connection,
    query: Query,
    *,
    party_id: int | None,
    production_id: int | None,
    cap: int,
) -> tuple[int, bool]:
    """How many documents match, counting at most ``cap`` (and whether it stopped there)."""
    sql, params = matching_sql(
        connection, query, party_id=party_id, production_id=production_id, select="1"
    )
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
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
