"""The full-text index's storage, per backend, and how the schema comparison leaves it out.

* **SQLite**: an FTS5 table with *external content* (``content='document'``): the index holds
  only the tokens, the words themselves stay in ``document`` and ``snippet()`` reads them from
  there. Tokeniser ``unicode61`` with diacritics removed: case and accents fold the Unicode
  way ("résumé" finds "RÉSUMÉ" and "Resume"), and tokens are whole words ("page" does not
  find "pages").
* **PostgreSQL**: a side table ``document_search`` of one ``tsvector`` per document (subject
  weighted A, participants B, text D) under a GIN index, built with the ``simple``
  configuration (lower-cased words, no stemming, no stop words: a search for "the" finds it)
  over text with accents removed by :func:`fold_sql`, so both backends fold the same way. Its
  rows go with their document (``ON DELETE CASCADE``).

Neither is kept in step by triggers: a bulk import of a million documents must not pay a
per-row index update. An import leaves its production unindexed; the first reader
(:func:`gaptrack.search.index.ensure_index`, which every search, term report and keyword
criterion calls first) adds each new production's documents in one set-based INSERT …
SELECT. The index is derived data, so it lives outside
the models' metadata; the migration creates it and :func:`ensure_schema` creates it where a
database predates it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

FTS_TABLE = "document_fts"
PG_TABLE = "document_search"
# The document columns the index covers; on SQLite the FTS5 columns carry the same names
# (external content reads them from ``document`` by name).
COLUMNS = ("subject", "title", "sender", "recipients", "cc", "bcc", "text")
# A keyword criterion looks at the subject (or title) and the text only.
KEYWORD_COLUMNS = ("subject", "title", "text")

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    + ", ".join(COLUMNS)
    + ", content='document', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')"
)

# Accents folded before the parser sees the text: translate() over the Latin letters that
# carry them (the unaccent extension would need a superuser to install).
_ACCENTED = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŸ"
_PLAIN = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyyY"
assert len(_ACCENTED) == len(_PLAIN)


def fold_sql(expression: str) -> str:
    """SQL (PostgreSQL) for ``expression`` lower-cased with its accents removed."""
    return f"lower(translate({expression}, '{_ACCENTED}', '{_PLAIN}'))"


_FOLD = str.maketrans(_ACCENTED, _PLAIN)


def fold(value: str) -> str:
    """:func:`fold_sql` in Python, for the words of a query."""
    return value.translate(_FOLD).lower()


PG_DDL = (
    f"CREATE TABLE IF NOT EXISTS {PG_TABLE} ("
    " document_id integer PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,"
    " production_id integer NOT NULL,"
    " tsv tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_{PG_TABLE}_tsv ON {PG_TABLE} USING gin (tsv)",
    f"CREATE INDEX IF NOT EXISTS ix_{PG_TABLE}_production ON {PG_TABLE} (production_id)",
)


def _is_index_object(name: str | None) -> bool:
    return bool(name) and (
        str(name).startswith(FTS_TABLE) or str(name).startswith(PG_TABLE)
    )


def include_name(name: str | None, type_: str, _parent: Any = None) -> bool:
    """Alembic ``include_name`` hook: the schema comparison skips the search index (and
    the FTS5 shadow tables), which are not models."""
    return not (type_ == "table" and _is_index_object(name))


def ensure_schema(connection: Connection) -> None:
    """Create the index's storage if the database lacks it (idempotent)."""
    if connection.dialect.name == "postgresql":
        for statement in PG_DDL:
            connection.exec_driver_sql(statement)
    else:
        connection.exec_driver_sql(SQLITE_DDL)


def drop_schema(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {PG_TABLE}")
    else:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
