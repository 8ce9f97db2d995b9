"""Random-keyed indexes a big SQLite load drops and rebuilds (by sorting) before it commits.

Inserting a million rows one by one into indexes on random keys (hashes, addresses) misses
the page cache on nearly every row; the drop is inside the import's transaction, so a crash
rolls it back with everything else. Not done on PostgreSQL, where DROP INDEX would lock
readers out for the whole import."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.engine import Connection

from gaptrack.db import sort_settings
from gaptrack.importers.drafts import FILLED_BY

DEFERRABLE_INDEXES = (
    "ix_document_mih_party",
    "ix_document_fingerprint_party",
    "ix_document_body_hash_party",
    "ix_document_production_bates",
    "ix_document_parent_id",
    "ix_participant_party_role",
    "ix_participant_document_party",
    "ix_reference_mih",
    "ix_document_reference_document_id",
    "ix_document_subject_norm",
)
# Of those, the ones written in key order: by document id, by Bates number within the new
# production, by parent (attachments follow their parent), and a party's participants by
# role (a few keys, each gaining rows in id order) — each row lands on a page at hand.
# Alone, the writer still does better to rebuild them too (a quarter less time for the
# write phase of a 100k-record load); when a mapping child feeds it (importers.pipeline),
# the writer waits on the child for seconds of a large load, and keeping these up to date
# in that time is cheaper than the full-table scan a rebuild starts with.
IN_ORDER_INDEXES = (
    "ix_document_production_bates",
    "ix_participant_document_party",
    "ix_document_parent_id",
    "ix_participant_party_role",
    "ix_document_reference_document_id",
)
# Indexes filled only from these fields of a load file (FieldMap names): a load that maps
# none of them adds no entries, so they are kept — a rebuild would scan the table for none.
# The document's key indexes hold only rows with their key, a column drafts.FILLED_BY says
# which fields can fill.
FILLED_FROM = {
    "ix_document_body_hash_party": FILLED_BY["body_hash"],
    "ix_document_mih_party": FILLED_BY["mih"],
    "ix_document_fingerprint_party": FILLED_BY["fingerprint"],
    "ix_document_subject_norm": FILLED_BY["subject_norm"],
    "ix_reference_mih": ("in_reply_to", "references"),
    "ix_document_reference_document_id": ("in_reply_to", "references"),
}


def indexes_left_empty(mapped: Collection[str]) -> tuple[str, ...]:
    """The deferrable indexes a load mapping only the fields ``mapped`` adds nothing to."""
    return tuple(
        name for name, fields in FILLED_FROM.items() if not any(f in mapped for f in fields)
    )


def defer_indexes(conn: Connection, *, keep: Collection[str] = ()) -> list[str]:
    """Drop the deferrable indexes but those in ``keep`` (SQLite only); returns the SQL
    that recreates them."""
    if conn.dialect.name != "sqlite":
        return []
    names = [n for n in DEFERRABLE_INDEXES if n not in keep]
    marks = ", ".join("?" for _ in names)
    rows = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",
        tuple(names),
    ).all()
    for name, _ in rows:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [str(sql) for _, sql in rows if sql]


# CREATE INDEX sorts in runs as large as the page cache. With the import's large cache
# (formats.loadfile.sqlite_tuning) the runs are few and big, sorted by this thread alone;
# with SQLite's default 2 MB cache they are small, and worker threads sort and merge them
# alongside: at a million documents the two rebuilds take ~0.65 s instead of ~1.3 s
# (and less memory).
REBUILD_CACHE_KIB = 2000
REBUILD_THREADS = 2


def rebuild_indexes(conn: Connection, statements: Sequence[str]) -> None:
    """Run the CREATE INDEX ``statements`` (from :func:`defer_indexes`, SQLite only)."""
    if not statements:
        return
    with sort_settings(conn, cache_kib=REBUILD_CACHE_KIB, threads=REBUILD_THREADS):
        for sql in statements:
            conn.exec_driver_sql(sql)
