"""Bulk insert of documents and what hangs off them, inside the caller's transaction.

Rows go in through the driver's ``executemany`` in chunks (SQLModel's ``add_all`` is 20–40×
slower, docs/architecture.md §7). Participants and references need the new document ids:

* on SQLite the writer numbers documents itself, from ``max(id) + 1`` — exactly the rowids
  SQLite would pick, and safe because the import's transaction already holds the write lock
  (it inserted the production) — so nothing is read back, and each row looks up its family
  parent as it goes in (one index probe, see ``_insert_document``). Because the numbers are
  known in advance, :func:`prepare_rows` can build every row ready for ``executemany``
  anywhere, and a large DAT's mapping child does so (:class:`RowPlan`): the writer then has
  no per-row Python left (:meth:`BulkWriter.add_prepared`);
* on PostgreSQL the ids come from the sequence and are read back by ``production_id`` and
  ``id`` above the last seen (ids only grow within one transaction).

Family links and OPT page counts are staged in temporary tables and applied with one UPDATE
each at the end (:mod:`gaptrack.importers.staging`); prepared rows are made by
:mod:`gaptrack.importers.prepared`, Bates continuity is counted by
:mod:`gaptrack.importers.continuity`, and a big load's index deferral is
:mod:`gaptrack.importers.indexes`.
Participants are linked to known parties by the identity resolver (gaptrack.identity): as
they are written when the party keys are few enough to hold in memory, else by its set-based
UPDATEs at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from gaptrack.errors import LoadFileError
from gaptrack.identity.resolve import (
    MAX_PARTY_KEYS,
    count_party_keys,
    load_party_names,
    party_for,
    resolve_stored,
)
from gaptrack.importers import staging
from gaptrack.importers.continuity import BatesEntry, BatesTracker, taken_bates
from gaptrack.importers.mapping import DOCUMENT_COLUMNS, ROW_COLUMNS, ROW_INDEX, DocumentDraft
from gaptrack.importers.opt import OptDocument
from gaptrack.importers.prepared import (
    DATE_CREATED,
    DATE_SENT,
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
from gaptrack.importers.rows import CHUNK, SqlDialect, insert_rows
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
        mapping.columns_left_empty); on SQLite they are written as NULL by the statement."""
        self.conn = connection
        self.sql = SqlDialect(connection)
        self.production_id = production_id
        self.party_id = party_id
        self.file = file
        self.on_bad = on_bad
        self.chunk = chunk
        self.pending: list[DocumentDraft] = []
        self.written = 0
        self.last_id = 0
        self.families = 0
        m = self.sql.marks
        self.next_id: int | None = None
        left_out = frozenset(unfilled)
        assert all(_DOCUMENT.c[name].nullable for name in left_out)
        kept = tuple(i for i, name in enumerate(ROW_COLUMNS) if name not in left_out)
        if self.sql.sqlite:
            self.next_id = int(
                connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM document").scalar()
                or 0
            ) + 1
        self._insert_document = self._document_insert(left_out)
        self.party_keys = self._load_party_keys()
        self._insert_participant = self._participant_insert()
        self._insert_reference = (
            f"INSERT INTO document_reference ({', '.join(REFERENCE_COLUMNS)}) VALUES ({m(3)})"
        )
        self._insert_family = (
            f"INSERT INTO {FAMILY_TABLE} ({', '.join(FAMILY_COLUMNS)}) VALUES ({m(3)})"
        )
        # SQLite: how drafts become rows, for prepare_rows here or in the mapping child.
        self.plan = (
            RowPlan(production_id, party_id, self.next_id, self.party_keys, kept)
            if self.next_id is not None
            else None
        )
        self._prepared = PreparedRows([], [], [], [])
        # SQLite only: every document goes through _write_rest, in the order written.
        self.bates = BatesTracker() if self.plan is not None else None
        self.tally = DocumentTally(self.plan.columns()) if self.plan is not None else None
        staging.create_family_table(self.conn)

    def _document_insert(self, left_out: frozenset[str]) -> str:
        """The document INSERT. On SQLite: explicit ids, and the parent found by the row
        itself — the lowest id among the party's documents with the parent's prefix and
        number, as link_families would set it. Rows go in in id order, so every match the
        final UPDATE could see with a lower id is already there; a row whose parent is not
        yet there stays NULL and is left to link_families."""
        columns = ", ".join(DOCUMENT_COLUMNS)
        if not self.sql.sqlite:
            marks = self.sql.marks(len(DOCUMENT_COLUMNS))
            return f"INSERT INTO document ({columns}) VALUES ({marks})"
        # Production and party are the same for every row: written into the statement
        # (both are ids read from the database), they cost nothing per row.
        production, party = int(self.production_id), int(self.party_id)
        row = ", ".join(
            "NULL" if name in left_out else _BLANK_IS_NULL if i in _NULLABLE else "?"
            for i, name in enumerate(ROW_COLUMNS)
        )
        return (
            f"INSERT INTO document (id, {columns}, parent_id) "
            f"VALUES (?, {production}, {party}, {row}, (SELECT min(p.id) FROM document p"
            f" WHERE p.party_id = {party} AND p.bates_prefix = ?"
            f" AND p.bates_begin = {_BLANK_IS_NULL}))"
        )

    def _participant_insert(self) -> str:
        """The participant INSERT; on SQLite it takes prepare_rows' rows, which carry the
        party only when there are parties to link with."""
        if not self.sql.sqlite:
            return (
                f"INSERT INTO document_participant ({', '.join(PARTICIPANT_COLUMNS)})"
                f" VALUES ({self.sql.marks(6)})"
            )
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

    def _bulk(
        self, insert: str, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """``executemany`` on SQLite; ``COPY`` on PostgreSQL (see rows.insert_rows)."""
        insert_rows(self.conn, table, columns, rows, insert=insert)

    def add(self, draft: DocumentDraft) -> None:
        self.pending.append(draft)
        if len(self.pending) >= self.chunk:
            self.flush()

    def _duplicates(self, entries: Sequence[BatesEntry]) -> set[int]:
        """Positions of the entries whose Bates number is already taken (earlier in the
        file or in the db); each is reported to ``on_bad``."""
        return taken_bates(self.conn, self.sql, entries, self.file, self.on_bad)

    def flush(self) -> None:
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
        if self.plan is not None and self.next_id is not None:
            prepared = prepare_rows(drafts, self.plan, self.next_id)
            self.conn.exec_driver_sql(self._insert_document, prepared.documents)
            self._write_rest(prepared)
            return
        rows = self._document_rows(drafts)
        self._bulk(self._insert_document, "document", DOCUMENT_COLUMNS, rows)
        ids = self._read_back_ids(drafts)
        participants: list[tuple[Any, ...]] = []
        references: list[tuple[Any, ...]] = []
        families: list[tuple[Any, ...]] = []
        # No party to link to (or too many to hold): party_id stays NULL here.
        keys = self.party_keys if links_parties(self.party_keys) else None
        for doc_id, draft in zip(ids, drafts, strict=True):
            for role, address, name, norm in draft.participants:
                party = party_for(keys, address, norm) if keys is not None else None
                # COPY writes what it is given: the drafts' "" must become NULL here.
                participants.append(
                    (doc_id, role, address or None, name or None, norm or None, party)
                )
            if draft.references:
                references.extend([(doc_id, *r) for r in draft.references])
            if draft.parent is not None:
                families.append((doc_id, *draft.parent))
        if participants:
            self._bulk(self._insert_participant, "document_participant", PARTICIPANT_COLUMNS,
                       participants)
        if references:
            self._bulk(self._insert_reference, "document_reference", REFERENCE_COLUMNS,
                       references)
        if families:
            self._bulk(self._insert_family, FAMILY_TABLE, FAMILY_COLUMNS, families)
            self.families += len(families)
        self.written += len(drafts)

    def add_prepared(self, rows: PreparedRows) -> None:
        """Queue rows made by :func:`prepare_rows` from ``plan`` (SQLite), in file order."""
        pending = self._prepared
        pending.documents.extend(rows.documents)
        pending.participants.extend(rows.participants)
        pending.references.extend(rows.references)
        pending.families.extend(rows.families)
        if len(pending.documents) >= self.chunk:
            self._flush_prepared()

    def _flush_prepared(self) -> None:
        """Write the queued prepared rows: as they are when they follow on (nearly always).

        They were numbered from ``plan.first_id`` in file order. While no row has been
        dropped the numbers are the writer's own, and the unique Bates constraint is the
        duplicate check: the chunk goes in under a savepoint, and only if the constraint
        fails is it rolled back and screened row by row (:meth:`_screen`).
        """
        prepared = self._prepared
        if not prepared.documents:
            return
        self._prepared = PreparedRows([], [], [], [])
        if prepared.documents[0][0] != self.next_id or not self._insert_checked(
            prepared.documents
        ):
            prepared = self._screen(prepared)
            if not prepared.documents:
                return
            self.conn.exec_driver_sql(self._insert_document, prepared.documents)
        self._write_rest(prepared)

    def _insert_checked(self, documents: list[Row]) -> bool:
        """Insert ``documents``; False (and nothing inserted) if a Bates number is taken."""
        self.conn.exec_driver_sql("SAVEPOINT gt_import_chunk")
        try:
            self.conn.exec_driver_sql(self._insert_document, documents)
        except IntegrityError:
            self.conn.exec_driver_sql("ROLLBACK TO gt_import_chunk")
            self.conn.exec_driver_sql("RELEASE gt_import_chunk")
            return False
        self.conn.exec_driver_sql("RELEASE gt_import_chunk")
        return True

    def _screen(self, prepared: PreparedRows) -> PreparedRows:
        """Drop (and report) the rows whose Bates number is taken; number the rest on from
        ``next_id``, carrying the new ids over to the rows that hang off them."""
        docs = prepared.documents
        bad = self._duplicates([((r[R_PREFIX], r[R_BEGIN], r[R_SUFFIX]), r[R_LABEL],
                                 r[R_LINE]) for r in docs])
        assert self.next_id is not None
        new_id: dict[int, int] = {}
        documents: list[Row] = []
        for i, row in enumerate(docs):
            if i not in bad:
                new_id[row[0]] = self.next_id + len(documents)
                documents.append((new_id[row[0]], *row[1:]))

        def moved(rows: list[Row]) -> list[Row]:
            return [(new_id[r[0]], *r[1:]) for r in rows if r[0] in new_id]

        return PreparedRows(documents, moved(prepared.participants),
                            moved(prepared.references), moved(prepared.families))

    def _write_rest(self, prepared: PreparedRows) -> None:
        """After the documents of ``prepared`` went in: what hangs off them, and the counts."""
        if prepared.participants:
            self.conn.exec_driver_sql(self._insert_participant, prepared.participants)
        if prepared.references:
            self.conn.exec_driver_sql(self._insert_reference, prepared.references)
        if prepared.families:
            self.conn.exec_driver_sql(self._insert_family, prepared.families)
            self.families += len(prepared.families)
        if self.bates is not None:
            self.bates.add(prepared.documents)
        if self.tally is not None:
            self.tally.add(prepared.documents)
        assert self.next_id is not None
        self.next_id += len(prepared.documents)
        self.written += len(prepared.documents)

    def _document_rows(self, drafts: list[DocumentDraft]) -> list[tuple[Any, ...]]:
        """The ``document`` rows of a chunk on PostgreSQL (SQLite: :func:`prepare_rows`)."""
        production, party = self.production_id, self.party_id
        value = self.sql.value
        rows: list[tuple[Any, ...]] = []
        append = rows.append
        for draft in drafts:
            listed = list(draft.values)
            for i in _NULLABLE:  # COPY writes what it is given: "" must become NULL here
                if listed[i] == "":
                    listed[i] = None
            listed[DATE_SENT] = value(listed[DATE_SENT])
            listed[DATE_CREATED] = value(listed[DATE_CREATED])
            append((production, party, *listed))
        return rows

    def _read_back_ids(self, drafts: list[DocumentDraft]) -> list[int]:
        """The ids just given to ``drafts`` by the database, in the drafts' order."""
        by_key = {d.key: i for i, d in enumerate(drafts)}
        m = self.sql.mark
        fetched = self.conn.exec_driver_sql(
            # "+ 0" keeps the planner off the (production_id, bates_begin) index, which would
            # scan every earlier chunk of this production again (quadratic); the primary-key
            # range touches only the rows just inserted.
            "SELECT id, bates_prefix, bates_begin, bates_suffix FROM document "
            f"WHERE id > {m} AND production_id + 0 = {m}",
            (self.last_id, self.production_id),
        ).all()
        ids = [0] * len(drafts)
        for doc_id, prefix, begin, suffix in fetched:
            ids[by_key[(prefix, int(begin), suffix)]] = doc_id
            self.last_id = max(self.last_id, doc_id)
        return ids

    def stage_opt(self, documents: Sequence[OptDocument], *, first: bool) -> None:
        """Stage OPT documents (in chunks) for :meth:`apply_opt` and the QC report."""
        staging.stage_opt(self.conn, self.sql, documents, first=first)

    def link_families(self) -> int:
        """Set ``parent_id`` from the staged family links; returns the orphans' count."""
        self.flush()
        if not self.families:
            return 0
        return staging.link_families(self.conn, self.sql, self.party_id)

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


# Indexes on random keys (hashes, addresses): inserting a million rows into them one by one
# misses the page cache on nearly every row. For a big load into SQLite they are dropped
# inside the import's transaction and rebuilt (by sorting, much faster) before it commits;
# a crash rolls the drop back with everything else. Not done on PostgreSQL, where DROP INDEX
# would lock out readers for the whole import. Never deferred: the unique Bates constraint,
