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
each at the end (the family UPDATE only touches children still without a parent).
Participants are linked to known parties by the identity resolver (gaptrack.identity): as
they are written when the party keys are few enough to hold in memory, else by its set-based
UPDATEs at the end.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

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
from gaptrack.importers.mapping import (
    DOCUMENT_COLUMNS,
    FILLED_BY,
    ROW_COLUMNS,
    ROW_INDEX,
    DocumentDraft,
)
from gaptrack.importers.opt import OptDocument
from gaptrack.importers.rows import CHUNK, SqlDialect, insert_rows, sqlite_value
from gaptrack.importers.tally import EXAMPLES, DocumentTally
from gaptrack.models import metadata

PARTICIPANT_COLUMNS = ("document_id", "role", "address", "name", "name_norm", "party_id")
REFERENCE_COLUMNS = ("document_id", "message_id", "mih")
FAMILY_TABLE = "gt_import_family"
OPT_TABLE = "gt_import_opt"
_DATE_SENT, _DATE_CREATED = ROW_INDEX["date_sent"], ROW_INDEX["date_created"]
_BEGIN_LABEL = ROW_INDEX["begin_label"]
# Positions in a prepared document row: (id, *draft values written, parent prefix, parent
# number). The Bates columns come first and are always written (never in FILLED_BY), so
# their positions are fixed whichever columns a load leaves out; the source line is the
# last value, third from the end.
_R_PREFIX, _R_BEGIN = 1 + ROW_INDEX["bates_prefix"], 1 + ROW_INDEX["bates_begin"]
_R_SUFFIX, _R_LABEL = 1 + ROW_INDEX["bates_suffix"], 1 + ROW_INDEX["begin_label"]
_R_END, _R_END_LABEL = 1 + ROW_INDEX["bates_end"], 1 + ROW_INDEX["end_label"]
_R_LINE = -3
assert ROW_COLUMNS[-1] == "source_line"
assert not FILLED_BY.keys() & {*ROW_COLUMNS[:_R_END_LABEL], "source_line"}
_NO_PARENT = ("", "")
# The draft positions whose column may be NULL: there an empty string means NULL.
_DOCUMENT = metadata.tables["document"]
_NULLABLE = tuple(i for i, name in enumerate(ROW_COLUMNS) if _DOCUMENT.c[name].nullable)


PartyKeys = tuple[dict[str, int], dict[str, int]]
Row = tuple[Any, ...]


# One bound value of a nullable column in the SQLite bulk inserts: "" stands for NULL.
#
# Why they bind no None: Python's sqlite3 module sends every value that is not exactly a
# str, int, float or bytearray through its adapter registry first (a tuple built, a dict
# probed, two attribute lookups), which for None costs ~0.23 µs against ~0.05 µs for a
# string — and a typical document row has a dozen absent values. ``nullif`` turns the
# string back into NULL inside SQLite for a few nanoseconds. Only nullable columns are bound
# this way, and none of them holds an empty string as a value.
_BLANK_IS_NULL = "nullif(?, '')"


class RowPlan(NamedTuple):
    """What turning drafts into SQLite rows needs besides the drafts (picklable).

    The mapping child (importers.pipeline) gets one, so that it can number the documents
    and build every row ready for ``executemany``: the writer then only passes lists on.
    """

    production_id: int
    party_id: int
    first_id: int  # the id of the first document: max(id) + 1 when the import started
    party_keys: PartyKeys | None
    # The positions of ROW_COLUMNS a row carries: the columns the load can fill. The others
    # are constants of the insert statement (see BulkWriter), not a million bound blanks.
    kept: tuple[int, ...]

    def columns(self) -> tuple[str, ...]:
        """The draft columns of a prepared document row, in order (after its id)."""
        return tuple(ROW_COLUMNS[i] for i in self.kept)


class PreparedRows(NamedTuple):
    """The rows of some drafts, in the insert statements' parameter order (SQLite).

    Absent values are empty strings, as in the drafts; the statements store them as NULL.
    """

    documents: list[Row]
    participants: list[Row]
    references: list[Row]
    families: list[Row]


def prepare_rows(drafts: Sequence[DocumentDraft], plan: RowPlan, first_id: int) -> PreparedRows:
    """SQLite rows of ``drafts``, the documents numbered from ``first_id``.

    One tuple built per row (this runs a million times in a large import). A document row
    ends with the parent's Bates number ("" twice for none), which the insert statement's
    sub-select uses to find the family parent (BulkWriter._insert_document); production and
    party are constants of the statement, and so are the columns the load cannot fill
    (``plan.kept`` leaves them out). A participant row ends with its party when ``plan``
    holds party keys to link with (else the column is left NULL).
    """
    # itemgetter of several positions gathers them into a tuple in one C-level call.
    pick = itemgetter(*plan.kept) if len(plan.kept) < len(ROW_COLUMNS) else None
    keys = plan.party_keys
    link = links_parties(keys)
    no_parent = _NO_PARENT
    documents: list[Row] = []
    participants: list[Row] = []
    references: list[Row] = []
    families: list[Row] = []
    append = documents.append
    doc_id = first_id
    for draft in drafts:
        _line, _prefix, _begin, _suffix, values, people, refs, parent = draft
        sent, created = values[_DATE_SENT], values[_DATE_CREATED]
        if isinstance(sent, dt.datetime) or isinstance(created, dt.datetime):
            # Drafts from the mail path carry datetimes (DAT drafts already carry the text).
            listed = list(values)
            listed[_DATE_SENT], listed[_DATE_CREATED] = sqlite_value(sent), sqlite_value(created)
            values = tuple(listed)
        append((doc_id, *(values if pick is None else pick(values)), *(parent or no_parent)))
        if people:
            if link:
                assert keys is not None
                for p in people:
                    found = party_for(keys, p[1], p[3])
                    participants.append((doc_id, *p, "" if found is None else found))
            else:
                participants.extend([(doc_id, *p) for p in people])
        if refs:
            references.extend([(doc_id, *r) for r in refs])
        if parent is not None:
            families.append((doc_id, *parent))
        doc_id += 1
    return PreparedRows(documents, participants, references, families)


def links_parties(keys: PartyKeys | None) -> bool:
    """Whether participants are linked to parties as they are written (see _load_party_keys)."""
    return keys is not None and bool(keys[0] or keys[1])


class PrefixRun:
    """One Bates prefix's documents as written, in Bates order (see BatesTracker)."""

    __slots__ = ("count", "examples", "first", "gaps", "last_begin", "last_end", "last_label",
                 "max_end", "overlaps")

    def __init__(self, begin: int) -> None:
        self.first = begin
        self.last_begin = begin - 1
        self.last_end: int | None = None
        self.last_label = ""
        self.max_end = begin
        self.count = 0
        self.gaps = 0
        self.overlaps = 0
        # (begin, label, previous end label, previous end) of the first gaps and overlaps
        self.examples: list[tuple[int, str, str, int]] = []


class BatesTracker:
    """Bates continuity of the rows as they are written, for the QC report (qc.bates_report).

    While each prefix's numbers arrive strictly ascending — as in nearly every production —
    the order they are written in is the order the report's window query would sort them
    in, so gaps, overlaps, examples and each prefix's range can be counted on the way in
    instead of by sorting the whole production again afterwards. The first number that is
    not above its predecessor gives up (``ordered`` False) and the report queries as before.
    """

    def __init__(self) -> None:
        self.ordered = True
        self.prefixes: dict[str, PrefixRun] = {}

    def add(self, documents: Sequence[Row]) -> None:
        if not self.ordered:
            return
        prefixes = self.prefixes
        run: PrefixRun | None = None
        prefix = None
        for row in documents:
            if row[_R_PREFIX] != prefix or run is None:
                prefix = row[_R_PREFIX]
                run = prefixes.get(prefix)
                if run is None:
                    run = prefixes[prefix] = PrefixRun(row[_R_BEGIN])
            begin, end = row[_R_BEGIN], row[_R_END]
            if begin <= run.last_begin:
                self.ordered = False
                return
            last_end = run.last_end
            if last_end is not None and (begin > last_end + 1 or begin <= last_end):
                if begin > last_end + 1:
                    run.gaps += 1
                else:
                    run.overlaps += 1
                if len(run.examples) < EXAMPLES:
                    run.examples.append((begin, row[_R_LABEL], run.last_label, last_end))
            run.last_begin, run.last_end, run.last_label = begin, end, row[_R_END_LABEL]
            if end > run.max_end:
                run.max_end = end
            run.count += 1


def _page_number(document: OptDocument) -> int | None:
    """The number of a document's last page, when its id is a plain Bates number with the
    document's own prefix (page ids with a suffix, ABC-0001_0002, give none)."""
    label = document.end_label
    digits = label[len(document.prefix):] if label.startswith(document.prefix) else ""
    return int(digits) if digits.isdigit() else None


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
        columns = ", ".join(DOCUMENT_COLUMNS)
        self.next_id: int | None = None
        left_out = frozenset(unfilled)
        assert all(_DOCUMENT.c[name].nullable for name in left_out)
        kept = tuple(i for i, name in enumerate(ROW_COLUMNS) if name not in left_out)
        if self.sql.sqlite:
            # Explicit ids, and the parent found by the row itself: the lowest id among the
            # party's documents with the parent's prefix and number, as link_families would
            # set it. Rows go in in id order, so every match the final UPDATE could see with
            # a lower id is already there; a row whose parent is not yet there stays NULL
            # and is left to link_families.
            self.next_id = int(
                connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM document").scalar()
                or 0
            ) + 1
            # Production and party are the same for every row: written into the statement
            # (both are ids read from the database), they cost nothing per row.
            production, party = int(production_id), int(party_id)
            row = ", ".join(
                "NULL" if name in left_out else _BLANK_IS_NULL if i in _NULLABLE else "?"
                for i, name in enumerate(ROW_COLUMNS)
            )
            self._insert_document = (
                f"INSERT INTO document (id, {columns}, parent_id) "
                f"VALUES (?, {production}, {party}, {row}, (SELECT min(p.id) FROM document p"
                f" WHERE p.party_id = {party} AND p.bates_prefix = ?"
                f" AND p.bates_begin = {_BLANK_IS_NULL}))"
            )
        else:
            self._insert_document = (
                f"INSERT INTO document ({columns}) VALUES ({m(len(DOCUMENT_COLUMNS))})"
            )
        self.party_keys = self._load_party_keys()
        if self.sql.sqlite:
            # prepare_rows' rows: the party only when there are parties to link with.
            linked = PARTICIPANT_COLUMNS if links_parties(self.party_keys) else (
                PARTICIPANT_COLUMNS[:-1]
            )
            blanks = ", ".join(_BLANK_IS_NULL for _ in linked[2:])
            self._insert_participant = (
                f"INSERT INTO document_participant ({', '.join(linked)}) VALUES (?, ?, {blanks})"
            )
        else:
            self._insert_participant = (
                f"INSERT INTO document_participant ({', '.join(PARTICIPANT_COLUMNS)})"
                f" VALUES ({m(6)})"
            )
        self._insert_reference = (
            f"INSERT INTO document_reference ({', '.join(REFERENCE_COLUMNS)}) VALUES ({m(3)})"
        )
        self._insert_family = (
            f"INSERT INTO {FAMILY_TABLE} (child_id, parent_prefix, parent_begin) VALUES ({m(3)})"
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
        self._drop_temp()
        self.conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {FAMILY_TABLE} "
            "(child_id BIGINT PRIMARY KEY, parent_prefix VARCHAR(64), parent_begin BIGINT)"
        )

    def _load_party_keys(self) -> PartyKeys | None:
        """The identity resolver's party keys (addresses, unambiguous names), when few
        enough: each participant then gets its party as it is written, the same result as
        :meth:`resolve_parties`' UPDATEs."""
        if count_party_keys(self.conn) > MAX_PARTY_KEYS:
            return None
        return load_party_names(self.conn).keys()

    def _drop_temp(self) -> None:
        for table in (FAMILY_TABLE, OPT_TABLE):
            self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")

    def _bulk(
        self, insert: str, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """``executemany`` on SQLite; ``COPY`` on PostgreSQL (see rows.insert_rows)."""
        insert_rows(self.conn, table, columns, rows, insert=insert)

    def add(self, draft: DocumentDraft) -> None:
        self.pending.append(draft)
        if len(self.pending) >= self.chunk:
            self.flush()

    def _duplicates(self, entries: Sequence[tuple[tuple[str, int, str], str, int]]) -> set[int]:
        """Positions of the entries whose Bates number is already taken (earlier in the
        file or in the db); each is reported to ``on_bad``. An entry is (key, label, line)."""
        bad: set[int] = set()
        seen: set[tuple[str, int, str]] = set()
        keep: list[int] = []
        for i, (key, label, line) in enumerate(entries):
            if key in seen:
                self.on_bad(self._duplicate_error(label, line, "earlier in this file"))
                bad.add(i)
                continue
            seen.add(key)
            keep.append(i)
        by_prefix: dict[str, list[int]] = {}
        for prefix, begin, _ in seen:
            by_prefix.setdefault(prefix, []).append(begin)
        taken: set[tuple[str, int, str]] = set()
        m = self.sql.mark
        for prefix, numbers in by_prefix.items():
            rows = self.conn.exec_driver_sql(
                "SELECT bates_prefix, bates_begin, bates_suffix FROM document "
                f"WHERE bates_prefix = {m} AND bates_begin BETWEEN {m} AND {m}",
                (prefix, min(numbers), max(numbers)),
            ).all()
            taken.update((r[0], int(r[1]), r[2]) for r in rows)
        if taken:
            for i in keep:
                key, label, line = entries[i]
                if key in taken:
                    self.on_bad(self._duplicate_error(label, line, "already in the database"))
                    bad.add(i)
        return bad

    def _duplicate_error(self, label: str, line: int, where: str) -> LoadFileError:
        return LoadFileError(
            f"duplicate Bates number {label!r} ({where})",
            file=self.file,
            line=line,
            field="begin_bates",
        )

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
            self._bulk(self._insert_family, FAMILY_TABLE,
                       ("child_id", "parent_prefix", "parent_begin"), families)
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
        bad = self._duplicates([((r[_R_PREFIX], r[_R_BEGIN], r[_R_SUFFIX]), r[_R_LABEL],
                                 r[_R_LINE]) for r in docs])
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
            listed[_DATE_SENT] = value(listed[_DATE_SENT])
            listed[_DATE_CREATED] = value(listed[_DATE_CREATED])
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
        if first:
            self.conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {OPT_TABLE} (prefix VARCHAR(64), number BIGINT, "
                "label VARCHAR(120), pages INTEGER, declared INTEGER, line INTEGER, "
                "end_label VARCHAR(120), end_number BIGINT)"
            )
            self.conn.exec_driver_sql(
                f"CREATE INDEX ix_{OPT_TABLE} ON {OPT_TABLE} (prefix, number)"
            )
        if documents:
            self.conn.exec_driver_sql(
                f"INSERT INTO {OPT_TABLE} (prefix, number, label, pages, declared, line, "
                f"end_label, end_number) VALUES ({self.sql.marks(8)})",
                [
                    (d.prefix, d.number, d.begin_label, d.pages, d.declared_pages, d.line,
                     d.end_label, _page_number(d))
                    for d in documents
                ],
            )

    def link_families(self) -> int:
        """Set ``parent_id`` from the staged family links; returns the orphans' count.

        Only children still without a parent are looked at (on SQLite nearly all were linked
        as they were written), found from the family table by primary key rather than by
        scanning the production: a few hundred milliseconds less on a million documents.
        """
        self.flush()
        if not self.families:
            return 0
        m = self.sql.mark
        unlinked = (
            f"SELECT f.child_id FROM {FAMILY_TABLE} f WHERE EXISTS (SELECT 1 FROM document c"
            " WHERE c.id = f.child_id AND c.parent_id IS NULL)"
        )

        def count() -> int:
            return int(
                self.conn.exec_driver_sql(f"SELECT count(*) FROM ({unlinked}) u").scalar_one()
            )

        if count() == 0:
            return 0
        if self.conn.dialect.name == "postgresql":
            self._link_families_joined()
            return count()
        self.conn.exec_driver_sql(
            "UPDATE document SET parent_id = ("
            " SELECT min(p.id) FROM " + FAMILY_TABLE + " f JOIN document p"
            f" ON p.party_id = {m} AND p.bates_prefix = f.parent_prefix"
            " AND p.bates_begin = f.parent_begin"
            " WHERE f.child_id = document.id)"
            f" WHERE id IN ({unlinked})",
            (self.party_id,),
        )
        return count()

    def _link_families_joined(self) -> None:
        """PostgreSQL: the same links in one hash join (a correlated subquery per child
        took a fifth of a large import). The staged table is analysed first: the planner
        knows nothing of a temporary table's size otherwise."""
        self.conn.exec_driver_sql(f"ANALYZE {FAMILY_TABLE}")
        self.conn.exec_driver_sql(
            "UPDATE document SET parent_id = s.parent_id FROM ("
            " SELECT f.child_id, min(p.id) AS parent_id FROM " + FAMILY_TABLE + " f"
            " JOIN document p ON p.party_id = %s AND p.bates_prefix = f.parent_prefix"
            " AND p.bates_begin = f.parent_begin GROUP BY f.child_id) s"
            " WHERE document.id = s.child_id AND document.parent_id IS NULL",
            (self.party_id,),
        )

    def apply_opt(self) -> int:
        """Fill page counts the DAT lacks from the OPT; returns how many were filled."""
        m = self.sql.mark
        where = (
            f"production_id = {m} AND page_count IS NULL AND EXISTS (SELECT 1 FROM {OPT_TABLE} o"
            " WHERE o.prefix = document.bates_prefix AND o.number = document.bates_begin)"
        )
        filled, added = self.conn.exec_driver_sql(
            f"SELECT count(*), sum((SELECT max(o.pages) FROM {OPT_TABLE} o"
            " WHERE o.prefix = document.bates_prefix AND o.number = document.bates_begin))"
            f" FROM document WHERE {where}",
            (self.production_id,),
        ).one()
        if self.tally is not None and added is not None:
            self.tally.pages = (self.tally.pages or 0) + int(added)  # it counted the DAT's
        self.conn.exec_driver_sql(
            f"UPDATE document SET page_count = (SELECT max(o.pages) FROM {OPT_TABLE} o"
            " WHERE o.prefix = document.bates_prefix AND o.number = document.bates_begin)"
            f" WHERE {where}",
            (self.production_id,),
        )
        return int(filled)

    def apply_opt_ends(self) -> int:
        """Document ends from the OPT's last pages (a DAT without ENDBATES); how many."""
        m = self.sql.mark
        match = (f"FROM {OPT_TABLE} o WHERE o.prefix = document.bates_prefix"
                 " AND o.number = document.bates_begin")
        where = f"production_id = {m} AND EXISTS (SELECT 1 {match} AND o.end_number IS NOT NULL)"
        ended = self.conn.exec_driver_sql(
            f"SELECT count(*) FROM document WHERE {where}", (self.production_id,)
        ).scalar_one()
        self.conn.exec_driver_sql(
            f"UPDATE document SET bates_end = (SELECT max(o.end_number) {match}),"
            f" end_label = (SELECT max(o.end_label) {match}) WHERE {where}",
            (self.production_id,),
        )
        if self.tally is not None:
            high = self.conn.exec_driver_sql(
                f"SELECT max(bates_end) FROM document WHERE production_id = {m}",
                (self.production_id,),
            ).scalar()
            self.tally.bates_last = None if high is None else int(high)
        self.bates = None  # continuity is then read from the rows, not from the tracker
        return int(ended)

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
        self._drop_temp()


# Indexes on random keys (hashes, addresses): inserting a million rows into them one by one
# misses the page cache on nearly every row. For a big load into SQLite they are dropped
# inside the import's transaction and rebuilt (by sorting, much faster) before it commits;
# a crash rolls the drop back with everything else. Not done on PostgreSQL, where DROP INDEX
# would lock out readers for the whole import. Never deferred: the unique Bates constraint,
# and ix_document_party_bates, which each new row probes for its family parent (writer
# ``_insert_document``).
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
# The document's key indexes hold only rows with their key, a column mapping.FILLED_BY says
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
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    threads = conn.exec_driver_sql("PRAGMA threads").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")
    conn.exec_driver_sql(f"PRAGMA threads = {min(REBUILD_THREADS, os.cpu_count() or 1)}")
    try:
        for sql in statements:
            conn.exec_driver_sql(sql)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache or 0)}")
        conn.exec_driver_sql(f"PRAGMA threads = {int(threads or 0)}")
