"""Outlook items (MAPI properties, as PST and MSG files store them) as mail messages.

A PST folder's messages and a ``.msg`` file hold the same thing: a set of MAPI properties
([MS-OXPROPS]), a recipients table and attachments. Both readers
(:mod:`gaptrack.importers.pstfile`, :mod:`gaptrack.importers.msgfile`) give an
:class:`OutlookItem`; :func:`to_message` turns it into the :class:`MailMessage` an EML
becomes, so every Outlook item goes through the one mail mapping
(:func:`gaptrack.importers.mapping.map_mail`).

Headers come from the stored transport headers (``PR_TRANSPORT_MESSAGE_HEADERS``) when the
item has them — a received message. A sent message has none: its From/To/Cc/Bcc/Date/Subject
are rebuilt from the properties (the sender's SMTP address, the recipients table, the client
submit time), written as an RFC 5322 header block and read by the same header parser, so the
sender's copy gets the fingerprint of the recipients' copies.

The body is the plain one, else the HTML one's text, else the text of the compressed RTF one
(:mod:`gaptrack.importers.rtfbody`), which is often all an Exchange store keeps. An attached
message (attach method 5, a forwarded email attached as an item) is read as an item of its own
and becomes a message attached to its parent (:attr:`MailAttachment.message`), mapped as an
email family member, nested at most :data:`MAX_EMBEDDED_DEPTH` levels.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from gaptrack.importers.mail import (
    HeaderProblem,
    MailAttachment,
    MailMessage,
    html_to_text,
    parse_message,
)
from gaptrack.importers.mimedepth import MAX_MIME_DEPTH
from gaptrack.importers.rtfbody import RtfError, rtf_body_text

# Property ids ([MS-OXPROPS]); the type is the low 16 bits of a tag, the id the high 16.
MESSAGE_CLASS = 0x001A
SUBJECT = 0x0037
CLIENT_SUBMIT_TIME = 0x0039
SENT_REPRESENTING_NAME = 0x0042
CONVERSATION_INDEX = 0x0071  # the Thread-Index header's bytes
SENT_REPRESENTING_EMAIL = 0x0065
TRANSPORT_HEADERS = 0x007D
RECIPIENT_TYPE = 0x0C15
SENDER_NAME = 0x0C1A
SENDER_EMAIL = 0x0C1F
DISPLAY_BCC, DISPLAY_CC, DISPLAY_TO = 0x0E02, 0x0E03, 0x0E04
DELIVERY_TIME = 0x0E06
MESSAGE_FLAGS = 0x0E07
BODY = 0x1000
RTF_COMPRESSED = 0x1009
HTML = 0x1013
INTERNET_MESSAGE_ID = 0x1035
REFERENCES = 0x1039
IN_REPLY_TO = 0x1042
DISPLAY_NAME = 0x3001
EMAIL_ADDRESS = 0x3003
ATTACH_DATA = 0x3701
ATTACH_FILENAME = 0x3704
ATTACH_METHOD = 0x3705
ATTACH_LONG_FILENAME = 0x3707
ATTACH_MIME_TAG = 0x370E
SMTP_ADDRESS = 0x39FE
SENDER_SMTP = 0x5D01
SENT_REPRESENTING_SMTP = 0x5D02

# Property types ([MS-OXCDATA] 2.11.1) gaptrack reads.
PT_LONG, PT_BOOLEAN, PT_OBJECT, PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_BINARY = (
    0x0003, 0x000B, 0x000D, 0x001E, 0x001F, 0x0040, 0x0102)
ATTACH_EMBEDDED_MSG = 5
# Attached messages read inside attached messages: the limit nested MIME has (a forward of a
# forward nests a few levels); one deeper is kept by name and the QC report names its message.
MAX_EMBEDDED_DEPTH = MAX_MIME_DEPTH

_EPOCH = dt.datetime(1601, 1, 1)  # FILETIME counts 100 ns from here, UTC
_ROLES = {1: "To", 2: "Cc", 3: "Bcc"}
# Item classes that are mail: notes, meeting requests and responses, delivery reports.
_MAIL_CLASSES = ("IPM.NOTE", "IPM.SCHEDULE.MEETING", "REPORT.IPM.NOTE", "IPM.POST")


@dataclass(frozen=True, slots=True)
class Skipped:
    """An item a reader passed over because it is not mail (a contact, an appointment)."""

    item_class: str


@dataclass(slots=True)
class Recipient:
    name: str = ""
    address: str = ""
    kind: int = 1  # PR_RECIPIENT_TYPE: 1 To, 2 Cc, 3 Bcc


@dataclass(slots=True)
class Attachment:
    name: str
    data: bytes
    content_type: str = "application/octet-stream"
    item: OutlookItem | None = None  # an embedded message (attach method 5), read as an item


@dataclass(slots=True)
class OutlookItem:
    """One item as its reader found it: properties by id, recipients, attachments."""

    props: dict[int, Any] = field(default_factory=dict)
    recipients: list[Recipient] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    nesting_cut: bool = False  # an attached message below MAX_EMBEDDED_DEPTH left unread
    notes: list[str] = field(default_factory=list)  # what the reader could not read, and why

    def text(self, prop: int) -> str:
        value = self.props.get(prop)
        return value.replace("\x00", "").strip() if isinstance(value, str) else ""

    @property
    def item_class(self) -> str:
        return self.text(MESSAGE_CLASS)

    @property
    def is_mail(self) -> bool:
        """A message (IPM.Note and its kin), not a contact, appointment, task or note."""
        kind = self.item_class.upper()
        return not kind or kind == "IPM" or kind.startswith(_MAIL_CLASSES)


def filetime(raw: bytes) -> dt.datetime | None:
    """A FILETIME (8 bytes, little-endian) as naive UTC; None for 0 and out-of-range values."""
    ticks = int.from_bytes(raw[:8], "little")
    if ticks <= 0:
        return None
    try:
        return _EPOCH + dt.timedelta(microseconds=ticks // 10)
    except OverflowError:
        return None


def decode(kind: int, data: bytes | None) -> Any:
    """A property's value from its stored bytes, by its type (None for types not read)."""
    if data is None:
        return None
    if kind == PT_UNICODE:
        return data.decode("utf-16-le", errors="replace").rstrip("\x00")
    if kind == PT_STRING8:
        text = data.rstrip(b"\x00")
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError:
            return text.decode("cp1252", errors="replace")
    if kind == PT_SYSTIME:
        return filetime(data)
    if kind in (PT_LONG, PT_BOOLEAN):
        return int.from_bytes(data[:4], "little")
    if kind == PT_BINARY:
        return bytes(data)
    return None


def _subject(value: str) -> str:
    """PR_SUBJECT without the prefix marker some stores put first (``\\x01`` and a length)."""
    if value[:1] == "\x01" and len(value) >= 2:
        value = value[2:]
    return value


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _address(*candidates: str) -> str:
    """The first SMTP address among the candidates (an Exchange DN, ``/O=…``, is not one)."""
    return next((c for c in candidates if "@" in c and not c.startswith("/")), "")


def _person(name: str, address: str) -> str:
    name, address = _one_line(name), _one_line(address)
    if address:
        return formataddr((name if name != address else "", address))
    return name


def rebuilt_headers(item: OutlookItem) -> str:
    """From/To/Cc/Bcc/Date/Subject and the message ids, from the item's properties."""
    sender = _person(
        item.text(SENDER_NAME) or item.text(SENT_REPRESENTING_NAME),
        _address(item.text(SENDER_SMTP), item.text(SENDER_EMAIL),
                 item.text(SENT_REPRESENTING_SMTP), item.text(SENT_REPRESENTING_EMAIL)),
    )
    lines = [f"From: {sender}"] if sender else []
    for kind, role in _ROLES.items():
        people = [_person(r.name, _address(r.address)) for r in item.recipients
                  if r.kind == kind]
        if not people and not item.recipients:  # no table: the display names Outlook keeps
            shown = item.text({1: DISPLAY_TO, 2: DISPLAY_CC, 3: DISPLAY_BCC}[kind])
            people = [p.strip() for p in shown.split(";") if p.strip()]
        if any(people):
            lines.append(f"{role}: {', '.join(p for p in people if p)}")
    sent = item.props.get(CLIENT_SUBMIT_TIME) or item.props.get(DELIVERY_TIME)
    if isinstance(sent, dt.datetime):
        lines.append(f"Date: {format_datetime(sent.replace(tzinfo=dt.UTC))}")
    for name, prop in (("Subject", SUBJECT), ("Message-ID", INTERNET_MESSAGE_ID),
                       ("In-Reply-To", IN_REPLY_TO), ("References", REFERENCES)):
        value = item.text(prop)
        value = _one_line(_subject(value) if prop == SUBJECT else value)
        if value:
            lines.append(f"{name}: {value}")
    index = item.props.get(CONVERSATION_INDEX)
    if isinstance(index, bytes) and index:
        lines.append(f"Thread-Index: {base64.b64encode(index).decode('ascii')}")
    return "\n".join(lines)


def _body(item: OutlookItem) -> tuple[str, str]:
    """(the body's text, why the RTF body could not be read or ""): the plain body, else the
    HTML body's text, else the compressed RTF body's."""
    text = item.text(BODY)
    if text:
        return text.replace("\r\n", "\n"), ""
    markup = item.props.get(HTML)
    if isinstance(markup, bytes):
        markup = decode(PT_STRING8, markup)
    if isinstance(markup, str) and markup.strip("\x00 \r\n"):
        return html_to_text(markup).replace("\r\n", "\n"), ""
    rtf = item.props.get(RTF_COMPRESSED)
    if not isinstance(rtf, bytes) or not rtf:
        return "", ""
    try:
        return rtf_body_text(rtf), ""
    except RtfError as exc:
        return "", str(exc)


def _head_bytes(headers: str) -> bytes:
    """A header block as the mail parser reads it: lines, then the blank line."""
    block = headers.replace("\r\n", "\n").strip("\n")
    return block.encode("utf-8") + b"\n\n"


def to_message(
    item: OutlookItem, source: Path, number: int, md5: str = "", line: int = 1
) -> MailMessage:
    """The item as a :class:`MailMessage`: headers from the transport headers when stored,
    else rebuilt from the properties; the body and attachments from the item, an embedded
    message as a message of its own. ``line``: its position (a PST's item number)."""
    stored = item.text(TRANSPORT_HEADERS)
    # Transport headers hold the MIME structure too; only the header block is read here.
    message = parse_message(_head_bytes(stored or rebuilt_headers(item)), source, number, line)
    if stored:  # fill what the stored block lacks (a Bcc'd copy has no To, say)
        rebuilt = parse_message(_head_bytes(rebuilt_headers(item)), source, number, line)
        for name in ("sender", "to", "cc", "subject", "message_id", "in_reply_to",
                     "thread_index"):
            if not getattr(message, name):
                setattr(message, name, getattr(rebuilt, name))
        if message.date is None and rebuilt.date is not None:  # the item's own time stands
            message.date, message.date_text = rebuilt.date, rebuilt.date_text
            message.problems = [p for p in message.problems if p.header != "Date"]
    message.text, unread = _body(item)
    message.text = message.text.replace("\x00", "")
    if unread:  # kept, without its text: say so in the QC report, naming the item
        message.problems.append(HeaderProblem(str(source), line, "PR_RTF_COMPRESSED", unread))
    message.problems += [HeaderProblem(str(source), line, "attachment", n) for n in item.notes]
    message.attachments = [_attachment(a, source, number, line) for a in item.attachments]
    for inner in (a.message for a in message.attachments if a.message is not None):
        message.nesting_cut = message.nesting_cut or inner.nesting_cut
        message.problems.extend(inner.problems)
    message.nesting_cut = message.nesting_cut or item.nesting_cut
    message.md5 = md5 or _digest(item)
    return message


def _attachment(found: Attachment, source: Path, number: int, line: int) -> MailAttachment:
    name = found.name.replace("\x00", "")
    if found.item is None or not found.item.is_mail:  # an attached contact stays a file
        return MailAttachment(name, found.content_type, len(found.data),
                              hashlib.md5(found.data).hexdigest())
    inner = to_message(found.item, source, number, line=line)
    return MailAttachment(name, "message/rfc822", 0, inner.md5, message=inner)


def _digest(item: OutlookItem) -> str:
    """An MD5 standing for the item's content (a PST item has no bytes of its own)."""
    digest = hashlib.md5()
    for prop in sorted(item.props):
        value = item.props[prop]
        digest.update(f"{prop:04x}={value!r}\n".encode("utf-8", errors="replace"))
    for attachment in item.attachments:
        inner = _digest(attachment.item) if attachment.item is not None else ""
        digest.update(hashlib.md5(attachment.data).digest() + inner.encode("ascii"))
    return digest.hexdigest()


def attachment_name(props: dict[int, Any], index: int) -> str:
    """An attachment's file name: the long name, the 8.3 name, its display name."""
    for prop in (ATTACH_LONG_FILENAME, ATTACH_FILENAME, DISPLAY_NAME):
        value = props.get(prop)
        if isinstance(value, str) and value.strip("\x00 "):
            return value.strip("\x00 ")
    if props.get(ATTACH_METHOD) == ATTACH_EMBEDDED_MSG:
        return "(forwarded message)"
    return f"(attachment {index})"
