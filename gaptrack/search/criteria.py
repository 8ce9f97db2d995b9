"""Item keyword criteria through the index: whole words, Unicode case and accents folded.

A keyword criterion is met when the keyword, as a phrase, occurs in the document's subject
or text ("page" is not met by "pages"; "résumé" is met by "RÉSUMÉ"). The gap engine asks set
by set: :func:`keyword_hits` fills a temporary table of (item, document) pairs from the
index, one indexed query per keyword, and the criteria query joins it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.models.enums import CriterionKind
from gaptrack.search.engine import matching_sql
from gaptrack.search.index import ensure_index
from gaptrack.search.query import keyword_query
from gaptrack.search.schema import KEYWORD_COLUMNS

KEYWORD_HIT = sa.Table(
    "keyword_hit",
    sa.MetaData(),
    sa.Column("item_id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, primary_key=True),
    prefixes=["TEMPORARY"],
)


def _prepare(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "CREATE TEMPORARY TABLE IF NOT EXISTS keyword_hit"
            " (item_id integer, document_id integer, PRIMARY KEY (item_id, document_id))"
            " ON COMMIT DROP"
        )
    else:
        connection.exec_driver_sql(
            "CREATE TEMPORARY TABLE IF NOT EXISTS keyword_hit"
            " (item_id integer, document_id integer, PRIMARY KEY (item_id, document_id))"
        )
    connection.exec_driver_sql("DELETE FROM keyword_hit")


def keyword_hits(connection: Connection, after_id: int) -> sa.Table:
    """Fill ``keyword_hit`` with every (item, document newer than ``after_id``) whose
    document meets one of the item's keywords; the table, to join on."""
    c = t.criterion
    pg = connection.dialect.name == "postgresql"
    mark = "%s" if pg else "?"
    criteria = connection.execute(
        sa.select(c.c.item_id, c.c.value).where(c.c.kind == CriterionKind.KEYWORD.value)
    ).all()
    # Imports leave the index to its first reader; with no keyword criteria this is none.
    if criteria:
        ensure_index(connection)
    _prepare(connection)
    for item_id, value in criteria:
        query = keyword_query(str(value))
        if query is None:
            continue
        sql, params = matching_sql(
            connection, query, columns=KEYWORD_COLUMNS, select=f"{int(item_id)}, d.id"
        )
        sql += f" AND d.id > {mark}"
        verb = "INSERT INTO" if pg else "INSERT OR IGNORE INTO"
        tail = " ON CONFLICT DO NOTHING" if pg else ""
        connection.exec_driver_sql(
            f"{verb} keyword_hit(item_id, document_id) {sql}{tail}", (*params, after_id)
        )
    return KEYWORD_HIT
