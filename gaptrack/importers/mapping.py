"""Pure mapping from a source record to the rows gaptrack stores for one document.

Every importer ends here: a :class:`DocumentDraft` carries the ``document`` row (without its
production and party, which the writer adds), its participants and references (from
:func:`gaptrack.derive.derive`), and the Bates number of its family parent, if any.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from gaptrack.bates import format_bates, parse_bates
from gaptrack.derive import derive
from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import DatRecord, multi
from gaptrack.importers.dates import DateError, combine
from gaptrack.importers.fieldmap import FieldMap
from gaptrack.importers.mail import MailMessage
from gaptrack.matching import edrm_mih
from gaptrack.models.enums import DocType

# (role, address or None, name or None, name_norm or None)
ParticipantRow = tuple[str, str | None, str | None, str | None]


@dataclass(slots=True)
class DocumentDraft:
    line: int
    prefix: str
    begin: int
    suffix: str
    row: dict[str, Any]
    participants: list[ParticipantRow] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)  # (message_id, mih)
    parent: tuple[str, int] | None = None  # (prefix, number) of the family parent

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.prefix, self.begin, self.suffix)


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


def participant_rows(derived_people: Any) -> list[ParticipantRow]:
    return [
        (str(p.role), p.address or None, p.name or None, p.name_norm or None)
        for p in derived_people
    ]


def _none(value: str) -> str | None:
    value = value.strip()
    return value or None


class DatMapper:
    """Maps DAT records through a :class:`FieldMap`; one instance per file."""

    def __init__(
        self,
        fields: FieldMap,
        *,
        file: str,
        bates_prefix: str | None = None,
        load_text: Callable[[str], str | None] | None = None,
    ) -> None:
        self.fields = fields
        self.file = file
        self.bates_prefix = bates_prefix
        self.load_text = load_text
        self.width = len(fields.columns)
        self._last_prefix = ""
        # Resolve column positions once: the mapping runs a million times.
        # One C-level gather per record: unmapped fields read the "" appended at the end.
        self._getter = itemgetter(*(fields.index.get(name, self.width) for name in _FIELDS))
        self._limited = [
            (fields.index[name], name, limit)
            for name, limit in RAW_LIMITS.items()
            if name in fields.index
        ]

    def _error(self, record: DatRecord, name: str, message: str) -> LoadFileError:
        column = self.fields.column_name(name) if name in self.fields.index else name
        return LoadFileError(message, file=self.file, line=record.line, field=column)

    def _bates(self, record: DatRecord, name: str, value: str) -> tuple[str, int, str, int]:
        # Fast path: the prefix of the last label, then only digits (nearly every record).
        last = self._last_prefix
        if last and value.startswith(last):
            digits = value[len(last) :]
            if digits.isdigit() and digits.isascii():
                return last, int(digits), "", len(digits)
        try:
            bates = parse_bates(value, self.bates_prefix)
        except ValueError as exc:
            raise self._error(record, name, str(exc)) from exc
        if not bates.suffix and self.bates_prefix in (None, bates.prefix):
            self._last_prefix = bates.prefix
        return bates.prefix, bates.number, bates.suffix, bates.width

    def map(self, record: DatRecord) -> DocumentDraft:
        values = record.values
        if len(values) != self.width:
            raise LoadFileError(
                f"has {len(values)} fields; the header has {self.width}",
                file=self.file,
                line=record.line,
            )
        for i, name, limit in self._limited:
            if len(values[i]) > limit:
                raise self._error(
                    record, name, f"is {len(values[i])} characters long; at most {limit} fit"
                )
        got = dict(zip(_FIELDS, [v.strip() for v in self._getter([*values, ""])], strict=True))
        get = got.__getitem__

        begin_label = get("begin_bates")
        if not begin_label:
            raise self._error(record, "begin_bates", "no Bates number")
        prefix, begin, suffix, _ = self._bates(record, "begin_bates", begin_label)
        end_label = get("end_bates") or begin_label
        end_prefix, end, _, _ = self._bates(record, "end_bates", end_label)
        if end_prefix != prefix:
            raise self._error(
                record, "end_bates", f"{end_label!r} has a different prefix from {begin_label!r}"
            )
        if end < begin:
            raise self._error(record, "end_bates", f"{end_label!r} comes before {begin_label!r}")

        parent: tuple[str, int] | None = None
        parent_label = get("parent_bates")
        family = get("begin_attach")
        if parent_label and parent_label != begin_label:
            p_prefix, p_number, _, _ = self._bates(record, "parent_bates", parent_label)
            parent = (p_prefix, p_number)
        elif family and family != begin_label:
            p_prefix, p_number, _, _ = self._bates(record, "begin_attach", family)
            if (p_prefix, p_number) != (prefix, begin):
                parent = (p_prefix, p_number)

        pages_text = get("page_count")
        page_count: int | None = None
        if pages_text:
            if not pages_text.isdigit():
                raise self._error(record, "page_count", f"{pages_text!r} is not a number")
            page_count = int(pages_text)

        try:
            sent = combine(get("date_sent"), get("time_sent"), get("timezone"))
        except DateError as exc:
            name = "date_sent"
            reason = str(exc)
            if "time zone" in reason:
                name = "timezone"
            elif "not a time" in reason and get("time_sent"):
                name = "time_sent"
            raise self._error(record, name, reason) from exc
        try:
            created = combine(get("date_created"))
        except DateError as exc:
            raise self._error(record, "date_created", str(exc)) from exc

        sender = get("sender")
        to, cc, bcc = get("to"), get("cc"), get("bcc")
        subject = get("subject")
        message_id = get("message_id")
        references = multi(get("in_reply_to")) + [
            r for r in get("references").replace(",", " ").split() if r
        ]
        text_path = get("text_path")
        text = self.load_text(text_path) if (text_path and self.load_text) else None
        derived = derive(
            sender=sender or None,
            to=to or None,
            cc=cc or None,
            bcc=bcc or None,
            subject=subject or None,
            message_id=message_id or None,
            references=references,
            text=text,
        )
        kind = classify(
            get("doc_type"),
            get("file_ext"),
            emailish=bool(sender or message_id),
            has_parent=parent is not None,
        )
        row: dict[str, Any] = {
            "bates_prefix": prefix,
            "bates_begin": begin,
            "bates_end": end,
            "bates_suffix": suffix,
            "begin_label": begin_label,
            "end_label": end_label,
            "custodian": _none(get("custodian")),
            "doc_type": str(kind),
            "title": _none(get("title")) or _none(get("file_name")),
            "date_sent": sent,
            "date_created": created,
            "sender": sender or None,
            "recipients": to or None,
            "cc": cc or None,
            "bcc": bcc or None,
            "subject": subject or None,
            "subject_norm": derived.subject_norm or None,
            "message_id": message_id or None,
            "mih": derived.mih,
            "md5": (get("md5").lower() or None),
            "sha1": (get("sha1").lower() or None),
            "body_hash": derived.body_hash,
            "fingerprint": derived.fingerprint,
            "page_count": page_count,
            "text": text,
            "text_path": text_path or None,
            "native_path": _none(get("native_path")),
            "source_line": record.line,
        }
        if len(prefix) > 64 or len(suffix) > 32:
            raise self._error(record, "begin_bates", "the Bates prefix or suffix is too long")
        if derived.subject_norm and len(derived.subject_norm) > 1000:
            row["subject_norm"] = derived.subject_norm[:1000]
        return DocumentDraft(
            line=record.line,
            prefix=prefix,
            begin=begin,
            suffix=suffix,
            row=row,
            participants=participant_rows(derived.participants),
            references=[(r, _mih(r)) for r in derived.references],
            parent=parent,
        )


def _mih(message_id: str) -> str:
    return edrm_mih(message_id) or ""


# The raw fields whose document columns have a width (checked before any work is done).
RAW_LIMITS = {
    "begin_bates": 120,
    "end_bates": 120,
    "custodian": 300,
    "message_id": 1000,
    "md5": 32,
    "sha1": 40,
    "text_path": 1000,
    "native_path": 1000,
}

# Column widths of the document table: PostgreSQL enforces them, SQLite does not, so a value
# that would fail on one backend only is bad input on both.
LIMITS = {
    "bates_prefix": ("begin_bates", 64),
    "bates_suffix": ("begin_bates", 32),
    "begin_label": ("begin_bates", 120),
    "end_label": ("end_bates", 120),
    "custodian": ("custodian", 300),
    "message_id": ("message_id", 1000),
    "md5": ("md5", 32),
    "sha1": ("sha1", 40),
    "text_path": ("text_path", 1000),
    "native_path": ("native_path", 1000),
}


def check_limits(row: dict[str, Any]) -> tuple[str, str] | None:
    """(field, reason) for the first value too long for its column, else None."""
    for column, (name, limit) in LIMITS.items():
        value = row.get(column)
        if value is not None and len(value) > limit:
            return name, f"is {len(value)} characters long; at most {limit} fit"
    if row.get("subject_norm") and len(row["subject_norm"]) > 1000:
        row["subject_norm"] = row["subject_norm"][:1000]
    return None


def mail_prefix(production: str) -> str:
    """The default Bates prefix for a mailbox import: the production name, upper-cased."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", production).strip("-").upper() or "MAIL"
    return stem[:60] + "-"


def map_mail(message: MailMessage, prefix: str, number: int, width: int = 6) -> list[DocumentDraft]:
    """A message and its attachments as a family of drafts numbered from ``number``."""
    derived = derive(
        sender=message.sender or None,
        to=message.to or None,
        cc=message.cc or None,
        bcc=message.bcc or None,
        subject=message.subject or None,
        message_id=message.message_id or None,
        references=[*message.in_reply_to.split(), *message.references],
        text=message.text or None,
    )
    label = format_bates(prefix, number, width)
    last = number + len(message.attachments)
    row: dict[str, Any] = {
        "bates_prefix": prefix,
        "bates_begin": number,
        "bates_end": number,
        "bates_suffix": "",
        "begin_label": label,
        "end_label": label,
        "custodian": None,
        "doc_type": str(DocType.EMAIL),
        "title": None,
        "date_sent": message.date,
        "date_created": None,
        "sender": message.sender or None,
        "recipients": message.to or None,
        "cc": message.cc or None,
        "bcc": message.bcc or None,
        "subject": message.subject or None,
        "subject_norm": derived.subject_norm or None,
        "message_id": message.message_id or None,
        "mih": derived.mih,
        "md5": message.md5,
        "sha1": None,
        "body_hash": derived.body_hash,
        "fingerprint": derived.fingerprint,
        "page_count": None,
        "text": message.text or None,
        "text_path": None,
        "native_path": f"{message.source.name}#{message.number}",
        "source_line": message.number,
    }
    drafts = [
        DocumentDraft(
            line=message.number,
            prefix=prefix,
            begin=number,
            suffix="",
            row=row,
            participants=participant_rows(derived.participants),
            references=[(r, _mih(r)) for r in derived.references],
        )
    ]
    for offset, attachment in enumerate(message.attachments, start=1):
        child = format_bates(prefix, number + offset, width)
        drafts.append(
            DocumentDraft(
                line=message.number,
                prefix=prefix,
                begin=number + offset,
                suffix="",
                row={
                    **{c: None for c in DOCUMENT_COLUMNS},
                    "bates_prefix": prefix,
                    "bates_begin": number + offset,
                    "bates_end": number + offset,
                    "bates_suffix": "",
                    "begin_label": child,
                    "end_label": child,
                    "doc_type": str(DocType.ATTACHMENT),
                    "title": attachment.filename,
                    "date_sent": message.date,
                    "md5": attachment.md5,
                    "native_path": f"{message.source.name}#{message.number}/{attachment.filename}",
                    "source_line": message.number,
                },
                parent=(prefix, number),
            )
        )
    assert last == number + len(drafts) - 1
    return drafts


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
)

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
    "source_line",
)
