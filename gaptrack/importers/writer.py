"""Bulk insert of documents and what hangs off them, inside the caller's transaction.

Rows go in through the driver's ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) in chunks
(SQLModel's ``add_all`` is 20–40× slower, docs/architecture.md §7). The writer numbers the
documents itself, so nothing is read back and every row — participants, references, the
family parent — can be made before it reaches the writer, in a large load's mapping child
(:class:`RowPlan`, :meth:`BulkWriter.add_prepared`): the writer then has no per-row Python
left but the counts (:mod:`gaptrack.importers.tally`, :mod:`gaptrack.importers.continuity`).

* On SQLite the numbers start at ``max(id) + 1`` — exactly the rowids SQLite would pick, and
  safe because the import's transaction already holds the write lock (it inserted the
  production) — and each row looks up its family parent as it goes in (one index probe, see
  ``_document_insert``); rows are made by :func:`prepare_rows`.
* On PostgreSQL they are ids reserved from the sequence (:mod:`gaptrack.importers.idrange`),
  rows are made by :mod:`gaptrack.importers.pgrows`, which also finds each family parent
  among the documents just numbered, so that the id goes into the copied row.

Family links and OPT page counts are staged in temporary tables and applied with one UPDATE
each at the end, to the rows still without them (:mod:`gaptrack.importers.staging`); a big
load's index deferral is :mod:`gaptrack.importers.indexes`.
Participants are linked to known parties by the identity resolver (gaptrack.identity): as
they are written when the party keys are few enough to hold in memory, else by its set-based
UPDATEs at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from operator import itemgetter

from sqlalchemy.engine import Connection

from gaptrack.errors import LoadFileError
from gaptrack.identity.resolve import (
    MAX_PARTY_KEYS,
    count_party_keys,
    load_party_names,
    resolve_stored,
)
from gaptrack.importers import staging
from gaptrack.importers.continuity import BatesEntry, BatesTracker, taken_bates
from gaptrack.importers.idrange import IdRange
from gaptrack.importers.mapping import DOCUMENT_COLUMNS, ROW_COLUMNS, ROW_INDEX, DocumentDraft
from gaptrack.importers.opt import OptDocument
from gaptrack.importers.pgrows import (
    P_LINE,
    P_PARENT,
    copy_columns,
    row_maker,
    translated,
    unparented,
)
from gaptrack.importers.prepared import (
    R_BEGIN,
    R_LABEL,
    R_LINE,
    R_PREFIX,
    R_SUFFIX,
    PartyKeys,
    PreparedRows,
    Row,
    RowPlan,
    links_parties,
    prepare_rows,
)
from gaptrack.importers.rows import CHUNK, SqlDialect, insert_rows, integrity_error
from gaptrack.importers.staging import FAMILY_COLUMNS, FAMILY_TABLE
from gaptrack.importers.tally import DocumentTally
from gaptrack.models import metadata

# RowPlan, PreparedRows and prepare_rows are also reached from here (importers.pipeline).
__all__ = ["BulkWriter", "PreparedRows", "RowPlan", "prepare_rows"]

PARTICIPANT_COLUMNS = ("document_id", "role", "address", "name", "name_norm", "party_id")
REFERENCE_COLUMNS = ("document_id", "message_id", "mih")
_BEGIN_LABEL = ROW_INDEX["begin_label"]
# The draft positions whose column may be NULL: there an empty string means NULL.
_DOCUMENT = metadata.tables["document"]
_NULLABLE = tuple(i for i, name in enumerate(ROW_COLUMNS) if _DOCUMENT.c[name].nullable)


# One bound value of a nullable column in the SQLite bulk inserts: "" stands for NULL.
#
# Why they bind no None: Python's sqlite3 module sends every value that is not exactly a
# str, int, float or bytearray through its adapter registry first (a tuple built, a dict
# probed, two attribute lookups), which for None costs ~0.23 µs against ~0.05 µs for a
# string — and a typical document row has a dozen absent values. ``nullif`` turns the
# string back into NULL inside SQLite for a few nanoseconds. Only nullable columns are bound
# this way, and none of them holds an empty string as a value.
_BLANK_IS_NULL = "nullif(?, '')"


class BulkWriter:
    """Buffer drafts and write them chunk by chunk into one production."""

    def __init__(
        self,
        connection: Connection,
        *,
        production_id: int,
        party_id: int,
        file: str,
        on_bad: Callable[[LoadFileError], None],
        chunk: int = CHUNK,
        unfilled: Collection[str] = (),
    ) -> None:
        """``unfilled``: document columns no row of this load fills (see
        mapping.columns_left_empty); they are written as NULL by the statement."""
        self.conn = connection
        self.sql = SqlDialect(connection)
        self.production_id = production_id
        self.party_id = party_id
        self.file = file
        self.on_bad = on_bad
        self.chunk = chunk
        self.pending: list[DocumentDraft] = []
        self.written = 0
        self.families = 0
        self.unlinked = 0  # PostgreSQL: children written without their parent's id
        m = self.sql.marks
        left_out = frozenset(unfilled)
        assert all(_DOCUMENT.c[name].nullable for name in left_out)
        kept = tuple(i for i, name in enumerate(ROW_COLUMNS) if name not in left_out)
        # PostgreSQL: ids reserved from the sequence; SQLite: the rowids it would pick.
        self.ids = None if self.sql.sqlite else IdRange(connection)
        self.next_id = self.ids.first if self.ids is not None else int(
            connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM document").scalar()
            or 0
        ) + 1
        self.dropped: set[int] = set()  # PostgreSQL: planned ids of rows left out
        self.party_keys = self._load_party_keys()
        # How drafts become rows, here (row_maker) or in the mapping child.
        self.plan = RowPlan(production_id, party_id, self.next_id, self.party_keys, kept,
                            postgres=self.ids is not None)
        self._make = row_maker(self.plan)
        self._insert_document = self._document_insert(left_out)
        self._insert_participant = self._participant_insert()
        self._insert_reference = (
            f"INSERT INTO document_reference ({', '.join(REFERENCE_COLUMNS)}) VALUES ({m(3)})"
        )
        self._insert_family = (
            f"INSERT INTO {FAMILY_TABLE} ({', '.join(FAMILY_COLUMNS)}) VALUES ({m(3)})"
        )
        self._prepared = PreparedRows([], [], [], [])
        # Every document goes through _write_rest, in the order written.
        self.bates: BatesTracker | None = BatesTracker()
        self.tally = DocumentTally(self.plan.columns())
        self._zone = None if self.ids is None else str(
            connection.exec_driver_sql("SELECT current_setting('TimeZone')").scalar_one()
        )
        staging.create_family_table(self.conn)

    def _document_insert(self, left_out: frozenset[str]) -> str:
        """The document INSERT (SQLite; PostgreSQL copies pgrows.copy_columns). Explicit ids,
        and the parent found by the row itself — the lowest id among the party's documents
        with the parent's prefix and number, as link_families would set it. Rows go in in id
        order, so every match the final UPDATE could see with a lower id is already there; a
        row whose parent is not yet there stays NULL and is left to link_families."""
        if not self.sql.sqlite:
            return ""
        # Production and party are the same for every row: written into the statement
        # (both are ids read from the database), they cost nothing per row.
        production, party = int(self.production_id), int(self.party_id)
        row = ", ".join(
            "NULL" if name in left_out else _BLANK_IS_NULL if i in _NULLABLE else "?"
            for i, name in enumerate(ROW_COLUMNS)
        )
        columns = ", ".join(DOCUMENT_COLUMNS)
        return (
            f"INSERT INTO document (id, {columns}, parent_id) "
            f"VALUES (?, {production}, {party}, {row}, (SELECT min(p.id) FROM document p"
            f" WHERE p.party_id = {party} AND p.bates_prefix = ?"
            f" AND p.bates_begin = {_BLANK_IS_NULL}))"
        )

    def _participant_insert(self) -> str:
        """The participant INSERT on SQLite; it takes prepare_rows' rows, which carry the
        party only when there are parties to link with."""
        if not self.sql.sqlite:
            return ""
        linked = PARTICIPANT_COLUMNS if links_parties(self.party_keys) else (
            PARTICIPANT_COLUMNS[:-1]
        )
        blanks = ", ".join(_BLANK_IS_NULL for _ in linked[2:])
        return f"INSERT INTO document_participant ({', '.join(linked)}) VALUES (?, ?, {blanks})"

    def _load_party_keys(self) -> PartyKeys | None:
        """The identity resolver's party keys (addresses, unambiguous names), when few
        enough: each participant then gets its party as it is written, the same result as
        :meth:`resolve_parties`' UPDATEs."""
        if count_party_keys(self.conn) > MAX_PARTY_KEYS:
            return None
        return load_party_names(self.conn).keys()

    def add(self, draft: DocumentDraft) -> None:
        self.pending.append(draft)
        if len(self.pending) >= self.chunk:
            self.flush()

    def _duplicates(self, entries: Sequence[BatesEntry]) -> set[int]:
        """Positions of the entries whose Bates number is already taken (earlier in the
        file or in the db); each is reported to ``on_bad``."""
        return taken_bates(self.conn, self.sql, entries, self.file, self.on_bad)

    def flush(self) -> None:
        """Write the queued rows, then the drafts given to :meth:`add` (checked first)."""
        self._flush_prepared()
        drafts = self.pending
        self.pending = []
        if not drafts:
            return
        bad = self._duplicates(
            [(d[1:4], d.values[_BEGIN_LABEL], d.line) for d in drafts]  # d[1:4]: d.key
        )
        if bad:
            drafts = [d for i, d in enumerate(drafts) if i not in bad]
        if not drafts:
            return
        prepared = self._make(drafts, self.next_id)
        self.next_id += len(prepared.documents)
        if self.ids is not None:
            prepared = self._reserved(prepared)
            self._copy_documents(prepared.documents)
        else:
            self.conn.exec_driver_sql(self._insert_document, prepared.documents)
        self._write_rest(prepared)

    def add_prepared(self, rows: PreparedRows) -> None:
        """Queue rows made by :attr:`plan`'s row maker, in file order."""
        pending = self._prepared
        pending.documents.extend(rows.documents)
        pending.participants.extend(rows.participants)
        pending.references.extend(rows.references)
        pending.families.extend(rows.families)
        if len(pending.documents) >= self.chunk:
            self._flush_prepared()

    def _flush_prepared(self) -> None:
        """Write the queued prepared rows: as they are when they follow on (nearly always).

        They were numbered from ``plan.first_id`` in file order. The unique Bates constraint
        is the duplicate check: the chunk goes in under a savepoint, and only if the
        constraint fails is it rolled back and screened row by row (:meth:`_screen`). On
        SQLite, while no row has been dropped the numbers are the writer's own; after one
        has, the rest are numbered on from ``next_id``. On PostgreSQL a dropped row leaves a
        gap in the reserved ids instead (family parents name documents by id there).
        """
        prepared = self._prepared
        if not prepared.documents:
            return
        self._prepared = PreparedRows([], [], [], [])
        if self.ids is not None:
            planned_end = prepared.documents[-1][0]
            prepared = self._reserved(prepared)
            follows = True
        else:
            planned_end = None
            follows = prepared.documents[0][0] == self.next_id
        if not follows or not self._insert_checked(prepared.documents):
            prepared = self._screen(prepared)
            if prepared.documents:
                self._insert_documents(prepared.documents)
        self.next_id = (planned_end + 1 if planned_end is not None
                        else self.next_id + len(prepared.documents))
        if prepared.documents:
            self._write_rest(prepared)

    def _reserved(self, prepared: PreparedRows) -> PreparedRows:
        """PostgreSQL: ids reserved for the rows, which are moved onto them if need be."""
        assert self.ids is not None
        self.ids.cover(prepared.documents[-1][0])
        if self.ids.shifted:
            prepared = translated(prepared, self.ids)
        if self.dropped:
            prepared = prepared._replace(documents=unparented(prepared.documents, self.dropped))
        return prepared

    def _insert_documents(self, documents: list[Row]) -> None:
        if self.ids is not None:
            self._copy_documents(documents)
        else:
            self.conn.exec_driver_sql(self._insert_document, documents)

    def _copy_documents(self, documents: list[Row]) -> None:
        """PostgreSQL: ``COPY`` the rows, their naive dates read as UTC (see pgrows). The
        zone is put back after; if the copy fails, rolling back to the savepoint (or the
        whole transaction) puts it back."""
        conn = self.conn
        conn.exec_driver_sql("SET LOCAL TimeZone = 'UTC'")
        insert_rows(conn, "document", copy_columns(self.plan), documents)
        conn.exec_driver_sql("SELECT set_config('TimeZone', %s, true)", (self._zone,))

    def _insert_checked(self, documents: list[Row]) -> bool:
        """Insert ``documents``; False (and nothing inserted) if a Bates number is taken."""
        self.conn.exec_driver_sql("SAVEPOINT gt_import_chunk")
        try:
            self._insert_documents(documents)
        except Exception as exc:
            if not integrity_error(exc):
                raise
            self.conn.exec_driver_sql("ROLLBACK TO gt_import_chunk")
            self.conn.exec_driver_sql("RELEASE gt_import_chunk")
            return False
        self.conn.exec_driver_sql("RELEASE gt_import_chunk")
        return True

    def _screen(self, prepared: PreparedRows) -> PreparedRows:
        """Drop (and report) the rows whose Bates number is taken. SQLite: number the rest on
        from ``next_id``, carrying the new ids over to the rows that hang off them;
        PostgreSQL: keep their ids, and leave NULL the parents dropped."""
        docs = prepared.documents
        line = R_LINE if self.ids is None else P_LINE
        bad = self._duplicates([((r[R_PREFIX], r[R_BEGIN], r[R_SUFFIX]), r[R_LABEL],
                                 r[line]) for r in docs])
        new_id: dict[int, int] = {}
        documents: list[Row] = []
        for i, row in enumerate(docs):
            if i in bad:
                continue
            new_id[row[0]] = row[0] if self.ids is not None else self.next_id + len(documents)
            documents.append((new_id[row[0]], *row[1:]))
        if self.ids is not None and bad:
            self.dropped.update(docs[i][0] for i in bad)
            documents = unparented(documents, self.dropped)

        def moved(rows: list[Row]) -> list[Row]:
            return [(new_id[r[0]], *r[1:]) for r in rows if r[0] in new_id]

        return PreparedRows(documents, moved(prepared.participants),
                            moved(prepared.references), moved(prepared.families))

    def _write_rest(self, prepared: PreparedRows) -> None:
        """After the documents of ``prepared`` went in: what hangs off them, and the counts."""
        conn = self.conn
        if prepared.participants:
            insert_rows(conn, "document_participant", PARTICIPANT_COLUMNS,
                        prepared.participants, insert=self._insert_participant)
        if prepared.references:
            insert_rows(conn, "document_reference", REFERENCE_COLUMNS, prepared.references,
                        insert=self._insert_reference)
        if prepared.families:
            insert_rows(conn, FAMILY_TABLE, FAMILY_COLUMNS, prepared.families,
                        insert=self._insert_family)
            self.families += len(prepared.families)
            if self.ids is not None:
                parents = list(map(itemgetter(P_PARENT), prepared.documents))
                self.unlinked += len(prepared.families) - (len(parents) - parents.count(None))
        if self.bates is not None:
            self.bates.add(prepared.documents)
        self.tally.add(prepared.documents)
        self.written += len(prepared.documents)

    def stage_opt(self, documents: Sequence[OptDocument], *, first: bool) -> None:
        """Stage OPT documents (in chunks) for :meth:`apply_opt` and the QC report."""
        staging.stage_opt(self.conn, self.sql, documents, first=first)

    def link_families(self) -> int:
        """Set ``parent_id`` from the staged family links; returns the orphans' count."""
        self.flush()
        if not self.families:
            return 0
        recheck = self._parents_may_differ()
        if self.ids is not None and not recheck and not self.unlinked:
            return 0  # every child went in with its parent: nothing to set, no orphan
        return staging.link_families(self.conn, self.sql, self.party_id, recheck=recheck)

    def _parents_may_differ(self) -> bool:
        """PostgreSQL: whether a parent found among the recent documents (pgrows) may not be
        the lowest id of the party with its Bates number — only if this load repeats a
        number (its numbers did not run strictly upwards) or the party's other productions
        have documents under a parent's prefix."""
        if self.ids is None:
            return False
        if self.bates is None or not self.bates.ordered:
            return True
        return staging.party_has_parent_prefixes(self.conn, self.party_id, self.production_id)

    def apply_opt(self) -> int:
        """Fill page counts the DAT lacks from the OPT; returns how many were filled."""
        filled, added = staging.opt_page_counts(self.conn, self.sql, self.production_id)
        if self.tally is not None and added is not None:
            self.tally.pages = (self.tally.pages or 0) + added  # it counted the DAT's
        return filled

    def apply_opt_ends(self) -> int:
        """Document ends from the OPT's last pages (a DAT without ENDBATES); how many."""
        ended, high = staging.opt_ends(self.conn, self.sql, self.production_id)
        if self.tally is not None:
            self.tally.bates_last = high
        self.bates = None  # continuity is then read from the rows, not from the tracker
        return ended

    def resolve_parties(self) -> None:
        """Link this production's participants to parties (the identity resolver, set-based).

        Nothing to do when they were linked as they were written (see _load_party_keys).
        """
        if self.party_keys is not None:
            return
        resolve_stored(
            self.conn,
            where=f"document_id IN (SELECT id FROM document WHERE production_id = {self.sql.mark})",
            params=(self.production_id,),
        )

    def close(self) -> None:
        staging.drop_staging(self.conn)
