"""Temporary tables an import stages family links and OPT pages in, and the UPDATEs that
apply them at the end: one statement each instead of one per document.

The family UPDATE only touches children still without a parent (nearly all were linked as
they were written, see ``writer.BulkWriter``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

from gaptrack.importers.opt import OptDocument
from gaptrack.importers.rows import SqlDialect

FAMILY_TABLE = "gt_import_family"
OPT_TABLE = "gt_import_opt"
FAMILY_COLUMNS = ("child_id", "parent_prefix", "parent_begin")


def drop_staging(conn: Connection) -> None:
    for table in (FAMILY_TABLE, OPT_TABLE):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")


def create_family_table(conn: Connection) -> None:
    """A fresh family table (any left from an earlier import on this connection dropped)."""
    drop_staging(conn)
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {FAMILY_TABLE} "
        "(child_id BIGINT PRIMARY KEY, parent_prefix VARCHAR(64), parent_begin BIGINT)"
    )


def _page_number(document: OptDocument) -> int | None:
    """The number of a document's last page, when its id is a plain Bates number with the
    document's own prefix (page ids with a suffix, ABC-0001_0002, give none)."""
    label = document.end_label
    digits = label[len(document.prefix):] if label.startswith(document.prefix) else ""
    return int(digits) if digits.isdigit() else None


def stage_opt(
    conn: Connection, sql: SqlDialect, documents: Sequence[OptDocument], *, first: bool
) -> None:
    """Stage OPT documents (in chunks) for :func:`opt_page_counts` and the QC report."""
    if first:
        conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {OPT_TABLE} (prefix VARCHAR(64), number BIGINT, "
            "label VARCHAR(120), pages INTEGER, declared INTEGER, line INTEGER, "
            "end_label VARCHAR(120), end_number BIGINT)"
        )
        conn.exec_driver_sql(f"CREATE INDEX ix_{OPT_TABLE} ON {OPT_TABLE} (prefix, number)")
    if documents:
        conn.exec_driver_sql(
            f"INSERT INTO {OPT_TABLE} (prefix, number, label, pages, declared, line, "
            f"end_label, end_number) VALUES ({sql.marks(8)})",
            [
                (d.prefix, d.number, d.begin_label, d.pages, d.declared_pages, d.line,
                 d.end_label, _page_number(d))
                for d in documents
            ],
        )


def link_families(conn: Connection, sql: SqlDialect, party_id: int, *,
                  recheck: bool = False) -> int:
    """Set ``parent_id`` from the staged family links; returns the orphans' count.

    Only children still without a parent are looked at, found from the family table by
    primary key rather than by scanning the production: a few hundred milliseconds less on
    a million documents. ``recheck`` (PostgreSQL): every staged child is looked at, and its
    parent set where it is not the lowest id of the party with the parent's Bates number
    (the writer found it among recent documents, see pgrows).
    """
    unlinked = (
        f"SELECT f.child_id FROM {FAMILY_TABLE} f WHERE EXISTS (SELECT 1 FROM document c"
        " WHERE c.id = f.child_id AND c.parent_id IS NULL)"
    )

    def count() -> int:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM ({unlinked}) u").scalar_one())

    if conn.dialect.name == "postgresql":
        if recheck or count():
            _link_families_joined(conn, party_id, every=recheck)
            return count()
        return 0
    if count() == 0:
        return 0
    conn.exec_driver_sql(
        "UPDATE document SET parent_id = ("
        " SELECT min(p.id) FROM " + FAMILY_TABLE + " f JOIN document p"
        f" ON p.party_id = {sql.mark} AND p.bates_prefix = f.parent_prefix"
        " AND p.bates_begin = f.parent_begin"
        " WHERE f.child_id = document.id)"
        f" WHERE id IN ({unlinked})",
        (party_id,),
    )
    return count()


def _link_families_joined(conn: Connection, party_id: int, *, every: bool = False) -> None:
    """PostgreSQL: the same links in one hash join (a correlated subquery per child took a
    fifth of a large import); ``every``: each child whose parent differs, not only those
    without one. The staged table is analysed first: the planner knows nothing of a
    temporary table's size otherwise."""
    conn.exec_driver_sql(f"ANALYZE {FAMILY_TABLE}")
    conn.exec_driver_sql(
        "UPDATE document SET parent_id = s.parent_id FROM ("
        " SELECT f.child_id, min(p.id) AS parent_id FROM " + FAMILY_TABLE + " f"
        " JOIN document p ON p.party_id = %s AND p.bates_prefix = f.parent_prefix"
        " AND p.bates_begin = f.parent_begin GROUP BY f.child_id) s"
        " WHERE document.id = s.child_id AND document.parent_id "
        + ("IS DISTINCT FROM s.parent_id" if every else "IS NULL"),
        (party_id,),
    )


def party_has_parent_prefixes(conn: Connection, party_id: int, production_id: int) -> bool:
    """PostgreSQL: whether the party's other productions hold documents under a prefix the
    staged links name (then a parent found among this load's documents may not be the
    lowest id with its number, see pgrows)."""
    return conn.exec_driver_sql(
        "SELECT EXISTS (SELECT 1 FROM document d WHERE d.party_id = %s"
        " AND d.production_id <> %s AND d.bates_prefix IN"
        f" (SELECT DISTINCT parent_prefix FROM {FAMILY_TABLE}))",
        (party_id, production_id),
    ).scalar_one() is True


def opt_page_counts(
    conn: Connection, sql: SqlDialect, production_id: int
) -> tuple[int, int | None]:
    """Fill page counts the DAT lacks from the OPT: (documents filled, pages they add)."""
    where = (
        f"production_id = {sql.mark} AND page_count IS NULL AND EXISTS (SELECT 1 FROM"
        f" {OPT_TABLE} o WHERE o.prefix = document.bates_prefix"
        " AND o.number = document.bates_begin)"
    )
    filled, added = conn.exec_driver_sql(
        f"SELECT count(*), sum((SELECT max(o.pages) FROM {OPT_TABLE} o"
        " WHERE o.prefix = document.bates_prefix AND o.number = document.bates_begin))"
        f" FROM document WHERE {where}",
        (production_id,),
    ).one()
    conn.exec_driver_sql(
        f"UPDATE document SET page_count = (SELECT max(o.pages) FROM {OPT_TABLE} o"
        " WHERE o.prefix = document.bates_prefix AND o.number = document.bates_begin)"
        f" WHERE {where}",
        (production_id,),
    )
    return int(filled), None if added is None else int(added)


def opt_ends(conn: Connection, sql: SqlDialect, production_id: int) -> tuple[int, int | None]:
    """Document ends from the OPT's last pages (a DAT without ENDBATES): (documents ended,
    the production's highest end after)."""
    m = sql.mark
    match = (f"FROM {OPT_TABLE} o WHERE o.prefix = document.bates_prefix"
             " AND o.number = document.bates_begin")
    where = f"production_id = {m} AND EXISTS (SELECT 1 {match} AND o.end_number IS NOT NULL)"
    ended = conn.exec_driver_sql(
        f"SELECT count(*) FROM document WHERE {where}", (production_id,)
    ).scalar_one()
    conn.exec_driver_sql(
        f"UPDATE document SET bates_end = (SELECT max(o.end_number) {match}),"
        f" end_label = (SELECT max(o.end_label) {match}) WHERE {where}",
        (production_id,),
    )
    high = conn.exec_driver_sql(
        f"SELECT max(bates_end) FROM document WHERE production_id = {m}", (production_id,)
    ).scalar()
    return int(ended), None if high is None else int(high)
