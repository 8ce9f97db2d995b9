"""The few SQL expressions that differ between SQLite and PostgreSQL, and the tables by name.

Datetimes are stored by ``UTCDateTime``: text ``YYYY-MM-DD HH:MM:SS.ffffff`` (UTC) on SQLite,
``timestamptz`` on PostgreSQL. Everything else in the gap engine is portable Core.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gaptrack.models import metadata

document = metadata.tables["document"]
participant = metadata.tables["document_participant"]
reference = metadata.tables["document_reference"]
document_item = metadata.tables["document_item"]
production = metadata.tables["production"]
production_request = metadata.tables["production_request"]
party = metadata.tables["party"]
party_address = metadata.tables["party_address"]
party_alias = metadata.tables["party_alias"]
committee = metadata.tables["committee"]
request = metadata.tables["request"]
recipient = metadata.tables["request_recipient"]
item = metadata.tables["request_item"]
criterion = metadata.tables["item_criterion"]
certification = metadata.tables["item_certification"]
known = metadata.tables["known_item"]
decision = metadata.tables["finding_decision"]
privilege = metadata.tables["privilege_entry"]
event = metadata.tables["event"]
reply = metadata.tables["reply"]
candidate = metadata.tables["inferred_candidate"]
lost_reference = metadata.tables["lost_reference"]
derived_state = metadata.tables["derived_state"]
coverage_count = metadata.tables["coverage_count"]
signatory = metadata.tables["signatory"]
counsel = metadata.tables["counsel"]
representation = metadata.tables["representation"]


def date_of(column: Any, dialect: str) -> Any:
    """The UTC calendar date of a stored datetime, comparable with ``Date`` columns."""
    if dialect == "postgresql":
        return sa.cast(sa.func.timezone("UTC", column), sa.Date)
    return sa.func.date(column)


def seconds_apart(a: Any, b: Any, dialect: str) -> Any:
    """``|a - b|`` in seconds for two stored datetimes."""
    if dialect == "postgresql":
        return sa.func.abs(sa.extract("epoch", a - b))
    return sa.func.abs(sa.func.julianday(a) - sa.func.julianday(b)) * 86400.0


def epoch_ms(column: Any, dialect: str) -> Any:
    """A stored datetime as whole milliseconds since 1970 (UTC): compared in Python without
    parsing a datetime per row. Milliseconds are SQLite's own resolution for date arithmetic,
    so a comparison here agrees with :func:`seconds_apart` in a query."""
    if dialect == "postgresql":
        return sa.cast(sa.func.round(sa.extract("epoch", column) * 1000), sa.BigInteger)
    return sa.cast(
        sa.func.round((sa.func.julianday(column) - 2440587.5) * 86400000.0), sa.BigInteger
    )


def contains_ci(haystack: Any, needle: Any) -> Any:
    """Case-insensitive substring test with a column as the needle (no LIKE escapes needed
    for the values we store: keywords and normalised names)."""
    return sa.func.instr(sa.func.lower(haystack), sa.func.lower(needle)) > 0


def contains_ci_pg(haystack: Any, needle: Any) -> Any:
    return sa.func.strpos(sa.func.lower(haystack), sa.func.lower(needle)) > 0


def substring_test(dialect: str) -> Any:
    return contains_ci_pg if dialect == "postgresql" else contains_ci


def tune(connection: Any) -> None:
    """Per-connection read settings for the gap queries on SQLite: a 32 MB page cache.

    Not ``mmap_size``: measured at 100,000 and 1,000,000 documents it gave no steady speed-up,
    and every mapped page of the file counts as the process's resident memory (2 GB at 1M).
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA cache_size=-32768")
