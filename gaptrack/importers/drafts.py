"""What every importer's mapping makes: a :class:`DocumentDraft` per document, its row in
:data:`ROW_COLUMNS` order, and the checks a row passes on both backends (column widths)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from gaptrack.derive import ParticipantRow
from gaptrack.importers.rows import width
from gaptrack.matching import edrm_mih


class DocumentDraft(NamedTuple):
    """One document ready for the bulk writer.

    A tuple (not a dataclass): a million are made per large import, and a tuple is the
    cheapest thing to build and to pickle. ``values`` holds the ``document`` row in
    :data:`ROW_COLUMNS` order (production and party are added by the writer). An absent
    value is an empty string, in the row and in the participants: the writer stores it as
    NULL (binding None costs the SQLite driver several times what a string does, see
    importers.writer).
    """

    line: int
    prefix: str
    begin: int
    suffix: str
    values: tuple[Any, ...]
    participants: Sequence[ParticipantRow] = ()
    references: Sequence[tuple[str, str]] = ()  # (message_id, mih)
    parent: tuple[str, int] | None = None  # (prefix, number) of the family parent

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.prefix, self.begin, self.suffix)

    def get(self, column: str) -> Any:
        """One column of the row by name (for messages and checks, not the hot path)."""
        return self.values[ROW_INDEX[column]]


def participant_rows(derived_people: Any) -> list[ParticipantRow]:
    return [(str(p.role), p.address, p.name, p.name_norm) for p in derived_people]


def mih_of(message_id: str) -> str:
    """The MIH of a reference, "" for none (a reference row's column is never NULL)."""
    return edrm_mih(message_id) or ""


# The fields whose document columns have a width, checked (stripped, as stored) before any
# other work is done on a record.
LABEL_WIDTH, CUSTODIAN_WIDTH, MD5_WIDTH, SHA1_WIDTH, LONG_WIDTH = (
    width("document", c) for c in ("begin_label", "custodian", "md5", "sha1", "message_id")
)
THREAD_INDEX_WIDTH = width("document", "thread_index")
FIELD_WIDTHS = {
    "begin_bates": LABEL_WIDTH,
    "end_bates": LABEL_WIDTH,
    "custodian": CUSTODIAN_WIDTH,
    "message_id": LONG_WIDTH,
    "md5": MD5_WIDTH,
    "sha1": SHA1_WIDTH,
    "text_path": LONG_WIDTH,
    "native_path": LONG_WIDTH,
}

# Column widths of the document table: PostgreSQL enforces them, SQLite does not, so a value
# that would fail on one backend only is bad input on both.
LIMITS = {
    column: (name, width("document", column))
    for column, name in (
        ("bates_prefix", "begin_bates"),
        ("bates_suffix", "begin_bates"),
        ("begin_label", "begin_bates"),
        ("end_label", "end_bates"),
        ("custodian", "custodian"),
        ("message_id", "message_id"),
        ("md5", "md5"),
        ("sha1", "sha1"),
        ("text_path", "text_path"),
        ("native_path", "native_path"),
        ("thread_index", "thread_index"),
    )
}
assert all(width("document", c) == LONG_WIDTH for c in ("text_path", "native_path"))


def check_limits(draft: DocumentDraft) -> tuple[str, str] | None:
    """(field, reason) for the first value too long for its column, else None."""
    values = draft.values
    for column, (name, limit) in LIMITS.items():
        value = values[ROW_INDEX[column]]
        if value is not None and len(value) > limit:
            return name, f"is {len(value)} characters long; at most {limit} fit"
    return None


def row_values(row: dict[str, Any]) -> tuple[Any, ...]:
    """A row given as a dict (the mail path) in :data:`ROW_COLUMNS` order, None as "".

    ``subject_norm`` is cut to its column's width, as the DAT path does.
    """
    if row.get("subject_norm") and len(row["subject_norm"]) > 1000:
        row["subject_norm"] = row["subject_norm"][:1000]
    return tuple("" if v is None else v for v in _ROW_GATHER(row))


DOCUMENT_COLUMNS = (
    "production_id",
    "party_id",
    "bates_prefix",
    "bates_begin",
    "bates_end",
    "bates_suffix",
    "begin_label",
    "end_label",
    "custodian",
    "doc_type",
    "title",
    "date_sent",
    "date_created",
    "sender",
    "recipients",
    "cc",
    "bcc",
    "subject",
    "subject_norm",
    "message_id",
    "mih",
    "md5",
    "sha1",
    "body_hash",
    "fingerprint",
    "page_count",
    "text",
    "text_path",
    "native_path",
    "thread_index",
    "source_line",
)

# The document columns a draft carries, in the order of DocumentDraft.values.
ROW_COLUMNS = DOCUMENT_COLUMNS[2:]
ROW_INDEX = {name: i for i, name in enumerate(ROW_COLUMNS)}
_ROW_GATHER = itemgetter(*ROW_COLUMNS)

# The document columns that only these load-file fields (FieldMap names) can fill: when a
# load maps none of them, :meth:`DatMapper.map` leaves the column empty in every row, and
# the SQLite writer writes it as a constant instead of binding a million empty values
# (writer.RowPlan). Every column here is nullable; the Bates columns, the document type
# and the source line are always filled, and never listed.
FILLED_BY: dict[str, tuple[str, ...]] = {
    "custodian": ("custodian",),
    "title": ("title", "file_name"),
    "date_sent": ("date_sent",),
    "date_created": ("date_created",),
    "sender": ("sender",),
    "recipients": ("to",),
    "cc": ("cc",),
    "bcc": ("bcc",),
    "subject": ("subject",),
    "subject_norm": ("subject",),
    "message_id": ("message_id",),
    "mih": ("message_id",),
    "md5": ("md5",),
    "sha1": ("sha1",),
    "body_hash": ("text_path", "text"),
    "fingerprint": ("sender",),
    "page_count": ("page_count",),
    "text": ("text_path", "text"),
    "text_path": ("text_path", "text"),
    "native_path": ("native_path",),
    "thread_index": ("thread_index",),
}


def columns_left_empty(mapped: Collection[str]) -> frozenset[str]:
    """The document columns a DAT load mapping only the fields ``mapped`` never fills."""
    return frozenset(
        column for column, fields in FILLED_BY.items() if not any(f in mapped for f in fields)
    )
