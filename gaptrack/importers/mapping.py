"""Pure mapping from a load-file record (DAT, CSV, EDRM) to the rows gaptrack stores for one
document.

Every importer ends in a :class:`~gaptrack.importers.drafts.DocumentDraft`: the ``document``
row (without its production and party, which the writer adds), its participants and
references (from :func:`gaptrack.derive.derive`), and the Bates number of its family
parent, if any. Mail maps in :mod:`gaptrack.importers.mailmapping`; both are re-exported
here, where the importers have always found them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter
from typing import Any

from gaptrack.bates import parse_bates
from gaptrack.derive import derive_row_values
from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import DatRecord, multi
from gaptrack.importers.dates import DateError, combine, parse_date, parse_time
from gaptrack.importers.drafts import (
    CUSTODIAN_WIDTH,
    DOCUMENT_COLUMNS,
    FIELD_WIDTHS,
    LABEL_WIDTH,
    LIMITS,
    LONG_WIDTH,
    MD5_WIDTH,
    ROW_COLUMNS,
    ROW_INDEX,
    SHA1_WIDTH,
    THREAD_INDEX_WIDTH,
    DocumentDraft,
    check_limits,
    columns_left_empty,
    mih_of,
    participant_rows,
    row_values,
)
from gaptrack.importers.fieldmap import FieldMap
from gaptrack.importers.mailmapping import mail_prefix, map_mail
from gaptrack.importers.rows import sqlite_datetime
from gaptrack.limits import MAX_BIGINT, MAX_INT
from gaptrack.models.enums import DocType
from gaptrack.threads.outlook import normalise_thread_index

__all__ = ["DOCUMENT_COLUMNS", "FIELD_WIDTHS", "LIMITS", "ROW_COLUMNS", "ROW_INDEX",
           "DatMapper", "DocumentDraft", "check_limits", "classify", "columns_left_empty",
           "mail_prefix", "map_mail", "participant_rows", "row_values"]


_EMAIL_EXTENSIONS = {"eml", "msg", "mbox", "emlx"}
_TYPE_WORDS: tuple[tuple[str, DocType], ...] = (
    ("attach", DocType.ATTACHMENT),
    ("mail", DocType.EMAIL),
    ("calendar", DocType.CALENDAR),
    ("appointment", DocType.CALENDAR),
    ("meeting", DocType.CALENDAR),
    ("phone bill", DocType.PHONE_BILL),
    ("call", DocType.CALL_RECORD),
    ("sms", DocType.TEXT_MESSAGE),
    ("imessage", DocType.TEXT_MESSAGE),
    ("text message", DocType.TEXT_MESSAGE),
    ("memo", DocType.MEMO),
    ("letter", DocType.LETTER),
)


def classify(doc_type: str, file_ext: str, *, emailish: bool, has_parent: bool) -> DocType:
    """The document type from what the load file says, else from what the record holds."""
    words = doc_type.strip().casefold()
    if words:
        for word, kind in _TYPE_WORDS:
            if word in words:
                return kind
    if file_ext.strip().lstrip(".").casefold() in _EMAIL_EXTENSIONS:
        return DocType.EMAIL
    if has_parent:
        return DocType.ATTACHMENT
    return DocType.EMAIL if emailish else DocType.OTHER


@lru_cache(maxsize=4096)
def _kind(doc_type: str, file_ext: str, emailish: bool, has_parent: bool) -> str:
    """:func:`classify`'s answer as stored; few distinct inputs, so cached for the hot loop."""
    return classify(doc_type, file_ext, emailish=emailish, has_parent=has_parent).value


def _same(value: dt.datetime | None) -> dt.datetime | None:
    return value


@lru_cache(maxsize=4096)
def _day_text(value: str) -> str | None:
    """A DATESENT that holds a date alone, as ISO text; None for anything else (a time or a
    zone in the field, a year before 1000, a bad date): :func:`combine` decides those."""
    if " " in value or "T" in value[8:11]:  # where combine() would find a time
        return None
    try:
        day = parse_date(value)
    except DateError:
        return None
    return day.isoformat() if day.year >= 1000 else None


@lru_cache(maxsize=4096)
def _clock_text(value: str) -> str | None:
    """A TIMESENT (or none: midnight) as ISO text to the microsecond; None when it is bad."""
    try:
        clock = parse_time(value) if value else dt.time()
    except DateError:
        return None
    return clock.isoformat("microseconds")


def _sqlite_text(date: str, time: str) -> str | None:
    """``sqlite_datetime(combine(date, time))`` for the usual stripped DATESENT and TIMESENT
    with no zone, built from two small caches (dates and times recur, their pairs less so);
    None when :func:`combine` must decide (and give its error, if any)."""
    day = _day_text(date)
    if day is None:
        return None
    clock = _clock_text(time)
    if clock is None:
        return None
    return f"{day} {clock}"


class DatMapper:
    """Maps DAT records through a :class:`FieldMap`; one instance per file."""

    def __init__(
        self,
        fields: FieldMap,
        *,
        file: str,
        bates_prefix: str | None = None,
        load_text: Callable[[str], str | None] | None = None,
        sqlite_dates: bool = False,
    ) -> None:
        self.fields = fields
        # SQLite stores datetimes as text: formatting them here saves the writer rebuilding
        # every row tuple (see writer.SqlDialect.value, which this must match).
        self._bind: Callable[[dt.datetime | None], Any] = (
            sqlite_datetime if sqlite_dates else _same
        )
        self._text_dates = sqlite_dates  # _sqlite_text may answer first
        self.file = file
        self.bates_prefix = bates_prefix
        self.load_text = load_text
        self.width = len(fields.columns)
        self._last_prefix = ""
        # The last BEGATTACH read and its (prefix, number): reading the same label again
        # gives the same answer (_bates only remembers a prefix it has already remembered).
        self._last_family = ""
        self._last_family_bates: tuple[str, int] = ("", 0)
        # Resolve column positions once: the mapping runs a million times.
        # One C-level gather per record: unmapped fields read the "" appended at the end.
        self._getter = itemgetter(*(fields.index.get(name, self.width) for name in _FIELDS))

    def _error(self, record: DatRecord, name: str, message: str) -> LoadFileError:
        column = self.fields.column_name(name) if name in self.fields.index else name
        return LoadFileError(message, file=self.file, line=record.line, field=column)

    def _bates(self, record: DatRecord, name: str, value: str) -> tuple[str, int, str, int]:
        # Fast path: the prefix of the last label, then only digits (nearly every record).
        last = self._last_prefix
        if last and value.startswith(last):
            digits = value[len(last) :]
            if digits.isdigit() and digits.isascii() and len(digits) < 19:
                return last, int(digits), "", len(digits)
        try:
            bates = parse_bates(value, self.bates_prefix)
        except ValueError as exc:
            raise self._error(record, name, str(exc)) from exc
        if bates.number > MAX_BIGINT:
            raise self._error(record, name, f"the number in {value!r} is too large to store")
        if not bates.suffix and self.bates_prefix in (None, bates.prefix):
            self._last_prefix = bates.prefix
        return bates.prefix, bates.number, bates.suffix, bates.width

    def _thread_index(self, record: DatRecord, value: str) -> str:
        try:
            stored = normalise_thread_index(value)
        except ValueError as exc:
            raise self._error(record, "thread_index",
                              f"is not an Outlook Thread-Index: {exc}") from exc
        if len(stored) > THREAD_INDEX_WIDTH:
            raise self._error(record, "thread_index", f"is {len(stored)} characters long in "
                              f"base64; at most {THREAD_INDEX_WIDTH} fit")
        return stored

    def map(self, record: DatRecord) -> DocumentDraft:
        """One record as a draft; a bad record raises :class:`LoadFileError` naming its field.

        The hot loop of a large import (a million calls): the fields are gathered and
        stripped in one C-level pass and unpacked into locals, the row is built as a tuple
        in column order, and participants come from :func:`derive_row_values` (cached by header).
        """
        values = record.values
        if len(values) != self.width:
            raise LoadFileError(
                f"has {len(values)} fields; the header has {self.width}",
                file=self.file,
                line=record.line,
            )
        if "\x00" in "".join(values):  # PostgreSQL's text cannot hold it: refused on both
            column = next(i for i, v in enumerate(values) if "\x00" in v)
            raise LoadFileError("holds a NUL byte", file=self.file, line=record.line,
                                field=self.fields.columns[column]
                                if column < len(self.fields.columns) else f"column {column + 1}")
        # Stripped once per column of the file (not once per field read), then gathered.
        stripped = list(map(str.strip, values))
        stripped.append("")  # what unmapped fields read (see _getter)
        (
            begin_label, end_label, family, _end_attach, parent_label, custodian, sender, to,
            cc, bcc, subject, title, file_name, date_sent, time_sent, timezone, date_created,
            md5, sha1, message_id, in_reply_to, references_text, pages_text, text_path,
            native_path, doc_type, file_ext, inline, thread_index,
        ) = self._getter(stripped)
        if inline and not text_path and _is_text_path(inline):
            text_path, inline = inline, ""  # an "Extracted Text" column holding file paths
        # The widths (FIELD_WIDTHS) spelt out: a loop over them cost more than all of this.
        if (
            len(begin_label) > LABEL_WIDTH or len(end_label) > LABEL_WIDTH
            or len(custodian) > CUSTODIAN_WIDTH or len(md5) > MD5_WIDTH
            or len(sha1) > SHA1_WIDTH or len(message_id) > LONG_WIDTH
            or len(text_path) > LONG_WIDTH or len(native_path) > LONG_WIDTH
        ):
            widths = {"begin_bates": begin_label, "end_bates": end_label,
                      "custodian": custodian, "message_id": message_id, "md5": md5,
                      "sha1": sha1, "text_path": text_path, "native_path": native_path}
            name, limit = next((n, w) for n, w in FIELD_WIDTHS.items() if len(widths[n]) > w)
            raise self._error(
                record, name, f"is {len(widths[name])} characters long; at most {limit} fit"
            )

        if not begin_label:
            raise self._error(record, "begin_bates", "no Bates number")
        prefix, begin, suffix, _ = self._bates(record, "begin_bates", begin_label)
        end_label = end_label or begin_label
        if end_label == begin_label:  # a one-page document: _bates would say the same again
            end = begin
        else:
            end_prefix, end, _, _ = self._bates(record, "end_bates", end_label)
            if end_prefix != prefix:
                raise self._error(
                    record, "end_bates",
                    f"{end_label!r} has a different prefix from {begin_label!r}",
                )
            if end < begin:
                raise self._error(
                    record, "end_bates", f"{end_label!r} comes before {begin_label!r}"
                )

        parent: tuple[str, int] | None = None
        if parent_label and parent_label != begin_label:
            p_prefix, p_number, _, _ = self._bates(record, "parent_bates", parent_label)
            parent = (p_prefix, p_number)
        elif family and family != begin_label:
            # Attachments follow their parent: its label was read for the record before.
            if family == self._last_family:
                p_prefix, p_number = self._last_family_bates
            else:
                p_prefix, p_number, _, _ = self._bates(record, "begin_attach", family)
                self._last_family, self._last_family_bates = family, (p_prefix, p_number)
            if p_number != begin or p_prefix != prefix:
                parent = (p_prefix, p_number)

        page_count: int | str = ""
        if pages_text:
            if not (pages_text.isdigit() and pages_text.isascii()):
                raise self._error(record, "page_count", f"{pages_text!r} is not a number")
            page_count = int(pages_text)
            if page_count > MAX_INT:
                raise self._error(record, "page_count", f"{pages_text} pages is too many")

        sent: Any = ""
        if date_sent:
            if self._text_dates and not timezone:
                sent = _sqlite_text(date_sent, time_sent)
            if not sent:
                try:
                    sent = self._bind(combine(date_sent, time_sent, timezone))
                except DateError as exc:
                    name = "date_sent"
                    reason = str(exc)
                    if "time zone" in reason:
                        name = "timezone"
                    elif "not a time" in reason and time_sent:
                        name = "time_sent"
                    raise self._error(record, name, reason) from exc
        created: Any = ""
        if date_created:
            if self._text_dates:
                created = _sqlite_text(date_created, "")
            if not created:
                try:
                    created = self._bind(combine(date_created))
                except DateError as exc:
                    raise self._error(record, "date_created", str(exc)) from exc

        if thread_index:
            thread_index = self._thread_index(record, thread_index)
        references: list[str] = []
        if in_reply_to:
            references = multi(in_reply_to)
        if references_text:
            references += [r for r in references_text.replace(",", " ").split() if r]
        text = (self.load_text(text_path) or "") if (text_path and self.load_text) else inline
        subject_norm, mih, fingerprint, body_hash, participants, refs = derive_row_values(
            sender, to, cc, bcc, subject, message_id, references, text
        )
        kind = _kind(doc_type, file_ext, bool(sender or message_id), parent is not None)
        if len(prefix) > 64 or len(suffix) > 32:
            raise self._error(record, "begin_bates", "the Bates prefix or suffix is too long")
        if len(subject_norm) > 1000:
            subject_norm = subject_norm[:1000]
        line = record.line
        # Exactly ROW_COLUMNS order; the stripped fields are "" when absent (DocumentDraft).
        row = (
            prefix,
            begin,
            end,
            suffix,
            begin_label,
            end_label,
            custodian,
            kind,
            title or file_name,
            sent,
            created,
            sender,
            to,
            cc,
            bcc,
            subject,
            subject_norm,
            message_id,
            mih,
            md5.lower(),
            sha1.lower(),
            body_hash,
            fingerprint,
            page_count,
            text,
            text_path,
            native_path,
            thread_index,
            line,
        )
        # DocumentDraft(...) without its Python-level __new__ (all eight fields given).
        return _new_tuple(
            DocumentDraft,
            (
                line,
                prefix,
                begin,
                suffix,
                row,
                participants,
                [(r, mih_of(r)) for r in refs] if refs else (),
                parent,
            ),
        )


_new_tuple = tuple.__new__
_TEXT_FILE = re.compile(r"^[^\n]{1,1000}\.(txt|text)$", re.IGNORECASE)


def _is_text_path(value: str) -> bool:
    """An inline-text value that is in fact a text file's path (``TEXT\\ABC0001.txt``)."""
    return "\n" not in value and _TEXT_FILE.match(value) is not None


_FIELDS = (
    "begin_bates",
    "end_bates",
    "begin_attach",
    "end_attach",
    "parent_bates",
    "custodian",
    "sender",
    "to",
    "cc",
    "bcc",
    "subject",
    "title",
    "file_name",
    "date_sent",
    "time_sent",
    "timezone",
    "date_created",
    "md5",
    "sha1",
    "message_id",
    "in_reply_to",
    "references",
    "page_count",
    "text_path",
    "native_path",
    "doc_type",
    "file_ext",
    "text",
    "thread_index",
)
